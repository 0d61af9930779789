// Linear algebra: cholesky and triangular_solve (JAX's lax.linalg primitives), batched over
// leading axes. JVPs are JAX's closed forms, written with rows that are linear in the tangent, so
// reverse mode is linearize + transpose like everything else:
//   cholesky (Iain Murray, "Differentiation of the Cholesky decomposition", 2016):
//     dL = L phi(L^-1 dA L^-T), phi = the lower triangle with its diagonal halved;
//   triangular_solve: dX = op(A)^-1 (dB - op(dA) X) (left side; mirrored for the right side),
//     dA masked to A's triangle; linear in B, whose transpose solves with op(A)^T.
// The numpy-level linalg.cholesky symmetrizes its input first ((A + A^T) / 2), as JAX does.
// Complex (JAX's forms): cholesky is Hermitian (L L^H, dL = L phi(L^-1 dA L^-H)); triangular_solve
// takes JAX's conjugate_a as an optional 5th param, kept by its transpose (which never conjugates);
// lu pivots by |re| + |im| (LAPACK's izamax; kernels/linalg_complex.ts), its JVP unchanged.
import { defineOp, defKernel, defJvp, defTranspose, neverLinear, defBatch } from '../registry';
import { batchLeading } from '../batching';
import { CHOLESKY, TRIANGULAR_SOLVE, LU, LU_SOLVE, DOT_GENERAL, NEG, MUL, ADD, SELECT, CONST, BROADCAST_IN_DIM, CONJ } from '../ops';
import {
  rowA, rowB, rowC, rowDtype, rowNdim, rowDim, rowParam, rowNparams, rowPtr, rowShapeOff, rowShapePtr, setDtype, shareShape,
  shapeReserve, shapeAt, isLinear,
} from '../tape';
import { e1, e2, e3, emitP, setParam, addOutput } from '../emit';
import { addT, fullLike, setTmp, transposeBy } from '../builder';
import { tangentOf, setTangent, accumulate } from '../maps';
import { E_OK, E_DTYPE, E_SHAPE, E_PARAMS, E_OOM, E_NOT_TRANSPOSABLE, fail } from '../../errors';
import { F32, F64, BOOL, I32, C64, C128 } from '../../dtype';
import { cholesky, triangularSolve, lu } from '../../kernels/linalg';
import { isInexact } from '../shape_rules';
import * as KC from '../../kernels/complex';
import { lu_c64, lu_c128 } from '../../kernels/linalg_complex';

export function batchOf(x: i32): i32 { let n = 1; for (let i = 0; i < rowNdim(x) - 2; i++) n *= rowDim(x, i); return n; }

// ---------------------------------------------------------------- cholesky

function choleskyShape(r: i32): i32 {
  const a = rowA(r), nd = rowNdim(a);
  if (!isInexact(rowDtype(a))) return E_DTYPE;
  if (nd < 2 || rowDim(a, nd - 1) != rowDim(a, nd - 2)) return E_SHAPE;
  setDtype(r, rowDtype(a));
  shareShape(r, a);
  return E_OK;
}
function choleskyComplex(r: i32): void {
  const a = rowA(r), n = rowDim(a, rowNdim(a) - 1);
  if (rowDtype(a) == C128) KC.cholesky_c128(rowPtr(a), rowPtr(r), batchOf(a), n);
  else KC.cholesky_c64(rowPtr(a), rowPtr(r), batchOf(a), n);
}
const isCx = (d: i32): bool => d == C64 || d == C128;
function choleskyF32(r: i32): void { const a = rowA(r); cholesky<f32>(rowPtr(a), rowPtr(r), batchOf(a), rowDim(a, rowNdim(a) - 1)); }
function choleskyF64(r: i32): void { const a = rowA(r); cholesky<f64>(rowPtr(a), rowPtr(r), batchOf(a), rowDim(a, rowNdim(a) - 1)); }

// The kernel reads A's lower triangle only, i.e. factors tril(A) + tril(A, -1)^T: the tangent
// that matters is the same mirror of dA (equal to dA when dA is symmetric, as after the
// numpy-level symmetrization).
function choleskyJvp(r: i32): i32 {
  const t = tangentOf(rowA(r));
  // Complex: the kernel reads the Hermitian completion (real diagonal): dA = T + T^H, T = tril with a halved diagonal.
  const cx = isCx(rowDtype(r));
  const dA = cx ? e2(ADD, triangle(t, true, 0.5), e1(CONJ, swapLastTwo(triangle(t, true, 0.5))))
    : e2(ADD, triangle(t, true, 1.0), swapLastTwo(triangle(t, true, 0.0)));
  // tmp = dA L^-T (L^-H for complex: right side, transposed), then L^-1 tmp, then L phi(.)
  const tmp = trisolve(r, dA, false, true, true, false, cx);
  const inner = trisolve(r, tmp, true, true, false, false);
  return matmul(r, triangle(inner, true, 0.5));
}

// ---------------------------------------------------------------- triangular_solve

function trisolveShape(r: i32): i32 {
  const a = rowA(r), b = rowB(r), nd = rowNdim(a);
  if (rowNparams(r) != 4 && rowNparams(r) != 5) return E_PARAMS; // 5th: conjugate_a (complex)
  if (!isInexact(rowDtype(a)) || rowDtype(a) != rowDtype(b)) return E_DTYPE;
  if (nd < 2 || rowNdim(b) != nd || rowDim(a, nd - 1) != rowDim(a, nd - 2)) return E_SHAPE;
  for (let i = 0; i < nd - 2; i++) if (rowDim(a, i) != rowDim(b, i)) return E_SHAPE;
  const m = rowDim(a, nd - 1), left = rowParam(r, 0) != 0;
  if ((left ? rowDim(b, nd - 2) : rowDim(b, nd - 1)) != m) return E_SHAPE;
  setDtype(r, rowDtype(b));
  shareShape(r, b);
  return E_OK;
}
function trisolveRun<T>(r: i32): void {
  const a = rowA(r), b = rowB(r), nd = rowNdim(b), left = rowParam(r, 0) != 0;
  const m = rowDim(a, nd - 1), k = left ? rowDim(b, nd - 1) : rowDim(b, nd - 2);
  triangularSolve<T>(rowPtr(a), rowPtr(b), rowPtr(r), batchOf(b), m, k, left, rowParam(r, 1) != 0,
    rowParam(r, 2) != 0, rowParam(r, 3) != 0);
}
/** JAX's conjugate_a (the optional 5th param). */
function conjA(r: i32): bool { return rowNparams(r) == 5 && rowParam(r, 4) != 0; }
function trisolveComplex(r: i32): void {
  const a = rowA(r), b = rowB(r), nd = rowNdim(b), left = rowParam(r, 0) != 0;
  const m = rowDim(a, nd - 1), k = left ? rowDim(b, nd - 1) : rowDim(b, nd - 2);
  const lower = rowParam(r, 1) != 0, tr = rowParam(r, 2) != 0, unit = rowParam(r, 3) != 0;
  if (rowDtype(b) == C128) KC.triangular_solve_c128(rowPtr(a), rowPtr(b), rowPtr(r), batchOf(b), m, k, left, lower, tr, conjA(r), unit);
  else KC.triangular_solve_c64(rowPtr(a), rowPtr(b), rowPtr(r), batchOf(b), m, k, left, lower, tr, conjA(r), unit);
}
function trisolveF32(r: i32): void { trisolveRun<f32>(r); }
function trisolveF64(r: i32): void { trisolveRun<f64>(r); }

/** triangular_solve(a, b) with the given flags. */
export function trisolve(aRow: i32, b: i32, left: bool, lower: bool, transposeA: bool, unitDiag: bool, conjugateA: bool = false): i32 {
  setParam(0, left ? 1 : 0); setParam(1, lower ? 1 : 0); setParam(2, transposeA ? 1 : 0); setParam(3, unitDiag ? 1 : 0);
  setParam(4, 1);
  return emitP(TRIANGULAR_SOLVE, aRow, b, -1, conjugateA ? 5 : 4);
}

function trisolveJvp(r: i32): i32 {
  const a = rowA(r), b = rowB(r), ta = tangentOf(a), tb = tangentOf(b);
  const left = rowParam(r, 0) != 0, lower = rowParam(r, 1) != 0, tr = rowParam(r, 2) != 0, unit = rowParam(r, 3) != 0, cj = conjA(r);
  let t = tb >= 0 ? trisolve(a, tb, left, lower, tr, unit, cj) : -1;
  if (ta >= 0) {
    let dA = triangle(ta, lower, unit ? 0.0 : 1.0);
    if (tr) dA = swapLastTwo(dA);
    if (cj) dA = e1(CONJ, dA);
    const prod = left ? matmul(dA, r) : matmul(r, dA);
    t = addT(t, e1(NEG, trisolve(a, prod, left, lower, tr, unit, cj)));
  }
  return t;
}
// Linear in b only: x = op(a)^-1 b  =>  ct_b = op(a)^-T ct (the same side, transposed).
function trisolveTranspose(r: i32, ct: i32): void {
  const a = rowA(r);
  if (isLinear(a)) fail(E_NOT_TRANSPOSABLE);
  accumulate(rowB(r), trisolve(a, ct, rowParam(r, 0) != 0, rowParam(r, 1) != 0, rowParam(r, 2) == 0, rowParam(r, 3) != 0, conjA(r)));
}

// ---------------------------------------------------------------- helpers

/** Batched matrix product [..., m, k] x [..., k, n] as one dot_general row. */
export function matmul(x: i32, y: i32): i32 {
  const nd = rowNdim(x), nb = nd - 2;
  setParam(0, nb); setParam(1, 1);
  for (let i = 0; i < nb; i++) { setParam(2 + i, i); setParam(2 + nb + i, i); }
  setParam(2 + 2 * nb, nd - 1); setParam(3 + 2 * nb, nd - 2);
  return emitP(DOT_GENERAL, x, y, -1, 4 + 2 * nb);
}

/** x with its last two axes swapped. */
export function swapLastTwo(x: i32): i32 {
  const nd = rowNdim(x);
  for (let i = 0; i < nd - 2; i++) setTmp(i, i);
  setTmp(nd - 2, nd - 1);
  setTmp(nd - 1, nd - 2);
  return transposeBy(x, nd);
}

/**
 * The lower (or upper) triangle of the last two axes of x, its diagonal scaled by `diag`
 * (1: kept, 0: dropped, 0.5: Murray's phi); zeros elsewhere (selected, so inf or NaN in the
 * other triangle never leaks through).
 */
export function triangle(x: i32, lower: bool, diag: f64): i32 {
  const nd = rowNdim(x), n = rowDim(x, nd - 1), dt = rowDtype(x);
  const keep = constMatrix(BOOL, n, lower, diag != 0 ? 1.0 : 0.0, x);
  let v = x;
  if (diag != 0 && diag != 1) v = e2(MUL, x, constMatrix(dt, n, lower, diag, x, 1.0));
  return e3(SELECT, keep, v, fullLike(x, 0.0));
}

/** Entry `at` of a CONST row's buffer `p` of the given dtype set to the real `v` (bool: v != 0). */
export function storeConst(p: usize, dtype: i32, at: i32, v: f64): void {
  const i = <usize>at;
  if (dtype == F64) store<f64>(p + (i << 3), v);
  else if (dtype == F32) store<f32>(p + (i << 2), <f32>v);
  else if (dtype == C128) { store<f64>(p + (i << 4), v); store<f64>(p + (i << 4) + 8, 0); }
  else if (dtype == C64) { store<f32>(p + (i << 3), <f32>v); store<f32>(p + (i << 3) + 4, 0); }
  else store<u8>(p + i, v != 0 ? 1 : 0);
}

/**
 * A constant n x n matrix broadcast to x's shape: `off` strictly inside the triangle (lower or
 * upper), `diag` on the diagonal, 0 elsewhere.
 */
export function constMatrix(dtype: i32, n: i32, lower: bool, diag: f64, like: i32, off: f64 = 1.0): i32 {
  setParam(0, dtype); setParam(1, n); setParam(2, n);
  const c = emitP(CONST, -1, -1, -1, 3);
  const p = rowPtr(c);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      storeConst(p, dtype, i * n + j, i == j ? diag : (lower ? j < i : j > i) ? off : 0.0);
    }
  }
  const nd = rowNdim(like);
  if (nd == 2) return c;
  for (let i = 0; i < nd; i++) setParam(i, rowDim(like, i));
  setParam(nd, nd - 2); setParam(nd + 1, nd - 1);
  return emitP(BROADCAST_IN_DIM, c, -1, -1, nd + 2);
}

// ---------------------------------------------------------------- lu

// Outputs: lu [..., n, n] (L below the diagonal, unit; U on and above), perm [..., n] int32,
// P [..., n, n] (P A = L U) and parity [...] (+1 or -1), the last two in A's dtype.
function luShape(r: i32): i32 {
  const a = rowA(r), nd = rowNdim(a);
  if (!isInexact(rowDtype(a))) return E_DTYPE;
  if (nd < 2 || rowDim(a, nd - 1) != rowDim(a, nd - 2)) return E_SHAPE;
  const dt = rowDtype(a);
  let code = addOutput(r, dt, nd, rowShapeOff(a));
  if (code != E_OK) return code;
  let off = shapeReserve(nd - 1);
  if (off < 0) return E_OOM;
  memory.copy(shapeAt(off), rowShapePtr(a), <usize>(nd - 1) << 2);
  code = addOutput(r, I32, nd - 1, off);
  if (code != E_OK) return code;
  code = addOutput(r, dt, nd, rowShapeOff(a));
  if (code != E_OK) return code;
  off = shapeReserve(nd - 2);
  if (off < 0) return E_OOM;
  memory.copy(shapeAt(off), rowShapePtr(a), <usize>(nd - 2) << 2);
  return addOutput(r, dt, nd - 2, off);
}
function luRun<T>(r: i32): void {
  const a = rowA(r), n = rowDim(a, rowNdim(a) - 1);
  lu<T>(rowPtr(a), rowPtr(r + 1), rowPtr(r + 2), rowPtr(r + 3), rowPtr(r + 4), batchOf(a), n);
}
function luF32(r: i32): void { luRun<f32>(r); }
function luF64(r: i32): void { luRun<f64>(r); }
function luComplex(r: i32): void {
  const a = rowA(r), n = rowDim(a, rowNdim(a) - 1);
  const k = rowDtype(a) == C128 ? lu_c128 : lu_c64;
  k(rowPtr(a), rowPtr(r + 1), rowPtr(r + 2), rowPtr(r + 3), rowPtr(r + 4), batchOf(a), n);
}

// JAX's lu_jvp_rule (square case): x = P dA; la = L^-1 x (unit lower); lau = la U^-1;
// dLU = L tril(lau, -1) + triu(lau) U. The permutation and parity have zero tangents. Complex
// too, unchanged: JAX's rule has no conjugation (plain transposes only).
function luJvp(r: i32): i32 {
  const packed = r + 1, P = r + 3;
  const x = matmul(P, tangentOf(rowA(r)));
  const L = e2(ADD, triangle(packed, true, 0.0), constMatrix(rowDtype(packed), rowDim(packed, rowNdim(packed) - 1), true, 1.0, packed, 0.0));
  const U = triangle(packed, false, 1.0);
  const la = trisolve(L, x, true, true, false, true);
  const lau = trisolve(U, la, false, false, false, false);
  setTangent(packed, e2(ADD, matmul(L, triangle(lau, true, 0.0)), matmul(triangle(lau, false, 1.0), U)));
  return -1;
}

// ---------------------------------------------------------------- lu_solve

// linalg.solve's primitive, JAX's custom_linear_solve specialized to LU: x = pa^-1 b (or pa^-T b),
// computed from lu, the packed factors of pa (pa = P A, rows permuted so that L U = pa). The
// tangent is pa^-1 (db - dpa x): it enters through pa alone, so lu's own (costly) JVP is never
// emitted and a gradient with respect to A costs one more solve and an outer product, not
// LU's JVP (four n^3 products). Linear in b: the transpose solves with pa^T (the flag flipped).
function luSolveShape(r: i32): i32 {
  const pa = rowA(r), f = rowB(r), b = rowC(r), nd = rowNdim(pa);
  if (rowNparams(r) != 1) return E_PARAMS;
  const dt = rowDtype(pa);
  if (!isInexact(dt) || rowDtype(f) != dt || rowDtype(b) != dt) return E_DTYPE;
  if (nd < 2 || rowNdim(f) != nd || rowNdim(b) != nd || rowDim(pa, nd - 1) != rowDim(pa, nd - 2)) return E_SHAPE;
  for (let i = 0; i < nd; i++) if (rowDim(f, i) != rowDim(pa, i)) return E_SHAPE;
  for (let i = 0; i < nd - 2; i++) if (rowDim(b, i) != rowDim(pa, i)) return E_SHAPE;
  if (rowDim(b, nd - 2) != rowDim(pa, nd - 1)) return E_SHAPE;
  setDtype(r, dt);
  shareShape(r, b);
  return E_OK;
}
// Two substitutions in out: L z = b, U x = z; transposed, U^T z = b, L^T x = z.
function luSolveRun<T>(r: i32): void {
  const f = rowB(r), b = rowC(r), nd = rowNdim(b);
  const n = rowDim(b, nd - 2), k = rowDim(b, nd - 1), batch = batchOf(b), tr = rowParam(r, 0) != 0;
  triangularSolve<T>(rowPtr(f), rowPtr(b), rowPtr(r), batch, n, k, true, !tr, tr, !tr);
  triangularSolve<T>(rowPtr(f), rowPtr(r), rowPtr(r), batch, n, k, true, tr, tr, tr);
}
function luSolveComplex(r: i32): void {
  const f = rowB(r), b = rowC(r), nd = rowNdim(b);
  const n = rowDim(b, nd - 2), k = rowDim(b, nd - 1), batch = batchOf(b), tr = rowParam(r, 0) != 0;
  const solve = rowDtype(b) == C128 ? KC.triangular_solve_c128 : KC.triangular_solve_c64;
  solve(rowPtr(f), rowPtr(b), rowPtr(r), batch, n, k, true, !tr, tr, false, !tr);
  solve(rowPtr(f), rowPtr(r), rowPtr(r), batch, n, k, true, tr, tr, false, tr);
}
function luSolveF32(r: i32): void { luSolveRun<f32>(r); }
function luSolveF64(r: i32): void { luSolveRun<f64>(r); }

function luSolveRow(pa: i32, f: i32, b: i32, transpose: bool): i32 {
  setParam(0, transpose ? 1 : 0);
  return emitP(LU_SOLVE, pa, f, b, 1);
}
// Plain transposes, no conjugation, for complex too (JAX's linear transpose).
function luSolveJvp(r: i32): i32 {
  const pa = rowA(r), tr = rowParam(r, 0) != 0, tpa = tangentOf(pa);
  let rhs = tangentOf(rowC(r));
  if (tpa >= 0) rhs = addT(rhs, e1(NEG, matmul(tr ? swapLastTwo(tpa) : tpa, r)));
  return rhs < 0 ? -1 : luSolveRow(pa, rowB(r), rhs, tr);
}
function luSolveTranspose(r: i32, ct: i32): void {
  if (isLinear(rowA(r)) || isLinear(rowB(r))) fail(E_NOT_TRANSPOSABLE);
  accumulate(rowC(r), luSolveRow(rowA(r), rowB(r), ct, rowParam(r, 0) == 0));
}

export function registerLinalg(): void {
  defineOp(CHOLESKY, 'cholesky', 1, choleskyShape);
  defKernel(CHOLESKY, F32, choleskyF32);
  defKernel(CHOLESKY, F64, choleskyF64);
  defKernel(CHOLESKY, C64, choleskyComplex);
  defKernel(CHOLESKY, C128, choleskyComplex);
  defJvp(CHOLESKY, choleskyJvp);
  neverLinear(CHOLESKY);
  defBatch(CHOLESKY, batchLeading);

  defineOp(TRIANGULAR_SOLVE, 'triangular_solve', 2, trisolveShape);
  defKernel(TRIANGULAR_SOLVE, F32, trisolveF32);
  defKernel(TRIANGULAR_SOLVE, F64, trisolveF64);
  defKernel(TRIANGULAR_SOLVE, C64, trisolveComplex);
  defKernel(TRIANGULAR_SOLVE, C128, trisolveComplex);
  defJvp(TRIANGULAR_SOLVE, trisolveJvp);
  defTranspose(TRIANGULAR_SOLVE, trisolveTranspose);
  defBatch(TRIANGULAR_SOLVE, batchLeading);

  defineOp(LU, 'lu', 1, luShape);
  defKernel(LU, F32, luF32);
  defKernel(LU, F64, luF64);
  defKernel(LU, C64, luComplex);
  defKernel(LU, C128, luComplex);
  defJvp(LU, luJvp);
  neverLinear(LU);
  defBatch(LU, batchLeading);

  defineOp(LU_SOLVE, 'lu_solve', 3, luSolveShape);
  defKernel(LU_SOLVE, F32, luSolveF32);
  defKernel(LU_SOLVE, F64, luSolveF64);
  defKernel(LU_SOLVE, C64, luSolveComplex);
  defKernel(LU_SOLVE, C128, luSolveComplex);
  defJvp(LU_SOLVE, luSolveJvp);
  defTranspose(LU_SOLVE, luSolveTranspose);
  defBatch(LU_SOLVE, batchLeading);
}
