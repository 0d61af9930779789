// Kernels of the PRNG family: JAX's threefry2x32 (Salmon et al., "Parallel random numbers: as
// easy as 1, 2, 3", 20 rounds, with JAX's counter layout) and the conversions of random bits
// into floats that jax.random uses, so a key and a shape give JAX's numbers.
//
// threefry2x32 over a flat count array of n words, as jax._src.prng.threefry_2x32 does it: the
// array (padded with one zero when n is odd) is cut into halves x0 = c[0:h], x1 = c[h:2h]; each
// pair (x0[i], x1[i]) is one block; the output is the blocks' first words then their second
// words, cut back to n. Blocks are independent: four at a time in i32x4 lanes.

import { log1p_f64x2 } from './vmath64';

const PARITY: u32 = 0x1bd11bda;

@inline function rotl(v: v128, r: i32): v128 { return v128.or(i32x4.shl(v, r), i32x4.shr_u(v, 32 - r)); }
@inline function rotl1(v: u32, r: u32): u32 { return (v << r) | (v >>> (32 - r)); }

@inline function scalarRounds(a: u32, b: u32, r0: u32, r1: u32, r2: u32, r3: u32): u64 {
  a += b; b = rotl1(b, r0) ^ a;
  a += b; b = rotl1(b, r1) ^ a;
  a += b; b = rotl1(b, r2) ^ a;
  a += b; b = rotl1(b, r3) ^ a;
  return (<u64>a << 32) | <u64>b;
}

/** One block, scalar (tails and tests). Returns the pair packed as (hi: y0, lo: y1). */
export function threefryBlock(k0: u32, k1: u32, c0: u32, c1: u32): u64 {
  const k2 = k0 ^ k1 ^ PARITY;
  let y = scalarRounds(c0 + k0, c1 + k1, 13, 15, 26, 6);
  y = scalarRounds(<u32>(y >>> 32) + k1, <u32>y + k2 + 1, 17, 29, 16, 24);
  y = scalarRounds(<u32>(y >>> 32) + k2, <u32>y + k0 + 2, 13, 15, 26, 6);
  y = scalarRounds(<u32>(y >>> 32) + k0, <u32>y + k1 + 3, 17, 29, 16, 24);
  y = scalarRounds(<u32>(y >>> 32) + k1, <u32>y + k2 + 4, 13, 15, 26, 6);
  return ((<u64>(<u32>(y >>> 32) + k2)) << 32) | <u64>(<u32>y + k0 + 5);
}

/** out[0..n) = threefry2x32((k0, k1), counts[0..n)) with JAX's layout (see above). */
export function threefry2x32(k0: u32, k1: u32, counts: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const h = (n + 1) >> 1; // blocks
  const full = n & 1 ? h - 1 : h; // blocks whose second word exists (the last one of an odd n is padded)
  const k2 = k0 ^ k1 ^ PARITY;
  const K0 = i32x4.splat(k0), K1 = i32x4.splat(k1), K2 = i32x4.splat(k2);
  let i = 0;
  // Four blocks a step, in registers: the 20 rounds unrolled (rotations 13 15 26 6 / 17 29 16 24).
  for (; i + 4 <= full; i += 4) {
    let a = i32x4.add(v128.load(counts + (<usize>i << 2)), K0);
    let b = i32x4.add(v128.load(counts + (<usize>(h + i) << 2)), K1);
    a = i32x4.add(a, b); b = v128.xor(rotl(b, 13), a);
    a = i32x4.add(a, b); b = v128.xor(rotl(b, 15), a);
    a = i32x4.add(a, b); b = v128.xor(rotl(b, 26), a);
    a = i32x4.add(a, b); b = v128.xor(rotl(b, 6), a);
    a = i32x4.add(a, K1); b = i32x4.add(b, i32x4.add(K2, i32x4.splat(1)));
    a = i32x4.add(a, b); b = v128.xor(rotl(b, 17), a);
    a = i32x4.add(a, b); b = v128.xor(rotl(b, 29), a);
    a = i32x4.add(a, b); b = v128.xor(rotl(b, 16), a);
    a = i32x4.add(a, b); b = v128.xor(rotl(b, 24), a);
    a = i32x4.add(a, K2); b = i32x4.add(b, i32x4.add(K0, i32x4.splat(2)));
    a = i32x4.add(a, b); b = v128.xor(rotl(b, 13), a);
    a = i32x4.add(a, b); b = v128.xor(rotl(b, 15), a);
    a = i32x4.add(a, b); b = v128.xor(rotl(b, 26), a);
    a = i32x4.add(a, b); b = v128.xor(rotl(b, 6), a);
    a = i32x4.add(a, K0); b = i32x4.add(b, i32x4.add(K1, i32x4.splat(3)));
    a = i32x4.add(a, b); b = v128.xor(rotl(b, 17), a);
    a = i32x4.add(a, b); b = v128.xor(rotl(b, 29), a);
    a = i32x4.add(a, b); b = v128.xor(rotl(b, 16), a);
    a = i32x4.add(a, b); b = v128.xor(rotl(b, 24), a);
    a = i32x4.add(a, K1); b = i32x4.add(b, i32x4.add(K2, i32x4.splat(4)));
    a = i32x4.add(a, b); b = v128.xor(rotl(b, 13), a);
    a = i32x4.add(a, b); b = v128.xor(rotl(b, 15), a);
    a = i32x4.add(a, b); b = v128.xor(rotl(b, 26), a);
    a = i32x4.add(a, b); b = v128.xor(rotl(b, 6), a);
    a = i32x4.add(a, K2); b = i32x4.add(b, i32x4.add(K0, i32x4.splat(5)));
    v128.store(out + (<usize>i << 2), a);
    v128.store(out + (<usize>(h + i) << 2), b);
  }
  for (; i < h; i++) {
    const c1 = h + i < n ? load<u32>(counts + (<usize>(h + i) << 2)) : 0;
    const y = threefryBlock(k0, k1, load<u32>(counts + (<usize>i << 2)), c1);
    store<u32>(out + (<usize>i << 2), <u32>(y >>> 32));
    if (h + i < n) store<u32>(out + (<usize>(h + i) << 2), <u32>y);
  }
}

// ---------------------------------------------------------------- bits to floats (jax.random)

/** Uniform [0, 1) float32 from 32 bits: the top 23 as the mantissa of a float in [1, 2), minus 1. */
export function uniform_f32(bits: usize, out: usize, n: i32): void {
  const one = i32x4.splat(0x3f800000), fone = f32x4.splat(1.0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const b = v128.load(bits + (<usize>i << 2));
    v128.store(out + (<usize>i << 2), f32x4.sub(v128.or(i32x4.shr_u(b, 9), one), fone));
  }
  for (; i < n; i++) {
    store<f32>(out + (<usize>i << 2), reinterpret<f32>((load<u32>(bits + (<usize>i << 2)) >>> 9) | 0x3f800000) - 1.0);
  }
}

/** Uniform [0, 1) float64 from 2n words: (w[i] << 32 | w[n + i]) as JAX combines 64-bit draws. */
export function uniform_f64(bits: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const w = (<u64>load<u32>(bits + (<usize>i << 2)) << 32) | <u64>load<u32>(bits + (<usize>(n + i) << 2));
    store<f64>(out + (<usize>i << 3), reinterpret<f64>((w >>> 12) | 0x3ff0000000000000) - 1.0);
  }
}

// XLA's ErfInv32 (Giles, "Approximating the erfinv function", single precision): a degree-8
// polynomial in w - 2.5 (w < 5) or sqrt(w) - 3, w = -log1p(-x^2); each step rounded to float32
// (no fused multiply-add), as JAX's float32 normal draws are computed on CPU.
const W_LT5: StaticArray<f32> = [2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
  -0.00125372503, -0.00417768164, 0.246640727, 1.50140941];
const W_GE5: StaticArray<f32> = [-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
  -0.0076224613, 0.00943887047, 1.00167406, 2.83297682];

export function erfinv32(x: f32): f32 {
  // log1p in float64 then rounded: within half an ulp of the true float32 value.
  let w = <f32>(-Math.log1p(-<f64>(x * x)));
  const lt = w < <f32>5.0;
  const c = lt ? W_LT5 : W_GE5;
  w = lt ? w - <f32>2.5 : <f32>Math.sqrt(<f64>w) - <f32>3.0;
  let p = c[0];
  for (let i = 1; i < 9; i++) p = unchecked(c[i]) + p * w;
  return Mathf.abs(x) == 1 ? x * f32.MAX_VALUE : p * x;
}

/**
 * normal_f32 on four lanes, the same operations in the same order (each f32 product and sum
 * rounded, no fused multiply-add; log1p in float64 by musl's formula, as Math.log1p), so the
 * same bits as the scalar loop: both polynomials evaluated, the lane's chosen by w < 5.
 */
@inline function normal4(b: v128, lo: f32, span: f32, sqrt2: f32): v128 {
  const f = f32x4.sub(v128.or(i32x4.shr_u(b, 9), i32x4.splat(0x3f800000)), f32x4.splat(1.0));
  const u = f32x4.max(f32x4.add(f32x4.mul(f, f32x4.splat(span)), f32x4.splat(lo)), f32x4.splat(lo)); // (no NaN here: max is the scalar's if)
  const x2 = f32x4.mul(u, u);
  const lowW = f64x2.neg(log1p_f64x2(f64x2.neg(f64x2.promote_low_f32x4(x2))));
  const highW = f64x2.neg(log1p_f64x2(f64x2.neg(f64x2.promote_low_f32x4(i32x4.shuffle(x2, x2, 2, 3, 0, 1)))));
  const w = i32x4.shuffle(f32x4.demote_f64x2_zero(lowW), f32x4.demote_f64x2_zero(highW), 0, 1, 4, 5);
  const lt = f32x4.lt(w, f32x4.splat(5.0));
  const wa = f32x4.sub(w, f32x4.splat(2.5)), wb = f32x4.sub(f32x4.sqrt(w), f32x4.splat(3.0));
  // (unchecked: a bounds check per coefficient made this loop 4x slower, the draw 2x)
  let pa = f32x4.splat(unchecked(W_LT5[0])), pb = f32x4.splat(unchecked(W_GE5[0]));
  for (let k = 1; k < 9; k++) {
    pa = f32x4.add(f32x4.splat(unchecked(W_LT5[k])), f32x4.mul(pa, wa));
    pb = f32x4.add(f32x4.splat(unchecked(W_GE5[k])), f32x4.mul(pb, wb));
  }
  const p = v128.bitselect(pa, pb, lt);
  const edge = f32x4.eq(f32x4.abs(u), f32x4.splat(1.0));
  const e = v128.bitselect(f32x4.mul(u, f32x4.splat(f32.MAX_VALUE)), f32x4.mul(p, u), edge);
  return f32x4.mul(f32x4.splat(sqrt2), e);
}

/**
 * Standard normal float32 from 32 bits, as jax.random.normal: u uniform on
 * [nextafter(-1, 0), 1) (u = max(lo, f * (1 - lo) + lo), 1 - lo rounding to 2), then
 * sqrt(2) * erfinv(u), every operation rounded to float32.
 */
export function normal_f32(bits: usize, out: usize, n: i32): void {
  const lo: f32 = -0.99999994; // nextafter(-1, 0) in float32
  const span: f32 = <f32>1.0 - lo; // = 2 after rounding
  const sqrt2: f32 = 1.41421356;
  const body = n & ~3;
  for (let i = 0; i < body; i += 4) v128.store(out + (<usize>i << 2), normal4(v128.load(bits + (<usize>i << 2)), lo, span, sqrt2));
  for (let i = body; i < n; i++) {
    const f = reinterpret<f32>((load<u32>(bits + (<usize>i << 2)) >>> 9) | 0x3f800000) - <f32>1.0;
    let u = f * span + lo;
    if (u < lo) u = lo;
    store<f32>(out + (<usize>i << 2), sqrt2 * erfinv32(u));
  }
}

// XLA's ErfInv64 (Giles, "Approximating the erfinv function", double precision): polynomials of
// degree 22 in w - 3.125 (w < 6.25), 18 in sqrt(w) - 3.25 (w < 16) and 16 in sqrt(w) - 5, with
// w = -log1p(-x^2), evaluated by Horner's rule without fused multiply-add, as XLA's
// xla/hlo/builder/lib/math.cc writes it (what jax.random.normal uses for float64).
const W_LT6_25: StaticArray<f64> = [
  -3.6444120640178196996e-21, -1.685059138182016589e-19, 1.2858480715256400167e-18, 1.115787767802518096e-17,
  -1.333171662854620906e-16, 2.0972767875968561637e-17, 6.6376381343583238325e-15, -4.0545662729752068639e-14,
  -8.1519341976054721522e-14, 2.6335093153082322977e-12, -1.2975133253453532498e-11, -5.4154120542946279317e-11,
  1.051212273321532285e-09, -4.1126339803469836976e-09, -2.9070369957882005086e-08, 4.2347877827932403518e-07,
  -1.3654692000834678645e-06, -1.3882523362786468719e-05, 0.0001867342080340571352, -0.00074070253416626697512,
  -0.0060336708714301490533, 0.24015818242558961693, 1.6536545626831027356];
const W_LT16: StaticArray<f64> = [
  2.2137376921775787049e-09, 9.0756561938885390979e-08, -2.7517406297064545428e-07, 1.8239629214389227755e-08,
  1.5027403968909827627e-06, -4.013867526981545969e-06, 2.9234449089955446044e-06, 1.2475304481671778723e-05,
  -4.7318229009055733981e-05, 6.8284851459573175448e-05, 2.4031110387097893999e-05, -0.0003550375203628474796,
  0.00095328937973738049703, -0.0016882755560235047313, 0.0024914420961078508066, -0.0037512085075692412107,
  0.005370914553590063617, 1.0052589676941592334, 3.0838856104922207635];
const W_GE16: StaticArray<f64> = [
  -2.7109920616438573243e-11, -2.5556418169965252055e-10, 1.5076572693500548083e-09, -3.7894654401267369937e-09,
  7.6157012080783393804e-09, -1.4960026627149240478e-08, 2.9147953450901080826e-08, -6.7711997758452339498e-08,
  2.2900482228026654717e-07, -9.9298272942317002539e-07, 4.5260625972231537039e-06, -1.9681778105531670567e-05,
  7.5995277030017761139e-05, -0.00021503011930044477347, -0.00013871931833623122026, 1.0103004648645343977,
  4.8499064014085844221];

export function erfinv64(x: f64): f64 {
  let w = -Math.log1p(-x * x);
  let c = W_LT6_25;
  if (w < 6.25) w -= 3.125;
  else if (w < 16) { c = W_LT16; w = Math.sqrt(w) - 3.25; }
  else { c = W_GE16; w = Math.sqrt(w) - 5.0; }
  let p = unchecked(c[0]);
  for (let i = 1, n = c.length; i < n; i++) p = unchecked(c[i]) + p * w;
  return Math.abs(x) == 1 ? x * f64.MAX_VALUE : p * x;
}

/**
 * erfinv64 on two lanes, the same bits: the same operations in the same order (log1p_f64x2 is
 * musl's, as Math.log1p) where both lanes have w = -log1p(-x^2) below 6.25 (|x| < 0.99806: all
 * but ~0.2% of draws), else the pair through the scalar routine. 4-7x faster than the scalar loop.
 */
// @ts-ignore: decorator
@inline export function erfinv64x2(x: v128): v128 {
  const w = f64x2.neg(log1p_f64x2(f64x2.mul(f64x2.neg(x), x)));
  if (!i64x2.all_true(f64x2.lt(w, f64x2.splat(6.25)))) {
    return f64x2.replace_lane(f64x2.splat(erfinv64(f64x2.extract_lane(x, 0))), 1, erfinv64(f64x2.extract_lane(x, 1)));
  }
  const t = f64x2.sub(w, f64x2.splat(3.125));
  let p = f64x2.splat(unchecked(W_LT6_25[0]));
  for (let i = 1; i < 23; i++) p = f64x2.add(f64x2.splat(unchecked(W_LT6_25[i])), f64x2.mul(p, t));
  return f64x2.mul(p, x);
}

/**
 * Standard normal float64 from 2n words (as uniform_f64 pairs them), as jax.random.normal:
 * u = max(lo, f * (1 - lo) + lo) with lo = nextafter(-1, 0) (1 - lo rounds to 2), then
 * sqrt(2) * erfinv(u) by XLA's ErfInv64.
 */
export function normal_f64(bits: usize, out: usize, n: i32): void {
  const lo: f64 = -0.9999999999999999; // nextafter(-1, 0) = -1 + 2^-53
  const span: f64 = 1.0 - lo; // = 2 after rounding
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const hi = v128.load64_zero(bits + (<usize>i << 2)), lo2 = v128.load64_zero(bits + (<usize>(n + i) << 2));
    // w = hi << 32 | lo per lane: interleave the two u32 pairs into two u64 lanes
    const w = i32x4.shuffle(lo2, hi, 0, 4, 1, 5);
    const f = f64x2.sub(v128.or(i64x2.shr_u(w, 12), i64x2.splat(0x3ff0000000000000)), f64x2.splat(1.0));
    const u = f64x2.pmax(f64x2.add(f64x2.mul(f, f64x2.splat(span)), f64x2.splat(lo)), f64x2.splat(lo));
    v128.store(out + (<usize>i << 3), f64x2.mul(f64x2.splat(Math.SQRT2), erfinv64x2(u)));
  }
  for (; i < n; i++) {
    const w = (<u64>load<u32>(bits + (<usize>i << 2)) << 32) | <u64>load<u32>(bits + (<usize>(n + i) << 2));
    const f = reinterpret<f64>((w >>> 12) | 0x3ff0000000000000) - 1.0;
    let u = f * span + lo;
    if (u < lo) u = lo;
    store<f64>(out + (<usize>i << 3), Math.SQRT2 * erfinv64(u));
  }
}
