// XLA's gather and scatter-add over row-major arrays, element by element. Index vectors are the
// last axis of an int32 indices array (index_vector_dim = last, as JAX's). Out-of-range starts
// are clamped (mode clip) or fill the whole window / drop the whole update (mode fill / drop),
// as XLA's and JAX's gather and scatter. Descriptor layout (i32s, built by the rule):
//   R, S[R] operand shape, XS[R] operand strides (elements),
//   K, map[K] (operand dim of each index component),
//   NW, wd[NW] (operand dim of each window dim), ws[NW] window sizes, WO[NW] strides of the
//   window dims in the gathered output / in the updates,
//   NB, bs[NB] batch sizes, BO[NB] strides of the batch dims in the output / updates,
//   lo[R] = 0 and hi[R] = the largest valid start per operand dim.
const MAXD = 32;
const START = memory.data(MAXD * 4);

@inline function gi(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }

// Mode bits (the rules' mode param): FILL (else clip: clamp the start into range), NEG (an index
// in [-n, 0) counts from the end first, numpy's negative indexing), WRAP (index mod n, np.take's
// mode 'wrap'; windows of size 1).
export const FILL = 1, NEG = 2, WRAP = 4;

/** Start offset (elements) of the window of batch b, or -1 when out of range under fill/drop. */
function windowStart(d: usize, idx: usize, b: i32, mode: i32): i64 {
  const clip = (mode & FILL) == 0;
  const R = gi(d, 0), S = d + 4, XS = S + (<usize>R << 2), K = gi(XS + (<usize>R << 2), 0);
  const MAP = XS + (<usize>R << 2) + 4;
  const NW = gi(MAP + (<usize>K << 2), 0);
  const NB = gi(MAP + (<usize>K << 2) + 4 + (<usize>(3 * NW) << 2), 0);
  const HI = MAP + (<usize>K << 2) + 8 + (<usize>(3 * NW) << 2) + (<usize>(2 * NB) << 2);
  let off: i64 = 0;
  for (let k = 0; k < K; k++) {
    const dim = gi(MAP, k);
    let s = load<i32>(idx + ((<usize>b * <usize>K + <usize>k) << 2));
    const hi = gi(HI, dim), n = gi(d + 4, dim);
    if ((mode & WRAP) != 0 && n > 0) { s %= n; if (s < 0) s += n; }
    else if ((mode & NEG) != 0 && s < 0 && s >= -n) s += n;
    if (s < 0 || s > hi) {
      if (!clip) return -1;
      s = s < 0 ? 0 : hi;
    }
    off += <i64>s * <i64>gi(XS, dim);
  }
  return off;
}

function gatherImpl<T>(x: usize, idx: usize, out: usize, d: usize, mode: i32, fill: T): void {
  const R = gi(d, 0), XS = d + 4 + (<usize>R << 2), K = gi(XS + (<usize>R << 2), 0);
  const MAP = XS + (<usize>R << 2) + 4;
  const W = MAP + (<usize>K << 2), NW = gi(W, 0), WD = W + 4, WS = WD + (<usize>NW << 2), WO = WS + (<usize>NW << 2);
  const B = WO + (<usize>NW << 2), NB = gi(B, 0), BS = B + 4, BO = BS + (<usize>NB << 2);
  let nb = 1, nw = 1;
  for (let j = 0; j < NB; j++) nb *= gi(BS, j);
  for (let k = 0; k < NW; k++) nw *= gi(WS, k);
  const sz = <usize>sizeof<T>();
  // Fast path: a 1-d operand read at one index per element (a take, a strided slice, a
  // permutation): the descriptor walk and the batch divisions per element cost ~40 ns each.
  if (R == 1 && K == 1 && NB == 1 && nw == 1) {
    const n = gi(d, 1), hi = gi(MAP + (<usize>K << 2) + 8 + (<usize>(3 * NW) << 2) + (<usize>(2 * NB) << 2), 0);
    const xs = gi(XS, 0), bo = <usize>gi(BO, 0), clip = (mode & FILL) == 0;
    for (let b = 0; b < nb; b++) {
      let s = load<i32>(idx + (<usize>b << 2));
      if ((mode & WRAP) != 0 && n > 0) { s %= n; if (s < 0) s += n; }
      else if ((mode & NEG) != 0 && s < 0 && s >= -n) s += n;
      let v: T = fill;
      if (s >= 0 && s <= hi) v = load<T>(x + <usize>s * <usize>xs * sz);
      else if (clip) v = load<T>(x + <usize>(s < 0 ? 0 : hi) * <usize>xs * sz);
      store<T>(out + <usize>b * bo * sz, v);
    }
    return;
  }
  for (let b = 0; b < nb; b++) {
    let outBase: usize = 0, r = b;
    for (let j = NB - 1; j >= 0; j--) { const n = gi(BS, j); outBase += <usize>(r % n) * <usize>gi(BO, j); r /= n; }
    const start = windowStart(d, idx, b, mode);
    // Fast path: the innermost window dim is contiguous in the operand and the output: copy runs.
    const run = NW > 0 && gi(XS, gi(WD, NW - 1)) == 1 && gi(WO, NW - 1) == 1 ? gi(WS, NW - 1) : 0;
    if (run > 1 && start >= 0) {
      for (let w = 0; w < nw; w += run) {
        let o = outBase, xo: i64 = start, q = w / run;
        for (let k = NW - 2; k >= 0; k--) {
          const n = gi(WS, k), c = q % n;
          q /= n;
          o += <usize>c * <usize>gi(WO, k);
          xo += <i64>c * <i64>gi(XS, gi(WD, k));
        }
        memory.copy(out + o * sz, x + <usize>xo * sz, <usize>run * sz);
      }
      continue;
    }
    for (let w = 0; w < nw; w++) {
      let o = outBase, xo: i64 = start, q = w;
      for (let k = NW - 1; k >= 0; k--) {
        const n = gi(WS, k), c = q % n;
        q /= n;
        o += <usize>c * <usize>gi(WO, k);
        xo += <i64>c * <i64>gi(XS, gi(WD, k));
      }
      store<T>(out + o * sz, start < 0 ? fill : load<T>(x + <usize>xo * sz));
    }
  }
}

export function gather_b8(x: usize, idx: usize, out: usize, d: usize, mode: i32, nanFill: bool): void {
  gatherImpl<u8>(x, idx, out, d, mode, nanFill ? 1 : 0);
}
export function gather_f32(x: usize, idx: usize, out: usize, d: usize, mode: i32, nanFill: bool): void {
  gatherImpl<f32>(x, idx, out, d, mode, nanFill ? NaN : 0);
}
export function gather_f64(x: usize, idx: usize, out: usize, d: usize, mode: i32, nanFill: bool): void {
  gatherImpl<f64>(x, idx, out, d, mode, nanFill ? NaN : 0);
}
// Complex: complex64 moves as u64 pairs, complex128 as v128; the fill is NaN + 0j (or 0): JAX's
// full_like(out, nan), a real NaN converted to complex.
export function gather_c64(x: usize, idx: usize, out: usize, d: usize, mode: i32, nanFill: bool): void {
  gatherImpl<u64>(x, idx, out, d, mode, nanFill ? <u64>reinterpret<u32>(<f32>NaN) : 0);
}
export function gather_c128(x: usize, idx: usize, out: usize, d: usize, mode: i32, nanFill: bool): void {
  gatherImpl<v128>(x, idx, out, d, mode, nanFill ? f64x2(NaN, 0) : i64x2.splat(0));
}
export function gather_i32(x: usize, idx: usize, out: usize, d: usize, mode: i32, nanFill: bool): void {
  gatherImpl<i32>(x, idx, out, d, mode, nanFill ? i32.MIN_VALUE : 0);
}
/** uint32 (keys, bits): JAX fills out-of-range reads of unsigned dtypes with the largest value. */
export function gather_u32(x: usize, idx: usize, out: usize, d: usize, mode: i32, nanFill: bool): void {
  gatherImpl<u32>(x, idx, out, d, mode, nanFill ? u32.MAX_VALUE : 0);
}

/** a + b: floats as floats, i32 wrapping (int32, uint32); u64 is a complex64 pair (f32 re, im), v128 a complex128 one. */
@inline function addOf<T>(a: T, b: T): T {
  if (isVector<T>()) return changetype<T>(f64x2.add(changetype<v128>(a), changetype<v128>(b)));
  if (isInteger<T>() && sizeof<T>() == 8) {
    const s = f32x4.add(i64x2.splat(<i64>a), i64x2.splat(<i64>b));
    return <T>i64x2.extract_lane(s, 0);
  }
  return a + b;
}

/** Lanes of T added: f64 parts for f64 and complex128, f32 parts for f32 and complex64 (u64), i32 lanes (wrapping) for int32 and uint32. */
@inline function vaddOf<T>(a: v128, b: v128): v128 {
  if (isInteger<T>() && sizeof<T>() == 4) return i32x4.add(a, b);
  return sizeof<T>() == 16 || (isFloat<T>() && sizeof<T>() == 8) ? f64x2.add(a, b) : f32x4.add(a, b);
}

/** out = x, then out[window of update batch b] += updates (same descriptor; W/B strides index the updates). */
function scatterAddImpl<T>(x: usize, idx: usize, upd: usize, out: usize, total: i32, d: usize, mode: i32): void {
  const sz = <usize>sizeof<T>();
  memory.copy(out, x, <usize>total * sz);
  const R = gi(d, 0), XS = d + 4 + (<usize>R << 2), K = gi(XS + (<usize>R << 2), 0);
  const MAP = XS + (<usize>R << 2) + 4;
  const W = MAP + (<usize>K << 2), NW = gi(W, 0), WD = W + 4, WS = WD + (<usize>NW << 2), WO = WS + (<usize>NW << 2);
  const B = WO + (<usize>NW << 2), NB = gi(B, 0), BS = B + 4, BO = BS + (<usize>NB << 2);
  let nb = 1, nw = 1;
  for (let j = 0; j < NB; j++) nb *= gi(BS, j);
  for (let k = 0; k < NW; k++) nw *= gi(WS, k);
  for (let b = 0; b < nb; b++) {
    const start = windowStart(d, idx, b, mode);
    if (start < 0) continue; // dropped
    let uBase: usize = 0, r = b;
    for (let j = NB - 1; j >= 0; j--) { const n = gi(BS, j); uBase += <usize>(r % n) * <usize>gi(BO, j); r /= n; }
    // Fast path: the innermost window dim is contiguous in the operand and the updates (SIMD adds).
    const run = NW > 0 && gi(XS, gi(WD, NW - 1)) == 1 && gi(WO, NW - 1) == 1 ? gi(WS, NW - 1) : 0;
    if (run > 1) {
      const lanes = 16 / <i32>sizeof<T>();
      for (let w = 0; w < nw; w += run) {
        let u = uBase, xo: i64 = start, q = w / run;
        for (let k = NW - 2; k >= 0; k--) {
          const n = gi(WS, k), c = q % n;
          q /= n;
          u += <usize>c * <usize>gi(WO, k);
          xo += <i64>c * <i64>gi(XS, gi(WD, k));
        }
        const p = out + <usize>xo * sz, s = upd + u * sz;
        let j = 0;
        for (; j + lanes <= run; j += lanes) {
          const o = <usize>j * sz;
          v128.store(p + o, vaddOf<T>(v128.load(p + o), v128.load(s + o)));
        }
        for (; j < run; j++) store<T>(p + <usize>j * sz, addOf<T>(load<T>(p + <usize>j * sz), load<T>(s + <usize>j * sz)));
      }
      continue;
    }
    for (let w = 0; w < nw; w++) {
      let u = uBase, xo: i64 = start, q = w;
      for (let k = NW - 1; k >= 0; k--) {
        const n = gi(WS, k), c = q % n;
        q /= n;
        u += <usize>c * <usize>gi(WO, k);
        xo += <i64>c * <i64>gi(XS, gi(WD, k));
      }
      const p = out + <usize>xo * sz;
      store<T>(p, addOf<T>(load<T>(p), load<T>(upd + u * sz)));
    }
  }
}

export function scatter_add_f32(x: usize, idx: usize, upd: usize, out: usize, total: i32, d: usize, mode: i32): void {
  scatterAddImpl<f32>(x, idx, upd, out, total, d, mode);
}
export function scatter_add_c64(x: usize, idx: usize, upd: usize, out: usize, total: i32, d: usize, mode: i32): void {
  scatterAddImpl<u64>(x, idx, upd, out, total, d, mode);
}
export function scatter_add_c128(x: usize, idx: usize, upd: usize, out: usize, total: i32, d: usize, mode: i32): void {
  scatterAddImpl<v128>(x, idx, upd, out, total, d, mode);
}
/** int32 and uint32 (wrapping adds: the same bits either way). */
export function scatter_add_i32(x: usize, idx: usize, upd: usize, out: usize, total: i32, d: usize, mode: i32): void {
  scatterAddImpl<i32>(x, idx, upd, out, total, d, mode);
}
export function scatter_add_f64(x: usize, idx: usize, upd: usize, out: usize, total: i32, d: usize, mode: i32): void {
  scatterAddImpl<f64>(x, idx, upd, out, total, d, mode);
}
