// Dtype promotion probe (helper-236): JS lists beside float64 Arrays keep their float64 values
// (they were read as float32 first), polyval promotes ints to inexact as jnp's, einsum/tensordot
// treat a list of booleans as bool, and int32 vs uint32 comparisons are exact.
// Reference values: numpy 2.4 (float64), pasted as literals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np } from '../ts/index.ts';

const f64 = (v: number[]) => np.array(v, 'float64');
const close = (got: number[] | number, want: number[] | number, tol: number, what: string) => {
  const g = ([] as number[]).concat(got as number[]), w = ([] as number[]).concat(want as number[]);
  assert.equal(g.length, w.length, what);
  g.forEach((x, i) => assert.ok(Math.abs(x - w[i]) <= tol * Math.max(1, Math.abs(w[i])), `${what}[${i}]: ${x} vs ${w[i]}`));
};

test('convolve / correlate read a JS list beside float64 in float64 (was float32-rounded)', () => {
  // numpy: np.convolve([1,2,4.], [0.1,0.2]) = [0.1, 0.4, 0.8, 0.8]; np.correlate([0.1,0.2,0.3], [1,2,4.]) = [1.7]
  const c = np.convolve(f64([1, 2, 4]), [0.1, 0.2]);
  assert.equal(c.dtype, 'float64');
  close(c.tolist() as number[], [0.1, 0.4, 0.8, 0.8], 1e-15, 'convolve'); // was 0.10000000149011612, ...
  close(np.correlate([0.1, 0.2, 0.3], f64([1, 2, 4])).tolist() as number[], [1.7], 1e-15, 'correlate'); // was 1.7000000551342964
});

test('cov / corrcoef read a JS y list and aweights beside float64 in float64', () => {
  // numpy: np.cov([1,2,4.], [0.1,0.2,0.4])
  const c = np.cov(f64([1, 2, 4]), [0.1, 0.2, 0.4]);
  close((c.tolist() as number[][]).flat(), [2.3333333333333335, 0.23333333333333336, 0.23333333333333336, 0.023333333333333334], 1e-14, 'cov y');
  // numpy: np.cov([1,2,4.], aweights=[0.1,0.2,0.7]) = 2.630434782608695
  close(np.cov(f64([1, 2, 4]), { aweights: [0.1, 0.2, 0.7] }).item() as number, 2.630434782608695, 1e-14, 'cov aweights');
  // numpy: np.corrcoef([1,2,4.5], [0.1,0.2,0.3])[0,1] = 0.9707253433941511
  close((np.corrcoef(f64([1, 2, 4.5]), [0.1, 0.2, 0.3]).tolist() as number[][])[0][1], 0.9707253433941511, 1e-14, 'corrcoef');
});

test('gradient reads JS coordinates beside float64 in float64', () => {
  // numpy: np.gradient([1,2,4.], [0.1,0.2,0.35]) = [10.0, 11.333333333333336, 13.333333333333336]
  const g = np.gradient(f64([1, 2, 4]), [0.1, 0.2, 0.35]) as any;
  close(g.tolist(), [10, 11.333333333333336, 13.333333333333336], 1e-13, 'gradient'); // was 9.99999985098839, ...
});

test('polyval promotes ints to inexact, as jnp (promote_dtypes_inexact); int32 wrapped', () => {
  // jnp.polyval(jnp.array([2, 5, 1]), 3) is Array(34., dtype=float32) (jnp's docstring)
  const r = np.polyval(np.array([2, 5, 1], 'int32'), 3);
  assert.equal(r.dtype, 'float32');
  assert.equal(r.item(), 34);
  // x^2 at 70000: 4.9e9 (numpy's int64), float32 4899999744 here and in jnp; int32 wrapped to 605032704
  assert.equal(np.polyval(np.array([1, 0, 0], 'int32'), np.array(70000, 'int32')).item(), Math.fround(4.9e9));
  assert.equal(np.polyval([true, false], np.array([true, false])).dtype, 'float32');
});

test('einsum / tensordot: a list of booleans beside a bool Array is bool (was float32)', () => {
  const a = np.array([true, true, false]);
  const e = np.einsum('i,i->i', a, [true, false, false]);
  assert.equal(e.dtype, 'bool');
  assert.deepEqual(e.tolist(), [true, false, false]); // numpy: np.einsum('i,i->i', ...) of bools
  const t = np.tensordot(a, [true, true, false], 1);
  assert.equal(t.dtype, 'bool');
  assert.equal(t.item(), true);
});

test('int32 vs uint32 comparisons are exact (the int32 join wrapped 4294967295 to -1)', () => {
  const i = np.array([-1, 5, 7], 'int32'), u = np.array([4294967295, 2147483648, 7], 'uint32');
  // numpy 2.4 (and JAX with x64): less -> [True, True, False], equal -> [False, False, True]
  assert.deepEqual(np.less(i, u).tolist(), [true, true, false]);
  assert.deepEqual(np.greater(u, i).tolist(), [true, true, false]);
  assert.deepEqual(np.equal(i, u).tolist(), [false, false, true]);
  assert.deepEqual(np.notEqual(u, i).tolist(), [true, true, false]);
  assert.deepEqual(np.lessEqual(i, u).tolist(), [true, true, true]);
  // the result dtype is unchanged, and mixed int arithmetic still joins to int32 (documented)
  assert.equal(np.add(i, u).dtype, 'int32');
});
