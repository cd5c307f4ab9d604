// The package's public API, shared by the Node (node.js) and the browser (browser.js) entries:
// one table of what is exported, each export of the wasm glue wrapped in the panic guard of
// crates/vpsgate-wasm/js/support.js (a trap becomes a VpsgateError of code 100, and the instance
// then refuses every call). The entry instantiates the wasm, calls the default export once, and
// re-exports the names below with `export *` (which leaves the default out).
import * as glue from './pkg/vpsgate_wasm.js';
import { Unpackr } from './pkg/msgpackr.js';

/** The class of every error the package throws or rejects with. */
export let VpsgateError;
/** The stable error numbers by name, shared with the C library and the CLI. */
export let ErrorCode;
export let Friendhosting;
export let Govpsfx;
export let Lifecycle;
export let decodePhp;
export let encodePhp;
export let sign;

/** Methods of the classes that return a value, not a promise. */
const SYNC_METHODS = new Set(['verifyCallback']);

/** Fill the exports in from the instantiated glue; the entry calls it once, after init. */
export default function setup() {
  const rt = glue.__runtime();
  VpsgateError = glue.errorClass();
  ErrorCode = Object.freeze({ ...glue.errorCodes(), panic: rt.PANIC_CODE });
  Friendhosting = rt.guardClass(glue.Friendhosting, SYNC_METHODS);
  Govpsfx = rt.guardClass(glue.Govpsfx, SYNC_METHODS);
  Lifecycle = rt.guardClass(glue.Lifecycle, SYNC_METHODS);
  // decodePhp's fast path: the wasm writes MessagePack with msgpackr records
  // (crates/vpsgate-php/src/msgpack.rs), msgpackr builds the values. Maps as plain objects, as
  // JSON.parse makes them; records as objects (msgpackr's default); 64-bit ints as numbers
  // (msgpackr's default is BigInt): the wasm writes one only within ±(2^53 - 1), where a number
  // is exact, and leaves any larger integer to the JSON path.
  const unpackr = new Unpackr({ useRecords: true, mapsAsObjects: true, int64AsType: 'number' });
  glue.__setMsgpackDecoder((bytes) => unpackr.unpack(bytes));
  decodePhp = rt.guardFunction(glue.decodePhp, false);
  encodePhp = rt.guardFunction(glue.encodePhp, false);
  sign = rt.guardFunction(glue.sign, false);
  return rt;
}

/** A deliberate panic (`"sync"` or `"async"`), for tests/npm/panic.test.mjs only. */
export function __panicForTests(mode) {
  return rt().guardFunction(glue.__panicForTests, mode === 'async')(mode);
}

function rt() {
  return glue.__runtime();
}
