// Entry for edge runtimes (`cotangent/workerd`, and the `workerd`/`worker` export conditions of
// `cotangent`): they refuse to compile wasm from bytes at run time, but import a `.wasm` file
// as a ready WebAssembly.Module (workerd's `wasm = embed` modules, Cloudflare's bundler).
// Instantiating a Module synchronously is allowed there, so the API is ready at import, with no
// top-level await and no I/O.
import module from './cotangent.wasm';
import { initSync } from './loader.js';
export * from './manual.js';

initSync(module);
