// The derivative test table (cf. JAX's LAX_GRAD_OPS): every primitive, through the public
// numpy/lax surfaces, checked against float64 finite differences of the function itself.
//
// For each entry, at a seeded random point (all values float32-representable, so the same point
// serves the float64 and float32 runs):
//   1. first order (float64): jvp, linearize, vjp (<vjp(u), v> vs <u, fd_jvp(v)>) and grad of
//      x -> sum(w * f(x)) (against a coordinate-wise FD gradient), all to FIRST_ORDER_RTOL;
//   2. second order (float64) of s(x) = sum(w1 * f(x)) + sum(w2 * f(x)^2) / 2: forward-over-
//      reverse (jvp of grad), reverse-over-reverse (grad of <grad, v>), reverse-over-forward
//      (grad of jvp) and forward-over-forward, against nested 5-point differences (the 5-point
//      stencil applied in two directions, Richardson-extrapolated over a step ladder; H v
//      coordinate by coordinate, plus <u, H v> and <v, H v>), to SECOND_ORDER_RTOL;
//   3. checkGrads(f, args, {order: 2, modes: ['fwd', 'rev']}) in float64 and in float32;
//   4. float32: jvp, vjp and grad against the float64 FD reference, to FLOAT32_RTOL.
// Errors are measured as |got - want| / max(1, |want|). FD evaluates only the forward function
// (eagerly, in float64), never the library's derivatives. Observed worst errors at these seeds
// (OPS_TEST_SUMMARY=1 prints them): first order 4e-11, second order 2.3e-9 (<= 5e-8 over 13
// other seeds), float32 2.7e-6 (<= 1.1e-5).
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, grad, valueAndGrad, jvp, vjp, linearize, checkGrads, customJvp, customVjp, CotangentError, GradientCheckError, NDArray } from 'cotangent';
import { SPECS, ALL_PRIMS, F32_LEAF_RTOL, Spec, real } from './helpers/op_specs.ts';
import {
  Rng, seedOf, arr, f64, dot, sizeOf, fdJvp, fdGrad, fdSecond, fdSecondDiag, fdSecondAdaptive, fdSecondDiagAdaptive, assertClose, ErrorLog,
  Point, Fn, FloatDType,
} from './helpers/fd.ts';

const FIRST_ORDER_RTOL = 1e-8;
const SECOND_ORDER_RTOL = 2e-7;
const FLOAT32_RTOL = 1e-3;

const LOG = new ErrorLog();

// ---------------------------------------------------------------- per-entry fixtures

interface Fixture {
  point: Point;
  args: NDArray[];
  dtypes: FloatDType[];
  outShape: number[];
  outDtype: FloatDType;
  dirs: Float64Array[][]; // first-order directions (per argument)
  us: Float64Array[]; // output-space cotangent directions
  w1: Float64Array; w2: Float64Array; // scalarizing weights
  u2: Float64Array[]; v2: Float64Array[]; // second-order directions
}

function argDtypes(spec: Spec, run: FloatDType): FloatDType[] {
  return spec.shapes.map((_, i) => spec.dtypes?.[i] ?? run);
}

function makeFixture(spec: Spec, run: FloatDType): Fixture {
  const rng = new Rng(seedOf(spec.name));
  let raw: number[][];
  if (spec.gen) raw = spec.gen(rng, spec.shapes);
  else {
    raw = spec.shapes.map((s, i) => {
      const d = Array.isArray(spec.domain) ? spec.domain[i] : spec.domain ?? real();
      return d(rng, sizeOf(s));
    });
  }
  const values = raw.map((r) => Float64Array.from(r, (v) => Math.fround(v)));
  const shapes = spec.shapes.map((s) => s.slice());
  const dtypes = argDtypes(spec, run);
  const args = values.map((v, i) => arr(v, shapes[i], dtypes[i]));
  const out = spec.f(...args);
  const outDtype = out.dtype as FloatDType;
  const outShape = out.shape.slice();
  const n = sizeOf(outShape);
  const dirs = [0, 1].map(() => values.map((v) => rng.normals(v.length)));
  const us = [0, 1].map(() => rng.normals(n));
  const w1 = rng.normals(n), w2 = rng.normals(n);
  const u2 = values.map((v) => rng.normals(v.length));
  const v2 = values.map((v) => rng.normals(v.length));
  return { point: { values, shapes }, args, dtypes, outShape, outDtype, dirs, us, w1, w2, u2, v2 };
}

const tangentArrays = (fx: Fixture, d: Float64Array[]): NDArray[] => d.map((v, i) => arr(v, fx.point.shapes[i], fx.dtypes[i]));

/** x -> sum(w * f(x)), with w in the output's dtype (so the run's dtype is kept). */
function scalar1(f: Fn, w: Float64Array, shape: number[], dtype: FloatDType): Fn {
  const W = arr(w, shape, dtype);
  return (...a) => np.sum(np.multiply(f(...a), W));
}
/** x -> sum(w1 * f(x)) + sum(w2 * f(x)^2) / 2: a nonlinear readout, so linear ops get a nonzero Hessian. */
function scalar2(f: Fn, w1: Float64Array, w2: Float64Array, shape: number[], dtype: FloatDType): Fn {
  const W1 = arr(w1, shape, dtype), W2 = arr(w2, shape, dtype);
  return (...a) => {
    const y = f(...a);
    return np.add(np.sum(np.multiply(y, W1)), np.multiply(0.5, np.sum(np.multiply(W2, np.multiply(y, y)))));
  };
}

/** FD references at a spec's point, shared by the float64 and float32 runs (the point is the same). */
interface Refs {
  jvp: Float64Array[]; // fd jvp along dirs[k]
  grad1: Float64Array[] | null; // coordinate FD gradient of scalar1 (null for big entries)
  hv: Float64Array[] | null; // per argument: (H v2)_j by mixed FD with e_j (null for big entries)
  uHv: number; // u2^T H v2
  vHv: number; // v2^T H v2 (single-direction second difference)
}
const refCache = new Map<string, Refs>();
function refsFor(spec: Spec, fx: Fixture): Refs {
  const hit = refCache.get(spec.name);
  if (hit) return hit;
  const ref = spec.ref ?? spec.f;
  const jvps = fx.dirs.map((d) => fdJvp(ref, fx.point, d));
  const s1 = scalar1(ref, fx.w1, fx.outShape, 'float64');
  const s2 = scalar2(ref, fx.w1, fx.w2, fx.outShape, 'float64');
  const grad1 = spec.big ? null : fdGrad(s1, fx.point);
  const hv = spec.big ? null : fx.point.values.map((xv, i) => {
    const out = new Float64Array(xv.length);
    for (let j = 0; j < xv.length; j++) {
      const e = fx.point.values.map((v) => new Float64Array(v.length));
      e[i][j] = 1;
      out[j] = fdSecondAdaptive(s2, fx.point, e, fx.v2);
    }
    return out;
  });
  const uHv = fdSecondAdaptive(s2, fx.point, fx.u2, fx.v2);
  const vHv = fdSecondDiagAdaptive(s2, fx.point, fx.v2);
  const r = { jvp: jvps, grad1, hv, uHv, vHv };
  refCache.set(spec.name, r);
  return r;
}

const innerAll = (a: Float64Array[], b: Float64Array[]): number => a.reduce((s, ai, i) => s + dot(ai, b[i]), 0);
const asList = (x: unknown): NDArray[] => (Array.isArray(x) ? x : [x]) as NDArray[];

function assertLeaf(what: string, a: NDArray, shape: number[], dtype: string): void {
  assert.deepEqual(a.shape, shape, `${what}: shape [${a.shape}] != [${shape}]`);
  assert.equal(a.dtype, dtype, `${what}: dtype ${a.dtype} != ${dtype}`);
}

// ---------------------------------------------------------------- the table

/** Tolerances of a spec's float64 run, and its error-log category. */
function settings(spec: Spec) {
  const f32Leaves = spec.rtol64 !== undefined || (spec.dtypes ?? []).includes('float32');
  const tol64 = f32Leaves ? Math.max(spec.rtol64 ?? 0, F32_LEAF_RTOL) : FIRST_ORDER_RTOL;
  const tol2 = f32Leaves ? Math.max(spec.rtol64 ?? 0, F32_LEAF_RTOL) : SECOND_ORDER_RTOL;
  const cat = (c: string) => (spec.mutant ? undefined : { log: LOG, category: f32Leaves ? `${c} [float32 leaves]` : c });
  return { tol64, tol2, cat };
}

function checkFirstOrder(spec: Spec): void {
  const { tol64, cat } = settings(spec);
  const fx = makeFixture(spec, 'float64');
  const refs = refsFor(spec, fx);
  const eager = f64(spec.f(...fx.args));
  // One linearization and one vjp, each applied in both directions (the returned functions are reusable).
  const [lout, jvpFn] = linearize(spec.f, ...fx.args);
  assertClose(`${spec.name}: linearize primal output vs eager`, f64(lout), eager, { rtol: 1e-15 });
  const [vout, vjpFn] = vjp(spec.f, ...fx.args);
  assertClose(`${spec.name}: vjp primal output vs eager`, f64(vout), eager, { rtol: 1e-15 });
  fx.dirs.forEach((d, k) => {
    const tan = tangentArrays(fx, d);
    const [out, t] = jvp(spec.f, fx.args, tan);
    assertLeaf('jvp primal out', out, fx.outShape, fx.outDtype);
    assertLeaf('jvp tangent out', t, fx.outShape, fx.outDtype);
    assertClose(`${spec.name}: jvp primal output vs eager`, f64(out), eager, { rtol: 1e-15 });
    assertClose(`${spec.name}: jvp tangent (dir ${k})`, f64(t), refs.jvp[k], { rtol: tol64 }, cat('f64 jvp'));

    const lt = jvpFn(...tan);
    assertLeaf('linearize tangent out', lt, fx.outShape, fx.outDtype);
    assertClose(`${spec.name}: linearize jvpFn (dir ${k})`, f64(lt), refs.jvp[k], { rtol: tol64 }, cat('f64 linearize'));

    const cts = vjpFn(arr(fx.us[k], fx.outShape, fx.outDtype));
    assert.equal(cts.length, fx.args.length, 'vjp: one cotangent per primal');
    cts.forEach((c: NDArray, i: number) => assertLeaf(`vjp cotangent ${i}`, c, fx.point.shapes[i], fx.dtypes[i]));
    const got = innerAll(cts.map((c: NDArray) => f64(c)), d);
    const want = dot(fx.us[k], refs.jvp[k]);
    assertClose(`${spec.name}: <vjp(u), v> vs <u, fd_jvp(v)> (dir ${k})`, [got], [want], { rtol: tol64 }, cat('f64 vjp'));
  });
}

function checkGrad(spec: Spec): void {
  const { tol64, cat } = settings(spec);
  const fx = makeFixture(spec, 'float64');
  const refs = refsFor(spec, fx);
  const argnums = fx.args.map((_, i) => i);
  const s1 = scalar1(spec.f, fx.w1, fx.outShape, fx.outDtype);
  const checkOne = (label: string, gi: NDArray, i: number) => {
    assertLeaf(`${label} ${i}`, gi, fx.point.shapes[i], fx.dtypes[i]);
    if (refs.grad1) {
      assertClose(`${spec.name}: ${label} wrt argument ${i}`, f64(gi), refs.grad1[i], { rtol: tol64 }, cat('f64 grad'));
    }
  };
  const g = grad(s1, { argnums })(...fx.args) as NDArray[];
  assert.equal(g.length, fx.args.length);
  g.forEach((gi, i) => checkOne('grad', gi, i));
  // <grad, v> = <w, J v> along both first-order directions (the only check for big entries).
  fx.dirs.forEach((d, k) => {
    const got = innerAll(g.map((gi) => f64(gi)), d);
    assertClose(`${spec.name}: <grad, v> vs <w, fd_jvp(v)> (dir ${k})`, [got], [dot(fx.w1, refs.jvp[k])], { rtol: tol64 }, cat('f64 grad'));
  });
  const [val, g0] = valueAndGrad(s1)(...fx.args);
  assertClose(`${spec.name}: valueAndGrad value vs eager`, f64(val), f64(s1(...fx.args)), { rtol: 1e-15 });
  checkOne('valueAndGrad (argnums 0)', g0, 0);
  assert.deepEqual(Array.from(f64(g0)), Array.from(f64(g[0])), 'valueAndGrad and grad agree exactly');
  if (fx.args.length > 1) {
    // A single argnums (a number) selects one argument and returns its gradient unwrapped.
    const last = fx.args.length - 1;
    const gl = grad(s1, { argnums: last })(...fx.args) as NDArray;
    checkOne(`grad (argnums ${last})`, gl, last);
    assert.deepEqual(Array.from(f64(gl)), Array.from(f64(g[last])), `grad with argnums ${last} agrees with argnums all`);
  }
}

function checkSecondOrder(spec: Spec): void {
  const { tol2, cat } = settings(spec);
  const fx = makeFixture(spec, 'float64');
  const refs = refsFor(spec, fx);
  const argnums = fx.args.map((_, i) => i);
  const s2 = scalar2(spec.f, fx.w1, fx.w2, fx.outShape, fx.outDtype);
  const V = tangentArrays(fx, fx.v2), U = tangentArrays(fx, fx.u2);
  const gradS2 = (...a: NDArray[]) => grad(s2, { argnums })(...a) as NDArray[];
  const checkHv = (label: string, hv: NDArray[]) => {
    assert.equal(hv.length, fx.args.length, `${label}: one result per argument`);
    hv.forEach((h, i) => {
      assertLeaf(`${label} ${i}`, h, fx.point.shapes[i], fx.dtypes[i]);
      if (refs.hv) assertClose(`${spec.name}: ${label} = H v, argument ${i}`, f64(h), refs.hv[i], { rtol: tol2 }, cat(`f64 ${label}`));
    });
    const hvs = hv.map((h) => f64(h));
    assertClose(`${spec.name}: ${label}: <u, H v>`, [innerAll(fx.u2, hvs)], [refs.uHv], { rtol: tol2 }, cat(`f64 ${label}`));
    assertClose(`${spec.name}: ${label}: <v, H v>`, [innerAll(fx.v2, hvs)], [refs.vHv], { rtol: tol2 }, cat(`f64 ${label}`));
  };

  // forward-over-reverse: jvp of grad
  const [, fwdRev] = jvp(gradS2, fx.args, V);
  checkHv('jvp(grad)', asList(fwdRev));

  // reverse-over-reverse: grad of x -> <grad(x), v>
  const gv = (...a: NDArray[]) => {
    const gs = gradS2(...a);
    let acc = np.vdot(gs[0], V[0]);
    for (let i = 1; i < gs.length; i++) acc = np.add(acc, np.vdot(gs[i], V[i]));
    return acc;
  };
  checkHv('grad(<grad, v>)', asList(grad(gv, { argnums })(...fx.args)));

  // reverse-over-forward: grad of x -> jvp(s2, x, v)
  const jv = (...a: NDArray[]) => jvp(s2, a, V)[1] as NDArray;
  checkHv('grad(jvp)', asList(grad(jv, { argnums })(...fx.args)));

  // forward-over-forward: u^T H v
  const [, uhv] = jvp(jv, fx.args, U);
  assertClose(`${spec.name}: jvp(jvp) = u^T H v`, f64(uhv), [refs.uHv], { rtol: tol2 }, cat('f64 jvp(jvp)'));
}

function checkGradsF64(spec: Spec): void {
  const fx = makeFixture(spec, 'float64');
  // Big entries: checkGrads' central difference with the default eps = 1e-4 has truncation error
  // eps^2 |f'''| / 6 per element, which summed over thousands of elements in the VJP inner
  // product can reach the 1e-5 float64 tolerance (as in JAX), so they use eps = 1e-5.
  checkGrads(spec.f, fx.args, { order: 2, modes: ['fwd', 'rev'], ...(spec.big ? { eps: 1e-5 } : {}) });
}

function checkGradsF32(spec: Spec): void {
  const fx = makeFixture(spec, 'float32');
  checkGrads(spec.f, fx.args, { order: 2, modes: ['fwd', 'rev'] });
}

function checkFloat32(spec: Spec): void {
  const { cat } = settings(spec);
  const fx = makeFixture(spec, 'float32');
  const refs = refsFor(spec, makeFixture(spec, 'float64'));
  const [, vjpFn] = vjp(spec.f, ...fx.args);
  fx.dirs.forEach((d, k) => {
    const [, t] = jvp(spec.f, fx.args, tangentArrays(fx, d));
    assertLeaf('float32 jvp tangent', t, fx.outShape, fx.outDtype);
    assertClose(`${spec.name}: float32 jvp (dir ${k})`, f64(t), refs.jvp[k], { rtol: FLOAT32_RTOL }, cat('f32 jvp'));
    const cts = vjpFn(arr(fx.us[k], fx.outShape, fx.outDtype)) as NDArray[];
    cts.forEach((c, i) => assertLeaf(`float32 vjp cotangent ${i}`, c, fx.point.shapes[i], fx.dtypes[i]));
    const got = innerAll(cts.map((c) => f64(c)), d);
    assertClose(`${spec.name}: float32 <vjp(u), v> (dir ${k})`, [got], [dot(fx.us[k], refs.jvp[k])], { rtol: FLOAT32_RTOL }, cat('f32 vjp'));
  });
  const argnums = fx.args.map((_, i) => i);
  const g = grad(scalar1(spec.f, fx.w1, fx.outShape, fx.outDtype), { argnums })(...fx.args) as NDArray[];
  g.forEach((gi, i) => {
    assertLeaf(`float32 grad ${i}`, gi, fx.point.shapes[i], fx.dtypes[i]);
    if (refs.grad1) assertClose(`${spec.name}: float32 grad wrt argument ${i}`, f64(gi), refs.grad1[i], { rtol: FLOAT32_RTOL }, cat('f32 grad'));
  });
  fx.dirs.forEach((d, k) => {
    const got = innerAll(g.map((gi) => f64(gi)), d);
    assertClose(`${spec.name}: float32 <grad, v> (dir ${k})`, [got], [dot(fx.w1, refs.jvp[k])], { rtol: FLOAT32_RTOL }, cat('f32 grad'));
  });
}

for (const spec of SPECS) {
  describe(`op ${spec.name}`, () => {
    test('float64: jvp, linearize and vjp vs 5-point FD', () => checkFirstOrder(spec));
    test(`float64: grad and valueAndGrad of sum(w * f) vs ${spec.big ? 'directional' : 'coordinate-wise'} FD`, () => checkGrad(spec));
    test('float64: second order (fwd-over-rev, rev-over-rev, rev-over-fwd, fwd-over-fwd) vs nested FD', () => checkSecondOrder(spec));
    test('checkGrads order 2 (fwd, rev) passes in float64', () => checkGradsF64(spec));
    test('checkGrads order 2 (fwd, rev) passes in float32', () => checkGradsF32(spec));
    test('float32: jvp, vjp and grad vs float64 FD', () => checkFloat32(spec));
  });
}

// ---------------------------------------------------------------- the harness can fail

describe('each table check rejects a slightly wrong derivative (mutant references)', () => {
  // f = sin(x), but the FD reference is taken of sin((1 + delta) x): its derivatives differ from
  // the library's (correct) ones by about delta, which each check must notice at its tolerance.
  const mutant = (delta: number, shapes: number[][] = [[5]]): Spec => ({
    name: `mutant sin, delta ${delta}, [${shapes[0]}]`, prims: [], shapes, mutant: true,
    f: (x) => np.sin(x), ref: (x) => np.sin(np.multiply(x, 1 + delta)),
  });
  const rejects = (fn: () => void) => assert.throws(fn, (e: unknown) => e instanceof Error && !(e instanceof CotangentError) && /got .* want/.test((e as Error).message));
  test('first order (jvp, linearize, vjp) rejects delta = 1e-7', () => rejects(() => checkFirstOrder(mutant(1e-7))));
  test('grad rejects delta = 1e-7', () => rejects(() => checkGrad(mutant(1e-7))));
  test('grad (big entry, directional only) rejects delta = 1e-7', () => rejects(() => checkGrad({ ...mutant(1e-7, [[40]]), big: true })));
  test('second order rejects delta = 2e-6', () => rejects(() => checkSecondOrder(mutant(2e-6))));
  test('second order (big entry, directional only) rejects delta = 2e-6', () => rejects(() => checkSecondOrder({ ...mutant(2e-6, [[40]]), big: true })));
  test('float32 rejects delta = 1e-2', () => rejects(() => checkFloat32(mutant(1e-2))));
  test('and all of them accept delta = 0', () => {
    const ok = mutant(0, [[6]]);
    checkFirstOrder(ok); checkGrad(ok); checkSecondOrder(ok); checkFloat32(ok);
  });
});

// ---------------------------------------------------------------- coverage of the table

test('the table covers every primitive, with float64 and float32 runs', () => {
  const covered = new Set(SPECS.flatMap((s) => s.prims));
  const missing = ALL_PRIMS.filter((p) => !covered.has(p));
  assert.deepEqual(missing, [], `primitives without an entry: ${missing.join(', ')}`);
  const names = new Set(SPECS.map((s) => s.name));
  assert.equal(names.size, SPECS.length, 'entry names must be unique (they seed the PRNG and the FD cache)');
  // Shapes: scalars, vectors, matrices, 3-D and size-1 broadcast axes all appear.
  const ranks = new Set(SPECS.flatMap((s) => s.shapes.map((sh) => sh.length)));
  for (const r of [0, 1, 2, 3]) assert.ok(ranks.has(r), `no entry with a rank-${r} argument`);
  assert.ok(SPECS.some((s) => s.shapes.some((sh) => sh.includes(1) && sh.length > 1)), 'no entry with a size-1 axis');
});

// ---------------------------------------------------------------- comparison-gated functions, both branches

describe('comparison-gated functions: gradient on both branches (analytic)', () => {
  // where(cmp(x, c), A(x), B(x)): the gradient is A' where the comparison holds and B' elsewhere;
  // at a tie x == c the branch the comparison selects decides (lt/gt -> B, le/ge/eq -> A).
  const c = 0.25;
  const A = (x: NDArray) => np.multiply(x, np.multiply(x, x)); // x^3
  const dA = (x: number) => 3 * x * x, d2A = (x: number) => 6 * x;
  const B = (x: NDArray) => np.sin(x);
  const dB = (x: number) => Math.cos(x), d2B = (x: number) => -Math.sin(x);
  const cases: { op: string; cmp: (x: NDArray, y: number) => NDArray; holds: (x: number) => boolean }[] = [
    { op: 'less', cmp: np.less, holds: (x) => x < c },
    { op: 'lessEqual', cmp: np.lessEqual, holds: (x) => x <= c },
    { op: 'greater', cmp: np.greater, holds: (x) => x > c },
    { op: 'greaterEqual', cmp: np.greaterEqual, holds: (x) => x >= c },
    { op: 'equal', cmp: np.equal, holds: (x) => x === c },
    { op: 'notEqual', cmp: np.notEqual, holds: (x) => x !== c },
  ];
  const xs = [-1.5, -0.25, 0, c, 0.75, 1.5]; // includes the tie c (exact in float32 and float64)
  for (const { op, cmp, holds } of cases) {
    for (const dtype of ['float64', 'float32'] as FloatDType[]) {
      test(`${op} (${dtype}): grad, second derivative and jvp on both branches and at the tie`, () => {
        const f = (x: NDArray) => np.where(cmp(x, c), A(x), B(x));
        const rtol = dtype === 'float64' ? 1e-14 : 1e-6;
        assert.ok(xs.some(holds) && xs.some((x) => !holds(x)), 'both branches must be exercised');
        for (const x0 of xs) {
          const x = np.array(x0, { dtype });
          const want1 = holds(x0) ? dA(x0) : dB(x0);
          const want2 = holds(x0) ? d2A(x0) : d2B(x0);
          const g = grad(f)(x) as NDArray;
          assert.equal(g.dtype, dtype);
          assertClose(`${op}: grad at ${x0}`, f64(g), [want1], { rtol });
          assertClose(`${op}: grad(grad) at ${x0}`, f64(grad(grad(f))(x)), [want2], { rtol });
          const [, t] = jvp(f, [x], [np.array(1, { dtype })]);
          assertClose(`${op}: jvp at ${x0}`, f64(t), [want1], { rtol });
        }
        // The vectorized gradient picks the branch per element.
        const xv = np.array(xs, { dtype });
        const gv = f64(grad((x: NDArray) => np.sum(f(x)))(xv));
        assertClose(`${op}: elementwise grad`, gv, xs.map((x0) => (holds(x0) ? dA(x0) : dB(x0))), { rtol });
      });
    }
  }

  test('where(x > 0, x^2, sin x) at scalar points and an FD cross-check away from the switch', () => {
    const f = (x: NDArray) => np.where(np.greater(x, 0), np.multiply(x, x), np.sin(x));
    for (const x0 of [1.3, -0.7]) {
      const x = np.array(new Float64Array([x0]), { shape: [] });
      const g = f64(grad(f)(x))[0];
      const want = x0 > 0 ? 2 * x0 : Math.cos(x0);
      assertClose(`grad at ${x0}`, [g], [want], { rtol: 1e-15 });
      const fd = fdJvp(f, { values: [new Float64Array([x0])], shapes: [[]] }, [new Float64Array([1])]);
      assertClose(`FD at ${x0}`, fd, [want], { rtol: 1e-9 });
    }
  });

  test('a comparison has a zero derivative: jvp and grad of float(x < 0.5) are exactly 0', () => {
    const f = (x: NDArray) => np.astype(np.less(x, 0.5), 'float64');
    const x = arr([0.1, 0.9, -2], [3]);
    const [out, t] = jvp(f, [x], [arr([1, 2, 3], [3])]);
    assert.deepEqual(Array.from(f64(out)), [1, 0, 1]);
    assert.deepEqual(Array.from(f64(t)), [0, 0, 0]);
    assert.deepEqual(Array.from(f64(grad((x: NDArray) => np.sum(f(x)))(x))), [0, 0, 0]);
    const [, vjpFn] = vjp(f, x);
    assert.deepEqual(Array.from(f64(vjpFn(arr([1, 1, 1], [3]))[0])), [0, 0, 0]);
  });

  test('the gradient w.r.t. the compared value of a select condition is exactly 0', () => {
    const f = (c: NDArray, x: NDArray) => np.sum(np.where(np.greater(c, 0), np.multiply(c, x), x));
    const c = arr([1.5, -0.5, 2], [3]), x = arr([0.25, 3, -1], [3]);
    const [gc, gx] = grad(f, { argnums: [0, 1] })(c, x) as NDArray[];
    // d/dc: x where c > 0 (through the multiply only), 0 elsewhere; d/dx: c where c > 0, else 1.
    assert.deepEqual(Array.from(f64(gc)), [0.25, 0, -1]);
    assert.deepEqual(Array.from(f64(gx)), [1.5, 1, 2]);
  });
});

// ---------------------------------------------------------------- exact linear maps and special points

describe('exact derivatives of convert and of pow at 0', () => {
  test('convert f64 -> f32: the tangent is the rounded tangent, the cotangent the widened cotangent', () => {
    const f = (x: NDArray) => np.astype(x, 'float32');
    const x = arr([0.1, -2.7, 1e-3], [3]);
    const v = [0.1, 1 / 3, -7.3];
    const [out, t] = jvp(f, [x], [arr(v, [3])]);
    assert.equal(out.dtype, 'float32');
    assert.equal(t.dtype, 'float32');
    assert.deepEqual(Array.from(f64(t)), v.map(Math.fround));
    const [, vjpFn] = vjp(f, x);
    const u = [0.5, -1.25, 3.0625].map(Math.fround);
    const [ct] = vjpFn(arr(u, [3], 'float32'));
    assert.equal(ct.dtype, 'float64');
    assert.deepEqual(Array.from(f64(ct)), u);
    // Second order: convert is linear, so grad(grad(sum(f(x)^2))) is exactly 2 (per element, diagonal).
    const h = grad((x: NDArray) => np.vdot(grad((y: NDArray) => np.sum(np.square(f(y))))(x), arr([1, 1, 1], [3])))(x);
    assert.deepEqual(Array.from(f64(h)), [2, 2, 2]);
  });

  test('convert f32 -> f64 -> f32 round trip: derivative exactly 1', () => {
    const f = (x: NDArray) => np.astype(np.astype(x, 'float64'), 'float32');
    const x = arr([0.5, -3, 7], [3], 'float32');
    const g = grad((x: NDArray) => np.sum(f(x)))(x);
    assert.equal(g.dtype, 'float32');
    assert.deepEqual(Array.from(f64(g)), [1, 1, 1]);
  });

  test('pow at base 0: d(x^2) = 0, d^2(x^2) = 2, d(x^3) = 0, no NaN from log(0)', () => {
    const x0 = np.array(new Float64Array([0]), { shape: [] });
    assert.equal(f64(grad((x: NDArray) => np.power(x, 2))(x0))[0], 0);
    assert.equal(f64(grad(grad((x: NDArray) => np.power(x, 2)))(x0))[0], 2);
    assert.equal(f64(grad((x: NDArray) => np.power(x, 3))(x0))[0], 0);
    // With the exponent differentiated too (JAX: d/dy 0^y = 0 for y > 0).
    const y0 = np.array(new Float64Array([2]), { shape: [] });
    const [gx, gy] = grad((x: NDArray, y: NDArray) => np.power(x, y), { argnums: [0, 1] })(x0, y0) as NDArray[];
    assert.equal(f64(gx)[0], 0);
    assert.equal(f64(gy)[0], 0);
    const [, t] = jvp((x: NDArray, y: NDArray) => np.power(x, y), [x0, y0], [np.array(new Float64Array([1]), { shape: [] }), np.array(new Float64Array([1]), { shape: [] })]);
    assert.equal(f64(t)[0], 0);
  });
});

// ---------------------------------------------------------------- the reference itself, and checkGrads' negative controls

describe('third order (analytic): grad(grad(grad)) and jvp(grad(grad)) of each nonlinear primitive', () => {
  const x0 = 0.7, y0 = 1.3;
  const t = Math.tanh(x0);
  const cases: { name: string; f: (x: NDArray) => NDArray; d3: number }[] = [
    { name: 'exp', f: (x) => np.exp(x), d3: Math.exp(x0) },
    { name: 'log', f: (x) => np.log(x), d3: 2 / x0 ** 3 },
    { name: 'sin', f: (x) => np.sin(x), d3: -Math.cos(x0) },
    { name: 'cos', f: (x) => np.cos(x), d3: Math.sin(x0) },
    { name: 'tanh', f: (x) => np.tanh(x), d3: -2 * (1 - t * t) * (1 - 3 * t * t) },
    { name: 'sqrt', f: (x) => np.sqrt(x), d3: (3 / 8) * x0 ** -2.5 },
    { name: 'div 1/x', f: (x) => np.divide(1, x), d3: -6 / x0 ** 4 },
    { name: 'pow x^y (base)', f: (x) => np.power(x, y0), d3: y0 * (y0 - 1) * (y0 - 2) * x0 ** (y0 - 3) },
    { name: 'pow y^x (exponent)', f: (x) => np.power(y0, x), d3: Math.log(y0) ** 3 * y0 ** x0 },
    { name: 'mul x*x*x', f: (x) => np.multiply(x, np.multiply(x, x)), d3: 6 },
    { name: 'neg(sin)', f: (x) => np.negative(np.sin(x)), d3: Math.cos(x0) },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const x = np.array(new Float64Array([x0]), { shape: [] });
      const g3 = f64(grad(grad(grad(c.f)))(x))[0];
      assertClose(`${c.name}: grad^3`, [g3], [c.d3], { rtol: 1e-13 });
      const [, t3] = jvp((y: NDArray) => grad(grad(c.f))(y), [x], [np.array(new Float64Array([1]), { shape: [] })]);
      assertClose(`${c.name}: jvp(grad^2)`, f64(t3), [c.d3], { rtol: 1e-13 });
    });
  }
});

describe('the FD reference and the comparison helpers', () => {
  test('fdJvp, fdGrad, fdSecond, fdSecondDiag and their Richardson versions match analytic derivatives', () => {
    // f(x) = sum(exp(x) * sin(x)) over 3 elements; evaluated through the library's forward only.
    const f = (x: NDArray) => np.sum(np.multiply(np.exp(x), np.sin(x)));
    const x = [0.3, -1.1, 1.7];
    const p: Point = { values: [Float64Array.from(x)], shapes: [[3]] };
    const d1 = x.map((t) => Math.exp(t) * (Math.sin(t) + Math.cos(t)));
    const d2 = x.map((t) => 2 * Math.exp(t) * Math.cos(t));
    const v = [0.7, -0.2, 1.3], u = [-0.4, 0.9, 0.5];
    assertClose('fdJvp', fdJvp(f, p, [Float64Array.from(v)]), [dot(d1, v)], { rtol: 1e-11 });
    assertClose('fdGrad', fdGrad(f, p)[0], d1, { rtol: 1e-11 });
    const uHv = x.reduce((s, _, i) => s + u[i] * d2[i] * v[i], 0);
    const vHv = x.reduce((s, _, i) => s + v[i] * d2[i] * v[i], 0);
    assertClose('fdSecond', [fdSecond(f, p, [Float64Array.from(u)], [Float64Array.from(v)])], [uHv], { rtol: 1e-8 });
    assertClose('fdSecondDiag', [fdSecondDiag(f, p, [Float64Array.from(v)])], [vHv], { rtol: 1e-8 });
    assertClose('fdSecondAdaptive', [fdSecondAdaptive(f, p, [Float64Array.from(u)], [Float64Array.from(v)])], [uHv], { rtol: 1e-9 });
    assertClose('fdSecondDiagAdaptive', [fdSecondDiagAdaptive(f, p, [Float64Array.from(v)])], [vHv], { rtol: 1e-9 });
  });

  test('assertClose rejects a wrong derivative, NaN and a length mismatch', () => {
    assert.throws(() => assertClose('wrong', [1.00000002], [1], { rtol: 1e-8 }), /wrong: element 0/);
    assert.throws(() => assertClose('nan', [NaN], [1], { rtol: 1e-8 }), /nan: element 0/);
    assert.throws(() => assertClose('len', [1, 2], [1], { rtol: 1e-8 }), /len: got 2 values/);
    assert.doesNotThrow(() => assertClose('ok', [1.000000005, 1e-9], [1, 0], { rtol: 1e-8 }));
  });

  test('evalAt refuses a float32 result for the reference (the FD must be float64)', () => {
    assert.throws(() => fdJvp((x) => np.astype(x, 'float32'), { values: [new Float64Array([1])], shapes: [[1]] }, [new Float64Array([1])]), /float64/);
  });
});

describe('checkGrads: negative controls and dtype handling', () => {
  test('throws on a discontinuity straddled by eps: where(x > 0, x, x + 1) at 1e-6, eps 1e-4', () => {
    const f = (x: NDArray) => np.where(np.greater(x, 0), x, np.add(x, 1));
    for (const dtype of ['float64', 'float32'] as FloatDType[]) {
      const x = np.array([1e-6, 1e-6, 1e-6], { dtype });
      assert.throws(() => checkGrads(f, [x], { order: 1, modes: ['fwd'], eps: 1e-4 }), (e: unknown) =>
        e instanceof CotangentError && /JVP of f disagrees with finite differences/.test((e as Error).message));
      assert.throws(() => checkGrads(f, [x], { order: 1, modes: ['rev'], eps: 1e-4 }), (e: unknown) =>
        e instanceof CotangentError && /VJP of f/.test((e as Error).message));
      // The same function away from the switch passes (so the throw above is about the jump).
      checkGrads(f, [np.array([0.5, 0.7, 1.1], { dtype })], { order: 2, eps: 1e-4 });
    }
  });

  test('passes on a correct float64 -> float32 function (tolerance from the compared float32 values, as in JAX)', () => {
    // JAX's check_jvp/check_vjp pick the default tolerance from the dtypes of the arrays they
    // compare (here float32 tangents: 2e-3); the FD of a float32-valued function is only good to
    // about 2^-24 |f| / (2 eps) ~ 3e-4, so the float64 tolerance (1e-5) cannot be met.
    const x = np.array(new Float64Array([0.5, 1.5, -2.25]));
    checkGrads((x: NDArray) => np.astype(x, 'float32'), [x], { order: 1, modes: ['fwd', 'rev'] });
    checkGrads((x: NDArray) => np.astype(np.sin(x), 'float32'), [x], { order: 2, modes: ['fwd', 'rev'] });
  });

  test('throws with atol = rtol = 1e-14 on a float32 function (float32 rounding exceeds it)', () => {
    const f = (x: NDArray) => np.sin(np.multiply(x, 3));
    const x = np.array([0.3, -0.8, 1.1, 2.2], { dtype: 'float32' });
    assert.throws(() => checkGrads(f, [x], { order: 1, modes: ['fwd'], atol: 1e-14, rtol: 1e-14 }), CotangentError);
    assert.throws(() => checkGrads(f, [x], { order: 1, modes: ['rev'], atol: 1e-14, rtol: 1e-14 }), CotangentError);
    checkGrads(f, [x], { order: 2 }); // and passes at the default float32 tolerance
  });

  const fails = (f: () => void, pattern: RegExp) =>
    assert.throws(f, (e: unknown) => e instanceof GradientCheckError && pattern.test((e as Error).message), String(pattern));
  const x3 = np.array([0.3, -0.7, 1.1]);

  test("checks the primal jvp and vjp return against f's, as JAX's check_jvp/check_vjp (a customVjp fwd returning 3x + 1 for f = 3x passed)", () => {
    // valueAndGrad's value was fwd's, 5.1 for f's 2.1; checkGrads(lin, [x], 2, ['rev']) passed
    const lin = customVjp((x: NDArray) => np.multiply(x, 3), (x: NDArray) => [np.add(np.multiply(x, 3), 1), null], (_r: unknown, ct: NDArray) => [np.multiply(ct, 3)]);
    fails(() => checkGrads(lin, [x3], 2, ['rev']),
      /^checkGrads: VJP of f: its primal output disagrees with f\(\.\.\.args\) at output element \[0\]: got 1\.9\d*, expected 0\.9\d* \(\|diff\| 1\.00e\+0 > atol 0\.002/);
    checkGrads(customVjp((x: NDArray) => np.multiply(x, 3), (x: NDArray) => [np.multiply(x, 3), null], (_r: unknown, ct: NDArray) => [np.multiply(ct, 3)]), [x3], 2, ['rev']);
    // jvp's primal: f that adds 0.5 to element 2 when traced (its finite differences run eagerly)
    fails(() => checkGrads((a: NDArray) => np.add(np.sin(a), a.isTracer ? np.array([0, 0, 0.5]) : 0), [x3], 1, ['fwd']),
      /^checkGrads: JVP of f: its primal output disagrees with f\(\.\.\.args\) at output element \[2\]: got 1\.39\d*, expected 0\.89/);
  });

  test('f making a float32 loop carry (np.zeros) is checked in its inputs\' dtype where it cannot run on float64 copies (was DTypeError lax.scan: carry float32[], output float64[])', () => {
    checkGrads((xs: NDArray) => lax.scan((c: NDArray, v: NDArray) => [np.add(c, v), c], np.zeros([]), xs)[0], [x3], 2);
    checkGrads((v: NDArray) => lax.foriLoop(0, 3, (_i: unknown, c: NDArray) => np.add(np.multiply(c, v), 1), np.zeros([3])), [x3], 2);
    checkGrads((v: NDArray) => lax.whileLoop((s: NDArray[]) => np.less(s[0], 3), (s: NDArray[]) => [np.add(s[0], 1), np.multiply(s[1], v)],
      [np.array(0, { dtype: 'int32' }), np.ones([3])])[1], [x3], 2);
    // and a derivative 1% off still fails, the message saying where the differences ran and why
    const sin101 = customJvp((x: NDArray) => np.sin(x), ([p]: NDArray[], [t]: NDArray[]) => [np.sin(p), np.multiply(np.multiply(1.01, np.cos(p)), t)]);
    const scanned = (xs: NDArray) => lax.scan((c: NDArray, v: NDArray) => [np.add(c, sin101(v)), c], np.zeros([]), xs)[0];
    for (const [modes, what] of [[['fwd'], 'JVP of f'], [['rev'], 'VJP of f \\(<v, vjp\\(u\\)> vs <u, jvp_fd\\(v\\)>\\)']] as const) {
      fails(() => checkGrads(scanned, [x3], 1, modes as any), new RegExp(`^checkGrads: ${what} disagrees with finite differences.*` +
        'These finite differences ran in float32, the inputs\' own dtypes \\(eps 0\\.002, .*as f raised on float64 copies of its inputs \\(DTypeError: lax\\.scan: '));
    }
  });

  test('a JS number or { re, im } leaf of f\'s output is a constant on both sides (a { re, im } was "2 output leaves vs 1", a TypeError with rev)', () => {
    checkGrads((a: NDArray) => [np.sin(a), { re: 1, im: 2 }], [x3], 2);
    checkGrads((a: NDArray) => [np.sin(a), { re: 1, im: 2 }], [x3], 2, ['rev']);
    checkGrads((a: NDArray) => ({ c: 3, z: { re: 1, im: 2 }, s: np.sin(a), k: np.argmax(a) }), [x3], 2);
    // a wrong derivative beside them is found, at its path and element ("leaf 0, element 0" before)
    const wrong = customJvp((x: NDArray) => np.sin(x), ([p]: NDArray[], [t]: NDArray[]) => [np.sin(p), np.multiply(np.negative(np.sin(p)), t)]);
    fails(() => checkGrads((a: NDArray) => [{ re: 1, im: 2 }, { s: np.reshape(wrong(a), [3, 1]) }], [x3], 1, ['fwd']),
      /^checkGrads: JVP of f disagrees with finite differences at output\[1\]\.s element \[0, 0\]: got /);
  });

  test('a complex element is named with its part (k indexed the interleaved parts), an argument leaf with its path', () => {
    const z = np.complex(np.array([0.3, -0.5]), np.array([0.7, 0.2]));
    fails(() => checkGrads((a: NDArray) => np.add(np.sin(a), a.isTracer ? np.complex(0, np.array([0, 0.5])) : 0), [z], 1, ['fwd']),
      /^checkGrads: JVP of f: its primal output disagrees with f\(\.\.\.args\) at output element \[1\] \(imaginary part\): got 0\.67/);
    assert.throws(() => checkGrads((p: { w: NDArray }) => np.sin(np.multiply(p.w, 0)), [{ w: np.array([1, 2], { dtype: 'float64' }) }], { eps: 1e-30 }),
      (e: unknown) => e instanceof CotangentError && /^checkGrads: eps 1e-30 is below the spacing of float64 numbers at 1 \(f's args\[0\]\.w element \[0\]\)/.test((e as Error).message));
  });
});

after(() => {
  // The worst observed error ratio (|got - want| / max(1, |want|)) per check kind, for the record.
  if (process.env.OPS_TEST_SUMMARY) console.log(`\n[ops.test] ${SPECS.length} entries\n${LOG.summary()}`);
});
