// Probe of numpy statistics and numeric functions (helper-233): regressions for the defects found.
// Expected values are numpy 2.4's on the same inputs (pasted as literals), or closed forms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, jit, vmap, type Array as NDArray } from '../ts/index.ts';

const f64 = (x: any) => np.array(x, { dtype: 'float64' });
const L = (v: NDArray) => v.tolist();

test('np.convolve / np.correlate: an inf or NaN in one operand reaches only the outputs it overlaps (numpy\'s)', () => {
  // M @ short multiplied the structural zeros of M by short's entries: 0 * inf = NaN everywhere
  const a = f64([1, 2, 3, 4, 5]);
  // numpy: np.convolve(a, [1, inf]) and friends
  assert.deepEqual(L(np.convolve(a, f64([1, Infinity]))), [1, Infinity, Infinity, Infinity, Infinity, Infinity]);
  assert.deepEqual(L(np.convolve(f64([1, Infinity]), a)), [1, Infinity, Infinity, Infinity, Infinity, Infinity]);
  assert.deepEqual(L(np.convolve(a, f64([NaN, 1]))), [NaN, NaN, NaN, NaN, NaN, 5]);
  assert.deepEqual(L(np.correlate(a, f64([1, Infinity]), 'full')), [Infinity, Infinity, Infinity, Infinity, Infinity, 5]);
  assert.deepEqual(L(np.convolve(a, f64([1, Infinity]), 'same')), [1, Infinity, Infinity, Infinity, Infinity]);
  assert.deepEqual(L(np.convolve(np.ones([3], { dtype: 'float32' }), np.array([Infinity, 1, 1], { dtype: 'float32' }))), [Infinity, Infinity, Infinity, 2, 1]);
  assert.deepEqual(L(jit((x: NDArray, k: NDArray) => np.convolve(x, k))(a, f64([1, Infinity]))), [1, Infinity, Infinity, Infinity, Infinity, Infinity]);
  assert.deepEqual(L(vmap((k: NDArray) => np.convolve(a, k))(f64([[1, Infinity], [NaN, 1]]))), [[1, Infinity, Infinity, Infinity, Infinity, Infinity], [NaN, NaN, NaN, NaN, NaN, 5]]);
  // finite values unchanged: numpy's np.correlate([2, -1], a, 'full')
  assert.deepEqual(L(np.correlate(f64([2, -1]), a, 'full')), [10, 3, 2, 1, 0, -1]);
  // the large path (a sum of shifted products, past 4M elements): numpy's convolve(ones(3000), s),
  // s = ones(2000) with s[-1] = inf: [1, 2, 3] first, 1999 then inf from index 1999, no NaN
  const s = np.concatenate([np.ones([1999], { dtype: 'float64' }), f64([Infinity])]);
  const r = np.convolve(np.ones([3000], { dtype: 'float64' }), s).tolist() as number[];
  assert.deepEqual(r.slice(0, 3), [1, 2, 3]);
  assert.deepEqual(r.slice(1998, 2001), [1999, Infinity, Infinity]);
  assert.equal(r.filter(Number.isNaN).length, 0);
});

test('np.gradient: a 0-d Array spacing is one uniform spacing (numpy\'s and jnp\'s), and differentiates', () => {
  const y = f64([1, 4, 9, 16, 25, 36.5]);
  // numpy: np.gradient(y, np.array(0.5)), with edge_order=2
  assert.deepEqual(L(np.gradient(y, f64(0.5)) as NDArray), [6, 8, 12, 16, 20.5, 23]);
  assert.deepEqual(L(np.gradient(y, f64(0.5), { edgeOrder: 2 }) as NDArray), [4, 8, 12, 16, 20.5, 25.5]);
  // numpy: np.gradient([[1, 2, 6], [3, 4, 5]], np.array(2.), np.array([0, 1, 3.]))
  const [g0, g1] = np.gradient(f64([[1, 2, 6], [3, 4, 5]]), f64(2), f64([0, 1, 3])) as NDArray[];
  assert.deepEqual(L(g0), [[1, 1, -0.5], [1, 1, -0.5]]);
  assert.deepEqual(L(g1), [[1, 1.3333333333333335, 2], [1, 0.8333333333333333, 0.5]]);
  // the result is g(1) / h: d/dh sum(gradient(y, h)) = -sum(gradient(y, 1)) / h^2 = -172 at h = 0.5
  // (sum(np.gradient(y, 0.5, edge_order=2)) = 86)
  assert.equal(grad((h: NDArray) => np.sum(np.gradient(y, h, { edgeOrder: 2 }) as NDArray))(f64(0.5)).item(), -172);
  assert.deepEqual(L(vmap((h: NDArray) => np.gradient(y, h) as NDArray)(f64([0.5, 1]))), [[6, 8, 12, 16, 20.5, 23], [3, 4, 6, 8, 10.25, 11.5]]);
  // a number spacing keeps its bits in float32 (2 * 0.1 in doubles, as before)
  assert.deepEqual(L(np.gradient(np.array([1, 4, 9.5], { dtype: 'float32' }), 0.1) as NDArray), [30, 42.5, 55]);
});
