// Probe BU: jit's tape optimizer (assembly/ad/optimize.ts: folding, x*1, x+(-0), x-(+0), neg-neg,
// converts, reshape/transpose chains, sum of a broadcast, CSE, loop twins) and fusion
// (assembly/ad/fuse.ts) must not change IEEE semantics: jit(f)(x) against f(x) bit for bit (zero
// signs compared with Object.is, NaN equal to NaN), and against numpy 2.4 / mpmath 1.3 literals
// (noted at each) where a value is pinned. One defect found, outside the optimizer (eager too):
// the JVP of floor/ceil/round/trunc/sign was a materialized t * 0, not JAX's symbolic zero
// (defjvp_zero), so x * sign(x) and friends differentiated to NaN at +-inf (fixed: zeroJvp).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, jit, grad, jvp, vmap, jacfwd, jacrev, hessian, linearize, lax, random, NDArray } from '../ts/index.ts';

type F = (...a: any[]) => any;
const show = (v: number | boolean) => (Object.is(v, -0) ? '-0' : String(v));
const vals = (a: NDArray): number[] => Array.from(a.dataSync() as ArrayLike<number>).map(Number);
function same(what: string, got: NDArray, want: NDArray): void {
  assert.equal(got.dtype, want.dtype, `${what}: dtype`);
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  const g = vals(got), w = vals(want);
  for (let i = 0; i < w.length; i++) {
    const ok = Object.is(g[i], w[i]) || (Number.isNaN(g[i]) && Number.isNaN(w[i]));
    assert.ok(ok, `${what}: element ${i}: jit ${show(g[i])} vs eager ${show(w[i])}`);
  }
}
function sameTree(what: string, got: any, want: any): void {
  if (Array.isArray(want)) {
    assert.equal(got.length, want.length, `${what}: outputs`);
    want.forEach((w, i) => sameTree(`${what}[${i}]`, got[i], w));
  } else same(what, got, want);
}
const vsEager = (what: string, f: F, ...args: any[]) => sameTree(what, jit(f)(...args), f(...args));
function lit(what: string, got: NDArray, want: number[], dtype?: string, shape?: number[]): void {
  if (dtype) assert.equal(got.dtype, dtype, `${what}: dtype`);
  if (shape) assert.deepEqual(got.shape, shape, `${what}: shape`);
  assert.deepEqual(vals(got).map(show), want.map(show), what);
}
const f32 = (v: any) => np.array(v, { dtype: 'float32' }), f64 = (v: any) => np.array(v, { dtype: 'float64' });
const i32 = (v: any) => np.array(v, { dtype: 'int32' }), u32 = (v: any) => np.array(v, { dtype: 'uint32' });
const SP = [0, -0, 1, -1, Infinity, -Infinity, NaN, 0.1, 3e38, 2];

test('identities and their look-alikes at inf, NaN, -0: jit equals eager and IEEE', () => {
  const cases: [string, F][] = [
    ['x*0', (x) => np.multiply(x, 0)], ['0*x', (x) => np.multiply(0, x)], ['x+0', (x) => np.add(x, 0)],
    ['0+x', (x) => np.add(0, x)], ['0-x', (x) => np.subtract(0, x)], ['-x', (x) => np.negative(x)],
    ['x-0', (x) => np.subtract(x, 0)], ['x/1', (x) => np.divide(x, 1)], ['x*ones', (x) => np.multiply(x, np.onesLike(x))],
    ['x+zeros', (x) => np.add(x, np.zerosLike(x))], ['x-zeros', (x) => np.subtract(x, np.zerosLike(x))],
    ['zeros-x', (x) => np.subtract(np.zerosLike(x), x)], ['x**1', (x) => np.power(x, 1)], ['x**0', (x) => np.power(x, 0)],
    ['x**2', (x) => np.power(x, 2)], ['x*x', (x) => np.multiply(x, x)], ['x+(-0)', (x) => np.add(x, np.full(x.shape, -0, { dtype: x.dtype }))],
    ['where NaN untaken', (x) => np.where(np.greater(x, 0), np.sqrt(x), np.log(x))],
    ['max/min', (x) => [np.maximum(x, np.negative(x)), np.minimum(x, 0), np.fmax(x, -0), np.fmin(np.flip(x), x)]],
  ];
  for (const dtype of ['float32', 'float64'] as const) {
    const x = np.array(SP, { dtype });
    for (const [name, f] of cases) vsEager(`${dtype} ${name}`, f, x);
  }
  const x = f32([Infinity, NaN, -0, 0]);
  // IEEE 754 / numpy: inf*0 = nan, nan*0 = nan, -0*0 = -0; -0+0 = +0; 0-(+0) = +0, 0-(-0) = +0; -(+0) = -0
  lit('x*0', jit((v: NDArray) => np.multiply(v, 0))(x), [NaN, NaN, -0, 0]);
  lit('x+0', jit((v: NDArray) => np.add(v, 0))(x), [Infinity, NaN, 0, 0]);
  lit('x-0', jit((v: NDArray) => np.subtract(v, 0))(x), [Infinity, NaN, -0, 0]);
  lit('0-x', jit((v: NDArray) => np.subtract(0, v))(x), [-Infinity, NaN, 0, 0]);
  lit('-x', jit((v: NDArray) => np.negative(v))(x), [-Infinity, NaN, 0, -0]);
  // numpy: np.maximum(nan, 1) = nan, np.fmax(1, nan) = 1
  lit('maximum NaN', jit((a: NDArray, b: NDArray) => np.maximum(a, b))(f32([NaN, 1]), f32([1, NaN])), [NaN, NaN]);
  lit('fmax NaN', jit((a: NDArray, b: NDArray) => np.fmax(a, b))(f32([NaN, 1]), f32([1, NaN])), [1, 1]);
  // a NaN's sign bit survives x*1, x+(-0), x-0 and f32->f64->f32 (numpy: np.signbit(-np.float32('nan')) = True)
  const nn = np.negative(f32([NaN]));
  for (const [name, f] of [['*1', (v: NDArray) => np.multiply(v, 1)], ['+(-0)', (v: NDArray) => np.add(v, -0)],
    ['-0', (v: NDArray) => np.subtract(v, 0)], ['cvt', (v: NDArray) => np.astype(np.astype(v, 'float64'), 'float32')]] as [string, F][]) {
    lit(`signbit(-nan ${name})`, jit((v: NDArray) => np.signbit(f(v)))(nn), [1]);
  }
});

test('folded constants are rounded per op in the program dtype, not reassociated or done in float64', () => {
  // numpy f32: (x + f32(0.1)) + f32(0.2) per op; x + f32(0.3) would give [1.2999999523, 1, 0]
  const chain = (x: NDArray) => np.add(np.add(x, 0.1), 0.2);
  const x = f32([1, 0.7, -0.3]);
  lit('(x+0.1)+0.2', jit(chain)(x), [1.3000000715255737, 1.0, -1.4901161193847656e-08]);
  vsEager('(x+0.1)+0.2', chain, x);
  // numpy: np.array([1,3],f32) * (f32(0.1)*f32(3) + f32(0.2)) = [0.5, 1.5]
  lit('f32 fold', jit((v: NDArray) => np.multiply(v, np.add(np.multiply(f32(0.1), f32(3)), f32(0.2))))(f32([1, 3])), [0.5, 1.5]);
  // numpy: f32(1.1)**7 = 1.9487173557281494; f32 [1.1,-0,-2,inf]**3 = [1.3310000896453857, -0, -8, inf]
  lit('pow fold', jit((v: NDArray) => np.multiply(v, np.power(f32(1.1), 7)))(f32([1])), [1.9487173557281494]);
  lit('pow int', jit((v: NDArray) => np.power(v, 3))(f32([1.1, -0, -2, Infinity])), [1.3310000896453857, -0, -8, Infinity]);
  // mpmath: exp(f32 0.3) rounds to f32 1.3498588800430298 (correctly rounded; numpy's SIMD exp is an
  // ulp low here), and log of that rounds to 0.30000007152557373
  lit('exp/log fold', jit((v: NDArray) => np.add(v, np.log(np.exp(f32(0.3)))))(f32([0])), [0.30000007152557373]);
  vsEager('exp/log fold', (v: NDArray) => np.add(v, np.log(np.exp(f32(0.3)))), f32([0]));
  // int32 wraps (numpy: int32 2147483647 + 1 = -2147483648), uint32 0 - 1 = 4294967295
  lit('i32 wrap', jit((v: NDArray) => np.add(v, np.add(i32(2147483647), i32(1))))(i32([0, 5])), [-2147483648, -2147483643], 'int32');
  lit('u32 wrap', jit((v: NDArray) => np.add(v, np.subtract(u32(0), u32(1))))(u32([0, 1])), [4294967295, 0], 'uint32');
  // numpy floor_divide/remainder with negative operands; by zero: jnp's compositions (README: 5 // 0 = -2)
  const a = i32([-7, 7, -7, 7, 5]), b = i32([2, -2, -2, 2, 0]);
  const fd = (v: NDArray) => [np.add(v, np.floorDivide(a, b)), np.add(v, np.remainder(a, b))];
  vsEager('int div/mod fold', fd, i32([0, 0, 0, 0, 0]));
  const [q, r] = jit(fd)(i32([0, 0, 0, 0, 0])) as NDArray[];
  assert.deepEqual(vals(q).slice(0, 4), [-4, -4, 3, 3]);
  assert.deepEqual(vals(r).slice(0, 4), [1, -1, -1, 1]);
});

test('convert chains are not identities: f64->f32->f64 rounds, f32->int32 truncates, bool collapses', () => {
  // numpy: [0.1, 1e300, 1e-320] f64 -> f32 -> f64 = [0.10000000149011612, inf, 0]
  lit('f64->f32->f64', jit((v: NDArray) => np.astype(np.astype(v, 'float32'), 'float64'))(f64([0.1, 1e300, 1e-320])), [0.10000000149011612, Infinity, 0], 'float64');
  // numpy: int32(16777217) -> f32 -> int32 = 16777216
  lit('i32->f32->i32', jit((v: NDArray) => np.astype(np.astype(v, 'float32'), 'int32'))(i32([16777217])), [16777216], 'int32');
  lit('f32->i32->f32', jit((v: NDArray) => np.astype(np.astype(v, 'int32'), 'float32'))(f32([1.7, -1.7])), [1, -1], 'float32');
  lit('f32->bool->f32', jit((v: NDArray) => np.astype(np.astype(v, 'bool'), 'float32'))(f32([0.5, -0, NaN, 0])), [1, 0, 1, 0]);
  const chains: [string, F, NDArray][] = [
    ['f32->i32->f32', (v) => np.astype(np.astype(v, 'int32'), 'float32'), f32([1.7, -1.7, 3e9, NaN, -0])],
    ['f32->u32->f32', (v) => np.astype(np.astype(v, 'uint32'), 'float32'), f32([5.5, 0, -1, 5e9])],
    ['i32->bool->i32', (v) => np.astype(np.astype(v, 'bool'), 'int32'), i32([5, 0, -1])],
    ['i32->u32->i32', (v) => np.astype(np.astype(v, 'uint32'), 'int32'), i32([5, 0, -1, -2147483648])],
    ['f32->f32', (v) => np.astype(np.astype(v, 'float32'), 'float32'), f32(SP)],
  ];
  for (const [name, f, x] of chains) vsEager(name, f, x);
});

test('CSE keeps apart rows that differ in an option, a dtype, a key or a small constant of the same bits', () => {
  const X = f32([[1, -2, 3], [4, 5, -6]]);
  const f = (x: NDArray) => [np.sum(x, { axis: 0 }), np.sum(x, { axis: 1 }), np.sum(x, { axis: 0, keepdims: true }),
    np.max(x, { axis: 0 }), np.max(x, { axis: 1 }), np.argmax(x, { axis: 0 }), np.argmax(x, { axis: 1 }),
    np.cumsum(x, { axis: 0 }), np.cumsum(x, { axis: 1 }), lax.cumsum(x, { axis: 1, reverse: true }),
    np.sort(x, { axis: 0 }), np.sort(x, { axis: 1 })];
  const out = jit(f)(X) as NDArray[];
  // numpy 2.4 on the same X
  const want = [[5, 3, -3], [2, 3], [5, 3, -3], [4, 5, 3], [3, 5], [1, 1, 0], [2, 1], [1, -2, 3, 5, 3, -3],
    [1, -1, 2, 4, 9, 3], [2, 1, 3, 3, -1, -6], [1, -2, -6, 4, 5, 3], [-2, 1, 3, -6, 4, 5]];
  want.forEach((w, i) => assert.deepEqual(vals(out[i]), w, `output ${i}`));
  assert.deepEqual(out[2].shape, [1, 3]);
  sameTree('options', out, f(X));
  // dtypes: equal fills and iotas of other dtypes, and constants with equal bytes (f32 1.0 = int32 1065353216)
  const g = (x: NDArray) => [np.ones([3], { dtype: 'int32' }), np.ones([3], { dtype: 'float32' }), np.ones([3], { dtype: 'uint32' }),
    np.ones([3], { dtype: 'bool' }), np.arange(3, { dtype: 'int32' }), np.add(x, np.arange(3, { dtype: 'float32' })),
    np.add(x, f32([1, 1, 1])), np.add(i32([1065353216, 1065353216, 1065353216]), i32([0, 0, 0])), np.astype(x, 'int32'), np.astype(x, 'uint32')];
  const go = jit(g)(f32([1.5, 2, 3])) as NDArray[];
  assert.deepEqual(go.map((a) => a.dtype), ['int32', 'float32', 'uint32', 'bool', 'int32', 'float32', 'float32', 'int32', 'int32', 'uint32']);
  assert.deepEqual(vals(go[6]), [2.5, 3, 4]);
  assert.deepEqual(vals(go[7]), [1065353216, 1065353216, 1065353216]);
  sameTree('dtypes', go, g(f32([1.5, 2, 3])));
  // random: the same key draws the same, other keys, dtypes and samplers do not merge
  const r = (k1: NDArray, k2: NDArray) => [random.normal(k1, [3]), random.normal(k2, [3]), random.uniform(k1, [3]),
    random.normal(k1, [3], 'float64'), random.normal(k1, [3])];
  const ro = jit(r)(random.key(0), random.key(1)) as NDArray[];
  sameTree('random', ro, r(random.key(0), random.key(1)));
  assert.notDeepEqual(vals(ro[0]), vals(ro[1]));
  assert.deepEqual(vals(ro[0]), vals(ro[4]));
  vsEager('split', (k: NDArray) => { const [a, b] = random.split(k); return [random.normal(a, [3]), random.normal(b, [3]), random.normal(k, [3])]; }, random.key(7));
});

test('loops and conds that differ only in a closed-over constant (small, large, resident), a bound or a dtype stay apart', () => {
  const A = np.array(Array.from({ length: 100 }, (_, i) => i * 0.01));
  const B = np.array(Array.from({ length: 100 }, (_, i) => i * 0.01 + (i === 57 ? 1 : 0)));
  const C = np.array(Array.from({ length: 20000 }, (_, i) => i * 0.01));
  const D = np.array(Array.from({ length: 20000 }, (_, i) => i * 0.01 + (i === 57 ? 1 : 0)));
  const fori = (K: NDArray) => (x: NDArray) => lax.foriLoop(0, 3, (_i: any, c: NDArray) => np.add(c, K), x);
  for (const [P, Q, n] of [[A, B, 100], [C, D, 20000]] as [NDArray, NDArray, number][]) {
    const [p, q] = jit((x: NDArray) => [fori(P)(x), fori(Q)(x)])(np.zeros([n])) as NDArray[];
    // numpy f32: c = 0; c += f32(0.57) three times = 1.7100000381469727; with f32(1.57): 4.710000038146973
    assert.deepEqual([vals(p)[57], vals(q)[57]], [1.7100000381469727, 4.710000038146973], `fori n=${n}`);
  }
  vsEager('scan consts', (x: NDArray) => [lax.scan((c: NDArray, s: NDArray) => [np.add(c, np.multiply(s, A)), c], x, np.ones([2, 100]))[0],
    lax.scan((c: NDArray, s: NDArray) => [np.add(c, np.multiply(s, B)), c], x, np.ones([2, 100]))[0]], np.zeros([100]));
  vsEager('cond consts', (p: NDArray, x: NDArray) => [lax.cond(p, (v: NDArray) => np.add(v, A), (v: NDArray) => v, x),
    lax.cond(p, (v: NDArray) => np.add(v, B), (v: NDArray) => v, x)], np.array(true, { dtype: 'bool' }), np.zeros([100]));
  const w = jit((x: NDArray) => [lax.whileLoop((c: NDArray) => np.less(c, 10), (c: NDArray) => np.add(c, 1.5), x),
    lax.whileLoop((c: NDArray) => np.less(c, 10), (c: NDArray) => np.add(c, 2.5), x),
    lax.whileLoop((c: NDArray) => np.less(c, 11), (c: NDArray) => np.add(c, 1.5), x)])(f32(0)) as NDArray[];
  assert.deepEqual(w.map((a) => a.item()), [10.5, 10, 12]);
  const d = jit((x: NDArray) => [lax.foriLoop(0, 3, (_i: any, c: NDArray) => np.add(c, 0.1), x),
    lax.foriLoop(0, 3, (_i: any, c: NDArray) => np.add(c, 0.1), np.astype(x, 'float64'))])(f32(0)) as NDArray[];
  // numpy: f32 0.1+0.1+0.1 = 0.30000001192092896; f64 = 0.30000000000000004
  assert.deepEqual(d.map((a) => a.item()), [0.30000001192092896, 0.30000000000000004]);
  const s = jit((x: NDArray) => [lax.scan((c: NDArray, v: NDArray) => [np.add(np.multiply(c, 2), v), c], x, f32([1, 2, 3]))[0],
    lax.scan((c: NDArray, v: NDArray) => [np.add(np.multiply(c, 2), v), c], x, f32([1, 2, 3]), { reverse: true })[0]])(f32(0)) as NDArray[];
  assert.deepEqual(s.map((a) => a.item()), [11, 17]); // ((0*2+1)*2+2)*2+3 = 11; reversed: ((0*2+3)*2+2)*2+1 = 17
});

test('transpose/reshape chains (non-inverse permutations, size-1 and size-0 dims) and sums of broadcasts', () => {
  const A = np.reshape(np.arange(24, { dtype: 'float32' }), [2, 3, 4]);
  // numpy: A.transpose(1,2,0).transpose(1,2,0)
  lit('t∘t non-inverse', jit((x: NDArray) => np.transpose(np.transpose(x, [1, 2, 0]), [1, 2, 0]))(A),
    [0, 4, 8, 12, 16, 20, 1, 5, 9, 13, 17, 21, 2, 6, 10, 14, 18, 22, 3, 7, 11, 15, 19, 23], 'float32', [4, 2, 3]);
  // numpy: A.transpose(2,0,1).transpose(0,2,1).transpose(1,0,2)
  lit('t∘t∘t', jit((x: NDArray) => np.transpose(np.transpose(np.transpose(x, [2, 0, 1]), [0, 2, 1]), [1, 0, 2]))(A),
    [0, 12, 1, 13, 2, 14, 3, 15, 4, 16, 5, 17, 6, 18, 7, 19, 8, 20, 9, 21, 10, 22, 11, 23], 'float32', [3, 4, 2]);
  lit('r∘r then T', jit((x: NDArray) => np.transpose(np.reshape(np.reshape(x, [6, 4]), [4, 6])))(A),
    [0, 6, 12, 18, 1, 7, 13, 19, 2, 8, 14, 20, 3, 9, 15, 21, 4, 10, 16, 22, 5, 11, 17, 23], 'float32', [6, 4]);
  vsEager('t∘t inverse', (x: NDArray) => np.transpose(np.transpose(x, [1, 2, 0]), [2, 0, 1]), A);
  vsEager('reshape via 1s', (x: NDArray) => np.reshape(np.reshape(x, [1, 24, 1]), [2, 12]), A);
  vsEager('reshape size 0', (x: NDArray) => np.sum(np.reshape(np.reshape(x, [0, 3]), [3, 0, 1]), { axis: 1 }), np.zeros([3, 0]));
  const X = f32([[1, -2, 3], [4, 5, -6]]);
  const sums: [string, F, NDArray][] = [
    ['axis -3', (x) => np.sum(np.broadcastTo(x, [3, 2, 3]), { axis: -3 }), X],
    ['axes [1,0]', (x) => np.sum(np.broadcastTo(x, [3, 1, 3]), { axis: [1, 0] }), f32([-0, 3e38, 0.1])],
    ['axes [-2,-3]', (x) => np.sum(np.broadcastTo(x, [3, 1, 3]), { axis: [-2, -3] }), f32([-0, 3e38, 0.1])],
    ['middle', (x) => np.sum(np.broadcastTo(np.reshape(x, [2, 1, 3]), [2, 3, 3]), { axis: 1 }), X],
    ['keepdims', (x) => np.sum(np.broadcastTo(x, [3, 2, 3]), { axis: 0, keepdims: true }), X],
    ['over an expanded axis', (x) => np.sum(np.broadcastTo(np.reshape(x, [1, 3]), [3, 3]), { axis: 0 }), f32([0.1, -0, 1e38])],
    ['int32 wraps', (x) => np.sum(np.broadcastTo(x, [3, 3]), { axis: 0 }), i32([2147483647, 5, -1])],
    ['mean', (x) => np.mean(np.broadcastTo(x, [3, 3]), { axis: 0 }), f32([0.1, 0.7, 1e38])],
    ['max', (x) => np.max(np.broadcastTo(x, [3, 3]), { axis: 0 }), f32([0.1, NaN, -0])],
    ['prod 3 and 2', (x) => [np.prod(np.broadcastTo(x, [3, 3]), { axis: 0 }), np.prod(np.broadcastTo(x, [2, 3]), { axis: 0 })], f32([0.1, NaN, -0])],
  ];
  for (const [name, f, x] of sums) vsEager(`sum of broadcast ${name}`, f, x);
  // numpy f32: broadcast_to([0.1,0.7,1e38],(3,3)).sum(0) = [0.30000001192092896, 2.0999999046325684, 3.0000000054977558e+38]
  lit('3 copies', jit((x: NDArray) => np.sum(np.broadcastTo(x, [3, 3]), { axis: 0 }))(f32([0.1, 0.7, 1e38])), [0.30000001192092896, 2.0999999046325684, 3.0000000054977558e+38]);
  lit('[-0,3e38,.1] axes [1,0]', jit(sums[1][1])(f32([-0, 3e38, 0.1])), [0, Infinity, 0.30000001192092896]);
  lit('int32', jit(sums[6][1])(i32([2147483647, 5, -1])), [2147483645, 15, -3], 'int32');
});

test('fused chains over sizes off the SIMD width and broadcasting shapes: eager bits; fused sums against float64 truth', () => {
  const pool = [0, -0, 0.5, -2.5, 3e9, NaN, Infinity, 1e-40, 7.3, -100, 0.1, -Infinity, 1e38];
  const data = (n: number) => Array.from({ length: n }, (_, i) => pool[(i * 7) % 13]);
  const chains: [string, F][] = [
    ['tanh/exp/sqrt', (x) => np.add(np.multiply(np.tanh(np.subtract(np.multiply(x, 1.5), 0.25)), np.exp(np.negative(np.abs(x)))), np.sqrt(np.abs(x)))],
    ['max/min', (x) => np.maximum(np.minimum(np.multiply(x, 2), 3), np.negative(np.multiply(x, 0)))],
    ['where', (x) => np.where(np.isnan(x), np.multiply(x, 0), np.log1p(np.abs(x)))],
    ['cvt', (x) => np.add(np.astype(np.astype(np.multiply(x, 1.0000001), 'float32'), x.dtype), 0)],
    ['sum', (x) => np.sum(np.nanToNum(np.square(np.subtract(x, 1))))],
    ['max', (x) => np.max(np.square(np.subtract(x, 1)))],
  ];
  for (const n of [1, 3, 5, 17, 513, 1023, 4099]) {
    for (const dtype of ['float32', 'float64'] as const) {
      const x = np.array(data(n), { dtype });
      for (const [name, f] of chains) vsEager(`${dtype} n=${n} ${name}`, f, x);
    }
  }
  for (const [r, c] of [[1, 1], [3, 5], [5, 3], [17, 31], [1023, 3], [3, 1023]]) {
    const x = np.reshape(f32(data(r * c)), [r, c]);
    const b = f32(Array.from({ length: c }, (_, i) => i * 0.37 - 1));
    const s = np.reshape(f32(Array.from({ length: r }, (_, i) => i * 0.11 + 0.5)), [r, 1]);
    vsEager(`[${r},${c}] bias`, (v: NDArray, w: NDArray) => np.tanh(np.add(np.multiply(v, 2), w)), x, b);
    vsEager(`[${r},${c}] row scale`, (v: NDArray, w: NDArray) => np.exp(np.multiply(np.subtract(v, 1), w)), x, s);
    vsEager(`[${r},${c}] outer`, (v: NDArray, w: NDArray) => np.sin(np.add(np.multiply(v, w), 1)), s, b);
    for (const axis of [0, 1]) {
      vsEager(`[${r},${c}] sum ${axis}`, (v: NDArray, w: NDArray) => np.sum(np.nanToNum(np.multiply(np.subtract(v, w), 0.5)), { axis }), x, b);
      vsEager(`[${r},${c}] max ${axis}`, (v: NDArray, w: NDArray) => np.max(np.multiply(np.subtract(v, w), 0.5), { axis }), x, b);
    }
  }
  // sum((x - b)^2 / 2 + exp(-|x|)) in float32, x = ((37 i) mod 101)/16 - 3, b = 0.25 j - 1 (exact in f32);
  // truth: the same in float64 by numpy 2.4 (the f32 inputs are exact; the f32 sum must be within 2e-6 rel)
  const X = (r: number, c: number) => np.reshape(f32(Array.from({ length: r * c }, (_, i) => ((i * 37) % 101) / 16 - 3)), [r, c]);
  const Bv = (c: number) => f32(Array.from({ length: c }, (_, j) => j * 0.25 - 1));
  const loss = (axis: number | undefined) => (x: NDArray, b: NDArray) =>
    np.sum(np.add(np.multiply(np.square(np.subtract(x, b)), 0.5), np.exp(np.negative(np.abs(x)))), axis === undefined ? {} : { axis });
  const truths: [number, number, number | undefined, number[]][] = [
    [1023, 3, 0, [2655.43221652, 2397.12576083, 2212.862539]],
    [3, 1023, 1, [10992197.2018, 10992120.8763, 10990585.1236]],
    [17, 31, 0, [45.6463271169, 35.8497036731, 34.4906400059, 34.1663507912, 32.9028969823, 32.6062972137, 33.8076023446, 33.9547877451, 40.5160869407, 51.3262732334, 55.5355531738, 60.8282508064, 65.1987214639, 71.1564758145, 77.9875308134, 83.7538006672, 108.496200165, 118.033931792, 126.653674819, 136.359957049, 170.630310087, 182.137376876, 194.588253867, 206.107025009, 249.607109085, 264.780626114, 279.015987724, 294.296116845, 311.104119105, 327.010405207, 343.882523186]],
    [64, 65, undefined, [152253.341035]],
  ];
  for (const [r, c, axis, want] of truths) {
    const x = X(r, c), b = Bv(c);
    const got = jit(loss(axis))(x, b);
    same(`fused sum [${r},${c}] axis ${axis}`, got, loss(axis)(x, b));
    vals(got).forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= 2e-6 * Math.abs(want[i]), `[${r},${c}] axis ${axis} [${i}]: ${g} vs ${want[i]}`));
  }
});

test('jit(grad), jit(vmap), jit(jacfwd/jacrev/hessian) and jit(jvp) of these patterns equal eager bit for bit', () => {
  const fs: [string, F][] = [
    ['x*0', (x) => np.multiply(x, 0)], ['x+0', (x) => np.add(x, 0)], ['0-x', (x) => np.subtract(0, x)],
    ['x*1', (x) => np.multiply(x, 1)], ['negneg', (x) => np.negative(np.negative(x))],
    ['where sqrt/log', (x) => np.where(np.greater(x, 0), np.sqrt(x), np.log(np.abs(x)))],
    ['max(x,0)', (x) => np.maximum(x, 0)], ['max(x,x)', (x) => np.maximum(x, x)], ['x**2', (x) => np.power(x, 2)],
    ['x**3', (x) => np.power(x, 3)], ['x**0', (x) => np.power(x, 0)], ['f32 round trip', (x) => np.astype(np.astype(x, 'float32'), 'float64')],
    ['bcast sum 3', (x) => np.sum(np.broadcastTo(x, [3, x.shape[0]]), { axis: 0 })], ['bcast sum 7', (x) => np.sum(np.broadcastTo(x, [7, x.shape[0]]), { axis: 0 })],
    ['transpose', (x) => np.reshape(np.transpose(np.reshape(x, [2, 5])), [10])], ['clip', (x) => np.clip(x, -1, 1)], ['x/x', (x) => np.divide(x, x)],
  ];
  for (const dtype of ['float32', 'float64'] as const) {
    const x = np.array(SP, { dtype });
    for (const [name, f] of fs) {
      const g = grad((v: NDArray) => np.sum(f(v)));
      same(`${dtype} grad ${name}`, jit(g)(x), g(x));
    }
  }
  const x = f64([Infinity, NaN, 0, -0, 1]);
  // JAX's rules: d(x*0)/dx = 0 even at inf/NaN (the cotangent 1 times the constant 0); max(x, 0) at 0
  // and -0 is a tie: 1/2; sqrt'(-0) = 0.5 / -0 = -inf; d(x^2)/dx at -0 = 2 * -0 = -0
  lit('grad x*0', jit(grad((v: NDArray) => np.sum(np.multiply(v, 0))))(x), [0, 0, 0, 0, 0]);
  lit('grad max(x,0)', jit(grad((v: NDArray) => np.sum(np.maximum(v, 0))))(x), [1, 0, 0.5, 0.5, 1]);
  lit('grad sqrt', jit(grad((v: NDArray) => np.sum(np.sqrt(v))))(x), [0, NaN, Infinity, -Infinity, 0.5]);
  lit('grad x**2', jit(grad((v: NDArray) => np.sum(np.power(v, 2))))(x), [Infinity, NaN, 0, -0, 2]);
  const X = f32([[0, -0, 1], [Infinity, NaN, -2], [0.1, 3e38, -0]]);
  const vs: [string, F][] = [
    ['bsum', (v) => np.sum(np.broadcastTo(v, [2, 3]), { axis: 0 })],
    ['t t', (v) => np.transpose(np.transpose(np.reshape(v, [1, 3, 1]), [2, 0, 1]), [1, 2, 0])],
    ['1/(x+0)', (v) => np.divide(1, np.add(v, 0))], ['x*1-0', (v) => np.subtract(np.multiply(v, 1), 0)],
  ];
  for (const [name, f] of vs) { vsEager(`vmap ${name}`, vmap(f), X); vsEager(`vmap axis 1 ${name}`, vmap(f, { inAxes: 1 }), X); }
  const h = (v: NDArray) => np.multiply(np.broadcastTo(v, [2, 3]), np.add(v, 0));
  const x3 = f32([0.5, -0, 2]);
  vsEager('jacfwd', jacfwd(h), x3);
  vsEager('jacrev', jacrev(h), x3);
  vsEager('hessian', hessian((v: NDArray) => np.sum(np.multiply(np.sin(np.multiply(v, 1)), np.add(np.broadcastTo(v, [3, 3]), -0)))), x3);
  vsEager('jvp inf tangent', (v: NDArray, t: NDArray) => jvp((u: NDArray) => np.multiply(np.sum(np.broadcastTo(u, [3, 3]), { axis: 0 }), 1), [v], [t])[1], x3, f32([Infinity, NaN, -0]));
  // loops read from their forward-mode twins
  const fl = (v: NDArray) => lax.foriLoop(0, 4, (_i: any, c: NDArray) => np.add(np.multiply(np.sin(c), 1), np.add(c, 0)), v);
  const xs = f32([0, -0, 1, Infinity, NaN, 0.3]), ts = f32([1, 1, -0, 1, 1, Infinity]);
  vsEager('jvp fori', (v: NDArray, t: NDArray) => jvp(fl, [v], [t]), xs, ts);
  vsEager('f and jacfwd', (v: NDArray) => [fl(v), jacfwd(fl)(v)], f32([0.3, -0, 1]));
  vsEager('grad fori', grad((v: NDArray) => np.sum(fl(v))), xs);
  vsEager('linearize fori', (v: NDArray, t: NDArray) => { const [y, lin] = linearize(fl, v); return [y, lin(t)]; }, xs, ts);
  const ws = (v: NDArray) => (lax.whileLoop((c: NDArray[]) => np.less(c[1], 3), (c: NDArray[]) => [np.multiply(np.cos(c[0]), 1.5), np.add(c[1], 1)], [v, i32(0)]) as NDArray[])[0];
  vsEager('f and jvp while', (v: NDArray, t: NDArray) => [ws(v), ...jvp(ws, [v], [t])], xs, ts);
});

test('donation with outputs the optimizer made equal to the argument (x*1, neg neg, x-0, reshape chains)', () => {
  for (const n of [3, 20000]) {
    const mk = () => np.array(Array.from({ length: n }, (_, i) => (i % 7) + 0.5));
    let r = jit((w: NDArray) => [np.multiply(w, 1), np.add(w, 1)], { donateArgnums: [0] })(mk()) as NDArray[];
    assert.deepEqual([vals(r[0])[1], vals(r[1])[1]], [1.5, 2.5], `n=${n} x*1`);
    r = jit((w: NDArray) => [np.add(w, 1), np.negative(np.negative(w))], { donateArgnums: [0] })(mk()) as NDArray[];
    assert.deepEqual([vals(r[0])[1], vals(r[1])[1]], [2.5, 1.5], `n=${n} neg neg`);
    r = jit((w: NDArray) => [np.subtract(w, 0), np.multiply(w, 2), np.reshape(np.reshape(w, [1, n]), [n])], { donateArgnums: [0] })(mk()) as NDArray[];
    assert.deepEqual(r.map((a) => vals(a)[1]), [1.5, 3, 1.5], `n=${n} x-0`);
    r = jit((w: NDArray, v: NDArray) => [np.add(w, v), np.add(w, v), np.add(np.multiply(v, 1), 0)], { donateArgnums: [0, 1] })(mk(), mk()) as NDArray[];
    assert.deepEqual(r.map((a) => vals(a)[1]), [3, 3, 1.5], `n=${n} CSE`);
  }
});

// JAX: floor, ceil, round, trunc and sign are defjvp_zero: their tangent is a symbolic Zero, so in
// d(x * sign(x)) = sign(x) dx + x * Zero the second term is never formed, and jvp(floor) gives 0
// for any tangent. The JVP was t * 0 (assembly/ad/rules/elementwise.ts zeroJvp), so x * 0 = NaN
// at x = +-inf and inf * 0 = NaN for an inf tangent, eagerly and under jit alike.
test('the JVP of sign/floor/round is a zero tangent, not t * 0: x * sign(x) differentiates to sign(x) at inf', () => {
  const x = f32([Infinity, 2, -Infinity]);
  // JAX: grad(lambda x: jnp.sum(jnp.sign(x) * x))([inf, 2, -inf]) = sign(x) = [1, 1, -1]
  lit('grad sign*x', grad((v: NDArray) => np.sum(np.multiply(np.sign(v), v)))(x), [1, 1, -1]);
  lit('jit grad sign*x', jit(grad((v: NDArray) => np.sum(np.multiply(np.sign(v), v))))(x), [1, 1, -1]);
  // JAX: grad(lambda x: jnp.sum(jnp.round(x) * x)) = round(x) = [inf, 2, -inf]
  lit('grad round*x', grad((v: NDArray) => np.sum(np.multiply(np.round(v), v)))(x), [Infinity, 2, -Infinity]);
  // JAX: jvp(jnp.floor, (x,), (t,)) tangent = zeros for any t, inf and NaN included
  lit('jvp floor', jvp((v: NDArray) => np.floor(v), [f32([1.5, 2, 3])], [f32([Infinity, NaN, 1])])[1], [0, 0, 0]);
  for (const op of [np.ceil, np.trunc, np.sign, np.round]) {
    lit(`jvp ${op.name}`, jvp((v: NDArray) => op(v), [f32([1.5, 2, 3])], [f32([Infinity, NaN, 1])])[1], [0, 0, 0]);
  }
  // JAX: grad(lambda x: jnp.sum(jnp.ceil(x) * x + jnp.trunc(x) * x)) at [-inf, inf] = ceil(x) + trunc(x)
  lit('grad ceil*x + trunc*x', grad((v: NDArray) => np.sum(np.add(np.multiply(np.ceil(v), v), np.multiply(np.trunc(v), v))))(f32([-Infinity, Infinity])),
    [-Infinity, Infinity]);
});
