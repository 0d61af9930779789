// Printing (issue 6): no RangeError for large arrays, NumPy's summarization (threshold 1000,
// 3 edge items), console.log and JSON.stringify show values. Expected strings are NumPy's
// output for the same arrays (numpy 1.26 str()).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { np, grad } from 'cotangent';

test('large arrays print without RangeError, summarized as NumPy', () => {
  for (const n of [130_000, 1_000_000]) {
    const s = String(np.ones([n]));
    assert.equal(s, '[1. 1. 1. ... 1. 1. 1.]');
  }
  assert.equal(String(np.arange(1001)), '[   0    1    2 ...  998  999 1000]'); // int32, as JAX's arange
  assert.equal(String(np.arange(1001, { dtype: 'float32' })), '[   0.    1.    2. ...  998.  999. 1000.]');
  // At the threshold (1000 elements) nothing is summarized.
  const full = String(np.arange(1000, { dtype: 'float32' }));
  assert.ok(!full.includes('...') && full.includes(' 500. '));
  assert.equal(String(np.reshape(np.arange(2000, { dtype: 'float32' }), [1000, 2])),
    '[[0.000e+00 1.000e+00]\n [2.000e+00 3.000e+00]\n [4.000e+00 5.000e+00]\n ...\n' +
    ' [1.994e+03 1.995e+03]\n [1.996e+03 1.997e+03]\n [1.998e+03 1.999e+03]]');
  assert.equal(String(np.zeros([2, 600])), '[[0. 0. 0. ... 0. 0. 0.]\n [0. 0. 0. ... 0. 0. 0.]]');
  const b = String(np.array(new Uint8Array(5000).map((_, i) => i % 2), { dtype: 'bool' }));
  assert.equal(b, '[False  True False ...  True False  True]');
});

test('small arrays are unchanged', () => {
  assert.equal(String(np.array([[1.5, 2], [3, 4]])), '[[1.5 2. ]\n [3.  4. ]]');
  assert.equal(String(np.array([true, false])), '[ True False]');
  // numpy pads True to False's width even when no False is shown (BoolFormat's ' True')
  assert.equal(String(np.array([true, true])), '[ True  True]');
  assert.equal(String(np.array([[true], [true]])), '[[ True]\n [ True]]');
  assert.equal(String(np.ones([1500], { dtype: 'bool' })), '[ True  True  True ...  True  True  True]');
  assert.equal(String(np.array(true)), 'True');
  assert.equal(np.arrayRepr(np.array(true)), 'Array(True, dtype=bool)');
  assert.equal(np.arrayRepr(np.array([true, true])), 'Array([ True,  True], dtype=bool)');
  assert.equal(String(np.array(3)), '3.0'); // numpy's str of a 0-d array: its scalar's
});

test('console.log (util.inspect) and JSON.stringify show values', () => {
  const x = np.array([[1, 2], [3, 4]]);
  assert.equal(inspect(x), 'Array([[1., 2.],\n       [3., 4.]], dtype=float32)');
  assert.equal(inspect({ w: np.array([1, 2], { dtype: 'float64' }) }), '{ w: Array([1., 2.], dtype=float64) }');
  assert.ok(!inspect(x).includes('_data'));
  assert.equal(JSON.stringify(x), '[[1,2],[3,4]]');
  assert.equal(JSON.stringify({ b: np.array([true, false]), s: np.array(2.5) }), '{"b":[true,false],"s":2.5}');
  // Inside a transform a tracer with a value prints its value; logging it does not throw.
  let seen = '';
  grad((v: any) => { seen = inspect(v); return np.sin(v); })(1);
  assert.equal(seen, 'Array(1., dtype=float32)');
});

test("repr is JAX's ArrayImpl.__repr__: an empty array says its shape as a Python tuple, the dtype follows after one space, or six on the same line when the last line is long (helper-203)", () => {
  // JAX: s = "[], shape=(0,)" for any empty array; sep = ' ' * len('Array(') when last_line_len + len(dtype_str) + 1 > 75,
  // last_line_len = len(s) - s.rfind('\n') + 1 (a one-line array's prefix not counted)
  assert.equal(np.arrayRepr(np.array([])), 'Array([], shape=(0,), dtype=float32)');
  assert.equal(np.arrayRepr(np.zeros([2, 0])), 'Array([], shape=(2, 0), dtype=float32)');
  // 11 x 1.5: s is 55 characters, 57 + 14 + 1 = 72: one line of 77 (it was wrapped before the dtype);
  // 12 x 1.5: s is 60, 62 + 14 + 1 = 77 > 75: six spaces, on the same line
  assert.equal(np.arrayRepr(np.full([11], 1.5)), `Array([${Array(11).fill('1.5').join(', ')}], dtype=float32)`);
  assert.equal(np.arrayRepr(np.full([12], 1.5)), `Array([${Array(12).fill('1.5').join(', ')}],      dtype=float32)`);
  assert.equal(np.arrayRepr(np.full([5], 1.5)), 'Array([1.5, 1.5, 1.5, 1.5, 1.5], dtype=float32)');
  const two = np.arrayRepr(np.full([2, 11], 1.5)), row = `[${Array(11).fill('1.5').join(', ')}]`;
  assert.equal(two, `Array([${row},\n       ${row}],      dtype=float32)`);
});
