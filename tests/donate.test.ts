// jit's donateArgnums (JAX's donate_argnums): a top-level call deletes the donated arguments'
// Arrays, and may write its results into their resident blocks (assembly/ad/donate.ts). These
// tests check the semantics (what is deleted, what a deleted Array still allows, the errors, the
// argnum rules, transforms), that results are the bits of a call without donation (the MLP's SGD
// step, outputs that are an input, an Array passed twice), that unsafe in-place writes are
// refused, and the payoff: a donated SGD loop updates its parameters in place, with flat memory
// and no eviction copies, where the same loop without donation copies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import {
  np, jit, grad, vmap, vjp, random, wasm, tree, residentStats, CotangentError, DeletedArrayError, ValueError, NDArray,
} from '../ts/index.ts';
import { RESIDENT_MIN_BYTES, residentBytes, setResidentMinBytes } from '../ts/core/resident.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const N = 1 << 16; // 256 KiB of float32: resident
const ramp = (n: number, a = 1, b = 0) => Float32Array.from({ length: n }, (_, i) => Math.sin(a * i + b));
/** A resident Array (the result of a top-level op): its block's address. */
const resident = (data: Float32Array, shape?: number[]) => np.add(np.array(data, shape ? { shape } : {}), 0);
const blockOf = (a: NDArray): number => ((a as any)._block !== null ? (a as any)._block.token.ptr : 0);
const bits = (a: NDArray) => Buffer.from(a.dataSync().buffer);
const same = (what: string, got: NDArray, want: NDArray) => {
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  assert.equal(got.dtype, want.dtype, `${what}: dtype`);
  assert.ok(bits(got).equals(bits(want)), `${what}: different bits`);
};

test('a top-level call deletes every Array leaf of the donated arguments, and only those', () => {
  const f = (p: { w: NDArray; b: NDArray[] }, x: NDArray, s: number) => np.add(np.multiply(p.w, x), np.multiply(np.sum(p.b[0]), s));
  const jf = jit(f, { donateArgnums: [0, 2] });
  const p = { w: resident(ramp(N)), b: [np.array([1, 2, 3]), np.array(4)] }; // resident and JS-memory leaves
  const x = resident(ramp(N, 0.5));
  const want = f(p, x, 2);
  const out = jf(p, x, 2); // a JS number at a donated position: nothing to delete
  same('result', out, want);
  assert.ok(p.w.isDeleted() && p.b[0].isDeleted() && p.b[1].isDeleted(), 'the donated tree');
  assert.ok(!x.isDeleted() && !out.isDeleted(), 'the other argument and the result');
  same('the other argument still reads', np.multiply(x, 1), np.multiply(np.array(ramp(N, 0.5)), 1));
  // lower() and makeJaxpr read shapes only: nothing is deleted.
  const q = { w: resident(ramp(N)), b: [np.array([1, 2, 3]), np.array(4)] };
  jf.lower(q, x, 2).asText();
  assert.ok(!q.w.isDeleted());
});

test('a deleted Array: shape and dtype stay readable; any read of its values throws a DeletedArrayError naming the call, the argument and the donation', () => {
  const jf = jit(function step(a: NDArray, x: NDArray) { return np.add(a, x); }, { donateArgnums: 1 });
  const x = resident(ramp(N), [256, 256]);
  jf(np.ones([256, 256]), x);
  assert.ok(x.isDeleted());
  assert.deepEqual(x.shape, [256, 256]);
  assert.equal(x.dtype, 'float32');
  assert.equal(x.ndim, 2);
  assert.equal(x.size, N);
  const uses: [string, () => unknown][] = [
    ['dataSync', () => x.dataSync()], ['tolist', () => x.tolist()], ['item', () => np.sum(x).item()],
    ['toString', () => x.toString()], ['String', () => `${x}`], ['JSON', () => JSON.stringify(x)],
    ['an op', () => np.add(x, 1)], ['np.array', () => np.array(x)], ['reshape to its shape', () => np.reshape(x, [256, 256])],
    ['reshape', () => np.reshape(x, [-1])], ['iteration', () => [...x]], ['get', () => x.get(0)],
    ['grad', () => grad((v: NDArray) => np.sum(v))(x)], ['vmap', () => vmap(np.sin)(x)], ['vjp', () => vjp(np.sin, x)],
    ['jit', () => jit(np.sin)(x)], ['the same jit', () => jf(np.ones([256, 256]), x)], ['a closure', () => jit((v: NDArray) => np.add(v, x))(np.ones([256, 256]))],
  ];
  for (const [what, use] of uses) {
    assert.throws(use, (e: unknown) => {
      assert.ok(e instanceof DeletedArrayError && e instanceof CotangentError, `${what}: ${String(e)}`);
      assert.match((e as Error).message, /float32\[256,256\] Array was deleted: it was donated to jit\(step\) as argument 1 \(donateArgnums\)/, what);
      return true;
    }, what);
  }
  assert.ok(String((x as any)[Symbol.for('nodejs.util.inspect.custom')]()).includes('<deleted: donated to jit(step) as argument 1>'));
  // A jitted function refuses a deleted argument before tracing anything.
  const fresh = jit(function g(a: NDArray) { return np.sin(a); });
  assert.throws(() => fresh(x), /^DeletedArrayError: jit\(g\): argument 0: this float32\[256,256\] Array was deleted/);
  assert.equal(fresh.traceCount, 0);
  return assert.rejects(x.data(), DeletedArrayError);
});

test('a deleted Array a jitted function closes over: the error says it is the closed-over one, not an argument', () => {
  const c = np.ones([128, 128]); // resident (64 KiB): bound at each call, not baked in
  const model = jit(function model(a: NDArray) { return np.add(a, c); });
  model(np.ones([128, 128]));
  jit(function step(a: NDArray) { return np.multiply(a, 2); }, { donateArgnums: 0 })(c);
  assert.throws(() => model(np.ones([128, 128])),
    /^DeletedArrayError: jit\(model\): an Array the function closes over \(a constant of its program\): this float32\[128,128\] Array was deleted: it was donated to jit\(step\) as argument 0/);
  const d = np.ones([128, 128]);
  const stepD = jit(function stepD(a: NDArray) { return np.add(a, d); }, { donateArgnums: 0 });
  stepD(np.ones([128, 128]));
  stepD(d); // d donated to the function that closes over it: the result is right, d deleted
  assert.throws(() => stepD(np.ones([128, 128])), /^DeletedArrayError: jit\(stepD\): an Array the function closes over/);
});

test('argnums: negative ones count from the end; out of range ones are a ValueError at jit() for a function of known parameters, left out at a call for a rest parameter; overlap with staticArgnums is an error', () => {
  const f = (a: NDArray, b: NDArray) => np.subtract(a, b);
  const a = np.array([1, 2]), b = np.array([3, 4]);
  jit(f, { donateArgnums: -1 })(a, b);
  assert.ok(!a.isDeleted() && b.isDeleted(), '-1 is the last argument');
  // as JAX's jit (api_util._validate_argnums): outside -2..1 for a function of two parameters
  assert.throws(() => jit(f, { donateArgnums: [2, -3] }), (e: unknown) =>
    e instanceof ValueError && /^jit: donateArgnums 2, -3 are out of range for f, which declares 2 parameters/.test((e as Error).message));
  const c = np.array([1, 2]), d = np.array([3, 4]);
  jit((...xs: NDArray[]) => np.subtract(xs[0], xs[1]), { donateArgnums: [2, -3] })(c, d); // (JAX's *args: past a call's arguments, left out)
  assert.ok(!c.isDeleted() && !d.isDeleted());
  assert.throws(() => jit(f, { staticArgnums: 1, donateArgnums: [0, 1] }), (e: unknown) =>
    e instanceof ValueError && /\[1\] are in both staticArgnums \[1\] and donateArgnums \[0,1\]/.test((e as Error).message));
  // through a negative index: at jit() where f declares its parameters, at the call for a rest parameter
  assert.throws(() => jit((x: NDArray, n: number) => np.multiply(x, n), { staticArgnums: 1, donateArgnums: -1 }),
    /jit: argnums \[1\] are in both staticArgnums \[1\] and donateArgnums \[-1\]/);
  const mixed = jit((...xs: any[]) => np.multiply(xs[0], xs[1]), { staticArgnums: 1, donateArgnums: -1 });
  const e = np.array([1, 2]);
  assert.throws(() => mixed(e, 2), /jit\(\w+\): argument 1 of 2 is both static .* and donated/);
  assert.ok(!e.isDeleted(), 'a call refused before it ran deletes nothing');
  assert.throws(() => jit(f, { donateArgnums: 0.5 }), /donateArgnums: argnums must be integers/);
  assert.throws(() => jit(f, { donateArgnums: '0' as any }), /donateArgnums: argnums must be integers/);
  // staticArgnums takes negative indices too.
  const g = jit((x: NDArray, cfg: { k: number }) => np.multiply(x, cfg.k), { staticArgnums: -1 });
  same('negative static', g(np.array([1, 2]), { k: 3 }), np.array([3, 6]));
});

test('a call that fails before it runs (tracing) deletes nothing; the library stays usable', () => {
  const bad = jit((x: NDArray) => np.add(x, np.ones([3])), { donateArgnums: 0 });
  const x = resident(ramp(N), [N]);
  assert.throws(() => bad(x));
  assert.ok(!x.isDeleted());
  same('x after the failed call', np.multiply(x, 1), np.multiply(np.array(ramp(N)), 1));
});

test('under an enclosing transform (grad, vmap, vjp, jit in jit) nothing is donated', () => {
  const inner = jit((v: NDArray) => np.multiply(np.sin(v), v), { donateArgnums: 0 });
  const x = resident(ramp(N));
  const g = grad((v: NDArray) => np.sum(inner(v)))(x);
  same('grad of a donating jit', g, grad((v: NDArray) => np.sum(np.multiply(np.sin(v), v)))(x));
  vmap(inner)(x);
  vjp(inner, x);
  const outer = jit((v: NDArray) => inner(np.add(v, 1)));
  same('jit of a donating jit', outer(x), np.multiply(np.sin(np.add(x, 1)), np.add(x, 1)));
  // A concrete Array passed to the donating jit inside another transform's function: kept.
  const k = resident(ramp(N, 0.3));
  grad((v: NDArray) => np.sum(np.multiply(inner(k), v)))(x);
  assert.ok(!x.isDeleted() && !k.isDeleted());
  // The outer function's own donation applies to its own arguments.
  const donatingOuter = jit((v: NDArray) => inner(np.add(v, 1)), { donateArgnums: 0 });
  const y = resident(ramp(N));
  same('donating jit of a donating jit', donatingOuter(y), np.multiply(np.sin(np.add(x, 1)), np.add(x, 1)));
  assert.ok(y.isDeleted() && !x.isDeleted());
});

test('an output that is a donated input stays a valid Array (x => x, x => [x, x], a tree returned as is), resident or not', () => {
  for (const n of [N, 8]) {
    const id = jit((x: NDArray) => x, { donateArgnums: 0 });
    const x = resident(ramp(n)), ptr = blockOf(x);
    const y = id(x);
    assert.ok(x.isDeleted() && !y.isDeleted());
    same(`x => x, n ${n}`, y, np.array(ramp(n)));
    if (n === N) assert.equal(blockOf(y), ptr, 'the output took the donated storage over: no copy');
    const twice = jit((v: NDArray) => [v, v], { donateArgnums: 0 });
    const [a, b] = twice(y);
    assert.ok(y.isDeleted() && a !== b);
    same(`[x, x] first, n ${n}`, a, np.array(ramp(n)));
    same(`[x, x] second, n ${n}`, b, np.array(ramp(n)));
    // Donating one of the two later leaves the other intact.
    jit((v: NDArray) => np.negative(v), { donateArgnums: 0 })(a);
    same(`the other output after the first was donated, n ${n}`, b, np.array(ramp(n)));
    const pass = jit((p: { w: NDArray }, s: NDArray) => ({ w: p.w, s: np.add(p.w, s) }), { donateArgnums: 0 });
    const p = { w: resident(ramp(n)) };
    const out = pass(p, np.ones([n]));
    same(`a tree, n ${n}`, out.w, np.array(ramp(n)));
    same(`a tree's other output, n ${n}`, out.s, np.add(np.array(ramp(n)), 1));
  }
});

test('an Array passed twice, donated once or twice: no block is written while another argument reads it', () => {
  // p * 2 in place over p would leave sum(q), which runs after it, reading q = p overwritten.
  const f = (p: NDArray, q: NDArray) => [np.multiply(p, 2), np.sum(q)];
  const want = f(np.array(ramp(N)), np.array(ramp(N)));
  for (const donateArgnums of [0, 1, [0, 1]]) {
    const x = resident(ramp(N));
    const got = jit(f, { donateArgnums })(x, x);
    got.forEach((g, i) => same(`f(x, x)[${i}], donateArgnums ${JSON.stringify(donateArgnums)}`, g, want[i]));
    assert.ok(x.isDeleted());
  }
  // Inside one tree too.
  const g = (t: NDArray[]) => f(t[0], t[1]);
  const x = resident(ramp(N));
  jit(g, { donateArgnums: 0 })([x, x]).forEach((r, i) => same(`[x, x] in one argument: ${i}`, r, want[i]));
});

test('in place only where no later row reads the donated input, and only through kernels that may alias', () => {
  const x0 = ramp(N, 0.7, 0.1);
  // The input's last reader (flip) runs before the output row: its block is dead, the output takes it.
  const flipped = jit((x: NDArray) => np.multiply(np.flip(x), 3), { donateArgnums: 0 });
  let x = resident(x0);
  let ptr = blockOf(x);
  let y = flipped(x);
  same('flip * 3', y, np.multiply(np.flip(np.array(x0)), 3));
  assert.equal(blockOf(y), ptr, 'the output was written into the dead input block');
  // The output row itself reads the input elementwise (a fused x * 2 + 1): in place.
  const affine = jit((v: NDArray) => np.add(np.multiply(v, 2), 1), { donateArgnums: 0 });
  x = resident(x0); ptr = blockOf(x);
  y = affine(x);
  same('x * 2 + 1', y, np.add(np.multiply(np.array(x0), 2), 1));
  assert.equal(blockOf(y), ptr);
  // An output row that a later row's read of the input follows: not in place.
  const later = jit((v: NDArray) => [np.multiply(v, 2), np.sum(v)], { donateArgnums: 0 });
  x = resident(x0);
  const [twice, total] = later(x);
  same('x * 2 before sum(x)', twice, np.multiply(np.array(x0), 2));
  same('sum(x) after x * 2', total, np.sum(np.array(x0)));
  // A transpose reads other elements than it writes: never in place (in place, it would read
  // elements it already wrote).
  const t = jit((v: NDArray) => np.transpose(v), { donateArgnums: 0 });
  x = resident(x0, [256, 256]); ptr = blockOf(x);
  y = t(x);
  same('transpose', y, np.transpose(np.array(x0, { shape: [256, 256] })));
  assert.notEqual(blockOf(y), ptr);
  // A cumulative sum reads earlier elements than the one it writes.
  const c = jit((v: NDArray) => np.cumsum(v), { donateArgnums: 0 });
  x = resident(x0);
  same('cumsum', c(x), np.cumsum(np.array(x0)));
  // An output of another size does not take it; the block is freed without an eviction copy.
  const s = jit((v: NDArray) => np.sum(np.reshape(v, [256, 256]), { axis: 0 }), { donateArgnums: 0 });
  x = resident(x0);
  const before = residentBytes(), copies = residentStats().evictionCopies;
  same('sum', s(x), np.sum(np.array(x0, { shape: [256, 256] }), { axis: 0 }));
  assert.equal(residentBytes(), before - 4 * N, 'the donated block was freed');
  assert.equal(residentStats().evictionCopies, copies);
});

test('a donated loop whose output is a view of an intermediate (reshape(-x)): the donated blocks are freed, memory stays flat', () => {
  const f = jit((x: NDArray) => np.reshape(np.negative(x), [256, 256]), { donateArgnums: 0 });
  let x = resident(ramp(N), [N]);
  const want = np.array(ramp(N), { shape: [256, 256] }); // negated 300 times
  for (let i = 0; i < 20; i++) x = np.reshape(f(x), [N]);
  const m0 = wasm().memory.buffer.byteLength, r0 = residentBytes(), c0 = residentStats().evictionCopies;
  for (let i = 0; i < 280; i++) x = np.reshape(f(x), [N]);
  assert.equal(wasm().memory.buffer.byteLength, m0, 'wasm memory');
  assert.equal(residentBytes(), r0, 'resident bytes');
  assert.equal(residentStats().evictionCopies, c0, 'eviction copies');
  same('values', np.reshape(x, [256, 256]), want);
});

test('donation with residency off: the same bits, the arguments deleted', () => {
  setResidentMinBytes(Infinity);
  try {
    const f = (p: NDArray, g: NDArray) => np.subtract(p, np.multiply(0.5, g));
    const p = np.array(ramp(N)), g = np.array(ramp(N, 0.2));
    const out = jit(f, { donateArgnums: 0 })(p, g);
    assert.ok(p.isDeleted());
    same('residency off', out, f(np.array(ramp(N)), g));
  } finally {
    setResidentMinBytes(RESIDENT_MIN_BYTES);
  }
});

// Issue 10's MLP at batch 8 (tests/jit_mlp.test.ts), its SGD step jitted.
type Params = { W1: NDArray; b1: NDArray; W2: NDArray; b2: NDArray };
function mlpLoss(p: Params, x: NDArray, y: NDArray): NDArray {
  const h = np.tanh(np.add(np.matmul(x, p.W1), p.b1));
  const logits = np.add(np.matmul(h, p.W2), p.b2);
  return np.negative(np.mean(np.sum(np.multiply(y, np.logSoftmax(logits, { axis: 1 })), { axis: 1 })));
}
function sgdStep(p: Params, x: NDArray, y: NDArray): Params {
  const g = grad(mlpLoss)(p, x, y);
  return tree.map((w: NDArray, dw: NDArray) => np.subtract(w, np.multiply(0.1, dw)), p, g) as Params;
}
function problem(batch: number): { p: () => Params; x: NDArray; y: NDArray } {
  const k = [...random.split(random.key(3), 4)];
  return {
    p: () => ({
      W1: np.multiply(random.normal(k[0], [784, 256]), 0.05), b1: np.zeros([256]),
      W2: np.multiply(random.normal(k[1], [256, 10]), 0.05), b2: np.zeros([10]),
    }),
    x: random.normal(k[2], [batch, 784]),
    y: np.oneHot(random.randint(k[3], [batch], 0, 10), 10),
  };
}
const names = ['W1', 'b1', 'W2', 'b2'] as const;

test('the MLP: the gradient and the SGD step give the same bits with and without donation; W1 is updated in place', () => {
  const { p, x, y } = problem(8);
  const gPlain = jit(grad(mlpLoss))(p(), x, y);
  const pd = p();
  const gDonated = jit(grad(mlpLoss), { donateArgnums: 0 })(pd, x, y);
  for (const n of names) same(`gradient ${n}`, gDonated[n], gPlain[n]);
  assert.ok(names.every((n) => pd[n].isDeleted()));
  const plain = jit(sgdStep), donating = jit(sgdStep, { donateArgnums: 0 });
  let a = p(), b = p();
  for (let i = 0; i < 5; i++) {
    const w1 = blockOf(b.W1);
    a = plain(a, x, y);
    b = donating(b, x, y);
    for (const n of names) same(`step ${i + 1}: ${n}`, b[n], a[n]);
    if (i > 0) assert.equal(blockOf(b.W1), w1, `step ${i + 1}: W1 written over the donated W1`);
  }
});

test('a donated SGD loop keeps resident bytes, wasm memory and the JS heap flat with no eviction copy; without donation it copies', () => {
  const { p, x, y } = problem(8);
  const at = () => { gc(); return { resident: residentBytes(), wasm: wasm().memory.buffer.byteLength, heap: process.memoryUsage().heapUsed }; };
  const donating = jit(sgdStep, { donateArgnums: 0 });
  let q = p();
  for (let i = 0; i < 200; i++) q = donating(q, x, y);
  const m0 = at(), c0 = residentStats().evictionCopies, w1 = blockOf(q.W1);
  for (let i = 0; i < 4000; i++) q = donating(q, x, y);
  const m1 = at();
  assert.equal(residentStats().evictionCopies, c0, 'no resident result was evicted (copied to JS memory)');
  assert.equal(blockOf(q.W1), w1, 'W1 lives in the same block all along');
  assert.equal(m1.resident, m0.resident, 'resident bytes');
  assert.equal(m1.wasm, m0.wasm, 'wasm memory');
  assert.ok(m1.heap - m0.heap < 2 ** 20, `the JS heap grew by ${m1.heap - m0.heap} bytes`);
  assert.ok(mlpLoss(q, x, y).item() < 0.1 * mlpLoss(p(), x, y).item(), 'it trains');
  // The same loop without donation: each old W1 stays resident until eviction copies it out.
  const plain = jit(sgdStep);
  let r = p();
  const c1 = residentStats().evictionCopies;
  for (let i = 0; i < 200; i++) r = plain(r, x, y);
  assert.ok(residentStats().evictionCopies - c1 >= 100, `${residentStats().evictionCopies - c1} eviction copies in 200 plain steps`);
});
