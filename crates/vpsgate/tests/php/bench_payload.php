<?php
// Writes the benchmark payloads with real PHP: a getOrders answer (every value a string, as a PHP
// backend reading a database sends it) and a getTarifs answer (mixed strings, numbers, bools,
// nested period and add-on lists), each of about 1 KB, 1 MB and 20 MB, as serialize() and
// json_encode() output.
// Usage: php bench_payload.php DIR   → DIR/{orders,tarifs}_{1kb,1mb,20mb}.{ser,json}
declare(strict_types=1);
require __DIR__ . '/lib.php';

$dir = $argv[1] ?? die("usage: bench_payload.php DIR\n");
@mkdir($dir, 0777, true);
$make = ['orders' => fn(int $n) => orders_answer($n), 'tarifs' => fn(int $n) => tarifs_answer($n)];
foreach ($make as $kind => $f) {
    $per = strlen(serialize($f(1000))) / 1000;
    foreach (['1kb' => 1 << 10, '1mb' => 1 << 20, '20mb' => 20 << 20] as $name => $bytes) {
        $answer = $f(max(1, (int)round($bytes / $per)));
        $key = $kind === 'orders' ? 'orders' : 'tarifs';
        file_put_contents("$dir/{$kind}_$name.ser", serialize($answer));
        file_put_contents("$dir/{$kind}_$name.json", json_encode($answer));
        printf("%s_%s: %d items, %d bytes serialized, %d bytes JSON\n", $kind, $name, count($answer[$key]),
            filesize("$dir/{$kind}_$name.ser"), filesize("$dir/{$kind}_$name.json"));
    }
}
