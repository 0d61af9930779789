// helper-266: the public TypeScript types as a contract. tests/types/probe_AP.ts (strict user
// snippets that run) must type-check against the sources, and what its types claim holds at run time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { np, lax, random, customJvp, customVjp, checkGrads, hvp, jit, makeJaxpr, grad, type Array } from '../ts/index.ts';

const close = (a: Array, want: number[], tol = 1e-5) => {
  const got = Array.from(a.dataSync() as Float32Array);
  assert.equal(got.length, want.length);
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= tol * (1 + Math.abs(want[i])), `[${i}] ${v} vs ${want[i]}`));
};

test('tests/types/probe_AP.ts type-checks strictly against ts/ (cotangent mapped to ts/index.ts)', () => {
  const root = resolve('.');
  const dir = mkdtempSync(join(tmpdir(), 'probe-types-ap-'));
  try {
    const config = {
      compilerOptions: {
        strict: true, module: 'esnext', moduleResolution: 'bundler', target: 'es2022', lib: ['es2022', 'dom'],
        types: ['node', 'types'], typeRoots: [join(root, 'node_modules/@types'), join(root, 'node_modules/@webgpu')],
        noEmit: true, skipLibCheck: true, paths: { cotangent: [join(root, 'ts/index.ts')] },
      },
      files: [join(root, 'tests/types/probe_AP.ts')],
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config));
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
    assert.equal(r.status, 0, `tsc failed:\n${r.stdout}\n${r.stderr}`);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('what probe_AP.ts types claims holds at run time', () => {
  const x = np.array([1, 2, 3]), key = random.key(0);
  // readonly lists and shapes run
  close(np.sin([1, 2] as const), [0.8414709848078965, 0.9092974268256817]); // numpy sin
  assert.deepEqual(random.normal(key, [3] as const).shape, [3]);
  assert.deepEqual(random.split(key, [2, 2] as const).shape, [2, 2, 2]);
  checkGrads(np.sin, [x], { order: 1, modes: ['fwd', 'rev'] as const });
  assert.throws(() => checkGrads(np.sin, [x], 1, ['reverse' as 'rev']), /modes must be/);
  // custom rules: a JS list argument, and the nondiff argument first in the rule and in bwd
  const cj = customJvp((a: Array) => np.sin(a), ([a], [t]) => [np.sin(a), np.multiply(np.cos(a), t)]);
  close(cj([1, 2]), [0.8414709848078965, 0.9092974268256817]);
  const cn = customJvp((n: number, a: Array) => np.multiply(a, n), { nondiffArgnums: [0] });
  cn.defjvp((n: number, [a]: Array[], [t]: Array[]) => [np.multiply(a, n), np.multiply(t, n)]);
  close(grad((a: Array) => np.sum(np.multiply(cn(2, a), np.cos(a))))(x), [1.0806046117362795 - 2 * 1 * 0.8414709848078965,
    -0.8322936730942848 - 2 * 2 * 0.9092974268256817, -1.9799849932008908 - 2 * 3 * 0.1411200080598672]); // d/da sum(2a cos a) = 2cos a - 2a sin a (closed form, numpy)
  const cvn = customVjp((n: number, a: Array) => np.multiply(a, n), { nondiffArgnums: 0 });
  cvn.defvjp((n: number, a: Array) => [np.multiply(a, n), null], (n: number, _r: null, g: Array) => [np.multiply(g, n)]);
  close(grad((a: Array) => np.sum(cvn(3, a)))(x), [3, 3, 3]);
  // scan's ys and map's results of a JS number y are Arrays (typed so now)
  const [, ys] = lax.scan((c: Array, xi: Array) => [np.add(c, xi), 1], np.zeros([]), x);
  assert.deepEqual(ys.shape, [3]); close(ys, [1, 1, 1]);
  close(lax.map((_r: Array) => 1, np.ones([2, 2])), [1, 1]);
  // cond: a concrete pred gives the branch's value as it is; a traced one an Array
  assert.equal(lax.cond(true, () => 1, () => 2), 1);
  const traced = jit((a: Array) => lax.cond(np.greater(np.sum(a), 0), () => 1, () => 2))(x);
  close(traced as Array, [1]);
  close(lax.switch(1, [(a: Array) => np.sin(a), (a: Array) => np.cos(a)], x), [0.5403023058681398, -0.4161468365471424, -0.9899924966004454]); // numpy cos
  // hvp of sum(sin) at x along x: -sin(x) * x (closed form, numpy)
  close(hvp((a: Array) => np.sum(np.sin(a)))(x, x), [-0.8414709848078965, -1.8185948536513634, -0.4233600241796016]);
  assert.match(jit((a: Array) => np.sin(a)).lower([1, 2, 3]).asText(), /sin/);
  assert.match(makeJaxpr((a: Array) => np.sin(a))([1, 2, 3]), /sin/);
});
