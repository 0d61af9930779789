// lax.whileLoop as one while row (JAX's while_loop primitive): cond and body traced once into
// frozen sub-programs; wasm runs the steps. Its rules: the JVP is a while row over (carries,
// tangents) whose body is jvp of the body (JAX's _while_loop_jvp), staged under linearize (whose
// jvpFn runs it); its transpose refuses reverse mode, as JAX does; its batching runs until every
// example's predicate is false, keeping finished carries by a select (JAX's batching rule).
import { NDArray, withRowsReplaced } from '../array.js';
import { asarrayHint, where as select } from '../numpy.js';
import { jvp } from '../transforms/jvp.js';
import { any } from '../np_reductions.js';
import { flatten as flattenTree, unflatten, type TreeDef, type TreeLike } from '../tree.js';
import { emit, rowShape, rowDtype, rowFlags, LINEAR, VIEW } from '../../core/trace.js';
import { abi, memI32 } from '../../core/abi.js';
import { isInexact } from '../../core/dtype.js';
import { DTypeError, NotImplementedError, TracerError, describe } from '../../core/errors.js';
import * as lax from '../lax.js';
import { type Aval, traceSub, withCarryTypes, checkCarryTypes, load, run, tracers, avalOfRow, varyingCarries, batchedOutputs, vmapOrCall, equalLoop } from './shared.js';

/**
 * Emit a while row: carries `init` (rows of avals `avals`), `cond(carries) -> bool[]` and
 * `body(carries) -> carries` as functions of Arrays. Returns the row (its outputs are the next rows).
 */
export function emitWhileRow(where: string, avals: readonly Aval[], init: readonly number[],
  cond: (xs: NDArray[]) => NDArray, body: (xs: NDArray[]) => NDArray[], twin?: number): number {
  whileRows++;
  const c = traceSub(`${where}'s condFun`, avals, (xs) => {
    const p = cond(xs);
    if (p.dtype !== 'bool' || p.ndim !== 0) throw new DTypeError(`${where}: condFun must return a scalar bool, got ${describe(p._shape, p.dtype)}`);
    return [p];
  });
  const b = traceSub(`${where}'s bodyFun`, avals, body);
  const n = avals.length;
  const params = [n, c.closed.length, b.closed.length, c.words.length, b.words.length, ...c.words, ...b.words];
  // (twin: the while row whose carries this one computes again, JVP's; named by its first output, rules/control.ts)
  const operands = [...init, ...c.closed, ...b.closed, ...(twin === undefined ? [] : [twin + 1])];
  return emit('while', operands, params, () => `${where}: the loop as a row`);
}

let whileRows = 0;
/**
 * While rows emitted so far. A traced function that made one cannot be inlined where eager code
 * would have run the loop step by step: reverse mode, which eagerly walks the steps, refuses a
 * while row (JAX's rule), so eager vmap(grad) of a cond holding a whileLoop was a NotImplementedError.
 */
export function whileRowCount(): number { return whileRows; }

/** lax.whileLoop under jit: the carry tree's leaves, `wrap`ped into the carry for cond and body, whose result `unwrap` flattens. */
export function whileAsRow(where: string, leaves: unknown[], wrap: (xs: unknown[]) => unknown,
  cond: (carry: unknown) => unknown, body: (carry: unknown) => unknown,
  unwrap: (out: unknown, avals: readonly Aval[], kept: (k: number, o: unknown) => NDArray | undefined) => NDArray[],
  probe?: () => readonly unknown[]): unknown[] {
  return withCarryTypes(leaves, (avals, promote, fixed) => {
    const init = leaves.map((l, k) => asarrayHint(l as never, avals[k].dtype, `${where}: init_val`)._rowIn(where));
    const r = emitWhileRow(where, avals, init, (xs) => {
      const p = cond(wrap(fixed.input(xs)));
      if (typeof p === 'boolean') return lax.full([], p ? 1 : 0, 'bool');
      if (!(p instanceof NDArray) || p.ndim !== 0 || p.dtype !== 'bool') {
        throw new DTypeError(`${where}: condFun must return a scalar bool (a JS boolean or a 0-d bool Array), got ${p instanceof NDArray ? describe(p._shape, p.dtype) : typeof p}`);
      }
      return p;
    }, (xs) => {
      const out = unwrap(body(wrap(fixed.input(xs))), avals, (k, o) => fixed.output(k, o, xs[k]));
      promote(out);
      checkCarryTypes(where, 'bodyFun', out, avals);
      return out;
    });
    return fixed.result(avals.map((_, k) => NDArray.tracer(r + 1 + k)));
  }, probe);
}

/**
 * x as it is where `sel` equals `taken`, through stopGradient elsewhere (an inexact x; others as
 * they are): how a value enters a cond branch in the examples that do not take it, or a loop
 * step in the finished ones, under vmap (JAX's batching rules, jax#1052).
 */
export function guardUntaken(x: NDArray, sel: NDArray, taken = true): NDArray {
  if (!isInexact(x.dtype)) return x;
  const s = lax.stopGradient(x);
  return taken ? select(sel, x, s) : select(sel, s, x);
}

/**
 * The rows a traced function closed over (a Sub's `closed`), each mapped to its guarded row:
 * what eager vmap's cond and loops read in their place (withRowsReplaced) when they run a branch
 * or body as it is.
 */
export function guardedRows(where: string, closed: readonly number[], sel: NDArray, taken = true): Map<number, number> {
  const m = new Map<number, number>();
  for (const r of closed) if (!m.has(r) && isInexact(rowDtype(r))) m.set(r, guardUntaken(NDArray.tracer(r), sel, taken)._rowIn(where));
  return m;
}

/**
 * One step of an eager loop whose predicate `p` vmap batched, as a function of the carry: the
 * body traced once per carry type (what it closes over becomes its consts) and run on the carry
 * and those consts, each inexact one entering through stopGradient in the finished examples
 * (whose results the caller selects away). Calling the body directly could guard the carry only:
 * a body reading a closed-over batched a in sqrt(a - c), undefined past the end, gave
 * vmap(grad) NaN. A JS number leaf is a constant of the trace (part of its key). A body holding
 * a while loop (whose traced row reverse mode refuses) is called directly, reading what it closes
 * over guarded in its place (withRowsReplaced); one that reads a value concretely (a TracerError
 * when traced) is called directly with its carry guarded only.
 */
export function batchedStep(where: string, body: (carry: unknown) => unknown): (carry: unknown, p: NDArray) => unknown {
  // (null: run the body as it is; `asIs`: so, reading what it closes over guarded)
  type Traced = { words: Int32Array; closed: number[]; def: TreeDef; raw: unknown[] } | { asIs: number[] } | null;
  const subs = new Map<string, Traced>();
  return (carry, p) => {
    const [cl, cd] = flattenTree(carry as TreeLike);
    const direct = (closed: readonly number[] = []) => withRowsReplaced(guardedRows(where, closed, p),
      () => body(unflatten(cd, cl.map((x) => (x instanceof NDArray ? guardUntaken(x, p) : x)))));
    if (!cl.every((l) => l instanceof NDArray || typeof l === 'number')) return direct();
    const key = cl.map((l) => (l instanceof NDArray ? `${l.dtype}[${l._shape.join(',')}]` : `n${Object.is(l, -0) ? '-0' : l}`)).join('|');
    let sub = subs.get(key);
    if (sub === undefined) {
      const arrays = cl.filter((l): l is NDArray => l instanceof NDArray);
      let def: TreeDef | null = null, raw: unknown[] = [];
      const loops = whileRowCount();
      try {
        const t = traceSub(`${where}'s bodyFun`, arrays.map((a) => ({ dtype: a.dtype, shape: a._shape })), (xs) => {
          let j = 0;
          const [ol, od] = flattenTree(body(unflatten(cd, cl.map((l) => (l instanceof NDArray ? xs[j++] : l)))) as TreeLike);
          def = od; raw = ol;
          return ol.filter((l): l is NDArray => l instanceof NDArray);
        }, false);
        // (a body holding a loop runs as it is: eagerly its steps are on the tape for reverse mode)
        sub = whileRowCount() !== loops ? { asIs: t.closed } : { words: t.words, closed: t.closed, def: def!, raw };
      } catch (e) {
        if (!(e instanceof TracerError)) throw e;
        sub = null;
      }
      subs.set(key, sub);
    }
    if (sub === null) return direct();
    if ('asIs' in sub) return direct(sub.asIs);
    const ins = [...cl.filter((l): l is NDArray => l instanceof NDArray), ...tracers(sub.closed)].map((x) => guardUntaken(x, p));
    const h = load(sub.words, where);
    let outs: NDArray[];
    try { outs = run(h, ins, where); } finally { abi().tape_free(h); }
    let j = 0;
    return unflatten(sub.def, sub.raw.map((l) => (l instanceof NDArray ? outs[j++] : l)));
  };
}

// ---------------------------------------------------------------- rules

const WHERE = 'lax.whileLoop';

/** Row r's params: counts, and its cond and body as frozen blocks' words. */
function readRow(r: number) {
  const e = abi(), np = e.row_nparams(r), base = e.row_params(r) >>> 2;
  const p = memI32().subarray(base, base + np);
  const [n, cc, bc, cw, bw] = p;
  const ops = Array.from({ length: n + cc + bc }, (_, i) => e.row_operand(r, i)); // (not a twin operand past them)
  return {
    n, carries: ops.slice(0, n), condClosed: ops.slice(n, n + cc), bodyClosed: ops.slice(n + cc),
    condWords: p.slice(5, 5 + cw), bodyWords: p.slice(5 + cw, 5 + cw + bw),
  };
}

function withSubs<T>(r: number, fn: (cond: number, body: number, row: ReturnType<typeof readRow>) => T): T {
  const row = readRow(r);
  const ch = load(row.condWords, WHERE);
  try {
    const bh = load(row.bodyWords, WHERE);
    try {
      return fn(ch, bh, row);
    } finally { abi().tape_free(bh); }
  } finally { abi().tape_free(ch); }
}

/**
 * Which carries of while row r depend on a marked operand (`operands`: carries, cond consts,
 * body consts): those the body makes depend on one, to a fixed point; every carry when the
 * predicate does (the trip count then differs per example: the batching rule's choice too).
 */
export function whileOutputDependence(r: number, operands: readonly boolean[]): boolean[] {
  return withSubs(r, (condH, bodyH, row) => {
    const { n } = row, cc = row.condClosed.length;
    const carries = row.carries.map((x) => avalOfRow(x));
    const carryB = batchedOutputs(WHERE, bodyH, [...carries, ...row.bodyClosed.map((x) => avalOfRow(x))], n,
      [...operands.slice(0, n), ...operands.slice(n + cc, n + cc + row.bodyClosed.length)]).slice(0, n);
    const pred = batchedOutputs(WHERE, condH, [...carries, ...row.condClosed.map((x) => avalOfRow(x))], 0, [...carryB, ...operands.slice(n, n + cc)])[0];
    return pred ? carryB.map(() => true) : carryB;
  });
}

/**
 * JVP: a while row over (carries, tangents of the inexact carries) whose body is jvp of the body
 * with respect to those carries and to the closed-over values that have tangents. An inexact
 * carry gets a tangent (zeros where it had none) if it has one or the body makes it vary (a fixed point).
 */
export function jvpOfWhile(r: number): void {
  withSubs(r, (condH, bodyH, row) => {
    const tan = (x: number) => abi().jvp_tangent(x);
    const diff = row.carries.map((x) => isInexact(rowDtype(x)));
    const closedTans = row.bodyClosed.map(tan);
    if (row.carries.every((x, k) => !diff[k] || tan(x) < 0) && closedTans.every((t) => t < 0)) return; // nothing varies
    // (under linearize the tangents are linear: the row below is staged, linearize's jvpFn runs it,
    // and its transpose rule refuses reverse mode, as JAX's)
    const m = row.carries.length;
    const avals: Aval[] = row.carries.map((x) => ({ dtype: rowDtype(x), shape: rowShape(x) }));
    const varying = closedTans.flatMap((t, j) => (t >= 0 ? [j] : []));
    // (the carries with nonzero tangents: those with one, and those the body makes vary)
    const vc = varyingCarries(WHERE, bodyH, [...avals, ...row.bodyClosed.map((x) => avalOfRow(x))], m,
      [...row.carries.map((x, k) => diff[k] && tan(x) >= 0), ...closedTans.map((t) => t >= 0)]);
    const inIdx = diff.map((d, k) => d && vc[k]);
    const idx = inIdx.flatMap((d, k) => (d ? [k] : []));
    // (staged under linearize, the row runs later in the linear program, where the row it
    // repeats is a residual: no twin then)
    const linear = [...row.carries.map(tan), ...closedTans].some((t) => t >= 0 && (rowFlags(t) & LINEAR) !== 0);
    const tInit = idx.map((k) => { const t = tan(row.carries[k]); return t >= 0 ? t : lax.full([...avals[k].shape], 0, avals[k].dtype)._rowIn(WHERE); });
    // (tracers of this trace made here, outside the new row's traces: a tracer belongs to the trace current when it is made)
    const condClosed = tracers(row.condClosed), bodyClosed = tracers(row.bodyClosed);
    const varyingTans = varying.map((j) => NDArray.tracer(closedTans[j]));
    // (an earlier loop equal to r, if any, is the twin: its carries hold the same values)
    const twin = linear ? r : equalLoop(r);
    const lead = twin === r ? row.carries : row.carries.map((_, k) => abi().row_operand(twin, k));
    const y = emitWhileRow(WHERE, [...avals, ...idx.map((k) => avals[k])], [...lead, ...tInit],
      (xs) => run(condH, [...xs.slice(0, m), ...condClosed], WHERE)[0],
      (xs) => {
        const carries = xs.slice(0, m);
        // the body as a function of its inexact carries and its varying closed-over values (inexact outputs first)
        const g = (ds: NDArray[], vs: NDArray[]) => {
          const ins = carries.slice(), cl = bodyClosed.slice();
          idx.forEach((k, i) => { ins[k] = ds[i]; });
          varying.forEach((j, i) => { cl[j] = vs[i]; });
          const out = run(bodyH, [...ins, ...cl], WHERE);
          return [...idx.map((k) => out[k]), ...out.filter((_, k) => !inIdx[k])];
        };
        const [out, tout] = jvp(g, [idx.map((k) => carries[k]), varying.map((j) => bodyClosed[j])],
          [xs.slice(m), varyingTans]) as unknown as [NDArray[], NDArray[]];
        const next: NDArray[] = [];
        let a = 0, b = idx.length;
        inIdx.forEach((d) => { next.push(d ? out[a++] : out[b++]); });
        return [...next, ...tout.slice(0, idx.length)];
      }, linear ? undefined : twin);
    idx.forEach((k, i) => abi().jvp_set_tangent(r + 1 + k, y + 1 + m + i));
  });
}

/**
 * Batching (vmap): the rule in wasm batched each operand along axis 0 or not at all; here the
 * while row over the batch. When the predicate differs per example, every carry is batched, the
 * cond is "any example's predicate holds" and the body steps every example and keeps the
 * finished ones' carries; else the carries the batch never reaches stay one value and the
 * predicate is one (JAX's batching rule, both cases).
 */
export function batchWhile(r: number): void {
  const buf = abi().while_batch_rows() >>> 2, stride = abi().while_batch_stride();
  withSubs(r, (condH, bodyH, row) => {
    const m = memI32(), n = row.n, cc = row.condClosed.length, nops = n + cc + row.bodyClosed.length;
    const phys = Array.from(m.subarray(buf, buf + nops)), batched = Array.from(m.subarray(buf + stride, buf + stride + nops), (f) => f !== 0);
    const condClosed = tracers(phys.slice(n, n + cc)), bodyClosed = tracers(phys.slice(n + cc));
    const condAxes = batched.slice(n, n + cc).map((b) => (b ? 0 : null)), bodyAxes = batched.slice(n + cc).map((b) => (b ? 0 : null));
    // which carries the batch reaches through the body (JAX's fixed point), and whether the
    // predicate then differs per example: if it does, every carry is batched (a finished
    // example keeps its carries by a select), else the others stay one value
    const logical = [...row.carries, ...row.bodyClosed].map((x) => avalOfRow(x));
    let carryB = batchedOutputs(WHERE, bodyH, logical, n, [...batched.slice(0, n), ...batched.slice(n + cc)]).slice(0, n);
    const predB = batchedOutputs(WHERE, condH, [...row.carries, ...row.condClosed].map((x) => avalOfRow(x)), 0, [...carryB, ...batched.slice(n, n + cc)])[0];
    if (predB) carryB = carryB.map(() => true);
    const bi = batched.findIndex(Boolean);
    const B = bi < 0 ? 0 : rowShape(phys[bi])[0];
    const init = phys.slice(0, n).map((x, k) => {
      if (!carryB[k] || batched[k]) return x;
      const s = rowShape(x); // (a carry the batch reaches: its initial value broadcast)
      return lax.broadcastInDim(NDArray.tracer(x), [B, ...s], s.map((_, i) => i + 1))._rowIn(WHERE);
    });
    const carryAxes = carryB.map((b) => (b ? 0 : null));
    const avals: Aval[] = init.map((x) => ({ dtype: rowDtype(x), shape: rowShape(x) }));
    const twin = abi().row_nops(r) > nops ? abi().row_operand(r, nops) - 1 : -1;
    // (and when the loop it names is itself unbatched here: a view there would make the new row one too, batched again without end)
    const keepsTwin = twin >= 0 && (rowFlags(twin) & VIEW) === 0 && !predB && carryB.slice(0, memI32()[abi().row_params(twin) >>> 2]).every((b) => !b);
    const bodyB = (xs: NDArray[], outAxes: (0 | null)[]) => vmapOrCall((...a: NDArray[]) => run(bodyH, a, WHERE), [...carryAxes, ...bodyAxes], outAxes, [...xs, ...bodyClosed]);
    const preds = (xs: NDArray[]) => vmapOrCall((...a: NDArray[]) => run(condH, a, WHERE)[0], [...carryAxes, ...condAxes], predB ? 0 : null, [...xs, ...condClosed]);
    const y = predB
      ? emitWhileRow(WHERE, avals, init, (xs) => any(preds(xs)), (xs) => {
        const p = preds(xs);
        return bodyB(xs, carryAxes).map((x, k) => select(lax.reshape(p, [p.size, ...xs[k]._shape.slice(1).map(() => 1)]), x, xs[k]));
      })
      : emitWhileRow(WHERE, avals, init, preds, (xs) => bodyB(xs, carryAxes), keepsTwin ? twin : undefined);
    const out = memI32(), b2 = abi().while_batch_rows() >>> 2, s2 = abi().while_batch_stride(); // (read again: a nested row's batching may have grown the buffer)
    out[b2] = y;
    carryB.forEach((b, k) => { out[b2 + s2 + k] = b ? 1 : 0; }); // (each output's flag, for the wasm side)
  });
}

/** A staged while row reached by a transpose: reverse mode, which JAX refuses too. */
export function transposeWhile(): never {
  throw new NotImplementedError(`${WHERE}: reverse-mode differentiation (grad, vjp, jacrev, hessian) of a while loop traced under jit ` +
    '(or run under a named vmap whose predicate differs per example, with a lax.psum in its body: one loop row, as under jit) is not ' +
    'defined, as in JAX ("Reverse-mode differentiation does not work for lax.while_loop"): its trip count is known only when it runs. ' +
    'Use jvp, jacfwd or linearize, lax.scan or lax.foriLoop with a JS-number trip count, or call grad outside jit ' +
    '(eagerly the loop runs step by step and grad walks its steps). Loops come from lax.whileLoop, lax.foriLoop with a ' +
    'traced bound, and x.at(idx).apply(f) with an index Array traced by jit (pass the indices as a JS list there)');
}

