// Numerics of composed np functions (issue 6): np.inner for any rank, a stable sigmoid, abs as
// JAX defines it, integer powers with finite derivatives at 0, and C's pow special values.
// References are closed forms and plain JS float64 arithmetic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, jvp, jit, ShapeError } from 'cotangent';

const close = (got: number, want: number, rtol: number, what: string) =>
  assert.ok(Math.abs(got - want) <= rtol * Math.abs(want) + 1e-300, `${what}: got ${got}, want ${want}`);

/** numpy.inner by definition: sum over the last axis of a[i..., :] * b[j..., :]. */
function innerRef(a: number[][], b: number[][]): number[][] {
  return a.map((r) => b.map((c) => r.reduce((s, v, k) => s + v * c[k], 0)));
}

test('np.inner contracts the last axes: shape a.shape[:-1] + b.shape[:-1]', () => {
  const A = [[1, 2, 3], [4, 5, 6]];
  const B = [[1, 0, -1], [2, 1, 0], [0.5, 0.5, 0.5], [3, -2, 1]];
  assert.deepEqual(np.inner(A, A).tolist(), innerRef(A, A));
  assert.deepEqual(np.inner(A, B).tolist(), innerRef(A, B));
  assert.deepEqual(np.inner(A, B).shape, [2, 4]);
  assert.deepEqual(np.inner([1, 2, 3], B).tolist(), innerRef([[1, 2, 3]], B)[0]);
  assert.deepEqual(np.inner(A, [1, 2, 3]).tolist(), innerRef(A, [[1, 2, 3]]).map((r) => r[0]));
  assert.equal(np.inner([1, 2, 3], [4, 5, 6]).item(), 32);
  assert.deepEqual(np.inner(np.ones([2, 3, 4]), np.ones([5, 4])).shape, [2, 3, 5]);
  assert.deepEqual(np.inner(2, A).tolist(), [[2, 4, 6], [8, 10, 12]]);
  assert.throws(() => np.inner(A, [[1, 2]]), ShapeError);
  // Its gradient: d/dA sum(inner(A, B)) = row sums of B broadcast over A's rows.
  const g = grad((a: any) => np.sum(np.inner(a, B)))(np.array(A, { dtype: 'float64' }));
  const colSums = [0, 1, 2].map((k) => B.reduce((s, r) => s + r[k], 0));
  assert.deepEqual(g.tolist(), [colSums, colSums]);
});

test('sigmoid is stable in float32 and float64, with finite log-gradients', () => {
  const ref = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
  for (const x of [-100, -50, -20, -17, -5, -0.5, 0, 0.5, 5, 17, 20, 50]) {
    close(np.sigmoid(np.array(x, { dtype: 'float64' })).item() as number, ref(x), 1e-15, `float64 sigmoid(${x})`);
    if (x >= -80) close(np.sigmoid(x).item() as number, Math.fround(ref(x)), 3e-7, `float32 sigmoid(${x})`);
  }
  for (const dtype of ['float32', 'float64'] as const) {
    const f = (x: any) => np.log(np.sigmoid(x));
    const v = f(np.array(-20, { dtype })).item() as number;
    close(v, -20 - Math.log1p(Math.exp(-20)), 1e-6, `${dtype} log(sigmoid(-20))`);
    const g = grad(f)(np.array(-20, { dtype })).item() as number;
    close(g, 1 - ref(-20), 1e-6, `${dtype} d log(sigmoid)/dx at -20`);
    // d sigmoid = s (1 - s) = e^-|x| / (1 + e^-|x|)^2, finite far out on both sides.
    for (const x of [-60, -20, 0, 3, 60]) {
      const z = Math.exp(-Math.abs(x));
      const d = grad(np.sigmoid)(np.array(x, { dtype: 'float64' })).item() as number;
      close(d, z / (1 + z) ** 2, 1e-12, `sigmoid'(${x})`);
    }
  }
});

test('abs: +0 for -0, and JAX derivative select(x >= 0, g, -g)', () => {
  assert.ok(Object.is(np.abs(-0).item(), 0));
  assert.ok(Object.is(np.abs(np.array([-0, 0, -2])).tolist()[0], 0));
  assert.deepEqual(np.abs(np.array([-0, 0, -2, 3])).tolist(), [0, 0, 2, 3]);
  assert.ok(Number.isNaN(np.abs(NaN).item() as number));
  assert.equal(np.abs(-Infinity).item(), Infinity);
  assert.equal(grad(np.abs)(0).item(), 1);
  assert.equal(grad(np.abs)(-0).item(), 1);
  assert.equal(grad(np.abs)(-2).item(), -1);
  assert.equal(grad(np.abs)(3).item(), 1);
  assert.equal(grad(grad(np.abs))(0).item(), 0);
  assert.deepEqual(np.abs(np.array([true, false])).tolist(), [true, false]);
});

test('power with a concrete integer exponent: finite derivatives at 0 to second order', () => {
  // d/dx x^n and d2/dx2 x^n at x = 0: n x^(n-1), n (n-1) x^(n-2), with 0^0 = 1.
  const d1 = (n: number) => (n === 1 ? 1 : 0);
  const d2 = (n: number) => (n === 2 ? 2 : 0);
  for (const dtype of ['float32', 'float64'] as const) {
    const zero = np.array(0, { dtype });
    for (const n of [0, 1, 2, 3, 4, 5]) {
      const f = (x: any) => np.power(x, n);
      assert.equal(f(zero).item(), n === 0 ? 1 : 0, `${dtype} 0^${n}`);
      assert.equal(grad(f)(zero).item(), d1(n), `${dtype} d/dx x^${n} at 0`);
      assert.equal(grad(grad(f))(zero).item(), d2(n), `${dtype} d2/dx2 x^${n} at 0`);
      assert.equal(jvp(f, [zero], [np.array(1, { dtype })])[1].item(), d1(n), `${dtype} jvp x^${n} at 0`);
    }
    // A concrete int 0-d Array exponent is an integer power too; a float one takes pow (jnp's
    // operator.index test), with the same derivative at 0.
    assert.equal(grad((x: any) => np.power(x, np.array(1, { dtype: 'int32' })))(zero).item(), 1);
    assert.equal(grad((x: any) => np.power(x, np.array(1, { dtype })))(zero).item(), 1);
  }
  // Away from 0 they match n x^(n-1), negative n included; square is x^2.
  for (const n of [-3, -2, -1, 2, 7, 12]) {
    const x = np.array(1.5, { dtype: 'float64' });
    close(np.power(x, n).item() as number, 1.5 ** n, 1e-15, `1.5^${n}`);
    close(grad((y: any) => np.power(y, n))(x).item() as number, n * 1.5 ** (n - 1), 1e-14, `d 1.5^${n}`);
  }
  assert.equal(np.power(-2, 3).item(), -8);
  assert.equal(np.power(0, -1).item(), Infinity);
  assert.equal(grad(np.square)(0).item(), 0);
  assert.equal(grad(grad(np.square))(0).item(), 2);
  // pow's one rounding for a float 0-d exponent: 1.0001^100000 in float32 is 22052.016 (mpmath,
  // rounded), where 17 products drift to 22005.5
  assert.equal(np.power(np.array([1.0001], { dtype: 'float32' }), np.array(100000, { dtype: 'float32' })).item(), Math.fround(22052.016));
  // A fractional exponent still uses the pow kernel.
  close(np.power(np.array(2, { dtype: 'float64' }), 0.5).item() as number, Math.SQRT2, 1e-15, '2^0.5');
});

test('a float32 base to an integer power past int32 keeps the sign of n\'s parity (n was rounded to float32: 2^31 + 1 to 2^31, even)', () => {
  const f32 = (v: number[]) => np.array(v, { dtype: 'float32' });
  const same = (got: number[], want: number[], what: string) =>
    assert.ok(got.length === want.length && got.every((g, i) => Object.is(g, want[i])), `${what}: got [${got}], want [${want}]`);
  // The user probe's: [1] where (-1)^(2^31 + 1) = -1 (float64 was right)
  same(np.power(f32([-1]), 2 ** 31 + 1).tolist() as number[], [-1], 'JS n');
  same(np.power(f32([-1]), np.array(2 ** 32 - 1, { dtype: 'uint32' })).tolist() as number[], [-1], 'uint32 0-d n');
  same(jit((x: any) => np.power(x, 2 ** 31 + 1))(f32([-1])).tolist() as number[], [-1], 'jit');
  same(np.power(np.array([-1], { dtype: 'float64' }), 2 ** 31 + 1).tolist() as number[], [-1], 'float64');
  // |x| != 1 to a power past 2^31 is past float32's range: 0 or inf, signed by x's sign and n's
  // parity (0.99999994^(2^31) = e^-128 = 2.6e-56; 1.0000001^(2^31) = e^256)
  const x = [-0.99999994, -1.0000001, 1, -1, -0, 0, 2, -2];
  same(np.power(f32([...x, NaN]), 2 ** 31 + 1).tolist() as number[], [-0, -Infinity, 1, -1, -0, 0, Infinity, -Infinity, NaN], 'odd n');
  same(np.power(f32(x), -(2 ** 31) - 1).tolist() as number[], [-Infinity, -0, 1, -1, -Infinity, Infinity, 0, -0], 'odd negative n');
  same(np.power(f32(x), 2 ** 31).tolist() as number[], [0, Infinity, 1, 1, 0, 0, Infinity, Infinity], 'even n');
  same(np.power(f32([-1]), 3e15 + 1).tolist() as number[], [-1], 'n past 2^51');
  assert.equal(np.power(f32([-1]), 2 ** 31 + 1).dtype, 'float32');
  // d/dx x^n = n x^(n-1): at -1, n (2^31 + 1; 2^31 in float32)
  assert.equal(grad((v: any) => np.power(v, 2 ** 31 + 1))(np.array(-1, { dtype: 'float32' })).item(), 2 ** 31);
  assert.equal(grad((v: any) => np.power(v, 2 ** 31 + 1))(np.array(-1, { dtype: 'float64' })).item(), 2 ** 31 + 1);
  // complex64 alike (pow in complex128): (-1)^(2^31 + 1) = -1 and i^(2^31 + 1) = i to within
  // float32's rounding at |z| = 1 (the exponent rounded to 2^31 gave about +1 for both)
  const z = np.power(np.array([{ re: -1, im: 0 }, { re: 0, im: 1 }], { dtype: 'complex64' }), 2 ** 31 + 1).tolist() as { re: number; im: number }[];
  assert.ok(Math.abs(z[0].re + 1) < 1.2e-7 && Math.abs(z[0].im) < 1.2e-7 && Math.abs(z[1].re) < 1.2e-7 && Math.abs(z[1].im - 1) < 1.2e-7, JSON.stringify(z));
});

test("pow's C99 special values: pow(1, y) = 1 for every y, pow(-1, +-inf) = 1", () => {
  for (const dtype of ['float32', 'float64'] as const) {
    const x = np.array([1, 1, 1, -1, -1, 2, 0], { dtype });
    const y = np.array([NaN, Infinity, -Infinity, Infinity, -Infinity, NaN, NaN], { dtype });
    const r = np.power(x, y).tolist() as number[];
    assert.deepEqual(r.slice(0, 5), [1, 1, 1, 1, 1], `${dtype}: ${r}`);
    assert.ok(Number.isNaN(r[5]) && Number.isNaN(r[6]), `${dtype}: pow(2, NaN) and pow(0, NaN) stay NaN`);
    // The pow(x, 0) = 1 rule for NaN x still holds.
    assert.equal(np.power(np.array(NaN, { dtype }), np.array(0, { dtype })).item(), 1);
  }
});
