<?php

declare(strict_types=1);

namespace Vpsgate;

/**
 * The library's decoder of answer bodies: PHP `serialize()` data or JSON, read exactly as PHP
 * 8.2's `unserialize($s, ['allowed_classes' => false])` would, to JSON shaped like
 * `json_encode(unserialize($s))`. Malformed input is a {@see \Vpsgate\Exception\DecodeException}
 * (2 php_syntax with the byte offset, 3 json_syntax).
 */
final class Codec
{
    /** Detect the format. */
    public const AUTO = 0;
    /** PHP serialize() data. */
    public const PHP = 1;
    /** JSON. */
    public const JSON = 2;

    /** The decoded value as one line of JSON, exactly as `vpsgate decode` prints it. */
    public static function toJson(string $input, int $source = self::AUTO): string
    {
        return Native::json('vpsgate_decode_to_json', $input, strlen($input), $source);
    }

    /**
     * The decoded value as PHP values (objects and associative arrays as arrays).
     *
     * @return mixed
     */
    public static function decode(string $input, int $source = self::AUTO): mixed
    {
        return Native::decode(self::toJson($input, $source));
    }
}
