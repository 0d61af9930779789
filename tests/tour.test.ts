// The examples tour runs to completion and every one of its checks passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

test('npm run tour: every check passes and the notebook numbers print', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'examples/tour.ts'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `tour failed:\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /all checks passed/);
  assert.doesNotMatch(r.stdout, /✗/);
  for (const line of ['grad(tanh)(2.0)', 'W_grad', 'b_grad', 'loss value', 'vjp through if/try']) {
    assert.ok(r.stdout.includes(line), `tour output lacks ${line}`);
  }
  assert.match(r.stdout, /\(Array\(3\.1415927, dtype=float32\),\)/);
  assert.ok(r.stdout.includes('## functorch: Jacobians, hessians, and more'), 'tour output lacks the functorch script');
  for (const line of ['vmap(vjp_fn)(unit_vectors) == jacobian by rows',
    'jacfwd == jacrev, 32 -> 2048', 'jacfwd == jacrev, 2048 -> 32', 'hessian == mixed central differences',
    'sum trick (batch axis moved first) == vmap(jacrev)', 'vmap(hessian) == closed form per example',
    "jacfwd(f)(W) (the notebook's numbers)", "hessian(f)(W) (the notebook's numbers)", 'reverse over forward == closed form',
    'full Hessian then tensordot == closed form', 'vmap_mjp == loop_mjp (128 covectors)', 'vmap_jmp == loop_jmp (128 vectors)']) {
    assert.ok(r.stdout.includes(`✓ ${line}`), `tour output lacks a passed check: ${line}`);
  }
  // the cookbook's complex section, as the notebook prints it
  for (const line of ['Array(6.-8.j, dtype=complex64)', 'Array(1.-0.j, dtype=complex64)', 'jvp check(2)', 'vjp check(2)', 'grad(f, holomorphic)(A)']) {
    assert.ok(r.stdout.includes(line), `tour output lacks ${line}`);
  }
  assert.match(r.stdout, /Array\(-27\.0349\d*-3\.85115\d*j, dtype=complex64\)/);
});
