// lax.associativeScan (ts/api/control/associative_scan.ts) against sequential scans written here
// in plain JS float64 (out[i] = fn(out[i - 1], elems[i])), derivatives against central finite
// differences of those loops, and JAX's contract: fn's first argument is the earlier element, the
// axis stays in place for fn, reverse scans from the end, every leaf shares the scanned length.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, grad, jit, vmap, jacfwd, ShapeError, ValueError, type NDArray } from '../ts/index.ts';

const f64 = (x: number[] | number[][] | number[][][]) => np.array(x, { dtype: 'float64' });
const seq = <T>(xs: T[], f: (a: T, b: T) => T): T[] => xs.reduce<T[]>((acc, x, i) => [...acc, i === 0 ? x : f(acc[i - 1], x)], []);
const rand = (n: number, seed: number) => Array.from({ length: n }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233) * 1.5);
const near = (got: number[], want: number[], tol: number, what: string) => {
  assert.equal(got.length, want.length, what);
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= tol * Math.max(1, Math.abs(want[i])), `${what}[${i}]: got ${g}, want ${want[i]}`));
};

test('sums, products and maxima of every length from 0 to 17 and 100, forward and reverse', () => {
  for (const n of [...Array(18).keys(), 100]) {
    const v = rand(n, n + 1);
    near(lax.associativeScan(np.add, f64(v)).tolist() as number[], seq(v, (a, b) => a + b), 1e-13, `add ${n}`);
    near(lax.associativeScan(np.maximum, f64(v)).tolist() as number[], seq(v, Math.max), 0, `max ${n}`);
    const p = v.map((x) => 1 + x / 10);
    near(lax.associativeScan(np.multiply, f64(p)).tolist() as number[], seq(p, (a, b) => a * b), 1e-13, `mul ${n}`);
    near(lax.associativeScan(np.add, f64(v), { reverse: true }).tolist() as number[], seq([...v].reverse(), (a, b) => a + b).reverse(), 1e-13, `reverse ${n}`);
  }
});

test('a non-commutative fn is applied in order: 2x2 matrix products and affine maps over a pytree', () => {
  const mats = Array.from({ length: 11 }, (_, i) => [[1 + (i % 3), i % 2], [(i * 7) % 5 - 2, 1]]);
  const mm = (a: number[][], b: number[][]) => [[a[0][0] * b[0][0] + a[0][1] * b[1][0], a[0][0] * b[0][1] + a[0][1] * b[1][1]],
    [a[1][0] * b[0][0] + a[1][1] * b[1][0], a[1][0] * b[0][1] + a[1][1] * b[1][1]]];
  const got = lax.associativeScan((a: NDArray, b: NDArray) => np.matmul(a, b), f64(mats)).tolist() as number[][][];
  assert.deepEqual(got, seq(mats, mm)); // (integers: exact)
  // h_t = a_t h_{t-1} + b_t as the scan of (a, b) pairs, (a1, b1) then (a2, b2) = (a1 a2, a2 b1 + b2)
  const a = rand(13, 3).map((x) => x / 2), b = rand(13, 4);
  const h: number[] = [];
  a.forEach((ai, t) => h.push(t === 0 ? b[0] : ai * h[t - 1] + b[t]));
  const affine = (p: { a: NDArray; b: NDArray }, q: { a: NDArray; b: NDArray }) => ({ a: np.multiply(p.a, q.a), b: np.add(np.multiply(q.a, p.b), q.b) });
  const out = lax.associativeScan(affine, { a: f64(a), b: f64(b) });
  near(out.b.tolist() as number[], h, 1e-13, 'affine');
  near(jit((x: NDArray, y: NDArray) => lax.associativeScan(affine, { a: x, b: y }).b)(f64(a), f64(b)).tolist() as number[], h, 1e-13, 'affine jit');
});

test('axis: the scanned axis stays where it is for fn; positional (reverse, axis) as JAX', () => {
  const rows = [[1, 2, 3, 4, 5], [6, 7, 8, 9, 10], [11, 12, 13, 14, 15]];
  const cum = rows.map((r) => seq(r, (a, b) => a + b));
  assert.deepEqual(lax.associativeScan(np.add, f64(rows), { axis: 1 }).tolist(), cum);
  assert.deepEqual(lax.associativeScan(np.add, f64(rows), false, -1).tolist(), cum);
  assert.deepEqual(lax.associativeScan(np.add, f64(rows), { axis: 0 }).tolist(), [rows[0], rows[0].map((x, j) => x + rows[1][j]), rows[0].map((x, j) => x + rows[1][j] + rows[2][j])]);
  // fn sees the axis in place: [n, 2, 2] matrices scanned along 0 keep their last two axes for matmul
  const seen: number[][] = [];
  lax.associativeScan((p: NDArray, q: NDArray) => { seen.push(p.shape); return np.matmul(p, q); }, np.ones([6, 2, 2], { dtype: 'float64' }));
  assert.ok(seen.every((s) => s.length === 3 && s[1] === 2 && s[2] === 2), JSON.stringify(seen));
  // vmap over another axis
  assert.deepEqual(vmap((r: NDArray) => lax.associativeScan(np.add, r))(f64(rows)).tolist(), cum);
});

test('derivatives: grad, jacfwd and second order against finite differences of the sequential scan', () => {
  const x = rand(9, 7).map((v) => 1 + v / 5);
  const loss = (v: number[]) => seq(v, (a, b) => a * b).reduce((s, p, i) => s + Math.sin(i + 1) * p, 0);
  const f = (v: NDArray) => np.sum(np.multiply(np.sin(np.arange(1, 10, { dtype: 'float64' })), lax.associativeScan(np.multiply, v)));
  const fd = (g: (v: number[]) => number, v: number[], i: number, h = 1e-6) => {
    const p = [...v], m = [...v]; p[i] += h; m[i] -= h; return (g(p) - g(m)) / (2 * h);
  };
  const want = x.map((_, i) => fd(loss, x, i));
  near(grad(f)(f64(x)).tolist() as number[], want, 1e-8, 'grad');
  near(jit(grad(f))(f64(x)).tolist() as number[], want, 1e-8, 'jit grad');
  near(jacfwd(f)(f64(x)).tolist() as number[], want, 1e-8, 'jacfwd');
  // d/dx0 of the gradient's entry 3 (second order), by differences of the loop's gradient
  const g3 = (v: number[]) => fd(loss, v, 3, 1e-5);
  near([(grad((v: NDArray) => grad(f)(v).get(3))(f64(x)).tolist() as number[])[0]], [fd(g3, x, 0, 1e-4)], 1e-5, 'second order');
});

test('bad input is a clear error, and the next call works', () => {
  assert.throws(() => lax.associativeScan(np.add, [f64([1, 2, 3]), f64([1, 2])]), (e: unknown) => e instanceof ShapeError && /same length along axis 0/.test((e as Error).message));
  assert.throws(() => lax.associativeScan((a: NDArray, b: NDArray) => [a, b] as unknown as NDArray, f64([1, 2, 3])), (e: unknown) => e instanceof ValueError && /tree shaped as elems/.test((e as Error).message));
  assert.throws(() => lax.associativeScan((a: NDArray) => np.sum(a, { keepdims: true }), f64([1, 2, 3, 4])), (e: unknown) => e instanceof ShapeError && /keep each leaf's shape along axis 0/.test((e as Error).message));
  assert.throws(() => lax.associativeScan((a: NDArray, b: NDArray) => np.astype(np.add(a, b), 'float32'), f64([1, 2, 3])), (e: unknown) => e instanceof ValueError && /in its dtype/.test((e as Error).message));
  assert.throws(() => lax.associativeScan(np.add, f64([1, 2, 3]), { axis: 1 }), (e: unknown) => e instanceof ValueError && /axis 1 is out of range/.test((e as Error).message));
  assert.throws(() => lax.associativeScan('add' as unknown as typeof np.add, f64([1, 2])), (e: unknown) => e instanceof ValueError && /fn must be a function/.test((e as Error).message));
  assert.throws(() => lax.associativeScan(np.add, {}), (e: unknown) => e instanceof ValueError && /no Arrays/.test((e as Error).message));
  // a JS list is a tree of 0-d leaves (a Python list is to JAX): refused, naming np.array
  assert.throws(() => lax.associativeScan(np.add, [1, 2, 3] as unknown as NDArray), (e: unknown) => e instanceof ValueError && /np\.array\(\[1, 2, 3\]\)/.test((e as Error).message));
  assert.deepEqual(lax.associativeScan(np.add, np.array([1, 2, 3])).tolist(), [1, 3, 6]);
  assert.deepEqual(lax.associativeScan(np.add, f64([])).tolist(), []);
});
