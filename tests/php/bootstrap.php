<?php

/**
 * Bootstrap of the PHP suites: the package's own autoloader (no Composer), the library from
 * VPSGATE_LIB, and the sandbox scripts/test-php.sh started (VPSGATE_SANDBOX_URL, its state file
 * VPSGATE_SANDBOX_STATE).
 */

declare(strict_types=1);

require dirname(__DIR__, 2) . '/bindings/php/autoload.php';
require __DIR__ . '/support/Sandbox.php';
require __DIR__ . '/support/panel_stubs.php';

foreach (['VPSGATE_LIB', 'VPSGATE_SANDBOX_URL', 'VPSGATE_SANDBOX_STATE'] as $name) {
    if (getenv($name) === false || getenv($name) === '') {
        fwrite(STDERR, "tests/php: $name is not set; run scripts/test-php.sh\n");
        exit(2);
    }
}
