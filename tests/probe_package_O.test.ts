// The package as a new user installs it (helper-234): the packed tarball, extracted into a
// project's node_modules, type-checked the way older TypeScript setups do it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { run, installPacked } from './runtimes/hosts.ts';

const LIMIT = 120_000;

// `moduleResolution: "node"` (node10) reads no `exports`, so `cotangent/manual` and
// `cotangent/workerd` were TS2307 "Cannot find module" there (the root entry worked through
// `types`). package.json's `typesVersions` maps the two subpaths for it; node16/nodenext/bundler
// keep using `exports`.
test('types of every entry resolve under moduleResolution node10, node16 and bundler', { timeout: LIMIT }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cotangent-probe-O-'));
  try {
    await installPacked(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'ts-user', private: true, type: 'module' }));
    writeFileSync(join(dir, 'user.ts'), [
      "import { init, np, grad, type NDArray } from 'cotangent/manual';",
      "import * as edge from 'cotangent/workerd';",
      "import { np as np2 } from 'cotangent';",
      "export const a = init().then(() => grad((v: NDArray) => np.sum(v))(np.ones([2])));",
      'export const b: NDArray = edge.np.ones([1]);',
      'export const c: NDArray = np2.add(np2.ones([1]), 1);',
      '',
    ].join('\n'));
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    for (const [module, resolution] of [['esnext', 'node10'], ['node16', 'node16'], ['esnext', 'bundler']]) {
      const r = await run(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', module,
        '--moduleResolution', resolution, '--ignoreDeprecations', '5.0', 'user.ts'], { cwd: dir, timeoutMs: 60_000 });
      assert.equal(r.status, 0, `tsc (moduleResolution ${resolution}):\n${r.stdout}\n${r.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
