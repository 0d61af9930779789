// helper-251's derivative sweep (np/lax/linalg, float64, grad/jvp/second order vs Richardson
// finite differences, eager and jit): the one defect it found, plus pins of derivative
// conventions it checked against JAX's rules and closed forms (references in the comments).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, linalg, grad, jit, CotangentError } from '../ts/index.ts';

const f64 = (v: number[], shape?: number[]) => np.array(Float64Array.from(v), { shape: shape ?? [v.length] });
const L = lax as any;

test('lax.selectN: a JS list of cases is refused, not returned as the result', () => {
  const w = np.array([0, 1, 2], { dtype: 'int32' });
  const a = f64([1, 2, 3]), b = f64([4, 5, 6]), c = f64([7, 8, 9]);
  // (it returned the JS list [a, b, c] itself, silently)
  assert.throws(() => L.selectN(w, [a, b, c]), (e: unknown) => e instanceof CotangentError && /selectN.*separate arguments/.test((e as Error).message));
  assert.deepEqual(L.selectN(w, a, b, c).tolist(), [1, 5, 9]);
  // one case: which's shape is still checked (JAX's select_n shape rule), the case returned
  assert.deepEqual(L.selectN(w, a).tolist(), [1, 2, 3]);
  assert.throws(() => L.selectN(np.array([0], { dtype: 'int32' }), a), CotangentError);
  // library still usable
  assert.deepEqual(L.selectN(w, c, b, a).tolist(), [7, 5, 3]);
});

test('grad det at a singular matrix is the cofactor matrix (JAX: _cofactor_solve), eager and jit', () => {
  // cofactors of [[1,2,3],[4,5,6],[7,8,9]], by hand: C11 = 5*9-6*8 = -3, C12 = -(4*9-6*7) = 6, ...
  const ref = [[-3, 6, -3], [6, -12, 6], [-3, 6, -3]];
  const A = f64([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3]);
  assert.deepEqual(grad((a: any) => linalg.det(a))(A).tolist(), ref);
  assert.deepEqual(jit(grad((a: any) => linalg.det(a)))(A).tolist(), ref);
});

test('kink conventions follow JAX', () => {
  const g = (f: (a: any) => any, x: number[]) => grad((a: any) => np.sum(f(a)))(f64(x)).tolist();
  assert.deepEqual(g(np.abs, [0]), [1]); // JAX _abs_jvp_rule: select(x >= 0, g, -g)
  assert.deepEqual(g((a) => np.maximum(a, 1), [1]), [0.5]); // _balanced_eq
  assert.deepEqual(g((a) => np.fmax(a, 1), [1]), [0]); // jnp.fmax: where(x1 > x2 | isnan(x2), x1, x2)
  assert.deepEqual(g((a) => np.clip(a, 0, 1), [0, 1, 0.5]), [0.5, 0.5, 1]); // maximum then minimum
  assert.deepEqual(g((a) => L.clamp(0, a, 1), [0, 1, 0.5]), [0, 0, 1]); // clamp_p jvp: strict gt/lt
  assert.deepEqual(g((a) => np.max(a), [1, 3, 3]), [0, 0.5, 0.5]); // reduce chooser: ties share
  assert.deepEqual(g((a) => np.relu6(a), [0, 6]), [0, 0]); // jax.nn.relu6 custom jvp
  // jnp.interp: searchsorted(side='right'), so at an interior knot the right segment's slope (5-1)/(2-1)
  assert.deepEqual(g((a) => np.interp(a, f64([0, 1, 2]), f64([0, 1, 5])), [1]), [4]);
  // period 3: xp extended to [-1, 0, 1, 2, 3], fp to [5, 0, 1, 5, 0]; 2.5 and -0.5 sit on slope -5
  assert.deepEqual(g((a) => np.interp(a, f64([0, 1, 2]), f64([0, 1, 5]), { period: 3 }), [2.5, -0.5]), [-5, -5]);
});

test('NaN-skipping reductions: zero gradient at the NaNs, closed forms elsewhere', () => {
  const x = f64([1, NaN, 3, -2]);
  // nanprod: product of the other non-NaN entries
  assert.deepEqual(grad((a: any) => np.nanprod(a))(x).tolist(), [-6, 0, -2, 3]);
  // nanquantile 0.3 of sorted [-2, 1, 3]: position 0.6 -> 0.4 * (-2) + 0.6 * 1
  const q = grad((a: any) => np.nanquantile(a, 0.3))(x).tolist() as number[];
  assert.ok(Math.abs(q[0] - 0.6) < 1e-15 && q[1] === 0 && q[2] === 0 && Math.abs(q[3] - 0.4) < 1e-15, String(q));
});
