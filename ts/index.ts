// Default entry: the API, with the bundled wasm (dist/cotangent.wasm) loaded before use.
// Edge runtimes that refuse to compile wasm from bytes import ./api plus initSync(module).
import { init } from './loader.js';
export * from './api/index.js';
export { init, initSync, wasm, isLoaded } from './loader.js';
export type { WasmSource, WasmExports } from './loader.js';

await init();
