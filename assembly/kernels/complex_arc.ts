// Complex inverse trigonometric and hyperbolic functions: asin, acos, atan, asinh, acosh, atanh
// on interleaved (re, im) pairs of T = f32 (complex64) or f64 (complex128), computed in f64 and
// rounded once. Principal branches and special values as NumPy (C99 Annex G): asin, acos and atanh
// cut along the real axis outside [-1, 1], asinh and atan along the imaginary axis outside
// [-i, i], acosh along the real axis below 1; on a cut the sign of the zero part picks the side
// (asin(2 + 0j) = pi/2 + 1.3169578969248166j, asin(2 - 0j) = pi/2 - 1.3169578969248166j).
//
// asin and acos follow Hull, Fairgrieve and Tang, "Implementing the complex arcsine and arccosine
// functions using exception handling" (ACM TOMS 23, 1997): with R = |z + 1|, S = |z - 1|,
// A = (R + S)/2 >= 1 and B = x/A, asin z = asin B + i log(A + sqrt(A^2 - 1)), where A - 1 and
// 1 - B are formed from R, S and y without cancellation, and |z| > 1e8 uses log(2z) (relative
// error < 1e-16 there, and no overflow up to the largest doubles). atanh follows Kahan's
// "Branch cuts for complex elementary functions": atanh z = log1p(4x/((1-x)^2 + y^2))/4
// + i atan2(2y, (1-x)(1+x) - y^2)/2, with |z| > 2^60 using atanh z = 1/z + i pi/2 + O(|z|^-3).
// The others by the identities asinh z = -i asin(iz), acosh z = +-i acos z, atan z = -i atanh(iz),
// all of them odd or conjugate-symmetric, so each core works on the first quadrant. These are the
// reference and the special-value path; complex_arc_vec.ts runs the same formulas two lanes a step.

const PI = 3.141592653589793, HALF_PI = 1.5707963267948966, LN2 = 0.6931471805599453;
const BIG: f64 = 1e8; // past it asin z = -i log(2iz) to within 2^-53 relatively
const TINY: f64 = 7.450580596923828e-9; // 2^-27: below it asin z = z (error |z|^2/6 relative)
const BCROSS: f64 = 0.6417, ACROSS: f64 = 1.5; // HFT's crossover points

// Results of the scalar routines.
let RE: f64 = 0, IM: f64 = 0;

/** log|x + iy| without overflow (x, y >= 0). */
function logAbs(x: f64, y: f64): f64 {
  const big = Math.max(x, y), small = Math.min(x, y);
  if (!isFinite(big)) return Infinity;
  if (big == 0) return -Infinity;
  const q = small / big;
  return Math.log(big) + 0.5 * Math.log1p(q * q);
}

/**
 * The first quadrant (x, y >= 0) of asin (acos = false) or acos: RE the real part, IM the
 * magnitude of the imaginary part (asin's is +IM, acos's -IM).
 */
function asinAcosQ1(x: f64, y: f64, acos: bool): void {
  if (x != x) { RE = x; IM = y == Infinity ? y : x; return; }
  if (y != y) {
    if (x == 0) { RE = acos ? HALF_PI : x; IM = y; } else { RE = y; IM = x == Infinity ? x : y; }
    return;
  }
  if (x > BIG || y > BIG) { // also the infinities: atan2 gives pi/4 at (inf, inf)
    IM = logAbs(x, y) + LN2;
    RE = acos ? Math.atan2(y, x) : Math.atan2(x, y);
    return;
  }
  if (x < TINY && y < TINY) { RE = acos ? HALF_PI - x : x; IM = y; return; }
  const xp1 = x + 1, xm1 = x - 1, yy = y * y;
  const r = Math.hypot(xp1, y), s = Math.hypot(xm1, y);
  const a = 0.5 * (r + s), b = x / a;
  if (x < 1 && y < 1e-140) IM = y / Math.sqrt(-xm1 * xp1); // y^2 would underflow; y << 1 - x here
  else if (x == 1 && y < 1e-140) IM = Math.sqrt(y); // A - 1 = y/2 would lose bits below the normals
  else if (a < ACROSS) {
    const am1 = x < 1 ? 0.5 * (yy / (r + xp1) + yy / (s - xm1)) : 0.5 * (yy / (r + xp1) + (s + xm1)); // A - 1
    IM = Math.log1p(am1 + Math.sqrt(am1 * (a + 1)));
  } else IM = Math.log(a + Math.sqrt(a * a - 1));
  if (b <= BCROSS) { RE = acos ? Math.acos(b) : Math.asin(b); return; }
  // near |B| = 1: sqrt(A^2 - x^2) from R, S without cancellation, then an atan
  const c = x <= 1
    ? Math.sqrt(0.5 * (a + x) * (yy / (r + xp1) + (s - xm1)))
    : y * Math.sqrt(0.5 * ((a + x) / (r + xp1) + (a + x) / (s + xm1)));
  RE = acos ? Math.atan(c / x) : Math.atan(x / c);
}

/** The first quadrant (x, y >= 0) of atanh. */
function atanhQ1(x: f64, y: f64): void {
  if (x == Infinity || y == Infinity) { RE = 0; IM = y != y ? y : HALF_PI; return; }
  if (x != x) { RE = x; IM = x; return; }
  if (y != y) { RE = x == 0 ? x : y; IM = y; return; }
  const big = Math.max(x, y);
  if (big > 1.152921504606847e18) { // 2^60: (1 - x)^2 + y^2 = |z|^2 and atanh z = 1/z + i pi/2 to 2^-59
    const q = Math.min(x, y) / big, d = 1 + q * q;
    RE = x / big / d / big;
    IM = HALF_PI - y / big / d / big;
    return;
  }
  const omx = 1 - x;
  if (Math.abs(omx) < 1e-100 && y < 1e-100) RE = 0.5 * (Math.log(Math.hypot(1 + x, y)) - Math.log(Math.hypot(omx, y))); // |1 - z|^2 underflows
  else RE = 0.25 * Math.log1p(4 * x / (omx * omx + y * y));
  IM = 0.5 * Math.atan2(2 * y, omx * (1 + x) - y * y);
}

@inline function sgn(v: f64, s: f64): f64 { return copysign<f64>(v, s); }

function casin(x: f64, y: f64): void { asinAcosQ1(Math.abs(x), Math.abs(y), false); RE = sgn(RE, x); IM = sgn(IM, y); }
function cacos(x: f64, y: f64): void {
  asinAcosQ1(Math.abs(x), Math.abs(y), true);
  if (x < 0 || (x == 0 && 1 / x < 0)) RE = PI - RE; // acos(-z) = pi - acos z
  IM = sgn(IM, -y);
}
// asinh z = -i asin(iz): in the first quadrant the parts of asin(y + ix), swapped.
function casinh(x: f64, y: f64): void {
  asinAcosQ1(Math.abs(y), Math.abs(x), false);
  const re = IM; IM = sgn(RE, y); RE = sgn(re, x);
}
// acosh z = i acos z for y >= +0 (else -i acos z): Re = |Im acos z|, Im = +-Re acos z.
function cacosh(x: f64, y: f64): void {
  cacos(x, y);
  const re = Math.abs(IM); IM = sgn(RE, y); RE = re;
}
function catanh(x: f64, y: f64): void { atanhQ1(Math.abs(x), Math.abs(y)); RE = sgn(RE, x); IM = sgn(IM, y); }
// atan z = -i atanh(iz): in the first quadrant the parts of atanh(y + ix), swapped.
function catan(x: f64, y: f64): void {
  atanhQ1(Math.abs(y), Math.abs(x));
  const re = IM; IM = sgn(RE, y); RE = sgn(re, x);
}

export const C_ASIN = 0, C_ACOS = 1, C_ATAN = 2, C_ASINH = 3, C_ACOSH = 4, C_ATANH = 5;

@inline function apply(f: i32, x: f64, y: f64): void {
  switch (f) {
    case C_ASIN: casin(x, y); break;
    case C_ACOS: cacos(x, y); break;
    case C_ATAN: catan(x, y); break;
    case C_ASINH: casinh(x, y); break;
    case C_ACOSH: cacosh(x, y); break;
    default: catanh(x, y); break;
  }
}

function mapArc<T>(f: i32, x: usize, out: usize, n: i32): void {
  const sz = <usize>sizeof<T>();
  for (let i = 0; i < n; i++) {
    const p = x + (<usize>i << 1) * sz, q = out + (<usize>i << 1) * sz;
    apply(f, <f64>load<T>(p), <f64>load<T>(p + sz));
    store<T>(q, <T>RE); store<T>(q + sz, <T>IM);
  }
}
export function arc_c64(f: i32, x: usize, out: usize, n: i32): void { mapArc<f32>(f, x, out, n); }
export function arc_c128(f: i32, x: usize, out: usize, n: i32): void { mapArc<f64>(f, x, out, n); }
