<?php

declare(strict_types=1);

namespace Vpsgate;

use FFI\CData;
use Vpsgate\Exception\VpsgateException;
use Vpsgate\Transport\Transport;

/**
 * A provider built from the configuration of docs/CONTRACT.md, as a PHP array:
 *
 * ```php
 * $fh = Provider::fromConfig(['provider' => 'friendhosting', 'login' => 'reseller', 'api_key' => '…']);
 * $fh->step('balance');                      // ['amount' => '100.00', 'currency' => 'USD']
 * ```
 *
 * Every call goes one of two ways: through the library's native transport (the default), or,
 * when a {@see Transport} is given (e.g. {@see \Vpsgate\Transport\CurlTransport}), as
 * build-request / send with that transport / parse-response. The `*Request()` methods give the
 * built {@see Request} itself, for sending by hand.
 *
 * Results are the contract's arrays; failures are {@see VpsgateException}s. Nothing retries.
 */
class Provider
{
    /** @var CData `vpsgate_provider *`, owned */
    private CData $handle;

    /** @var array<string, mixed> the transport settings of the configuration (no secrets) */
    private array $settings;

    /**
     * @param array<string, mixed> $config the provider configuration (CONTRACT.md)
     * @param Transport|null       $transport null: the library's native transport
     */
    public function __construct(#[\SensitiveParameter] array $config, private ?Transport $transport = null)
    {
        $json = Native::encode($config, 'config');
        $this->handle = Native::handle('vpsgate_provider_new', 'vpsgate_provider', $json, strlen($json));
        $this->settings = array_intersect_key($config, array_flip(['timeout_ms', 'connect_timeout_ms', 'max_body_bytes', 'allow_insecure_http']));
    }

    /**
     * The class for the configuration's `provider`: {@see Friendhosting} or {@see Govpsfx}. An
     * unknown or missing provider is an {@see \Vpsgate\Exception\InvalidInputException} (code 1,
     * field `provider`).
     *
     * @param array<string, mixed> $config
     */
    public static function fromConfig(#[\SensitiveParameter] array $config, ?Transport $transport = null): Provider
    {
        return match ($config['provider'] ?? null) {
            'friendhosting' => new Friendhosting($config, $transport),
            'govpsfx' => new Govpsfx($config, $transport),
            default => new Provider($config, $transport), // the library refuses it by name
        };
    }

    /** `friendhosting` or `govpsfx`. */
    public function name(): string
    {
        return (string) Library::ffi()->vpsgate_provider_name($this->handle);
    }

    /** The provider-neutral lifecycle over this provider. */
    public function lifecycle(): Lifecycle
    {
        return new Lifecycle($this);
    }

    /** The transport in use; null for the library's native one. */
    public function transport(): ?Transport
    {
        return $this->transport;
    }

    /**
     * Run one lifecycle step (`create` … `balance`, flat arguments of CONTRACT.md).
     *
     * @param array<string, mixed> $args
     * @return array<mixed>
     */
    public function step(string $step, array $args = []): array
    {
        if ($this->transport !== null) {
            return $this->sendWith($this->stepRequest($step, $args));
        }
        $json = Native::encode($args, 'args');
        return Native::decode(Native::json('vpsgate_provider_step_run', $this->handle, $step, $json, strlen($json)));
    }

    /**
     * Run one upstream command (`getBalance`, `lease`, … with the arguments of docs/C-API.md).
     *
     * @param array<string, mixed> $args
     * @return array<mixed>
     */
    public function command(string $command, array $args = []): array
    {
        if ($this->transport !== null) {
            return $this->sendWith($this->commandRequest($command, $args));
        }
        $json = Native::encode($args, 'args');
        return Native::decode(Native::json('vpsgate_provider_command_run', $this->handle, $command, $json, strlen($json)));
    }

    /**
     * Build the request of a lifecycle step without sending it.
     *
     * @param array<string, mixed> $args
     */
    public function stepRequest(string $step, array $args = []): Request
    {
        $json = Native::encode($args, 'args');
        return new Request(Native::handle('vpsgate_provider_step_request', 'vpsgate_request', $this->handle, $step, $json, strlen($json)), $this->settings);
    }

    /**
     * Build the request of an upstream command without sending it.
     *
     * @param array<string, mixed> $args
     */
    public function commandRequest(string $command, array $args = []): Request
    {
        $json = Native::encode($args, 'args');
        return new Request(Native::handle('vpsgate_provider_command_request', 'vpsgate_request', $this->handle, $command, $json, strlen($json)), $this->settings);
    }

    /** @return array<mixed> */
    private function sendWith(Request $request): array
    {
        /** @var Transport $transport */
        $transport = $this->transport;
        [$status, $body] = $transport->send($request);
        return $request->parseResponse($status, $body);
    }

    /** @internal the `vpsgate_provider *` handle */
    public function handle(): CData
    {
        return $this->handle;
    }

    public function __destruct()
    {
        Library::ffi()->vpsgate_provider_free($this->handle);
    }

    /** @return array<string, mixed> nothing secret */
    public function __debugInfo(): array
    {
        return ['provider' => $this->name(), 'transport' => $this->transport === null ? 'native' : $this->transport::class];
    }

    /**
     * Drop null values, so optional arguments are simply absent.
     *
     * @param array<string, mixed> $args
     * @return array<string, mixed>
     */
    protected static function given(array $args): array
    {
        return array_filter($args, static fn ($v) => $v !== null);
    }

    /**
     * Refuse a configuration of the other provider before the library sees it.
     *
     * @param array<string, mixed> $config
     * @return array<string, mixed>
     */
    protected static function expect(#[\SensitiveParameter] array $config, string $provider): array
    {
        $config += ['provider' => $provider];
        if ($config['provider'] !== $provider) {
            throw VpsgateException::of(1, 'invalid_input', sprintf('invalid provider: %s expects "%s", not %s', static::class, $provider, json_encode($config['provider'])), 'provider');
        }
        return $config;
    }
}
