<?php
// Benchmark payloads written by real PHP: getOrders and getTarifs answers of about 1 MB and
// 20 MB, as serialize() and json_encode() output (the getOrders shape is the core bench's).
// Usage: php payload.php DIR
declare(strict_types=1);
require __DIR__ . '/../../../crates/vpsgate/tests/php/lib.php';

function tarifs_big(int $n): array
{
    $t = [];
    for ($i = 1; $i <= $n; $i++) {
        $t[] = [
            'id' => (string)$i,
            'vid' => ['hosting', 'vds', 'dedicated'][$i % 3],
            'name' => "VDS-$i Старт",
            'costMonthly' => number_format($i * 0.37 + 1.99, 2, '.', ''),
            'costSetup' => $i % 2 ? '0' : '5.00',
            'currency' => 'EUR',
            'allowWithoutDomain' => $i % 2 ? '1' : '0',
            'months' => [
                ['months' => '1', 'discount' => '0', 'allowForNewOrder' => '1', 'allowForRenew' => '1'],
                ['months' => '3', 'discount' => '0.03', 'allowForNewOrder' => '1', 'allowForRenew' => '1'],
                ['months' => '12', 'discount' => '0.1', 'allowForNewOrder' => '1', 'allowForRenew' => '0'],
            ],
            'addons' => $i % 4 === 0 ? [] : [
                ['id' => (string)(7 + $i % 5), 'name' => 'IPv4 адрес', 'costMonthly' => '2.00', 'costSetup' => '0.00'],
            ],
        ];
    }
    return ['status' => 'SUCCESS', 'tarifs' => $t];
}

$dir = $argv[1] ?? die("usage: payload.php DIR\n");
@mkdir($dir, 0777, true);
$kinds = [
    'getOrders' => fn(int $n) => orders_answer($n),
    'getTarifs' => fn(int $n) => tarifs_big($n),
];
foreach ($kinds as $kind => $make) {
    $per = strlen(serialize($make(1000))) / 1000;
    foreach (['1mb' => 1 << 20, '20mb' => 20 << 20] as $name => $bytes) {
        $answer = $make((int)ceil($bytes / $per));
        file_put_contents("$dir/{$kind}_$name.ser", serialize($answer));
        file_put_contents("$dir/{$kind}_$name.json", json_encode($answer, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES));
    }
}
