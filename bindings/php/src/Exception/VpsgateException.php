<?php

declare(strict_types=1);

namespace Vpsgate\Exception;

/**
 * Every failure the package reports. `getCode()` is the library's stable number
 * (docs/CONTRACT.md: 1 invalid_input … 19 transport; the C library's 100-103; this package's
 * 200 library_unavailable), `getUpstreamCode()` the provider's own (a Friendhosting `errorCode`,
 * a GoVPSFX HTTP status) or null.
 *
 * Messages never hold a secret: the library builds them without credentials, and this package
 * adds none.
 */
class VpsgateException extends \RuntimeException
{
    /** The PHP package could not load libvpsgate or its header (a code of this face). */
    public const LIBRARY_UNAVAILABLE = 200;

    /** @var array<int, class-string<VpsgateException>> the class for each stable code */
    private const CLASSES = [
        1 => InvalidInputException::class,
        2 => DecodeException::class,
        3 => DecodeException::class,
        4 => DecodeException::class,
        5 => ResponseException::class,
        6 => ResponseException::class,
        7 => GatewayException::class,
        8 => GovpsfxException::class,
        9 => GovpsfxException::class,
        10 => GovpsfxException::class,
        11 => CallbackException::class,
        12 => CallbackException::class,
        13 => PayloadTooLargeException::class,
        14 => UnsupportedException::class,
        15 => TimeoutException::class,
        16 => ConnectException::class,
        17 => InsecureUrlException::class,
        18 => RedirectException::class,
        19 => TransportException::class,
        100 => LibraryException::class,
        101 => InvalidInputException::class,
        102 => InvalidInputException::class,
        103 => InvalidInputException::class,
        200 => LibraryException::class,
    ];

    /**
     * @param string      $message        readable, secret-free
     * @param int         $code           the stable number
     * @param string      $name           its stable name (`gateway`, `timeout`, …)
     * @param int|null    $upstreamCode   Friendhosting `errorCode` or GoVPSFX HTTP status
     * @param string|null $field          the input or configuration field at fault
     * @param int|null    $offset         byte offset where decoding stopped
     * @param string|null $rawBody        the answer as received, when it could not be read
     * @param bool        $outcomeUnknown a money-moving request failed after it may have been executed
     */
    final public function __construct(
        string $message,
        int $code,
        private readonly string $name,
        private readonly ?int $upstreamCode = null,
        private readonly ?string $field = null,
        private readonly ?int $offset = null,
        private readonly ?string $rawBody = null,
        private readonly bool $outcomeUnknown = false,
        ?\Throwable $previous = null,
    ) {
        parent::__construct($message, $code, $previous);
    }

    /**
     * The exception for the contract's error object
     * (`{"code":7,"name":"gateway","message":…,"upstream_code":22,…}`), of the class its code maps to.
     *
     * @param array<string, mixed> $error
     */
    public static function fromArray(#[\SensitiveParameter] array $error, ?\Throwable $previous = null): self
    {
        $code = is_int($error['code'] ?? null) ? $error['code'] : 19;
        $class = self::CLASSES[$code] ?? self::class;
        return new $class(
            is_string($error['message'] ?? null) ? $error['message'] : 'unknown error',
            $code,
            is_string($error['name'] ?? null) ? $error['name'] : 'unknown',
            is_int($error['upstream_code'] ?? null) ? $error['upstream_code'] : null,
            is_string($error['field'] ?? null) ? $error['field'] : null,
            is_int($error['offset'] ?? null) ? $error['offset'] : null,
            is_string($error['raw_body'] ?? null) ? $error['raw_body'] : null,
            ($error['outcome_unknown'] ?? false) === true,
            $previous,
        );
    }

    /** An error raised by this package itself (never by the library), with the class of `$code`. */
    public static function of(int $code, string $name, string $message, ?string $field = null, bool $outcomeUnknown = false, ?\Throwable $previous = null): self
    {
        return self::fromArray([
            'code' => $code,
            'name' => $name,
            'message' => $message,
            'field' => $field,
            'outcome_unknown' => $outcomeUnknown,
        ], $previous);
    }

    /** The stable name of `getCode()` (`invalid_input`, `gateway`, `refused`, …). */
    public function getName(): string
    {
        return $this->name;
    }

    /** The provider's own code: Friendhosting `errorCode`, GoVPSFX HTTP status; null when none. */
    public function getUpstreamCode(): ?int
    {
        return $this->upstreamCode;
    }

    /** The input or configuration field at fault, if one is. */
    public function getField(): ?string
    {
        return $this->field;
    }

    /** The byte offset where decoding stopped, if it did. */
    public function getOffset(): ?int
    {
        return $this->offset;
    }

    /** The answer as received (invalid UTF-8 replaced) when it could not be read. */
    public function getRawBody(): ?string
    {
        return $this->rawBody;
    }

    /**
     * True when a money-moving request (create, renew, lease, extend) failed after it may have
     * reached the provider: check there (Friendhosting getOrders) before trying again.
     */
    public function isOutcomeUnknown(): bool
    {
        return $this->outcomeUnknown;
    }

    /**
     * What var_dump() and print_r() show: the error without the raw body's bytes (an answer may
     * carry a server password; read it with {@see getRawBody()}) and without the stack trace's
     * arguments (a configuration or an answer may be among them).
     *
     * @return array<string, mixed>
     */
    public function __debugInfo(): array
    {
        return [
            'message' => $this->getMessage(),
            'code' => $this->getCode(),
            'name' => $this->name,
            'upstreamCode' => $this->upstreamCode,
            'field' => $this->field,
            'offset' => $this->offset,
            'rawBody' => $this->rawBody === null ? null : sprintf('[%d bytes]', strlen($this->rawBody)),
            'outcomeUnknown' => $this->outcomeUnknown,
            'file' => $this->getFile(),
            'line' => $this->getLine(),
            'previous' => $this->getPrevious() === null ? null : $this->getPrevious()::class . ': ' . $this->getPrevious()->getMessage(),
        ];
    }

    /**
     * The contract's error object.
     *
     * @return array{code:int,name:string,message:string,upstream_code:?int,field:?string,offset:?int,raw_body:?string,outcome_unknown:bool}
     */
    public function toArray(): array
    {
        return [
            'code' => $this->getCode(),
            'name' => $this->name,
            'message' => $this->getMessage(),
            'upstream_code' => $this->upstreamCode,
            'field' => $this->field,
            'offset' => $this->offset,
            'raw_body' => $this->rawBody,
            'outcome_unknown' => $this->outcomeUnknown,
        ];
    }
}
