// The explicit vmap cases: what the op-spec table (op_specs.ts) does not differentiate (integers,
// bools, the PRNG, sorting, searching, batched indices, leaves, transforms inside vmap), each an
// Entry for the vmap-versus-loop harness (vmap_check.ts), with the primitives it reaches.
import {
  np, lax, linalg, random, vmap, jit, vjp, grad, linearize, jacfwd, jacrev, hessian, hvp, stopGradient, NDArray, customVjp, checkpoint,
} from 'cotangent';
import { real } from './op_specs.ts';
import { DT, make } from './batch.ts';
import { Entry, Gen, AnyFn } from './vmap_check.ts';

export const ints = (lo: number, hi: number): Gen => (rng, n) => Array.from({ length: n }, () => lo + Math.floor(rng.next() * (hi - lo + 1)));
export const bools: Gen = (rng, n) => Array.from({ length: n }, () => (rng.next() < 0.5 ? 1 : 0));
export const u32s: Gen = (rng, n) => Array.from({ length: n }, () => Math.floor(rng.next() * 2 ** 32));
/** Values from a small set (ties), NaN included. */
export const tiesNaN: Gen = (rng, n) => Array.from({ length: n }, () => [-1, 0, 0.5, 2, 2, NaN][Math.floor(rng.next() * 6)]);
/** A sorted row of small values with repeats, NaNs last (searchsorted's `a`). */
export const sortedNaN: Gen = (rng, n) => {
  const v = Array.from({ length: n }, () => [0, 0.5, 1, 1, 2, NaN][Math.floor(rng.next() * 6)]);
  return v.sort((a, b) => (Number.isNaN(a) ? 1 : Number.isNaN(b) ? -1 : a - b));
};
export const F = (shape: number[], gen: Gen = real(), dtype: DT = 'float64') => ({ shape, dtype, gen });
export const I = (shape: number[], lo: number, hi: number) => ({ shape, dtype: 'int32' as DT, gen: ints(lo, hi) });
export const C = (shape: number[], dtype: DT = 'complex64') => ({ shape, dtype, gen: real() });
export const key = () => ({ shape: [2], dtype: 'uint32' as DT, gen: u32s });
export const N = (f: AnyFn) => f as AnyFn;
/** A well-conditioned matrix from a random one: 0.3 a + 2 I. */
const wellConditioned = (a: NDArray) => np.add(np.multiply(a, 0.3), np.multiply(np.eye(a.shape[a.ndim - 1], { dtype: a.dtype }), 2));
const spd = (a: NDArray) => np.add(np.matmul(a, np.swapaxes(a, -1, -2)), np.eye(a.shape[a.ndim - 1], { dtype: a.dtype }));

// A pullback and a linearization made outside vmap, applied to batches inside (the cookbook's
// vmapped matrix-Jacobian products): their programs have INPUT and PLACEHOLDER rows.
const X0 = make([0.3, -1.2, 0.7], [3], 'float64');
// sin(x) y with its reverse-mode rule written out (residuals cos x, sin x, y)
const SIN_TIMES = customVjp((x: NDArray, y: NDArray) => np.multiply(np.sin(x), y),
  (x: NDArray, y: NDArray) => [np.multiply(np.sin(x), y), [np.cos(x), np.sin(x), y]],
  ([cx, sx, y]: NDArray[], ct: NDArray) => [np.multiply(np.multiply(cx, y), ct), np.multiply(sx, ct)]);
const F0 = (x: NDArray) => np.multiply(np.sin(x), np.sum(np.square(x)));
const [, PULL0] = vjp(F0, X0);
const [, LIN0] = linearize(F0, X0);

// sqrt by Newton's iteration to a tolerance, under jit: one while row whose trip count the values decide
const NEWTON = jit((a: NDArray) => lax.whileLoop((x: NDArray) => np.greater(np.abs(np.subtract(np.multiply(x, x), a)), np.multiply(1e-12, a)),
  (x: NDArray) => np.multiply(0.5, np.add(x, np.divide(a, x))), a));

const JIT_SCAN = jit((c0: NDArray, xs: NDArray) => lax.scan((c: NDArray, x: NDArray) => [np.add(np.multiply(np.sin(c), 0.5), x), np.multiply(c, x)], c0, xs));

const JIT_COND = jit((x: NDArray, s: NDArray) => lax.cond(np.greater(s, 0), (y: NDArray) => np.sqrt(np.add(np.square(y), 1)), (y: NDArray) => np.sin(y), x));

const JIT_CKPT = jit(checkpoint((x: NDArray) => np.multiply(np.tanh(x), np.sin(x))));

export const EXTRA: Entry[] = [
  // ---- leaves and identities
  { name: 'a constant made inside: x * [1.5, -2, 0.25]', prims: ['const', 'mul'], f: N((x) => np.multiply(x, np.array([1.5, -2, 0.25], { dtype: 'float64' }))), args: [F([3])] },
  { name: 'lax.full and zerosLike inside', prims: ['full', 'add'], f: N((x) => np.add(np.add(x, lax.full([2, 3], 2.5, 'float64')), np.onesLike(x))), args: [F([2, 3])] },
  { name: 'grad inside: copy of the argument', prims: ['copy'], f: N((x) => grad((y: NDArray) => np.sum(np.sin(y)))(x)), args: [F([4])] },
  { name: 'jacfwd inside (iota basis)', prims: ['iota'], f: N((x) => jacfwd((y: NDArray) => np.multiply(np.sin(y), y))(x)), args: [F([3])] },
  { name: 'jacrev inside (iota basis)', prims: ['iota'], f: N((x) => jacrev((y: NDArray) => np.tanh(np.cumsum(y)))(x)), args: [F([3])] },
  { name: 'hessian and hvp inside', prims: ['iota'], f: N((x, v) => [hessian((y: NDArray) => np.sum(np.multiply(np.sin(y), np.cumsum(y))))(x), hvp((y: NDArray) => np.sum(np.tanh(np.outer(y, y))))(x, v)]), args: [F([3]), F([3])] },
  { name: 'jacrev of a vmapped function inside', prims: ['iota'], f: N((x) => jacrev((y: NDArray) => vmap((r: NDArray) => np.multiply(np.sin(r), np.sum(r)))(y))(x)), args: [F([2, 3])] },
  { name: 'grad of a vmapped function inside', prims: ['copy'], f: N((x, w) => grad((y: NDArray) => np.sum(vmap((r: NDArray, c: NDArray) => np.dot(np.tanh(r), c), { inAxes: [1, null] })(y, w)))(x)), args: [F([3, 2]), F([3])] },
  { name: 'a pullback made outside, vmapped (input rows)', prims: ['input'], f: N((u) => PULL0(u)[0]), args: [F([3])] },
  { name: 'a linearization made outside, vmapped', prims: ['input', 'placeholder'], f: N((v) => LIN0(v)), args: [F([3])] },
  // customVjp's linearized call (staged: a linear view under vmap, transposed by the host's bwd)
  { name: 'grad of a customVjp function inside', prims: ['custom_call', 'custom_linear'], f: N((x, y) => grad((a: NDArray) => np.sum(SIN_TIMES(a, y)))(x)), args: [F([3]), F([3])] },
  { name: 'linearize inside, applied inside', prims: ['placeholder'], f: N((x, v) => linearize(F0, x)[1](v)), args: [F([3]), F([3])] },
  { name: 'vjp inside (pullback of a batched point)', prims: ['placeholder'], f: N((x, u) => vjp(F0, x)[1](u)[0]), args: [F([3]), F([3])] },
  // a while row (jit, traced trip count): per example its own trip count; its JVP row batched too
  { name: 'a jitted Newton loop (while row) and its forward derivative', prims: ['while'], f: N((a) => [NEWTON(a), jacfwd(NEWTON)(a)]), args: [F([], real(0.5, 4))] },
  // a scan row (jit): xs batched along axis 1 of the row, ys too; the carry batched or not
  { name: 'a jitted scan (scan row) over batched xs and carry', prims: ['scan'], f: N((c, xs) => JIT_SCAN(c, xs)), args: [F([2]), F([3, 2])] },
  // a cond row (jit): a batched predicate runs both branches and selects; an unbatched one a cond of vmapped branches
  { name: 'a jitted cond (cond row), predicate batched or not', prims: ['cond'], f: N((x, s) => [JIT_COND(x, s), JIT_COND(x, np.array(1.0, { dtype: 'float64' }))]), args: [F([3]), F([])] },
  { name: 'a jitted checkpoint (checkpoint row) and its gradient', prims: ['checkpoint'], f: N((x) => [JIT_CKPT(x), grad((y: NDArray) => np.sum(JIT_CKPT(y)))(x)]), args: [F([3])] },
  { name: 'split pieces (proj)', prims: ['split', 'proj'], f: N((x) => np.split(x, [1, 3], { axis: 1 })), args: [F([2, 5])] },
  { name: 'stopGradient values and its zero derivative', prims: ['stop_gradient'], f: N((x) => [stopGradient(x), grad((y: NDArray) => np.sum(np.multiply(y, stopGradient(y))))(x)]), args: [F([2, 3])] },

  // ---- integers and bools (exact)
  {
    name: 'int32 bitwise and or xor not', prims: ['and', 'or', 'xor', 'not'],
    f: N((x, y) => [np.bitwiseAnd(x, y), np.bitwiseOr(x, y), np.bitwiseXor(x, y), np.bitwiseNot(x)]), args: [I([4], -9, 9), I([4], -9, 9)],
  },
  {
    name: 'uint32 bitwise', prims: ['and', 'or', 'xor', 'not'],
    f: N((x, y) => [np.bitwiseAnd(x, y), np.bitwiseOr(x, y), np.bitwiseXor(x, y), np.bitwiseNot(y)]),
    args: [{ shape: [2, 2], dtype: 'uint32', gen: u32s }, { shape: [2, 2], dtype: 'uint32', gen: u32s }],
  },
  {
    name: 'bool logic', prims: ['and', 'or', 'xor', 'not'],
    f: N((x, y) => [np.logicalAnd(x, y), np.logicalOr(x, y), np.logicalXor(x, y), np.logicalNot(x)]),
    args: [{ shape: [5], dtype: 'bool', gen: bools }, { shape: [5], dtype: 'bool', gen: bools }],
  },
  {
    name: 'int32 shifts (counts past 31)', prims: ['shift_left', 'shift_right_arithmetic', 'shift_right_logical'],
    f: N((x, c) => [lax.shiftLeft(x, c), lax.shiftRightArithmetic(x, c), lax.shiftRightLogical(x, c)]), args: [I([5], -1000, 1000), I([5], 0, 40)],
  },
  {
    name: 'uint32 shifts', prims: ['shift_left', 'shift_right_logical'],
    f: N((x, c) => [lax.shiftLeft(x, c), lax.shiftRightLogical(x, c)]),
    args: [{ shape: [4], dtype: 'uint32', gen: u32s }, { shape: [4], dtype: 'uint32', gen: ints(0, 35) }],
  },
  {
    name: 'int32 arithmetic, comparisons, select, convert (division by 0 included)', prims: ['add', 'mul', 'div', 'rem', 'max', 'min', 'abs', 'neg', 'lt', 'eq', 'select', 'convert', 'sign'],
    f: N((x, y) => [np.add(x, y), np.multiply(x, y), lax.div(x, y), lax.rem(x, y), np.maximum(x, y), np.minimum(x, y), np.abs(x), np.negative(y),
      np.less(x, y), np.equal(x, y), np.where(np.less(x, y), x, y), np.astype(x, 'float32'), np.sign(y)]),
    args: [I([2, 3], -6, 6), I([2, 3], -3, 3)],
  },
  {
    name: 'integer power with array exponents (JAX\'s _pow_int_int), int32 and uint32, broadcast', prims: ['and', 'ne', 'mul', 'select', 'or', 'eq', 'convert'],
    f: N((x, y, u, v) => [np.power(x, y), np.power(x, 3), np.power(u, v), np.power(np.greater(x, 0), np.less(y, 5))]),
    args: [I([2, 3], -7, 7), I([3], -3, 70), { shape: [4], dtype: 'uint32', gen: u32s }, { shape: [4], dtype: 'uint32', gen: ints(0, 40) }],
  },
  {
    name: 'int32 movement: transpose, reshape, concatenate, split, broadcastInDim', prims: ['transpose', 'reshape', 'concatenate', 'split', 'broadcast_in_dim'],
    f: N((x) => [np.transpose(x), np.reshape(x, [-1]), np.concatenate([x, x], { axis: 1 }), np.split(x, 2, { axis: 1 })[1], lax.broadcastInDim(x, [2, 3, 4], [1, 2])]),
    args: [I([3, 4], -50, 50)],
  },
  {
    name: 'bitcastConvertType: float32 <-> int32, float64 <-> uint32 words (a trailing axis of 2 added and removed)', prims: ['bitcast_convert_type'],
    f: N((x, d) => [lax.bitcastConvertType(x, 'int32'), lax.bitcastConvertType(lax.bitcastConvertType(x, 'uint32'), 'float32'),
      lax.bitcastConvertType(d, 'uint32'), lax.bitcastConvertType(lax.bitcastConvertType(d, 'int32'), 'float64')]),
    args: [F([5], real(-3, 3), 'float32'), F([2, 3], real(-3, 3))],
  },
  {
    name: 'float to int and bool converts, isfinite', prims: ['convert', 'is_finite'],
    f: N((x) => [np.astype(x, 'int32'), np.astype(x, 'bool'), np.isfinite(np.divide(x, np.round(x)))]), args: [F([5], real(-3, 3))],
  },

  // ---- complex (interleaved re, im in the harness)
  {
    name: 'complex elementwise, real/imag/conj/complex/abs', prims: ['complex', 'real', 'imag', 'conj', 'abs', 'mul', 'div', 'exp', 'sqrt'],
    f: N((z, w, x) => [np.multiply(z, np.conj(w)), np.divide(np.exp(z), np.add(w, 3)), np.sqrt(z), np.real(z), np.imag(w), np.abs(z), np.complex(x, np.negative(x))]),
    args: [C([3]), C([3]), F([3])],
  },
  {
    name: 'complex128 matmul, sum, transpose, concatenate, take', prims: ['dot_general', 'sum', 'transpose', 'concatenate', 'gather'],
    f: N((a, b, i) => [np.matmul(a, b), np.sum(a, 0), np.transpose(a), np.concatenate([a, a], { axis: 1 }), np.take(b, i, { axis: 0 })]),
    args: [C([2, 3], 'complex128'), C([3, 2], 'complex128'), I([2], -3, 2)],
  },
  {
    name: 'complex x.at(idx).set/add/mul (repeats, out of range)', prims: ['scatter_add', 'select'],
    f: N((z, i, u) => [z.at(i).set(u), z.at(i).add(u), z.at(i).mul(u)]), args: [C([5]), I([3], -6, 5), C([3])],
  },
  {
    name: 'complex cholesky and triangular solve (Hermitian)', prims: ['cholesky', 'triangular_solve'],
    f: N((a, b) => {
      const h = np.add(np.matmul(a, np.conj(np.transpose(a))), np.eye(2, { dtype: a.dtype }));
      return [linalg.cholesky(h), linalg.triangularSolve(linalg.cholesky(h), b, { lower: true })];
    }),
    args: [C([2, 2]), C([2, 1])],
  },

  // ---- reductions to indices
  {
    name: 'argmax / argmin along axes, ties and NaNs', prims: ['argmax', 'argmin'],
    f: N((x) => [np.argmax(x, 1), np.argmin(x, 0), np.argmax(x, -1), np.argmin(x, { axis: null })]), args: [F([3, 4], tiesNaN)],
  },
  { name: 'max / min reductions with NaNs', prims: ['reduce_max', 'reduce_min'], f: N((x) => [np.max(x, 0), np.min(x, 1)]), args: [F([3, 4], tiesNaN)] },

  // ---- sorting and searching
  {
    name: 'argsort and sort along axes (ties, NaNs, descending)', prims: ['argsort', 'gather'],
    f: N((x) => [np.argsort(x, { axis: 0 }), np.argsort(x, { axis: -1, descending: true }), np.sort(x, { axis: 0 }), np.sort(x, { axis: 1, descending: true }), np.argsort(x, { axis: null })]),
    args: [F([3, 4], tiesNaN)],
  },
  { name: 'argsort [5] float32', prims: ['argsort'], f: N((x) => np.argsort(x)), args: [F([5], tiesNaN, 'float32')] },
  { name: 'topK values and indices', prims: ['argsort', 'gather'], f: N((x) => lax.topK(x, 2)), args: [F([2, 5], tiesNaN)] },
  {
    name: 'searchsorted left and right (repeats, NaNs in a and v)', prims: ['searchsorted'],
    f: N((a, v) => [np.searchsorted(a, v), np.searchsorted(a, v, { side: 'right' })]),
    args: [F([5], sortedNaN), F([2, 3], tiesNaN)],
  },
  {
    name: 'searchsorted float32, scalar v', prims: ['searchsorted'],
    f: N((a, v) => [np.searchsorted(a, v, 'left'), np.searchsorted(a, v, 'right')]), args: [F([6], sortedNaN, 'float32'), F([], tiesNaN, 'float32')],
  },

  // ---- gather / scatter_add with batched operands, indices, updates
  { name: 'take axis 1 with int32 indices (out of range, negative)', prims: ['gather'], f: N((x, i) => np.take(x, i, { axis: 1 })), args: [F([3, 4]), I([2, 2], -6, 5)] },
  { name: 'take axis 0 clip', prims: ['gather'], f: N((x, i) => np.take(x, i, { axis: 0, mode: 'clip' })), args: [F([3, 2]), I([4], -5, 5)] },
  { name: 'take axis -1 of an int32 operand', prims: ['gather'], f: N((x, i) => np.take(x, i, { axis: -1 })), args: [I([2, 3], -9, 9), I([3], 0, 2)] },
  { name: 'takeAlongAxis axis 1', prims: ['gather'], f: N((x, i) => np.takeAlongAxis(x, i, 1)), args: [F([3, 4]), I([3, 2], 0, 3)] },
  { name: 'takeAlongAxis axis 0', prims: ['gather'], f: N((x, i) => np.takeAlongAxis(x, i, 0)), args: [F([3, 2]), I([4, 2], -3, 2)] },
  { name: 'index with a slice and an int32 array', prims: ['gather'], f: N((x, i) => np.index(x, '::-1', i)), args: [F([4, 3]), I([2, 2], 0, 2)] },
  { name: 'index with two int32 arrays', prims: ['gather'], f: N((x, i, j) => np.index(x, i, j)), args: [F([3, 4]), I([2], 0, 2), I([2], -4, 3)] },
  { name: 'x.at(idx).add(u) (repeats, out of range)', prims: ['scatter_add'], f: N((x, i, u) => x.at(i).add(u)), args: [F([5]), I([4], -7, 6), F([4])] },
  { name: 'x.at(rows).add(u) [4,2]', prims: ['scatter_add'], f: N((x, i, u) => x.at(i).add(u)), args: [F([4, 2]), I([3], 0, 3), F([3, 2])] },
  {
    name: 'x.at(idx).set/mul/min/max(u) (repeats: the last set wins; out of range dropped)', prims: ['scatter_add', 'select'],
    f: N((x, i, u) => [x.at(i).set(u), x.at(i).mul(u), x.at(i).min(u), x.at(i).max(u), x.at(i).get()]), args: [F([5]), I([4], -7, 6), F([4])],
  },
  {
    name: 'x.at(rows, cols).set(u) [3,4]', prims: ['scatter_add', 'select'],
    f: N((x, i, j, u) => [x.at(i, j).set(u), x.at(i, ':').max(np.expandDims(u, 1))]), args: [F([3, 4]), I([3], 0, 2), I([3], -4, 3), F([3])],
  },
  {
    name: 'grad through x.at(idx).set/max(u) (traced positions when idx is batched)', prims: ['scatter_add', 'select'],
    f: N((x, i, u) => grad((y: NDArray, v: NDArray) => np.sum(np.multiply(np.sin(y.at(i).set(v)), np.cos(y.at(i).max(v)))), { argnums: [0, 1] })(x, u)),
    args: [F([5]), I([4], -7, 6), F([4])],
  },
  { name: 'x.at(static).set(u)', prims: ['scatter_add', 'select'], f: N((x, u) => x.at([2, 0]).set(u)), args: [F([3, 2]), F([2, 2])] },
  { name: 'lax.dynamicSlice with a traced start', prims: ['gather'], f: N((x, s) => lax.dynamicSlice(x, [s, 1], [2, 2])), args: [F([4, 3]), I([], -1, 4)] },
  { name: 'lax.dynamicUpdateSlice', prims: ['scatter_add'], f: N((x, u) => lax.dynamicUpdateSlice(x, u, [1, 0])), args: [F([3, 3]), F([2, 2])] },
  {
    name: 'lax.gather and lax.scatterAdd (general forms)', prims: ['gather', 'scatter_add'],
    f: N((x, i, u) => [
      lax.gather(x, i, { offsetDims: [1], collapsedSliceDims: [0], startIndexMap: [0] }, [1, 2], { mode: 'clip' }),
      lax.scatterAdd(x, i, u, { updateWindowDims: [1], insertedWindowDims: [0], scatterDimsToOperandDims: [0] }),
    ]),
    args: [F([4, 3]), I([2, 1], 0, 3), F([2, 3])],
  },

  // ---- linear algebra
  { name: 'cholesky', prims: ['cholesky'], f: N((a) => linalg.cholesky(spd(a))), args: [F([3, 3])] },
  { name: 'solve', prims: ['lu', 'lu_solve'], f: N((a, b) => linalg.solve(wellConditioned(a), b)), args: [F([3, 3]), F([3, 2])] },
  { name: 'solve with a vector b', prims: ['lu', 'lu_solve'], f: N((a, b) => linalg.solve(wellConditioned(a), b)), args: [F([2, 2]), F([2])] },
  {
    name: 'triangularSolve (both sides, lower and upper, transposed, unit diagonal)', prims: ['triangular_solve'],
    f: N((a, b, c) => [
      linalg.triangularSolve(wellConditioned(a), b, { lower: true }), // (batched: the triangle cannot be checked, so lower is given)
      linalg.triangularSolve(wellConditioned(a), c, { leftSide: false, lower: false, transposeA: true }),
      linalg.triangularSolve(a, b, { lower: true, unitDiagonal: true }),
    ]),
    args: [F([3, 3]), F([3, 2]), F([2, 3])],
  },
  { name: 'lu (P, L, U)', prims: ['lu', 'proj'], f: N((a) => linalg.lu(a)), args: [F([3, 3])] },
  { name: 'det, slogdet, inv', prims: ['lu'], f: N((a) => [linalg.det(a), ...linalg.slogdet(a), linalg.inv(wellConditioned(a))]), args: [F([3, 3])] },
  {
    name: 'qr, eigh, svd, pinv, lstsq, matrixPower, norm, cond, luFactor/luSolve', prims: ['qr', 'eigh', 'svd', 'lu', 'triangular_solve'],
    f: N((a, b) => {
      const w = wellConditioned(a), s = np.add(np.add(a, np.transpose(a)), np.diag(np.array([1, 3, 5], { dtype: a.dtype })));
      return [...(linalg.qr(w) as NDArray[]), ...linalg.eigh(s), ...(linalg.svd(w, { fullMatrices: false }) as NDArray[]), linalg.pinv(w),
        ...linalg.lstsq(w, b), linalg.matrixPower(w, 3), linalg.matrixPower(w, -2), linalg.norm(w), linalg.norm(w, { ord: 'nuc' }), linalg.cond(w),
        linalg.luSolve(linalg.luFactor(w), b)];
    }),
    args: [F([3, 3]), F([3])],
  },
  { name: 'eig, eigvals (complex outputs of real input)', prims: ['eig'], f: N((a) => [...linalg.eig(a), linalg.eigvals(a)]), args: [F([3, 3])] },
  { name: 'cholesky of a batch per example [2,2,2]', prims: ['cholesky'], f: N((a) => linalg.cholesky(spd(a))), args: [F([2, 2, 2])] },

  // ---- the PRNG (bit-exact: uint32 and float outputs alike come from the same bits)
  {
    name: 'random draws from a key: normal, uniform (float32, float64), bits, split, foldIn', prims: ['threefry2x32', 'random_float'],
    f: N((k) => [random.normal(k, [3]), random.uniform(k, [2, 2]), random.uniform(k, [3], { dtype: 'float64' }), random.bits(k, [2]), random.split(k, 3), random.foldIn(k, 7)]),
    args: [key()],
  },
  {
    name: 'random with a key and a value: x + normal(k), bernoulli(k, p)', prims: ['threefry2x32', 'random_float'],
    f: N((k, x) => [np.add(x, random.normal(k, [3])), random.bernoulli(k, np.sigmoid(x))]), args: [key(), F([3], real(), 'float32')],
  },
  {
    name: 'random families with batched keys and parameters', prims: ['threefry2x32', 'random_float'],
    f: N((k, p, lo, m) => [
      random.gumbel(k, [2]), random.exponential(k, [2]), random.laplace(k, [2]), random.logistic(k, [2]), random.rademacher(k, [3]),
      random.bernoulli(k, p), random.categorical(k, np.log(p)), random.truncatedNormal(k, lo, np.add(lo, 1), [3]),
      random.multivariateNormal(k, m, np.eye(2, { dtype: 'float32' })),
    ]),
    args: [key(), F([3], real(0.1, 0.9), 'float32'), F([3], real(-1, 1), 'float32'), F([2], real(), 'float32')],
  },

  {
    name: 'randint, permutation, choice, float64 normal with batched keys', prims: ['threefry2x32', 'random_float', 'argsort'],
    f: N((k, x) => [random.randint(k, [3], -5, 7), random.permutation(k, 5), random.permutation(k, x), random.permutation(k, x, { independent: true }),
      random.choice(k, 5, [3]), random.choice(k, x, [2], { replace: false }), random.normal(k, [3], 'float64')]),
    args: [key(), F([4])],
  },
  { name: 'x.get(i) on a batch of keys (uint32 gather)', prims: ['gather'], f: N((ks, i) => [ks.get(i), np.take(ks, i, { axis: 0 })]), args: [{ shape: [3, 2], dtype: 'uint32', gen: u32s }, I([], 0, 2)] },
  { name: 'int32 sum, dot, matmul (wrapping)', prims: ['sum', 'dot_general'], f: N((a, b) => [np.sum(a), np.sum(a, 0), np.dot(a, b), np.matmul(a, b), np.cumsum(a, 1)]), args: [I([2, 3], -(2 ** 30), 2 ** 30), I([3, 2], -9, 9)] },
  { name: 'index with null among index arrays', prims: ['gather'], f: N((x, i) => np.index(x, i, null, ':')), args: [F([3, 4]), I([2], 0, 2)] },
  { name: 'jit inside vmap', prims: ['sin', 'dot_general'], f: N((x, w) => jit((a: NDArray, b: NDArray) => np.sin(np.matmul(a, b)))(x, w)), args: [F([2, 3]), F([3])] },
  { name: 'vmap inside jit inside vmap', prims: ['tanh'], f: N((x) => jit((a: NDArray) => vmap((r: NDArray) => np.tanh(np.sum(r)), { inAxes: 1 })(a))(x)), args: [F([2, 3])] },
  // ---- numpy rearrangement and construction inside vmap
  {
    name: 'pad, roll, tile, repeat, flip, moveaxis', prims: ['gather', 'concatenate', 'transpose'],
    f: N((x) => [np.pad(x, 1, { mode: 'edge' }), np.pad(x, [[0, 1], [2, 0]]), np.roll(x, 1, 1), np.tile(x, [2, 1]), np.repeat(x, 2, 0), np.flip(x, 1), np.moveaxis(x, 0, -1)]),
    args: [F([2, 3])],
  },
  {
    name: 'diag, diagonal, trace, tril, triu', prims: ['gather', 'scatter_add', 'select'],
    f: N((x, v) => [np.diagonal(x), np.diagonal(x, -1), np.trace(x), np.tril(x), np.triu(x, 1), np.diag(v)]), args: [F([3, 3]), F([3])],
  },
  { name: 'oneHot of int32 classes (out of range included)', prims: ['eq', 'convert'], f: N((i) => np.oneHot(i, 4)), args: [I([3], -1, 4)] },
  { name: 'meshgrid, outer', prims: ['broadcast_in_dim', 'mul'], f: N((a, b) => [...np.meshgrid(a, b), np.outer(a, b)]), args: [F([2]), F([3])] },
  { name: 'where with a batched bool condition', prims: ['select'], f: N((c, x, y) => np.where(c, x, y)), args: [{ shape: [4], dtype: 'bool', gen: bools }, F([4]), F([1])] },
  { name: 'cumsum, cumprod, cummax, cummin along axes', prims: ['split', 'concatenate'], f: N((x) => [np.cumsum(x, 0), np.cumprod(x, 1), np.cummax(x, 0), np.cummin(x, -1)]), args: [F([3, 4])] },
  { name: 'softmax, logsumexp, var, std, norm', prims: ['reduce_max', 'exp', 'sum'], f: N((x) => [np.softmax(x, { axis: 0 }), np.logsumexp(x, { axis: 1 }), np.var(x), np.std(x, 0), np.norm(x, { ord: 1, axis: 1 })]), args: [F([3, 4])] },
  { name: 'einsum with a trace, tensordot, kron', prims: ['dot_general', 'mul'], f: N((a, b) => [np.einsum('ii,ij->j', a, b), np.tensordot(a, b, 1), np.kron(a, b)]), args: [F([3, 3]), F([3, 2])] },
  { name: 'bool sum and mean, bool matmul', prims: ['convert', 'dot_general'], f: N((a, b) => [np.sum(a), np.mean(a, 0), np.matmul(a, b)]), args: [{ shape: [2, 3], dtype: 'bool', gen: bools }, { shape: [3, 2], dtype: 'bool', gen: bools }] },
];
