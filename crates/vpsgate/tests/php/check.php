<?php
// Reads hex-encoded serialized inputs (one per line) from the file named by argv[1] and prints
// PHP's verdict for each as a JSON line {"ok", "w", "d"} (see lib.php). Used to check that what
// the Rust serializer writes reads back in PHP as the same value.
declare(strict_types=1);
require __DIR__ . '/lib.php';

$allowed = in_array('--allow-classes', $argv, true);
foreach (file($argv[1], FILE_IGNORE_NEW_LINES) as $line) {
    $in = hex2bin($line);
    $r = verdict($in, $allowed);
    echo json_encode(['ok' => $r['ok'], 'w' => $r['w'], 'd' => $r['d']], JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR), "\n";
}
