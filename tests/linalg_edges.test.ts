// Real linear algebra at the edges of float64's range, from a trial against numpy.linalg
// (LAPACK, which JAX uses on CPU): tiny singular values and eigenvalues beside large ones,
// subnormal matrices, infinite entries. References: numpy 2.4's printed values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, linalg, grad, jit, jvp, vmap, hessian } from '../ts/index.ts';

const f64 = (v: number[][]) => np.array(v, { dtype: 'float64' });
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

test('singular values far below the largest keep full relative accuracy (sums of squares underflowed below ~1e-154)', () => {
  assert.deepEqual(linalg.svdvals(f64([[1, 0], [0, 1e-200]])).tolist(), [1, 1e-200]);
  assert.deepEqual(linalg.svdvals(f64([[1, 0], [0, 1e-160]])).tolist(), [1, 1e-160]);
  assert.deepEqual(linalg.svdvals(f64([[1e170, 0], [0, 1]])).tolist(), [1e170, 1]);
  // numpy: svd([[1, 0.5], [0, 1e-170]]) = [1.11803399e+000, 8.94427191e-171]
  const s = linalg.svdvals(f64([[1, 0.5], [0, 1e-170]])).tolist() as number[];
  assert.ok(rel(s[0], 1.118033988749895) < 1e-15 && rel(s[1], 8.94427190999916e-171) < 1e-12, `${s}`);
  assert.ok(rel(linalg.cond(f64([[1, 0], [0, 1e-200]])).item(), 1e200) < 1e-15);
});

test('a tiny eigenvalue of a split-off block is kept (the QL shifts reached it): numpy eigvalsh = [1e-200, 1, 3]', () => {
  const w = linalg.eigvalsh(f64([[2, 1, 0], [1, 2, 0], [0, 0, 1e-200]])).tolist() as number[];
  assert.equal(w[0], 1e-200);
  assert.ok(rel(w[1], 1) < 1e-15 && rel(w[2], 3) < 1e-15, `${w}`);
});

test('QR reflects a column whose entries below the diagonal are tiny (it was skipped: Q R != A)', () => {
  // numpy: qr([[1, 0.5], [1e-170, 1e-170]]) R = [[-1, -0.5], [0, 5e-171]], Q = [[-1, -1e-170], [-1e-170, 1]]
  const A = f64([[1, 0.5], [1e-170, 1e-170]]);
  const [Q, R] = linalg.qr(A);
  const r = R.tolist() as number[][], q = Q.tolist() as number[][];
  assert.equal(r[0][0], -1); assert.equal(r[0][1], -0.5); assert.equal(r[1][0], 0);
  assert.ok(rel(r[1][1], 5e-171) < 1e-12, `${r}`);
  assert.ok(rel(q[1][0], -1e-170) < 1e-12 && q[0][0] === -1, `${q}`);
  // ordinary inputs: numpy's R for [[1, 2], [3, 4], [5, 6]]
  const r2 = linalg.qr(f64([[1, 2], [3, 4], [5, 6]]))[1].tolist() as number[][];
  [[-5.916079783099617, -7.437357441610946], [0, 0.8280786712108251]].forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(r2[i][j] - v) < 1e-13, `${r2}`)));
});

test('matrices whose largest entry is subnormal decompose (the power-of-two prescale overflowed to inf: all NaN)', () => {
  assert.deepEqual(linalg.eigvalsh(f64([[1e-309, 0], [0, 2e-309]])).tolist(), [1e-309, 2e-309]);
  assert.deepEqual(linalg.svdvals(f64([[1e-309, 0], [0, 2e-309]])).tolist(), [2e-309, 1e-309]);
  const s = linalg.svdvals(np.array([[1e-39, 0], [0, 5e-40]], { dtype: 'float32' })).tolist() as number[];
  assert.ok(rel(s[0], 1e-39) < 1e-5 && rel(s[1], 5e-40) < 1e-5, `${s}`); // float32 subnormals hold ~6 digits here
  assert.deepEqual(linalg.qr(f64([[1e-309, 0], [0, 2e-309]]))[1].tolist(), [[1e-309, 0], [0, 2e-309]]);
});

test('an infinite entry makes the SVD all NaN (as LAPACK fails), not finite singular values', () => {
  const A = f64([[1, 2], [3, Infinity], [5, 6]]);
  assert.ok((linalg.svdvals(A).tolist() as number[]).every(Number.isNaN));
  const [U, S, Vt] = linalg.svd(A, { fullMatrices: false });
  for (const x of [U, S, Vt]) assert.ok(Array.from(x.dataSync()).every(Number.isNaN));
  // a batch: only the matrix holding the inf
  const b = linalg.svdvals(np.stack([f64([[1, 0], [0, 2]]), f64([[Infinity, 0], [0, 1]])])).tolist() as number[][];
  assert.deepEqual(b[0], [2, 1]); assert.ok(b[1].every(Number.isNaN));
});

test('lstsq promotes a with b; matrixPower keeps integers for n >= 0; cond of a zero matrix is inf (numpy)', () => {
  const x = linalg.lstsq(np.array([[1, 0], [0, 1], [0, 0]], { dtype: 'float32' }), np.array([1 + 1e-12, 1 / 3, 0], { dtype: 'float64' }))[0];
  assert.equal(x.dtype, 'float64');
  assert.ok(Math.abs((x.tolist() as number[])[0] - (1 + 1e-12)) < 1e-15);
  const p = linalg.matrixPower(np.array([[4097, 1], [0, 1]], { dtype: 'int32' }), 2);
  assert.equal(p.dtype, 'int32'); assert.deepEqual(p.tolist(), [[16785409, 4098], [0, 1]]); // numpy int32
  assert.equal(linalg.matrixPower(np.array([[2, 0], [0, 4]], { dtype: 'int32' }), -1).dtype, 'float32');
  // bool stays bool (numpy: matrix_power([[True, False], [True, True]], 3) and 0); it gave float32 counts [[1, 0], [3, 1]]
  const B = np.array([[true, false], [true, true]]);
  assert.equal(linalg.matrixPower(B, 3).dtype, 'bool'); assert.deepEqual(linalg.matrixPower(B, 3).tolist(), [[true, false], [true, true]]);
  assert.deepEqual(linalg.matrixPower(B, 0).tolist(), [[true, false], [false, true]]);
  assert.equal(linalg.matrixPower(B, -1).dtype, 'float32');
  // a string ord of a vector norm: 'fro' and 'nuc' are matrix norms, anything else is no norm
  assert.throws(() => linalg.norm(np.array([1, 2]), 'foo' as any), /linalg\.norm: invalid vector norm order 'foo'/);
  assert.throws(() => linalg.norm(np.array([1, 2]), 'fro'), /linalg\.norm: ord 'fro' \(a string\) is a matrix norm/);
  for (const ord of [null, 2, -2] as const) assert.equal(linalg.cond(np.zeros([2, 2], { dtype: 'float64' }), ord).item(), Infinity, String(ord));
  assert.ok(Number.isNaN(linalg.cond(f64([[NaN, 0], [0, 1]])).item()));
});

test('cholesky takes upper, eigh/eigvalsh take UPLO and symmetrizeInput (JAX, numpy 2); other extra arguments are refused', () => {
  // numpy: cholesky([[4, 2], [2, 5]], upper=True) = [[2, 1], [0, 2]]
  assert.deepEqual(linalg.cholesky(f64([[4, 2], [2, 5]]), { upper: true }).tolist(), [[2, 1], [0, 2]]);
  assert.deepEqual(linalg.cholesky(f64([[4, 2], [2, 5]])).tolist(), [[2, 0], [1, 2]]);
  // numpy: eigvalsh([[1, 0], [5, 1]], UPLO='L') = [-4, 6]; 'U' = [1, 1]
  assert.deepEqual(linalg.eigvalsh(f64([[1, 0], [5, 1]]), { symmetrizeInput: false }).tolist(), [-4, 6]);
  assert.deepEqual(linalg.eigvalsh(f64([[1, 0], [5, 1]]), { symmetrizeInput: false, UPLO: 'U' }).tolist(), [1, 1]);
  assert.deepEqual(linalg.eigvalsh(f64([[1, 0], [5, 1]])).tolist(), [-1.5, 3.5]); // JAX's default: (A + A^T) / 2
  assert.throws(() => linalg.cholesky(f64([[4, 2], [2, 5]]), { lower: true } as any), /linalg\.cholesky: unknown option 'lower'/);
  assert.throws(() => (linalg.inv as any)(f64([[1, 0], [0, 1]]), { x: 1 }), /linalg\.inv/);
  assert.throws(() => (linalg.det as any)(f64([[1, 0], [0, 1]]), 1), /linalg\.det/);
  assert.throws(() => (linalg.solve as any)(f64([[1, 0], [0, 1]]), f64([[1], [1]]), {}), /linalg\.solve/);
});

test('luSolve broadcasts batch axes and reads b as vectors when it has one axis fewer than lu (JAX)', () => {
  const A2 = f64([[2, 1, 0], [1, 3, 1], [0, 1, 4]]), A3 = f64([[5, 1, 0], [1, 3, 1], [0, 1, 4]]);
  const A = np.stack([A2, A3]);
  const b = np.ones([3, 1], { dtype: 'float64' });
  const x = linalg.luSolve(linalg.luFactor(A), b);
  assert.deepEqual(x.shape, [2, 3, 1]);
  const ref = linalg.solve(A, b);
  assert.ok(Math.max(...Array.from(np.abs(np.subtract(x, ref)).dataSync())) < 1e-14);
  const xv = linalg.luSolve(linalg.luFactor(A), np.ones([2, 3], { dtype: 'float64' })); // stack of vectors
  assert.deepEqual(xv.shape, [2, 3]);
  const xb = linalg.luSolve(linalg.luFactor(A2), np.ones([2, 3, 1], { dtype: 'float64' }));
  assert.deepEqual(xb.shape, [2, 3, 1]);
});

test('det of a 0 x 0 matrix is 1 with an empty gradient', () => {
  assert.equal(linalg.det(np.zeros([0, 0], { dtype: 'float64' })).item(), 1);
  assert.deepEqual(grad((a: any) => linalg.det(a))(np.zeros([0, 0], { dtype: 'float64' })).shape, [0, 0]);
  assert.deepEqual(grad((a: any) => np.sum(linalg.det(a)))(np.zeros([2, 0, 0], { dtype: 'float64' })).shape, [2, 0, 0]);
});

test('triangularSolve under jit needs an explicit lower: the triangle cannot be checked, and a traced upper a was solved by its diagonal', () => {
  const U = f64([[2, 1], [0, 4]]), b = np.array([3, 4], { dtype: 'float64' });
  assert.throws(() => jit((u: any, v: any) => linalg.triangularSolve(u, v))(U, b), (e: any) => /pass \{ lower: true \} or \{ lower: false \}/.test(e.message));
  assert.deepEqual(jit((u: any, v: any) => linalg.triangularSolve(u, v, { lower: false }))(U, b).tolist(), [1, 1]);
  assert.throws(() => linalg.triangularSolve(U, b), /upper triangular/); // eager: the values show it
  // grad traces with values: the check reads them
  const L = f64([[2, 0], [1, 4]]);
  assert.deepEqual(grad((l: any) => np.sum(linalg.triangularSolve(l, b)))(L).shape, [2, 2]);
});

test('lstsq residuals of a vector b have shape [1] (numpy, JAX); np.broadcastShapes is numpy\'s broadcast_shapes', () => {
  const [x, res] = linalg.lstsq(f64([[1, 0], [1, 1], [1, 2]]), np.array([1, 2, 2], { dtype: 'float64' }));
  assert.deepEqual(x.shape, [2]); assert.deepEqual(res.shape, [1]);
  assert.ok(Math.abs((res.tolist() as number[])[0] - 1 / 6) < 1e-12); // numpy: 0.16666667
  assert.deepEqual(np.broadcastShapes([2, 1], [1, 3]), [2, 3]);
  assert.deepEqual(np.broadcastShapes([2, 1], [1, 3], [4, 1, 1]), [4, 2, 3]);
  assert.throws(() => np.broadcastShapes([2], [3]), /np\.broadcastShapes: operands could not be broadcast/);
});

test('a NaN pivot stays the pivot (LAPACK\'s idamax): det is NaN, not 0; slogdet\'s sign stays the permutation\'s (numpy, JAX)', () => {
  const M = np.array([[1, 0, 0, 0], [0, NaN, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], { dtype: 'float64' });
  assert.ok(Number.isNaN(linalg.det(M).item() as number));
  const [s, l] = linalg.slogdet(M);
  assert.equal(s.item(), 1); assert.ok(Number.isNaN(l.item() as number)); // numpy: (1.0, nan)
  assert.equal(linalg.slogdet(np.array([[1, NaN], [2, 3]], { dtype: 'float64' }))[0].item(), -1); // numpy: -1 (one swap)
  const c = linalg.det(np.astype(M, 'complex128')).item() as { re: number; im: number };
  assert.ok(Number.isNaN(c.re));
  // and an ordinary matrix needing pivots is unchanged: numpy det 4 (to rounding)
  assert.ok(Math.abs((linalg.det(np.array([[0, 2, 3, 4], [2, 1, 1, 0], [0, 3, 1, 2], [1, 1, 1, 1]], { dtype: 'float64' })).item() as number) - 4) < 1e-12);
});

test('complex128 solve, inv and triangularSolve at scales past 1e154 and below 1e-154 (Smith\'s division; |d|^2 overflowed)', () => {
  const C = (rows: number[][], scale: number) => np.multiply(np.array(rows, { dtype: 'complex128' }), scale);
  const re = (z: unknown) => (z as { re: number }).re;
  for (const scale of [1e154, 1e-160, 1e-200]) {
    const x = (linalg.solve(C([[2, 1], [1, 3]], scale), C([[1], [1]], scale)).tolist() as unknown[][]).map((r) => re(r[0]));
    assert.ok(Math.abs(x[0] - 0.4) < 1e-15 && Math.abs(x[1] - 0.2) < 1e-15, `solve at ${scale}: ${x}`); // numpy: [0.4, 0.2]
  }
  const inv = np.multiply(linalg.inv(C([[2, 1], [1, 3]], 1e154)), 1e154).tolist() as unknown[][];
  assert.ok(Math.abs(re(inv[0][0]) - 0.6) < 1e-15 && Math.abs(re(inv[1][1]) - 0.4) < 1e-15);
  const t = (linalg.triangularSolve(C([[2, 0], [1, 3]], 1e154), C([[1], [1]], 1e154), { lower: true }).tolist() as unknown[][]).map((r) => re(r[0]));
  assert.ok(Math.abs(t[0] - 0.5) < 1e-15 && Math.abs(t[1] - 1 / 6) < 1e-15, String(t)); // scipy: [0.5, 0.16667]
});

test('triangularSolve conjugateA on a real matrix is a no-op, derivatives included (JAX)', () => {
  const A = np.array([[2, 0], [1, 3]], { dtype: 'float64' }), b = np.array([[1], [2]], { dtype: 'float64' });
  const f = (conjugateA: boolean) => (a: any) => np.sum(linalg.triangularSolve(a, b, { conjugateA }));
  assert.deepEqual(grad(f(true))(A).tolist(), grad(f(false))(A).tolist());
  assert.equal(f(true)(A).item(), 1);
});

test('svd of a rank-deficient matrix: U stays orthonormal where a singular value is at the rounding level (numpy: 5e-16)', () => {
  // Jacobi's angle overflowed (zeta^2) for a row 1e-157 long beside one of length 8: U's third
  // column came out -U[:, 0] (U^T U off the identity by 1), and grad of sum(U S Vh) was not ones
  const cases: [number[][], number][] = [
    [[[1, 2, 3], [2, 4, 6], [1, 0, 1]], 1e-14],
    [[[1, 1e-310], [1e-310, 1e-320]], 1e-14],
    [[[-3, 1, -1, 0, 1, 3], [15, -5, 5, 0, -5, -15], [3, -1, 1, 0, -1, -3], [9, -3, 3, 0, -3, -9], [-9, 3, -3, 0, 3, 9], [6, -2, 2, 0, -2, -6]], 1e-14],
  ];
  for (const [rows, tol] of cases) {
    for (const dtype of ['float64', 'float32', 'complex128', 'complex64'] as const) {
      const a = np.array(rows, { dtype });
      const t = dtype === 'float32' || dtype === 'complex64' ? 1e-6 : tol;
      for (const fullMatrices of [true, false]) {
        const [U, S, Vh] = linalg.svd(a, { fullMatrices });
        const eyeOff = (m: any) => np.max(np.abs(np.subtract(m, np.eye(m.shape[0])))).item();
        const uh = np.conj(np.transpose(U));
        assert.ok(eyeOff(np.matmul(uh, U)) < t, `${dtype} ${rows.length}x${rows[0].length} U^H U`);
        assert.ok(eyeOff(np.matmul(Vh, np.conj(np.transpose(Vh)))) < t, `${dtype} Vh Vh^H`);
        const k = S.shape[0];
        const US = np.multiply(U.shape[1] === k ? U : np.split(U, [k], { axis: 1 })[0], S);
        const Vk = Vh.shape[0] === k ? Vh : np.split(Vh, [k], { axis: 0 })[0];
        assert.ok(np.max(np.abs(np.subtract(np.matmul(US, Vk), a))).item() < 100 * t, `${dtype} reconstruction`);
      }
    }
  }
  // the derivative through U S Vh is the identity map's: ones (JAX's svd_jvp_rule gives exactly 1 here)
  const g = grad((x: any) => { const [U, S, Vh] = linalg.svd(x); return np.sum(np.matmul(np.multiply(U, S), Vh)); })(np.array(cases[0][0], { dtype: 'float64' }));
  assert.ok(np.max(np.abs(np.subtract(g, 1))).item() < 1e-8, String(g.dataSync()));
});

test('pinv derivatives of every order are inv\'s at a full-rank square matrix (the third had the wrong sign, the fifth was not JAX\'s)', () => {
  // pinv([[a]]) = 1/a: the k-th derivative is (-1)^k k! / a^(k+1): at a = 2, -0.25, 0.25, -0.375, 0.75, -1.875, 5.625
  const a = np.array([[2]], { dtype: 'float64' }), t = np.array([[1]], { dtype: 'float64' });
  const along = (T: any) => (f: any) => (x: any) => jvp(f, [x], [T])[1] as any;
  let g: any = (x: any) => linalg.pinv(x);
  [-0.25, 0.25, -0.375, 0.75, -1.875, 5.625].forEach((want, k) => { g = along(t)(g); assert.ok(Math.abs(g(a).item() - want) < 1e-12 * Math.abs(want), `order ${k + 1}: ${g(a).item()}`); });
  const A = np.array([[1.2, 0.3, -0.4], [0.1, 0.9, 0.5], [-0.3, 0.2, 1.4]], { dtype: 'float64' });
  const T = np.array([[0.3, -0.1, 0.2], [0.5, 0.1, -0.2], [0.05, 0.4, 0.3]], { dtype: 'float64' });
  let p: any = (x: any) => linalg.pinv(x), q: any = linalg.inv;
  for (let k = 1; k <= 5; k++) {
    p = along(T)(p); q = along(T)(q);
    const got = p(A), want = q(A);
    const err = np.max(np.abs(np.subtract(got, want))).item() / np.max(np.abs(want)).item();
    assert.ok(err < 1e-10, `order ${k}: relative error ${err}`);
  }
});

test('lstsq of a subnormal or huge matrix solves it (was [NaN, inf] at 1e-310: 1/s overflowed), each column of b at its own scale', () => {
  // A = [[1,2],[3,4],[5,7]], b = [1,2,3]: the normal equations A^T A x = A^T b, [[35,49],[49,69]] x = [22,31],
  // give x = (69*22 - 49*31, 35*31 - 49*22) / (35*69 - 49*49) = (-1, 7) / 14, residual |b - A x|^2 = 1/14
  const want = [-1 / 14, 0.5];
  const base = [[1, 2], [3, 4], [5, 7]];
  for (const [sa, sb] of [[1e-310, 1e-310], [1e-320, 1e-320], [1e300, 1e300], [1e-300, 1], [1, 1e-310]]) {
    const [x, res, rank] = linalg.lstsq(f64(base.map((r) => r.map((v) => v * sa))), np.array([1, 2, 3].map((v) => v * sb), { dtype: 'float64' }));
    const got = x.tolist() as number[], scale = sb / sa;
    // (1e-320 is a subnormal with 3 digits: A's entries carry ~1e-3 relative error there)
    const tol = sa < 1e-315 ? 1e-2 : 1e-12;
    got.forEach((g, i) => assert.ok(Math.abs(g - want[i] * scale) <= tol * Math.abs(want[i] * scale), `x at a*${sa}, b*${sb}: ${got}`));
    assert.equal(rank.item(), 2);
    const r = (res.tolist() as number[])[0], wantR = sb * sb / 14; // (inf at 1e300: numpy's too; 0 below ~1e-162)
    assert.ok(r === wantR || Math.abs(r - wantR) <= 1e-3 * wantR + 1e-300, `residual at ${sa}: ${r} vs ${wantR}`);
  }
  // columns of b a 1e600 apart: each solved at its own scale
  const B = np.array([[1e300, 1e-300], [2e300, 2e-300], [3e300, 3e-300]], { dtype: 'float64' });
  const X = linalg.lstsq(f64(base), B)[0].tolist() as number[][];
  for (let i = 0; i < 2; i++) {
    assert.ok(Math.abs(X[i][0] - want[i] * 1e300) <= 1e-12 * Math.abs(want[i] * 1e300), `column 0: ${X[i]}`);
    assert.ok(Math.abs(X[i][1] - want[i] * 1e-300) <= 1e-12 * Math.abs(want[i] * 1e-300), `column 1: ${X[i]}`);
  }
  const [, res] = linalg.lstsq(f64(base), np.array([1, 2, 3], { dtype: 'float64' }));
  assert.ok(Math.abs((res.tolist() as number[])[0] - 1 / 14) < 1e-14);
});

test('eigh of graded matrices with huge entries: finite, accurate (a subnormal off-diagonal made tql2\'s shift overflow: all NaN)', () => {
  // [[1, o], [o, M]] has eigenvalues 1 - o^2/M and M + o^2/M, [1, M] in float64 over this grid;
  // [[2, o, 0], [o, M, 0], [0, 0, 1]]: [1, 2, M]; numpy.linalg.eigvalsh agrees to 1.5e-16 on both
  // (and on the complex forms below). Was [NaN, NaN] at (1e300, 1e-10), (1e290, 1e-20), (1e270, 1e-40), (1e220, 1e-100).
  const Ms = [1e200, 1e220, 1e240, 1e260, 1e270, 1e280, 1e290, 1e300, 1.7e308];
  const Os = [1e-100, 1e-80, 1e-60, 1e-40, 1e-20, 1e-10, 1e-5, 1e-160, 1e-200];
  let worstBig = 0, worstSmall = 0, worstOrth = 0;
  for (const M of Ms) for (const o of Os) {
    for (const [A, want] of [[f64([[1, o], [o, M]]), [1, M]], [f64([[2, o, 0], [o, M, 0], [0, 0, 1]]), [1, 2, M]]] as const) {
      const n = want.length;
      const [w, V] = linalg.eigh(A);
      const ws = w.tolist() as number[];
      const wv = linalg.eigvalsh(A).tolist() as number[];
      assert.deepEqual(wv, ws, `eigvalsh = eigh's w at ${M}, ${o}`);
      worstBig = Math.max(worstBig, rel(ws[n - 1], M));
      for (let i = 0; i < n - 1; i++) worstSmall = Math.max(worstSmall, rel(ws[i], want[i]));
      const VtV = np.matmul(np.swapaxes(V, 0, 1), V);
      worstOrth = Math.max(worstOrth, np.max(np.abs(np.subtract(VtV, np.eye(n)))).item() as number);
      // the eigenvectors are the unit vectors (the off-diagonal turns them by ~o/M): |V| is a permutation
      const absV = np.abs(V).tolist() as number[][];
      const perm = n === 2 ? [[1, 0], [0, 1]] : [[0, 1, 0], [0, 0, 1], [1, 0, 0]];
      absV.forEach((r, i) => r.forEach((v, j) => assert.ok(Math.abs(v - perm[i][j]) < 1e-15, `|V| at ${M}, ${o}: ${absV}`)));
    }
  }
  assert.ok(worstBig < 1e-15 && worstSmall < 1e-15 && worstOrth < 1e-15, `largest ${worstBig}, small ${worstSmall}, orthogonality ${worstOrth}`);
});

test('eigh keeps an eigenvalue 1e320 below the largest: diag(1e-20, 1e300) is [1e-20, 1e300] as numpy (scaled to a largest of 1, 1e-20 was subnormal: 9.99896e-21)', () => {
  assert.deepEqual(linalg.eigvalsh(f64([[1e-20, 0], [0, 1e300]])).tolist(), [1e-20, 1e300]);
  assert.deepEqual(linalg.eigvalsh(f64([[1e300, 0], [0, 1e-20]])).tolist(), [1e-20, 1e300]);
  assert.deepEqual(linalg.eigvalsh(f64([[3e-300, 0], [0, 1e-310]])).tolist(), [1e-310, 3e-300]); // (a subnormal largest entry too)
  assert.deepEqual(linalg.eigvalsh(np.array([[1e-20, 0], [0, 1e30]], { dtype: 'float32' })).tolist(), [Math.fround(1e-20), Math.fround(1e30)]);
});

test('solve, lstsq and triangularSolve read a JS list a beside a float64 b in float64', () => {
  // a was read as float32 first: solve([[0.1, 0], [0, 1]], float64 [0.1, 0.2]) gave x[0] = 0.999999985098839
  const b = np.array([0.1, 0.2], { dtype: 'float64' });
  for (const x of [linalg.solve([[0.1, 0], [0, 1]], b), linalg.lstsq([[0.1, 0], [0, 1]], b)[0],
    np.reshape(linalg.triangularSolve([[0.1, 0], [0, 1]], np.reshape(b, [2, 1]), { lower: true }), [2])]) {
    assert.equal(x.dtype, 'float64');
    assert.deepEqual(x.tolist(), [1, 0.2]);
  }
  assert.equal(linalg.solve([[0.1, 0], [0, 1]], np.array([0.1, 0.2])).dtype, 'float32');
  // the shape error names b as read (a float64 list beside a float64 a; it said float32[3], helper-193)
  assert.throws(() => linalg.solve(np.eye(2, { dtype: 'float64' }), [0.1, 0.2, 0.3]), /linalg\.solve: b float64\[3\] does not match a float64\[2,2\]/);
});

// ---------------------------------------------------------------- det: 2x2 and 3x3 past the range of their products
// References are closed forms with exactly representable entries (powers of two times small
// integers: every product and difference below is exact), or, for ordinary matrices, the
// polynomial det used before, evaluated here in JS doubles (the same IEEE operations).

const p2 = (k: number) => 2 ** k;
const flat = (x: any): number[] => Array.from(x.dataSync() as ArrayLike<number>);
const sameBits = (got: number[], want: number[], what: string) =>
  got.forEach((g, i) => assert.ok(Object.is(g, want[i]), `${what}[${i}]: ${g} for ${want[i]}`));
// r0 = 2^-700 [1, 2, 3], r1 = 2^520 [1, 1, 1], r2 = 2^520 [2, 2, 2 + 2^-40]: det = 2^-700 (C00 + 2 C01 + 3 C02)
// with C0 = 2^1040 [2^-40, -2^-40, 0], so -2^300; rows 1 and 2's products are 2^1040 (inf - inf before)
const G = [[p2(-700), 2 * p2(-700), 3 * p2(-700)], [p2(520), p2(520), p2(520)], [2 * p2(520), 2 * p2(520), (2 + p2(-40)) * p2(520)]];
const gradG = [[p2(1000), -p2(1000), 0], [(2 - p2(-39)) * p2(-180), (-4 + p2(-40)) * p2(-180), 2 * p2(-180)], [-p2(-180), 2 * p2(-180), -p2(-180)]];

test('det of 2x2 matrices whose products overflow or underflow: the determinant where it is in range (it was NaN), float64 and float32', () => {
  // identical rows: exactly 0 (numpy 0); a d and b c were each inf, inf - inf = NaN
  const E = f64([[1e200, 1e200], [1e200, 1e200]]);
  sameBits(flat(linalg.det(E)), [0], 'equal rows');
  sameBits(flat(grad(linalg.det)(E)), [1e200, -1e200, -1e200, 1e200], 'its gradient [[d, -c], [-b, a]]');
  // 2^520 (2^520 + 2^480) - 2^520 2^520 = 2^1000 (products 2^1040)
  sameBits(flat(linalg.det(f64([[p2(520), p2(520)], [p2(520), p2(520) + p2(480)]]))), [p2(1000)], '2^1000');
  // rows 1e200 and 1e-200: the products are in range, the value as the polynomial gives it (numpy's LU: 2.0000000000000036)
  sameBits(flat(linalg.det(f64([[1e200, 1e200], [1e-200, 2e-200]]))), [1e200 * 2e-200 - 1e200 * 1e-200], 'rows 1e200, 1e-200');
  // a determinant out of range is still inf or 0: 2^1040; -2e-400 underflows to -0 (numpy -0.0; the products underflowed to 0 - 0 = +0)
  sameBits(flat(linalg.det(f64([[p2(520), 0], [0, p2(520)]]))), [Infinity], '2^1040');
  sameBits(flat(linalg.det(f64([[1e-200, 2e-200], [3e-200, 4e-200]]))), [-0], '-2e-400');
  // ... whose gradient is in range: [[d, -c], [-b, a]] (not lost with the value)
  sameBits(flat(grad(linalg.det)(f64([[1e-200, 2e-200], [3e-200, 4e-200]]))), [4e-200, -3e-200, -2e-200, 1e-200], 'gradient at 1e-200 entries');
  // float32 (largest 3.4e38): 1e40 products
  const f32 = (v: number[][]) => np.array(v, { dtype: 'float32' });
  sameBits(flat(linalg.det(f32([[1e20, 1e20], [1e20, 1e20]]))), [0], 'float32 equal rows');
  sameBits(flat(linalg.det(f32([[p2(70), p2(70)], [p2(70), p2(70) + p2(50)]]))), [p2(120)], 'float32 2^120');
  sameBits(flat(linalg.det(f32([[p2(70), 0], [0, p2(70)]]))), [Infinity], 'float32 2^140');
  assert.equal(linalg.det(f32([[1e20, 1e20], [1e20, 1e20]])).dtype, 'float32');
});

test('det of 3x3 matrices with 1e200-scale rows: singular ones are 0, others their determinant (NaN, inf or 0 before)', () => {
  const c = p2(665); // ~1.3e200: [[1, 2, 3], [4, 5, 6], [5, 7, 9]] c is exactly singular
  sameBits(flat(linalg.det(f64([[c, 2 * c, 3 * c], [4 * c, 5 * c, 6 * c], [5 * c, 7 * c, 9 * c]]))), [0], 'singular');
  // det [[1, 2, 3], [4, 5, 6], [5, 7, 10]] = -3; rows scaled by 2^-1000, 2^665, 2^665: -3 2^330 (rows 1, 2's products 2^1330)
  const lo = p2(-1000);
  sameBits(flat(linalg.det(f64([[lo, 2 * lo, 3 * lo], [4 * c, 5 * c, 6 * c], [5 * c, 7 * c, 10 * c]]))), [-3 * p2(330)], '-3 2^330');
  // diag(2^665, 2^-565, 2^-565) = 2^-465 (the minor 2^-1130 underflowed: 0); numpy: det(diag(1e200, 1e-170, 1e-170)) = 1e-140
  sameBits(flat(linalg.det(f64([[c, 0, 0], [0, p2(-565), 0], [0, 0, p2(-565)]]))), [p2(-465)], 'diagonal');
  assert.ok(rel(linalg.det(f64([[1e200, 0, 0], [0, 1e-170, 0], [0, 0, 1e-170]])).item() as number, 1e-140) < 1e-15);
  sameBits(flat(linalg.det(f64(G))), [-p2(300)], 'G');
});

test('det at scaled matrices: grad is the cofactor matrix (the adjugate transpose), jvp and hessian exact, jit and vmap the same', () => {
  const A = f64(G);
  sameBits(flat(grad(linalg.det)(A)), gradG.flat(), 'grad');
  sameBits(flat(jit(grad(linalg.det))(A)), gradG.flat(), 'jit(grad)');
  sameBits(flat(jit(linalg.det)(A)), [-p2(300)], 'jit');
  // jvp along e_00 + e_12: C00 + C12
  const [, t] = jvp(linalg.det, [A], [f64([[1, 0, 0], [0, 0, 1], [0, 0, 0]])]);
  sameBits(flat(t), [gradG[0][0] + gradG[1][2]], 'jvp');
  // second derivatives: d2 det / da_ij da_kl = sign(s) a_rc, s the permutation i -> j, k -> l, r -> c (0 if i = k or j = l)
  const sign = (s: number[]) => (s[0] > s[1] ? -1 : 1) * (s[0] > s[2] ? -1 : 1) * (s[1] > s[2] ? -1 : 1);
  const want: number[] = [];
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) for (let l = 0; l < 3; l++) {
    if (i === k || j === l) { want.push(0); continue; }
    const r = 3 - i - k, cc = 3 - j - l, s = [0, 0, 0];
    s[i] = j; s[k] = l; s[r] = cc;
    want.push(sign(s) * G[r][cc]);
  }
  const H = flat(hessian(linalg.det)(A));
  H.forEach((h, q) => assert.equal(h, want[q], `hessian ${q}`)); // (equal, not the sign of a zero)
  flat(jit(hessian(linalg.det))(A)).forEach((h, q) => assert.equal(h, want[q], `jit hessian ${q}`));
  // 2x2 at rows of 1e200: the hessian is the constant [[0, 0], [0, 1]] / [[0, -1], ...] pattern
  const H2 = flat(hessian(linalg.det)(f64([[1e200, 1e200], [1e200, 1e200]])));
  assert.deepEqual(H2.map((h) => h + 0), [0, 0, 0, 1, 0, 0, -1, 0, 0, -1, 0, 0, 1, 0, 0, 0]);
  // vmap of grad over [G, 2 G] (2 G's cofactors: 4 times)
  const V = flat(vmap(grad(linalg.det))(np.stack([A, np.multiply(A, 2)])));
  sameBits(V, [...gradG.flat(), ...gradG.flat().map((x) => 4 * x)], 'vmap(grad)');
});

test('det of a batch mixing scaled, ordinary and non-finite matrices: each its own (the inf one as the polynomial gives it)', () => {
  const B = np.stack([f64([[1e200, 1e200], [1e200, 1e200]]), f64([[1, 2], [3, 4]]), f64([[Infinity, 1], [1, 1]]),
    f64([[p2(520), p2(520)], [p2(520), p2(520) + p2(480)]]), f64([[NaN, 1], [1, 1]])]);
  const want = [0, -2, Infinity, p2(1000), NaN];
  sameBits(flat(linalg.det(B)), want, 'eager');
  sameBits(flat(jit(linalg.det)(B)), want, 'jit');
  sameBits(flat(vmap(linalg.det)(B)), want, 'vmap');
  // the gradient of the sum: each matrix's [[d, -c], [-b, a]] (the inf and NaN ones' too), nothing leaking across
  const g = flat(grad((x: any) => np.sum(linalg.det(x)))(B));
  const wantG = [1e200, -1e200, -1e200, 1e200, 4, -3, -2, 1, 1, -1, -1, Infinity, p2(520) + p2(480), -p2(520), -p2(520), p2(520), 1, -1, -1, NaN];
  sameBits(g, wantG, 'grad');
  sameBits(flat(jit(grad((x: any) => np.sum(linalg.det(x))))(B)), wantG, 'jit(grad)');
  // 3x3 batch [G, ordinary, singular at 2^665] and its leading axes
  const c = p2(665), S = [[c, 2 * c, 3 * c], [4 * c, 5 * c, 6 * c], [5 * c, 7 * c, 9 * c]];
  const B3 = np.reshape(np.stack([f64(G), f64([[2, 1, 0], [1, 3, 1], [0, 1, 4]]), f64(S), f64(G)]), [2, 2, 3, 3]);
  const d3 = linalg.det(B3);
  assert.deepEqual(d3.shape, [2, 2]);
  sameBits(flat(d3), [-p2(300), 18, 0, -p2(300)], '3x3 batch');
  sameBits(flat(jit(linalg.det)(B3)), [-p2(300), 18, 0, -p2(300)], '3x3 batch, jit');
});

test('det of complex 2x2 past the range: complex128 and complex64, with the holomorphic gradient', () => {
  // rows [a, b] and [a, b + 2^480 i], a = 2^520 (1 + i), b = 2^520: a (b + 2^480 i) - b a = 2^1000 (-1 + i) (products ~2^1040)
  const cx = (re: number, im: number) => ({ re, im });
  const a = cx(p2(520), p2(520)), b = cx(p2(520), 0);
  const z = np.array([[a, b], [a, cx(p2(520), p2(480))]], { dtype: 'complex128' });
  assert.deepEqual(linalg.det(z).item(), cx(-p2(1000), p2(1000)));
  assert.deepEqual(jit(linalg.det)(z).item(), cx(-p2(1000), p2(1000)));
  // identical rows (|entry| past 1e200 in both parts): 0 (numpy 0j)
  const W = np.array([[cx(1e200, 1e200), cx(1e200, 0)], [cx(1e200, 1e200), cx(1e200, 0)]], { dtype: 'complex128' });
  assert.deepEqual(linalg.det(W).item(), cx(0, 0));
  // holomorphic gradient: [[d, -c], [-b, a]] (zeros compared without their sign)
  const unsigned = (x: any): any => (Array.isArray(x) ? x.map(unsigned) : cx(x.re + 0, x.im + 0));
  const want = [[cx(p2(520), p2(480)), cx(-p2(520), -p2(520))], [cx(-p2(520), 0), a]];
  assert.deepEqual(unsigned(grad(linalg.det, { holomorphic: true })(z).tolist()), want);
  assert.deepEqual(unsigned(jit(grad(linalg.det, { holomorphic: true }))(z).tolist()), want);
  // complex64 (float32 parts): 2^70 and 2^50, det 2^120 (-1 + i)
  const a64 = cx(p2(70), p2(70)), b64 = cx(p2(70), 0);
  const z64 = np.array([[a64, b64], [a64, cx(p2(70), p2(50))]], { dtype: 'complex64' });
  assert.deepEqual(linalg.det(z64).item(), cx(-p2(120), p2(120)));
  assert.equal(linalg.det(z64).dtype, 'complex64');
});

test('det of ordinary 2x2 and 3x3 matrices: the same bits as the polynomial (value, grad, jit, vmap), float64 and float32', () => {
  let seed = 7;
  const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 * 2 - 1; };
  for (const dt of ['float64', 'float32'] as const) {
    const r = dt === 'float32' ? Math.fround : (x: number) => x;
    for (let trial = 0; trial < 40; trial++) {
      const n = 2 + (trial % 2);
      const m = Array.from({ length: n }, () => Array.from({ length: n }, () => r(rnd() * 10 ** Math.round(3 * rnd()))));
      const A = np.array(m, { dtype: dt });
      const [a, b, c] = m[0], [d, e, f] = m[1];
      let want: number, wantG: number[];
      if (n === 2) {
        want = r(r(a * e) - r(b * d));
        wantG = [e, -d, -b, a];
      } else {
        const [g, h, i] = m[2];
        const M = (x: number, y: number, z: number, w: number) => r(r(x * y) - r(z * w));
        want = r(r(r(a * M(e, i, f, h)) - r(b * M(d, i, f, g))) + r(c * M(d, h, e, g)));
        wantG = [M(e, i, f, h), M(f, g, d, i), M(d, h, e, g), M(h, c, i, b), M(i, a, g, c), M(g, b, h, a), M(b, f, c, e), M(c, d, a, f), M(a, e, b, d)];
      }
      const what = `${dt} ${JSON.stringify(m)}`;
      sameBits(flat(linalg.det(A)), [want], `det ${what}`);
      sameBits(flat(jit(linalg.det)(A)), [want], `jit det ${what}`);
      sameBits(flat(vmap(linalg.det)(np.stack([A]))), [want], `vmap det ${what}`);
      sameBits(flat(grad(linalg.det)(A)), wantG, `grad ${what}`);
      sameBits(flat(jit(grad(linalg.det))(A)), wantG, `jit grad ${what}`);
    }
  }
});

test('lstsq of a zero matrix is x = 0 at rank 0 (numpy; it was x = NaN at rank 2: s = 0 passed s >= rcond s[0])', () => {
  // numpy 2.4: lstsq(zeros((3, 2)), ones(3)) = ([0, 0], [], 0, [0, 0]); lstsq([[1,0],[0,0],[0,0]], [1,2,3]) = ([1, 0], [], 1, [1, 0])
  for (const dtype of ['float32', 'float64'] as const) {
    const [x, res, rank, s] = linalg.lstsq(np.zeros([3, 2], { dtype }), np.ones([3], { dtype }));
    assert.deepEqual([x.tolist(), rank.tolist(), s.tolist()], [[0, 0], 0, [0, 0]], dtype);
    assert.deepEqual(res.tolist(), [3]); // (JAX's residuals whatever the rank: |b|^2 here; numpy gives [] below full rank)
  }
  const [x, , rank] = linalg.lstsq(f64([[1, 0], [0, 0], [0, 0]]), np.array([1, 2, 3], { dtype: 'float64' }));
  assert.deepEqual([x.tolist(), rank.tolist()], [[1, 0], 1]);
  // rcond = 0 keeps every nonzero singular value and still drops an exact zero
  assert.deepEqual(linalg.lstsq(f64([[2, 0], [0, 0]]), np.array([1, 1], { dtype: 'float64' }), { rcond: 0 })[0].tolist(), [0.5, 0]);
});

test('matrixRank refuses a complex tol given as an Array (the cast to the singular values\' dtype dropped its imaginary part)', () => {
  assert.throws(() => linalg.matrixRank(np.eye(3), { tol: np.array([{ re: 1, im: 2 }]) }), /linalg\.matrixRank: tol must be real, got complex64\[1\]/);
  assert.throws(() => linalg.matrixRank(np.eye(3), { rtol: { re: 0.1, im: 0 } as any }), /linalg\.matrixRank: rtol must be real/);
  assert.equal(linalg.matrixRank(np.eye(3), { tol: np.array(0.5) }).tolist(), 3);
});

test('lstsq with an infinite b: jit and vmap give the eager values (the traced step no longer turns inf into NaN)', () => {
  // eagerly the SVD solve gives [NaN, inf] here; under jit the derivative step x - (sg(y) - y) made it [NaN, NaN]
  const A = np.array([[1, 2], [3, 4], [5, 7]], { dtype: 'float64' }), b = np.array([Infinity, 1, 1], { dtype: 'float64' });
  const eager = linalg.lstsq(A, b)[0].tolist() as number[];
  assert.ok(Number.isNaN(eager[0]) && eager[1] === Infinity, String(eager));
  assert.deepEqual(jit((a: typeof A, c: typeof A) => linalg.lstsq(a, c)[0])(A, b).tolist(), eager);
  assert.deepEqual(vmap((c: typeof A) => linalg.lstsq(A, c)[0])(np.stack([b, b])).tolist(), [eager, eager]);
});
