<?php

/**
 * A full operation from PHP through libvpsgate against the same operation in plain PHP, side by
 * side in one process, rounds interleaved: getOrders (every order of an account holding ORDERS
 * orders) and getBalance, against the sandbox over loopback.
 *   - "vpsgate, native": Vpsgate\Friendhosting, the library sends (its own HTTP client);
 *   - "vpsgate, curl": the library builds and parses, PHP's curl sends (CurlTransport);
 *   - "plain PHP": curl POST of the same form, unserialize(), the status checked, as a panel
 *     module written by hand does it.
 * Prints a Markdown table: the median of ROUNDS rounds (each CALLS calls) in ms per call, and the
 * ratio to plain PHP (above 1 = vpsgate is faster).
 *
 * Usage: php -d ffi.enable=1 operation.php SANDBOX_URL [ORDERS=500] [ROUNDS=9] [CALLS=20]
 */

declare(strict_types=1);

require dirname(__DIR__, 3) . '/bindings/php/autoload.php';

use Vpsgate\Friendhosting;
use Vpsgate\Transport\CurlTransport;

$url = rtrim($argv[1] ?? '', '/');
[$orders, $rounds, $calls] = [(int) ($argv[2] ?? 500), (int) ($argv[3] ?? 9), (int) ($argv[4] ?? 20)];
if ($url === '') {
    fwrite(STDERR, "usage: operation.php SANDBOX_URL [ORDERS] [ROUNDS] [CALLS]\n");
    exit(2);
}
$endpoint = "$url/apih.php";
$config = ['endpoint' => $endpoint, 'login' => 'demo', 'api_key' => 'demo-key', 'timeout_ms' => 30000];
$native = new Friendhosting($config);
$curl = new Friendhosting($config, new CurlTransport());

// An account with ORDERS orders (the sandbox's demo account starts with a few and money enough).
try {
    $have = count($native->getOrders()['data']['orders']);
} catch (Vpsgate\Exception\GatewayException $e) {
    $have = 0; // error 26: no orders yet
}
$tarif = $native->getTarifs()['data']['tarifs'][0];
for ($i = $have; $i < $orders; $i++) {
    $native->createOrder((string) $tarif['id'], 1, $tarif['vid'] ?? null, "bench$i.example");
}
$count = count($native->getOrders()['data']['orders']);

$handle = curl_init();
$plain = static function (string $command) use ($handle, $endpoint): array {
    curl_setopt_array($handle, [
        CURLOPT_URL => $endpoint,
        CURLOPT_POST => true,
        CURLOPT_POSTFIELDS => http_build_query(['command' => $command, 'login' => 'demo', 'apikey' => 'demo-key']),
        CURLOPT_RETURNTRANSFER => true,
        CURLOPT_TIMEOUT => 30,
    ]);
    $body = curl_exec($handle);
    if (!is_string($body) || curl_getinfo($handle, CURLINFO_RESPONSE_CODE) !== 200) {
        throw new RuntimeException("plain PHP: $command failed");
    }
    $answer = unserialize($body, ['allowed_classes' => false]);
    if (!is_array($answer) || ($answer['status'] ?? null) !== 'SUCCESS') {
        throw new RuntimeException("plain PHP: $command answered " . substr($body, 0, 200));
    }
    return $answer;
};

// Every way must see the same orders, or the comparison means nothing.
$ids = static fn (array $orders): array => array_map(static fn ($o) => (string) $o['orderid'], $orders);
$want = $ids(array_values($plain('getOrders')['orders']));
if ($ids($native->getOrders()['data']['orders']) !== $want || $ids($curl->getOrders()['data']['orders']) !== $want) {
    fwrite(STDERR, "operation.php: the three ways disagree on the orders\n");
    exit(1);
}

$ways = [
    'vpsgate, native' => [fn () => $native->getOrders(), fn () => $native->getBalance()],
    'vpsgate, curl' => [fn () => $curl->getOrders(), fn () => $curl->getBalance()],
    'plain PHP' => [fn () => $plain('getOrders'), fn () => $plain('getBalance')],
];
$times = [];
for ($r = 0; $r < $rounds; $r++) {
    foreach ([0 => 'getOrders', 1 => 'getBalance'] as $op => $name) {
        foreach ($ways as $way => $fns) {
            $t = hrtime(true);
            for ($c = 0; $c < $calls; $c++) {
                $fns[$op]();
            }
            $times[$name][$way][] = (hrtime(true) - $t) / 1e6 / $calls;
        }
    }
}
$median = static function (array $xs): float {
    sort($xs);
    $n = count($xs);
    return $n % 2 ? $xs[intdiv($n, 2)] : ($xs[$n / 2 - 1] + $xs[$n / 2]) / 2;
};
echo "| operation | way | median ms per call | plain PHP / way |\n|---|---|---:|---:|\n";
foreach ($times as $name => $byWay) {
    $base = $median($byWay['plain PHP']);
    foreach ($byWay as $way => $xs) {
        $m = $median($xs);
        printf("| %s (%s) | %s | %.3f | %.2fx |\n", $name, $name === 'getOrders' ? "$count orders" : 'one line', $way, $m, $base / $m);
    }
}
printf("\n%d rounds of %d calls each, interleaved; PHP %s, sandbox at %s\n", $rounds, $calls, PHP_VERSION, $url);
