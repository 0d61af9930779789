// A project whose lib has no DOM and no @types/node (lib es2022 only): the published types must
// not need the host's WebAssembly, URL or Response (they were TS2503 'Cannot find namespace
// WebAssembly' and TS2304 'Cannot find name URL' inside node_modules/cotangent).
import { np, grad, init, initSync, type WasmSource, type WasmModule, type WasmExports } from 'cotangent';
import * as manual from 'cotangent/manual';
export const g: number[] = grad((v: any) => np.sum(np.tanh(v)))(np.ones([2])).shape;
export const load: (s?: WasmSource) => Promise<WasmExports> = init;
export const loadSync = (m: WasmModule): WasmExports => initSync(m);
export const entry: typeof manual.init = manual.init;
