// Two builds of the package side by side in one process: decodePhp of each on the bench's
// payloads, alternating (the order flips every round), medians. For telling a change's effect
// from this shared machine's noise; not run in CI.
//
//   node bindings/npm/bench/decode.mjs 1        # writes the payloads (/tmp/vpsgate-npm-bench)
//   node bindings/npm/bench/ab.mjs <checkout A> <checkout B>
//
// Each checkout's package must be built there (bindings/npm/build.sh; `git worktree add` gives
// a second checkout). Prints, per answer, A's and B's median ms and B/A (below 1: B faster).
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [a, b] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: node bindings/npm/bench/ab.mjs <checkout A> <checkout B>');
  process.exit(2);
}
const load = (dir) => import(pathToFileURL(resolve(dir, 'bindings/npm/node.js')).href);
const [A, B] = [await load(a), await load(b)];
const dir = join(tmpdir(), 'vpsgate-npm-bench');
const median = (xs) => xs.slice().sort((x, y) => x - y)[Math.floor(xs.length / 2)];
for (const file of ['orders_1mb', 'tarifs_1mb', 'orders_20mb', 'tarifs_20mb']) {
  const ser = readFileSync(join(dir, `${file}.ser`));
  const rounds = file.endsWith('20mb') ? 11 : 61;
  const ta = [];
  const tb = [];
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 ? [[A, ta], [B, tb]] : [[B, tb], [A, ta]];
    for (const [pkg, times] of order) {
      const start = process.hrtime.bigint();
      pkg.decodePhp(ser);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  const [ma, mb] = [median(ta), median(tb)];
  console.log(`${file}: A ${ma.toFixed(2)} ms, B ${mb.toFixed(2)} ms, B/A ${(mb / ma).toFixed(3)}`);
}
