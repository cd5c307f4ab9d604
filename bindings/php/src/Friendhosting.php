<?php

declare(strict_types=1);

namespace Vpsgate;

use Vpsgate\Transport\Transport;

/**
 * The Friendhosting / RootPanel gateway, command by command. Each method returns the contract's
 * envelope `['command' => 'getBalance', 'warning' => null|['code' => 30|31, 'message' => …],
 * 'data' => [the answer's fields]]`. A warning 30/31 is a success: read `$result['warning']`.
 * A critical error is a {@see \Vpsgate\Exception\GatewayException} whose `getUpstreamCode()`
 * is the gateway's `errorCode`.
 *
 * `provider` may be left out of the configuration; any other value is refused.
 */
final class Friendhosting extends Provider
{
    /** @param array<string, mixed> $config */
    public function __construct(#[\SensitiveParameter] array $config, ?Transport $transport = null)
    {
        parent::__construct(self::expect($config, 'friendhosting'), $transport);
    }

    /**
     * Place an order (moves money: sent exactly once).
     *
     * @param list<string> $addons add-on ids
     * @return array<mixed>
     */
    public function createOrder(string $tarifid, int $period, ?string $vid = null, ?string $domain = null, array $addons = []): array
    {
        return $this->command('createOrder', self::given(['tarifid' => $tarifid, 'period' => $period, 'vid' => $vid, 'domain' => $domain, 'addons' => $addons === [] ? null : $addons]));
    }

    /** Renew an order by `$period` months (moves money). @return array<mixed> */
    public function renewOrder(string $orderid, int $period): array
    {
        return $this->command('renewOrder', ['orderid' => $orderid, 'period' => $period]);
    }

    /** @return array<mixed> */
    public function suspendOrder(string $orderid): array
    {
        return $this->command('suspendOrder', ['orderid' => $orderid]);
    }

    /** @return array<mixed> */
    public function unSuspendOrder(string $orderid): array
    {
        return $this->command('unSuspendOrder', ['orderid' => $orderid]);
    }

    /** @return array<mixed> */
    public function restartOrder(string $orderid): array
    {
        return $this->command('restartOrder', ['orderid' => $orderid]);
    }

    /** @return array<mixed> */
    public function reinstallOrder(string $orderid): array
    {
        return $this->command('reinstallOrder', ['orderid' => $orderid]);
    }

    /** The tariff catalog of one type (`hosting` by default, `vds`, `dedicated`). @return array<mixed> */
    public function getTarifs(?string $vid = null): array
    {
        return $this->command('getTarifs', self::given(['vid' => $vid]));
    }

    /** Every order, or one. @return array<mixed> */
    public function getOrders(?string $orderid = null): array
    {
        return $this->command('getOrders', self::given(['orderid' => $orderid]));
    }

    /** @return array<mixed> */
    public function getBalance(): array
    {
        return $this->command('getBalance');
    }
}
