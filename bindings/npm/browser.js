// Browser and bundler entry: the wasm is fetched from beside this file (a bundler must copy
// pkg/vpsgate_wasm_bg.wasm next to its output, or serve it at the same relative URL); the
// exports are api.js's.
import init from './pkg/vpsgate_wasm.js';
import setup from './api.js';

await init({ module_or_path: new URL('./pkg/vpsgate_wasm_bg.wasm', import.meta.url) });
setup();

export * from './api.js';
