<?php

declare(strict_types=1);

namespace Vpsgate;

use Vpsgate\Exception\LibraryException;
use Vpsgate\Exception\VpsgateException;

/**
 * Where libvpsgate and its header are, and the one FFI instance over them.
 *
 * The library is found, in this order: the path given to {@see Library::configure()} (or
 * {@see Library::preload()}), then the environment variable `VPSGATE_LIB`. The header is the
 * committed `include/vpsgate.h`, loaded as it is: a configured path, `VPSGATE_HEADER`, the
 * repository's `include/vpsgate.h` when this package runs from the repository, or `vpsgate.h`
 * beside the library.
 *
 * Two ways to load:
 * - `ffi.enable=true` (and the CLI): `FFI::cdef()` of the header on first use in each request;
 * - `ffi.enable=preload` with `opcache.preload` (PHP-FPM): {@see Library::preload()} in the
 *   preload script runs `FFI::load()` once at start-up, and every request takes the preloaded
 *   scope with `FFI::scope('vpsgate')`. The header carries no `#define FFI_SCOPE`/`FFI_LIB`
 *   lines (PHP's `FFI::cdef` accepts no preprocessor line), so preload() prepends them to the
 *   committed header's text in a private temporary file that it deletes straight after.
 */
final class Library
{
    /** The FFI scope name used with opcache.preload. */
    public const SCOPE = 'vpsgate';

    private static ?\FFI $ffi = null;
    /** How the instance was obtained: 'scope', 'cdef', 'preload' or null. */
    private static ?string $source = null;
    private static ?string $library = null;
    private static ?string $header = null;

    /**
     * Set the paths of `libvpsgate.so` and (optionally) `vpsgate.h`. Takes effect for the next
     * load; a preloaded scope, when there is one, is used regardless.
     */
    public static function configure(?string $library = null, ?string $header = null): void
    {
        self::$library = $library;
        self::$header = $header;
        self::$ffi = null;
        self::$source = null;
    }

    /**
     * The FFI instance: the preloaded scope if there is one, else the header loaded with
     * `FFI::cdef()`. Throws a {@see LibraryException} (code 200) naming `VPSGATE_LIB` and the
     * configured path when the library cannot be loaded.
     */
    public static function ffi(): \FFI
    {
        if (self::$ffi !== null) {
            return self::$ffi;
        }
        if (!extension_loaded('ffi')) {
            throw self::unavailable('the PHP extension ffi is not loaded (install/enable ext-ffi)');
        }
        try {
            self::$ffi = \FFI::scope(self::SCOPE);
            self::$source = 'scope';
            return self::$ffi;
        } catch (\Throwable) {
            // Not preloaded: load the header ourselves below.
        }
        $library = self::libraryPath();
        $header = self::headerPath($library);
        $text = @file_get_contents($header);
        if ($text === false) {
            throw self::unavailable("cannot read the header $header");
        }
        try {
            self::$ffi = \FFI::cdef($text, $library);
            self::$source = 'cdef';
            return self::$ffi;
        } catch (\Throwable $e) {
            $hint = ini_get('ffi.enable') === 'preload' && PHP_SAPI !== 'cli'
                ? ' (ffi.enable=preload: load it in the opcache.preload script with Vpsgate\\Library::preload())'
                : '';
            throw self::unavailable("cannot load $library with $header: {$e->getMessage()}$hint", $e);
        }
    }

    /**
     * For the `opcache.preload` script: load the library once as the FFI scope `vpsgate`, so
     * requests under `ffi.enable=preload` can use it. Paths as for {@see Library::configure()}.
     */
    public static function preload(?string $library = null, ?string $header = null): void
    {
        if ($library !== null || $header !== null) {
            self::configure($library, $header);
        }
        $library = self::libraryPath();
        $header = self::headerPath($library);
        $text = @file_get_contents($header);
        if ($text === false) {
            throw self::unavailable("cannot read the header $header");
        }
        if (preg_match('/["\\\\\r\n]/', $library) === 1) {
            throw self::unavailable('the library path must not contain quotes, backslashes or line breaks');
        }
        $tmp = tempnam(sys_get_temp_dir(), 'vpsgate-h');
        if ($tmp === false) {
            throw self::unavailable('cannot create a temporary file for FFI::load');
        }
        try {
            $defines = '#define FFI_SCOPE "' . self::SCOPE . "\"\n#define FFI_LIB \"$library\"\n";
            if (file_put_contents($tmp, $defines . $text) === false) {
                throw self::unavailable("cannot write $tmp for FFI::load");
            }
            $ffi = \FFI::load($tmp);
            if ($ffi === null) {
                throw self::unavailable("FFI::load could not load $library with $header");
            }
            self::$ffi = $ffi;
            self::$source = 'preload';
        } finally {
            @unlink($tmp);
        }
    }

    /**
     * How the FFI instance in use was obtained: `scope` (preloaded, FFI::scope), `cdef`
     * (FFI::cdef of the header), `preload` (inside the preload script), or null before first use.
     */
    public static function source(): ?string
    {
        return self::$source;
    }

    /** The library's version (`vpsgate_version()`). */
    public static function version(): string
    {
        return (string) self::ffi()->vpsgate_version();
    }

    /** The path of `libvpsgate.so` to load: configured, else `VPSGATE_LIB`. */
    public static function libraryPath(): string
    {
        $configured = self::$library;
        $env = getenv('VPSGATE_LIB');
        $path = $configured ?? (is_string($env) && $env !== '' ? $env : null);
        if ($path === null) {
            throw self::unavailable('libvpsgate.so not found: set the environment variable VPSGATE_LIB to its path, or configure one with Vpsgate\\Library::configure(library: ...) (none configured)');
        }
        if (!is_file($path)) {
            $from = $configured !== null ? 'the configured path' : 'VPSGATE_LIB';
            throw self::unavailable("libvpsgate.so not found at $path (from $from; set VPSGATE_LIB or configure the path with Vpsgate\\Library::configure(library: ...))");
        }
        return $path;
    }

    /** The header to load: configured, `VPSGATE_HEADER`, the repository's, or beside the library. */
    public static function headerPath(?string $library = null): string
    {
        $candidates = [];
        if (self::$header !== null) {
            $candidates[] = self::$header;
        } else {
            $env = getenv('VPSGATE_HEADER');
            if (is_string($env) && $env !== '') {
                $candidates[] = $env;
            }
            $candidates[] = dirname(__DIR__, 3) . '/include/vpsgate.h';
            if ($library !== null) {
                $candidates[] = dirname($library) . '/vpsgate.h';
                $candidates[] = dirname($library) . '/include/vpsgate.h';
            }
        }
        foreach ($candidates as $c) {
            if (is_file($c)) {
                return $c;
            }
        }
        throw self::unavailable('vpsgate.h not found (tried ' . implode(', ', $candidates) . '); set VPSGATE_HEADER or configure it with Vpsgate\\Library::configure(header: ...)');
    }

    private static function unavailable(string $message, ?\Throwable $previous = null): LibraryException
    {
        /** @var LibraryException */
        return VpsgateException::of(VpsgateException::LIBRARY_UNAVAILABLE, 'library_unavailable', $message, null, false, $previous);
    }
}
