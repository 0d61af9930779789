// numpy's float-bit functions, on lax.bitcastConvertType (lax_more.ts): nextafter, frexp, ldexp.
// Exact, for float32 and float64, with numpy's zeros, subnormals, infinities and NaNs. Scalings
// by powers of two are products by factors built from their bits (each a normal number), arranged
// so that at most the last product rounds; the derivatives are those of the products (frexp's
// mantissa 2^-e, ldexp's 2^i: JAX's).
import { NDArray, type ArrayInput } from './array.js';
import * as L from './lax.js';
import { bitcastConvertType, fromWords64, nextafter as laxNextafter, words64 } from './lax_more.js';
import { broadcastShapes, broadcastTo, floatDtype, operand, prepare } from './numpy.js';
import { DTypeError, ValueError, describe } from '../core/errors.js';
import { isComplex, isFloating } from '../core/dtype.js';
import { show } from './options.js';
import { heavyComposite, intsOperand } from './np_shared.js';

/** np.nextafter(x1, x2): the next representable value after x1 towards x2 (promoted to a float dtype, broadcast; jnp's). */
export function nextafter(x1: ArrayInput, x2: ArrayInput): NDArray {
  const where = 'np.nextafter';
  const d = floatDtype(where, [x1, x2]);
  if (isComplex(d)) throw new DTypeError(`${where}: complex values have no next value, got ${show(x1)} and ${show(x2)}`);
  const [a, b] = prepare(where, [x1, x2], d);
  return heavyComposite([a, b], () => laxNextafter(a, b));
}

/** 2^k (int32 k, each within the normal range of dtype) as an Array of that dtype, from its bits. */
function pow2(k: NDArray, dtype: 'float32' | 'float64'): NDArray {
  const i = (v: number) => L.full(k.shape, v, 'int32');
  if (dtype === 'float32') return bitcastConvertType(L.shiftLeft(L.add(k, i(127)), i(23)), 'float32');
  const hi = L.convertElementType(L.shiftLeft(L.add(k, i(1023)), i(20)), 'uint32');
  return fromWords64(L.full(k.shape, 0, 'uint32'), hi);
}

/**
 * The binary exponent e of x (x = m 2^e, 0.5 <= |m| < 1; int32), 0 for zeros, infinities and NaN;
 * subnormals first scaled into the normal range (JAX's _normalize_float).
 */
function exponentOf(x: NDArray): NDArray {
  const f = (v: number) => L.full(x.shape, v, x.dtype), i = (v: number) => L.full(x.shape, v, 'int32');
  const wide = x.dtype === 'float64';
  const sub = L.lt(L.abs(x), f(wide ? 2 ** -1022 : 2 ** -126));
  const xn = L.select(sub, L.mul(x, f(wide ? 2 ** 52 : 2 ** 23)), x);
  const field = wide
    ? L.bitwiseAnd(L.convertElementType(L.shiftRightLogical(words64(xn)[1], L.full(x.shape, 20, 'uint32')), 'int32'), i(0x7ff))
    : L.bitwiseAnd(L.shiftRightLogical(bitcastConvertType(xn, 'int32'), i(23)), i(0xff));
  const e = L.add(L.sub(field, i(wide ? 1022 : 126)), L.select(sub, i(wide ? -52 : -23), i(0)));
  const special = L.bitwiseOr(L.eq(x, f(0)), L.bitwiseNot(L.isFinite(x)));
  return L.select(special, i(0), e);
}

/** x 2^k, exact for k = -e(x), as two products by normal powers of two (x 2^p stays normal, then 2^q lands it). */
function scaleExact(x: NDArray, k: NDArray, dtype: 'float32' | 'float64'): NDArray {
  const p = L.shiftRightArithmetic(k, L.full(k.shape, 1, 'int32')), q = L.sub(k, p); // floor(k / 2), the rest
  return L.mul(L.mul(x, L.stopGradient(pow2(p, dtype))), L.stopGradient(pow2(q, dtype)));
}

function floatOperand(where: string, x: ArrayInput): NDArray {
  const d = floatDtype(where, [x]);
  if (isComplex(d)) throw new DTypeError(`${where}: not defined for complex values, got ${show(x)}`);
  return prepare(where, [x], d)[0];
}

/**
 * np.frexp(x): [mantissa, exponent] with x = mantissa 2^exponent, 0.5 <= |mantissa| < 1 and an
 * int32 exponent; zeros (signed), infinities and NaN are their own mantissa with exponent 0, as
 * numpy. Integers and bools are taken as float32 (jnp's). The mantissa's derivative is 2^-exponent
 * (JAX's); the exponent has none.
 */
export function frexp(x: ArrayInput): [NDArray, NDArray] {
  const a = floatOperand('np.frexp', x);
  if (a.size === 0) return [a, L.convertElementType(a, 'int32')];
  return heavyComposite([a], () => {
    const e = exponentOf(L.stopGradient(a));
    return [scaleExact(a, L.neg(e), a.dtype as 'float32' | 'float64'), e];
  }) as [NDArray, NDArray];
}

/**
 * np.ldexp(x1, x2): x1 2^x2, correctly rounded (into the subnormals too), inf past the largest
 * value; x2 integers (JS integers, int32, uint32 or bool Arrays; a float x2 is numpy's TypeError
 * and jnp's ValueError), broadcast against x1. Integer x1 is taken as float32 (jnp's). Derivative
 * in x1: 2^x2.
 */
export function ldexp(x1: ArrayInput, x2: ArrayInput): NDArray {
  const where = 'np.ldexp';
  const a0 = floatOperand(where, x1);
  const b0 = operand(where, 1, x2, 'int32');
  if (isFloating(b0.dtype) || isComplex(b0.dtype)) {
    throw new ValueError(`${where}: the exponent x2 must be integers, got ${describe(b0.shape, b0.dtype)} (numpy: ufunc 'ldexp' not supported for float exponents)`);
  }
  if (typeof x2 === 'number' && !Number.isInteger(x2)) throw new ValueError(`${where}: the exponent x2 must be an integer, got ${x2}`);
  // int32, capped to +-2^30 (past the range every result is 0 or inf alike; uint32 past int32 too)
  const b1 = b0.dtype === 'uint32' ? L.convertElementType(L.min(b0, L.full(b0.shape, 2 ** 30, 'uint32')), 'int32')
    : b0.dtype === 'bool' ? L.convertElementType(b0, 'int32') : b0;
  const shape = broadcastShapes(where, a0.shape, b1.shape);
  const a = broadcastTo(a0, shape), n0 = broadcastTo(b1, shape);
  if (a.size === 0) return a;
  return heavyComposite([a, n0], () => ldexpOf(a, n0, shape));
}

function ldexpOf(a: NDArray, n0: NDArray, shape: number[]): NDArray {
  const i = (v: number) => L.full(shape, v, 'int32');
  const n = L.max(L.min(n0, i(2 ** 30)), i(-(2 ** 30)));
  const dtype = a.dtype as 'float32' | 'float64', wide = dtype === 'float64';
  const e = exponentOf(L.stopGradient(a));
  const m = scaleExact(a, L.neg(e), dtype); // 0.5 <= |m| < 1 (or x itself: 0, inf, NaN)
  // the target exponent, capped where every result is already 0 or inf; then 2^t1 keeps m normal and 2^t2 rounds once
  const cap = wide ? 1100 : 160, first = wide ? 1000 : 100;
  const t = L.max(L.min(L.add(e, n), i(cap)), i(-cap));
  const t1 = L.max(L.min(t, i(first)), i(-first)), t2 = L.sub(t, t1);
  return L.mul(L.mul(m, L.stopGradient(pow2(t1, dtype))), L.stopGradient(pow2(t2, dtype)));
}

/**
 * np.bitwiseCount(x): the number of 1 bits in |x| (numpy 2's bitwise_count, jnp's; int32 or
 * uint32 in, the same dtype out as jnp's population_count of abs(x), where numpy returns uint8).
 * |INT32_MIN| wraps to 2^31 as a bit pattern: one bit, numpy's too.
 */
export function bitwiseCount(x: ArrayInput): NDArray {
  const where = 'np.bitwiseCount';
  const a = x instanceof NDArray ? x : intsOperand(where, x); // (JS integers as int32, numpy's ints)
  if (a.dtype !== 'int32' && a.dtype !== 'uint32') {
    throw new DTypeError(`${where}: takes integers (int32 or uint32), got ${describe(a.shape, a.dtype)}${a.dtype === 'bool' ? '; for bool, np.astype(x, \'int32\') first' : ''}`);
  }
  const c = (v: number) => L.full(a.shape, v, 'uint32');
  // the SWAR count on |x|'s bits as uint32 (Hacker's Delight 5-1), then the count in x's dtype
  let v = L.convertElementType(a.dtype === 'int32' ? L.abs(a) : a, 'uint32');
  v = L.sub(v, L.bitwiseAnd(L.shiftRightLogical(v, c(1)), c(0x55555555)));
  v = L.add(L.bitwiseAnd(v, c(0x33333333)), L.bitwiseAnd(L.shiftRightLogical(v, c(2)), c(0x33333333)));
  v = L.bitwiseAnd(L.add(v, L.shiftRightLogical(v, c(4))), c(0x0f0f0f0f));
  return L.convertElementType(L.shiftRightLogical(L.mul(v, c(0x01010101)), c(24)), a.dtype);
}
