// helper-261 probe: derivatives of complex linear algebra under JAX's conventions (grad of a
// real loss = dL/dx - i dL/dy; transposes never conjugate; holomorphic grads give f'(z)).
// References: numpy 2.4 closed forms (literals below, A = the fixed 3x3 matrix A0) and float64
// central finite differences (Richardson, written here) over real and imaginary parts.
// No defects were found; these pin the conventions for complex64/complex128, jit and vmap.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { np, linalg, grad, jvp, vjp, jit, vmap, hessian, NDArray } from '../ts/index.ts';

type CDT = 'complex64' | 'complex128';
const A0 = [[2, 0.5, -0.3, 0.2, 0.1, -0.4], [0.4, 0.1, 1.5, -0.3, -0.2, 0.3], [-0.1, 0.2, 0.3, 0.1, 1.8, 0.2]]; // rows of (re, im) pairs
function cx(d: Float64Array, shape: number[], dt: CDT = 'complex128'): NDArray {
  const n = d.length / 2, re = new Float64Array(n), im = new Float64Array(n);
  for (let i = 0; i < n; i++) { re[i] = d[2 * i]; im[i] = d[2 * i + 1]; }
  return np.astype(np.complex(np.array(re, { shape }), np.array(im, { shape })), dt);
}
const A0d = new Float64Array(A0.flat());
const flat = (x: NDArray) => Float64Array.from(x.dataSync() as Float64Array);
const H = (a: NDArray) => np.conj(np.swapaxes(a, -1, -2));
function close(got: Float64Array, want: ArrayLike<number>, tol: number, what: string) {
  assert.equal(got.length, want.length, what);
  let e = 0; for (let i = 0; i < got.length; i++) e = Math.max(e, Math.abs(got[i] - want[i]));
  assert.ok(e <= tol, `${what}: max error ${e} > ${tol}\n got ${Array.from(got.slice(0, 6))}\n want ${Array.from(want).slice(0, 6)}`);
}
function rng(seed: number) { let a = seed >>> 0; return () => { a = (a * 1664525 + 1013904223) >>> 0; return a / 2 ** 32 - 0.5; }; }
function rand(m: number, n: number, seed: number, diag = 0): Float64Array {
  const r = rng(seed), d = new Float64Array(2 * m * n);
  for (let i = 0; i < m * n; i++) { d[2 * i] = r() + (Math.floor(i / n) === i % n ? diag : 0); d[2 * i + 1] = r(); }
  return d;
}
/** JAX-convention gradient of a real loss by central differences: dL/dx - i dL/dy. */
function fdGrad(L: (a: NDArray) => NDArray, d: Float64Array, shape: number[], h = 1e-4): Float64Array {
  const g = new Float64Array(d.length);
  const at = (k: number, s: number) => { const e = Float64Array.from(d); e[k] += s; return Number(L(cx(e, shape)).item()); };
  for (let k = 0; k < d.length; k++) {
    const v = (4 * (at(k, h) - at(k, -h)) / (2 * h) - (at(k, 2 * h) - at(k, -2 * h)) / (4 * h)) / 3;
    g[k] = k % 2 === 0 ? v : -v;
  }
  return g;
}
/** Directional derivative of a (complex-valued) f along dd, interleaved. */
function fdDir(f: (a: NDArray) => NDArray, d: Float64Array, dd: Float64Array, shape: number[], h = 1e-3): Float64Array {
  const at = (s: number) => flat(f(cx(d.map((v, i) => v + s * dd[i]), shape)));
  const p1 = at(h), m1 = at(-h), p2 = at(2 * h), m2 = at(-2 * h);
  return p1.map((_, i) => (4 * (p1[i] - m1[i]) / (2 * h) - (p2[i] - m2[i]) / (4 * h)) / 3);
}

// numpy 2.4: for A0, inv(A).T, -(inv(A)^2).T, conj(v v^H) of eigh((A + A^H)/2)'s top vector,
// conj(U Vh), conj(u1 vh1) (S = 2.28894919, 1.75447673, 1.51740668), det(A) inv(A).T.
const REF: Record<string, number[]> = {
  logabsdet: [0.4595965619737889, -0.10046835538586611, -0.12651915774934017, -0.04089165662038767, 0.028082095480147954, -0.045923974593513155, 0.09888112992786849, -0.078275744256992, 0.5813642765638297, 0.1422863872311455, -0.09889971129139104, -0.060359001099289634, 0.003857114054105864, 0.08210808315973449, 0.09141680769427873, -0.11708548027748492, 0.5385662797640792, -0.04127217062991442],
  holoTraceInv: [-0.18930297258264187, 0.08436122039750013, 0.13280133504244024, 0.0553436241230144, -0.031565744538136674, 0.038139232953483634, -0.11077921590664298, 0.0857002474093129, -0.28591956542073005, -0.17736230617912735, 0.10548163543508667, 0.0843273279613019, -0.015362514951163048, -0.0626772649935851, -0.11707731108524155, 0.1324391791608897, -0.27612103247958625, 0.036265072764979464],
  eigTop: [0.6549080730459141, 0, -0.020940658412011183, -0.013365526230877164, -0.0057176974404813796, 0.4747142807784749, -0.020940658412011183, 0.013365526230877164, 0.0009423436533413037, 0, -0.009505263531048145, -0.015295657580791943, -0.0057176974404813796, -0.4747142807784749, -0.009505263531048145, 0.015295657580791943, 0.3441495833007456, 0],
  nuc: [0.947957255409773, -0.22430463939494974, -0.19105146980973256, -0.09208235284616777, 0.051586934016969704, 0.05851012799897058, 0.20123065244983, -0.09711981434546023, 0.9313667118935367, 0.20779791894255473, -0.13947799012726897, -0.1414069634280529, -0.019430194454397164, 0.027584495309064507, 0.16729109195866243, -0.1281012864451377, 0.9725958044646144, -0.09231855318525659],
  norm2: [0.67695446823104, -0.18635904674126658, -0.06509958541317934, -0.0420817376619774, 0.03316710626802516, 0.47903097658265903, 0.02688512875109894, 0.05203675647324654, 0.0023118315218524387, -0.006038978514775207, -0.038524919519394525, 0.01096861189935805, -0.14519655561585873, -0.39776955025776417, -0.022103724967242937, 0.04119261836495163, 0.28631020820273606, -0.04341505475328504],
  holoDet: [2.85, -0.31, -0.74, -0.33, 0.2, -0.26, 0.65, -0.41, 3.43, 1.24, -0.56, -0.43, -0.03, 0.5, 0.63, -0.65, 3.29, 0.1],
};
const closedForms: [string, (a: NDArray) => NDArray, boolean][] = [
  ['logabsdet', a => linalg.slogdet(a)[1], false],
  ['holoTraceInv', a => np.trace(linalg.inv(a)), true],
  ['eigTop', a => np.index(linalg.eigvalsh(a), 2), false],
  ['nuc', a => linalg.norm(a, 'nuc'), false],
  ['norm2', a => linalg.norm(a, 2), false],
  ['holoDet', a => linalg.det(a), true],
];

describe('complex linalg derivatives: numpy closed forms (JAX conventions)', () => {
  for (const [key, f, holo] of closedForms) {
    test(`${key}: complex128 eager/jit/vmap, complex64`, () => {
      const g = grad(f, { holomorphic: holo });
      close(flat(g(cx(A0d, [3, 3]))), REF[key], 1e-12, `${key} eager`);
      close(flat(jit(g)(cx(A0d, [3, 3]))), REF[key], 1e-12, `${key} jit`);
      const two = np.stack([cx(A0d, [3, 3]), cx(A0d, [3, 3])]);
      close(flat(vmap(g)(two)), [...REF[key], ...REF[key]], 1e-12, `${key} vmap`);
      const g64 = g(cx(A0d, [3, 3], 'complex64'));
      assert.equal(g64.dtype, 'complex64');
      close(flat(g64), REF[key], 2e-5, `${key} complex64`);
    });
  }
  test('holomorphic hessian of a 2x2 det is the constant d2(ad - bc)', () => {
    const Hh = flat(hessian((a: NDArray) => linalg.det(a), { holomorphic: true })(cx(rand(2, 2, 3, 1), [2, 2])));
    const want = new Float64Array(32); // H[i,j,k,l]: [0,0,1,1] = [1,1,0,0] = 1, [0,1,1,0] = [1,0,0,1] = -1
    const set = (i: number, j: number, k: number, l: number, v: number) => { want[2 * (((i * 2 + j) * 2 + k) * 2 + l)] = v; };
    set(0, 0, 1, 1, 1); set(1, 1, 0, 0, 1); set(0, 1, 1, 0, -1); set(1, 0, 0, 1, -1);
    close(Hh, want, 1e-14, 'hessian det 2x2');
  });
});

const n = 3;
const W = cx(rand(n, n, 99), [n, n]), W4 = cx(rand(4, 3, 97), [4, 3]), B = cx(rand(n, 2, 98), [n, 2]);
const reW = (w: NDArray, x: NDArray) => np.sum(np.real(np.multiply(w, x)));
const wts = np.array([0.3, -1.1, 0.7], { dtype: 'float64' });
const losses: [string, (a: NDArray) => NDArray, number[], number][] = [
  ['solve', a => np.sum(np.square(np.abs(linalg.solve(a, B)))), [n, n], 2],
  ['inv', a => reW(W, linalg.inv(a)), [n, n], 2],
  ['slogdet sign', a => np.imag(linalg.slogdet(a)[0]), [n, n], 2],
  ['cholesky', a => reW(W, linalg.cholesky(np.add(np.matmul(a, H(a)), np.eye(n)))), [n, n], 0],
  ['eigh V f(w) V^H', a => { const [w, V] = linalg.eigh(a); return reW(W, np.matmul(np.multiply(V, np.exp(w)), H(V))); }, [n, n], 0],
  ['svd U f(S) Vh tall', a => { const [U, S, Vh] = linalg.svd(a, { fullMatrices: false }); return reW(W4, np.matmul(np.multiply(U, np.square(S)), Vh)); }, [4, 3], 0],
  ['svdvals', a => np.sum(np.multiply(wts, linalg.svdvals(a))), [n, n], 0],
  ['qr Q tall', a => reW(W4, linalg.qr(a)[0]), [4, 3], 0],
  ['qr R', a => np.sum(np.imag(np.multiply(W, linalg.qr(a)[1]))), [n, n], 0],
  ['lu U', a => reW(W, linalg.lu(a)[2]), [n, n], 0],
  ['pinv tall', a => reW(np.swapaxes(W4, 0, 1), linalg.pinv(a)), [4, 3], 0],
  ['norm -2', a => linalg.norm(a, -2), [n, n], 0],
  ['norm 1', a => linalg.norm(a, 1), [n, n], 0],
  ['matrixPower -2', a => reW(W, linalg.matrixPower(a, -2)), [n, n], 2],
  ['triangularSolve conjA transA', a => reW(B, linalg.triangularSolve(np.tril(a), B, { lower: true, transposeA: true, conjugateA: true })), [n, n], 2],
  ['eig V f(w) V^-1', a => { const [w, V] = linalg.eig(a); return reW(W, np.matmul(np.multiply(V, np.exp(w)), linalg.inv(V))); }, [n, n], 0],
  ['lstsq', a => reW(W4, np.matmul(a, linalg.lstsq(a, cx(rand(4, 3, 91), [4, 3]))[0])), [4, 3], 0],
];

describe('complex linalg derivatives against float64 finite differences', () => {
  for (const [name, L, shape, diag] of losses) {
    test(`${name}: grad (jit too), complex64 grad, jvp(grad) and grad(grad) against differences`, () => {
      const d = rand(shape[0], shape[1], 7 + shape[0] * 13, diag), dd = rand(shape[0], shape[1], 71);
      const A = cx(d, shape);
      const want = fdGrad(L, d, shape);
      close(flat(grad(L)(A)), want, 1e-7, `${name} grad`);
      close(flat(jit(grad(L))(A)), want, 1e-7, `${name} jit grad`);
      close(flat(grad(L)(cx(d, shape, 'complex64'))), want, 2e-3, `${name} complex64 grad`);
      const g = grad(L);
      close(flat(jvp(g, [A], [cx(dd, shape)])[1]), fdDir(g, d, dd, shape), 1e-6, `${name} jvp(grad)`);
      const G = cx(rand(shape[0], shape[1], 89), shape);
      const L2 = (a: NDArray) => reW(G, g(a));
      close(flat(grad(L2)(A)), fdGrad(L2, d, shape, 1e-3), 1e-6, `${name} grad(grad)`);
    });
  }
  test('vjp of complex outputs is the transpose under Re sum(u v) (no conjugation): inv, qr R, eigh projector', () => {
    const d = rand(n, n, 5, 2), dd = rand(n, n, 77), ct = cx(rand(n, n, 55), [n, n]);
    const fs: ((a: NDArray) => NDArray)[] = [
      a => linalg.inv(a), a => linalg.qr(a)[1],
      a => { const [w, V] = linalg.eigh(a); return np.matmul(np.multiply(V, w), H(V)); },
    ];
    for (const f of fs) {
      const [, back] = vjp(f, cx(d, [n, n]));
      close(flat(back(ct)[0]), fdGrad(a => reW(ct, f(a)), d, [n, n]), 1e-7, `vjp ${f}`);
      close(flat(jvp(f, [cx(d, [n, n])], [cx(dd, [n, n])])[1]), fdDir(f, d, dd, [n, n], 1e-4), 1e-7, `jvp ${f}`);
    }
  });
});
