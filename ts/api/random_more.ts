// More of jax.random's samplers, each composed from the threefry draws of random.ts as JAX
// composes it (jax/_src/random/core.py at cec06d1: the same keys, uniform bounds and
// transformation), gamma and its family (JAX's Marsaglia-Tsang rejection loop, lax.whileLoop
// under vmap), and "not offered" hints for JAX's samplers not built yet.
//
// Parameters follow JAX with 64-bit types on, where float64 arrays exist: they are cast to the
// draw's dtype, float32 by default or float64 when a parameter is a float64 Array or
// { dtype: 'float64' } is asked; a float64 parameter for a float32 draw is a DTypeError (JAX's
// _check_all_safe_to_cast), except for gamma, loggamma and dirichlet, which JAX casts unchecked.
// A null or omitted shape is the parameters' broadcast shape (JAX's None);
// parameters must broadcast to an explicit shape (JAX's _check_shape), where weibull_min's and
// double_sided_maxwell's JAX repeat one draw along the parameters' extra axes (see each).
//
// checkKey, shapeArg, paramsFit and sampler are random.ts's (exported there, hidden from the
// namespace by api/index.ts).
import { NDArray, ArrayInput, isComplexLiteral } from './array.js';
import * as np from './numpy.js';
import { DType } from '../core/dtype.js';
import { DTypeError, NotImplementedError, ValueError, describe } from '../core/errors.js';
import { readOptions, readTrailing, show } from './options.js';
import { qr as linalgQr, diagonal as linalgDiagonal } from './linalg.js';
import { normal, uniform, rademacher, exponential, split, checkKey, shapeArg, paramsFit, sampler } from './random.js';
import { whileLoop } from './lax_control.js';
import { vmap } from './transforms/vmap.js';
import { customJvp } from './custom.js';
import { runOneShot } from './np_shared.js';
import { inTrace } from '../core/trace.js';
import * as lax from './lax.js';

type FloatOpts = { dtype?: DType };
type Shaped = { shape?: readonly number[] | null };

function floatDtype(where: string, dtype: DType | undefined, fallback: DType = 'float32'): DType {
  const dt = dtype ?? fallback;
  if (dt !== 'float32' && dt !== 'float64') throw new DTypeError(`${where}: dtype must be float32 or float64, got ${dt}`);
  return dt;
}

/**
 * The parameters of a draw as JAX reads them: cast to the dtype (float64 by default when one is a
 * float64 Array, a DTypeError when such one is asked into float32: JAX's _check_all_safe_to_cast),
 * and the draw's shape (null or left out: their broadcast shape, JAX's shape=None). safeCast
 * false: a float64 parameter is cast to a float32 draw unchecked (JAX's gamma, loggamma, dirichlet).
 */
function readParams(where: string, given: [string, ArrayInput | undefined][], shape: unknown, dtype: DType | undefined, safeCast = true): { dt: DType; ps: NDArray[]; s: number[] } {
  const raw = given.map(([name, v]) => {
    if (v === undefined || v === null) throw new ValueError(`${where}: ${name} is required`);
    if (isComplexLiteral(v)) throw new DTypeError(`${where}: ${name} must be real, got the complex number ${show(v)}`);
    const a = np.asarray(v);
    if (a.dtype === 'complex64' || a.dtype === 'complex128') throw new DTypeError(`${where}: ${name} must be real, got ${describe(a._shape, a.dtype)}`);
    return a;
  });
  const wide = raw.some((a) => a.dtype === 'float64');
  const dt = floatDtype(where, dtype, wide ? 'float64' : 'float32');
  raw.forEach((a, i) => {
    if (safeCast && dt === 'float32' && a.dtype === 'float64') {
      throw new DTypeError(`${where}: ${given[i][0]} is float64 but the draw's dtype is float32 (JAX: cannot safely cast float64 to float32); leave dtype out or ask for float64`);
    }
  });
  // (a JS number or list straight into the draw's dtype: through np.asarray's float32 first,
  // rayleigh(key, 0.1, [3], 'float64') drew with scale 0.10000000149, 1.5e-8 off every draw)
  const ps = raw.map((a, i) => np.astype(given[i][1] instanceof NDArray ? a : given[i][1] as ArrayInput, dt));
  let s: number[];
  if (shape === undefined || shape === null) s = np.broadcastShapes(where, ...ps.map((p) => p._shape));
  else {
    s = shapeArg(where, shape);
    paramsFit(where, s, given.map(([name], i) => [name, ps[i]._shape]));
  }
  return { dt, ps, s };
}

const EPS = { float32: 2 ** -23, float64: 2 ** -52 } as Record<string, number>;
const EPSNEG = { float32: 2 ** -24, float64: 2 ** -53 } as Record<string, number>;
const dtypeOf = (where: string, options: unknown) => readOptions<FloatOpts>(where, options, { dtype: 'dtype' }, 'dtype').dtype;

// ------------------------------------------------------------------ samplers without parameters

/** Standard Cauchy samples: tan(pi (u - 1/2)), u uniform on [eps, 1) (JAX's _cauchy). */
function cauchyEager(k: NDArray, shape: readonly number[] = [], options?: FloatOpts | DType | null): NDArray {
  const where = 'random.cauchy';
  checkKey(where, k);
  const s = shapeArg(where, shape); // (first: cauchy(key, 0, [2]), numpy's order, was 'dtype must be a dtype name, got [2]')
  const dt = floatDtype(where, dtypeOf(where, options));
  const u = uniform(k, s, { minval: EPS[dt], maxval: 1, dtype: dt });
  return np.tan(np.multiply(Math.PI, np.subtract(u, 0.5)));
}

/** One-sided Maxwell samples: the norm of 3 standard normals, normal(key, [...shape, 3]) (JAX's _maxwell). */
function maxwellEager(k: NDArray, shape: readonly number[] = [], options?: FloatOpts | DType | null): NDArray {
  const where = 'random.maxwell';
  checkKey(where, k);
  const s = shapeArg(where, shape); // (first, as cauchy's)
  const dt = floatDtype(where, dtypeOf(where, options));
  const z = normal(k, [...s, 3], { dtype: dt });
  return np.sqrt(np.sum(np.multiply(z, z), { axis: -1 })); // jnp.linalg.norm(z, axis=-1)
}

/**
 * A random orthogonal n x m matrix (semi-orthogonal when n != m; m defaults to n), batched by
 * `shape`: Q of qr(normal(key, [...shape, max(n, m), min(n, m)])) times sign(diag R) by column,
 * transposed when n < m (JAX's _orthogonal). float32/float64 (JAX's complex unitary draws are not offered).
 */
function orthogonalEager(k: NDArray, n: number, shape: readonly number[] = [], dtype?: (FloatOpts & { m?: number }) | DType | null, m?: number | null): NDArray {
  const where = 'random.orthogonal';
  checkKey(where, k);
  const o = readTrailing<FloatOpts & { m?: number }>(where, [dtype, m], ['dtype', 'm'], { dtype: 'dtype', m: 'any' });
  const dt = floatDtype(where, o.dtype);
  const mm = o.m ?? n;
  for (const [name, v] of [['n', n], ['m', mm]] as const) {
    if (!Number.isInteger(v) || (v as number) < 1) throw new ValueError(`${where}: ${name} must be a positive integer (a static size, as JAX's), got ${show(v)}`);
  }
  const s = shapeArg(where, shape);
  const z = normal(k, [...s, Math.max(n, mm), Math.min(n, mm)], { dtype: dt });
  const [q, r] = linalgQr(z);
  const x = np.multiply(q, np.expandDims(np.sign(linalgDiagonal(r)), -2));
  return n < mm ? np.swapaxes(x, -1, -2) : x;
}

// ------------------------------------------------------------------ samplers with parameters

/** Lognormal samples: exp(sigma z), z standard normal (JAX's _lognormal); sigma defaults to 1. */
function lognormalEager(k: NDArray, sigma: ArrayInput = 1, shape?: readonly number[] | null, options?: FloatOpts | DType | null): NDArray {
  const where = 'random.lognormal';
  checkKey(where, k);
  const { dt, ps: [sg], s } = readParams(where, [['sigma', sigma]], shape, dtypeOf(where, options));
  return np.exp(np.multiply(normal(k, s, { dtype: dt }), sg));
}

/**
 * Rayleigh samples: scale sqrt(-2 log u), u uniform on [0, 1) (JAX's _rayleigh). The all-zero draw
 * (u = 0, once in 2^23 float32 draws) is inf in JAX; here it takes u = 2^-24 (2^-53 in float64),
 * half the lowest step of the others, as random.gumbel's does (5.77 scale, 8.57 scale in float64).
 */
function rayleighEager(k: NDArray, scale: ArrayInput, shape?: readonly number[] | null, options?: FloatOpts | DType | null): NDArray {
  const where = 'random.rayleigh';
  checkKey(where, k);
  const { dt, ps: [sc], s } = readParams(where, [['scale', scale]], shape, dtypeOf(where, options));
  const u = np.maximum(uniform(k, s, { dtype: dt }), EPSNEG[dt]);
  return np.multiply(sc, np.sqrt(np.multiply(np.log(u), -2)));
}

/** Pareto samples on [1, inf): exp(e / b), e = random.exponential's draw (JAX's _pareto). */
function paretoEager(k: NDArray, b: ArrayInput, shape?: readonly number[] | null, options?: FloatOpts | DType | null): NDArray {
  const where = 'random.pareto';
  checkKey(where, k);
  const { dt, ps: [bb], s } = readParams(where, [['b', b]], shape, dtypeOf(where, options));
  return np.exp(np.divide(exponential(k, s, { dtype: dt }), bb));
}

/**
 * Weibull samples: scale (-log1p(-u))^(1 / concentration), u uniform on [0, 1) (JAX's
 * _weibull_min). JAX draws u of `shape` (default ()) and broadcasts it against the parameters,
 * repeating one draw along their extra axes; here a null or omitted shape is the parameters'
 * broadcast shape, and parameters must broadcast to an explicit one.
 */
function weibullMinEager(k: NDArray, scale: ArrayInput, concentration: ArrayInput, shape?: readonly number[] | null, options?: FloatOpts | DType | null): NDArray {
  const where = 'random.weibullMin';
  checkKey(where, k);
  const { dt, ps: [sc, c], s } = readParams(where, [['scale', scale], ['concentration', concentration]], shape, dtypeOf(where, options));
  const u = uniform(k, s, { minval: 0, maxval: 1, dtype: dt });
  return np.multiply(np.power(np.negative(np.log1p(np.negative(u))), np.divide(1, c)), sc);
}

/**
 * Double-sided Maxwell samples: sign maxwell scale + loc, the sign rademacher, from split keys
 * (maxwell's first), of shape [...shape, ...broadcast(loc, scale)] (JAX's _double_sided_maxwell;
 * JAX's shape () with array parameters doubles their shape, [2] giving [2, 2]: here it is [2]).
 */
function doubleSidedMaxwellEager(k: NDArray, loc: ArrayInput, scale: ArrayInput, shape?: readonly number[] | null, options?: FloatOpts | DType | null): NDArray {
  const where = 'random.doubleSidedMaxwell';
  checkKey(where, k);
  const { dt, ps: [lc, sc], s: ps } = readParams(where, [['loc', loc], ['scale', scale]], null, dtypeOf(where, options));
  const s = [...(shape === undefined || shape === null ? [] : shapeArg(where, shape)), ...ps];
  shapeArg(where, s);
  const [mk, rk] = split(k);
  const mx = maxwell(mk, s, { dtype: dt });
  const sign = rademacher(rk, s, { dtype: dt });
  return np.add(np.multiply(np.multiply(sign, mx), sc), lc);
}

/**
 * Wald (inverse Gaussian, scale 1) samples by Michael, Schucany and Haas: v normal and z uniform
 * from split keys, y = v^2, x = mean + mean^2 y / 2 - mean / 2 sqrt(4 mean y + mean^2 y^2), then x if
 * z <= mean / (mean + x) else mean^2 / x (JAX's _wald; x computed without JAX's cancellation, below).
 */
function waldEager(k: NDArray, mean: ArrayInput, shape?: readonly number[] | null, options?: FloatOpts | DType | null): NDArray {
  const where = 'random.wald';
  checkKey(where, k);
  const { dt, ps: [mu], s } = readParams(where, [['mean', mean]], shape, dtypeOf(where, options));
  const [k1, k2] = split(k);
  const v = normal(k1, s, { dtype: dt });
  const z = uniform(k2, s, { dtype: dt });
  const y = np.multiply(v, v);
  // JAX's x = mu + mu^2 y / 2 - mu / 2 sqrt(4 mu y + mu^2 y^2) cancels when w = mu y is large: float32
  // wald(key(42), 1000, [2e5]) drew values down to -1 (mean 1e5: -8192; KS p 1e-168), float64 past
  // a mean of about 1e7. The same x as mu / q, q = 1 + w / 2 + sqrt(w) sqrt(1 + w / 4) (the product
  // of JAX's x and mu^2 / x is mu^2), has no cancellation or overflow; the other root mu^2 / x is mu q.
  // (Not JAX's bits: they differ in the last places where JAX's are accurate, w below ~1.)
  const w = np.multiply(mu, y);
  const q = np.add(np.add(1, np.divide(w, 2)), np.multiply(np.sqrt(w), np.sqrt(np.add(1, np.divide(w, 4)))));
  const x = np.divide(mu, q);
  const draw = np.where(np.lessEqual(z, np.divide(mu, np.add(mu, x))), x, np.multiply(mu, q));
  // (a mean of 0 or inf gives NaN, as JAX's formula does; here they had drawn 0 and inf)
  return np.where(np.logicalAnd(np.greater(mu, 0), np.isfinite(mu)), draw, NaN);
}

/**
 * Triangular samples on [left, right] peaking at mode: with u uniform, left + sqrt(u (right -
 * left)(mode - left)) where u < (mode - left) / (right - left), else right - sqrt((1 - u)(right -
 * left)(right - mode)) (JAX's _triangular).
 */
function triangularEager(k: NDArray, left: ArrayInput, mode: ArrayInput, right: ArrayInput, shape?: readonly number[] | null, options?: FloatOpts | DType | null): NDArray {
  const where = 'random.triangular';
  checkKey(where, k);
  const { dt, ps: [a, c, b], s } = readParams(where, [['left', left], ['mode', mode], ['right', right]], shape, dtypeOf(where, options));
  const width = np.subtract(b, a);
  const fc = np.divide(np.subtract(c, a), width);
  const u = uniform(k, s, { dtype: dt });
  const out1 = np.add(a, np.sqrt(np.multiply(np.multiply(u, width), np.subtract(c, a))));
  const out2 = np.subtract(b, np.sqrt(np.multiply(np.multiply(np.subtract(1, u), width), np.subtract(b, c))));
  return np.where(np.less(u, fc), out1, out2);
}

/**
 * Geometric samples (trials to the first success, >= 1): floor(log u / log1p(-p)) + 1, u uniform
 * in p's float dtype with u = 0 taken as 1, as JAX's _geometric; int32 (or uint32) by `dtype`.
 */
function geometricEager(k: NDArray, p: ArrayInput, shape?: readonly number[] | null, options?: FloatOpts | DType | null): NDArray {
  const where = 'random.geometric';
  checkKey(where, k);
  const dt = dtypeOf(where, options) ?? 'int32';
  if (dt !== 'int32' && dt !== 'uint32') throw new DTypeError(`${where}: dtype must be an integer dtype (int32 or uint32), got ${dt}`);
  // (u is drawn in p's dtype, promoted to inexact: float64 for a float64 p, else float32)
  const { dt: ft, ps: [pp], s } = readParams(where, [['p', p]], shape, undefined);
  let u = uniform(k, s, { dtype: ft });
  u = np.where(np.equal(u, 0), 1, u);
  const g = np.add(np.floor(np.divide(np.log(u), np.log1p(np.negative(pp)))), 1);
  return np.astype(g, dt);
}

// ------------------------------------------------------------------ gamma and its family

/** The i-th of the keys split(k, n) gives (k a key [2], possibly batched by vmap). */
function splitKeys(k: NDArray, n: number): NDArray[] {
  const ks = split(k, n);
  return Array.from({ length: n }, (_, i) => ks.get(i));
}

/**
 * One gamma draw of shape alpha (a scalar of the draw's dtype) by Marsaglia and Tsang, as JAX's
 * _gamma_one: [key, subkey] = split(key); while not accepted, [key, xKey, uKey] = split(key, 3),
 * x = normal(split(xKey)[1]) redrawn (chaining split(xKey)[0]) until v = 1 + c x > 0, U =
 * uniform(uKey); alpha < 1 is boosted to alpha + 1 and the draw times (1 - uniform(subkey))^(1 /
 * alpha) (in log space: log1p(-u) / alpha added, 0 where log1p(-u) is 0). The constants and the
 * order of the operations are JAX's.
 */
function gammaOne(k: NDArray, alphaOrig: NDArray, logSpace: boolean): NDArray {
  const dt = alphaOrig.dtype;
  const zero = lax.full([], 0, dt), one = lax.full([], 1, dt);
  const boostMask = np.greaterEqual(alphaOrig, one);
  const alpha = np.where(boostMask, alphaOrig, np.add(alphaOrig, one));
  const d = np.subtract(alpha, 1 / 3);
  const c = np.divide(1 / 3, np.sqrt(d));
  type Carry = [NDArray, NDArray, NDArray, NDArray];
  const rejected = ([, X, V, U]: Carry) => np.logicalAnd(
    np.greaterEqual(U, np.subtract(one, np.multiply(0.0331, np.multiply(X, X)))),
    np.greaterEqual(np.log(U), np.add(np.multiply(X, 0.5), np.multiply(d, np.add(np.subtract(one, V), np.log(V))))));
  const body = ([key0]: Carry): Carry => {
    const [key, xKey, uKey] = splitKeys(key0, 3);
    const [, x, v] = whileLoop(([, , vv]: [NDArray, NDArray, NDArray]) => np.lessEqual(vv, zero), ([kk]: [NDArray, NDArray, NDArray]) => {
      const [next, sub] = splitKeys(kk, 2);
      const xx = normal(sub, [], { dtype: dt });
      return [next, xx, np.add(one, np.multiply(xx, c))];
    }, [xKey, zero, lax.full([], -1, dt)]);
    const X = np.multiply(x, x);
    const V = np.multiply(np.multiply(v, v), v);
    const U = uniform(uKey, [], { dtype: dt });
    return [key, X, V, U];
  };
  const [key, subkey] = splitKeys(k, 2);
  // (the first carry is rejected, so the body runs at least once)
  const [, , V] = whileLoop(rejected, body, [key, zero, one, lax.full([], 2, dt)] as Carry);
  if (logSpace) {
    const logSamples = np.negative(exponential(subkey, [], { dtype: dt }));
    const logBoost = np.where(np.logicalOr(boostMask, np.equal(logSamples, zero)), zero, np.multiply(logSamples, np.divide(one, alphaOrig)));
    return np.add(np.add(np.log(d), np.log(V)), logBoost);
  }
  const samples = np.subtract(1, uniform(subkey, [], { dtype: dt }));
  const boost = np.where(boostMask, one, np.power(samples, np.divide(one, alphaOrig)));
  return np.multiply(np.multiply(d, V), boost);
}

/**
 * JAX's _gamma_impl: one key per element, split(key, a.size), and gammaOne mapped over them (a
 * rejection loop batched by vmap runs until every element accepts). A draw at top level of
 * ONE_SHOT_MIN elements or more runs as one-shot programs over chunks of CHUNK elements: op by op,
 * every step of the batched loop kept its arrays of n lanes until the call returned (gamma of 1e6
 * took 4 GiB of wasm memory, all wasm32 has, and the next large draw ran out). Each element's draw
 * reads only its own keys, so the chunks give the same bits.
 */
const ONE_SHOT_MIN = 4096, CHUNK = 1 << 16;
function gammaImpl(k: NDArray, a: NDArray, logSpace: boolean): NDArray {
  const n = a._shape.reduce((x, y) => x * y, 1);
  if (n === 0) return a;
  const al = np.reshape(a, [n]);
  const draw = (kk: NDArray, aa: NDArray) => vmap((x: NDArray, y: NDArray) => gammaOne(x, y, logSpace))(kk, aa);
  if (!topLevelDraw || n < ONE_SHOT_MIN) return np.reshape(draw(split(k, n), al), a._shape);
  // (split's threefry rounds too: op by op each kept its arrays of 2n words)
  const key = new NDArray(k.shape, k.dtype, k._values('random.gamma').slice());
  const keys = runOneShot('random.gamma', () => split(key, n)) ?? split(key, n);
  // (the chunks as concrete Arrays of their own: a one-shot program binds those, where rows of this
  // call's tape, views among them, cannot be frozen into it)
  const kv = keys._values('random.gamma').slice(), av = al._values('random.gamma').slice(); // (copies: views of wasm memory detach when it grows)
  const parts: NDArray[] = [];
  for (let lo = 0; lo < n; lo += CHUNK) {
    const hi = Math.min(n, lo + CHUNK);
    const kk = new NDArray([hi - lo, 2], keys.dtype, kv.slice(2 * lo, 2 * hi));
    const aa = new NDArray([hi - lo], al.dtype, av.slice(lo, hi));
    parts.push(runOneShot('random.gamma', () => draw(kk, aa)) ?? draw(kk, aa));
  }
  return np.reshape(parts.length === 1 ? parts[0] : np.concatenate(parts), a._shape);
}

/** Whether the running sampler was called at top level (not under a transform): gammaImpl's chunks need concrete values. */
let topLevelDraw = false;
/** sampler(f), marking a call at top level for gammaImpl. */
function loopSampler<F extends (...args: any[]) => NDArray>(f: F, keywords: readonly string[]): F {
  const s = sampler(f, keywords);
  const g = ((...args: unknown[]) => {
    if (inTrace() || topLevelDraw) return s(...args);
    topLevelDraw = true;
    try { return s(...args); } finally { topLevelDraw = false; }
  }) as F;
  return Object.defineProperty(g, 'name', { value: s.name });
}

// The draw is a function of the shape parameter through a rejection loop: differentiating the loop
// would give a wrong derivative (the accepted normal held fixed), so it is refused by a custom JVP
// rule. JAX differentiates implicitly (random_gamma_grad: the derivative of the regularized
// incomplete gamma function), not built here.
const refusing = new Map<string, (k: NDArray, a: NDArray) => NDArray>();
function gammaDraw(where: string, param: string, k: NDArray, a: NDArray, logSpace: boolean): NDArray {
  if (topLevelDraw) return gammaImpl(k, a, logSpace); // (no transform to refuse: the rule is moot)
  const id = `${where}|${param}|${logSpace}`;
  let f = refusing.get(id);
  if (f === undefined) {
    f = customJvp((kk: NDArray, aa: NDArray) => gammaImpl(kk, aa, logSpace), () => {
      throw new NotImplementedError(`${where}: the derivative with respect to ${param} is not implemented (JAX's is implicit, through random_gamma_grad, ` +
        'the derivative of the regularized incomplete gamma function, not built here; differentiating the rejection loop would be wrong)');
    }) as (k: NDArray, a: NDArray) => NDArray;
    refusing.set(id, f);
  }
  return f(k, a);
}

/** JAX's _gamma: a (cast to the dtype) broadcast to the draw's shape, then one draw per element. */
function gammaOf(where: string, param: string, k: NDArray, a: NDArray, s: number[], logSpace: boolean): NDArray {
  return gammaDraw(where, param, k, np.broadcastTo(a, s), logSpace);
}

/**
 * Gamma(a, 1) samples by JAX's Marsaglia-Tsang rejection loop (JAX's gamma, method 'exact'): one
 * key per element, split(key, size). As JAX, a float64 `a` is cast to a float32 draw without
 * complaint, and a is not checked: a <= -1 or NaN gives NaN, 0 gives 0, and -1 < a < 0 what
 * JAX's boost gives (a positive number). The derivative with respect to a is a NotImplementedError
 * (JAX's implicit one, random_gamma_grad, is not built).
 */
function gammaEager(k: NDArray, a: ArrayInput, shape?: readonly number[] | null, options?: FloatOpts | DType | null): NDArray {
  const where = 'random.gamma';
  checkKey(where, k);
  const { ps: [aa], s } = readParams(where, [['a', a]], shape, dtypeOf(where, options), false);
  return gammaOf(where, 'a', k, aa, s, false);
}

/**
 * log of Gamma(a, 1) samples (JAX's loggamma): the same loop as gamma, the boost for a < 1 added in
 * log space (exp(loggamma) is gamma's draw to rounding, and small a does not underflow to 0).
 * Casts, parameters and the derivative's refusal as gamma's.
 */
function loggammaEager(k: NDArray, a: ArrayInput, shape?: readonly number[] | null, options?: FloatOpts | DType | null): NDArray {
  const where = 'random.loggamma';
  checkKey(where, k);
  const { ps: [aa], s } = readParams(where, [['a', a]], shape, dtypeOf(where, options), false);
  return gammaOf(where, 'a', k, aa, s, true);
}

/**
 * Beta(a, b) samples as JAX's _beta: [kA, kB] = split(key), log-gamma draws la = loggamma(kA, a),
 * lb = loggamma(kB, b), then exp(la - m) / (exp(la - m) + exp(lb - m)), m = max(la, lb). The
 * derivatives with respect to a and b are NotImplementedErrors (they need gamma's implicit one).
 */
function betaEager(k: NDArray, a: ArrayInput, b: ArrayInput, shape?: readonly number[] | null, options?: FloatOpts | DType | null): NDArray {
  const where = 'random.beta';
  checkKey(where, k);
  const { ps: [aa, bb], s } = readParams(where, [['a', a], ['b', b]], shape, dtypeOf(where, options));
  const [kA, kB] = splitKeys(k, 2);
  const la = gammaOf(where, 'a', kA, aa, s, true);
  const lb = gammaOf(where, 'b', kB, bb, s, true);
  const m = np.maximum(la, lb);
  const ga = np.exp(np.subtract(la, m)), gb = np.exp(np.subtract(lb, m));
  return np.divide(ga, np.add(ga, gb));
}

/**
 * Dirichlet(alpha) samples as JAX's _dirichlet: softmax along the last axis of loggamma(key, alpha,
 * [...shape, n]), alpha of shape [..., n] (at least 1-d); `shape` is the batch shape (null: alpha's
 * leading axes). As JAX, a float64 alpha is cast to a float32 draw without complaint. The
 * derivative with respect to alpha is a NotImplementedError.
 */
function dirichletEager(k: NDArray, alpha: ArrayInput, shape?: readonly number[] | null, options?: FloatOpts | DType | null): NDArray {
  const where = 'random.dirichlet';
  checkKey(where, k);
  const { ps: [al] } = readParams(where, [['alpha', alpha]], null, dtypeOf(where, options), false);
  if (al.ndim < 1) throw new ValueError(`${where}: alpha must be at least 1-d (JAX: dirichlet requires alpha.ndim >= 1), got ${describe(al._shape, al.dtype)}`);
  const lead = al._shape.slice(0, -1);
  let s: number[];
  if (shape === undefined || shape === null) s = lead;
  else {
    s = shapeArg(where, shape);
    paramsFit(where, s, [['alpha\'s batch axes (all but the last)', lead]]);
  }
  const full = [...s, al._shape[al.ndim - 1]];
  shapeArg(where, full);
  const lg = gammaOf(where, 'alpha', k, al, full, true);
  if (lg.size === 0) return lg; // (JAX's softmax takes its max with initial -inf: an empty draw is empty)
  const u = np.exp(np.subtract(lg, lax.stopGradient(np.max(lg, { axis: -1, keepdims: true }))));
  return np.divide(u, np.sum(u, { axis: -1, keepdims: true }));
}

/** Chi-square samples with df degrees of freedom as JAX's _chisquare: 2 exp(loggamma(key, df / 2)). The derivative with respect to df is a NotImplementedError. */
function chisquareEager(k: NDArray, df: ArrayInput, shape?: readonly number[] | null, options?: FloatOpts | DType | null): NDArray {
  const where = 'random.chisquare';
  checkKey(where, k);
  const { ps: [d], s } = readParams(where, [['df', df]], shape, dtypeOf(where, options));
  return chi2(where, 'df', k, d, s);
}

function chi2(where: string, param: string, k: NDArray, df: NDArray, s: number[]): NDArray {
  return np.multiply(np.exp(gammaOf(where, param, k, np.divide(df, 2), s, true)), 2);
}

/**
 * Student's t samples as JAX's _t: [kN, kG] = split(key), n = normal(kN), g = gamma(kG, df / 2),
 * then n sqrt((df / 2) / g). The derivative with respect to df is a NotImplementedError.
 */
function tEager(k: NDArray, df: ArrayInput, shape?: readonly number[] | null, options?: FloatOpts | DType | null): NDArray {
  const where = 'random.t';
  checkKey(where, k);
  const { dt, ps: [d], s } = readParams(where, [['df', df]], shape, dtypeOf(where, options));
  const [kN, kG] = splitKeys(k, 2);
  const n = normal(kN, s, { dtype: dt });
  const half = np.divide(d, 2);
  const g = gammaOf(where, 'df', kG, half, s, false);
  return np.multiply(n, np.sqrt(np.divide(half, g)));
}

/**
 * F samples as JAX's _f: [kDen, kNum] = split(key) (the denominator's key first, as JAX's),
 * (chisquare(kNum, dfnum) / dfnum) / (chisquare(kDen, dfden) / dfden). The derivatives with
 * respect to dfnum and dfden are NotImplementedErrors.
 */
function fEager(k: NDArray, dfnum: ArrayInput, dfden: ArrayInput, shape?: readonly number[] | null, options?: FloatOpts | DType | null): NDArray {
  const where = 'random.f';
  checkKey(where, k);
  const { ps: [dn, dd], s } = readParams(where, [['dfnum', dfnum], ['dfden', dfden]], shape, dtypeOf(where, options));
  const [kDen, kNum] = splitKeys(k, 2);
  const num = np.divide(chi2(where, 'dfnum', kNum, dn, s), dn);
  const den = np.divide(chi2(where, 'dfden', kDen, dd, s), dd);
  return np.divide(num, den);
}

// ------------------------------------------------------------------ not offered yet

function notOffered(name: string, jaxName: string, hint: string): (...args: unknown[]) => never {
  const f = (..._args: unknown[]): never => {
    throw new NotImplementedError(`random.${name}: not offered yet (JAX's jax.random.${jaxName})${hint ? `; ${hint}` : ''}`);
  };
  Object.defineProperty(f, 'name', { value: name });
  return f;
}
const NEEDS_GAMMA = 'JAX builds it from gamma draws (random.gamma here), not built here yet';
const generalizedNormal = notOffered('generalizedNormal', 'generalized_normal', `${NEEDS_GAMMA}; for p = 2 it is normal(key, shape) / sqrt(2)`);
const ball = notOffered('ball', 'ball', `${NEEDS_GAMMA} (through generalized_normal); for p = 2, with [k1, k2] = random.split(key), ` +
  'z = random.normal(k1, [...shape, d]) over sqrt(sum(z^2, -1) + 2 random.exponential(k2, shape)) is uniform in the unit ball');
const poisson = notOffered('poisson', 'poisson', 'it needs JAX\'s rejection loops (Knuth\'s for small rates, transformed rejection for large)');
const binomial = notOffered('binomial', 'binomial', 'it needs JAX\'s rejection loops (inversion, BTRS); a sum of random.bernoulli draws is one for small counts');
const multinomial = notOffered('multinomial', 'multinomial', 'it needs binomial draws, not built here yet; random.categorical draws single trials');
/**
 * jax.random's samplers not built yet, each throwing a NotImplementedError that says so: installed
 * on the namespace by api/index.ts as non-enumerable properties (not listed as offered, and not in
 * the types), so a port's `random.gamma(...)` says what it is instead of JS's 'is not a function'.
 */
export const NOT_OFFERED: Record<string, (...args: unknown[]) => never> = { generalizedNormal, ball, poisson, binomial, multinomial };

// ------------------------------------------------------------------ the public samplers

type ParamSampler<P extends string> = (k: NDArray, options: { [K in P]?: ArrayInput } & Shaped & FloatOpts) => NDArray;
type FloatSampler = typeof cauchyEager & ((k: NDArray, options: Shaped & FloatOpts) => NDArray);
export const cauchy = sampler(cauchyEager, ['shape', 'dtype']) as FloatSampler;
export const maxwell = sampler(maxwellEager, ['shape', 'dtype']) as FloatSampler;
export const orthogonal = sampler(orthogonalEager, ['n', 'shape', 'dtype', 'm']) as typeof orthogonalEager
  & ((k: NDArray, options: { n: number; m?: number } & Shaped & FloatOpts) => NDArray) & ((k: NDArray, n: number, options: { m?: number } & Shaped & FloatOpts) => NDArray);
export const lognormal = sampler(lognormalEager, ['sigma', 'shape', 'dtype']) as typeof lognormalEager & ParamSampler<'sigma'>;
export const rayleigh = sampler(rayleighEager, ['scale', 'shape', 'dtype']) as typeof rayleighEager & ParamSampler<'scale'>;
export const pareto = sampler(paretoEager, ['b', 'shape', 'dtype']) as typeof paretoEager & ParamSampler<'b'>;
export const weibullMin = sampler(weibullMinEager, ['scale', 'concentration', 'shape', 'dtype']) as typeof weibullMinEager & ParamSampler<'scale' | 'concentration'>;
export const doubleSidedMaxwell = sampler(doubleSidedMaxwellEager, ['loc', 'scale', 'shape', 'dtype']) as typeof doubleSidedMaxwellEager & ParamSampler<'loc' | 'scale'>;
export const wald = sampler(waldEager, ['mean', 'shape', 'dtype']) as typeof waldEager & ParamSampler<'mean'>;
export const triangular = sampler(triangularEager, ['left', 'mode', 'right', 'shape', 'dtype']) as typeof triangularEager & ParamSampler<'left' | 'mode' | 'right'>;
export const geometric = sampler(geometricEager, ['p', 'shape', 'dtype']) as typeof geometricEager
  & ((k: NDArray, options: { p?: ArrayInput; dtype?: DType } & Shaped) => NDArray);
export const gamma = loopSampler(gammaEager, ['a', 'shape', 'dtype']) as typeof gammaEager & ParamSampler<'a'>;
export const loggamma = loopSampler(loggammaEager, ['a', 'shape', 'dtype']) as typeof loggammaEager & ParamSampler<'a'>;
export const beta = loopSampler(betaEager, ['a', 'b', 'shape', 'dtype']) as typeof betaEager & ParamSampler<'a' | 'b'>;
export const dirichlet = loopSampler(dirichletEager, ['alpha', 'shape', 'dtype']) as typeof dirichletEager & ParamSampler<'alpha'>;
export const chisquare = loopSampler(chisquareEager, ['df', 'shape', 'dtype']) as typeof chisquareEager & ParamSampler<'df'>;
export const t = loopSampler(tEager, ['df', 'shape', 'dtype']) as typeof tEager & ParamSampler<'df'>;
export const f = loopSampler(fEager, ['dfnum', 'dfden', 'shape', 'dtype']) as typeof fEager & ParamSampler<'dfnum' | 'dfden'>;
