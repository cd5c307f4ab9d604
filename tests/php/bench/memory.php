<?php

/**
 * 100,000 calls into libvpsgate in one PHP process, and the process's memory along the way:
 * PHP's own heap (memory_get_usage) and the resident set (VmRSS, which also counts what the
 * library allocates). Every tenth call goes to the sandbox through the native transport; the
 * rest build and parse requests, decode bodies, create providers and take the error paths.
 *
 * Usage: php -d ffi.enable=1 memory.php SANDBOX_URL [CALLS]. Exits 1 when memory grows after the
 * warm-up by more than 1 MiB of PHP heap or 4 MiB of RSS.
 */

declare(strict_types=1);

require dirname(__DIR__, 3) . '/bindings/php/autoload.php';

use Vpsgate\Codec;
use Vpsgate\Exception\VpsgateException;
use Vpsgate\Friendhosting;
use Vpsgate\Govpsfx;
use Vpsgate\Provider;

$url = rtrim($argv[1] ?? '', '/');
$calls = (int) ($argv[2] ?? 100000);
if ($url === '') {
    fwrite(STDERR, "usage: memory.php SANDBOX_URL [CALLS]\n");
    exit(2);
}

function rss_kib(): int
{
    preg_match('/VmRSS:\s+(\d+)/', (string) file_get_contents('/proc/self/status'), $m);
    return (int) ($m[1] ?? 0);
}

$config = ['endpoint' => "$url/apih.php", 'login' => 'demo', 'api_key' => 'demo-key', 'timeout_ms' => 5000];
$fh = new Friendhosting($config);
$serialized = serialize(['status' => 'SUCCESS', 'orders' => array_fill(0, 20, ['orderid' => '100001', 'domain' => 'x.example', 'todate' => '2027-01-01', 'status' => '1'])]);
$balanceBody = serialize(['status' => 'SUCCESS', 'balance' => '10.00', 'currency' => 'USD']);
$errorBody = serialize(['status' => 'ERROR', 'errorCode' => 19, 'errorMsg' => 'The order is not found']);
$createBody = json_encode(['status' => 'SUCCESS', 'orderid' => '100777', 'cost' => '4.99', 'serverlogin' => 'root', 'serverpassword' => 'pw', 'todate' => '2027-01-01']);

$failures = 0;
$marks = [];
$call = static function (int $i) use ($fh, $config, $serialized, $balanceBody, $errorBody, $createBody, &$failures): void {
    try {
        switch ($i % 10) {
            case 0:
                $fh->getBalance();
                break;
            case 1:
            case 2:
                Codec::decode($serialized);
                break;
            case 3:
                $fh->commandRequest('getBalance')->parseResponse(200, $balanceBody);
                break;
            case 4:
                Codec::decode('a:3:{i:0;');
                break;
            case 5:
                new Friendhosting($config);
                break;
            case 6:
                $fh->stepRequest('create', ['plan' => '201', 'months' => 1, 'kind' => 'vds'])->parseResponse(200, (string) $createBody);
                break;
            case 7:
                Govpsfx::sign('sdsd4223dsd', 'singapore', '1', null, '14321');
                break;
            case 8:
                Provider::fromConfig(['provider' => 'nope']);
                break;
            case 9:
                $fh->commandRequest('suspendOrder', ['orderid' => '1'])->parseResponse(200, $errorBody);
                break;
        }
    } catch (VpsgateException $e) {
        if (!in_array($i % 10, [4, 8, 9], true)) {
            $failures++;
        }
        return;
    }
    if (in_array($i % 10, [4, 8, 9], true)) {
        $failures++;
    }
};

$warmup = 2000;
for ($i = 0; $i < $warmup; $i++) {
    $call($i);
}
gc_collect_cycles();
$start = microtime(true);
$base = [memory_get_usage(), rss_kib()];
printf("%8s %14s %10s\n", 'calls', 'PHP heap (B)', 'RSS (KiB)');
printf("%8d %14d %10d\n", 0, $base[0], $base[1]);
for ($i = 1; $i <= $calls; $i++) {
    $call($i);
    if ($i % ($calls / 10) === 0) {
        gc_collect_cycles();
        $marks[$i] = [memory_get_usage(), rss_kib()];
        printf("%8d %14d %10d\n", $i, $marks[$i][0], $marks[$i][1]);
    }
}
$end = end($marks);
$heapGrowth = $end[0] - $base[0];
$rssGrowth = $end[1] - $base[1];
printf("%d calls in %.1f s (%d failures); growth after warm-up: PHP heap %+d B, RSS %+d KiB; peak PHP heap %d B\n",
    $calls, microtime(true) - $start, $failures, $heapGrowth, $rssGrowth, memory_get_peak_usage());
exit(($failures === 0 && $heapGrowth <= 1 << 20 && $rssGrowth <= 4096) ? 0 : 1);
