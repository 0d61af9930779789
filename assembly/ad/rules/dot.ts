// dot_general (JAX's lax.dot_general): params nb, nc, lhs batch dims (nb), rhs batch dims (nb),
// lhs contracting dims (nc), rhs contracting dims (nc). Output axes: the batch axes (in the
// order listed), the lhs free axes (ascending), the rhs free axes (ascending).
// Bilinear: d(x.y) = dx.y + x.dy. The transposes are dot_generals with other dimension numbers
// (JAX's _dot_general_transpose_lhs/rhs); of the two operand orders that give the cotangent, the
// one that lands in the operand's own axis order is chosen, so a transpose row is emitted only
// when neither does. The kernel reads any layout: operands already in [batch, free, contract]
// / [batch, contract, free] order (or a rhs in [batch, free, contract], the "NT" layout of
// x @ W^T, or a lhs in [batch, contract, free], x^T y, which the packed kernel packs from its
// columns) are used in place; anything else is transposed into scratch first.
import { defineOp, defKernel, defJvp, defTranspose, defBatch } from '../registry';
import { bdimOf, physOf, setBatched } from '../batching';
import { DOT_GENERAL, TRANSPOSE as TRANSPOSE_OP } from '../ops';
import { rowA, rowB, rowImpl, rowDtype, rowNdim, rowDim, rowPtr, rowShapePtr, rowNparams, rowParam, isLinear, setDtype, setShape, shapeReserve, shapeAt } from '../tape';
import { emitP, setParam } from '../emit';
import { withPairAxis } from './movement';
import { addT } from '../builder';
import { tangentOf, accumulate } from '../maps';
import { E_OK, E_SHAPE, E_DTYPE, E_PARAMS, E_OOM, E_NOT_TRANSPOSABLE, fail } from '../../errors';
import { F32, F64, I32, U32, C64, C128 } from '../../dtype';
import { isInexact } from '../shape_rules';
import { dot_f32, dot_f64, dot_i32, dot_nt_f32, dot_nt_f64, dot_nt_i32, dot_tn_f32, dot_tn_f64, dot_tn_i32 } from '../../kernels/dot';
import { dot_c64, dot_c128 } from '../../kernels/complex';
import { transpose_b32, transpose_b64 } from '../../kernels/movement';

const MAXD = 32;
@inline function nbOf(r: i32): i32 { return rowParam(r, 0); }
@inline function ncOf(r: i32): i32 { return rowParam(r, 1); }
@inline function lBatch(r: i32, i: i32): i32 { return rowParam(r, 2 + i); }
@inline function rBatch(r: i32, i: i32): i32 { return rowParam(r, 2 + nbOf(r) + i); }
@inline function lContract(r: i32, i: i32): i32 { return rowParam(r, 2 + 2 * nbOf(r) + i); }
@inline function rContract(r: i32, i: i32): i32 { return rowParam(r, 2 + 2 * nbOf(r) + ncOf(r) + i); }
/** Batch or contracting dim i of the lhs (side 0) or rhs (side 1). */
@inline function batchDim(r: i32, side: i32, i: i32): i32 { return side == 0 ? lBatch(r, i) : rBatch(r, i); }
@inline function contractDim(r: i32, side: i32, i: i32): i32 { return side == 0 ? lContract(r, i) : rContract(r, i); }

/** Bit mask of the batch and contracting dims of one side. */
function usedMask(r: i32, side: i32): i32 {
  let m = 0;
  for (let i = 0; i < nbOf(r); i++) m |= 1 << batchDim(r, side, i);
  for (let i = 0; i < ncOf(r); i++) m |= 1 << contractDim(r, side, i);
  return m;
}

function dotGeneralShape(r: i32): i32 {
  const a = rowA(r), b = rowB(r), na = rowNdim(a), nb_ = rowNdim(b);
  const dt = rowDtype(a);
  if (rowDtype(b) != dt || (!isInexact(dt) && dt != I32 && dt != U32)) return E_DTYPE;
  if (rowNparams(r) < 2) return E_PARAMS;
  const nb = nbOf(r), nc = ncOf(r);
  if (nb < 0 || nc < 0 || rowNparams(r) != 2 + 2 * nb + 2 * nc || na > 30 || nb_ > 30) return E_PARAMS;
  let ma = 0, mb = 0;
  for (let i = 0; i < nb + nc; i++) {
    const da = i < nb ? lBatch(r, i) : lContract(r, i - nb), db = i < nb ? rBatch(r, i) : rContract(r, i - nb);
    if (da < 0 || da >= na || db < 0 || db >= nb_) return E_PARAMS;
    if ((ma & (1 << da)) != 0 || (mb & (1 << db)) != 0) return E_PARAMS;
    ma |= 1 << da; mb |= 1 << db;
    if (rowDim(a, da) != rowDim(b, db)) return E_SHAPE;
  }
  const nd = na + nb_ - nb - 2 * nc;
  const off = shapeReserve(nd);
  if (off < 0) return E_OOM;
  let j = 0;
  for (let i = 0; i < nb; i++) store<i32>(shapeAt(off) + (<usize>(j++) << 2), rowDim(a, lBatch(r, i)));
  for (let i = 0; i < na; i++) if ((ma & (1 << i)) == 0) store<i32>(shapeAt(off) + (<usize>(j++) << 2), rowDim(a, i));
  for (let i = 0; i < nb_; i++) if ((mb & (1 << i)) == 0) store<i32>(shapeAt(off) + (<usize>(j++) << 2), rowDim(b, i));
  setDtype(r, rowDtype(a));
  setShape(r, nd, off);
  return E_OK;
}

// ---------------------------------------------------------------- kernel

const PERM = memory.data(MAXD * 4);
@inline function setPerm(i: i32, v: i32): void { store<i32>(PERM + (<usize>i << 2), v); }
@inline function perm(i: i32): i32 { return load<i32>(PERM + (<usize>i << 2)); }

/** PERM = side's axes in the order batch, then (freeFirst ? free, contract : contract, free); returns whether that is the identity. */
function layoutPerm(r: i32, side: i32, freeFirst: bool): bool {
  const x = side == 0 ? rowA(r) : rowB(r), nd = rowNdim(x), used = usedMask(r, side);
  let j = 0;
  for (let i = 0; i < nbOf(r); i++) setPerm(j++, batchDim(r, side, i));
  if (!freeFirst) for (let i = 0; i < ncOf(r); i++) setPerm(j++, contractDim(r, side, i));
  for (let i = 0; i < nd; i++) if ((used & (1 << i)) == 0) setPerm(j++, i);
  if (freeFirst) for (let i = 0; i < ncOf(r); i++) setPerm(j++, contractDim(r, side, i));
  for (let i = 0; i < nd; i++) if (perm(i) != i) return false;
  return true;
}

/** A scratch copy of operand x transposed by PERM (freed by the caller). */
function permuted(x: i32, wide: bool): usize {
  let n: usize = 1;
  for (let i = 0; i < rowNdim(x); i++) n *= <usize>rowDim(x, i);
  if (rowDtype(x) == C128) { // 16-byte elements: pairs of 8-byte ones, a trailing axis of 2
    const nd = rowNdim(x), p = heap.alloc(max<usize>(n << 4, 16));
    setPerm(nd, nd);
    transpose_b64(rowPtr(x), p, withPairAxis(x), nd + 1, PERM);
    return p;
  }
  const p = heap.alloc(max<usize>(n << (wide ? 3 : 2), 16));
  if (wide) transpose_b64(rowPtr(x), p, rowShapePtr(x), rowNdim(x), PERM);
  else transpose_b32(rowPtr(x), p, rowShapePtr(x), rowNdim(x), PERM);
  return p;
}

type DotKernel = (a: usize, b: usize, out: usize, batch: i32, m: i32, k: i32, n: i32) => void;
type TnKernel = (a: usize, b: usize, out: usize, batch: i32, m: i32, k: i32, n: i32) => bool;
function noTn(a: usize, b: usize, out: usize, batch: i32, m: i32, k: i32, n: i32): bool { return false; }

// The transposed copies of the call in progress: one that ran out of memory (an abort, which
// unwinds no AssemblyScript code) left them allocated; the next call frees them.
let heldA: usize = 0, heldB: usize = 0;

function runDotGeneral(r: i32, nn: DotKernel, nt: DotKernel, wide: bool, hasNt: bool = true, tn: TnKernel = noTn): void {
  if (heldA) { heap.free(heldA); heldA = 0; }
  if (heldB) { heap.free(heldB); heldB = 0; }
  const a = rowA(r), b = rowB(r), nb = nbOf(r), nc = ncOf(r);
  let batch = 1, k = 1, m = 1, n = 1;
  for (let i = 0; i < nb; i++) batch *= rowDim(a, lBatch(r, i));
  for (let i = 0; i < nc; i++) k *= rowDim(a, lContract(r, i));
  const ua = usedMask(r, 0), ub = usedMask(r, 1);
  for (let i = 0; i < rowNdim(a); i++) if ((ua & (1 << i)) == 0) m *= rowDim(a, i);
  for (let i = 0; i < rowNdim(b); i++) if ((ub & (1 << i)) == 0) n *= rowDim(b, i);
  let pa = rowPtr(a), pb = rowPtr(b), fa: usize = 0, fb: usize = 0;
  // lhs stored [batch, contract, free] (x^T y: the weight gradient of x W): the packed kernel
  // packs A from its columns (dot_tn), the same packed block a transposed copy would give.
  let transA = false;
  if (!layoutPerm(r, 0, true)) {
    if (layoutPerm(r, 0, false) && tn != noTn) transA = true;
    else { layoutPerm(r, 0, true); fa = heldA = permuted(a, wide); pa = fa; }
  }
  let useNt = false;
  if (!layoutPerm(r, 1, false)) {
    // rhs stored [batch, free, contract]: dot products of rows while A has few rows.
    if (hasNt && !transA && m <= 16 && layoutPerm(r, 1, true)) useNt = true;
    else { layoutPerm(r, 1, false); fb = heldB = permuted(b, wide); pb = fb; }
  }
  if (transA && !tn(pa, pb, rowPtr(r), batch, m, k, n)) { // not the packed path: transpose A after all
    layoutPerm(r, 0, true);
    fa = heldA = permuted(a, wide);
    pa = fa;
    transA = false;
  }
  if (!transA) { // (else tn has written the result)
    if (useNt) nt(pa, pb, rowPtr(r), batch, m, k, n);
    else nn(pa, pb, rowPtr(r), batch, m, k, n);
  }
  if (fa) heap.free(fa);
  if (fb) heap.free(fb);
  heldA = heldB = 0;
}
function dotGeneralF32(r: i32): void { runDotGeneral(r, dot_f32, dot_nt_f32, false, true, dot_tn_f32); }
function dotGeneralF64(r: i32): void { runDotGeneral(r, dot_f64, dot_nt_f64, true, true, dot_tn_f64); }
// int32 / uint32: wrapping products and sums (XLA's integer dot), one kernel for both.
function dotGeneralI32(r: i32): void { runDotGeneral(r, dot_i32, dot_nt_i32, false, true, dot_tn_i32); }
// Complex: no NT kernel (operands go to NN layout); transposes never conjugate (JAX).
function dotGeneralC64(r: i32): void { runDotGeneral(r, dot_c64, dot_c64, true, false); }
function dotGeneralC128(r: i32): void { runDotGeneral(r, dot_c128, dot_c128, true, false); }

// ---------------------------------------------------------------- rules

/** dot_general(x, y) with row r's dimension numbers. */
function withDimsOf(r: i32, x: i32, y: i32): i32 {
  const n = rowNparams(r);
  for (let i = 0; i < n; i++) setParam(i, rowParam(r, i));
  return emitP(DOT_GENERAL, x, y, -1, n);
}

function dotGeneralJvp(r: i32): i32 {
  const a = rowA(r), b = rowB(r), ta = tangentOf(a), tb = tangentOf(b);
  return addT(ta >= 0 ? withDimsOf(r, ta, b) : -1, tb >= 0 ? withDimsOf(r, a, tb) : -1);
}

// Lists for building the transposes' dimension numbers.
const XB = memory.data(MAXD * 4), YB = memory.data(MAXD * 4), XK = memory.data(MAXD * 4), YK = memory.data(MAXD * 4);
const XC = memory.data(MAXD * 4), MAP = memory.data(MAXD * 4), G = memory.data(MAXD * 4), GY = memory.data(MAXD * 4);
@inline function put(l: usize, i: i32, v: i32): void { store<i32>(l + (<usize>i << 2), v); }
@inline function get(l: usize, i: i32): i32 { return load<i32>(l + (<usize>i << 2)); }

/** Emit dot_general(p, q) with batch pairs (pb[i], qb[i]) and contracting pairs (pc[i], qc[i]). */
function emitDot(p: i32, q: i32, nb: i32, pb: usize, qb: usize, nc: i32, pc: usize, qc: usize): i32 {
  setParam(0, nb); setParam(1, nc);
  for (let i = 0; i < nb; i++) { setParam(2 + i, get(pb, i)); setParam(2 + nb + i, get(qb, i)); }
  for (let i = 0; i < nc; i++) { setParam(2 + 2 * nb + i, get(pc, i)); setParam(2 + 2 * nb + nc + i, get(qc, i)); }
  return emitP(DOT_GENERAL, p, q, -1, 2 + 2 * nb + 2 * nc);
}

/**
 * Cotangent of operand `side` (x) given ct (axes: batch, lhs free, rhs free) and the other
 * operand y: contract ct's y-free axes with y's free dims, batch with batch. The result's axes are
 * x's batch, then x's free and contracting dims (ordered by y's contracting dims ascending) in
 * one of the two orders; MAP holds, per result axis, the x axis it is.
 */
function transposeSide(r: i32, ct: i32, side: i32): i32 {
  const x = side == 0 ? rowA(r) : rowB(r), y = side == 0 ? rowB(r) : rowA(r);
  const nb = nbOf(r), nc = ncOf(r), ux = usedMask(r, side), uy = usedMask(r, 1 - side);
  let nxk = 0, nyk = 0;
  for (let i = 0; i < rowNdim(x); i++) if ((ux & (1 << i)) == 0) put(XK, nxk++, i);
  for (let i = 0; i < rowNdim(y); i++) if ((uy & (1 << i)) == 0) put(YK, nyk++, i);
  // ct's axes: [batch | lhs free | rhs free].
  const gx = side == 0 ? nb : nb + nyk, gy = side == 0 ? nb + nxk : nb;
  for (let i = 0; i < nb; i++) { put(G, i, i); put(XB, i, batchDim(r, side, i)); put(YB, i, batchDim(r, 1 - side, i)); }
  for (let i = 0; i < nyk; i++) put(GY, i, gy + i);
  // y's free axes of the product are y's contracting dims, ascending; XC: the x dims they pair with.
  let nxc = 0;
  for (let d = 0; d < rowNdim(y); d++) {
    for (let i = 0; i < nc; i++) if (contractDim(r, 1 - side, i) == d) put(XC, nxc++, contractDim(r, side, i));
  }
  // Order 1: dot(ct, y) -> [batch, x free, XC]; order 2: dot(y, ct) -> [batch, XC, x free].
  let id1 = true, id2 = true, j = 0;
  for (let i = 0; i < nb; i++, j++) { if (get(XB, i) != j) { id1 = false; id2 = false; } }
  for (let i = 0; i < nxk; i++) if (get(XK, i) != nb + i) id1 = false;
  for (let i = 0; i < nxc; i++) if (get(XC, i) != nb + nxk + i) id1 = false;
  for (let i = 0; i < nxc; i++) if (get(XC, i) != nb + i) id2 = false;
  for (let i = 0; i < nxk; i++) if (get(XK, i) != nb + nxc + i) id2 = false;
  if (id2 && !id1) return emitDot(y, ct, nb, YB, G, nyk, YK, GY);
  const out = emitDot(ct, y, nb, G, YB, nyk, GY, YK);
  if (id1) return out;
  // MAP[result axis] = x axis; the transpose's perm[i] = the result axis holding x axis i.
  for (let i = 0; i < nb; i++) put(MAP, i, get(XB, i));
  for (let i = 0; i < nxk; i++) put(MAP, nb + i, get(XK, i));
  for (let i = 0; i < nxc; i++) put(MAP, nb + nxk + i, get(XC, i));
  const nd = rowNdim(x);
  for (let p = 0; p < nd; p++) setParam(get(MAP, p), p);
  return emitP(TRANSPOSE_OP, out, -1, -1, nd);
}

function dotGeneralTranspose(r: i32, ct: i32): void {
  const a = rowA(r), b = rowB(r);
  if (isLinear(a) && isLinear(b)) fail(E_NOT_TRANSPOSABLE); // bilinear in two linear values
  if (isLinear(a)) accumulate(a, transposeSide(r, ct, 0));
  if (isLinear(b)) accumulate(b, transposeSide(r, ct, 1));
}


// ---------------------------------------------------------------- batching (vmap)

/** Logical axis d of side `side` as a physical axis when that side is batched at b (-1: not). */
@inline function shifted(d: i32, b: i32): i32 { return b >= 0 && d >= b ? d + 1 : d; }

// Both operands batched: their batch axes become the first batch dimension pair (output axis 0).
// One batched: its batch axis is a free axis, which lands among that side's free output axes.
function dotBatch(r: i32): void {
  const a = rowA(r), b = rowB(r), ba = bdimOf(a), bb = bdimOf(b), nb = nbOf(r), nc = ncOf(r);
  const both = ba >= 0 && bb >= 0, nb2 = both ? nb + 1 : nb;
  if (bb >= 0 && ba < 0 && nb == 0 && rowNdim(b) == nc) {
    // A batch of vectors on the right (W @ x under vmap): put it on the left, so that the batch
    // leads the output ([B, ...free of W]) and the kernel reads both operands as stored.
    setParam(0, 0); setParam(1, nc);
    for (let i = 0; i < nc; i++) setParam(2 + i, shifted(rContract(r, i), bb));
    for (let i = 0; i < nc; i++) setParam(2 + nc + i, lContract(r, i));
    setBatched(r, emitP(DOT_GENERAL, rowImpl(b), physOf(a), -1, 2 + 2 * nc), 0);
    return;
  }
  setParam(0, nb2); setParam(1, nc);
  let j = 2;
  if (both) setParam(j++, ba);
  for (let i = 0; i < nb; i++) setParam(j++, shifted(lBatch(r, i), ba));
  if (both) setParam(j++, bb);
  for (let i = 0; i < nb; i++) setParam(j++, shifted(rBatch(r, i), bb));
  for (let i = 0; i < nc; i++) setParam(j++, shifted(lContract(r, i), ba));
  for (let i = 0; i < nc; i++) setParam(j++, shifted(rContract(r, i), bb));
  let out = 0;
  if (!both) { // where the batch axis lands: after the batch axes and the free axes before it
    const side = ba >= 0 ? 0 : 1, bd = ba >= 0 ? ba : bb, used = usedMask(r, side);
    out = nb;
    if (side == 1) out += rowNdim(a) - nb - nc;
    for (let d = 0; d < bd; d++) if ((used & (1 << d)) == 0) out++;
  }
  setBatched(r, emitP(DOT_GENERAL, physOf(a), physOf(b), -1, j), out);
}

export function registerDot(): void {
  defineOp(DOT_GENERAL, 'dot_general', 2, dotGeneralShape);
  defKernel(DOT_GENERAL, F32, dotGeneralF32);
  defKernel(DOT_GENERAL, F64, dotGeneralF64);
  defKernel(DOT_GENERAL, I32, dotGeneralI32);
  defKernel(DOT_GENERAL, U32, dotGeneralI32);
  defKernel(DOT_GENERAL, C64, dotGeneralC64);
  defKernel(DOT_GENERAL, C128, dotGeneralC128);
  defJvp(DOT_GENERAL, dotGeneralJvp);
  defTranspose(DOT_GENERAL, dotGeneralTranspose);
  defBatch(DOT_GENERAL, dotBatch);
}
