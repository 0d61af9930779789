// Type-checked by tests/types.test.ts: the other entries expose the same API, plus the loader.
import { np, grad, init, initSync, isLoaded, wasmBuild, type WasmSource, type WasmBuild } from 'cotangent/manual';
import * as edge from 'cotangent/workerd';
import * as main from 'cotangent';

const source: WasmSource = new URL('https://example.com/cotangent.wasm');
const ready: Promise<unknown> = isLoaded() ? Promise.resolve() : init(source);
const fromModule = (m: WebAssembly.Module) => initSync(m).memory.buffer.byteLength;
const g: number = grad(np.tanh)(1.0).item() as number;
// The same functions under every entry (one shared copy at run time, one set of types).
const same: typeof main.grad = edge.grad;
const alsoSame: typeof edge.np.tanh = main.np.tanh;
// Which wasm build is loaded, from any entry.
const build: 'simd' | 'relaxed-simd' = main.wasmBuild();
const builds: WasmBuild[] = [wasmBuild(), edge.wasmBuild()];
// @ts-expect-error: only the two build names
const wrongBuild: WasmBuild = 'fma';
console.log(ready, fromModule, g, same, alsoSame, build, builds, wrongBuild);
