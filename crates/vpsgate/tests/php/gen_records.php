<?php
// Values made of maps that repeat their keys (what the MessagePack flavour writes as msgpackr
// records), for tests/php_compat.rs `msgpack_records_agree_with_php_json_encode`: one line per
// case, bin2hex(serialize($v)) TAB bin2hex(json_encode($v, JSON_PRESERVE_ZERO_FRACTION)).
// Seeded: the same cases every run.
mt_srand(20261203);

function rec(int $i, array $keys): array {
    $r = [];
    foreach ($keys as $j => $k) {
        $r[$k] = match (($i + $j) % 7) {
            0 => $i * 1000 + $j,
            // Strings of every bundle: a character beyond U+00FF, Latin-1 beyond ASCII, one
            // beyond U+FFFF (two UTF-16 units), ASCII, and short ones (not bundled).
            1 => "v$i-$j " . ['Юг', 'café', '😀 ok', 'plain', 'é', ''][$i % 6],
            2 => ($i + $j) / 8,
            3 => ($i % 2) === 0,
            4 => null,
            5 => [$i, $j, "x"],
            default => -($i * 77 + $j),
        };
    }
    return $r;
}

$cases = [];
$names = ['id', 'name', 'status', 'price', 'ip', 'os', 'date', 'tarif', '10', '-3', 'Юг', 'a b'];
// Lists of records of one shape, of many sizes (one record, then the first instance).
foreach ([2, 3, 17, 200] as $n) {
    $keys = array_slice($names, 0, 1 + $n % 9);
    $cases[] = array_map(fn ($i) => rec($i, $keys), range(0, $n - 1));
}
// Maps keyed by id whose values are records; records nested in records.
$orders = [];
for ($i = 0; $i < 50; $i++) {
    $o = rec($i, ['orderid', 'status', 'cost']);
    $o['ips'] = array_map(fn ($j) => rec($j, ['ip', 'mask']), range(0, $i % 4));
    $o['os'] = rec($i, ['name', 'version']);
    $orders[(string) (100000 + $i)] = $o;
}
$cases[] = ['status' => 'SUCCESS', 'errorCode' => 0, 'data' => $orders];
// Shapes that change: a shape each, more than 64 of them, alternating, shrinking, growing,
// and records whose keys start as a record's and then differ.
$many = [];
for ($i = 0; $i < 150; $i++) {
    $many[] = rec($i, ["k" . ($i % 90), 'common']);
    $many[] = rec($i, ["k" . ($i % 90), 'common']);
}
$cases[] = $many;
$cases[] = [rec(1, ['a', 'b', 'c']), rec(2, ['a', 'b']), rec(3, ['a', 'b']), rec(4, ['a', 'b', 'c'])];
$cases[] = [rec(1, ['a', 'b']), rec(2, ['a', 'c']), rec(3, ['a', 'c'])];
$kinds = array_fill(0, count($cases), 'records');
// Two shapes in turn, and more shapes in turn at one depth than are remembered there.
$cases[] = [rec(1, ['a', 'b']), rec(2, ['x', 'y']), rec(3, ['a', 'b']), rec(4, ['x', 'y'])];
$kinds[] = 'records';
$cases[] = array_map(fn ($i) => rec($i, ["s" . ($i % 6), 'b']), range(0, 40));
$kinds[] = 'any';
// Random mixtures.
for ($c = 0; $c < 300; $c++) {
    $shapes = [];
    for ($s = 0; $s < mt_rand(1, 5); $s++) {
        $shapes[] = array_slice($names, mt_rand(0, 5), mt_rand(1, 6));
    }
    $v = [];
    for ($i = 0; $i < mt_rand(1, 40); $i++) {
        $r = rec($i + $c, $shapes[mt_rand(0, count($shapes) - 1)]);
        if (mt_rand(0, 5) === 0) {
            $r['sub'] = [rec($i, $shapes[0]), rec($i + 1, $shapes[0])];
        }
        $v[mt_rand(0, 3) === 0 ? "n$i" : $i] = $r;
    }
    $cases[] = $v;
    $kinds[] = 'any';
}
foreach ($cases as $i => $v) {
    echo $kinds[$i], "\t", bin2hex(serialize($v)), "\t", bin2hex(json_encode($v, JSON_PRESERVE_ZERO_FRACTION)), "\n";
}
