// Entry with no automatic initialization (`cotangent/manual`): the API plus init()/initSync(),
// for hosts that provide the wasm themselves (a URL they serve, a Response, bytes, or a
// WebAssembly.Module their bundler or runtime compiled). Nothing is loaded at import time.
export * from './api/index.js';
export { init, initSync, wasm, isLoaded, wasmBuild } from './loader.js';
export type { WasmSource, WasmSyncSource, WasmExports, WasmBuild, WasmModule, WasmInstance, WasmMemory } from './loader.js';
