// jit as a JAX user leans on it, from a trial (2026-12-02): static symbols by identity, printing a
// traced value, the message for a non-Array argument, lowered.compile() callable, the device
// option, and large index tables and fills staged as rows rather than stored constants.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, jit, vmap, makeJaxpr, DTypeError, ValueError } from '../ts/index.ts';

const constantsOf = (text: string) => Number(/constants (\d+) bytes/.exec(text)![1]);

test('static symbols are keyed by identity: two Symbol("k") are two programs', () => {
  const table = new Map<symbol, number>(); const s1 = Symbol('k'), s2 = Symbol('k');
  table.set(s1, 1); table.set(s2, 2);
  const h = jit((a: any, s: symbol) => np.multiply(a, table.get(s)!), { staticArgnums: 1 });
  assert.deepEqual(h(np.array([1]), s1).tolist(), [1]);
  assert.deepEqual(h(np.array([1]), s2).tolist(), [2]);
  assert.equal(h.traceCount, 2);
  h(np.array([3]), s1);
  assert.equal(h.traceCount, 2);
});

test('String(x) and console.log(x) of a traced value under jit or vmap print its type (JAX: Traced<...>), not throw', () => {
  let seen = '';
  jit((x: any) => { seen = String(x); return x; })(np.array([1, 2, 3]));
  assert.equal(seen, 'Traced<float32[3]>');
  vmap((x: any) => { seen = `${x}`; return x; })(np.array([1, 2, 3]));
  assert.equal(seen, 'Traced<float32[]>');
  const inspect = Symbol.for('nodejs.util.inspect.custom');
  jit((x: any) => { seen = x[inspect](); return x; })(np.array([1, 2]));
  assert.equal(seen, 'Traced<float32[2]>');
});

test('a non-Array argument names staticArgnums; lower().compile() is callable; jit takes { device } (devices())', () => {
  assert.throws(() => jit(function mode(a: any, _m: string) { return a; })(np.array([1]), 'sin'),
    (e: any) => e instanceof DTypeError && /jit\(mode\): argument 1 is 'sin'/.test(e.message) && /staticArgnums: 1/.test(e.message));
  const j = jit((a: any) => np.sin(a));
  const c = j.lower(np.array([1])).compile();
  assert.deepEqual(c(np.array([0])).tolist(), [0]);
  assert.match(c.asText(), /sin/);
  assert.equal(jit(np.sin, { device: 'cpu' })(np.array(0)).item(), 0);
  assert.throws(() => jit(np.sin, { device: 'gpu' }), (e: any) => e instanceof ValueError && /devices\(\) lists/.test(e.message));
});

test('np.zeros/ones/full, flip, roll and cumsum under jit are rows, not stored constants (4 MB per 1M floats)', () => {
  const n = 1 << 20, x = np.ones([n]);
  const text = (f: (a: any) => any) => jit(f).lower(x).compile().asText();
  assert.equal(constantsOf(text((a) => np.multiply(a, np.full([n], 2)))), 0);
  assert.equal(constantsOf(text((a) => np.add(a, np.zeros([n])))), 0);
  assert.equal(constantsOf(text((a) => np.flip(a))), 0);
  assert.ok(constantsOf(text((a) => np.roll(a, 3))) < 1024); // (its two windows' start vectors)
  assert.ok(constantsOf(text((a) => np.cumsum(a))) < 1024);
  // the values are the eager ones
  const v = np.arange(10);
  assert.deepEqual(jit((a: any) => np.roll(np.flip(a), -3))(v).tolist(), np.roll(np.flip(v), -3).tolist());
  assert.deepEqual(np.roll(np.array([1, 2, 3, 4]), -5).tolist(), [2, 3, 4, 1]); // numpy
  assert.deepEqual(np.flip(np.array([[1, 2], [3, 4]]), { axis: 1 }).tolist(), [[2, 1], [4, 3]]);
  assert.deepEqual(jit((a: any) => np.cumsum(a))(np.array([1, 2, 3])).tolist(), [1, 3, 6]);
});

test('makeJaxpr prints convert with its dtype and a -0 constant as -0', () => {
  assert.match(makeJaxpr((x: any) => np.astype(x, 'float64'))(np.array([1])), /convert\[f64\] a/);
  assert.match(makeJaxpr((x: any) => np.multiply(x, np.array([-0, 1])))(np.array([1, 2])), /const -0 1/);
});

test('the jit cache keys on the PRNG scheme: switching setThreefryPartitionable retraces', async () => {
  const { random } = await import('../ts/index.ts');
  const k = random.PRNGKey(7);
  const jf = jit((kk: any) => random.uniform(kk, [3]));
  const before = random.threefryPartitionable();
  try {
    random.setThreefryPartitionable(false);
    assert.deepEqual(jf(k).tolist(), random.uniform(k, [3]).tolist());
    random.setThreefryPartitionable(true);
    const eager = random.uniform(k, [3]).tolist();
    assert.deepEqual(jf(k).tolist(), eager);
    random.setThreefryPartitionable(false);
    assert.notDeepEqual(random.uniform(k, [3]).tolist(), eager);
    assert.deepEqual(jf(k).tolist(), random.uniform(k, [3]).tolist());
  } finally {
    random.setThreefryPartitionable(before);
  }
});

test('lower().compile() is bound to the signature it was lowered for (JAX\'s Compiled): another shape, dtype or static value is an error', () => {
  const j = jit((x: any, k: number) => np.multiply(x, k));
  const c = j.lower(np.ones([4]), 2).compile();
  assert.deepEqual(c(np.array([1, 2, 3, 4]), 2).tolist(), [2, 4, 6, 8]);
  assert.throws(() => c(np.arange(5), 2), (e: any) => e instanceof ValueError && /compiled for arguments \(float32\[4\]; 2\), called with \(int32\[5\]; 2\)/.test(e.message));
  assert.throws(() => c(np.ones([4]), 3), /called with \(float32\[4\]; 3\)/);
  assert.equal(j.traceCount, 1);
});

test('static lists and plain objects are keyed by contents: a config changed in place retraces, a fresh list literal does not', () => {
  const f = jit((x: any, cfg: { scale: number }) => np.multiply(x, cfg.scale), { staticArgnums: 1 });
  const cfg = { scale: 2 };
  assert.deepEqual(f(np.ones([2]), cfg).tolist(), [2, 2]);
  cfg.scale = 3; // was replayed as 2 (keyed by identity)
  assert.deepEqual(f(np.ones([2]), cfg).tolist(), [3, 3]);
  assert.deepEqual(f(np.ones([2]), { scale: 2 }).tolist(), [2, 2]);
  assert.equal(f.traceCount, 2);
  const g = jit((x: any, l: number[]) => np.multiply(x, l[0] + l[1]), { staticArgnums: 1 });
  for (let i = 0; i < 5; i++) assert.deepEqual(g(np.ones([1]), [1, 2]).tolist(), [3]);
  assert.equal(g.traceCount, 1);
  // a cycle, or an Array or function inside, is keyed by identity there
  const cyc: any = { scale: 4 }; cyc.self = cyc;
  assert.deepEqual(f(np.ones([1]), cyc).tolist(), [4]);
  const fn = (v: number) => v * 5, h = jit((x: any, o: { fn: (v: number) => number }) => np.multiply(x, o.fn(1)), { staticArgnums: 1 });
  assert.deepEqual(h(np.ones([1]), { fn }).tolist(), [5]);
  assert.deepEqual(h(np.ones([1]), { fn }).tolist(), [5]);
  assert.equal(h.traceCount, 1);
  // key order is part of the key: f gets the object as given (sorted, the second call replayed 2x)
  const byOrder = jit((x: any, o: Record<string, number>) => np.multiply(x, Object.values(o)[0]), { staticArgnums: 1 });
  assert.deepEqual(byOrder(np.ones([1]), { a: 2, b: 10 }).tolist(), [2]);
  assert.deepEqual(byOrder(np.ones([1]), { b: 10, a: 2 }).tolist(), [10]);
  assert.deepEqual(byOrder(np.ones([1]), { a: 2, b: 10 }).tolist(), [2]);
  assert.equal(byOrder.traceCount, 2);
  // a static list with a property beside its elements is keyed by identity (by its elements, .scale 2 then 10 replayed 2)
  const scaled = jit((x: any, l: any) => np.multiply(x, l.scale), { staticArgnums: 1 });
  const l2: any = [1, 2]; l2.scale = 2;
  const l10: any = [1, 2]; l10.scale = 10;
  assert.deepEqual([scaled(np.ones([1]), l2).tolist(), scaled(np.ones([1]), l10).tolist()], [[2], [10]]);
});

test('a complex literal argument stays weak and exact under jit (it was a complex64 input: 0.1 became 0.10000000149)', () => {
  const z = np.astype(np.complex(np.array([1, 2]), np.array([0, 0])), 'complex128');
  const c = { re: 0.1, im: 0.3 };
  const mul = jit((a: any, b: any) => np.multiply(a, b));
  assert.deepEqual(mul(z, c).tolist(), np.multiply(z, c).tolist());
  assert.deepEqual(mul(z, c).tolist(), [{ re: 0.1, im: 0.3 }, { re: 0.2, im: 0.6 }]);
  assert.equal(mul(np.ones([2], 'complex64'), c).dtype, 'complex64');
  assert.deepEqual(jit((a: any, b: any) => np.add(a, b))(np.array([1, 2], { dtype: 'float64' }), c).tolist(), [{ re: 1.1, im: 0.3 }, { re: 2.1, im: 0.3 }]);
  assert.deepEqual(jit((_a: any, b: any) => b)(z, c), { re: 0.1, im: 0.3 }); // returned as it is
  assert.equal(mul.traceCount, 2); // complex128 and complex64: the literal's value is in the key, not a new trace per call
  mul(z, { re: 0.1, im: 0.3 });
  assert.equal(mul.traceCount, 2);
});

test('np.full(shape, -0) is -0, eagerly as under jit (1 / it is -inf)', () => {
  const f = () => np.divide(1, np.full([3], -0));
  assert.deepEqual(f().tolist(), [-Infinity, -Infinity, -Infinity]);
  assert.deepEqual(jit(f)().tolist(), [-Infinity, -Infinity, -Infinity]);
  assert.ok(Object.is(np.full([], -0, 'float64').item(), -0));
});

test("staticArgnums/donateArgnums outside f's parameters are a ValueError at jit(), as JAX's _validate_argnums (they were ignored); with a rest parameter any argnum is taken and one past a call's arguments left out", () => {
  const f = (x: any, y: any) => np.add(x, y);
  const refused = (fn: () => unknown, re: RegExp) => assert.throws(fn, (e: any) => e instanceof ValueError && re.test(e.message), String(re));
  // JAX: jax.jit(lambda x, y: x + y, static_argnums=2) raises "Jitted function has static_argnums=(2,), but only accepts 2 positional arguments."
  refused(() => jit(f, { staticArgnums: 2 }), /^jit: staticArgnums 2 is out of range for f, which declares 2 parameters \(x, y\): argnums must lie in -2\.\.1/);
  refused(() => jit(f, { staticArgnums: -3 }), /^jit: staticArgnums -3 is out of range for f/);
  refused(() => jit(f, { staticArgnums: [0, 5, -9] }), /^jit: staticArgnums 5, -9 are out of range for f/);
  refused(() => jit(f, { donateArgnums: 2 }), /^jit: donateArgnums 2 is out of range for f, which declares 2 parameters/);
  refused(() => jit((x: any) => x, { donateArgnums: [1] }), /^jit: donateArgnums 1 is out of range for fn, which declares 1 parameter \(x\): argnums must lie in -1\.\.0/);
  refused(() => jit(() => np.ones([2]), { staticArgnums: 0 }), /^jit: staticArgnums 0 is out of range for fn, which declares no parameters, so it takes no argnums/);
  // in range: the bounds themselves, and a default parameter the call leaves out (left out at the call, as JAX)
  assert.deepEqual(jit(f, { staticArgnums: -2 })(1, np.array([1, 2])).tolist(), [2, 3]);
  assert.equal(jit(f, { staticArgnums: [1, -2] })(1, 2).item(), 3);
  assert.deepEqual(jit((x: any, n = 3) => np.multiply(x, n), { staticArgnums: 1 })(np.array([1, 2])).tolist(), [3, 6]);
  // a rest parameter (JAX's *args), a bound function (no readable signature), a transform's result: any argnum is taken
  const rest = jit((...a: any[]) => np.add(a[0], a[1]), { staticArgnums: [1, 5], donateArgnums: -7 });
  const v = np.array([1, 2]);
  assert.deepEqual(rest(v, 10).tolist(), [11, 12]);
  assert.ok(!v.isDeleted(), 'an argnum past the call donates nothing');
  assert.deepEqual(jit(f.bind(null), { staticArgnums: 5 })(np.array([1]), 1).tolist(), [2]);
  assert.equal(jit(vmap(f), { staticArgnums: 4 })(np.array([1, 2]), np.array([3, 4])).tolist().join(), '4,6');
});

test("asText / makeJaxpr check their options (asText(true) and { optimised: true } printed the traced program without a word); a -0 fill prints as -0", () => {
  const f = (x: any) => np.multiply(x, np.full([3], -0));
  const low = jit(f).lower(np.ones([3]));
  for (const bad of [[true], [{ optimised: true }], [{ optimized: 'yes' }], [{}, 1]]) {
    assert.throws(() => (low.asText as any)(...bad), (e: unknown) => e instanceof ValueError && /^jit\(f\)\.lower\(\.\.\.\)\.asText: /.test((e as Error).message), JSON.stringify(bad));
  }
  assert.notEqual(low.asText({ optimized: true }), undefined);
  assert.throws(() => makeJaxpr(f, { optimized: 'yes' } as any), /makeJaxpr: optimized must be true or false/);
  assert.throws(() => makeJaxpr(f, { optimzed: true } as any)(np.ones([3])), /makeJaxpr: unknown option 'optimzed'; valid options are .*'optimized'/);
  // the printer showed full 0 for a -0 fill (String(-0) is '0'); const rows already printed -0
  assert.match(makeJaxpr(f)(np.ones([3])), /= full -0\n/);
});
