// Probe (helper BZ): complex numbers through control flow and composed transforms, with JAX's
// conventions: grad of a real f of complex z is df/dx - i df/dy; holomorphic grad/jacfwd/jacrev
// give f'(z); jvp is the R-linear map; vjp's transpose never conjugates (pairing Re(u v)).
// References are plain-JS complex arithmetic: closed forms, or float64 central differences on the
// real and imaginary parts separately (never cotangent itself).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, linalg, grad, jvp, vjp, jit, vmap, jacfwd, jacrev, hessian, checkpoint, customJvp, customVjp, linearize, valueAndGrad, checkGrads, CotangentError } from '../ts/index.ts';

// ------------------------------------------------------------------ plain-JS complex helpers
type C = { re: number; im: number };
const c = (re: number, im = 0): C => ({ re, im });
const add = (a: C, b: C) => c(a.re + b.re, a.im + b.im);
const sub = (a: C, b: C) => c(a.re - b.re, a.im - b.im);
const mul = (a: C, b: C) => c(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);
const div = (a: C, b: C) => { const d = b.re * b.re + b.im * b.im; return c((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d); };
const conj = (a: C) => c(a.re, -a.im);
const abs2 = (a: C) => a.re * a.re + a.im * a.im;
const cabs = (a: C) => Math.hypot(a.re, a.im);
const cexp = (a: C) => c(Math.exp(a.re) * Math.cos(a.im), Math.exp(a.re) * Math.sin(a.im));
const csin = (a: C) => c(Math.sin(a.re) * Math.cosh(a.im), Math.cos(a.re) * Math.sinh(a.im));
const ctanh = (a: C) => { const e2 = cexp(c(2 * a.re, 2 * a.im)); return div(sub(e2, c(1)), add(e2, c(1))); };
const scale = (a: C, s: number) => c(a.re * s, a.im * s);
const H = 1e-6;
/** JAX's grad of a real f: df/dx - i df/dy, by central differences. */
const fdGrad = (f: (z: C) => number, z: C, h = H) => c((f(c(z.re + h, z.im)) - f(c(z.re - h, z.im))) / (2 * h), -(f(c(z.re, z.im + h)) - f(c(z.re, z.im - h))) / (2 * h));
/** Directional derivative of C -> C along v. */
const fdDir = (f: (z: C) => C, z: C, v: C, h = H) => scale(sub(f(add(z, scale(v, h))), f(sub(z, scale(v, h)))), 1 / (2 * h));
/** JAX's vjp of C -> C: the w with Re(w t) = Re(ct J t) for every t. */
const fdVjp = (f: (z: C) => C, z: C, ct: C, h = H) => c(mul(ct, fdDir(f, z, c(1), h)).re, -mul(ct, fdDir(f, z, c(0, 1), h)).re);

const Z = (re: number, im: number, dt: 'complex64' | 'complex128' = 'complex128') => np.array({ re, im }, dt);
const Zs = (v: C[], dt: 'complex64' | 'complex128' = 'complex128') => np.array(v, dt);
const item = (x: any): C => { const v = x.item(); return typeof v === 'number' ? c(v) : v; };
const near = (g: C, w: C, tol: number, what: string) =>
  assert.ok(Math.hypot(g.re - w.re, g.im - w.im) <= tol * Math.max(1, Math.hypot(w.re, w.im)), `${what}: got ${g.re}${g.im >= 0 ? '+' : ''}${g.im}i, want ${w.re}${w.im >= 0 ? '+' : ''}${w.im}i`);
const nearAll = (got: C[], want: C[], tol: number, what: string) => { assert.equal(got.length, want.length, what); got.forEach((g, i) => near(g, want[i], tol, `${what}[${i}]`)); };
const FD = 2e-8; // tolerance against central differences with h = 1e-6 (truncation ~h^2, rounding ~1e-10)

// ------------------------------------------------------------------ scan
describe('lax.scan with complex carries', () => {
  const xsv = [c(0.3, -0.2), c(-0.5, 0.1), c(0.7, 0.4), c(0.1, 0.9)];
  const lin = (a: any) => lax.scan((h: any, x: any) => [np.add(np.multiply(a, h), x), null], Z(0.2, 0.1), Zs(xsv))[0];
  const linr = (a: C) => { let h = c(0.2, 0.1); for (const x of xsv) h = add(mul(a, h), x); return h; };
  const a0 = c(0.8, 0.3);

  test('linear recurrence: grad of |h_T|^2, holomorphic grad, jacfwd/jacrev, vjp, eager = jit', () => {
    const L = (a: any) => { const h = lin(a); return np.real(np.multiply(h, np.conj(h))); };
    const wantG = fdGrad((a) => abs2(linr(a)), a0);
    near(item(grad(L)(Z(a0.re, a0.im))), wantG, FD, 'grad');
    near(item(jit(grad(L))(Z(a0.re, a0.im))), wantG, FD, 'jit(grad)');
    near(item(grad(checkpoint(L))(Z(a0.re, a0.im))), wantG, FD, 'grad(checkpoint)');
    const d = fdDir(linr, a0, c(1));
    near(item(grad(lin, { holomorphic: true })(Z(a0.re, a0.im))), d, FD, 'holomorphic grad');
    near(item(jacfwd(lin, { holomorphic: true })(Z(a0.re, a0.im))), d, FD, 'jacfwd holomorphic');
    near(item(jit(jacrev(lin, { holomorphic: true }))(Z(a0.re, a0.im))), d, FD, 'jit jacrev holomorphic');
    const u = c(0.4, -1.3);
    near(item(vjp(lin, Z(a0.re, a0.im))[1](Z(u.re, u.im))[0]), mul(u, d), FD, 'vjp (no conjugation)');
  });

  test('product of rotations exp(i theta_k) with real theta: grad, jit(grad), hessian, third order', () => {
    const t0 = [0.3, -1.1, 0.7, 2.0];
    const rot = (t: any) => { const [P] = lax.scan((p: any, tk: any) => [np.multiply(p, np.exp(np.multiply({ re: 0, im: 1 }, tk))), null], Z(0.5, 0.2), t); const q = np.multiply(P, { re: 0.3, im: -0.9 }); return np.add(np.real(q), np.square(np.imag(P))); };
    // f = Re(P q0) + Im(P)^2 with P = p0 e^{iS}, S = sum(theta): closed forms in S
    const S = t0.reduce((s, x) => s + x, 0);
    const P = mul(c(0.5, 0.2), cexp(c(0, S))), q = mul(P, c(0.3, -0.9)), P2 = mul(P, P);
    const d1 = -q.im + 2 * P.im * P.re, d2 = -q.re + 2 * P.re * P.re - 2 * P.im * P.im, d3 = q.im - 4 * P2.im;
    const th = np.array(t0, 'float64');
    for (const g of [grad(rot)(th), jit(grad(rot))(th)]) (g.tolist() as number[]).forEach((v) => assert.ok(Math.abs(v - d1) < 1e-13, `d1 ${v} vs ${d1}`));
    const Hm = jit(hessian(rot))(th).tolist() as number[][];
    Hm.flat().forEach((v) => assert.ok(Math.abs(v - d2) < 1e-13, `d2 ${v} vs ${d2}`));
    const rot1 = (s: any) => rot(np.multiply(np.ones([4], 'float64'), np.divide(s, 4)));
    assert.ok(Math.abs((grad(grad(grad(rot1)))(np.array(S, 'float64')).item() as number) - d3) < 1e-12);
  });

  test('RNN with complex weights, real loss |h_T|^2: grad, jit(grad), checkpoint; complex64 to ~1e-6', () => {
    const W0 = [[c(0.5, 0.2), c(-0.3, 0.4)], [c(0.1, -0.6), c(0.7, 0.1)]];
    const xsr = [[c(0.1, 0.2), c(-0.3, 0.1)], [c(0.4, -0.2), c(0.2, 0.3)], [c(-0.1, 0.5), c(0.6, -0.4)]];
    const mk = (dt: 'complex64' | 'complex128') => (W: any) => { const [hT] = lax.scan((hh: any, x: any) => { const n = np.tanh(np.add(np.matmul(W, hh), x)); return [n, n]; }, np.array([c(0.1, 0.1), c(-0.2, 0)], dt), np.array(xsr, dt)); return np.sum(np.real(np.multiply(hT, np.conj(hT)))); };
    const rnnr = (W: C[][]) => { let hh = [c(0.1, 0.1), c(-0.2, 0)]; for (const x of xsr) hh = [0, 1].map((i) => ctanh(add(add(mul(W[i][0], hh[0]), mul(W[i][1], hh[1])), x[i]))); return abs2(hh[0]) + abs2(hh[1]); };
    const want = W0.flatMap((row, i) => row.map((_, j) => fdGrad((z) => { const W2 = W0.map((r) => r.slice()); W2[i][j] = z; return rnnr(W2); }, W0[i][j])));
    const W = np.array(W0, 'complex128');
    nearAll((grad(mk('complex128'))(W).tolist() as C[][]).flat(), want, FD, 'grad');
    nearAll((jit(grad(mk('complex128')))(W).tolist() as C[][]).flat(), want, FD, 'jit(grad)');
    nearAll((grad((w: any) => checkpoint(mk('complex128'))(w))(W).tolist() as C[][]).flat(), want, FD, 'grad(checkpoint)');
    const g32 = grad(mk('complex64'))(np.array(W0, 'complex64'));
    assert.equal(g32.dtype, 'complex64');
    nearAll((g32.tolist() as C[][]).flat(), want, 2e-6, 'complex64 grad');
    nearAll((jit(grad(mk('complex64')))(np.array(W0, 'complex64')).tolist() as C[][]).flat(), want, 2e-6, 'complex64 jit(grad)');
  });

  test('reverse scan with complex ys: values, grad of a real loss, jit and vmap', () => {
    const xs = [c(1, 0), c(0, 1), c(0.5, 0.5)];
    const R = (a: any) => lax.scan((cc: any, x: any) => { const n = np.add(np.multiply(cc, a), x); return [n, np.multiply(n, np.conj(a))]; }, Z(0.1, 0), Zs(xs), { reverse: true });
    const RL = (a: any) => { const [cc, ys] = R(a); return np.add(np.sum(np.abs(ys)), np.imag(cc)); };
    const RLr = (a: C) => { let cc = c(0.1, 0); let s = 0; for (let k = 2; k >= 0; k--) { cc = add(mul(cc, a), xs[k]); s += cabs(mul(cc, conj(a))); } return s + cc.im; };
    const pts = [c(0.4, 0.3), c(-0.2, 0.9)];
    const want = pts.map((p) => fdGrad(RLr, p));
    near(item(grad(RL)(Z(0.4, 0.3))), want[0], FD, 'grad');
    near(item(jit(grad(RL))(Z(0.4, 0.3))), want[0], FD, 'jit(grad)');
    nearAll(vmap(grad(RL))(Zs(pts)).tolist() as C[], want, FD, 'vmap(grad)');
  });

  test('LRU-style associativeScan over complex (a, b) pairs: grads of lambda and B, jit, vmap', () => {
    const T = 5, D = 3, xr = [0.5, -1, 0.3, 0.8, -0.2];
    const lam0 = [c(0.9, 0.1), c(0.5, -0.6), c(-0.3, 0.7)], B0 = [c(1, 0.5), c(-0.5, 1), c(0.2, 0.2)], C0 = [c(0.3, -0.1), c(1, 1), c(-0.7, 0.4)];
    const binop = ([a1, b1]: any, [a2, b2]: any) => [np.multiply(a1, a2), np.add(np.multiply(a2, b1), b2)];
    const lru = (lam: any, Bv: any) => {
      const bx = np.multiply(np.expandDims(np.array(xr, 'float64'), 1), np.expandDims(Bv, 0));
      const [, h] = lax.associativeScan(binop, [np.broadcastTo(np.expandDims(lam, 0), [T, D]), bx]);
      return np.sum(np.square(np.real(np.sum(np.multiply(h, np.expandDims(Zs(C0), 0)), { axis: 1 }))));
    };
    const lrur = (lam: C[], Bv: C[]) => { let h = lam.map(() => c(0)); let s = 0; for (let t = 0; t < T; t++) { h = h.map((hh, d) => add(mul(lam[d], hh), scale(Bv[d], xr[t]))); let y = 0; for (let d = 0; d < D; d++) y += mul(h[d], C0[d]).re; s += y * y; } return s; };
    const wl = lam0.map((_, d) => fdGrad((z) => { const l = lam0.slice(); l[d] = z; return lrur(l, B0); }, lam0[d]));
    const wb = B0.map((_, d) => fdGrad((z) => { const l = B0.slice(); l[d] = z; return lrur(lam0, l); }, B0[d]));
    for (const [name, gf] of [['grad', grad(lru, { argnums: [0, 1] })], ['jit(grad)', jit(grad(lru, { argnums: [0, 1] }))]] as const) {
      const [gl, gb] = (gf as any)(Zs(lam0), Zs(B0));
      nearAll(gl.tolist(), wl, FD, `${name} lambda`); nearAll(gb.tolist(), wb, FD, `${name} B`);
    }
    const wc = lam0.map((_, d) => fdGrad((z) => { const l = lam0.map(conj); l[d] = z; return lrur(l, B0); }, conj(lam0[d])));
    const gv = vmap(grad(lru), { inAxes: [0, null] })(np.stack([Zs(lam0), np.conj(Zs(lam0))]), Zs(B0)).tolist() as C[][];
    nearAll(gv[0], wl, FD, 'vmap row 0'); nearAll(gv[1], wc, FD, 'vmap row 1');
  });
});

// ------------------------------------------------------------------ fori / while
describe('foriLoop and whileLoop with complex state', () => {
  const step = (p: any) => (z: any) => np.subtract(z, np.divide(np.subtract(np.power(z, 3), p), np.multiply(3, np.multiply(z, z))));
  const newtonF = (p: any) => lax.foriLoop(0, 30, (_i: any, z: any) => step(p)(z), Z(1, 0.5));
  const newtonW = (p: any) => lax.whileLoop(([i]: any) => np.less(i, 30), ([i, z]: any) => [np.add(i, 1), step(p)(z)], [np.array(0, 'int32'), Z(1, 0.5)])[1];
  // closed forms: z = p^(1/3) on the branch Newton reaches from 1 + 0.5i; dz/dp = 1/(3 z^2)
  const p0 = c(0.4, 1.3);
  let root = c(1, 0.5); for (let i = 0; i < 60; i++) root = sub(root, div(sub(mul(mul(root, root), root), p0), scale(mul(root, root), 3)));
  const dz = div(c(1), scale(mul(root, root), 3));

  test('Newton on z^3 - p: implicit derivative dz/dp = 1/(3z^2) by holomorphic grad, jacfwd, jacrev, jvp; eager = jit', () => {
    const P = Z(p0.re, p0.im);
    near(mul(mul(mul(item(newtonF(P)), item(newtonF(P))), item(newtonF(P))), c(1)), p0, 1e-14, 'root cubed');
    for (const f of [newtonF, newtonW]) {
      near(item(grad(f, { holomorphic: true })(P)), dz, 1e-13, 'holomorphic grad');
      near(item(jacrev(f, { holomorphic: true })(P)), dz, 1e-13, 'jacrev');
      near(item(jacfwd(f, { holomorphic: true })(P)), dz, 1e-13, 'jacfwd');
      near(item(jit((q: any, t: any) => jvp(f, [q], [t])[1])(P, Z(0.3, -0.7))), mul(dz, c(0.3, -0.7)), 1e-13, 'jit jvp');
    }
    near(item(jit(grad(newtonF, { holomorphic: true }))(P)), dz, 1e-13, 'jit holomorphic grad');
  });

  test('real loss |z(p) - w| through a fixed-count loop: grad = conj(z-w)/|z-w| * dz/dp', () => {
    const w = sub(root, c(0.2, 0.1));
    const want = mul(scale(conj(w), 1 / cabs(w)), dz);
    const L = (f: any) => (p: any) => np.abs(np.subtract(f(p), { re: 0.2, im: 0.1 }));
    near(item(grad(L(newtonF))(Z(p0.re, p0.im))), want, 1e-13, 'fori grad');
    near(item(jit(grad(L(newtonF)))(Z(p0.re, p0.im))), want, 1e-13, 'jit fori grad');
    near(item(grad(L(newtonW))(Z(p0.re, p0.im))), want, 1e-13, 'eager while grad');
    // under jit a while loop refuses reverse mode, as JAX does, with a clear error
    assert.throws(() => jit(grad(L(newtonW)))(Z(p0.re, p0.im)), (e: any) => e instanceof CotangentError && /whileLoop/.test(e.message));
  });

  test('lax.customRoot on z^3 - p with complex p: grad, jit(grad), vmap(grad)', () => {
    const newtonSolve = (f: any, z0: any) => lax.foriLoop(0, 40, (_i: any, z: any) => { const [, d] = jvp(f, [z], [np.onesLike(z)]); return np.subtract(z, np.divide(f(z), d)); }, z0);
    const root_ = (p: any) => lax.customRoot((z: any) => np.subtract(np.power(z, 3), p), Z(1, 0.5), newtonSolve, (g: any, y: any) => np.divide(y, g(np.onesLike(y))));
    near(item(grad(root_, { holomorphic: true })(Z(p0.re, p0.im))), dz, 1e-13, 'holomorphic grad');
    const L = (p: any) => np.abs(np.subtract(root_(p), { re: 0.2, im: 0.1 }));
    const w = sub(root, c(0.2, 0.1));
    near(item(jit(grad(L))(Z(p0.re, p0.im))), mul(scale(conj(w), 1 / cabs(w)), dz), 1e-13, 'jit grad');
    const g = vmap(grad(L))(Zs([p0, p0])).tolist() as C[];
    near(g[1], mul(scale(conj(w), 1 / cabs(w)), dz), 1e-13, 'vmap grad');
  });

  test('escape-time whileLoop (|z| <= 2 predicate) under vmap: values, vmap(grad), jit(vmap(jvp))', () => {
    const esc = (cc: any) => { const [, zf] = lax.whileLoop(([i, z]: any) => np.logicalAnd(np.less(i, 6), np.lessEqual(np.abs(z), 2)), ([i, z]: any) => [np.add(i, 1), np.add(np.multiply(z, z), cc)], [np.array(0, 'int32'), Z(0, 0)]); return np.real(np.multiply(zf, np.conj(zf))); };
    const escr = (cc: C) => { let z = c(0); let i = 0; while (i < 6 && cabs(z) <= 2) { z = add(mul(z, z), cc); i++; } return abs2(z); };
    const cs = [c(0.3, 0.5), c(-0.8, 0.2), c(0.6, 0.6), c(-1.5, 0.1)];
    (vmap(esc)(Zs(cs)).tolist() as number[]).forEach((v, i) => assert.ok(Math.abs(v - escr(cs[i])) < 1e-13 * escr(cs[i])));
    const wg = cs.map((p) => fdGrad(escr, p, 1e-7));
    nearAll(vmap(grad(esc))(Zs(cs)).tolist() as C[], wg, 1e-8, 'vmap(grad)');
    const t = c(0.3, -0.2);
    const jv = jit(vmap((p: any, tt: any) => jvp(esc, [p], [tt])[1]))(Zs(cs), Zs(cs.map(() => t))).tolist() as number[];
    jv.forEach((v, i) => near(c(v), c(wg[i].re * t.re - wg[i].im * t.im), 1e-8, `jvp ${i}`)); // Re(g t) pairing
  });

  test('foriLoop with a traced bound (jit) and vmap-batched bounds, complex carry started from a { re, im } literal', () => {
    const pw = (n: any, z: any) => lax.foriLoop(0, n, (_i: any, cc: any) => np.multiply(cc, z), { re: 1, im: 0 });
    const z = c(0.6, 0.7); const z4 = mul(mul(z, z), mul(z, z));
    const r = jit((n: any, u: any, t: any) => jvp((v: any) => pw(n, v), [u], [t]))(np.array(5, 'int32'), Z(z.re, z.im), Z(1, 0));
    assert.equal(r[0].dtype, 'complex128');
    near(item(r[0]), mul(z4, z), 1e-15, 'z^5'); near(item(r[1]), scale(z4, 5), 1e-14, '5 z^4');
    const g = vmap(grad((n: any, u: any) => np.abs(pw(n, u)), { argnums: 1 }))(np.array([2, 5, 0], 'int32'), Zs([z, z, c(3, 3)])).tolist() as C[];
    const rr = cabs(z);
    nearAll(g, [scale(conj(z), 2), scale(conj(z), 5 * rr ** 3), c(0)], 1e-14, 'n |z|^(n-2) conj z');
  });

  test('a long jitted foriLoop (>= 64 steps, one scan row): complex128 grad to FD, complex64 to ~1e-6', () => {
    const N = 200;
    const F = (dt: 'complex64' | 'complex128') => (a: any) => { const cc = lax.foriLoop(0, N, (_i: any, v: any) => np.add(np.multiply(v, a), np.multiply(np.sin(v), { re: 0, im: 0.01 })), np.array({ re: 0.3, im: 0.2 }, dt)); return np.real(np.multiply(cc, np.conj(cc))); };
    const Fr = (a: C) => { let v = c(0.3, 0.2); for (let i = 0; i < N; i++) v = add(mul(v, a), mul(csin(v), c(0, 0.01))); return abs2(v); };
    const a0 = c(0.999, 0.03);
    const want = fdGrad(Fr, a0, 1e-7);
    near(item(jit(grad(F('complex128')))(Z(a0.re, a0.im))), want, 1e-8, 'complex128');
    const want32 = fdGrad(Fr, c(Math.fround(a0.re), Math.fround(a0.im)), 1e-7);
    near(item(jit(grad(F('complex64')))(Z(a0.re, a0.im, 'complex64'))), want32, 3e-6, 'complex64');
  });
});

// ------------------------------------------------------------------ cond / switch
describe('cond and switch with complex operands, predicates from np.abs(z) > 1', () => {
  const f = (z: any) => lax.cond(np.greater(np.abs(z), 1), (u: any) => np.divide(1, u), (u: any) => np.multiply(u, np.sin(u)), z);
  const fr = (z: C) => cabs(z) > 1 ? div(c(1), z) : mul(z, csin(z));
  const L = (z: any) => { const w = f(z); return np.add(np.real(np.multiply(w, np.conj(w))), np.imag(w)); };
  const Lr = (z: C) => { const w = fr(z); return abs2(w) + w.im; };

  test('grad, holomorphic grad and vjp on both sides, eager = jit', () => {
    for (const p of [c(0.6, 0.5), c(1.2, -0.9)]) {
      const P = Z(p.re, p.im), u = c(0.3, -1.1);
      for (const [name, g] of [['grad', grad(L)], ['jit grad', jit(grad(L))]] as const) near(item(g(P)), fdGrad(Lr, p), FD, `${name} at ${p.re}`);
      near(item(jit(grad(f, { holomorphic: true }))(P)), fdDir(fr, p, c(1)), FD, 'holomorphic');
      near(item(jit((z: any, v: any) => vjp(f, z)[1](v)[0])(P, Z(u.re, u.im))), fdVjp(fr, p, u), FD, 'jit vjp');
    }
  });

  test('switch on floor(|z|) with exp / conj / z^2 branches: jvp and vjp (conj transposes to conj), eager, jit, vmap', () => {
    const g = (z: any) => lax.switch(np.astype(np.floor(np.abs(z)), 'int32'), [(u: any) => np.exp(u), (u: any) => np.conj(u), (u: any) => np.multiply(u, u)], z);
    const gr = (z: C) => { const k = Math.min(2, Math.floor(cabs(z))); return k === 0 ? cexp(z) : k === 1 ? conj(z) : mul(z, z); };
    const pts = [c(0.3, 0.4), c(1.0, 0.6), c(2.5, 1)], u = c(0.7, 0.2);
    for (const p of pts) {
      near(item(jit((z: any, t: any) => jvp(g, [z], [t])[1])(Z(p.re, p.im), Z(u.re, u.im))), fdDir(gr, p, u), FD, `jvp at ${p.re}`);
      near(item(vjp(g, Z(p.re, p.im))[1](Z(u.re, u.im))[0]), fdVjp(gr, p, u), FD, `vjp at ${p.re}`);
    }
    const vj = vmap((z: any, v: any) => vjp(g, z)[1](v)[0])(Zs(pts), Zs(pts.map(() => u))).tolist() as C[];
    nearAll(vj, pts.map((p) => fdVjp(gr, p, u)), FD, 'vmap vjp (batched index)');
  });

  test('vmap(grad(cond)) where the untaken branch is log at z = 0 stays finite', () => {
    const h = (z: any) => lax.cond(np.greater(np.abs(z), 1), (u: any) => np.real(np.log(u)), (u: any) => np.real(np.multiply(u, u)), z);
    // |z| <= 1: Re z^2 -> 2x + 2iy; |z| > 1: log|z| -> (x - iy)/|z|^2
    const want = [c(0), c(0.4, -0.2), c(1, 1)];
    for (const gf of [vmap(grad(h)), jit(vmap(grad(h)))]) nearAll(gf(Zs([c(0), c(2, 1), c(0.5, 0.5)])).tolist() as C[], want, 1e-15, 'vmap grad cond');
  });

  test('cond over a (complex, real) tuple: grads of both, each side, jit', () => {
    const ct = (z: any, r: any) => lax.cond(np.greater(r, 0), ([u, s]: any) => np.real(np.multiply(np.multiply(u, u), s)), ([u]: any) => np.imag(u), [z, r]);
    const [gz, gr] = jit(grad(ct, { argnums: [0, 1] }))(Z(0.3, 0.4), np.array(2, 'float64'));
    near(item(gz), c(1.2, 1.6), 1e-15, 'd Re(z^2 s)/dz = 2 z s'); assert.ok(Math.abs((gr.item() as number) + 0.07) < 1e-15);
    const [hz] = jit(grad(ct, { argnums: [0, 1] }))(Z(0.3, 0.4), np.array(-2, 'float64'));
    near(item(hz), c(0, -1), 0, 'grad imag(z) = -i');
  });

  test('bad predicates and branch types are clear DTypeErrors, eager and under jit', () => {
    const isD = (re: RegExp) => (e: any) => e instanceof CotangentError && e.name === 'DTypeError' && re.test(e.message);
    assert.throws(() => lax.cond(Z(1, 2), (u: any) => u, (u: any) => np.negative(u), Z(1, 2)), isD(/lax\.cond.*pred.*complex128/));
    assert.throws(() => jit((z: any) => lax.switch(z, [(u: any) => u, (u: any) => u], z))(Z(1, 0)), isD(/lax\.switch.*index.*complex128/));
    assert.throws(() => lax.whileLoop((z: any) => np.subtract(z, 3), (z: any) => np.add(z, 1), Z(0, 1)), isD(/whileLoop.*complex128/));
    assert.throws(() => jit((z: any) => lax.cond(np.greater(np.abs(z), 1), (u: any) => np.astype(u, 'complex64'), (u: any) => u, z))(Z(1, 2)), isD(/lax\.cond.*complex128.*complex64/));
    assert.throws(() => lax.scan((cc: any, x: any) => [np.multiply(cc, x), null], Z(1, 1, 'complex64'), np.array([1.5, 2], 'float64')), isD(/lax\.scan.*complex64.*complex128/));
    assert.throws(() => lax.foriLoop(0, 3, (_i: any, z: any) => np.real(z), Z(0, 1)), isD(/foriLoop.*complex128.*float64/));
  });
});

// ------------------------------------------------------------------ custom rules, checkpoint
describe('customJvp / customVjp on complex functions', () => {
  const fz = customJvp((z: any) => np.multiply(z, np.exp(z)), ([z]: any, [t]: any) => [np.multiply(z, np.exp(z)), np.multiply(t, np.multiply(np.add(z, 1), np.exp(z)))]);
  const fv = customVjp((z: any) => np.multiply(z, np.exp(z)), (z: any) => [np.multiply(z, np.exp(z)), z], (z: any, ct: any) => [np.multiply(ct, np.multiply(np.add(z, 1), np.exp(z)))]);
  const fr = (z: C) => mul(z, cexp(z));
  const L = (F: any) => (z: any) => { const w = F(z); return np.add(np.real(np.multiply(w, np.conj(w))), np.multiply(0.5, np.imag(w))); };
  const Lr = (z: C) => { const w = fr(z); return abs2(w) + 0.5 * w.im; };
  const z0 = c(0.3, -0.6);

  test('real loss through the custom function, inside scan and cond, jit and vmap', () => {
    for (const F of [fz, fv]) {
      const want = fdGrad(Lr, z0);
      near(item(jit(grad(L(F)))(Z(z0.re, z0.im))), want, FD, 'jit grad');
      near(item(grad((z: any) => lax.scan((cc: any) => [np.add(cc, L(F)(z)), null], np.array(0, 'float64'), null, { length: 2 })[0])(Z(z0.re, z0.im))), scale(want, 2), FD, 'in scan');
      near(item(jit(grad((z: any) => lax.cond(np.greater(np.abs(z), 0.5), L(F), (u: any) => np.real(u), z)))(Z(z0.re, z0.im))), want, FD, 'in cond');
      nearAll(vmap(grad(L(F)))(Zs([z0, c(1, 1)])).tolist() as C[], [want, fdGrad(Lr, c(1, 1))], FD, 'vmap grad');
      near(item(grad(F, { holomorphic: true })(Z(z0.re, z0.im))), mul(add(z0, c(1)), cexp(z0)), 1e-15, 'holomorphic');
    }
  });

  test('a non-holomorphic customJvp rule (conj(z) z^2): grad of its imaginary part and vjp', () => {
    const gn = customJvp((z: any) => np.multiply(np.conj(z), np.multiply(z, z)), ([z]: any, [t]: any) => [np.multiply(np.conj(z), np.multiply(z, z)), np.add(np.multiply(np.conj(t), np.multiply(z, z)), np.multiply(np.multiply(2, np.multiply(np.conj(z), z)), t))]);
    const gr = (z: C) => mul(conj(z), mul(z, z));
    near(item(grad((z: any) => np.imag(gn(z)))(Z(z0.re, z0.im))), fdGrad((z) => gr(z).im, z0), FD, 'grad imag');
    near(item(jit((z: any, u: any) => vjp(gn, z)[1](u)[0])(Z(z0.re, z0.im), Z(0.2, 0.9))), fdVjp(gr, z0, c(0.2, 0.9)), FD, 'jit vjp');
  });

  test('customVjp (closing over nothing) inside a checkpointed, jitted scan body', () => {
    const mulw = customVjp((z: any, w: any) => np.multiply(z, w), (z: any, w: any) => [np.multiply(z, w), [z, w]], ([z, w]: any, ct: any) => [np.multiply(ct, w), np.multiply(ct, z)]);
    const S = (w: any, z0_: any) => { const [cc] = lax.scan((v: any, x: any) => [np.add(checkpoint((u: any) => mulw(np.sin(u), w))(v), x), null], z0_, Zs([c(0.1, 0.2), c(-0.3, 0.1), c(0.2, 0.2)])); return np.real(np.multiply(cc, np.conj(cc))); };
    const Sr = (w: C, s: C) => { let v = s; for (const x of [c(0.1, 0.2), c(-0.3, 0.1), c(0.2, 0.2)]) v = add(mul(csin(v), w), x); return abs2(v); };
    const [gw, gz] = jit(grad(S, { argnums: [0, 1] }))(Z(0.9, 0.3), Z(0.5, -0.5));
    near(item(gw), fdGrad((w) => Sr(w, c(0.5, -0.5)), c(0.9, 0.3)), FD, 'd/dw');
    near(item(gz), fdGrad((s) => Sr(c(0.9, 0.3), s), c(0.5, -0.5)), FD, 'd/dz0');
  });
});

// ------------------------------------------------------------------ second order, vmap axes, promotion
describe('second order, vmap axes and promotion', () => {
  test('jvp of grad (real f of complex z): dg = g_x a + g_y b for t = a + ib; jvp of holomorphic grad = f\'\'(z) t', () => {
    const f = (z: any) => np.real(np.multiply(np.multiply(z, z), np.conj(z))); // x^3 + x y^2
    const x = 0.7, y = 0.4, a = 0.3, b = -0.5; // g = (3x^2 + y^2) - 2ixy
    const want = c(6 * x * a + 2 * y * b, -2 * y * a - 2 * x * b);
    near(item(jit((z: any, t: any) => jvp(grad(f), [z], [t])[1])(Z(x, y), Z(a, b))), want, 1e-15, 'jvp(grad)');
    near(item(jvp(grad((z: any) => lax.scan((cc: any) => [np.add(cc, f(z)), null], np.array(0, 'float64'), null, { length: 3 })[0]), [Z(x, y)], [Z(a, b)])[1]), scale(want, 3), 1e-14, 'jvp(grad(scan))');
    near(item(jvp(grad((z: any) => np.sin(z), { holomorphic: true }), [Z(0.7, 0.4)], [Z(0.3, -0.5)])[1]), mul(scale(csin(c(0.7, 0.4)), -1), c(0.3, -0.5)), 1e-15, 'holomorphic');
  });

  test('holomorphic hessian through foriLoop + cond (both sides), eager = jit; a vector hessian', () => {
    const hf = (z: any) => lax.foriLoop(0, 3, (_i: any, v: any) => lax.cond(np.greater(np.abs(v), 1), (u: any) => np.sin(u), (u: any) => np.multiply(u, np.add(u, 1)), v), z);
    // z0 = 0.3+0.2i stays inside (three times u(u+1)): closed form of the second derivative of q(q(q(z)))
    const q = (u: C) => mul(u, add(u, c(1))), dq = (u: C) => add(scale(u, 2), c(1));
    const z0 = c(0.3, 0.2), z1 = q(z0), z2 = q(z1);
    // (q∘q∘q)'' = q''(z2) (q'(z1) q'(z0))^2 + q'(z2) [q''(z1) q'(z0)^2 + q'(z1) q''(z0)], q'' = 2
    const t1 = mul(dq(z1), dq(z0));
    const want = add(scale(mul(t1, t1), 2), mul(dq(z2), add(scale(mul(dq(z0), dq(z0)), 2), scale(dq(z1), 2))));
    near(item(hessian(hf, { holomorphic: true })(Z(z0.re, z0.im))), want, 1e-14, 'inside');
    near(item(jit(hessian(hf, { holomorphic: true }))(Z(z0.re, z0.im))), want, 1e-14, 'jit inside');
    // z0 = 0.9+0.9i stays outside: (sin∘sin∘sin)'' = -sin(w2)(cos w1 cos w0)^2 + cos w2 (-sin w1 cos^2 w0 - cos w1 sin w0)
    const w0 = c(0.9, 0.9), w1 = csin(w0), w2 = csin(w1);
    const cs = (u: C) => c(Math.cos(u.re) * Math.cosh(u.im), -Math.sin(u.re) * Math.sinh(u.im));
    const s1 = mul(cs(w1), cs(w0));
    const want2 = add(mul(scale(csin(w2), -1), mul(s1, s1)), mul(cs(w2), add(mul(scale(csin(w1), -1), mul(cs(w0), cs(w0))), mul(cs(w1), scale(csin(w0), -1)))));
    near(item(jit(hessian(hf, { holomorphic: true }))(Z(w0.re, w0.im))), want2, 1e-14, 'outside');
    const hv = (v: any) => np.sum(np.multiply(np.exp(v), np.flip(v)));
    const a = c(0.1, 0.2), b = c(-0.3, 0.5), s = add(cexp(a), cexp(b));
    nearAll((hessian(hv, { holomorphic: true })(Zs([a, b])).tolist() as C[][]).flat(), [mul(cexp(a), b), s, s, mul(cexp(b), a)], 1e-15, 'vector hessian');
  });

  test('hessian of a real function of complex inputs is refused as JAX refuses it (NonHolomorphicError)', () => {
    assert.throws(() => hessian((z: any) => np.abs(z))(Z(0.7, 0.4)), (e: any) => e instanceof CotangentError && e.name === 'NonHolomorphicError' && /hessian.*complex128/.test(e.message));
  });

  test('vmap with inAxes 1 / 2 and outAxes 2 over 3-d complex arrays, and grad through transposed scans', () => {
    const mk = (I: number, J: number, K: number) => Array.from({ length: I }, (_, i) => Array.from({ length: J }, (_, j) => Array.from({ length: K }, (_, k) => c(i + 10 * j + 100 * k, k - j + 0.5 * i))));
    const Ar = mk(2, 3, 4); const A = np.array(Ar, 'complex128');
    const f = (M: any) => np.matmul(M, np.conj(np.transpose(M)));
    const g1 = vmap(f, { inAxes: 1 })(A).tolist() as C[][][];
    const g2 = jit(vmap(f, { inAxes: 2, outAxes: 2 }))(A).tolist() as C[][][];
    for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) {
      for (let j = 0; j < 3; j++) { let s = c(0); for (let k = 0; k < 4; k++) s = add(s, mul(Ar[a][j][k], conj(Ar[b][j][k]))); near(g1[j][a][b], s, 0, 'inAxes 1'); }
      for (let k = 0; k < 4; k++) { let s = c(0); for (let j = 0; j < 3; j++) s = add(s, mul(Ar[a][j][k], conj(Ar[b][j][k]))); near(g2[a][b][k], s, 0, 'inAxes 2 outAxes 2'); }
    }
    const L = (Aa: any) => { const B = vmap(f, { inAxes: 1 })(Aa); const [cc] = lax.scan((v: any, x: any) => [np.add(np.multiply(v, 0.5), np.sum(np.real(x))), null], np.array(0, 'float64'), np.transpose(np.multiply(Aa, { re: 0.01, im: 0.02 }), [2, 0, 1])); return np.add(np.multiply(np.sum(np.abs(B)), 1e-3), cc); };
    const Lr = (Aq: C[][][]) => { let s = 0; for (let j = 0; j < 3; j++) for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) { let t = c(0); for (let k = 0; k < 4; k++) t = add(t, mul(Aq[a][j][k], conj(Aq[b][j][k]))); s += cabs(t); } let v = 0; for (let k = 0; k < 4; k++) { let r = 0; for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) r += mul(Aq[i][j][k], c(0.01, 0.02)).re; v = v * 0.5 + r; } return s * 1e-3 + v; };
    const gg = jit(grad(L))(A).tolist() as C[][][];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) near(gg[i][j][k], fdGrad((z) => { const Aq = Ar.map((p) => p.map((r) => r.slice())); Aq[i][j][k] = z; return Lr(Aq); }, Ar[i][j][k], 1e-4), 1e-8, `grad[${i}][${j}][${k}]`);
  });

  test('promotion: complex64 with float64 is complex128 (JAX x64), and grads come back in the input dtype', () => {
    const pairs: [string, string, string][] = [['complex64', 'float64', 'complex128'], ['complex64', 'float32', 'complex64'], ['complex64', 'int32', 'complex64'], ['complex128', 'float32', 'complex128'], ['complex64', 'complex128', 'complex128']];
    for (const [a, b, want] of pairs) assert.equal(np.multiply(np.array([c(1, 2)], a as any), np.array([1], b as any)).dtype, want, `${a} * ${b}`);
    assert.equal(np.multiply(Z(1, 2, 'complex64'), 0.1).dtype, 'complex64');
    assert.equal(np.add(np.array(1, 'float64'), { re: 0, im: 1 }).dtype, 'complex128');
    near(item(np.multiply(Z(1 / 3, 0, 'complex64'), np.array(0.1, 'float64'))), c(Math.fround(1 / 3) * 0.1), 0, 'no rounding to complex64');
    const L = (z: any, x: any) => { const w = np.multiply(z, x); return np.real(np.multiply(w, np.conj(w))); };
    const [gz, gx] = jit(grad(L, { argnums: [0, 1] }))(Z(0.3, 0.4, 'complex64'), np.array(0.7, 'float64'));
    const a = Math.fround(0.3), b = Math.fround(0.4);
    assert.equal(gz.dtype, 'complex64'); assert.equal(gx.dtype, 'float64');
    near(item(gz), c(Math.fround(2 * 0.49 * a), Math.fround(-2 * 0.49 * b)), 0, 'grad z'); // computed in complex128, rounded once
    assert.ok(Math.abs((gx.item() as number) - 2 * 0.7 * (a * a + b * b)) < 1e-15);
    // a weakly typed { re, im } carry takes the body's complex128 (JAX's weak-type promotion), not complex64
    const r = jit((xs: any) => lax.scan((cc: any, x: any) => [np.multiply(cc, x), null], { re: 1, im: 0 }, xs)[0])(Zs([c(1.0000001, 1e-9), c(1, 3e-9)]));
    assert.equal(r.dtype, 'complex128'); near(item(r), mul(c(1.0000001, 1e-9), c(1, 3e-9)), 1e-16, 'weak carry');
  });

  test('linearize and checkpointed vjp of a non-holomorphic scan (exp(c x) conj(c)) agree with differences', () => {
    const xs = [c(0.2, 0.1), c(-0.3, 0.4)];
    const lz = (z: any) => lax.scan((cc: any, x: any) => [np.multiply(np.exp(np.multiply(cc, x)), np.conj(cc)), null], z, Zs(xs))[0];
    const lzr = (z: C) => { let v = z; for (const x of xs) v = mul(cexp(mul(v, x)), conj(v)); return v; };
    const p = c(0.5, -0.4);
    const [, lin] = linearize(jit(lz), Z(p.re, p.im));
    for (const v of [c(1), c(0, 1), c(0.3, 0.8)]) near(item(lin(Z(v.re, v.im))), fdDir(lzr, p, v), FD, `linearize along ${v.re}+${v.im}i`);
    near(item(jit((z: any, u: any) => vjp(checkpoint(lz), z)[1](u)[0])(Z(p.re, p.im), Z(0.7, -0.3))), fdVjp(lzr, p, c(0.7, -0.3)), FD, 'vjp');
    checkGrads(lz, [Z(p.re, p.im)], { order: 2 });
  });

  test('complex-symmetric customLinearSolve: holomorphic jacobians and a real loss match linalg.solve; a Hermitian matvec flagged symmetric is refused', () => {
    const A0 = [[c(2, 1), c(0.5, -0.3)], [c(0.5, -0.3), c(1, 2)]];
    const bv = Zs([c(1, 0), c(0, 1)]);
    const mk = (M: C[][]) => (th: any) => { const A = np.multiply(np.array(M, 'complex128'), th); return lax.customLinearSolve((x: any) => np.matmul(A, x), bv, (_mv: any, r: any) => linalg.solve(A, r), null, { symmetric: true }); };
    const th = c(1, 0.2);
    // x = A0^-1 b / th, so dx/dth = -x / th (closed-form 2x2 solve)
    const det = sub(mul(A0[0][0], A0[1][1]), mul(A0[0][1], A0[1][0]));
    const x0 = [div(sub(mul(A0[1][1], c(1)), mul(A0[0][1], c(0, 1))), det), div(sub(mul(A0[0][0], c(0, 1)), mul(A0[1][0], c(1))), det)];
    const want = x0.map((v) => scale(div(v, mul(th, th)), -1));
    nearAll(jacrev(mk(A0), { holomorphic: true })(Z(th.re, th.im)).tolist() as C[], want, 1e-14, 'jacrev');
    nearAll(jacfwd(mk(A0), { holomorphic: true })(Z(th.re, th.im)).tolist() as C[], want, 1e-14, 'jacfwd');
    const Lr = (t: C) => x0.reduce((s, v) => s + cabs(div(v, t)), 0);
    near(item(grad((t: any) => np.sum(np.abs(mk(A0)(t))))(Z(th.re, th.im))), fdGrad(Lr, th), FD, 'real loss');
    const H0 = [[c(2, 0), c(0.5, -0.3)], [c(0.5, 0.3), c(1, 0)]];
    assert.throws(() => grad((t: any) => np.sum(np.abs(mk(H0)(t))))(Z(th.re, th.im)), (e: any) => e instanceof CotangentError && /customLinearSolve.*symmetric/.test(e.message));
  });
});
