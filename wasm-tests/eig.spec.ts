// The general eigendecomposition: the kernels of kernels/eig.ts on fixed matrices (residual
// |A V - V diag(w)| / |A|, unit columns, LAPACK's normalization, closed-form eigenvalues,
// matrices that stall an unshifted or plainly shifted QR, NaN for non-finite input), the `eig`
// primitive's shape rule, and its JVP rule against finite differences (helpers/harness.ts:
// forward, reverse, second order) on eigenvalues and phase-invariant |V|.
import '../assembly/index'; // registers every rule family
import { EIG, ABS, ADD } from '../assembly/ad/ops';
import { F32, F64, I32, C64, C128 } from '../assembly/dtype';
import { eigReal, eigComplex } from '../assembly/kernels/eig';
import { resetTape, constRow, tryEmit, readRow } from './helpers/rows';
import { rowDtype, rowNdim, rowDim } from '../assembly/ad/tape';
import { Arg, Case, TRACED, FIXED, runCase } from './helpers/harness';

const NO: StaticArray<i32> = [];
const VALUES: StaticArray<i32> = [0]; // eigvals: eigenvalues alone
const BAD: StaticArray<i32> = [2];

/** Runs the real f64 kernel on A (n x n, row-major): [w (2n parts), V (2n^2 parts)]. */
function runReal(A: f64[], n: i32, batch: i32 = 1, wantV: bool = true): StaticArray<f64>[] {
  const a = heap.alloc(<usize>(A.length * 8)), w = heap.alloc(<usize>(batch * n * 16)), v = heap.alloc(<usize>(batch * n * n * 16));
  for (let i = 0; i < A.length; i++) store<f64>(a + (<usize>i << 3), A[i]);
  eigReal<f64>(a, w, v, batch, n, wantV);
  const W = new StaticArray<f64>(2 * n * batch), V = new StaticArray<f64>(2 * n * n * batch);
  for (let i = 0; i < W.length; i++) W[i] = load<f64>(w + (<usize>i << 3));
  for (let i = 0; i < V.length; i++) V[i] = load<f64>(v + (<usize>i << 3));
  heap.free(a); heap.free(w); heap.free(v);
  return [W, V];
}
/** The f32 kernel: parts widened. */
function runReal32(A: f64[], n: i32): StaticArray<f64>[] {
  const a = heap.alloc(<usize>(A.length * 4)), w = heap.alloc(<usize>(n * 8)), v = heap.alloc(<usize>(n * n * 8));
  for (let i = 0; i < A.length; i++) store<f32>(a + (<usize>i << 2), <f32>A[i]);
  eigReal<f32>(a, w, v, 1, n, true);
  const W = new StaticArray<f64>(2 * n), V = new StaticArray<f64>(2 * n * n);
  for (let i = 0; i < W.length; i++) W[i] = <f64>load<f32>(w + (<usize>i << 2));
  for (let i = 0; i < V.length; i++) V[i] = <f64>load<f32>(v + (<usize>i << 2));
  heap.free(a); heap.free(w); heap.free(v);
  return [W, V];
}
/** The complex128 kernel on interleaved parts. */
function runComplex(A: f64[], n: i32, wantV: bool = true): StaticArray<f64>[] {
  const a = heap.alloc(<usize>(A.length * 8)), w = heap.alloc(<usize>(n * 16)), v = heap.alloc(<usize>(n * n * 16));
  for (let i = 0; i < A.length; i++) store<f64>(a + (<usize>i << 3), A[i]);
  eigComplex<f64>(a, w, v, 1, n, wantV);
  const W = new StaticArray<f64>(2 * n), V = new StaticArray<f64>(2 * n * n);
  for (let i = 0; i < W.length; i++) W[i] = load<f64>(w + (<usize>i << 3));
  for (let i = 0; i < V.length; i++) V[i] = load<f64>(v + (<usize>i << 3));
  heap.free(a); heap.free(w); heap.free(v);
  return [W, V];
}

/** max |A V - V diag(w)| / max |A| for matrix `t` of a batch (A real when !cx, else interleaved). */
function residual(A: f64[], W: StaticArray<f64>, V: StaticArray<f64>, n: i32, cx: bool, t: i32 = 0): f64 {
  let r = 0.0, an = 0.0;
  const ao = t * n * n, wo = t * n, vo = t * n * n;
  for (let i = 0; i < n * n; i++) an = max(an, cx ? Math.hypot(A[2 * (ao + i)], A[2 * (ao + i) + 1]) : Math.abs(A[ao + i]));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sr = 0.0, si = 0.0;
      for (let k = 0; k < n; k++) {
        const ar = cx ? A[2 * (ao + i * n + k)] : A[ao + i * n + k], ai = cx ? A[2 * (ao + i * n + k) + 1] : 0.0;
        const vr = V[2 * (vo + k * n + j)], vi = V[2 * (vo + k * n + j) + 1];
        sr += ar * vr - ai * vi; si += ar * vi + ai * vr;
      }
      const vr = V[2 * (vo + i * n + j)], vi = V[2 * (vo + i * n + j) + 1], wr = W[2 * (wo + j)], wi = W[2 * (wo + j) + 1];
      r = max(r, Math.hypot(sr - (vr * wr - vi * wi), si - (vr * wi + vi * wr)));
    }
  }
  return an > 0 ? r / an : r;
}
/** max | |v_j| - 1 | over the columns. */
function normError(V: StaticArray<f64>, n: i32, t: i32 = 0): f64 {
  let e = 0.0;
  for (let j = 0; j < n; j++) {
    let s = 0.0;
    for (let i = 0; i < n; i++) { const o = 2 * (t * n * n + i * n + j); s += V[o] * V[o] + V[o + 1] * V[o + 1]; }
    e = max(e, Math.abs(Math.sqrt(s) - 1));
  }
  return e;
}
/** The first component of largest modulus of column j has imaginary part exactly 0. */
function largestReal(V: StaticArray<f64>, n: i32, j: i32): bool {
  let best = -1.0, at = 0;
  for (let i = 0; i < n; i++) { const o = 2 * (i * n + j), m = V[o] * V[o] + V[o + 1] * V[o + 1]; if (m > best * (1 + 1e-12)) { best = m; at = i; } }
  return V[2 * (at * n + j) + 1] == 0;
}
/** Eigenvalue (re, im) found among W (2n parts) within tol. */
function has(W: StaticArray<f64>, n: i32, re: f64, im: f64, tol: f64): bool {
  for (let j = 0; j < n; j++) if (Math.hypot(W[2 * j] - re, W[2 * j + 1] - im) <= tol) return true;
  return false;
}
function cycle(n: i32): f64[] { const P = new Array<f64>(n * n).fill(0); for (let i = 0; i < n; i++) P[((i + 1) % n) * n + i] = 1; return P; }

describe('eig kernels (real input)', () => {
  it('a rotation-like 2x2: eigenvalues 1 +- 2i, the positive one first, exact conjugate pair', () => {
    const A: f64[] = [1, -2, 2, 1];
    const o = runReal(A, 2), W = o[0], V = o[1];
    expect(Math.abs(W[0] - 1) + Math.abs(W[1] - 2)).toBeLessThan(1e-15);
    expect(W[2]).toBe(W[0]); expect(W[3]).toBe(-W[1]);
    for (let i = 0; i < 2; i++) { expect(V[2 * (i * 2 + 1)]).toBe(V[2 * (i * 2)]); expect(V[2 * (i * 2 + 1) + 1]).toBe(-V[2 * (i * 2) + 1]); }
    expect(residual(A, W, V, 2, false)).toBeLessThan(1e-15);
    expect(normError(V, 2)).toBeLessThan(1e-15);
    expect(largestReal(V, 2, 0)).toBe(true);
  });

  it('a 3x3 with a complex pair (numpy: 0.93144144 +- 2.4801649i, 2.13711712) and real eigenvalues with zero imaginary parts', () => {
    const A: f64[] = [1, 2, 0, -3, 1, 1, 0.5, 0, 2];
    const o = runReal(A, 3), W = o[0], V = o[1];
    expect(has(W, 3, 0.931441440164984, 2.4801649033985598, 1e-13)).toBe(true);
    expect(has(W, 3, 0.931441440164984, -2.4801649033985598, 1e-13)).toBe(true);
    expect(has(W, 3, 2.137117119670032, 0, 1e-13)).toBe(true);
    for (let j = 0; j < 3; j++) if (W[2 * j + 1] == 0) for (let i = 0; i < 3; i++) expect(V[2 * (i * 3 + j) + 1]).toBe(0);
    expect(residual(A, W, V, 3, false)).toBeLessThan(1e-15);
    expect(normError(V, 3)).toBeLessThan(1e-15);
  });

  it('cyclic permutations (a standstill for unshifted QR) converge: the n-th roots of unity', () => {
    const ns: i32[] = [2, 3, 4, 5, 8, 13];
    for (let q = 0; q < ns.length; q++) {
      const n = ns[q], A = cycle(n);
      const o = runReal(A, n);
      for (let k = 0; k < n; k++) expect(has(o[0], n, Math.cos(2 * Math.PI * k / n), Math.sin(2 * Math.PI * k / n), 1e-13)).toBe(true, 'n=' + n.toString());
      expect(residual(A, o[0], o[1], n, false)).toBeLessThan(1e-14);
    }
  });

  it('triangular, diagonal, zero, 1x1 and a Jordan block (eigenvalues only, a v = v w to tolerance)', () => {
    const T: f64[] = [3, 1, 4, 0, -1, 5, 0, 0, 2];
    const o = runReal(T, 3);
    expect(has(o[0], 3, 3, 0, 1e-15) && has(o[0], 3, -1, 0, 1e-15) && has(o[0], 3, 2, 0, 1e-15)).toBe(true);
    expect(residual(T, o[0], o[1], 3, false)).toBeLessThan(1e-15);
    const Z: f64[] = [0, 0, 0, 0];
    const z = runReal(Z, 2);
    for (let i = 0; i < 4; i++) expect(z[0][i]).toBe(0);
    expect(normError(z[1], 2)).toBeLessThan(1e-15);
    const one = runReal([-2.5], 1);
    expect(one[0][0]).toBe(-2.5); expect(one[0][1]).toBe(0); expect(one[1][0]).toBe(1); expect(one[1][1]).toBe(0);
    const J: f64[] = [2, 1, 0, 0, 2, 1, 0, 0, 2];
    const j = runReal(J, 3);
    for (let k = 0; k < 3; k++) expect(Math.hypot(j[0][2 * k] - 2, j[0][2 * k + 1])).toBeLessThan(1e-5); // (a cube root of eps)
    expect(residual(J, j[0], j[1], 3, false)).toBeLessThan(1e-14);
  });

  it('a batch of two, each its own decomposition; float32 input rounded once', () => {
    const A: f64[] = [4, 1, 2, 3, 0, 1, -1, 0];
    const o = runReal(A, 2, 2);
    expect(residual(A, o[0], o[1], 2, false, 0)).toBeLessThan(1e-15);
    expect(residual(A, o[0], o[1], 2, false, 1)).toBeLessThan(1e-15);
    expect(has(o[0], 2, 5, 0, 1e-14) && has(o[0], 2, 2, 0, 1e-14)).toBe(true);
    expect(Math.abs(o[0][4]) + Math.abs(Math.abs(o[0][5]) - 1)).toBeLessThan(1e-15); // +-i
    const B: f64[] = [1, 2, 3, 4];
    const f = runReal32(B, 2);
    expect(has(f[0], 2, -0.3722813232690143, 0, 1e-6) && has(f[0], 2, 5.372281323269014, 0, 1e-6)).toBe(true);
    expect(residual(B, f[0], f[1], 2, false)).toBeLessThan(1e-6);
  });

  it('non-finite input gives NaN outputs (no trap, no hang)', () => {
    const bad: f64[][] = [[1, NaN, 0, 1], [Infinity, 0, 0, 1], [-Infinity, 1, 1, 1]];
    for (let q = 0; q < bad.length; q++) {
      const o = runReal(bad[q], 2);
      for (let i = 0; i < 4; i++) expect(isNaN(o[0][i])).toBe(true);
      for (let i = 0; i < 8; i++) expect(isNaN(o[1][i])).toBe(true);
    }
  });

  it('random matrices up to 40x40: residual below 1e-13, unit columns', () => {
    let s: u32 = 12345;
    const ns: i32[] = [4, 7, 16, 40];
    for (let q = 0; q < ns.length; q++) {
      const n = ns[q], A = new Array<f64>(n * n);
      for (let i = 0; i < n * n; i++) { s = s * 1664525 + 1013904223; A[i] = <f64>s / 4294967296.0 - 0.5; }
      const o = runReal(A, n);
      expect(residual(A, o[0], o[1], n, false)).toBeLessThan(1e-13);
      expect(normError(o[1], n)).toBeLessThan(1e-14);
      for (let j = 0; j < n; j++) if (o[0][2 * j + 1] != 0) expect(largestReal(o[1], n, j)).toBe(true);
    }
  });
});

describe('eig kernels (complex input)', () => {
  it('complex 2x2 (numpy: -0.27300054-0.20492248i, 5.2730007-0.29507753i), largest components real and positive', () => {
    const A: f64[] = [1, 0.5, 2, 0, 3, 1, 4, -1];
    const o = runComplex(A, 2);
    expect(has(o[0], 2, -0.27300053790569256, -0.2049224753867498, 1e-14)).toBe(true);
    expect(has(o[0], 2, 5.273000537905693, -0.29507752461324993, 1e-14)).toBe(true);
    expect(residual(A, o[0], o[1], 2, true)).toBeLessThan(1e-15);
    for (let j = 0; j < 2; j++) expect(largestReal(o[1], 2, j)).toBe(true);
  });
  it('random complex up to 20x20 and a complex rotation of a cycle: residual below 1e-13', () => {
    let s: u32 = 777;
    const ns: i32[] = [3, 6, 20];
    for (let q = 0; q < ns.length; q++) {
      const n = ns[q], A = new Array<f64>(2 * n * n);
      for (let i = 0; i < 2 * n * n; i++) { s = s * 1664525 + 1013904223; A[i] = <f64>s / 4294967296.0 - 0.5; }
      const o = runComplex(A, n);
      expect(residual(A, o[0], o[1], n, true)).toBeLessThan(1e-13);
      expect(normError(o[1], n)).toBeLessThan(1e-14);
    }
    const P = cycle(5), Z = new Array<f64>(50).fill(0);
    for (let i = 0; i < 25; i++) { Z[2 * i] = 0.6 * P[i]; Z[2 * i + 1] = 0.8 * P[i]; }
    const o = runComplex(Z, 5);
    expect(residual(Z, o[0], o[1], 5, true)).toBeLessThan(1e-14);
    const bad: f64[] = [1, 0, NaN, 0, 0, 0, 1, 0];
    const b = runComplex(bad, 2);
    for (let i = 0; i < 4; i++) expect(isNaN(b[0][i])).toBe(true);
  });
});

describe('eig kernels (values only, as eigvals runs them)', () => {
  it('real and complex input up to 60x60: the eigenvalues bit for bit those of the full decomposition, V NaN', () => {
    let s: u32 = 4242;
    const ns: i32[] = [1, 2, 3, 5, 12, 33, 60];
    for (let q = 0; q < ns.length; q++) {
      const n = ns[q];
      for (let cx = 0; cx < 2; cx++) {
        const A = new Array<f64>((cx + 1) * n * n);
        for (let i = 0; i < A.length; i++) { s = s * 1664525 + 1013904223; A[i] = <f64>s / 4294967296.0 - 0.5; }
        if (n == 12) for (let i = 0; i < n; i++) A[(cx + 1) * (i * n + i)] += 4.0; // (a boosted diagonal: real eigenvalues, 2 x 2 blocks that split)
        const full = cx ? runComplex(A, n) : runReal(A, n);
        const vals = cx ? runComplex(A, n, false) : runReal(A, n, 1, false);
        for (let i = 0; i < 2 * n; i++) expect(vals[0][i]).toBe(full[0][i]);
        for (let i = 0; i < 2 * n * n; i++) expect(isNaN(vals[1][i])).toBe(true);
      }
    }
    const P = cycle(6), rot: f64[] = [1, -2, 2, 1];
    expect(runReal(P, 6, 1, false)[0].join(',')).toBe(runReal(P, 6)[0].join(','));
    expect(runReal(rot, 2, 1, false)[0].join(',')).toBe(runReal(rot, 2)[0].join(','));
  });
});

// (module level: the test closures capture no locals)
const CASES: Case[] = [
  new Case('eig [3,3] w', EIG, NO, [new Arg(TRACED, F64, [3, 3], -1.0, 1.0)]).pick(0),
  new Case('eig [2,3,3] |V| (batched; phase-invariant)', EIG, NO, [new Arg(TRACED, F64, [2, 3, 3], -1.0, 1.0)]).pick(1).then(ABS, NO),
  new Case('eig [4,4] w, a boosted diagonal', EIG, NO, [new Arg(TRACED, F64, [4, 4], -0.5, 0.5, 3.0)]).pick(0),
  new Case('eig complex128 [3,3] w', EIG, NO, [new Arg(TRACED, C128, [3, 3], -1.0, 1.0)]).pick(0),
  new Case('eigvals (values only) [4,4] w, a boosted diagonal', EIG, VALUES, [new Arg(TRACED, F64, [4, 4], -0.5, 0.5, 3.0)]).pick(0),
  new Case('eigvals (values only) complex128 [3,3] w', EIG, VALUES, [new Arg(TRACED, C128, [3, 3], -1.0, 1.0)]).pick(0),
  // eigenvectors of x + y, y fixed with a wide spectrum (the derivatives divide by the gaps; a
  // random [-1, 1] complex 3x3 had gaps small enough for the differences' truncation to show)
  new Case('eig complex128 [3,3] |V|', ADD, NO, [new Arg(TRACED, C128, [3, 3], -0.3, 0.3), new Arg(FIXED, C128, [3, 3], -3.0, 3.0)]).then(EIG, NO).pick(1).then(ABS, NO),
  new Case('eig [2,3,3] |V| of x + y, a wide spectrum (batched)', ADD, NO, [new Arg(TRACED, F64, [2, 3, 3], -0.3, 0.3), new Arg(FIXED, F64, [2, 3, 3], -3.0, 3.0)]).then(EIG, NO).pick(1).then(ABS, NO),
];
let nextCase = 0;

describe('eig primitive', () => {
  it('shape rule: complex outputs of the input width, square matrices only, float or complex', () => {
    resetTape();
    const a = constRow(F32, [2, 3, 3], new StaticArray<f64>(18));
    const r = tryEmit(EIG, a, -1, -1, NO);
    expect(r).toBeGreaterThanOrEqual(0);
    expect(rowDtype(r + 1)).toBe(C64); expect(rowNdim(r + 1)).toBe(2); expect(rowDim(r + 1, 1)).toBe(3);
    expect(rowDtype(r + 2)).toBe(C64); expect(rowNdim(r + 2)).toBe(3);
    const b = constRow(F64, [2, 2], [1, 2, 3, 4]);
    const rb = tryEmit(EIG, b, -1, -1, NO);
    expect(rowDtype(rb + 1)).toBe(C128);
    const wb = readRow(rb + 1);
    expect(Math.abs(wb[0] * wb[2] - (-2))).toBeLessThan(1e-14); // real eigenvalues, product det = -2
    const c = constRow(C128, [2, 2], [1, 0, 0, 0, 0, 0, 1, 0]);
    expect(rowDtype(tryEmit(EIG, c, -1, -1, NO) + 1)).toBe(C128);
    expect(tryEmit(EIG, constRow(F64, [2, 3], new StaticArray<f64>(6)), -1, -1, NO)).toBe(-1); // E_SHAPE
    expect(tryEmit(EIG, constRow(F64, [3], new StaticArray<f64>(3)), -1, -1, NO)).toBe(-1);
    expect(tryEmit(EIG, constRow(I32, [2, 2], new StaticArray<f64>(4)), -1, -1, NO)).toBe(-2); // E_DTYPE
    const wv = readRow(tryEmit(EIG, b, -1, -1, VALUES) + 1); // values only: the same eigenvalues
    for (let i = 0; i < 4; i++) expect(wv[i]).toBe(wb[i]);
    expect(tryEmit(EIG, b, -1, -1, BAD)).toBeLessThan(0); // a param other than 0 or 1
    resetTape();
  });

  for (let i = 0; i < CASES.length; i++) {
    it('JVP, transpose and second order against finite differences: ' + CASES[i].name, () => {
      const k = nextCase++;
      const e = runCase(CASES[k], 5000 + k);
      expect(e).toBe('', e);
    });
  }
});
