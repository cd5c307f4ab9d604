<?php
// Seeds fuzz/corpus/<target>/ with real serialize() output (the comparison suite's fixed corpus,
// seeded random values and syntax edges) and JSON renderings of the gateway answers.
// Usage: php fuzz/seed_corpus.php   (from the repository root)
declare(strict_types=1);
require __DIR__ . '/../crates/vpsgate/tests/php/lib.php';

$out = shell_exec('php ' . escapeshellarg(__DIR__ . '/../crates/vpsgate/tests/php/gen_cases.php') . ' 2>/dev/null');
$seeds = [];
foreach (explode("\n", trim($out)) as $line) {
    $r = json_decode($line, true);
    if (in_array($r['c'], ['fixed', 'random', 'syntax', 'enum', 'overflow'], true) && strlen($r['in']) < 8000) {
        $seeds[] = hex2bin($r['in']);
    }
}
foreach ([orders_answer(3), orders_answer(2, true), tarifs_answer(),
    ['status' => 'ERROR', 'errorCode' => '12', 'errorMessage' => 'Ошибка'],
    ['status' => 'SUCCESS', 'balance' => '10.50', 'currency' => 'EUR']] as $v) {
    $seeds[] = serialize($v);
    $seeds[] = json_encode($v, JSON_UNESCAPED_UNICODE);
}
foreach (['php_parse', 'php_typed', 'gateway_answer'] as $t) {
    $dir = __DIR__ . "/corpus/$t";
    @mkdir($dir, 0777, true);
    foreach ($seeds as $s) {
        file_put_contents("$dir/seed-" . substr(sha1($s), 0, 16), $s);
    }
}
echo count($seeds), " seeds per target\n";
