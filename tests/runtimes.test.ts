// Other runtimes load the same bundle: Deno (from the npm package `deno`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

test('Deno imports dist/index.js, which loads dist/cotangent.wasm by itself', () => {
  const require = createRequire(import.meta.url);
  const deno = require.resolve('deno/bin.cjs');
  const r = spawnSync(process.execPath, [deno, 'run', '--quiet', '--no-config', '--allow-read', 'tests/runtimes/deno_smoke.ts'],
    { encoding: 'utf8', env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' } });
  assert.equal(r.status, 0, `deno failed:\n${r.stdout}\n${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
  const t = Math.tanh(2), s = 1 - t * t;
  assert.ok(Math.abs(out.g3 - (-2 * s * s + 4 * t * t * s)) < 1e-12, `g3 = ${out.g3}`);
  assert.deepEqual(out.vgrad, [[6, 6], [6, 6]]);
});
