import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, jit, AxisError, ValueError } from '../ts/index.ts';

const m = () => np.array([[1, 9], [3, 4]]);

// ---------------------------------------------------------------- lax axes: integers only

test('lax.argmax/argmin: an options object for the axis is an AxisError naming the call (it was read as axis 0), eagerly and under jit', () => {
  const x = m();
  for (const f of [(a: any) => lax.argmax(a, { axis: 1 } as any), (a: any) => lax.argmax(jit((b: any) => b)(a), { axis: 1 } as any)]) {
    assert.throws(() => f(x), { name: 'AxisError', message: /^lax\.argmax: axis must be an integer, got an object \{ axis \}; lax takes positional axes: lax\.argmax\(x, 1\)/ });
  }
  assert.throws(() => jit((a: any) => lax.argmax(a, { axis: 1 } as any))(x), AxisError);
  assert.throws(() => lax.argmin(x, { axis: 1 } as any), { name: 'AxisError', message: /^lax\.argmin: axis must be an integer, got an object \{ axis \}; lax takes positional axes: lax\.argmin\(x, 1\)/ });
  assert.throws(() => jit((a: any) => lax.argmin(a, { axis: 1 } as any))(x), /lax\.argmin: axis must be an integer/);
  // a list or an Array for the one axis (JAX's operator.index refuses both)
  assert.throws(() => lax.argmax(x, [1] as any), { name: 'AxisError', message: /^lax\.argmax: axis must be an integer, got \[1\]/ });
  assert.throws(() => lax.argmax(x, np.array(1) as any), { name: 'AxisError', message: /^lax\.argmax: axis must be an integer, got an Array float32\[\]/ });
  // the positional form: axis 1 of [[1, 9], [3, 4]] (hand: row maxima at 1, 1; minima at 0, 0)
  assert.deepEqual(lax.argmax(x, 1).tolist(), [1, 1]);
  assert.deepEqual(jit((a: any) => lax.argmin(a, 1))(x).tolist(), [0, 0]);
});

test('lax.concatenate and lax.split: an options object for the dimension is an AxisError (concatenate joined rows, split cut rows)', () => {
  const x = m();
  assert.throws(() => lax.concatenate([x, x], { dimension: 1 } as any), { name: 'AxisError', message: /^lax\.concatenate: axis must be an integer, got an object \{ dimension \}; lax takes positional axes: lax\.concatenate\(\[x, y\], 1\)/ });
  assert.throws(() => jit((a: any) => lax.concatenate([a, a], { dimension: 1 } as any))(x), AxisError);
  assert.throws(() => lax.split(x, [1, 1], { axis: 1 } as any), { name: 'AxisError', message: /^lax\.split: axis must be an integer, got an object \{ axis \}; lax takes positional axes: lax\.split\(x, sizes, 1\)/ });
  assert.throws(() => jit((a: any) => lax.split(a, [1, 1], { axis: 1 } as any)[0])(x), AxisError);
  assert.throws(() => lax.concatenate([x, x], null as any), /lax\.concatenate: axis must be an integer, got null/);
  assert.deepEqual(lax.concatenate([x, x], 1).shape, [2, 4]);
  assert.deepEqual(lax.split(x, [1, 1], 1).map((p) => p.tolist()), [[[1], [3]], [[9], [4]]]);
});

test('lax.argsort: an options object in the axis place is an AxisError (it sorted ascending along axis 0)', () => {
  const x = m();
  assert.throws(() => lax.argsort(x, { descending: true } as any), { name: 'AxisError', message: /^lax\.argsort: axis must be an integer, got an object \{ descending \}; lax takes positional axes: lax\.argsort\(x, axis, descending\)/ });
  assert.throws(() => jit((a: any) => lax.argsort(a, { descending: true } as any))(x), AxisError);
  // hand: rows [1, 9] and [3, 4] in descending order
  assert.deepEqual(lax.argsort(x, 1, true).tolist(), [[1, 0], [1, 0]]);
});

test('lax.reduceSum/reduceMax/reduceMin: axes must be a list of integers (an object entry summed axis 0), eagerly and under jit', () => {
  const x = m();
  for (const [name, f] of [['reduceSum', lax.reduceSum], ['reduceMax', lax.reduceMax], ['reduceMin', lax.reduceMin]] as const) {
    const re = new RegExp(`^lax\\.${name}: axes must be a list of integers, got an object \\{ axis \\} as entry 0 of argument 1; lax takes positional axes: lax\\.${name}\\(x, \\[1\\]\\)`);
    assert.throws(() => (f as any)(x, [{ axis: 1 }]), { name: 'AxisError', message: re });
    assert.throws(() => jit((a: any) => (f as any)(a, [{ axis: 1 }]))(x), { name: 'AxisError', message: re });
    assert.throws(() => (f as any)(x, [[1]]), { name: 'AxisError', message: new RegExp(`^lax\\.${name}: axes must be a list of integers, got \\[1\\] as entry 0`) });
    assert.throws(() => (f as any)(x, { axis: 1 }), { name: 'AxisError', message: new RegExp(`^lax\\.${name}: argument 1 is an object \\{ axis \\}; axes must be a list of integers; lax takes positional axes: lax\\.${name}\\(x, \\[1\\]\\)`) });
    assert.throws(() => (f as any)(x, 1), { name: 'AxisError', message: new RegExp(`^lax\\.${name}: argument 1 is 1; axes must be a list of integers; lax takes positional axes: lax\\.${name}\\(x, \\[1\\]\\)`) });
  }
  // hand: row sums [10, 7], row maxima [9, 4], row minima [1, 3]
  assert.deepEqual(lax.reduceSum(x, [1]).tolist(), [10, 7]);
  assert.deepEqual(jit((a: any) => lax.reduceMax(a, [1]))(x).tolist(), [9, 4]);
  assert.deepEqual(lax.reduceMin(x, [1]).tolist(), [1, 3]);
});

test('lax.gather/scatterAdd: dimension numbers and slice sizes must be integers (an object entry was read as 0: a column where [1] gathers a row)', () => {
  const x = m(), idx = np.array([[0]], 'int32');
  assert.throws(() => lax.gather(x, idx, { offsetDims: [{}], collapsedSliceDims: [0], startIndexMap: [0] } as any, [1, 2]),
    { name: 'AxisError', message: /^lax\.gather: dimension numbers' offsetDims must be a list of integer axes/ });
  assert.throws(() => lax.gather(x, idx, { offsetDims: [1], collapsedSliceDims: [0], startIndexMap: [0] }, [1, {}] as any),
    { name: 'ValueError', message: /^lax\.gather: sliceSizes must be a list of non-negative integers/ });
  assert.throws(() => lax.gather(x, idx, { offset_dims: [1] } as any, [1, 2]), /lax\.gather: dimension numbers' offsetDims must be a list of integer axes, got undefined/);
  assert.throws(() => lax.scatterAdd(x, idx, np.array([[1, 1]]), { updateWindowDims: [{}], insertedWindowDims: [0], scatterDimsToOperandDims: [0] } as any),
    { name: 'AxisError', message: /^lax\.scatterAdd: dimension numbers' updateWindowDims must be a list of integer axes/ });
  // hand: row 0 of [[1, 9], [3, 4]]
  assert.deepEqual(lax.gather(x, idx, { offsetDims: [1], collapsedSliceDims: [0], startIndexMap: [0] }, [1, 2]).tolist(), [[1, 9]]);
});

// ---------------------------------------------------------------- JS values stay weak beside an Array

const big = () => np.array([16777217, 5], 'int32'); // 16777217 = 2^24 + 1: not a float32

test('np.append: a JS number or list beside an int32/uint32 Array keeps its dtype (it was float32, rounding 16777217), eagerly and under jit', () => {
  // numpy 2.4: np.append(int32 [16777217, 5], int32 [2]) = int32 [16777217, 5, 2]
  for (const r of [np.append(big(), 2), np.append(big(), [2]), jit((a: any) => np.append(a, 2))(big())]) {
    assert.equal(r.dtype, 'int32');
    assert.deepEqual(r.tolist(), [16777217, 5, 2]);
  }
  const first = np.append([16777217], np.array([1], 'int32'));
  assert.equal(first.dtype, 'int32');
  assert.deepEqual(first.tolist(), [16777217, 1]);
  // JAX: uint32 [4294967295, 1] (a float32 list made it 4294967296)
  const u = np.append(np.array([4294967295], 'uint32'), [1]);
  assert.equal(u.dtype, 'uint32');
  assert.deepEqual(u.tolist(), [4294967295, 1]);
});

test('np.diff: prepend and append JS values are weak beside x (float32 16777219 gave [-4, -16777211])', () => {
  // numpy 2.4: np.diff(int32 [16777217, 5], prepend=int32(16777219)) = [-2, -16777212]; append: [-16777212, 16777214]
  for (const r of [np.diff(big(), { prepend: 16777219 }), jit((a: any) => np.diff(a, { prepend: 16777219 }))(big())]) {
    assert.equal(r.dtype, 'int32');
    assert.deepEqual(r.tolist(), [-2, -16777212]);
  }
  for (const r of [np.diff(big(), { append: 16777219 }), np.diff(big(), { append: [16777219] })]) {
    assert.equal(r.dtype, 'int32');
    assert.deepEqual(r.tolist(), [-16777212, 16777214]);
  }
});

test('np.vecdot, np.matvec, np.vecmat: a JS list beside an int32 Array is read as int32, as np.dot reads it (was float32 16777216)', () => {
  // numpy 2.4: vecdot(int32 [16777217, 5], int32 [1, 0]) = 16777217; matvec, vecmat: [16777217]
  for (const r of [np.vecdot(big(), [1, 0]), np.vecdot([1, 0], big()), jit((a: any) => np.vecdot(a, [1, 0]))(big())]) {
    assert.equal(r.dtype, 'int32');
    assert.equal(r.item(), 16777217);
  }
  const mv = [np.matvec(np.array([[16777217, 1]], 'int32'), [1, 0]), np.matvec([[16777217, 1]], np.array([1, 0], 'int32')),
    jit((a: any) => np.matvec(a, [1, 0]))(np.array([[16777217, 1]], 'int32'))];
  for (const r of mv) { assert.equal(r.dtype, 'int32'); assert.deepEqual(r.tolist(), [16777217]); }
  const vm = np.vecmat([1, 0], np.array([[16777217], [1]], 'int32'));
  assert.equal(vm.dtype, 'int32');
  assert.deepEqual(vm.tolist(), [16777217]);
});

test('np.setdiff1d: JS values weak beside the other operand (the float32 list made a value vanish)', () => {
  // numpy 2.4: setdiff1d(int32 [16777217, 3], int32 [3]) = [16777217]; setdiff1d(int32 [16777217, 16777216], int32 [16777216]) = [16777217]
  const a = np.setdiff1d([16777217, 3], np.array([3], 'int32'));
  assert.equal(a.dtype, 'int32');
  assert.deepEqual(a.tolist(), [16777217]);
  const b = np.setdiff1d(np.array([16777217, 16777216], 'int32'), [16777216]);
  assert.deepEqual(b.tolist(), [16777217]);
  const j = jit((x: any) => np.setdiff1d(x, [16777216], { size: 1 }))(np.array([16777217, 16777216], 'int32'));
  assert.deepEqual(j.tolist(), [16777217]);
});

test('np.clip: a JS x beside Array bounds is weak (clip([16777217, 3], int32 0) was float32 16777216)', () => {
  // numpy 2.4: clip(int32 [16777217, 3], int32(0), None) = [16777217, 3]
  for (const r of [np.clip([16777217, 3], np.array([0], 'int32')), np.clip([16777217, 3], 0, np.array(20000000, 'int32')),
    jit((lo: any) => np.clip([16777217, 3], lo))(np.array([0], 'int32'))]) {
    assert.equal(r.dtype, 'int32');
    assert.deepEqual(r.tolist(), [16777217, 3]);
  }
  const s = np.clip(16777217, np.array(0, 'int32'));
  assert.equal(s.dtype, 'int32');
  assert.equal(s.item(), 16777217);
  // a fractional list beside an int32 bound: float32, as JAX's weak float with int32 (hand)
  assert.equal(np.clip([1.5, 2], np.array(2, 'int32')).dtype, 'float32');
});

test('np.histogram2d: a JS list of y beside float64 x is read in float64 (it was float32 first: edge 0.10000000149011612)', () => {
  // numpy 2.4: histogram2d(float64 [0.1, 0.3], [0.1, 0.3], bins=1) = ([[2.]], [0.1, 0.3], [0.1, 0.3])
  const [c, xe, ye] = np.histogram2d(np.array([0.1, 0.3], 'float64'), [0.1, 0.3], { bins: 1 });
  assert.deepEqual(c.tolist(), [[2]]);
  assert.deepEqual(xe.tolist(), [0.1, 0.3]);
  assert.equal(ye.dtype, 'float64');
  assert.deepEqual(ye.tolist(), [0.1, 0.3]);
});

// ---------------------------------------------------------------- trapezoid in a float dtype

test('np.trapezoid promotes y and x to a float dtype first, as jnp (int32 and uint32 wrapped)', () => {
  // JAX (promote_dtypes_inexact): float32 1073741824.0; numpy 2.4 on float32 [2^30, 2^30]: 1.0737418e+09
  for (const r of [np.trapezoid(np.array([2 ** 30, 2 ** 30], 'int32')), jit((y: any) => np.trapezoid(y))(np.array([2 ** 30, 2 ** 30], 'int32'))]) {
    assert.equal(r.dtype, 'float32');
    assert.equal(r.item(), 1073741824);
  }
  // JAX: -10.0; numpy 2.4 on float32 y [3, 1], x [5, 0]: -10.0
  for (const r of [np.trapezoid(np.array([3, 1], 'uint32'), np.array([5, 0], 'uint32')),
    jit((y: any, x: any) => np.trapezoid(y, x))(np.array([3, 1], 'uint32'), np.array([5, 0], 'uint32'))]) {
    assert.equal(r.dtype, 'float32');
    assert.equal(r.item(), -10);
  }
  // numpy 2.4: trapezoid([1, 2, 4], [0, 1, 3]) = 7.5; a JS list x beside int32 y is weak (float32), beside float64 y float64
  const t = np.trapezoid(np.array([1, 2, 4], 'int32'), [0, 1, 3]);
  assert.equal(t.dtype, 'float32');
  assert.equal(t.item(), 7.5);
  assert.equal(np.trapezoid(np.array([1, 2, 4], 'float64'), [0, 1, 3]).dtype, 'float64');
  // fewer than two samples: 0 in the float dtype (numpy: 0.0)
  assert.equal(np.trapezoid(np.array([7], 'int32')).dtype, 'float32');
  assert.throws(() => np.trapezoid(np.array([1, 2]), { axis: {} } as any), ValueError);
});
