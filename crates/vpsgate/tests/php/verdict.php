<?php
// Prints the verdict the codec owes on the file named by argv[1]: PHP 8.2's
// unserialize($s, ['allowed_classes' => false]) verdict, adjusted for the documented divergences
// (integer overflow and cycles/huge expansions: reject; E: enums: accept if the rest is valid).
// Used to name the files kept in tests/fuzz-crashers/ (`*.accept` / `*.reject`).
declare(strict_types=1);
require __DIR__ . '/lib.php';

$s = file_get_contents($argv[1]);
$r = verdict($s);
$overflow = (bool)array_filter($r['w'], fn($w) => str_contains($w, 'Numerical result out of range'));
if ($r['ok']) {
    echo ($overflow || $r['d'] === 'CYCLE' || $r['d'] === 'HUGE') ? 'reject' : 'accept';
} elseif (str_contains($s, 'E:')) {
    echo 'unknown'; // PHP rejects every E: without the class; decide by hand
} else {
    echo 'reject';
}
echo "\n";
