// The jax.lax functions of ts/api/lax_more.ts and numpy's bit functions of ts/api/np_bits.ts
// against references computed here (float64 loops, index maps, JS sorts, bit patterns read with
// typed-array views): values, errors, jit against eager, vmap against the loop, and derivatives
// (checkGrads against finite differences, and closed forms).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, grad, jvp, vmap, jit, checkGrads, ValueError, DTypeError, ShapeError, AxisError, NotImplementedError, type Array as NDArray } from '../ts/index.ts';

const F64 = (v: unknown) => np.array(v as number[], { dtype: 'float64' });
const F32 = (v: unknown) => np.array(v as number[], { dtype: 'float32' });
const I32 = (v: unknown) => np.array(v as number[], { dtype: 'int32' });
const eq = (a: NDArray, want: unknown, what: string) => assert.deepEqual(a.tolist(), want, what);
const flat = (a: NDArray) => (a.ndim === 0 ? [a.item() as number] : (a.tolist() as unknown[]).flat(Infinity) as number[]);
/** Bitwise equality of two results (NaNs and signed zeros included), shapes and dtypes too. */
function same(a: NDArray, b: NDArray, what: string) {
  assert.deepEqual(a.shape, b.shape, `${what}: shape`);
  assert.equal(a.dtype, b.dtype, `${what}: dtype`);
  flat(a).forEach((v, i) => assert.ok(Object.is(v, flat(b)[i]), `${what}: element ${i}: ${v} vs ${flat(b)[i]}`));
}
/** vmap(f) over axis 0 equals the loop of f over the rows (bit for bit). */
function vmapMatches(f: (x: NDArray) => NDArray, xs: NDArray, what: string) {
  const got = vmap(f)(xs) as NDArray;
  const rows = Array.from({ length: xs.shape[0] }, (_, b) => f(xs.get(b)));
  same(got, np.stack(rows), `${what}: vmap vs loop`);
}
const jitMatches = (f: (...a: NDArray[]) => NDArray, args: NDArray[], what: string) => same(jit(f)(...args) as NDArray, f(...args), `${what}: jit vs eager`);

// ---------------------------------------------------------------- clamp

test('lax.clamp(min, x, max): values, scalar or full bounds, JAX\'s derivatives (none at ties), jit, vmap', () => {
  const xs = [-2, -1, -0.5, 0.3, 1, 4, NaN];
  const x = F64(xs);
  eq(lax.clamp(-1, x, 1), xs.map((v) => (Number.isNaN(v) ? NaN : Math.min(Math.max(v, -1), 1))), 'JS scalar bounds');
  eq(lax.clamp(F64(-1).reshape([]), x, F64(1).reshape([])), lax.clamp(-1, x, 1).tolist(), '0-d bounds');
  const lo = F64([0, 0, 0, 0, 2, 0, 0]), hi = F64([1, 1, 1, 1, 3, 5, 1]);
  eq(lax.clamp(lo, x, hi), [0, 0, 0, 0.3, 2, 4, NaN], 'full bounds');
  eq(lax.clamp(0, I32([-3, 2, 9]), 5), [0, 2, 5], 'int32');
  // d/dx: 1 strictly inside; at the ties x = -1 and x = 1 none (JAX's select on strict comparisons)
  eq(grad((v: NDArray) => np.sum(lax.clamp(-1, v, 1)))(F64([-2, -1, -0.5, 0.3, 1, 4])), [0, 0, 1, 1, 0, 0], 'grad x');
  const gMin = grad((m: NDArray) => np.sum(lax.clamp(m, F64([-2, -1, -0.5, 0.3, 1, 4]), np.array(1, 'float64'))))(np.array(-1, 'float64'));
  eq(gMin, 1, 'grad min: the one position strictly below it');
  const gMax = grad((m: NDArray) => np.sum(lax.clamp(np.array(-1, 'float64'), F64([-2, -1, -0.5, 0.3, 1, 4]), m)))(np.array(1, 'float64'));
  eq(gMax, 1, 'grad max: the one position strictly above it');
  checkGrads((m: NDArray, v: NDArray, M: NDArray) => lax.clamp(m, v, M), [F64([-0.5, 0.1, 0.2]), F64([-1, 0.3, 0.9]), F64([0.5, 0.6, 0.7])], { order: 2 });
  jitMatches((v: NDArray) => lax.clamp(-1, v, 1), [x], 'clamp');
  vmapMatches((v: NDArray) => lax.clamp(-1, v, 1), F64([[-2, 0.5], [3, -0.25]]), 'clamp');
  assert.throws(() => lax.clamp(F64([0, 0]), F64([1, 2, 3]), 1), (e: unknown) => e instanceof ShapeError && /min must be a scalar or have x's shape.*float64\[2\].*float64\[3\]/.test((e as Error).message));
  assert.throws(() => lax.clamp(F32(0).reshape([]), F64([1]), 1), DTypeError);
});

// ---------------------------------------------------------------- pad

/** The padded 1-d list, by the index map out[j] = x[(j - lo) / (k + 1)] where that is a whole index in range, else the fill. */
function padRef1(xs: number[], pv: number, [lo, hi, k]: number[]): number[] {
  const n = xs.length, m = n === 0 ? 0 : n + (n - 1) * k, out: number[] = [];
  for (let j = 0; j < lo + m + hi; j++) {
    const p = j - lo;
    out.push(p >= 0 && p < m && p % (k + 1) === 0 ? xs[p / (k + 1)] : pv);
  }
  return out;
}

test('lax.pad: lo/hi/interior per axis, negative lo/hi crop, the index map; gradients in x and in the padding value', () => {
  const xs = [1, 2, 3, 4];
  for (const cfg of [[1, 2, 0], [0, 0, 2], [2, 1, 1], [-1, 0, 1], [-2, -3, 2], [0, -4, 1], [-7, 2, 1], [3, -1, 0]]) {
    eq(lax.pad(F64(xs), 9, [cfg as [number, number, number]]), padRef1(xs, 9, cfg), `config ${cfg}`);
  }
  // 2-d: axis by axis (rows, then columns)
  const m = [[1, 2, 3], [4, 5, 6]], cfg2 = [[1, -1, 1], [-1, 2, 2]] as [number, number, number][];
  const rowsPadded = padRef1([0, 1], -1, cfg2[0]).map((r) => (r === -1 ? [-1, -1, -1] : m[r]));
  const want = rowsPadded.map((row) => padRef1(row, -1, cfg2[1]));
  eq(lax.pad(F64(m), np.array(-1, 'float64'), cfg2), want, '2-d');
  eq(lax.pad(I32([1, 2]), 0, [[1, 0, 1]]), [0, 1, 0, 2], 'int32');
  eq(lax.pad(np.array([true, false]), false, [[0, 1, 1]]), [true, false, false, false], 'bool');
  // x's gradient: 1 where an element survives the crop; the value's: the count of filled positions
  const cfg: [number, number, number][] = [[-2, 1, 2]];
  const gx = grad((v: NDArray) => np.sum(lax.pad(v, 0, cfg)))(F64(xs));
  const kept = xs.map((_, i) => (padRef1(xs.map((__, j) => (j === i ? 1 : 0)), 0, cfg[0]).includes(1) ? 1 : 0));
  eq(gx, kept, 'grad x (cropped elements get 0)');
  const gp = grad((p: NDArray) => np.sum(lax.pad(F64(xs), p, cfg)))(np.array(0.5, 'float64'));
  eq(gp, padRef1(xs.map(() => 0), 1, cfg[0]).reduce((s, v) => s + v, 0), 'grad of the padding value: its count');
  checkGrads((v: NDArray, p: NDArray) => np.sin(lax.pad(v, p, [[1, -1, 1], [0, 2, 1]])), [F64([[0.1, 0.2], [0.3, 0.4]]), np.array(0.7, 'float64')], { order: 2 });
  jitMatches((v: NDArray, p: NDArray) => lax.pad(v, p, [[2, -1, 1]]), [F64(xs), np.array(5, 'float64')], 'pad');
  vmapMatches((v: NDArray) => lax.pad(v, 0, [[-1, 2, 1]]), F64([[1, 2, 3], [4, 5, 6]]), 'pad');
  assert.throws(() => lax.pad(F64(xs), 0, [[0, 0, -1]]), (e: unknown) => e instanceof ValueError && /interior/.test((e as Error).message));
  assert.throws(() => lax.pad(F64(xs), 0, [[-3, -2, 0]]), (e: unknown) => e instanceof ValueError && /not at least 0.*\[-1\]/.test((e as Error).message));
  assert.throws(() => lax.pad(F64(xs), F32(0).reshape([]), [[0, 0, 0]]), DTypeError);
  assert.throws(() => lax.pad(F64(xs), 0, [[0, 0]] as never), ValueError);
});

// ---------------------------------------------------------------- rev, expandDims, squeeze

test('lax.rev, lax.expandDims, lax.squeeze: values, shapes, JAX\'s errors; rev under grad, jit, vmap', () => {
  const m = [[1, 2, 3], [4, 5, 6]];
  eq(lax.rev(F64(m), [1]), m.map((r) => [...r].reverse()), 'rev axis 1');
  eq(lax.rev(F64(m), [0, 1]), [...m].reverse().map((r) => [...r].reverse()), 'rev both');
  eq(lax.rev(F64(m), []), m, 'rev none');
  assert.throws(() => lax.rev(F64(m), [0, 0]), /unique/);
  assert.throws(() => lax.rev(F64(m), [2]), AxisError);
  eq(grad((v: NDArray) => np.sum(np.multiply(lax.rev(v, [0]), F64([1, 2, 3]))))(F64([0, 0, 0])), [3, 2, 1], 'grad of rev');
  jitMatches((v: NDArray) => lax.rev(v, [1]), [F64(m)], 'rev');
  vmapMatches((v: NDArray) => lax.rev(v, [0]), F64(m), 'rev');
  assert.deepEqual(lax.expandDims(np.ones([2, 3]), [0, -1]).shape, [1, 2, 3, 1]);
  assert.deepEqual(lax.expandDims(np.ones([2, 3]), [1, 3]).shape, [2, 1, 3, 1]);
  eq(lax.expandDims(F64([1, 2]), [0]), [[1, 2]], 'values kept');
  assert.throws(() => lax.expandDims(np.ones([2]), [0, -3]), /repeated axis/);
  assert.throws(() => lax.expandDims(np.ones([2]), [3]), AxisError);
  assert.deepEqual(lax.squeeze(np.ones([1, 3, 1]), [0, -1]).shape, [3]);
  assert.deepEqual(lax.squeeze(np.ones([1, 3, 1]), []).shape, [1, 3, 1]);
  assert.throws(() => lax.squeeze(np.ones([2, 3]), [0]), (e: unknown) => e instanceof ShapeError && /axis 0 of float32\[2,3\] has size 2/.test((e as Error).message));
  assert.throws(() => lax.squeeze(np.ones([1, 3]), [0, 0]), /not unique/);
  vmapMatches((v: NDArray) => lax.squeeze(lax.expandDims(v, [0, 2]), [0]), F64(m), 'expandDims/squeeze');
});

// ---------------------------------------------------------------- sort

/** JAX's order: NaNs last, -0 and 0 equal (a stable JS sort keeps their order). */
const cmp = (a: number, b: number) => (Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : Number.isNaN(b) ? -1 : a < b ? -1 : a > b ? 1 : 0);

test('lax.sort: one operand (NaNs last, -0 and 0 stable), several with numKeys (lexicographic, stable), dimension; grad, jit, vmap', () => {
  const xs = [3, NaN, 1, -0, 0, 2, -Infinity, 1];
  const got = flat(lax.sort(F64(xs)) as NDArray), want = [...xs].sort(cmp);
  want.forEach((v, i) => assert.ok(Object.is(got[i], v), `sorted ${i}: ${got[i]} vs ${v}`));
  const k0 = [1, 0, 1, 0, 1, 0], k1 = [4, 3, 4, 1, 2, 3], v = [10, 11, 12, 13, 14, 15];
  const order = [0, 1, 2, 3, 4, 5].sort((i, j) => cmp(k0[i], k0[j]) || cmp(k1[i], k1[j]));
  const outs = lax.sort([F64(k0), F64(k1), I32(v)], { numKeys: 2 }) as NDArray[];
  assert.equal(outs.length, 3);
  eq(outs[2], order.map((i) => v[i]), 'payload by two keys');
  const one = lax.sort([F64(k0), I32(v)]) as NDArray[];
  eq(one[1], [0, 1, 2, 3, 4, 5].sort((i, j) => cmp(k0[i], k0[j])).map((i) => v[i]), 'numKeys 1: stable by the first key only');
  const m = [[3, 1, 2], [0, 5, -1]];
  eq(lax.sort(F64(m), { dimension: 0 }) as NDArray, [[0, 1, -1], [3, 5, 2]], 'dimension 0');
  eq(lax.sort(F64(m)) as NDArray, m.map((r) => [...r].sort(cmp)), 'dimension -1 (default)');
  eq(lax.sort(np.array([true, false, true])) as NDArray, [false, true, true], 'bool');
  // d/dx sum(w * sort(x)) = w at each element's rank
  const x = F64([0.3, -1, 2, 0.1]), w = [1, 2, 3, 4];
  const rank = [0.3, -1, 2, 0.1].map((a) => [0.3, -1, 2, 0.1].filter((b) => b < a).length);
  eq(grad((a: NDArray) => np.sum(np.multiply(lax.sort(a) as NDArray, F64(w))))(x), rank.map((r) => w[r]), 'grad through the permutation');
  checkGrads((a: NDArray, b: NDArray) => (lax.sort([a, b]) as NDArray[])[1], [x, F64([1, 2, 3, 4])], { order: 2 });
  jitMatches((a: NDArray, b: NDArray) => (lax.sort([a, b], { numKeys: 2 }) as NDArray[])[1], [F64(k0), F64(k1)], 'sort');
  vmapMatches((a: NDArray) => lax.sort(a) as NDArray, F64([[3, NaN, 1], [2, -0, 0]]), 'sort');
  assert.throws(() => lax.sort([F64([1, 2]), F64([1, 2, 3])]), ShapeError);
  assert.throws(() => lax.sort([F64([1, 2])], { numKeys: 2 }), /numKeys/);
});

// ---------------------------------------------------------------- cumulative reductions

test('lax.cumsum/cumprod/cummax/cummin/cumlogsumexp: JAX\'s default axis 0, reverse; float64 loops; int32; grads, jit, vmap', () => {
  const m = [[1, -2, 3], [0.5, 4, -1], [2, 2, 0.25]];
  const along0 = (f: (acc: number, v: number) => number, rev = false) => {
    const rows = rev ? [...m].reverse() : m;
    const out: number[][] = [];
    rows.forEach((r, i) => out.push(i === 0 ? [...r] : r.map((v, j) => f(out[i - 1][j], v))));
    return rev ? out.reverse() : out;
  };
  const lse = (a: number, b: number) => { const h = Math.max(a, b); return h + Math.log(Math.exp(a - h) + Math.exp(b - h)); };
  const close = (a: NDArray, want: number[][], what: string) => flat(a).forEach((v, i) => assert.ok(Math.abs(v - want.flat()[i]) < 1e-12, `${what} ${i}: ${v} vs ${want.flat()[i]}`));
  for (const rev of [false, true]) {
    close(lax.cumsum(F64(m), { reverse: rev }), along0((a, b) => a + b, rev), `cumsum reverse ${rev}`);
    close(lax.cumprod(F64(m), { reverse: rev }), along0((a, b) => a * b, rev), `cumprod reverse ${rev}`);
    close(lax.cummax(F64(m), { reverse: rev }), along0(Math.max, rev), `cummax reverse ${rev}`);
    close(lax.cummin(F64(m), { reverse: rev }), along0(Math.min, rev), `cummin reverse ${rev}`);
    close(lax.cumlogsumexp(F64(m), { reverse: rev }), along0(lse, rev), `cumlogsumexp reverse ${rev}`);
  }
  eq(lax.cumsum(F64(m), { axis: 1 }), m.map((r) => r.map((_, j) => r.slice(0, j + 1).reduce((s, v) => s + v, 0))), 'axis 1');
  eq(lax.cumsum(F64([1, 2, 3]), 0, true), [6, 5, 3], 'JAX\'s positional (x, axis, reverse)');
  eq(lax.cumsum(I32([1, 2, 3])), [1, 3, 6], 'int32 stays int32');
  assert.equal(lax.cumsum(I32([1, 2, 3])).dtype, 'int32');
  eq(lax.cummax(I32([1, 3, 2, 5])), [1, 3, 3, 5], 'int32 cummax');
  // no underflow from a shared shift: a large spread of values
  const wide = lax.cumlogsumexp(F64([-1000, 0, 1000]));
  close(wide, [[-1000, lse(-1000, 0), lse(lse(-1000, 0), 1000)]], 'cumlogsumexp over a wide range');
  for (const f of [lax.cumsum, lax.cumprod, lax.cummax, lax.cummin, lax.cumlogsumexp]) {
    checkGrads((a: NDArray) => f(a, { axis: 1, reverse: true }), [F64([[0.3, -0.7, 1.1], [0.2, 0.9, -0.4]])], { order: 2 });
    jitMatches((a: NDArray) => f(a, { reverse: true }), [F64(m)], f.name || 'cumulative');
    vmapMatches((a: NDArray) => f(a), F64(m), 'cumulative');
  }
  assert.throws(() => lax.cumlogsumexp(I32([1, 2])), DTypeError);
  assert.throws(() => lax.cumsum(F64([1]), { axis: 1 }), AxisError);
});

// ---------------------------------------------------------------- integerPow, pow, select

test('lax.integerPow (negative powers for floats; d = y x^(y-1)), lax.pow with an int32 exponent, lax.select with a 0-d pred', () => {
  const xs = [2, -3, 0.5, -1.5];
  for (const y of [0, 1, 2, 3, 7, -1, -2, -3]) {
    const got = flat(lax.integerPow(F64(xs), y));
    xs.forEach((x, i) => assert.ok(Math.abs(got[i] - x ** y) <= 1e-14 * Math.abs(x ** y), `${x}^${y}: ${got[i]}`));
    const d = flat(grad((v: NDArray) => np.sum(lax.integerPow(v, y)))(F64(xs)));
    xs.forEach((x, i) => assert.ok(Math.abs(d[i] - (y === 0 ? 0 : y * x ** (y - 1))) <= 1e-13 * Math.max(1, Math.abs(y * x ** (y - 1))), `d ${x}^${y}: ${d[i]}`));
  }
  eq(lax.integerPow(I32([2, -3]), 3), [8, -27], 'int32');
  assert.throws(() => lax.integerPow(I32([2]), -1), /negative powers/);
  assert.throws(() => lax.integerPow(F64([2]), 1.5), ValueError);
  checkGrads((v: NDArray) => lax.integerPow(v, -3), [F64([0.7, -1.2])], { order: 2 });
  vmapMatches((v: NDArray) => lax.integerPow(v, 3), F64([[1, 2], [3, -4]]), 'integerPow');
  // pow(x, int32 y): x^y with y read in x's dtype; d/dx = y x^(y-1), 0 where y = 0 (x = 0 too)
  const x = F64([2, -3, 0, 0.5, 0]), y = I32([3, 2, 0, -2, 2]);
  eq(lax.pow(x, y), [8, 9, 1, 4, 0], 'float64 ** int32');
  eq(grad((v: NDArray) => np.sum(lax.pow(v, y)))(x), [12, -6, 0, -16, 0], 'd/dx');
  eq(lax.pow(F32([2, -2]), I32([-1, 3])), [0.5, -8], 'float32 ** int32');
  jitMatches((v: NDArray, e: NDArray) => lax.pow(v, e), [x, y], 'pow');
  assert.throws(() => lax.pow(F64([2]), F32([2])), DTypeError);
  assert.throws(() => lax.pow(F64([2, 3]), I32([2])), ShapeError);
  // select with a scalar pred
  eq(lax.select(np.array(true), F64([1, 2]), F64([3, 4])), [1, 2], 'true');
  eq(lax.select(np.array(false), F64([1, 2]), F64([3, 4])), [3, 4], 'false');
  eq(grad((a: NDArray) => np.sum(lax.select(np.array(true), a, F64([0, 0]))))(F64([5, 6])), [1, 1], 'grad through the chosen case');
  vmapMatches((p: NDArray) => lax.select(p, F64([1, 2]), F64([3, 4])), np.array([true, false, true]), 'select with a batched 0-d pred');
});

// ---------------------------------------------------------------- slice, full

test('lax.slice refuses what JAX refuses (0 <= start <= limit <= shape, strides >= 1); lax.full converts as convertElementType', () => {
  eq(lax.slice(np.arange(10), [1], [9], [3]), [1, 4, 7], 'strided');
  eq(lax.slice(F64([[1, 2, 3], [4, 5, 6]]), [0, 1], [2, 3]), [[2, 3], [5, 6]], '2-d');
  assert.throws(() => lax.slice(np.ones([3]), [0], [5]), (e: unknown) => e instanceof ValueError && /limitIndices \[5\] for x float32\[3\]/.test((e as Error).message));
  assert.throws(() => lax.slice(np.ones([3]), [-1], [2]), ValueError);
  assert.throws(() => lax.slice(np.ones([3]), [2], [1]), ValueError);
  assert.throws(() => lax.slice(np.ones([3]), [0], [3], [-1]), ValueError);
  assert.throws(() => lax.slice(np.ones([3, 2]), [0], [3]), ShapeError);
  // as convertElementType: floats to int32/uint32 saturate (NaN to 0), nonzero to bool is true
  const vals = [3e9, -3e9, -1, NaN, 2.7, -2.7, 2 ** 32];
  for (const d of ['int32', 'uint32', 'bool'] as const) {
    const conv = lax.convertElementType(F64(vals), d).tolist() as unknown[];
    vals.forEach((v, i) => assert.deepEqual(lax.full([1], v, d).tolist(), [conv[i]], `full(${v}, ${d})`));
  }
  eq(lax.full([2], 3e9, 'int32'), [2147483647, 2147483647], 'saturates');
});

// ---------------------------------------------------------------- bits

/** A float's bits read through a typed-array view (the reference for bitcasts). */
function bitsOf(v: number, d: 'float32' | 'float64'): number[] {
  if (d === 'float32') return [new Int32Array(new Float32Array([v]).buffer)[0]];
  const w = new Uint32Array(new Float64Array([v]).buffer);
  return [w[0], w[1]];
}
function fromBits32(b: number): number { return new Float32Array(new Int32Array([b]).buffer)[0]; }
function fromBits64(lo: number, hi: number): number { return new Float64Array(new Uint32Array([lo, hi]).buffer)[0]; }

test('lax.bitcastConvertType: float32 <-> int32 <-> uint32, float64 <-> [..., 2] words; refusals; jit, vmap, no derivative', () => {
  const xs = [1, -2.5, 0, -0, Infinity, 1e-40, 3.4e38];
  eq(lax.bitcastConvertType(F32(xs), 'int32'), xs.map((v) => bitsOf(v, 'float32')[0]), 'float32 -> int32');
  eq(lax.bitcastConvertType(F32(xs), 'uint32'), xs.map((v) => bitsOf(v, 'float32')[0] >>> 0), 'float32 -> uint32');
  const back = lax.bitcastConvertType(lax.bitcastConvertType(F32(xs), 'int32'), 'float32');
  flat(back).forEach((v, i) => assert.ok(Object.is(v, Math.fround(xs[i])), `round trip ${i}`));
  const ds = [1, -2.5, 5e-324, -0, NaN, 1.7976931348623157e308];
  const w = lax.bitcastConvertType(F64(ds), 'uint32');
  assert.deepEqual(w.shape, [6, 2]);
  eq(w, ds.map((v) => bitsOf(v, 'float64')), 'float64 -> uint32 words, low first');
  eq(lax.bitcastConvertType(F64(ds), 'int32'), ds.map((v) => bitsOf(v, 'float64').map((b) => b | 0)), 'float64 -> int32 words');
  const d2 = lax.bitcastConvertType(w, 'float64');
  flat(d2).forEach((v, i) => assert.ok(Object.is(v, ds[i]), `float64 round trip ${i}`));
  eq(lax.bitcastConvertType(np.array([0, 1072693248], 'uint32'), 'float64'), 1, 'a [2] word pair is a 0-d float64');
  assert.throws(() => lax.bitcastConvertType(np.array([true]), 'int32'), DTypeError);
  assert.throws(() => lax.bitcastConvertType(F32([1, 2]), 'float64'), DTypeError);
  assert.throws(() => lax.bitcastConvertType(I32([1, 2, 3]), 'float64'), (e: unknown) => e instanceof ShapeError && /trailing axis of 2/.test((e as Error).message));
  const x = F64([[1, 2], [3, 4.5]]);
  jitMatches((a: NDArray) => lax.bitcastConvertType(a, 'uint32'), [x], 'bitcast');
  same(vmap((a: NDArray) => lax.bitcastConvertType(a, 'float64'), { inAxes: 1 })(np.transpose(lax.bitcastConvertType(x.get(0), 'uint32'))) as NDArray, x.get(0), 'vmap over the word axis');
  vmapMatches((a: NDArray) => lax.bitcastConvertType(a, 'uint32'), x, 'bitcast widening');
  // JAX's defjvp_zero: the integer bits carry no derivative
  eq(grad((a: NDArray) => np.sum(np.astype(lax.bitcastConvertType(a, 'int32'), 'float32')))(F32([1, 2])), [0, 0], 'no derivative');
});

/** numpy's nextafter on the bits, by hand: the magnitude one step up or down, 0 to the smallest subnormal. */
function nextRef(x: number, y: number, d: 'float32' | 'float64'): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (x === y) return y;
  const tiny = d === 'float32' ? 2 ** -149 : 2 ** -1074;
  if (x === 0) return y > 0 ? tiny : -tiny;
  const away = (y > x) === (x > 0);
  if (d === 'float32') return fromBits32(bitsOf(x, d)[0] + (away ? 1 : -1));
  const [lo, hi] = bitsOf(x, d);
  const big = ((BigInt(hi) << 32n) | BigInt(lo)) + (away ? 1n : -1n);
  return fromBits64(Number(big & 0xffffffffn), Number(big >> 32n));
}

test('np.nextafter / lax.nextafter: float32 and float64, zeros, subnormals, infinities, NaN, the low word\'s carry; jit, vmap; not differentiable', () => {
  const pairs: [number, number][] = [[1, 2], [1, 0], [-1, -2], [-1, 0], [0, 1], [0, -1], [-0, 1], [0, -0], [-0, 0], [2 ** -149, 0], [-(2 ** -149), 1],
    [Infinity, 0], [-Infinity, 0], [3.4028234663852886e38, Infinity], [NaN, 1], [1, NaN], [1, 1], [2, 1], [2 ** -126, 0], [1e-45, 1]];
  for (const d of ['float32', 'float64'] as const) {
    const ps = d === 'float64' ? [...pairs, [2 ** -1022, 0], [5e-324, 0], [1.7976931348623157e308, Infinity], [fromBits64(0xffffffff, 5), 10], [fromBits64(0, 5), 0]] as [number, number][] : pairs;
    const x = np.array(ps.map((p) => p[0]), d), y = np.array(ps.map((p) => p[1]), d);
    const got = flat(np.nextafter(x, y));
    ps.forEach(([a, b], i) => {
      const want = nextRef(d === 'float32' ? Math.fround(a) : a, d === 'float32' ? Math.fround(b) : b, d);
      assert.ok(Object.is(got[i], want), `${d} nextafter(${a}, ${b}): ${got[i]} vs ${want}`);
    });
    jitMatches((a: NDArray, b: NDArray) => lax.nextafter(a, b), [x, y], `nextafter ${d}`);
  }
  eq(np.nextafter(1, 2), Math.fround(1 + 2 ** -23), 'JS numbers: float32 (jnp\'s weak types)');
  vmapMatches((a: NDArray) => lax.nextafter(a, F64([0, 0])), F64([[1, -1], [2, 5e-324]]), 'nextafter');
  assert.throws(() => grad((a: NDArray) => np.sum(np.nextafter(a, 2)))(F64([1])), (e: unknown) => e instanceof NotImplementedError && /nextafter/.test((e as Error).message));
  assert.throws(() => lax.nextafter(F64([1]), F32([1])), DTypeError);
});

/** numpy's frexp by halving and doubling in float64 (exact for every float32 and float64 value, subnormals too). */
function frexpRef(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let m = x, e = 0;
  while (Math.abs(m) >= 1) { m /= 2; e++; }
  while (Math.abs(m) < 0.5) { m *= 2; e--; }
  return [m, e];
}

test('np.frexp and np.ldexp: numpy\'s values for float32 and float64 (signed zeros, subnormals, inf, NaN, overflow, rounding into subnormals); derivatives; jit, vmap', () => {
  const xs32 = [1, 2, 3, -5, 0, -0, Infinity, -Infinity, NaN, 1e-40, 2 ** -149, 3.4e38, 0.1];
  const xs64 = [1, 2, 3, -5, 0, -0, Infinity, NaN, 5e-324, 2 ** -1022 * 0.75, 1.7976931348623157e308, 0.1];
  for (const [d, xs] of [['float32', xs32], ['float64', xs64]] as const) {
    const [m, e] = np.frexp(np.array(xs, d));
    assert.equal(e.dtype, 'int32');
    const gm = flat(m), ge = flat(e);
    xs.forEach((x0, i) => {
      const x = d === 'float32' ? Math.fround(x0) : x0;
      const [wm, we] = frexpRef(x);
      assert.ok(Object.is(gm[i], wm) && ge[i] === we, `${d} frexp(${x}): [${gm[i]}, ${ge[i]}] vs [${wm}, ${we}]`);
    });
    jitMatches((a: NDArray) => np.frexp(a)[0], [np.array(xs, d)], `frexp ${d}`);
  }
  eq(np.frexp(I32([8]))[0], [0.5], 'ints as float32');
  // ldexp: float32 references round the exact float64 product once (Math.fround)
  const cases32: [number, number][] = [[1, 3], [0.75, -149], [0.75, -150], [1, -150], [1.5, -149], [3, 200], [-1, -160], [1, 127], [1, 128], [2 ** -149, 276],
    [2 ** -140, 100], [-0, 5], [Infinity, -300], [NaN, 1], [3, 0], [1.1, -130], [-1.3, -147], [5, -(2 ** 31)], [5, 2 ** 31 - 1]];
  const got32 = flat(np.ldexp(F32(cases32.map((c) => c[0])), I32(cases32.map((c) => c[1]))));
  cases32.forEach(([x, i], k) => {
    const xf = Math.fround(x);
    const want = Number.isNaN(xf) ? NaN : xf === 0 || !Number.isFinite(xf) ? xf : Math.fround(xf * 2 ** Math.max(Math.min(i, 1100), -1100));
    assert.ok(Object.is(got32[k], want), `float32 ldexp(${x}, ${i}): ${got32[k]} vs ${want}`);
  });
  // float64: one product by an exact power of two, or (for the far ends) results known exactly
  const cases64: [number, number, number][] = [[1, 1023, 2 ** 1023], [1, 1024, Infinity], [0.75, -1074, 5e-324], [0.5, -1074, 0], [0.75, -1075, 0],
    [1.5, -1074, 1e-323], [2 ** -1074, 2097, 2 ** 1023], [2 ** 1023, -2097, 2 ** -1074], [2 ** 1023, -2098, 0], [-3, -1073, -3 * 2 ** -1073], [0.1, 10, 0.1 * 1024], [-0, 9, -0]];
  const got64 = flat(np.ldexp(F64(cases64.map((c) => c[0])), I32(cases64.map((c) => c[1]))));
  cases64.forEach(([x, i, want], k) => assert.ok(Object.is(got64[k], want), `float64 ldexp(${x}, ${i}): ${got64[k]} vs ${want}`));
  // broadcasting, JS exponents, uint32 exponents, and the round trip ldexp(frexp(x)) = x
  eq(np.ldexp(F64([1, 2]), 3), [8, 16], 'JS exponent');
  eq(np.ldexp(F64([[1], [2]]), I32([0, 1])), [[1, 2], [2, 4]], 'broadcast');
  eq(np.ldexp(F32([1]), np.array([4294967295], 'uint32')), [Infinity], 'uint32 past int32');
  const [m, e] = np.frexp(F64(xs64));
  flat(np.ldexp(m, e)).forEach((v, i) => assert.ok(Object.is(v, xs64[i]), `round trip ${xs64[i]}`));
  assert.throws(() => np.ldexp(F64([1]), F64([2])), ValueError);
  // derivatives: dm/dx = 2^-e (JAX's frexp rule), d ldexp(x, i)/dx = 2^i; second order 0
  eq(grad((a: NDArray) => np.sum(np.frexp(a)[0]))(F64([1, 3, 8, -0.1])), [0.5, 0.25, 0.0625, 8], 'frexp mantissa (-0.1 = -0.8 2^-3)');
  eq(grad((a: NDArray) => np.sum(np.ldexp(a, I32([3, -2, 0]))))(F64([1, 5, -7])), [8, 0.25, 1], 'ldexp');
  checkGrads((a: NDArray) => np.multiply(np.ldexp(a, I32([3, -2])), a), [F64([0.3, -1.7])], { order: 2 });
  checkGrads((a: NDArray) => np.sin(np.frexp(a)[0]), [F64([0.3, -1.7, 5])], { order: 2 });
  const [, t] = jvp((a: NDArray) => np.ldexp(a, 4), [F32([1.5])], [F32([1])]);
  eq(t, [16], 'jvp');
  jitMatches((a: NDArray, b: NDArray) => np.ldexp(a, b), [F32(cases32.map((c) => c[0])), I32(cases32.map((c) => c[1]))], 'ldexp');
  vmapMatches((a: NDArray) => np.ldexp(a, I32([-1074, 3])), F64([[0.75, 1], [1.5, -2]]), 'ldexp');
  vmapMatches((a: NDArray) => np.frexp(a)[0], F32([[1e-40, 3], [-0, 6]]), 'frexp');
});
