// JS operators on tracers (issue 6): `x * x` under a transform computes a JS number through
// valueOf and would silently have derivative 0. A transform whose function returns a JS number
// after valueOf read one of its tracers raises a TracerError; control flow on values
// (`if (x < 3)`) and constant functions keep working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, valueAndGrad, jvp, vjp, linearize, TracerError } from 'cotangent';

function tracerError(fn: () => unknown) {
  assert.throws(fn, (e: any) => e instanceof TracerError && e.message.includes('np.multiply'), 'expected a TracerError');
  assert.equal(grad(np.sin)(0).item(), 1, 'the next call works');
}

test('JS arithmetic on tracers is a TracerError in every transform', () => {
  tracerError(() => grad((x: any) => x * x)(3));
  tracerError(() => grad((x: any) => x + 1)(3));
  tracerError(() => grad((x: any) => Math.sin(x))(3));
  tracerError(() => grad((x: any, y: any) => x * y, { argnums: [0, 1] })(3, 4));
  tracerError(() => valueAndGrad((x: any) => 2 * x)(3));
  tracerError(() => jvp((x: any) => x * x, [3], [1]));
  tracerError(() => vjp((x: any) => x - 1, 3));
  tracerError(() => linearize((x: any) => x / 2, 3));
  tracerError(() => grad((x: any) => [x * 2, np.sin(x)][0])(3));
  tracerError(() => jvp((x: any) => [np.sin(x), x * 2], [3], [1]));
  // Nested: the inner transform's function did the arithmetic.
  tracerError(() => grad((x: any) => grad((y: any) => y * y)(x))(3));
});

test('control flow on values and constant functions still work', () => {
  const f = (x: any) => (x < 3 ? np.sin(x) : np.cos(x));
  assert.equal(grad(f)(1).item(), Math.fround(Math.cos(1)));
  assert.equal(grad(f)(4).item(), Math.fround(-Math.sin(4)));
  const g = (x: any) => { if (Number(x) > 0 && +x < 10) return np.multiply(x, x); return np.negative(x); };
  assert.equal(grad(g)(3).item(), 6);
  assert.equal(grad(g)(-3).item(), -1);
  // A loop bounded by a traced value.
  const h = (x: any) => { let y = x; while (y < 100) y = np.multiply(y, 2); return y; };
  assert.equal(grad(h)(3).item(), 64);
  // Constant functions differentiate to 0, as in JAX.
  assert.equal(grad((_x: any) => 3)(1).item(), 0);
  assert.equal(grad((_x: any) => np.array(3))(1).item(), 0);
  assert.deepEqual(jvp((_x: any) => 5, [1], [1]).map((a: any) => a.item()), [5, 0]);
  // A constant returned as an Array from a branch that compared the tracer is fine.
  assert.equal(grad((x: any) => (x < 3 ? np.array(1) : np.sin(x)))(1).item(), 0);
  // Reading values of outer tracers before an inner constant function is fine.
  assert.equal(grad((x: any) => { if (x > 0) { grad((_y: any) => 3)(x); } return np.sin(x); })(0.5).item(), Math.fround(Math.cos(0.5)));
});

test('a JS number made from item(), tolist() or dataSync() of a tracer and returned is a TracerError too', () => {
  const x = np.array([1, 2, 3]);
  tracerError(() => grad((v: any) => np.sum(np.square(v)).item() * 2)(x));
  tracerError(() => grad((v: any) => np.sum(v).tolist() * 2)(x));
  tracerError(() => grad((v: any) => np.sum(v).dataSync()[0] * 2)(x));
  tracerError(() => valueAndGrad((v: any) => v.tolist()[0] + 1)(x));
  // reading for a log and returning an Array is fine
  assert.deepEqual(grad((v: any) => { void np.sum(v).item(); return np.sum(np.square(v)); })(x).tolist(), [2, 4, 6]);
});
