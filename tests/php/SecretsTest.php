<?php

declare(strict_types=1);

namespace Vpsgate\Tests;

use PHPUnit\Framework\TestCase;
use Vpsgate\Exception\VpsgateException;
use Vpsgate\Friendhosting;
use Vpsgate\Govpsfx;
use Vpsgate\Lifecycle;
use Vpsgate\Provider;
use Vpsgate\Transport\CurlTransport;

/**
 * No password, API key, md5 secret or server password in what PHP shows of the package's
 * objects and exceptions: var_dump, print_r, var_export of exceptions, messages, and stack
 * traces with their arguments (zend.exception_ignore_args off, as on a development host).
 */
final class SecretsTest extends TestCase
{
    private const API_KEY = 'K3y-of-the-reseller-71';
    private const PASSWORD = 'Pa55-of-the-reseller-72';
    private const SECRET = 'md5-secret-of-the-partner-73';
    private const SERVER_PW = 'S3rver-pw-once-74';

    private string $ignoreArgs = '1';

    protected function setUp(): void
    {
        $this->ignoreArgs = (string) ini_get('zend.exception_ignore_args');
        ini_set('zend.exception_ignore_args', '0');
    }

    protected function tearDown(): void
    {
        ini_set('zend.exception_ignore_args', $this->ignoreArgs);
        Sandbox::faults([]);
    }

    /** Everything PHP prints of `$value`. */
    private static function shown(mixed $value): string
    {
        ob_start();
        var_dump($value);
        print_r($value);
        echo "\n";
        if ($value instanceof \Throwable) {
            echo $value->getMessage(), "\n", $value->getTraceAsString(), "\n", (string) $value, "\n";
            // The package's own frames, where a configuration or an answer could be an argument
            // (the test's and PHPUnit's frames hold whole test objects: left out).
            $frames = array_filter($value->getTrace(), static fn (array $f) => str_starts_with($f['class'] ?? '', 'Vpsgate\\') && !str_starts_with($f['class'] ?? '', 'Vpsgate\\Tests'));
            print_r($frames);
            var_dump($frames);
        }
        return (string) ob_get_clean();
    }

    private function assertNoSecret(mixed $value, string $what): void
    {
        $text = self::shown($value);
        foreach ([self::API_KEY, self::PASSWORD, self::SECRET, self::SERVER_PW] as $secret) {
            $this->assertStringNotContainsString($secret, $text, "$what shows a secret");
        }
    }

    /** @return array<string, array{0:bool}> */
    public static function senders(): array
    {
        return ['native transport' => [false], 'PHP curl' => [true]];
    }

    /** @return array<string, mixed> */
    private static function fhConfig(string $endpoint, bool $password = false): array
    {
        return ['provider' => 'friendhosting', 'endpoint' => $endpoint, 'login' => 'demo', ($password ? 'password' : 'api_key') => $password ? self::PASSWORD : self::API_KEY, 'timeout_ms' => 2000];
    }

    /** @return array<string, mixed> */
    private static function gvConfig(string $endpoint): array
    {
        return ['provider' => 'govpsfx', 'endpoint' => $endpoint, 'partner_code' => '14321', 'secret' => self::SECRET, 'timeout_ms' => 2000];
    }

    /** @dataProvider senders */
    public function testObjectsShowNoSecret(bool $curl): void
    {
        $sender = $curl ? new CurlTransport() : null;
        foreach ([true, false] as $password) {
            $fh = new Friendhosting(self::fhConfig(Sandbox::url() . '/apih.php', $password), $sender);
            $this->assertNoSecret($fh, 'Friendhosting');
            $this->assertNoSecret($fh->lifecycle(), 'Lifecycle');
            $this->assertNoSecret(Provider::fromConfig(self::fhConfig(Sandbox::url() . '/apih.php', $password), $sender), 'Provider');
            $request = $fh->commandRequest('getBalance');
            // The request must carry the credential to work...
            $this->assertStringContainsString($password ? 'pass=' : 'apikey=', $request->body);
            // ... but var_dump and print_r do not show it.
            $this->assertNoSecret($request, 'Request');
        }
        $gv = new Govpsfx(self::gvConfig(Sandbox::url()), $sender);
        $this->assertNoSecret($gv, 'Govpsfx');
        $this->assertNoSecret(Lifecycle::fromConfig(self::gvConfig(Sandbox::url()), $sender), 'Lifecycle');
        $this->assertNoSecret(new CurlTransport(['timeout_ms' => 1000]), 'CurlTransport');
    }

    /** @return list<array{0:string, 1:callable(): mixed}> */
    private static function failures(?CurlTransport $sender): array
    {
        $closed = 'http://127.0.0.1:1';
        return [
            ['bad config field', fn () => new Friendhosting(['timeout_ms' => 0] + self::fhConfig(Sandbox::url() . '/apih.php'), $sender)],
            ['unknown config field', fn () => new Govpsfx(self::gvConfig(Sandbox::url()) + ['colour' => 'red'], $sender)],
            ['both credentials', fn () => new Friendhosting(self::fhConfig(Sandbox::url() . '/apih.php') + ['password' => self::PASSWORD], $sender)],
            ['other provider field', fn () => new Friendhosting(self::fhConfig(Sandbox::url() . '/apih.php', true) + ['secret' => self::SECRET], $sender)],
            ['unsupported scheme', fn () => (new Friendhosting(self::fhConfig('ftp://127.0.0.1/apih.php'), $sender))->getBalance()],
            ['insecure url', fn () => (new Friendhosting(self::fhConfig('http://192.0.2.1/apih.php', true), $sender))->getBalance()],
            ['refused connection', fn () => (new Friendhosting(self::fhConfig("$closed/apih.php"), $sender))->getBalance()],
            ['refused lease', fn () => (new Govpsfx(self::gvConfig($closed), $sender))->lease('singapore', 1, 'ID-S')],
            ['wrong api key', fn () => (new Friendhosting(['api_key' => self::API_KEY . 'x'] + self::fhConfig(Sandbox::url() . '/apih.php'), $sender))->getBalance()],
            ['wrong md5 secret', fn () => (new Govpsfx(['secret' => self::SECRET . 'x'] + self::gvConfig(Sandbox::url()), $sender))->lease('singapore', 1, 'ID-S')],
        ];
    }

    /** @dataProvider senders */
    public function testExceptionsShowNoSecret(bool $curl): void
    {
        $sender = $curl ? new CurlTransport() : null;
        foreach (self::failures($sender) as [$what, $call]) {
            try {
                $call();
                $this->fail("$what: no exception");
            } catch (VpsgateException $e) {
                $this->assertNoSecret($e, $what);
            }
        }
    }

    /** @dataProvider senders */
    public function testACutAnswerWithTheServerPasswordShowsNoSecret(bool $curl): void
    {
        $sender = $curl ? new CurlTransport() : null;
        $fh = new Friendhosting(self::fhConfig(Sandbox::url() . '/apih.php'), $sender);
        $request = $fh->commandRequest('createOrder', ['tarifid' => '201', 'period' => 1, 'vid' => 'vds']);
        $answer = json_encode(['status' => 'SUCCESS', 'orderid' => '100001', 'serverlogin' => 'root', 'serverpassword' => self::SERVER_PW, 'cost' => '4.99']);
        foreach ([substr($answer, 0, -3), '<html>' . $answer, substr($answer, 0, strpos($answer, self::SERVER_PW) + 5)] as $body) {
            try {
                $request->parseResponse(200, $body);
                $this->fail('a cut answer is an error');
            } catch (VpsgateException $e) {
                $this->assertTrue($e->isOutcomeUnknown(), $e->getMessage());
                // The body stays available to the caller on purpose ...
                $this->assertSame($body, $e->getRawBody());
                // ... but nothing PHP prints of the exception shows it.
                $this->assertNoSecret($e, 'cut createOrder answer');
            }
        }
        // A GoVPSFX delivery whose date is wrong: the password must not appear either.
        $gv = new Govpsfx(self::gvConfig(Sandbox::url()), $sender);
        $lease = $gv->commandRequest('lease', ['rate' => 'singapore', 'term' => 1, 'client_id' => 'ID-S']);
        $body = json_encode(['server_id' => 'ID1', 'ip' => '203.0.113.1', 'port' => 22, 'login' => 'root', 'password' => self::SERVER_PW, 'created_at' => 'yesterday', 'end_at' => '01.02.2026', 'rate' => 'singapore', 'client_id' => 'ID-S']);
        try {
            $lease->parseResponse(200, $body);
            $this->fail('a bad date is an error');
        } catch (VpsgateException $e) {
            $this->assertNoSecret($e, 'bad lease answer');
        }
    }
}
