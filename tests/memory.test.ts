// Nothing leaks: a loop of 10,000 grad calls keeps the wasm memory and the arena flat, with no
// dispose() anywhere, and process memory bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { np, linalg, grad, vjp, wasm } from 'cotangent';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

test('10,000 grad calls keep memory flat', () => {
  const W = np.array([0.1, -0.2, 0.3]);
  const X = np.array([[1, 2, 3], [4, 5, 6]]);
  const loss = (w: any) => np.sum(np.tanh(np.dot(X, w)));
  const g = grad(loss);
  for (let i = 0; i < 500; i++) g(W); // warm up: arena and JIT settle
  gc();
  const wasmBefore = wasm().memory.buffer.byteLength;
  const arenaBefore = wasm().arena_capacity();
  const rssBefore = process.memoryUsage().rss;
  let last: any;
  for (let i = 0; i < 10_000; i++) last = g(W);
  for (let i = 0; i < 200; i++) vjp(loss, W)[1](1);
  gc();
  const rssAfter = process.memoryUsage().rss;
  assert.equal(wasm().memory.buffer.byteLength, wasmBefore, 'wasm memory grew');
  assert.equal(wasm().arena_capacity(), arenaBefore, 'arena grew');
  assert.ok(rssAfter - rssBefore < 40 * 2 ** 20, `rss grew by ${((rssAfter - rssBefore) / 2 ** 20).toFixed(1)} MiB`);
  assert.deepEqual(last.shape, [3]);
});

test('a large intermediate does not pin memory: the arena coalesces and is reused', () => {
  const big = np.ones([1000, 1000]);
  const f = (x: any) => np.sum(np.multiply(np.sin(x), x));
  grad(f)(big);
  grad(f)(big); // big's second use gives it a resident mirror block (ts/core/resident.ts)
  const cap = wasm().arena_capacity();
  const mem = wasm().memory.buffer.byteLength;
  for (let i = 0; i < 20; i++) grad(f)(big);
  assert.equal(wasm().arena_capacity(), cap);
  assert.equal(wasm().memory.buffer.byteLength, mem);
});

// The decompositions' small vectors (diagonals, reflector scales, orders) once were managed
// StaticArrays, which the minimal runtime never collects: every call leaked them (eigh of a 3x3:
// 5.9 MB of wasm memory over 20,000 calls).
test('the decompositions keep wasm memory flat, real and complex, eager and under grad', () => {
  const n = 24;
  const R = np.reshape(np.sin(np.arange(n * n, 'float64')), [n, n]);
  const A = np.add(R, np.transpose(R)), B = np.reshape(np.cos(np.arange(n * (n - 4))), [n, n - 4]);
  const C = np.add(A.astype('complex128'), np.complex(np.zeros([n, n], 'float64'), R)); // (not Hermitian: eigh reads (C + C^H) / 2)
  const calls: Record<string, () => unknown> = {
    eigh: () => linalg.eigh(A), eigvalsh: () => linalg.eigvalsh(A), qr: () => linalg.qr(B, { mode: 'complete' }),
    svd: () => linalg.svd(B), pinv: () => linalg.pinv(B), lstsq: () => linalg.lstsq(B, np.ones([n])),
    norm2: () => linalg.norm(A, 2), complexEigh: () => linalg.eigh(C), complexQr: () => linalg.qr(C),
    complexSvd: () => linalg.svd(C), gradEigvalsh: () => grad((x: any) => np.sum(np.square(linalg.eigvalsh(x))))(A),
  };
  for (const [name, call] of Object.entries(calls)) {
    for (let i = 0; i < 20; i++) call();
    const before = wasm().memory.buffer.byteLength;
    for (let i = 0; i < 2_000; i++) call(); // (the old leak: over 1 MB here for each)
    assert.equal(wasm().memory.buffer.byteLength, before, `${name}: wasm memory grew`);
  }
});

test('rows with more operands than the rules\' scratch lists (a concatenate of 5000 pieces under jvp, vmap, split\'s transpose, jit) are right, and later calls too', async () => {
  // The lists held 4096 entries; rules and passes wrote past their end into the next heap block.
  const { jit, vmap, jvp, lax } = await import('cotangent');
  const N = 5000, pieces = (x: any) => Array.from({ length: N }, (_, i) => np.multiply(x, i));
  const x = np.array([1, 2], { dtype: 'float64' }), S = N * (N - 1) / 2;
  const sumOf = (y: any) => (y.dataSync() as Float64Array).reduce((a: number, b: number) => a + b, 0);
  assert.equal(sumOf(np.concatenate(pieces(x))), 3 * S);
  assert.deepEqual(Array.from(grad((v: any) => np.sum(np.concatenate(pieces(v))))(x).dataSync()), [S, S]);
  assert.deepEqual(Array.from(jit(grad((v: any) => np.sum(np.concatenate(pieces(v)))))(x).dataSync()), [S, S]);
  assert.equal(sumOf(jvp((v: any) => np.concatenate(pieces(v)), [x], [np.array([1, 0], { dtype: 'float64' })])[1]), S);
  const vm2 = vmap((v: any) => np.concatenate(Array.from({ length: N }, () => v)))(np.array([[1, 2], [3, 4]], { dtype: 'float64' }));
  assert.deepEqual(vm2.shape, [2, 2 * N]);
  assert.equal(sumOf(vm2), 10 * N);
  // split into 5000 pieces: its transpose concatenates 5000 cotangents
  const parts = (v: any) => lax.split(v, Array.from({ length: N }, () => 1));
  const g = grad((v: any) => parts(v).reduce((a: any, p: any, i: number) => np.add(a, np.multiply(i, np.sum(p))), 0))(np.ones([N], { dtype: 'float64' }));
  assert.deepEqual(Array.from(g.dataSync() as Float64Array).slice(0, 3), [0, 1, 2]);
  assert.equal((g.dataSync() as Float64Array)[N - 1], N - 1);
  // and the next, unrelated calls are right
  assert.equal(jit((v: any) => np.sum(np.square(v)))(np.array([1, 2, 3], { dtype: 'float64' })).item(), 14);
});

// Composites of many passes (np_shared.ts heavyComposite) on large operands run as one-shot
// programs whose intermediates share buffers: as composites every intermediate lived until the
// call returned, and wasm memory (which never shrinks) kept the high-water mark.
test('np.i0, np.logaddexp, np.gelu, np.logsumexp, np.unwrap and np.interp of 1M float64 grow wasm memory by a few buffers, not one per intermediate', async () => {
  const { spawnSync } = await import('node:child_process');
  // MiB; they were 244, 325, 246, 102, 206 and 206
  const limits: Record<string, number> = { i0: 170, logaddexp: 110, gelu: 100, logsumexp: 50, unwrap: 100, interp: 100 };
  for (const [name, limit] of Object.entries(limits)) {
    const script = `import { np, wasm } from 'cotangent';
      const x = np.linspace(-5, 5, 1000000, { dtype: 'float64' });
      const before = wasm().memory.buffer.byteLength;
      const xp = np.linspace(-6, 6, 100, { dtype: 'float64' });
      const y = ${name === 'logaddexp' ? 'np.logaddexp(x, 0.5)' : name === 'interp' ? 'np.interp(x, xp, np.sin(xp))' : `np.${name}(x)`};
      console.log(JSON.stringify({ grew: (wasm().memory.buffer.byteLength - before) / 2 ** 20, last: y.ndim === 0 ? y.item() : y.get(-1).item() }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: new URL('..', import.meta.url) });
    assert.equal(r.status, 0, r.stderr);
    const { grew, last } = JSON.parse(r.stdout);
    assert.ok(grew <= limit, `np.${name}: wasm memory grew by ${grew} MiB (limit ${limit})`);
    assert.ok(Number.isFinite(last), `np.${name}(5) = ${last}`);
  }
});

test('the one-shot path (large operands) and the composite path (small ones) give the same bits', () => {
  const x = np.linspace(-30, 30, 40000, { dtype: 'float64' }); // 320 KB: one-shot; its 1000-element pieces: composites
  const y = np.cos(x);
  const fns: [string, (a: any, b: any) => any][] = [
    ['i0', (a) => np.i0(a)], ['gelu', (a) => np.gelu(a)], ['gelu erf', (a) => np.gelu(a, false)], ['silu', (a) => np.silu(a)],
    ['elu', (a) => np.elu(a)], ['selu', (a) => np.selu(a)], ['celu', (a) => np.celu(a, 0.5)], ['softplus', (a) => np.softplus(a)],
    ['logSigmoid', (a) => np.logSigmoid(a)], ['logaddexp', (a, b) => np.logaddexp(a, b)], ['logaddexp2', (a, b) => np.logaddexp2(a, b)],
    ['sinc', (a) => np.sinc(a)], ['spacing', (a) => np.spacing(a)], ['modf', (a) => np.modf(a)[0]],
    ['floorDivide', (a, b) => np.floorDivide(a, b)], ['frexp', (a) => np.frexp(a)[0]], ['frexp exponent', (a) => np.astype(np.frexp(a)[1], 'float64')],
    ['ldexp', (a) => np.ldexp(a, np.astype(np.multiply(a, 40), 'int32'))], ['nextafter', (a, b) => np.nextafter(a, b)],
    ['interp', (a, b) => np.interp(a, np.multiply(np.arange(-10, 11), 3), np.cos(np.arange(-10, 11)), { left: b })],
    ['nanToNum', (a) => np.nanToNum(np.where(np.greater(a, 29), Infinity, np.where(np.less(a, -29), NaN, a)), { posinf: 7 })],
  ];
  // softmax and logSoftmax reduce over their axis: rows of 1000 in one call against row by row
  const X = np.reshape(x, [40, 1000]);
  const rowwise = [['softmax', (a: any) => np.softmax(a)], ['logSoftmax', (a: any) => np.logSoftmax(a)],
    ['logsumexp', (a: any) => np.logsumexp(a, { axis: -1, keepdims: true })], ['unwrap', (a: any) => np.unwrap(np.multiply(a, 3))]] as const;
  for (const [name, f] of rowwise) {
    const whole = f(X).dataSync() as Float64Array, m = whole.length / 40;
    for (let r = 0; r < 40; r++) {
      const part = f(X.get(r)).dataSync() as Float64Array;
      for (let i = 0; i < m; i++) if (!Object.is(part[i], whole[r * m + i])) assert.fail(`np.${name} row ${r}[${i}]: ${whole[r * m + i]} in one call, ${part[i]} by rows`);
    }
  }
  for (const [name, f] of fns) {
    const whole = f(x, y).dataSync() as Float64Array;
    for (let s = 0; s < 40000; s += 1000) {
      const part = f(x.get(`${s}:${s + 1000}`), y.get(`${s}:${s + 1000}`)).dataSync() as Float64Array;
      for (let i = 0; i < 1000; i++) {
        if (!Object.is(part[i], whole[s + i])) assert.fail(`np.${name} at ${x.get(s + i).item()}: ${whole[s + i]} in one call, ${part[i]} in pieces`);
      }
    }
  }
  const n = np.arange(1, 40001, { dtype: 'int32' }), whole = np.gcd(n, 360).tolist() as number[];
  assert.deepEqual(np.gcd(n.get('0:1000'), 360).tolist(), whole.slice(0, 1000));
  assert.deepEqual(np.lcm(n, 12).get('0:5').tolist(), [12, 12, 12, 12, 60]);
});
