// linalg.eig / linalg.eigvals: the general (nonsymmetric) eigendecomposition, JAX's
// jnp.linalg.eig / eigvals, on the `eig` primitive (kernels/eig.ts: Hessenberg reduction and
// Francis double-shift QR for real input, single-shift complex QR for complex input; JVP by
// JAX's eig_jvp_rule, reverse mode by its transpose).
import { NDArray, ArrayInput } from './array.js';
import { bindMulti } from './bind.js';
import * as np from './numpy.js';
import * as lax from './lax.js';
import { atMost } from './options.js';
import { realOf } from '../core/dtype.js';
import { squareArg, named, type Named } from './linalg.js';
import { composite } from './np_shared.js';

/**
 * A as 2^-k A with 2^k (k from its largest |entry|, a constant to the derivatives): the QR
 * iteration squares entries (the 2 x 2 blocks' discriminants), which overflowed past |A| ~ 1e150.
 * A power of two scales exactly; the eigenvectors are unchanged, the eigenvalues scale by 2^k.
 */
function scaled(A: NDArray): { a: NDArray; scale: NDArray } {
  if (A.size === 0) return { a: A, scale: np.ones([...A.shape.slice(0, -2), 1, 1], { dtype: realOf(A.dtype) }) }; // (no entries: no max)
  const big = lax.stopGradient(np.max(np.abs(A), { axis: [-2, -1], keepdims: true }));
  const usable = np.logicalAnd(np.greater(big, 0), np.isfinite(big));
  const e = np.where(usable, np.floor(np.log2(np.where(usable, big, 1))), 0);
  // 2^-e in two halves (a subnormal max: 2^-e alone overflows)
  const h = np.trunc(np.multiply(e, 0.5));
  return { a: np.multiply(np.multiply(A, np.exp2(np.negative(h))), np.exp2(np.subtract(h, e))), scale: np.exp2(e) };
}

/** [w, V]; with `valuesOnly` the kernel skips the eigenvectors (2-4x less work) and V is NaN. */
function decompose(where: string, x: ArrayInput, valuesOnly = false): [NDArray, NDArray] {
  const A = squareArg(where, x);
  const { a, scale } = scaled(A);
  const [w, v] = bindMulti('eig', [a], valuesOnly ? [0] : []);
  return [np.multiply(w, np.squeeze(scale, -1)), v];
}

/**
 * The eigendecomposition of general square matrices (jnp.linalg.eig): [w, V] with A V = V diag(w),
 * batched over leading axes. Both complex whatever A's kind (float32 -> complex64, float64 ->
 * complex128, as JAX; ints compute in float32). Each column of V has unit 2-norm (LAPACK geev's
 * normalization, as numpy: the eigenvector of a complex eigenvalue, every one for complex A, has
 * its largest component real, positive for complex A; a real eigenvector's sign is arbitrary). Eigenvalues
 * come in the order the QR iteration finds them (not sorted; numpy's is LAPACK's, which may
 * differ), a complex pair of a real matrix as (re + i im, re - i im), im > 0. A matrix with a
 * non-finite entry, or on which the iteration does not converge, gives NaNs. Derivatives by
 * JAX's rule: they divide by eigenvalue gaps (repeated eigenvalues give non-finite eigenvector
 * derivatives) and leave each eigenvector's phase undifferentiated, so only phase-invariant
 * functions of V (|v_ij|, v v^H, ...) have meaningful gradients, as in JAX.
 */
export function eig(a: ArrayInput): Named<[NDArray, NDArray], 'eigenvalues' | 'eigenvectors'> {
  atMost('linalg.eig', arguments.length, 1);
  return named(composite(() => decompose('linalg.eig', a)), ['eigenvalues', 'eigenvectors']); // (jnp's EigResult)
}

/** The eigenvalues of general square matrices (jnp.linalg.eigvals): eig's w, complex, unsorted. */
export function eigvals(a: ArrayInput): NDArray {
  atMost('linalg.eigvals', arguments.length, 1);
  return composite(() => decompose('linalg.eigvals', a, true)[0]);
}
