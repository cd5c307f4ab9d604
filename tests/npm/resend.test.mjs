// Money-moving requests are never sent twice, also by Node's own fetch (undici): a raw HTTP/1.1
// server on loopback answers reads with keep-alive and, on a money-moving request, reads it whole
// and then drops the connection without answering (a FIN, or an RST). Whatever the HTTP client
// underneath might do on a dropped connection, the server must see that request exactly once,
// and the error must say the outcome is unknown. Reads, for contrast, may be re-sent by
// undici on a connection it reused (that is allowed: they move nothing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { Friendhosting, Govpsfx, Lifecycle, VpsgateError } from 'vpsgate';

const BALANCE = 'a:3:{s:6:"status";s:7:"SUCCESS";s:7:"balance";s:5:"10.00";s:8:"currency";s:3:"USD";}';

/** The server; `seen` lists every request it read whole, as [connection number, what]. */
async function dropper(drop) {
  const seen = [];
  let connections = 0;
  const server = createServer((socket) => {
    const conn = ++connections;
    let buf = Buffer.alloc(0);
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.subarray(0, end).toString('latin1');
        const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
        if (buf.length < end + 4 + length) return;
        const body = buf.subarray(end + 4, end + 4 + length).toString('latin1');
        buf = buf.subarray(end + 4 + length);
        const target = head.split(' ')[1];
        const what = new URLSearchParams(body).get('command') ?? target.split('?')[0];
        seen.push([conn, what]);
        if (what === 'getBalance') {
          socket.write(
            'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: keep-alive\r\n'
              + `Keep-Alive: timeout=30\r\nContent-Length: ${BALANCE.length}\r\n\r\n${BALANCE}`,
          );
          continue;
        }
        if (drop === 'reset') socket.resetAndDestroy();
        else socket.destroy();
        return;
      }
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { seen, server, at: `http://127.0.0.1:${server.address().port}` };
}

/** `promise` must reject with a VpsgateError whose outcome is unknown. */
async function unknownOutcome(promise) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof VpsgateError, `not a VpsgateError: ${e}`);
    assert.equal(e.outcomeUnknown, true, `${e.codeName}: ${e.message}`);
    assert.ok([15, 19].includes(e.code), `${e.codeName}: ${e.message}`);
    return e;
  }
  assert.fail('resolved, expected an unknown outcome');
}

const settle = () => new Promise((r) => setTimeout(r, 200));

for (const drop of ['close', 'reset']) {
  test(`a dropped connection (${drop}) never makes a money-moving request go out twice`, async () => {
    const { seen, server, at } = await dropper(drop);
    try {
      const demo = { endpoint: `${at}/apih.php`, login: 'demo', api_key: 'demo-key' };
      // With retries configured too: they are for reads only.
      const retry = { retry_attempts: 3, retry_base_delay_ms: 5, retry_max_delay_ms: 20 };
      const fh = new Friendhosting({ ...demo, ...retry });
      const fx = new Govpsfx({ endpoint: at, partner_code: '14321', secret: 'sdsd4223dsd', ...retry });
      const life = new Lifecycle({ provider: 'friendhosting', ...demo, ...retry });
      const moves = [
        ['createOrder', () => fh.createOrder({ tarifid: '201', period: 1, vid: 'vds' })],
        ['renewOrder', () => fh.renewOrder({ orderid: '7', period: 1 })],
        ['createOrder', () => life.create({ plan: '201', months: 1, kind: 'vds' })],
        ['/server/server/get', () => fx.lease({ rate: 'singapore', term: 1, client_id: 'C1' })],
        ['/server/server/extend', () => fx.extend({ term: 1, client_id: 'C1' })],
      ];
      for (const [what, call] of moves) {
        // A read first, so that the money-moving request goes out on a kept-alive connection:
        // the case where HTTP clients are tempted to re-send on a fresh one.
        assert.equal((await fh.getBalance()).data.balance, '10.00');
        const before = seen.length;
        await unknownOutcome(call());
        await settle();
        const sent = seen.slice(before).filter(([, w]) => w === what);
        assert.equal(sent.length, 1, `${what} reached the server ${sent.length} times: ${JSON.stringify(seen)}`);
      }
    } finally {
      server.close();
    }
  });
}

test('a refused connection is known not to have sent anything: connect, outcome known', async () => {
  // A port that was just listened on and closed: nothing listens there now.
  const { server, at } = await dropper('close');
  await new Promise((r) => server.close(r));
  const fh = new Friendhosting({ endpoint: `${at}/apih.php`, login: 'demo', api_key: 'demo-key' });
  try {
    await fh.createOrder({ tarifid: '201', period: 1, vid: 'vds' });
    assert.fail('resolved');
  } catch (e) {
    assert.ok(e instanceof VpsgateError, String(e));
    assert.equal(e.code, 16, `${e.codeName}: ${e.message}`);
    assert.equal(e.outcomeUnknown, false);
    assert.match(e.message, /ECONNREFUSED/);
  }
});
