// Helpers for writing rules by emitting rows: constants shaped like a row, symbolic-zero-aware
// sums, and the param-carrying ops.
import { e2, emitP, setParam } from './emit';
import { MAX_LIST } from './limits';
import { rowDtype, rowNdim, rowDim, rowOp, rowNparams, rowParam, sameDims } from './tape';
import { ADD, FULL, SUM, BROADCAST_IN_DIM, RESHAPE, TRANSPOSE, CONVERT } from './ops';

/** A FULL row of `value` with `like`'s dtype and shape. */
export function fullLike(like: i32, value: f64): i32 {
  return fullOf(rowDtype(like), value, like);
}

/** A FULL row of `value` with dtype `dtype` and `like`'s shape. */
export function fullOf(dtype: i32, value: f64, like: i32): i32 {
  const bits = reinterpret<i64>(value);
  setParam(0, dtype);
  setParam(1, <i32>bits);
  setParam(2, <i32>(bits >>> 32));
  const nd = rowNdim(like);
  for (let i = 0; i < nd; i++) setParam(3 + i, rowDim(like, i));
  return emitP(FULL, -1, -1, -1, 3 + nd);
}

/** x + y where -1 is a symbolic zero. */
export function addT(x: i32, y: i32): i32 {
  if (x < 0) return y;
  if (y < 0) return x;
  return e2(ADD, x, y);
}

// A second scratch list (axes, dims, perms, a concatenate's pieces) for rules, so no rule
// allocates managed memory; it grows, keeping what it holds, past MAX_LIST entries.
let T: usize = heap.alloc(<usize>MAX_LIST << 2);
let tCap: i32 = MAX_LIST;
export function tmpScratch(): usize { return T; }
export function setTmp(i: i32, v: i32): void {
  if (i >= tCap) {
    const cap = max(i + 1, tCap << 1), q = heap.alloc(<usize>cap << 2);
    memory.copy(q, T, <usize>tCap << 2);
    heap.free(T);
    T = q; tCap = cap;
  }
  store<i32>(T + (<usize>i << 2), v);
}
export function tmp(i: i32): i32 { return load<i32>(T + (<usize>i << 2)); }

/** Sum of x over the `n` axes in the tmp list (sorted). */
export function sumAxes(x: i32, n: i32): i32 {
  for (let i = 0; i < n; i++) setParam(i, tmp(i));
  return emitP(SUM, x, -1, -1, n);
}

export function reshapeLike(x: i32, like: i32): i32 {
  if (sameDims(x, like)) return x;
  const nd = rowNdim(like);
  for (let i = 0; i < nd; i++) setParam(i, rowDim(like, i));
  return emitP(RESHAPE, x, -1, -1, nd);
}

/** broadcast_in_dim(x, shape of `like`, dims = the tmp list). */
export function broadcastLike(x: i32, like: i32, ndims: i32): i32 {
  const nd = rowNdim(like);
  for (let i = 0; i < nd; i++) setParam(i, rowDim(like, i));
  for (let i = 0; i < ndims; i++) setParam(nd + i, tmp(i));
  return emitP(BROADCAST_IN_DIM, x, -1, -1, nd + ndims);
}

/** transpose(x, perm = the tmp list). */
export function transposeBy(x: i32, n: i32): i32 {
  for (let i = 0; i < n; i++) setParam(i, tmp(i));
  return emitP(TRANSPOSE, x, -1, -1, n);
}

export function convertTo(x: i32, dtype: i32): i32 {
  if (rowDtype(x) == dtype) return x;
  setParam(0, dtype);
  return emitP(CONVERT, x, -1, -1, 1);
}

/** Row r's op with r's params, applied to x: the JVP of a unary linear op is the op itself. */
export function sameOpOn(r: i32, x: i32): i32 {
  const n = rowNparams(r);
  for (let i = 0; i < n; i++) setParam(i, rowParam(r, i));
  return emitP(rowOp(r), x, -1, -1, n);
}
