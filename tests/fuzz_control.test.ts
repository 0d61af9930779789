// Fuzzing control flow under every transform: random small float64 programs
// (tests/helpers/control_programs.ts: elementwise ops, matmul, reductions, broadcasting with
// lax.scan, foriLoop, whileLoop, cond, switch and checkpoint, nested to depth 2, bodies closing
// over parameters and intermediates). For each program, at a random point x, direction v and
// batch of points:
//   1. jit(f)(x) equals f(x) to 1e-12 (relative to max(1, |f(x)|)); bitwise differences are
//      counted (FUZZ_CONTROL_SUMMARY=1 prints the counts and the worst errors)
//   2. grad(f)(x) . v equals float64 central differences of f along v (5-point stencil,
//      Richardson-extrapolated, computed here by evaluating f) to 1e-6, skipped when a branch
//      predicate changes between the difference points (counted)
//   3. jvp(f)(x, v): the primal is f(x), the tangent <grad, v> to 1e-10 (of sum |g_i v_i|) and
//      the differences to 1e-6; jit(jvp), jvp(jit) and linearize(jit) equal jvp to 1e-12
//   4. jit(grad(f)) and grad(jit(f)) equal grad(f) to 1e-12, or, where jit makes a while row
//      (whileLoop, foriLoop with a traced bound) at the top level, both throw NotImplementedError,
//      as in JAX (a while row inside a body: the refusal or the right gradient, as its result may
//      be dead code)
//   5. vmap(f), jit(vmap(f)), vmap(jit(f)), vmap(grad(f)) and jit(vmap(grad(f))) over a batch (each parameter
//      mapped or not) equal a JS loop of single calls to 1e-11 (jit(vmap(grad)) refused with a
//      while row)
//   6. every 2nd program without a while row: u . jvp(grad)(x, v) equals differences of
//      x -> u . grad(x) along v (1e-6, or the extrapolation's estimate), jit(jvp(grad)) equals
//      jvp(grad) to 1e-12
//   7. every 4th program: checkGrads(f, x, order 1, fwd and rev, eps 1e-5) passes (a second opinion only)
// Errors are |got - want| / max(1, scale), scale = max |want| over the array unless stated.
//
// Program k runs with seed FUZZ_CONTROL_SEED + k (default 0xc0f1 + k), FUZZ_CONTROL_N programs
// (default 400, about 15 s). A failure prints the seed, the check and the program's source;
// FUZZ_CONTROL_ONLY=<seed> runs that one program; FUZZ_CONTROL_KEEP_GOING=1 (long runs) prints each
// failure's first lines and fails at the end with the list.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, jvp, vmap, jit, linearize, checkGrads, NDArray, NotImplementedError } from 'cotangent';
import { Rng, f64, evalAt, stepFor, richardson, ErrorLog, Point, sizeOf } from './helpers/fd.ts';
import { controlProgram, ControlProgram, H } from './helpers/control_programs.ts';

const BASE = process.env.FUZZ_CONTROL_SEED === undefined ? 0xc0f1 : Number(process.env.FUZZ_CONTROL_SEED);
const N = process.env.FUZZ_CONTROL_N === undefined ? 400 : Number(process.env.FUZZ_CONTROL_N);
const ONLY = process.env.FUZZ_CONTROL_ONLY === undefined ? null : Number(process.env.FUZZ_CONTROL_ONLY);
const KEEP_GOING = Boolean(process.env.FUZZ_CONTROL_KEEP_GOING);
const LOG = new ErrorLog();
const COUNTS = new Map<string, number>();
const count = (k: string) => COUNTS.set(k, (COUNTS.get(k) ?? 0) + 1);
after(() => {
  if (process.env.FUZZ_CONTROL_SUMMARY) {
    console.log(`fuzz_control (base seed ${BASE}, ${N} programs):\n${[...COUNTS].sort().map(([k, v]) => `  ${k}: ${v}`).join('\n')}\n${LOG.summary()}`);
  }
});

const JIT_RTOL = 1e-12;
const VMAP_RTOL = 1e-11;
const FD_RTOL = 1e-6;

const vals = (x: NDArray) => f64(x);
const arr = (v: Float64Array, shape: number[]) => np.array(v, { shape, dtype: 'float64' });

/** |got - want| <= rtol * max(1, max|want|) elementwise; bitwise differences counted under `category`. */
function close(what: string, got: NDArray, want: NDArray, rtol: number, category: string): void {
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  assert.equal(got.dtype, want.dtype, `${what}: dtype`);
  const g = vals(got), w = vals(want);
  let scale = 1;
  for (const x of w) scale = Math.max(scale, Math.abs(x));
  let worst = 0, at = -1, bitwise = true;
  for (let i = 0; i < g.length; i++) {
    if (g[i] !== w[i]) bitwise = false;
    const e = Number.isNaN(g[i]) || Number.isNaN(w[i]) ? (Number.isNaN(g[i]) && Number.isNaN(w[i]) ? 0 : Infinity) : Math.abs(g[i] - w[i]) / scale;
    if (!(e <= worst)) { worst = e; at = i; }
  }
  if (!bitwise) count(`not bit for bit: ${category}`);
  LOG.note(category, worst, what);
  if (!(worst <= rtol)) {
    throw new Error(`${what}: element ${at} of ${g.length}: got ${g[at]}, want ${w[at]}, error ${worst.toExponential(3)} > ${rtol}` +
      (g.length <= 12 ? `\n  got  [${Array.from(g).join(', ')}]\n  want [${Array.from(w).join(', ')}]` : ''));
  }
}
function closeAll(what: string, got: NDArray[], want: NDArray[], rtol: number, category: string): void {
  assert.equal(got.length, want.length, `${what}: count`);
  got.forEach((g, i) => close(`${what} [${i}]`, g, want[i], rtol, category));
}
/** Reverse mode of a while row under jit: must (or, `maybe`, may instead give `want`) throw NotImplementedError. */
function refusesOr(what: string, maybe: boolean, fn: () => NDArray[], want: NDArray[], category: string): void {
  if (!maybe) { refuses(what, fn); return; }
  let got: NDArray[];
  try { got = fn(); } catch (e) {
    if (e instanceof NotImplementedError) { count('reverse of a nested while row refused'); return; }
    throw e;
  }
  count('reverse of a nested (dead) while row computed');
  closeAll(what, got, want, category.startsWith('jit(vmap') ? VMAP_RTOL : JIT_RTOL, category);
}
function refuses(what: string, fn: () => unknown): void {
  assert.throws(fn, (e: unknown) => {
    if (!(e instanceof NotImplementedError)) throw new Error(`${what}: expected NotImplementedError (reverse mode of a while row), got ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`);
    assert.match(e.message, /whileLoop|foriLoop/, `${what}: the message names the loop`);
    return true;
  }, `${what}: expected NotImplementedError (reverse mode of a while row)`);
  count('reverse of a while row refused');
}

/** f at x + t v with every branch predicate recorded: [value, predicates]. */
function evalLogged(p: ControlProgram, x: Point, v: Float64Array[], t: number): [Float64Array, string] {
  H.log = [];
  try {
    const y = evalAt(p.fn, x, [v], [t]);
    return [y, H.log.join(',')];
  } finally { H.log = null; }
}

/**
 * d/dt f(x + t v) at 0 by the 5-point stencil over h0 = 2e-3 ... 3.125e-5, Richardson-extrapolated
 * (fd.ts's richardson), or null when some difference point takes another branch than x does.
 */
function fdDirectional(p: ControlProgram, x: Point, v: Float64Array[]): { value: number; estimate: number } | null {
  const [, base] = evalLogged(p, x, v, 0);
  const ladder = [2e-3, 1e-3, 5e-4, 2.5e-4, 1.25e-4, 6.25e-5, 3.125e-5];
  const W = [1 / 12, -8 / 12, 8 / 12, -1 / 12], OFF = [-2, -1, 1, 2];
  let crossed = false;
  const d = new Map<number, number>();
  for (const h0 of ladder) {
    const [h] = stepFor(x, [v], h0);
    let s = 0;
    OFF.forEach((o, k) => {
      const [y, log] = evalLogged(p, x, v, o * h);
      if (log !== base) crossed = true;
      s += W[k] * y[0];
    });
    d.set(h0, s / h);
  }
  if (crossed) return null;
  return richardson((h0) => d.get(h0)!, ladder);
}

/**
 * |got - fd| within FD_RTOL * max(1, |fd|), or within 4 times the extrapolation's own error
 * estimate where that is larger; differences whose estimate exceeds 1e-4 relative (oscillating
 * compositions of nested loops) are inconclusive and only counted.
 */
function nearFd(what: string, got: number, fd: { value: number; estimate: number }): void {
  const scale = Math.max(1, Math.abs(fd.value));
  if (fd.estimate > 1e-4 * scale) { count(`FD inconclusive (${what}): its error estimate exceeds 1e-4`); return; }
  const err = Math.abs(got - fd.value) / scale;
  LOG.note(`${what} vs FD`, err, `got ${got}, FD ${fd.value} (estimate ${fd.estimate.toExponential(2)})`);
  const tol = Math.max(FD_RTOL, 4 * fd.estimate / scale);
  if (tol > FD_RTOL) count('FD tolerance widened to its error estimate');
  if (!(err <= tol)) throw new Error(`${what} = ${got} but finite differences give ${fd.value} (error ${err.toExponential(3)} > ${tol.toExponential(3)}; extrapolation estimate ${fd.estimate.toExponential(2)})`);
}

function runProgram(seed: number): void {
  const p = controlProgram(seed);
  const rng = new Rng(seed ^ 0x5a5a5a5a);
  const k = p.shapes.length;
  const all = [...Array(k).keys()];
  const xv = p.shapes.map((s) => rng.normals(sizeOf(s)));
  const vv = p.shapes.map((s) => rng.normals(sizeOf(s)));
  const x = xv.map((v, i) => arr(v, p.shapes[i]));
  const v = vv.map((d, i) => arr(d, p.shapes[i]));
  const point: Point = { values: xv, shapes: p.shapes };
  let stage = 'f(x)';
  try {
    // 1. value: eager against jit
    const y = p.fn(...x);
    assert.deepEqual(y.shape, [], 'f returns a scalar');
    assert.equal(y.dtype, 'float64');
    stage = 'jit(f)';
    close('jit(f) vs f', jit(p.fn)(...x), y, JIT_RTOL, 'jit value');

    // 2. grad against finite differences
    stage = 'grad(f)';
    const gf = grad(p.fn, { argnums: all });
    const g: NDArray[] = gf(...x);
    g.forEach((gi, i) => { assert.deepEqual(gi.shape, p.shapes[i], `grad ${i} shape`); assert.equal(gi.dtype, 'float64'); });
    let gv = 0, gvScale = 0;
    g.forEach((gi, i) => { const a = vals(gi); for (let j = 0; j < a.length; j++) { gv += a[j] * vv[i][j]; gvScale += Math.abs(a[j] * vv[i][j]); } });
    stage = 'finite differences';
    const fd = fdDirectional(p, point, vv);
    if (fd === null) count('FD skipped: a branch changes within the stencil');
    else nearFd('grad . v', gv, fd);

    // 3. jvp, jit(jvp), jvp(jit)
    stage = 'jvp(f)';
    const [yp, t] = jvp(p.fn, x, v);
    close('jvp primal vs f', yp, y, 0, 'jvp primal');
    const te = Math.abs(Number(t.item()) - gv) / Math.max(1, gvScale);
    LOG.note('jvp vs grad . v', te, `seed ${seed}`);
    if (!(te <= 1e-10)) throw new Error(`jvp tangent ${t.item()} but grad . v = ${gv} (error ${te.toExponential(3)} of sum |g_i v_i| ${gvScale})`);
    if (fd !== null) nearFd('jvp tangent', Number(t.item()), fd);
    stage = 'jit(jvp(f))';
    const [yj, tj] = jit((...a: NDArray[]) => jvp(p.fn, a.slice(0, k), a.slice(k)))(...x, ...v) as NDArray[];
    close('jit(jvp) primal vs f', yj, y, JIT_RTOL, 'jit(jvp)');
    close('jit(jvp) tangent vs jvp', tj, t, JIT_RTOL, 'jit(jvp)');
    stage = 'jvp(jit(f))';
    const [yjj, tjj] = jvp(jit(p.fn), x, v);
    close('jvp(jit) primal vs f', yjj, y, JIT_RTOL, 'jvp(jit)');
    close('jvp(jit) tangent vs jvp', tjj, t, JIT_RTOL, 'jvp(jit)');
    stage = 'linearize(jit(f))';
    const [yl, lin] = linearize(jit(p.fn), ...x);
    close('linearize(jit) primal vs f', yl, y, JIT_RTOL, 'linearize(jit)');
    close('linearize(jit) tangent vs jvp', lin(...v), t, JIT_RTOL, 'linearize(jit)');

    // 4. reverse mode under jit
    if (p.whileRow !== 'none') {
      const maybe = p.whileRow === 'nested';
      stage = 'jit(grad(f)) refused';
      refusesOr('jit(grad(f))', maybe, () => jit(gf)(...x), g, 'jit(grad)');
      stage = 'grad(jit(f)) refused';
      refusesOr('grad(jit(f))', maybe, () => grad(jit(p.fn), { argnums: all })(...x), g, 'grad(jit)');
    } else {
      stage = 'jit(grad(f))';
      closeAll('jit(grad) vs grad', jit(gf)(...x), g, JIT_RTOL, 'jit(grad)');
      stage = 'grad(jit(f))';
      closeAll('grad(jit) vs grad', grad(jit(p.fn), { argnums: all })(...x), g, JIT_RTOL, 'grad(jit)');
    }

    // 5. vmap against a JS loop
    const B = 2 + rng.next() * 2 | 0;
    const mapped = all.map((i) => i === 0 || rng.next() < 0.6);
    const points = Array.from({ length: B }, () => p.shapes.map((s) => rng.normals(sizeOf(s))));
    const argAt = (b: number) => all.map((i) => (mapped[i] ? arr(points[b][i], p.shapes[i]) : x[i]));
    const batched = all.map((i) => (mapped[i] ? np.stack(points.map((pt) => arr(pt[i], p.shapes[i])), 0) : x[i]));
    const inAxes = mapped.map((m) => (m ? 0 : null));
    stage = 'loop of single calls';
    const loopY = np.stack(points.map((_, b) => p.fn(...argAt(b))), 0);
    const loopG = all.map((i) => np.stack(points.map((_, b) => (gf(...argAt(b)) as NDArray[])[i]), 0));
    stage = 'vmap(f)';
    close('vmap(f) vs loop', vmap(p.fn, { inAxes })(...batched), loopY, VMAP_RTOL, 'vmap value');
    stage = 'jit(vmap(f))';
    close('jit(vmap(f)) vs loop', jit(vmap(p.fn, { inAxes }))(...batched), loopY, VMAP_RTOL, 'jit(vmap) value');
    stage = 'vmap(jit(f))';
    close('vmap(jit(f)) vs loop', vmap(jit(p.fn), { inAxes })(...batched), loopY, VMAP_RTOL, 'vmap(jit) value');
    stage = 'vmap(grad(f))';
    closeAll('vmap(grad) vs loop', vmap(gf, { inAxes })(...batched), loopG, VMAP_RTOL, 'vmap(grad)');
    if (p.whileRow !== 'none') {
      stage = 'jit(vmap(grad(f))) refused';
      refusesOr('jit(vmap(grad(f)))', p.whileRow === 'nested', () => jit(vmap(gf, { inAxes }))(...batched), loopG, 'jit(vmap(grad))');
    } else {
      stage = 'jit(vmap(grad(f)))';
      closeAll('jit(vmap(grad)) vs loop', jit(vmap(gf, { inAxes }))(...batched), loopG, VMAP_RTOL, 'jit(vmap(grad))');
    }

    // 6. second order: forward-over-reverse H v eagerly, under jit, and against differences of the
    //    eager gradient along v (every 2nd program; not where jit refuses reverse mode)
    if (seed % 2 === 0 && p.whileRow === 'none') {
      stage = 'jvp(grad(f))';
      const u = p.shapes.map((s) => rng.normals(sizeOf(s)));
      const [, hv] = jvp(gf, x, v) as [NDArray[], NDArray[]];
      stage = 'jit(jvp(grad(f)))';
      const hvj = jit((...a: NDArray[]) => jvp(gf, a.slice(0, k), a.slice(k))[1] as NDArray[])(...x, ...v);
      closeAll('jit(jvp(grad)) vs jvp(grad)', hvj, hv, 1e-12, 'jit(jvp(grad))');
      stage = 'finite differences of grad';
      let uhv = 0;
      hv.forEach((h, i) => { const a = vals(h); for (let j = 0; j < a.length; j++) uhv += a[j] * u[i][j]; });
      const gu = (...a: NDArray[]) => (gf(...a) as NDArray[]).reduce((acc: NDArray, gi, i) => np.add(acc, np.vdot(gi, arr(u[i], p.shapes[i]))), np.zeros([], { dtype: 'float64' }));
      const fd2 = fdDirectional({ ...p, fn: gu }, point, vv);
      if (fd2 === null) count('FD skipped: a branch changes within the stencil');
      else nearFd('u . H v', uhv, fd2);
    }

    // 7. the library's own gradient check, a second opinion
    if (seed % 4 === 0 && fd !== null) {
      stage = 'checkGrads';
      checkGrads(p.fn, x, { order: 1, modes: ['fwd', 'rev'], eps: 1e-5 }); // (its default eps 1e-3 errs by 3e-4 on nested loops)
    }
    count('programs');
    for (const kind of p.kinds) count(`construct: ${kind}`);
    if (p.whileRow !== 'none') count(`programs with a while row under jit (${p.whileRow})`);
  } catch (e) {
    const msg = e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e);
    throw new Error(`fuzz_control: program seed ${seed} failed at ${stage} (FUZZ_CONTROL_ONLY=${seed} reruns it):\n${msg}\n` +
      `parameter shapes ${JSON.stringify(p.shapes)}; the program (H.pred(p) returns p):\n${p.source}`, { cause: e });
  }
}

test(`fuzz: control flow under jit, grad, jvp and vmap agrees with eager, finite differences and JS loops (${ONLY ?? `${N} programs`})`, () => {
  if (ONLY !== null) { runProgram(ONLY); return; }
  if (!KEEP_GOING) { for (let i = 0; i < N; i++) runProgram(BASE + i); return; }
  const failed: string[] = [];
  for (let i = 0; i < N; i++) {
    try { runProgram(BASE + i); } catch (e) {
      const msg = (e as Error).message;
      console.log(msg.split('\n').slice(0, 2).join('\n'));
      failed.push(msg.split('\n')[0]);
    }
  }
  assert.equal(failed.length, 0, `${failed.length} of ${N} programs failed:\n${failed.join('\n')}`);
});

test('fuzz_control: programs that once failed (their seeds) pass', () => {
  // 4379: jit(vmap(grad(f))) through a scan whose primal loop is batched (it closes over a batched
  // value): its twin was named in the batched row anyway, which made that row a view batched again
  // and again (Maximum call stack size exceeded)
  for (const seed of [4379, 49548]) runProgram(seed);
});
