// JavaScript support for the vpsgate wasm layer: the error class and the abort/timeout plumbing.
// Imported by the Rust code through wasm-bindgen (`#[wasm_bindgen(module = "/js/support.js")]`).

/** Every failure of the vpsgate package: a real Error with the stable numeric `code`. */
export class VpsgateError extends Error {
  constructor(message, code, codeName, upstreamCode, field, offset, rawBody, outcomeUnknown) {
    super(message);
    this.name = 'VpsgateError';
    this.code = code;
    this.codeName = codeName;
    this.upstreamCode = upstreamCode;
    this.field = field;
    this.offset = offset;
    this.rawBody = rawBody;
    this.outcomeUnknown = outcomeUnknown;
  }

  /** The error object of docs/CONTRACT.md. */
  toJSON() {
    return {
      code: this.code,
      name: this.codeName,
      message: this.message,
      upstream_code: this.upstreamCode,
      field: this.field,
      offset: this.offset,
      raw_body: this.rawBody,
    };
  }
}

export function vpsgateErrorClass() {
  return VpsgateError;
}

export function makeError(message, code, codeName, upstreamCode, field, offset, rawBody, outcomeUnknown) {
  return new VpsgateError(message, code, codeName, upstreamCode, field, offset, rawBody, outcomeUnknown);
}

/** A promise that resolves after `ms` milliseconds: the wait between retries of a read. */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** One AbortSignal for one exchange: fires on the caller's signal or after `timeoutMs`. */
export function linkSignal(timeoutMs, callerSignal) {
  const controller = new AbortController();
  let timedOut = false;
  let timer = null;
  const onAbort = () => controller.abort(callerSignal.reason);
  if (callerSignal) {
    if (callerSignal.aborted) controller.abort(callerSignal.reason);
    else callerSignal.addEventListener('abort', onAbort, { once: true });
  }
  if (timeoutMs > 0) {
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
  }
  return {
    signal: controller.signal,
    /**
     * `promise`, rejected as soon as the signal fires: a fetch that ignores its signal (a
     * custom one, or a body that stalls) cannot outlast the timeout or the caller's abort.
     */
    race: (promise) => new Promise((resolve, reject) => {
      const signal = controller.signal;
      const abort = () => reject(signal.reason ?? new Error('aborted'));
      if (signal.aborted) {
        abort();
        return;
      }
      signal.addEventListener('abort', abort, { once: true });
      promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
    }),
    timedOut: () => timedOut,
    callerAborted: () => !!(callerSignal && callerSignal.aborted),
    done: () => {
      if (timer !== null) clearTimeout(timer);
      if (callerSignal) callerSignal.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * Why a fetch failed, for the error mapping: the message and its cause's code, with the request
 * URL and each of its query values cut out (a GET to the gateway carries the login and the
 * password or API key in its query, and a fetch may quote the URL it failed on).
 */
export function describeFailure(e, url) {
  let text;
  if (e === null || typeof e !== 'object') {
    text = String(e);
  } else {
    text = String(e.message || e.name || 'fetch failed');
    const cause = e.cause;
    if (cause && typeof cause === 'object' && cause.code) text += ` (${cause.code})`;
  }
  return redact(text, String(url));
}

/** `text` with `url` and each of its query values cut out. */
export function redact(text, url) {
  const cut = (s, what, by) => (what.length > 0 ? s.split(what).join(by) : s);
  let out = cut(text, url, '<request URL>');
  const q = url.indexOf('?');
  if (q >= 0) {
    const query = url.slice(q + 1);
    out = cut(out, query, '<query>');
    for (const part of query.split('&')) {
      const raw = part.slice(part.indexOf('=') + 1);
      let decoded = raw;
      try {
        decoded = decodeURIComponent(raw.replace(/\+/g, ' '));
      } catch {
        // not valid percent-encoding: the raw text is cut out all the same
      }
      for (const v of [raw, decoded]) if (v.length >= 3) out = cut(out, v, '<redacted>');
    }
  }
  return out;
}

/**
 * Causes that Node's fetch (undici) gives a failure of the connection phase: the request was
 * certainly not sent. Refused, DNS, no route, connect timeout, and the TLS handshake's own
 * refusals (a certificate that does not verify, TLS spoken to a plain-HTTP port).
 */
const BEFORE_SENDING = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EHOSTUNREACH', 'ENETUNREACH',
  'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT',
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/**
 * Whether a rejected fetch certainly sent nothing: a TypeError whose cause (or the cause's
 * cause, or every error of an AggregateError, as Node gives for several addresses) has one of
 * the codes above, or is undici's "bad port". Anything else may have come after the request
 * went out: a connection closed or reset while the answer was awaited (`UND_ERR_SOCKET`,
 * `ECONNRESET`), and a browser's "Failed to fetch", which says nothing more.
 */
export function failedBeforeSending(e) {
  if (!(e instanceof TypeError)) return false;
  const known = (c) => c !== null && typeof c === 'object'
    && ((typeof c.code === 'string' && BEFORE_SENDING.has(c.code))
      // The fetch standard's blocked ports (1, 25, ...): refused before connecting.
      || c.message === 'bad port'
      || (Array.isArray(c.errors) && c.errors.length > 0 && c.errors.every(known)));
  for (let c = e.cause, depth = 0; c !== null && typeof c === 'object' && depth < 4; c = c.cause, depth++) {
    if (known(c)) return true;
  }
  return false;
}

// ---- Panics and traps (src/exec.rs) --------------------------------------------------------
// With panic = "abort" a Rust panic runs the panic hook (reportPanic) and then traps: the wasm
// call throws a WebAssembly.RuntimeError and the instance's state (its stack pointer, any borrow
// in progress) is left as it was. So a trap breaks the instance for good: every pending call is
// rejected and every later call fails, each with a VpsgateError of code 100 ("panic", the number
// the C library gives a caught panic).

/** The code of the "internal error" VpsgateError, shared with the C library's VPSGATE_PANIC. */
export const PANIC_CODE = 100;

/** Why the instance broke (the panic message or the trap's), or null while it works. */
let broken = null;
/** The calls whose promises are still open, by task id. */
const pending = new Map();
/** The Rust poll function (exec.rs, `install`). */
let poller = null;

function panicError(detail) {
  return new VpsgateError(
    `vpsgate: internal error, this instance cannot be used any more (please report): ${detail}`,
    PANIC_CODE, 'panic', null, null, null, null, false);
}

/** Break the instance (once) and reject every pending call; returns the error for this call. */
function fail(detail) {
  if (broken === null) broken = detail;
  const calls = [...pending.values()];
  pending.clear();
  for (const call of calls) call.reject(panicError(broken));
  return panicError(broken);
}

function isTrap(e) {
  return typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError;
}

export function reportPanic(message) {
  // A panic is a bug in vpsgate; the wasm call that hit it traps right after this returns.
  console.error(`vpsgate: internal error (please report): ${message}`);
  fail(message);
}

export function setPoller(poll) {
  poller = poll;
}

export function startCall(id) {
  return new Promise((resolve, reject) => {
    if (broken !== null) reject(panicError(broken));
    else pending.set(id, { resolve, reject });
  });
}

export function settleCall(id, ok, value) {
  const call = pending.get(id);
  if (call === undefined) return;
  pending.delete(id);
  if (ok) call.resolve(value);
  else call.reject(value);
}

export function schedulePoll(id) {
  queueMicrotask(() => {
    if (broken !== null) return;
    try {
      poller(id);
    } catch (e) {
      // Only a trap unwinds out of a poll (errors are results): nothing is left to throw to.
      fail(isTrap(e) ? `${e.name}: ${e.message}` : String(e));
    }
  });
}

/**
 * Call an export of the glue: a trap becomes a VpsgateError 100 (thrown, or a rejected promise
 * for `async` exports), and once broken the instance refuses every call the same way.
 */
function call(f, self, args, async) {
  if (broken !== null) {
    if (async) return Promise.reject(panicError(broken));
    throw panicError(broken);
  }
  try {
    return f.apply(self, args);
  } catch (e) {
    if (broken === null && !isTrap(e)) throw e;
    const err = fail(isTrap(e) ? `${e.name}: ${e.message}` : String(e));
    if (async) return Promise.reject(err);
    throw err;
  }
}

/** The guard the package's entry files wrap the exports in. */
export function runtime() {
  return {
    PANIC_CODE,
    isBroken: () => broken !== null,
    /** A guarded function: `async` ones reject instead of throwing. */
    guardFunction(f, async) {
      return function (...args) {
        return call(f, this, args, async);
      };
    },
    /**
     * Guard a glue class in place: its constructor (through the returned subclass-free proxy),
     * every method (those in `sync` throw, the others reject) and every accessor.
     */
    guardClass(cls, sync) {
      const proto = cls.prototype;
      for (const name of Object.getOwnPropertyNames(proto)) {
        if (name === 'constructor' || name.startsWith('__')) continue;
        const d = Object.getOwnPropertyDescriptor(proto, name);
        if (typeof d.value === 'function') {
          d.value = this.guardFunction(d.value, !sync.has(name) && name !== 'free');
        } else {
          if (d.get) d.get = this.guardFunction(d.get, false);
          if (d.set) d.set = this.guardFunction(d.set, false);
        }
        Object.defineProperty(proto, name, d);
      }
      return new Proxy(cls, {
        construct(target, args, newTarget) {
          return call(() => Reflect.construct(target, args, newTarget), null, [], false);
        },
      });
    },
  };
}
