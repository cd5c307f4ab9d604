<?php

declare(strict_types=1);

namespace Vpsgate\Tests;

use PHPUnit\Framework\TestCase;
use Vpsgate\Exception\GatewayException;
use Vpsgate\Exception\UnsupportedException;
use Vpsgate\Friendhosting;
use Vpsgate\Lifecycle;
use Vpsgate\Transport\CurlTransport;

/**
 * Every Friendhosting command and every lifecycle step through the package, against the sandbox,
 * once through the library's native transport and once sent with PHP's curl; the sandbox's state
 * is checked after each change.
 */
final class FriendhostingTest extends TestCase
{
    /** @return array<string, array{0:bool}> */
    public static function senders(): array
    {
        return ['native transport' => [false], 'PHP curl' => [true]];
    }

    private static function fh(bool $curl, string $login = 'demo', string $key = 'demo-key'): Friendhosting
    {
        return new Friendhosting(Sandbox::fh($login, $key), $curl ? new CurlTransport() : null);
    }

    /** @dataProvider senders */
    public function testEveryCommand(bool $curl): void
    {
        $fh = self::fh($curl);
        $this->assertSame($curl, $fh->transport() instanceof CurlTransport);

        $tarifs = $fh->getTarifs('vds');
        $this->assertSame('getTarifs', $tarifs['command']);
        $this->assertNull($tarifs['warning']);
        $vds1 = array_values(array_filter($tarifs['data']['tarifs'], fn ($t) => $t['id'] === '201'))[0];
        $this->assertSame('VDS-1', $vds1['name']);
        $this->assertSame(['11', '12'], array_column($vds1['addons'], 'id'));

        $before = Sandbox::balance();
        $created = $fh->createOrder('201', 3, 'vds', null, ['11']);
        $this->assertSame('createOrder', $created['command']);
        $this->assertNull($created['warning']);
        $id = (string) $created['data']['orderid'];
        // 4.99 * 3 * (1 - 0.03) + add-on 1.50 * 3 + 1.00 setup = 20.0209
        $this->assertSame('20.02', (string) $created['data']['cost']);
        $order = Sandbox::order($id);
        $this->assertNotNull($order, "order $id is in the sandbox");
        $this->assertSame(['201', ['11'], 1, false], [$order['tarifid'], $order['addons'], $order['status'], $order['unpaid']]);
        $this->assertSame(bcsub_($before, '20.02'), Sandbox::balance());

        $todate = $order['todate'];
        $renewed = $fh->renewOrder($id, 1);
        $this->assertSame('6.49', (string) $renewed['data']['cost']);
        $this->assertGreaterThan($todate, Sandbox::order($id)['todate']);

        $fh->suspendOrder($id);
        $this->assertSame(2, Sandbox::order($id)['status']);
        $fh->unSuspendOrder($id);
        $this->assertSame(1, Sandbox::order($id)['status']);
        $this->assertSame($id, (string) $fh->restartOrder($id)['data']['orderid']);
        $this->assertSame($id, (string) $fh->reinstallOrder($id)['data']['orderid']);

        $orders = $fh->getOrders($id)['data']['orders'];
        $this->assertCount(1, $orders);
        $this->assertSame($id, (string) $orders[0]['orderid']);
        $this->assertContains($id, array_map('strval', array_column($fh->getOrders()['data']['orders'], 'orderid')));
        $this->assertSame(Sandbox::balance(), (string) $fh->getBalance()['data']['balance']);
    }

    /** @dataProvider senders */
    public function testReadsShareAKeptConnectionAndOrdersOpenTheirOwn(bool $curl): void
    {
        $fh = self::fh($curl);
        $fh->getBalance(); // opens the connection reads keep
        $start = Sandbox::connections();
        for ($i = 0; $i < 3; $i++) {
            $fh->getBalance();
        }
        $fh->getOrders();
        $fh->getTarifs('vds');
        $this->assertSame($start + 1, Sandbox::connections(), 'five reads on the kept connection (+1: the question)');
        $fh->createOrder('201', 1, 'vds');
        $fh->createOrder('201', 1, 'vds');
        $this->assertSame($start + 4, Sandbox::connections(), 'each order on a connection of its own (+1: the question)');
        $fh->getBalance();
        $this->assertSame($start + 5, Sandbox::connections(), 'the kept connection again (+1: the question)');
    }

    /** @dataProvider senders */
    public function testEveryLifecycleStep(bool $curl): void
    {
        $panel = new Lifecycle(self::fh($curl));
        $created = $panel->create('201', 1, 'vds', null, ['12']);
        $id = $created['service']['id'];
        $this->assertSame(['state' => 'ready'], $created['provisioning']);
        $this->assertSame('root', $created['access']['login']);
        $this->assertSame(12, strlen((string) $created['access']['password']));
        $this->assertSame('5.99', $created['cost']);
        $this->assertSame(1, Sandbox::order($id)['status']);

        $renewed = $panel->renew($id, 3);
        $this->assertSame('17.52', $renewed['cost']); // 4.99 * 3 * 0.97 + 1.00 * 3
        $this->assertSame(Sandbox::order($id)['todate'], $renewed['expires'] ?? Sandbox::order($id)['todate']);

        $this->assertSame(['done' => true, 'warning' => null], $panel->suspend($id));
        $this->assertSame(2, Sandbox::order($id)['status']);
        $this->assertSame('suspended', $panel->info($id)['state']);
        $this->assertSame(['done' => true, 'warning' => null], $panel->unsuspend($id));
        $this->assertSame(1, Sandbox::order($id)['status']);
        $this->assertSame('active', $panel->info($id)['state']);
        $this->assertTrue($panel->reboot($id)['done']);
        $this->assertTrue($panel->reinstall($id)['done']);
        $info = $panel->info($id);
        $this->assertEquals(['id' => $id, 'client_id' => null], $info['service']);
        $this->assertSame(Sandbox::order($id)['todate'], $info['expires']);
        $this->assertContains($id, array_column(array_column($panel->list(), 'service'), 'id'));
        $this->assertSame(['amount' => Sandbox::balance(), 'currency' => 'USD'], $panel->balance());

        $next = Sandbox::state()['next_order_id'];
        try {
            $panel->terminate($id);
            $this->fail('terminate is not a Friendhosting operation');
        } catch (UnsupportedException $e) {
            $this->assertSame(14, $e->getCode());
            $this->assertSame('unsupported', $e->getName());
        }
        $this->assertSame($next, Sandbox::state()['next_order_id']);
        $this->assertSame(1, Sandbox::order($id)['status']);
    }

    /** @dataProvider senders */
    public function testWarningsAreSuccesses(bool $curl): void
    {
        // 30: the hosting tariff 102 is processed by hand.
        $manual = self::fh($curl)->createOrder('102', 1, 'hosting', 'manual' . random_int(1, PHP_INT_MAX) . '.example');
        $this->assertSame(30, $manual['warning']['code']);
        $this->assertNotSame('', $manual['warning']['message']);
        $this->assertSame(3, Sandbox::order((string) $manual['data']['orderid'])['status']);

        // 31: an account without money: placed, unpaid.
        $panel = new Lifecycle(self::fh($curl, 'poor', 'poor-key'));
        $created = $panel->create('201', 1, 'vds');
        $this->assertSame(31, $created['warning']['code']);
        $this->assertSame('pending', $created['provisioning']['state']);
        $order = Sandbox::order($created['service']['id'], 'poor');
        $this->assertTrue($order['unpaid']);
        $this->assertSame('0', Sandbox::balance('poor'));
    }

    /** @return array<string, array{0:bool,1:string,2:string,3:string,4:array,5:int}> */
    public static function gatewayErrors(): array
    {
        $cases = [
            'wrong key' => ['demo', 'not-the-key', 'getBalance', [], 7],
            'unknown login' => ['nobody', 'k', 'getBalance', [], 4],
            'API access denied' => ['noapi', 'noapi-key', 'getBalance', [], 5],
            'IP not allowed' => ['boundip', 'boundip-key', 'getBalance', [], 54],
            'unknown tariff' => ['demo', 'demo-key', 'createOrder', ['tarifid' => '999', 'period' => 1, 'vid' => 'vds'], 12],
            'period not offered' => ['demo', 'demo-key', 'createOrder', ['tarifid' => '201', 'period' => 2, 'vid' => 'vds'], 16],
            'bad add-on' => ['demo', 'demo-key', 'createOrder', ['tarifid' => '201', 'period' => 1, 'vid' => 'vds', 'addons' => ['99']], 17],
            'no such order' => ['demo', 'demo-key', 'suspendOrder', ['orderid' => '999999'], 19],
            'no domain' => ['demo', 'demo-key', 'createOrder', ['tarifid' => '101', 'period' => 12], 13],
        ];
        $out = [];
        foreach ([false, true] as $curl) {
            foreach ($cases as $name => $c) {
                $out[$name . ($curl ? ' (curl)' : ' (native)')] = [$curl, ...$c];
            }
        }
        return $out;
    }

    /**
     * @dataProvider gatewayErrors
     * @param array<string, mixed> $args
     */
    public function testGatewayErrors(bool $curl, string $login, string $key, string $command, array $args, int $errorCode): void
    {
        $fh = self::fh($curl, $login, $key);
        try {
            $fh->command($command, $args);
            $this->fail("$command should fail with gateway error $errorCode");
        } catch (GatewayException $e) {
            $this->assertSame(7, $e->getCode());
            $this->assertSame('gateway', $e->getName());
            $this->assertSame($errorCode, $e->getUpstreamCode());
            $this->assertFalse($e->isOutcomeUnknown());
            $this->assertStringNotContainsString($key, $e->getMessage());
        }
    }

    /** @dataProvider senders */
    public function testAlreadySuspendedIsGateway21(bool $curl): void
    {
        $fh = self::fh($curl);
        $id = (string) $fh->createOrder('201', 1, 'vds')['data']['orderid'];
        $fh->suspendOrder($id);
        try {
            $fh->suspendOrder($id);
            $this->fail('second suspend');
        } catch (GatewayException $e) {
            $this->assertSame(21, $e->getUpstreamCode());
        }
        $this->assertSame(2, Sandbox::order($id)['status']);
    }
}

/** Decimal subtraction of two money strings (2 places) without bcmath. */
function bcsub_(string $a, string $b): string
{
    $cents = static fn (string $s): int => (int) round(((float) $s) * 100);
    $r = $cents($a) - $cents($b);
    return sprintf('%s%d.%02d', $r < 0 ? '-' : '', intdiv(abs($r), 100), abs($r) % 100);
}
