<?php

declare(strict_types=1);

namespace Vpsgate\Tests;

/**
 * The sandbox started by scripts/test-php.sh, seen from the tests: configurations for its
 * accounts, its state file (rewritten after every change, so it is what the sandbox holds), and
 * its fault settings.
 */
final class Sandbox
{
    public static function url(): string
    {
        return rtrim((string) getenv('VPSGATE_SANDBOX_URL'), '/');
    }

    /** @return array<string, mixed> a Friendhosting configuration of `$login` */
    public static function fh(string $login = 'demo', string $key = 'demo-key', array $extra = []): array
    {
        return $extra + ['provider' => 'friendhosting', 'endpoint' => self::url() . '/apih.php', 'login' => $login, 'api_key' => $key, 'timeout_ms' => 5000];
    }

    /** @return array<string, mixed> the GoVPSFX configuration of partner 14321 */
    public static function gv(string $secret = 'sdsd4223dsd', array $extra = []): array
    {
        return $extra + ['provider' => 'govpsfx', 'endpoint' => self::url(), 'partner_code' => '14321', 'secret' => $secret, 'timeout_ms' => 5000];
    }

    /** @return array<string, mixed> the sandbox's state as it keeps it */
    public static function state(): array
    {
        clearstatcache();
        $state = json_decode((string) file_get_contents((string) getenv('VPSGATE_SANDBOX_STATE')), true, 512, JSON_THROW_ON_ERROR);
        return $state;
    }

    /** @return array<string, mixed>|null one Friendhosting order as the sandbox holds it */
    public static function order(string $id, string $login = 'demo'): ?array
    {
        return self::state()['accounts'][$login]['orders'][$id] ?? null;
    }

    public static function balance(string $login = 'demo'): string
    {
        return (string) self::state()['accounts'][$login]['balance'];
    }

    /** @return array<string, mixed>|null one GoVPSFX server as the sandbox holds it */
    public static function server(string $id): ?array
    {
        return self::state()['servers'][$id] ?? null;
    }

    /** @param array<string, mixed> $faults FaultConfig fields; [] turns them off */
    public static function faults(array $faults): void
    {
        $context = stream_context_create(['http' => ['method' => 'POST', 'header' => "Content-Type: application/json\r\n", 'content' => json_encode((object) $faults)]]);
        $answer = file_get_contents(self::url() . '/_sandbox/faults', false, $context);
        if ($answer !== 'ok') {
            throw new \RuntimeException('sandbox refused the faults: ' . var_export($answer, true));
        }
    }
}
