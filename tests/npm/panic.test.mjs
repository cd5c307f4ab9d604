// A panic inside the wasm (with panic = "abort", a trap) must not leave a promise hanging nor
// crash the process: the call that hit it throws or rejects with a VpsgateError of code 100
// (`panic`, the C library's number), so does every call still pending, and every later call on
// the broken instance fails the same way. The panics come from `__panicForTests`, an export that
// exists for this test only (crates/vpsgate-wasm/src/lib.rs). node --test runs each test file in
// a process of its own; each case here runs in a fresh child process, since a panic breaks the
// instance for good.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

/** Run `body` (an ES module's text importing from 'vpsgate') in a fresh Node; its JSON output. */
function child(body) {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', body], {
    cwd: new URL('.', import.meta.url),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
  return JSON.parse(out.trim().split('\n').pop());
}

const prelude = `
import { Friendhosting, decodePhp, encodePhp, sign, VpsgateError, ErrorCode, __panicForTests } from 'vpsgate';
const seen = (e) => ({ vpsgate: e instanceof VpsgateError, error: e instanceof Error, code: e.code,
  codeName: e.codeName, message: e.message });
async function settle(p) {
  const timeout = new Promise((r) => setTimeout(() => r({ hung: true }), 5000));
  return Promise.race([p.then((v) => ({ resolved: v }), (e) => ({ rejected: seen(e) })), timeout]);
}
// A call left pending: its fetch never answers.
const pendingClient = new Friendhosting({ endpoint: 'http://127.0.0.1:9/apih.php', login: 'a',
  api_key: 'k', fetch: () => new Promise(() => {}) });
const pending = settle(pendingClient.getBalance());
const client = new Friendhosting({ endpoint: 'http://127.0.0.1:9/apih.php', login: 'a', api_key: 'k',
  fetch: async () => new Response('a:2:{s:6:"status";s:7:"SUCCESS";s:7:"balance";s:4:"1.00";}') });
const before = await client.getBalance();
`;

const after = `
const later = {
  decodePhp: (() => { try { decodePhp('i:1;'); return 'returned'; } catch (e) { return seen(e); } })(),
  encodePhp: (() => { try { encodePhp(1); return 'returned'; } catch (e) { return seen(e); } })(),
  sign: (() => { try { sign({ rate: 'x' }, 's'); return 'returned'; } catch (e) { return seen(e); } })(),
  construct: (() => { try { new Friendhosting({ login: 'a', api_key: 'k' }); return 'returned'; } catch (e) { return seen(e); } })(),
  method: await settle(client.getBalance()),
};
console.log(JSON.stringify({ before: before.data.balance, hit, pending: await pending, later }));
process.exit(0);
`;

function checkBroken(r, where) {
  assert.equal(r.before, '1.00', 'the instance worked before the panic');
  for (const e of [r.hit, r.pending.rejected, r.later.decodePhp, r.later.encodePhp, r.later.sign,
    r.later.construct, r.later.method.rejected]) {
    assert.ok(e, `settled as an error: ${JSON.stringify(r)}`);
    assert.equal(e.vpsgate, true);
    assert.equal(e.error, true);
    assert.equal(e.code, 100);
    assert.equal(e.codeName, 'panic');
    assert.match(e.message, /internal error/);
    assert.match(e.message, new RegExp(`deliberate panic for tests \\(${where}\\)`));
  }
}

test('a panic in a synchronous call throws VpsgateError 100 and breaks the instance', () => {
  const r = child(`${prelude}
let hit;
try { __panicForTests('sync'); hit = 'returned'; } catch (e) { hit = seen(e); }
${after}`);
  checkBroken(r, 'sync');
});

test('a panic inside an async task rejects its promise and every pending one', () => {
  const r = child(`${prelude}
const settled = await settle(__panicForTests('async'));
const hit = settled.rejected ?? settled;
${after}`);
  checkBroken(r, 'async');
});

test('without a panic nothing is broken', () => {
  const r = child(`${prelude}
const hit = null;
console.log(JSON.stringify({ before: before.data.balance, again: (await client.getBalance()).data.balance,
  decoded: decodePhp('i:5;'), panicCode: ErrorCode.panic }));
process.exit(0);
`);
  assert.deepEqual(r, { before: '1.00', again: '1.00', decoded: 5, panicCode: 100 });
});
