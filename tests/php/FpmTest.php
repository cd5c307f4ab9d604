<?php

declare(strict_types=1);

namespace Vpsgate\Tests;

use PHPUnit\Framework\TestCase;

/**
 * The module under a real PHP-FPM (php8.2-fpm) with `ffi.enable=preload` and
 * `opcache.preload=bindings/php/preload.php`, one static worker, driven over FastCGI by
 * cgi-fcgi: a request creates and suspends an order, a second request in the same worker does
 * it again. FPM runs as www-data when the tests run as root (FFI::load refuses
 * opcache.preload_user, which a root FPM would need).
 */
final class FpmTest extends TestCase
{
    private string $dir = '';
    /** @var resource|null */
    private $fpm = null;

    protected function setUp(): void
    {
        foreach (['php-fpm8.2', 'cgi-fcgi'] as $tool) {
            if (trim((string) shell_exec('command -v ' . $tool)) === '') {
                $this->fail("$tool is not installed (scripts/test-php.sh installs php8.2-fpm and libfcgi-bin)");
            }
        }
        $this->dir = sys_get_temp_dir() . '/vpsgate-fpm-' . bin2hex(random_bytes(4));
        mkdir($this->dir, 0777);
        chmod($this->dir, 0777);
        // FPM's worker (www-data when the tests run as root) must read the package, the module,
        // the header, the library and the request script, and a checkout may sit under a folder
        // only its owner can enter (mktemp -d makes 0700 ones): the test stages a copy of those
        // files, in the repository's own layout, inside its world-readable folder.
        $root = $this->stage(dirname(__DIR__, 2), "$this->dir/repo");
        file_put_contents("$this->dir/php-fpm.conf", <<<CONF
            [global]
            error_log = $this->dir/fpm.log
            daemonize = no
            [www]
            listen = $this->dir/fpm.sock
            listen.mode = 0666
            pm = static
            pm.max_children = 1
            catch_workers_output = yes
            CONF);
        file_put_contents("$this->dir/php.ini", <<<INI
            ffi.enable = preload
            opcache.enable = 1
            opcache.preload = $root/bindings/php/preload.php
            display_errors = stderr
            INI);
        chmod("$this->dir/php-fpm.conf", 0644);
        chmod("$this->dir/php.ini", 0644);
        $env = ['VPSGATE_LIB=' . "$root/libvpsgate.so", 'VPSGATE_HEADER=' . "$root/include/vpsgate.h"];
        $asRoot = trim((string) shell_exec('id -u')) === '0';
        $cmd = [...($asRoot ? ['runuser', '-u', 'www-data', '--'] : []), 'env', ...$env, 'php-fpm8.2', '-F', '-y', "$this->dir/php-fpm.conf", '-c', "$this->dir/php.ini"];
        $this->fpm = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['file', "$this->dir/stdout.log", 'w'], 2 => ['file', "$this->dir/stderr.log", 'w']], $pipes);
        for ($i = 0; $i < 100 && !file_exists("$this->dir/fpm.sock"); $i++) {
            usleep(50000);
        }
        $this->assertFileExists("$this->dir/fpm.sock", 'php-fpm did not start: ' . @file_get_contents("$this->dir/stderr.log") . @file_get_contents("$this->dir/fpm.log"));
    }

    /**
     * Copies what FPM reads from the repository at `$from` into `$to` (same relative paths, the
     * library as `libvpsgate.so` at the top, the header the tests use); returns `$to`.
     */
    private function stage(string $from, string $to): string
    {
        $header = getenv('VPSGATE_HEADER') ?: "$from/include/vpsgate.h";
        $copies = [
            "$from/bindings/php" => "$to/bindings/php",
            "$from/bindings/whmcs" => "$to/bindings/whmcs",
            "$from/tests/php/fpm" => "$to/tests/php/fpm",
            "$from/tests/php/support" => "$to/tests/php/support",
            $header => "$to/include/vpsgate.h",
            (string) getenv('VPSGATE_LIB') => "$to/libvpsgate.so",
        ];
        foreach ($copies as $src => $dst) {
            if (!is_dir(dirname($dst))) {
                mkdir(dirname($dst), 0755, true);
            }
            exec('cp -R ' . escapeshellarg($src) . ' ' . escapeshellarg($dst) . ' 2>&1', $out, $code);
            $this->assertSame(0, $code, "staging $src for FPM: " . implode("\n", $out));
        }
        exec('chmod -R a+rX ' . escapeshellarg($to));
        return $to;
    }

    protected function tearDown(): void
    {
        if (is_resource($this->fpm)) {
            // The FPM master is our child's child when runuser is in between: stop it by the pid
            // it wrote to its log ("fpm is running, pid N"), then our child.
            if (preg_match('/fpm is running, pid (\d+)/', @file_get_contents("$this->dir/fpm.log") . @file_get_contents("$this->dir/stderr.log"), $m)) {
                posix_kill_((int) $m[1]);
                for ($i = 0; $i < 100 && is_dir('/proc/' . $m[1]); $i++) {
                    usleep(20000);
                }
            }
            proc_terminate($this->fpm);
            proc_close($this->fpm);
        }
        if ($this->dir !== '' && is_dir($this->dir)) {
            exec('rm -rf ' . escapeshellarg($this->dir));
        }
    }

    /** @return array<string, mixed> the decoded JSON body of one FastCGI request to app.php */
    private function request(): array
    {
        $sandbox = parse_url(Sandbox::url(), PHP_URL_HOST) . ':' . parse_url(Sandbox::url(), PHP_URL_PORT);
        $env = [
            'SCRIPT_FILENAME' => "$this->dir/repo/tests/php/fpm/app.php", 'REQUEST_METHOD' => 'GET',
            'QUERY_STRING' => http_build_query(['sandbox' => $sandbox]), 'SERVER_PROTOCOL' => 'HTTP/1.1',
        ];
        $proc = proc_open(['cgi-fcgi', '-bind', '-connect', "$this->dir/fpm.sock"], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env);
        $out = stream_get_contents($pipes[1]);
        $err = stream_get_contents($pipes[2]);
        $code = proc_close($proc);
        $this->assertSame(0, $code, "cgi-fcgi failed: $err");
        [$headers, $body] = explode("\r\n\r\n", (string) $out, 2) + [1 => ''];
        $this->assertStringContainsString('application/json', $headers, "FPM answered: $out " . @file_get_contents("$this->dir/fpm.log"));
        return json_decode($body, true, 512, JSON_THROW_ON_ERROR);
    }

    public function testTwoRequestsInOneWorkerCreateAndSuspend(): void
    {
        $first = $this->request();
        $second = $this->request();
        foreach ([$first, $second] as $n => $r) {
            $this->assertSame(['preload', 'scope', 'success', 'success'], [$r['ffi_enable'], $r['ffi_source'], $r['create'], $r['suspend']], "request $n");
            $order = Sandbox::order($r['id']);
            $this->assertNotNull($order, "request $n's order is in the sandbox");
            $this->assertSame(2, $order['status'], "request $n's order is suspended");
        }
        $this->assertSame($first['pid'], $second['pid'], 'one worker served both');
        $this->assertNotSame($first['id'], $second['id']);
    }
}

/** Stop a process by pid with kill(1) (ext-posix is not required). */
function posix_kill_(int $pid): void
{
    exec('kill ' . $pid . ' 2>/dev/null');
}
