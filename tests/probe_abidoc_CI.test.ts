// An embedder's probe of the standalone dist/cotangent.wasm, written from docs/abi.md (and the
// README's lines about the ABI) alone: no cotangent TypeScript is loaded. Every test instantiates
// the module with only the two imports the doc names and checks a documented claim against closed
// forms computed here in plain JS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const WASM = new URL('../dist/cotangent.wasm', import.meta.url);
const BYTES = readFileSync(WASM);
const MODULE = new WebAssembly.Module(BYTES);
const DOC = readFileSync(new URL('../docs/abi.md', import.meta.url), 'utf8');
const F32 = 0, F64 = 1, BOOL = 2, I32 = 3, C128 = 6;
const E = { SHAPE: 1, DTYPE: 2, PARAMS: 3, OOM: 4, NOT_TRANSPOSABLE: 6, BAD_ROW: 7, BAD_OP: 8, ESCAPED: 9, NOT_IMPLEMENTED: 10 };
const HAS_VALUE = 1, LINEAR = 2, VIEW = 16, HOST_BUFFER = 32;

type Rule = (kind: number, row: number) => void;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type W = any;

function load(rule?: Rule) {
  let mem!: WebAssembly.Memory;
  const calls: [number, number][] = [];
  const str = (p: number): string | null => {
    p >>>= 0;
    if (!p) return null;
    const n = new Uint32Array(mem.buffer, p - 4, 1)[0];
    return String.fromCharCode(...new Uint16Array(mem.buffer, p, n >>> 1));
  };
  const inst = new WebAssembly.Instance(MODULE, {
    env: {
      abort: (m: number, f: number, l: number, c: number) => { throw new Error(`abort: ${str(m)} (${str(f)}:${l}:${c})`); },
      custom_rule: (k: number, r: number) => {
        calls.push([k, r]);
        if (!rule) throw new Error('this host emits no custom rows');
        rule(k, r);
      },
    },
  });
  const w: W = inst.exports;
  mem = w.memory;
  const ops = new Map<string, number>();
  for (let i = 0; i < w.op_count(); i++) ops.set(str(w.op_name(i))!, i);
  const op = (name: string) => { const o = ops.get(name); assert.notEqual(o, undefined, `op ${name}`); return o!; };
  const sc = () => new Int32Array(mem.buffer, w.scratch() >>> 0, w.scratch_len());
  const emitRaw = (name: string | number, operands: number[], params: number[] = []) => {
    const s = sc(); s.set(operands, 0); s.set(params, operands.length);
    return w.emit(typeof name === 'number' ? name : op(name), operands.length, params.length) as number;
  };
  const emit = (name: string, operands: number[], params: number[] = []) => {
    const r = emitRaw(name, operands, params);
    assert.ok(r >= 0, `emit ${name}: ${r} (last_error ${w.last_error()})`);
    return r;
  };
  const emitP = (name: string, operands: number[], params: number[]) => { // emit_params
    const p = w.alloc(params.length * 4) >>> 0;
    new Int32Array(mem.buffer, p, params.length).set(params);
    sc().set(operands);
    const r = w.emit_params(op(name), operands.length, params.length, p);
    w.free(p);
    return r as number;
  };
  const f64 = (r: number) => Array.from(new Float64Array(mem.buffer, w.row_ptr(r) >>> 0, w.row_size(r)));
  const setF64 = (r: number, v: number[]) => new Float64Array(mem.buffer, w.row_ptr(r) >>> 0, v.length).set(v);
  const halves = (v: number) => { const dv = new DataView(new ArrayBuffer(8)); dv.setFloat64(0, v, true); return [dv.getInt32(0, true), dv.getInt32(4, true)]; };
  const full = (v: number, dims: number[] = [], dtype = F64) => emit('full', [], [dtype, ...halves(v), ...dims]);
  const input = (v: number[], dims: number[] = [v.length]) => { const r = emit('input', [], [F64, ...dims]); setF64(r, v); return r; };
  const shape = (r: number) => Array.from(new Int32Array(mem.buffer, w.row_shape(r) >>> 0, w.row_ndim(r)));
  // grad of scalar row y w.r.t. input x over rows [start, end): linearize, then transpose with a cotangent of 1
  const grad = (start: number, end: number, x: number, y: number, release = 1) => {
    const ph = emit('placeholder', [], [w.row_dtype(x), ...shape(x)]);
    sc().set([x, ph, y]);
    w.jvp(start, end, 1, 1);
    const lin = sc()[2];
    const one = full(1, shape(y));
    sc().set([lin, one, ph]);
    w.transpose(1, 1, release);
    return sc()[2];
  };
  return { w, mem, str, ops, op, sc, emit, emitRaw, emitP, f64, setF64, halves, full, input, shape, grad, calls };
}

const close = (got: number[], want: number[], tol: number, what: string) => {
  assert.equal(got.length, want.length, `${what}: length`);
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= tol * Math.max(1, Math.abs(want[i])), `${what}[${i}] = ${g}, want ${want[i]}`));
};

// ------------------------------------------------------------------ module surface

test('imports: exactly env.abort and env.custom_rule (functions)', () => {
  const imps = WebAssembly.Module.imports(MODULE).map((i) => `${i.module}.${i.name}:${i.kind}`).sort();
  assert.deepEqual(imps, ['env.abort:function', 'env.custom_rule:function']);
});

test('exports: ABI_VERSION 5 and RELAXED_SIMD 0 are immutable i32 globals; memory exported', () => {
  const { w } = load();
  assert.ok(w.ABI_VERSION instanceof WebAssembly.Global && w.RELAXED_SIMD instanceof WebAssembly.Global);
  assert.equal(w.ABI_VERSION.value, 5);
  assert.equal(w.RELAXED_SIMD.value, 0);
  assert.throws(() => { w.ABI_VERSION.value = 6; }, TypeError);
  assert.ok(w.memory instanceof WebAssembly.Memory);
  assert.match(DOC, /is \*\*5\*\*/);
});

test('every export is documented in docs/abi.md, and every call the doc names is exported', () => {
  const ex = WebAssembly.Module.exports(MODULE).map((e) => e.name);
  const undocumented = ex.filter((n) => !new RegExp('`[^`]*\\b' + n + '\\b').test(DOC));
  assert.deepEqual(undocumented, []);
  const named = [...new Set([...DOC.matchAll(/`(?:[a-z] = )?([a-z_]+)\(/g)].map((m) => m[1]))];
  assert.deepEqual(named.filter((n) => !ex.includes(n)), []);
});

test('memory: growable with no declared maximum (4 GiB), not shared; no exception tags', () => {
  let o = 8;
  const leb = () => { let r = 0, s = 0, x: number; do { x = BYTES[o++]; r += (x & 0x7f) * 2 ** s; s += 7; } while (x & 0x80); return r; };
  let mem: { flags: number } | null = null;
  const ids: number[] = [];
  while (o < BYTES.length) {
    const id = BYTES[o++]; const n = leb(); const st = o; ids.push(id);
    if (id === 5) { assert.equal(leb(), 1); mem = { flags: BYTES[o++] }; }
    o = st + n;
  }
  assert.ok(mem !== null, 'a memory section');
  assert.equal(mem!.flags & 1, 0, 'no maximum: up to 65536 pages');
  assert.equal(mem!.flags & 2, 0, 'not shared (no threads)');
  assert.ok(!ids.includes(13), 'no tag section (no exceptions)');
});

test('conventions: scratch holds 65536 i32s; op names are UTF-16 strings with their byte length before them', () => {
  const { w, ops } = load();
  assert.equal(w.scratch_len(), 65536);
  assert.equal(ops.size, w.op_count());
  for (const n of ['const', 'input', 'placeholder', 'full', 'copy', 'proj', 'neg', 'exp', 'log', 'sin', 'cos', 'tanh', 'sqrt',
    'add', 'sub', 'mul', 'div', 'pow', 'lt', 'le', 'gt', 'ge', 'eq', 'ne', 'select', 'convert', 'sum', 'broadcast_in_dim',
    'reshape', 'transpose', 'dot_general', 'concatenate', 'split', 'iota', 'fused', 'real', 'imag', 'complex', 'conj', 'abs',
    'triangular_solve', 'eig', 'custom_call', 'custom_linear', 'while', 'scan', 'cond', 'checkpoint', 'gather', 'scatter_add']) {
    assert.ok(ops.has(n), n);
  }
});

test('op table: arity and info bits as documented', () => {
  const { w, op } = load();
  assert.equal(w.op_arity(op('concatenate')), -1);
  assert.equal(w.op_arity(op('fused')), -1);
  assert.equal(w.op_arity(op('add')), 2);
  assert.equal(w.op_arity(op('sin')), 1);
  const info = (n: string) => w.op_info(op(n));
  assert.equal(info('add') & (1 | 2 | 4 | 16 | 64), 1 | 2 | 4 | 16 | 64, 'add: shape, kernel, jvp, transpose, batching');
  assert.equal(info('sin') & 16, 0, 'sin is not linear');
  assert.equal(info('lt') & 8, 8, 'lt: no derivative');
  assert.equal(info('sin') & 8, 0);
  // dtypes: sin has float32/float64 kernels and no int32 one; lt refuses complex
  const k = (n: string) => w.op_kernel_dtypes(op(n));
  assert.equal(k('sin') & 3, 3);
  assert.equal(k('sin') & (1 << I32), 0);
  assert.equal(k('lt') & (1 << C128), 0);
});

// ------------------------------------------------------------------ eager tape, rows, gradient

test('eager tape: f(x) = sum(sin(x) x) runs at emission; row accessors', () => {
  const { w, emit, input, f64, shape } = load();
  const X = [0.5, -1, 2];
  const x = input(X);
  assert.equal(w.row_flags(x) & HAS_VALUE, HAS_VALUE, 'an eager input has a buffer at once');
  const s = emit('sin', [x]); const m = emit('mul', [s, x]); const y = emit('sum', [m], [0]);
  close(f64(y), [X.reduce((a, v) => a + Math.sin(v) * v, 0)], 1e-15, 'f');
  assert.equal(w.row_dtype(y), F64); assert.equal(w.row_ndim(y), 0); assert.equal(w.row_size(y), 1);
  assert.deepEqual(shape(m), [3]);
  assert.equal(w.row_nops(m), 2); assert.equal(w.row_operand(m, 0), s); assert.equal(w.row_operand(m, 1), x);
  assert.equal(w.row_nparams(y), 1); assert.equal(new Int32Array(w.memory.buffer, w.row_params(y) >>> 0, 1)[0], 0);
  assert.equal(w.row_nout(y), 1);
  assert.equal(w.tape_len(), y + 1);
});

test('gradient = linearize then transpose with a cotangent of 1 (release 0 and 1 agree)', () => {
  for (const release of [0, 1]) {
    const { w, emit, input, f64, grad } = load();
    const X = [0.5, -1, 2, 3.25];
    const start = w.tape_len();
    const x = input(X);
    const y = emit('sum', [emit('mul', [emit('sin', [x]), x])], [0]);
    const g = grad(start, w.tape_len(), x, y, release);
    close(f64(g), X.map((v) => Math.sin(v) + v * Math.cos(v)), 1e-15, `grad release=${release}`);
  }
});

test('jvp with a valued seed: tangent = <f\'(x), v>; an output not reached is -1 (symbolic zero)', () => {
  const { w, emit, input, f64, sc } = load();
  const X = [0.3, 1.1], V = [2, -0.5];
  const start = w.tape_len();
  const x = input(X);
  const y = emit('sum', [emit('mul', [emit('exp', [x]), x])], [0]);
  const other = input([7]);
  const z = emit('neg', [other]);
  const end = w.tape_len();
  const v = emit('const', [], [F64, 2]); new Float64Array(w.memory.buffer, w.row_ptr(v) >>> 0, 2).set(V);
  sc().set([x, v, y, z]);
  w.jvp(start, end, 1, 2);
  const [ty, tz] = [sc()[2], sc()[3]];
  assert.equal(tz, -1);
  close(f64(ty), [X.reduce((a, xi, i) => a + Math.exp(xi) * (1 + xi) * V[i], 0)], 1e-15, 'jvp');
});

test('tangent rows can be differentiated again: d2/dx2 sin(x) x = 2 cos x - x sin x', () => {
  const { w, emit, input, f64, sc, full, grad } = load();
  const X = 0.7;
  const start = w.tape_len();
  const x = input([X], []);
  const y = emit('mul', [emit('sin', [x]), x]);
  const end = w.tape_len();
  const one = full(1);
  sc().set([x, one, y]);
  w.jvp(start, end, 1, 1);
  const t = sc()[2];
  close(f64(t), [Math.sin(X) + X * Math.cos(X)], 1e-15, "f'");
  const g2 = grad(start, w.tape_len(), x, t);
  close(f64(g2), [2 * Math.cos(X) - X * Math.sin(X)], 1e-15, "f''");
});

test('abstract tape: nothing runs until run(); bind_input; unbound input is E_BAD_ROW', () => {
  const { w, emit, f64 } = load();
  w.set_eager(0);
  const x = emit('input', [], [F64, 3]);
  const y = emit('exp', [x]);
  assert.equal(w.row_flags(x) & HAS_VALUE, 0);
  assert.equal(w.row_flags(y) & HAS_VALUE, 0);
  assert.equal(w.run(0, w.tape_len()), -E.BAD_ROW);
  assert.equal(w.last_error(), E.BAD_ROW);
  w.clear_error();
  const p = w.bind_input(x) >>> 0;
  assert.ok(p > 0);
  new Float64Array(w.memory.buffer, p, 3).set([0, 1, -2]);
  assert.equal(w.run(0, w.tape_len()), 0);
  close(f64(y), [1, Math.E, Math.exp(-2)], 1e-15, 'exp');
  assert.equal(w.run(0, w.tape_len() + 5), -E.BAD_ROW);
});

test('leaves: full splits the f64 fill into lo, hi; complex full fills value + 0i; const buffers', () => {
  const { w, emit, full, f64 } = load();
  close(f64(full(-0.1, [2, 2])), [-0.1, -0.1, -0.1, -0.1], 0, 'full f64');
  const f32 = full(0.1, [3], F32);
  assert.deepEqual(Array.from(new Float32Array(w.memory.buffer, w.row_ptr(f32) >>> 0, 3)), [Math.fround(0.1), Math.fround(0.1), Math.fround(0.1)]);
  const c = full(2.5, [2], C128);
  assert.deepEqual(Array.from(new Float64Array(w.memory.buffer, w.row_ptr(c) >>> 0, 4)), [2.5, 0, 2.5, 0]);
  const k = emit('const', [], [I32, 4]);
  assert.equal(w.row_flags(k) & HAS_VALUE, HAS_VALUE);
  new Int32Array(w.memory.buffer, w.row_ptr(k) >>> 0, 4).set([1, -2, 3, 4]);
  close(f64(emit('convert', [k], [F64])), [1, -2, 3, 4], 0, 'convert');
});

test('dtypes: bool is one byte 0/1; complex128 is interleaved; abs of complex is real; orderings refuse complex', () => {
  const { w, emit, emitRaw, full, f64, input } = load();
  const b = emit('lt', [input([-1, 2, -3]), full(0, [3])]);
  assert.equal(w.row_dtype(b), BOOL);
  assert.deepEqual(Array.from(new Uint8Array(w.memory.buffer, w.row_ptr(b) >>> 0, 3)), [1, 0, 1]);
  const z = emit('complex', [input([3, 1]), input([4, -1])]);
  assert.equal(w.row_dtype(z), C128);
  assert.deepEqual(Array.from(new Float64Array(w.memory.buffer, w.row_ptr(z) >>> 0, 4)), [3, 4, 1, -1]);
  const a = emit('abs', [z]);
  assert.equal(w.row_dtype(a), F64);
  close(f64(a), [5, Math.SQRT2], 1e-15, '|z|');
  close(f64(emit('imag', [z])), [4, -1], 0, 'imag');
  close(f64(emit('convert', [z], [F64])), [3, 1], 0, 'complex -> float keeps re');
  assert.equal(emitRaw('lt', [z, z]), -E.DTYPE);
  assert.equal(emitRaw('convert', [z], [I32]), -E.DTYPE);
});

test('tuple rows: split is one row followed by proj rows; the tuple row is no operand', () => {
  const { w, emit, emitRaw, input, f64, op } = load();
  const v = input([1, 2, 3, 4, 5]);
  const s = emit('split', [v], [0, 2, 3]);
  assert.equal(w.row_nout(s), 2);
  assert.equal(w.row_op(s + 1), op('proj'));
  close(f64(s + 1), [1, 2], 0, 'part 0'); close(f64(s + 2), [3, 4, 5], 0, 'part 1');
  assert.equal(emitRaw('neg', [s]), -E.BAD_ROW);
});

// ------------------------------------------------------------------ errors

test('errors: validation returns -code, records it, appends nothing; clear_error clears', () => {
  const { w, emitRaw, input, emit } = load();
  const x = input([1, 2, 3]); const y = input([1, 2]);
  const i = emit('input', [], [I32, 3]);
  const cases: [() => number, number][] = [
    [() => emitRaw('add', [x, y]), E.SHAPE],
    [() => emitRaw('sin', [i]), E.DTYPE],
    [() => emitRaw('sum', [x], [5]), E.PARAMS],
    [() => emitRaw('sin', [100000]), E.BAD_ROW],
    [() => emitRaw(9999, [x]), E.BAD_OP],
    [() => emitRaw('proj', [x], [0]), E.BAD_OP],
    [() => emitRaw('full', [], [F64, 0, 0, 1 << 20, 1 << 20]), E.OOM],
  ];
  for (const [f, code] of cases) {
    const len = w.tape_len();
    assert.equal(f(), -code);
    assert.equal(w.last_error(), code);
    assert.equal(w.tape_len(), len, 'an error appends nothing');
    w.clear_error();
    assert.equal(w.last_error(), 0);
  }
  assert.equal(w.alloc(2 ** 30), 0, 'alloc over 1 GiB - 16');
  assert.equal(w.last_error(), E.OOM);
});

test('errors: a failure deep in a transform traps; last_error, transforms_unwind; module stays usable', () => {
  const { w, emit, input, sc, f64 } = load();
  // E_NOT_IMPLEMENTED: the JVP of a complete QR of a wide matrix
  const start = w.tape_len();
  const a = emit('input', [], [F64, 2, 3]); new Float64Array(w.memory.buffer, w.row_ptr(a) >>> 0, 6).set([1, 2, 3, 4, 5, 7]);
  const q = emit('qr', [a], [1]);
  const end = w.tape_len();
  const ph = emit('placeholder', [], [F64, 2, 3]);
  const d = w.transforms_depth();
  sc().set([a, ph, q + 1]);
  assert.throws(() => w.jvp(start, end, 1, 1), (e: Error) => e instanceof WebAssembly.RuntimeError && /unreachable/.test(e.message));
  assert.equal(w.last_error(), E.NOT_IMPLEMENTED);
  assert.ok(w.transforms_depth() > d);
  w.transforms_unwind(d);
  assert.equal(w.transforms_depth(), d);
  w.clear_error();
  // E_NOT_TRANSPOSABLE: a product of two linear values
  const p = emit('placeholder', [], [F64]);
  const pp = emit('mul', [p, p]);
  const one = emit('full', [], [F64, 0, 1072693248]);
  sc().set([pp, one, p]);
  assert.throws(() => w.transpose(1, 1, 0), WebAssembly.RuntimeError);
  assert.equal(w.last_error(), E.NOT_TRANSPOSABLE);
  w.transforms_unwind(d);
  w.clear_error();
  const x = input([0.3], []);
  close(f64(emit('sin', [x])), [Math.sin(0.3)], 1e-15, 'after the traps');
});

// ------------------------------------------------------------------ tapes, memory

test('tapes: tape_new/select/current/free, reset empties, tape_epoch changes', () => {
  const { w, input } = load();
  const t0 = w.tape_current();
  assert.ok(t0 !== 0);
  const t1 = w.tape_new();
  assert.equal(w.tape_current(), t0, 'tape_new does not select');
  input([1, 2]);
  assert.equal(w.tape_len(), 1);
  w.tape_select(t1);
  assert.equal(w.tape_len(), 0);
  w.tape_select(t0);
  w.tape_free(t1);
  assert.equal(w.tape_len(), 1);
  const ep = w.tape_epoch();
  w.reset();
  assert.equal(w.tape_len(), 0);
  assert.notEqual(w.tape_epoch(), ep);
});

test('memory: alloc/free; views detach when memory grows; arena statistics', () => {
  const { w } = load();
  const L2 = load();
  const p = w.alloc(64) >>> 0;
  assert.ok(p > 0 && p % 8 === 0);
  const view = new Float64Array(w.memory.buffer, p, 8);
  const before = w.memory.buffer.byteLength;
  const big = w.alloc(64 << 20) >>> 0;
  assert.ok(big > 0);
  assert.ok(w.memory.buffer.byteLength > before);
  assert.equal(view.length, 0, 'the old view detached');
  w.free(big); w.free(p); w.free(0);
  assert.ok(w.arena_capacity() >= w.arena_used());
  const k = w.kernel_count();
  const { input: inp, emit: em } = L2;
  em('neg', [inp([1, 2])]);
  assert.ok(L2.w.kernel_count() > 0 && typeof k === 'number');
});

// ------------------------------------------------------------------ frozen tapes

// f(x) = exp(x) c + x x with c = [1, 2, 3] a const
const fRef = (xs: number[], c = [1, 2, 3]) => xs.map((v, i) => Math.exp(v) * c[i] + v * v);
function buildF(L: ReturnType<typeof load>) {
  const { w, emit, setF64 } = L;
  w.set_eager(0);
  const x = emit('input', [], [F64, 3]);
  const c = emit('const', [], [F64, 3]); setF64(c, [1, 2, 3]);
  const y = emit('add', [emit('mul', [emit('exp', [x]), c]), emit('mul', [x, x])]);
  return { x, c, y };
}

test('frozen tapes: freeze (abstract tape), counts, copy out, tape_load, inline_tape', () => {
  const L = load();
  const { w, sc, f64, input } = L;
  const { x, y } = buildF(L);
  sc().set([x, y]);
  const t = w.freeze_tape(1, 1, 0) >>> 0;
  assert.ok(t > 0);
  assert.equal(w.tape_inputs(t), 1); assert.equal(w.tape_outputs(t), 1);
  assert.ok(w.tape_input(t, 0) >= 0 && w.tape_output(t, 0) >= 0);
  const n = w.tape_bytes(t) >>> 0;
  const saved = new Uint8Array(w.memory.buffer, w.tape_block(t) >>> 0, n).slice();
  w.tape_free(t);
  w.reset(); w.set_eager(1);
  const p = w.alloc(n) >>> 0;
  new Uint8Array(w.memory.buffer, p, n).set(saved);
  const t2 = w.tape_load(p) >>> 0;
  assert.ok(t2 > 0);
  const X = [1, -1, 0.5];
  const x2 = input(X);
  sc().set([x2]);
  assert.equal(w.inline_tape(t2, 1), 1);
  close(f64(sc()[0]), fRef(X), 1e-15, 'inlined');
  sc().set([x2]);
  assert.equal(w.inline_tape(t2, 2), -E.BAD_ROW, 'wrong bind count');
  w.clear_error();
  sc().set([input([1, 2])]);
  assert.equal(w.inline_tape(t2, 1), -E.SHAPE, 'shape must match');
  w.clear_error();
  sc().set([x2, -1]);
  const tz = w.freeze_tape(1, 1, 0) >>> 0;
  assert.equal(w.tape_output(tz, 0), -1, 'a zero output');
});

test('frozen tapes: on an eager tape every row computed from the inputs is a valued residual and is baked', () => {
  // docs/abi.md: "Rows that already have values (residuals) are baked in as const rows"
  const { w, emit, sc, f64, input } = load();
  const x = input([0.1, 0.2, 0.3]);
  const y = emit('exp', [x]);
  sc().set([x, y]);
  const t = w.freeze_tape(1, 1, 0) >>> 0;
  const x2 = input([1, 2, 3]);
  sc().set([x2]);
  w.inline_tape(t, 1);
  close(f64(sc()[0]), [0.1, 0.2, 0.3].map(Math.exp), 1e-15, 'the baked value, not exp(x2)');
});

test('frozen tapes: residualInputs = 1 on a linear program: the primal rows become inputs; a pullback through it', () => {
  // f(x) = sum(exp(x) x): the linear program of its linearization reads primal rows; frozen with
  // residualInputs = 1 they are inputs we bind to values computed here, then transpose: exp(x)(1 + x)
  const L = load();
  const { w, emit, sc, f64, full, input } = L;
  w.set_eager(0);
  const x = emit('input', [], [F64, 3]);
  const y = emit('sum', [emit('mul', [emit('exp', [x]), x])], [0]);
  const ph = emit('placeholder', [], [F64, 3]);
  sc().set([x, ph, y]);
  w.jvp(0, ph, 1, 1);
  const lin = sc()[2];
  sc().set([ph, lin]);
  const t = w.freeze_tape(1, 1, 1) >>> 0;
  assert.ok(t > 0);
  const nRes = sc()[0];
  const rows = Array.from(sc().slice(1, 1 + nRes));
  assert.equal(w.tape_inputs(t), 1 + nRes);
  const X = [0.5, -1.25, 2];
  // evaluate each residual row's value in plain JS (input, exp, mul are all the primal ops here)
  const val = (r: number): number[] => {
    const o = w.row_op(r);
    if (r === x) return X;
    if (o === L.op('exp')) return val(w.row_operand(r, 0)).map(Math.exp);
    if (o === L.op('mul')) { const a = val(w.row_operand(r, 0)), b = val(w.row_operand(r, 1)); return a.map((v, i) => v * b[i]); }
    if (o === L.op('copy')) return val(w.row_operand(r, 0));
    throw new Error(`unexpected residual row op ${o}`);
  };
  const vals = rows.map(val);
  assert.ok(rows.every((r) => (w.row_flags(r) & LINEAR) === 0), 'residuals are primal rows');
  w.reset(); w.set_eager(1);
  const ph2 = emit('placeholder', [], [F64, 3]);
  const binds = [ph2, ...vals.map((v) => input(v))];
  sc().set(binds);
  assert.equal(w.inline_tape(t, binds.length), 1);
  const lin2 = sc()[0];
  sc().set([lin2, full(1), ph2]);
  w.transpose(1, 1, 1);
  close(f64(sc()[2]), X.map((v) => Math.exp(v) * (1 + v)), 1e-15, 'pullback through the frozen linear program');
});

test('frozen tapes: residualInputs = 1 on a non-linear program makes the output an input of its own (documented)', () => {
  const L = load();
  const { w, sc } = L;
  const { x, y } = buildF(L);
  sc().set([x, y]);
  const t = w.freeze_tape(1, 1, 1) >>> 0;
  assert.equal(sc()[0], 1);
  assert.equal(sc()[1], y);
  assert.equal(w.tape_inputs(t), 2);
  assert.equal(w.tape_output(t, 0), w.tape_input(t, 1));
});

test('frozen tapes: residualInputs = 2 makes only host-owned (emit_borrowed) residuals inputs', () => {
  const { w, emit, sc } = load();
  const hp = w.alloc(24) >>> 0;
  new Float64Array(w.memory.buffer, hp, 3).set([4, 5, 6]);
  sc().set([F64, 3]);
  w.set_eager(0);
  const b = w.emit_borrowed(hp, 2);
  const x = emit('input', [], [F64, 3]);
  const c = emit('const', [], [F64, 3]);
  const y = emit('add', [emit('mul', [x, b]), c]);
  sc().set([x, y]);
  const t = w.freeze_tape(1, 1, 2) >>> 0;
  assert.ok(t > 0);
  assert.equal(sc()[0], 1); assert.equal(sc()[1], b);
  assert.equal(w.tape_inputs(t), 2);
});

test('host buffers: emit_borrowed reads the block in place; emit_result hands a heap block (flag 32) that reset keeps', () => {
  const { w, emit, sc, input, f64, op } = load();
  const hp = w.alloc(24) >>> 0;
  new Float64Array(w.memory.buffer, hp, 3).set([4, 9, 16]);
  sc().set([F64, 3]);
  const b = w.emit_borrowed(hp, 2);
  assert.ok(b >= 0);
  assert.equal(w.row_flags(b) & HOST_BUFFER, HOST_BUFFER);
  assert.equal(w.row_ptr(b) >>> 0, hp);
  close(f64(emit('sqrt', [b])), [2, 3, 4], 1e-15, 'sqrt');
  new Float64Array(w.memory.buffer, hp, 3).set([25, 36, 49]);
  w.set_eager(0);
  const s2 = emit('sqrt', [b]);
  assert.equal(w.run(0, w.tape_len()), 0);
  close(f64(s2), [5, 6, 7], 1e-15, 'read in place, never copied');
  w.set_eager(1);
  const x = input([1, 2, 3]);
  sc().set([x]);
  const r = w.emit_result(op('neg'), 1, 0, 8);
  assert.equal(w.row_flags(r) & HOST_BUFFER, HOST_BUFFER);
  sc().set([x]);
  const small = w.emit_result(op('neg'), 1, 0, 1000);
  assert.equal(w.row_flags(small) & HOST_BUFFER, 0, 'under minBytes: arena memory');
  const p = w.row_ptr(r) >>> 0;
  w.reset();
  assert.deepEqual(Array.from(new Float64Array(w.memory.buffer, p, 3)), [-1, -2, -3]);
  w.free(p); w.free(hp);
});

test('replay_tape: outputs get host blocks (flag 32), intermediates lose their values; optimize/fuse/unfuse agree', () => {
  const L = load();
  const { w, sc, f64, input, op } = L;
  const { x, y } = buildF(L);
  sc().set([x, y]);
  const t = w.freeze_tape(1, 1, 0) >>> 0;
  w.reset(); w.set_eager(1);
  const X = [0.25, 0.5, -0.75];
  const x2 = input(X);
  const before = w.tape_len();
  sc().set([x2]);
  assert.equal(w.replay_tape(t, 1, 8), 1);
  const r = sc()[0];
  assert.equal(w.row_flags(r) & (HAS_VALUE | HOST_BUFFER), HAS_VALUE | HOST_BUFFER);
  close(f64(r), fRef(X), 1e-15, 'replay');
  for (let i = before; i < r; i++) if (w.row_op(i) !== op('const')) assert.equal(w.row_flags(i) & HAS_VALUE, 0, `intermediate ${i}`);
  w.free(w.row_ptr(r) >>> 0);
  const o = w.optimize_tape(t) >>> 0, fz = w.fuse_tape(o) >>> 0, u = w.unfuse_tape(fz) >>> 0;
  assert.ok(o && fz && u);
  const fusedRows: number[] = [];
  for (const tt of [o, fz, u]) {
    sc().set([x2]);
    const b0 = w.tape_len();
    assert.equal(w.inline_tape(tt, 1), 1);
    let nf = 0;
    for (let i = b0; i < w.tape_len(); i++) if (w.row_op(i) === op('fused')) nf++;
    fusedRows.push(nf);
    close(f64(sc()[0]), fRef(X), 1e-15, 'optimized/fused/unfused');
  }
  assert.deepEqual(fusedRows, [0, 1, 0]);
});

// (FIXED in assembly/index.ts: optimize_tape(0) read a Tape at address 0 and returned a garbage handle)
test('optimize_tape/fuse_tape/unfuse_tape: "0 on failure" for the null handle, with E_BAD_ROW recorded', () => {
  const { w } = load();
  for (const f of [w.optimize_tape, w.fuse_tape, w.unfuse_tape]) {
    assert.equal(f(0), 0);
    assert.equal(w.last_error(), E.BAD_ROW);
    w.clear_error();
  }
});

test('replay_tape_donated: an elementwise output takes the donated borrowed block (scratch[nOut + k] = 2)', () => {
  const { w, emit, sc, f64 } = load();
  w.set_eager(0);
  const x = emit('input', [], [F64, 4]);
  const y = emit('mul', [x, emit('full', [], [F64, 0, 1073741824, 4])]); // 2.0
  sc().set([x, y]);
  const t = w.freeze_tape(1, 1, 0) >>> 0;
  w.set_eager(1);
  const hp = w.alloc(32) >>> 0;
  new Float64Array(w.memory.buffer, hp, 4).set([1, 2, 3, 4]);
  sc().set([F64, 4]);
  const b = w.emit_borrowed(hp, 2);
  sc().set([b, 1]);
  assert.equal(w.replay_tape_donated(t, 1, 8), 1);
  const out = sc()[0];
  assert.equal(sc()[1], 2);
  assert.equal(w.row_ptr(out) >>> 0, hp);
  assert.equal(w.row_flags(out) & HOST_BUFFER, HOST_BUFFER);
  close(f64(out), [2, 4, 6, 8], 0, 'donated');
  w.free(hp);
});

// ------------------------------------------------------------------ vmap

test('vmap: views, batched emission, vmap_out with an axis, broadcasting, escaped views', () => {
  const { w, emit, emitRaw, f64, full, shape } = load();
  const X = emit('const', [], [F64, 3, 2]);
  new Float64Array(w.memory.buffer, w.row_ptr(X) >>> 0, 6).set([1, 2, 3, 4, 5, 6]);
  const d = w.transforms_depth();
  const id = w.vmap_enter(3);
  assert.ok(id > 0);
  const v = w.vmap_in(X, 0, id);
  assert.ok(v >= 0);
  assert.equal(w.row_flags(v) & VIEW, VIEW);
  assert.equal(w.row_flags(v) & HAS_VALUE, 0);
  assert.equal(w.row_batched(v), 1); assert.equal(w.row_level(v), id); assert.equal(w.row_bdim(v), 0); assert.equal(w.row_impl(v), X);
  assert.deepEqual(shape(v), [2], 'per-example shape');
  const s = emit('sum', [emit('mul', [v, v])], [0]);
  assert.equal(w.row_batched(s), 1);
  const o = w.vmap_out(s, id, 0);
  assert.equal(w.row_batched(o), 0);
  close(f64(o), [5, 25, 61], 0, 'per-row sum of squares');
  close(f64(w.vmap_out(full(7), id, 0)), [7, 7, 7], 0, 'broadcast');
  assert.equal(w.row_batched(X), 0); assert.equal(w.row_level(X), 0); assert.equal(w.row_impl(X), -1); assert.equal(w.row_bdim(X), -1);
  assert.equal(w.vmap_in(X, 1, id), -E.SHAPE, 'axis 1 has 2, not 3');
  w.clear_error();
  w.transforms_unwind(d);
  assert.equal(emitRaw('neg', [v]), -E.ESCAPED);
  assert.equal(w.last_error(), E.ESCAPED);
  w.clear_error();
  const id2 = w.vmap_enter(2);
  const v2 = w.vmap_in(X, 1, id2);
  const o2 = w.vmap_out(emit('neg', [v2]), id2, 1);
  assert.deepEqual(shape(o2), [3, 2]);
  close(f64(o2), [-1, -2, -3, -4, -5, -6], 0, 'batch axis 1 in and out');
  w.transforms_unwind(d);
});

// ------------------------------------------------------------------ custom rules

test('custom_call: jvp calls custom_rule(0, row); the host reads jvp_tangent and sets jvp_set_tangent', () => {
  let L!: ReturnType<typeof load>;
  L = load((kind, row) => {
    assert.equal(kind, 0);
    const tx = L.w.jvp_tangent(L.w.row_operand(row, 0));
    L.w.jvp_set_tangent(row + 1, L.emit('mul', [tx, L.full(3)])); // a deliberately wrong rule: 3 dx
  });
  const { w, emit, input, sc, f64, full, calls } = L;
  const start = w.tape_len();
  const x = input([1.5], []);
  const fx = emit('mul', [x, x]);
  const cc = emit('custom_call', [x, fx], [42, 1, 0, 1, 0]);
  assert.equal(w.row_nout(cc), 1);
  close(f64(cc + 1), [2.25], 0, 'outputs are copies of f');
  const end = w.tape_len();
  sc().set([x, full(2), cc + 1]);
  w.jvp(start, end, 1, 1);
  close(f64(sc()[2]), [6], 0, 'the host rule, not d(x x)');
  assert.deepEqual(calls, [[0, cc]]);
});

test('custom_linear: transpose calls custom_rule(1, row); transpose_cotangent / transpose_accumulate', () => {
  let L!: ReturnType<typeof load>;
  L = load((kind, row) => {
    assert.equal(kind, 1);
    const ct = L.w.transpose_cotangent(row + 1);
    L.w.transpose_accumulate(L.w.row_operand(row, 0), L.emit('mul', [ct, L.full(5)]));
  });
  const { w, emit, sc, f64, full } = L;
  const p = emit('placeholder', [], [F64]);
  const cl = emit('custom_linear', [p], [7, 1, 0, F64, 0]);
  assert.equal(w.row_flags(cl + 1) & LINEAR, LINEAR);
  sc().set([cl + 1, full(2), p]);
  w.transpose(1, 1, 1);
  close(f64(sc()[2]), [10], 0, 'cotangent 2 through a rule of 5');
});

test('an exception thrown by custom_rule unwinds like a trap: transforms_unwind to the depth read before', () => {
  const { w, emit, input, sc, f64, full } = load();
  const x = input([1.5], []);
  const cc = emit('custom_call', [x, emit('mul', [x, x])], [1, 1, 0, 1, 0]);
  const end = w.tape_len();
  const d = w.transforms_depth();
  sc().set([x, full(1), cc + 1]);
  assert.throws(() => w.jvp(0, end, 1, 1), /no custom rows/);
  w.transforms_unwind(d);
  assert.equal(w.transforms_depth(), d);
  close(f64(emit('neg', [x])), [-1.5], 0, 'usable after');
});

// ------------------------------------------------------------------ loop and cond rows

function frozenWords(L: ReturnType<typeof load>, build: () => [number[], number[]]) {
  const { w, sc } = L;
  const main = w.tape_current();
  const t = w.tape_new(); w.tape_select(t); w.set_eager(0);
  const [ins, outs] = build();
  sc().set([...ins, ...outs]);
  const f = w.freeze_tape(ins.length, outs.length, 0) >>> 0;
  assert.ok(f > 0);
  assert.equal((w.tape_bytes(f) >>> 0) % 4, 0);
  const words = Array.from(new Int32Array(w.memory.buffer, w.tape_block(f) >>> 0, (w.tape_bytes(f) >>> 0) / 4));
  w.set_eager(1); w.tape_select(main); w.tape_free(t); w.tape_free(f);
  w.set_eager(1);
  return words;
}

test('while row: carries i -> 2 i while i < 10, from 1: 16; its jvp asks custom_rule(2, row)', () => {
  const L = load((kind) => { throw new Error(`kind ${kind}`); });
  const { w, emit, emitP, full, f64, input, sc, calls } = L;
  const cw = frozenWords(L, () => { const i = emit('input', [], [F64]); return [[i], [emit('lt', [i, full(10)])]]; });
  const bw = frozenWords(L, () => { const i = emit('input', [], [F64]); return [[i], [emit('add', [i, i])]]; });
  const start = w.tape_len();
  const i0 = input([1], []);
  const r = emitP('while', [i0], [1, 0, 0, cw.length, bw.length, ...cw, ...bw]);
  assert.ok(r >= 0, `while: ${r}`);
  assert.equal(w.row_nout(r), 1);
  close(f64(r + 1), [16], 0, 'while');
  const end = w.tape_len();
  const d = w.transforms_depth();
  sc().set([i0, full(1), r + 1]);
  assert.throws(() => w.jvp(start, end, 1, 1), /kind 2/);
  w.transforms_unwind(d);
  assert.deepEqual(calls, [[2, r]]);
  // row_same_loop: the same while over a copy of the carry, and over an equal small constant: 1; another start: 0
  const r2 = emitP('while', [emit('copy', [i0])], [1, 0, 0, cw.length, bw.length, ...cw, ...bw]);
  const k1 = (v: number) => { const c = emit('const', [], [F64]); L.setF64(c, [v]); return c; };
  const ra = emitP('while', [k1(1)], [1, 0, 0, cw.length, bw.length, ...cw, ...bw]);
  const rb = emitP('while', [k1(1)], [1, 0, 0, cw.length, bw.length, ...cw, ...bw]);
  const rc = emitP('while', [k1(2)], [1, 0, 0, cw.length, bw.length, ...cw, ...bw]);
  const r4 = emitP('while', [input([3], [])], [1, 0, 0, cw.length, bw.length, ...cw, ...bw]);
  close(f64(r4 + 1), [12], 0, 'while from 3');
  assert.equal(w.row_same_loop(r, r2), 1);
  assert.equal(w.row_same_loop(ra, rb), 1);
  assert.equal(w.row_same_loop(ra, rc), 0);
  assert.equal(w.row_same_loop(r, r4), 0);
  assert.equal(w.row_same_loop(r, i0), 0);
  sc().set([i0]);
  assert.equal(w.emit_params(L.op('neg'), 1, 0, 0), -E.PARAMS, 'emit_params with no block');
});

test('scan row: carry c, ys = c x, c + x, forward and reversed (ys at step index); jvp asks custom_rule(4)', () => {
  const L = load((kind) => { throw new Error(`kind ${kind}`); });
  const { w, emit, emitP, f64, input, sc, full, calls } = L;
  const bw = frozenWords(L, () => { const c = emit('input', [], [F64]); const x = emit('input', [], [F64]); return [[c, x], [emit('add', [c, x]), emit('mul', [c, x])]]; });
  const XS = [1, 2, 3, 4];
  const ref = (rev: boolean) => {
    let c = 1; const ys = [0, 0, 0, 0];
    for (let k = 0; k < 4; k++) { const i = rev ? 3 - k : k; ys[i] = c * XS[i]; c += XS[i]; }
    return { c, ys };
  };
  const start = w.tape_len();
  const c0 = input([1], []);
  const xs = input(XS);
  for (const rev of [0, 1]) {
    const r = emitP('scan', [c0, xs], [1, 1, 0, 4, rev, bw.length, ...bw]);
    assert.ok(r >= 0);
    assert.equal(w.row_nout(r), 2);
    const want = ref(rev === 1);
    close(f64(r + 1), [want.c], 0, `carry rev=${rev}`);
    close(f64(r + 2), want.ys, 0, `ys rev=${rev}`);
  }
  const end = w.tape_len();
  const d = w.transforms_depth();
  sc().set([c0, full(1), end - 1]);
  assert.throws(() => w.jvp(start, end, 1, 1), /kind 4/);
  w.transforms_unwind(d);
  assert.equal(calls[0][0], 4);
});

test('cond row: branch clamp(index, 0, nb - 1); jvp asks custom_rule(8)', () => {
  const L = load((kind) => { throw new Error(`kind ${kind}`); });
  const { w, emit, emitP, f64, input, sc, full, calls } = L;
  const b0 = frozenWords(L, () => { const x = emit('input', [], [F64]); return [[x], [emit('neg', [x])]]; });
  const b1 = frozenWords(L, () => { const x = emit('input', [], [F64]); return [[x], [emit('exp', [x])]]; });
  const start = w.tape_len();
  const x = input([0.5], []);
  let last = -1;
  for (const [k, want] of [[-3, -0.5], [0, -0.5], [1, Math.exp(0.5)], [7, Math.exp(0.5)]] as const) {
    const idx = emit('const', [], [I32]);
    new Int32Array(w.memory.buffer, w.row_ptr(idx) >>> 0, 1)[0] = k;
    const r = emitP('cond', [idx, x], [2, 1, 0, 0, b0.length, b1.length, ...b0, ...b1]);
    assert.ok(r >= 0);
    close(f64(r + 1), [want], 1e-15, `cond index ${k}`);
    last = r;
  }
  const end = w.tape_len();
  const d = w.transforms_depth();
  sc().set([x, full(1), last + 1]);
  assert.throws(() => w.jvp(start, end, 1, 1), /kind 8/);
  w.transforms_unwind(d);
  assert.equal(calls[0][0], 8);
});

test('while row under vmap: custom_rule(3) with the batched carry at while_batch_rows() and flag 1 at + 4 * stride', () => {
  let seen: { rows: number; flag: number; shape: number[] } | null = null;
  let L!: ReturnType<typeof load>;
  L = load((kind, _row) => {
    assert.equal(kind, 3);
    const base = L.w.while_batch_rows() >>> 0, stride = L.w.while_batch_stride();
    const r = new Int32Array(L.w.memory.buffer, base, 1)[0];
    const flag = new Int32Array(L.w.memory.buffer, base + 4 * stride, 1)[0];
    seen = { rows: r, flag, shape: L.shape(r) };
    throw new Error('stop');
  });
  const { w, emit, emitP, full } = L;
  const cw = frozenWords(L, () => { const i = emit('input', [], [F64]); return [[i], [emit('lt', [i, full(10)])]]; });
  const bw = frozenWords(L, () => { const i = emit('input', [], [F64]); return [[i], [emit('add', [i, i])]]; });
  assert.equal(w.while_batch_stride(), 4096);
  const X = emit('const', [], [F64, 3]);
  const d = w.transforms_depth();
  const id = w.vmap_enter(3);
  const v = w.vmap_in(X, 0, id);
  assert.throws(() => emitP('while', [v], [1, 0, 0, cw.length, bw.length, ...cw, ...bw]), /stop/);
  w.transforms_unwind(d);
  assert.ok(seen !== null);
  assert.deepEqual(seen!.shape, [3], 'the carry batched along axis 0');
  assert.equal(seen!.flag, 1);
});
