// Payne-Hanek reduction of huge f64 trig arguments: |x| = n pi/2 + r, |r| <= pi/4, r returned
// as a double-double (REDUCED_HI + REDUCED_LO) to ~2^-120 relative, n mod 4 as the result.
// x = m 2^E (m the 53-bit significand); only the bits of 2/pi from position E - 1 on matter mod 4
// (earlier ones give multiples of 4). A 256-bit window of them times m is a 309-bit integer P
// with x 2/pi = P 2^-254 (mod 4): bits 254-255 are n, bits 0-253 the fraction. The fraction's
// top 192 bits keep >= 128 significant bits after the worst cancellation a double can produce
// (about 61 bits), then times pi/2 in double-double. Used past the Cody-Waite limit (1e6).

// 2/pi = sum of TWO_OVER_PI_BITS[i] 2^(-64 (i + 1)), after one word of zeros (bits before the
// binary point, so windows may start up to 63 bits early); mpmath, 1500 bits.
const BITS: StaticArray<u64> = [
  0, 0xA2F9836E4E441529, 0xFC2757D1F534DDC0, 0xDB6295993C439041, 0xFE5163ABDEBBC561, 0xB7246E3A424DD2E0,
  0x06492EEA09D1921C, 0xFE1DEB1CB129A73E, 0xE88235F52EBB4484, 0xE99C7026B45F7E41, 0x3991D639835339F4,
  0x9C845F8BBDF9283B, 0x1FF897FFDE05980F, 0xEF2F118B5A0A6D1F, 0x6D367ECF27CB09B7, 0x4F463F669E5FEA2D,
  0x7527BAC7EBE5F17B, 0x3D0739F78A5292EA, 0x6BFB5FB11F8D5D08, 0x56033046FC7B6BAB, 0xF0CFBC209AF4361D,
  0, 0, 0, 0,
];
const PIO2_HI: f64 = 1.5707963267948966;
const PIO2_LO: f64 = 6.123233995736766e-17;

export let REDUCED_HI: f64 = 0;
export let REDUCED_LO: f64 = 0;

let MUL_HI: u64 = 0;
/** Low 64 bits of a * b; the high 64 in MUL_HI. */
@inline function mul64(a: u64, b: u64): u64 {
  const a0 = a & 0xFFFFFFFF, a1 = a >> 32, b0 = b & 0xFFFFFFFF, b1 = b >> 32;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >> 32) + (p01 & 0xFFFFFFFF) + (p10 & 0xFFFFFFFF);
  MUL_HI = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
  return (mid << 32) | (p00 & 0xFFFFFFFF);
}

/** 64 bits of the padded table starting at bit k (0-based from the top of word 0). */
@inline function window(k: i32): u64 {
  const j = k >> 6, s = <u64>(k & 63);
  const hi = unchecked(BITS[j]);
  return s == 0 ? hi : (hi << s) | (unchecked(BITS[j + 1]) >> (64 - s));
}

/** a * b = p + e exactly (Dekker, no FMA). */
@inline function prodErr(a: f64, b: f64, p: f64): f64 {
  const ta = 134217729.0 * a, ah = ta - (ta - a), al = a - ah;
  const tb = 134217729.0 * b, bh = tb - (tb - b), bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/** n mod 4 for ax = |x| (finite, >= 2^-20 or so); r in REDUCED_HI + REDUCED_LO. */
export function reduceHuge(ax: f64): i32 {
  const u = reinterpret<u64>(ax);
  const m = (u & 0x000FFFFFFFFFFFFF) | 0x0010000000000000;
  const E = <i32>(u >> 52) - 1075;
  // bit k (1-based) of 2/pi sits at padded position k + 63; the window starts at k = E - 1
  const k0 = E - 1 + 63;
  const w0 = window(k0), w1 = window(k0 + 64), w2 = window(k0 + 128), w3 = window(k0 + 192);
  // P = m (w0 2^192 + w1 2^128 + w2 2^64 + w3), words p0 (low) .. p3; p4 (>= 2^256) is dropped
  const p0 = mul64(m, w3); let c1 = MUL_HI;
  let l = mul64(m, w2); let h = MUL_HI;
  const p1 = c1 + l; let c2 = h + <u64>(p1 < l);
  l = mul64(m, w1); h = MUL_HI;
  const p2 = c2 + l; let c3 = h + <u64>(p2 < l);
  l = mul64(m, w0);
  const p3 = c3 + l;
  let n = <i32>(p3 >> 62);
  let A = (p3 << 2) | (p2 >> 62), B = (p2 << 2) | (p1 >> 62), C = (p1 << 2) | (p0 >> 62);
  let neg = false;
  if ((A >> 63) != 0) { // fraction >= 1/2: take fraction - 1, n + 1
    n++;
    neg = true;
    A = ~A; B = ~B; C = ~C;
    C += 1; if (C == 0) { B += 1; if (B == 0) A += 1; }
  }
  let scale: f64 = 1;
  while (A == 0) { A = B; B = C; C = 0; scale *= 5.421010862427522e-20; } // 2^-64
  const lz = <u64>clz(A);
  if (lz) { A = (A << lz) | (B >> (64 - lz)); B = (B << lz) | (C >> (64 - lz)); C <<= lz; }
  // the 192-bit fraction as t1 + t2 + t3 (53 bits each, exact), times 2^-lz
  const t1 = <f64>(A >> 11) * 1.1102230246251565e-16;                                  // 2^-53
  const t2 = <f64>(((A & 0x7FF) << 42) | (B >> 22)) * 1.2325951644078310e-32;           // 2^-106
  const t3 = <f64>(((B & 0x3FFFFF) << 31) | (C >> 33)) * 1.3684555315672042e-48;        // 2^-159
  const s = scale * reinterpret<f64>((<u64>(1023 - <i32>lz)) << 52);
  const fh = t1 + t2, fl = (t1 - fh) + t2 + t3;
  // r = (fh + fl) pi/2
  const rh = fh * PIO2_HI;
  const rl = prodErr(fh, PIO2_HI, rh) + (fh * PIO2_LO + fl * PIO2_HI);
  const r = rh + rl;
  REDUCED_HI = (neg ? -r : r) * s;
  REDUCED_LO = (neg ? -((rh - r) + rl) : (rh - r) + rl) * s;
  return n & 3;
}
