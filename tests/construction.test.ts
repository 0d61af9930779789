// Construction (issue 6): malformed input is a ShapeError/DTypeError, never stale memory; the
// typed-array rules; shapes immutable from outside; numbers become bools by truthiness.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, jit, NDArray, ShapeError, DTypeError, CotangentError } from 'cotangent';

function throws(fn: () => unknown, cls: any, ...parts: string[]) {
  let err: any;
  try { fn(); } catch (e) { err = e; }
  assert.ok(err instanceof cls, `expected ${cls.name}, got ${err?.constructor?.name}: ${err?.message}`);
  assert.ok(err instanceof CotangentError);
  for (const p of parts) assert.ok(err.message.includes(p), `${JSON.stringify(err.message)} lacks ${JSON.stringify(p)}`);
  assert.equal(np.add(np.array([1, 2]), 1).tolist().join(), '2,3', 'the next call works');
}

test('ragged nested lists are ShapeErrors at every depth', () => {
  const ragged: unknown[] = [
    [1, [2, 3]], [[2, 3], 1], [[1, 2], [3]], [[1], []], [[], 1], [1, []], [[[1, 2]], [[3]]],
    [[[1], [2]], [[3], 4]], [[1, 2], [3, [4]]], [[1, [2]], [3, 4]],
  ];
  for (const r of ragged) throws(() => np.array(r as any), ShapeError, 'np.array', 'ragged');
  // Ragged input to any function that takes lists, too.
  throws(() => np.add([1, [2, 3]] as any, 1), ShapeError, 'np.add', 'ragged');
});

test('a previously ragged-accepted list no longer shows leftover memory', () => {
  np.multiply(np.full([4], 12345), 2); // leave values in wasm memory
  throws(() => np.add(np.array([1, [2, 3]] as any), 0), ShapeError, 'ragged');
});

test('rectangular lists, empty lists and scalars keep their shapes', () => {
  assert.deepEqual(np.array([[1, 2], [3, 4]]).shape, [2, 2]);
  assert.deepEqual(np.array([]).shape, [0]);
  assert.deepEqual(np.array([[], []]).shape, [2, 0]);
  assert.deepEqual(np.array(5).shape, []);
  assert.deepEqual(np.array([[[1]], [[2]]]).tolist(), [[[1]], [[2]]]);
});

test('a shape option that does not fit, or holds non-integers or negatives', () => {
  throws(() => np.array([1, 2, 3], { shape: [2, 2] }), ShapeError, 'np.array');
  throws(() => np.array(new Float32Array(6), { shape: [4, 2] }), ShapeError, 'np.array', '[4,2]');
  throws(() => np.array(new Float32Array(6), { shape: [2.5, 2] }), ShapeError, 'np.array', 'non-negative integer');
  throws(() => np.array(new Float32Array(6), { shape: [-2, -3] }), ShapeError, 'np.array');
  throws(() => np.array(new Float32Array(4), { shape: 'abc' as any }), ShapeError, 'np.array');
  throws(() => np.zeros([2, -1]), ShapeError, 'np.zeros');
  throws(() => np.ones([NaN]), ShapeError, 'np.ones');
  throws(() => np.full([1.5], 0), ShapeError, 'np.full');
  assert.deepEqual(np.array(new Float32Array(6), { shape: [3, 2] }).shape, [3, 2]);
});

test('typed arrays: supported kinds map to dtypes, others are DTypeErrors', () => {
  assert.equal(np.array(new Float32Array([1, 2])).dtype, 'float32');
  assert.equal(np.array(new Float64Array([1, 2])).dtype, 'float64');
  assert.equal(np.array(new Uint8Array([1, 0, 1])).dtype, 'bool');
  throws(() => np.array(new Uint8Array([1, 2])), DTypeError, 'Uint8Array', 'dtype');
  assert.equal(np.array(new Int32Array([1, 2])).dtype, 'int32');
  assert.equal(np.array(new Uint32Array([1, 2])).dtype, 'uint32');
  throws(() => np.array(new Int16Array([1, 2])), DTypeError, 'Int16Array');
  throws(() => np.array(new BigInt64Array(2) as any), DTypeError, 'BigInt64Array');
  throws(() => np.array(new BigUint64Array(2) as any), DTypeError, 'BigUint64Array');
  throws(() => np.array(new DataView(new ArrayBuffer(8)) as any), DTypeError, 'DataView');
  throws(() => np.array(new ArrayBuffer(8) as any), DTypeError, 'np.array');
  throws(() => np.array(['a', 'b'] as any), DTypeError, 'np.array', "'a'");
  throws(() => np.array([1n] as any), DTypeError, 'np.array', 'bigint');
  throws(() => np.array({ a: 1 } as any), DTypeError, 'np.array');
  // With an explicit dtype, integer typed arrays convert by value (bool: nonzero is true).
  assert.deepEqual(np.array(new Int32Array([-3, 7]), { dtype: 'float64' }).tolist(), [-3, 7]);
  assert.deepEqual(np.array(new Uint8Array([0, 2, 255]), { dtype: 'bool' }).tolist(), [false, true, true]);
  assert.deepEqual(np.array(new Uint16Array([1, 60000]), 'float32').tolist(), [1, 60000]);
});

test('int32 arrays built with an explicit dtype can be converted (no dead end)', () => {
  const i = np.array([1, -2, 0], { dtype: 'int32' });
  assert.deepEqual(np.astype(i, 'float32').tolist(), [1, -2, 0]);
  assert.deepEqual(np.astype(i, 'bool').tolist(), [true, true, false]);
  assert.deepEqual(np.add(np.astype(i, 'float64'), 1).tolist(), [2, -1, 1]);
});

test('shape is a copy: mutating it changes nothing, and it stays a number[]', () => {
  const x = np.ones([2, 3]);
  const s = x.shape;
  s[0] = 4; s.push(7);
  assert.deepEqual(x.shape, [2, 3]);
  assert.equal(x.size, 6);
  assert.deepEqual(np.sum(x, 0).shape, [3]);
  const y = np.reshape(x, s.slice(0, 1).concat([1, 1]).map(() => 1).concat([6]));
  assert.deepEqual(y.shape, [1, 1, 1, 6]);
  // A shape handed to a constructor is copied too.
  const dims = [3];
  const z = np.zeros(dims);
  dims[0] = 100;
  assert.deepEqual(z.shape, [3]);
  assert.throws(() => { (x as any).shape = [6]; });
});

test('numbers become bools by truthiness everywhere (nonzero and NaN are true)', () => {
  assert.equal(np.where(0.5, 1, 2).item(), 1);
  assert.equal(np.where(NaN, 1, 2).item(), 1);
  assert.equal(np.where(-0, 1, 2).item(), 2);
  assert.deepEqual(np.array([0.5, NaN, 0, -0, -1e-30, 256], { dtype: 'bool' }).tolist(), [true, true, false, false, true, true]);
  assert.deepEqual(np.astype(np.array([0.5, NaN, 0, -2]), 'bool').tolist(), [true, true, false, true]);
  assert.deepEqual(np.astype(np.array([0.25, NaN, 0], { dtype: 'float64' }), 'bool').tolist(), [true, true, false]);
  assert.deepEqual(np.full([2], 0.5, { dtype: 'bool' }).tolist(), [true, true]);
  assert.deepEqual(np.arange(0, 1, 0.25, { dtype: 'bool' }).tolist(), [false, true, true, true]);
  assert.deepEqual(np.arange(255, 258, 1, 'bool').tolist(), [true, true, true]);
  assert.deepEqual(np.where(np.array([0.1, 0, NaN]), 1, 0).tolist(), [1, 0, 1]);
  assert.deepEqual(np.array(new Float32Array([0.5, 0]), { dtype: 'bool' }).tolist(), [true, false]);
  // Inside a transform, a traced condition converts the same way.
  assert.equal(grad((x: any) => np.sum(np.where(np.multiply(x, 0.5), x, np.multiply(x, 3))))(0.5).item(), 1);
});

test('an Array built by hand must be filled by its buffer (no kernel reads unwritten memory)', () => {
  throws(() => new NDArray([3], 'float32', new Float32Array(1)), ShapeError, '1 values', 'float32[3]');
  throws(() => new NDArray([2, 2], 'float64', new Float64Array(5)), ShapeError);
  assert.deepEqual(np.add(new NDArray([2], 'float32', new Float32Array([1, 2])), 1).tolist(), [2, 3]);
});

test('np.array of nested lists holding Arrays stacks them (JAX\'s jnp.array): differentiable, one dtype eager and traced', async () => {
  const { jit, vmap } = await import('cotangent');
  const x64 = np.array(2, { dtype: 'float64' });
  // f(x) = 1*x + 2*x^2 + 3*sin(x): f' = 1 + 4x + 3 cos(x)
  const f = (x: NDArray) => np.sum(np.multiply(np.array([x, np.multiply(x, x), np.sin(x)]), np.array([1, 2, 3], { dtype: 'float64' })));
  const want = 1 + 4 * 2 + 3 * Math.cos(2);
  assert.equal(f(x64).dtype, 'float64');
  assert.ok(Math.abs((grad(f)(x64).item() as number) - want) < 1e-12, 'grad');
  assert.ok(Math.abs((jit(grad(f))(x64).item() as number) - want) < 1e-12, 'jit(grad)');
  assert.deepEqual(vmap((x: NDArray) => np.array([[x, 0], [0, np.multiply(x, 3)]]))(np.array([1, 2])).tolist(), [[[1, 0], [0, 3]], [[2, 0], [0, 6]]]);
  // n-d Arrays stack as in NumPy; a concrete 0-d Array keeps its dtype as a traced one does
  const m = np.array([np.array([1, 2]), np.array([3, 4])]);
  assert.deepEqual(m.shape, [2, 2]);
  assert.deepEqual(m.tolist(), [[1, 2], [3, 4]]);
  assert.equal(np.array([x64, 1]).dtype, 'float64');
  assert.equal(jit((x: NDArray) => np.array([x, 1]))(x64).dtype, 'float64');
  assert.equal(np.array([np.array(1, { dtype: 'int32' }), 2]).dtype, 'int32');
  assert.equal(np.array([np.array(1), np.array(2)], { dtype: 'float64' }).dtype, 'float64');
  throws(() => np.array([np.array([1, 2]), 3]), ShapeError, 'np.array', 'ragged', 'float32[2], float32[]');
});

test('np.linspace with Array endpoints (jnp): the numbers\' values, differentiable, vmappable, broadcast endpoints', async () => {
  const { vmap } = await import('cotangent');
  assert.deepEqual(np.linspace(np.array(0), 1, 3).tolist(), np.linspace(0, 1, 3).tolist());
  // d/ds sum(linspace(s, 1, 3)) = sum(1 - i/2) = 1.5; d/de = 1.5
  assert.equal(grad((s: NDArray) => np.sum(np.linspace(s, 1, 3)))(0.5).item(), 1.5);
  assert.equal(grad((e: NDArray) => np.sum(np.linspace(0, e, 3)))(2).item(), 1.5);
  assert.deepEqual(vmap((s: NDArray) => np.linspace(s, 1, 3))(np.array([0, -1])).tolist(), [[0, 0.5, 1], [-1, 0, 1]]);
  const m = np.linspace(np.array([0, 10], { dtype: 'float64' }), np.array([1, 20], { dtype: 'float64' }), 4);
  assert.deepEqual(m.shape, [4, 2]);
  assert.deepEqual(m.tolist(), [[0, 10], [1 / 3, 10 + 10 / 3], [2 / 3, 10 + 20 / 3], [1, 20]].map((r) => r.map((v) => v)));
  assert.equal(np.linspace(np.array(0, { dtype: 'float64' }), 1, 4).dtype, 'float64');
  assert.deepEqual(np.linspace(np.array(2), 3, 1).tolist(), [2]);
  assert.deepEqual(np.linspace(np.array(2), 3, 0).shape, [0]);
});

test('a large int32 arange is an iota row (under jit: no constant), with numpy\'s values and wrapping-free int32 arithmetic', () => {
  const n = 1 << 17;
  const a = np.arange(3, 3 + 5 * n, 5).dataSync() as Int32Array;
  assert.equal(a.length, n);
  assert.ok(a.every((v, i) => v === 3 + 5 * i));
  // numpy: np.arange(-(2**31) + 5, 2**31 - 1, 2**20)[-2:] = [2145386501, 2146435077] (i * step passes int32 on the way)
  assert.deepEqual(Array.from(np.arange(-(2 ** 31) + 5, 2 ** 31 - 1, 2 ** 20).dataSync().slice(-2)), [2145386501, 2146435077]);
  assert.deepEqual(Array.from(np.arange(n, 0, -1).dataSync().slice(0, 2)), [n, n - 1]);
  assert.match(jit(() => np.arange(n))().dtype, /int32/);
  assert.match(jit(() => np.arange(n)).lower().asText(), /constants 0 bytes/);
});
