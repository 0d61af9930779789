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
  // the cookbook's complex section, as the notebook prints it
  for (const line of ['Array(6.-8.j, dtype=complex64)', 'Array(1.-0.j, dtype=complex64)', 'jvp check(2)', 'vjp check(2)', 'grad(f, holomorphic)(A)']) {
    assert.ok(r.stdout.includes(line), `tour output lacks ${line}`);
  }
  assert.match(r.stdout, /Array\(-27\.0349\d*-3\.85115\d*j, dtype=complex64\)/);
});
