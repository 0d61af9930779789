// The .wasm embedded on its own: a host that uses no cotangent TypeScript
// (tests/runtimes/abi_host.mjs, plain JS against docs/abi.md) builds a program, takes its
// gradient, freezes the linear program, moves it out of wasm memory and back, and pulls back
// through it again, in Node and in Deno. The reference is the closed form d/dx sum(sin(x) x).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run, denoBin } from './runtimes/hosts.ts';

const XS = [0.5, -1, 2];
const want = XS.map((x) => Math.sin(x) + x * Math.cos(x));

function check(stdout: string, who: string): void {
  const out = JSON.parse(stdout.trim().split('\n').pop()!);
  for (const key of ['grad', 'again']) {
    assert.equal(out[key].length, 3, `${who}: ${key}`);
    out[key].forEach((g: number, i: number) => assert.ok(Math.abs(g - want[i]) < 1e-14, `${who}: ${key}[${i}] = ${g}, want ${want[i]}`));
  }
}

test('a plain-JS host drives cotangent.wasm through the documented ABI (Node)', async () => {
  const r = await run(process.execPath, ['tests/runtimes/abi_host.mjs', 'dist/cotangent.wasm'], { timeoutMs: 30_000 });
  assert.equal(r.status, 0, `node host failed:\n${r.stdout}\n${r.stderr}`);
  check(r.stdout, 'node');
});

test('the same host under Deno', async () => {
  const r = await run(denoBin(), ['run', '--quiet', '--no-config', '--allow-read', 'tests/runtimes/abi_host.mjs', 'dist/cotangent.wasm'],
    { timeoutMs: 60_000, env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' } });
  assert.equal(r.status, 0, `deno host failed:\n${r.stdout}\n${r.stderr}`);
  check(r.stdout, 'deno');
});
