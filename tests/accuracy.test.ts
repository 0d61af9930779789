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
 * digamma's root (Taylor series there). polygamma n = 2, 3, 5 (x > 0): 1, the powers (x+k)^-(n+1)
 * in double-double, the recurrence summed smallest term first (a 4,000-point sweep per n; the
 * Math.pow form before it had 3, 4 and 2 there). float32 is computed in float64 and rounded once (or by
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
