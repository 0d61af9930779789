// Result dtypes against JAX's rules (issue 6). The expected table is written from JAX's
// documented type promotion (jax.numpy type promotion lattice: bool < float32 < float64; a
// Python scalar, here a JS number, is weakly typed and takes the other operand's float type,
// float32 when alone; a Python bool, here a JS boolean, is a strong bool) and from how jax.numpy
// defines each function: add/multiply of bools are or/and (bool), subtract and negative refuse
// bools, maximum/minimum/where/abs keep bool, comparisons give bool, divide and the
// transcendental functions promote to float (promote_args_inexact), dot of bools is bool.
// Where JAX answers int32 (sum of bools, power and square of bools), cotangent has no integer
// dtypes yet and answers float32: that deviation is listed in DEVIATIONS and in the README.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, DTypeError } from 'cotangent';

type Kind = 'b' | 'f32' | 'f64' | 'w' | 'B';
const make = (k: Kind): any => {
  switch (k) {
    case 'b': return np.array([true, false]);
    case 'f32': return np.array([1.5, 2]);
    case 'f64': return np.array([1.5, 2], { dtype: 'float64' });
    case 'w': return 2;
    case 'B': return true;
  }
};

/** JAX's binary promotion on this lattice (weak: a JS number). */
function promote(a: Kind, b: Kind): string {
  const strong = (k: Kind) => (k === 'B' ? 'b' : k);
  const rank: Record<string, number> = { b: 0, f32: 1, f64: 2 };
  if (a === 'w' && b === 'w') return 'float32';
  if (a === 'w' || b === 'w') {
    const s = strong(a === 'w' ? b : a);
    return s === 'b' ? 'float32' : s === 'f64' ? 'float64' : 'float32';
  }
  const r = Math.max(rank[strong(a)], rank[strong(b)]);
  return ['bool', 'float32', 'float64'][r];
}
const inexact = (d: string) => (d === 'bool' ? 'float32' : d);

const binaryFns: Record<string, (a: Kind, b: Kind) => string> = {
  add: promote, multiply: promote, maximum: promote, minimum: promote,
  subtract: (a, b) => (promote(a, b) === 'bool' ? 'error' : promote(a, b)),
  divide: (a, b) => inexact(promote(a, b)),
  power: (a, b) => (promote(a, b) === 'bool' ? 'int32' : promote(a, b)),
  less: () => 'bool', lessEqual: () => 'bool', greater: () => 'bool', greaterEqual: () => 'bool',
  equal: () => 'bool', notEqual: () => 'bool',
  where: promote,
  dot: promote, matmul: promote, inner: promote, vdot: promote, outer: promote,
};
const unaryFns: Record<string, (a: Kind) => string> = {
  exp: (a) => inexact(promote(a, a)), log: (a) => inexact(promote(a, a)), sin: (a) => inexact(promote(a, a)),
  cos: (a) => inexact(promote(a, a)), tan: (a) => inexact(promote(a, a)), tanh: (a) => inexact(promote(a, a)),
  sqrt: (a) => inexact(promote(a, a)), sigmoid: (a) => inexact(promote(a, a)), reciprocal: (a) => inexact(promote(a, a)),
  negative: (a) => (promote(a, a) === 'bool' ? 'error' : promote(a, a)),
  abs: (a) => promote(a, a),
  square: (a) => (promote(a, a) === 'bool' ? 'int32' : promote(a, a)),
  sum: (a) => (promote(a, a) === 'bool' ? 'int32' : promote(a, a)),
  mean: (a) => inexact(promote(a, a)),
  ravel: (a) => promote(a, a), transpose: (a) => promote(a, a), squeeze: (a) => promote(a, a),
};
/** Where JAX gives an integer dtype, cotangent (no integer dtypes yet) gives float32. */
const DEVIATIONS: Record<string, string> = { int32: 'float32' };

const call = (name: string, args: any[]): any => {
  if (name === 'where') return np.where(np.array([true, false]), args[0], args[1]);
  if (name === 'matmul' || name === 'dot' || name === 'inner' || name === 'vdot' || name === 'outer') {
    // Products need arrays of one length along the contraction; weak scalars go through dot/inner/outer only.
    return (np as any)[name](...args);
  }
  return (np as any)[name](...args);
};

test('binary functions: result dtypes follow JAX', () => {
  const kinds: Kind[] = ['b', 'f32', 'f64', 'w', 'B'];
  let checked = 0;
  for (const [name, rule] of Object.entries(binaryFns)) {
    for (const a of kinds) for (const b of kinds) {
      const arrayOnly = name === 'matmul' || name === 'vdot';
      if (arrayOnly && (a === 'w' || b === 'w' || a === 'B' || b === 'B')) continue;
      const want0 = rule(a, b);
      const want = DEVIATIONS[want0] ?? want0;
      const what = `np.${name}(${a}, ${b})`;
      if (want === 'error') { assert.throws(() => call(name, [make(a), make(b)]), DTypeError, what); checked++; continue; }
      assert.equal(call(name, [make(a), make(b)]).dtype, want, what);
      checked++;
    }
  }
  assert.ok(checked > 350, `${checked} cases`);
});

test('unary functions and reductions: result dtypes follow JAX', () => {
  for (const [name, rule] of Object.entries(unaryFns)) {
    for (const a of ['b', 'f32', 'f64', 'w', 'B'] as Kind[]) {
      const want0 = rule(a);
      const want = DEVIATIONS[want0] ?? want0;
      const what = `np.${name}(${a})`;
      if (want === 'error') { assert.throws(() => (np as any)[name](make(a)), DTypeError, what); continue; }
      assert.equal((np as any)[name](make(a)).dtype, want, what);
    }
  }
});

test('bool results have the logical values JAX gives', () => {
  const x = np.array([true, true, false, false]), y = np.array([true, false, true, false]);
  assert.deepEqual(np.add(x, y).tolist(), [true, true, true, false]);
  assert.deepEqual(np.multiply(x, y).tolist(), [true, false, false, false]);
  assert.deepEqual(np.maximum(x, y).tolist(), [true, true, true, false]);
  assert.deepEqual(np.minimum(x, y).tolist(), [true, false, false, false]);
  assert.deepEqual(np.dot(x, y).tolist(), true);
  assert.deepEqual(np.dot(np.array([false, true]), np.array([true, false])).tolist(), false);
  assert.deepEqual(np.matmul(np.array([[true, false], [false, false]]), np.array([[true], [true]])).tolist(), [[true], [false]]);
  assert.deepEqual(np.sum(x).item(), 2);
  assert.deepEqual(np.where(np.array([true, false]), true, false).tolist(), [true, false]);
  assert.equal(np.where(np.array([true, false]), true, false).dtype, 'bool');
  assert.deepEqual(np.less(x, y).tolist(), [false, false, true, false]);
});
