// lax.cond and lax.switch as one cond row (JAX's cond primitive): each branch traced once into a
// frozen sub-program; wasm runs the chosen one. Its rules, branch by branch: the JVP is a cond
// over (operands, tangents); under linearize, a primal cond whose branches also return their
// residuals (each in its own slots, zeros in the others') and a staged linear cond, transposed as
// a cond of the branches' transposes (JAX's _cond_jvp, _cond_partial_eval, _cond_transpose); a
// batched index runs every branch and selects. checkpoint (JAX's remat) is a one-branch cond row
// whose linearization keeps only its inputs, so the transpose recomputes it.
import { NDArray, isComplexLiteral } from '../array.js';
import { asarrayHint, where as select } from '../numpy.js';
import { flatten, unflatten, leafPath, type TreeDef, type TreeLike } from '../tree.js';
import { jvp } from '../transforms/jvp.js';
import { callSync } from '../transforms/trace_args.js';
import { emit, rowShape, rowDtype, rowFlags, LINEAR } from '../../core/trace.js';
import { abi, memI32 } from '../../core/abi.js';
import { isInexact } from '../../core/dtype.js';
import { DTypeError, TracerError } from '../../core/errors.js';
import * as lax from '../lax.js';
import {
  type Aval, traceSub, load, run, tracers, avalOf, avalOfRow, zerosOf, linearizeStep, transposeLinear, batchedOutputs,
  vmapSameAxis,
} from './shared.js';
import { whileRowCount, guardUntaken } from './while.js';
import { psumCount } from '../collectives.js';

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

/**
 * A cond whose index eager vmap batched, inlined as ordinary rows (no cond row: every transform
 * then differentiates it as it would the branches): each branch traced (what it closes over
 * becomes its consts) and run on its operands and consts, each inexact one entering through
 * stopGradient in the examples that do not take that branch, then selected by the index (JAX's
 * cond batching rule, jax#1052). Running the branches directly could guard their operands only:
 * a closed-over log(x) at x = 0 gave vmap(grad) NaN, JAX 1. `index`: an int32 scalar (batched).
 * A RunAsIs when a branch holds a while loop (whose row reverse mode refuses, where eagerly it
 * walks the steps): the caller runs the branches as they are, reading what each closes over
 * (`closed`, per branch) guarded in its place (withRowsReplaced). null when a branch reads a value
 * concretely (a TracerError when traced): the branches run as they are, operands guarded only.
 */
export class RunAsIs { constructor(readonly closed: readonly (readonly number[])[]) {} }
/** A branch holds a psum: the caller emits a cond row, as under jit (collectives.ts's psumCount says why). */
export const AS_ROW = Symbol('cond as a row');
export function inlineBatchedCond(where: string, index: NDArray, argAvals: readonly Aval[], args: readonly NDArray[],
  branches: readonly ((xs: NDArray[]) => NDArray[])[]): NDArray[] | RunAsIs | typeof AS_ROW | null {
  const loops = whileRowCount(), psums = psumCount();
  let subs: ReturnType<typeof traceSub>[];
  try {
    subs = branches.map((f, b) => traceSub(`${where}'s branch ${b}`, argAvals, f, false));
  } catch (e) {
    if (e instanceof TracerError) return null;
    throw e;
  }
  if (psumCount() !== psums) return AS_ROW;
  if (whileRowCount() !== loops) return new RunAsIs(subs.map((sub) => sub.closed));
  const taken = (b: number) => lax.eq(index, lax.full([], b, 'int32'));
  const outs = subs.map((sub, b) => {
    const t = taken(b);
    const ins = [...args, ...tracers(sub.closed)].map((x) => guardUntaken(x, t));
    const h = load(sub.words, where);
    try { return run(h, ins, where); } finally { abi().tape_free(h); }
  });
  const n = outs.length;
  return outs[0].map((_, k) => {
    let acc = outs[n - 1][k];
    for (let b = n - 2; b >= 0; b--) acc = select(taken(b), outs[b][k], acc);
    return acc;
  });
}

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
 * Which outputs of cond (or checkpoint) row r depend on a marked operand (index, args, each
 * branch's consts): every output when the index does, else those some branch computes from one
 * (the batching rule's choice too).
 */
export function condOutputDependence(r: number, operands: readonly boolean[]): boolean[] {
  return withBranches(r, (handles, row) => branchDependence(r, handles, row, operands));
}
function branchDependence(r: number, handles: readonly number[], row: ReturnType<typeof readCond>, operands: readonly boolean[]): boolean[] {
  const out = Array.from({ length: abi().row_nout(r) }, () => operands[0]);
  if (operands[0]) return out;
  let c = 1 + row.na;
  handles.forEach((h, b) => {
    const { consts } = row.branches[b];
    const flags = [...operands.slice(1, 1 + row.na), ...operands.slice(c, c + consts.length)];
    c += consts.length;
    batchedOutputs(COND, h, [...row.args, ...consts].map((x) => avalOfRow(x)), 0, flags).forEach((v, k) => { if (v) out[k] = true; });
  });
  return out;
}

/**
 * JVP of a cond row (JAX's _cond_jvp and _cond_partial_eval): forward, a cond row over
 * (operands, tangents) whose branches are jvp of the branches; under linearize, a primal cond
 * whose branches also return their residuals (each in its own slots, zeros in the others') and
 * a staged linear cond over the tangents and those slots, whose transpose is a cond of transposes.
 */
export function jvpOfCond(r: number): void {
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
    if (outIdx.length === 0) return; // (integer outputs only: no tangent to stage)
    // Linearize each branch with respect to the operands with tangents and its consts with tangents.
    const splits = hs.map((h, b) => linearizeStep(COND, h, [...argAvals, ...row.branches[b].consts.map((x) => avalOfRow(x))],
      [...Da, ...Dk[b].map((j) => na + j)], outIdx, [], true));
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
 * Transpose of a linear cond row (JAX's _cond_transpose): a cond of the branches' transposes, run on the
 * outputs' cotangents and the row's non-linear operands (residuals); its outputs are the
 * cotangents of the linear operands, then of each branch's linear consts (zeros from the others).
 */
export function transposeCond(r: number): void {
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
      const [da, dk] = transposeLinear(COND, step, [laAvals, lkAvals[b]], ct);
      return [...da, ...lkAvals.flatMap((avs, i) => (i === b ? dk : avs.map(zerosOf)))];
    }));
    La.forEach((k, i) => abi().transpose_accumulate(row.args[k], t + 1 + i));
    let q = La.length;
    row.branches.forEach((br, i) => Lk[i].forEach((j) => abi().transpose_accumulate(br.consts[j], t + 1 + q++)));
  });
}

/** Batching: a batched index runs every branch (vmapped) and selects, as JAX; else a cond row of the vmapped branches. */
export function batchCond(r: number): void {
  const buf = abi().while_batch_rows() >>> 2, stride = abi().while_batch_stride();
  withBranches(r, (hs, row) => {
    const m0 = memI32(), nops = abi().row_nops(r), { na } = row;
    const phys = Array.from(m0.subarray(buf, buf + nops)), batched = Array.from(m0.subarray(buf + stride, buf + stride + nops), (f) => f !== 0);
    const m = abi().row_nout(r);
    const argAxes = batched.slice(1, 1 + na).map((b) => (b ? 0 : null));
    const batchSize = rowShape(phys[batched.indexOf(true)])[0]; // (some operand is batched: the rule runs for a view)
    let c = 1 + na;
    const consts = row.branches.map((br) => { const rows = phys.slice(c, c + br.consts.length), axes = batched.slice(c, c + br.consts.length).map((b) => (b ? 0 : null)); c += br.consts.length; return { t: tracers(rows), axes }; });
    // which outputs vary across the batch: all when the index does (a select per example), else
    // those some branch computes from a batched value; the others stay one value (not mapped)
    const outB = branchDependence(r, hs, row, batched);
    const vb = (b: number, guard?: (x: NDArray, batched: boolean) => NDArray) => (...a: NDArray[]) => {
      let axes: (0 | null)[] = [...argAxes, ...consts[b].axes];
      let ins = [...a, ...consts[b].t];
      // (a batched index: an operand inexact enters a branch through stopGradient where that
      // branch is not taken, batched along axis 0, as JAX's rule does (jax#1052); the select's
      // zero cotangent met an untaken log's infinite derivative: grad(vmap) of cond was NaN)
      if (guard !== undefined) {
        ins = ins.map((x, k) => (isInexact(x.dtype) ? guard(x, axes[k] === 0) : x));
        axes = axes.map((x, k) => (isInexact(ins[k].dtype) ? 0 : x));
      }
      if (axes.every((x) => x === null)) { // no batched input: the branch once, its outputs broadcast where another branch's vary
        return run(hs[b], ins, COND).map((o, k) => (outB[k] ? lax.broadcastInDim(o, [batchSize, ...o._shape], o._shape.map((_, i) => i + 1)) : o));
      }
      return vmapSameAxis((...x: NDArray[]) => run(hs[b], x, COND), axes, outB.map((f) => (f ? 0 : null)))(...ins) as NDArray[];
    };
    const args = tracers(phys.slice(1, 1 + na));
    let outs: number[];
    if (batched[0]) {
      const idx = NDArray.tracer(phys[0]);
      const nb = hs.length;
      const full = (v: number) => lax.full([...idx._shape], v, 'int32');
      const clamped = lax.min(lax.max(idx, full(0)), full(nb - 1));
      const all = hs.map((_, b) => vb(b, (x, isB) => {
        const xb = isB ? x : lax.broadcastInDim(x, [batchSize, ...x._shape], x._shape.map((_, i) => i + 1));
        const taken = lax.reshape(lax.eq(clamped, full(b)), [clamped.size, ...xb._shape.slice(1).map(() => 1)]);
        return select(taken, xb, lax.stopGradient(xb));
      })(...args));
      outs = all[0].map((_, k) => {
        let acc = all[nb - 1][k];
        for (let b = nb - 2; b >= 0; b--) {
          const p = lax.reshape(lax.eq(clamped, full(b)), [clamped.size, ...acc._shape.slice(1).map(() => 1)]);
          acc = select(p, all[b][k], acc);
        }
        return acc._rowIn(COND);
      });
    } else {
      const physAvals = phys.slice(1, 1 + na).map((x) => avalOfRow(x));
      const y = emitCondRow(COND, phys[0], physAvals, phys.slice(1, 1 + na), hs.map((_, b) => (xs: NDArray[]) => vb(b)(...xs)));
      outs = Array.from({ length: m }, (_, k) => y + 1 + k);
    }
    // each output's row, then a flag per output: batched along axis 0, or one value
    const w = memI32();
    const at = abi().while_batch_rows() >>> 2, st = abi().while_batch_stride(); // (read again: a nested row's batching may have grown the buffer)
    outs.forEach((o, k) => { w[at + k] = o; w[at + st + k] = outB[k] ? 1 : 0; });
  });
}

// ---------------------------------------------------------------- checkpoint

/**
 * jax.checkpoint under jit: f as a checkpoint row (a cond row of one branch). Only its inputs
 * are kept for the backward pass: its JVP rule under linearize stages a linear cond over the
 * tangents and f's inputs whose branch recomputes f and differentiates it, so the transpose
 * recomputes f's intermediates instead of reading them (JAX's remat). `statics`: arguments that
 * pass through to f as they are. Returns null when f returns no Array (nothing to checkpoint).
 */
/**
 * checkpoint's arguments split into the Arrays a row takes (a typed array read as one) and the
 * rest: a JS number, boolean or { re, im } leaf is a constant of the trace (a value a transform
 * follows is an Array tracer by now), given to f as it is, weakly typed at full precision (as a
 * float32 operand, 0.1 times a float64 gave 0.30000000447 and 16777217 beside int32 a float32
 * 16777216), as with staticArgnums. Anything else must be static. Eager calls check the same, so
 * a function that runs eagerly does under jit.
 */
export function checkpointOperands(where: string, args: readonly unknown[], statics: ReadonlySet<number>) {
  const dyn = args.map((a, i) => (statics.has(i) ? null : flatten(a as TreeLike)));
  const leaves: NDArray[] = [];
  dyn.forEach((d, i) => d?.[0].forEach((l, k) => {
    if (l instanceof NDArray) { leaves.push(l); return; }
    if (ArrayBuffer.isView(l)) { leaves.push(asarrayHint(l as never, undefined, where)); return; }
    if (typeof l === 'number' || typeof l === 'boolean' || isComplexLiteral(l)) return;
    throw new DTypeError(`${where}: argument ${i}${leafPath(d[1], k)} is ${typeof l}, not an Array or a number; mark it static (staticArgnums: ${i})`);
  }));
  return { dyn, leaves };
}

/** checkpoint's result flattened: Arrays, JS numbers and booleans only (the row's outputs). */
export function checkpointOutputs(where: string, out: unknown): [unknown[], TreeDef] {
  const [ol, od] = flatten(out as TreeLike);
  ol.forEach((l, k) => {
    if (!(l instanceof NDArray) && typeof l !== 'number' && typeof l !== 'boolean') {
      throw new DTypeError(`${where}: the function returned ${typeof l} at output${leafPath(od, k)}, not an Array or a number`);
    }
  });
  return [ol, od];
}

export function checkpointAsRow(where: string, f: (...a: any[]) => unknown, args: unknown[], statics: ReadonlySet<number>): unknown {
  const { dyn, leaves } = checkpointOperands(where, args, statics);
  let outDef: TreeDef | null = null;
  let empty = false, raw: unknown[] = [];
  const r = emitCondRow(where, lax.full([], 0, 'int32')._rowIn(where), leaves.map(avalOf), leaves.map((x) => x._rowIn(where)), [(xs) => {
    let q = 0;
    const isArg = (l: unknown) => l instanceof NDArray || ArrayBuffer.isView(l);
    const rebuilt = args.map((a, i) => { const d = dyn[i]; return d === null ? a : unflatten(d[1], d[0].map((l) => (isArg(l) ? xs[q++] : l))); });
    const [ol, od] = checkpointOutputs(where, callSync(where, 'the function', f, ...rebuilt));
    outDef = od; raw = ol;
    if (ol.length === 0) { empty = true; return [lax.full([], 0, 'float32')]; } // (a row needs an output: this one is dropped)
    return ol.map((l) => (l instanceof NDArray ? l : asarrayHint(l as never, undefined, where)));
  }], true, 'checkpoint');
  if (empty) return unflatten(outDef!, []);
  // (a JS number f returns is a constant: returned as it is, weakly typed as eagerly, not the row's float32)
  return unflatten(outDef!, Array.from({ length: abi().row_nout(r) }, (_, k) => (typeof raw[k] === 'number' || typeof raw[k] === 'boolean' ? raw[k] : NDArray.tracer(r + 1 + k))));
}

/**
 * JVP of a checkpoint row: forward, as a cond's; under linearize, one linear cond over (tangents,
 * f's inputs) whose branch runs jvp of f, so nothing of f but its inputs is a residual.
 */
export function jvpOfCheckpoint(r: number): void {
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
    if (outIdx.length === 0) return; // (integer outputs only: no tangent to stage)
    const consts = tracers(br.consts), tk = tracers(Dk.map((j) => tan(br.consts[j])));
    // f linearized as a cond branch would be (its nested rows by their own linearize rules), but
    // the primal part runs inside the linear branch: only f's inputs are residuals, and the
    // transpose recomputes f's residuals from them
    const split = linearizeStep(CHECKPOINT, h, [...argAvals, ...br.consts.map((x) => avalOfRow(x))], [...Da, ...Dk.map((j) => row.na + j)], outIdx);
    const handles = [split.primal, split.linear, ...(split.invariant === null ? [] : [split.invariant])].map((w) => load(w, CHECKPOINT));
    try {
      const [ph, lh, ih] = handles;
      const lin = emitCondRow(CHECKPOINT, row.index, [...Da.map((k) => argAvals[k]), ...argAvals], [...ta, ...row.args], [(xs) => {
        const t = xs.slice(0, Da.length), a = xs.slice(Da.length);
        const perStep = run(ph, [...a, ...consts], CHECKPOINT).slice(m), hoisted = ih === undefined ? [] : run(ih, [], CHECKPOINT);
        let q = 0, w = 0;
        const res = split.stacked.map((st) => (st ? perStep[q++] : hoisted[w++]));
        return run(lh, [...t, ...tk, ...res], CHECKPOINT);
      }], false);
      outIdx.forEach((k, i) => abi().jvp_set_tangent(r + 1 + k, lin + 1 + i));
    } finally { for (const x of handles) abi().tape_free(x); }
  });
}

const CHECKPOINT = 'checkpoint';

