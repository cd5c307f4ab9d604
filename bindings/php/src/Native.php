<?php

declare(strict_types=1);

namespace Vpsgate;

use FFI\CData;
use Vpsgate\Exception\InvalidInputException;
use Vpsgate\Exception\VpsgateException;

/**
 * The calling convention of libvpsgate, in one place: every fallible function takes
 * `out_*` pointers and `vpsgate_error **out_error` last and returns a status; strings received
 * through `out_*` are freed with `vpsgate_string_free`, errors with `vpsgate_error_free`.
 *
 * @internal
 */
final class Native
{
    /** Nesting PHP's json_decode accepts from the library (its codec refuses deeper input first). */
    private const JSON_DEPTH = 100000;

    /**
     * Call `$function(...$args, &out_json, &out_error)` and return the JSON text it produced.
     *
     * @throws VpsgateException the library's error, of the class its code maps to
     */
    public static function json(string $function, #[\SensitiveParameter] mixed ...$args): string
    {
        $ffi = Library::ffi();
        $out = $ffi->new('char *');
        $err = $ffi->new('vpsgate_error *');
        $status = $ffi->$function(...[...$args, \FFI::addr($out), \FFI::addr($err)]);
        if ($status !== 0) {
            throw self::error($status, $err);
        }
        return self::take($out);
    }

    /**
     * Call `$function(...$args, &out_handle, &out_error)` and return the handle (`$type *`).
     */
    public static function handle(string $function, string $type, #[\SensitiveParameter] mixed ...$args): CData
    {
        $ffi = Library::ffi();
        $out = $ffi->new("$type *");
        $err = $ffi->new('vpsgate_error *');
        $status = $ffi->$function(...[...$args, \FFI::addr($out), \FFI::addr($err)]);
        if ($status !== 0) {
            throw self::error($status, $err);
        }
        return $out;
    }

    /** The exception for a failed call; frees the error handle. */
    public static function error(int $status, CData $err): VpsgateException
    {
        $ffi = Library::ffi();
        if (\FFI::isNull($err)) {
            return VpsgateException::of($status, (string) $ffi->vpsgate_status_name($status), "libvpsgate failed with status $status");
        }
        try {
            $json = (string) $ffi->vpsgate_error_json($err);
        } finally {
            $ffi->vpsgate_error_free($err);
        }
        $error = json_decode($json, true);
        if (!is_array($error)) {
            return VpsgateException::of($status, (string) $ffi->vpsgate_status_name($status), "libvpsgate failed with status $status");
        }
        return VpsgateException::fromArray($error);
    }

    /** Copy a library string received through an `out_*` pointer, then free it. */
    public static function take(CData $string): string
    {
        if (\FFI::isNull($string)) {
            return '';
        }
        try {
            return \FFI::string($string);
        } finally {
            Library::ffi()->vpsgate_string_free($string);
        }
    }

    /**
     * The library's JSON as PHP arrays (objects become associative arrays).
     *
     * @return mixed
     */
    public static function decode(string $json): mixed
    {
        return json_decode($json, true, self::JSON_DEPTH, JSON_THROW_ON_ERROR | JSON_BIGINT_AS_STRING);
    }

    /**
     * A PHP array of arguments or configuration as the JSON object the library reads. A value
     * JSON cannot hold (a resource, INF, invalid UTF-8, …) is an {@see InvalidInputException}
     * naming `$field`; wrong types and unknown keys are refused by the library by name.
     *
     * @param array<mixed> $values
     */
    public static function encode(#[\SensitiveParameter] array $values, string $field): string
    {
        try {
            return json_encode((object) $values, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
        } catch (\JsonException $e) {
            throw VpsgateException::of(1, 'invalid_input', "invalid $field: cannot be written as JSON: {$e->getMessage()}", $field, false, $e);
        }
    }
}
