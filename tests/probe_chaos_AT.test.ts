// Probe AT (state after errors): a battery of reference computations is recorded first, then
// interleaved with randomly chosen failing calls (seeded, so a failure replays); after every
// failure a random part of the battery is rerun and must give the same bits, failed calls must
// throw the user's error or a CotangentError, and leave no kept tape or resident block behind.
// References: the battery's own first results in this process (the property under test is
// "the same numbers after an error"), plus closed forms (d/dx sum(exp x) = exp x).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  np, lax, grad, jvp, vjp, linearize, vmap, jit, hessian, customJvp, customVjp, checkpoint, tidy, random, linalg,
  CotangentError, TracerError, OutOfMemoryError, DeletedArrayError, keptTapeStats, residentStats, type NDArray,
} from '../ts/index.ts';

const bits = (o: any): string => {
  const parts: string[] = [];
  const walk = (v: any) => { if (Array.isArray(v)) v.forEach(walk); else { const d = v.dataSync(); parts.push(`${v.dtype}[${v.shape}]` + Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('hex')); } };
  walk(o); return parts.join('|');
};
const x5 = () => np.array([0.3, -1.2, 2.5, 0.7, -0.1]);
const big = () => np.array(Float32Array.from({ length: 20000 }, (_, i) => Math.cos(i * 0.01)), { shape: [20000] });
const f1 = (x: any) => np.sum(np.multiply(np.sin(x), np.exp(np.multiply(x, 0.3))));
const scanF = (c0: any, xs: any) => np.sum(lax.scan((c: any, x: any) => { const n = np.tanh(np.add(np.multiply(c, 0.9), x)); return [n, np.multiply(n, n)]; }, c0, xs)[1]);
const cv = customVjp((x: any) => np.exp(x), (x: any) => [np.exp(x), np.exp(x)], (r: any, g: any) => [np.multiply(r, g)]);
const jg1 = jit(grad(f1)), jscan = jit(grad(scanF)), jdon = jit((w: any) => np.multiply(w, 0.5), { donateArgnums: 0 });
const battery: (() => any)[] = [
  () => grad(f1)(x5()),
  () => jg1(x5()),
  () => jvp(f1, [x5()], [np.ones([5])]),
  () => { const [o, pb] = vjp((x: any) => np.sin(np.multiply(x, x)), x5()); return [o, pb(x5()), pb(x5())]; },
  () => { const [o, l] = linearize((x: any) => np.exp(np.sin(x)), x5()); return [o, l(x5())]; },
  () => vmap(grad((x: any) => np.sum(np.tanh(x))))(np.array([[1, 2], [3, -4]])),
  () => hessian((x: any) => np.sum(np.multiply(np.sin(x), np.cos(np.flip(x)))))(np.array([0.2, 0.5, 1.1])),
  () => [grad(scanF)(np.array([0.1, 0.2]), np.ones([3, 2])), jscan(np.array([0.1, 0.2]), np.ones([3, 2]))],
  () => jit(grad((x: any) => lax.cond(np.greater(x, 0), np.sin, np.cos, x)))(np.array(0.7)),
  () => grad((x: any) => np.sum(lax.whileLoop((s: any) => np.less(s[0], 5), (s: any) => [np.add(s[0], 1), np.sin(s[1])], [np.array(0), x])[1]))(x5()),
  () => [grad((x: any) => np.sum(cv(x)))(x5()), grad((x: any) => np.sum(checkpoint(np.sin)(x)))(x5())],
  () => [random.normal(random.PRNGKey(42), [7]), linalg.solve(np.array([[4, 1], [1, 3]]), np.array([1, 2]))],
  () => tidy(() => np.sum(np.sin(np.multiply(big(), 2)))),
  () => { let w = big(); for (let i = 0; i < 2; i++) w = jdon(w); return np.sum(w); },
];

class Boom extends Error {}
const boom = (): never => { throw new Boom(); };
const isCE = (e: unknown) => e instanceof CotangentError;
const failing: [() => unknown, (e: unknown) => boolean][] = [
  [() => grad((x: any) => { np.sin(x); boom(); })(x5()), (e) => e instanceof Boom],
  [() => vmap(() => boom())(np.ones([3, 2])), (e) => e instanceof Boom],
  [() => { let i = 0; return jit((c0: any) => lax.scan((c: any, x: any) => (i++ === 0 ? boom() : [c, x]), c0, np.ones([4])))(np.array(0.0)); }, (e) => e instanceof Boom],
  [() => grad((x: any) => np.sum(customVjp(np.sin, (y: any) => [np.sin(y), y], () => boom())(x)))(x5()), (e) => e instanceof Boom],
  [() => jvp(customJvp(np.sin, () => boom()), [x5()], [x5()]), (e) => e instanceof Boom],
  [() => jit((x: any) => lax.whileLoop(() => boom(), (c: any) => c, x))(np.array(1.0)), (e) => e instanceof Boom],
  [() => tidy(() => { np.multiply(big(), 3); boom(); }), (e) => e instanceof Boom],
  [() => jit((x: any) => np.multiply(x, x.item()))(np.array(2.0)), (e) => e instanceof TracerError],
  [() => vmap(grad(jit((x: any) => np.sum(np.add(x, np.ones([3]))))))(np.ones([4, 2])), isCE],
  [() => grad(async (x: any) => np.sum(x))(x5()), isCE],
  [() => np.zeros([1 << 29]), (e) => e instanceof OutOfMemoryError],
  [() => jit((x: any) => np.sum(np.add(np.zeros([1 << 29]), x)))(np.array(1.0)), (e) => e instanceof OutOfMemoryError],
  [() => { const [, pb] = vjp(np.sin, x5()); (pb as any).dispose(); return pb(x5()); }, isCE],
  [() => { const w = big(); jdon(w); return np.add(w, 1); }, (e) => e instanceof DeletedArrayError],
];

test('seeded chaos: 600 failing calls interleaved with the battery, which keeps its bits', () => {
  const want = battery.map((b) => bits(b()));
  let s = 270;
  const ri = (n: number) => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return (s >>> 8) % n; };
  for (let i = 0; i < 600; i++) {
    const k = ri(failing.length);
    assert.throws(failing[k][0], failing[k][1], `failing call ${k} at step ${i}`);
    for (let j = 0; j < 2; j++) { const b = ri(battery.length); assert.equal(bits(battery[b]()), want[b], `battery ${b} after failing call ${k} at step ${i}`); }
  }
});

test('failed calls keep no tape and no resident block', () => {
  for (const [f] of failing) { try { f(); } catch {} }
  const k0 = keptTapeStats().resident, r0 = residentStats().bytes;
  for (let i = 0; i < 5; i++) for (const [f] of failing) { try { f(); } catch {} }
  assert.equal(keptTapeStats().resident, k0);
  assert.equal(residentStats().bytes, r0);
});

test('a pullback whose customVjp bwd threw works on the next call; a jit whose trace threw traces again', () => {
  let on = true;
  const c = customVjp((x: any) => np.exp(x), (x: any) => [np.exp(x), np.exp(x)], (r: any, g: any) => (on ? boom() : [np.multiply(r, g)]));
  const [, pb] = vjp((x: any) => np.sum(c(x)), np.array([0.0, 1.0]));
  assert.throws(() => pb(np.array(1.0)), Boom);
  on = false;
  const g = (pb(np.array(1.0)) as NDArray[])[0].tolist() as number[];
  assert.deepEqual(g, [1, Math.fround(Math.E)]); // d/dx sum(exp x) = exp x, float32
  let fail = true;
  const jf = jit((x: NDArray) => (fail ? boom() : np.multiply(x, 3)));
  assert.throws(() => jf(np.array([1.0, 2.0])), Boom);
  fail = false;
  assert.deepEqual(jf(np.array([1.0, 2.0])).tolist(), [3, 6]);
});

test('a stack overflow inside a trace leaves the library working', () => {
  const rec = (x: any): any => rec(np.sin(x));
  const want = bits(jg1(x5())), wantEager = bits(grad(f1)(x5()));
  assert.throws(() => grad((x: any) => rec(x))(x5()), RangeError);
  assert.throws(() => jit((x: any) => rec(x))(x5()), RangeError);
  assert.equal(bits(jg1(x5())), want);
  assert.equal(bits(grad(f1)(x5())), wantEager);
});
