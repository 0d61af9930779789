// linalg.eig / linalg.eigvals (the `eig` primitive, kernels/eig.ts): against numpy 2.4's
// np.linalg.eig (values pasted below, computed on the same matrices: the generator `mat` is an
// LCG written identically in Python). Eigenvalue order is the QR iteration's, not necessarily
// LAPACK's, so eigenvalues are compared as sets (each numpy value matched to the nearest unused
// one) and eigenvectors up to a unit complex phase per column (|<v_numpy, v>| = 1, both unit).
// Residuals |A V - V diag(w)| / max|A| are computed here in plain JS float64. Derivatives:
// checkGrads (orders 1 and 2, both modes) on real functions of the eigenvalues and on
// phase-invariant functions of the eigenvectors; jit and vmap against eager.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { np, linalg, grad, jit, vmap, jvp, checkGrads, NDArray, ShapeError, CotangentError } from '../ts/index.ts';

type C = [number, number];

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => { a = (a * 1664525 + 1013904223) >>> 0; return a / 2 ** 32 - 0.5; };
}
/** Entries of the LCG in [-0.5, 0.5), as the Python generator of the expected values. */
function lcg(seed: number, size: number): number[] { const r = rng(seed); return Array.from({ length: size }, r); }
function mat(seed: number, shape: number[], dtype: 'float32' | 'float64' = 'float64'): NDArray {
  return np.array(lcg(seed, shape.reduce((a, b) => a * b, 1)), { dtype, shape });
}
function cmat(seedRe: number, seedIm: number, shape: number[]): NDArray {
  return np.complex(mat(seedRe, shape), mat(seedIm, shape));
}
/** A complex Array's entries as [re, im] pairs (a real one: im 0). */
function pairs(x: NDArray): C[] {
  const d = Array.from(x.dataSync() as Float64Array);
  if (!x.dtype.startsWith('complex')) return d.map((v) => [v, 0]);
  const out: C[] = [];
  for (let i = 0; i < d.length; i += 2) out.push([d[i], d[i + 1]]);
  return out;
}
const dist = (a: C, b: C) => Math.hypot(a[0] - b[0], a[1] - b[1]);
/** max over expected values of the distance to the nearest unused computed one (the sets' distance). */
function setDistance(got: C[], expected: C[]): number {
  assert.equal(got.length, expected.length);
  const used = new Array(got.length).fill(false);
  let worst = 0;
  for (const e of expected) {
    let best = -1;
    for (let j = 0; j < got.length; j++) if (!used[j] && (best < 0 || dist(got[j], e) < dist(got[best], e))) best = j;
    used[best] = true;
    worst = Math.max(worst, dist(got[best], e));
  }
  return worst;
}
/** max |A V - V diag(w)| / max |A| of matrix t of a batch. */
function residual(A: C[], W: C[], V: C[], n: number, t = 0): number {
  let r = 0, an = 0;
  const a = (i: number, j: number) => A[t * n * n + i * n + j], v = (i: number, j: number) => V[t * n * n + i * n + j];
  for (let i = 0; i < n * n; i++) an = Math.max(an, Math.hypot(...A[t * n * n + i]));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sr = 0, si = 0;
      for (let k = 0; k < n; k++) { const [ar, ai] = a(i, k), [vr, vi] = v(k, j); sr += ar * vr - ai * vi; si += ar * vi + ai * vr; }
      const [vr, vi] = v(i, j), [wr, wi] = W[t * n + j];
      r = Math.max(r, Math.hypot(sr - (vr * wr - vi * wi), si - (vr * wi + vi * wr)));
    }
  }
  return r / an;
}
/** max over columns of | |v_j| - 1 |. */
function unitError(V: C[], n: number, t = 0): number {
  let e = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) { const [r, m] = V[t * n * n + i * n + j]; s += r * r + m * m; }
    e = Math.max(e, Math.abs(Math.sqrt(s) - 1));
  }
  return e;
}
/** For each expected eigenpair (distinct eigenvalues), 1 - |<v_expected, v_got>| of the matching column: 0 when equal up to a phase. */
function vectorsUpToPhase(W: C[], V: C[], We: C[], Ve: C[], n: number): number {
  let worst = 0;
  for (let e = 0; e < n; e++) {
    let j = 0;
    for (let q = 1; q < n; q++) if (dist(W[q], We[e]) < dist(W[j], We[e])) j = q;
    let sr = 0, si = 0;
    for (let i = 0; i < n; i++) { const [ar, ai] = Ve[i * n + e], [br, bi] = V[i * n + j]; sr += ar * br + ai * bi; si += ar * bi - ai * br; }
    worst = Math.max(worst, Math.abs(1 - Math.hypot(sr, si)));
  }
  return worst;
}
const maxDiff = (a: NDArray, b: NDArray) => {
  const x = a.dataSync() as Float64Array, y = b.dataSync() as Float64Array;
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
};

// ---------------------------------------------------------------- numpy 2.4's np.linalg.eig / eigvals
const A3_w = [[0.931441440164984, 2.4801649033985598], [0.931441440164984, -2.4801649033985598], [2.137117119670032, 0.0]];
const A3_v = [[0.017225567102534204, 0.6231497142246254], [0.017225567102534204, -0.6231497142246254], [0.26152976030521236, 0.0], [-0.7733475054278245, 0.0], [-0.7733475054278245, -0.0], [0.14869498387312863, 0.0], [0.10469629253173668, -0.04858019841904162], [0.10469629253173668, 0.04858019841904162], [0.9536728926868312, 0.0]];
const R4_w = [[0.1802380615549628, 0.5049520974352022], [0.1802380615549628, -0.5049520974352022], [-0.259723631868372, 0.1644773128675807], [-0.259723631868372, -0.1644773128675807]];
const B_w = [[-0.6432365518698521, 0.0], [-0.2499286984241547, 0.19693764945306], [-0.2499286984241547, -0.19693764945306], [0.5010389605556433, 0.0], [-0.1291319326855381, 0.0], [0.07794674046927556, 0.0]];
const F32_w = [[0.3381636440753937, 0.4928630590438843], [0.3381636440753937, -0.4928630590438843], [-0.383745402097702, 0.0], [-0.11195655167102814, 0.0]];
const R8_w = [[0.8706880159035367, 0.0], [-0.02899896548374767, 0.8168123854093775], [-0.02899896548374767, -0.8168123854093775], [0.4901333960403969, 0.0], [-0.8187891412540707, 0.0], [-0.11188104026143166, 0.0], [-0.4357616340605569, 0.02552804609033083], [-0.4357616340605569, -0.02552804609033083]];
const R30_w = [[2.1217150705744654, 0.0], [1.487482105726621, 0.0], [-0.5193515616142992, 1.3711328750099983], [-0.5193515616142992, -1.3711328750099983], [1.1921401382832593, 0.5309622629207643], [1.1921401382832593, -0.5309622629207643], [0.920769047806137, 0.6872397609450478], [0.920769047806137, -0.6872397609450478], [0.35710820300968127, 1.1677516492435334], [0.35710820300968127, -1.1677516492435334], [0.5334137742118452, 0.9381649706523718], [0.5334137742118452, -0.9381649706523718], [-1.3810200584350474, 0.287574917516771], [-1.3810200584350474, -0.287574917516771], [-1.2088456153823879, 0.08615789465364773], [-1.2088456153823879, -0.08615789465364773], [-0.6615043704740269, 0.859076474772705], [-0.6615043704740269, -0.859076474772705], [-0.2653460675225673, 0.9865225692018422], [-0.2653460675225673, -0.9865225692018422], [-0.7905455981164484, 0.40814714286135845], [-0.7905455981164484, -0.40814714286135845], [-0.6487855647143329, 0.0], [-0.2876671026683907, 0.36210674865494374], [-0.2876671026683907, -0.36210674865494374], [0.7278265790342111, 0.0], [0.49251214726953935, 0.29720296061034396], [0.49251214726953935, -0.29720296061034396], [0.12300820611872393, 0.22902929761444896], [0.12300820611872393, -0.22902929761444896]];
const C4_w = [[0.7019943283529398, 0.2513158274355969], [-0.48347832316133993, -0.46947378242783977], [0.2543338373239058, -0.6523131657068368], [0.043614061660401035, 0.0548543169896622]];
const C4_v = [[0.003026284276854585, 0.3934669016457561], [0.8646236835305418, 0.0], [-0.04577794332877702, -0.15145784344216004], [0.6902924745820613, 0.0], [0.6464007251677153, 0.0], [-0.05032593538233215, -0.016268998259599068], [-0.10903835913244352, 0.4626014540340041], [-0.500007011396315, 0.39039064805109314], [-0.4741311138267675, -0.2747622783783665], [0.40219774475313297, -0.2839530764621726], [-0.5948105548140779, 0.020742733191294827], [-0.14895886666407543, -0.11021509079786694], [-0.24488373867803095, -0.258994349799767], [0.07006757156716593, 0.048235523211026074], [0.6283673888970456, 0.0], [-0.2740382924877563, -0.10794134544795224]];
const C3_w = [[0.003393095452338457, -0.21290281414985657], [-0.5336013436317444, 0.023318205028772354], [-0.5594720840454102, 0.2754732668399811]];

const A3 = np.array([[1, 2, 0], [-3, 1, 1], [0.5, 0, 2]], { dtype: 'float64' });

describe('linalg.eig against numpy', () => {
  test('a real 3x3 with a complex pair: complex128 outputs, eigenvalues and vectors (up to phase) as numpy, named results', () => {
    const res = linalg.eig(A3);
    const [w, v] = res;
    assert.equal(res.eigenvalues, w); assert.equal(res.eigenvectors, v);
    assert.equal(w.dtype, 'complex128'); assert.equal(v.dtype, 'complex128');
    assert.deepEqual(w.shape, [3]); assert.deepEqual(v.shape, [3, 3]);
    const W = pairs(w), V = pairs(v);
    assert.ok(setDistance(W, A3_w as C[]) < 1e-14, `${setDistance(W, A3_w as C[])}`);
    assert.ok(vectorsUpToPhase(W, V, A3_w as C[], A3_v as C[], 3) < 1e-14);
    assert.ok(residual(pairs(A3), W, V, 3) < 4e-15, `residual ${residual(pairs(A3), W, V, 3)}`);
    assert.ok(unitError(V, 3) < 1e-15);
    // the pair exactly conjugate, its first member's imaginary part positive; the real eigenvalue's vector real
    const k = W.findIndex((z) => z[1] > 0);
    assert.deepEqual(W[k + 1], [W[k][0], -W[k][1]]);
    const r = W.findIndex((z) => z[1] === 0);
    for (let i = 0; i < 3; i++) assert.equal(V[i * 3 + r][1], 0);
    // eigvals: eig's eigenvalues
    assert.deepEqual(pairs(linalg.eigvals(A3)), W);
  });

  test('a random 4x4 with two complex pairs', () => {
    const A = mat(4, [4, 4]);
    const [w, v] = linalg.eig(A);
    const W = pairs(w), V = pairs(v);
    assert.ok(setDistance(W, R4_w as C[]) < 1e-14);
    assert.ok(residual(pairs(A), W, V, 4) < 4e-15, `residual ${residual(pairs(A), W, V, 4)}`);
    assert.ok(unitError(V, 4) < 1e-15);
    // each complex eigenvector's largest component is real (LAPACK's normalization)
    for (let j = 0; j < 4; j++) {
      if (W[j][1] === 0) continue;
      let at = 0;
      for (let i = 1; i < 4; i++) if (Math.hypot(...V[i * 4 + j]) > Math.hypot(...V[at * 4 + j]) * (1 + 1e-12)) at = i;
      assert.equal(V[at * 4 + j][1], 0);
    }
  });

  test('a Jordan block (defective): eigenvalues 2 to a cube root of eps, A v = v w to tolerance', () => {
    const J = np.array([[2, 1, 0], [0, 2, 1], [0, 0, 2]], { dtype: 'float64' });
    const [w, v] = linalg.eig(J);
    const W = pairs(w);
    for (const z of W) assert.ok(dist(z, [2, 0]) < 1e-5, `${z}`);
    assert.ok(residual(pairs(J), W, pairs(v), 3) < 1e-14);
    // a perturbed one: the three cube roots of 1e-9 around 2 (numpy: 2 + 1e-3 e^{2 pi i k / 3})
    const Jp = np.array([[2, 1, 0], [0, 2, 1], [1e-9, 0, 2]], { dtype: 'float64' });
    const Wp = pairs(linalg.eigvals(Jp));
    const roots: C[] = [0, 1, 2].map((k) => [2 + 1e-3 * Math.cos(2 * Math.PI * k / 3), 1e-3 * Math.sin(2 * Math.PI * k / 3)]);
    assert.ok(setDistance(Wp, roots) < 1e-9, `${setDistance(Wp, roots)}`);
  });

  test('1x1, 0x0, the identity, zeros and triangular input (eigenvalues = the diagonal)', () => {
    const [w1, v1] = linalg.eig(np.array([[-2.5]], { dtype: 'float64' }));
    assert.deepEqual(pairs(w1), [[-2.5, 0]]); assert.deepEqual(pairs(v1), [[1, 0]]);
    const [w0, v0] = linalg.eig(np.zeros([0, 0], { dtype: 'float64' }));
    assert.deepEqual(w0.shape, [0]); assert.deepEqual(v0.shape, [0, 0]);
    const [wi, vi] = linalg.eig(np.eye(3, { dtype: 'float64' }));
    assert.deepEqual(pairs(wi), [[1, 0], [1, 0], [1, 0]]); assert.deepEqual(pairs(vi), pairs(np.eye(3, { dtype: 'complex128' })));
    assert.deepEqual(pairs(linalg.eigvals(np.zeros([2, 2], { dtype: 'float64' }))), [[0, 0], [0, 0]]);
    const U = np.array([[3, 1, 4, 1], [0, -1, 5, 9], [0, 0, 2, 6], [0, 0, 0, 0.5]], { dtype: 'float64' });
    const [wu, vu] = linalg.eig(U);
    assert.ok(setDistance(pairs(wu), [[3, 0], [-1, 0], [2, 0], [0.5, 0]]) < 1e-15);
    assert.ok(residual(pairs(U), pairs(wu), pairs(vu), 4) < 4e-15, `residual ${residual(pairs(U), pairs(wu), pairs(vu), 4)}`);
    const L = np.transpose(U);
    const [wl, vl] = linalg.eig(L);
    // lower triangular: not Hessenberg, so reduced and iterated (numpy's balancing permutes it to
    // triangular and returns the diagonal exactly; there is no balancing here): to ~1e-14
    assert.ok(setDistance(pairs(wl), [[3, 0], [-1, 0], [2, 0], [0.5, 0]]) < 5e-14);
    assert.ok(residual(pairs(L), pairs(wl), pairs(vl), 4) < 4e-15, `residual ${residual(pairs(L), pairs(wl), pairs(vl), 4)}`);
  });

  test('a batch [2,3,3]: each matrix its own decomposition', () => {
    const B = mat(7, [2, 3, 3]);
    const [w, v] = linalg.eig(B);
    assert.deepEqual(w.shape, [2, 3]); assert.deepEqual(v.shape, [2, 3, 3]);
    const W = pairs(w), V = pairs(v), Bp = pairs(B);
    for (let t = 0; t < 2; t++) {
      assert.ok(setDistance(W.slice(3 * t, 3 * t + 3), (B_w as C[]).slice(3 * t, 3 * t + 3)) < 1e-14);
      assert.ok(residual(Bp, W, V, 3, t) < 4e-15, `residual ${residual(Bp, W, V, 3, t)}`);
    }
  });

  test('float32 input gives complex64 outputs, as numpy and JAX; ints compute in float32 (complex64)', () => {
    const F = mat(9, [4, 4], 'float32');
    const [w, v] = linalg.eig(F);
    assert.equal(w.dtype, 'complex64'); assert.equal(v.dtype, 'complex64');
    assert.ok(setDistance(pairs(w), F32_w as C[]) < 2e-6, `${setDistance(pairs(w), F32_w as C[])}`);
    assert.ok(residual(pairs(F), pairs(w), pairs(v), 4) < 1e-6);
    const I = np.array([[0, 1], [-1, 0]], { dtype: 'int32' });
    const wi = linalg.eigvals(I);
    assert.equal(wi.dtype, 'complex64');
    assert.deepEqual(pairs(wi), [[0, 1], [0, -1]]);
  });

  test('a random 8x8 and a 30x30: eigenvalues as numpy\'s (as sets), residuals ~1e-15', () => {
    for (const [seed, n, expected, tol] of [[8, 8, R8_w, 1e-13], [30, 30, R30_w, 1e-12]] as [number, number, number[][], number][]) {
      const A = mat(seed, [n, n]);
      const [w, v] = linalg.eig(A);
      const W = pairs(w), V = pairs(v);
      const d = setDistance(W, expected as C[]), r = residual(pairs(A), W, V, n);
      assert.ok(d < tol, `n=${n}: eigenvalues ${d} from numpy's`);
      assert.ok(r < 1e-14, `n=${n}: residual ${r}`);
      assert.ok(unitError(V, n) < 1e-14);
    }
  });

  test('complex128 and complex64 input: eigenvalues and vectors (up to phase) as numpy, largest components real and positive', () => {
    const A = cmat(11, 12, [4, 4]);
    const [w, v] = linalg.eig(A);
    assert.equal(w.dtype, 'complex128');
    const W = pairs(w), V = pairs(v);
    assert.ok(setDistance(W, C4_w as C[]) < 1e-14);
    assert.ok(vectorsUpToPhase(W, V, C4_w as C[], C4_v as C[], 4) < 1e-14);
    assert.ok(residual(pairs(A), W, V, 4) < 4e-15, `residual ${residual(pairs(A), W, V, 4)}`);
    for (let j = 0; j < 4; j++) {
      let at = 0;
      for (let i = 1; i < 4; i++) if (Math.hypot(...V[i * 4 + j]) > Math.hypot(...V[at * 4 + j]) * (1 + 1e-12)) at = i;
      assert.equal(V[at * 4 + j][1], 0); assert.ok(V[at * 4 + j][0] > 0);
    }
    const A64 = np.astype(cmat(13, 14, [3, 3]), 'complex64');
    const [w64, v64] = linalg.eig(A64);
    assert.equal(w64.dtype, 'complex64'); assert.equal(v64.dtype, 'complex64');
    assert.ok(setDistance(pairs(w64), C3_w as C[]) < 2e-6);
    assert.ok(residual(pairs(A64), pairs(w64), pairs(v64), 3) < 1e-6);
  });

  test('scaling: 1e200 A and 1e-200 A (eigenvalues scale, no overflow in the 2x2 discriminants)', () => {
    for (const s of [1e200, 1e-200, 2 ** 1000]) {
      const W = pairs(linalg.eigvals(np.multiply(A3, s)));
      const expected = (A3_w as C[]).map(([r, i]) => [r * s, i * s] as C);
      assert.ok(setDistance(W, expected) / s < 1e-14, `${s}`);
    }
  });

  test('a badly scaled D A D^-1 (D = diag(1, 1e6, 1e-6)): balancing gives A\'s eigenvalues to ~1e-15 and numpy\'s vectors up to phase', () => {
    const D = [1, 1e6, 1e-6];
    const S = np.array([[1, 2, 0], [-3, 1, 1], [0.5, 0, 2]].map((r, i) => r.map((x, j) => x * D[i] / D[j])), { dtype: 'float64' });
    const [w, v] = linalg.eig(S);
    const W = pairs(w), V = pairs(v);
    assert.ok(setDistance(W, A3_w as C[]) < 2e-15, `${setDistance(W, A3_w as C[])}`);
    // numpy's eigenvectors: A3's rows scaled by D, renormalized
    const Ve: C[] = [[2.2274032025226512e-08, 8.057822775023877e-07], [2.2274032025226512e-08, -8.057822775023877e-07], [1.7588337783334607e-06, 0.0], [-0.9999999999996753, 0.0], [-0.9999999999996753, -0.0], [0.9999999999984532, 0.0], [1.353806559106744e-13, -6.281807089058974e-14], [1.353806559106744e-13, 6.281807089058974e-14], [6.413618454668657e-12, 0.0]];
    assert.ok(vectorsUpToPhase(W, V, A3_w as C[], Ve, 3) < 1e-14, `${vectorsUpToPhase(W, V, A3_w as C[], Ve, 3)}`);
    for (let i = 0; i < 9; i++) assert.ok(Math.abs(Math.hypot(...V[i]) - Math.hypot(...Ve[i])) <= 1e-12 * Math.hypot(...Ve[i]), `${i}: ${V[i]} vs ${Ve[i]}`);
  });

  test('non-finite input gives NaNs (no trap); bad inputs raise errors naming linalg.eig', () => {
    const [w, v] = linalg.eig(np.array([[1, NaN], [0, 1]], { dtype: 'float64' }));
    assert.ok(Array.from(w.dataSync() as Float64Array).every(Number.isNaN));
    assert.ok(Array.from(v.dataSync() as Float64Array).every(Number.isNaN));
    assert.ok(Array.from(linalg.eigvals(np.array([[Infinity, 0], [0, 1]], { dtype: 'float64' })).dataSync() as Float64Array).every(Number.isNaN));
    assert.throws(() => linalg.eig(np.ones([2, 3])), (e: unknown) => e instanceof ShapeError && /linalg\.eig/.test((e as Error).message));
    assert.throws(() => linalg.eig(np.ones([3])), (e: unknown) => e instanceof ShapeError && /linalg\.eig/.test((e as Error).message));
    assert.throws(() => linalg.eigvals(np.ones([4, 2])), (e: unknown) => e instanceof ShapeError && /linalg\.eigvals/.test((e as Error).message));
    assert.throws(() => (linalg.eig as any)(A3, 1), (e: unknown) => e instanceof CotangentError && /linalg\.eig/.test((e as Error).message));
  });
});

// ---------------------------------------------------------------- derivatives, jit, vmap

/** Weights for phase-invariant functions of the eigenvectors. */
const Wt3 = np.array([[1, 2, 3], [0.5, -1, 2], [1, 1, -3]], { dtype: 'float64' });

describe('linalg.eig derivatives (JAX\'s eig_jvp_rule)', () => {
  const A4 = mat(4, [4, 4]);
  const fns: [string, (x: NDArray) => NDArray][] = [
    ['Re sum w (the trace)', (x) => np.real(np.sum(linalg.eigvals(x)))],
    ['sum Re w Im w', (x) => { const w = linalg.eigvals(x); return np.sum(np.multiply(np.real(w), np.imag(w))); }],
    ['prod Re w + sum Im w^2', (x) => { const w = linalg.eigvals(x); return np.add(np.prod(np.real(w)), np.sum(np.square(np.imag(w)))); }],
    ['sum |w|', (x) => np.sum(np.abs(linalg.eigvals(x)))],
  ];
  for (const [name, f] of fns) {
    test(`checkGrads order 2, both modes: ${name} (3x3 and 4x4 with complex pairs)`, () => {
      checkGrads(f, [A3], { order: 2 });
      checkGrads(f, [A4], { order: 2 });
    });
  }
  test('checkGrads order 2: phase-invariant functions of V (weighted |v_ij|^2, |v_ij| |w_j|, the projector v_0 v_0^H)', () => {
    checkGrads((x: NDArray) => np.sum(np.multiply(np.square(np.abs(linalg.eig(x)[1])), Wt3)), [A3], { order: 2 });
    checkGrads((x: NDArray) => { const [w, v] = linalg.eig(x); return np.sum(np.multiply(np.abs(v), np.abs(w))); }, [A4], { order: 2 });
    checkGrads((x: NDArray) => {
      const v = linalg.eig(x)[1], c = np.split(v, [1], { axis: 1 })[0];
      const P = np.matmul(c, np.conj(np.transpose(c)));
      return np.add(np.sum(np.multiply(np.real(P), Wt3)), np.sum(np.imag(P)));
    }, [A3], { order: 2 });
  });
  test('the trace\'s gradient is the identity; complex input: checkGrads order 2 on eigenvalues, order 1 on |V|', () => {
    assert.ok(maxDiff(grad((x: NDArray) => np.real(np.sum(linalg.eigvals(x))))(A4), np.eye(4, { dtype: 'float64' })) < 1e-14);
    const Ac = cmat(11, 12, [4, 4]);
    checkGrads((x: NDArray) => { const w = linalg.eigvals(x); return np.sum(np.multiply(np.real(w), np.imag(w))); }, [Ac], { order: 2 });
    checkGrads((x: NDArray) => np.sum(np.multiply(np.square(np.abs(linalg.eig(x)[1])), np.reshape(np.arange(16, { dtype: 'float64' }), [4, 4]))), [Ac], { order: 1 });
  });
  test('eigenvalue JVP: dw_i = (u_i^H dA v_i) / (u_i^H v_i) with u_i the rows of V^-1 (first-order perturbation theory)', () => {
    const dA = mat(21, [4, 4]);
    const [[w, v], [dw]] = jvp((x: NDArray) => linalg.eig(x), [A4], [dA]) as unknown as [[NDArray, NDArray], [NDArray, NDArray]];
    const Vinv = linalg.inv(v);
    const M = np.matmul(np.matmul(Vinv, np.astype(dA, 'complex128')), v);
    assert.ok(maxDiff(dw, np.diagonal(M)) < 1e-13);
    assert.equal(w.dtype, 'complex128');
  });
  test('a batch: the gradient of a batched sum equals the per-matrix gradients', () => {
    const B = mat(7, [2, 3, 3]);
    const f = (x: NDArray) => np.sum(np.multiply(np.square(np.abs(linalg.eig(x)[1])), Wt3));
    const g = grad(f)(B);
    const [g0, g1] = [0, 1].map((t) => grad(f)(np.squeeze(np.split(B, [1], { axis: 0 })[t], 0)));
    assert.ok(maxDiff(g, np.stack([g0, g1])) < 1e-14);
  });
});

test('eigvals runs the values-only kernel (no eigenvectors, only the active block updated): the same bits as eig\'s eigenvalues', () => {
  for (const n of [1, 2, 5, 17, 48]) {
    for (const dtype of ['float64', 'float32', 'complex128', 'complex64'] as const) {
      const re = mat(n + 100, [3, n, n]), A = dtype.startsWith('complex') ? np.astype(np.add(re, np.multiply(mat(n + 200, [3, n, n]), { re: 0, im: 1 })), dtype) : np.astype(re, dtype);
      const w = linalg.eig(A)[0].dataSync(), wv = linalg.eigvals(A).dataSync();
      assert.equal(wv.length, w.length);
      for (let i = 0; i < w.length; i++) if (!Object.is(w[i], wv[i])) assert.fail(`${dtype} n ${n}: eigvals part ${i} ${wv[i]}, eig ${w[i]}`);
      assert.deepEqual(Array.from(vmap(linalg.eigvals)(A).dataSync()), Array.from(wv));
    }
  }
});

describe('linalg.eig under jit and vmap', () => {
  test('jit(eig) and vmap(eig) equal eager (bits), as do jit(grad) and vmap(grad)', () => {
    const B = np.stack([A3, np.multiply(A3, 2), np.transpose(A3), mat(5, [3, 3])]);
    const [we, ve] = linalg.eig(B);
    const [wj, vj] = jit((x: NDArray) => linalg.eig(x))(B) as NDArray[];
    const [wv, vv] = vmap((x: NDArray) => linalg.eig(x))(B) as NDArray[];
    assert.equal(maxDiff(we, wj), 0); assert.equal(maxDiff(ve, vj), 0);
    assert.equal(maxDiff(we, wv), 0); assert.equal(maxDiff(ve, vv), 0);
    assert.equal(maxDiff(jit(linalg.eigvals)(B), we), 0);
    const f = (x: NDArray) => np.sum(np.multiply(np.square(np.abs(linalg.eig(x)[1])), Wt3));
    const ge = grad(f)(A3);
    assert.ok(maxDiff(jit(grad(f))(A3), ge) < 1e-14);
    const gv = vmap(grad(f))(B);
    assert.ok(maxDiff(np.squeeze(np.split(gv, [1], { axis: 0 })[0], 0), ge) < 1e-14);
  });
});

test('entries across hundreds of orders of magnitude (helper-190\'s probe): the 2 x 2 discriminant and the Francis step scale (dlanv2, dlahqr), numpy\'s eigenvalues', () => {
  // numpy's np.sort_complex(np.linalg.eigvals(A)); before: [1, 2e-170, 7e-170], the pair lost, [1e200, 2.0, -0.583], [1e300, 0.75, 0.4297], and all NaN
  const cases: [number[][], C[]][] = [
    [[[1, 0, 0], [0, 1e-170, 2e-170], [0, 2e-170, 3e-170]], [[-2.360679774997899e-171, 0], [4.2360679774997895e-170, 0], [1, 0]]],
    [[[1, 0, 0], [0, 1e-170, -2e-170], [0, 2e-170, 1e-170]], [[1e-170, -2e-170], [1e-170, 2e-170], [1, 0]]],
    [[[1e200, 0.5, 0.2], [0.3, 1, 2], [1, 2, 3]], [[-0.23606797749978967, 0], [4.236067977499787, 0], [1e200, 0]]],
    [[[1e300, 0.5, 0.1], [0.3, 1, 0.2], [0.1, 0.2, 0.5]], [[0.42984378812835744, 0], [1.0701562118716423, 0], [1e300, 0]]],
    [[[1e300, 0.5, 0.1, 0.2], [0.3, 1, 0.2, 0.4], [0.1, 0.2, 0.5, 0.1], [0.3, 0.2, 0.1, 0.3]], [[0.20000000000000023, 0], [0.4258342613226061, 0], [1.1741657386773952, 0], [1e300, 0]]],
  ];
  for (const [A, want] of cases) {
    const got = pairs(linalg.eigvals(np.array(A, { dtype: 'float64' })));
    for (const e of want) { // each eigenvalue to 1e-12 of its own size (the tiny ones too)
      const best = Math.min(...got.map((g) => dist(g, e) / Math.hypot(e[0], e[1])));
      assert.ok(best < 1e-12, `${JSON.stringify(A)}: ${JSON.stringify(e)} not among ${JSON.stringify(got)}`);
    }
  }
});
