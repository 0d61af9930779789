// Result dtypes against JAX's rules (issues 6 and 7). The expected table is JAX's documented
// promotion table with 64-bit types off (bool < int32, uint32 < float32 < float64; int32 with
// uint32 is int32), weak JS numbers (an integral one is a weak int, any other a weak float;
// float32 when alone), a JS boolean a strong bool, and how jax.numpy defines each function:
// add/multiply of bools are or/and (bool), subtract and negative refuse bools,
// maximum/minimum/where/abs keep bool, comparisons give bool, divide and the transcendental
// functions promote to float (promote_args_inexact), dot of bools is bool.
// sum/prod/cumsum/cumprod of bools are int32 and of ints keep the int dtype (jnp's
// promote_integers with 64-bit types off); integer products (dot, matmul, ...) keep the int dtype.
// power computes bools as int32 (jnp's promote_args_numeric): bool ** bool is int32, and an
// integer power with an array exponent is JAX's integer loop. Deviations go in DEVIATIONS and the README.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, DTypeError } from 'cotangent';

type Kind = 'b' | 'i32' | 'u32' | 'f32' | 'f64' | 'w' | 'wf' | 'B';
const KINDS: Kind[] = ['b', 'i32', 'u32', 'f32', 'f64', 'w', 'wf', 'B'];
const make = (k: Kind): any => {
  switch (k) {
    case 'b': return np.array([true, false]);
    case 'i32': return np.array([3, -2], { dtype: 'int32' });
    case 'u32': return np.array([3, 2], { dtype: 'uint32' });
    case 'f32': return np.array([1.5, 2]);
    case 'f64': return np.array([1.5, 2], { dtype: 'float64' });
    case 'w': return 2;      // an integral JS number: a weak int
    case 'wf': return 1.5;   // any other JS number: a weak float
    case 'B': return true;
  }
};

/**
 * JAX's promotion table with 64-bit types off (jnp.promote_types; int32 with uint32 is int64,
 * canonicalized to int32), written out as the table, not computed by the library's lattice.
 * Weak types: a weak int takes the other operand's dtype (int32 with a bool), a weak float takes
 * a float operand's dtype and makes bool/int float32. Two weak operands: float32 (cotangent's
 * rule: JS numbers default to float32; JAX would give int32 for two Python ints).
 */
const TABLE: Record<string, Record<string, string>> = {
  b: { b: 'bool', i32: 'int32', u32: 'uint32', f32: 'float32', f64: 'float64' },
  i32: { b: 'int32', i32: 'int32', u32: 'int32', f32: 'float32', f64: 'float64' },
  u32: { b: 'uint32', i32: 'int32', u32: 'uint32', f32: 'float32', f64: 'float64' },
  f32: { b: 'float32', i32: 'float32', u32: 'float32', f32: 'float32', f64: 'float64' },
  f64: { b: 'float64', i32: 'float64', u32: 'float64', f32: 'float64', f64: 'float64' },
};
function promote(a: Kind, b: Kind): string {
  const strong = (k: Kind) => (k === 'B' ? 'b' : k);
  const weak = (k: Kind) => k === 'w' || k === 'wf';
  if (weak(a) && weak(b)) return 'float32';
  if (weak(a) || weak(b)) {
    const w = weak(a) ? a : b, s = strong(weak(a) ? b : a);
    if (w === 'w') return s === 'b' ? 'int32' : TABLE[s][s];
    return s === 'f64' ? 'float64' : 'float32';
  }
  return TABLE[strong(a)][strong(b)];
}
const inexact = (d: string) => (d === 'float32' || d === 'float64' ? d : 'float32');

const binaryFns: Record<string, (a: Kind, b: Kind) => string> = {
  add: promote, multiply: promote, maximum: promote, minimum: promote,
  subtract: (a, b) => (promote(a, b) === 'bool' ? 'error' : promote(a, b)),
  divide: (a, b) => inexact(promote(a, b)),
  // jnp.power: bools compute as int32 (bool ** bool, bool ** True are int32).
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
  expm1: (a) => inexact(promote(a, a)), log1p: (a) => inexact(promote(a, a)), erf: (a) => inexact(promote(a, a)),
  lgamma: (a) => inexact(promote(a, a)), arctan: (a) => inexact(promote(a, a)), cbrt: (a) => inexact(promote(a, a)),
  negative: (a) => (promote(a, a) === 'bool' ? 'error' : promote(a, a)),
  abs: (a) => promote(a, a), sign: (a) => (promote(a, a) === 'bool' ? 'error' : promote(a, a)), // numpy and JAX refuse sign of bool
  floor: (a) => promote(a, a), round: (a) => promote(a, a),
  square: (a) => (promote(a, a) === 'bool' ? 'int32' : promote(a, a)),
  sum: (a) => (promote(a, a) === 'bool' ? 'int32' : promote(a, a)),
  prod: (a) => (promote(a, a) === 'bool' ? 'int32' : promote(a, a)),
  cumsum: (a) => (promote(a, a) === 'bool' ? 'int32' : promote(a, a)),
  cumprod: (a) => (promote(a, a) === 'bool' ? 'int32' : promote(a, a)),
  cummax: (a) => (promote(a, a) === 'bool' ? 'int32' : promote(a, a)),
  mean: (a) => inexact(promote(a, a)),
  ravel: (a) => promote(a, a), transpose: (a) => promote(a, a), squeeze: (a) => promote(a, a),
};
/** Where cotangent's result dtype differs from JAX's (none among these functions today). */
const DEVIATIONS: Record<string, string> = {};

const call = (name: string, args: any[]): any => {
  if (name === 'where') return np.where(np.array([true, false]), args[0], args[1]);
  if (name === 'matmul' || name === 'dot' || name === 'inner' || name === 'vdot' || name === 'outer') {
    // Products need arrays of one length along the contraction; weak scalars go through dot/inner/outer only.
    return (np as any)[name](...args);
  }
  return (np as any)[name](...args);
};

test('binary functions: result dtypes follow JAX', () => {
  let checked = 0;
  for (const [name, rule] of Object.entries(binaryFns)) {
    for (const a of KINDS) for (const b of KINDS) {
      const arrayOnly = name === 'matmul' || name === 'vdot';
      const weakOrB = (k: Kind) => k === 'w' || k === 'wf' || k === 'B';
      if (arrayOnly && (weakOrB(a) || weakOrB(b))) continue;
      const want0 = rule(a, b);
      const want = DEVIATIONS[`${name}(${a},${b})`] ?? want0;
      const what = `np.${name}(${a}, ${b})`;
      if (want === 'error') { assert.throws(() => call(name, [make(a), make(b)]), DTypeError, what); checked++; continue; }
      assert.equal(call(name, [make(a), make(b)]).dtype, want, what);
      checked++;
    }
  }
  assert.ok(checked > 900, `${checked} cases`);
});

test('unary functions and reductions: result dtypes follow JAX', () => {
  for (const [name, rule] of Object.entries(unaryFns)) {
    for (const a of KINDS) {
      const want0 = rule(a);
      const want = DEVIATIONS[`${name}(${a})`] ?? want0;
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
  assert.equal(np.sum(x).dtype, 'int32');
  assert.equal(np.mean(x).dtype, 'float32');
  assert.equal(np.mean(x).item(), 0.5);
  assert.deepEqual(np.where(np.array([true, false]), true, false).tolist(), [true, false]);
  assert.equal(np.where(np.array([true, false]), true, false).dtype, 'bool');
  assert.deepEqual(np.less(x, y).tolist(), [false, false, true, false]);
});

test('a nested JS list beside an Array promotes as its numbers do (weakly), as JAX reads a list of Python ints as int32', async () => {
  const { jit, vmap, ValueError } = await import('cotangent');
  const i32 = np.array([16777217, 5], { dtype: 'int32' });
  // a float32 list made these float32 and rounded 16777217 to 16777216
  const cases: [string, () => any, string, unknown][] = [
    ['add', () => np.add(i32, [0, 0]), 'int32', [16777217, 5]],
    ['maximum', () => np.maximum(i32, [16777218, 0]), 'int32', [16777218, 5]],
    ['where', () => np.where(np.array([true, false]), i32, [0, 16777219]), 'int32', [16777217, 16777219]],
    ['bool + ints', () => np.add(np.array([true, false]), [1, 2]), 'int32', [2, 2]],
    ['bitwiseAnd', () => np.bitwiseAnd(i32, [1, 3]), 'int32', [1, 1]],
    ['uint32', () => np.add(np.array([4294967295, 1], { dtype: 'uint32' }), [0, 1]), 'uint32', [4294967295, 2]],
    ['a non-integer makes it a weak float', () => np.add(i32, [0.5, 0]), 'float32', [16777216, 5]],
    ['beside float64', () => np.add(np.array([1], { dtype: 'float64' }), [0.1]), 'float64', [1.1]],
    ['beside float32', () => np.add(np.array([1]), [2]), 'float32', [3]],
    ['lists alone: float32, as np.array reads them', () => np.add([1], [2]), 'float32', [3]],
    ['isin: -1 is in no uint32', () => np.isin(np.array([1, 2], { dtype: 'uint32' }), [-1, 2]), 'bool', [false, true]],
    ['booleans among ints count as 0 and 1', () => np.add(i32, [1, true]), 'int32', [16777218, 6]],
    ['booleans among floats', () => np.add(i32, [1.5, true]), 'float32', [16777218, 6]],
  ];
  for (const [what, f, dtype, values] of cases) {
    const r = f();
    assert.equal(r.dtype, dtype, what);
    assert.deepEqual(r.tolist(), values, what);
  }
  // the same under jit and vmap (the list a constant of the program)
  assert.deepEqual(jit((x: any) => np.add(x, [0, 0]))(i32).tolist(), [16777217, 5]);
  assert.equal(jit((x: any) => np.add(x, [0, 0]))(i32).dtype, 'int32');
  assert.deepEqual(vmap((x: any) => np.add(x, [1, 2]))(np.array([[16777217, 0], [1, 1]], { dtype: 'int32' })).tolist(), [[16777218, 2], [2, 3]]);
  // a list value the integer dtype cannot hold is refused, as a JS number is (JAX: OverflowError)
  assert.throws(() => np.add(i32, [2 ** 31, 0]), ValueError);
  assert.throws(() => np.add(np.array([1, 2], { dtype: 'uint32' }), [-1, 0]), ValueError);
  assert.throws(() => np.add(i32, 2 ** 31), ValueError);
});
