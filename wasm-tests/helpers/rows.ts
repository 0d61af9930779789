// Row-level helpers for the rule tests: emit rows with params from a StaticArray, make CONST and
// PLACEHOLDER rows from host data, read a row's value back as f64s, and small vector maths.
import { emit } from '../../assembly/ad/emit';
import {
  rowPtr, rowSize, rowDtype, rowNdim, rowDim, rowFlags, tapeReset, HAS_VALUE, LINEAR,
} from '../../assembly/ad/tape';
import { CONST, PLACEHOLDER, COPY, FULL } from '../../assembly/ad/ops';
import { opName } from '../../assembly/ad/registry';
import { clearError } from '../../assembly/errors';
import { F32, F64, BOOL, I32, U32, C64, C128 } from '../../assembly/dtype';

const P: usize = heap.alloc(256 << 2);

/** Forget the tape (and the arena) and the last error. */
export function resetTape(): void { tapeReset(); clearError(); }

/** emit(op, a, b, c, params); returns the row or -code, like the ABI. */
export function tryEmit(op: i32, a: i32, b: i32, c: i32, params: StaticArray<i32>): i32 {
  for (let i = 0; i < params.length; i++) store<i32>(P + (<usize>i << 2), params[i]);
  return emit(op, a, b, c, params.length, P);
}

/** Like tryEmit, but a failure aborts the test with the op and error code. */
export function emitOp(op: i32, a: i32, b: i32, c: i32, params: StaticArray<i32>): i32 {
  const r = tryEmit(op, a, b, c, params);
  assert(r >= 0, 'emit ' + opName(op) + ' failed with error ' + (-r).toString());
  return r;
}

export function copyOf(x: i32): i32 { return emitOp(COPY, x, -1, -1, []); }

function leafParams(dtype: i32, shape: StaticArray<i32>): StaticArray<i32> {
  const p = new StaticArray<i32>(shape.length + 1);
  p[0] = dtype;
  for (let i = 0; i < shape.length; i++) p[i + 1] = shape[i];
  return p;
}

export function sizeOf(shape: StaticArray<i32>): i32 {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

const isCx = (dtype: i32): bool => dtype == C64 || dtype == C128;
/** How many f64s hold a value of dtype and shape (complex: interleaved re, im). */
export function valueCount(dtype: i32, shape: StaticArray<i32>): i32 { return sizeOf(shape) * (isCx(dtype) ? 2 : 1); }

/**
 * Cotangents of complex rows are uploaded and read conjugated, so that the real dot product of
 * the f64 arrays is JAX's bilinear pairing Re(sum u v) under which transposes (which never
 * conjugate) are adjoints: <ct, J v> = Re sum conj(c) (J v) and <g, v> = Re sum g v.
 */
export function ctRow(dtype: i32, shape: StaticArray<i32>, data: StaticArray<f64>): i32 {
  return constRow(dtype, shape, isCx(dtype) ? conjugated(data) : data);
}
export function readCt(r: i32): StaticArray<f64> {
  const v = readRow(r);
  return isCx(rowDtype(r)) ? conjugated(v) : v;
}
function conjugated(v: StaticArray<f64>): StaticArray<f64> {
  const out = new StaticArray<f64>(v.length);
  for (let i = 0; i < v.length; i++) out[i] = (i & 1) ? -v[i] : v[i];
  return out;
}

/** A CONST row of `dtype` and `shape` holding `data` (converted to the dtype; complex: 2 per element). */
export function constRow(dtype: i32, shape: StaticArray<i32>, data: StaticArray<f64>): i32 {
  const r = emitOp(CONST, -1, -1, -1, leafParams(dtype, shape));
  if (isCx(dtype)) {
    const m = 2 * rowSize(r), q = rowPtr(r);
    assert(m == data.length, 'constRow: ' + data.length.toString() + ' values for ' + m.toString() + ' parts');
    for (let i = 0; i < m; i++) {
      if (dtype == C128) store<f64>(q + (<usize>i << 3), data[i]); else store<f32>(q + (<usize>i << 2), <f32>data[i]);
    }
    return r;
  }
  const n = rowSize(r);
  assert(n == data.length, 'constRow: ' + data.length.toString() + ' values for ' + n.toString() + ' elements');
  assert((rowFlags(r) & HAS_VALUE) != 0, 'constRow: CONST row has no buffer');
  const p = rowPtr(r);
  for (let i = 0; i < n; i++) {
    if (dtype == F64) store<f64>(p + (<usize>i << 3), data[i]);
    else if (dtype == F32) store<f32>(p + (<usize>i << 2), <f32>data[i]);
    else if (dtype == BOOL) store<u8>(p + <usize>i, data[i] != 0 ? 1 : 0);
    else if (dtype == U32) store<u32>(p + (<usize>i << 2), <u32>data[i]);
    else if (dtype == I32) store<i32>(p + (<usize>i << 2), <i32>Math.floor(data[i]));
    else assert(false, 'constRow: unsupported dtype');
  }
  return r;
}

export function placeholderRow(dtype: i32, shape: StaticArray<i32>): i32 {
  return emitOp(PLACEHOLDER, -1, -1, -1, leafParams(dtype, shape));
}

/** A FULL row (params: dtype, f64 lo word, f64 hi word, shape...). */
export function fullRow(dtype: i32, value: f64, shape: StaticArray<i32>): i32 {
  const bits = reinterpret<i64>(value);
  const p = new StaticArray<i32>(shape.length + 3);
  p[0] = dtype; p[1] = <i32>bits; p[2] = <i32>(bits >>> 32);
  for (let i = 0; i < shape.length; i++) p[i + 3] = shape[i];
  return emitOp(FULL, -1, -1, -1, p);
}

/** Row r's value as f64s (the row must have a value). */
export function readRow(r: i32): StaticArray<f64> {
  assert(r >= 0, 'readRow: no row');
  assert((rowFlags(r) & HAS_VALUE) != 0, 'readRow: row ' + r.toString() + ' has no value');
  const n = rowSize(r), dt = rowDtype(r), p = rowPtr(r);
  if (isCx(dt)) {
    const parts = new StaticArray<f64>(2 * n);
    for (let i = 0; i < 2 * n; i++) parts[i] = dt == C128 ? load<f64>(p + (<usize>i << 3)) : <f64>load<f32>(p + (<usize>i << 2));
    return parts;
  }
  const out = new StaticArray<f64>(n);
  for (let i = 0; i < n; i++) {
    if (dt == F64) out[i] = load<f64>(p + (<usize>i << 3));
    else if (dt == F32) out[i] = <f64>load<f32>(p + (<usize>i << 2));
    else if (dt == BOOL) out[i] = <f64>load<u8>(p + <usize>i);
    else if (dt == U32) out[i] = <f64>load<u32>(p + (<usize>i << 2));
    else if (dt == I32) out[i] = <f64>load<i32>(p + (<usize>i << 2));
    else assert(false, 'readRow: unsupported dtype');
  }
  return out;
}

export function shapeOf(r: i32): StaticArray<i32> {
  const nd = rowNdim(r);
  const s = new StaticArray<i32>(nd);
  for (let i = 0; i < nd; i++) s[i] = rowDim(r, i);
  return s;
}

export function sameShape(a: StaticArray<i32>, b: StaticArray<i32>): bool {
  if (a.length != b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] != b[i]) return false;
  return true;
}

export function shapeStr(s: StaticArray<i32>): string {
  let t = '[';
  for (let i = 0; i < s.length; i++) t += (i > 0 ? ',' : '') + s[i].toString();
  return t + ']';
}

export function isLinearRow(r: i32): bool { return (rowFlags(r) & LINEAR) != 0; }
export function hasValueRow(r: i32): bool { return (rowFlags(r) & HAS_VALUE) != 0; }

// ---------------------------------------------------------------- vectors

export function zeros(n: i32): StaticArray<f64> { return new StaticArray<f64>(n); }

export function dot(a: StaticArray<f64>, b: StaticArray<f64>): f64 {
  assert(a.length == b.length, 'dot: length mismatch');
  let s = 0.0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function norm(a: StaticArray<f64>): f64 { return Math.sqrt(dot(a, a)); }

/** a + s * b */
export function axpy(a: StaticArray<f64>, s: f64, b: StaticArray<f64>): StaticArray<f64> {
  assert(a.length == b.length, 'axpy: length mismatch');
  const out = new StaticArray<f64>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] + s * b[i];
  return out;
}

export function scale(s: f64, a: StaticArray<f64>): StaticArray<f64> {
  const out = new StaticArray<f64>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = s * a[i];
  return out;
}

/** ||a - b||_2 */
export function distance(a: StaticArray<f64>, b: StaticArray<f64>): f64 {
  assert(a.length == b.length, 'distance: length mismatch');
  let s = 0.0;
  for (let i = 0; i < a.length; i++) { const d = a[i] - b[i]; s += d * d; }
  return Math.sqrt(s);
}

export function vecStr(a: StaticArray<f64>): string {
  let t = '[';
  const n = min(a.length, 8);
  for (let i = 0; i < n; i++) t += (i > 0 ? ', ' : '') + a[i].toString();
  if (a.length > n) t += ', ...';
  return t + ']';
}
