// Tests of ts/loader.ts against the built module (dist/cotangent.wasm; `npm run build` first).
// Set COTANGENT_TEST_WASM=/path/to/other.wasm to run the per-source tests against another module
// (the default-location and bundle tests always use dist/). The choice between the two builds
// under the relaxed-SIMD flag is tested in child processes by tests/fma.test.ts.
// init() is idempotent per loader instance, so every test imports its own fresh copy of the
// loader through a query string.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, access } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import asc from 'assemblyscript/asc';
import { ABI_VERSION, relaxedSimdSupported, defaultBuild } from '../ts/loader.ts';

type Loader = typeof import('../ts/loader.ts');

let fresh = 0;
async function freshLoader(): Promise<Loader> {
  return import(`../ts/loader.ts?fresh=${++fresh}`);
}

const DIST_WASM = new URL('../dist/cotangent.wasm', import.meta.url);
const DIST_BUNDLE = new URL('../dist/index.js', import.meta.url);
const WASM_URL = process.env.COTANGENT_TEST_WASM ? pathToFileURL(process.env.COTANGENT_TEST_WASM) : DIST_WASM;

let bytes: Uint8Array<ArrayBuffer>;
let fixture: Uint8Array<ArrayBuffer>;

async function mustExist(url: URL): Promise<void> {
  try {
    await access(url);
  } catch {
    assert.fail(`${url.pathname} is missing: run \`npm run build\` before the loader tests`);
  }
}

// A small AssemblyScript module, compiled here, that exercises the host imports. It declares the
// ABI version the loader checks for (the loader refuses modules that speak another one).
const FIXTURE_SOURCE = `
export const ABI_VERSION: i32 = ${ABI_VERSION};
@external("env", "notProvided") declare function notProvided(): void;
@external("other", "thing") declare function otherThing(x: i32): i32;
export function fail(x: i32): i32 {
  if (x > 0) throw new Error("bad shape [" + x.toString() + "] \\u00fcn\\u00efcode \\u{1F600}");
  return x;
}
export function failNull(): void { abort(); }
export function rnd(): f64 { return Math.random(); }
export function callMissing(): void { notProvided(); }
export function callOther(): i32 { return otherThing(1); }
export function add(a: i32, b: i32): i32 { return a + b; }
`;

before(async () => {
  await mustExist(WASM_URL);
  bytes = new Uint8Array(await readFile(WASM_URL));
  const out = await asc.compileString({ 'fixture.ts': FIXTURE_SOURCE }, { runtime: 'stub', optimizeLevel: 0, debug: false });
  if (out.error || !out.binary) assert.fail(`fixture did not compile: ${out.error?.message}\n${out.stderr.toString()}`);
  fixture = new Uint8Array(out.binary);
});

function assertLoaded(loader: Loader, exports: { memory: WebAssembly.Memory }): void {
  assert.ok(exports.memory instanceof WebAssembly.Memory, 'exports.memory is a WebAssembly.Memory');
  assert.equal(loader.isLoaded(), true);
  assert.equal(loader.wasm(), exports);
}

/** Imports that satisfy any module's function imports (for building an Instance by hand). */
function stubImports(module: WebAssembly.Module): WebAssembly.Imports {
  const imports: WebAssembly.Imports = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.kind === 'function') (imports[imp.module] ??= {})[imp.name] = () => 0;
  }
  return imports;
}

test('wasm() before loading throws the clear message', async () => {
  const loader = await freshLoader();
  assert.equal(loader.isLoaded(), false);
  assert.throws(() => loader.wasm(), { message: 'cotangent: the wasm module is not loaded; call init() first' });
  // a CotangentError, as every misuse (API.md): catch (e) { if (e instanceof CotangentError) ... } sees it
  assert.throws(() => loader.wasm(), (e: any) => e.constructor.name === 'CotangentError' && e instanceof Error);
});

test('init(URL) with a file: URL', async () => {
  const loader = await freshLoader();
  assertLoaded(loader, await loader.init(WASM_URL));
});

test('init(file: URL) reads through Deno.readFile when the host has it (not node:fs)', async () => {
  const g = globalThis as { Deno?: unknown };
  const read: string[] = [];
  g.Deno = { readFile: async (url: URL) => (read.push(url.href), readFile(url)) };
  try {
    const loader = await freshLoader();
    assertLoaded(loader, await loader.init(WASM_URL));
    assert.deepEqual(read, [WASM_URL.href]);
  } finally {
    delete g.Deno;
  }
});

test('init(string) with a file: URL string', async () => {
  const loader = await freshLoader();
  assertLoaded(loader, await loader.init(WASM_URL.href));
});

test('init(Uint8Array) at a non-zero byteOffset', async () => {
  const loader = await freshLoader();
  const big = new Uint8Array(bytes.byteLength + 16);
  big.set(bytes, 8);
  assertLoaded(loader, await loader.init(big.subarray(8, 8 + bytes.byteLength)));
});

test('init(bytes that are no wasm module) says so and what was given; a later init() still loads', async () => {
  const loader = await freshLoader();
  // (it was the engine's bare CompileError: "WebAssembly.compile(): expected 4 bytes, fell off end @+0")
  await assert.rejects(loader.init(new Uint8Array([1, 2, 3])), /^Error: cotangent: cannot compile the bytes given to init\(\) as a wasm module \(.*\); pass the bytes of dist\/cotangent\.wasm/);
  await assert.rejects(loader.init(new Response(new Uint8Array([0, 97, 115]))), /cotangent: cannot compile .* as a wasm module/);
  assertLoaded(loader, await loader.init(bytes));
});

test('init(ArrayBuffer)', async () => {
  const loader = await freshLoader();
  assertLoaded(loader, await loader.init(bytes.slice().buffer));
});

test('init(Uint8Array over a SharedArrayBuffer) copies the bytes', async () => {
  const loader = await freshLoader();
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.byteLength));
  shared.set(bytes);
  assertLoaded(loader, await loader.init(shared));
});

test('init(WebAssembly.Module)', async () => {
  const loader = await freshLoader();
  assertLoaded(loader, await loader.init(await WebAssembly.compile(bytes)));
});

test('init(WebAssembly.Instance) uses that instance', async () => {
  const loader = await freshLoader();
  const module = await WebAssembly.compile(bytes);
  const instance = await WebAssembly.instantiate(module, stubImports(module));
  const exports = await loader.init(instance);
  assertLoaded(loader, exports);
  assert.equal(exports, instance.exports);
});

/** Runs fn while counting calls of WebAssembly.compileStreaming. */
async function countStreaming(fn: () => Promise<void>): Promise<number> {
  const original = WebAssembly.compileStreaming;
  let calls = 0;
  WebAssembly.compileStreaming = (source) => {
    calls++;
    return original(source);
  };
  try {
    await fn();
  } finally {
    WebAssembly.compileStreaming = original;
  }
  return calls;
}

test('init(Response) with content-type application/wasm (streaming compile)', async () => {
  const loader = await freshLoader();
  const res = new Response(bytes, { headers: { 'content-type': 'application/wasm' } });
  const calls = await countStreaming(async () => assertLoaded(loader, await loader.init(res)));
  assert.equal(calls, 1);
  assert.equal(res.bodyUsed, true);
});

test('init(Response) with a variant of the wasm content type (arrayBuffer path)', async () => {
  // Node's streaming compilation rejects anything but exactly application/wasm.
  for (const type of ['application/wasm; charset=binary', 'Application/Wasm']) {
    const loader = await freshLoader();
    const res = new Response(bytes, { headers: { 'content-type': type } });
    const calls = await countStreaming(async () => assertLoaded(loader, await loader.init(res)));
    assert.equal(calls, 0);
  }
});

test('init(Response) without the wasm content type (arrayBuffer path)', async () => {
  const loader = await freshLoader();
  const res = new Response(bytes, { headers: { 'content-type': 'application/octet-stream' } });
  const calls = await countStreaming(async () => assertLoaded(loader, await loader.init(res)));
  assert.equal(calls, 0);
});

test('init(http: URL) fetches, streaming when served as application/wasm', async () => {
  const server = createServer((req, res) => {
    if (req.url === '/cotangent.wasm') res.writeHead(200, { 'content-type': 'application/wasm' }).end(bytes);
    else if (req.url === '/plain.wasm') res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const base = `http://127.0.0.1:${port}/`;
    const a = await freshLoader();
    assert.equal(await countStreaming(async () => assertLoaded(a, await a.init(new URL('cotangent.wasm', base)))), 1);
    const b = await freshLoader();
    assert.equal(await countStreaming(async () => assertLoaded(b, await b.init(`${base}plain.wasm`))), 0);
    const c = await freshLoader();
    await assert.rejects(c.init(`${base}missing.wasm`), /at http:.*missing\.wasm failed: 404/);
    const d = await freshLoader();
    await assert.rejects(d.init('http://127.0.0.1:1/cotangent.wasm'), /cotangent: cannot fetch the wasm module at http:/);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('init(Promise<Response>)', async () => {
  const loader = await freshLoader();
  const res = Promise.resolve(new Response(bytes, { headers: { 'content-type': 'application/wasm' } }));
  assertLoaded(loader, await loader.init(res));
  const other = await freshLoader(); // a promise of another source type is accepted too
  assertLoaded(other, await other.init(WebAssembly.compile(bytes) as never));
});

test('init() with no argument finds dist/cotangent.wasm from the source tree', async () => {
  await mustExist(DIST_WASM);
  const loader = await freshLoader();
  assertLoaded(loader, await loader.init());
});

test('init() is idempotent, also for concurrent calls and a different source', async () => {
  const loader = await freshLoader();
  const [a, b] = await Promise.all([loader.init(WASM_URL), loader.init(bytes)]);
  assert.equal(a, b);
  assert.equal(await loader.init(), a);
  assert.equal(await loader.init(new Response(new Uint8Array(0))), a); // ignored once loaded
  assert.equal(loader.initSync(bytes), a);
  assert.equal(loader.wasm(), a);
});

test('initSync() with bytes, a Module and an Instance; init() afterwards returns the same', async () => {
  const fromBytes = await freshLoader();
  const a = fromBytes.initSync(bytes);
  assertLoaded(fromBytes, a);
  assert.equal(await fromBytes.init(), a);

  const fromModule = await freshLoader();
  assertLoaded(fromModule, fromModule.initSync(new WebAssembly.Module(bytes)));

  const fromInstance = await freshLoader();
  const module = new WebAssembly.Module(bytes);
  const instance = new WebAssembly.Instance(module, stubImports(module));
  assert.equal(fromInstance.initSync(instance), instance.exports);
  assert.equal(fromInstance.initSync(bytes.slice().buffer), instance.exports);
});

test('failures are readable and a failed init() can be retried', async () => {
  const loader = await freshLoader();
  const missing = new URL('./does-not-exist.wasm', import.meta.url);
  await assert.rejects(loader.init(missing), /cotangent: cannot read the wasm module at file:.*does-not-exist\.wasm/);
  await assert.rejects(loader.init(new Response('nope', { status: 404, statusText: 'Not Found' })), /404 Not Found/);
  await assert.rejects(loader.init(Promise.resolve(42) as never), TypeError);
  await assert.rejects(loader.init(42 as never), /cannot load the wasm module from a number/);
  await assert.rejects(loader.init('cotangent.wasm'), /relative URL 'cotangent\.wasm'/);
  assert.throws(() => loader.initSync('x' as never), TypeError);
  assert.equal(loader.isLoaded(), false);
  assertLoaded(loader, await loader.init(WASM_URL));
});

test('env.abort throws an Error with the decoded message and file name', async () => {
  const loader = await freshLoader();
  const exports = loader.initSync(fixture);
  assert.equal(exports.add(2, 3), 5);
  assert.equal(exports.fail(0), 0);
  assert.throws(
    () => exports.fail(7),
    (err: unknown) => {
      assert.ok(err instanceof Error);
      assert.match(err.message, /^cotangent: wasm abort: bad shape \[7\] ünïcode 😀 \(fixture\.ts:\d+:\d+\)$/);
      return true;
    },
  );
  // A bare abort() passes null pointers and zeros.
  assert.throws(() => exports.failNull(), /^Error: cotangent: wasm abort: abort \(<unknown>:0:0\)$/);
  // Still usable after an abort (the stub runtime keeps no broken state for these calls).
  assert.equal(exports.add(1, 1), 2);
});

test('a module that speaks another ABI version (or none) is refused with a clear message', async () => {
  const cases = [['export const ABI_VERSION: i32 = 1; export function f(): i32 { return 0; }', '1'],
    ['export function f(): i32 { return 0; }', '(none)']];
  for (const [src, said] of cases) {
    const out = await asc.compileString({ 'other.ts': src }, { runtime: 'stub', optimizeLevel: 0, debug: false });
    assert.ok(out.binary, 'compiles');
    const loader = await freshLoader();
    assert.throws(() => loader.initSync(new Uint8Array(out.binary!)),
      (e: any) => e.message.includes(`ABI version ${said}`) && e.message.includes(`needs ${ABI_VERSION}`));
  }
});

test('env.seed is provided (Math.random works) and unknown imports fail readably', async () => {
  const loader = await freshLoader();
  const exports = await loader.init(new Response(fixture, { headers: { 'content-type': 'application/wasm' } }));
  const r = exports.rnd();
  assert.ok(r >= 0 && r < 1, `Math.random() gave ${r}`);
  assert.throws(() => exports.callMissing(), /import env\.notProvided, which the loader does not provide/);
  assert.throws(() => exports.callOther(), /import other\.thing, which the loader does not provide/);
});

test('the bundle dist/index.js loads dist/cotangent.wasm next to it', async () => {
  await mustExist(DIST_WASM);
  await mustExist(DIST_BUNDLE);
  const bundle = await import(DIST_BUNDLE.href);
  assert.equal(typeof bundle.init, 'function', 'dist/index.js exports init');
  const exports = await bundle.init();
  assert.ok(exports.memory instanceof WebAssembly.Memory);
  assert.equal(await bundle.init(), exports);
});

// ---------------------------------------------------------------------------------------------
// The two builds: which one init() without a source loads (COTANGENT_WASM, feature detection)

/** Runs fn with COTANGENT_WASM set to value (unset if undefined), restoring it afterwards. */
async function withBuildEnv<T>(value: string | undefined, fn: () => T | Promise<T>): Promise<T> {
  const saved = process.env.COTANGENT_WASM;
  if (value === undefined) delete process.env.COTANGENT_WASM;
  else process.env.COTANGENT_WASM = value;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.COTANGENT_WASM;
    else process.env.COTANGENT_WASM = saved;
  }
}

test('wasmBuild() names the loaded module: an explicit source is loaded as given', async () => {
  const loader = await freshLoader();
  assert.throws(() => loader.wasmBuild(), /not loaded/);
  await loader.init(bytes);
  assert.equal(loader.wasmBuild(), 'simd');
});

test('init() with no source loads the build this host supports; COTANGENT_WASM=simd forces the plain one', async () => {
  const detected = relaxedSimdSupported() ? 'relaxed-simd' : 'simd';
  for (const [env, want] of [[undefined, detected], ['auto', detected], ['', detected], ['simd', 'simd']] as const) {
    const loader = await freshLoader();
    await withBuildEnv(env, () => loader.init());
    assert.equal(loader.wasmBuild(), want, `COTANGENT_WASM=${env}`);
  }
});

test('COTANGENT_WASM with another value, or relaxed-simd where it does not compile, fails init() readably', async () => {
  const bad = await freshLoader();
  await withBuildEnv('plain', () => assert.rejects(bad.init(), /COTANGENT_WASM=plain is not a build; use simd \(the plain build\), relaxed-simd or auto/));
  assert.equal(bad.isLoaded(), false);
  const relaxed = await freshLoader();
  if (relaxedSimdSupported()) {
    await withBuildEnv('relaxed-simd', () => relaxed.init());
    assert.equal(relaxed.wasmBuild(), 'relaxed-simd');
  } else {
    await withBuildEnv('relaxed-simd', () => assert.rejects(relaxed.init(), /does not compile relaxed SIMD \(Node 20 needs --experimental-wasm-relaxed-simd\)/));
  }
});

test('Deno: COTANGENT_WASM is read only when env access is already granted (no prompt)', async () => {
  const g = globalThis as { Deno?: unknown };
  const asked: string[] = [];
  const deno = (state: string) => ({
    permissions: { querySync: (d: { name: string; variable: string }) => (asked.push(`${d.name}:${d.variable}`), { state }) },
    env: { get: (k: string) => { if (state !== 'granted') throw new Error('read without permission'); return k === 'COTANGENT_WASM' ? 'simd' : undefined; } },
  });
  try {
    await withBuildEnv('nonsense', () => {
      g.Deno = deno('prompt'); // process.env's value is not Deno's: not read
      assert.equal(defaultBuild(), relaxedSimdSupported() ? 'relaxed-simd' : 'simd');
      g.Deno = deno('granted');
      assert.equal(defaultBuild(), 'simd');
    });
    assert.deepEqual(asked, ['env:COTANGENT_WASM', 'env:COTANGENT_WASM']);
  } finally {
    delete g.Deno;
  }
});

test('the default load over http names the missing .wasm beside the bundle (it said only "404" or "expected magic word", and advised init() with no argument, which it was)', async () => {
  const { defaultLoadError } = await import('../ts/loader.ts');
  const primary = new URL('https://example.test/assets/cotangent-fma.wasm');
  const e404 = defaultLoadError(new Error('cotangent: fetching the wasm module at https://example.test/assets/cotangent-fma.wasm failed: 404 Not Found'), primary) as Error;
  assert.match(e404.message, /404 Not Found\. init\(\) with no argument loads cotangent\.wasm and cotangent-fma\.wasm from beside the module \(https:\/\/example\.test\/assets\/\): if you bundled cotangent, copy them there/);
  const html = defaultLoadError(new Error('cotangent: cannot compile https://example.test/assets/cotangent-fma.wasm as a wasm module (expected magic word 00 61 73 6d, found 3c 21 64 6f); pass the bytes of dist/cotangent.wasm (or cotangent-fma.wasm), or leave init() no argument to load it'), primary) as Error;
  assert.doesNotMatch(html.message, /leave init\(\) no argument/);
  assert.match(html.message, /found 3c 21 64 6f\); pass the bytes of dist\/cotangent\.wasm \(or cotangent-fma\.wasm\)\. init\(\) with no argument loads/);
  const file = new Error('cotangent: cannot read the wasm module at file:///x/cotangent.wasm (ENOENT); if you bundled cotangent, copy ...');
  assert.equal(defaultLoadError(file, new URL('file:///x/cotangent.wasm')), file, 'a file: URL\'s error already says it');
});
