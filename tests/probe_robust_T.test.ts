// Numerical robustness of reductions at the edges (helper-241). References: mpmath at 40 digits
// (python3), rounded to float32 where the input is float32; numpy's own np.linalg.norm gives inf
// and 0 for the float32 cases below (it squares unscaled), so it is not the reference here.
import test from 'node:test';
import assert from 'node:assert/strict';
import { np, linalg, grad, jit, vmap, hessian } from '../ts/index.ts';

const f32 = (v: unknown) => np.array(v as number[], { dtype: 'float32' });
const f64 = (v: unknown) => np.array(v as number[], { dtype: 'float64' });
const near = (got: number, want: number, rel: number, what: string) =>
  assert.ok(Math.abs(got - want) <= rel * Math.abs(want), `${what}: got ${got}, want ${want}`);
const allNear = (got: number[], want: number[], rel: number, what: string) => got.forEach((g, i) => near(g, want[i], rel, `${what}[${i}]`));

test('vector norms scale: float32 entries 1e20 / 1e-25 and float64 1e200 / 1e-200 neither overflow nor underflow (were inf / 0)', () => {
  // mpmath: sqrt(2) 1e20 rounded to float32 = 1.414213581995256e20; sqrt(2) 1e-25 -> 1.414213624540733e-25
  near(np.norm(f32([1e20, 1e20])).item() as number, 1.414213581995256e20, 1e-7, 'np.norm f32 1e20');
  near(np.norm(f32([1e-25, 1e-25])).item() as number, 1.414213624540733e-25, 1e-7, 'np.norm f32 1e-25');
  near(linalg.norm(f32([1e20, 1e20])).item() as number, 1.414213581995256e20, 1e-7, 'linalg.norm');
  near(linalg.vectorNorm(f32([1e-25, 1e-25])).item() as number, 1.414213624540733e-25, 1e-7, 'linalg.vectorNorm');
  near(np.norm(f64([1e200, 1e200])).item() as number, 1.414213562373095e200, 1e-15, 'np.norm f64 1e200');
  near(np.norm(f64([1e-200, 1e-200])).item() as number, 1.414213562373095e-200, 1e-15, 'np.norm f64 1e-200');
  // p = 3: (1 + 8)^(1/3) 1e20 = 2.080083893080587e20 (float32)
  near(np.norm(f32([1e20, -2e20]), 3).item() as number, 2.080083893080587e20, 1e-6, 'ord 3');
  // per row, with keepdims and a negative axis; jit and vmap alike
  allNear((np.norm(np.reshape(f32([3, 4, 1e20, 1e20, 0, 0]), [3, 2]), { axis: -1, keepdims: true }).tolist() as number[][]).flat(), [5, 1.414213581995256e20, 0], 1e-7, 'rows');
  near(jit((v: any) => np.norm(v))(f32([1e20, 1e20])).item() as number, 1.414213581995256e20, 1e-7, 'jit');
  allNear(vmap((v: any) => np.norm(v))(f32([[3, 4], [1e-25, 1e-25]])).tolist() as number[], [5, 1.414213624540733e-25], 1e-7, 'vmap');
  // Frobenius: sqrt(9 + 16) 1e20 = 5.000000100204387e20 (float32)
  near(linalg.norm(f32([[3e20, 4e20], [0, 0]]), 'fro').item() as number, 5.000000100204387e20, 1e-7, 'fro');
  near(linalg.matrixNorm(f32([[1e-25, 0], [0, 1e-25]])).item() as number, 1.414213624540733e-25, 1e-7, 'matrixNorm');
});

test('the scaled norms keep the edge values: inf, NaN, zeros, empty, negative p, float32 overflow', () => {
  assert.equal(np.norm(f32([Infinity, 1])).item(), Infinity);
  assert.ok(Number.isNaN(np.norm(f32([NaN, 1e20])).item() as number));
  assert.ok(Number.isNaN(np.norm(f32([NaN, Infinity])).item() as number)); // (numpy: nan)
  assert.equal(np.norm(f32([0, 0])).item(), 0);
  assert.equal(np.norm(np.zeros([0])).item(), 0);
  assert.equal(np.norm(np.zeros([0]), -1).item(), Infinity); // numpy: sum([]) ** -1
  assert.equal(np.norm(f32([0, 2]), -1).item(), 0);
  assert.equal(np.norm(f32([Infinity, 2]), -2).item(), 2);
  near(np.norm(f32([1e-30, 1e30]), -1).item() as number, 1e-30, 1e-6, 'ord -1');
  assert.equal(np.norm(f32([3.4e38, 3.4e38])).item(), Infinity); // 4.8e38 is past float32's max
  assert.equal(np.norm(f32([1.401298464324817e-45, 1.401298464324817e-45])).item(), 1.401298464324817e-45); // sqrt(2) of the least subnormal rounds to it
});

test('gradients of norms at huge and tiny entries are x / |x| (were [0, 0] and [inf, inf]); at 0 NaN as jnp', () => {
  const h = 0.7071067690849304; // float32(1 / sqrt 2)
  allNear(grad((v: any) => np.norm(v))(f32([1e20, 1e20])).tolist() as number[], [h, h], 1e-7, 'huge');
  allNear(grad((v: any) => np.norm(v))(f32([1e-25, 1e-25])).tolist() as number[], [h, h], 1e-7, 'tiny');
  allNear((grad((v: any) => linalg.norm(v, 'fro'))(f32([[3e20, 4e20], [0, 0]])).tolist() as number[][]).flat(), [0.6, 0.8, 0, 0], 1e-6, 'fro');
  // d/dx ||x||_3 = sign(x) x^2 / ||x||_3^2 (mpmath)
  allNear(grad((v: any) => np.norm(v, 3))(f32([1e20, -2e20])).tolist() as number[], [0.23112042248249054, -0.9244816899299622], 1e-6, 'ord 3');
  // the Hessian of ||x|| is (I - u u^T) / ||x||: at 1e200 [3, 4], [[16, -12], [-12, 9]] / 25 / 5e200
  allNear((hessian((v: any) => np.norm(v))(f64([3e200, 4e200])).tolist() as number[][]).flat(), [1.28e-201, -9.6e-202, -9.6e-202, 7.2e-202], 1e-14, 'hessian');
  assert.ok((grad((v: any) => np.norm(v))(f32([0, 0])).tolist() as number[]).every(Number.isNaN)); // jnp: NaN at 0 too
});

test('norm under jit: the plain root where it is safe, the scaled form where not, and no NaN from the one not taken', () => {
  const n = np, j = jit, g = grad, v = vmap;
  const norm = (x: any) => n.linalg.norm(x);
  // references: mpmath, sqrt(2) * 1e20 and sqrt(2) * 1e-25 rounded to float32; d/dx = x / |x|
  assert.equal(j(norm)(n.array([1e20, 1e20])).item(), 141421358199525600000);
  assert.equal(j(norm)(n.array([1e-25, 1e-25])).item(), 1.414213624540733e-25);
  assert.deepEqual(j(g(norm))(n.array([1e-25, 1e-25])).tolist(), [0.7071067690849304, 0.7071067690849304], 'was [NaN, NaN]: the plain root\'s infinite derivative');
  assert.deepEqual(j(g(norm))(n.array([3, 4])).tolist(), [0.6000000238418579, 0.800000011920929]);
  assert.deepEqual(j(v(norm))(n.array([[3, 4], [1e20, 1e20], [1e-25, 1e-25]])).tolist(), [5, 141421358199525600000, 1.414213624540733e-25]);
});
