// numpy.cov and numpy.corrcoef (jnp.cov, jnp.corrcoef), composed from the np functions, so they
// differentiate, batch and jit as those do. Integer and bool inputs compute in float32 (jnp's).
import { NDArray, ArrayInput } from './array.js';
import * as lax from './lax.js';
import {
  astype, floatDtype, matmul, subtract, multiply, divide, sum, reshape, transpose, concatenate, sqrt, clip, diagonal,
  equal, eye, where as select, logicalAnd, less,
} from './numpy.js';
import { operand } from './np_shared.js';
import { atMost, readOptions, show } from './options.js';
import { ShapeError, TracerError, ValueError, describe } from '../core/errors.js';
import { isComplex, realOf } from '../core/dtype.js';

export interface CovOptions {
  /** Each row a variable, its columns the observations (numpy's default); false: the columns are the variables. */
  rowvar?: boolean;
  /** Normalize by N (true) or by N - 1 (false, the default), unless ddof says otherwise. */
  bias?: boolean;
  /** Normalize by N - ddof (overrides bias). */
  ddof?: number | null;
  /** Integer frequency weights, one per observation. */
  fweights?: ArrayInput;
  /** Observation weights, one per observation. */
  aweights?: ArrayInput;
}

/**
 * numpy's y keyword as an option (np.cov(m, { y: v }), numpy's cov(m, y=v)): it was "unknown
 * option 'y'" though the README lists y among cov's options (helper-282). Given both ways is an error.
 */
function keywordY(where: string, y: unknown, fromOptions: ArrayInput | null | undefined): ArrayInput | null | undefined {
  if (fromOptions === undefined || fromOptions === null) return y as ArrayInput | null | undefined;
  if (y !== undefined && y !== null) throw new ValueError(`${where}: y given twice, positionally (${show(y)}) and in the options object (${show(fromOptions)}); give it one way`);
  return fromOptions;
}

/**
 * np.cov(m, y?, { y, rowvar, bias, ddof, fweights, aweights }): the covariance matrix of the
 * variables of m (and of y's, stacked after them), numpy's formula: each variable's weighted mean
 * removed, X W X^H over the weights' sum less ddof (times sum(w a) / sum(w) with aweights). One
 * variable gives a 0-d Array, as numpy's squeeze does.
 */
export function cov(m: ArrayInput, y?: ArrayInput | null | CovOptions, opts?: CovOptions): NDArray {
  const where = 'np.cov';
  atMost(where, arguments.length, 3);
  if (y !== null && y !== undefined && !(y instanceof NDArray) && typeof y === 'object' && !Array.isArray(y)) {
    if (opts !== undefined) throw new ValueError(`${where}: options came second (${show(y)}), so there is no third argument; got ${show(opts)}`);
    opts = y as CovOptions; y = undefined;
  }
  const o = readOptions<CovOptions & { y?: ArrayInput | null }>(where, opts, { y: 'any', rowvar: 'boolean', bias: 'boolean', ddof: 'any', fweights: 'any', aweights: 'any' });
  y = keywordY(where, y, o.y);
  const dt = floatDtype(where, y === undefined || y === null ? [m] : [m, y as ArrayInput]);
  const rows = (v: ArrayInput, i: number, name: string) => {
    const a = astype(operand(where, i, v, dt), dt); // (a JS list in dt's precision, not float32 first)
    if (a.ndim > 2) throw new ValueError(`${where}: ${name} has more than 2 dimensions (${describe(a.shape, a.dtype)})`);
    const two = a.ndim < 2 ? reshape(a, [1, a.size]) : a;
    // (numpy's: a single row stays one variable even with rowvar false)
    return o.rowvar === false && two.shape[0] !== 1 ? transpose(two) : two;
  };
  let X = rows(m, 0, 'm');
  if (y !== undefined && y !== null) {
    const Y = rows(y as ArrayInput, 1, 'y');
    if (Y.shape[1] !== X.shape[1]) throw new ShapeError(`${where}: m and y have ${X.shape[1]} and ${Y.shape[1]} observations`);
    X = concatenate([X, Y], { axis: 0 });
  }
  const n = X.shape[1];
  const ddof = o.ddof ?? (o.bias ? 0 : 1);
  if (typeof ddof !== 'number' || !Number.isInteger(ddof)) throw new ValueError(`${where}: ddof must be an integer, got ${show(ddof)}`);
  const weights = (v: ArrayInput | undefined, name: string) => {
    if (v === undefined) return null;
    const w0 = operand(where, 0, v, realOf(dt)); // (JS weights in dt's precision, not float32 first)
    if (w0.ndim !== 1 || w0.size !== n) throw new ShapeError(`${where}: ${name} must be 1-d with one weight per observation (${n}), got ${describe(w0.shape, w0.dtype)}`);
    // (numpy's checks, where the values are known: under jit they are not, as in jnp)
    let known: ArrayLike<number> | null = null;
    try { known = w0._values(where) as ArrayLike<number>; } catch (e) { if (!(e instanceof TracerError)) throw e; }
    if (known !== null) {
      const vals = Array.from(known, Number);
      if (vals.some((x) => x < 0 || Number.isNaN(x))) throw new ValueError(`${where}: ${name} cannot be negative (numpy raises too), got ${show(vals)}`);
      if (name === 'fweights' && vals.some((x) => !Number.isInteger(x))) throw new ValueError(`${where}: fweights must be integers (numpy raises too), got ${show(vals)}`);
    }
    return astype(w0, realOf(dt));
  };
  const f = weights(o.fweights, 'fweights'), aw = weights(o.aweights, 'aweights');
  const w = f === null ? aw : aw === null ? f : multiply(f, aw);
  let avg: NDArray, fact: NDArray | number;
  if (w === null) {
    avg = divide(sum(X, { axis: 1, keepdims: true }), n);
    fact = n - ddof;
  } else {
    const v1 = sum(w);
    avg = divide(sum(multiply(X, w), { axis: 1, keepdims: true }), v1);
    fact = ddof === 0 ? v1 : aw === null ? subtract(v1, ddof) : subtract(v1, divide(multiply(ddof, sum(multiply(w, aw))), v1));
  }
  // (no degrees of freedom left: numpy divides by 0, inf or NaN, never a negative variance)
  fact = typeof fact === 'number' ? Math.max(fact, 0) : lax.max(fact, lax.full([], 0, fact.dtype));
  const Xc = subtract(X, avg);
  const XT = transpose(w === null ? Xc : multiply(Xc, w));
  // The corrected two-pass form (as np.var's): the mean's rounding delta_i added
  // delta_i conj(delta_j) sum(w) to entry ij; s = Xc w is -delta sum(w), so s_i conj(s_j) / sum(w)
  // takes it back out (zero in exact arithmetic: the derivatives are the plain form's). float32
  // cov of rows near 2^20 was 3% off (the mean's sum lost its low bits; numpy computes in float64).
  // The diagonal is clamped at 0 so that rounding leaves no negative variance.
  const s = reshape(sum(w === null ? Xc : multiply(Xc, w), { axis: 1 }), [X.shape[0], 1]);
  const outer = matmul(s, isComplex(dt) ? lax.conj(transpose(s)) : transpose(s));
  const raw = subtract(matmul(Xc, isComplex(dt) ? lax.conj(XT) : XT), divide(outer, w === null ? n : sum(w)));
  const onDiag = equal(eye(X.shape[0]), 1);
  const c = divide(select(logicalAnd(onDiag, less(isComplex(dt) ? lax.real(raw) : raw, 0)), 0, raw), fact);
  return c.shape[0] === 1 ? reshape(c, []) : c;
}

/**
 * np.corrcoef(x, y?, { rowvar }): cov normalized by the standard deviations, its real part (and
 * imaginary part) clipped to [-1, 1], as numpy's and jnp's.
 */
export function corrcoef(x: ArrayInput, y?: ArrayInput | null | { rowvar?: boolean }, opts?: { rowvar?: boolean }): NDArray {
  const where = 'np.corrcoef';
  atMost(where, arguments.length, 3);
  if (y !== null && y !== undefined && !(y instanceof NDArray) && typeof y === 'object' && !Array.isArray(y)) {
    if (opts !== undefined) throw new ValueError(`${where}: options came second (${show(y)}), so there is no third argument; got ${show(opts)}`);
    opts = y as { rowvar?: boolean }; y = undefined;
  }
  const o = readOptions<{ rowvar?: boolean; y?: ArrayInput | null }>(where, opts, { y: 'any', rowvar: 'boolean' });
  y = keywordY(where, y, o.y);
  const c = cov(x, y as ArrayInput | null | undefined, { rowvar: o.rowvar });
  if (c.ndim === 0) return divide(c, c); // (one variable: c / c, NaN where it has no variance, as numpy's)
  const dg = diagonal(c), d = sqrt(isComplex(dg.dtype) ? lax.real(dg) : dg), k = d.size;
  const r = divide(divide(c, reshape(d, [k, 1])), reshape(d, [1, k]));
  if (!isComplex(r.dtype)) return clip(r, -1, 1);
  return lax.complex(clip(lax.real(r), -1, 1), clip(lax.imag(r), -1, 1));
}
