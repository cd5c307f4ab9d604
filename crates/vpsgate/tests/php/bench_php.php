<?php
// PHP's own unserialize(), json_decode() and json_encode(unserialize()) on the benchmark payloads
// (median of RUNS samples, hrtime; small payloads loop inside a sample), merged with criterion's
// medians for vpsgate and hyperfine's whole-process figures into the markdown of
// docs/PERFORMANCE.md (printed on stdout).
// Usage: php bench_php.php PAYLOAD_DIR CRITERION_DIR HYPERFINE_DIR [RUNS]
declare(strict_types=1);

[$_, $dir, $crit, $hyper] = $argv + [null, null, null, null];
$runs = (int)($argv[4] ?? 15);
if ($dir === null || $crit === null || $hyper === null) {
    die("usage: bench_php.php PAYLOAD_DIR CRITERION_DIR HYPERFINE_DIR [RUNS]\n");
}
ini_set('memory_limit', '8G');

function median(array $xs): float
{
    sort($xs);
    $n = count($xs);
    return $n % 2 ? $xs[intdiv($n, 2)] : ($xs[$n / 2 - 1] + $xs[$n / 2]) / 2;
}

/** Median ms of one call of $f; the result is unset after the timer, like criterion's
 * iter_with_large_drop drops it outside the timed region. */
function time_ms(callable $f, int $runs): float
{
    $s = hrtime(true);
    $v = $f(); // warm-up, and a first estimate
    $once = (hrtime(true) - $s) / 1e6;
    unset($v);
    $inner = max(1, (int)(5 / max($once, 1e-6))); // about 5 ms per sample
    $t = [];
    for ($i = 0; $i < $runs; $i++) {
        $keep = [];
        $s = hrtime(true);
        for ($j = 0; $j < $inner; $j++) {
            $keep[] = $f();
        }
        $t[] = (hrtime(true) - $s) / 1e6 / $inner;
        unset($keep);
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

function hyperfine_ms(string $file): array
{
    if (!is_file($file)) {
        return [];
    }
    $out = [];
    foreach (json_decode(file_get_contents($file), true)['results'] as $r) {
        // CPU time (user + system, hyperfine's means): less disturbed than wall time by other
        // work on a shared machine.
        $out[] = [$r['command'], $r['median'] * 1000, count($r['times']), ($r['user'] + $r['system']) * 1000];
    }
    return $out;
}

function fmt_ms(?float $ms): string
{
    if ($ms === null) {
        return 'n/a';
    }
    return $ms < 0.1 ? sprintf('%.4f', $ms) : ($ms < 10 ? sprintf('%.3f', $ms) : sprintf('%.1f', $ms));
}

$out = [];
foreach (['orders', 'tarifs'] as $kind) {
    foreach (['1kb', '1mb', '20mb'] as $name) {
        $ser = file_get_contents("$dir/{$kind}_$name.ser");
        $json = file_get_contents("$dir/{$kind}_$name.json");
        $u = time_ms(fn() => unserialize($ser, ['allowed_classes' => false]), $runs);
        $jd = time_ms(fn() => json_decode($json, true), $runs);
        $je = time_ms(fn() => json_encode(unserialize($ser, ['allowed_classes' => false])), $runs);
        $g = "{$kind}_$name";
        $rows = [
            ['PHP `unserialize()`', 'ser', $u, 'unserialize', $u],
            ['vpsgate `php::parse` → `Value`', 'ser', criterion_ms($crit, $g, 'php_value'), 'unserialize', $u],
            ['vpsgate `friendhosting::parse` → typed answer', 'ser', criterion_ms($crit, $g, 'php_typed'), 'unserialize', $u],
        ];
        if ($kind === 'orders') {
            $rows[] = ['vpsgate `php::from_bytes` → borrowed struct', 'ser', criterion_ms($crit, $g, 'php_typed_borrowed'), 'unserialize', $u];
        }
        $rows[] = ['PHP `json_encode(unserialize())`', 'ser', $je, 'json_encode(unserialize)', $je];
        $rows[] = ['vpsgate `php::to_json_bytes` (PHP → JSON text)', 'ser', criterion_ms($crit, $g, 'php_to_json'), 'json_encode(unserialize)', $je];
        $sj = criterion_ms($crit, $g, 'serde_json_typed');
        $rows[] = ['PHP `json_decode(, true)`', 'json', $jd, 'json_decode', $jd];
        $rows[] = ['vpsgate `friendhosting::parse` (JSON) → typed answer', 'json', criterion_ms($crit, $g, 'json_typed'), 'json_decode', $jd];
        $rows[] = ['serde_json → the same typed answer', 'json', $sj, 'json_decode', $jd];
        $out[] = [$kind, $name, strlen($ser), strlen($json), $rows, $sj, criterion_ms($crit, $g, 'json_typed')];
    }
}

printf("PHP %s; PHP rows: median of %d samples (hrtime); vpsgate rows: criterion medians.\n\n", PHP_VERSION, $runs);
echo "| answer | size | decoder | input | median ms | MB/s | vs PHP |\n|---|---|---|---|---:|---:|---|\n";
foreach ($out as [$kind, $name, $serLen, $jsonLen, $rows]) {
    foreach ($rows as [$label, $fmt, $ms, $base, $baseMs]) {
        $bytes = $fmt === 'ser' ? $serLen : $jsonLen;
        $mbs = $ms ? sprintf('%.0f', $bytes / 1048576 / ($ms / 1000)) : '';
        $ratio = $ms ? sprintf('%.2fx %s', $baseMs / $ms, $base) : '';
        if (str_starts_with($label, 'PHP')) {
            $ratio = '1.00x (baseline)';
        }
        printf("| %s | %s | %s | %s, %d B | %s | %s | %s |\n", $kind, $name, $label, $fmt, $bytes, fmt_ms($ms), $mbs, $ratio);
    }
}
echo "\nJSON into typed answers, the gateway against plain serde_json into the same structs:\n\n";
echo "| answer | size | gateway ms | serde_json ms | gateway / serde_json speed |\n|---|---|---:|---:|---:|\n";
foreach ($out as [$kind, $name, , , , $sj, $gw]) {
    printf("| %s | %s | %s | %s | %s |\n", $kind, $name, fmt_ms($gw), fmt_ms($sj), $gw && $sj ? sprintf('%.2fx', $sj / $gw) : 'n/a');
}
echo "\nWhole process (hyperfine: wall-clock medians, and mean CPU time user + system; PHP format in, JSON text out):\n\n";
echo "| input | command | runs | median ms | vs PHP | CPU ms | CPU vs PHP |\n|---|---|---:|---:|---:|---:|---:|\n";
foreach (glob("$hyper/*.json") as $f) {
    $res = hyperfine_ms($f);
    $phpMs = null;
    $phpCpu = null;
    foreach ($res as [$cmd, $ms, , $cpu]) {
        if (str_starts_with($cmd, 'php ')) {
            $phpMs = $ms;
            $phpCpu = $cpu;
        }
    }
    foreach ($res as [$cmd, $ms, $n, $cpu]) {
        printf("| %s | `%s` | %d | %s | %s | %s | %s |\n", basename($f, '.json'), str_replace('|', '\\|', $cmd), $n, fmt_ms($ms),
            $phpMs ? sprintf('%.2fx', $phpMs / $ms) : '', fmt_ms($cpu), $phpCpu ? sprintf('%.2fx', $phpCpu / $cpu) : '');
    }
}
