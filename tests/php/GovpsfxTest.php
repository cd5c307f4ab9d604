<?php

declare(strict_types=1);

namespace Vpsgate\Tests;

use PHPUnit\Framework\TestCase;
use Vpsgate\Exception\CallbackException;
use Vpsgate\Exception\GovpsfxException;
use Vpsgate\Exception\UnsupportedException;
use Vpsgate\Govpsfx;
use Vpsgate\Lifecycle;
use Vpsgate\Transport\CurlTransport;

/**
 * Every GoVPSFX command and lifecycle step through the package against the sandbox, both ways
 * of sending, with the sandbox's state checked after each change.
 */
final class GovpsfxTest extends TestCase
{
    /** @return array<string, array{0:bool}> */
    public static function senders(): array
    {
        return ['native transport' => [false], 'PHP curl' => [true]];
    }

    private static function gv(bool $curl, string $secret = 'sdsd4223dsd'): Govpsfx
    {
        return new Govpsfx(Sandbox::gv($secret), $curl ? new CurlTransport() : null);
    }

    private static function client(): string
    {
        return 'ID' . random_int(100000, PHP_INT_MAX);
    }

    /** @dataProvider senders */
    public function testEveryCommand(bool $curl): void
    {
        $gv = self::gv($curl);
        $client = self::client();
        $lease = $gv->lease('singapore', 1, $client);
        $this->assertSame('delivered', $lease['status']);
        $server = $lease['server'];
        $held = Sandbox::server($server['server_id']);
        $this->assertNotNull($held);
        $this->assertSame([$client, 'singapore', $held['ip'], $held['port'], $held['password']], [$server['client_id'], $server['rate'], $server['ip'], $server['port'], $server['password']]);
        $this->assertFalse($held['recalled']);

        $extended = $gv->extend(3, $client);
        $this->assertMatchesRegularExpression('/^\d{4}-\d{2}-\d{2}$/', $extended['end_at']);
        $this->assertGreaterThan($server['end_at'], $extended['end_at']);
        [$d, $m, $y] = explode('.', Sandbox::server($server['server_id'])['end_at']) + [null, null, null];
        $this->assertSame($extended['end_at'], sprintf('%s-%s-%s', $y, $m, $d), 'the sandbox keeps DD.MM.YYYY');

        $this->assertSame(['recalled' => true], $gv->recall($server['server_id']));
        $this->assertTrue(Sandbox::server($server['server_id'])['recalled']);

        $pending = $gv->lease('france_mini', 1, self::client());
        $this->assertSame('pending', $pending['status']);
        $this->assertNotSame('', $pending['message']);
    }

    /** @dataProvider senders */
    public function testEveryLifecycleStep(bool $curl): void
    {
        $panel = new Lifecycle(self::gv($curl));
        $client = self::client();
        $created = $panel->create('france_classic', 1, null, null, [], $client);
        $this->assertSame(['state' => 'ready'], $created['provisioning']);
        $id = $created['service']['id'];
        $this->assertSame($client, $created['service']['client_id']);
        $this->assertSame($client, Sandbox::server($id)['client_id']);
        $this->assertSame(Sandbox::server($id)['password'], $created['access']['password']);

        $renewed = $panel->renew($id, 6, $client);
        $this->assertNotNull($renewed['expires']);
        $this->assertGreaterThan($created['expires'], $renewed['expires']);

        $this->assertTrue($panel->terminate($id)['done']);
        $this->assertTrue(Sandbox::server($id)['recalled']);

        $pending = $panel->create('france_mini', 1, null, null, [], self::client());
        $this->assertSame('pending', $pending['provisioning']['state']);
        $this->assertSame('', $pending['service']['id']);

        foreach (['suspend', 'unsuspend', 'reboot', 'reinstall', 'info'] as $step) {
            try {
                $panel->$step($id);
                $this->fail("$step is not a GoVPSFX operation");
            } catch (UnsupportedException $e) {
                $this->assertSame(14, $e->getCode(), $step);
            }
        }
        foreach (['list', 'balance'] as $step) {
            try {
                $panel->$step();
                $this->fail("$step is not a GoVPSFX operation");
            } catch (UnsupportedException $e) {
                $this->assertSame(14, $e->getCode(), $step);
            }
        }
    }

    /** @dataProvider senders */
    public function testRefusalsCarryTheHttpStatus(bool $curl): void
    {
        $cases = [
            [fn () => self::gv($curl, 'wrong-secret')->lease('singapore', 1, self::client()), 9, 403, 'refused'],
            [fn () => self::gv($curl)->lease('atlantis', 1, self::client()), 8, 400, 'invalid_parameters'],
            [fn () => self::gv($curl)->extend(1, 'ID-never-leased'), 8, 400, 'invalid_parameters'],
            [fn () => self::gv($curl)->recall('ID-none'), 8, 400, 'invalid_parameters'],
        ];
        foreach ($cases as [$call, $code, $status, $name]) {
            try {
                $call();
                $this->fail("should fail with $name");
            } catch (GovpsfxException $e) {
                $this->assertSame([$code, $status, $name], [$e->getCode(), $e->getUpstreamCode(), $e->getName()]);
                $this->assertStringNotContainsString('sdsd4223dsd', $e->getMessage());
            }
        }
        // recall twice: 403 from the sandbox
        $gv = self::gv($curl);
        $id = $gv->lease('singapore', 1, self::client())['server']['server_id'];
        $gv->recall($id);
        try {
            $gv->recall($id);
            $this->fail('second recall');
        } catch (GovpsfxException $e) {
            $this->assertSame([9, 403], [$e->getCode(), $e->getUpstreamCode()]);
        }
    }

    public function testSignatureIsTheDocumentsVector(): void
    {
        $this->assertSame('8cfff6fb2b39a4f0c9d6d7413e9439f6', Govpsfx::sign('sdsd4223dsd', 'singapore', '1', null, '14321'));
        $this->assertSame(md5(strtolower('singaporeID714321sdsd4223dsd')), Govpsfx::sign('sdsd4223dsd', 'Singapore', null, 'ID7', '14321'));
    }

    public function testCallbackWithAWrongHashIsRefused(): void
    {
        $body = http_build_query(['ip' => '203.0.113.5', 'port' => '8022', 'login' => 'Admin', 'password' => 'pw', 'created_at' => '01.12.2026',
            'end_at' => '01.01.2027', 'rate' => 'france_mini', 'client_id' => 'ID1', 'server_id' => 'ID20001', 'partner_code' => '14321', 'hash' => str_repeat('0', 32)]);
        try {
            self::gv(false)->verifyCallback('application/x-www-form-urlencoded', $body);
            $this->fail('a wrong hash must be refused');
        } catch (CallbackException $e) {
            $this->assertSame(11, $e->getCode());
            $this->assertSame('bad_signature', $e->getName());
        }
    }

    public function testCallbackWithTheRightHashIsRead(): void
    {
        $fields = ['ip' => '203.0.113.5', 'port' => '8022', 'login' => 'Admin', 'password' => 'pw', 'created_at' => '01.12.2026',
            'end_at' => '01.01.2027', 'rate' => 'france_mini', 'client_id' => 'ID1', 'server_id' => 'ID20001', 'partner_code' => '14321'];
        $fields['hash'] = Govpsfx::sign('sdsd4223dsd', 'france_mini', null, 'ID20001', '14321');
        $server = self::gv(false)->verifyCallback('application/x-www-form-urlencoded', http_build_query($fields));
        $this->assertSame(['ID20001', '203.0.113.5', 8022, 'pw', '2027-01-01'], [$server['server_id'], $server['ip'], $server['port'], $server['password'], $server['end_at']]);
    }
}
