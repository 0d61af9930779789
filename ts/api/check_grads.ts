// checkGrads: JAX's check_grads. Compares jvp and vjp (their primal outputs with f's, their
// derivatives with central finite differences taken in float64 along random directions, or in
// the inputs' own dtypes where f cannot run on float64 copies), recursively up to `order` (the
// derivative functions are themselves checked), and throws a readable diff on disagreement.
// Complex arguments move along complex directions (random real and imaginary parts); the VJP
// identity is JAX's bilinear pairing Re(sum u v) (no conjugation: JAX's transposes never conjugate).
// Reverse mode is probed twice: <v, vjp(u)> against <u, J v> for a random v (JAX's check_vjp), and,
// per argument leaf, <g, g> against <u, J g> for g = vjp(u) itself, a sum of squares that cannot
// cancel (the first's single scalar can: a bwd rule 5% off passed it).
import { NDArray, isComplexLiteral } from './array.js';
import { asarray, astype } from './numpy.js';
import { flatten, unflatten, leafPath, PyTree, TreeDef } from './tree.js';
import { jvp } from './transforms/jvp.js';
import { vjp } from './transforms/vjp.js';
import { requireFunction, maxArgs, checkCallArity } from './transforms/trace_args.js';
import { CotangentError, DTypeError, NotImplementedError, ValueError, describe } from '../core/errors.js';
import { DType, isComplex, isInexact } from '../core/dtype.js';
import { OptionSpec, readTrailing, show } from './options.js';

export interface CheckGradsOptions {
  order?: number;
  modes?: readonly ('fwd' | 'rev')[]; // (readonly: `['fwd', 'rev'] as const` is accepted, as at run time)
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
export function checkGrads(f: Fn, args: unknown[], order?: CheckGradsOptions | number | null, modes?: readonly ('fwd' | 'rev')[] | null, // (only these run: any other string throws)
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
        throw new DTypeError(`checkGrads: argument ${i}${leafPath(def, j)} has dtype ${l.dtype}; derivatives need float or complex inputs, got ${describe(l.shape, l.dtype)}. ` +
          `checkGrads perturbs every argument: to hold this one fixed, close over it (checkGrads((x) => f(x, n), [x]))`);
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
  // (NaN ran as seed 0 and 1.5 as 1: two seeds a user meant as different checked the same directions)
  if (opts.seed !== undefined && !(Number.isInteger(opts.seed) && opts.seed >= 0 && opts.seed < 2 ** 32)) {
    throw new ValueError(`checkGrads: seed must be an integer from 0 to 2^32 - 1, got ${show(opts.seed)}`);
  }
  const rng = mulberry32(opts.seed ?? 0);
  const y = f(...args);
  if (y === undefined || y === null || typeof y === 'function') {
    throw new ValueError(`checkGrads: f returned ${y === null ? 'null' : typeof y}; it must return an Array (or a number, or a pytree of them) to check`);
  }
  // f itself is checked at each compared leaf's own tolerance (JAX's _assert_numpy_close); the
  // derivative functions checked at higher orders compute in f's precision (vjp of a float64 ->
  // float32 f returns float64 Arrays of float32 accuracy): they get the loosest of f's inputs and
  // outputs as a floor. A JS number is weak: it loosens neither (f(x64, 3) ran at float32's 2e-3).
  const floor = loosest(leavesOf([args, y]));
  try {
    check(f, args, n, directions, { ...opts, floor }, rng, 'f', 0);
  } catch (e) {
    throw withHint(e, args, directions);
  }
}

type Opts = CheckGradsOptions & { floor: number };

function check(f: Fn, args: unknown[], order: number, modes: string[], opts: Opts, rng: () => number, label: string, floor: number): void {
  if (modes.includes('fwd')) {
    checkJvp(f, args, opts, rng, label, floor);
    if (order > 1) {
      const fj = (primals: unknown[], tangents: unknown[]) => jvp(f, primals, tangents);
      const t = randomLike(args, rng);
      check(fj, [args, t], order - 1, modes, opts, rng, `jvp(${label})`, opts.floor);
    }
  }
  if (modes.includes('rev')) {
    checkVjp(f, args, opts, rng, label, floor);
    if (order > 1) {
      const fv = (...primals: unknown[]) => {
        const [out, pullback] = vjp(f, ...primals);
        // Free the pullback once used (as jacrev does): at top level it is a kept tape, which a
        // loop of checkGrads calls that never yields kept 15 of per call (order 2) until the budget.
        try { return pullback(out); } finally { (pullback as unknown as { dispose(): void }).dispose(); }
      };
      check(fv, args, order - 1, modes, opts, rng, `vjp(${label})`, opts.floor);
    }
  }
}

/** f's own error, with what checkGrads did to provoke it where that may be the cause. */
function withHint(e: unknown, args: unknown[], modes: string[]): unknown {
  if (!(e instanceof CotangentError) || e instanceof GradientCheckError) return e;
  if (e instanceof NotImplementedError && /forward-mode/.test(e.message) && modes.includes('fwd')) {
    // (checkGrads(customVjpFn, [x]) said only that forward mode is not defined)
    return renamed(e, 'checkGrads: ', `. checkGrads checks forward and reverse mode unless told: pass { modes: ['rev'] } ` +
      `to check reverse mode only (checkGrads(f, args, { modes: ['rev'] }))`);
  }
  if (/^checkGrads: eps /.test(e.message)) return e;
  // np.tile(x, n) with n = 3 perturbed said only "reps must be non-negative integers, got an Array float32[]"
  const [ls, def] = flatten(args as PyTree);
  const at = ls.flatMap((l, i) => (typeof l === 'number' || isComplexLiteral(l) ? [i] : []));
  if (at.length === 0) return e;
  const first = show(ls[at[0]]);
  return renamed(e, '', `. checkGrads perturbs every argument, including the JS number${at.length > 1 ? 's' : ''} ` +
    `${at.map((i) => `${show(ls[i])} at args${leafPath(def, i)}`).join(', ')}, which f then sees as a float Array: to hold ` +
    `${at.length > 1 ? 'one' : 'it'} fixed (a count, a shape, an axis), close over it (checkGrads((x) => f(x, ${first}), [x]))`);
}

// As JAX's check_jvp and check_vjp, the primal the transform returns is checked against f's own
// (a customVjp fwd whose output differs from f made valueAndGrad's value wrong)
function checkJvp(f: Fn, args: unknown[], opts: Opts, rng: () => number, label: string, floor: number): void {
  const v = randomLike(args, rng);
  const [pOut, tv] = jvp(f, args, v);
  const y = f(...args);
  const fd = numericalJvp(f, args, v, opts, label);
  const tOut = fd.v === v ? tv : jvp(f, args, fd.v)[1];
  const yl = leavesOf(y), tl = leavesOf(tOut), pl = leavesOf(pOut);
  const base = (i: number) => Math.max(floor, fd.floor, yl.tols[i] ?? 0, tl.tols[i] ?? 0, pl.tols[i] ?? 0);
  const at = (i: number) => tolerance(base(i), opts);
  compare(`checkGrads: JVP of ${label}: its primal output`, pl, yl, at, `${label}(...args)`, 'output');
  refined(fd, opts, (d, tight) => compare(`checkGrads: JVP of ${label}`, tl, d.tOut,
    (i) => (tight && base(i) < TOL.float32 && smooth(d, i) ? scaledAtol(at(i), opts, maxAbs(d.tOut.values[i]), d.noise[i] ?? 0) : at(i)),
    'finite differences', 'output', tight ? SCALED + d.note : d.note, d.margin));
}

/**
 * check(fd), and where it fails on float64 differences, check(its refinement): the Richardson
 * extrapolation (4 D(eps/2) - D(eps)) / 3, whose eps^2 error cancels, with the finer difference's
 * own error |D(eps/2) - D(eps)| / 3 allowed beside the tolerance (no more than a run at eps / 2
 * would allow). sin(5 W x) on a 30 x 30 W, an exact rule, failed at every seed: its third
 * derivatives made D(eps) 1e-3 off. A wrong rule stays wrong: the extrapolation converges to
 * the true derivative and the allowance to 0 as the differences do.
 */
function refined(fd: Differences, opts: CheckGradsOptions, check: (d: Differences, tight: boolean) => void): void {
  try {
    check(fd, false);
  } catch (e) {
    if (!(e instanceof GradientCheckError) || fd.refine === undefined) throw e;
    const r = fd.refine();
    if (r === null) throw e;
    check(r, false);
    return;
  }
  // Passed at the dtype's atol (1e-5 float64, 2e-3 float32): where some derivative is smaller
  // than 1, once more on the refinement with the atol scaled to the derivatives (scaledAtol), for
  // the float64 output leaves whose differences are a smooth signal (smooth), not rounding noise.
  // (Not float32 ones: f's float32 rounding (a constant 1 + 1e-6 rounds 5% off) is not in the
  // float64 differences, and only the dtype's atol covers it.)
  if (opts.atol !== undefined || fd.refine === undefined || !fd.tOut.values.some((e) => e !== null && maxAbs(e) < 1)) return;
  const r = fd.refine();
  if (r !== null && r.tOut.values.some((_, j) => smooth(r, j))) check(r, true);
}

/**
 * Whether output leaf j's refined differences are a smooth signal: D(eps) and D(eps / 2) agree to
 * 1e-5 of the largest, far inside scaledAtol's 1e-3 (their gap is rounding noise where f cancels:
 * log(1 + 1e-9 x) has float64 differences 1e-3 off, which an atol scaled to them would fail).
 */
const SCALED = '. No atol was given and the derivatives are smaller than 1, so atol was scaled to them (1e-3 of the largest; ' +
  'a rule of the wrong sign or 0.1% off fails at any scale); where f cancels ((1 + c) x - x, log(1 + c x) for a tiny c) its ' +
  'own rounding may exceed that: pass { atol } to set it';

function smooth(d: Differences, j: number): boolean {
  const e = d.tOut.values[j], m = d.margin?.[j];
  return !!e && !!m && maxAbs(e) > 0 && maxAbs(m) <= 1e-5 * maxAbs(e);
}

/** sum |u| margin: what the differences' allowance adds to <u, J v>. */
function weighted(u: Leaves, margin: (number[] | null)[] | undefined): number {
  let s = 0;
  margin?.forEach((m, i) => m?.forEach((x, k) => { s += Math.abs(u.values[i]?.[k] ?? 0) * x; }));
  return s;
}

function checkVjp(f: Fn, args: unknown[], opts: Opts, rng: () => number, label: string, floor: number): void {
  const v = randomLike(args, rng);
  const [out, pullback] = vjp(f, ...args);
  const u = randomLike([out], rng)[0];
  let ctIn: unknown;
  try { ctIn = pullback(u); } finally { (pullback as unknown as { dispose(): void }).dispose(); } // (never escapes: free its kept tape)
  const y = f(...args);
  const fd = numericalJvp(f, args, v, opts, label);
  const yl = leavesOf(y), ol = leavesOf(out), al = leavesOf(args), cl = leavesOf(ctIn), ul = leavesOf(u);
  compare(`checkGrads: VJP of ${label}: its primal output`, ol, yl,
    (i) => tolerance(Math.max(floor, fd.floor, yl.tols[i] ?? 0, ol.tols[i] ?? 0), opts), `${label}(...args)`, 'output');
  // the scalars sum over every output and argument leaf: the loosest of theirs (a JS number's
  // cotangent comes back float32 but is weak like the number)
  const outFloor = Math.max(floor, loosest(yl), loosest(ol));
  const argTol = (i: number) => (al.tols[i] ? Math.max(al.tols[i], cl.tols[i] ?? 0) : 0);
  const baseV = Math.max(outFloor, fd.floor, ...al.tols.map((_, i) => argTol(i)));
  const tolV = tolerance(baseV, opts);
  const got = inner(leavesOf(fd.v), cl);
  refined(fd, opts, (d, tight) => {
    const want = inner(ul, d.tOut), extra = weighted(ul, d.margin);
    // (the scale of <u, J v>: sum |u| |J v| and its rounding error, sum |u| noise, over the output
    // leaves; scaled only where every leaf u weighs is smooth)
    let scale = 0, noise = 0, rough = baseV >= TOL.float32;
    d.tOut.values.forEach((e, j) => e?.forEach((ek, k) => {
      const uk = Math.abs(ul.values[j]?.[k] ?? 0);
      scale += uk * (Number.isFinite(ek) ? Math.abs(ek) : 0); noise += uk * (d.noise[j] ?? 0);
      if (uk > 0 && !smooth(d, j)) rough = true;
    }));
    const tol = tight && !rough ? scaledAtol(tolV, opts, scale, noise) : tolV;
    if (close(got, want, tol) || Math.abs(got - want) <= tol.atol + tol.rtol * Math.abs(want) + extra) return;
    const where = locate(f, args, v, cl, ul, opts, label);
    throw new GradientCheckError(`checkGrads: VJP of ${label} (<v, vjp(u)> vs <u, jvp_fd(v)>) disagrees with finite differences: ` +
      `got ${got}, expected ${want} (|diff| ${Math.abs(got - want).toExponential(2)} > atol ${tol.atol} + rtol ${tol.rtol} * |expected|` +
      `${extra > 0 ? ` + the differences' own error ${extra.toExponential(2)}` : ''})${where}${tol !== tolV ? SCALED : ''}${d.note}`);
  });
  if (al.values.length !== cl.values.length) return;
  const [, argDef] = flatten(args as PyTree);
  al.values.forEach((x, i) => {
    const g = cl.values[i];
    if (x === null || g === null || !g.some((c) => c !== 0) || !g.every(Number.isFinite)) return;
    // g = vjp(u) at this leaf, scaled to max |element| 1 (a step no longer than v's), and
    // conjugated so that <d, g> = sum |g|^2 / max under the bilinear pairing
    // elements below 1e-3 of the largest drop out (<d, g> loses under 1e-6 of itself): eps times
    // one of 1e-17 moved no x and stopped the check ("eps 0.0001 is below the spacing ... at 2")
    const m = g.reduce((a, c) => Math.max(a, Math.abs(c)), 0);
    const d = directionAlong(args, i, g.map((c, k) => (Math.abs(c) < 1e-3 * m ? 0 : (cl.complex[i] && k % 2 === 1 ? -c : c) / m)));
    let fdg: Differences;
    try {
      fdg = numericalJvp(f, args, d, opts, label);
    } catch (e) {
      if (e instanceof ValueError && /^checkGrads: eps .* is below the spacing/.test(e.message)) return; // (the random probe ran at these x)
      throw e;
    }
    const baseG = Math.max(outFloor, fdg.floor, argTol(i));
    const t = tolerance(baseG, opts);
    const gotG = inner(leavesOf(fdg.v), cl);
    refined(fdg, opts, (dg, tight) => {
      const wantG = inner(ul, dg.tOut);
      // FD elements are trusted to atol + rtol |e| each, as in the JVP check; u weighs them and
      // their errors, independent of u, add in quadrature (a refinement's allowance adds as it is)
      let spread = 0;
      dg.tOut.values.forEach((e, j) => {
        // (each smooth output leaf's atol at its own scale)
        const atol = tight && baseG < TOL.float32 && smooth(dg, j) ? scaledAtol(t, opts, maxAbs(e), dg.noise[j] ?? 0).atol : t.atol;
        e?.forEach((ek, k) => { spread += (ul.values[j]?.[k] ?? 0) ** 2 * (atol + t.rtol * Math.abs(ek)) ** 2; });
      });
      const bound = t.rtol * Math.abs(gotG) + Math.sqrt(spread) + weighted(ul, dg.margin);
      if (Math.abs(gotG - wantG) <= bound) return;
      throw new GradientCheckError(`checkGrads: VJP of ${label} at args${leafPath(argDef, i)} (<g, g> vs <u, jvp_fd(g)> for g = vjp(u) ` +
        `at that argument, u random, scaled to max |g| 1) disagrees with finite differences: got ${gotG}, expected ${wantG} ` +
        `(|diff| ${Math.abs(gotG - wantG).toExponential(2)} > ${bound.toExponential(2)}, rtol ${t.rtol} * |got| + the differences' own ` +
        `tolerance, atol ${t.atol} + rtol * |element|, weighted by u): vjp(u) is off along itself there (scaled, of the wrong sign, ` +
        `or transposed)${tight ? SCALED : ''}${dg.note}`);
    });
  });
}

/** A direction zero at every argument leaf but leaf `at`, which holds `values` (interleaved if complex). */
function directionAlong(args: unknown[], at: number, values: number[]): unknown[] {
  const [ls, def] = flatten(args as PyTree);
  return unflatten<unknown[]>(def, ls.map((l, i) => {
    const a = asarray(l as any);
    const dt: DType = isInexact(a.dtype) ? a.dtype : 'float32';
    const n = isComplex(dt) ? 2 * a.size : a.size;
    const data = dt === 'float64' || dt === 'complex128' ? new Float64Array(n) : new Float32Array(n);
    if (i === at) data.set(values);
    return isInexact(a.dtype) ? new NDArray(a._shape, dt, data) : astype(new NDArray(a._shape, dt, data), a.dtype);
  }));
}

/**
 * Where <v, vjp(u)> and <u, J v> disagree, the argument leaf whose share disagrees most (v kept at
 * that leaf only), or '' where there is one leaf or the differences fail.
 */
function locate(f: Fn, args: unknown[], v: unknown[], cl: Leaves, ul: Leaves, opts: Opts, label: string): string {
  const [vs] = flatten(v as PyTree);
  const [, def] = flatten(args as PyTree);
  const vl = leavesOf(v);
  const live = vl.values.flatMap((x, i) => (x === null || cl.values[i] === null ? [] : [i]));
  if (live.length < 2) return '';
  let worst = -1, worstDiff = 0, text = '';
  try {
    for (const i of live) {
      const fd = numericalJvp(f, args, directionAlong(args, i, Array.from(asarray(vs[i] as any).dataSync())), opts, label);
      const got = inner(leavesOf(fd.v), cl), want = inner(ul, fd.tOut);
      const diff = Math.abs(got - want) / Math.max(Math.abs(want), 1e-300);
      if (worst < 0 || diff > worstDiff) { worst = i; worstDiff = diff; text = `; the largest disagreement is at args${leafPath(def, i)} (v zero elsewhere): got ${got}, expected ${want}`; }
    }
  } catch {
    return '';
  }
  return text;
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
  const eps64 = opts.eps ?? EPS.float64;
  const wide = central(f, args, v, eps64, true, label);
  if (!(wide instanceof CotangentError)) {
    const note = '. Central differences err by O(eps^2) times a higher derivative: if |diff| shrinks about 100x with eps 10x smaller ' +
      '(the eps option), the derivative is right and the difference is the finite differences\' own error; their rounding error, ' +
      'about 1e-16 |f| / eps, grows as eps shrinks (at large |x| or |f| a larger eps helps); and a step x +- eps v that leaves ' +
      'f\'s domain (log or sqrt near 0, arcsin near 1) gives NaN: a smaller eps, or x away from the edge';
    const refine = (): Differences | null => {
      let half: ReturnType<typeof central>;
      try {
        half = central(f, args, v, eps64 / 2, true, label);
      } catch (e) {
        if (e instanceof ValueError && /^checkGrads: eps .* is below the spacing/.test(e.message)) return null;
        throw e;
      }
      if (half instanceof CotangentError) return null;
      const h = half.tOut.values, d = wide.tOut.values;
      const pair = <T>(g: (a: number, b: number) => T) => h.map((a, i) => (a === null || !d[i] ? null : a.map((x, k) => g(x, d[i]![k]))));
      return {
        tOut: { ...half.tOut, values: pair((a, b) => (4 * a - b) / 3) }, margin: pair((a, b) => Math.abs(a - b) / 3), v, floor: 0,
        noise: half.noise.map((n, i) => (4 * n + (wide.noise[i] ?? 0)) / 3),
        note: `. The differences were Richardson-extrapolated from eps ${eps64} and ${eps64 / 2}, (4 D(eps/2) - D(eps)) / 3, with the ` +
          `finer one's own error, |D(eps/2) - D(eps)| / 3, allowed beside the tolerance${note}`,
      };
    };
    return { ...wide, floor: 0, note, refine };
  }
  const where = `checkGrads: the finite differences of ${label}`;
  if (!hasNarrowLeaf(args)) throw renamed(wide, `${where}: ${label}(x +- eps v) raised, though ${label}(x) did not: `);
  const eps = opts.eps ?? EPS.float32;
  const own = central(f, args, v, eps, false, label);
  if (own instanceof CotangentError) {
    throw renamed(own, `${where}: ${label} raised on float64 copies of its inputs (${wide.name}: ${wide.message}) and on copies in their own dtypes: `);
  }
  return { ...own, floor: TOL.float32, note: `. These finite differences ran in float32, the inputs' own dtypes (eps ${eps}, Richardson-extrapolated from 2 eps), ` +
    `as ${label} raised on float64 copies of its inputs (${wide.name}: ${wide.message}). Their rounding error, about 2^-24 |f| / eps, ` +
    'makes this a weaker check than in float64: a larger eps lowers it; with the constants f makes in its inputs\' dtype ' +
    '(np.zeros([], { dtype: x.dtype })), the differences run in float64' };
}

/**
 * The differences, the direction they measured, what a failure message adds about them, and the
 * tolerance their precision allows (float32's where they ran in float32).
 */
interface Differences {
  tOut: Leaves; v: unknown[]; note: string; floor: number;
  /** An allowance per compared element beside the tolerance (a refinement's: its estimated error). */
  margin?: (number[] | null)[];
  /** Per output leaf, the differences' rounding error: the unit roundoff times max |f(x +- eps v)| / eps. */
  noise: number[];
  /** Sharper differences to retry a failed comparison with (float64 ones: see refined), or null where they cannot run. */
  refine?: () => Differences | null;
}

/**
 * The differences in float64 (`wide`) or in each input's dtype, or the CotangentError f raised.
 * In float32, x +- eps v rounded moves x by (x+ - x-) / 2, not eps v (off by 2^-24 |x| / eps):
 * the direction returned is the one measured, and the derivatives are to be taken along it. Its
 * eps is larger, and Richardson's (4 D(eps) - D(2 eps)) / 3 cancels the eps^2 error of D.
 */
function central(f: Fn, args: unknown[], v: unknown[], eps: number, wide: boolean, label: string): Omit<Differences, 'note' | 'floor'> | CotangentError {
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
    // (a float32 output, or differences in float32, round at 2^-24; float64 ones at 2^-53)
    const noise = fp.values.map((p, i) => ((!wide || fp.tols[i] === TOL.float32) ? 2 ** -24 : 2 ** -53) * Math.max(maxAbs(p), maxAbs(fm.values[i])) / h);
    return { out: fp, values: fp.values.map((p, i) => slope(p, fm.values[i])), moved: plus.map((p, i) => slope(p.values, minus[i].values)), noise };
  };
  const d1 = differences(eps);
  if (d1 instanceof CotangentError) return d1;
  if (wide) return { tOut: { ...d1.out, values: d1.values }, v, noise: d1.noise }; // (float64 rounds the step by 2^-53 |x|)
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
  return { tOut: { ...d1.out, values: d1.values.map((a, i) => extrapolate(a, d2.values[i])) }, v: unflatten<unknown[]>(vd, measured),
    noise: d1.noise.map((n, i) => (4 * n + (d2.noise[i] ?? 0)) / 3) };
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
function renamed(e: CotangentError, prefix: string, suffix = ''): CotangentError {
  const Kind = e.constructor as new (message: string, options?: { cause?: unknown }) => CotangentError;
  return new Kind(prefix + e.message + suffix, { cause: e });
}

// A JS number or { re, im } leaf is a constant of f's output (jvp returns it as an Array with a
// zero tangent): a float or complex leaf on both sides of every comparison.
const inexactLeaf = (l: unknown): boolean => typeof l === 'number' || isComplexLiteral(l) || (l instanceof NDArray && isInexact(l.dtype));

/**
 * A tree's leaves as compared: the float and complex ones' values (complex: interleaved re, im),
 * null for the others (integer and bool leaves have no derivative), kept in place so that each
 * leaf meets its own on the other side and a message can give its path.
 */
interface Leaves { def: TreeDef; values: (number[] | null)[]; complex: boolean[]; shapes: (readonly number[])[]; tols: number[] }
function leavesOf(tree: unknown): Leaves {
  const [ls, def] = flatten(tree as PyTree);
  const arrays = ls.map((l) => (inexactLeaf(l) ? asarray(l as any) : null));
  return {
    def,
    values: arrays.map((a) => (a === null ? null : Array.from(a.dataSync()))),
    complex: arrays.map((a) => a !== null && isComplex(a.dtype)),
    shapes: arrays.map((a) => (a === null ? [] : a.shape)),
    // JAX's default tolerance of each leaf's dtype; 0 (none) for a JS number or { re, im }, weak:
    // it takes the dtype it meets
    tols: ls.map((l) => (l instanceof NDArray && isInexact(l.dtype) ? (l.dtype === 'float32' || l.dtype === 'complex64' ? TOL.float32 : TOL.float64) : 0)),
  };
}
const loosest = (l: Leaves): number => Math.max(0, ...l.tols);

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

/** The user's atol and rtol, else the default `t` (float64's at least: a leaf of JS numbers only). */
function tolerance(t: number, opts: CheckGradsOptions): Tol {
  const d = Math.max(TOL.float64, t);
  return { atol: opts.atol ?? d, rtol: opts.rtol ?? d };
}
interface Tol { atol: number; rtol: number }

/** The largest finite |x| (0 for none). */
function maxAbs(xs: ArrayLike<number> | null | undefined): number {
  let m = 0;
  if (xs) for (let k = 0; k < xs.length; k++) { const a = Math.abs(xs[k]); if (a > m && a !== Infinity) m = a; }
  return m;
}

/**
 * The default atol for derivatives of size `scale` (the largest compared), where they are
 * smaller than 1: `scale` times the dtype's atol or 1e-3, whichever is larger, so that a rule
 * 0.1% off fails at any scale (at scale 1, float64's 1e-5 fails 0.002%); never below 100x the
 * rounding error `noise`, never above the dtype's atol. The unscaled atol of 1e-5 passed a rule of
 * the wrong sign for f = 1e-6 sin(x) (2e-3 in float32: for f = 1e-5 sin(x)). A user's atol is kept.
 * (1e-3, not 1e-5: f = (1 + 1e-7 x) - 1 has float64 differences 1e-5 off in relative terms.)
 */
function scaledAtol(tol: Tol, opts: CheckGradsOptions, scale: number, noise: number): Tol {
  if (opts.atol !== undefined) return tol;
  return { ...tol, atol: Math.min(tol.atol, Math.max(Math.max(tol.atol, 1e-3) * scale, 100 * noise)) };
}

const close = (x: number, e: number, tol: Tol): boolean => x === e || (Number.isNaN(x) && Number.isNaN(e)) || Math.abs(x - e) <= tol.atol + tol.rtol * Math.abs(e);

/** ' element [1, 2]' and the part of a complex one, for index k of a leaf's (interleaved) values. */
function elementOf(a: { shape: readonly number[]; dtype: DType }, k: number): string {
  const complex = isComplex(a.dtype);
  let flat = complex ? Math.floor(k / 2) : k;
  const index: number[] = [];
  for (let d = a.shape.length - 1; d >= 0; d--) { index.unshift(flat % a.shape[d]); flat = Math.floor(flat / a.shape[d]); }
  return (index.length > 0 ? ` element [${index.join(', ')}]` : '') + (complex ? ` (${k % 2 === 0 ? 'real' : 'imaginary'} part)` : '');
}

/** got against want leaf by leaf, each at its own tolerance; `root` names the leaves in messages. */
function compare(what: string, got: Leaves, want: Leaves, tolAt: (leaf: number) => Tol, against: string, root: string, note = '',
  margin?: (number[] | null)[]): void {
  if (got.values.length !== want.values.length) throw new GradientCheckError(`${what}: ${got.values.length} output leaves vs ${want.values.length} in ${against}${note}`);
  got.values.forEach((g, i) => {
    const w = want.values[i];
    const where = ` at ${root}${leafPath(want.def, i)}`;
    const tol = tolAt(i);
    if (g === null && w === null) return;
    if (g === null || w === null || g.length !== w.length) {
      throw new GradientCheckError(`${what}${where}: ${g === null ? 'no' : g.length} float values vs ${w === null ? 'none' : w.length} in ${against}${note}`);
    }
    g.forEach((x, k) => {
      const e = w[k];
      // NaN against NaN and an infinity against the same one agree, as JAX's check_grads
      // (numpy's assert_allclose: equal_nan, equal_inf) has them
      const extra = margin?.[i]?.[k] ?? 0;
      if (!close(x, e, tol) && !(Math.abs(x - e) <= tol.atol + tol.rtol * Math.abs(e) + extra)) {
        const element = elementOf({ shape: want.shapes[i], dtype: want.complex[i] ? 'complex128' : 'float64' }, k);
        throw new GradientCheckError(`${what} disagrees with ${against}${where}${element}: ` +
          `got ${x}, expected ${e} (|diff| ${Math.abs(x - e).toExponential(2)} > atol ${tol.atol} + rtol ${tol.rtol} * |expected|` +
          `${extra > 0 ? ` + the differences' own error ${extra.toExponential(2)}` : ''})${note}`);
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
