// argsort of float32, float64, int32 and uint32 lines (stable: LSD radix sort of long lines, merge
// sort of short ones; NaN ordered after every number, ties by index) and searchsorted (binary
// search in the same order).

/** x before y in ascending order with NaN greatest. */
@inline function before<T>(x: T, y: T): bool { return x < y || (y != y && x == x); }

/** Runs this long are insertion-sorted first (fewer merge passes). */
const RUN = 16;

/** Lines at least this long are radix-sorted (below it the histograms cost more than the merges: at 64 the
 *  merge sort took 20 ms for 512K float32 and the radix sort 38; at 128 30 and 22). */
const RADIX_MIN = 128;

// Merge sort scratch (lines shorter than RADIX_MIN): indices and their keys, two buffers each.
// The keys travel with their indices, so every pass reads and writes sequentially (sorting indices
// alone, each comparison loaded two keys from random places of the line).
const ia: usize = memory.data(RADIX_MIN << 2, 16), ib: usize = memory.data(RADIX_MIN << 2, 16);
const ka: usize = memory.data(RADIX_MIN << 3, 16), kb: usize = memory.data(RADIX_MIN << 3, 16);

// LSD radix sort's digits: 11 bits (3 passes for float32 keys, 6 for float64; byte digits took 4
// and 8), all digits counted in the first pass.
const DIGIT = 11;
const BUCKETS = 1 << DIGIT;
const hist: usize = memory.data(6 * BUCKETS * 4, 16);

// Radix scratch: two buffers of (key, index) elements, 8 bytes for float32 keys (key << 32 | index
// in one u64) and 16 for float64 (one v128), grown on demand: a scatter moves an element with one
// store (separate key and index arrays took two stores to two random places).
let rcap: usize = 0;
let ra: usize = 0, rb: usize = 0;

function ensureRadix(bytes: usize): void {
  if (bytes <= rcap) return;
  freeRadix();
  // (an allocation that fails aborts the call: rcap stays 0 until both buffers exist)
  ra = heap.alloc(bytes);
  rb = heap.alloc(bytes);
  rcap = bytes;
}

function freeRadix(): void {
  if (ra != 0) heap.free(ra);
  if (rb != 0) heap.free(rb);
  ra = rb = 0;
  rcap = 0;
}

/** Counts to starting offsets; false when one bucket holds all n elements (the pass moves nothing). */
@inline function offsets(h: usize, n: i32): bool {
  let sum: u32 = 0;
  for (let b = 0; b < BUCKETS; b++) {
    const c = load<u32>(h + (<usize>b << 2));
    if (c == <u32>n) return false;
    store<u32>(h + (<usize>b << 2), sum);
    sum += c;
  }
  return true;
}

/**
 * The unsigned key ordering floats as `before` does: the sign bit flipped for numbers >= 0 and all
 * bits for negatives (IEEE order as unsigned order), -0 as +0 and every NaN one key above +inf (so
 * ties are exactly `before`'s ties, which stability then keeps in index order). Descending: ~key.
 */
@inline function key32<T>(v: T, desc: bool): u32 {
  let k: u32;
  if (isFloat<T>()) {
    const b = v == 0 ? <u32>0 : reinterpret<u32>(<f32>v);
    k = v != v ? <u32>0xFFFFFFFF : (b >> 31) != 0 ? ~b : b | 0x80000000;
  } else if (isSigned<T>()) {
    k = <u32>v ^ 0x80000000; // int32: two's complement order as unsigned order
  } else {
    k = <u32>v;
  }
  return desc ? ~k : k;
}
@inline function key64(v: f64, desc: bool): u64 {
  const b = v == 0 ? <u64>0 : reinterpret<u64>(v);
  const k = v != v ? <u64>0xFFFFFFFFFFFFFFFF : (b >> 63) != 0 ? ~b : b | 0x8000000000000000;
  return desc ? ~k : k;
}

/**
 * sortLine's permutation of a 4-byte line (float32, int32, uint32) by a least-significant-digit
 * radix sort: each element is key << 32 | index, each pass a stable scatter by one digit of the key, so equal keys keep
 * index order; a pass whose digit is the same for the whole line is skipped. O(n) per digit.
 */
function radix32<T>(x: usize, base: usize, stride: usize, n: i32, desc: bool, out: usize, outBase: usize): void {
  memory.fill(hist, 0, 3 * BUCKETS * 4);
  const h1 = hist + BUCKETS * 4, h2 = hist + 2 * BUCKETS * 4;
  for (let j = 0; j < n; j++) {
    const k = key32<T>(load<T>(x + ((base + <usize>j * stride) << 2)), desc);
    store<u64>(ra + (<usize>j << 3), (<u64>k << 32) | <u64>j);
    const c0 = hist + (<usize>(k & (BUCKETS - 1)) << 2), c1 = h1 + (<usize>((k >> DIGIT) & (BUCKETS - 1)) << 2), c2 = h2 + (<usize>(k >> 2 * DIGIT) << 2);
    store<u32>(c0, load<u32>(c0) + 1);
    store<u32>(c1, load<u32>(c1) + 1);
    store<u32>(c2, load<u32>(c2) + 1);
  }
  let src = ra, dst = rb;
  for (let d = 0; d < 3; d++) {
    const h = hist + <usize>d * BUCKETS * 4, shift = <u64>(32 + d * DIGIT);
    if (!offsets(h, n)) continue;
    for (let j = 0; j < n; j++) {
      const e = load<u64>(src + (<usize>j << 3));
      const slot = h + (<usize>((e >> shift) & <u64>(BUCKETS - 1)) << 2), at = load<u32>(slot);
      store<u32>(slot, at + 1);
      store<u64>(dst + (<usize>at << 3), e);
    }
    const t = src; src = dst; dst = t;
  }
  for (let j = 0; j < n; j++) store<i32>(out + ((outBase + <usize>j * stride) << 2), <i32>load<u32>(src + (<usize>j << 3)));
}

/** radix32 for float64 lines: elements are (key, index) in a v128, six 11-bit digits of the key. */
function radix64(x: usize, base: usize, stride: usize, n: i32, desc: bool, out: usize, outBase: usize): void {
  memory.fill(hist, 0, 6 * BUCKETS * 4);
  for (let j = 0; j < n; j++) {
    const k = key64(load<f64>(x + ((base + <usize>j * stride) << 3)), desc);
    v128.store(ra + (<usize>j << 4), i64x2.replace_lane(i64x2.splat(<i64>k), 1, <i64>j));
    for (let d = 0; d < 6; d++) {
      const c = hist + (<usize>d * BUCKETS << 2) + (<usize>((k >> <u64>(d * DIGIT)) & <u64>(BUCKETS - 1)) << 2);
      store<u32>(c, load<u32>(c) + 1);
    }
  }
  let src = ra, dst = rb;
  for (let d = 0; d < 6; d++) {
    const h = hist + <usize>d * BUCKETS * 4, shift = <u64>(d * DIGIT);
    if (!offsets(h, n)) continue;
    for (let j = 0; j < n; j++) {
      const e = v128.load(src + (<usize>j << 4));
      const slot = h + (<usize>((<u64>i64x2.extract_lane(e, 0) >> shift) & <u64>(BUCKETS - 1)) << 2), at = load<u32>(slot);
      store<u32>(slot, at + 1);
      v128.store(dst + (<usize>at << 4), e);
    }
    const t = src; src = dst; dst = t;
  }
  for (let j = 0; j < n; j++) store<i32>(out + ((outBase + <usize>j * stride) << 2), load<i32>(src + (<usize>j << 4) + 8));
}

/** Sort the line x[base + j*stride], j < n, writing the permutation to out (same layout, int32). */
function sortLine<T>(x: usize, base: usize, stride: usize, n: i32, desc: bool, out: usize, outBase: usize): void {
  if (n >= RADIX_MIN) {
    if (sizeof<T>() == 4) radix32<T>(x, base, stride, n, desc, out, outBase);
    else radix64(x, base, stride, n, desc, out, outBase);
    return;
  }
  const sz = <usize>sizeof<T>();
  for (let j = 0; j < n; j++) {
    store<i32>(ia + (<usize>j << 2), j);
    store<T>(ka + <usize>j * sz, load<T>(x + (base + <usize>j * stride) * sz));
  }
  // insertion sort of each run; an element moves left past strictly later ones only (stable)
  for (let lo = 0; lo < n; lo += RUN) {
    const hi = min(lo + RUN, n);
    for (let j = lo + 1; j < hi; j++) {
      const v = load<T>(ka + <usize>j * sz), p = load<i32>(ia + (<usize>j << 2));
      let i = j;
      while (i > lo) {
        const u = load<T>(ka + <usize>(i - 1) * sz);
        if (!(desc ? before<T>(u, v) : before<T>(v, u))) break;
        store<T>(ka + <usize>i * sz, u);
        store<i32>(ia + (<usize>i << 2), load<i32>(ia + (<usize>(i - 1) << 2)));
        i--;
      }
      store<T>(ka + <usize>i * sz, v);
      store<i32>(ia + (<usize>i << 2), p);
    }
  }
  let src = ia, dst = ib, ksrc = ka, kdst = kb;
  for (let w = RUN; w < n; w <<= 1) {
    for (let lo = 0; lo < n; lo += 2 * w) {
      const mid = min(lo + w, n), hi = min(lo + 2 * w, n);
      let i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        const vi = load<T>(ksrc + <usize>i * sz), vj = load<T>(ksrc + <usize>j * sz);
        // take from the right only when strictly before: stability
        const right = desc ? before<T>(vi, vj) : before<T>(vj, vi);
        if (right) {
          store<T>(kdst + <usize>k * sz, vj); store<i32>(dst + (<usize>k << 2), load<i32>(src + (<usize>j << 2))); j++;
        } else {
          store<T>(kdst + <usize>k * sz, vi); store<i32>(dst + (<usize>k << 2), load<i32>(src + (<usize>i << 2))); i++;
        }
        k++;
      }
      if (i < mid) {
        memory.copy(kdst + <usize>k * sz, ksrc + <usize>i * sz, <usize>(mid - i) * sz);
        memory.copy(dst + (<usize>k << 2), src + (<usize>i << 2), <usize>(mid - i) << 2);
      } else if (j < hi) {
        memory.copy(kdst + <usize>k * sz, ksrc + <usize>j * sz, <usize>(hi - j) * sz);
        memory.copy(dst + (<usize>k << 2), src + (<usize>j << 2), <usize>(hi - j) << 2);
      }
    }
    let t = src; src = dst; dst = t;
    t = ksrc; ksrc = kdst; kdst = t;
  }
  for (let j = 0; j < n; j++) store<i32>(out + ((outBase + <usize>j * stride) << 2), load<i32>(src + (<usize>j << 2)));
}

function argsortImpl<T>(x: usize, out: usize, outer: i32, n: i32, inner: i32, desc: bool): void {
  if (n >= RADIX_MIN) ensureRadix(<usize>n * (sizeof<T>() == 4 ? 8 : 16));
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = <usize>o * <usize>n * <usize>inner + <usize>i;
      sortLine<T>(x, base, <usize>inner, n, desc, out, base);
    }
  }
  // large scratch goes back to the heap (kept, one sort of 1e8 float64 held 3.2 GB for good)
  if (rcap > RADIX_KEEP) freeRadix();
}

/** Radix scratch kept between calls, per buffer (a line of 1M float64). */
const RADIX_KEEP: usize = 16 << 20;

export function argsort_f32(x: usize, out: usize, outer: i32, n: i32, inner: i32, desc: bool): void { argsortImpl<f32>(x, out, outer, n, inner, desc); }
export function argsort_f64(x: usize, out: usize, outer: i32, n: i32, inner: i32, desc: bool): void { argsortImpl<f64>(x, out, outer, n, inner, desc); }
export function argsort_i32(x: usize, out: usize, outer: i32, n: i32, inner: i32, desc: bool): void { argsortImpl<i32>(x, out, outer, n, inner, desc); }
export function argsort_u32(x: usize, out: usize, outer: i32, n: i32, inner: i32, desc: bool): void { argsortImpl<u32>(x, out, outer, n, inner, desc); }

function searchImpl<T>(a: usize, n: i32, v: usize, out: usize, m: i32, right: bool): void {
  const sz = <usize>sizeof<T>();
  for (let k = 0; k < m; k++) {
    const q = load<T>(v + <usize>k * sz);
    let lo = 0, hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const am = load<T>(a + <usize>mid * sz);
      // left: first index with !(a < q); right: first index with q < a
      const goRight = right ? !before<T>(q, am) : before<T>(am, q);
      if (goRight) lo = mid + 1; else hi = mid;
    }
    store<i32>(out + (<usize>k << 2), lo);
  }
}

export function searchsorted_f32(a: usize, n: i32, v: usize, out: usize, m: i32, right: bool): void { searchImpl<f32>(a, n, v, out, m, right); }
export function searchsorted_f64(a: usize, n: i32, v: usize, out: usize, m: i32, right: bool): void { searchImpl<f64>(a, n, v, out, m, right); }
