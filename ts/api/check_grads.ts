// checkGrads: JAX's check_grads. Compares jvp and vjp (their primal outputs with f's, their
// derivatives with central finite differences taken in float64 along random directions, or in
// the inputs' own dtypes where f cannot run on float64 copies), recursively up to `order` (the
// derivative functions are themselves checked), and throws a readable diff on disagreement.
// Complex arguments move along complex directions (random real and imaginary parts); the VJP
// identity is JAX's bilinear pairing Re(sum u v) (no conjugation: JAX's transposes never conjugate).
import { NDArray, isComplexLiteral } from './array.js';
import { asarray, astype } from './numpy.js';
import { flatten, unflatten, leafPath, PyTree, TreeDef } from './tree.js';
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

// As JAX's check_jvp and check_vjp, the primal the transform returns is checked against f's own
// (a customVjp fwd whose output differs from f made valueAndGrad's value wrong)
function checkJvp(f: Fn, args: unknown[], opts: Opts, rng: () => number, label: string): void {
  const v = randomLike(args, rng);
  const [pOut, tv] = jvp(f, args, v);
  const y = f(...args);
  const fd = numericalJvp(f, args, v, opts, label);
  const tOut = fd.v === v ? tv : jvp(f, args, fd.v)[1];
  const tol = tolerance([args, y, tOut], opts);
  compare(`checkGrads: JVP of ${label}: its primal output`, leavesOf(pOut), leavesOf(y), tol, `${label}(...args)`, 'output');
  compare(`checkGrads: JVP of ${label}`, leavesOf(tOut), fd.tOut, tol, 'finite differences', 'output', fd.note);
}

function checkVjp(f: Fn, args: unknown[], opts: Opts, rng: () => number, label: string): void {
  const v = randomLike(args, rng);
  const [out, pullback] = vjp(f, ...args);
  const u = randomLike([out], rng)[0];
  const ctIn = pullback(u);
  const y = f(...args);
  const fd = numericalJvp(f, args, v, opts, label);
  const tol = tolerance([args, out, ctIn], opts);
  compare(`checkGrads: VJP of ${label}: its primal output`, leavesOf(out), leavesOf(y), tol, `${label}(...args)`, 'output');
  const got = inner(leavesOf(fd.v), leavesOf(ctIn)), want = inner(leavesOf(u), fd.tOut);
  compare(`checkGrads: VJP of ${label} (<v, vjp(u)> vs <u, jvp_fd(v)>)`, scalarLeaves(got), scalarLeaves(want), tol, 'finite differences', null, fd.note);
}

/** The default eps: float64's; float32's is larger as its rounding error grows as eps shrinks. */
const EPS = { float64: 1e-4, float32: 2e-3 };

/**
 * Central differences (f(x + eps v) - f(x - eps v)) / (2 eps), in float64. Where f cannot run on
 * float64 copies of its inputs (a float32 loop carry made inside f meets float64 inputs; JAX's
 * check_grads differences in the inputs' own dtypes, so it never meets this), they run in the
 * inputs' own dtypes, and a failure says so.
 */
function numericalJvp(f: Fn, args: unknown[], v: unknown[], opts: CheckGradsOptions, label: string): Differences {
  const wide = central(f, args, v, opts.eps ?? EPS.float64, true, label);
  if (!(wide instanceof CotangentError)) {
    return { ...wide, note: '. Central differences err by O(eps^2) times a higher derivative: if |diff| shrinks about 100x with eps 10x smaller ' +
      '(the eps option), the derivative is right and the difference is the finite differences\' own error' };
  }
  const where = `checkGrads: the finite differences of ${label}`;
  if (!hasNarrowLeaf(args)) throw renamed(wide, `${where}: ${label}(x +- eps v) raised, though ${label}(x) did not: `);
  const eps = opts.eps ?? EPS.float32;
  const own = central(f, args, v, eps, false, label);
  if (own instanceof CotangentError) {
    throw renamed(own, `${where}: ${label} raised on float64 copies of its inputs (${wide.name}: ${wide.message}) and on copies in their own dtypes: `);
  }
  return { ...own, note: `. These finite differences ran in float32, the inputs' own dtypes (eps ${eps}, Richardson-extrapolated from 2 eps), ` +
    `as ${label} raised on float64 copies of its inputs (${wide.name}: ${wide.message}). Their rounding error, about 2^-24 |f| / eps, ` +
    'makes this a weaker check than in float64: a larger eps lowers it; with the constants f makes in its inputs\' dtype ' +
    '(np.zeros([], { dtype: x.dtype })), the differences run in float64' };
}

/** The differences, the direction they measured, and what a failure message adds about them. */
interface Differences { tOut: Leaves; v: unknown[]; note: string }

/**
 * The differences in float64 (`wide`) or in each input's dtype, or the CotangentError f raised.
 * In float32, x +- eps v rounded moves x by (x+ - x-) / 2, not eps v (off by 2^-24 |x| / eps):
 * the direction returned is the one measured, and the derivatives are to be taken along it. Its
 * eps is larger, and Richardson's (4 D(eps) - D(2 eps)) / 3 cancels the eps^2 error of D.
 */
function central(f: Fn, args: unknown[], v: unknown[], eps: number, wide: boolean, label: string): Omit<Differences, 'note'> | CotangentError {
  const [xl, xd] = flatten(args as PyTree);
  const [vl, vd] = flatten(v as PyTree);
  const at = (i: number, k: number) => `${label}'s args${leafPath(xd, i)}${elementOf(asarray(xl[i] as any), k)}`;
  const differences = (h: number) => {
    const plus = xl.map((x, i) => shift(x, vl[i], h, 1, wide, (k) => at(i, k)));
    const minus = xl.map((x, i) => shift(x, vl[i], h, -1, wide, (k) => at(i, k)));
    let fp: Leaves, fm: Leaves;
    try {
      fp = leavesOf(f(...unflatten<unknown[]>(xd, plus.map((s) => s.leaf))));
      fm = leavesOf(f(...unflatten<unknown[]>(xd, minus.map((s) => s.leaf))));
    } catch (e) {
      if (e instanceof CotangentError) return e;
      throw e;
    }
    const slope = (p: ArrayLike<number> | null, m: ArrayLike<number> | null | undefined) =>
      p === null || m === null || m === undefined ? null : Array.from(p, (x, k) => (x - m[k]) / (2 * h));
    return { out: fp, values: fp.values.map((p, i) => slope(p, fm.values[i])), moved: plus.map((p, i) => slope(p.values, minus[i].values)) };
  };
  const d1 = differences(eps);
  if (d1 instanceof CotangentError) return d1;
  if (wide) return { tOut: { ...d1.out, values: d1.values }, v }; // (float64 rounds the step by 2^-53 |x|)
  const d2 = differences(2 * eps);
  if (d2 instanceof CotangentError) return d2;
  const extrapolate = (a: number[] | null, b: number[] | null | undefined) => (a === null || !b ? null : a.map((x, k) => (4 * x - b[k]) / 3));
  const measured = vl.map((t, i) => {
    const m = extrapolate(d1.moved[i], d2.moved[i]);
    if (m === null) return t;
    const ta = asarray(t as any), tv = ta.dataSync();
    const out = ta.dtype === 'float64' || ta.dtype === 'complex128' ? new Float64Array(tv.length) : new Float32Array(tv.length);
    for (let k = 0; k < tv.length; k++) out[k] = Number.isFinite(m[k]) ? m[k] : tv[k]; // (at x = inf the step is inf - inf)
    return new NDArray(ta._shape, ta.dtype, out);
  });
  return { tOut: { ...d1.out, values: d1.values.map((a, i) => extrapolate(a, d2.values[i])) }, v: unflatten<unknown[]>(vd, measured) };
}

/**
 * x + s eps t in float64, or rounded to x's dtype (a JS number stays a JS number and a { re, im }
 * one, weakly typed as they were; their values are taken as float32's, as asarray makes them).
 */
function shift(x: unknown, t: unknown, eps: number, s: number, wide: boolean, at: (k: number) => string): { leaf: unknown; values: Float64Array | null } {
  if (!inexactLeaf(x)) return { leaf: x, values: null };
  const a = asarray(x as any);
  const single = !wide && (a.dtype === 'float32' || a.dtype === 'complex64');
  const xv = a.dataSync(), tv = asarray(t as any).dataSync();
  const out = new Float64Array(xv.length); // complex: interleaved parts, moved together
  for (let k = 0; k < xv.length; k++) {
    out[k] = single ? Math.fround(xv[k] + s * eps * tv[k]) : xv[k] + s * eps * tv[k];
    // a step that does not move x measures nothing: its difference 0 would pass a zero derivative
    if (out[k] === xv[k] && tv[k] !== 0 && Number.isFinite(xv[k])) {
      throw new ValueError(`checkGrads: eps ${eps} is below the spacing of ${single ? 'float32' : 'float64'} numbers at ${xv[k]} (${at(k)}): ` +
        'x + eps v equals x there; use a larger eps');
    }
  }
  const complex = isComplex(a.dtype);
  const leaf = wide ? new NDArray(a._shape, complex ? 'complex128' : 'float64', out)
    : typeof x === 'number' ? out[0]
    : isComplexLiteral(x) ? { re: out[0], im: out[1] }
    : new NDArray(a._shape, a.dtype, single ? Float32Array.from(out) : out);
  return { leaf, values: out };
}

/** Whether some input is narrower than float64 (float32, complex64, a JS number or { re, im }). */
function hasNarrowLeaf(args: unknown[]): boolean {
  return flatten(args as PyTree)[0].some((l) => inexactLeaf(l) && !(l instanceof NDArray && (l.dtype === 'float64' || l.dtype === 'complex128')));
}

/** The same error class, its message led by checkGrads' context (f's own error named only lax.scan, say). */
function renamed(e: CotangentError, prefix: string): CotangentError {
  const Kind = e.constructor as new (message: string, options?: { cause?: unknown }) => CotangentError;
  return new Kind(prefix + e.message, { cause: e });
}

// A JS number or { re, im } leaf is a constant of f's output (jvp returns it as an Array with a
// zero tangent): a float or complex leaf on both sides of every comparison.
const inexactLeaf = (l: unknown): boolean => typeof l === 'number' || isComplexLiteral(l) || (l instanceof NDArray && isInexact(l.dtype));

/**
 * A tree's leaves as compared: the float and complex ones' values (complex: interleaved re, im),
 * null for the others (integer and bool leaves have no derivative), kept in place so that each
 * leaf meets its own on the other side and a message can give its path.
 */
interface Leaves { def: TreeDef; values: (number[] | null)[]; complex: boolean[]; shapes: (readonly number[])[] }
function leavesOf(tree: unknown): Leaves {
  const [ls, def] = flatten(tree as PyTree);
  const arrays = ls.map((l) => (inexactLeaf(l) ? asarray(l as any) : null));
  return {
    def,
    values: arrays.map((a) => (a === null ? null : Array.from(a.dataSync()))),
    complex: arrays.map((a) => a !== null && isComplex(a.dtype)),
    shapes: arrays.map((a) => (a === null ? [] : a.shape)),
  };
}
const scalarLeaves = (x: number): Leaves => ({ def: { kind: 'leaf' }, values: [[x]], complex: [false], shapes: [[]] });

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
function inner(a: Leaves, b: Leaves): number {
  let s = 0;
  a.values.forEach((x, i) => {
    const y = b.values[i];
    if (x === null || y === null || y === undefined) return;
    x.forEach((v, k) => { s += (a.complex[i] && k % 2 === 1 ? -1 : 1) * v * y[k]; });
  });
  return s;
}

/** The loosest default over every dtype involved (inputs and compared outputs), as JAX's check_close. */
function tolerance(trees: unknown[], opts: CheckGradsOptions & { floor?: number }): { atol: number; rtol: number } {
  const [ls] = flatten(trees as PyTree);
  let t = Math.max(TOL.float64, opts.floor ?? 0);
  for (const l of ls) {
    if (l instanceof NDArray ? l.dtype === 'float32' || l.dtype === 'complex64' : typeof l === 'number' || isComplexLiteral(l)) t = Math.max(t, TOL.float32);
  }
  return { atol: opts.atol ?? t, rtol: opts.rtol ?? t };
}

/** ' element [1, 2]' and the part of a complex one, for index k of a leaf's (interleaved) values. */
function elementOf(a: { shape: readonly number[]; dtype: DType }, k: number): string {
  const complex = isComplex(a.dtype);
  let flat = complex ? Math.floor(k / 2) : k;
  const index: number[] = [];
  for (let d = a.shape.length - 1; d >= 0; d--) { index.unshift(flat % a.shape[d]); flat = Math.floor(flat / a.shape[d]); }
  return (index.length > 0 ? ` element [${index.join(', ')}]` : '') + (complex ? ` (${k % 2 === 0 ? 'real' : 'imaginary'} part)` : '');
}

/** got against want leaf by leaf; `root` names the leaves in messages (null: one scalar, nothing to name). */
function compare(what: string, got: Leaves, want: Leaves, tol: { atol: number; rtol: number }, against: string, root: string | null, note = ''): void {
  if (got.values.length !== want.values.length) throw new GradientCheckError(`${what}: ${got.values.length} output leaves vs ${want.values.length} in ${against}${note}`);
  got.values.forEach((g, i) => {
    const w = want.values[i];
    const where = root === null ? '' : ` at ${root}${leafPath(want.def, i)}`;
    if (g === null && w === null) return;
    if (g === null || w === null || g.length !== w.length) {
      throw new GradientCheckError(`${what}${where}: ${g === null ? 'no' : g.length} float values vs ${w === null ? 'none' : w.length} in ${against}${note}`);
    }
    g.forEach((x, k) => {
      const e = w[k];
      // NaN against NaN and an infinity against the same one agree, as JAX's check_grads
      // (numpy's assert_allclose: equal_nan, equal_inf) has them
      if (x === e || (Number.isNaN(x) && Number.isNaN(e))) return;
      if (!(Math.abs(x - e) <= tol.atol + tol.rtol * Math.abs(e))) {
        const element = root === null ? '' : elementOf({ shape: want.shapes[i], dtype: want.complex[i] ? 'complex128' : 'float64' }, k);
        throw new GradientCheckError(`${what} disagrees with ${against}${where}${element}: ` +
          `got ${x}, expected ${e} (|diff| ${Math.abs(x - e).toExponential(2)} > atol ${tol.atol} + rtol ${tol.rtol} * |expected|)${note}`);
      }
    });
  });
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
