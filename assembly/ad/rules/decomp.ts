// Decompositions (JAX's lax.linalg qr, eigh, eig, svd) and the determinant, batched over leading
// axes. JVPs are JAX's, written as rows linear in the tangent (reverse mode = linearize +
// transpose):
//   qr   (qr_jvp_rule, m >= n, reduced): X = dA R^-1, C = Q^T X, O = tril(C, -1) - tril(C, -1)^T,
//        dQ = Q (O - C) + X, dR = (C - O) R;
//   eigh (eigh_jvp_rule): M = V^T sym(dA) V, dw = diag(M), dV = V (F o M) with
//        F_ij = 1 / (w_j - w_i) off the diagonal, 0 on it;
//   svd  (_svd_jvp_rule, reduced): dS = U^T dA V, ds = diag(dS), F_ij = 1 / (s_j^2 - s_i^2),
//        dU = U (F o (dS S + S dS^T) + I o (dS - dS^T) S^-1 / 2), dV = V (F o (S dS + dS^T S)),
//        plus the (I - U U^T) dA V S^-1 term when m > n (mirrored for V when n > m);
//   det  (jnp.linalg.det's custom JVP): d det = tr(adj(A) dA), adj(A) dA by _cofactor_solve:
//        through P A = L U with u_nn replaced by 1 / (parity prod_{i<n} u_ii), so the result is
//        finite at matrices of rank n - 1 (zero at rank < n - 1).
//   eig  (eig_jvp_rule): M = V^-1 dA V, dw = diag(M), dU = V (F o M), dV = dU - V diag(Re(diag(V^H dU)))
//        (the eig section below);
// JAX raises NotImplementedError for the derivatives of wide QR, complete QR and full-matrices
// SVD of non-square inputs; so do these rules (E_NOT_IMPLEMENTED).
// Complex (qr, eigh, svd; kernels in kernels/decomp_complex.ts): the same rules with ^H for ^T
// (JAX's _H: an explicit conj of the transpose), eigenvalues and singular values real, and JAX's
// complex-only terms: qr adds i Im(diag C) to O (so dR's diagonal stays real, as R's), eigh and
// svd take the real part of diag(M) / diag(dS), and svd's (dS - dS^H) / 2 term, zero on the
// diagonal for real inputs, carries i Im(diag dS) / s into dU.
import { defineOp, defKernel, defJvp, neverLinear, defBatch, KEY_OPERAND } from '../registry';
import { batchLeading } from '../batching';
import { QR, EIGH, SVD, DET, LU, ADD, SUB, MUL, DIV, SELECT, EQ, SPLIT, CONST, BROADCAST_IN_DIM, CONJ, EIG, LU_SOLVE } from '../ops';
import { rowA, rowDtype, rowNdim, rowDim, rowParam, rowNparams, rowPtr, rowShapePtr, shapeReserve, shapeAt, setDtype, setShape } from '../tape';
import { e1, e2, e3, emitP, emitList, setParam, setOperand, addOutput } from '../emit';
import { fullLike, setTmp, sumAxes, broadcastLike, convertTo, reshapeLike } from '../builder';
import { tangentOf, setTangent } from '../maps';
import { E_OK, E_DTYPE, E_SHAPE, E_PARAMS, E_OOM, E_NOT_IMPLEMENTED, fail } from '../../errors';
import { F32, F64, C64, C128, isFloat } from '../../dtype';
import { qr, eigh, svd } from '../../kernels/decomp';
import { qrC, eighC, svdC } from '../../kernels/decomp_complex';
import { realOf } from './complex';
import { lu } from '../../kernels/linalg';
import { eigReal, eigComplex } from '../../kernels/eig';
import { scratch, SLOT_DOT } from '../../kernels/scratch';
import { batchOf, matmul, swapLastTwo, triangle, constMatrix, trisolve } from './linalg';
// complex det (its JVP is the real one: JAX's _cofactor_solve has no conjugation)
import { C64, C128 } from '../../dtype';
import { isInexact } from '../shape_rules';
import { storeConst } from './linalg';
import { det_c64, det_c128 } from '../../kernels/linalg_complex';

const isCx = (d: i32): bool => d == C64 || d == C128;
/** The real dtype of the same width (eigenvalues, singular values). */
const realDtype = (d: i32): i32 => isCx(d) ? realOf(d) : d;

/** A new output of tuple row r: `a`'s batch axes followed by the given trailing dims (`real`: in a's real dtype). */
function addBatchedOutput(r: i32, a: i32, d0: i32, d1: i32, real: bool = false): i32 {
  const nb = rowNdim(a) - 2, nd = nb + (d0 >= 0 ? 1 : 0) + (d1 >= 0 ? 1 : 0);
  const off = shapeReserve(nd);
  if (off < 0) return E_OOM;
  memory.copy(shapeAt(off), rowShapePtr(a), <usize>nb << 2);
  let i = nb;
  if (d0 >= 0) store<i32>(shapeAt(off) + (<usize>(i++) << 2), d0);
  if (d1 >= 0) store<i32>(shapeAt(off) + (<usize>i << 2), d1);
  return addOutput(r, real ? realDtype(rowDtype(a)) : rowDtype(a), nd, off);
}
function matrixOperand(a: i32, square: bool, complexOk: bool = false): i32 {
  if (!isFloat(rowDtype(a)) && !(complexOk && isCx(rowDtype(a)))) return E_DTYPE;
  const nd = rowNdim(a);
  if (nd < 2 || (square && rowDim(a, nd - 1) != rowDim(a, nd - 2))) return E_SHAPE;
  return E_OK;
}
@inline function rows(x: i32): i32 { return rowDim(x, rowNdim(x) - 2); }
@inline function cols(x: i32): i32 { return rowDim(x, rowNdim(x) - 1); }

/** The identity broadcast like the square matrices `like`. */
function eyeLike(like: i32): i32 { return constMatrix(rowDtype(like), cols(like), true, 1.0, like, 0.0); }
/** The diagonal [..., n] of square matrices. */
function diagOf(x: i32): i32 { setTmp(0, rowNdim(x) - 1); return sumAxes(e2(MUL, x, eyeLike(x)), 1); }
/** v [..., k] broadcast to `like` [..., p, q] along its last axis (row = true: v_j) or the one before (v_i). */
function spread(v: i32, like: i32, row: bool): i32 {
  const nb = rowNdim(like) - 2;
  for (let i = 0; i < nb; i++) setTmp(i, i);
  setTmp(nb, row ? nb + 1 : nb);
  return broadcastLike(v, like, nb + 1);
}
function scale(x: i32, c: f64): i32 { return e2(MUL, x, fullLike(x, c)); }
/** x^H (JAX's _H): the last two axes swapped, conjugated when complex. */
function adjoint(x: i32): i32 { const t = swapLastTwo(x); return isCx(rowDtype(x)) ? e1(CONJ, t) : t; }
/** The real part of x (x itself when real); its transpose is JAX's real^T. */
function realPart(x: i32): i32 { return convertTo(x, realDtype(rowDtype(x))); }
/** 1 / x off the diagonal and 0 on it, for square x whose diagonal is 0 (never divides by 0). */
function offDiagonalReciprocal(x: i32): i32 {
  const I = eyeLike(x);
  return e2(SUB, e2(DIV, fullLike(x, 1.0), e2(ADD, x, I)), I);
}

// ---------------------------------------------------------------- qr

function qrShape(r: i32): i32 {
  const a = rowA(r);
  if (rowNparams(r) != 1) return E_PARAMS;
  const code = matrixOperand(a, false, true);
  if (code != E_OK) return code;
  const m = rows(a), n = cols(a), k = rowParam(r, 0) != 0 ? m : min(m, n);
  const c = addBatchedOutput(r, a, m, k);
  return c != E_OK ? c : addBatchedOutput(r, a, k, n);
}
function qrRun<T>(r: i32): void {
  const a = rowA(r);
  qr<T>(rowPtr(a), rowPtr(r + 1), rowPtr(r + 2), batchOf(a), rows(a), cols(a), rowParam(r, 0) != 0);
}
function qrF32(r: i32): void { qrRun<f32>(r); }
function qrF64(r: i32): void { qrRun<f64>(r); }
function qrComplex(r: i32): void {
  const a = rowA(r), complete = rowParam(r, 0) != 0;
  if (rowDtype(a) == C128) qrC<f64>(rowPtr(a), rowPtr(r + 1), rowPtr(r + 2), batchOf(a), rows(a), cols(a), complete);
  else qrC<f32>(rowPtr(a), rowPtr(r + 1), rowPtr(r + 2), batchOf(a), rows(a), cols(a), complete);
}

function qrJvp(r: i32): i32 {
  const a = rowA(r), Q = r + 1, R = r + 2, m = rows(a), n = cols(a);
  if (m < n || (rowParam(r, 0) != 0 && m != n)) fail(E_NOT_IMPLEMENTED);
  const X = trisolve(R, tangentOf(a), false, false, false, false); // dA R^-1
  const C = matmul(adjoint(Q), X);
  const low = triangle(C, true, 0.0);
  let O = e2(SUB, low, adjoint(low));
  if (isCx(rowDtype(C))) O = e2(ADD, O, e2(MUL, eyeLike(C), e2(SUB, C, convertTo(realPart(C), rowDtype(C))))); // + i Im(diag C)
  setTangent(Q, e2(ADD, matmul(Q, e2(SUB, O, C)), X));
  setTangent(R, matmul(e2(SUB, C, O), R));
  return -1;
}

// ---------------------------------------------------------------- eigh

function eighShape(r: i32): i32 {
  const a = rowA(r);
  const code = matrixOperand(a, true, true);
  if (code != E_OK) return code;
  const n = cols(a);
  const c = addBatchedOutput(r, a, n, -1, true);
  return c != E_OK ? c : addBatchedOutput(r, a, n, n);
}
function eighRun<T>(r: i32): void { const a = rowA(r); eigh<T>(rowPtr(a), rowPtr(r + 1), rowPtr(r + 2), batchOf(a), cols(a)); }
function eighF32(r: i32): void { eighRun<f32>(r); }
function eighF64(r: i32): void { eighRun<f64>(r); }
function eighComplex(r: i32): void {
  const a = rowA(r);
  if (rowDtype(a) == C128) eighC<f64>(rowPtr(a), rowPtr(r + 1), rowPtr(r + 2), batchOf(a), cols(a));
  else eighC<f32>(rowPtr(a), rowPtr(r + 1), rowPtr(r + 2), batchOf(a), cols(a));
}

// The kernel reads (A + A^H) / 2, so the tangent is symmetrized the same way.
function eighJvp(r: i32): i32 {
  const w = r + 1, V = r + 2, dA = tangentOf(rowA(r));
  const M = matmul(matmul(adjoint(V), scale(e2(ADD, dA, adjoint(dA)), 0.5)), V);
  const F = offDiagonalReciprocal(e2(SUB, spread(w, V, true), spread(w, V, false)));
  setTangent(w, realPart(diagOf(M)));
  setTangent(V, matmul(V, e2(MUL, convertTo(F, rowDtype(V)), M)));
  return -1;
}

// ---------------------------------------------------------------- eig

// The general eigendecomposition (jnp.linalg.eig; kernels in kernels/eig.ts): complex outputs of
// the input's width, whatever its kind. JAX's eig_jvp_rule, linear in dA: M = V^-1 dA V (an LU
// of V, P V = L U, then lu_solve of P dA V, linear in its right side: reverse mode transposes it
// to a solve with (P V)^T), dw = diag(M), dU = V (F o M) with F_ij = 1 / (w_j - w_i) off the
// diagonal and 0 on it, and dV = dU - V Re(diag(V^H dU)) (each column's unit norm kept; its phase
// is not differentiated, as in JAX: only phase-invariant functions of V have meaningful
// derivatives). A repeated eigenvalue gives non-finite eigenvector derivatives, as in JAX.
const complexOf = (d: i32): i32 => d == F32 ? C64 : d == F64 ? C128 : d;

// Param 0 (optional, 1 when absent): 0 computes the eigenvalues alone (eigvals), V then NaN.
function eigShape(r: i32): i32 {
  const a = rowA(r);
  const np = rowNparams(r);
  if (np > 1 || (np == 1 && rowParam(r, 0) != 0 && rowParam(r, 0) != 1)) return E_PARAMS;
  const code = matrixOperand(a, true, true);
  if (code != E_OK) return code;
  const n = cols(a), nb = rowNdim(a) - 2, dt = complexOf(rowDtype(a));
  let off = shapeReserve(nb + 1);
  if (off < 0) return E_OOM;
  memory.copy(shapeAt(off), rowShapePtr(a), <usize>nb << 2);
  store<i32>(shapeAt(off) + (<usize>nb << 2), n);
  const c = addOutput(r, dt, nb + 1, off);
  if (c != E_OK) return c;
  off = shapeReserve(nb + 2);
  if (off < 0) return E_OOM;
  memory.copy(shapeAt(off), rowShapePtr(a), <usize>(nb + 2) << 2);
  return addOutput(r, dt, nb + 2, off);
}
const eigWantsV = (r: i32): bool => rowNparams(r) == 0 || rowParam(r, 0) != 0;
function eigF32(r: i32): void { const a = rowA(r); eigReal<f32>(rowPtr(a), rowPtr(r + 1), rowPtr(r + 2), batchOf(a), cols(a), eigWantsV(r)); }
function eigF64(r: i32): void { const a = rowA(r); eigReal<f64>(rowPtr(a), rowPtr(r + 1), rowPtr(r + 2), batchOf(a), cols(a), eigWantsV(r)); }
function eigCx(r: i32): void {
  const a = rowA(r);
  if (rowDtype(a) == C128) eigComplex<f64>(rowPtr(a), rowPtr(r + 1), rowPtr(r + 2), batchOf(a), cols(a), eigWantsV(r));
  else eigComplex<f32>(rowPtr(a), rowPtr(r + 1), rowPtr(r + 2), batchOf(a), cols(a), eigWantsV(r));
}

function eigJvp(r: i32): i32 {
  if (!eigWantsV(r)) { // eigvals: the rule needs V, from a full eig of the same matrix (its w: the same bits)
    const full = emitP(EIG, rowA(r), -1, -1, 0);
    setTangent(r + 1, diagOf(eigM(full + 2, rowA(r))));
    return -1;
  }
  const w = r + 1, V = r + 2, dt = rowDtype(V);
  const M = eigM(V, rowA(r));
  const F = offDiagonalReciprocal(e2(SUB, spread(w, V, true), spread(w, V, false)));
  const dU = matmul(V, e2(MUL, F, M));
  const re = realPart(e2(MUL, e1(CONJ, V), dU));
  setTmp(0, rowNdim(V) - 2);
  const c = convertTo(sumAxes(re, 1), dt); // Re(v_j^H du_j), [..., n]
  setTangent(w, diagOf(M));
  setTangent(V, e2(SUB, dU, e2(MUL, V, spread(c, V, true))));
  return -1;
}

/** M = V^-1 dA V, dA the tangent of `a` (in V's dtype). */
function eigM(V: i32, a: i32): i32 {
  let dA = tangentOf(a);
  if (rowDtype(dA) != rowDtype(V)) dA = convertTo(dA, rowDtype(V));
  const f = emitP(LU, V, -1, -1, 0); // P V = L U
  const pa = matmul(f + 3, V), rhs = matmul(f + 3, matmul(dA, V)); // (P V) X = P dA V
  setParam(0, 0);
  return emitP(LU_SOLVE, pa, f + 1, rhs, 1); // V^-1 dA V
}

// ---------------------------------------------------------------- svd

function svdShape(r: i32): i32 {
  const a = rowA(r);
  if (rowNparams(r) != 1) return E_PARAMS;
  const code = matrixOperand(a, false, true);
  if (code != E_OK) return code;
  const m = rows(a), n = cols(a), k = min(m, n), full = rowParam(r, 0) != 0;
  let c = addBatchedOutput(r, a, k, -1, true);
  if (c == E_OK) c = addBatchedOutput(r, a, m, full ? m : k);
  return c != E_OK ? c : addBatchedOutput(r, a, full ? n : k, n);
}
function svdRun<T>(r: i32): void {
  const a = rowA(r);
  svd<T>(rowPtr(a), rowPtr(r + 1), rowPtr(r + 2), rowPtr(r + 3), batchOf(a), rows(a), cols(a), rowParam(r, 0) != 0);
}
function svdF32(r: i32): void { svdRun<f32>(r); }
function svdF64(r: i32): void { svdRun<f64>(r); }
function svdComplex(r: i32): void {
  const a = rowA(r), full = rowParam(r, 0) != 0;
  if (rowDtype(a) == C128) svdC<f64>(rowPtr(a), rowPtr(r + 1), rowPtr(r + 2), rowPtr(r + 3), batchOf(a), rows(a), cols(a), full);
  else svdC<f32>(rowPtr(a), rowPtr(r + 1), rowPtr(r + 2), rowPtr(r + 3), batchOf(a), rows(a), cols(a), full);
}

function svdJvp(r: i32): i32 {
  const a = rowA(r), s = r + 1, U = r + 2, Vt = r + 3, m = rows(a), n = cols(a), dA = tangentOf(a);
  if (rowParam(r, 0) != 0 && m != n) fail(E_NOT_IMPLEMENTED);
  const dt = rowDtype(U), Ut = adjoint(U), V = adjoint(Vt);
  const dS = matmul(matmul(Ut, dA), V);                  // [..., k, k]
  const sj = spread(s, dS, true), si = spread(s, dS, false);
  const F = convertTo(offDiagonalReciprocal(e2(MUL, e2(ADD, sj, si), e2(SUB, sj, si))), dt);
  const sc = convertTo(s, dt);
  const dSS = e2(MUL, spread(sc, dS, true), dS), SdS = e2(MUL, spread(sc, dS, false), dS);
  // 1/s where s != 0, else 0 (JAX's s_inv), on the diagonal
  const zeros = convertTo(e2(EQ, s, fullLike(s, 0.0)), rowDtype(s));
  const sInv = convertTo(e2(SUB, e2(DIV, fullLike(s, 1.0), e2(ADD, s, zeros)), zeros), dt);
  const sInvMat = e2(MUL, spread(sInv, dS, true), eyeLike(dS));
  const skew = e2(MUL, scale(e2(SUB, dS, adjoint(dS)), 0.5), sInvMat);
  let dU = matmul(U, e2(ADD, e2(MUL, F, e2(ADD, dSS, adjoint(dSS))), skew));
  let dV = matmul(V, e2(MUL, F, e2(ADD, SdS, adjoint(SdS))));
  if (m > n) {
    const dAV = matmul(dA, V);
    dU = e2(ADD, dU, e2(DIV, e2(SUB, dAV, matmul(U, matmul(Ut, dAV))), spread(sc, dAV, true)));
  }
  if (n > m) {
    const dAhU = matmul(adjoint(dA), U);
    dV = e2(ADD, dV, e2(DIV, e2(SUB, dAhU, matmul(V, matmul(Vt, dAhU))), spread(sc, dAhU, true)));
  }
  setTangent(s, realPart(diagOf(dS)));
  setTangent(U, dU);
  setTangent(Vt, adjoint(dV));
  return -1;
}

// ---------------------------------------------------------------- det

function detShape(r: i32): i32 {
  const a = rowA(r), nd2 = rowNdim(a);
  if (!isInexact(rowDtype(a))) return E_DTYPE; // complex too (kernels/linalg_complex.ts)
  if (nd2 < 2 || rowDim(a, nd2 - 1) != rowDim(a, nd2 - 2)) return E_SHAPE;
  const nd = rowNdim(a) - 2, off = shapeReserve(nd);
  if (off < 0) return E_OOM;
  memory.copy(shapeAt(off), rowShapePtr(a), <usize>nd << 2);
  setDtype(r, rowDtype(a));
  setShape(r, nd, off);
  return E_OK;
}
function detRun<T>(r: i32): void {
  const a = rowA(r), n = cols(a), batch = batchOf(a), sz = <usize>sizeof<T>(), mat = <usize>n * <usize>n * sz;
  const packed = scratch(SLOT_DOT, 2 * mat + <usize>n * 4 + 16);
  const P = packed + mat, parity = P + mat, perm = parity + 8;
  for (let t = 0; t < batch; t++) {
    lu<T>(rowPtr(a) + <usize>t * mat, packed, perm, P, parity, 1, n);
    let d = <f64>load<T>(parity);
    for (let i = 0; i < n; i++) d *= <f64>load<T>(packed + <usize>(i * n + i) * sz);
    store<T>(rowPtr(r) + <usize>t * sz, <T>(d + 0)); // -0 (singular, odd parity) becomes +0
  }
}
function detF32(r: i32): void { detRun<f32>(r); }
function detF64(r: i32): void { detRun<f64>(r); }
function detComplex(r: i32): void {
  const a = rowA(r);
  (rowDtype(a) == C128 ? det_c128 : det_c64)(rowPtr(a), rowPtr(r), batchOf(a), cols(a));
}

/** The 0/1 matrix, like x, with ones on its last row (`corner`: only at its last entry). */
function lastRowMask(x: i32, corner: bool): i32 {
  const m = rows(x), n = cols(x), dt = rowDtype(x);
  setParam(0, dt); setParam(1, m); setParam(2, n);
  const c = emitP(CONST, -1, -1, -1, 3);
  const p = rowPtr(c);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      storeConst(p, dt, i * n + j, i == m - 1 && (!corner || j == n - 1) ? 1 : 0);
    }
  }
  const nd = rowNdim(x);
  if (nd == 2) return c;
  for (let i = 0; i < nd; i++) setParam(i, rowDim(x, i));
  setParam(nd, nd - 2); setParam(nd + 1, nd - 1);
  return emitP(BROADCAST_IN_DIM, c, -1, -1, nd + 2);
}
/** A batch of scalars [...] broadcast to the matrices `like` [..., p, q]. */
function spreadScalar(v: i32, like: i32): i32 {
  const nb = rowNdim(like) - 2;
  for (let i = 0; i < nb; i++) setTmp(i, i);
  return broadcastLike(v, like, nb);
}

function detJvp(r: i32): i32 {
  const a = rowA(r), n = cols(a);
  const f = emitP(LU, a, -1, -1, 0);
  const packed = f + 1, P = f + 3, parity = f + 4;
  // the pivots u_ii as n pieces [..., 1]
  const d = diagOf(packed);
  setOperand(0, d);
  setParam(0, rowNdim(d) - 1);
  for (let i = 0; i < n; i++) setParam(1 + i, 1);
  const pieces = emitList(SPLIT, 1, 1 + n);
  let prefix = -1;
  for (let i = 0; i < n - 1; i++) prefix = prefix < 0 ? pieces + 1 + i : e2(MUL, prefix, pieces + 1 + i);
  const partial = prefix < 0 ? parity : e2(MUL, parity, reshapeLike(prefix, r)); // det without u_nn
  const det = e2(MUL, partial, reshapeLike(pieces + n, r));
  const singular = e2(EQ, partial, fullLike(partial, 0.0)); // rank < n - 1: the adjugate is 0
  const safe = e3(SELECT, singular, fullLike(partial, 1.0), partial);
  const E = lastRowMask(packed, true);
  const Ut = e2(ADD, e2(MUL, packed, e2(SUB, fullLike(E, 1.0), E)), e2(MUL, spreadScalar(e2(DIV, fullLike(safe, 1.0), safe), packed), E));
  // the mask before and after the solves (JAX's two filters): in reverse mode the first one
  // drops what a solve with a zero pivot makes of a zero cotangent (0 / 0)
  const g = tangentOf(a);
  const low = spreadScalar(singular, g);
  let x = trisolve(packed, matmul(P, e3(SELECT, low, fullLike(g, 0.0), g)), true, true, false, true); // L^-1 P dA
  const R = lastRowMask(x, false);
  x = e2(MUL, x, e2(ADD, e2(MUL, spreadScalar(det, x), e2(SUB, fullLike(R, 1.0), R)), R)); // rows < n times det
  x = trisolve(Ut, x, true, false, false, false);
  x = e3(SELECT, spreadScalar(singular, x), fullLike(x, 0.0), x);
  const t = diagOf(x);
  setTmp(0, rowNdim(t) - 1);
  return sumAxes(t, 1); // tr(adj(A) dA)
}

export function registerDecompositions(): void {
  defineOp(QR, 'qr', 1, qrShape, false, KEY_OPERAND);
  defKernel(QR, F32, qrF32);
  defKernel(QR, F64, qrF64);
  defKernel(QR, C64, qrComplex);
  defKernel(QR, C128, qrComplex);
  defJvp(QR, qrJvp);
  neverLinear(QR);
  defBatch(QR, batchLeading);

  defineOp(EIGH, 'eigh', 1, eighShape, false, KEY_OPERAND); // keyed by the operand: complex in, real eigenvalues first
  defKernel(EIGH, F32, eighF32);
  defKernel(EIGH, F64, eighF64);
  defKernel(EIGH, C64, eighComplex);
  defKernel(EIGH, C128, eighComplex);
  defJvp(EIGH, eighJvp);
  neverLinear(EIGH);
  defBatch(EIGH, batchLeading);

  defineOp(EIG, 'eig', 1, eigShape, false, KEY_OPERAND); // keyed by the operand: real in, complex out
  defKernel(EIG, F32, eigF32);
  defKernel(EIG, F64, eigF64);
  defKernel(EIG, C64, eigCx);
  defKernel(EIG, C128, eigCx);
  defJvp(EIG, eigJvp);
  neverLinear(EIG);
  defBatch(EIG, batchLeading);

  defineOp(SVD, 'svd', 1, svdShape, false, KEY_OPERAND);
  defKernel(SVD, F32, svdF32);
  defKernel(SVD, F64, svdF64);
  defKernel(SVD, C64, svdComplex);
  defKernel(SVD, C128, svdComplex);
  defJvp(SVD, svdJvp);
  neverLinear(SVD);
  defBatch(SVD, batchLeading);

  defineOp(DET, 'det', 1, detShape);
  defKernel(DET, F32, detF32);
  defKernel(DET, F64, detF64);
  defKernel(DET, C64, detComplex);
  defKernel(DET, C128, detComplex);
  defJvp(DET, detJvp);
  neverLinear(DET);
  defBatch(DET, batchLeading);
}
