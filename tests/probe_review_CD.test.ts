// Review CD of the day's changes (594aff2..HEAD): rounding/sign derivatives as symbolic zeros,
// lax.pad/broadcast/concatenate axis-length checks, vmap's axisName with lax.psum, pmean, axisIndex,
// axisSize. References are closed forms or plain-JS float64, never cotangent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  np, lax, vmap, grad, jit, jvp, vjp, jacfwd, jacrev, hessian, linearize, checkpoint, wasm, NotImplementedError, ShapeError,
} from '../ts/index.ts';

const f64 = (v: unknown) => np.array(v as never, { dtype: 'float64' });
const vals = (a: any): number[] => Array.from(a.dataSync() as ArrayLike<number>, Number);
const close = (got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string) => {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const ok = Object.is(got[i], want[i]) || Math.abs(got[i] - want[i]) <= tol * Math.max(1, Math.abs(want[i]));
    assert.ok(ok, `${what}[${i}]: got ${got[i]}, want ${want[i]}`);
  }
};
const named = (f: any, name: unknown = 'i', more: object = {}) => vmap(f, { axisName: name as string, ...more });
const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);

// ------------------------------------------------------------------ no defect found (kept as regression checks)

test('sign/floor/ceil/round/trunc: a symbolic zero through jvp, grad, hessian, vmap, jit, scan, cond, while (closed forms)', () => {
  const X = [0.3, -1.7, 2.5];
  const ops: [string, (v: any) => any, (v: number) => number][] = [
    ['sign', np.sign, Math.sign], ['floor', np.floor, Math.floor], ['ceil', np.ceil, Math.ceil],
    ['round', np.round, (v) => { const r = Math.round(v); return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r; }], ['trunc', np.trunc, Math.trunc],
  ];
  const x = f64(X), zeros = X.map(() => 0), ones = np.onesLike(x);
  for (const [n, op, js] of ops) {
    // d/dx (op(x) * x) = op(x); d2/dx2 (op(x) x^2) = 2 op(x)
    close(vals(grad((v: any) => np.sum(np.multiply(op(v), v)))(x)), X.map(js), 0, `${n} grad`);
    close(vals(jit(vmap(grad((v: any) => np.multiply(op(v), v))))(x)), X.map(js), 0, `${n} jit vmap grad`);
    close(vals(jvp(op, [x], [ones])[1]), zeros, 0, `${n} jvp`);
    close(vals(linearize(op, x)[1](ones)), zeros, 0, `${n} linearize`);
    close(vals(vjp(op, x)[1](ones)[0]), zeros, 0, `${n} vjp`);
    close(vals(jacrev(op)(x)), Array(9).fill(0), 0, `${n} jacrev`);
    const H = vals(hessian((v: any) => np.sum(np.multiply(op(v), np.square(v))))(x));
    close(H, [0, 1, 2, 3, 4, 5, 6, 7, 8].map((k) => (k % 4 === 0 ? 2 * js(X[k / 4]) : 0)), 0, `${n} hessian`);
    // scan carry c <- op(c) + v: tangent 1 each step; cond: the op branch 0, the sin branch cos
    close(vals(jvp((v: any) => lax.scan((c: any, _: any) => [np.add(op(c), v), null], v, null, { length: 3 })[0], [x], [ones])[1]), [1, 1, 1], 0, `${n} scan`);
    close(vals(jit(vmap(grad((v: any) => lax.cond(np.greater(v, 0), op, np.sin, v))))(x)), X.map((v) => (v > 0 ? 0 : Math.cos(v))), 1e-15, `${n} cond`);
    const wl = (v: any) => lax.whileLoop((c: any) => np.less(c[0], 3), (c: any) => [np.add(c[0], 1), np.multiply(op(c[1]), c[1])], [f64(0), v])[1];
    const jsW = (v: number) => { let c = v; for (let k = 0; k < 3; k++) c = js(c) * c; return c; };
    const dW = (v: number) => { let c = v, d = 1; for (let k = 0; k < 3; k++) { d = js(c) * d; c = js(c) * c; } return d; };
    close(vals(jvp(wl, [x], [ones])[1]), X.map(dW), 1e-15, `${n} while jvp`);
    close(vals(jit((v: any) => jvp(wl, [v], [np.onesLike(v)])[0])(x)), X.map(jsW), 1e-15, `${n} while value`);
    close(vals(grad(checkpoint((v: any) => np.sum(np.multiply(op(v), np.exp(v)))))(x)), X.map((v) => js(v) * Math.exp(v)), 1e-15, `${n} checkpoint`);
  }
  // complex sign: zero derivative (JAX's defjvp_zero), so Re(sign(z) conj(z)) = |z| has abs's gradient, conj(z)/|z|
  const z = np.array([{ re: 3, im: 4 }, { re: -1, im: 0.5 }], { dtype: 'complex128' });
  const g = grad((v: any) => np.sum(np.real(np.multiply(np.sign(v), np.conj(v)))))(z).tolist() as { re: number; im: number }[];
  close(g.flatMap((c) => [c.re, c.im]), [0.6, -0.8, -1 / Math.sqrt(1.25), -0.5 / Math.sqrt(1.25)], 1e-15, 'complex sign');
});

test('named axes where no defect was found: psum over an outer name from vmap(jit(vmap)) and nested jitted scans; gradient of an unmapped argument', () => {
  const M = f64([[1, 2], [3, 4], [5, 6]]), cols = [[9, 12], [9, 12], [9, 12]];
  const inner = (v: any) => lax.psum(v, 'i');
  assert.deepEqual(named(jit((r: any) => vmap(inner)(r)))(M).tolist(), cols);
  const nested = (r: any) => lax.scan((c: any, _: any) => [vmap((u: any) => lax.scan((d: any, __: any) => [lax.psum(d, 'i'), null], u, null, { length: 1 })[0])(c), null], r, null, { length: 1 })[0];
  assert.deepEqual(jit(named(nested))(M).tolist(), cols);
  // h_i = x_i psum(w), w unmapped: vmap(grad wrt w) = sum_i dh_i/dw_copy = S; vmap(jacfwd wrt w) = B x_j (JAX's)
  const h = (x: any, w: any) => np.multiply(x, lax.psum(w, 'i'));
  assert.deepEqual(vmap(grad(h, 1), { axisName: 'i', inAxes: [0, null] })(f64([1, 2, 3]), f64(0.5)).tolist(), [6, 6, 6]);
  assert.deepEqual(vmap(jacfwd(h, 1), { axisName: 'i', inAxes: [0, null] })(f64([1, 2, 3]), f64(0.5)).tolist(), [3, 6, 9]);
  // vmap_i(vmap(hessian)) of sin(x) psum_i(x^2), closed form per column j: -sin(x) Q + 2 cos(x) S + 2 s + 2 x c
  const hh = (v: any) => np.multiply(np.sin(v), lax.psum(np.square(v), 'i'));
  const Mj = [[1, 2], [3, 4], [5, 6]];
  const want = Mj.flatMap((row) => row.map((x, j) => {
    const col = Mj.map((r) => r[j]);
    const Q = sum(col.map((v) => v * v)), S = sum(col), s = sum(col.map(Math.sin)), c = sum(col.map(Math.cos));
    return -Math.sin(x) * Q + 2 * Math.cos(x) * S + 2 * s + 2 * x * c;
  }));
  close(vals(jit(vmap(vmap(hessian(hh)), { axisName: 'i' }))(M)), want, 1e-13, 'jit vmap_i(vmap(hessian))');
  close(vals(vmap(vmap(hessian(hh)), { axisName: 'i' })(M)), want, 1e-13, 'vmap_i(vmap(hessian))');
});

// ------------------------------------------------------------------ defects

// FIXED (assembly/ad/vmap.ts dropClosedPairs): vmap's level ids wrap past 0xffffff (vmapEnter), and the wrap
// emptied the (level, base) pairs table (nPairs = 0): a pair a host batching rule registered for a level still open
// was lost, so a psum in a nested jitted scan under a named vmap counted as 'not varying' (size * x). Reached after
// ~16.7M vmap levels (every vmap call, and every jitted loop/branch batched under one, takes an id): a
// long-running program. The ids are burned here through the wasm exports.
test('level-id wrap inside nested host batching rules: psum in a nested jitted scan stays a sum', () => {
  const w = wasm() as any;
  const burnTo = (target: number) => { for (;;) { const d = w.transforms_depth(); const id = w.vmap_enter(1); w.transforms_unwind(d); if (id >= target) return; } };
  const scen = (r: any) => lax.scan((c: any, _: any) => [lax.scan((d: any, __: any) => [np.add(d, lax.psum(d, 'i')), null], c, null, { length: 1 })[0], null], r, null, { length: 1 })[0];
  const run = () => jit(vmap(scen, { axisName: 'i' }))(f64([1, 2, 3])).tolist();
  // c = x + sum(x) = [7, 8, 9], whichever level the wrap falls on
  const bad: string[] = [];
  for (let off = 0; off <= 3; off++) {
    burnTo(0xffffff - off);
    const got = run();
    if (JSON.stringify(got) !== '[7,8,9]') bad.push(`wrap at offset ${off}: ${JSON.stringify(got)}`);
    burnTo(0xffffff);
  }
  assert.deepEqual(bad, []);
});

// FIXED (ts/api/transforms/vmap.ts, the named axis opened inside the try): openNamedAxis's iota can throw
// (OutOfMemoryError for a large axisSize) after vmap_enter and before the try, so the wasm level stayed open
// (transforms_depth 1 at top level after the error).
test('a named vmap whose axis iota cannot be made closes its level', () => {
  // (the iota of an axis past 2^20 examples is made by axisIndex: out of memory here, inside f)
  assert.throws(() => vmap(() => lax.axisIndex('k'), { axisSize: 2 ** 30, axisName: 'k' })());
  assert.equal(wasm().transforms_depth(), 0);
  assert.deepEqual(named((v: any) => lax.psum(v, 'i'))(f64([1, 2])).tolist(), [3, 3]);
});

// FIXED (ts/api/collectives.ts: past 2^20 examples the iota waits for axisIndex): every named vmap allocated an
// int32 iota of its size, used or not, so a named vmap with a large axisSize and an unmapped result failed where
// the same vmap without the name returns.
test('a large named vmap that never reads axisIndex works as the unnamed one', () => {
  assert.deepEqual(vmap(() => f64(1), { axisSize: 2 ** 30, outAxes: null })().tolist(), 1);
  assert.deepEqual(vmap(() => f64(1), { axisSize: 2 ** 30, outAxes: null, axisName: 'k' })().tolist(), 1);
});

// FIXED (ts/api/collectives.ts psumCount: counts psums over the names open at the call, per frame): a psum over
// a named vmap opened INSIDE an eager batched while body (summing within one example of the loop's level) sent
// the loop to jit's row path, whose reverse mode is refused: grad threw NotImplementedError ('... under a named
// vmap whose predicate differs per example ...', though no named vmap was around the loop).
test('eager batched whileLoop whose body psums over an inner named vmap: grad walks the steps', () => {
  // body c -> 1.5 c + 0.1 sum(c) (c a vector of 2, the sum by psum over 'j'): d sum(c_k)/dx = 1.7^k
  const body = (c: any) => np.add(np.multiply(c, 1.5), vmap((u: any) => np.multiply(0.1, lax.psum(u, 'j')), { axisName: 'j' })(c));
  const loop = (x: any, lim: any) => lax.whileLoop((c: any) => np.less(np.sum(c), lim), body, x);
  const X = [[1, 2], [0.5, 0.25], [3, 4]], L = [10, 5, 8];
  const steps = X.map((x, i) => { let c = x.slice(), k = 0; while (sum(c) < L[i]) { const s = sum(c); c = c.map((v) => 1.5 * v + 0.1 * s); k++; } return k; });
  const g = grad((x: any) => np.sum(vmap(loop)(x, f64(L))))(f64(X));
  close(vals(g), steps.flatMap((k) => [1.7 ** k, 1.7 ** k]), 1e-14, 'grad');
  // the same under an outer name too (the psum is still over the inner 'j')
  close(vals(named(grad((x: any, l: any) => np.sum(loop(x, l))))(f64(X), f64(L))), steps.flatMap((k) => [1.7 ** k, 1.7 ** k]), 1e-14, 'named vmap(grad)');
  // a psum over the loop's own named level still takes the row path (reverse mode refused, as documented)
  const loopI = (x: any, lim: any) => lax.whileLoop((c: any) => np.less(np.sum(c), lim), (c: any) => np.add(c, lax.psum(c, 'i')), x);
  assert.throws(() => named(grad((x: any, l: any) => np.sum(loopI(x, l))))(f64(X), f64(L)), NotImplementedError);
});

// lax.pad of an empty x whose result shape is legal (every axis < 2^31) fails on an intermediate of its
// interior-padding construction (reshape to n * (k + 1)) or of its pad-then-crop order, naming shapes the
// caller never asked for. JAX: pad([2, 0], interior 2^30 on axis 0) is shape [2^30 + 2, 0].
// FIXED (ts/api/lax_more.ts pad: an empty operand or result is the fill itself).
test('lax.pad with a legal but large result shape on an empty operand', () => {
  assert.deepEqual(lax.pad(np.zeros([2, 0], 'float32'), 0, [[0, 0, 2 ** 30], [0, 0, 0]]).shape, [2 ** 30 + 2, 0]);
  assert.deepEqual(lax.pad(np.zeros([3], 'float32'), 0, [[-(2 ** 31), 2 ** 31, 0]]).shape, [3]);
  // (XLA: the window starts past x, so only padding is left)
  assert.deepEqual(lax.pad(np.array([1, 2, 3], { dtype: 'float32' }), 9, [[-(2 ** 31), 2 ** 31, 0]]).tolist(), [9, 9, 9]);
  assert.deepEqual(lax.pad(np.array([1, 2, 3], { dtype: 'float32' }), 9, [[2 ** 31 - 2, -(2 ** 31 - 3), 0]]).tolist(), [9, 9, 9, 9]);
});

// lax.pad now takes the window of (lo fills, x woven with interior fills, hi fills) part by part; every
// small case against a plain-JS reading of XLA's Pad (interior first, then lo/hi, negative ones crop),
// its values eager and jitted, and the gradient wrt x and the padding value (each x element marked).
test('lax.pad against XLA\'s semantics, every lo/hi in [-5, 3], interior 0-2, length 0-4: values, jit, grad', () => {
  const ref = (x: number[], v: number, lo: number, hi: number, k: number): number[] => {
    const P: number[] = [];
    x.forEach((e, i) => { P.push(e); if (i < x.length - 1) for (let j = 0; j < k; j++) P.push(v); });
    let out = [...Array(Math.max(lo, 0)).fill(v), ...P, ...Array(Math.max(hi, 0)).fill(v)];
    if (lo < 0) out = out.slice(-lo);
    if (hi < 0) out = out.slice(0, out.length + hi);
    return out;
  };
  let cases = 0;
  for (let len = 0; len <= 4; len++) for (let lo = -5; lo <= 3; lo++) for (let hi = -5; hi <= 3; hi++) for (let k = 0; k <= 2; k++) {
    if (lo + hi + (len === 0 ? 0 : len + (len - 1) * k) < 0) continue;
    const X = Array.from({ length: len }, (_, i) => i + 1), cfg: [number, number, number][] = [[lo, hi, k]];
    const want = ref(X, -7, lo, hi, k), what = `len ${len} [${lo}, ${hi}, ${k}]`;
    assert.deepEqual(vals(lax.pad(f64(X), -7, cfg)), want, what);
    assert.deepEqual(vals(jit((a: any) => lax.pad(a, -7, cfg))(f64(X))), want, `${what} jit`);
    if (len === 0) continue;
    const w = want.map((_, i) => i + 0.5), mark = ref(X.map((_, i) => 1000 + i), -1, lo, hi, k);
    const [gx, gv] = grad((a: any, pv: any) => np.sum(np.multiply(f64(w), lax.pad(a, pv, cfg))), { argnums: [0, 1] })(f64(X), f64(-7)) as any;
    assert.deepEqual(vals(gx), X.map((_, i) => sum(mark.map((m, j) => (m === 1000 + i ? w[j] : 0)))), `${what} d/dx`);
    assert.equal(gv.item(), sum(mark.map((m, j) => (m === -1 ? w[j] : 0))), `${what} d/dpaddingValue`);
    cases++;
  }
  assert.equal(cases, 676); // (the loop ran: every non-empty x)
  // two axes at once, and per example under vmap
  const X2 = f64([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(lax.pad(X2, 0, [[1, -1, 1], [-2, 1, 2]]).tolist(), [[0, 0, 0, 0, 0, 0], [0, 2, 0, 0, 3, 0], [0, 0, 0, 0, 0, 0]]);
  assert.deepEqual(vmap((r: any) => lax.pad(r, 0, [[-2, 1, 2]]))(X2).tolist(), [[0, 2, 0, 0, 3, 0], [0, 5, 0, 0, 6, 0]]);
});

test('axis-length checks: ShapeErrors past 2^31 - 1, the limit itself allowed', () => {
  assert.throws(() => lax.broadcast(np.zeros([0], 'float32'), [2 ** 32]), ShapeError);
  assert.deepEqual(lax.broadcast(np.zeros([0], 'float32'), [2 ** 31 - 1]).shape, [2 ** 31 - 1, 0]);
  assert.throws(() => lax.concatenate([np.zeros([2 ** 31 - 1, 0], 'float32'), np.zeros([1, 0], 'float32')], 0), ShapeError);
  assert.throws(() => vmap((a: any) => lax.concatenate([a, a], 0))(np.zeros([2, 2 ** 30, 0], 'float32')), ShapeError);
  assert.deepEqual(lax.pad(np.zeros([0, 0], 'float32'), 0, [[0, 2 ** 31 - 1, 0], [0, 0, 0]]).shape, [2 ** 31 - 1, 0]);
  assert.throws(() => lax.pad(np.zeros([0, 0], 'float32'), 0, [[0, 2 ** 31, 0], [0, 0, 0]]), ShapeError);
});

// FIXED (ts/api/np_rearrange.ts repeat: one count is no longer spread into a list of n): np.repeat of an axis of
// 2^30 empty rows built a JS array of 2^30 counts, and Node aborted with a JS-heap out-of-memory.
test('np.repeat of a long empty axis: the shape rule, with no list of counts', () => {
  assert.throws(() => np.repeat(np.zeros([2 ** 30, 0]), 4, 0), (e: any) => e instanceof ShapeError && /np\.repeat: result shape \[4294967296,0\]/.test(e.message));
  assert.deepEqual(np.repeat(np.zeros([2 ** 30, 0]), 1, 0).shape, [2 ** 30, 0]);
  assert.deepEqual(np.repeat(np.zeros([2 ** 29, 0]), [2], 0).shape, [2 ** 30, 0]);
  assert.deepEqual(np.repeat(np.zeros([0, 3]), 2, 0).shape, [0, 3]);
  assert.deepEqual(np.repeat(f64([1, 2, 3]), [2]).tolist(), [1, 1, 2, 2, 3, 3]); // (numpy broadcasts a one-entry list)
});
