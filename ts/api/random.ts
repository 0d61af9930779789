// jax.random with JAX's threefry2x32 PRNG: the same key and shape give the same bits as JAX, and
// the float samples JAX's CPU computes (float32 normal through XLA's float32 erfinv).
//
// Keys are plain uint32 arrays of shape [2] (JAX's `random.key` returns a typed key scalar; we
// have no typed keys, so `key` and `PRNGKey` both return the raw key data). Counters follow JAX's
// original scheme (`jax_threefry_partitionable=False`, what the seeds' notebooks ran with);
// `setThreefryPartitionable(true)` is refused until the other scheme is implemented. Seeds are
// read as JAX reads them with 64-bit types off: an integer in [-2^31, 2^32), key [0, seed mod 2^32].
import { NDArray, ArrayInput } from './array.js';
import { bind } from './bind.js';
import * as np from './numpy.js';
import { DTYPE_CODE, DType } from '../core/dtype.js';
import { DTypeError, NotImplementedError, ShapeError, ValueError, describe } from '../core/errors.js';
import { readOptions, show } from './options.js';
import { cholesky as linalgCholesky } from './linalg.js';

const UNIFORM = 0, NORMAL = 1;

/** Key data for an integer seed (JAX's PRNGKey / key with 64-bit types off). */
export function key(seed: number): NDArray {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < -(2 ** 31) || seed >= 2 ** 32) {
    throw new ValueError(`random.key: the seed must be an integer in [-2^31, 2^32) (JAX's int32/uint32 seeds), got ${show(seed)}`);
  }
  return new NDArray([2], 'uint32', new Uint32Array([0, seed >>> 0]));
}
export const PRNGKey = key;

let partitionable = false;
/** JAX's jax_threefry_partitionable flag; only the original (default, false) scheme is implemented. */
export function setThreefryPartitionable(on: boolean): void {
  if (on) throw new NotImplementedError('random.setThreefryPartitionable: the partitionable counter scheme is not implemented yet; the original scheme (JAX < 0.5 default) is');
  partitionable = false;
}
export function threefryPartitionable(): boolean { return partitionable; }

function checkKey(where: string, k: unknown): NDArray {
  if (!(k instanceof NDArray) || k.dtype !== 'uint32' || k.ndim !== 1 || k._shape[0] !== 2) {
    const got = k instanceof NDArray ? describe(k._shape, k.dtype) : show(k);
    throw new ValueError(`${where}: a key is uint32 key data of shape [2] (from random.key or random.split), got ${got}`);
  }
  return k;
}

function shapeArg(where: string, shape: unknown): number[] {
  const s = typeof shape === 'number' ? [shape] : shape === undefined ? [] : shape;
  if (!Array.isArray(s) || s.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(`${where}: shape must be a list of non-negative integers, got ${show(shape)}`);
  }
  const n = s.reduce((a, b) => a * b, 1);
  if (n >= 2 ** 31) throw new ShapeError(`${where}: shape [${s}] has ${n} elements, more than one draw supports`);
  return s;
}

function iota(n: number): NDArray {
  const c = new Uint32Array(n);
  for (let i = 0; i < n; i++) c[i] = i;
  return new NDArray([n], 'uint32', c);
}

/** JAX's threefry_2x32(key, counts): one threefry2x32 row. */
function threefry(k: NDArray, counts: NDArray): NDArray {
  return bind('threefry2x32', [k, counts]);
}

/** `num` new keys, shape [num, 2]. */
export function split(k: NDArray, num = 2): NDArray {
  checkKey('random.split', k);
  if (!Number.isInteger(num) || num < 1) throw new ValueError(`random.split: num must be a positive integer, got ${show(num)}`);
  return np.reshape(threefry(k, iota(2 * num)), [num, 2]);
}

/** A key folded with an integer (JAX's fold_in). */
export function foldIn(k: NDArray, data: number): NDArray {
  checkKey('random.foldIn', k);
  if (!Number.isInteger(data) || data < -(2 ** 31) || data >= 2 ** 32) throw new ValueError(`random.foldIn: data must be an integer in [-2^31, 2^32), got ${show(data)}`);
  return threefry(k, new NDArray([2], 'uint32', new Uint32Array([0, data >>> 0])));
}

/** Random uint32 bits of the given shape. */
export function bits(k: NDArray, shape: number[] | number = []): NDArray {
  checkKey('random.bits', k);
  const s = shapeArg('random.bits', shape);
  const n = s.reduce((a, b) => a * b, 1);
  return np.reshape(threefry(k, iota(n)), s);
}

type FloatOpts = { dtype?: DType };
type UniformOpts = { minval?: ArrayInput; maxval?: ArrayInput; dtype?: DType };

function floatDtype(where: string, dtype: DType | undefined, allowed: DType[]): DType {
  const dt = dtype ?? 'float32';
  if (!allowed.includes(dt)) throw new DTypeError(`${where}: dtype must be ${allowed.join(' or ')}, got ${dt}`);
  return dt;
}

/** Uniform [0, 1) floats of `shape`, drawn as JAX draws them. */
function unitUniform(k: NDArray, s: number[], dt: DType): NDArray {
  const n = s.reduce((a, b) => a * b, 1);
  if (dt === 'float32') return np.reshape(bind('random_float', [np.reshape(threefry(k, iota(n)), [n])], [DTYPE_CODE.float32, UNIFORM]), s);
  // float64: 64 bits a value; JAX draws 2n words and pairs word i with word n + i.
  const w = np.reshape(threefry(k, iota(2 * n)), [2, n]);
  return np.reshape(bind('random_float', [w], [DTYPE_CODE.float64, UNIFORM]), s);
}

/** Uniform on [minval, maxval) (JAX: floats * (maxval - minval) + minval, then at least minval). */
export function uniform(k: NDArray, shape: number[] | number = [], options?: UniformOpts): NDArray {
  checkKey('random.uniform', k);
  const o = readOptions<UniformOpts>('random.uniform', options, { minval: 'any', maxval: 'any', dtype: 'dtype' });
  const s = shapeArg('random.uniform', shape);
  const dt = floatDtype('random.uniform', o.dtype, ['float32', 'float64']);
  const u = unitUniform(k, s, dt);
  if (o.minval === undefined && o.maxval === undefined) return u; // u * 1 + 0, exactly
  const lo = np.astype(o.minval ?? 0, dt), hi = np.astype(o.maxval ?? 1, dt);
  return np.maximum(lo, np.add(np.multiply(u, np.subtract(hi, lo)), lo));
}

/** Standard normal samples (float32: JAX's bits, through XLA's float32 erfinv). */
export function normal(k: NDArray, shape: number[] | number = [], options?: FloatOpts | DType): NDArray {
  checkKey('random.normal', k);
  const o = readOptions<FloatOpts>('random.normal', options, { dtype: 'dtype' }, 'dtype');
  const s = shapeArg('random.normal', shape);
  const dt = floatDtype('random.normal', o.dtype, ['float32']);
  const n = s.reduce((a, b) => a * b, 1);
  return np.reshape(bind('random_float', [np.reshape(threefry(k, iota(n)), [n])], [DTYPE_CODE[dt], NORMAL]), s);
}

/** Gumbel samples: -log(-log(u)), u uniform on [tiny, 1) (JAX's gumbel). */
export function gumbel(k: NDArray, shape: number[] | number = [], options?: FloatOpts | DType): NDArray {
  checkKey('random.gumbel', k);
  const o = readOptions<FloatOpts>('random.gumbel', options, { dtype: 'dtype' }, 'dtype');
  const dt = floatDtype('random.gumbel', o.dtype, ['float32', 'float64']);
  const tiny = dt === 'float32' ? 2 ** -126 : 2 ** -1022;
  const u = uniform(k, shape, { minval: tiny, maxval: 1, dtype: dt });
  return np.negative(np.log(np.negative(np.log(u))));
}

/** true with probability p (JAX: uniform < p), of `shape` (default: p's shape). */
export function bernoulli(k: NDArray, p: ArrayInput = 0.5, shape?: number[] | number): NDArray {
  checkKey('random.bernoulli', k);
  const pa = np.asarray(p);
  const s = shape === undefined ? pa._shape.slice() : shapeArg('random.bernoulli', shape);
  return np.less(uniform(k, s, { dtype: pa.dtype === 'float64' ? 'float64' : 'float32' }), pa);
}

/** +1 or -1 with equal probability (JAX: 2 * bernoulli(key, 0.5) - 1); float32 unless told. */
export function rademacher(k: NDArray, shape: number[] | number = [], options?: FloatOpts | DType): NDArray {
  checkKey('random.rademacher', k);
  const o = readOptions<FloatOpts>('random.rademacher', options, { dtype: 'dtype' }, 'dtype');
  const dt = floatDtype('random.rademacher', o.dtype, ['float32', 'float64']);
  return np.subtract(np.multiply(2, np.astype(bernoulli(k, 0.5, shape), dt)), 1);
}

/** Exponential samples: -log1p(-u) (JAX's exponential). */
export function exponential(k: NDArray, shape: number[] | number = [], options?: FloatOpts | DType): NDArray {
  checkKey('random.exponential', k);
  const o = readOptions<FloatOpts>('random.exponential', options, { dtype: 'dtype' }, 'dtype');
  const dt = floatDtype('random.exponential', o.dtype, ['float32', 'float64']);
  return np.negative(np.log1p(np.negative(uniform(k, shape, { dtype: dt }))));
}

const EPSNEG = { float32: 2 ** -24, float64: 2 ** -53 } as Record<string, number>;
const TINY = { float32: 2 ** -126, float64: 2 ** -1022 } as Record<string, number>;

/** Laplace samples: sign(u) * log1p(-|u|), u uniform on (-1, 1) (JAX's laplace). */
export function laplace(k: NDArray, shape: number[] | number = [], options?: FloatOpts | DType): NDArray {
  checkKey('random.laplace', k);
  const o = readOptions<FloatOpts>('random.laplace', options, { dtype: 'dtype' }, 'dtype');
  const dt = floatDtype('random.laplace', o.dtype, ['float32', 'float64']);
  const u = uniform(k, shape, { minval: -1 + EPSNEG[dt], maxval: 1, dtype: dt });
  return np.multiply(np.sign(u), np.log1p(np.negative(np.abs(u))));
}

/** Logistic samples: log(u / (1 - u)), u uniform on [tiny, 1) (JAX's logistic). */
export function logistic(k: NDArray, shape: number[] | number = [], options?: FloatOpts | DType): NDArray {
  checkKey('random.logistic', k);
  const o = readOptions<FloatOpts>('random.logistic', options, { dtype: 'dtype' }, 'dtype');
  const dt = floatDtype('random.logistic', o.dtype, ['float32', 'float64']);
  const u = uniform(k, shape, { minval: TINY[dt], maxval: 1, dtype: dt });
  return np.log(np.divide(u, np.subtract(1, u)));
}

/**
 * Standard normal samples truncated to (lower, upper) (JAX's truncated_normal): sqrt(2) *
 * erfinv(u) with u uniform between erf(lower / sqrt 2) and erf(upper / sqrt 2), clipped inside.
 */
export function truncatedNormal(k: NDArray, lower: ArrayInput, upper: ArrayInput, shape?: number[] | number, options?: FloatOpts | DType): NDArray {
  checkKey('random.truncatedNormal', k);
  const o = readOptions<FloatOpts>('random.truncatedNormal', options, { dtype: 'dtype' }, 'dtype');
  const dt = floatDtype('random.truncatedNormal', o.dtype, ['float32', 'float64']);
  const lo = np.astype(lower, dt), hi = np.astype(upper, dt);
  const s = shape === undefined ? np.broadcastShapes('random.truncatedNormal', lo.shape, hi.shape) : shapeArg('random.truncatedNormal', shape);
  const a = np.erf(np.divide(lo, Math.SQRT2)), b = np.erf(np.divide(hi, Math.SQRT2));
  const u = uniform(k, s, { minval: a, maxval: b, dtype: dt });
  return np.clip(np.multiply(Math.SQRT2, np.erfinv(u)), lo, hi);
}

/** Samples from categorical distributions given unnormalized log-probabilities (argmax of gumbel + logits, as JAX). */
export function categorical(k: NDArray, logits: ArrayInput, options?: { axis?: number; shape?: number[] }): NDArray {
  checkKey('random.categorical', k);
  const o = readOptions<{ axis?: number; shape?: number[] }>('random.categorical', options, { axis: 'axis', shape: 'shape' });
  const l = np.asarray(logits);
  if (l.ndim === 0) throw new ValueError('random.categorical: logits must have at least one axis');
  const axis = o.axis ?? -1;
  const ax = axis < 0 ? axis + l.ndim : axis;
  const batch = l.shape.filter((_, i) => i !== ax);
  const s = o.shape ?? batch;
  // JAX draws gumbel noise of shape s with the category axis inserted at `axis`.
  const noiseShape = [...s.slice(0, s.length - batch.length + ax), l.shape[ax], ...s.slice(s.length - batch.length + ax)];
  const dt = l.dtype === 'float64' ? 'float64' : 'float32';
  const g = gumbel(k, noiseShape, { dtype: dt });
  return np.argmax(np.add(g, l), { axis: ax + (s.length - batch.length) });
}

/** Multivariate normal samples: mean + L z, L the Cholesky factor of cov, z standard normal (JAX's method='cholesky'). */
export function multivariateNormal(k: NDArray, mean: ArrayInput, cov: ArrayInput, shape?: number[]): NDArray {
  checkKey('random.multivariateNormal', k);
  const m = np.asarray(mean), c = np.asarray(cov);
  if (m.ndim < 1 || c.ndim < 2) throw new ShapeError(`random.multivariateNormal: mean must be [..., n] and cov [..., n, n], got ${describe(m.shape, m.dtype)} and ${describe(c.shape, c.dtype)}`);
  const n = m.shape[m.ndim - 1];
  const s = shape ?? np.broadcastShapes('random.multivariateNormal', m.shape.slice(0, -1), c.shape.slice(0, -2));
  const z = normal(k, [...s, n]);
  const L = linalgCholesky(np.astype(c, 'float32'));
  return np.add(m, np.einsum('...ij,...j->...i', L, z));
}
