// Loops as single rows of the program (assembly/ad/rules/control.ts): JAX's while_loop and scan
// primitives. Under jit, lax_control.ts traces a loop's body (and a while loop's cond) once,
// abstractly, into frozen tapes that the row carries in its params, and wasm runs the steps with
// no JS per step. With concrete values the loops still run in JS, step by step on the tape.
//
// The rows' derivative rules are here, called back from wasm (env.custom_rule):
// - while: its JVP is a while row over (carries, tangents) whose body is jvp of the body (JAX's
//   _while_loop_jvp), staged under linearize; its transpose refuses reverse mode, as JAX does. Its batching rule runs until every
//   example's predicate is false, keeping finished carries by a select (JAX's batching rule).
// - scan: its JVP is a scan row over (carries, tangents); under linearize, a primal scan row that
//   stacks each step's residuals and a staged linear scan row, whose transpose is a scan in the
//   other direction (JAX's _scan_jvp, _scan_partial_eval, _scan_transpose); its batching rule is
//   a scan of the vmapped body, xs and ys batched along axis 1.
import { NDArray } from './array.js';
import { asarrayHint, where as select } from './numpy.js';
import { jvp } from './transforms/jvp.js';
import { vjp } from './transforms/vjp.js';
import { placeholderFor, zerosRow } from './transforms/trace_args.js';
import { vmap } from './transforms/vmap.js';
import { any } from './np_reductions.js';
import {
  emit, onAbstractTape, jitContext, freezeRows, inlineRows, jvpRows, tapeLength, rowShape, rowDtype, rowFlags, LINEAR, describeRow,
} from '../core/trace.js';
import { abi, memI32, memoryBuffer } from '../core/abi.js';
import { DTYPE_CODE, DType, isInexact } from '../core/dtype.js';
import { setWhileRuleHandler } from '../core/custom_calls.js';
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
function traceSub(where: string, avals: readonly Aval[], fn: (xs: NDArray[]) => NDArray[]): Sub {
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
    for (const pass of [e.optimize_tape, e.fuse_tape]) {
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
 * a JS number or boolean is weakly typed (int32 for an integer, float32 otherwise, bool). The
 * body calls `promote` on its new carries: a weak number leaf the body returns with another dtype
 * takes that dtype, as JAX promotes weak-typed carries (result_type of the weak value and the
 * body's dtype: an integer takes any, a fraction only an inexact one, so 0.5 beside an int32
 * body stays float32 and the body's type is an error), and the trace starts again, once.
 */
export function withCarryTypes<T>(leaves: readonly unknown[], emitWith: (avals: Aval[], promote: (out: readonly NDArray[]) => void) => T): T {
  let avals: Aval[] = leaves.map((l) => (l instanceof NDArray ? avalOf(l)
    : { dtype: typeof l === 'boolean' ? 'bool' : Number.isInteger(l) ? 'int32' : 'float32', shape: [] }));
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
  xs: readonly number[], length: number, reverse: boolean, body: (carries: NDArray[], xs: NDArray[]) => NDArray[]): { row: number; ny: number } {
  const nc = carryAvals.length;
  let ny = 0;
  const b = traceSub(`${where}'s f`, [...carryAvals, ...xAvals], (ins) => {
    const out = body(ins.slice(0, nc), ins.slice(nc));
    ny = out.length - nc;
    return out;
  });
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
    const split = onAbstractTape(`${SCAN}'s linearization`, () => {
      const inputs = avIn.map((a) => emit('input', [], [DTYPE_CODE[a.dtype], ...a.shape]));
      const start = tapeLength();
      const copies = inputs.map((x) => emit('copy', [x])); // (the JVP's inputs are rows of its range, as traceInputs makes them)
      const outs = run(body, copies.map((x) => NDArray.tracer(x)), SCAN).map((o) => o._rowIn(SCAN));
      const end = tapeLength();
      const phs = D.map((k) => placeholderFor(avIn[k]));
      const lin = jvpRows(start, end, D.map((k) => copies[k]), phs, outs);
      const linOuts = [...Dc, ...yIdx.map((j) => nc + j)].map((o) => (lin[o] >= 0 ? lin[o] : zerosRow(avalOfRow(outs[o]))));
      const l = freezeRows(phs, linOuts, true);
      const p = freezeRows(inputs, [...outs, ...l.residuals], false);
      const e = abi();
      const words = (h: number) => new Int32Array(memoryBuffer(), e.tape_block(h), e.tape_bytes(h) >>> 2).slice();
      const out = { primal: words(p.handle), linear: words(l.handle), resAvals: l.residuals.map((x) => avalOfRow(x)) };
      e.tape_free(p.handle); e.tape_free(l.handle);
      return out;
    });
    const nres = split.resAvals.length;
    const pRow = emitScanWords(SCAN, split.primal, ops, nc, nx, row.length, row.reverse);
    const res = Array.from({ length: nres }, (_, q) => pRow + 1 + nc + ny + q);
    const lh = load(split.linear, SCAN);
    try {
      const { row: lr } = emitScanRow(SCAN, Dc.map((k) => avalOfRow(ops[k])), [...Dx.map((k) => avalOfRow(ops[k], 1)), ...split.resAvals],
        tcInit, [...Dx.map((k) => tans[k]), ...res], row.length, row.reverse,
        (cs, xs) => run(lh, [...cs, ...xs.slice(0, Dx.length), ...tk, ...xs.slice(Dx.length)], SCAN));
      Dc.forEach((k, i) => abi().jvp_set_tangent(r + 1 + k, lr + 1 + i));
      yIdx.forEach((j, i) => abi().jvp_set_tangent(r + 1 + nc + j, lr + 1 + Dc.length + i));
    } finally { abi().tape_free(lh); }
  });
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
        const zerosLike = (x: NDArray) => lax.full([...x._shape], 0, x.dtype);
        const [, pull] = vjp(step, ctc.map(zerosLike), lxAvals.map(zerosOf), lkAvals.map(zerosOf)) as unknown as
          [unknown, (ct: NDArray[]) => [NDArray[], NDArray[], NDArray[]]];
        const [dc, dx, dk] = pull([...ctc, ...cty]);
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

/** A staged while row reached by a transpose: reverse mode, which JAX refuses too. */
function transposeWhile(): never {
  throw new NotImplementedError(`${WHERE}: reverse-mode differentiation (grad, vjp, jacrev, hessian) of a while loop traced under jit is not ` +
    'defined, as in JAX ("Reverse-mode differentiation does not work for lax.while_loop"): its trip count is known only when it runs. ' +
    'Use jvp, jacfwd or linearize, lax.scan or lax.foriLoop with a JS-number trip count, or call grad outside jit ' +
    '(eagerly the loop runs step by step and grad walks its steps)');
}

export function installWhileRules(): void {
  setWhileRuleHandler((kind, r) => {
    if (kind === 2) return jvpOfWhile(r);
    if (kind === 3) return batchWhile(r);
    if (kind === 4) return jvpOfScan(r);
    if (kind === 5) return batchScan(r);
    if (kind === 6) return transposeScan(r);
    if (kind === 7) return transposeWhile();
    throw new InternalError(`${WHERE}: no rule of kind ${kind} for row ${r} (${describeRow(r)})`);
  });
}
