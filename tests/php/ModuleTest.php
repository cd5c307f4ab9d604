<?php

declare(strict_types=1);

namespace Vpsgate\Tests;

use PHPUnit\Framework\TestCase;

require_once dirname(__DIR__, 2) . '/bindings/whmcs/modules/servers/vpsgate/vpsgate.php';

/**
 * The WHMCS-style module called with panel-shaped `$params` (stubs for logModuleCall and the
 * model), the sandbox's state checked after each call.
 */
final class ModuleTest extends TestCase
{
    protected function setUp(): void
    {
        $GLOBALS['vpsgate_module_log'] = [];
    }

    /** @return array<string, mixed> */
    private static function params(string $provider, array $extra = []): array
    {
        $host = parse_url(Sandbox::url(), PHP_URL_HOST) . ':' . parse_url(Sandbox::url(), PHP_URL_PORT);
        $server = $provider === 'govpsfx'
            ? ['serverusername' => '14321', 'serverpassword' => 'sdsd4223dsd', 'serveraccesshash' => '']
            : ['serverusername' => 'demo', 'serverpassword' => 'wrong-password-unused', 'serveraccesshash' => 'demo-key'];
        return $extra + $server + [
            'serverhostname' => $host, 'serversecure' => '', 'serviceid' => (string) random_int(1000, 99999999),
            'configoption1' => $provider,
            'configoption2' => $provider === 'govpsfx' ? 'singapore' : '201',
            'configoption3' => '3', 'configoption4' => $provider === 'govpsfx' ? '' : 'vds',
            'configoption5' => $provider === 'govpsfx' ? '' : '11, 12',
            'domain' => '', 'customfields' => [], 'model' => new ServiceModel(),
        ];
    }

    /** The last log entry, with every secret of the call in its replace list and nowhere else once masked. */
    private function lastLog(string $action, array $secrets): array
    {
        $log = end($GLOBALS['vpsgate_module_log']);
        $this->assertIsArray($log, "$action was logged");
        $this->assertSame(['vpsgate', $action], [$log['module'], $log['action']]);
        foreach ($secrets as $s) {
            $this->assertContains($s, $log['replace'], "$action: a secret is in the replace list");
        }
        $masked = json_encode([$log['request'], $log['response'], $log['processed']]);
        foreach ($log['replace'] as $s) {
            $masked = str_replace($s, '***', $masked);
        }
        foreach ($secrets as $s) {
            $this->assertStringNotContainsString($s, $masked);
        }
        return $log;
    }

    public function testMetadataOptionsAndButtons(): void
    {
        $this->assertSame('1.1', vpsgate_MetaData()['APIVersion']);
        $this->assertSame(['Provider', 'Plan', 'Months', 'Friendhosting type', 'Friendhosting add-ons'], array_keys(vpsgate_ConfigOptions()));
        $this->assertSame(['Reboot' => 'reboot', 'Reinstall' => 'reinstall'], vpsgate_AdminCustomButtonArray());
    }

    public function testFriendhostingLifecycle(): void
    {
        $p = self::params('friendhosting');
        $this->assertSame(['success' => true, 'error' => ''], vpsgate_TestConnection($p));
        $this->lastLog('TestConnection', ['demo-key']);

        $before = Sandbox::balance();
        $this->assertSame('success', vpsgate_CreateAccount($p));
        $saved = $p['model']->serviceProperties->saved;
        $id = $saved['vpsgate service id'];
        $order = Sandbox::order($id);
        $this->assertSame(['201', 'vds', ['11', '12'], 1], [$order['tarifid'], $order['vid'], $order['addons'], $order['status']]);
        $this->assertSame('root', $saved['username']);
        $this->assertSame(12, strlen($saved['password']));
        $this->assertNotSame($before, Sandbox::balance());
        $this->lastLog('CreateAccount', ['demo-key', $saved['password']]);

        $p['customfields'] = ['vpsgate service id' => $id];
        $p['password'] = $saved['password'];
        $this->assertSame('success', vpsgate_SuspendAccount($p));
        $this->assertSame(2, Sandbox::order($id)['status']);
        $this->assertSame('success', vpsgate_UnsuspendAccount($p));
        $this->assertSame(1, Sandbox::order($id)['status']);
        $todate = Sandbox::order($id)['todate'];
        $this->assertSame('success', vpsgate_Renew($p));
        $this->assertGreaterThan($todate, Sandbox::order($id)['todate']);
        $this->assertSame('success', vpsgate_reboot($p));
        $this->assertSame('success', vpsgate_reinstall($p));
        $this->lastLog('reinstall', ['demo-key', $saved['password']]);

        $area = vpsgate_ClientArea($p);
        $this->assertSame('clientarea', $area['templatefile']);
        $this->assertSame(['VDS-1', 'active', Sandbox::order($id)['todate']], [$area['vars']['plan'], $area['vars']['state'], $area['vars']['expires']]);

        $terminate = vpsgate_TerminateAccount($p);
        $this->assertStringContainsString('does not support terminate', $terminate);
        $this->assertSame(1, Sandbox::order($id)['status'], 'nothing changed');
        $this->assertStringContainsString('not supported', vpsgate_ChangePackage($p));

        // Errors are readable and hold no secret.
        $suspended = vpsgate_SuspendAccount($p);
        $this->assertSame('success', $suspended);
        $again = vpsgate_SuspendAccount($p);
        $this->assertStringContainsString('gateway error 21', $again);
        $this->assertStringNotContainsString('demo-key', $again);
    }

    public function testFriendhostingPasswordAndErrors(): void
    {
        $p = self::params('friendhosting', ['serveraccesshash' => '', 'serverpassword' => 'demo']);
        $this->assertTrue(vpsgate_TestConnection($p)['success'], 'password access when no API key is set');
        $bad = self::params('friendhosting', ['serveraccesshash' => 'not-the-key-123']);
        $result = vpsgate_TestConnection($bad);
        $this->assertFalse($result['success']);
        $this->assertStringContainsString('gateway error 7', $result['error']);
        $this->assertStringNotContainsString('not-the-key-123', $result['error']);
        $this->lastLog('TestConnection', ['not-the-key-123']);

        $insecure = self::params('friendhosting', ['serverhostname' => 'billing.example.com']);
        $this->assertStringContainsString('insecure', vpsgate_CreateAccount($insecure));
        $this->assertStringContainsString('vpsgate service id', vpsgate_SuspendAccount(self::params('friendhosting')));
        $this->assertStringContainsString('Months', vpsgate_CreateAccount(self::params('friendhosting', ['configoption3' => 'three'])));
        $this->assertStringContainsString('unknown provider', vpsgate_CreateAccount(self::params('hetzner')));
    }

    public function testGovpsfxLifecycle(): void
    {
        $p = self::params('govpsfx');
        $this->assertTrue(vpsgate_TestConnection($p)['success']);
        $this->assertSame('success', vpsgate_CreateAccount($p));
        $saved = $p['model']->serviceProperties->saved;
        $id = $saved['vpsgate service id'];
        $server = Sandbox::server($id);
        $this->assertSame('ID' . $p['serviceid'], $server['client_id']);
        $this->assertSame([$server['password'], $server['ip'], 'ready'], [$saved['password'], $saved['dedicatedip'], $saved['vpsgate status']]);
        $this->lastLog('CreateAccount', ['sdsd4223dsd', $server['password']]);

        $p['customfields'] = ['vpsgate service id' => $id];
        $end = $server['end_at'];
        $this->assertSame('success', vpsgate_Renew($p));
        $this->assertNotSame($end, Sandbox::server($id)['end_at']);
        $this->assertStringContainsString('does not support suspend', vpsgate_SuspendAccount($p));
        $this->assertFalse(Sandbox::server($id)['recalled']);
        $this->assertSame('success', vpsgate_TerminateAccount($p));
        $this->assertTrue(Sandbox::server($id)['recalled']);
        $this->lastLog('TerminateAccount', ['sdsd4223dsd']);

        // A deferred delivery (202) is a success that says the details will follow.
        $pending = self::params('govpsfx', ['configoption2' => 'france_mini']);
        $this->assertSame('success', vpsgate_CreateAccount($pending));
        $saved = $pending['model']->serviceProperties->saved;
        $this->assertSame('', $saved['vpsgate service id']);
        $this->assertStringStartsWith('pending: ', $saved['vpsgate status']);

        $wrong = self::params('govpsfx', ['serverpassword' => 'wrong-secret-42']);
        $error = vpsgate_CreateAccount($wrong);
        $this->assertStringContainsString('refused', $error);
        $this->assertStringNotContainsString('wrong-secret-42', $error);
        $this->lastLog('CreateAccount', ['wrong-secret-42']);
    }

    /**
     * The module finds the package by itself, in a fresh PHP process: straight from the
     * repository, and copied into a panel's modules/servers/vpsgate with the package beside it
     * as vpsgate-php/.
     */
    public function testFindsThePackageFromTheRepositoryAndInAPanel(): void
    {
        $root = dirname(__DIR__, 2);
        $panel = sys_get_temp_dir() . '/vpsgate-panel-' . bin2hex(random_bytes(4));
        $module = "$panel/modules/servers/vpsgate";
        mkdir($module, 0755, true);
        copy("$root/bindings/whmcs/modules/servers/vpsgate/vpsgate.php", "$module/vpsgate.php");
        exec('cp -R ' . escapeshellarg("$root/bindings/php") . ' ' . escapeshellarg("$module/vpsgate-php"), $_, $cp);
        $this->assertSame(0, $cp);
        $host = parse_url(Sandbox::url(), PHP_URL_HOST) . ':' . parse_url(Sandbox::url(), PHP_URL_PORT);
        $code = 'require $argv[1]; $r = vpsgate_TestConnection(["serverhostname" => $argv[2], "serverusername" => "demo", "serveraccesshash" => "demo-key", "configoption1" => "friendhosting"]);'
            . ' echo json_encode([$r, (new ReflectionClass(Vpsgate\\Provider::class))->getFileName()]);';
        try {
            foreach (["$root/bindings/whmcs/modules/servers/vpsgate/vpsgate.php" => "$root/bindings/php/src/Provider.php", "$module/vpsgate.php" => "$module/vpsgate-php/src/Provider.php"] as $file => $expected) {
                // The header is not beside a copied library here: name it, as a panel would.
                $out = shell_exec(sprintf('VPSGATE_HEADER=%s %s -d ffi.enable=1 -r %s %s %s', escapeshellarg("$root/include/vpsgate.h"), escapeshellarg(PHP_BINARY), escapeshellarg($code), escapeshellarg($file), escapeshellarg($host)));
                $this->assertSame([['success' => true, 'error' => ''], $expected], json_decode((string) $out, true), "$file: $out");
            }
        } finally {
            exec('rm -rf ' . escapeshellarg($panel));
        }
    }
}
