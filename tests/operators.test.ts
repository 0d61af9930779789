// The derivative operators (roadmap step 9): divergence, jacobianDiagonal, laplacian,
// hessianDiagonal, gnvp and the hutchinson / Hutch++ trace estimators. Every reference is a
// closed form or central differences computed in float64 JS (never the library's derivatives);
// each operator runs in float64 and float32, eagerly and under jit, under vmap, and under grad.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  np, random, jit, vmap, grad, jacfwd, divergence, jacobianDiagonal, laplacian, hessianDiagonal, gnvp, hutchinson,
  NDArray, ShapeError, DTypeError, ValueError, NonHolomorphicError, CotangentError, keptTapeStats,
} from 'cotangent';
import { Rng, seedOf, arr, f64, assertClose, FloatDType } from './helpers/fd.ts';

const TOL: Record<FloatDType, number> = { float64: 1e-12, float32: 2e-5 };
const DTYPES: FloatDType[] = ['float64', 'float32'];

// ---------------------------------------------------------------- references in float64 JS

/** y = tanh(W x + b), W n x n. */
function field64(W: Float64Array, b: Float64Array, x: Float64Array): Float64Array {
  const n = x.length, y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = b[i];
    for (let k = 0; k < n; k++) z += W[i * n + k] * x[k];
    y[i] = Math.tanh(z);
  }
  return y;
}
/** ∂y_i/∂x_i = (1 - y_i²) W_ii. */
function fieldDiag64(W: Float64Array, b: Float64Array, x: Float64Array): Float64Array {
  const n = x.length, y = field64(W, b, x);
  return Float64Array.from(y, (yi, i) => (1 - yi * yi) * W[i * n + i]);
}
const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);
/** ∂/∂x_j Σ_i (1 - y_i²) W_ii = Σ_i -2 y_i (1 - y_i²) W_ii W_ij. */
function fieldDivGradX64(W: Float64Array, b: Float64Array, x: Float64Array): Float64Array {
  const n = x.length, y = field64(W, b, x), g = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) g[j] += -2 * y[i] * (1 - y[i] * y[i]) * W[i * n + i] * W[i * n + j];
  return g;
}
/** ∂/∂W_ab Σ_i (1 - y_i²) W_ii = δ_ab (1 - y_a²) - 2 y_a (1 - y_a²) W_aa x_b. */
function fieldDivGradW64(W: Float64Array, b: Float64Array, x: Float64Array): Float64Array {
  const n = x.length, y = field64(W, b, x), g = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let c = 0; c < n; c++) g[a * n + c] = (a === c ? 1 - y[a] * y[a] : 0) - 2 * y[a] * (1 - y[a] * y[a]) * W[a * n + a] * x[c];
  }
  return g;
}
/** Central differences of the diagonal: (f_i(x + h e_i) - f_i(x - h e_i)) / 2h. */
function fdDiag(f: (x: Float64Array) => Float64Array, x: Float64Array, h = 1e-5): Float64Array {
  return Float64Array.from(x, (_, i) => {
    const p = Float64Array.from(x), m = Float64Array.from(x);
    p[i] += h; m[i] -= h;
    return (f(p)[i] - f(m)[i]) / (2 * h);
  });
}

function fixture(name: string, n: number) {
  const r = new Rng(seedOf(name));
  return { W: Float64Array.from(r.normals(n * n), (v) => v / Math.sqrt(n)), b: r.normals(n), x: r.normals(n), r };
}
const fieldOf = (W: NDArray, b: NDArray) => (x: NDArray) => np.tanh(np.add(np.matmul(W, x), b));

// ---------------------------------------------------------------- divergence, jacobianDiagonal

test('divergence and jacobianDiagonal of tanh(W x + b) against the closed form and central differences, float64 and float32, eager and jit', () => {
  const n = 6, { W, b, x } = fixture('div-field', n);
  const want = fieldDiag64(W, b, x);
  assertClose('closed form vs central differences (the reference checks itself)', want, fdDiag((z) => field64(W, b, z), x), { rtol: 1e-8 });
  for (const dt of DTYPES) {
    const f = fieldOf(arr(W, [n, n], dt), arr(b, [n], dt)), xa = arr(x, [n], dt);
    for (const [mode, d, div] of [['eager', jacobianDiagonal(f), divergence(f)], ['jit', jit(jacobianDiagonal(f)), jit(divergence(f))]] as const) {
      const D = d(xa), s = div(xa);
      assert.deepEqual([D.shape, D.dtype, s.shape, s.dtype], [[n], dt, [], dt], `${dt} ${mode}`);
      assertClose(`jacobianDiagonal ${dt} ${mode}`, f64(D), want, { rtol: TOL[dt] });
      assertClose(`divergence ${dt} ${mode}`, f64(s), [sum(want)], { rtol: TOL[dt] });
    }
    // and agrees with the trace of the full Jacobian
    assertClose(`divergence == trace(jacfwd) ${dt}`, f64(divergence(f)(xa)), f64(np.trace(jacfwd(f)(xa))), { rtol: TOL[dt] });
  }
});

test('divergence of a linear map A x is trace(A); of x ⊙ x is 2 Σ x', () => {
  const r = new Rng(seedOf('div-linear')), n = 7, A = r.normals(n * n), x = r.normals(n);
  let tr = 0;
  for (let i = 0; i < n; i++) tr += A[i * n + i];
  const Aa = arr(A, [n, n]);
  assertClose('tr(A)', f64(divergence((z: NDArray) => np.matmul(Aa, z))(arr(x, [n]))), [tr], { rtol: 1e-13 });
  assertClose('div(x ⊙ x)', f64(divergence((z: NDArray) => np.multiply(z, z))(arr(x, [n]))), [2 * sum(x)], { rtol: 1e-13 });
  // a matrix argument: the trace runs over every entry ([2, 3] -> [2, 3]); exp'(x) = exp(x)
  const X = arr(x.slice(0, 6), [2, 3]);
  assertClose('jacobianDiagonal of exp on [2, 3]', f64(jacobianDiagonal(np.exp)(X)), x.slice(0, 6).map(Math.exp), { rtol: 1e-14 });
  assert.deepEqual(jacobianDiagonal(np.exp)(X).shape, [2, 3]);
});

test('pytree arguments: the diagonal shaped like the tree, the divergence summed over every leaf', () => {
  const a = [0.3, -1.2, 0.7], b = [[0.5, 2.0], [-0.4, 1.1]];
  const sa = sum(a), sb = sum(b.flat());
  // f(p) = { a: sin(a) Σb, b: b² Σa }: ∂f_a/∂a_i = cos(a_i) Σb, ∂f_b/∂b_ij = 2 b_ij Σa
  const f = (p: { a: NDArray; b: NDArray }) => ({ a: np.multiply(np.sin(p.a), np.sum(p.b)), b: np.multiply(np.square(p.b), np.sum(p.a)) });
  for (const dt of DTYPES) {
    const p = { a: np.array(a, { dtype: dt }), b: np.array(b, { dtype: dt }) };
    const D = jacobianDiagonal(f)(p);
    assert.deepEqual([D.a.shape, D.b.shape], [[3], [2, 2]]);
    const wantA = a.map((v) => Math.cos(v) * sb), wantB = b.flat().map((v) => 2 * v * sa);
    assertClose(`diag.a ${dt}`, f64(D.a), wantA, { rtol: TOL[dt] });
    assertClose(`diag.b ${dt}`, f64(D.b), wantB, { rtol: TOL[dt] });
    assertClose(`divergence ${dt}`, f64(jit(divergence(f))(p)), [sum(wantA) + sum(wantB)], { rtol: TOL[dt] });
  }
});

test('argnums picks the differentiated argument (positional, options, negative); the others are held', () => {
  const n = 4, { W, b, x } = fixture('div-argnums', n);
  const g = (Wm: NDArray, z: NDArray, bias: NDArray) => np.tanh(np.add(np.matmul(Wm, z), bias));
  const args = [arr(W, [n, n]), arr(x, [n]), arr(b, [n])] as const;
  const want = [sum(fieldDiag64(W, b, x))];
  for (const d of [divergence(g, 1), divergence(g, { argnums: 1 }), divergence(g, { argnums: -2 })]) assertClose('argnums 1', f64(d(...args)), want, { rtol: 1e-12 });
  assertClose('jacobianDiagonal argnums 1', f64(jacobianDiagonal(g, 1)(...args)), fieldDiag64(W, b, x), { rtol: 1e-12 });
});

test('vmap over a batch of points, jit of vmap and vmap of jit: the loop of closed forms', () => {
  const n = 5, B = 4, { W, b, r } = fixture('div-vmap', n), X = r.normals(B * n);
  const want = Float64Array.from({ length: B }, (_, e) => sum(fieldDiag64(W, b, X.subarray(e * n, (e + 1) * n))));
  for (const dt of DTYPES) {
    const f = fieldOf(arr(W, [n, n], dt), arr(b, [n], dt)), Xa = arr(X, [B, n], dt);
    for (const [mode, d] of [['vmap', vmap(divergence(f))], ['jit(vmap)', jit(vmap(divergence(f)))], ['vmap(jit)', vmap(jit(divergence(f)))]] as const) {
      assertClose(`${mode} ${dt}`, f64(d(Xa)), want, { rtol: TOL[dt] });
    }
    // the layout: a field of (theta, x), vmapped over the rows of X with theta held
    const fx = (Wm: NDArray, z: NDArray) => np.tanh(np.add(np.matmul(Wm, z), arr(b, [n], dt)));
    assertClose(`vmap inAxes [null, 0] ${dt}`, f64(vmap(divergence(fx, 1), [null, 0])(arr(W, [n, n], dt), Xa)), want, { rtol: TOL[dt] });
  }
});

test('grad through divergence, in x and in the weights (a CNF loss), eager and jit, float64 and float32', () => {
  const n = 5, { W, b, x } = fixture('div-grad', n);
  for (const dt of DTYPES) {
    const Wa = arr(W, [n, n], dt), ba = arr(b, [n], dt), xa = arr(x, [n], dt);
    const div = divergence(fieldOf(Wa, ba));
    assertClose(`grad_x div ${dt}`, f64(grad(div)(xa)), fieldDivGradX64(W, b, x), { rtol: 10 * TOL[dt] });
    assertClose(`jit(grad_x div) ${dt}`, f64(jit(grad(div))(xa)), fieldDivGradX64(W, b, x), { rtol: 10 * TOL[dt] });
    const divW = (Wm: NDArray, z: NDArray) => divergence((y: NDArray) => np.tanh(np.add(np.matmul(Wm, y), ba)))(z);
    assertClose(`grad_W div ${dt}`, f64(grad(divW)(Wa, xa)), fieldDivGradW64(W, b, x), { rtol: 10 * TOL[dt] });
    assertClose(`jit(grad_W div) ${dt}`, f64(jit(grad(divW))(Wa, xa)), fieldDivGradW64(W, b, x), { rtol: 10 * TOL[dt] });
    // the same through argnums: divergence in argument 1, gradient in argument 0
    const divW1 = divergence((Wm: NDArray, y: NDArray) => np.tanh(np.add(np.matmul(Wm, y), ba)), 1);
    assertClose(`grad_W divergence(f, 1) ${dt}`, f64(grad(divW1)(Wa, xa)), fieldDivGradW64(W, b, x), { rtol: 10 * TOL[dt] });
  }
});

test('one batched pass: f is traced once by divergence, jacobianDiagonal and laplacian, whatever n', () => {
  for (const n of [3, 40]) {
    let calls = 0;
    const f = (x: NDArray) => { calls++; return np.sin(x); };
    divergence(f)(np.ones([n])); jacobianDiagonal(f)(np.ones([n]));
    laplacian((x: NDArray) => np.sum(f(x)))(np.ones([n]));
    assert.equal(calls, 3, `n = ${n}`);
    calls = 0;
    const h = hutchinson(f, { probes: 9, key: random.key(0), method: 'hutchpp' });
    h(np.ones([n]));
    assert.equal(calls, 2, 'Hutch++: A S, then [Q, (I - P) G] in one pass');
  }
});

// ---------------------------------------------------------------- laplacian, hessianDiagonal

/** logsumexp: ∂²/∂x_i² = p_i - p_i², Δ = 1 - Σ p², ∂Δ/∂x_j = -2 (p_j² - p_j Σ p²). */
function lseRefs(x: number[]) {
  const m = Math.max(...x), e = x.map((v) => Math.exp(v - m)), s = sum(e), p = e.map((v) => v / s), p2 = sum(p.map((v) => v * v));
  return { diag: p.map((v) => v - v * v), lap: 1 - p2, gradLap: p.map((v) => -2 * (v * v - v * p2)) };
}

test('laplacian and hessianDiagonal: Σ sin x, logsumexp and (Σx)³ in closed form; eager, jit, vmap, grad, jit(grad)', () => {
  const x = [0.3, -1.1, 0.8, 2.0, -0.25];
  const ref = lseRefs(x);
  const lse = (z: NDArray) => np.logsumexp(z);
  const cube = (z: NDArray) => np.power(np.sum(z), 3); // H = 6 (Σx) 1 1ᵀ
  for (const dt of DTYPES) {
    const xa = np.array(x, { dtype: dt }), tol = { rtol: 10 * TOL[dt] };
    assertClose(`Δ Σ sin ${dt}`, f64(laplacian((z: NDArray) => np.sum(np.sin(z)))(xa)), [-sum(x.map(Math.sin))], tol);
    assertClose(`diag ∇² Σ sin ${dt}`, f64(hessianDiagonal((z: NDArray) => np.sum(np.sin(z)))(xa)), x.map((v) => -Math.sin(v)), tol);
    assertClose(`diag ∇² lse ${dt}`, f64(hessianDiagonal(lse)(xa)), ref.diag, tol);
    assertClose(`jit diag ∇² lse ${dt}`, f64(jit(hessianDiagonal(lse))(xa)), ref.diag, tol);
    assertClose(`Δ lse ${dt}`, f64(laplacian(lse)(xa)), [ref.lap], tol);
    assertClose(`jit Δ lse ${dt}`, f64(jit(laplacian(lse))(xa)), [ref.lap], tol);
    assertClose(`grad Δ lse ${dt}`, f64(grad(laplacian(lse))(xa)), ref.gradLap, tol);
    assertClose(`jit(grad(Δ)) lse ${dt}`, f64(jit(grad(laplacian(lse)))(xa)), ref.gradLap, tol);
    assertClose(`Δ (Σx)³ ${dt}`, f64(laplacian(cube)(xa)), [6 * x.length * sum(x)], tol);
    assertClose(`diag (Σx)³ ${dt}`, f64(hessianDiagonal(cube)(xa)), x.map(() => 6 * sum(x)), tol);
    // a batch of points
    const X = [x, x.map((v) => -v), x.map((v) => v / 2)];
    assertClose(`vmap Δ lse ${dt}`, f64(vmap(laplacian(lse))(np.array(X, { dtype: dt }))), X.map((r) => lseRefs(r).lap), tol);
    assertClose(`vmap(jit) diag lse ${dt}`, f64(vmap(jit(hessianDiagonal(lse)))(np.array(X, { dtype: dt }))), X.flatMap((r) => lseRefs(r).diag), tol);
  }
});

test('laplacian and hessianDiagonal in another argument and over a pytree', () => {
  // f(c, x) = c Σ x⁴: ∂²/∂x_i² = 12 c x_i²
  const x = [0.5, -1.5, 2], c = 0.7;
  const f = (cc: NDArray, z: NDArray) => np.multiply(cc, np.sum(np.power(z, 4)));
  assertClose('hessianDiagonal argnums 1', f64(hessianDiagonal(f, 1)(np.array(c), np.array(x, { dtype: 'float64' }))), x.map((v) => 12 * c * v * v), { rtol: 1e-6 });
  assertClose('laplacian argnums 1', f64(laplacian(f, { argnums: 1 })(np.array(c), np.array(x, { dtype: 'float64' }))), [12 * c * sum(x.map((v) => v * v))], { rtol: 1e-6 });
  // f(p) = Σ a² Σ b: ∂²/∂a_i² = 2 Σ b, ∂²/∂b_j² = 0
  const p = { a: np.array([1, 2], { dtype: 'float64' }), b: np.array([[3, -5]], { dtype: 'float64' }) };
  const g = (q: { a: NDArray; b: NDArray }) => np.multiply(np.sum(np.square(q.a)), np.sum(q.b));
  const H = hessianDiagonal(g)(p);
  assert.deepEqual([f64(H.a), f64(H.b), H.b.shape], [new Float64Array([-4, -4]), new Float64Array([0, 0]), [1, 2]]);
  assertClose('laplacian of a pytree', f64(laplacian(g)(p)), [-8], { rtol: 1e-14 });
});

// ---------------------------------------------------------------- gnvp

test('gnvp(f, loss)(x, v) = Jᵀ H J v: tanh(W x) under logsumexp, a least-squares layer over a pytree; jit and vmap', () => {
  const r = new Rng(seedOf('gnvp')), m = 3, n = 4, W = r.normals(m * n), x = r.normals(n), v = r.normals(n);
  // reference: J = diag(1 - y²) W, H = diag(p) - p pᵀ at z = y
  const y = Array.from({ length: m }, (_, i) => Math.tanh(sum(Array.from({ length: n }, (_, k) => W[i * n + k] * x[k]))));
  const Jv = y.map((yi, i) => (1 - yi * yi) * sum(Array.from({ length: n }, (_, k) => W[i * n + k] * v[k])));
  const e = y.map(Math.exp), p = e.map((t) => t / sum(e)), pJv = sum(p.map((pi, i) => pi * Jv[i]));
  const HJv = p.map((pi, i) => pi * Jv[i] - pi * pJv);
  const want = Array.from({ length: n }, (_, k) => sum(y.map((yi, i) => (1 - yi * yi) * W[i * n + k] * HJv[i])));
  for (const dt of DTYPES) {
    const Wa = arr(W, [m, n], dt), f = (z: NDArray) => np.tanh(np.matmul(Wa, z)), loss = (z: NDArray) => np.logsumexp(z);
    const xa = arr(x, [n], dt), va = arr(v, [n], dt);
    assertClose(`gnvp ${dt}`, f64(gnvp(f, loss)(xa, va)), want, { rtol: TOL[dt] });
    assertClose(`jit gnvp ${dt}`, f64(jit(gnvp(f, loss))(xa, va)), want, { rtol: TOL[dt] });
    // vmap over a batch of vectors v (the same x): column k of G is gnvp at e_k
    const G = vmap(gnvp(f, loss), [null, 0])(xa, np.eye(n, { dtype: dt }));
    assertClose(`vmap over v ${dt}`, f64(np.matmul(np.transpose(G), va)), want, { rtol: 10 * TOL[dt] });
  }
  // least squares z = W x + b with params {W, b}, loss |z - t|²/2: H = I, G v = Jᵀ J v, J v = V_W x + v_b, Jᵀ u = {W: u xᵀ, b: u}
  const t = [0.5, -1, 2], Vw = r.normals(m * n), vb = r.normals(m);
  const u = Array.from({ length: m }, (_, i) => sum(Array.from({ length: n }, (_, k) => Vw[i * n + k] * x[k])) + vb[i]);
  const params = { W: arr(W, [m, n]), b: arr(r.normals(m), [m]) };
  const model = (q: { W: NDArray; b: NDArray }) => np.add(np.matmul(q.W, arr(x, [n])), q.b);
  const lsq = (z: NDArray) => np.multiply(0.5, np.sum(np.square(np.subtract(z, np.array(t, { dtype: 'float64' })))));
  const G = gnvp(model, lsq)(params, { W: arr(Vw, [m, n]), b: arr(vb, [m]) });
  assertClose('gnvp W', f64(G.W), u.flatMap((ui) => Array.from(x, (xk) => ui * xk)), { rtol: 1e-13 });
  assertClose('gnvp b', f64(G.b), u, { rtol: 1e-13 });
});

test('gnvp in a sync loop keeps no tape: its pullback is used once and freed at once (a Gauss-Newton CG loop never yields to the GC)', () => {
  const f = (z: NDArray) => np.tanh(np.multiply(z, 1.5)), loss = (z: NDArray) => np.sum(np.square(z));
  const x = np.array([0.1, 0.2, 0.3], { dtype: 'float64' }), v = np.array([1, 0, 0], { dtype: 'float64' });
  gnvp(f, loss)(x, v).dataSync();
  const before = keptTapeStats().registered;
  for (let i = 0; i < 200; i++) gnvp(f, loss)(x, v).dataSync(); // was 200 more kept tapes (528 bytes each, 10.5 MB after 20000)
  assert.equal(keptTapeStats().registered, before);
  const y = Array.from([0.1, 0.2, 0.3], (t) => Math.tanh(1.5 * t)), d = y.map((t) => 1.5 * (1 - t * t));
  assertClose('gnvp after the loop', f64(gnvp(f, loss)(x, v)), [d[0] * 2 * d[0], 0, 0], { rtol: 1e-14 });
});

test('grad through gnvp: ∇_x (vᵀ G(x) v) for f = sin elementwise, loss = Σ z²/2 (G = diag(cos² x))', () => {
  const x = [0.4, -1.3, 2.2], v = [1.5, -0.5, 0.25];
  // vᵀ G v = Σ cos²(x_i) v_i²; its gradient -2 sin cos v_i² = -sin(2 x_i) v_i²
  const q = (z: NDArray) => np.vdot(np.array(v, { dtype: 'float64' }), gnvp(np.sin, (w: NDArray) => np.multiply(0.5, np.sum(np.square(w))))(z, np.array(v, { dtype: 'float64' })));
  const want = x.map((xi, i) => -Math.sin(2 * xi) * v[i] * v[i]);
  assertClose('grad', f64(grad(q)(np.array(x, { dtype: 'float64' }))), want, { rtol: 1e-12 });
  assertClose('jit(grad)', f64(jit(grad(q))(np.array(x, { dtype: 'float64' }))), want, { rtol: 1e-12 });
});

// ---------------------------------------------------------------- hutchinson

/** Var(vᵀ A v) for one probe: S = (A + Aᵀ)/2; Gaussian 2‖S‖²_F, Rademacher 2(‖S‖²_F - Σ s_ii²). */
function probeVariance(A: Float64Array, n: number, noise: 'gaussian' | 'rademacher'): number {
  let fro = 0, diag = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) { const s = (A[i * n + j] + A[j * n + i]) / 2; fro += s * s; }
    diag += A[i * n + i] ** 2;
  }
  return noise === 'gaussian' ? 2 * fro : 2 * (fro - diag);
}

test('hutchinson is unbiased: the mean of 400 keys is within 4 standard errors of tr(A), for both noises', () => {
  const r = new Rng(seedOf('hutch-unbiased')), n = 6, A = r.normals(n * n);
  const Aa = arr(A, [n, n]), f = (z: NDArray) => np.matmul(Aa, z), x = arr(r.normals(n), [n]);
  let tr = 0;
  for (let i = 0; i < n; i++) tr += A[i * n + i];
  const K = 400, probes = 5;
  for (const noise of ['rademacher', 'gaussian'] as const) {
    const keys = random.split(random.key(11), K);
    // a key per estimate: vmap over the keys, the operator built inside (its key is an option)
    const est = f64(vmap((k: NDArray) => hutchinson(f, { probes, key: k, noise })(x))(keys));
    const mean = sum(est) / K, se = Math.sqrt(probeVariance(A, n, noise) / (probes * K));
    assert.ok(Math.abs(mean - tr) < 4 * se, `${noise}: mean ${mean}, tr(A) ${tr}, standard error ${se}`);
    // and the spread matches the variance formula (a probe count dropped from the mean would not)
    const sd = Math.sqrt(sum(est.map((e) => (e - mean) ** 2)) / (K - 1)), want = Math.sqrt(probeVariance(A, n, noise) / probes);
    assert.ok(Math.abs(sd / want - 1) < 0.2, `${noise}: spread ${sd}, formula ${want}`);
  }
});

test('hutchinson with a fixed key: the error shrinks with the probes, within 4 sigma / sqrt(m)', () => {
  const r = new Rng(seedOf('hutch-converge')), n = 8, A = r.normals(n * n), Aa = arr(A, [n, n]);
  let tr = 0;
  for (let i = 0; i < n; i++) tr += A[i * n + i];
  const sigma = Math.sqrt(probeVariance(A, n, 'rademacher'));
  for (const probes of [16, 256, 4096]) {
    const e = Math.abs(hutchinson((z: NDArray) => np.matmul(Aa, z), { probes, key: random.key(3) })(arr(r.normals(n), [n])).item() - tr);
    assert.ok(e < 4 * sigma / Math.sqrt(probes), `probes ${probes}: |error| ${e} > ${4 * sigma / Math.sqrt(probes)}`);
  }
});

test('Rademacher probes are exact for a diagonal Jacobian (vᵀ D v = tr D): so are their gradients, under jit and vmap', () => {
  const n = 5, { b, x, r } = fixture('hutch-diag', n), d = r.normals(n);
  const W = new Float64Array(n * n);
  d.forEach((v, i) => { W[i * n + i] = v; });
  for (const dt of DTYPES) {
    const f = fieldOf(arr(W, [n, n], dt), arr(b, [n], dt)), xa = arr(x, [n], dt), key = random.key(5), tol = { rtol: 10 * TOL[dt] };
    const h = hutchinson(f, { probes: 2, key });
    assertClose(`estimate ${dt}`, f64(h(xa)), [sum(fieldDiag64(W, b, x))], tol);
    assertClose(`jit ${dt}`, f64(jit(h)(xa)), [sum(fieldDiag64(W, b, x))], tol);
    assertClose(`grad ${dt}`, f64(grad(h)(xa)), fieldDivGradX64(W, b, x), tol);
    assertClose(`jit(grad) ${dt}`, f64(jit(grad(h))(xa)), fieldDivGradX64(W, b, x), tol);
    const X = arr(r.normals(3 * n), [3, n], dt), Xs = f64(X);
    assertClose(`vmap ${dt}`, f64(vmap(h)(X)), [0, 1, 2].map((e) => sum(fieldDiag64(W, b, Xs.subarray(e * n, (e + 1) * n)))), tol);
  }
});

test('Hutch++ is exact once its sketch spans the Jacobian: 3n probes, or a rank-r map with r sketch probes; gradients too', () => {
  const r = new Rng(seedOf('hutchpp-exact')), n = 5;
  // full rank, n = 5, probes 15: k = 5 sketch columns span R^5, tr(Qᵀ A Q) = tr(A)
  const { W, b, x } = fixture('hutchpp-field', n);
  for (const dt of DTYPES) {
    const f = fieldOf(arr(W, [n, n], dt), arr(b, [n], dt)), xa = arr(x, [n], dt), tol = { rtol: 20 * TOL[dt] };
    for (const noise of ['rademacher', 'gaussian'] as const) {
      const h = hutchinson(f, { probes: 3 * n, key: random.key(9), method: 'hutchpp', noise });
      assertClose(`3n probes ${dt} ${noise}`, f64(h(xa)), [sum(fieldDiag64(W, b, x))], tol);
      assertClose(`jit ${dt} ${noise}`, f64(jit(h)(xa)), [sum(fieldDiag64(W, b, x))], tol);
      // Q is held constant, and spans R^n: the gradient is exact too
      assertClose(`grad ${dt} ${noise}`, f64(grad(h)(xa)), fieldDivGradX64(W, b, x), tol);
    }
  }
  // rank 2 in R^8: A = U Vᵀ; probes 6 gives k = 2 sketch columns, which span A's range
  const m = 8, U = r.normals(m * 2), V = r.normals(m * 2), A = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) A[i * m + j] = U[2 * i] * V[2 * j] + U[2 * i + 1] * V[2 * j + 1];
  let tr = 0;
  for (let i = 0; i < m; i++) tr += A[i * m + i];
  const Aa = arr(A, [m, m]);
  const est = hutchinson((z: NDArray) => np.matmul(Aa, z), { probes: 6, key: random.key(2), method: 'hutchpp' })(arr(r.normals(m), [m]));
  assertClose('rank 2, 6 probes', f64(est), [tr], { rtol: 1e-12 });
});

test('Hutch++ is unbiased on a full-rank map with few probes, and at equal cost its spread is a third of plain Hutchinson\'s or less on a nearly rank-2 A (4.6x less at this seed)', () => {
  const r = new Rng(seedOf('hutchpp-unbiased')), n = 8, K = 400, probes = 6;
  // A = 4 u uᵀ + 3 w wᵀ + small noise: mostly rank 2, where Hutch++ should shine
  const u = r.normals(n), w = r.normals(n), E = r.normals(n * n), A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = 4 * u[i] * u[j] + 3 * w[i] * w[j] + 0.1 * E[i * n + j];
  let tr = 0;
  for (let i = 0; i < n; i++) tr += A[i * n + i];
  const Aa = arr(A, [n, n]), f = (z: NDArray) => np.matmul(Aa, z), x = arr(r.normals(n), [n]), keys = random.split(random.key(4), K);
  const stats = (method: 'hutchinson' | 'hutchpp') => {
    const est = f64(vmap((k: NDArray) => hutchinson(f, { probes, key: k, method })(x))(keys));
    const mean = sum(est) / K;
    return { mean, sd: Math.sqrt(sum(est.map((e) => (e - mean) ** 2)) / (K - 1)) };
  };
  const pp = stats('hutchpp'), plain = stats('hutchinson');
  assert.ok(Math.abs(pp.mean - tr) < 4 * pp.sd / Math.sqrt(K), `Hutch++ mean ${pp.mean}, tr ${tr}, sd ${pp.sd}`);
  assert.ok(pp.sd < plain.sd / 3, `Hutch++ sd ${pp.sd} vs Hutchinson ${plain.sd}`);
});

test('hutchinson: the key may be a jit argument (traced) and gives eager\'s estimate; a different key a different one', () => {
  const n = 6, { W, b, x } = fixture('hutch-jit-key', n), f = fieldOf(arr(W, [n, n]), arr(b, [n])), xa = arr(x, [n]);
  for (const method of ['hutchinson', 'hutchpp'] as const) {
    const step = jit((z: NDArray, k: NDArray) => hutchinson(f, { probes: 6, key: k, method })(z));
    const [k1, k2] = random.split(random.key(8));
    const e1 = hutchinson(f, { probes: 6, key: k1, method })(xa).item();
    assertClose(`${method} jit with a traced key`, [step(xa, k1).item()], [e1], { rtol: 1e-12 });
    assert.notEqual(step(xa, k2).item(), e1);
  }
});

// ---------------------------------------------------------------- errors

function named(run: () => unknown, cls: new (...a: any[]) => Error, re: RegExp): void {
  assert.throws(run, (e: unknown) => {
    assert.ok(e instanceof cls && e instanceof CotangentError, `expected ${cls.name}, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    assert.match((e as Error).message, re);
    return true;
  });
  // the library still works after the failure
  assert.equal(divergence((z: NDArray) => np.multiply(2, z))(np.ones([3])).item(), 6);
}

test('misuse is a named CotangentError, and the next call works', () => {
  const x = np.ones([3]);
  const squash = function squash(z: NDArray) { return np.sum(np.reshape(z, [3, 1]), { axis: 1 }).get('0:2'); };
  named(() => divergence(squash)(x), ShapeError, /^divergence: squash must map its argument 0 to the same shapes \(R\^n -> R\^n\); argument 0 is float32\[3\] but squash returned float32\[2\]/);
  named(() => jacobianDiagonal((z: NDArray) => np.sum(z))(x), ShapeError, /^jacobianDiagonal: .*float32\[3\] but f returned float32\[\]/);
  named(() => divergence((p: any) => [p.a])({ a: x }), ShapeError, /^divergence: .*argument 0 is \{a: \*\}, the output is \[\*\]/);
  named(() => divergence((z: NDArray) => np.astype(z, 'int32'))(x), DTypeError, /^divergence: output 0 is int32\[3\]/);
  named(() => divergence((z: NDArray) => z)(np.array([1, 2], { dtype: 'int32' })), DTypeError, /^divergence: argument 0 has dtype int32/);
  named(() => divergence((z: NDArray) => z)(np.array([1, 2], { dtype: 'complex64' })), NonHolomorphicError, /^divergence: input 0 is complex64\[2\]/);
  named(() => divergence((z: NDArray) => z, { argnums: [0] } as any)(x), ValueError, /^divergence: argnums must be one integer/);
  named(() => divergence((z: NDArray) => z, 2 as any)(x), ValueError, /^divergence: argnums 2 out of range/);
  named(() => divergence((z: NDArray) => z, { argnum: 0 } as any), ValueError, /^divergence: unknown option 'argnum'/);
  named(() => (divergence as any)((z: NDArray) => z, {}, 1), ValueError, /^divergence: takes at most 2 arguments/);
  named(() => divergence(5 as any), ValueError, /^divergence: expected a function/);
  named(() => (divergence((z: NDArray) => z) as any)(x, x), ValueError, /^divergence: .* takes 1 argument/);
  named(() => laplacian((z: NDArray) => np.sin(z))(x), ShapeError, /^laplacian: the function must return a real scalar \(shape \[\]\), got float32\[3\]/);
  named(() => hessianDiagonal((z: NDArray) => np.sin(z))(x), ShapeError, /^hessianDiagonal: the function must return a real scalar/);
  named(() => gnvp(np.sin, (z: NDArray) => z)(x, x), ShapeError, /^gnvp: loss must return a real scalar \(shape \[\]\), got float32\[3\]/);
  named(() => gnvp(np.sin, (z: NDArray) => np.sum(z))(x, np.ones([2])), ShapeError, /^gnvp: tangent 0 has shape float32\[2\] but its primal is float32\[3\]/);
  named(() => (gnvp(np.sin, (z: NDArray) => np.sum(z)) as any)(x), ValueError, /^gnvp: gnvp\(f, loss\) takes \(x, v\), got 1/);
  named(() => gnvp(np.sin, 3 as any), ValueError, /^gnvp: expected a function/);
  const key = random.key(0), f = (z: NDArray) => z;
  named(() => (hutchinson as any)(f), ValueError, /^hutchinson: needs options \{ probes, key \}/);
  named(() => hutchinson(f, { probes: 4 } as any), ValueError, /^hutchinson: needs a key, .* got none/);
  named(() => hutchinson(f, { probes: 4, key: 0 as any }), ValueError, /^hutchinson: needs a key, .* got 0/);
  named(() => hutchinson(f, { probes: 4, key: np.ones([2]) }), ValueError, /^hutchinson: needs a key, .* got float32\[2\]/);
  named(() => hutchinson(f, { probes: 0, key }), ValueError, /^hutchinson: probes must be an integer >= 1, got 0/);
  named(() => hutchinson(f, { probes: 2.5, key }), ValueError, /^hutchinson: probes must be an integer >= 1, got 2.5/);
  named(() => hutchinson(f, { key } as any), ValueError, /^hutchinson: probes must be an integer >= 1, got undefined/);
  named(() => hutchinson(f, { probes: 2, key, method: 'hutchpp' }), ValueError, /^hutchinson: probes must be an integer >= 3 for method 'hutchpp'/);
  named(() => hutchinson(f, { probes: 4, key, noise: 'uniform' as any }), ValueError, /^hutchinson: noise must be 'gaussian' or 'rademacher'/);
  named(() => hutchinson(f, { probes: 4, key, method: 'xtrace' as any }), ValueError, /^hutchinson: method must be 'hutchinson' or 'hutchpp'/);
  named(() => hutchinson(f, { probes: 4, key, seed: 1 } as any), ValueError, /^hutchinson: unknown option 'seed'/);
  named(() => hutchinson(np.sum as any, { probes: 4, key })(x), ShapeError, /^hutchinson: .*float32\[3\] but sum returned float32\[\]/);
});

test('an empty argument: divergence 0, an empty diagonal', () => {
  const e = np.zeros([0], { dtype: 'float64' });
  assert.deepEqual([divergence(np.sin)(e).item(), jacobianDiagonal(np.sin)(e).shape, laplacian((z: NDArray) => np.sum(z))(e).item()], [0, [0], 0]);
  assert.equal(hutchinson(np.sin, { probes: 3, key: random.key(0), method: 'hutchpp' })(e).item(), 0);
  // an argument with no leaves at all gives its own empty tree back, as jacfwd does (a JS TypeError
  // 'reading _shape' before: the empty diagonal was split into one piece for no leaf)
  const c = (z: unknown) => np.array(2.0);
  for (const empty of [null, undefined, [], {}]) {
    assert.deepEqual(hessianDiagonal(c)(empty as any), empty);
    assert.deepEqual(jacobianDiagonal((z: unknown) => z)(empty as any), empty);
    assert.deepEqual(jacobianDiagonal((z: unknown) => z)(empty as any), jacfwd((z: unknown) => z)(empty as any));
    assert.equal(divergence((z: unknown) => z)(empty as any).item(), 0);
  }
});
