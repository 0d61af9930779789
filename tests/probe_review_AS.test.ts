// helper-269's review of this session's changes as a new user would meet them (np.place, bitwise
// functions of JS integers, diff/isclose positional forms, sort descending, pinv/lstsq derivatives,
// random samplers at chunk boundaries, loop carries, cumprod, lax.gather/reshape/sign, trees,
// signbit, nonzero, empty norms). References: numpy 2.4, mpmath 1.3 (50 digits), JAX's messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, grad, jit, linalg } from '../ts/index.ts';
import { DTypeError, ValueError } from '../ts/core/errors.ts';

test('bitwise of JS integers past int32 says they do not fit, as jnp (it blamed a float32 promotion)', () => {
  // jnp.bitwise_or(2**31, 1): OverflowError "Python int 2147483648 too large to convert to int32"
  for (const [f, x, y] of [[np.bitwiseOr, 2 ** 31, 1], [np.bitwiseAnd, 3e9, 1], [np.leftShift, 1, -(2 ** 31) - 1], [np.bitwiseXor, [1, 2 ** 32], 1]] as const) {
    assert.throws(() => (f as (a: unknown, b: unknown) => unknown)(x, y), (e: unknown) => e instanceof ValueError && /does not fit in int32/.test((e as Error).message) && !/promoted to float32/.test((e as Error).message));
  }
  // unchanged: in-range JS integers are int32, fractions still a DTypeError
  assert.equal(np.bitwiseOr(2 ** 31 - 1, 0).item(), 2147483647);
  assert.throws(() => np.leftShift(1.5, 1), DTypeError);
});

test("lax.gather names 'promise_in_bounds' among the modes and asks for int32 indices (kernel's 'unsupported or mismatched dtypes')", () => {
  const x = np.arange(12, { dtype: 'float32' }).reshape(3, 4);
  const G = { offsetDims: [1], collapsedSliceDims: [0], startIndexMap: [0] };
  assert.throws(() => lax.gather(x, np.array([[1]], { dtype: 'int32' }), G, [1, 4], { mode: 'promise_inbounds' as never }),
    (e: unknown) => e instanceof ValueError && /'promise_in_bounds'/.test((e as Error).message));
  for (const dt of ['float32', 'uint32', 'bool'] as const) {
    assert.throws(() => lax.gather(x, np.array([[1]], { dtype: dt }), G, [1, 4]),
      (e: unknown) => e instanceof DTypeError && /indices must be int32/.test((e as Error).message));
  }
  assert.throws(() => lax.scatterAdd(np.zeros([3, 4]), np.array([[1]], { dtype: 'float32' }), np.ones([1, 4]), { updateWindowDims: [1], insertedWindowDims: [0], scatterDimsToOperandDims: [0] }),
    (e: unknown) => e instanceof DTypeError && /indices must be int32/.test((e as Error).message));
  assert.deepEqual(lax.gather(x, np.array([[1]], { dtype: 'int32' }), G, [1, 4], { mode: 'promise_in_bounds' }).tolist(), [[4, 5, 6, 7]]);
});

test('pinv to the fifth derivative at a rank-deficient point, eager and jit (mpmath, full-rank factorization)', () => {
  // g(t) = sum(W * pinv((X + t Xd)(Y + t Yd)^T)), rank 1 throughout; pinv(X Y^T) = Y (Y^T Y)^-1 (X^T X)^-1 X^T
  // in mpmath at 50 digits, mp.diff(g, 0, k) for k = 0..5
  const ref = [-0.5191387559808612, -0.2928401364437628, -0.08870386275559429, 0.27949550598912276, 1.1544635628202502, 3.033619781359014];
  const f64 = (a: unknown) => np.array(a as never, { dtype: 'float64' });
  const X = f64([[1], [2], [-1]]), Xd = f64([[0.5], [-0.3], [0.2]]), Y = f64([[0.7], [-1.2], [0.4]]), Yd = f64([[0.1], [0.6], [-0.5]]);
  const W = f64([[1, -2, 0.5], [0.25, 1.5, -1], [0.3, 0.7, -0.9]]);
  const lin = (p: never, q: never, t: never) => np.add(p, np.multiply(q, t));
  let g = ((t: never) => np.sum(np.multiply(W, linalg.pinv(np.matmul(lin(X as never, Xd as never, t), np.transpose(lin(Y as never, Yd as never, t))))))) as (t: never) => ReturnType<typeof np.sum>;
  for (let k = 0; k <= 5; k++) {
    for (const fn of [g, jit(g)]) {
      const v = Number(fn(f64(0) as never).item());
      assert.ok(Math.abs(v - ref[k]) <= 1e-12 * Math.max(1, Math.abs(ref[k])), `order ${k}: ${v} vs ${ref[k]}`);
    }
    g = grad(g as never) as never;
  }
});
