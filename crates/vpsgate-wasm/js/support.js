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
    timedOut: () => timedOut,
    callerAborted: () => !!(callerSignal && callerSignal.aborted),
    done: () => {
      if (timer !== null) clearTimeout(timer);
      if (callerSignal) callerSignal.removeEventListener('abort', onAbort);
    },
  };
}

/** Why a fetch failed, for the error mapping: the message and its cause's, never a URL. */
export function describeFailure(e) {
  if (e === null || typeof e !== 'object') return String(e);
  let text = String(e.message || e.name || 'fetch failed');
  const cause = e.cause;
  if (cause && typeof cause === 'object' && cause.code) text += ` (${cause.code})`;
  return text;
}

export function isTypeError(e) {
  return e instanceof TypeError;
}

export function reportPanic(message) {
  // A panic is a bug in vpsgate; the wasm call that hit it throws a WebAssembly.RuntimeError.
  console.error(`vpsgate: internal error (please report): ${message}`);
}
