// Control flow as single rows of the program (assembly/ad/rules/control.ts): JAX's while_loop,
// scan and cond primitives, and checkpoint. Under jit, lax_control.ts traces a loop's body (a
// while loop's cond, a cond's branches, a checkpointed function) once, abstractly, into frozen
// tapes that the row carries in its params, and wasm runs them with no JS per step. With
// concrete values the loops still run in JS, step by step on the tape, and cond runs the taken
// branch.
//
// The rows' derivative rules are here, called back from wasm (env.custom_rule):
// - while: its JVP is a while row over (carries, tangents) whose body is jvp of the body (JAX's
//   _while_loop_jvp), staged under linearize; its transpose refuses reverse mode, as JAX does. Its batching rule runs until every
//   example's predicate is false, keeping finished carries by a select (JAX's batching rule).
// - scan: its JVP is a scan row over (carries, tangents); under linearize, a primal scan row that
//   stacks each step's residuals and a staged linear scan row, whose transpose is a scan in the
//   other direction (JAX's _scan_jvp, _scan_partial_eval, _scan_transpose); its batching rule is
//   a scan of the vmapped body, xs and ys batched along axis 1.
// - cond: the same three, branch by branch (JAX's _cond_jvp, _cond_partial_eval, _cond_transpose);
//   a batched index runs every branch and selects.
// - checkpoint: a one-branch cond whose linearization keeps only its inputs (JAX's remat).
import { NDArray } from './array.js';
import { asarrayHint, where as select } from './numpy.js';
import { flatten, unflatten, leafPath, type TreeDef, type TreeLike } from './tree.js';
import { jvp } from './transforms/jvp.js';
import { placeholderFor, zerosRow } from './transforms/trace_args.js';
import { vmap } from './transforms/vmap.js';
import { any } from './np_reductions.js';
import {
  emit, onAbstractTape, jitContext, freezeRows, inlineRows, jvpRows, transposeRows, tapeLength, rowShape, rowDtype, rowFlags, LINEAR, describeRow,
} from '../core/trace.js';
import { abi, memI32, memoryBuffer } from '../core/abi.js';
import { DTYPE_CODE, DType, isInexact } from '../core/dtype.js';
import { setControlRuleHandler } from '../core/custom_calls.js';
import { DTypeError, ShapeError, NotImplementedError, InternalError, errorFromCode, describe } from '../core/errors.js';
import * as lax from './lax.js';

export interface Aval { dtype: DType; shape: readonly number[] }
const avalOf = (x: NDArray): Aval => ({ dtype: x.dtype, shape: x._shape });
const sameAval = (a: Aval, b: Aval) => a.dtype === b.dtype && a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);

/** A traced sub-program: its frozen block's words, and the enclosing trace's rows it reads (bound after its inputs). */
interface Sub { words: Int32Array; closed: number[] }

/**
 * Trace `fn` abstractly on inputs of `avals` into a frozen, optimized program. Tracers of the
 * enclosing trace it reads are lifted into inputs (as jit lifts them); so are large concrete
 * Arrays it reads (jit's constants).
 */
function traceSub(where: string, avals: readonly Aval[], fn: (xs: NDArray[]) => NDArray[], fuse = true): Sub {
  const { handle, closedRows, constants } = onAbstractTape(where, () => {
    const inputs = avals.map((a) => emit('input', [], [DTYPE_CODE[a.dtype], ...a.shape]));
    const outs = fn(inputs.map((r) => NDArray.tracer(r)));
    const rows = outs.map((o) => o._rowIn(where));
    const jc = jitContext()!;
    const lifted = [...jc.lifted.values()];
    const frozen = freezeRows([...inputs, ...lifted.map((l) => l.inner), ...jc.constants.map((c) => c.inner)], rows, false);
    return { handle: frozen.handle, closedRows: lifted.map((l) => l.outer), constants: jc.constants.map((c) => c.value as NDArray) };
  });
  const e = abi();
  let h = handle;
  try {
    // (a linear body is not fused: a transpose re-emits its rows, and a fused row has no transpose rule)
    for (const pass of fuse ? [e.optimize_tape, e.fuse_tape] : [e.optimize_tape]) {
      const next = pass(h);
      if (next === 0) { const code = e.last_error(); e.clear_error(); throw errorFromCode(code, `${where}: optimizing`); }
      e.tape_free(h);
      h = next;
    }
    const block = e.tape_block(h), bytes = e.tape_bytes(h);
    const words = new Int32Array(memoryBuffer(), block, bytes >>> 2).slice();
    return { words, closed: [...closedRows, ...constants.map((c) => c._rowIn(where))] };
  } finally {
    e.tape_free(h);
  }
}

/**
 * Emit a while row: carries `init` (rows of avals `avals`), `cond(carries) -> bool[]` and
 * `body(carries) -> carries` as functions of Arrays. Returns the row (its outputs are the next rows).
 */
export function emitWhileRow(where: string, avals: readonly Aval[], init: readonly number[],
  cond: (xs: NDArray[]) => NDArray, body: (xs: NDArray[]) => NDArray[]): number {
  const c = traceSub(`${where}'s condFun`, avals, (xs) => {
    const p = cond(xs);
    if (p.dtype !== 'bool' || p.ndim !== 0) throw new DTypeError(`${where}: condFun must return a scalar bool, got ${describe(p._shape, p.dtype)}`);
    return [p];
  });
  const b = traceSub(`${where}'s bodyFun`, avals, body);
  const n = avals.length;
  const params = [n, c.closed.length, b.closed.length, c.words.length, b.words.length, ...c.words, ...b.words];
  return emit('while', [...init, ...c.closed, ...b.closed], params, () => `${where}: the loop as a row`);
}

/** A weak carry leaf's new type, found while tracing the body: the trace starts again with it. */
class Retrace { constructor(readonly avals: Aval[]) {} }

/**
 * `emitWith(avals, promote)` with the carry's types from its initial leaves: Arrays keep theirs;
 * a JS number or boolean is weakly typed (float32, as a JS number alone computes eagerly; bool). The
 * body calls `promote` on its new carries: a weak number leaf the body returns with another dtype
 * takes that dtype, as JAX promotes weak-typed carries (result_type of the weak value and the
 * body's dtype: an integer takes any, a fraction only an inexact one, so 0.5 beside an int32
 * body stays float32 and the body's type is an error), and the trace starts again, once.
 */
export function withCarryTypes<T>(leaves: readonly unknown[], emitWith: (avals: Aval[], promote: (out: readonly NDArray[]) => void) => T): T {
  let avals: Aval[] = leaves.map((l) => (l instanceof NDArray ? avalOf(l)
    : { dtype: typeof l === 'boolean' ? 'bool' : 'float32', shape: [] })); // (a JS number alone is float32 here, as in the eager loop)
  for (let attempt = 0; ; attempt++) {
    const promote = (out: readonly NDArray[]) => {
      if (attempt > 0) return;
      let changed = false;
      const next = avals.map((a, k) => {
        const l = leaves[k], o = out[k];
        if (typeof l !== 'number' || o === undefined || o.ndim !== 0 || o.dtype === a.dtype || o.dtype === 'bool') return a;
        if (!Number.isInteger(l) && !isInexact(o.dtype)) return a;
        changed = true;
        return { dtype: o.dtype, shape: [] };
      });
      if (changed) throw new Retrace(next);
    };
    try {
      return emitWith(avals, promote);
    } catch (e) {
      if (!(e instanceof Retrace)) throw e;
      avals = e.avals;
    }
  }
}

/** The body's new carries checked against the carry's types (JAX's _check_carry_type). */
export function checkCarryTypes(where: string, fn: string, out: readonly NDArray[], avals: readonly Aval[]): void {
  out.forEach((o, k) => {
    if (!sameAval(avalOf(o), avals[k])) {
      const E = o.dtype !== avals[k].dtype ? DTypeError : ShapeError;
      throw new E(`${where}: ${fn} must return the carry's types: leaf ${k} is ${describe(o._shape, o.dtype)}, the carry's is ${describe(avals[k].shape, avals[k].dtype)}`);
    }
  });
}

/** lax.whileLoop under jit: the carry tree's leaves, `wrap`ped into the carry for cond and body, whose result `unwrap` flattens. */
export function whileAsRow(where: string, leaves: unknown[], wrap: (xs: NDArray[]) => unknown,
  cond: (carry: unknown) => unknown, body: (carry: unknown) => unknown, unwrap: (out: unknown, avals: readonly Aval[]) => NDArray[]): NDArray[] {
  return withCarryTypes(leaves, (avals, promote) => {
    const init = leaves.map((l, k) => asarrayHint(l as never, avals[k].dtype, `${where}: init_val`)._rowIn(where));
    const r = emitWhileRow(where, avals, init, (xs) => {
      const p = cond(wrap(xs));
      if (typeof p === 'boolean') return lax.full([], p ? 1 : 0, 'bool');
      if (!(p instanceof NDArray) || p.ndim !== 0 || p.dtype !== 'bool') {
        throw new DTypeError(`${where}: condFun must return a scalar bool (a JS boolean or a 0-d bool Array), got ${p instanceof NDArray ? describe(p._shape, p.dtype) : typeof p}`);
      }
      return p;
    }, (xs) => {
      const out = unwrap(body(wrap(xs)), avals);
      promote(out);
      checkCarryTypes(where, 'bodyFun', out, avals);
      return out;
    });
    return avals.map((_, k) => NDArray.tracer(r + 1 + k));
  });
}

// ---------------------------------------------------------------- the row's rules

/** Row r's params: counts, and its cond and body as frozen blocks' words. */
function readRow(r: number) {
  const e = abi(), np = e.row_nparams(r), base = e.row_params(r) >>> 2;
  const p = memI32().subarray(base, base + np);
  const [n, cc, , cw, bw] = p;
  const ops = Array.from({ length: e.row_nops(r) }, (_, i) => e.row_operand(r, i));
  return {
    n, carries: ops.slice(0, n), condClosed: ops.slice(n, n + cc), bodyClosed: ops.slice(n + cc),
    condWords: p.slice(5, 5 + cw), bodyWords: p.slice(5 + cw, 5 + cw + bw),
  };
}

/** A frozen program loaded from its words (the host owns the handle: free it with tape_free). */
function load(words: Int32Array, where: string): number {
  const e = abi(), p = e.alloc(words.byteLength);
  if (p === 0) { e.clear_error(); throw errorFromCode(4, where); }
  new Int32Array(memoryBuffer(), p, words.length).set(words);
  const h = e.tape_load(p);
  if (h === 0) { e.free(p); e.clear_error(); throw new InternalError(`${where}: a while row's sub-program did not load`); }
  return h;
}

/** Sub-program `handle` on Arrays `xs` (its inputs, then what it closes over), inlined into the current trace. */
function run(handle: number, xs: readonly NDArray[], where = WHERE): NDArray[] {
  return inlineRows(handle, xs.map((x) => x._rowIn(where)), where).map((r) => NDArray.tracer(r));
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

const WHERE = 'lax.whileLoop';
const tracers = (rows: readonly number[]) => rows.map((x) => NDArray.tracer(x));

/**
 * JVP: a while row over (carries, tangents of the inexact carries) whose body is jvp of the body
 * with respect to those carries and to the closed-over values that have tangents. Every inexact
 * carry gets a tangent (zeros where it had none): the body may make it vary.
 */
function jvpOfWhile(r: number): void {
  withSubs(r, (condH, bodyH, row) => {
    const tan = (x: number) => abi().jvp_tangent(x);
    const diff = row.carries.map((x) => isInexact(rowDtype(x)));
    const closedTans = row.bodyClosed.map(tan);
    if (row.carries.every((x, k) => !diff[k] || tan(x) < 0) && closedTans.every((t) => t < 0)) return; // nothing varies
    // (under linearize the tangents are linear: the row below is staged, linearize's jvpFn runs it,
    // and its transpose rule refuses reverse mode, as JAX's)
    const m = row.carries.length;
    const avals: Aval[] = row.carries.map((x) => ({ dtype: rowDtype(x), shape: rowShape(x) }));
    const idx = diff.flatMap((d, k) => (d ? [k] : []));
    const varying = closedTans.flatMap((t, j) => (t >= 0 ? [j] : []));
    const tInit = idx.map((k) => { const t = tan(row.carries[k]); return t >= 0 ? t : lax.full([...avals[k].shape], 0, avals[k].dtype)._rowIn(WHERE); });
    // (tracers of this trace made here, outside the new row's traces: a tracer belongs to the trace current when it is made)
    const condClosed = tracers(row.condClosed), bodyClosed = tracers(row.bodyClosed);
    const varyingTans = varying.map((j) => NDArray.tracer(closedTans[j]));
    const y = emitWhileRow(WHERE, [...avals, ...idx.map((k) => avals[k])], [...row.carries, ...tInit],
      (xs) => run(condH, [...xs.slice(0, m), ...condClosed])[0],
      (xs) => {
        const carries = xs.slice(0, m);
        // the body as a function of its inexact carries and its varying closed-over values (inexact outputs first)
        const g = (ds: NDArray[], vs: NDArray[]) => {
          const ins = carries.slice(), cl = bodyClosed.slice();
          idx.forEach((k, i) => { ins[k] = ds[i]; });
          varying.forEach((j, i) => { cl[j] = vs[i]; });
          const out = run(bodyH, [...ins, ...cl]);
          return [...idx.map((k) => out[k]), ...out.filter((_, k) => !diff[k])];
        };
        const [out, tout] = jvp(g, [idx.map((k) => carries[k]), varying.map((j) => bodyClosed[j])],
          [xs.slice(m), varyingTans]) as unknown as [NDArray[], NDArray[]];
        const next: NDArray[] = [];
        let a = 0, b = idx.length;
        diff.forEach((d) => { next.push(d ? out[a++] : out[b++]); });
        return [...next, ...tout.slice(0, idx.length)];
      });
    idx.forEach((k, i) => abi().jvp_set_tangent(r + 1 + k, y + 1 + m + i));
  });
}

const MAX_LIST = 4096; // assembly/ad/limits.ts: the batching rule's buffer holds that many rows, then as many flags

/**
 * Batching (vmap): the rule in wasm batched every carry along axis 0 and each closed-over value
 * along axis 0 or not at all; here the while row over the batch, whose cond is "any example's
 * predicate holds" and whose body steps every example and keeps the finished ones' carries
 * (JAX's batching rule when the predicate is batched).
 */
function batchWhile(r: number): void {
  const buf = abi().while_batch_rows() >>> 2;
  withSubs(r, (condH, bodyH, row) => {
    const m = memI32(), nops = abi().row_nops(r), n = row.n;
    const phys = Array.from(m.subarray(buf, buf + nops)), batched = Array.from(m.subarray(buf + MAX_LIST, buf + MAX_LIST + nops), (f) => f !== 0);
    const cc = row.condClosed.length;
    const condClosed = tracers(phys.slice(n, n + cc)), bodyClosed = tracers(phys.slice(n + cc));
    const condAxes = batched.slice(n, n + cc).map((b) => (b ? 0 : null)), bodyAxes = batched.slice(n + cc).map((b) => (b ? 0 : null));
    const carryAxes = Array.from({ length: n }, () => 0);
    const avals: Aval[] = phys.slice(0, n).map((x) => ({ dtype: rowDtype(x), shape: rowShape(x) }));
    const preds = (xs: NDArray[]) => vmap((...a: NDArray[]) => run(condH, a)[0], { inAxes: [...carryAxes, ...condAxes] })(...xs, ...condClosed) as NDArray;
    const y = emitWhileRow(WHERE, avals, phys.slice(0, n), (xs) => any(preds(xs)), (xs) => {
      const p = preds(xs);
      const next = vmap((...a: NDArray[]) => run(bodyH, a), { inAxes: [...carryAxes, ...bodyAxes], outAxes: 0 })(...xs, ...bodyClosed) as NDArray[];
      return next.map((x, k) => select(lax.reshape(p, [p.size, ...xs[k]._shape.slice(1).map(() => 1)]), x, xs[k]));
    });
    memI32()[buf] = y;
  });
}

// ---------------------------------------------------------------- scan

/**
 * Emit a scan row: carries `init` (rows of `carryAvals`), xs rows stacked along a leading axis
 * of `length` (their slices of `xAvals`), `body(carries, x slices) -> [carries, ys]` as a
 * function of Arrays. Returns the row and the ys' count (outputs: carries, then ys stacked); row -1
 * when the body returns nothing (a row needs an output).
 */
export function emitScanRow(where: string, carryAvals: readonly Aval[], xAvals: readonly Aval[], init: readonly number[],
  xs: readonly number[], length: number, reverse: boolean, body: (carries: NDArray[], xs: NDArray[]) => NDArray[], fuse = true): { row: number; ny: number } {
  const nc = carryAvals.length;
  let ny = 0;
  const b = traceSub(`${where}'s f`, [...carryAvals, ...xAvals], (ins) => {
    const out = body(ins.slice(0, nc), ins.slice(nc));
    ny = out.length - nc;
    return out;
  }, fuse);
  if (nc + ny === 0) return { row: -1, ny }; // (nothing to compute: the caller unrolls its no-op)
  return { row: emitScanWords(where, b.words, [...init, ...xs, ...b.closed], nc, xs.length, length, reverse), ny };
}

/** A scan row over a frozen body given as its block's words; operands: carries, xs, then the body's consts. */
function emitScanWords(where: string, words: Int32Array, operands: readonly number[], nc: number, nx: number, length: number, reverse: boolean): number {
  const params = [nc, nx, operands.length - nc - nx, length, reverse ? 1 : 0, words.length, ...words];
  return emit('scan', operands, params, () => `${where}: the loop as a row`);
}

/** Row r's params: counts, and its body as a frozen block's words. */
function readScan(r: number) {
  const e = abi(), np = e.row_nparams(r), base = e.row_params(r) >>> 2;
  const p = memI32().subarray(base, base + np);
  const [nc, nx, , length, reverse, bw] = p;
  const ops = Array.from({ length: e.row_nops(r) }, (_, i) => e.row_operand(r, i));
  return { nc, nx, length, reverse: reverse !== 0, ops, words: p.slice(6, 6 + bw) };
}

function withScanBody<T>(r: number, fn: (body: number, row: ReturnType<typeof readScan>) => T): T {
  const row = readScan(r);
  const h = load(row.words, SCAN);
  try { return fn(h, row); } finally { abi().tape_free(h); }
}

const SCAN = 'lax.scan';

const avalOfRow = (x: number, drop = 0): Aval => ({ dtype: rowDtype(x), shape: rowShape(x).slice(drop) });
const zerosOf = (a: Aval) => lax.full([...a.shape], 0, a.dtype);

/**
 * Sub-program `handle` (inputs of `avIn`) linearized with respect to its inputs `D`: one JVP
 * traced with placeholder tangents and split by the freeze vjp's linear programs use, into the
 * primal program, which also returns the residuals the linear part reads (after its outputs), and
 * the linear program (inputs: D's tangents, then the residuals) giving the tangents of outputs
 * `want` (zeros where they do not vary). JAX's partial evaluation of a jaxpr.
 */
function linearizeStep(where: string, handle: number, avIn: readonly Aval[], D: readonly number[], want: readonly number[],
  invariantInputs: readonly number[] = []): Split {
  return onAbstractTape(`${where}'s linearization`, () => {
    const inputs = avIn.map((a) => emit('input', [], [DTYPE_CODE[a.dtype], ...a.shape]));
    const start = tapeLength();
    const copies = inputs.map((x) => emit('copy', [x])); // (the JVP's inputs are rows of its range, as traceInputs makes them)
    const outs = run(handle, copies.map((x) => NDArray.tracer(x)), where).map((o) => o._rowIn(where));
    const end = tapeLength();
    const phs = D.map((k) => placeholderFor(avIn[k]));
    const lin = jvpRows(start, end, D.map((k) => copies[k]), phs, outs);
    const linOuts = want.map((o) => (lin[o] >= 0 ? lin[o] : zerosRow(avalOfRow(outs[o]))));
    const l = freezeRows(phs, linOuts, true);
    // Residuals that depend only on `invariantInputs` (a scan's closed-over values: its weights)
    // are the same at every step: computed once, outside the loop (JAX hoists them too), not
    // stacked per step.
    const varies = new Uint8Array(tapeLength());
    inputs.forEach((x, k) => { if (!invariantInputs.includes(k)) varies[x] = 1; });
    const e = abi();
    for (let r = 0; r < varies.length; r++) {
      for (let i = 0; i < e.row_nops(r) && !varies[r]; i++) if (varies[e.row_operand(r, i)]) varies[r] = 1;
    }
    const kept = l.residuals.map((x) => varies[x] === 1);
    const words = (h: number) => new Int32Array(memoryBuffer(), e.tape_block(h), e.tape_bytes(h) >>> 2).slice();
    const p = freezeRows(inputs, [...outs, ...l.residuals.filter((_, q) => kept[q])], false);
    const hoisted = l.residuals.filter((_, q) => !kept[q]);
    const inv = hoisted.length > 0 ? freezeRows(invariantInputs.map((k) => inputs[k]), hoisted, false) : null;
    const out: Split = {
      primal: words(p.handle), linear: words(l.handle), invariant: inv === null ? null : words(inv.handle),
      resAvals: l.residuals.map((x) => avalOfRow(x)), stacked: kept,
    };
    e.tape_free(p.handle); e.tape_free(l.handle);
    if (inv !== null) e.tape_free(inv.handle);
    return out;
  });
}

/**
 * A linearized step: the primal program (its outputs, then the residuals marked `stacked`), the
 * linear program (inputs: the tangents, then every residual in order), and the program computing
 * the other residuals from the invariant inputs alone (or null).
 */
interface Split { primal: Int32Array; linear: Int32Array; invariant: Int32Array | null; resAvals: Aval[]; stacked: boolean[] }

/**
 * JVP of a scan row (JAX's _scan_jvp and, under linearize, _scan_partial_eval). Differentiated:
 * every inexact carry (the body may make a carry vary even where its initial tangent is zero)
 * and the xs and closed-over values that have tangents.
 * - Forward mode: one scan row over (carries, tangents) whose body is jvp of the body.
 * - Linearize (the tangents are linear, staged for a transpose): a primal scan row that also
 *   stacks each step's residuals, and a linear scan row of the step's linear map over the
 *   tangents and those residuals, staged; its transpose rule (below) is a reverse scan.
 */
function jvpOfScan(r: number): void {
  withScanBody(r, (body, row) => {
    const { nc, nx, ops } = row;
    const ny = abi().row_nout(r) - nc;
    const tans = ops.map((x) => abi().jvp_tangent(x));
    const inexact = ops.map((x) => isInexact(rowDtype(x)));
    if (!ops.some((_, k) => inexact[k] && tans[k] >= 0)) return; // nothing varies
    const D = ops.flatMap((_, k) => ((k < nc ? inexact[k] : inexact[k] && tans[k] >= 0) ? [k] : []));
    const Dc = D.filter((k) => k < nc), Dx = D.filter((k) => k >= nc && k < nc + nx), Dk = D.filter((k) => k >= nc + nx);
    const yIdx = Array.from({ length: ny }, (_, j) => j).filter((j) => isInexact(rowDtype(r + 1 + nc + j)));
    const tanOf = (k: number) => (tans[k] >= 0 ? tans[k] : zerosOf(avalOfRow(ops[k]))._rowIn(SCAN));
    const tcInit = Dc.map(tanOf);
    const linear = D.some((k) => tans[k] >= 0 && (rowFlags(tans[k]) & LINEAR) !== 0);
    // (tracers of this trace made here, outside the new rows' traces)
    const consts = tracers(ops.slice(nc + nx)), tk = tracers(Dk.map((k) => tans[k]));
    if (!linear) {
      const { row: y } = emitScanRow(SCAN, [...ops.slice(0, nc), ...Dc.map((k) => ops[k])].map((x) => avalOfRow(x)),
        [...ops.slice(nc, nc + nx), ...Dx.map((k) => ops[k])].map((x) => avalOfRow(x, 1)), [...ops.slice(0, nc), ...tcInit],
        [...ops.slice(nc, nc + nx), ...Dx.map((k) => tans[k])], row.length, row.reverse, (cs, xs) => {
          const pt = [...cs.slice(0, nc), ...xs.slice(0, nx), ...consts];
          const g = (ds: NDArray[]) => { const ins = pt.slice(); D.forEach((k, i) => { ins[k] = ds[i]; }); return run(body, ins, SCAN); };
          const [out, tout] = jvp(g, [D.map((k) => pt[k])], [[...cs.slice(nc), ...xs.slice(nx), ...tk]]) as unknown as [NDArray[], NDArray[]];
          return [...out.slice(0, nc), ...Dc.map((k) => tout[k]), ...out.slice(nc), ...yIdx.map((j) => tout[nc + j])];
        });
      Dc.forEach((k, i) => abi().jvp_set_tangent(r + 1 + k, y + 1 + nc + i));
      yIdx.forEach((j, i) => abi().jvp_set_tangent(r + 1 + nc + j, y + 1 + nc + Dc.length + ny + i));
      return;
    }
    // Linearize: one step's JVP traced with placeholder tangents, split into the primal step
    // (which also returns the residuals the linear part reads) and the linear step.
    const avIn = ops.map((x, k) => avalOfRow(x, k >= nc && k < nc + nx ? 1 : 0));
    const constIdx = ops.map((_, k) => k).filter((k) => k >= nc + nx);
    const split = linearizeStep(SCAN, body, avIn, D, [...Dc, ...yIdx.map((j) => nc + j)], constIdx);
    const nres = split.stacked.filter(Boolean).length;
    const pRow = emitScanWords(SCAN, split.primal, ops, nc, nx, row.length, row.reverse);
    const stackedRows = Array.from({ length: nres }, (_, q) => pRow + 1 + nc + ny + q);
    // the loop-invariant residuals, computed once from the consts
    let hoisted: NDArray[] = [];
    if (split.invariant !== null) {
      const ih = load(split.invariant, SCAN);
      try { hoisted = run(ih, consts, SCAN); } finally { abi().tape_free(ih); }
    }
    const lh = load(split.linear, SCAN);
    try {
      const stackedAvals = split.resAvals.filter((_, q) => split.stacked[q]);
      const { row: lr } = emitScanRow(SCAN, Dc.map((k) => avalOfRow(ops[k])), [...Dx.map((k) => avalOfRow(ops[k], 1)), ...stackedAvals],
        tcInit, [...Dx.map((k) => tans[k]), ...stackedRows], row.length, row.reverse, (cs, xs) => {
          const perStep = xs.slice(Dx.length);
          let a = 0, b = 0;
          const res = split.stacked.map((st) => (st ? perStep[a++] : hoisted[b++]));
          return run(lh, [...cs, ...xs.slice(0, Dx.length), ...tk, ...res], SCAN);
        }, false);
      Dc.forEach((k, i) => abi().jvp_set_tangent(r + 1 + k, lr + 1 + i));
      yIdx.forEach((j, i) => abi().jvp_set_tangent(r + 1 + nc + j, lr + 1 + Dc.length + i));
    } finally { abi().tape_free(lh); }
  });
}

/**
 * The transpose of the linear map `step` (of lists of inputs of `avals`) applied to cotangents
 * `cts` of its outputs: its rows emitted on placeholders, so they are linear, then transposed
 * directly (not linearized again: a custom_linear row, a customVjp's, is linear but has no JVP,
 * and its transpose is its bwd). Zeros for inputs that no output reads.
 */
function transposeLinear(step: (...lists: NDArray[][]) => NDArray[], avals: readonly (readonly Aval[])[], cts: readonly NDArray[]): NDArray[][] {
  const phs = avals.map((list) => list.map((a) => placeholderFor(a)));
  const outs = step(...phs.map((list) => list.map((x) => NDArray.tracer(x)))).map((o) => o._rowIn(SCAN));
  const lin = outs.map((o) => ((rowFlags(o) & LINEAR) !== 0 ? o : -1)); // (an output no input reaches is a constant: no cotangent flows)
  const got = transposeRows(lin, cts.map((c) => c._rowIn(SCAN)), phs.flat());
  let k = 0;
  return avals.map((list) => list.map((a) => { const c = got[k++]; return c >= 0 ? NDArray.tracer(c) : zerosOf(a); }));
}

/**
 * Transpose of a linear scan row (JAX's _scan_transpose): a scan in the other direction whose
 * carries are the carries' cotangents and an accumulator per linear closed-over value, and whose
 * xs are the ys' cotangents and the row's non-linear xs (residuals); each step is the vjp of the
 * linear step. Cotangents go to the linear operands: initial carries, xs, closed-over values.
 */
function transposeScan(r: number): void {
  withScanBody(r, (body, row) => {
    const { nc, nx, ops } = row;
    const ny = abi().row_nout(r) - nc;
    const isLin = ops.map((x) => (rowFlags(x) & LINEAR) !== 0);
    const Lx = ops.flatMap((_, k) => (k >= nc && k < nc + nx && isLin[k] ? [k] : [])), Nx = ops.flatMap((_, k) => (k >= nc && k < nc + nx && !isLin[k] ? [k] : []));
    const Lk = ops.flatMap((_, k) => (k >= nc + nx && isLin[k] ? [k] : [])), Nk = ops.flatMap((_, k) => (k >= nc + nx && !isLin[k] ? [k] : []));
    const outAval = (k: number) => avalOfRow(r + 1 + k);
    const ctOf = (k: number) => { const c = abi().transpose_cotangent(r + 1 + k); return c >= 0 ? c : zerosOf(outAval(k))._rowIn(SCAN); };
    const nonLinConsts = tracers(Nk.map((k) => ops[k]));
    // (read here: inside the step's trace the current tape is another, whose rows these ids are not)
    const lxAvals = Lx.map((k) => avalOfRow(ops[k], 1)), lkAvals = Lk.map((k) => avalOfRow(ops[k]));
    const { row: t } = emitScanRow(SCAN, [...Array.from({ length: nc }, (_, k) => outAval(k)), ...lkAvals],
      [...Array.from({ length: ny }, (_, j) => outAval(nc + j)).map((a) => ({ dtype: a.dtype, shape: a.shape.slice(1) })), ...Nx.map((k) => avalOfRow(ops[k], 1))],
      [...Array.from({ length: nc }, (_, k) => ctOf(k)), ...lkAvals.map((a) => zerosOf(a)._rowIn(SCAN))],
      [...Array.from({ length: ny }, (_, j) => ctOf(nc + j)), ...Nx.map((k) => ops[k])], row.length, !row.reverse, (cs, xs) => {
        const ctc = cs.slice(0, nc), acc = cs.slice(nc), cty = xs.slice(0, ny), res = xs.slice(ny);
        // the linear step as a function of its linear inputs (carries, linear xs, linear consts)
        const step = (tc: NDArray[], txl: NDArray[], tkl: NDArray[]) => {
          const ins: NDArray[] = [...tc];
          for (let k = nc; k < nc + nx; k++) ins.push(isLin[k] ? txl[Lx.indexOf(k)] : res[Nx.indexOf(k)]);
          for (let k = nc + nx; k < ops.length; k++) ins.push(isLin[k] ? tkl[Lk.indexOf(k)] : nonLinConsts[Nk.indexOf(k)]);
          return run(body, ins, SCAN);
        };
        const [dc, dx, dk] = transposeLinear(step, [ctc.map(avalOf), lxAvals, lkAvals], [...ctc, ...cty]);
        return [...dc, ...acc.map((a, i) => lax.add(a, dk[i])), ...dx];
      });
    for (let k = 0; k < nc; k++) if (isLin[k]) abi().transpose_accumulate(ops[k], t + 1 + k);
    Lk.forEach((k, i) => abi().transpose_accumulate(ops[k], t + 1 + nc + i));
    Lx.forEach((k, i) => abi().transpose_accumulate(ops[k], t + 1 + nc + Lk.length + i));
  });
}

/** Batching: a scan row of the body vmapped over axis 0 of the carries and of each step's x slice (axis 1 of xs). */
function batchScan(r: number): void {
  const buf = abi().while_batch_rows() >>> 2;
  withScanBody(r, (body, row) => {
    const m = memI32(), nops = row.ops.length, { nc, nx } = row;
    const phys = Array.from(m.subarray(buf, buf + nops)), batched = Array.from(m.subarray(buf + MAX_LIST, buf + MAX_LIST + nops), (f) => f !== 0);
    const consts = tracers(phys.slice(nc + nx));
    const constAxes = batched.slice(nc + nx).map((b) => (b ? 0 : null));
    const avals = (rows: number[], drop: number): Aval[] => rows.map((x) => ({ dtype: rowDtype(x), shape: rowShape(x).slice(drop) }));
    const { row: y } = emitScanRow(SCAN, avals(phys.slice(0, nc), 0), avals(phys.slice(nc, nc + nx), 1), phys.slice(0, nc), phys.slice(nc, nc + nx),
      row.length, row.reverse, (cs, xs) => {
        const axes = [...cs.map(() => 0), ...xs.map(() => 0), ...constAxes];
        return vmap((...a: NDArray[]) => run(body, a, SCAN), { inAxes: axes, outAxes: 0 })(...cs, ...xs, ...consts) as NDArray[];
      });
    memI32()[buf] = y;
  });
}

// ---------------------------------------------------------------- cond

const COND = 'lax.cond';

/**
 * Emit a cond row: branch clamp(index, 0, n - 1) of `branches` (functions of Arrays of `argAvals`,
 * all returning one list of types) on the rows `args`; `index` an int32[] row. Returns the row.
 */
export function emitCondRow(where: string, index: number, argAvals: readonly Aval[], args: readonly number[],
  branches: readonly ((xs: NDArray[]) => NDArray[])[], fuse = true, op: 'cond' | 'checkpoint' = 'cond'): number {
  const subs = branches.map((f, b) => traceSub(op === 'cond' ? `${where}'s branch ${b}` : `${where}'s function`, argAvals, f, fuse));
  const params = [subs.length, args.length, ...subs.map((t) => t.closed.length), ...subs.map((t) => t.words.length), ...subs.flatMap((t) => Array.from(t.words))];
  return emit(op, [index, ...args, ...subs.flatMap((t) => t.closed)], params, () => `${where}: the ${op === 'cond' ? 'branches' : 'function'} as a row`);
}

// ---------------------------------------------------------------- checkpoint

/**
 * jax.checkpoint under jit: f as a checkpoint row (a cond row of one branch). Only its inputs
 * are kept for the backward pass: its JVP rule under linearize stages a linear cond over the
 * tangents and f's inputs whose branch recomputes f and differentiates it, so the transpose
 * recomputes f's intermediates instead of reading them (JAX's remat). `statics`: arguments that
 * pass through to f as they are. Returns null when f returns no Array (nothing to checkpoint).
 */
export function checkpointAsRow(where: string, f: (...a: any[]) => unknown, args: unknown[], statics: ReadonlySet<number>): unknown {
  const dyn = args.map((a, i) => (statics.has(i) ? null : flatten(a as TreeLike)));
  const leaves: NDArray[] = [];
  dyn.forEach((d, i) => d?.[0].forEach((l, k) => {
    if (l instanceof NDArray) { leaves.push(l); return; }
    if (typeof l === 'number' || typeof l === 'boolean') { leaves.push(asarrayHint(l as never, undefined, where)); return; }
    throw new DTypeError(`${where}: argument ${i}${leafPath(d[1], k)} is ${typeof l}, not an Array or a number; mark it static (staticArgnums: ${i})`);
  }));
  let outDef: TreeDef | null = null;
  let empty = false;
  const r = emitCondRow(where, lax.full([], 0, 'int32')._rowIn(where), leaves.map(avalOf), leaves.map((x) => x._rowIn(where)), [(xs) => {
    let q = 0;
    const rebuilt = args.map((a, i) => { const d = dyn[i]; return d === null ? a : unflatten(d[1], d[0].map(() => xs[q++])); });
    const [ol, od] = flatten(f(...rebuilt) as TreeLike);
    outDef = od;
    if (ol.length === 0) { empty = true; return [lax.full([], 0, 'float32')]; } // (a row needs an output: this one is dropped)
    return ol.map((l, k) => {
      if (l instanceof NDArray) return l;
      if (typeof l === 'number' || typeof l === 'boolean') return asarrayHint(l as never, undefined, where);
      throw new DTypeError(`${where}: the function returned ${typeof l} at output${leafPath(od, k)}, not an Array or a number`);
    });
  }], true, 'checkpoint');
  if (empty) return unflatten(outDef!, []);
  return unflatten(outDef!, Array.from({ length: abi().row_nout(r) }, (_, k) => NDArray.tracer(r + 1 + k)));
}

/**
 * JVP of a checkpoint row: forward, as a cond's; under linearize, one linear cond over (tangents,
 * f's inputs) whose branch runs jvp of f, so nothing of f but its inputs is a residual.
 */
function jvpOfCheckpoint(r: number): void {
  const tan = (x: number) => abi().jvp_tangent(x);
  const ops = Array.from({ length: abi().row_nops(r) }, (_, i) => abi().row_operand(r, i));
  if (!ops.some((x) => tan(x) >= 0 && (rowFlags(tan(x)) & LINEAR) !== 0)) return jvpOfCond(r);
  withBranches(r, (hs, row) => {
    const h = hs[0], br = row.branches[0];
    const m = abi().row_nout(r);
    const Da = row.args.flatMap((x, k) => (isInexact(rowDtype(x)) && tan(x) >= 0 ? [k] : []));
    const Dk = br.consts.flatMap((x, j) => (isInexact(rowDtype(x)) && tan(x) >= 0 ? [j] : []));
    const outIdx = Array.from({ length: m }, (_, k) => k).filter((k) => isInexact(rowDtype(r + 1 + k)));
    const argAvals = row.args.map((x) => avalOfRow(x));
    const ta = Da.map((k) => tan(row.args[k]));
    const consts = tracers(br.consts), tk = tracers(Dk.map((j) => tan(br.consts[j])));
    const lin = emitCondRow(CHECKPOINT, row.index, [...Da.map((k) => argAvals[k]), ...argAvals], [...ta, ...row.args], [(xs) => {
      const t = xs.slice(0, Da.length), a = xs.slice(Da.length);
      const g = (ds: NDArray[], vs: NDArray[]) => {
        const ins = a.slice(), cs = consts.slice();
        Da.forEach((k, i) => { ins[k] = ds[i]; });
        Dk.forEach((j, i) => { cs[j] = vs[i]; });
        return run(h, [...ins, ...cs], CHECKPOINT);
      };
      const [, tout] = jvp(g, [Da.map((k) => a[k]), Dk.map((j) => consts[j])], [t, tk]) as unknown as [NDArray[], NDArray[]];
      return outIdx.map((k) => tout[k]);
    }], false);
    outIdx.forEach((k, i) => abi().jvp_set_tangent(r + 1 + k, lin + 1 + i));
  });
}

const CHECKPOINT = 'checkpoint';

/** Row r's params: counts, each branch's words and its consts (operand rows). */
function readCond(r: number) {
  const e = abi(), np = e.row_nparams(r), base = e.row_params(r) >>> 2;
  const p = memI32().subarray(base, base + np);
  const nb = p[0], na = p[1];
  const ops = Array.from({ length: e.row_nops(r) }, (_, i) => e.row_operand(r, i));
  const branches: { words: Int32Array; consts: number[] }[] = [];
  let w = 2 + 2 * nb, c = 1 + na;
  for (let b = 0; b < nb; b++) {
    branches.push({ words: p.slice(w, w + p[2 + nb + b]), consts: ops.slice(c, c + p[2 + b]) });
    w += p[2 + nb + b]; c += p[2 + b];
  }
  return { nb, na, index: ops[0], args: ops.slice(1, 1 + na), branches };
}

function withBranches<T>(r: number, fn: (handles: number[], row: ReturnType<typeof readCond>) => T): T {
  const row = readCond(r);
  const handles: number[] = [];
  try {
    for (const b of row.branches) handles.push(load(b.words, COND));
    return fn(handles, row);
  } finally { for (const h of handles) abi().tape_free(h); }
}

/**
 * JVP of a cond row (JAX's _cond_jvp and _cond_partial_eval): forward, a cond row over
 * (operands, tangents) whose branches are jvp of the branches; under linearize, a primal cond
 * whose branches also return their residuals (each in its own slots, zeros in the others') and
 * a staged linear cond over the tangents and those slots, whose transpose is a cond of vjps.
 */
function jvpOfCond(r: number): void {
  withBranches(r, (hs, row) => {
    const { na } = row;
    const m = abi().row_nout(r);
    const tan = (x: number) => abi().jvp_tangent(x);
    const argAvals = row.args.map((x) => avalOfRow(x));
    const Da = row.args.flatMap((x, k) => (isInexact(rowDtype(x)) && tan(x) >= 0 ? [k] : []));
    const Dk = row.branches.map((b) => b.consts.flatMap((x, j) => (isInexact(rowDtype(x)) && tan(x) >= 0 ? [j] : [])));
    if (Da.length === 0 && Dk.every((d) => d.length === 0)) return;
    const outIdx = Array.from({ length: m }, (_, k) => k).filter((k) => isInexact(rowDtype(r + 1 + k)));
    const ta = Da.map((k) => tan(row.args[k]));
    const linear = [...ta, ...row.branches.flatMap((b, i) => Dk[i].map((j) => tan(b.consts[j])))].some((t) => (rowFlags(t) & LINEAR) !== 0);
    const consts = row.branches.map((b) => tracers(b.consts));
    const tk = row.branches.map((b, i) => tracers(Dk[i].map((j) => tan(b.consts[j]))));
    if (!linear) {
      const y = emitCondRow(COND, row.index, [...argAvals, ...Da.map((k) => argAvals[k])], [...row.args, ...ta], hs.map((h, b) => (xs: NDArray[]) => {
        const a = xs.slice(0, na);
        const g = (ds: NDArray[], vs: NDArray[]) => {
          const ins = a.slice(), cs = consts[b].slice();
          Da.forEach((k, i) => { ins[k] = ds[i]; });
          Dk[b].forEach((j, i) => { cs[j] = vs[i]; });
          return run(h, [...ins, ...cs], COND);
        };
        const [out, tout] = jvp(g, [Da.map((k) => a[k]), Dk[b].map((j) => consts[b][j])], [xs.slice(na), tk[b]]) as unknown as [NDArray[], NDArray[]];
        return [...out, ...outIdx.map((k) => tout[k])];
      }));
      outIdx.forEach((k, i) => abi().jvp_set_tangent(r + 1 + k, y + 1 + m + i));
      return;
    }
    // Linearize each branch with respect to the operands with tangents and its consts with tangents.
    const splits = hs.map((h, b) => linearizeStep(COND, h, [...argAvals, ...row.branches[b].consts.map((x) => avalOfRow(x))],
      [...Da, ...Dk[b].map((j) => na + j)], outIdx));
    // branch b's residuals go to its own slots; those computed from constants alone, once, outside
    const slots = splits.map((sp) => sp.resAvals.filter((_, q) => sp.stacked[q]));
    const hoisted = splits.map((sp) => {
      if (sp.invariant === null) return [];
      const ih = load(sp.invariant, COND);
      try { return run(ih, [], COND); } finally { abi().tape_free(ih); }
    });
    const pHandles = splits.map((sp) => load(sp.primal, COND));
    try {
      const p = emitCondRow(COND, row.index, argAvals, row.args, pHandles.map((ph, b) => (xs: NDArray[]) => {
        const out = run(ph, [...xs, ...consts[b]], COND);
        const res = out.slice(m);
        return [...out.slice(0, m), ...slots.flatMap((sl, i) => (i === b ? res : sl.map(zerosOf)))];
      }));
      const resRows = slots.flatMap((sl) => sl).map((_, q) => p + 1 + m + q);
      const resAvals = slots.flat();
      const lHandles = splits.map((sp) => load(sp.linear, COND));
      try {
        let at = 0;
        const offsets = slots.map((sl) => { const o = at; at += sl.length; return o; });
        const lin = emitCondRow(COND, row.index, [...Da.map((k) => argAvals[k]), ...resAvals], [...ta, ...resRows], lHandles.map((lh, b) => (xs: NDArray[]) => {
          const t = xs.slice(0, Da.length), mine = xs.slice(Da.length).slice(offsets[b], offsets[b] + slots[b].length);
          let a = 0, h = 0;
          const res = splits[b].stacked.map((st) => (st ? mine[a++] : hoisted[b][h++]));
          return run(lh, [...t, ...tk[b], ...res], COND);
        }), false);
        outIdx.forEach((k, i) => abi().jvp_set_tangent(r + 1 + k, lin + 1 + i));
      } finally { for (const h of lHandles) abi().tape_free(h); }
    } finally { for (const h of pHandles) abi().tape_free(h); }
  });
}

/**
 * Transpose of a linear cond row (JAX's _cond_transpose): a cond of the branches' vjps, run on the
 * outputs' cotangents and the row's non-linear operands (residuals); its outputs are the
 * cotangents of the linear operands, then of each branch's linear consts (zeros from the others).
 */
function transposeCond(r: number): void {
  withBranches(r, (hs, row) => {
    const { na } = row;
    const m = abi().row_nout(r);
    const isLin = (x: number) => (rowFlags(x) & LINEAR) !== 0;
    const La = row.args.flatMap((x, k) => (isLin(x) ? [k] : [])), Na = row.args.flatMap((x, k) => (isLin(x) ? [] : [k]));
    const Lk = row.branches.map((b) => b.consts.flatMap((x, j) => (isLin(x) ? [j] : [])));
    const outAvals = Array.from({ length: m }, (_, k) => avalOfRow(r + 1 + k));
    const laAvals = La.map((k) => avalOfRow(row.args[k])), naAvals = Na.map((k) => avalOfRow(row.args[k]));
    const lkAvals = row.branches.map((b, i) => Lk[i].map((j) => avalOfRow(b.consts[j])));
    const nonLin = row.branches.map((b) => tracers(b.consts));
    const cts = Array.from({ length: m }, (_, k) => { const c = abi().transpose_cotangent(r + 1 + k); return c >= 0 ? c : zerosOf(outAvals[k])._rowIn(COND); });
    const t = emitCondRow(COND, row.index, [...outAvals, ...naAvals], [...cts, ...Na.map((k) => row.args[k])], hs.map((h, b) => (xs: NDArray[]) => {
      const ct = xs.slice(0, m), nl = xs.slice(m);
      const step = (tl: NDArray[], kl: NDArray[]) => {
        const ins: NDArray[] = [];
        for (let k = 0; k < na; k++) ins.push(La.includes(k) ? tl[La.indexOf(k)] : nl[Na.indexOf(k)]);
        const cs = nonLin[b].slice();
        Lk[b].forEach((j, i) => { cs[j] = kl[i]; });
        return run(h, [...ins, ...cs], COND);
      };
      const [da, dk] = transposeLinear(step, [laAvals, lkAvals[b]], ct);
      return [...da, ...lkAvals.flatMap((avs, i) => (i === b ? dk : avs.map(zerosOf)))];
    }));
    La.forEach((k, i) => abi().transpose_accumulate(row.args[k], t + 1 + i));
    let q = La.length;
    row.branches.forEach((br, i) => Lk[i].forEach((j) => abi().transpose_accumulate(br.consts[j], t + 1 + q++)));
  });
}

/** Batching: a batched index runs every branch (vmapped) and selects, as JAX; else a cond row of the vmapped branches. */
function batchCond(r: number): void {
  const buf = abi().while_batch_rows() >>> 2;
  withBranches(r, (hs, row) => {
    const m0 = memI32(), nops = abi().row_nops(r), { na } = row;
    const phys = Array.from(m0.subarray(buf, buf + nops)), batched = Array.from(m0.subarray(buf + MAX_LIST, buf + MAX_LIST + nops), (f) => f !== 0);
    const m = abi().row_nout(r);
    const argAxes = batched.slice(1, 1 + na).map((b) => (b ? 0 : null));
    const batchSize = rowShape(phys[batched.indexOf(true)])[0]; // (some operand is batched: the rule runs for a view)
    let c = 1 + na;
    const consts = row.branches.map((br) => { const rows = phys.slice(c, c + br.consts.length), axes = batched.slice(c, c + br.consts.length).map((b) => (b ? 0 : null)); c += br.consts.length; return { t: tracers(rows), axes }; });
    const vb = (b: number) => (...a: NDArray[]) => {
      const axes = [...argAxes, ...consts[b].axes];
      if (axes.every((x) => x === null)) { // only the index varies: each branch once, its outputs broadcast over the batch
        return run(hs[b], [...a, ...consts[b].t], COND).map((o) => lax.broadcastInDim(o, [batchSize, ...o._shape], o._shape.map((_, i) => i + 1)));
      }
      return vmap((...x: NDArray[]) => run(hs[b], x, COND), { inAxes: axes, outAxes: 0 })(...a, ...consts[b].t) as NDArray[];
    };
    const args = tracers(phys.slice(1, 1 + na));
    let outs: number[];
    if (batched[0]) {
      const idx = NDArray.tracer(phys[0]);
      const nb = hs.length;
      const full = (v: number) => lax.full([...idx._shape], v, 'int32');
      const clamped = lax.min(lax.max(idx, full(0)), full(nb - 1));
      const all = hs.map((_, b) => vb(b)(...args));
      outs = all[0].map((_, k) => {
        let acc = all[nb - 1][k];
        for (let b = nb - 2; b >= 0; b--) {
          const p = lax.reshape(lax.eq(clamped, full(b)), [clamped.size, ...acc._shape.slice(1).map(() => 1)]);
          acc = select(p, all[b][k], acc);
        }
        return acc._rowIn(COND);
      });
    } else {
      const argAvals = phys.slice(1, 1 + na).map((x) => avalOfRow(x));
      const y = emitCondRow(COND, phys[0], argAvals, phys.slice(1, 1 + na), hs.map((_, b) => (xs: NDArray[]) => vb(b)(...xs)));
      outs = Array.from({ length: m }, (_, k) => y + 1 + k);
    }
    const w = memI32();
    outs.forEach((o, k) => { w[buf + k] = o; });
  });
}

/** A staged while row reached by a transpose: reverse mode, which JAX refuses too. */
function transposeWhile(): never {
  throw new NotImplementedError(`${WHERE}: reverse-mode differentiation (grad, vjp, jacrev, hessian) of a while loop traced under jit is not ` +
    'defined, as in JAX ("Reverse-mode differentiation does not work for lax.while_loop"): its trip count is known only when it runs. ' +
    'Use jvp, jacfwd or linearize, lax.scan or lax.foriLoop with a JS-number trip count, or call grad outside jit ' +
    '(eagerly the loop runs step by step and grad walks its steps)');
}

export function installControlRules(): void {
  setControlRuleHandler((kind, r) => {
    if (kind === 2) return jvpOfWhile(r);
    if (kind === 3) return batchWhile(r);
    if (kind === 4) return jvpOfScan(r);
    if (kind === 5) return batchScan(r);
    if (kind === 6) return transposeScan(r);
    if (kind === 7) return transposeWhile();
    if (kind === 8) return jvpOfCond(r);
    if (kind === 9) return transposeCond(r);
    if (kind === 10) return batchCond(r);
    if (kind === 11) return jvpOfCheckpoint(r);
    throw new InternalError(`${WHERE}: no rule of kind ${kind} for row ${r} (${describeRow(r)})`);
  });
}
