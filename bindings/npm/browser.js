// Browser and bundler entry: the wasm is fetched from beside this file (a bundler must copy
// pkg/vpsgate_wasm_bg.wasm next to its output, or serve it at the same relative URL).
import init, { errorClass, errorCodes } from './pkg/vpsgate_wasm.js';

await init({ module_or_path: new URL('./pkg/vpsgate_wasm_bg.wasm', import.meta.url) });

export {
  Friendhosting,
  Govpsfx,
  Lifecycle,
  decodePhp,
  encodePhp,
  sign,
} from './pkg/vpsgate_wasm.js';

/** The class of every error the package throws or rejects with. */
export const VpsgateError = errorClass();
/** The stable error numbers by name, shared with the C library and the CLI. */
export const ErrorCode = Object.freeze(errorCodes());
