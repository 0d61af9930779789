// Default entry (`cotangent`): the API, with the bundled wasm (dist/cotangent.wasm, next to
// this file) loaded before use through top-level await. Hosts that cannot do that use
// `cotangent/workerd` (a compiled WebAssembly.Module imported as a module) or
// `cotangent/manual` (no automatic loading).
import { init } from './loader.js';
export * from './manual.js';

await init();
