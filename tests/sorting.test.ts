// Sorting against JS references: stable argsort with NaNs last, sort values and their
// gradient through the permutation, topK (ties by lower index), searchsorted both sides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, grad, vmap, jit, checkGrads, ValueError, AxisError, type Array as NDArray } from '../ts/index.ts';

/** numpy's order: NaN after every number; stable on ties. */
const cmp = (a: number, b: number) => (Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : Number.isNaN(b) ? -1 : a - b);
const refArgsort = (v: number[]) => v.map((_, i) => i).sort((i, j) => cmp(v[i], v[j]) || i - j);

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
}

test('argsort and sort match a stable JS sort (ties, NaN, -inf/inf, lengths through the merge passes), any axis', () => {
  const r = lcg(3);
  for (const n of [1, 2, 3, 7, 16, 33, 100]) {
    for (const dtype of ['float32', 'float64'] as const) {
      const v = Array.from({ length: n }, () => Math.floor(r() * 5) - 2);
      if (n > 3) { v[1] = NaN; v[n - 1] = -Infinity; v[2] = Infinity; }
      const x = np.array(v, { dtype });
      const want = refArgsort(v);
      assert.deepEqual(np.argsort(x).tolist(), want, `argsort n=${n} ${dtype}`);
      assert.deepEqual(np.sort(x).tolist(), want.map((i) => v[i]), `sort n=${n} ${dtype}`);
      const wantDesc = v.map((_, i) => i).sort((i, j) => cmp(v[j], v[i]) || i - j);
      assert.deepEqual(np.argsort(x, { descending: true }).tolist(), wantDesc, `descending n=${n}`);
    }
  }
  const m = [[3, 1, 2], [1, 1, 0]];
  assert.deepEqual(np.sort(np.array(m), 0).tolist(), [[1, 1, 0], [3, 1, 2]]);
  assert.deepEqual(np.argsort(np.array(m), { axis: 0 }).tolist(), [[1, 0, 1], [0, 1, 0]]);
  assert.deepEqual(np.sort(np.array(m), null).tolist(), [0, 1, 1, 1, 2, 3]);
  assert.equal(np.argsort(np.array(m)).dtype, 'int32');
  assert.throws(() => np.sort(np.array(m), 2), AxisError);
  assert.throws(() => np.sort(np.array(1)), ValueError);
});

test('long lines (the radix sort): stable, -0 tied with 0, every NaN (either sign) last, extremes and subnormals, both orders, strided axes', () => {
  const r = lcg(11);
  const pool = [0, -0, 1, -1, 2.5, -2.5, Infinity, -Infinity, NaN, -NaN, 1e30, -1e30, 1e-40, -1e-40, 3e38, -3e38];
  for (const n of [127, 128, 129, 511, 3000]) {
    for (const dtype of ['float32', 'float64'] as const) {
      const v = Array.from({ length: n }, () => (r() < 0.5 ? pool[Math.floor(r() * pool.length)] : (r() - 0.5) * 10 ** Math.floor(r() * 20 - 10)));
      const f = dtype === 'float32' ? Float32Array.from(v) : Float64Array.from(v);
      // a NaN with the sign bit set (JS's NaN constant never has it)
      new Uint8Array(f.buffer)[f.BYTES_PER_ELEMENT * 8 - 1] |= 0x80;
      f[7] = NaN;
      if (dtype === 'float64') f[9] = 5e-324;
      const vals = Array.from(f);
      const x = np.array(f);
      const want = refArgsort(vals);
      assert.deepEqual(np.argsort(x).tolist(), want, `argsort n=${n} ${dtype}`);
      // -0 and 0 are ties: each keeps its place among the others (sign kept, as numpy's values)
      const got = Array.from(np.sort(x).dataSync() as Float32Array);
      assert.ok(got.every((g, i) => Object.is(g, vals[want[i]]) || (Number.isNaN(g) && Number.isNaN(vals[want[i]]))), `sort n=${n} ${dtype}`);
      const wantDesc = vals.map((_, i) => i).sort((i, j) => cmp(vals[j], vals[i]) || i - j);
      assert.deepEqual(np.argsort(x, { descending: true }).tolist(), wantDesc, `descending n=${n} ${dtype}`);
      // along axis 0 of [n, 3]: strided lines, each sorted on its own
      const m = np.stack([x, np.negative(x), np.flip(x)], { axis: 1 });
      const cols = [vals, vals.map((t) => -t), [...vals].reverse()];
      assert.deepEqual(np.transpose(np.argsort(m, { axis: 0 })).tolist(), cols.map(refArgsort), `axis 0 n=${n} ${dtype}`);
    }
  }
  // lines where only some radix digits vary (the others' passes are skipped), and all-equal lines
  for (const dtype of ['float32', 'float64'] as const) {
    const ulp = dtype === 'float32' ? 2 ** -23 : 2 ** -52;
    const gens: [string, () => number][] = [['low bits', () => 1 + Math.floor(r() * 2048) * ulp], ['exponents', () => 2 ** Math.floor(r() * 60 - 30)],
      ['signs', () => (r() < 0.5 ? -1 : 1)], ['equal', () => 3]];
    for (const [what, gen] of gens) {
      const vals = Array.from(dtype === 'float32' ? Float32Array.from({ length: 5000 }, gen) : Float64Array.from({ length: 5000 }, gen));
      const x = np.array(vals, { dtype });
      assert.deepEqual(np.argsort(x).tolist(), refArgsort(vals), `${what} ${dtype}`);
      assert.deepEqual(np.argsort(x, { descending: true }).tolist(), vals.map((_, i) => i).sort((i, j) => cmp(vals[j], vals[i]) || i - j), `${what} ${dtype} descending`);
    }
  }
});

test('sort differentiates through the permutation; indices carry no tangent', () => {
  const v = [0.3, -1.2, 2.5, 0.7];
  const x = np.array(v, { dtype: 'float64' });
  const w = np.array([1, 10, 100, 1000], { dtype: 'float64' });
  // d/dx sum(w * sort(x)) = w placed back at each element's sorted position.
  const order = refArgsort(v);
  const want = new Array(4);
  order.forEach((src, k) => { want[src] = [1, 10, 100, 1000][k]; });
  assert.deepEqual(grad((y: NDArray) => np.sum(np.multiply(w, np.sort(y))))(x).tolist(), want);
  checkGrads((y: NDArray) => np.sort(np.multiply(y, y)), [x], { order: 2 });
  checkGrads((y: NDArray) => lax.topK(y, 2)[0], [x], { order: 2 });
  checkGrads((y: NDArray) => np.sort(y, { axis: 0, descending: true }), [np.array([[1, 5], [3, -2], [0.5, 4]], { dtype: 'float64' })], { order: 2 });
});

test('topK: [values, int32 indices] of the k largest along the last axis, ties by lower index', () => {
  const [vals, idx] = lax.topK(np.array([[1, 3, 3, 2], [5, -1, 7, 7]]), 3);
  assert.deepEqual(vals.tolist(), [[3, 3, 2], [7, 7, 5]]);
  assert.deepEqual(idx.tolist(), [[1, 2, 3], [2, 3, 0]]);
  assert.equal(idx.dtype, 'int32');
  assert.deepEqual(lax.topK(np.array([1, 2]), 0)[0].shape, [0]);
  assert.throws(() => lax.topK(np.array([1, 2]), 3), ValueError);
});

test('searchsorted: left and right insertion points, NaN at the end', () => {
  const a = [1, 2, 2, 3, 5];
  const v = [0, 1, 2, 2.5, 5, 6, -Infinity];
  const left = (q: number) => a.filter((e) => e < q).length, right = (q: number) => a.filter((e) => e <= q).length;
  assert.deepEqual(np.searchsorted(np.array(a), np.array(v)).tolist(), v.map(left));
  assert.deepEqual(np.searchsorted(np.array(a), np.array(v), { side: 'right' }).tolist(), v.map(right));
  assert.deepEqual(np.searchsorted(np.array([1, 2, NaN]), np.array([NaN, 3])).tolist(), [2, 2]);
  assert.deepEqual(np.searchsorted(np.array(a), 2, 'right').tolist(), 3);
  assert.throws(() => np.searchsorted(np.ones([2, 2]), 1), ValueError);
});

test('sort and argsort of empty arrays: the empty result, shape and dtype kept, on any axis', () => {
  for (const shape of [[0], [3, 0], [0, 4]]) {
    for (const axis of [-1, 0, null]) {
      const x = np.zeros(shape);
      const want = axis === null ? [0] : shape;
      const s = np.sort(x, { axis }), i = np.argsort(x, { axis });
      assert.deepEqual(s.shape, want, `sort ${JSON.stringify(shape)} axis ${axis}`);
      assert.equal(s.dtype, 'float32');
      assert.deepEqual(i.shape, want);
      assert.equal(i.dtype, 'int32');
    }
  }
  assert.equal(np.sort(np.zeros([0], 'bool')).dtype, 'bool');
});

test('long int32 and uint32 lines (radix on their own keys): extremes, ties, passes skipped, both orders, strided axes', () => {
  const r = lcg(5);
  for (const dtype of ['int32', 'uint32'] as const) {
    const lo = dtype === 'int32' ? -(2 ** 31) : 0, hi = dtype === 'int32' ? 2 ** 31 - 1 : 2 ** 32 - 1;
    const pool = [lo, hi, lo + 1, hi - 1, 0, 1, 2047, 2048, 2 ** 22, 2 ** 22 - 1, dtype === 'int32' ? -1 : 2 ** 31];
    const lines: [string, (i: number) => number][] = [
      ['mixed', () => (r() < 0.4 ? pool[Math.floor(r() * pool.length)] : Math.floor(lo + r() * (hi - lo + 1)))],
      ['low digit only', () => Math.floor(r() * 2048)], // the two upper passes are skipped
      ['high bits only', () => Math.floor(r() * 512) * 2 ** 22 + (dtype === 'int32' ? lo : 0)],
      ['all equal', () => 7],
    ];
    for (const n of [127, 128, 129, 513, 3000, 70000]) {
      for (const [what, gen] of lines) {
        const vals = Array.from({ length: n }, (_, i) => gen(i));
        const x = np.array(vals, { dtype });
        const want = vals.map((_, i) => i).sort((i, j) => vals[i] - vals[j] || i - j);
        assert.deepEqual(np.argsort(x).tolist(), want, `argsort ${dtype} n=${n} ${what}`);
        assert.deepEqual(np.sort(x).tolist(), want.map((i) => vals[i]), `sort ${dtype} n=${n} ${what}`);
        const wantDesc = vals.map((_, i) => i).sort((i, j) => vals[j] - vals[i] || i - j);
        assert.deepEqual(np.argsort(x, { descending: true }).tolist(), wantDesc, `descending ${dtype} n=${n} ${what}`);
        if (n <= 3000) {
          const m = np.stack([x, np.flip(x)], { axis: 1 });
          const cols = [vals, [...vals].reverse()].map((c) => c.map((_, i) => i).sort((i, j) => c[i] - c[j] || i - j));
          assert.deepEqual(np.transpose(np.argsort(m, { axis: 0 })).tolist(), cols, `axis 0 ${dtype} n=${n} ${what}`);
        }
      }
    }
  }
});

test('int32 and uint32: max, min, argmax, argmin, sort, argsort, topK and searchsorted, exactly, extremes included', () => {
  const rng = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const r = rng(7);
  for (const dtype of ['int32', 'uint32'] as const) {
    const lo = dtype === 'int32' ? -(2 ** 31) : 0, hi = dtype === 'int32' ? 2 ** 31 - 1 : 2 ** 32 - 1;
    const vals = [lo, hi, lo + 1, hi - 1, 0, 7, 7, ...Array.from({ length: 300 }, () => Math.floor(lo + r() * (hi - lo + 1)))];
    const x = np.array(vals, { dtype });
    const sorted = vals.slice().sort((p, q) => p - q);
    assert.equal(np.max(x).item(), hi); assert.equal(np.min(x).item(), lo);
    assert.equal(np.max(x).dtype, dtype);
    assert.equal(np.argmax(x).item(), 1); assert.equal(np.argmin(x).item(), 0);
    assert.deepEqual(np.sort(x).tolist(), sorted);
    assert.equal(np.sort(x).dtype, dtype);
    const perm = np.argsort(x).tolist() as number[];
    assert.deepEqual(perm.map((i) => vals[i]), sorted);
    for (let i = 1; i < perm.length; i++) if (vals[perm[i]] === vals[perm[i - 1]]) assert.ok(perm[i] > perm[i - 1], 'stable');
    const [top, idx] = lax.topK(x, 5);
    assert.deepEqual(top.tolist(), sorted.slice(-5).reverse());
    assert.deepEqual((idx.tolist() as number[]).map((i) => vals[i]), sorted.slice(-5).reverse());
    // per row, keepdims
    const m = np.reshape(np.array(vals.slice(0, 300), { dtype }), [30, 10]);
    const rows = Array.from({ length: 30 }, (_, i) => vals.slice(10 * i, 10 * i + 10));
    assert.deepEqual(np.max(m, { axis: 1, keepdims: true }).tolist(), rows.map((row) => [Math.max(...row)]));
    assert.deepEqual(np.argmin(m, 1).tolist(), rows.map((row) => row.indexOf(Math.min(...row))));
    // searchsorted in the sorted values, with float queries between them
    const s = np.array(sorted, { dtype });
    const qs = [lo, hi, 7, 7.5, lo - 0.5, hi + 0.5];
    const left = (q: number) => sorted.findIndex((v) => v >= q) === -1 ? sorted.length : sorted.findIndex((v) => v >= q);
    assert.deepEqual(np.searchsorted(s, np.array(qs, { dtype: 'float64' })).tolist(), qs.map(left));
  }
});

test('vmap of searchsorted over batched sorted rows searches each row (the rows form), NaN and ties as the loop, nested too', () => {
  // each example's values in its own sorted row: the counting form it replaced cost batch x values x n
  const A = np.sort(np.array([[0, 1, 1, 3, NaN], [2, 2, 5, 7, 9], [NaN, NaN, 1, 1, 1]], { dtype: 'float64' }), { axis: 1 });
  const Q = np.array([[1, NaN, -1], [2, 8, 10], [1, NaN, 0]], { dtype: 'float64' });
  for (const side of ['left', 'right'] as const) {
    const loop = [0, 1, 2].map((b) => np.searchsorted(A.get(b), Q.get(b), { side }).tolist());
    assert.deepEqual(vmap((a: any, q: any) => np.searchsorted(a, q, { side }))(A, Q).tolist(), loop);
    assert.deepEqual(jit(vmap((a: any, q: any) => np.searchsorted(a, q, { side })))(A, Q).tolist(), loop);
    const nested = vmap(vmap((a: any, q: any) => np.searchsorted(a, q, { side })))(np.stack([A, A]), np.stack([Q, Q])).tolist();
    assert.deepEqual(nested, [loop, loop]);
  }
  // numpy: searchsorted([0, 1, 1, 3, nan], [1, nan, -1]) left = [1, 4, 0], right = [3, 5, 0]
  assert.deepEqual(vmap((a: any, q: any) => np.searchsorted(a, q))(A, Q).tolist()[0], [1, 4, 0]);
  assert.deepEqual(vmap((a: any, q: any) => np.searchsorted(a, q, { side: 'right' }))(A, Q).tolist()[0], [3, 5, 0]);
});

test('np.searchsorted on complex Arrays uses numpy\'s lexicographic order (real part, then imaginary); it was a DTypeError saying the dtypes mismatched', () => {
  const c = (re: number, im: number) => ({ re, im });
  const a = np.array([c(1, 0), c(1, 2), c(1, 2), c(3, -1)], { dtype: 'complex64' });
  const v = np.array([c(1, 1), c(1, 2), c(0, 5), c(3, -1), c(3, 0), c(1, 0), c(9, 9)], { dtype: 'complex64' });
  // numpy 2.4: np.searchsorted(a, v) = [1 1 0 3 4 0 4], side='right': [1 3 0 4 4 1 4]
  assert.deepEqual(np.searchsorted(a, v).tolist(), [1, 1, 0, 3, 4, 0, 4]);
  assert.deepEqual(np.searchsorted(a, v, { side: 'right' }).tolist(), [1, 3, 0, 4, 4, 1, 4]);
  assert.deepEqual(jit((a: NDArray, v: NDArray) => np.searchsorted(a, v))(a, v).tolist(), [1, 1, 0, 3, 4, 0, 4]);
  assert.deepEqual(np.searchsorted(a, np.array([[c(1, 1)], [c(4, 0)]], { dtype: 'complex64' })).tolist(), [[1], [4]]);
  assert.equal(np.searchsorted(a, np.array(c(1, 2), { dtype: 'complex64' }), 'right').item(), 3);
});
