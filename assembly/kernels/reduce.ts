import { scratch, SLOT_A, SLOT_B, SLOT_TMP } from './scratch';
// Sum over a set of axes: sum_f32 / sum_f64 / sum_i32 (x, out, shape, ndim, axesMask).
//
// The shape is first simplified: size-1 axes are dropped and neighbouring axes that are
// both reduced (or both kept) are merged, which leaves alternating groups such as
// [K, R], [R, K], [R] or [K, R, K, R]. The innermost reduced group is then summed away
// with one of two SIMD primitives, and the loop repeats (through a temporary) until no
// reduced group is left:
//   - rowSum: a contiguous run (reduced group innermost). Four vector accumulators over
//     blocks of at most ROW_BLOCK elements, blocks combined pairwise.
//   - colSum: reduce R rows of a contiguous kept block of K (a kept group follows).
//     Column strips of 4 vectors are accumulated in registers down at most COL_BLOCK
//     rows; longer row ranges are halved recursively and added pairwise.
// Everything accumulates in the input precision; the pairwise structure keeps the
// rounding error growing like log(n) rather than n.

export const ROW_BLOCK = 256; // elements summed linearly (split across 4 accumulators)
export const COL_BLOCK = 32;  // rows summed linearly per column strip
export const SHORT_ROW = 8;   // reduced rows shorter than this are summed with a scalar loop
const MAX_GROUPS = 32;

// Scratch for the simplified shape (wasm runs one kernel at a time; these never nest).
const GSIZE = memory.data(MAX_GROUPS * 4);
const GRED = memory.data(MAX_GROUPS * 4);

@inline function hsum<T>(v: v128): T {
  if (isInteger<T>()) {
    // int32 / uint32: wrapping lane adds (the same bits for both).
    const s = i32x4.add(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
    return <T>(i32x4.extract_lane(s, 0) + i32x4.extract_lane(s, 1));
  }
  if (sizeof<T>() == 4) {
    const s = f32x4.add(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
    return <T>(f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1));
  }
  return <T>(f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1));
}

/** Where rowSum splits a run of len > ROW_BLOCK elements: on a strip boundary, so both halves keep whole vectors. */
export function rowSplit<T>(len: i32): i32 { return (len >> 1) & ~(64 / <i32>sizeof<T>() - 1); }

/** A short row (R < SHORT_ROW): a plain loop beats rowSum's vector setup and horizontal add. */
@inline export function shortRowSum<T>(p: usize, R: i32): T {
  let s = load<T>(p);
  for (let j = 1; j < R; j++) s += load<T>(p + <usize>j * sizeof<T>());
  return s;
}

// Sum of len contiguous elements at p. (The fused kernel, rules/fused.ts, follows the same splits.)
export function rowSum<T>(p: usize, len: i32): T {
  const sz = <i32>sizeof<T>(), lanes = 16 / sz, strip = 4 * lanes;
  if (len > ROW_BLOCK) {
    const h = rowSplit<T>(len);
    return rowSum<T>(p, h) + rowSum<T>(p + <usize>(h * sz), len - h);
  }
  let a0 = i32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
  let i = 0;
  for (; i + strip <= len; i += strip) {
    const q = p + <usize>(i * sz);
    a0 = v128.add<T>(a0, v128.load(q));
    a1 = v128.add<T>(a1, v128.load(q, 16));
    a2 = v128.add<T>(a2, v128.load(q, 32));
    a3 = v128.add<T>(a3, v128.load(q, 48));
  }
  for (; i + lanes <= len; i += lanes) a0 = v128.add<T>(a0, v128.load(p + <usize>(i * sz)));
  let s = hsum<T>(v128.add<T>(v128.add<T>(a0, a1), v128.add<T>(a2, a3)));
  for (; i < len; i++) s += load<T>(p + <usize>(i * sz));
  return s;
}

// dst[j] = sum over rows r < R of x[r*K + j], R <= COL_BLOCK, each column summed row by row
// (x0 + x1 + x2 + ...): the bits do not depend on how columns are grouped, so columns are
// independent. Wide rows stream: a chunk of dst (in L1) takes four rows per pass, read
// sequentially (column strips down the rows read 32 lines 4 KiB apart per strip, which the
// prefetchers follow badly: ~170 -> ~85 us for a 1024 x 1024 f32 sum over axis 0). Narrow rows
// keep strips of columns in registers down all R rows.
const STREAM_BYTES: i32 = 8192;

export function colSumBase<T>(x: usize, R: i32, K: i32, dst: usize): void {
  const sz = <i32>sizeof<T>();
  if (K * sz < 256) { colStrips<T>(x, R, K, dst); return; }
  const stride = <usize>K * <usize>sz, cw = STREAM_BYTES / sz;
  for (let j0 = 0; j0 < K; j0 += cw) {
    const w = min(cw, K - j0), bytes = <usize>w * <usize>sz, vecEnd = bytes & ~15;
    const d = dst + <usize>j0 * <usize>sz;
    let p = x + <usize>j0 * <usize>sz;
    memory.copy(d, p, bytes);
    let r = 1;
    for (; r + 4 <= R; r += 4) {
      const p1 = p + stride, p2 = p1 + stride, p3 = p2 + stride, p4 = p3 + stride;
      let i: usize = 0;
      for (; i < vecEnd; i += 16) {
        let v = v128.add<T>(v128.load(d + i), v128.load(p1 + i));
        v = v128.add<T>(v, v128.load(p2 + i));
        v = v128.add<T>(v, v128.load(p3 + i));
        v128.store(d + i, v128.add<T>(v, v128.load(p4 + i)));
      }
      for (; i < bytes; i += <usize>sz) {
        store<T>(d + i, (((load<T>(d + i) + load<T>(p1 + i)) + load<T>(p2 + i)) + load<T>(p3 + i)) + load<T>(p4 + i));
      }
      p = p4;
    }
    for (; r < R; r++) {
      p += stride;
      addInto<T>(d, p, w);
    }
  }
}

// colSumBase for narrow rows: column strips of 4 vectors accumulated in registers down the rows.
function colStrips<T>(x: usize, R: i32, K: i32, dst: usize): void {
  const sz = <i32>sizeof<T>(), lanes = 16 / sz, strip = 4 * lanes;
  const stride = <usize>(K * sz);
  let j = 0;
  for (; j + strip <= K; j += strip) {
    let p = x + <usize>(j * sz);
    let a0 = v128.load(p), a1 = v128.load(p, 16), a2 = v128.load(p, 32), a3 = v128.load(p, 48);
    for (let r = 1; r < R; r++) {
      p += stride;
      a0 = v128.add<T>(a0, v128.load(p));
      a1 = v128.add<T>(a1, v128.load(p, 16));
      a2 = v128.add<T>(a2, v128.load(p, 32));
      a3 = v128.add<T>(a3, v128.load(p, 48));
    }
    const q = dst + <usize>(j * sz);
    v128.store(q, a0); v128.store(q, a1, 16); v128.store(q, a2, 32); v128.store(q, a3, 48);
  }
  for (; j + lanes <= K; j += lanes) {
    let p = x + <usize>(j * sz);
    let a = v128.load(p);
    for (let r = 1; r < R; r++) { p += stride; a = v128.add<T>(a, v128.load(p)); }
    v128.store(dst + <usize>(j * sz), a);
  }
  for (; j < K; j++) {
    let p = x + <usize>(j * sz);
    let s = load<T>(p);
    for (let r = 1; r < R; r++) { p += stride; s += load<T>(p); }
    store<T>(dst + <usize>(j * sz), s);
  }
}

// Number of K-sized scratch rows colSum needs for R rows.
export function colDepth(R: i32): i32 {
  let d = 0;
  while (R > COL_BLOCK) { R -= R >> 1; d++; }
  return d;
}

// dst[j] = sum over r < R of x[r*K + j]; pairwise over row halves (the first R >> 1 rows, then
// the rest), tmp holds colDepth(R) scratch rows of K elements.
function colSum<T>(x: usize, R: i32, K: i32, dst: usize, tmp: usize): void {
  if (R <= COL_BLOCK) { colSumBase<T>(x, R, K, dst); return; }
  const sz = <usize>sizeof<T>(), rowBytes = <usize>K * sz;
  const h = R >> 1;
  colSum<T>(x, h, K, dst, tmp);
  colSum<T>(x + <usize>h * rowBytes, R - h, K, tmp, tmp + rowBytes);
  addInto<T>(dst, tmp, K);
}

/** dst[j] += src[j] for j < K. */
export function addInto<T>(dst: usize, src: usize, K: i32): void {
  const sz = <usize>sizeof<T>(), bytes = <usize>K * sz, vecEnd = bytes & ~15;
  let i: usize = 0;
  for (; i < vecEnd; i += 16) v128.store(dst + i, v128.add<T>(v128.load(dst + i), v128.load(src + i)));
  for (; i < bytes; i += sz) store<T>(dst + i, load<T>(dst + i) + load<T>(src + i));
}

/**
 * Simplify (shape, axesMask) into alternating kept / reduced groups (GSIZE, GRED): size-1 axes
 * dropped, neighbours of one kind merged. Returns the count of groups, or -1 for an empty array.
 */
export function sumGroups(shape: usize, ndim: i32, axesMask: i32): i32 {
  let g = 0;
  let total: usize = 1;
  for (let i = 0; i < ndim; i++) {
    const s = load<i32>(shape + (<usize>i << 2));
    const red = (axesMask >>> i) & 1;
    total *= <usize>s;
    if (s == 1) continue;
    if (g > 0 && load<i32>(GRED + (<usize>(g - 1) << 2)) == red) {
      const p = GSIZE + (<usize>(g - 1) << 2);
      store<i32>(p, load<i32>(p) * s);
    } else {
      store<i32>(GSIZE + (<usize>g << 2), s);
      store<i32>(GRED + (<usize>g << 2), red);
      g++;
    }
  }
  return total == 0 ? -1 : g;
}
@inline export function groupSize(i: i32): i32 { return load<i32>(GSIZE + (<usize>i << 2)); }
@inline export function groupReduced(i: i32): bool { return load<i32>(GRED + (<usize>i << 2)) != 0; }

function sumAxes<T>(x: usize, out: usize, shape: usize, ndim: i32, axesMask: i32): void {
  const sz = <usize>sizeof<T>();
  let kept: usize = 1;
  for (let i = 0; i < ndim; i++) if (!((axesMask >>> i) & 1)) kept *= <usize>load<i32>(shape + (<usize>i << 2));
  let g = sumGroups(shape, ndim, axesMask);
  if (g < 0) { memory.fill(out, 0, kept * sz); return; }

  let src = x, slot = SLOT_A;
  while (true) {
    // Innermost reduced group r; groups alternate, so at most one kept group follows it.
    let r = g - 1;
    while (r >= 0 && !load<i32>(GRED + (<usize>r << 2))) r--;
    if (r < 0) { if (src != out) memory.copy(out, src, kept * sz); break; }
    const R = load<i32>(GSIZE + (<usize>r << 2));
    const K = r + 1 < g ? load<i32>(GSIZE + (<usize>(r + 1) << 2)) : 1;
    let outer = 1;
    for (let i = 0; i < r; i++) outer *= load<i32>(GSIZE + (<usize>i << 2));
    const isLast = r < 2; // groups alternate: another reduced group needs r >= 2
    // Intermediates ping-pong between two scratch slots (src is in the other one).
    const dst = isLast ? out : scratch(slot, <usize>outer * <usize>K * sz);
    const inStep = <usize>R * <usize>K * sz, outStep = <usize>K * sz;
    if (K == 1 && R < SHORT_ROW) {
      // Short rows: a plain loop beats rowSum's vector setup and horizontal add.
      for (let o = 0; o < outer; o++) store<T>(dst + <usize>o * sz, shortRowSum<T>(src + <usize>o * inStep, R));
    } else if (K == 1) {
      for (let o = 0; o < outer; o++) {
        store<T>(dst + <usize>o * sz, rowSum<T>(src + <usize>o * inStep, R));
      }
    } else {
      const depth = colDepth(R);
      const tmp = depth ? scratch(SLOT_TMP, <usize>depth * outStep) : 0;
      for (let o = 0; o < outer; o++) {
        colSum<T>(src + <usize>o * inStep, R, K, dst + <usize>o * outStep, tmp);
      }
    }
    if (isLast) break;
    slot = slot == SLOT_A ? SLOT_B : SLOT_A;
    src = dst;
    // Drop group r; a kept group after it merges into the kept group before it.
    if (r + 1 < g) {
      const p = GSIZE + (<usize>(r - 1) << 2);
      store<i32>(p, load<i32>(p) * K);
    }
    g = r;
  }
}

export function sum_f32(x: usize, out: usize, shape: usize, ndim: i32, axesMask: i32): void {
  sumAxes<f32>(x, out, shape, ndim, axesMask);
  if (axesMask != 0) plusZero<f32>(out, keptCount(shape, ndim, axesMask));
}

/**
 * A sum of floats starts from +0 (JAX's reduce_sum init, numpy's add.reduce): a sum of -0s is
 * +0, though the loops above start from the first element (a -0 stays). Adding +0 changes
 * nothing else (NaN stays NaN). Fused sums (rules/fused.ts) end with it too.
 */
export function plusZero<T>(out: usize, n: usize): void {
  for (let i: usize = 0; i < n; i++) { const p = out + i * sizeof<T>(); store<T>(p, load<T>(p) + <T>0); }
}

function keptCount(shape: usize, ndim: i32, axesMask: i32): usize {
  let kept: usize = 1;
  for (let i = 0; i < ndim; i++) if (!((axesMask >>> i) & 1)) kept *= <usize>load<i32>(shape + (<usize>i << 2));
  return kept;
}

/** int32 and uint32 (wrapping, so one kernel serves both). */
export function sum_i32(x: usize, out: usize, shape: usize, ndim: i32, axesMask: i32): void {
  sumAxes<i32>(x, out, shape, ndim, axesMask);
}

export function sum_f64(x: usize, out: usize, shape: usize, ndim: i32, axesMask: i32): void {
  sumAxes<f64>(x, out, shape, ndim, axesMask);
  if (axesMask != 0) plusZero<f64>(out, keptCount(shape, ndim, axesMask));
}

// ---------------------------------------------------------------- running sums (cumsum)

/**
 * Running sums along the middle axis of an [outer, n, inner] array, from the start (or from the
 * end: `reverse`, cumsum's transpose), the first element copied (a -0 stays -0). float32 sums in
 * float64 and rounds each prefix once (numpy's float32 cumsum drifts; the log-step scan before this
 * kernel cost log2(n) passes). Complex: the real kernel over interleaved parts (inner * 2).
 */
export function cumsum_f32(a: usize, out: usize, outer: i32, n: i32, inner: i32, reverse: bool): void {
  if (n == 0 || inner == 0) return;
  const acc = scratch(SLOT_TMP, <usize>inner << 3);
  for (let o = 0; o < outer; o++) {
    const base = <usize>o * <usize>n * <usize>inner;
    for (let s = 0; s < n; s++) {
      const row = (base + <usize>(reverse ? n - 1 - s : s) * <usize>inner) << 2;
      for (let i = 0; i < inner; i++) {
        const p = acc + (<usize>i << 3), x = <f64>load<f32>(a + row + (<usize>i << 2));
        const v = s == 0 ? x : load<f64>(p) + x;
        store<f64>(p, v);
        store<f32>(out + row + (<usize>i << 2), <f32>v);
      }
    }
  }
}
export function cumsum_f64(a: usize, out: usize, outer: i32, n: i32, inner: i32, reverse: bool): void {
  cumsumSame<f64>(a, out, outer, n, inner, reverse);
}
/** int32 and uint32: wrapping sums (XLA's). */
export function cumsum_i32(a: usize, out: usize, outer: i32, n: i32, inner: i32, reverse: bool): void {
  cumsumSame<i32>(a, out, outer, n, inner, reverse);
}
function cumsumSame<T>(a: usize, out: usize, outer: i32, n: i32, inner: i32, reverse: bool): void {
  const sz = <usize>sizeof<T>(), step = <usize>inner * sz;
  for (let o = 0; o < outer; o++) {
    const base = <usize>o * <usize>n * step;
    let prev: usize = 0;
    for (let s = 0; s < n; s++) {
      const row = base + <usize>(reverse ? n - 1 - s : s) * step;
      for (let i = 0; i < inner; i++) {
        const at = <usize>i * sz, x = load<T>(a + row + at);
        store<T>(out + row + at, s == 0 ? x : <T>(load<T>(out + prev + at) + x));
      }
      prev = row;
    }
  }
}
