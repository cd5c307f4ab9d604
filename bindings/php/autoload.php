<?php

/**
 * A PSR-4 autoloader for the Vpsgate namespace, for installs without Composer:
 * `require '/path/to/bindings/php/autoload.php';`. With Composer, its own autoloader reads the
 * same mapping from composer.json and this file is not needed.
 */

declare(strict_types=1);

spl_autoload_register(static function (string $class): void {
    $prefix = 'Vpsgate\\';
    if (strncmp($class, $prefix, strlen($prefix)) !== 0) {
        return;
    }
    $file = __DIR__ . '/src/' . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
    if (is_file($file)) {
        require $file;
    }
});
