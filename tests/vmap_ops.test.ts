// vmap of every primitive equals the loop over the batch (the harness: tests/helpers/vmap_check.ts;
// the reference is always f applied to each example outside vmap, stacked in plain JS).
//
// Driven by the op-spec table (tests/helpers/op_specs.ts, which tests/ops.test.ts uses for the
// derivatives) and the explicit cases (tests/helpers/vmap_cases.ts: integers, bools, the PRNG,
// sorting, searching, batched indices, leaves). For each entry, at seeded random examples:
//   - batch 3 with inAxes on each argument alone (null for the rest), and on all arguments, at
//     random batch axes (negative and last included), outAxes 0 and a random non-zero one;
//   - the default inAxes (0 for every argument), in float32 and float64 (table entries);
//   - batch 7, batch 1 and batch 0 (empty), and no mapped argument with axisSize 2 (a broadcast
//     output);
//   - vmap of vmap (2 x 3 examples, random axes at both levels) against the loop of loops;
//   - table entries: vmap of jvp (primals and tangents batched, or tangents only) and of grad,
//     and grad and jvp of vmap, against the loops of jvp and grad.
// Then the rules that map parameters across the batch axis at random parameters. The primitives
// come from the wasm's op table: one with no entry in either table fails.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, random, vmap, jvp, grad, NDArray, CotangentError } from 'cotangent';
import { SPECS, Spec, real } from './helpers/op_specs.ts';
import { wasmOpNames } from './helpers/wasm_ops.ts';
import { Rng, seedOf, sizeOf, f64, FloatDType } from './helpers/fd.ts';
import { DT, make, stackValues, normAxis } from './helpers/batch.ts';
import {
  VMAP_LOG, Entry, Gen, sameValues, checkRun, examplesOf, outRanks, randomAxis, randomOutAxis, checkAllAxes, checkNested,
} from './helpers/vmap_check.ts';
import { EXTRA, F, I, N, bools, tiesNaN } from './helpers/vmap_cases.ts';

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
  const configs: (number | null)[][] = [args.map((a) => randomAxis(rng, a.shape.length))];
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

test('outputs that do not vary are broadcast: the argument itself, a number, a closed-over Array, trees', () => {
  const xs = make([1, 2, 3, 4, 5, 6], [3, 2], 'float32');
  assert.deepEqual((vmap((x: NDArray) => x, { outAxes: 1 })(xs) as NDArray).tolist(), [[1, 3, 5], [2, 4, 6]]);
  assert.deepEqual((vmap((_x: NDArray) => 3)(xs) as unknown as NDArray).tolist(), [3, 3, 3]);
  assert.deepEqual((vmap((_x: NDArray) => make([7, 8], [2], 'int32'), { outAxes: -1 })(xs) as NDArray).tolist(), [[7, 7, 7], [8, 8, 8]]);
  const out = vmap((d: { a: NDArray; b: NDArray }) => ({ a: np.sum(d.a), b: [d.b, np.add(d.b, d.a)] }), { inAxes: [{ a: 0, b: null }], outAxes: { a: 0, b: [0, 1] } })({ a: xs, b: make([10, 20], [2], 'float32') }) as { a: NDArray; b: NDArray[] };
  assert.deepEqual(out.a.tolist(), [3, 7, 11]);
  assert.deepEqual(out.b[0].tolist(), [[10, 20], [10, 20], [10, 20]]);
  assert.deepEqual(out.b[1].tolist(), [[11, 13, 15], [22, 24, 26]]);
});

test('every primitive of the wasm op table has a vmap entry (the op-spec table or the explicit cases)', () => {
  const covered = new Set([...SPECS.flatMap((s) => s.prims), ...EXTRA.flatMap((e) => e.prims)]);
  // `fused` rows exist only in top-level jit replays, which vmap never sees; its batching rule
  // (an expansion into its rows) is checked against the loop in wasm-tests/fused.spec.ts.
  const missing = wasmOpNames().filter((p) => !covered.has(p) && p !== 'fused');
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
// batch axis (and numpy indexing builds gathers and scatters from its items), so they also run
// at random parameters (rejection-sampled: a configuration the eager function refuses is drawn
// again), random inAxes (an argument unmapped a quarter of the time) and batch sizes 0-3, each
// against the loop, and under a second vmap level.
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
  numpy_index(rng) {
    // x[items]: per dim an integer, a slice, an int32 index array (an argument), or nothing; a null somewhere.
    const R = randInt(rng, 1, 3), xs = randShape(rng, R);
    const ishape = randShape(rng, randInt(rng, 0, 2));
    const kinds = xs.map(() => pick(rng, ['int', 'slice', 'array', 'array', 'rest'] as const));
    const items: (number | string | null | 'ARRAY')[] = [];
    const arrays: { shape: number[]; dtype: DT; gen: Gen }[] = [];
    for (let d = 0; d < R && kinds[d] !== 'rest'; d++) {
      if (kinds[d] === 'int') items.push(randInt(rng, -xs[d], xs[d] - 1));
      else if (kinds[d] === 'slice') items.push(pick(rng, ['::-1', '1:', ':', '::2', ':-1']));
      else { items.push('ARRAY'); arrays.push(I(ishape.map((s) => (rng.next() < 0.3 ? 1 : s)), -xs[d] - 1, xs[d])); }
    }
    if (rng.next() < 0.3) items.splice(randInt(rng, 0, items.length), 0, null);
    const build = (idx: NDArray[]) => { let k = 0; return items.map((it) => (it === 'ARRAY' ? idx[k++] : it)); };
    return {
      name: `np.index [${xs}] with ${JSON.stringify(items)} (arrays [${arrays.map((a) => `[${a.shape}]`)}])`, prims: [],
      f: N((x, ...idx) => [np.index(x, ...build(idx)), x.at(...build(idx)).add(1.5)]), args: [F(xs), ...arrays],
    };
  },
};

for (const [family, make1] of Object.entries(FAMILIES)) {
  test(`vmap: random ${family} configurations (150) equal the loop at random inAxes and batch sizes, and nested`, () => {
    const rng = new Rng(seedOf(`family ${family}`));
    for (let c = 0; c < 150; c++) {
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

after(() => { if (process.env.VMAP_TEST_SUMMARY) console.log(`\n[vmap_ops.test]\n${VMAP_LOG.summary()}`); });
