// lax.whileLoop as one row of the program (assembly/ad/rules/control.ts), JAX's while_loop
// primitive: cond and body are traced once, abstractly, into frozen tapes that the row carries in
// its params, and wasm runs the loop with no JS per step. lax_control.ts emits it when the
// predicate is abstract (under jit); with concrete values the loop still runs in JS, step by step
// on the tape, which reverse mode can then walk (JAX refuses reverse mode for while_loop).
//
// The row's derivative rules are here, called back from wasm (env.custom_rule): its JVP is a
// while row over (carries, tangents) whose body is jvp of the body (JAX's _while_loop_jvp); the
// batching rule is a while row over the batch that runs until every example's predicate is
// false, keeping finished carries by a select (JAX's _while_loop_batching_rule).
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

/**
 * lax.whileLoop under jit: the carry tree's leaves (Arrays, or JS numbers and booleans, weakly
 * typed: a number leaf takes the dtype the body gives it, as JAX promotes weak-typed carries).
 */
export function whileAsRow(where: string, leaves: unknown[], wrap: (xs: NDArray[]) => unknown,
  cond: (carry: unknown) => unknown, body: (carry: unknown) => unknown, unwrap: (out: unknown, avals: readonly Aval[]) => NDArray[]): NDArray[] {
  const weakDefault = (l: unknown): Aval => (typeof l === 'boolean' ? { dtype: 'bool', shape: [] }
    : { dtype: Number.isInteger(l) ? 'int32' : 'float32', shape: [] });
  let avals: Aval[] = leaves.map((l) => (l instanceof NDArray ? avalOf(l) : weakDefault(l)));
  // A weak leaf the body returns with another dtype takes that dtype (one retrace, JAX's rule).
  for (let attempt = 0; ; attempt++) {
    let promoted = false;
    const probe = (xs: NDArray[]) => {
      const out = unwrap(body(wrap(xs)), avals);
      out.forEach((o, k) => {
        if (!(leaves[k] instanceof NDArray) && attempt === 0 && o.ndim === 0 && o.dtype !== avals[k].dtype && o.dtype !== 'bool' && avals[k].dtype !== 'bool') {
          avals[k] = { dtype: o.dtype, shape: [] };
          promoted = true;
        }
      });
      return out;
    };
    if (attempt === 0) {
      traceSub(`${where}'s bodyFun`, avals, probe); // (types only: its program is dropped)
      if (!promoted) break;
      avals = [...avals];
      continue;
    }
    break;
  }
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
    out.forEach((o, k) => {
      if (!sameAval(avalOf(o), avals[k])) {
        const E = o.dtype !== avals[k].dtype ? DTypeError : ShapeError;
        throw new E(`${where}: bodyFun must return the carry's types: leaf ${k} is ${describe(o._shape, o.dtype)}, the carry's is ${describe(avals[k].shape, avals[k].dtype)}`);
      }
    });
    return out;
  });
  return avals.map((_, k) => NDArray.tracer(r + 1 + k));
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
function run(handle: number, xs: readonly NDArray[]): NDArray[] {
  return inlineRows(handle, xs.map((x) => x._rowIn(WHERE)), WHERE).map((r) => NDArray.tracer(r));
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
      throw new NotImplementedError(`${WHERE}: reverse-mode differentiation (grad, vjp, jacrev) of a while loop traced under jit is not ` +
        'defined, as in JAX ("Reverse-mode differentiation does not work for lax.while_loop"): its trip count is known only when it runs. ' +
        'Use forward mode (jvp, jacfwd), lax.scan or lax.foriLoop with a JS-number trip count, or call grad outside jit ' +
        '(eagerly the loop runs step by step and grad walks its steps)');
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

export function installWhileRules(): void {
  setWhileRuleHandler((kind, r) => {
    if (kind === 2) return jvpOfWhile(r);
    if (kind === 3) return batchWhile(r);
    throw new InternalError(`${WHERE}: no rule of kind ${kind} for row ${r} (${describeRow(r)})`);
  });
}
