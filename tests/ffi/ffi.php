<?php
// php_ffi: include/vpsgate.h loads AS COMMITTED in PHP's FFI::cdef, and a few calls work.
//   php -d ffi.enable=1 tests/ffi/ffi.php include/vpsgate.h path/to/libvpsgate.so
[$_, $header, $lib] = $argv;
$ffi = FFI::cdef(file_get_contents($header), $lib);
$fail = 0;
function check(bool $ok, string $what): void { global $fail; if (!$ok) { fwrite(STDERR, "FAIL: $what\n"); $fail++; } }

check($ffi->vpsgate_version() === '0.1.0', 'version');
check($ffi->VPSGATE_GATEWAY === 7 && $ffi->VPSGATE_PANIC === 100, 'enum constants');

$in = 'a:2:{i:0;s:1:"a";i:1;d:0.1;}';
$out = $ffi->new('char*');
$err = $ffi->new('vpsgate_error*');
$st = $ffi->vpsgate_decode_to_json($in, strlen($in), $ffi->VPSGATE_SOURCE_PHP, FFI::addr($out), FFI::addr($err));
check($st === 0, 'decode status');
check(FFI::string($out) === '["a",0.1]', 'decode result');
$ffi->vpsgate_string_free($out);

$bad = 'a:1:{';
$st = $ffi->vpsgate_decode_to_json($bad, strlen($bad), 1, FFI::addr($out), FFI::addr($err));
check($st === 2, 'decode error status');
$e = json_decode($ffi->vpsgate_error_json($err), true);
check($e['name'] === 'php_syntax' && $e['code'] === 2, 'error json');
$ffi->vpsgate_error_free($err);

$st = $ffi->vpsgate_test_panic(FFI::addr($err));
check($st === 100, 'panic status');
check(str_contains($ffi->vpsgate_error_message($err), 'vpsgate_test_panic'), 'panic message');
$ffi->vpsgate_error_free($err);

$cfg = '{"provider":"govpsfx","partner_code":"14321","secret":"sdsd4223dsd"}';
$p = $ffi->new('vpsgate_provider*');
check($ffi->vpsgate_provider_new($cfg, strlen($cfg), FFI::addr($p), null) === 0, 'provider');
$args = '{"rate":"singapore","term":1,"client_id":"ID16773"}';
$req = $ffi->new('vpsgate_request*');
check($ffi->vpsgate_provider_command_request($p, 'lease', $args, strlen($args), FFI::addr($req), null) === 0, 'lease request');
// const char * results arrive as PHP strings (the body holds no NUL: it is form-encoded).
$body = $ffi->vpsgate_request_body($req);
check(strlen($body) === $ffi->vpsgate_request_body_len($req), 'body length');
check(str_ends_with($body, '&hash=8cfff6fb2b39a4f0c9d6d7413e9439f6'), "lease body $body");
$ffi->vpsgate_request_free($req);
$ffi->vpsgate_provider_free($p);

if ($fail) { exit(1); }
echo "php_ffi: header loads in FFI::cdef, calls ok\n";
