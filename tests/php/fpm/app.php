<?php

/**
 * The page FpmTest requests from a real PHP-FPM worker with ffi.enable=preload: creates a
 * Friendhosting order through the module and suspends it, and answers what happened as JSON.
 * Query: `sandbox` (host:port of the sandbox).
 */

declare(strict_types=1);

require dirname(__DIR__) . '/support/panel_stubs.php';
require dirname(__DIR__, 3) . '/bindings/whmcs/modules/servers/vpsgate/vpsgate.php';

header('Content-Type: application/json');
$model = new Vpsgate\Tests\ServiceModel();
$params = [
    'serverhostname' => (string) ($_GET['sandbox'] ?? ''), 'serversecure' => '',
    'serverusername' => 'demo', 'serverpassword' => '', 'serveraccesshash' => 'demo-key',
    'serviceid' => (string) random_int(1, 1000000),
    'configoption1' => 'friendhosting', 'configoption2' => '201', 'configoption3' => '1',
    'configoption4' => 'vds', 'configoption5' => '', 'domain' => '', 'customfields' => [], 'model' => $model,
];
$created = vpsgate_CreateAccount($params);
$id = $model->serviceProperties->saved['vpsgate service id'] ?? '';
$params['customfields'] = ['vpsgate service id' => $id];
$suspended = vpsgate_SuspendAccount($params);
echo json_encode([
    'pid' => getmypid(),
    'ffi_enable' => ini_get('ffi.enable'),
    'ffi_source' => Vpsgate\Library::source(),
    'create' => $created,
    'suspend' => $suspended,
    'id' => $id,
]);
