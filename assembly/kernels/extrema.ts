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

export function argmax_f32(x: usize, out: usize, outer: i32, n: i32, inner: i32): void { argExtremum<f32>(x, out, outer, n, inner, true); }
export function argmax_f64(x: usize, out: usize, outer: i32, n: i32, inner: i32): void { argExtremum<f64>(x, out, outer, n, inner, true); }
export function argmin_f32(x: usize, out: usize, outer: i32, n: i32, inner: i32): void { argExtremum<f32>(x, out, outer, n, inner, false); }
export function argmin_f64(x: usize, out: usize, outer: i32, n: i32, inner: i32): void { argExtremum<f64>(x, out, outer, n, inner, false); }
