// The op table of the loaded wasm module, read through its exports (op_count, op_name).
import { wasm } from 'cotangent';

/** Op names in opcode order, as the wasm's registry has them. */
export function wasmOpNames(): string[] {
  const e = wasm();
  const names: string[] = [];
  for (let i = 0; i < e.op_count(); i++) {
    const p = e.op_name(i) >>> 0;
    const bytes = new Uint32Array(e.memory.buffer, p - 4, 1)[0];
    names.push(String.fromCharCode(...new Uint16Array(e.memory.buffer, p, bytes >>> 1)));
  }
  return names;
}
