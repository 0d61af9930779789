// lax.scan as one scan row (JAX's scan primitive): the body traced once into a frozen
// sub-program; wasm runs the steps, slicing xs and stacking ys. Its rules: the JVP is a scan row
// over (carries, tangents); under linearize, a primal scan row that also stacks each step's
// residuals (those that depend only on closed-over values hoisted out of the loop) and a staged
// linear scan row, whose transpose is a scan in the other direction (JAX's _scan_jvp,
// _scan_partial_eval, _scan_transpose); the batching rule scans the vmapped body, xs and ys
// batched along axis 1.
import { NDArray } from '../array.js';
import { jvp } from '../transforms/jvp.js';
import { emit, rowShape, rowDtype, rowFlags, LINEAR, VIEW } from '../../core/trace.js';
import { abi, memI32, opCode } from '../../core/abi.js';
import { isInexact, itemsize } from '../../core/dtype.js';
import * as lax from '../lax.js';
import {
  type Aval, traceSub, load, run, tracers, avalOf, avalOfRow, zerosOf, linearizeStep, transposeLinear, varyingCarries, batchedOutputs, vmapOrCall,
  equalLoop,
} from './shared.js';

/**
 * Emit a scan row: carries `init` (rows of `carryAvals`), xs rows stacked along a leading axis
 * of `length` (their slices of `xAvals`), `body(carries, x slices) -> [carries, ys]` as a
 * function of Arrays. Returns the row and the ys' count (outputs: carries, then ys stacked); row -1
 * when the body returns nothing (a row needs an output).
 */
export function emitScanRow(where: string, carryAvals: readonly Aval[], xAvals: readonly Aval[], init: readonly number[],
  xs: readonly number[], length: number, reverse: boolean, body: (carries: NDArray[], xs: NDArray[]) => NDArray[], fuse = true,
  twin?: number): { row: number; ny: number } {
  const nc = carryAvals.length;
  let ny = 0;
  const b = traceSub(`${where}'s f`, [...carryAvals, ...xAvals], (ins) => {
    const out = body(ins.slice(0, nc), ins.slice(nc));
    ny = out.length - nc;
    return out;
  }, fuse);
  if (nc + ny === 0) return { row: -1, ny }; // (nothing to compute: the caller unrolls its no-op)
  return { row: emitScanWords(where, b.words, [...init, ...xs, ...b.closed], nc, xs.length, length, reverse, twin), ny };
}

/** A scan row over a frozen body given as its block's words; operands: carries, xs, then the body's consts. */
function emitScanWords(where: string, words: Int32Array, operands: readonly number[], nc: number, nx: number, length: number, reverse: boolean,
  twin?: number): number {
  const params = [nc, nx, operands.length - nc - nx, length, reverse ? 1 : 0, words.length, ...words];
  // (twin: the scan row whose carries and ys this one computes again, JVP's; named by its first output, rules/control.ts)
  return emit('scan', twin === undefined ? operands : [...operands, twin + 1], params, () => `${where}: the loop as a row`);
}

/** Row r's params: counts, and its body as a frozen block's words. */
function readScan(r: number) {
  const e = abi(), np = e.row_nparams(r), base = e.row_params(r) >>> 2;
  const p = memI32().subarray(base, base + np);
  const [nc, nx, bc, length, reverse, bw] = p;
  const ops = Array.from({ length: nc + nx + bc }, (_, i) => e.row_operand(r, i)); // (not a twin operand past them)
  return { nc, nx, length, reverse: reverse !== 0, ops, words: p.slice(6, 6 + bw) };
}

function withScanBody<T>(r: number, fn: (body: number, row: ReturnType<typeof readScan>) => T): T {
  const row = readScan(r);
  const h = load(row.words, SCAN);
  try { return fn(h, row); } finally { abi().tape_free(h); }
}

const SCAN = 'lax.scan';

/** Which carries and ys of scan row r depend on a marked operand (carries, xs, consts): the batching fixed point. */
export function scanOutputDependence(r: number, operands: readonly boolean[]): boolean[] {
  return withScanBody(r, (body, row) => {
    const logical = row.ops.map((x, k) => avalOfRow(x, k >= row.nc && k < row.nc + row.nx ? 1 : 0));
    return batchedOutputs(SCAN, body, logical, row.nc, operands.slice(0, row.ops.length));
  });
}

/**
 * JVP of a scan row (JAX's _scan_jvp and, under linearize, _scan_partial_eval). Differentiated:
 * the inexact carries with a tangent or that the body makes vary (a fixed point), and the xs
 * and closed-over values that have tangents.
 * - Forward mode: one scan row over (carries, tangents) whose body is jvp of the body.
 * - Linearize (the tangents are linear, staged for a transpose): a primal scan row that also
 *   stacks each step's residuals, and a linear scan row of the step's linear map over the
 *   tangents and those residuals, staged; its transpose rule (below) is a reverse scan.
 */
export function jvpOfScan(r: number): void {
  withScanBody(r, (body, row) => {
    const { nc, nx, ops } = row;
    const ny = abi().row_nout(r) - nc;
    const tans = ops.map((x) => abi().jvp_tangent(x));
    const inexact = ops.map((x) => isInexact(rowDtype(x)));
    if (!ops.some((_, k) => inexact[k] && tans[k] >= 0)) return; // nothing varies
    // (the carries with nonzero tangents: those with one, and those the body makes vary)
    const avIn = ops.map((x, k) => avalOfRow(x, k >= nc && k < nc + nx ? 1 : 0));
    const vc = varyingCarries(SCAN, body, avIn, nc, ops.map((_, k) => inexact[k] && tans[k] >= 0));
    const D = ops.flatMap((_, k) => ((k < nc ? vc[k] : inexact[k] && tans[k] >= 0) ? [k] : []));
    const Dc = D.filter((k) => k < nc), Dx = D.filter((k) => k >= nc && k < nc + nx), Dk = D.filter((k) => k >= nc + nx);
    const yIdx = Array.from({ length: ny }, (_, j) => j).filter((j) => isInexact(rowDtype(r + 1 + nc + j)));
    const tanOf = (k: number) => (tans[k] >= 0 ? tans[k] : zerosOf(avalOfRow(ops[k]))._rowIn(SCAN));
    const tcInit = Dc.map(tanOf);
    const linear = D.some((k) => tans[k] >= 0 && (rowFlags(tans[k]) & LINEAR) !== 0);
    if (Dc.length + yIdx.length === 0) return; // (integer outputs only: no tangent to carry)
    // (tracers of this trace made here, outside the new rows' traces)
    const consts = tracers(ops.slice(nc + nx)), tk = tracers(Dk.map((k) => tans[k]));
    // (an earlier scan equal to r, if any, is the twin: its carries and xs hold the same values)
    const twin = equalLoop(r), lead = twin === r ? ops : ops.map((x, k) => (k < nc + nx ? abi().row_operand(twin, k) : x));
    if (!linear) {
      const { row: y } = emitScanRow(SCAN, [...ops.slice(0, nc), ...Dc.map((k) => ops[k])].map((x) => avalOfRow(x)),
        [...ops.slice(nc, nc + nx), ...Dx.map((k) => ops[k])].map((x) => avalOfRow(x, 1)), [...lead.slice(0, nc), ...tcInit],
        [...lead.slice(nc, nc + nx), ...Dx.map((k) => tans[k])], row.length, row.reverse, (cs, xs) => {
          const pt = [...cs.slice(0, nc), ...xs.slice(0, nx), ...consts];
          const g = (ds: NDArray[]) => { const ins = pt.slice(); D.forEach((k, i) => { ins[k] = ds[i]; }); return run(body, ins, SCAN); };
          const [out, tout] = jvp(g, [D.map((k) => pt[k])], [[...cs.slice(nc), ...xs.slice(nx), ...tk]]) as unknown as [NDArray[], NDArray[]];
          return [...out.slice(0, nc), ...Dc.map((k) => tout[k]), ...out.slice(nc), ...yIdx.map((j) => tout[nc + j])];
        }, true, twin);
      Dc.forEach((k, i) => abi().jvp_set_tangent(r + 1 + k, y + 1 + nc + i));
      yIdx.forEach((j, i) => abi().jvp_set_tangent(r + 1 + nc + j, y + 1 + nc + Dc.length + ny + i));
      return;
    }
    // Linearize: one step's JVP traced with placeholder tangents, split into the primal step
    // (which also returns the residuals the linear part reads) and the linear step.
    const constIdx = ops.map((_, k) => k).filter((k) => k >= nc + nx);
    const split = linearizeStep(SCAN, body, avIn, D, [...Dc, ...yIdx.map((j) => nc + j)], constIdx);
    const nres = split.stacked.filter(Boolean).length;
    // (it repeats row r's carries and ys before its residuals: r's twin, so jit(grad) runs the forward loop once)
    const pRow = emitScanWords(SCAN, split.primal, lead, nc, nx, row.length, row.reverse, twin);
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
 * Transpose of a linear scan row (JAX's _scan_transpose): a scan in the other direction whose
 * carries are the carries' cotangents and an accumulator per linear closed-over value, and whose
 * xs are the ys' cotangents and the row's non-linear xs (residuals); each step is the transpose of the
 * linear step. Cotangents go to the linear operands: initial carries, xs, closed-over values.
 */
export function transposeScan(r: number): void {
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
    const stackedBytes = Nx.reduce((b, k) => b + rowBytes(ops[k]), 0);
    let plan: Hoist[] = [];
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
        const [dc, dx, dk] = transposeLinear(SCAN, step, [ctc.map(avalOf), lxAvals, lkAvals], [...ctc, ...cty]);
        plan = hoistPlan(dk, res, row.length, stackedBytes);
        const perStep = [...new Set(plan.flatMap((h) => (h === null ? [] : [h.other])))];
        return [...dc, ...acc.map((a, i) => (plan[i] === null ? lax.add(a, dk[i]) : a)), ...dx,
          ...perStep.map((r) => NDArray.tracer(r))];
      });
    for (let k = 0; k < nc; k++) if (isLin[k]) abi().transpose_accumulate(ops[k], t + 1 + k);
    // the hoisted sums over the steps: one contraction (or reduction) over the stacked values
    const others = [...new Set(plan.flatMap((h) => (h === null ? [] : [h.other])))];
    const stackedOf = (h: NonNullable<Hoist>) => NDArray.tracer(t + 1 + nc + Lk.length + Lx.length + others.indexOf(h.other));
    Lk.forEach((k, i) => {
      const h = plan[i], acc = t + 1 + nc + i;
      if (h === null) { abi().transpose_accumulate(ops[k], acc); return; }
      const total = lax.add(NDArray.tracer(acc), h.sum(stackedOf(h), h.res >= 0 ? NDArray.tracer(ops[Nx[h.res]]) : null));
      abi().transpose_accumulate(ops[k], total._rowIn(SCAN));
    });
    Lx.forEach((k, i) => abi().transpose_accumulate(ops[k], t + 1 + nc + Lk.length + i));
  });
}

/**
 * A closed-over value's cotangent summed over the steps, d_t = dot(r_t, o_t) with r_t a stacked
 * residual (or d_t = sum(o_t)), computed after the loop as one contraction of the stacked
 * arrays over the step axis too: the sum of the steps' products is the product with the steps
 * contracted. A recurrent layer's weight gradient is then one 128 x 1600 x 128 product, not 100
 * products of depth 16 each added into an accumulator (the jitted RNN's backward scan spent most
 * of its time there). The per-step factor o_t becomes an output of the transposed scan.
 */
type Hoist = { other: number; res: number; sum: (stackedOther: NDArray, stackedRes: NDArray | null) => NDArray } | null;

/**
 * Per closed-over cotangent of one transposed step: how to hoist its sum over the steps, or null.
 * Only while the per-step factors stacked stay within what the stacked residuals already take
 * (so the memory at most doubles; never for a long scan of large factors).
 */
function hoistPlan(dk: readonly NDArray[], res: readonly NDArray[], length: number, stackedBytes: number): Hoist[] {
  const e = abi(), DOT = opCode('dot_general'), SUM = opCode('sum');
  const resRows = res.map((r) => r._rowIn(SCAN));
  let budget = Math.max(stackedBytes, 1 << 20);
  const taken = new Set<number>();
  return dk.map((d): Hoist => {
    const r = d._rowIn(SCAN), op = e.row_op(r);
    const cost = (o: number) => (taken.has(o) ? 0 : length * rowBytes(o));
    const params = () => Array.from(memI32().subarray(e.row_params(r) >>> 2, (e.row_params(r) >>> 2) + e.row_nparams(r)));
    if (op === SUM && e.row_nops(r) === 1) {
      const o = e.row_operand(r, 0), axes = params();
      if (resRows.includes(o) || cost(o) > budget) return null;
      budget -= cost(o); taken.add(o);
      return { other: o, res: -1, sum: (so) => lax.reduceSum(so, [0, ...axes.map((a) => a + 1)]) };
    }
    if (op !== DOT || e.row_nops(r) !== 2) return null;
    const [x, y] = [e.row_operand(r, 0), e.row_operand(r, 1)];
    const q = resRows.indexOf(x) >= 0 ? resRows.indexOf(x) : resRows.indexOf(y);
    if (q < 0) return null;
    const resIsLhs = resRows[q] === x, o = resIsLhs ? y : x;
    if (resRows.includes(o) || cost(o) > budget) return null;
    budget -= cost(o); taken.add(o);
    // params: nb, nc, lhs batch, rhs batch, lhs contracting, rhs contracting (lax.dotGeneral's)
    const p = params(), nb = p[0], ncon = p[1], up = (l: number[]) => l.map((a) => a + 1);
    const lb = p.slice(2, 2 + nb), rb = p.slice(2 + nb, 2 + 2 * nb);
    const lc = p.slice(2 + 2 * nb, 2 + 2 * nb + ncon), rc = p.slice(2 + 2 * nb + ncon, 2 + 2 * nb + 2 * ncon);
    return {
      other: o, res: q,
      sum: (so, sr) => lax.dotGeneral(resIsLhs ? sr! : so, resIsLhs ? so : sr!, [[[0, ...up(lc)], [0, ...up(rc)]], [up(lb), up(rb)]]),
    };
  });
}

/** Bytes of row r's value. */
function rowBytes(r: number): number {
  return rowShape(r).reduce((a, b) => a * b, 1) * itemsize(rowDtype(r));
}

/** Param i of row r of the current tape. */
const paramOf = (r: number, i: number) => memI32()[(abi().row_params(r) >>> 2) + i];

/**
 * Batching: a scan row of the body vmapped over axis 0 of the batched carries and of each step's
 * batched x slices (axis 1 of xs); a carry no batched value reaches, step after step, stays
 * unbatched (JAX's fixed point), and so does a y computed from unbatched values only.
 */
export function batchScan(r: number): void {
  const buf = abi().while_batch_rows() >>> 2, stride = abi().while_batch_stride();
  withScanBody(r, (body, row) => {
    const m = memI32(), nops = row.ops.length, { nc, nx } = row;
    const phys = Array.from(m.subarray(buf, buf + nops)), batchedIn = Array.from(m.subarray(buf + stride, buf + stride + nops), (f) => f !== 0);
    // which carries the batch reaches (to a fixed point) and which ys it does: the others stay unbatched
    const logical = row.ops.map((x, k) => avalOfRow(x, k >= nc && k < nc + nx ? 1 : 0));
    const outB = batchedOutputs(SCAN, body, logical, nc, batchedIn);
    const carryB = outB.slice(0, nc);
    // the batch size, from a batched operand (carries and consts at axis 0, xs at axis 1)
    const bi = batchedIn.findIndex(Boolean);
    const B = bi < 0 ? 0 : rowShape(phys[bi])[bi >= nc && bi < nc + nx ? 1 : 0]; // (none: only a twin operand was, and nothing here is)
    const init = phys.slice(0, nc).map((x, k) => {
      if (!carryB[k] || batchedIn[k]) return x;
      const s = rowShape(x); // (a carry the step makes batched: its initial value broadcast)
      return lax.broadcastInDim(NDArray.tracer(x), [B, ...s], s.map((_, i) => i + 1))._rowIn(SCAN);
    });
    const consts = tracers(phys.slice(nc + nx));
    const inAxes = [...carryB.map((b) => (b ? 0 : null)), ...batchedIn.slice(nc).map((b) => (b ? 0 : null))];
    const outAxes = outB.map((b) => (b ? 0 : null));
    const avals = (rows: number[], drop: number): Aval[] => rows.map((x) => ({ dtype: rowDtype(x), shape: rowShape(x).slice(drop) }));
    // a JVP row's twin (the loop it repeats) stays its twin when the batch reaches none of that
    // loop's outputs here: then they are this row's unbatched outputs (hessian's vmapped JVP)
    const twin = abi().row_nops(r) > nops ? abi().row_operand(r, nops) - 1 : -1;
    // (and when the loop it names is itself unbatched here: a view there would make the new row one too, batched again without end)
    const keepsTwin = twin >= 0 && (rowFlags(twin) & VIEW) === 0 && Array.from({ length: abi().row_nout(twin) }, (_, k) => {
      const nt = paramOf(twin, 0);
      return !outB[k < nt ? k : k + nc - nt];
    }).every(Boolean) && batchedIn.slice(nc, nc + paramOf(twin, 1)).every((b) => !b);
    const { row: y } = emitScanRow(SCAN, avals(init, 0), avals(phys.slice(nc, nc + nx), 1), init, phys.slice(nc, nc + nx),
      row.length, row.reverse, (cs, xs) => vmapOrCall((...a: NDArray[]) => run(body, a, SCAN), inAxes, outAxes, [...cs, ...xs, ...consts]),
      true, keepsTwin ? twin : undefined);
    const out = memI32(), b2 = abi().while_batch_rows() >>> 2, s2 = abi().while_batch_stride(); // (read again: a nested row's batching may have grown the buffer)
    out[b2] = y;
    outB.forEach((b, k) => { out[b2 + s2 + k] = b ? 1 : 0; }); // (each output's flag, for the wasm side)
  });
}

