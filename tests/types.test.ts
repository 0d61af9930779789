// The published .d.ts (package.json exports -> dist/types) type-check a user's program under
// strict nodenext settings, without any of our devDependencies' types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

test('a strict TypeScript user program type-checks against the published types', () => {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tests/types/tsconfig.json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `tsc failed:\n${r.stdout}\n${r.stderr}`);
});

test('a project with lib es2022 only (no DOM, no @types/node) type-checks against the published types', () => {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tests/types/tsconfig.nodom.json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `tsc failed:\n${r.stdout}\n${r.stderr}`);
});
