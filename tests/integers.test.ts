// Integer and bool dtypes end to end (issue 7): wrapping arithmetic, XLA's defined results where
// C traps (x / 0, INT_MIN / -1), numpy's sign rules for floor division and remainder, shifts past
// the bit width as JAX, bitwise ops, conversions, weak JS numbers, and differentiation (a DTypeError
// w.r.t. an integer input; integer values inside a differentiated program carry zero tangents).
// Expected values are written out by hand from JAX/XLA semantics, never computed by the library.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, grad, jvp, jit, vmap, DTypeError, ValueError } from 'cotangent';

const INT_MIN = -2147483648, INT_MAX = 2147483647;
const i32 = (v: number[]) => np.array(v, { dtype: 'int32' });
const u32 = (v: number[]) => np.array(v, { dtype: 'uint32' });

test('int32 add/sub/mul/negative wrap (two\'s complement), never promote', () => {
  assert.deepEqual(np.add(i32([INT_MAX, 1]), 1).tolist(), [INT_MIN, 2]);
  assert.deepEqual(np.subtract(i32([INT_MIN]), 1).tolist(), [INT_MAX]);
  assert.deepEqual(np.multiply(i32([65536, -65536, 46341]), i32([65536, 65536, 46341])).tolist(), [0, 0, -2147479015]);
  assert.deepEqual(np.negative(i32([INT_MIN, 5])).tolist(), [INT_MIN, -5]);
  assert.deepEqual(np.add(u32([4294967295]), 1).tolist(), [0]);
  assert.deepEqual(np.subtract(u32([0]), 1).tolist(), [4294967295]);
  assert.deepEqual(np.negative(u32([1])).tolist(), [4294967295]);
  assert.equal(np.add(i32([1]), 2).dtype, 'int32');
});

test('lax.div and lax.rem: truncation, with XLA\'s results at 0 and INT_MIN / -1 (no trap)', () => {
  const x = i32([7, -7, 7, -7, 5, INT_MIN, INT_MIN, 0]);
  const y = i32([2, 2, -2, -2, 0, -1, 0, 0]);
  assert.deepEqual(lax.div(x, y).tolist(), [3, -3, -3, 3, -1, INT_MIN, -1, -1]);
  assert.deepEqual(lax.rem(x, y).tolist(), [1, -1, 1, -1, 5, 0, INT_MIN, 0]);
  assert.deepEqual(lax.div(u32([7, 7]), u32([2, 0])).tolist(), [3, 4294967295]);
  assert.deepEqual(lax.rem(u32([7, 7]), u32([2, 0])).tolist(), [1, 7]);
});

test('floorDivide and remainder follow numpy\'s sign rules (jnp\'s composition at 0)', () => {
  const x = i32([7, -7, 7, -7, 6, -6, INT_MIN, 5]);
  const y = i32([2, 2, -2, -2, 3, 3, -1, 0]);
  assert.deepEqual(np.floorDivide(x, y).tolist(), [3, -4, -4, 3, 2, -2, INT_MIN, -2]);
  // an integer divisor of 0 is replaced by 1 (jnp.remainder and jnp.fmod), so x % 0 = 0; lax.rem keeps XLA's x
  assert.deepEqual(np.remainder(x, y).tolist(), [1, 1, -1, -1, 0, 0, 0, 0]);
  assert.deepEqual(np.fmod(x, y).tolist(), [1, -1, 1, -1, 0, 0, 0, 0]);
  assert.deepEqual(lax.rem(x, y).tolist(), [1, -1, 1, -1, 0, 0, 0, 5]);
  // floats: numpy's floor division and remainder (sign of the divisor)
  const fx = np.array([7, -7, 7, -7, 7.5], { dtype: 'float64' }), fy = np.array([2, 2, -2, -2, 2], { dtype: 'float64' });
  assert.deepEqual(np.floorDivide(fx, fy).tolist(), [3, -4, -4, 3, 3]);
  assert.deepEqual(np.remainder(fx, fy).tolist(), [1, 1, -1, -1, 1.5]);
  assert.deepEqual(np.fmod(fx, fy).tolist(), [1, -1, 1, -1, 1.5]);
  assert.deepEqual(np.floorDivide(u32([7, 9]), u32([2, 0])).tolist(), [3, 4294967295]);
});

test('shifts: counts at or past 32 (and negative counts) give JAX\'s results, not the count mod 32', () => {
  const ones = i32([1, 1, 1, 1, 1]);
  const s = i32([0, 31, 32, 33, -1]);
  assert.deepEqual(np.leftShift(ones, s).tolist(), [1, INT_MIN, 0, 0, 0]);
  const neg = i32([-8, -8, -8, 8, -1]);
  assert.deepEqual(np.rightShift(neg, i32([1, 31, 32, 40, -5])).tolist(), [-4, -1, -1, 0, -1]);
  assert.deepEqual(np.rightShift(u32([0x80000000, 0x80000000, 8]), u32([31, 32, 1])).tolist(), [1, 0, 4]);
  assert.deepEqual(lax.shiftRightLogical(i32([-8, -8]), i32([28, 32])).tolist(), [15, 0]);
});

test('bitwise and/or/xor/not on ints and bools; logical functions on anything', () => {
  assert.deepEqual(np.bitwiseAnd(i32([12, -1]), i32([10, 5])).tolist(), [8, 5]);
  assert.deepEqual(np.bitwiseOr(i32([12, INT_MIN]), i32([10, 1])).tolist(), [14, INT_MIN + 1]);
  assert.deepEqual(np.bitwiseXor(i32([12]), i32([10])).tolist(), [6]);
  assert.deepEqual(np.bitwiseNot(i32([0, -1, 5])).tolist(), [-1, 0, -6]);
  assert.deepEqual(np.invert(u32([0])).tolist(), [4294967295]);
  assert.deepEqual(np.bitwiseNot(np.array([true, false])).tolist(), [false, true]);
  assert.deepEqual(np.bitwiseXor(np.array([true, true]), np.array([true, false])).tolist(), [false, true]);
  assert.deepEqual(np.logicalAnd(np.array([2, 0, 1.5]), np.array([1, 1, 0])).tolist(), [true, false, false]);
  assert.deepEqual(np.logicalXor(i32([0, 3]), true).tolist(), [true, false]);
  assert.deepEqual(np.logicalNot(np.array([NaN, 0])).tolist(), [false, true]);
  assert.throws(() => np.bitwiseAnd(np.array([1.5]), np.array([1])), DTypeError);
  // the operands as given, and what they promoted to (it named only the promoted float32[2])
  assert.throws(() => np.bitwiseAnd(np.array([1, 2], { dtype: 'uint32' }), 2.5),
    (e: unknown) => e instanceof DTypeError && (e as Error).message === 'np.bitwiseAnd: needs integer or bool operands, got uint32[2] and the JS number 2.5 (promoted to float32)');
  // two bools shift as int32 (JAX's promote_args_numeric): True << True = 2
  const sh = np.leftShift(np.array([true]), np.array([true]));
  assert.equal(sh.dtype, 'int32'); assert.deepEqual(sh.tolist(), [2]);
});

test('bitwise functions of JS integers alone compute in int32, as jnp of Python ints (they were float32 and refused)', () => {
  // numpy: left_shift(1, 3) = 8, right_shift(-16, 2) = -4, bitwise_xor(-1, 5) = -6, invert(5) = -6
  const r = np.leftShift(1, 3);
  assert.equal(r.dtype, 'int32'); assert.equal(r.item(), 8);
  assert.equal(np.rightShift(-16, 2).item(), -4);
  assert.equal(np.bitwiseXor(-1, 5).item(), -6);
  assert.equal(np.bitwiseAnd(12, 10).item(), 8);
  assert.deepEqual(np.bitwiseOr([1, 2], 4).tolist(), [5, 6]);
  assert.equal(np.invert(5).item(), -6);
  assert.equal(np.bitwiseNot(0).dtype, 'int32');
  // beside an Array the JS number stays weak (uint32 & 10 is uint32); fractions are still refused
  assert.equal(np.bitwiseAnd(u32([12]), 10).dtype, 'uint32');
  assert.throws(() => np.bitwiseAnd(1.5, 3), DTypeError);
  assert.equal(np.bitwiseAnd(true, false).dtype, 'bool');
});

test('comparisons, select, max/min, abs, sign on ints (signed vs unsigned order)', () => {
  assert.deepEqual(np.less(i32([-1, 2]), i32([1, 2])).tolist(), [true, false]);
  assert.deepEqual(np.less(u32([4294967295, 1]), u32([1, 2])).tolist(), [false, true]);
  assert.deepEqual(np.greaterEqual(u32([0x80000000]), u32([1])).tolist(), [true]);
  assert.deepEqual(np.maximum(i32([-5, 7, INT_MIN]), i32([3, -9, INT_MAX])).tolist(), [3, 7, INT_MAX]);
  assert.deepEqual(np.minimum(u32([4294967295, 1]), u32([0, 2])).tolist(), [0, 1]);
  assert.deepEqual(np.abs(i32([-5, 0, INT_MIN])).tolist(), [5, 0, INT_MIN]);
  assert.deepEqual(np.sign(i32([-5, 0, 9])).tolist(), [-1, 0, 1]);
  assert.deepEqual(np.sign(u32([0, 9])).tolist(), [0, 1]);
  assert.deepEqual(np.where(np.array([true, false]), i32([1, 2]), i32([3, 4])).tolist(), [1, 4]);
  assert.deepEqual(np.less(np.array([false, true]), np.array([true, true])).tolist(), [true, false]);
});

test('astype between every real dtype, by kernels: float -> int saturates, NaN -> 0; int32 <-> uint32 wraps', () => {
  const f = np.array([NaN, 3e9, -3e9, 2.7, -2.7, Infinity, -0], { dtype: 'float64' });
  assert.deepEqual(np.astype(f, 'int32').tolist(), [0, INT_MAX, INT_MIN, 2, -2, INT_MAX, 0]);
  assert.deepEqual(np.astype(f, 'uint32').tolist(), [0, 3000000000, 0, 2, 0, 4294967295, 0]);
  assert.deepEqual(np.astype(np.array([NaN, 3e9, 2.7, -2.7]), 'int32').tolist(), [0, INT_MAX, 2, -2]);
  assert.deepEqual(np.astype(i32([-1, INT_MIN]), 'uint32').tolist(), [4294967295, 2147483648]);
  assert.deepEqual(np.astype(u32([4294967295]), 'int32').tolist(), [-1]);
  assert.deepEqual(np.astype(i32([0, -3]), 'bool').tolist(), [false, true]);
  assert.deepEqual(np.astype(np.array([true, false]), 'int32').tolist(), [1, 0]);
  assert.deepEqual(np.astype(i32([16777217, -7]), 'float32').tolist(), [16777216, -7]); // round to nearest even
  assert.deepEqual(np.astype(u32([4294967295]), 'float64').tolist(), [4294967295]);
  assert.deepEqual(np.astype(i32([INT_MIN]), 'float64').tolist(), [INT_MIN]);
  // every length through the SIMD bodies and tails
  for (let n = 1; n <= 9; n++) {
    const v = Array.from({ length: n }, (_, i) => (i % 2 ? -i : i) * 1000003);
    assert.deepEqual(np.astype(np.astype(i32(v), 'float64'), 'int32').tolist(), v, `n = ${n}`);
    assert.deepEqual(np.astype(np.astype(i32(v), 'float32'), 'int32').tolist(), v.map((x) => Math.fround(x)), `n = ${n}`);
  }
});

test('JS numbers with integer arrays: integral values are weak ints, others weak floats; too large is an error', () => {
  assert.equal(np.multiply(i32([3]), 2).dtype, 'int32');
  assert.equal(np.multiply(i32([3]), 2.5).dtype, 'float32');
  assert.deepEqual(np.multiply(i32([3]), 2.5).tolist(), [7.5]);
  assert.equal(np.add(u32([3]), 2).dtype, 'uint32');
  assert.equal(np.add(np.array([true]), 2).dtype, 'int32');
  assert.equal(np.add(i32([1]), u32([1])).dtype, 'int32');
  assert.equal(np.add(i32([1]), np.array([1])).dtype, 'float32');
  assert.equal(np.divide(i32([3]), 2).dtype, 'float32');
  assert.equal(np.exp(i32([0])).dtype, 'float32');
  assert.throws(() => np.add(i32([1]), 2 ** 31), ValueError);
  assert.throws(() => np.add(u32([1]), -1), ValueError);
  assert.deepEqual(np.power(i32([3, -2]), 3).tolist(), [27, -8]);
  assert.throws(() => np.power(i32([3]), -1), ValueError);
  assert.deepEqual(np.array(new Int32Array([1, -2])).dtype, 'int32');
  // values stored from JS: truncated toward zero, out of range (or NaN) refused, never wrapped
  assert.deepEqual(np.array([2.7, -2.7], { dtype: 'int32' }).tolist(), [2, -2]);
  assert.throws(() => np.array([3e9], { dtype: 'int32' }), ValueError);
  assert.throws(() => np.array([-1], { dtype: 'uint32' }), ValueError);
  assert.throws(() => np.array([NaN], { dtype: 'int32' }), ValueError);
  assert.throws(() => np.full([2], 2 ** 32, { dtype: 'uint32' }), ValueError);
  assert.throws(() => np.array(new Uint32Array([4294967295]), { dtype: 'int32' }), ValueError);
  assert.deepEqual(np.array(new Uint32Array([1, 2])).dtype, 'uint32');
});

test('grad w.r.t. an integer or bool input is a DTypeError; integer values inside get zero tangents', () => {
  assert.throws(() => grad((x: any) => np.sum(np.astype(x, 'float32')))(i32([1, 2])), DTypeError);
  assert.throws(() => grad((x: any) => np.sum(np.astype(x, 'float32')))(np.array([true])), DTypeError);
  // d/dx [x * float(int(x))] = int(x): the integer path is a constant
  const g = grad((x: any) => np.sum(np.multiply(x, np.astype(np.astype(x, 'int32'), 'float32'))))(np.array([1.5, 2.5, -3.5]));
  assert.deepEqual(g.tolist(), [1, 2, -3]);
  const [y, t] = jvp((x: any) => np.astype(np.floorDivide(np.astype(x, 'int32'), 2), 'float32'), [np.array([5.5])], [np.array([1])]);
  assert.deepEqual(y.tolist(), [2]);
  assert.deepEqual(t.tolist(), [0]);
});

// ---------------------------------------------------------------- integer powers
// JAX's _pow_int_int (jnp.power with an integer result and an array exponent): square and
// multiply over the exponent's low 6 bits, wrapping; 0 ** y = 0 for y != 0. The reference is the
// exact power in BigInt, reduced mod 2^32, of the exponent's low 6 bits (two's complement bits
// for a negative one, which is what JAX's logical shifts read).

function refPow(x: number, y: number, signed: boolean): number {
  if (x === 0 && y !== 0) return 0;
  const p = BigInt.asUintN(32, BigInt(x) ** BigInt(y & 63));
  return signed ? Number(BigInt.asIntN(32, p)) : Number(p);
}

test('np.power of int arrays with array exponents: JAX\'s integer loop, wrapping, exact', () => {
  const xs = [0, 1, -1, 2, -2, 3, -3, 7, 46341, -65536, 2147483647, -2147483648, ...intValues(20, 11, true)];
  const ys = [0, 1, 2, 3, 5, 16, 31, 32, 33, 62, 63, 64, 65, 127, -1, -2, -63, -64, 2147483647, -2147483648];
  const bx: number[] = [], by: number[] = [];
  for (const x of xs) for (const y of ys) { bx.push(x); by.push(y); }
  const got = np.power(i32(bx), i32(by));
  assert.equal(got.dtype, 'int32');
  assert.deepEqual(got.tolist(), bx.map((x, i) => refPow(x, by[i], true)));
  // uint32: exponents past 2^31 are ordinary bits too
  const ux = [0, 1, 2, 3, 4294967295, 65535, ...intValues(12, 5, false)];
  const uy = [0, 1, 2, 31, 32, 63, 64, 4294967295, ...intValues(6, 9, false)];
  const cx: number[] = [], cy: number[] = [];
  for (const x of ux) for (const y of uy) { cx.push(x); cy.push(y); }
  const gu = np.power(u32(cx), u32(cy));
  assert.equal(gu.dtype, 'uint32');
  assert.deepEqual(gu.tolist(), cx.map((x, i) => refPow(x, cy[i], false)));
  // broadcasting both ways, int32 with uint32 is int32, bools compute as int32
  const b = np.power(i32([[2], [-3], [0]]), u32([0, 1, 5, 40]));
  assert.equal(b.dtype, 'int32');
  assert.deepEqual(b.tolist(), [[2, -3, 0].map((x) => [0, 1, 5, 40].map((y) => refPow(x, y, true)))].flat());
  assert.deepEqual(np.power(np.array([true, false, true, false]), np.array([true, true, false, false])).tolist(), [1, 0, 1, 1]);
  assert.equal(np.power(np.array([true, false]), np.array([true, false])).dtype, 'int32');
  assert.equal(np.power(np.array([true]), true).dtype, 'int32');
  assert.equal(np.power(true, np.array([true])).dtype, 'int32');
  assert.deepEqual(np.power(np.array([true, false]), i32([0, 3])).tolist(), [1, 0]);
  assert.deepEqual(np.power(3, i32([0, 1, 4])).tolist(), [1, 3, 81]);
  assert.equal(np.power(3, i32([4])).dtype, 'int32');
  // a concrete negative integer exponent stays JAX's error; a 0-d concrete one is concrete
  assert.throws(() => np.power(i32([3]), np.array(-1, { dtype: 'int32' })), ValueError);
  assert.deepEqual(np.power(i32([3]), np.array(64, { dtype: 'int32' })).tolist(), [refExact(3, 64)]);
});

/** 3 ** 64 by integer_pow (a concrete exponent): every bit counts, wrapping. */
function refExact(x: number, n: number): number { return Number(BigInt.asIntN(32, BigInt(x) ** BigInt(n))); }

test('np.power with a concrete 0-d integer Array exponent: the base keeps its dtype (jnp\'s integer_pow on x1 alone), every exponent bit counts', () => {
  const e = (v: number, dtype: 'int32' | 'uint32') => np.array(v, { dtype });
  // uint32 ** int32(3): uint32 (promotion would make it int32 and print -1)
  const r = np.power(u32([4294967295, 2]), e(3, 'int32'));
  assert.equal(r.dtype, 'uint32');
  assert.deepEqual(r.tolist(), [4294967295, 8]);
  assert.equal(np.power(np.array([true, false]), e(3, 'int32')).dtype, 'int32');
  assert.equal(np.power(np.array([1.5], { dtype: 'float64' }), e(2, 'int32')).dtype, 'float64');
  // exponents past int32 (a uint32 0-d Array, or a JS number with a uint32 base), wrapped exactly:
  // Python's pow(b, n, 2**32) read in the result's dtype
  assert.deepEqual(np.power(i32([2, 3, -1]), e(2147483648, 'uint32')).tolist(), [0, 1, 1]);
  assert.deepEqual(np.power(i32([2, 3, -1]), e(4294967295, 'uint32')).tolist(), [0, -1431655765, -1]);
  assert.deepEqual(np.power(u32([2, 3]), e(2147483649, 'uint32')).tolist(), [0, 3]);
  assert.deepEqual(np.power(u32([3, 5, 7, 2]), 3e9).tolist(), [3840514049, 2466351105, 2112180225, 0]);
});

test('integer power with array exponents under jit and vmap; a float base with int exponents as before; no grad w.r.t. ints', () => {
  const x = intValues(12, 3, true).map((v) => v % 100), y = [0, 1, 2, 3, 4, 5, 9, 31, 64, -1, -7, 70];
  const want = x.map((v, i) => refPow(v, y[i], true));
  assert.deepEqual(jit((a: any, b: any) => np.power(a, b))(i32(x), i32(y)).tolist(), want);
  // a traced 0-d exponent is not concrete: the loop, so a negative one is read by its low bits
  assert.deepEqual(jit((a: any, b: any) => np.power(a, b))(i32([3, -2]), np.array(-1, { dtype: 'int32' })).tolist(),
    [refPow(3, -1, true), refPow(-2, -1, true)]);
  const X = [x.slice(0, 6), x.slice(6)], Y = [y.slice(0, 6), y.slice(6)];
  assert.deepEqual(vmap((a: any, b: any) => np.power(a, b))(np.reshape(i32(X.flat()), [2, 6]), np.reshape(i32(Y.flat()), [2, 6])).tolist(),
    X.map((r, i) => r.map((v, j) => refPow(v, Y[i][j], true))));
  assert.deepEqual(vmap((b: any) => np.power(i32([2, -3]), b))(i32([5, 6, 33])).tolist(),
    [5, 6, 33].map((e) => [2, -3].map((v) => refPow(v, e, true))));
  // float base, integer exponent array: the pow primitive in the float dtype, differentiable in the base
  const f = np.array([1.5, -2, 0.5], { dtype: 'float64' }), e = i32([2, 3, -2]);
  assert.equal(np.power(f, e).dtype, 'float64');
  assert.deepEqual(np.power(f, e).tolist(), [2.25, -8, 4]);
  assert.deepEqual(grad((b: any) => np.sum(np.power(b, e)))(f).tolist(), [3, 12, -16]);
  assert.throws(() => grad((a: any) => np.sum(np.astype(np.power(a, i32([2])), 'float32')))(i32([3])), DTypeError);
  assert.throws(() => grad((b: any) => np.sum(np.astype(np.power(i32([3]), b), 'float32')))(i32([2])), DTypeError);
});

// ---------------------------------------------------------------- integer sums and products
// References in plain JS with wrapping arithmetic (Math.imul, |0, >>>0): XLA's integer reduce and
// dot wrap modulo 2^32, and addition/multiplication mod 2^32 do not depend on the order.

/** Deterministic values over the whole 32-bit range (an LCG, so most sums and products wrap). */
function intValues(n: number, seed: number, signed: boolean): number[] {
  const out: number[] = [];
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push(signed ? s | 0 : s);
  }
  return out;
}
const wrap = (v: number, signed: boolean) => (signed ? v | 0 : v >>> 0);

/** out[i, j] = sum_p a[i, p] * b[p, j] with wrapping (a m x k, b k x n, row-major). */
function refMatmul(a: number[], b: number[], m: number, k: number, n: number, signed: boolean): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m; i++) {
    const row: number[] = [];
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s = (s + Math.imul(a[i * k + p], b[p * n + j])) | 0;
      row.push(wrap(s, signed));
    }
    out.push(row);
  }
  return out;
}
const rows = (v: number[], r: number, c: number) => Array.from({ length: r }, (_, i) => v.slice(i * c, (i + 1) * c));

test('np.sum of int32/uint32 wraps modulo 2^32 and keeps the dtype; of bools it is an int32 count', () => {
  for (const signed of [true, false]) {
    const dt = signed ? 'int32' : 'uint32';
    const v = intValues(3 * 37, signed ? 1 : 2, signed);
    const x = np.array(rows(v, 3, 37), { dtype: dt });
    const all = v.reduce((s, t) => (s + t) | 0, 0);
    assert.equal(np.sum(x).dtype, dt);
    assert.equal(np.sum(x).item(), wrap(all, signed));
    const ax0 = Array.from({ length: 37 }, (_, j) => wrap(v[j] + v[37 + j] + v[74 + j], signed));
    assert.deepEqual(np.sum(x, 0).tolist(), ax0);
    const ax1 = [0, 1, 2].map((i) => wrap(v.slice(i * 37, (i + 1) * 37).reduce((s, t) => (s + t) | 0, 0), signed));
    assert.deepEqual(np.sum(x, { axis: -1, keepdims: true }).tolist(), ax1.map((t) => [t]));
  }
  assert.deepEqual(np.sum(i32([INT_MAX, 1])).item(), INT_MIN);
  assert.deepEqual(np.sum(u32([4294967295, 2])).item(), 1);
  const b = np.array([[true, false, true], [true, true, true]]);
  assert.equal(np.sum(b).dtype, 'int32');
  assert.equal(np.sum(b).item(), 5);
  assert.deepEqual(np.sum(b, 1).tolist(), [2, 3]);
  assert.deepEqual(np.sum(np.zeros([0, 3], { dtype: 'int32' }), 0).tolist(), [0, 0, 0]);
});

test('np.mean of ints and bools is float32; prod and the scans of bools are int32 (JAX)', () => {
  assert.equal(np.mean(i32([1, 2, 4])).dtype, 'float32');
  assert.ok(Math.abs(Number(np.mean(i32([1, 2, 4]))) - 7 / 3) < 1e-6);
  assert.equal(np.mean(np.array([true, false, false, false])).item(), 0.25);
  const b = np.array([true, true, false, true]);
  assert.equal(np.prod(b).dtype, 'int32');
  assert.equal(np.prod(b).item(), 0);
  assert.deepEqual(np.cumsum(b).tolist(), [1, 2, 2, 3]);
  assert.equal(np.cumsum(b).dtype, 'int32');
  assert.deepEqual(np.cumprod(b).tolist(), [1, 1, 0, 0]);
  assert.deepEqual(np.cummax(np.array([false, true, false])).tolist(), [0, 1, 1]);
  // ints keep their dtype and wrap
  assert.deepEqual(np.prod(i32([65536, 65536, 3])).item(), 0);
  assert.deepEqual(np.prod(i32([-3, 5, 7])).item(), -105);
  assert.deepEqual(np.cumsum(i32([INT_MAX, 1, 5])).tolist(), [INT_MAX, INT_MIN, INT_MIN + 5]);
  assert.deepEqual(np.cumsum(u32([4294967295, 1, 5]), 0).tolist(), [4294967295, 0, 5]);
  assert.deepEqual(np.cummax(i32([-5, INT_MIN, -7, 3])).tolist(), [-5, -5, -5, 3]);
  assert.deepEqual(np.cummin(u32([9, 4294967295, 2])).tolist(), [9, 9, 2]);
  assert.deepEqual(np.cumprod(i32([[2, 3], [4, 5]]), 1).tolist(), [[2, 6], [4, 20]]);
});

test('dot, matmul, einsum, tensordot, inner, outer of int32/uint32: exact wrapping products', () => {
  for (const signed of [true, false]) {
    const dt = signed ? 'int32' : 'uint32';
    for (const [m, k, n] of [[1, 1, 1], [3, 5, 2], [9, 33, 17], [2, 301, 13], [130, 20, 9]]) {
      const av = intValues(m * k, m + k, signed), bv = intValues(k * n, k + n + 7, signed);
      const a = np.array(rows(av, m, k), { dtype: dt }), b = np.array(rows(bv, k, n), { dtype: dt });
      const want = refMatmul(av, bv, m, k, n, signed);
      const what = `${dt} ${m}x${k}x${n}`;
      assert.equal(np.matmul(a, b).dtype, dt, what);
      assert.deepEqual(np.matmul(a, b).tolist(), want, what);
      assert.deepEqual(np.dot(a, b).tolist(), want, what);
      assert.deepEqual(np.einsum('ij,jk->ik', a, b).tolist(), want, what);
      assert.deepEqual(np.tensordot(a, b, 1).tolist(), want, what);
      // the transposed layouts (the NT kernel, and a permuted lhs)
      assert.deepEqual(np.einsum('ij,kj->ik', a, np.transpose(b)).tolist(), want, what);
      assert.deepEqual(np.einsum('ji,jk->ik', np.transpose(a), b).tolist(), want, what);
    }
  }
  // batched, vectors, int32 x uint32 -> int32 (JAX with 64-bit types off)
  const a = i32([[[1, -2], [3, 4]], [[INT_MAX, 1], [0, -1]]]), b = i32([[[5, 6], [7, 8]], [[2, 0], [1, 1]]]);
  assert.deepEqual(np.matmul(a, b).tolist(), [[[-9, -10], [43, 50]], [[-1, 1], [-1, -1]]]);
  assert.deepEqual(np.einsum('bij,bjk->bik', a, b).tolist(), [[[-9, -10], [43, 50]], [[-1, 1], [-1, -1]]]);
  assert.equal(np.dot(i32([1, 2, 3]), u32([4, 5, 6])).dtype, 'int32');
  assert.equal(np.dot(i32([1, 2, 3]), u32([4, 5, 6])).item(), 32);
  assert.equal(np.inner(u32([4294967295, 2]), u32([2, 3])).item(), 4);
  assert.deepEqual(np.outer(i32([1, -2]), i32([3, 65536])).tolist(), [[3, 65536], [-6, -131072]]);
  assert.equal(np.einsum('ii', i32([[1, 2], [3, INT_MAX]])).item(), INT_MIN);
  assert.equal(np.vdot(i32([[65536, 2]]), i32([[65536, 3]])).item(), 6);
});

test('integer scatters: np.diag, lax.dynamicUpdateSlice and x.at() updates of int32/uint32 (wrapping), bool set/min/max', () => {
  const i = (v: number[]) => np.array(v, { dtype: 'int32' });
  const d = np.diag(np.arange(3));
  assert.equal(d.dtype, 'int32');
  assert.deepEqual(d.tolist(), [[0, 0, 0], [0, 1, 0], [0, 0, 2]]);
  assert.deepEqual(np.diag(np.array([1, 2], { dtype: 'uint32' }), 1).tolist(), [[0, 1, 0], [0, 0, 2], [0, 0, 0]]);
  assert.deepEqual(lax.dynamicUpdateSlice(np.arange(5), i([9]), [1]).tolist(), [0, 9, 2, 3, 4]);
  // repeated indices accumulate, wrapping modulo 2^32: 1 + (2^31 - 1) + 1 = 2^31 + 1 -> -2^31 + 1
  assert.deepEqual(np.arange(5).at(i([1, 1, 3])).add(i([2147483647, 1, 5])).tolist(), [0, -2147483647, 2, 8, 4]);
  assert.deepEqual(np.array([3, 4], { dtype: 'uint32' }).at(0).add(4294967295).tolist(), [2, 4]);
  assert.deepEqual(np.arange(5).at(i([0, 0])).set(i([8, 9])).tolist(), [9, 1, 2, 3, 4]); // the last update wins
  assert.deepEqual(np.arange(5).at(i([1, 4])).mul(3).tolist(), [0, 3, 2, 3, 12]);
  assert.deepEqual(np.arange(5).at(i([1, 4])).max(i([0, 10])).tolist(), [0, 1, 2, 3, 10]);
  assert.deepEqual(np.arange(5).at(i([1, 4])).min(i([0, 10])).tolist(), [0, 0, 2, 3, 4]);
  assert.deepEqual(vmap((x: any) => x.at(i([1])).add(i([5])))(np.arange(6).reshape(2, 3)).tolist(), [[0, 6, 2], [3, 9, 5]]);
  assert.deepEqual(jit((x: any, k: any) => x.at(k).set(-1))(np.arange(4), i([2])).tolist(), [0, 1, -1, 3]);
  const b = np.array([true, false]);
  assert.deepEqual(b.at(0).set(false).tolist(), [false, false]);
  assert.deepEqual(b.at(1).max(true).tolist(), [true, true]);
  assert.deepEqual(b.at(0).min(false).tolist(), [false, false]);
  assert.throws(() => b.at(1).add(true), /x.at\(\).add: updates of bool arrays are not supported/);
});

test('x.at() updates promote x and the update together and convert back (JAX\'s _scatter_impl); unreached elements keep x exactly', () => {
  const r = (y: any) => [y.dtype, y.tolist()];
  // bool x: a float update by truthiness of the promoted result (0.5 was cast to False first)
  assert.deepEqual(r(np.array([false]).at(0).set(0.5)), ['bool', [true]]);
  assert.deepEqual(r(np.array([false]).at(0).set(NaN)), ['bool', [true]]);
  assert.deepEqual(r(np.array([false, false]).at(0).max(0.5)), ['bool', [true, false]]);
  assert.deepEqual(r(np.array([true]).at(0).add(-1)), ['bool', [false]]);
  // int x with a float update: computed in float32, truncated back (the update was truncated first: 3 * 2 = 6)
  assert.deepEqual(r(np.array([3], { dtype: 'int32' }).at(0).mul(2.5)), ['int32', [7]]);
  assert.deepEqual(r(np.array([5], { dtype: 'uint32' }).at(0).mul(0.5)), ['uint32', [2]]);
  assert.deepEqual(r(np.array([-1], { dtype: 'int32' }).at(0).add(0.5)), ['int32', [0]]);
  assert.deepEqual(r(np.array([1], { dtype: 'int32' }).at(np.array([0, 0], { dtype: 'int32' })).add(0.7)), ['int32', [2]]);
  // elements the update does not reach are not rounded through float32
  assert.deepEqual(r(np.array([16777217, 16777217], { dtype: 'int32' }).at(1).set(2.5)), ['int32', [16777217, 2]]);
  assert.deepEqual(r(np.array([1, 2], { dtype: 'int32' }).at(0).set(7)), ['int32', [7, 2]]);
  // the same under jit and vmap
  assert.deepEqual(r(jit((x: any) => x.at(0).set(0.5))(np.array([false, true]))), ['bool', [true, true]]);
  assert.deepEqual(r(vmap((x: any) => x.at(0).mul(2.5))(np.array([[3, 4]], { dtype: 'int32' }))), ['int32', [[7, 4]]]);
});

test('einsum and tensordot keep JS numbers weak (int32 x times 2 is int32, was float32) and JS booleans bool', () => {
  const x = np.array([16777217], { dtype: 'int32' });
  const r = (y: any) => [y.dtype, y.tolist()];
  assert.deepEqual(r(np.einsum('i,->i', x, 2)), ['int32', [33554434]]);
  assert.deepEqual(r(np.einsum('i,->i', np.array([4e9], { dtype: 'uint32' }), 1)), ['uint32', [4e9]]);
  assert.deepEqual(r(np.einsum('i,->i', np.array([true]), true)), ['bool', [true]]);
  assert.deepEqual(r(np.tensordot(x, 2, 0)), ['int32', [33554434]]);
  assert.deepEqual(r(np.einsum('i,->i', np.array([1.5], { dtype: 'float64' }), 0.1)), ['float64', [1.5 * 0.1]]);
  // nanmean takes axis and keepdims only (a dtype went to its sums and was half applied)
  assert.throws(() => np.nanmean(np.array([1, 2, 4], { dtype: 'int32' }), { dtype: 'int32' } as any), /np\.nanmean: unknown option 'dtype'/);
});

test('integer division by zero gives the same numbers on every path: eager, jit, folded, fused, scan, while, cond, vmap', () => {
  // JAX on CPU (XLA's ElementalIrEmitter): lax.div x / 0 = -1 (all ones), lax.rem x % 0 = x,
  // INT_MIN / -1 = INT_MIN, INT_MIN % -1 = 0; jnp.floor_divide corrects lax.div where the signs
  // differ and rem != 0 (so x // 0 = -2 for x != 0, -1 for x = 0; uint32: lax.div itself);
  // jnp.remainder and jnp.fmod replace a 0 divisor by 1 (x % 0 = 0). Written out from those rules.
  const div32 = (x: number, y: number) => (y === 0 ? -1 : x === INT_MIN && y === -1 ? INT_MIN : Math.trunc(x / y) | 0); // (| 0: no -0)
  const rem32 = (x: number, y: number) => (y === 0 ? x : x === INT_MIN && y === -1 ? 0 : (x % y) | 0);
  const ref: Record<string, Record<string, (x: number, y: number) => number>> = {
    int32: {
      div: div32, rem: rem32,
      floorDivide: (x, y) => { const q = div32(x, y); return Math.sign(x) !== Math.sign(y) && rem32(x, y) !== 0 ? (q - 1) | 0 : q; },
      remainder: (x, y) => { const b = y === 0 ? 1 : y, r = rem32(x, b); return r !== 0 && (r < 0) !== (b < 0) ? (r + b) | 0 : r; },
      fmod: (x, y) => rem32(x, y === 0 ? 1 : y),
    },
    uint32: {
      div: (x, y) => (y === 0 ? 0xFFFFFFFF : Math.trunc(x / y)), rem: (x, y) => (y === 0 ? x : x % y),
      floorDivide: (x, y) => (y === 0 ? 0xFFFFFFFF : Math.trunc(x / y)), remainder: (x, y) => (y === 0 ? 0 : x % y), fmod: (x, y) => (y === 0 ? 0 : x % y),
    },
  };
  // spot checks of the rules themselves against the values JAX prints
  assert.deepEqual([ref.int32.floorDivide(5, 0), ref.int32.floorDivide(-5, 0), ref.int32.floorDivide(0, 0), ref.int32.remainder(5, 0)], [-2, -2, -1, 0]);
  const fns: Record<string, (a: any, b: any) => any> = { div: lax.div, rem: lax.rem, floorDivide: np.floorDivide, remainder: np.remainder, fmod: np.fmod };
  const vals: Record<string, number[]> = { int32: [7, -7, 0, INT_MIN, INT_MAX, 1, INT_MIN], uint32: [7, 0, 0xFFFFFFFF, 0x80000000, 1, 5, 9] };
  const divs: Record<string, number[]> = { int32: [0, 0, 0, -1, 3, -3, 0], uint32: [0, 0, 0, 0xFFFFFFFF, 2, 0, 4] };
  for (const dt of ['int32', 'uint32'] as const) {
    const xs = vals[dt], ds = divs[dt], X = np.array(xs, { dtype: dt }), D = np.array(ds, { dtype: dt }), zero = np.array(0, { dtype: dt });
    for (const [fn, f] of Object.entries(fns)) {
      const want = xs.map((x, i) => ref[dt][fn](x, ds[i]));
      const paths: [string, () => NDArrayLike][] = [
        ['eager', () => f(X, D)],
        ['jit', () => jit(f)(X, D)],
        ['jit, divisor a constant', () => jit((a: any) => f(a, np.array(ds, { dtype: dt })))(X)],
        ['jit, folded', () => jit(() => f(np.array(xs, { dtype: dt }), np.array(ds, { dtype: dt })))()],
        ['jit, fused chain', () => jit((a: any, b: any) => np.subtract(np.add(f(np.add(a, 0), np.multiply(b, 1)), 1), 1))(X, D)],
        ['jitted scan body', () => jit((a: any, b: any) => lax.scan((c: any) => [c, f(a, b)], zero, null, { length: 2 })[1])(X, D), ],
        ['jitted scan over xs', () => jit((a: any, b: any) => lax.scan((c: any, ab: any) => [c, f(ab[0], ab[1])], zero, [a, b])[1])(X, D)],
        ['eager scan', () => lax.scan((c: any) => [c, f(X, D)], zero, null, { length: 2 })[1]],
        ['jitted while body', () => jit((a: any, b: any) => lax.whileLoop(([i]: any) => np.less(i, 1), ([i]: any) => [np.add(i, 1), f(a, b)], [np.array(0, { dtype: 'int32' }), np.zerosLike(a)])[1])(X, D)],
        ['jitted cond branch', () => jit((a: any, b: any, p: any) => lax.cond(p, (u: any, v: any) => f(u, v), (u: any) => u, a, b))(X, D, np.array(true))],
        ['vmap', () => vmap(f)(X, D)],
        ['jit(vmap)', () => jit(vmap(f))(X, D)],
      ];
      for (const [pn, p] of paths) {
        let got = Array.from(p().dataSync(), Number);
        if (got.length === 2 * xs.length) got = got.slice(xs.length); // a scan's two steps: the second
        assert.deepEqual(got, want, `${dt} ${fn}, ${pn}`);
      }
    }
  }
});
type NDArrayLike = { dataSync(): ArrayLike<number | bigint> };
