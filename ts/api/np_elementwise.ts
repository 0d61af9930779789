// numpy's wider elementwise set, on the primitives of lax.ts (one kernel each where speed or
// accuracy needs it: expm1, log1p, the inverse trig and hyperbolic functions, erf, lgamma, ...),
// the rest composed here as jax.numpy composes them. Re-exported from numpy.ts.
//
// Dtypes: float functions take ints and bools and compute in float32 (as jnp); integer-valued
// functions (floor, ceil, round, trunc on ints) return their input; the integer arithmetic
// (remainder, floorDivide, shifts, bitwise) follows JAX's and XLA's defined results, never traps.
import { NDArray, ArrayInput } from './array.js';
import * as lax from './lax.js';
import { DType, DTYPE_CODE, isComplex, isFloating, isInteger } from '../core/dtype.js';
import { DTypeError, NotImplementedError, TracerError, ValueError, describe } from '../core/errors.js';
import { atMost, readOptions, readOptionalPositions, show } from './options.js';
import { composite, heavyComposite } from './np_shared.js';
import { bind } from './bind.js';
import {
  prepare, floatDtype, commonDtype, operand, requireComputable, where, add, subtract, multiply, divide,
  negative, abs, maximum, minimum, less, greater, greaterEqual, equal, notEqual, sqrt, exp, power, sigmoidNamed, astype, broadcastShapes,
  array, dtypeForPromotion,
} from './numpy.js';

function floatUnary(where_: string, f: (x: NDArray) => NDArray, x: ArrayInput): NDArray {
  const [a] = prepare(where_, [x], floatDtype(where_, [x]));
  return f(a);
}
/** floatUnary for the functions with no complex form here (as jnp's cbrt, erf, lgamma, floor, ...). */
function realUnary(where_: string, f: (x: NDArray) => NDArray, x: ArrayInput): NDArray {
  const dt = floatDtype(where_, [x]);
  if (isComplex(dt)) throw new DTypeError(`${where_}: not defined for complex operands (JAX refuses them too), got ${dt}`);
  return floatUnary(where_, f, x);
}
/** Promote and broadcast to the common (non-bool unless both are bool) dtype. */
function numeric(where_: string, x: ArrayInput, y: ArrayInput, allowBool = false): [NDArray, NDArray] {
  let dt = commonDtype(where_, [x, y]);
  if (dt === 'bool' && !allowBool) dt = 'int32'; // JAX's promote_args_numeric: two bools compute in int32
  if (isComplex(dt)) throw new DTypeError(`${where_}: not defined for complex operands (numpy and JAX refuse them too), got ${dt}`);
  return prepare(where_, [x, y], dt) as [NDArray, NDArray];
}
/** floatBinary for functions of real arguments only (arctan2, hypot, copysign, heaviside): complex is refused by name. */
function realBinary(where_: string, f: (x: NDArray, y: NDArray) => NDArray, x: ArrayInput, y: ArrayInput): NDArray {
  const dt = floatDtype(where_, [x, y]);
  if (isComplex(dt)) throw new DTypeError(`${where_}: not defined for complex operands (numpy and JAX refuse them too), got ${dt}`);
  const [a, b] = prepare(where_, [x, y], dt);
  return f(a, b);
}
const finite = (d: DType): number => (d === 'float64' ? Number.MAX_VALUE : 3.4028234663852886e38);

// ---------------------------------------------------------------- exp / log family

/** A float function whose complex form is composed from the parts (JAX defines these on complex too). */
function inexactUnary(where_: string, real: (a: NDArray) => NDArray, complex: (z: NDArray) => NDArray, x: ArrayInput): NDArray {
  const [a] = prepare(where_, [x], floatDtype(where_, [x]));
  return isComplex(a.dtype) ? complex(a) : real(a);
}
/**
 * Complex: 2^x (cos(y ln 2) + i sin(y ln 2)), in complex128 (one rounding for complex64). Not
 * exp(z ln 2): x ln 2's rounding cost 2^x hundreds of ulps at x = 642, and complex64's float32
 * y ln 2 0.1% of the phase at y = 1e5. An infinite 2^x on the real axis keeps the imaginary 0
 * (inf + 0i, not inf * sin 0 = NaN), as C99's cexp.
 */
export function exp2(x: ArrayInput): NDArray {
  return inexactUnary('np.exp2', lax.exp2, (z) => {
    const w = z.dtype === 'complex64' ? astype(z, 'complex128') : z;
    const re = lax.real(w), im = lax.imag(w), m = lax.exp2(re), t = multiply(im, Math.LN2);
    // C99's cexp at the edges (numpy's): 2^x not finite on the real axis keeps the imaginary 0
    // (inf + 0i, NaN + 0i); a phase that is not finite gives 0 for 2^x = 0 and inf + NaN i for inf
    const mFinite = isfinite(m), tFinite = isfinite(t);
    const imPart = where(lax.bitwiseAnd(lax.bitwiseNot(mFinite), equal(im, 0)), im, multiply(m, lax.sin(t)));
    // (inf + NaN i only for x = +inf: a finite x whose 2^x overflowed gives NaN + NaN i, as cexp(x + i inf))
    const rePart = where(tFinite, multiply(m, lax.cos(t)), where(equal(m, 0), 0, where(isinf(re), m, multiply(m, lax.cos(t)))));
    const imOut = where(lax.bitwiseAnd(lax.bitwiseNot(tFinite), equal(m, 0)), 0, imPart);
    const out = lax.complex(rePart, imOut);
    return out.dtype === z.dtype ? out : astype(out, z.dtype);
  }, x);
}
/**
 * Complex: (expm1(x) cos y - 2 sin^2(y/2)) + i e^x sin y, no cancellation near 0; for x > 1,
 * exp(z) - 1 (nothing to cancel there), whose kernel keeps e^x sin y finite where e^x alone
 * overflows and a zero imaginary part zero (complex64 expm1(89 + 0j) was inf + NaN i, and
 * expm1(89 - 3j) -inf - inf i for -4.4e38 - 6.3e37i; NumPy's formula has the same fault).
 */
export function expm1(x: ArrayInput): NDArray {
  return inexactUnary('np.expm1', lax.expm1, (z) => {
    const big = greater(lax.real(z), 1), zs = where(big, 0, z); // the formula sees only x <= 1 (JAX's double where)
    const re = lax.real(zs), im = lax.imag(zs), h = lax.sin(multiply(im, 0.5));
    const near = lax.complex(subtract(multiply(lax.expm1(re), lax.cos(im)), multiply(2, multiply(h, h))), multiply(exp(re), lax.sin(im)));
    return where(big, subtract(exp(where(big, z, 0)), 1), near);
  }, x);
}
/**
 * Complex: log|1 + z| + i arg(1 + z), with log|1 + z| = log1p(x (2 + x) + y^2) / 2 for |z| < 1/2
 * (no cancellation near 0) and log(hypot(1 + x, y)) elsewhere (no overflow); the small branch
 * sees only small values (JAX's double where), so neither branch's derivative is ever inf.
 */
export function log1p(x: ArrayInput): NDArray {
  return inexactUnary('np.log1p', lax.log1p, (z) => {
    const re = lax.real(z), im = lax.imag(z), small = less(abs(z), 0.5);
    const xs = where(small, re, 0), ys = where(small, im, 0), xp1 = add(re, 1);
    const near = multiply(0.5, lax.log1p(add(multiply(xs, add(xs, 2)), multiply(ys, ys))));
    return lax.complex(where(small, near, lax.log(lax.hypot(xp1, im))), lax.atan2(im, xp1));
  }, x);
}
/** log(z) scaled part by part: a complex division by ln 2 + 0i turns log(0) = -inf + 0i into -inf + NaN i. */
const scaledLog = (z: NDArray, c: number): NDArray => { const l = lax.log(z); return lax.complex(divide(lax.real(l), c), divide(lax.imag(l), c)); };
export function log2(x: ArrayInput): NDArray { return inexactUnary('np.log2', lax.log2, (z) => scaledLog(z, Math.LN2), x); }
export function log10(x: ArrayInput): NDArray { return inexactUnary('np.log10', lax.log10, (z) => scaledLog(z, Math.LN10), x); }
export function cbrt(x: ArrayInput): NDArray { return realUnary('np.cbrt', lax.cbrt, x); }
/** 1/sqrt(x) (two correctly rounded steps: within 1 ulp). */
export function rsqrt(x: ArrayInput): NDArray { return floatUnary('np.rsqrt', (a) => divide(1, sqrt(a)), x); }

// ---------------------------------------------------------------- trigonometric and hyperbolic

export function tan(x: ArrayInput): NDArray { return floatUnary('np.tan', lax.tan, x); }
export function arcsin(x: ArrayInput): NDArray { return floatUnary('np.arcsin', lax.asin, x); }
export function arccos(x: ArrayInput): NDArray { return floatUnary('np.arccos', lax.acos, x); }
export function arctan(x: ArrayInput): NDArray { return floatUnary('np.arctan', lax.atan, x); }
export function arctan2(y: ArrayInput, x: ArrayInput): NDArray { return realBinary('np.arctan2', lax.atan2, y, x); }
export function sinh(x: ArrayInput): NDArray { return floatUnary('np.sinh', lax.sinh, x); }
export function cosh(x: ArrayInput): NDArray { return floatUnary('np.cosh', lax.cosh, x); }
export function arcsinh(x: ArrayInput): NDArray { return floatUnary('np.arcsinh', lax.asinh, x); }
export function arccosh(x: ArrayInput): NDArray { return floatUnary('np.arccosh', lax.acosh, x); }
export function arctanh(x: ArrayInput): NDArray { return floatUnary('np.arctanh', lax.atanh, x); }
/** hypot(x, y) = sqrt(x^2 + y^2) without overflow or underflow. */
export function hypot(x: ArrayInput, y: ArrayInput): NDArray { return realBinary('np.hypot', lax.hypot, x, y); }
// numpy 2 spellings
export { arcsin as asin, arccos as acos, arctan as atan, arctan2 as atan2, arcsinh as asinh, arccosh as acosh, arctanh as atanh };

// ---------------------------------------------------------------- special functions (jax.scipy.special)

export function erf(x: ArrayInput): NDArray { return realUnary('np.erf', lax.erf, x); }
export function erfc(x: ArrayInput): NDArray { return realUnary('np.erfc', lax.erfc, x); }
export function erfinv(x: ArrayInput): NDArray { return realUnary('np.erfinv', lax.erfInv, x); }
/** log|Gamma(x)| (+inf at the poles 0, -1, -2, ...). */
export function lgamma(x: ArrayInput): NDArray { return realUnary('np.lgamma', lax.lgamma, x); }
export { lgamma as gammaln };
/** digamma (NaN at the poles 0, -1, ...). */
export function digamma(x: ArrayInput): NDArray { return realUnary('np.digamma', lax.digamma, x); }
/**
 * polygamma(n, x), n in [0, 2^31 - 1] (0 is digamma), any real x (for n >= 1 the poles 0, -1,
 * ... are scipy's signed infinities). n is a JS integer, or an integer Array broadcast against
 * x (JAX's; a negative n gives NaN, as lax.polygamma's; one past 2^31 - 1 is the same
 * ValueError as a JS n's) whose values must be concrete: each distinct n is its own kernel.
 */
export function polygamma(n: number | ArrayInput, x: ArrayInput): NDArray {
  if (typeof n === 'number') {
    if (!Number.isInteger(n) || n < 0 || n > 2147483647) {
      throw new ValueError(`np.polygamma: n must be an integer in [0, 2147483647] (2^31 - 1), got ${n}`);
    }
    return n === 0 ? digamma(x) : realUnary('np.polygamma', (a) => lax.polygamma(n, a), x);
  }
  const m = operand('np.polygamma', 0, n);
  if (!isInteger(m.dtype)) throw new DTypeError(`np.polygamma: n must be an integer Array (JAX asserts an integer dtype), got ${describe(m.shape, m.dtype)}`);
  let values: ArrayLike<number>;
  try { values = m._values('np.polygamma') as ArrayLike<number>; } catch (e) {
    if (!(e instanceof TracerError)) throw e;
    throw new TracerError(`np.polygamma: n ${describe(m.shape, m.dtype)} has no concrete values here (abstract under jit, or batched by vmap); ` +
      'its values pick the function: pass a JS integer, or n as a static argument', { cause: e });
  }
  const a = realUnary('np.polygamma', (v) => v, x);
  let out = lax.full(broadcastShapes('np.polygamma', m.shape, a.shape), NaN, a.dtype);
  for (const k of [...new Set(Array.from(values))].sort((p, q) => p - q)) if (k >= 0) out = where(equal(m, k), polygamma(k, a), out);
  return out;
}

// ---------------------------------------------------------------- neural-net helpers

/** log(1 + e^x) = where(x >= 0, x, 0) + log1p(e^z), z = where(x >= 0, -x, x): each half of the
 *  line has its own smooth branch (x + log1p(e^-x), log1p(e^x): every order of derivative right,
 *  softplus'(0) = 1/2), e^z never overflows (so gradients never see 0 * inf), and the one log1p
 *  and exp serve both halves (as two branches they cost twice: 15 -> 8 ns an element jitted). */
export function softplus(x: ArrayInput): NDArray {
  const [a] = prepare('np.softplus', [x], floatDtype('np.softplus', [x]));
  return heavyComposite([a], () => {
    const pos = greaterEqual(a, 0);
    return principal(add(where(pos, a, 0), log1p(exp(where(pos, negative(a), a)))));
  });
}
/** log(sigmoid(x)) = -softplus(-x): exact far into the left tail (log_sigmoid(-1e4) = -1e4). */
export function logSigmoid(x: ArrayInput): NDArray {
  const a = floatUnary('np.logSigmoid', (v) => v, x);
  return heavyComposite([a], () => negative(softplus(negative(a))));
}
/** The logistic function (np.sigmoid). */
export function logistic(x: ArrayInput): NDArray { return sigmoidNamed('np.logistic', x); }
/** max(x, 0) with JAX's custom rule: derivative 0 at 0 and at NaN (select(x > 0, g, 0)); NaN stays NaN. */
export function relu(x: ArrayInput): NDArray {
  const a = operand('np.relu', 0, x);
  requireComputable('np.relu', [a]);
  if (a.dtype === 'bool') return a;
  return composite(() => where(greater(a, 0), a, isFloating(a.dtype) ? where(isnan(a), lax.stopGradient(a), 0) : 0), a);
}
/** log(e^x + e^y), stable; each side's branch sees only its own half-plane, so at x = y the
 *  gradient is 1/2 to each (as JAX's custom rule). */
export function logaddexp(x: ArrayInput, y: ArrayInput): NDArray {
  const [a, b] = prepare('np.logaddexp', [x, y], floatDtype('np.logaddexp', [x, y]));
  return heavyComposite([a, b], () => logaddexpOf(a, b));
}
function logaddexpOf(a: NDArray, b: NDArray, base2 = false): NDArray {
  const ge = greaterEqual(a, b);
  const s = add(a, b);
  // inf - inf (both infinite, one sign): the sum (+-inf), as JAX, with the sum's tangent ta + tb
  // at (inf, inf) (JAX's). d is 0 there, so the unused branch's partials stay finite: grad was NaN
  // at (inf, inf) (0 times the NaN partial). At (-inf, -inf) JAX gives NaN in both modes; this
  // gives (ta + tb) / 2, the limit along a = b (weights summing to 1, as every logaddexp's; ta + tb
  // made cumlogsumexp of four -inf weigh each 1), so a -inf mask (log 0) does not poison a
  // gradient that reaches it with a zero cotangent. Not where an input is NaN: there d stays NaN
  // and both modes give NaN (JAX's).
  const sameInf = logicalAnd(isnan(subtract(a, b)), logicalNot(isnan(s)));
  const d = where(sameInf, 0, subtract(a, b));
  // max(a, b) + tail(-|d|), each side with its own branch (a + tail(-d), b + tail(d)) and one
  // tail between them: -|d| <= 0, so the exponential never overflows
  const t = where(ge, negative(d), d);
  const tail = base2 ? divide(log1p(exp2(t)), Math.LN2) : log1p(exp(t));
  const r = add(where(ge, a, b), tail);
  return principal(where(sameInf, multiply(where(greater(s, 0), 1, 0.5), s), r));
}

/**
 * Complex: the imaginary part brought into [-pi, pi) (JAX's _wrap_between, in jnp.logaddexp):
 * adding the larger operand back left it where that operand's was (logaddexp(3+4i, 0.2+0.1i) had
 * 4.04i for -2.24i; softplus(5i) 5.64i). Real: x.
 */
export function principal(z: NDArray): NDArray {
  if (!isComplex(z.dtype)) return z;
  const im = lax.imag(z);
  return lax.complex(lax.real(z), subtract(remainder(add(im, Math.PI), 2 * Math.PI), Math.PI));
}

// ---------------------------------------------------------------- rounding and clipping

function integralOrSame(name: string, f: (a: NDArray) => NDArray, x: ArrayInput): NDArray {
  const a = operand(name, 0, x);
  requireComputable(name, [a]);
  if (isComplex(a.dtype)) throw new DTypeError(`${name}: not defined for complex operands (numpy and JAX refuse them too), got ${a.dtype}`);
  return isFloating(a.dtype) ? f(a) : a; // jnp returns integer and bool inputs as they are (complex: the primitive refuses)
}
export function floor(x: ArrayInput): NDArray { return integralOrSame('np.floor', lax.floor, x); }
export function ceil(x: ArrayInput): NDArray { return integralOrSame('np.ceil', lax.ceil, x); }
export function trunc(x: ArrayInput): NDArray { return integralOrSame('np.trunc', lax.trunc, x); }
export { trunc as fix };
/** Round half to even (numpy's rule), to `decimals` places as jnp.round: round(x 10^d) / 10^d. */
export function round(x: ArrayInput, opts?: { decimals?: number } | number): NDArray {
  const o = readOptions<{ decimals?: number }>('np.round', opts, { decimals: 'number' }, 'decimals');
  const d = o.decimals ?? 0;
  if (!Number.isInteger(d)) throw new ValueError(`np.round: decimals must be an integer, got ${d}`);
  const a = operand('np.round', 0, x);
  if (isComplex(a.dtype)) return lax.complex(round(lax.real(a), d), round(lax.imag(a), d)); // jnp.round: each part
  if (d === 0) return integralOrSame('np.round', lax.round, x);
  if (d < 0 && x instanceof NDArray && (isInteger(x.dtype) || x.dtype === 'bool')) {
    // integers would come back unchanged (jnp raises too; numpy rounds to tens, half to even)
    throw new NotImplementedError(`np.round: decimals ${d} < 0 on ${describe(x._shape, x.dtype)} is not supported (jnp neither); convert to a float dtype first`);
  }
  return integralOrSame('np.round', (a) => divide(lax.round(multiply(a, 10 ** d)), 10 ** d), x);
}
export { round as around };
/** jnp.rint: round half to even, integers and bools promoted to float32 first (unlike round); complex by parts. */
export function rint(x: ArrayInput): NDArray {
  const a = operand('np.rint', 0, x);
  if (isComplex(a.dtype)) return round(a);
  return floatUnary('np.rint', lax.round, a);
}
/** clip(x, lo, hi) = minimum(maximum(x, lo), hi), as jnp (ties split the gradient 1/2). */
export function clip(x: ArrayInput, lo?: ArrayInput | null | { min?: ArrayInput | null; max?: ArrayInput | null }, hi?: ArrayInput | null): NDArray {
  if (lo !== null && typeof lo === 'object' && !Array.isArray(lo) && !(lo instanceof NDArray) && !('re' in lo)) {
    // jnp.clip(x, min=..., max=...) as an options object
    if (hi !== undefined) throw new ValueError('np.clip: give the bounds either as { min, max } or as two arguments, not both');
    const o = readOptions<{ min?: ArrayInput | null; max?: ArrayInput | null }>('np.clip', lo, { min: 'any', max: 'any' });
    // (a bound that is itself an object was read as options again: { min: {} } clipped nothing)
    for (const [k, v] of [['min', o.min], ['max', o.max]] as const) {
      if (v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof NDArray) && !('re' in v)) {
        throw new DTypeError(`np.clip: ${k} must be an Array, a number or nested lists, got ${show(v)}`);
      }
    }
    return clip(x, o.min, o.max);
  }
  // a JS x weak beside Array bounds (clip([16777217], int32 0) was float32 16777216)
  let r = operand('np.clip', 0, x, x instanceof NDArray ? undefined : commonDtype('np.clip', [x, lo, hi].filter((v) => v !== undefined && v !== null) as ArrayInput[]));
  for (const v of [r, lo, hi]) {
    if (v !== undefined && v !== null && isComplex((v instanceof NDArray ? v : operand('np.clip', 1, v as ArrayInput)).dtype)) {
      throw new DTypeError('np.clip: complex values cannot be clipped (JAX refuses them too; clip np.real(x) and np.imag(x), or np.abs(x))');
    }
  }
  if (lo !== undefined && lo !== null) r = maximum(r, lo);
  if (hi !== undefined && hi !== null) r = minimum(r, hi);
  return r;
}
/** -1, 0 or 1 (and +-0 and NaN as they are, as XLA); zero derivative. Complex: z / |z| (0 at 0),
 *  also with a zero derivative, as JAX's sign. */
export function sign(x: ArrayInput): NDArray {
  const a = operand('np.sign', 0, x);
  requireComputable('np.sign', [a]);
  if (isComplex(a.dtype)) {
    const m = abs(a), zero = equal(m, 0);
    const unit = divide(a, lax.complex(where(zero, 1, m), lax.full(m.shape, 0, m.dtype)));
    return lax.stopGradient(where(zero, 0, unit));
  }
  if (a.dtype === 'bool') throw new DTypeError(`np.sign: not defined for bool (numpy and JAX refuse it too), got ${describe(a.shape, a.dtype)}; convert with np.astype`);
  return lax.sign(a);
}
/** numpy.copy / jnp.copy: a new Array equal to x, its dtype kept (a tracer comes back as it is: values are immutable, as x.copy()). */
export function copy(x: ArrayInput, ...rest: unknown[]): NDArray {
  // (was missing: `np.copy is not a function`)
  if (rest.length > 0) throw new ValueError(`np.copy: takes 1 argument (an Array's layout is always row-major: no order, no subok), got ${1 + rest.length}`);
  const a = operand('np.copy', 0, x);
  return a === x ? array(a) : a;
}
/** +x, a new Array of x's dtype; bool is refused, as numpy's positive (and np.negative here) refuse it. */
export function positive(x: ArrayInput): NDArray {
  if (dtypeForPromotion('np.positive', 0, x) === 'bool') throw new DTypeError('np.positive: not defined for bool (numpy refuses it too); use np.astype(x, \'int32\') or np.copy');
  const [a] = prepare('np.positive', [x], commonDtype('np.positive', [x]));
  return a === x ? array(a) : a;
}
/** |x| of real x as a float (jnp.fabs: ints and bools compute in float32); complex is refused, as numpy's and jnp's fabs refuse it (use np.abs). */
export function fabs(x: ArrayInput): NDArray {
  const dt = floatDtype('np.fabs', [x]);
  if (isComplex(dt)) throw new DTypeError(`np.fabs: not defined for complex operands (numpy and JAX refuse them too), got ${dt}; use np.abs for |z|`);
  return floatUnary('np.fabs', lax.abs, x);
}
/** |x| with y's sign: where(signbit(y), -|x|, |x|), a NaN y's sign bit read too (numpy's copysign(1, -nan) is -1). */
export function copysign(x: ArrayInput, y: ArrayInput): NDArray {
  // (the sign bit itself: b < 0 or a -0 read a NaN as positive, where numpy's copysign(1, -nan) is -1)
  return realBinary('np.copysign', (a, b) => where(signBitSet(b), negative(abs(a)), abs(a)), x, y);
}

// ---------------------------------------------------------------- division family

/** C's fmod: the sign of the dividend (lax.rem). Ints: x % 0 = 0 (jnp replaces a 0 divisor by 1), INT_MIN % -1 = 0. */
export function fmod(x: ArrayInput, y: ArrayInput): NDArray {
  const [a, d] = numeric('np.fmod', x, y);
  return lax.rem(a, isInteger(a.dtype) ? where(equal(d, 0), 1, d) : d);
}
/** numpy's remainder: the sign of the divisor (jnp's composition of lax.rem). Ints: x % 0 = 0 (jnp and numpy; lax.rem gives x). */
export function remainder(x: ArrayInput, y: ArrayInput): NDArray {
  const [a, d] = numeric('np.remainder', x, y);
  const b = isInteger(a.dtype) ? where(equal(d, 0), 1, d) : d;
  const r = lax.rem(a, b);
  if (a.dtype === 'uint32') return r;
  const plus = lax.bitwiseAnd(notEqual(r, 0), notEqual(less(r, 0), less(b, 0)));
  return where(plus, add(r, b), r);
}
export { remainder as mod };
/**
 * Floor division (jnp's composition): ints round toward -inf from lax.div (x // 0 then follows
 * XLA's x / 0 = -1 and the correction, as JAX); floats are (x - remainder) / y rounded, and x / 0 (+-inf) for y = 0.
 */
export function floorDivide(x: ArrayInput, y: ArrayInput): NDArray {
  const [a, b] = numeric('np.floorDivide', x, y);
  if (a.dtype === 'uint32') return lax.div(a, b);
  if (isInteger(a.dtype)) {
    const q = lax.div(a, b);
    const fix = lax.bitwiseAnd(notEqual(lax.sign(a), lax.sign(b)), notEqual(lax.rem(a, b), 0));
    return where(fix, subtract(q, 1), q);
  }
  return heavyComposite([a, b], () => {
    const m = lax.rem(a, b);
    const q = divide(where(equal(b, 0), a, subtract(a, m)), b); // x // 0 = x / 0 = +-inf (NaN from x - rem(x, 0)), as numpy and jnp
    const fix = lax.bitwiseAnd(notEqual(m, 0), notEqual(lax.sign(b), lax.sign(m)));
    return lax.round(where(fix, subtract(q, 1), q));
  });
}
/** [floorDivide(x, y), remainder(x, y)]. */
export function divmod(x: ArrayInput, y: ArrayInput): [NDArray, NDArray] { return [floorDivide(x, y), remainder(x, y)]; }

/** x^n for a JS integer n by repeated multiplication (JAX's integer_pow). */
export function integerPow(x: ArrayInput, n: number): NDArray {
  if (!Number.isInteger(n) || Math.abs(n) >= 2 ** 31) throw new ValueError(`np.integerPow: n must be a 32-bit integer, got ${n}`);
  return power(x, n);
}

// ---------------------------------------------------------------- predicates
/** log2(2^x + 2^y) = logaddexp(x ln 2, y ln 2) / ln 2. */
export function logaddexp2(x: ArrayInput, y: ArrayInput): NDArray {
  const [a, b] = prepare('np.logaddexp2', [x, y], floatDtype('np.logaddexp2', [x, y]));
  if (isComplex(a.dtype)) return divide(logaddexp(multiply(a, Math.LN2), multiply(b, Math.LN2)), Math.LN2);
  // real: JAX's max + log1p(exp2(-|d|)) / ln 2 in base 2 throughout. Through logaddexp(x ln 2, y ln 2)
  // the rounding of x ln 2 was magnified by the exponential (48 ulp in float32, 133 in float64, and
  // logaddexp2(x, x) missed x + 1)
  return heavyComposite([a, b], () => logaddexpOf(a, b, true));
}
/** NaN-ignoring maximum and minimum (numpy's fmax/fmin: NaN only where both are NaN). */
export function fmax(x: ArrayInput, y: ArrayInput): NDArray { return nanIgnoring('np.fmax', x, y, maximum, greater); }
export function fmin(x: ArrayInput, y: ArrayInput): NDArray { return nanIgnoring('np.fmin', x, y, minimum, less); }
/**
 * JAX's fmax/fmin for real operands, where(x1 > x2 | isnan(x2), x1, x2) (< for fmin): a tie, and
 * its derivative, goes to x2 (maximum's 1/2 split is np.maximum's). Complex: maximum's order.
 */
function nanIgnoring(where_: string, x: ArrayInput, y: ArrayInput, f: (a: NDArray, b: NDArray) => NDArray,
  beats: (a: ArrayInput, b: ArrayInput) => NDArray): NDArray {
  // (complex too: numpy's fmax orders complex lexicographically, as maximum here does)
  const [a, b] = prepare(where_, [x, y], commonDtype(where_, [x, y])) as [NDArray, NDArray];
  if (isComplex(a.dtype)) return where(isnan(a), b, where(isnan(b), a, f(a, b)));
  if (!isFloating(a.dtype)) return f(a, b); // (integers have no NaN)
  return where(beats(a, b), a, where(isnan(b), a, b));
}
/** Degrees and radians (numpy's deg2rad / radians, rad2deg / degrees). */
export function deg2rad(x: ArrayInput): NDArray { return floatUnary('np.deg2rad', (a) => multiply(a, Math.PI / 180), x); }
export function rad2deg(x: ArrayInput): NDArray { return floatUnary('np.rad2deg', (a) => multiply(a, 180 / Math.PI), x); }
export { deg2rad as radians, rad2deg as degrees };
/**
 * sin(pi x) / (pi x), 1 at 0. Near 0 (|pi x| < 1) it is its Maclaurin polynomial in
 * u = (pi x)^2 through u^9 (the next term is below 2e-20), so derivatives of every order up to 8
 * are right at and around 0 (JAX's _sinc_maclaurin; a where(x == 0, 1, ...) has them all 0 at 0).
 * Each branch sees only its own region's values: no 0/0 or huge terms reach the gradient.
 * Elsewhere sin(pi x) is (-1)^n sin(pi r), n = round(x) and r = x - n exact: numpy's and JAX's
 * sin(pi x) rounds pi x first, so sinc(1) was 3.9e-17 (float32 -2.8e-8), sinc(-18.000000001)
 * 1.6e10 ulp off and float32 sinc(10000.25) 1e-3 (helper-231, against mpmath); an integer x is 0.
 */
export function sinc(x: ArrayInput): NDArray {
  return floatUnary('np.sinc', (a) => heavyComposite([a], () => {
    // |pi x| < 1, through u^9 (the next term, u^10 / 21!, is below 2e-20, and so are its first
    // derivatives'). The old cut at |pi x| < 0.1 through u^4 was right for the value only: the
    // polynomial's second derivative was off by the dropped u^5 / 11! term's (190 ulp at x = 0.03
    // in float64), and just past the cut sin(pi x) / (pi x)'s derivatives cancel as
    // (pi x cos - sin) / (pi x^2): 111 ulp (d1) and 579 (d2) at x = 0.032 in float64, 142 / 136 in
    // float32 (helper-273, against mpmath). At |pi x| = 1 that cancellation costs a few ulp.
    const small = less(abs(a), 1 / Math.PI);
    const px = multiply(where(small, 1, a), Math.PI);
    const pz = multiply(where(small, a, 0), Math.PI);
    const u = multiply(pz, pz);
    // (-1)^k / (2k + 1)!, k = 9 down to 0
    const coef = [-1 / 121645100408832000, 1 / 355687428096000, -1 / 1307674368000, 1 / 6227020800, -1 / 39916800, 1 / 362880, -1 / 5040, 1 / 120, -1 / 6, 1];
    let poly = add(multiply(u, coef[0]), coef[1]);
    for (const c of coef.slice(2)) poly = add(multiply(u, poly), c);
    // Complex (numpy's and JAX's sinc take it; was refused through floor): n = rint(re z), so
    // sin(pi z) = (-1)^n sin(pi (z - n)) still holds and the real part alone is reduced (helper-253).
    const b = where(small, 1, a), n = rint(isComplex(b.dtype) ? lax.real(b) : b), r = subtract(b, n);
    const odd = subtract(n, multiply(floor(multiply(n, 0.5)), 2)); // n mod 2 (every float past 2^53, 2^24 in float32, is even)
    const sinPx = multiply(lax.sin(multiply(r, Math.PI)), subtract(1, multiply(odd, 2)));
    // (+ 0: at an integer the quotient may be -0; numpy's value there is a tiny positive, so +0)
    return where(small, poly, add(divide(sinPx, px), 0));
  }), x);
}
/**
 * numpy.heaviside(x, h0): 0 below 0, h0 at 0, 1 above (NaN stays NaN). Derivative 0 in x; in h0
 * 1 where x is 0 (the value there is h0 itself, as jnp's nested where gives), 0 elsewhere.
 */
export function heaviside(x: ArrayInput, h0: ArrayInput): NDArray {
  return realBinary('np.heaviside', (a, h) => where(isnan(a), lax.stopGradient(a), where(equal(a, 0), h, where(greater(a, 0), 1, 0))), x, h0);
}

export interface IsCloseOptions { rtol?: number; atol?: number; equalNan?: boolean }
/**
 * numpy.isclose: |a - b| <= atol + rtol |b| (rtol 1e-5, atol 1e-8), infinities close only to
 * themselves, NaN close to NaN only with equalNan. allclose: all of them.
 */
export function isclose(x: ArrayInput, y: ArrayInput, opts?: IsCloseOptions): NDArray;
/** numpy's positional form, isclose(a, b, rtol, atol, equal_nan) (an options object may follow, or stand in any place). */
export function isclose(x: ArrayInput, y: ArrayInput, rtol?: number | null | IsCloseOptions, atol?: number | null | IsCloseOptions,
  equalNan?: boolean | null | IsCloseOptions, opts?: IsCloseOptions): NDArray;
export function isclose(x: ArrayInput, y: ArrayInput, ...rest: unknown[]): NDArray {
  return closeness('np.isclose', x, y, rest);
}

function closeness(where_: string, x: ArrayInput, y: ArrayInput, rest: unknown[]): NDArray {
  atMost(where_, 2 + rest.length, 6);
  const o = readOptionalPositions<IsCloseOptions>(where_, rest, ['rtol', 'atol', 'equalNan'], { rtol: 'number', atol: 'number', equalNan: 'boolean' });
  const [a, b] = prepare(where_, [x, y], floatDtype(where_, [x, y]));
  const rtol = o.rtol ?? 1e-5, atol = o.atol ?? 1e-8;
  const finite = lax.bitwiseAnd(isfinite(a), isfinite(b));
  const near = lax.bitwiseAnd(finite, lax.le(abs(subtract(a, b)), add(multiply(abs(b), rtol), atol)));
  const same = lax.bitwiseAnd(lax.bitwiseNot(finite), equal(a, b)); // +-inf == +-inf
  const nans = o.equalNan ? lax.bitwiseAnd(isnan(a), isnan(b)) : null;
  const out = lax.bitwiseOr(near, same);
  return lax.stopGradient(nans === null ? out : lax.bitwiseOr(out, nans));
}
/** A JS boolean, not jnp's 0-d Array: `if (np.allclose(a, b))` on an Array would always be true (objects are truthy). */
export function allclose(x: ArrayInput, y: ArrayInput, opts?: IsCloseOptions): boolean;
/** numpy's positional form, allclose(a, b, rtol, atol, equal_nan). */
export function allclose(x: ArrayInput, y: ArrayInput, rtol?: number | null | IsCloseOptions, atol?: number | null | IsCloseOptions,
  equalNan?: boolean | null | IsCloseOptions, opts?: IsCloseOptions): boolean;
export function allclose(x: ArrayInput, y: ArrayInput, ...rest: unknown[]): boolean {
  const c = closeness('np.allclose', x, y, rest);
  return c.size === 0 || (lax.reduceMin(lax.convertElementType(c, 'float32'), [...c.shape.keys()]).item() as number) === 1;
}

// Complex: NumPy's rules on the two parts (nan or inf in either; finite in both).
export function isnan(x: ArrayInput): NDArray {
  const a = operand('np.isnan', 0, x);
  if (isComplex(a.dtype)) return lax.bitwiseOr(isnan(lax.real(a)), isnan(lax.imag(a)));
  return isFloating(a.dtype) ? notEqual(a, a) : lax.full(a.shape, 0, 'bool');
}
export function isinf(x: ArrayInput): NDArray {
  const a = operand('np.isinf', 0, x);
  if (isComplex(a.dtype)) return lax.bitwiseOr(isinf(lax.real(a)), isinf(lax.imag(a)));
  return isFloating(a.dtype) ? equal(abs(a), Infinity) : lax.full(a.shape, 0, 'bool');
}
/** np.isposinf / isneginf: +inf (-inf) entries; real dtypes only (numpy and jnp refuse complex). */
export function isposinf(x: ArrayInput): NDArray { return signedInf('np.isposinf', x, Infinity); }
export function isneginf(x: ArrayInput): NDArray { return signedInf('np.isneginf', x, -Infinity); }
function signedInf(where: string, x: ArrayInput, inf: number): NDArray {
  const a = operand(where, 0, x);
  if (isComplex(a.dtype)) throw new DTypeError(`${where}: takes real values, got ${a.dtype} (numpy and jnp refuse complex too)`);
  return isFloating(a.dtype) ? equal(a, inf) : lax.full(a.shape, 0, 'bool');
}
export function isfinite(x: ArrayInput): NDArray {
  const a = operand('np.isfinite', 0, x);
  if (isComplex(a.dtype)) return lax.bitwiseAnd(isfinite(lax.real(a)), isfinite(lax.imag(a)));
  return isFloating(a.dtype) ? lax.isFinite(a) : lax.full(a.shape, 1, 'bool');
}
/** NaN to `nan` (0), +inf to `posinf` (the dtype's largest finite), -inf to `neginf`. */
export function nanToNum(x: ArrayInput, opts?: { nan?: number; posinf?: number; neginf?: number }): NDArray {
  const o = readOptions<{ nan?: number; posinf?: number; neginf?: number }>('np.nanToNum', opts,
    { nan: 'number', posinf: 'number', neginf: 'number' });
  const a = operand('np.nanToNum', 0, x);
  if (isComplex(a.dtype)) return lax.complex(nanToNum(lax.real(a), o), nanToNum(lax.imag(a), o)); // each part, as NumPy
  if (!isFloating(a.dtype)) return a;
  const big = finite(a.dtype);
  return heavyComposite([a], () => {
    const r = where(isnan(a), o.nan ?? 0, a);
    return where(equal(a, -Infinity), o.neginf ?? -big, where(equal(a, Infinity), o.posinf ?? big, r));
  });
}

// ---------------------------------------------------------------- logical and bitwise

const asBool = (where_: string, i: number, x: ArrayInput): NDArray => {
  const a = operand(where_, i, x);
  return a.dtype === 'bool' ? a : notEqual(a, 0);
};
function logical(name: string, f: (a: NDArray, b: NDArray) => NDArray) {
  return (x: ArrayInput, y: ArrayInput): NDArray => {
    const [a, b] = prepare(name, [asBool(name, 0, x), asBool(name, 1, y)], 'bool');
    return f(a, b);
  };
}
export const logicalAnd = logical('np.logicalAnd', (a, b) => lax.bitwiseAnd(a, b));
export const logicalOr = logical('np.logicalOr', (a, b) => lax.bitwiseOr(a, b));
export const logicalXor = logical('np.logicalXor', (a, b) => lax.bitwiseXor(a, b));
export function logicalNot(x: ArrayInput): NDArray { return lax.bitwiseNot(asBool('np.logicalNot', 0, x)); }

function showOperand(v: ArrayInput): string {
  return v instanceof NDArray ? describe(v.shape, v.dtype) : typeof v === 'number' || typeof v === 'boolean' ? `the JS ${typeof v} ${v}` : 'a list';
}

/** The JS integers v holds (a number or nested lists of them), or null for anything else. */
function jsInts(v: ArrayInput): number[] | null {
  if (v instanceof NDArray) return null;
  const flat = Array.isArray(v) ? (v as unknown[]).flat(Infinity) : [v];
  return flat.length > 0 && flat.every((e) => typeof e === 'number' && Number.isInteger(e)) ? flat as number[] : null;
}
const fitsInt32 = (e: number) => e >= -2147483648 && e <= 2147483647;

/**
 * Bitwise operands: JS integers with no Array beside them are int32, what a Python int is to jnp's
 * bitwise functions (JS has no int type: `np.leftShift(1, 3)` was float32 and refused; now 8).
 * One past int32 is jnp's OverflowError (it fell through to float32 and a "promoted to float32" error).
 */
function bitwiseOperands(name: string, x: ArrayInput, y: ArrayInput, allowBool: boolean): [NDArray, NDArray] {
  const ints = [jsInts(x), jsInts(y)];
  if (ints[0] !== null && ints[1] !== null) {
    ints.forEach((vs, i) => {
      const big = vs!.find((e) => !fitsInt32(e));
      if (big !== undefined) {
        throw new ValueError(`${name}: argument ${i}: the JS number ${big} does not fit in int32 [-2147483648, 2147483647] (JAX raises OverflowError); pass an Array, e.g. np.array(v, { dtype: 'uint32' })`);
      }
    });
    return prepare(name, [x, y], 'int32') as [NDArray, NDArray];
  }
  return numeric(name, x, y, allowBool);
}

function bitwise(name: string, f: (a: NDArray, b: NDArray) => NDArray, allowBool: boolean) {
  return (x: ArrayInput, y: ArrayInput): NDArray => {
    const [a, b] = bitwiseOperands(name, x, y, allowBool);
    if (!isInteger(a.dtype) && !(allowBool && a.dtype === 'bool')) { // (what was given, and what it promoted to: uint32 & 2.5 is float32)
      throw new DTypeError(`${name}: needs integer${allowBool ? ' or bool' : ''} operands, got ${showOperand(x)} and ${showOperand(y)} (promoted to ${a.dtype})`);
    }
    return f(a, b);
  };
}
export const bitwiseAnd = bitwise('np.bitwiseAnd', (a, b) => lax.bitwiseAnd(a, b), true);
export const bitwiseOr = bitwise('np.bitwiseOr', (a, b) => lax.bitwiseOr(a, b), true);
export const bitwiseXor = bitwise('np.bitwiseXor', (a, b) => lax.bitwiseXor(a, b), true);
/** Shift counts at or past 32 (or negative) give 0, as JAX (not JS's or wasm's count mod 32). */
export const leftShift = bitwise('np.leftShift', (a, b) => lax.shiftLeft(a, b), false);
/** Arithmetic for int32 (counts past 31 give the sign fill), logical for uint32. */
export const rightShift = bitwise('np.rightShift', (a, b) =>
  (a.dtype === 'uint32' ? lax.shiftRightLogical(a, b) : lax.shiftRightArithmetic(a, b)), false);
export function bitwiseNot(x: ArrayInput): NDArray {
  const ints = jsInts(x);
  const a = ints !== null && ints.every(fitsInt32) ? prepare('np.bitwiseNot', [x], 'int32')[0] : operand('np.bitwiseNot', 0, x);
  if (!isInteger(a.dtype) && a.dtype !== 'bool') throw new DTypeError(`np.bitwiseNot: needs an integer or bool operand, got ${describe(a.shape, a.dtype)}`);
  return lax.bitwiseNot(a);
}
export { bitwiseNot as invert };

/**
 * numpy.signbit: whether the sign bit is set: true for negatives and -0, and for a NaN whose sign
 * bit is set (np.negative(NaN)), as numpy and jnp read it; bool.
 */
export function signbit(x: ArrayInput): NDArray {
  const a = operand('np.signbit', 0, x);
  if (isComplex(a.dtype)) throw new DTypeError(`np.signbit: not defined for complex (numpy refuses it too), got ${describe(a.shape, a.dtype)}`);
  if (a.dtype === 'bool' || a.dtype === 'uint32') return lax.full(a.shape, 0, 'bool');
  if (isInteger(a.dtype)) return lax.lt(a, lax.full(a.shape, 0, a.dtype));
  return composite(() => signBitSet(a));
}

/**
 * A float's sign bit: its bits as int32 (float64's high word) below 0. One bitcast and a compare
 * (copysign(1, x) < 0 was a dozen ops, each a resident result: 9 ms for 1M float32, 25 for float64),
 * and it reads a NaN's sign, which no comparison can (numpy's signbit and copysign read it).
 */
function signBitSet(a: NDArray): NDArray {
  let w = bind('bitcast_convert_type', [a], [DTYPE_CODE.int32]); // (float64: [..., 2] words, low first)
  if (a.dtype === 'float64') w = lax.reshape(lax.split(w, [1, 1], w.ndim - 1)[1], a.shape);
  return lax.lt(w, lax.full(a.shape, 0, 'int32'));
}

/** jnp.float_power: power after promoting both to an inexact dtype (ints and bools: float32, as jnp). */
export function floatPower(x: ArrayInput, y: ArrayInput): NDArray {
  const d = floatDtype('np.floatPower', [x, y]);
  return power(astype(operand('np.floatPower', 0, x, d), d), astype(operand('np.floatPower', 1, y, d), d));
}
