<?php
// Generates govpsfx_sign_vectors.json: md5 signatures computed by real PHP 8.2 mb_strtolower + md5,
// the rule GoVPSFX documents. Needs the mbstring extension:
//   php tests/govpsfx_sign_vectors.php > tests/govpsfx_sign_vectors.json
// (without a system-wide mbstring, load one: php -d extension=/path/to/mbstring.so ...)
if (!function_exists('mb_strtolower')) {
    fwrite(STDERR, "mbstring is required\n");
    exit(1);
}
$cases = [
    // The provider's own test vector.
    ['rate' => 'singapore', 'term' => '1', 'partner_code' => '14321', 'secret' => 'sdsd4223dsd'],
    ['rate' => 'france_classic', 'term' => '12', 'partner_code' => '1880', 'secret' => 'S3CRET-Key'],
    ['term' => '3', 'partner_code' => '1880', 'secret' => 'AbC'],
    ['server_id' => 'ID16773', 'partner_code' => '1880', 'secret' => 'PaSs'],
    ['rate' => 'France_Mini', 'term' => '6', 'server_id' => 'SRV-9', 'partner_code' => 'P1', 'secret' => 'x'],
    // Final sigma: mb_strtolower maps every capital sigma to σ (U+03C3), never ς.
    ['rate' => 'ΟΔΟΣ', 'term' => '1', 'partner_code' => '1880', 'secret' => 'ΚΛΕΙΔΙΣ'],
    // Full case mapping: İ (U+0130) becomes "i" + combining dot above.
    ['rate' => 'İSTANBUL', 'term' => '9', 'partner_code' => '1880', 'secret' => 'Ünïcödé'],
    // Cyrillic, German sharp s capital (U+1E9E), title-case digraph ǅ, Georgian Mtavruli.
    ['rate' => 'МОСКВА', 'term' => '3', 'partner_code' => 'ẞ', 'secret' => 'ǅᲐᲑ'],
    // Letters newer than PHP 8.2's Unicode (Cyrillic TJE U+1C89, U+A7CB, Garay U+10D50): unchanged.
    ['rate' => "\u{1C89}\u{A7CB}", 'term' => '6', 'server_id' => "\u{10D50}X", 'partner_code' => '1', 'secret' => 'K'],
    // Nothing to lower-case, empty secret.
    ['rate' => 'r', 'term' => '1', 'partner_code' => '7', 'secret' => ''],
];
$out = [];
foreach ($cases as $c) {
    $s = '';
    foreach (['rate', 'term', 'server_id', 'partner_code'] as $k) {
        if (array_key_exists($k, $c)) {
            $s .= $c[$k];
        }
    }
    $s .= $c['secret'];
    $lower = mb_strtolower($s, 'UTF-8');
    $c['lowered'] = $lower;
    $c['hash'] = md5($lower);
    $out[] = $c;
}
// Every code point, one string per Unicode plane (surrogates skipped): md5 of its lower-case form.
$planes = [];
for ($plane = 0; $plane <= 16; $plane++) {
    $s = '';
    for ($cp = $plane << 16; $cp < ($plane + 1) << 16; $cp++) {
        if ($cp >= 0xD800 && $cp <= 0xDFFF) {
            continue;
        }
        $s .= mb_chr($cp, 'UTF-8');
    }
    $planes[] = ['plane' => $plane, 'md5' => md5(mb_strtolower($s, 'UTF-8'))];
}
echo json_encode(['php' => PHP_VERSION, 'vectors' => $out, 'planes' => $planes], JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES), "\n";
