<?php

declare(strict_types=1);

namespace Vpsgate\Tests;

/**
 * The sandbox started by scripts/test-php.sh, seen from the tests: configurations for its
 * accounts, its state file (an SQLite database each change is committed to before the answer,
 * so it is what the sandbox holds), and its fault settings.
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

    /**
     * The sandbox's state as it keeps it, read from its tables (crates/vpsgate-sandbox/src/store.rs):
     * `next_order_id`, `next_server_id`, `accounts[login]` with `balance` and `orders[id]`,
     * `servers[id]`, `handler_urls[code]`.
     *
     * @return array<string, mixed>
     */
    public static function state(): array
    {
        $db = new \SQLite3((string) getenv('VPSGATE_SANDBOX_STATE'), SQLITE3_OPEN_READONLY);
        $db->enableExceptions(true);
        $db->busyTimeout(5000);
        try {
            $state = ['accounts' => [], 'servers' => [], 'handler_urls' => []];
            $rows = $db->query('SELECT key, value FROM meta');
            while ($r = $rows->fetchArray(SQLITE3_ASSOC)) {
                $state[$r['key']] = $r['value']; // next_order_id, next_server_id
            }
            $rows = $db->query('SELECT login, balance FROM accounts');
            while ($r = $rows->fetchArray(SQLITE3_ASSOC)) {
                $state['accounts'][$r['login']] = ['balance' => $r['balance'], 'orders' => []];
            }
            $rows = $db->query('SELECT login, orderid, data FROM orders');
            while ($r = $rows->fetchArray(SQLITE3_ASSOC)) {
                $state['accounts'][$r['login']]['orders'][(string) $r['orderid']] = json_decode($r['data'], true, 512, JSON_THROW_ON_ERROR);
            }
            $rows = $db->query('SELECT server_id, data FROM servers');
            while ($r = $rows->fetchArray(SQLITE3_ASSOC)) {
                $state['servers'][$r['server_id']] = json_decode($r['data'], true, 512, JSON_THROW_ON_ERROR);
            }
            $rows = $db->query('SELECT partner_code, url FROM handlers');
            while ($r = $rows->fetchArray(SQLITE3_ASSOC)) {
                $state['handler_urls'][$r['partner_code']] = $r['url'];
            }
            return $state;
        } finally {
            $db->close();
        }
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

    /** Connections the sandbox accepted so far, the one of this question included. */
    public static function connections(): int
    {
        $stats = json_decode((string) file_get_contents(self::url() . '/_sandbox/stats'), true, 512, JSON_THROW_ON_ERROR);
        return (int) $stats['connections'];
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
