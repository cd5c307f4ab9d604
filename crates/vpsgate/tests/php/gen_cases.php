<?php
// Generates the comparison cases for tests/php_compat.rs (and, with --cli, for the CLI's
// decode_vs_php test): one JSON object per line on stdout:
//   {"c": category, "in": hex input, "ok": PHP accepted, "w": [PHP warnings], "d": canonical dump
//    (see lib.php) | "CYCLE" | "HUGE" | null, "j": json_encode shaping (only with --cli)}
// Every input is real serialize() output or a seeded mutation of it; every verdict is PHP's own.
declare(strict_types=1);
require __DIR__ . '/lib.php';

$cli = in_array('--cli', $argv, true);
$seed = 20261122;
foreach ($argv as $a) {
    if (str_starts_with($a, '--seed=')) {
        $seed = (int)substr($a, 7);
    }
}
mt_srand($seed);

$emitted = 0;
function emit(string $cat, string $in, bool $allowClasses = false): void
{
    global $cli, $emitted;
    $r = verdict($in, $allowClasses);
    $row = ['c' => $cat, 'in' => bin2hex($in), 'ok' => $r['ok'], 'w' => $r['w'], 'd' => $r['d']];
    if ($cli) {
        $row['j'] = ($r['ok'] && $r['d'] !== 'CYCLE' && $r['d'] !== 'HUGE') ? php_json($r["v"], strlen($in) + 2) : null;
    }
    echo json_encode($row, JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR), "\n";
    $emitted++;
}

// ---- fixed corpus of tricky values -------------------------------------------------------
$fixed = [
    null, true, false, 0, 1, -1, PHP_INT_MAX, PHP_INT_MIN,
    0.0, -0.0, 1.0, 0.1, 1e25, 1e-7, INF, -INF, NAN, 1e308, 5e-324, -1.5e-300, (float)PHP_INT_MAX,
    0.30000000000000004, 1e15, 1e16, 123456789012345678.0, 3.0e-5,
    '', 'a', 'say "hi"; ok', "nul\0byte", "\xff\xfe invalid \xc3", 'Привет, мир', 'Ошибка: неверный логин',
    's:1:"x";', '{}', str_repeat('x', 300), "emoji 😀", "\xe2\x82", "\\", '0', '1.5', ' ',
    [], [1, 2, 3], ['a' => 1, 'b' => [true, null]], [5 => 'a', 3 => 'b', -7 => 'c', PHP_INT_MAX => 'max', PHP_INT_MIN => 'min'],
    ['5' => 'numeric string key', '05' => 'kept string', '-0' => 'kept', '1.5' => 'kept', '' => 'empty', '-3' => 'int'],
    [[[[[]]]]], ['nested' => ['deep' => ['er' => ['est' => 'x']]]],
    [0 => 'a', '1' => 'b', 2 => 'c'],
    new stdClass(), (object)['a' => 1, '5' => 'five', '' => 'empty name'], new Rec('pub', 'prot', 'priv'),
    new Rec(new Rec(1, [2], null), (object)['x' => 1.5], ['k' => new stdClass()]),
    orders_answer(3), orders_answer(2, true), orders_answer(1), tarifs_answer(),
    ['status' => 'ERROR', 'errorCode' => '12', 'errorMessage' => 'Недостаточно средств на балансе'],
    ['status' => 'SUCCESS', 'errorCode' => 30, 'orderid' => '123456'],
    ['status' => 'SUCCESS', 'balance' => '10.50', 'currency' => 'EUR'],
];
// references and shared objects
$x = ['shared' => 1];
$fixed[] = [&$x, &$x];
$y = 5;
$fixed[] = ['a' => &$y, 'b' => &$y, 'c' => $y];
$o = new stdClass();
$o->name = 'twice';
$fixed[] = [$o, $o, 'again' => $o];
$r = new Rec($o, $o, [$o]);
$fixed[] = [$r, $r];
$z = new stdClass();
$fixed[] = [&$z, &$z, $z];

$payloads = [];
foreach ($fixed as $v) {
    $payloads[] = serialize($v);
}
// cycles: PHP accepts them, the codec must reject them (a tree cannot hold a cycle)
$c1 = [];
$c1[0] = &$c1;
$payloads[] = serialize($c1);
$c2 = new stdClass();
$c2->self = $c2;
$payloads[] = serialize($c2);
$c3 = new stdClass();
$c3->list = [1, $c3];
$payloads[] = serialize($c3);
$payloads[] = 'C:3:"Foo":4:{ab;c}';
$payloads[] = 'a:1:{i:0;C:11:"ArrayObject":21:{x:i:0;a:0:{};m:a:0:{}}}';

foreach ($payloads as $p) {
    emit('fixed', $p);
}

// ---- seeded random values ----------------------------------------------------------------
$random = [];
for ($i = 0; $i < ($cli ? 80 : 1000); $i++) {
    $random[] = serialize(rnd_value());
}
foreach ($random as $p) {
    emit('random', $p);
}

// ---- hand-written syntax edges (inputs only; PHP decides) ---------------------------------
$syntax = [
    'i:+5;', 'i:-0;', 'i:007;', 'i: 5;', 'i:5 ;', 'i:;', 'i:-;', 'i:5', 'i:1.5;', 'I:5;',
    'd:.5;', 'd:5.;', 'd:1e5;', 'd:1E+5;', 'd:-1.5e-3;', 'd:INF;', 'd:-INF;', 'd:NAN;', 'd:-NAN;',
    'd:inf;', 'd:1e500;', 'd:-1e500;', 'd:1e-500;', 'd:0x1A;', 'd:;', 'd:+1;', 'd:1.0E+25;', 'd:5;',
    'd:.;', 'd:e5;', 'd:1e;', 'd:00.1;',
    'b:0;', 'b:1;', 'b:2;', 'b:01;', 'b:-1;', 'b:;', 'N;', 'N', 'n;',
    's:0:"";', 's:1:"";', 's:-1:"";', 's:3:"abc"', 's:3:"abc";', 's:3:"abc"x', 's:3:abc;', 's:+3:"abc";',
    's:03:"abc";', 'S:3:"\61bc";', 'S:3:"\6Abc";', 'S:3:"\zzbc";', 'S:1:"\\";',
    'a:0:{}', 'a:0:{', 'a:0:{};', 'a:1:{}', 'a:1:{i:0;}', 'a:1:{i:0;i:1;', 'a:-1:{}', 'a:+1:{i:0;i:1;}',
    'a:1:{d:1.5;i:1;}', 'a:1:{b:1;i:1;}', 'a:1:{N;i:1;}', 'a:1:{a:0:{}i:1;}', 'a:2:{i:0;i:1;i:0;i:2;}',
    'a:2:{s:1:"a";i:1;s:1:"a";i:2;}', 'a:2:{i:5;i:1;s:1:"5";i:2;}', 'a:1:{s:1:"5";i:1;}',
    'a:1:{s:2:"05";i:1;}', 'a:1:{s:20:"99999999999999999999";i:1;}', 'a:1:{s:19:"9223372036854775807";i:1;}',
    'a:1:{s:19:"9223372036854775808";i:1;}', 'a:1:{s:20:"-9223372036854775808";i:1;}', 'a:1:{s:2:"-0";i:1;}',
    'a:1:{i:9223372036854775807;i:1;}', 'a:1:{i:9223372036854775808;i:1;}',
    'O:8:"stdClass":0:{}', 'O:8:"stdClass":1:{s:1:"a";i:1;}', 'O:8:"stdClass":1:{i:5;i:1;}',
    'O:8:"stdClass":2:{s:1:"a";i:1;s:1:"a";i:2;}', 'O:3:"Foo":1:{s:6:"' . "\0*\0abc" . '";i:1;}',
    'O:3:"Foo":1:{s:8:"' . "\0Foo\0abc" . '";i:1;}', 'O:0:"":0:{}', 'O:3:"Foo":0:{};', 'O:3:"Fo":0:{}',
    'O:4:"Foo":0:{}', 'O:3:"1ab":0:{}', 'O:5:"A\\B\\C":0:{}', 'O:3:"F o":0:{}', 'O:3:"Foo":1:{N;i:1;}',
    'O:3:"Foo":1:{d:1;i:1;}', 'O:-1:"Foo":0:{}', 'o:3:"Foo":0:{}',
    'C:3:"Foo":0:{}', 'C:3:"Foo":3:{abc}', 'C:3:"Foo":4:{abc}', 'C:3:"Foo":-1:{}',
    'E:7:"Foo:Bar";', 'E:3:"Foo";',
    'a:2:{i:0;i:1;i:1;R:2;}', 'a:2:{i:0;i:1;i:1;r:2;}', 'a:1:{i:0;R:1;}', 'a:1:{i:0;r:1;}',
    'a:2:{i:0;O:8:"stdClass":0:{}i:1;r:2;}', 'a:2:{i:0;O:8:"stdClass":0:{}i:1;R:2;}',
    'a:2:{i:0;i:1;i:1;R:0;}', 'a:2:{i:0;i:1;i:1;R:3;}', 'a:2:{i:0;i:1;i:1;R:-1;}', 'R:1;', 'r:1;',
    'a:2:{i:0;i:1;i:1;R:99999999999999999999;}', 'a:1:{i:0;R:2;}',
    'a:3:{i:0;a:1:{i:0;i:1;}i:1;R:3;i:2;R:2;}', 'a:2:{i:0;a:1:{i:0;i:1;}i:1;R:2;}',
    'a:3:{i:0;a:0:{}i:1;R:2;i:2;R:3;}', 'O:8:"stdClass":2:{s:1:"a";i:1;s:1:"b";R:2;}',
    'O:8:"stdClass":1:{s:1:"a";R:1;}', 'O:8:"stdClass":1:{s:1:"a";r:1;}',
    '', ' ', ';', 'x', ' i:1;', "i:1;\n", 'i:1;i:2;', 'N;N;',
    // numbers in odd spellings
    'i:1.0;', 'i:0x1;', 'i:1e3;', 'i:--1;', 'i:+-1;', 'i:00000000000000000000000000001;',
    'i:-00000000000000000000000000001;', 'i:9223372036854775807 ;', 'i:' . str_repeat('9', 400) . ';',
    'd:1e+5;', 'd:1.e5;', 'd:-.5;', 'd:1_000;', 'd:0x10;', 'd:infinity;', 'd:NaN;', 'd:nan;', 'd:-nan;',
    'd:- 1;', 'd:1.5e-;', 'd:1.5e+;', 'd:.e1;', 'd:-;', 'd:+;', 'd:+.5;', 'd:00001.5000;', 'd:2.5e-324;',
    'd:4.9e-324;', 'd:2.4703282292062328e-324;', 'd:1.7976931348623157e308;', 'd:1.7976931348623159e308;',
    'd:0.1000000000000000055511151231257827;', 'd:9007199254740993;', 'd:1e-400;', 'd:-0.0;', 'd:-0e5;',
    'd:' . str_repeat('1', 400) . ';', 'd:0.' . str_repeat('0', 400) . '1;', 'd:123456789012345678901234567890;',
    // lengths and counts in odd spellings
    's:+1:"a";', 's:01:"a";', 's: 1:"a";', 's:1 :"a";', 'a:01:{i:0;i:1;}', 'a:+0:{}', 'a:00:{}',
    'O:+8:"stdClass":0:{}', 'O:08:"stdClass":0:{}', 'O:8:"stdClass":+0:{}', 'O:8:"stdClass":-0:{}',
    'O:8:"stdClass":01:{s:1:"a";i:1;}', 'C:+3:"Foo":0:{}', 'C:3:"Foo":+0:{}', 'C:3:"Foo":01:{a}',
    'a:1:{i:+5;i:1;}', 'a:1:{i:-0;i:1;}', 'a:1:{i:05;i:1;}', 'a:1:{S:1:"\35";i:1;}', 'a:1:{S:2:"\30\35";i:1;}',
    // class names
    'O:3:"a-b":0:{}', 'O:2:"' . "\x80" . 'a":0:{}', 'O:1:"_":0:{}', 'O:4:"\\Foo":0:{}', 'O:3:"a:b":0:{}',
    'O:3:"Foo":0:{}', 'O:3:"foo":0:{}', 'O:6:"Foo\\\\":0:{}', 'O:1:"1":0:{}', 'O:3:"' . "\xd0\x96" . 'a":0:{}',
    // (Not 'O:22:"__PHP_Incomplete_Class":1:{s:27:"__PHP_Incomplete_Class_Name";...}': PHP then
    // reports the property as the class, an engine quirk a data codec rightly does not copy.)
    'O:22:"__PHP_Incomplete_Class":0:{}',
    'E:8:"Foo:Bar:";', 'E:4:"Foo:";', 'E:4:":Bar";', 'E:1:":";',
    // references: slots, overwritten keys, objects, custom
    'a:2:{i:0;i:1;i:0;R:2;}', 'a:3:{i:0;i:1;i:0;i:2;i:1;R:2;}', 'a:3:{i:0;i:1;i:0;i:2;i:1;R:3;}',
    'a:3:{i:0;i:1;i:0;i:2;i:1;R:4;}', 'a:2:{i:0;a:1:{i:0;i:5;}i:1;R:3;}', 'a:2:{i:0;a:1:{i:0;i:5;}i:1;r:3;}',
    'a:2:{i:0;C:3:"Foo":1:{x}i:1;r:2;}', 'a:2:{i:0;C:3:"Foo":1:{x}i:1;R:2;}',
    'a:2:{i:0;O:3:"Foo":1:{s:1:"p";i:7;}i:1;R:3;}', 'a:2:{i:0;O:3:"Foo":1:{s:1:"p";i:7;}i:1;r:3;}',
    'a:3:{i:0;O:3:"Foo":1:{s:1:"p";O:3:"Bar":0:{}}i:1;r:3;i:2;r:2;}', 'a:2:{i:0;N;i:1;R:2;}', 'a:2:{i:0;N;i:1;r:2;}',
    'a:2:{i:0;b:1;i:1;R:2;}', 'a:2:{i:0;d:NAN;i:1;R:2;}', 'a:2:{i:0;s:1:"x";i:1;R:2;}',
    'a:2:{s:1:"k";i:1;s:1:"k";R:2;}', 'O:8:"stdClass":2:{s:1:"a";i:1;s:1:"a";R:2;}',
    'a:2:{i:0;a:0:{}i:1;R:2;}', 'a:2:{i:0;a:0:{}i:1;r:2;}', 'a:1:{i:0;R:+2;}', 'a:2:{i:0;i:1;i:1;R:02;}',
    'a:2:{i:0;i:1;i:1;R: 2;}', 'a:2:{i:0;i:1;i:1;R:2 ;}',
];
foreach ($syntax as $p) {
    emit('syntax', $p);
}

// ---- integer overflow --------------------------------------------------------------------
foreach ([
    'i:9223372036854775807;', 'i:9223372036854775808;', 'i:-9223372036854775808;',
    'i:-9223372036854775809;', 'i:99999999999999999999999999;', 'i:-99999999999999999999999999;',
    'i:18446744073709551616;', 'a:1:{i:0;i:9223372036854775808;}',
    'a:99999999999999999999:{}', 'a:18446744073709551617:{i:0;i:1;}',
    's:18446744073709551616:"";', 's:18446744073709551617:"a";', 's:99999999999:"', 's:99999999999:"abc";',
    's:2147483648:"";', 's:4294967297:"a";',
] as $p) {
    emit('overflow', $p);
}

// ---- deep nesting around unserialize_max_depth (4096) ----------------------------------------
foreach ([1, 2, 100, 4094, 4095, 4096, 4097, 4100, 10000] as $n) {
    emit('depth', str_repeat('a:1:{i:0;', $n) . 'N;' . str_repeat('}', $n));
}
foreach ([4095, 4096, 4097] as $n) {
    emit('depth', str_repeat('O:8:"stdClass":1:{s:1:"a";', $n) . 'i:1;' . str_repeat('}', $n));
    $half = intdiv($n, 2);
    emit('depth', str_repeat('a:1:{i:0;O:1:"X":1:{s:1:"p";', $half) . 'a:0:{}'
        . str_repeat('}}', $half));
    emit('depth', str_repeat('a:1:{i:0;', $n - 1) . 'a:0:{}' . str_repeat('}', $n - 1));
}

// ---- every real payload truncated at every byte ------------------------------------------
$short = fn(array $ps, int $max) => array_values(array_filter($ps, fn($p) => strlen($p) <= $max));
$real = array_merge(array_slice($short($payloads, 2000), 0, $cli ? 20 : 1000), array_slice($short($random, 300), 0, $cli ? 5 : 40));
$k = 0;
foreach ($real as $p) {
    for ($i = 0; $i < strlen($p); $i++) {
        if (!$cli || ($k++ % 23) === 0) {
            emit('truncated', substr($p, 0, $i));
        }
    }
}

// ---- wrong string lengths and element counts --------------------------------------------
$lenSources = array_merge($payloads, array_slice($short($random, 1000), 0, 100));
$k = 0;
foreach ($lenSources as $p) {
    if (!preg_match_all('/([saOCS]):(\d+):/', $p, $m, PREG_OFFSET_CAPTURE)) {
        continue;
    }
    foreach (array_slice($m[2], 0, 6) as [$num, $off]) {
        foreach ([(int)$num - 1, (int)$num + 1, (int)$num + 1000, 99999999999, 0] as $new) {
            if ($new < 0 || $new === (int)$num) {
                continue;
            }
            if (!$cli || ($k++ % 17) === 0) {
                emit('lengths', substr($p, 0, $off) . $new . substr($p, $off + strlen($num)));
            }
        }
    }
}

// ---- trailing bytes ------------------------------------------------------------------------
foreach (array_slice($payloads, 0, $cli ? 8 : 40) as $p) {
    foreach ([';', 'x', "\0", 'i:1;', '}', ' '] as $t) {
        emit('trailing', $p . $t);
    }
}

// ---- bad type letters ------------------------------------------------------------------------
$letters = str_split('abcdeiNOsSrRCEfgxyz0;:{}"');
foreach (array_slice($payloads, 0, $cli ? 10 : count($payloads)) as $p) {
    foreach (array_slice(str_split('abcdiNOrRCES'), 0, 12) as $tl) {
        $pos = strpos($p, $tl . ':');
        if ($pos === false) {
            continue;
        }
        foreach ($letters as $l) {
            if ($l !== $tl && ($cli ? mt_rand(0, 9) === 0 : true)) {
                emit('badtype', substr($p, 0, $pos) . $l . substr($p, $pos + 1));
            }
        }
    }
}

// ---- seeded random mutations ---------------------------------------------------------------
$interesting = str_split(':;{}"0123456789-+.eEsSadiObNrRC') + [];
$pool = array_values(array_filter(array_merge($payloads, $random), fn($p) => strlen($p) <= 400));
for ($i = 0; $i < ($cli ? 60 : 8000); $i++) {
    $p = pick($pool);
    $rounds = mt_rand(1, 3);
    for ($r = 0; $r < $rounds && $p !== ''; $r++) {
        $pos = mt_rand(0, strlen($p) - 1);
        switch (mt_rand(0, 4)) {
            case 0:
                $p[$pos] = chr(mt_rand(0, 255));
                break;
            case 1:
                $p[$pos] = pick($interesting);
                break;
            case 2:
                $p = substr($p, 0, $pos) . substr($p, $pos + 1);
                break;
            case 3:
                $p = substr($p, 0, $pos) . pick($interesting) . substr($p, $pos);
                break;
            default:
                $len = mt_rand(1, 12);
                $p = substr($p, 0, $pos) . substr($p, $pos, $len) . substr($p, $pos);
        }
    }
    emit('mutated', $p);
}
// ---- a reference to a value still being built, then overwritten by a duplicate key before its
// container closes: PHP has no cycle left ([5], {"a":5}); one that survives is still a cycle ----
foreach (['a:2:{i:0;R:1;i:0;i:5;}', 'O:8:"stdClass":2:{s:1:"a";r:1;s:1:"a";i:5;}',
    'a:1:{i:0;a:2:{i:0;R:1;i:0;i:5;}}', 'a:1:{i:0;a:2:{i:0;R:2;i:0;i:5;}}',
    'a:3:{i:0;R:1;i:1;i:2;i:0;i:5;}', 'a:3:{i:0;R:1;i:1;R:1;i:0;i:5;}', 'a:2:{i:0;R:1;i:1;i:5;}',
    'O:8:"stdClass":3:{s:1:"a";r:1;s:1:"b";R:2;s:1:"a";i:5;}',
    'O:8:"stdClass":3:{s:1:"a";r:1;s:1:"a";i:5;s:1:"b";R:2;}',
    'a:2:{i:0;a:1:{i:0;R:1;}i:0;i:5;}', 'a:2:{s:1:"0";R:1;i:0;s:1:"x";}'] as $p) {
    emit('overwrite', $p);
}

// ---- E: enums, read with the enums defined and allowed (with allowed_classes=false PHP
// rejects every E:, where the codec reads it as data) ------------------------------------------
foreach ([Suit::Hearts, Suit::Spades, Status::Active, [Suit::Hearts, 'x' => Status::Archived, Suit::Hearts],
    ['status' => Status::Active, 'nested' => [Suit::Spades]], (object)['s' => Suit::Spades]] as $v) {
    emit('enum', serialize($v), true);
}

fwrite(STDERR, "gen_cases: $emitted cases\n");
