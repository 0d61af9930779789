// Dtypes and weak types through transforms (helper-257). A JS-number (weak) loop carry that the
// body turns into an Array of another dtype takes that dtype from the start, as JAX's
// _promote_weak_typed_inputs and as the jitted loops (one scan/while row) already did: the eager
// loops (and foriLoop unrolled under jit) ran step 0 on the weak number, so a float32 operand
// beside it computed in float32 at step 0 only, and ys stacked from that step alone were float32.
// Reference values: numpy 2.4 (float64 arithmetic of the promoted carry), pasted as literals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, jit, vmap, grad } from '../ts/index.ts';

const f32 = (v: number | number[]) => np.array(v, { dtype: 'float32' });
const f64 = (v: number | number[]) => np.array(v, { dtype: 'float64' });
const i32 = (v: number | number[]) => np.array(v, { dtype: 'int32' });
const u32 = (v: number | number[]) => np.array(v, { dtype: 'uint32' });

// c -> c * float32(1) + float64(1) from c = 0.1 (promoted to float64 first), twice:
// numpy: c = np.float64(0.1); c = c * np.float32(1) + 1.0 (x2) -> 2.1 (2.100000001490116 was
// float32(0.1) + 2, step 0 computing 0.1 * float32(1) in float32).
const B = (c: any) => np.add(np.multiply(c, f32(1)), f64(1));

test('eager loops promote a weak JS carry to the body dtype before step 0 (as jit and JAX)', () => {
  const cases: [string, () => any][] = [
    ['scan eager', () => lax.scan((c: any) => [B(c), null] as const, 0.1, null, { length: 2 })[0]],
    ['scan jit', () => jit(() => lax.scan((c: any) => [B(c), null] as const, 0.1, null, { length: 2 })[0])()],
    ['foriLoop eager', () => lax.foriLoop(0, 2, (_i: any, c: any) => B(c), 0.1)],
    ['foriLoop jit (unrolled)', () => jit(() => lax.foriLoop(0, 2, (_i: any, c: any) => B(c), 0.1))()],
    ['whileLoop eager', () => lax.whileLoop((c: any) => np.less(c, 2), B, 0.1)],
    ['whileLoop jit', () => jit(() => lax.whileLoop((c: any) => np.less(c, 2), B, 0.1))()],
    ['whileLoop vmap', () => vmap((lim: any) => lax.whileLoop((c: any) => np.less(c, lim), B, 0.1))(f64([2, 2]))],
  ];
  for (const [what, run] of cases) {
    const r = run();
    assert.equal(r.dtype, 'float64', what);
    for (const v of r.reshape([-1]).tolist()) assert.equal(v, 2.1, what);
  }
  // the derivative through it: d/dx of foriLoop(c -> c * x, 0.1) twice = 0.2 x, at x = 1
  assert.equal(grad((x: any) => lax.foriLoop(0, 2, (_i: any, c: any) => np.multiply(np.multiply(c, f32(1)), x), 0.1))(f64(1)).item(), 0.2);
});

test('scan: ys that carry the weak init at step 0 take the promoted dtype, eagerly as under jit', () => {
  const body = (c: any, x: any) => [np.add(c, x), c] as const;
  // [init, expected ys[0]] with xs of one step: the ys were float32 (16777216, 3000000000, 0.10000000149) eagerly
  const cases: [any, any, string, number | { re: number; im: number }][] = [
    [0.1, f64([1]), 'float64', 0.1],
    [16777217, i32([1]), 'int32', 16777217],
    [3000000001, u32([1]), 'uint32', 3000000001],
    [{ re: 0.1, im: 1e-13 }, np.array([{ re: 1, im: 0 }], { dtype: 'complex128' }), 'complex128', { re: 0.1, im: 1e-13 }],
  ];
  for (const [init, xs, dtype, y0] of cases) {
    for (const [how, run] of [['eager', () => lax.scan(body, init, xs)], ['jit', () => jit((x: any) => lax.scan(body, init, x))(xs)],
      ['vmap', () => vmap((x: any) => lax.scan(body, init, x))(np.expandDims(xs, 0))]] as const) {
      const [, ys] = run() as any;
      assert.equal(ys.dtype, dtype, `${how} ${dtype}`);
      assert.deepEqual(ys.reshape([-1]).tolist()[0], y0, `${how} ${dtype}`);
    }
  }
  // ys = c * float32(1): float32 at step 0 against float64 later was a DTypeError eagerly (jit: float64 [0.1, 1.1])
  const [c, ys] = lax.scan((c: any, x: any) => [np.add(c, x), np.multiply(c, f32(1))] as const, 0.1, f64([1, 2]));
  assert.equal(c.item(), 3.1);
  assert.equal(ys.dtype, 'float64');
  assert.deepEqual(ys.tolist(), [0.1, 1.1]);
});

test('weak carries the body returns unchanged, and weak carries kept at float32, still behave as before', () => {
  // a JS-number carry returned as it came stays that number
  assert.equal(lax.foriLoop(0, 3, (_i: any, c: any) => c, 16777217), 16777217);
  // x^n with a JS 1: the carry takes x's dtype
  const p = lax.foriLoop(0, 3, (_i: any, c: any) => np.multiply(c, f64(1 + 1e-12)), 1);
  assert.equal(p.dtype, 'float64');
  assert.equal(p.item(), 1.0000000000030003); // numpy: c = 1.; c *= np.float64(1 + 1e-12) three times
  // a fraction beside an int32 body is still a DTypeError, never truncated
  assert.throws(() => lax.foriLoop(0, 2, (_i: any, c: any) => np.astype(c, 'int32'), 0.5), /fraction/);
  assert.throws(() => lax.scan((c: any) => [np.astype(c, 'int32'), null] as const, 0.5, null, { length: 1 }), /fraction/);
});
