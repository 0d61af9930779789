// Runs tests/runtimes/conformance.js in each runtime and returns its checks and the time from
// importing cotangent to the first result. Used by tests/runtimes.test.ts (which asserts the
// checks) and by the bench (which reports the times). Every child process and server is
// bounded in time and always stopped; a missing tool (Deno, workerd, Chromium, Vite) is an
// error that names how to install it, never a skip.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, cpSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HERE = join(ROOT, 'tests', 'runtimes');
const require = createRequire(import.meta.url);

export interface Check { name: string; ok: boolean; detail: string }
/** build: wasmBuild() of the entry the host imported ('simd' or 'relaxed-simd'), when it reports one. */
export interface Conformance { checks: Check[]; startupMs: number; build?: string }

// ---------------------------------------------------------------------------------------------
// Child processes

/** Children still running; killed if this process exits first (a failed or interrupted test). */
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.on('close', () => live.delete(child));
  return child;
}

export interface Ran { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; timedOut: boolean }

/** Runs a command to completion, killing it (SIGKILL) if it outlives timeoutMs. */
export function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<Ran> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd ?? ROOT, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    track(child);
    let stdout = '', stderr = '', timedOut = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolvePromise({ status, signal, stdout, stderr, timedOut });
    });
  });
}

/** The last line of a host's stdout, parsed. */
function lastJson(r: Ran, who: string): Conformance {
  if (r.timedOut) throw new Error(`${who} timed out\n${r.stdout}\n${r.stderr}`);
  if (r.status !== 0) throw new Error(`${who} exited with ${r.status ?? r.signal}\n${r.stdout}\n${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`${who} printed no JSON result\n${r.stdout}\n${r.stderr}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Node and Deno: tests/runtimes/host.mjs imports the entry and runs the script

/** Node: `specifier` is imported from tests/runtimes (so `cotangent` resolves through exports). */
export async function runNode(specifier: string, mode?: 'init'): Promise<Conformance> {
  const args = [join(HERE, 'host.mjs'), specifier, ...(mode ? [mode] : [])];
  return lastJson(await run(process.execPath, args, { timeoutMs: 60_000 }), `node host.mjs ${specifier}`);
}

/**
 * Deno's own binary (not the package's bin.cjs, a Node wrapper that a timeout would kill while
 * leaving Deno running): next to the package once its postinstall ran, else where the
 * package's installer puts it.
 */
export function denoBin(): string {
  let dir: string;
  try {
    dir = join(require.resolve('deno/package.json'), '..');
  } catch {
    throw new Error('Deno is missing: the npm package `deno` (a devDependency) is not installed; run `npm ci`');
  }
  const exe = join(dir, 'deno');
  if (existsSync(exe)) return exe;
  return require(join(dir, 'install_api.cjs')).runInstall();
}

/**
 * Deno, with read access only. 'dist': imports dist/index.js by path. 'package': imports
 * `cotangent` from a project with the packed package in node_modules and a package.json naming
 * it, as a Deno user of the npm package has (Deno resolves it with its own export conditions).
 */
export async function runDeno(from: 'dist' | 'package' = 'dist'): Promise<Conformance> {
  const env = { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
  if (from === 'dist') {
    const args = ['run', '--quiet', '--no-config', '--allow-read', join(HERE, 'host.mjs'), '../../dist/index.js'];
    return lastJson(await run(denoBin(), args, { env, timeoutMs: 60_000 }), 'deno host.mjs');
  }
  const dir = mkdtempSync(join(tmpdir(), 'cotangent-deno-'));
  try {
    await installPacked(dir);
    for (const f of ['host.mjs', 'conformance.js']) cpSync(join(HERE, f), join(dir, f));
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'deno-user', private: true, type: 'module', dependencies: { cotangent: version } }));
    const args = ['run', '--quiet', '--allow-read', 'host.mjs', 'cotangent'];
    return lastJson(await run(denoBin(), args, { cwd: dir, env, timeoutMs: 60_000 }), 'deno host.mjs cotangent (packed)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// workerd: a worker built on `cotangent/workerd`, configured in capnp, queried over HTTP

export function workerdBin(): { bin: string; compatibilityDate: string } {
  let mod: { default: string; compatibilityDate: string };
  try {
    mod = require('workerd');
  } catch {
    throw new Error('workerd is missing: the npm package `workerd` (a devDependency) is not installed; run `npm ci`');
  }
  if (!existsSync(mod.default)) throw new Error(`workerd's binary is missing at ${mod.default}; run \`npm ci\``);
  return { bin: mod.default, compatibilityDate: mod.compatibilityDate };
}

/**
 * The capnp config: workerd has no node_modules resolution, so it names each module of the
 * package. A module named `cotangent/workerd` is what `import ... from 'cotangent/workerd'`
 * finds, and its `./manual.js` and `./cotangent.wasm` resolve to `cotangent/...` beside it.
 * workerd resolves bare specifiers like relative ones, from the importing module's folder, so
 * the worker sits at the root, as a user's would.
 */
function workerdConfig(dir: string, compatibilityDate: string, bare: boolean): string {
  const rel = (p: string) => JSON.stringify(relative(dir, p).split(sep).join('/'));
  const dist = join(ROOT, 'dist');
  const modules = bare ? [`(name = "workerd_bare.js", esModule = embed ${rel(join(HERE, 'workerd_bare.js'))})`] : [
    `(name = "workerd_worker.js", esModule = embed ${rel(join(HERE, 'workerd_worker.js'))})`,
    `(name = "workerd_handler.js", esModule = embed ${rel(join(HERE, 'workerd_handler.js'))})`,
    `(name = "conformance.js", esModule = embed ${rel(join(HERE, 'conformance.js'))})`,
    `(name = "cotangent/workerd", esModule = embed ${rel(join(dist, 'workerd.js'))})`,
    `(name = "cotangent/manual.js", esModule = embed ${rel(join(dist, 'manual.js'))})`,
    `(name = "cotangent/cotangent.wasm", wasm = embed ${rel(join(dist, 'cotangent.wasm'))})`,
  ];
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  compatibilityDate = "${compatibilityDate}",
  modules = [
    ${modules.join(',\n    ')}
  ],
);
`;
}

/**
 * A wrangler-style project: wrangler.json, the worker importing plain `cotangent`, and the
 * packed package in node_modules. `workerd serve wrangler.json` bundles it with esbuild, which
 * honours the `workerd` export condition.
 */
async function wranglerProject(dir: string, compatibilityDate: string): Promise<void> {
  await installPacked(dir);
  for (const f of ['workerd_bundled.js', 'workerd_handler.js', 'conformance.js']) cpSync(join(HERE, f), join(dir, f));
  writeFileSync(join(dir, 'wrangler.json'), JSON.stringify({ name: 'cotangent-test', main: 'workerd_bundled.js', compatibility_date: compatibilityDate }));
}

export function esbuildBin(): string {
  const bin = join(ROOT, 'node_modules', '.bin', 'esbuild');
  if (!existsSync(bin)) throw new Error('esbuild is missing (a devDependency, which `workerd serve wrangler.json` bundles with); run `npm ci`');
  return bin;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

export interface Workerd { url: string; spawnToFirstResponseMs: number; stop(): Promise<void> }

/** How workerd gets the worker: a capnp config naming each module, or a wrangler project. */
export type WorkerdSetup = 'capnp' | 'wrangler' | 'bare';

/**
 * Starts workerd on 127.0.0.1 and waits (at most timeoutMs) until the worker answers GET /grad.
 * spawnToFirstResponseMs includes workerd's own start: inside a worker the clock stands still
 * while code runs (Spectre mitigation), so the import cannot be timed from within. `bare`: a
 * worker without cotangent (tests/runtimes/workerd_bare.js), the baseline for that time (it
 * answers /grad with an empty list).
 */
export async function startWorkerd({ timeoutMs = 30_000, setup = 'capnp' as WorkerdSetup, date = '' } = {}): Promise<Workerd> {
  const { bin, compatibilityDate: newest } = workerdBin();
  const compatibilityDate = date || newest;
  const dir = mkdtempSync(join(tmpdir(), 'cotangent-workerd-'));
  let config = 'config.capnp';
  const env = { ...process.env };
  try {
    if (setup === 'wrangler') {
      env.WORKERD_ESBUILD = esbuildBin();
      await wranglerProject(dir, compatibilityDate);
      config = 'wrangler.json';
    } else {
      writeFileSync(join(dir, config), workerdConfig(dir, compatibilityDate, setup === 'bare'));
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(bin, ['serve', config, '--socket-addr', `http=127.0.0.1:${port}`], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  let exited: string | null = null;
  const closed = new Promise<void>((r) => child.on('close', (code, signal) => ((exited = `${code ?? signal}`), r())));
  child.on('error', (err) => (log += `\nspawn error: ${err.message}`));
  const stop = async () => {
    if (exited === null) child.kill('SIGKILL');
    await closed;
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    const deadline = t0 + timeoutMs;
    for (;;) {
      if (exited !== null) throw new Error(`workerd exited (${exited}) before answering:\n${log}`);
      if (performance.now() > deadline) throw new Error(`workerd did not answer within ${timeoutMs} ms:\n${log}`);
      try {
        const res = await fetch(`${url}/grad?x=0`, { signal: AbortSignal.timeout(2000) });
        if (res.ok) {
          await res.arrayBuffer();
          return { url, spawnToFirstResponseMs: performance.now() - t0, stop };
        }
        throw new Error(`workerd answered ${res.status}: ${await res.text()}\n${log}`);
      } catch (err) {
        if ((err as Error).message.startsWith('workerd answered')) throw err;
        await new Promise((r) => setTimeout(r, 10)); // not listening yet
      }
    }
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Starts workerd, runs the conformance script in the worker, stops workerd. */
/** `date`: the worker's compatibility date (the newest this workerd knows, by default). */
export async function runWorkerd(setup: 'capnp' | 'wrangler' = 'capnp', date = ''): Promise<Conformance> {
  const w = await startWorkerd({ setup, date });
  try {
    const res = await fetch(`${w.url}/`, { signal: AbortSignal.timeout(20_000) });
    if (!res.ok) throw new Error(`the worker answered ${res.status}: ${await res.text()}`);
    const { checks, build } = (await res.json()) as { checks: Check[]; build: string };
    return { checks, startupMs: w.spawnToFirstResponseMs, build };
  } finally {
    await w.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Chromium: pages served from 127.0.0.1 under a CSP without 'unsafe-eval'

/** Scripts may come from this origin only; wasm may be compiled; JS code generation may not. */
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; report-uri /csp-report";

const TYPES: Record<string, string> = {
  '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html; charset=utf-8',
  '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css',
};

export interface PageResult extends Conformance { violations: string[] }

export interface TestServer {
  origin: string;
  /** Resolves with the first POST /result (the page's conformance results). */
  nextResult(timeoutMs: number): Promise<PageResult>;
  /** CSP violation reports received so far (report-uri). */
  reports: unknown[];
  close(): Promise<void>;
}

/** Serves `mounts` (URL prefix -> directory) on 127.0.0.1 with the CSP on every response. */
export async function serve(mounts: Record<string, string>): Promise<TestServer> {
  const reports: unknown[] = [];
  let waiting: ((r: PageResult) => void) | null = null;
  let pendingResult: PageResult | null = null;
  const body = (req: IncomingMessage) =>
    new Promise<string>((r) => {
      let s = '';
      req.on('data', (d) => (s += d));
      req.on('end', () => r(s));
    });
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (req.method === 'POST' && path === '/csp-report') {
      reports.push(JSON.parse((await body(req)) || 'null'));
      return res.writeHead(204).end();
    }
    if (req.method === 'POST' && path === '/result') {
      const result = JSON.parse(await body(req)) as PageResult;
      if (waiting) waiting(result);
      else pendingResult = result;
      return res.writeHead(204).end();
    }
    if (path === '/favicon.ico') return res.writeHead(204).end(); // asked for by every page
    for (const [prefix, dir] of Object.entries(mounts)) {
      if (!path.startsWith(prefix)) continue;
      const file = resolve(dir, '.' + path.slice(prefix.length - 1));
      if (!file.startsWith(resolve(dir))) break; // no escaping the mounted directory
      const target = existsSync(file) && statSync(file).isDirectory() ? join(file, 'index.html') : file;
      if (!existsSync(target)) break;
      return res
        .writeHead(200, { 'content-type': TYPES[extname(target)] ?? 'application/octet-stream', 'content-security-policy': CSP, 'cache-control': 'no-store' })
        .end(readFileSync(target));
    }
    res.writeHead(404, { 'content-security-policy': CSP }).end('not found');
  };
  const server = createServer((req, res) => {
    handler(req, res).catch((err) => res.writeHead(500).end(String(err)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    reports,
    nextResult(timeoutMs) {
      if (pendingResult) {
        const r = pendingResult;
        pendingResult = null;
        return Promise.resolve(r);
      }
      return new Promise((resolvePromise, reject) => {
        const timer = setTimeout(() => ((waiting = null), reject(new Error(`no result from the page within ${timeoutMs} ms`))), timeoutMs);
        waiting = (r) => {
          clearTimeout(timer);
          waiting = null;
          resolvePromise(r);
        };
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

export const CHROMIUM = '/usr/bin/chromium';

export interface Browser {
  /** Opens url, waits for its POST /result, and returns it with the page's errors. */
  open(server: TestServer, url: string, timeoutMs?: number): Promise<PageResult & { errors: string[] }>;
  close(): Promise<void>;
}

/** Headless Debian Chromium through playwright-core (no browser download). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get update && apt-get install -y --no-install-recommends chromium (.ci/run does)`);
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], timeout: 30_000 });
  return {
    async open(server, url, timeoutMs = 30_000) {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(`console.error: ${msg.text()} (${msg.location().url})`);
      });
      try {
        const result = server.nextResult(timeoutMs);
        await page.goto(url, { timeout: timeoutMs });
        // Page errors are reported instead of a result that never comes.
        const r = await Promise.race([
          result,
          new Promise<never>((_, reject) => {
            const t = setInterval(() => {
              if (errors.length) (clearInterval(t), reject(new Error(`the page failed:\n${errors.join('\n')}`)));
            }, 50);
            result.finally(() => clearInterval(t)).catch(() => {});
          }),
        ]);
        return { ...r, errors };
      } finally {
        await page.close();
      }
    },
    close: () => browser.close(),
  };
}

// ---------------------------------------------------------------------------------------------
// The package as users get it, and an app built from it by Vite

/** `npm pack` into dir; returns the tarball's path. Lifecycle scripts are not run. */
export async function pack(dir: string): Promise<string> {
  const r = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { timeoutMs: 60_000 });
  if (r.status !== 0) throw new Error(`npm pack failed:\n${r.stderr}`);
  return join(dir, JSON.parse(r.stdout)[0].filename);
}

/** Installs the packed package in dir/node_modules/cotangent, as `npm install <tarball>` would. */
export async function installPacked(dir: string): Promise<void> {
  const tgz = await pack(dir);
  const pkgDir = join(dir, 'node_modules', 'cotangent');
  mkdirSync(pkgDir, { recursive: true });
  const tar = await run('tar', ['-xzf', tgz, '-C', pkgDir, '--strip-components=1'], { timeoutMs: 30_000 });
  if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
  rmSync(tgz);
}

/**
 * Builds tests/runtimes/app with Vite against the packed package, installed in the app's
 * node_modules as a user's `npm install` would (extracted from the tarball: no registry). Returns
 * the build output directory, to be served under /app/.
 */
export async function buildApp(): Promise<{ outDir: string; cleanup(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'cotangent-app-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    await installPacked(dir);
    for (const f of ['index.html', 'main.js']) cpSync(join(HERE, 'app', f), join(dir, f));
    cpSync(join(HERE, 'conformance.js'), join(dir, 'conformance.js'));
    cpSync(join(HERE, 'browser', 'run_page.js'), join(dir, 'run_page.js'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'cotangent-app', private: true, type: 'module' }));
    const { build } = await import('vite');
    await build({
      root: dir, base: '/app/', configFile: false, logLevel: 'warn',
      build: { outDir: join(dir, 'dist'), emptyOutDir: true },
    });
    return { outDir: join(dir, 'dist'), cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}
