// Node entry (18+, ESM): the wasm is read from beside this file and instantiated synchronously;
// the exports are api.js's.
import { readFileSync } from 'node:fs';
import { initSync } from './pkg/vpsgate_wasm.js';
import setup from './api.js';

initSync({ module: readFileSync(new URL('./pkg/vpsgate_wasm_bg.wasm', import.meta.url)) });
setup();

export * from './api.js';
