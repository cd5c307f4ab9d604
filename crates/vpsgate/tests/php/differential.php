<?php
// The differential generator: `php differential.php SEED COUNT` writes COUNT random nested values
// (every scalar type, Cyrillic and binary strings, mixed, sparse and negative keys, objects,
// PHP references R: and object back-references r:, and now and then a deep chain of nesting),
// each as one line `<hex of serialize($v)> <canonical dump of $v>` (the dump grammar is in
// lib.php). Seeded: the same SEED and COUNT give the same lines.
declare(strict_types=1);
require __DIR__ . '/lib.php';

[$seed, $count] = [(int)($argv[1] ?? 1), (int)($argv[2] ?? 1000)];
mt_srand($seed);

// A value nested 20 to 400 levels deep: arrays and objects alternate, with siblings on the way.
function rnd_deep()
{
    $v = rnd_scalar();
    $n = mt_rand(20, 400);
    for ($i = 0; $i < $n; $i++) {
        switch (mt_rand(0, 3)) {
            case 0:
                $v = [$v];
                break;
            case 1:
                $v = [rnd_key() => $v, 'x' => rnd_scalar()];
                break;
            case 2:
                $v = (object)['p' => $v];
                break;
            default:
                $v = [-mt_rand(1, 9) => rnd_scalar(), mt_rand(100, 1000) => $v];
        }
    }
    return $v;
}

for ($i = 0; $i < $count; $i++) {
    $v = mt_rand(0, 49) === 0 ? rnd_deep() : rnd_value();
    $s = serialize($v);
    // canon() follows references; its depth limit only separates cycles from values, and a
    // serialize() of n bytes is never deeper than n.
    echo bin2hex($s), ' ', canon($v, strlen($s) + 2), "\n";
}
