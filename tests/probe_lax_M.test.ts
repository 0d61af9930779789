// helper-232's probe of lax's JS operands (01d5fa4): the defects it found, each pinned here.
// References: closed forms and numpy 2.4 (np.float64(0.1) is 0.1; np.float32(0.1) read back as
// float64 is 0.10000000149011612; np.float32(1e40) overflows to inf; 16777217 is exact in int32).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lax, np, grad, vmap, DTypeError, ShapeError, ValueError, type Array as NDArray } from '../ts/index.ts';

const vals = (x: NDArray) => Array.from(x.dataSync() as ArrayLike<number>);
const G = { offsetDims: [], collapsedSliceDims: [0], startIndexMap: [0] };
const S = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] };

test('convertElementType reads a JS operand at full precision, not through float32', () => {
  // float32 first gave 0.10000000149011612, Infinity and 16777216
  assert.deepEqual(vals(lax.convertElementType(0.1, 'float64')), [0.1]);
  assert.deepEqual(vals(lax.convertElementType([0.1, 0.2], 'float64')), [0.1, 0.2]);
  assert.deepEqual(vals(lax.convertElementType(1e40, 'float64')), [1e40]);
  assert.deepEqual(vals(lax.convertElementType(1e-50, 'float64')), [1e-50]);
  assert.deepEqual(vals(lax.convertElementType(16777217, 'int32')), [16777217]);
  assert.deepEqual(vals(lax.convertElementType(4294967041, 'uint32')), [4294967041]);
  assert.deepEqual(vals(lax.convertElementType({ re: 0.1, im: -0.2 }, 'complex128')), [0.1, -0.2]);
  // unchanged: one rounding to float32, truncation to int32, -0 kept, booleans
  assert.deepEqual(vals(lax.convertElementType(0.1, 'float32')), [Math.fround(0.1)]);
  assert.deepEqual(vals(lax.convertElementType(1e40, 'float32')), [Infinity]);
  assert.deepEqual(vals(lax.convertElementType(-1.5, 'int32')), [-1]);
  assert.ok(Object.is(vals(lax.convertElementType(-0, 'float64'))[0], -0));
  assert.deepEqual(vals(lax.convertElementType(true, 'float32')), [1]);
  assert.equal(lax.convertElementType(true, 'float32').dtype, 'float32');
});

test('gather and scatterAdd refuse fractional or boolean JS indices (they were truncated)', () => {
  const x = np.array([10, 20, 30]);
  // gather(x, [[1.5]]) read index 1 and returned 20
  assert.throws(() => lax.gather(x, [[1.5]], G, [1]), (e: unknown) => e instanceof DTypeError && /lax\.gather.*indices.*integers/.test((e as Error).message));
  assert.throws(() => lax.gather(x, [[NaN]], G, [1]), DTypeError);
  assert.throws(() => lax.gather(x, [[true]], G, [1]), DTypeError);
  assert.throws(() => lax.scatterAdd(x, [[0.5]], [1], S), (e: unknown) => e instanceof DTypeError && /lax\.scatterAdd/.test((e as Error).message));
  // integer lists still work, a boolean among integers counts as 1 (a Python list [1, True])
  assert.deepEqual(vals(lax.gather(x, [[2], [0]], G, [1])), [30, 10]);
  assert.deepEqual(vals(lax.gather(x, [[true], [2]], G, [1])), [20, 30]);
  assert.deepEqual(vals(lax.scatterAdd(x, [[1]], [5], S)), [10, 25, 30]);
  assert.deepEqual(vals(lax.gather(x, new Int32Array([2]) as never, G, [1])), [30]);
});

test("gather's fillValue converts as lax.full does (3e9 for int32 wrapped to -1294967296)", () => {
  const i = np.array([1, 2], 'int32');
  assert.deepEqual(vals(lax.gather(i, [[5]], G, [1], { fillValue: 3e9 })), [2147483647]);
  assert.deepEqual(vals(lax.full([1], 3e9, 'int32')), [2147483647], 'the rule it follows');
  assert.deepEqual(vals(lax.gather(i, [[5]], G, [1], { fillValue: -3e9 })), [-2147483648]);
  assert.deepEqual(vals(lax.gather(i, [[5]], G, [1], { fillValue: 7 })), [7]);
  assert.deepEqual(vals(lax.gather(np.array([1, 2], 'float64'), [[5]], G, [1], { fillValue: 0.1 })), [0.1]);
});

test('a JS scalar beside a 0-d select predicate takes the branches\' shape, not the predicate\'s', () => {
  // lax.select(np.array(true), x, 0) broadcast the 0 to [] and then refused the shapes
  const x = np.array([1, 2]);
  assert.deepEqual(vals(lax.select(np.array(true), x, 0)), [1, 2]);
  assert.deepEqual(vals(lax.select(np.array(false), x, 0)), [0, 0]);
  assert.deepEqual(vals(lax.select(np.array(false), 7, x)), [1, 2]);
  assert.deepEqual(lax.select(np.array(true), 7, x).shape, [2]);
  const v = vmap((t: NDArray) => lax.select(lax.gt(lax.reduceSum(t, [0]), 0), t, 0))(np.array([[1, 2], [-3, 1]]));
  assert.deepEqual(vals(v), [1, 2, 0, 0]);
  assert.deepEqual(vals(grad((t: NDArray) => lax.reduceSum(lax.select(np.array(true), t, 0), [0]))(x)), [1, 1]);
});

test('typed arrays are lax operands of their own dtype, as numpy arrays are in JAX (and in np.add here)', () => {
  assert.deepEqual(vals(lax.add(np.array([1, 2]), new Float32Array([1, 2]) as never)), [2, 4]);
  const d = lax.add(np.array([1, 2], 'float64'), new Float64Array([0.1, 2]) as never);
  assert.equal(d.dtype, 'float64'); assert.deepEqual(vals(d), [1.1, 4]);
  assert.deepEqual(vals(lax.sin(new Float32Array([0]) as never)), [0]);
  assert.deepEqual(vals(lax.dot(new Float32Array([1, 2]) as never, [3, 4])), [11]);
  // strict as ever: a Float64Array keeps float64, so beside float32 it is a dtype mismatch
  assert.throws(() => lax.add(np.array([1, 2]), new Float64Array([1, 2]) as never), (e: unknown) => e instanceof DTypeError && /lax\.add/.test((e as Error).message));
  assert.throws(() => lax.add(np.array([1, 2]), new DataView(new ArrayBuffer(8)) as never), ValueError);
  assert.deepEqual(vals(lax.add(np.array([1]), 1)), [2], 'the next call works');
});

test("lax.sort's refusal of a JS list says why (it reads a list as operands)", () => {
  assert.throws(() => lax.sort([3, 1, 2] as never), (e: unknown) => e instanceof ValueError && /lax\.sort takes an Array or a list of Arrays/.test((e as Error).message));
});

test("clamp's x is not broadcast to min's or max's shape when it is a JS scalar (as with a 0-d Array: JAX's rule)", () => {
  // lax.clamp(0, 5, max[2]) was [1, 2]; lax.clamp(0, np.array(5), max[2]) is a ShapeError
  assert.throws(() => lax.clamp(0, 5, np.array([1, 2])), (e: unknown) => e instanceof ShapeError && /lax\.clamp/.test(e.message));
  assert.throws(() => lax.clamp(np.array([1, 2]), 0.5, 2), ShapeError);
  assert.deepEqual(vals(lax.clamp(0, 5, 1)), [1]);
  assert.deepEqual(vals(lax.clamp(0, np.array([-1, 0.5, 3]), 1)), [0, 0.5, 1]);
  assert.deepEqual(vals(lax.clamp([0, 0, 0], np.array([-1, 0.5, 3]), 1)), [0, 0.5, 1]);
});
