// Integer and bool semantics probe (helper-249): regression tests for the defects found.
// References: numpy 2.4 (python3) where noted; JAX (64-bit types off) semantics as README states.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, jit, vmap } from '../ts/index.ts';

const i32 = (v: unknown) => np.array(v as number[], { dtype: 'int32' });
const u32 = (v: unknown) => np.array(v as number[], { dtype: 'uint32' });

test('isin of a uint32 Array in an int32 Array compares values exactly, as np.equal does', () => {
  // numpy 2.4: np.isin(np.array([4294967295, 5, 2147483648], np.uint32), np.array([-1, 5, -2147483648], np.int32))
  //   -> [False, True, False]; np.equal of the two gives the same (README: compared in float64)
  const U = u32([4294967295, 5, 2147483648]), I = i32([-1, 5, -2147483648]);
  assert.deepEqual(np.equal(U, I).tolist(), [false, true, false]);
  assert.deepEqual(np.isin(U, I).tolist(), [false, true, false]);
  assert.deepEqual(np.isin(I, U).tolist(), [false, true, false]);
  assert.deepEqual(np.isin(U, I, { invert: true }).tolist(), [true, false, true]);
  assert.deepEqual(jit((a: any, b: any) => np.isin(a, b))(U, I).tolist(), [false, true, false]);
  assert.deepEqual(vmap((a: any) => np.isin(a, I))(U).tolist(), [false, true, false]);
  // one integer dtype: unchanged
  assert.deepEqual(np.isin(I, i32([5])).tolist(), [false, true, false]);
  assert.deepEqual(np.isin(U, [5, 4294967295]).tolist(), [true, true, false]);
});

test('average of int32 values with float64 weights is computed from the exact int32 values', () => {
  // numpy 2.4: x = np.arange(2147483647, 2147483647 - 1000, -1).astype(np.int32)
  //   np.average(x, weights=np.ones(1000)) -> 2147483147.5 (it was 2147483147.776: x through float32 first)
  const x = i32(Array.from({ length: 1000 }, (_, k) => 2147483647 - k));
  const r = np.average(x, { weights: np.ones([1000], { dtype: 'float64' }) });
  assert.equal(r.dtype, 'float64');
  assert.equal(r.item(), 2147483147.5);
  // numpy 2.4: np.average(np.array([16777217, 16777219], np.int32), weights=[1., 1.]) -> 16777218.0
  const r2 = np.average(i32([16777217, 16777220]), { weights: np.array([1, 2], { dtype: 'float64' }) });
  assert.equal(r2.item(), (16777217 + 2 * 16777220) / 3); // 16777219 exactly
  // uint32 past 2^31 with float64 weights: numpy 4294967294.5
  assert.equal(np.average(u32([4294967295, 4294967294]), { weights: np.array([1, 1], { dtype: 'float64' }) }).item(), 4294967294.5);
  // unweighted and float32-weighted stay float32 (jnp's promote_dtypes_inexact)
  assert.equal(np.average(i32([1, 2])).dtype, 'float32');
  assert.equal(np.average(i32([1, 2]), { weights: i32([1, 3]) }).item(), 1.75);
});

test('astype and lax.convertElementType of JS int32 values to an integer dtype convert as integers: -1 to uint32 is 4294967295 (numpy, JAX); it saturated to 0', async () => {
  const { np: n, lax: l } = await import('../ts/index.ts');
  assert.equal(n.astype(-1, 'uint32').item(), 4294967295);
  assert.equal(l.convertElementType(-1, 'uint32').item(), 4294967295);
  assert.deepEqual(n.astype([-1, 5, -2147483648], 'uint32').tolist(), [4294967295, 5, 2147483648]);
  assert.equal(n.astype(3e9, 'uint32').item(), 3000000000, 'past int32: read exactly at float64');
  assert.equal(n.astype(-1.5, 'uint32').item(), 0, 'a fraction: the float rule (saturates), as before');
  assert.equal(l.convertElementType(16777217, 'int32').item(), 16777217);
});
