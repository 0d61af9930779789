// Reductions, scans and quantiles at the edges new users found (references: numpy 2.4 and jnp's
// definitions, worked by hand): complex extremes with infinite imaginary parts, interpolation
// next to an infinity, and the dtype option's result dtype.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, jacrev, jacfwd, jit, vmap } from '../ts/index.ts';

const C = (v: number[][]) => np.array(v.map(([re, im]) => ({ re, im })), { dtype: 'complex64' });
const parts = (z: any) => { const v = z.item(); return [v.re, v.im]; };

test('complex max/min/argmax/argmin/ptp: an infinite imaginary part of the extreme is not mistaken for padding', () => {
  // numpy's lexicographic order: (3, -inf) > (0, 0); (-3, inf) < (0, 0)
  assert.deepEqual(parts(np.max(C([[0, 0], [3, -Infinity]]))), [3, -Infinity]);
  assert.equal(np.argmax(C([[0, 0], [3, -Infinity]])).item(), 1);
  assert.deepEqual(parts(np.min(C([[0, 0], [-3, Infinity]]))), [-3, Infinity]);
  assert.equal(np.argmin(C([[0, 0], [-3, Infinity]])).item(), 1);
  assert.deepEqual(parts(np.ptp(C([[0, 0], [1, -Infinity]]))), [1, -Infinity]);
  // ties: the first of the extreme imaginary parts among the extreme real parts
  assert.equal(np.argmax(C([[3, -Infinity], [3, -Infinity], [0, 0]])).item(), 0);
  assert.equal(np.argmax(C([[1, 2], [1, 5], [1, 5], [0, 9]])).item(), 1);
  assert.equal(np.argmax(C([[1, 2], [NaN, 5], [1, 5]])).item(), 1); // a NaN entry wins, first one
  assert.deepEqual(np.argmax(C([[0, 0], [3, -Infinity], [3, -Infinity], [2, 1]]).reshape(2, 2), { axis: 1 }).tolist(), [1, 0]);
});

test('complex cummax/cummin keep entries whose real part is -inf/+inf (the scan pads with the lexicographic bound)', () => {
  const cm = np.cummax(C([[-Infinity, -1], [0, 0]])).tolist() as any[];
  assert.deepEqual([cm[0].re, cm[0].im, cm[1].re, cm[1].im], [-Infinity, -1, 0, 0]);
  const cn = np.cummin(C([[Infinity, 1], [0, 0]])).tolist() as any[];
  assert.deepEqual([cn[0].re, cn[0].im, cn[1].re, cn[1].im], [Infinity, 1, 0, 0]);
  const c = np.cummax(C([[1, 1], [1, 0], [2, -1], [2, 3]])).tolist() as any[];
  assert.deepEqual(c.map((z) => [z.re, z.im]), [[1, 1], [1, 1], [2, -1], [2, 3]]);
});

test('quantile next to an infinity: JAX\'s a (1 - t) + b t (numpy\'s lerp gives -inf + inf t = NaN), as median does', () => {
  const f = (v: number[]) => np.array(new Float64Array(v));
  assert.equal(np.quantile(f([-Infinity, 5]), 0.5).item(), -Infinity);
  assert.equal(np.median(f([-Infinity, 5])).item(), -Infinity);
  assert.equal(np.percentile(f([-Infinity, 2, 3]), 25).item(), -Infinity);
  assert.equal(np.quantile(f([1, Infinity]), 0.5).item(), Infinity);
  assert.equal(np.quantile(f([Infinity, Infinity]), 0.3).item(), Infinity);
  assert.ok(Number.isNaN(np.quantile(f([-Infinity, Infinity]), 0.3).item() as number));
  assert.equal(np.quantile(f([1, 2, 3, 4]), 0.1).item(), 1.3); // finite ends: numpy's lerp, unchanged
});

test('quantile takes an Array q (as jnp) and an empty list of q', () => {
  const x = np.array(new Float64Array([1, 2, 3, 4]));
  assert.deepEqual(np.quantile(x, np.array(new Float64Array([0.5, 1]))).tolist(), [2.5, 4]);
  assert.equal(np.quantile(x, np.array(0.5, { dtype: 'float64' })).item(), 2.5);
  assert.deepEqual(np.quantile(x, []).shape, [0]);
  assert.deepEqual(np.quantile(np.ones([2, 3]), [], { axis: 1 }).shape, [0, 2]);
});

test('sum/prod/mean with dtype: the result has that dtype (numpy\'s and jnp\'s), not only the operand', () => {
  const s = np.sum(np.array([1.5, 1.5, 0]), { dtype: 'bool' });
  assert.equal(s.dtype, 'bool'); assert.equal(s.item(), true);
  const p = np.prod(np.array([true, true, false]), { dtype: 'bool' });
  assert.equal(p.dtype, 'bool'); assert.equal(p.item(), false);
  const m = np.mean(np.array([1, 2], { dtype: 'int32' }), { dtype: 'int32' });
  assert.equal(m.dtype, 'int32'); assert.equal(m.item(), 1); // 3 / 2 truncated
  assert.equal(np.mean(np.array([-1, -2], { dtype: 'int32' }), { dtype: 'int32' }).item(), -1);
  const w = np.sum(np.array([[1, 2], [3, 4]]), { dtype: 'float64', axis: 0, keepdims: true });
  assert.equal(w.dtype, 'float64'); assert.deepEqual(w.tolist(), [[4, 6]]);
});

test('float32 cumprod keeps float32\'s overflow and underflow (numpy and jnp): no product comes back from inf or 0', () => {
  const f = (v: number[]) => np.array(v, { dtype: 'float32' });
  const vals = (a: any) => Array.from(a.dataSync() as Float32Array).map((v) => (Object.is(v, -0) ? '-0' : String(v)));
  const big = String(Math.fround(1e30)), tiny = String(Math.fround(1e-30));
  // numpy 2.4: np.cumprod(np.float32([...]))
  assert.deepEqual(vals(np.cumprod(f([1e30, 1e30, 1e-30, 1e-30]))), [big, 'Infinity', 'Infinity', 'Infinity']);
  assert.deepEqual(vals(np.cumprod(f([-1e30, 1e30, 1e-30, -1, 0, 2]))), ['-' + big, '-Infinity', '-Infinity', 'Infinity', 'NaN', 'NaN']);
  assert.deepEqual(vals(np.cumprod(f([1e-30, -1e-30, 1e30, 1e30]))), [tiny, '-0', '-0', '-0']);
  assert.deepEqual(vals(np.cumprod(np.array([[1e30, 2], [1e30, 3], [1e-30, 4]], { dtype: 'float32' }), { axis: 0 })),
    [big, '2', 'Infinity', '6', 'Infinity', '24']);
  assert.deepEqual(vals(np.cumprod(f([2, 3, 4]))), ['2', '6', '24']); // ordinary products unchanged
  // past an underflow, 0 * inf is NaN, and stays NaN (numpy: float32 arithmetic)
  assert.deepEqual(vals(np.cumprod(f([1e-30, 1e-30, Infinity]))), [tiny, '0', 'NaN']);
  assert.deepEqual(vals(np.cumprod(f([1e-30, 1e-30, 1e30, -Infinity, 2]))), [tiny, '0', '0', 'NaN', 'NaN']);
});

test('float32 cumprod\'s derivatives past an overflow or underflow are the products\' (d c_i / d x_j = prod of the other x_k, k <= i), rounded to float32', () => {
  const f = (v: number[]) => np.array(v, { dtype: 'float32' });
  const fr = Math.fround;
  // d c_1/dx_0 = x_1 = 1e-30 though c_1 underflowed; d c_2/dx_0 = x_1 x_2 = 1
  assert.deepEqual(jacrev(np.cumprod)(f([1e-30, 1e-30, 1e30])).tolist(), [[1, 0, 0], [fr(1e-30), fr(1e-30), 0], [fr(fr(1e-30) * fr(1e30)), fr(fr(1e-30) * fr(1e30)), 0]]);
  // c_1 = 1e40 overflowed: its derivatives are still x_1 and x_0
  const J = jacfwd(np.cumprod)(f([1e20, 1e20, 2])).tolist() as number[][];
  assert.deepEqual(J[1], [fr(1e20), fr(1e20), 0]);
  assert.deepEqual(J[2].slice(0, 2), [fr(fr(1e20) * 2), fr(fr(1e20) * 2)]);
  assert.deepEqual(jacrev(np.cumprod)(f([1e20, 1e20, 2])).tolist(), J);
});

test('empty reductions with a value in numpy/JAX: logsumexp with b is -inf, the inf-norm of an empty vector 0; norm\'s axis errors name it', () => {
  assert.equal(np.logsumexp(np.zeros([0]), { b: np.zeros([0]) }).item(), -Infinity);
  assert.deepEqual(np.logsumexp(np.zeros([2, 0]), { b: np.ones([2, 0]), axis: 1 }).tolist(), [-Infinity, -Infinity]);
  assert.equal(np.norm(np.zeros([0]), { ord: Infinity }).item(), 0); // numpy: np.linalg.norm(np.zeros(0), np.inf) = 0.0
  assert.deepEqual(np.norm(np.zeros([2, 0]), { ord: Infinity, axis: 1 }).tolist(), [0, 0]);
  assert.equal(np.norm(np.array([-3, 2]), { ord: Infinity }).item(), 3);
  assert.throws(() => np.norm(np.zeros([2, 3]), { axis: 5 }), /np\.norm: axis 5 is out of bounds/);
});

test('cumsum is one primitive: float32 summed in float64 (each prefix rounded once), a -0 first element kept, ints wrapping, any axis', () => {
  const n = 1 << 20;
  const c = np.cumsum(np.ones([n])).dataSync();
  assert.equal(c[n - 1], n); assert.equal(c[12345], 12346); // exact, as float64 sums of ones are
  // 1e8 + 1 + 1 ...: float32 sequential sums would stick at 1e8; float64 then rounded gives the nearest float32
  const v = np.cumsum(np.array([1e8, 1, 1, 1, 1])).dataSync();
  assert.equal(v[4], Math.fround(1e8 + 4));
  assert.ok(Object.is(np.cumsum(np.array([-0])).dataSync()[0], -0));
  assert.deepEqual(np.cumsum(np.array([2147483647, 1], { dtype: 'int32' })).tolist(), [2147483647, -2147483648]);
  const x = np.array([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' });
  assert.deepEqual(np.cumsum(x, { axis: 0 }).tolist(), [[1, 2, 3], [5, 7, 9]]);
  assert.deepEqual(np.cumsum(x, { axis: -1 }).tolist(), [[1, 3, 6], [4, 9, 15]]);
  assert.deepEqual(np.cumsum(x).tolist(), [1, 3, 6, 10, 15, 21]);
});

test('median of two values near the dtype\'s max is finite, as quantile(x, 0.5) and jnp.median (the midpoint sum overflowed)', () => {
  assert.equal(np.median(np.array([3e38, 3.4e38], { dtype: 'float32' })).item(), np.quantile(np.array([3e38, 3.4e38], { dtype: 'float32' }), 0.5).item());
  assert.equal(np.median(np.array([1.7e308, 1.7e308], { dtype: 'float64' })).item(), 1.7e308);
  assert.equal(np.median(np.array([1, 2, 3, 4], { dtype: 'float64' })).item(), 2.5);
});

test('a float sum starts from +0: a sum of -0s is +0 (numpy\'s add.reduce, JAX\'s reduce_sum), every path and axis; an empty axis list sums nothing', () => {
  // numpy: np.sum(np.array([-0.0] * n)) and its axis sums are 0.0 (it was -0 wherever the first element started the sum)
  const signs = (a: ArrayLike<number>) => [...a].map((v) => (Object.is(v, -0) ? '-0' : v));
  for (const dtype of ['float32', 'float64'] as const) {
    for (const n of [1, 2, 3, 7, 8, 9, 33, 300]) {
      assert.deepEqual(signs([np.sum(np.full([n], -0, dtype)).item() as number]), [0], `${dtype} n=${n}`);
      for (const [r, c] of [[n, 3], [3, n], [n, 1], [1, n]]) {
        for (const axis of [0, 1]) {
          const got = signs(np.sum(np.full([r, c], -0, dtype), { axis }).dataSync());
          assert.ok(got.every((v) => v === 0), `${dtype} ${r}x${c} axis ${axis}: ${got}`);
        }
      }
    }
    assert.deepEqual(signs([np.mean(np.full([3], -0, dtype)).item() as number]), [0]);
    // the other values are the sums as before: -0 + 1.5 + -0 = 1.5, NaN stays NaN
    assert.deepEqual(signs(np.sum(np.array([[-0, 1.5, -0], [NaN, -0, -0]], { dtype }), { axis: 1 }).dataSync()), [1.5, NaN]);
    // JAX's reduce_sum over no axes is the identity: -0 stays
    assert.deepEqual(signs(np.sum(np.array([-0], { dtype }), { axis: [] }).dataSync()), ['-0']);
  }
});

test('cumsum/cumprod take jnp\'s dtype: the input converted first, the running values in it (it was refused as an unknown option)', () => {
  // numpy: np.cumsum(np.float32([1.5, 2.5, 3.7]), dtype=np.int32) = [1, 3, 6]; np.cumsum([False, True, False], dtype=bool) = [F, T, T]
  const a = np.cumsum(np.array([1.5, 2.5, 3.7]), { dtype: 'int32' });
  assert.equal(a.dtype, 'int32'); assert.deepEqual(a.tolist(), [1, 3, 6]);
  const b = np.cumsum(np.array([1, 2, 3], { dtype: 'int32' }), { dtype: 'float64', axis: 0 });
  assert.equal(b.dtype, 'float64'); assert.deepEqual(b.tolist(), [1, 3, 6]);
  assert.deepEqual(np.cumsum(np.array([false, true, false]), { dtype: 'bool' }).tolist(), [false, true, true]);
  assert.deepEqual(np.cumprod(np.array([true, true, false, true]), { dtype: 'bool' }).tolist(), [true, true, false, false]);
  // float32 input, float64 running products: the products of the float32 values in double (numpy's with dtype=float64)
  assert.deepEqual(np.cumprod(np.array([0.1, 0.2]), { dtype: 'float64' }).tolist(), [Math.fround(0.1), Math.fround(0.1) * Math.fround(0.2)]);
  assert.throws(() => np.cumsum(np.array([1]), { dtype: 'int64' as any }), /np\.cumsum/);
});

test('prod pairs neighbours: alternating 1e10, 1e-10 is 1 (pairing the halves overflowed to inf, then inf * 0 = NaN)', () => {
  const alt = (n: number) => np.array(Array.from({ length: n }, (_, i) => (i % 2 ? 1e10 : 1e-10)), { dtype: 'float64' });
  // numpy.prod gives 1.0 for both; the exact product is 1
  assert.equal(np.prod(alt(64)).item(), 1);
  assert.equal(np.prod(alt(129)).item(), 1e-10);
  assert.equal(np.prod(np.array([1e200, 1e-200, 1e200, 1e-200], { dtype: 'float64' })).item(), 1);
  // the gradient, the product of the others: 1e-10 at an odd position (it went through subnormals before, 1e-5 off)
  const g = grad((x: any) => np.prod(x))(alt(64)).tolist() as number[];
  assert.ok(Math.abs(g[1] - 1e-10) < 1e-24 && Math.abs(g[0] - 1e10) < 1e-4, `${g[0]}, ${g[1]}`);
});

test('large eager cumprod/cummax/cummin (the jitted scan, from 65536 elements) give the small path\'s values, axes and dtypes kept', () => {
  const n = 70000;
  let s = 7;
  const rnd = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
  const v = Array.from({ length: n }, () => 1 + (rnd() - 0.5) * 1e-3);
  v[5] = NaN; // (cummax from here on is NaN, as numpy's)
  for (const dtype of ['float32', 'float64'] as const) {
    const x = np.array(v, { dtype }), head = np.array(v.slice(0, 1000), { dtype });
    for (const f of [np.cumprod, np.cummax, np.cummin]) {
      const big = f(x), small = f(head);
      assert.equal(big.dtype, dtype);
      assert.deepEqual(Array.from(big.dataSync()).slice(0, 1000), Array.from(small.dataSync()), `${f.name} ${dtype}`);
    }
  }
  const w = Array.from({ length: 90000 }, () => rnd() * 4 - 2);
  const got = np.cummax(np.array(w, { dtype: 'float64' })).dataSync();
  let m = -Infinity;
  for (let i = 0; i < w.length; i += 997) { for (let j = i === 0 ? 0 : i - 996; j <= i; j++) m = Math.max(m, w[j]); assert.equal(got[i], m); }
  // along axis 0 of [300, 300], and a bool result of ints
  const M = np.reshape(np.array(w.slice(0, 90000), { dtype: 'float64' }), [300, 300]);
  assert.deepEqual(np.cummin(M, { axis: 0 }).get(-1, '0:5').tolist(), np.min(M, { axis: 0 }).get('0:5').tolist());
  assert.equal(np.cumprod(np.ones([n], 'int32'), { dtype: 'bool' }).dtype, 'bool');
  assert.equal(np.cumprod(np.ones([n], 'int32')).get(-1).item(), 1);
});

test('quantile at a traced q whose position is whole keeps an infinite value there (jit and vmap were NaN: inf * 0 in the lerp), as eager', () => {
  const f = (v: number[]) => np.array(new Float32Array(v));
  const q = (v: number) => np.array(v, { dtype: 'float32' });
  for (const [xs, qv, want] of [[[-Infinity, 5], 0, -Infinity], [[1, Infinity], 1, Infinity], [[-Infinity, 2, Infinity], 0.5, 2], [[-Infinity, -Infinity, 3], 0.25, -Infinity]] as [number[], number, number][]) {
    const x = f(xs);
    assert.equal(np.quantile(x, qv).item(), want);
    assert.equal(np.quantile(x, q(qv)).item(), want);
    assert.equal(jit((t: any) => np.quantile(x, t))(q(qv)).item(), want);
    assert.deepEqual(vmap((t: any) => np.quantile(x, t))(f([qv, qv])).tolist(), [want, want]);
  }
  // the derivative in q at a whole position is still 0 (jnp's floor = ceil), next to an infinity too
  assert.equal(grad((t: any) => np.quantile(f([1, 2, 4]), t))(q(0.5)).item(), 0);
});

test('quantile at a concrete Array q has the bits of the same q under jit and vmap (its positions were computed in double eagerly)', () => {
  const x = np.array(new Float32Array([3, -2, 5, 4, -9, 1]));
  const q = np.array(new Float32Array([0.3, 0.1, 0.9, 0.77, 0]));
  // numpy with float32 x and q: np.quantile(x, np.float32(0.3)) = -0.5 (the position 0.3f * 5 rounds to 1.5 in float32)
  assert.equal(np.quantile(x, np.array(0.3, { dtype: 'float32' })).item(), -0.5);
  const eager = [...np.quantile(x, q).dataSync()];
  assert.deepEqual(eager, [...jit((t: any) => np.quantile(x, t))(q).dataSync()]);
  assert.deepEqual(eager, [...vmap((t: any) => np.quantile(x, t))(q).dataSync()]);
  assert.deepEqual([...np.percentile(x, np.multiply(q, 100)).dataSync()], [...jit((t: any) => np.percentile(x, t))(np.multiply(q, 100)).dataSync()]);
  // a concrete q out of range is still numpy's ValueError
  assert.throws(() => np.quantile(x, np.array(new Float32Array([0.5, 1.5]))), /np\.quantile: q must be/);
});

test('argmax/argmin of an empty axis name the operand\'s dtype (an int32 operand was named float64[3,0], its internal keys)', () => {
  const e = np.zeros([3, 0], { dtype: 'int32' });
  assert.throws(() => np.argmax(e, { axis: 1 }), (err: any) => /empty sequence \(int32\[3,0\], axis 1\)/.test(err.message));
  assert.throws(() => np.argmin(np.zeros([2, 0], { dtype: 'bool' }), { axis: -1 }), (err: any) => /empty sequence \(bool\[2,0\], axis -1\)/.test(err.message));
  // sort/partition of a 0-d bool named float32[] the same way
  assert.throws(() => np.sort(np.array(true)), (err: any) => /cannot sort a 0-d array bool\[\]/.test(err.message));
  assert.throws(() => np.partition(np.array(false), 0), (err: any) => /cannot sort a 0-d array bool\[\]/.test(err.message));
});

test('mean with an integer dtype sums in that dtype (wrapping) and divides truncating, as jnp and numpy (it went through float32)', () => {
  const i32 = (v: number[]) => np.array(v, { dtype: 'int32' });
  // numpy 2.4: np.mean(np.array(v, np.int32), dtype=np.int32) and the uint32 analogue
  assert.equal(np.mean(i32([16777217, 16777217, 1]), { dtype: 'int32' }).item(), 11184811); // was 11184810
  assert.equal(np.mean(i32([2147483647, 2147483647]), { dtype: 'int32' }).item(), -1); // was 2147483647
  assert.equal(np.mean(np.array([4294967295, 4294967295], { dtype: 'uint32' }), { dtype: 'uint32' }).item(), 2147483647); // was 4294967295
  assert.deepEqual(np.mean(i32([7, 8, 1, -4]).reshape([2, 2]), { axis: 1, dtype: 'int32' }).tolist(), [7, -1]);
  assert.equal(np.mean(np.array([0.5, 2.5, 2.9]), { dtype: 'int32' }).item(), 1);
  assert.equal(jit((x: any) => np.mean(x, { dtype: 'int32' }))(i32([16777217, 16777217, 1])).item(), 11184811);
  assert.deepEqual(vmap((x: any) => np.mean(x, { dtype: 'int32' }))(i32([16777217, 16777217, 1, 5, 6, 8]).reshape([2, 3])).tolist(), [11184811, 6]);
});
