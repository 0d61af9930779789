// Complex qr, eigh / eigvalsh, svd / svdvals and what is built on them (pinv, lstsq, matrix
// norms, cond), complex64 and complex128: reconstructions checked in plain JS float64 complex
// arithmetic (never by the code under test), closed forms for 2x2 matrices, derivatives against
// finite differences (checkGrads, order 2, both modes) on gauge-invariant functions, JAX's
// gradient convention for C -> R functions (df = Re sum(grad dA), no conjugation in
// transposes), vmap against the loop and jit against eager.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { np, linalg, grad, vmap, jit, checkGrads, NDArray, DTypeError, NotImplementedError } from '../ts/index.ts';

type CDT = 'complex64' | 'complex128';
/** A complex matrix in JS: re and im, row-major m x n. */
interface CM { m: number; n: number; re: number[]; im: number[] }

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => { a = (a * 1664525 + 1013904223) >>> 0; return a / 2 ** 32 - 0.5; };
}
/** Random complex [..., m, n] entries (parts in [-0.5, 0.5)) plus `diag` (or 1.5 (i + 1) when spread) on the diagonal. */
function cxRandom(batch: number[], m: number, n: number, dt: CDT, seed: number, spread = false): NDArray {
  const r = rng(seed), size = batch.reduce((a, b) => a * b, 1);
  const re: number[] = [], im: number[] = [];
  for (let b = 0; b < size; b++) {
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) { re.push(r() + (i === j ? (spread ? 1.5 * (i + 1) : 2) : 0)); im.push(r()); }
  }
  const shape = [...batch, m, n];
  const z = np.complex(np.array(new Float64Array(re), { shape }), np.array(new Float64Array(im), { shape }));
  return np.astype(z, dt);
}
/** The matrices of a complex Array (leading axes flattened), read as float64 complex in JS. */
function mats(x: NDArray): CM[] {
  const d = x.dataSync() as Float32Array | Float64Array, sh = x.shape, m = sh[sh.length - 2], n = sh[sh.length - 1];
  const out: CM[] = [];
  for (let o = 0; o < d.length; o += 2 * m * n) {
    const re: number[] = [], im: number[] = [];
    for (let i = 0; i < m * n; i++) { re.push(d[o + 2 * i]); im.push(d[o + 2 * i + 1]); }
    out.push({ m, n, re, im });
  }
  return out;
}
/** The rows of a real Array's last axis (leading axes flattened). */
function rowsOf(x: NDArray): number[][] {
  const d = Array.from(x.dataSync() as Float64Array), k = x.shape[x.ndim - 1];
  const out: number[][] = [];
  for (let o = 0; o < d.length; o += k) out.push(d.slice(o, o + k));
  return out;
}
function mm(a: CM, b: CM): CM {
  const c: CM = { m: a.m, n: b.n, re: new Array(a.m * b.n).fill(0), im: new Array(a.m * b.n).fill(0) };
  for (let i = 0; i < a.m; i++) for (let k = 0; k < a.n; k++) {
    const ar = a.re[i * a.n + k], ai = a.im[i * a.n + k];
    for (let j = 0; j < b.n; j++) {
      const br = b.re[k * b.n + j], bi = b.im[k * b.n + j];
      c.re[i * b.n + j] += ar * br - ai * bi;
      c.im[i * b.n + j] += ar * bi + ai * br;
    }
  }
  return c;
}
const adj = (a: CM): CM => {
  const c: CM = { m: a.n, n: a.m, re: [], im: [] };
  for (let i = 0; i < a.n; i++) for (let j = 0; j < a.m; j++) { c.re.push(a.re[j * a.n + i]); c.im.push(-a.im[j * a.n + i]); }
  return c;
};
/** a diag(d) (column j scaled by the real d[j]). */
const scaleCols = (a: CM, d: number[]): CM => ({ ...a, re: a.re.map((v, i) => v * d[i % a.n]), im: a.im.map((v, i) => v * d[i % a.n]) });
const eye = (n: number): CM => ({ m: n, n, re: Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0)), im: new Array(n * n).fill(0) });
const hermitianPart = (a: CM): CM => { const h = adj(a); return { ...a, re: a.re.map((v, i) => (v + h.re[i]) / 2), im: a.im.map((v, i) => (v + h.im[i]) / 2) }; };
function maxDiff(a: CM, b: CM): number {
  assert.deepEqual([a.m, a.n], [b.m, b.n]);
  let e = 0;
  for (let i = 0; i < a.re.length; i++) e = Math.max(e, Math.hypot(a.re[i] - b.re[i], a.im[i] - b.im[i]));
  return e;
}
const near = (a: CM, b: CM, tol: number, what: string) => { const e = maxDiff(a, b); assert.ok(e <= tol, `${what}: max error ${e} > ${tol}`); };
const closeNums = (got: number[], want: number[], tol: number, what: string) => {
  assert.equal(got.length, want.length, what);
  const e = Math.max(...got.map((g, i) => Math.abs(g - want[i])));
  assert.ok(e <= tol, `${what}: ${got} vs ${want} (error ${e} > ${tol})`);
};
const TOL: Record<CDT, number> = { complex128: 1e-12, complex64: 3e-6 };
const realOf = (dt: CDT) => (dt === 'complex128' ? 'float64' : 'float32');
const H = (x: NDArray) => np.conj(np.swapaxes(x, -1, -2));
/** Real and imaginary parts side by side: a real function of a complex Array, for checkGrads. */
const parts = (x: NDArray) => np.concatenate([np.real(x), np.imag(x)], -1);
/** X_k X_k^H for the first k columns of X (independent of the columns' phases). */
const projector = (X: NDArray, k: number) => { const Xk = np.split(X, [k], { axis: -1 })[0]; return np.matmul(Xk, H(Xk)); };

describe('complex qr', () => {
  test('Q R = A, Q^H Q = I, R upper triangular with a real diagonal: tall, wide, square, batched, complex64 and complex128; all modes', () => {
    for (const dt of ['complex128', 'complex64'] as const) {
      const tol = TOL[dt];
      for (const [m, n] of [[5, 3], [3, 5], [4, 4]]) {
        const A = cxRandom([2], m, n, dt, 10 + m);
        const k = Math.min(m, n);
        const [Q, R] = linalg.qr(A);
        assert.deepEqual([Q.dtype, R.dtype, Q.shape, R.shape], [dt, dt, [2, m, k], [2, k, n]]);
        mats(A).forEach((a, b) => {
          const q = mats(Q)[b], r = mats(R)[b];
          near(mm(q, r), a, 4 * tol, `${dt} [${m},${n}] Q R = A`);
          near(mm(adj(q), q), eye(k), tol, `${dt} [${m},${n}] Q^H Q = I`);
          for (let i = 0; i < k; i++) {
            assert.equal(r.im[i * n + i], 0, 'real diagonal');
            for (let j = 0; j < i; j++) assert.deepEqual([r.re[i * n + j], r.im[i * n + j]], [0, 0], 'upper triangular');
          }
        });
        const [Qc, Rc] = linalg.qr(A, 'complete');
        assert.deepEqual([Qc.shape, Rc.shape], [[2, m, m], [2, m, n]]);
        mats(A).forEach((a, b) => {
          near(mm(mats(Qc)[b], mats(Rc)[b]), a, 4 * tol, `${dt} [${m},${n}] complete Q R = A`);
          near(mm(adj(mats(Qc)[b]), mats(Qc)[b]), eye(m), tol, `${dt} [${m},${n}] complete Q unitary`);
        });
        assert.deepEqual(Array.from(linalg.qr(A, 'r').dataSync()), Array.from(R.dataSync()), 'mode r is R');
      }
    }
  });
  test('a real matrix given as complex has the real QR', () => {
    const A = np.array([[2, -1, 0], [1, 3, 1], [0, 1, 4], [1, 0, 1]], { dtype: 'float64' });
    const [Qr, Rr] = linalg.qr(A);
    const [Qc, Rc] = linalg.qr(np.astype(A, 'complex128'));
    closeNums(Array.from(np.real(Qc).dataSync()), Array.from(Qr.dataSync()), 1e-14, 'Q');
    closeNums(Array.from(np.real(Rc).dataSync()), Array.from(Rr.dataSync()), 1e-14, 'R');
    assert.equal(np.max(np.abs(np.imag(Qc))).item(), 0);
  });
  test("derivatives of Q and R themselves (R's real diagonal is JAX's gauge), checkGrads order 2, both modes, tall and square, batched", () => {
    const f = (A: NDArray) => { const [Q, R] = linalg.qr(A); return np.concatenate([parts(Q), parts(R)], -2); };
    checkGrads(f, [cxRandom([], 4, 3, 'complex128', 20)], { order: 2 });
    checkGrads(f, [cxRandom([2], 3, 3, 'complex128', 21)], { order: 2 });
    checkGrads((A: NDArray) => np.abs(linalg.qr(A, 'r')), [cxRandom([], 3, 2, 'complex64', 22)], { order: 2 });
    checkGrads((A: NDArray) => parts(linalg.qr(A, 'complete')[0]), [cxRandom([], 3, 3, 'complex64', 23)], { order: 1 });
  });
  test('wide and complete-rectangular complex QR have no derivative (NotImplementedError, as the real ones)', () => {
    assert.throws(() => grad((A: NDArray) => np.sum(np.abs(linalg.qr(A)[1])))(cxRandom([], 2, 3, 'complex128', 24)), NotImplementedError);
    assert.throws(() => grad((A: NDArray) => np.sum(np.abs(linalg.qr(A, 'complete')[0])))(cxRandom([], 3, 2, 'complex128', 24)), NotImplementedError);
  });
});

/** Eigenvalues of the Hermitian 2x2 [[a, b], [conj b, d]]: (a + d)/2 -+ sqrt(((a - d)/2)^2 + |b|^2). */
const eig2 = (a: number, d: number, br: number, bi: number) => {
  const r = Math.sqrt(((a - d) / 2) ** 2 + br * br + bi * bi);
  return [(a + d) / 2 - r, (a + d) / 2 + r];
};

describe('complex eigh, eigvalsh (Hermitian)', () => {
  test('V diag(w) V^H = (A + A^H)/2, V^H V = I, w real ascending; batched, complex64 and complex128', () => {
    for (const dt of ['complex128', 'complex64'] as const) {
      const tol = TOL[dt];
      for (const n of [1, 2, 5]) {
        const A = cxRandom([2, 2], n, n, dt, 30 + n, true);
        const [w, V] = linalg.eigh(A);
        assert.deepEqual([w.dtype, V.dtype, w.shape, V.shape], [realOf(dt), dt, [2, 2, n], [2, 2, n, n]]);
        const ws = rowsOf(w);
        mats(A).forEach((a, b) => {
          const v = mats(V)[b];
          near(mm(scaleCols(v, ws[b]), adj(v)), hermitianPart(a), 8 * tol, `${dt} n=${n}: V diag(w) V^H`);
          near(mm(adj(v), v), eye(n), tol, `${dt} n=${n}: V^H V = I`);
          for (let i = 1; i < n; i++) assert.ok(ws[b][i] >= ws[b][i - 1], 'ascending');
        });
        assert.deepEqual(Array.from(linalg.eigvalsh(A).dataSync()), Array.from(w.dataSync()), 'eigvalsh');
      }
    }
  });
  test('2x2 closed form; a non-Hermitian input is read as (A + A^H)/2, as JAX', () => {
    // [[2, 1 + 2i], [3 - 4i, -1]]: its Hermitian part is [[2, 2 + 3i], [2 - 3i, -1]]
    const A = np.complex(np.array([[2, 1], [3, -1]], { dtype: 'float64' }), np.array([[0.5, 2], [-4, 0.25]], { dtype: 'float64' }));
    closeNums(Array.from(linalg.eigvalsh(A).dataSync()), eig2(2, -1, 2, 3), 1e-14, 'complex128');
    closeNums(Array.from(linalg.eigvalsh(np.astype(A, 'complex64')).dataSync()), eig2(2, -1, 2, 3), 1e-6, 'complex64');
  });
  test('larger (n = 40) and degenerate inputs: the identity, a repeated eigenvalue, a real symmetric matrix', () => {
    const A = cxRandom([], 40, 40, 'complex128', 35);
    const [w, V] = linalg.eigh(A);
    const v = mats(V)[0];
    near(mm(scaleCols(v, rowsOf(w)[0]), adj(v)), hermitianPart(mats(A)[0]), 1e-12, 'n = 40');
    near(mm(adj(v), v), eye(40), 1e-12, 'n = 40 unitary');
    const [wI, VI] = linalg.eigh(np.eye(4, { dtype: 'complex64' }));
    closeNums(Array.from(wI.dataSync()), [1, 1, 1, 1], 0, 'identity');
    near(mm(adj(mats(VI)[0]), mats(VI)[0]), eye(4), 1e-6, 'identity: V unitary');
    // diag(1, 2, 2) rotated by a unitary: 2 is repeated
    const U = linalg.qr(cxRandom([], 3, 3, 'complex128', 36))[0];
    const D = np.multiply(U, np.array([1, 2, 2], { dtype: 'float64' }));
    const [wR, VR] = linalg.eigh(np.matmul(D, H(U)));
    closeNums(Array.from(wR.dataSync()), [1, 2, 2], 1e-14, 'repeated');
    near(mm(adj(mats(VR)[0]), mats(VR)[0]), eye(3), 1e-14, 'repeated: V unitary');
    const S = np.array([[2, 1, 0], [1, 3, 1], [0, 1, 4]], { dtype: 'float64' });
    const [wS] = linalg.eigh(S);
    const [wC, VC] = linalg.eigh(np.astype(S, 'complex128'));
    closeNums(Array.from(wC.dataSync()), Array.from(wS.dataSync()), 1e-14, 'real symmetric as complex');
    assert.equal(np.max(np.abs(np.imag(VC))).item(), 0, 'real eigenvectors for a real symmetric input');
  });
  test('derivatives: eigenvalue sums, weighted |v_ij|^2, projectors, V diag(f(w)) V^H; checkGrads order 2, both modes', () => {
    checkGrads((A: NDArray) => np.sum(np.multiply(linalg.eigvalsh(A), np.array([1, -2, 0.5], { dtype: 'float64' })), { axis: -1 }), [cxRandom([2], 3, 3, 'complex128', 40, true)], { order: 2 });
    checkGrads((A: NDArray) => { const V = linalg.eigh(A)[1]; return np.sum(np.multiply(np.square(np.abs(V)), np.array([[1, 2, 3], [0.5, -1, 2], [1, 1, -3]], { dtype: 'float64' }))); }, [cxRandom([], 3, 3, 'complex128', 41, true)], { order: 2 });
    checkGrads((A: NDArray) => parts(projector(linalg.eigh(A)[1], 1)), [cxRandom([], 4, 4, 'complex128', 42, true)], { order: 2 });
    checkGrads((A: NDArray) => { const [w, V] = linalg.eigh(A); return parts(np.matmul(np.multiply(V, np.sin(w)), H(V))); }, [cxRandom([], 3, 3, 'complex128', 43, true)], { order: 2 });
    checkGrads((A: NDArray) => linalg.eigvalsh(A), [cxRandom([], 3, 3, 'complex64', 44, true)], { order: 2 });
    checkGrads((A: NDArray) => parts(projector(linalg.eigh(A)[1], 2)), [cxRandom([], 3, 3, 'complex64', 45, true)], { order: 2 });
  });
  test("grad of the largest eigenvalue is conj(v v^H) (JAX's convention: d w = Re sum(grad dA))", () => {
    const A = cxRandom([], 4, 4, 'complex128', 46, true);
    const g = grad((M: NDArray) => np.index(linalg.eigvalsh(M), 3))(A);
    const v = mats(np.split(linalg.eigh(A)[1], [3], { axis: -1 })[1])[0];
    const want = mm(v, adj(v));
    near(mats(g)[0], { ...want, im: want.im.map((x) => -x) }, 1e-12, 'conj(v v^H)');
  });
  test('graded matrices with huge entries and an imaginary off-diagonal: finite and accurate (all NaN where the scaled o was subnormal)', () => {
    // [[1, i o], [-i o, M]]: [1, M]; [[2, i o, 0], [-i o, M, 0], [0, 0, 1]]: [1, 2, M] (o^2 / M is below
    // float64's resolution); numpy.linalg.eigh agrees to 1.5e-16. Was [NaN, NaN] at (1e300, 1e-10).
    const f64 = (v: number[][]) => np.array(v, { dtype: 'float64' });
    let worst = 0, worstOrth = 0;
    for (const M of [1e200, 1e220, 1e240, 1e260, 1e280, 1e290, 1e300]) for (const o of [1e-100, 1e-80, 1e-60, 1e-40, 1e-20, 1e-10, 1e-5, 1e-160]) {
      const cases: [NDArray, number[]][] = [
        [np.complex(f64([[1, 0], [0, M]]), f64([[0, o], [-o, 0]])), [1, M]],
        [np.complex(f64([[2, 0, 0], [0, M, 0], [0, 0, 1]]), f64([[0, o, 0], [-o, 0, 0], [0, 0, 0]])), [1, 2, M]],
      ];
      for (const [A, want] of cases) {
        const [w, V] = linalg.eigh(A);
        (w.tolist() as number[]).forEach((x, i) => { worst = Math.max(worst, Math.abs(x - want[i]) / want[i]); });
        const n = want.length, VhV = np.matmul(np.conj(np.swapaxes(V, 0, 1)), V);
        worstOrth = Math.max(worstOrth, np.max(np.abs(np.subtract(VhV, np.eye(n)))).item() as number);
        assert.deepEqual(linalg.eigvalsh(A).tolist(), w.tolist());
      }
    }
    assert.ok(worst < 1e-15 && worstOrth < 1e-15, `eigenvalues ${worst}, orthogonality ${worstOrth}`);
  });
});

/** Singular values of a 2x2 complex matrix: square roots of the eigenvalues of A^H A (closed form). */
const sv2 = (a: CM) => {
  const g = mm(adj(a), a);
  return eig2(g.re[0], g.re[3], g.re[1], g.im[1]).map(Math.sqrt).reverse();
};

describe('complex svd, svdvals', () => {
  test('U diag(s) V^H = A with V^H = Vh, U and V unitary, s real descending: tall, wide, square, full and reduced, batched', () => {
    for (const dt of ['complex128', 'complex64'] as const) {
      const tol = TOL[dt];
      for (const [m, n] of [[5, 3], [3, 5], [4, 4]]) {
        const A = cxRandom([2], m, n, dt, 50 + m);
        const k = Math.min(m, n);
        const [U, S, Vh] = linalg.svd(A, { fullMatrices: false });
        assert.deepEqual([U.dtype, S.dtype, Vh.dtype], [dt, realOf(dt), dt]);
        assert.deepEqual([U.shape, S.shape, Vh.shape], [[2, m, k], [2, k], [2, k, n]]);
        const ss = rowsOf(S);
        mats(A).forEach((a, b) => {
          const u = mats(U)[b], vh = mats(Vh)[b];
          near(mm(scaleCols(u, ss[b]), vh), a, 8 * tol, `${dt} [${m},${n}] U S Vh = A`);
          near(mm(adj(u), u), eye(k), tol, 'U^H U = I');
          near(mm(vh, adj(vh)), eye(k), tol, 'Vh Vh^H = I');
          for (let i = 1; i < k; i++) assert.ok(ss[b][i] <= ss[b][i - 1], 'descending');
        });
        const [Uf, Sf, Vf] = linalg.svd(A);
        assert.deepEqual([Uf.shape, Vf.shape], [[2, m, m], [2, n, n]]);
        assert.deepEqual(Array.from(Sf.dataSync()), Array.from(S.dataSync()), 'the same values');
        mats(Uf).forEach((u) => near(mm(adj(u), u), eye(m), tol, 'full U unitary'));
        mats(Vf).forEach((v) => near(mm(v, adj(v)), eye(n), tol, 'full V unitary'));
        assert.deepEqual(Array.from(linalg.svdvals(A).dataSync()), Array.from(S.dataSync()), 'svdvals');
      }
    }
  });
  test('2x2 closed form (square roots of the eigenvalues of A^H A); rank deficient', () => {
    const A = np.complex(np.array([[1, -2], [0.5, 3]], { dtype: 'float64' }), np.array([[2, 1], [-1, 0.5]], { dtype: 'float64' }));
    closeNums(Array.from(linalg.svdvals(A).dataSync()), sv2(mats(A)[0]), 1e-14, 'complex128');
    closeNums(Array.from(linalg.svdvals(np.astype(A, 'complex64')).dataSync()), sv2(mats(A)[0]), 3e-6, 'complex64');
    // rank 1: u v^H with |u| = sqrt(5), |v| = sqrt(2)
    const u = np.array([{ re: 1, im: 1 }, { re: 0, im: 2 }, { re: 0, im: 0 }] as any, { dtype: 'complex128' });
    const v = np.array([{ re: 1, im: 0 }, { re: 0, im: -1 }] as any, { dtype: 'complex128' });
    const R1 = np.matmul(np.expandDims(u, -1), np.conj(np.expandDims(v, 0)));
    const [U0, S0] = linalg.svd(R1);
    closeNums(Array.from(S0.dataSync()), [Math.sqrt(12), 0], 1e-14, 'rank 1');
    near(mm(adj(mats(U0)[0]), mats(U0)[0]), eye(3), 1e-14, 'rank 1: U unitary');
  });
  // A row of an exact-zero singular value shrinks in every Jacobi sweep until its inner products
  // are subnormal, where the rotation's phase conj(g) / |g| was off modulus 1 (up to sqrt 2): each
  // rotation scaled the rows, so svdvals of Z gave [4 sqrt 2, 1, 0] and its U S Vh missed Z by 5.6.
  const Z = [[[1, 0, 2], [0, 1, 1], [0, 0, 0]], [[0, 1, 0], [0, 1, 0], [0, 0, 0]]]; // re, im
  /** A complex Array of dtype dt from JS real and imaginary parts (row-major m x n). */
  const cx = (a: CM, dt: CDT) => np.astype(np.complex(np.array(new Float64Array(a.re), { shape: [a.m, a.n] }), np.array(new Float64Array(a.im), { shape: [a.m, a.n] })), dt);
  /** U diag(s) Vh = A, U and Vh unitary (full and reduced), s descending, s_k-1 = 0 (the rank is below k). */
  const checkRankDeficient = (A: CM, dt: CDT, what: string) => {
    const tol = TOL[dt], k = Math.min(A.m, A.n), scale = Math.max(1, ...A.re.map(Math.abs), ...A.im.map(Math.abs));
    for (const fullMatrices of [false, true]) {
      const [U, S, Vh] = linalg.svd(cx(A, dt), { fullMatrices });
      const u = mats(U)[0], vh = mats(Vh)[0], s = rowsOf(S)[0];
      const sPadded = [...s, ...new Array(u.n - k).fill(0)];
      const us: CM = scaleCols(u, sPadded);
      const usk: CM = { m: u.m, n: k, re: [], im: [] }; // the first k columns of U diag(s)
      for (let i = 0; i < u.m; i++) for (let j = 0; j < k; j++) { usk.re.push(us.re[i * u.n + j]); usk.im.push(us.im[i * u.n + j]); }
      const vhk: CM = { m: k, n: vh.n, re: vh.re.slice(0, k * vh.n), im: vh.im.slice(0, k * vh.n) };
      const tag = `${what} ${dt}${fullMatrices ? ' full' : ''}`;
      near(mm(usk, vhk), A, 8 * tol * scale, `${tag}: U S Vh = A`);
      near(mm(adj(u), u), eye(u.n), tol, `${tag}: U^H U = I`);
      near(mm(vh, adj(vh)), eye(vh.m), tol, `${tag}: Vh Vh^H = I`);
      for (let i = 1; i < k; i++) assert.ok(s[i] <= s[i - 1], `${tag}: descending ${s}`);
      assert.ok(s[k - 1] >= 0 && s[k - 1] <= 8 * tol * scale, `${tag}: the zero singular value ${s[k - 1]}`);
    }
  };
  test('exact-zero singular values (a zero or a repeated row): the closed form [2 sqrt 2, 1, 0] at every scale, U S Vh = A with U, V unitary; tall, wide, square', () => {
    const z: CM = { m: 3, n: 3, re: Z[0].flat(), im: Z[1].flat() };
    for (const dt of ['complex128', 'complex64'] as const) {
      const tol = TOL[dt];
      // A A^H = [[6, 3 + i], [3 - i, 3]] beside a zero: eigenvalues 8 and 1
      for (const c of [1, 1.1, 3.7, 1e-3, 1e3]) {
        const zc: CM = { ...z, re: z.re.map((x) => c * x), im: z.im.map((x) => c * x) };
        closeNums(Array.from(linalg.svdvals(cx(zc, dt)).dataSync()), [2 * Math.SQRT2 * c, c, 0], 4 * tol * c, `svdvals(${c} Z) ${dt}`);
        closeNums(Array.from(linalg.svdvals(cx(adj(zc), dt)).dataSync()), [2 * Math.SQRT2 * c, c, 0], 4 * tol * c, `svdvals(${c} Z^H) ${dt}`);
        checkRankDeficient(zc, dt, `${c} Z`);
        checkRankDeficient(adj(zc), dt, `${c} Z^H`);
      }
      // a 2 x 2 with a zero row against the 2 x 2 closed form (Vh Vh^H was off I by 1.7e4)
      const r2 = mats(np.multiply(cxRandom([], 2, 2, 'complex128', 63), np.array([[1], [0]], { dtype: 'float64' })))[0];
      closeNums(Array.from(linalg.svdvals(cx(r2, dt)).dataSync()), sv2(r2), 4 * tol, `2x2 zero row ${dt}`);
      checkRankDeficient(r2, dt, '2x2 zero row');
      // wide with two rows along e_1 (rank 2; 1.1 W gave U^H U off I by 5e5) and its adjoint
      for (const c of [1, 1.1, 3.7, 1e-3, 1e3]) {
        const w: CM = { m: 3, n: 4, re: [0.3, 0, 0, 0, 0, 0.5, 0, 0, 0, -0.25, 0, 0].map((x) => c * x), im: [-0.7, 0, 0, 0, 0, 0.7, 0, 0, 0, 0.4, 0, 0].map((x) => c * x) };
        checkRankDeficient(w, dt, `${c} W (3x4)`);
        checkRankDeficient(adj(w), dt, `${c} W^H (4x3)`);
      }
      // square with a repeated row or column (n up to 17)
      for (const n of [4, 9, 17]) {
        const a = mats(cxRandom([], n, n, 'complex128', 72 + n))[0];
        for (let j = 0; j < n; j++) { a.re[(n - 1) * n + j] = a.re[j]; a.im[(n - 1) * n + j] = a.im[j]; }
        checkRankDeficient(a, dt, `${n}x${n} repeated row`);
        checkRankDeficient(adj(a), dt, `${n}x${n} repeated column`);
      }
    }
  });
  test('derivatives at an exact-zero singular value: the nonzero values against finite differences (checkGrads order 2, both modes), the nuclear norm\'s gradient conj(U Vh)', () => {
    const A = cx({ m: 3, n: 3, re: Z[0].flat(), im: Z[1].flat() }, 'complex128');
    checkGrads((M: NDArray) => np.split(linalg.svdvals(M), [2])[0], [A], { order: 2 });
    checkGrads((M: NDArray) => linalg.norm(M, { ord: 2 }), [A], { order: 2 });
    // (the zero value itself is |u3^H dA v3|, not differentiable: JAX's subgradient, whose U and Vh are checked above)
    const [U, , Vh] = linalg.svd(A);
    const want = mm(mats(U)[0], mats(Vh)[0]);
    near(mats(grad((M: NDArray) => linalg.norm(M, { ord: 'nuc' }))(A))[0], { ...want, im: want.im.map((x) => -x) }, 1e-12, 'conj(U Vh)');
  });
  test("derivatives: svdvals (JAX's Re diag(U^H dA V)), U diag(f(s)) V^H (the complex-only Im diag / s term), projectors; checkGrads order 2, both modes", () => {
    checkGrads((A: NDArray) => linalg.svdvals(A), [cxRandom([2], 4, 3, 'complex128', 60, true)], { order: 2 });
    checkGrads((A: NDArray) => linalg.svdvals(A), [cxRandom([], 2, 4, 'complex128', 61, true)], { order: 2 });
    const f = (A: NDArray) => { const [U, S, Vh] = linalg.svd(A, { fullMatrices: false }); return parts(np.matmul(np.multiply(U, np.tanh(S)), Vh)); };
    for (const [m, n, seed] of [[3, 3, 62], [4, 3, 63], [3, 4, 64]]) checkGrads(f, [cxRandom([], m, n, 'complex128', seed, true)], { order: 2 });
    const g = (A: NDArray) => { const [U, , Vh] = linalg.svd(A, { fullMatrices: false }); return np.concatenate([parts(projector(U, 1)), parts(projector(H(Vh), 2))], 0); };
    checkGrads(g, [cxRandom([], 3, 3, 'complex128', 65, true)], { order: 2 });
    checkGrads((A: NDArray) => linalg.svdvals(A), [cxRandom([], 3, 2, 'complex64', 66, true)], { order: 2 });
    checkGrads(f, [cxRandom([], 3, 3, 'complex64', 67, true)], { order: 2 });
  });
  test("grad of the nuclear norm is conj(U Vh) (JAX's convention); full-matrices derivatives of a non-square input are NotImplementedError", () => {
    const A = cxRandom([], 3, 3, 'complex128', 68, true);
    const [U, , Vh] = linalg.svd(A);
    const want = mm(mats(U)[0], mats(Vh)[0]);
    near(mats(grad((M: NDArray) => linalg.norm(M, { ord: 'nuc' }))(A))[0], { ...want, im: want.im.map((x) => -x) }, 1e-12, 'conj(U Vh)');
    assert.throws(() => grad((M: NDArray) => np.sum(np.abs(linalg.svd(M)[0])))(cxRandom([], 3, 2, 'complex128', 69)), NotImplementedError);
  });
});

describe('complex pinv, lstsq, norm, cond', () => {
  test('pinv: the Penrose conditions (A P A = A, P A P = P, A P and P A Hermitian); derivatives', () => {
    for (const [m, n] of [[4, 3], [3, 4]]) {
      const A = cxRandom([], m, n, 'complex128', 70 + m, true);
      const a = mats(A)[0], p = mats(linalg.pinv(A))[0];
      near(mm(mm(a, p), a), a, 1e-12, 'A P A = A');
      near(mm(mm(p, a), p), p, 1e-12, 'P A P = P');
      near(adj(mm(a, p)), mm(a, p), 1e-12, 'A P Hermitian');
      near(adj(mm(p, a)), mm(p, a), 1e-12, 'P A Hermitian');
      checkGrads((M: NDArray) => parts(linalg.pinv(M)), [A], { order: 2 });
    }
  });
  test('lstsq: the normal equations A^H (A x - b) = 0, real residuals, rank; derivatives', () => {
    const A = cxRandom([], 5, 3, 'complex128', 80, true), B = cxRandom([], 5, 2, 'complex128', 81);
    const [x, resid, rank, s] = linalg.lstsq(A, B);
    const a = mats(A)[0], r = mm(a, mats(x)[0]);
    const res: CM = { ...r, re: r.re.map((v, i) => v - mats(B)[0].re[i]), im: r.im.map((v, i) => v - mats(B)[0].im[i]) };
    near(mm(adj(a), res), { m: 3, n: 2, re: new Array(6).fill(0), im: new Array(6).fill(0) }, 1e-12, 'normal equations');
    assert.equal(resid.dtype, 'float64');
    closeNums(Array.from(resid.dataSync()), [0, 1].map((j) => [0, 1, 2, 3, 4].reduce((t, i) => t + res.re[i * 2 + j] ** 2 + res.im[i * 2 + j] ** 2, 0)), 1e-12, 'residuals');
    assert.equal(rank.item(), 3);
    assert.deepEqual(Array.from(s.dataSync()), Array.from(linalg.svdvals(A).dataSync()));
    checkGrads((M: NDArray, b: NDArray) => parts(linalg.lstsq(M, b)[0]), [A, B], { order: 2 });
    const real = linalg.lstsq(np.real(A), B)[0]; // a real a with a complex b is promoted
    assert.equal(real.dtype, 'complex128');
  });
  test("matrix norms ('fro', 'nuc', 2, 1, inf) against JS, cond = s_max / s_min; derivatives", () => {
    for (const dt of ['complex128', 'complex64'] as const) {
      const A = cxRandom([], 3, 4, dt, 90, true), a = mats(A)[0], tol = dt === 'complex128' ? 1e-12 : 1e-5;
      const s = Array.from(linalg.svdvals(A).dataSync());
      const abs = a.re.map((v, i) => Math.hypot(v, a.im[i]));
      const num = (o: any) => linalg.norm(A, { ord: o }).item() as number;
      closeNums([num('fro')], [Math.sqrt(abs.reduce((t, v) => t + v * v, 0))], tol, `${dt} fro`);
      closeNums([num(null)], [Math.sqrt(abs.reduce((t, v) => t + v * v, 0))], tol, `${dt} default (fro)`);
      closeNums([num('nuc')], [s.reduce((t, v) => t + v, 0)], tol, `${dt} nuc`);
      closeNums([num(2)], [s[0]], tol, `${dt} 2`);
      closeNums([num(1)], [Math.max(...[0, 1, 2, 3].map((j) => abs[j] + abs[4 + j] + abs[8 + j]))], tol, `${dt} 1`);
      closeNums([num(Infinity)], [Math.max(...[0, 1, 2].map((i) => abs.slice(4 * i, 4 * i + 4).reduce((t, v) => t + v, 0)))], tol, `${dt} inf`);
      closeNums([linalg.cond(A).item() as number], [s[0] / s[2]], tol * 10, `${dt} cond`);
      assert.equal(linalg.norm(A, { ord: 'fro' }).dtype, realOf(dt));
    }
    const A = cxRandom([], 3, 3, 'complex128', 91, true);
    for (const o of ['fro', 'nuc', 2] as const) checkGrads((M: NDArray) => linalg.norm(M, { ord: o }), [A], { order: 2 });
    checkGrads((M: NDArray) => linalg.cond(M), [A], { order: 2 });
  });
  test('complex cond for every p (through the complex inverse) matches a plain-JS 2x2 closed form', () => {
    // A = [[a, b], [c, d]], inv(A) = [[d, -b], [-c, a]] / det: norms of both from |entries|.
    const [a, b, c, d] = [[2, 0.1], [1, -1], [0.5, 0.3], [3, 0.2]];
    const A = np.complex(np.array([[a[0], b[0]], [c[0], d[0]]], { dtype: 'float64' }), np.array([[a[1], b[1]], [c[1], d[1]]], { dtype: 'float64' }));
    const mul = (x: number[], y: number[]) => [x[0] * y[0] - x[1] * y[1], x[0] * y[1] + x[1] * y[0]];
    const det = [mul(a, d)[0] - mul(b, c)[0], mul(a, d)[1] - mul(b, c)[1]];
    const ad = Math.hypot(det[0], det[1]);
    const m = [[a, b], [c, d]].map((r) => r.map((z) => Math.hypot(z[0], z[1])));
    const mi = [[m[1][1], m[0][1]], [m[1][0], m[0][0]]].map((r) => r.map((v) => v / ad));
    const colMax = (x: number[][]) => Math.max(x[0][0] + x[1][0], x[0][1] + x[1][1]);
    const rowMax = (x: number[][]) => Math.max(x[0][0] + x[0][1], x[1][0] + x[1][1]);
    const colMin = (x: number[][]) => Math.min(x[0][0] + x[1][0], x[0][1] + x[1][1]);
    const rowMin = (x: number[][]) => Math.min(x[0][0] + x[0][1], x[1][0] + x[1][1]);
    const fro2 = m.flat().reduce((s2, v) => s2 + v * v, 0);
    const want: [number | string, number][] = [
      ['fro', fro2 / ad], [1, colMax(m) * colMax(mi)], [Infinity, rowMax(m) * rowMax(mi)],
      [-1, colMin(m) * colMin(mi)], [-Infinity, rowMin(m) * rowMin(mi)],
    ];
    for (const [p, v] of want) {
      const got = linalg.cond(A, p as any).item() as number;
      assert.ok(Math.abs(got - v) <= 1e-12 * v, `cond(A, ${p}) = ${got}, want ${v}`);
    }
  });
});

describe('complex decompositions under vmap and jit', () => {
  test('vmap over a batch equals the loop; jit equals eager', () => {
    const A = cxRandom([3], 3, 3, 'complex128', 100, true);
    const f = (M: NDArray) => {
      const [w, V] = linalg.eigh(M), [Q, R] = linalg.qr(M), [U, s, Vh] = linalg.svd(M, { fullMatrices: false });
      return np.concatenate([w, np.sum(np.abs(V), { axis: 0 }), np.real(np.diagonal(R)), np.sum(np.abs(Q), { axis: 0 }), s, np.sum(np.abs(np.matmul(U, Vh)), { axis: 0 })]);
    };
    const batched = vmap(f)(A).tolist() as number[][];
    const loop = [0, 1, 2].map((i) => f(np.index(A, i)).tolist() as number[]);
    batched.forEach((row, i) => closeNums(row, loop[i], 1e-13, `vmap row ${i}`));
    closeNums(jit(f)(np.index(A, 0)).tolist() as number[], loop[0], 1e-13, 'jit');
    const g = grad((M: NDArray) => np.add(np.sum(linalg.svdvals(M)), np.index(linalg.eigvalsh(M), 2)));
    const gb = mats(vmap(g)(A)), gl = [0, 1, 2].map((i) => mats(g(np.index(A, i)))[0]);
    gb.forEach((x, i) => near(x, gl[i], 1e-13, `vmap(grad) ${i}`));
    near(mats(jit(g)(np.index(A, 1)))[0], gl[1], 1e-13, 'jit(grad)');
  });
});
