<?php

declare(strict_types=1);

namespace Vpsgate;

use FFI\CData;

/**
 * One HTTP request built by the library, for a lifecycle step or an upstream command, to send
 * with any HTTP client and hand the answer back to {@see Request::parseResponse()}.
 *
 * The URL (for GET) and the body hold the credentials: never log them. `var_dump()` and
 * `print_r()` show only the method, the operation and the URL without its query.
 */
final class Request
{
    /** HTTP method, `POST` or `GET`. */
    public readonly string $method;
    /** The full URL (with the credentials in the query for GET). */
    public readonly string $url;
    /** @var list<array{0:string,1:string}> header name (lower-case) and value pairs, in order */
    public readonly array $headers;
    /** The body bytes (form-encoded; empty for GET). */
    public readonly string $body;
    /** What it is for: `create`, `getBalance`, `lease`, … */
    public readonly string $operation;
    /** True for create, renew, createOrder, renewOrder, lease, extend: send it exactly once. */
    public readonly bool $movesMoney;
    /**
     * True for getTarifs, getOrders, getBalance and the steps info, list, balance: sending it
     * twice changes nothing, so it may share a kept-alive connection (and be sent once more
     * when that connection died). Every other request gets a connection of its own.
     */
    public readonly bool $readOnly;

    /**
     * @param CData                $handle   a `vpsgate_request *` this object now owns
     * @param array<string, mixed> $settings the provider's transport settings (timeouts, limits)
     */
    public function __construct(private CData $handle, public readonly array $settings = [])
    {
        $ffi = Library::ffi();
        $this->method = (string) $ffi->vpsgate_request_method($handle);
        $this->url = (string) $ffi->vpsgate_request_url($handle);
        $headers = [];
        $count = $ffi->vpsgate_request_header_count($handle);
        for ($i = 0; $i < $count; $i++) {
            $headers[] = [(string) $ffi->vpsgate_request_header_name($handle, $i), (string) $ffi->vpsgate_request_header_value($handle, $i)];
        }
        $this->headers = $headers;
        $this->body = self::body($ffi, $handle);
        $this->operation = (string) $ffi->vpsgate_request_operation($handle);
        $this->movesMoney = $ffi->vpsgate_request_moves_money($handle) !== 0;
        $this->readOnly = $ffi->vpsgate_request_read_only($handle) !== 0;
    }

    /**
     * Read the answer your HTTP client received (status and body as received): the same array
     * as sending through the native transport gives. A failure is an exception of the
     * {@see \Vpsgate\Exception\VpsgateException} hierarchy; a Friendhosting warning 30/31 is a
     * success with `warning` set.
     *
     * @return array<mixed>
     */
    public function parseResponse(int $status, #[\SensitiveParameter] string $body): array
    {
        return Native::decode(Native::json('vpsgate_request_parse_response', $this->handle, $status, $body, strlen($body)));
    }

    /**
     * Send it once through the library's native transport and read the answer. Each call sends
     * again: never call it twice for a money-moving request.
     *
     * @return array<mixed>
     */
    public function send(): array
    {
        return Native::decode(Native::json('vpsgate_request_send', $this->handle));
    }

    public function __destruct()
    {
        Library::ffi()->vpsgate_request_free($this->handle);
    }

    /** @return array<string, mixed> what var_dump() shows: nothing secret */
    public function __debugInfo(): array
    {
        return [
            'method' => $this->method,
            'operation' => $this->operation,
            'url' => strtok($this->url, '?'),
            'movesMoney' => $this->movesMoney,
            'readOnly' => $this->readOnly,
        ];
    }

    /**
     * The body, `vpsgate_request_body_len` bytes long. The header declares the body as
     * `const char *`, which PHP's FFI would turn into a string by reading up to a NUL byte; the
     * body carries none, so it is read through the same function cast to return `uint8_t *`,
     * for which FFI returns the pointer and `FFI::string()` copies exactly the length.
     */
    private static function body(\FFI $ffi, CData $handle): string
    {
        $length = $ffi->vpsgate_request_body_len($handle);
        if ($length === 0) {
            return '';
        }
        $function = $ffi->cast('const uint8_t *(*)(const struct vpsgate_request *)', $ffi->vpsgate_request_body);
        $pointer = $function($handle);
        return $pointer === null ? '' : \FFI::string($pointer, $length);
    }
}
