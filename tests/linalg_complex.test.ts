// The LU family on complex64 / complex128 (issue 11): lu, luFactor, luSolve, solve, inv, det,
// slogdet, matrixPower. Values against a float64 JS reference written here (complex Gaussian
// elimination with LAPACK's |re| + |im| pivoting, complex matmul) and closed forms (2x2 and
// triangular determinants, A inv(A) = I, residuals); derivatives by checkGrads along complex
// directions (fwd and rev, order 2, batched too) and against closed forms for holomorphic and
// C -> R functions with JAX's conventions (transposes never conjugate; for a real f of complex Z,
// grad = df/dX - i df/dY).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { np, linalg, grad, vmap, jit, checkGrads, ShapeError, type Array } from '../ts/index.ts';

type C = { re: number; im: number };
type M = C[][];
const c = (re: number, im = 0): C => ({ re, im });
const add = (a: C, b: C): C => c(a.re + b.re, a.im + b.im);
const sub = (a: C, b: C): C => c(a.re - b.re, a.im - b.im);
const mul = (a: C, b: C): C => c(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);
const div = (a: C, b: C): C => { const d = b.re * b.re + b.im * b.im; return c((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d); };
const conj = (a: C): C => c(a.re, -a.im);
const abs = (a: C): number => Math.hypot(a.re, a.im);
const cabs1 = (a: C): number => Math.abs(a.re) + Math.abs(a.im);

// ---------------------------------------------------------------- the float64 JS reference

const matmul = (a: M, b: M): M => a.map((row) => b[0].map((_, j) => row.reduce((s, x, k) => add(s, mul(x, b[k][j])), c(0))));
const transpose = (a: M): M => a[0].map((_, j) => a.map((row) => row[j]));
const eye = (n: number): M => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => c(i === j ? 1 : 0)));

/** Gaussian elimination with partial pivoting by |re| + |im| (izamax): perm, the packed factors, det. */
function refLu(a: M): { perm: number[]; lu: M; det: C } {
  const n = a.length, m = a.map((r) => r.slice()), perm = [...Array(n).keys()];
  let det = c(1);
  for (let j = 0; j < n; j++) {
    let p = j;
    for (let i = j + 1; i < n; i++) if (cabs1(m[i][j]) > cabs1(m[p][j])) p = i;
    if (p !== j) { [m[p], m[j]] = [m[j], m[p]]; [perm[p], perm[j]] = [perm[j], perm[p]]; det = c(-det.re, -det.im); }
    det = mul(det, m[j][j]);
    if (abs(m[j][j]) === 0) continue;
    for (let i = j + 1; i < n; i++) {
      const l = div(m[i][j], m[j][j]);
      m[i][j] = l;
      for (let k = j + 1; k < n; k++) m[i][k] = sub(m[i][k], mul(l, m[j][k]));
    }
  }
  return { perm, lu: m, det };
}
/** A^-1 b by the reference factors. */
function refSolve(a: M, b: M): M {
  const { perm, lu } = refLu(a), n = a.length;
  const x = perm.map((p) => b[p].slice());
  for (let i = 0; i < n; i++) for (let k = 0; k < i; k++) x[i] = x[i].map((v, j) => sub(v, mul(lu[i][k], x[k][j])));
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) x[i] = x[i].map((v, j) => sub(v, mul(lu[i][k], x[k][j])));
    x[i] = x[i].map((v) => div(v, lu[i][i]));
  }
  return x;
}
const refInv = (a: M): M => refSolve(a, eye(a.length));

function closeC(got: C, want: C, tol: number, what: string): void {
  const err = abs(sub(got, want)) / Math.max(1, abs(want));
  assert.ok(err <= tol, `${what}: got ${got.re}${got.im >= 0 ? '+' : ''}${got.im}j, want ${want.re}${want.im >= 0 ? '+' : ''}${want.im}j (rel err ${err.toExponential(2)})`);
}
function closeM(got: M, want: M, tol: number, what: string): void {
  assert.equal(got.length, want.length, what);
  got.forEach((row, i) => row.forEach((v, j) => closeC(v, want[i][j], tol, `${what}[${i},${j}]`)));
}
const L = (x: Array): M => x.tolist() as M;

// ---------------------------------------------------------------- inputs

// A fixed well-conditioned 4x4 complex matrix whose pivots move rows, and a random batch.
const A4: M = [
  [c(0.2, 0.1), c(1.5, -0.5), c(0.3, 0.8), c(-1, 0.2)],
  [c(2, -1), c(0.4, 0.3), c(-0.7, 0.1), c(0.5, 0.5)],
  [c(-0.3, 0.6), c(0.9, 1.2), c(1.8, -0.4), c(0.1, -0.9)],
  [c(0.6, 0.6), c(-0.2, -1.1), c(0.4, 0.2), c(1.3, 1.6)],
];
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s + 0x6d2b79f5) >>> 0; let t = Math.imul(s ^ (s >>> 15), 1 | s); t ^= t + Math.imul(t ^ (t >>> 7), 61 | t); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}
/** n x n complex with entries in the unit square, plus `shift` on the diagonal (conditioning). */
function randomM(n: number, seed: number, shift = 1.5): M {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => c(2 * r() - 1 + (i === j ? shift : 0), 2 * r() - 1)));
}
const DTYPES = [['complex128', 1e-12], ['complex64', 2e-5]] as const;

// ---------------------------------------------------------------- values

describe('complex LU family: values against a float64 JS reference', () => {
  for (const [dt, tol] of DTYPES) {
    const A = np.array(A4, dt), ref = refLu(A4);
    test(`${dt}: lu gives A = P L U with L unit lower, U upper, LAPACK's row choices (|re| + |im|)`, () => {
      const [P, Lf, U] = linalg.lu(A);
      assert.equal(P.dtype, dt); assert.equal(Lf.dtype, dt); assert.equal(U.dtype, dt);
      closeM(matmul(L(P), matmul(L(Lf), L(U))), A4, tol * 10, 'P L U');
      const l = L(Lf), u = L(U);
      for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) {
        if (j > i) assert.equal(abs(l[i][j]), 0);
        if (j < i) assert.equal(abs(u[i][j]), 0);
      }
      l.forEach((row, i) => assert.deepEqual(row[i], c(1, 0)));
      const [lu, perm] = linalg.luFactor(A);
      assert.deepEqual(Array.from(perm.dataSync()), ref.perm);
      closeM(L(lu), ref.lu, tol * 10, 'packed factors');
    });
    test(`${dt}: det against elimination, a 2x2 closed form and a triangular product`, () => {
      closeC(linalg.det(A).item() as C, ref.det, tol * 10, 'det A4');
      const B: M = [[c(1, 2), c(3, -1)], [c(-0.5, 0.25), c(2, 2)]];
      closeC(linalg.det(np.array(B, dt)).item() as C, sub(mul(B[0][0], B[1][1]), mul(B[0][1], B[1][0])), tol, 'det 2x2');
      const T: M = [[c(2, 1), c(5, 5), c(-3, 1)], [c(0), c(0, -1.5), c(7, 0)], [c(0), c(0), c(-0.5, 0.5)]];
      closeC(linalg.det(np.array(T, dt)).item() as C, mul(mul(T[0][0], T[1][1]), T[2][2]), tol, 'det upper triangular');
      // e^{i theta} I scales the determinant by e^{i n theta}
      const th = 0.7, s = np.array({ re: Math.cos(th), im: Math.sin(th) }, dt);
      closeC(linalg.det(np.multiply(A, s)).item() as C, mul(ref.det, c(Math.cos(4 * th), Math.sin(4 * th))), tol * 10, 'det(e^{i theta} A)');
    });
    test(`${dt}: slogdet: unit-modulus complex sign, real logabsdet, sign e^logabsdet = det`, () => {
      const [sign, logabs] = linalg.slogdet(A);
      assert.equal(sign.dtype, dt);
      assert.equal(logabs.dtype, dt === 'complex128' ? 'float64' : 'float32');
      const sg = sign.item() as C, la = logabs.item() as number;
      assert.ok(Math.abs(abs(sg) - 1) <= tol, `|sign| = ${abs(sg)}`);
      assert.ok(Math.abs(la - Math.log(abs(ref.det))) <= tol * 10);
      closeC(c(sg.re * Math.exp(la), sg.im * Math.exp(la)), ref.det, tol * 10, 'sign e^logabsdet');
    });
    test(`${dt}: inv and solve: A inv(A) = I, solve matches elimination, vector b, residual`, () => {
      closeM(matmul(A4, L(linalg.inv(A))), eye(4), tol * 10, 'A inv(A)');
      closeM(L(linalg.inv(A)), refInv(A4), tol * 10, 'inv');
      const b: M = [[c(1, 1), c(0, 2)], [c(-1, 0), c(0.5, 0.5)], [c(0, -1), c(2, 0)], [c(3, 1), c(-1, -1)]];
      const X = linalg.solve(A, np.array(b, dt));
      assert.equal(X.dtype, dt);
      closeM(L(X), refSolve(A4, b), tol * 10, 'solve');
      const x1 = linalg.solve(A, np.array(b.map((r) => r[0]), dt));
      assert.deepEqual(x1.shape, [4]);
      closeM(matmul(A4, (x1.tolist() as C[]).map((v) => [v])), b.map((r) => [r[0]]), tol * 10, 'A x = b (vector)');
    });
    test(`${dt}: luSolve with trans 0, 1 (A^T) and 2 (A^H)`, () => {
      const f = linalg.luFactor(A);
      const b: M = [[c(1, 1)], [c(-1, 0.5)], [c(0, -1)], [c(3, 1)]];
      const ops: [number, M][] = [[0, A4], [1, transpose(A4)], [2, transpose(A4).map((r) => r.map(conj))]];
      for (const [trans, op] of ops) closeM(matmul(op, L(linalg.luSolve(f, np.array(b, dt), { trans }))), b, tol * 10, `trans ${trans}`);
    });
    test(`${dt}: matrixPower 3 and -2 against JS matmul and the reference inverse`, () => {
      closeM(L(linalg.matrixPower(A, 3)), matmul(A4, matmul(A4, A4)), tol * 10, 'A^3');
      const Ai = refInv(A4);
      closeM(L(linalg.matrixPower(A, -2)), matmul(Ai, Ai), tol * 10, 'A^-2');
      closeM(L(linalg.matrixPower(A, 0)), eye(4), 0, 'A^0');
    });
  }
  test('past one panel (n = 150, 64-column panels): det, solve residual, P L U, both precisions', () => {
    const n = 150, a = randomM(n, 7, 6), b = randomM(n, 8).map((r) => r.slice(0, 3));
    for (const [dt, tol] of DTYPES) {
      const A = np.array(a, dt);
      const [P, Lf, U] = linalg.lu(A);
      closeM(matmul(L(P), matmul(L(Lf), L(U))), a, tol * 20, `P L U ${dt}`);
      closeM(matmul(a, L(linalg.solve(A, np.array(b, dt)))), b, tol * 50, `residual ${dt}`);
      assert.deepEqual(Array.from(linalg.luFactor(A)[1].dataSync()), refLu(a).perm, `perm ${dt}`);
    }
    const [sign, logabs] = linalg.slogdet(np.array(a, 'complex128'));
    const d = refLu(a).det; // |det| of a 150x150 fits a double here
    closeC(sign.item() as C, c(d.re / abs(d), d.im / abs(d)), 1e-10, 'sign');
    assert.ok(Math.abs((logabs.item() as number) - Math.log(abs(d))) < 1e-10);
  });
  test('batched: leading axes [2, 3] of 3x3 matrices, each equal to the reference', () => {
    const ms = Array.from({ length: 6 }, (_, k) => randomM(3, 100 + k));
    const A = np.reshape(np.array(ms, 'complex128'), [2, 3, 3, 3]);
    const dets = (linalg.det(A).tolist() as C[][]).flat();
    const invs = (linalg.inv(A).tolist() as M[][]).flat();
    ms.forEach((m, k) => { closeC(dets[k], refLu(m).det, 1e-12, `det[${k}]`); closeM(invs[k], refInv(m), 1e-12, `inv[${k}]`); });
  });
});

// ---------------------------------------------------------------- derivatives

describe('complex LU family: derivatives', () => {
  // well conditioned (diagonal shift 3), so second-order finite differences stay accurate
  const a3 = randomM(3, 11, 3), b3 = randomM(3, 12).map((r) => r.slice(0, 2));
  const batch = [randomM(3, 21, 3), randomM(3, 22, 3)];
  const fns: [string, (...x: Array[]) => Array, number][] = [
    ['lu (P L U stacked)', (a) => { const [P, Lf, U] = linalg.lu(a); return np.concatenate([P, Lf, U], -1); }, 1],
    ['luFactor packed factors', (a) => linalg.luFactor(a)[0], 1],
    ['det', (a) => linalg.det(a), 1],
    ['slogdet (sign and logabsdet)', (a) => { const [s, l] = linalg.slogdet(a); return np.add(s, np.multiply(l, { re: 0.5, im: 0.25 })); }, 1],
    ['inv', (a) => linalg.inv(a), 1],
    ['solve', (a, b) => linalg.solve(a, b), 2],
    ['luSolve trans 2 (A^H x = b)', (a, b) => linalg.luSolve(linalg.luFactor(a), b, { trans: 2 }), 2],
    ['matrixPower -2', (a) => linalg.matrixPower(a, -2), 1],
  ];
  for (const [dt] of DTYPES) {
    for (const [name, f, nargs] of fns) {
      test(`${dt}: checkGrads order 2 (fwd, rev): ${name}, one matrix and a batch [2, 3, 3]`, () => {
        const args = [np.array(a3, dt), np.array(b3, dt)].slice(0, nargs);
        checkGrads(f, args, { order: 2 });
        const bargs = [np.array(batch, dt), np.array([b3, b3.map((r) => r.map(conj))], dt)].slice(0, nargs);
        checkGrads(f, bargs, { order: 2 });
      });
    }
  }

  const A = np.array(A4, 'complex128'), Ai = refInv(A4), d = refLu(A4).det;
  test('holomorphic grad of sum(inv(Z)): -u_i v_j with u = column sums, v = row sums of inv(Z)', () => {
    const g = L(grad((z: Array) => np.sum(linalg.inv(z)), { holomorphic: true })(A));
    const u = [0, 1, 2, 3].map((j) => Ai.reduce((s, r) => add(s, r[j]), c(0)));
    const v = Ai.map((r) => r.reduce((s, x) => add(s, x), c(0)));
    closeM(g, u.map((ui) => v.map((vj) => c(-mul(ui, vj).re, -mul(ui, vj).im))), 1e-12, 'grad');
  });
  test('holomorphic grad of det(Z) = det(Z) inv(Z)^T (the cofactor matrix); of sum(solve(Z, b)) by the reference', () => {
    const g = L(grad((z: Array) => linalg.det(z), { holomorphic: true })(A));
    closeM(g, transpose(Ai).map((r) => r.map((x) => mul(d, x))), 1e-12, 'grad det');
    // f = sum(Z^-1 b): df = -1^T Z^-1 dZ Z^-1 b  =>  G_ij = -w_i x_j, w = Z^-T 1, x = Z^-1 b
    const b: M = [[c(1, 1)], [c(0, -1)], [c(2, 0.5)], [c(-1, 0)]];
    const gs = L(grad((z: Array) => np.sum(linalg.solve(z, np.array(b, 'complex128'))), { holomorphic: true })(A));
    const x = refSolve(A4, b).map((r) => r[0]), w = refSolve(transpose(A4), [[c(1)], [c(1)], [c(1)], [c(1)]]).map((r) => r[0]);
    closeM(gs, w.map((wi) => x.map((xj) => c(-mul(wi, xj).re, -mul(wi, xj).im))), 1e-12, 'grad solve');
  });
  test('C -> R, JAX\'s convention: grad |det A|^2 = 2 |det A|^2 inv(A)^T; grad of logabsdet = inv(A)^T', () => {
    const g = L(grad((z: Array) => np.square(np.abs(linalg.det(z))))(A));
    const s = 2 * abs(d) ** 2;
    closeM(g, transpose(Ai).map((r) => r.map((x) => c(s * x.re, s * x.im))), 1e-11, 'grad |det|^2');
    const gl = L(grad((z: Array) => linalg.slogdet(z)[1])(A));
    closeM(gl, transpose(Ai), 1e-12, 'grad logabsdet');
    // real(sign): d sign = i im(tr(A^-1 dA)) sign, so grad re(sign) = re(i sign conj... ) checked by finite differences
    checkGrads((z: Array) => np.real(linalg.slogdet(z)[0]), [A], { order: 2 });
  });
  test('complex64 holomorphic grads are complex64 and match complex128 to float32 precision', () => {
    const f = (z: Array) => np.sum(np.multiply(linalg.inv(z), linalg.det(z)));
    const g64 = grad(f, { holomorphic: true })(np.array(A4, 'complex64'));
    assert.equal(g64.dtype, 'complex64');
    closeM(L(g64), L(grad(f, { holomorphic: true })(A)), 1e-4, 'complex64 vs complex128');
  });
  test('rank n - 1: det\'s gradient is the (finite) adjugate transpose, as JAX: [[a, b], [c, d]] -> [[d, -c], [-b, a]]', () => {
    const S: M = [[c(1, 1), c(2, -1)], [c(2, 2), c(4, -2)]]; // row 2 = 2 row 1
    assert.deepEqual(linalg.det(np.array(S, 'complex128')).item(), c(0, 0));
    const g = L(grad((z: Array) => linalg.det(z), { holomorphic: true })(np.array(S, 'complex128')));
    closeM(g, [[S[1][1], c(-S[1][0].re, -S[1][0].im)], [c(-S[0][1].re, -S[0][1].im), S[0][0]]], 1e-14, 'adjugate');
    const Z = np.zeros([3, 3], 'complex64'); // rank 0 < n - 1: zero gradient
    assert.deepEqual(Array.from(grad((z: Array) => linalg.det(z), { holomorphic: true })(Z).dataSync()), new Array(18).fill(0));
  });
});

// ---------------------------------------------------------------- vmap, jit

describe('complex LU family under vmap and jit', () => {
  const ms = [randomM(3, 31), randomM(3, 32), randomM(3, 33), randomM(3, 34)];
  const fns: [string, (a: Array) => Array | Array[]][] = [
    ['lu', (a) => linalg.lu(a)], ['det', (a) => linalg.det(a)], ['inv', (a) => linalg.inv(a)],
    ['slogdet', (a) => linalg.slogdet(a)], ['solve', (a) => linalg.solve(a, np.ones([3], a.dtype))],
    ['luSolve trans 1', (a) => linalg.luSolve(linalg.luFactor(a), np.ones([3, 2], a.dtype), { trans: 1 })],
    ['grad of |det|^2', (a) => grad((z: Array) => np.square(np.abs(linalg.det(z))))(a)],
  ];
  const list = (y: Array | Array[]) => (Array.isArray(y) ? y.map((t) => t.tolist()) : y.tolist());
  for (const [dt] of DTYPES) {
    const X = np.array(ms, dt);
    for (const [name, f] of fns) {
      test(`${dt}: vmap(${name}) over 4 matrices equals the loop; jit equals eager`, () => {
        const got = vmap(f)(X) as Array | Array[];
        const each = ms.map((m) => list(f(np.array(m, dt))));
        const rows = Array.isArray(got) ? got.map((g) => g.tolist() as unknown[]) : [got.tolist() as unknown[]];
        each.forEach((e, k) => assert.deepEqual(Array.isArray(got) ? rows.map((r) => r[k]) : rows[0][k], e, `example ${k}`));
        const x0 = np.array(ms[0], dt);
        assert.deepEqual(list(jit(f)(x0)), list(f(x0)));
      });
    }
  }
});

// ---------------------------------------------------------------- singular matrices, dtypes

describe('complex LU family: singular matrices and dtypes', () => {
  test('singular complex matrices behave as real ones: det +0, slogdet (0, -inf), solve non-finite, a zero pivot in U', () => {
    const S = np.array([[c(1, 1), c(2, -1)], [c(2, 2), c(4, -2)]], 'complex128');
    assert.deepEqual(linalg.det(S).item(), c(0, 0));
    const [sign, logabs] = linalg.slogdet(S);
    assert.deepEqual(sign.item(), c(0, 0));
    assert.equal(logabs.item(), -Infinity);
    const x = Array.from(linalg.solve(S, np.ones([2], 'complex128')).dataSync());
    assert.ok(x.some((v) => !Number.isFinite(v)));
    const u = L(linalg.lu(S)[2]);
    assert.deepEqual(u[1][1], c(0, 0));
    // the real path does the same
    const R = np.array([[1, 2], [2, 4]], { dtype: 'float64' });
    assert.equal(linalg.det(R).item(), 0);
    assert.deepEqual(linalg.slogdet(R).map((t) => t.item()), [0, -Infinity]);
  });
  test('dtype promotion of solve and luSolve, as jnp: complex64 with float64 is complex128; float32 with float64 is float64', () => {
    const A = np.array(A4, 'complex64');
    assert.equal(linalg.solve(A, np.ones([4], { dtype: 'float64' })).dtype, 'complex128');
    assert.equal(linalg.solve(A, np.ones([4], { dtype: 'float32' })).dtype, 'complex64');
    assert.equal(linalg.solve(np.eye(4, { dtype: 'float64' }), np.array(A4[0], 'complex64')).dtype, 'complex128');
    assert.equal(linalg.solve(np.eye(2, { dtype: 'float32' }), np.ones([2], { dtype: 'float64' })).dtype, 'float64');
    const f = linalg.luFactor(np.multiply(np.eye(4, { dtype: 'float32' }), 2));
    const x = linalg.luSolve(f, np.array(A4[0], 'complex64'));
    assert.equal(x.dtype, 'complex64');
    closeM([x.tolist() as C[]], [A4[0].map((v) => c(v.re / 2, v.im / 2))], 1e-7, 'real lu, complex b');
  });
  test('integer and bool matrices compute in float32 (jnp.linalg promotes them); non-square ones are ShapeErrors naming the function', () => {
    const d = linalg.det(np.array([[1, 2], [3, 4]], { dtype: 'int32' }));
    assert.equal(d.dtype, 'float32');
    assert.ok(Math.abs((d.item() as number) + 2) < 1e-6, `det = ${d.item()}`);
    assert.deepEqual(linalg.inv(np.array([[true, false], [false, true]])).tolist(), [[1, 0], [0, 1]]);
    assert.throws(() => linalg.inv(np.array([[c(1, 1), c(0, 1)]], 'complex64')), (e: unknown) => e instanceof ShapeError && /linalg.inv/.test((e as Error).message));
    assert.throws(() => linalg.lu(np.array([c(1, 1)], 'complex128')), ShapeError);
  });
});
