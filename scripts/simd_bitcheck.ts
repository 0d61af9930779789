// The f64x2 ports of scalar float64 routines against an older build's scalar loops, bit for bit:
// `node --import tsx scripts/simd_bitcheck.ts OLD_DIST NEW_DIST [names]`. Points: every binade
// from 2^-60 to 2^10 of both signs (random mantissas), uniform draws in the ranges each routine
// switches at, and the special values; an odd count, so the tail lane runs too. A name ending in
// `:f32` runs the float32 kernel on the points rounded to float32 (a count that is not a multiple
// of 4); arctan2 and hypot take the points against a permutation of themselves, fmod also against
// divisors that put the quotient next to an integer (1 to 2^60, a few ulps either side) and
// against the special values; `polygammaN` is np.polygamma(N, x).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

type Api = typeof import('cotangent');
const load = (dir: string) => import(pathToFileURL(resolve(dir, 'index.js')).href) as Promise<Api>;
const [oldDir, newDir, only] = process.argv.slice(2);
const [A, B] = [await load(oldDir), await load(newDir)];

let s = 12345;
const rnd = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
const pts: number[] = [0, -0, Infinity, -Infinity, NaN, -1, 1, -0.5, 0.35, -0.35, 0.3466, 690, 709.78, 709.79, -37, -38, 5e-324, -5e-324,
  2 ** -53, -(2 ** -53), 2 ** -54, 0.4142135623730950, -0.2928932188134524, 1e300, -1e300];
for (let e = -60; e <= 10; e++) for (let i = 0; i < 20000; i++) { const v = 2 ** e * (1 + rnd()); pts.push(v, -v); }
for (const [lo, hi] of [[-8, 8], [1e-300, 1e-290], [0.5, 1], [-1, -0.5], [0.95, 1], [0, 4], [0.9, 1.1], [-3, 3], [2.3, 2.5], [-7, 7], [5.9, 6.3], [25, 28], [-1, 1], [-1.2, 1.2], [690, 710], [-0.4, 0.4], [-40, 40], [-1, -0.25], [0.3, 0.45], [600, 720], [-745, 10]]) {
  for (let i = 0; i < 200000; i++) pts.push(lo + (hi - lo) * rnd());
}
for (let k = -3000; k <= 3000; k++) { const c = k * Math.PI / 2; pts.push(c, c + 1e-9, c - 3e-12, 1e6 - k); }
// the special functions' hard ranges: negative non-integers and the poles 0, -1, -2, ... (both
// sides), lgamma's zeros 1 and 2, digamma's positive root, erfinv near +-1, and where the
// routines switch form (0.5, 0.75, 1.5, 2.5, 10, 10.25, 15)
for (const [lo, hi] of [[-30, 0], [-3, 0], [0, 3], [0.9, 1.1], [1.9, 2.1], [1.2, 1.75], [1.46, 1.463], [9, 16], [0.4, 0.8], [2.4, 2.6],
  [-1, -0.999], [0.999, 1], [0.4, 0.6], [1e3, 1e6]]) {
  for (let i = 0; i < 100000; i++) pts.push(lo + (hi - lo) * rnd());
}
for (let k = 0; k <= 170; k++) for (let j = -4; j <= 4; j++) { const e = 2 ** (-52 + 6 * Math.abs(j)) * Math.sign(j); pts.push(-k + e * Math.max(k, 1), k + 1 + e * (k + 1)); }
for (const c of [0.5, 0.75, 1, 1.5, 1.4616321449683622, 2, 2.5, 10, 10.25, 15]) for (let j = -40; j <= 40; j++) pts.push(c * (1 + j * 2 ** -52));
for (let j = 0; j < 2000; j++) { const t = 1 - 2 ** -(1 + 52 * rnd()); pts.push(t, -t); }
if (pts.length % 2 === 0) pts.push(0.123);
const perm = (v: ArrayLike<number>) => Array.from({ length: v.length }, (_, i) => v[(i * 7919 + 13) % v.length]);
/** fmod's divisors: every third a permutation of the points, every third a special value, every
 *  third x / n nudged by a few ulps (n an integer from 1 to 2^60, log-uniform). */
const SPECIAL_B = [0, -0, Infinity, -Infinity, NaN, 1, -1, 2, 0.5, 3, -7, 1e-300, 5e-324, 1e300, 1.7e308, 0.1];
function divisors(x: Float64Array | Float32Array): number[] {
  const p = perm(x);
  return Array.from(x, (v, i) => {
    if (i % 3 === 0) return p[i];
    if (i % 3 === 1) return SPECIAL_B[i % SPECIAL_B.length];
    const n = Math.floor(2 ** (60 * rnd())), b = v / Math.max(n, 1), u = Math.round(8 * rnd()) - 4;
    return b * (1 + u * 2 ** -52) * (i % 6 === 2 ? 1 : -1);
  });
}
let bad = 0;
for (const spec of (only ?? 'log1p,expm1').split(',')) {
  const [name, kind] = spec.split(':'), f32 = kind === 'f32';
  const x = f32 ? new Float32Array(pts.length % 4 ? pts : [...pts, 0.5]) : new Float64Array(pts);
  const yv = name === 'fmod' ? divisors(x) : perm(x);
  const y = f32 ? new Float32Array(yv) : new Float64Array(yv);
  const run = (api: Api) => {
    const np = api.np as any;
    const poly = /^polygamma(\d+)$/.exec(name);
    const r = poly ? np.polygamma(Number(poly[1]), np.array(x))
      : name === 'arctan2' || name === 'hypot' || name === 'fmod' ? np[name](np.array(x), np.array(y)) : np[name](np.array(x));
    return r.dataSync() as Float64Array | Float32Array;
  };
  const ya = run(A), yb = run(B);
  if (ya.length !== x.length || (ya instanceof Float32Array) !== f32) throw new Error(`${spec}: unexpected result type`);
  const ba = f32 ? new Int32Array(ya.buffer, ya.byteOffset, ya.length) : new BigInt64Array(ya.buffer, ya.byteOffset, ya.length);
  const bb = f32 ? new Int32Array(yb.buffer, yb.byteOffset, yb.length) : new BigInt64Array(yb.buffer, yb.byteOffset, yb.length);
  let diff = 0;
  for (let i = 0; i < x.length; i++) {
    if (ba[i] !== bb[i] && !(Number.isNaN(ya[i]) && Number.isNaN(yb[i]))) { if (diff++ < 5) console.log(spec, x[i], y[i], ya[i], yb[i]); }
  }
  console.log(`${spec}: ${x.length} points, ${diff} differ`);
  bad += diff;
}
process.exitCode = bad ? 1 : 0;
