// Linear algebra throughput, a section of `npm run bench` (alone: `npm run bench -- --only linalg`):
// GFLOP/s of cholesky, lu, solve, qr, eigh and svd at n = 256 (cholesky, lu and solve also at 512 and
// 1024), float32 and float64 for cotangent, beside matmul's rate at the same sizes (the ceiling the
// factorizations' trailing updates run on), beside jax-js (cholesky, lu, solve, eigh, svd) and tfjs (qr) where
// they have the op. Rates use LAPACK's nominal FLOP counts (cholesky n^3/3, lu 2n^3/3, solve
// 2n^3/3 + 2n^2, qr with Q 8n^3/3, eigh with vectors 9n^3, svd with U and V 21n^3), so a faster
// algorithm shows as a higher rate. Every result is first checked by a reconstruction residual in
// plain JS (L L^T = A, P L U = A, A x = b, Q R = A, A V = V diag(w), A V = U diag(s)) and by the
// structure the residual does not see (L lower, R upper, Q, V, U and V^T orthonormal, s >= 0); a
// library that fails it is reported WRONG, not timed. Timed calls include the arrays in and out.
type Typed = Float32Array | Float64Array;
type Op = 'matmul' | 'cholesky' | 'lu' | 'solve' | 'qr' | 'eigh' | 'svd';
const FLOPS: Record<Op, (n: number) => number> = {
  matmul: (n) => 2 * n ** 3, cholesky: (n) => n ** 3 / 3, lu: (n) => (2 * n ** 3) / 3, solve: (n) => (2 * n ** 3) / 3 + 2 * n * n,
  qr: (n) => (8 * n ** 3) / 3, eigh: (n) => 9 * n ** 3, svd: (n) => 21 * n ** 3,
};

function matrix(n: number, spd: boolean, f64: boolean): Typed {
  let s = 12345;
  const r = () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32 - 0.5; };
  const x = Array.from({ length: n * n }, r);
  const a = f64 ? new Float64Array(n * n) : new Float32Array(n * n);
  if (!spd) { for (let i = 0; i < n * n; i++) a[i] = x[i] + (i % (n + 1) === 0 ? 2 : 0); return a; }
  // symmetric positive definite with spread eigenvalues: (X + X^T) / 2 + diag(1..n) / 8 + n/4 I
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = (x[i * n + j] + x[j * n + i]) / 2 + (i === j ? n / 4 + i / 8 : 0);
  return a;
}
/** max |A B - C| / max |C| for row-major A [n, k], B [k, m], C [n, m] (B given as a function of (p, j)). */
function residual(n: number, k: number, m: number, A: (i: number, p: number) => number, B: (p: number, j: number) => number, C: (i: number, j: number) => number): number {
  let err = 0, scale = 0;
  const row = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    row.fill(0);
    for (let p = 0; p < k; p++) { const a = A(i, p); if (a !== 0) for (let j = 0; j < m; j++) row[j] += a * B(p, j); }
    for (let j = 0; j < m; j++) { const c = C(i, j); err = Math.max(err, Math.abs(row[j] - c)); scale = Math.max(scale, Math.abs(c)); }
  }
  return err / (scale || 1);
}

/** A library's answer for op on A (row-major n x n): the arrays the residual check needs. */
type Impl = (op: Op, a: Typed, n: number) => Typed[] | null;

/** max |X^T X - I| for X [n, n] row-major (the columns orthonormal). */
function orthoErr(X: Typed, n: number): number {
  return residual(n, n, n, (i, p) => X[p * n + i], (p, j) => X[p * n + j], (i, j) => (i === j ? 1 : 0));
}
/** max |x_ij| over i > j (lower: true) or i < j, relative to max |x|. */
function offTriangle(x: Typed, n: number, lower: boolean): number {
  let err = 0, scale = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    scale = Math.max(scale, Math.abs(x[i * n + j]));
    if (lower ? i > j : i < j) err = Math.max(err, Math.abs(x[i * n + j]));
  }
  return err / (scale || 1);
}

/**
 * The residual, and the structure the residual alone does not test (without it V = 0 passed
 * A V = V diag(w), Q = A with R = I passed Q R = A, and a full L passed L L^T = A).
 */
function check(op: Op, a: Typed, n: number, out: Typed[]): number {
  const A = (i: number, j: number) => a[i * n + j];
  const M = (x: Typed) => (i: number, j: number) => x[i * n + j];
  if (out.some((x, k) => x.length !== (op === 'solve' || (op === 'eigh' && k === 0) || (op === 'svd' && k === 1) ? n : n * n))) return Infinity;
  switch (op) {
    case 'matmul': return residual(n, n, n, A, A, M(out[0]));
    case 'cholesky': return Math.max(residual(n, n, n, M(out[0]), (p, j) => out[0][j * n + p], A), offTriangle(out[0], n, false));
    case 'lu': { const [P, L, U] = out; return residual(n, n, n, M(P), (p, j) => { let s = 0; for (let q = 0; q < n; q++) s += L[p * n + q] * U[q * n + j]; return s; }, A); }
    case 'solve': return residual(n, n, 1, A, (p) => out[0][p], () => 1);
    case 'qr': return Math.max(residual(n, n, n, M(out[0]), M(out[1]), A), orthoErr(out[0], n), offTriangle(out[1], n, true));
    case 'eigh': { const [w, V] = out; return Math.max(residual(n, n, n, A, M(V), (i, j) => V[i * n + j] * w[j]), orthoErr(V, n)); }
    case 'svd': {
      const [U, s, Vt] = out;
      const neg = s.some((v) => !(v >= 0)) ? Infinity : 0;
      return Math.max(residual(n, n, n, A, (p, j) => Vt[j * n + p], (i, j) => U[i * n + j] * s[j]), orthoErr(U, n), orthoErr(Vt, n), neg);
    }
  }
}

/** [P, L, U] with A = P L U from packed factors and the permutation (row i of P A is row perm[i] of A). */
function expandLu(packed: Typed, perm: ArrayLike<number>, n: number): Typed[] {
  const P = new Float64Array(n * n), L = new Float64Array(n * n), U = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    P[perm[i] * n + i] = 1;
    for (let j = 0; j < n; j++) { if (j < i) L[i * n + j] = packed[i * n + j]; else U[i * n + j] = packed[i * n + j]; }
    L[i * n + i] = 1;
  }
  return [P, L, U];
}

function cotangentImpl(api: any, f64: boolean): Impl {
  const { np, linalg } = api;
  return (op, a, n) => {
    const A = np.array(a, { shape: [n, n] });
    const d = (x: any) => x.dataSync() as Typed;
    switch (op) {
      case 'matmul': return [d(np.matmul(A, A))];
      case 'cholesky': return [d(linalg.cholesky(A))];
      case 'lu': { // the packed factors (as jax-js's lax.linalg.lu), expanded to [P, L, U] here
        const [packed, perm] = linalg.luFactor(A).map(d);
        return expandLu(packed, perm as unknown as ArrayLike<number>, n);
      }
      case 'solve': return [d(linalg.solve(A, np.ones([n], { dtype: f64 ? 'float64' : 'float32' })))];
      case 'qr': return linalg.qr(A).map(d);
      case 'eigh': return linalg.eigh(A).map(d);
      case 'svd': return linalg.svd(A).map(d);
    }
  };
}
function jaxjsImpl(jax: any): Impl {
  const { numpy: np, lax } = jax;
  return (op, a, n) => {
    const A = np.array(a, { shape: [n, n], dtype: np.float32 });
    const d = (x: any) => x.dataSync() as Typed;
    switch (op) {
      case 'matmul': return [d(np.matmul(A.ref, A))]; // jax-js: every use but the last takes .ref
      case 'cholesky': return [d(np.linalg.cholesky(A))];
      case 'lu': { // JAX's (lu, pivots, permutation)
        const [packed, , perm] = lax.linalg.lu(A).map(d);
        return expandLu(packed, perm, n);
      }
      case 'solve': return [d(np.linalg.solve(A, np.ones([n, 1], { dtype: np.float32 })))];
      case 'eigh': return np.linalg.eigh(A).map(d);
      case 'svd': return np.linalg.svd(A).map(d);
      default: A.dispose(); return null;
    }
  };
}
function tfjsImpl(tf: any): Impl {
  return (op, a, n) => {
    if (op === 'matmul') {
      const C = tf.tidy(() => { const A = tf.tensor(a, [n, n], 'float32'); return tf.matMul(A, A); });
      try { return [C.dataSync() as Typed]; } finally { C.dispose(); }
    }
    if (op !== 'qr') return null;
    const outs: any[] = tf.tidy(() => tf.linalg.qr(tf.tensor(a, [n, n], 'float32')));
    try { return outs.map((x) => x.dataSync() as Typed); } finally { tf.dispose(outs); }
  };
}

function timeMs(f: () => unknown, budgetMs: number): number {
  f();
  const ts: number[] = [];
  const end = performance.now() + budgetMs;
  while (performance.now() < end || ts.length < 3) { const t = performance.now(); f(); ts.push(performance.now() - t); if (ts.length >= 3 && performance.now() > end) break; }
  ts.sort((x, y) => x - y);
  return ts[ts.length >> 1];
}

export async function linalgBench(budgetMs = 600, peers: { jax?: any; tf?: any } = {}): Promise<void> {
  const api = await import('cotangent');
  const cases: [Op, number][] = [
    ['matmul', 256], ['cholesky', 256], ['lu', 256], ['solve', 256],
    ['matmul', 512], ['cholesky', 512], ['lu', 512], ['solve', 512],
    ['matmul', 1024], ['cholesky', 1024], ['lu', 1024],
    ['qr', 256], ['eigh', 256], ['svd', 256],
  ];
  const libs: [string, Impl | null][] = [
    ['jax-js', peers.jax ? jaxjsImpl(peers.jax) : null],
    ['tfjs', peers.tf ? tfjsImpl(peers.tf) : null],
  ];
  console.log(`\nLinear algebra (GFLOP/s at LAPACK's nominal FLOP counts; median of ~${budgetMs} ms; arrays in and out included;`);
  console.log('ratio = peer time / cotangent time, float32; a result is checked by its reconstruction residual first)');
  console.log('| op | n | cotangent f32 | GFLOP/s | cotangent f64 | GFLOP/s | jax-js f32 | ratio | tfjs f32 | ratio |\n|---|---|---|---|---|---|---|---|---|---|');
  for (const [op, n] of cases) {
    const cells: string[] = [];
    let mine = NaN;
    for (const f64 of [false, true]) {
      const a = matrix(n, op === 'cholesky' || op === 'eigh', f64);
      const impl = cotangentImpl(api, f64);
      const err = check(op, a, n, impl(op, a, n)!);
      if (!(err < (f64 ? 1e-9 : 1e-3))) { cells.push(`WRONG (residual or structure error ${err.toExponential(1)})`, ''); continue; }
      const t = timeMs(() => impl(op, a, n), budgetMs);
      if (!f64) mine = t;
      cells.push(`${t.toFixed(1)} ms`, (FLOPS[op](n) / t / 1e6).toFixed(2));
    }
    for (const [, impl] of libs) {
      const a = matrix(n, op === 'cholesky' || op === 'eigh', false);
      let out: Typed[] | null = null;
      try { out = impl ? impl(op, a, n) : null; } catch (e) { cells.push(`throws: ${String((e as Error).message ?? e).slice(0, 40)}`, ''); continue; }
      if (!out) { cells.push('no such op', ''); continue; }
      const err = check(op, a, n, out);
      if (!(err < 1e-3)) { cells.push(`WRONG (residual or structure error ${err.toExponential(1)})`, ''); continue; }
      const t = timeMs(() => impl!(op, a, n), budgetMs);
      cells.push(`${t.toFixed(1)} ms`, `${(t / mine).toFixed(2)}x`);
    }
    console.log(`| ${op} | ${n} | ${cells.join(' | ')} |`);
  }
}
