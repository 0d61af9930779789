// Transform semantics and composition, against closed forms computed with JS Math in float64.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, valueAndGrad, jvp, vjp, vjpWithAux, linearize, linearizeWithAux, NDArray, TracerError } from 'cotangent';

const f64 = (xs: number[] | number) => (typeof xs === 'number' ? np.array(xs, { dtype: 'float64' }) : np.array(xs, { dtype: 'float64' }));
const num = (x: any) => Number(x.item());
function close(got: any, want: number | number[], tol = 1e-12, msg = '') {
  const g = got instanceof NDArray ? Array.from(got.dataSync(), Number) : [got].flat();
  const w = [want].flat();
  assert.equal(g.length, w.length, `${msg}: length`);
  g.forEach((v, i) => assert.ok(Math.abs(v - w[i]) <= tol * Math.max(1, Math.abs(w[i])), `${msg}[${i}]: got ${v}, want ${w[i]}`));
}

test('grad of grad of grad of tanh matches closed forms (float64)', () => {
  const x = 0.7, t = Math.tanh(x), s = 1 - t * t;
  close(grad(np.tanh)(f64(x)), s);
  close(grad(grad(np.tanh))(f64(x)), -2 * t * s);
  close(grad(grad(grad(np.tanh)))(f64(x)), -2 * s * s + 4 * t * t * s);
  close(grad(grad(grad(grad(np.sin))))(f64(x)), Math.sin(x));
});

test('jvp of grad (forward-over-reverse) equals grad of grad', () => {
  const f = (x: any) => np.sum(np.multiply(np.sin(x), np.exp(x)));
  const x = f64([0.1, -0.4, 1.3]), v = f64([1, 2, -1]);
  const [, hv] = jvp(grad(f), [x], [v]);
  // d2/dx2 sin(x) e^x = 2 cos(x) e^x, diagonal Hessian.
  close(hv, [0.1, -0.4, 1.3].map((xi, i) => 2 * Math.cos(xi) * Math.exp(xi) * [1, 2, -1][i]));
  const rr = grad((y: any) => np.vdot(grad(f)(y), v))(x);
  close(rr, Array.from(hv.dataSync()));
});

test('grad with argnums list, pytrees and hasAux', () => {
  const f = (p: any, c: any) => {
    const y = np.add(np.sum(np.multiply(p.w, p.w)), np.multiply(p.b[0], c));
    return [y, { note: 'aux', y2: np.multiply(y, 2) }];
  };
  const p = { w: f64([1, 2]), b: [f64(3)] };
  const c = f64(5);
  const [g, aux] = grad(f, { argnums: [0, 1], hasAux: true })(p, c);
  close(g[0].w, [2, 4]);
  close(g[0].b[0], 5);
  close(g[1], 3);
  assert.equal(aux.note, 'aux');
  close(aux.y2, 2 * (1 + 4 + 15));
  const [[v, aux2], g2] = valueAndGrad(f, { hasAux: true })(p, c);
  close(v, 20);
  close(aux2.y2, 40);
  close(g2.w, [2, 4]);
});

test('JS numbers are accepted everywhere and default to float32', () => {
  const g = grad((x: any) => np.multiply(x, x))(3);
  assert.equal(g.dtype, 'float32');
  close(g, 6, 0);
  const [y, t] = jvp((x: any) => np.multiply(2, x), [1.5], [1]);
  close(y, 3, 0); close(t, 2, 0);
});

test('closures over outer tracers are constants of the inner transform (no perturbation confusion)', () => {
  // d/dx [ x * d/dy (x + y) ] = d/dx [ x ] = 1 (Siskind and Pearlmutter's example).
  const d = grad((x: any) => np.multiply(x, grad((y: any) => np.add(x, y))(x)))(f64(2));
  close(d, 1);
  // Same argument twice gets two independent tangents.
  const [gx, gy] = grad((x: any, y: any) => np.multiply(x, np.multiply(y, y)), { argnums: [0, 1] })(f64(3), f64(3));
  close(gx, 9); close(gy, 18);
});

test('vjp returns a reusable pullback; vjp of non-scalar outputs and pytrees', () => {
  const f = (x: any) => ({ a: np.sin(x), b: np.multiply(x, x) });
  const x = f64([0.3, 0.9]);
  const [out, pull] = vjp(f, x);
  close(out.a, [Math.sin(0.3), Math.sin(0.9)]);
  const [ct1] = pull({ a: f64([1, 0]), b: f64([0, 1]) });
  close(ct1, [Math.cos(0.3), 1.8]);
  const [ct2] = pull({ a: f64([0, 1]), b: f64([1, 0]) }); // called again after other work
  close(ct2, [0.6, Math.cos(0.9)]);
});

test('linearize evaluates the JVP at many tangents without re-tracing', () => {
  let calls = 0;
  const f = (x: any) => { calls++; return np.exp(np.multiply(2, x)); };
  const [y, lin] = linearize(f, f64([0, 1]));
  close(y, [1, Math.exp(2)]);
  close(lin(f64([1, 1])), [2, 2 * Math.exp(2)]);
  close(lin(f64([0.5, 0])), [1, 0]);
  assert.equal(calls, 1);
});

test('vjpWithAux and linearizeWithAux (JAX has_aux): the aux is returned as is, the linear maps see the output only', () => {
  const f = (x: any, y: any) => { const s = np.sin(np.multiply(x, y)); return [s, { s, n: 3, y }] as const; };
  const x = f64([0.3, 0.9]), y = f64([2, -1]);
  const [out, pull, aux] = vjpWithAux(f, x, y);
  close(out, [Math.sin(0.6), Math.sin(-0.9)]);
  close(aux.s, [Math.sin(0.6), Math.sin(-0.9)]);
  assert.equal(aux.n, 3);
  close(aux.y, [2, -1]);
  const [cx, cy] = pull(f64([1, 1]));
  close(cx, [2 * Math.cos(0.6), -Math.cos(-0.9)]);
  close(cy, [0.3 * Math.cos(0.6), 0.9 * Math.cos(-0.9)]);
  let calls = 0;
  const g = (x: any) => { calls++; const e = np.exp(np.multiply(2, x)); return [e, np.sum(e)] as const; };
  const [yl, jf, auxl] = linearizeWithAux(g, f64([0, 1]));
  close(yl, [1, Math.exp(2)]);
  close(auxl, 1 + Math.exp(2));
  close(jf(f64([1, 1])), [2, 2 * Math.exp(2)]);
  close(jf(f64([0.5, 0])), [1, 0]);
  assert.equal(calls, 1);
  // a function that does not return [output, aux] is told so
  assert.throws(() => linearizeWithAux((x: any) => np.sin(x) as any, f64([1])), /linearizeWithAux.*aux/s);
});

test('grad of a function that ignores its input is zero; grad of a constant output', () => {
  close(grad((x: any) => np.sum(np.ones([3])))(f64([1, 2])), [0, 0]);
  const [, t] = jvp(() => 5, [f64(1)], [f64(1)]);
  close(t, 0);
});

test('broadcasting, sums and matmul differentiate with the right shapes', () => {
  const A = f64([[1, 2], [3, 4], [5, 6]]);
  const b = f64([10, 20]);
  const g = grad((A: any, b: any) => np.sum(np.multiply(np.add(A, b), np.add(A, b))), { argnums: [0, 1] })(A, b);
  assert.deepEqual(g[0].shape, [3, 2]);
  assert.deepEqual(g[1].shape, [2]);
  close(g[1], [2 * (11 + 13 + 15), 2 * (22 + 24 + 26)]);
  const M = f64([[1, 2], [3, 4]]), v = f64([1, -1]);
  const gm = grad((M: any) => np.sum(np.matmul(M, v)))(M);
  close(gm, [1, -1, 1, -1]);
  const ks = grad((x: any) => np.sum(np.sum(x, { axis: 1, keepdims: true })))(f64([[1, 2], [3, 4]]));
  close(ks, [1, 1, 1, 1]);
});

test('float32 and float64 mix by JAX promotion; gradients keep the input dtype', () => {
  const g = grad((x: any, y: any) => np.sum(np.multiply(x, y)), { argnums: [0, 1] })(np.array([1, 2]), f64([3, 4]));
  assert.equal(g[0].dtype, 'float32');
  assert.equal(g[1].dtype, 'float64');
  close(g[0], [3, 4]); close(g[1], [1, 2]);
});

test('a tracer that escapes its transform gives a TracerError, and the library keeps working', () => {
  let leaked: any;
  grad((x: any) => { leaked = np.multiply(x, 2); return np.sum(leaked); })(f64([1]));
  assert.throws(() => np.add(leaked, 1), TracerError);
  close(grad(np.sin)(f64(0)), 1);
});

test('valueOf gives concrete values under grad/jvp/vjp (define-by-run)', () => {
  const relu = (x: any) => (x > 0 ? x : np.multiply(0, x));
  close(grad(relu)(f64(2)), 1);
  close(grad(relu)(f64(-2)), 0);
  const [, t] = jvp((x: any) => (x < 1 ? np.sin(x) : np.cos(x)), [f64(2)], [f64(1)]);
  close(t, -Math.sin(2));
});

test('toString prints like NumPy', () => {
  assert.equal(String(np.array([[6, 6], [6, 6]])), '[[6. 6.]\n [6. 6.]]');
  assert.equal(String(np.array([-0.16965576, -0.8774645, -1.4901344])), '[-0.16965576 -0.8774645  -1.4901344 ]');
  assert.equal(String(np.array(0.070650935)), '0.070650935');
  assert.equal(String(np.array([true, false])), '[ True False]');
  // numpy's array2string rules: at most 8 fractional digits in arrays, scientific when the
  // magnitudes call for it (zero-padded mantissas), nan/inf right-aligned, -0 kept.
  assert.equal(String(np.array([0.1, 1 / 3], { dtype: 'float64' })), '[0.1        0.33333333]');
  assert.equal(String(np.array([0.070650935, 1])), '[0.07065094 1.        ]');
  assert.equal(String(np.array([1e-5, 1])), '[1.e-05 1.e+00]');
  assert.equal(String(np.array([1.5e-5, 1])), '[1.5e-05 1.0e+00]');
  assert.equal(String(np.array([-0, NaN, Infinity])), '[-0. nan inf]');
  assert.equal(String(np.array(1e-7, { dtype: 'float64' })), '1e-07');
  assert.equal(String(np.array([[[0, 1], [2, 3]], [[4, 5], [6, 7]]])), '[[[0. 1.]\n  [2. 3.]]\n\n [[4. 5.]\n  [6. 7.]]]');
});

test('Array reads: item, tolist, dataSync, data, iteration', async () => {
  const x = np.array([[1, 2], [3, 4]]);
  assert.deepEqual(x.tolist(), [[1, 2], [3, 4]]);
  assert.deepEqual(Array.from(await x.data()), [1, 2, 3, 4]);
  const [r0, r1] = x;
  assert.deepEqual(r0.tolist(), [1, 2]);
  assert.deepEqual(r1.tolist(), [3, 4]);
  // Iteration under grad is differentiable.
  const g = grad((m: any) => { const [a, b] = m; return np.sum(np.multiply(a, b)); })(f64([[1, 2], [3, 4]]));
  close(g, [3, 4, 1, 2]);
  assert.equal(num(np.array(2.5)), 2.5);
});

test('negative argnums count from the end (JAX): grad, valueAndGrad, jacfwd, jacrev, hessian', async () => {
  const { jacfwd, jacrev, hessian, valueAndGrad, ValueError } = await import('cotangent');
  // f(x, y) = sum(x * y^2): df/dy = 2 x y, d2f/dy2 = diag(2 x)
  const f = (x: any, y: any) => np.sum(np.multiply(x, np.multiply(y, y)));
  const x = np.array([1, 2], { dtype: 'float64' }), y = np.array([3, -1], { dtype: 'float64' });
  assert.deepEqual(grad(f, { argnums: -1 })(x, y).tolist(), [6, -4]);
  assert.deepEqual(valueAndGrad(f, { argnums: -1 })(x, y)[1].tolist(), [6, -4]);
  assert.deepEqual((grad(f, { argnums: [-2, -1] })(x, y) as any[]).map((g) => g.tolist()), [[9, 1], [6, -4]]);
  assert.deepEqual(jacrev(f, { argnums: -1 })(x, y).tolist(), [6, -4]);
  assert.deepEqual(jacfwd(f, { argnums: -1 })(x, y).tolist(), [6, -4]);
  assert.deepEqual(hessian(f, { argnums: -1 })(x, y).tolist(), [[2, 0], [0, 4]]);
  assert.throws(() => grad(f, { argnums: -3 })(x, y), (e: any) => e instanceof ValueError && /out of range/.test(e.message));
  assert.throws(() => grad(f, { argnums: 1.5 })(x, y), (e: any) => e instanceof ValueError && /integers/.test(e.message));
});
