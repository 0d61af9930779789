// Probe of jit's optimizer (assembly/ad/optimize.ts) and fusion (assembly/ad/fuse.ts) for silent
// IEEE changes: jit(f)(x) against f(x) bit for bit, with the sign of a zero compared (Object.is;
// NaN equals NaN whatever its payload), at the values a careless rewrite gets wrong (inf, NaN, -0,
// INT_MIN, shift counts >= 32), and on shapes whose fused blocks start off the SIMD lanes. No
// defect was found; these guard the rewrites the README documents as exact. Literal references
// are from numpy 2.4 / IEEE 754 (noted at each).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, jit, grad, lax, random, NDArray } from '../ts/index.ts';

const show = (v: number | boolean) => (Object.is(v, -0) ? '-0' : String(v));
function same(what: string, got: NDArray, want: NDArray): void {
  assert.equal(got.dtype, want.dtype, `${what}: dtype`);
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  const g = Array.from(got.dataSync() as ArrayLike<number>), w = Array.from(want.dataSync() as ArrayLike<number>);
  for (let i = 0; i < w.length; i++) {
    const ok = Object.is(g[i], w[i]) || (Number.isNaN(g[i]) && Number.isNaN(w[i]));
    assert.ok(ok, `${what}: element ${i}: jit ${show(g[i])} vs eager ${show(w[i])}`);
  }
}
const vsEager = (what: string, f: (...a: NDArray[]) => NDArray, ...args: NDArray[]) => same(what, jit(f)(...args), f(...args));

const SPECIAL = [0, -0, 1, -1, Infinity, -Infinity, NaN, 1e308, -1e-310, 3.5];

test('identities at inf, NaN and -0: jit equals eager bit for bit, zero signs included', () => {
  const cases: [string, (v: NDArray) => NDArray][] = [
    ['x*0', (v) => np.multiply(v, 0)], ['x+0', (v) => np.add(v, 0)], ['x+(-0)', (v) => np.add(v, -0)],
    ['x-0', (v) => np.subtract(v, 0)], ['x-(-0)', (v) => np.subtract(v, -0)], ['0-x', (v) => np.subtract(0, v)],
    ['x*1', (v) => np.multiply(v, 1)], ['x/1', (v) => np.divide(v, 1)], ['x/x', (v) => np.divide(v, v)],
    ['x-x', (v) => np.subtract(v, v)], ['max(x,x)', (v) => np.maximum(v, v)], ['neg neg', (v) => np.negative(np.negative(v))],
    ['1/(x+0)', (v) => np.divide(1, np.add(v, 0))], ['1/(x-(-0))', (v) => np.divide(1, np.subtract(v, -0))],
    ['where equal branches', (v) => np.where(np.greater(v, 0), np.multiply(v, 2), np.multiply(v, 2))],
    ['f64->f32->f64', (v) => np.astype(np.astype(v, 'float32'), 'float64')],
  ];
  for (const dtype of ['float32', 'float64'] as const) {
    const x = np.array(SPECIAL, dtype);
    for (const [name, f] of cases) vsEager(`${dtype} ${name}`, f, x);
  }
  // IEEE: -0 + (+0) = +0, so 1/(x + 0) at x = -0 is +inf (numpy: 1/(np.float64(-0.0) + 0) = inf)
  assert.equal(jit((v: NDArray) => np.divide(1, np.add(v, 0)))(np.array([-0])).dataSync()[0], Infinity);
  // float64 -> float32 -> float64 is no identity: numpy np.float64(np.float32(0.1)) = 0.10000000149011612
  assert.equal(jit((v: NDArray) => np.astype(np.astype(v, 'float32'), 'float64'))(np.array([0.1])).dataSync()[0], 0.10000000149011612);
});

test('sum of a broadcast over 0 to 5 copies: eager bits, the empty sum +0 (numpy: np.sum(np.full((0, 3), -0.0), 0) = [0., 0., 0.])', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    const x = np.array(SPECIAL, dtype);
    for (const n of [0, 1, 2, 3, 4, 5]) vsEager(`${dtype} n=${n}`, (v) => np.sum(np.broadcastTo(v, [n, 10]), 0), x);
  }
  const z = jit((v: NDArray) => np.sum(np.broadcastTo(v, [0, 3]), 0))(np.array([-0, -1, NaN]));
  assert.deepEqual(Array.from(z.dataSync()).map(show), ['0', '0', '0']);
});

test('fused chains ending in a sum whose blocks start off the SIMD lanes (rows of 3 and 5, columns of 35): eager bits', () => {
  const vals = (n: number) => Array.from({ length: n }, (_, i) => [0, -0, 0.5, -2.5, 3e9, NaN, Infinity, 1e-310, 7.3, -100, 2147483647.5][(i * 7) % 11]);
  for (const [shape, axis] of [[[1000, 3], 1], [[1000, 5], 1], [[70, 35], 0]] as [number[], number][]) {
    for (const dtype of ['float32', 'float64'] as const) {
      const x = np.reshape(np.array(vals(shape[0] * shape[1]), dtype), shape);
      const tag = `${dtype}[${shape}] axis ${axis}`;
      vsEager(`${tag} int32`, (v) => np.sum(np.astype(np.astype(np.multiply(v, 1), 'int32'), dtype), { axis }), x);
      vsEager(`${tag} uint32`, (v) => np.sum(np.astype(np.astype(np.multiply(v, 1), 'uint32'), dtype), { axis }), x);
      vsEager(`${tag} round`, (v) => np.sum(np.nanToNum(np.round(np.multiply(v, 1))), { axis }), x);
      vsEager(`${tag} tanh`, (v) => np.sum(np.nanToNum(np.tanh(np.multiply(v, 1))), { axis }), x);
      vsEager(`${tag} -0`, (v) => np.sum(np.multiply(np.abs(v), -0), { axis }), x);
    }
  }
});

test('int32 wraparound, INT_MIN / -1, division by zero and uint32 shifts >= 32 in fused chains: eager bits', () => {
  const a = np.array([0, 1, -1, 2147483647, -2147483648, 46341, -7, 65536], 'int32');
  const b = np.array([0, 0, -1, -1, -1, 3, 2, 0], 'int32');
  vsEager('x*x+1', (v) => np.add(np.multiply(v, v), 1), a);
  vsEager('floorDivide', (v, w) => np.add(np.floorDivide(np.multiply(v, 1), w), 1), a, b);
  vsEager('remainder', (v, w) => np.add(np.remainder(np.add(v, 0), w), 1), a, b);
  vsEager('lax.div', (v, w) => np.add(lax.div(np.negative(np.negative(v)), w), 1), a, b);
  vsEager('lax.rem', (v, w) => np.add(lax.rem(np.negative(np.negative(v)), w), 1), a, b);
  const u = np.array([1, 4294967295, 2147483648, 7], 'uint32'), s = np.array([32, 33, 255, 4294967295], 'uint32');
  vsEager('shl', (v, w) => np.add(np.leftShift(np.add(v, 0), w), 1), u, s);
  vsEager('shr', (v, w) => np.add(np.rightShift(np.multiply(v, 1), w), 1), u, s);
  // numpy 2.4: np.left_shift(np.uint32(1), np.uint32(33)) = 0, and so on: every count here is >= 32
  assert.deepEqual(Array.from(jit((v: NDArray, w: NDArray) => np.leftShift(np.add(v, 0), w))(u, s).dataSync()), [0, 0, 0, 0]);
});

test('jit(grad) of a mask at inf, NaN and -0 equals grad bit for bit; CSE keeps draws of different keys apart', () => {
  const x = np.array(SPECIAL, 'float64');
  const masks: [string, (v: NDArray) => NDArray][] = [
    ['where(x > 0, x, 0)', (v) => np.where(np.greater(v, 0), v, 0)], ['relu', (v) => np.maximum(v, 0)],
    ['x*0', (v) => np.multiply(v, 0)], ['abs', (v) => np.abs(v)],
  ];
  for (const [name, f] of masks) {
    const g = grad((v: NDArray) => np.sum(f(v)));
    same(`grad ${name}`, jit(g)(x), g(x));
  }
  // d/dx where(x > 0, x, 0): 1 where x > 0, else 0 (NaN > 0 is false); the 0 branch's cotangent is +0
  const gw = jit(grad((v: NDArray) => np.sum(np.where(np.greater(v, 0), v, 0))))(x);
  assert.deepEqual(Array.from(gw.dataSync()).map(show), ['0', '0', '1', '0', '1', '0', '0', '1', '0', '1']);
  const k0 = random.key(0), k1 = random.key(1);
  const draws = jit((a: NDArray, b: NDArray) => [random.normal(a, [4]), random.normal(a, [4]), random.normal(b, [4])])(k0, k1) as NDArray[];
  same('same key', draws[0], draws[1]);
  same('eager draw', draws[2], random.normal(k1, [4]));
  assert.notDeepEqual(Array.from(draws[0].dataSync()), Array.from(draws[2].dataSync()));
});
