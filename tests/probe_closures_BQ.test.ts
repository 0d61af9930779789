// helper-BQ: closed-over (captured) values against explicit operands, through every construct that
// takes a user function (cond, switch, whileLoop, foriLoop with batched bounds, scan,
// associativeScan, checkpoint, customJvp/customVjp, customRoot/customLinearSolve, jit, nested jit),
// eager against jit against vmap-versus-a-loop, with derivatives. References: closed forms and
// float64 central finite differences of the same function written in plain JS (never cotangent).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  np, lax, grad, vmap, jit, jacfwd, jacrev, hessian, jvp, vjp, linearize, checkpoint, customJvp, customVjp,
  TracerError,
} from '../ts/index.ts';

type A = any;
const f64 = (v: unknown) => np.array(v as never, { dtype: 'float64' });
const list = (x: any): number[] => [x.tolist()].flat(4) as number[];
/** |got - want| <= tol * max(1, |want|) elementwise, NaN never close. */
const close = (got: unknown, want: number | number[], tol = 1e-9, what = '') => {
  const g = (got as any)?.tolist ? list(got) : [got].flat(4) as number[], w = [want].flat(4) as number[];
  assert.equal(g.length, w.length, `${what}: length ${g.length} vs ${w.length}`);
  g.forEach((v, i) => assert.ok(Math.abs(v - w[i]) <= tol * Math.max(1, Math.abs(w[i])), `${what}[${i}] got ${v}, want ${w[i]}`));
};
const fd = (f: (w: number) => number, w: number, h = 1e-5) => (f(w + h) - f(w - h)) / (2 * h);
const fd2 = (f: (w: number) => number, w: number, h = 1e-4) => (f(w + h) - 2 * f(w) + f(w - h)) / (h * h);

// ------------------------------------------------------------------ cond / switch

describe('cond and switch with a batched predicate: captured values vs operands', () => {
  // f(x) = log(x) for x > 0, x^2 otherwise: f' = 1/x | 2x, f'' = -1/x^2 | 2; log(0) is undefined in the untaken branch
  const X = f64([0, 2, -1]);
  const g1 = [0, 0.5, -2], g2 = [2, -0.25, 2];
  const idx = (x: A) => np.greater(x, 0).astype('int32');
  const variants: [string, (x: A) => A][] = [
    ['cond captured', (x) => lax.cond(np.greater(x, 0), () => np.log(x), () => np.multiply(x, x))],
    ['cond operand', (x) => lax.cond(np.greater(x, 0), (y: A) => np.log(y), (y: A) => np.multiply(y, y), x)],
    ['switch captured', (x) => lax.switch(idx(x), [() => np.multiply(x, x), () => np.log(x), () => np.sqrt(np.negative(x))])],
    ['switch operand', (x) => lax.switch(idx(x), [(y: A) => np.multiply(y, y), (y: A) => np.log(y)], x)],
    ['derived capture', (x) => { const y = np.multiply(x, 1); return lax.cond(np.greater(x, 0), () => np.log(y), () => np.multiply(y, y)); }],
    ['jit in branch', (x) => lax.cond(np.greater(x, 0), () => jit((y: A) => np.log(np.multiply(y, x)))(f64(1)), () => np.multiply(x, x))],
    ['checkpoint in branch', (x) => lax.cond(np.greater(x, 0), () => checkpoint((y: A) => np.log(np.multiply(y, x)))(f64(1)), () => np.multiply(x, x))],
    ['nested cond', (x) => lax.cond(np.greater(x, -0.5), () => lax.cond(np.greater(x, 0), () => np.log(x), () => np.multiply(x, x)), () => np.multiply(x, x))],
    ['scan in branch', (x) => lax.cond(np.greater(x, 0), () => lax.scan((c: A) => [np.add(c, np.log(x)), null], f64(0), null, { length: 1 })[0], () => np.multiply(x, x))],
    ['foriLoop in branch', (x) => lax.cond(np.greater(x, 0), () => lax.foriLoop(0, 1, (_i: A, c: A) => np.add(c, np.log(x)), f64(0)), () => np.multiply(x, x))],
    ['cond in scan body', (x) => lax.scan((_c: A) => [lax.cond(np.greater(x, 0), () => np.log(x), () => np.multiply(x, x)), null], f64(0), null, { length: 1 })[0]],
    ['cond in jit, captured outer x', (x) => jit((z: A) => lax.cond(np.greater(z, 0), () => np.log(x), () => np.multiply(x, x)))(x)],
    ['customJvp in branch', (x) => {
      const f = customJvp((y: A) => np.log(y));
      f.defjvp(([y]: A, [t]: A) => [np.log(y), np.divide(t, y)]);
      return lax.cond(np.greater(x, 0), () => f(x), () => np.multiply(x, x));
    }],
    ['customVjp in branch', (x) => {
      const f = customVjp((y: A) => np.log(y));
      f.defvjp((y: A) => [np.log(y), y], (y: A, g: A) => [np.divide(g, y)]);
      return lax.cond(np.greater(x, 0), () => f(x), () => np.multiply(x, x));
    }],
  ];
  for (const [name, f] of variants) {
    test(`${name}: vmap(grad), grad(sum vmap), jit(vmap(grad)), vmap(hessian), jacfwd(vmap)`, () => {
      close(vmap(grad(f))(X), g1, 1e-12, 'vmap(grad)');
      close(grad((x: A) => np.sum(vmap(f)(x)))(X), g1, 1e-12, 'grad(sum vmap)');
      close(jit(vmap(grad(f)))(X), g1, 1e-12, 'jit(vmap(grad))');
      close(vmap(hessian(f))(X), g2, 1e-12, 'vmap(hessian)');
      // (forward mode through a customVjp is a NotImplementedError, as in JAX)
      if (!name.startsWith('customVjp')) close(jacfwd(vmap(f))(X), [0, 0, 0, 0, 0.5, 0, 0, 0, -2], 1e-12, 'jacfwd(vmap)');
    });
  }
  test('linearize, vjp, jacrev of vmap(cond) and vmap(vmap(grad)): finite where the untaken branch is not', () => {
    const f = variants[0][1];
    close(linearize(vmap(f), X)[1](f64([1, 1, 1])), g1, 1e-12);
    close(vjp(vmap(f), X)[1](f64([1, 1, 1]))[0], g1, 1e-12);
    close(jacrev(vmap(f))(X), [0, 0, 0, 0, 0.5, 0, 0, 0, -2], 1e-12);
    close(vmap(vmap(grad(f)))(f64([[0, 2, -1], [3, 0, 1]])), [0, 0.5, -2, 1 / 3, 0, 1], 1e-12);
  });
  test('a captured value the vmap batches while the operand is not (and the reverse)', () => {
    // h(y)(x) = log(y) x if y > 0 else y x, vmap over y, differentiate x or y
    const h = (y: A) => (x: A) => lax.cond(np.greater(y, 0), () => np.multiply(np.log(y), x), () => np.multiply(y, x));
    const Y = f64([0, 2, 3]);
    close(vmap((y: A) => grad(h(y))(f64(1.5)))(Y), [0, Math.log(2), Math.log(3)], 1e-12);
    close(vmap(grad((y: A) => h(y)(f64(1.5))))(Y), [1.5, 0.75, 0.5], 1e-12);
    // an unbatched y that a grad differentiates, read by every example's branch; log(x y) undefined at x = 0 (untaken)
    const y3 = f64(3), Xs = f64([0, 2, -1]);
    // d/dy sum(x > 0 ? log(x y) : y) = 1 + 1/3 + 1; d/dy sum(x > 0 ? log(x) y : y^2) = 6 + log 2 + 6
    close(grad((y: A) => np.sum(vmap((x: A) => lax.cond(np.greater(x, 0), () => np.log(np.multiply(x, y)), () => y))(Xs)))(y3), 7 / 3, 1e-12);
    const k = (y: A) => np.sum(vmap((x: A) => lax.cond(np.greater(x, 0), () => np.multiply(np.log(x), y), () => np.multiply(y, y)))(Xs));
    close(grad(k)(y3), 12 + Math.log(2), 1e-12);
    close(jit(grad(k))(y3), 12 + Math.log(2), 1e-12);
  });
  test('a customJvp rule / customVjp bwd closing over the outer x (log(x), x = 0 untaken): grad over w finite', () => {
    const mk = (x: A, w: A) => { const f = customJvp((y: A) => np.sin(y)); f.defjvp(([y]: A, [t]: A) => [np.sin(y), np.multiply(np.multiply(w, np.log(x)), t)]); return f; };
    const mkv = (x: A, w: A) => { const f = customVjp((y: A) => np.sin(y)); f.defvjp((y: A) => [np.sin(y), y], (_y: A, g: A) => [np.multiply(g, np.multiply(w, np.log(x)))]); return f; };
    for (const m of [mk, mkv]) {
      const F = (w: A) => (x: A) => lax.cond(np.greater(x, 0), () => grad((y: A) => m(x, w)(y))(f64(0.3)), () => w);
      close(grad((w: A) => np.sum(vmap(F(w))(f64([0, 2]))))(f64(1.5)), 1 + Math.log(2), 1e-12);
      close(jit(grad((w: A) => np.sum(vmap(F(w))(f64([0, 2])))))(f64(1.5)), 1 + Math.log(2), 1e-12);
      close(vmap((x: A) => grad((w: A) => F(w)(x))(f64(1.5)))(f64([0, 2])), [1, Math.log(2)], 1e-12);
    }
  });
});

// ------------------------------------------------------------------ loops

describe('foriLoop and whileLoop: closures with batched bounds / predicates', () => {
  test('foriLoop(0, n) with n batched, body sqrt(a - i) over a captured a (NaN past each n): captured = carried', () => {
    // f(a, n) = sum_{i<n} sqrt(a - i); (a, n) = (2.5, 3), (2.5, 1), (5.5, 6): past n the body is sqrt of a negative
    const fcap = (a: A, n: A) => lax.foriLoop(0, n, (i: A, c: A) => np.add(c, np.sqrt(np.subtract(a, i))), f64(0));
    const fop = (a: A, n: A) => lax.foriLoop(0, n, (i: A, c: A) => [np.add(c[0], np.sqrt(np.subtract(c[1], i))), c[1]], [f64(0), a])[0];
    const As = [2.5, 2.5, 5.5], Ns = [3, 1, 6];
    const g = As.map((a, k) => { let s = 0; for (let i = 0; i < Ns[k]; i++) s += 0.5 / Math.sqrt(a - i); return s; });
    const h = As.map((a, k) => { let s = 0; for (let i = 0; i < Ns[k]; i++) s += -0.25 * Math.pow(a - i, -1.5); return s; });
    const v = As.map((a, k) => { let s = 0; for (let i = 0; i < Ns[k]; i++) s += Math.sqrt(a - i); return s; });
    const Aa = f64(As), N = np.array(Ns, { dtype: 'int32' });
    for (const f of [fcap, fop]) {
      close(vmap(f)(Aa, N), v, 1e-12);
      close(vmap(grad(f))(Aa, N), g, 1e-12);
      close(grad((a: A) => np.sum(vmap(f)(a, N)))(Aa), g, 1e-12);
      close(vmap(hessian(f))(Aa, N), h, 1e-12);
      close(vmap((a: A, n: A) => jvp((b: A) => f(b, n), [a], [f64(1)])[1])(Aa, N), g, 1e-12);
    }
  });
  test('foriLoop, n batched, an unbatched captured a differentiated outside the vmap (sqrt((n - i) a), undefined past n)', () => {
    const fcap = (a: A) => (n: A) => lax.foriLoop(0, n, (i: A, s: A) => np.add(s, np.sqrt(np.multiply(np.subtract(n, i).astype('float64'), a))), f64(0));
    const Ns = [1, 3, 2], N = np.array(Ns, { dtype: 'int32' });
    const per = Ns.map((n) => { let p = 0; for (let k = 1; k <= n; k++) p += Math.sqrt(k) * 0.5 / Math.sqrt(2); return p; });
    const tot = per.reduce((a, b) => a + b), hh = -tot / 4; // d2/da2 sqrt(k a) = -sqrt(k)/(4 a^1.5) = -(first derivative)/(2a)
    close(grad((a: A) => np.sum(vmap(fcap(a))(N)))(f64(2)), tot, 1e-12);
    close(vmap((n: A) => grad((a: A) => fcap(a)(n))(f64(2)))(N), per, 1e-12);
    close(jacrev((a: A) => vmap(fcap(a))(N))(f64(2)), per, 1e-12);
    close(jacfwd((a: A) => vmap(fcap(a))(N))(f64(2)), per, 1e-12);
    close(hessian((a: A) => np.sum(vmap(fcap(a))(N)))(f64(2)), hh, 1e-12);
  });
  test('foriLoop with a batched lower bound, body closing over a differentiated a', () => {
    const fl = (a: A) => (lo: A) => lax.foriLoop(lo, 3, (i: A, s: A) => np.add(s, np.log(np.multiply(np.add(np.subtract(i, lo), 1).astype('float64'), np.subtract(a, i.astype('float64'))))), f64(0));
    let ref = 0; for (const lo of [0, 2, 1]) for (let i = lo; i < 3; i++) ref += 1 / (3.5 - i);
    close(grad((a: A) => np.sum(vmap(fl(a))(np.array([0, 2, 1], { dtype: 'int32' }))))(f64(3.5)), ref, 1e-12);
  });
  test('whileLoop: body and condFun closing over the batched value, and over an unbatched differentiated a', () => {
    // w(a) = sum_{c = 0, 1, ... < a} sqrt(a - c)
    const w = (a: A) => lax.whileLoop((c: A) => np.less(c[0], a), (c: A) => [np.add(c[0], 1), np.add(c[1], np.sqrt(np.subtract(a, c[0])))], [f64(0), f64(0)])[1];
    const jw = (a: number) => { let s = 0; for (let c = 0; c < a; c++) s += Math.sqrt(a - c); return s; };
    const B = [0.5, 2.5, 3.7]; // (away from the integers, where the trip count jumps)
    close(vmap(grad(w))(f64(B)), B.map((a) => fd(jw, a)), 1e-8);
    close(grad((a: A) => np.sum(vmap(w)(a)))(f64(B)), B.map((a) => fd(jw, a)), 1e-8);
    close(vmap(hessian(w))(f64(B)), B.map((a) => fd2(jw, a)), 1e-5);
    // product form, condFun reading the captured y
    const wp = (y: A) => lax.whileLoop((c: A) => np.less(c[0], y), (c: A) => [np.add(c[0], 1), np.multiply(c[1], np.sqrt(np.subtract(y, c[0])))], [f64(0), f64(1)])[1];
    const jp = (y: number) => { let c = 0, p = 1; while (c < y) { p *= Math.sqrt(y - c); c++; } return p; };
    close(vmap(grad(wp))(f64([1.5, 3.2])), [fd(jp, 1.5), fd(jp, 3.2)], 1e-8);
    close(vmap(jacfwd(wp))(f64([1.5, 3.2])), [fd(jp, 1.5), fd(jp, 3.2)], 1e-8);
    // unbatched captured a, batched carry c0; sqrt(c a) with c negative past the end
    const wa = (a: A) => (c0: A) => lax.whileLoop((c: A) => np.greater(c[0], 0), (c: A) => [np.subtract(c[0], 1), np.add(c[1], np.sqrt(np.multiply(c[0], a)))], [c0, f64(0)])[1];
    const C0 = [1, 3, 2];
    const per = C0.map((c0) => { let g = 0; for (let c = c0; c > 0; c--) g += Math.sqrt(c) * 0.5 / Math.sqrt(2); return g; });
    const tot = per.reduce((p, q) => p + q);
    close(grad((a: A) => np.sum(vmap(wa(a))(f64(C0))))(f64(2)), tot, 1e-12);
    close(jacfwd((a: A) => np.sum(vmap(wa(a))(f64(C0))))(f64(2)), tot, 1e-12);
    close(vmap((c0: A) => grad((a: A) => wa(a)(c0))(f64(2)))(f64(C0)), per, 1e-12);
    close(hessian((a: A) => np.sum(vmap(wa(a))(f64(C0))))(f64(2)), -tot / 4, 1e-12);
  });
});

// ------------------------------------------------------------------ scan, associativeScan, checkpoint

describe('scan, associativeScan and checkpoint closing over a differentiated weight', () => {
  const XS = [0.3, -1.2, 2.0, 0.7];
  const js = (w: number, xs: number[]) => { let c = 0.5, s = 0; for (const x of xs) { c = c * w + Math.sin(x * w); s += c * c; } return s + c; };
  const scap = (w: A, xs: A) => { const [c, ys] = lax.scan((c: A, x: A) => { const n = np.add(np.multiply(c, w), np.sin(np.multiply(x, w))); return [n, np.multiply(n, n)]; }, f64(0.5), xs); return np.add(np.sum(ys), c); };
  const sop = (w: A, xs: A) => { const [c, ys] = lax.scan((c: A, x: A) => { const n = np.add(np.multiply(c[0], c[1]), np.sin(np.multiply(x, c[1]))); return [[n, c[1]], np.multiply(n, n)]; }, [f64(0.5), w], xs); return np.add(np.sum(ys), c[0]); };
  for (const [name, L] of [['captured', scap], ['carried', sop]] as const) {
    test(`scan, w ${name}: grad, jit(grad), grad(jit), hessian, vmap(grad) over w and over xs`, () => {
      const g = fd((w) => js(w, XS), 0.8), h = fd2((w) => js(w, XS), 0.8);
      close(L(f64(0.8), f64(XS)), js(0.8, XS), 1e-12);
      close(grad(L)(f64(0.8), f64(XS)), g, 1e-8);
      close(jit(grad(L))(f64(0.8), f64(XS)), g, 1e-8);
      close(grad(jit(L))(f64(0.8), f64(XS)), g, 1e-8);
      close(hessian(L)(f64(0.8), f64(XS)), h, 1e-5);
      close(jit(hessian(L))(f64(0.8), f64(XS)), h, 1e-5);
      const W = [0.8, -0.4, 1.1];
      close(vmap(grad(L), { inAxes: [0, null] })(f64(W), f64(XS)), W.map((w) => fd((v) => js(v, XS), w)), 1e-8);
      close(jit(vmap(grad(L), { inAxes: [0, null] }))(f64(W), f64(XS)), W.map((w) => fd((v) => js(v, XS), w)), 1e-8);
      const X2 = XS.map((v) => 2 * v);
      close(vmap(grad(L), { inAxes: [null, 0] })(f64(0.8), f64([XS, X2])), [g, fd((w) => js(w, X2), 0.8)], 1e-8);
    });
  }
  test('associativeScan with a captured w in the combining function (a + b + w a b)', () => {
    const asc = (w: A) => (xs: A) => np.sum(lax.associativeScan((a: A, b: A) => np.add(np.add(a, b), np.multiply(np.multiply(a, b), w)), xs));
    const ja = (w: number, xs: number[]) => { let acc = xs[0], s = acc; for (let i = 1; i < xs.length; i++) { acc = acc + xs[i] + w * acc * xs[i]; s += acc; } return s; };
    const xs = [0.3, -0.5, 0.8], neg = xs.map((v) => -v);
    close(asc(f64(0.7))(f64(xs)), ja(0.7, xs), 1e-12);
    close(grad((w: A) => asc(w)(f64(xs)))(f64(0.7)), fd((w) => ja(w, xs), 0.7), 1e-8);
    close(jit(grad((w: A) => asc(w)(f64(xs))))(f64(0.7)), fd((w) => ja(w, xs), 0.7), 1e-8);
    close(hessian((w: A) => asc(w)(f64(xs)))(f64(0.7)), fd2((w) => ja(w, xs), 0.7), 1e-5);
    close(vmap(grad((w: A) => asc(w)(f64(xs))))(f64([0.7, -1.2])), [fd((w) => ja(w, xs), 0.7), fd((w) => ja(w, xs), -1.2)], 1e-8);
    close(grad((w: A) => np.sum(vmap(asc(w))(f64([xs, neg]))))(f64(0.7)), fd((w) => ja(w, xs) + ja(w, neg), 0.7), 1e-8);
  });
  test('checkpoint, w captured vs passed: every transform', () => {
    const J = (w: number, x: number) => Math.sin(x * w * w);
    const ccap = (w: A, x: A) => checkpoint((y: A) => np.sin(np.multiply(np.multiply(y, w), w)))(x);
    const cop = (w: A, x: A) => checkpoint((y: A, v: A) => np.sin(np.multiply(np.multiply(y, v), v)))(x, w);
    const gw = 2 * 0.7 * 1.3 * Math.cos(1.3 * 0.49), gx = 0.49 * Math.cos(1.3 * 0.49);
    const hw = 2 * 1.3 * Math.cos(1.3 * 0.49) - Math.pow(2 * 0.7 * 1.3, 2) * Math.sin(1.3 * 0.49);
    for (const f of [ccap, cop]) {
      close(grad(f)(f64(0.7), f64(1.3)), gw, 1e-12);
      close(grad(f, { argnums: 1 })(f64(0.7), f64(1.3)), gx, 1e-12);
      close(jit(grad(f))(f64(0.7), f64(1.3)), gw, 1e-12);
      close(grad(jit(f))(f64(0.7), f64(1.3)), gw, 1e-12);
      close(hessian(f)(f64(0.7), f64(1.3)), hw, 1e-12);
      close(jit(hessian(f))(f64(0.7), f64(1.3)), hw, 1e-12);
      close(jacfwd(f)(f64(0.7), f64(1.3)), gw, 1e-12);
      close(linearize((w: A) => f(w, f64(1.3)), f64(0.7))[1](f64(1)), gw, 1e-12);
      close(vmap(grad(f), { inAxes: [0, null] })(f64([0.7, -0.2]), f64(1.3)), [gw, fd((w) => J(w, 1.3), -0.2)], 1e-8);
      close(jit(vmap(grad(f), { inAxes: [null, 0] }))(f64(0.7), f64([1.3, 2])), [gw, fd((w) => J(w, 2), 0.7)], 1e-8);
    }
  });
});

// ------------------------------------------------------------------ jit

describe('jit closing over tracers of an enclosing transform', () => {
  // F(x) = jit(y => sin(y x) x)(2) = sin(2x) x
  const F = (x: A) => jit((y: A) => np.multiply(np.sin(np.multiply(y, x)), x))(f64(2));
  const dF = (x: number) => 2 * Math.cos(2 * x) * x + Math.sin(2 * x), d2F = (x: number) => -4 * Math.sin(2 * x) * x + 4 * Math.cos(2 * x);
  test('grad, hessian, jacfwd, vmap, vmap(grad) of a jit closing over x', () => {
    close(grad(F)(f64(0.7)), dF(0.7), 1e-12);
    close(hessian(F)(f64(0.7)), d2F(0.7), 1e-12);
    close(jacfwd(F)(f64(0.7)), dF(0.7), 1e-12);
    close(vmap(F)(f64([0.7, 0.1])), [Math.sin(1.4) * 0.7, Math.sin(0.2) * 0.1], 1e-12);
    close(vmap(grad(F))(f64([0.7, 0.1])), [dF(0.7), dF(0.1)], 1e-12);
    // the closure batched, the jit's operand not: grad with respect to the operand
    close(vmap((x: A) => grad(jit((y: A) => np.multiply(np.sin(y), x)))(f64(0.4)))(f64([1, 2])), [Math.cos(0.4), 2 * Math.cos(0.4)], 1e-12);
  });
  test('nested jit, each closing over the enclosing one\'s values: exp(2 x^2) cos(2x)', () => {
    const nested = (x: A) => jit((a: A) => jit((b: A) => np.multiply(np.exp(np.multiply(a, x)), b))(np.cos(a)))(np.multiply(x, 2));
    const nj = (x: number) => Math.exp(2 * x * x) * Math.cos(2 * x);
    close(nested(f64(0.3)), nj(0.3), 1e-12);
    close(grad(nested)(f64(0.3)), fd(nj, 0.3), 1e-8);
    close(jit(grad(nested))(f64(0.3)), fd(nj, 0.3), 1e-8);
    close(hessian(nested)(f64(0.3)), fd2(nj, 0.3), 1e-5);
    close(vmap(grad(nested))(f64([0.3, -0.5])), [fd(nj, 0.3), fd(nj, -0.5)], 1e-8);
  });
});

// ------------------------------------------------------------------ custom rules

describe('customJvp / customVjp closing over outer values', () => {
  const mk = (w: A) => { const f = customJvp((x: A) => np.sin(np.multiply(w, x))); f.defjvp(([x]: A, [t]: A) => [np.sin(np.multiply(w, x)), np.multiply(np.multiply(w, np.cos(np.multiply(w, x))), t)]); return f; };
  const mkv = (w: A) => { const f = customVjp((x: A) => np.sin(np.multiply(w, x))); f.defvjp((x: A) => [np.sin(np.multiply(w, x)), x], (x: A, g: A) => [np.multiply(g, np.multiply(w, np.cos(np.multiply(w, x))))]); return f; };
  test('differentiating what f closes over is a TracerError (JAX refuses it), never a silent zero', () => {
    for (const m of [mk, mkv]) {
      assert.throws(() => grad((w: A) => m(w)(f64(0.3)))(f64(2)), TracerError);
      assert.throws(() => jit(grad((w: A) => m(w)(f64(0.3))))(f64(2)), TracerError);
      assert.throws(() => grad((w: A) => np.sum(vmap(m(w))(f64([0.3, 0.5]))))(f64(2)), TracerError);
    }
    assert.throws(() => jacfwd((w: A) => mk(w)(f64(0.3)))(f64(2)), TracerError);
  });
  test('a closure batched by vmap: grad, jit(grad), hessian per example against the closed form', () => {
    const W = [2, 3];
    for (const m of [mk, mkv]) {
      close(vmap((w: A) => grad((x: A) => m(w)(x))(f64(0.3)))(f64(W)), W.map((w) => w * Math.cos(w * 0.3)), 1e-12);
      close(vmap((w: A) => jit(grad((x: A) => m(w)(x)))(f64(0.3)))(f64(W)), W.map((w) => w * Math.cos(w * 0.3)), 1e-12);
      close(jit(vmap((w: A) => grad((x: A) => m(w)(x))(f64(0.3))))(f64(W)), W.map((w) => w * Math.cos(w * 0.3)), 1e-12);
    }
    close(vmap((w: A) => hessian((x: A) => mk(w)(x))(f64(0.3)))(f64(W)), W.map((w) => -w * w * Math.sin(w * 0.3)), 1e-12);
  });
  test('second order through the rule\'s closure: grad_w(grad_x) = d/dw [w cos(w x)] (or [sqrt(w) cos x] when only the rule reads w)', () => {
    const ref = Math.cos(0.6) - 0.6 * Math.sin(0.6);
    for (const m of [mk, mkv]) {
      close(grad((w: A) => grad((x: A) => m(w)(x))(f64(0.3)))(f64(2)), ref, 1e-12);
      close(jacfwd((w: A) => grad((x: A) => m(w)(x))(f64(0.3)))(f64(2)), ref, 1e-12);
      close(jit(grad((w: A) => grad((x: A) => m(w)(x))(f64(0.3))))(f64(2)), ref, 1e-12);
    }
    const rj = (w: A) => { const f = customJvp((x: A) => np.sin(x)); f.defjvp(([x]: A, [t]: A) => [np.sin(x), np.multiply(np.multiply(np.sqrt(w), np.cos(x)), t)]); return f; };
    const rv = (w: A) => { const f = customVjp((x: A) => np.sin(x)); f.defvjp((x: A) => [np.sin(x), [x, w]], (r: A, g: A) => [np.multiply(g, np.multiply(np.sqrt(r[1]), np.cos(r[0])))]); return f; };
    for (const m of [rj, rv]) {
      close(grad((w: A) => grad((x: A) => m(w)(x))(f64(0.3)))(f64(4)), Math.cos(0.3) / 4, 1e-12);
      close(jit(grad((w: A) => grad((x: A) => m(w)(x))(f64(0.3))))(f64(4)), Math.cos(0.3) / 4, 1e-12);
      // in a batched cond whose other branch is w^2, w < 0 there (sqrt(w) NaN untaken)
      const F = (w: A) => lax.cond(np.greater(w, 0), () => grad((x: A) => m(w)(x))(f64(0.3)), () => np.multiply(w, w));
      close(vmap(grad(F))(f64([-1, 4])), [-2, Math.cos(0.3) / 4], 1e-12);
      close(jit(vmap(grad(F)))(f64([-1, 4])), [-2, Math.cos(0.3) / 4], 1e-12);
    }
  });
});

// ------------------------------------------------------------------ implicit

describe('customRoot / customLinearSolve: parameters read through closures', () => {
  const ts = (g: A, y: A) => np.divide(y, g(f64(1)));
  const newton = (f: A, x0: A) => { let x = x0; for (let i = 0; i < 30; i++) { const y = f(x), d = grad(f)(x); x = np.subtract(x, np.divide(y, d)); } return x; };
  test('a cube root whose f closes over a, and a reads a cond / scan / jit / checkpoint inside f', () => {
    const mk = (inner: (x: A, a: A) => A) => (a: A) => lax.customRoot((x: A) => inner(x, a), f64(1), newton, ts);
    const fs = [
      mk((x, a) => np.subtract(np.power(x, 3), a)),
      mk((x, a) => lax.cond(np.greater(x, 0), () => np.subtract(np.power(x, 3), a), () => np.subtract(np.multiply(x, 3), a))),
      mk((x, a) => np.subtract(lax.scan((c: A) => [np.multiply(c, x), null], f64(1), null, { length: 3 })[0], a)),
      mk((x, a) => jit((y: A) => np.subtract(np.power(y, 3), a))(x)),
      mk((x, a) => checkpoint((y: A) => np.subtract(np.power(y, 3), a))(x)),
    ];
    const d1 = (a: number) => Math.pow(a, -2 / 3) / 3;
    for (const f of fs) {
      close(f(f64(5)), Math.cbrt(5), 1e-12);
      close(grad(f)(f64(5)), d1(5), 1e-12);
      close(jit(grad(f))(f64(5)), d1(5), 1e-12);
      close(vmap(grad(f))(f64([5, 8])), [d1(5), d1(8)], 1e-12);
    }
    close(hessian(fs[0])(f64(5)), (-2 / 9) * Math.pow(5, -5 / 3), 1e-12);
    close(jacfwd(fs[0])(f64(5)), d1(5), 1e-12);
  });
  // log x as the root of exp(r) = x (d/dx = 1/x), 1/t as the solve of t v = 1 (d/dt = -1/t^2)
  const root = (x: A) => lax.customRoot((r: A) => np.subtract(np.exp(r), x), f64(0), () => np.log(x), ts);
  const lsolve = (t: A) => lax.customLinearSolve((v: A) => np.multiply(v, t), f64(1), (mv: A, b: A) => np.divide(b, mv(f64(1))), null, { symmetric: true });
  test('inside checkpoint, jit, a concrete cond, scan, a concrete foriLoop/whileLoop: vmap(grad) right', () => {
    const wraps: ((S: (x: A) => A) => (x: A) => A)[] = [
      (S) => (x) => checkpoint(() => S(x))(),
      (S) => (x) => jit(() => S(x))(),
      (S) => (x) => jit((y: A) => np.multiply(S(x), y))(f64(1)),
      (S) => (x) => lax.cond(true, () => S(x), () => x),
      (S) => (x) => lax.scan(() => [S(x), null], f64(0), null, { length: 1 })[0],
      (S) => (x) => lax.foriLoop(0, 1, () => S(x), f64(0)),
      (S) => (x) => lax.whileLoop((c: A) => np.less(c[0], 1), (c: A) => [np.add(c[0], 1), S(x)], [f64(0), f64(0)])[1],
    ];
    for (const w of wraps) {
      close(vmap(grad(w(root)))(f64([2, 4])), [0.5, 0.25], 1e-12);
      close(vmap(grad(w(lsolve)))(f64([2, 4])), [-0.25, -0.0625], 1e-12);
      close(vmap((x: A) => jvp(w(root), [x], [f64(1)])[1])(f64([2, 4])), [0.5, 0.25], 1e-12);
    }
  });
  test('in a vmap-batched cond with the solve\'s value as an operand of the branch: right', () => {
    close(vmap(grad((x: A) => lax.cond(np.greater(x, 0), (z: A) => root(z), (z: A) => np.multiply(z, z), x)))(f64([2, 4])), [0.5, 0.25], 1e-12);
  });
  // DEFECT: the solve inside a cond / switch / foriLoop / whileLoop whose predicate or bounds vmap
  // batches, its matvec / f closing over a value from outside that construct: the implicit
  // derivative is silently 0 (eagerly; for cond under jit too). JAX closure-converts matvec/f and
  // gives the derivative. Cause: the construct traces the branch/body and replays it with its
  // closed-over values as fresh (guarded) rows; the implicit rule seeds those rows (its `params`,
  // rebound) but calls the user's matvec/f, which reads the live outer row, so jvpRows finds no path.
  const todoWhy = 'customRoot/customLinearSolve closing over an outer value inside a vmap-batched cond/switch/fori/while: derivative silently 0 (implicit.ts paramJvp seeds the replayed rows, matvec reads the live outer row)';
  test('DEFECT: customRoot in a batched cond, f closing over x: vmap(grad) 1/x', () => {
    close(vmap(grad((x: A) => lax.cond(np.greater(x, 0), () => root(x), () => np.multiply(x, x))))(f64([2, 4])), [0.5, 0.25], 1e-12); // got [0, 0]
  });
  test('DEFECT: customLinearSolve in a batched cond / switch: vmap(grad), vmap(jvp) -1/t^2', () => {
    const c = (t: A) => lax.cond(np.greater(t, 0), () => lsolve(t), () => np.multiply(t, t));
    close(vmap(grad(c))(f64([2, 4])), [-0.25, -0.0625], 1e-12); // got [0, 0]
    close(vmap((t: A) => jvp(c, [t], [f64(1)])[1])(f64([2, 4])), [-0.25, -0.0625], 1e-12);
    close(vmap(grad((t: A) => lax.switch(np.greater(t, 0).astype('int32'), [() => np.multiply(t, t), () => lsolve(t)])))(f64([2, 4])), [-0.25, -0.0625], 1e-12);
  });
  test('DEFECT: an unbatched t read by every example\'s batched cond: grad_t, jit(grad_t), jvp of sum(vmap) -1/t^2', () => {
    // sum over x in [-1, 2] of S(t) x, each computed in a branch of a cond on x > 0 (both branches the same)
    for (const S of [lsolve, (t: A) => lax.customRoot((r: A) => np.subtract(np.multiply(r, t), 1), f64(0), () => np.divide(1, t), ts)]) {
      const F = (t: A) => np.sum(vmap((x: A) => lax.cond(np.greater(x, 0), () => np.multiply(S(t), x), () => np.multiply(S(t), x)))(f64([-1, 2])));
      close(grad(F)(f64(4)), -1 / 16, 1e-12); // got 0
      close(jit(grad(F))(f64(4)), -1 / 16, 1e-12); // got 0
      close(jvp(F, [f64(4)], [f64(1)])[1], -1 / 16, 1e-12); // got 0
    }
  });
  test('DEFECT: customRoot / customLinearSolve in a foriLoop with batched bounds or a whileLoop with a batched predicate', () => {
    const fl = (S: (x: A) => A) => (x: A, n: A) => lax.foriLoop(0, n, (_i: A, c: A) => np.add(c, S(x)), f64(0));
    const wl = (S: (x: A) => A) => (x: A) => lax.whileLoop((c: A) => np.less(c[0], x), (c: A) => [np.add(c[0], 1), np.add(c[1], S(x))], [f64(0), f64(0)])[1];
    const N = np.array([2, 4], { dtype: 'int32' });
    close(vmap(grad(fl(root)))(f64([2, 4]), N), [1, 1], 1e-12); // got [0, 0]
    close(vmap(grad(fl(lsolve)))(f64([2, 4]), N), [-0.5, -0.25], 1e-12);
    close(vmap(grad(wl(root)))(f64([2, 4])), [1, 1], 1e-12);
    close(vmap(grad(wl(lsolve)))(f64([2, 4])), [-0.5, -0.25], 1e-12);
  });
});
