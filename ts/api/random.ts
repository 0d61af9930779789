// jax.random with JAX's threefry2x32 PRNG: the same key and shape give the same bits as JAX, and
// the float samples JAX's CPU computes (float32 normal through XLA's float32 erfinv).
//
// Keys are plain uint32 arrays of shape [2] (JAX's `random.key` returns a typed key scalar; we
// have no typed keys, so `key` and `PRNGKey` both return the raw key data). Counters follow JAX's
// original scheme by default (`jax_threefry_partitionable=False`, what the seeds' notebooks ran
// with); `setThreefryPartitionable(true)` selects the partitionable one (JAX >= 0.5's default).
// Seeds are read as JAX reads them with 64-bit types off: any integer a JS number holds exactly
// (|seed| <= 2^53), through int64 to int32 by wrapping, key [0, seed mod 2^32].
//
// What is verified against JAX and what is not: the original scheme's bits, split, foldIn and
// float32 normal/uniform against JAX's printed values (tests/random.test.ts). randint,
// permutation, choice, float64 normal and the partitionable scheme follow jax/_src/random/core.py
// and threefry2x32.py line by line (JAX at cec06d1, 2026-08) and XLA's ErfInv64, but no JAX was
// at hand to compare bits: their tests check the construction (the partitionable bits are the
// threefry blocks of counters (0, i), xor-ed), distributions and permutation properties.
import { NDArray, ArrayInput, isComplexLiteral } from './array.js';
import { bind } from './bind.js';
import * as np from './numpy.js';
import { takeAlongPermutation } from './np_indexing.js';
import { DTYPE_CODE, DType } from '../core/dtype.js';
import { AxisError, DTypeError, OutOfMemoryError, ShapeError, ValueError, describe } from '../core/errors.js';
import * as lax from './lax.js';
import { intAxis, isPlainObject, objectThenMore, readOptions, readTrailing, show } from './options.js';
import { MAX_ARRAY_BYTES, checkShape } from './creation.js';
import { cholesky as linalgCholesky, eigh as linalgEigh, svd as linalgSvd } from './linalg.js';
import { scope, inTrace } from '../core/trace.js';
import { materialize } from './transforms/trace_args.js';
import { nextafter } from './lax_more.js';
import { arityChecked } from './arity.js';

const UNIFORM = 0, NORMAL = 1;

/** Key data for an integer seed (JAX's key with 64-bit types off). */
export function key(seed: number | NDArray): NDArray {
  return seedKey('random.key', seed);
}
/** Key data for an integer seed (JAX's PRNGKey with 64-bit types off: the same words as key). */
export function PRNGKey(seed: number | NDArray): NDArray {
  return seedKey('random.PRNGKey', seed);
}

/**
 * JAX's random_seed: a Python int is read as np.int64, which with 64-bit types off becomes int32
 * by wrapping, then [0, its bits]; PRNGKey(2^32 + 5) is [0, 5] and PRNGKey(-2147483748)
 * [0, 2147483548] (JAX's test_prng_seeds_and_keys). A JS number holds every integer up to 2^53
 * exactly, and >>> 0 takes any of them mod 2^32; past 2^53 the seed was rounded before we saw it.
 */
function seedKey(where: string, seed: number | NDArray): NDArray {
  if (seed instanceof NDArray) return seedWords(where, 'the seed', seed);
  if (typeof seed !== 'number' || !Number.isInteger(seed) || Math.abs(seed) > 2 ** 53) {
    throw new ValueError(`${where}: the seed must be an integer of magnitude at most 2^53 (a JS number's exact integers; JAX wraps it to 32 bits), ` +
      `or an int32/uint32 scalar Array, got ${show(seed)}`);
  }
  return new NDArray([2], 'uint32', new Uint32Array([0, seed >>> 0]));
}

/**
 * JAX's threefry_seed for an int32 or uint32 scalar Array (a traced seed or fold-in datum, as
 * under jit): [0, its bits as uint32], the words key(n) gives for a JS integer n.
 */
function seedWords(where: string, what: string, seed: NDArray): NDArray {
  if ((seed.dtype !== 'int32' && seed.dtype !== 'uint32') || seed.ndim !== 0) {
    throw new ValueError(`${where}: ${what} must be an integer or an int32/uint32 scalar Array, got ${describe(seed._shape, seed.dtype)}`);
  }
  return lax.concatenate([lax.full([1], 0, 'uint32'), np.reshape(np.astype(seed, 'uint32'), [1])], 0);
}

let partitionable = false;
/**
 * JAX's jax_threefry_partitionable flag. false (the default here, JAX < 0.5's): counters are an
 * iota cut into two halves, each pair of halves one threefry block. true (JAX >= 0.5's default):
 * element i is the block of the 64-bit counter (hi, lo) = (0, i); 32-bit draws are the xor of the
 * block's two words, 64-bit draws its words as (hi, lo), and split(key, n) gives the blocks of
 * counters 0..n-1 as keys. A global setting, as JAX's flag is; it changes every draw after it.
 */
export function setThreefryPartitionable(on: boolean): void {
  if (typeof on !== 'boolean') throw new ValueError(`random.setThreefryPartitionable: expected a boolean, got ${show(on)}`);
  partitionable = on;
}
export function threefryPartitionable(): boolean { return partitionable; }

/** @internal (random_more.ts shares it; hidden from the namespace by api/index.ts) */
export function checkKey(where: string, k: unknown): NDArray {
  if (!(k instanceof NDArray) || k.dtype !== 'uint32' || k.ndim !== 1 || k._shape[0] !== 2) {
    const got = k instanceof NDArray ? describe(k._shape, k.dtype) : show(k);
    throw new ValueError(`${where}: a key is uint32 key data of shape [2] (from random.key or random.split), got ${got}`);
  }
  return k;
}

/** @internal (random_more.ts shares it; hidden from the namespace by api/index.ts) */
export function shapeArg(where: string, shape: unknown): number[] {
  // A bare number is refused, as JAX's canonicalize_shape does: numpy's argument order
  // (randint(key, 0, 10, [3]): low, high, size) read 0 as the shape and gave an empty draw.
  if (typeof shape === 'number') {
    throw new ShapeError(`${where}: shape must be a list of non-negative integers ([${shape}] for ${shape} draws), got the number ${show(shape)}; ` +
      'the arguments are (key, shape, ...) as in jax.random, not numpy\'s (low, high, size)');
  }
  const s = shape === undefined ? [] : shape;
  if (!Array.isArray(s) || s.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(`${where}: shape must be a list of non-negative integers, got ${show(shape)}`);
  }
  const n = s.reduce((a, b) => a * b, 1);
  if (n >= 2 ** 31) throw new ShapeError(`${where}: shape [${s}] has ${n} elements, more than one draw supports`);
  // its counters (two 32-bit words a draw at most) in one array: refused at once, where they were
  // made in JS (4 GB for [2 ** 30]) before running out of wasm memory seconds later
  if (8 * n > MAX_ARRAY_BYTES) throw new OutOfMemoryError(`${where}: shape [${s}] needs ${(8 * n / 2 ** 30).toFixed(2)} GiB of counters; one draw holds at most ${Math.floor(MAX_ARRAY_BYTES / 8)} elements`);
  return s;
}

/**
 * Parameters of a draw with an explicit shape must broadcast to it (JAX's _check_shape): one of a
 * larger shape would repeat the same draws along its extra axes (perfectly correlated "samples").
 */
/** @internal (random_more.ts shares it; hidden from the namespace by api/index.ts) */
export function paramsFit(where: string, s: number[], params: [string, readonly number[]][]): void {
  for (const [name, shape] of params) {
    const fits = shape.length <= s.length && shape.every((d, i) => d === 1 || d === s[s.length - shape.length + i]);
    if (!fits) throw new ShapeError(`${where}: ${name} of shape [${shape}] does not broadcast to the draw's shape [${s}]`);
  }
}

// Under a transform the counters are iota rows (JAX's lax.iota): a JS table there was a constant
// as large as the draw (jit of random.uniform(k, [5e7]): 200 MB kept, ~4 s to trace). At top
// level a JS table, uploaded once, is the faster (iota rows there are results made concrete).
function iota(n: number): NDArray {
  if (inTrace()) return bind('iota', [], [DTYPE_CODE.uint32, 0, n]);
  const c = new Uint32Array(n);
  for (let i = 0; i < n; i++) c[i] = i;
  return new NDArray([n], 'uint32', c);
}

/** JAX's threefry_2x32(key, counts): one threefry2x32 row. */
function threefry(k: NDArray, counts: NDArray): NDArray {
  return bind('threefry2x32', [k, counts]);
}

/** Counters (hi, lo) = (0, i) for i < n, as one count array: the n high words, then the n low ones. */
function hiLoCounts(n: number): NDArray {
  if (inTrace()) return lax.concatenate([lax.full([n], 0, 'uint32'), iota(n)], 0);
  const c = new Uint32Array(2 * n);
  for (let i = 0; i < n; i++) c[n + i] = i;
  return new NDArray([2 * n], 'uint32', c);
}

/** n random 32-bit words (JAX's _random_bits(key, 32, shape), flattened). */
function bits32(k: NDArray, n: number): NDArray {
  if (!partitionable) return threefry(k, iota(n));
  const [b1, b2] = lax.split(np.reshape(threefry(k, hiLoCounts(n)), [2, n]), [1, 1], 0);
  return np.reshape(np.bitwiseXor(b1, b2), [n]);
}

/** 64-bit draws as words [2, n]: word [0, i] the high half of draw i, [1, i] the low half. */
function bits64(k: NDArray, n: number): NDArray {
  // Original: 2n words split into halves (JAX's jnp.split(bits, 2)); partitionable: the two words
  // of the block of counter (0, i). Both come out of the kernel in this layout.
  return np.reshape(threefry(k, partitionable ? hiLoCounts(n) : iota(2 * n)), [2, n]);
}

/** `num` new keys, shape [num, 2]. */
export function split(k: NDArray, num: number | readonly number[] = 2): NDArray { // (readonly: `[2, 2] as const` runs)
  checkKey('random.split', k);
  // JAX's num: a count or a shape (keys [...shape, 2], the flat index's keys; 0 keys is [0, 2])
  const shape = typeof num === 'number' ? [num] : num;
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ValueError(`random.split: num must be a non-negative integer or a shape (a list of them), got ${show(num)}`);
  }
  const n = shape.reduce((a, b) => a * b, 1);
  if (n >= 2 ** 30) throw new ValueError(`random.split: ${n} keys are more than one draw supports`);
  // (the counters alone: [1e9] took 16 s before running out of wasm memory)
  checkShape('random.split', [2 * n], 'num', 'uint32');
  if (partitionable) return np.reshape(np.transpose(np.reshape(threefry(k, hiLoCounts(n)), [2, n])), [...shape, 2]); // jnp.stack([bits1, bits2], -1)
  return np.reshape(threefry(k, iota(2 * n)), [...shape, 2]);
}

/** The two keys of split(k) (JAX's `k1, k2 = _split(key)`). */
function split2(k: NDArray): [NDArray, NDArray] {
  const [a, b] = lax.split(split(k, 2), [1, 1], 0);
  return [np.reshape(a, [2]), np.reshape(b, [2])];
}

/** A key folded with an integer (JAX's fold_in). */
export function foldIn(k: NDArray, data: number | NDArray): NDArray {
  checkKey('random.foldIn', k);
  if (data instanceof NDArray) return threefry(k, seedWords('random.foldIn', 'data', data)); // fold_in(key, step) with a traced step
  if (!Number.isInteger(data) || data < -(2 ** 31) || data >= 2 ** 32) throw new ValueError(`random.foldIn: data must be an integer in [-2^31, 2^32), got ${show(data)}`);
  return threefry(k, new NDArray([2], 'uint32', new Uint32Array([0, data >>> 0])));
}

/** Random uint32 bits of the given shape (JAX's bits(key, shape, dtype): uint32, the one unsigned dtype here). */
function bitsEager(k: NDArray, shape: readonly number[] = [], dtype?: DType | null): NDArray {
  checkKey('random.bits', k);
  const s = shapeArg('random.bits', shape); // (first: numpy's order, a number where the shape goes, is named as such)
  if (dtype !== undefined && dtype !== null && dtype !== 'uint32') throw new DTypeError(`random.bits: dtype must be uint32 (the one unsigned integer dtype here), got ${show(dtype)}`);
  const n = s.reduce((a, b) => a * b, 1);
  return np.reshape(bits32(k, n), s);
}

type FloatOpts = { dtype?: DType };
type UniformOpts = { minval?: ArrayInput; maxval?: ArrayInput; dtype?: DType };

function floatDtype(where: string, dtype: DType | undefined, allowed: DType[]): DType {
  const dt = dtype ?? 'float32';
  if (!allowed.includes(dt)) throw new DTypeError(`${where}: dtype must be ${allowed.join(' or ')}, got ${dt}`);
  return dt;
}

/**
 * A sampler's real parameters read as random_more's readParams reads them: complex ones refused
 * (np.astype to the draw's float dtype dropped their imaginary parts silently: uniform's minval
 * 1+2i drew from [1, 1)), and 'float64' when one is a float64 Array, the draw's default dtype then
 * (uniform and truncatedNormal read float64 bounds into a float32 draw: uniform on [1e8, 1e8 + 1)
 * drew 1e8 every time, and truncatedNormal's gradient w.r.t. close bounds was 12% off).
 */
function realParams(where: string, params: [string, unknown][]): DType | undefined {
  let wide = false;
  for (const [name, v] of params) {
    if (v === undefined || v === null) continue;
    if (isComplexLiteral(v)) throw new DTypeError(`${where}: ${name} must be real, got the complex number ${show(v)}`);
    const d = v instanceof NDArray ? v.dtype : typeof v === 'number' || typeof v === 'boolean' ? 'float32' : np.asarray(v as ArrayInput).dtype;
    if (d === 'complex64' || d === 'complex128') throw new DTypeError(`${where}: ${name} must be real, got ${v instanceof NDArray ? describe(v._shape, d) : d}`);
    if (d === 'float64') wide = true;
  }
  return wide ? 'float64' : undefined;
}

/** Uniform [0, 1) floats of `shape`, drawn as JAX draws them. */
function unitUniform(k: NDArray, s: number[], dt: DType): NDArray {
  const n = s.reduce((a, b) => a * b, 1);
  if (dt === 'float32') return np.reshape(bind('random_float', [bits32(k, n)], [DTYPE_CODE.float32, UNIFORM]), s);
  return np.reshape(bind('random_float', [bits64(k, n)], [DTYPE_CODE.float64, UNIFORM]), s);
}

/**
 * Uniform on [minval, maxval) (JAX: floats * (maxval - minval) + minval, then at least minval).
 * Options as an object, or positionally in JAX's order: uniform(key, shape, dtype, minval, maxval).
 */
function uniformEager(k: NDArray, shape: readonly number[] = [], dtype?: UniformOpts | DType | null, minval?: ArrayInput | null, maxval?: ArrayInput | null): NDArray {
  checkKey('random.uniform', k);
  // (the shape first: numpy's uniform(key, 0, 1, [3]) was 'dtype must be a dtype name, got 1')
  const s = shapeArg('random.uniform', shape);
  const o = readTrailing<UniformOpts>('random.uniform', [dtype, minval, maxval], ['dtype', 'minval', 'maxval'], { minval: 'any', maxval: 'any', dtype: 'dtype' });
  const dt = floatDtype('random.uniform', o.dtype ?? realParams('random.uniform', [['minval', o.minval], ['maxval', o.maxval]]), ['float32', 'float64']);
  const u = unitUniform(k, s, dt);
  if (o.minval === undefined && o.maxval === undefined) return u; // u * 1 + 0, exactly
  const lo = np.astype(o.minval ?? 0, dt), hi = np.astype(o.maxval ?? 1, dt);
  paramsFit('random.uniform', s, [['minval', lo._shape], ['maxval', hi._shape]]);
  // (a span past the dtype's range, as [-max, max]: JAX's inf * u + lo is inf, and the fix-up below
  // made every draw maxval's neighbour, one constant; there u hi + (1 - u) lo, whose terms are finite)
  const span = np.subtract(hi, lo);
  const wide = np.logicalAnd(np.logicalNot(np.isfinite(span)), np.logicalAnd(np.isfinite(lo), np.isfinite(hi)));
  const r = np.maximum(lo, np.where(wide, np.add(np.multiply(u, hi), np.multiply(np.subtract(1, u), lo)), np.add(np.multiply(u, span), lo)));
  // JAX's formula rounds onto maxval, which its docs call exclusive, for the top draws: (2, 3) in
  // float32 gave 3 once in 2^23 draws (uniform(key(0), [2^22], {minval: 2, maxval: 3})[1181482]),
  // (100, 101) 16 of 2^22 draws; about one interval in four has a draw that does. Those draws
  // (only they) become maxval's neighbour below; a maxval not above minval, or not finite, is left.
  const hit = np.logicalAnd(np.greaterEqual(r, hi), np.logicalAnd(np.greater(hi, lo), np.isfinite(hi)));
  return np.where(hit, np.maximum(lo, below(hi, dt)), r);
}

/**
 * The largest float below finite normal x: x (1 - 2^-p) for x > 0, x + x (3/4) 2^(1-p) for x < 0 (p
 * the significand's bits; exact for every normal x, checked against numpy's nextafter on 4 * 10^6
 * values); a one-ulp step away from zero as well near 0, where x's steps are subnormal.
 */
function below(x: NDArray, dt: DType): NDArray {
  const p = dt === 'float32' ? 24 : 53;
  const tiny = dt === 'float32' ? 2 ** -149 : Number.MIN_VALUE;
  const down = np.where(np.greater(x, 0), np.multiply(x, 1 - 2 ** -p), np.add(x, np.multiply(x, 0.75 * 2 ** (1 - p))));
  return np.where(np.equal(down, x), np.subtract(x, tiny), down);
}

/**
 * Standard normal samples: sqrt(2) erfinv(u), u uniform on [nextafter(-1, 0), 1) (JAX's
 * _normal_real), through XLA's ErfInv32 (float32) or ErfInv64 (float64) polynomials.
 */
function normalEager(k: NDArray, shape: readonly number[] = [], options?: FloatOpts | DType): NDArray {
  checkKey('random.normal', k);
  const s = shapeArg('random.normal', shape); // (first, as uniform's)
  const o = readOptions<FloatOpts>('random.normal', options, { dtype: 'dtype' }, 'dtype');
  const dt = floatDtype('random.normal', o.dtype, ['float32', 'float64']);
  const n = s.reduce((a, b) => a * b, 1);
  const words = dt === 'float32' ? bits32(k, n) : bits64(k, n);
  return np.reshape(bind('random_float', [words], [DTYPE_CODE[dt], NORMAL]), s);
}

/** Gumbel samples: -log(-log(u)), u uniform on [tiny, 1) (JAX's gumbel). */
function gumbelEager(k: NDArray, shape: readonly number[] = [], options?: FloatOpts | DType): NDArray {
  checkKey('random.gumbel', k);
  const s = shapeArg('random.gumbel', shape); // (first, as uniform's)
  const o = readOptions<FloatOpts>('random.gumbel', options, { dtype: 'dtype' }, 'dtype');
  const dt = floatDtype('random.gumbel', o.dtype, ['float32', 'float64']);
  const tiny = dt === 'float32' ? 2 ** -126 : 2 ** -1022;
  // (u = tiny only for the all-zero draw, once in 2^23 float32 draws: -log(-log(tiny)) = -4.47 where
  // the next smallest of 2^22 draws was -2.68 (the true P(X < -4.47) is e^-87). That draw alone
  // takes u = 2^-24 (2^-53 in float64), the middle of the lowest interval of the other draws.)
  const u = np.maximum(uniform(k, s, { minval: tiny, maxval: 1, dtype: dt }), EPSNEG[dt]);
  return np.negative(np.log(np.negative(np.log(u))));
}

/** true with probability p (JAX: uniform < p), of `shape` (null or left out: p's shape, as JAX's None). */
function bernoulliEager(k: NDArray, p: ArrayInput = 0.5, shape?: readonly number[] | null): NDArray {
  checkKey('random.bernoulli', k);
  realParams('random.bernoulli', [['p', p]]);
  const pa = np.asarray(p);
  const s = shape === undefined || shape === null ? pa._shape.slice() : shapeArg('random.bernoulli', shape);
  paramsFit('random.bernoulli', s, [['p', pa._shape]]);
  return np.less(uniform(k, s, { dtype: pa.dtype === 'float64' ? 'float64' : 'float32' }), pa);
}

/** +1 or -1 with equal probability (JAX: 2 * bernoulli(key, 0.5) - 1); int32 unless told (JAX's default int). */
function rademacherEager(k: NDArray, shape: readonly number[] = [], options?: FloatOpts | DType): NDArray {
  checkKey('random.rademacher', k);
  const s = shapeArg('random.rademacher', shape); // (first, as uniform's)
  const o = readOptions<FloatOpts>('random.rademacher', options, { dtype: 'dtype' }, 'dtype');
  const dt = floatDtype('random.rademacher', o.dtype ?? 'int32', ['int32', 'float32', 'float64']);
  // (its shape read here: bernoulli would take a null one as p's shape, where JAX's rademacher refuses None)
  return np.subtract(np.multiply(2, np.astype(bernoulli(k, 0.5, s), dt)), 1);
}

/** Exponential samples: -log1p(-u) (JAX's exponential). */
function exponentialEager(k: NDArray, shape: readonly number[] = [], options?: FloatOpts | DType): NDArray {
  checkKey('random.exponential', k);
  const s = shapeArg('random.exponential', shape); // (first: exponential(key, 2.0, [3]), numpy's scale, was 'dtype must be a dtype name, got [3]')
  const o = readOptions<FloatOpts>('random.exponential', options, { dtype: 'dtype' }, 'dtype');
  const dt = floatDtype('random.exponential', o.dtype, ['float32', 'float64']);
  return np.negative(np.log1p(np.negative(uniform(k, s, { dtype: dt }))));
}

const EPSNEG = { float32: 2 ** -24, float64: 2 ** -53 } as Record<string, number>;
const TINY = { float32: 2 ** -126, float64: 2 ** -1022 } as Record<string, number>;

/** Laplace samples: sign(u) * log1p(-|u|), u uniform on (-1, 1) (JAX's laplace). */
function laplaceEager(k: NDArray, shape: readonly number[] = [], options?: FloatOpts | DType): NDArray {
  checkKey('random.laplace', k);
  const s = shapeArg('random.laplace', shape); // (first, as uniform's)
  const o = readOptions<FloatOpts>('random.laplace', options, { dtype: 'dtype' }, 'dtype');
  const dt = floatDtype('random.laplace', o.dtype, ['float32', 'float64']);
  const u = uniform(k, s, { minval: -1 + EPSNEG[dt], maxval: 1, dtype: dt });
  return np.multiply(np.sign(u), np.log1p(np.negative(np.abs(u))));
}

/** Logistic samples: log(u) - log1p(-u), u uniform on [tiny, 1) (JAX's _logistic). */
function logisticEager(k: NDArray, shape: readonly number[] = [], options?: FloatOpts | DType): NDArray {
  checkKey('random.logistic', k);
  const s = shapeArg('random.logistic', shape); // (first, as uniform's)
  const o = readOptions<FloatOpts>('random.logistic', options, { dtype: 'dtype' }, 'dtype');
  const dt = floatDtype('random.logistic', o.dtype, ['float32', 'float64']);
  // (the all-zero draw, u = tiny, gave log(tiny) = -87.3 in float32 (-708 in float64) once in 2^23
  // draws, the next smallest of 2^22 being -14.6: it alone takes u = 2^-24 (2^-53), as gumbel's)
  const u = np.maximum(uniform(k, s, { minval: TINY[dt], maxval: 1, dtype: dt }), EPSNEG[dt]);
  // (not log(u / (1 - u)): near u = 1/2 the quotient's rounding, 6e-8, is the log's absolute
  // error, up to 402 ulp of a draw near 0 in float32 and different bits from JAX's)
  return np.subtract(np.log(u), np.log1p(np.negative(u)));
}

/**
 * Standard normal samples truncated to (lower, upper) (JAX's truncated_normal): sqrt(2) *
 * erfinv(u) with u uniform between erf(lower / sqrt 2) and erf(upper / sqrt 2), clipped inside.
 */
function truncatedNormalEager(k: NDArray, lower: ArrayInput, upper: ArrayInput, shape?: readonly number[] | null, options?: FloatOpts | DType | null): NDArray {
  checkKey('random.truncatedNormal', k);
  const o = readOptions<FloatOpts>('random.truncatedNormal', options, { dtype: 'dtype' }, 'dtype');
  for (const [name, v] of [['lower', lower], ['upper', upper]] as const) {
    if (v === undefined || v === null) throw new ValueError(`random.truncatedNormal: ${name} is required (random.truncatedNormal(key, lower, upper, shape), as JAX's)`);
  }
  const dt = floatDtype('random.truncatedNormal', o.dtype ?? realParams('random.truncatedNormal', [['lower', lower], ['upper', upper]]), ['float32', 'float64']);
  const lo = np.astype(lower, dt), hi = np.astype(upper, dt);
  // (null or left out: the bounds' broadcast shape, as JAX's None)
  const s = shape === undefined || shape === null ? np.broadcastShapes('random.truncatedNormal', lo.shape, hi.shape) : shapeArg('random.truncatedNormal', shape);
  paramsFit('random.truncatedNormal', s, [['lower', lo._shape], ['upper', hi._shape]]);
  const a = np.erf(np.divide(lo, Math.SQRT2)), b = np.erf(np.divide(hi, Math.SQRT2));
  // u is kept inside (-1, 1): a = -1 (a lower bound of -inf, or below about -5.4 in float32) is
  // u's value for the all-zero draw, and u rounds up onto b = 1 (an upper bound of +inf) for the
  // top ~2^-23 / (1 - erf(lower / sqrt 2)) of draws; erfinv gave +-inf there, clamped to the
  // dtype's largest finite value (-3.4e38 once in 2^23 float32 draws of (-inf, inf); 12 of 10^6
  // draws of (3, inf) were 3.4e38). Only those draws change.
  const one = dt === 'float32' ? 1 - 2 ** -24 : 1 - 2 ** -53;
  const u = np.clip(uniform(k, s, { minval: a, maxval: b, dtype: dt }), -one, one);
  // JAX clamps to the open interval (nextafter(lower, inf), nextafter(upper, -inf)), bounds held
  // constant (stop_gradient): deep in a tail erf rounds u onto a bound (or erfinv to +-inf).
  // Concrete bounds step to their neighbours in JS; traced ones (under jit, or differentiated)
  // through lax.nextafter (they had stayed closed: a jitted draw could be the bound itself).
  const inner = (b: NDArray, dir: 1 | -1) => (b.isTracer ? nextafter(lax.stopGradient(b), lax.full([...b._shape], dir * Infinity, b.dtype)) : nextToward(b, dir));
  let x = np.multiply(Math.SQRT2, np.erfinv(u));
  // An interval wholly in one tail (lower > T or upper < -T) has erf of both bounds within
  // 1 - erf(T / sqrt 2) of +-1, where u keeps a few levels at most: (5, 6) in float32 gave 10
  // distinct values, (-inf, -8) in float32 one (every draw) and in float64 11 (KS p = 0 for all).
  // There the draw inverts the tail's CDF in log space instead (tailDraw), in float64.
  const T = dt === 'float32' ? 3 : 6;
  const lo64 = np.astype(lo, 'float64'), hi64 = np.astype(hi, 'float64');
  // (an empty interval, lower >= upper, keeps JAX's path: clipped onto upper's neighbour as before)
  const ordered = np.less(lo64, hi64);
  const right = np.logicalAnd(np.greater(lo64, T), ordered), left = np.logicalAnd(np.less(hi64, -T), ordered);
  // (concrete bounds are read in JS: under jit their comparisons would be traced)
  const concrete = !lo.isTracer && !hi.isTracer;
  // (their tail bounds, A: the path is computed, and its log erfc chosen, when some element may need it)
  const As = concrete ? [...Array.from(lo._values('random.truncatedNormal') as Float32Array | Float64Array).filter((v) => v > T),
    ...Array.from(hi._values('random.truncatedNormal') as Float32Array | Float64Array).filter((v) => v < -T).map((v) => -v)] : [];
  if (!concrete || As.length > 0) {
    // (the other elements get a harmless interval: no inf or NaN reaches a gradient through where)
    const A = np.where(right, lo64, np.where(left, np.negative(hi64), T + 1));
    const B = np.where(right, hi64, np.where(left, np.negative(lo64), Infinity));
    const f = np.astype(unitUniform(k, s, dt), 'float64');
    // JAX's u = a + f (b - a) rises with f from lower to upper; tailDraw's x rises with its uniform
    // from A, the bound nearer 0, so the left tail (x = -t) takes 1 - f (exact in float64) for the
    // draws to rise with f as JAX's do, either side of the switch. f = 0 would give 1 - f = 1, x =
    // lower = -inf when open: that draw takes half the lowest step, 1 - 2^-24 (2^-53), as gumbel's.
    const g = np.where(left, np.minimum(np.subtract(1, f), 1 - EPSNEG[dt]), f);
    // (tails from SERIES_FROM, about 29.7, take log erfc's asymptotic series: erfc underflows at x = 37.5)
    const far = !concrete || As.some((v) => v >= SERIES_FROM);
    const near = !concrete || As.some((v) => v < SERIES_FROM);
    const t = tailDraw(g, A, B, far ? (near ? 'both' : 'series') : 'direct');
    x = np.where(right, np.astype(t, dt), np.where(left, np.astype(np.negative(t), dt), x));
  }
  return np.clip(x, inner(lo, 1), inner(hi, -1));
}

type ErfcMode = 'direct' | 'series' | 'both';

/** Where log erfc(x / sqrt 2) leaves float64's erfc for its asymptotic series: x = 21 sqrt 2 (about 29.7). */
const SERIES_FROM = 21 * Math.SQRT2;

/**
 * Standard normal draws truncated to (A, B), 0 < A < B <= inf, from uniforms f in [0, 1): the x
 * with erfc(x / sqrt 2) = erfc(A / sqrt 2) (1 - f mass), mass = 1 - erfc(B / sqrt 2) / erfc(A / sqrt 2),
 * found by Newton's method on t(x) = log erfc(x / sqrt 2), which is concave: from the start
 * sqrt(A^2 + 2 D), D = -log(1 - f mass) = t(A) - t(x), right of the root, the steps fall
 * monotonically onto it. 'direct' for A below SERIES_FROM (float64's erfc), 'series' above it,
 * 'both' (traced or mixed bounds) each where it holds, the other given a harmless interval (no inf
 * or NaN reaches a gradient through where).
 */
function tailDraw(f: NDArray, A: NDArray, B: NDArray, mode: ErfcMode): NDArray {
  // (an infinite B enters as a finite stand-in selected away: its log erfc, -inf, had a NaN gradient)
  const open = np.equal(B, Infinity);
  const Bf = np.where(open, np.add(A, 1), B);
  if (mode === 'direct') return tailDirect(f, A, Bf, open);
  if (mode === 'series') return tailSeries(f, A, Bf, open);
  const small = np.less(A, SERIES_FROM);
  const direct = tailDirect(f, np.where(small, A, 20), np.where(small, Bf, 21), open);
  const series = tailSeries(f, np.where(small, 40, A), np.where(small, 41, Bf), open);
  return np.where(small, direct, series);
}

/** tailDraw below SERIES_FROM, on log erfc itself (there t(A) is above -450: its differences hold). */
function tailDirect(f: NDArray, A: NDArray, B: NDArray, open: NDArray): NDArray {
  const t = (x: NDArray) => np.log(np.erfc(np.divide(x, Math.SQRT2)));
  const LA = t(A);
  const mass = np.where(open, 1, np.negative(np.expm1(np.subtract(t(B), LA))));
  const D = np.negative(np.log1p(np.multiply(np.negative(f), mass))); // >= 0
  const logv = np.subtract(LA, D);
  let x = np.sqrt(np.add(np.multiply(A, A), np.multiply(2, D)));
  const c = Math.sqrt(2 / Math.PI);
  // (three steps reach 4.4e-16 relative over A in [3, 30], B in (A, inf], f up to 1 - 2^-52; one more for margin)
  for (let i = 0; i < 4; i++) {
    const tx = t(x);
    // x <- x - (t(x) - log v) / t'(x), t'(x) = -sqrt(2/pi) exp(-x^2/2 - t(x))
    const slope = np.multiply(c, np.exp(np.subtract(np.multiply(-0.5, np.multiply(x, x)), tx)));
    x = np.maximum(A, np.add(x, np.divide(np.subtract(tx, logv), slope)));
  }
  return x;
}

/**
 * tailDraw from SERIES_FROM up, in the excess e = x - A: t(x) is near -x^2 / 2, so t(x) - t(A)
 * taken as a difference lost everything (at A = 1e10 both are -5e19, an ulp 8192: the draw was NaN,
 * as for every A past about 1e9, float32's too). With erfc(z) = exp(-z^2) / (z sqrt pi) (1 + s),
 * s = -r + 3 r^2 - 15 r^3 + 105 r^4 - 945 r^5, r = 1 / x^2 (its first omitted term below 2e-14 here):
 * t(A + e) - t(A) = -e (A + e / 2) - log1p(e / A) + log1p(s(A + e)) - log1p(s(A)), and
 * t'(x) = -x / (1 + s(x)), both without cancellation or overflow up to float64's largest A.
 */
function tailSeries(f: NDArray, A: NDArray, B: NDArray, open: NDArray): NDArray {
  const s = (x: NDArray) => {
    const r = np.reciprocal(np.multiply(x, x));
    let p = np.multiply(r, -945);
    for (const c of [105, -15, 3, -1]) p = np.multiply(r, np.add(c, p));
    return p;
  };
  const lsA = np.log1p(s(A));
  const delta = (e: NDArray, se: NDArray) => np.add(np.negative(np.add(np.multiply(e, np.add(A, np.multiply(e, 0.5))), np.log1p(np.divide(e, A)))),
    np.subtract(np.log1p(se), lsA));
  const mass = np.where(open, 1, np.negative(np.expm1(delta(np.subtract(B, A), s(B)))));
  const D = np.negative(np.log1p(np.multiply(np.negative(f), mass))); // >= 0
  // e0 = sqrt(A^2 + 2 D) - A, as (2 D / A) / (1 + sqrt(1 + 2 D / A^2)): no A^2 to overflow
  const q = np.divide(np.multiply(2, D), A);
  let e = np.divide(q, np.add(1, np.sqrt(np.add(1, np.divide(q, A)))));
  for (let i = 0; i < 4; i++) {
    const x = np.add(A, e), sx = s(x);
    const h = np.add(delta(e, sx), D); // t(x) - log v
    e = np.maximum(0, np.add(e, np.divide(np.multiply(h, np.add(1, sx)), x))); // e - h / t'(x)
  }
  return np.add(A, e);
}

/** Each value of concrete float `b` moved one representable step up (dir 1) or down (-1), as nextafter toward +-inf. */
function nextToward(b: NDArray, dir: 1 | -1): NDArray {
  const v = b._values('random.truncatedNormal') as Float32Array | Float64Array;
  const out = v.slice();
  const wide = out instanceof Float64Array;
  const bits = wide ? new BigInt64Array(out.buffer) : new Int32Array(out.buffer);
  for (let i = 0; i < out.length; i++) {
    const x = out[i];
    if (Number.isNaN(x) || x === dir * Infinity) continue;
    if (x === 0) { out[i] = dir * (wide ? Number.MIN_VALUE : 2 ** -149); continue; }
    // the bit pattern of a float is monotone in its magnitude: one step away from or toward 0
    const away = (x > 0) === (dir > 0);
    if (wide) (bits as BigInt64Array)[i] += away ? 1n : -1n; else (bits as Int32Array)[i] += away ? 1 : -1;
  }
  return new NDArray(b._shape, b.dtype, out);
}

type CategoricalOpts = { axis?: number; shape?: readonly number[]; replace?: boolean };
/**
 * Samples from categorical distributions given unnormalized log-probabilities (argmax of gumbel +
 * logits, as JAX; without replacement the top k of gumbel + logits along the axis, JAX's
 * replace=False). Options as an object, or positionally in JAX's order: categorical(key, logits,
 * axis, shape, replace).
 */
function categoricalEager(k: NDArray, logits: ArrayInput, axis?: CategoricalOpts | number | null, shape?: readonly number[] | null, replace?: boolean | null): NDArray {
  checkKey('random.categorical', k);
  const o = readTrailing<CategoricalOpts>('random.categorical', [axis, shape, replace], ['axis', 'shape', 'replace'],
    { axis: 'axis', shape: 'shape', replace: 'boolean' });
  realParams('random.categorical', [['logits', logits]]);
  const l = np.asarray(logits);
  if (l.ndim === 0) throw new ValueError('random.categorical: logits must have at least one axis');
  // one integer (JAX's axis: int): null, positional or in the object, was read as -1; a list is refused
  const ax0 = intAxis('random.categorical', axis === null ? null : o.axis, -1);
  const ax = ax0 < 0 ? ax0 + l.ndim : ax0;
  if (!Number.isInteger(ax) || ax < 0 || ax >= l.ndim) throw new AxisError(`random.categorical: axis ${show(o.axis)} is out of bounds for logits of shape [${l.shape}]`);
  // (JAX's argmax refuses an empty axis too; its message named argmax, not the logits)
  if (l.shape[ax] === 0) throw new ValueError(`random.categorical: logits have no categories along axis ${ax0} (${describe(l.shape, l.dtype)}); there is nothing to draw from`);
  const batch = l.shape.filter((_, i) => i !== ax);
  const s = o.shape === undefined ? batch : shapeArg('random.categorical', o.shape);
  paramsFit('random.categorical', s, [['logits\' batch (logits without the axis)', batch]]);
  const dt = l.dtype === 'float64' ? 'float64' : 'float32';
  if (o.replace === false) {
    // JAX: gumbel noise of logits' shape, then the top k = prod(shape's prefix) along the axis,
    // the k draws leading, reshaped to `shape`
    const nDraws = s.slice(0, s.length - batch.length).reduce((p, q) => p * q, 1);
    if (nDraws > l.shape[ax]) {
      throw new ValueError(`random.categorical: number of samples without replacement (${nDraws}) cannot exceed the number of categories (${l.shape[ax]})`);
    }
    const scores = np.moveaxis(np.add(gumbel(k, l.shape, { dtype: dt }), l), ax, -1);
    const indices = np.index(np.argsort(scores, { axis: -1, descending: true }), '...', `0:${nDraws}`);
    return np.reshape(np.moveaxis(indices, -1, 0), s);
  }
  // JAX draws gumbel noise of shape s with the category axis inserted at `axis`.
  const noiseShape = [...s.slice(0, s.length - batch.length + ax), l.shape[ax], ...s.slice(s.length - batch.length + ax)];
  const g = gumbel(k, noiseShape, { dtype: dt });
  return np.argmax(np.add(g, l), { axis: ax + (s.length - batch.length) });
}

/**
 * Multivariate normal samples: mean + F z, z standard normal, F a factor of cov (F F^T = cov), as
 * JAX's `method`: 'cholesky' (the default), 'eigh' (V sqrt(w)) or 'svd' (U sqrt(s)). The last two
 * take a singular covariance (the Cholesky factor of [[1, 1], [1, 1]] is NaN); eigenvalues
 * rounded below 0 count as 0 (JAX's sqrt gives NaN there).
 */
function multivariateNormalEager(k: NDArray, mean: ArrayInput, cov: ArrayInput, shape?: readonly number[] | null, dtype?: FloatOpts | DType | null,
  method?: 'cholesky' | 'eigh' | 'svd' | null): NDArray {
  checkKey('random.multivariateNormal', k);
  // (JAX's order: multivariate_normal(key, mean, cov, shape, dtype, method))
  const o = readTrailing<FloatOpts & { method?: 'cholesky' | 'eigh' | 'svd' }>('random.multivariateNormal', [dtype, method], ['dtype', 'method'],
    { dtype: 'dtype', method: 'any' });
  const how = o.method ?? 'cholesky';
  if (how !== 'cholesky' && how !== 'eigh' && how !== 'svd') {
    throw new ValueError(`random.multivariateNormal: method must be 'cholesky', 'eigh' or 'svd', got ${show(how)}`);
  }
  realParams('random.multivariateNormal', [['mean', mean], ['cov', cov]]);
  // JAX's: mean and cov promoted together, the draw and the factor in that dtype (float64 inputs
  // were factored in float32: a covariance fine in float64 gave NaN under a float64 label)
  const joined = o.dtype ?? (np.asarray(mean).dtype === 'float64' || np.asarray(cov).dtype === 'float64' ? 'float64' : 'float32');
  const dt = floatDtype('random.multivariateNormal', joined, ['float32', 'float64']);
  const m = np.astype(mean, dt), c = np.astype(cov, dt);
  if (m.ndim < 1 || c.ndim < 2) throw new ShapeError(`random.multivariateNormal: mean must be [..., n] and cov [..., n, n], got ${describe(m.shape, m.dtype)} and ${describe(c.shape, c.dtype)}`);
  const n = m.shape[m.ndim - 1];
  // (JAX's check: cov.shape == (..., n, n); a mismatch was einsum's 'label j has sizes 2 and 3')
  if (c.shape[c.ndim - 1] !== n || c.shape[c.ndim - 2] !== n) {
    throw new ShapeError(`random.multivariateNormal: cov must be [..., n, n] for n = ${n}, mean's last axis; got mean ${describe(m.shape, m.dtype)} and cov ${describe(c.shape, c.dtype)}`);
  }
  const s = shape === undefined || shape === null ? np.broadcastShapes('random.multivariateNormal', m.shape.slice(0, -1), c.shape.slice(0, -2))
    : shapeArg('random.multivariateNormal', shape);
  paramsFit('random.multivariateNormal', s, [['mean\'s batch', m._shape.slice(0, -1)], ['cov\'s batch', c._shape.slice(0, -2)]]);
  const z = normal(k, [...s, n], { dtype: dt });
  let F: NDArray;
  if (how === 'cholesky') F = linalgCholesky(c);
  else {
    const [w, V] = how === 'eigh' ? linalgEigh(c) : (([U, S]) => [S, U])(linalgSvd(c));
    F = np.multiply(V, np.expandDims(np.sqrt(np.maximum(w, 0)), -2));
  }
  return np.add(m, np.einsum('...ij,...j->...i', F, z));
}

// ---------------------------------------------------------------- integers, permutations, choice

const INT_MAX = 2 ** 31 - 1;
type IntOpts = { dtype?: DType };

/** A randint bound as JAX reads it: a JS number is an int32 (64-bit types off), float arrays truncate. */
function intBound(where: string, name: string, v: ArrayInput): NDArray {
  if (v === undefined) throw new ValueError(`${where}: ${name} is required (random.randint(key, shape, minval, maxval), as JAX's)`);
  if (typeof v === 'number') {
    const t = Math.trunc(v);
    if (!Number.isFinite(v) || t < -(2 ** 31) || t > INT_MAX) throw new ValueError(`${where}: ${name} ${show(v)} does not fit int32 (JAX with 64-bit types off raises OverflowError)`);
    return new NDArray([], 'int32', new Int32Array([t]));
  }
  const a = np.asarray(v);
  if (a.dtype === 'int32' || a.dtype === 'uint32') return a;
  if (!(v instanceof NDArray)) {
    // A JS list is read as its numbers are, exactly and checked: through np.asarray's float32,
    // randint(key, [5], [100000001], [100000003]) drew 100000000 (outside the range) and a 3e9
    // entry was clamped to 2^31 - 1 where the number 3e9 is refused.
    const w = np.astype(v, 'float64');
    for (const x of w._values(where) as Float64Array) {
      const t = Math.trunc(x);
      if (!Number.isFinite(x) || t < -(2 ** 31) || t > INT_MAX) throw new ValueError(`${where}: ${name} holds ${show(x)}, which does not fit int32 (JAX with 64-bit types off raises OverflowError)`);
    }
    return np.astype(w, 'int32');
  }
  return np.astype(a, 'int32');
}

/** JAX's _convert_and_clip_integer between int32 and uint32: clip to the common range [0, 2^31). */
function convertClip(a: NDArray, dt: DType): NDArray {
  return a.dtype === dt ? a : np.astype(np.clip(a, 0, INT_MAX), dt);
}

/**
 * Uniform integers in [minval, maxval) (JAX's randint): two 32-bit draws from split keys combined
 * as (hi mod span) * (2^32 mod span) + lo mod span, mod span, with JAX's wrapping uint32 steps
 * (so its small bias when span is not a power of 2); maxval <= minval gives minval.
 */
function randintEager(k: NDArray, shape: readonly number[], minval: ArrayInput, maxval: ArrayInput, options?: IntOpts | DType): NDArray {
  const where = 'random.randint';
  checkKey(where, k);
  const o = readOptions<IntOpts>(where, options, { dtype: 'dtype' }, 'dtype');
  const s = shapeArg(where, shape);
  const dt = o.dtype ?? 'int32';
  if (dt !== 'int32' && dt !== 'uint32') throw new DTypeError(`${where}: dtype must be int32 or uint32, got ${dt}`);
  const lo0 = intBound(where, 'minval', minval), hi0 = intBound(where, 'maxval', maxval);
  // maxval above the dtype's max (a uint32 maxval for an int32 draw): the span grows by one.
  const outOfRange = dt === 'int32' && hi0.dtype === 'uint32' ? np.greater(hi0, INT_MAX) : np.zerosLike(hi0, 'bool');
  const b = (x: NDArray) => np.broadcastTo(x, s);
  const minv = b(convertClip(lo0, dt)), maxv = b(convertClip(hi0, dt)), oor = b(outOfRange);
  const n = s.reduce((p, q) => p * q, 1);
  const [k1, k2] = split2(k);
  const higher = np.reshape(bits32(k1, n), s), lower = np.reshape(bits32(k2, n), s);
  let span: NDArray = np.astype(np.subtract(maxv, minv), 'uint32');
  span = np.where(np.lessEqual(maxv, minv), 1, span);
  span = np.where(np.logicalAnd(oor, np.greater(maxv, minv)), np.add(span, 1), span);
  // (hi 2^32 + lo) mod span, JAX's intent, computed exactly. JAX's uint32 steps, (hi mod span)
  // (2^32 mod span) + lo mod span with 2^32 mod span as (2^16 mod span)^2 mod span, wrap that square
  // to 0 once span passes 2^16, leaving lo mod span alone: randint(key, [n], 0, 1e9) drew [0,
  // 294967296) 25% more often than the rest, randint(-2^31, 2^30) its lowest third half the time.
  // Here in float64, whose products of numbers below 2^32 and 2^16 are exact, with 2^32 mod span
  // split in 16-bit halves. Spans up to 2^16 and powers of 2 draw JAX's values (no wrap changes
  // them); wider spans differ from JAX's, which are biased.
  const f = (x: NDArray) => np.astype(x, 'float64');
  const sp = np.where(np.equal(span, 0), 2 ** 32, f(span)); // (an out-of-range span of 2^32 wrapped to 0)
  const mod = (x: NDArray) => lax.rem(x, sp);
  const m = mod(np.full(s, 2 ** 32, { dtype: 'float64' }));
  const mHi = np.floor(np.divide(m, 65536)), mLo = np.subtract(m, np.multiply(mHi, 65536));
  const a = mod(f(higher));
  const am = mod(np.add(np.multiply(mod(np.multiply(a, mHi)), 65536), np.multiply(a, mLo))); // a m mod span
  const offset = np.astype(mod(np.add(am, mod(f(lower)))), 'uint32');
  return np.add(minv, np.astype(offset, dt));
}

/** int32 0..n-1 (jnp.arange of an int). */
function arangeInt(n: number): NDArray {
  return new NDArray([n], 'int32', Int32Array.from({ length: n }, (_, i) => i));
}

/**
 * JAX's _shuffle: ceil(3 ln(size) / ln(2^32 - 1)) rounds, each a stable sort of x along `axis` by
 * fresh 32-bit keys (one round below 1626 elements). JAX's lax.sort_key_val is not required to be
 * stable; ties between 32-bit keys are the only place the two could differ.
 */
function shuffle(k: NDArray, x: NDArray, axis: number): NDArray {
  const rounds = Math.ceil(3 * Math.log(Math.max(1, x.size)) / Math.log(2 ** 32 - 1));
  let key = k, v = x;
  for (let r = 0; r < rounds; r++) {
    const [next, sub] = split2(key);
    key = next;
    const sortKeys = np.reshape(bits32(sub, v.size), v.shape); // uint32 keys
    v = takeAlongPermutation(v, np.argsort(sortKeys, { axis }), axis);
  }
  return v;
}

/** An axis given for an integer x (JAX's arange(x): one axis) must name that axis (0 or -1). */
function oneDimAxis(where: string, axis: number | undefined): void {
  if (axis !== undefined && axis !== 0 && axis !== -1) throw new AxisError(`${where}: axis ${show(axis)} is out of bounds for an integer x (arange(x) has one axis: 0 or -1)`);
}

export interface PermutationOptions { axis?: number; independent?: boolean }

/**
 * A random permutation of arange(x) (x an integer) or of x's slices along `axis` (JAX's
 * permutation; `independent` shuffles every 1-d slice on its own). Options as an object, or
 * positionally in JAX's order: permutation(key, x, axis, independent).
 */
function permutationEager(k: NDArray, x: ArrayInput, axis?: PermutationOptions | number | null, independent?: boolean | null): NDArray {
  const where = 'random.permutation';
  checkKey(where, k);
  const o = readTrailing<PermutationOptions>(where, [axis, independent], ['axis', 'independent'], { axis: 'axis', independent: 'boolean' });
  // one integer (JAX's axis: int): null, positional or in the object, was read as 0; a list is refused
  const ax0 = intAxis(where, axis === null ? null : o.axis, 0);
  const a = typeof x === 'number' ? null : np.asarray(x);
  if (a === null || a.ndim === 0) {
    const v = a === null ? x as number : (a.dtype === 'int32' || a.dtype === 'uint32' ? Number(a.item()) : NaN);
    if (!Number.isInteger(v) || v < 0) throw new ValueError(`${where}: x must be a non-negative integer or an array of at least 1 dim, got ${show(x)}`);
    // (its sort rounds hold several n-word arrays at once: past 2^27 they exceed wasm32's 4 GiB)
    if (v > 2 ** 27) throw new OutOfMemoryError(`${where}: a permutation of ${v} elements needs more memory than wasm32's 4 GiB (at most 2^27)`);
    oneDimAxis(where, o.axis);
    return shuffle(k, arangeInt(v), 0);
  }
  if (!Number.isInteger(ax0) || ax0 < -a.ndim || ax0 >= a.ndim) throw new ValueError(`${where}: axis ${show(ax0)} is out of bounds for ${describe(a.shape, a.dtype)}`);
  const ax = ax0 < 0 ? ax0 + a.ndim : ax0;
  if (o.independent || a.ndim === 1) return shuffle(k, a, ax);
  return np.take(a, shuffle(k, arangeInt(a.shape[ax]), 0), { axis: ax, mode: 'clip' });
}

export interface ChoiceOptions { replace?: boolean; p?: ArrayInput; axis?: number }

/**
 * Samples from a (an integer n: arange(n)) along `axis` (JAX's choice): with replacement
 * randint (no p) or inverse-CDF search (p); without, the first draws of a permutation (no p) or
 * the top k of gumbel + log p (JAX's Gumbel top-k).
 */
function choiceEager(k: NDArray, a: ArrayInput, shape: readonly number[] = [], replace?: ChoiceOptions | boolean | null, p?: ArrayInput | null, axis?: number | null): NDArray {
  const where = 'random.choice';
  checkKey(where, k);
  // (JAX's order: choice(key, a, shape, replace, p, axis))
  const o = readTrailing<ChoiceOptions>(where, [replace, p, axis], ['replace', 'p', 'axis'], { replace: 'boolean', p: 'any', axis: 'axis' });
  // one integer (JAX's axis: int): null, positional, in the object or as a keyword, was read as 0; a list is refused
  const ax0 = intAxis(where, axis === null ? null : o.axis, 0);
  const s = shapeArg(where, shape);
  const arr = typeof a === 'number' ? null : np.asarray(a);
  const scalar = arr === null || arr.ndim === 0;
  let nInputs: number, ax = 0;
  if (scalar) {
    nInputs = arr === null ? a as number : Number(arr.item());
    if (!Number.isInteger(nInputs)) throw new ValueError(`${where}: a must be an integer or an array, got ${show(a)}`);
    oneDimAxis(where, o.axis);
  } else {
    if (!Number.isInteger(ax0) || ax0 < -arr!.ndim || ax0 >= arr!.ndim) throw new ValueError(`${where}: axis ${show(ax0)} is out of bounds for ${describe(arr!.shape, arr!.dtype)}`);
    ax = ax0 < 0 ? ax0 + arr!.ndim : ax0;
    nInputs = arr!.shape[ax];
  }
  const nDraws = s.reduce((p, q) => p * q, 1);
  const outShape = scalar ? s : [...arr!.shape.slice(0, ax), ...s, ...arr!.shape.slice(ax + 1)];
  if (nDraws === 0) return np.zeros(outShape, { dtype: scalar ? 'int32' : arr!.dtype });
  if (nInputs <= 0) throw new ValueError(`${where}: a must be greater than 0 unless no samples are taken`);
  const withReplacement = o.replace ?? true;
  if (!withReplacement && nDraws > nInputs) throw new ValueError(`${where}: cannot take a larger sample (size ${nDraws}) than population (size ${nInputs}) when replace is false`);
  let ind: NDArray;
  if (o.p === undefined) {
    if (withReplacement) ind = randint(k, s, 0, nInputs);
    else {
      const perm = permutation(k, scalar ? nInputs : arr!, { axis: ax });
      const first = np.slice(perm, perm.shape.map(() => 0), perm.shape.map((_, i) => (i === ax ? nDraws : null)));
      return np.reshape(first, outShape);
    }
  } else {
    realParams(where, [['p', o.p]]);
    let pa = np.asarray(o.p);
    if (pa.dtype !== 'float32' && pa.dtype !== 'float64') pa = np.astype(pa, 'float32');
    if (pa.ndim !== 1 || pa.shape[0] !== nInputs) throw new ValueError(`${where}: p must be a 1-d vector of size ${nInputs} (a's size along axis), got ${describe(pa.shape, pa.dtype)}`);
    if (withReplacement) {
      const cdf = np.cumsum(pa);
      const total = np.reshape(lax.split(cdf, [nInputs - 1, 1], 0)[1], []);
      const r = np.multiply(total, np.subtract(1, uniform(k, s, { dtype: pa.dtype })));
      ind = np.searchsorted(cdf, r);
    } else {
      const g = np.add(gumbel(k, [nInputs], { dtype: pa.dtype }), np.log(pa));
      ind = np.index(np.argsort(g, { axis: 0, descending: true }), `0:${nDraws}`);
      ind = np.reshape(ind, s);
    }
  }
  if (scalar) return np.reshape(ind, s);
  return np.reshape(np.take(arr!, ind, { axis: ax, mode: 'clip' }), outShape);
}

/**
 * A sampler run as one traced call: its intermediates (the raw bits, the unit floats before a
 * reshape or a scaling) are rows of the call's tape, freed with it, and only the result becomes
 * a concrete (resident) Array. Run op by op, each 4 MiB intermediate of a 1M draw was a resident
 * block that nothing could read again, copied out to JS memory when evicted: two copies per call,
 * and enough eviction to grow the resident budget of a loop that reuses nothing.
 */
/** @internal (random_more.ts shares it; hidden from the namespace by api/index.ts) */
export function sampler<F extends (...args: any[]) => NDArray>(f: F, keywords: readonly string[] = []): F {
  const name = `random.${f.name.replace(/Eager$/, '')}`;
  const g = arityChecked(name, f); // (extra arguments refused: see arity.ts)
  return ((...args: unknown[]) => scope(() => g(...keywordsAsPositions(name, args, keywords)), (out) => materialize(out, name))) as F;
}

/**
 * JAX's keyword arguments as one options object in the place of the shape or of a parameter
 * before it: `normal(key, { shape: [3], dtype: 'float64' })`, `choice(key, 5, { shape: [2],
 * replace: false })`, `bernoulli(key, { p: 0.3, shape: [3] })`. They are spread into the
 * positional parameters `names` (those after the key), which each sampler reads as it reads
 * positional arguments; an options object after the shape is the sampler's own to read. (Such an
 * object was a ShapeError: "shape must be a list".)
 */
/** @internal (random_more.ts shares it; hidden from the namespace by api/index.ts) */
export function keywordsAsPositions(where: string, args: unknown[], names: readonly string[]): unknown[] {
  const last = names.indexOf('shape') + 1; // the shape's position in args
  for (let i = 1; i <= last && i < args.length; i++) {
    const o = args[i];
    if (!isPlainObject(o) || isComplexLiteral(o)) continue;
    const rest = names.slice(i - 1);
    const after = args.slice(i + 1).find((v) => v !== undefined);
    if (after !== undefined) throw objectThenMore(where, rest, after);
    const unknown = Object.keys(o).filter((k) => !rest.includes(k));
    if (unknown.length > 0) {
      throw new ValueError(`${where}: unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')} ` +
        `in the options object at argument ${i}; it takes ${rest.join(', ')}`);
    }
    const spread = [...args.slice(0, i), ...rest.map((k) => o[k])];
    while (spread.length > i && spread[spread.length - 1] === undefined) spread.pop();
    return spread;
  }
  return args;
}
const FLOAT_KEYWORDS = ['shape', 'dtype'];
/** The keyword forms' types (overloads beside each sampler's positional one). */
type Shaped = { shape?: readonly number[] };
type FloatSampler = typeof normalEager & ((k: NDArray, options: Shaped & FloatOpts) => NDArray);
export const bits = sampler(bitsEager, FLOAT_KEYWORDS) as typeof bitsEager & ((k: NDArray, options: Shaped & { dtype?: 'uint32' }) => NDArray);
export const uniform = sampler(uniformEager, ['shape', 'dtype', 'minval', 'maxval']) as typeof uniformEager & ((k: NDArray, options: Shaped & UniformOpts) => NDArray);
export const normal = sampler(normalEager, FLOAT_KEYWORDS) as FloatSampler;
export const gumbel = sampler(gumbelEager, FLOAT_KEYWORDS) as FloatSampler;
export const bernoulli = sampler(bernoulliEager, ['p', 'shape']) as typeof bernoulliEager
  & ((k: NDArray, options: Shaped & { p?: ArrayInput }) => NDArray) & ((k: NDArray, p: ArrayInput, options: Shaped) => NDArray);
export const rademacher = sampler(rademacherEager, FLOAT_KEYWORDS) as FloatSampler;
export const exponential = sampler(exponentialEager, FLOAT_KEYWORDS) as FloatSampler;
export const laplace = sampler(laplaceEager, FLOAT_KEYWORDS) as FloatSampler;
export const logistic = sampler(logisticEager, FLOAT_KEYWORDS) as FloatSampler;
export const truncatedNormal = sampler(truncatedNormalEager, ['lower', 'upper', 'shape', 'dtype']) as typeof truncatedNormalEager
  & ((k: NDArray, lower: ArrayInput, upper: ArrayInput, options: Shaped & FloatOpts) => NDArray);
export const categorical = sampler(categoricalEager);
export const multivariateNormal = sampler(multivariateNormalEager, ['mean', 'cov', 'shape', 'dtype', 'method']) as typeof multivariateNormalEager
  & ((k: NDArray, mean: ArrayInput, cov: ArrayInput, options: Shaped & FloatOpts & { method?: 'cholesky' | 'eigh' | 'svd' }) => NDArray);
export const randint = sampler(randintEager, ['shape', 'minval', 'maxval', 'dtype']) as typeof randintEager
  & ((k: NDArray, options: { shape: readonly number[]; minval: ArrayInput; maxval: ArrayInput } & IntOpts) => NDArray);
export const permutation = sampler(permutationEager);
export const choice = sampler(choiceEager, ['a', 'shape', 'replace', 'p', 'axis']) as typeof choiceEager
  & ((k: NDArray, a: ArrayInput, options: Shaped & ChoiceOptions) => NDArray);
