<?php
// PHP's own unserialize() and json_decode() on the benchmark payloads (median of N runs, hrtime),
// merged with criterion's medians for vpsgate into one table.
// Usage: php bench_php.php PAYLOAD_DIR CRITERION_DIR [RUNS]
declare(strict_types=1);

[$_, $dir, $crit] = $argv + [null, null, null];
$runs = (int)($argv[3] ?? 15);
if ($dir === null || $crit === null) {
    die("usage: bench_php.php PAYLOAD_DIR CRITERION_DIR [RUNS]\n");
}
ini_set('memory_limit', '4G');

function median(array $xs): float
{
    sort($xs);
    $n = count($xs);
    return $n % 2 ? $xs[intdiv($n, 2)] : ($xs[$n / 2 - 1] + $xs[$n / 2]) / 2;
}

function time_ms(callable $f, int $runs): float
{
    $f(); // warm-up
    $t = [];
    for ($i = 0; $i < $runs; $i++) {
        $s = hrtime(true);
        $v = $f();
        $t[] = (hrtime(true) - $s) / 1e6;
        unset($v);
    }
    return median($t);
}

function criterion_ms(string $crit, string $group, string $bench): ?float
{
    $f = "$crit/$group/$bench/new/estimates.json";
    if (!is_file($f)) {
        return null;
    }
    $e = json_decode(file_get_contents($f), true);
    return $e['median']['point_estimate'] / 1e6;
}

$rows = [];
foreach (['1mb', '20mb'] as $name) {
    $ser = file_get_contents("$dir/orders_$name.ser");
    $json = file_get_contents("$dir/orders_$name.json");
    $phpSer = time_ms(fn() => unserialize($ser, ['allowed_classes' => false]), $runs);
    $phpJson = time_ms(fn() => json_decode($json, true), $runs);
    $group = "decode_$name";
    $rows[] = [$name, 'php', 'PHP unserialize()', $phpSer, strlen($ser), $phpSer];
    foreach (['php_value' => 'vpsgate php::parse → Value', 'php_typed' => 'vpsgate php::from_bytes → struct',
        'php_gateway' => 'vpsgate friendhosting::parse → OrdersAnswer'] as $b => $label) {
        $rows[] = [$name, 'php', $label, criterion_ms($crit, $group, $b), strlen($ser), $phpSer];
    }
    $rows[] = [$name, 'json', 'PHP json_decode(, true)', $phpJson, strlen($json), $phpJson];
    foreach (['json_value' => 'serde_json → serde_json::Value', 'json_typed' => 'serde_json → struct',
        'json_gateway' => 'vpsgate friendhosting::parse_hinted(Json) → OrdersAnswer'] as $b => $label) {
        $rows[] = [$name, 'json', $label, criterion_ms($crit, $group, $b), strlen($json), $phpJson];
    }
}

printf("PHP %s, %d runs each (median); vpsgate figures: criterion medians\n", PHP_VERSION, $runs);
printf("%-7s %-5s %-56s %10s %9s %12s\n", 'payload', 'fmt', 'decoder', 'median ms', 'MB/s', 'vs PHP');
foreach ($rows as [$name, $fmt, $label, $ms, $bytes, $php]) {
    if ($ms === null) {
        printf("%-7s %-5s %-56s %10s %9s %12s\n", $name, $fmt, $label, 'n/a', '', '');
        continue;
    }
    printf("%-7s %-5s %-56s %10.2f %9.1f %11.2fx\n", $name, $fmt, $label, $ms, $bytes / 1048576 / ($ms / 1000), $php / $ms);
}
echo "(vs PHP > 1 means faster than PHP on the same bytes)\n";
