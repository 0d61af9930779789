// vmap of every primitive equals the loop over the batch.
//
// The reference is always the function itself applied to each example outside vmap, with the
// per-example results stacked in plain JS along the output axis; the batched arguments are
// stacked in plain JS too (so no library batching, stacking or slicing is in the reference).
// Integer and bool outputs must match exactly, float ones to VMAP_RTOL (batched kernels may sum
// in another order); NaNs must be NaNs in the same places.
//
// Driven by the op-spec table (tests/helpers/op_specs.ts, which tests/ops.test.ts uses for the
// derivatives) plus the explicit cases below for what that table does not differentiate
// (integers, bools, the PRNG, sorting, searching, batched indices, leaves). For each entry, at
// seeded random examples:
//   - batch 3 with inAxes on each argument alone (null for the rest), and on all arguments, at
//     random batch axes (negative and last included), outAxes 0 and a random non-zero one;
//   - the default inAxes (0 for every argument), in float32;
//   - batch 1 and batch 0 (empty), and no mapped argument with axisSize 2 (a broadcast output);
//   - vmap of jvp (primals and tangents batched) and vmap of grad, against the loop of each.
// The primitives come from the wasm's op table: one with no entry in either table fails.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  np, lax, linalg, random, vmap, jit, jvp, vjp, grad, linearize, jacfwd, jacrev, hessian, hvp, stopGradient, NDArray,
  CotangentError, TracerError, ValueError, AxisError,
} from 'cotangent';
import { SPECS, Spec, real } from './helpers/op_specs.ts';
import { wasmOpNames } from './helpers/wasm_ops.ts';
import { Rng, seedOf, sizeOf, f64, ErrorLog, FloatDType } from './helpers/fd.ts';
import { DT, make, stackValues, normAxis, leavesOf } from './helpers/batch.ts';

/** Relative tolerance (to max(1, |want|)) for float outputs of vmap against the loop. */
const VMAP_RTOL: Record<string, number> = { float64: 1e-12, float32: 1e-5 };
const LOG = new ErrorLog();

type Gen = (rng: Rng, n: number) => number[];
type AnyFn = (...a: NDArray[]) => unknown;

function sameValues(what: string, got: Float64Array, want: ArrayLike<number>, dtype: string): void {
  assert.equal(got.length, want.length, `${what}: ${got.length} values, want ${want.length}`);
  const exact = dtype !== 'float32' && dtype !== 'float64';
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const g = got[i], w = want[i];
    if (Object.is(g, w) || (exact ? false : (Number.isNaN(g) && Number.isNaN(w)) || g === w)) continue;
    const err = Math.abs(g - w) / Math.max(1, Math.abs(w));
    if (exact || !(err <= VMAP_RTOL[dtype])) throw new Error(`${what}: element ${i}: got ${g}, want ${w} (${dtype}${exact ? ', exact' : `, rel err ${err.toExponential(2)}`})`);
    worst = Math.max(worst, err);
  }
  if (!exact) LOG.note(`vmap vs loop (${dtype})`, worst, what);
}

/** One argument: its per-example shape and dtype, B examples' values, and the value used when it is not mapped. */
interface Arg { shape: number[]; dtype: DT; examples: number[][]; fixed: number[] }

interface Run {
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
function checkRun(r: Run): void {
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
    const s = stackValues(a.examples.slice(0, B), a.shape, normAxis(ax, a.shape.length + 1));
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
    const want = stackValues(perEx, ex.shape, oax);
    const what = `${r.label}: output ${k}`;
    assert.deepEqual(g.shape, want.shape, `${what}: shape [${g.shape}], want [${want.shape}]`);
    assert.equal(g.dtype, ex.dtype, `${what}: dtype`);
    sameValues(what, f64(g), want.values, g.dtype);
  });
}

// ---------------------------------------------------------------- axis choices

/** A random batch axis for an argument of rank `rank`: any of the rank + 1 positions, negative half the time. */
function randomAxis(rng: Rng, rank: number): number {
  const a = Math.floor(rng.next() * (rank + 1));
  return rng.next() < 0.5 ? a - (rank + 1) : a;
}
/** A random non-zero out axis valid for every output rank in `ranks`. */
function randomOutAxis(rng: Rng, ranks: number[]): number {
  const r = Math.min(...ranks);
  const choices = [...Array.from({ length: r }, (_, i) => i + 1), ...Array.from({ length: r + 1 }, (_, i) => -(i + 1))];
  return choices[Math.floor(rng.next() * choices.length)];
}

interface Entry {
  name: string;
  prims: string[];
  f: AnyFn;
  /** Per argument: shape, dtype and a generator of one example's values. */
  args: { shape: number[]; dtype: DT; gen: Gen }[];
  /** A joint generator of one example (all arguments). */
  joint?: (rng: Rng) => number[][];
}

function examplesOf(e: Entry, n: number, tag: string): Arg[] {
  const rng = new Rng(seedOf(`vmap ${tag} ${e.name}`));
  const rows = Array.from({ length: n + 1 }, () => (e.joint ? e.joint(rng) : e.args.map((a) => a.gen(rng, sizeOf(a.shape)))));
  return e.args.map((a, i) => ({
    shape: a.shape, dtype: a.dtype,
    examples: rows.slice(0, n).map((r) => r[i].map((v) => (a.dtype === 'float32' || a.dtype === 'float64' ? Math.fround(v) : v))),
    fixed: rows[n][i].map((v) => (a.dtype === 'float32' || a.dtype === 'float64' ? Math.fround(v) : v)),
  }));
}

/** Output ranks per example (from one eager call). */
function outRanks(f: AnyFn, args: Arg[]): number[] {
  return leavesOf(f(...args.map((a) => make(a.examples[0], a.shape, a.dtype)))).map((l) => l.ndim);
}

/** The inAxes configurations of one entry (see the header), each checked against the loop. */
function checkAllAxes(e: Entry): void {
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
function checkNested(e: Entry): void {
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
      return stackValues(Array.from({ length: Bi }, (_, i) => value(j, o, i)), a.shape, normAxis(inner[j]!, a.shape.length + 1));
    });
    if (outer[j] === null) return make(perOuter[0].values, perOuter[0].shape, a.dtype);
    const st = stackValues(perOuter.map((p) => p.values), perOuter[0].shape, normAxis(outer[j]!, perOuter[0].shape.length + 1));
    return make(st.values, st.shape, a.dtype);
  });
  const label = `${e.name}: vmap(vmap(f, inAxes [${inner}], outAxes ${oIn}), inAxes [${outer}], outAxes ${oOut})`;
  try {
    const got = leavesOf(vmap((...xs: NDArray[]) => vmap(e.f, { inAxes: inner, outAxes: oIn })(...xs), { inAxes: outer, outAxes: oOut })(...built));
    const loop = Array.from({ length: Bo }, (_, o) => Array.from({ length: Bi }, (_, i) =>
      leavesOf(e.f(...e.args.map((a, j) => make(value(j, o, i), a.shape, a.dtype))))));
    got.forEach((g, k) => {
      const ex = loop[0][0][k];
      const rows = loop.map((row) => stackValues(row.map((l) => f64(l[k])), ex.shape, normAxis(oIn, ex.ndim + 1)));
      const want = stackValues(rows.map((r) => r.values), rows[0].shape, normAxis(oOut, ex.ndim + 2));
      assert.deepEqual(g.shape, want.shape, `output ${k}: shape`);
      assert.equal(g.dtype, ex.dtype, `output ${k}: dtype`);
      sameValues(`output ${k}`, f64(g), want.values, g.dtype);
    });
  } catch (err) {
    if (err instanceof Error) err.message = `${label}: ${err.constructor.name}: ${err.message}`;
    throw err;
  }
}

// ---------------------------------------------------------------- the op-spec table

function domainOf(spec: Spec, i: number): Gen {
  return Array.isArray(spec.domain) ? spec.domain[i] : spec.domain ?? real();
}
function entryOf(spec: Spec, run: FloatDType): Entry {
  return {
    name: `${spec.name} (${run})`, prims: spec.prims, f: spec.f,
    args: spec.shapes.map((shape, i) => ({ shape, dtype: spec.dtypes?.[i] ?? run, gen: domainOf(spec, i) })),
    joint: spec.gen ? (rng) => spec.gen!(rng, spec.shapes) : undefined,
  };
}

/** vmap of (xs, ts) -> jvp(f, xs, ts), primals and tangents batched at random axes, against the loop. */
function checkVmapJvp(e: Entry): void {
  const rng = new Rng(seedOf(`jvp ${e.name}`));
  const prim = examplesOf(e, 3, 'jvp primals');
  const tan = prim.map((a) => ({ ...a, examples: a.examples.map((x) => Array.from(rng.normals(x.length))), fixed: Array.from(rng.normals(a.fixed.length)) }));
  const n = prim.length;
  const g = (...xt: NDArray[]) => jvp(e.f as (...a: NDArray[]) => NDArray, xt.slice(0, n), xt.slice(n));
  const ranks = outRanks(e.f, prim);
  const axes = [...prim, ...tan].map((a) => randomAxis(rng, a.shape.length));
  checkRun({ label: `${e.name}: vmap(jvp), inAxes [${axes}]`, f: g, args: [...prim, ...tan], inAxes: axes, B: 3, outAxes: randomOutAxis(rng, ranks) });
  // Tangents batched only (a pushforward of a batch of directions, as jacfwd does).
  const tOnly = [...prim.map(() => null), ...tan.map((a) => randomAxis(rng, a.shape.length))];
  checkRun({ label: `${e.name}: vmap(jvp), tangents only, inAxes [${tOnly}]`, f: g, args: [...prim, ...tan], inAxes: tOnly, B: 3 });
}

/** vmap of grad(x -> sum(w * f(x))) (all arguments), at random axes, against the loop. */
function checkVmapGrad(e: Entry): void {
  const rng = new Rng(seedOf(`grad ${e.name}`));
  const args = examplesOf(e, 3, 'grad');
  const out = e.f(...args.map((a) => make(a.examples[0], a.shape, a.dtype))) as NDArray;
  const w = make(Array.from(rng.normals(out.size)), out.shape, out.dtype as DT);
  const s = (...xs: NDArray[]) => np.sum(np.multiply((e.f as (...a: NDArray[]) => NDArray)(...xs), w));
  const g = grad(s, { argnums: args.map((_, i) => i) });
  const axes = args.map((a) => randomAxis(rng, a.shape.length));
  checkRun({ label: `${e.name}: vmap(grad), inAxes [${axes}]`, f: g, args, inAxes: axes, B: 3 });
  if (args.length > 1) {
    const first = args.map((a, i) => (i === 0 ? randomAxis(rng, a.shape.length) : null));
    checkRun({ label: `${e.name}: vmap(grad), inAxes [${first}]`, f: g, args, inAxes: first, B: 3 });
  }
}

/**
 * grad and jvp of a vmap (the batched implementation differentiated): grad of
 * sum(w * vmap(f)(xs)) is each example's gradient (summed over the batch for an unmapped
 * argument), and the jvp of vmap(f) is each example's jvp, against the loop.
 */
function checkTransformsOfVmap(e: Entry): void {
  const rng = new Rng(seedOf(`of vmap ${e.name}`));
  const args = examplesOf(e, 3, 'of vmap');
  const n = args.length, B = 3;
  const f = e.f as (...a: NDArray[]) => NDArray;
  const configs = [args.map((a) => randomAxis(rng, a.shape.length))];
  if (n > 1) configs.push(args.map((a, i) => (i === n - 1 ? randomAxis(rng, a.shape.length) : null)));
  for (const axes of configs) {
    const label = `${e.name}: grad and jvp of vmap(f, inAxes [${axes}])`;
    try {
      const build = (vals: (i: number, b: number) => number[], fixedOf: (i: number) => number[]) => args.map((a, i) => {
        if (axes[i] === null) return make(fixedOf(i), a.shape, a.dtype);
        const st = stackValues(Array.from({ length: B }, (_, b) => vals(i, b)), a.shape, normAxis(axes[i]!, a.shape.length + 1));
        return make(st.values, st.shape, a.dtype);
      });
      const xs = build((i, b) => args[i].examples[b], (i) => args[i].fixed);
      const tanVals = args.map((a) => Array.from({ length: B + 1 }, () => Array.from(rng.normals(sizeOf(a.shape)))));
      const ts = build((i, b) => tanVals[i][b], (i) => tanVals[i][B]);
      const ex = (b: number) => args.map((a, i) => (axes[i] === null ? xs[i] : make(a.examples[b], a.shape, a.dtype)));
      const exT = (b: number) => args.map((a, i) => (axes[i] === null ? ts[i] : make(tanVals[i][b], a.shape, a.dtype)));
      const outs = Array.from({ length: B }, (_, b) => f(...ex(b)));
      const W = Array.from({ length: B }, () => Array.from(rng.normals(outs[0].size)));
      const Wst = stackValues(W, outs[0].shape, 0);
      const w = make(Wst.values, Wst.shape, outs[0].dtype as DT);
      const vf = vmap(f, { inAxes: axes });
      const gs = grad((...a: NDArray[]) => np.sum(np.multiply(vf(...a) as NDArray, w)), { argnums: args.map((_, i) => i) })(...xs) as NDArray[];
      const per = Array.from({ length: B }, (_, b) => {
        const wb = make(W[b], outs[0].shape, outs[0].dtype as DT);
        return (grad((...a: NDArray[]) => np.sum(np.multiply(f(...a), wb)), { argnums: args.map((_, i) => i) })(...ex(b)) as NDArray[]).map((g) => f64(g));
      });
      gs.forEach((g, i) => {
        const s = args[i].shape;
        const want = axes[i] === null
          ? { values: Array.from({ length: sizeOf(s) }, (_, j) => per.reduce((acc, p) => acc + p[i][j], 0)), shape: s }
          : stackValues(per.map((p) => p[i]), s, normAxis(axes[i]!, s.length + 1));
        assert.deepEqual(g.shape, want.shape, `gradient ${i}: shape`);
        sameValues(`gradient ${i}`, f64(g), want.values, g.dtype);
      });
      const [y, t] = jvp((...a: NDArray[]) => vf(...a) as NDArray, xs, ts);
      const wantY = stackValues(outs.map((o) => f64(o)), outs[0].shape, 0);
      const wantT = stackValues(Array.from({ length: B }, (_, b) => f64(jvp(f, ex(b), exT(b))[1])), outs[0].shape, 0);
      assert.deepEqual(t.shape, wantT.shape, 'tangent: shape');
      sameValues('primal', f64(y), wantY.values, y.dtype);
      sameValues('tangent', f64(t), wantT.values, t.dtype);
    } catch (err) {
      if (err instanceof Error) err.message = `${label}: ${err.constructor.name}: ${err.message}`;
      throw err;
    }
  }
}

for (const spec of SPECS) {
  describe(`vmap: op ${spec.name}`, () => {
    test('float64: every inAxes configuration equals the loop', () => checkAllAxes(entryOf(spec, 'float64')));
    test('float32: every inAxes configuration equals the loop', () => checkAllAxes(entryOf(spec, 'float32')));
    test('float64: vmap of jvp equals the loop of jvp', () => checkVmapJvp(entryOf(spec, 'float64')));
    test('float64: vmap of grad equals the loop of grad', () => checkVmapGrad(entryOf(spec, 'float64')));
    test('float64: vmap of vmap equals the loop of loops', () => checkNested(entryOf(spec, 'float64')));
    test('float64: grad and jvp of vmap equal the loop of grads and jvps', () => checkTransformsOfVmap(entryOf(spec, 'float64')));
  });
}

// ---------------------------------------------------------------- explicit cases: what the table does not differentiate

const ints = (lo: number, hi: number): Gen => (rng, n) => Array.from({ length: n }, () => lo + Math.floor(rng.next() * (hi - lo + 1)));
const bools: Gen = (rng, n) => Array.from({ length: n }, () => (rng.next() < 0.5 ? 1 : 0));
const u32s: Gen = (rng, n) => Array.from({ length: n }, () => Math.floor(rng.next() * 2 ** 32));
/** Values from a small set (ties), NaN included. */
const tiesNaN: Gen = (rng, n) => Array.from({ length: n }, () => [-1, 0, 0.5, 2, 2, NaN][Math.floor(rng.next() * 6)]);
/** A sorted row of small values with repeats, NaNs last (searchsorted's `a`). */
const sortedNaN: Gen = (rng, n) => {
  const v = Array.from({ length: n }, () => [0, 0.5, 1, 1, 2, NaN][Math.floor(rng.next() * 6)]);
  return v.sort((a, b) => (Number.isNaN(a) ? 1 : Number.isNaN(b) ? -1 : a - b));
};
const F = (shape: number[], gen: Gen = real(), dtype: DT = 'float64') => ({ shape, dtype, gen });
const I = (shape: number[], lo: number, hi: number) => ({ shape, dtype: 'int32' as DT, gen: ints(lo, hi) });
const key = () => ({ shape: [2], dtype: 'uint32' as DT, gen: u32s });
const N = (f: AnyFn) => f as AnyFn;
/** A well-conditioned matrix from a random one: 0.3 a + 2 I. */
const wellConditioned = (a: NDArray) => np.add(np.multiply(a, 0.3), np.multiply(np.eye(a.shape[a.ndim - 1], { dtype: a.dtype }), 2));
const spd = (a: NDArray) => np.add(np.matmul(a, np.swapaxes(a, -1, -2)), np.eye(a.shape[a.ndim - 1], { dtype: a.dtype }));

// A pullback and a linearization made outside vmap, applied to batches inside (the cookbook's
// vmapped matrix-Jacobian products): their programs have INPUT and PLACEHOLDER rows.
const X0 = make([0.3, -1.2, 0.7], [3], 'float64');
const F0 = (x: NDArray) => np.multiply(np.sin(x), np.sum(np.square(x)));
const [, PULL0] = vjp(F0, X0);
const [, LIN0] = linearize(F0, X0);

const EXTRA: Entry[] = [
  // ---- leaves and identities
  { name: 'a constant made inside: x * [1.5, -2, 0.25]', prims: ['const', 'mul'], f: N((x) => np.multiply(x, np.array([1.5, -2, 0.25], { dtype: 'float64' }))), args: [F([3])] },
  { name: 'lax.full and zerosLike inside', prims: ['full', 'add'], f: N((x) => np.add(np.add(x, lax.full([2, 3], 2.5, 'float64')), np.onesLike(x))), args: [F([2, 3])] },
  { name: 'grad inside: copy of the argument', prims: ['copy'], f: N((x) => grad((y: NDArray) => np.sum(np.sin(y)))(x)), args: [F([4])] },
  { name: 'jacfwd inside (iota basis)', prims: ['iota'], f: N((x) => jacfwd((y: NDArray) => np.multiply(np.sin(y), y))(x)), args: [F([3])] },
  { name: 'jacrev inside (iota basis)', prims: ['iota'], f: N((x) => jacrev((y: NDArray) => np.tanh(np.cumsum(y)))(x)), args: [F([3])] },
  { name: 'hessian and hvp inside', prims: ['iota'], f: N((x, v) => [hessian((y: NDArray) => np.sum(np.multiply(np.sin(y), np.cumsum(y))))(x), hvp((y: NDArray) => np.sum(np.tanh(np.outer(y, y))))(x, v)]), args: [F([3]), F([3])] },
  { name: 'jacrev of a vmapped function inside', prims: ['iota'], f: N((x) => jacrev((y: NDArray) => vmap((r: NDArray) => np.multiply(np.sin(r), np.sum(r)))(y))(x)), args: [F([2, 3])] },
  { name: 'grad of a vmapped function inside', prims: ['copy'], f: N((x, w) => grad((y: NDArray) => np.sum(vmap((r: NDArray, c: NDArray) => np.dot(np.tanh(r), c), { inAxes: [1, null] })(y, w)))(x)), args: [F([3, 2]), F([3])] },
  { name: 'a pullback made outside, vmapped (input rows)', prims: ['input'], f: N((u) => PULL0(u)[0]), args: [F([3])] },
  { name: 'a linearization made outside, vmapped', prims: ['input', 'placeholder'], f: N((v) => LIN0(v)), args: [F([3])] },
  { name: 'linearize inside, applied inside', prims: ['placeholder'], f: N((x, v) => linearize(F0, x)[1](v)), args: [F([3]), F([3])] },
  { name: 'vjp inside (pullback of a batched point)', prims: ['placeholder'], f: N((x, u) => vjp(F0, x)[1](u)[0]), args: [F([3]), F([3])] },
  { name: 'split pieces (proj)', prims: ['split', 'proj'], f: N((x) => np.split(x, [1, 3], { axis: 1 })), args: [F([2, 5])] },
  { name: 'stopGradient values and its zero derivative', prims: ['stop_gradient'], f: N((x) => [stopGradient(x), grad((y: NDArray) => np.sum(np.multiply(y, stopGradient(y))))(x)]), args: [F([2, 3])] },

  // ---- integers and bools (exact)
  {
    name: 'int32 bitwise and or xor not', prims: ['and', 'or', 'xor', 'not'],
    f: N((x, y) => [np.bitwiseAnd(x, y), np.bitwiseOr(x, y), np.bitwiseXor(x, y), np.bitwiseNot(x)]), args: [I([4], -9, 9), I([4], -9, 9)],
  },
  {
    name: 'uint32 bitwise', prims: ['and', 'or', 'xor', 'not'],
    f: N((x, y) => [np.bitwiseAnd(x, y), np.bitwiseOr(x, y), np.bitwiseXor(x, y), np.bitwiseNot(y)]),
    args: [{ shape: [2, 2], dtype: 'uint32', gen: u32s }, { shape: [2, 2], dtype: 'uint32', gen: u32s }],
  },
  {
    name: 'bool logic', prims: ['and', 'or', 'xor', 'not'],
    f: N((x, y) => [np.logicalAnd(x, y), np.logicalOr(x, y), np.logicalXor(x, y), np.logicalNot(x)]),
    args: [{ shape: [5], dtype: 'bool', gen: bools }, { shape: [5], dtype: 'bool', gen: bools }],
  },
  {
    name: 'int32 shifts (counts past 31)', prims: ['shift_left', 'shift_right_arithmetic', 'shift_right_logical'],
    f: N((x, c) => [lax.shiftLeft(x, c), lax.shiftRightArithmetic(x, c), lax.shiftRightLogical(x, c)]), args: [I([5], -1000, 1000), I([5], 0, 40)],
  },
  {
    name: 'uint32 shifts', prims: ['shift_left', 'shift_right_logical'],
    f: N((x, c) => [lax.shiftLeft(x, c), lax.shiftRightLogical(x, c)]),
    args: [{ shape: [4], dtype: 'uint32', gen: u32s }, { shape: [4], dtype: 'uint32', gen: ints(0, 35) }],
  },
  {
    name: 'int32 arithmetic, comparisons, select, convert (division by 0 included)', prims: ['add', 'mul', 'div', 'rem', 'max', 'min', 'abs', 'neg', 'lt', 'eq', 'select', 'convert', 'sign'],
    f: N((x, y) => [np.add(x, y), np.multiply(x, y), lax.div(x, y), lax.rem(x, y), np.maximum(x, y), np.minimum(x, y), np.abs(x), np.negative(y),
      np.less(x, y), np.equal(x, y), np.where(np.less(x, y), x, y), np.astype(x, 'float32'), np.sign(y)]),
    args: [I([2, 3], -6, 6), I([2, 3], -3, 3)],
  },
  {
    name: 'int32 movement: transpose, reshape, concatenate, split, broadcastInDim', prims: ['transpose', 'reshape', 'concatenate', 'split', 'broadcast_in_dim'],
    f: N((x) => [np.transpose(x), np.reshape(x, [-1]), np.concatenate([x, x], { axis: 1 }), np.split(x, 2, { axis: 1 })[1], lax.broadcastInDim(x, [2, 3, 4], [1, 2])]),
    args: [I([3, 4], -50, 50)],
  },
  {
    name: 'float to int and bool converts, isfinite', prims: ['convert', 'is_finite'],
    f: N((x) => [np.astype(x, 'int32'), np.astype(x, 'bool'), np.isfinite(np.divide(x, np.round(x)))]), args: [F([5], real(-3, 3))],
  },

  // ---- reductions to indices
  {
    name: 'argmax / argmin along axes, ties and NaNs', prims: ['argmax', 'argmin'],
    f: N((x) => [np.argmax(x, 1), np.argmin(x, 0), np.argmax(x, -1), np.argmin(x, { axis: null })]), args: [F([3, 4], tiesNaN)],
  },
  { name: 'max / min reductions with NaNs', prims: ['reduce_max', 'reduce_min'], f: N((x) => [np.max(x, 0), np.min(x, 1)]), args: [F([3, 4], tiesNaN)] },

  // ---- sorting and searching
  {
    name: 'argsort and sort along axes (ties, NaNs, descending)', prims: ['argsort', 'gather'],
    f: N((x) => [np.argsort(x, { axis: 0 }), np.argsort(x, { axis: -1, descending: true }), np.sort(x, { axis: 0 }), np.sort(x, { axis: 1, descending: true }), np.argsort(x, { axis: null })]),
    args: [F([3, 4], tiesNaN)],
  },
  { name: 'argsort [5] float32', prims: ['argsort'], f: N((x) => np.argsort(x)), args: [F([5], tiesNaN, 'float32')] },
  { name: 'topK values and indices', prims: ['argsort', 'gather'], f: N((x) => lax.topK(x, 2)), args: [F([2, 5], tiesNaN)] },
  {
    name: 'searchsorted left and right (repeats, NaNs in a and v)', prims: ['searchsorted'],
    f: N((a, v) => [np.searchsorted(a, v), np.searchsorted(a, v, { side: 'right' })]),
    args: [F([5], sortedNaN), F([2, 3], tiesNaN)],
  },
  {
    name: 'searchsorted float32, scalar v', prims: ['searchsorted'],
    f: N((a, v) => [np.searchsorted(a, v, 'left'), np.searchsorted(a, v, 'right')]), args: [F([6], sortedNaN, 'float32'), F([], tiesNaN, 'float32')],
  },

  // ---- gather / scatter_add with batched operands, indices, updates
  { name: 'take axis 1 with int32 indices (out of range, negative)', prims: ['gather'], f: N((x, i) => np.take(x, i, { axis: 1 })), args: [F([3, 4]), I([2, 2], -6, 5)] },
  { name: 'take axis 0 clip', prims: ['gather'], f: N((x, i) => np.take(x, i, { axis: 0, mode: 'clip' })), args: [F([3, 2]), I([4], -5, 5)] },
  { name: 'take axis -1 of an int32 operand', prims: ['gather'], f: N((x, i) => np.take(x, i, { axis: -1 })), args: [I([2, 3], -9, 9), I([3], 0, 2)] },
  { name: 'takeAlongAxis axis 1', prims: ['gather'], f: N((x, i) => np.takeAlongAxis(x, i, 1)), args: [F([3, 4]), I([3, 2], 0, 3)] },
  { name: 'takeAlongAxis axis 0', prims: ['gather'], f: N((x, i) => np.takeAlongAxis(x, i, 0)), args: [F([3, 2]), I([4, 2], -3, 2)] },
  { name: 'index with a slice and an int32 array', prims: ['gather'], f: N((x, i) => np.index(x, '::-1', i)), args: [F([4, 3]), I([2, 2], 0, 2)] },
  { name: 'index with two int32 arrays', prims: ['gather'], f: N((x, i, j) => np.index(x, i, j)), args: [F([3, 4]), I([2], 0, 2), I([2], -4, 3)] },
  { name: 'x.at(idx).add(u) (repeats, out of range)', prims: ['scatter_add'], f: N((x, i, u) => x.at(i).add(u)), args: [F([5]), I([4], -7, 6), F([4])] },
  { name: 'x.at(rows).add(u) [4,2]', prims: ['scatter_add'], f: N((x, i, u) => x.at(i).add(u)), args: [F([4, 2]), I([3], 0, 3), F([3, 2])] },
  {
    name: 'x.at(idx).set/mul/min/max(u) (repeats: the last set wins; out of range dropped)', prims: ['scatter_add', 'select'],
    f: N((x, i, u) => [x.at(i).set(u), x.at(i).mul(u), x.at(i).min(u), x.at(i).max(u), x.at(i).get()]), args: [F([5]), I([4], -7, 6), F([4])],
  },
  {
    name: 'x.at(rows, cols).set(u) [3,4]', prims: ['scatter_add', 'select'],
    f: N((x, i, j, u) => [x.at(i, j).set(u), x.at(i, ':').max(np.expandDims(u, 1))]), args: [F([3, 4]), I([3], 0, 2), I([3], -4, 3), F([3])],
  },
  {
    name: 'grad through x.at(idx).set/max(u) (traced positions when idx is batched)', prims: ['scatter_add', 'select'],
    f: N((x, i, u) => grad((y: NDArray, v: NDArray) => np.sum(np.multiply(np.sin(y.at(i).set(v)), np.cos(y.at(i).max(v)))), { argnums: [0, 1] })(x, u)),
    args: [F([5]), I([4], -7, 6), F([4])],
  },
  { name: 'x.at(static).set(u)', prims: ['scatter_add', 'select'], f: N((x, u) => x.at([2, 0]).set(u)), args: [F([3, 2]), F([2, 2])] },
  { name: 'lax.dynamicSlice with a traced start', prims: ['gather'], f: N((x, s) => lax.dynamicSlice(x, [s, 1], [2, 2])), args: [F([4, 3]), I([], -1, 4)] },
  { name: 'lax.dynamicUpdateSlice', prims: ['scatter_add'], f: N((x, u) => lax.dynamicUpdateSlice(x, u, [1, 0])), args: [F([3, 3]), F([2, 2])] },
  {
    name: 'lax.gather and lax.scatterAdd (general forms)', prims: ['gather', 'scatter_add'],
    f: N((x, i, u) => [
      lax.gather(x, i, { offsetDims: [1], collapsedSliceDims: [0], startIndexMap: [0] }, [1, 2], { mode: 'clip' }),
      lax.scatterAdd(x, i, u, { updateWindowDims: [1], insertedWindowDims: [0], scatterDimsToOperandDims: [0] }),
    ]),
    args: [F([4, 3]), I([2, 1], 0, 3), F([2, 3])],
  },

  // ---- linear algebra
  { name: 'cholesky', prims: ['cholesky'], f: N((a) => linalg.cholesky(spd(a))), args: [F([3, 3])] },
  { name: 'solve', prims: ['lu', 'triangular_solve'], f: N((a, b) => linalg.solve(wellConditioned(a), b)), args: [F([3, 3]), F([3, 2])] },
  { name: 'solve with a vector b', prims: ['lu', 'triangular_solve'], f: N((a, b) => linalg.solve(wellConditioned(a), b)), args: [F([2, 2]), F([2])] },
  {
    name: 'triangularSolve (both sides, lower and upper, transposed, unit diagonal)', prims: ['triangular_solve'],
    f: N((a, b, c) => [
      linalg.triangularSolve(wellConditioned(a), b),
      linalg.triangularSolve(wellConditioned(a), c, { leftSide: false, lower: false, transposeA: true }),
      linalg.triangularSolve(a, b, { unitDiagonal: true }),
    ]),
    args: [F([3, 3]), F([3, 2]), F([2, 3])],
  },
  { name: 'lu (P, L, U)', prims: ['lu', 'proj'], f: N((a) => linalg.lu(a)), args: [F([3, 3])] },
  { name: 'det, slogdet, inv', prims: ['lu'], f: N((a) => [linalg.det(a), ...linalg.slogdet(a), linalg.inv(wellConditioned(a))]), args: [F([3, 3])] },
  { name: 'cholesky of a batch per example [2,2,2]', prims: ['cholesky'], f: N((a) => linalg.cholesky(spd(a))), args: [F([2, 2, 2])] },

  // ---- the PRNG (bit-exact: uint32 and float outputs alike come from the same bits)
  {
    name: 'random draws from a key: normal, uniform (float32, float64), bits, split, foldIn', prims: ['threefry2x32', 'random_float'],
    f: N((k) => [random.normal(k, [3]), random.uniform(k, [2, 2]), random.uniform(k, [3], { dtype: 'float64' }), random.bits(k, [2]), random.split(k, 3), random.foldIn(k, 7)]),
    args: [key()],
  },
  {
    name: 'random with a key and a value: x + normal(k), bernoulli(k, p)', prims: ['threefry2x32', 'random_float'],
    f: N((k, x) => [np.add(x, random.normal(k, [3])), random.bernoulli(k, np.sigmoid(x))]), args: [key(), F([3], real(), 'float32')],
  },
  {
    name: 'random families with batched keys and parameters', prims: ['threefry2x32', 'random_float'],
    f: N((k, p, lo, m) => [
      random.gumbel(k, [2]), random.exponential(k, [2]), random.laplace(k, [2]), random.logistic(k, [2]), random.rademacher(k, [3]),
      random.bernoulli(k, p), random.categorical(k, np.log(p)), random.truncatedNormal(k, lo, np.add(lo, 1), [3]),
      random.multivariateNormal(k, m, np.eye(2, { dtype: 'float32' })),
    ]),
    args: [key(), F([3], real(0.1, 0.9), 'float32'), F([3], real(-1, 1), 'float32'), F([2], real(), 'float32')],
  },

  {
    name: 'randint, permutation, choice, float64 normal with batched keys', prims: ['threefry2x32', 'random_float', 'argsort'],
    f: N((k, x) => [random.randint(k, [3], -5, 7), random.permutation(k, 5), random.permutation(k, x), random.permutation(k, x, { independent: true }),
      random.choice(k, 5, [3]), random.choice(k, x, [2], { replace: false }), random.normal(k, [3], 'float64')]),
    args: [key(), F([4])],
  },
  { name: 'x.get(i) on a batch of keys (uint32 gather)', prims: ['gather'], f: N((ks, i) => [ks.get(i), np.take(ks, i, { axis: 0 })]), args: [{ shape: [3, 2], dtype: 'uint32', gen: u32s }, I([], 0, 2)] },
  { name: 'int32 sum, dot, matmul (wrapping)', prims: ['sum', 'dot_general'], f: N((a, b) => [np.sum(a), np.sum(a, 0), np.dot(a, b), np.matmul(a, b), np.cumsum(a, 1)]), args: [I([2, 3], -(2 ** 30), 2 ** 30), I([3, 2], -9, 9)] },
  { name: 'index with null among index arrays', prims: ['gather'], f: N((x, i) => np.index(x, i, null, ':')), args: [F([3, 4]), I([2], 0, 2)] },
  { name: 'jit inside vmap', prims: ['sin', 'dot_general'], f: N((x, w) => jit((a: NDArray, b: NDArray) => np.sin(np.matmul(a, b)))(x, w)), args: [F([2, 3]), F([3])] },
  { name: 'vmap inside jit inside vmap', prims: ['tanh'], f: N((x) => jit((a: NDArray) => vmap((r: NDArray) => np.tanh(np.sum(r)), { inAxes: 1 })(a))(x)), args: [F([2, 3])] },
  // ---- numpy rearrangement and construction inside vmap
  {
    name: 'pad, roll, tile, repeat, flip, moveaxis', prims: ['gather', 'concatenate', 'transpose'],
    f: N((x) => [np.pad(x, 1, { mode: 'edge' }), np.pad(x, [[0, 1], [2, 0]]), np.roll(x, 1, 1), np.tile(x, [2, 1]), np.repeat(x, 2, 0), np.flip(x, 1), np.moveaxis(x, 0, -1)]),
    args: [F([2, 3])],
  },
  {
    name: 'diag, diagonal, trace, tril, triu', prims: ['gather', 'scatter_add', 'select'],
    f: N((x, v) => [np.diagonal(x), np.diagonal(x, -1), np.trace(x), np.tril(x), np.triu(x, 1), np.diag(v)]), args: [F([3, 3]), F([3])],
  },
  { name: 'oneHot of int32 classes (out of range included)', prims: ['eq', 'convert'], f: N((i) => np.oneHot(i, 4)), args: [I([3], -1, 4)] },
  { name: 'meshgrid, outer', prims: ['broadcast_in_dim', 'mul'], f: N((a, b) => [...np.meshgrid(a, b), np.outer(a, b)]), args: [F([2]), F([3])] },
  { name: 'where with a batched bool condition', prims: ['select'], f: N((c, x, y) => np.where(c, x, y)), args: [{ shape: [4], dtype: 'bool', gen: bools }, F([4]), F([1])] },
  { name: 'cumsum, cumprod, cummax, cummin along axes', prims: ['split', 'concatenate'], f: N((x) => [np.cumsum(x, 0), np.cumprod(x, 1), np.cummax(x, 0), np.cummin(x, -1)]), args: [F([3, 4])] },
  { name: 'softmax, logsumexp, var, std, norm', prims: ['reduce_max', 'exp', 'sum'], f: N((x) => [np.softmax(x, { axis: 0 }), np.logsumexp(x, { axis: 1 }), np.var(x), np.std(x, 0), np.norm(x, { ord: 1, axis: 1 })]), args: [F([3, 4])] },
  { name: 'einsum with a trace, tensordot, kron', prims: ['dot_general', 'mul'], f: N((a, b) => [np.einsum('ii,ij->j', a, b), np.tensordot(a, b, 1), np.kron(a, b)]), args: [F([3, 3]), F([3, 2])] },
  { name: 'bool sum and mean, bool matmul', prims: ['convert', 'dot_general'], f: N((a, b) => [np.sum(a), np.mean(a, 0), np.matmul(a, b)]), args: [{ shape: [2, 3], dtype: 'bool', gen: bools }, { shape: [3, 2], dtype: 'bool', gen: bools }] },
];

for (const e of EXTRA) {
  test(`vmap: ${e.name}: every inAxes configuration equals the loop`, () => checkAllAxes(e));
  test(`vmap: ${e.name}: vmap of vmap equals the loop of loops`, () => checkNested(e));
}

test('the harness rejects a batched result that differs from the loop (float by 1e-9 relative, int by 1)', () => {
  // f reads a JS counter: vmap traces it once, the loop calls it per example, so they differ.
  const rejects = (e: Entry) => assert.throws(() => checkRun({ label: e.name, f: e.f, args: examplesOf(e, 3, 'mutant'), inAxes: [0], B: 3 }), /element \d+: got/);
  let calls = 0;
  rejects({ name: 'float mutant', prims: [], f: N((x) => np.multiply(x, 1 + 1e-9 * calls++)), args: [F([3], real(1, 2))] });
  rejects({ name: 'int mutant', prims: [], f: N((x) => np.add(x, calls++ % 2)), args: [I([3], -5, 5)] });
  rejects({ name: 'bool mutant', prims: [], f: N((x) => np.logicalXor(x, calls++ % 2 === 1)), args: [{ shape: [4], dtype: 'bool', gen: bools }] });
});

test('random draws with a batch of keys equal the loop under the partitionable threefry scheme too', () => {
  const keys = random.split(random.PRNGKey(3), 4);
  const rows = keys.tolist() as number[][];
  const draw = (k: NDArray) => [random.normal(k, [3]), random.bits(k, [2, 2]), random.split(k, 2), random.uniform(k, [2], { dtype: 'float64' })];
  random.setThreefryPartitionable(true);
  try {
    const got = vmap(draw)(keys) as NDArray[];
    const loop = rows.map((r) => draw(make(r, [2], 'uint32')));
    got.forEach((g, k) => {
      const want = stackValues(loop.map((l) => f64(l[k])), loop[0][k].shape, 0);
      assert.deepEqual(g.shape, want.shape);
      assert.deepEqual(Array.from(f64(g)), want.values, `output ${k}`);
    });
  } finally {
    random.setThreefryPartitionable(false);
  }
});

test('every primitive of the wasm op table has a vmap entry (the op-spec table or the explicit cases)', () => {
  const covered = new Set([...SPECS.flatMap((s) => s.prims), ...EXTRA.flatMap((e) => e.prims)]);
  const missing = wasmOpNames().filter((p) => !covered.has(p));
  assert.deepEqual(missing, [], `primitives without a vmap entry: ${missing.join(', ')}`);
});

test('vmap((k) => random.normal(k, [3]))(random.split(key, 8)) equals the loop over the keys, bit for bit', () => {
  const keys = random.split(random.PRNGKey(0), 8);
  const got = vmap((k: NDArray) => random.normal(k, [3]))(keys) as NDArray;
  assert.deepEqual(got.shape, [8, 3]);
  const rows = keys.tolist() as number[][];
  const want = rows.flatMap((r) => Array.from(f64(random.normal(make(r, [2], 'uint32'), [3]))));
  assert.deepEqual(Array.from(f64(got)), want);
  // The same keys along axis 1, and the float64 uniform path.
  const keysT = make(stackValues(rows, [2], 1).values, [2, 8], 'uint32');
  const u = vmap((k: NDArray) => random.uniform(k, [2], { dtype: 'float64' }), { inAxes: 1, outAxes: 1 })(keysT) as NDArray;
  const wantU = stackValues(rows.map((r) => Array.from(f64(random.uniform(make(r, [2], 'uint32'), [2], { dtype: 'float64' })))), [2], 1);
  assert.deepEqual(u.shape, wantU.shape);
  assert.deepEqual(Array.from(f64(u)), wantU.values);
});

// ---------------------------------------------------------------- random configurations of the rules with axis arithmetic

// The table's entries fix shapes and parameters; the rules of dot_general, gather, scatter_add,
// broadcast_in_dim, transpose, the reductions, concatenate and split map parameters across the
// batch axis, so they also run at random parameters (rejection-sampled: a configuration the
// eager function refuses is drawn again), random inAxes (an argument unmapped a quarter of the
// time) and batch sizes 0-3, each against the loop, and under a second vmap level.
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)];
const randInt = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng.next() * (hi - lo + 1));
const shuffled = <T>(rng: Rng, xs: readonly T[]): T[] => {
  const a = xs.slice();
  for (let i = a.length - 1; i > 0; i--) { const j = randInt(rng, 0, i); [a[i], a[j]] = [a[j], a[i]]; }
  return a;
};
const subset = (rng: Rng, xs: readonly number[], k: number) => shuffled(rng, xs).slice(0, k).sort((a, b) => a - b);
const randShape = (rng: Rng, rank: number) => Array.from({ length: rank }, () => randInt(rng, 1, 4));
const iota = (n: number) => Array.from({ length: n }, (_, i) => i);

const FAMILIES: Record<string, (rng: Rng) => Entry> = {
  dot_general(rng) {
    const nb = randInt(rng, 0, 1), nc = randInt(rng, 0, 2), fl = randInt(rng, 0, 2), fr = randInt(rng, 0, 1);
    const bs = randShape(rng, nb), cs = randShape(rng, nc);
    const lr = nb + nc + fl, rr = nb + nc + fr;
    const lpos = shuffled(rng, iota(lr)), rpos = shuffled(rng, iota(rr));
    const ls = randShape(rng, lr), rs = randShape(rng, rr);
    bs.forEach((d, i) => { ls[lpos[i]] = d; rs[rpos[i]] = d; });
    cs.forEach((d, i) => { ls[lpos[nb + i]] = d; rs[rpos[nb + i]] = d; });
    const dims: [[number[], number[]], [number[], number[]]] = [[lpos.slice(nb, nb + nc), rpos.slice(nb, nb + nc)], [lpos.slice(0, nb), rpos.slice(0, nb)]];
    return { name: `dotGeneral [${ls}] [${rs}] ${JSON.stringify(dims)}`, prims: [], f: N((a, b) => lax.dotGeneral(a, b, dims)), args: [F(ls), F(rs)] };
  },
  gather(rng) {
    const R = randInt(rng, 1, 3), xs = randShape(rng, R), K = randInt(rng, 1, R);
    const startIndexMap = shuffled(rng, iota(R)).slice(0, K);
    const collapsed = subset(rng, startIndexMap, randInt(rng, 0, K));
    const sizes = xs.map((d, i) => (collapsed.includes(i) ? 1 : randInt(rng, 1, d)));
    const ib = randShape(rng, randInt(rng, 0, 2));
    const outRank = ib.length + R - collapsed.length;
    const offsetDims = subset(rng, iota(outRank), R - collapsed.length);
    const mode = pick(rng, ['clip', 'fill'] as const);
    const dn = { offsetDims, collapsedSliceDims: collapsed, startIndexMap };
    return {
      name: `gather [${xs}] indices [${ib},${K}] ${JSON.stringify(dn)} sizes [${sizes}] ${mode}`, prims: [],
      f: N((x, i) => lax.gather(x, i, dn, sizes, { mode })), args: [F(xs), I([...ib, K], -1, 4)],
    };
  },
  scatter_add(rng) {
    const R = randInt(rng, 1, 3), xs = randShape(rng, R), K = randInt(rng, 1, R);
    const toOperand = shuffled(rng, iota(R)).slice(0, K);
    const inserted = subset(rng, toOperand, randInt(rng, 0, K));
    const windows = xs.map((d, i) => (inserted.includes(i) ? 0 : randInt(rng, 1, d))).filter((w) => w > 0);
    const ib = randShape(rng, randInt(rng, 0, 2));
    const uRank = ib.length + windows.length;
    const updateWindowDims = subset(rng, iota(uRank), windows.length);
    const us: number[] = [];
    for (let d = 0, w = 0, b = 0; d < uRank; d++) us.push(updateWindowDims.includes(d) ? windows[w++] : ib[b++]);
    const mode = pick(rng, ['clip', 'fill'] as const);
    const dn = { updateWindowDims, insertedWindowDims: inserted, scatterDimsToOperandDims: toOperand };
    return {
      name: `scatterAdd [${xs}] indices [${ib},${K}] updates [${us}] ${JSON.stringify(dn)} ${mode}`, prims: [],
      f: N((x, i, u) => lax.scatterAdd(x, i, u, dn, { mode })), args: [F(xs), I([...ib, K], -1, 4), F(us)],
    };
  },
  broadcast_in_dim(rng) {
    const outRank = randInt(rng, 0, 4), out = randShape(rng, outRank);
    const dims = subset(rng, iota(outRank), randInt(rng, 0, outRank));
    const xs = dims.map((d) => (rng.next() < 0.3 ? 1 : out[d]));
    return { name: `broadcastInDim [${xs}] -> [${out}] dims [${dims}]`, prims: [], f: N((x) => lax.broadcastInDim(x, out, dims)), args: [F(xs)] };
  },
  transpose_reshape(rng) {
    const xs = randShape(rng, randInt(rng, 0, 4)), perm = shuffled(rng, iota(xs.length));
    const flat = shuffled(rng, [...xs, 1]);
    return { name: `transpose [${xs}] [${perm}], reshape`, prims: [], f: N((x) => [lax.transpose(x, perm), np.reshape(x, flat), np.ravel(x)]), args: [F(xs)] };
  },
  reductions(rng) {
    const xs = randShape(rng, randInt(rng, 1, 4)), axes = subset(rng, iota(xs.length), randInt(rng, 0, xs.length)), a = randInt(rng, 0, xs.length - 1);
    return {
      name: `reductions [${xs}] axes [${axes}] axis ${a}`, prims: [],
      f: N((x) => [lax.reduceSum(x, axes), lax.reduceMax(x, axes), np.min(x, { axis: axes, keepdims: true }), np.argmax(x, a), np.argsort(x, { axis: a }), np.cumsum(x, a)]),
      args: [F(xs, tiesNaN)],
    };
  },
  concatenate_split(rng) {
    const rank = randInt(rng, 1, 3), base = randShape(rng, rank), axis = randInt(rng, 0, rank - 1);
    const shapes = Array.from({ length: randInt(rng, 1, 3) }, () => base.map((d, i) => (i === axis ? randInt(rng, 0, 3) : d)));
    const total = shapes.reduce((t, s) => t + s[axis], 0);
    const cuts = [...new Set(Array.from({ length: randInt(rng, 0, 2) }, () => randInt(rng, 0, total)))].sort((p, q) => p - q);
    return {
      name: `concatenate ${shapes.map((s) => `[${s}]`).join(' ')} axis ${axis}, split at [${cuts}]`, prims: [],
      f: N((...xs) => { const c = np.concatenate(xs, { axis }); return [c, ...np.split(c, cuts, { axis })]; }), args: shapes.map((s) => F(s)),
    };
  },
};

for (const [family, make1] of Object.entries(FAMILIES)) {
  test(`vmap: random ${family} configurations (60) equal the loop at random inAxes and batch sizes, and nested`, () => {
    const rng = new Rng(seedOf(`family ${family}`));
    for (let c = 0; c < 60; c++) {
      let e: Entry | undefined;
      for (let tries = 0; tries < 200 && !e; tries++) {
        const cand = make1(rng);
        try { outRanks(cand.f, examplesOf(cand, 1, 'probe')); e = cand; } catch (err) { if (!(err instanceof CotangentError)) throw err; }
      }
      assert.ok(e, `${family}: no valid configuration in 200 draws`);
      const args = examplesOf(e, 3, `config ${c}`);
      let axes = args.map((a) => (rng.next() < 0.25 ? null : randomAxis(rng, a.shape.length)));
      if (axes.every((a) => a === null)) axes = axes.map((_, i) => (i === 0 ? randomAxis(rng, args[0].shape.length) : null));
      const B = randInt(rng, 0, 3);
      checkRun({ label: `${e.name}: B ${B}, inAxes [${axes}]`, f: e.f, args, inAxes: axes, B, outAxes: randomOutAxis(rng, outRanks(e.f, args)) });
      if (c % 4 === 0) checkNested(e);
    }
  });
}

// ---------------------------------------------------------------- errors

/** fn throws an instance of `cls` whose message matches every pattern; then the library still works. */
function throwsWith(fn: () => unknown, cls: new (...a: never[]) => Error, ...patterns: RegExp[]): void {
  let err: unknown;
  try { fn(); } catch (e) { err = e; }
  assert.ok(err instanceof cls, `expected a ${cls.name}, got ${err === undefined ? 'no error' : `${(err as Error).constructor.name}: ${(err as Error).message}`}`);
  assert.ok(err instanceof CotangentError, 'a CotangentError subclass');
  for (const p of patterns) assert.match((err as Error).message, p);
  // The next call works, vmap included.
  assert.deepEqual(vmap((x: NDArray) => np.multiply(x, 2))(np.array([1, 2, 3])).tolist(), [2, 4, 6]);
  assert.equal(grad(np.sin)(0).item(), 1);
}

describe('vmap: concrete values', () => {
  const xs = np.array([[1, -2, 3], [-4, 5, -6]]);
  test('valueOf, item(), tolist() and if (x < 0) on a batched value throw a TracerError naming the value and why', () => {
    throwsWith(() => vmap((x: NDArray) => np.array(Number(np.sum(x).valueOf())))(xs), TracerError, /valueOf/, /float32\[\] per example/, /batched by vmap/, /differs across\s+the batch/);
    throwsWith(() => vmap((x: NDArray) => np.array(np.sum(x).item() as number))(xs), TracerError, /item/, /float32\[\] per example/, /differs across\s+the batch/);
    throwsWith(() => vmap((x: NDArray) => np.array(x.tolist() as number[]))(xs), TracerError, /float32\[3\] per example/, /batched by vmap/);
    throwsWith(() => vmap((x: NDArray) => ((np.sum(x) as unknown as number) < 0 ? x : np.negative(x)))(xs), TracerError, /float32\[\] per example/, /np\.where instead of if/);
    throwsWith(() => vmap((x: NDArray) => x.dataSync() as never)(xs), TracerError, /float32\[3\] per example/);
    // Nested: the inner level's batched values are as unreadable.
    throwsWith(() => vmap((row: NDArray) => vmap((v: NDArray) => np.array(v.item() as number))(row))(xs), TracerError, /float32\[\] per example/);
  });

  test('JS control flow on values that do not depend on the batched arguments works inside vmap', () => {
    const W = np.array([[0.5, -1], [2, 0.25], [1, 1]]);
    const f = (x: NDArray, scale: NDArray) => {
      const s = np.sum(W).item() as number; // concrete: W is not batched
      let y = s > 0 ? np.matmul(x, W) : np.negative(np.matmul(x, W));
      if ((scale as unknown as number) > 1) y = np.multiply(y, scale); // an unbatched argument reads too
      for (let i = 0; i < x.shape[0]; i++) y = np.add(y, 1); // shapes are per example
      return y;
    };
    const got = vmap(f, { inAxes: [0, null] })(xs, np.array(3)) as NDArray;
    const want = [0, 1].map((b) => f(np.index(xs, b), np.array(3)).tolist());
    assert.deepEqual(got.tolist(), want);
    // A JS comparison of an unbatched value under vmap of grad.
    const g = vmap(grad((x: NDArray) => ((np.sum(W) as unknown as number) > 0 ? np.sum(np.sin(x)) : np.sum(x))))(xs) as NDArray;
    assert.deepEqual(g.tolist(), (xs.tolist() as number[][]).map((r) => r.map((v) => Math.fround(Math.cos(Math.fround(v))))));
  });
});

describe('vmap: escaped batched values', () => {
  const xs = np.array([[1, 2], [3, 4], [5, 6]]);
  test('a batched value stored inside vmap and used after it returned is a TracerError; the next call works', () => {
    let leaked: NDArray | undefined, leakedScalar: NDArray | undefined;
    const out = vmap((x: NDArray) => { leaked = np.sin(x); leakedScalar = np.sum(x); return np.cos(x); })(xs) as NDArray;
    assert.deepEqual(out.shape, [3, 2]);
    throwsWith(() => np.add(leaked!, 1), TracerError, /escaped/, /float32\[2\]/);
    throwsWith(() => leakedScalar!.item(), TracerError);
    throwsWith(() => leakedScalar!.valueOf(), TracerError);
    throwsWith(() => leaked!.tolist(), TracerError);
    throwsWith(() => grad((y: NDArray) => np.sum(np.multiply(y, leaked!)))(np.array([1, 2])), TracerError);
    // Used inside a later vmap (another level): still escaped.
    throwsWith(() => vmap((x: NDArray) => np.add(x, leaked!))(xs), TracerError);
    // Returned through an inner vmap's closure into the outer one: escaped from the inner level.
    throwsWith(() => vmap((row: NDArray) => {
      let inner: NDArray | undefined;
      vmap((v: NDArray) => { inner = np.exp(v); return v; })(row);
      return np.add(row, inner!);
    })(xs), TracerError);
    // The same function without the leak gives the loop's values.
    const again = vmap((x: NDArray) => np.cos(x))(xs) as NDArray;
    assert.deepEqual(again.tolist(), out.tolist());
  });
});

describe('vmap: misuse names the function and the shapes', () => {
  const a3 = np.ones([3, 2]), a4 = np.ones([4, 2]);
  const add = (x: NDArray, y: NDArray) => np.add(x, y);
  test('inconsistent batch sizes', () => {
    throwsWith(() => vmap(add)(a3, a4), ValueError, /vmap/, /inconsistent sizes/, /float32\[3,2\]/, /float32\[4,2\]/, /size 3/, /size 4/);
    throwsWith(() => vmap(add, { inAxes: [0, 1] })(a3, np.ones([2, 4])), ValueError, /float32\[2,4\] axis 1 \(size 4\)/);
    throwsWith(() => vmap(add, { axisSize: 5 })(a3, a3), ValueError, /axisSize 5/, /float32\[3,2\]/);
  });
  test('bad axes are AxisErrors (a ValueError, as numpy)', () => {
    throwsWith(() => vmap(np.sin, { inAxes: 2 })(a3), AxisError, /vmap: inAxes of argument 0/, /axis 2 is out of bounds for rank 2/);
    throwsWith(() => vmap(np.sin, { inAxes: -3 })(a3), AxisError, /axis -3/);
    throwsWith(() => vmap(np.sin)(np.array(1)), AxisError, /scalar/);
    throwsWith(() => vmap(np.sin, { outAxes: 3 })(a3), AxisError, /vmap: outAxes of output 0/, /axis 3 is out of bounds for rank 2/);
    throwsWith(() => vmap(np.sin, { outAxes: -3 })(a3), AxisError, /outAxes/);
    assert.ok(new AxisError('x') instanceof ValueError);
    throwsWith(() => vmap(np.sin, { inAxes: 0.5 })(a3), ValueError, /an axis must be an integer or null, got 0.5/);
    throwsWith(() => vmap(np.sin, { inAxes: 'x' as never })(a3), ValueError, /vmap/);
  });
  test('an inAxes list of the wrong length, and an axis tree that does not match the argument', () => {
    throwsWith(() => vmap(add, { inAxes: [0] })(a3, a3), ValueError, /inAxes is a list of 1 entries/, /called with 2 argument/);
    throwsWith(() => vmap(add, { inAxes: [0, null, 0] })(a3, a3), ValueError, /list of 3/);
    throwsWith(() => vmap((p: NDArray[]) => np.add(p[0], p[1]), { inAxes: [[0, 0, 0]] })([a3, a3]), ValueError, /list of 3/, /a list of 2/);
    throwsWith(() => vmap((p: { a: NDArray }) => p.a, { inAxes: [{ b: 0 }] })({ a: a3 }), ValueError, /keys \[b\]/, /\[a\]/);
  });
  test('outAxes null for an output that varies across the batch', () => {
    throwsWith(() => vmap(np.sin, { outAxes: null })(a3), ValueError, /vmap: output 0/, /float32\[2\] per example/, /varies across the batch/, /outAxes is null/);
    // An output that does not vary may have outAxes null (it is returned as is).
    const [y, c] = vmap((x: NDArray) => [np.sin(x), np.ones([2])], { outAxes: [0, null] })(a3) as NDArray[];
    assert.deepEqual(y.shape, [3, 2]);
    assert.deepEqual(c.tolist(), [1, 1]);
  });
  test('no mapped argument and no axisSize', () => {
    throwsWith(() => vmap(np.sin, { inAxes: null })(a3), ValueError, /vmap/, /no argument is mapped/, /axisSize/);
    throwsWith(() => vmap(add, { inAxes: [null, null] })(a3, a3), ValueError, /no argument is mapped/);
    // With axisSize, the unmapped function's output is broadcast.
    assert.deepEqual((vmap(np.sum, { inAxes: null, axisSize: 2 })(a3) as NDArray).tolist(), [6, 6]);
    throwsWith(() => vmap(np.sin, { axisSize: -1 }), ValueError, /axisSize must be a non-negative integer/);
  });
  test('a shape error inside the vmapped function speaks of the per-example shapes', () => {
    throwsWith(() => vmap((x: NDArray) => np.add(x, np.ones([3])))(a4), CotangentError, /\[2\]/, /\[3\]/);
    throwsWith(() => vmap((x: NDArray) => np.matmul(x, np.ones([3, 2])))(a4), CotangentError, /\[2\]|2/);
  });
});

after(() => { if (process.env.VMAP_TEST_SUMMARY) console.log(`\n[vmap_ops.test]\n${LOG.summary()}`); });
