// helper CH: the functions an ML user leans on, at the extremes where JAX is careful and naive
// code gives NaN/inf or silent wrong values: values, first derivatives (grad, jvp) and second
// (grad(grad), jvp-of-grad, hessian), float32 and float64, eager, jit and vmap.
// References: mpmath (60 digits, values pasted, the script's formulas named beside them), closed
// forms, and JAX's documented conventions (jax/_src/nn/functions.py, jax/_src/numpy/ufuncs.py,
// jax/_src/lax/lax.py), said where used. Nothing here is taken from cotangent's own output.
// Not tested because cotangent does not offer them: xlogy, xlog1py, entr (jax.scipy.special), and
// logsumexp's where=/initial= (refused by name: checked below).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, grad, jvp, jit, vmap, hessian } from '../ts/index.ts';

type DT = 'float32' | 'float64';
const DTS: DT[] = ['float32', 'float64'];
const A = np as any;
const I = Infinity;
const arr = (v: unknown, dt: DT) => np.array(v as any, { dtype: dt });
const flat = (a: any): number[] => Array.from(a.dataSync() as ArrayLike<number>, Number);
const f32 = Math.fround;

/** got matches want: non-finite exactly (NaN to NaN, inf with its sign), finite to rtol*|want| + atol. */
function near(got: number, want: number, rtol: number, atol: number): boolean {
  if (!Number.isFinite(want) || !Number.isFinite(got)) return Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want));
  return Math.abs(got - want) <= rtol * Math.abs(want) + atol;
}
const TOL: Record<DT, { v: number; d: number; atol: number }> = {
  float32: { v: 4e-7, d: 4e-6, atol: 6e-45 }, // (atol: a few float32 subnormal steps, 1.4e-45 each)
  float64: { v: 4e-16, d: 4e-14, atol: 1e-320 },
};
function check(what: string, got: number[], want: number[], rtol: number, atol: number) {
  assert.equal(got.length, want.length, `${what}: length`);
  got.forEach((g, i) => assert.ok(near(g, want[i], rtol, atol), `${what} [${i}]: got ${g}, want ${want[i]}`));
}

/**
 * A scalar function f at the points xs against [value, f', f''] references: values eagerly per
 * point, vmap and jit(vmap); f' by grad per point, jit(grad) per point, vmap(grad), jit(vmap(grad))
 * and jvp(vmap(f)); f'' by grad(grad) per point, vmap(grad(grad)), jit(vmap(grad(grad))) and
 * jvp(vmap(grad(f))) (forward over reverse).
 */
function modes(name: string, f: (x: any) => any, xs: number[], refs: [number, number, number][], dt: DT, tol = TOL[dt], orders = 2) {
  const X = arr(xs, dt), ones = arr(xs.map(() => 1), dt);
  const want = [0, 1, 2].map((k) => refs.map((r) => r[k]));
  const rt = [tol.v, tol.d, tol.d * 10];
  const per = (g: (x: any) => any) => xs.map((x) => flat(g(arr(x, dt)))[0]);
  const tag = `${name} ${dt}`;
  check(`${tag} value eager`, per(f), want[0], rt[0], tol.atol);
  check(`${tag} value vmap`, flat(vmap(f)(X)), want[0], rt[0], tol.atol);
  check(`${tag} value jit(vmap)`, flat(jit(vmap(f))(X)), want[0], rt[0], tol.atol);
  const g1 = grad(f);
  check(`${tag} grad`, per(g1), want[1], rt[1], tol.atol);
  check(`${tag} jit(grad)`, per(jit(g1)), want[1], rt[1], tol.atol);
  check(`${tag} vmap(grad)`, flat(vmap(g1)(X)), want[1], rt[1], tol.atol);
  check(`${tag} jit(vmap(grad))`, flat(jit(vmap(g1))(X)), want[1], rt[1], tol.atol);
  check(`${tag} jvp`, flat((jvp(vmap(f), [X], [ones]) as any)[1]), want[1], rt[1], tol.atol);
  if (orders < 2) return;
  const g2 = grad(g1);
  check(`${tag} grad(grad)`, per(g2), want[2], rt[2], tol.atol);
  check(`${tag} vmap(grad(grad))`, flat(vmap(g2)(X)), want[2], rt[2], tol.atol);
  check(`${tag} jit(vmap(grad(grad)))`, flat(jit(vmap(g2))(X)), want[2], rt[2], tol.atol);
  check(`${tag} jvp(grad)`, flat((jvp(vmap(g1), [X], [ones]) as any)[1]), want[2], rt[2], tol.atol);
}

// ---------------------------------------------------------------- sigmoid family

// closed forms in plain JS (float64), exact enough at these points: s = 1/(1+e^-x) for x >= 0, e^x/(1+e^x) below
const sig = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const SIGX = [-1e4, -100, -30, 0, 30, 100, 1e4];

test('sigmoid / logSigmoid / softplus / silu at |x| = 30, 100, 1e4: values, first and second derivatives in every mode', () => {
  for (const dt of DTS) {
    // sigmoid' = s(1-s), sigmoid'' = s(1-s)(1-2s); for x < 0, 1 - s = sig(-x) keeps the tail's digits
    const S: [number, number, number][] = SIGX.map((x) => { const s = sig(x), c = sig(-x); return [s, s * c, s * c * (c - s)]; });
    modes('sigmoid', (x) => np.sigmoid(x), SIGX, S, dt);
    // logSigmoid = -softplus(-x): log s, (1 - s), -s(1-s). logSigmoid(-1e4) = -1e4 exactly (JAX's doc example);
    // log s for x >= 0 is -log1p(e^-x), for x < 0 x - log1p(e^x)
    const LS: [number, number, number][] = SIGX.map((x) => {
      const v = x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
      return [v, sig(-x), -sig(x) * sig(-x)];
    });
    modes('logSigmoid', (x) => A.logSigmoid(x), SIGX, LS, dt);
    // softplus = log1p(e^x): (x >= 0: x + log1p(e^-x)); softplus' = s, softplus'' = s(1-s)
    const SP: [number, number, number][] = SIGX.map((x) => [x >= 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)), sig(x), sig(x) * sig(-x)]);
    modes('softplus', (x) => A.softplus(x), SIGX, SP, dt);
  }
});

test('silu and gelu (erf and tanh forms) against mpmath values and derivatives, tails included', () => {
  // mpmath, 60 digits: silu = x/(1+exp(-x)); [value, mp.diff 1, mp.diff 2]
  const SILU: [number, [number, number, number]][] = [
    [-100, [-3.720075976020836e-42, -3.682875216260628e-42, -3.645674456500419e-42]],
    [-20, [-4.122307236380407e-08, -3.9161918660646786e-08, -3.710076488101912e-08]],
    [-1, [-0.2689414213699951, 0.07232948812851327, 0.3023661188100153]],
    [0, [0, 0.5, 0.5]],
    [2, [1.7615941559557649, 1.0907842487848955, 0.05006216869470691]],
    [30, [29.999999999997193, 1.0000000000027136, -2.620134431274233e-12]],
  ];
  // gelu exact = x Phi(x), Phi(x) = erfc(-x/sqrt 2)/2
  const GELU: [number, [number, number, number]][] = [
    [-10, [-7.619853024160526e-23, -7.618400096464814e-22, -7.540706654172292e-21]],
    [-5, [-1.4332578593959695e-06, -7.146946001792295e-06, -3.4194548838888845e-05]],
    [-1, [-0.15865525393145705, -0.0833154705876863, 0.24197072451914334]],
    [0.5, [0.34573123063700656, 0.8674951246561629, 0.6161143218375241]],
    [3, [2.99595030590511, 1.011945647204184, -0.03102293888356605]],
    [8, [7.999999999999995, 1.0000000000000397, -3.1324080717928733e-13]],
  ];
  // gelu tanh = x (1 + tanh(sqrt(2/pi)(x + 0.044715 x^3)))/2 (jax.nn.gelu approximate=True)
  const GELUT: [number, [number, number, number]][] = [
    [-10, [-1.204092348209806e-37, -2.7576380638540315e-36, -6.263930626022879e-35]],
    [-5, [-2.291796196629506e-07, -1.5463619875325946e-06, -9.934132224996203e-06]],
    [-1, [-0.1588080093917233, -0.08296408384578255, 0.24214819798377296]],
    [0.5, [0.34571400982514394, 0.8673699035346423, 0.6155068951159849]],
    [3, [2.996362607918227, 1.0115841666309697, -0.031767658886074704]],
    [8, [8.0, 1.0, -7.0458213960972915e-19]],
  ];
  for (const dt of DTS) {
    // (composites of a few ops: allow a few ulp more than a kernel)
    // (float32 atol 1e-43: silu(-100) = -100 sigmoid(-100) scales a subnormal float32 sigmoid, 3.78e-44 for
    // 3.72e-44, so -3.78e-42 for -3.72e-42, 1.7% off; JAX's x * sigmoid(x) does the same, and XLA's CPU
    // flushes the subnormal to 0)
    const tol = dt === 'float32' ? { v: 2e-6, d: 1e-5, atol: 1e-43 } : { v: 4e-15, d: 1e-13, atol: 1e-320 };
    modes('silu', (x) => A.silu(x), SILU.map((p) => p[0]), SILU.map((p) => p[1]), dt, tol);
    modes('gelu exact', (x) => A.gelu(x, { approximate: false }), GELU.map((p) => p[0]), GELU.map((p) => p[1]), dt, tol);
    modes('gelu tanh', (x) => A.gelu(x), GELUT.map((p) => p[0]), GELUT.map((p) => p[1]), dt, tol);
  }
});

// ---------------------------------------------------------------- log1p, expm1, erf family, sinc

test('log1p / expm1 near 0 and at -1 (log1p(-1) = -inf, derivative 1/(1+x) = inf, second -inf)', () => {
  for (const dt of DTS) {
    const r = (x: number) => (dt === 'float32' ? f32(x) : x);
    const xs = [1e-10, -1e-10, 1e-30, -0.5, -1].map(r);
    // log1p(x) = x - x^2/2 + x^3/3 (3 terms: exact to 1e-30 relative at 1e-10); at -0.5: -ln 2
    const L: [number, number, number][] = xs.map((x) => x === -1 ? [-I, I, -I]
      : [Math.abs(x) < 1e-3 ? x - x * x / 2 + x * x * x / 3 : Math.log1p(x), 1 / (1 + x), -1 / ((1 + x) * (1 + x))]);
    modes('log1p', (x) => np.log1p(x), xs, L, dt);
    // expm1 = x + x^2/2 + x^3/6 near 0; derivative e^x (every order); at -1e4: -1, 0, 0; at -0.5 Math.expm1
    const ex = [...xs.slice(0, 4), -1e4];
    const E: [number, number, number][] = ex.map((x) => [Math.abs(x) < 1e-3 ? x + x * x / 2 + x * x * x / 6 : Math.expm1(x), Math.exp(x), Math.exp(x)]);
    modes('expm1', (x) => np.expm1(x), ex, E, dt);
  }
});

test('erf / erfc / erfinv in the tails: values and derivatives against mpmath', () => {
  // mpmath: erf, erfc, d/dx erfc = -2/sqrt(pi) e^{-x^2}, d2 = 4x/sqrt(pi) e^{-x^2}
  const ERF: [number, number, number, number, number][] = [
    [-6, -1.0, 2.0, -2.617301239249265e-16, -3.1407614870991178e-15],
    [-5, -0.9999999999984626, 1.9999999999984626, -1.5670866531017336e-11, -1.5670866531017336e-10],
    [3, 0.9999779095030014, 2.209049699858544e-05, -0.00013925305194674786, 0.0008355183116804871],
    [6, 1.0, 2.1519736712498913e-17, -2.617301239249265e-16, 3.1407614870991178e-15],
    [9, 1.0, 4.13703174651381e-37, -7.492073428245974e-36, 1.3485732170842753e-34],
  ];
  const ERFC64: [number, number, number, number, number][] = [
    [10, 1.0, 2.088487583762545e-45, -4.197656231354417e-44, 8.395312462708834e-43],
    [26, 1.0, 5.663192408856143e-296, -2.9470349932662697e-294, 1.53245819649846e-292],
  ];
  for (const dt of DTS) {
    const rows = dt === 'float64' ? [...ERF, ...ERFC64] : ERF;
    const xs = rows.map((r) => r[0]);
    modes('erf', (x) => A.erf(x), xs, rows.map((r) => [r[1], -r[3], -r[4]]), dt);
    modes('erfc', (x) => A.erfc(x), xs, rows.map((r) => [r[2], r[3], r[4]]), dt);
  }
  // erfinv(y), d1 = sqrt(pi)/2 exp(erfinv^2), d2 = 2 erfinv d1^2 (mpmath at the float32 / float64 y)
  const INV32: [number, [number, number, number]][] = [
    [f32(1 - 1e-7), [3.7439211627767994, 1083994.552340263, 8798545616559.139]],
    [f32(0.999999), [3.45707472603595, 137390.62482961177, 130512755816.24295]],
    [-0.5, [-0.4769362762044699, 1.1125848189719498, -1.1807463499934]],
    [1e-30, [8.862269254527581e-31, 0.886226925452758, 1.392081999207927e-30]],
    [1, [I, I, NaN]], [-1, [-I, I, NaN]],
  ];
  const INV64: [number, [number, number, number]][] = [
    [1 - 1e-7, [3.7665625816384707, 1284925.6873251493, 12437445936162.867]],
    [0.999999, [3.458910737275499, 139146.31032670866, 133940754141.78464]],
    [1 - 2 ** -53, [5.8635847487551676, 757347920544974.0, 6.726421479466189e+30]],
    [-0.5, [-0.4769362762044699, 1.1125848189719498, -1.1807463499934]],
    [1e-30, [8.862269254527581e-31, 0.886226925452758, 1.392081999207927e-30]],
    [1, [I, I, NaN]], [-1, [-I, I, NaN]],
  ];
  for (const [dt, rows] of [['float32', INV32], ['float64', INV64]] as [DT, typeof INV32][]) {
    // (second derivative at +-1: 2 * inf * inf^2 = +-inf by the closed form, its sign erfinv's; JAX's rule
    // computes it as d1 * 2 x ... so we only pin finite points for order 2)
    const fin = rows.filter((r) => Number.isFinite(r[1][0]));
    const tol = dt === 'float32' ? { v: 4e-7, d: 8e-6, atol: 6e-45 } : { v: 1e-15, d: 1e-13, atol: 1e-320 };
    modes('erfinv', (x) => A.erfinv(x), fin.map((r) => r[0]), fin.map((r) => r[1]), dt, tol);
    const ends = rows.filter((r) => !Number.isFinite(r[1][0]));
    modes('erfinv at +-1', (x) => A.erfinv(x), ends.map((r) => r[0]), ends.map((r) => r[1]), dt, tol, 1);
  }
});

test('sinc at 0 and around: value, first and second derivative (sinc\'\'(0) = -pi^2/3)', () => {
  // mpmath sin(pi x)/(pi x) and mp.diff; at 0 the Maclaurin series: 1, 0, -pi^2/3
  const S: [number, [number, number, number]][] = [
    [0, [1, 0, -3.289868133696453]],
    [1e-8, [0.9999999999999999, -3.2898681336964526e-08, -3.289868133696452]],
    [0.3, [0.8583936913341398, -0.9020281301388888, -2.4584852862661744]],
    [0.5, [0.6366197723675814, -1.2732395447351628, -1.1902271282389358]],
    [1, [0, -1.0, 2.0]],
    [2.5, [0.12732395447351627, -0.05092958178940651, -1.215893396004392]],
  ];
  for (const dt of DTS) {
    const pts = dt === 'float32' ? S.filter((p) => p[0] !== 1e-8 && p[0] !== 0.3) : S; // (float32: inputs exact in float32 only)
    const tol = dt === 'float32' ? { v: 1e-6, d: 1e-5, atol: 1e-7 } : { v: 4e-15, d: 2e-13, atol: 1e-15 };
    modes('sinc', (x) => A.sinc(x), pts.map((p) => p[0]), pts.map((p) => p[1]), dt, tol);
  }
});

// ---------------------------------------------------------------- logsumexp / softmax / logSoftmax

/** Every mode of grad of a vector function at x: grad, jit(grad), vmap(grad) over a 2-stack, jit(vmap(grad)). */
function gradModes(what: string, f: (x: any) => any, x: number[], want: number[], dt: DT, rtol: number, atol = 0) {
  const X = arr(x, dt), XX = arr([x, x], dt);
  check(`${what} ${dt} grad`, flat(grad(f)(X)), want, rtol, atol);
  check(`${what} ${dt} jit(grad)`, flat(jit(grad(f))(X)), want, rtol, atol);
  check(`${what} ${dt} vmap(grad)`, flat(vmap(grad(f))(XX)), [...want, ...want], rtol, atol);
  check(`${what} ${dt} jit(vmap(grad))`, flat(jit(vmap(grad(f)))(XX)), [...want, ...want], rtol, atol);
}
const E = Math.E, p1 = 1 / (1 + E), p2 = E / (1 + E); // softmax([0, 1])

test('logsumexp: huge logits and -inf entries give finite values, 0 gradient on -inf, finite Hessian (JAX)', () => {
  for (const dt of DTS) {
    const rt = dt === 'float32' ? 1e-6 : 1e-15;
    const big = dt === 'float32' ? f32(1e30) : 1e300;
    check(`lse huge ${dt}`, flat(np.logsumexp(arr([big, 0], dt))), [big], rt, 0);
    check(`lse tie ${dt}`, flat(np.logsumexp(arr([1000, 1000], dt))), [1000 + Math.LN2], rt, 0);
    check(`lse -inf ${dt}`, flat(np.logsumexp(arr([-I, 0, 1], dt))), [Math.log1p(E)], rt, 0);
    check(`lse all -inf ${dt}`, flat(np.logsumexp(arr([-I, -I], dt))), [-I], 0, 0);
    check(`jit lse all -inf ${dt}`, flat(jit((x: any) => np.logsumexp(x))(arr([-I, -I], dt))), [-I], 0, 0);
    // d lse / dx = softmax(x): 0 at -inf (exp(-inf - m) = 0), [1/2, 1/2] at a huge tie
    gradModes('lse -inf', (x) => np.logsumexp(x), [-I, 0, 1], [0, p1, p2], dt, rt);
    gradModes('lse huge tie', (x) => np.logsumexp(x), [big, big], [0.5, 0.5], dt, rt);
    gradModes('lse huge', (x) => np.logsumexp(x), [big, 0], [1, 0], dt, rt);
    // Hessian diag(p) - p p^T: the -inf row and column 0 (JAX: exp(-inf) = 0 times finite factors)
    const q = p1 * p2;
    check(`hessian lse -inf ${dt}`, flat(hessian((x: any) => np.logsumexp(x))(arr([-I, 0, 1], dt))), [0, 0, 0, 0, q, -q, 0, -q, q], rt * 4, 1e-300);
    check(`jit hessian lse huge ${dt}`, flat(jit(hessian((x: any) => np.logsumexp(x)))(arr([big, big], dt))), [0.25, -0.25, -0.25, 0.25], rt, 0);
    // b = 0 masks a huge entry: out of the max and the sum, zero gradient (jax.nn.logsumexp)
    gradModes('lse b mask', (x) => np.logsumexp(x, { b: arr([0, 1, 1], dt) }), [big, 0, 1], [0, p1, p2], dt, rt);
    // axis and a row of -inf beside a finite row under vmap: the finite row is not contaminated
    const rows = vmap(grad((x: any) => np.logsumexp(x)))(arr([[-I, 0, 1], [big, 0, -big]], dt));
    check(`vmap rows ${dt}`, flat(rows), [0, p1, p2, 1, 0, 0], rt, 0);
  }
  // jax.nn.logsumexp's where= has no counterpart here: refused by name, never silently ignored
  assert.throws(() => np.logsumexp(np.array([1, 2]), { where: np.array([true, false]) } as any), /where/);
  assert.throws(() => np.logsumexp(np.array([1, 2]), { initial: 0 } as any), /initial/);
});

test('logSoftmax / softmax: huge logits, -inf entries, the where mask (values, grad, jvp, Hessian, jit, vmap)', () => {
  for (const dt of DTS) {
    const rt = dt === 'float32' ? 2e-6 : 1e-15;
    const big = dt === 'float32' ? f32(1e30) : 1e300;
    // log_softmax([b, 0, -b]) = [0, -b, -2b] exactly (0 = b - b - log(1 + e^-b + e^-2b))
    check(`logSoftmax huge ${dt}`, flat(np.logSoftmax(arr([big, 0, -big], dt))), [0, -big, -2 * big], 0, 0);
    check(`jit logSoftmax huge ${dt}`, flat(jit((x: any) => np.logSoftmax(x))(arr([big, 0, -big], dt))), [0, -big, -2 * big], 0, 0);
    check(`softmax huge ${dt}`, flat(np.softmax(arr([big, big, 0], dt))), [0.5, 0.5, 0], 0, 0);
    check(`logSoftmax -inf ${dt}`, flat(np.logSoftmax(arr([-I, 0, 1], dt))), [-I, -Math.log1p(E), -Math.log1p(1 / E)], rt, 0);
    // d logSoftmax_2 / dx = e_2 - p: [0, -p1, 1 - p2] with p the softmax of [-inf, 0, 1]
    gradModes('logSoftmax[2] -inf', (x) => np.logSoftmax(x).get(2), [-I, 0, 1], [0, -p1, p1], dt, rt);
    // d softmax_2 / dx = p2 (e_2 - p)
    gradModes('softmax[2] -inf', (x) => np.softmax(x).get(2), [-I, 0, 1], [0, -p1 * p2, p2 * p1], dt, rt);
    // jvp: t - <p, t>, finite also on the -inf entry
    const [, tl] = jvp((x: any) => np.logSoftmax(x), [arr([-I, 0, 1], dt)], [arr([1, 1, 0], dt)]) as any;
    check(`jvp logSoftmax -inf ${dt}`, flat(tl), [1 - p1, 1 - p1, -p1], rt, 0);
    // the where mask (jax.nn.softmax's): masked entries out of max and sum, output 0 / -inf, zero
    // gradient even where they are huge, inf or NaN (JAX replaces them by `initial` before exp)
    const mask = np.array([false, true, true]);
    for (const m of [big, I, NaN]) {
      check(`softmax where (${m}) ${dt}`, flat(np.softmax(arr([m, 0, 1], dt), { where: mask })), [0, p1, p2], rt, 0);
      check(`logSoftmax where (${m}) ${dt}`, flat(np.logSoftmax(arr([m, 0, 1], dt), { where: mask })), [-I, -Math.log1p(E), -Math.log1p(1 / E)], rt, 0);
      // grad of sum(w * softmax): p_i (w_i - <w, p>) on kept entries, 0 on the masked one
      const w = [1, 2, 3], wp = 2 * p1 + 3 * p2;
      const f = (x: any) => np.sum(np.multiply(np.softmax(x, { where: mask }), arr(w, dt)));
      check(`grad softmax where (${m}) ${dt}`, flat(grad(f)(arr([m, 0, 1], dt))), [0, p1 * (2 - wp), p2 * (3 - wp)], rt * 2, 0);
      check(`jit grad softmax where (${m}) ${dt}`, flat(jit(grad(f))(arr([m, 0, 1], dt))), [0, p1 * (2 - wp), p2 * (3 - wp)], rt * 2, 0);
      const g = (x: any) => np.logSoftmax(x, { where: mask }).get(2);
      check(`grad logSoftmax where (${m}) ${dt}`, flat(grad(g)(arr([m, 0, 1], dt))), [0, -p1, p1], rt, 0);
    }
    // a batched mask under vmap (causal-style rows) and jit(vmap)
    const X = arr([[5, 0, 1], [big, 0, 1], [0, 1, 2]], dt);
    const M = np.array([[true, false, false], [false, true, true], [true, true, true]]);
    const sm = (x: any, m: any) => np.softmax(x, { where: m });
    const q = [1, E, E * E].map((v) => v / (1 + E + E * E));
    const wantS = [1, 0, 0, 0, p1, p2, ...q];
    check(`vmap softmax batched where ${dt}`, flat(vmap(sm)(X, M)), wantS, rt, 0);
    check(`jit(vmap) softmax batched where ${dt}`, flat(jit(vmap(sm))(X, M)), wantS, rt, 0);
    const gl = (x: any, m: any) => np.logSoftmax(x, { where: m }).get(0);
    // d lsm_0 / dx on each row: row 0 keeps only x0: [0 (1 - 1), 0, 0]; row 1: entry 0 masked (its output -inf
    // is a constant): 0s; row 2: e_0 - q
    const wantG = [0, 0, 0, 0, 0, 0, 1 - q[0], -q[1], -q[2]];
    check(`vmap grad logSoftmax batched where ${dt}`, flat(vmap(grad(gl))(X, M)), wantG, rt, 1e-300);
    check(`jit(vmap(grad)) logSoftmax batched where ${dt}`, flat(jit(vmap(grad(gl)))(X, M)), wantG, rt, 1e-300);
    // the masked output is the constant -inf: its jvp tangent and gradient are 0 (jax.nn.log_softmax ends in
    // where(where, result, -inf)); was -<p, t> and -p (the -inf - logsumexp's derivative)
    const [lv, lt] = jvp((x: any) => np.logSoftmax(x, { where: mask }), [arr([big, 0, 1], dt)], [arr([1, 1, 0], dt)]) as any;
    check(`jvp logSoftmax where ${dt}`, [...flat(lv), ...flat(lt)], [-I, -Math.log1p(E), -Math.log1p(1 / E), 0, 1 - p1, -p1], rt, 0);
    check(`grad masked logSoftmax output ${dt}`, flat(grad((x: any) => np.logSoftmax(x, { where: mask }).get(0))(arr([big, 0, 1], dt))), [0, 0, 0], 0, 0);
    // a slice with nothing kept: softmax 0s, logSoftmax -infs, and a finite (zero) gradient
    const none = np.array([false, false]);
    check(`softmax none kept ${dt}`, flat(np.softmax(arr([1, 2], dt), { where: none })), [0, 0], 0, 0);
    check(`grad softmax none kept ${dt}`, flat(grad((x: any) => np.sum(np.softmax(x, { where: none })))(arr([1, 2], dt))), [0, 0], 0, 0);
    // second order: Hessian of logsumexp through logSoftmax's own shift at huge equal logits
    const H = flat(hessian((x: any) => np.negative(np.logSoftmax(x).get(0)))(arr([big, big], dt)));
    check(`hessian -logSoftmax_0 huge tie ${dt}`, H, [0.25, -0.25, -0.25, 0.25], rt, 0);
  }
});

test('cross-entropy with one-hot targets and label smoothing at huge logits: finite loss, gradient softmax - t', () => {
  for (const dt of DTS) {
    const rt = dt === 'float32' ? 2e-6 : 1e-14;
    const logits = [[1e4, 0, -1e4], [1e4, 0, -1e4]];
    const labels = np.array([0, 2, 2], { dtype: 'int32' });
    const xent = (z: any, t: any) => np.mean(np.negative(np.sum(np.multiply(t, np.logSoftmax(z)), -1)));
    const onehot = np.astype(A.oneHot(labels, 3), dt);
    // per row: 0; 2e4 (-log_softmax = 2e4 exactly); -log(p2) = log1p(1/e). (A -inf logit where the
    // target is 0 would make 0 * -inf = NaN here as in JAX's t * log_softmax; the -inf test is below.)
    const fin = arr([logits[0], logits[1], [-1e4, 0, 1]], dt);
    const loss = (0 + 2e4 + Math.log1p(1 / E)) / 3;
    check(`xent ${dt}`, flat(xent(fin, onehot)), [loss], rt, 0);
    check(`jit xent ${dt}`, flat(jit(xent)(fin, onehot)), [loss], rt, 0);
    // gradient (softmax - t) / 3
    const gw = [0, 0, 0, 1, 0, -1, 0, p1, p2 - 1].map((v) => v / 3);
    check(`grad xent ${dt}`, flat(grad(xent)(fin, onehot)), gw, rt, 1e-300);
    check(`jit grad xent ${dt}`, flat(jit(grad(xent))(fin, onehot)), gw, rt, 1e-300);
    // per-example gradients under vmap
    const one = (z: any, t: any) => np.negative(np.sum(np.multiply(t, np.logSoftmax(z))));
    check(`vmap grad xent ${dt}`, flat(vmap(grad(one))(fin, onehot)), gw.map((v) => v * 3), rt, 1e-300);
    // label smoothing alpha = 0.1 over K = 3: t = 0.9 onehot + 0.1/3
    const a = 0.1, tS = np.add(np.multiply(onehot, 1 - a), a / 3);
    const tv = (row: number, k: number) => (k === [0, 2, 2][row] ? 1 - a : 0) + a / 3;
    // loss per row -sum_k t_k lsm_k, lsm = [0, -1e4, -2e4] (rows 0, 1) and [-1e4 - log1p(e), -log1p(e), -log1p(1/e)]
    const lsm = [[0, -1e4, -2e4], [0, -1e4, -2e4], [-1e4 - Math.log1p(E), -Math.log1p(E), -Math.log1p(1 / E)]];
    const lossS = lsm.reduce((acc, r, i) => acc - r.reduce((q, v, k) => q + tv(i, k) * v, 0), 0) / 3; // (1000 + 19000 + 333.7...) / 3
    check(`xent smoothed ${dt}`, flat(xent(fin, tS)), [lossS], rt * 4, 0);
    const pS = [[1, 0, 0], [1, 0, 0], [0, p1, p2]];
    const gS = pS.flatMap((r, i) => r.map((p, k) => (p - tv(i, k)) / 3));
    check(`grad xent smoothed ${dt}`, flat(grad(xent)(fin, tS)), gS, dt === 'float32' ? 1e-5 : 1e-13, 1e-7 * (dt === 'float32' ? 1 : 1e-8));
    check(`jit(vmap(grad)) xent smoothed ${dt}`, flat(jit(vmap(grad(one)))(fin, tS)), gS.map((v) => v * 3), dt === 'float32' ? 1e-5 : 1e-13, dt === 'float32' ? 1e-7 : 1e-15);
  }
});

// ---------------------------------------------------------------- where, norm, kinks, ties

test('the double-where trick: grad of where(x > 0, sqrt(where(x > 0, x, 1)), 0) is 0 at 0, every mode and order', () => {
  // JAX FAQ ("gradients contain NaN where using where"): the safe form keeps the untaken branch's
  // derivative finite, so its 0 cotangent gives 0; at x = 4: 1/(2 sqrt x) = 1/4, second -1/(4 x^1.5) = -1/32
  const f = (x: any) => { const p = np.greater(x, 0); return np.where(p, np.sqrt(np.where(p, x, 1)), 0); };
  for (const dt of DTS) modes('safe where sqrt', f, [0, 4, -3], [[0, 0, 0], [2, 0.25, -1 / 32], [0, 0, 0]], dt);
});

test('norm at and near 0: JAX gives NaN for grad at 0 (sqrt at 0); the safe form and tiny/huge vectors are right', () => {
  for (const dt of DTS) {
    const rt = dt === 'float32' ? 1e-6 : 1e-15;
    const nrm = (x: any) => np.linalg.norm(x);
    // jnp.linalg.norm(x) = sqrt(sum(x * conj(x))): grad at 0 is 0 * inf = NaN in JAX (jax#3058); same here in every mode
    gradModes('norm at 0', nrm, [0, 0, 0], [NaN, NaN, NaN], dt, 0);
    gradModes('np.norm at 0', (x) => A.norm(x), [0, 0, 0], [NaN, NaN, NaN], dt, 0);
    // a zero row beside a nonzero one under vmap: the nonzero row's gradient is x / |x|
    check(`vmap rows norm ${dt}`, flat(vmap(grad(nrm))(arr([[0, 0], [3, 4]], dt))), [NaN, NaN, 0.6, 0.8], rt, 0);
    check(`jit(vmap) rows norm ${dt}`, flat(jit(vmap(grad(nrm)))(arr([[0, 0], [3, 4]], dt))), [NaN, NaN, 0.6, 0.8], rt, 0);
    // tiny and huge: sum of squares under/overflows, the norm and its gradient must not
    const t = dt === 'float32' ? 1e-30 : 1e-200, b = dt === 'float32' ? 1e30 : 1e200;
    const tt = dt === 'float32' ? f32(t) : t, bb = dt === 'float32' ? f32(b) : b;
    check(`norm tiny ${dt}`, flat(nrm(arr([t, t], dt))), [tt * Math.SQRT2], rt, 0);
    check(`norm huge ${dt}`, flat(nrm(arr([b, b], dt))), [bb * Math.SQRT2], rt, 0);
    gradModes('norm tiny', nrm, [t, t], [Math.SQRT1_2, Math.SQRT1_2], dt, rt);
    gradModes('norm huge', nrm, [b, b], [Math.SQRT1_2, Math.SQRT1_2], dt, rt);
    // Hessian of |x| at [3, 4]: (I - u u^T)/5, u = [0.6, 0.8]
    const Hw = [1 - 0.36, -0.48, -0.48, 1 - 0.64].map((v) => v / 5);
    check(`hessian norm ${dt}`, flat(hessian(nrm)(arr([3, 4], dt))), Hw, rt * 4, 1e-15);
    check(`jit hessian norm ${dt}`, flat(jit(hessian(nrm))(arr([3, 4], dt))), Hw, rt * 4, 1e-15);
    // the safe square root: sqrt(where(s > 0, s, 1)) under where(s > 0, ., 0): gradient 0 at 0
    const safe = (x: any) => { const s = np.sum(np.multiply(x, x)), p = np.greater(s, 0); return np.where(p, np.sqrt(np.where(p, s, 1)), 0); };
    gradModes('safe sqrt(sum x^2) at 0', safe, [0, 0, 0], [0, 0, 0], dt, 0);
    gradModes('safe sqrt(sum x^2) at [3, 4]', safe, [3, 4], [0.6, 0.8], dt, rt);
  }
});

test('relu at 0, maximum/minimum ties, clip and lax.clamp at the bounds: JAX\'s conventions in every mode', () => {
  for (const dt of DTS) {
    // jax.nn.relu custom_jvp: select(x > 0, g, 0): 0 at 0; second derivative 0 everywhere
    modes('relu', (x) => A.relu(x), [-1, 0, 2], [[0, 0, 0], [0, 0, 0], [2, 1, 0]], dt);
    // maximum/minimum: _balanced_eq splits the tie 1/2 to each side
    for (const op of ['maximum', 'minimum'] as const) {
      const f = (x: any) => (np as any)[op](x.get(0), x.get(1));
      gradModes(`${op} tie`, f, [2, 2], [0.5, 0.5], dt, 0);
      gradModes(`${op} tie at -0/0`, f, [-0, 0], [0.5, 0.5], dt, 0);
      const [, t] = jvp(f, [arr([2, 2], dt)], [arr([1, 3], dt)]) as any;
      check(`jvp ${op} tie ${dt}`, flat(t), [2], 0, 0);
    }
    // jnp.clip = minimum(maximum(x, lo), hi): 1/2 at the bounds, 1 inside, 0 outside
    modes('clip', (x) => A.clip(x, -1, 1), [-2, -1, 0, 1, 2], [[-1, 0, 0], [-1, 0.5, 0], [0, 1, 0], [1, 0.5, 0], [1, 0, 0]], dt);
    // lax.clamp's rule: select(min < x < max, g, 0): 0 at the bounds
    modes('lax.clamp', (x) => lax.clamp(-1, x, 1), [-2, -1, 0, 1, 2], [[-1, 0, 0], [-1, 0, 0], [0, 1, 0], [1, 0, 0], [1, 0, 0]], dt);
  }
});

test('hypot at (0, 0), tiny and huge; arctan2 at the signed zeros and its derivative where x^2 + y^2 underflows', () => {
  for (const dt of DTS) {
    const rt = dt === 'float32' ? 1e-6 : 1e-15;
    const h = (v: any) => A.hypot(v.get(0), v.get(1));
    // jnp.hypot: where(x1 == 0, x1, ...) after max/min of |x|: gradient 1/2 each at the origin
    gradModes('hypot (0,0)', h, [0, 0], [0.5, 0.5], dt, 0);
    gradModes('hypot (3,4)', h, [3, 4], [0.6, 0.8], dt, rt);
    const t = dt === 'float32' ? 1e-30 : 1e-200, b = dt === 'float32' ? 1e37 : 1e300;
    gradModes('hypot tiny', h, [t, t], [Math.SQRT1_2, Math.SQRT1_2], dt, rt);
    gradModes('hypot huge', h, [b, b], [Math.SQRT1_2, Math.SQRT1_2], dt, rt);
    // numpy/IEEE atan2 at signed zeros: (+0, +0) = +0, (+0, -0) = pi, (-0, +0) = -0, (-0, -0) = -pi
    const pi = dt === 'float32' ? f32(Math.PI) : Math.PI;
    const v = flat(A.arctan2(arr([0, 0, -0, -0], dt), arr([0, -0, 0, -0], dt)));
    assert.ok(Object.is(v[0], 0) && v[1] === pi && Object.is(v[2], -0) && v[3] === -pi, `atan2 zeros ${dt}: ${v}`);
    // d atan2(y, x) = (x dy - y dx) / (x^2 + y^2): at (t, t) 1/(2t) each (x^2 underflows in float32 at 1e-30)
    const at = (q: any) => A.arctan2(q.get(0), q.get(1));
    const tt = dt === 'float32' ? f32(t) : t;
    gradModes('atan2 tiny', at, [t, t], [0.5 / tt, -0.5 / tt], dt, rt * 4);
    gradModes('atan2 huge', at, [b, b], [0.5 / (dt === 'float32' ? f32(b) : b), -0.5 / (dt === 'float32' ? f32(b) : b)], dt, rt * 4);
    // at (0, 0) JAX's rule is 0/0 = NaN (the function has no limit there); same here
    gradModes('atan2 (0,0)', at, [0, 0], [NaN, NaN], dt, 0);
  }
});

test('power(0, y) and x ** 0: JAX\'s conventions (d/dy at x = 0 is 0, d/dx x^0 = 0, d/dx x^y at 0)', () => {
  for (const dt of DTS) {
    const P = (v: any) => np.power(v.get(0), v.get(1));
    // JAX _pow_jvp_rhs: g * log(_replace_zero(x)) * ans, so d/dy 0^y = 0; _pow_jvp_lhs: where(y == 0, 0, y x^(y-1))
    gradModes('power(0, 2)', P, [0, 2], [0, 0], dt, 0);
    gradModes('power(0, 0)', P, [0, 0], [0, 0], dt, 0);
    gradModes('power(0, 1)', P, [0, 1], [1, 0], dt, 0);
    gradModes('power(0, 0.5)', P, [0, 0.5], [I, 0], dt, 0);
    gradModes('power(2, 0)', P, [2, 0], [0, Math.LN2], dt, dt === 'float32' ? 1e-7 : 1e-16);
    // x ** 0 with a JS integer (integer_pow): 0 everywhere, 0 included; x ** 2: 2x, second 2
    modes('x ** 0', (x) => np.power(x, 0), [0, -3, 5], [[1, 0, 0], [1, 0, 0], [1, 0, 0]], dt);
    modes('x ** 2', (x) => np.power(x, 2), [0, -3], [[0, 0, 2], [9, -6, 2]], dt);
    // float exponent 2.0 as an Array: same derivatives at 0 (jac = y x^(y-1) = 2 * 0^1)
    modes('x ** 2.0 (Array)', (x) => np.power(x, arr(2, dt)), [0, -3], [[0, 0, 2], [9, -6, 2]], dt);
  }
});

test('logaddexp with -inf (and at huge ties): finite values and gradients', () => {
  for (const dt of DTS) {
    const rt = dt === 'float32' ? 1e-6 : 1e-15;
    const L = (v: any) => A.logaddexp(v.get(0), v.get(1));
    check(`logaddexp(-inf, 0) ${dt}`, flat(A.logaddexp(arr([-I, 0, -I, 5], dt), arr([0, -I, -I, 5], dt))), [0, 0, -I, 5 + Math.LN2], rt, 0);
    gradModes('logaddexp(-inf, 0)', L, [-I, 0], [0, 1], dt, 0);
    gradModes('logaddexp(0, -inf)', L, [0, -I], [1, 0], dt, 0);
    // (-inf, -inf): JAX gives NaN; cotangent documents 1/2 each (README): at least finite
    gradModes('logaddexp(-inf, -inf)', L, [-I, -I], [0.5, 0.5], dt, 0);
    const big = dt === 'float32' ? f32(3e38) : 1e308;
    check(`logaddexp huge tie ${dt}`, flat(L(arr([big, big], dt))), [big + Math.LN2], rt, 0);
    gradModes('logaddexp huge tie', L, [big, big], [0.5, 0.5], dt, 0);
    // Hessian: p(1-p) [[1, -1], [-1, 1]], p = sigmoid(a - b): 0 at (-inf, 0), 1/4 at a tie
    check(`hessian logaddexp(-inf, 0) ${dt}`, flat(hessian(L)(arr([-I, 0], dt))), [0, 0, 0, 0], 0, 0);
    check(`hessian logaddexp(1, 1) ${dt}`, flat(hessian(L)(arr([1, 1], dt))), [0.25, -0.25, -0.25, 0.25], rt, 0);
  }
});

test('activations at |x| = 1e20 and 3e38: no inf/NaN from x^3, e^x or 0 * inf in values, first and second derivatives', () => {
  // closed forms: for x -> +inf every one is x (selu: scale x), derivative 1 (scale), second 0; for
  // x -> -inf gelu/silu/softplus/sigmoid -> 0 with zero derivatives, logSigmoid -> x (derivative 1),
  // elu/celu -> -alpha (derivative e^x = 0), selu -> -scale alpha
  const SC = 1.0507009873554804934, AL = 1.6732632423543772848;
  const cases: [string, (x: any) => any, (x: number) => [number, number, number]][] = [
    ['gelu tanh', (x) => A.gelu(x), (x) => (x > 0 ? [x, 1, 0] : [0, 0, 0])],
    ['gelu exact', (x) => A.gelu(x, { approximate: false }), (x) => (x > 0 ? [x, 1, 0] : [0, 0, 0])],
    ['silu', (x) => A.silu(x), (x) => (x > 0 ? [x, 1, 0] : [0, 0, 0])],
    ['softplus', (x) => A.softplus(x), (x) => (x > 0 ? [x, 1, 0] : [0, 0, 0])],
    ['logSigmoid', (x) => A.logSigmoid(x), (x) => (x > 0 ? [0, 0, 0] : [x, 1, 0])],
    ['sigmoid', (x) => np.sigmoid(x), (x) => (x > 0 ? [1, 0, 0] : [0, 0, 0])],
    ['elu', (x) => A.elu(x), (x) => (x > 0 ? [x, 1, 0] : [-1, 0, 0])],
    ['celu', (x) => A.celu(x), (x) => (x > 0 ? [x, 1, 0] : [-1, 0, 0])],
    ['selu', (x) => A.selu(x), (x) => (x > 0 ? [SC * x, SC, 0] : [-SC * AL, 0, 0])],
  ];
  for (const dt of DTS) {
    const xs = [-3e38, -1e20, 1e20, 3e38].map((x) => (dt === 'float32' ? f32(x) : x));
    const tol = dt === 'float32' ? { v: 2e-7, d: 2e-7, atol: 0 } : { v: 1e-15, d: 1e-15, atol: 0 };
    for (const [n, f, ref] of cases) modes(n, f, xs, xs.map(ref), dt, tol);
  }
});

test('logsumexp with signed weights (returnSign) and weights on a huge tie: gradients', () => {
  for (const dt of DTS) {
    const rt = dt === 'float32' ? 1e-6 : 1e-15;
    // log|e^x0 - e^x1| at [1, 2] = 1 + log(e - 1), sign -1; gradient [1/(1-e), -e/(1-e)]
    const [v, s] = np.logsumexp(arr([1, 2], dt), { b: arr([1, -1], dt), returnSign: true });
    check(`lse returnSign ${dt}`, [...flat(v), ...flat(s)], [1 + Math.log(E - 1), -1], rt, 0);
    gradModes('lse returnSign', (x) => np.logsumexp(x, { b: arr([1, -1], dt), returnSign: true })[0], [1, 2], [1 / (1 - E), -E / (1 - E)], dt, rt);
    // weights 2, 3 at a huge tie: gradient b_i e^x_i / sum = [0.4, 0.6]
    const big = dt === 'float32' ? f32(1e30) : 1e300;
    gradModes('lse b huge tie', (x) => np.logsumexp(x, { b: arr([2, 3], dt) }), [big, big], [0.4, 0.6], dt, rt);
    // cross-entropy as logsumexp(z) - z[label] at huge logits: softmax - onehot = [1, 0, -1]
    gradModes('lse - z[2]', (z) => np.subtract(np.logsumexp(z), z.get(2)), [1e4, 0, -1e4], [1, 0, -1], dt, 0);
  }
});
