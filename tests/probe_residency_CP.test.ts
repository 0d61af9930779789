// Residency stress probes (helper CP): the whole suite was run in a copy with every Array resident
// (RESIDENT_MIN_BYTES = 1) and with a 64 KiB budget (eviction on every op); the defects it showed
// are pinned here with the default settings (arrays of >= 64 KiB) where they occur there too.
// References are closed forms in float64 JS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, grad, jit, jvp, vmap } from '../ts/index.ts';

const N = 8192; // float64: 64 KiB, the default resident size
const X0 = 0.4, W = 1.7;

function closeAll(got: any, want: (i: number) => number, tol: number, msg: string) {
  const g = got.dataSync();
  assert.equal(g.length, N, `${msg}: length`);
  for (let i = 0; i < N; i++) {
    const w = want(i);
    if (!(Math.abs(g[i] - w) <= tol * Math.max(1, Math.abs(w)))) assert.fail(`${msg}: [${i}] = ${g[i]}, want ${w}`);
  }
}

// x = w sin(c) as the solution of (1/w) x = sin(c) (customLinearSolve) and as the root of x / w - sin(c) (customRoot).
// The linearization of a jitted scan or cond body (api/control/shared.ts splitStep) ran on an
// abstract tape that counts as a jit context, so a large concrete Array made there (the zeros
// paramJvp seeds, api/implicit.ts) became a program 'input' row that its freeze never bound:
// InternalError 'vjp: keeping the linear program: internal error (code 7)' (E_BAD_ROW) from
// 8192 float64 elements on; 8191 worked.
test('jit(grad) of a scan or cond whose body runs customLinearSolve / customRoot on a 64 KiB vector (a loop linearization reading a large concrete Array)', () => {
  const xs = Array.from({ length: N }, (_, i) => X0 + i * 1e-4);
  const x = np.array(Float64Array.from(xs));
  const w = np.array(W, { dtype: 'float64' });
  const ls = (c: any) => lax.customLinearSolve((y: any) => np.divide(y, w), np.sin(c), (_: any, b: any) => np.multiply(b, w), (_: any, b: any) => np.multiply(b, w));
  const rt = (c: any) => lax.customRoot((y: any) => np.subtract(np.divide(y, w), np.sin(c)), np.zeros([N], { dtype: 'float64' }),
    () => np.multiply(np.sin(c), w), (_: any, y: any) => np.multiply(y, w));
  // two steps c <- w sin(c): d/dx = w cos(w sin x) * w cos x; one step (cond): w cos x
  const two = (i: number) => { const c = xs[i]; return W * Math.cos(W * Math.sin(c)) * W * Math.cos(c); };
  const one = (i: number) => W * Math.cos(xs[i]);
  for (const [name, mk] of [['customLinearSolve', ls], ['customRoot', rt]] as const) {
    const viaScan = (v: any) => np.sum(lax.scan((h: any) => [mk(h), null], v, null, { length: 2 })[0]);
    const viaCond = (v: any) => np.sum(lax.cond(np.greater(np.sum(v), 0), mk, (h: any) => h, v));
    closeAll(jit(grad(viaScan))(x), two, 1e-12, `${name} in scan: jit(grad)`);
    closeAll(grad(jit(viaScan))(x), two, 1e-12, `${name} in scan: grad(jit)`);
    closeAll(jit(grad(viaCond))(x), one, 1e-12, `${name} in cond: jit(grad)`);
    const t = jit((v: any) => jvp(viaScan, [v], [np.onesLike(v)])[1])(x).item() as number;
    let want = 0;
    for (let i = 0; i < N; i++) want += two(i);
    assert.ok(Math.abs(t - want) <= 1e-10 * Math.abs(want), `${name} in scan: jit(jvp) ${t}, want ${want}`);
  }
});

// A batched cond (index from axisIndex) whose taken branch is psum(exp(u), 'i') * c, under vmap(grad).
// JAX's _cond_partial_eval passes the known branch's residuals to the linear cond through the primal
// cond's outputs, joined with zeros for the other branches (_join_cond_outputs, no forwarding), so
// under a batched index the examples not sent to the branch carry zeros there: c is such a residual
// when it is an operand (a jit argument) or a constant array (a constvar), and the transposed psum
// then sums c from example 2 alone: vmap(grad)_2 = c exp(x_2). A scalar JAX inlines as a literal (a
// Python number, a 0-d constant) is no residual: B c exp(x_2) (the suite's pmean test, c = 1/B), as
// here for a 0-d Array closed over eagerly (a constant of the trace, hoisted).
// (helper-312 took B c exp(x_2) for the reference in every case; cotangent follows JAX's rule.)
test('vmap(grad) through a batched cond whose branch multiplies a psum by a residual c (a jit argument, a 64 KiB constant): JAX\'s c exp(x_2)', () => {
  const X = [0.3, -1.2, 2.5, 0.7], B = X.length;
  const x = np.array(X, { dtype: 'float64' });
  const h = (v: any, c: any) => lax.cond(np.equal(lax.axisIndex('i'), 2), (u: any) => np.multiply(lax.psum(np.exp(u), 'i'), c), np.cos, v);
  const want = X.map((v, j) => (j === 2 ? 0.25 * Math.exp(v) : -Math.sin(v)));
  const wantLiteral = X.map((v, j) => (j === 2 ? B * 0.25 * Math.exp(v) : -Math.sin(v)));
  const close1 = (got: any, msg: string, ref = want) => {
    const g = got.dataSync();
    for (let j = 0; j < B; j++) assert.ok(Math.abs(g[j] - ref[j]) <= 1e-12 * Math.abs(ref[j]), `${msg}[${j}]: ${g[j]}, want ${ref[j]}`);
  };
  const c = np.array(0.25, { dtype: 'float64' });
  close1(vmap((u: any) => grad(h)(u, c), { axisName: 'i' })(x), 'c a 0-d constant closed over, eager (JAX: a literal)', wantLiteral);
  close1(jit((v: any, cc: any) => vmap((u: any) => grad(h)(u, cc), { axisName: 'i' })(v))(x, c), 'c an unbatched jit argument');
  // per-example vectors of 8192 float64 and a closed-over constant of as many (64 KiB): eager vmap takes the cond row too
  const M = N, Cv = Array.from({ length: M }, (_, k) => 0.25 + 1e-3 * (k % 13));
  const C = np.array(Float64Array.from(Cv));
  const XX = Array.from({ length: B }, (_, b) => Array.from({ length: M }, (_, k) => 0.1 * b + 1e-3 * (k % 97) - 0.2));
  const hv = (v: any) => np.sum(lax.cond(np.equal(lax.axisIndex('i'), 2), (u: any) => np.multiply(lax.psum(np.exp(u), 'i'), C), np.cos, v));
  const g = vmap(grad(hv), { axisName: 'i' })(np.array(XX, { dtype: 'float64' })).dataSync();
  for (let j = 0; j < B; j++) {
    for (let k = 0; k < M; k++) {
      const v = XX[j][k], w = j === 2 ? Cv[k] * Math.exp(v) : -Math.sin(v);
      if (!(Math.abs(g[j * M + k] - w) <= 1e-12 * Math.max(1, Math.abs(w)))) assert.fail(`64 KiB constant: [${j}, ${k}] = ${g[j * M + k]}, want ${w}`);
    }
  }
});

// The same rule for a small closed-over array (a constvar in JAX, so a residual joined with zeros):
// it was hoisted out of the branch as a constant of the trace, which no example's zeros reached, so the
// transposed psum summed it over every example: B sum(C) exp(x_2), where JAX's is sum(C) exp(x_2). Now
// only a 0-d constant is hoisted from a cond branch's linearization (ts/api/control/shared.ts splitStep).
test('vmap(grad) through a batched cond: a small constant array the branch multiplies a psum by is a residual (JAX: sum(C) exp(x_2))', () => {
  const X = [0.3, -1.2, 2.5, 0.7], B = X.length, Cv = [0.5, -0.25, 2];
  const C = np.array(Cv, { dtype: 'float64' }), ones = np.ones([3], 'float64');
  const h = (v: any) => np.sum(lax.cond(np.equal(lax.axisIndex('i'), 2), (u: any) => np.multiply(lax.psum(np.exp(u), 'i'), C),
    (u: any) => np.multiply(np.cos(u), ones), v));
  const sC = Cv.reduce((a, b) => a + b, 0);
  const want = X.map((v, j) => (j === 2 ? sC * Math.exp(v) : -3 * Math.sin(v)));
  for (const [name, f] of [['eager', vmap(grad(h), { axisName: 'i' })], ['jit', jit(vmap(grad(h), { axisName: 'i' }))]] as const) {
    const g = (f as any)(np.array(X, { dtype: 'float64' })).dataSync();
    for (let j = 0; j < B; j++) assert.ok(Math.abs(g[j] - want[j]) <= 1e-12 * Math.abs(want[j]), `${name}[${j}]: ${g[j]}, want ${want[j]}`);
  }
});
