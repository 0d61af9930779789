// The matrix products' multiply-accumulate (kernels/dot.ts), and what differs in the FMA build.
//
// Plain wasm SIMD has no fused multiply-add: dist/cotangent.wasm rounds the product, then the
// sum. The second build, dist/cotangent-fma.wasm (compiled with relaxed SIMD; the loader picks
// it where the host compiles relaxed SIMD), uses relaxed_madd: one rounding where the hardware
// fuses. The choice is made at compile time (ASC_FEATURE_RELAXED_SIMD): in the plain build none
// of this file's FMA code is compiled and dot.ts's code is what it was before the FMA build.
//
// The FMA build's micro-kernel is also taller: 6 rows x NR in 12 accumulators instead of 4 x NR
// in 8. A fused chain is one instruction of ~4 cycles latency at 2 per cycle, so 8 chains barely
// hide it, and each loaded B vector now feeds 6 products instead of 4. Measured on the 2-core
// Zen 5 machine (bench/ab_dot.ts, kernel only): +5 to +12% over the 4-row FMA kernel at every
// shape tried (f32 1024^3, the MLP's 128x784x256 and its transposes, f64 512^3).

/** Rows of the micro-kernel's tile in the FMA build (the plain build's is 4). */
export const MR_FMA = 6;

/** c + a * b, fused in the relaxed-SIMD build; integers, and the plain build, multiply then add.
 *  (c first: the arguments are evaluated in the order the plain expression evaluates them.) */
@inline export function madd<T>(c: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD && isFloat<T>()) return v128.relaxed_madd<T>(a, b, c);
  return v128.add<T>(c, v128.mul<T>(a, b));
}

/** The scalar c + a * b, rounded as a lane of madd rounds (so a tail column rounds as a lane). */
@inline export function fmadd<T>(c: T, a: T, b: T): T {
  if (ASC_FEATURE_RELAXED_SIMD && isFloat<T>()) {
    const r = v128.relaxed_madd<T>(v128.splat<T>(a), v128.splat<T>(b), v128.splat<T>(c));
    return sizeof<T>() == 4 ? <T>f32x4.extract_lane(r, 0) : <T>f64x2.extract_lane(r, 0);
  }
  return c + a * b;
}

/**
 * One 6 x NR tile of out (row stride ldc bytes) from a packed A group ap (kc steps of 6
 * interleaved elements) and a packed B panel bp (kc steps of NR elements): dot.ts's micro() with
 * two more rows. Only the first mr rows and nc columns are written; first stores, else accumulates.
 */
export function micro6<T>(ap: usize, bp: usize, kc: i32, c: usize, ldc: usize, mr: i32, nc: i32,
                          first: bool): void {
  const sz = <usize>sizeof<T>();
  // Edge tiles (fewer than 6 rows or NR columns) are spilled here first: 6 rows x 2 vectors.
  // (Static data made here, not at top level, so that the plain build, which never compiles
  // this function, keeps its memory layout.)
  const EDGE6 = memory.data(MR_FMA * 32, 16);
  let c00 = i32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  let c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  const end = bp + (<usize>kc << 5);
  let a = ap;
  for (let p = bp; p < end; p += 32) {
    const b0 = v128.load(p), b1 = v128.load(p, 16);
    let s = v128.load_splat<T>(a);
    c00 = madd<T>(c00, s, b0); c01 = madd<T>(c01, s, b1);
    s = v128.load_splat<T>(a, sz);
    c10 = madd<T>(c10, s, b0); c11 = madd<T>(c11, s, b1);
    s = v128.load_splat<T>(a, 2 * sz);
    c20 = madd<T>(c20, s, b0); c21 = madd<T>(c21, s, b1);
    s = v128.load_splat<T>(a, 3 * sz);
    c30 = madd<T>(c30, s, b0); c31 = madd<T>(c31, s, b1);
    s = v128.load_splat<T>(a, 4 * sz);
    c40 = madd<T>(c40, s, b0); c41 = madd<T>(c41, s, b1);
    s = v128.load_splat<T>(a, 5 * sz);
    c50 = madd<T>(c50, s, b0); c51 = madd<T>(c51, s, b1);
    a += <usize>MR_FMA * sz;
  }
  if (mr == MR_FMA && nc == 32 / <i32>sizeof<T>()) {
    const d1 = c + ldc, d2 = d1 + ldc, d3 = d2 + ldc, d4 = d3 + ldc, d5 = d4 + ldc;
    if (!first) {
      c00 = v128.add<T>(c00, v128.load(c)); c01 = v128.add<T>(c01, v128.load(c, 16));
      c10 = v128.add<T>(c10, v128.load(d1)); c11 = v128.add<T>(c11, v128.load(d1, 16));
      c20 = v128.add<T>(c20, v128.load(d2)); c21 = v128.add<T>(c21, v128.load(d2, 16));
      c30 = v128.add<T>(c30, v128.load(d3)); c31 = v128.add<T>(c31, v128.load(d3, 16));
      c40 = v128.add<T>(c40, v128.load(d4)); c41 = v128.add<T>(c41, v128.load(d4, 16));
      c50 = v128.add<T>(c50, v128.load(d5)); c51 = v128.add<T>(c51, v128.load(d5, 16));
    }
    v128.store(c, c00); v128.store(c, c01, 16);
    v128.store(d1, c10); v128.store(d1, c11, 16);
    v128.store(d2, c20); v128.store(d2, c21, 16);
    v128.store(d3, c30); v128.store(d3, c31, 16);
    v128.store(d4, c40); v128.store(d4, c41, 16);
    v128.store(d5, c50); v128.store(d5, c51, 16);
    return;
  }
  // Edge tile: spill the accumulators and write the valid part element by element.
  v128.store(EDGE6, c00); v128.store(EDGE6, c01, 16);
  v128.store(EDGE6, c10, 32); v128.store(EDGE6, c11, 48);
  v128.store(EDGE6, c20, 64); v128.store(EDGE6, c21, 80);
  v128.store(EDGE6, c30, 96); v128.store(EDGE6, c31, 112);
  v128.store(EDGE6, c40, 128); v128.store(EDGE6, c41, 144);
  v128.store(EDGE6, c50, 160); v128.store(EDGE6, c51, 176);
  for (let r = 0; r < mr; r++) {
    const d = c + <usize>r * ldc, e = EDGE6 + (<usize>r << 5);
    for (let j = 0; j < nc; j++) {
      const o = <usize>j * sz;
      store<T>(d + o, first ? load<T>(e + o) : load<T>(d + o) + load<T>(e + o));
    }
  }
}

/** Packs 6 whole rows of A (a0, row stride lda bytes) x kc columns, interleaved, at dst; returns the end. */
export function packRows6<T>(a0: usize, lda: usize, kc: i32, dst: usize): usize {
  const sz = <usize>sizeof<T>();
  const a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda;
  for (let p = 0; p < kc; p++) {
    const o = <usize>p * sz;
    store<T>(dst, load<T>(a0 + o)); store<T>(dst, load<T>(a1 + o), sz);
    store<T>(dst, load<T>(a2 + o), 2 * sz); store<T>(dst, load<T>(a3 + o), 3 * sz);
    store<T>(dst, load<T>(a4 + o), 4 * sz); store<T>(dst, load<T>(a5 + o), 5 * sz);
    dst += <usize>MR_FMA * sz;
  }
  return dst;
}
