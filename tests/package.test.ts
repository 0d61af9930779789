// The package as npm ships it: the file list of `npm pack`, publint, arethetypeswrong, and what
// `require('cotangent')` says. (The packed package is also installed into a Vite app and run
// in Chromium by tests/runtimes.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { run, pack, ROOT } from './runtimes/hosts.ts';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

const LIMIT = 120_000; // per test: a hang fails instead of blocking the suite

/** What users need: the three entries, the require stub, the two .wasm builds, the types, the README and the licence (Apache-2.0 asks its text to ship). */
const REQUIRED = [
  'package.json', 'README.md', 'LICENSE', 'dist/cotangent.wasm', 'dist/cotangent-fma.wasm', 'dist/index.js', 'dist/manual.js', 'dist/workerd.js',
  'dist/require.cjs', 'dist/require.d.cts', 'dist/types/index.d.ts', 'dist/types/manual.d.ts', 'dist/types/workerd.d.ts',
];
const ALLOWED = (path: string) => REQUIRED.includes(path) || /^dist\/types\/[\w/]+\.d\.ts$/.test(path);

/** Every file path that package.json `exports` points at (all conditions, all subpaths). */
function exportTargets(node: unknown): string[] {
  if (typeof node === 'string') return [node.replace(/^\.\//, '')];
  return Object.values(node as Record<string, unknown>).flatMap(exportTargets);
}

test('npm pack ships the entries, the .wasm and the types, and nothing else', { timeout: LIMIT }, async () => {
  const r = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { timeoutMs: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const [info] = JSON.parse(r.stdout) as { files: { path: string }[]; unpackedSize: number }[];
  const files = info.files.map((f) => f.path);
  assert.deepEqual(files.filter((f) => !ALLOWED(f)), [], 'files users do not need (debug wasm, .wat, source maps, sources, tests)');
  assert.deepEqual(REQUIRED.filter((f) => !files.includes(f)), [], 'files missing from the package');
  assert.deepEqual(exportTargets(pkg.exports).filter((f) => !files.includes(f)), [], 'exports pointing at files not shipped');
  // About 2.7 MB: the two release .wasm builds (plain and relaxed SIMD, about 555 KB each with the
  // special functions' and musl's tables, the SIMD ports of the transcendentals, real and complex
  // linear algebra with eig, vmap, the optimizer and custom rules), the bundle (the unminified API
  // with its comments, about 1.1 MB), the README (185 KB) and the .d.ts; the debug .wasm, .wat and
  // source map would add 57 MB, which is what this bound is for.
  assert.ok(info.unpackedSize < 3_500_000, `unpacked size ${info.unpackedSize} bytes`);
});

test('publint --strict finds nothing', { timeout: LIMIT }, async () => {
  const cli = join(ROOT, 'node_modules', 'publint', 'src', 'cli.js'); // its package.json is not exported
  const r = await run(process.execPath, [cli, '--strict'], { timeoutMs: 60_000 });
  assert.equal(r.status, 0, `publint:\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /All good/);
});

test('arethetypeswrong: every entry has types that match its JavaScript (ESM-only profile)', { timeout: LIMIT }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cotangent-attw-'));
  try {
    const tgz = await pack(dir);
    const cli = join(require.resolve('@arethetypeswrong/cli/package.json'), '..', 'dist', 'index.js');
    // esm-only: cotangent is an ES module, so CommonJS resolution (node10, node16 from CJS) is
    // out of scope; the raw .wasm files are assets with no types.
    const r = await run(process.execPath, [cli, tgz, '--profile', 'esm-only', '--exclude-entrypoints', './cotangent.wasm', './cotangent-fma.wasm', '--format', 'ascii'],
      { timeoutMs: 60_000, env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(r.status, 0, `attw:\n${r.stdout}\n${r.stderr}`);
    for (const entry of ['"cotangent"', '"cotangent/manual"', '"cotangent/workerd"']) assert.ok(r.stdout.includes(entry), `attw checked ${entry}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("require('cotangent') fails with a message saying how to import it", { timeout: LIMIT }, async () => {
  const r = await run(process.execPath, ['-e', "require('cotangent')"], { timeoutMs: 30_000 });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /cotangent is an ES module and cannot be loaded with require\(\)/);
  assert.match(r.stderr, /import \{ np, grad \} from 'cotangent'/);
  assert.match(r.stderr, /await import\('cotangent'\)/);
});
