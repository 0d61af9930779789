// C's fmod on f64x2 lanes. fmod is exact (the result is always representable), so any exact
// method gives the scalar `%`'s bits (AssemblyScript's musl fmod, a bit-by-bit long division):
// here q = trunc(|a| / |b|) and |a| - q |b| with q |b| = p + e exactly (Dekker), one |b| added
// back where the rounded quotient was an integer too high. Why that is exact, for
// 1 <= q < 2^52: fl(|a|/|b|) is never below the true quotient's integer part (integers up to
// 2^53 are doubles, rounding is monotone), so q is right or one too high; |a| - p is exact
// (Sterbenz: p is within a factor 2 of |a|), e is p's exact rounding error, and the true
// |a| - q|b| is representable (it lies in (-|b|, |b|) on the grid of the finer of |a|'s and
// |b|'s last bits), so (|a| - p) - e rounds to itself; so does the final + |b|. The sign is
// a's, zero included (musl's 0 * x). Lanes outside 2^-960 <= |b| <= 2^996 (Dekker's split
// and error term exact), |a| / |b| >= 2^52, NaN or infinite a: the scalar `%`.
import { F, I, sel, twoProdErr } from './vmath64';

const SIGN: i64 = 0x8000000000000000;
function fmodScalar(a: f64, b: f64): f64 { return a % b; }

/** fmod(a, b) per lane; FMOD_RARE flags the lanes it cannot do (their values are garbage). */
export let FMOD_RARE: v128 = i64x2.splat(0);
// @ts-ignore: decorator
@inline export function fmodMain(a: v128, b: v128): v128 {
  const A = f64x2.abs(a), B = f64x2.abs(b);
  const t = f64x2.div(A, B);
  FMOD_RARE = v128.not(v128.and(v128.and(f64x2.ge(B, F(1.0261342003245941e-289)), f64x2.le(B, F(6.696928794914171e299))),
    f64x2.lt(t, F(4503599627370496.0)))); // 2^-960, 2^996, 2^52 (NaN and infinite a compare false)
  const q = f64x2.trunc(t);
  const p = f64x2.mul(q, B);
  const r = f64x2.sub(f64x2.sub(A, p), twoProdErr(q, B, p));
  const m = sel(f64x2.lt(r, F(0)), f64x2.add(r, B), r);
  return v128.or(m, v128.and(a, I(SIGN)));
}

/** float64 fmod on two lanes; rare lanes (FMOD_RARE) take the scalar `%`. */
// @ts-ignore: decorator
@inline export function fmod_f64x2(a: v128, b: v128): v128 {
  let res = fmodMain(a, b);
  const rare = FMOD_RARE;
  if (v128.any_true(rare)) {
    if (i64x2.extract_lane(rare, 0) != 0) res = f64x2.replace_lane(res, 0, fmodScalar(f64x2.extract_lane(a, 0), f64x2.extract_lane(b, 0)));
    if (i64x2.extract_lane(rare, 1) != 0) res = f64x2.replace_lane(res, 1, fmodScalar(f64x2.extract_lane(a, 1), f64x2.extract_lane(b, 1)));
  }
  return res;
}

function fmodScalar32(a: f32, b: f32): f32 { return a % b; }

/** float32 fmod on four lanes, in f64 (float32 operands are always inside fmodMain's range of
 *  |b|; the f64 result is the exact float32 one, so the demotion is exact). Rare lanes (quotient
 *  >= 2^52, NaN, infinite a, zero b): the scalar float32 `%`. */
// @ts-ignore: decorator
@inline export function fmod_f32x4(a: v128, b: v128): v128 {
  const lo = fmodMain(f64x2.promote_low_f32x4(a), f64x2.promote_low_f32x4(b));
  const rareLo = FMOD_RARE;
  const hi = fmodMain(f64x2.promote_low_f32x4(i32x4.shuffle(a, a, 2, 3, 0, 1)), f64x2.promote_low_f32x4(i32x4.shuffle(b, b, 2, 3, 0, 1)));
  const rare = i32x4.shuffle(rareLo, FMOD_RARE, 0, 2, 4, 6);
  let res = i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
  if (v128.any_true(rare)) {
    if (i32x4.extract_lane(rare, 0) != 0) res = f32x4.replace_lane(res, 0, fmodScalar32(f32x4.extract_lane(a, 0), f32x4.extract_lane(b, 0)));
    if (i32x4.extract_lane(rare, 1) != 0) res = f32x4.replace_lane(res, 1, fmodScalar32(f32x4.extract_lane(a, 1), f32x4.extract_lane(b, 1)));
    if (i32x4.extract_lane(rare, 2) != 0) res = f32x4.replace_lane(res, 2, fmodScalar32(f32x4.extract_lane(a, 2), f32x4.extract_lane(b, 2)));
    if (i32x4.extract_lane(rare, 3) != 0) res = f32x4.replace_lane(res, 3, fmodScalar32(f32x4.extract_lane(a, 3), f32x4.extract_lane(b, 3)));
  }
  return res;
}
