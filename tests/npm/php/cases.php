<?php
// Generated decodePhp cases, written by real PHP: every case is serialize()d here and decoded
// back with unserialize(); `json` is json_encode() of that value with the flags the vpsgate
// codec follows. Two documented divergences are applied to PHP's side before encoding, so the
// comparison is exact: integers beyond 2^53 are written as their decimal strings (JS compares
// them with decodePhp(..., {bigint: "string"})), and INF/-INF/NAN (which json_encode refuses)
// as the strings "INF"/"-INF"/"NAN". `keys` lists a top-level array's keys in PHP's order.
// Usage: php cases.php [count] [seed] > cases.json
$count = (int)($argv[1] ?? 300);
mt_srand((int)($argv[2] ?? 7));
const FLAGS = JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE
    | JSON_PRESERVE_ZERO_FRACTION;

function bytes(int $n): string { $s = ''; for ($i = 0; $i < $n; $i++) $s .= chr(mt_rand(0, 255)); return $s; }

function pick(array $a) { return $a[mt_rand(0, count($a) - 1)]; }

function rscalar() {
    switch (mt_rand(0, 12)) {
        case 0: return null;
        case 1: return (bool)mt_rand(0, 1);
        case 2: return mt_rand(-1000, 1000);
        case 3: return pick([PHP_INT_MAX, PHP_INT_MIN, 9007199254740991, 9007199254740992,
            -9007199254740993, 12345678901234567]);
        case 4: return pick([0.1, -0.0, 1.0e25, 1.5e-7, 100.0, 3.141592653589793, INF, -INF, NAN]);
        case 5: return pick(['мир', 'Привет, мир!', 'ёЁ', 'Київ', '中文', "emoji \u{1F600}"]);
        case 6: return bytes(mt_rand(0, 12));                      // binary, often invalid UTF-8
        case 7: return pick(["\xff", "a\xc3", "\xe2\x82", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\xaf"]);
        case 8: return pick(["quote \" back \\ slash /", "tab\tnl\ncr\r\x01\x1f", "\u{2028}\u{2029}"]);
        case 9: return (string)mt_rand(0, 99);                     // numeric strings stay strings
        case 10: return mt_rand() / mt_getrandmax() * pick([1, 1000, 1e-5, 1e20]);
        default: return str_repeat(pick(['a', 'ж', '0']), mt_rand(0, 5));
    }
}

function rkey() {
    switch (mt_rand(0, 5)) {
        case 0: return mt_rand(-5, -1);                             // negative
        case 1: return mt_rand(0, 10) * pick([1, 7, 1000, 4294967296]); // sparse, large
        case 2: return pick(['id', 'name', 'имя', '__proto__', '', '01', '-0', ' 1', '1.5']);
        case 3: return (string)mt_rand(0, 20);                      // becomes an int key
        case 4: return pick([PHP_INT_MAX, PHP_INT_MIN]);
        default: return 'k' . mt_rand(0, 50);
    }
}

function rvalue(int $depth) {
    if ($depth > 3 || mt_rand(0, 3) === 0) return rscalar();
    $n = mt_rand(0, 5);
    $a = [];
    if (mt_rand(0, 2) === 0) {
        for ($i = 0; $i < $n; $i++) $a[] = rvalue($depth + 1);       // a list
    } else {
        for ($i = 0; $i < $n; $i++) $a[rkey()] = rvalue($depth + 1);  // a map
    }
    return $a;
}

function divergences($v) {
    if (is_array($v)) {
        $out = [];
        foreach ($v as $k => $x) $out[$k] = divergences($x);
        return $out;
    }
    if (is_int($v) && ($v > 9007199254740991 || $v < -9007199254740991)) return (string)$v;
    if (is_float($v) && is_nan($v)) return 'NAN';
    if (is_float($v) && is_infinite($v)) return $v > 0 ? 'INF' : '-INF';
    return $v;
}

$cases = [];
for ($i = 0; $i < $count; $i++) {
    $php = serialize(rvalue(0));
    $back = unserialize($php, ['allowed_classes' => false]);
    $json = json_encode(divergences($back), FLAGS);
    if ($json === false) { fwrite(STDERR, "case $i: " . json_last_error_msg() . "\n"); exit(1); }
    $cases[] = [
        'php' => base64_encode($php),
        'json' => $json,
        'keys' => is_array($back) ? array_map('strval', array_keys($back)) : null,
    ];
}
// Fixed cases: an incomplete class, nested sparse arrays, an all-Cyrillic getOrders-like answer.
foreach ([
    'O:8:"Customer":2:{s:4:"name";s:8:"Иван";s:2:"id";i:7;}',
    'a:2:{i:3;a:1:{i:-1;s:1:"x";}i:1;d:-0;}',
    serialize(['status' => 'SUCCESS', 'orders' => [100001 => ['domain' => 'пример.рф', 'cost' => '6.49']]]),
] as $php) {
    $back = unserialize($php, ['allowed_classes' => false]);
    $cases[] = ['php' => base64_encode($php), 'json' => json_encode(divergences($back), FLAGS),
        'keys' => is_array($back) ? array_map('strval', array_keys($back)) : null];
}
echo json_encode($cases, JSON_UNESCAPED_SLASHES), "\n";
