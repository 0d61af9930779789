// Misuse of the numpy surface of issue 7 (reductions, contractions, indexing, sorting): each call
// throws a CotangentError subclass whose message names the function and the offending shape,
// axis or index, and the library keeps working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, linalg, vmap, grad, jit, random, CotangentError, AxisError, IndexError, ShapeError, ValueError, DTypeError } from '../ts/index.ts';

const m = np.ones([2, 3]);
const I = (v: number[]) => np.array(v, { dtype: 'int32' });

const CASES: [string, () => unknown, new (...a: any[]) => CotangentError, string[]][] = [
  ['max bad axis', () => np.max(m, 2), AxisError, ['np.max', 'axis 2', 'rank 2']],
  ['argmax list axis', () => np.argmax(m, [0, 1] as any), ValueError, ['np.argmax']],
  ['prod repeated axis', () => np.prod(m, [1, -1]), AxisError, ['np.prod', 'repeated']],
  ['var bad ddof', () => np.var(m, { ddof: 'x' } as any), ValueError, ['np.var', 'ddof']],
  ['logsumexp bad option', () => np.logsumexp(m, { axes: 0 } as any), ValueError, ['np.logsumexp', "'axes'"]],
  ['softmax bad axis', () => np.softmax(m, 5), AxisError, ['np.softmax', 'axis 5']],
  ['cumsum bad axis', () => np.cumsum(m, -3), AxisError, ['np.cumsum']],
  ['norm matrix ord', () => np.norm(m, { ord: 'fro' } as any), ValueError, ['np.norm', 'ord']],
  ['einsum mismatch', () => np.einsum('ij,jk', m, m), ShapeError, ['np.einsum', 'float32[2,3]']],
  ['einsum count', () => np.einsum('ij,jk', m), ValueError, ['np.einsum', '2 operand']],
  ['tensordot mismatch', () => np.tensordot(m, m, 1), ShapeError, ['np.tensordot', 'float32[2,3]']],
  ['dotGeneral mismatch', () => lax.dotGeneral(m, m, [[[1], [1]], [[0], [1]]]), ShapeError, ['lax.dotGeneral', 'float32[2,3]']],
  ['take static oob', () => np.take(m, [3], { axis: 1 }), IndexError, ['np.take', 'index 3', 'axis 1', 'size 3']],
  ['take float indices', () => np.take(m, np.array([0])), DTypeError, ['np.take', 'int32']],
  ['take bad mode', () => np.take(m, I([0]), { mode: 'raise' } as any), ValueError, ['np.take', 'mode']],
  ['index too many', () => np.index(m, 0, 0, 0), IndexError, ['np.index', 'too many']],
  ['index oob', () => np.index(m, ':', -4), IndexError, ['np.index', 'index -4']],
  ['index bad item', () => np.index(m, 'a:b'), IndexError, ['np.index', "'a'"]],
  ['at oob', () => m.at(2).set(1), IndexError, ['x.at().set', 'index 2']],
  ['at bool array', () => np.array([true]).at(0).add(false), DTypeError, ['x.at().add', 'bool']],
  ['takeAlongAxis rank', () => np.takeAlongAxis(m, I([0]), 1), ShapeError, ['np.takeAlongAxis', 'int32[1]']],
  ['pad widths', () => np.pad(m, [[1, 1]] as any, { mode: 'edge' }) && np.pad(m, [[-1, 0], [0, 0]]), ValueError, ['np.pad', 'non-negative']],
  ['repeat counts', () => np.repeat(m, [1, 2], 1), ValueError, ['np.repeat']],
  ['diagonal 1-d', () => np.diagonal(np.ones([3])), ValueError, ['np.diagonal', 'float32[3]']],
  ['sort bad axis', () => np.sort(m, 3), AxisError, ['np.sort']],
  ['topK k too large', () => lax.topK(m, 4), ValueError, ['lax.topK', '[0, 3]']],
  ['searchsorted 2-d', () => np.searchsorted(m, 1), ValueError, ['np.searchsorted', 'float32[2,3]']],
  ['dynamicSlice starts', () => lax.dynamicSlice(m, [0], [1, 1]), ShapeError, ['lax.dynamicSlice', 'float32[2,3]']],
  ['gather bad dims', () => lax.gather(m, I([0]), { offsetDims: [0], collapsedSliceDims: [], startIndexMap: [0] }, [1, 1]), CotangentError, ['lax.gather', 'float32[2,3]', 'int32[1]']],
];

for (const [name, f, cls, parts] of CASES) {
  test(`${name}: ${cls.name} naming ${parts.join(', ')}; the next call works`, () => {
    assert.throws(f, (e: unknown) => {
      assert.ok(e instanceof cls, `${name}: got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
      for (const p of parts) assert.ok((e as Error).message.includes(p), `${name}: message "${(e as Error).message}" lacks "${p}"`);
      return true;
    });
    assert.deepEqual(np.max(np.array([1, 4, 2])).tolist(), 4);
  });
}

test('np.roll takes its axis positionally or as { axis }, and a bad shift is a ValueError; np.split with no cut is [x]', () => {
  const x = np.array([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(np.roll(x, 1, { axis: 1 }).tolist(), [[3, 1, 2], [6, 4, 5]]);
  assert.deepEqual(np.roll(x, -1, 1).tolist(), [[2, 3, 1], [5, 6, 4]]);
  assert.throws(() => np.roll(x, 'a' as unknown as number, 1), (e: unknown) => e instanceof ValueError && /np\.roll/.test(e.message));
  assert.throws(() => np.roll(x, 1, { axes: 1 } as never), ValueError);
  const parts = np.split(np.array([1, 2, 3]), []);
  assert.equal(parts.length, 1);
  assert.deepEqual(parts[0].tolist(), [1, 2, 3]);
});

test('left-out required arguments are ValueErrors naming them (were TypeErrors from inside); axis as { axis } where numpy takes it positionally', () => {
  const x = np.arange(6).reshape(2, 3);
  const missing: [string, () => unknown][] = [
    ['np.take: missing argument indices', () => (np as any).take(x)],
    ['np.takeAlongAxis: missing argument indices', () => (np as any).takeAlongAxis(x)],
    ['np.pad: missing argument padWidth', () => (np as any).pad(x)],
    ['np.repeat: missing argument repeats', () => (np as any).repeat(x)],
    ['np.split: missing argument sections', () => (np as any).split(x)],
    ['np.slice: start and stop must be lists', () => (np as any).slice(x)],
    ["np.take: indices must be integers (an int32 Array, a JS integer or a list), got 'str' (a string)", () => (np as any).take(x, 'str')],
  ];
  for (const [msg, f] of missing) assert.throws(f, (e: any) => e instanceof CotangentError && e.message.startsWith(msg), msg);
  assert.deepEqual(np.repeat(x, 2, { axis: 1 } as any).tolist(), [[0, 0, 1, 1, 2, 2], [3, 3, 4, 4, 5, 5]]);
  assert.deepEqual(np.takeAlongAxis(x, np.array([[2], [0]], { dtype: 'int32' }), { axis: 1 } as any).tolist(), [[2], [3]]);
  assert.deepEqual(np.flip(np.ones([0, 3]), 1).shape, [0, 3]); // (a gather of nothing had no shape rule)
  assert.deepEqual(np.oneHot(np.array([0, 2], { dtype: 'int32' }), 3, { dtype: 'int32' }).tolist(), [[1, 0, 0], [0, 0, 1]]);
  // errors name the function called, not an internal helper
  assert.throws(() => linalg.inv('str' as any), (e: any) => e.message.startsWith('linalg.inv: a: expected an Array'));
  assert.throws(() => np.array(-1, 'uint32'), (e: any) => e.message.startsWith('np.array: cannot store -1 in uint32'));
  assert.throws(() => np.full(2, 5e9, 'int32'), (e: any) => e.message.startsWith('np.full: cannot store 5000000000 in int32'));
});

test('vmap copies its axis specs: mutating inAxes after vmap() does not change later calls', () => {
  const axes: any[] = [0, null];
  const f = vmap((a: any, b: any) => np.add(a, b), { inAxes: axes });
  const a = np.array([[1, 2], [3, 4]]), b = np.array([10, 20]);
  assert.deepEqual(f(a, b).tolist(), [[11, 22], [13, 24]]);
  axes[0] = 1;
  assert.deepEqual(f(a, b).tolist(), [[11, 22], [13, 24]]);
});

test('np.repeat takes counts as an int32 Array and broadcasts a one-element list (numpy)', () => {
  assert.deepEqual(np.repeat(np.array([1, 2, 3]), np.array([2, 0, 1], { dtype: 'int32' })).tolist(), [1, 1, 3]);
  assert.deepEqual(np.repeat(np.array([1, 2]), [2]).tolist(), [1, 1, 2, 2]);
  assert.throws(() => np.repeat(np.array([1, 2]), np.array([1.5, 2])), /np.repeat: repeats given as an Array must be a 0-d or 1-d int32 Array/);
});

test('numpy positional spellings: linalg.norm(x, "fro"), np.norm(v, 1), np.average(a, 0), np.pad(x, 1, "edge")', () => {
  assert.ok(Math.abs(linalg.norm(np.array([[1, 2], [3, 4]]), 'fro').item() - Math.sqrt(30)) < 1e-6);
  assert.equal(np.norm(np.array([3, 4]), 1).item(), 7);
  assert.deepEqual(np.average(np.array([[1, 2], [3, 4]]), 0).tolist(), [2, 3]);
  assert.deepEqual(np.pad(np.array([1, 2]), 1, 'edge').tolist(), [1, 1, 2, 2]);
});

test('np.concatenate errors name np.concatenate (they named lax.concatenate), a bad axis is an AxisError', () => {
  assert.throws(() => np.concatenate([np.ones([2, 3]), np.ones([4, 3])], 1), (e: any) => e instanceof ShapeError && e.message.startsWith('np.concatenate: cannot join'));
  assert.throws(() => np.concatenate([np.ones([2]), np.ones([2])], 2), (e: any) => e instanceof AxisError && e.message.startsWith('np.concatenate'));
  assert.deepEqual(np.concatenate([np.ones([2, 3]), np.ones([2, 1])], -1).shape, [2, 4]);
});

// ---------------------------------------------------------------- axis null and axis lists
// An explicit axis: null is numpy's and JAX's None: all axes where they define it so, a clear
// error where they refuse it; never silently the default axis (it was, through `o.axis ?? -1`).

const close = (got: number[][], want: number[][], tol = 1e-12) => {
  got.forEach((r, i) => r.forEach((v, j) => assert.ok(Math.abs(v - want[i][j]) <= tol, `[${i}][${j}] ${v} != ${want[i][j]}`)));
};

test('np.softmax / np.logSoftmax with axis null normalise over all axes (jax.nn.softmax axis=None), with their gradients', () => {
  const X = np.array([[1, 2], [3, 4]], { dtype: 'float64' });
  const xs = [[1, 2], [3, 4]];
  const Z = xs.flat().reduce((p, v) => p + Math.exp(v), 0);
  const s = xs.map((r) => r.map((v) => Math.exp(v) / Z)); // [[0.0321, 0.0871], [0.2369, 0.6439]]
  close(s, [[0.0321, 0.0871], [0.2369, 0.6439]], 5e-5);
  for (const got of [np.softmax(X, { axis: null }), np.softmax(X, null), np.softmax(X, { axis: [0, 1] })]) {
    close(got.tolist() as number[][], s);
    assert.ok(Math.abs(np.sum(got).item() - 1) < 1e-15);
  }
  const ls = xs.map((r) => r.map((v) => v - Math.log(Z)));
  close(np.logSoftmax(X, { axis: null }).tolist() as number[][], ls);
  close(np.logSoftmax(X, null).tolist() as number[][], ls);
  // the default (undefined) is still the last axis: each row sums to 1
  const row = [Math.exp(1) / (Math.exp(1) + Math.exp(2)), Math.exp(2) / (Math.exp(1) + Math.exp(2))];
  close(np.softmax(X).tolist() as number[][], [row, row]);
  close(np.softmax(X, {}).tolist() as number[][], [row, row]);
  // a list of one axis: that axis
  const col = [Math.exp(1) / (Math.exp(1) + Math.exp(3)), Math.exp(3) / (Math.exp(1) + Math.exp(3))];
  close(np.softmax(X, { axis: [0] }).tolist() as number[][], [[col[0], col[0]], [col[1], col[1]]]);
  // d/dx sum(w * softmax(x)) = s * (w - sum(s w)); d/dx sum(w * logSoftmax(x)) = w - s * sum(w)
  const ws = [[0.3, -1.2], [2.0, 0.5]], W = np.array(ws, { dtype: 'float64' });
  const sw = s.flat().reduce((p, v, i) => p + v * ws.flat()[i], 0), wsum = ws.flat().reduce((p, v) => p + v, 0);
  const gs = s.map((r, i) => r.map((v, j) => v * (ws[i][j] - sw)));
  const gl = s.map((r, i) => r.map((v, j) => ws[i][j] - v * wsum));
  close(grad((x: any) => np.sum(np.multiply(np.softmax(x, { axis: null }), W)))(X).tolist() as number[][], gs, 1e-14);
  close(grad((x: any) => np.sum(np.multiply(np.logSoftmax(x, null), W)))(X).tolist() as number[][], gl, 1e-14);
  // finite differences agree with the closed form
  const f = (v: number[]) => { const z = v.reduce((p, t) => p + Math.exp(t), 0); return v.reduce((p, t, i) => p + ws.flat()[i] * Math.exp(t) / z, 0); };
  xs.flat().forEach((_, i) => {
    const h = 1e-6, up = xs.flat(), dn = xs.flat(); up[i] += h; dn[i] -= h;
    assert.ok(Math.abs((f(up) - f(dn)) / (2 * h) - gs.flat()[i]) < 1e-8);
  });
  // under jit too
  close(jit((x: any) => np.softmax(x, { axis: null }))(X).tolist() as number[][], s);
});

/** fn throws a CotangentError that is a ValueError, its message starting with `name` and holding each of `parts`. */
const refuses = (fn: () => unknown, name: string, ...parts: string[]) => assert.throws(fn, (e: any) => {
  assert.ok(e instanceof CotangentError && e instanceof ValueError, `${e?.constructor?.name}: ${e?.message}`);
  assert.ok(e.message.startsWith(name + ':'), e.message);
  for (const p of parts) assert.ok(e.message.includes(p), `'${p}' not in: ${e.message}`);
  return true;
});

test('np.diff takes one integer axis: null (was -1) and a list (was its first axis) are ValueErrors naming np.diff', () => {
  const X = np.array([[1, 2], [3, 5]], { dtype: 'float64' });
  refuses(() => np.diff(X, { axis: null } as any), 'np.diff', 'axis', 'null');
  refuses(() => np.diff(X, { axis: [0, 1] } as any), 'np.diff', 'axis', '[0, 1]');
  refuses(() => np.diff(X, { axis: [0] } as any), 'np.diff', 'axis', '[0]');
  assert.deepEqual(np.diff(X, { axis: 0 }).tolist(), [[2, 3]]);
  assert.deepEqual(np.diff(X).tolist(), [[1], [2]]);
  assert.deepEqual(np.diff(X, { n: 1, axis: -1 }).tolist(), [[1], [2]]);
});

test('np.stack / np.split / np.arraySplit take one integer axis: null (was 0) and lists are ValueErrors', () => {
  const X = np.array([[1, 2], [3, 4]]);
  refuses(() => np.stack([X, X], { axis: null } as any), 'np.stack', 'axis', 'null');
  refuses(() => np.stack([X, X], null as any), 'np.stack', 'null');
  refuses(() => np.stack([X, X], { axis: [0] } as any), 'np.stack', '[0]');
  assert.deepEqual(np.stack([X, X], { axis: 1 }).tolist(), [[[1, 2], [1, 2]], [[3, 4], [3, 4]]]);
  assert.deepEqual(np.stack([X, X]).shape, [2, 2, 2]);
  refuses(() => np.split(X, 2, { axis: null } as any), 'np.split', 'null');
  refuses(() => np.split(X, 2, [0] as any), 'np.split', '[0]'); // (was read as axis 0)
  refuses(() => np.arraySplit(X, 2, { axis: null } as any), 'np.arraySplit', 'null');
  refuses(() => np.arraySplit(X, 2, { axis: [0, 1] } as any), 'np.arraySplit', '[0, 1]');
  assert.deepEqual(np.split(X, 2, { axis: 1 }).map((p) => p.tolist()), [[[1], [3]], [[2], [4]]]);
  assert.deepEqual(np.arraySplit(X, 2).map((p) => p.tolist()), [[[1, 2]], [[3, 4]]]);
  refuses(() => np.expandDims(X, { axis: null } as any), 'np.expandDims', 'null');
  assert.deepEqual(np.expandDims(X, [0, 3]).shape, [1, 2, 2, 1]); // (a list is numpy's too)
});

test('np.glu, np.trapezoid, np.lexsort take one integer axis; np.cross reads null as its default (numpy)', () => {
  const X = np.array([[1, 2, 3, 4], [5, 6, 7, 8]], { dtype: 'float64' });
  refuses(() => np.glu(X, { axis: null } as any), 'np.glu', 'null'); // (was "axis -1 ... must have an even size")
  refuses(() => np.glu(X, null as any), 'np.glu', 'null');
  refuses(() => np.glu(X, { axis: [0] } as any), 'np.glu', '[0]'); // (was read as axis 0)
  const sig = (t: number) => 1 / (1 + Math.exp(-t));
  close(np.glu(X).tolist() as number[][], [[1 * sig(3), 2 * sig(4)], [5 * sig(7), 6 * sig(8)]], 1e-15);
  close(np.glu(X, { axis: 0 }).tolist() as number[][], [[1, 2, 3, 4].map((v, j) => v * sig([5, 6, 7, 8][j]))], 1e-15);
  const Y = np.array([[1, 2], [3, 4]], { dtype: 'float64' });
  refuses(() => np.trapezoid(Y, { axis: null } as any), 'np.trapezoid', 'null');
  refuses(() => np.trapezoid(Y, null, null, null as any), 'np.trapezoid', 'null');
  refuses(() => np.trapezoid(Y, { axis: [0] } as any), 'np.trapezoid', '[0]'); // (was read as axis 0)
  refuses(() => np.trapezoid(Y, null, 1, [0] as any), 'np.trapezoid', '[0]');
  assert.deepEqual(np.trapezoid(Y, { axis: 0 }).tolist(), [2, 3]);
  assert.deepEqual(np.trapezoid(Y, null, null).tolist(), [1.5, 3.5]); // (null x and dx: their defaults)
  refuses(() => np.lexsort([Y], { axis: null } as any), 'np.lexsort', 'null');
  refuses(() => np.lexsort([Y], [0] as any), 'np.lexsort', '[0]');
  // one 1-d Array as keys is a list of 0-d keys (numpy and jnp return 0 there): the error says to pass [x] (helper-201)
  assert.throws(() => np.lexsort(np.array([1, 3, 2])), /np\.lexsort: cannot sort 0-d keys; keys is one 1-d Array \(float32\[3\]\).*pass \[x\]/);
  assert.deepEqual(np.lexsort([Y]).tolist(), [[0, 1], [0, 1]]);
  const e = np.array([[1, 0, 0], [0, 1, 0]]), f = np.array([[0, 1, 0], [0, 0, 1]]);
  assert.deepEqual(np.cross(e, f, { axis: null }).tolist(), [[0, 0, 1], [1, 0, 0]]);
  refuses(() => np.cross(e, f, { axis: [1] } as any), 'np.cross', '[1]');
  assert.deepEqual(np.cross(e, f, { axis: 1 }).tolist(), [[0, 0, 1], [1, 0, 0]]);
});

test('np.diagonal / np.trace options: null offset, axis1 or axis2 is refused (was read as 0 or 1)', () => {
  const M = np.array([[1, 2], [3, 4]]);
  refuses(() => np.diagonal(M, { axis1: null } as any), 'np.diagonal', 'axis1', 'null');
  refuses(() => np.trace(M, { axis2: null } as any), 'np.trace', 'axis2', 'null');
  refuses(() => np.diagonal(M, { offset: null } as any), 'np.diagonal', 'offset', 'null');
  assert.deepEqual(np.diagonal(M, { axis1: 1, axis2: 0 }).tolist(), [1, 4]);
  assert.equal(np.trace(M, { offset: 1 }).item(), 2);
});

test('random.categorical / permutation / choice take one integer axis: null (was the default) and lists are ValueErrors', () => {
  const key = random.key(0);
  const L = np.array([[0, -1e9], [-1e9, 0]]);
  refuses(() => random.categorical(key, L, { axis: null } as any), 'random.categorical', 'null');
  refuses(() => random.categorical(key, L, null), 'random.categorical', 'null');
  refuses(() => random.categorical(key, L, [0] as any), 'random.categorical', '[0]');
  assert.deepEqual(random.categorical(key, L).tolist(), [0, 1]);
  assert.deepEqual(random.categorical(key, np.array([[0, -1e9], [-1e9, -1e9]]), { axis: 0 }).tolist(), [0, 0]);
  const X = np.array([[1, 2], [3, 4], [5, 6]]);
  refuses(() => random.permutation(key, X, { axis: null } as any), 'random.permutation', 'null');
  refuses(() => random.permutation(key, X, null as any, true), 'random.permutation', 'null');
  refuses(() => random.permutation(key, 5, [0] as any), 'random.permutation', '[0]');
  const rows = (random.permutation(key, X, { axis: 0 }).tolist() as number[][]).map((r) => r.join()).sort();
  assert.deepEqual(rows, ['1,2', '3,4', '5,6']);
  refuses(() => random.choice(key, X, [2], true, null, null as any), 'random.choice', 'null');
  refuses(() => random.choice(key, X, { shape: [2], axis: null } as any), 'random.choice', 'null');
  refuses(() => random.choice(key, X, { shape: [2], axis: [1] } as any), 'random.choice', '[1]');
  const picked = random.choice(key, X, { shape: [2], axis: 1, replace: false }).tolist() as number[][];
  assert.deepEqual(picked.map((r) => [...r].sort()), [[1, 2], [3, 4], [5, 6]]);
  assert.deepEqual(random.choice(key, 5, [4], null, null).shape, [4]); // (null replace and p: their defaults)
});

test('where numpy defines axis None, null keeps that meaning (flatten, or all axes)', () => {
  const X = np.array([[3, 1], [2, 4]]);
  assert.deepEqual(np.concatenate([X, X], { axis: null }).tolist(), [3, 1, 2, 4, 3, 1, 2, 4]);
  assert.deepEqual(np.sort(X, { axis: null }).tolist(), [1, 2, 3, 4]);
  assert.deepEqual(np.argsort(X, null).tolist(), [1, 2, 0, 3]);
  assert.deepEqual(np.cumsum(X, { axis: null }).tolist(), [3, 4, 6, 10]);
  assert.deepEqual(np.cumprod(X, null).tolist(), [3, 3, 6, 24]);
  assert.deepEqual(np.flip(X, { axis: null }).tolist(), [[4, 2], [1, 3]]);
  assert.equal(np.sum(X, { axis: null }).item(), 10);
  assert.equal(np.max(X, null).item(), 4);
  assert.equal(np.argmax(X, { axis: null }).item(), 3);
  assert.equal(np.average(X, { axis: null }).item(), 2.5);
  assert.ok(Math.abs(np.logsumexp(np.array([[0, 0], [0, 0]], { dtype: 'float64' }), { axis: null }).item() - Math.log(4)) < 1e-15);
  assert.deepEqual(np.take(X, np.array([3], { dtype: 'int32' }), { axis: null }).tolist(), [4]);
  assert.deepEqual(np.squeeze(np.ones([1, 2, 1]), { axis: null }).shape, [2]);
});

test('np.zeros of a shape with a string or bigint entry names that entry as it is (was shown as 3)', () => {
  assert.throws(() => np.zeros(['3'] as any), (e: any) => e instanceof ShapeError && e.message.startsWith('np.zeros: invalid shape') && e.message.includes("'3' (a string)"));
  assert.throws(() => np.zeros([3n] as any), (e: any) => e instanceof ShapeError && e.message.includes('[3n]') && e.message.includes('3n (a bigint)'));
  assert.throws(() => np.zeros([2, -1]), (e: any) => e instanceof ShapeError && e.message.includes('[2, -1]') && e.message.includes('got -1'));
  assert.deepEqual(np.zeros([3]).tolist(), [0, 0, 0]);
});

test('np.rot90 axes null (object or positional) is refused as numpy and jnp refuse it (was read as [0, 1])', () => {
  const M = np.array([[1, 2], [3, 4]]);
  refuses(() => np.rot90(M, { axes: null } as any), 'np.rot90', 'axes', 'null');
  refuses(() => np.rot90(M, 1, null as any), 'np.rot90', 'axes', 'null');
  assert.deepEqual(np.rot90(M).tolist(), [[2, 4], [1, 3]]);
  assert.deepEqual(np.rot90(M, 1, { axes: [1, 0] }).tolist(), [[3, 1], [4, 2]]);
});

test('np.tril / np.triu / np.diag: k null (in the options or in k\'s place) is refused, as numpy\'s k=None; it was read as 0', () => {
  const x = np.array([[1, 2], [3, 4]]);
  for (const [name, f] of [['np.tril', np.tril], ['np.triu', np.triu], ['np.diag', np.diag]] as const) {
    assert.throws(() => (f as any)(x, { k: null }), (e: unknown) => e instanceof ValueError && new RegExp(`^${name.replace('.', '\\.')}: k must be an integer, got null`).test((e as Error).message));
    assert.throws(() => (f as any)(x, null), ValueError);
  }
  assert.deepEqual(np.tril(x).tolist(), [[1, 0], [3, 4]]); // (the default, and the next call works)
  assert.deepEqual(np.triu(x, { k: 1 }).tolist(), [[0, 2], [0, 0]]);
});

test("np.split into 0 or a fractional count of sections says so (it said 'does not result in an equal division (6 into 0)')", () => {
  const x = np.arange(6);
  assert.throws(() => np.split(x, 0), (e: unknown) => e instanceof ValueError && /^np\.split: number sections must be a positive integer, got 0/.test((e as Error).message));
  assert.throws(() => np.split(x, 1.5), (e: unknown) => e instanceof ValueError && /got 1\.5/.test((e as Error).message));
  assert.throws(() => np.split(x, 4), (e: unknown) => e instanceof ValueError && /equal division \(6 into 4\)/.test((e as Error).message));
  assert.deepEqual(np.split(x, 3).map((p) => p.tolist()), [[0, 1], [2, 3], [4, 5]]);
});

test('dynamicSlice / dynamicUpdateSlice: a JS-number start past int32 is a ValueError (JAX: OverflowError); it wrapped to -2**31 and the clamp read from the start', () => {
  const x = np.arange(5), u = np.array([9], { dtype: 'int32' });
  const fits = /does not fit in int32/;
  assert.throws(() => lax.dynamicSlice(x, [2 ** 31], [2]), (e: unknown) => e instanceof ValueError && fits.test((e as Error).message)); // was [0, 1]
  assert.throws(() => lax.dynamicUpdateSlice(x, u, [2 ** 32]), ValueError); // was [9, 1, 2, 3, 4]
  assert.throws(() => lax.dynamicUpdateSlice(x, u, [-(2 ** 32) + 1]), ValueError); // was [0, 1, 2, 3, 9]
  assert.throws(() => jit((a: any, s: any) => lax.dynamicSlice(a, [s], [2]))(x, 2 ** 31), ValueError);
  // the int32 extremes themselves clamp (JAX's)
  assert.deepEqual(lax.dynamicSlice(x, [2 ** 31 - 1], [2]).tolist(), [3, 4]);
  assert.deepEqual(lax.dynamicSlice(x, [-(2 ** 31)], [2]).tolist(), [0, 1]);
  assert.deepEqual(jit((a: any, s: any) => lax.dynamicSlice(a, [s], [2]))(x, 3).tolist(), [3, 4]);
});

test('x.at() update shape errors describe x and the update as given, when x is promoted for the update too', () => {
  // the user probe: float32 x times a float64 update said 'of float64[2]' (x promoted with it, as
  // JAX's _scatter_impl does, and the promoted copy described)
  const x32 = np.array([0.1, 1], { dtype: 'float32' }), u64 = np.array([3], { dtype: 'float64' });
  const message = (f: () => unknown): string => { try { f(); } catch (e) { assert.ok(e instanceof ShapeError, String(e)); return (e as Error).message; } return 'no error'; };
  assert.equal(message(() => x32.at(0).mul(u64)), 'x.at().mul: the update float64[1] does not broadcast to the indexed shape [] of float32[2]');
  assert.equal(message(() => x32.at(0).set(np.array([3, 4], { dtype: 'float64' }))), 'x.at().set: the update float64[2] does not broadcast to the indexed shape [] of float32[2]');
  assert.equal(message(() => np.array([1, 2], { dtype: 'int32' }).at(np.array([0, 1], { dtype: 'int32' })).max(np.array([3, 4, 5], { dtype: 'float32' }))),
    'x.at().max: the update float32[3] does not broadcast to the indexed shape [2] of int32[2]');
  // and the update as given, not cast to x's dtype (it said 'the update float64[1]' here)
  assert.equal(message(() => np.array([0.1, 1], { dtype: 'float64' }).at(0).mul(np.array([3], { dtype: 'float32' }))),
    'x.at().mul: the update float32[1] does not broadcast to the indexed shape [] of float64[2]');
  assert.throws(() => x32.at(0, 1).mul(np.array(3, { dtype: 'float64' })), (e: unknown) => e instanceof IndexError && /too many indices for array float32\[2\]/.test((e as Error).message));
  assert.deepEqual(x32.at(0).mul(np.array(3, { dtype: 'float64' })).tolist(), [Math.fround(Math.fround(0.1) * 3), 1]);
});

test('lax.reduceMax of an empty bool axis is false (its identity, as np.any([])); it went through float64, where -inf converted to true', () => {
  assert.equal(lax.reduceMax(np.array([], { dtype: 'bool' }), [0]).item(), false);
  assert.deepEqual(lax.reduceMax(np.zeros([3, 0], { dtype: 'bool' }), [1]).tolist(), [false, false, false]);
  assert.deepEqual(jit((x: any) => lax.reduceMax(x, [0]))(np.array([], { dtype: 'bool' })).tolist(), false);
  assert.deepEqual(lax.reduceMax(np.array([[true, false], [false, false]]), [1]).tolist(), [true, false]);
});
