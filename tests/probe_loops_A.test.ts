// Probe fixes (helper-A, loops): a JS-number carry the body returns as it came is loop-invariant,
// and a scan or while row under jit keeps it as the number (as the eager loop does) instead of
// a float32 carry: 16777217 came back 16777216 and 0.1 entered the body's float64 arithmetic as
// 0.10000000149. References are float64 JS loops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, jit, grad, vmap, NDArray } from '../ts/index.ts';

const f64 = (x: any) => np.array(x, { dtype: 'float64' });
const i32 = (x: any) => np.array(x, { dtype: 'int32' });
const vals = (x: any): number[] => (x instanceof NDArray ? Array.from(x.dataSync() as any, Number) : [x].flat().map(Number));
function close(got: any, want: number[], tol: number, msg: string) {
  const g = vals(got);
  assert.equal(g.length, want.length, `${msg}: length`);
  g.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= tol * Math.max(1, Math.abs(want[i])), `${msg}[${i}]: got ${v}, want ${want[i]}`));
}

test('scan under jit: a JS-number carry returned unchanged stays the number, in the body and after', () => {
  const f = () => lax.scan((c: any, x: any) => [c, np.add(x, c)], 16777217, f64([1, 2]));
  for (const [name, g] of [['eager', f], ['jit', jit(f)]] as const) {
    const [c, ys] = g() as any;
    assert.equal(c, 16777217, `${name}: carry`);
    close(ys, [16777218, 16777219], 0, `${name}: ys`); // float64 x + 16777217 (was 16777217, 16777218 under jit)
  }
  // a fraction: x * 0.1 in float64
  const h = jit((xs: any) => lax.scan((c: any, x: any) => [c, np.multiply(x, c)], 0.1, xs));
  const [c, ys] = h(f64([1, 3, 7])) as any;
  assert.equal(c, 0.1);
  close(ys, [0.1, 3 * 0.1, 7 * 0.1], 1e-16, 'x * 0.1');
  // beside an Array carry, with grad and vmap through the row: h_{t+1} = tanh(w h_t + 0.1 x_t)
  const loss = (w: any) => np.sum(lax.scan(([a, hh]: any, x: any) => [[a, np.tanh(np.add(np.multiply(hh, w), np.multiply(x, a)))], hh], [0.1, f64(0.5)], f64([1, 2, 3]))[1]);
  const ref = (w: number) => { let hh = 0.5, s = 0; for (const x of [1, 2, 3]) { s += hh; hh = Math.tanh(hh * w + x * 0.1); } return s; };
  close(jit(loss)(f64(0.7)), [ref(0.7)], 1e-15, 'loss');
  close(jit(grad(loss))(f64(0.7)), [(ref(0.7 + 1e-6) - ref(0.7 - 1e-6)) / 2e-6], 1e-8, 'grad');
  close(jit(vmap(loss))(f64([0.7, 0.3])), [ref(0.7), ref(0.3)], 1e-15, 'vmap');
});

test('whileLoop and foriLoop with a traced bound under jit: an invariant JS-number carry stays the number', () => {
  const w = jit((n: any) => lax.whileLoop(([k]: any) => np.less(k, n), ([k, a, s]: any) => [np.add(k, 1), a, np.add(s, np.multiply(a, f64(1)))],
    [i32(0), 0.1, f64(0)]));
  const [k, a, s] = w(i32(3)) as any;
  assert.equal(vals(k)[0], 3);
  assert.equal(a, 0.1);
  close(s, [0.1 + 0.1 + 0.1], 0, 'sum of 0.1 in float64');
  const fo = jit((n: any) => lax.foriLoop(0, n, (_i: any, c: any) => c, 16777217));
  assert.equal(fo(i32(5)), 16777217);
});

test('a JS carry that only looks invariant at the first step (equal values swapped) is still carried', () => {
  // [1, 1] -> [b, a + b]: the first step returns 1 for the first leaf, as it came; the trace sees it is b
  const fib = () => lax.scan(([a, b]: any, _x: any) => [[b, np.add(a, b)], a], [1, 1], f64([0, 0, 0, 0]));
  const [[a, b], ys] = jit(fib)() as any;
  close(a, [5], 0, 'a'); close(b, [8], 0, 'b'); close(ys, [1, 1, 2, 3], 0, 'ys');
  const wf = jit(() => lax.whileLoop(([k]: any) => np.less(k, 5), ([k, p, q]: any) => [np.add(k, 1), q, np.add(p, q)], [i32(0), 1, 1]));
  const [, p, q] = wf() as any;
  close(p, [8], 0, 'while p'); close(q, [13], 0, 'while q');
});
