// The fused primitive (assembly/ad/rules/fused.ts): its kernel gives the bits of its rows run one
// by one, at sizes around the block length, for every kind of instruction (transcendental, exact,
// integer, comparison and select, conversion, splat, FULL); its batching rule equals the loop
// over the examples; its shape rule refuses malformed programs with an error code, never a trap.
import '../assembly/index'; // registers every rule family
import {
  FUSED, TANH, EXP, MUL, ADD, SUB, DIV, LT, SELECT, CONVERT, BROADCAST_IN_DIM, FULL, SUM, NEG, SIN, REDUCE_MAX,
  LOG1P, LOG, MAX,
} from '../assembly/ad/ops';
import { emitN } from '../assembly/ad/emit';
import { rowPtr, rowBytes, rowDtype, rowOp, rowFlags, HAS_VALUE } from '../assembly/ad/tape';
import { BLOCK } from '../assembly/ad/rules/fused';
import { vmapEnter, vmapIn, vmapOut } from '../assembly/ad/vmap';
import { depth, unwind } from '../assembly/ad/maps';
import { F32, F64, I32, BOOL } from '../assembly/dtype';
import { E_PARAMS, E_SHAPE, E_DTYPE } from '../assembly/errors';
import { resetTape, constRow, emitOp, readRow, fullRow } from './helpers/rows';

/** A fused program's params, built instruction by instruction (refs: >= 0 instruction, < 0 operand). */
class Program {
  p: Array<i32> = [];
  count: i32 = 0;
  constructor(dtype: i32, shape: StaticArray<i32>) {
    this.p.push(dtype); this.p.push(shape.length);
    for (let i = 0; i < shape.length; i++) this.p.push(shape[i]);
    this.p.push(0); // count, filled in by done()
  }
  op(op: i32, refs: StaticArray<i32>, params: StaticArray<i32> = []): i32 {
    this.p.push(op); this.p.push(refs.length);
    for (let i = 0; i < refs.length; i++) this.p.push(refs[i]);
    this.p.push(params.length);
    for (let i = 0; i < params.length; i++) this.p.push(params[i]);
    return this.count++;
  }
  emit(operands: StaticArray<i32>): i32 {
    const nd = this.p[1];
    this.p[2 + nd] = this.count;
    const pp = heap.alloc(<usize>this.p.length << 2), op = heap.alloc(<usize>max(operands.length, 1) << 2);
    for (let i = 0; i < this.p.length; i++) store<i32>(pp + (<usize>i << 2), this.p[i]);
    for (let i = 0; i < operands.length; i++) store<i32>(op + (<usize>i << 2), operands[i]);
    const r = emitN(FUSED, op, operands.length, this.p.length, pp);
    heap.free(pp); heap.free(op);
    return r;
  }
}

function data(n: i32, seed: f64, lo: f64, hi: f64): StaticArray<f64> {
  const d = new StaticArray<f64>(n);
  for (let i = 0; i < n; i++) d[i] = lo + (hi - lo) * (0.5 + 0.5 * Math.sin(seed * <f64>(i + 1) + 0.3 * seed));
  return d;
}
function fullBits(v: f64): StaticArray<i32> { const b = reinterpret<i64>(v); return [<i32>b, <i32>(b >>> 32)]; }
function fullParams(dt: i32, v: f64, n: i32): StaticArray<i32> { const b = fullBits(v); return [dt, b[0], b[1], n]; }

/** Do rows x and y hold the same bytes? */
function sameBits(x: i32, y: i32): bool {
  return rowBytes(x) == rowBytes(y) && memory.compare(rowPtr(x), rowPtr(y), rowBytes(x)) == 0;
}

const SIZES: StaticArray<i32> = [1, 3, 4, 5, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK + 3, 5 * BLOCK];

describe('fused kernel = its rows one by one, bit for bit', () => {
  it('float: tanh, exp, log1p (f64) or log (f32), sin, mul, add, sub, div, max, neg, a splat and a FULL (f32 and f64)', () => {
    const dts: StaticArray<i32> = [F32, F64];
    for (let d = 0; d < 2; d++) {
      const dt = dts[d];
      // (log1p's float32 kernel is one huge function that V8 takes ~30 s to compile in as-pect's
      // debug build; the float64 one covers the family.)
      const lg = dt == F64 ? LOG1P : LOG;
      for (let s = 0; s < SIZES.length; s++) {
        resetTape();
        const n = SIZES[s], shape: StaticArray<i32> = [n];
        const a = constRow(dt, shape, data(n, 1.3, -3, 3)), b = constRow(dt, shape, data(n, 2.1, -2, 2));
        const c = constRow(dt, [], [0.75]);
        // The rows: ((tanh(a) * splat(c) + exp(b)) - full(2.5)) / max(log1p(exp(b)^2), sin(a)) then neg
        // (exp(b) read twice by one instruction: its register is freed once).
        const t0 = emitOp(TANH, a, -1, -1, []), t1 = emitOp(BROADCAST_IN_DIM, c, -1, -1, [n]);
        const t2 = emitOp(MUL, t0, t1, -1, []), t3 = emitOp(EXP, b, -1, -1, []), t4 = emitOp(ADD, t2, t3, -1, []);
        const t5 = emitOp(FULL, -1, -1, -1, fullParams(dt, 2.5, n)), t6 = emitOp(SUB, t4, t5, -1, []);
        const t7 = emitOp(MUL, t3, t3, -1, []), t8 = emitOp(lg, t7, -1, -1, []), t9 = emitOp(SIN, a, -1, -1, []);
        const t10 = emitOp(MAX, t8, t9, -1, []), t11 = emitOp(DIV, t6, t10, -1, []), want = emitOp(NEG, t11, -1, -1, []);
        const p = new Program(dt, shape);
        const i0 = p.op(TANH, [-1]), i1 = p.op(BROADCAST_IN_DIM, [-3], [n]), i2 = p.op(MUL, [i0, i1]);
        const i3 = p.op(EXP, [-2]), i4 = p.op(ADD, [i2, i3]), i5 = p.op(FULL, [], fullParams(dt, 2.5, n));
        const i6 = p.op(SUB, [i4, i5]), i7 = p.op(MUL, [i3, i3]), i8 = p.op(lg, [i7]), i9 = p.op(SIN, [-1]);
        const i10 = p.op(MAX, [i8, i9]), i11 = p.op(DIV, [i6, i10]);
        p.op(NEG, [i11]);
        const got = p.emit([a, b, c]);
        expect(got).toBeGreaterThanOrEqual(0, 'emit fused');
        expect(rowOp(got)).toBe(FUSED);
        expect(sameBits(got, want)).toBe(true, 'n = ' + n.toString() + (dt == F32 ? ' f32' : ' f64'));
      }
    }
  });

  it('int32 arithmetic, a comparison, select and conversions (bool and float outputs)', () => {
    for (let s = 0; s < SIZES.length; s++) {
      resetTape();
      const n = SIZES[s], shape: StaticArray<i32> = [n];
      const a = constRow(I32, shape, data(n, 0.7, -1000, 1000)), b = constRow(I32, shape, data(n, 1.9, -1000, 1000));
      const x = constRow(F32, shape, data(n, 0.4, -5, 5));
      const t0 = emitOp(MUL, a, b, -1, []), t1 = emitOp(ADD, t0, a, -1, []), t2 = emitOp(LT, t1, b, -1, []);
      const t3 = emitOp(CONVERT, t1, -1, -1, [F32]), t4 = emitOp(SELECT, t2, t3, x, []);
      const p = new Program(F32, shape);
      const i0 = p.op(MUL, [-1, -2]), i1 = p.op(ADD, [i0, -1]), i2 = p.op(LT, [i1, -2]);
      const i3 = p.op(CONVERT, [i1], [F32]);
      p.op(SELECT, [i2, i3, -3]);
      const got = p.emit([a, b, x]);
      expect(got).toBeGreaterThanOrEqual(0, 'emit fused');
      expect(sameBits(got, t4)).toBe(true, 'n = ' + n.toString());
      // A bool output.
      const q = new Program(BOOL, shape);
      const j0 = q.op(MUL, [-1, -2]);
      q.op(LT, [j0, -1]);
      const gotB = q.emit([a, b]);
      expect(rowDtype(gotB)).toBe(BOOL);
      expect(sameBits(gotB, emitOp(LT, t0, a, -1, []))).toBe(true, 'bool n = ' + n.toString());
    }
  });
});

describe('fused broadcasts: a bias, a scale per row, a middle axis', () => {
  it('out[g] = y[(g / inner) % m] at shapes whose rows do not divide the block', () => {
    const shapes: StaticArray<StaticArray<i32>> = [[30, 37], [7, 700], [5, 13, 11], [2, 1029]];
    for (let s = 0; s < shapes.length; s++) {
      resetTape();
      const sh = shapes[s], nd = sh.length, n = sh.length == 2 ? sh[0] * sh[1] : sh[0] * sh[1] * sh[2];
      const last = sh[nd - 1], mid = nd == 3 ? sh[1] : sh[0];
      const x = constRow(F32, sh, data(n, 0.37, -2, 2));
      const bias = constRow(F32, [last], data(last, 1.3, -1, 1)); // the last axis (inner 1)
      const rows = constRow(F32, [mid], data(mid, 2.9, 0.5, 1.5)); // axis nd-2 (inner = last)
      // params: out dims..., then the output axis of each operand axis
      const bp = new StaticArray<i32>(nd + 1), rp = new StaticArray<i32>(nd + 1);
      for (let a = 0; a < nd; a++) { bp[a] = sh[a]; rp[a] = sh[a]; }
      bp[nd] = nd - 1; rp[nd] = nd - 2;
      const t0 = emitOp(BROADCAST_IN_DIM, bias, -1, -1, bp), t1 = emitOp(ADD, x, t0, -1, []);
      const t2 = emitOp(TANH, t1, -1, -1, []), t3 = emitOp(BROADCAST_IN_DIM, rows, -1, -1, rp);
      const want = emitOp(MUL, t2, t3, -1, []);
      const p = new Program(F32, sh);
      const i0 = p.op(BROADCAST_IN_DIM, [-2], bp), i1 = p.op(ADD, [-1, i0]), i2 = p.op(TANH, [i1]);
      const i3 = p.op(BROADCAST_IN_DIM, [-3], rp);
      p.op(MUL, [i2, i3]);
      const got = p.emit([x, bias, rows]);
      expect(got).toBeGreaterThanOrEqual(0, 'emit fused');
      expect(sameBits(got, want)).toBe(true, 'shape #' + s.toString());
    }
  });
});

// A chain ending in a SUM: every way the SUM kernel sums (short rows, rows per block, a row split
// pairwise across blocks, columns down a tree of row halves, column runs wider than a block,
// only size-1 axes, an empty sum) against the rows' own SUM.
class SumCase { constructor(public shape: StaticArray<i32>, public axes: StaticArray<i32>) {} }
const SUM_CASES: StaticArray<SumCase> = [
  new SumCase([1000], [0]), new SumCase([70001], [0]), new SumCase([7, 5], [1]), new SumCase([300, 9], [1]),
  new SumCase([3, 700], [1]), new SumCase([2, 1300], [0, 1]), new SumCase([1000, 64], [0]), new SumCase([40, 50, 33], [1]),
  new SumCase([33, 600], [0]), new SumCase([5, 1, 600], [1, 2]), new SumCase([4, 1], [1]), new SumCase([0, 40], [0]),
];

describe('fused sums: a chain and the SUM of it, bit for bit', () => {
  it('f32, f64 and int32 at every summing pattern', () => {
    const dts: StaticArray<i32> = [F32, F64, I32];
    for (let d = 0; d < dts.length; d++) {
      const dt = dts[d];
      for (let s = 0; s < SUM_CASES.length; s++) {
        resetTape();
        const c = SUM_CASES[s], sh = c.shape;
        let n = 1;
        for (let k = 0; k < sh.length; k++) n *= sh[k];
        const a = constRow(dt, sh, data(n, 1.7, -300, 300)), b = constRow(dt, sh, data(n, 0.6, -2, 2));
        // (a - b) * exp(b) for floats, (a - b) * b for int32
        const t0 = emitOp(SUB, a, b, -1, []), t1 = dt == I32 ? b : emitOp(EXP, b, -1, -1, []);
        const t2 = emitOp(MUL, t0, t1, -1, []), want = emitOp(SUM, t2, -1, -1, c.axes);
        const p = new Program(dt, sh);
        const i0 = p.op(SUB, [-1, -2]), i1 = dt == I32 ? -2 : p.op(EXP, [-2]), i2 = p.op(MUL, [i0, i1]);
        p.op(SUM, [i2], c.axes);
        const got = p.emit([a, b]);
        const what = (dt == F32 ? 'f32' : dt == F64 ? 'f64' : 'i32') + ' case #' + s.toString();
        expect(got).toBeGreaterThanOrEqual(0, 'emit ' + what);
        expect(rowBytes(got)).toBe(rowBytes(want), 'shape ' + what);
        expect(sameBits(got, want)).toBe(true, what);
      }
    }
  });

  it('a FULL, a splat and a bias inside a summed chain', () => {
    resetTape();
    const R = 90, K = 70, n = R * K;
    const x = constRow(F64, [R, K], data(n, 0.8, -1, 1)), bias = constRow(F64, [K], data(K, 2.3, -1, 1));
    const c = constRow(F64, [], [1.5]);
    const t0 = emitOp(BROADCAST_IN_DIM, bias, -1, -1, [R, K, 1]), t1 = emitOp(ADD, x, t0, -1, []);
    const t2 = emitOp(BROADCAST_IN_DIM, c, -1, -1, [R, K]), t3 = emitOp(MUL, t1, t2, -1, []);
    const t4 = emitOp(FULL, -1, -1, -1, [F64, fullBits(0.25)[0], fullBits(0.25)[1], R, K]);
    const t5 = emitOp(SUB, t3, t4, -1, []), want = emitOp(SUM, t5, -1, -1, [0]);
    const p = new Program(F64, [R, K]);
    const i0 = p.op(BROADCAST_IN_DIM, [-2], [R, K, 1]), i1 = p.op(ADD, [-1, i0]), i2 = p.op(BROADCAST_IN_DIM, [-3], [R, K]);
    const i3 = p.op(MUL, [i1, i2]), i4 = p.op(FULL, [], [F64, fullBits(0.25)[0], fullBits(0.25)[1], R, K]);
    const i5 = p.op(SUB, [i3, i4]);
    p.op(SUM, [i5], [0]);
    const got = p.emit([x, bias, c]);
    expect(got).toBeGreaterThanOrEqual(0, 'emit');
    expect(sameBits(got, want)).toBe(true);
  });
});

describe('fused batching rule', () => {
  it('vmap of a fused row equals the loop over the examples (batched, unbatched and splat operands)', () => {
    resetTape();
    const B = 3, n = 700;
    const A = constRow(F64, [n, B], data(n * B, 1.1, -2, 2)); // batched along axis 1
    const b = constRow(F64, [n], data(n, 0.9, -1, 1)); // unbatched
    const S = constRow(F64, [B], [0.5, -1.25, 2.0]); // a batched scalar, broadcast inside the program
    const prog = (): Program => {
      const p = new Program(F64, [n]);
      const i0 = p.op(TANH, [-1]), i1 = p.op(BROADCAST_IN_DIM, [-3], [n]), i2 = p.op(MUL, [i0, i1]);
      p.op(ADD, [i2, -2]);
      return p;
    };
    const d = depth();
    const id = vmapEnter(B);
    const va = vmapIn(A, 1, id), vs = vmapIn(S, 0, id);
    const y = prog().emit([va, b, vs]);
    expect(y).toBeGreaterThanOrEqual(0, 'emit on views');
    const Y = vmapOut(y, id, 0);
    unwind(d);
    expect(Y).toBeGreaterThanOrEqual(0, 'vmap_out');
    const got = readRow(Y), bv = readRow(b), Av = readRow(A), Sv = readRow(S);
    let bad = 0;
    for (let k = 0; k < B; k++) {
      for (let i = 0; i < n; i++) {
        const want = Math.tanh(Av[i * B + k]) * Sv[k] + bv[i];
        if (Math.abs(got[k * n + i] - want) > 1e-15 * (1 + Math.abs(want))) bad++;
      }
    }
    expect(bad).toBe(0);
  });
});

describe('fused shape rule refuses malformed programs', () => {
  it('bad refs, ops that are not elementwise, wrong shapes and dtypes, trailing params: an error code', () => {
    resetTape();
    const a = constRow(F64, [4], [1, 2, 3, 4]), m = constRow(F64, [2, 2], [1, 2, 3, 4]);
    const i = constRow(I32, [4], [1, 2, 3, 4]);
    const t = constRow(F64, [2, 3, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), y = constRow(F64, [2, 2], [1, 2, 3, 4]);
    const t0 = t;
    let p = new Program(F64, [4]); p.op(TANH, [0]); // refers to itself
    expect(p.emit([a])).toBe(-E_PARAMS, 'self ref');
    p = new Program(F64, [4]); p.op(TANH, [-2]); // operand 1 of 1
    expect(p.emit([a])).toBe(-E_PARAMS, 'operand out of range');
    p = new Program(F64, []); p.op(SUM, [-1], [0]); // a sum ends a chain; it never starts one
    expect(p.emit([a])).toBe(-E_PARAMS, 'sum');
    p = new Program(F64, [4]); p.op(TANH, [-1]); p.op(SUM, [0], [0]); p.op(NEG, [1]); // a sum is last
    expect(p.emit([a])).toBe(-E_PARAMS, 'sum not last');
    p = new Program(F64, [4]); p.op(TANH, [-1]); p.op(EXP, [-1]); p.op(SUM, [0], [0]); // of the one before
    expect(p.emit([a])).toBe(-E_PARAMS, 'sum of an earlier instruction');
    p = new Program(F64, [2, 3, 2]); p.op(TANH, [-1]); p.op(SUM, [0], [0, 2]); // two runs of summed axes
    expect(p.emit([t0])).toBe(-E_PARAMS, 'sum over axes 0 and 2');
    p = new Program(BOOL, [4]); p.op(LT, [-1, -1]); p.op(SUM, [0], [0]); // the SUM's own rule: no bool
    expect(p.emit([a])).toBe(-E_DTYPE, 'sum of bool');
    p = new Program(F64, []); p.op(REDUCE_MAX, [-1], [0]);
    expect(p.emit([a])).toBe(-E_PARAMS, 'reduce_max');
    p = new Program(F64, [4]); p.op(TANH, [-1]); // operand of another shape
    expect(p.emit([m])).toBe(-E_SHAPE, 'shape');
    p = new Program(F64, [4]); p.op(BROADCAST_IN_DIM, [-1], [4]); // a splat of four elements
    expect(p.emit([a])).toBe(-E_PARAMS, 'splat of a non-scalar');

    p = new Program(F64, [2, 3, 2]); p.op(BROADCAST_IN_DIM, [-2], [2, 3, 2, 0, 2]); p.op(ADD, [-1, 0]);
    expect(p.emit([t, y])).toBe(-E_PARAMS, 'a broadcast onto output axes 0 and 2 (not one run)');
    p = new Program(F32, [4]); p.op(TANH, [-1]); // declared f32, computes f64
    expect(p.emit([a])).toBe(-E_DTYPE, 'output dtype');
    p = new Program(F64, [4]); p.op(ADD, [-1, -2]); // f64 + i32
    expect(p.emit([a, i])).toBe(-E_DTYPE, 'operand dtypes');
    p = new Program(F64, [4]); p.op(TANH, [-1]); p.p.push(7); // a trailing param
    expect(p.emit([a])).toBe(-E_PARAMS, 'trailing');
    // After all that, a good program still runs.
    p = new Program(F64, [4]); p.op(NEG, [-1]);
    const r = p.emit([a]);
    expect(r).toBeGreaterThanOrEqual(0);
    expect((rowFlags(r) & HAS_VALUE) != 0).toBe(true);
    expect(readRow(r)[3]).toBe(-4.0);
  });
});
