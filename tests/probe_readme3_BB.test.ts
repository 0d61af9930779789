// helper-278: README.md lines 560-1300 (jit, tidy, random, linalg, control flow, the rules a new
// user meets) checked by running them: the docs as a contract. References are numpy 2.4, mpmath
// 1.3 or closed forms, pasted as literals with where they came from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, grad, jvp, vmap, jit, linalg, AxisError, ValueError } from '../ts/index.ts';

const f32 = (v: unknown) => np.array(v as number[], { dtype: 'float32' });
const f64 = (v: unknown) => np.array(v as number[], { dtype: 'float64' });
const i32 = (v: unknown) => np.array(v as number[], { dtype: 'int32' });
const u32 = (v: unknown) => np.array(v as number[], { dtype: 'uint32' });
const vals = (x: any) => Array.from(x.dataSync() as ArrayLike<number>);

test('np.diagonal / np.trace: a null or list axis1/axis2 is an AxisError, as every one-integer axis (README "Options")', () => {
  // it was a plain ValueError, while np.stack, np.swapaxes, np.split... gave AxisError
  const M = np.ones([2, 2]);
  for (const bad of [null, [0, 1], 0.5]) {
    assert.throws(() => np.diagonal(M, { axis1: bad } as any), (e: unknown) => e instanceof AxisError && /np\.diagonal.*axis1/.test((e as Error).message));
    assert.throws(() => np.diagonal(M, 0, 0, bad as any), (e: unknown) => e instanceof AxisError && /axis2/.test((e as Error).message));
    assert.throws(() => np.trace(M, { axis2: bad } as any), (e: unknown) => e instanceof AxisError && /axis2/.test((e as Error).message));
  }
  assert.deepEqual(vals(np.diagonal(f32([[1, 2], [3, 4]]), { axis1: 1, axis2: 0 })), [1, 4]); // numpy: [1, 4]
  assert.deepEqual(vals(np.add(np.ones([1]), 1)), [2]); // the next call works
});

test('a batched cond / whileLoop: the untaken branch and finished examples give finite gradients (README control flow)', () => {
  // cond(x > 0, log, y => y): d/dx at 0 takes the y branch (1), at 1 log's (1/1 = 1): closed form
  const fc = (x: any) => lax.cond(np.greater(x, 0), (y: any) => np.log(y), (y: any) => y, x);
  assert.deepEqual(vals(vmap(grad(fc))(f32([0, 1]))), [1, 1]);
  assert.deepEqual(vals(grad((x: any) => np.sum(vmap(fc)(x)))(f32([0, 1]))), [1, 1]);
  // foriLoop(0, n, c -> sqrt(3 - c)), x = 2, n = 3 and x = 0, n = 1 (batched bounds): the finished
  // example meets sqrt of a negative in the extra steps. Closed form: prod_k -1 / (2 sqrt(3 - c_k)),
  // c = 2, 1, sqrt 2: -0.07018958353329299 (mpmath); x = 0: -1 / (2 sqrt 3) = -0.28867513459481288 (mpmath)
  const g = vmap(grad((x: any, n: any) => lax.foriLoop(0, n, (_i: any, c: any) => np.sqrt(np.subtract(3, c)), x)), [0, 0] as any)(f64([0, 2]), i32([1, 3]));
  const r = vals(g);
  assert.ok(Math.abs(r[0] + 0.28867513459481287) < 1e-14 && Math.abs(r[1] + 0.07018958353329299) < 1e-14, String(r));
});

test('a JS number that does not fit the integer array it meets: np.add(uint32, -1) refused, np.subtract(uint32, 1) fine', () => {
  assert.throws(() => np.add(u32([1]), -1), (e: unknown) => e instanceof ValueError && /-1 does not fit in uint32/.test((e as Error).message));
  assert.throws(() => np.add(i32([1]), 2 ** 31), (e: unknown) => e instanceof ValueError && /does not fit in int32/.test((e as Error).message));
  const d = np.subtract(u32([1]), 1);
  assert.equal(d.dtype, 'uint32'); assert.deepEqual(vals(d), [0]); // JAX: uint32 1 - 1 = 0
});

test('np.take / takeAlongAxis default fills: NaN, int32 min, uint32 max, true (JAX\'s _get_fill_value)', () => {
  assert.ok(Number.isNaN(vals(np.take(f32([1, 2]), i32([5])))[0]));
  assert.deepEqual(vals(np.take(i32([1, 2]), i32([5]))), [-2147483648]);
  assert.deepEqual(vals(np.take(u32([1, 2]), i32([5]))), [4294967295]);
  assert.deepEqual(vals(np.take(np.array([false]), i32([5]))), [1]);
  assert.deepEqual(vals(np.takeAlongAxis(i32([1, 2]), i32([5]), 0)), [-2147483648]);
});

test('x^-3 at 1e20 in float32: the derivative is a zero (true value -3e-80 underflows), not NaN', () => {
  const f = (x: any) => np.power(x, -3);
  const [, t] = jvp(f, [f32(1e20)], [f32(1)]);
  assert.ok(Object.is(vals(t)[0], -0)); // JAX: -3 * integer_pow(x, -4) = -3 * 0 = -0
  assert.equal(vals(grad(f)(f32(1e20)))[0], 0);
  // x^-2 at 1e-10: -2 x^-3 = -2e30 (float32(1e-10)^-3 * -2 rounded: -2.0000000300949324e30, numpy float32)
  assert.equal(vals(grad((x: any) => np.power(x, -2))(f32(1e-10)))[0], -2.0000000300949324e+30);
});

test('README numbers pinned: integer powers, expm1\'s derivative, eigvalsh graded, the MLP-free jit claims', () => {
  // _pow_int_int over the exponent's low 6 bits: 3 ** -1 = 3 ** 63 mod 2^32 = 2111105451 (python pow(3, 63, 2**32))
  assert.deepEqual(vals(np.power(i32([3]), i32([-1]))), [2111105451]);
  assert.deepEqual(vals(np.power(i32([3]), i32([64]))), [1]);
  // expm1'(-40) = e^-40 = 4.248354255291589e-18 (mpmath)
  assert.equal(vals(grad(np.expm1 as any)(f64(-40)))[0], 4.248354255291589e-18);
  // [[2,1,1e-100],[1,3,0],[1e-100,0,1e300]]: (5 -+ sqrt 5)/2 and 1e300 (closed form; numpy gives 0, 2 there)
  assert.deepEqual(vals(linalg.eigvalsh(f64([[2, 1, 1e-100], [1, 3, 0], [1e-100, 0, 1e300]]))), [1.381966011250105, 3.618033988749895, 1e300]);
  // a float x + 0 stays under jit: 1/(x + 0) at -0 is +inf, as eagerly (IEEE: -0 + 0 = +0)
  assert.equal(vals(jit((x: any) => np.divide(1, np.add(x, 0)))(f32(-0)))[0], Infinity);
  assert.equal(vals(jit((x: any) => np.divide(1, np.subtract(x, 0)))(f32(-0)))[0], -Infinity);
  // 20,000 .mul updates of float32(1.0001) at one position: float32(1.0001f^20000) = 7.3907694816589355 (mpmath)
  assert.equal(vals(f32([1]).at(np.zeros([20000], { dtype: 'int32' })).mul(np.full([20000], 1.0001)))[0], 7.3907694816589355);
});

test('a resident Array a jitted function closes over is printed in the constvar slot, before the ";" and the arguments', () => {
  const W = np.ones([200, 100]); // 80,000 bytes: resident (64 KiB and up), so an input of the program
  const txt = String(jit((v: any) => np.matmul(W, v)).lower(np.ones([100])).asText());
  assert.match(txt, /^\{ lambda a:f32\[200,100\] ; b:f32\[100\]\. let/);
});
