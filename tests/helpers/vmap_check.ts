// The vmap-versus-loop harness: vmap(f) at given inAxes, batch size and outAxes against f applied
// to each example outside vmap, the per-example results stacked in plain JS (tests/helpers/
// batch.ts), so no library batching, stacking or slicing is in the reference. Integer and bool
// outputs must match exactly, float and complex ones to VMAP_RTOL (batched kernels may sum in
// another order); NaNs must be NaNs in the same places.
import assert from 'node:assert/strict';
import { vmap, NDArray } from 'cotangent';
import { Rng, seedOf, sizeOf, f64, ErrorLog } from './fd.ts';
import { DT, make, stackValues, normAxis, leavesOf, widthOf } from './batch.ts';

/** Relative tolerance (to max(1, |want|)) for float outputs of vmap against the loop. */
export const VMAP_RTOL: Record<string, number> = { float64: 1e-12, float32: 1e-5, complex128: 1e-12, complex64: 1e-5 };
export const VMAP_LOG = new ErrorLog();

export type Gen = (rng: Rng, n: number) => number[];
export type AnyFn = (...a: NDArray[]) => unknown;

export function sameValues(what: string, got: Float64Array, want: ArrayLike<number>, dtype: string): void {
  assert.equal(got.length, want.length, `${what}: ${got.length} values, want ${want.length}`);
  const exact = !(dtype in VMAP_RTOL);
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const g = got[i], w = want[i];
    if (Object.is(g, w) || (exact ? false : (Number.isNaN(g) && Number.isNaN(w)) || g === w)) continue;
    const err = Math.abs(g - w) / Math.max(1, Math.abs(w));
    if (exact || !(err <= VMAP_RTOL[dtype])) throw new Error(`${what}: element ${i}: got ${g}, want ${w} (${dtype}${exact ? ', exact' : `, rel err ${err.toExponential(2)}`})`);
    worst = Math.max(worst, err);
  }
  if (!exact) VMAP_LOG.note(`vmap vs loop (${dtype})`, worst, what);
}

/** One argument: its per-example shape and dtype, B examples' values, and the value used when it is not mapped. */
export interface Arg { shape: number[]; dtype: DT; examples: number[][]; fixed: number[] }

export interface Run {
  label: string;
  f: AnyFn;
  args: Arg[];
  /** Per argument: a batch axis (negative allowed) or null. `'default'`: call vmap(f) with no options. */
  inAxes: (number | null)[] | 'default';
  B: number;
  outAxes?: number;
  axisSize?: number;
}

/** vmap(f)(stacked args) against the per-example results of f stacked in JS. */
export function checkRun(r: Run): void {
  try { checkRunUnlabeled(r); } catch (e) {
    if (e instanceof Error && !e.message.startsWith(r.label)) e.message = `${r.label}: ${e.constructor.name}: ${e.message}`;
    throw e;
  }
}
function checkRunUnlabeled(r: Run): void {
  const { f, args, B } = r;
  const axes = r.inAxes === 'default' ? args.map(() => 0) : r.inAxes;
  const built = args.map((a, i) => {
    const ax = axes[i];
    if (ax === null) return make(a.fixed, a.shape, a.dtype);
    const s = stackValues(a.examples.slice(0, B), a.shape, normAxis(ax, a.shape.length + 1), widthOf(a.dtype));
    return make(s.values, s.shape, a.dtype);
  });
  const exampleArgs = (b: number) => args.map((a, i) => (axes[i] === null ? built[i] : make(a.examples[b], a.shape, a.dtype)));
  // The loop (and, for an empty batch, one example for the shapes and dtypes).
  const loop = Array.from({ length: Math.max(B, 1) }, (_, b) => leavesOf(f(...exampleArgs(b))));
  const opts: Record<string, unknown> = {};
  if (r.inAxes !== 'default') opts.inAxes = axes;
  if (r.outAxes !== undefined) opts.outAxes = r.outAxes;
  if (r.axisSize !== undefined) opts.axisSize = r.axisSize;
  const got = leavesOf(r.inAxes === 'default' ? vmap(f)(...built) : vmap(f, opts)(...built));
  assert.equal(got.length, loop[0].length, `${r.label}: number of outputs`);
  const nB = r.axisSize ?? B;
  got.forEach((g, k) => {
    const ex = loop[0][k];
    const oax = normAxis(r.outAxes ?? 0, ex.ndim + 1);
    const perEx = r.axisSize !== undefined ? Array.from({ length: nB }, () => f64(ex)) : loop.slice(0, B).map((l) => f64(l[k]));
    const want = stackValues(perEx, ex.shape, oax, widthOf(ex.dtype));
    const what = `${r.label}: output ${k}`;
    assert.deepEqual(g.shape, want.shape, `${what}: shape [${g.shape}], want [${want.shape}]`);
    assert.equal(g.dtype, ex.dtype, `${what}: dtype`);
    sameValues(what, f64(g), want.values, g.dtype);
  });
}

// ---------------------------------------------------------------- axis choices

/** A random batch axis for an argument of rank `rank`: any of the rank + 1 positions, negative half the time. */
export function randomAxis(rng: Rng, rank: number): number {
  const a = Math.floor(rng.next() * (rank + 1));
  return rng.next() < 0.5 ? a - (rank + 1) : a;
}
/** A random non-zero out axis valid for every output rank in `ranks`. */
export function randomOutAxis(rng: Rng, ranks: number[]): number {
  const r = Math.min(...ranks);
  const choices = [...Array.from({ length: r }, (_, i) => i + 1), ...Array.from({ length: r + 1 }, (_, i) => -(i + 1))];
  return choices[Math.floor(rng.next() * choices.length)];
}

export interface Entry {
  name: string;
  prims: string[];
  f: AnyFn;
  /** Per argument: shape, dtype and a generator of one example's values. */
  args: { shape: number[]; dtype: DT; gen: Gen }[];
  /** A joint generator of one example (all arguments). */
  joint?: (rng: Rng) => number[][];
}

export function examplesOf(e: Entry, n: number, tag: string): Arg[] {
  const rng = new Rng(seedOf(`vmap ${tag} ${e.name}`));
  const rows = Array.from({ length: n + 1 }, () => (e.joint ? e.joint(rng) : e.args.map((a) => a.gen(rng, sizeOf(a.shape) * widthOf(a.dtype)))));
  return e.args.map((a, i) => ({
    shape: a.shape, dtype: a.dtype,
    examples: rows.slice(0, n).map((r) => r[i].map((v) => (a.dtype in VMAP_RTOL ? Math.fround(v) : v))),
    fixed: rows[n][i].map((v) => (a.dtype in VMAP_RTOL ? Math.fround(v) : v)),
  }));
}

/** Output ranks per example (from one eager call). */
export function outRanks(f: AnyFn, args: Arg[]): number[] {
  return leavesOf(f(...args.map((a) => make(a.examples[0], a.shape, a.dtype)))).map((l) => l.ndim);
}

/** The inAxes configurations of one entry (see the header), each checked against the loop. */
export function checkAllAxes(e: Entry): void {
  const rng = new Rng(seedOf(`axes ${e.name}`));
  const args = examplesOf(e, 3, 'b3');
  const ranks = outRanks(e.f, args);
  const n = args.length;
  for (let i = 0; i < n; i++) {
    const inAxes = args.map((a, j) => (j === i ? randomAxis(rng, a.shape.length) : null));
    checkRun({ label: `${e.name}: inAxes [${inAxes}]`, f: e.f, args, inAxes, B: 3 });
  }
  const all = args.map((a) => randomAxis(rng, a.shape.length));
  const oax = randomOutAxis(rng, ranks);
  checkRun({ label: `${e.name}: inAxes [${all}], outAxes ${oax}`, f: e.f, args, inAxes: all, B: 3, outAxes: oax });
  const lastAxes = args.map(() => -1);
  checkRun({ label: `${e.name}: inAxes -1 (last) for all`, f: e.f, args, inAxes: lastAxes, B: 3, outAxes: -1 });
  checkRun({ label: `${e.name}: default inAxes`, f: e.f, args, inAxes: 'default', B: 3 });
  // An odd batch of 7 (the batched kernels' SIMD tails), with examples of its own.
  const seven = args.map((a) => randomAxis(rng, a.shape.length));
  checkRun({ label: `${e.name}: batch 7, inAxes [${seven}]`, f: e.f, args: examplesOf(e, 7, 'b7'), inAxes: seven, B: 7, outAxes: randomOutAxis(rng, ranks) });
  const one = args.map((a) => randomAxis(rng, a.shape.length));
  checkRun({ label: `${e.name}: batch 1, inAxes [${one}]`, f: e.f, args, inAxes: one, B: 1, outAxes: randomOutAxis(rng, ranks) });
  const zero = args.map((a) => randomAxis(rng, a.shape.length));
  checkRun({ label: `${e.name}: batch 0, inAxes [${zero}]`, f: e.f, args, inAxes: zero, B: 0, outAxes: randomOutAxis(rng, ranks) });
  checkRun({ label: `${e.name}: nothing mapped, axisSize 2`, f: e.f, args, inAxes: args.map(() => null), B: 0, axisSize: 2, outAxes: randomOutAxis(rng, ranks) });
}

/**
 * vmap(vmap(f, inner), outer) against the loop of loops: 2 x 3 examples, the inner batch axis
 * at a random position of each example, the outer one at a random position of that; an argument
 * may be mapped by one level only.
 */
export function checkNested(e: Entry): void {
  const rng = new Rng(seedOf(`nested ${e.name}`));
  const Bo = 2, Bi = 3;
  const grid = Array.from({ length: Bo }, (_, o) => examplesOf(e, Bi, `nested ${o}`));
  const n = e.args.length;
  const skip = n > 1 ? Math.floor(rng.next() * (n + 1)) : -1; // one argument unmapped by one level
  const inner = e.args.map((a, i) => (i === skip && rng.next() < 0.5 ? null : randomAxis(rng, a.shape.length)));
  const outer = e.args.map((a, i) => (i === skip && inner[i] !== null ? null : randomAxis(rng, a.shape.length + (inner[i] === null ? 0 : 1))));
  const ranks = outRanks(e.f, grid[0]);
  const oIn = randomOutAxis(rng, ranks), oOut = randomOutAxis(rng, ranks.map((r) => r + 1));
  // Level values: an argument's value for outer example o, inner example i (fixed where unmapped).
  const value = (j: number, o: number, i: number) => {
    const a = grid[outer[j] === null ? 0 : o][j];
    return inner[j] === null ? a.fixed : a.examples[i];
  };
  const built = e.args.map((a, j) => {
    const perOuter = Array.from({ length: outer[j] === null ? 1 : Bo }, (_, o) => {
      if (inner[j] === null) return { values: value(j, o, 0), shape: a.shape };
      return stackValues(Array.from({ length: Bi }, (_, i) => value(j, o, i)), a.shape, normAxis(inner[j]!, a.shape.length + 1), widthOf(a.dtype));
    });
    if (outer[j] === null) return make(perOuter[0].values, perOuter[0].shape, a.dtype);
    const st = stackValues(perOuter.map((p) => p.values), perOuter[0].shape, normAxis(outer[j]!, perOuter[0].shape.length + 1), widthOf(a.dtype));
    return make(st.values, st.shape, a.dtype);
  });
  const label = `${e.name}: vmap(vmap(f, inAxes [${inner}], outAxes ${oIn}), inAxes [${outer}], outAxes ${oOut})`;
  try {
    const got = leavesOf(vmap((...xs: NDArray[]) => vmap(e.f, { inAxes: inner, outAxes: oIn })(...xs), { inAxes: outer, outAxes: oOut })(...built));
    const loop = Array.from({ length: Bo }, (_, o) => Array.from({ length: Bi }, (_, i) =>
      leavesOf(e.f(...e.args.map((a, j) => make(value(j, o, i), a.shape, a.dtype))))));
    got.forEach((g, k) => {
      const ex = loop[0][0][k];
      const w = widthOf(ex.dtype);
      const rows = loop.map((row) => stackValues(row.map((l) => f64(l[k])), ex.shape, normAxis(oIn, ex.ndim + 1), w));
      const want = stackValues(rows.map((r) => r.values), rows[0].shape, normAxis(oOut, ex.ndim + 2), w);
      assert.deepEqual(g.shape, want.shape, `output ${k}: shape`);
      assert.equal(g.dtype, ex.dtype, `output ${k}: dtype`);
      sameValues(`output ${k}`, f64(g), want.values, g.dtype);
    });
  } catch (err) {
    if (err instanceof Error) err.message = `${label}: ${err.constructor.name}: ${err.message}`;
    throw err;
  }
}
