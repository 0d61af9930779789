// argsort (stable: LSD radix sort of long lines, merge sort of short ones; NaN ordered after every
// number, ties by index) and searchsorted (binary search in the same order).

/** x before y in ascending order with NaN greatest. */
@inline function before<T>(x: T, y: T): bool { return x < y || (y != y && x == x); }

// Merge sort scratch: indices and their keys, two buffers each (heap, grown on demand). The keys
// travel with their indices, so every pass reads and writes sequentially (sorting indices alone,
// each comparison loaded two keys from random places of the line: 4M float32 took 2 s).
let cap = 0;
let ia: usize = 0, ib: usize = 0, ka: usize = 0, kb: usize = 0;

function ensure(n: i32): void {
  if (n <= cap) return;
  if (cap > 0) { heap.free(ia); heap.free(ib); heap.free(ka); heap.free(kb); }
  cap = max(n, 64);
  ia = heap.alloc(<usize>cap << 2);
  ib = heap.alloc(<usize>cap << 2);
  ka = heap.alloc(<usize>cap << 3);
  kb = heap.alloc(<usize>cap << 3);
}

/** Runs this long are insertion-sorted first (fewer merge passes). */
const RUN = 16;

/** Lines at least this long are radix-sorted (below it the histograms cost more than the merges). */
const RADIX_MIN = 512;

// LSD radix sort's digit counts: 256 per byte of the key (8 for float64 keys).
const hist: usize = memory.data(8 * 256 * 4, 16);

/**
 * The unsigned key ordering floats as `before` does: the sign bit flipped for numbers >= 0 and all
 * bits for negatives (IEEE order as unsigned order), -0 as +0 and every NaN one key above +inf (so
 * ties are exactly `before`'s ties, which stability then keeps in index order). Descending: ~key.
 */
@inline function radixKey<T, K>(v: T, desc: bool): K {
  let k: K;
  if (sizeof<T>() == 4) {
    const b = v == 0 ? <u32>0 : reinterpret<u32>(<f32>v);
    k = <K>(v != v ? <u32>0xFFFFFFFF : (b >> 31) != 0 ? ~b : b | 0x80000000);
  } else {
    const b = v == 0 ? <u64>0 : reinterpret<u64>(<f64>v);
    k = <K>(v != v ? <u64>0xFFFFFFFFFFFFFFFF : (b >> 63) != 0 ? ~b : b | 0x8000000000000000);
  }
  return desc ? ~k : k;
}

/**
 * radixLine<T, K>: sortLine's permutation by a least-significant-digit radix sort of the keys
 * (byte digits, each pass a stable scatter, so equal keys keep index order; a pass whose digit
 * is the same for the whole line is skipped). O(n) per digit: 1M float32 took 200 ms merging.
 */
function radixLine<T, K>(x: usize, base: usize, stride: usize, n: i32, desc: bool, out: usize, outBase: usize): void {
  const sz = <usize>sizeof<T>(), ksz = <usize>sizeof<K>(), digits = <i32>ksz;
  memory.fill(hist, 0, <usize>digits * 256 * 4);
  for (let j = 0; j < n; j++) {
    const k = radixKey<T, K>(load<T>(x + (base + <usize>j * stride) * sz), desc);
    store<K>(ka + <usize>j * ksz, k);
    store<i32>(ia + (<usize>j << 2), j);
    for (let d = 0; d < digits; d++) {
      const h = hist + ((<usize>d << 8) + <usize>(<u32>(k >> <K>(d << 3)) & 0xFF) << 2);
      store<u32>(h, load<u32>(h) + 1);
    }
  }
  let src = ia, dst = ib, ksrc = ka, kdst = kb;
  for (let d = 0; d < digits; d++) {
    const h = hist + (<usize>d << 10);
    const first = <usize>(<u32>(load<K>(ksrc) >> <K>(d << 3)) & 0xFF);
    if (load<u32>(h + (first << 2)) == <u32>n) continue; // one digit value throughout
    let sum: u32 = 0; // counts -> starting offsets
    for (let b = 0; b < 256; b++) {
      const c = load<u32>(h + (<usize>b << 2));
      store<u32>(h + (<usize>b << 2), sum);
      sum += c;
    }
    for (let j = 0; j < n; j++) {
      const k = load<K>(ksrc + <usize>j * ksz);
      const slot = h + (<usize>(<u32>(k >> <K>(d << 3)) & 0xFF) << 2), at = <usize>load<u32>(slot);
      store<u32>(slot, <u32>at + 1);
      store<K>(kdst + at * ksz, k);
      store<i32>(dst + (at << 2), load<i32>(src + (<usize>j << 2)));
    }
    let t = src; src = dst; dst = t;
    t = ksrc; ksrc = kdst; kdst = t;
  }
  for (let j = 0; j < n; j++) store<i32>(out + ((outBase + <usize>j * stride) << 2), load<i32>(src + (<usize>j << 2)));
}

/** Sort the line x[base + j*stride], j < n, writing the permutation to out (same layout, int32). */
function sortLine<T>(x: usize, base: usize, stride: usize, n: i32, desc: bool, out: usize, outBase: usize): void {
  if (n >= RADIX_MIN) {
    if (sizeof<T>() == 4) radixLine<T, u32>(x, base, stride, n, desc, out, outBase);
    else radixLine<T, u64>(x, base, stride, n, desc, out, outBase);
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
  ensure(n);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = <usize>o * <usize>n * <usize>inner + <usize>i;
      sortLine<T>(x, base, <usize>inner, n, desc, out, base);
    }
  }
}

export function argsort_f32(x: usize, out: usize, outer: i32, n: i32, inner: i32, desc: bool): void { argsortImpl<f32>(x, out, outer, n, inner, desc); }
export function argsort_f64(x: usize, out: usize, outer: i32, n: i32, inner: i32, desc: bool): void { argsortImpl<f64>(x, out, outer, n, inner, desc); }

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
