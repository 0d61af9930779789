// Zero-size and degenerate shapes (probe AE): regressions for the defects it found.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, linalg, grad, jit, vmap, CotangentError } from '../ts/index.ts';

const vals = (x: { dataSync(): ArrayLike<number> }) => Array.from(x.dataSync());

test('matrix norms ord 1, inf, 2 of an empty matrix are 0 (numpy: initial=0)', () => {
  // numpy 2.4: np.linalg.norm(np.zeros(s), o) -> 0.0 for s in (0,0), (0,3), (3,0) and o in 1, inf, 2
  for (const s of [[0, 0], [0, 3], [3, 0]]) {
    for (const o of [1, Infinity, 2]) {
      const r = linalg.norm(np.zeros(s), o);
      assert.deepEqual(r.shape, [], `norm ${s} ${o}`);
      assert.deepEqual(vals(r), [0], `norm ${s} ${o}`);
      assert.deepEqual(vals(linalg.matrixNorm(np.zeros(s), { ord: o })), [0]);
    }
  }
  // numpy 2.4: np.linalg.norm(np.zeros((2,0,3)), 2, (1,2)) -> [0., 0.]; keepdims -> shape (1,1)
  assert.deepEqual(vals(linalg.norm(np.zeros([2, 0, 3]), 2, [1, 2])), [0, 0]);
  assert.deepEqual(linalg.norm(np.zeros([3, 0]), { ord: 1, axis: [0, 1], keepdims: true }).shape, [1, 1]);
  assert.deepEqual(vals(jit((a) => linalg.norm(a, Infinity))(np.zeros([0, 3]))), [0]);
  assert.deepEqual(vals(vmap((a) => linalg.norm(a, 2))(np.zeros([2, 0, 3]))), [0, 0]);
  assert.deepEqual(grad((a) => linalg.norm(a, 1))(np.ones([3, 0])).shape, [3, 0]);
  // the minima still raise, as numpy's do (zero-size array to reduction operation minimum)
  assert.throws(() => linalg.norm(np.zeros([0, 0]), -2), CotangentError);
  assert.throws(() => linalg.norm(np.zeros([0, 3]), -Infinity), CotangentError);
  // nonempty unchanged: [[1,-2],[3,4]] -> ord 1: 6, inf: 7 (column / row abs sums); diag(3,4) ord 2: 4
  assert.deepEqual(vals(linalg.norm(np.array([[1, -2], [3, 4]]), 1)), [6]);
  assert.deepEqual(vals(linalg.norm(np.array([[1, -2], [3, 4]]), Infinity)), [7]);
  assert.deepEqual(vals(linalg.norm(np.array([[3, 0], [0, 4]]), 2)), [4]);
});

test('scan over zero-length xs checks the carry the step returns (JAX traces it at any length)', () => {
  const xs = np.zeros([0]);
  assert.throws(() => lax.scan((c, x) => [np.zeros([3]), c], np.array(0), xs), /lax\.scan: f must return a carry/);
  assert.throws(() => lax.scan((c, x) => [np.astype(c, 'int32'), c], np.array(0), xs), /dtypes do not match/);
  assert.throws(() => lax.scan((c, x) => [[c, c], c], np.array(0), xs), /structure/);
  assert.throws(() => jit((v) => lax.scan((c, x) => [np.zeros([3]), c], np.array(0), v))(xs), CotangentError);
  // a well-typed step still returns the init carry and empty stacked ys
  const [c, ys] = lax.scan((c, x) => [np.add(c, x), np.multiply(x, 2)], np.array(5), xs);
  assert.deepEqual(vals(c), [5]);
  assert.deepEqual(ys.shape, [0]);
  const [c2, ys2] = lax.scan((c, x) => [np.add(c, 1), np.stack([c, c])], np.array(5), null, { length: 0 });
  assert.deepEqual(vals(c2), [5]);
  assert.deepEqual(ys2.shape, [0, 2]);
  assert.deepEqual(vals(grad((c0) => lax.scan((c, x) => [np.multiply(c, x), c], c0, xs)[0])(3)), [1]);
});
