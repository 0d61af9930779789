// Loops as single rows of the program (assembly/ad/rules/control.ts): JAX's while_loop and scan
// primitives. Under jit, lax_control.ts traces a loop's body (and a while loop's cond) once,
// abstractly, into frozen tapes that the row carries in its params, and wasm runs the steps with
// no JS per step. With concrete values the loops still run in JS, step by step on the tape.
//
// The rows' derivative rules are here, called back from wasm (env.custom_rule):
// - while: its JVP is a while row over (carries, tangents) whose body is jvp of the body (JAX's
//   _while_loop_jvp); reverse mode is refused, as in JAX. Its batching rule runs until every
//   example's predicate is false, keeping finished carries by a select (JAX's batching rule).
// - scan: its JVP unrolls the steps (the length is static) and differentiates them, so forward
//   and reverse mode both work, at the size of the unrolled program; its batching rule is a scan
//   of the vmapped body, xs and ys batched along axis 1.
import { NDArray } from './array.js';
import { asarrayHint, where as select } from './numpy.js';
import { jvp } from './transforms/jvp.js';
import { vmap } from './transforms/vmap.js';
import { any } from './np_reductions.js';
import {
  emit, onAbstractTape, jitContext, freezeRows, inlineRows, rowShape, rowDtype, rowFlags, LINEAR, describeRow,
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
    if ([...row.carries.map(tan), ...closedTans].some((t) => t >= 0 && (rowFlags(t) & LINEAR) !== 0)) {
      throw new NotImplementedError(`${WHERE}: reverse-mode differentiation (grad, vjp, jacrev, hessian) of a while loop traced under jit is not ` +
        'defined, as in JAX ("Reverse-mode differentiation does not work for lax.while_loop"): its trip count is known only when it runs. ' +
        'Nor is linearize here (JAX splits the loop; this library does not yet). Use jvp or jacfwd, lax.scan or lax.foriLoop with a ' +
        'JS-number trip count, or call grad outside jit (eagerly the loop runs step by step and grad walks its steps)');
    }
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
  const params = [nc, xs.length, b.closed.length, length, reverse ? 1 : 0, b.words.length, ...b.words];
  return { row: emit('scan', [...init, ...xs, ...b.closed], params, () => `${where}: the loop as a row`), ny };
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

/** The scan's steps unrolled on the current trace: [carries, ys stacked], as lax_control's eager scan computes them. */
function unrolled(body: number, row: ReturnType<typeof readScan>, ops: NDArray[]): NDArray[] {
  const { nc, nx, length: n } = row;
  const carries0 = ops.slice(0, nc), xs = ops.slice(nc, nc + nx), consts = ops.slice(nc + nx);
  const pieces = xs.map((x) => (n === 1 ? [x] : lax.split(x, new Array<number>(n).fill(1), 0)).map((p) => lax.reshape(p, x._shape.slice(1))));
  let carries = carries0;
  const ys: NDArray[][] = new Array(n);
  for (let s = 0; s < n; s++) {
    const i = row.reverse ? n - 1 - s : s;
    const out = run(body, [...carries, ...pieces.map((p) => p[i]), ...consts], SCAN);
    carries = out.slice(0, nc);
    ys[i] = out.slice(nc);
  }
  const stacked = (ys[0] ?? []).map((_, k) => lax.concatenate(ys.map((y) => lax.reshape(y[k], [1, ...y[k]._shape])), 0, SCAN));
  return [...carries, ...stacked];
}

/**
 * JVP: the steps unrolled and differentiated with respect to the operands that have tangents
 * (the primal steps run again beside the row). Under linearize the tangent rows are linear, so
 * reverse mode transposes the unrolled steps, as JAX transposes a scan step by step.
 */
function jvpOfScan(r: number): void {
  withScanBody(r, (body, row) => {
    if (row.length === 0) return; // ys are empty and the carries pass through: their tangents are the inputs'
    const tans = row.ops.map((x) => abi().jvp_tangent(x));
    const idx = row.ops.flatMap((x, k) => (tans[k] >= 0 && isInexact(rowDtype(x)) ? [k] : []));
    if (idx.length === 0) return;
    const primals = tracers(row.ops), seeds = idx.map((k) => NDArray.tracer(tans[k]));
    const g = (ds: NDArray[]) => {
      const all = primals.slice();
      idx.forEach((k, i) => { all[k] = ds[i]; });
      return unrolled(body, row, all);
    };
    const [, tout] = jvp(g, [idx.map((k) => primals[k])], [seeds]) as unknown as [NDArray[], NDArray[]];
    tout.forEach((t, k) => { if (isInexact(rowDtype(r + 1 + k))) abi().jvp_set_tangent(r + 1 + k, t._rowIn(SCAN)); });
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

export function installWhileRules(): void {
  setWhileRuleHandler((kind, r) => {
    if (kind === 2) return jvpOfWhile(r);
    if (kind === 3) return batchWhile(r);
    if (kind === 4) return jvpOfScan(r);
    if (kind === 5) return batchScan(r);
    throw new InternalError(`${WHERE}: no rule of kind ${kind} for row ${r} (${describeRow(r)})`);
  });
}
