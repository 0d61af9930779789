// Regressions from probing einsum / tensordot / matmul / dot (helper-247). Reference values from
// numpy 2.4 (noted at each case).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, ShapeError, ValueError, AxisError } from '../ts/index.ts';

test('einsum: a label repeated in one operand needs equal sizes (no size-1 broadcast into a diagonal)', () => {
  // numpy 2.4: np.einsum('ii->i', np.ones((1, 3))) raises "dimensions in single operand for
  // collapsing index 'i' don't match (1 != 3)"; here it silently returned the first row.
  const x = np.array([[1, 2, 3]]);
  assert.throws(() => np.einsum('ii->i', x), (e: Error) => e instanceof ShapeError && /'ii'/.test(e.message) && /float32\[1,3\]/.test(e.message) && /1 != 3/.test(e.message));
  assert.throws(() => np.einsum('ii', np.ones([3, 1])), ShapeError);
  assert.throws(() => np.einsum('iij->ij', np.ones([1, 3, 2])), ShapeError);
  assert.throws(() => np.einsum('ii->i', np.ones([1, 3], { dtype: 'bool' })), ShapeError);
  assert.throws(() => np.einsum(np.ones([1, 3]), [0, 0], [0]), ShapeError);
  // still fine: equal sizes, and a [1, 1] diagonal broadcast against another operand.
  // numpy 2.4: np.einsum('ii,i', [[2.]], [1., 2, 3, 4]) = 20.0; np.einsum('ii->i', [[5.]]) = [5.]
  assert.equal(np.einsum('ii,i', [[2]], [1, 2, 3, 4]).item(), 20);
  assert.deepEqual(np.einsum('ii->i', [[5]]).tolist(), [5]);
  assert.equal(np.einsum('ii', [[1, 2], [3, 4]]).item(), 5);
  // the next call still works
  assert.deepEqual(np.einsum('ij,jk', [[1, 2]], [[3], [4]]).tolist(), [[11]]);
});

test('contractions of bool operands name them bool in shape errors (not the float32 they are counted in)', () => {
  const B = (s: number[]) => np.ones(s, { dtype: 'bool' });
  const bad = (f: () => unknown, cls: new (...a: never[]) => Error, ...want: RegExp[]) => assert.throws(f, (e: Error) => {
    assert.ok(e instanceof cls, `${e.constructor.name}: ${e.message}`);
    assert.doesNotMatch(e.message, /float32/);
    for (const w of want) assert.match(e.message, w);
    return true;
  });
  bad(() => np.einsum('ij,jk', B([2, 3]), B([4, 4])), ShapeError, /bool\[2,3\]/, /bool\[4,4\]/);
  bad(() => np.tensordot(B([2, 3]), B([3, 4]), 2), ShapeError, /bool\[2,3\]/, /bool\[3,4\]/);
  bad(() => np.tensordot(B([2, 3]), B([3, 4]), 3), AxisError, /bool\[2,3\]/);
  bad(() => np.matmul(B([2, 3]), B([4, 3])), ShapeError, /bool\[2,3\] @ bool\[4,3\]/);
  bad(() => np.dot(B([2, 3]), B([2, 3])), ShapeError, /bool\[2,3\] and bool\[2,3\]/);
});

test('matmul: batch dims that do not broadcast are named with both operand shapes', () => {
  // numpy 2.4: np.matmul(np.ones((2,2,3)), np.ones((3,3,2))) raises (batch 2 vs 3); the message
  // named only the batch shapes [2] and [3]
  assert.throws(() => np.matmul(np.ones([2, 2, 3]), np.ones([3, 3, 2])),
    (e: Error) => e instanceof ShapeError && /np\.matmul/.test(e.message) && /float32\[2,2,3\] @ float32\[3,3,2\]/.test(e.message));
  assert.throws(() => np.matmul(np.ones([2, 2, 3], { dtype: 'bool' }), np.ones([3, 3, 2], { dtype: 'bool' })),
    (e: Error) => e instanceof ShapeError && /bool\[2,2,3\] @ bool\[3,3,2\]/.test(e.message));
  // broadcasting batch dims still work; numpy 2.4: matmul of (2,1,2,3) and (4,3,2) has shape (2, 4, 2, 2)
  assert.deepEqual(np.matmul(np.ones([2, 1, 2, 3]), np.ones([4, 3, 2])).shape, [2, 4, 2, 2]);
  assert.deepEqual(np.matmul(np.ones([2, 3]), np.ones([5, 3, 4])).shape, [5, 2, 4]);
});

test('einsum: two ellipses in the output name the output, not operand -1', () => {
  assert.throws(() => np.einsum('...i->......', [1]), (e: Error) => e instanceof ValueError && /the output \('\.\.\.\.\.\.'\)/.test(e.message) && !/-1/.test(e.message));
});
