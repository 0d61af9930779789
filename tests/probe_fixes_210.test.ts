// Probe fixes (helper-210): the aux of lax.customLinearSolve / lax.customRoot is a constant;
// the derivative operators' messages offer no option they refuse; customRoot names tangentSolve;
// np.copy / np.positive / np.fabs; np.take's integer fillValue must fit the array's dtype.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  np, lax, grad, jvp, jacfwd, jacrev, vmap, jit, checkGrads, laplacian, divergence, hessianDiagonal, jacobianDiagonal,
  NDArray, ValueError, ShapeError, DTypeError, NonHolomorphicError,
} from '../ts/index.ts';

type A = NDArray;
const f64 = (v: number | number[]) => np.array(v, { dtype: 'float64' });
const vals = (x: A) => [x.tolist()].flat(3) as number[];
const close = (got: A, want: number[], tol = 1e-12) => {
  const g = vals(got);
  assert.equal(g.length, want.length);
  g.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= tol * Math.max(1, Math.abs(want[i])), `[${i}] got ${v}, want ${want[i]}`));
};

// ------------------------------------------------------------ 1. aux has a zero derivative

// A x = 2x, x = b/2, aux = x*x (JAX: _custom_linear_solve_jvp gives aux Zero tangents)
const solveAux = (b: A) => lax.customLinearSolve((v: A) => np.multiply(2, v), b,
  (_m: unknown, bb: A) => { const x = np.divide(bb, 2); return [x, np.multiply(x, x)]; }, { symmetric: true, hasAux: true }) as [A, A];

test('customLinearSolve: aux is a constant in every mode (used to be d(b²/4)/db = b/2)', () => {
  const aux = (b: A) => solveAux(b)[1];
  close(grad(aux)(f64(3)), [0]);
  close(jit(grad(aux))(f64(3)), [0]);
  close(jvp(aux, [f64(3)], [f64(1)])[1] as A, [0]);
  close(jacfwd(aux)(f64([3, 4])) as A, [0, 0, 0, 0]);
  close(jacrev(aux)(f64([3, 4])) as A, [0, 0, 0, 0]);
  close(vmap(grad(aux))(f64([3, 4])), [0, 0]);
  // the primal aux is unchanged (1.5² = 2.25), and x keeps its derivative (dx/db = 1/2)
  const [g, seen] = grad((b: A) => solveAux(b), { hasAux: true })(f64(3)) as [A, A];
  close(g, [0.5]);
  close(seen, [2.25]);
  close(solveAux(f64(3))[1], [2.25]);
  close(jit((b: A) => solveAux(b)[1])(f64(3)), [2.25]);
});

const newton = (f: (x: A) => A, g: A) => {
  let x = g;
  for (let i = 0; i < 40; i++) x = np.subtract(x, np.divide(f(x), np.multiply(2, x)));
  return x;
};

test('customRoot: aux is a constant (JAX: _root_jvp appends zeros_like(aux)); used to be d(2c)/dc = 2', () => {
  const root = (c: A) => lax.customRoot((x: A) => np.subtract(np.square(x), c), f64(1),
    (f: (x: A) => A, g: A) => [newton(f, g), np.multiply(2, c)], (g: (v: A) => A, y: A) => np.divide(y, g(f64(1))), { hasAux: true }) as [A, A];
  close(grad((c: A) => root(c)[1])(f64(4)), [0]);
  close(jit(grad((c: A) => root(c)[1]))(f64(4)), [0]);
  close(jvp((c: A) => root(c)[1], [f64(4)], [f64(1)])[1] as A, [0]);
  close(vmap(grad((c: A) => root(c)[1]))(f64([4, 9])), [0, 0]);
  // x = sqrt(c): dx/dc = 1/(2 sqrt c) = 0.25 at c = 4; aux = 2c = 8
  close(grad((c: A) => root(c)[0])(f64(4)), [0.25]);
  close(jit((c: A) => root(c)[1])(f64(4)), [8]);
  // f closes over nothing traced (no parameters): the aux was returned as it was, with d(2c)/dc = 2
  const fixed = (c: A) => lax.customRoot((x: A) => np.subtract(np.square(x), 4), f64(1),
    (f: (x: A) => A, g: A) => [newton(f, g), np.multiply(2, c)], (g: (v: A) => A, y: A) => np.divide(y, g(f64(1))), { hasAux: true }) as [A, A];
  close(grad((c: A) => fixed(c)[1])(f64(4)), [0]);
  close(jvp((c: A) => fixed(c)[1], [f64(4)], [f64(1)])[1] as A, [0]);
});

// ------------------------------------------------------------ 2. messages

test('laplacian / hessianDiagonal of a non-scalar f: no hint of a hasAux option they refuse', () => {
  for (const [name, op] of [['laplacian', laplacian], ['hessianDiagonal', hessianDiagonal]] as const) {
    for (const run of [() => op((v: A) => v)(f64([1, 2])), () => jit(op((v: A) => v))(f64([1, 2])),
      () => op((v: A) => [np.sum(v), 1])(f64([1, 2]))]) {
      assert.throws(run, (e: unknown) => e instanceof ShapeError && new RegExp(`^${name}: .*must return a real scalar`).test(e.message) &&
        /takes no hasAux option/.test(e.message) && !/\{ hasAux: true \}/.test(e.message));
    }
    assert.throws(() => op((v: A) => np.sum(v), { hasAux: true } as never), (e: unknown) => e instanceof ValueError && /unknown option 'hasAux'/.test(e.message));
  }
  // still right where f is a scalar: Σ 6 x_i = 18 at [1, 2]; the diagonal 6 x = [6, 12]
  close(laplacian((v: A) => np.sum(np.power(v, 3)))(f64([1, 2])), [18]);
  close(jit(laplacian((v: A) => np.sum(np.power(v, 3))))(f64([1, 2])), [18]);
  close(hessianDiagonal((v: A) => np.sum(np.power(v, 3)))(f64([1, 2])) as A, [6, 12]);
  close(vmap(laplacian((v: A) => np.sum(np.power(v, 3))))(np.array([[1, 2], [3, 4]], { dtype: 'float64' })), [18, 42]);
});

test('divergence & co on complex: no hint of a holomorphic option they refuse', () => {
  const z = np.array([1, 2], { dtype: 'complex128' });
  const cases: [string, () => unknown][] = [
    ['divergence', () => divergence((v: A) => v)(z)], ['jacobianDiagonal', () => jacobianDiagonal((v: A) => v)(z)],
    ['laplacian', () => laplacian((v: A) => np.sum(v))(z)], ['hessianDiagonal', () => hessianDiagonal((v: A) => np.sum(v))(z)],
    ['divergence', () => divergence((v: A) => np.astype(v, 'complex128'))(f64([1, 2]))],
    ['laplacian', () => laplacian((v: A) => np.sum(np.astype(v, 'complex128')))(f64([1, 2]))],
  ];
  for (const [name, run] of cases) {
    assert.throws(run, (e: unknown) => e instanceof NonHolomorphicError && e.message.startsWith(`${name}: `) &&
      /takes no holomorphic option/.test(e.message) && !/unless \{ holomorphic: true \}/.test(e.message));
  }
  assert.throws(() => divergence((v: A) => v, { holomorphic: true } as never), /unknown option 'holomorphic'/);
});

test('customRoot: a wrong-shaped tangentSolve result names tangentSolve', () => {
  const bad = (c: A) => lax.customRoot((x: A) => np.subtract(np.square(x), c), f64(1), newton, (_g: unknown, y: A) => np.stack([y, y]));
  const msg = /^lax\.customRoot: tangentSolve's result leaf 0 is float64\[2\], expected float64\[\]/;
  assert.throws(() => grad(bad)(f64(4)), (e: unknown) => e instanceof ShapeError && msg.test(e.message));
  assert.throws(() => jit(grad(bad))(f64(4)), (e: unknown) => e instanceof ShapeError && msg.test(e.message));
  assert.throws(() => jvp(bad, [f64(4)], [f64(1)]), (e: unknown) => e instanceof ShapeError && msg.test(e.message));
  // customLinearSolve's transposeSolve is named too
  const lin = (b: A) => lax.customLinearSolve((v: A) => np.multiply(2, v), b, (_m: unknown, q: A) => np.divide(q, 2), (_m: unknown, q: A) => np.stack([q, q]));
  assert.throws(() => grad(lin)(f64(3)), (e: unknown) => e instanceof ShapeError && /^lax\.customLinearSolve: transposeSolve's result leaf 0 is float64\[2\]/.test(e.message));
});

// ------------------------------------------------------------ 3. np.copy, np.positive, np.fabs

test('np.copy: a new Array equal to x, its dtype kept', () => {
  const i = np.array([1, -2], { dtype: 'int32' });
  const c = np.copy(i);
  assert.notEqual(c, i);
  assert.equal(c.dtype, 'int32');
  assert.deepEqual(c.tolist(), [1, -2]);
  for (const d of ['bool', 'uint32', 'float64', 'complex64'] as const) assert.equal(np.copy(np.zeros([2], { dtype: d })).dtype, d);
  assert.equal(jit((x: A) => np.copy(x))(i).dtype, 'int32');
  assert.throws(() => (np.copy as (...a: unknown[]) => A)(i, 'C'), (e: unknown) => e instanceof ValueError && /^np\.copy: takes 1 argument/.test(e.message));
  // d/dx sum(copy(x) * x) = 2x
  close(grad((x: A) => np.sum(np.multiply(np.copy(x), x)))(f64([1, 2])), [2, 4]);
  checkGrads((x: A) => np.copy(x), [f64([0.3, -1.2])], { order: 2 });
});

test('np.positive: +x of its dtype; bool refused (numpy 2.4: no loop for bool)', () => {
  const i = np.array([1, -2], { dtype: 'int32' }), u = np.array([1, 254], { dtype: 'uint32' });
  // numpy 2.4: np.positive(int32 [1, -2]) = int32 [1, -2]
  assert.equal(np.positive(i).dtype, 'int32');
  assert.deepEqual(np.positive(i).tolist(), [1, -2]);
  assert.notEqual(np.positive(i), i);
  assert.deepEqual(np.positive(u).tolist(), [1, 254]);
  assert.equal(np.positive(u).dtype, 'uint32');
  assert.equal(np.positive(np.zeros([1], { dtype: 'complex128' })).dtype, 'complex128');
  assert.throws(() => np.positive(np.array([true, false])), (e: unknown) => e instanceof DTypeError && /^np\.positive: not defined for bool/.test(e.message));
  assert.throws(() => jit((x: A) => np.positive(x))(np.array([true])), DTypeError);
  close(grad((x: A) => np.sum(np.multiply(np.positive(x), x)))(f64([1, 2])), [2, 4]);
  checkGrads((x: A) => np.positive(x), [f64([0.3, -1.2])], { order: 2 });
});

test('np.fabs: |x| as a float (jnp: ints and bools to float32), complex refused', () => {
  // numpy 2.4: fabs(float32 [1.5, -2]) = [1.5, 2.] float32; ints go to float (jnp: float32)
  const f = np.fabs(np.array([1.5, -2], { dtype: 'float32' }));
  assert.equal(f.dtype, 'float32');
  assert.deepEqual(f.tolist(), [1.5, 2]);
  const i = np.fabs(np.array([1, -2], { dtype: 'int32' }));
  assert.equal(i.dtype, 'float32');
  assert.deepEqual(i.tolist(), [1, 2]);
  assert.deepEqual(np.fabs(np.array([true, false])).tolist(), [1, 0]);
  assert.equal(np.fabs(f64([-3])).dtype, 'float64');
  assert.deepEqual(np.fabs(f64([-0, -Infinity])).tolist(), [0, Infinity]);
  assert.ok(Object.is(vals(np.fabs(f64([-0])))[0], 0));
  assert.ok(Number.isNaN(vals(np.fabs(f64([NaN])))[0]));
  assert.deepEqual(jit((x: A) => np.fabs(x))(np.array([1, -2], { dtype: 'int32' })).tolist(), [1, 2]);
  assert.throws(() => np.fabs(np.zeros([1], { dtype: 'complex128' })), (e: unknown) => e instanceof DTypeError && /^np\.fabs: not defined for complex/.test(e.message));
  // abs's derivative (JAX's select(x >= 0, g, -g)): sign, and 1 at 0
  close(grad((x: A) => np.sum(np.fabs(x)))(f64([-1, 2, 0])), [-1, 1, 1]);
  checkGrads((x: A) => np.fabs(x), [f64([0.3, -1.2])], { order: 2 });
});

// ------------------------------------------------------------ 4. np.take fillValue range

test('np.take: an integer fillValue that does not fit the dtype is a ValueError, never saturated', () => {
  const u = np.array([5, 6], { dtype: 'uint32' }), i = np.array([5, 6], { dtype: 'int32' });
  const bad: [A, number][] = [[u, -1], [u, 2 ** 33], [u, 2 ** 32], [u, NaN], [u, Infinity], [i, 2 ** 31], [i, -(2 ** 31) - 1], [i, NaN]];
  for (const [x, fv] of bad) {
    assert.throws(() => np.take(x, [0, 5], { fillValue: fv }),
      (e: unknown) => e instanceof ValueError && new RegExp(`^np\\.take: fillValue ${fv} does not fit in the ${x.dtype}`).test(e.message), `${x.dtype} ${fv}`);
    assert.throws(() => jit((a: A, k: A) => np.take(a, k, { fillValue: fv }))(x, np.array([0, 5], { dtype: 'int32' })), ValueError);
  }
  // the ends fit (the integer part counts, as a JS number meeting an int array)
  assert.deepEqual(np.take(u, [0, 5], { fillValue: 2 ** 32 - 1 }).tolist(), [5, 4294967295]);
  assert.deepEqual(np.take(u, [0, 5], { fillValue: -0.5 }).tolist(), [5, 0]);
  assert.deepEqual(np.take(i, [0, 5], { fillValue: -(2 ** 31) }).tolist(), [5, -2147483648]);
  assert.deepEqual(np.take(i, [0, 5], { fillValue: 7.9 }).tolist(), [5, 7]);
  // floats take any number
  assert.deepEqual(np.take(f64([5, 6]), [0, 5], { fillValue: 2 ** 40 }).tolist(), [5, 2 ** 40]);
});
