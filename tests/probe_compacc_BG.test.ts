// helper-283: accuracy of composed numpy functions at delicate inputs (var/std/cov/corrcoef of
// float32 data at a large offset, lax.cumlogsumexp's derivative at a leading -inf).
// References: numpy 2.4 in float64 on the same (float32-exact) values, closed forms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, grad, jit, vmap, jvp } from '../ts/index.ts';

const f32 = (v: number[]) => np.array(v, { dtype: 'float32' });
const close = (got: number, want: number, rtol: number, what: string) =>
  assert.ok(Math.abs(got - want) <= rtol * Math.abs(want), `${what}: got ${got}, want ${want}`);

// float32-exact values near 2^20 whose float32 sum (8388608.5) is not representable: the mean's
// sum rounded to 8388608, and the squared deviations from that mean were 3% too large
const noise = [0.125, -0.25, 0.5, 0.375, -0.375, 0.25, 0, -0.625];
const y = noise.map((v, i) => 2 ** 20 + v + (i % 2) * 0.125);
const x = noise.map((v) => 2 ** 20 + v);

test('float32 var/std at an offset: the mean\'s rounding does not enter (corrected two-pass), eager, jit, vmap, where', () => {
  // numpy 2.4: np.var(y.astype(float64), ddof=1) = 0.14732142857142858 (float32 numpy: 0.15178572, was ours)
  const want = 0.14732142857142858;
  close(np.var(f32(y), { ddof: 1 }).item() as number, want, 1e-6, 'var');
  close(jit((v: any) => np.var(v, { ddof: 1 }))(f32(y)).item() as number, want, 1e-6, 'jit var');
  for (const r of vmap((v: any) => np.var(v, { ddof: 1 }))(np.stack([f32(y), f32(y)])).tolist() as number[]) close(r, want, 1e-6, 'vmap var');
  close(np.std(f32(y), { ddof: 1 }).item() as number, Math.sqrt(want), 1e-6, 'std');
  // numpy 2.4: np.var(y[:7]) in float64 = 0.09566326530612246
  close(np.var(f32(y), { where: [true, true, true, true, true, true, true, false] }).item() as number, 0.09566326530612246, 1e-6, 'var where');
  // np.nanvar / nanstd: the same values with a NaN appended (numpy 2.4 in float64: 0.14732142857142858)
  close(np.nanvar(f32([...y, NaN]), { ddof: 1 }).item() as number, want, 1e-6, 'nanvar (was 0.15179)');
  close(np.nanstd(f32([...y, NaN]), { ddof: 1 }).item() as number, Math.sqrt(want), 1e-6, 'nanstd');
  // gradient of std (ddof 1): (y - mean) / (7 std), numpy float64
  const g = grad((v: any) => np.std(v, { ddof: 1 }))(f32(y)).tolist() as number[];
  const gWant = [0.02326210525996177, -0.06978631577988531, 0.1628347368197324, 0.1628347368197324,
    -0.1628347368197324, 0.11631052629980886, -0.02326210525996177, -0.20935894733965596];
  g.forEach((v, i) => assert.ok(Math.abs(v - gWant[i]) < 1e-6, `grad std [${i}]: ${v} vs ${gWant[i]}`));
  // near-constant float32 data: std([1, 1 + 2^-20, 1]) = 2^-20 sqrt(2) / 3 (closed form; was 4.5132e-7)
  close(np.std(f32([1, 1 + 2 ** -20, 1])).item() as number, 2 ** -20 * Math.SQRT2 / 3, 1e-6, 'near-constant std');
  // constant data: exactly 0, gradient of var 0; NaN stays NaN; too few degrees of freedom inf (numpy)
  assert.equal(np.var(f32([1e6 + 0.5, 1e6 + 0.5, 1e6 + 0.5])).item(), 0);
  assert.deepEqual(grad((v: any) => np.var(v))(f32([3, 3, 3])).tolist(), [0, 0, 0]);
  assert.ok(Number.isNaN(np.var(f32([1, NaN, 2])).item() as number));
  assert.equal(np.var(f32([1, 2]), { ddof: 3 }).item(), Infinity);
});

test('float32 cov/corrcoef at an offset agree with numpy (which computes in float64)', () => {
  // numpy 2.4: np.cov(np.stack([x, y])) = [[0.15178571428571427, 0.14732142857142858], [.., 0.14732142857142858]]
  const c = np.cov(np.stack([f32(x), f32(y)])).tolist() as number[][];
  close(c[0][0], 0.15178571428571427, 1e-6, 'cov 00');
  close(c[0][1], 0.14732142857142858, 1e-6, 'cov 01');
  close(c[1][0], 0.14732142857142858, 1e-6, 'cov 10');
  close(c[1][1], 0.14732142857142858, 1e-6, 'cov 11 (was 0.15179)');
  // numpy 2.4: np.corrcoef(...)[0, 1] = 0.98518437 (was 0.97059)
  close((np.corrcoef(np.stack([f32(x), f32(y)])).tolist() as number[][])[0][1], 0.9851843661437781, 1e-6, 'corrcoef');
  // weighted, float64 (numpy 2.4, fweights [1, 2, 1, 3], aweights [0.5, 1, 2, 1])
  const X = np.array(new Float64Array([1, 2, 4, 7, 3, -1, 0, 2, 1e4 + 0.5, 1e4 + 0.25, 1e4, 1e4 + 1]), { shape: [3, 4] });
  const cw = np.cov(X, { fweights: [1, 2, 1, 3], aweights: [0.5, 1, 2, 1] }).tolist() as number[][];
  const cwWant = [[6.042553191489362, 2.3829787234042556, 0.8776595744680852], [2.3829787234042556, 2.3085106382978724, 0.5585106382978724], [0.8776595744680852, 0.5585106382978724, 0.2194148936170213]];
  cw.forEach((row, i) => row.forEach((v, j) => close(v, cwWant[i][j], 1e-12, `weighted cov ${i}${j}`)));
});

test('lax.cumlogsumexp: d y0 / d x0 is 1 at x0 = -inf (y0 = x0; was 2^-ceil(log2 n))', () => {
  // closed form: y = [-inf, 0, 0, log(1 + e)]; d sum(y) / dx = [1, 2 + 1/(1+e), 0, e/(1+e)]
  const e = Math.E;
  const g = grad((v: any) => np.sum(lax.cumlogsumexp(v)))(f32([-Infinity, 0, -Infinity, 1])).tolist() as number[];
  const want = [1, 2 + 1 / (1 + e), 0, e / (1 + e)];
  g.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-6, `grad [${i}]: ${v} vs ${want[i]}`));
  // reverse: the last element is its own output
  const r = grad((v: any) => np.sum(np.multiply(lax.cumlogsumexp(v, { reverse: true }), f32([0, 0, 0, 1]))))(f32([-Infinity, 0, -Infinity, -Infinity])).tolist();
  assert.deepEqual(r, [0, 0, 0, 1]);
  assert.deepEqual(jvp((v: any) => lax.cumlogsumexp(v), [f32([-Infinity, 0, 1])], [f32([1, 1, 1])])[1].tolist().map((v: number) => Math.round(v * 1e6) / 1e6), [1, 1, 1]);
  // values unchanged: numpy 2.4 np.logaddexp.accumulate([1, 2, 3]) = [1, 2.31326169, 3.40760596]
  const v = lax.cumlogsumexp(np.array(new Float64Array([1, 2, 3, 4, 5, 6]), { shape: [2, 3] }), { axis: 1 }).tolist() as number[][];
  close(v[0][2], 3.4076059644443806, 1e-14, 'cumlogsumexp value');
  close(v[1][1], 5.313261687518223, 1e-14, 'cumlogsumexp value');
});
