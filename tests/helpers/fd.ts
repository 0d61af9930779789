// Finite-difference reference derivatives, a seeded PRNG and readable numeric comparisons for
// derivative tests. Everything here only *evaluates* the function under test (forward, eagerly,
// in float64); no reference value is ever produced by the library's own differentiation.
import { np, NDArray } from 'cotangent';

export type Fn = (...args: NDArray[]) => NDArray;
export type FloatDType = 'float32' | 'float64';

// ---------------------------------------------------------------- PRNG

/** mulberry32: a small, fast, seedable 32-bit generator (uniform in [0, 1)). */
export class Rng {
  private s: number;
  constructor(seed: number) { this.s = seed >>> 0; }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  uniform(lo: number, hi: number): number { return lo + (hi - lo) * this.next(); }
  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = Math.max(this.next(), 1e-12), v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  /** n standard normals, each rounded to float32 so they are exact in either float dtype. */
  normals(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.fround(this.normal());
    return out;
  }
}

/** A string seed -> 32-bit seed (FNV-1a), so each named case gets its own stable stream. */
export function seedOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) { h ^= name.charCodeAt(i); h = Math.imul(h, 0x01000193); }
  return h >>> 0;
}

// ---------------------------------------------------------------- arrays

export function sizeOf(shape: readonly number[]): number { return shape.reduce((a, b) => a * b, 1); }

/** Any array (or number) as a Float64Array copy of its values. Bools become 0/1. */
export function f64(x: NDArray | number | ArrayLike<number>): Float64Array {
  if (typeof x === 'number') return new Float64Array([x]);
  if (x instanceof NDArray) return Float64Array.from(x.dataSync() as ArrayLike<number>);
  return Float64Array.from(x);
}

/** An Array of the given dtype and shape holding `values` (rounded when float32). */
export function arr(values: ArrayLike<number>, shape: readonly number[], dtype: FloatDType = 'float64'): NDArray {
  if (values.length !== sizeOf(shape)) throw new Error(`arr: ${values.length} values for shape [${shape}]`);
  const data = dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values);
  return np.array(data, { shape: shape.slice(), dtype });
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`dot: lengths ${a.length} and ${b.length} differ`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

// ---------------------------------------------------------------- evaluation at shifted points

/** A point: one Float64Array of values per argument, with the arguments' shapes. */
export interface Point { values: Float64Array[]; shapes: number[][] }

/** f evaluated eagerly in float64 at x + sum_k t_k d_k (every argument lifted to float64). */
export function evalAt(f: Fn, x: Point, dirs: Float64Array[][] = [], ts: number[] = []): Float64Array {
  const args = x.values.map((xv, i) => {
    const moved = Float64Array.from(xv);
    dirs.forEach((d, k) => { const t = ts[k]; if (t !== 0) for (let j = 0; j < moved.length; j++) moved[j] += t * d[i][j]; });
    return arr(moved, x.shapes[i], 'float64');
  });
  const out = f(...args);
  if (!(out instanceof NDArray)) throw new Error('evalAt: the function must return an Array');
  if (out.dtype !== 'float64') {
    throw new Error(`evalAt: at float64 inputs the function returned ${out.dtype}; the FD reference must be computed in float64`);
  }
  return f64(out);
}

// 5-point central stencil for the first derivative: offsets -2, -1, 1, 2 (the 0 weight vanishes).
const D1_OFF = [-2, -1, 1, 2];
const D1_W = [1 / 12, -8 / 12, 8 / 12, -1 / 12];

/** Per direction d, the step h = h0 * max(1, |x|_inf) / |d|_inf: no coordinate moves more than h0 * max(1, |x|_inf) per unit t. */
export function stepFor(x: Point, dirs: Float64Array[][], h0: number): number[] {
  const xs = Math.max(1, ...x.values.map(maxAbs));
  return dirs.map((d) => h0 * xs / Math.max(1e-300, ...d.map(maxAbs)));
}

/**
 * Directional derivative d/dt f(x + t v) at t = 0 by the 5-point stencil
 * (-f(x+2hv) + 8 f(x+hv) - 8 f(x-hv) + f(x-2hv)) / 12h, all in float64. Truncation O(h^4 f^(5)),
 * rounding about 1.5 eps |f| / h.
 */
export function fdJvp(f: Fn, x: Point, v: Float64Array[], h0 = 2.5e-4): Float64Array {
  const [h] = stepFor(x, [v], h0);
  let acc: Float64Array | null = null;
  D1_OFF.forEach((o, k) => {
    const y = evalAt(f, x, [v], [o * h]);
    if (acc === null) acc = new Float64Array(y.length);
    for (let j = 0; j < y.length; j++) acc[j] += D1_W[k] * y[j];
  });
  const out = acc!;
  for (let j = 0; j < out.length; j++) out[j] /= h;
  return out;
}

/** The full gradient of a scalar function, one coordinate at a time (5-point stencil per coordinate). */
export function fdGrad(f: Fn, x: Point, h0 = 2.5e-4): Float64Array[] {
  return x.values.map((xv, i) => {
    const g = new Float64Array(xv.length);
    for (let j = 0; j < xv.length; j++) {
      const e = x.values.map((v) => new Float64Array(v.length));
      e[i][j] = 1;
      const y = fdJvp(f, x, e, h0);
      if (y.length !== 1) throw new Error(`fdGrad: the function must return a scalar, got ${y.length} values`);
      g[j] = y[0];
    }
    return g;
  });
}

/**
 * The mixed second directional derivative u^T H v = d^2/(ds dt) f(x + s u + t v) at 0 of a scalar
 * function: the 5-point first-derivative stencil applied in s and then in t (16 evaluations).
 * Truncation O(h^4), rounding about 2.25 eps |f| / (h_u h_v).
 */
export function fdSecond(f: Fn, x: Point, u: Float64Array[], v: Float64Array[], h0 = 5e-4): number {
  const [hu, hv] = stepFor(x, [u, v], h0);
  let s = 0;
  for (let a = 0; a < 4; a++) {
    for (let b = 0; b < 4; b++) {
      const y = evalAt(f, x, [u, v], [D1_OFF[a] * hu, D1_OFF[b] * hv]);
      if (y.length !== 1) throw new Error(`fdSecond: the function must return a scalar, got ${y.length} values`);
      s += D1_W[a] * D1_W[b] * y[0];
    }
  }
  return s / (hu * hv);
}

/**
 * d^2/dt^2 f(x + t v) by the 5-point second-difference stencil
 * (-f(x-2h) + 16 f(x-h) - 30 f(x) + 16 f(x+h) - f(x+2h)) / 12h^2.
 */
export function fdSecondDiag(f: Fn, x: Point, v: Float64Array[], h0 = 1.5e-3): number {
  const [h] = stepFor(x, [v], h0);
  const w = [-1, 16, -30, 16, -1];
  let s = 0;
  [-2, -1, 0, 1, 2].forEach((o, k) => {
    const y = evalAt(f, x, [v], [o * h]);
    if (y.length !== 1) throw new Error(`fdSecondDiag: the function must return a scalar, got ${y.length} values`);
    s += w[k] * y[0];
  });
  return s / (12 * h * h);
}

/**
 * Richardson extrapolation with step selection, for the O(h^4) stencils above. On a halving
 * ladder h_0 > h_1 > ..., R_k = (16 D(h_(k+1)) - D(h_k)) / 15 cancels the h^4 term; the R_k whose
 * difference to R_(k+1) is smallest is returned (that difference estimates its error: truncation
 * when h is too large, rounding when it is too small). Polynomial-like functions thus get large
 * steps (little rounding), near-singular ones small steps.
 */
export function richardson(compute: (h0: number) => number, ladder: number[]): { value: number; h0: number; estimate: number } {
  if (ladder.length < 3) throw new Error('richardson: need at least 3 steps');
  const d = ladder.map(compute);
  const r = d.slice(1).map((dk1, k) => (16 * dk1 - d[k]) / 15);
  let best = 0, bestErr = Infinity;
  for (let k = 0; k + 1 < r.length; k++) {
    const e = Math.abs(r[k] - r[k + 1]);
    if (e < bestErr) { bestErr = e; best = k; }
  }
  return { value: r[best], h0: ladder[best], estimate: bestErr };
}

/** u^T H v by fdSecond, Richardson-extrapolated over h0 = 8e-3 ... 5e-4 (80 evaluations). */
export function fdSecondAdaptive(f: Fn, x: Point, u: Float64Array[], v: Float64Array[]): number {
  return richardson((h) => fdSecond(f, x, u, v, h), [8e-3, 4e-3, 2e-3, 1e-3, 5e-4]).value;
}

/** v^T H v by fdSecondDiag, Richardson-extrapolated over h0 = 1.2e-2 ... 7.5e-4 (25 evaluations). */
export function fdSecondDiagAdaptive(f: Fn, x: Point, v: Float64Array[]): number {
  return richardson((h) => fdSecondDiag(f, x, v, h), [1.2e-2, 6e-3, 3e-3, 1.5e-3, 7.5e-4]).value;
}

// ---------------------------------------------------------------- comparison

export interface Tol { rtol: number; atol?: number }

/** Max of |got - want| / max(atol/rtol, |want|), i.e. the smallest rtol this pair passes with (atol = rtol by default). */
export function relErr(got: ArrayLike<number>, want: ArrayLike<number>, floor = 1): number {
  if (got.length !== want.length) return Infinity;
  let m = 0;
  for (let i = 0; i < got.length; i++) {
    const d = Math.abs(got[i] - want[i]);
    const e = Number.isNaN(d) ? Infinity : d / Math.max(floor, Math.abs(want[i]));
    m = Math.max(m, e);
  }
  return m;
}

/** Records the worst error ratio seen per category, for a summary. */
export class ErrorLog {
  readonly worst = new Map<string, { err: number; where: string }>();
  note(category: string, err: number, where: string): void {
    const w = this.worst.get(category);
    if (!w || err > w.err || Number.isNaN(err)) this.worst.set(category, { err, where });
  }
  summary(): string {
    return [...this.worst.entries()].sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, { err, where }]) => `${k}: worst ${err.toExponential(2)} (${where})`).join('\n');
  }
}

/**
 * Asserts |got_i - want_i| <= rtol * max(1, |want_i|) (or atol + rtol |want_i| when atol is
 * given) for every element, with a message naming the worst element. Returns the observed
 * error ratio (|got - want| / max(1, |want|)).
 */
export function assertClose(what: string, got: ArrayLike<number>, want: ArrayLike<number>, tol: Tol, log?: { log: ErrorLog; category: string }): number {
  if (got.length !== want.length) throw new Error(`${what}: got ${got.length} values, expected ${want.length}`);
  let worst = -1, worstExcess = -Infinity;
  for (let i = 0; i < got.length; i++) {
    const bound = tol.atol === undefined ? tol.rtol * Math.max(1, Math.abs(want[i])) : tol.atol + tol.rtol * Math.abs(want[i]);
    const d = Math.abs(got[i] - want[i]);
    const excess = Number.isNaN(d) ? Infinity : d - bound;
    if (excess > worstExcess) { worstExcess = excess; worst = i; }
  }
  const err = relErr(got, want);
  if (log) log.log.note(log.category, err, what);
  if (worstExcess > 0) {
    const i = worst;
    const lim = tol.atol === undefined ? `${tol.rtol} * max(1, |want|)` : `${tol.atol} + ${tol.rtol} * |want|`;
    const show = (a: ArrayLike<number>) => (a.length <= 12 ? `[${Array.from(a, (x) => x.toPrecision(12)).join(', ')}]` : `(${a.length} values)`);
    throw new Error(`${what}: element ${i} of ${got.length}: got ${got[i]}, want ${want[i]}, ` +
      `|diff| ${Math.abs(got[i] - want[i]).toExponential(3)} > ${lim}\n  got  ${show(got)}\n  want ${show(want)}`);
  }
  return err;
}
