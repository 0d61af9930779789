// helper-CA's mutation probe of the derivative rules in assembly/ad/rules/: each test below kills a
// deliberate corruption of one rule that the rest of the suite did not notice (the mutant is
// named in the comment). References: closed forms, float64 central differences in plain JS, or
// mpmath values pasted in; never cotangent itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, grad, jvp, vmap, jacrev } from '../ts/index.ts';

const f64 = (v: unknown) => np.array(v as any, { dtype: 'float64' });
const flat = (a: any): number[] => Array.from(a.dataSync() as Float64Array, Number);
const L = lax as any;
function close(got: number[], want: number[], tol: number, what: string) {
  assert.equal(got.length, want.length, `${what}: length ${got.length} vs ${want.length}`);
  for (let i = 0; i < want.length; i++) {
    const ok = Math.abs(got[i] - want[i]) <= tol * Math.max(1, Math.abs(want[i]));
    assert.ok(ok, `${what}[${i}]: got ${got[i]} want ${want[i]} (all: ${got})`);
  }
}

// rem(x, y)' in y is -trunc(x / y) (C's fmod), not -floor(x / y): they differ where x / y < 0.
// (mutant: elementwise.ts remJvp TRUNC -> FLOOR)
test('fmod / lax.rem: d/dy = -trunc(x/y) where x/y is negative, in grad and jvp; d/dx = 1', () => {
  const xs = [-7.5, 7.5, -7.5, 5.25], ys = [2, -2, -2, -1.5];
  const fm = (x: number, y: number) => x - Math.trunc(x / y) * y; // C's fmod
  const h = 1e-6;
  const fdY = xs.map((x, i) => (fm(x, ys[i] + h) - fm(x, ys[i] - h)) / (2 * h));
  close(fdY, xs.map((x, i) => -Math.trunc(x / ys[i])), 1e-6, 'fd self-check');
  const want = xs.map((x, i) => -Math.trunc(x / ys[i])); // [3, 3, -3, 3]
  const g = grad((y: any) => np.sum(L.rem(f64(xs), y)))(f64(ys));
  close(flat(g), want, 1e-12, 'grad_y lax.rem');
  const g2 = grad((y: any) => np.sum(np.fmod(f64(xs), y)))(f64(ys));
  close(flat(g2), want, 1e-12, 'grad_y np.fmod');
  const [, t] = jvp((y: any) => L.rem(f64(xs), y), [f64(ys)], [f64([1, 1, 1, 1])]);
  close(flat(t), want, 1e-12, 'jvp_y lax.rem');
  // d/dx = 1 (x - trunc(x / y) y, trunc piecewise constant)
  const gx = grad((x: any) => np.sum(L.rem(x, f64(ys))))(f64(xs));
  close(flat(gx), [1, 1, 1, 1], 0, 'grad_x');
});

// cumsum's transpose is a reverse cumsum; batching that row (vmap of grad, jacrev) must keep
// its direction. (mutant: reduce.ts cumsumBatch dropping the reverse flag)
test('vmap(grad) and jacrev through cumsum: the batched reverse cumsum of the transpose', () => {
  const rows = [[0.5, -1, 2, 0.25], [1, 2, 3, 4]];
  // f(x) = sum(cumsum(x)^2) / 2: grad_j = sum_{k >= j} c_k, c = cumsum(x)
  const want = rows.map((r) => {
    const c = r.map((_, k) => r.slice(0, k + 1).reduce((s, v) => s + v, 0));
    return r.map((_, j) => c.slice(j).reduce((s, v) => s + v, 0));
  });
  const f = (x: any) => np.multiply(np.sum(np.square(np.cumsum(x))), 0.5);
  close(flat(vmap(grad(f))(f64(rows))), want.flat(), 1e-12, 'vmap(grad)');
  // jacrev(x => cumsum(x, reverse)) and jacrev(cumsum): J[i][j] = [j >= i] and [j <= i]
  const J = jacrev((x: any) => L.cumsum(x, { reverse: true }))(f64([1, 2, 3])) as any;
  close(flat(J), [1, 1, 1, 0, 1, 1, 0, 0, 1], 0, 'jacrev(reverse cumsum)');
  const K = jacrev((x: any) => np.cumsum(x))(f64([1, 2, 3])) as any;
  close(flat(K), [1, 0, 0, 1, 1, 0, 1, 1, 1], 0, 'jacrev(cumsum)');
});

// erf_inv' = sqrt(pi) / 2 exp(erfinv(x)^2), to the last digits (mpmath). (mutant: elementwise.ts
// SQRT_PI_OVER_2 = 0.88623, 4e-6 relative off)
test("erf_inv' against mpmath to 1e-12 relative", () => {
  // mpmath: sqrt(pi)/2 * exp(erfinv(x)**2) at x = 0, 0.5, -0.9
  const want = [0.886226925452758, 1.1125848189719498, 3.4280428114518408];
  const g = grad((x: any) => np.sum(L.erfInv(x)))(f64([0, 0.5, -0.9]));
  close(flat(g), want, 1e-12, "erf_inv'");
});
