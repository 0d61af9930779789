// gather and scatter_add: XLA's general forms (JAX's lax.gather / lax.scatter_add) with int32
// index vectors along the last axis of the indices.
//   gather params: mode (bits: 1 fill else clip, 2 negative indices count from the end, 4 wrap), fill (0 zero, 1 NaN for floats / INT_MIN / true),
//     n, offset_dims..., n, collapsed_slice_dims..., n, start_index_map..., slice_sizes (operand rank)
//   scatter_add params: mode (bits: 1 drop else clip, 2 and 4 as gather's), n, update_window_dims..., n, inserted_window_dims...,
//     n, scatter_dims_to_operand_dims...
// gather is linear in its operand: JVP = the same gather of the tangent (zero fill, as JAX's
// _gather_jvp_rule), transpose = scatter_add of the cotangent into zeros (clip -> clip, fill ->
// drop, JAX's _gather_transpose_rule). scatter_add is linear in (operand, updates): its transpose
// passes the cotangent to the operand and gathers it for the updates (drop -> zero fill).
import { defineOp, defKernel, defJvp, defTranspose, defBatch } from '../registry';
import { bdimOf, physOf, batchedAs, batchSize, setBatched, setEmptyBatch, withBatchIndex } from '../batching';
import { GATHER, SCATTER_ADD } from '../ops';
import {
  rowA, rowB, rowC, rowDtype, rowNdim, rowDim, rowNparams, rowParam, rowPtr, rowSize, isLinear, setDtype, setShape,
  shareShape, shapeReserve, shapeAt,
} from '../tape';
import { emitP, setParam } from '../emit';
import { fullLike } from '../builder';
import { tangentOf, accumulate } from '../maps';
import { E_OK, E_SHAPE, E_DTYPE, E_PARAMS, E_OOM } from '../../errors';
import { F32, F64, BOOL, I32, U32, C64, C128, isFloat } from '../../dtype';
import { isInexact } from '../shape_rules';
import * as K from '../../kernels/gather';

const MAXD = 32;
// Param layout: `first` params, then three counted lists; returns the list's first param index.
function listStart(r: i32, first: i32, which: i32): i32 {
  let p = first;
  for (let i = 0; i < which; i++) p += 1 + rowParam(r, p);
  return p + 1;
}
function listLen(r: i32, first: i32, which: i32): i32 { return rowParam(r, listStart(r, first, which) - 1); }
function inList(r: i32, first: i32, which: i32, v: i32): i32 {
  const s = listStart(r, first, which), n = rowParam(r, s - 1);
  for (let i = 0; i < n; i++) if (rowParam(r, s + i) == v) return i;
  return -1;
}
/** A counted list of distinct dims in [0, bound), sorted when `sorted`; 0 when fine. */
function checkList(r: i32, first: i32, which: i32, bound: i32, sorted: bool): i32 {
  const s = listStart(r, first, which), n = rowParam(r, s - 1);
  if (n < 0 || s + n > rowNparams(r)) return E_PARAMS;
  let seen: u64 = 0, prev = -1;
  for (let i = 0; i < n; i++) {
    const v = rowParam(r, s + i);
    if (v < 0 || v >= bound || (seen & (<u64>1 << v)) != 0 || (sorted && v <= prev)) return E_PARAMS;
    seen |= <u64>1 << v; prev = v;
  }
  return E_OK;
}
function paramsLongEnough(r: i32, first: i32): bool {
  let p = first;
  for (let i = 0; i < 3; i++) { if (p >= rowNparams(r)) return false; p += 1 + rowParam(r, p); }
  return p <= rowNparams(r);
}

// ---------------------------------------------------------------- gather

const G = 2; // gather's leading params: mode, fill
function sliceSize(r: i32, d: i32): i32 { return rowParam(r, listStart(r, G, 2) + listLen(r, G, 2) + d); }

function gatherShape(r: i32): i32 {
  const x = rowA(r), idx = rowB(r), R = rowNdim(x), Ri = rowNdim(idx);
  if (rowDtype(idx) != I32) return E_DTYPE;
  if (R > MAXD - 1 || Ri < 1 || Ri > MAXD) return E_PARAMS;
  if (!paramsLongEnough(r, G) || rowParam(r, 0) < 0 || rowParam(r, 0) > 7 || (rowParam(r, 1) & ~1) != 0) return E_PARAMS;
  const nOff = listLen(r, G, 0), nColl = listLen(r, G, 1), K_ = listLen(r, G, 2);
  if (rowNparams(r) != listStart(r, G, 2) + K_ + R) return E_PARAMS;
  const outRank = Ri - 1 + R - nColl;
  if (nOff != R - nColl || rowDim(idx, Ri - 1) != K_ || outRank > MAXD) return E_PARAMS;
  if (checkList(r, G, 0, outRank, true) != E_OK || checkList(r, G, 1, R, true) != E_OK || checkList(r, G, 2, R, false) != E_OK) return E_PARAMS;
  for (let d = 0; d < R; d++) {
    const s = sliceSize(r, d);
    if (s < 0 || s > rowDim(x, d)) return E_SHAPE;
    if (inList(r, G, 1, d) >= 0 && s != 1) return E_PARAMS;
  }
  const off = shapeReserve(outRank);
  if (off < 0) return E_OOM;
  let j = 0, k = 0;
  const offS = listStart(r, G, 0);
  for (let p = 0; p < outRank; p++) {
    let v: i32;
    if (k < nOff && rowParam(r, offS + k) == p) {
      let seen = -1, d = 0; // the k-th non-collapsed operand dim
      for (; d < R; d++) if (inList(r, G, 1, d) < 0 && ++seen == k) break;
      v = sliceSize(r, d); k++;
    } else v = rowDim(idx, j++);
    store<i32>(shapeAt(off) + (<usize>p << 2), v);
  }
  setDtype(r, rowDtype(x));
  setShape(r, outRank, off);
  return E_OK;
}

// The kernels' descriptor (kernels/gather.ts).
const D = memory.data(8 * MAXD * 4 + 64);
let dn = 0;
function put(v: i32): void { store<i32>(D + (<usize>(dn++) << 2), v); }

/** Strides (elements) of row x's dims, into a temporary. */
const ST = memory.data(MAXD * 4);
function strides(x: i32): void {
  let s = 1;
  for (let i = rowNdim(x) - 1; i >= 0; i--) { store<i32>(ST + (<usize>i << 2), s); s *= rowDim(x, i); }
}
@inline function stride(i: i32): i32 { return load<i32>(ST + (<usize>i << 2)); }

/**
 * Descriptor for operand x, indices idx and a "window side" row w (the gather's output or the
 * scatter's updates): window dims `winFirst`-list positions in w, dims absent from the window
 * (`absentWhich` list: collapsed / inserted), map = list `mapWhich`; window size of operand dim d
 * = `size(d)`.
 */
function describe(r: i32, first: i32, x: i32, idx: i32, w: i32, isGather: bool): void {
  const R = rowNdim(x);
  dn = 0;
  put(R);
  for (let d = 0; d < R; d++) put(rowDim(x, d));
  strides(x);
  for (let d = 0; d < R; d++) put(stride(d));
  const Kn = listLen(r, first, 2), ms = listStart(r, first, 2);
  put(Kn);
  for (let k = 0; k < Kn; k++) put(rowParam(r, ms + k));
  // window dims: operand dims not in list 1, in order; their positions in w are list 0.
  const nw = listLen(r, first, 0), ws = listStart(r, first, 0);
  strides(w);
  put(nw);
  const wdStart = dn;
  for (let d = 0; d < R; d++) if (inList(r, first, 1, d) < 0) put(d);
  for (let k = 0; k < nw; k++) put(rowDim(w, rowParam(r, ws + k)));
  for (let k = 0; k < nw; k++) put(stride(rowParam(r, ws + k)));
  // batch dims: the dims of w not in list 0, matching idx's leading dims.
  const nb = rowNdim(idx) - 1;
  put(nb);
  for (let j = 0; j < nb; j++) put(rowDim(idx, j));
  let j = 0;
  for (let p = 0; p < rowNdim(w); p++) if (inList(r, first, 0, p) < 0) { put(stride(p)); j++; }
  // hi[d]: operand dim minus window size.
  for (let d = 0; d < R; d++) {
    let size = 1;
    for (let k = 0; k < nw; k++) if (load<i32>(D + (<usize>(wdStart + k) << 2)) == d) size = load<i32>(D + (<usize>(wdStart + nw + k) << 2));
    if (isGather) size = sliceSize(r, d);
    put(rowDim(x, d) - size);
  }
}

function gatherKernel(r: i32): void {
  const x = rowA(r), idx = rowB(r);
  describe(r, G, x, idx, r, true);
  const mode = rowParam(r, 0), nan = rowParam(r, 1) == 1, dt = rowDtype(x);
  if (dt == F32) K.gather_f32(rowPtr(x), rowPtr(idx), rowPtr(r), D, mode, nan);
  else if (dt == F64) K.gather_f64(rowPtr(x), rowPtr(idx), rowPtr(r), D, mode, nan);
  else if (dt == I32) K.gather_i32(rowPtr(x), rowPtr(idx), rowPtr(r), D, mode, nan);
  else if (dt == U32) K.gather_u32(rowPtr(x), rowPtr(idx), rowPtr(r), D, mode, nan);
  else if (dt == C64) K.gather_c64(rowPtr(x), rowPtr(idx), rowPtr(r), D, mode, nan);
  else if (dt == C128) K.gather_c128(rowPtr(x), rowPtr(idx), rowPtr(r), D, mode, nan);
  else K.gather_b8(rowPtr(x), rowPtr(idx), rowPtr(r), D, mode, nan);
}

/** The gather with r's params on operand x, its fill set to zero (for tangents). */
function gatherLike(r: i32, x: i32): i32 {
  const n = rowNparams(r);
  for (let i = 0; i < n; i++) setParam(i, rowParam(r, i));
  setParam(1, 0);
  return emitP(GATHER, x, rowB(r), -1, n);
}

function gatherJvp(r: i32): i32 {
  const t = tangentOf(rowA(r));
  return t >= 0 ? gatherLike(r, t) : -1;
}

function gatherTranspose(r: i32, ct: i32): void {
  const x = rowA(r);
  if (!isLinear(x)) return;
  // scatter_add(zeros, idx, ct): window dims = offset dims, inserted = collapsed, same map.
  const zeros = fullLike(x, 0.0); // before the params: emitting it uses the param scratch
  const last = listStart(r, G, 2) + listLen(r, G, 2); // slice sizes follow
  setParam(0, rowParam(r, 0)); // clip -> clip, fill -> drop
  for (let i = G; i < last; i++) setParam(i - 1, rowParam(r, i));
  accumulate(x, emitP(SCATTER_ADD, zeros, rowB(r), ct, last - 1));
}

// ---------------------------------------------------------------- scatter_add

const S1 = 1; // scatter's leading params: mode

function scatterShape(r: i32): i32 {
  const x = rowA(r), idx = rowB(r), u = rowC(r), R = rowNdim(x), Ri = rowNdim(idx), Ru = rowNdim(u);
  if (rowDtype(idx) != I32 || rowDtype(u) != rowDtype(x) || !(isInexact(rowDtype(x)) || rowDtype(x) == I32 || rowDtype(x) == U32)) return E_DTYPE;
  if (R > MAXD - 1 || Ri < 1 || Ru > MAXD) return E_PARAMS;
  if (!paramsLongEnough(r, S1) || rowParam(r, 0) < 0 || rowParam(r, 0) > 7) return E_PARAMS;
  const nWin = listLen(r, S1, 0), nIns = listLen(r, S1, 1), K_ = listLen(r, S1, 2);
  if (rowNparams(r) != listStart(r, S1, 2) + K_) return E_PARAMS;
  if (nWin + nIns != R || Ru != Ri - 1 + nWin || rowDim(idx, Ri - 1) != K_) return E_PARAMS;
  if (checkList(r, S1, 0, Ru, true) != E_OK || checkList(r, S1, 1, R, true) != E_OK || checkList(r, S1, 2, R, false) != E_OK) return E_PARAMS;
  // Window sizes fit the operand; batch dims of the updates match the indices'.
  let k = 0, j = 0;
  const ws = listStart(r, S1, 0);
  for (let d = 0; d < R; d++) if (inList(r, S1, 1, d) < 0) { if (rowDim(u, rowParam(r, ws + k)) > rowDim(x, d)) return E_SHAPE; k++; }
  for (let p = 0; p < Ru; p++) if (inList(r, S1, 0, p) < 0) { if (rowDim(u, p) != rowDim(idx, j)) return E_SHAPE; j++; }
  setDtype(r, rowDtype(x));
  shareShape(r, x);
  return E_OK;
}

function scatterKernel(r: i32): void {
  const x = rowA(r), idx = rowB(r), u = rowC(r);
  describe(r, S1, x, idx, u, false);
  const mode = rowParam(r, 0);
  const dt = rowDtype(x);
  if (dt == F32) K.scatter_add_f32(rowPtr(x), rowPtr(idx), rowPtr(u), rowPtr(r), rowSize(r), D, mode);
  else if (dt == C64) K.scatter_add_c64(rowPtr(x), rowPtr(idx), rowPtr(u), rowPtr(r), rowSize(r), D, mode);
  else if (dt == C128) K.scatter_add_c128(rowPtr(x), rowPtr(idx), rowPtr(u), rowPtr(r), rowSize(r), D, mode);
  else if (dt == I32 || dt == U32) K.scatter_add_i32(rowPtr(x), rowPtr(idx), rowPtr(u), rowPtr(r), rowSize(r), D, mode);
  else K.scatter_add_f64(rowPtr(x), rowPtr(idx), rowPtr(u), rowPtr(r), rowSize(r), D, mode);
}

function scatterWith(r: i32, x: i32, u: i32): i32 {
  const n = rowNparams(r);
  for (let i = 0; i < n; i++) setParam(i, rowParam(r, i));
  return emitP(SCATTER_ADD, x, rowB(r), u, n);
}

function scatterJvp(r: i32): i32 {
  const x = rowA(r), u = rowC(r), tx = tangentOf(x), tu = tangentOf(u);
  if (tx < 0 && tu < 0) return -1;
  return scatterWith(r, tx >= 0 ? tx : fullLike(x, 0.0), tu >= 0 ? tu : fullLike(u, 0.0));
}

function scatterTranspose(r: i32, ct: i32): void {
  const x = rowA(r), u = rowC(r);
  if (isLinear(x)) accumulate(x, ct);
  if (!isLinear(u)) return;
  // gather(ct, idx): offset dims = window dims, collapsed = inserted, slice sizes = window sizes.
  const last = listStart(r, S1, 2) + listLen(r, S1, 2), R = rowNdim(x);
  // An inserted axis of size 0 holds no index: every update was dropped, so their cotangent is 0
  // (the gather's slice of size 1 along it would not fit; vmap over an empty batch makes one).
  for (let d = 0; d < R; d++) if (inList(r, S1, 1, d) >= 0 && rowDim(x, d) == 0) { accumulate(u, fullLike(u, 0)); return; }
  setParam(0, rowParam(r, 0)); // clip -> clip, drop -> fill
  setParam(1, 0);              // with zeros
  for (let i = S1; i < last; i++) setParam(i + 1, rowParam(r, i));
  const ws = listStart(r, S1, 0);
  let k = 0;
  for (let d = 0; d < R; d++) {
    setParam(last + 1 + d, inList(r, S1, 1, d) >= 0 ? 1 : rowDim(u, rowParam(r, ws + k++)));
  }
  accumulate(u, emitP(GATHER, ct, rowB(r), -1, last + 1 + R));
}


// ---------------------------------------------------------------- batching (vmap)

@inline function shiftPast(d: i32, b: i32): i32 { return d >= b ? d + 1 : d; }

// Operand batched only: its batch axis is one more window axis taken whole (an offset axis of
// the output). Indices batched: their batch axis leads the index batch axes, so the output's
// axis 0. Both: each example indexes its own slice through a batch index column (withBatchIndex);
// over an empty batch that slice (size 1 of an axis of size 0) does not exist, nor does the result.
function gatherBatch(r: i32): void {
  const x = rowA(r), idx = rowB(r), bx = bdimOf(x), bi = bdimOf(idx), R = rowNdim(x);
  if (bx >= 0 && bi >= 0 && batchSize() == 0) { setEmptyBatch(r); return; }
  const nOff = listLen(r, G, 0), nColl = listLen(r, G, 1), K_ = listLen(r, G, 2);
  const offS = listStart(r, G, 0), collS = listStart(r, G, 1), simS = listStart(r, G, 2), ssS = simS + K_;
  let xP = physOf(x), iP = physOf(idx);
  if (bi >= 0) {
    iP = batchedAs(idx, 0);
    if (bx >= 0) { xP = batchedAs(x, 0); iP = withBatchIndex(iP); }
  }
  let j = 0, out = 0;
  setParam(j++, rowParam(r, 0)); setParam(j++, rowParam(r, 1));
  if (bi < 0) {
    let q = 0; // operand axes before the batch axis that are windows
    for (let d = 0; d < bx; d++) if (inList(r, G, 1, d) < 0) q++;
    out = q == 0 ? 0 : rowParam(r, offS + q - 1) + 1;
    setParam(j++, nOff + 1);
    for (let k = 0; k <= nOff; k++) setParam(j++, k < q ? rowParam(r, offS + k) : k == q ? out : rowParam(r, offS + k - 1) + 1);
    setParam(j++, nColl);
    for (let k = 0; k < nColl; k++) setParam(j++, shiftPast(rowParam(r, collS + k), bx));
    setParam(j++, K_);
    for (let k = 0; k < K_; k++) setParam(j++, shiftPast(rowParam(r, simS + k), bx));
    for (let d = 0; d <= R; d++) setParam(j++, d == bx ? batchSize() : rowParam(r, ssS + (d < bx ? d : d - 1)));
  } else {
    const both = bx >= 0, s = both ? 1 : 0;
    setParam(j++, nOff);
    for (let k = 0; k < nOff; k++) setParam(j++, rowParam(r, offS + k) + 1);
    setParam(j++, nColl + s);
    if (both) setParam(j++, 0);
    for (let k = 0; k < nColl; k++) setParam(j++, rowParam(r, collS + k) + s);
    setParam(j++, K_ + s);
    if (both) setParam(j++, 0);
    for (let k = 0; k < K_; k++) setParam(j++, rowParam(r, simS + k) + s);
    if (both) setParam(j++, 1);
    for (let d = 0; d < R; d++) setParam(j++, rowParam(r, ssS + d));
  }
  setBatched(r, emitP(GATHER, xP, iP, -1, j), out);
}

// The operand always batched along 0 (the result is). Indices unbatched: the batch axis is the
// first window axis of the updates. Indices batched: a batch index column scatters each
// example's updates into its own slice.
function scatterBatch(r: i32): void {
  const idx = rowB(r), bi = bdimOf(idx);
  const nWin = listLen(r, S1, 0), nIns = listLen(r, S1, 1), K_ = listLen(r, S1, 2);
  const winS = listStart(r, S1, 0), insS = listStart(r, S1, 1), sdS = listStart(r, S1, 2);
  const xP = batchedAs(rowA(r), 0), uP = batchedAs(rowC(r), 0);
  const iP = bi >= 0 ? withBatchIndex(batchedAs(idx, 0)) : physOf(idx), s = bi >= 0 ? 1 : 0;
  let j = 0;
  setParam(j++, rowParam(r, 0));
  setParam(j++, nWin + 1 - s);
  if (s == 0) setParam(j++, 0);
  for (let k = 0; k < nWin; k++) setParam(j++, rowParam(r, winS + k) + 1);
  setParam(j++, nIns + s);
  if (s == 1) setParam(j++, 0);
  for (let k = 0; k < nIns; k++) setParam(j++, rowParam(r, insS + k) + 1);
  setParam(j++, K_ + s);
  if (s == 1) setParam(j++, 0);
  for (let k = 0; k < K_; k++) setParam(j++, rowParam(r, sdS + k) + 1);
  setBatched(r, emitP(SCATTER_ADD, xP, iP, uP, j), 0);
}

export function registerGather(): void {
  defineOp(GATHER, 'gather', 2, gatherShape);
  defKernel(GATHER, F32, gatherKernel);
  defKernel(GATHER, F64, gatherKernel);
  defKernel(GATHER, I32, gatherKernel);
  defKernel(GATHER, U32, gatherKernel);
  defKernel(GATHER, BOOL, gatherKernel);
  defKernel(GATHER, C64, gatherKernel);
  defKernel(GATHER, C128, gatherKernel);
  defJvp(GATHER, gatherJvp);
  defTranspose(GATHER, gatherTranspose);
  defBatch(GATHER, gatherBatch);

  defineOp(SCATTER_ADD, 'scatter_add', 3, scatterShape);
  defKernel(SCATTER_ADD, F32, scatterKernel);
  defKernel(SCATTER_ADD, F64, scatterKernel);
  defKernel(SCATTER_ADD, C64, scatterKernel);
  defKernel(SCATTER_ADD, C128, scatterKernel);
  defKernel(SCATTER_ADD, I32, scatterKernel); // (np.diag, dynamicUpdateSlice and x.at().add of integers)
  defKernel(SCATTER_ADD, U32, scatterKernel);
  defJvp(SCATTER_ADD, scatterJvp);
  defTranspose(SCATTER_ADD, scatterTranspose);
  defBatch(SCATTER_ADD, scatterBatch);
}
