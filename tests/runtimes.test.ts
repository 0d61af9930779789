// The conformance script (tests/runtimes/conformance.js) in every runtime cotangent targets:
// Node (the default entry and cotangent/manual), Deno (dist/index.js, and the packed package),
// workerd (a worker on cotangent/workerd, and one importing plain `cotangent` bundled by
// `workerd serve wrangler.json`), and Chromium (the published bundle in a page and in a module
// worker, cotangent/manual, and a Vite app built from the packed package), all pages under a
// CSP that forbids JS code generation. A missing tool fails here; nothing is skipped.
// Each host also reports the build it loaded: Deno and Chromium compile relaxed SIMD by default,
// so their default entries load cotangent-fma.wasm (the checks hold under FMA); Node 20 without
// its flag, explicit sources (an init(url), workerd's bundled module) load cotangent.wasm.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as hosts from './runtimes/hosts.ts';
import { CHECK_NAMES, runConformance } from './runtimes/conformance.js';
import { relaxedSimdSupported } from '../ts/loader.ts';

/** What a Node child started like this one picks by default: the plain build on Node 20 (no flag). */
const NODE_BUILD = relaxedSimdSupported() ? 'relaxed-simd' : 'simd';

/** Per test: generous for a loaded 2-core machine; a hang fails instead of blocking the suite. */
const LIMIT = 120_000;

/** Every check of the script ran, in order, and passed; the start-up time is a real number; the build is `build`. */
function assertConformance(r: hosts.Conformance, who: string, build: 'simd' | 'relaxed-simd'): void {
  assert.deepEqual(r.checks.map((c) => c.name), CHECK_NAMES, `${who}: the checks that ran`);
  const failed = r.checks.filter((c) => !c.ok).map((c) => `  ${c.name}: ${c.detail}`);
  assert.deepEqual(failed, [], `${who}: failed checks:\n${failed.join('\n')}`);
  assert.ok(Number.isFinite(r.startupMs) && r.startupMs >= 0, `${who}: start-up ${r.startupMs} ms`);
  assert.equal(r.build, build, `${who}: the wasm build loaded`);
}

test('the conformance script fails on wrong answers (a sabotaged API)', { timeout: LIMIT }, async () => {
  const api = await import('cotangent');
  const wrong = {
    ...api,
    np: { ...api.np, tanh: api.np.sin, matmul: (a: unknown, b: unknown) => api.np.add(api.np.matmul(a as never, b as never), 1e-3) },
    jvp: (f: unknown, p: unknown[], t: unknown[]) => { const [y] = api.jvp(f as never, p as never, t as never); return [y, y]; },
    ShapeError: class {},
  };
  const { checks } = runConformance(wrong);
  const failed = checks.filter((c) => !c.ok).map((c) => c.name);
  assert.deepEqual(failed, [
    'grad(grad(grad(tanh)))(2) float64', 'grad(grad(grad(tanh)))(2.0) float32 (the default dtype)', 'jvp of sin, float64',
    'grad of sum(tanh(x W + b)) in W and b, float64', 'matmul float64 3x4 @ 4x2', 'matmul float32 33x17 @ 17x9 (SIMD edges)',
    'a shape error is a ShapeError and the next call works',
  ]);
});

test('Node: import from cotangent (the default entry loads its wasm by itself)', { timeout: LIMIT }, async () => {
  assertConformance(await hosts.runNode('cotangent'), 'node cotangent', NODE_BUILD);
});

test('Node: cotangent/manual loads nothing until init()', { timeout: LIMIT }, async () => {
  assertConformance(await hosts.runNode('cotangent/manual', 'init'), 'node cotangent/manual', NODE_BUILD);
});

test('Deno imports dist/index.js, which loads dist/cotangent-fma.wasm (relaxed SIMD) by itself', { timeout: LIMIT }, async () => {
  assertConformance(await hosts.runDeno('dist'), 'deno dist/index.js', 'relaxed-simd');
});

test("Deno imports 'cotangent' from the packed package in node_modules", { timeout: LIMIT }, async () => {
  assertConformance(await hosts.runDeno('package'), 'deno cotangent (packed)', 'relaxed-simd');
});

test('workerd: a worker on cotangent/workerd answers over HTTP on 127.0.0.1', { timeout: LIMIT }, async () => {
  assertConformance(await hosts.runWorkerd('capnp'), 'workerd', 'simd');
});

test('workerd with a compatibility date before FinalizationRegistry (2025-05-05) loads and runs too', { timeout: LIMIT }, async () => {
  assertConformance(await hosts.runWorkerd('capnp', '2024-09-23'), 'workerd (2024-09-23)', 'simd');
});

test("workerd, wrangler-style bundling of the packed package: import from 'cotangent' gets the workerd entry", { timeout: LIMIT }, async () => {
  assertConformance(await hosts.runWorkerd('wrangler'), 'workerd (wrangler.json)', 'simd');
});

describe('Chromium (Debian chromium via playwright-core), pages under a CSP without unsafe-eval', () => {
  // Set up once, by the first test that needs it; a failure (no chromium, a Vite error) fails
  // every test here with its message, rather than cancelling them from a hook.
  let app: { outDir: string; cleanup(): void } | undefined;
  let server: hosts.TestServer | undefined;
  let browser: hosts.Browser | undefined;
  let setup: Promise<void> | undefined;
  const ready = async () => {
    setup ??= (async () => {
      app = await hosts.buildApp();
      server = await hosts.serve({
        '/dist/': join(hosts.ROOT, 'dist'),
        '/tests/runtimes/': join(hosts.ROOT, 'tests', 'runtimes'),
        '/app/': app.outDir,
      });
      browser = await hosts.launchChromium();
    })();
    await setup;
    return { server: server!, browser: browser! };
  };

  after(async () => {
    await browser?.close();
    await server?.close();
    app?.cleanup();
  });

  /** Opens a page and checks it ran clean: no page errors, no CSP violation (event or report). */
  async function openClean(path: string): Promise<hosts.PageResult> {
    const { server, browser } = await ready();
    const r = await browser.open(server, server.origin + path);
    assert.deepEqual(r.errors, [], `${path}: page errors`);
    assert.deepEqual(r.violations, [], `${path}: CSP violations seen by the page`);
    await new Promise((res) => setTimeout(res, 200)); // report-uri POSTs trail the page's own
    assert.deepEqual(server.reports, [], `${path}: CSP violation reports`);
    return r;
  }

  test('the control: a page that calls new Function is blocked and reported', { timeout: LIMIT }, async () => {
    const { server, browser } = await ready();
    const r = await browser.open(server, `${server.origin}/tests/runtimes/browser/eval.html`);
    assert.equal(r.checks[0]?.ok, true, 'new Function was not blocked: the CSP is not in force');
    assert.equal(r.violations.length, 1, `violations: ${r.violations}`);
    const deadline = Date.now() + 5000;
    while (server.reports.length === 0 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
    assert.equal(server.reports.length, 1, 'report-uri received the violation');
    server.reports.length = 0;
  });

  test('the published bundle (dist/index.js) fetches its .wasm by URL and passes', { timeout: LIMIT }, async () => {
    assertConformance(await openClean('/tests/runtimes/browser/index.html'), 'chromium dist/index.js', 'relaxed-simd');
  });

  test('cotangent/manual with init(url) passes', { timeout: LIMIT }, async () => {
    assertConformance(await openClean('/tests/runtimes/browser/manual.html'), 'chromium dist/manual.js', 'simd');
  });

  test('the published bundle in a module Web Worker passes', { timeout: LIMIT }, async () => {
    assertConformance(await openClean('/tests/runtimes/browser/worker.html'), 'chromium worker', 'relaxed-simd');
  });

  test('a Vite app importing the packed package builds and passes', { timeout: LIMIT }, async () => {
    assertConformance(await openClean('/app/'), 'chromium Vite app', 'relaxed-simd');
  });
});
