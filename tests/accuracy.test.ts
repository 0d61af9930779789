// Accuracy of the elementwise kernels against correctly rounded references computed offline with
// mpmath (scripts/elementwise_refs.py -> tests/data/elementwise_refs.json; never from the code
// under test). Hard ranges per function (huge arguments to sin/cos/tan, near 1 for the logs, tiny
// for expm1/log1p, near +-1 for the inverse functions, the tails of erfc) plus random points.
// Error in ulps: the number of floats between the result and the correctly rounded value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { np, grad } from 'cotangent';

type Refs = Record<string, Record<'float64' | 'float32', { x: number[]; y: number[] }>>;
// ELEMENTWISE_REFS points at a larger sweep made by the same script (not committed)
const REFS: Refs = JSON.parse(readFileSync(process.env.ELEMENTWISE_REFS ?? new URL('./data/elementwise_refs.json', import.meta.url), 'utf8'));

/** floats between a and b (same dtype), through the ordered integer image of the bits. */
function ulpsApart(a: number, b: number, dtype: 'float64' | 'float32'): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  const key = (v: number): bigint => {
    if (dtype === 'float32') {
      const i = new Int32Array(new Float32Array([v]).buffer)[0];
      return BigInt(i < 0 ? -(i & 0x7fffffff) : i);
    }
    const i = new BigInt64Array(new Float64Array([v]).buffer)[0];
    return i < 0n ? -(i & 0x7fffffffffffffffn) : i;
  };
  const d = key(a) - key(b);
  return Number(d < 0n ? -d : d);
}

/**
 * Bounds in ulps (the README states them), from this table and a 30,000-point sweep of the same
 * generator. The elementary functions: 1 (the result is one of the two floats around the exact
 * value), erfc included (exp(-x^2) and erfcx in double-double, one rounding at the end).
 * lgamma, digamma and erfinv: 2, relative, including next to lgamma's zeros at 1 and 2 and
 * digamma's root (Taylor series there). polygamma n = 2, 3, 5 (x > 0): 1 (0 measured since the
 * Hurwitz-zeta form in scaled double-double, kernels/polygamma.ts; the recurrence with an 8-term
 * asymptotic series before it was 1 here, and the Math.pow form before that 3, 4 and 2). float32 is computed in float64 and rounded once (or by
 * f64x2 SIMD formulas): 1 ulp everywhere.
 */
const BOUND: Record<string, number> = {
  exp: 1, log: 1, sin: 1, cos: 1, tanh: 1, tan: 1, exp2: 1, expm1: 1, log1p: 1, log2: 1, log10: 1, cbrt: 1,
  arcsin: 1, arccos: 1, arctan: 1, sinh: 1, cosh: 1, arcsinh: 1, arccosh: 1, arctanh: 1, erf: 1, erfc: 1,
  erfinv: 2, lgamma: 2, digamma: 2, polygamma2: 1, polygamma3: 1, polygamma5: 1,
};
const bound = (name: string, dtype: string): number => (dtype === 'float32' ? 1 : BOUND[name]);

const worst: Record<string, string> = {};
for (const [name, byDtype] of Object.entries(REFS)) {
  for (const dtype of ['float64', 'float32'] as const) {
    test(`${name} ${dtype}: within ${bound(name, dtype)} ulp of mpmath's correctly rounded value`, () => {
      const { x, y } = byDtype[dtype];
      const xs = np.array(dtype === 'float64' ? new Float64Array(x) : new Float32Array(x));
      const poly = /^polygamma(\d+)$/.exec(name);
      const got = (poly ? np.polygamma(Number(poly[1]), xs) : (np as any)[name](xs)).dataSync() as Float64Array | Float32Array;
      let max = 0, at = 0;
      for (let i = 0; i < x.length; i++) {
        const u = ulpsApart(got[i], y[i], dtype);
        if (u > max) { max = u; at = i; }
      }
      worst[`${name} ${dtype}`] = `${max} ulp at x = ${x[at]} (got ${got[at]}, want ${y[at]})`;
      if (process.env.ACCURACY_REPORT) console.log(`${name} ${dtype}: ${worst[`${name} ${dtype}`]}`);
      assert.ok(max <= bound(name, dtype), `${name} ${dtype}: ${worst[`${name} ${dtype}`]}`);
    });
  }
}

test('float32 erf and erfc (their own polynomials, rounded once) across every range: correctly rounded from mpmath at each point, tails and NaN included', () => {
  // mpmath's values (50 digits) rounded to float32, at x: a grid over [-7, 10.5], 1, 6, 6.125 and
  // -1, -6, 0.5 each +-1e-6 and +-1e-3 (the kernels switch form at 1, 6 and 6.125), tiny and far values
  const X = [-7.0, -6.75, -6.5, -6.25, -6.000999927520752, -6.000000953674316, -6.0, -5.999999046325684, -5.999000072479248, -5.75, -5.5, -5.25, -5.0, -4.75, -4.5, -4.25, -4.0, -3.9000000953674316, -3.75, -3.5, -3.25, -3.0, -2.75, -2.5, -2.25, -2.0, -1.75, -1.5, -1.25, -1.0010000467300415, -1.0000009536743164, -1.0, -0.9999989867210388, -0.9990000128746033, -0.75, -0.699999988079071, -0.5, -0.25, -2.9999999047965676e-20, 0.0, 1.0000000031710769e-30, 1.999999987845058e-08, 0.125, 0.25, 0.49900001287460327, 0.4999989867210388, 0.5, 0.5000010132789612, 0.5009999871253967, 0.75, 0.9990000128746033, 0.9999989867210388, 1.0, 1.0000009536743164, 1.0010000467300415, 1.25, 1.5, 1.75, 2.0, 2.25, 2.3450000286102295, 2.5, 2.75, 3.0, 3.25, 3.5, 3.75, 3.9200000762939453, 4.0, 4.25, 4.5, 4.75, 5.0, 5.25, 5.5, 5.75, 5.999000072479248, 5.999999046325684, 6.0, 6.000000953674316, 6.000999927520752, 6.124000072479248, 6.124999046325684, 6.125, 6.125000953674316, 6.125999927520752, 6.25, 6.5, 6.75, 7.0, 7.25, 7.5, 7.75, 8.0, 8.25, 8.5, 8.75, 9.0, 9.25, 9.5, 9.75, 9.899999618530273, 10.0, 10.039999961853027, 10.25, 10.5];
  const ERF = [-1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -0.9999999403953552, -0.9999998807907104, -0.9999992847442627, -0.9999957084655762, -0.9999778866767883, -0.9998993873596191, -0.9995930194854736, -0.9985373020172119, -0.9953222870826721, -0.9866716861724854, -0.9661051630973816, -0.9229001402854919, -0.843115508556366, -0.8427011966705322, -0.8427007794380188, -0.8427003622055054, -0.8422852754592896, -0.7111556529998779, -0.6778011918067932, -0.5204998850822449, -0.27632638812065125, -3.385137459823245e-20, 0.0, 1.1283791266481092e-30, 2.256758335761333e-08, 0.1403162032365799, 0.27632638812065125, 0.5196206569671631, 0.5204989910125732, 0.5204998850822449, 0.5205007791519165, 0.521378219127655, 0.7111556529998779, 0.8422852754592896, 0.8427003622055054, 0.8427007794380188, 0.8427011966705322, 0.843115508556366, 0.9229001402854919, 0.9661051630973816, 0.9866716861724854, 0.9953222870826721, 0.9985373020172119, 0.999087929725647, 0.9995930194854736, 0.9998993873596191, 0.9999778866767883, 0.9999957084655762, 0.9999992847442627, 0.9999998807907104, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0];
  const ERFC = [2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 1.9999998807907104, 1.9999992847442627, 1.9999957084655762, 1.999977946281433, 1.9998993873596191, 1.9995930194854736, 1.998537302017212, 1.9953222274780273, 1.9866716861724854, 1.9661051034927368, 1.9229000806808472, 1.8431154489517212, 1.8427011966705322, 1.8427008390426636, 1.8427003622055054, 1.8422852754592896, 1.711155652999878, 1.6778011322021484, 1.5204998254776, 1.2763264179229736, 1.0, 1.0, 1.0, 1.0, 0.8596838116645813, 0.7236735820770264, 0.4803793430328369, 0.47950100898742676, 0.4795001149177551, 0.4794992208480835, 0.47862178087234497, 0.28884437680244446, 0.15771472454071045, 0.15729962289333344, 0.15729920566082, 0.15729881823062897, 0.15688449144363403, 0.07709987461566925, 0.0338948518037796, 0.013328328728675842, 0.004677734803408384, 0.0014627166092395782, 0.0009120778413489461, 0.00040695202187635005, 0.00010062192450277507, 2.2090496713644825e-05, 4.3027794163208455e-06, 7.430983828271565e-07, 1.1372725339242606e-07, 2.9611683771690878e-08, 1.5417258580896487e-08, 1.8505741383734176e-09, 1.9661604289122891e-10, 1.848504856127864e-11, 1.5374598295869735e-12, 1.1310313037700415e-13, 7.357848258080467e-15, 4.2321365934850676e-16, 2.1783023881808184e-17, 2.1519987064461222e-17, 2.151973725591623e-17, 2.151948744737124e-17, 2.1259588953268303e-17, 4.6910661580607155e-18, 4.633276838925923e-18, 4.633222245005495e-18, 4.63316723749476e-18, 4.576082676241863e-18, 9.67220429101877e-19, 3.842148285910257e-20, 1.3487678700204706e-21, 4.1838257316685907e-23, 1.1466900853739127e-24, 2.776649254231637e-26, 5.939748022940036e-28, 1.1224297146397275e-29, 1.8735664905849413e-31, 2.762324113369041e-33, 3.597115741463452e-35, 4.137031708073991e-37, 4.2020372712107565e-39, 3.769212609340893e-41, 2.9847657290118604e-43, 1.5414283107572988e-44, 1.401298464324817e-45, 1.401298464324817e-45, 0.0, 0.0];
  const x = np.array(new Float32Array(X));
  for (const [name, want] of [['erf', ERF], ['erfc', ERFC]] as const) {
    const got = (np as any)[name](x).dataSync() as Float32Array;
    // the float64 evaluation (error ~1e-16) rounds to float32 exactly as mpmath's value does here;
    // an 18,005-point sweep found no exception
    X.forEach((v, i) => assert.equal(got[i], want[i], `${name}(${v}) float32: ${got[i]}, want ${want[i]}`));
  }
  // and a dense grid (scripts/erf32_refs.py): 4096 points over [-6.5, 10.5], 1,000 of them in the
  // erfcx range (a 6-term erfcx in place of 12 fails here: 3 erf values off by 1 ulp)
  const grid = JSON.parse(readFileSync(new URL('./data/erf32_refs.json', import.meta.url), 'utf8'));
  const xg = new Float32Array(4096).map((_, i) => -6.5 + (17 * i) / 4096);
  for (const name of ['erf', 'erfc'] as const) {
    const want = new Float32Array(new Uint32Array(4096).map((_, i) => parseInt(grid[name].slice(8 * i, 8 * i + 8), 16)).buffer);
    const got = np[name](np.array(xg)).dataSync() as Float32Array;
    const bad = [...xg].flatMap((v, i) => (got[i] === want[i] ? [] : [`${name}(${v}) = ${got[i]}, want ${want[i]}`]));
    assert.deepEqual(bad.slice(0, 5), [], `${bad.length} of 4096 float32 ${name} values not correctly rounded`);
  }
  const special = np.array(new Float32Array([NaN, Infinity, -Infinity, 0, -0]));
  assert.deepEqual(Array.from(np.erf(special).dataSync()), [NaN, 1, -1, 0, -0]);
  assert.deepEqual(Array.from(np.erfc(special).dataSync()), [NaN, 0, 2, 1, 1]);
});

test('the ulp distance can fail: neighbours are 1 apart, across zero counts both sides', () => {
  assert.equal(ulpsApart(1, 1 + 2 ** -52, 'float64'), 1);
  assert.equal(ulpsApart(1, Math.fround(1 + 2 ** -23), 'float32'), 1);
  assert.equal(ulpsApart(5e-324, -5e-324, 'float64'), 2);
  assert.equal(ulpsApart(NaN, 1, 'float64'), Infinity);
  assert.equal(ulpsApart(2, 1, 'float64'), 2 ** 52);
});

test('the table covers every function with float64 and float32 points', () => {
  for (const name of Object.keys(BOUND)) {
    assert.ok(REFS[name]?.float64.x.length >= 100 && REFS[name]?.float32.x.length >= 100, name);
  }
});

test('float32 prod multiplies in float64 (rounded once); asin/acos/asinh derivatives stay accurate near |x| = 1 and at huge x', () => {
  // 1e5 values in 1 +- 5e-4: the float64 product in JS is good to ~1e-11 relative
  let s = 12345;
  const v = Float32Array.from({ length: 100000 }, () => { s = (s * 1103515245 + 12345) >>> 0; return 1 + (s / 2 ** 32 - 0.5) * 1e-3; });
  let exact = 1;
  for (const e of v) exact *= e;
  const got = np.prod(np.array(v)).item() as number;
  assert.ok(Math.abs(got - exact) <= 2 ** -23 * Math.abs(exact), `prod float32: ${got} vs ${exact}`);
  // d/dx asin x = 1 / sqrt((1 - x)(1 + x)); 1 - x is exact here (Sterbenz), so the JS value is good to a few ulp
  const x = 1 - 2 ** -30;
  const want = 1 / Math.sqrt((1 - x) * (1 + x));
  const g = grad(np.arcsin)(np.array(x, { dtype: 'float64' })).item() as number;
  assert.ok(Math.abs(g - want) <= 4e-16 * want, `asin'(${x}): ${g} vs ${want}`);
  const ga = grad(np.arccos)(np.array(x, { dtype: 'float64' })).item() as number;
  assert.ok(Math.abs(ga + want) <= 4e-16 * want, `acos'(${x}): ${ga} vs ${-want}`);
  // d/dx asinh x = 1 / sqrt(x^2 + 1) = 1 / |x| to double precision past 1e8
  assert.equal(grad(np.arcsinh)(np.array(1e200, { dtype: 'float64' })).item(), 1e-200);
  const g32 = grad(np.arcsinh)(np.array(-2e22, { dtype: 'float32' })).item() as number;
  assert.ok(Math.abs(g32 - 1 / Math.fround(2e22)) <= 2 ** -23 / 2e22, `asinh'(-2e22) float32: ${g32}`);
});

test('digamma next to its first 10 negative roots (Taylor series within 1/8 of each): within 2 ulp of mpmath', () => {
  // x_k + d for d ~ 1e-15, -3e-12, 2e-7, -0.01, 0.1 at each root x_k in (-k - 1, -k); the reflection
  // psi(1 - x) - pi cot(pi x) cancels there (it was 1e-5 relative 1e-12 from a root); mpmath, 40 digits
  const x = [
    -0.5040830082644543, -0.5040830082677913, -0.5040827712960321, -0.515014308404655, -0.39392618280321,
    -1.5734984731623893, -1.5734984731655013, -1.5734982526860448, -1.584758238602824, -1.4576389357119914,
    -2.6107208684441434, -2.6107208684473266, -2.610720664817323, -2.622340157512879, -2.49685209879332,
    -3.6352933664369003, -3.6352933664404903, -3.6352931278465896, -3.646601211503969, -3.5229821123453298,
    -4.653237761743141, -4.653237761746151, -4.653237540607892, -4.663356863953481, -4.549433596487184,
    -5.667162441556885, -5.667162441559904, -5.667162222999507, -5.678043503790199, -5.550313898986515,
    -6.678418213073425, -6.678418213076811, -6.6784179930825, -6.689743112137207, -6.569271615441435,
    -7.687788325031625, -7.687788325035225, -7.687788085203961, -7.699468756130612, -7.573632132601667,
    -8.695764163816401, -8.69576416381954, -8.695763952254804, -8.705904610815521, -8.580438406088193,
    -9.702672540001863, -9.702672540005372, -9.702672324541323, -9.714588624768503, -9.585726344535807,
  ];
  const want = [
    9.998067834511586e-15, -2.9822085988734197e-11, 2.118449923975082e-06, -0.09786252880468228,
    1.0198311122708632, 1.119379520084189e-14, -3.092635058168858e-11, 2.191868212892712e-06,
    -0.11298623528902259, 1.1027425047999675, 1.3380849700262442e-14, -3.4519360631329046e-11,
    2.2090101827473455e-06, -0.12785625445261722, 1.1331857230729967, 9.712624519071099e-15,
    -4.181735975176551e-11, 2.779800286320712e-06, -0.13400666600473735, 1.167351640736374,
    1.4139798524607156e-14, -3.721892409052485e-11, 2.735361991219998e-06, -0.12736273574417384,
    1.1290486865936618, 1.1607199941995715e-14, -3.9298956769735285e-11, 2.8459232964720014e-06,
    -0.14464515229698058, 1.300487360310705, 1.946511134434187e-14, -4.6090373910430074e-11,
    2.9960225343412827e-06, -0.15786104168456996, 1.261903367764024, 1.4502024178535126e-14,
    -5.09993076740873e-11, 3.3986778103631827e-06, -0.1698120001688891, 1.349275122287187,
    4.825794938582724e-15, -4.6091821457781924e-11, 3.106985370105665e-06, -0.15242989266397258,
    1.3953890682766903, 4.939256869086382e-15, -5.320982423549436e-11, 3.2681527729557773e-06,
    -0.18601551097461674, 1.4443775398557195,
  ];
  const got = np.digamma(np.array(new Float64Array(x))).dataSync() as Float64Array;
  for (let i = 0; i < x.length; i++) {
    assert.ok(ulpsApart(got[i], want[i], 'float64') <= 2, `digamma(${x[i]}): ${got[i]} vs ${want[i]}`);
  }
});
