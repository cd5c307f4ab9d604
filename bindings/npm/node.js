// Node entry (18+, ESM): the wasm is read from beside this file and instantiated synchronously.
import { readFileSync } from 'node:fs';
import { initSync, errorClass, errorCodes } from './pkg/vpsgate_wasm.js';

initSync({ module: readFileSync(new URL('./pkg/vpsgate_wasm_bg.wasm', import.meta.url)) });

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
