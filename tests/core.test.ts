// The core's second step: tapes as values (kept pullbacks in wasm, under a memory budget),
// operand lists and tuple rows (concatenate / split), exhaustive dtype dispatch, transforms that
// unwind on errors and skip dead rows. References are closed forms, never the code under test.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  np, lax, grad, vjp, jvp, linearize, wasm, DTypeError, ValueError, TracerError, checkGrads, keptTapeStats, setKeptTapeBudget,
} from 'cotangent';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-12) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol * (1 + Math.abs(b[i])), `[${i}] ${a[i]} vs ${b[i]}`);
};
const f64 = (xs: number[]) => np.array(xs, { dtype: 'float64' });

describe('kept pullbacks are tapes in wasm', () => {
  test('several alive at once, called interleaved, each with its own residuals', () => {
    // d/dx sum(sin(x) * c) = c cos(x)
    const cs = [0.5, -1.25, 2, 3.5];
    const xs = cs.map((_, k) => f64([0.1 * k, 0.7, -0.3 * k]));
    const pulls = cs.map((c, k) => vjp((x: any) => np.sum(np.multiply(np.sin(x), c)), xs[k])[1]);
    for (let round = 0; round < 3; round++) {
      for (let k = cs.length - 1; k >= 0; k--) {
        const [g] = pulls[k](1);
        close(g.dataSync(), Array.from(xs[k].dataSync(), (x) => cs[k] * Math.cos(x)));
      }
    }
  });

  test('a pullback still works after many other calls and after its neighbours were disposed', () => {
    const x = f64([0.3, -1.1]);
    const [, keep] = vjp((v: any) => np.multiply(np.exp(v), v), x); // d = e^x (1 + x)
    const neighbours = Array.from({ length: 50 }, (_, i) => vjp((v: any) => np.tanh(np.multiply(v, i)), x)[1]);
    for (let i = 0; i < 500; i++) grad((v: any) => np.sum(np.sin(v)))(x);
    for (const p of neighbours) p.dispose();
    const [g] = keep(f64([1, 2]));
    close(g.dataSync(), [1, 2].map((w, i) => w * Math.exp([0.3, -1.1][i]) * (1 + [0.3, -1.1][i])));
    assert.throws(() => neighbours[3](f64([1, 1])), ValueError);
  });

  test('past the byte budget, pullbacks move to JS memory and come back when called', () => {
    const before = keptTapeStats();
    setKeptTapeBudget(4096);
    try {
      const x = np.ones([100], { dtype: 'float64' });
      const pulls = Array.from({ length: 20 }, (_, k) => vjp((v: any) => np.multiply(v, k + 1), x)[1]);
      assert.ok(keptTapeStats().residentBytes <= 4096 + 1024, `resident ${keptTapeStats().residentBytes}`);
      for (let k = 0; k < 20; k++) assert.equal(pulls[k](np.ones([100], { dtype: 'float64' }))[0].dataSync()[7], k + 1);
    } finally {
      setKeptTapeBudget(before.budget);
    }
  });

  test('the resident list stays consistent through touches, evictions, restores and disposals', () => {
    const before = keptTapeStats();
    try {
      const x = np.ones([100], { dtype: 'float64' });
      const pulls = Array.from({ length: 40 }, (_, k) => vjp((v: any) => np.multiply(v, k + 1), x)[1]);
      const bytes = keptTapeStats().residentBytes / keptTapeStats().resident; // (all the same size here)
      setKeptTapeBudget(6 * bytes);
      assert.equal(keptTapeStats().resident, 6, 'setKeptTapeBudget evicts down to the budget');
      const live = new Set(pulls.keys());
      let seed = 7;
      const next = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
      for (let step = 0; step < 400; step++) {
        const k = next(40);
        if (step % 37 === 36 && live.has(k)) { pulls[k].dispose(); live.delete(k); continue; }
        if (!live.has(k)) { assert.throws(() => pulls[k](x), ValueError); continue; }
        assert.equal(pulls[k](x)[0].dataSync()[3], k + 1); // restored if it was evicted, then most recent
        const s = keptTapeStats();
        assert.ok(s.resident >= 1 && s.resident <= 6, `resident ${s.resident}`);
        assert.ok(Math.abs(s.residentBytes - s.resident * bytes) < 1e-9, 'bytes agree with the count');
      }
      // Shrinking the budget below the resident bytes evicts down to it; the evicted still answer.
      const last = [...live].slice(0, 3);
      for (const k of last) pulls[k](x);
      setKeptTapeBudget(3 * bytes);
      assert.equal(keptTapeStats().resident, 3);
      for (const k of last) assert.equal(pulls[k](x)[0].dataSync()[0], k + 1);
      assert.equal(keptTapeStats().resident, 3);
      for (const k of live) pulls[k].dispose();
    } finally {
      setKeptTapeBudget(before.budget);
    }
  });

  test('a kept pullback inside a later trace: grad through it, and the vjp of a pullback', () => {
    // f(x) = x^3 (elementwise); its pullback p(u) = 3 x^2 u is linear in u.
    const x = f64([0.5, -2]);
    const [, p] = vjp((v: any) => np.multiply(np.multiply(v, v), v), x);
    // grad of u -> sum(p(u)^2) is 2 (3x^2)^2 u
    const u = f64([1.5, 0.25]);
    const g = grad((w: any) => np.sum(np.square(p(w)[0])))(u);
    close(g.dataSync(), [0.5, -2].map((xi, i) => 2 * (3 * xi * xi) ** 2 * [1.5, 0.25][i]));
    // vjp of the pullback: the transpose of u -> 3x^2 u is itself
    const [, pp] = vjp((w: any) => p(w)[0], u);
    close(pp(f64([1, 1]))[0].dataSync(), [0.75, 12]);
    // jvp through the pullback, and a linearize'd function used later
    const [, t] = jvp((w: any) => p(w)[0], [u], [f64([2, 0])]);
    close(t.dataSync(), [1.5, 0]);
    const [, lin] = linearize((v: any) => np.sin(v), x);
    for (let i = 0; i < 3; i++) vjp((v: any) => np.cos(v), x);
    close(lin(f64([1, 1])).dataSync(), [Math.cos(0.5), Math.cos(-2)]);
  });

  test('nested: a pullback made inside grad differentiates through its residuals', () => {
    // h(x) = <vjp(sin, x)(1), 1> = sum(cos x); h'(x) = -sin x
    const h = (x: any) => np.sum(vjp((v: any) => np.sin(v), x)[1](np.onesLike(x))[0]);
    const x = f64([0.2, 1.3]);
    close(grad(h)(x).dataSync(), [-Math.sin(0.2), -Math.sin(1.3)]);
    checkGrads(h, [x], { order: 2 });
    // and it refuses to be used after its trace ended
    let leaked: any = null;
    grad((v: any) => { leaked = vjp((w: any) => np.sin(w), v)[1]; return np.sum(v); })(x);
    assert.throws(() => leaked(f64([1, 1])), TracerError);
  });
});

describe('operand lists and tuple rows', () => {
  test('concatenate and split: values, both transforms, second order', () => {
    const x = np.reshape(f64([1, 2, 3, 4, 5, 6]), [2, 3]);
    const y = np.reshape(f64([7, 8]), [2, 1]);
    assert.deepEqual(np.concatenate([x, y, x], { axis: 1 }).tolist(), [[1, 2, 3, 7, 1, 2, 3], [4, 5, 6, 8, 4, 5, 6]]);
    const [p, q] = np.split(x, [1], { axis: 1 });
    assert.deepEqual(p.tolist(), [[1], [4]]);
    assert.deepEqual(q.tolist(), [[2, 3], [5, 6]]);
    assert.deepEqual(np.stack([f64([1, 2]), f64([3, 4])], { axis: 1 }).tolist(), [[1, 3], [2, 4]]);
    // f(x, y) = sum(concat(x^2, sin y) * w): grads 2x w_x and cos(y) w_y
    const w = np.reshape(f64([1, -2, 3, 0.5, 4, -1, 2, 0.25]), [2, 4]);
    const f = (u: any, v: any) => np.sum(np.multiply(np.concatenate([np.square(u), np.sin(v)], { axis: 1 }), w));
    const [gx, gy] = grad(f, { argnums: [0, 1] })(x, y);
    close(gx.dataSync(), [2 * 1 * 1, 2 * 2 * -2, 2 * 3 * 3, 2 * 4 * 4, 2 * 5 * -1, 2 * 6 * 2]);
    close(gy.dataSync(), [Math.cos(7) * 0.5, Math.cos(8) * 0.25]);
    checkGrads(f, [x, y], { order: 2 });
    // g(x) = sum(first piece * last piece^2)
    const g = (u: any) => { const [s, , t] = np.split(u, [1, 2], { axis: 1 }); return np.sum(np.multiply(s, np.square(t))); };
    close(grad(g)(x).dataSync(), [9, 0, 6, 36, 0, 48]);
    checkGrads(g, [x], { order: 2 });
  });

  test('a split piece that is never used gets a zero cotangent', () => {
    const x = f64([1, 2, 3]);
    const g = grad((u: any) => np.sum(np.split(u, [2])[0]))(x);
    assert.deepEqual(Array.from(g.dataSync()), [1, 1, 0]);
  });

  test('bad operand lists are clear errors', () => {
    assert.throws(() => np.concatenate([]), ValueError);
    assert.throws(() => np.concatenate([np.ones([2, 2]), np.ones([3, 3])], { axis: 0 }), /concatenate/);
    assert.throws(() => np.split(np.ones([4]), 3), ValueError);
    assert.throws(() => lax.split(np.ones([4]), [1, 2], 0), /split/);
  });

  test('a tuple row of one output: lax.split into one piece', () => {
    // (it read the tuple row itself, which holds no value: 'Array: 0 values do not fill float32[]')
    const x = np.array([1, 2, 3]);
    assert.deepEqual(lax.split(x, [3]).map((a) => a.tolist()), [[1, 2, 3]]);
    assert.deepEqual(grad((v: any) => np.sum(np.multiply(lax.split(v, [3])[0], v)))(x).tolist(), [2, 4, 6]);
  });
});

describe('dtype dispatch is exhaustive', () => {
  test('int32 select, transpose and broadcast move the bits they are given', () => {
    const a = np.array([1000, -2, 3000], { dtype: 'int32' });
    const b = np.array([7, 8, 9], { dtype: 'int32' });
    const c = np.array([true, false, true]);
    assert.deepEqual(Array.from(lax.select(c, a, b).dataSync()), [1000, 8, 3000]);
    const m = np.array([1, -2, 3, 2 ** 31 - 1, -(2 ** 31), 6], { dtype: 'int32', shape: [2, 3] });
    assert.deepEqual(lax.transpose(m, [1, 0]).tolist(), [[1, 2 ** 31 - 1], [-2, -(2 ** 31)], [3, 6]]);
    assert.deepEqual(lax.broadcastInDim(a, [2, 3], [1]).tolist(), [[1000, -2, 3000], [1000, -2, 3000]]);
    const u = np.array([4000000000, 1], { dtype: 'uint32' });
    assert.deepEqual(lax.transpose(np.reshape(u, [2, 1]), [1, 0]).tolist(), [[4000000000, 1]]);
  });

  test('a dtype an op has no kernel for is a DTypeError, never stale bytes', () => {
    const z = np.array(new Float64Array([1, 2, 3, 4]), { dtype: 'complex128', shape: [2] });
    // complex128 (16-byte elements) moves through transpose and broadcast (issue 11) ...
    assert.deepEqual(lax.transpose(np.reshape(z, [1, 2]), [1, 0]).tolist(), [[{ re: 1, im: 2 }], [{ re: 3, im: 4 }]]);
    assert.deepEqual(lax.broadcastInDim(z, [2, 2], [1]).tolist()[1], [{ re: 1, im: 2 }, { re: 3, im: 4 }]);
    // ... but has no order: max, floor and erf have no complex kernel
    assert.throws(() => lax.max(z, z), DTypeError);
    assert.throws(() => lax.floor(z), DTypeError);
    assert.throws(() => lax.erf(z), DTypeError);
    // the sum primitive takes no bools (np.sum converts them to int32 first, as jnp.sum)
    assert.throws(() => lax.reduceSum(np.array([true, false]), [0]), DTypeError);
    assert.equal(Number(np.sin(0.5).item()), Math.fround(Math.sin(0.5)));
  });
});

describe('transforms unwind and skip dead rows', () => {
  test('rows that reach no output are not differentiated (arena figures)', () => {
    const x = np.ones([100000], { dtype: 'float64' });
    const live = (v: any) => np.sum(np.multiply(v, v));
    const dead = (v: any) => { np.sin(v); np.sin(np.exp(v)); np.tanh(np.cos(v)); return live(v); };
    grad(live)(x);
    const usedLive = wasm().arena_used();
    grad(dead)(x);
    const usedDead = wasm().arena_used();
    // The dead forward values cost 6 arrays of 800 kB; differentiating them would cost as many again.
    const bytes = 100000 * 8;
    assert.ok(usedDead - usedLive <= 6 * bytes + 64 * 1024, `dead code grew the arena by ${usedDead - usedLive} bytes`);
  });
});
