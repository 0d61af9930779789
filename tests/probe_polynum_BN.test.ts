// helper-290's probe of the polynomial and interpolation functions: regressions for the defects it
// fixed. Reference values are numpy 2.4's (np.polyfit on the same float32 data; numpy computes it
// in float64), pasted as literals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, ValueError } from '../ts/index.ts';

const f32 = (a: number[]) => np.array(a, { dtype: 'float32' });
// x = 0, 100, ..., 1000 and y = sin(x / 100), both float32
const X = [0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000];
const Y = [0.0, 0.8414710164070129, 0.9092974066734314, 0.14112000167369843, -0.756802499294281, -0.9589242935180664,
  -0.279415488243103, 0.6569865942001343, 0.9893582463264465, 0.41211846470832825, -0.5440210700035095];

test('np.polyfit float32, x up to 1000, deg 7: the column norms do not overflow (the top coefficients were silently 0)', () => {
  // x^7 squared is 1e42, past float32's max: the norms were inf, the x^7..x^5 columns 0, rank 5 of 8
  const [c, res, rank, sv] = np.polyfit(f32(X), f32(Y), 7, { full: true });
  assert.equal(c.dtype, 'float32');
  assert.equal(rank.tolist(), 8); // numpy's rank
  // numpy: np.polyfit(x, y, 7, full=True)[3]
  const svWant = [2.654104459912547, 0.905261514461812, 0.3544829999003058, 0.10047620360856112, 0.02156023008132758,
    0.0035254747149014933, 0.0004102443829534561, 2.833982798140739e-05];
  (sv.tolist() as number[]).forEach((v, i) => assert.ok(Math.abs(v - svWant[i]) <= 1e-3 * svWant[i], `sv[${i}]: ${v}, want ${svWant[i]}`));
  // numpy's residual sum of squares 0.0035984189145568473 (a float32 solve: a few digits)
  assert.ok(Math.abs((res.tolist() as number[])[0] - 0.0035984189145568473) < 2e-5, `residuals ${res.tolist()}`);
  // numpy's leading coefficient -2.6853165539729197e-19 (was 0)
  assert.ok(Math.abs((c.tolist() as number[])[0] / -2.6853165539729197e-19 - 1) < 0.05, `c[0] ${(c.tolist() as number[])[0]}`);
  // numpy's fitted values np.polyval(c, x)
  const fitWant = [0.001847718230902106, 0.8299649791122157, 0.9366054106129694, 0.11514712500603394, -0.7611301687609308,
    -0.9326403824970454, -0.2866897232296906, 0.6343812209838613, 1.0147720295746179, 0.40117367798926323, -0.5422435080930774];
  const cc = (c.tolist() as number[]);
  X.forEach((x, i) => { const v = cc.reduce((s, a) => s * x + a, 0); assert.ok(Math.abs(v - fitWant[i]) < 2e-3, `fit at ${x}: ${v}, want ${fitWant[i]}`); });
  // the gradient still flows (the same fit differentiated in y, summed: finite, not NaN)
  const g = grad((y: any) => np.sum(np.polyfit(f32(X), y, 7)))(f32(Y)).tolist() as number[];
  assert.ok(g.every(Number.isFinite), `grad ${g}`);
});

test('np.polyfit float32 cov, x up to 1e7, deg 3: the scales divided one side at a time (their outer product overflowed)', () => {
  // x^3 is 1e21: its column's norm squared, and the outer product of the norms, passed float32's 3.4e38
  const Xb = X.map((v) => v * 1e4);
  const [c, C] = np.polyfit(f32(Xb), f32(Y), 3, { cov: true }) as [any, any];
  const m = C.tolist() as number[][], cc = c.tolist() as number[];
  // numpy: np.polyfit(x, y, 3, cov=True) on the same float32 x and y
  const cWant = [-6.615035945047391e-21, 1.1273268420066856e-13, -5.378898048676438e-07, 0.6912298148328598];
  cc.forEach((v, i) => assert.ok(Math.abs(v / cWant[i] - 1) < 1e-3, `c[${i}] ${v}, want ${cWant[i]}`));
  for (const [i, j, want] of [[0, 0, 1.0008126840117824e-40], [1, 3, 6.48526619239634e-14], [2, 2, 4.0512897448797326e-13], [2, 3, -3.422779379320394e-07], [3, 3, 0.4885567198272287]] as const) {
    assert.ok(Math.abs(m[i][j] / want - 1) < 1e-3, `C[${i}][${j}] ${m[i][j]}, want ${want}`);
  }
});

test('np.polyfit with x all 0: a zero column is scaled by 1 (its 0 norm gave 0 / 0 NaN coefficients)', () => {
  // numpy.polynomial.polynomial.polyfit([0, 0, 0], [1, 2, 3], 1) is [2, 0] (lowest power first),
  // rank 1; np.polyfit raises LinAlgError there
  const [c, , rank] = np.polyfit(np.array([0, 0, 0], { dtype: 'float64' }), np.array([1, 2, 3], { dtype: 'float64' }), 1, { full: true });
  const v = c.tolist() as number[];
  assert.ok(Math.abs(v[0]) < 1e-12 && Math.abs(v[1] - 2) < 1e-12, `coefficients ${v}`);
  assert.equal(rank.tolist(), 1);
});

test('np.roots: a companion row that overflows is refused, not NaN roots (numpy raises LinAlgError)', () => {
  // -p[2] / p[0] = -1e600 is past float64 (numpy: 'Array must not contain infs or NaNs'); was [NaN, NaN] silently
  assert.throws(() => np.roots(np.array([1e-300, 1, 1e300], { dtype: 'float64' })), (e: Error) => e instanceof ValueError && /np.roots: p\[2\] \/ p\[0\].*overflows float64/.test(e.message));
  assert.throws(() => np.roots(np.array([1e-30, 1, 1e30], { dtype: 'float32' })), (e: Error) => e instanceof ValueError && /overflows float32/.test(e.message));
  // a small but representable leading coefficient still works: numpy's roots [-1e20, 2, 1]
  const r = (np.roots(np.array([1e-20, 1, -3, 2], { dtype: 'float64' })).tolist() as { re: number; im: number }[]).map((z) => z.re).sort((a, b) => a - b);
  assert.ok(Math.abs(r[0] / -1e20 - 1) < 1e-12 && Math.abs(r[1] - 1) < 1e-12 && Math.abs(r[2] - 2) < 1e-12, `roots ${r}`);
});

test('np.gradient: a repeated axis is refused (numpy raises \'repeated axis\'; it gave the derivative twice)', () => {
  const f = np.array([[1, 2, 4], [3, 5, 9]], { dtype: 'float64' });
  assert.throws(() => np.gradient(f, { axis: [0, 0] }), (e: Error) => e instanceof ValueError && /np.gradient: axis \[0, 0\] repeats an axis/.test(e.message));
  assert.throws(() => np.gradient(f, { axis: [1, -1] }), (e: Error) => e instanceof ValueError && /repeats an axis/.test(e.message));
  // numpy: np.gradient(f, axis=(1, 0))
  assert.deepEqual((np.gradient(f, { axis: [1, 0] }) as any[]).map((g) => g.tolist()), [[[1, 1.5, 2], [2, 3, 4]], [[2, 3, 5], [2, 3, 5]]]);
});
