// polygamma(n, x) for n >= 2 as (-1)^(n+1) n! zeta(n+1, x), every factor a scaled double-double
// (h + l) 2^e with |h| in [1, 2) and e a float64 integer, so that n! (past 170), the powers
// (x+k)^-(n+1) (past 2^-1074 or 2^1024) and their products never leave the exponent range before
// the one final rounding. s = n + 1 throughout.
//
//   zeta(s, a), a > 0: the terms (a+k)^-s, a + k as an exact double-double and each power by binary
//     exponentiation in double-double, until y = a + k reaches YMIN (where the Euler-Maclaurin
//     tail y^-s [y/(s-1) + 1/2 + sum_j B_2j/(2j)! s (s+1) ... (s+2j-2) / y^(2j-1)] converges
//     within 30 terms to 2^-60, and its B_2 term is below 1/12 of the first; YMIN >= s) or the
//     rest is below 2^-60 of the sum (y^-s (1 + y/(s-1)) bounds it: large n at small x stops
//     after a term or two).
//   x < 0, x = -m - t, t in (0, 1): zeta(s, x) = sum_{k<=m} (x+k)^-s + zeta(s, 1-x), the
//     negative terms (-1)^s (j+t)^-s summed in closed form:
//       s even: zeta(s, t) + zeta(s, 1-t) - zeta(s, 1-x), all terms positive;
//       s odd:  D(t) + zeta(s, 1-x), D(t) = zeta(s, 1-t) - zeta(s, t), which cancels near t = 1/2
//               (exactly 0 there). Where |s log((1-t)/t)| > 1 the difference of the two sums
//               (each within ~2^-100) loses under 1.6x; nearer 1/2 D is summed as pairs
//               (j+1-t)^-s - (j+t)^-s = b^-s [(1 + z)^-s - 1], b = j + t, z = (1-2t)/b, the
//               binomial series' first term -s z in double-double, its Euler-Maclaurin tail as the
//               same differences of each power. Neither sum steps through the |x| terms of the
//               recurrence, so any finite x is a few sums (the upward recurrence cancelled its
//               terms pairwise: polygamma(40, -0.5) came out 0, and took |x| steps an element).
//   n!: the product in double-double up to 1000, Stirling's series beyond (n up to 2^31 - 1).
//   The plain path: for n <= 63 and x in [XLO, XHI] = 2^(+-690/(n+1)) the same sums stay well
//     inside the float64 range, so they run on plain double-doubles (polygammaPlain), and the
//     f64x2 kernel (vmath64_gamma.ts) does the same operations lane for lane; the tail's sum is
//     Horner's rule in (s/y)^2 over EMJ precomputed coefficients, the same in both.
// The result is exact to about 2^-60 before its rounding, except where it cancels itself next to
// the zeros that even n has at x < 0 (one between each pair of poles).
import { trigamma } from './special';
import { BERNOULLI_OVER_FACT, INV_E_HI, INV_E_LO, TWO_PI_HI, TWO_PI_LO } from './special_coeffs';

export const EPS60: f64 = 8.673617379884035e-19; // 2^-60

/** a * b = p + e exactly (Dekker's product; no FMA needed). */
// @ts-ignore: decorator
@inline function twoProd(a: f64, b: f64, p: f64): f64 {
  const ta = 134217729.0 * a, ah = ta - (ta - a), al = a - ah;
  const tb = 134217729.0 * b, bh = tb - (tb - b), bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/** floor(log2 |x|) of a finite nonzero x (subnormals included). */
function ilogb(x: f64): i32 {
  const e = <i32>((reinterpret<u64>(x) >> 52) & 0x7FF);
  if (e != 0) return e - 1023;
  return ilogb(x * 18446744073709551616.0) - 64; // 2^64
}
/** 2^k, k in [-1022, 1023]. */
// @ts-ignore: decorator
@inline function pow2(k: i32): f64 { return reinterpret<f64>(<u64>(k + 1023) << 52); }
/** x 2^-ilogb(x): x brought to [1, 2) exactly (k = ilogb(x)). */
function toUnit(x: f64, k: i32): f64 {
  if (k > 1000) return x * pow2(-1000) * pow2(1000 - k);
  if (k < -1000) return x * pow2(1000) * pow2(-1000 - k);
  return x * pow2(-k);
}
/** x 2^e (e a float64 integer) with one rounding: x is brought to [1, 2) first, so only the
 *  last step can round (into the subnormals or to 0 or inf). */
function ldexp(x: f64, e: f64): f64 {
  if (x == 0 || !isFinite(x)) return x;
  const k = ilogb(x);
  let m = toUnit(x, k);
  let f = e + <f64>k;
  if (f > 2100) return m * Infinity;
  if (f < -2200) return m * 0;
  while (f > 1000) { m *= pow2(1000); f -= 1000; }
  while (f < -1000) { m *= pow2(-1000); f += 1000; }
  return m * pow2(<i32>f);
}

// ---------------------------------------------------------------- scaled double-doubles
// The routines leave their result in (RH + RL) 2^RE, RH in [1, 2) in magnitude (or 0).
let RH: f64 = 0, RL: f64 = 0, RE: f64 = 0;

/** (h + l) 2^e, |l| <= ulp(h), to the form above. */
function norm(h: f64, l: f64, e: f64): void {
  const s = h + l;
  if (s == 0) { RH = 0; RL = 0; RE = 0; return; }
  const t = l - (s - h);
  const k = ilogb(s);
  RH = toUnit(s, k); RL = toUnit(t, k); RE = e + <f64>k;
}
/** (ah + al)(bh + bl), about 2^-104 relative. */
function mulDD(ah: f64, al: f64, ae: f64, bh: f64, bl: f64, be: f64): void {
  const p = ah * bh;
  norm(p, twoProd(ah, bh, p) + (ah * bl + al * bh), ae + be);
}
/** a + b (signed), to about 2^-104 of the larger. */
function addDD(ah: f64, al: f64, ae: f64, bh: f64, bl: f64, be: f64): void {
  if (bh == 0) { RH = ah; RL = al; RE = ae; return; }
  if (ah == 0) { RH = bh; RL = bl; RE = be; return; }
  if (be > ae) { let t = ah; ah = bh; bh = t; t = al; al = bl; bl = t; t = ae; ae = be; be = t; }
  const d = be - ae;
  if (d < -200) { RH = ah; RL = al; RE = ae; return; }
  const c = pow2(<i32>d);
  bh *= c; bl *= c;
  const s = ah + bh, v = s - ah, e = (ah - (s - v)) + (bh - v);
  norm(s, e + al + bl, ae);
}
/** mulDD for a, b > 0 in the form above (h in [1, 2)): the product is in [1, 4), one halving
 *  at most. */
function mulUnit(ah: f64, al: f64, ae: f64, bh: f64, bl: f64, be: f64): void {
  const p = ah * bh, e = twoProd(ah, bh, p) + (ah * bl + al * bh);
  const s = p + e, t = e - (s - p);
  if (s >= 2) { RH = s * 0.5; RL = t * 0.5; RE = ae + be + 1; } else { RH = s; RL = t; RE = ae + be; }
}
/** 1 / (h + l) 2^e, h in [1, 2). */
function recipDD(h: f64, l: f64, e: f64): void {
  const q = 1 / h, p = q * h;
  const r = ((1 - p) - twoProd(q, h, p)) - q * l, c = r * q;
  const s = q + c, t = c - (s - q);
  if (s < 1) { RH = s * 2; RL = t * 2; RE = -e - 1; } else { RH = s; RL = t; RE = -e; }
}
/** (h + l)^m, h in [1, 2), m >= 1 (exponent e ignored: the caller adds m e). */
function powDD(h: f64, l: f64, m: u32): void {
  let bh = h, bl = l, be: f64 = 0, k = m;
  while (!(k & 1)) { mulUnit(bh, bl, be, bh, bl, be); bh = RH; bl = RL; be = RE; k >>>= 1; }
  let rh = bh, rl = bl, re = be;
  k >>>= 1;
  while (k != 0) {
    mulUnit(bh, bl, be, bh, bl, be); bh = RH; bl = RL; be = RE;
    if (k & 1) { mulUnit(rh, rl, re, bh, bl, be); rh = RH; rl = RL; re = RE; }
    k >>>= 1;
  }
  RH = rh; RL = rl; RE = re;
}
/** y^-s for y = yh + yl > 0 (a double-double). */
function invPow(yh: f64, yl: f64, s: u32): void {
  const k = ilogb(yh);
  powDD(toUnit(yh, k), toUnit(yl, k), s);
  const e = RE + <f64>s * <f64>k;
  recipDD(RH, RL, e);
}

// ---------------------------------------------------------------- per-order constants
let ORDER: i32 = -1;         // n the constants below are for
export let S: u32 = 0;       // n + 1 (2^31 for n = 2^31 - 1)
export let YMIN: f64 = 0;    // where the Euler-Maclaurin tail takes over
/** The tail's sum as r P(r^2), r = s/y: EMC[j-1] = B_2j/(2j)! prod_{i<j} (s+2i-1)(s+2i)/s^2, the
 *  first EMJ of them (those that reach 2^-60 at YMIN; past it the terms only fall faster). */
export const EMC = new StaticArray<f64>(30);
export let EMJ: i32 = 0;
let FH: f64 = 0, FL: f64 = 0, FE: f64 = 0; // n!
// The plain path (n <= 63, x in [XLO, XHI]): y^(n+1) for y in [x, max(x, YMIN)] stays within
// 2^+-700 and n! below 2^300, so plain double-doubles suffice (no exponents carried); n! as NH + NL.
export let XLO: f64 = Infinity, XHI: f64 = 0, NH: f64 = 0, NL: f64 = 0;

/** The constants for order n (kept until another n comes). */
export function prepare(n: i32): void {
  if (n == ORDER) return;
  ORDER = n; S = <u32>n + 1;
  const s = <f64>S, nn = <f64>n;
  // YMIN: from s (so the B_2 term, s(s-1)/(12 y^2) of the leading one, is <= 1/12) up by 1/16
  // until the tail's terms fall to 2^-60 of its leading term y/(s-1) + 1/2 within 30 terms,
  // each smaller than the one before (7.9 for n = 2, 11.7 for n = 10, s from n = 18 on).
  let y = s > 2 ? s : 2;
  while (true) {
    const lead = y / nn + 0.5;
    let w = s / y, ok = false, prev = Infinity;
    for (let j = 1; j <= 30; j++) {
      const u = Math.abs(unchecked(BERNOULLI_OVER_FACT[j - 1]) * w);
      if (u >= prev) break;
      if (u < EPS60 * lead) { ok = true; break; }
      prev = u;
      w *= (s + <f64>(2 * j - 1)) * (s + <f64>(2 * j)) / (y * y);
    }
    if (ok) break;
    y *= 1.0625;
  }
  YMIN = y;
  {
    const lead = y / nn + 0.5;
    let w = s / y, c: f64 = 1;
    EMJ = 30;
    for (let j = 1; j <= 30; j++) {
      const b = unchecked(BERNOULLI_OVER_FACT[j - 1]);
      unchecked(EMC[j - 1] = b * c);
      if (Math.abs(b * w) < EPS60 * lead) { EMJ = j; break; }
      const f = (s + <f64>(2 * j - 1)) * (s + <f64>(2 * j));
      w *= f / (y * y);
      c *= f / (s * s);
    }
  }
  if (n <= 1000) {
    let h: f64 = 1, l: f64 = 0, e: f64 = 0;
    for (let i = 2; i <= n; i++) { mulDD(h, l, e, <f64>i, 0, 0); h = RH; l = RL; e = RE; }
    norm(h, l, e);
  } else {
    // n! = sqrt(2 pi n) (n/e)^n exp(1/(12n) - 1/(360n^3) + 1/(1260n^5)), n > 1000 (next term 2^-69)
    mulDD(INV_E_HI, INV_E_LO, 0, nn, 0, 0); // n/e = (RH + RL) 2^RE
    const k = RE;
    powDD(RH, RL, <u32>n);
    const ph = RH, pl = RL, pe = RE + nn * k;
    // sqrt(2 pi n) in double-double: (th + tl) 2^te with te even, r = sqrt(th) and one correction
    mulDD(TWO_PI_HI, TWO_PI_LO, 0, nn, 0, 0);
    let th = RH, tl = RL, te = RE;
    if (<i64>te & 1) { th *= 2; tl *= 2; te -= 1; }
    const r = Math.sqrt(th), rr = r * r;
    const rl = (((th - rr) - twoProd(r, r, rr)) + tl) / (2 * r);
    mulDD(ph, pl, pe, r, rl, te / 2);
    const qh = RH, ql = RL, qe = RE;
    const inv = 1 / nn, g = inv / 12 - inv * inv * inv / 360 + inv * inv * inv * inv * inv / 1260;
    const gm = Math.expm1(g), gh = 1 + gm;
    mulDD(qh, ql, qe, gh, gm - (gh - 1), 0);
  }
  FH = RH; FL = RL; FE = RE;
  if (n <= 63) {
    XLO = Math.pow(2, -690 / s); XHI = Math.pow(2, 690 / s);
    NH = FH * pow2(<i32>FE); NL = FL * pow2(<i32>FE);
  } else { XLO = Infinity; XHI = 0; }
}

// ---------------------------------------------------------------- zeta(s, a), a > 0
/** y/(s-1) + 1/2 + sum_j B_2j/(2j)! s (s+1) ... (s+2j-2) / y^(2j-1): the bracket of the
 *  Euler-Maclaurin tail at y >= YMIN; the quotient y/(s-1) in double-double, the sum in double
 *  by Horner's rule in (s/y)^2 (its size is below 1/12 of the bracket). Left in (BH, BL). */
let BH: f64 = 0, BL: f64 = 0;
function emBracket(yh: f64, yl: f64): void {
  const s = <f64>S, nn = <f64>(S - 1);
  const q = yh / nn, p = q * nn;
  const ql = (((yh - p) - twoProd(q, nn, p)) + yl) / nn;
  const r = s / yh, r2 = r * r;
  let u = unchecked(EMC[EMJ - 1]);
  for (let j = EMJ - 2; j >= 0; j--) u = u * r2 + unchecked(EMC[j]);
  u *= r;
  // q + ql + 1/2 + u
  const h0 = q + 0.5, e0 = (q - h0) + 0.5; // |q| >= 1/2 here (y >= s)
  const h = h0 + u, v = h - h0, e1 = (h0 - (h - v)) + (u - v);
  BH = h; BL = e0 + e1 + ql;
}

/** zeta(S, a) for a = ah + al > 0, left in (RH + RL) 2^RE. */
function zeta(ah: f64, al: f64): void {
  const nn = <f64>(S - 1);
  // the terms fall with k: the sum is (sh + sl) 2^se, se the first term's exponent, sh >= 1
  let sh: f64 = 0, sl: f64 = 0, se: f64 = 0;
  for (let k = 0; ; k++) {
    // y = a + k exactly
    const yh0 = ah + <f64>k, v = yh0 - ah, ye = (ah - (yh0 - v)) + (<f64>k - v) + al;
    const yh = yh0 + ye, yl = ye - (yh - yh0);
    invPow(yh, yl, S);
    if (yh >= YMIN) {
      const ph = RH, pl = RL, pe = RE;
      emBracket(yh, yl);
      mulDD(ph, pl, pe, BH, BL, 0);
      if (k > 0) addDD(sh, sl, se, RH, RL, RE);
      return;
    }
    if (k == 0) { sh = RH; sl = RL; se = RE; continue; }
    // the rest is below y^-s (1 + y/(s-1)) < 2^(RE + 1 + ilogb(..) + 1); the sum is >= 2^se
    const d = RE - se;
    if (d + <f64>ilogb(1 + yh / nn) + 2 <= -60) { norm(sh, sl, se); return; }
    const c = pow2(<i32>d); // d > -70 here
    const th = RH * c, tl = RL * c;
    const s = sh + th, w = s - sh;
    sl += (sh - (s - w)) + (th - w) + tl;
    sh = s;
  }
  return;
}

// ---------------------------------------------------------------- D(t) = zeta(s, 1-t) - zeta(s, t)
/** (1 + z)^-p - 1 for z = zh + zl, |p z| <~ 2: the binomial series, its first term -p z in
 *  double-double, the rest in double. Left in (EH, EL). */
let EH: f64 = 0, EL: f64 = 0;
function binomM1(p: f64, zh: f64, zl: f64): void {
  const f = -p * zh, fe = twoProd(-p, zh, f) - p * zl;
  let t = f, r: f64 = 0;
  for (let k = 1; k < 200; k++) {
    t *= -(p + <f64>k) * zh / <f64>(k + 1);
    r += t;
    if (Math.abs(t) < EPS60 * Math.abs(f)) break;
  }
  const h = f + r, v = h - f;
  EH = h; EL = (f - (h - v)) + (r - v) + fe;
}
/** a^-p - b^-p for a = b + d (d exact), b = bh + bl > 0, p = S - 1 + i: b^-p [(1 + d/b)^-p - 1]
 *  needs only b's power, passed as (ph + pl) 2^pe = b^-S. */
function pairTail(d: f64, bh: f64, bl: f64, ph: f64, pl: f64, pe: f64): void {
  // z = d / b in double-double
  const zh = d / bh, pz = zh * bh;
  const zl = (((d - pz) - twoProd(zh, bh, pz)) - zh * bl) / bh;
  const s = <f64>S, nn = <f64>(S - 1);
  // p = s - 1: b^-(s-1) = b b^-s; b/(s-1) as in emBracket
  binomM1(nn, zh, zl);
  const q = bh / nn, pq = q * nn;
  const ql = (((bh - pq) - twoProd(q, nn, pq)) + bl) / nn;
  mulDD(q, ql, 0, EH, EL, 0);
  let ch = RH, cl = RL, ce = RE;
  // p = s: 1/2 of it
  binomM1(s, zh, zl);
  addDD(ch, cl, ce, 0.5 * EH, 0.5 * EL, 0); ch = RH; cl = RL; ce = RE;
  // the Bernoulli terms: c_j b^(1-2j) [(1 + z)^-(s+2j-1) - 1], in double
  const lead = Math.abs(ldexp(ch, ce));
  let w = s / bh, u: f64 = 0;
  const b2 = bh * bh;
  for (let j = 1; j <= 30; j++) {
    binomM1(s + <f64>(2 * j - 1), zh, zl);
    const t = unchecked(BERNOULLI_OVER_FACT[j - 1]) * w * EH;
    u += t;
    if (Math.abs(t) < EPS60 * lead) break;
    w *= (s + <f64>(2 * j - 1)) * (s + <f64>(2 * j)) / b2;
  }
  addDD(ch, cl, ce, u, 0, 0);
  mulDD(RH, RL, RE, ph, pl, pe);
}
/** D(t) = zeta(S, 1-t) - zeta(S, t) = sum_j (j+1-t)^-S - (j+t)^-S, t in (1/4, 3/4), t != 1/2:
 *  each pair b^-S [(1 + z)^-S - 1] with a = j + 1 - t = b + d, b = j + t, z = d/b. */
function halfDiff(t: f64): void {
  const omt = 1 - t;
  const d = 1 - 2 * t; // a - b, exact
  const nn = <f64>(S - 1);
  let sh: f64 = 0, sl: f64 = 0, se: f64 = 0;
  for (let j = 0; ; j++) {
    const bh = t + <f64>j, bl = t - (bh - <f64>j); // b = t + j exactly (j >= t, or j = 0)
    const c = t < 0.5 ? bh : (omt + <f64>j);       // min(a, b)
    invPow(bh, bl, S);
    const ph = RH, pl = RL, pe = RE;
    if (c >= YMIN) {
      pairTail(d, bh, bl, ph, pl, pe);
      addDD(sh, sl, se, RH, RL, RE);
      return;
    }
    const zh = d / bh, pz = zh * bh;
    const zl = (((d - pz) - twoProd(zh, bh, pz)) - zh * bl) / bh;
    binomM1(<f64>S, zh, zl);
    mulDD(ph, pl, pe, EH, EL, 0);
    // the pairs shrink about as b^-(S+1): the rest is below 8 |term| (1 + b/(S-1))
    if (j > 0 && RE + <f64>ilogb(1 + c / nn) + 5 <= se - 60) { RH = sh; RL = sl; RE = se; return; }
    addDD(sh, sl, se, RH, RL, RE); sh = RH; sl = RL; se = RE;
  }
}

// ---------------------------------------------------------------- the plain path
// The same sums in plain double-doubles, for n <= 63 and x in [XLO, XHI] (the f64x2 kernel,
// vmath64_gamma.ts, runs these operations lane for lane, so each lane gives these bits).
/** (ah + al)(bh + bl) as (PH, PL). */
let PH: f64 = 0, PL: f64 = 0;
// @ts-ignore: decorator
@inline function mulPlain(ah: f64, al: f64, bh: f64, bl: f64): void {
  const p = ah * bh, e = twoProd(ah, bh, p) + (ah * bl + al * bh);
  PH = p + e; PL = e - (PH - p);
}
/** (h + l)^m, m >= 1, by the binary powers of powDD. */
function powPlain(h: f64, l: f64, m: u32): void {
  let bh = h, bl = l, k = m;
  while (!(k & 1)) { mulPlain(bh, bl, bh, bl); bh = PH; bl = PL; k >>>= 1; }
  let rh = bh, rl = bl;
  k >>>= 1;
  while (k != 0) {
    mulPlain(bh, bl, bh, bl); bh = PH; bl = PL;
    if (k & 1) { mulPlain(rh, rl, bh, bl); rh = PH; rl = PL; }
    k >>>= 1;
  }
  PH = rh; PL = rl;
}
/** polygamma(n, x) on the plain path: zeta(S, x) as zeta() sums it, times n!. */
function polygammaPlain(x: f64): f64 {
  const inn = 1 / <f64>(S - 1);
  let sh: f64 = 0, sl: f64 = 0;
  for (let k = 0; ; k++) {
    const yh0 = x + <f64>k, v = yh0 - x, ye = (x - (yh0 - v)) + (<f64>k - v);
    const yh = yh0 + ye, yl = ye - (yh - yh0);
    powPlain(yh, yl, S);
    // 1 / (PH + PL)
    const q = 1 / PH, pq = q * PH;
    const ql = (((1 - pq) - twoProd(q, PH, pq)) - q * PL) * q;
    const th = q + ql, tl = ql - (th - q);
    let ah = th, al = tl;
    if (yh >= YMIN) { emBracket(yh, yl); mulPlain(th, tl, BH, BL); ah = PH; al = PL; }
    else if (k > 0 && th * (1 + yh * inn) < EPS60 * sh) break;
    const s = sh + ah, w = s - sh;
    sl += (sh - (s - w)) + (ah - w) + al;
    sh = s;
    if (yh >= YMIN) break;
  }
  mulPlain(NH, NL, sh, sl);
  return PH + PL;
}

/**
 * polygamma(n, x), n >= 1 (n = 1: trigamma). x = +inf: 0; a pole (x an integer <= 0, -inf
 * included): scipy's signed inf, (-1)^(n+1) inf; NaN: NaN.
 */
export function polygamma(n: i32, x: f64): f64 {
  if (n == 1) return trigamma(x);
  if (x != x || n < 1) return NaN;
  if (x == Infinity) return 0;
  const sgn: f64 = (n & 1) ? 1 : -1; // (-1)^(n+1)
  if (x <= 0 && x == Math.floor(x)) return sgn * Infinity;
  prepare(n);
  if (x >= XLO && x <= XHI) return sgn * polygammaPlain(x);
  let zh: f64, zl: f64, ze: f64;
  if (x > 0) {
    zeta(x, 0); zh = RH; zl = RL; ze = RE;
  } else {
    const m = Math.floor(-x), t = -x - m;            // exact
    const omt = 1 - t, omtl = (1 - omt) - t;          // 1 - t as a double-double
    const omx = 1 - x, bv = omx - 1, e2 = (1 - (omx - bv)) + (-x - bv); // 1 - x = omx + e2 (two-sum)
    zeta(omx, e2); const th = RH, tl = RL, te = RE;   // zeta(s, 1 - x)
    if (S & 1) {
      const lg = Math.log(omt / t);
      if (t == 0.5) { RH = 0; RL = 0; RE = 0; }
      else if (Math.abs(<f64>S * lg) <= 1) halfDiff(t);
      else {
        zeta(t, 0); const ah = RH, al = RL, ae = RE;
        zeta(omt, omtl);
        addDD(RH, RL, RE, -ah, -al, ae);
      }
      addDD(RH, RL, RE, th, tl, te);
    } else {
      zeta(t, 0); const ah = RH, al = RL, ae = RE;
      zeta(omt, omtl);
      addDD(RH, RL, RE, ah, al, ae);
      addDD(RH, RL, RE, -th, -tl, te);
    }
    zh = RH; zl = RL; ze = RE;
  }
  mulDD(FH, FL, FE, zh, zl, ze);
  return sgn * ldexp(RH + RL, RE);
}
