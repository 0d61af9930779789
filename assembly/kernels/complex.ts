// Complex kernels: interleaved (re, im) pairs of T = f32 (complex64) or f64 (complex128).
// Elementwise functions compute in f64 and round once for complex64. Principal branches as
// NumPy (C99 Annex G): log and sqrt cut along the negative real axis (arg in (-pi, pi], the
// sign of a zero imaginary part picks the side), pow(a, b) = exp(b log a) with 0^b = 0 for
// re(b) > 0 and im(b) = 0, 0^0 = 1, NaN otherwise.
// mul and div are f64x2 SIMD (one complex128, or one complex64 widened, per vector). The scalar
// routines here (map_c64/map_c128, pow, abs) are the special-value path of the SIMD kernels of
// complex_vec.ts (exp, log, sin, cos, tan, sinh, cosh, tanh, sqrt, pow, abs), which call them for
// the lanes they do not cover. Inverse functions: complex_arc.ts (and complex_arc_vec.ts).

// ---------------------------------------------------------------- scalar helpers (f64)

// Each scalar routine leaves its result in (RE, IM).
let RE: f64 = 0, IM: f64 = 0;

@inline function ld<T>(p: usize, i: i32, part: i32): f64 {
  return <f64>load<T>(p + (<usize>(2 * i + part)) * sizeof<T>());
}
@inline function st<T>(p: usize, i: i32, re: f64, im: f64): void {
  store<T>(p + (<usize>(2 * i)) * sizeof<T>(), <T>re);
  store<T>(p + (<usize>(2 * i + 1)) * sizeof<T>(), <T>im);
}

// Special values (C99 Annex G, as NumPy): exp(+inf + i(inf or NaN)) = inf + NaNi, exp(-inf + i(inf
// or NaN)) = +-0 +- 0i; past x = 709 e^x overflows before e^x cos y would: (e^(x/2) cos y) e^(x/2).
function cexp(x: f64, y: f64): void {
  if (y == 0) { RE = Math.exp(x); IM = y; return; } // keeps real inputs real (exp(inf) = inf)
  if (!isFinite(y) && (x == Infinity || x == -Infinity)) {
    if (x > 0) { RE = x; IM = y - y; } else { RE = 0; IM = y == y ? copysign<f64>(0, y) : 0; }
    return;
  }
  if (x > 709) { const h = Math.exp(0.5 * x); RE = h * Math.cos(y) * h; IM = h * Math.sin(y) * h; return; }
  const e = Math.exp(x);
  RE = e * Math.cos(y); IM = e * Math.sin(y);
}
// x^2 + y^2 - 1 to a few ulp of itself, for |z| near 1: the squares exact as Dekker's pairs
// (Veltkamp's split), their sum exact (Knuth's two-sum), and 1 taken off the high part exactly.
@inline function sqLo(a: f64, p: f64): f64 { const c = 134217729.0 * a, h = c - (c - a), l = a - h; return ((h * h - p) + 2 * h * l) + l * l; }
function x2y2m1(a: f64, b: f64): f64 {
  const ph = a * a, qh = b * b;
  const th = ph + qh, v = th - ph, tl = (ph - (th - v)) + (qh - v);
  return (th - 1) + (tl + (sqLo(a, ph) + sqLo(b, qh)));
}
function clog(x: f64, y: f64): void {
  const ax = Math.abs(x), ay = Math.abs(y);
  const big = Math.max(ax, ay), small = Math.min(ax, ay);
  // log|z| = log(big) + log1p((small/big)^2)/2: no overflow; near |z| = 1 log1p(|z|^2 - 1)/2.
  if (big == 0) RE = -Infinity;
  else if (ax == Infinity || ay == Infinity) RE = Infinity; // also with a NaN part (C99)
  else if (big != big) RE = big;
  else if (big > 0.5 && big < 2) RE = 0.5 * Math.log1p(x2y2m1(big, small));
  else { const q = small / big; RE = Math.log(big) + 0.5 * Math.log1p(q * q); }
  IM = Math.atan2(y, x);
}
function csqrt(x: f64, y: f64): void {
  if (x == 0 && y == 0) { RE = 0; IM = y; return; }
  if (y == Infinity || y == -Infinity) { RE = Infinity; IM = y; return; }
  if (x != x) { RE = x; IM = y == y ? x : y; return; }
  const neg = y < 0 || (y == 0 && 1 / y < 0);
  if (x == -Infinity) { if (y != y) { RE = y; IM = Infinity; } else { RE = 0; IM = neg ? -Infinity : Infinity; } return; }
  if (x == Infinity) { RE = x; IM = y != y ? y : (neg ? -0.0 : 0.0); return; }
  // below the normals: scale by 2^600 (exactly), take the root, scale back by 2^-300
  if (Math.abs(x) < 1e-300 && Math.abs(y) < 1e-300) { csqrt(x * 4.149515568880993e180, y * 4.149515568880993e180); RE *= 4.909093465297727e-91; IM *= 4.909093465297727e-91; return; }
  // past 1e300, |z| + |x| overflows (sqrt(1e308 + 0j) was inf): sqrt(z) = 2 sqrt(z / 4), exactly
  if (Math.abs(x) > 1e300 || Math.abs(y) > 1e300) { csqrt(x * 0.25, y * 0.25); RE *= 2; IM *= 2; return; }
  // |z| by scaling (hypot), then the half-angle formulas on the stable side.
  const t = Math.sqrt(0.5 * (Math.hypot(x, y) + Math.abs(x)));
  if (x >= 0) { RE = t; IM = y / (2 * t); }
  else { RE = Math.abs(y) / (2 * t); IM = y < 0 || (y == 0 && 1 / y < 0) ? -t : t; }
}
// Special values as C99 Annex G and NumPy (sin, cos, tan inherit them): csinh(+-0 + i(inf or NaN))
// = +-0 + NaNi, csinh(+-inf + i(inf or NaN)) = inf + NaNi; ccosh(+-0 + i(inf or NaN)) = NaN + 0i,
// ccosh(+-inf + i(inf or NaN)) = inf + NaNi, ccosh(x + 0i) = cosh x + (sign x) 0i also where
// sinh x overflows, ccosh(NaN + 0i) = NaN + 0i. Past |x| = 709 cosh x and sinh x overflow
// before the products do: e^|x|/2 as (e^(|x|/2)/2 cos y) e^(|x|/2).
function csinh(x: f64, y: f64): void {
  if (x == 0 && !isFinite(y)) { RE = x; IM = y - y; return; }
  if ((x == Infinity || x == -Infinity) && !isFinite(y)) { RE = Infinity; IM = y - y; return; }
  if (y == 0) { RE = Math.sinh(x); IM = y; return; }
  if (Math.abs(x) > 709 && isFinite(x)) { const h = Math.exp(0.5 * Math.abs(x)); RE = copysign<f64>(0.5, x) * h * Math.cos(y) * h; IM = 0.5 * h * Math.sin(y) * h; return; }
  RE = Math.sinh(x) * Math.cos(y); IM = Math.cosh(x) * Math.sin(y);
}
function ccosh(x: f64, y: f64): void {
  if (x == 0 && !isFinite(y)) { RE = y - y; IM = 0; return; }
  if ((x == Infinity || x == -Infinity) && !isFinite(y)) { RE = Infinity; IM = y - y; return; }
  if (y == 0) { RE = Math.cosh(x); IM = x != x ? y : copysign<f64>(0, x) * y; return; } // sinh(x) y, a signed zero
  if (Math.abs(x) > 709 && isFinite(x)) { const h = Math.exp(0.5 * Math.abs(x)); RE = 0.5 * h * Math.cos(y) * h; IM = copysign<f64>(0.5, x) * h * Math.sin(y) * h; return; }
  RE = Math.cosh(x) * Math.cos(y); IM = Math.sinh(x) * Math.sin(y);
}
// Kahan's tanh: t = tan(y), s = sinh(x), rho = sqrt(1 + s^2), tanh z = (rho s (1+t^2) + i t)/(1 + (1+t^2) s^2);
// past |x| = 22 the real part is ±1 to f64 precision.
// ctanh(+-0 + i(inf or NaN)) = +-0 + NaNi, ctanh(x + i(inf or NaN)) = NaN + NaNi for finite x,
// ctanh(+-inf + iy) = +-1 + 0i with the sign of sin 2y (of y when y is not finite).
function ctanh(x: f64, y: f64): void {
  if (x == 0 && !isFinite(y)) { RE = x; IM = y - y; return; }
  if (x == Infinity || x == -Infinity) { RE = copysign<f64>(1, x); IM = isFinite(y) ? copysign<f64>(0, Math.sin(2 * y)) : (y == y ? copysign<f64>(0, y) : 0); return; }
  if (!isFinite(y)) { RE = y - y; IM = RE; return; }
  if (y == 0) { RE = Math.tanh(x); IM = y; return; }
  if (Math.abs(x) > 22) {
    RE = x > 0 ? 1.0 : -1.0;
    IM = 4 * Math.sin(y) * Math.cos(y) * Math.exp(-2 * Math.abs(x));
    return;
  }
  const t = Math.tan(y), beta = 1 + t * t, s = Math.sinh(x), rho = Math.sqrt(1 + s * s);
  const den = 1 + beta * s * s;
  RE = beta * rho * s / den; IM = t / den;
}
// sin z = -i sinh(iz), cos z = cosh(iz), tan z = -i tanh(iz), with iz = -y + ix.
// sin(+-inf or NaN +- i inf) = NaN + i inf (NumPy's sign; C99 leaves it unspecified)
function csin(x: f64, y: f64): void {
  if (!isFinite(x) && (y == Infinity || y == -Infinity)) { RE = x - x; IM = Infinity; return; }
  csinh(-y, x); const r = RE; RE = IM; IM = -r;
}
function ccos(x: f64, y: f64): void { ccosh(-y, x); }
function ctan(x: f64, y: f64): void { ctanh(-y, x); const r = RE; RE = IM; IM = -r; }
function cpow(ar: f64, ai: f64, br: f64, bi: f64): void {
  if (br == 0 && bi == 0) { RE = 1; IM = 0; return; }
  if (ar == 0 && ai == 0) {
    // |0^b| = lim exp(Re b log r - Im b arg) = 0 for Re b > 0, whatever Im b (numpy 2.4's too)
    if (br > 0) { RE = 0; IM = 0; } else { RE = NaN; IM = NaN; }
    return;
  }
  clog(ar, ai);
  const lr = RE, li = IM;
  cexp(br * lr - bi * li, br * li + bi * lr);
}

export const C_EXP = 0, C_LOG = 1, C_SIN = 2, C_COS = 3, C_TAN = 4, C_SINH = 5, C_COSH = 6, C_TANH = 7, C_SQRT = 8;

@inline function apply(f: i32, x: f64, y: f64): void {
  switch (f) {
    case C_EXP: cexp(x, y); break;
    case C_LOG: clog(x, y); break;
    case C_SIN: csin(x, y); break;
    case C_COS: ccos(x, y); break;
    case C_TAN: ctan(x, y); break;
    case C_SINH: csinh(x, y); break;
    case C_COSH: ccosh(x, y); break;
    case C_TANH: ctanh(x, y); break;
    default: csqrt(x, y); break;
  }
}

function mapC<T>(f: i32, x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    apply(f, ld<T>(x, i, 0), ld<T>(x, i, 1));
    st<T>(out, i, RE, IM);
  }
}
export function map_c64(f: i32, x: usize, out: usize, n: i32): void { mapC<f32>(f, x, out, n); }
export function map_c128(f: i32, x: usize, out: usize, n: i32): void { mapC<f64>(f, x, out, n); }

function powC<T>(a: usize, b: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    cpow(ld<T>(a, i, 0), ld<T>(a, i, 1), ld<T>(b, i, 0), ld<T>(b, i, 1));
    st<T>(out, i, RE, IM);
  }
}
export function pow_c64(a: usize, b: usize, out: usize, n: i32): void { powC<f32>(a, b, out, n); }
export function pow_c128(a: usize, b: usize, out: usize, n: i32): void { powC<f64>(a, b, out, n); }

// ---------------------------------------------------------------- mul, div (f64x2 SIMD)

// One complex per f64x2 [re, im]: a*b = a*[br, br] + swap(a)*[bi, bi]*[-1, 1].
@inline function vmul(a: v128, b: v128): v128 {
  const br = i64x2.shuffle(b, b, 0, 0), bi = i64x2.shuffle(b, b, 1, 1);
  const sw = i64x2.shuffle(a, a, 1, 0);
  return f64x2.add(f64x2.mul(a, br), f64x2.mul(f64x2.mul(sw, bi), f64x2(-1.0, 1.0)));
}
// a/b = a*conj(b)/|b|^2 with b scaled by 1/max(|br|, |bi|) first (no overflow or underflow of |b|^2).
@inline function vdiv(a: v128, b: v128): v128 {
  const ab = f64x2.abs(b);
  const s = f64x2.max(ab, i64x2.shuffle(ab, ab, 1, 0)); // max(|br|, |bi|) in both lanes
  const bs = f64x2.div(b, s);
  const bconj = f64x2.mul(bs, f64x2(1.0, -1.0));
  const den = f64x2.mul(bs, bs);
  const d = f64x2.add(den, i64x2.shuffle(den, den, 1, 0));
  const r = f64x2.div(f64x2.div(vmul(a, bconj), d), s);
  return i64x2.all_true(f64x2.ne(r, r)) ? divRecover(a, b, r) : r;
}
// C99 Annex G's recovery of a NaN + NaN i quotient (as XLA and numpy): a nonzero over 0 is inf
// (signed by the zero's real part), an infinite numerator over a finite denominator is an
// infinity, a finite numerator over an infinite denominator is 0. Otherwise r (a NaN operand).
@inline function divRecover(a: v128, b: v128, r: v128): v128 {
  const ar = f64x2.extract_lane(a, 0), ai = f64x2.extract_lane(a, 1);
  const br = f64x2.extract_lane(b, 0), bi = f64x2.extract_lane(b, 1);
  const infA = isInf(ar) || isInf(ai), infB = isInf(br) || isInf(bi);
  if (br == 0 && bi == 0 && !(isNaN(ar) && isNaN(ai))) {
    const c = copysign<f64>(Infinity, br);
    return f64x2(c * ar, c * ai);
  }
  if (infA && isFinite(br) && isFinite(bi)) {
    const x = copysign<f64>(isInf(ar) ? 1.0 : 0.0, ar), y = copysign<f64>(isInf(ai) ? 1.0 : 0.0, ai);
    return f64x2(Infinity * (x * br + y * bi), Infinity * (y * br - x * bi));
  }
  if (infB && isFinite(ar) && isFinite(ai)) {
    const x = copysign<f64>(isInf(br) ? 1.0 : 0.0, br), y = copysign<f64>(isInf(bi) ? 1.0 : 0.0, bi);
    return f64x2(0 * (ar * x + ai * y), 0 * (ai * x - ar * y));
  }
  return r;
}
@inline function isInf(x: f64): bool { return abs(x) == Infinity; }
@inline export function load64to128(p: usize): v128 { return f64x2.promote_low_f32x4(v128.load64_zero(p)); }
@inline export function store128to64(p: usize, v: v128): void { v128.store64_lane(p, f32x4.demote_f64x2_zero(v), 0); }

export function mul_c128(a: usize, b: usize, out: usize, n: i32): void {
  for (let i: usize = 0, e = <usize>n << 4; i < e; i += 16) v128.store(out + i, vmul(v128.load(a + i), v128.load(b + i)));
}
export function div_c128(a: usize, b: usize, out: usize, n: i32): void {
  for (let i: usize = 0, e = <usize>n << 4; i < e; i += 16) v128.store(out + i, vdiv(v128.load(a + i), v128.load(b + i)));
}
// complex64 computed in f64, rounded once.
export function mul_c64(a: usize, b: usize, out: usize, n: i32): void {
  for (let i: usize = 0, e = <usize>n << 3; i < e; i += 8) store128to64(out + i, vmul(load64to128(a + i), load64to128(b + i)));
}
export function div_c64(a: usize, b: usize, out: usize, n: i32): void {
  for (let i: usize = 0, e = <usize>n << 3; i < e; i += 8) store128to64(out + i, vdiv(load64to128(a + i), load64to128(b + i)));
}

// ---------------------------------------------------------------- parts, abs, compare, fill

function absC<T, R>(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<R>(out + <usize>i * sizeof<R>(), <R>Math.hypot(ld<T>(x, i, 0), ld<T>(x, i, 1)));
}
export function abs_c64(x: usize, out: usize, n: i32): void { absC<f32, f32>(x, out, n); }
export function abs_c128(x: usize, out: usize, n: i32): void { absC<f64, f64>(x, out, n); }

/** part 0: real part, 1: imaginary part, into a real array. */
function partC<T>(part: i32, x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<T>(out + <usize>i * sizeof<T>(), load<T>(x + (<usize>(2 * i + part)) * sizeof<T>()));
}
export function real_c64(x: usize, out: usize, n: i32): void { partC<f32>(0, x, out, n); }
export function real_c128(x: usize, out: usize, n: i32): void { partC<f64>(0, x, out, n); }
export function imag_c64(x: usize, out: usize, n: i32): void { partC<f32>(1, x, out, n); }
export function imag_c128(x: usize, out: usize, n: i32): void { partC<f64>(1, x, out, n); }

/** Real part into the other float width (convert complex128 -> float32, complex64 -> float64). */
export function real_c128_f32(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f32>(out + (<usize>i << 2), <f32>load<f64>(x + (<usize>i << 4)));
}
export function real_c64_f64(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f64>(out + (<usize>i << 3), <f64>load<f32>(x + (<usize>i << 3)));
}

function makeC<T>(re: usize, im: usize, out: usize, n: i32): void {
  const sz = <usize>sizeof<T>();
  for (let i = 0; i < n; i++) {
    store<T>(out + <usize>(2 * i) * sz, load<T>(re + <usize>i * sz));
    store<T>(out + <usize>(2 * i + 1) * sz, load<T>(im + <usize>i * sz));
  }
}
export function complex_c64(re: usize, im: usize, out: usize, n: i32): void { makeC<f32>(re, im, out, n); }
export function complex_c128(re: usize, im: usize, out: usize, n: i32): void { makeC<f64>(re, im, out, n); }

function conjC<T>(x: usize, out: usize, n: i32): void {
  const sz = <usize>sizeof<T>();
  for (let i = 0; i < n; i++) {
    store<T>(out + <usize>(2 * i) * sz, load<T>(x + <usize>(2 * i) * sz));
    store<T>(out + <usize>(2 * i + 1) * sz, -load<T>(x + <usize>(2 * i + 1) * sz));
  }
}
export function conj_c64(x: usize, out: usize, n: i32): void { conjC<f32>(x, out, n); }
export function conj_c128(x: usize, out: usize, n: i32): void { conjC<f64>(x, out, n); }

/** Equality of both parts (NaN in either part: unequal, as NumPy). */
function eqC<T>(ne: bool, a: usize, b: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const eq = ld<T>(a, i, 0) == ld<T>(b, i, 0) && ld<T>(a, i, 1) == ld<T>(b, i, 1);
    store<u8>(out + <usize>i, <u8>(eq != ne));
  }
}
export function eq_c64(ne: bool, a: usize, b: usize, out: usize, n: i32): void { eqC<f32>(ne, a, b, out, n); }
export function eq_c128(ne: bool, a: usize, b: usize, out: usize, n: i32): void { eqC<f64>(ne, a, b, out, n); }

/** Fill with value + 0i. */
export function fill_c64(out: usize, n: i32, value: f64): void { for (let i = 0; i < n; i++) st<f32>(out, i, value, 0); }
export function fill_c128(out: usize, n: i32, value: f64): void { for (let i = 0; i < n; i++) st<f64>(out, i, value, 0); }

/** Real (f32 or f64 source R) to complex T with a zero imaginary part. */
function fromReal<R, T>(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) st<T>(out, i, <f64>load<R>(x + <usize>i * sizeof<R>()), 0);
}
export function convert_f32_c64(x: usize, out: usize, n: i32): void { fromReal<f32, f32>(x, out, n); }
export function convert_f64_c64(x: usize, out: usize, n: i32): void { fromReal<f64, f32>(x, out, n); }
export function convert_f32_c128(x: usize, out: usize, n: i32): void { fromReal<f32, f64>(x, out, n); }
export function convert_f64_c128(x: usize, out: usize, n: i32): void { fromReal<f64, f64>(x, out, n); }
export function convert_i32_c64(x: usize, out: usize, n: i32): void { fromReal<i32, f32>(x, out, n); }
export function convert_u32_c64(x: usize, out: usize, n: i32): void { fromReal<u32, f32>(x, out, n); }
export function convert_i32_c128(x: usize, out: usize, n: i32): void { fromReal<i32, f64>(x, out, n); }
export function convert_u32_c128(x: usize, out: usize, n: i32): void { fromReal<u32, f64>(x, out, n); }
export function convert_bool_c64(x: usize, out: usize, n: i32): void { fromReal<u8, f32>(x, out, n); }
export function convert_bool_c128(x: usize, out: usize, n: i32): void { fromReal<u8, f64>(x, out, n); }
export function convert_c64_c128(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < 2 * n; i++) store<f64>(out + (<usize>i << 3), <f64>load<f32>(x + (<usize>i << 2)));
}
export function convert_c128_c64(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < 2 * n; i++) store<f32>(out + (<usize>i << 2), <f32>load<f64>(x + (<usize>i << 3)));
}

// ---------------------------------------------------------------- select (16-byte elements)

export function select_c128(c: usize, a: usize, b: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const off = <usize>i << 4;
    v128.store(out + off, load<u8>(c + <usize>i) != 0 ? v128.load(a + off) : v128.load(b + off));
  }
}

// ---------------------------------------------------------------- matmul

// out[t] = a[t] (m x k) @ b[t] (k x n), row by row: c[i,:] += a[i,p] b[p,:] (complex axpy),
// accumulated in f64x2 (complex64 widened, rounded once at the end of a row).
let rowBuf: usize = 0, rowCap: i32 = 0;
function accRow(n: i32): usize {
  if (n > rowCap) {
    if (rowBuf) heap.free(rowBuf);
    rowBuf = 0; rowCap = 0; // (until the allocation succeeds: a failed one aborts the call)
    const cap = max(n, 64);
    rowBuf = heap.alloc(<usize>cap << 4);
    rowCap = cap;
  }
  return rowBuf;
}
@inline function loadC<T>(p: usize): v128 { return sizeof<T>() == 8 ? v128.load(p) : load64to128(p); }
/** c[j] += a_p b[p, j] for the complex a_p in (ar, ai): ar [br, bi] + [-ai, ai] [bi, br]. */
@inline function madd(c: v128, ar: v128, ai: v128, b: v128): v128 {
  return f64x2.add(c, f64x2.add(f64x2.mul(ar, b), f64x2.mul(ai, i64x2.shuffle(b, b, 1, 0))));
}
function gemmC<T>(a: usize, b: usize, out: usize, batch: i32, m: i32, k: i32, n: i32): void {
  const sz = <usize>sizeof<T>() * 2;
  const acc = accRow(n);
  const sgn = f64x2(-1.0, 1.0);
  for (let t = 0; t < batch; t++) {
    const at = a + <usize>t * <usize>m * <usize>k * sz, bt = b + <usize>t * <usize>k * <usize>n * sz;
    const ct = out + <usize>t * <usize>m * <usize>n * sz;
    const rowB = <usize>n * sz;
    for (let i = 0; i < m; i++) {
      memory.fill(acc, 0, <usize>n << 4);
      const ai0 = at + <usize>i * <usize>k * sz;
      let p = 0;
      // four rows of B per pass over the accumulator row: one load and store of acc per 4 madds
      for (; p + 4 <= k; p += 4) {
        const v0 = loadC<T>(ai0 + <usize>p * sz), v1 = loadC<T>(ai0 + <usize>(p + 1) * sz);
        const v2 = loadC<T>(ai0 + <usize>(p + 2) * sz), v3 = loadC<T>(ai0 + <usize>(p + 3) * sz);
        const r0 = i64x2.shuffle(v0, v0, 0, 0), i0 = f64x2.mul(i64x2.shuffle(v0, v0, 1, 1), sgn);
        const r1 = i64x2.shuffle(v1, v1, 0, 0), i1 = f64x2.mul(i64x2.shuffle(v1, v1, 1, 1), sgn);
        const r2 = i64x2.shuffle(v2, v2, 0, 0), i2 = f64x2.mul(i64x2.shuffle(v2, v2, 1, 1), sgn);
        const r3 = i64x2.shuffle(v3, v3, 0, 0), i3 = f64x2.mul(i64x2.shuffle(v3, v3, 1, 1), sgn);
        const b0 = bt + <usize>p * rowB, b1 = b0 + rowB, b2 = b1 + rowB, b3 = b2 + rowB;
        for (let j = 0; j < n; j++) {
          const q = acc + (<usize>j << 4), o = <usize>j * sz;
          let c = v128.load(q);
          c = madd(c, r0, i0, loadC<T>(b0 + o));
          c = madd(c, r1, i1, loadC<T>(b1 + o));
          c = madd(c, r2, i2, loadC<T>(b2 + o));
          c = madd(c, r3, i3, loadC<T>(b3 + o));
          v128.store(q, c);
        }
      }
      for (; p < k; p++) {
        const v = loadC<T>(ai0 + <usize>p * sz);
        const r = i64x2.shuffle(v, v, 0, 0), im = f64x2.mul(i64x2.shuffle(v, v, 1, 1), sgn);
        const bp = bt + <usize>p * rowB;
        for (let j = 0; j < n; j++) {
          const q = acc + (<usize>j << 4);
          v128.store(q, madd(v128.load(q), r, im, loadC<T>(bp + <usize>j * sz)));
        }
      }
      const cr = ct + <usize>i * <usize>n * sz;
      for (let j = 0; j < n; j++) {
        const v = v128.load(acc + (<usize>j << 4));
        if (sizeof<T>() == 8) v128.store(cr + <usize>j * sz, v); else store128to64(cr + <usize>j * sz, v);
      }
    }
  }
}
export function dot_c64(a: usize, b: usize, out: usize, batch: i32, m: i32, k: i32, n: i32): void { gemmC<f32>(a, b, out, batch, m, k, n); }
export function dot_c128(a: usize, b: usize, out: usize, batch: i32, m: i32, k: i32, n: i32): void { gemmC<f64>(a, b, out, batch, m, k, n); }

// ---------------------------------------------------------------- linear algebra

/**
 * Lower Cholesky factors of `batch` Hermitian n x n matrices: L L^H = a, reading a's lower
 * triangle and the real part of its diagonal (the Hermitian completion); zeros above the
 * diagonal; a matrix that is not positive definite gives NaNs (as JAX).
 */
function choleskyC<T>(a: usize, out: usize, batch: i32, n: i32): void {
  const mat = <usize>n * <usize>n;
  for (let t = 0; t < batch; t++) {
    const A = a + <usize>t * mat * 2 * sizeof<T>(), L = out + <usize>t * mat * 2 * sizeof<T>();
    memory.fill(L, 0, mat * 2 * sizeof<T>());
    let ok = true;
    for (let j = 0; j < n && ok; j++) {
      let d = ld<T>(A, j * n + j, 0);
      for (let k = 0; k < j; k++) { const lr = ld<T>(L, j * n + k, 0), li = ld<T>(L, j * n + k, 1); d -= lr * lr + li * li; }
      if (!(d > 0)) { ok = false; break; }
      const ljj = Math.sqrt(d);
      st<T>(L, j * n + j, ljj, 0);
      for (let i = j + 1; i < n; i++) {
        let sr = ld<T>(A, i * n + j, 0), si = ld<T>(A, i * n + j, 1);
        for (let k = 0; k < j; k++) { // - L[i,k] conj(L[j,k])
          const ar = ld<T>(L, i * n + k, 0), ai = ld<T>(L, i * n + k, 1), br = ld<T>(L, j * n + k, 0), bi = -ld<T>(L, j * n + k, 1);
          sr -= ar * br - ai * bi; si -= ar * bi + ai * br;
        }
        st<T>(L, i * n + j, sr / ljj, si / ljj);
      }
    }
    if (!ok) for (let i = 0; i < <i32>mat; i++) st<T>(L, i, NaN, NaN);
  }
}
export function cholesky_c64(a: usize, out: usize, batch: i32, n: i32): void { choleskyC<f32>(a, out, batch, n); }
export function cholesky_c128(a: usize, out: usize, batch: i32, n: i32): void { choleskyC<f64>(a, out, batch, n); }

/**
 * triangular_solve on complex batches (the real kernel's layout and flags), with JAX's
 * conjugate_a: op(A) = A, A^T, conj(A) or A^H.
 */
function triangularSolveC<T>(a: usize, b: usize, out: usize, batch: i32, m: i32, k: i32,
  left: bool, lower: bool, transposeA: bool, conjA: bool, unitDiag: bool): void {
  const sz = <usize>sizeof<T>() * 2, matA = <usize>m * <usize>m * sz, matB = <usize>m * <usize>k * sz;
  const trans = left ? transposeA : !transposeA;
  const forward = trans ? !lower : lower;
  const sgn: f64 = conjA ? -1 : 1;
  for (let t = 0; t < batch; t++) {
    const A = a + <usize>t * matA, X = out + <usize>t * matB;
    memory.copy(X, b + <usize>t * matB, matB);
    const vStride = left ? k : 1, vStep = left ? 1 : m;
    for (let c = 0; c < k; c++) {
      const v = X + <usize>(c * vStep) * sz;
      for (let s = 0; s < m; s++) {
        const i = forward ? s : m - 1 - s;
        let accR = ld<T>(v, i * vStride, 0), accI = ld<T>(v, i * vStride, 1);
        const j0 = forward ? 0 : i + 1, j1 = forward ? i : m;
        for (let j = j0; j < j1; j++) {
          const e = trans ? j * m + i : i * m + j;
          const mr = ld<T>(A, e, 0), mi = sgn * ld<T>(A, e, 1), xr = ld<T>(v, j * vStride, 0), xi = ld<T>(v, j * vStride, 1);
          accR -= mr * xr - mi * xi; accI -= mr * xi + mi * xr;
        }
        if (!unitDiag) {
          const dr = ld<T>(A, i * m + i, 0), di = sgn * ld<T>(A, i * m + i, 1);
          RE = accR; IM = accI;
          // d scaled by its largest part first (Smith): |d|^2 overflowed past 1e154 (solve of a
          // matrix scaled by 1e154 gave NaN) and lost digits below 1e-154
          const sc = max(Math.abs(dr), Math.abs(di)), sr = dr / sc, si = di / sc, den = (sr * sr + si * si) * sc;
          accR = (RE * sr + IM * si) / den; accI = (IM * sr - RE * si) / den;
        }
        st<T>(v, i * vStride, accR, accI);
      }
    }
  }
}
export function triangular_solve_c64(a: usize, b: usize, out: usize, batch: i32, m: i32, k: i32,
  left: bool, lower: bool, transposeA: bool, conjA: bool, unitDiag: bool): void {
  triangularSolveC<f32>(a, b, out, batch, m, k, left, lower, transposeA, conjA, unitDiag);
}
export function triangular_solve_c128(a: usize, b: usize, out: usize, batch: i32, m: i32, k: i32,
  left: bool, lower: bool, transposeA: bool, conjA: bool, unitDiag: bool): void {
  triangularSolveC<f64>(a, b, out, batch, m, k, left, lower, transposeA, conjA, unitDiag);
}
