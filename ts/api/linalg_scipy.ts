// jax.scipy.linalg's triangular and Cholesky solves under their JAX names: solveTriangular,
// choFactor, choSolve. A Gaussian-process or least-squares program ported from JAX calls
// `solve_triangular(L, y, lower=True)` and `cho_solve((L, True), y)`; without these names the port
// stopped at a bare JS TypeError ('linalg.choSolve is not a function'). Each composes cholesky and
// triangularSolve (so they differentiate, batch and jit as those do), with jax.scipy's defaults
// (solveTriangular's and choFactor's `lower` default false) and its vector rule (b of rank
// a.ndim - 1 is one right-hand side per matrix).
import { NDArray, ArrayInput } from './array.js';
import * as np from './numpy.js';
import { cholesky, triangularSolve, squareArg, matrixHint, listHint, oneTriangleOnly } from './linalg.js';
import { readOptions, show } from './options.js';
import { ShapeError, TracerError, ValueError, describe } from '../core/errors.js';

export interface SolveTriangularOptions {
  /** op(a): 0 or 'N' (a), 1 or 'T' (aᵀ), 2 or 'C' (aᴴ). Default 0. */
  trans?: 0 | 1 | 2 | 'N' | 'T' | 'C';
  /** a is lower triangular; default false (upper), as jax.scipy.linalg.solve_triangular. */
  lower?: boolean;
  /** a's diagonal taken as ones. Default false. */
  unitDiagonal?: boolean;
}

/** b as a matrix for triangularSolve, and whether it was one vector per matrix (JAX's b_is_vector). */
function rhs(where: string, A: NDArray, b: ArrayInput): [NDArray, boolean] {
  const B = np.asarray(b, listHint(b, A), `${where}: b`);
  const n = A._shape[A.ndim - 1], batch = A._shape.slice(0, -2);
  const vector = B.ndim === A.ndim - 1;
  const fits = vector
    ? B._shape.every((d, i) => d === (i < batch.length ? batch[i] : n))
    : B.ndim === A.ndim && B._shape[B.ndim - 2] === n && batch.every((d, i) => d === B._shape[i]);
  if (!fits) {
    throw new ShapeError(`${where}: a ${describe(A._shape, A.dtype)} and b ${describe(B._shape, B.dtype)} do not fit ` +
      `(b must be [...batch, ${n}] or [...batch, ${n}, k] with a's batch axes [${batch.join(', ')}])`);
  }
  return [vector ? np.expandDims(B, -1) : B, vector];
}

/**
 * jax.scipy.linalg.solve_triangular(a, b, trans=0, lower=False, unit_diagonal=False): x with
 * op(a) x = b. `lower` defaults to false (JAX's and scipy's); a lower triangular `a` whose values
 * show it (zeros above the diagonal, not below) with that default is refused, as only its diagonal
 * would be read (JAX solves with it silently). Under jit the default is obeyed as JAX's.
 */
export function solveTriangular(a: ArrayInput, b: ArrayInput, options?: SolveTriangularOptions): NDArray {
  const where = 'linalg.solveTriangular';
  const o = readOptions<SolveTriangularOptions>(where, options, { trans: 'any', lower: 'boolean', unitDiagonal: 'boolean' });
  const trans = o.trans ?? 0;
  const code = trans === 0 || trans === 'N' ? 0 : trans === 1 || trans === 'T' ? 1 : trans === 2 || trans === 'C' ? 2 : -1;
  if (code < 0) throw new ValueError(`${where}: trans must be 0, 1, 2, 'N', 'T' or 'C', got ${show(trans)}`);
  const A = squareArg(where, a, 'a', false, matrixHint(a, b));
  if (o.lower === undefined) refuseLowerWithDefaultUpper(where, A);
  const [B, vector] = rhs(where, A, b);
  const x = triangularSolve(A, B, {
    lower: o.lower ?? false, transposeA: code > 0, conjugateA: code === 2, unitDiagonal: o.unitDiagonal ?? false,
  });
  return vector ? np.squeeze(x, -1) : x;
}

function refuseLowerWithDefaultUpper(where: string, A: NDArray): void {
  let v: ArrayLike<number>;
  try { v = A._values(where); } catch (e) {
    if (e instanceof TracerError) return; // (traced: JAX's default, as given)
    throw e;
  }
  if (oneTriangleOnly(A, v, 'lower')) {
    throw new ValueError(`${where}: a ${describe(A._shape, A.dtype)} is lower triangular, but lower defaults to false ` +
      '(as jax.scipy.linalg.solve_triangular), so only its diagonal would be used; pass { lower: true }');
  }
}

/**
 * jax.scipy.linalg.cho_factor(a, lower=False): [c, lower], c the Cholesky factor (upper, Uᴴ U = a,
 * by default; lower with { lower: true }), for choSolve. Unlike scipy, the other triangle is zeros.
 * The input is symmetrized first (linalg.cholesky's rule; JAX's reads one triangle).
 */
export function choFactor(a: ArrayInput, options?: { lower?: boolean } | boolean): [NDArray, boolean] {
  // (scipy's and JAX's positional lower too, cho_factor(a, True): it was 'options must be an object'; helper-282)
  const o = readOptions<{ lower?: boolean }>('linalg.choFactor', options, { lower: 'boolean' }, 'lower');
  const lower = o.lower ?? false;
  return [cholesky(a, { upper: !lower }), lower];
}

/**
 * jax.scipy.linalg.cho_solve((c, lower), b): x with a x = b, given a's Cholesky factor c (c cᴴ = a
 * when lower, cᴴ c = a otherwise): two triangular solves.
 */
export function choSolve(cAndLower: [ArrayInput, boolean] | readonly [ArrayInput, boolean], b: ArrayInput): NDArray {
  const where = 'linalg.choSolve';
  if (!Array.isArray(cAndLower) || cAndLower.length !== 2 || typeof cAndLower[1] !== 'boolean') {
    throw new ValueError(`${where}: the first argument is the pair [c, lower] (JAX's (c, lower) tuple, as choFactor returns), ` +
      `got ${show(cAndLower)}; for a lower Cholesky factor L write linalg.choSolve([L, true], b)`);
  }
  const [c, lower] = cAndLower;
  const C = squareArg(where, c, 'c', false, matrixHint(c, b));
  const [B, vector] = rhs(where, C, b);
  // lower: L Lᴴ x = b, so L z = b, then Lᴴ x = z; upper: Uᴴ U x = b, so Uᴴ z = b, then U x = z
  const z = triangularSolve(C, B, { lower, transposeA: !lower, conjugateA: !lower });
  const x = triangularSolve(C, z, { lower, transposeA: lower, conjugateA: lower });
  return vector ? np.squeeze(x, -1) : x;
}
