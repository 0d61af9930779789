// Size and start-up, the section of `npm run bench` (alone: `npm run bench -- --only startup`):
// the .wasm and the JS bundle (raw and gzipped), and the time from importing cotangent to the
// first result of the conformance script in Node, Deno, Chromium (the published bundle and a
// Vite app built from the packed package) and workerd. Each run is checked (every conformance
// check must pass) before its time counts. The runtimes come from tests/runtimes/hosts.ts,
// which the runtime tests use too.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import * as hosts from '../tests/runtimes/hosts.js';

const RUNS = 5;

const kb = (n: number): string => `${(n / 1024).toFixed(1)} KiB`;
const gz = (b: Buffer): number => gzipSync(b, { level: 9 }).length;
const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

interface Line { runtime: string; what: string; times: number[]; error?: string }

/** Runs `once` RUNS times; any failed check or error makes the line an error. */
async function measure(runtime: string, what: string, once: () => Promise<hosts.Conformance>): Promise<Line> {
  const times: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const r = await once();
      const failed = r.checks.filter((c) => !c.ok);
      if (failed.length) return { runtime, what, times, error: `WRONG: ${failed.map((c) => `${c.name}: ${c.detail}`).join('; ')}` };
      times.push(r.startupMs);
    }
  } catch (err) {
    return { runtime, what, times, error: `failed: ${(err as Error).message.split('\n')[0]}` };
  }
  return { runtime, what, times };
}

function sizes(): void {
  const dist = join(hosts.ROOT, 'dist');
  const wasm = readFileSync(join(dist, 'cotangent.wasm'));
  const fma = readFileSync(join(dist, 'cotangent-fma.wasm'));
  const js = Buffer.concat(['index.js', 'manual.js'].map((f) => readFileSync(join(dist, f))));
  console.log('\nSize (gzip -9)');
  console.log(`| file | raw | gzipped |\n|---|---|---|`);
  console.log(`| dist/cotangent.wasm | ${kb(wasm.length)} | ${kb(gz(wasm))} |`);
  console.log(`| dist/cotangent-fma.wasm (loaded instead where relaxed SIMD compiles) | ${kb(fma.length)} | ${kb(gz(fma))} |`);
  console.log(`| dist/index.js + dist/manual.js (the JS bundle) | ${kb(js.length)} | ${kb(gz(js))} |`);
  console.log(`| total a browser downloads (one .wasm and the bundle) | ${kb(wasm.length + js.length)} | ${kb(gz(wasm) + gz(js))} |`);
}

export async function startup(): Promise<void> {
  sizes();
  const lines: Line[] = [];
  lines.push(await measure('Node', 'import("cotangent") -> first result', () => hosts.runNode('cotangent')));
  lines.push(await measure('Deno', 'import("dist/index.js") -> first result', () => hosts.runDeno()));

  let app: { outDir: string; cleanup(): void } | undefined;
  let server: hosts.TestServer | undefined;
  let browser: hosts.Browser | undefined;
  try {
    app = await hosts.buildApp();
    server = await hosts.serve({ '/dist/': join(hosts.ROOT, 'dist'), '/tests/runtimes/': join(hosts.ROOT, 'tests', 'runtimes'), '/app/': app.outDir });
    browser = await hosts.launchChromium();
    const b = browser, s = server;
    lines.push(await measure('Chromium', 'import("/dist/index.js") -> first result (fetches the .wasm)', () => b.open(s, `${s.origin}/tests/runtimes/browser/index.html`)));
    lines.push(await measure('Chromium', 'Vite app: import("cotangent") -> first result', () => b.open(s, `${s.origin}/app/`)));
  } catch (err) {
    lines.push({ runtime: 'Chromium', what: 'set-up', times: [], error: `failed: ${(err as Error).message.split('\n')[0]}` });
  } finally {
    await browser?.close();
    await server?.close();
    app?.cleanup();
  }

  lines.push(await measure('workerd', 'spawn -> first HTTP answer (worker on cotangent/workerd)', () => hosts.runWorkerd()));
  lines.push(await measure('workerd', 'spawn -> first HTTP answer (empty worker: the baseline)', async () => {
    const w = await hosts.startWorkerd({ setup: 'bare' });
    await w.stop();
    return { checks: [], startupMs: w.spawnToFirstResponseMs };
  }));

  console.log(`\nStart-up: time from import to the first result, ${RUNS} runs each (median, min), every run checked`);
  console.log('| runtime | measured | median | min |\n|---|---|---|---|');
  for (const l of lines) {
    if (l.error) {
      console.log(`| ${l.runtime} | ${l.what} | ${l.error} | |`);
      continue;
    }
    const sorted = [...l.times].sort((a, b) => a - b);
    console.log(`| ${l.runtime} | ${l.what} | ${ms(sorted[sorted.length >> 1])} ms | ${ms(sorted[0])} ms |`);
  }
  console.log('workerd\'s clock stands still while a worker computes, so its time is measured from outside, from the spawn of the process.');
}
