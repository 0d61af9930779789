// The conformance script every runtime runs: Node, Deno, Chromium (the plain bundle and a
// Vite-built app) and workerd. Plain JavaScript with no imports, so each host hands in the API
// it imported (`cotangent`, `cotangent/workerd`, ...) and serves this file as it is.
//
// Each check computes cotangent's answer and the closed-form answer (plain JS float64 math)
// and compares them; nothing is hard-coded but the inputs. A check that throws fails with the
// error's message. Hosts assert that every check in CHECK_NAMES ran and passed.

/** The names of the checks, in order: hosts compare against this list (none may go missing). */
export const CHECK_NAMES = [
  'grad(grad(grad(tanh)))(2) float64',
  'grad(grad(grad(tanh)))(2.0) float32 (the default dtype)',
  'vjp of 3x^2 at ones(2,2), cotangent ones',
  'jvp of sin, float64',
  'linearize of exp, float64',
  'valueAndGrad of sum(log(x) exp(x)), float64',
  'grad of sum(tanh(x W + b)) in W and b, float64',
  'matmul float64 3x4 @ 4x2',
  'matmul float32 33x17 @ 17x9 (SIMD edges)',
  'a shape error is a ShapeError and the next call works',
];

/**
 * Runs every check against `api` (the module namespace of a cotangent entry).
 * @returns {{ checks: { name: string, ok: boolean, detail: string }[], firstResultAt: number, build: string }}
 *   firstResultAt: performance.now() when the first check had its answer (for start-up times);
 *   build: the module the entry loaded (wasmBuild(): 'simd' or 'relaxed-simd').
 */
export function runConformance(api) {
  const checks = [];
  let firstResultAt = NaN;
  const bodies = [
    gradTanhF64, gradTanhF32, vjpSquare, jvpSin, linearizeExp, valueAndGradLogExp, gradLayer,
    matmulF64, matmulF32, shapeError,
  ];
  bodies.forEach((body, i) => {
    let ok = false;
    let detail;
    try {
      detail = body(api);
      ok = true;
    } catch (err) {
      detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
    if (i === 0) firstResultAt = performance.now();
    checks.push({ name: CHECK_NAMES[i], ok, detail });
  });
  let build;
  try {
    build = api.wasmBuild();
  } catch (err) {
    build = `wasmBuild() failed: ${err instanceof Error ? err.message : String(err)}`;
  }
  return { checks, firstResultAt, build };
}

// ---------------------------------------------------------------------------------------------
// Helpers: comparisons throw with the worst element, so a failure says what was wrong.

/** Largest |got - want| / max(|want|, 1) over the elements; throws if above tol. */
function close(what, got, want, tol) {
  const g = Array.from(got).map(Number);
  const w = Array.from(want).map(Number);
  if (g.length !== w.length) throw new Error(`${what}: ${g.length} values, expected ${w.length}`);
  let worst = 0;
  let at = 0;
  for (let i = 0; i < w.length; i++) {
    const e = Math.abs(g[i] - w[i]) / Math.max(Math.abs(w[i]), 1);
    if (!(e <= worst)) {
      worst = Number.isNaN(e) ? Infinity : e;
      at = i;
    }
  }
  if (!(worst <= tol)) throw new Error(`${what}[${at}] = ${g[at]}, expected ${w[at]} (error ${worst.toExponential(2)} > ${tol})`);
  return `${what}: max rel. error ${worst.toExponential(1)}`;
}

function expectShape(what, x, shape) {
  if (JSON.stringify(x.shape) !== JSON.stringify(shape)) throw new Error(`${what}: shape [${x.shape}], expected [${shape}]`);
}

function expectDtype(what, x, dtype) {
  if (x.dtype !== dtype) throw new Error(`${what}: dtype ${x.dtype}, expected ${dtype}`);
}

/** Deterministic inputs in [-1, 1) (a small LCG: the same numbers in every runtime). */
function values(n, seed) {
  const out = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Row-major (m x k) @ (k x n) in float64. */
function matmulRef(a, b, m, k, n) {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) c[i * n + j] += a[i * k + p] * b[p * n + j];
  return c;
}

/** Third derivative of tanh: with t = tanh x, s = 1 - t^2: -2 s^2 + 4 t^2 s. */
function tanh3(x) {
  const t = Math.tanh(x);
  const s = 1 - t * t;
  return -2 * s * s + 4 * t * t * s;
}

// ---------------------------------------------------------------------------------------------
// The checks

function gradTanhF64({ np, grad }) {
  const g = grad(grad(grad(np.tanh)))(np.array(2, { dtype: 'float64' }));
  expectDtype('g3', g, 'float64');
  return close('g3', [g.item()], [tanh3(2)], 1e-12);
}

function gradTanhF32({ np, grad }) {
  const g = grad(grad(grad(np.tanh)))(2.0);
  expectDtype('g3', g, 'float32');
  return close('g3', [g.item()], [tanh3(2)], 1e-5);
}

function vjpSquare({ np, vjp }) {
  const x = np.ones([2, 2]);
  const [y, pullback] = vjp((v) => np.multiply(3, np.multiply(v, v)), x);
  const [ct] = pullback(np.ones([2, 2]));
  expectShape('ct', ct, [2, 2]);
  close('y', y.dataSync(), [3, 3, 3, 3], 0);
  return close('ct', ct.dataSync(), [6, 6, 6, 6], 0);
}

function jvpSin({ np, jvp }) {
  const x = [0.5, 1, 2, -3];
  const t = [1, 2, 3, 4];
  const f64 = (a) => np.array(a, { dtype: 'float64' });
  const [y, ty] = jvp(np.sin, [f64(x)], [f64(t)]);
  close('sin x', y.dataSync(), x.map(Math.sin), 1e-14);
  return close('cos(x) t', ty.dataSync(), x.map((v, i) => Math.cos(v) * t[i]), 1e-14);
}

function linearizeExp({ np, linearize }) {
  const x = [-1, 0, 0.5, 2];
  const [y, f] = linearize(np.exp, np.array(x, { dtype: 'float64' }));
  close('exp x', y.dataSync(), x.map(Math.exp), 1e-14);
  const t = [2, -1, 3, 0.25];
  return close('exp(x) t', f(np.array(t, { dtype: 'float64' })).dataSync(), x.map((v, i) => Math.exp(v) * t[i]), 1e-14);
}

function valueAndGradLogExp({ np, valueAndGrad }) {
  const x = [0.5, 1.5, 3];
  const [v, g] = valueAndGrad((a) => np.sum(np.multiply(np.log(a), np.exp(a))))(np.array(x, { dtype: 'float64' }));
  close('value', [v.item()], [x.reduce((s, a) => s + Math.log(a) * Math.exp(a), 0)], 1e-14);
  return close('grad', g.dataSync(), x.map((a) => Math.exp(a) * (1 / a + Math.log(a))), 1e-13);
}

function gradLayer({ np, grad }) {
  const [m, k, n] = [2, 3, 2];
  const x = values(m * k, 1), W = values(k * n, 2), b = values(n, 3);
  const f64 = (data, shape) => np.array(data, { dtype: 'float64', shape });
  const loss = (W_, b_) => np.sum(np.tanh(np.add(np.dot(f64(x, [m, k]), W_), b_)));
  const [dW, db] = grad(loss, { argnums: [0, 1] })(f64(W, [k, n]), f64(b, [n]));
  // d/dz sum(tanh z) = 1 - tanh(z)^2 =: s; dW = x^T s, db = column sums of s.
  const z = matmulRef(x, W, m, k, n).map((v, i) => v + b[i % n]);
  const s = z.map((v) => 1 - Math.tanh(v) ** 2);
  const xT = new Float64Array(k * m);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) xT[p * m + i] = x[i * k + p];
  expectShape('dW', dW, [k, n]);
  close('dW', dW.dataSync(), matmulRef(xT, s, k, m, n), 1e-13);
  return close('db', db.dataSync(), [0, 1].map((j) => s[j] + s[n + j]), 1e-13);
}

function matmulCase(np, m, k, n, dtype, tol) {
  const a = values(m * k, 11), b = values(k * n, 12);
  const A = np.array(dtype === 'float64' ? a : Float32Array.from(a), { dtype, shape: [m, k] });
  const B = np.array(dtype === 'float64' ? b : Float32Array.from(b), { dtype, shape: [k, n] });
  const C = np.matmul(A, B);
  expectShape('C', C, [m, n]);
  expectDtype('C', C, dtype);
  // The reference uses the float32-rounded inputs, so only the sum's rounding differs.
  const round = dtype === 'float64' ? (v) => v : Math.fround;
  return close('C', C.dataSync(), matmulRef(a.map(round), b.map(round), m, k, n), tol);
}

function matmulF64({ np }) {
  return matmulCase(np, 3, 4, 2, 'float64', 1e-14);
}

function matmulF32({ np }) {
  return matmulCase(np, 33, 17, 9, 'float32', 1e-5);
}

function shapeError({ np, ShapeError, CotangentError }) {
  let caught;
  try {
    np.add(np.ones([2]), np.ones([3]));
  } catch (err) {
    caught = err;
  }
  if (!(caught instanceof ShapeError) || !(caught instanceof CotangentError)) {
    throw new Error(`np.add([2], [3]) threw ${caught === undefined ? 'nothing' : String(caught)}, expected a ShapeError`);
  }
  close('after the error', np.add(np.ones([2]), 1).dataSync(), [2, 2], 0);
  return `ShapeError: ${caught.message}`;
}
