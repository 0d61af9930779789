// helper-267's probe of lax against XLA's operation semantics and jax.lax's documented behaviour.
// References are JAX's documentation sentences quoted per test, and values worked by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lax, np, jit, grad } from '../ts/index.ts';
import { NotImplementedError, ShapeError, ValueError } from '../ts/core/errors.ts';

const f32 = (a: unknown) => np.array(a as never, { dtype: 'float32' });
const i32 = (a: unknown) => np.array(a as never, { dtype: 'int32' });
const x = np.arange(12, { dtype: 'float32' }).reshape(3, 4);
const idx = i32([[1], [5], [-1], [0]]);
const G = { offsetDims: [1], collapsedSliceDims: [0], startIndexMap: [0] };
const S = { updateWindowDims: [1], insertedWindowDims: [0], scatterDimsToOperandDims: [0] };

test("gather/scatterAdd take JAX's uniqueIndices, indicesAreSorted and mode 'promise_in_bounds' (they were ValueErrors)", () => {
  // JAX's GatherScatterMode.PROMISE_IN_BOUNDS: "out-of-bounds gathers will be clamped but
  // out-of-bounds scatters will be discarded"; rows worked by hand (5 -> row 2, -1 -> row 0)
  const g = lax.gather(x, idx, G, [1, 4], { mode: 'promise_in_bounds', uniqueIndices: false, indicesAreSorted: false });
  assert.deepEqual(g.tolist(), [[4, 5, 6, 7], [8, 9, 10, 11], [0, 1, 2, 3], [0, 1, 2, 3]]);
  const gj = jit((a: never) => lax.gather(a, idx, G, [1, 4], { mode: 'promise_in_bounds' }))(x as never);
  assert.deepEqual(gj.tolist(), g.tolist());
  const s = lax.scatterAdd(np.zeros([3, 4]), idx, np.ones([4, 4]), S, { mode: 'promise_in_bounds', uniqueIndices: true, indicesAreSorted: false });
  assert.deepEqual(s.tolist(), [[1, 1, 1, 1], [1, 1, 1, 1], [0, 0, 0, 0]]);
  // default mode stays FILL_OR_DROP with the hints given
  const d = lax.gather(x, idx, G, [1, 4], { uniqueIndices: true });
  assert.ok(Number.isNaN((d.tolist() as number[][])[1][0]));
  assert.throws(() => lax.gather(x, idx, G, [1, 4], { uniqueIndices: 1 as never }), (e: unknown) => e instanceof ValueError && /uniqueIndices must be true or false/.test((e as Error).message));
});

test('gather refuses a slice size past the operand dim (it read all NaN in fill mode)', () => {
  // JAX's _gather_shape_rule: "Slice size at index 1 in gather op is out of range, must be within [0, 4 + 1)"
  assert.throws(() => lax.gather(x, i32([[1], [0]]), G, [1, 5]), (e: unknown) => e instanceof ShapeError && /sliceSizes \[1,5\]/.test((e as Error).message));
  assert.throws(() => jit((a: never) => lax.gather(a, i32([[1]]), G, [1, 5]))(x as never), ShapeError);
  assert.deepEqual(lax.gather(x, i32([[1]]), G, [1, 4]).tolist(), [[4, 5, 6, 7]]); // (the next call still works)
});

test("gather/scatterAdd refuse XLA's batching dims and unknown keys (they were silently ignored)", () => {
  const bad = { ...G, operandBatchingDims: [1], startIndicesBatchingDims: [0] };
  assert.throws(() => lax.gather(x, i32([[1], [0]]), bad as never, [1, 4]), (e: unknown) => e instanceof NotImplementedError && /operandBatchingDims/.test((e as Error).message));
  assert.throws(() => lax.scatterAdd(np.zeros([3, 4]), i32([[1], [0]]), np.ones([2, 4]), { ...S, operandBatchingDims: [1], scatterIndicesBatchingDims: [0] } as never), NotImplementedError);
  assert.throws(() => lax.gather(x, i32([[1]]), { ...G, offsetDim: [1] } as never, [1, 4]), (e: unknown) => e instanceof ValueError && /unknown key 'offsetDim'/.test((e as Error).message));
  // JAX's defaults, empty batching dims, are accepted
  assert.deepEqual(lax.gather(x, i32([[2]]), { ...G, operandBatchingDims: [], startIndicesBatchingDims: [] } as never, [1, 4]).tolist(), [[8, 9, 10, 11]]);
});

test("lax.reshape takes JAX's dimensions (transpose first; it was refused)", () => {
  // jax.lax.reshape(operand, new_sizes, dimensions): numpy x.transpose(1, 0).reshape(3, 2) of arange(6).reshape(2, 3)
  const m = np.arange(6, { dtype: 'float32' }).reshape(2, 3);
  assert.deepEqual(lax.reshape(m, [3, 2], [1, 0]).tolist(), [[0, 3], [1, 4], [2, 5]]);
  assert.deepEqual(lax.reshape(m, [3, 2], null).tolist(), [[0, 1], [2, 3], [4, 5]]);
  assert.deepEqual(jit((a: never) => lax.reshape(a, [6], [1, 0]))(m as never).tolist(), [0, 3, 1, 4, 2, 5]);
  // d/dx sum(reshape(x.T, [3, 2]) * W) = W.T, W = arange(6).reshape(3, 2)
  const g = grad((a: never) => np.sum(np.multiply(lax.reshape(a, [3, 2], [1, 0]), np.arange(6, { dtype: 'float32' }).reshape(3, 2))))(m as never);
  assert.deepEqual(g.tolist(), [[0, 2, 4], [1, 3, 5]]);
  assert.throws(() => lax.reshape(m, [3, 2], [0, 0]), (e: unknown) => e instanceof ValueError && /permutation/.test((e as Error).message));
});

test("lax.reduce is a NotImplementedError naming the monoid reductions (it was JS's 'not a function')", () => {
  assert.throws(() => (lax as unknown as Record<string, (...a: unknown[]) => unknown>).reduce(f32([1, 2]), f32(0), lax.add, [0]),
    (e: unknown) => e instanceof NotImplementedError && /lax\.reduce:.*reduceSum/.test((e as Error).message));
});

test('lax.sign of complex is x / |x|, 0 at 0 (it was a DTypeError)', () => {
  // jax.lax.sign docs: "For complex inputs, returns the complex phase, i.e. sign(x) = x / |x|";
  // (3 + 4i) / 5 = 0.6 + 0.8i (float32: 0.6000000238418579, 0.800000011920929), 2i / 2 = i
  const c = np.array([{ re: 3, im: 4 }, { re: 0, im: 0 }, { re: 0, im: 2 }]);
  const want = [{ re: 0.6000000238418579, im: 0.800000011920929 }, { re: 0, im: 0 }, { re: 0, im: 1 }];
  assert.deepEqual(lax.sign(c).tolist(), want);
  assert.equal(lax.sign(c).dtype, 'complex64');
  assert.deepEqual(jit((a: never) => lax.sign(a))(c as never).tolist(), want);
  assert.deepEqual(lax.sign(f32([-2, 3])).tolist(), [-1, 1]);
});

test('lax.dynamicSlice / dynamicUpdateSlice take uint32 starts (JAX takes any integer dtype): capped, never wrapped to a negative start (it was a DTypeError)', () => {
  const x = np.arange(10);
  const u = (v: number) => np.array(v, { dtype: 'uint32' });
  // XLA clamps a start so the window fits: 2 -> [2, 3, 4]; 2^31 and 2^32 - 1 -> 10 - 3 = 7
  assert.deepEqual(lax.dynamicSlice(x, [u(2)], [3]).tolist(), [2, 3, 4]);
  assert.deepEqual(lax.dynamicSlice(x, [u(2147483648)], [3]).tolist(), [7, 8, 9]);
  assert.deepEqual(lax.dynamicSlice(x, [u(4294967295)], [3]).tolist(), [7, 8, 9]);
  assert.deepEqual(jit((s: any) => lax.dynamicSlice(x, [s], [3]))(u(4294967295)).tolist(), [7, 8, 9]);
  assert.deepEqual(lax.dynamicUpdateSlice(x, np.array([100, 101], { dtype: 'int32' }), [u(4294967295)]).tolist(), [0, 1, 2, 3, 4, 5, 6, 7, 100, 101]);
});
