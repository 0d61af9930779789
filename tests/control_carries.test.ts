// Weakly typed loop carries and branch outputs (JS numbers, booleans, { re, im }) against the
// dtypes of Arrays, eagerly, under jit and under vmap: JAX's rule (result_type of a weak value):
// an integral number takes any non-bool dtype, a fraction only an inexact one, a boolean only
// bool, a complex literal only a complex dtype; anything else is a DTypeError (JAX's TypeError),
// never a truncation. Expected values are hand-derived (noted at each).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, jit, vmap, DTypeError, type Array as NDArray } from '../ts/index.ts';

const i32 = (x: number) => np.array(x, { dtype: 'int32' });
const u32 = (x: number) => np.array(x, { dtype: 'uint32' });
const c128 = (re: number, im: number) => np.array({ re, im }, { dtype: 'complex128' });
const val = (x: NDArray) => [x.dtype, x.tolist()];

test('a JS fraction returned for an int32 or uint32 carry is a DTypeError, eagerly and under jit (it was truncated: 1.5 -> 1)', () => {
  const frac = /must return a carry of the type it was given.*int32\[\].*JS number.*dtypes do not match \(1\.5 is a fraction/;
  const fori = (c0: NDArray) => lax.foriLoop(0, 2, () => 1.5, c0);
  assert.throws(() => fori(i32(0)), (e: unknown) => e instanceof DTypeError && /^lax\.foriLoop: /.test(e.message) && frac.test(e.message));
  assert.throws(() => jit(fori)(i32(0)), DTypeError);
  // bounds abstract under jit: the while row
  assert.throws(() => jit((c0: NDArray, n: NDArray) => lax.foriLoop(0, n, () => 1.5, c0))(i32(0), i32(2)),
    (e: unknown) => e instanceof DTypeError && /^lax\.foriLoop: bodyFun must return a carry/.test(e.message) && /1\.5 is a fraction/.test(e.message));
  const scan = (c0: NDArray) => lax.scan(() => [2.7, null], c0, null, { length: 2 })[0];
  assert.throws(() => scan(i32(0)), /^DTypeError: lax\.scan: .*2\.7 is a fraction, which int32 would truncate/);
  assert.throws(() => jit(scan)(i32(0)), /^DTypeError: lax\.scan: f must return a carry .*2\.7 is a fraction/);
  assert.throws(() => scan(u32(0)), /^DTypeError: lax\.scan: .*uint32\[\].*2\.7 is a fraction, which uint32/);
  assert.throws(() => jit(scan)(u32(0)), /^DTypeError: lax\.scan: .*2\.7 is a fraction, which uint32/);
  const wl = (c0: NDArray) => lax.whileLoop((c: NDArray) => np.less(c, 1), () => 1.5, c0);
  assert.throws(() => wl(i32(0)), /^DTypeError: lax\.whileLoop: bodyFun .*1\.5 is a fraction/);
  assert.throws(() => jit(wl)(i32(0)), /^DTypeError: lax\.whileLoop: bodyFun .*1\.5 is a fraction/);
  // an integral number still takes the int32 carry (weakly typed), and a fraction a float one: hand-derived
  assert.deepEqual(val(lax.foriLoop(0, 2, () => 3, i32(0))), ['int32', 3]);
  assert.deepEqual(val(jit((c0: NDArray) => lax.scan(() => [3, null], c0, null, { length: 2 })[0])(i32(0)) as NDArray), ['int32', 3]);
  assert.deepEqual(val(jit((c0: NDArray) => lax.whileLoop((c: NDArray) => np.less(c, 1), () => 1.5, c0))(np.array(0))), ['float32', 1.5]);
});

test('scan: a JS fraction among int32 ys is a DTypeError (it was stacked as int32: [0, 3, 3])', () => {
  const ys = (first: 'frac' | 'int') => lax.scan((c: NDArray, _x: NDArray) => {
    const head = c.item() === 0;
    return [np.add(c, 1), head === (first === 'frac') ? 0.5 : i32(3)];
  }, i32(0), np.zeros([3]))[1];
  assert.throws(() => ys('frac'), /^DTypeError: lax\.scan: f must return ys of one type at every step; y is a JS number .* at step 0 but int32\[\] at step 1, .*0\.5 is a fraction/);
  assert.throws(() => ys('int'), /^DTypeError: lax\.scan: .*y is int32\[\] at step 0 but a JS number .* at step 1.*0\.5 is a fraction/);
  // an integral JS number among int32 ys takes their dtype: hand-derived [0, 3, 3]
  const ok = lax.scan((c: NDArray, _x: NDArray) => [np.add(c, 1), c.item() === 0 ? 0 : i32(3)], i32(0), np.zeros([3]))[1] as NDArray;
  assert.deepEqual(val(ok), ['int32', [0, 3, 3]]);
});

test('a JS-fraction initial carry with an int32 body is a DTypeError in every loop, eagerly and under jit (JAX: 0.5 is a weak float32)', () => {
  const body = () => i32(7);
  const fns: [string, () => unknown][] = [
    ['scan', () => lax.scan(() => [body(), null], 0.5, null, { length: 2 })[0]],
    ['foriLoop', () => lax.foriLoop(0, 2, body, 0.5)],
    ['whileLoop', () => lax.whileLoop((c: any) => np.less(c, 1), body, 0.5)],
  ];
  for (const [name, f] of fns) {
    // eagerly: it returned int32 7 (the carry's dtype changed between steps)
    assert.throws(f, (e: unknown) => e instanceof DTypeError && e.message.startsWith(`lax.${name}: `), `${name} eager`);
    // under jit (foriLoop with concrete bounds returned int32 7 too)
    assert.throws(() => jit(f as () => NDArray)(), (e: unknown) => e instanceof DTypeError && e.message.startsWith(`lax.${name}: `), `${name} jit`);
  }
  // abstract bounds: the while row
  assert.throws(() => jit((n: NDArray) => lax.foriLoop(0, n, body, 0.5))(i32(2)), /^DTypeError: lax\.foriLoop: /);
  // an integral JS number init takes the body's int32 (JAX's weak promotion): hand-derived int32 7
  assert.deepEqual(val(lax.foriLoop(0, 2, body, 0) as NDArray), ['int32', 7]);
  assert.deepEqual(val(jit(() => lax.scan(() => [body(), null], 0, null, { length: 2 })[0] as NDArray)()), ['int32', 7]);
});

test('a JS boolean returned for an int32 carry (or a number for a bool one) is a DTypeError under jit too (it was int32 1)', () => {
  const bad = /must return a carry of the type it was given.*int32\[\].*a JS boolean, so the dtypes do not match/;
  const fori = (c0: NDArray) => lax.foriLoop(0, 2, () => true, c0);
  const scan = (c0: NDArray) => lax.scan(() => [true, null], c0, null, { length: 2 })[0];
  const wl = (c0: NDArray) => lax.whileLoop((c: NDArray) => np.less(c, 1), () => true, c0);
  for (const f of [fori, scan, wl] as ((c: NDArray) => NDArray)[]) {
    assert.throws(() => f(i32(0)), (e: unknown) => e instanceof DTypeError && bad.test(e.message));
    assert.throws(() => jit(f)(i32(0)), (e: unknown) => e instanceof DTypeError && bad.test(e.message));
  }
  assert.throws(() => jit((n: NDArray) => lax.foriLoop(0, n, () => true, i32(0)))(i32(2)), /^DTypeError: lax\.foriLoop: .*a JS boolean/);
  const toBool = (c0: NDArray) => lax.scan(() => [1, null], c0, null, { length: 2 })[0];
  assert.throws(() => toBool(np.array(false)), /^DTypeError: lax\.scan: .*bool\[\].*JS number/);
  assert.throws(() => jit(toBool)(np.array(false)), /^DTypeError: lax\.scan: .*bool\[\].*JS number/);
});

test('cond: a JS fraction against an int32 branch is a DTypeError whenever both branches run (eager vmap gave float32 [0.5, 4])', () => {
  const c = (p: NDArray) => lax.cond(p, () => 0.5, () => i32(4));
  const ps = np.array([true, false]);
  assert.throws(() => vmap(c)(ps), /^DTypeError: lax\.cond: trueFun and falseFun must return the same types.*0\.5 is a fraction, which int32/);
  assert.throws(() => jit(vmap(c))(ps), /^DTypeError: lax\.cond: trueFun and falseFun must return the same types/);
  assert.throws(() => jit(c)(np.array(true)), /^DTypeError: lax\.cond: trueFun and falseFun must return the same types/);
  const s = (i: NDArray) => lax.switch(i, [() => i32(4), () => 0.5], []);
  assert.throws(() => vmap(s)(np.array([0, 1], { dtype: 'int32' })), /^DTypeError: lax\.switch: every branch must return the same types.*0\.5 is a fraction/);
  assert.throws(() => jit(vmap(s))(np.array([0, 1], { dtype: 'int32' })), /^DTypeError: lax\.switch: /);
  // an integral JS number takes the other branch's int32: hand-derived [1, 4]
  const ci = (p: NDArray) => lax.cond(p, () => 1, () => i32(4));
  assert.deepEqual(val(vmap(ci)(ps)), ['int32', [1, 4]]);
  assert.deepEqual(val(jit(vmap(ci))(ps)), ['int32', [1, 4]]);
});

test('a { re, im } initial carry is weakly typed complex: a complex128 body promotes it, at full precision (it was a complex64 DTypeError)', () => {
  const one = () => c128(1, 0);
  const fori = () => lax.foriLoop(0, 2, (_i: NDArray, c: any) => np.multiply(c, one()), { re: 0.1, im: 0.2 });
  const scan = () => lax.scan((c: any) => [np.multiply(c, one()), null], { re: 0.1, im: 0.2 }, null, { length: 2 })[0];
  const wl = (n: NDArray) => lax.whileLoop((c: any) => np.less(np.abs(c), n), (c: any) => np.multiply(c, c128(2, 0)), { re: 0.1, im: 0.2 });
  // hand-derived: (0.1+0.2j) * 1 is exact in complex128 (complex64 would give 0.10000000149011612)
  for (const f of [fori, scan] as (() => NDArray)[]) {
    for (const g of [f, jit(f)]) {
      const r = g();
      assert.equal(r.dtype, 'complex128');
      assert.deepEqual(r.item(), { re: 0.1, im: 0.2 });
    }
  }
  // |0.1+0.2j| = 0.2236; doubled 3 times to 1.789 > 1: (0.8+1.6j), exact in binary scaling
  for (const g of [wl, jit(wl)]) {
    const r = g(np.array(1, { dtype: 'float64' }));
    assert.equal(r.dtype, 'complex128');
    assert.deepEqual(r.item(), { re: 0.8, im: 1.6 });
  }
  // abstract foriLoop bounds under jit: the while row
  const r = jit((n: NDArray) => lax.foriLoop(0, n, (_i: NDArray, c: any) => np.multiply(c, one()), { re: 0.1, im: 0.2 }))(i32(2));
  assert.equal(r.dtype, 'complex128'); assert.deepEqual(r.item(), { re: 0.1, im: 0.2 });
  // a float32 body keeps complex64 (weak complex beside float32); an int32 body is a DTypeError
  const f32 = lax.foriLoop(0, 1, (_i: NDArray, c: any) => np.multiply(c, np.array(2)), { re: 1, im: 1 }) as NDArray;
  assert.deepEqual([f32.dtype, f32.item()], ['complex64', { re: 2, im: 2 }]);
  assert.throws(() => lax.foriLoop(0, 1, () => i32(1), { re: 1, im: 1 }), /^DTypeError: lax\.foriLoop: .*\{ re, im \} literal.*int32\[\]/);
  assert.throws(() => jit(() => lax.scan(() => [i32(1), null], { re: 1, im: 1 }, null, { length: 1 })[0] as NDArray)(), /^DTypeError: lax\.scan: /);
  // a JS integer returned for it takes complex (as a JS number carry takes any dtype): hand-derived 1+0j, both ways
  assert.deepEqual(lax.foriLoop(0, 2, () => 1, { re: 5, im: 1 }), { re: 1, im: 0 });
  const j = jit((n: NDArray) => lax.foriLoop(0, n, () => 1, { re: 5, im: 1 }))(i32(2));
  assert.deepEqual([j.dtype, j.item()], ['complex64', { re: 1, im: 0 }]);
});
