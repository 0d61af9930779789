// Mutation-testing probe BX: tests that kill deliberate corruptions of ts/ code which the rest of
// the suite let through. References: numpy 2.x printed values, closed forms, and float64 central
// finite differences of plain-JS reimplementations (never cotangent itself).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, linalg, grad, jvp, jit, vmap } from '../ts/index.ts';

type M = number[][];
const f64 = (v: M | number[]) => np.array(v, { dtype: 'float64' });
const mm = (a: M, b: M): M => a.map((r) => b[0].map((_, j) => r.reduce((s, v, k) => s + v * b[k][j], 0)));
const tr = (a: M): M => a[0].map((_, j) => a.map((r) => r[j]));
const sym = (a: M): M => a.map((r, i) => r.map((v, j) => (v + a[j][i]) / 2));
const scale = (a: M, c: number): M => a.map((r) => r.map((v) => v * c));
const addM = (a: M, b: M): M => a.map((r, i) => r.map((v, j) => v + b[i][j]));
function inv3(a: M): M {
  const [[a0, a1, a2], [b0, b1, b2], [c0, c1, c2]] = a;
  const d = a0 * (b1 * c2 - b2 * c1) - a1 * (b0 * c2 - b2 * c0) + a2 * (b0 * c1 - b1 * c0);
  return [
    [(b1 * c2 - b2 * c1) / d, (a2 * c1 - a1 * c2) / d, (a1 * b2 - a2 * b1) / d],
    [(b2 * c0 - b0 * c2) / d, (a0 * c2 - a2 * c0) / d, (a2 * b0 - a0 * b2) / d],
    [(b0 * c1 - b1 * c0) / d, (a1 * c0 - a0 * c1) / d, (a0 * b1 - a1 * b0) / d],
  ];
}
function close(got: unknown, want: unknown, tol: number, what: string) {
  const g = (got as any[]).flat(3) as number[], w = (want as any[]).flat(3) as number[];
  assert.equal(g.length, w.length, what);
  g.forEach((x, i) => assert.ok(Math.abs(x - w[i]) <= tol * (1 + Math.abs(w[i])), `${what}[${i}]: got ${x}, want ${w[i]}`));
}

// pinv(a, { hermitian: true }) reads (a + a^H) / 2 (eigh's input), so its JVP along a non-symmetric
// tangent is the JVP along the tangent's symmetric part (JAX's _pinv_jvp symmetrizes a_dot). A rule
// that dropped sym(dA) passed every other test (they only used symmetric tangents or hermitian=false).
test('pinv hermitian: JVP, gradient and second derivative along a non-symmetric direction (closed form, finite differences)', () => {
  const A: M = [[4, 1, 0.5], [1, 3, 0.2], [0.5, 0.2, 2]];
  const E: M = [[0.3, -0.7, 0.1], [0.9, 0.2, -0.4], [0.05, 0.6, -0.1]];
  const W: M = [[1, -2, 0.5], [0.25, 3, -1], [2, 0.1, -0.3]];
  const P = inv3(A), S = sym(E);
  const pinvH = (x: any) => linalg.pinv(x, { hermitian: true });
  // first order: d pinv = -P S P
  const [, t] = jvp(pinvH, [f64(A)], [f64(E)]);
  close((t as any).tolist(), scale(mm(mm(P, S), P), -1), 1e-12, 'jvp');
  // finite differences of the plain-JS function x -> inv(sym(x)) agree with the closed form
  const h = 1e-5, F = (s: number) => inv3(sym(addM(A, scale(E, s))));
  const fd = F(h).map((r, i) => r.map((v, j) => (v - F(-h)[i][j]) / (2 * h)));
  close((t as any).tolist(), fd, 1e-8, 'jvp vs finite differences');
  // reverse mode: grad of sum(W * pinv(a)) is sym(-P W P) (P symmetric)
  const g = grad((x: any) => np.sum(np.multiply(f64(W), pinvH(x))))(f64(A)) as any;
  close(g.tolist(), sym(scale(mm(mm(P, W), P), -1)), 1e-12, 'grad');
  // second order: d^2/ds^2 inv(sym(A + s E)) = 2 P S P S P
  const second = jvp((s: any) => jvp(pinvH, [np.add(f64(A), np.multiply(s, f64(E)))], [f64(E)])[1], [np.array(0, { dtype: 'float64' })], [np.array(1, { dtype: 'float64' })])[1] as any;
  close(second.tolist(), scale(mm(mm(mm(mm(P, S), P), S), P), 2), 1e-11, 'second derivative');
});

// np.cov with weights and a ddof other than 1: numpy's fact is v1 - ddof (fweights only) and
// v1 - ddof * sum(w * aw) / v1 (with aweights). The suite only tried ddof 1 with weights, so
// replacing ddof by 1 there went unnoticed.
const Mx: M = [[1, 2, 3, 4], [2, 1, 0, 5], [3, 0, 2, 1]];
const FW = [1, 2, 3, 1], AW = [0.5, 1.5, 1.0, 2.0];
function covRef(m: M, fw: number[] | null, aw: number[] | null, ddof: number): M {
  const n = m[0].length, w = Array.from({ length: n }, (_, i) => (fw ? fw[i] : 1) * (aw ? aw[i] : 1));
  const v1 = w.reduce((s, v) => s + v, 0);
  const avg = m.map((r) => r.reduce((s, v, i) => s + v * w[i], 0) / v1);
  const fact = aw === null ? v1 - ddof : v1 - ddof * w.reduce((s, v, i) => s + v * aw[i], 0) / v1;
  return m.map((r, a) => m.map((q, b) => r.reduce((s, v, i) => s + (v - avg[a]) * (q[i] - avg[b]) * w[i], 0) / fact));
}

test('np.cov with fweights / aweights and ddof != 1: numpy values, and the gradient in the weights by finite differences', () => {
  // numpy 2.x: np.cov(m, fweights=fw, ddof=2), np.cov(m, aweights=aw, ddof=2), both with ddof 3
  close(np.cov(f64(Mx), { fweights: FW, ddof: 2 }).tolist(), [[1.14285714285714, 0.571428571428571, -0.142857142857143],
    [0.571428571428571, 3.88571428571429, -0.371428571428571], [-0.142857142857143, -0.371428571428571, 1.54285714285714]], 1e-12, 'fweights ddof 2');
  close(np.cov(f64(Mx), { aweights: AW, ddof: 2 }).tolist(), [[2.725, 3.875, -0.225], [3.875, 11.125, -0.375], [-0.225, -0.375, 2.225]], 1e-12, 'aweights ddof 2');
  close(np.cov(f64(Mx), { aweights: AW, fweights: FW, ddof: 3 }).tolist(), [[1.5, 1.90540540540541, 0.283783783783784],
    [1.90540540540541, 7.33783783783784, -0.608108108108108], [0.283783783783784, -0.608108108108108, 1.81081081081081]], 1e-12, 'both ddof 3');
  close(covRef(Mx, FW, AW, 3), np.cov(f64(Mx), { aweights: AW, fweights: FW, ddof: 3 }).tolist(), 1e-12, 'plain-JS reference agrees');
  // gradient of sum(C * K) in the aweights (fact depends on them through ddof) against central differences
  const K: M = [[1, 0.5, -1], [0.2, 2, 0.3], [-0.7, 1, 1.5]];
  const loss = (aw: number[]) => covRef(Mx, FW, aw, 3).reduce((s, r, i) => s + r.reduce((t, v, j) => t + v * K[i][j], 0), 0);
  const g = grad((aw: any) => np.sum(np.multiply(f64(K), np.cov(f64(Mx), { aweights: aw, fweights: FW, ddof: 3 }))))(f64(AW)) as any;
  const h = 1e-6;
  const fd = AW.map((_, i) => { const p = AW.slice(), q = AW.slice(); p[i] += h; q[i] -= h; return (loss(p) - loss(q)) / (2 * h); });
  close(g.tolist(), fd, 1e-7, 'grad in aweights');
  // and the fweights-only ddof in reverse mode through m: d/dm of sum(C * K), C = cov(m, fweights, ddof 2)
  const gm = grad((m: any) => np.sum(np.multiply(f64(K), np.cov(m, { fweights: FW, ddof: 2 }))))(f64(Mx)) as any;
  const lossM = (m: M) => covRef(m, FW, null, 2).reduce((s, r, i) => s + r.reduce((t, v, j) => t + v * K[i][j], 0), 0);
  const fdm = Mx.map((r, i) => r.map((_, j) => { const p = Mx.map((x) => x.slice()), q = Mx.map((x) => x.slice()); p[i][j] += h; q[i][j] -= h; return (lossM(p) - lossM(q)) / (2 * h); }));
  close(gm.tolist(), fdm, 1e-7, 'grad in m (fweights, ddof 2)');
});

// Complex triangular solves: trans 'T' (1) is A^T x = b, not A^H x = b ('C', 2); choSolve with an
// upper factor U (A = U^H U) solves U^H first. The suite's solveTriangular trans tests and choSolve
// tests were all real, where conjugation is a no-op, so conjugating for 'T' or dropping it in
// choSolve went unnoticed. References: scipy.linalg.solve_triangular / cho_solve.
type C = { re: number; im: number };
const cx = (m: any): C[] => (m.tolist() as C[]).flat(2) as C[];
function closeC(got: C[], want: [number, number][], tol: number, what: string) {
  assert.equal(got.length, want.length, what);
  got.forEach((z, i) => assert.ok(Math.abs(z.re - want[i][0]) <= tol && Math.abs(z.im - want[i][1]) <= tol, `${what}[${i}]: got ${z.re}${z.im >= 0 ? '+' : ''}${z.im}i, want ${want[i]}`));
}
const z = (re: number, im: number): C => ({ re, im });
const bC = [z(1, -1), z(0.5, 2), z(-1, 0.25)];

test('complex solveTriangular: trans 0, 1 / T (no conjugate) and 2 / C against scipy', () => {
  const U = np.array([[z(2, 1), z(0.5, -0.3), z(0, 1)], [z(0, 0), z(1.5, -0.5), z(0.7, 0.2)], [z(0, 0), z(0, 0), z(1, 2)]], 'complex128');
  const b = np.array(bC, 'complex128');
  closeC(cx(linalg.solveTriangular(U, b, { lower: false })), [[0.1382, -0.7996], [0.055, 1.155], [-0.1, 0.45]], 1e-12, 'trans 0');
  for (const t of [1, 'T'] as const) closeC(cx(linalg.solveTriangular(U, b, { lower: false, trans: t })), [[0.2, -0.6], [-0.124, 1.532], [-0.6404, 0.2832]], 1e-12, `trans ${t}`);
  for (const t of [2, 'C'] as const) closeC(cx(linalg.solveTriangular(U, b, { lower: false, trans: t })), [[0.6, -0.2], [0.468, 1.124], [-0.3332, -0.5096]], 1e-12, `trans ${t}`);
});

test('complex choSolve with an upper and a lower factor solves A x = b (scipy cho_solve)', () => {
  const A = np.array([[z(4, 0), z(1, -1), z(0, 0.5)], [z(1, 1), z(3, 0), z(0.2, -0.1)], [z(0, -0.5), z(0.2, 0.1), z(2, 0)]], 'complex128');
  const b = np.array(bC, 'complex128');
  const want: [number, number][] = [[0.05733333333333332, -0.3826666666666667], [0.042666666666666665, 0.7586666666666667], [-0.37066666666666664, 0.06133333333333333]];
  for (const lower of [false, true]) {
    closeC(cx(linalg.choSolve(linalg.choFactor(A, { lower }), b)), want, 1e-12, `choFactor lower ${lower}`);
  }
  closeC(cx(linalg.choSolve([linalg.cholesky(A, { upper: true }), false], b)), want, 1e-12, 'upper cholesky factor');
});

// np.norm / linalg.norm (ord 2) under jit or vmap: a cond picks the plain root or the scaled form;
// the plain root must be taken of where(ok, sum, 1), else its infinite derivative at an underflowed
// sum, though not selected, makes the gradient NaN. Closed form: grad |x| = x / |x|.
test('jit(grad(norm)) and vmap(grad(norm)) at vectors whose sum of squares underflows: x / |x|, not NaN', () => {
  for (const [v, want] of [[[1e-200, 1e-200], [Math.SQRT1_2, Math.SQRT1_2]], [[3e-170, 4e-170], [0.6, 0.8]]] as const) {
    const x = f64([...v]);
    for (const f of [(t: any) => linalg.norm(t), (t: any) => np.linalg.norm(t)]) {
      close(jit(grad(f))(x).tolist(), [...want], 1e-15, `jit(grad(norm))(${v})`);
      close(vmap(grad(f))(np.reshape(x, [1, 2])).tolist(), [[...want]], 1e-15, `vmap(grad(norm))(${v})`);
    }
  }
});
