<?php

declare(strict_types=1);

namespace Vpsgate\Transport;

use Vpsgate\Exception\VpsgateException;
use Vpsgate\Request;

/**
 * Sends with PHP's own curl, honouring what the provider's configuration asks of the native
 * transport: `timeout_ms` (default 60 s), `connect_timeout_ms` (10 s), `max_body_bytes`
 * (16 MiB), plain http only to loopback unless `allow_insecure_http`; no redirect is followed.
 * Extra curl options (a proxy, …) can be passed to the constructor.
 *
 * Connections: read-only requests ({@see Request::$readOnly}: getTarifs, getOrders, getBalance,
 * the steps info, list, balance) go through one curl handle that this transport keeps, so they
 * share kept-alive connections (no new TCP and TLS set-up per call; libcurl sends such a request
 * once more when the connection it reused turns out to be dead, which is harmless for them).
 * Every other request gets a fresh handle and so a connection of its own, which no earlier
 * exchange can have left half-closed: a money-moving command is never sent twice.
 *
 * Failures map to the library's numbers: 15 timeout, 16 connect, 17 insecure_url, 18 redirect,
 * 13 payload_too_large, 19 transport; a failure after a money-moving request may have been
 * sent is marked outcome unknown.
 */
final class CurlTransport implements Transport
{
    private const DEFAULT_TIMEOUT_MS = 60000;
    private const DEFAULT_CONNECT_TIMEOUT_MS = 10000;
    private const DEFAULT_MAX_BODY = 16 * 1024 * 1024;

    /** @var array<int, mixed> */
    private array $options;

    /** The handle of read-only requests, kept for its connections; null until the first. */
    private ?\CurlHandle $kept = null;

    /**
     * @param array<int, mixed> $options extra curl options (CURLOPT_PROXY, …); they cannot turn
     *                                   on redirects or change what is sent
     */
    public function __construct(array $options = [])
    {
        if (!extension_loaded('curl')) {
            throw VpsgateException::of(200, 'library_unavailable', 'CurlTransport needs the PHP extension curl');
        }
        unset($options[CURLOPT_FOLLOWLOCATION], $options[CURLOPT_POSTFIELDS], $options[CURLOPT_URL], $options[CURLOPT_HTTPHEADER], $options[CURLOPT_CUSTOMREQUEST]);
        $this->options = $options;
    }

    public function send(Request $request): array
    {
        $settings = $request->settings;
        self::checkUrl($request->url, ($settings['allow_insecure_http'] ?? false) === true);
        $limit = (int) ($settings['max_body_bytes'] ?? self::DEFAULT_MAX_BODY);
        $body = '';
        $tooLarge = false;
        $headers = ['Expect:'];
        foreach ($request->headers as [$name, $value]) {
            $headers[] = "$name: $value";
        }
        if ($request->readOnly) {
            // Reset to no options, keeping the handle's live connections.
            $curl = $this->kept ??= curl_init();
            curl_reset($curl);
        } else {
            $curl = curl_init();
        }
        $options = $this->options + [
            CURLOPT_URL => $request->url,
            CURLOPT_CUSTOMREQUEST => $request->method,
            CURLOPT_HTTPHEADER => $headers,
            CURLOPT_FOLLOWLOCATION => false,
            CURLOPT_PROTOCOLS => CURLPROTO_HTTP | CURLPROTO_HTTPS,
            CURLOPT_TIMEOUT_MS => (int) ($settings['timeout_ms'] ?? self::DEFAULT_TIMEOUT_MS),
            CURLOPT_CONNECTTIMEOUT_MS => (int) ($settings['connect_timeout_ms'] ?? self::DEFAULT_CONNECT_TIMEOUT_MS),
            CURLOPT_NOSIGNAL => true,
            CURLOPT_WRITEFUNCTION => static function ($curl, string $chunk) use (&$body, &$tooLarge, $limit): int {
                if (strlen($body) + strlen($chunk) > $limit) {
                    $tooLarge = true;
                    return 0;
                }
                $body .= $chunk;
                return strlen($chunk);
            },
        ];
        if ($request->method === 'POST') {
            $options[CURLOPT_POSTFIELDS] = $request->body;
        }
        curl_setopt_array($curl, $options);
        $ok = curl_exec($curl);
        $errno = curl_errno($curl);
        $error = curl_error($curl);
        $status = (int) curl_getinfo($curl, CURLINFO_RESPONSE_CODE);
        if ($curl !== $this->kept) {
            curl_close($curl);
        }
        $unknown = $request->movesMoney;
        if ($tooLarge) {
            throw VpsgateException::of(13, 'payload_too_large', "the answer is over max_body_bytes ($limit bytes)", 'max_body_bytes', $unknown);
        }
        if ($ok === false || $errno !== 0) {
            $error = self::scrub($error, $request->url);
            // curl's numbers: 28 timed out; 5, 6 resolve; 7 connect; 35, 51, 53, 58, 59, 60, 66, 77, 80, 83, 90, 91 TLS.
            [$code, $name] = match (true) {
                $errno === 28 => [15, 'timeout'],
                in_array($errno, [5, 6, 7, 35, 51, 53, 58, 59, 60, 66, 77, 80, 83, 90, 91], true) => [16, 'connect'],
                default => [19, 'transport'],
            };
            throw VpsgateException::of($code, $name, "$name: $error", null, $code !== 16 && $unknown);
        }
        if ($status >= 300 && $status < 400) {
            throw VpsgateException::of(18, 'redirect', "redirect: the server answered $status; redirects are never followed", null, $unknown);
        }
        return [$status, $body];
    }

    /** Plain http is allowed to loopback only, unless the configuration opts in. */
    private static function checkUrl(string $url, bool $allowInsecure): void
    {
        $scheme = strtolower((string) parse_url($url, PHP_URL_SCHEME));
        $host = strtolower(trim((string) parse_url($url, PHP_URL_HOST), '[]'));
        if ($scheme === 'https') {
            return;
        }
        $loopback = $host === 'localhost' || $host === '::1'
            || (filter_var($host, FILTER_VALIDATE_IP, FILTER_FLAG_IPV4) !== false && str_starts_with($host, '127.'));
        if ($scheme === 'http' && ($loopback || $allowInsecure)) {
            return;
        }
        throw VpsgateException::of(17, 'insecure_url', "insecure_url: $scheme://$host is not https; plain http is allowed to loopback only unless allow_insecure_http is set", 'endpoint');
    }

    /** curl's message without the URL's query (which may hold credentials). */
    private static function scrub(string $message, string $url): string
    {
        $query = parse_url($url, PHP_URL_QUERY);
        return is_string($query) && $query !== '' ? str_replace($query, '…', $message) : $message;
    }
}
