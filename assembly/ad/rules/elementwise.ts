// The wider elementwise set. JVPs from the closed forms (JAX's lax.py):
//   expm1' = e^x, log1p' = 1/(1+x), exp2' = y ln2, log2' = 1/(x ln2), log10' = 1/(x ln10),
//   cbrt' = 1/(3 y^2), tan' = 1 + y^2, asin' = 1/sqrt(1-x^2), acos' = -asin', atan' = 1/(1+x^2),
//   sinh' = cosh, cosh' = sinh, asinh' = 1/sqrt(x^2+1), acosh' = 1/(sqrt(x-1) sqrt(x+1)),
//   atanh' = 1/((1+x)(1-x)), erf' = 2/sqrt(pi) e^-x^2 = -erfc', erfinv' = sqrt(pi)/2 e^(y^2),
//   lgamma' = digamma, digamma' = polygamma(1), polygamma(n)' = polygamma(n+1),
//   atan2(y, x)' = (x dy - y dx)/(x^2+y^2), hypot' = (x dx + y dy)/h, abs' = select(x >= 0, t, -t),
//   rem(x, y)' = dx - trunc(x/y) dy. max/min: JAX's _balanced_eq: the tangent of the chosen
//   operand, and half of each at a tie (the value at a tie is x itself).
//   sign, floor, ceil, round, trunc: a zero tangent; isfinite: none (bool).
import { defineOp, defKernel, defJvp, nondiff, neverLinear, defBatch, KEY_OPERAND } from '../registry';
import { batchElementwise } from '../batching';
import {
  MAX, MIN, REM, ABS, SIGN, FLOOR, CEIL, ROUND, TRUNC, IS_FINITE, EXPM1, LOG1P, EXP2, LOG2, LOG10, CBRT, TAN,
  ASIN, ACOS, ATAN, SINH, COSH, ASINH, ACOSH, ATANH, ERF, ERFC, ERF_INV, LGAMMA, DIGAMMA, POLYGAMMA, ATAN2, HYPOT,
  ADD, SUB, MUL, DIV, NEG, SQRT, EXP, COS, GT, LT, EQ, GE, SELECT, REAL, IMAG, CONJ, COMPLEX, AND, OR,
} from '../ops';
import { rowA, rowB, rowOp, rowPtr, rowSize, rowDtype, rowParam, setDtype, shareShape } from '../tape';
import { e1, e2, e3, emitP, setParam } from '../emit';
import { addT, fullLike, fullOf } from '../builder';
import {
  unaryFloatShape, unaryInexactShape, binaryFloatShape, binaryNumericShape, binarySameShape, unaryNumericShape, unaryPredicateShape,
} from '../shape_rules';
import { tangentOf } from '../maps';
import { E_OK, E_DTYPE, E_PARAMS } from '../../errors';
import { F32, F64, BOOL, I32, U32, C64, C128 } from '../../dtype';
import * as K from '../../kernels/elementwise';
import * as KI from '../../kernels/integer';
import * as KC from '../../kernels/complex';
import * as KA from '../../kernels/complex_arc';
import * as KAV from '../../kernels/complex_arc_vec';
import * as KV from '../../kernels/complex_vec';

// ---------------------------------------------------------------- kernels

function fnOf(op: i32): i32 {
  switch (op) {
    case EXPM1: return K.F_EXPM1; case LOG1P: return K.F_LOG1P; case EXP2: return K.F_EXP2;
    case LOG2: return K.F_LOG2; case LOG10: return K.F_LOG10; case CBRT: return K.F_CBRT;
    case TAN: return K.F_TAN; case ASIN: return K.F_ASIN; case ACOS: return K.F_ACOS;
    case ATAN: return K.F_ATAN; case SINH: return K.F_SINH; case COSH: return K.F_COSH;
    case ASINH: return K.F_ASINH; case ACOSH: return K.F_ACOSH; case ATANH: return K.F_ATANH;
    case ERF: return K.F_ERF; case ERFC: return K.F_ERFC; case ERF_INV: return K.F_ERFINV;
    case LGAMMA: return K.F_LGAMMA; default: return K.F_DIGAMMA;
  }
}
function mapF32(r: i32): void {
  const f = fnOf(rowOp(r));
  if (K.hasF32Simd(f)) K.simd_f32(f, rowPtr(rowA(r)), rowPtr(r), rowSize(r));
  else K.map_f32(f, rowPtr(rowA(r)), rowPtr(r), rowSize(r));
}
function mapF64(r: i32): void { K.map_f64(fnOf(rowOp(r)), rowPtr(rowA(r)), rowPtr(r), rowSize(r)); }
function arcOf(op: i32): i32 {
  switch (op) {
    case ASIN: return KA.C_ASIN; case ACOS: return KA.C_ACOS; case ATAN: return KA.C_ATAN;
    case ASINH: return KA.C_ASINH; case ACOSH: return KA.C_ACOSH; default: return KA.C_ATANH;
  }
}
function mapComplex(r: i32): void {
  const op = rowOp(r), x = rowPtr(rowA(r)), out = rowPtr(r), n = rowSize(r), wide = rowDtype(r) == C128;
  if (op == TAN || op == SINH || op == COSH) {
    const f = op == TAN ? KC.C_TAN : op == SINH ? KC.C_SINH : KC.C_COSH;
    if (wide) KV.vec_c128(f, x, out, n); else KV.vec_c64(f, x, out, n);
  } else if (wide) KAV.arcv_c128(arcOf(op), x, out, n); // f64x2 SIMD
  else KAV.arcv_c64(arcOf(op), x, out, n);
}
function polygammaF32(r: i32): void { K.polygamma_f32(rowParam(r, 0), rowPtr(rowA(r)), rowPtr(r), rowSize(r)); }
function polygammaF64(r: i32): void { K.polygamma_f64(rowParam(r, 0), rowPtr(rowA(r)), rowPtr(r), rowSize(r)); }

function exactOf(op: i32): i32 {
  switch (op) {
    case FLOOR: return K.R_FLOOR; case CEIL: return K.R_CEIL; case ROUND: return K.R_ROUND;
    case TRUNC: return K.R_TRUNC; case ABS: return K.R_ABS; default: return K.R_SIGN;
  }
}
function exactF32(r: i32): void { K.exact_f32(exactOf(rowOp(r)), rowPtr(rowA(r)), rowPtr(r), rowSize(r)); }
function exactF64(r: i32): void { K.exact_f64(exactOf(rowOp(r)), rowPtr(rowA(r)), rowPtr(r), rowSize(r)); }
function absI32(r: i32): void { KI.abs_i32(rowPtr(rowA(r)), rowPtr(r), rowSize(r)); }
function signI32(r: i32): void { KI.sign_i32(rowPtr(rowA(r)), rowPtr(r), rowSize(r)); }
function signU32(r: i32): void { KI.sign_u32(rowPtr(rowA(r)), rowPtr(r), rowSize(r)); }
function copyU32(r: i32): void { memory.copy(rowPtr(r), rowPtr(rowA(r)), <usize>rowSize(r) << 2); }
function isFiniteKernel(r: i32): void {
  if (rowDtype(rowA(r)) == F32) K.isfinite_f32(rowPtr(rowA(r)), rowPtr(r), rowSize(r));
  else K.isfinite_f64(rowPtr(rowA(r)), rowPtr(r), rowSize(r));
}

function binF32(r: i32): void {
  const a = rowPtr(rowA(r)), b = rowPtr(rowB(r)), out = rowPtr(r), n = rowSize(r);
  switch (rowOp(r)) {
    case MAX: K.max_f32(a, b, out, n); break;
    case MIN: K.min_f32(a, b, out, n); break;
    case REM: K.rem_f32(a, b, out, n); break;
    case ATAN2: K.atan2_f32(a, b, out, n); break;
    case HYPOT: K.hypot_f32(a, b, out, n); break;
  }
}
function binF64(r: i32): void {
  const a = rowPtr(rowA(r)), b = rowPtr(rowB(r)), out = rowPtr(r), n = rowSize(r);
  switch (rowOp(r)) {
    case MAX: K.max_f64(a, b, out, n); break;
    case MIN: K.min_f64(a, b, out, n); break;
    case REM: K.rem_f64(a, b, out, n); break;
    case ATAN2: K.atan2_f64(a, b, out, n); break;
    case HYPOT: K.hypot_f64(a, b, out, n); break;
  }
}
function binInt(r: i32): void {
  const a = rowPtr(rowA(r)), b = rowPtr(rowB(r)), out = rowPtr(r), n = rowSize(r), u = rowDtype(r) == U32;
  switch (rowOp(r)) {
    case MAX: if (u) KI.max_u32(a, b, out, n); else KI.max_i32(a, b, out, n); break;
    case MIN: if (u) KI.min_u32(a, b, out, n); else KI.min_i32(a, b, out, n); break;
    case REM: if (u) KI.rem_u32(a, b, out, n); else KI.rem_i32(a, b, out, n); break;
  }
}
// max/min of bools: or/and
function boolMaxMin(r: i32): void {
  const a = rowPtr(rowA(r)), b = rowPtr(rowB(r)), out = rowPtr(r), n = rowSize(r);
  if (rowOp(r) == MAX) KI.or_bool(a, b, out, n); else KI.and_bool(a, b, out, n);
}

// ---------------------------------------------------------------- JVPs

const LN2 = 0.6931471805599453, LN10 = 2.302585092994046;
const TWO_OVER_SQRT_PI = 1.1283791670955126, SQRT_PI_OVER_2 = 0.886226925452758;

const tx = (r: i32): i32 => tangentOf(rowA(r));
const times = (r: i32, g: i32): i32 => e2(MUL, tx(r), g);
const one = (r: i32): i32 => fullLike(r, 1.0);
const sq = (x: i32): i32 => e2(MUL, x, x);

// expm1' = e^x, not JAX's y + 1: for x << 0 the sum kept y's absolute error (grad at -30 was 1.7e-4
// relative off, and 0 below about -37, where e^x is 1e-17); elu and celu inherit it.
function expm1Jvp(r: i32): i32 { return times(r, e1(EXP, rowA(r))); }
function log1pJvp(r: i32): i32 { return e2(DIV, tx(r), e2(ADD, one(r), rowA(r))); }
function exp2Jvp(r: i32): i32 { return times(r, e2(MUL, r, fullLike(r, LN2))); }
function log2Jvp(r: i32): i32 { return e2(DIV, tx(r), e2(MUL, rowA(r), fullLike(r, LN2))); }
function log10Jvp(r: i32): i32 { return e2(DIV, tx(r), e2(MUL, rowA(r), fullLike(r, LN10))); }
function cbrtJvp(r: i32): i32 { return e2(DIV, tx(r), e2(MUL, fullLike(r, 3.0), sq(r))); }
// 1 + y^2 (JAX's; no cancellation on reals). Complex: 1 / cos^2 x, as 1 + y^2 cancels where y
// is near +-i (large |im x|) and the derivative tiny (1e-4 relative off at 12 of 400 random points).
function tanJvp(r: i32): i32 {
  const x = rowA(r);
  if (!real(rowDtype(x))) return e2(DIV, tx(r), sq(e1(COS, x)));
  return times(r, e2(ADD, one(r), sq(r)));
}
// sqrt((1 - x)(1 + x)), not JAX's sqrt(1 - x^2): near |x| = 1 the latter cancels (8e6 ulp in
// float64 at x = 1 - 1e-9); the same value on complex x (one product, one principal sqrt). Real
// |x| < 1/2 takes 1 - x^2 (no cancellation there either): the product's own derivative,
// (1 - x) - (1 + x), cancelled near 0, so asin'' was 0 at 1e-8 in float32 (it is x / (1 - x^2)^1.5).
function asinJvp(r: i32): i32 {
  const x = rowA(r);
  if (!real(rowDtype(x))) return e2(DIV, tx(r), sqrtProduct(x, 1.0, -1.0, 1.0, 1.0));
  return e2(DIV, tx(r), e1(SQRT, oneMinusSquare(r, x)));
}
// 1 - x^2 for real x: (1 - x)(1 + x) where it does not cancel, 1 - x^2 below |x| = 1/2 and at
// |x| = 1 exactly, where the product's zero factor met the infinite cotangent of the derivative
// above it: reverse mode's asin'' and atanh'' at +-1 were 0 inf = NaN (forward: +-inf, as JAX's).
function oneMinusSquare(r: i32, x: i32): i32 {
  const x2 = sq(x);
  const plain = e2(OR, e2(LT, x2, fullLike(r, 0.25)), e2(EQ, x2, one(r)));
  return e3(SELECT, plain, e2(SUB, one(r), x2), e2(MUL, e2(SUB, one(r), x), e2(ADD, one(r), x)));
}
// Complex x on a branch cut (real x, |x| > 1, for asin; signed-zero imaginary part): the value
// takes the side the zero's sign names (Kahan's casin: sqrt(1 - z) sqrt(1 + z), each
// componentwise), but 1 - z^2 loses that sign (0 - 0 = +0), so the derivative came from the other
// side: asin'(2 + 0i) was -0.577i for +0.577i. So are acosh's z -/+ 1 (1 + 0i added turned -0i
// into +0i) and asinh's 1 + z^2. Off the cuts the forms agree (principal arguments add up).
/** sqrt(a + s x) sqrt(b + t x) for complex x, each shift on the real part alone (keeps -0i). */
function sqrtProduct(x: i32, a: f64, s: f64, b: f64, t: f64): i32 {
  return e2(MUL, e1(SQRT, shifted(x, a, s)), e1(SQRT, shifted(x, b, t)));
}
/** c + s x for complex x and s = +-1: real part c + s re(x), imaginary part s im(x), exactly. */
function shifted(x: i32, c: f64, s: f64): i32 {
  const re = e1(REAL, x), im = e1(IMAG, x);
  return e2(COMPLEX, e2(s > 0 ? ADD : SUB, fullLike(re, c), re), s > 0 ? im : e1(NEG, im));
}
/** i x for complex x: (-im(x), re(x)), exactly (a product with 0 + 1i turns 0 into +-0 by rounding rules). */
function timesI(x: i32): i32 { return e2(COMPLEX, e1(NEG, e1(IMAG, x)), e1(REAL, x)); }
function acosJvp(r: i32): i32 { return e1(NEG, asinJvp(r)); }
function atanJvp(r: i32): i32 { return e2(DIV, tx(r), e2(ADD, one(r), sq(rowA(r)))); }
function sinhJvp(r: i32): i32 { return times(r, e1(COSH, rowA(r))); }
function coshJvp(r: i32): i32 { return times(r, e1(SINH, rowA(r))); }
// Real x: hypot(x, 1), which sqrt(x^2 + 1) is until x^2 overflows (|x| > 1.3e154 in float64,
// 1.8e19 in float32, where it gave a derivative of 0 instead of 1/|x|).
// Complex: sqrt(1 + i x) sqrt(1 - i x) (asinh x = -i asin(i x), Kahan's casinh), whose signed
// zeros keep the cut's side (sqrt(x^2 + 1) gave the other side's sign at +-0 -+ 2i).
function asinhJvp(r: i32): i32 {
  const x = rowA(r);
  if (!real(rowDtype(x))) { const ix = timesI(x); return e2(DIV, tx(r), sqrtProduct(ix, 1.0, 1.0, 1.0, -1.0)); }
  return e2(DIV, tx(r), e2(HYPOT, x, one(r)));
}
// sqrt(x - 1) sqrt(x + 1), not JAX's sqrt(x^2 - 1): on complex the two differ in sign where
// re(x) < 0, and only the first is sinh(acosh x), the derivative's reciprocal (the same on reals).
// Complex x - 1 and x + 1 shift the real part alone (keeping a -0i: see sqrtProduct).
function acoshJvp(r: i32): i32 {
  const x = rowA(r);
  if (!real(rowDtype(x))) return e2(DIV, tx(r), sqrtProduct(x, -1.0, 1.0, 1.0, 1.0));
  // (at x = 1, sqrt(x^2 - 1): the product's zero factor made reverse mode's acosh'' NaN, as asin's)
  const atOne = e2(EQ, x, one(r));
  const xs = e3(SELECT, atOne, fullLike(r, 2.0), x); // (the branch not picked reads x = 2: 0 / sqrt(0) = NaN otherwise)
  const product = e2(MUL, e1(SQRT, e2(SUB, xs, one(r))), e1(SQRT, e2(ADD, xs, one(r))));
  return e2(DIV, tx(r), e3(SELECT, atOne, e1(SQRT, e2(SUB, sq(x), one(r))), product));
}
function atanhJvp(r: i32): i32 {
  const x = rowA(r);
  if (!real(rowDtype(x))) return e2(DIV, tx(r), e2(MUL, e2(ADD, one(r), x), e2(SUB, one(r), x)));
  return e2(DIV, tx(r), oneMinusSquare(r, x));
}
function gauss(r: i32): i32 { // 2/sqrt(pi) e^-x^2
  const x = rowA(r);
  return e2(MUL, fullLike(r, TWO_OVER_SQRT_PI), e1(EXP, e1(NEG, sq(x))));
}
function erfJvp(r: i32): i32 { return times(r, gauss(r)); }
function erfcJvp(r: i32): i32 { return e1(NEG, times(r, gauss(r))); }
function erfInvJvp(r: i32): i32 { return times(r, e2(MUL, fullLike(r, SQRT_PI_OVER_2), e1(EXP, sq(r)))); }
function polygammaOf(n: i32, x: i32): i32 { setParam(0, n); return emitP(POLYGAMMA, x, -1, -1, 1); }
function lgammaJvp(r: i32): i32 { return times(r, e1(DIGAMMA, rowA(r))); }
function digammaJvp(r: i32): i32 { return times(r, polygammaOf(1, rowA(r))); }
function polygammaJvp(r: i32): i32 { return times(r, polygammaOf(rowParam(r, 0) + 1, rowA(r))); }
function absJvp(r: i32): i32 {
  const t = tx(r);
  if (t < 0) return -1;
  if (!real(rowDtype(rowA(r)))) { // JAX's: real(t conj(x) / |x|), with |x| = 0 replaced by 1 (so 0 at x = 0)
    const safe = e3(SELECT, e2(EQ, r, fullLike(r, 0.0)), fullLike(r, 1.0), r);
    const den = e2(COMPLEX, safe, fullLike(r, 0.0));
    return e1(REAL, e2(MUL, t, e2(DIV, e1(CONJ, rowA(r)), den)));
  }
  return e3(SELECT, e2(GE, rowA(r), fullLike(rowA(r), 0.0)), t, e1(NEG, t));
}


/** t * w with t possibly a symbolic zero. */
function scaled(t: i32, w: i32): i32 { return t < 0 ? -1 : e2(MUL, t, w); }

// JAX's _balanced_eq: 1 where x wins, 1/2 at a tie, 0 where it loses.
function balanced(r: i32, x: i32, y: i32, wins: i32): i32 {
  const half = e3(SELECT, e2(EQ, x, y), fullLike(r, 0.5), fullLike(r, 0.0));
  return e3(SELECT, e2(wins, x, y), fullLike(r, 1.0), half);
}
function maxMinJvp(r: i32): i32 {
  const x = rowA(r), y = rowB(r), t1 = tangentOf(x), t2 = tangentOf(y);
  if (t1 < 0 && t2 < 0) return -1;
  const wins = rowOp(r) == MAX ? GT : LT;
  return addT(t1 >= 0 ? e2(MUL, t1, balanced(r, x, y, wins)) : -1, t2 >= 0 ? e2(MUL, t2, balanced(r, y, x, wins)) : -1);
}
function remJvp(r: i32): i32 {
  const x = rowA(r), y = rowB(r), t1 = tangentOf(x), t2 = tangentOf(y);
  const dy = t2 >= 0 ? e2(MUL, t2, e1(NEG, e1(TRUNC, e2(DIV, x, y)))) : -1;
  return addT(t1, dy);
}
/**
 * atan2(y, x)' = (x dy - y dx) / (x^2 + y^2), written through the ratio q of the smaller leg to
 * the larger (as hypot's below): x^2 + y^2 underflowed at 1e-200 (an inf derivative where it is
 * 3e199) and overflowed at 1e200 (0 where it is 5e-201). With |x| >= |y|, q = y / x:
 * d/dy = (1/x) / (1 + q^2), d/dx = -q d/dy; otherwise q = x / y: d/dy = q (1/y) / (1 + q^2),
 * d/dx = -(1/y) / (1 + q^2). At (0, 0) NaN to each, as the plain form's 0/0 (JAX's).
 */
function atan2Jvp(r: i32): i32 {
  const y = rowA(r), x = rowB(r), ty = tangentOf(y), tx = tangentOf(x);
  if (tx < 0 && ty < 0) return -1;
  splitLegs(r, x, y);
  const one = fullLike(r, 1.0), zero = fullLike(r, 0.0);
  const qx = e2(DIV, yShort, xLong), qy = e2(DIV, xShort, yLong);
  const overX = e2(DIV, e2(DIV, one, xLong), e2(ADD, one, sq(qx)));
  const overY = e2(DIV, e2(DIV, one, yLong), e2(ADD, one, sq(qy)));
  const origin = e2(AND, e2(EQ, x, zero), e2(EQ, y, zero)), nan = fullLike(r, NaN);
  const cy = e3(SELECT, origin, nan, e3(SELECT, xWins, overX, e2(MUL, qy, overY)));
  const cx = e3(SELECT, origin, nan, e3(SELECT, xWins, e1(NEG, e2(MUL, qx, overX)), e1(NEG, overY)));
  return addT(scaled(ty, cy), scaled(tx, cx));
}
/**
 * hypot' = (x dx + y dy) / h, with x / h written through the ratio q of the smaller leg to the
 * larger: x / h = sign(x) / sqrt(1 + q^2) and y / h = q sign(y) / sqrt(1 + q^2) when |x| >= |y|
 * (mirrored otherwise). Plain x / h's own derivative, 1/h - x^2/h^3, cancels for x >> y (the true
 * y^2/h^3 lost all its digits at x = 1e8 y); these forms' do not (splitLegs). At (0, 0): 1/2 to
 * each (JAX's: abs' = 1 at 0, max and min split a tie), where x / h was NaN.
 */
function hypotJvp(r: i32): i32 {
  const x = rowA(r), y = rowB(r), tx = tangentOf(x), ty = tangentOf(y);
  if (tx < 0 && ty < 0) return -1;
  splitLegs(r, x, y);
  const invX = invNorm(e2(DIV, yShort, xLong)), invY = invNorm(e2(DIV, xShort, yLong));
  const atOrigin = e2(EQ, r, fullLike(r, 0.0)), half = fullLike(r, 0.5);
  const cx = e3(SELECT, atOrigin, half, e3(SELECT, xWins,
    e2(MUL, e1(SIGN, xLong), invX), e2(MUL, e2(DIV, xShort, e1(ABS, yLong)), invY)));
  const cy = e3(SELECT, atOrigin, half, e3(SELECT, xWins,
    e2(MUL, e2(DIV, yShort, e1(ABS, xLong)), invX), e2(MUL, e1(SIGN, yLong), invY)));
  return addT(scaled(tx, cx), scaled(ty, cy));
}

// The legs of (x, y) split by size, for derivatives written through the ratio of the shorter to
// the longer (atan2's, hypot's): where |x| >= |y| (xWins) xLong = x and yShort = y, else 1 and 0;
// where not, yLong = y and xShort = x, else 1 and 0. Each ratio so reads only operands that keep
// it in [-1, 1], and the unused side's partials stay finite under select. xLong is 0 only at the
// origin, where it is 1 instead (the callers answer the origin apart).
let xWins: i32 = 0, xLong: i32 = 0, yShort: i32 = 0, yLong: i32 = 0, xShort: i32 = 0;
function splitLegs(r: i32, x: i32, y: i32): void {
  const one = fullLike(r, 1.0), zero = fullLike(r, 0.0);
  xWins = e2(GE, e1(ABS, x), e1(ABS, y));
  const xl = e3(SELECT, xWins, x, one);
  xLong = e3(SELECT, e2(EQ, xl, zero), one, xl);
  yShort = e3(SELECT, xWins, y, zero);
  yLong = e3(SELECT, xWins, one, y);
  xShort = e3(SELECT, xWins, zero, x);
}
/** 1 / sqrt(1 + q^2). */
function invNorm(q: i32): i32 {
  return e2(DIV, fullLike(q, 1.0), e1(SQRT, e2(ADD, fullLike(q, 1.0), sq(q))));
}

// ---------------------------------------------------------------- shapes

const real = (d: i32): bool => d != C64 && d != C128;
/** abs: the numeric dtypes, and complex with a real result (|z|). */
function absShape(r: i32): i32 {
  const d = rowDtype(rowA(r));
  if (real(d)) return unaryNumericShape(r);
  setDtype(r, d == C64 ? F32 : F64);
  shareShape(r, rowA(r));
  return E_OK;
}
function absComplex(r: i32): void {
  if (rowDtype(rowA(r)) == C128) KV.abs_c128(rowPtr(rowA(r)), rowPtr(r), rowSize(r)); // f64x2 SIMD
  else KV.abs_c64(rowPtr(rowA(r)), rowPtr(r), rowSize(r));
}
function maxMinShape(r: i32): i32 { return real(rowDtype(rowA(r))) ? binarySameShape(r, -1) : E_DTYPE; }
function polygammaShape(r: i32): i32 { return rowParam(r, 0) < 1 ? E_PARAMS : unaryFloatShape(r); }

// ---------------------------------------------------------------- registration

function floatUnary(op: i32, name: string, jvp: (r: i32) => i32, complex: bool = false): void {
  defineOp(op, name, 1, complex ? unaryInexactShape : unaryFloatShape);
  defKernel(op, F32, mapF32);
  defKernel(op, F64, mapF64);
  if (complex) { defKernel(op, C64, mapComplex); defKernel(op, C128, mapComplex); }
  defJvp(op, jvp);
  neverLinear(op);
  defBatch(op, batchElementwise);
}
function rounding(op: i32, name: string): void {
  defineOp(op, name, 1, unaryFloatShape);
  defKernel(op, F32, exactF32);
  defKernel(op, F64, exactF64);
  nondiff(op); // (JAX's defjvp_zero: a symbolic zero. Staged as t * 0 it made grad(x => floor(x) * x) NaN at inf)
  neverLinear(op);
  defBatch(op, batchElementwise);
}

export function registerElementwise(): void {
  floatUnary(EXPM1, 'expm1', expm1Jvp);
  floatUnary(LOG1P, 'log1p', log1pJvp);
  floatUnary(EXP2, 'exp2', exp2Jvp);
  floatUnary(LOG2, 'log2', log2Jvp);
  floatUnary(LOG10, 'log10', log10Jvp);
  floatUnary(CBRT, 'cbrt', cbrtJvp);
  floatUnary(TAN, 'tan', tanJvp, true);
  floatUnary(ASIN, 'asin', asinJvp, true);
  floatUnary(ACOS, 'acos', acosJvp, true);
  floatUnary(ATAN, 'atan', atanJvp, true);
  floatUnary(SINH, 'sinh', sinhJvp, true);
  floatUnary(COSH, 'cosh', coshJvp, true);
  floatUnary(ASINH, 'asinh', asinhJvp, true);
  floatUnary(ACOSH, 'acosh', acoshJvp, true);
  floatUnary(ATANH, 'atanh', atanhJvp, true);
  floatUnary(ERF, 'erf', erfJvp);
  floatUnary(ERFC, 'erfc', erfcJvp);
  floatUnary(ERF_INV, 'erf_inv', erfInvJvp);
  floatUnary(LGAMMA, 'lgamma', lgammaJvp);
  floatUnary(DIGAMMA, 'digamma', digammaJvp);

  defineOp(POLYGAMMA, 'polygamma', 1, polygammaShape);
  defKernel(POLYGAMMA, F32, polygammaF32); defKernel(POLYGAMMA, F64, polygammaF64);
  defJvp(POLYGAMMA, polygammaJvp); neverLinear(POLYGAMMA); defBatch(POLYGAMMA, batchElementwise);

  rounding(FLOOR, 'floor');
  rounding(CEIL, 'ceil');
  rounding(ROUND, 'round');
  rounding(TRUNC, 'trunc');

  defineOp(SIGN, 'sign', 1, unaryNumericShape);
  defKernel(SIGN, F32, exactF32); defKernel(SIGN, F64, exactF64);
  defKernel(SIGN, I32, signI32); defKernel(SIGN, U32, signU32);
  nondiff(SIGN); neverLinear(SIGN); defBatch(SIGN, batchElementwise); // (a symbolic zero, as rounding's)

  defineOp(ABS, 'abs', 1, absShape, false, KEY_OPERAND); // keyed by the operand: complex in, real out
  defKernel(ABS, F32, exactF32); defKernel(ABS, F64, exactF64);
  defKernel(ABS, C64, absComplex); defKernel(ABS, C128, absComplex);
  defKernel(ABS, I32, absI32); defKernel(ABS, U32, copyU32);
  defJvp(ABS, absJvp); neverLinear(ABS); defBatch(ABS, batchElementwise);

  defineOp(IS_FINITE, 'is_finite', 1, unaryPredicateShape, false);
  defKernel(IS_FINITE, BOOL, isFiniteKernel);
  nondiff(IS_FINITE); neverLinear(IS_FINITE); defBatch(IS_FINITE, batchElementwise);

  defineOp(MAX, 'max', 2, maxMinShape);
  defineOp(MIN, 'min', 2, maxMinShape);
  defineOp(REM, 'rem', 2, binaryNumericShape);
  for (let op = MAX; op <= REM; op++) {
    defKernel(op, F32, binF32); defKernel(op, F64, binF64);
    defKernel(op, I32, binInt); defKernel(op, U32, binInt);
    neverLinear(op);
    defBatch(op, batchElementwise);
  }
  defKernel(MAX, BOOL, boolMaxMin); defKernel(MIN, BOOL, boolMaxMin);
  defJvp(MAX, maxMinJvp); defJvp(MIN, maxMinJvp); defJvp(REM, remJvp);

  defineOp(ATAN2, 'atan2', 2, binaryFloatShape);
  defineOp(HYPOT, 'hypot', 2, binaryFloatShape);
  for (let op = ATAN2; op <= HYPOT; op++) {
    defKernel(op, F32, binF32); defKernel(op, F64, binF64); neverLinear(op); defBatch(op, batchElementwise);
  }
  defJvp(ATAN2, atan2Jvp); defJvp(HYPOT, hypotJvp);
}
