<?php

declare(strict_types=1);

namespace Vpsgate;

use Vpsgate\Transport\Transport;

/**
 * The provider-neutral lifecycle (docs/CONTRACT.md "Lifecycle steps"), the same for both
 * providers, so a panel switches provider by configuration alone:
 *
 * ```php
 * $panel = Lifecycle::fromConfig($config);          // or new Lifecycle($provider)
 * $created = $panel->create('201', 3, kind: 'vds');  // ['service' => ['id' => '100001', …], …]
 * $panel->suspend($created['service']['id']);       // ['done' => true, 'warning' => null]
 * ```
 *
 * A step the provider lacks is an {@see \Vpsgate\Exception\UnsupportedException} (code 14) and
 * sends nothing. A GoVPSFX create answered 202 is a success with `provisioning` pending.
 */
final class Lifecycle
{
    public function __construct(private Provider $provider)
    {
    }

    /** @param array<string, mixed> $config */
    public static function fromConfig(#[\SensitiveParameter] array $config, ?Transport $transport = null): self
    {
        return new self(Provider::fromConfig($config, $transport));
    }

    /** The provider underneath. */
    public function provider(): Provider
    {
        return $this->provider;
    }

    /**
     * Order a service (moves money). `$plan` is the Friendhosting `tarifid` or the GoVPSFX rate;
     * `$kind` the Friendhosting `vid`; `$clientId` is required by GoVPSFX.
     *
     * @param list<string> $addons
     * @return array<mixed> Created
     */
    public function create(string $plan, int $months, ?string $kind = null, ?string $domain = null, array $addons = [], ?string $clientId = null): array
    {
        return $this->provider->step('create', array_filter(
            ['plan' => $plan, 'months' => $months, 'kind' => $kind, 'domain' => $domain, 'addons' => $addons === [] ? null : $addons, 'client_id' => $clientId],
            static fn ($v) => $v !== null,
        ));
    }

    /** Extend by `$months` (moves money; GoVPSFX extends by `$clientId`). @return array<mixed> Renewed */
    public function renew(string $id, int $months, ?string $clientId = null): array
    {
        return $this->provider->step('renew', array_filter(['id' => $id, 'months' => $months, 'client_id' => $clientId], static fn ($v) => $v !== null));
    }

    /** @return array<mixed> Done */
    public function suspend(string $id): array
    {
        return $this->provider->step('suspend', ['id' => $id]);
    }

    /** @return array<mixed> Done */
    public function unsuspend(string $id): array
    {
        return $this->provider->step('unsuspend', ['id' => $id]);
    }

    /** @return array<mixed> Done */
    public function terminate(string $id): array
    {
        return $this->provider->step('terminate', ['id' => $id]);
    }

    /** @return array<mixed> Done */
    public function reboot(string $id): array
    {
        return $this->provider->step('reboot', ['id' => $id]);
    }

    /** @return array<mixed> Done */
    public function reinstall(string $id): array
    {
        return $this->provider->step('reinstall', ['id' => $id]);
    }

    /** @return array<mixed> ServiceInfo */
    public function info(string $id): array
    {
        return $this->provider->step('info', ['id' => $id]);
    }

    /** @return list<array<mixed>> ServiceInfo of every service */
    public function list(): array
    {
        return $this->provider->step('list');
    }

    /** @return array{amount:string,currency:string} */
    public function balance(): array
    {
        return $this->provider->step('balance');
    }
}
