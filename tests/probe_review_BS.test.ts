// helper-BS: a review probe of today's changes (2e403f4..bab6c85): eager vmap of cond/switch and
// whileLoop with a batched predicate (branches and bodies traced, then inlined with what they close
// over guarded), customRoot/customLinearSolve's implicit JVP in replayed traces, JAX's new tree
// functions, customJvp(f).defjvps and foriLoop's { unroll }. References: closed forms (written
// out per case), Python's semantics for tree.all/any/keystr (CPython 3 / jax.tree_util), and
// JAX's custom_derivatives.py for defjvps. Never cotangent itself, except jit-vs-eager equality.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  np, lax, grad, jvp, vmap, jit, hessian, jacfwd, jacrev, linearize, tree, customJvp, customVjp, checkpoint,
  NDArray, CotangentError, DTypeError, ValueError, ShapeError, keptTapeStats,
} from '../ts/index.ts';

const f64 = (x: any) => np.array(x, { dtype: 'float64' });
const i32 = (x: any) => np.array(x, { dtype: 'int32' });
const vals = (x: any): number[] => (x instanceof NDArray ? Array.from(x.dataSync() as ArrayLike<number>, Number) : [x].flat().map(Number));
function close(got: any, want: number | number[], tol = 1e-12, msg = '') {
  const g = vals(got), w = [want].flat();
  assert.equal(g.length, w.length, `${msg}: length ${g.length} vs ${w.length}`);
  g.forEach((v, i) => {
    if (!Number.isFinite(w[i])) assert.ok(Object.is(v, w[i]), `${msg}[${i}]: got ${v}, want ${w[i]}`);
    else assert.ok(Math.abs(v - w[i]) <= tol * Math.max(1, Math.abs(w[i])), `${msg}[${i}]: got ${v}, want ${w[i]}`);
  });
}
function throwsNamed(fn: () => unknown, cls: any, ...parts: (string | RegExp)[]) {
  assert.throws(fn, (e: any) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${e?.constructor?.name}: ${e?.message}`);
    assert.ok(e instanceof CotangentError);
    for (const p of parts) assert.ok(typeof p === 'string' ? e.message.includes(p) : p.test(e.message), `message ${JSON.stringify(e.message)} lacks ${p}`);
    return true;
  });
}

// f(x) = x log x (x > 1), sin(x^2) otherwise: f' = log x + 1 ; 2x cos x^2. f'' = 1/x ; 2 cos x^2 - 4x^2 sin x^2
const F = (x: any) => lax.cond(np.greater(x, 1), () => np.multiply(np.log(x), x), () => np.sin(np.multiply(x, x)));
const XS = [-1, 0.5, 2, 3];
const d1 = (x: number) => (x > 1 ? Math.log(x) + 1 : 2 * x * Math.cos(x * x));
const d2 = (x: number) => (x > 1 ? 1 / x : 2 * Math.cos(x * x) - 4 * x * x * Math.sin(x * x));

test('eager vmap of a batched cond: every derivative transform against the closed form, jit equal to eager', () => {
  const xs = f64(XS), w1 = XS.map(d1), w2 = XS.map(d2);
  close(vmap(grad(F))(xs), w1, 1e-14, 'vmap(grad)');
  close(jit(vmap(grad(F)))(xs), w1, 1e-14, 'jit(vmap(grad))');
  close(grad((v: any) => np.sum(vmap(F)(v)))(xs), w1, 1e-14, 'grad(sum(vmap))');
  close(jvp(vmap(F), [xs], [np.onesLike(xs)])[1], w1, 1e-14, 'jvp(vmap)');
  const diag = (n: number, d: number[]) => Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? d[k / (n + 1)] : 0));
  close(jacfwd(vmap(F))(xs), diag(4, w1), 1e-14, 'jacfwd(vmap)');
  close(jacrev(vmap(F))(xs), diag(4, w1), 1e-14, 'jacrev(vmap)');
  close(hessian((v: any) => np.sum(vmap(F)(v)))(xs), diag(4, w2), 1e-13, 'hessian(sum(vmap))');
  close(vmap(hessian(F))(xs), w2, 1e-13, 'vmap(hessian)');
  const [y, lin] = linearize(vmap(F), xs);
  close(y, XS.map((x) => (x > 1 ? x * Math.log(x) : Math.sin(x * x))), 1e-15, 'linearize y');
  close(lin(np.onesLike(xs)), w1, 1e-14, 'linearize tangent');
});

test('a closed-over value undefined where its branch is not taken: no NaN (JAX: 1, 0.5 / 7, 0.5, -0.5)', () => {
  close(vmap(grad((x: any) => lax.cond(np.greater(x, 0), () => np.log(x), () => x)))(f64([0, 2])), [1, 0.5]);
  const N = (x: any) => lax.cond(np.greater(x, -0.5), () => lax.cond(np.greater(x, 1), () => np.log(x), () => np.multiply(x, 7)), () => np.sqrt(np.negative(x)));
  close(vmap(grad(N))(f64([0, 2, -1])), [7, 0.5, -0.5], 1e-15, 'nested cond');
  close(jit(vmap(grad(N)))(f64([0, 2, -1])), [7, 0.5, -0.5], 1e-15, 'nested cond jit');
  close(vmap(hessian(N))(f64([0, 2, -1])), [0, -0.25, -0.25], 1e-15, 'nested cond hessian');
  // switch: clamped indices; closed over and operand forms
  const idx = i32([-3, 0, 1, 2, 7]), xv = f64([0, 2, 0, 0, 3]);
  const want = [Infinity, 0.5, Infinity, 0, 6]; // log at 0 (taken), log at 2, sqrt at 0 (taken), x^2 at 0, x^2 at 3
  const SW = (i: any, x: any) => lax.switch(i, [(y: any) => np.log(y), (y: any) => np.sqrt(y), (y: any) => np.multiply(y, y)], x);
  const SW2 = (i: any, x: any) => lax.switch(i, [() => np.log(x), () => np.sqrt(x), () => np.multiply(x, x)]);
  close(vmap(grad(SW, { argnums: 1 }))(idx, xv), want, 1e-15, 'switch');
  close(vmap(grad(SW2, { argnums: 1 }))(idx, xv), want, 1e-15, 'switch closed');
  close(jit(vmap(grad(SW2, { argnums: 1 })))(idx, xv), want, 1e-15, 'switch closed jit');
  close(vmap(grad(SW, { argnums: 1 }))(np.array([0, 5, 1], { dtype: 'uint32' }), f64([2, 3, 4])), [0.5, 6, 0.25], 1e-15, 'switch uint32');
});

test('batched pred at the inner vmap, differentiated at the outer: closed forms', () => {
  // g(a) = sum_x cond(x > 0, sqrt(a x), a) over x in [0, 1, 4]: g' = 1 + 1/(2 sqrt a) + 1/sqrt a; g'' = -1/4 a^-1.5 - 1/2 a^-1.5
  const g = (a: any) => np.sum(vmap((x: any) => lax.cond(np.greater(x, 0), () => np.sqrt(np.multiply(a, x)), () => a))(f64([0, 1, 4])));
  const as = [1, 4];
  close(vmap(grad(g))(f64(as)), as.map((a) => 1 + 0.5 / Math.sqrt(a) + 1 / Math.sqrt(a)), 1e-14, 'grad');
  close(jit(vmap(grad(g)))(f64(as)), as.map((a) => 1 + 0.5 / Math.sqrt(a) + 1 / Math.sqrt(a)), 1e-14, 'jit');
  close(vmap(jacfwd(g))(f64(as)), as.map((a) => 1 + 0.5 / Math.sqrt(a) + 1 / Math.sqrt(a)), 1e-14, 'jacfwd');
  close(vmap(hessian(g))(f64(as)), as.map((a) => -0.75 * a ** -1.5), 1e-14, 'hessian');
  // pred batched at the outer level, operand at the inner one, and inAxes null
  const o = vmap((x: any) => vmap((y: any) => lax.cond(np.greater(x, 0), () => np.multiply(x, y), () => np.add(x, y)))(f64([1, 2])))(f64([-1, 0, 2, 3]));
  close(o, [0, 1, 1, 2, 2, 4, 3, 6]);
  close(vmap((x: any, y: any) => lax.cond(np.greater(x, 0), () => np.multiply(x, y), () => np.log(y)), { inAxes: [0, null] })(f64([-1, 2]), f64(0)), [-Infinity, 0]);
});

test('cond in scan, cond in a whileLoop body, closed-over sqrt in a batched while: closed forms', () => {
  // S: c <- c > k ? sqrt(c - k) : 2c for k = 1, 2, 3
  const S = (x: any) => lax.scan((c: any, k: any) => [lax.cond(np.greater(c, k), () => np.sqrt(np.subtract(c, k)), () => np.multiply(c, 2)), c], x, f64([1, 2, 3]))[0];
  close(vmap(S)(f64([-1, 0.5, 2, 3])), [-8, 4, 4, 4 * Math.SQRT2], 1e-15, 'scan');
  close(vmap(grad(S))(f64([-1, 0.5, 2, 3])), [8, 8, 2, Math.SQRT2], 1e-15, 'scan grad');
  close(jit(vmap(grad(S)))(f64([-1, 0.5, 2, 3])), [8, 8, 2, Math.SQRT2], 1e-15, 'scan grad jit');
  // W: 3 steps of c <- c > 1 ? sqrt(c) : 3c
  const W = (x: any) => lax.whileLoop((c: any) => np.less(c[0], 3), (c: any) => [np.add(c[0], 1), lax.cond(np.greater(c[1], 1), () => np.sqrt(c[1]), () => np.multiply(c[1], 3))], [i32(0), x])[1];
  close(vmap(grad(W))(f64([-1, 0.5])), [27, 0.25 * 3 ** 0.25 * 0.5 ** -0.75], 1e-14, 'while body cond');
  // c <- c + sqrt(a - c) while c < a: past its end sqrt(a - c) has an infinite derivative
  const W3 = (x: any, a: any) => lax.whileLoop((c: any) => np.less(c, a), (c: any) => np.add(c, np.sqrt(np.subtract(a, c))), x);
  const g = vmap(grad(W3, { argnums: [0, 1] }))(f64([0, 0, 0]), f64([4, 9, 1])) as any;
  // a = 1: one step to 1: d/dx = 1 - 1/2, d/da = 1/2 (other entries checked against JS forward-mode by hand below)
  const fwd = (a: number) => { let c = 0, dx = 1, da = 0; while (c < a) { const s = Math.sqrt(a - c); dx = dx - dx / (2 * s); da = da + (1 - da) / (2 * s); c = c + s; } return [dx, da]; };
  close(g[0], [4, 9, 1].map((a) => fwd(a)[0]), 1e-12, 'd/dx');
  close(g[1], [4, 9, 1].map((a) => fwd(a)[1]), 1e-12, 'd/da');
  // foriLoop with vmap-batched bounds, body closing over x: sum_i sqrt(x - i)
  const FL = (x: any, n: any) => lax.foriLoop(0, n, (i: any, c: any) => np.add(c, np.sqrt(np.subtract(x, np.astype(i, 'float64')))), f64(0), { unroll: 2 });
  close(vmap(grad(FL, { argnums: 0 }))(f64([1, 2, 0.5]), i32([1, 2, 1])), [0.5, 1 / (2 * Math.SQRT2) + 0.5, 1 / (2 * Math.sqrt(0.5))], 1e-15, 'fori');
});

test('cond holding a whileLoop and a closed-over log: the gradient is not NaN (JAX: [5, 0.5, 5]; was NaN: the branch ran as it is, what it closes over unguarded)', () => {
  const WB = (x: any) => lax.cond(np.greater(x, 0), () => np.add(np.log(x), lax.whileLoop((c: any) => np.less(c, 3), (c: any) => np.add(c, 1), np.zerosLike(x))), () => np.multiply(x, 5));
  close(vmap(grad(WB))(f64([0, 2, -1])), [5, 0.5, 5]);
});

test('branch and body outputs: JS numbers, booleans, { re, im }, pytrees with null, empty arrays, complex, int, float32', () => {
  const xs = f64([-1, 0, 2, 3]);
  const b = vmap((x: any) => lax.cond(np.greater(x, 0), () => true, () => false))(xs) as NDArray;
  assert.equal(b.dtype, 'bool'); assert.deepEqual(vals(b), [0, 0, 1, 1]);
  const c = vmap((x: any) => lax.cond(np.greater(x, 0), () => ({ re: 1, im: 2 }), () => ({ re: 3, im: 4 })))(xs) as NDArray;
  assert.equal(c.dtype, 'complex64'); assert.deepEqual(vals(c), [3, 4, 3, 4, 1, 2, 1, 2]);
  const t = vmap((x: any) => lax.cond(np.greater(x, 0), (y: any) => ({ a: y, b: [null, np.sin(y)] }), (y: any) => ({ a: np.negative(y), b: [null, y] }), x))(xs) as any;
  close(t.a, [1, 0, 2, 3]); assert.equal(t.b[0], null); close(t.b[1], [-1, 0, Math.sin(2), Math.sin(3)], 1e-15);
  const e = vmap((x: any) => lax.cond(np.greater(x, 0), () => np.zeros([0]), () => np.ones([0])))(xs) as NDArray;
  assert.deepEqual(e.shape, [4, 0]);
  // a JS number operand beside int32: weak, exact (16777217 is not a float32)
  const w = vmap((p: any, a: any) => lax.cond(p, (a: any, s: any) => np.multiply(a, s), (a: any) => a, a, 16777217))(np.array([true, false]), i32([1, 6])) as NDArray;
  assert.equal(w.dtype, 'int32'); assert.deepEqual(vals(w), [16777217, 6]);
  const z = np.array([{ re: 1, im: 2 }, { re: -1, im: 1 }], { dtype: 'complex128' });
  const zc = vmap((x: any) => lax.cond(np.greater(np.real(x), 0), (y: any) => np.multiply(y, y), (y: any) => np.conj(y), x))(z) as NDArray;
  assert.equal(zc.dtype, 'complex128'); assert.deepEqual(vals(zc), [-3, 4, -1, -1]);
  // float32 while, complex64 carry differentiated through real part: d/dx Re((x(1+i))^(2^n))
  const ns = i32([1, 3, 0]);
  close(vmap(grad((x: any, n: any) => lax.whileLoop((c: any) => np.less(c[0], n), (c: any) => [np.add(c[0], 1), np.sqrt(c[1])], [i32(0), x])[1]))(np.array([16, 16, 16], { dtype: 'float32' }), ns),
    [0.125, 0.125 * 16 ** -0.875, 1], 1e-6, 'float32 while');
  close(vmap(grad((x: any, n: any) => np.real(lax.whileLoop((c: any) => np.less(c[0], n), (c: any) => [np.add(c[0], 1), np.multiply(c[1], c[1])], [i32(0), np.multiply(x, np.array({ re: 1, im: 1 }, { dtype: 'complex64' }))])[1])))(np.array([0.5, 0.5, 0.5], { dtype: 'float32' }), ns),
    [0, 1, 1], 1e-6, 'complex64 while');
  // JS number and boolean carry leaves, null subtrees
  const r = vmap((n: any) => lax.whileLoop((c: any) => np.less(c.i, n), (c: any) => ({ i: np.add(c.i, 1), flag: np.logicalNot(c.flag), z: null }), { i: i32(0), flag: np.array(true), z: null }))(ns) as any;
  assert.deepEqual(vals(r.i), [1, 3, 0]); assert.deepEqual(vals(r.flag), [0, 0, 1]); assert.equal(r.z, null);
});

test('side effects, concrete reads, random, checkpoint / customJvp / customVjp inside batched branches', () => {
  let calls = 0;
  vmap((x: any) => lax.cond(np.greater(x, 0), () => { calls++; return np.sin(x); }, () => { calls++; return x; }))(f64([1, -1, 2]));
  assert.equal(calls, 2, 'each branch traced once');
  calls = 0;
  vmap((n: any) => lax.whileLoop((c: any) => np.less(c, n), (c: any) => { calls++; return np.add(c, 1); }, i32(0)))(i32([5, 2, 9]));
  assert.equal(calls, 1, 'the body traced once per carry type');
  // concrete reads of unbatched closed-over values (fallback path)
  const c = f64(5), cs = f64([0, 3, 0, 5]);
  close(vmap(grad((x: any) => lax.cond(np.greater(x, 0), () => np.multiply(x, c.item() as number), () => np.log(x))))(f64([0, 2])), [Infinity, 5]);
  close(vmap(grad((x: any) => lax.cond(np.greater(x, 0), () => ((cs.get(1).item() as number) > 2 ? np.multiply(x, 10) : x), () => np.log(x))))(f64([1, -2])), [10, -0.5]);
  // checkpoint, customJvp, customVjp: want 3 (untaken log/sqrt at 0), f'(2), 3; second derivative 0, f''(2), 0
  const cj = customJvp((x: any) => np.log(x), (p: any, t: any) => [np.log(p[0]), np.divide(t[0], p[0])]);
  const cv = customVjp((x: any) => np.sqrt(x), (x: any) => [np.sqrt(x), x], (r: any, g: any) => [np.divide(g, np.multiply(2, np.sqrt(r)))]);
  const ck = checkpoint((x: any) => np.sin(np.log(x)));
  const cases: [string, any, number, number][] = [
    ['customJvp', cj, 0.5, -0.25], ['customVjp', cv, 1 / (2 * Math.SQRT2), -0.25 * 2 ** -1.5], ['checkpoint', ck, Math.cos(Math.log(2)) / 2, (-Math.sin(Math.log(2)) - Math.cos(Math.log(2))) / 4],
  ];
  for (const [name, fn, g1, g2] of cases) {
    const G = (x: any) => lax.cond(np.greater(x, 0), () => fn(x), () => np.multiply(x, 3));
    close(vmap(grad(G))(f64([0, 2, -1])), [3, g1, 3], 1e-14, name);
    close(jit(vmap(grad(G)))(f64([0, 2, -1])), [3, g1, 3], 1e-14, `${name} jit`);
    close(vmap(hessian(G))(f64([0, 2, -1])), [0, g2, 0], 1e-13, `${name} hessian`);
  }
});

test('customLinearSolve in a batched cond and a batched while body: three parameters, each its own derivative', () => {
  // x = 1 / (t + s^2 + 2u): dx/d(t, s, u) = -[1, 2s, 2] / D^2
  const solveScalar = (mv: any, b: any) => np.divide(b, mv(np.onesLike(b)));
  const L = (t: any, s: any, u: any) => lax.customLinearSolve((v: any) => np.add(np.add(np.multiply(np.square(s), v), np.multiply(v, t)), np.multiply(np.multiply(u, 2), v)), np.onesLike(t), solveScalar, { symmetric: true });
  const want = (t: number, s: number, u: number) => { const D = t + s * s + 2 * u; return [-1 / D ** 2, -2 * s / D ** 2, -2 / D ** 2]; };
  const T = [2, 3, -1], Sv = [0.5, 1.5, 2], U = [0.75, 1, 0.1];
  const LC = (t: any, s: any, u: any) => lax.cond(np.greater(t, 0), () => L(t, s, u), () => np.multiply(np.multiply(t, s), u));
  const wantC = T.map((t, i) => (t > 0 ? want(t, Sv[i], U[i]) : [Sv[i] * U[i], t * U[i], t * Sv[i]]));
  for (const [name, fn] of [['vmap(grad)', vmap(grad(LC, { argnums: [0, 1, 2] }))], ['jit(vmap(grad))', jit(vmap(grad(LC, { argnums: [0, 1, 2] })))],
    ['vmap(jit(grad))', vmap(jit(grad(LC, { argnums: [0, 1, 2] })))], ['vmap(jacfwd)', vmap(jacfwd(LC, { argnums: [0, 1, 2] }))]] as const) {
    const g = (fn as any)(f64(T), f64(Sv), f64(U));
    for (let k = 0; k < 3; k++) close(g[k], wantC.map((w) => w[k]), 1e-13, `${name} d${k}`);
  }
  // in a batched while body, t steps of acc += L: d acc / d(s, u) = t * dL
  const LW = (t: any, s: any, u: any) => lax.whileLoop((c: any) => np.less(c[0], t), (c: any) => [np.add(c[0], 1), np.add(c[1], L(t, s, u))], [f64(0), f64(0)])[1];
  const TW = [2, 3, 1];
  const gw = vmap(grad(LW, { argnums: [1, 2] }))(f64(TW), f64(Sv), f64(U)) as any;
  close(gw[0], TW.map((t, i) => t * want(t, Sv[i], U[i])[1]), 1e-13, 'while d/ds');
  close(gw[1], TW.map((t, i) => t * want(t, Sv[i], U[i])[2]), 1e-13, 'while d/du');
});

test('customRoot in a batched cond: a parameter computed inside the branch, and one passed as an operand', () => {
  const newton = (fn: any, r0: any) => { let r = r0; for (let k = 0; k < 60; k++) r = np.subtract(r, np.divide(fn(r), np.multiply(2, r))); return r; };
  const tsol = (gf: any, y: any) => np.divide(y, gf(np.onesLike(y)));
  // sqrt(3t) as the root of r^2 - 3t (3t made in the branch): d/dt = 3 / (2 sqrt(3t)); else 2t
  const A = (t: any) => lax.cond(np.greater(t, 0), () => { const a = np.multiply(t, 3); return lax.customRoot((r: any) => np.subtract(np.square(r), a), np.onesLike(t), newton, tsol); }, () => np.multiply(t, 2));
  const wantA = [3 / (2 * Math.sqrt(6)), 3 / (2 * Math.sqrt(9)), 2];
  close(vmap(grad(A))(f64([2, 3, -1])), wantA, 1e-13, 'A');
  close(jit(vmap(grad(A)))(f64([2, 3, -1])), wantA, 1e-13, 'A jit');
  close(vmap((t: any) => jvp(A, [t], [f64(1)])[1])(f64([2, 3, -1])), wantA, 1e-13, 'A jvp');
  const B = (t: any) => lax.cond(np.greater(t, 0), (u: any) => lax.customRoot((r: any) => np.subtract(np.square(r), u), np.onesLike(u), newton, tsol), (u: any) => np.multiply(u, 2), t);
  close(vmap(grad(B))(f64([2, 3, -1])), [1 / (2 * Math.SQRT2), 1 / (2 * Math.sqrt(3)), 2], 1e-13, 'B');
});

test('customJvp(f).defjvps: JAX semantics (primal from the custom f itself, shares summed, null a zero), higher order, jit, vmap, pytrees', () => {
  const f = customJvp((x: any, y: any) => np.multiply(np.sin(x), y));
  f.defjvps((t: any, _ans: any, x: any, y: any) => np.multiply(np.multiply(np.cos(x), t), y), (t: any, _ans: any, x: any) => np.multiply(np.sin(x), t));
  const [x, y] = [0.7, 1.3];
  const g = grad(f, { argnums: [0, 1] })(f64(x), f64(y)) as any;
  close(g[0], Math.cos(x) * y, 1e-15); close(g[1], Math.sin(x), 1e-15);
  close(jvp(f, [f64(x), f64(y)], [f64(1), f64(2)])[1], Math.cos(x) * y + 2 * Math.sin(x), 1e-15);
  close(grad(grad(grad(f)))(f64(x), f64(y)), -Math.cos(x) * y, 1e-15, 'third');
  close(jit(grad(f))(f64(x), f64(y)), Math.cos(x) * y, 1e-15, 'jit');
  close(vmap(grad(f))(f64([0.1, 0.2]), f64([2, 3])), [Math.cos(0.1) * 2, Math.cos(0.2) * 3], 1e-15, 'vmap');
  // a rule that is not f's derivative: f = x^2 with jvp 3 ans t. JAX: f' = 3x^2, f'' = 9x^2 (ans is the custom f), f''' = 27x^2
  const h = customJvp((z: any) => np.square(z));
  h.defjvps((t: any, ans: any) => np.multiply(np.multiply(ans, 3), t));
  close(grad(h)(f64(2)), 12); close(grad(grad(h))(f64(2)), 36); close(grad(grad(grad(h)))(f64(2)), 108);
  close(jit(grad(grad(h)))(f64(2)), 36); close(jacfwd(jacrev(h))(f64(2)), 36);
  // null: that argument contributes nothing; a short list: the rest nothing (zip)
  const m = customJvp((a: any, b: any) => np.multiply(a, b));
  m.defjvps(null, (t: any, _ans: any, a: any) => np.multiply(a, t));
  const gm = grad(m, { argnums: [0, 1] })(f64(2), f64(5)) as any;
  close(gm[0], 0); close(gm[1], 2);
  // pytree outputs, two shares summed leaf by leaf
  const p = customJvp((a: any, b: any) => ({ m: np.multiply(a, b), s: np.add(a, b) }));
  p.defjvps((t: any, _o: any, _a: any, b: any) => ({ m: np.multiply(t, b), s: t }), (t: any, _o: any, a: any) => ({ m: np.multiply(t, a), s: t }));
  const [, tp] = jvp(p, [f64(2), f64(3)], [f64(1), f64(10)]) as any;
  close(tp.m, 23); close(tp.s, 11);
  const [, tj] = jit((a: any, b: any) => jvp(p, [a, b], [f64(1), f64(10)]))(f64(2), f64(3)) as any;
  close(tj.m, 23); close(tj.s, 11);
  throwsNamed(() => customJvp((z: any) => z).defjvps(5 as any), ValueError, 'defjvps', 'argument 0');
  throwsNamed(() => (customJvp((_a: any, z: any) => z, { nondiffArgnums: [0] }) as any).defjvps(null, (t: any) => t), ValueError, 'nondiffArgnums');
});

test('tree.all / tree.any: a leaf is true as Python\'s bool() says (bool(nan) is True, bool(0j) is False)', () => {
  // CPython: all([float('nan')]) -> True; any([nan]) -> True; bool(np.complex64(0)) -> False
  assert.equal(tree.all([NaN]), true);
  assert.equal(tree.any([NaN, 0]), true);
  assert.equal(tree.all([np.array(NaN)]), true);
  assert.equal(tree.all([np.array({ re: 0, im: 0 }, { dtype: 'complex64' })]), false);
  assert.equal(tree.any(np.array([{ re: 0, im: 0 }], { dtype: 'complex128' })), false);
  assert.equal(tree.any(np.array({ re: 0, im: -1 }, { dtype: 'complex64' })), true);
  assert.equal(tree.all([{ re: 0, im: 0 }]), false);
  assert.equal(tree.all([-0]), false);
  assert.equal(tree.all([]), true); assert.equal(tree.any({ a: null }), false);
  throwsNamed(() => tree.all([np.ones([2])]), ValueError, 'tree.all', '[2]');
});

test('tree.keystr prints a key as JAX does ([repr(key)]): Python\'s quoting and escapes', () => {
  // python3: '[%r]' % k for each key, then [1]
  const cases: [string, string][] = [
    ['a', "['a'][1]"], ["it's", `["it's"][1]`], ['say "hi"', `['say "hi"'][1]`], [`both ' and "`, `['both \\' and "'][1]`],
    ['back\\slash', "['back\\\\slash'][1]"], ['nl\nx', "['nl\\nx'][1]"], ['tab\t', "['tab\\t'][1]"], ['\x01', "['\\x01'][1]"], ['0', "['0'][1]"],
  ];
  for (const [k, want] of cases) assert.equal(tree.keystr([k, 1]), want, JSON.stringify(k));
  assert.equal(tree.keystr([]), '');
});

test('tree.reduce, transpose, flattenWithPath, leavesWithPath, mapWithPath against jax.tree semantics', () => {
  assert.equal(tree.reduce((a: number, b: number) => a + b, [1, [2, 3], { z: 4 }]), 10);
  assert.equal(tree.reduce((a: number, b: number) => a - b, [1, 2, 3], 10), 4); // functools.reduce(sub, [1,2,3], 10)
  assert.equal(tree.reduce((a: number, b: number) => a + b, [], 7), 7);
  throwsNamed(() => tree.reduce((a: number, b: number) => a + b, [null]), ValueError, 'tree.reduce');
  const outer = tree.structure([0, 0, 0]), inner = tree.structure({ w: 0, b: 0 });
  const tr = [{ w: 1, b: 2 }, { w: 3, b: 4 }, { w: 5, b: 6 }];
  assert.deepEqual(tree.transpose(outer, inner, tr), { b: [2, 4, 6], w: [1, 3, 5] });
  assert.deepEqual(tree.transpose(outer, null, tr), { b: [2, 4, 6], w: [1, 3, 5] });
  assert.deepEqual(tree.transpose(tree.structure({ p: [0, 0], q: 0 }), tree.structure([0, [0]]), { p: [[1, [2]], [3, [4]]], q: [5, [6]] }),
    [{ p: [1, 3], q: 5 }, [{ p: [2, 4], q: 6 }]]);
  throwsNamed(() => tree.transpose(outer, inner, [{ w: 1, b: 2 }, { w: 3 }, { w: 5, b: 6 }]), ValueError, 'tree.transpose');
  throwsNamed(() => tree.transpose(outer, inner, [{ w: 1, b: 2 }]), ValueError, 'tree.transpose');
  const [pl, def] = tree.flattenWithPath({ b: [1, null, { c: 2 }], a: 3 });
  assert.deepEqual(pl, [[['a'], 3], [['b', 0], 1], [['b', 2, 'c'], 2]]);
  assert.equal(String(def), '{a: *, b: [*, null, {c: *}]}');
  assert.deepEqual(tree.leavesWithPath([[1, 2], { x: 3 }]), [[[0, 0], 1], [[0, 1], 2], [[1, 'x'], 3]]);
  assert.deepEqual(tree.mapWithPath((p: any, x: number, y: number) => `${tree.keystr(p)}:${x + y}`, { a: [1, 2], b: 3 }, { a: [10, 20], b: 30 }),
    { a: ["['a'][0]:11", "['a'][1]:22"], b: "['b']:33" });
});

test('foriLoop { unroll }: accepted (ignored, as scan\'s), checked; jit equal to eager', () => {
  close(lax.foriLoop(0, 3, (i: any, c: any) => np.add(c, i), f64(0), { unroll: true }), 3);
  close(jit((x: any) => lax.foriLoop(0, 3, (_i: any, c: any) => np.multiply(c, x), f64(1), { unroll: 3 }))(f64(2)), 8);
  close(jit(grad((x: any) => lax.foriLoop(0, 3, (_i: any, c: any) => np.multiply(c, x), f64(1), { unroll: 2 })))(f64(2)), 12);
  close(vmap((n: any) => lax.foriLoop(0, n, (i: any, c: any) => np.add(c, i), i32(0), { unroll: 2 }))(i32([3, 5, 0])), [3, 10, 0]);
  throwsNamed(() => lax.foriLoop(0, 3, (_i: any, c: any) => c, f64(0), { unroll: 0 }), ValueError, 'lax.foriLoop', 'unroll');
  throwsNamed(() => lax.foriLoop(0, 3, (_i: any, c: any) => c, f64(0), { unroll: 1.5 }), ValueError, 'unroll');
  throwsNamed(() => lax.foriLoop(0, 3, (_i: any, c: any) => c, f64(0), { unrol: 2 } as any), ValueError, 'unrol');
});

test('batched cond / while errors name the function and the mismatch', () => {
  const xs = f64([0, 1, 4]), ns = i32([1, 3, 0]);
  throwsNamed(() => vmap((x: any) => lax.cond(np.greater(x, 0), () => [x], () => ({ a: x })))(xs), ValueError, 'lax.cond', 'structure');
  throwsNamed(() => vmap((x: any) => lax.cond(np.greater(x, 0), () => x, () => np.stack([x, x])))(xs), ShapeError, 'lax.cond', 'float64[2]');
  throwsNamed(() => vmap((p: any, a: any) => lax.cond(p, () => a, () => 0.5))(np.array([true, false]), i32([5, 6])), DTypeError, 'lax.cond', '0.5', 'int32');
  throwsNamed(() => jit(vmap((p: any, a: any) => lax.cond(p, () => a, () => 0.5)))(np.array([true, false]), i32([5, 6])), DTypeError, 'lax.cond', '0.5', 'int32');
  throwsNamed(() => vmap((n: any) => lax.whileLoop((c: any) => np.less(c[0], n), (c: any) => [np.add(c[0], 1)], [i32(0), f64(1)]))(ns), ValueError, 'lax.whileLoop', 'structure');
  throwsNamed(() => vmap((n: any) => lax.whileLoop((c: any) => np.less(c[0], n), (c: any) => [np.add(c[0], 1), np.astype(c[1], 'float32')], [i32(0), f64(1)]))(ns), DTypeError, 'lax.whileLoop', 'float32');
  throwsNamed(() => vmap((x: any) => lax.cond(np.greater(x, 0), (async () => x) as any, () => x))(xs), ValueError, 'lax.cond', 'Promise');
  close(vmap(grad((x: any) => lax.cond(np.greater(x, 0), () => np.log(x), () => x)))(f64([])), []);
});

test('eager vmap(cond) of 1000 examples: within 10x of vmap(np.where), no kept tapes after 2000 calls', () => {
  const xs = f64(Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 3));
  const gc = vmap(grad((x: any) => lax.cond(np.greater(x, 0), () => np.log(x), () => np.multiply(x, x))));
  const gw = vmap(grad((x: any) => np.where(np.greater(x, 0), np.log(np.abs(x)), np.multiply(x, x))));
  const time = (f: () => unknown, n: number) => { for (let i = 0; i < 30; i++) f(); const t = performance.now(); for (let i = 0; i < n; i++) f(); return (performance.now() - t) / n; };
  const tc = Math.min(time(() => gc(xs).dataSync(), 200), time(() => gc(xs).dataSync(), 200));
  const tw = Math.min(time(() => gw(xs).dataSync(), 200), time(() => gw(xs).dataSync(), 200));
  assert.ok(tc < 10 * tw + 0.5, `vmap(grad(cond)) ${tc.toFixed(3)} ms against where ${tw.toFixed(3)} ms`);
  const before = keptTapeStats().registered, rss0 = process.memoryUsage().rss;
  for (let i = 0; i < 2000; i++) gc(xs).dataSync();
  assert.equal(keptTapeStats().registered, before);
  assert.ok(process.memoryUsage().rss - rss0 < 64e6, 'RSS grew by more than 64 MB over 2000 calls');
  close(gc(f64([0, 2, -1])), [0, 0.5, -2]); // (0 takes x^2: its log untaken)
});
