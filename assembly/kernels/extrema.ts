// reduce_max / reduce_min over a set of axes (a bit mask) and argmax / argmin along one axis.
// max/min use wasm's f32/f64 max and min, which propagate NaN (XLA's, hence JAX's, semantics).
// The innermost axis runs in SIMD: reduced, 4 (f32) / 2 (f64) lanes then a horizontal step;
// kept, a vector max of a whole row of the output.

const MAXD = 32;
const IDX = memory.data(MAXD * 4);
const OST = memory.data(MAXD * 4);
@inline function geti(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }
@inline function seti(p: usize, i: i32, v: i32): void { store<i32>(p + (<usize>i << 2), v); }

@inline function pick<T>(a: T, b: T, isMax: bool): T { return isMax ? max<T>(a, b) : min<T>(a, b); }
@inline function pickV<T>(a: v128, b: v128, isMax: bool): v128 { return isMax ? v128.max<T>(a, b) : v128.min<T>(a, b); }

function extremum<T>(x: usize, out: usize, shape: usize, nd: i32, mask: i32, isMax: bool): void {
  const sz = <usize>sizeof<T>(), lanes = 16 / <i32>sizeof<T>();
  let outSize = 1, total = 1;
  for (let i = nd - 1; i >= 0; i--) {
    total *= geti(shape, i);
    if ((mask & (1 << i)) == 0) { seti(OST, i, outSize); outSize *= geti(shape, i); } else seti(OST, i, 0);
  }
  const init: T = isMax ? <T>-Infinity : <T>Infinity;
  for (let o = 0; o < outSize; o++) store<T>(out + <usize>o * sz, init);
  if (total == 0) return;
  if (nd == 0) { store<T>(out, load<T>(x)); return; }
  const last = nd - 1, n = geti(shape, last), lastReduced = (mask & (1 << last)) != 0;
  for (let i = 0; i < last; i++) seti(IDX, i, 0);
  let xo: usize = x, oo = 0;
  const outer = total / n;
  for (let t = 0; t < outer; t++) {
    const op = out + <usize>oo * sz;
    let j = 0;
    if (lastReduced) {
      let acc: T = load<T>(op);
      if (n >= 2 * lanes) {
        let v = v128.splat<T>(acc);
        // four independent chains (wasm's NaN-propagating max is several instructions deep: one
        // chain ran at ~1 ns a vector, 10x a sum); max and min are order-free, -0 < +0 included
        if (n >= 8 * lanes) {
          let v1 = v, v2 = v, v3 = v;
          for (; j + 4 * lanes <= n; j += 4 * lanes) {
            const q = xo + <usize>j * sz;
            v = pickV<T>(v, v128.load(q), isMax); v1 = pickV<T>(v1, v128.load(q, 16), isMax);
            v2 = pickV<T>(v2, v128.load(q, 32), isMax); v3 = pickV<T>(v3, v128.load(q, 48), isMax);
          }
          v = pickV<T>(pickV<T>(v, v1, isMax), pickV<T>(v2, v3, isMax), isMax);
        }
        for (; j + lanes <= n; j += lanes) v = pickV<T>(v, v128.load(xo + <usize>j * sz), isMax);
        for (let l = 0; l < lanes; l++) {
          const e: T = sizeof<T>() == 4 ? <T>f32x4.extract_lane(v, 0) : <T>f64x2.extract_lane(v, 0);
          acc = pick<T>(acc, e, isMax);
          v = i8x16.shuffle(v, v, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3);
          if (sizeof<T>() == 8) v = i8x16.shuffle(v, v, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3);
        }
      }
      for (; j < n; j++) acc = pick<T>(acc, load<T>(xo + <usize>j * sz), isMax);
      store<T>(op, acc);
    } else {
      for (; j + lanes <= n; j += lanes) {
        const q = op + <usize>j * sz;
        v128.store(q, pickV<T>(v128.load(q), v128.load(xo + <usize>j * sz), isMax));
      }
      for (; j < n; j++) {
        const q = op + <usize>j * sz;
        store<T>(q, pick<T>(load<T>(q), load<T>(xo + <usize>j * sz), isMax));
      }
    }
    xo += <usize>n * sz;
    for (let i = last - 1; i >= 0; i--) {
      seti(IDX, i, geti(IDX, i) + 1);
      oo += geti(OST, i);
      if (geti(IDX, i) < geti(shape, i)) break;
      oo -= geti(OST, i) * geti(shape, i);
      seti(IDX, i, 0);
    }
  }
}

export function reduce_max_f32(x: usize, out: usize, shape: usize, nd: i32, mask: i32): void { extremum<f32>(x, out, shape, nd, mask, true); }
export function reduce_max_f64(x: usize, out: usize, shape: usize, nd: i32, mask: i32): void { extremum<f64>(x, out, shape, nd, mask, true); }
export function reduce_min_f32(x: usize, out: usize, shape: usize, nd: i32, mask: i32): void { extremum<f32>(x, out, shape, nd, mask, false); }
export function reduce_min_f64(x: usize, out: usize, shape: usize, nd: i32, mask: i32): void { extremum<f64>(x, out, shape, nd, mask, false); }

// out[o, i] = the first j < n with x[o, j, i] the max (min), a NaN counting as both (numpy's
// and JAX's argmax); n >= 1.
function argExtremum<T>(x: usize, out: usize, outer: i32, n: i32, inner: i32, isMax: bool): void {
  const sz = <usize>sizeof<T>();
  if (inner == 1 && n >= 64) {
    // contiguous rows: the extremum in SIMD, then the first element equal to it (the first NaN when
    // it is NaN), compared a vector at a time: two vector passes, not one compare-and-branch each
    for (let o = 0; o < outer; o++) {
      const row = x + <usize>o * <usize>n * sz;
      store<i32>(out + (<usize>o << 2), firstEqual<T>(row, n, rowExtremum<T>(row, n, isMax)));
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    const base = x + <usize>o * <usize>n * <usize>inner * sz;
    for (let i = 0; i < inner; i++) {
      let bv = load<T>(base + <usize>i * sz), bi = 0;
      for (let j = 1; j < n && bv == bv; j++) {
        const v = load<T>(base + (<usize>j * <usize>inner + <usize>i) * sz);
        if (v != v || (isMax ? v > bv : v < bv)) { bv = v; bi = j; }
      }
      store<i32>(out + ((<usize>o * <usize>inner + <usize>i) << 2), bi);
    }
  }
}

/** max (min) of n >= 64 contiguous values, NaN if any is (wasm's max and min). */
function rowExtremum<T>(p: usize, n: i32, isMax: bool): T {
  const sz = <usize>sizeof<T>(), lanes = 16 / <i32>sizeof<T>();
  let v = v128.load(p), v1 = v, v2 = v, v3 = v, j = 0;
  for (; j + 4 * lanes <= n; j += 4 * lanes) {
    const q = p + <usize>j * sz;
    v = pickV<T>(v, v128.load(q), isMax); v1 = pickV<T>(v1, v128.load(q, 16), isMax);
    v2 = pickV<T>(v2, v128.load(q, 32), isMax); v3 = pickV<T>(v3, v128.load(q, 48), isMax);
  }
  v = pickV<T>(pickV<T>(v, v1, isMax), pickV<T>(v2, v3, isMax), isMax);
  let acc: T = sizeof<T>() == 4 ? <T>f32x4.extract_lane(v, 0) : <T>f64x2.extract_lane(v, 0);
  for (let l = 1; l < lanes; l++) {
    v = i8x16.shuffle(v, v, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3);
    if (sizeof<T>() == 8) v = i8x16.shuffle(v, v, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3);
    acc = pick<T>(acc, sizeof<T>() == 4 ? <T>f32x4.extract_lane(v, 0) : <T>f64x2.extract_lane(v, 0), isMax);
  }
  for (; j < n; j++) acc = pick<T>(acc, load<T>(p + <usize>j * sz), isMax);
  return acc;
}

/** The first j < n with p[j] == m (p[j] NaN when m is NaN); m is one of the values. */
function firstEqual<T>(p: usize, n: i32, m: T): i32 {
  const sz = <usize>sizeof<T>(), lanes = 16 / <i32>sizeof<T>(), nan = m != m, s = v128.splat<T>(m);
  let j = 0;
  for (; j + lanes <= n; j += lanes) {
    const w = v128.load(p + <usize>j * sz);
    if (v128.any_true(nan ? v128.ne<T>(w, w) : v128.eq<T>(w, s))) break;
  }
  for (; j < n; j++) {
    const e = load<T>(p + <usize>j * sz);
    if (nan ? e != e : e == m) return j;
  }
  return 0; // (unreachable: m is one of the values)
}

export function argmax_f32(x: usize, out: usize, outer: i32, n: i32, inner: i32): void { argExtremum<f32>(x, out, outer, n, inner, true); }
export function argmax_f64(x: usize, out: usize, outer: i32, n: i32, inner: i32): void { argExtremum<f64>(x, out, outer, n, inner, true); }
export function argmin_f32(x: usize, out: usize, outer: i32, n: i32, inner: i32): void { argExtremum<f32>(x, out, outer, n, inner, false); }
export function argmin_f64(x: usize, out: usize, outer: i32, n: i32, inner: i32): void { argExtremum<f64>(x, out, outer, n, inner, false); }
