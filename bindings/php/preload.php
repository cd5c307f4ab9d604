<?php

/**
 * The opcache.preload script for PHP-FPM with `ffi.enable=preload`: compiles the package's
 * classes once and loads libvpsgate as the FFI scope `vpsgate` (FFI::load); every request then
 * takes that scope with FFI::scope() through Vpsgate\Library. See README.md "PHP-FPM".
 *
 * The library is VPSGATE_LIB of the FPM master's environment, or the path in the constant
 * VPSGATE_PRELOAD_LIB when a wrapper preload script defines it first.
 */

declare(strict_types=1);

require_once __DIR__ . '/autoload.php';

$vpsgateFiles = new RecursiveIteratorIterator(new RecursiveDirectoryIterator(__DIR__ . '/src', FilesystemIterator::SKIP_DOTS));
foreach ($vpsgateFiles as $vpsgateFile) {
    if ($vpsgateFile->getExtension() === 'php') {
        $class = 'Vpsgate\\' . str_replace('/', '\\', substr($vpsgateFile->getPathname(), strlen(__DIR__ . '/src/'), -4));
        class_exists($class) || interface_exists($class);
    }
}

Vpsgate\Library::preload(defined('VPSGATE_PRELOAD_LIB') ? (string) constant('VPSGATE_PRELOAD_LIB') : null);
