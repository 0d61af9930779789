// jax.Array's methods and properties on cotangent's Array (ts/api/array_methods.ts): values
// against hand-computed references, derivatives and batching through them, and the mistakes a
// JS user makes with them refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, jit, vmap, ValueError, ShapeError } from '../ts/index.ts';

const x = np.array([[1, 2, 3], [4, 5, 6]]);

test('shape methods: T, mT, reshape (numbers or a list, -1), transpose, flatten, ravel, squeeze, swapaxes', () => {
  assert.deepEqual(x.T.tolist(), [[1, 4], [2, 5], [3, 6]]);
  const s = np.arange(24).reshape(2, 3, 4);
  assert.deepEqual(s.shape, [2, 3, 4]);
  assert.deepEqual(s.T.shape, [4, 3, 2]);
  assert.equal(s.T.get(3, 2, 1).item(), 1 * 12 + 2 * 4 + 3); // T[k, j, i] = s[i, j, k]
  assert.deepEqual(s.mT.shape, [2, 4, 3]);
  assert.equal(s.mT.get(1, 3, 2).item(), 1 * 12 + 2 * 4 + 3);
  assert.deepEqual(x.reshape([3, 2]).tolist(), [[1, 2], [3, 4], [5, 6]]);
  assert.deepEqual(x.reshape(-1, 2).tolist(), [[1, 2], [3, 4], [5, 6]]);
  assert.deepEqual(x.reshape(6).tolist(), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(s.transpose(1, 0, 2).shape, [3, 2, 4]);
  assert.equal(s.transpose([2, 0, 1]).get(3, 1, 2).item(), 1 * 12 + 2 * 4 + 3);
  assert.deepEqual(s.transpose().shape, [4, 3, 2]);
  assert.deepEqual(x.flatten().tolist(), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(x.ravel().tolist(), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(np.zeros([1, 3, 1]).squeeze().shape, [3]);
  assert.deepEqual(np.zeros([1, 3, 1]).squeeze({ axis: 0 }).shape, [3, 1]);
  assert.deepEqual(s.swapaxes(0, 2).shape, [4, 3, 2]);
});

test('reductions and the rest pass their options on: sum, mean, prod, max, min, std, var, any, all, argmax, cumsum, sort', () => {
  assert.equal(x.sum().item(), 21);
  assert.deepEqual(x.sum(0).tolist(), [5, 7, 9]);
  assert.deepEqual(x.sum({ axis: 1, keepdims: true }).tolist(), [[6], [15]]);
  assert.equal(x.mean().item(), 3.5);
  assert.deepEqual(x.prod(1).tolist(), [6, 120]);
  assert.deepEqual(x.max(0).tolist(), [4, 5, 6]);
  assert.deepEqual(x.min({ axis: 1 }).tolist(), [1, 4]);
  assert.ok(Math.abs(x.std().item() - Math.sqrt(35 / 12)) < 1e-6); // population std of 1..6
  assert.ok(Math.abs(x.var({ ddof: 1 }).item() - 3.5) < 1e-6);
  assert.equal(np.array([0, 0, 1]).any().item(), true);
  assert.equal(np.array([0, 0, 1]).all().item(), false);
  assert.deepEqual(x.argmax(1).tolist(), [2, 2]);
  assert.deepEqual(x.argmin(0).tolist(), [0, 0, 0]);
  assert.deepEqual(x.cumsum(1).tolist(), [[1, 3, 6], [4, 9, 15]]);
  assert.deepEqual(x.cumprod(0).tolist(), [[1, 2, 3], [4, 10, 18]]);
  assert.deepEqual(np.array([3, 1, 2]).sort().tolist(), [1, 2, 3]);
  assert.deepEqual(np.array([3, 1, 2]).argsort().tolist(), [1, 2, 0]);
  assert.deepEqual(np.array([-2, 0.5, 7]).clip(-1, 1).tolist(), [-1, 0.5, 1]);
  assert.deepEqual(np.array([0.5, 1.5, 2.5]).round().tolist(), [0, 2, 2]); // half to even, as numpy
  assert.deepEqual(x.take([2, 0], { axis: 1 }).tolist(), [[3, 1], [6, 4]]);
  assert.deepEqual(np.array([1, 2]).repeat(2).tolist(), [1, 1, 2, 2]);
  assert.deepEqual(np.array([[1, 2], [3, 4]]).diagonal().tolist(), [1, 4]);
  assert.equal(np.array([[1, 2], [3, 4]]).trace().item(), 5);
  assert.deepEqual(x.dot(np.array([1, 0, -1])).tolist(), [-2, -2]);
});

test('dtype and complex properties: astype, itemsize, nbytes, real, imag, conj, copy', () => {
  const d = x.astype('float64');
  assert.equal(d.dtype, 'float64');
  assert.equal(x.astype({ dtype: 'int32' }).dtype, 'int32');
  assert.equal(x.itemsize, 4);
  assert.equal(x.nbytes, 24);
  assert.equal(d.nbytes, 48);
  const z = np.complex(np.array([1, 2]), np.array([3, -4]));
  assert.equal(z.itemsize, 8);
  assert.deepEqual(z.real.tolist(), [1, 2]);
  assert.deepEqual(z.imag.tolist(), [3, -4]);
  assert.deepEqual(z.conj().imag.tolist(), [-3, 4]);
  assert.deepEqual(z.conjugate().imag.tolist(), [-3, 4]);
  assert.deepEqual(x.imag.tolist(), [[0, 0, 0], [0, 0, 0]]);
  const c = x.copy();
  assert.notEqual(c, x);
  assert.deepEqual(c.tolist(), x.tolist());
});

test('methods differentiate, batch and trace as the numpy functions they call', () => {
  // d/dA sum((A^T A) * W) = A (W + W^T): closed form checked at a point
  const A = np.array([[1, 2], [3, 4], [5, 6]], { dtype: 'float64' });
  const W = np.array([[1, -1], [2, 0.5]], { dtype: 'float64' });
  const f = (a: any) => a.T.dot(a).reshape(4).dot(W.reshape(4));
  const g = grad(f)(A).tolist();
  const Ws = [[2, 1], [1, 1]]; // W + W^T
  const want = [[1, 2], [3, 4], [5, 6]].map((r) => [r[0] * Ws[0][0] + r[1] * Ws[1][0], r[0] * Ws[0][1] + r[1] * Ws[1][1]]);
  assert.deepEqual(g, want);
  assert.deepEqual(jit(f)(A).item(), f(A).item());
  // vmap over rows: where each row's running sum peaks ([1, -4, -2] and [3, 4, -6])
  assert.deepEqual(vmap((r: any) => r.cumsum().argmax())(np.array([[1, -5, 2], [3, 1, -10]])).tolist(), [0, 1]);
  // d/dx mean(x^2) over a row = 2x/n, through x.mean and x.T
  assert.deepEqual(grad((v: any) => np.square(v.T).mean())(np.array([1, 2, 3, 4])).tolist(), [0.5, 1, 1.5, 2]);
});

test("JS mistakes with the methods are refused, never silently reshaped or reduced", () => {
  assert.throws(() => x.reshape(), ShapeError);
  assert.throws(() => (x as any).reshape(3, '2'), /x.reshape: expected numbers/);
  assert.throws(() => x.reshape(4, 2), /cannot reshape float32\[2,3\]/);
  assert.throws(() => (np as any).reshape(x, 3, 2), (e: any) => e instanceof ValueError && /np.reshape\(x, \[3, 2\]\)/.test(e.message));
  assert.throws(() => (x as any).sum(0, true), (e: any) => e instanceof ValueError && /np.sum: takes at most 2 arguments/.test(e.message));
  assert.throws(() => np.array([1, 2]).mT, /x.mT: needs an array of at least 2 dimensions/);
  // the library still works after the refusals
  assert.equal(x.sum().item(), 21);
});

test('x.take and x.repeat with an argument of a kind no check foresaw are ValueErrors naming np.take/np.repeat, as the functions are (JS TypeErrors from inside before)', () => {
  // (the methods go through the np namespace's wrapper: its hole check below is the wrapper's own)
  assert.throws(() => x.repeat(null as any), (e: any) => e instanceof ValueError && e.message.startsWith('np.repeat: repeats must be a non-negative integer, a list of them or an int32 Array, got null'));
  // (np.take names indices of another kind itself now, the method as the function)
  for (const i of [null, {}, new Map()]) assert.throws(() => x.take(i as any), (e: any) => e.name === 'DTypeError' && e.message.startsWith('np.take: indices must be integers'));
  assert.throws(() => x.take([0, , 1] as any), /np\.take: argument 1 is a list with a hole/);
  assert.deepEqual(x.take([1, 0], { axis: 1 }).tolist(), [[2, 1], [5, 4]]);
  assert.deepEqual(x.repeat(2, { axis: 0 }).shape, [4, 3]);
});

test('methods that take no arguments (or only a dtype) refuse more: x.item(i), x.astype(d, order), x.conj(5), x.tolist(5), x.dataSync(5) dropped them', async () => {
  const refused = (f: () => unknown, pattern: RegExp) => assert.throws(f, (e: any) => e instanceof ValueError && pattern.test(e.message), String(pattern));
  refused(() => (x as any).item(1), /^x\.item: takes no arguments, got 1; numpy's x\.item\(i\) is x\.ravel\(\)\.get\(i\)\.item\(\) here/);
  refused(() => (np.array([7]) as any).item(5), /^x\.item: takes no arguments/);
  refused(() => (x as any).astype('float64', 'C'), /^x\.astype: takes 1 argument \(dtype\), got 2/);
  refused(() => (x as any).conj(5), /^x\.conj: takes no arguments, got 1/);
  refused(() => (x as any).conjugate(5), /^x\.conj: takes no arguments, got 1/);
  refused(() => (x as any).tolist(5), /^x\.tolist: takes no arguments, got 1/);
  refused(() => (x as any).dataSync(5), /^x\.dataSync: takes no arguments, got 1/);
  await assert.rejects((x as any).data(5), /^ValueError: x\.data: takes no arguments, got 1/);
  // the right calls, and JS's own callers (String, JSON, iteration) still work
  assert.equal(np.array([7]).item(), 7);
  assert.equal(x.astype('float64').dtype, 'float64');
  assert.deepEqual(x.conj().tolist(), [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(Array.from(x.dataSync()), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(Array.from(await x.data()), [1, 2, 3, 4, 5, 6]);
  assert.equal(JSON.stringify(x), '[[1,2,3],[4,5,6]]');
  assert.deepEqual([...x].map((r) => r.tolist()), [[1, 2, 3], [4, 5, 6]]);
});

test("jax.Array's nonzero, ptp, searchsorted, argpartition, choose as methods, and blockUntilReady (x itself); x.block_until_ready names it", () => {
  const v = np.array([3, 0, 1, 0, 5]);
  assert.deepEqual(v.nonzero().map((a) => a.tolist()), [[0, 2, 4]]);
  assert.equal(x.ptp().item(), 5);
  assert.deepEqual(x.ptp({ axis: 1 }).tolist(), [2, 2]);
  assert.deepEqual(np.array([1, 3, 5, 7]).searchsorted([0, 4, 7]).tolist(), [0, 2, 3]);
  assert.deepEqual(np.array([1, 3, 5, 7]).searchsorted(7, { side: 'right' }).tolist(), 4);
  const p = np.array([9, 1, 7, 3, 5]).argpartition(2).tolist() as number[];
  assert.equal(p[2], 4); // (the 3rd smallest, 5, at its sorted place; the others on their sides)
  assert.deepEqual(new Set(p.slice(0, 2)), new Set([1, 3]));
  assert.deepEqual(np.array([0, 1, 0], { dtype: 'int32' }).choose([[1, 2, 3], [10, 20, 30]]).tolist(), [1, 20, 3]);
  const y = np.multiply(x, 2);
  assert.equal(y.blockUntilReady(), y);
  assert.throws(() => (y as any).block_until_ready(), (e: unknown) => e instanceof ValueError && /x\.blockUntilReady/.test((e as Error).message));
  assert.throws(() => (y as any).blockUntilReady(1), ValueError);
  assert.equal(grad((t: any) => np.sum(t.ptp()))(np.array([1, 4, 2], { dtype: 'float64' })).tolist().join(), '-1,1,0');
});
