// checkGrads: JAX's check_grads. Compares jvp and vjp with central finite differences taken in
// float64 along random directions, recursively up to `order` (the derivative functions are
// themselves checked), and throws a readable diff on disagreement. Complex arguments move along
// complex directions (random real and imaginary parts); the VJP identity is JAX's bilinear
// pairing Re(sum u v) (no conjugation: JAX's transposes never conjugate).
import { NDArray } from './array.js';
import { asarray, astype } from './numpy.js';
import { flatten, unflatten, leafPath, PyTree } from './tree.js';
import { jvp } from './transforms/jvp.js';
import { vjp } from './transforms/vjp.js';
import { requireFunction, maxArgs, checkCallArity } from './transforms/trace_args.js';
import { CotangentError, DTypeError, ValueError, describe } from '../core/errors.js';
import { DType, isComplex, isInexact } from '../core/dtype.js';
import { OptionSpec, readTrailing, show } from './options.js';

export interface CheckGradsOptions {
  order?: number;
  modes?: ('fwd' | 'rev')[];
  atol?: number;
  rtol?: number;
  eps?: number;
  seed?: number;
}

export class GradientCheckError extends CotangentError {}

// JAX's default_gradient_tolerance.
const TOL: Record<string, number> = { float32: 2e-3, float64: 1e-5 };

type Fn = (...args: any[]) => any;

/** The highest order checked (JAX's check_grads takes any; each order doubles the programs). */
const MAX_ORDER = 6;

const OPTIONS: OptionSpec = { order: 'number', modes: 'any', atol: 'number', rtol: 'number', eps: 'number', seed: 'number' };

/** Options as an object, or JAX's positional form: checkGrads(f, args, order, modes, atol, rtol, eps). */
export function checkGrads(f: Fn, args: unknown[], order?: CheckGradsOptions | number | null, modes?: readonly string[] | null,
  atol?: number | null, rtol?: number | null, eps?: number | null): void {
  maxArgs('checkGrads', arguments.length, 7, 'f, args, order, modes, atol, rtol, eps');
  requireFunction('checkGrads', f);
  if (!Array.isArray(args)) {
    throw new ValueError(`checkGrads: args must be a JS array with one entry per argument of f (checkGrads(f, [x])), got ${show(args)}`);
  }
  checkCallArity('checkGrads', f, args); // (the jvp inside named itself: "jvp: f takes 1 argument (x), got 3")
  args.forEach((a, i) => { // (the jvp inside named itself here too: "jvp: argument 0 has dtype int32")
    const [leaves, def] = flatten(a as PyTree);
    leaves.forEach((l, j) => {
      if (l instanceof NDArray && !isInexact(l.dtype)) {
        throw new DTypeError(`checkGrads: argument ${i}${leafPath(def, j)} has dtype ${l.dtype}; derivatives need float or complex inputs, got ${describe(l.shape, l.dtype)}`);
      }
    });
  });
  const opts = readTrailing<CheckGradsOptions>('checkGrads', [order, modes, atol, rtol, eps], ['order', 'modes', 'atol', 'rtol', 'eps'], OPTIONS);
  const n = opts.order ?? 2;
  const directions = opts.modes ?? ['fwd', 'rev'];
  // (each order nests a jvp and a vjp around the last: 2^order programs; order 100 ran out of memory)
  if (!Number.isInteger(n) || n < 1 || n > MAX_ORDER) throw new ValueError(`checkGrads: order must be an integer from 1 to ${MAX_ORDER}, got ${show(n)}`);
  if (!Array.isArray(directions) || directions.length === 0 || directions.some((m) => m !== 'fwd' && m !== 'rev')) {
    throw new ValueError(`checkGrads: modes must be a non-empty list of 'fwd' and 'rev', got ${show(directions)}`);
  }
  // (eps Infinity compared f's derivative with NaN differences, a NaN atol or rtol failed every
  // check and a negative one passed none, each reported as a wrong derivative)
  if (opts.eps !== undefined && !(opts.eps > 0 && Number.isFinite(opts.eps))) throw new ValueError(`checkGrads: eps must be a positive finite number, got ${show(opts.eps)}`);
  for (const k of ['atol', 'rtol'] as const) {
    const v = opts[k];
    if (v !== undefined && !(v >= 0 && v !== Infinity)) throw new ValueError(`checkGrads: ${k} must be a finite number >= 0, got ${show(v)}`);
  }
  const rng = mulberry32(opts.seed ?? 0);
  // The derivative functions checked at higher orders compute in f's precision: carry the
  // tolerance of f's own inputs and outputs down the recursion.
  const y = f(...args);
  if (y === undefined || y === null || typeof y === 'function') {
    throw new ValueError(`checkGrads: f returned ${y === null ? 'null' : typeof y}; it must return an Array (or a number, or a pytree of them) to check`);
  }
  const floor = tolerance([args, y], {}).atol;
  check(f, args, n, directions, { ...opts, floor }, rng, 'f');
}

type Opts = CheckGradsOptions & { floor: number };

function check(f: Fn, args: unknown[], order: number, modes: string[], opts: Opts, rng: () => number, label: string): void {
  if (modes.includes('fwd')) {
    checkJvp(f, args, opts, rng, label);
    if (order > 1) {
      const fj = (primals: unknown[], tangents: unknown[]) => jvp(f, primals, tangents);
      const t = randomLike(args, rng);
      check(fj, [args, t], order - 1, modes, opts, rng, `jvp(${label})`);
    }
  }
  if (modes.includes('rev')) {
    checkVjp(f, args, opts, rng, label);
    if (order > 1) {
      const fv = (...primals: unknown[]) => {
        const [out, pullback] = vjp(f, ...primals);
        return pullback(out);
      };
      check(fv, args, order - 1, modes, opts, rng, `vjp(${label})`);
    }
  }
}

function checkJvp(f: Fn, args: unknown[], opts: Opts, rng: () => number, label: string): void {
  const v = randomLike(args, rng);
  const [, tOut] = jvp(f, args, v);
  const expected = numericalJvp(f, args, v, opts);
  compare(`checkGrads: JVP of ${label}`, leavesOf(tOut), expected, tolerance([args, tOut], opts));
}

function checkVjp(f: Fn, args: unknown[], opts: Opts, rng: () => number, label: string): void {
  const v = randomLike(args, rng);
  const [out, pullback] = vjp(f, ...args);
  const u = randomLike([out], rng)[0];
  const ctIn = pullback(u);
  const tOut = numericalJvp(f, args, v, opts);
  const got = inner(leavesOf(v), leavesOf(ctIn), complexLeaves(v));
  const want = inner(leavesOf(u), tOut, complexLeaves([u]));
  compare(`checkGrads: VJP of ${label} (<v, vjp(u)> vs <u, jvp_fd(v)>)`, [[got]], [[want]], tolerance([args, out, ctIn], opts));
}

/** Central differences in float64: (f(x + eps v) - f(x - eps v)) / (2 eps). */
function numericalJvp(f: Fn, args: unknown[], v: unknown[], opts: CheckGradsOptions): number[][] {
  const eps = opts.eps ?? 1e-4;
  const shifted = (s: number) => {
    const [xl, xd] = flatten(args as PyTree);
    const [vl] = flatten(v as PyTree);
    const moved = xl.map((x, i) => {
      const a = asarray(x as any);
      if (!isInexact(a.dtype)) return x;
      const xv = a.dataSync(), vv = asarray(vl[i] as any).dataSync();
      const out = new Float64Array(xv.length); // complex: interleaved parts, moved together
      for (let k = 0; k < xv.length; k++) {
        out[k] = xv[k] + s * eps * vv[k];
        // a step that does not move x measures nothing: its difference 0 would pass a zero derivative
        if (out[k] === xv[k] && vv[k] !== 0 && Number.isFinite(xv[k])) {
          throw new ValueError(`checkGrads: eps ${eps} is below the spacing of float64 numbers at ${xv[k]} (leaf ${i}, element ${k}): ` +
            'x + eps v equals x there; use a larger eps');
        }
      }
      return new NDArray(a._shape, isComplex(a.dtype) ? 'complex128' : 'float64', out);
    });
    return leavesOf(f(...(unflatten(xd, moved) as unknown[])));
  };
  const plus = shifted(1), minus = shifted(-1);
  return plus.map((p, i) => p.map((x, k) => (x - minus[i][k]) / (2 * eps)));
}

const inexactLeaf = (l: unknown): boolean => typeof l === 'number' || (l instanceof NDArray && isInexact(l.dtype));
/** The float and complex leaves' values (complex: interleaved re, im). */
function leavesOf(tree: unknown): number[][] {
  const [ls] = flatten(tree as PyTree);
  return ls.filter(inexactLeaf).map((l) => Array.from(asarray(l as any).dataSync()));
}
/** Which of leavesOf's leaves are complex. */
function complexLeaves(tree: unknown): boolean[] {
  const [ls] = flatten(tree as PyTree);
  return ls.filter(inexactLeaf).map((l) => l instanceof NDArray && isComplex(l.dtype));
}

function randomLike(tree: unknown, rng: () => number): any {
  const [ls, def] = flatten(tree as PyTree);
  return unflatten(def, ls.map((l) => {
    const a = asarray(l as any);
    const dt: DType = isInexact(a.dtype) ? a.dtype : 'float32';
    const n = isComplex(dt) ? 2 * a.size : a.size;
    const data = dt === 'float64' || dt === 'complex128' ? new Float64Array(n) : new Float32Array(n);
    for (let i = 0; i < data.length; i++) data[i] = normal(rng);
    return isInexact(a.dtype) ? new NDArray(a._shape, dt, data) : astype(new NDArray(a._shape, dt, data), a.dtype);
  }));
}

/** sum a b over the leaves; complex leaves pair as Re(a b) = a_re b_re - a_im b_im. */
function inner(a: number[][], b: number[][], complex: boolean[]): number {
  let s = 0;
  a.forEach((x, i) => x.forEach((v, k) => { s += (complex[i] && k % 2 === 1 ? -1 : 1) * v * b[i][k]; }));
  return s;
}

/** The loosest default over every dtype involved (inputs and compared outputs), as JAX's check_close. */
function tolerance(trees: unknown[], opts: CheckGradsOptions & { floor?: number }): { atol: number; rtol: number } {
  const [ls] = flatten(trees as PyTree);
  let t = Math.max(TOL.float64, opts.floor ?? 0);
  for (const l of ls) if (l instanceof NDArray ? l.dtype === 'float32' || l.dtype === 'complex64' : typeof l === 'number') t = Math.max(t, TOL.float32);
  return { atol: opts.atol ?? t, rtol: opts.rtol ?? t };
}

function compare(what: string, got: number[][], want: number[][], tol: { atol: number; rtol: number }): void {
  if (got.length !== want.length) throw new GradientCheckError(`${what}: ${got.length} output leaves vs ${want.length}`);
  got.forEach((g, i) => g.forEach((x, k) => {
    const w = want[i][k];
    // NaN against NaN and an infinity against the same one agree, as JAX's check_grads
    // (numpy's assert_allclose: equal_nan, equal_inf) has them
    if (x === w || (Number.isNaN(x) && Number.isNaN(w))) return;
    if (!(Math.abs(x - w) <= tol.atol + tol.rtol * Math.abs(w))) {
      throw new GradientCheckError(`${what} disagrees with finite differences at leaf ${i}, element ${k}: ` +
        `got ${x}, expected ${w} (|diff| ${Math.abs(x - w).toExponential(2)} > atol ${tol.atol} + rtol ${tol.rtol} * |expected|). ` +
        'Central differences err by O(eps^2) times a higher derivative: if |diff| shrinks about 100x with eps 10x smaller ' +
        '(the eps option), the derivative is right and the difference is the finite differences\' own error');
    }
  }));
}

function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rng: () => number): number {
  const u = Math.max(rng(), 1e-12), v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
