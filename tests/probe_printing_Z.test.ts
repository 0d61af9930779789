// Printing probe (helper-250): String(x) / np.arrayRepr(x) against numpy 2.4's str() and JAX's
// ArrayImpl.__repr__ (np.array2string(prefix='Array(', suffix=',', separator=', ') plus the dtype),
// and JSON.stringify of traced values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, jit, vmap } from '../ts/index.ts';

test('str and repr of edge values match numpy 2.4 / JAX (literals from python3 numpy 2.4.6)', () => {
  const f32 = (v: number[]) => np.array(v, { dtype: 'float32' });
  const f64 = (v: number[]) => np.array(Float64Array.from(v), { dtype: 'float64' });
  const cases: [any, string, string][] = [
    [f32([0.1, 1e16, 1.5e-5, 123456789]), '[1.0000000e-01 1.0000000e+16 1.5000000e-05 1.2345679e+08]',
      'Array([1.0000000e-01, 1.0000000e+16, 1.5000000e-05, 1.2345679e+08],      dtype=float32)'],
    [np.array(123456789, { dtype: 'float32' }), '1.2345679e+08', 'Array(1.2345679e+08, dtype=float32)'],
    [f32([-0, NaN, Infinity, -Infinity]), '[ -0.  nan  inf -inf]', 'Array([ -0.,  nan,  inf, -inf], dtype=float32)'],
    [f64([1, 1000]), '[   1. 1000.]', 'Array([   1., 1000.], dtype=float64)'],
    [f64([1, 1001]), '[1.000e+00 1.001e+03]', 'Array([1.000e+00, 1.001e+03], dtype=float64)'],
    [f32([1e-4, 1]), '[1.e-04 1.e+00]', 'Array([1.e-04, 1.e+00], dtype=float32)'],
    [np.complex(f32([NaN, -0, 1]), f32([NaN, -0, -Infinity])), '[nan+nanj -0. -0.j  1.-infj]',
      'Array([nan+nanj, -0. -0.j,  1.-infj], dtype=complex64)'],
    [np.complex(np.array(NaN, { dtype: 'float64' }), np.array(NaN, { dtype: 'float64' })), '(nan+nanj)', 'Array(nan+nanj, dtype=complex128)'],
    [np.array(Int32Array.from([-2147483648, 2147483647]), { dtype: 'int32' }), '[-2147483648  2147483647]',
      'Array([-2147483648,  2147483647], dtype=int32)'],
    [np.array(Uint32Array.from([0, 4294967295]), { dtype: 'uint32' }), '[         0 4294967295]', 'Array([         0, 4294967295], dtype=uint32)'],
    [np.zeros([1, 0, 2]), '[]', 'Array([], shape=(1, 0, 2), dtype=float32)'],
  ];
  for (const [x, str, repr] of cases) {
    assert.equal(String(x), str);
    assert.equal(`${x}`, str);
    assert.equal(np.arrayRepr(x), repr);
  }
});

test('JSON.stringify of an abstract tracer (jit, vmap) gives its type, as String(x) does, instead of throwing', () => {
  let seen = '';
  const out = jit((v: any) => { seen = JSON.stringify({ v }); return np.sin(v); })(np.array([1, 2]));
  assert.equal(seen, '{"v":"Traced<float32[2]>"}');
  assert.equal(out.shape.length, 1);
  vmap((v: any) => { seen = JSON.stringify(v); return v; })(np.array([[1, 2], [3, 4]]));
  assert.equal(seen, '"Traced<float32[2]>"');
  // a concrete tracer (grad) serializes its values, as before
  grad((v: any) => { seen = JSON.stringify(v); return np.sin(v); })(np.array([1, 2.5]).get(1));
  assert.equal(seen, '2.5');
});

test('JSON.stringify (logging) of a grad tracer is not a numeric read: returning a constant stays legal', () => {
  // JAX: grad of a function returning a constant is 0; logging the input must not change that
  // (it was a TracerError "returned the JS number 0 after a traced Array was converted to numbers")
  const g = grad((v: any) => { JSON.stringify({ v }); return 0; })(1);
  assert.equal(g.item(), 0);
  // tolist is a numeric read and still is caught
  assert.throws(() => grad((v: any) => { v.tolist(); return 0; })(1), /converted to numbers/);
});
