// helper-289: values of the special/transcendental functions against mpmath (40 digits). The
// kernels were within 1 ulp (float32: correctly rounded) nearly everywhere; these pin the
// defects found in np.power with a concrete integer exponent (ts/api/numpy.ts integerPow).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad } from '../ts/index.ts';

const vals = (a: any) => Array.from(a.dataSync() as ArrayLike<number>);
/** |got - want| in units of float32 spacing at want. */
const ulp32 = (got: number, want: number) => Math.abs(got - want) / 2 ** (Math.floor(Math.log2(Math.abs(want))) - 23);

test('float32 x ** n for large n stays within 1 ulp (was ~n/2 ulp by float32 binary exponentiation)', () => {
  // references: mpmath.power(float32 x, n) at 50 digits, rounded to float32 by numpy
  const cases: [number, number, number][] = [
    [-1.0000001192092896, 16777217, -7.389056205749512], // was -7.385338 (5e-4 relative)
    [1.0113290548324585, 31, 1.4179699420928955], // was 14 ulp off
    [-1.0035464763641357, -12345, -1.0463600811778812e-19], // was 8,410 ulp off
    [-1.0000001192092896, 1000, 1.0001192092895508],
  ];
  for (const [x, n, want] of cases) {
    const got = np.power(np.array([x], { dtype: 'float32' }), n);
    assert.equal(got.dtype, 'float32');
    assert.ok(ulp32(vals(got)[0], want) <= 0.5, `(${x}) ** ${n}: got ${vals(got)[0]}, want ${want}`);
  }
  // the small powers keep their float32 products, and derivatives still flow
  assert.deepEqual(vals(np.power(np.array([3], { dtype: 'float32' }), 2)), [9]);
  const g = grad((x: any) => np.sum(np.power(x, 7)))(np.array([1.0113290548324585], { dtype: 'float32' }));
  // 7 x^6: python3 7 * 1.0113290548324585**6 = 7.489502094040764
  assert.ok(Math.abs(vals(g)[0] - 7.489502094040764) < 1e-5, `grad x^7: ${vals(g)[0]}`);
});

test('x ** -n is the subnormal it should be where x^n overflows (was 0)', () => {
  // references: mpmath.power at 50 digits, rounded (numpy.power gives the same)
  assert.deepEqual(vals(np.power(np.array([2, 10, 1e160, 2.0000000000000004], { dtype: 'float64' }), -1074)).slice(0, 1), [5e-324]);
  assert.deepEqual(vals(np.power(np.array([10], { dtype: 'float64' }), -310)), [1e-310]);
  assert.deepEqual(vals(np.power(np.array([1e160], { dtype: 'float64' }), -2)), [1e-320]);
  assert.deepEqual(vals(np.power(np.array([-2], { dtype: 'float64' }), -1073)), [-1e-323]);
  assert.deepEqual(vals(np.power(np.array([1e20], { dtype: 'float32' }), -2)), [9.99994610111476e-41]);
  assert.deepEqual(vals(np.power(np.array([2], { dtype: 'float32' }), -149)), [1.401298464324817e-45]);
  // true underflow and the infinities are unchanged
  const z = vals(np.power(np.array([2, Infinity, -Infinity, 0], { dtype: 'float64' }), -1076));
  assert.ok(Object.is(z[0], 0) && Object.is(z[1], 0) && Object.is(z[2], 0) && z[3] === Infinity, String(z));
  assert.ok(Object.is(vals(np.power(np.array([-Infinity], { dtype: 'float64' }), -3))[0], -0));
});
