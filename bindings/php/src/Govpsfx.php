<?php

declare(strict_types=1);

namespace Vpsgate;

use Vpsgate\Exception\VpsgateException;
use Vpsgate\Transport\Transport;

/**
 * The GoVPSFX partner API. A lease answers `['status' => 'delivered', 'server' => [ip, port,
 * login, password, created_at, end_at, rate, client_id, server_id]]` or, when the provider
 * answered 202, `['status' => 'pending', 'message' => …]` (a success: the details reach the
 * partner's handler later, read them with {@see Govpsfx::verifyCallback()}). Refusals are
 * {@see \Vpsgate\Exception\GovpsfxException}s whose `getUpstreamCode()` is the HTTP status.
 *
 * `provider` may be left out of the configuration; any other value is refused.
 */
final class Govpsfx extends Provider
{
    /** @param array<string, mixed> $config */
    public function __construct(#[\SensitiveParameter] array $config, ?Transport $transport = null)
    {
        parent::__construct(self::expect($config, 'govpsfx'), $transport);
    }

    /** Lease a server for `$term` months (1, 3, 6, 9, 12) to `$clientId` (moves money). @return array<mixed> */
    public function lease(string $rate, int $term, string $clientId): array
    {
        return $this->command('lease', ['rate' => $rate, 'term' => $term, 'client_id' => $clientId]);
    }

    /** Extend the client's server by `$term` months (moves money): `['end_at' => 'YYYY-MM-DD']`. @return array<mixed> */
    public function extend(int $term, string $clientId): array
    {
        return $this->command('extend', ['term' => $term, 'client_id' => $clientId]);
    }

    /** End a lease: `['recalled' => true]`. @return array<mixed> */
    public function recall(string $serverId): array
    {
        return $this->command('recall', ['server_id' => $serverId]);
    }

    /**
     * Check and read a deferred delivery POSTed to the partner's handler (`$_SERVER['CONTENT_TYPE']`,
     * `file_get_contents('php://input')`): the server details. A missing or wrong hash is a
     * {@see \Vpsgate\Exception\CallbackException} with code 11.
     *
     * @return array<mixed>
     */
    public function verifyCallback(string $contentType, #[\SensitiveParameter] string $body): array
    {
        return Native::decode(Native::json('vpsgate_provider_verify_callback', $this->handle(), $contentType, $body, strlen($body)));
    }

    /**
     * The md5 `hash` of a request: lower-case hex md5 of the lower-cased `rate`, `term`,
     * `server_id`, `partner_code` (those given, in that order) and the secret.
     */
    public static function sign(#[\SensitiveParameter] string $secret, ?string $rate, ?string $term, ?string $serverId, ?string $partnerCode): string
    {
        return Native::json('vpsgate_govpsfx_sign', $secret, $rate, $term, $serverId, $partnerCode);
    }
}
