// jit: the cache (traces counted), results equal to eager on random programs (optimized and
// not), composition with every transform, closures over tracers, concrete-value errors, static
// arguments, the printer and what the optimizer removes, and flat memory over many calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { np, jit, makeJaxpr, grad, vmap, jvp, vjp, jacrev, hessian, TracerError, DeletedArrayError, keptTapeStats, wasm, type Array as NDArray } from 'cotangent';
import { programArb } from './helpers/programs.ts';
import { f64 } from './helpers/fd.ts';

function close(what: string, got: NDArray, want: NDArray, tol = 1e-12): void {
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  assert.equal(got.dtype, want.dtype, `${what}: dtype`);
  const g = f64(got), w = f64(want);
  for (let i = 0; i < g.length; i++) {
    if (!(Math.abs(g[i] - w[i]) <= tol * Math.max(1, Math.abs(w[i])))) assert.fail(`${what}: element ${i}: ${g[i]} vs ${w[i]}`);
  }
}

test('the cache: one trace per signature (structure, shapes, dtypes, static values)', () => {
  const f = (x: NDArray, y: { a: NDArray }) => np.add(np.sin(x), y.a);
  const jf = jit(f);
  jf(np.ones([3]), { a: np.ones([3]) });
  jf(np.zeros([3]), { a: np.full([3], 2) });
  assert.equal(jf.traceCount, 1, 'same shapes and dtypes: cached');
  jf(np.ones([4]), { a: np.ones([4]) });
  assert.equal(jf.traceCount, 2, 'a new shape traces');
  jf(np.ones([4], { dtype: 'float64' }), { a: np.ones([4], { dtype: 'float64' }) });
  assert.equal(jf.traceCount, 3, 'a new dtype traces');
  const g = jit((x: NDArray, n: number) => np.multiply(x, n));
  close('static number', g(np.ones([2]), 3), np.full([2], 3));
  close('static number again', g(np.ones([2]), 3), np.full([2], 3));
  assert.equal(g.traceCount, 1);
  close('another static value', g(np.ones([2]), 4), np.full([2], 4));
  assert.equal(g.traceCount, 2, 'JS numbers are static, keyed by value');
  const h = jit((x: NDArray, cfg: { scale: number }) => np.multiply(x, cfg.scale), { staticArgnums: 1 });
  const cfg = { scale: 2 };
  h(np.ones([2]), cfg); h(np.ones([2]), cfg);
  assert.equal(h.traceCount, 1, 'a static plain object is keyed by its contents');
  h(np.ones([2]), { scale: 2 });
  assert.equal(h.traceCount, 1, 'the same contents: the same program');
  h(np.ones([2]), { scale: 3 });
  assert.equal(h.traceCount, 2);
});

test('jit equals eager on random programs, float64 and float32, value and gradient', () => {
  fc.assert(fc.property(programArb(), (p) => {
    for (const dtype of ['float64', 'float32'] as const) {
      const x = p.args(dtype);
      const tol = dtype === 'float64' ? 1e-12 : 2e-6;
      close('value', jit(p.fn)(...x), p.fn(...x), tol);
      const all = [...Array(p.arity).keys()];
      const gj: NDArray[] = jit(grad(p.fn, { argnums: all }))(...x);
      const ge: NDArray[] = grad(p.fn, { argnums: all })(...x);
      gj.forEach((g, i) => close(`grad ${i}`, g, ge[i], tol * 10));
      const gg: NDArray[] = grad(jit(p.fn), { argnums: all })(...x);
      gg.forEach((g, i) => close(`grad of jit ${i}`, g, ge[i], tol * 10));
    }
  }), { seed: 7, numRuns: 150 });
});

test('jit composes: jit of grad/vmap/jacrev/hessian, grad/vjp/jvp/vmap of jit, jit in jit', () => {
  const f = (x: NDArray) => np.sum(np.multiply(np.tanh(x), np.sin(x)));
  const x = np.array([0.3, -0.5, 0.8], { dtype: 'float64' });
  close('jit(grad)', jit(grad(f))(x), grad(f)(x));
  close('grad(jit)', grad(jit(f))(x), grad(f)(x));
  close('jit(hessian)', jit(hessian(f))(x), hessian(f)(x));
  close('hessian(jit)', hessian(jit(f))(x), hessian(f)(x));
  const g = (v: NDArray) => np.tanh(np.multiply(v, v));
  close('jit(jacrev)', jit(jacrev(g))(x), jacrev(g)(x));
  const X = np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], { dtype: 'float64' });
  close('vmap(jit)', vmap(jit(f))(X), vmap(f)(X));
  close('jit(vmap(jacrev))', jit(vmap(jacrev(g)))(X), vmap(jacrev(g))(X));
  const [y, t] = jvp(jit(g), [x], [np.ones([3], { dtype: 'float64' })]);
  const [y0, t0] = jvp(g, [x], [np.ones([3], { dtype: 'float64' })]);
  close('jvp(jit) primal', y as NDArray, y0 as NDArray); close('jvp(jit) tangent', t as NDArray, t0 as NDArray);
  const [, pb] = vjp(jit(g), x);
  const [, pb0] = vjp(g, x);
  close('vjp(jit)', pb(x)[0] as NDArray, pb0(x)[0] as NDArray);
  close('jit(jit)', jit(jit(f))(x), f(x));
  // A jitted function that closes over a tracer of the enclosing grad: the tracer is lifted.
  const outer = (z: NDArray) => np.sum(jit((w: NDArray) => np.multiply(np.sin(w), z))(np.array([1, 2, 3], { dtype: 'float64' })));
  close('grad through a closure in jit', grad(outer)(x), np.sin(np.array([1, 2, 3], { dtype: 'float64' })));
});

test('a large closed-over Array is an input bound at each call: one copy for every signature, not one each', () => {
  const n = 256, k = 128; // W: 128 KiB, past the 64 KiB that makes an Array resident
  const w = new Float32Array(n * k).map((_, i) => ((i % 7) - 3) / 8);
  const W = np.array(w, { shape: [n, k] });
  const model = jit((x: NDArray) => np.sum(np.matmul(x, W), { axis: 1 }));
  const before = keptTapeStats().residentBytes;
  for (let b = 1; b <= 6; b++) {
    const x = np.ones([b, n]);
    const got = model(x).tolist() as number[];
    let want = 0; // every row of x is ones: the sum of all of W
    for (const v of w) want += v;
    for (const g of got) assert.ok(Math.abs(g - want) < 1e-3, `batch ${b}: ${g} vs ${want}`);
  }
  assert.equal(model.traceCount, 6);
  const grown = keptTapeStats().residentBytes - before;
  assert.ok(grown < 6 * n * k * 4 / 4, `six programs hold ${grown} bytes: W (${n * k * 4} bytes) copied into each?`);
  // (W a constvar before the ';', as JAX prints a closed-over constant)
  assert.match(model.lower(np.ones([2, n])).asText(), /^\{ lambda a:f32\[256,128\] ; b:f32\[2,256\]\. let/);
  // under grad (traced again, W bound in that trace) and inside another jit
  const g = grad((x: NDArray) => np.sum(model(x)))(np.ones([2, n]));
  const colSums = Array.from({ length: n }, (_, i) => w.slice(i * k, (i + 1) * k).reduce((a, v) => a + v, 0));
  assert.ok((g.tolist() as number[][]).every((row) => row.every((v, i) => Math.abs(v - colSums[i]) < 1e-4)));
  assert.equal(jit((x: NDArray) => np.sum(model(x)))(np.ones([1, n])).item(), (model(np.ones([1, n])).item()));
  // donated elsewhere, W is gone: the next call says so (JAX's "Array has been deleted")
  jit((v: NDArray) => np.multiply(v, 2), { donateArgnums: 0 })(W);
  assert.throws(() => model(np.ones([1, n])), DeletedArrayError);
});

test('a jit inside a jit closing over a tracer of the trace around both: lifted into each (it was a TracerError)', () => {
  // d/dx of sin(x) * 3 * 3 through three nested jits, each closing over what is around it; to second order
  const g = (x: any) => jit((y: any) => jit((z: any) => jit((w: any) => np.multiply(np.sin(x), np.multiply(w, y)))(z))(y))(np.array(3.0, { dtype: 'float64' }));
  const x = np.array(0.5, { dtype: 'float64' });
  assert.ok(Math.abs((grad(g)(x).item() as number) - 9 * Math.cos(0.5)) < 1e-14);
  assert.ok(Math.abs((grad(grad(g))(x).item() as number) + 9 * Math.sin(0.5)) < 1e-14);
  const f = (x: any) => jit((y: any) => jit((z: any) => np.multiply(x, z))(y))(np.array(2.0));
  assert.deepEqual(vmap(f)(np.array([1, 3])).tolist(), [2, 6]);
  assert.equal(jit(f)(np.array(1.0)).item(), 2);
  // two inner jits closing over the same and over different tracers
  const h = (x: any) => { const c = np.cos(x); return jit((y: any) => np.add(jit((z: any) => np.multiply(x, z))(y), jit((z: any) => np.multiply(c, np.multiply(z, z)))(y)))(np.array(2.0, { dtype: 'float64' })); };
  assert.ok(Math.abs((grad(h)(np.array(1.0, { dtype: 'float64' })).item() as number) - (2 - 4 * Math.sin(1))) < 1e-14);
});

test('complex constants that differ only in a signed zero stay apart under jit and vmap (1 - 0i shared 1 + 0i\'s row)', () => {
  const f = (x: any) => np.divide(1, np.imag(np.divide(1, np.multiply(x, { re: 1, im: -0 }))));
  const x = np.array([1, 2], { dtype: 'complex64' });
  // 1 / (x (1 - 0i)) = 1/x + 0i for x = 1 + 0i, so 1 / imag = +inf (numpy's too)
  assert.deepEqual(f(x).tolist(), [Infinity, Infinity]);
  assert.deepEqual(jit(f)(x).tolist(), [Infinity, Infinity]);
  assert.deepEqual(vmap(f)(np.stack([x])).tolist(), [[Infinity, Infinity]]);
});

test('a jitted closure whose variable held an Array at its first trace and holds a tracer now uses the tracer', () => {
  // (a cached program would have the old Array baked in: a silent zero derivative)
  const x = np.array([1, 2, 3], { dtype: 'float64' });
  let scale: NDArray = np.array(3, { dtype: 'float64' });
  const scaled = jit((v: NDArray) => np.multiply(v, scale));
  close('top level', scaled(x), np.array([3, 6, 9], { dtype: 'float64' }));
  close('vmap over the closed-over scale', vmap((s: NDArray) => { scale = s; return scaled(x); })(np.array([1, 2], { dtype: 'float64' })),
    np.array([[1, 2, 3], [2, 4, 6]], { dtype: 'float64' }));
  close('jit over it', jit((s: NDArray) => { scale = s; return scaled(x); })(np.array(4, { dtype: 'float64' })), np.array([4, 8, 12], { dtype: 'float64' }));
  // d/ds sum(x * s) = sum(x) = 6
  close('grad with respect to it', grad((s: NDArray) => { scale = s; return np.sum(scaled(x)); })(np.array(5, { dtype: 'float64' })), np.array(6, { dtype: 'float64' }));
  scale = np.array(2, { dtype: 'float64' });
  const before = scaled.traceCount;
  close('under grad, f is traced again', grad((v: NDArray) => np.sum(scaled(v)))(x), np.array([2, 2, 2], { dtype: 'float64' }));
  assert.equal(scaled.traceCount, before + 1);
});

test('under jit, grad/jvp/hessian at a point that does not depend on its inputs (a closed-over Array, a static JS number)', () => {
  // f(x) = sum(sin(x) x): f' = cos(x) x + sin(x), f'' = 2 cos(x) - sin(x) x
  const f = (v: NDArray) => np.sum(np.multiply(np.sin(v), v));
  const c = np.array([3, 1], { dtype: 'float64' });
  const df = [3, 1].map((v) => Math.cos(v) * v + Math.sin(v));
  const one = np.array(1, { dtype: 'float64' });
  close('jit(y => grad(f)(c) + y)', jit((y: NDArray) => np.add(grad(f)(c), y))(one), np.array(df.map((d) => d + 1), { dtype: 'float64' }));
  close('jit(y => jvp(f, [c], [1])[1] + y)', jit((y: NDArray) => np.add(jvp(f, [c], [np.onesLike(c)])[1] as NDArray, y))(one),
    np.array(df[0] + df[1] + 1, { dtype: 'float64' }));
  const cube = (v: NDArray) => np.multiply(np.multiply(v, v), v);
  close('jit(grad(x^3))(3), 3 static', (jit(grad(cube)) as any)(3), np.array(27));
  close('jit(hessian(x^3))(3)', (jit(hessian(cube)) as any)(3), np.array(18));
  close('grad of a jit that differentiates at c inside', grad((y: NDArray) => np.sum(jit((z: NDArray) => np.multiply(grad(f)(c), z))(y)))(one),
    np.array(df[0] + df[1], { dtype: 'float64' }));
});

test('a concrete value under jit is a TracerError naming the function, the value and staticArgnums', () => {
  function branchy(x: NDArray) { return (x as unknown as number) > 0 ? x : np.negative(x); }
  assert.throws(() => jit(branchy)(np.array(1)), (e: unknown) => e instanceof TracerError &&
    /jit\(branchy\)/.test(e.message) && /float32\[\]/.test(e.message) && /staticArgnums/.test(e.message));
  assert.throws(() => jit((x: NDArray) => np.array(x.item()))(np.array(2)), TracerError);
  // a non-scalar one too (eagerly it is NumPy's ambiguous truth value, a ValueError)
  assert.throws(() => jit(branchy)(np.array([1, 2])), (e: unknown) => e instanceof TracerError &&
    /jit\(branchy\)/.test(e.message) && /float32\[2\]/.test(e.message) && /np\.where/.test(e.message));
  // The next call works, and a static argument makes the branch legal.
  close('after the error', jit((x: NDArray) => np.add(x, 1))(np.array(1)), np.array(2));
  const s = jit((x: NDArray, n: NDArray) => ((n as unknown as number) > 2 ? np.add(x, n) : x), { staticArgnums: 1 });
  close('static Array argument', s(np.array(1), np.array(3)), np.array(4));
});

test('JS numbers and booleans a jitted function returns come back as they are, as eagerly (not float32 Arrays)', () => {
  const f = (x: NDArray) => ({ y: np.multiply(x, 2), lr: 0.1, steps: 16777217, flag: true });
  const x = np.array([1, 2], { dtype: 'float64' });
  for (const jf of [jit(f), jit(f, { donateArgnums: 0 })]) {
    for (let call = 0; call < 2; call++) { // the trace, then the cache
      const out = jf(call === 0 ? x : np.array([1, 2], { dtype: 'float64' }));
      assert.equal(out.lr, 0.1);
      assert.equal(out.steps, 16777217);
      assert.equal(out.flag, true);
      close('y', out.y, np.array([2, 4], { dtype: 'float64' }));
    }
  }
  // under vmap a returned number is an unbatched output, broadcast over the batch as eagerly
  close('vmap(jit)', vmap(jit((v: NDArray) => [v, 3]))(np.array([1, 2]))[1] as NDArray, vmap((v: NDArray) => [v, 3])(np.array([1, 2]))[1] as NDArray);
});

test('an async function under jit is a ValueError, and the Promise it returned rejects into nothing (no unhandled rejection)', async () => {
  const jf = jit(async (x: NDArray) => { const v = await x.data(); return np.multiply(x, (v as Float32Array)[0]); });
  assert.throws(() => jf(np.array([1, 2])), (e: unknown) => e instanceof Error && /returned a Promise/.test(e.message));
  await new Promise((r) => setTimeout(r, 20)); // (an unhandled rejection would fail this file)
  close('the next call works', jit((x: NDArray) => np.add(x, 1))(np.array(1)), np.array(2));
});

test('the printer shows the program; the optimizer folds, simplifies, removes common and dead rows', () => {
  const c = np.array([1, 2, 3]);
  const f = (x: NDArray) => {
    const dead = np.exp(np.cos(x)); void dead; // dead code (the freeze already drops it)
    const a = np.sin(x), b = np.sin(x); // a common subexpression
    const k = np.multiply(np.sin(c), 2); // constant: folded at trace time
    const t = np.transpose(np.transpose(np.reshape(np.reshape(x, [3, 1]), [1, 3]))); // identities
    return np.add(np.add(np.multiply(a, 1), np.multiply(b, k)), np.negative(np.negative(np.reshape(t, [3]))));
  };
  const x = np.array([0.1, 0.2, 0.3]);
  const before = makeJaxpr(f)(x);
  const after = jit(f).lower(x).asText({ optimized: true });
  assert.match(before, /^\{ lambda ; a:f32\[3\]\. let/);
  assert.doesNotMatch(after, /exp|cos/, 'dead rows are gone');
  assert.equal((after.match(/= sin/g) ?? []).length, 1, `one sin after CSE and folding:\n${after}`);
  assert.doesNotMatch(after, /neg|transpose|reshape/, `identities removed:\n${after}`);
  assert.match(after, /peak intermediate memory \d+ bytes/);
  close('optimized equals eager', jit(f)(x), f(x), 1e-6);
  // The gradient program of a simple loss loses the seeds' multiplications by one.
  const loss = (w: NDArray) => np.sum(np.square(np.tanh(w)));
  const text = jit(grad(loss)).lower(x).asText({ optimized: true });
  const ones = [...text.matchAll(/(\w+):f32\[[\d,]*\] = full 1\b/g)].map((m) => m[1]);
  for (const v of ones) assert.doesNotMatch(text, new RegExp(`= mul (${v} \\w+|\\w+ ${v})$`, 'm'), `a multiplication by ${v} = 1 is left:\n${text}`);
  const unoptimized = makeJaxpr(grad(loss))(x);
  assert.ok(text.split('\n').length < unoptimized.split('\n').length, `the optimized program is not shorter:\n${unoptimized}\n${text}`);
});

test('many jitted calls keep wasm memory flat', () => {
  const f = jit((x: NDArray) => np.sum(np.tanh(np.matmul(x, x))));
  const x = np.ones([32, 32]);
  for (let i = 0; i < 200; i++) f(x);
  const before = wasm().memory.buffer.byteLength;
  for (let i = 0; i < 5000; i++) f(x);
  assert.equal(wasm().memory.buffer.byteLength, before);
  assert.equal(f.traceCount, 1);
});

test('a jitted function returning a view of a large intermediate (reshape(x * 2)) keeps wasm memory flat', () => {
  // The intermediate used to get a heap block for an output, which no Array adopted: 256 KiB leaked a call.
  const f = jit((x: NDArray) => np.reshape(np.multiply(x, 2), [-1]));
  const x = np.add(np.ones([256, 256]), 0);
  for (let i = 0; i < 20; i++) f(x);
  const before = wasm().memory.buffer.byteLength;
  for (let i = 0; i < 400; i++) assert.equal(f(x).dataSync()[7], 2);
  assert.equal(wasm().memory.buffer.byteLength, before);
});

test('a top-level jitted call reuses each dead intermediate buffer (liveness), and its large result is resident', () => {
  const n = 1 << 18; // 1 MiB of float32 per intermediate
  const x = np.array(Float32Array.from({ length: n }, (_, i) => (i % 97) / 97));
  const chain = (v: NDArray) => {
    let y = v;
    for (let i = 0; i < 12; i++) y = np.add(np.sin(y), 1); // 24 intermediates of 1 MiB
    return y;
  };
  const f = jit(chain);
  const got = f(x);
  // Every intermediate without reuse is 24 MiB; live at once are at most a few.
  const used = wasm().arena_used();
  assert.ok(used < 6 * 4 * n, `arena used ${(used / 2 ** 20).toFixed(1)} MiB by the replay`);
  assert.match(f.lower(x).asText(), /peak intermediate memory \d+ bytes/);
  const want = chain(x); // eager
  assert.deepEqual(got.dataSync(), want.dataSync());
  assert.ok((got as any)._block !== null, 'the result stays in wasm memory');
  // Under a transform the intermediates are read again (here by the pullback): no reuse there,
  // and the result is the same.
  const g = grad((v: NDArray) => np.sum(f(v)))(x).dataSync();
  const h = grad((v: NDArray) => np.sum(chain(v)))(x).dataSync();
  assert.deepEqual(g, h);
  // A program returning the same large value twice: one Array adopts its block, the other copies.
  const twice = jit((v: NDArray) => { const y = np.exp(v); return [y, y]; });
  const [a, b] = twice(x);
  assert.deepEqual(a.dataSync(), b.dataSync());
  assert.deepEqual(a.dataSync(), np.exp(x).dataSync());
});

test('fusion: a top-level call runs its elementwise chains as fused rows, with eager\'s bits at every size', () => {
  const sizes = [1, 7, 511, 512, 513, 1500, 4099];
  const f = (x: NDArray, y: NDArray, s: NDArray) => {
    const a = np.tanh(np.add(np.multiply(x, 2), y)); // a FULL (the broadcast 2), exact and transcendental ops
    const b = np.where(np.less(x, y), np.exp(y), np.multiply(y, y)); // a comparison (bool) and select
    const c = np.multiply(np.maximum(a, b), s); // a splat of a traced scalar
    return [np.subtract(c, np.log1p(np.square(b))), np.sum(c)]; // an output, and one read by a reduction
  };
  for (const dtype of ['float64', 'float32'] as const) {
    for (const n of sizes) {
      const x = np.array(Float64Array.from({ length: n }, (_, i) => Math.sin(1.7 * i + 0.3) * 3), { dtype });
      const y = np.array(Float64Array.from({ length: n }, (_, i) => Math.cos(0.9 * i) * 2), { dtype });
      const s = np.array(-0.75, { dtype });
      const jf = jit(f);
      const text = jf.lower(x, y, s).compile().asText();
      assert.match(text, /= fused \{/, `n = ${n}: no fused row\n${text}`);
      assert.ok(!/^ +\w+:\S+ = (tanh|exp|max|select|log1p) /m.test(text), `n = ${n}: a row left outside the fused loop\n${text}`);
      const [u, v] = jf(x, y, s), [ue, ve] = f(x, y, s);
      assert.deepEqual(Array.from(u.dataSync()), Array.from(ue.dataSync()), `${dtype} n = ${n}: values`);
      assert.deepEqual(Array.from(v.dataSync()), Array.from(ve.dataSync()), `${dtype} n = ${n}: sum`);
      // The gradient's chains fuse too (the backward pass of tanh, exp, where, maximum).
      const loss = (x: NDArray, y: NDArray) => np.sum(f(x, y, s)[0]);
      const g = jit(grad(loss, { argnums: [0, 1] }));
      const [gx, gy] = g(x, y) as NDArray[], [ex, ey] = grad(loss, { argnums: [0, 1] })(x, y) as NDArray[];
      assert.deepEqual(Array.from(gx.dataSync()), Array.from(ex.dataSync()), `${dtype} n = ${n}: grad x`);
      assert.deepEqual(Array.from(gy.dataSync()), Array.from(ey.dataSync()), `${dtype} n = ${n}: grad y`);
      assert.match(g.lower(x, y).compile().asText(), /= fused \{/);
    }
  }
});

test('fusion into a sum: jit gives eager\'s bits for every way the sum kernel sums, values and gradients', () => {
  // Shapes and axes that take each path of the SUM kernel: short rows, rows per block, a row split
  // pairwise, columns down a tree of row halves, column runs wider than a block, everything.
  const cases: [number[], number | number[] | undefined][] = [
    [[1000], undefined], [[70001], undefined], [[7, 5], 1], [[300, 9], 1], [[3, 700], 1], [[1000, 64], 0],
    [[40, 50, 33], 1], [[33, 600], 0], [[5, 1, 600], [1, 2]], [[4, 1], 1], [[128, 256], 0], [[128, 10], 1],
  ];
  const f = (x: NDArray, y: NDArray, axis: any) => np.sum(np.multiply(np.subtract(x, y), np.exp(y)), { axis });
  for (const dtype of ['float32', 'float64'] as const) {
    for (const [shape, axis] of cases) {
      const n = shape.reduce((a, b) => a * b, 1);
      const x = np.array(Float64Array.from({ length: n }, (_, i) => Math.sin(1.3 * i + 0.1) * 4), { shape, dtype });
      const y = np.array(Float64Array.from({ length: n }, (_, i) => Math.cos(0.7 * i)), { shape, dtype });
      const what = `${dtype} ${JSON.stringify(shape)} axis ${JSON.stringify(axis)}`;
      const jf = jit((x: NDArray, y: NDArray) => f(x, y, axis));
      assert.match(jf.lower(x, y).compile().asText(), /= fused \{.* = sum\[/, what);
      assert.deepEqual(Array.from(jf(x, y).dataSync()), Array.from(f(x, y, axis).dataSync()), what);
      // A loss of it: jit(grad) against grad, bit for bit.
      const loss = (x: NDArray, y: NDArray) => np.sum(np.square(f(x, y, axis)));
      const [gx, gy] = jit(grad(loss, { argnums: [0, 1] }))(x, y) as NDArray[];
      const [ex, ey] = grad(loss, { argnums: [0, 1] })(x, y) as NDArray[];
      assert.deepEqual(Array.from(gx.dataSync()), Array.from(ex.dataSync()), `${what}: grad x`);
      assert.deepEqual(Array.from(gy.dataSync()), Array.from(ey.dataSync()), `${what}: grad y`);
    }
  }
});

test('a JS number argument that changes every call traces every call, and the cache keeps the 64 most recent programs (no leak)', async () => {
  const { keptTapeStats } = await import('cotangent');
  const step = jit((w: NDArray, lr: number) => np.subtract(w, np.multiply(lr, w)));
  const w = np.array([1, 2], { dtype: 'float64' });
  const before = keptTapeStats().resident;
  for (let i = 0; i < 300; i++) {
    const lr = 1 / (i + 2);
    const out = step(w, lr).tolist() as number[];
    assert.deepEqual(out, [1 - lr, 2 - 2 * lr]);
  }
  assert.equal(step.traceCount, 300);
  const kept = keptTapeStats().resident - before;
  assert.ok(kept <= 2 * 64, `${kept} programs kept for 300 traces (two tapes an entry, 64 entries)`);
  // a cached one is still hit: the most recent lr
  step(w, 1 / 301);
  assert.equal(step.traceCount, 300);
});

test('the cache key quotes dict keys and static strings: no two argument structures share a program', () => {
  const x = np.array([1, 2]);
  const f = jit((d: any) => (d.b !== undefined ? np.multiply(d.b, 100) : np.add(Object.values(d).find((v: any) => v?.shape) as any, 1)));
  assert.deepEqual(f({ 'a: null, b': x }).tolist(), [2, 3]);
  assert.deepEqual(f({ a: null, b: x }).tolist(), [100, 200]); // the old text key read both as {a: null, b: *}
  assert.equal(f.traceCount, 2);
  const g = jit((y: any, s: string, t: string) => np.add(y, s.length * 10 + t.length), { staticArgnums: [1, 2] });
  assert.deepEqual(g(x, 'p|s2=string:q', 'r').tolist(), [132, 133]);
  assert.deepEqual(g(x, 'p', 'q|s2=string:r').tolist(), [24, 25]);
  assert.equal(g.traceCount, 2);
});

test('a static typed array is keyed by its bytes: filled in place, it retraces (by identity, the old values were replayed)', () => {
  const w = new Float64Array([2, 3]);
  const f = jit((x: any, v: Float64Array) => np.multiply(x, v[0] + 10 * v[1]), { staticArgnums: 1 });
  assert.equal(f(np.array(1), w).item(), 32);
  w[0] = 5; // a JS user's habit: reuse the buffer
  assert.equal(f(np.array(1), w).item(), 35, 'it gave 32, the first call\'s values');
  assert.equal(f.traceCount, 2);
  assert.equal(f(np.array(1), new Float64Array([5, 3])).item(), 35);
  assert.equal(f.traceCount, 2, 'the same bytes in another buffer: the same program');
  const cfg = { w: new Float32Array([1, 4]) }; // inside a static plain object too
  const g = jit((x: any, c: any) => np.multiply(x, c.w[1]), { staticArgnums: 1 });
  assert.equal(g(np.array(1), cfg).item(), 4);
  cfg.w[1] = 9;
  assert.equal(g(np.array(1), cfg).item(), 9);
  const z = new Float64Array([0]), nz = new Float64Array([-0]); // bytes tell -0 from 0
  const h = jit((x: any, v: Float64Array) => np.divide(x, v[0]), { staticArgnums: 1 });
  assert.equal(h(np.array(1), z).item(), Infinity);
  assert.equal(h(np.array(1), nz).item(), -Infinity);
});

test('a jitted function retraced per JS number keeps flat JS memory (dropped programs unregister from the finalizer)', async () => {
  const v8 = await import('node:v8');
  const vm = await import('node:vm');
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const f = jit((a: any, lr: number) => np.multiply(a, lr));
  const x = np.ones([4]);
  const heapAfter = (calls: number, from: number) => {
    for (let i = from; i < calls; i++) f(x, i + 0.5);
    gc(); gc();
    return process.memoryUsage().heapUsed;
  };
  const h1 = heapAfter(1500, 0);
  const h2 = heapAfter(9500, 1500);
  assert.equal(f.traceCount, 9500);
  // 8,000 retraces kept ~240 bytes each before (about 1.9 MB); flat now, up to the GC's noise
  // (which reached 420 KB once on a loaded machine)
  assert.ok(h2 - h1 < 900_000, `heap grew ${h2 - h1} bytes over 8,000 retraces`);
});

test("the printer's peak memory keeps a reshaped buffer alive while the reshape is read", () => {
  // exp's 4000 bytes are read through the reshape by the sum after sin's 4000 bytes exist: the
  // peak is both plus the first sum's 4 bytes (it stated 4004: exp's buffer freed at the reshape)
  const f = (x: NDArray) => { const t = np.exp(x); const y = np.reshape(t, [10, 100]); const u = np.sin(x); return np.add(np.sum(y), np.sum(u)); };
  const text = jit(f).lower(np.ones([1000])).asText();
  assert.match(text, /= reshape\[10,100\] /);
  assert.match(text, /peak intermediate memory 8004 bytes/, text);
});
