// Implicit differentiation: lax.customLinearSolve and lax.customRoot (JAX's custom_linear_solve and
// custom_root). The solver runs once on values; its derivative comes from the equation it solves,
// never from its iterations:
//   x = A(θ)^-1 b:   dx = A^-1 (db - dA x)          (transposed: A^-T, by transposeSolve)
//   f(x, θ) = 0:     dx = -(∂f/∂x)^-1 ∂f/∂θ dθ      (by tangentSolve, itself a customLinearSolve)
// θ are whatever matvec / f close over. JAX finds them by closure conversion; here the tape does:
// calling matvec once on the (stopped) solution, the rows it reads from before the call are its
// parameters, and they become explicit inputs of a customJvp whose rule computes the formula
// above from the rule's own primals, so every order is the derivative of the formula (as JAX's).
// ∂A/∂θ dθ x is the JVP of matvec's rows from those parameters' tangents, x held fixed
// (core/trace.ts jvpRows: a seeded input stops the walk, so only matvec's rows are visited).
// Inside a linearization the right-hand side is linear (staged): the solve is then a staged row
// (custom_linear, api/custom.ts) whose transpose solves the transposed system, again implicitly.
import { NDArray } from './array.js';
import { asarray, zerosLike, subtract, negative } from './numpy.js';
import * as np from './numpy.js';
import { flatten, unflatten, sameStructure, show, map, PyTree, TreeDef } from './tree.js';
import * as laxOps from './lax.js';
import { stopGradient } from './stop_gradient.js';
import { customJvp, emitLinearMap, isLinearValue, rowsReadSince } from './custom.js';
import { vjp } from './transforms/vjp.js';
import { jvp } from './transforms/jvp.js';
import { callSync, refuseAsyncFunction } from './transforms/trace_args.js';
import { inTrace, tapeLength, jvpRows, rowValue, jitContext, VIEW } from '../core/trace.js';
import { abi } from '../core/abi.js';
import type { TypedArray } from '../core/dtype.js';
import { ValueError, ShapeError, DTypeError, NotImplementedError, TracerError } from '../core/errors.js';
import { readOptions } from './options.js';
import { isInexact, isComplex } from '../core/dtype.js';

type Tree = unknown;
type LinearFn = (x: any) => any;
type Solve = (matvec: LinearFn, b: any) => any;

const leavesOf = (where: string, t: Tree, what: string): [NDArray[], TreeDef] => {
  const [ls, d] = flatten(t as PyTree);
  return [ls.map((l) => asarray(l as never, undefined, `${where}: ${what}`)), d];
};

/** `leaves` of `tree`, where a JS number leaf takes the dtype of the solution's real float leaf there (weak typing). */
function weakLike(tree: Tree, leaves: NDArray[], solution: Tree): NDArray[] {
  const raw = flatten(tree as PyTree)[0], xl = flatten(solution as PyTree)[0];
  return leaves.map((l, i) => {
    const r = xl[i];
    return typeof raw[i] === 'number' && r instanceof NDArray && r.dtype !== l.dtype && isInexact(r.dtype) && !isComplex(r.dtype) ? asarray(raw[i] as number, r.dtype) : l;
  });
}

/**
 * Outside transforms: the solution must have the structure, shapes and dtypes of `like` (JAX checks
 * at trace time, which is always; a transform's checkLike does). The dtype was not checked here, so
 * a float32 result for a float64 b came back eagerly and was a DTypeError under grad. A JS number
 * in `like` is weakly typed (any real float dtype), as weakLike allows under transforms.
 */
function checkShapes(where: string, what: string, got: Tree, like: Tree): void {
  const [gl, gd] = flatten(got as PyTree), [ll, ld] = flatten(like as PyTree);
  if (!sameStructure(gd, ld)) throw new ValueError(`${where}: ${what} has structure ${show(gd)}, expected ${show(ld)}`);
  gl.forEach((g, i) => {
    const ga = asarray(g as never, undefined, where), la = asarray(ll[i] as never, undefined, where);
    const gs = ga._shape, ls = la._shape;
    if (gs.length !== ls.length || gs.some((s, k) => s !== ls[k])) {
      throw new ShapeError(`${where}: ${what} leaf ${i} has shape [${gs.join(',')}], expected [${ls.join(',')}]`);
    }
    const weak = typeof ll[i] === 'number' && isInexact(ga.dtype) && !isComplex(ga.dtype);
    if (ga.dtype !== la.dtype && !weak) throw new DTypeError(`${where}: ${what} leaf ${i} is ${ga.dtype}[${gs.join(',')}], expected ${la.dtype}[${ls.join(',')}]`);
  });
}

/** Whether `v` has the tree, shapes and dtypes of `like` (checkShapes's test, as a boolean). */
function likeB(where: string, v: Tree, like: Tree): boolean {
  try { checkShapes(where, '', v, like); return true; } catch (e) { if (e instanceof ValueError || e instanceof ShapeError || e instanceof DTypeError) return false; throw e; }
}

/** Outside transforms, with hasAux: solve must return [x, aux] as under them (an Array x alone was returned, and `const [x, aux] =` then split its rows). */
function eagerSolution(where: string, out: unknown, hasAux: boolean): Tree {
  if (hasAux && (!Array.isArray(out) || out.length !== 2)) throw new ValueError(`${where}: with hasAux, solve must return [x, aux]`);
  return hasAux ? (out as unknown[])[0] : out;
}

function checkLike(where: string, what: string, got: Tree, def: TreeDef, like: NDArray[]): NDArray[] {
  const [ls, d] = leavesOf(where, got, what);
  if (!sameStructure(d, def)) throw new ValueError(`${where}: ${what} has structure ${show(d)}, expected ${show(def)}`);
  ls.forEach((l, i) => {
    const w = like[i];
    if (l.dtype !== w.dtype || l._shape.length !== w._shape.length || l._shape.some((s, k) => s !== w._shape[k])) {
      throw new (l._shape.length === w._shape.length && l._shape.every((s, k) => s === w._shape[k]) ? DTypeError : ShapeError)(`${where}: ${what} leaf ${i} is ${l.dtype}[${l._shape.join(',')}], expected ${w.dtype}[${w._shape.join(',')}]`);
    }
  });
  return ls;
}

/**
 * fn() on the tape, and the rows it read from before the call (its parameters), but `exclude`.
 * (Under vmap: the views it read, not their batches.) With each, the row it was lifted from when
 * fn runs inside a trace (a jit, or a cond branch or loop body traced to be replayed): the row
 * fn's closure reads where that trace is replayed.
 */
function closedOver<T>(where: string, fn: () => T, exclude: NDArray[]): { out: T; params: NDArray[]; lifted: number[] } {
  const start = tapeLength();
  const out = fn();
  const end = tapeLength();
  const params = rowsReadSince(start, end, new Set(exclude.map((x) => x._rowIn(where))));
  const jc = jitContext();
  const from = new Map<number, number>();
  if (jc !== undefined) for (const l of jc.lifted.values()) from.set(l.inner, l.outer);
  return { out, params: params.map((r) => NDArray.tracer(r)), lifted: params.map((r) => from.get(r) ?? -1) };
}

/**
 * d/dθ fn(x) · dθ with x fixed: the JVP of fn's rows from its parameters' tangents, seeded on the
 * rows fn reads now. Those are the parameters' own rows, except where the call was traced and is
 * replayed on other rows (a cond branch or loop body that vmap batched, jit's batching of a cond
 * row): the rule's parameters are then the replay's rows, while fn's closure still reads the rows
 * they were lifted from (`lifted`), and seeding the former gave fn's rows no tangent: a
 * derivative of 0.
 */
function paramJvp(where: string, fn: (x: Tree) => Tree, x: Tree, params: NDArray[], lifted: readonly number[], dparams: NDArray[]): NDArray[] {
  const xs = flatten(x as PyTree)[0] as NDArray[];
  const xRows = xs.map((l) => l._rowIn(where));
  const from = tapeLength();
  const [outs] = leavesOf(where, fn(x), 'matvec output');
  const read = new Set(rowsReadSince(from, tapeLength(), new Set(xRows)));
  const pRows = params.map((p, i) => { const r = p._rowIn(where); return !read.has(r) && read.has(lifted[i]) ? lifted[i] : r; });
  const start = Math.min(...pRows, ...xRows);
  const zeros = xs.map((l) => zerosLike(l)._rowIn(where));
  const inputs = [...pRows, ...xRows], seeds = [...dparams.map((d) => d._rowIn(where)), ...zeros];
  // (rows of [start, from) other than the inputs are not reachable from fn's rows except through them)
  const t = jvpRows(Math.min(start, from), tapeLength(), inputs, seeds, outs.map((o) => o._rowIn(where)));
  return t.map((r, k) => (r >= 0 ? NDArray.tracer(r) : zerosLike(outs[k])));
}

interface LinearSolveOptions { symmetric?: boolean; hasAux?: boolean }

/**
 * fn() for a derivative rule: the rule calls matvec (or f), whose closure holds the trace's values.
 * Where those are gone it names the two cases (JAX closure-converts; a JS closure cannot be rebound).
 */
function inRule<T>(where: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof TracerError) || !/escaped/.test(e.message)) throw e;
    throw new NotImplementedError(`${where}: its derivative calls the function you gave it, whose closure holds values of the ` +
      'trace that made the call, gone here: a vjp pullback called after vjp returned (take the derivative inside one ' +
      'transform: grad, jacrev, hessian), or a derivative (grad, jvp, jacfwd, jacrev, hessian) of a vmap around the solve ' +
      'whose function reads values the vmap batches (use vmap of grad, or of jvp)', { cause: e });
    // (jvp, and so jacfwd and hessian, of such a vmap is refused too: the tangent rows run after the vmap returned;
    // the message named grad only, so jvp(vmap(...)) read as a bug)
  }
}

/**
 * JAX's lax.custom_linear_solve(matvec, b, solve, transpose_solve, symmetric, has_aux):
 * x = solve(matvec, b), differentiated implicitly (matvec must be linear in x; what it closes over
 * is differentiated too). Reverse mode needs transposeSolve(vecmat, b), or symmetric: true.
 */
export function customLinearSolve(matvec: LinearFn, b: Tree, solve: Solve, transposeSolve?: Solve | null | LinearSolveOptions,
  options?: LinearSolveOptions | boolean, hasAux?: boolean): any {
  const where = 'lax.customLinearSolve';
  if (arguments.length > 6) throw new ValueError(`${where}: takes (matvec, b, solve, transposeSolve, { symmetric, hasAux }), got ${arguments.length} arguments`);
  // JAX's positional form: custom_linear_solve(matvec, b, solve, transpose_solve, symmetric, has_aux)
  if (typeof options === 'boolean' || (options === undefined && hasAux !== undefined)) {
    if (hasAux !== undefined && typeof hasAux !== 'boolean') throw new ValueError(`${where}: hasAux (argument 5) must be true or false, got ${typeof hasAux}`);
    options = { symmetric: (options as boolean | undefined) ?? false, hasAux: hasAux ?? false };
  } else if (hasAux !== undefined) {
    throw new ValueError(`${where}: give hasAux in the options object ({ symmetric, hasAux }) or both positionally (symmetric, hasAux)`);
  }
  if (transposeSolve !== null && transposeSolve !== undefined && typeof transposeSolve === 'object') { options = transposeSolve; transposeSolve = undefined; }
  for (const [n, f] of [['matvec', matvec], ['solve', solve]] as const) {
    if (typeof f !== 'function') throw new ValueError(`${where}: ${n} must be a function, got ${typeof f}`);
  }
  if (transposeSolve !== undefined && transposeSolve !== null && typeof transposeSolve !== 'function') {
    throw new ValueError(`${where}: transposeSolve must be a function or null, got ${typeof transposeSolve}`);
  }
  const o = readOptions<LinearSolveOptions>(where, options, { symmetric: 'boolean', hasAux: 'boolean' });
  const ts = transposeSolve === undefined || transposeSolve === null ? undefined : synchronous(where, 'transposeSolve', transposeSolve as Solve);
  return linearSolve(where, synchronous(where, 'matvec', matvec), b, synchronous(where, 'solve', solve), ts, o.symmetric ?? false, o.hasAux ?? false);
}

/**
 * The user's `fn` as the rules call it: a Promise it returns (an async function) is refused
 * (callSync). Outside transforms an async one is refused at once: there matvec (or f) and the
 * transposed/tangent solve may never be called (solve need not use matvec), so nothing saw it.
 */
function synchronous<F extends (...a: any[]) => any>(where: string, what: string, fn: F): F {
  if (!inTrace()) refuseAsyncFunction(where, what, fn);
  return ((...a: unknown[]) => callSync(where, what, fn, ...a)) as F;
}

/**
 * aux as the caller sees it: constant, as JAX's rules give it Zero tangents (solves.py:
 * _custom_linear_solve_jvp, _root_jvp). Its Array leaves are stopped; other leaves pass through.
 * (grad of lax.customLinearSolve(..., { hasAux })[1] = x*x with x = b/2 used to give b/2, not 0.)
 */
const constantAux = (aux: unknown): unknown => map((l: unknown) => (l instanceof NDArray ? laxOps.stopGradient(l) : l), aux as PyTree);

/** solve with hasAux returns [x, aux]: the derivative rules' own solves use x alone. */
function dropAux<F extends (...a: any[]) => any>(where: string, what: string, fn: F): F {
  return ((...a: unknown[]) => {
    const out = fn(...a);
    if (!Array.isArray(out) || out.length !== 2) throw new ValueError(`${where}: with hasAux, ${what} must return [x, aux]`);
    return out[0];
  }) as F;
}

// names: what the user calls solve and tsolve, for the messages (customRoot's are both tangentSolve:
// a wrong-shaped tangentSolve result was reported as "solve's result")
/**
 * symmetric: true is trusted by JAX, and a nonsymmetric matvec then gives a silently wrong
 * reverse-mode derivative (grad -0.4848 for -0.4444). Where values are concrete (eagerly, under
 * grad) two fixed probe vectors test it once per transpose: <u, A v> against <A u, v>, the
 * bilinear form (complex symmetric, as JAX's flag means A = A^T), two matvecs beside the solve's
 * many. Under jit nothing can be read: trusted, as in JAX.
 */
function checkSymmetric(where: string, matvec: LinearFn, bdef: TreeDef, bl: readonly NDArray[]): void {
  if (bl.some((l) => !isInexact(l.dtype))) return;
  const probe = (seed: number) => unflatten(bdef, bl.map((l, i) => {
    const n = l.size, v = new Float64Array(n);
    for (let k = 0; k < n; k++) v[k] = Math.sin(12.9898 * (k + 1) + 78.233 * (seed + 7 * i)) * 43758.5453 % 1; // (a fixed spread of values in (-1, 1))
    // (built as float64, then cast: a Float64Array given a complex dtype is read as re, im pairs, so a complex b
    // made the check itself throw np.asarray's "needs a shape" error; real probes still see A != A^T. helper-287)
    return asarray(v as never).astype(l.dtype).reshape([...l._shape]);
  }));
  const u = probe(1), v = probe(2);
  // [u.(A v), (A u).v] (re, im, |.||.|) per batch element: one eagerly and under grad; under vmap, one per
  // element of the batch (see allBatches: this check was skipped there, and vmap(grad(...)) of a nonsymmetric
  // matvec with symmetric: true gave a silently wrong gradient, helper-287)
  let dots: number[][];
  try {
    const Au = flatten(matvec(u) as PyTree)[0] as NDArray[], Av = flatten(matvec(v) as PyTree)[0] as NDArray[];
    const ul = flatten(u as PyTree)[0] as NDArray[], vl = flatten(v as PyTree)[0] as NDArray[];
    const sum = (xs: NDArray[]) => xs.reduce((a, x) => laxOps.add(a, x));
    const parts = (a: NDArray[], b: NDArray[]) => [
      sum(a.map((x, i) => np.sum(np.multiply(x, b[i])))), // (the bilinear form: no conjugate)
      np.sqrt(np.multiply(sum(a.map((x) => np.sum(np.square(np.abs(x))))), sum(b.map((y) => np.sum(np.square(np.abs(y)))))))];
    const read = [...parts(ul, Av), ...parts(Au, vl)].map((x) => ({ x, vals: allBatches(where, x) }));
    const count = ({ x, vals }: { x: NDArray; vals: TypedArray }) => vals.length / (isComplex(x.dtype) ? 2 : 1);
    const per = (k: number, j: number) => { // (a quantity the vmap does not batch has one value: it broadcasts)
      const { x, vals } = read[j], kk = k % count(read[j]);
      return isComplex(x.dtype) ? [vals[2 * kk], vals[2 * kk + 1]] : [vals[kk], 0];
    };
    const nb = Math.max(...read.map(count));
    dots = Array.from({ length: nb }, (_, k) => [...per(k, 0), per(k, 1)[0], ...per(k, 2), per(k, 3)[0]]);
  } catch (e) {
    if (e instanceof TracerError) return; // (abstract: trusted)
    throw e;
  }
  for (const d of dots) checkSymmetricDots(where, d, bl);
}

/**
 * The values of `x` for every element of the vmaps around it (a batched value has no single value to
 * read: its implementation row, walked through nested vmaps, holds them all); a TracerError where they
 * are abstract (jit). Only their set matters here, not their order.
 */
function allBatches(where: string, x: NDArray): TypedArray {
  const e = abi();
  let r = x._rowIn(where);
  while ((e.row_flags(r) & VIEW) !== 0 && e.row_impl(r) >= 0) r = e.row_impl(r);
  return rowValue(r, where);
}

function checkSymmetricDots(where: string, dots: number[], bl: readonly NDArray[]): void {
  const [r1, i1, s1, r2, i2, s2] = dots;
  const tol = bl.some((l) => l.dtype === 'float32' || l.dtype === 'complex64') ? 1e-4 : 1e-10;
  if (Math.hypot(r1 - r2, i1 - i2) > tol * (s1 + s2)) {
    throw new ValueError(`${where}: symmetric: true, but matvec is not symmetric: for two probe vectors u and v, u.(A v) = ${r1}` +
      `${i1 !== 0 || i2 !== 0 ? `${i1 >= 0 ? '+' : ''}${i1}i` : ''} and (A u).v = ${r2}${i1 !== 0 || i2 !== 0 ? `${i2 >= 0 ? '+' : ''}${i2}i` : ''}; ` +
      'the transposed solve would use A where A^T belongs (a wrong gradient): pass transposeSolve instead, or symmetric: false');
  }
}

function linearSolve(where: string, matvec: LinearFn, b: Tree, solve: Solve, tsolve: Solve | undefined, symmetric: boolean, hasAux: boolean,
  names: readonly [string, string] = ['solve', 'transposeSolve']): any {
  if (!inTrace()) {
    // matvec's output is checked against b as under transforms (checkLike below), on each call solve makes with
    // an input like b (JAX's check: matvec traced on b's types): a float32 matvec for a float64 b gave
    // float32-accurate numbers eagerly and a DTypeError under grad or jit, and a matvec returning a scalar
    // broadcast silently (helper-287)
    const mv = (v: Tree) => { const y = matvec(v); if (likeB(where, v, b)) checkShapes(where, "matvec's output", y, b); return y; };
    const out = solve(mv, b);
    checkShapes(where, `${names[0]}'s result`, eagerSolution(where, out, hasAux), b);
    return out;
  }
  const [bl, bdef] = leavesOf(where, b, 'b');
  if (bl.some(isLinearValue)) { // a tangent inside a linearization: a staged solve
    if (hasAux) throw new NotImplementedError(`${where}: hasAux inside a linearization`);
    const transpose = (cts: NDArray[]): NDArray[] => inRule(where, () => {
      // (symmetric with a transposeSolve given: that one, on matvec, as JAX's custom_linear_solve)
      const ts = tsolve ?? (symmetric ? solve : undefined);
      if (ts === undefined) {
        throw new NotImplementedError(`${where}: reverse mode needs transposeSolve (or symmetric: true), as in JAX`);
      }
      if (symmetric) checkSymmetric(where, matvec, bdef, bl);
      const zeros = unflatten(bdef, bl.map((l) => zerosLike(l)));
      // (each pullback is used once: freed at once, not left to the GC, which a sync loop never lets run)
      const vecmat = symmetric ? matvec : (u: Tree) => {
        const pull = vjp(matvec as any, zeros as any)[1] as any;
        try { return pull(u)[0]; } finally { pull.dispose(); }
      };
      const tsName = tsolve === undefined ? names[0] : names[1];
      const x = linearSolve(where, vecmat, unflatten(bdef, cts), ts, solve, symmetric, false, [tsName, names[0]]);
      return checkLike(where, `${tsName}'s result (the transposed solve)`, x, bdef, bl);
    });
    // (the transpose calls matvec: probed once, for the rows it reads, where the rule runs away from its call)
    return unflatten(bdef, emitLinearMap(where, bl, bl.map((l) => ({ shape: l._shape, dtype: l.dtype })), transpose,
      () => { matvec(unflatten(bdef, bl.map((l) => zerosLike(l)))); }));
  }
  const out = solve(matvec, b);
  if (hasAux && (!Array.isArray(out) || out.length !== 2)) throw new ValueError(`${where}: with hasAux, solve must return [x, aux]`);
  const [x, aux] = hasAux ? out as [Tree, unknown] : [out, undefined];
  if (hasAux) { // the rule's own solves keep x and drop aux (JAX: solve and transposeSolve both return [x, aux])
    [solve, tsolve] = [dropAux(where, 'solve', solve), tsolve && dropAux(where, 'transposeSolve', tsolve)];
  }
  const bw = weakLike(b, bl, x); // (a JS number in b takes the solution's float dtype, as JAX's weak 1.0)
  const x0 = unflatten(bdef, checkLike(where, `${names[0]}'s result`, stopGradient(x as PyTree), bdef, bw));
  const x0l = flatten(x0 as PyTree)[0] as NDArray[];
  const { out: ax0, params, lifted } = closedOver(where, () => matvec(x0), x0l);
  checkLike(where, "matvec's output", ax0, bdef, bw); // (JAX: matvec() output shapes must match b)
  const nb = bw.length;
  const g = customJvp((..._args: NDArray[]) => x0, (primals: NDArray[], tangents: NDArray[]) => inRule(where, () => {
    // (the tangents seed the parameters' own rows, which matvec reads: under vmap the rule's
    // primals are copies of them, broadcast along the batch)
    const bb = unflatten(bdef, primals.slice(0, nb));
    const xr = linearSolve(where, matvec, bb, solve, tsolve, symmetric, false, names);
    const ax = paramJvp(where, matvec, xr, params, lifted, tangents.slice(nb));
    const rhs = unflatten(bdef, tangents.slice(0, nb).map((db, i) => subtract(db, ax[i])));
    return [xr, linearSolve(where, matvec, rhs, solve, tsolve, symmetric, false, names)] as [unknown, unknown];
  }));
  const xs = g(...bw, ...params);
  return hasAux ? [xs, constantAux(aux)] : xs;
}

/**
 * JAX's lax.custom_root(f, initial_guess, solve, tangent_solve, has_aux): x = solve(f, guess)
 * with f(x) = 0, differentiated implicitly through what f closes over; tangentSolve(g, y) solves
 * the linear g(x) = y (g is ∂f/∂x at the root, and its transpose in reverse mode).
 */
export function customRoot(f: (x: any) => any, initialGuess: Tree, solve: (f: (x: any) => any, guess: any) => any,
  tangentSolve: Solve, options?: { hasAux?: boolean } | boolean): any {
  const where = 'lax.customRoot';
  if (arguments.length > 5) throw new ValueError(`${where}: takes (f, initialGuess, solve, tangentSolve, { hasAux }), got ${arguments.length} arguments`);
  if (typeof options === 'boolean') options = { hasAux: options }; // JAX's positional has_aux
  for (const [n, fn] of [['f', f], ['solve', solve], ['tangentSolve', tangentSolve]] as const) {
    if (typeof fn !== 'function') throw new ValueError(`${where}: ${n} must be a function, got ${typeof fn}`);
  }
  const o = readOptions<{ hasAux?: boolean }>(where, options, { hasAux: 'boolean' });
  return root(where, synchronous(where, 'f', f), initialGuess, synchronous(where, 'solve', solve), synchronous(where, 'tangentSolve', tangentSolve), o.hasAux ?? false);
}

function root(where: string, f: (x: any) => any, guess: Tree, solve: (f: (x: any) => any, g: any) => any, tangentSolve: Solve, hasAux: boolean): any {
  if (!inTrace()) {
    const fc = (x: Tree) => { const y = f(x); if (likeB(where, x, guess)) checkShapes(where, "f's output", y, guess); return y; }; // (as matvec's above)
    const out = solve(fc, guess);
    checkShapes(where, "solve's result", eagerSolution(where, out, hasAux), guess);
    return out;
  }
  const out = solve(f, guess);
  if (hasAux && (!Array.isArray(out) || out.length !== 2)) throw new ValueError(`${where}: with hasAux, solve must return [x, aux]`);
  const [x, aux] = hasAux ? out as [Tree, unknown] : [out, undefined];
  if (hasAux) solve = dropAux(where, 'solve', solve); // (the rule's own solve keeps x)
  const [gl0, gdef] = leavesOf(where, guess, 'initialGuess');
  const gl = weakLike(guess, gl0, x); // a JS number in the guess is weakly typed (JAX's 1.0)
  const x0 = unflatten(gdef, checkLike(where, "solve's result", stopGradient(x as PyTree), gdef, gl));
  const x0l = flatten(x0 as PyTree)[0] as NDArray[];
  const { out: f0, params, lifted } = closedOver(where, () => f(x0), x0l);
  checkLike(where, "f's output", f0, gdef, gl); // (JAX: f() output shapes must match initialGuess)
  if (params.length === 0) return hasAux ? [x0, constantAux(aux)] : x0;
  const g = customJvp((..._ps: NDArray[]) => x0, (_ps: NDArray[], dps: NDArray[]) => inRule(where, () => {
    // (from the initial guess, as JAX's rule re-solves: from x0 an inexact solver would run on and
    // give the derivative at another point than the value returned)
    const xr = root(where, f, guess, solve, tangentSolve, false);
    const ft = paramJvp(where, f, xr, params, lifted, dps); // ∂f/∂θ dθ at the root (seeding the rows f reads, as above)
    const J = (v: Tree) => jvp((z: Tree) => f(z), [xr], [v])[1];
    const rhs = unflatten(gdef, ft);
    const dx = linearSolve(where, J, rhs, tangentSolve, tangentSolve, false, false, ['tangentSolve', 'tangentSolve']);
    return [xr, unflatten(gdef, (flatten(dx as PyTree)[0] as NDArray[]).map((l) => negative(l)))] as [unknown, unknown];
  }));
  const xs = g(...params);
  return hasAux ? [xs, constantAux(aux)] : xs;
}
