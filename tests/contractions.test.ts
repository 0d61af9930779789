// einsum, tensordot, kron and dot_general layouts against a brute-force JS einsum (a loop over
// every assignment of the labels, written here, independent of the library), and their
// derivatives through checkGrads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, grad, checkGrads, ShapeError, ValueError, AxisError, type Array as NDArray } from '../ts/index.ts';

interface Op { data: Float64Array; shape: number[] }

function rand(seed: number, shape: number[]): Op {
  let s = seed >>> 0;
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; data[i] = s / 2 ** 32 * 2 - 1; }
  return { data, shape };
}

/** Brute force: explicit subscripts with letters only; size-1 dims broadcast. */
function refEinsum(sub: string, ops: Op[]): { data: Float64Array; shape: number[] } {
  const [lhs, out] = sub.split('->');
  const terms = lhs.split(',').map((t) => [...t]);
  const size = new Map<string, number>();
  terms.forEach((t, k) => t.forEach((l, i) => { const d = ops[k].shape[i]; if (d !== 1 || !size.has(l)) size.set(l, d); }));
  const labels = [...size.keys()];
  const outL = [...out];
  const outShape = outL.map((l) => size.get(l)!);
  const res = new Float64Array(outShape.reduce((a, b) => a * b, 1));
  const idx = new Map<string, number>();
  const total = labels.reduce((n, l) => n * size.get(l)!, 1);
  for (let flat = 0; flat < total; flat++) {
    let r = flat;
    for (let i = labels.length - 1; i >= 0; i--) { const d = size.get(labels[i])!; idx.set(labels[i], r % d); r = Math.floor(r / d); }
    let p = 1;
    terms.forEach((t, k) => {
      let off = 0;
      t.forEach((l, i) => { const d = ops[k].shape[i]; off = off * d + (d === 1 ? 0 : idx.get(l)!); });
      p *= ops[k].data[off];
    });
    let o = 0;
    outL.forEach((l, i) => { o = o * outShape[i] + idx.get(l)!; });
    res[o] += p;
  }
  return { data: res, shape: outShape };
}

const arr = (o: Op) => np.array(o.data, { shape: o.shape });

function close(got: NDArray, want: { data: Float64Array; shape: number[] }, what: string): void {
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  const g = got.dataSync() as Float64Array;
  for (let i = 0; i < want.data.length; i++) {
    assert.ok(Math.abs(g[i] - want.data[i]) <= 1e-12 * (1 + Math.abs(want.data[i])), `${what}[${i}]: got ${g[i]}, want ${want.data[i]}`);
  }
}

// [call subscripts, reference subscripts (explicit, letters), shapes]
const CASES: [string, string, number[][]][] = [
  ['ij,jk->ik', 'ij,jk->ik', [[3, 4], [4, 5]]],
  ['ij,jk', 'ij,jk->ik', [[3, 4], [4, 2]]],
  ['ij,kj->ik', 'ij,kj->ik', [[3, 4], [5, 4]]],              // x y^T (the NT kernel)
  ['ji,jk->ik', 'ji,jk->ik', [[4, 3], [4, 5]]],              // x^T y
  ['ij,jk->ki', 'ij,jk->ki', [[3, 4], [4, 5]]],              // transposed output
  ['bij,bjk->bik', 'bij,bjk->bik', [[2, 3, 4], [2, 4, 5]]],
  ['ibj,jkb->bik', 'ibj,jkb->bik', [[3, 2, 4], [4, 5, 2]]],  // batch dims not leading
  ['ijk,kji->', 'ijk,kji->', [[2, 3, 4], [4, 3, 2]]],
  ['ijk,jkl->il', 'ijk,jkl->il', [[2, 3, 4], [3, 4, 5]]],     // two contracting dims
  ['i,i', 'i,i->', [[5], [5]]],
  ['i,j->ij', 'i,j->ij', [[3], [4]]],
  ['i,i->i', 'i,i->i', [[5], [5]]],
  ['ii', 'ii->', [[4, 4]]],
  ['ii->i', 'ii->i', [[4, 4]]],
  ['iij->ji', 'iij->ji', [[3, 3, 2]]],
  ['ij->ji', 'ij->ji', [[2, 3]]],
  ['ij->', 'ij->', [[2, 3]]],
  ['ij->j', 'ij->j', [[2, 3]]],
  ['ij,jk,kl->il', 'ij,jk,kl->il', [[2, 30], [30, 3], [3, 4]]], // order matters for cost
  ['abc,cd,bd->a', 'abc,cd,bd->a', [[2, 3, 4], [4, 5], [3, 5]]],
  ['ab,bc,cd,da->', 'ab,bc,cd,da->', [[2, 3], [3, 4], [4, 5], [5, 2]]],
  ['...ij,...jk->...ik', 'abij,bjk->abik', [[2, 1, 3, 4], [5, 4, 2]]],
  ['i...,i...->...', 'iab,iab->ab', [[3, 2, 4], [3, 2, 4]]],
  ['...', 'ab->ab', [[2, 3]]],
  ['bi,ib->b', 'bi,ib->b', [[3, 4], [4, 3]]],
  ['ij,ij->ij', 'ij,ij->ij', [[2, 3], [1, 3]]],              // size-1 broadcast
  ['i,i,i->', 'i,i,i->', [[4], [4], [4]]],                   // a label in three operands
  ['ij,ij,ij->i', 'ij,ij,ij->i', [[2, 3], [2, 3], [2, 3]]],
  ['iii->i', 'iii->i', [[3, 3, 3]]],
  ['ij,jk,ki->', 'ij,jk,ki->', [[2, 3], [3, 4], [4, 2]]],
];

test('einsum matches a brute-force reference (implicit/explicit, traces, diagonals, ellipsis, many operands)', () => {
  CASES.forEach(([sub, refSub, shapes], c) => {
    const ops = shapes.map((s, k) => rand(1000 * c + k + 1, s));
    close(np.einsum(sub, ...ops.map(arr)), refEinsum(refSub, ops), `einsum '${sub}'`);
  });
});

test('einsum in float32 stays float32 and close to the float64 reference', () => {
  const ops = [rand(7, [3, 40]), rand(8, [40, 5])];
  const r = np.einsum('ij,jk->ik', np.array(Float32Array.from(ops[0].data), { shape: [3, 40] }), np.array(Float32Array.from(ops[1].data), { shape: [40, 5] }));
  assert.equal(r.dtype, 'float32');
  const want = refEinsum('ij,jk->ik', ops);
  const g = r.dataSync();
  want.data.forEach((w, i) => assert.ok(Math.abs(g[i] - w) < 1e-5, `[${i}] ${g[i]} vs ${w}`));
});

test('lax.dotGeneral: every operand layout gives the reference (kernel in place, NT, scratch transposes)', () => {
  // [lhs shape, rhs shape, dims, reference subscripts]
  const cases: [number[], number[], [[number[], number[]], [number[], number[]]], string][] = [
    [[3, 4], [4, 5], [[[1], [0]], [[], []]], 'ij,jk->ik'],
    [[4, 3], [4, 5], [[[0], [0]], [[], []]], 'ji,jk->ik'],
    [[20, 4], [6, 4], [[[1], [1]], [[], []]], 'ij,kj->ik'], // m > 16: scratch transpose of the rhs
    [[3, 4], [6, 4], [[[1], [1]], [[], []]], 'ij,kj->ik'],  // m <= 16: NT dot products
    [[3, 2, 4], [4, 5, 2], [[[2], [0]], [[1], [2]]], 'iba,akb->bik'],
    [[2, 3, 4], [4, 5, 3], [[[1, 2], [2, 0]], [[], []]], 'ijk,kmj->im'],
    [[2, 3], [4], [[[], []], [[], []]], 'ij,k->ijk'],
    [[0, 3], [3, 2], [[[1], [0]], [[], []]], 'ij,jk->ik'],
    [[2, 0], [0, 3], [[[1], [0]], [[], []]], 'ij,jk->ik'],
  ];
  cases.forEach(([sa, sb, dims, sub], c) => {
    const a = rand(50 + c, sa), b = rand(80 + c, sb);
    close(lax.dotGeneral(arr(a), arr(b), dims), refEinsum(sub, [a, b]), `dotGeneral ${JSON.stringify(dims)}`);
  });
});

test('a mostly-zero lhs (the sparse path: a basis, a mask) gives the dense product, 0 * inf and 0 * NaN included', () => {
  // [m, k, n, density]: the kernel skips the zeros of a lhs at most 1/4 nonzero (n >= 8); 0.3 is dense
  const shapes: [number, number, number, number][] = [[32, 32, 2048, 1 / 32], [5, 12, 9, 0.2], [3, 40, 8, 0.25], [7, 9, 33, 0.3], [1, 64, 16, 0.1]];
  for (const [m, k, n, d] of shapes) {
    for (const dtype of ['float32', 'float64'] as const) {
      let s = 12345 + m * k;
      const rnd = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
      const a = Float64Array.from({ length: m * k }, () => (rnd() < d ? rnd() * 2 - 1 : 0));
      const b = Float64Array.from({ length: k * n }, () => rnd() * 2 - 1);
      b[3] = Infinity; b[n + 5] = NaN; // rows 0 and 1 of B: their zeros in the lhs are not skippable
      const got = np.matmul(np.array(a, { shape: [m, k], dtype }), np.array(b, { shape: [k, n], dtype })).dataSync();
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
        let want = 0;
        for (let p = 0; p < k; p++) want += a[i * k + p] * b[p * n + j];
        const g = got[i * n + j], where = `${dtype} [${m},${k}]x[${k},${n}] density ${d} at (${i}, ${j})`;
        if (Number.isNaN(want)) assert.ok(Number.isNaN(g), `${where}: ${g}, expected NaN`);
        else if (!Number.isFinite(want)) assert.equal(g, want, where);
        else assert.ok(Math.abs(g - want) <= 1e-5 * (1 + Math.abs(want)), `${where}: ${g} vs ${want}`);
      }
    }
  }
});

test('tensordot and kron match references', () => {
  const a = rand(1, [2, 3, 4]), b = rand(2, [3, 4, 5]);
  close(np.tensordot(arr(a), arr(b)), refEinsum('ijk,jkl->il', [a, b]), 'tensordot axes=2');
  close(np.tensordot(arr(a), arr(rand(3, [4, 2])), 1), refEinsum('ijk,kl->ijl', [a, rand(3, [4, 2])]), 'tensordot axes=1');
  const c = rand(4, [4, 3]);
  close(np.tensordot(arr(a), arr(c), [[1, 2], [1, 0]]), refEinsum('ijk,kj->i', [a, c]), 'tensordot pairs');
  close(np.tensordot(arr(rand(5, [2])), arr(rand(6, [3])), 0), refEinsum('i,j->ij', [rand(5, [2]), rand(6, [3])]), 'tensordot axes=0');
  const k = np.kron(np.array([[1, 2], [3, 4]]), np.array([[0, 5], [6, 7]]));
  assert.deepEqual(k.tolist(), [[0, 5, 0, 10], [6, 7, 12, 14], [0, 15, 0, 20], [18, 21, 24, 28]]);
  assert.deepEqual(np.kron(np.array([1, 2]), np.array([[1], [10]])).tolist(), [[1, 2], [10, 20]]);
});

test('einsum and tensordot derivatives: checkGrads to second order, both modes', () => {
  const f64 = (o: Op) => np.array(o.data, { shape: o.shape });
  for (const [sub, shapes] of [
    ['ij,jk->ik', [[2, 3], [3, 2]]], ['ibj,jkb->bik', [[2, 2, 3], [3, 2, 2]]], ['ii->i', [[3, 3]]],
    ['ij,jk,kl->il', [[2, 3], [3, 2], [2, 2]]], ['...ij,...jk->...ik', [[2, 1, 2, 3], [3, 3, 2]]], ['ijk,kji->', [[2, 3, 2], [2, 3, 2]]],
  ] as [string, number[][]][]) {
    const args = shapes.map((s, k) => f64(rand(900 + k, s)));
    checkGrads((...xs: NDArray[]) => np.einsum(sub, ...xs), args, { order: 2 });
  }
  checkGrads((a: NDArray, b: NDArray) => np.tensordot(a, b, [[0, 2], [2, 1]]), [f64(rand(3, [2, 3, 4])), f64(rand(4, [5, 4, 2]))], { order: 2 });
  checkGrads((a: NDArray, b: NDArray) => np.kron(a, b), [f64(rand(5, [2, 2])), f64(rand(6, [3]))], { order: 2 });
  // A gradient against the closed form: d/dA sum(A @ B) = ones @ B^T.
  const A = f64(rand(7, [2, 3])), B = f64(rand(8, [3, 4]));
  const g = grad((a: NDArray) => np.sum(np.einsum('ij,jk->ik', a, B)))(A).tolist() as number[][];
  const Bd = rand(8, [3, 4]).data;
  g.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - [0, 1, 2, 3].reduce((s, k) => s + Bd[j * 4 + k], 0)) < 1e-14, `dA[${i}][${j}]`)));
});

test('einsum and tensordot errors name the function and shapes; the next call works', () => {
  assert.throws(() => np.einsum('ij,jk->ik', np.ones([2, 3]), np.ones([4, 5])), (e: unknown) => e instanceof ShapeError && /np.einsum/.test((e as Error).message));
  assert.throws(() => np.einsum('ij,jk', np.ones([2, 3])), ValueError);
  assert.throws(() => np.einsum('ij->iz', np.ones([2, 3])), ValueError);
  assert.throws(() => np.einsum('ij->ii', np.ones([2, 3])), ValueError);
  assert.throws(() => np.einsum('i2', np.ones([2, 3])), ValueError);
  assert.throws(() => np.einsum('ijk', np.ones([2, 3])), ShapeError);
  assert.throws(() => np.tensordot(np.ones([2, 3]), np.ones([2, 3]), [[1], [1, 0]]), ValueError);
  assert.throws(() => np.tensordot(np.ones([2, 3]), np.ones([2, 3]), [[5], [0]]), AxisError);
  assert.throws(() => np.tensordot(np.ones([2, 3]), np.ones([2, 3]), 1), ShapeError);
  assert.deepEqual(np.einsum('i,i', np.array([1, 2]), np.array([3, 4])).tolist(), 11);
});

test('einsum of bools is bool, as jnp (an or of ands; it returned float32 counts)', () => {
  const b = np.array([[true, false, true], [false, true, true]]);
  const r = np.einsum('ij,kj->ik', b, b);
  assert.equal(r.dtype, 'bool');
  assert.deepEqual(r.tolist(), [[true, true], [true, true]]); // numpy 2.4: [[True, True], [True, True]]
  assert.deepEqual(np.einsum('ij,ij->i', b, np.array([[false, false, true], [false, false, false]])).tolist(), [true, false]);
  assert.equal(np.einsum('ij,kj->ik', b, np.ones([2, 3])).dtype, 'float32'); // mixed: promoted, counts
});

test('einsum\'s implicit output comes from the subscripts alone: a label broadcast from size 1 is still summed (it was kept)', () => {
  const f = (v: number[]) => np.array(v, { dtype: 'float64' });
  // numpy 2.4: np.einsum('i,i', [2.], [1, 10, 100]) = 222.0, shape ()
  const s = np.einsum('i,i', f([2]), f([1, 10, 100]));
  assert.deepEqual([s.shape, s.item()], [[], 222]);
  assert.equal(np.einsum('ij,ij', np.ones([1, 3], 'float64'), np.ones([2, 3], 'float64')).item(), 6);
  assert.deepEqual(np.einsum('i,j,i', f([2]), f([1, 10, 100]), f([1, 10, 100])).tolist(), [222, 2220, 22200]);
  // and a size-1 label broadcasts against size 0, as numpy's (it was a ShapeError)
  assert.deepEqual(np.einsum('i,i->i', np.ones([1]), np.ones([0])).shape, [0]);
  assert.deepEqual(np.einsum('...ij,...jk->...ik', np.ones([1, 2, 3]), np.ones([0, 3, 4])).shape, [0, 2, 4]);
  assert.equal(np.einsum('i,i', np.ones([1]), np.ones([0])).item(), 0);
});

test('outer of an empty operand, tensordot of bools (bool, as jnp), tensordot\'s duplicate axes refused', () => {
  assert.deepEqual(np.outer(np.ones([3]), np.ones([0])).shape, [3, 0]);
  assert.deepEqual(np.outer(2, np.ones([0])).shape, [1, 0]);
  assert.deepEqual(np.outer(np.ones([2, 2]), np.ones([0, 3])).shape, [4, 0]);
  const bt = np.array([[true, false], [true, true]]);
  const t1 = np.tensordot(bt, bt, 1);
  assert.deepEqual([t1.dtype, t1.tolist()], ['bool', [[true, false], [true, true]]]);
  assert.deepEqual([np.tensordot(bt, bt).dtype, np.tensordot(bt, bt).item()], ['bool', true]);
  assert.throws(() => np.tensordot(np.ones([2, 2]), np.ones([2, 2]), [[0, 0], [0, 1]]), /np\.tensordot: duplicate axes are not allowed/);
});

test("np.einsum's interleaved form (numpy's and jnp's): operands with their axes as integers 0-51 and '...', the output list optional; it was 'subscripts must be a string' (helper-201)", () => {
  const A = np.array([[1, 2], [3, 4]], { dtype: 'float64' }), B = np.array([[5, 6, 7], [8, 9, 10]], { dtype: 'float64' });
  // numpy: np.einsum(A, [0, 1], B, [1, 2], [0, 2]) and without the output list, A @ B; [0, 0]: the trace; [27, 27] too (labels past 25 are A-Z)
  assert.deepEqual(np.einsum(A, [0, 1], B, [1, 2], [0, 2]).tolist(), [[21, 24, 27], [47, 54, 61]]);
  assert.deepEqual(np.einsum(A, [0, 1], B, [1, 2]).tolist(), [[21, 24, 27], [47, 54, 61]]);
  assert.equal(np.einsum(A, [0, 0]).item(), 5);
  assert.equal(np.einsum(A, [27, 27]).item(), 5);
  assert.deepEqual(np.einsum(A, [0, 1], [1, 0]).tolist(), [[1, 3], [2, 4]]);
  assert.deepEqual(np.einsum(np.ones([2, 3, 4]), ['...', 2], ['...', 2]).shape, [2, 3, 4]);
  // the same contraction as the string form, bits and derivatives (d/dA sum(A B) = B's row sums, each row)
  assert.deepEqual(np.einsum(A, [0, 1], B, [1, 2], [0, 2], { optimize: true }).tolist(), np.einsum('ij,jk->ik', A, B).tolist());
  assert.deepEqual(grad((a: any) => np.einsum(a, [0, 1], B, [1, 2], [])) (A).tolist(), [[18, 27], [18, 27]]);
  assert.throws(() => np.einsum(A, [0, 60]), /np\.einsum: the axes of operand 0 holds 60; axis labels are integers from 0 to 51/);
  assert.throws(() => (np.einsum as any)(A), /np\.einsum: subscripts must be a string, or the operands interleaved/);
  assert.throws(() => np.einsum(A, 'ij' as any), /np\.einsum: the axes of operand 0 must be a list of axis labels/);
});
