// Regression tests from probing vmap and the custom-rule API (helper-227).
// References are closed forms: d/dx (x * y) = y, d/dy (x * y) = x.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, vmap, jit, customVjp, customJvp, CotangentError } from '../ts/index.ts';

type A = any;
const X = np.array([1, 2]);
const Y = np.array([10, 20]);

test('customVjp: a hole in bwd\'s list ([, gy]) is an error, not gy given to the first argument', () => {
  // before: forEach skipped the hole, so x got gy (= g * x = [1, 2]) and y a zero: [[1, 2], [0, 0]]
  const f = customVjp((x: A, y: A) => np.multiply(x, y), (x: A, y: A) => [np.multiply(x, y), [x, y]],
    ([x]: A, g: A) => [, np.multiply(g, x)] as A);
  for (const run of [
    () => grad((x: A, y: A) => np.sum(f(x, y)), { argnums: [0, 1] })(X, Y),
    () => jit(grad((x: A, y: A) => np.sum(f(x, y)), { argnums: [0, 1] }))(X, Y),
    () => grad((x: A, y: A) => np.sum(vmap(f)(x, y)), { argnums: [0, 1] })(X, Y),
  ]) {
    assert.throws(run, (e: unknown) => e instanceof CotangentError && /customVjp\(fn\): bwd's cotangent 0 .*undefined.*null for a zero/.test((e as Error).message));
  }
  // the documented spelling of a zero still works: null
  const g = customVjp((x: A, y: A) => np.multiply(x, y), (x: A, y: A) => [np.multiply(x, y), [x, y]],
    ([x]: A, gg: A) => [null, np.multiply(gg, x)]);
  const [gx, gy] = grad((x: A, y: A) => np.sum(g(x, y)), { argnums: [0, 1] })(X, Y) as A[];
  assert.deepEqual(gx.tolist(), [0, 0]);
  assert.deepEqual(gy.tolist(), [1, 2]);
});

test('customVjp: an undefined cotangent (a misspelt residual property) is an error, not a silent zero gradient', () => {
  // before: [res.gx] with no gx read as a zero: grad was [0, 0]
  // (fwd computes the cotangent ahead as gx; bwd misspells it gX)
  const f = customVjp((x: A) => np.sin(x), (x: A) => [np.sin(x), { gx: np.cos(x) }], (res: A) => [res.gX]);
  assert.throws(() => grad((x: A) => np.sum(f(x)))(X), /customVjp\(fn\): bwd's cotangent 0 has structure undefined.*null for a zero/);
  assert.throws(() => vmap(grad((x: A) => np.sum(f(x))))(np.ones([2, 2])), /customVjp\(fn\): bwd's cotangent 0/);
  // inside a pytree cotangent too
  const d = customVjp((p: A) => np.multiply(p.a, p.b), (p: A) => [np.multiply(p.a, p.b), p], (p: A, g: A) => [{ a: np.multiply(g, p.b), b: p.nope }]);
  assert.throws(() => grad((x: A) => np.sum(d({ a: x, b: x })))(X), /bwd's cotangent 0 has structure \{a: \*, b: undefined\}/);
  // the library is still usable
  const ok = customVjp((x: A) => np.sin(x), (x: A) => [np.sin(x), np.cos(x)], (c: A, g: A) => [np.multiply(c, g)]);
  const gr = grad((x: A) => np.sum(ok(x)))(np.array([0])) as A;
  assert.deepEqual(gr.tolist(), [1]);
});

test('customVjp: a non-Array cotangent from bwd under vmap names bwd and customVjp, not vmap', () => {
  // before: 'vmap: the function returned 'x' (a string), ...' (the vmap that runs bwd per example)
  const f = customVjp((x: A) => np.sin(x), (x: A) => [np.sin(x), x], () => ['x' as A]);
  for (const run of [() => grad((x: A) => np.sum(vmap(f)(x)))(np.ones([2, 3])), () => grad((x: A) => np.sum(f(x)))(np.ones([3]))]) {
    assert.throws(run, (e: unknown) => e instanceof CotangentError && /^customVjp\(fn\): bwd's cotangent 0: expected an Array, a number or null, got 'x'/.test((e as Error).message));
  }
});

test('custom rules under vmap: a wrong shape is also reported per example, as the rule returned it', () => {
  // before: 'has shape float32[2], the output is float32[2,3]', shapes the rule never saw
  const j = customJvp((x: A) => np.sin(x), ([x]: A[], [t]: A[]) => [np.sin(x), np.sum(t)]);
  assert.throws(() => grad((x: A) => np.sum(vmap(j)(x)))(np.ones([2, 3])),
    /customJvp\(fn\): the rule's tangent output has shape float32\[2\], the output is float32\[2,3\] \(the leading axis is vmap's batch: per example, float32\[\] where float32\[3\] is expected\)/);
  const v = customVjp((x: A) => np.sin(x), (x: A) => [np.sin(x), x], (x: A, g: A) => [np.sum(g)]);
  assert.throws(() => grad((x: A) => np.sum(vmap(vmap(v))(x)))(np.ones([2, 2, 3])),
    /customVjp\(fn\): bwd's cotangent for input leaf 0 has shape float32\[2,2\], the input is float32\[2,2,3\] \(the leading 2 axes are vmap's batch: per example, float32\[\] where float32\[3\] is expected\)/);
  // unbatched: as before, no note
  assert.throws(() => grad((x: A) => np.sum(v(x)))(np.ones([3])), (e: unknown) => /has shape float32\[\], the input is float32\[3\]$/.test((e as Error).message));
});
