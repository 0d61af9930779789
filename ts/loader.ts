// Loads the cotangent WebAssembly module. No top-level I/O: nothing happens until init() or
// initSync() is called. The loading path is chosen by what the caller passes in, never by
// sniffing the runtime (edge runtimes such as workerd look like Node but refuse to compile
// wasm from bytes; there the caller passes a ready WebAssembly.Module).
//
// Two builds ship: cotangent.wasm (plain SIMD) and cotangent-fma.wasm (relaxed SIMD: fused
// multiply-add in the matrix products, so their results round differently). Only init() with no
// source chooses between them, by feature detection (WebAssembly.validate of a tiny module using
// one relaxed SIMD instruction); a source the caller passes is loaded as it is.

/** Anything init() can load the module from. */
import { CotangentError } from './core/errors.js'; // (a misuse, as every other: catchable as CotangentError)
import { customRuleImport } from './core/custom_calls.js';

// The published types name the host's WebAssembly, URL and Response only through these: where the
// user's `lib` has them (DOM, or @types/node) they are those types; where it has neither (a Node
// project with lib es2022 and no DOM), a structural stand-in, not TS2503 'Cannot find namespace
// WebAssembly' inside node_modules/cotangent.
type Host = typeof globalThis;
type HostWasm = Host extends { WebAssembly: infer W } ? W : never;
type Constructed<C, Fallback> = C extends abstract new (...args: any[]) => infer T ? T : Fallback;
/** The host's WebAssembly.Module (an object where the types know of none). */
export type WasmModule = Constructed<HostWasm extends { Module: infer C } ? C : never, object>;
/** The host's WebAssembly.Instance. */
export type WasmInstance = Constructed<HostWasm extends { Instance: infer C } ? C : never, { exports: object }>;
/** The host's WebAssembly.Memory. */
export type WasmMemory = Constructed<HostWasm extends { Memory: infer C } ? C : never, { buffer: ArrayBuffer }>;
type HostUrl = Constructed<Host extends { URL: infer C } ? C : never, { href: string }>;
type HostResponse = Constructed<Host extends { Response: infer C } ? C : never, { ok: boolean; arrayBuffer(): Promise<ArrayBuffer> }>;

export type WasmSource =
  | WasmModule
  | WasmInstance
  | HostUrl
  | string
  | HostResponse
  | PromiseLike<HostResponse>
  | ArrayBuffer
  | ArrayBufferView;

/** The raw exports of the instantiated module. */
export interface WasmExports {
  memory: WasmMemory;
  [name: string]: any;
}

/** Sources initSync() accepts (no I/O possible synchronously). */
export type WasmSyncSource = WasmModule | WasmInstance | ArrayBuffer | ArrayBufferView;

const NOT_LOADED = 'cotangent: the wasm module is not loaded; call init() first';

// Kept in variables (not literals) so bundlers never try to resolve or inline them:
// node:fs/promises is only imported when the caller's URL has the file: protocol, and the
// source-tree fallback must not make asset-aware bundlers emit a second copy of the .wasm.
const NODE_FS: string = 'node:fs/promises';
const SOURCE_TREE_FALLBACK: string = '../dist/cotangent.wasm';
const SOURCE_TREE_FALLBACK_FMA: string = '../dist/cotangent-fma.wasm';

/** Which build of the module is loaded: plain SIMD, or relaxed SIMD (fused multiply-add in products). */
export type WasmBuild = 'simd' | 'relaxed-simd';

/** The environment variable that overrides the choice of build when init() has no source. */
const BUILD_ENV = 'COTANGENT_WASM';

let loaded: WasmExports | null = null;
let pending: Promise<WasmExports> | null = null;

/**
 * Loads and instantiates the module once; later calls (with any argument) return the same
 * exports. With no argument it loads the build next to this module (in dist/, beside
 * dist/index.js): `cotangent-fma.wasm` where the host supports relaxed SIMD, else (or if that
 * file is missing) `cotangent.wasm`. `COTANGENT_WASM=simd` in the environment (Node; Deno with
 * --allow-env) forces the plain build, `COTANGENT_WASM=relaxed-simd` the FMA one.
 */
export async function init(source?: WasmSource): Promise<WasmExports> {
  if (loaded) return loaded;
  if (!pending) {
    pending = load(source).then(
      (exports) => (loaded ??= exports),
      (err) => {
        pending = null; // allow a retry, e.g. with another source
        throw err;
      },
    );
  }
  return pending;
}

/** Synchronous variant for a Module, an Instance or the module's bytes. */
export function initSync(source: WasmSyncSource): WasmExports {
  if (loaded) return loaded;
  let exports: WasmExports;
  if (isInstance(source)) {
    exports = checkExports(source);
  } else if (isBufferSource(source)) {
    exports = instantiateSync(new WebAssembly.Module(toBytes(source)));
  } else if (isModule(source)) {
    exports = instantiateSync(source);
  } else {
    throw new TypeError(`cotangent: initSync() needs a WebAssembly.Module, a WebAssembly.Instance or bytes, got ${describe(source)}`);
  }
  return (loaded = exports);
}

/** The loaded module's exports; throws if init() has not completed. */
export function wasm(): WasmExports {
  if (!loaded) throw new CotangentError(NOT_LOADED);
  return loaded;
}

export function isLoaded(): boolean {
  return loaded !== null;
}

/**
 * The build of the loaded module: 'relaxed-simd' (cotangent-fma.wasm: matrix products use fused
 * multiply-add) or 'simd' (cotangent.wasm). Throws if init() has not completed.
 */
export function wasmBuild(): WasmBuild {
  const flag = wasm().RELAXED_SIMD;
  return flag instanceof WebAssembly.Global && Number(flag.value) === 1 ? 'relaxed-simd' : 'simd';
}

// (func (param v128 v128 v128) (result v128) (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2)))
const RELAXED_SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b, // types: (v128 v128 v128) -> v128
  0x03, 0x02, 0x01, 0x00, // functions: one, of type 0
  0x0a, 0x0d, 0x01, 0x0b, 0x00, // code: one body of 11 bytes, no locals
  0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfd, 0x85, 0x02, 0x0b, // local.get 0 1 2, f32x4.relaxed_madd (0xfd 0x105), end
]);

/** Whether this host compiles relaxed SIMD (Node 20 only with --experimental-wasm-relaxed-simd). */
export function relaxedSimdSupported(): boolean {
  try {
    return WebAssembly.validate(RELAXED_SIMD_PROBE);
  } catch {
    return false;
  }
}

/** The build init() with no source loads: COTANGENT_WASM if set, else what the host supports. */
export function defaultBuild(): WasmBuild {
  const forced = buildFromEnv();
  if (forced === undefined || forced === '' || forced === 'auto') return relaxedSimdSupported() ? 'relaxed-simd' : 'simd';
  if (forced === 'simd') return forced;
  if (forced === 'relaxed-simd') {
    if (relaxedSimdSupported()) return forced;
    throw new Error(`cotangent: ${BUILD_ENV}=relaxed-simd, but this host does not compile relaxed SIMD (Node 20 needs --experimental-wasm-relaxed-simd)`);
  }
  throw new Error(`cotangent: ${BUILD_ENV}=${forced} is not a build; use simd (the plain build), relaxed-simd or auto`);
}

/**
 * COTANGENT_WASM from the environment, where one can be read without asking: Node's
 * process.env; Deno's only when env access is already granted (reading it otherwise would
 * prompt or throw); nothing in browsers and workers.
 */
function buildFromEnv(): string | undefined {
  const g = globalThis as {
    Deno?: { env?: { get(k: string): string | undefined }; permissions?: { querySync?(d: { name: string; variable: string }): { state: string } } };
    process?: { env?: Record<string, string | undefined> };
  };
  try {
    if (g.Deno) {
      const granted = g.Deno.permissions?.querySync?.({ name: 'env', variable: BUILD_ENV }).state === 'granted';
      return granted ? g.Deno.env?.get(BUILD_ENV) : undefined;
    }
    return g.process?.env?.[BUILD_ENV];
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Async loading

async function load(source: WasmSource | undefined): Promise<WasmExports> {
  if (source === undefined) return loadDefault();
  // Order matters for TypeScript's narrowing: WebAssembly.Module is an empty interface, so a
  // failed isModule() test would narrow every object type away.
  if (typeof source === 'string' || source instanceof URL) return fromUrl(toUrl(source));
  if (isResponse(source)) return fromResponse(source);
  if (isThenable(source)) {
    // Typically fetch(url); a promise of any other source (e.g. of a Module) works too.
    const value: unknown = await source;
    if (value === undefined || value === null || isThenable(value)) {
      throw new TypeError(`cotangent: init() was given a promise that resolved to ${describe(value)}, not a Response`);
    }
    return load(value as WasmSource);
  }
  if (isInstance(source)) return checkExports(source);
  if (isBufferSource(source)) return instantiate(await compileBytes(toBytes(source), 'the bytes given to init()'));
  if (isModule(source)) return instantiate(source);
  throw new TypeError(`cotangent: init() cannot load the wasm module from ${describe(source)}`);
}

/**
 * The bundled module: next to this file (dist/), or in ../dist when running from source. The
 * FMA build, when chosen by detection, falls back to the plain one if it cannot be loaded (a
 * host that copied only cotangent.wasm); forced by COTANGENT_WASM, it does not.
 */
async function loadDefault(): Promise<WasmExports> {
  const forced = buildFromEnv() === 'relaxed-simd';
  // Literal URLs, so that asset-aware bundlers (Vite) emit both files.
  const plain = [new URL('./cotangent.wasm', import.meta.url), new URL(SOURCE_TREE_FALLBACK, import.meta.url)];
  const fma = [new URL('./cotangent-fma.wasm', import.meta.url), new URL(SOURCE_TREE_FALLBACK_FMA, import.meta.url)];
  const choice = defaultBuild() === 'relaxed-simd' ? (forced ? [fma] : [fma, plain]) : [plain];
  let first: unknown;
  for (const [primary, fallback] of choice) {
    try {
      return await fromUrlOrSourceTree(primary, fallback);
    } catch (err) {
      first ??= err;
    }
  }
  throw defaultLoadError(first, choice[0][0]);
}

/**
 * The default load's failure over http(s): most often a bundle served without the .wasm files
 * beside it (a 404, or a server's HTML page for a missing file), which the fetch or compile error
 * alone did not say; a file: URL's error says so already.
 */
/** @internal exported for tests/loader.test.ts */
export function defaultLoadError(err: unknown, primary: { protocol: string; href: string }): unknown {
  if (primary.protocol === 'file:' || !(err instanceof Error)) return err;
  const text = err.message.replace(/, or leave init\(\) no argument to load it$/, ''); // (init() had no argument)
  return new Error(`${text}. init() with no argument loads cotangent.wasm and cotangent-fma.wasm from beside the module ` +
    `(${new URL('.', primary.href).href}): if you bundled cotangent, copy them there from node_modules/cotangent/dist ` +
    `(or let the bundler emit them), or import 'cotangent/manual' and pass init() their URL`, { cause: err });
}

async function fromUrlOrSourceTree(primary: URL, fallback: URL): Promise<WasmExports> {
  if (primary.protocol !== 'file:') return fromUrl(primary);
  try {
    return await fromUrl(primary);
  } catch (err) {
    // Only a missing file falls back; reading just the bytes needs no other permission (Deno).
    try {
      return await fromUrl(fallback);
    } catch {
      throw err;
    }
  }
}

function toUrl(source: string | URL): URL {
  if (source instanceof URL) return source;
  try {
    return new URL(source);
  } catch {
    // A relative URL: resolve it against the document (browsers) or worker location.
    const g = globalThis as { document?: { baseURI?: string }; location?: { href?: string } };
    const base = g.document?.baseURI ?? g.location?.href;
    if (base) return new URL(source, base);
    throw new TypeError(
      `cotangent: cannot resolve the relative URL '${source}'; pass an absolute URL, e.g. new URL('${source}', import.meta.url) or pathToFileURL(path)`,
    );
  }
}

async function fromUrl(url: URL): Promise<WasmExports> {
  if (url.protocol === 'file:') {
    let bytes: Uint8Array;
    try {
      bytes = await readFileUrl(url);
    } catch (err) {
      // (a bundler that copied the JS and not the .wasm files beside it, or a source checkout not built)
      throw new Error(`cotangent: cannot read the wasm module at ${url.href} (${errorText(err)}); ` +
        `if you bundled cotangent, copy its cotangent.wasm and cotangent-fma.wasm (from node_modules/cotangent/dist) next to the bundle, ` +
        `or import 'cotangent/manual' and pass the module yourself; in a source checkout, run npm run build`, { cause: err });
    }
    return instantiate(await compileBytes(toBytes(bytes), url.href));
  }
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    throw new Error(`cotangent: cannot fetch the wasm module at ${url.href} (${errorText(err)})`, { cause: err });
  }
  return fromResponse(res, url.href);
}

async function fromResponse(res: Response, where: string = res.url): Promise<WasmExports> {
  if (!res.ok) {
    throw new Error(`cotangent: fetching the wasm module${where ? ` at ${where}` : ''} failed: ${res.status} ${res.statusText}`);
  }
  // Streaming compilation wants the header to be exactly application/wasm (Node rejects
  // parameters and other casings); anything else goes through arrayBuffer().
  const type = (res.headers.get('content-type') ?? '').trim();
  let module: WebAssembly.Module;
  if (type === 'application/wasm' && typeof WebAssembly.compileStreaming === 'function') {
    // Streaming compile, then instantiate with imports built from the module's import list
    // (the same work instantiateStreaming does, but we need the list first).
    module = await WebAssembly.compileStreaming(res);
  } else {
    module = await compileBytes(toBytes(await res.arrayBuffer()), where || 'the Response given to init()');
  }
  return instantiate(module);
}

/** WebAssembly.compile, with a CompileError (bytes that are not a wasm module) saying what was loaded. */
async function compileBytes(bytes: BufferSource, what: string): Promise<WebAssembly.Module> {
  try {
    return await WebAssembly.compile(bytes);
  } catch (err) {
    throw new Error(`cotangent: cannot compile ${what} as a wasm module (${errorText(err)}); ` +
      'pass the bytes of dist/cotangent.wasm (or cotangent-fma.wasm), or leave init() no argument to load it', { cause: err });
  }
}

/**
 * Reads a file: URL. Deno has node:fs too, but loading its Node compatibility layer takes
 * 100-150 ms here, far more than the rest of start-up; Deno.readFile, when the host has it, reads
 * the same bytes under the same --allow-read permission. Everything else uses node:fs.
 */
async function readFileUrl(url: URL): Promise<Uint8Array> {
  const deno = (globalThis as { Deno?: { readFile?: (path: URL) => Promise<Uint8Array> } }).Deno;
  if (typeof deno?.readFile === 'function') return deno.readFile(url);
  const { readFile } = await nodeFs();
  return readFile(url);
}

async function nodeFs(): Promise<typeof import('node:fs/promises')> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ NODE_FS);
}

// ---------------------------------------------------------------------------------------------
// Instantiation and imports

async function instantiate(module: WebAssembly.Module): Promise<WasmExports> {
  const env = new HostEnv();
  const instance = await WebAssembly.instantiate(module, env.imports(module));
  return env.bind(instance);
}

function instantiateSync(module: WebAssembly.Module): WasmExports {
  const env = new HostEnv();
  const instance = new WebAssembly.Instance(module, env.imports(module));
  return env.bind(instance);
}

/** The wasm ABI this TS layer speaks (assembly/index.ts ABI_VERSION, docs/abi.md). */
export const ABI_VERSION = 5;

function checkExports(instance: WebAssembly.Instance): WasmExports {
  const exports = instance.exports as Partial<WasmExports>;
  if (!(exports.memory instanceof WebAssembly.Memory)) {
    throw new Error('cotangent: the wasm instance does not export its memory (export name "memory")');
  }
  const v = exports.ABI_VERSION instanceof WebAssembly.Global ? Number(exports.ABI_VERSION.value) : undefined;
  if (v !== ABI_VERSION) {
    throw new Error(`cotangent: the wasm module speaks ABI version ${v ?? '(none)'}, this build of cotangent needs ${ABI_VERSION}; ` +
      'load the cotangent.wasm shipped with this package');
  }
  return exports as WasmExports;
}

/** The host side of one instance: the functions it imports, and its memory once known. */
class HostEnv {
  private memory: WebAssembly.Memory | undefined;

  imports(module: WebAssembly.Module): WebAssembly.Imports {
    const env: WebAssembly.ModuleImports = {
      // AssemblyScript: abort(message: string | null, fileName: string | null, line: u32, column: u32)
      abort: (msgPtr: number, filePtr: number, line: number, col: number): never => {
        const msg = this.string(msgPtr) ?? 'abort';
        const file = this.string(filePtr) ?? '<unknown>';
        throw new Error(`cotangent: wasm abort: ${msg} (${file}:${line >>> 0}:${col >>> 0})`);
      },
      // AssemblyScript seeds Math.random from this.
      seed: (): number => Date.now(),
      // Debugging aids AssemblyScript code may call: trace(), console.*, Date.now().
      trace: (msgPtr: number, n: number, ...args: number[]): void => {
        const values = args.slice(0, Math.max(0, n | 0));
        console.log(`trace: ${this.string(msgPtr) ?? ''}${values.length ? ' ' + values.join(', ') : ''}`);
      },
      'console.log': (ptr: number) => console.log(this.string(ptr)),
      'console.info': (ptr: number) => console.info(this.string(ptr)),
      'console.warn': (ptr: number) => console.warn(this.string(ptr)),
      'console.error': (ptr: number) => console.error(this.string(ptr)),
      'console.debug': (ptr: number) => console.debug(this.string(ptr)),
      'Date.now': (): number => Date.now(),
      // A transform walking a custom rule's row calls the host's rule (core/custom_calls.ts).
      custom_rule: (kind: number, r: number): void => customRuleImport(kind, r),
    };
    const imports: WebAssembly.Imports = { env };
    // Any other function import gets a stub that fails readably instead of a LinkError.
    for (const imp of WebAssembly.Module.imports(module)) {
      if (imp.kind !== 'function') continue;
      const ns = (imports[imp.module] ??= {});
      if (!Object.hasOwn(ns, imp.name)) {
        const what = `${imp.module}.${imp.name}`;
        ns[imp.name] = () => {
          throw new Error(`cotangent: the wasm module called the import ${what}, which the loader does not provide`);
        };
      }
    }
    return imports;
  }

  bind(instance: WebAssembly.Instance): WasmExports {
    const exports = checkExports(instance);
    this.memory = exports.memory;
    return exports;
  }

  /** Decodes an AssemblyScript string: UTF-16LE, byte length in the u32 just before ptr. */
  private string(ptr: number): string | null {
    ptr >>>= 0;
    if (ptr === 0) return null;
    const memory = this.memory;
    if (!memory) return `<string at ${ptr}: memory not available yet>`;
    const buffer = memory.buffer;
    if (ptr < 4 || ptr > buffer.byteLength) return `<bad string pointer ${ptr}>`;
    const byteLength = new DataView(buffer).getUint32(ptr - 4, true);
    if (ptr + byteLength > buffer.byteLength) return `<bad string at ${ptr}, length ${byteLength}>`;
    const view = new DataView(buffer, ptr, byteLength & ~1);
    const units = byteLength >>> 1;
    let out = '';
    const CHUNK = 1024;
    for (let i = 0; i < units; i += CHUNK) {
      const end = Math.min(units, i + CHUNK);
      const codes = new Array<number>(end - i);
      for (let j = i; j < end; j++) codes[j - i] = view.getUint16(j * 2, true);
      out += String.fromCharCode(...codes);
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Type tests (tag-based as well as instanceof, so objects from another realm still work)

function tag(x: unknown): string {
  return Object.prototype.toString.call(x);
}

function isModule(x: unknown): x is WebAssembly.Module {
  return x instanceof WebAssembly.Module || tag(x) === '[object WebAssembly.Module]';
}

function isInstance(x: unknown): x is WebAssembly.Instance {
  return x instanceof WebAssembly.Instance || tag(x) === '[object WebAssembly.Instance]';
}

function isBufferSource(x: unknown): x is ArrayBuffer | ArrayBufferView {
  return x instanceof ArrayBuffer || ArrayBuffer.isView(x) || tag(x) === '[object ArrayBuffer]';
}

function isResponse(x: unknown): x is Response {
  if (typeof Response === 'function' && x instanceof Response) return true;
  const r = x as Partial<Response> | null;
  return typeof r === 'object' && r !== null && typeof r.arrayBuffer === 'function' && typeof r.headers?.get === 'function' && typeof r.ok === 'boolean';
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return (typeof x === 'object' || typeof x === 'function') && x !== null && typeof (x as PromiseLike<unknown>).then === 'function';
}

/** A Uint8Array over an ArrayBuffer (copied if the bytes live in a SharedArrayBuffer). */
function toBytes(source: ArrayBuffer | ArrayBufferView): Uint8Array<ArrayBuffer> {
  const buffer = ArrayBuffer.isView(source) ? source.buffer : source;
  const offset = ArrayBuffer.isView(source) ? source.byteOffset : 0;
  const length = ArrayBuffer.isView(source) ? source.byteLength : source.byteLength;
  if (buffer instanceof ArrayBuffer || tag(buffer) === '[object ArrayBuffer]') {
    return new Uint8Array(buffer as ArrayBuffer, offset, length);
  }
  const copy = new Uint8Array(length);
  copy.set(new Uint8Array(buffer, offset, length));
  return copy;
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x !== 'object' && typeof x !== 'function') return `a ${typeof x}`;
  return tag(x);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
