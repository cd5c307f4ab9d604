// decodePhp in Node against the pure-JS unserialize packages and JSON.parse, on getOrders and
// getTarifs answers of ~1 MB and ~20 MB written by real PHP (crates/vpsgate/tests/php/
// bench_payload.php, the payloads of the codec's report). Not run in CI; scripts/perf-report.sh
// runs it at its end.
//
//   (cd tests/npm && npm ci)            # php-serialize, phpunserialize, locutus
//   bindings/npm/build.sh               # the package's wasm
//   node bindings/npm/bench/decode.mjs [runs]
//
// Prints the median of each decoder (ms, MB/s of the PHP input) and the ratios the issue asks
// for: decodePhp over the fastest pure-JS package, and decodePhp over JSON.parse of the same
// answer as JSON (throughput ratio; above 1 means decodePhp is faster).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodePhp } from '../node.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const require = createRequire(join(here, '../../../tests/npm/package.json'));
const phpSerialize = require('php-serialize');
const phpunserialize = require('phpunserialize');
const locutus = require('locutus/php/var/unserialize');

const runs = Number(process.argv[2] || 9);
const dir = join(tmpdir(), 'vpsgate-npm-bench');
mkdirSync(dir, { recursive: true });
execFileSync('php', [join(here, '../../../crates/vpsgate/tests/php/bench_payload.php'), dir], {
  stdio: ['ignore', 'ignore', 'inherit'],
});

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(fn, n) {
  fn(); // warm-up, and a check that it runs
  const t = [];
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    fn();
    t.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(t);
}

const rows = [];
for (const [kind, file] of [['getOrders', 'orders'], ['getTarifs', 'tarifs']]) {
  for (const size of ['1mb', '20mb']) {
    const ser = readFileSync(join(dir, `${file}_${size}.ser`));
    const json = readFileSync(join(dir, `${file}_${size}.json`), 'utf8');
    // The same values first: decodePhp's result is JSON.parse's of PHP's json_encode.
    assert.deepStrictEqual(decodePhp(ser), JSON.parse(json), `${kind} ${size}`);
    const text = ser.toString('latin1'); // the pure-JS packages count bytes on a binary string
    const utf8 = ser.toString('utf8');
    const n = size === '20mb' ? Math.max(3, Math.ceil(runs / 3)) : runs;
    const mb = ser.length / (1 << 20);
    const result = {};
    result['decodePhp(Uint8Array)'] = time(() => decodePhp(ser), n);
    result['JSON.parse (same answer as JSON)'] = time(() => JSON.parse(json), n);
    result['php-serialize'] = time(() => phpSerialize.unserialize(utf8), n);
    result['phpunserialize'] = time(() => phpunserialize(text), n);
    result['locutus unserialize'] = time(() => locutus(text), n);
    const pure = Math.min(result['php-serialize'], result.phpunserialize, result['locutus unserialize']);
    const ours = result['decodePhp(Uint8Array)'];
    for (const [name, ms] of Object.entries(result)) {
      rows.push({ answer: `${kind} ${size}`, decoder: name, 'median ms': ms.toFixed(1), 'MB/s': (mb / (ms / 1000)).toFixed(0) });
    }
    rows.push({ answer: `${kind} ${size}`, decoder: 'ratio decodePhp / fastest pure-JS', 'median ms': (pure / ours).toFixed(2) + 'x', 'MB/s': '' });
    rows.push({ answer: `${kind} ${size}`, decoder: 'ratio decodePhp / JSON.parse', 'median ms': (result['JSON.parse (same answer as JSON)'] / ours).toFixed(2) + 'x', 'MB/s': '' });
  }
}
console.log(`node ${process.version}, ${runs} runs (20 MB: fewer), medians`);
console.table(rows);
