// Memory flatness without dispose() or tidy, per kind of call (helper-258's probe): short loops
// after a warm-up must not grow wasm memory, must not leave kept tapes behind (for calls whose
// pullbacks never escape) and must keep the resident bytes within the budget in force.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  np, lax, linalg, random, tree, grad, valueAndGrad, jvp, vjp, linearize, jacfwd, jacrev, hessian, vmap, jit,
  checkGrads, customJvp, customVjp, checkpoint, makeJaxpr, wasm, keptTapeStats, residentStats,
} from '../ts/index.ts';

// checkGrads made a vjp pullback (a kept tape at top level) per reverse check and never freed
// it: 1 per call at order 1, 15 at order 2 (the default), 77 at order 3, all held until the
// kept-tape budget (64 MiB) evicted them, with a finalization registration each in the JS heap.
test('checkGrads frees the pullbacks it makes: a loop of checkGrads calls keeps no kept tapes', () => {
  const x = np.array([0.1, 0.2], { dtype: 'float64' });
  const f = (v: any) => np.sum(np.sin(v));
  for (const order of [1, 2, 3]) {
    checkGrads(f, [x], { order });
    const before = keptTapeStats().resident;
    for (let i = 0; i < 5; i++) checkGrads(f, [x], { order });
    assert.equal(keptTapeStats().resident - before, 0, `order ${order}: kept tapes left by 5 checkGrads calls`);
  }
  // still catches a wrong rule after the change (the pullback is read before it is freed)
  const bad = customVjp((v: any) => np.sin(v), (v: any) => [np.sin(v), v], (r: any, g: any) => [np.multiply(np.sin(r), g)]);
  assert.throws(() => checkGrads((v: any) => np.sum(bad(v)), [x], { order: 1, modes: ['rev'] }), /VJP/);
  assert.throws(() => checkGrads((v: any) => np.sum(bad(v)), [x], { order: 2, modes: ['rev'] }), /VJP/);
});

// makeJaxpr(f)(x) made a jit of f per call and kept its program (2 kept tapes) to print it once.
test('makeJaxpr(f)(x) in a loop keeps no programs: it frees them once printed', () => {
  const x = np.array([0.1, 0.2], { dtype: 'float64' });
  const g = (v: any) => np.sum(np.tanh(v));
  const first = makeJaxpr(g)(x);
  const before = keptTapeStats().resident;
  for (let i = 0; i < 20; i++) assert.equal(makeJaxpr(g)(x), first);
  const mg = makeJaxpr(g, { optimized: true });
  assert.equal(mg(x), mg(x)); // called again: traced again, the same text
  assert.equal(keptTapeStats().resident - before, 0, 'kept tapes left by makeJaxpr');
  assert.match(first, /tanh/);
});

const small = np.array([0.1, -0.2, 0.3, 0.4], { dtype: 'float32' });
const big = np.multiply(np.linspace(-1, 1, 32768, { dtype: 'float32' }), 1); // 128 KiB: resident
const big64 = np.linspace(-1, 1, 16384, { dtype: 'float64' });
const M = np.reshape(np.sin(np.arange(16, 'float64')), [4, 4]);
const SPD = np.add(np.matmul(M, np.transpose(M)), np.multiply(np.eye(4, { dtype: 'float64' }), 4));
const b4 = np.array([1, 2, 3, 4], { dtype: 'float64' });
const f = (x: any) => np.sum(np.tanh(np.multiply(x, x)));
const fv = (x: any) => np.tanh(np.multiply(x, 2));
const cj = customJvp((x: any) => np.sin(x), ([x]: any[], [t]: any[]) => [np.sin(x), np.multiply(np.cos(x), t)]);
const cv = customVjp((x: any) => np.sin(x), (x: any) => [np.sin(x), x], (r: any, g: any) => [np.multiply(np.cos(r), g)]);
const cvBad = customVjp((x: any) => np.sin(x), (x: any) => [np.sin(x), x], () => { throw new Error('bwd boom'); });
const jf = jit(f);
const jdon = jit((x: any) => np.multiply(x, 1.0001), { donateArgnums: 0 });
let donState: any = np.multiply(np.ones([32768]), 1);
let key: any = random.key(0);
const scanF = (xs: any) => lax.scan((c: any, x: any) => [np.add(c, np.sin(x)), np.multiply(c, x)], np.array(0, { dtype: 'float32' }), xs)[0];
const whileF = (x: any) => lax.whileLoop((s: any) => np.less(s[0], 10), (s: any) => [np.add(s[0], 1), np.multiply(s[1], 1.01)], [np.array(0, { dtype: 'int32' }), x])[1];
const condF = (x: any) => lax.cond(np.greater(np.sum(x), 0), (v: any) => np.sin(v), (v: any) => np.cos(v), x);
const jScan = jit(scanF), jCond = jit(condF);
const ck = checkpoint((x: any) => np.sin(np.sin(x)));
const swallow = (fn: () => unknown) => { try { fn(); } catch { /* the error is the point; the next call must work */ } };

// [name, call, iterations, whether each call may keep a tape (a dropped pullback or linear function)]
const kinds: [string, () => unknown, number, boolean][] = [
  ['eager small', () => np.add(np.multiply(small, 2), np.sin(small)), 300, false],
  ['eager large', () => np.add(np.multiply(big, 2), np.sin(big)), 150, false],
  ['logsumexp/gelu/i0 large', () => [np.logsumexp(big64), np.gelu(big64), np.i0(big64)], 40, false],
  ['norm/einsum/sort', () => [linalg.norm(M, 2), np.einsum('ij,jk->ik', M, M), np.sort(big)], 60, false],
  ['grad/valueAndGrad/jvp', () => [grad(f)(small), valueAndGrad(f)(small), jvp(f, [small], [small])], 200, false],
  ['jacfwd/jacrev/hessian/vmap', () => [jacfwd(fv)(small), jacrev(fv)(small), hessian(f)(small), vmap(fv)(np.reshape(small, [2, 2]))], 60, false],
  ['jit same, jit donate', () => { donState = jdon(donState); return jf(small); }, 300, false],
  ['jit new shape each call (cache bounded)', (() => { let i = 0; return () => jf(np.ones([(i++ % 200) + 1])); })(), 300, false],
  ['random split and draws', () => { const [a, b] = random.split(key); key = a; return [random.normal(b, [8]), random.uniform(b, [32768])]; }, 150, false],
  ['linalg and grads', () => [linalg.solve(SPD, b4), linalg.eigh(SPD), linalg.svd(M), linalg.inv(SPD), linalg.det(SPD), linalg.cholesky(SPD),
    grad((A: any) => np.add(np.sum(linalg.solve(A, b4)), linalg.det(A)))(SPD)], 60, false],
  ['scan/while/cond eager, jitted, grad', () => [scanF(small), whileF(small), condF(small), jScan(small), jCond(small), grad(scanF)(small)], 60, false],
  ['customJvp/customVjp/checkpoint', () => [grad((x: any) => np.sum(cj(x)))(small), grad((x: any) => np.sum(cv(x)))(small), grad((x: any) => np.sum(ck(x)))(small)], 150, false],
  ['checkGrads', () => checkGrads((x: any) => np.sum(np.sin(x)), [np.array([0.1, 0.2], { dtype: 'float64' })]), 20, false],
  ['errors mid-call then normal calls', () => {
    swallow(() => np.add(np.ones([3]), np.ones([4])));
    swallow(() => grad((x: any) => { np.sin(x); return np.sum(np.add(x, np.ones([5]))); })(big));
    swallow(() => jit((x: any) => { if ((np.sum(x) as any) > 0) return x; return x; })(small));
    swallow(() => grad((x: any) => np.sum(cvBad(x)))(small));
    return grad(f)(small);
  }, 100, false],
  ['toString and tree utilities', () => {
    const t = { a: small, b: [small, { c: small }] };
    const [lv, st] = tree.flatten(t);
    return [String(np.multiply(small, 3)), tree.unflatten(st, lv), tree.map((v: any) => np.add(v, 1), t)];
  }, 200, false],
  ['dropped vjp pullbacks and linearized functions', () => [vjp(fv, small)[1](small), linearize(fv, small)[1](small)], 300, true],
];

for (const [name, call, n, keeps] of kinds) {
  test(`memory stays flat without dispose: ${name}`, () => {
    for (let i = 0; i < Math.max(20, n / 2); i++) call(); // warm up: arena, budgets and caches settle
    const mem = wasm().memory.buffer.byteLength, kept = keptTapeStats().resident;
    for (let i = 0; i < n; i++) call();
    assert.equal(wasm().memory.buffer.byteLength - mem, 0, `${name}: wasm memory grew`);
    const r = residentStats();
    assert.ok(r.bytes <= r.budget, `${name}: ${r.bytes} resident bytes over the budget ${r.budget}`);
    const k = keptTapeStats();
    if (!keeps) assert.equal(k.resident - kept, 0, `${name}: kept tapes left behind`);
    assert.ok(k.residentBytes <= k.budget && k.registered <= k.resident, `${name}: kept tapes ${JSON.stringify(k)}`);
  });
}
