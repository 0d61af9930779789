// numpy's 1-d convolution and correlation (jnp.convolve, jnp.correlate), composed from the np
// functions, so they differentiate, batch and jit as those do. As jnp's, integer and bool inputs
// compute in float32 (jnp promotes them to inexact; numpy keeps ints).
import { NDArray, ArrayInput } from './array.js';
import * as lax from './lax.js';
import { add, multiply, astype, floatDtype, sum, where as select, take, less, greaterEqual, logicalAnd, subtract } from './numpy.js';
import { flip, slice, pad } from './np_rearrange.js';
import { operand } from './np_shared.js';
import { atMost, readOptions, show } from './options.js';
import { ValueError, describe } from '../core/errors.js';
import { isComplex } from '../core/dtype.js';

export type ConvolveMode = 'full' | 'same' | 'valid';

/** Below this many elements of the [n + m - 1, min(n, m)] shifted-copies matrix, one matmul; past it, a sum of shifted copies. */
const MATMUL_MAX = 1 << 22;

/**
 * np.convolve(a, v, mode = 'full'): the discrete linear convolution of two 1-d arrays,
 * out[k] = sum_j a[j] v[k - j]: 'full' (length n + m - 1), 'same' (max(n, m), centred as numpy
 * centres it) or 'valid' (max(n, m) - min(n, m) + 1, where they overlap fully).
 */
export function convolve(a: ArrayInput, v: ArrayInput, opts?: ConvolveMode | { mode?: ConvolveMode }): NDArray {
  atMost('np.convolve', arguments.length, 3);
  const [x, y, mode] = inputs('np.convolve', a, v, opts, 'full');
  return cut(full(x, y), x.size, y.size, mode);
}

/**
 * np.correlate(a, v, mode = 'valid'): c[k] = sum_n a[n + k] conj(v[n]), numpy's (and jnp's)
 * cross-correlation: the convolution of a with v reversed and conjugated; when v is the longer,
 * numpy correlates v with a and reverses (and conjugates) the result, which changes which part
 * 'same' keeps.
 */
export function correlate(a: ArrayInput, v: ArrayInput, opts?: ConvolveMode | { mode?: ConvolveMode }): NDArray {
  atMost('np.correlate', arguments.length, 3);
  const [x, y, mode] = inputs('np.correlate', a, v, opts, 'valid');
  const conj = (t: NDArray) => (isComplex(t.dtype) ? lax.conj(t) : t);
  if (y.size > x.size) return conj(flip(cut(full(y, flip(conj(x))), y.size, x.size, mode)));
  return cut(full(x, flip(conj(y))), x.size, y.size, mode);
}

function inputs(where: string, a: ArrayInput, v: ArrayInput, opts: unknown, dflt: ConvolveMode): [NDArray, NDArray, ConvolveMode] {
  const o = readOptions<{ mode?: ConvolveMode }>(where, opts, { mode: 'any' }, 'mode');
  const mode = o.mode ?? dflt;
  if (mode !== 'full' && mode !== 'same' && mode !== 'valid') throw new ValueError(`${where}: mode must be 'full', 'same' or 'valid', got ${show(mode)}`);
  const dt = floatDtype(where, [a, v]);
  // (JS lists read in dt's precision: beside float64, [0.1] was rounded to float32 first)
  const x = astype(operand(where, 0, a, dt), dt), y = astype(operand(where, 1, v, dt), dt);
  for (const [t, name] of [[x, 'a'], [y, 'v']] as const) {
    if (t.ndim !== 1) throw new ValueError(`${where}: ${name} must be 1-d (numpy's), got ${describe(t.shape, t.dtype)}`);
    if (t.size === 0) throw new ValueError(`${where}: ${name} is empty (numpy raises too)`);
  }
  return [x, y, mode];
}

/** The full convolution of 1-d x and y (length n + m - 1). */
function full(x: NDArray, y: NDArray): NDArray {
  const [long, short] = x.size >= y.size ? [x, y] : [y, x];
  const l = long.size, s = short.size, L = l + s - 1;
  if (L * s <= MATMUL_MAX) {
    // P[k, i] = long[k - i] short[i] where they overlap (0 outside), out = P summed over i. The
    // products only where they overlap, as numpy's sums: M @ short (M 0 outside) multiplied those
    // zeros by short's entries, so an inf or NaN in short made every output NaN
    // (convolve([1, 2, 3, 4, 5], [1, inf])[0] was NaN, numpy's 1). Both factors are 0 outside, so
    // no cotangent meets an inf there either.
    const k = lax.broadcastInDim(lax.iota(L), [L, s], [0]), i = lax.broadcastInDim(lax.iota(s), [L, s], [1]);
    const idx = subtract(k, i);
    const inside = logicalAnd(greaterEqual(idx, 0), less(idx, l));
    const M = select(inside, take(long, idx, { mode: 'clip' }), 0);
    const S = select(inside, lax.broadcastInDim(short, [L, s], [1]), 0);
    return sum(multiply(M, S), { axis: 1 });
  }
  // past that: the products short[i] long, each shifted by i (zeros padded after the product, as
  // above), summed (s rows of length L)
  let out: NDArray | null = null;
  for (let i = 0; i < s; i++) {
    const term = pad(multiply(long, take(short, i)), [i, s - 1 - i]);
    out = out === null ? term : add(out, term);
  }
  return out!;
}

/** The part of full convolution `f` (of lengths n and m) that `mode` keeps: numpy's. */
function cut(f: NDArray, n: number, m: number, mode: ConvolveMode): NDArray {
  const big = Math.max(n, m), small = Math.min(n, m);
  if (mode === 'full') return f;
  const start = mode === 'same' ? Math.floor((small - 1) / 2) : small - 1;
  const len = mode === 'same' ? big : big - small + 1;
  return slice(f, [start], [start + len]);
}
