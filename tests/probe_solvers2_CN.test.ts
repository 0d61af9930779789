// Probe (helper CN): scipy.sparse.linalg.{cg, bicgstab, gmres} on harder systems, extreme scales,
// NaN inputs, pytrees, higher derivatives, errors and performance. References never come from
// cotangent: closed forms (a DST eigenbasis, Thomas' algorithm, Gaussian elimination and CG written
// here in plain JS float64, central differences of those) and scipy 1.17.1 / numpy 2.4 values pasted
// below (scripts in comments).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, scipy, grad, jvp, jit, vmap, jacrev, jacfwd, hessian, NDArray, ValueError, ShapeError, DTypeError, residentStats } from '../ts/index.ts';

type A = NDArray;
const { cg, bicgstab, gmres } = scipy.sparse.linalg;
const f64 = (v: unknown) => np.array(v as never, { dtype: 'float64' });
const f32 = (v: unknown) => np.array(v as never, { dtype: 'float32' });
const flat = (v: unknown): number[] => {
  const out: number[] = [];
  const walk = (x: any) => {
    if (typeof x === 'number') out.push(x);
    else if (x && typeof x === 'object' && 're' in x) out.push(x.re, x.im);
    else for (const y of x) walk(y);
  };
  walk(v);
  return out;
};
/** |got - want| <= tol * (1 + |want|) elementwise (relative for large values). */
const close = (got: unknown, want: unknown, tol: number, what = '') => {
  const g = flat(got), w = flat(want);
  assert.equal(g.length, w.length, `${what}: length`);
  g.forEach((x, i) => assert.ok(Math.abs(x - w[i]) <= tol * (1 + Math.abs(w[i])), `${what} element ${i}: ${x} vs ${w[i]}`));
};
/** relative error in the max norm */
const relErr = (got: number[], want: number[]) => Math.max(...got.map((x, i) => Math.abs(x - want[i]))) / Math.max(...want.map(Math.abs));
const msg = (re: RegExp, cls: Function) => (e: unknown) => e instanceof cls && re.test((e as Error).message);
const solvers = [['cg', cg], ['bicgstab', bicgstab], ['gmres', gmres], ['gmres incremental', (a: any, b: any, o: any = {}) => gmres(a, b, { ...o, solveMethod: 'incremental' })]] as const;
const S = (f: unknown) => f as (a: unknown, b: unknown, o?: any) => [any, any];

// ---------- plain-JS float64 references ----------
function jsSolve(A: number[][], b: number[]): number[] {
  const n = b.length, M = A.map((r, i) => [...r, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < n; r++) { const f = M[r][c] / M[c][c]; for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k]; }
  }
  const x = new Array(n).fill(0);
  for (let r = n - 1; r >= 0; r--) { let s = M[r][n]; for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k]; x[r] = s / M[r][r]; }
  return x;
}
const matvecJS = (A: number[][], x: number[]) => A.map((r) => r.reduce((s, v, j) => s + v * x[j], 0));
const transposeJS = (A: number[][]) => A[0].map((_, j) => A.map((r) => r[j]));
const dotJS = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
const nrm = (a: number[]) => Math.sqrt(dotJS(a, a));
/** 1-D Laplacian tridiag(-1, 2, -1) */
const lapJS = (v: number[]) => v.map((x, i) => 2 * x - (i > 0 ? v[i - 1] : 0) - (i < v.length - 1 ? v[i + 1] : 0));
function thomas(b: number[]): number[] { // tridiag(-1, 2, -1) x = b
  const n = b.length, c = new Array(n), d = new Array(n), x = new Array(n);
  c[0] = -1 / 2; d[0] = b[0] / 2;
  for (let i = 1; i < n; i++) { const m = 2 + c[i - 1]; c[i] = -1 / m; d[i] = (b[i] + d[i - 1]) / m; }
  x[n - 1] = d[n - 1];
  for (let i = n - 2; i >= 0; i--) x[i] = d[i] - c[i] * x[i + 1];
  return x;
}
/** textbook CG (scipy's / JAX's recurrence), stopping as JAX: rs <= max(tol |b|, atol)^2, k < maxiter */
function jsCG(Af: (v: number[]) => number[], b: number[], tol: number, atol: number, maxiter: number): { x: number[]; k: number } {
  let x = b.map(() => 0), r = [...b], p = [...r], g = dotJS(r, r), k = 0;
  const bound = Math.max(tol * tol * dotJS(b, b), atol * atol);
  while (g > bound && k < maxiter) {
    const Ap = Af(p), a = g / dotJS(p, Ap);
    x = x.map((v, i) => v + a * p[i]); r = r.map((v, i) => v - a * Ap[i]);
    const g2 = dotJS(r, r); p = r.map((v, i) => v + (g2 / g) * p[i]); g = g2; k++;
  }
  return { x, k };
}
const lap = (v: A) => {
  const n = v.shape[0], z = np.zeros([1], { dtype: v.dtype });
  return np.subtract(np.multiply(2, v), np.add(np.concatenate([z, np.slice(v, [0], [n - 1])]), np.concatenate([np.slice(v, [1], [n]), z])));
};

const A3 = [[4, 1, 0], [1, 3, 1], [0, 1, 5]], b3 = [1, 2, 3];
const x3 = jsSolve(A3, b3);

// ---------- scale: the solution scales with b (fixed here: it was 0) ----------
// float32 b = 1e-30 * [1, 2, 3]: |b|^2 = 1.4e-59 underflows to 0, so tol^2 |b|^2 = 0 = |r|^2 and the loop
// never ran (x = 0); 1e30: |b|^2 = inf, the bound inf (x = 0); float64 likewise at 1e-200, 1e200; gmres's
// _safe_normalize takes a residual norm below eps (2.2e-16) as 0, so float64 b = 1e-30 gave x = 0 too.
test('tiny and huge b (1e-30, 1e30 in float32 and float64; 1e-200, 1e200 in float64): x scales with b, no NaN, no zeros', () => {
  for (const [dt, tol] of [['float32', 1e-4], ['float64', 1e-9]] as const) {
    for (const s of dt === 'float32' ? [1e-30, 1e30, 1e-20, 1e20] : [1e-30, 1e30, 1e-200, 1e200, 1e-300]) {
      for (const [name, f] of solvers) {
        const [x, info] = S(f)(np.array(A3, { dtype: dt }), np.array(b3.map((v) => v * s), { dtype: dt }), { tol: dt === 'float32' ? 1e-6 : 1e-12 });
        assert.equal(x.dtype, dt);
        close((x.tolist() as number[]).map((v) => v / s), x3, tol, `${name} ${dt} b*${s}`);
        if (info !== null) assert.equal(info.item(), 0);
      }
    }
  }
});

test('scaling b by a power of two is exact: the partial iterates of b * 2^-100 are those of b, times 2^-100', () => {
  const A = f64(A3), b = f64(b3), s = 2 ** -100;
  for (const [name, f] of solvers) {
    const o = name.startsWith('gmres') ? { tol: 0, maxiter: 1, restart: 2 } : { tol: 0, maxiter: 2 };
    const x = S(f)(A, b, o)[0].tolist() as number[], xs = S(f)(A, np.multiply(b, s), o)[0].tolist() as number[];
    assert.deepEqual(xs, x.map((v) => v * s), name);
  }
});

// ---------- NaN / inf in b or A: x is NaN (fixed here: x0 = 0 came back silently, gmres info 0) ----------
test('NaN or inf in b or in A: x is NaN (not 0) and gmres info is -1', () => {
  const cases: [string, number[][], number[]][] = [
    ['NaN in b', A3, [1, NaN, 3]], ['inf in b', A3, [1, Infinity, 3]],
    ['NaN in A', [[4, 1, 0], [1, NaN, 1], [0, 1, 5]], b3], ['inf in A', [[4, 1, 0], [1, 3, Infinity], [0, 1, 5]], b3]];
  for (const [what, Am, bv] of cases) {
    for (const [name, f] of solvers) {
      const [x, info] = S(f)(f64(Am), f64(bv));
      assert.ok((x.tolist() as number[]).every(Number.isNaN), `${what}, ${name}: ${x.tolist()}`);
      if (info !== null) assert.equal(info.item(), -1, `${what}, ${name} info`);
    }
  }
  // under jit too, and with A a function closing over a NaN
  const W = f64([[4, 1, 0], [1, NaN, 1], [0, 1, 5]]);
  const x = jit((bb: A) => cg((v: A) => np.matmul(W, v), bb)[0])(f64(b3));
  assert.ok((x.tolist() as number[]).every(Number.isNaN));
});

// ---------- harder systems ----------
// SPD with condition 1e6: A = V diag(lambda) V^T, V the orthonormal DST-I basis, lambda_k = 10^(6k/(n-1))
test('ill-conditioned SPD (cond 1e6, n = 40): cg, bicgstab, gmres reach the closed-form solution; residual bound holds', () => {
  const n = 40;
  const V = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => Math.sqrt(2 / (n + 1)) * Math.sin(Math.PI * (i + 1) * (j + 1) / (n + 1))));
  const lam = Array.from({ length: n }, (_, k) => 10 ** (6 * k / (n - 1)));
  const Am = V.map((ri) => V.map((rj) => ri.reduce((s, v, k) => s + v * lam[k] * rj[k], 0)));
  const bv = Array.from({ length: n }, (_, i) => Math.cos(1.3 * i) + 0.5);
  const want = V.map((ri) => ri.reduce((s, v, k) => s + v * dotJS(V.map((r) => r[k]), bv) / lam[k], 0)); // V diag(1/lam) V^T b
  const tol = 1e-10;
  for (const [name, f] of solvers) {
    const o = { tol, maxiter: name.startsWith('gmres') ? 50 : 5000, ...(name.startsWith('gmres') ? { restart: 40 } : {}) };
    const x = S(f)(f64(Am), f64(bv), o)[0].tolist() as number[];
    const r = nrm(bv.map((v, i) => v - matvecJS(Am, x)[i]));
    assert.ok(r <= 100 * tol * nrm(bv), `${name}: residual ${r} vs ${tol * nrm(bv)}`); // (recursive vs true residual: drift)
    assert.ok(relErr(x, want) < 1e6 * tol * 10, `${name}: rel err ${relErr(x, want)}`);
  }
});

test('1-D Laplacian as a function A: n = 200 and n = 1000, cg vs Thomas; stopping index and iterate equal plain-JS CG', () => {
  for (const n of [200, 1000]) {
    const bv = Array.from({ length: n }, (_, i) => Math.sin(0.05 * i) + 1);
    const [x] = cg(lap, f64(bv), { tol: 1e-10 });
    assert.ok(relErr(x.tolist(), thomas(bv)) < 1e-6, `n=${n}: ${relErr(x.tolist(), thomas(bv))}`);
  }
  // the default tol 1e-5: the returned x is plain-JS CG's iterate at the first k with |r| <= tol |b|
  const n = 200, bv = Array.from({ length: n }, (_, i) => Math.sin(0.05 * i) + 1);
  for (const [tol, atol] of [[1e-5, 0], [1e-3, 0], [0, 1e-2], [1e-8, 1e-4]]) {
    const ref = jsCG(lapJS, bv, tol, atol, 10 * n), prev = jsCG(lapJS, bv, 0, 0, ref.k - 1);
    const [x] = cg(lap, f64(bv), { tol, atol });
    const got = x.tolist() as number[];
    const e = relErr(got, ref.x), ePrev = relErr(got, prev.x);
    assert.ok(e < 1e-6 && ePrev > 100 * e, `tol ${tol} atol ${atol}: k = ${ref.k}, err ${e} (k - 1: ${ePrev})`);
    assert.ok(nrm(bv.map((v, i) => v - lapJS(got)[i])) <= 1.01 * Math.max(tol * nrm(bv), atol), `residual, tol ${tol} atol ${atol}`);
  }
  // maxiter k: exactly k steps
  for (const k of [1, 17, 60]) close(cg(lap, f64(bv), { tol: 0, maxiter: k })[0].tolist(), jsCG(lapJS, bv, 0, 0, k).x, 1e-9, `maxiter ${k}`);
});

// scipy: L = tridiag(-1,2,-1) n=30, b_i = sin(0.3 i) + 0.1 i, sl.gmres(L, b, restart=5, maxiter=k, rtol=0, atol=0)
const LG5: Record<number, number[]> = {
  3: [5.828424080814189, 11.77857367241703, 17.57598457467231, 22.963623394840294, 27.74852309735727, 31.73186003822766, 34.702393057496636, 36.71199455524176, 37.87517822615879, 38.39156566705384, 38.519033146609175, 38.55328682520984, 38.800119127486, 39.5506178913154, 41.04641942711255, 43.48970443340329, 46.2452560089544, 49.4549585334977, 52.95550595233447, 56.55953033949139, 59.99397410551513, 62.942162168710915, 65.05665925874814, 66.00844454396757, 65.43503362356527, 63.248146992885474, 57.95793815884946, 48.94403590672881, 36.268455018424014, 19.917993983962514],
  7: [10.134346373393484, 20.364835766196975, 30.39571302093155, 39.94447924071785, 48.80485133679089, 56.7673614256866, 63.48607071692265, 69.0254165578884, 73.44847009933, 76.93271892414944, 79.69431386835006, 82.0007127418934, 84.11548758737251, 86.30800228469961, 88.75979108895595, 91.69727957540115, 94.64238911954432, 97.52374343959254, 100.21008673567087, 102.47792968611809, 104.02930482621869, 104.52543697212889, 103.5820517115009, 100.85222953441533, 95.93294098980323, 88.66953130098746, 78.22923453307587, 64.12299661167125, 46.37667491576748, 24.967164538344434],
};
test('gmres restart 5 < n = 30 with many restarts (Laplacian): scipy\'s iterates after 3 and 7 restarts; converged residual bound', () => {
  const n = 30, bv = Array.from({ length: n }, (_, i) => Math.sin(0.3 * i) + 0.1 * i);
  for (const solveMethod of ['batched', 'incremental'] as const) {
    for (const k of [3, 7]) close(gmres(lap, f64(bv), { restart: 5, maxiter: k, tol: 0, solveMethod })[0].tolist(), LG5[k], 1e-8, `${solveMethod} ${k} restarts`);
    const tol = 1e-8;
    const [x, info] = gmres(lap, f64(bv), { restart: 5, tol, solveMethod });
    assert.equal(info.item(), 0);
    const got = x.tolist() as number[];
    assert.ok(nrm(bv.map((v, i) => v - lapJS(got)[i])) <= tol * nrm(bv), `${solveMethod}: |r| <= tol |b|`);
    assert.ok(relErr(got, thomas(bv)) < 1e-5, `${solveMethod}: vs Thomas`);
  }
});

// scipy: n=12, A_ij = 3 d_ij + 1.5 d_{j,i+1} - 1.5 d_{j,i-1} + 0.3 sin(7i + 3j) (eigenvalues up to +-2.9i),
// b_i = cos(0.7 i + 0.2); sl.gmres(A, b, restart=4, maxiter=k, rtol=0, atol=0), sl.bicgstab(A, b, maxiter=k, rtol=0, atol=0)
const NS = {
  gm4: {
    1: [0.20562638231011443, 0.24149702194705083, 0.12484784199117616, -0.051501452614177906, -0.220891037243218, -0.2862697303431694, -0.2169690173942848, -0.04568302239050309, 0.14695771985640949, 0.256882948529857, 0.2791696906132628, 0.10777323032681521],
    2: [0.2067830957616578, 0.2407693846481602, 0.1299478691985747, -0.05478986830247062, -0.2190575190737193, -0.282752502660949, -0.213462771313938, -0.045932780313368685, 0.14609927199580178, 0.26181268534915, 0.2714914794348601, 0.11226849687596574],
    3: [0.2069998826611892, 0.24078711278355816, 0.12997289907694604, -0.05490830822681203, -0.21910934788765754, -0.2825799219468304, -0.21352904180773788, -0.04572774525823281, 0.14621005713172447, 0.2620721587416162, 0.271741664927824, 0.11218575376199037],
  } as Record<number, number[]>,
  bi: {
    1: [0.25878624635663694, 0.32252431745516197, 0.13082004669517208, -0.12215217531776985, -0.3173984233662024, -0.36320999515513824, -0.23823704357986736, -0.0014332480344848297, 0.23575811495141297, 0.36185250949612624, 0.31772247382094737, 0.04398768575987045],
    2: [0.20371307532135838, 0.2243713734585737, 0.13012481572797482, -0.04638633516113452, -0.21425376760196305, -0.2811808128537992, -0.21572037491529386, -0.04876001448376146, 0.14105441611043817, 0.2540883752387756, 0.2885101440474151, 0.11760316053104014],
    3: [0.21017914320579864, 0.2440913331375012, 0.12677271807030652, -0.0577311655789214, -0.21919630673272972, -0.2825609638499697, -0.21444725652789795, -0.0466598332042423, 0.14958257212591985, 0.2600284815139023, 0.2694601701056152, 0.11519839696371563],
  } as Record<number, number[]>,
};
const n12 = 12;
const NSm = Array.from({ length: n12 }, (_, i) => Array.from({ length: n12 }, (_, j) => (i === j ? 3 : 0) + (j === i + 1 ? 1.5 : 0) + (j === i - 1 ? -1.5 : 0) + 0.3 * Math.sin(i * 7 + j * 3)));
const NSb = Array.from({ length: n12 }, (_, i) => Math.cos(0.7 * i + 0.2));
test('nonsymmetric with complex eigenvalues (n = 12): scipy\'s bicgstab and gmres(restart 4) iterates; batched = incremental', () => {
  const A = f64(NSm), b = f64(NSb), want = jsSolve(NSm, NSb);
  for (const k of [1, 2, 3]) {
    close(bicgstab(A, b, { tol: 0, maxiter: k })[0].tolist(), NS.bi[k], 1e-9, `bicgstab ${k}`);
    const xb = gmres(A, b, { tol: 0, maxiter: k, restart: 4 })[0].tolist(), xi = gmres(A, b, { tol: 0, maxiter: k, restart: 4, solveMethod: 'incremental' })[0].tolist();
    close(xb, NS.gm4[k], 1e-9, `gmres batched ${k}`);
    close(xi, NS.gm4[k], 1e-9, `gmres incremental ${k}`);
    close(xb, xi, 1e-11, `batched vs incremental ${k}`);
  }
  for (const [name, f] of solvers.slice(1)) close(S(f)(A, b, { tol: 1e-12, ...(name === 'bicgstab' ? {} : { restart: 3 }) })[0].tolist(), want, 1e-10, name);
  // restart > n is n; restart 1 (minimal residual steps) still converges here
  close(gmres(A, b, { tol: 0, maxiter: 1, restart: 100 })[0].tolist(), gmres(A, b, { tol: 0, maxiter: 1, restart: n12 })[0].tolist(), 0, 'restart > n');
  close(gmres(A, b, { tol: 1e-12, restart: 1, maxiter: 2000 })[0].tolist(), want, 1e-9, 'restart 1');
});

test('x0 = the exact solution: returned unchanged (no step taken); b = 0 with x0 given: x0 is not a solution, 0 is reached', () => {
  const xs = f64(x3);
  for (const [name, f] of solvers) {
    const [x] = S(f)(f64(A3), f64(b3), { x0: xs });
    assert.deepEqual(x.tolist(), xs.tolist(), name);
    const [z] = S(f)(f64(A3), f64([0, 0, 0]), { x0: f64([1, 2, 3]), atol: 1e-12 });
    close(z.tolist(), [0, 0, 0], 1e-10, `${name} b = 0`);
  }
});

// ---------- pytrees ----------
test('pytrees: nested dict/list b of different shapes, x0 as a tree, M a function of the tree; complex tree', () => {
  // A on the tree = the 7x7 SPD P below applied to the packed leaves
  const n = 7, P = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 6 + i : 0) + 1 / (1 + i + j)));
  const pack = (t: any) => np.concatenate([t.a, np.ravel(t.c[0]), np.ravel(t.c[1])]);
  const unpack = (z: A) => ({ a: np.slice(z, [0], [2]), c: [np.slice(z, [2], [3]), np.reshape(np.slice(z, [3], [7]), [2, 2])] });
  const Pa = f64(P), Af = (t: any) => unpack(np.matmul(Pa, pack(t)));
  const bv = [0.3, -1, 2, 0.5, -0.25, 1.5, 0.75], want = jsSolve(P, bv);
  const bt = unpack(f64(bv)), x0 = unpack(f64([1, 1, 1, 1, 1, 1, 1]));
  const d = f64(P.map((r, i) => r[i])), Mf = (t: any) => unpack(np.divide(pack(t), d));
  for (const [name, f] of solvers) {
    const [x] = S(f)(Af, bt, { tol: 1e-12, x0, M: Mf });
    assert.deepEqual(x.c[1].shape, [2, 2]); assert.deepEqual(x.c[0].shape, [1]);
    close(pack(x).tolist(), want, 1e-10, name);
    // maxiter 0 with a tree x0: x0 back
    close(pack(S(f)(Af, bt, { x0, maxiter: 0 })[0]).tolist(), [1, 1, 1, 1, 1, 1, 1], 0, `${name} maxiter 0`);
  }
  // complex tree: A = diag(2+i, 3, 4-2i) on { p: [2], q: [] }... bicgstab / gmres; cg with Hermitian PD diag(2, 3, 5) + i-coupling
  const c = (re: number, im: number) => ({ re, im });
  const bc = { p: np.array([c(1, 2), c(-1, 0.5)] as never, { dtype: 'complex128' }), q: np.array(c(0.25, -3) as never, { dtype: 'complex128' }) };
  const dg = np.array([c(2, 1), c(3, 0), c(4, -2)] as never, { dtype: 'complex128' });
  const Ad = (t: any) => { const z = np.multiply(dg, np.concatenate([t.p, np.reshape(t.q, [1])])); return { p: np.slice(z, [0], [2]), q: np.reshape(np.slice(z, [2], [3]), []) }; };
  // closed form: b_k / d_k
  const div = (a: [number, number], b: [number, number]) => { const m = b[0] ** 2 + b[1] ** 2; return [(a[0] * b[0] + a[1] * b[1]) / m, (a[1] * b[0] - a[0] * b[1]) / m]; };
  const wantC = [div([1, 2], [2, 1]), div([-1, 0.5], [3, 0]), div([0.25, -3], [4, -2])];
  for (const [name, f] of solvers.slice(1)) {
    const [x] = S(f)(Ad, bc, { tol: 1e-12 });
    assert.equal(x.q.dtype, 'complex128'); assert.deepEqual(x.q.shape, []);
    close([x.p.tolist(), x.q.tolist()], wantC, 1e-12, `complex tree ${name}`);
  }
  const Hd = np.array([c(2, 0), c(3, 0), c(5, 0)] as never, { dtype: 'complex128' });
  const Ah = (t: any) => { const z = np.multiply(Hd, np.concatenate([t.p, np.reshape(t.q, [1])])); return { p: np.slice(z, [0], [2]), q: np.reshape(np.slice(z, [2], [3]), []) }; };
  const [xh] = cg(Ah, bc, { tol: 1e-12 });
  close([xh.p.tolist(), xh.q.tolist()], [div([1, 2], [2, 0]), div([-1, 0.5], [3, 0]), div([0.25, -3], [5, 0])], 1e-12, 'complex tree cg');
});

// ---------- derivatives ----------
const wts = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const loss = (x: A) => np.sum(np.add(np.square(x), np.multiply(np.arange(1, x.shape[0] + 1, { dtype: x.dtype }), x)));
const jsLoss = (x: number[]) => x.reduce((s, v, i) => s + v * v + (i + 1) * v, 0);
// SPD and nonsymmetric 4x4
const Sp = [[5, 1, 0.5, 0], [1, 4, 0.2, 0.3], [0.5, 0.2, 6, 1], [0, 0.3, 1, 3]];
const Np = [[4, 1.5, -0.5, 0], [-1, 3, 0.2, 1], [0.5, -2, 5, 0.7], [0.3, 0, -1, 2.5]];
const bp = [0.7, -1.2, 0.4, 2];
const inv = (M: number[][]) => transposeJS(M.map((_, j) => jsSolve(M, M.map((__, i) => (i === j ? 1 : 0)))));
/** closed-form d loss / dA = -A^-T (2x + w) x^T, x = A^-1 b */
const gradA = (M: number[][], b: number[]) => {
  const x = jsSolve(M, b), g = x.map((v, i) => 2 * v + (i + 1)), lam = jsSolve(transposeJS(M), g);
  return lam.map((l) => x.map((xv) => -l * xv));
};

test('hessian of a scalar loss in b (second order through the implicit rule): 2 A^-T A^-1', () => {
  for (const [name, Mm, f] of [['cg', Sp, cg], ['bicgstab', Np, bicgstab], ['gmres', Np, gmres]] as const) {
    const Ai = inv(Mm), H = transposeJS(Ai).map((r) => transposeJS(Ai).map((c) => 2 * dotJS(r, c))); // 2 (A^-T)(A^-T)^T
    const A = f64(Mm), fl = (bb: A) => loss(S(f)(A, bb, { tol: 1e-12 })[0]);
    close(hessian(fl)(f64(bp)).tolist(), H, 1e-9, `${name} hessian`);
    close(jacfwd(jacrev(fl))(f64(bp)).tolist(), H, 1e-9, `${name} jacfwd(jacrev)`);
    close(jacrev(jacrev(fl))(f64(bp)).tolist(), H, 1e-9, `${name} jacrev(jacrev)`);
  }
});

test('hessian in a closed-over matrix W (16 x 16) vs central differences of the closed-form gradient; d2/dt2 for A = A0 + t I', () => {
  for (const [name, Mm, f] of [['bicgstab', Np, bicgstab], ['gmres', Np, gmres], ['cg', Sp, cg]] as const) {
    const fl = (W: A) => loss(S(f)((v: A) => np.matmul(W, v), f64(bp), { tol: 1e-13 })[0]);
    if (name !== 'cg') { // (cg's symmetric rule needs W symmetric; a general perturbation is not)
      const h = 1e-5;
      const want = Mm.flatMap((r, i) => [r.map((_, j) => {
        const P = Mm.map((rr) => [...rr]), Q = Mm.map((rr) => [...rr]); P[i][j] += h; Q[i][j] -= h;
        const gp = gradA(P, bp), gq = gradA(Q, bp);
        return gp.map((rr, a) => rr.map((v, bb) => (v - gq[a][bb]) / (2 * h)));
      })]);
      const got = hessian(fl)(f64(Mm)).tolist();
      close(got, want, 1e-6, `${name} hessian in W`);
    }
    // scalar t
    const lt = (t: A) => loss(S(f)((v: A) => np.add(np.matmul(f64(Mm), v), np.multiply(t, v)), f64(bp), { tol: 1e-13 })[0]);
    const Lt = (t: number) => jsLoss(jsSolve(Mm.map((r, i) => r.map((v, j) => v + (i === j ? t : 0))), bp));
    const h = 1e-3, t0 = 0.3;
    const d1 = (Lt(t0 + h) - Lt(t0 - h)) / (2 * h), d2 = (Lt(t0 + h) - 2 * Lt(t0) + Lt(t0 - h)) / (h * h);
    close(grad(lt)(f64(t0)).item(), d1, 1e-5, `${name} d/dt`);
    close(grad(grad(lt))(f64(t0)).item(), d2, 1e-5, `${name} d2/dt2`);
    close(jit(grad(grad(lt)))(f64(t0)).item(), d2, 1e-5, `${name} jit d2/dt2`);
  }
});

test('vmap(grad) and grad(vmap) in b, jit(grad) in A, float32 grads; jvp with a tiny tangent (gmres: was 0)', () => {
  const B = [bp, bp.map((v) => -2 * v + 1), bp.map((v, i) => v * i)];
  const fdB = (M: number[][], b: number[]) => { // closed form: A^-T (2x + w)
    const x = jsSolve(M, b); return jsSolve(transposeJS(M), x.map((v, i) => 2 * v + (i + 1)));
  };
  for (const [name, Mm, f] of [['cg', Sp, cg], ['bicgstab', Np, bicgstab], ['gmres', Np, gmres], ['gmres incremental', Np, solvers[3][1]]] as const) {
    const A = f64(Mm), fl = (bb: A) => loss(S(f)(A, bb, { tol: 1e-12 })[0]);
    close(vmap(grad(fl))(f64(B)).tolist(), B.map((b) => fdB(Mm, b)), 1e-9, `${name} vmap(grad)`);
    close(grad((BB: A) => np.sum(vmap(fl)(BB)))(f64(B)).tolist(), B.map((b) => fdB(Mm, b)), 1e-9, `${name} grad(vmap)`);
    if (name !== 'cg') close(jit(grad((W: A) => loss(S(f)(W, f64(bp), { tol: 1e-12 })[0])))(A).tolist(), gradA(Mm, bp), 1e-9, `${name} jit(grad) A`);
    // float32: gradient to float32 accuracy, stays float32
    const g32 = grad((bb: A) => loss(S(f)(f32(Mm), bb, { tol: 1e-6 })[0]))(f32(bp));
    assert.equal(g32.dtype, 'float32');
    close(g32.tolist(), fdB(Mm, bp), 1e-4, `${name} float32 grad`);
    // jvp with a tangent 1e-12 of b's size: x_dot = A^-1 b_dot, not 0 (gmres's tangent solve used b's tolerance)
    const dir = [1, -1, 0.5, 2].map((v) => 1e-12 * v);
    const [, t] = jvp((bb: A) => S(f)(A, bb, { tol: 1e-5 })[0], [f64(bp)], [f64(dir)]);
    close((t.tolist() as number[]).map((v) => v * 1e12), jsSolve(Mm, dir).map((v) => v * 1e12), 1e-4, `${name} jvp tiny tangent`);
  }
});

test('complex b: grad of sum |x|^2 is conj(2 A^-H x) (README convention: conjugate of steepest ascent), = FD d/dRe - i d/dIm', () => {
  // A = Np + i K (general complex), via the real embedding [[Ar, -Ai], [Ai, Ar]]
  const K = [[0.5, 0, 1, 0], [0, -0.3, 0, 0.2], [0.4, 0, 0.1, 0], [0, 1, 0, -0.6]];
  const n = 4, emb = (Ar: number[][], Ai: number[][]) => [...Ar.map((r, i) => [...r, ...Ai[i].map((v) => -v)]), ...Ai.map((r, i) => [...r, ...Ar[i]])];
  const E = emb(Np, K), bre = bp, bim = [0.1, 0.2, -0.3, 0.4];
  const Lc = (re: number[], im: number[]) => { const z = jsSolve(E, [...re, ...im]); return dotJS(z, z); };
  const h = 1e-6;
  const want = bre.map((_, k) => {
    const dre = (Lc(bre.map((v, i) => v + (i === k ? h : 0)), bim) - Lc(bre.map((v, i) => v - (i === k ? h : 0)), bim)) / (2 * h);
    const dim = (Lc(bre, bim.map((v, i) => v + (i === k ? h : 0))) - Lc(bre, bim.map((v, i) => v - (i === k ? h : 0)))) / (2 * h);
    return { re: dre, im: -dim };
  });
  // closed form: y = A^-H x (A^H = Ar^T - i Ai^T), grad = conj(2 y)
  const z = jsSolve(E, [...bre, ...bim]);
  const y = jsSolve(emb(transposeJS(Np), transposeJS(K).map((r) => r.map((v) => -v))), z);
  close(want.map((w) => [w.re, w.im]), y.slice(0, n).map((v, i) => [2 * v, -2 * y[n + i]]), 1e-6, 'FD vs closed form');
  const Ac = np.add(f64(Np).astype('complex128'), np.multiply(np.array({ re: 0, im: 1 } as never, { dtype: 'complex128' }), f64(K)));
  const bc = np.add(f64(bre).astype('complex128'), np.multiply(np.array({ re: 0, im: 1 } as never, { dtype: 'complex128' }), f64(bim)));
  for (const [name, f] of solvers.slice(1)) {
    const g = grad((bb: A) => { const [x] = S(f)(Ac, bb, { tol: 1e-12 }); return np.sum(np.real(np.multiply(x, np.conj(x)))); })(bc);
    close(g.tolist(), y.slice(0, n).map((v, i) => [2 * v, -2 * y[n + i]]), 1e-8, `${name} complex grad`);
  }
});

// ---------- errors and edge cases ----------
test('errors and edge cases: snake_case options, positional x0, shapes, dtypes; singular A bounded by maxiter; empty b', () => {
  const A = f64(A3), b = f64(b3);
  assert.throws(() => gmres(A, b, { solve_method: 'incremental' } as never), msg(/gmres: unknown option 'solve_method'.*'solveMethod'/, ValueError));
  assert.throws(() => cg(A, b, { max_iter: 3 } as never), msg(/cg: unknown option 'max_iter'/, ValueError));
  assert.throws(() => (cg as any)(A, b, f64([0, 0, 0])), msg(/cg:.*give x0 as \{ x0 \}/, ValueError));
  assert.throws(() => (cg as any)(A, b, f64([0, 0, 0]), 1e-5), msg(/cg: takes \(A, b, options\), got 4 arguments/, ValueError));
  assert.throws(() => cg(f64([[1, 2, 3], [4, 5, 6]]), f64([1, 2])), msg(/cg: A must be a square matrix/, ShapeError));
  assert.throws(() => bicgstab(A, f64([1, 2])), msg(/bicgstab: A is \[3,3\] and b is \[2\]/, ShapeError));
  assert.throws(() => gmres(A, b, { M: f64(np.eye(4).tolist()) }), msg(/gmres: M is \[4,4\] and b is \[3\]/, ShapeError));
  assert.throws(() => cg((v: A) => np.matmul(A, v).astype('complex128'), b), msg(/cg: A's output leaf 0 is complex128\[3\].*complex b/, DTypeError));
  assert.throws(() => cg(A, np.array([1, 2, 3], { dtype: 'int32' })), msg(/cg: b leaf 0 is int32/, DTypeError));
  assert.throws(() => cg(A, { u: b, v: b.astype('float32') } as never), msg(/cg: b's leaves must share one dtype/, DTypeError));
  assert.throws(() => gmres(A, b, { restart: 1.5 }), msg(/gmres: restart must be an integer >= 1/, ValueError));
  assert.throws(() => cg(A, b, { maxiter: -1 }), msg(/cg: maxiter must be an integer >= 0/, ValueError));
  // empty b: x is empty (cg and bicgstab threw np.max's zero-size error after the scaling fix; guarded)
  for (const [name, f] of solvers) assert.deepEqual(S(f)((v: A) => v, f64([]))[0].shape, [0], name);
  // a 0-d b with a function A
  for (const [name, f] of solvers) close(S(f)((v: A) => np.multiply(v, 4), f64(2))[0].item(), 0.5, 1e-12, name);
  // singular inconsistent A: returns after maxiter (no hang); gmres's info is an int32 scalar
  const Z = f64([[1, 1, 0], [1, 1, 0], [0, 0, 5]]);
  const t0 = performance.now();
  for (const [, f] of solvers) { const [x, info] = S(f)(Z, b, { maxiter: 50 }); assert.deepEqual(x.shape, [3]); if (info !== null) assert.ok([0, -1].includes(info.item())); }
  assert.ok(performance.now() - t0 < 20000);
  // singular consistent (b in the range): cg finds a solution
  const [xs] = cg(Z, f64([1, 1, 5]), { tol: 1e-12 });
  close(matvecJS([[1, 1, 0], [1, 1, 0], [0, 0, 5]], xs.tolist()), [1, 1, 5], 1e-10, 'consistent singular');
});

// ---------- performance ----------
test('performance: cg on the n = 1000 Laplacian, 500 iterations eagerly and under jit; memory flat over 200 calls', () => {
  const n = 1000, bv = f64(Array.from({ length: n }, (_, i) => Math.sin(0.01 * i) + 1));
  let t = performance.now();
  const [x] = cg(lap, bv, { tol: 0, maxiter: 500 });
  const eager = performance.now() - t;
  const want = jsCG(lapJS, bv.tolist() as number[], 0, 0, 500).x;
  assert.ok(relErr(x.tolist(), want) < 1e-8, `500 steps vs plain JS: ${relErr(x.tolist(), want)}`);
  const jf = jit((bb: A) => cg(lap, bb, { tol: 0, maxiter: 500 })[0]);
  t = performance.now(); jf(bv); const first = performance.now() - t;
  t = performance.now(); close(jf(bv).tolist(), x.tolist(), 1e-12, 'jit'); const second = performance.now() - t;
  console.log(`# cg n=1000, 500 its: eager ${eager.toFixed(0)} ms, jit first ${first.toFixed(0)} ms, jit again ${second.toFixed(0)} ms`);
  assert.ok(eager < 10000 && first < 5000 && second < 1000, `${eager} ${first} ${second}`);
  const g = jit((bb: A) => gmres(lap, bb, { tol: 1e-6, restart: 10, maxiter: 3 })[0]);
  for (let i = 0; i < 20; i++) { jf(bv); g(bv); }
  const r0 = residentStats() as any, h0 = process.memoryUsage();
  for (let i = 0; i < 200; i++) { jf(bv); g(bv); }
  const r1 = residentStats() as any, h1 = process.memoryUsage();
  console.log(`# 200 calls: rss ${((h1.rss - h0.rss) / 1e6).toFixed(1)} MB, heap ${((h1.heapUsed - h0.heapUsed) / 1e6).toFixed(1)} MB, resident ${JSON.stringify(r0)} -> ${JSON.stringify(r1)}`);
  assert.ok(h1.rss - h0.rss < 100e6, 'rss growth');
});
