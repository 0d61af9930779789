// The TS side of the wasm ABI (assembly/index.ts): op numbers looked up by name, the i32
// scratch area, and memory views re-made whenever memory has grown.
import { wasm } from '../loader.js';

/** The exports of assembly/index.ts (docs/abi.md). */
export interface Abi {
  memory: WebAssembly.Memory;
  ABI_VERSION: WebAssembly.Global;
  scratch(): number; scratch_len(): number; while_batch_rows(): number; while_batch_stride(): number;
  tape_new(): number; tape_free(t: number): void; tape_select(t: number): void; tape_current(): number;
  reset(): void; tape_len(): number; tape_epoch(): number; set_eager(on: number): void;
  emit(op: number, nops: number, nparams: number): number;
  emit_params(op: number, nops: number, nparams: number, params: number): number;
  emit_borrowed(p: number, nparams: number): number;
  emit_result(op: number, nops: number, nparams: number, minBytes: number): number;
  run(start: number, end: number): number; bind_input(r: number): number;
  jvp(start: number, end: number, nIn: number, nOut: number): void;
  transpose(nOut: number, nIn: number, release: number): void;
  transforms_depth(): number; transforms_unwind(d: number): void;
  jvp_tangent(x: number): number; jvp_set_tangent(x: number, t: number): void;
  transpose_cotangent(x: number): number; transpose_accumulate(x: number, c: number): void;
  vmap_enter(size: number): number; vmap_in(x: number, bdim: number, id: number): number;
  vmap_rule_level(): number; vmap_same_axis(id: number, base: number): void;
  vmap_out(x: number, id: number, axis: number): number; row_batched(x: number): number;
  row_level(x: number): number; row_impl(x: number): number; row_bdim(x: number): number; row_same_loop(a: number, b: number): number;
  freeze_tape(nIn: number, nOut: number, residualInputs: number): number;
  inline_tape(t: number, nBind: number): number; replay_tape(t: number, nBind: number, minBytes: number): number;
  replay_tape_donated(t: number, nBind: number, minBytes: number): number;
  tape_inputs(t: number): number; tape_outputs(t: number): number;
  tape_input(t: number, k: number): number; tape_output(t: number, k: number): number; optimize_tape(t: number): number; fuse_tape(t: number): number; unfuse_tape(t: number): number;
  tape_block(t: number): number; tape_bytes(t: number): number; tape_load(p: number): number;
  alloc(n: number): number; free(p: number): void;
  row_op(r: number): number; row_dtype(r: number): number; row_ndim(r: number): number;
  row_shape(r: number): number; row_nops(r: number): number; row_operand(r: number, i: number): number;
  row_nparams(r: number): number; row_params(r: number): number; row_flags(r: number): number;
  row_ptr(r: number): number; row_size(r: number): number; row_nout(r: number): number;
  last_error(): number; clear_error(): void; release_results(start: number): void;
  op_count(): number; op_name(op: number): number; op_arity(op: number): number; op_info(op: number): number;
  op_kernel_dtypes(op: number): number;
  arena_capacity(): number; arena_used(): number; kernel_count(): number;
}


let ex: Abi | null = null;
let opByName: Map<string, number> = new Map();
let opNames: string[] = [];
let scratchView: Int32Array | null = null;
let i32View: Int32Array | null = null;
let u8View: Uint8Array | null = null;

export function abi(): Abi {
  if (ex === null) bind();
  return ex!;
}

// Exports returning addresses: wasm hands back an i32, so above 2 GiB it reads negative in JS.
const POINTER_EXPORTS = [
  'scratch', 'row_shape', 'row_params', 'row_ptr', 'op_name', 'arena_capacity', 'arena_used', 'tape_new',
  'tape_current', 'while_batch_rows', 'freeze_tape', 'optimize_tape', 'fuse_tape', 'unfuse_tape', 'tape_block', 'tape_bytes', 'tape_load', 'alloc', 'bind_input',
] as const;

function bind(): void {
  const raw = wasm() as unknown as Abi;
  const e = { ...raw } as Abi; // the exports object itself is frozen
  for (const name of POINTER_EXPORTS) {
    const f = raw[name] as (...a: number[]) => number;
    // Fixed arities: a rest parameter would allocate an array on every call of a hot path.
    (e as any)[name] = f.length === 0 ? () => f() >>> 0 : f.length === 1 ? (a: number) => f(a) >>> 0
      : (...a: number[]) => f(...a) >>> 0;
  }
  ex = e;
  opNames = [];
  opByName = new Map();
  for (let i = 0; i < e.op_count(); i++) {
    const name = readString(e.op_name(i));
    opNames.push(name);
    opByName.set(name, i);
  }
}

/** An AssemblyScript string: UTF-16 code units, byte length in the u32 before it. */
export function readString(ptr: number): string {
  const buf = abi().memory.buffer;
  const bytes = new Uint32Array(buf, ptr - 4, 1)[0];
  return String.fromCharCode(...new Uint16Array(buf, ptr, bytes >>> 1));
}

export function opCode(name: string): number {
  abi();
  const c = opByName.get(name);
  if (c === undefined) throw new Error(`cotangent: the wasm module has no op '${name}'`);
  return c;
}
export function opName(code: number): string { abi(); return opNames[code] ?? `op${code}`; }

// Growing wasm memory detaches the old buffer, and a view on a detached buffer has length 0:
// a cheaper test than comparing against the `memory.buffer` getter on every op.

/** The scratch area as i32s (re-made after memory growth). */
export function scratch(): Int32Array {
  if (scratchView === null || scratchView.length === 0) {
    const e = abi();
    scratchView = new Int32Array(e.memory.buffer, e.scratch(), e.scratch_len());
  }
  return scratchView;
}

/** All of memory as bytes (re-made after memory growth): uploads of array data. */
export function memU8(): Uint8Array {
  if (u8View === null || u8View.length === 0) u8View = new Uint8Array(abi().memory.buffer);
  return u8View;
}

/** All of memory as i32s (re-made after memory growth): reads of shapes and params. */
export function memI32(): Int32Array {
  if (i32View === null || i32View.length === 0) i32View = new Int32Array(abi().memory.buffer);
  return i32View;
}

export function memoryBuffer(): ArrayBuffer { return abi().memory.buffer as ArrayBuffer; }
