// argsort (stable merge sort of index lines, NaN ordered after every number, ties by index) and
// searchsorted (binary search in the same order).

/** x before y in ascending order with NaN greatest. */
@inline function before<T>(x: T, y: T): bool { return x < y || (y != y && x == x); }

// Merge sort scratch: indices and their keys, two buffers each (heap, grown on demand).
let cap = 0;
let ia: usize = 0, ib: usize = 0;

function ensure(n: i32): void {
  if (n <= cap) return;
  if (cap > 0) { heap.free(ia); heap.free(ib); }
  cap = max(n, 64);
  ia = heap.alloc(<usize>cap << 2);
  ib = heap.alloc(<usize>cap << 2);
}

/** Sort the line x[base + j*stride], j < n, writing the permutation to out (same layout, int32). */
function sortLine<T>(x: usize, base: usize, stride: usize, n: i32, desc: bool, out: usize, outBase: usize): void {
  const sz = <usize>sizeof<T>();
  for (let j = 0; j < n; j++) store<i32>(ia + (<usize>j << 2), j);
  let src = ia, dst = ib;
  for (let w = 1; w < n; w <<= 1) {
    for (let lo = 0; lo < n; lo += 2 * w) {
      const mid = min(lo + w, n), hi = min(lo + 2 * w, n);
      let i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        const pi = load<i32>(src + (<usize>i << 2)), pj = load<i32>(src + (<usize>j << 2));
        const vi = load<T>(x + (base + <usize>pi * stride) * sz), vj = load<T>(x + (base + <usize>pj * stride) * sz);
        // take from the right only when strictly before: stability
        const right = desc ? before<T>(vi, vj) : before<T>(vj, vi);
        if (right) { store<i32>(dst + (<usize>(k++) << 2), pj); j++; } else { store<i32>(dst + (<usize>(k++) << 2), pi); i++; }
      }
      while (i < mid) store<i32>(dst + (<usize>(k++) << 2), load<i32>(src + (<usize>(i++) << 2)));
      while (j < hi) store<i32>(dst + (<usize>(k++) << 2), load<i32>(src + (<usize>(j++) << 2)));
    }
    const t = src; src = dst; dst = t;
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
