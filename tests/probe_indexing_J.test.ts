// Probe of indexing / scatter / data-dependent ops (helper-229). Reference values: numpy 2.4
// (python3) and hand-derived derivatives, noted at each literal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, jit, IndexError, NDArray } from '../ts/index.ts';

const i32 = (v: unknown) => np.array(v as number[], { dtype: 'int32' });
const f64 = (v: unknown) => np.array(v as number[], { dtype: 'float64' });

test('a JS list of index Arrays (JAX tuple index x[jnp.nonzero(x)]) says to spread it', () => {
  const m = f64([[1, 0], [0, 2]]);
  // it was "x.get: index an Array int32[2] is not an integer"
  assert.throws(() => m.get(np.nonzero(m) as unknown as number[]), (e: Error) => e instanceof IndexError && /x\.get: a JS list holding index Arrays .*x\.get\(\.\.\.np\.nonzero\(x\)\)/.test(e.message));
  assert.throws(() => m.at(np.nonzero(m) as unknown as number[]).set(0), (e: Error) => e instanceof IndexError && /x\.at\(\)\.set: a JS list holding index Arrays/.test(e.message));
  // the spread form works: numpy m[np.nonzero(m)] = [1., 2.]
  assert.deepEqual(m.get(...np.nonzero(m)).tolist(), [1, 2]);
  // nested integer lists are unaffected: numpy m[[[0, 1], [1, 0]], [0, 1]] = [[1, 2], [0, 0]]
  assert.deepEqual(m.get([[0, 1], [1, 0]], [0, 1]).tolist(), [[1, 2], [0, 0]]);
  assert.deepEqual(m.get(0).tolist(), [1, 0]); // (the library still works after the error)
});

test('x.compress(condition, axis) is jax.Array.compress (it was not a function)', () => {
  const m = f64([[3, 1, 2], [9, 7, 8]]);
  // numpy: m.compress([True, False], 0) = [[3, 1, 2]]; m.compress([1, 0, 1], axis=1) = [[3, 2], [9, 8]]; m.compress([0, 1]) = [1.]
  assert.deepEqual((m as NDArray).compress([true, false], 0).tolist(), [[3, 1, 2]]);
  assert.deepEqual(m.compress([1, 0, 1], { axis: 1 }).tolist(), [[3, 2], [9, 8]]);
  assert.deepEqual(m.compress([0, 1]).tolist(), [1]);
  assert.deepEqual(jit((c: NDArray, a: NDArray) => a.compress(c, { size: 2, fillValue: -1 }))(np.array([false, true, false]), f64([4, 5, 6])).tolist(), [5, -1]);
  // d/dm sum(w * m.compress([1, 0, 1], axis=1)), w = [[1, 2], [3, 4]]: w scattered to columns 0 and 2
  const g = grad((a: NDArray) => np.sum(np.multiply(f64([[1, 2], [3, 4]]), a.compress([1, 0, 1], { axis: 1 }))))(m);
  assert.deepEqual(g.tolist(), [[1, 0, 2], [3, 0, 4]]);
  assert.throws(() => (m.compress as (...a: unknown[]) => NDArray)([1], 0, 1), /x\.compress: takes at most 2 arguments/);
});

test('scatter modes with duplicate, negative and out-of-range indices: values and grads (regression guard)', () => {
  const w = f64([1.5, -2, 3, 0.5, 7]);
  const idx = i32([0, 0, 2, 9, -1, -7]);
  const x = f64([1, 2, 3, 4, 5]), v = f64([0.3, 0.7, -1.2, 2, 3.3, 4]);
  // numpy: add = np.add.at over the in-range (after -n..-1 wrap) entries; set: last write wins
  assert.deepEqual(x.at(idx).add(v).tolist(), [2, 2, 1.8, 4, 8.3]);
  assert.deepEqual(x.at(idx).set(v).tolist(), [0.7, 2, -1.2, 4, 3.3]);
  // grads from central float64 finite differences (eps 1e-6), checked eagerly and under jit with idx traced
  for (const run of [(f: any) => f, (f: any) => jit(f)]) {
    const [gx, gv] = run(grad((x: NDArray, i: NDArray, v: NDArray) => np.sum(np.multiply(w, x.at(i).mul(v))), { argnums: [0, 2] }))(x, idx, v);
    const close = (a: NDArray, b: number[]) => (a.tolist() as number[]).forEach((q, k) => assert.ok(Math.abs(q - b[k]) < 1e-9, `${q} vs ${b[k]}`));
    close(gx, [0.315, -2, -3.6, 0.5, 23.1]);
    close(gv, [1.05, 0.45, 9, 0, 35, 0]);
  }
});
