<?php

/**
 * vpsgate: a WHMCS-style server (provisioning) module for Friendhosting / RootPanel and GoVPSFX,
 * over the Vpsgate PHP package (bindings/php) and libvpsgate.
 *
 * Where things come from in `$params`:
 * - server: `serverhostname` (host or host:port), `serversecure` (https; plain http only to
 *   loopback), `serverusername` (Friendhosting login / GoVPSFX partner code), `serverpassword`
 *   (Friendhosting password / GoVPSFX secret), `serveraccesshash` (Friendhosting API key, used
 *   instead of the password when set);
 * - product: `configoption1` provider, `configoption2` plan (tarifid / rate), `configoption3`
 *   months, `configoption4` Friendhosting vid, `configoption5` Friendhosting add-on ids (comma-separated);
 * - service: `domain` (Friendhosting), GoVPSFX `client_id` = "ID" . `serviceid`; the upstream id
 *   is saved as the service property `vpsgate service id` and read from
 *   `$params['customfields']['vpsgate service id']`.
 *
 * Every function returns "success" or a readable error without secrets; every call is logged
 * with logModuleCall() with every secret in its replace list.
 *
 * The package is found beside this file (`vpsgate-php/autoload.php`, a copy of bindings/php),
 * else in the repository this file lives in (bindings/php), else through an autoloader the panel
 * already has. libvpsgate is found as the package finds it (VPSGATE_LIB, or preloaded).
 */

declare(strict_types=1);

use Vpsgate\Exception\VpsgateException;
use Vpsgate\Lifecycle;
use Vpsgate\Provider;

if (!class_exists(Provider::class)) {
    foreach ([__DIR__ . '/vpsgate-php/autoload.php', dirname(__DIR__, 4) . '/php/autoload.php'] as $vpsgateAutoload) {
        if (is_file($vpsgateAutoload)) {
            require_once $vpsgateAutoload;
            break;
        }
    }
}

/** The name of the service property that holds the upstream's id. */
const VPSGATE_SERVICE_ID = 'vpsgate service id';

/** @return array<string, mixed> */
function vpsgate_MetaData(): array
{
    return [
        'DisplayName' => 'vpsgate (Friendhosting / GoVPSFX)',
        'APIVersion' => '1.1',
        'RequiresServer' => true,
        'DefaultNonSSLPort' => '80',
        'DefaultSSLPort' => '443',
        'ServiceSingleSignOnLabel' => false,
        'AdminSingleSignOnLabel' => false,
    ];
}

/** The product's settings, configoption1..5 in this order. @return array<string, array<string, mixed>> */
function vpsgate_ConfigOptions(): array
{
    return [
        'Provider' => ['Type' => 'dropdown', 'Options' => 'friendhosting,govpsfx', 'Default' => 'friendhosting', 'Description' => 'the upstream API'],
        'Plan' => ['Type' => 'text', 'Size' => '25', 'Description' => 'Friendhosting tarifid, or GoVPSFX rate (e.g. singapore)'],
        'Months' => ['Type' => 'text', 'Size' => '5', 'Default' => '1', 'Description' => 'term ordered and renewed'],
        'Friendhosting type' => ['Type' => 'dropdown', 'Options' => ',hosting,vds,dedicated', 'Default' => 'vds', 'Description' => 'vid (Friendhosting only)'],
        'Friendhosting add-ons' => ['Type' => 'text', 'Size' => '25', 'Description' => 'add-on ids, comma-separated (Friendhosting only)'],
    ];
}

/**
 * The package's configuration for this server.
 *
 * @param array<string, mixed> $params
 * @return array<string, mixed>
 */
function vpsgate_config(array $params): array
{
    $provider = trim((string) ($params['configoption1'] ?? ''));
    $host = trim((string) ($params['serverhostname'] ?? ''));
    if ($host === '') {
        throw VpsgateException::of(1, 'invalid_input', 'the server has no hostname', 'serverhostname');
    }
    $secure = in_array(strtolower((string) ($params['serversecure'] ?? '')), ['1', 'on', 'true', 'yes'], true) || ($params['serversecure'] ?? null) === true;
    $base = ($secure ? 'https://' : 'http://') . $host;
    $user = (string) ($params['serverusername'] ?? '');
    $password = (string) ($params['serverpassword'] ?? '');
    $key = (string) ($params['serveraccesshash'] ?? '');
    return match ($provider) {
        'friendhosting' => ['provider' => 'friendhosting', 'endpoint' => "$base/apih.php", 'login' => $user]
            + ($key !== '' ? ['api_key' => $key] : ['password' => $password]),
        'govpsfx' => ['provider' => 'govpsfx', 'endpoint' => $base, 'partner_code' => $user, 'secret' => $password],
        default => ['provider' => $provider], // refused by the library with a readable message
    };
}

/** @param array<string, mixed> $params @return list<string> every secret of this call */
function vpsgate_secrets(array $params): array
{
    return array_values(array_filter(
        [(string) ($params['serverpassword'] ?? ''), (string) ($params['serveraccesshash'] ?? ''), (string) ($params['password'] ?? '')],
        static fn (string $s) => $s !== '',
    ));
}

/** @param array<string, mixed> $params */
function vpsgate_service_id(array $params): string
{
    $id = trim((string) ($params['customfields'][VPSGATE_SERVICE_ID] ?? ''));
    if ($id === '') {
        throw VpsgateException::of(1, 'invalid_input', 'this service has no "vpsgate service id" yet (not created, or its GoVPSFX delivery is still pending)', VPSGATE_SERVICE_ID);
    }
    return $id;
}

/** @param array<string, mixed> $params */
function vpsgate_client_id(array $params): string
{
    return 'ID' . (string) ($params['serviceid'] ?? '');
}

/** @param array<string, mixed> $params */
function vpsgate_months(array $params): int
{
    $months = trim((string) ($params['configoption3'] ?? ''));
    if (!ctype_digit($months) || (int) $months < 1) {
        throw VpsgateException::of(1, 'invalid_input', "the product's Months (configoption3) must be a whole number of months, not \"$months\"", 'configoption3');
    }
    return (int) $months;
}

/**
 * Run `$step` through the package, log it, and give "success" or a readable error.
 *
 * @param array<string, mixed>                          $params
 * @param callable(Lifecycle, array<string,mixed>): array $call    the step; returns the result
 * @param (callable(array<mixed>): void)|null             $then    what to do with the result
 */
function vpsgate_run(string $action, array $params, array $request, callable $call, ?callable $then = null): string
{
    $secrets = vpsgate_secrets($params);
    $result = null;
    try {
        $panel = Lifecycle::fromConfig(vpsgate_config($params));
        $result = $call($panel, $request);
        foreach (['password'] as $k) {
            if (is_string($result['access'][$k] ?? null) && $result['access'][$k] !== '') {
                $secrets[] = $result['access'][$k];
            }
        }
        if ($then !== null) {
            $then($result);
        }
        $outcome = 'success';
    } catch (VpsgateException $e) {
        $result = $e->toArray();
        $outcome = vpsgate_readable($e, $secrets);
    } catch (\Throwable $e) {
        $result = ['error' => get_class($e)];
        $outcome = vpsgate_scrub("$action failed: " . $e->getMessage(), $secrets);
    }
    if (function_exists('logModuleCall')) {
        logModuleCall('vpsgate', $action, $request, $result, $outcome, $secrets);
    }
    return $outcome;
}

/** @param list<string> $secrets */
function vpsgate_readable(VpsgateException $e, array $secrets): string
{
    $text = $e->getMessage();
    if ($e->isOutcomeUnknown()) {
        $text .= ' (it may have been executed at the provider: check there before trying again)';
    }
    return vpsgate_scrub($text, $secrets);
}

/** @param list<string> $secrets */
function vpsgate_scrub(string $text, array $secrets): string
{
    foreach ($secrets as $s) {
        $text = str_replace($s, '[redacted]', $text);
    }
    return $text;
}

/** @param array<string, mixed> $params @return array{success:bool,error:string} */
function vpsgate_TestConnection(array $params): array
{
    $provider = (string) ($params['configoption1'] ?? 'friendhosting');
    $request = ['step' => $provider === 'govpsfx' ? 'configuration check' : 'balance'];
    $outcome = vpsgate_run('TestConnection', $params + ['configoption1' => 'friendhosting'], $request, static function (Lifecycle $panel) use ($provider): array {
        if ($provider === 'govpsfx') {
            // GoVPSFX offers no call that moves no money: check the configuration and sign one
            // request without sending it.
            $panel->provider()->commandRequest('recall', ['server_id' => 'TEST']);
            return ['checked' => 'configuration'];
        }
        return $panel->balance();
    });
    return ['success' => $outcome === 'success', 'error' => $outcome === 'success' ? '' : $outcome];
}

/** @param array<string, mixed> $params */
function vpsgate_CreateAccount(array $params): string
{
    $provider = (string) ($params['configoption1'] ?? '');
    $addons = array_values(array_filter(array_map('trim', explode(',', (string) ($params['configoption5'] ?? ''))), 'strlen'));
    $kind = trim((string) ($params['configoption4'] ?? ''));
    $domain = trim((string) ($params['domain'] ?? ''));
    try {
        $months = vpsgate_months($params);
    } catch (VpsgateException $e) {
        return $e->getMessage();
    }
    $request = $provider === 'govpsfx'
        ? ['plan' => (string) ($params['configoption2'] ?? ''), 'months' => $months, 'client_id' => vpsgate_client_id($params)]
        : array_filter(['plan' => (string) ($params['configoption2'] ?? ''), 'months' => $months, 'kind' => $kind ?: null, 'domain' => $domain ?: null, 'addons' => $addons ?: null], static fn ($v) => $v !== null);
    return vpsgate_run('CreateAccount', $params, $request, static fn (Lifecycle $panel, array $r) => $panel->create(
        $r['plan'], $r['months'], $r['kind'] ?? null, $r['domain'] ?? null, $r['addons'] ?? [], $r['client_id'] ?? null,
    ), static function (array $created) use ($params): void {
        $save = [VPSGATE_SERVICE_ID => (string) $created['service']['id']];
        if (($created['provisioning']['state'] ?? '') === 'pending') {
            $save['vpsgate status'] = 'pending: ' . ($created['provisioning']['message'] ?? 'the server details will follow');
        } else {
            $save['vpsgate status'] = 'ready';
        }
        if (isset($created['warning']['code'])) {
            $save['vpsgate status'] .= " (warning {$created['warning']['code']}: {$created['warning']['message']})";
        }
        $access = $created['access'] ?? null;
        if (is_array($access)) {
            if (($access['login'] ?? null) !== null) {
                $save['username'] = (string) $access['login'];
            }
            if (($access['password'] ?? null) !== null) {
                $save['password'] = (string) $access['password'];
            }
            if (($access['ip'] ?? null) !== null) {
                $save['dedicatedip'] = (string) $access['ip'];
            }
        }
        if (isset($params['model']->serviceProperties)) {
            $params['model']->serviceProperties->save($save);
        }
    });
}

/** @param array<string, mixed> $params */
function vpsgate_id_step(string $action, string $step, array $params): string
{
    try {
        $id = vpsgate_service_id($params);
    } catch (VpsgateException $e) {
        if (function_exists('logModuleCall')) {
            logModuleCall('vpsgate', $action, ['step' => $step], $e->toArray(), $e->getMessage(), vpsgate_secrets($params));
        }
        return $e->getMessage();
    }
    return vpsgate_run($action, $params, ['step' => $step, 'id' => $id], static fn (Lifecycle $panel, array $r) => $panel->$step($r['id']));
}

/** @param array<string, mixed> $params */
function vpsgate_SuspendAccount(array $params): string
{
    return vpsgate_id_step('SuspendAccount', 'suspend', $params);
}

/** @param array<string, mixed> $params */
function vpsgate_UnsuspendAccount(array $params): string
{
    return vpsgate_id_step('UnsuspendAccount', 'unsuspend', $params);
}

/** @param array<string, mixed> $params */
function vpsgate_TerminateAccount(array $params): string
{
    return vpsgate_id_step('TerminateAccount', 'terminate', $params);
}

/** @param array<string, mixed> $params */
function vpsgate_reboot(array $params): string
{
    return vpsgate_id_step('reboot', 'reboot', $params);
}

/** @param array<string, mixed> $params */
function vpsgate_reinstall(array $params): string
{
    return vpsgate_id_step('reinstall', 'reinstall', $params);
}

/** @param array<string, mixed> $params */
function vpsgate_Renew(array $params): string
{
    try {
        $id = vpsgate_service_id($params);
        $months = vpsgate_months($params);
    } catch (VpsgateException $e) {
        return $e->getMessage();
    }
    $request = ['id' => $id, 'months' => $months] + (($params['configoption1'] ?? '') === 'govpsfx' ? ['client_id' => vpsgate_client_id($params)] : []);
    return vpsgate_run('Renew', $params, $request, static fn (Lifecycle $panel, array $r) => $panel->renew($r['id'], $r['months'], $r['client_id'] ?? null));
}

/**
 * Neither Friendhosting's gateway nor GoVPSFX's partner API can change a service's plan: this
 * says so, and sends nothing.
 *
 * @param array<string, mixed> $params
 */
function vpsgate_ChangePackage(array $params): string
{
    $provider = (string) ($params['configoption1'] ?? '');
    $message = "changing the plan is not supported by $provider: order a new service and terminate the old one";
    if (function_exists('logModuleCall')) {
        logModuleCall('vpsgate', 'ChangePackage', ['plan' => (string) ($params['configoption2'] ?? '')], ['code' => 14, 'name' => 'unsupported'], $message, vpsgate_secrets($params));
    }
    return $message;
}

/** @return array<string, string> */
function vpsgate_AdminCustomButtonArray(): array
{
    return ['Reboot' => 'reboot', 'Reinstall' => 'reinstall'];
}

/**
 * The client area: the service's details from the provider where it lists them (Friendhosting),
 * else what was saved at creation.
 *
 * @param array<string, mixed> $params
 * @return array{templatefile:string,vars:array<string,mixed>}
 */
function vpsgate_ClientArea(array $params): array
{
    $vars = [
        'provider' => (string) ($params['configoption1'] ?? ''),
        'service_id' => (string) ($params['customfields'][VPSGATE_SERVICE_ID] ?? ''),
        'domain' => (string) ($params['domain'] ?? ''),
        'username' => (string) ($params['username'] ?? ''),
        'dedicatedip' => (string) ($params['dedicatedip'] ?? ''),
        'plan' => null, 'state' => null, 'expires' => null, 'error' => null,
    ];
    if ($vars['provider'] === 'friendhosting' && $vars['service_id'] !== '') {
        $info = null;
        $outcome = vpsgate_run('ClientArea', $params, ['step' => 'info', 'id' => $vars['service_id']], static fn (Lifecycle $panel, array $r) => $panel->info($r['id']), static function (array $r) use (&$info): void {
            $info = $r;
        });
        if ($outcome === 'success' && is_array($info)) {
            $vars['plan'] = $info['plan'];
            $vars['state'] = is_array($info['state']) ? 'other ' . ($info['state']['other'] ?? '') : $info['state'];
            $vars['expires'] = $info['expires'];
        } else {
            $vars['error'] = $outcome;
        }
    }
    return ['templatefile' => 'clientarea', 'vars' => $vars];
}
