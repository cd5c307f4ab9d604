<?php

declare(strict_types=1);

namespace Vpsgate\Tests;

use PHPUnit\Framework\TestCase;
use Vpsgate\Codec;
use Vpsgate\Exception\DecodeException;

/**
 * The library's decoder against PHP's own unserialize() on the core's generated cases
 * (crates/vpsgate/tests/php/gen_cases.php: real serialize() output and seeded mutations, each
 * with PHP's verdict and json_encode shaping).
 */
final class CodecTest extends TestCase
{
    public function testAgreesWithUnserializeOnGeneratedCases(): void
    {
        $gen = dirname(__DIR__, 2) . '/crates/vpsgate/tests/php/gen_cases.php';
        $out = shell_exec(escapeshellarg(PHP_BINARY) . ' ' . escapeshellarg($gen) . ' --cli');
        $this->assertIsString($out);
        $accepted = $refused = $compared = 0;
        // The rules of the CLI's decode_vs_php test (crates/vpsgate-cli/tests/decode_vs_php.rs):
        // PHP's accepted values decode to its json_encode shaping; what PHP refuses is refused
        // with a byte offset; integers PHP only accepts with an overflow warning, and cycles
        // json_encode cannot write, may be refused.
        foreach (explode("\n", trim($out)) as $line) {
            $case = json_decode($line, true, 512, JSON_THROW_ON_ERROR);
            if ($case['c'] === 'enum') {
                continue;
            }
            $input = hex2bin($case['in']);
            $what = "{$case['c']}: {$case['in']}";
            try {
                $json = Codec::toJson($input, Codec::PHP);
            } catch (DecodeException $e) {
                $this->assertSame(2, $e->getCode(), $what);
                $this->assertIsInt($e->getOffset(), $what);
                $overflow = (bool) array_filter($case['w'], fn ($w) => str_contains($w, 'Numerical result out of range'));
                $this->assertTrue(!$case['ok'] || $case['j'] === null || $overflow, "PHP accepts $what; refused: {$e->getMessage()}");
                $refused++;
                continue;
            }
            if (!$case['ok']) {
                $this->assertStringContainsString('E:', $input, "PHP refuses $what; decoded to $json");
                continue;
            }
            $this->assertNotNull($case['j'], $what);
            $this->assertEquals(json_decode($case['j'], true, 100000), json_decode($json, true, 100000), $what);
            $accepted++;
            // The same PHP values as PHP's own decoding, where json_encode can write them.
            $php = @unserialize($input, ['allowed_classes' => false]);
            $encoded = json_encode($php, JSON_INVALID_UTF8_SUBSTITUTE | JSON_PRESERVE_ZERO_FRACTION, 100000);
            if ($encoded !== false && !preg_match('/(^|[;{])[OC]:\d/', $input)) {
                $this->assertEquals(json_decode($encoded, true, 100000), Codec::decode($input, Codec::PHP), $what);
                $compared++;
            }
        }
        $this->assertGreaterThan(100, $accepted);
        $this->assertGreaterThan(100, $refused);
        $this->assertGreaterThan(100, $compared);
    }

    public function testJsonAndAuto(): void
    {
        $this->assertSame(['a' => [1, 2.5, null, true]], Codec::decode('{"a":[1,2.5,null,true]}'));
        $this->assertSame(['x' => 'y'], Codec::decode('a:1:{s:1:"x";s:1:"y";}'));
        try {
            Codec::decode('{"a":', Codec::JSON);
            $this->fail('truncated JSON');
        } catch (DecodeException $e) {
            $this->assertSame([3, 'json_syntax'], [$e->getCode(), $e->getName()]);
        }
    }
}
