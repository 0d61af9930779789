// Derivatives at the points where a formula's usual form divides by zero, checked against the
// closed form (never against cotangent): det's Hessian at singular matrices, x^0 and x^1 at 0,
// the spectral norm at equal singular values; and concatenate with axis null.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, linalg, grad, jvp, hessian, jacrev, vmap, jit, valueAndGrad } from '../ts/index.ts';

const f64 = (v: unknown) => np.array(v as any, { dtype: 'float64' });
const flat = (a: any) => (a.tolist() as any).flat(4) as number[];

test("det's Hessian is exact at singular 2x2 and 3x3 matrices (the polynomial itself, as jnp)", () => {
  // det [[a, b], [c, d]] = ad - bc: d2/da dd = 1, d2/db dc = -1, everywhere
  const H2 = hessian(linalg.det)(f64([[1, 2], [2, 4]]));
  const want2 = new Array(16).fill(0);
  want2[0 * 8 + 0 * 4 + 1 * 2 + 1] = 1; want2[1 * 8 + 1 * 4 + 0] = 1; // (a, d) and (d, a)
  want2[0 * 8 + 1 * 4 + 1 * 2 + 0] = -1; want2[1 * 8 + 0 * 4 + 0 * 2 + 1] = -1; // (b, c) and (c, b)
  assert.deepEqual(flat(H2), want2);
  assert.deepEqual(flat(hessian(linalg.det)(f64([[0, 0], [0, 0]]))), want2);
  // 3x3 of rank 1, A = v v^T with v = (1, 2, 3): d2 det / dA_ij dA_kl = the signed 1x1 minor of A
  // left by deleting rows i, k and columns j, l (0 when i = k or j = l)
  const v = [1, 2, 3];
  const A = v.map((p) => v.map((q) => p * q));
  const H3 = hessian(linalg.det)(f64(A)).tolist() as number[][][][];
  const perm = (a: number, b: number) => [0, 1, 2].find((t) => t !== a && t !== b)!;
  const sgn = (a: number, b: number) => { const t = perm(a, b); return [a, b, t].reduce((s, x, i, arr) => s * arr.slice(i + 1).reduce((u, y) => u * (y < x ? -1 : 1), 1), 1); };
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) for (let l = 0; l < 3; l++) {
    const want = i === k || j === l ? 0 : sgn(i, k) * sgn(j, l) * A[perm(i, k)][perm(j, l)];
    assert.equal(H3[i][j][k][l], want, `H[${i}][${j}][${k}][${l}]`);
  }
  // values and first derivatives as before: det = 18, grad = adj(A)^T
  assert.equal(linalg.det(f64([[2, 1, 0], [1, 3, 1], [0, 1, 4]])).item(), 2 * 11 - 1 * 4);
  assert.deepEqual(grad(linalg.det)(f64([[1, 2], [3, 4]])).tolist(), [[4, -3], [-2, 1]]);
  assert.deepEqual(vmap(linalg.det)(np.array([[[1, 2], [3, 4]], [[2, 0], [0, 3]]])).tolist(), [-2, 6]);
  assert.deepEqual(linalg.det(np.complex(np.array([[1, 0], [0, 1]]), np.array([[0, 1], [1, 0]]))).tolist(), { re: 2, im: 0 }); // 1 - i^2
});

test('d/dx x^0 = 0 and d2/dx2 x^1 = 0 at x = 0, for integer and float exponents (0 * 0^-1 was NaN)', () => {
  assert.deepEqual(grad((x: any) => np.sum(np.power(x, np.array([0, 1], { dtype: 'int32' }))))(f64([0, 0])).tolist(), [0, 1]);
  assert.deepEqual(jvp(grad((x: any) => np.sum(np.power(x, np.array([1, 2], { dtype: 'int32' })))), [f64([0, 0])], [f64([1, 1])])[1].tolist(), [0, 2]);
  assert.equal(grad((x: any) => np.power(x, f64(0)))(f64(0)).item(), 0);
  assert.equal(grad(grad((x: any) => np.power(x, f64(1))))(f64(0)).item(), 0);
  // one order up, reverse mode read the slope not picked (0 * 0^-1 = NaN) through a zero cotangent; forward gave 0
  assert.equal(grad(grad((x: any) => np.power(x, f64(0))))(f64(0)).item(), 0);
  assert.equal(grad(grad(grad((x: any) => np.power(x, f64(1)))))(f64(0)).item(), 0);
  assert.equal(grad(grad(grad((x: any) => np.power(x, f64(2)))))(f64(0)).item(), 0);
  // the guard at b == 0 is for a == 0 only: the mixed derivative d2/dx dp x^p = x^(p-1) (1 + p ln x) is 1/x at p = 0
  const P = (x: any, p: any) => np.power(x, p);
  assert.equal(grad(grad(P, { argnums: 0 }), { argnums: 1 })(f64(2), f64(0)).item(), 0.5);
  assert.equal(grad(grad(P, { argnums: 1 }), { argnums: 0 })(f64(2), f64(0)).item(), 0.5);
  assert.ok(Math.abs(grad(grad(P, { argnums: 0 }), { argnums: 1 })(f64(2), f64(1)).item() - (1 + Math.log(2))) < 1e-15);
  const H = hessian((v: any) => np.power(np.index(v, 0), np.index(v, 1)))(f64([2, 0])).tolist() as number[][];
  assert.deepEqual([H[0][0], H[0][1], H[1][0]], [0, 0.5, 0.5]);
  assert.ok(Math.abs(H[1][1] - Math.log(2) ** 2) < 1e-15);
  // x^n for a negative integer n: n x^(n-1) wherever it is finite, even where x^(2|n|) overflows
  const f32 = (v: number) => np.array(v, { dtype: 'float32' });
  const rel = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);
  assert.ok(rel(grad((t: any) => np.power(t, -2))(f32(1e-10)).item(), -2e30) < 1e-6);
  assert.ok(rel(grad((t: any) => np.power(t, -4))(f32(1e-5)).item(), -4e25) < 1e-6);
  assert.ok(rel(grad((t: any) => np.integerPow(t, -2))(f64(1e-80)).item(), -2e240) < 1e-15);
  assert.ok(rel(grad(grad((t: any) => np.power(t, -3)))(f64(2)).item(), 12 / 32) < 1e-15);
  assert.ok(rel(jit(grad((t: any) => np.power(t, -2)))(f32(1e-10)).item(), -2e30) < 1e-6);
  assert.equal(jvp((t: any) => np.power(t, -3), [f32(3)], [f32(1)])[0].item(), Math.fround(1 / Math.fround(27))); // the value is 1 / x^3's
  // where x^n underflows the derivatives do too (they were inf / inf = NaN): -3 x^-4 at 1e20 in float32, 1e155 in float64,
  // -60 x^-6 at 1e13 in float32; and at x = 1e10 in float64 all three orders match n x^(n-1) and onwards
  assert.equal(grad((t: any) => np.power(t, -3))(f32(1e20)).item() as number + 0, 0);
  assert.equal(grad((t: any) => np.power(t, -3))(f64(1e155)).item() as number + 0, 0);
  assert.equal(grad(grad(grad((t: any) => np.power(t, -3))))(f32(1e13)).item() as number + 0, 0);
  assert.equal(jvp((t: any) => np.power(t, -3), [f32(1e20)], [f32(1)])[1].item() as number + 0, 0);
  assert.ok(rel(grad((t: any) => np.power(t, -3))(f64(1e10)).item(), -3e-40) < 1e-15);
  // the value keeps the sign of zero under every transform (numpy: np.power(np.float32(-1e20), -3) = -0.0; it was +0
  // under jit, vmap and jvp, so 1 / x^-3 flipped from -inf to +inf)
  const negZero = (v: any) => Object.is(Number(v instanceof Object && 'item' in v ? v.item() : v), -0);
  const cube = (t: any) => np.power(t, -3);
  assert.ok(negZero(cube(f32(-1e20))) && negZero(jit(cube)(f32(-1e20))) && negZero(jvp(cube, [f32(-1e20)], [f32(1)])[0]), 'power(-1e20, -3) is -0');
  assert.ok(negZero(np.index(vmap(cube)(np.array([-1e20, 2], { dtype: 'float32' })), 0)) && negZero(jit(cube)(f64(-Infinity))), 'vmap, -inf');
  assert.equal(valueAndGrad((t: any) => np.divide(1, cube(t)))(f32(-1e20))[0].item(), -Infinity);
  assert.ok(rel(grad(grad((t: any) => np.power(t, -3)))(f64(1e10)).item(), 12e-50) < 1e-15);
  assert.ok(rel(grad(grad(grad((t: any) => np.power(t, -3))))(f64(1e10)).item(), -60e-60) < 1e-15);
  // (x^x)''' = x^x ((1 + ln x)^3 + 3 (1 + ln x) / x - 1 / x^2): 3 at x = 1
  assert.ok(Math.abs(grad(grad(grad((x: any) => np.power(x, x))))(f64(1)).item() - 3) < 1e-13);
  assert.ok(Math.abs(grad((x: any) => np.power(x, 2.5))(f64(2)).item() - 2.5 * Math.pow(2, 1.5)) < 1e-14);
  const [gx, gy] = grad((x: any, y: any) => np.power(x, y), { argnums: [0, 1] })(f64(2), f64(3)) as any[];
  assert.equal(gx.item(), 12);
  assert.ok(Math.abs(gy.item() - 8 * Math.LN2) < 1e-14);
});

test("the spectral norm's derivative is shared among equal singular values (jnp's amax / amin)", () => {
  const I3 = f64([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  const third = [[1 / 3, 0, 0], [0, 1 / 3, 0], [0, 0, 1 / 3]];
  const close = (a: number[][], b: number[][]) => a.every((r, i) => r.every((x, j) => Math.abs(x - b[i][j]) < 1e-12));
  assert.ok(close(grad((a: any) => linalg.norm(a, { ord: 2 }))(I3).tolist() as number[][], third));
  assert.ok(close(grad((a: any) => linalg.norm(a, { ord: -2 }))(I3).tolist() as number[][], third));
  // d/dt ||I + t diag(1, 2, 3)||_2 at t = 0: mean of the tied directions' slopes, (1 + 2 + 3) / 3
  assert.ok(Math.abs(jvp((a: any) => linalg.norm(a, { ord: 2 }), [I3], [f64([[1, 0, 0], [0, 2, 0], [0, 0, 3]])])[1].item() - 2) < 1e-12);
  assert.ok(Math.abs(linalg.norm(f64([[3, 0], [0, 4]]), { ord: 2 }).item() - 4) < 1e-14);
});

test('np.concatenate with axis null joins the flattened inputs (numpy, jnp); it joined along axis 0', () => {
  const a = np.array([[1, 2], [3, 4]]);
  assert.deepEqual(np.concatenate([a, a], null).tolist(), [1, 2, 3, 4, 1, 2, 3, 4]);
  assert.deepEqual(np.concatenate([a, a], { axis: null }).shape, [8]);
  assert.deepEqual(np.concatenate([np.array(1), np.array([2, 3])], null).tolist(), [1, 2, 3]);
  assert.deepEqual(np.concatenate([a, a]).shape, [4, 2]);
  // d/dx sum(concat([x, x], null) * arange(8)) = i + (i + 4) per flat position i
  assert.deepEqual(grad((x: any) => np.sum(np.multiply(np.concatenate([x, x], null), np.arange(8))))(a).tolist(), [[4, 6], [8, 10]]);
  assert.deepEqual(jacrev((x: any) => np.concatenate([x, x], null))(np.array([1, 2])).tolist(), [[1, 0], [0, 1], [1, 0], [0, 1]]);
});

test("triangularSolve refuses an upper triangular a under its default lower: true (JAX's default is upper; only the diagonal was used)", async () => {
  const { ValueError } = await import('../ts/index.ts');
  const U = np.array([[2, 1], [0, 4]]), b = np.array([[1], [2]]);
  assert.throws(() => linalg.triangularSolve(U, b), (e: any) => e instanceof ValueError && /is upper triangular, but lower defaults to true/.test(e.message));
  assert.deepEqual(linalg.triangularSolve(U, b, { lower: false }).tolist(), [[0.25], [0.5]]); // 2x + y = 1, 4y = 2
  assert.deepEqual(linalg.triangularSolve(np.array([[2, 0], [1, 4]]), b).tolist(), [[0.5], [0.375]]); // lower, by default
  assert.deepEqual(linalg.triangularSolve(U, b, { lower: true }).tolist(), [[0.5], [0.5]]); // explicit: its lower triangle, as asked
  assert.deepEqual(linalg.triangularSolve(np.array([[2, 0], [0, 4]]), b).tolist(), [[0.5], [0.5]]); // diagonal: either way
});

test('fmax/fmin send a tie and its derivative to the second operand, a NaN operand\'s to the other (JAX\'s where form)', () => {
  const f = (x: number[]) => np.array(x, { dtype: 'float64' });
  // jnp.fmax = where(x1 > x2 | isnan(x2), x1, x2); fmin with <
  const [ga, gb] = grad((a: any, b: any) => np.sum(np.fmax(a, b)), { argnums: [0, 1] })(f([1, 2, NaN, 3]), f([1, 3, 4, NaN]));
  assert.deepEqual([ga.tolist(), gb.tolist()], [[0, 0, 0, 1], [1, 1, 1, 0]]);
  const [ha, hb] = grad((a: any, b: any) => np.sum(np.fmin(a, b)), { argnums: [0, 1] })(f([1, 2, NaN, 3]), f([1, 3, 4, NaN]));
  assert.deepEqual([ha.tolist(), hb.tolist()], [[0, 1, 0, 1], [1, 0, 1, 0]]);
  // values: NaN only where both are
  assert.deepEqual(np.fmax(f([1, NaN, NaN, -1]), f([NaN, 2, NaN, 0])).tolist(), [1, 2, NaN, 0]);
  assert.deepEqual(np.fmin(np.array([[1], [5]]), np.array([3, 2])).tolist(), [[1, 1], [3, 2]]);
  // forward mode agrees
  const [, t] = jvp((a: any) => np.fmax(a, f([1, 0])), [f([1, 2])], [f([1, 1])]);
  assert.deepEqual(t.tolist(), [0, 1]);
});

test('quantile/percentile at a traced q: differentiable in q (JAX\'s floor/ceil form), under jit and vmap, and q of any shape', () => {
  const f64 = (v: unknown) => np.array(v as number[], { dtype: 'float64' });
  const x = f64([0, 1, 4, 9, 3]); // sorted 0 1 3 4 9
  const g = grad((q: any) => np.quantile(x, q));
  // q = 0.3: position 1.2 between 1 and 3: d/dq = (3 - 1) * 4
  assert.equal(g(f64(0.3 as any)).item(), 8);
  // q = 0.5: position 2, floor = ceil: 0, as jnp.quantile
  assert.equal(g(f64(0.5 as any)).item(), 0);
  // central differences in plain JS: numpy's linear interpolation of the sorted values
  const ref = (q: number) => { const s = [0, 1, 3, 4, 9], p = q * 4, lo = Math.floor(p); return s[lo] + (s[Math.min(lo + 1, 4)] - s[lo]) * (p - lo); };
  for (const q of [0.1, 0.37, 0.8]) assert.ok(Math.abs(g(f64(q as any)).item() as number - (ref(q + 1e-6) - ref(q - 1e-6)) / 2e-6) < 1e-6);
  assert.equal(jit((q: any) => np.quantile(x, q))(f64(0.3 as any)).item(), 1.4);
  assert.deepEqual(vmap((q: any) => np.quantile(x, q))(f64([0, 0.25, 0.6, 1])).tolist().map((v: number) => +v.toFixed(12)), [0, 1, 3.4, 9]);
  // a q outside [0, 1] cannot be refused while traced: NaN
  assert.deepEqual(jit((q: any) => np.quantile(x, q))(f64([1.5, -0.1])).tolist(), [NaN, NaN]);
  // q of two dims (numpy: np.quantile(X, [[0.1, 0.5], [0.9, 1]], axis=1))
  const X = f64([[1, 2, 3], [4, 5, 7]] as any);
  const got = np.quantile(X, f64([[0.1, 0.5], [0.9, 1]] as any), { axis: 1 });
  assert.deepEqual(got.shape, [2, 2, 2]);
  const want = [[[1.2, 4.2], [2, 5]], [[2.8, 6.6], [3, 7]]];
  (got.tolist() as number[][][]).flat(2).forEach((v, i) => assert.ok(Math.abs(v - want.flat(2)[i]) < 1e-12));
  assert.deepEqual(np.percentile(X, f64([[10, 50]] as any), { axis: 1, keepdims: true }).shape, [1, 2, 2, 1]);
  // the gradient in x still splits by the interpolation weights (a 2-d q takes the Array path)
  assert.deepEqual(grad((v: any) => np.sum(np.quantile(v, f64([[0.3, 0.5]] as any))))(x).tolist().map((v: number) => +v.toFixed(12)), [0, 0.8, 0, 0, 1.2]);
});

test('exact gelu keeps its left tail (0.5 x erfc(-x / sqrt 2), as JAX), and asin\'\' keeps its digits near 0', () => {
  // references from mpmath at 40 digits
  const ge = (x: any) => (np as any).gelu(x, { approximate: false });
  const rel = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);
  const cases: [number, 'float32' | 'float64', number, number, number][] = [
    [-6, 'float32', -5.9195258702261888e-9, -3.5468709453902015e-8, 1e-5],
    [-10, 'float64', -7.6198530241605261e-23, -7.6184000964648141e-22, 1e-13],
    [-2.5, 'float64', -0.015524163314440338, -0.037611085908145208, 1e-14],
    [1.5, 'float64', 1.3997891980967129, 1.1274691922299795, 1e-14],
  ];
  for (const [x, dtype, value, slope, tol] of cases) {
    assert.ok(rel(ge(np.array(x, { dtype })).item(), value) < tol, `gelu(${x}) ${dtype}`); // was -0 at -6 and -10
    assert.ok(rel(grad(ge)(np.array(x, { dtype })).item(), slope) < tol, `gelu'(${x}) ${dtype}`);
  }
  assert.equal(ge(np.array(1.7976931348623157e308, { dtype: 'float64' })).item(), 1.7976931348623157e308); // was inf
  // asin''(x) = x / (1 - x^2)^1.5: x to 1e-16 relative near 0 (was 0 at 1e-8 in float32)
  for (const [x, dtype, tol] of [[1e-8, 'float32', 1e-6], [1e-4, 'float32', 1e-6], [1e-16, 'float64', 1e-14], [1e-8, 'float64', 1e-14]] as const) {
    assert.ok(rel(grad(grad(np.arcsin))(np.array(x, { dtype })).item(), x / Math.pow(1 - x * x, 1.5)) < tol, `asin'' ${x} ${dtype}`);
    assert.ok(rel(grad(grad(np.arccos))(np.array(x, { dtype })).item(), -x / Math.pow(1 - x * x, 1.5)) < tol, `acos'' ${x} ${dtype}`);
  }
});

test('logaddexp: a NaN input gives a NaN derivative in forward mode too (jvp was 1, grad NaN; JAX NaN in both)', () => {
  const A = np as any;
  for (const [x, y] of [[NaN, 0], [0, NaN], [NaN, NaN]]) {
    const t = jvp((a: any, b: any) => A.logaddexp(a, b), [np.array(x), np.array(y)], [np.array(1), np.array(1)])[1] as any;
    assert.ok(Number.isNaN(t.item()), `jvp at (${x}, ${y}): ${t.item()}`);
    const t2 = jvp((a: any) => A.logaddexp2(a, y), [np.array(x)], [np.array(1)])[1] as any;
    assert.ok(Number.isNaN(t2.item()), `logaddexp2 jvp at (${x}, ${y})`);
  }
  // the sum of two equal infinities stays the value (inf - inf is NaN), with its tangent
  assert.equal(A.logaddexp(np.array(Infinity), np.array(Infinity)).item(), Infinity);
  assert.equal(A.logaddexp(np.array(-Infinity), np.array(-Infinity)).item(), -Infinity);
  assert.equal((jvp((a: any) => A.logaddexp(a, Infinity), [np.array(Infinity)], [np.array(1)])[1] as any).item(), 1);
  // and grad agrees with jvp there: 1 to each (JAX's at (inf, inf); grad was NaN); at (-inf, -inf)
  // 1/2 to each, the limit along a = b (JAX: NaN; this was 1 to each, weights summing to 2), so a
  // log(0) mask reached with a zero cotangent gives 0, not NaN
  for (const [v, w] of [[Infinity, 1], [-Infinity, 0.5]]) {
    const g = grad((a: any, b: any) => A.logaddexp(a, b), { argnums: [0, 1] })(f64(v), f64(v)) as any[];
    assert.deepEqual(g.map((t) => t.item()), [w, w], `grad at (${v}, ${v})`);
    assert.equal((jvp((a: any, b: any) => A.logaddexp(a, b), [f64(v), f64(v)], [f64(1), f64(1)])[1] as any).item(), 2 * w);
    const g2 = grad((a: any, b: any) => A.logaddexp2(a, b), { argnums: [0, 1] })(f64(v), f64(v)) as any[];
    assert.deepEqual(g2.map((t) => t.item()), [w, w], `logaddexp2 grad at (${v}, ${v})`);
  }
  // lax.cumlogsumexp of four -inf: its last output weighs each input 1/4 (the weights of a
  // logsumexp sum to 1; they were 1 each)
  assert.deepEqual(grad((x: any) => (lax as any).cumlogsumexp(x).get(3))(f64([-Infinity, -Infinity, -Infinity, -Infinity])).tolist(), [0.25, 0.25, 0.25, 0.25]);
  assert.equal(grad((a: any) => A.logaddexp(A.logaddexp(a, -Infinity), 0))(f64(-Infinity)).item(), 0);
});

test("hypot's derivatives: 1/2 to each at the origin (JAX's), and a Hessian without cancellation for x >> y", () => {
  const h = (v: any) => np.hypot(v.get(0), v.get(1));
  assert.deepEqual(flat(grad(h)(f64([0, 0]))), [0.5, 0.5]); // was NaN (x / h)
  assert.deepEqual(flat(grad(h)(f64([Infinity, 1]))), [1, 0]); // was NaN (inf / inf)
  // d2h/dx2 = y^2/h^3, d2h/dxdy = -xy/h^3, d2h/dy2 = x^2/h^3 (closed form; the plain x / h rule's
  // 1/h - x^2/h^3 gave ~1e-16 for 1e-24 at (1e8, 1))
  for (const [x, y] of [[1e8, 1], [1, -1e8], [3, 4], [-5e-3, 2e5], [1e150, 1e140]]) {
    const r = Math.hypot(x, y);
    const want = [y / r * (y / r) / r, -(x / r) * (y / r) / r, -(x / r) * (y / r) / r, x / r * (x / r) / r];
    const got = flat(hessian(h)(f64([x, y])));
    for (let i = 0; i < 4; i++) assert.ok(Math.abs(got[i] - want[i]) <= 1e-14 * Math.abs(want[i]), `H[${i}] at (${x}, ${y}): ${got[i]} vs ${want[i]}`);
    assert.deepEqual(flat(grad(h)(f64([x, y]))).map((g, i) => Math.abs(g - [x / r, y / r][i]) <= 1e-15 * Math.abs([x / r, y / r][i])), [true, true]);
  }
});

test('relu: derivative 0 at NaN (JAX: select(x > 0, g, 0)), value NaN', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    assert.ok(Number.isNaN(np.relu(np.array(NaN, { dtype })).item()));
    assert.equal(grad((x: any) => np.relu(x))(np.array(NaN, { dtype })).item(), 0); // was 1
    assert.equal((jvp((x: any) => np.relu(x), [np.array(NaN, { dtype })], [np.array(1, { dtype })])[1] as any).item(), 0);
    assert.equal(grad((x: any) => np.relu(x))(np.array(2, { dtype })).item(), 1);
  }
});

test("x**0's derivative in x is 0 at NaN and inf too (a^0 = 1 for every a; JAX's 0; was NaN)", () => {
  for (const dtype of ['float32', 'float64'] as const) for (const x of [NaN, Infinity, -Infinity, 0, -2, 3]) {
    const g = grad((a: any) => np.power(a, np.array(0, { dtype })))(np.array(x, { dtype })).item();
    assert.ok(g === 0, `d/dx x^0 at ${x} (${dtype}): ${g}`); // (-0 at -inf)
  }
  // the neighbours keep their slopes: d/dx x^p = p x^(p-1)
  assert.equal(grad((a: any) => np.power(a, f64(2)))(f64(NaN)).item(), NaN);
  assert.equal(grad((a: any) => np.power(a, f64(3)))(f64(2)).item(), 12);
});

test('lgamma of a tiny negative: -log|x| (was inf below -1e-308: pi / sin(pi x) overflowed)', () => {
  // Gamma(x) = 1/x - gamma_E + O(x), so lgamma(x) = -log|x| to far below an ulp here
  const xs = [-5e-324, -1e-310, -2.2250738585072014e-308, -1e-300, -1e-200];
  const got = flat(np.lgamma(f64(xs)));
  xs.forEach((x, i) => assert.ok(Math.abs(got[i] + Math.log(-x)) <= 4e-16 * Math.abs(Math.log(-x)), `lgamma(${x}) = ${got[i]}`));
});

test("cummax/cummin's gradient at tied values is JAX's: its associative_scan tree, max's half to each side at a tie", () => {
  // n = 3 by hand: JAX's scan makes y0 = x0, y1 = max(x0, x1), y2 = max(y1, x2); at x = 0 each max
  // gives 1/2 to each side: d sum(y) = (1 + 1/2 + 1/4, 1/2 + 1/4, 1/2). The longer rows: a step-by-step
  // replica of jax.lax.associative_scan with max's _balanced_eq JVP (numpy, the vmap/jit trial of 2026-12-03).
  const g = (f: any, v: number[]) => grad((x: any) => np.sum(f(x)))(f64(v)).tolist();
  assert.deepEqual(g(np.cummax, [0, 0, 0]), [1.75, 0.75, 0.5]); // (the log-step tree gave [2, 0.75, 0.25])
  assert.deepEqual(g(np.cummin, [0, 0, 0]), [1.75, 0.75, 0.5]);
  assert.deepEqual(g(np.cummax, [0, 0, 0, 0, 0]), [2.125, 1.125, 0.875, 0.375, 0.5]);
  assert.deepEqual(g(np.cummax, Array(8).fill(0)), [2.4375, 1.4375, 1.1875, 0.6875, 1, 0.5, 0.625, 0.125]);
  assert.deepEqual(g(np.cummax, [1, 3, 3, 2, 3]), [1, 2.25, 1.25, 0, 0.5]);
  // away from ties each prefix's derivative goes to its running maximum: x = [2, 1, 3, 0] -> [2, 0, 2, 0]
  assert.deepEqual(g(np.cummax, [2, 1, 3, 0]), [2, 0, 2, 0]);
  // the values under jit are eager's, signed zeros and NaNs included, for lengths around powers of two
  for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33]) {
    const v = Array.from({ length: n }, (_, i) => (i % 5 === 3 ? -0 : i % 7 === 6 ? NaN : Math.round(Math.sin(i * 1.7) * 3)));
    for (const f of [np.cummax, np.cummin]) {
      const e = Array.from(f(f64(v)).dataSync()), j = Array.from(jit((x: any) => f(x))(f64(v)).dataSync());
      assert.ok(e.every((t, i) => Object.is(t, j[i])), `${f.name} n=${n}: ${e} vs ${j}`);
    }
  }
});

test("arctan2's derivatives through the legs' ratio: finite where x^2 + y^2 under- or overflows (np.angle's gradient too); NaN at the origin", () => {
  const f64 = (v: number) => np.array(v, { dtype: 'float64' });
  const close = (got: number, want: number, what: string) => assert.ok(Math.abs(got - want) <= 4e-16 * Math.abs(want), `${what}: ${got} vs ${want}`);
  // d atan2(y, x) / dy = x / (x^2 + y^2), d/dx = -y / (x^2 + y^2), worked out in exact arithmetic (mpmath agrees)
  for (const [y, x] of [[1, 2], [-3, 0.5], [0.5, -3], [1e-200, 3e-200], [-1e300, 1e300], [3e-310, 1], [1, 5e-324]]) {
    const [gy, gx] = grad((a: any, b: any) => np.arctan2(a, b), { argnums: [0, 1] })(f64(y), f64(x)) as any[];
    const s = Math.max(Math.abs(x), Math.abs(y)), xs = x / s, ys = y / s, d = (xs * xs + ys * ys) * s; // (scaled: no under/overflow)
    close(gy.item(), xs / d, `d/dy at (${y}, ${x})`);
    close(gx.item(), -ys / d, `d/dx at (${y}, ${x})`);
  }
  const [gy0, gx0] = grad((a: any, b: any) => np.arctan2(a, b), { argnums: [0, 1] })(f64(0), f64(0)) as any[];
  assert.ok(Number.isNaN(gy0.item()) && Number.isNaN(gx0.item()), 'the origin: 0/0, as JAX');
  // grad(np.angle)(x + iy) = d/dx - i d/dy = (-y - i x) / (x^2 + y^2): it was -inf-infj at 1e-200 + 3e-200i and 0 at 1e200 (1 + i)
  const g = grad(np.angle)(np.complex(f64(1e-200), f64(3e-200)));
  close(np.real(g).item() as number, -3e199, 'angle re'); close(np.imag(g).item() as number, -1e199, 'angle im');
  const g2 = grad(np.angle)(np.array({ re: 1e200, im: 1e200 }, { dtype: 'complex128' }));
  close(np.real(g2).item() as number, -5e-201, 'angle at 1e200 re');
  const g3 = grad(np.angle)(np.array({ re: 1e-30, im: 1e-30 })); // complex64: -5e29 each, which float32 holds
  assert.ok(Math.abs((np.real(g3).item() as number) / -5e29 - 1) < 1e-6, `complex64 angle: ${g3}`);
  // second order still right (a Hessian entry: d2/dy2 atan2 = -2xy / (x^2 + y^2)^2 at (1, 2): -4/25)
  const H = hessian((v: any) => np.arctan2(v.get(0), v.get(1)))(np.array([1, 2], { dtype: 'float64' })).tolist() as number[][];
  close(H[0][0], -4 / 25, 'Hessian');
});

test('asin, acos, atanh, acosh at their endpoints: reverse mode\'s second derivative is forward mode\'s infinity (0 inf = NaN before)', () => {
  const f64 = (v: number) => np.array(v, { dtype: 'float64' });
  const fwd = (g: any) => (t: any) => jvp(g, [t], [f64(1)])[1];
  // asin'' = x / (1 - x^2)^1.5, atanh'' = 2x / (1 - x^2)^2, acosh'' = -x / (x^2 - 1)^1.5: +-inf at the endpoints
  const cases: [any, number, number][] = [[np.arcsin, 1, Infinity], [np.arcsin, -1, -Infinity], [np.arccos, 1, -Infinity],
    [np.arctanh, 1, Infinity], [np.arctanh, -1, -Infinity], [np.arccosh, 1, -Infinity]];
  for (const [f, x, want] of cases) {
    assert.equal(grad(grad(f))(f64(x)).item(), want, `${f.name}''(${x}) reverse`);
    assert.equal(fwd(fwd(f))(f64(x)).item(), want, `${f.name}''(${x}) forward`);
  }
  // inside, unchanged: asin''(0.9), atanh''(0.3), acosh''(2) against the closed forms
  assert.ok(Math.abs((grad(grad(np.arcsin))(f64(0.9)).item() as number) - 0.9 / 0.19 ** 1.5) < 1e-13);
  assert.ok(Math.abs((grad(grad(np.arctanh))(f64(0.3)).item() as number) - 0.6 / 0.91 ** 2) < 1e-14);
  assert.ok(Math.abs((grad(grad(np.arccosh))(f64(2)).item() as number) + 2 / 3 ** 1.5) < 1e-14);
});

test("heaviside(x, h0) is h0 itself where x = 0: its derivative in h0 is 1 there (jnp's nested where), 0 elsewhere; 0 in x", () => {
  const x = f64([-1, 0, 2, 0]);
  // d/dh0 of sum(heaviside(x, h0)) for a per-element h0: 1 exactly where x == 0 (was 0 everywhere)
  assert.deepEqual(grad((h: any) => np.sum(np.heaviside(x, h)))(f64([0.5, 0.5, 0.5, 0.25])).tolist(), [0, 1, 0, 1]);
  // a scalar h0 broadcast: the count of zeros in x
  assert.equal(grad((h: any) => np.sum(np.heaviside(x, h)))(f64(0.5)).item(), 2);
  assert.deepEqual(jvp((h: any) => np.heaviside(x, h), [f64(0.5)], [f64(1)])[1].tolist(), [0, 1, 0, 1]);
  assert.deepEqual(grad((v: any) => np.sum(np.heaviside(v, 0.5)))(f64([-1, 0, 2, NaN])).tolist(), [0, 0, 0, 0]);
  assert.deepEqual(vmap(grad((h: any) => np.heaviside(f64(0), h)))(f64([0.1, 0.2])).tolist(), [1, 1]);
  const v = np.heaviside(f64([-1, 0, 2, NaN]), 0.5).tolist() as number[];
  assert.deepEqual(v.slice(0, 3), [0, 0.5, 1]); assert.ok(Number.isNaN(v[3]));
});
