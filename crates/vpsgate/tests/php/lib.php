<?php
// Shared helpers for the PHP comparison suite: the verdict of unserialize(), a canonical dump
// that the Rust side reproduces from php::Value, the json_encode shaping the CLI must match,
// and a seeded generator of values.
declare(strict_types=1);

const CANON_BUDGET = 300000;

final class CanonCycle extends Exception {}
final class CanonHuge extends Exception {}

/**
 * Canonical dump. Grammar (the Rust test builds the same string from php::Value):
 *   N | b0 | b1 | i<decimal> | d<16 hex digits of the IEEE bits, big-endian> | dnan
 *   s<hex bytes> | a<count>{<key>:<value>,...} | o<class hex>{<key>:<value>,...}
 *   e<class hex>:<case hex>   key = i<decimal> | s<hex>
 * Object property keys are always s<hex> (an int property name is its decimal string); the class
 * of an incomplete object is its __PHP_Incomplete_Class_Name, and that key is dropped.
 * References are followed. Cycles: an object met again on its own path, or (arrays, which PHP
 * userland cannot identify without mutating them, which crashes PHP 8.2 on a top-level `R:1`)
 * nesting deeper than $maxDepth; an acyclic value read from n bytes is never deeper than n.
 * A cycle throws CanonCycle, more than CANON_BUDGET nodes CanonHuge.
 */
function canon($v, int $maxDepth): string
{
    $budget = CANON_BUDGET;
    $objs = [];
    return canon_rec($v, $budget, $objs, $maxDepth);
}

function canon_key($k, bool $obj): string
{
    if (is_int($k)) {
        return $obj ? 's' . bin2hex((string)$k) : 'i' . $k;
    }
    return 's' . bin2hex($k);
}

function canon_rec($v, int &$budget, array &$objs, int $depthLeft): string
{
    if (--$budget < 0) {
        throw new CanonHuge();
    }
    if ($depthLeft < 0) {
        throw new CanonCycle();
    }
    if ($v === null) {
        return 'N';
    }
    if (is_bool($v)) {
        return $v ? 'b1' : 'b0';
    }
    if (is_int($v)) {
        return 'i' . $v;
    }
    if (is_float($v)) {
        return is_nan($v) ? 'dnan' : 'd' . bin2hex(pack('E', $v));
    }
    if (is_string($v)) {
        return 's' . bin2hex($v);
    }
    if (is_array($v)) {
        $out = 'a' . count($v) . '{';
        foreach ($v as $k => $c) {
            $out .= canon_key($k, false) . ':' . canon_rec($c, $budget, $objs, $depthLeft - 1) . ',';
        }
        return $out . '}';
    }
    if ($v instanceof UnitEnum) {
        return 'e' . bin2hex(get_class($v)) . ':' . bin2hex($v->name);
    }
    if (is_object($v)) {
        $id = spl_object_id($v);
        if (isset($objs[$id])) {
            throw new CanonCycle();
        }
        $objs[$id] = true;
        $props = (array)$v;
        $class = get_class($v);
        if ($v instanceof __PHP_Incomplete_Class) {
            $name = $props['__PHP_Incomplete_Class_Name'] ?? null;
            $class = is_string($name) ? $name : $class;
            unset($props['__PHP_Incomplete_Class_Name']);
        }
        $out = 'o' . bin2hex($class) . '{';
        foreach ($props as $k => $c) {
            $out .= canon_key($k, true) . ':' . canon_rec($c, $budget, $objs, $depthLeft - 1) . ',';
        }
        unset($objs[$id]);
        return $out . '}';
    }
    return '?' . gettype($v);
}

/**
 * unserialize($s, ['allowed_classes' => $allowed]) with its verdict:
 * ['ok' => bool, 'w' => [warnings], 'd' => dump|'CYCLE'|'HUGE'|null, 'v' => value].
 * A `false` result is a rejection unless the input starts with `b:0;` (PHP 8.2 ignores trailing
 * bytes, so the valid false is exactly that prefix).
 */
function verdict(string $s, $allowed = false): array
{
    $warnings = [];
    set_error_handler(function (int $no, string $str) use (&$warnings) {
        $warnings[] = $str;
        return true;
    });
    try {
        $v = unserialize($s, ['allowed_classes' => $allowed]);
    } catch (Throwable $e) {
        restore_error_handler();
        return ['ok' => false, 'w' => ['exception: ' . $e->getMessage()], 'd' => null, 'v' => null];
    }
    restore_error_handler();
    $ok = !($v === false && strncmp($s, 'b:0;', 4) !== 0);
    $d = null;
    if ($ok) {
        try {
            $d = canon($v, strlen($s) + 2);
        } catch (CanonCycle $e) {
            $d = 'CYCLE';
        } catch (CanonHuge $e) {
            $d = 'HUGE';
        }
    }
    return ['ok' => $ok, 'w' => $warnings, 'd' => $d, 'v' => $ok ? $v : null];
}

/** json_encode shaping the CLI must reproduce; null for cycles/huge values. */
function php_json($v, int $maxDepth): ?string
{
    $budget = CANON_BUDGET;
    try {
        $shaped = json_shape($v, $budget, [], $maxDepth);
    } catch (Throwable $e) {
        return null;
    }
    $j = json_encode(
        $shaped,
        JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE
            | JSON_PRESERVE_ZERO_FRACTION,
        100000
    );
    return $j === false ? null : $j;
}

/** NAN/INF/-INF as strings; objects as json_encode sees them (public properties only). */
function json_shape($v, int &$budget, array $objs, int $depthLeft)
{
    if (--$budget < 0) {
        throw new CanonHuge();
    }
    if ($depthLeft < 0) {
        throw new CanonCycle();
    }
    if (is_float($v)) {
        if (is_nan($v)) {
            return 'NAN';
        }
        if (is_infinite($v)) {
            return $v > 0 ? 'INF' : '-INF';
        }
        return $v;
    }
    if (is_array($v)) {
        $out = [];
        foreach ($v as $k => $c) {
            $out[$k] = json_shape($c, $budget, $objs, $depthLeft - 1);
        }
        return $out;
    }
    if (is_object($v) && !($v instanceof UnitEnum)) {
        $id = spl_object_id($v);
        if (isset($objs[$id])) {
            throw new CanonCycle();
        }
        $objs[$id] = true;
        $out = new stdClass();
        foreach ((array)$v as $k => $c) {
            if (is_string($k) && $k !== '' && $k[0] === "\0") {
                continue; // private/protected: json_encode skips them
            }
            $out->{$k} = json_shape($c, $budget, $objs, $depthLeft - 1);
        }
        return $out;
    }
    return $v;
}

// ---- seeded value generator --------------------------------------------------------------

#[AllowDynamicProperties]
class Rec
{
    public $pub;
    protected $prot;
    private $priv;
    public function __construct($a, $b, $c)
    {
        $this->pub = $a;
        $this->prot = $b;
        $this->priv = $c;
    }
}

function pick(array $xs)
{
    return $xs[mt_rand(0, count($xs) - 1)];
}

function rnd_bits64(): int
{
    return (mt_rand(0, 0xffffffff) << 32) | mt_rand(0, 0xffffffff);
}

function rnd_int(): int
{
    switch (mt_rand(0, 5)) {
        case 0:
            return pick([0, 1, -1, PHP_INT_MAX, PHP_INT_MIN, PHP_INT_MAX - 1, PHP_INT_MIN + 1]);
        case 1:
            return rnd_bits64();
        case 2:
            return mt_rand(-1000000, 1000000) * mt_rand(1, 1000000);
        default:
            return mt_rand(-100, 1000);
    }
}

function rnd_float(): float
{
    switch (mt_rand(0, 5)) {
        case 0:
            return pick([INF, -INF, NAN, -0.0, 0.0, 1e25, 0.1, 1e-7, 1.0, -1.5, 1e308, 5e-324,
                2.2250738585072014e-308, (float)PHP_INT_MAX, 0.30000000000000004, 123456789.125]);
        case 1:
            $f = unpack('E', pack('J', rnd_bits64()))[1];
            return $f;
        case 2:
            return mt_rand(-100000, 100000) / 100;
        default:
            return (mt_rand() / mt_getrandmax()) * (10 ** mt_rand(-30, 30)) * pick([1, -1]);
    }
}

function rnd_string(int $max = 24): string
{
    $atoms = ['a', 'b', 'z', '0', '9', ' ', '"', ';', ':', '{', '}', "\0", "\\", "\n", "'",
        'д', 'Ж', 'я', '€', '😀', "\xff", "\xfe", "\xc3", "\x80", "\xe2\x82", 's:1:"', 'N;', 'i:'];
    $n = mt_rand(0, $max);
    $s = '';
    for ($i = 0; $i < $n; $i++) {
        $s .= mt_rand(0, 2) ? chr(mt_rand(0x61, 0x7a)) : pick($atoms);
    }
    return $s;
}

function rnd_key()
{
    switch (mt_rand(0, 6)) {
        case 0:
            return rnd_int();
        case 1:
            return pick(['5', '05', '-3', '-0', '1.5', ' 1', '1 ', '9223372036854775807',
                '9223372036854775808', '-9223372036854775808', '-9223372036854775809', '', '0x1A',
                '1e3', "\0"]);
        case 2:
        case 3:
            return rnd_string(10);
        default:
            return mt_rand(0, 20);
    }
}

function rnd_scalar()
{
    switch (mt_rand(0, 6)) {
        case 0:
            return null;
        case 1:
            return (bool)mt_rand(0, 1);
        case 2:
            return rnd_int();
        case 3:
            return rnd_float();
        default:
            return rnd_string();
    }
}

function rnd_value(int $depth = 0)
{
    if ($depth > 4 || mt_rand(0, 9) < 4 + $depth) {
        return rnd_scalar();
    }
    switch (mt_rand(0, 9)) {
        case 0:
            $props = [];
            $n = mt_rand(0, 4);
            for ($i = 0; $i < $n; $i++) {
                $props[rnd_key()] = rnd_value($depth + 1);
            }
            return (object)$props;
        case 1:
            return new Rec(rnd_value($depth + 1), rnd_value($depth + 1), rnd_value($depth + 1));
        case 2:
            // PHP references (R:) and one object seen twice (r:)
            $x = rnd_value($depth + 1);
            $o = new stdClass();
            $o->v = rnd_scalar();
            $arr = [&$x, 'o' => $o, 'again' => &$x, 'o2' => $o];
            if (mt_rand(0, 1)) {
                $arr[] = [&$x, $o];
            }
            return $arr;
        case 3:
            $n = mt_rand(0, 6);
            $a = [];
            for ($i = 0; $i < $n; $i++) {
                $a[] = rnd_value($depth + 1);
            }
            return $a;
        default:
            $n = mt_rand(0, 6);
            $a = [];
            for ($i = 0; $i < $n; $i++) {
                $a[rnd_key()] = rnd_value($depth + 1);
            }
            return $a;
    }
}

/** A getOrders answer as a PHP backend that read a database sends it (all strings). */
function orders_answer(int $n, bool $keyed = false): array
{
    $orders = [];
    $vids = ['hosting', 'vds', 'dedicated'];
    for ($i = 0; $i < $n; $i++) {
        $id = 100000 + $i * 7;
        $o = [
            'orderid' => (string)$id,
            'domain' => ($i % 5 === 0) ? '' : "site$i.example.com",
            'domain_reg' => (string)[0, 1, 3][$i % 3],
            'vid' => $vids[$i % 3],
            'tarifid' => (string)(10 + $i % 40),
            'tarifname' => ($i % 4 === 0) ? 'VDS-Старт ' . ($i % 9) : 'Hosting-' . ($i % 17),
            'orderdate' => sprintf('2024-%02d-%02d', 1 + $i % 12, 1 + $i % 28),
            'startdate' => sprintf('2024-%02d-%02d', 1 + $i % 12, 2 + $i % 27),
            'todate' => sprintf('2025-%02d-%02d', 1 + $i % 12, 2 + $i % 27),
            'leftdays' => (string)(($i * 37) % 400 - 20),
            'status' => (string)($i % 4),
        ];
        if ($keyed) {
            $orders[$o['orderid']] = $o;
        } else {
            $orders[] = $o;
        }
    }
    return ['status' => 'SUCCESS', 'orders' => $orders];
}

function tarifs_answer(int $n = 4): array
{
    $t = [];
    for ($i = 1; $i <= $n; $i++) {
        $t[] = [
            'id' => (string)$i,
            'vid' => 'vds',
            'name' => "VDS-$i Старт",
            'costMonthly' => number_format($i * 4.99, 2, '.', ''),
            'costSetup' => $i % 2 ? '0' : 0.5,
            'currency' => 'EUR',
            'allowWithoutDomain' => $i % 2 ? '1' : 1,
            'months' => [
                ['months' => '1', 'discount' => '0', 'allowForNewOrder' => '1', 'allowForRenew' => '1'],
                ['months' => 12, 'discount' => 10.5, 'allowForNewOrder' => true, 'allowForRenew' => '0'],
            ],
            'addons' => $i % 4 === 2 ? [] : [['id' => '7', 'name' => 'IPv4', 'costMonthly' => '2.00', 'costSetup' => '0.00']],
        ];
    }
    return ['status' => 'SUCCESS', 'tarifs' => $t];
}

enum Suit: string
{
    case Hearts = 'H';
    case Spades = 'S';
}

enum Status
{
    case Active;
    case Archived;
}
