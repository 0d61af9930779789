// Indexing, gather/scatter and rearrangements against hand-computed numpy / JAX values, the
// static (numpy: IndexError) vs Array (JAX: clamp / fill / drop) out-of-range rules, and
// gradients through them (checkGrads, both modes, order 2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, grad, vmap, jit, checkGrads, makeJaxpr, IndexError, AxisError, ValueError, DTypeError, ShapeError, CotangentError, type Array as NDArray } from '../ts/index.ts';

const x = np.array([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]], { dtype: 'float64' });
const I = (v: any) => np.array(v, { dtype: 'int32' });
const eq = (a: NDArray, want: unknown, what: string) => assert.deepEqual(a.tolist(), want, what);

test('np.take: static indices as numpy (IndexError), index Arrays as JAX (fill with NaN, clip, wrap), negatives from the end', () => {
  eq(np.take(x, [0, 2], { axis: 1 }), [[0, 2], [4, 6], [8, 10]], 'take axis 1');
  eq(np.take(x, 5), 5, 'flattened');
  eq(np.take(x, [[-1]], { axis: 0 }), [[[8, 9, 10, 11]]], 'static negative');
  eq(np.take(x, I([1, -1, 7]), { axis: 0 }), [[4, 5, 6, 7], [8, 9, 10, 11], [NaN, NaN, NaN, NaN]], 'fill');
  eq(np.take(x, I([5, -7]), { axis: 1, mode: 'clip' }), [[3, 0], [7, 4], [11, 8]], 'clip');
  eq(np.take(x, I([5, -7]), { axis: 1, mode: 'wrap' }), [[1, 1], [5, 5], [9, 9]], 'wrap');
  assert.throws(() => np.take(x, [9], { axis: 1 }), (e: unknown) => e instanceof IndexError && /index 9 is out of bounds for axis 1 with size 4/.test((e as Error).message));
  assert.throws(() => np.take(x, [0], { axis: 2 }), AxisError);
  assert.throws(() => np.take(x, np.array([0.5])), DTypeError);
  eq(np.takeAlongAxis(x, I([[1], [0], [3]]), 1), [[1], [4], [11]], 'takeAlongAxis 1');
  eq(np.takeAlongAxis(x, I([[2, 0, 1, 1]]), 0), [[8, 1, 6, 7]], 'takeAlongAxis 0');
  eq(np.takeAlongAxis(x, I([[9], [0], [-1]]), 1), [[NaN], [4], [11]], 'takeAlongAxis fill');
  assert.throws(() => np.takeAlongAxis(x, [[9], [0], [1]], 1), IndexError);
});

test('np.index / x.get: ints, slices (negative steps), null, ellipsis, advanced placement, masks; Arrays clamp', () => {
  eq(np.index(x, 1), [4, 5, 6, 7], 'int');
  eq(np.index(x, ':', 2), [2, 6, 10], 'column');
  eq(np.index(x, '::-1', '1::2'), [[9, 11], [5, 7], [1, 3]], 'negative step');
  eq(np.index(x, -1, '...'), [8, 9, 10, 11], 'ellipsis');
  eq(np.index(x, { start: 2, stop: 0, step: -1 }, 0), [8, 4], 'slice object');
  eq(np.index(x, [0, 2], [1, 3]), [1, 11], 'paired lists');
  eq(np.index(x, ':', I([3, -1, 9])), [[3, 3, 3], [7, 7, 7], [11, 11, 11]], 'Array indices clamp (JAX)');
  eq(np.index(x, np.greater(x, 8)), [9, 10, 11], 'bool mask');
  eq(x.get([true, false, true], 0), [0, 8], 'list mask');
  assert.deepEqual(x.get(null, 0).shape, [1, 4]);
  assert.deepEqual(np.index(np.ones([2, 3, 4]), 0, ':', [1, 2]).shape, [2, 3], 'separated advanced indices go first');
  assert.deepEqual(np.index(np.ones([2, 3, 4]), ':', [0, 1], [1, 2]).shape, [2, 2], 'adjacent ones stay in place');
  assert.deepEqual(np.index(np.ones([2, 3, 4]), ':', [[0], [1]], [1, 2]).shape, [2, 2, 2], 'broadcast index arrays');
  assert.throws(() => np.index(x, 3), (e: unknown) => e instanceof IndexError && /axis 0 with size 3/.test((e as Error).message));
  assert.throws(() => np.index(x, 0, 0, 0), IndexError);
  assert.throws(() => np.index(x, '1:2:0'), /step cannot be zero/);
  eq(np.index(x, 0, 0), 0, 'the next call works');
});

test('null (new axes) with index arrays: numpy\'s placement (a new axis is a slice of an inserted size-1 dim)', () => {
  // x = [[0..3], [4..7], [8..11]]; rows 2, 0 are [8..11], [0..3].
  eq(x.get(null, [2, 0]), [[[8, 9, 10, 11], [0, 1, 2, 3]]], 'new axis first, then the advanced dim in place');
  eq(x.get(I([2, 0]), null), [[[8, 9, 10, 11]], [[0, 1, 2, 3]]], 'advanced dim, then the new axis');
  // [2, 0] and [1, 3] are separated by the new axis: the broadcast dim (2) goes first, then the new axis.
  eq(x.get([2, 0], null, [1, 3]), [[9], [3]], 'advanced indices separated by a new axis');
  eq(x.get(':', null, I([3, 1])), [[[3, 1]], [[7, 5]], [[11, 9]]], 'slice, new axis, advanced');
  eq(x.get('...', null, [1, 2]), [[[1, 2]], [[5, 6]], [[9, 10]]], 'ellipsis before the new axis');
  // [0, 2] and the integer 1 are both advanced (an integer with arrays is one), separated by null: x[0,1], x[2,1].
  eq(x.get(null, [0, 2], null, 1), [[[1]], [[9]]], 'integer and array separated by a new axis');
  eq(x.get(null, np.array([true, false, true])), [[[0, 1, 2, 3], [8, 9, 10, 11]]], 'bool mask after a new axis');
  eq(x.get(I([[0], [2]]), null, I([1, 3])), [[[1], [3]], [[9], [11]]], 'broadcast index arrays around a new axis');
  const y = np.reshape(np.arange(24), [2, 3, 4]); // y[i, j, k] = 12 i + 4 j + k
  // y[:, [0, 2], None, [1, 3]]: pairs (j, k) = (0, 1), (2, 3) first, then i, then the new axis.
  eq(y.get(':', [0, 2], null, [1, 3]), [[[1], [13]], [[11], [23]]], 'a 3-d case');
  // y[None, 1, :, [0, 3]]: 1 and [0, 3] separated by ':' -> first; then the new axis, then j.
  eq(y.get(null, 1, ':', [0, 3]), [[[12, 16, 20]], [[15, 19, 23]]], 'separated by a slice, with a leading new axis');
  // .at with a new axis: the same positions.
  eq(x.at(null, I([0, 2])).set(-1), [[-1, -1, -1, -1], [4, 5, 6, 7], [-1, -1, -1, -1]], 'at().set through a new axis');
  eq(x.at(I([2, 0]), null, I([1, 3])).add(np.array([[10], [20]])), [[0, 1, 2, 23], [4, 5, 6, 7], [8, 19, 10, 11]], 'at().add');
  // Gradient: each picked element once.
  const g = grad((a: NDArray) => np.sum(np.multiply(a.get(null, I([2, 0, 2])), 2)))(x);
  eq(g, [[2, 2, 2, 2], [0, 0, 0, 0], [4, 4, 4, 4]], 'gradient through a new axis and an index array');
  checkGrads((a: NDArray) => np.sin(a.get([2, 0], null, ':')), [x], { order: 2 });
});

test('x.at(...): pure set/add/mul/min/max/get; repeated indices (set: last wins, add: accumulate); out-of-range Array updates dropped', () => {
  eq(x.at(0, 1).set(100), [[0, 100, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]], 'set');
  eq(x, [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]], 'x unchanged');
  eq(x.at(I([0, 0, 5]), 0).add(1), [[2, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]], 'add accumulates, drops 5');
  eq(x.at(I([-1]), 0).add(1), [[0, 1, 2, 3], [4, 5, 6, 7], [9, 9, 10, 11]], 'negative counts from the end');
  eq(x.at([0, 0], 1).set(np.array([7, 9])).get(0), [0, 9, 2, 3], 'last wins');
  eq(x.at(1).mul(2).get(1), [8, 10, 12, 14], 'mul');
  eq(x.at([1, 1], 1).mul(np.array([2, 3])).get(1), [4, 30, 6, 7], 'mul with repeats multiplies both');
  eq(x.at(':', 0).min(3).get(':', 0), [0, 3, 3], 'min');
  eq(x.at(':', 0).max(5).get(':', 0), [5, 5, 8], 'max');
  eq(x.at(I([7]), 0).get(), [8], 'get clamps');
  assert.throws(() => x.at(5).set(1), IndexError);
  // Gradients: set cuts the old values' path; add and mul keep it.
  const c = np.array([1, 2, 3, 4], { dtype: 'float64' });
  eq(grad((v: NDArray) => np.sum(np.multiply(v.at(0).set(c), v)))(x), [[1, 2, 3, 4], [8, 10, 12, 14], [16, 18, 20, 22]], 'grad set');
  const y = np.array([1.5, -2, 0.5], { dtype: 'float64' });
  checkGrads((v: NDArray, u: NDArray) => v.at(I([0, 2, 0])).add(u), [y, np.array([0.3, 0.7, -1.1], { dtype: 'float64' })], { order: 2 });
  checkGrads((v: NDArray, u: NDArray) => v.at([0, 2, 0]).set(u), [y, np.array([0.3, 0.7, -1.1], { dtype: 'float64' })], { order: 2 });
  checkGrads((v: NDArray, u: NDArray) => v.at([0, 2, 0]).mul(u), [y, np.array([0.3, 0.7, -1.1], { dtype: 'float64' })], { order: 2 });
  checkGrads((v: NDArray, u: NDArray) => v.at([1, 2]).min(u), [y, np.array([0.3, 0.7], { dtype: 'float64' })], { order: 2 });
});

test('pad, flip, roll, tile, repeat, moveaxis, swapaxes, diag, diagonal, trace, tril, triu, oneHot, meshgrid, slices', () => {
  eq(np.pad(np.array([1, 2, 3]), 2), [0, 0, 1, 2, 3, 0, 0], 'pad constant');
  eq(np.pad(np.array([1, 2, 3]), [[1, 2]], { mode: 'edge' }), [1, 1, 2, 3, 3, 3], 'pad edge');
  eq(np.pad(np.array([1, 2, 3]), 3, { mode: 'reflect' }), [2, 3, 2, 1, 2, 3, 2, 1, 2], 'pad reflect');
  // numpy: np.pad([1, 2, 3], [(2, 4)], 'symmetric' / 'wrap'), and of [5] (a single element repeats)
  eq(np.pad(np.array([1, 2, 3]), [[2, 4]], { mode: 'symmetric' }), [2, 1, 1, 2, 3, 3, 2, 1, 1], 'pad symmetric');
  eq(np.pad(np.array([1, 2, 3]), [[2, 4]], 'wrap'), [2, 3, 1, 2, 3, 1, 2, 3, 1], 'pad wrap');
  eq(np.pad(np.array([[1, 2], [3, 4]]), 1, 'wrap'), [[4, 3, 4, 3], [2, 1, 2, 1], [4, 3, 4, 3], [2, 1, 2, 1]], 'pad wrap 2-d');
  eq(np.pad(np.array([5]), [[2, 3]], 'symmetric'), [5, 5, 5, 5, 5, 5], 'pad symmetric of one');
  eq(np.pad(np.array([5]), [[2, 3]], 'wrap'), [5, 5, 5, 5, 5, 5], 'pad wrap of one');
  // the gradient sums each source element's copies (numpy: np.add.at(g, np.pad(np.arange(3), [(2, 4)], 'wrap'), np.arange(9.)))
  eq(grad((v: NDArray) => np.sum(np.multiply(np.pad(v, [[2, 4]], 'wrap'), np.arange(9, { dtype: 'float64' }))))(np.array([1, 2, 3], { dtype: 'float64' })), [15, 9, 12], 'pad wrap grad');
  eq(np.pad(np.array([[1]]), [[0, 1], [1, 0]], { constantValues: 9 }), [[9, 1], [9, 9]], 'pad 2-d');
  eq(np.flip(x, 1).get(0), [3, 2, 1, 0], 'flip');
  eq(np.flip(np.array([[1, 2], [3, 4]])), [[4, 3], [2, 1]], 'flip all');
  eq(np.roll(np.array([1, 2, 3, 4]), 1), [4, 1, 2, 3], 'roll');
  eq(np.roll(np.array([[1, 2], [3, 4]]), 1), [[4, 1], [2, 3]], 'roll flattened');
  eq(np.roll(x, -1, 0).get(0), [4, 5, 6, 7], 'roll axis');
  eq(np.tile(np.array([1, 2]), [2, 2]), [[1, 2, 1, 2], [1, 2, 1, 2]], 'tile');
  eq(np.repeat(np.array([1, 2]), 2), [1, 1, 2, 2], 'repeat');
  eq(np.repeat(np.array([[1, 2], [3, 4]]), [1, 2], 0), [[1, 2], [3, 4], [3, 4]], 'repeat counts');
  assert.deepEqual(np.moveaxis(np.ones([2, 3, 4]), 0, -1).shape, [3, 4, 2]);
  assert.deepEqual(np.moveaxis(np.ones([2, 3, 4]), [0, 1], [-1, -2]).shape, [4, 3, 2]);
  assert.deepEqual(np.swapaxes(np.ones([2, 3, 4]), 0, 2).shape, [4, 3, 2]);
  eq(np.diagonal(x), [0, 5, 10], 'diagonal');
  eq(np.diagonal(x, 1), [1, 6, 11], 'diagonal +1');
  eq(np.diagonal(x, -2), [8], 'diagonal -2');
  eq(np.trace(x), 15, 'trace');
  eq(np.diag(np.array([1, 2]), 1), [[0, 1, 0], [0, 0, 2], [0, 0, 0]], 'diag vector');
  eq(np.diag(x, -1), [4, 9], 'diag matrix');
  eq(np.tril(x), [[0, 0, 0, 0], [4, 5, 0, 0], [8, 9, 10, 0]], 'tril');
  eq(np.triu(x, 1), [[0, 1, 2, 3], [0, 0, 6, 7], [0, 0, 0, 11]], 'triu');
  eq(np.oneHot(I([0, 2, -1, 5]), 3), [[1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0]], 'oneHot (JAX: out of range is zeros)');
  const [X, Y] = np.meshgrid(np.array([1, 2, 3]), np.array([4, 5]));
  eq(X, [[1, 2, 3], [1, 2, 3]], 'meshgrid X'); eq(Y, [[4, 4, 4], [5, 5, 5]], 'meshgrid Y');
  assert.deepEqual(np.meshgrid(np.array([1, 2, 3]), np.array([4, 5]), { indexing: 'ij' })[0].shape, [3, 2]);
  eq(np.slice(x, [0, 3], [null, null], [2, -1]), [[3, 2, 1, 0], [11, 10, 9, 8]], 'slice');
  eq(np.dynamicSlice(x, [2, 1], [2, 2]), [[5, 6], [9, 10]], 'dynamicSlice clamps its start (JAX)');
  eq(np.dynamicUpdateSlice(x, np.ones([2, 2], x.dtype), [2, 3]), [[0, 1, 2, 3], [4, 5, 1, 1], [8, 9, 1, 1]], 'dynamicUpdateSlice clamps');
  eq(np.dynamicSlice(x, [I(1), 0], [1, 2]), [[4, 5]], 'traced-style int32 start');
  // JAX: a negative start counts from the end first, then the window is clamped
  const v = np.array([10, 11, 12, 13]);
  eq(np.dynamicSlice(v, [-1], [2]), [12, 13], 'dynamicSlice -1: from the end, then clamped');
  eq(np.dynamicSlice(v, [-3], [2]), [11, 12], 'dynamicSlice -3');
  eq(np.dynamicSlice(v, [I(-3)], [2]), [11, 12], 'dynamicSlice int32 -3');
  eq(np.dynamicSlice(v, [-9], [2]), [10, 11], 'dynamicSlice past the start: clamped');
  eq(np.dynamicUpdateSlice(v, np.array([1, 2]), [I(-1)]), [10, 11, 1, 2], 'dynamicUpdateSlice int32 -1');
  eq(np.dynamicUpdateSlice(v, np.array([1, 2]), [-3]), [10, 1, 2, 13], 'dynamicUpdateSlice -3');
  eq(vmap((s: NDArray) => np.dynamicSlice(v, [s], [2]))(I([-1, 0, -4])), [[12, 13], [10, 11], [10, 11]], 'vmapped starts');
  eq(np.where(np.array([true, false]), np.array([[1], [2]]), 0), [[1, 0], [2, 0]], 'where broadcasts all three');
  assert.throws(() => np.pad(x, [[1, 1]], { mode: 'mode' as any }), /mode must be one of 'constant', 'edge', 'reflect', 'symmetric', 'wrap', 'mean'/);
  assert.throws(() => np.dynamicSlice(x, [0], [1]), ShapeError);
});

test('derivatives through indexing and rearrangements (checkGrads order 2)', () => {
  const a = np.array([[0.5, -1.2, 2.0], [0.3, 1.1, -0.4]], { dtype: 'float64' });
  checkGrads((v: NDArray) => np.index(v, '::-1', I([2, 0, 2])), [a], { order: 2 });
  checkGrads((v: NDArray) => np.take(v, I([5, 0, -1, 9]), { mode: 'clip' }), [a], { order: 2 });
  // A filled (out-of-range) element has a zero derivative, as in JAX (its value is NaN).
  eq(grad((v: NDArray) => np.sum(np.take(v, I([1, 9, 1]))))(a), [[0, 0, 0], [0, 0, 0]].map((r, i) => r.map((_, j) => (i === 0 && j === 1 ? 2 : 0))), 'fill grad');
  checkGrads((v: NDArray) => np.takeAlongAxis(v, I([[2, 0], [1, 1]]), 1), [a], { order: 2 });
  checkGrads((v: NDArray) => np.pad(v, 2, { mode: 'reflect' }), [a], { order: 2 });
  checkGrads((v: NDArray) => np.multiply(np.roll(v, 1, 1), np.flip(v)), [a], { order: 2 });
  checkGrads((v: NDArray) => np.diag(np.diagonal(np.tile(v, [2, 1]), 1)), [a], { order: 2 });
  checkGrads((v: NDArray) => np.dynamicUpdateSlice(v, np.multiply(np.dynamicSlice(v, [1, 1], [1, 2]), v.get('0:1', '1:')), [0, 0]), [a], { order: 2 });
  checkGrads((v: NDArray) => np.tril(np.repeat(v, 2, 0)), [a], { order: 2 });
});

test('iterating a traced Array gathers rows exactly (an inf or NaN elsewhere does not leak into them)', () => {
  const f = (x: NDArray) => { const [, b] = x; return np.sum(np.multiply(b, b)); };
  eq(grad(f)(np.array([[Infinity, 1], [2, 3]], { dtype: 'float64' })), [[0, 0], [4, 6]], 'grad through iteration');
  const g = (x: NDArray) => { const [, b] = x; assert.deepEqual(b.tolist(), [2, 3]); return np.sum(b); };
  eq(grad(g)(np.array([[NaN, 1], [2, 3]], { dtype: 'float64' })), [[0, 0], [1, 1]], 'row value and grad');
  const [p, q] = grad((x: NDArray) => { const [r0, r1] = x; return np.sum(np.multiply(r0, r1)); })(np.array([[1, 2], [3, 4]], { dtype: 'float64' })).tolist() as number[][];
  assert.deepEqual([p, q], [[3, 4], [1, 2]]);
});

test('numpy keywords as an options object: triu/tril/diag { k }, diagonal/trace { offset, axis1, axis2 }, tile { reps }; non-integers refused', () => {
  const x = np.reshape(np.arange(1, 10), [3, 3]);
  eq(np.triu(x, { k: 1 }), [[0, 2, 3], [0, 0, 6], [0, 0, 0]], 'triu { k: 1 } (was all zeros)');
  eq(np.tril(x, { k: -1 }), [[0, 0, 0], [4, 0, 0], [7, 8, 0]], 'tril { k: -1 }');
  eq(np.diagonal(x, { offset: 1 }), [2, 6], 'diagonal { offset: 1 }');
  eq(np.diagonal(x, { axis1: 1, axis2: 0 }), [1, 5, 9], 'diagonal { axis1, axis2 }');
  eq(np.trace(x, { offset: -1 }), 4 + 8, 'trace { offset: -1 }');
  eq(np.diag(x, { k: 1 }), [2, 6], 'diag { k: 1 }');
  eq(np.tile(np.array([1, 2]), { reps: 2 }), [1, 2, 1, 2], 'tile { reps: 2 }');
  for (const [what, f] of [
    ['triu 0.5', () => np.triu(x, 0.5)], ['tril NaN', () => np.tril(x, NaN)], ['diagonal 1.5', () => np.diagonal(x, 1.5)],
    ['diag { k: 0.5 }', () => np.diag(x, { k: 0.5 })], ['triu { kk: 1 }', () => np.triu(x, { kk: 1 } as any)],
    ['tile { reps: [1.5] }', () => np.tile(x, { reps: [1.5] })],
  ] as [string, () => unknown][]) {
    assert.throws(f, (e: any) => e instanceof Error && e.name !== 'TypeError' && /np\.(triu|tril|diagonal|diag|tile)/.test(e.message), what);
  }
});

test('x.at().set/add with an update that does not fit the indexed shape: a ShapeError naming x.at().set and both shapes', () => {
  const z = np.zeros([3, 2]);
  for (const [what, f] of [['set [3]', () => z.at(1).set(np.ones([3]))], ['add [2,2]', () => z.at(1).add(np.ones([2, 2]))]] as [string, () => unknown][]) {
    assert.throws(f, (e: any) => e instanceof ShapeError && /x\.at\(\)\.(set|add)/.test(e.message) && /float32\[3,2\]/.test(e.message), what);
  }
  eq(z.at(1).set(np.ones([2])), [[0, 0], [1, 1], [0, 0]], 'a fitting update');
});

test('a 0-d bool index is a new axis of length 1 or 0 (numpy); x.at(np.array(false)).set(v) changes nothing (it set every element)', () => {
  const a = np.arange(24).reshape(2, 3, 4).astype('float32');
  assert.equal(a.at(np.array(false)).set(-1).sum().item(), 276); // 0 + ... + 23: unchanged
  assert.equal(a.at(np.array(true)).add(1).sum().item(), 300);
  assert.equal(np.array(5).at(np.array(false)).set(0).item(), 5);
  assert.equal(np.array(5).at(np.array(true)).set(0).item(), 0);
  // numpy: a[False].shape = (0, 2, 3, 4), a[True] (1, 2, 3, 4), a[1, True] (1, 3, 4), a[..., True] (2, 3, 4, 1), a[None, True, 0] (1, 1, 3, 4)
  assert.deepEqual(a.get(np.array(false)).shape, [0, 2, 3, 4]);
  assert.deepEqual(a.get(np.array(true)).shape, [1, 2, 3, 4]);
  assert.deepEqual(a.get(1, np.array(true)).shape, [1, 3, 4]);
  assert.deepEqual(a.get('...', np.array(true)).shape, [2, 3, 4, 1]);
  assert.deepEqual(a.get(null, np.array(true), 0).shape, [1, 1, 3, 4]);
});

test("x.at() refuses JAX's mode and fill_value options (they were dropped); empty operands index to empty results", () => {
  const x = np.arange(5).astype('float32');
  assert.throws(() => (x.at(np.array([1, 7], { dtype: 'int32' })) as any).get({ mode: 'fill', fillValue: -1 }), /x.at\(\).get: takes no arguments, got 1/);
  assert.throws(() => (x.at(1) as any).set(0, { mode: 'clip' }), /x.at\(\).set: takes one argument \(the update\), got 2/);
  // jnp returns empty results here; a gather of no index from an empty axis had no shape rule
  assert.deepEqual(np.diagonal(np.ones([0, 0])).shape, [0]);
  assert.deepEqual(np.diagonal(np.ones([3, 0])).shape, [0]);
  assert.deepEqual(np.diag(np.zeros([0, 3])).shape, [0]);
  assert.equal(np.trace(np.ones([0, 0])).item(), 0);
  assert.deepEqual(np.repeat(np.zeros([0]), 3).shape, [0]);
  assert.deepEqual(np.zeros([0]).at(np.array([0, 2], { dtype: 'int32' })).add(1).shape, [0]); // out of range: dropped
  // bool trace counts in int32 (jnp's sum); fractional roll shifts and dynamicSlice starts are refused
  const t = np.trace(np.array([[true, false, true], [false, true, true]]));
  assert.equal(t.dtype, 'int32'); assert.equal(t.item(), 2);
  assert.throws(() => np.roll(np.array([1, -2, 3]), 1.5), /np.roll: shift must be an integer/);
  assert.throws(() => lax.dynamicSlice(np.ones([3, 3]), [0.5, 1], [2, 2]), /lax.dynamicSlice: starts must be integers, got 0.5/);
  assert.deepEqual(np.split(np.arange(6), np.array([1, 3], { dtype: 'int32' })).map((p) => p.tolist()), [[0], [1, 2], [3, 4, 5]]);
});

// ---- from a trial of array manipulation (2026-12-02)

test("np.take's clip clamps negative indices to 0 (numpy, jnp); JS indices past int32 keep their meaning; empty axes refuse", () => {
  const v = np.array([10, 11, 12, 13, 14]);
  const i32 = (a: number[]) => np.array(a, { dtype: 'int32' });
  // numpy: np.take(v, [-1, -2, 7], mode='clip') = [10, 10, 14]
  assert.deepEqual(np.take(v, i32([-1, -2, 7]), { mode: 'clip' }).tolist(), [10, 10, 14]);
  assert.deepEqual(np.take(v, [-1, -2, 7], { mode: 'clip' }).tolist(), [10, 10, 14]);
  assert.deepEqual(jit((i: any) => np.take(v, i, { mode: 'clip' }))(i32([-1, 7])).tolist(), [10, 14]);
  // numpy: clip of 2**32 + 1 and 3e9 is 14; wrap of 2**32 + 1 is v[(2**32 + 1) % 5] = 12
  assert.deepEqual(np.take(v, [2 ** 32 + 1, 3e9], { mode: 'clip' }).tolist(), [14, 14]);
  assert.deepEqual(np.take(v, [2 ** 32 + 1], { mode: 'wrap' }).tolist(), [12]);
  assert.ok(Number.isNaN((np.take(v, [2 ** 32 + 1], { mode: 'fill' }).tolist() as number[])[0]));
  assert.deepEqual(np.take(v, [-1], { mode: 'fill' }).tolist(), [14]); // fill counts in-range negatives from the end (JAX)
  assert.throws(() => np.takeAlongAxis(v, [1e12], 0), /index 1000000000000 is out of bounds/);
  assert.throws(() => np.takeAlongAxis(v, [1.7], 0), /index 1\.7 is not an integer/);
  assert.throws(() => np.take(np.zeros([0]), i32([0])), IndexError);
  // numpy: np.roll(v, 2**53 + 2) = [11 12 13 14 10], np.roll(v, 10**20) = v
  assert.deepEqual(np.roll(v, 2 ** 53 + 2).tolist(), [11, 12, 13, 14, 10]);
  assert.deepEqual(np.roll(v, 1e20).tolist(), [10, 11, 12, 13, 14]);
});

test('slice objects refuse unknown keys and fractional bounds (a typo was a full slice)', () => {
  const v = np.array([10, 11, 12, 13, 14]);
  assert.throws(() => v.at({ strat: 3 } as any).set(0), (e: any) => e instanceof IndexError && /got 'strat'/.test(e.message));
  assert.throws(() => np.index(v, { start: 1.5 }), /slice start must be an integer or null/);
  assert.deepEqual(np.index(v, { start: 1, step: 2 }).tolist(), [11, 13]);
});

test('np.repeat checks its result size first and repeats one count by broadcasting (no index list)', () => {
  assert.throws(() => np.repeat(np.ones([3, 4]), 1e9), ShapeError);
  assert.throws(() => np.repeat(np.ones([1000]), 1e6), CotangentError);
  const a = np.array([[1, 2], [3, 4]]);
  // numpy: np.repeat(a, 2, 1), np.repeat(a, 2), np.repeat(a, [1, 2], 0)
  assert.deepEqual(np.repeat(a, 2, 1).tolist(), [[1, 1, 2, 2], [3, 3, 4, 4]]);
  assert.deepEqual(np.repeat(a, 2).tolist(), [1, 1, 2, 2, 3, 3, 4, 4]);
  assert.deepEqual(np.repeat(a, [1, 2], 0).tolist(), [[1, 2], [3, 4], [3, 4]]);
  assert.deepEqual(grad((x: any) => np.sum(np.multiply(np.repeat(x, 3), np.arange(6))))(np.array([1, 2])).tolist(), [3, 12]);
});

test('a "..." between advanced indices separates them even when it covers no axis: they move to the front (numpy; JAX since jax#25109)', () => {
  // references: numpy 2.4, x = np.arange(8).reshape(2, 2, 2), i = [0, 1], j = [0, 0]
  const x = np.reshape(np.arange(8), [2, 2, 2]);
  const i = np.array([0, 1], { dtype: 'int32' }), j = np.array([0, 0], { dtype: 'int32' });
  assert.deepEqual(np.index(x, ':', i, '...', j).tolist(), [[0, 4], [2, 6]]); // x[:, i, ..., j]
  assert.deepEqual(x.at(':', i, '...', j).set(np.array([[10, 20], [30, 40]], { dtype: 'int32' })).tolist(),
    [[[10, 1], [30, 3]], [[20, 5], [40, 7]]]);
  assert.deepEqual(np.index(np.reshape(np.arange(60), [5, 3, 4]), ':', i, '...', j).shape, [2, 5]);
  assert.deepEqual(np.index(np.reshape(np.arange(9), [3, 3]), null, np.array([0, 1, 2], { dtype: 'int32' }), '...', np.array([1], { dtype: 'int32' })).shape, [3, 1]);
  assert.deepEqual(np.index(x, i, j, '...').tolist(), [[0, 1], [4, 5]]); // adjacent: in place
});

test('the gradient of x.at(i).max/min at ties is the mean over the tied contributors (JAX\'s _scatter_extremal_jvp), eager, jitted and traced', () => {
  const f64 = (v: number[]) => np.array(v, { dtype: 'float64' });
  const idx = np.array([0, 0, 0], { dtype: 'int32' });
  const f = (x: NDArray, v: NDArray) => np.sum(x.at(idx).max(v));
  // x and three updates all equal to the maximum: 1/4 each (the chain of maxima gave 1/8, 1/4, 1/2)
  const [gx, gv] = grad(f, { argnums: [0, 1] })(f64([1]), f64([1, 1, 1])) as NDArray[];
  assert.deepEqual([gx.tolist(), gv.tolist()], [[0.25], [0.25, 0.25, 0.25]]);
  const [jx, jv] = jit(grad(f, { argnums: [0, 1] }))(f64([1]), f64([1, 1, 1])) as NDArray[];
  assert.deepEqual([jx.tolist(), jv.tolist()], [[0.25], [0.25, 0.25, 0.25]]);
  assert.deepEqual(grad(f, { argnums: 1 })(f64([1]), f64([3, 5, 2])).tolist(), [0, 1, 0]); // no tie: the maximum alone
  // min over two positions, an out-of-range update dropped, weights 1 and 10
  const idx2 = np.array([0, 1, 1, 7], { dtype: 'int32' });
  const g = (x: NDArray, v: NDArray) => np.sum(np.multiply(x.at(idx2).min(v), f64([1, 10])));
  const gv2 = grad(g, { argnums: 1 })(f64([5, 2]), f64([4, 2, 2, -9])).tolist() as number[];
  assert.deepEqual(gv2.map((t) => Math.round(t * 3)), [3, 10, 10, 0]); // [1, 10/3, 10/3, 0]
  assert.deepEqual((grad(g, { argnums: 0 })(f64([5, 2]), f64([4, 2, 2, -9])).tolist() as number[]).map((t) => Math.round(t * 3)), [0, 10]);
  // traced indices (vmap), and the values unchanged, a -0 included
  const h = (x: NDArray, i: NDArray, v: NDArray) => np.sum(x.at(i).max(v));
  assert.deepEqual(vmap(grad(h, { argnums: 2 }), { inAxes: [null, 0, null] })(f64([1]), np.array([[0, 0, 0]], { dtype: 'int32' }), f64([1, 1, 1])).tolist(), [[0.25, 0.25, 0.25]]);
  assert.ok(Object.is(jit((x: NDArray) => x.at(np.array([0], { dtype: 'int32' })).max(f64([-1])))(f64([-0])).dataSync()[0], -0));
  // away from ties, checkGrads (float64 central differences) agrees
  checkGrads((x: NDArray, v: NDArray) => np.sum(np.sin(x.at(np.array([0, 1, 1], { dtype: 'int32' })).max(v))), [f64([0.3, 2]), f64([0.9, 0.5, 1.5])], { order: 2 });
});

test('lax.dynamicSlice/dynamicUpdateSlice are strict as JAX\'s: sizes within the shape, one dtype; bool updates work', () => {
  assert.deepEqual(lax.dynamicUpdateSlice(np.array([false, false, false, false], { dtype: 'bool' }), np.array([true, true], { dtype: 'bool' }), [1]).tolist(), [false, true, true, false]);
  assert.throws(() => lax.dynamicSlice(np.ones([3]), [0], [5]), (e: unknown) => e instanceof ShapeError && /lax\.dynamicSlice: sizes \[5\]/.test(String(e)));
  assert.throws(() => lax.dynamicUpdateSlice(np.ones([3]), np.ones([2], { dtype: 'float64' }), [0]), (e: unknown) => e instanceof DTypeError && /must have x's dtype float32/.test(String(e)));
  assert.throws(() => lax.dynamicUpdateSlice(np.ones([3]), np.ones([4]), [0]), (e: unknown) => e instanceof ShapeError && /larger than x/.test(String(e)));
});

test('x.at() with integers and slices computes its positions in JS: under jit one scatter per round, not n x n rounds', () => {
  // x.at('0:6000').set(1) under jit took 960 MiB and 1.8 s (its positions gathered from an iota had no values)
  const k = 6000, x = np.zeros([2 * k]);
  const j = jit((a: NDArray) => a.at(`0:${k}`).set(1));
  assert.equal(np.sum(j(x)).item(), k);
  const text = j.lower(x).asText();
  const rows = Number(/(\d+) rows/.exec(text)![1]), consts = Number(/constants (\d+) bytes/.exec(text)![1]);
  assert.ok(rows < 50 && consts < 16 * k, `${rows} rows, ${consts} bytes of constants`); // O(k): the positions, not O(k^2)
  // eager and jitted agree over the static forms: ints, negative ints, slices with steps, null, '...'
  const y = np.reshape(np.arange(24, 'float32'), [2, 3, 4]);
  const forms: [string, (a: NDArray) => NDArray][] = [
    ['[:, 1]', (a) => a.at(':', 1).set(-1)], ['[1, ::2, -1]', (a) => a.at(1, '::2', -1).mul(10)],
    ['[None, 0, 1:3]', (a) => a.at(null, 0, '1:3').add(100)], ['[..., 2]', (a) => a.at('...', 2).max(15)],
    ['[-1, :, ::-1]', (a) => a.at(-1, ':', '::-1').min(np.array([0, 30, 0, 30]))],
  ];
  for (const [what, f] of forms) assert.deepEqual(jit(f)(y).tolist(), f(y).tolist(), what);
  // against numpy: y[:, 1] = -1; y[1, ::2, -1] *= 10
  const e = forms[0][1](y).tolist() as number[][][];
  assert.deepEqual(e[0][1], [-1, -1, -1, -1]); assert.deepEqual(e[1][0], [12, 13, 14, 15]);
  const m = forms[1][1](y).tolist() as number[][][];
  assert.deepEqual([m[1][0][3], m[1][1][3], m[1][2][3]], [150, 19, 230]);
});

test('contiguous slices are one gather window (x[:, 1:] was 1023 one-column windows); dynamicUpdateSlice stores no x-sized constant under jit', () => {
  const y = np.reshape(np.arange(24, 'float32'), [2, 3, 4]);
  // numpy: y[:, 1:, 1:3], y[1, 0:1], y[..., 2:], y[:, 5:9] (empty), y[:, 3:1]
  assert.deepEqual(np.index(y, ':', '1:', '1:3').tolist(), [[[5, 6], [9, 10]], [[17, 18], [21, 22]]]);
  assert.deepEqual(np.index(y, 1, '0:1').tolist(), [[12, 13, 14, 15]]);
  assert.deepEqual(np.index(y, '...', '2:').tolist(), [[[2, 3], [6, 7], [10, 11]], [[14, 15], [18, 19], [22, 23]]]);
  assert.deepEqual(np.index(y, ':', '5:9').shape, [2, 0, 4]);
  assert.deepEqual(grad((a: NDArray) => np.sum(np.multiply(np.index(a, ':', '1:3'), 2)))(np.ones([2, 4])).tolist(), [[0, 2, 2, 0], [0, 2, 2, 0]]);
  assert.deepEqual(vmap((a: NDArray) => np.index(a, '1:3'))(np.reshape(np.arange(12, 'float32'), [3, 4])).tolist(), [[1, 2], [5, 6], [9, 10]]);
  const j = jit((a: NDArray) => lax.dynamicUpdateSlice(a, np.ones([1]), [5]));
  const x = np.zeros([100000]);
  assert.equal(np.sum(j(x)).item(), 1);
  assert.ok(Number(/constants (\d+) bytes/.exec(j.lower(x).asText())![1]) < 64);
});

test('np.take(..., { fillValue }) (jnp.take\'s fill_value): out-of-range positions found from the indices, NaNs in x kept', () => {
  const x = np.array([[1, 2, 3], [4, NaN, 6]], { dtype: 'float64' });
  assert.deepEqual(np.take(x, np.array([0, 2, 5, -1, -4], { dtype: 'int32' }), { axis: 1, fillValue: -7 }).tolist(), [[1, 3, -7, 3, -7], [4, 6, -7, 6, -7]]);
  assert.deepEqual(np.take(x, np.array([1, 1], { dtype: 'int32' }), { axis: 1, fillValue: 0 }).tolist(), [[2, 2], [NaN, NaN]]);
  assert.deepEqual(np.take(x, [0, 9], { fillValue: 0 }).tolist(), [1, 0]);
  const ints = np.take(np.arange(5), [1, 7], { fillValue: -1 });
  assert.deepEqual([ints.dtype, ints.tolist()], ['int32', [1, -1]]);
  assert.deepEqual(jit((a: any, i: any) => np.take(a, i, { axis: 0, fillValue: 0 }))(x, np.array([1, 3], { dtype: 'int32' })).tolist(), [[4, NaN, 6], [0, 0, 0]]);
  assert.deepEqual(grad((a: any) => np.sum(np.take(a, np.array([0, 5], { dtype: 'int32' }), { fillValue: 3 })))(np.array([1, 2, 3], { dtype: 'float64' })).tolist(), [1, 0, 0]);
  assert.throws(() => np.take(x, [0], { mode: 'clip', fillValue: 1 }), /fillValue goes with mode 'fill'/);
});

// ---- numpy's np.pad widths and mode checks, np.roll's broadcast shifts, np.split's unordered cuts
// (expected values printed by numpy 2.4)

test("np.pad takes every numpy padWidth form (broadcast to [ndim, 2]); constantValues with mode 'edge' / 'reflect' is a ValueError", () => {
  const m = np.array([[1, 2, 3], [4, 5, 6]]);
  const one = [[0, 0, 0, 0, 0], [0, 1, 2, 3, 0], [0, 4, 5, 6, 0], [0, 0, 0, 0, 0]]; // numpy: np.pad(m, 1) = np.pad(m, [1]) = np.pad(m, [[1]])
  eq(np.pad(m, 1), one, 'n');
  eq(np.pad(m, [1]), one, '[n]');
  eq(np.pad(m, [[1]]), one, '[[n]]');
  const oneTwo = [[0, 0, 0, 0, 0, 0], [0, 1, 2, 3, 0, 0], [0, 4, 5, 6, 0, 0], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]]; // numpy: np.pad(m, [1, 2])
  eq(np.pad(m, [1, 2]), oneTwo, '[before, after]');
  eq(np.pad(m, [[1, 2]]), oneTwo, '[[before, after]]');
  eq(np.pad(m, [[1, 2], [0, 3]]), [[0, 0, 0, 0, 0, 0], [1, 2, 3, 0, 0, 0], [4, 5, 6, 0, 0, 0], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]], 'a pair per axis');
  eq(np.pad(m, [[1], [2]], { mode: 'reflect' }), [[6, 5, 4, 5, 6, 5, 4], [3, 2, 1, 2, 3, 2, 1], [6, 5, 4, 5, 6, 5, 4], [3, 2, 1, 2, 3, 2, 1]], '[[n0], [n1]] reflect');
  eq(np.pad(m, [[0, 1]], 'edge'), [[1, 2, 3, 3], [4, 5, 6, 6], [4, 5, 6, 6]], '[[before, after]] edge');
  eq(np.pad(np.array([1, 2, 3]), [2], { constantValues: 7 }), [7, 7, 1, 2, 3, 7, 7], '1-d [n] constant 7');
  eq(np.pad(m, np.array([[1, 2], [0, 3]], { dtype: 'int32' })), [[0, 0, 0, 0, 0, 0], [1, 2, 3, 0, 0, 0], [4, 5, 6, 0, 0, 0], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]], 'an int32 Array of widths');
  eq(np.pad(np.array(5), [[1, 2]]), 5, '0-d: one row broadcasts to no axes'); // numpy: 5
  eq(np.pad(np.array(5), [3]), 5, '0-d [n]');
  // numpy raises "operands could not be broadcast together with remapped shapes" for each of these
  const widths: unknown[] = [[1, 2, 3], [[1, 2], [3, 4], [5, 6]], [[1, 2, 3]], [[1], [2], [3]], [], [[]], [[1, 2], 3], [[1, 2], [3]], [-1], [1.5], 'a'];
  for (const w of widths) {
    assert.throws(() => np.pad(m, w as any), (e: unknown) => e instanceof ValueError && /^np\.pad: padWidth .*float32\[2,3\] \(2 axes\)/.test((e as Error).message), JSON.stringify(w));
  }
  assert.throws(() => np.pad(np.array([0, 1]), [[1], [2]]), (e: unknown) => e instanceof ValueError && /np\.pad: padWidth \[\[1\], \[2\]\] has 2 rows for 1 axis/.test((e as Error).message));
  assert.throws(() => np.pad(np.array(5), [1, 2, 3]), ValueError);
  assert.throws(() => np.pad(np.array(5), [[1, 2], [3, 4]]), ValueError);
  // numpy: ValueError "unsupported keyword arguments for mode 'edge': {'constant_values'}" (it was ignored)
  for (const mode of ['edge', 'reflect'] as const) {
    for (const constantValues of [5, 0]) {
      assert.throws(() => np.pad(m, 1, { mode, constantValues }), (e: unknown) => e instanceof ValueError &&
        (e as Error).message === `np.pad: constantValues is for mode 'constant' only, got it (${constantValues}) with mode '${mode}' (numpy raises too)`);
    }
  }
  eq(np.pad(np.array([1, 2]), 1, { mode: 'constant', constantValues: 5 }), [5, 1, 2, 5], 'constant with constantValues');
  eq(np.pad(np.array([1, 2]), 1, { mode: 'edge', constantValues: undefined }), [1, 1, 2, 2], 'an undefined constantValues is no value');
  const a = np.array([[0.5, -1.2, 2.0], [0.3, 1.1, -0.4]], { dtype: 'float64' });
  checkGrads((v: NDArray) => np.pad(v, [[1], [2]], { mode: 'edge' }), [a], { order: 2 });
  checkGrads((v: NDArray) => np.pad(v, [1, 2], { constantValues: 3 }), [a], { order: 2 });
});

test('np.roll broadcasts shifts against axes and adds the shifts on one axis (numpy)', () => {
  const r = np.reshape(np.arange(12), [3, 4]), r2 = np.reshape(np.arange(12), [4, 3]);
  // numpy 2.4's np.roll(...) of np.arange(12).reshape(3, 4) (r) and .reshape(4, 3) (r2)
  eq(np.roll(r2, [1, 2], { axis: [0, 0] }), [[3, 4, 5], [6, 7, 8], [9, 10, 11], [0, 1, 2]], '[1, 2] on axes [0, 0]');
  eq(np.roll(r2, [1, 2], [0, 0]), [[3, 4, 5], [6, 7, 8], [9, 10, 11], [0, 1, 2]], 'axes positionally');
  eq(np.roll(r2, [1, 2], { axis: 0 }), [[3, 4, 5], [6, 7, 8], [9, 10, 11], [0, 1, 2]], '[1, 2] on axis 0');
  eq(np.roll(r2, [1, -2, 1], { axis: [0, 1, 1] }), [[10, 11, 9], [1, 2, 0], [4, 5, 3], [7, 8, 6]], '[1, -2, 1] on [0, 1, 1]');
  eq(np.roll(r, [1, 2], { axis: [0, 0] }), [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]], '3 on 3 rows');
  eq(np.roll(r, 1, { axis: [0, 0] }), [[4, 5, 6, 7], [8, 9, 10, 11], [0, 1, 2, 3]], '1 on [0, 0]');
  eq(np.roll(r, 1, [1, 1, 0]), [[10, 11, 8, 9], [2, 3, 0, 1], [6, 7, 4, 5]], '1 on [1, 1, 0]');
  eq(np.roll(r, [1], { axis: [0, 1] }), [[11, 8, 9, 10], [3, 0, 1, 2], [7, 4, 5, 6]], '[1] on [0, 1]');
  eq(np.roll(r, [2, -1, 3], { axis: [1, 0, -1] }), [[7, 4, 5, 6], [11, 8, 9, 10], [3, 0, 1, 2]], '[2, -1, 3] on [1, 0, -1]');
  eq(np.roll(r, [], { axis: 0 }), r.tolist(), 'no shifts');
  eq(np.roll(r, 1, { axis: [] }), r.tolist(), 'no axes');
  // numpy: "shape mismatch: objects cannot be broadcast to a single shape"
  assert.throws(() => np.roll(r, [1, 2, 3], { axis: [0, 1] }), (e: unknown) => e instanceof ValueError &&
    /^np\.roll: 3 shifts \[1, 2, 3\] and 2 axes \[0, 1\] do not broadcast/.test((e as Error).message));
  assert.throws(() => np.roll(r, [1, 2], { axis: [0, 2] }), AxisError);
  const a = np.array([[0.5, -1.2, 2.0], [0.3, 1.1, -0.4]], { dtype: 'float64' });
  checkGrads((v: NDArray) => np.multiply(np.roll(v, [1, 1, -2], { axis: [1, 0, 1] }), v), [a], { order: 2 });
  assert.deepEqual(jit((v: NDArray) => np.roll(v, [1, 2], { axis: [0, 0] }))(r2).tolist(), np.roll(r2, 3, 0).tolist());
});

test('np.split takes unordered and out-of-range cuts as numpy does: piece i is x[c_i:c_(i+1)], empty where the cuts go down', () => {
  const v = np.arange(6);
  const parts = (cuts: number[], arr: NDArray = v, axis = 0) => np.split(arr, cuts, { axis }).map((p) => p.tolist());
  // numpy: np.split(np.arange(6), cuts)
  assert.deepEqual(parts([3, 1]), [[0, 1, 2], [], [1, 2, 3, 4, 5]]);
  assert.deepEqual(parts([2, 10, 1]), [[0, 1], [2, 3, 4, 5], [], [1, 2, 3, 4, 5]]);
  assert.deepEqual(parts([-1, 4]), [[0, 1, 2, 3, 4], [], [4, 5]]);
  assert.deepEqual(parts([5, -5, 2]), [[0, 1, 2, 3, 4], [], [1], [2, 3, 4, 5]]);
  assert.deepEqual(parts([-10, 3]), [[], [0, 1, 2], [3, 4, 5]]);
  assert.deepEqual(parts([10, 20]), [[0, 1, 2, 3, 4, 5], [], []]);
  // numpy: np.split(np.arange(8).reshape(2, 4), [3, 1], axis=1), shapes (2, 3), (2, 0), (2, 3)
  const m = np.reshape(np.arange(8), [2, 4]);
  assert.deepEqual(parts([3, 1], m, 1), [[[0, 1, 2], [4, 5, 6]], [[], []], [[1, 2, 3], [5, 6, 7]]]);
  assert.deepEqual(np.split(m, [3, 1], { axis: 1 }).map((p) => p.shape), [[2, 3], [2, 0], [2, 3]]);
  assert.deepEqual(jit((u: NDArray) => np.split(u, [3, 1], { axis: 1 }))(m).map((p: NDArray) => p.tolist()), parts([3, 1], m, 1));
  // the overlapping pieces' gradients add up where they overlap
  const a = np.array([[0.5, -1.2, 2.0, 0.7], [0.3, 1.1, -0.4, -2.5]], { dtype: 'float64' });
  checkGrads((u: NDArray) => np.concatenate(np.split(u, [3, 1], { axis: 1 }), { axis: 1 }), [a], { order: 2 });
  const g = grad((u: NDArray) => { const [p, , q] = np.split(u, [3, 1], { axis: 1 }); return np.add(np.sum(p), np.multiply(2, np.sum(q))); })(a);
  assert.deepEqual(g.tolist(), [[1, 3, 3, 2], [1, 3, 3, 2]]);
});

test('updates into an axis of size 0 are all dropped: their gradient is 0, eagerly, under jit and under vmap of an empty batch', () => {
  // (the transpose gathered a slice of size 1 from the axis of size 0: "transpose: incompatible shapes")
  const x0 = np.zeros([0, 3], 'float64'), i = np.array([0], { dtype: 'int32' }), v = np.array(1.5, 'float64');
  for (const m of ['add', 'max', 'min', 'set', 'mul'] as const) {
    const f = (u: any) => np.sum((x0.at(i) as any)[m](u));
    assert.equal(grad(f)(v).item(), 0, m);
    assert.equal(jit(grad(f))(v).item(), 0, `jit ${m}`);
  }
  const dims = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] };
  const f = (x: any, idx: any, u: any) => np.sum(lax.scatterAdd(x, idx, u, dims));
  for (const B of [0, 2]) {
    const xb = np.ones([B, 4]), ib = np.zeros([B, 1, 1], 'int32'), ub = np.ones([B, 1]);
    const g = grad((u: any) => np.sum(vmap(f)(xb, ib, u)))(ub);
    assert.deepEqual(g.shape, [B, 1]);
    assert.deepEqual(g.tolist(), B === 0 ? [] : [[1], [1]]); // each update lands once, summed once
  }
});

test('public lax.gather and lax.scatterAdd default to JAX\'s FILL_OR_DROP: whole windows past either end read the fill or are dropped', () => {
  const I = (v: number[][]) => np.array(v, { dtype: 'int32' });
  const gd = { offsetDims: [1], collapsedSliceDims: [], startIndexMap: [0] };
  const idx = I([[-1], [4], [7], [1]]); // windows of 2 in 5: only the last one fits (4 + 2 > 5)
  const x = np.array([0, 1, 2, 3, 4]);
  assert.deepEqual(lax.gather(x, idx, gd, [2]).tolist(), [[NaN, NaN], [NaN, NaN], [NaN, NaN], [1, 2]]);
  assert.deepEqual(lax.gather(x, idx, gd, [2], { mode: 'clip' }).tolist(), [[0, 1], [3, 4], [3, 4], [1, 2]]);
  assert.deepEqual(lax.gather(x, idx, gd, [2], { fillValue: 9 }).tolist(), [[9, 9], [9, 9], [9, 9], [1, 2]]);
  assert.deepEqual(jit((a: any, i: any) => lax.gather(a, i, gd, [2], { fillValue: -1 }))(x, idx).tolist(), [[-1, -1], [-1, -1], [-1, -1], [1, 2]]);
  // JAX's fills by dtype: INT_MIN, the largest uint32, true, NaN + 0j
  assert.deepEqual(lax.gather(np.astype(x, 'int32'), idx, gd, [2]).tolist()[0], [-(2 ** 31), -(2 ** 31)]);
  assert.deepEqual(lax.gather(np.astype(x, 'uint32'), idx, gd, [2]).tolist()[1], [2 ** 32 - 1, 2 ** 32 - 1]);
  assert.deepEqual(lax.gather(np.zeros([5], 'bool'), idx, gd, [2]).tolist(), [[true, true], [true, true], [true, true], [false, false]]);
  const z = lax.gather(np.astype(x, 'complex64'), idx, gd, [2]).tolist() as { re: number; im: number }[][];
  assert.ok(Number.isNaN(z[2][1].re) && Object.is(z[2][1].im, 0));
  assert.throws(() => lax.gather(x, idx, gd, [2], { mode: 'clip', fillValue: 9 }), ValueError);
  const sd = { updateWindowDims: [1], insertedWindowDims: [], scatterDimsToOperandDims: [0] };
  const u = np.array([[1, 2], [10, 20], [100, 200], [1000, 2000]]);
  assert.deepEqual(lax.scatterAdd(np.zeros([5]), idx, u, sd).tolist(), [0, 1000, 2000, 0, 0]);
  assert.deepEqual(lax.scatterAdd(np.zeros([5]), idx, u, sd, { mode: 'clip' }).tolist(), [1, 1002, 2000, 110, 220]);
  // the dropped windows get no gradient, the kept one its cotangent
  assert.deepEqual(grad((v: any) => np.sum(np.multiply(lax.scatterAdd(np.zeros([5]), idx, v, sd), np.array([1, 2, 3, 4, 5]))))(u).tolist(), [[0, 0], [0, 0], [0, 0], [2, 3]]);
});

test('reading index Arrays from an empty axis is an IndexError naming it (as np.take, as JAX); updates there are dropped', () => {
  const z = np.zeros([0]), i = np.array([0, 1], { dtype: 'int32' });
  assert.throws(() => z.get(i), (e: any) => e instanceof IndexError && /empty axis 0 of float32\[0\]/.test(e.message));
  assert.throws(() => np.zeros([2, 0]).get(':', i), (e: any) => e instanceof IndexError && /empty axis 1/.test(e.message));
  assert.throws(() => grad((v: any) => np.sum(v.get(i)))(z), IndexError);
  assert.deepEqual(z.get(np.array([], { dtype: 'int32' })).shape, [0]);
  assert.deepEqual(z.at(i).set(1).shape, [0]);
});

test('takeAlongAxis from an empty axis in clip or wrap mode is an IndexError naming it (as np.take); fill mode fills', () => {
  const e = np.zeros([0]), i = np.array([0], { dtype: 'int32' });
  for (const mode of ['clip', 'wrap'] as const) {
    assert.throws(() => np.takeAlongAxis(e, i, 0, { mode }), (err) => err instanceof IndexError && /empty axis 0 of float32\[0\]/.test(err.message));
  }
  assert.ok(Number.isNaN(np.takeAlongAxis(e, i, 0, { mode: 'fill' }).tolist()[0] as number));
  assert.deepEqual(np.takeAlongAxis(e, np.zeros([0], 'int32'), 0, { mode: 'clip' }).shape, [0]);
});

test('checkGrads takes NaN against NaN as agreement (JAX check_grads: assert_allclose equal_nan); a wrong derivative still fails', () => {
  // take out of bounds fills NaN: the function and its forward derivatives are NaN there. (The
  // reverse check compares inner products, <v, vjp(u)> with <u, jvp(v)>: a NaN in one sum and
  // not the other fails there, in JAX's check_vjp as here.)
  const f = (x: any) => np.sin(np.square(np.take(x, np.array([0, 5], { dtype: 'int32' }))));
  checkGrads(f, [np.array([0.3, 0.7], 'float64')], { order: 2, modes: ['fwd'] });
  // (still a check: NaN beside a number, and a wrong derivative, fail)
  const wrong = (x: any) => np.add(np.multiply(x, 2), lax.stopGradient(np.square(x)));
  assert.throws(() => checkGrads(wrong, [np.array([0.3, 0.7], 'float64')], { order: 1 }), CotangentError);
});

test('x.at(traced).set: the last update at a position wins, by a sort (20,000 updates under jit; n x n ran out of memory)', () => {
  // numpy: xs = zeros(4); xs[[1, 3, 1, -1, 2]] = [10, 20, 30, 40, 60] -> [0, 30, 60, 40] (7 dropped here, out of range)
  const xs = np.array([0, 0, 0, 0]), is = np.array([1, 3, 1, -1, 7, 2], { dtype: 'int32' }), us = np.array([10, 20, 30, 40, 50, 60]);
  const set = (x: any, i: any, u: any) => x.at(i).set(u);
  assert.deepEqual(jit(set)(xs, is, us).tolist(), [0, 30, 60, 40]);
  assert.deepEqual(vmap((i: any) => xs.at(i).set(us))(np.stack([is, np.zeros([6], 'int32')])).tolist(), [[0, 30, 60, 40], [60, 0, 0, 0]]);
  // only the surviving updates get gradient: u2 -> position 1 (weight 2), u3 -> 3 (4), u5 -> 2 (3)
  const w = np.array([1, 2, 3, 4]);
  assert.deepEqual(jit(grad((u: any) => np.sum(np.multiply(xs.at(is).set(u), w))))(us).tolist(), [0, 0, 2, 4, 0, 3]);
  // many updates, many repeats: each position gets its last update (checked in JS)
  const n = 20_000, m = 1000;
  const pos = Int32Array.from({ length: n }, (_, i) => (i * 7919) % m), vals = Float32Array.from({ length: n }, (_, i) => i);
  const want = new Float32Array(m);
  pos.forEach((p, i) => { want[p] = vals[i]; });
  const got = jit(set)(np.zeros([m]), np.array(pos), np.array(vals)).dataSync();
  assert.deepEqual(Array.from(got), Array.from(want));
});

test('x.at(traced).max/min: by sorts as set, bit for bit the eager rounds (NaN, -0, ints), and 20,000 updates under jit', () => {
  let seed = 1;
  const rnd = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((q, m) => Object.is(q, b[m]));
  for (let t = 0; t < 120; t++) {
    const dt = (['float32', 'float64', 'int32', 'uint32'] as const)[t % 4];
    const size = 1 + Math.floor(rnd() * 6), n = 1 + Math.floor(rnd() * 10);
    const draw = (floats: number[]) => dt === 'uint32' ? Math.floor(rnd() * 10) : dt === 'int32' ? Math.floor(rnd() * 20 - 10) : floats[Math.floor(rnd() * floats.length)];
    const x = np.array(Array.from({ length: size }, () => draw([NaN, 0, -0, 1, -1, 2.5, Infinity])), { dtype: dt });
    const u = np.array(Array.from({ length: n }, () => draw([NaN, 0, -0, 1, -1, 2.5, -Infinity, 3])), { dtype: dt });
    const i = np.array(Array.from({ length: n }, () => Math.floor(rnd() * (size + 3)) - 2), { dtype: 'int32' });
    for (const k of ['set', 'max', 'min'] as const) {
      const eager = (x.at(i) as any)[k](u).tolist() as number[]; // (concrete positions: the rounds in JS)
      const traced = jit((a: any, b: any, c: any) => (a.at(b) as any)[k](c))(x, i, u).tolist() as number[];
      assert.ok(same(eager, traced), `${dt} ${k}: ${JSON.stringify([x.tolist(), i.tolist(), u.tolist()])}: ${eager} vs ${traced}`);
    }
  }
  const n = 20_000, m = 1000;
  const pos = Int32Array.from({ length: n }, (_, i) => (i * 7919) % m), vals = Float32Array.from({ length: n }, (_, i) => Math.fround(Math.sin(i)));
  const hi = new Float32Array(m).fill(-Infinity), lo = new Float32Array(m).fill(Infinity);
  pos.forEach((p, i) => { hi[p] = Math.max(hi[p], vals[i]); lo[p] = Math.min(lo[p], vals[i]); });
  const x = np.zeros([m]);
  assert.deepEqual(Array.from(jit((a: any, b: any, c: any) => a.at(b).max(c))(x, np.array(pos), np.array(vals)).dataSync()), Array.from(hi, (v) => Math.max(v, 0)));
  assert.deepEqual(Array.from(jit((a: any, b: any, c: any) => a.at(b).min(c))(x, np.array(pos), np.array(vals)).dataSync()), Array.from(lo, (v) => Math.min(v, 0)));
});

test('an update of -0 stays -0 (numpy: x[0] = -0.0 has its sign bit), eagerly, under jit, and as a max/min tie', () => {
  const x = np.array([1, 2], 'float32'), i = np.array([0], { dtype: 'int32' }), u = np.array([-0], 'float32');
  assert.ok(Object.is(x.at(0).set(-0).tolist()[0], -0));
  assert.ok(Object.is(x.at(i).set(u).tolist()[0], -0));
  assert.ok(Object.is(jit((a: any, b: any, c: any) => a.at(b).set(c))(x, i, u).tolist()[0], -0));
  const c = np.array([{ re: 1, im: 1 }, { re: 2, im: 2 }], 'complex64');
  const parts = (a: any) => Array.from(a.dataSync() as Float32Array);
  assert.ok(Object.is(parts(c.at(0).set({ re: -1.5, im: -0 }))[1], -0), 'a complex -0 imaginary part');
  assert.ok(parts(jit((a: any, b: any, v: any) => a.at(b).set(v))(c, i, np.array([{ re: -0, im: -0 }], 'complex64'))).slice(0, 2).every((v) => Object.is(v, -0)));
  // maximum takes +0 over -0, minimum -0 over +0 (np.maximum/np.minimum here), whatever the order
  const z = np.array([-0], 'float32'), ii = np.array([0, 0], { dtype: 'int32' });
  for (const [k, us, want] of [['max', [-0, -0], -0], ['max', [-0, 0], 0], ['max', [0, -0], 0], ['min', [0, -0], -0], ['min', [-0, 0], -0]] as const) {
    const uu = np.array([...us], 'float32');
    const e = (z.at(ii) as any)[k](uu).tolist()[0], j = jit((a: any, b: any, c: any) => (a.at(b) as any)[k](c))(z, ii, uu).tolist()[0];
    assert.ok(Object.is(e, want) && Object.is(j, want), `${k} ${us}: ${e} ${j}`);
  }
});

test('.at() updates with many repeated positions: one pass over the sorted updates, not a round per repeat', () => {
  // 4,000 updates of one position into 1e5 elements ran out of wasm memory (a round per repeat, each x-sized)
  const n = 100000, reps = 4000, at0 = I(new Array(reps).fill(0)), u = np.arange(reps, { dtype: 'float64' });
  const z = np.zeros([n], { dtype: 'float64' });
  eq(z.at(at0).set(u).get('0:2'), [reps - 1, 0], 'set: the last update wins (numpy)');
  eq(z.at(at0).max(u).get('0:2'), [reps - 1, 0], 'max');
  eq(z.at(at0).min(np.negative(u)).get('0:2'), [-(reps - 1), 0], 'min');
  const m = np.ones([n], { dtype: 'float64' }).at(at0).mul(np.full([reps], 1.0001, 'float64')).get('0:2').tolist() as number[];
  assert.ok(Math.abs(m[0] / Math.pow(1.0001, reps) - 1) < 1e-12 && m[1] === 1, `mul: ${m}`);
  // 1,000 distinct positions under jit (mul: a round per update, n of them on x's size, ran out of memory)
  const jm = jit((a: NDArray, i: NDArray, v: NDArray) => a.at(i).mul(v))(np.ones([n]), np.arange(1000, { dtype: 'int32' }), np.full([1000], 2));
  assert.equal(np.sum(jm).item(), n + 1000);
});

test('.at().mul with repeats multiplies every update in (numpy\'s multiply.at), eagerly, under jit and vmap, with its gradient', () => {
  const xs = np.array([1, 2, 3, 4], { dtype: 'float64' }), idx = I([0, 2, 0, 0, 2, -1, 7]);
  const us = np.array([2, 3, 5, 7, 11, 13, 17], { dtype: 'float64' });
  const f = (a: NDArray, c: NDArray) => a.at(idx).mul(c);
  // numpy: x = [1, 2, 3, 4]; np.multiply.at(x, [0, 2, 0, 0, 2, -1], [2, 3, 5, 7, 11, 13]) (7 is dropped, JAX's rule)
  eq(f(xs, us), [70, 2, 99, 52], 'eager');
  eq(jit(f)(xs, us), [70, 2, 99, 52], 'jit');
  eq(vmap(f, { inAxes: [0, null] })(np.stack([xs, np.multiply(xs, 2)]), us), [[70, 2, 99, 52], [140, 4, 198, 104]], 'vmap');
  // d/du_k of the sum: the product of the other factors at u_k's position (0 for the dropped one)
  const want = [35, 33, 14, 10, 9, 4, 0];
  eq(grad((c: NDArray) => np.sum(f(xs, c)))(us), want, 'grad');
  eq(jit(grad((c: NDArray) => np.sum(f(xs, c))))(us), want, 'jit(grad)');
  checkGrads((a: NDArray, c: NDArray) => f(a, c), [xs, np.array([2, -3, 0.5, 7, 1.1, 1.3, 1.7], { dtype: 'float64' })], { order: 2 });
});

test('.at().max/min: an infinite winner gets the derivative (JAX counts inf == inf as a tie)', () => {
  const f64 = (v: number[]) => np.array(v, { dtype: 'float64' });
  const i0 = I([0]), i00 = I([0, 0]);
  eq(grad((a: NDArray) => np.sum(a.at(i0).max(f64([5]))))(f64([Infinity, 2])), [1, 1], 'x wins with inf');
  eq(grad((u: NDArray) => np.sum(f64([1, 2]).at(i0).max(u)))(f64([Infinity])), [1], 'the update wins with inf');
  eq(grad((u: NDArray) => np.sum(f64([Infinity, 2]).at(i00).max(u)))(f64([Infinity, Infinity])), [1 / 3, 1 / 3], 'three tied infinities');
  eq(grad((a: NDArray) => np.sum(a.at(i00).min(f64([-Infinity, 3]))))(f64([-Infinity, 2])), [0.5, 1], 'min at -inf');
  eq(jit(grad((a: NDArray) => np.sum(a.at(i0).max(f64([5])))))(f64([Infinity, 2])), [1, 1], 'jit');
  eq(grad((u: NDArray) => np.sum(f64([1, 2]).at(i0).max(u)))(f64([NaN])), [0], 'NaN ties nothing');
  eq(f64([Infinity, 2]).at(i00).max(f64([Infinity, 1])), [Infinity, 2], 'values unchanged');
});

test('np.roll with an Array shift reduces it mod n first (int32 past 2^31 and uint32 shifts kept numpy\'s residue)', () => {
  const y = np.arange(1000, { dtype: 'float64' });
  eq(np.roll(y, np.array(-2147483001, { dtype: 'int32' })).get('645:650'), [646, 647, 648, 649, 650], 'int32 near -2^31');
  const x7 = np.arange(10, 17, { dtype: 'float64' });
  // numpy: np.roll(np.arange(10, 17.), s) for s = -2**31, 2 * (2**31 - 1), 3e9
  eq(np.roll(x7, np.array(-2147483648, { dtype: 'int32' })), [12, 13, 14, 15, 16, 10, 11], 'INT_MIN');
  eq(np.roll(x7, np.array([2147483647, 2147483647], { dtype: 'int32' }), null), [15, 16, 10, 11, 12, 13, 14], 'summed shifts');
  eq(np.roll(x7, np.array(3000000000, { dtype: 'uint32' })), [13, 14, 15, 16, 10, 11, 12], 'uint32');
  eq(jit((a: NDArray, s: NDArray) => np.roll(a, s))(x7, np.array(-2147483648, { dtype: 'int32' })), [12, 13, 14, 15, 16, 10, 11], 'jit');
});

test('slices as start + k step (no per-element JS list): every start/stop/step on short axes against Python\'s slice rules, eager and jitted, with gradients', () => {
  // Python's slice.indices, written out: the reference for a[start:stop:step]
  const pySlice = (n: number, start: number | null, stop: number | null, step: number): number[] => {
    const norm = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
    const b = start === null ? (step > 0 ? 0 : n - 1) : step > 0 ? norm(start, 0, n) : norm(start, -1, n - 1);
    const e = stop === null ? (step > 0 ? n : -1) : step > 0 ? norm(stop, 0, n) : norm(stop, -1, n - 1);
    const out: number[] = [];
    for (let i = b; step > 0 ? i < e : i > e; i += step) out.push(i);
    return out;
  };
  const bounds = [null, 0, 1, 3, -1, -4, 9, -9];
  for (const n of [0, 1, 5, 7]) {
    const a = np.arange(n, { dtype: 'float64' });
    for (const start of bounds) for (const stop of bounds) for (const step of [1, 2, 3, -1, -2, -5]) {
      const s = `${start ?? ''}:${stop ?? ''}:${step}`, want = pySlice(n, start, stop, step);
      eq(a.get(s), want, `n=${n} [${s}]`);
      if (n === 7 && (step === 2 || step === -2)) eq(jit((v: NDArray) => v.get(s))(a), want, `jit n=${n} [${s}]`);
    }
  }
  // the gradient scatters back to the positions read: a[::-2] of 7 reads 6, 4, 2, 0
  eq(grad((v: NDArray) => np.sum(np.multiply(v.get('::-2'), np.arange(4, { dtype: 'float64' }))))(np.ones([7], { dtype: 'float64' })), [3, 0, 2, 0, 1, 0, 0], 'grad');
  eq(np.diff(np.array([1, 4, 9, 16], { dtype: 'float64' })), [3, 5, 7], 'diff');
});

test('contiguous slices on several axes are one window gather (axis by axis made an intermediate each)', () => {
  const x = np.reshape(np.arange(60, { dtype: 'float64' }), [3, 4, 5]);
  const program = makeJaxpr((a: any) => a.get('1:3', ':', '1:4'))(x);
  assert.equal((program.match(/= gather/g) ?? []).length, 1, program);
  const want = [1, 2].map((i) => [0, 1, 2, 3].map((j) => [1, 2, 3].map((k) => 20 * i + 5 * j + k)));
  assert.deepEqual(x.get('1:3', ':', '1:4').tolist(), want);
  assert.deepEqual(lax.slice(x, [1, 0, 1], [3, 4, 4]).tolist(), want);
  // with a stepped slice and an integer among them
  assert.deepEqual(x.get(2, '1:3', '::2').tolist(), [[45, 47, 49], [50, 52, 54]]);
  checkGrads((a: any) => a.get('1:3', '2:4', '1:4'), [x], { order: 2 });
});

test('takeAlongAxis gathers from x flattened: every mode against a JS reference, negatives, out of range, broadcast indices, the gradient', () => {
  // JAX's take_along_axis: index vectors per element before (~100 ns an element); now the index along the axis, resolved by the mode, times its stride plus the other axes' offsets
  const x = np.reshape(np.arange(24, { dtype: 'float64' }), [2, 3, 4]);
  const idx = np.array([[[0], [-1], [3], [-5]]], { dtype: 'int32' }); // [1, 4, 1] against axis 1 of length 3
  const ref = (resolve: (i: number) => number | null) => [0, 1].map((a) => [0, 1, 2, 3].map((b) => [0, 1, 2, 3].map((c) => {
    const i = resolve([0, -1, 3, -5][b]);
    return i === null ? NaN : 12 * a + 4 * i + c;
  })));
  const same = (got: unknown, want: number[][][]) => assert.deepEqual(JSON.stringify(got), JSON.stringify(want));
  same(np.takeAlongAxis(x, idx, 1).tolist(), ref((i) => (i < -3 || i >= 3 ? null : (i + 3) % 3))); // fill: NaN out of range
  same(np.takeAlongAxis(x, idx, 1, { mode: 'clip' }).tolist(), ref((i) => Math.min(Math.max(i < 0 && i >= -3 ? i + 3 : i, 0), 2)));
  same(np.takeAlongAxis(x, idx, 1, { mode: 'wrap' }).tolist(), ref((i) => ((i % 3) + 3) % 3));
  // the gradient scatters back, to second order (fill's NaN entries: its in-range ones, the out-of-range ones dropped)
  checkGrads((v: any) => np.takeAlongAxis(v, idx, 1, { mode: 'clip' }), [x], { order: 2 });
  checkGrads((v: any) => np.takeAlongAxis(v, idx, 1, { mode: 'wrap' }), [x], { order: 2 });
  const g = grad((v: any) => np.sum(np.nanToNum(np.takeAlongAxis(v, idx, 1))))(x).tolist() as number[][][];
  same(g, [0, 1].map(() => [0, 1, 2].map((i) => [0, 1, 2, 3].map(() => (i === 0 || i === 2 ? 1 : 0)))));
  // one gather row, whatever the rank
  assert.equal((makeJaxpr((v: any) => np.takeAlongAxis(v, idx, 1, { mode: 'clip' }))(x).match(/= gather/g) ?? []).length, 1);
});

test('x.at(box).set/add of integers and contiguous slices is one dynamic_update_slice: values (-0 kept), promotion, gradients', () => {
  const x = np.reshape(np.arange(24, { dtype: 'float64' }), [2, 3, 4]);
  const program = makeJaxpr((a: any) => a.at(1, '1:3', '-3:').set(-0))(x);
  assert.doesNotMatch(program, /iota/, program); // (no positions computed per element)
  const got = x.at(1, '1:3', '-3:').set(-0).tolist() as number[][][];
  // numpy: x[1, 1:3, -3:] = -0.0
  for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) {
    const inBox = j >= 1 && k >= 1;
    assert.ok(Object.is(got[1][j][k], inBox ? -0 : 12 + 4 * j + k), `[1][${j}][${k}] = ${got[1][j][k]}`);
    assert.equal(got[0][j][k], 4 * j + k);
  }
  const added = x.at(':', 0, '2:').add(np.array([10, 20], { dtype: 'float64' })).tolist() as number[][][];
  assert.deepEqual(added[1][0], [12, 13, 24, 35]);
  assert.deepEqual(np.array([1, 2, 3], { dtype: 'int32' }).at('0:2').set(2.7).tolist(), [2, 2, 3]); // JAX: the update cast to x's dtype
  checkGrads((a: any, v: any) => a.at(1, '1:3', '-3:').set(v), [x, np.ones([2, 3], { dtype: 'float64' })], { order: 2 });
  checkGrads((a: any, v: any) => a.at(':', 0, '2:').add(v), [x, np.ones([2], { dtype: 'float64' })], { order: 2 });
  assert.throws(() => x.at(0, '0:2').set(np.ones([3])), (e: any) => e instanceof ShapeError && /does not broadcast to the indexed shape \[2,4\]/.test(e.message));
});

test('x.at(i).apply(f): f at the indexed positions, once per time a position is indexed (XLA scatter-apply), differentiable', () => {
  const f64 = (v: number[]) => np.array(v, { dtype: 'float64' }), i32 = (v: number[]) => np.array(v, { dtype: 'int32' });
  const close = (got: NDArray, want: number[]) => (got.tolist() as number[]).forEach((g, k) => assert.ok(Math.abs(g - want[k]) < 1e-15, `${got} vs ${want}`));
  const x = f64([0.5, 1, 2, 3]);
  close(x.at(1).apply(np.sin), [0.5, Math.sin(1), 2, 3]);
  close(x.at('1:').apply((v: NDArray) => np.multiply(v, 2)), [0.5, 2, 4, 6]);
  // a repeated index applies f again; an out-of-range one is dropped (as JAX's scatter modes)
  close(x.at(i32([0, 0, 2])).apply(np.sin), [Math.sin(Math.sin(0.5)), 1, Math.sin(2), 3]);
  const viaJit = jit((x: NDArray, i: NDArray) => x.at(i).apply(np.sin)); // traced indices: the rounds are a loop
  close(viaJit(x, i32([3, 3, 3, 9])), [0.5, 1, 2, Math.sin(Math.sin(Math.sin(3)))]);
  close(viaJit(x, i32([1])), [0.5, Math.sin(1), 2, 3]);
  // derivatives (closed forms): d sqrt(sqrt(x)) = x^(-3/4) / 4; positions not indexed pass 1; f sees
  // only the indexed values, so sqrt at 0 or below elsewhere is no NaN
  close(grad((x: NDArray) => np.sum(x.at(i32([0, 0, 1])).apply(np.sqrt)))(f64([4, 9, 0])), [4 ** -0.75 / 4, 1 / 6, 1]);
  close(grad((x: NDArray) => np.sum(x.at(2).apply(np.sqrt)))(f64([0, -1, 4])), [1, 1, 0.25]);
  checkGrads((x: NDArray) => x.at(i32([1, 1, 2])).apply(np.tanh), [f64([0.3, -0.7, 1.2])], { order: 2 });
  assert.deepEqual(vmap((r: NDArray) => r.at(0).apply((v: NDArray) => np.multiply(v, 3)))(np.ones([2, 2])).tolist(), [[3, 1], [3, 1]]);
  // f must keep the dtype and shape; f must be a function
  assert.throws(() => np.arange(3).at(0).apply(np.sin), (e: unknown) => e instanceof DTypeError && /x\.at\(\)\.apply.*int32.*float32/.test((e as Error).message));
  assert.throws(() => x.at(0).apply(3 as never), (e: unknown) => e instanceof ValueError && /takes a function/.test((e as Error).message));
  close(x.at(0).apply(np.exp), [Math.exp(0.5), 1, 2, 3]); // the next call works
  // jit(grad) with a concrete index Array the function closes over: its rounds are known while jit
  // traces (it was a while loop, and reverse mode refused it naming lax.whileLoop; helper-201).
  // d/dx of sin at 0 and 2, sin(sin) at 1: cos(x0), cos(sin x1) cos(x1), cos(x2)
  const idx = i32([0, 1, 2, 1]), xs = f64([0.1, 0.2, 0.3]);
  const h = (v: NDArray) => np.sum(v.at(idx).apply(np.sin));
  const want = [Math.cos(0.1), Math.cos(Math.sin(0.2)) * Math.cos(0.2), Math.cos(0.3)];
  close(jit(grad(h))(xs), want);
  close(grad(h)(xs), want);
  // traced index Arrays still loop under jit: reverse mode's refusal names where the loop came from
  assert.throws(() => jit(grad((v: NDArray, i: NDArray) => np.sum(v.at(i).apply(np.sin))))(xs, i32([0, 1])), /x\.at\(idx\)\.apply\(f\) with an index Array traced by jit/);
});

test('index lists as integer typed arrays and uint32 Arrays work in x.get and x.at (numpy and JAX take any integer dtype); slice strings take decimal integers only', () => {
  const x = np.arange(6, { dtype: 'float64' });
  // an Int32Array / Uint8Array is a list of positions (np.take took one; x.get said 'unsupported index')
  assert.deepEqual(x.get(new Int32Array([1, 0, -1])).tolist(), [1, 0, 5]);
  assert.deepEqual(x.get(new Uint8Array([5, 2])).tolist(), [5, 2]);
  assert.deepEqual(x.at(new Int32Array([1])).set(9).tolist(), [0, 9, 2, 3, 4, 5]);
  assert.throws(() => x.get(new Float32Array([1])), DTypeError);
  // uint32 index Arrays (a DTypeError before): past int32 they are out of range, clamped on reads and dropped on updates
  const u = (v: number[]) => np.array(v, { dtype: 'uint32' });
  assert.deepEqual(x.get(u([1, 0, 4000000000])).tolist(), [1, 0, 5]);
  assert.deepEqual(x.at(u([1, 4000000000])).set(9).tolist(), [0, 9, 2, 3, 4, 5]);
  assert.deepEqual(np.takeAlongAxis(x, u([5, 0]), 0).tolist(), [5, 0]);
  assert.deepEqual(jit((x: NDArray, i: NDArray) => x.get(i))(x, u([2, 3])).tolist(), [2, 3]);
  // Number('0x1') and Number('1e0') are 1: Python's slices refuse them
  for (const s of ['0x1:', '1e0:', ':0b1', '1.0:']) {
    assert.throws(() => x.get(s), (e: unknown) => e instanceof IndexError && /^x\.get: slice '.*' has a non-integer bound/.test((e as Error).message), s);
  }
  assert.deepEqual(x.get(' +1 :-1').tolist(), [1, 2, 3, 4]);
});

test('np.put / np.putAlongAxis (jnp.put, jnp.put_along_axis: a new Array, { inplace: false } required) and lax.*InDim; lax.scatter names x.at', () => {
  const a = np.arange(5), i32 = (v: number[] | number[][]) => np.array(v, { dtype: 'int32' });
  const off = { inplace: false } as const;
  // numpy: np.put(a, [0, 2], [-44, -55]) -> [-44, 1, -55, 3, 4]; np.put(a, 22, -5, mode='clip') -> [0, 1, 2, 3, -5]
  assert.deepEqual(np.put(a, [0, 2], [-44, -55], off).tolist(), [-44, 1, -55, 3, 4]);
  assert.deepEqual(np.put(a, 22, -5, { mode: 'clip', inplace: false }).tolist(), [0, 1, 2, 3, -5]);
  assert.deepEqual(np.put(a, -1, -5, { mode: 'clip', inplace: false }).tolist(), [-5, 1, 2, 3, 4]);
  assert.deepEqual(np.put(a, [-1, 7], [8, 9], { mode: 'wrap', inplace: false }).tolist(), [0, 1, 9, 3, 8]);
  assert.deepEqual(np.put(a, [-1, 22], [8, 9], off).tolist(), [0, 1, 2, 3, 9]); // JAX's None: clipped into [-n, n), the last write wins
  // v repeated to the indices' length, over the flattened array (numpy: [[1, 2, 1], [2, 1, 0]])
  assert.deepEqual(np.put(np.zeros([2, 3]), [0, 1, 2, 3, 4], [1, 2], off).tolist(), [[1, 2, 1], [2, 1, 0]]);
  assert.deepEqual(jit((x: NDArray, i: NDArray) => np.put(x, i, 7, off))(a, i32([1, -1])).tolist(), [0, 7, 2, 3, 7]);
  // d/dx sum(put(x, [1, 1], 3 x[0:2]) * [0, 1, 2, 3]) = [0, 3, 2, 3] (position 1 holds 3 x1: the last write)
  const g = grad((x: NDArray) => np.sum(np.multiply(np.put(x, [1, 1], np.multiply(x.get('0:2'), 3), off), np.arange(4))));
  assert.deepEqual(g(np.ones([4], { dtype: 'float64' })).tolist(), [0, 3, 2, 3]);
  for (const bad of [() => np.put(a, [0], 1), () => np.put(a, [0], 1, { inplace: true })]) {
    assert.throws(bad, (e: unknown) => e instanceof ValueError && /inplace: false/.test((e as Error).message));
  }
  assert.throws(() => np.put(a, [0], 1, { mode: 'raise' as never, inplace: false }), CotangentError);
  // numpy: put_along_axis(x, [[1], [0]], 99, 1) -> [[10, 99, 20], [99, 40, 50]]; along 0 with [[1, 0, 1]] <- [[7, 8, 9]]
  const x = i32([[10, 30, 20], [60, 40, 50]]);
  assert.deepEqual(np.putAlongAxis(x, i32([[1], [0]]), 99, 1, off).tolist(), [[10, 99, 20], [99, 40, 50]]);
  assert.deepEqual(np.putAlongAxis(x, i32([[1, 0, 1]]), i32([[7, 8, 9]]), 0, off).tolist(), [[10, 8, 20], [7, 40, 9]]);
  assert.deepEqual(np.putAlongAxis(x, [5], 99, null, off).tolist(), [[10, 30, 20], [60, 40, 99]]);
  assert.deepEqual(vmap((r: NDArray) => np.putAlongAxis(r, [0], 5, 0, off))(x).tolist(), [[5, 30, 20], [5, 40, 50]]);
  assert.throws(() => np.putAlongAxis(x, i32([[1], [0]]), 99, 1), ValueError);
  // lax's *InDim conveniences (JAX's dynamic_slice_in_dim, dynamic_index_in_dim, dynamic_update_*_in_dim)
  const m = np.arange(12).reshape([3, 4]);
  assert.deepEqual(lax.dynamicSliceInDim(m, 1, 2, 1).tolist(), [[1, 2], [5, 6], [9, 10]]);
  assert.deepEqual(lax.dynamicSliceInDim(m, 5).tolist(), [[8, 9, 10, 11]]); // size 1, axis 0, the start clamped
  assert.deepEqual(lax.dynamicIndexInDim(m, 1, 1, false).tolist(), [1, 5, 9]);
  assert.deepEqual(lax.dynamicIndexInDim(m, -1).shape, [1, 4]);
  assert.deepEqual(jit((m: NDArray, i: NDArray) => lax.dynamicIndexInDim(m, i, 0, false))(m, np.array(2, { dtype: 'int32' })).tolist(), [8, 9, 10, 11]);
  assert.deepEqual(lax.dynamicUpdateSliceInDim(m, np.zeros([3, 2], { dtype: 'int32' }), 2, 1).tolist(), [[0, 1, 0, 0], [4, 5, 0, 0], [8, 9, 0, 0]]);
  assert.deepEqual(lax.dynamicUpdateIndexInDim(m, i32([7, 7, 7]), 3, -1).tolist(), [[0, 1, 2, 7], [4, 5, 6, 7], [8, 9, 10, 7]]);
  // a JS number or list update gets the axis too (JAX's array-like; it was a ShapeError)
  assert.deepEqual(lax.dynamicUpdateIndexInDim(np.arange(4), 10, 2, 0).tolist(), [0, 1, 10, 3]);
  assert.deepEqual(lax.dynamicUpdateIndexInDim(m, [7, 8, 9], 2, 1).tolist(), [[0, 1, 7, 3], [4, 5, 8, 7], [8, 9, 9, 11]]);
  assert.deepEqual(grad((v: NDArray) => np.sum(lax.dynamicSliceInDim(v, 1, 2)))(np.arange(4, { dtype: 'float64' })).tolist(), [0, 1, 1, 0]);
  // general scatters: a named error saying what to write (was 'lax.scatter is not a function')
  assert.throws(() => (lax as any).scatter(m, m, m, {}), (e: unknown) => e instanceof CotangentError && /x\.at\(i\)\.set\(v\)/.test((e as Error).message));
  assert.throws(() => (lax as any).scatterMax(m, m, m, {}), (e: unknown) => e instanceof CotangentError && /x\.at\(i\)\.max\(v\)/.test((e as Error).message));
});

test('x.at(i).apply: no NaN gradient from f at values it does not write (a clamped read, a position indexed fewer times), and static indices need no loop under jit (grad of jit works)', () => {
  const D = (v: number[]) => np.array(v, { dtype: 'float64' }), I = (v: number[]) => np.array(v, { dtype: 'int32' });
  const close = (got: NDArray, want: number[]) => (got.tolist() as number[]).forEach((g, k) => assert.ok(Math.abs(g - want[k]) < 1e-12, `${got} vs ${want}`));
  // index 5 is out of range: read clamped to x[1] = 0, where sqrt' is inf, and dropped: 0 * inf was NaN; want [1/2, 1]
  close(grad((y: NDArray) => np.sum(y.at(I([0, 5])).apply(np.sqrt)))(D([1, 0])), [0.5, 1]);
  // position 1 is indexed once: round 2 evaluated sqrt(v - 1) at v = 1.5 - 1 ... below 1 (NaN) and masked it: want
  // d sqrt(sqrt(x0 - 1) - 1) = 1 / (4 sqrt(x0 - 1) sqrt(sqrt(x0 - 1) - 1)) at 4, and d sqrt(x1 - 1) = 1 / (2 sqrt(0.5)) at 1.5
  close(grad((y: NDArray) => np.sum(y.at(I([0, 0, 1])).apply((v: NDArray) => np.sqrt(np.subtract(v, 1)))))(D([4, 1.5])),
    [1 / (4 * Math.sqrt(3) * Math.sqrt(Math.sqrt(3) - 1)), 1 / (2 * Math.sqrt(0.5))]);
  // static indices under jit: the rounds are known in JS (grad of a loop with a traced trip count is refused)
  close(jit(grad((y: NDArray) => np.sum(y.at([0, 0, 1]).apply(np.sin))))(D([0.5, 1, 2])), [Math.cos(Math.sin(0.5)) * Math.cos(0.5), Math.cos(1), 1]);
  close(grad(jit((y: NDArray) => np.sum(y.at('1:').apply(np.exp))))(D([1, 2, 3])), [1, Math.exp(2), Math.exp(3)]);
  // -1 and 3 are one position of 4: applied twice
  close(jit((y: NDArray) => y.at([-1, 3]).apply(np.sin))(D([0.5, 1, 2, 3])), [0.5, 1, 2, Math.sin(Math.sin(3))]);
  close(D([1, 2, 3, 4]).reshape([2, 2]).at([[0], [1]], [0, 0]).apply(np.sin).reshape([4]), [Math.sin(Math.sin(1)), 2, Math.sin(Math.sin(3)), 4]);
});

test('np.put wrap takes huge indices modulo n exactly; np.putAlongAxis drops out-of-range indices by default (JAX\'s at[].set), clips with mode clip, and has no wrap', () => {
  const off = { inplace: false } as const, I = (v: number[][]) => np.array(v, { dtype: 'int32' });
  // numpy: put(arange(10), uint32 [4294967295, 3000000000], [1, 2], 'wrap') -> [2 1 2 3 4 1 6 7 8 9] (was [0 1 2 3 4 5 6 2 8 9])
  assert.deepEqual(np.put(np.arange(10), np.array([4294967295, 3000000000], { dtype: 'uint32' }), [1, 2], { mode: 'wrap', inplace: false }).tolist(), [2, 1, 2, 3, 4, 1, 6, 7, 8, 9]);
  assert.deepEqual(np.put(np.arange(7), [2 ** 31 + 5], [1], { mode: 'wrap', inplace: false }).tolist(), [1, 1, 2, 3, 4, 5, 6]); // 2^31 + 5 = 0 mod 7
  const m = np.arange(12).reshape([3, 4]);
  assert.deepEqual(np.putAlongAxis(m, I([[5], [0], [3]]), 99, 1, off).tolist(), [[0, 1, 2, 3], [99, 5, 6, 7], [8, 9, 10, 99]]); // 5 dropped (was clipped to 3)
  assert.deepEqual(np.putAlongAxis(m, I([[-1], [-9], [3]]), 99, 1, off).tolist(), [[0, 1, 2, 99], [4, 5, 6, 7], [8, 9, 10, 99]]);
  assert.deepEqual(np.putAlongAxis(m, I([[5], [-9], [-1]]), 99, 1, { mode: 'clip', inplace: false }).tolist(), [[0, 1, 2, 99], [99, 5, 6, 7], [8, 9, 10, 99]]);
  assert.throws(() => np.putAlongAxis(m, I([[0]]), 99, 1, { mode: 'wrap', inplace: false }), /np\.putAlongAxis: mode must be 'clip', 'drop'/);
  // bool indices are positions 0 and 1, as numpy reads them (numpy: put(arange(4), [True, False, True], [7, 8, 9]) -> [8 9 2 3])
  assert.deepEqual(np.put(np.arange(4), np.array([true, false, true]), [7, 8, 9], off).tolist(), [8, 9, 2, 3]);
});

test('x.at().mul and .divide with many updates at one position: float32 multiplies in float64 and rounds once (6,539 ulp off before; helper-201)', () => {
  const n = 20000, z = np.zeros([n], { dtype: 'int32' }), u = np.full([n], 1.0001, { dtype: 'float32' });
  // numpy: np.prod(np.full(20000, np.float32(1.0001)).astype(np.float64)).astype(np.float32) = 7.3907695,
  // 1 / that product in float64 = 0.13530390909866477 (float32 0.13530391)
  assert.equal(np.ones([1]).at(z).mul(u).item(), Math.fround(7.3907695));
  assert.equal(np.ones([1]).at(z).divide(u).item(), Math.fround(0.13530390909866477));
  assert.equal(jit((v: any) => np.ones([1]).at(z).mul(v))(u).item(), Math.fround(7.3907695));
  // its derivative with respect to one factor: the product of the other 19,999 (numpy: prod / 1.0001f in float64, 7.3900303403595675)
  const g = grad((v: any) => np.sum(np.ones([1]).at(z).mul(v)))(u);
  assert.ok(Math.abs((g.get(0).item() as number) - 7.3900303403595675) < 1e-6, `${g.get(0).item()}`);
});

test('np.place (jnp.place, { inplace: false }): the true positions take vals in order, repeated; under jit; differentiates into arr and vals', () => {
  const off = { inplace: false };
  // numpy 2.4: a = arange(6).reshape(2, 3); place(a, a > 2, [44, 55]) -> [[0, 1, 2], [44, 55, 44]]
  const a = np.arange(6).reshape([2, 3]);
  const r = np.place(a, np.greater(a, 2), [44, 55], off);
  assert.equal(r.dtype, 'int32');
  assert.deepEqual(r.tolist(), [[0, 1, 2], [44, 55, 44]]);
  // numpy 2.4: place(arange(5.), [T, F, T, T, F], [-1.5]) -> [-1.5, 1, -1.5, -1.5, 4]
  const m = [true, false, true, true, false];
  const f = (x: NDArray) => np.place(x, m, [-1.5], off);
  assert.deepEqual(f(np.arange(5, undefined, undefined, 'float64')).tolist(), [-1.5, 1, -1.5, -1.5, 4]);
  assert.deepEqual(jit(f)(np.arange(5, undefined, undefined, 'float64')).tolist(), [-1.5, 1, -1.5, -1.5, 4]);
  // d/dx sum(w * place(x, m, v)) = w where m is false; d/dv[j] = sum of w at the true positions taking v[j]
  const w = np.array([1, 2, 3, 4]);
  const [gx, gv] = grad((x: NDArray, v: NDArray) => np.sum(np.multiply(np.place(x, [true, false, true, false], v, off), w)), { argnums: [0, 1] })(
    np.array([1, 2, 3, 4]), np.array([10, 20]));
  assert.deepEqual(gx.tolist(), [0, 2, 0, 4]);
  assert.deepEqual(gv.tolist(), [1, 3]);
  assert.throws(() => np.place(a, np.greater(a, 2), [1]), ValueError); // inplace: false not said
  assert.throws(() => np.place(a, [true], [1], off), ShapeError);
  assert.throws(() => np.place(a, np.greater(a, 2), [], off), ValueError);
});
