// jax.scipy.sparse.linalg's iterative solvers: cg, bicgstab and gmres (scipy.sparse.linalg.*).
// Ported from JAX's jax/_src/scipy/sparse/linalg.py as we know it (no JAX source is at hand here:
// where we read it from memory, the comment says so). Each solver is a lax.whileLoop wrapped in
// lax.customLinearSolve, as JAX's _isolve / gmres are, so:
//   - derivatives (grad, jvp, ...) with respect to b and to whatever A closes over (or A given as a
//     matrix) are the implicit derivatives of x = A^-1 b, never the loop unrolled;
//   - cg is symmetric: true when every leaf of b is real (JAX's check_symmetric), else the transposed
//     solve is the same solver run on A's transpose (JAX passes transpose_solve=solve throughout);
//   - the loop is a whileLoop, so everything runs under jit and vmap.
// b, x0 and x are pytrees (JAX's tree-vector ops: sums of per-leaf vdots); A and M are functions of
// such a tree, or square matrices applied by np.dot (JAX's _normalize_matvec; a matrix needs b to
// be a single Array). Stopping tests (JAX's, the "non-legacy" scipy ones):
//   cg, bicgstab: ||r||^2 <= max(tol^2 ||b||^2, atol^2), at most maxiter (default 10 * size) steps;
//   gmres: ||M(b - A x)|| <= max(tol ||b||, atol), at most maxiter (default 10 * size) restarts.
// Returns [x, info]: info is null for cg and bicgstab (JAX's None); for gmres an int32 0-d Array,
// -1 where x has a NaN, else 0 (JAX's jnp.where(isnan(norm(x)), -1, 0)).
import { NDArray } from './array.js';
import * as np from './numpy.js';
import { whileLoop, foriLoop } from './lax_control.js';
import { customLinearSolve } from './implicit.js';
import { solve as denseSolve } from './linalg.js';
import { solveTriangular } from './linalg_scipy.js';
import { flatten, unflatten, sameStructure, show as showTree, PyTree, TreeDef } from './tree.js';
import { stopGradient } from './stop_gradient.js';
import { readOptions, show } from './options.js';
import { ValueError, ShapeError, DTypeError } from '../core/errors.js';
import { DType, isComplex, isInexact } from '../core/dtype.js';
import { inTrace } from '../core/trace.js';
import { runOneShot } from './np_shared.js';

type Vec = NDArray[]; // a tree-vector: the leaves of a tree with b's structure
type Op = (v: Vec) => Vec;
type Tree = unknown;

const i32 = (k: number) => np.array(k, { dtype: 'int32' });
const dims = (s: readonly number[]) => `[${s.join(',')}]`;

// ---------- tree-vector arithmetic (JAX's _add, _sub, _mul, _vdot_real_tree, _vdot_tree, _norm) ----------
const add = (a: Vec, b: Vec): Vec => a.map((x, i) => np.add(x, b[i]));
const sub = (a: Vec, b: Vec): Vec => a.map((x, i) => np.subtract(x, b[i]));
const mul = (s: NDArray, a: Vec): Vec => a.map((x) => np.multiply(s, x));
const total = (xs: NDArray[]): NDArray => xs.reduce((s, x) => np.add(s, x));
/** JAX's _vdot_real_part summed over leaves: Re <x, y> without the cross terms, a real scalar. */
function vdotReal(a: Vec, b: Vec): NDArray {
  return total(a.map((x, i) => {
    const y = b[i];
    const re = np.vdot(np.real(x), np.real(y));
    return isComplex(x.dtype) && isComplex(y.dtype) ? np.add(re, np.vdot(np.imag(x), np.imag(y))) : re;
  }));
}
/** JAX's _vdot_tree: sum of jnp.vdot (conjugating its first argument) over leaves. */
const vdotTree = (a: Vec, b: Vec): NDArray => total(a.map((x, i) => np.vdot(x, b[i])));
const norm = (a: Vec): NDArray => np.sqrt(vdotReal(a, a));

/** JAX's _safe_normalize: x / ||x|| and ||x||, both 0 where ||x|| <= thresh (default the dtype's eps). */
function safeNormalize(x: Vec, realDtype: DType, thresh?: NDArray): [Vec, NDArray] {
  const n = norm(x);
  const use = np.greater(n, thresh ?? np.finfo(realDtype).eps);
  return [x.map((y) => np.where(use, np.divide(y, n), np.zerosLike(y))), np.where(use, n, np.zerosLike(n))];
}

// ---------- arguments ----------
interface Problem {
  where: string;
  bdef: TreeDef;
  b: Vec;
  bTree: Tree;
  dtype: DType;
  realDtype: DType;
  size: number;
  x0: Vec;
  A: (t: Tree) => Tree; // checked: its output has b's tree, shapes and dtype
  M: Op | null;
  tol: number;
  atol: number | NDArray; // (an Array in the transposed solve: atol scaled with its right-hand side)
  maxiter: number;
}

function leaves(where: string, what: string, t: Tree): [Vec, TreeDef] {
  const [ls, d] = flatten(t as PyTree, where);
  return [ls.map((l) => np.asarray(l as never, undefined, `${where}: ${what}`)), d];
}

/** Check `out` (what A or M returned for a tree like b) against b: tree, shapes, dtype. */
function checkOutput(p: Pick<Problem, 'where' | 'bdef' | 'b'>, name: string, out: Tree): Vec {
  const { where, bdef, b } = p;
  let ls: Vec, d: TreeDef;
  try { [ls, d] = leaves(where, `${name}'s output`, out); } catch (e) {
    throw new ValueError(`${where}: ${name} must return a tree like b (${showTree(bdef)}), got ${show(out)}`, { cause: e });
  }
  if (!sameStructure(d, bdef)) throw new ValueError(`${where}: ${name} must return a tree like b: got structure ${showTree(d)}, expected ${showTree(bdef)}`);
  ls.forEach((l, i) => {
    const w = b[i];
    if (l.ndim !== w.ndim || l._shape.some((s, k) => s !== w._shape[k])) {
      throw new ShapeError(`${where}: ${name}'s output leaf ${i} has shape ${dims(l._shape)}, expected b's ${dims(w._shape)}`);
    }
    if (l.dtype !== w.dtype) {
      throw new DTypeError(`${where}: ${name}'s output leaf ${i} is ${l.dtype}${dims(l._shape)}, expected b's dtype ${w.dtype}` +
        (isComplex(l.dtype) && !isComplex(w.dtype) ? ' (a complex operator needs a complex b: convert b with astype)' : ' (give A, M and b one dtype)'));
    }
  });
  return ls;
}

/** JAX's _normalize_matvec: a function as it is, a square matrix applied by np.dot; checked against b. */
function normalizeMatvec(p: Pick<Problem, 'where' | 'bdef' | 'b'>, name: string, f: unknown): (t: Tree) => Tree {
  const { where, b } = p;
  if (typeof f === 'function') {
    return (t: Tree) => unflatten(p.bdef, checkOutput(p, name, (f as (t: Tree) => Tree)(t)));
  }
  if (f instanceof NDArray || Array.isArray(f)) {
    const m = np.asarray(f as never, undefined, `${where}: ${name}`);
    if (m.ndim !== 2 || m._shape[0] !== m._shape[1]) {
      throw new ShapeError(`${where}: ${name} must be a square matrix (or a function), got shape ${dims(m._shape)}`);
    }
    if (b.length !== 1) throw new ValueError(`${where}: ${name} is a matrix, so b must be a single Array, got a tree of ${b.length} leaves (give ${name} as a function of the tree)`);
    if (b[0].ndim < 1 || b[0]._shape[0] !== m._shape[1]) {
      throw new ShapeError(`${where}: ${name} is ${dims(m._shape)} and b is ${dims(b[0]._shape)}: b's first axis must be ${m._shape[1]}`);
    }
    if (!isInexact(m.dtype) || (isComplex(m.dtype) && !isComplex(b[0].dtype))) {
      throw new DTypeError(`${where}: ${name} is ${m.dtype}${dims(m._shape)} and b is ${b[0].dtype}: ${isComplex(m.dtype) ? 'a complex matrix needs a complex b' : 'A must be a floating or complex matrix'}`);
    }
    return (t: Tree) => unflatten(p.bdef, checkOutput(p, name, np.dot(m, flatten(t as PyTree)[0][0] as NDArray)));
  }
  throw new ValueError(`${where}: ${name} must be a function or a square matrix, got ${show(f)}`);
}

const COMMON_SPEC = { x0: 'any', tol: 'any', atol: 'any', maxiter: 'any', M: 'any' } as const;

function prepare(name: string, A: unknown, b: Tree, options: unknown, extraSpec: Record<string, 'any'>, nargs: number): { p: Problem; o: Record<string, unknown> } {
  const where = `scipy.sparse.linalg.${name}`;
  if (nargs > 3) throw new ValueError(`${where}: takes (A, b, options), got ${nargs} arguments (x0, tol, atol, maxiter, M go in the options object)`);
  if (b === undefined) throw new ValueError(`${where}: b is missing: ${name}(A, b, options)`);
  if (options instanceof NDArray || Array.isArray(options)) {
    throw new ValueError(`${where}: the third argument is the options object ({ x0, tol, ... }); give x0 as { x0 }`);
  }
  const o = readOptions<Record<string, unknown>>(where, options, { ...COMMON_SPEC, ...extraSpec });
  const [bl, bdef] = leaves(where, 'b', b);
  if (bl.length === 0) throw new ValueError(`${where}: b has no Array leaves`);
  const dtype = bl[0].dtype;
  bl.forEach((l, i) => {
    if (!isInexact(l.dtype)) throw new DTypeError(`${where}: b leaf ${i} is ${l.dtype}${dims(l._shape)}: b must be floating or complex`);
    if (l.dtype !== dtype) throw new DTypeError(`${where}: b's leaves must share one dtype: leaf 0 is ${dtype}, leaf ${i} is ${l.dtype}`);
  });
  const realDtype: DType = dtype === 'complex64' ? 'float32' : dtype === 'complex128' ? 'float64' : dtype;
  const size = bl.reduce((s, l) => s + l.size, 0);
  const num = (key: string, dflt: number): number => {
    const v = o[key] ?? dflt;
    if (typeof v !== 'number' || Number.isNaN(v) || v < 0) throw new ValueError(`${where}: ${key} must be a number >= 0, got ${show(v)}`);
    return v;
  };
  const tol = num('tol', 1e-5), atol = num('atol', 0);
  const maxiterRaw = o.maxiter ?? null;
  if (maxiterRaw !== null && (typeof maxiterRaw !== 'number' || !Number.isInteger(maxiterRaw) || maxiterRaw < 0 || maxiterRaw > 2 ** 31 - 1)) {
    throw new ValueError(`${where}: maxiter must be an integer >= 0 (or null, for 10 * size), got ${show(maxiterRaw)}`);
  }
  const maxiter = (maxiterRaw as number | null) ?? Math.min(10 * size, 2 ** 31 - 1); // (JAX's default, copied from scipy)
  const base = { where, bdef, b: bl };
  let x0 = bl.map((l) => np.zerosLike(l));
  if (o.x0 !== undefined && o.x0 !== null) {
    const [xl, xdef] = flatten(o.x0 as PyTree, where);
    if (!sameStructure(xdef, bdef)) {
      const hint = Array.isArray(o.x0) && b instanceof NDArray ? ' (a JS list is a tree of scalars: give x0 as an Array, np.array(list))' : '';
      throw new ValueError(`${where}: x0 and b must have matching tree structure: ${showTree(xdef)} vs ${showTree(bdef)}${hint}`);
    }
    x0 = xl.map((l, i) => {
      const a = l instanceof NDArray ? l : np.asarray(l as never, bl[i].dtype, `${where}: x0`); // (a JS number or list takes b's dtype)
      if (a.ndim !== bl[i].ndim || a._shape.some((s, k) => s !== bl[i]._shape[k])) {
        throw new ShapeError(`${where}: x0 and b must have matching shapes: x0 leaf ${i} is ${dims(a._shape)}, b's is ${dims(bl[i]._shape)}`);
      }
      if (a.dtype !== bl[i].dtype) throw new DTypeError(`${where}: x0 leaf ${i} is ${a.dtype}, b's is ${bl[i].dtype}: give x0 b's dtype`);
      return a;
    });
  }
  const Af = normalizeMatvec(base, 'A', A);
  const Mf = o.M === undefined || o.M === null ? null : normalizeMatvec(base, 'M', o.M);
  const M: Op | null = Mf === null ? null : (v: Vec) => flatten(Mf(unflatten(bdef, v)) as PyTree)[0] as Vec;
  return { p: { where, bdef, b: bl, bTree: unflatten(bdef, bl), dtype, realDtype, size, x0, A: Af, M, tol, atol, maxiter }, o };
}

const asOp = (bdef: TreeDef, f: (t: Tree) => Tree): Op => (v: Vec) => flatten(f(unflatten(bdef, v)) as PyTree)[0] as Vec;

/** Checked once, before the loop, so a wrong A names this function (and is not met inside a trace of the loop). */
function checkOnce(p: Problem): void {
  p.A(unflatten(p.bdef, p.x0));
}

// ---------- cg (JAX's _cg_solve) ----------
function cgSolve(p: Problem, A: Op, b: Vec): Vec {
  const { x0, tol, atol, maxiter, M, dtype } = p;
  const bs = vdotReal(b, b);
  const atol2 = np.maximum(np.multiply(tol * tol, bs), np.square(atol));
  const r0 = sub(b, A(x0));
  const z0 = M === null ? r0 : M(r0);
  const gamma0 = vdotReal(r0, z0).astype(dtype);
  type C = [Vec, Vec, NDArray, Vec, NDArray];
  const out = whileLoop<C>(([, r, gamma, , k]: C) => {
    const rs = M === null ? np.real(gamma) : vdotReal(r, r);
    // (k < 0: a breakdown, below)
    return np.logicalAnd(np.logicalAnd(np.greater(rs, atol2), np.less(k, maxiter)), np.greaterEqual(k, 0));
  }, ([x, r, gamma, q, k]: C): C => {
    const Ap = A(q);
    const pAp = vdotReal(q, Ap).astype(dtype);
    // Both are positive for SPD A and M but can underflow to 0 in low precision (or A is not
    // definite): keep the previous iterate and stop instead of dividing by 0 (JAX's _cg_solve).
    const breakdown = np.logicalOr(np.lessEqual(np.real(pAp), 0), np.lessEqual(np.real(gamma), 0));
    const safe = (d: NDArray) => np.where(breakdown, np.onesLike(d), d);
    const alpha = np.divide(gamma, safe(pAp));
    const x2 = add(x, mul(alpha, q));
    const r2 = sub(r, mul(alpha, Ap));
    const z2 = M === null ? r2 : M(r2);
    const gamma2 = vdotReal(r2, z2).astype(dtype);
    const beta = np.divide(gamma2, safe(gamma));
    const q2 = add(z2, mul(beta, q));
    const keep = (old: Vec, now: Vec): Vec => old.map((v, i) => np.where(breakdown, v, now[i]));
    return [keep(x, x2), keep(r, r2), np.where(breakdown, gamma, gamma2), keep(q, q2), np.where(breakdown, i32(-1), np.add(k, 1))];
  }, [x0, r0, gamma0, z0, i32(0)] as C);
  return nanIfBad(r0, out[0]);
}

// ---------- bicgstab (JAX's _bicgstab_solve) ----------
function bicgstabSolve(p: Problem, A: Op, b: Vec): Vec {
  const { x0, tol, atol, maxiter, dtype } = p;
  const M: Op = p.M ?? ((v: Vec) => v);
  const bs = vdotReal(b, b);
  const atol2 = np.maximum(np.multiply(tol * tol, bs), np.square(atol));
  const r0 = sub(b, A(x0));
  const one = np.array(1, { dtype });
  type C = [Vec, Vec, Vec, NDArray, NDArray, NDArray, Vec, Vec, NDArray];
  const out = whileLoop<C>(([, r, , , , , , , k]: C) => {
    // (the last condition: k < 0 marks a breakdown)
    return np.logicalAnd(np.logicalAnd(np.greater(vdotReal(r, r), atol2), np.less(k, maxiter)), np.greaterEqual(k, 0));
  }, ([x, r, rhat, alpha, omega, rho, q0, q, k]: C): C => {
    const rho2 = vdotTree(rhat, r);
    const beta = np.divide(np.multiply(np.divide(rho2, rho), alpha), omega);
    const p2 = add(r, mul(beta, sub(q0, mul(omega, q))));
    const phat = M(p2);
    const q2 = A(phat);
    const alpha2 = np.divide(rho2, vdotTree(rhat, q2));
    const s = sub(r, mul(alpha2, q2));
    const exitEarly = np.less(vdotReal(s, s), atol2);
    const shat = M(s);
    const t = A(shat);
    const omega2 = np.divide(vdotTree(t, s), vdotTree(t, t));
    const xa = add(x, mul(alpha2, phat)), xb = add(x, add(mul(alpha2, phat), mul(omega2, shat)));
    const x2 = xa.map((v, i) => np.where(exitEarly, v, xb[i]));
    const rb = sub(s, mul(omega2, t));
    const r2 = s.map((v, i) => np.where(exitEarly, v, rb[i]));
    let k2 = np.where(np.logicalOr(np.equal(omega2, 0), np.equal(alpha2, 0)), i32(-11), np.add(k, 1));
    k2 = np.where(np.equal(rho2, 0), i32(-10), k2);
    return [x2, r2, rhat, alpha2, omega2, rho2, p2, q2, k2];
  }, [x0, r0, r0, one, one, one, r0, r0, i32(0)] as C);
  return nanIfBad(r0, out[0]);
}

// ---------- gmres (JAX's _gmres_solve with _gmres_batched / _gmres_incremental) ----------
const lastAxis = (X: NDArray) => X.ndim - 1;
/** JAX's _project_on_columns: Q^H v (per leaf, summed over the leading axes). */
function project(Q: Vec, v: Vec): NDArray {
  return total(Q.map((X, i) => {
    const n = X._shape[X.ndim - 1];
    return np.dot(np.ravel(v[i]), np.reshape(np.conj(X), [-1, n]));
  }));
}
/**
 * JAX's _iterative_classical_gram_schmidt: q orthogonal to Q's columns, and the overlaps r.
 * We always project twice ("twice is enough"). JAX's code (from memory) takes a second pass only
 * while k < max_iterations - 1 after the first pass raised k to 1, i.e. with its max_iterations = 2
 * it projects once; the second projection changes the result only at rounding level (it removes
 * the components the first one left through cancellation).
 */
function gramSchmidt(Q: Vec, x: Vec): [Vec, NDArray] {
  let q = x, r: NDArray | null = null;
  for (let pass = 0; pass < 2; pass++) {
    const h = project(Q, q);
    q = sub(q, Q.map((X) => np.dot(X, h)));
    r = r === null ? h : np.add(r, h);
  }
  return [q, r as NDArray];
}

function arnoldi(p: Problem, A: Op, M: Op, k: NDArray, V: Vec, H: NDArray): [Vec, NDArray, NDArray] {
  const eps = np.finfo(p.realDtype).eps;
  let v = V.map((X) => np.dynamicIndexInDim(X, k, lastAxis(X), false));
  v = M(A(v));
  const [, vnorm0] = safeNormalize(v, p.realDtype);
  const [q, h0] = gramSchmidt(V, v);
  const [unit, vnorm1] = safeNormalize(q, p.realDtype, np.multiply(eps, vnorm0));
  const k1 = np.add(k, 1);
  const V2 = V.map((X, i) => np.dynamicUpdateIndexInDim(X, unit[i], k1, lastAxis(X)));
  const h = np.dynamicUpdateIndexInDim(h0, vnorm1.astype(p.dtype), k1, 0);
  return [V2, np.dynamicUpdateIndexInDim(H, h, k, 0), np.equal(vnorm1, 0)];
}

/** Krylov basis storage: each leaf u as [..., restart + 1] with u in column 0. */
const basis = (u: Vec, restart: number): Vec => u.map((l) => np.pad(np.expandDims(l, -1), [...l._shape.map(() => [0, 0]), [0, restart]]));
/** V[..., :-1] @ y per leaf (y of length restart, padded by one zero: the last column is unused). */
const combine = (V: Vec, y: NDArray): Vec => {
  const yy = np.concatenate([y, np.zeros([1], { dtype: y.dtype })]);
  return V.map((X) => np.dot(X, yy));
};
const scalarAt = (x: NDArray, i: NDArray | number) => np.dynamicIndexInDim(x, i, 0, false);

type Restart = (p: Problem, A: Op, M: Op, b: Vec, x0: Vec, unit: Vec, rnorm: NDArray, ptol: NDArray, restart: number) => [Vec, Vec, NDArray];

const gmresBatched: Restart = (p, A, M, b, x0, unit, rnorm, _ptol, restart) => {
  type C = [Vec, NDArray, NDArray, NDArray];
  const H0 = np.eye(restart, restart + 1, { dtype: p.dtype });
  const [V, H] = whileLoop<C>(([, , breakdown, k]: C) => np.logicalAnd(np.less(k, restart), np.logicalNot(breakdown)),
    ([V1, H1, , k]: C): C => { const [V2, H2, br] = arnoldi(p, A, M, k, V1, H1); return [V2, H2, br, np.add(k, 1)]; },
    [basis(unit, restart), H0, np.array(false), i32(0)] as C);
  const beta = np.dynamicUpdateIndexInDim(np.zeros([restart + 1], { dtype: p.dtype }), rnorm.astype(p.dtype), 0, 0);
  // JAX's _lstsq(H.T, beta): the normal equations (H H^T... conj) y = conj(H) beta, solved by
  // jsp.linalg.solve(assume_a='pos'); here by an LU solve (the same solution to rounding)
  const Hc = np.conj(H);
  const y = denseSolve(np.matmul(Hc, np.transpose(H)), np.matmul(Hc, beta));
  const x = add(x0, combine(V, y));
  const [u, n] = safeNormalize(M(sub(b, A(x))), p.realDtype);
  return [x, u, n];
};

/** JAX's _rotate_vectors: rows i, i + 1 of H by the Givens rotation (cs, sn). */
function rotate(H: NDArray, i: NDArray, cs: NDArray, sn: NDArray): NDArray {
  const i1 = np.add(i, 1);
  const x1 = scalarAt(H, i), y1 = scalarAt(H, i1);
  const x2 = np.subtract(np.multiply(np.conj(cs), x1), np.multiply(np.conj(sn), y1));
  const y2 = np.add(np.multiply(sn, x1), np.multiply(cs, y1));
  return np.dynamicUpdateIndexInDim(np.dynamicUpdateIndexInDim(H, x2, i, 0), y2, i1, 0);
}
/** JAX's _givens_rotation(a, b): (cs, sn) eliminating b. */
function givensRotation(a: NDArray, b: NDArray): [NDArray, NDArray] {
  const bZero = np.equal(np.abs(b), 0);
  const altb = np.less(np.abs(a), np.abs(b));
  const t = np.negative(np.divide(np.where(altb, a, b), np.where(altb, b, a)));
  const r = np.divide(1, np.sqrt(np.add(1, np.square(np.abs(t))))).astype(t.dtype);
  const one = np.onesLike(t), zero = np.zerosLike(t);
  return [np.where(bZero, one, np.where(altb, np.multiply(r, t), r)), np.where(bZero, zero, np.where(altb, r, np.multiply(r, t)))];
}

const gmresIncremental: Restart = (p, A, M, b, x0, unit, rnorm, ptol, restart) => {
  type C = [NDArray, NDArray, Vec, NDArray, NDArray, NDArray];
  const R0 = np.eye(restart, restart + 1, { dtype: p.dtype });
  const beta0 = np.dynamicUpdateIndexInDim(np.zeros([restart + 1], { dtype: p.dtype }), rnorm.astype(p.dtype), 0, 0);
  const out = whileLoop<C>(([k, err]: C) => np.logicalAnd(np.less(k, restart), np.greater(err, ptol)),
    ([k, , V1, R1, beta1, G1]: C): C => {
      const [V2, H] = arnoldi(p, A, M, k, V1, R1);
      // JAX's _apply_givens_rotations: the earlier rotations on row k, then a new one eliminating its k + 1'th entry
      let row = foriLoop(0, k, (i: NDArray, rw: NDArray) => {
        const g = np.dynamicIndexInDim(G1, i, 0, false);
        return rotate(rw, i, scalarAt(g, 0), scalarAt(g, 1));
      }, np.dynamicIndexInDim(H, k, 0, false));
      const [cs, sn] = givensRotation(scalarAt(row, k), scalarAt(row, np.add(k, 1)));
      const G2 = np.dynamicUpdateIndexInDim(G1, np.stack([cs, sn]), k, 0);
      row = rotate(row, k, cs, sn);
      const R2 = np.dynamicUpdateIndexInDim(R1, row, k, 0);
      const beta2 = rotate(beta1, k, cs, sn);
      return [np.add(k, 1), np.abs(scalarAt(beta2, np.add(k, 1))), V2, R2, beta2, G2];
    }, [i32(0), rnorm, basis(unit, restart), R0, beta0, np.zeros([restart, 2], { dtype: p.dtype })] as C);
  const [, , V, R, beta] = out;
  const y = solveTriangular(np.transpose(np.slice(R, [0, 0], [restart, restart])), np.slice(beta, [0], [restart]), { lower: false });
  const x = add(x0, combine(V, y));
  const [u, n] = safeNormalize(M(sub(b, A(x))), p.realDtype);
  return [x, u, n];
};

function gmresSolve(p: Problem, A: Op, b: Vec, atolA: NDArray, ptol: NDArray, restart: number, step: Restart): Vec {
  const M: Op = p.M ?? ((v: Vec) => v);
  const r0 = M(sub(b, A(p.x0)));
  const [unit0, rnorm0] = safeNormalize(r0, p.realDtype);
  type C = [Vec, NDArray, Vec, NDArray];
  const out = whileLoop<C>(([, k, , rn]: C) => np.logicalAnd(np.less(k, p.maxiter), np.greater(rn, atolA)),
    ([x, k, u, rn]: C): C => { const [x2, u2, rn2] = step(p, A, M, b, x, u, rn, ptol, restart); return [x2, np.add(k, 1), u2, rn2]; },
    [p.x0, i32(0), unit0, rnorm0] as C);
  return nanIfBad(r0, out[0]);
}

// ---------- public ----------
export interface IsolveOptions {
  /** Starting guess (a tree like b); zeros by default. Not differentiated (as JAX's). */
  x0?: Tree;
  /** Relative tolerance, default 1e-5. */
  tol?: number;
  /** Absolute tolerance, default 0. */
  atol?: number;
  /** Most iterations (gmres: restarts); default 10 * size of b. */
  maxiter?: number | null;
  /** Preconditioner: a function of a tree like b, or a square matrix; approximates A^-1. */
  M?: unknown;
}
export interface GmresOptions extends IsolveOptions {
  /** Krylov subspace size per restart, default 20 (at most b's size). */
  restart?: number;
  /** 'batched' (default: Arnoldi, then least squares on the Hessenberg) or 'incremental' (Givens QR during Arnoldi). */
  solveMethod?: 'batched' | 'incremental';
}

/**
 * 1 / the largest magnitude in v (1 where that is 0, inf or NaN), and scaling by it: a transposed
 * solve's right-hand side brought to unit size, so that its inner products stay in range.
 */
function unitScale(v: Vec): [NDArray, (k: NDArray, w: Vec) => Vec] {
  // (a power of two, 2^-e with max = m 2^e, 0.5 <= m < 1: scaling is then exact, and the iterates are
  // those of the unscaled solve wherever that one stays in range)
  const big = v.map((l) => np.max(np.abs(l))).reduce((m, x) => np.maximum(m, x));
  const inv = np.ldexp(np.onesLike(big), np.negative(np.frexp(big)[1]));
  const scale = np.where(np.logicalAnd(np.isfinite(inv), np.greater(inv, 0)), inv, np.onesLike(inv));
  return [scale, (k, w) => w.map((l) => np.multiply(l, k.astype(l.dtype)))];
}
/** x, or NaN where the starting residual r0 is not finite (a NaN or inf in b or A: the loop never ran, x0 came back). */
const nanIfBad = (r0: Vec, x: Vec): Vec => {
  const ok = np.isfinite(norm(r0));
  return x.map((l) => np.where(ok, l, np.full(l._shape, NaN, { dtype: l.dtype })));
};

function isolve(name: string, solver: (p: Problem, A: Op, b: Vec) => Vec, symmetricIfReal: boolean, A: unknown, b: Tree, options: unknown, nargs: number): [any, null] {
  const { p } = prepare(name, A, b, options, {}, nargs);
  checkOnce(p);
  if (p.size === 0) return [unflatten(p.bdef, p.x0), null]; // (as gmres: nothing to solve, and unitScale's max needs an element)
  // Every solve (b's, the tangents', the transposed one's on a cotangent) runs on its right-hand
  // side scaled by a power of two to largest magnitude in [0.5, 1), so that its inner products stay
  // in range, the unscaled solve where that is 0, inf or NaN. (JAX's _isolve scales only the
  // transposed solve, to unit norm, a norm computed from the squares, which underflow first: a
  // float32 cotangent of 1e-30 has squares 0, the solve then broke down at once and the gradient was
  // 0; and a float32 b of 1e-30 or 1e30 (float64 1e-200, 1e200) gave x = 0, helper CN.)
  const solve = (op: (t: Tree) => Tree, bb: Tree) => {
    const bl = flatten(bb as PyTree)[0] as Vec;
    const [scale, by] = unitScale(bl);
    const q: Problem = { ...p, x0: by(scale, p.x0), atol: np.multiply(p.atol, scale) };
    return unflatten(p.bdef, by(np.divide(1, scale), solver(q, asOp(p.bdef, op), by(scale, bl))));
  };
  const transposeSolve = solve;
  // real-valued positive-definite linear operators are symmetric (JAX's check_symmetric, cg only)
  const symmetric = symmetricIfReal && p.b.every((l) => !isComplex(l.dtype));
  const x = customLinearSolve(p.A, p.bTree, solve, transposeSolve, { symmetric });
  return [x, null];
}

/**
 * At top level, the whole solve as a one-shot program (jit.ts's runOnce: traced abstractly, optimized,
 * replayed from wasm): eagerly every step of the loop ran op by op (cg of a 1000-point Laplacian, 500
 * steps: 360-880 ms; 26-45 ms so). A solve that cannot be traced abstractly (an A that reads a
 * value) runs eagerly, which is also what reports its errors.
 */
function oneProgram<T>(name: string, run: () => T): T {
  if (inTrace()) return run();
  const out = runOneShot(`scipy.sparse.linalg.${name}`, run);
  return out !== undefined ? out : run();
}

/**
 * jax.scipy.sparse.linalg.cg: conjugate gradients for A x = b, A Hermitian positive definite
 * (not checked; JAX's neither). Returns [x, null].
 */
export function cg(A: unknown, b: Tree, options?: IsolveOptions): [any, null] {
  const n = arguments.length;
  return oneProgram('cg', () => isolve('cg', cgSolve, true, A, b, options, n));
}

/** jax.scipy.sparse.linalg.bicgstab: BiCGSTAB for a general A. Returns [x, null]. */
export function bicgstab(A: unknown, b: Tree, options?: IsolveOptions): [any, null] {
  const n = arguments.length;
  return oneProgram('bicgstab', () => isolve('bicgstab', bicgstabSolve, false, A, b, options, n));
}

/**
 * jax.scipy.sparse.linalg.gmres: restarted GMRES. maxiter counts restarts. Returns [x, info],
 * info an int32 0-d Array: -1 where x has a NaN, else 0 (as JAX's).
 */
export function gmres(A: unknown, b: Tree, options?: GmresOptions): [any, NDArray] {
  const n = arguments.length;
  return oneProgram('gmres', () => gmresCall(A, b, options, n));
}
function gmresCall(A: unknown, b: Tree, options: GmresOptions | undefined, nargs: number): [any, NDArray] {
  const { p, o } = prepare('gmres', A, b, options, { restart: 'any', solveMethod: 'any' }, nargs);
  const where = p.where;
  const restartRaw = o.restart ?? 20;
  if (typeof restartRaw !== 'number' || !Number.isInteger(restartRaw) || restartRaw < 1) {
    throw new ValueError(`${where}: restart must be an integer >= 1, got ${show(restartRaw)}`);
  }
  const method = o.solveMethod ?? 'batched';
  if (method !== 'batched' && method !== 'incremental') {
    throw new ValueError(`${where}: invalid solveMethod ${show(method)}, must be either 'incremental' or 'batched'`);
  }
  checkOnce(p);
  if (p.size === 0) return [unflatten(p.bdef, p.x0), i32(0)];
  const restart = Math.min(restartRaw, p.size);
  const M: Op = p.M ?? ((v: Vec) => v);
  // tolerances from the solve's own right-hand side (JAX computes them from b outside the solve, so its
  // tangent and transposed solves used b's: a tangent or cotangent smaller than tol |b| stopped at x0, a
  // derivative of 0 without a word); constants of the solve, never differentiated (the solve is not)
  const tolerances = (bv: Vec, atol: number | NDArray): [NDArray, NDArray] => {
    const bNorm = norm(bv);
    const atolA = stopGradient(np.maximum(np.multiply(p.tol, bNorm), atol));
    return [atolA, stopGradient(np.multiply(norm(M(bv)), np.minimum(1, np.divide(atolA, bNorm))))];
  };
  const step = method === 'batched' ? gmresBatched : gmresIncremental;
  // Every solve on its right-hand side scaled to largest magnitude in [0.5, 1) by a power of two, as
  // cg's (gmres's _safe_normalize treats a residual norm below eps as 0: a float64 b of 1e-30 gave x = 0).
  const solve = (vecmat: (t: Tree) => Tree, bb: Tree) => {
    const bl = flatten(bb as PyTree)[0] as Vec;
    const [scale, by] = unitScale(bl);
    const q: Problem = { ...p, x0: by(scale, p.x0) };
    const sb = by(scale, bl);
    const [a2, p2] = tolerances(sb, np.multiply(p.atol, scale));
    return unflatten(p.bdef, by(np.divide(1, scale), gmresSolve(q, asOp(p.bdef, vecmat), sb, a2, p2, restart, step)));
  };
  const x = customLinearSolve(p.A, p.bTree, solve, solve);
  const failed = np.isnan(norm(flatten(x as PyTree)[0] as Vec));
  return [x, np.where(failed, i32(-1), i32(0))];
}

