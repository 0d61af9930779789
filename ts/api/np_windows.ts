// numpy's window functions (hanning, hamming, blackman, bartlett, kaiser) as jnp's: a static
// length M (a JS integer, as jnp needs M concrete) and the default float dtype, float32 (numpy:
// float64). The fixed windows are computed in float64 and rounded once; kaiser is composed from
// np.i0, so it differentiates in beta and traces with beta under jit.
import { NDArray, ArrayInput } from './array.js';
import { array, astype, multiply, divide } from './numpy.js';
import { i0 } from './np_misc.js';
import { operand } from './np_shared.js';
import { atMost, show } from './options.js';
import { ShapeError, ValueError, describe } from '../core/errors.js';
import { isInexact } from '../core/dtype.js';

/** M, a non-negative JS integer (jnp reads it statically: a traced M is refused there too). */
function lengthArg(where: string, M: unknown): number {
  if (typeof M !== 'number' || !Number.isInteger(M) || M < 0 || M >= 2 ** 31) {
    throw new ValueError(`${where}: M (the window's length) must be a non-negative JS integer, got ${show(M)}`);
  }
  return M;
}

/** A window of M points from f(n) in float64 (n = 0 .. M - 1), as float32; M <= 1 is ones (numpy's). */
function windowOf(where: string, nargs: number, M: unknown, f: (n: number, m: number) => number): NDArray {
  atMost(where, nargs, 1);
  const m = lengthArg(where, M);
  const vals = m === 1 ? [1] : Array.from({ length: m }, (_, n) => f(n, m));
  return array(vals, { dtype: 'float32', shape: [m] });
}

/** np.hanning(M): 0.5 - 0.5 cos(2 pi n / (M - 1)), float32 (jnp's default float). */
export function hanning(M: number): NDArray {
  return windowOf('np.hanning', arguments.length, M, (n, m) => 0.5 + 0.5 * Math.cos(Math.PI * (2 * n + 1 - m) / (m - 1)));
}

/** np.hamming(M): 0.54 - 0.46 cos(2 pi n / (M - 1)), float32. */
export function hamming(M: number): NDArray {
  return windowOf('np.hamming', arguments.length, M, (n, m) => 0.54 + 0.46 * Math.cos(Math.PI * (2 * n + 1 - m) / (m - 1)));
}

/** np.blackman(M): 0.42 - 0.5 cos(2 pi n / (M - 1)) + 0.08 cos(4 pi n / (M - 1)), float32. */
export function blackman(M: number): NDArray {
  return windowOf('np.blackman', arguments.length, M, (n, m) => 0.42 - 0.5 * Math.cos(2 * Math.PI * n / (m - 1)) + 0.08 * Math.cos(4 * Math.PI * n / (m - 1)));
}

/** np.bartlett(M): the triangle 1 - |2n - (M - 1)| / (M - 1), float32. */
export function bartlett(M: number): NDArray {
  return windowOf('np.bartlett', arguments.length, M, (n, m) => {
    const k = 2 * n + 1 - m; // numpy's arange(1 - M, M, 2)
    return k <= 0 ? 1 + k / (m - 1) : 1 - k / (m - 1);
  });
}

/**
 * np.kaiser(M, beta): i0(beta sqrt(1 - ((n - alpha) / alpha)^2)) / i0(beta), alpha = (M - 1) / 2;
 * float32 for a JS number beta (a float64 beta: float64). Differentiable in beta.
 */
export function kaiser(M: number, beta: ArrayInput): NDArray {
  const where = 'np.kaiser';
  atMost(where, arguments.length, 2);
  const m = lengthArg(where, M);
  let b = operand(where, 1, beta);
  if (b.ndim !== 0) throw new ShapeError(`${where}: beta must be a scalar, got ${describe(b.shape, b.dtype)}`);
  if (!isInexact(b.dtype)) b = astype(b, 'float32'); // (an integer beta, kaiser(5, 3), reads as jnp's float)
  if (m <= 1) return array(m === 1 ? [1] : [], { dtype: b.dtype, shape: [m] });
  const alpha = 0.5 * (m - 1);
  // The ramp in beta's dtype: a float32 ramp made a float64 beta's window float32-accurate (1e-8 off).
  const root = array(Array.from({ length: m }, (_, n) => Math.sqrt(Math.max(0, 1 - ((n - alpha) / alpha) ** 2))), { dtype: b.dtype, shape: [m] });
  return divide(i0(multiply(b, root)), i0(b));
}
