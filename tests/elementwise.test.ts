// Special values and the JAX rules of the wider elementwise set (issue 7). Expected values are
// the mathematical ones or JAX's documented choices, written out by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, grad, jit, DTypeError, ValueError } from 'cotangent';

const f64 = (v: number[]) => np.array(v, { dtype: 'float64' });
const same = (got: number[], want: number[], what: string) =>
  assert.ok(got.every((g, i) => Object.is(g, want[i])), `${what}: got [${got}], want [${want}]`);

test('special values at poles, edges and infinities', () => {
  same(np.lgamma(f64([0, -1, -2, Infinity, -Infinity, 1, 2])).tolist() as number[], [Infinity, Infinity, Infinity, Infinity, Infinity, 0, 0], 'lgamma');
  same(np.digamma(f64([0, -3, Infinity])).tolist() as number[], [NaN, NaN, Infinity], 'digamma');
  same(np.erfinv(f64([1, -1, 1.5, 0, -0])).tolist() as number[], [Infinity, -Infinity, NaN, 0, -0], 'erfinv');
  same(np.erf(f64([Infinity, -Infinity, -0])).tolist() as number[], [1, -1, -0], 'erf');
  same(np.erfc(f64([-Infinity, Infinity, 30])).tolist() as number[], [2, 0, 0], 'erfc');
  same(np.expm1(f64([-Infinity, -0])).tolist() as number[], [-1, -0], 'expm1');
  same(np.log1p(f64([-1, -2, -0])).tolist() as number[], [-Infinity, NaN, -0], 'log1p');
  same(np.cbrt(f64([-8, -0, -Infinity])).tolist() as number[], [-2, -0, -Infinity], 'cbrt');
  same(np.arctan2(f64([0, -0, 1, -1]), f64([-1, -1, 0, 0])).tolist() as number[], [Math.PI, -Math.PI, Math.PI / 2, -Math.PI / 2], 'atan2');
  // mpmath: sqrt(2) * 1e200 rounds to 1.414213562373095e200
  same(np.hypot(f64([1e200, 3, Infinity]), f64([1e200, 4, NaN])).tolist() as number[], [1.414213562373095e200, 5, Infinity], 'hypot');
  assert.equal(np.hypot(np.array([3e38]), np.array([3e38])).item(), Infinity); // float32 overflow, no NaN
  same(np.hypot(np.array([3e38]), np.array([1])).tolist() as number[], [Math.fround(3e38)], 'hypot f32');
});

test('float32 SIMD paths (computed in f64x2): special values as the float64 kernels', () => {
  const xs = [-Infinity, Infinity, NaN, -0, 0, -1, 1, 0.5, 200, -200, 1e-30];
  for (const f of ['expm1', 'log1p', 'exp2', 'log2', 'log10', 'tan', 'sinh', 'cosh', 'arcsinh', 'arccosh', 'arctanh']) {
    const want = ((np as any)[f](f64(xs)).tolist() as number[]).map((v) => Math.fround(v));
    same((np as any)[f](np.array(xs)).tolist() as number[], want, `${f} float32`);
  }
});

test('float32 exp2 at integers is the exact power of two, rounded once: 2^-150, a tie, is 0 (it was 2^-149; helper-198), 2^127 exact', () => {
  // hand-derived: 2^-150 halfway between 0 and 2^-149 rounds to even (0); 2^-149.5 = 0.707 2^-149 rounds up
  same(np.exp2(np.array([-150, -149, -149.5, -126, 127, 128], { dtype: 'float32' })).tolist() as number[],
    [0, 2 ** -149, 2 ** -149, 2 ** -126, 2 ** 127, Infinity], 'exp2 float32');
});

test('rounding: half to even; floor/ceil/trunc; sign keeps +-0 and NaN; ints pass through', () => {
  same(np.round(f64([0.5, 1.5, 2.5, -0.5, -1.5, 2.4999999999999996])).tolist() as number[], [0, 2, 2, -0, -2, 2], 'round');
  same(np.round(f64([1.25, 1.35]), { decimals: 1 }).tolist() as number[], [1.2, 1.4], 'round 1 decimal');
  same(np.floor(f64([-0.5, 1.5, -0])).tolist() as number[], [-1, 1, -0], 'floor');
  same(np.ceil(f64([-0.5, 1.5])).tolist() as number[], [-0, 2], 'ceil');
  same(np.trunc(f64([-1.7, 1.7])).tolist() as number[], [-1, 1], 'trunc');
  same(np.sign(f64([-3, 0, -0, NaN, Infinity])).tolist() as number[], [-1, 0, -0, NaN, 1], 'sign');
  const i = np.array([3, -4], { dtype: 'int32' });
  assert.equal(np.floor(i).dtype, 'int32');
  same(np.round(np.array([2.5, 3.5, -2.5])).tolist() as number[], [2, 4, -2], 'round f32');
});

test('maximum/minimum: NaN propagates, the value at a tie is x (no (x+y)/2 overflow), bool stays bool', () => {
  same(np.maximum(f64([NaN, 1, 1e308]), f64([1, NaN, 1e308])).tolist() as number[], [NaN, NaN, 1e308], 'max');
  same(np.minimum(f64([NaN, -1e308]), f64([1, -1e308])).tolist() as number[], [NaN, -1e308], 'min');
  assert.equal(np.maximum(np.array([3e38]), np.array([3e38])).item(), Math.fround(3e38));
  assert.equal(np.maximum(np.array([true, false]), false).dtype, 'bool');
  // the gradient at a tie splits 1/2 to each side (JAX's _balanced_eq)
  const g = grad((x: any, y: any) => np.sum(np.maximum(x, y)), { argnums: [0, 1] })(f64([1, 2, 3]), f64([1, 5, 0]));
  assert.deepEqual(g.map((a: any) => a.tolist()), [[0.5, 0, 1], [0.5, 1, 0]]);
  const h = grad((x: any) => np.sum(np.clip(x, -1, 1)))(f64([-1, 0, 1, 2]));
  assert.deepEqual(h.tolist(), [0.5, 1, 0.5, 0]);
});

test('nn helpers: stable logSigmoid and softplus; relu and logaddexp gradients as JAX', () => {
  same(np.logSigmoid(f64([-1e4, -800, 0, 40])).tolist() as number[], [-1e4, -800, -Math.LN2, -4.248354255291589e-18], 'logSigmoid');
  assert.equal(np.logSigmoid(np.array([-200])).item(), -200); // float32 left tail
  same(np.softplus(f64([-1e4, 0, 1e4])).tolist() as number[], [0, Math.LN2, 1e4], 'softplus');
  assert.equal(grad((x: any) => np.softplus(x))(0).item(), 0.5);
  assert.equal(grad((x: any) => np.logSigmoid(x))(-1e4).item(), 1);
  assert.deepEqual(grad((x: any) => np.sum(np.relu(x)))(f64([-1, 0, 2])).tolist(), [0, 0, 1]);
  same(np.relu(f64([NaN, -0, -3])).tolist() as number[], [NaN, 0, 0], 'relu');
  assert.deepEqual(grad((x: any, y: any) => np.logaddexp(x, y), { argnums: [0, 1] })(2, 2).map((a: any) => a.item()), [0.5, 0.5]);
  same(np.logaddexp(f64([-Infinity, Infinity, 1000]), f64([-Infinity, Infinity, 1000])).tolist() as number[], [-Infinity, Infinity, 1000 + Math.LN2], 'logaddexp');
});

test('predicates, nanToNum, copysign, logical ops', () => {
  const x = f64([NaN, Infinity, -Infinity, 1, -0]);
  assert.deepEqual(np.isnan(x).tolist(), [true, false, false, false, false]);
  assert.deepEqual(np.isinf(x).tolist(), [false, true, true, false, false]);
  assert.deepEqual(np.isfinite(x).tolist(), [false, false, false, true, true]);
  assert.deepEqual(np.isfinite(np.array([1], { dtype: 'int32' })).tolist(), [true]);
  // through the 16-wide SIMD body and the tail, both dtypes
  const specials = [NaN, Infinity, -Infinity, 0, -1e308, 3e38, 1e-300];
  const long = Array.from({ length: 37 }, (_, i) => specials[(i * 5) % specials.length]);
  for (const dtype of ['float32', 'float64'] as const) {
    const want = long.map((v) => Number.isFinite(dtype === 'float32' ? Math.fround(v) : v));
    assert.deepEqual(np.isfinite(np.array(long, { dtype })).tolist(), want, dtype);
  }
  same(np.nanToNum(x).tolist() as number[], [0, Number.MAX_VALUE, -Number.MAX_VALUE, 1, -0], 'nanToNum');
  same(np.nanToNum(x, { nan: 7, posinf: 1, neginf: -1 }).tolist() as number[], [7, 1, -1, 1, -0], 'nanToNum opts');
  same(np.copysign(f64([1, 1, -2, 3]), f64([-0, 0, 5, -Infinity])).tolist() as number[], [-1, 1, 2, -3], 'copysign');
  assert.throws(() => np.subtract(np.array([true]), np.array([false])), DTypeError);
});

test('polygamma: n = 0 is digamma; trigamma(1) = pi^2/6; order 2 at 1 is -2 zeta(3)', () => {
  assert.equal(np.polygamma(0, f64([1])).item(), np.digamma(f64([1])).item());
  assert.ok(Math.abs((np.polygamma(1, f64([1])).item() as number) - Math.PI ** 2 / 6) < 4e-16);
  assert.ok(Math.abs((np.polygamma(2, f64([1])).item() as number) + 2.4041138063191885) < 1e-14);
  assert.ok(Math.abs((np.polygamma(1, f64([-0.5])).item() as number) - 8.934802200544704) < 1e-13);
  // x < 0 (NaN before): mpmath's polygamma (scipy's agrees); x exact in float32 too; poles: scipy's signed inf
  const neg: [number, number, number][] = [[2, -0.5, -0.82879664423432], [2, -7.25, 124.00852603656573], [2, -2000.75, -124.02510697088706],
    [3, -1.5, 194.59427621918762], [3, -100.25, 1558.5454545884687], [4, -7.25, 24481.573142242188]];
  for (const [n, x, want] of neg) {
    for (const dt of ['float64', 'float32'] as const) {
      const got = np.polygamma(n, np.array([x, x], { dtype: dt })).tolist() as number[]; // (two lanes: the SIMD path's too)
      const tol = dt === 'float64' ? 1e-12 : 1e-5;
      for (const g of got) assert.ok(Math.abs(g - want) <= tol * Math.abs(want), `polygamma(${n}, ${x}) ${dt}: ${g} vs ${want}`);
    }
  }
  // poles; below -1e5 (NaN before: the recurrence took |x| steps) mpmath's -9.99998000002749997e-13
  assert.deepEqual(np.polygamma(2, f64([-1, -0, -1e6, -1e6 - 0.5])).tolist(), [-Infinity, -Infinity, -Infinity, -9.9999800000275e-13]);
  assert.deepEqual(np.polygamma(3, f64([-3])).tolist(), [Infinity]);
  // digamma'' and gammaln''' at -0.5 are polygamma(2, -0.5)
  assert.ok(Math.abs((grad(grad(np.digamma))(np.array(-0.5, { dtype: 'float64' })).item() as number) + 0.82879664423432) < 1e-12);
  assert.ok(Math.abs((grad(grad(grad(np.gammaln)))(np.array(-0.5, { dtype: 'float64' })).item() as number) + 0.82879664423432) < 1e-12);
});

/** How many float64 (or float32) values lie between a and b (0: the same value). */
function ulpsApart(a: number, b: number, dtype: 'float64' | 'float32' = 'float64'): number {
  if (Object.is(a, b) || (a === 0 && b === 0)) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  const key = (v: number): bigint => {
    const u = dtype === 'float64' ? new BigInt64Array(new Float64Array([v]).buffer)[0] : BigInt(new Int32Array(new Float32Array([v]).buffer)[0]);
    return u < 0n ? -(u & (dtype === 'float64' ? 0x7FFFFFFFFFFFFFFFn : 0x7FFFFFFFn)) : u;
  };
  const d = key(a) - key(b);
  return Number(d < 0n ? -d : d);
}

test('polygamma at large n and any x: within 2 ulp of mpmath in float64, float32 rounded once (the recurrence cancelled, the asymptotic series failed, n! overflowed)', () => {
  // [n, x, polygamma(n, x)]: mpmath at 120+ digits rounded to float64 (x > 0: (-1)^(n+1) n! zeta(n+1, x);
  // x = -m - t < 0: the same with zeta(s, x) = (-1)^s (zeta(s, t) - zeta(s, 1 - x)) + zeta(s, 1 - t), s = n + 1,
  // cross-checked against mp.polygamma at 300-800 digits). The first eight were a user probe's:
  // 0, -9.2846e+26, -487772993355776, -1.5940266855265685e-8, -0.014745149286672168, Infinity, NaN, -0.
  const cases: [number, number, number][] = [
    [40, -0.5, -4.919301571242758e+40], [30, -0.5, -9.222127066162056e+26], [20, -0.5, -487772949462609.9],
    [30, 20, -1.59402668621415e-08], [50, 20, -0.01474515749090625], [162, 1, -1.2296942187394494e+289],
    [165, 50, 52707196773028.25], [80, 1e5, -8.949761086729117e-284],
    [2, 1e-300, -Infinity], [2, 1e300, -0], [3, 0.5, 97.40909103400244], [7, 33.3, 1.759036878718347e-08],
    [16, 2.5, -3606466.763141226], [25, 17.5, 9.81550412564575e-08], [60, 40, -2.0171001213402938e-16],
    [99, 64, 2.859788562309643e-25], [120, 30, -1.2648503835747146e+20], [200, 0.5, -Infinity],
    [200, 80, -2.589571292426464e-08], [200, 1000, -4.3508192705971016e-228],
    [4, -0.25, 24473.199394184583], [6, -3.51, -25932.96848955387], [10, -10.5, -1.3479713180436911e-05],
    [12, -0.4999, 20402267980.175957], [21, -7.25, 8.988013598978536e+32], [33, -2.3, 5.206705650384768e+54],
    [44, -33.7, -8.99793569209916e+77], [64, -100.5, -1.0311454024136852e-41], [100, -0.5001, -9.559716198633203e+186],
    [150, -1.5, -4.6553474663569885e+202], [200, -100.5, -4.59854740538407e-29],
    [3, -1e10 - 0.25, 1558.545456544039], [2, -(2 ** 51) - 0.5, -1.9721522630525278e-31],
    [1000, 367.87944117144233, -0.23073533368572055], [1e6, 367879.44117144233, -0.0072951135959512334],
    [2 ** 31 - 1, 790015083.983171, 0.0001574225536314793],
  ];
  for (const [n, x, want] of cases) {
    const got = np.polygamma(n, f64([x, x, x])).tolist() as number[]; // three lanes
    for (const g of got) assert.ok(ulpsApart(g, want) <= 2, `polygamma(${n}, ${x}): ${g}, want ${want}`);
  }
  // float32: mpmath's value rounded to float32 (the probe's (50, 20) was -0.01474514976143837)
  const f32: [number, number, number][] = [
    [50, 20, -0.014745157212018967], [30, 20, -1.5940265996050584e-08], [20, -0.5, -487772959801344],
    [30, -0.5, -9.222127250564682e+26], [165, 50, 52707196928000], [7, 33.25, 1.777910263456306e-08],
    [12, -0.25, 3.214523390282957e+16], [26, -2.5, -824659214336], [40, -0.5, -Infinity], [80, 1e5, -0],
  ];
  for (const [n, x, want] of f32) {
    const g = np.polygamma(n, np.array([x], { dtype: 'float32' })).item() as number;
    assert.ok(ulpsApart(g, want, 'float32') === 0, `polygamma(${n}, ${x}) float32: ${g}, want ${want}`);
  }
  // closed form: polygamma(n, 1) = (-1)^(n+1) n! zeta(n+1), zeta(101) = 1 + 2^-101 + ...: -100! to
  // float64's precision (100! = 9.33262154439441526816992388562667e157, so -9.332621544394415e157)
  assert.ok(ulpsApart(np.polygamma(100, f64([1])).item() as number, -9.332621544394415e157) <= 1);
  // n even at a negative half-integer: the terms (-1/2)^-(n+1) and (1/2)^-(n+1) cancel exactly, so
  // polygamma(60, -0.5) = polygamma(60, 1.5) = -60! zeta(61, 1.5) (mpmath: -1.5087179138556403e+71 for both)
  assert.ok(ulpsApart(np.polygamma(60, f64([-0.5])).item() as number, -1.5087179138556403e+71) <= 2);
  assert.ok(ulpsApart(np.polygamma(60, f64([1.5])).item() as number, -1.5087179138556403e+71) <= 2);
  // the derivative is polygamma(n + 1): at (40, -0.5) mpmath's polygamma(41, -0.5) = 2.942515359172776e+62
  assert.ok(ulpsApart(grad((v: any) => np.polygamma(40, v))(np.array(-0.5, { dtype: 'float64' })).item() as number, 2.942515359172776e+62) <= 2);
  assert.deepEqual(jit((v: any) => np.polygamma(50, v))(f64([20])).tolist(), [-0.01474515749090625]);
});

test('polygamma: n past int32 is a ValueError naming n and its range (it was "needs a float operand, got float64[3]")', () => {
  const x = f64([1, 2, 3]);
  assert.throws(() => np.polygamma(2 ** 31, x), (e: unknown) => e instanceof ValueError && /^np\.polygamma: n must be an integer in \[0, 2147483647\] \(2\^31 - 1\), got 2147483648$/.test((e as Error).message));
  assert.throws(() => lax.polygamma(2 ** 31, x), (e: unknown) => e instanceof ValueError && /^lax\.polygamma: n must be an integer in \[1, 2147483647\] \(2\^31 - 1\), got 2147483648$/.test((e as Error).message));
  assert.throws(() => np.polygamma(np.array([2 ** 32 - 1], { dtype: 'uint32' }), x), (e: unknown) => e instanceof ValueError && /got 4294967295$/.test((e as Error).message));
  assert.throws(() => np.polygamma(-1, x), (e: unknown) => e instanceof ValueError && /got -1$/.test((e as Error).message));
});

test('polygamma with an integer Array n: elementwise, broadcast against x (JAX\'s), a negative n NaN; n must be concrete', () => {
  const x = f64([1.5, 2, 3]);
  // scipy.special.polygamma([0, 1, 2], [1.5, 2, 3]) and polygamma([[1], [-1]], [1.5, 2, 3])
  const near = (got: number[], want: number[], what: string) =>
    assert.ok(got.every((g, i) => (Number.isNaN(want[i]) ? Number.isNaN(g) : Math.abs(g - want[i]) <= 1e-14 * Math.abs(want[i]))), `${what}: got [${got}], want [${want}]`);
  near(np.polygamma(np.array([0, 1, 2], { dtype: 'int32' }), x).tolist() as number[], [0.03648997397857652, 0.6449340668482266, -0.15411380631918856], 'per element');
  const b = np.polygamma(np.array([[1], [-1]], { dtype: 'int32' }), x).tolist() as number[][];
  near(b[0], [0.9348022005446793, 0.6449340668482266, 0.39493406684822646], 'broadcast n = 1');
  near(b[1], [NaN, NaN, NaN], 'n = -1');
  // d/dx polygamma(n, x) = polygamma(n + 1, x): scipy's polygamma(1, 1.5), polygamma(2, 2), polygamma(3, 3)
  near(grad((v: any) => np.sum(np.polygamma(np.array([0, 1, 2], { dtype: 'int32' }), v)))(x).tolist() as number[], [0.9348022005446793, -0.40411380631918857, 0.11893940226682914], 'grad');
  assert.throws(() => np.polygamma(np.array([1.0]), x), (e: unknown) => e instanceof DTypeError && /np\.polygamma: n must be an integer Array/.test((e as Error).message));
  assert.throws(() => jit((n: any, v: any) => np.polygamma(n, v))(np.array([1, 2, 3], { dtype: 'int32' }), x), /np\.polygamma: n int32\[3\] has no concrete values here/);
});
