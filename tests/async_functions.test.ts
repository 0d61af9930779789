// An async function given to a transform, a lax control-flow function or a custom rule: each
// refuses the Promise it returns with a ValueError naming the function, and the process lives
// on. The async function runs on after that error, on traced values that escaped, and throws a
// TracerError inside the Promise; a place that refused the Promise without handling its
// rejection left that TracerError unhandled, which ends Node (found by a user probe: vmap,
// divergence, jacobianDiagonal, hutchinson, a scan or foriLoop body under grad, customVjp's fwd
// and bwd, customJvp's rule). The cases run in a child process, as a user's script does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const INDEX = new URL('../ts/index.ts', import.meta.url).href;

// name -> [the call, what the message names]
const CASES: Record<string, [string, string]> = {
  vmap: ['vmap(later(np.sin))(x)', 'vmap: the function'],
  gradOfVmap: ['grad((x) => np.sum(vmap(later(np.sin))(x)))(x)', 'vmap: the function'],
  divergence: ['divergence(later(np.sin))(x)', 'divergence: the function'],
  jacobianDiagonal: ['jacobianDiagonal(later(np.sin))(x)', 'jacobianDiagonal: the function'],
  hutchinson: ['hutchinson(later(np.sin), { probes: 4, key: random.key(0) })(x)', 'hutchinson: the function'],
  scanUnderGrad: ['grad((x) => np.sum(lax.scan(later((c, a) => [np.sin(c), c]), x, np.zeros([2]))[0]))(x)', 'lax.scan: f'],
  foriLoopUnderGrad: ['grad((x) => np.sum(lax.foriLoop(0, 2, later((i, c) => np.sin(c)), x)))(x)', 'lax.foriLoop: body'],
  whileCondUnderGrad: ['grad((x) => np.sum(lax.whileLoop(later((c) => np.sum(c) < 0), (c) => c, x)))(x)', 'lax.whileLoop: condFun'],
  whileBodyUnderGrad: ['grad((x) => np.sum(lax.whileLoop((c) => np.sum(c) < 10, later((c) => np.add(c, 1)), x)))(x)', 'lax.whileLoop: bodyFun'],
  mapUnderGrad: ['grad((x) => np.sum(lax.map(later(np.sin), x)))(x)', 'lax.map: f'],
  mapBatchedUnderGrad: ['grad((x) => np.sum(lax.map(later(np.sin), x, { batchSize: 2 })))(x)', 'lax.map: f'],
  condUnderGrad: ['grad((x) => np.sum(lax.cond(true, later(np.sin), np.cos, x)))(x)', 'lax.cond: trueFun'],
  switchUnderGrad: ['grad((x) => np.sum(lax.switch(1, [np.cos, later(np.sin)], x)))(x)', 'lax.switch: branches[1]'],
  customVjpFwd: ['grad(customVjp(sumSin, later((x) => [sumSin(x), x]), (r, g) => [np.cos(r)]))(x)', 'customVjp(sumSin): fwd'],
  customVjpBwd: ['grad(customVjp(sumSin, (x) => [sumSin(x), x], later((r, g) => [np.cos(r)])))(x)', 'customVjp(sumSin): bwd'],
  customJvpRule: ['grad(customJvp(sumSin, later((p, t) => [sumSin(p[0]), np.sum(t[0])])))(x)', 'customJvp(sumSin): the rule'],
  customJvpF: ['jvp(customJvp(later(sumSin), (p, t) => [sumSin(p[0]), np.sum(t[0])]), [x], [x])', 'customJvp(fn): the function'],
  gradHasAux: ['grad(later((x) => [sumSin(x), x]), { hasAux: true })(x)', 'grad: the function'],
  customLinearSolve: ['grad((b) => np.sum(lax.customLinearSolve((v) => v, b, later((mv, b) => np.sin(b)), null, { symmetric: true })))(x)', 'lax.customLinearSolve: solve'],
  atApply: ['grad((x) => np.sum(x.at(0).apply(later(np.sin))))(x)', 'x.at().apply: f'],
  gnvpLoss: ['gnvp(np.sin, later((z) => np.sum(z)))(x, x)', 'gnvp: loss'],
  // (these refused the Promise and handled it before: kept so)
  grad: ['grad(later(sumSin))(x)', 'grad: the function'],
  jit: ['jit(later(np.sin))(x)', 'jit(fn): the function'],
  jvp: ['jvp(later(np.sin), [x], [x])', 'jvp: the function'],
  vjp: ['vjp(later(np.sin), x)', 'vjp: the function'],
  linearize: ['linearize(later(np.sin), x)', 'linearize: the function'],
  hessian: ['hessian(later(sumSin))(x)', 'hessian: the function'], // (it said 'vjp: the function', the transform hessian calls)
  laplacian: ['laplacian(later(sumSin))(x)', 'laplacian: the function'],
  hessianDiagonal: ['hessianDiagonal(later(sumSin))(x)', 'hessianDiagonal: the function'],
  checkpoint: ['grad(checkpoint(later(sumSin)))(x)', 'checkpoint: the function'],
  checkGrads: ['checkGrads(later(sumSin), [x])', 'jvp: the function'],
};

const SCRIPT = `
import { np, lax, random, vmap, grad, jit, jvp, vjp, linearize, hessian, laplacian, hessianDiagonal, divergence, jacobianDiagonal,
  hutchinson, checkpoint, checkGrads, customVjp, customJvp, gnvp } from '${INDEX}';
const x = np.array([1, 2, 3]);
const later = (body) => async (...a) => { await null; return body(...a); };
function sumSin(x) { return np.sum(np.sin(x)); }
const cases = { ${Object.entries(CASES).map(([name, [call]]) => `${name}: () => ${call}`).join(',\n  ')} };
for (const [name, run] of Object.entries(cases)) {
  try { run(); console.log(name + ' | no error'); } catch (e) { console.log(name + ' | ' + e.constructor.name + ': ' + e.message); }
  await new Promise((r) => setTimeout(r, 10)); // (the async function's rest runs, and rejects, here)
}
console.log('still alive');
`;

test('an async function is refused with a ValueError naming it, and its rejected Promise does not end the process', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], { encoding: 'utf8' });
  const lines = r.stdout.trim().split('\n');
  assert.equal(r.status, 0, `the child exited with ${r.status} after:\n${lines.slice(-2).join('\n')}\n${r.stderr.slice(0, 600)}`);
  assert.equal(lines.at(-1), 'still alive');
  const got = new Map(lines.slice(0, -1).map((l) => l.split(' | ') as [string, string]));
  for (const [name, [, names]] of Object.entries(CASES)) {
    const msg = got.get(name) ?? '(nothing)';
    assert.ok(msg.startsWith(`ValueError: ${names} returned a Promise (an async function?)`), `${name}: ${msg}`);
  }
});
