// linalg: differentiable linear algebra on batches of matrices (leading axes are batch axes),
// float32 and float64. Built on the lax.linalg primitives (cholesky, triangular_solve), whose
// JVP rules are JAX's closed forms; reverse mode comes from transposing them.
import { NDArray, ArrayInput } from './array.js';
import { bind } from './bind.js';
import * as np from './numpy.js';
import { ShapeError, DTypeError, describe } from '../core/errors.js';
import { readOptions } from './options.js';
import { isFloating } from '../core/dtype.js';

function matrixArg(where: string, x: ArrayInput, name = 'a'): NDArray {
  const a = np.asarray(x);
  if (!isFloating(a.dtype)) throw new DTypeError(`${where}: ${name} must be float32 or float64, got ${describe(a._shape, a.dtype)}`);
  if (a.ndim < 2) throw new ShapeError(`${where}: ${name} must have at least 2 dimensions (a matrix or a batch of them), got ${describe(a._shape, a.dtype)}`);
  return a;
}

function squareArg(where: string, x: ArrayInput): NDArray {
  const a = matrixArg(where, x);
  const n = a._shape[a.ndim - 1];
  if (a._shape[a.ndim - 2] !== n) throw new ShapeError(`${where}: a must be square in its last two axes, got ${describe(a._shape, a.dtype)}`);
  return a;
}

function swapLast(a: NDArray): NDArray {
  const perm = [...Array(a.ndim).keys()];
  [perm[a.ndim - 2], perm[a.ndim - 1]] = [perm[a.ndim - 1], perm[a.ndim - 2]];
  return np.transpose(a, perm);
}

/**
 * Lower Cholesky factor L (L L^T = A) of symmetric positive-definite matrices. As JAX, the input
 * is symmetrized first ((A + A^T) / 2), which shapes the gradient; a matrix that is not positive
 * definite gives NaNs (JAX's behaviour), not an error.
 */
export function cholesky(a: ArrayInput): NDArray {
  const x = squareArg('linalg.cholesky', a);
  const sym = np.multiply(np.add(x, swapLast(x)), 0.5);
  return bind('cholesky', [sym]);
}

export interface TriangularSolveOptions {
  /** Solve op(a) x = b (true, the default) or x op(a) = b. */
  leftSide?: boolean;
  /** a is lower triangular (default true); the other triangle is never read. */
  lower?: boolean;
  /** op(a) = a^T instead of a (default false). */
  transposeA?: boolean;
  /** a's diagonal is taken as ones (default false). */
  unitDiagonal?: boolean;
}

/**
 * Solves triangular systems (JAX's lax.linalg.triangular_solve, with defaults for the common
 * case: left side, lower). b: [..., m, k] for the left side, [..., k, m] for the right; a 1-d b
 * is a single right-hand side. Leading axes must match.
 */
export function triangularSolve(a: ArrayInput, b: ArrayInput, options?: TriangularSolveOptions): NDArray {
  const where = 'linalg.triangularSolve';
  const o = readOptions<TriangularSolveOptions>(where, options,
    { leftSide: 'boolean', lower: 'boolean', transposeA: 'boolean', unitDiagonal: 'boolean' });
  const A = squareArg(where, a);
  let B = np.asarray(b);
  const left = o.leftSide ?? true;
  const vector = B.ndim === 1;
  if (vector) B = np.reshape(B, left ? [B._shape[0], 1] : [1, B._shape[0]]);
  const dt = A.dtype === 'float64' || B.dtype === 'float64' ? 'float64' : 'float32';
  const x = bind('triangular_solve', [np.astype(A, dt), np.astype(B, dt)],
    [left ? 1 : 0, (o.lower ?? true) ? 1 : 0, o.transposeA ? 1 : 0, o.unitDiagonal ? 1 : 0],
    () => `${where}: a ${describe(A._shape, A.dtype)} and b ${describe(B._shape, B.dtype)} do not fit (${left ? 'a x = b: b [..., m, k]' : 'x a = b: b [..., k, m]'}, equal leading axes)`);
  return vector ? np.reshape(x, [x.size]) : x;
}
