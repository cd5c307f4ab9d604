<?php
// Writes the benchmark payloads: a getOrders answer (every value a string, as a PHP backend
// reading a database sends it) of about 1 MB and 20 MB, as serialize() and json_encode() output.
// Usage: php bench_payload.php DIR   → DIR/orders_1mb.ser, orders_1mb.json, orders_20mb.{ser,json}
declare(strict_types=1);
require __DIR__ . '/lib.php';

$dir = $argv[1] ?? die("usage: bench_payload.php DIR\n");
@mkdir($dir, 0777, true);
$perOrder = strlen(serialize(orders_answer(1000))) / 1000;
foreach (['1mb' => 1 << 20, '20mb' => 20 << 20] as $name => $bytes) {
    $answer = orders_answer((int)ceil($bytes / $perOrder));
    file_put_contents("$dir/orders_$name.ser", serialize($answer));
    file_put_contents("$dir/orders_$name.json", json_encode($answer));
    printf("%s: %d orders, %d bytes serialized, %d bytes JSON\n", $name, count($answer['orders']),
        filesize("$dir/orders_$name.ser"), filesize("$dir/orders_$name.json"));
}
