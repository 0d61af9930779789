// Data movement: broadcast_in_dim, reshape, transpose, concatenate (variadic) and split (a tuple
// row: one output per piece). All linear; concatenate and split are each other's transposes.
// Kernels move bits, so one kernel per element width serves every dtype of that width.
import {
  defineOp, defKernel, defJvp, defTranspose, defBatch, VARIADIC, KEY_OPERAND, Kernel,
} from '../registry';
import { BROADCAST_IN_DIM, RESHAPE, TRANSPOSE, CONCATENATE, SPLIT } from '../ops';
import {
  rowA, rowDtype, rowNdim, rowDim, rowNops, rowOperand, rowNparams, rowParam, rowParamsPtr, rowPtr, rowSize,
  rowShapePtr, rowNout, rowImpl, setDtype, setPtr, setShape, shapeReserve, shapeAt, isLinear,
} from '../tape';
import { emitList, emitP, setOperand, setParam, addOutput, MAX_LIST } from '../emit';
import { sumAxes, reshapeLike, transposeBy, setTmp, tmp, sameOpOn, fullLike } from '../builder';
import { shapeFromParams } from '../shape_rules';
import { bdimOf, batchedAs, batchSize, setBatched, firstBdim } from '../batching';
import { tangentOf, setTangent, cotangentOf, accumulate } from '../maps';
import { E_OK, E_SHAPE, E_PARAMS, E_DTYPE, E_OOM } from '../../errors';
import { F32, F64, BOOL, I32, U32, C64, C128, NUM_DTYPES, itemsize } from '../../dtype';
import * as K from '../../kernels/movement';

// broadcast_in_dim. params: out shape (nOut), dims (nIn = operand ndim).
function bcastShape(r: i32): i32 {
  const a = rowA(r), nIn = rowNdim(a), nOut = rowNparams(r) - nIn;
  if (nOut < nIn) return E_PARAMS;
  if (itemsize(rowDtype(a)) > 16 || (itemsize(rowDtype(a)) == 16 && nOut > 30)) return E_DTYPE; // 1, 4, 8 or 16 bytes
  let prev = -1;
  for (let i = 0; i < nIn; i++) {
    const d = rowParam(r, nOut + i);
    if (d <= prev || d >= nOut) return E_PARAMS;
    prev = d;
    const ai = rowDim(a, i);
    if (ai != 1 && ai != rowParam(r, d)) return E_SHAPE;
  }
  setDtype(r, rowDtype(a));
  return shapeFromParams(r, 0, nOut);
}
// 16-byte elements (complex128) move as pairs of 8-byte ones: the shape gains a trailing axis of 2.
const PAIR_IN = memory.data(33 * 4), PAIR_OUT = memory.data(33 * 4), PAIR_DIMS = memory.data(33 * 4);
/** Row x's shape with a trailing axis of 2 (a static buffer, valid until the next call). */
export function withPairAxis(x: i32): usize { return pairShape(PAIR_IN, x); }
function pairShape(buf: usize, x: i32): usize {
  const nd = rowNdim(x);
  memory.copy(buf, rowShapePtr(x), <usize>nd << 2);
  store<i32>(buf + (<usize>nd << 2), 2);
  return buf;
}
function bcast128(r: i32): void {
  const a = rowA(r), nIn = rowNdim(a), nOut = rowNdim(r);
  memory.copy(PAIR_DIMS, rowParamsPtr(r) + (<usize>nOut << 2), <usize>nIn << 2);
  store<i32>(PAIR_DIMS + (<usize>nIn << 2), nOut);
  K.broadcast_in_dim_b64(rowPtr(a), rowPtr(r), pairShape(PAIR_IN, a), nIn + 1, pairShape(PAIR_OUT, r), nOut + 1, PAIR_DIMS);
}
function transpose128(r: i32): void {
  const a = rowA(r), nd = rowNdim(a);
  memory.copy(PAIR_DIMS, rowParamsPtr(r), <usize>nd << 2);
  store<i32>(PAIR_DIMS + (<usize>nd << 2), nd);
  K.transpose_b64(rowPtr(a), rowPtr(r), pairShape(PAIR_IN, a), nd + 1, PAIR_DIMS);
}
type BcastKernel = (x: usize, out: usize, ins: usize, nIn: i32, outs: usize, nOut: i32, dims: usize) => void;
function runBcast(r: i32, k: BcastKernel): void {
  const a = rowA(r), nOut = rowNdim(r);
  k(rowPtr(a), rowPtr(r), rowShapePtr(a), rowNdim(a), rowShapePtr(r), nOut, rowParamsPtr(r) + (<usize>nOut << 2));
}
function bcast8(r: i32): void { runBcast(r, K.broadcast_in_dim_b8); }
function bcast32(r: i32): void { runBcast(r, K.broadcast_in_dim_b32); }
function bcast64(r: i32): void { runBcast(r, K.broadcast_in_dim_b64); }
function bcastJvp(r: i32): i32 { return sameOpOn(r, tangentOf(rowA(r))); }
// Sum over the new axes and the axes broadcast from size 1, then restore the operand's shape.
function bcastTranspose(r: i32, ct: i32): void {
  const a = rowA(r), nIn = rowNdim(a), nOut = rowNdim(r);
  let n = 0, j = 0;
  for (let i = 0; i < nOut; i++) {
    const mapped = j < nIn && rowParam(r, nOut + j) == i;
    if (!mapped) setTmp(n++, i);
    else { if (rowDim(a, j) == 1 && rowDim(r, i) != 1) setTmp(n++, i); j++; }
  }
  const s = n > 0 ? sumAxes(ct, n) : ct;
  accumulate(a, reshapeLike(s, a));
}

// reshape. params: new shape. The value is the operand's buffer (values are immutable).
function reshapeShape(r: i32): i32 {
  const a = rowA(r);
  setDtype(r, rowDtype(a));
  const code = shapeFromParams(r, 0, rowNparams(r));
  if (code != E_OK) return code;
  return rowSize(r) == rowSize(a) ? E_OK : E_SHAPE;
}
function reshapeKernel(r: i32): void { setPtr(r, rowPtr(rowA(r))); }
function reshapeJvp(r: i32): i32 { return sameOpOn(r, tangentOf(rowA(r))); }
function reshapeTranspose(r: i32, ct: i32): void { accumulate(rowA(r), reshapeLike(ct, rowA(r))); }

// transpose. params: perm; out.shape[i] = in.shape[perm[i]].
function transposeShape(r: i32): i32 {
  const a = rowA(r), nd = rowNdim(a);
  if (rowNparams(r) != nd || nd > 30 || (itemsize(rowDtype(a)) == 16 && nd > 29)) return E_PARAMS;
  let seen = 0;
  for (let i = 0; i < nd; i++) {
    const p = rowParam(r, i);
    if (p < 0 || p >= nd || (seen & (1 << p)) != 0) return E_PARAMS;
    seen |= 1 << p;
  }
  setDtype(r, rowDtype(a));
  const off = shapeReserve(nd);
  if (off < 0) return E_OOM;
  for (let i = 0; i < nd; i++) store<i32>(shapeAt(off) + (<usize>i << 2), rowDim(a, rowParam(r, i)));
  setShape(r, nd, off);
  return E_OK;
}
type TransposeKernel = (x: usize, out: usize, shape: usize, nd: i32, perm: usize) => void;
function runTranspose(r: i32, k: TransposeKernel): void {
  const a = rowA(r);
  k(rowPtr(a), rowPtr(r), rowShapePtr(a), rowNdim(a), rowParamsPtr(r));
}
function transpose8(r: i32): void { runTranspose(r, K.transpose_b8); }
function transpose32(r: i32): void { runTranspose(r, K.transpose_b32); }
function transpose64(r: i32): void { runTranspose(r, K.transpose_b64); }
function transposeJvp(r: i32): i32 { return sameOpOn(r, tangentOf(rowA(r))); }
function transposeTranspose(r: i32, ct: i32): void {
  const nd = rowNparams(r);
  for (let i = 0; i < nd; i++) setTmp(rowParam(r, i), i); // inverse permutation
  accumulate(rowA(r), transposeBy(ct, nd));
}

// concatenate. params: axis. Operands: one dtype and rank, equal dims but along the axis.
function concatShape(r: i32): i32 {
  const a = rowA(r), nd = rowNdim(a), n = rowNops(r);
  if (rowNparams(r) != 1 || n > MAX_LIST) return E_PARAMS;
  const axis = rowParam(r, 0);
  if (axis < 0 || axis >= nd) return E_PARAMS;
  let total = 0;
  for (let k = 0; k < n; k++) {
    const x = rowOperand(r, k);
    if (rowDtype(x) != rowDtype(a)) return E_DTYPE;
    if (rowNdim(x) != nd) return E_SHAPE;
    for (let i = 0; i < nd; i++) if (i != axis && rowDim(x, i) != rowDim(a, i)) return E_SHAPE;
    total += rowDim(x, axis);
  }
  const off = shapeReserve(nd);
  if (off < 0) return E_OOM;
  for (let i = 0; i < nd; i++) store<i32>(shapeAt(off) + (<usize>i << 2), i == axis ? total : rowDim(a, i));
  setDtype(r, rowDtype(a));
  setShape(r, nd, off);
  return E_OK;
}
/** Rows before `axis` (the outer loop) of a row's shape, and bytes per unit of the axis. */
function outerOf(x: i32, axis: i32): i32 { let n = 1; for (let i = 0; i < axis; i++) n *= rowDim(x, i); return n; }
function unitBytes(x: i32, axis: i32): usize {
  let n: usize = <usize>itemsize(rowDtype(x));
  for (let i = axis + 1; i < rowNdim(x); i++) n *= <usize>rowDim(x, i);
  return n;
}
function concatKernel(r: i32): void {
  const axis = rowParam(r, 0), outer = outerOf(r, axis), unit = unitBytes(r, axis), n = rowNops(r);
  let dst = rowPtr(r);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < n; k++) {
      const x = rowOperand(r, k), block = <usize>rowDim(x, axis) * unit;
      memory.copy(dst, rowPtr(x) + <usize>o * block, block);
      dst += block;
    }
  }
}
function concatJvp(r: i32): i32 {
  const n = rowNops(r);
  // Zeros first: emitting them reuses the operand scratch.
  for (let k = 0; k < n; k++) {
    const x = rowOperand(r, k), t = tangentOf(x);
    setTmp(k, t >= 0 ? t : fullLike(x, 0.0));
  }
  for (let k = 0; k < n; k++) setOperand(k, tmp(k));
  setParam(0, rowParam(r, 0));
  return emitList(CONCATENATE, n, 1);
}
// The cotangent cut back into the operands' pieces.
function concatTranspose(r: i32, ct: i32): void {
  const n = rowNops(r), axis = rowParam(r, 0);
  setOperand(0, ct);
  setParam(0, axis);
  for (let k = 0; k < n; k++) setParam(1 + k, rowDim(rowOperand(r, k), axis));
  const pieces = emitList(SPLIT, 1, 1 + n);
  for (let k = 0; k < n; k++) {
    const x = rowOperand(r, k);
    if (isLinear(x)) accumulate(x, pieces + 1 + k);
  }
}

// split. params: axis, sizes... (summing to the operand's dim). A tuple row: output k is piece k.
function splitShape(r: i32): i32 {
  const a = rowA(r), nd = rowNdim(a), n = rowNparams(r) - 1;
  if (n < 1 || n >= MAX_LIST) return E_PARAMS;
  const axis = rowParam(r, 0);
  if (axis < 0 || axis >= nd) return E_PARAMS;
  let total = 0;
  for (let k = 0; k < n; k++) {
    const s = rowParam(r, 1 + k);
    if (s < 0) return E_PARAMS;
    total += s;
  }
  if (total != rowDim(a, axis)) return E_SHAPE;
  for (let k = 0; k < n; k++) {
    const off = shapeReserve(nd);
    if (off < 0) return E_OOM;
    for (let i = 0; i < nd; i++) store<i32>(shapeAt(off) + (<usize>i << 2), i == axis ? rowParam(r, 1 + k) : rowDim(a, i));
    const code = addOutput(r, rowDtype(a), nd, off);
    if (code != E_OK) return code;
  }
  return E_OK;
}
function splitKernel(r: i32): void {
  const a = rowA(r), axis = rowParam(r, 0), outer = outerOf(a, axis), unit = unitBytes(a, axis), n = rowNout(r);
  let src = rowPtr(a);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < n; k++) {
      const block = <usize>rowParam(r, 1 + k) * unit;
      memory.copy(rowPtr(r + 1 + k) + <usize>o * block, src, block);
      src += block;
    }
  }
}
function splitJvp(r: i32): i32 {
  const n = rowNout(r);
  setOperand(0, tangentOf(rowA(r)));
  for (let i = 0; i <= n; i++) setParam(i, rowParam(r, i));
  const t = emitList(SPLIT, 1, 1 + n);
  for (let k = 0; k < n; k++) setTangent(r + 1 + k, t + 1 + k);
  return -1;
}
// The pieces' cotangents (zeros where a piece got none) joined back.
function splitTranspose(r: i32, ct: i32): void {
  const n = rowNout(r);
  for (let k = 0; k < n; k++) {
    const c = cotangentOf(r + 1 + k);
    setTmp(k, c >= 0 ? c : fullLike(r + 1 + k, 0.0));
  }
  for (let k = 0; k < n; k++) setOperand(k, tmp(k));
  setParam(0, rowParam(r, 0));
  accumulate(rowA(r), emitList(CONCATENATE, n, 1));
}

/** Register `k` for every dtype whose elements are `width` bytes wide. */
function byWidth(op: i32, width: i32, k: Kernel): void {
  const dts: StaticArray<i32> = [F32, F64, BOOL, I32, U32, C64];
  for (let i = 0; i < dts.length; i++) if (itemsize(dts[i]) == width) defKernel(op, dts[i], k);
}
function anyWidth(op: i32, k: Kernel): void {
  for (let d = 0; d < NUM_DTYPES; d++) if (itemsize(d) > 0) defKernel(op, d, k);
}


// ---------------------------------------------------------------- batching (vmap)

// broadcast_in_dim: the batch axis goes to the output right after the axis its predecessor maps
// to, so the dims stay increasing and nothing moves.
function bcastBatch(r: i32): void {
  const x = rowA(r), b = bdimOf(x), nIn = rowNdim(x), nOut = rowNparams(r) - nIn;
  const p = b == 0 ? 0 : rowParam(r, nOut + b - 1) + 1;
  for (let i = 0, j = 0; i <= nOut; i++) setParam(i, i == p ? batchSize() : rowParam(r, j++));
  for (let i = 0; i <= nIn; i++) {
    setParam(nOut + 1 + i, i == b ? p : i < b ? rowParam(r, nOut + i) : rowParam(r, nOut + i - 1) + 1);
  }
  setBatched(r, emitP(BROADCAST_IN_DIM, rowImpl(x), -1, -1, nOut + nIn + 2), p);
}
// reshape: batch axis first, then the new shape behind it.
function reshapeBatch(r: i32): void {
  const x = batchedAs(rowA(r), 0), n = rowNparams(r);
  setParam(0, batchSize());
  for (let i = 0; i < n; i++) setParam(1 + i, rowParam(r, i));
  setBatched(r, emitP(RESHAPE, x, -1, -1, n + 1), 0);
}
// transpose: the batch axis leads the output; the other axes keep their order.
function transposeBatch(r: i32): void {
  const x = rowA(r), b = bdimOf(x), n = rowNparams(r);
  setParam(0, b);
  for (let i = 0; i < n; i++) { const q = rowParam(r, i); setParam(1 + i, q >= b ? q + 1 : q); }
  setBatched(r, emitP(TRANSPOSE, rowImpl(x), -1, -1, n + 1), 0);
}
// concatenate: every operand batched along the first batched one's axis; the axis shifts past it.
function concatBatch(r: i32): void {
  const bd = firstBdim(r), n = rowNops(r), axis = rowParam(r, 0);
  for (let i = 0; i < n; i++) setTmp(i, batchedAs(rowOperand(r, i), bd));
  for (let i = 0; i < n; i++) setOperand(i, tmp(i));
  setParam(0, axis >= bd ? axis + 1 : axis);
  setBatched(r, emitList(CONCATENATE, n, 1), bd);
}
// split: the axis shifts past the batch axis; every output keeps it.
function splitBatch(r: i32): void {
  const x = rowA(r), b = bdimOf(x), n = rowNparams(r), axis = rowParam(r, 0);
  setParam(0, axis >= b ? axis + 1 : axis);
  for (let i = 1; i < n; i++) setParam(i, rowParam(r, i));
  const y = emitList1(SPLIT, rowImpl(x), n);
  for (let i = 0; i < rowNout(r); i++) setBatched(r + 1 + i, y + 1 + i, b);
}
function emitList1(op: i32, x: i32, nparams: i32): i32 { setOperand(0, x); return emitList(op, 1, nparams); }

export function registerMovement(): void {
  defineOp(BROADCAST_IN_DIM, 'broadcast_in_dim', 1, bcastShape);
  byWidth(BROADCAST_IN_DIM, 1, bcast8); byWidth(BROADCAST_IN_DIM, 4, bcast32); byWidth(BROADCAST_IN_DIM, 8, bcast64);
  defKernel(BROADCAST_IN_DIM, C128, bcast128);
  defJvp(BROADCAST_IN_DIM, bcastJvp);
  defTranspose(BROADCAST_IN_DIM, bcastTranspose);
  defBatch(BROADCAST_IN_DIM, bcastBatch);

  defineOp(RESHAPE, 'reshape', 1, reshapeShape, true);
  anyWidth(RESHAPE, reshapeKernel);
  defJvp(RESHAPE, reshapeJvp);
  defTranspose(RESHAPE, reshapeTranspose);
  defBatch(RESHAPE, reshapeBatch);

  defineOp(TRANSPOSE, 'transpose', 1, transposeShape);
  byWidth(TRANSPOSE, 1, transpose8); byWidth(TRANSPOSE, 4, transpose32); byWidth(TRANSPOSE, 8, transpose64);
  defKernel(TRANSPOSE, C128, transpose128);
  defJvp(TRANSPOSE, transposeJvp);
  defTranspose(TRANSPOSE, transposeTranspose);
  defBatch(TRANSPOSE, transposeBatch);

  defineOp(CONCATENATE, 'concatenate', VARIADIC, concatShape);
  anyWidth(CONCATENATE, concatKernel);
  defJvp(CONCATENATE, concatJvp);
  defTranspose(CONCATENATE, concatTranspose);
  defBatch(CONCATENATE, concatBatch);

  defineOp(SPLIT, 'split', 1, splitShape, false, KEY_OPERAND);
  anyWidth(SPLIT, splitKernel);
  defJvp(SPLIT, splitJvp);
  defTranspose(SPLIT, splitTranspose);
  defBatch(SPLIT, splitBatch);
}
