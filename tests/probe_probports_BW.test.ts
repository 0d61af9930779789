// Probabilistic-programming ports (numpyro / blackjax style programs written by hand), helper BW.
// Log densities and their derivatives, HMC (leapfrog in foriLoop / scan, jit, vmap over chains),
// reparameterized VI, a Gaussian mixture, Bayesian logistic regression with a Laplace evidence.
// References: mpmath 1.3 at 40-60 digits, numpy 2.4 / scipy 1.17 in float64 (pasted literals), or
// plain-JS float64 reimplementations fed the same random draws; never cotangent itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  np, lax, random, linalg, grad, valueAndGrad, hessian, jacfwd, jacrev, jit, vmap, checkpoint,
  NDArray, ShapeError, DTypeError, ValueError, AxisError, NotImplementedError, CotangentError,
} from '../ts/index.ts';

type A = NDArray;
const f64 = (v: unknown) => np.array(v as never, { dtype: 'float64' });
const flat = (x: unknown): number[] => [x].flat(8) as number[];
const close = (got: unknown, want: unknown, rtol = 1e-12, atol = 0, what = '') => {
  const g = flat(got), w = flat(want);
  assert.equal(g.length, w.length, `${what}: length`);
  g.forEach((x, i) => assert.ok(Math.abs(x - w[i]) <= rtol * Math.abs(w[i]) + atol || (Number.isNaN(x) && Number.isNaN(w[i])) || x === w[i],
    `${what} element ${i}: got ${x}, want ${w[i]}`));
};
const LOG2PI = Math.log(2 * Math.PI), LOGPI = Math.log(Math.PI);
const t_ = (p: A, i: number) => np.take(p, i);

// ---------------------------------------------------------------------------------------------
// 1. Log densities written as numpyro writes them (gammaln, log1p, ...), values, gradients and
//    Hessians w.r.t. every argument, against mpmath (60 digits, exact binary inputs).
const dists: Record<string, (p: A) => A> = {
  gamma: p => { const [x, a, r] = [t_(p, 0), t_(p, 1), t_(p, 2)];
    return np.subtract(np.subtract(np.add(np.multiply(a, np.log(r)), np.multiply(np.subtract(a, 1), np.log(x))), np.multiply(r, x)), np.gammaln(a)); },
  beta: p => { const [x, a, b] = [t_(p, 0), t_(p, 1), t_(p, 2)];
    const betaln = np.subtract(np.add(np.gammaln(a), np.gammaln(b)), np.gammaln(np.add(a, b)));
    return np.subtract(np.add(np.multiply(np.subtract(a, 1), np.log(x)), np.multiply(np.subtract(b, 1), np.log1p(np.negative(x)))), betaln); },
  t: p => { const [x, df, loc, sc] = [t_(p, 0), t_(p, 1), t_(p, 2), t_(p, 3)];
    const z = np.divide(np.subtract(x, loc), sc);
    return np.subtract(np.subtract(np.subtract(np.subtract(np.gammaln(np.divide(np.add(df, 1), 2)), np.gammaln(np.divide(df, 2))), np.multiply(0.5, np.add(np.log(df), LOGPI))), np.log(sc)),
      np.multiply(np.divide(np.add(df, 1), 2), np.log1p(np.divide(np.square(z), df)))); },
  poisson: p => { const [k, r] = [t_(p, 0), t_(p, 1)];
    return np.subtract(np.subtract(np.multiply(k, np.log(r)), r), np.gammaln(np.add(k, 1))); },
};
// [params, value, gradient, Hessian] from mpmath (scripts in the report)
const DIST_REFS: Record<string, [number[], number, number[], number[][]][]> = {"gamma": [[[2.5, 3, 1.5], -1.394170392487142, [-0.7, 0.3989715048838523, -0.5], [[-0.32, 0.4, -1.0], [0.4, -0.39493406684822646, 0.6666666666666666], [-1.0, 0.6666666666666666, -1.3333333333333333]]], [[0.001, 0.05, 2], 3.6261456730092965, [-952.0, 14.283236892877678, 0.024], [[950000.0, 1000.0, -1.0], [1000.0, -401.53235734211506, 0.5], [-1.0, 0.5, -0.0125]]], [[100000000, 100000000, 1], -10.12927890601419, [-1e-08, 5.0000000083333336e-09, 0.0], [[-9.9999999e-09, 1e-08, -1.0], [1e-08, -1.000000005e-08, 1.0], [-1.0, 1.0, -100000000.0]]], [[3e-07, 1e-07, 0.001], -1.0986144239704156, [-3333333.001, 9999978.649976859, 9.97e-05], [[11111110000000.002, 3333333.3333333335, -1.0], [3333333.3333333335, -100000000000001.66, 1000.0], [-1.0, 1000.0, -0.09999999999999999]]], [[50, 10000, 200], -0.225799685978058, [-0.02, 5.00008333333325e-05, 0.0], [[-3.9996, 0.02, -1.0], [0.02, -0.00010000500016666666, 0.005], [-1.0, 0.005, -0.25]]]], "beta": [[[0.3, 2, 5], 0.7705248015812899, [-2.380952380952381, 0.24602719567406398, 0.009991722727934303], [[-19.27437641723356, 3.3333333333333335, -1.4285714285714286], [3.3333333333333335, -0.4913888888888889, 0.15354517795933756], [-1.4285714285714286, 0.15354517795933756, -0.06777777777777778]]], [[1e-06, 0.01, 0.5], 9.05848494934796, [-989999.4999995, 84.83038737574083, 0.048521501857347785], [[990000000000.5001, 1000000.0, -1.000001000001], [1000000.0, -9996.849954289153, 4.771259239159046], [-1.000001000001, 4.771259239159046, -0.16354296138563298]]], [[0.999999, 3, 0.02], 9.65692829949701, [980001.9999738195, 0.00786701625809319, 37.65993110387772], [[979999999941.6389, 1.000001000001, -999999.9999712444], [1.000001000001, -0.0030586685698754377, 0.391875398278351], [-999999.9999712444, 0.391875398278351, -2501.20624279359]]], [[0.5, 1000000, 1000000], 7.028537391617382, [0.0, 2.500000625e-07, 2.500000625e-07], [[-7999992.0, 2.0, -2.0], [2.0, -5.000003750001459e-07, 5.000001250000209e-07], [-2.0, 5.000001250000209e-07, -5.000003750001459e-07]]], [[0.2, 1e-08, 1e-08], -17.281246479089816, [-3.7499999624999996, 49999998.3905621, 49999999.77685647], [[26.562499734375, 5.0, -1.25], [5.0, -7500000000000000.0, 2500000000000001.5], [-1.25, 2500000000000001.5, -7500000000000000.0]]]], "t": [[[1.3, 4, 0.2, 2], -1.8562311535308387, [-0.31958163858221966, 0.02267768408660982, 0.31958163858221966, -0.3242300987797792], [[-0.24967579285991381, 0.010361798624571678, 0.24967579285991381, 0.2971125053640624], [0.010361798624571678, -0.011015948763129259, -0.010361798624571678, -0.005698989243514423], [0.24967579285991381, -0.010361798624571678, -0.24967579285991381, -0.2971125053640624], [0.2971125053640624, -0.005698989243514423, -0.2971125053640624, -0.001296828560344745]]], [[1000, 0.5, 0, 1], -12.19202660480458, [-0.001499999250000375, -5.183533542466775, 0.001499999250000375, 0.499999250000375], [[1.499997750001875e-06, -0.00099999800000175, -1.499997750001875e-06, 1.499998500001125e-09], [-0.00099999800000175, -2.663863376707626, 0.00099999800000175, 0.99999800000175], [-1.499997750001875e-06, 0.00099999800000175, 1.499997750001875e-06, -1.499998500001125e-09], [1.499998500001125e-09, 0.99999800000175, -1.499998500001125e-09, -0.500000749998875]]], [[0.1, 100000000, 0, 1], -0.9239385357544228, [-0.10000000099, 2.549749999995033e-17, 0.10000000099, -0.989999999901], [[-1.0000000097, 9.89999999802e-18, 1.0000000097, 0.20000000196], [9.89999999802e-18, -5.0994999999850995e-25, -9.89999999802e-18, -9.89999999802e-19], [1.0000000097, -9.89999999802e-18, -1.0000000097, -0.20000000196], [0.20000000196, -9.89999999802e-19, -0.20000000196, 0.969999999705]]], [[-3, 0.001, 1, 0.5], -8.99343069634187, [0.25024608990484526, 994.2665272019575, -0.25024608990484526, 0.0019687192387618942], [[0.06255956745918106, 0.2460860597505532, -0.06255956745918106, -1.5640136241924046e-05], [0.2460860597505532, -999499.1948357819, -0.2460860597505532, 1.9686884780044256], [-0.06255956745918106, -0.2460860597505532, 0.06255956745918106, 1.5640136241924046e-05], [-1.5640136241924046e-05, 1.9686884780044256, 1.5640136241924046e-05, -0.0040625595674591815]]]], "poisson": [[[3, 2.5], -1.5428872736055899, [-0.3398269365576454, 0.2], [[-0.2838229557371153, 0.4], [0.4, -0.48]]], [[10000000, 10000000], -8.977986367017166, [-4.9999999166666664e-08, -9.723461371658034e-63], [[-9.999999500000016e-08, 1e-07], [1e-07, -1e-07]]], [[0, 1e-12], -1e-12, [-27.053805451027014, -1.0], [[-1.6449340668482264, 1000000000000.0], [1000000000000.0, 0.0]]], [[1000000, 990000], -58.16254739696133, [-0.010050835853418108, 0.010101010101010102], [[-9.999995000001667e-07, 1.01010101010101e-06], [1.01010101010101e-06, -1.0203040506070809e-06]]], [[250, 0.001], -2860.9850515363873, [-12.431214863513183, 249999.0], [[-0.003992010666632534, 1000.0], [1000.0, -250000000.0]]]]};
// points whose formula cancels in float64 whatever computes it (terms ~1e7-1e9 summing to ~10):
// absolute slack [value, gradient, Hessian] sized by eps * the largest term
const SLACK: Record<string, [number, number, number]> = {
  'gamma:2': [1e-6, 1e-14, 1e-14], 'gamma:4': [1e-10, 1e-13, 1e-14], 'beta:3': [1e-8, 1e-14, 1e-14],
  't:1': [1e-14, 1e-14, 1e-15], 't:2': [1e-6, 1e-14, 1e-15], 'poisson:1': [1e-6, 1e-14, 1e-14], 'poisson:3': [1e-8, 1e-14, 1e-14],
};
for (const name of Object.keys(dists)) {
  test(`${name} log density: value, grad, jit(grad), hessian vs mpmath (incl. tiny/huge parameters)`, () => {
    const f = dists[name], jg = jit(grad(f));
    DIST_REFS[name].forEach(([p, v, g, h], i) => {
      const [av, ag, ah] = SLACK[`${name}:${i}`] ?? [0, 0, 0];
      const pa = f64(p), what = `${name}${JSON.stringify(p)}`;
      close(f(pa).item(), v, 1e-11, av, what + ' value');
      close(grad(f)(pa).tolist(), g, 1e-11, ag, what + ' grad');
      close(jg(pa).tolist(), g, 1e-11, ag, what + ' jit grad');
      close(hessian(f)(pa).tolist(), h, 1e-11, ah, what + ' hessian');
    });
  });
}

test('normal / half-Cauchy log densities at scales 1e-150 and 1e-200 (closed forms)', () => {
  const normal = (p: A) => { const z = np.divide(np.subtract(t_(p, 0), t_(p, 1)), t_(p, 2));
    return np.subtract(np.subtract(np.multiply(-0.5, np.square(z)), np.log(t_(p, 2))), 0.5 * LOG2PI); };
  // x = 1e-150, loc 0, scale 1e-150: z = 1, d/dx = -1/s, d/dloc = 1/s, d/ds = -1/s + z^2/s = 0
  close(normal(f64([1e-150, 0, 1e-150])).item(), -0.5 + 150 * Math.log(10) - 0.5 * LOG2PI, 1e-15);
  close(grad(normal)(f64([1e-150, 0, 1e-150])).tolist(), [-1e150, 1e150, 0], 1e-15);
  close(hessian(normal)(f64([1e-150, 0, 1e-150])).tolist(), [[-1e300, 1e300, 2e300], [1e300, -1e300, -2e300], [2e300, -2e300, -2e300]], 1e-15);
  const hc = (p: A) => np.subtract(np.subtract(Math.log(2 / Math.PI), np.log(t_(p, 1))), np.log1p(np.square(np.divide(t_(p, 0), t_(p, 1)))));
  // x = 1e200, s = 1: log(2/pi) - log1p(1e400) -> overflow of x^2: inf in any float64 evaluation of this formula;
  // x = s = 1e-200: log(2/pi) + 200 log 10 - log 2, d/dx = -2x/(s^2+x^2) = -1e200, d/ds = -1/s + 2x^2/(s(s^2+x^2)) = 0
  close(hc(f64([1e-200, 1e-200])).item(), Math.log(2 / Math.PI) + 200 * Math.log(10) - Math.log(2), 1e-15);
  close(grad(hc)(f64([1e-200, 1e-200])).tolist(), [-1e200, 0], 1e-15);
});

test('gammaln / digamma / betaln derivative paths vs mpmath (digamma, trigamma, polygamma(2), negative x)', () => {
  const xs = f64([1e-8, 0.3, 1.4616321449683622, 2.5, 17.2, 1e6, -0.5, -2.7]);
  close(vmap(grad(np.gammaln))(xs).tolist(), [-100000000.57721564, -3.502524222200133, -9.241265521729427e-17, 0.7031566406452432, 2.815558027646697, 13.815510057964191, 0.03648997397857652, -1.1153471291406896], 1e-14);
  close(vmap(grad(grad(np.gammaln)))(xs).tolist(), [1.0000000000000002e+16, 12.245364546107732, 0.9676722454476212, 0.49035775610023485, 0.05986236948160116, 1.0000005000001667e-06, 8.934802200544679, 14.769375845132314], 1e-14);
  close(vmap(grad(grad(grad(np.gammaln))))(xs).tolist(), [-2e+24, -75.27253658872604, -0.8855263379671844, -0.2362040516417274, -0.0035824355724103033, -1.0000010000005e-12, -0.82879664423432, -68.9329390232638], 1e-14);
  close(jacfwd(jacrev(np.digamma))(f64(0.3)).item(), -75.27253658872604, 1e-14);
  const betaln = (p: A) => np.subtract(np.add(np.gammaln(t_(p, 0)), np.gammaln(t_(p, 1))), np.gammaln(np.add(t_(p, 0), t_(p, 1))));
  close(hessian(betaln)(f64([0.7, 3.2])).tolist(), [[2.5419914729105573, -0.29205768378405345], [-0.29205768378405345, 0.07426350694734732]], 1e-14);
});

test('np.logsumexp with b and returnSign (scipy.special.logsumexp), gradients with b, -inf and 1e308 entries', () => {
  const x = f64([0.1, 0.7, -0.3]);
  close(np.logsumexp(x, { b: f64([1, 2, 0.5]) } as never).item(), 1.7053089246438837, 1e-15);
  const [v1, s1] = np.logsumexp(x, { returnSign: true } as never) as unknown as A[];
  close([v1.item(), s1.item()], [1.35060030202464, 1], 1e-15);
  const [v2, s2] = np.logsumexp(x, { b: f64([1, -2, 0.5]), returnSign: true } as never) as unknown as A[];
  close([v2.item(), s2.item()], [0.9368481277998155, -1], 1e-15);
  close(grad((z: A) => np.logsumexp(z, { b: f64([1, 2, 0.5]) } as never))(x).tolist(), [0.2008275047609251, 0.7318631441207920, 0.0673093511182829], 1e-14);
  close(grad((z: A) => np.logsumexp(z))(f64([-Infinity, 0, 1e308])).tolist(), [0, 0, 1]);
  close(np.logsumexp(f64([1e308, 1e308])).item(), 1e308);
});

// ---------------------------------------------------------------------------------------------
// 2. Eight schools, non-centered, unconstrained (mu, log tau, theta_tilde[8]); HMC on it.
const Y8 = [28, 8, -3, 7, -1, 1, 18, 12], S8 = [15, 10, 16, 11, 9, 11, 10, 18];
const y8 = f64(Y8), s8 = f64(S8), five = f64(5); // constants as float64 Arrays (README: a float32 np.log(5) would cost 2.5e-8 here)
const normLogpdf = (x: unknown, loc: unknown, scale: unknown) => {
  const z = np.divide(np.subtract(x as A, loc as A), scale as A);
  return np.subtract(np.subtract(np.multiply(-0.5, np.square(z)), np.log(scale as A)), 0.5 * LOG2PI);
};
const schools = (p: A) => {
  const mu = t_(p, 0), logTau = t_(p, 1), tt = np.take(p, np.arange(2, 10)), tau = np.exp(logTau);
  const hc = np.subtract(np.subtract(Math.log(2 / Math.PI), np.log(five)), np.log1p(np.square(np.divide(tau, five))));
  return np.add(np.add(np.add(np.add(normLogpdf(mu, 0, five), hc), logTau), np.sum(normLogpdf(tt, 0, 1))),
    np.sum(normLogpdf(y8, np.add(mu, np.multiply(tau, tt)), s8)));
};
const P0 = [4.4, 1.2, 0.3, -0.1, -0.5, 0.2, -0.8, -0.3, 0.9, 0.1];
// plain-JS gradient of the same density (checked against mpmath below)
const schoolsGradJS = (q: number[]) => {
  const [mu, lt] = q, tt = q.slice(2), tau = Math.exp(lt);
  const r = Y8.map((y, i) => (y - mu - tau * tt[i]) / S8[i] ** 2);
  return [-mu / 25 + r.reduce((a, b) => a + b, 0),
    -2 * tau * tau / 25 / (1 + tau * tau / 25) + 1 + r.reduce((a, ri, i) => a + ri * tau * tt[i], 0),
    ...tt.map((t, i) => -t + r[i] * tau)];
};
const schoolsJS = (q: number[]) => {
  const [mu, lt] = q, tt = q.slice(2), tau = Math.exp(lt);
  let s = -mu * mu / 50 - Math.log(5) - 0.5 * LOG2PI + Math.log(2 / Math.PI) - Math.log(5) - Math.log1p((tau / 5) ** 2) + lt;
  tt.forEach((t, i) => { s += -t * t / 2 - 0.5 * LOG2PI - (Y8[i] - mu - tau * t) ** 2 / (2 * S8[i] ** 2) - Math.log(S8[i]) - 0.5 * LOG2PI; });
  return s;
};

test('eight schools (non-centered): value, gradient and Hessian vs mpmath; jit(grad) and jacfwd(jacrev) agree', () => {
  const p = f64(P0);
  close(schools(p).item(), -41.791592814464835, 1e-14);
  const g = [0.03216848660413798, 0.9571570028092609, 0.03354580649951129, 0.2305473855991573, 0.4255575115705873, -0.1468787708844074, 0.6875297496510608, 0.23403764774287783, -0.547672685933604, -0.025522929090328394];
  close(grad(schools)(p).tolist(), g, 1e-13, 1e-16);
  close(jit(grad(schools))(p).tolist(), g, 1e-13, 1e-16);
  close(schoolsGradJS(P0), g, 1e-13, 1e-16, 'JS reference gradient');
  const H = [[-0.10031171882971125, 0.010007294506392848, -0.014756075212162434, -0.033201169227365476, -0.01296920672943964, -0.02743898283253345, -0.04098909781156231, -0.02743898283253345, -0.033201169227365476, -0.010247274452890578], [0.010007294506392848, -0.4851420908114745, 0.31884823799198914, 0.14157056197979892, -0.05291284706097207, 0.034901102866598206, -0.003599372515441899, -0.03863216288363058, 0.2531187266406216, 0.07107485597737481], [-0.014756075212162434, 0.31884823799198914, -1.0489918950250738, 0, 0, 0, 0, 0, 0, 0], [-0.033201169227365476, 0.14157056197979892, 0, -1.110231763806416, 0, 0, 0, 0, 0, 0], [-0.01296920672943964, -0.05291284706097207, 0, 0, -1.0430592827368812, 0, 0, 0, 0, 0], [-0.02743898283253345, 0.034901102866598206, 0, 0, 0, -1.0911006312449718, 0, 0, 0, 0], [-0.04098909781156231, -0.003599372515441899, 0, 0, 0, 0, -1.1360885972918717, 0, 0, 0], [-0.02743898283253345, -0.03863216288363058, 0, 0, 0, 0, 0, -1.0911006312449718, 0, 0], [-0.033201169227365476, 0.2531187266406216, 0, 0, 0, 0, 0, 0, -1.110231763806416, 0], [-0.010247274452890578, 0.07107485597737481, 0, 0, 0, 0, 0, 0, 0, -1.034022149322968]];
  close(hessian(schools)(p).tolist(), H, 1e-12, 1e-16);
  close(jacrev(jacfwd(schools))(p).tolist(), H, 1e-12, 1e-16);
});

const U = (q: A) => np.negative(schools(q));
const gradU = grad(U);
const leapfrog = (q: A, p: A, eps: A, L: number): [A, A] => {
  p = np.subtract(p, np.multiply(np.multiply(0.5, eps), gradU(q)));
  [q, p] = lax.foriLoop(0, L - 1, (_i: A, [q, p]: A[]) => {
    const q2 = np.add(q, np.multiply(eps, p));
    return [q2, np.subtract(p, np.multiply(eps, gradU(q2)))];
  }, [q, p]);
  q = np.add(q, np.multiply(eps, p));
  return [q, np.subtract(p, np.multiply(np.multiply(0.5, eps), gradU(q)))];
};
const energy = (q: A, p: A) => np.add(U(q), np.multiply(0.5, np.sum(np.square(p))));
const hmcStep = (key: A, q: A, eps: A) => {
  const [k1, k2] = random.split(key);
  const p0 = random.normal(k1, [10], 'float64');
  const [q1, p1] = leapfrog(q, p0, eps, 20);
  const logAcc = np.subtract(energy(q, p0), energy(q1, p1));
  const u = random.uniform(k2, [], 'float64');
  return [np.where(np.less(np.log(u), logAcc), q1, q), logAcc, p0, u];
};
const leapfrogJS = (q: number[], p: number[], eps: number, L: number) => {
  const gU = (x: number[]) => schoolsGradJS(x).map(v => -v);
  let g = gU(q); p = p.map((v, i) => v - 0.5 * eps * g[i]);
  for (let s = 0; s < L - 1; s++) { q = q.map((v, i) => v + eps * p[i]); g = gU(q); p = p.map((v, i) => v - eps * g[i]); }
  q = q.map((v, i) => v + eps * p[i]); g = gU(q); p = p.map((v, i) => v - 0.5 * eps * g[i]);
  return [q, p];
};
const energyJS = (q: number[], p: number[]) => -schoolsJS(q) + 0.5 * p.reduce((a, b) => a + b * b, 0);

test('HMC step on eight schools (leapfrog in foriLoop with grad inside): same numbers as plain JS / numpy, eagerly and under jit', () => {
  const key = random.key(42), q0 = f64(P0), eps = f64(0.05);
  const [q, logAcc, p0, u] = hmcStep(key, q0, eps);
  const [qj, logAccJ] = jit(hmcStep)(key, q0, eps);
  const [q1, p1] = leapfrogJS(P0, p0.tolist() as number[], 0.05, 20);
  const la = energyJS(P0, p0.tolist() as number[]) - energyJS(q1, p1);
  const acc = Math.log(u.item() as number) < la;
  close(q.tolist(), acc ? q1 : P0, 1e-12, 1e-14, 'eager q');
  close(qj.tolist(), acc ? q1 : P0, 1e-12, 1e-14, 'jit q');
  close(logAcc.item(), la, 1e-8, 1e-13, 'log acceptance');
  close(logAccJ.item(), la, 1e-8, 1e-13, 'jit log acceptance');
  // numpy 2.4 on the same momenta (key 42): accepted, q1 and log acceptance
  close(q.tolist(), [5.102175684202674, 1.3646423846431848, -0.24603225958279729, -1.7023113166359625, -0.09604271118155232, 0.003083143813730241, 0.5488936420144821, -1.103815878298826, 0.2512535560959666, 1.0248244067444319], 1e-12, 1e-14, 'numpy q1');
  close(logAcc.item(), -0.0017431633601319163, 1e-8);
});

test('leapfrog energy error is second order; d(energy error)/d(step size) through foriLoop(grad) vs mpmath', () => {
  const [k1] = random.split(random.key(42));
  const p0 = random.normal(k1, [10], 'float64');
  const errs = [0.02, 0.01, 0.005].map(e => { const [q1, p1] = leapfrog(f64(P0), p0, f64(e), Math.round(0.4 / e)); return np.subtract(energy(q1, p1), energy(f64(P0), p0)).item() as number; });
  // numpy: 2.3328125280386303e-05, 5.83113420304926e-06, 1.4577274853877498e-06
  close(errs, [2.3328125280386303e-05, 5.83113420304926e-06, 1.4577274853877498e-06], 1e-7);
  assert.ok(Math.abs(errs[0] / errs[1] - 4) < 0.05 && Math.abs(errs[1] / errs[2] - 4) < 0.05);
  const dH = (e: A) => { const [q1, p1] = leapfrog(f64(P0), p0, e, 20); return np.subtract(energy(q1, p1), energy(f64(P0), p0)); };
  close(grad(dH)(f64(0.05)).item(), 0.14528691065381144, 1e-9);       // mpmath, 40 digits
  close(jit(grad(dH))(f64(0.05)).item(), 0.14528691065381144, 1e-9);
});

// ---------------------------------------------------------------------------------------------
// 3. Banana target: a 50-step chain as lax.scan over split keys and as foriLoop with foldIn.
const banana = (q: A) => { const a = t_(q, 0), b = t_(q, 1);
  return np.negative(np.add(np.divide(np.square(a), 8), np.divide(np.square(np.subtract(b, np.multiply(0.25, np.square(a)))), 2))); };
const gUb = grad((q: A) => np.negative(banana(q)));
const bananaStep = (q: A, key: A): [A, A] => {
  const [k1, k2] = random.split(key);
  const p0 = random.normal(k1, [2], 'float64'), eps = 0.1;
  let p = np.subtract(p0, np.multiply(eps / 2, gUb(q))), qq = q;
  [qq, p] = lax.foriLoop(0, 9, (_i: A, [qq, p]: A[]) => { const q2 = np.add(qq, np.multiply(eps, p)); return [q2, np.subtract(p, np.multiply(eps, gUb(q2)))]; }, [qq, p]);
  qq = np.add(qq, np.multiply(eps, p)); p = np.subtract(p, np.multiply(eps / 2, gUb(qq)));
  const logAcc = np.add(np.subtract(banana(qq), banana(q)), np.multiply(0.5, np.subtract(np.sum(np.square(p0)), np.sum(np.square(p)))));
  const acc = np.less(np.log(random.uniform(k2, [], 'float64')), logAcc);
  return [np.where(acc, qq, q), np.where(acc, 1.0, 0.0)];
};
const bananaStepJS = (q: number[], p0: number[], u: number) => {
  const lp = ([a, b]: number[]) => -(a * a / 8 + (b - a * a / 4) ** 2 / 2);
  const gU = ([a, b]: number[]) => [a / 4 - (b - a * a / 4) * a / 2, b - a * a / 4];
  let g = gU(q), p = p0.map((v, i) => v - 0.05 * g[i]), x = q;
  for (let s = 0; s < 9; s++) { x = x.map((v, i) => v + 0.1 * p[i]); g = gU(x); p = p.map((v, i) => v - 0.1 * g[i]); }
  x = x.map((v, i) => v + 0.1 * p[i]); g = gU(x); p = p.map((v, i) => v - 0.05 * g[i]);
  const la = lp(x) - lp(q) + 0.5 * (p0[0] ** 2 + p0[1] ** 2 - p[0] ** 2 - p[1] ** 2);
  return Math.log(u) < la ? x : q;
};

test('HMC chain: scan over random.split keys == foriLoop with foldIn == plain-JS chain, eager, jit and vmap over chains', () => {
  const key = random.key(1), q0 = f64([0.5, -0.3]);
  const chain = (key: A, q0: A) => lax.scan(bananaStep, q0, random.split(key, 50));
  const [qe] = chain(key, q0), [qj] = jit(chain)(key, q0);
  const keys = [...random.split(key, 50)];
  let q = [0.5, -0.3];
  for (const k of keys) { const [k1, k2] = random.split(k); q = bananaStepJS(q, random.normal(k1, [2], 'float64').tolist() as number[], random.uniform(k2, [], 'float64').item() as number); }
  close(qe.tolist(), q, 1e-10, 1e-12, 'scan chain');
  close(qj.tolist(), q, 1e-10, 1e-12, 'jit scan chain');
  const chainFold = (key: A, q0: A) => lax.foriLoop(0, 50, (i: A, q: A) => bananaStep(q, random.foldIn(key, i))[0], q0);
  let qf = [0.5, -0.3];
  for (let i = 0; i < 50; i++) { const [k1, k2] = random.split(random.foldIn(key, i)); qf = bananaStepJS(qf, random.normal(k1, [2], 'float64').tolist() as number[], random.uniform(k2, [], 'float64').item() as number); }
  close(chainFold(key, q0).tolist(), qf, 1e-10, 1e-12, 'foldIn chain');
  close(jit(chainFold)(key, q0).tolist(), qf, 1e-10, 1e-12, 'jit foldIn chain');
  const ks = random.split(random.key(9), 3);
  close(vmap((k: A) => chain(k, q0)[0])(ks).tolist(), [...ks].map(k => chain(k, q0)[0].tolist()), 1e-13, 1e-15, 'vmap over chains');
});

test('grad through a leapfrog trajectory in lax.scan, with and without checkpoint, vs central differences', () => {
  const p0 = f64([0.7, -1.1]);
  const traj = (q0: A, ck: boolean) => {
    const body = ([q, p]: A[], _x: unknown) => {
      const ph = np.subtract(p, np.multiply(0.05, gUb(q))), q2 = np.add(q, np.multiply(0.1, ph)), p2 = np.subtract(ph, np.multiply(0.05, gUb(q2)));
      return [[q2, p2], np.subtract(banana(q2), np.multiply(0.5, np.sum(np.square(p2))))] as [A[], A];
    };
    return np.sum(lax.scan(ck ? checkpoint(body) : body, [q0, p0], null, { length: 15 })[1]);
  };
  // plain JS, same trajectory
  const trajJS = (q: number[]) => {
    const gU = ([a, b]: number[]) => [a / 4 - (b - a * a / 4) * a / 2, b - a * a / 4];
    const lp = ([a, b]: number[]) => -(a * a / 8 + (b - a * a / 4) ** 2 / 2);
    let p = [0.7, -1.1], s = 0;
    for (let i = 0; i < 15; i++) { let g = gU(q); const ph = p.map((v, j) => v - 0.05 * g[j]); q = q.map((v, j) => v + 0.1 * ph[j]); g = gU(q); p = ph.map((v, j) => v - 0.05 * g[j]); s += lp(q) - 0.5 * (p[0] ** 2 + p[1] ** 2); }
    return s;
  };
  const h = 1e-5, fd = [0, 1].map(i => { const e = [0, 0]; e[i] = h; return (trajJS([0.5 + e[0], -0.3 + e[1]]) - trajJS([0.5 - e[0], -0.3 - e[1]])) / (2 * h); });
  close(traj(f64([0.5, -0.3]), false).item(), trajJS([0.5, -0.3]), 1e-12);
  for (const g of [grad((q: A) => traj(q, false))(f64([0.5, -0.3])), grad((q: A) => traj(q, true))(f64([0.5, -0.3])), jit(grad((q: A) => traj(q, true)))(f64([0.5, -0.3]))])
    close(g.tolist(), fd, 1e-7, 1e-7, 'trajectory gradient');
});

// ---------------------------------------------------------------------------------------------
// 4. Mean-field Gaussian VI, reparameterization trick; reference gradient in plain JS on the
//    same normal draws (closed form: grad logp(z) = -Pz + b + sigmoid(-z)).
const Pm = [[2, 0.5, 0], [0.5, 1, 0.3], [0, 0.3, 1.5]], bv = [0.3, -0.2, 1.0];
const Pa = f64(Pm), ba = f64(bv);
const viLogp = (z: A) => np.add(np.add(np.multiply(-0.5, np.dot(z, np.matmul(Pa, z))), np.dot(ba, z)), np.sum(np.logSigmoid(z)));
const elbo = (params: { mu: A; logstd: A }, key: A) => {
  const eps = random.normal(key, [16, 3], 'float64');
  const z = np.add(np.multiply(eps, np.exp(params.logstd)), params.mu);
  return np.add(np.mean(vmap(viLogp)(z)), np.sum(params.logstd));
};
const MU = [0.1, -0.4, 0.7], LS = [-0.5, 0.2, -1.0];
const elboJS = (eps: number[][]) => {
  const sd = LS.map(Math.exp); let v = 0; const gm = [0, 0, 0], gl = [0, 0, 0];
  for (const e of eps) {
    const z = e.map((x, i) => x * sd[i] + MU[i]);
    const Pz = Pm.map(r => r.reduce((a, c, j) => a + c * z[j], 0));
    v += -0.5 * z.reduce((a, zi, i) => a + zi * Pz[i], 0) + z.reduce((a, zi, i) => a + zi * bv[i], 0) + z.reduce((a, zi) => a - Math.log1p(Math.exp(-zi)), 0);
    const g = z.map((zi, i) => -Pz[i] + bv[i] + 1 / (1 + Math.exp(zi)));
    g.forEach((gi, i) => { gm[i] += gi / eps.length; gl[i] += gi * e[i] * sd[i] / eps.length; });
  }
  return [v / eps.length + LS.reduce((a, b) => a + b, 0), gm, gl.map(x => x + 1)] as [number, number[], number[]];
};

test('VI: reparameterized ELBO and its gradient (pytree params) for a fixed key, eager and jit, vs plain JS on the same draws', () => {
  const params = { mu: f64(MU), logstd: f64(LS) }, key = random.key(3);
  const [v, g] = valueAndGrad(elbo)(params, key);
  const [vr, gmr, glr] = elboJS(random.normal(key, [16, 3], 'float64').tolist() as number[][]);
  close(v.item(), vr, 1e-13);
  close(g.mu.tolist(), gmr, 1e-12, 1e-15); close(g.logstd.tolist(), glr, 1e-12, 1e-15);
  const jg = jit(grad(elbo))(params, key);
  close(jg.mu.tolist(), gmr, 1e-12, 1e-15); close(jg.logstd.tolist(), glr, 1e-12, 1e-15);
  // numpy 2.4 on the same draws (key 3)
  close(g.mu.tolist(), [0.50976583061896, 0.59568427748640, 0.31864135880358], 1e-12);
  close(g.logstd.tolist(), [0.25469463771914, -1.25073503030324, 0.62527931230643], 1e-12);
});

test('VI: vmap(grad(elbo)) over random.split keys == per-key gradients == plain JS; its average', () => {
  const params = { mu: f64(MU), logstd: f64(LS) }, keys = random.split(random.key(11), 5);
  const vg = vmap(grad(elbo), { inAxes: [null, 0] })(params, keys);
  const refs = [...keys].map(k => elboJS(random.normal(k, [16, 3], 'float64').tolist() as number[][]));
  close(vg.mu.tolist(), refs.map(r => r[1]), 1e-12, 1e-15); close(vg.logstd.tolist(), refs.map(r => r[2]), 1e-12, 1e-15);
  const avg = jit((p: typeof params, ks: A) => np.mean(vmap(elbo, { inAxes: [null, 0] })(p, ks)));
  close(avg(params, keys).item(), refs.reduce((a, r) => a + r[0], 0) / 5, 1e-13);
  const ga = grad((p: typeof params) => np.mean(vmap(elbo, { inAxes: [null, 0] })(p, keys)))(params);
  close(ga.mu.tolist(), [0, 1, 2].map(i => refs.reduce((a, r) => a + r[1][i], 0) / 5), 1e-12, 1e-15);
});

// ---------------------------------------------------------------------------------------------
// 5. Gaussian mixture (1-d, K = 3): log-likelihood via logSoftmax + logsumexp, EM responsibilities.
const GX = f64([-2.1, -1.7, -2.5, 0.2, 0.4, -0.1, 3.3, 2.9, 3.8, 0.05, -1.9, 3.1]);
type Gmm = { logits: A; means: A; logscale: A };
const gmmTerms = (th: Gmm) => {
  const z = np.divide(np.subtract(np.expandDims(GX, 1), th.means), np.exp(th.logscale));
  return np.add(np.subtract(np.subtract(np.multiply(-0.5, np.square(z)), th.logscale), 0.5 * LOG2PI), np.logSoftmax(th.logits));
};
const gmmLL = (th: Gmm) => np.sum(np.logsumexp(gmmTerms(th), { axis: 1 }));
const gmmTheta = (logits: number[]): Gmm => ({ logits: f64(logits), means: f64([-2, 0.1, 3.2]), logscale: f64([-0.9, -1.2, -0.6]) });

test('GMM log-likelihood, gradient (means, log-weights, log-scales) and Hessian blocks vs mpmath', () => {
  const th = gmmTheta([0.2, -0.3, 0.5]);
  const [v, g] = valueAndGrad(gmmLL)(th);
  close(v.item(), -16.689415799912155, 1e-14);
  const want = [-0.05897323113287712, 1.5380520552115358, -1.4790788240786588, -1.2095581262621669, 1.6535229512829643, 0.9959882337508222, -1.8214435551854486, -2.4291766535052717, -2.4394176096044906];
  close([g.logits.tolist(), g.means.tolist(), g.logscale.tolist()], want, 1e-13, 1e-15);
  const jg = jit(grad(gmmLL))(th);
  close([jg.logits.tolist(), jg.means.tolist(), jg.logscale.tolist()], want, 1e-13, 1e-15);
  const h = hessian(gmmLL)(th) as unknown as Record<string, Record<string, A>>;
  close(h.means.means.tolist(), [[-24.19445576294712, 0.0007136433731781151, 1.8076626564188106e-10], [0.0007136433731781151, -44.09210550225657, 0.0001409037326329451], [1.8076626564188106e-10, 0.0001409037326329451, -13.280044587913629]], 1e-12, 1e-15);
  close(h.logits.logits.tolist(), [[-2.68601297645538, 0.832710534759799, 1.8533024416955808], [0.832710534759799, -1.9567902931362375, 1.1240797583764386], [1.8533024416955808, 1.1240797583764386, -2.9773822000720194]], 1e-12, 1e-15);
  // EM responsibilities: softmax over components, rows sum to 1, first row from mpmath-free closed form check
  const r = np.softmax(gmmTerms(th), { axis: 1 });
  close(np.sum(r, { axis: 1 }).tolist(), Array(12).fill(1), 1e-15);
  // d LL / d mean_k = sum_n r_nk (x_n - mu_k) / s_k^2 (Fisher identity)
  const rr = r.tolist() as number[][], xs = GX.tolist() as number[], mu = [-2, 0.1, 3.2], s2 = [-0.9, -1.2, -0.6].map(l => Math.exp(2 * l));
  close(mu.map((m, k) => rr.reduce((a, row, n) => a + row[k] * (xs[n] - m) / s2[k], 0)), want.slice(3, 6), 1e-12, 1e-15);
});

test('GMM with a zero-weight component (logit -inf, -1e30, -800): finite value, zero (not NaN) gradients for it, vs mpmath', () => {
  for (const l0 of [-Infinity, -1e30, -800]) {
    const th = gmmTheta([l0, 0, 1]);
    const [v, g] = valueAndGrad(gmmLL)(th);
    close(v.item(), -116.19034675833984, 1e-14, 0, `logit ${l0}`);
    close([g.logits.tolist(), g.means.tolist(), g.logscale.tolist()], [0, 4.772696753632501, -4.772696753632501, 0, -93.14585635337626, 0.9959761679614553, 0, 201.24743976461704, -2.439379863477282], 1e-13, 1e-300, `logit ${l0}`);
    const h = hessian(gmmLL)(th) as unknown as Record<string, Record<string, A>>;
    close(h.means.means.tolist(), [[0, 0, 0], [0, -88.18520975380629, 0.00012395140155937957], [0, 0.00012395140155937957, -13.27991926721761]], 1e-12, 1e-300, `logit ${l0}`);
    close(h.logits.logits.tolist(), [[0, 0, 0], [0, -2.359337009000272, 2.359337009000272], [0, 2.359337009000272, -2.359337009000272]], 1e-12, 1e-300, `logit ${l0}`);
  }
});

// ---------------------------------------------------------------------------------------------
// 6. Bayesian logistic regression, Laplace approximation (numpy 2.4 references, float64).
const LX = f64([[1.0, -1.324, -0.248], [1.0, 1.136, 0.11], [1.0, -0.785, 0.749], [1.0, 0.273, -1.233], [1.0, 1.6, 0.203], [1.0, -0.084, -1.163], [1.0, -0.488, -0.713], [1.0, -0.063, -0.589], [1.0, 0.83, -1.643], [1.0, -0.981, -0.173], [1.0, 0.021, -0.038], [1.0, -1.048, -0.396], [1.0, -1.355, 0.225], [1.0, 1.17, 0.717], [1.0, 0.272, -1.102], [1.0, 0.044, -1.988], [1.0, -0.256, 0.962], [1.0, 0.738, -1.099], [1.0, -0.84, 1.449], [1.0, 2.432, 0.642], [1.0, 0.841, -0.607], [1.0, 1.35, -0.397], [1.0, -0.021, 0.609], [1.0, -0.152, 0.242]]);
const LY = f64([0, 1, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 1]);
const ALPHA2 = 4;
const prior = (w: A) => np.divide(np.dot(w, w), 2 * ALPHA2);
const logposts: Record<string, (w: A) => A> = {
  logSigmoid: w => { const z = np.matmul(LX, w); return np.subtract(np.sum(np.add(np.multiply(LY, np.logSigmoid(z)), np.multiply(np.subtract(1, LY), np.logSigmoid(np.negative(z))))), prior(w)); },
  logaddexp: w => { const z = np.matmul(LX, w); return np.subtract(np.sum(np.subtract(np.multiply(np.negative(LY), np.logaddexp(0, np.negative(z))), np.multiply(np.subtract(1, LY), np.logaddexp(0, z)))), prior(w)); },
  softplus: w => { const z = np.matmul(LX, w); return np.subtract(np.sum(np.subtract(np.multiply(np.subtract(LY, 1), z), np.softplus(np.negative(z)))), prior(w)); },
};
for (const [name, lp] of Object.entries(logposts)) {
  test(`logistic regression (${name}): value, grad, Hessian = -(X^T diag(p(1-p)) X + I/a^2), at w0 and at |z| ~ 1e3`, () => {
    const w0 = f64([0.1, -0.2, 0.3]);
    close(lp(w0).item(), -18.700710172650865, 1e-14);
    close(grad(lp)(w0).tolist(), [-1.0439343039546047, 3.4069680207705586, -5.376467184826205], 1e-13);
    close(hessian(lp)(w0).tolist(), [[-6.093446971082333, -0.8496994149346082, 1.346538497302672], [-0.8496994149346082, -5.723775527521645, 0.4430667601324692], [1.3465384973026722, 0.4430667601324692, -4.678918249439072]], 1e-13);
    const wb = f64([0, 400, -300]);
    close(lp(wb).item(), -34402.90000001008, 1e-14);
    close(grad(lp)(wb).tolist(), [-3.9999999899195178, -106.23600000363787, 77.19499999451193], 1e-13);
    close(jacrev(jacrev(lp))(wb).tolist(), [[-0.2500000100804827, 3.637868721045401e-09, 5.488072545614622e-09], [3.637868721045401e-09, -0.25000000180218945, -2.6294859422737316e-09], [5.488072545614622e-09, -2.6294859422737316e-09, -0.25000000384842186]], 1e-12, 1e-20);
  });
  test(`logistic regression (${name}): Newton to the MAP in foriLoop(solve(hessian, grad)), eager and jit; slogdet and Laplace evidence`, () => {
    const newton = (w: A) => lax.foriLoop(0, 8, (_i: A, w: A) => np.subtract(w, linalg.solve(hessian(lp)(w), grad(lp)(w))), w);
    const wstar = [-0.47534423050797864, 0.4076613504014338, -1.0364364331169227];
    const ws = newton(np.zeros([3], { dtype: 'float64' }));
    close(ws.tolist(), wstar, 1e-13);
    close(jit(newton)(np.zeros([3], { dtype: 'float64' })).tolist(), wstar, 1e-13);
    const [sign, ld] = linalg.slogdet(np.negative(hessian(lp)(ws)));
    close([sign.item(), ld.item()], [1, 4.3705776757322905], 1e-14);
    const evidence = np.add(np.subtract(lp(ws), np.multiply(0.5, ld)), 1.5 * LOG2PI - 1.5 * Math.log(2 * Math.PI * ALPHA2));
    close(evidence.item(), -18.379056008015404, 1e-14);
  });
}

// ---------------------------------------------------------------------------------------------
// 7. Sampler moments used above (loose: 20,000 draws, ~5 standard errors), and refusals/errors.
const moments = (a: A) => { const v = flat(a.tolist()), n = v.length, m = v.reduce((s, x) => s + x, 0) / n;
  return [m, v.reduce((s, x) => s + (x - m) ** 2, 0) / (n - 1)]; };
test('sampler moments: normal, gamma(0.3), gamma(2.5), beta(2, 5), categorical, dirichlet marginal (closed forms)', () => {
  const k = random.key(0), n = 20000;
  const within = ([m, v]: number[], [M, V]: number[], what: string) => {
    assert.ok(Math.abs(m - M) < 5 * Math.sqrt(V / n), `${what} mean ${m} vs ${M}`);
    assert.ok(Math.abs(v / V - 1) < 0.1, `${what} variance ${v} vs ${V}`);
  };
  within(moments(random.normal(k, [n], 'float64')), [0, 1], 'normal');
  within(moments(random.gamma(k, 0.3, [n], 'float64')), [0.3, 0.3], 'gamma(0.3)');
  within(moments(random.gamma(k, 2.5, [n], 'float64')), [2.5, 2.5], 'gamma(2.5)');
  within(moments(random.beta(k, 2, 5, [n], 'float64')), [2 / 7, 10 / (49 * 8)], 'beta(2,5)');
  const c = random.categorical(k, np.log(np.array([0.2, 0.5, 0.3])), -1, [n]).tolist() as number[];
  [0.2, 0.5, 0.3].forEach((p, i) => assert.ok(Math.abs(c.filter(x => x === i).length / n - p) < 5 * Math.sqrt(p * (1 - p) / n), `categorical ${i}`));
  const d = random.dirichlet(k, np.array([1, 2, 3]), [5000]);
  const [m, v] = moments(np.take(d, 2, { axis: 1 }));
  assert.ok(Math.abs(m - 0.5) < 5 * Math.sqrt(0.5 * 0.5 / 7 / 5000) && Math.abs(v / (0.25 / 7) - 1) < 0.15, `dirichlet ${m} ${v}`);
});

test('errors a porting user meets: clear CotangentError subclasses naming function, argument, shapes and dtypes', () => {
  const k = random.key(0);
  const is = (cls: Function, re: RegExp) => (e: unknown) => e instanceof cls && e instanceof CotangentError && re.test((e as Error).message);
  // float32 momenta (default dtype) in a float64 leapfrog carry
  assert.throws(() => lax.foriLoop(0, 3, (_i: A, [q, p]: A[]) => [np.add(q, p), np.multiply(p, f64(0.5))], [f64([1, 2]), random.normal(k, [2])]),
    is(DTypeError, /lax\.foriLoop.*carry\[1\].*float32\[2\].*float64\[2\]/));
  assert.throws(() => grad((m: A) => np.add(m, random.normal(k, [4], 'float64')))(f64([0, 0, 0, 0])), is(ShapeError, /grad.*scalar.*float64\[4\]/));
  assert.throws(() => normLogpdf(f64([1, 2, 3]), f64([1, 2]), 1), is(ShapeError, /np\.subtract.*\[3\].*\[2\]/));
  assert.throws(() => np.logsumexp(f64([[1, 2]]), { axis: 2 }), is(AxisError, /np\.logsumexp.*axis 2.*rank 2/));
  assert.throws(() => lax.whileLoop((c: A) => np.less(c, 3), (c: A) => np.add(c, 1), f64([0, 1])), is(DTypeError, /lax\.whileLoop.*condFun.*bool\[2\]/));
  assert.throws(() => vmap((kk: A) => random.normal(kk, [2]), { inAxes: 1 })(random.split(k, 3)), is(ValueError, /random\.normal.*key.*uint32\[3\]/));
  assert.throws(() => linalg.slogdet(f64([[1, 2, 3], [2, 4, 5]])), is(ShapeError, /linalg\.slogdet.*float64\[2,3\]/));
  assert.throws(() => lax.scan((c: A, x: A) => [np.add(c, x), c], f64(0), [f64([1, 2, 3]), f64([1, 2])]), is(ShapeError, /lax\.scan.*float64\[3\].*float64\[2\]/));
  // not built, and a JAX user doing VI with a Gamma/Beta/Dirichlet guide meets it: a clear refusal
  assert.throws(() => grad((a: A) => np.sum(random.gamma(k, a, [3])))(2.0), is(NotImplementedError, /random\.gamma.*derivative.*a/));
  assert.throws(() => grad((a: A) => np.sum(random.beta(k, a, 2.0, [3])))(2.0), is(NotImplementedError, /random\.beta.*derivative/));
  // the library keeps working
  close(schools(f64(P0)).item(), -41.791592814464835, 1e-14);
});
