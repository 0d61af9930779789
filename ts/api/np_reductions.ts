// numpy reductions beyond sum/mean, composed from the primitives: max/min (reduce_max/min),
// argmax/argmin (int32), prod (a tree of multiplies, so its gradient is right with zeros),
// any/all, var/std, logsumexp, softmax/logSoftmax, the cumulative scans and vector norms.
import { NDArray, ArrayInput } from './array.js';
import * as lax from './lax.js';
import { bind } from './bind.js';
import {
  checkAxes, astype, add, subtract, multiply, divide, exp, log, sqrt, abs, power, where, equal, notEqual, sum, maximum, minimum, reshape, Axis,
  broadcastTo, broadcastShapes, complexNaN, sign, ACCUMULATE_SPEC, type AccumulateOptions, takeMask, masked, maskOf, initialAs, dtypeOption, type MaskOptions,
} from './numpy.js';
import { takeAlongAxis } from './np_indexing.js';
import { operand, requireComputable, requireAxesRank, normalizeAxisList, composite, heavyComposite } from './np_shared.js';
import { OptionSpec, atMost, readOptions, show } from './options.js';
import { DTypeError, TracerError, ValueError, describe } from '../core/errors.js';
import { filled } from './creation.js';
import { inTrace } from '../core/trace.js';
import { jit } from './transforms/jit.js';
import { cond } from './lax_control.js';
import { isComplex, isInexact, isInteger, realOf, promoteFloat, type DType } from '../core/dtype.js';

export interface ReduceOptions { axis?: Axis; keepdims?: boolean }
const REDUCE: OptionSpec = { axis: 'axis', keepdims: 'boolean' };

/** The operand and its reduced axes, checked; bools as float32 when `floatBool`. */
function reduction(where: string, x: ArrayInput, opts: unknown, spec: OptionSpec = REDUCE) {
  const o = readOptions<VarOptions>(where, opts, spec, 'axis');
  const a = operand(where, 0, x);
  requireComputable(where, [a]);
  requireAxesRank(where, a);
  const axes = checkAxes(where, o.axis, a.ndim);
  return { a, axes, o };
}

/** The result of reducing `a` over `axes`, with size-1 axes kept where numpy's keepdims puts them. */
function keep(out: NDArray, a: NDArray, axes: number[], keepdims: boolean | undefined): NDArray {
  return keepdims ? reshape(out, a.shape.map((d, i) => (axes.includes(i) ? 1 : d))) : out;
}

function noIdentity(where: string, a: NDArray, axes: number[]): void {
  if (axes.some((i) => a.shape[i] === 0)) {
    throw new ValueError(`${where}: zero-size array to reduction operation which has no identity (${describe(a.shape, a.dtype)}, axes [${axes}])`);
  }
}

function extremum(where: string, reduce: (x: NDArray, axes: number[]) => NDArray) {
  const f = function (x: ArrayInput, opts?: (ReduceOptions & MaskOptions) | Axis): NDArray {
    atMost(where, arguments.length, 2);
    const m = takeMask(where, opts, REDUCE);
    if (m.mask !== undefined || m.initial !== undefined) {
      // jnp's: the entries the mask leaves out become `initial`, which the result never passes
      // (an empty slice is `initial`); a mask needs one (a max has no identity)
      if (m.initial === undefined) {
        throw new ValueError(`${where}: a where mask needs an initial value (the reduction has no identity; jnp raises too): ${where}(x, { where, initial })`);
      }
      const a = operand(where, 0, x);
      if (isComplex(a.dtype)) throw new DTypeError(`${where}: initial and where take real values, got ${a.dtype}`);
      const init = initialAs(where, m.initial, a.dtype); // (in a's dtype, as numpy converts it)
      const b = m.mask === undefined ? a : lax.select(maskOf(where, a, m.mask), a, broadcastTo(init, a.shape));
      const { axes, o } = reduction(where, b, m.rest);
      if (axes.some((i) => b.shape[i] === 0)) {
        const shape = b.shape.flatMap((d, i) => (axes.includes(i) ? (o.keepdims ? [1] : []) : [d]));
        return broadcastTo(init, shape);
      }
      const r = f(b, m.rest);
      return reduce === lax.reduceMax ? maximum(r, init) : minimum(r, init);
    }
    const { a, axes, o } = reduction(where, x, opts);
    noIdentity(where, a, axes);
    const isBool = a.dtype === 'bool';
    if (isComplex(a.dtype)) { // the lexicographic extreme (NumPy's), gathered: differentiable
      const flat = axesLast(a, axes), last = flat.ndim - 1;
      const i = complexArg(flat, last, reduce === lax.reduceMax);
      const r = lax.reshape(takeAlongAxis(flat, lax.reshape(i, [...i.shape, 1]), last, { mode: 'clip' }), i.shape);
      return keep(r, a, axes, o.keepdims);
    }
    // int32 and uint32 through float64, which holds every one of them exactly (the reduce
    // kernels are float); the extreme is one of the inputs, so the way back is exact too
    if (isInteger(a.dtype)) return keep(astype(reduce(astype(a, 'float64'), axes), a.dtype), a, axes, o.keepdims);
    const r = reduce(isBool ? astype(a, 'float32') : a, axes);
    return keep(isBool ? notEqual(r, 0) : r, a, axes, o.keepdims);
  };
  return f;
}

/** Index of the first lexicographic (real, then imag) max or min of complex `a` along `axis`. */
function complexArg(a: NDArray, axis: number, isMax: boolean): NDArray {
  // an entry with a NaN part is NaN: the first one wins (numpy), found as the NaN of the real keys
  const re = lax.select(complexNaN(a), filled('np.argmax', a.shape, NaN, realOf(a.dtype)), lax.real(a)), im = lax.imag(a);
  const arg = isMax ? lax.argmax : lax.argmin;
  const best = (isMax ? lax.reduceMax : lax.reduceMin)(re, [axis]);
  const shape = a.shape.slice(); shape[axis] = 1;
  const tied = lax.eq(re, broadcastTo(reshape(best, shape), a.shape));
  // the first tied entry whose imaginary part is the extreme one among the tied (a mask, not a
  // fill of the rest with -inf: that tied with a tied entry's own -inf imaginary part)
  const away = filled('np.argmax', a.shape, isMax ? -Infinity : Infinity, im.dtype);
  const bestIm = (isMax ? lax.reduceMax : lax.reduceMin)(lax.select(tied, im, away), [axis]);
  const hit = lax.bitwiseAnd(tied, lax.eq(im, broadcastTo(reshape(bestIm, shape), a.shape)));
  return lax.select(lax.ne(best, best), arg(re, axis), lax.argmax(lax.convertElementType(hit, im.dtype), axis));
}

/** np.max (amax): NaN-propagating; the gradient is split equally among tied maxima, as JAX's. */
export const max = extremum('np.max', lax.reduceMax);
export const min = extremum('np.min', lax.reduceMin);
export const amax = max;
export const amin = min;

function argExtremum(where: string, g: (x: NDArray, axis: number) => NDArray) {
  // complex values: the first lexicographic (real, imag) extreme, as NumPy's
  const f = (x: NDArray, axis: number) => (isComplex(x.dtype) ? complexArg(x, axis, g === lax.argmax) : g(x, axis));
  return function (x: ArrayInput, opts?: { axis?: number | null; keepdims?: boolean } | number | null): NDArray {
    atMost(where, arguments.length, 2);
    const o = readOptions<{ axis?: number | null; keepdims?: boolean }>(where, opts, REDUCE, 'axis');
    let a = operand(where, 0, x);
    requireComputable(where, [a]);
    const given = a.dtype; // (named in errors: the keys below are float)
    if (a.dtype === 'bool') a = astype(a, 'float32');
    else if (isInteger(a.dtype)) a = astype(a, 'float64'); // exact keys for int32 and uint32
    if (Array.isArray(o.axis)) throw new ValueError(`${where}: axis must be an integer or null, got ${show(o.axis)}`);
    if (o.axis === undefined || o.axis === null) {
      if (a.size === 0) throw new ValueError(`${where}: attempt to get ${where.slice(3)} of an empty sequence`);
      const r = f(reshape(a, [-1]), 0);
      return o.keepdims ? reshape(r, a.shape.map(() => 1)) : r;
    }
    const ax = normalizeAxisList(where, [o.axis], a.ndim)[0];
    if (a.shape[ax] === 0) throw new ValueError(`${where}: attempt to get ${where.slice(3)} of an empty sequence (${describe(a.shape, given)}, axis ${o.axis})`);
    return keep(f(a, ax), a, [ax], o.keepdims);
  };
}

/** np.argmax: int32 index of the first maximum (a NaN counts as the maximum, as numpy's). */
export const argmax = argExtremum('np.argmax', lax.argmax);
export const argmin = argExtremum('np.argmin', lax.argmin);

/** `a` with `axes` moved last and flattened into one: [...kept, n]. */
function axesLast(a: NDArray, axes: number[]): NDArray {
  const kept = a.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const t = lax.transpose(a, [...kept, ...axes]);
  return lax.reshape(t, [...kept.map((i) => a.shape[i]), axes.reduce((n, i) => n * a.shape[i], 1)]);
}

/** Pairwise products down the last axis: log2(n) multiplies, each differentiable at zeros. */
function prodLast(x: NDArray): NDArray {
  let v = x;
  const lead = x.shape.slice(0, -1);
  let n = x.shape[x.ndim - 1];
  if (n === 0) return filled('np.prod', lead, 1, x.dtype);
  // neighbours pair up (x0 x1, x2 x3, ...), as a running product meets them: pairing the halves
  // (x_i with x_(i + n/2)) turned 32 alternating 1e10, 1e-10 into 1e320 * 1e-320 = inf * 0 = NaN
  // (an odd one out waits for the next level as it is: padded with 1 + 0i it was multiplied by an
  // identity that complex arithmetic does not have, inf * (1 + 0i) = inf + NaN i)
  while (n > 1) {
    const h = Math.floor(n / 2), ax = v.ndim - 1;
    const [even, odd] = n % 2 === 1 ? lax.split(v, [n - 1, 1], ax) : [v, null];
    const [p, q] = lax.split(lax.reshape(even, [...lead, h, 2]), [1, 1], ax + 1);
    const paired = lax.reshape(lax.mul(p, q), [...lead, h]);
    v = odd === null ? paired : lax.concatenate([paired, odd], ax);
    n = v.shape[ax];
  }
  return lax.reshape(v, lead);
}

/**
 * np.prod as a tree of multiplies (no division): the gradient is the product of the other
 * elements even where some are zero, to any order.
 */
export function prod(x: ArrayInput, opts?: (AccumulateOptions & MaskOptions) | Axis): NDArray {
  atMost('np.prod', arguments.length, 2);
  const m = takeMask('np.prod', opts, ACCUMULATE_SPEC);
  if (m.mask !== undefined || m.initial !== undefined) {
    const b = operand('np.prod', 0, x, dtypeOption(m.rest)); // (a JS list read in the asked dtype)
    const r = prod(m.mask === undefined ? b : masked('np.prod', b, m.mask, 1), m.rest);
    return m.initial === undefined ? r : lax.mul(r, broadcastTo(initialAs('np.prod', m.initial, r.dtype), r.shape));
  }
  const { a, axes, o } = reduction('np.prod', x, opts, ACCUMULATE_SPEC);
  const dt = (o as AccumulateOptions).dtype, ad = dt !== undefined && dt !== a.dtype ? astype(a, dt) : a;
  // jnp.prod promotes bools to int32 (as sum does); ints multiply with wrapping.
  const af = ad.dtype === 'bool' ? astype(ad, 'int32') : ad;
  // float32 and complex64 multiply in double precision, rounded once at the end: the n - 1
  // roundings of a product add up in one direction (1e5 values near 1 drifted 2,000 ulp in float32)
  const wide = af.dtype === 'float32' ? 'float64' : af.dtype === 'complex64' ? 'complex128' : null;
  const p = wide === null ? prodLast(axesLast(af, axes)) : astype(prodLast(axesLast(astype(af, wide), axes)), af.dtype);
  return keep(dt !== undefined && p.dtype !== dt ? astype(p, dt) : p, a, axes, o.keepdims);
}

function logical(where: string, reduce: (x: NDArray, axes: number[]) => NDArray, empty: boolean) {
  return function (x: ArrayInput, opts?: (ReduceOptions & { where?: ArrayInput }) | Axis): NDArray {
    atMost(where, arguments.length, 2);
    // jnp's where: the entries it leaves out count as the empty reduction's value (true for all, false for any)
    const m = takeMask(where, opts, REDUCE, false);
    const x0 = m.mask === undefined ? x : masked(where, operand(where, 0, x), m.mask, empty);
    const { a, axes, o } = reduction(where, x0, m.rest);
    const nonzero = astype(a.dtype === 'bool' ? a : notEqual(a, 0), 'float32');
    const r = axes.some((i) => a.shape[i] === 0)
      ? filled(where, a.shape.filter((_, i) => !axes.includes(i)), empty, 'bool')
      : notEqual(reduce(nonzero, axes), 0);
    return keep(r, a, axes, o.keepdims);
  };
}

/** np.any / np.all: bool results (NaN counts as true, numpy's truthiness). */
export const any = logical('np.any', lax.reduceMax, false);
export const all = logical('np.all', lax.reduceMin, true);

export interface VarOptions extends ReduceOptions { ddof?: number; dtype?: DType; where?: ArrayInput }
const VAR: OptionSpec = { axis: 'axis', keepdims: 'boolean', ddof: 'number', dtype: 'dtype' };

/**
 * np.var: mean of |x - mean|^2 with n - ddof in the denominator. `dtype` (jnp's): computed in it
 * and returned in it (an integer dtype computes in integers, truncating the mean and the quotient,
 * as jnp; numpy computes in float64 and truncates the result); complex x needs a complex dtype (jnp).
 */
export function variance(x: ArrayInput, opts?: VarOptions | Axis): NDArray {
  atMost('np.var', arguments.length, 2);
  return varianceOf('np.var', x, opts, false);
}
export { variance as var };

/** np.std: the square root of np.var (its options); `dtype` must be float or complex (jnp's sqrt refuses integers). */
export function std(x: ArrayInput, opts?: VarOptions | Axis): NDArray {
  atMost('np.std', arguments.length, 2);
  return varianceOf('np.std', x, opts, true);
}

/**
 * The corrected two-pass sum of squares (Chan, Golub and LeVeque): sum |d|^2 - |sum d|^2 / n for
 * d = x - mean. The mean's own rounding error delta added n delta^2 to sum |d|^2; sum d is -n delta,
 * so the term takes it back out. float32 var of 2^20 + [0.125, -0.125, 0.5, 0.5, -0.375, 0.375,
 * 0, -0.5] (ddof 1) was 0.15179 (numpy's and jnp's too: their float32 sum lost the .5), exact
 * 0.147321. Zero in exact arithmetic, so every derivative is the plain form's; the clamp at 0
 * (Cauchy-Schwarz) keeps rounding from a negative variance (std NaN) at near-constant data.
 */
function corrected(ss: NDArray, s: NDArray, n: NDArray | number): NDArray {
  const s2 = isComplex(s.dtype) ? lax.real(multiply(s, lax.conj(s))) : multiply(s, s);
  return maximum(subtract(ss, divide(s2, n)), 0);
}

function varianceOf(where: string, x: ArrayInput, opts: unknown, root: boolean): NDArray {
  const { rest, mask } = takeMask(where, opts, VAR, false); // (jnp's where: only the kept entries count)
  const { a, axes, o } = reduction(where, x, rest, VAR);
  const dt = (o as VarOptions).dtype;
  if (dt === 'bool' || (root && dt !== undefined && isInteger(dt))) {
    throw new DTypeError(`${where}: dtype must be a float or complex dtype${root ? '' : ' or an integer one'}, got ${dt}`);
  }
  if (dt !== undefined && isComplex(a.dtype) && !isComplex(dt)) {
    throw new DTypeError(`${where}: dtype ${dt} is real but x is ${describe(a.shape, a.dtype)}; give a complex dtype (jnp refuses a real one too)`);
  }
  // ints and bools in float32, as JAX's _var (an int32 sum of squares wrapped: var([2e9, 2e9]) was 2e18)
  return composite(() => {
    const af = dt !== undefined ? astype(a, dt) : isInexact(a.dtype) ? a : astype(a, 'float32');
    const ddof = Number(o.ddof ?? 0);
    if (mask !== undefined) {
      // per slice: the kept entries' mean, then their squared deviations over (kept - ddof), NaN
      // where none is kept (numpy's and jnp's where=)
      const keptOnes = masked(where, lax.full([...af.shape], 1, realOf(af.dtype)), mask, 0);
      const kept = sum(keptOnes, { axis: axes, keepdims: true });
      const m = divide(sum(masked(where, af, mask, 0), { axis: axes, keepdims: true }), kept);
      const d = subtract(af, m);
      const d2 = isComplex(d.dtype) ? lax.real(multiply(d, lax.conj(d))) : multiply(d, d);
      const keptN = sum(keptOnes, { axis: axes });
      const v = divide(corrected(sum(masked(where, d2, mask, 0), { axis: axes }), sum(masked(where, d, mask, 0), { axis: axes }), keptN), maximum(subtract(keptN, ddof), 0));
      const r = keep(root ? sqrt(v) : v, a, axes, o.keepdims);
      return dt !== undefined && r.dtype !== dt ? astype(r, dt) : r;
    }
    const n = axes.reduce((k, i) => k * a.shape[i], 1), count = Math.max(n - ddof, 0);
    // (integers: lax.div truncates, as jnp's mean and its final division in an integer dtype)
    const over = (t: NDArray, k: number) => (isInteger(t.dtype) ? lax.div(t, lax.full(t.shape, k, t.dtype)) : divide(t, k));
    const m = over(sum(af, { axis: axes, keepdims: true }), n);
    const d = subtract(af, m);
    const d2 = isComplex(d.dtype) ? lax.real(multiply(d, lax.conj(d))) : multiply(d, d); // |d|^2: var of complex is real (numpy)
    const v = over(isInteger(d.dtype) ? sum(d2, { axis: axes }) : corrected(sum(d2, { axis: axes }), sum(d, { axis: axes }), n), count);
    const r = keep(root ? sqrt(v) : v, a, axes, o.keepdims);
    return dt !== undefined && r.dtype !== dt ? astype(r, dt) : r;
  });
}

/**
 * log(sum(exp(x))) as JAX computes it: the max m is subtracted under stop_gradient and
 * replaced by 0 where it is not finite, so large inputs do not overflow and -inf rows give -inf.
 */
export interface LogsumexpOptions extends ReduceOptions {
  /** Weights: log(sum(b e^x)), as jax.nn.logsumexp's b (broadcast to x). */
  b?: ArrayInput;
  /** Return [log|sum|, sign of the sum] (jax.nn.logsumexp's return_sign): a negative weighted sum is then not NaN. */
  returnSign?: boolean;
}
const LOGSUMEXP_SPEC: OptionSpec = { axis: 'axis', keepdims: 'boolean', b: 'any', returnSign: 'boolean' };

export function logsumexp(x: ArrayInput, opts: LogsumexpOptions & { returnSign: true }): [NDArray, NDArray];
export function logsumexp(x: ArrayInput, opts?: LogsumexpOptions | Axis): NDArray;
export function logsumexp(x: ArrayInput, opts?: LogsumexpOptions | Axis): NDArray | [NDArray, NDArray] {
  const fn = 'np.logsumexp';
  atMost(fn, arguments.length, 2);
  const given = (opts !== null && typeof opts === 'object' && !Array.isArray(opts)) ? opts as LogsumexpOptions : undefined;
  if (given?.b === undefined) {
    const { a, axes, o } = reduction(fn, x, opts, LOGSUMEXP_SPEC);
    return logsumexpOver(fn, inexact(a), null, axes, o as LogsumexpOptions);
  }
  // weighted: x and b broadcast together first (the axes are the broadcast shape's)
  const x0 = inexact(operand(fn, 0, x)), w0 = operand(fn, 1, given.b, given.b instanceof NDArray ? undefined : x0.dtype); // (JS b in x's precision)
  requireComputable(fn, [x0, w0]);
  const shape = broadcastShapes(fn, x0.shape, w0.shape);
  const { a, axes, o } = reduction(fn, broadcastTo(x0, shape), { ...given, b: undefined }, LOGSUMEXP_SPEC);
  return logsumexpOver(fn, a, broadcastTo(w0, shape), axes, o as LogsumexpOptions);
}

/**
 * log(sum(w e^a)) over `axes` (jax.nn.logsumexp): m, the max of the real parts under
 * stop_gradient with a non-finite max replaced by 0, is subtracted first and added back. Entries
 * with weight 0 are masked to -inf first, so a huge masked x cannot move the max (their x and w
 * get zero gradient, as in JAX). Complex: shifted by the real max only, so the log's imaginary part
 * is the principal one (a complex max's imaginary part added back left it outside (-pi, pi]).
 * A negative real sum is NaN, unless `returnSign`: then [log|sum| + m, sign(sum)].
 */
function logsumexpOver(fn: string, a: NDArray, w: NDArray | null, axes: number[], o: LogsumexpOptions): NDArray | [NDArray, NDArray] {
  const outShape = a.shape.filter((_, i) => !axes.includes(i));
  const final = (v: NDArray) => (o.keepdims ? v : reshape(v, outShape));
  const sumDtype = w === null ? a.dtype : promoteFloat([a.dtype, w.dtype]);
  if (axes.some((i) => a.shape[i] === 0)) { // an empty sum: log 0 = -inf, sign 0 (the max has no identity)
    const out = keep(filled(fn, outShape, -Infinity, o.returnSign ? realOf(sumDtype) : sumDtype), a, axes, o.keepdims);
    return o.returnSign ? [out, keep(filled(fn, outShape, 0, sumDtype), a, axes, o.keepdims)] : out;
  }
  return heavyComposite(w === null ? [a] : [a, w], () => {
    const masked = w === null ? a : where(notEqual(w, 0), a, -Infinity);
    const top = isComplex(a.dtype) ? max(lax.real(masked), { axis: axes, keepdims: true }) : max(masked, { axis: axes, keepdims: true });
    const m = finiteOrZero(lax.stopGradient(top));
    const e = exp(subtract(masked, isComplex(a.dtype) ? astype(m, a.dtype) : m));
    const s = sum(w === null ? e : multiply(w, e), { axis: axes, keepdims: true });
    if (!o.returnSign) return final(add(log(s), isComplex(s.dtype) ? astype(m, s.dtype) : m));
    return [final(add(log(abs(s)), astype(m, realOf(s.dtype)))), final(sign(s))];
  });
}

/** JAX's promote_args_inexact: bool and integer operands are float32 (x - max(x) must not wrap). */
const inexact = (a: NDArray): NDArray => (isInexact(a.dtype) ? a : astype(a, 'float32'));

/** m where finite, else 0 (m - m is 0 exactly for finite m, NaN for inf and NaN). */
const finiteOrZero = (m: NDArray): NDArray => where(equal(subtract(m, m), 0), m, 0);

export interface AxisOption { axis?: number | number[] | null }
/** softmax's options: jax.nn's `where`, a bool mask broadcasting to x (attention's causal or padding mask). */
export interface SoftmaxOptions extends AxisOption { where?: ArrayInput }
const SOFT: OptionSpec = { axis: 'axis', where: 'any' };
const AXIS_DTYPE: OptionSpec = { axis: 'axis', dtype: 'dtype' };

function softAxes(where: string, x: ArrayInput, opts: unknown): { a: NDArray; axes: number[]; mask: NDArray | null } {
  const o = readOptions<SoftmaxOptions>(where, opts, SOFT, 'axis');
  let a = operand(where, 0, x);
  requireComputable(where, [a]);
  a = inexact(a);
  // undefined: the default, the last axis; null: all axes, as jax.nn.softmax's axis=None (its max
  // and sum over every axis), not the last one (was read as -1: softmax(x, { axis: null }) of
  // [[1, 2], [3, 4]] normalised each row, summing to 2)
  const axes = checkAxes(where, o.axis === undefined ? -1 : o.axis, a.ndim);
  return { a, axes, mask: o.where === undefined || o.where === null ? null : maskOf(where, a, o.where) };
}

/**
 * x - max with the entries `mask` leaves out at -inf, the max (under stop_gradient) over the
 * entries kept, 0 where it keeps none. Masking x first keeps a masked entry's exp at 0 with a 0
 * derivative (exp of a huge masked x times the mask's zero cotangent was inf * 0 = NaN).
 */
function shiftedMasked(a: NDArray, axes: number[], mask: NDArray | null): NDArray {
  const xm = mask === null ? a : where(mask, a, -Infinity);
  const m = lax.stopGradient(max(xm, { axis: axes, keepdims: true }));
  return subtract(xm, mask === null ? m : finiteOrZero(m));
}

/** A sum s with its zeros (a slice the mask keeps nothing of) read as 1, so dividing by it or its log has finite derivatives. */
const nonzeroSum = (s: NDArray): NDArray => where(equal(s, 0), 1, s);

/**
 * np.softmax along `axis` (default -1; a list of axes, or null for all): exp(x - max) / sum, the
 * max under stop_gradient. `where` (jax.nn.softmax's): a bool mask broadcasting to x; the entries
 * it leaves out are 0 and take no part in the max or the sum (a slice with none kept is all 0).
 */
export function softmax(x: ArrayInput, opts?: SoftmaxOptions | number | number[] | null): NDArray {
  atMost('np.softmax', arguments.length, 2);
  const { a, axes, mask } = softAxes('np.softmax', x, opts);
  if (a.size === 0) return a;
  return heavyComposite(mask === null ? [a] : [a, mask], () => {
    const u = exp(shiftedMasked(a, axes, mask));
    const s = sum(u, { axis: axes, keepdims: true });
    return divide(u, mask === null ? s : nonzeroSum(s));
  });
}

/**
 * np.logSoftmax: x - max - log(sum(exp(x - max))), stable for large inputs; axes as np.softmax's.
 * `where` as softmax's: the entries it leaves out are -inf (jax.nn.log_softmax's).
 */
export function logSoftmax(x: ArrayInput, opts?: SoftmaxOptions | number | number[] | null): NDArray {
  atMost('np.logSoftmax', arguments.length, 2);
  const { a, axes, mask } = softAxes('np.logSoftmax', x, opts);
  if (a.size === 0) return a;
  return heavyComposite(mask === null ? [a] : [a, mask], () => {
    const s = shiftedMasked(a, axes, mask);
    const t = sum(exp(s), { axis: axes, keepdims: true });
    const r = subtract(s, log(mask === null ? t : nonzeroSum(t)));
    // the left-out entries are the constant -inf, derivative 0 (jax.nn.log_softmax's final
    // where(where, result, -inf)): -inf - log(sum) had the kept entries' -softmax as its
    // gradient and jvp, where JAX's is 0
    return mask === null ? r : where(mask, r, -Infinity);
  });
}

// ---------------------------------------------------------------- cumulative scans

/**
 * Inclusive scan along the last axis (Hillis-Steele: log2(n) steps of `op(x, x shifted by k)`
 * on the elements past the first k, which stay as they are). Each step is split + concatenate +
 * op, so derivatives come from those rules. (The first k were combined with a fill, the op's
 * identity, which complex multiplication is not for inf and NaN parts: (1 + 0i)(-2.5 + NaN i) is
 * NaN + NaN i, so cumprod lost a first element's finite part; jnp's associative scan never
 * combines it.)
 */
function scanLast(x: NDArray, op: (p: NDArray, q: NDArray) => NDArray): NDArray {
  const n = x.shape[x.ndim - 1], ax = x.ndim - 1;
  let v = x;
  for (let k = 1; k < n; k *= 2) {
    const [first, rest] = lax.split(v, [k, n - k], ax);
    const [head] = lax.split(v, [n - k, k], ax);
    v = lax.concatenate([first, op(rest, head)], ax);
  }
  return v;
}

/**
 * Inclusive scan along the last axis by JAX's associative_scan (lax.associative_scan: adjacent
 * pairs combined, the half-length scan recursed on, the even positions combined with the odd
 * prefixes before them, interleaved back). O(n) work. For cummax/cummin under a transform: the
 * values are the log-step scan's, and the gradient at tied values is JAX's, which splits by this
 * tree (grad(sum(cummax(zeros(3)))) = [1.75, 0.75, 0.5]; the log-step tree gave [2, 0.75, 0.25]).
 */
function assocScanLast(x: NDArray, op: (p: NDArray, q: NDArray) => NDArray): NDArray {
  const ax = x.ndim - 1, n = x.shape[ax], lead = x.shape.slice(0, -1);
  if (n < 2) return x;
  const m = Math.floor(n / 2), odd = n % 2 === 1;
  const [head, tail] = odd ? lax.split(x, [n - 1, 1], ax) : [x, null];
  const [e2, o2] = lax.split(reshape(head, [...lead, m, 2]), [1, 1], ax + 1);
  const e = reshape(e2, [...lead, m]), o = reshape(o2, [...lead, m]); // x[0::2] (without a last odd one), x[1::2]
  // (op(later, earlier), as scanLast's: a tie keeps the later operand, so -0 and 0 come out as eagerly)
  const oddPrefix = assocScanLast(op(o, e), op); // the prefixes ending at 1, 3, ..., 2m - 1
  // the prefixes ending at 2, 4, ...: the odd prefix before each, combined with it
  const later = [...(m > 1 ? [lax.split(e, [1, m - 1], ax)[1]] : []), ...(tail ? [tail] : [])];
  const first = lax.split(x, [1, n - 1], ax)[0];
  let even = first;
  if (later.length > 0) {
    const next = later.length === 1 ? later[0] : lax.concatenate(later, ax);
    const k = next.shape[ax]; // m - 1 (n even) or m (n odd)
    const before = k === m ? oddPrefix : lax.split(oddPrefix, [k, m - k], ax)[0];
    even = lax.concatenate([first, op(next, before)], ax);
  }
  // interleave: even[0], odd[0], even[1], odd[1], ... (n odd: even has one more, last)
  const evenPaired = odd ? lax.split(even, [m, 1], ax) : [even];
  const woven = reshape(lax.concatenate([expand(evenPaired[0]), expand(oddPrefix)], ax + 1), [...lead, 2 * m]);
  return odd ? lax.concatenate([woven, evenPaired[1]], ax) : woven;
}
const expand = (v: NDArray): NDArray => reshape(v, [...v.shape, 1]);

function cumulative(where: string, op: (p: NDArray, q: NDArray) => NDArray, widen = false, jaxTree = false) {
  return function (x: ArrayInput, opts?: { axis?: number | null; dtype?: DType } | number | null): NDArray {
    atMost(where, arguments.length, 2);
    const o = readOptions<{ axis?: number | null; dtype?: DType }>(where, opts, AXIS_DTYPE, 'axis');
    let a = operand(where, 0, x);
    requireComputable(where, [a]);
    // jnp's dtype: the input converted first, the running values in it; without it JAX's
    // _cumulative_reduction promotes a bool result type to the default int (int32).
    if (o.dtype !== undefined) a = astype(a, o.dtype);
    if (a.dtype === 'bool') a = astype(a, 'int32');
    if (Array.isArray(o.axis)) throw new ValueError(`${where}: axis must be an integer or null, got ${show(o.axis)}`);
    const axis = o.axis === undefined || o.axis === null ? -1 : normalizeAxisList(where, [o.axis], a.ndim)[0];
    // Eagerly a large prod/max/min scan runs as a jitted program (one per shape, kept): its
    // log2(n) levels run back to back in wasm with reused buffers, not each level's ops as eager
    // results (cumprod of 1M float32: ~400 -> ~80 ms after the first call; cummax 60-88 -> 27 ms).
    const r = op !== lax.add && !inTrace() && a.size >= JIT_SCAN_MIN ? scanJit(where, body)(a, axis) : body(a, axis);
    // (a bool dtype asked for: the running sum (product) of 0s and 1s, nonzero where the or (and) is true)
    return o.dtype === 'bool' ? astype(r, 'bool') : r;
  };
  function body(a: NDArray, axis: number): NDArray {
    // cumprod: float32 and complex64 in double precision, rounded once (as prod: the scan's
    // log2(n) levels of float32 products drifted 2e-3 relative over 1e5 values near 1)
    const dtype = a.dtype, wide = !widen ? null : dtype === 'float32' ? 'float64' : dtype === 'complex64' ? 'complex128' : null;
    if (wide !== null) a = astype(a, wide);
    // (float32 products: from the double scan, with float32's overflow and underflow kept)
    // (cummax/cummin under a transform: JAX's tree, for its gradient at ties; eagerly the log-step
    // scan's fewer ops give the same values)
    // (cumprod: the associative scan, O(n) work and residuals, on every path, so that eager, jit and
    // vmap round alike: the log-step scan kept log2(n) full-length float64 levels for the
    // derivative, so grad of cumprod of 1M float32 grew the process to 1.9 GB, now 0.66 GB; eager
    // cumprod of 1e3 to 1e5 elements takes 1.5-2x the log-step scan's time)
    const scan = (v: NDArray) => {
      if (jaxTree && inTrace()) return assocScanLast(v, op);
      const p = op === lax.mul ? assocScanLast(v, op) : scanLast(v, op);
      return wide === 'float64' ? float32Prefixes(p) : p;
    };
    let r: NDArray;
    if (op === lax.add) { // the cumsum primitive: one pass (the log-step scan took log2(n) of them)
      const flat = axis === -1;
      r = bind('cumsum', [flat ? reshape(a, [-1]) : a], [flat ? 0 : axis, 0]);
    } else if (axis === -1) r = scan(reshape(a, [-1]));
    else {
      const perm = [...a.shape.keys()].filter((i) => i !== axis).concat([axis]);
      const inv = perm.map((_, i) => perm.indexOf(i));
      r = lax.transpose(scan(lax.transpose(a, perm)), inv);
    }
    return r.dtype === dtype ? r : astype(r, dtype);
  }
}

/** Eager prod/max/min scans of at least this many elements run jitted (below it a trace costs more than it saves). */
const JIT_SCAN_MIN = 1 << 16;
const scanJits = new Map<string, (a: NDArray, axis: number) => NDArray>();
/** The jitted scan of np function `where` (axis -1: flattened; a JS number, so a static argument). */
function scanJit(where: string, body: (a: NDArray, axis: number) => NDArray): (a: NDArray, axis: number) => NDArray {
  let f = scanJits.get(where);
  if (f === undefined) {
    const named = { [where]: (a: NDArray, axis: number) => body(a, axis) }[where]; // (errors say jit(np.cumprod))
    f = jit(named) as (a: NDArray, axis: number) => NDArray;
    scanJits.set(where, f);
  }
  return f;
}

/**
 * float32 prefix products from float64 ones `p` (along the last axis). Rounding each to float32
 * alone would let a product come back from an overflow (1e30 * 1e30 * 1e-30: inf, then 1e30),
 * which float32 arithmetic (numpy's, jnp's) never does: past the first prefix that overflows
 * float32 every one is +-inf (by the sign of the product; NaN after a 0), past the first that
 * underflows to 0 every one is +-0.
 */
function float32Prefixes(p: NDArray): NDArray {
  const r = astype(p, 'float32'), n = p.shape[p.ndim - 1];
  const i32 = (v: number) => lax.full(p.shape, v, 'int32');
  const over = lax.bitwiseAnd(lax.eq(lax.abs(r), lax.full(r.shape, Infinity, 'float32')), lax.lt(lax.abs(p), lax.full(p.shape, Infinity, 'float64')));
  const under = lax.bitwiseAnd(lax.eq(r, lax.full(r.shape, 0, 'float32')), lax.ne(p, lax.full(p.shape, 0, 'float64')));
  // the first event along the axis wins: codes (n - position) * 4 + kind, carried by a running max
  const pos = lax.broadcastInDim(lax.iota(n), p.shape, [p.ndim - 1]);
  const rank = lax.mul(lax.sub(i32(n), pos), i32(4));
  const code = lax.select(over, lax.add(rank, i32(1)), lax.select(under, lax.add(rank, i32(2)), i32(0)));
  const kind = lax.bitwiseAnd((inTrace() ? assocScanLast : scanLast)(code, lax.max), i32(3)); // (ints: the same values either way)
  const sp = lax.stopGradient(p), sign = astype(lax.sign(sp), 'float32'); // (p's: r is already 0 past an underflow)
  const inf = lax.mul(sign, lax.full(r.shape, Infinity, 'float32'));
  // past an underflow float32's 0 times an inf is NaN, and stays NaN (p is inf there: an inf
  // input; p's own float64 overflow would need ten more values near float32's max)
  const zero = lax.select(lax.eq(lax.abs(sp), lax.full(p.shape, Infinity, 'float64')), lax.full(r.shape, NaN, 'float32'), lax.mul(sign, lax.full(r.shape, 0, 'float32')));
  const value = lax.select(lax.eq(kind, i32(1)), inf, lax.select(lax.eq(kind, i32(2)), zero, lax.stopGradient(r)));
  // The derivative is the float64 prefix's, rounded: past an overflow or underflow too (the
  // constants picked there had none: d cumprod(1e-30, 1e-30, 1e30)_1 / dx_0 was 0, not 1e-30).
  // value - (sp - p): exactly the value (sp - p is +0, and x - +0 keeps a -0), derivative dp.
  const finite = lax.lt(lax.abs(sp), lax.full(p.shape, Infinity, 'float64'));
  const tangent = astype(lax.select(finite, lax.sub(sp, p), lax.full(p.shape, 0, 'float64')), 'float32');
  return lax.sub(value, tangent);
}

/** np.cumsum / cumprod / cummax / cummin along `axis` (null: the flattened array, numpy's default). */
export const cumsum = cumulative('np.cumsum', lax.add);
export const cumprod = cumulative('np.cumprod', lax.mul, true);
export const cummax = cumulative('np.cummax', (p, q) => maximum(p, q), false, true);
export const cummin = cumulative('np.cummin', (p, q) => minimum(p, q), false, true);

// ---------------------------------------------------------------- norms

export interface NormOptions { ord?: number | null; axis?: number | number[] | null; keepdims?: boolean }

/**
 * Vector norms (numpy.linalg.norm for vectors): ord 2 (default), 1, inf, -inf, 0 (count of
 * nonzeros) or any p, over `axis` (default all axes, as one vector). Matrix norms belong to linalg.
 */
/**
 * The least root of a sum of n squares that is exact enough as it is: its square past n times the
 * smallest normal over the unit roundoff, so the squares that underflowed (each below the smallest
 * normal) weigh less than its rounding.
 */
const plainFloor = (dt: DType, n: number) => Math.sqrt(n * (dt === 'float64' ? 2 ** -1022 * 2 ** 53 : 2 ** -126 * 2 ** 24));
/** Whether every value of a concrete root is at least `floor` and finite (the sum did not overflow); null when abstract (under jit or vmap). */
function plainNormSafe(root: NDArray, floor: number): boolean | null {
  let v: ArrayLike<number>;
  try { v = root.dataSync() as ArrayLike<number>; } catch (e) { if (e instanceof TracerError) return null; throw e; }
  for (let i = 0; i < v.length; i++) if (!(v[i] >= floor && v[i] < Infinity)) return false;
  return true;
}

export function norm(x: ArrayInput, opts?: NormOptions | number | null): NDArray {
  atMost('np.norm', arguments.length, 2);
  const o = readOptions<NormOptions>('np.norm', opts, { ord: 'any', axis: 'axis', keepdims: 'boolean' }, 'ord'); // (numpy's positional ord too)
  const ord = o.ord ?? 2;
  if (typeof ord !== 'number' || Number.isNaN(ord)) throw new ValueError(`np.norm: ord must be a number (vector norms), got ${show(ord)}`);
  let a = operand('np.norm', 0, x);
  requireComputable('np.norm', [a]);
  if (!isInexact(a.dtype)) a = astype(a, 'float32'); // as jnp's promote_dtypes_inexact: int32 squares wrapped (norm([65536, 0]) was 0)
  const r = { axis: o.axis ?? null, keepdims: o.keepdims };
  // (checked here, so an axis error names np.norm, not the reduction it goes through)
  const red = r.axis === null ? a.shape.map((_, i) => i) : normalizeAxisList('np.norm', Array.isArray(r.axis) ? r.axis : [r.axis], a.ndim);
  const m = () => abs(a); // (|x|: only where an ord needs it, a full-size pass)
  if (ord === Infinity) {
    // an empty vector's largest magnitude is 0 (numpy's norm; magnitudes are >= 0, so 0 is max's identity here)
    if (red.some((i) => a.shape[i] === 0)) return sum(m(), r);
    return max(m(), r);
  }
  if (ord === -Infinity) return min(m(), r);
  if (ord === 0) return sum(astype(notEqual(a, 0), realOf(a.dtype)), r);
  if (ord === 1) return sum(m(), r);
  if (red.some((i) => a.shape[i] === 0)) return ord < 0 ? power(sum(power(m(), ord), r), 1 / ord) : sum(m(), r); // (empty: 0, or inf for p < 0, as numpy)
  if (ord === 2) {
    // The plain root of the sum of squares where its values show the sum neither overflowed nor
    // came near the underflow (eagerly and under grad: one fused pass; the scaled form below cost
    // 4x on small vectors); else, and under jit, the scaled form.
    const squares = () => sum(isComplex(a.dtype) ? lax.real(multiply(a, lax.conj(a))) : multiply(a, a), r);
    const plain = heavyComposite([a], () => sqrt(squares()));
    const floor = plainFloor(plain.dtype, red.reduce((k, i) => k * a.shape[i], 1));
    const safe = plainNormSafe(plain, floor);
    if (safe === true) return plain;
    if (safe === null) {
      // Abstract (jit, vmap): a cond row runs the scaled form only when the plain one is not
      // safe. The plain root is taken of where(ok, sum, 1): where the sum underflowed to 0 its
      // root's infinite derivative, though not selected, made jit(grad(norm)) NaN.
      const ss = squares(), c = (v: number) => filled('np.norm', ss.shape, v, ss.dtype);
      const ok = lax.bitwiseAnd(lax.ge(ss, c(floor * floor)), lax.lt(ss, c(Infinity)));
      const guarded = sqrt(lax.select(ok, ss, c(1)));
      return cond(all(ok), () => guarded, () => scaledNorm(a, ord, red, r));
    }
  }
  return scaledNorm(a, ord, red, r);
}

function scaledNorm(a: NDArray, ord: number, red: number[], r: { axis: number | number[] | null; keepdims?: boolean }): NDArray {
  const m = () => abs(a);
  // Scaled by the largest magnitude (the smallest for p < 0) and scaled back: sum(x^2) overflowed
  // or underflowed, so float32 norm([1e20, 1e20]) was inf (its gradient [0, 0]) and
  // norm([1e-25, 1e-25]) 0 (gradient [inf, inf]), float64 alike at 1e200 / 1e-200 (numpy's and
  // jnp's are too; hypot's is not). A zero, inf or NaN scale is 1 (their own answer). Under
  // stop_gradient: s f(x / s) = f(x) for any s > 0, so every derivative is f's. (A power-of-two
  // scale through frexp/ldexp was exact but cost ~2 ms per call; x / s rounds once, at most
  // half an ulp, which the sum's own rounding already exceeds.)
  // (one composite: as separate eager ops its ~15 small ones cost ~200 us per call)
  return heavyComposite([a], () => {
    // (real ord 2: max |x| as max(max x, -min x), two reductions without abs's full-size pass)
    const big = (v: NDArray) => max(v, { axis: red, keepdims: true });
    const top = lax.stopGradient(ord < 0 ? min(m(), { axis: red, keepdims: true })
      : ord === 2 && !isComplex(a.dtype) ? maximum(big(a), lax.neg(min(a, { axis: red, keepdims: true }))) : big(m()));
    const s = lax.select(lax.bitwiseAnd(lax.gt(top, filled('np.norm', top.shape, 0, top.dtype)), lax.lt(top, filled('np.norm', top.shape, Infinity, top.dtype))), top, filled('np.norm', top.shape, 1, top.dtype));
    const t = divide(a, isComplex(a.dtype) ? astype(s, a.dtype) : s);
    const inner = ord === 2
      ? sqrt(sum(isComplex(t.dtype) ? lax.real(multiply(t, lax.conj(t))) : multiply(t, t), { axis: red, keepdims: true }))
      : power(sum(power(abs(t), ord), { axis: red, keepdims: true }), 1 / ord);
    return keep(reshape(multiply(inner, s), a.shape.filter((_, i) => !red.includes(i))), a, red, r.keepdims);
  });
}

