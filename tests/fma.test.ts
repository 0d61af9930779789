// The two wasm builds: dist/cotangent-fma.wasm (relaxed SIMD: fused multiply-add in the matrix
// products) and dist/cotangent.wasm (plain SIMD). Node 20 compiles relaxed SIMD only with
// --experimental-wasm-relaxed-simd, so each build runs in a child Node (tests/helpers/fma_child.ts)
// started with or without that flag, importing the default entry, which picks the build itself.
// Checked: which build each setting loads; products of every kernel path against float64
// references computed here; the MLP gradient of one build against the other's; and, on products
// built so that a * b + c rounds differently fused, that the FMA build really fuses on every
// path (a build that silently multiplies then adds fails) and the plain one does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { run, ROOT } from './runtimes/hosts.ts';
import { PRODUCTS, FUSED, LINALG_N, productInputs, fusedConstants, linalgInputs, type ProductCase } from './helpers/fma_cases.ts';

const FLAG = '--experimental-wasm-relaxed-simd';
/** V8's negation of the flag: the plain build on any Node, also one that compiles relaxed SIMD by default. */
const NO_FLAG = '--no-experimental-wasm-relaxed-simd';
const LIMIT = 120_000;

interface ChildResult {
  build: string; probe: boolean; validatesFma: boolean; validatesPlain: boolean;
  products: number[][]; fused: number[][];
}
type Grads = { [K in `mlpGrad${'' | 'Jit'}_${'float32' | 'float64'}`]: Record<string, number[]> }
  & { [K in `${'cholesky' | 'solve'}_${'float32' | 'float64'}`]: number[] };

/** Runs tests/helpers/fma_child.ts in a child Node with `flags` and COTANGENT_WASM = `build` (unset if undefined). */
async function child(flags: string[], build?: string, entry = 'cotangent', mode = 'all'): Promise<ChildResult & Grads> {
  const env = { ...process.env };
  delete env.COTANGENT_WASM;
  if (build !== undefined) env.COTANGENT_WASM = build;
  const args = [...flags, '--import', 'tsx', join(ROOT, 'tests', 'helpers', 'fma_child.ts'), entry, mode];
  const r = await run(process.execPath, args, { env, timeoutMs: 90_000 });
  assert.equal(r.status, 0, `node ${args.join(' ')} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

// Each child once, started by the first test that needs it.
const once = <T>(f: () => Promise<T>) => { let p: Promise<T> | undefined; return () => (p ??= f()); };
const fma = once(() => child([FLAG]));
const plain = once(() => child([NO_FLAG]));

test('with the flag the default entry loads the FMA build; without it (Node 20), or with its negation, the plain build', { timeout: LIMIT }, async () => {
  const [f, p] = [await fma(), await plain()];
  assert.equal(f.build, 'relaxed-simd');
  assert.equal(p.build, 'simd');
  // The loader's probe says what whole modules say: the FMA build validates exactly where relaxed SIMD compiles.
  assert.deepEqual([f.probe, f.validatesFma, f.validatesPlain], [true, true, true]);
  assert.deepEqual([p.probe, p.validatesFma, p.validatesPlain], [false, false, true]);
  const bare = await child([], undefined, 'cotangent', 'build');
  assert.equal(bare.probe, bare.validatesFma, 'the probe agrees with the FMA module');
  assert.equal(bare.build, bare.probe ? 'relaxed-simd' : 'simd');
  // Node 20 (this project's CI) compiles relaxed SIMD only with the flag.
  if (process.versions.node.startsWith('20.')) assert.equal(bare.build, 'simd');
});

test('COTANGENT_WASM=simd forces the plain build where relaxed SIMD compiles; =relaxed-simd asks for the FMA one', { timeout: LIMIT }, async () => {
  assert.equal((await child([FLAG], 'simd', 'cotangent', 'build')).build, 'simd');
  assert.equal((await child([FLAG], 'relaxed-simd', 'cotangent', 'build')).build, 'relaxed-simd');
  assert.equal((await child([FLAG], 'auto', 'cotangent', 'build')).build, 'relaxed-simd');
});

test('the FMA build falls back to the plain one when cotangent-fma.wasm is not next to the bundle', { timeout: LIMIT }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cotangent-fma-'));
  try {
    const dist = join(dir, 'pkg', 'dist'); // no ../dist/cotangent-fma.wasm beside it either
    mkdirSync(dist, { recursive: true });
    for (const f of ['index.js', 'manual.js', 'cotangent.wasm']) cpSync(join(ROOT, 'dist', f), join(dist, f));
    writeFileSync(join(dir, 'pkg', 'package.json'), JSON.stringify({ type: 'module' }));
    const entry = pathToFileURL(join(dist, 'index.js')).href;
    assert.equal((await child([FLAG], undefined, entry, 'build')).build, 'simd');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------------
// Products against float64 references

/** Dekker's exact product: a * b = p + e. */
function twoProduct(a: number, b: number): [number, number] {
  const split = (x: number) => { const c = 134217729 * x; const hi = c - (c - x); return [hi, x - hi]; };
  const p = a * b;
  const [ah, al] = split(a), [bh, bl] = split(b);
  return [p, ((ah * bh - p) + ah * bl + al * bh) + al * bl];
}

/** sum(a[i] * b[i]) to about float64 precision (compensated: Ogita, Rump and Oishi's Dot2), and sum |a[i] * b[i]|. */
function dot2(a: number[], b: number[]): { ref: number; abs: number } {
  let s = 0, comp = 0, abs = 0;
  for (let i = 0; i < a.length; i++) {
    const [p, pe] = twoProduct(a[i], b[i]);
    const t = s + p, bv = t - s;
    comp += (s - (t - bv)) + (p - bv) + pe;
    s = t;
    abs += Math.abs(p);
  }
  return { ref: s + comp, abs };
}

/**
 * The worst error over the case in units of the classic bound (k + 2) u sum|a b| (which every
 * summation order of k products meets), and the root mean square of |error| / sum|a b| in units
 * of u: a correct kernel has rounding errors around u/2 whatever k (k roundings, each relative to
 * a partial sum that is much smaller than sum|a b| on random signs); a wrong or dropped term
 * costs about 1/k.
 */
function productErrors(c: ProductCase, got: number[], seed: number): { worst: number; rms: number } {
  const { a, b } = productInputs(c, seed);
  const u = c.dtype === 'float32' ? 2 ** -24 : 2 ** -53;
  let worst = 0, ss = 0, count = 0;
  for (let t = 0; t < c.batch; t++) for (let i = 0; i < c.m; i++) for (let j = 0; j < c.n; j++) {
    const row: number[] = [], col: number[] = [];
    for (let p = 0; p < c.k; p++) {
      row.push(c.tn ? a[p * c.m + i] : a[(t * c.m + i) * c.k + p]);
      col.push(c.nt ? b[(t * c.n + j) * c.k + p] : b[(t * c.k + p) * c.n + j]);
    }
    const { ref, abs } = dot2(row, col);
    const e = Math.abs(got[(t * c.m + i) * c.n + j] - ref) / (abs || 1) / u;
    worst = Math.max(worst, Number.isNaN(e) ? Infinity : e / (c.k + 2));
    ss += e * e;
    count++;
  }
  return { worst, rms: Math.sqrt(ss / count) };
}

for (const [name, result] of [['the FMA build', fma], ['the plain build', plain]] as const) {
  test(`${name}: matmul and dot_general (NT) f32 and f64 at every kernel path agree with float64 references`, { timeout: LIMIT }, async () => {
    const r = await result();
    assert.equal(r.products.length, PRODUCTS.length);
    PRODUCTS.forEach((c, i) => {
      const where = `${c.dtype} ${c.batch}x[${c.m}x${c.k}]@[${c.k}x${c.n}]${c.nt ? ' (NT)' : c.tn ? ' (TN)' : ''}: ${c.what}`;
      assert.equal(r.products[i].length, c.batch * c.m * c.n, `${where}: element count`);
      const { worst, rms } = productErrors(c, r.products[i], 1000 + i);
      assert.ok(worst <= 1, `${where}: an error of ${worst.toFixed(3)} times (k + 2) u sum|a b|`);
      assert.ok(rms <= 1.5, `${where}: rms error ${rms.toFixed(3)} u (relative to sum|a b|)`);
    });
  });
}

test('where fusing a * b + c changes the rounding, the FMA build gives the exact (fused) answer on every kernel path and the plain build the unfused 0', { timeout: LIMIT }, async () => {
  const [f, p] = [await fma(), await plain()];
  FUSED.forEach((c, i) => {
    const where = `${c.dtype} [${c.m}x${c.k}]@[${c.k}x${c.n}]${c.nt ? ' (NT)' : ''}: ${c.what}`;
    // The reference: 1 * c + h * h with an exact product (Dekker's), so also exact for float64.
    const { h, c: cc, exact } = fusedConstants(c.dtype);
    assert.equal(dot2([1, h], [cc, h]).ref, exact, 'the reference');
    assert.deepEqual(f.fused[i], [exact], `${where}: FMA build`);
    assert.deepEqual(p.fused[i], [0], `${where}: plain build`);
  });
});

// Backward-error checks, computed here in float64: |L L^T - a| and |a x - b| relative to |a| |L|^2
// or |a| |x| + |b| per entry, within n u (u of the dtype) times a small constant.
for (const [name, result] of [['the FMA build', fma], ['the plain build', plain]] as const) {
  test(`${name}: Cholesky and solve (LU) of n = ${LINALG_N}, whose trailing updates run the packed micro-kernel, have small backward errors`, { timeout: LIMIT }, async () => {
    const r = await result();
    const n = LINALG_N;
    for (const dtype of ['float32', 'float64'] as const) {
      const u = dtype === 'float32' ? 2 ** -24 : 2 ** -53;
      const { a, b } = linalgInputs(dtype);
      const L = r[`cholesky_${dtype}`], x = r[`solve_${dtype}`];
      let worstChol = 0, worstSolve = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        let s = 0, sa = 0;
        for (let p = 0; p < n; p++) { s += L[i * n + p] * L[j * n + p]; sa += Math.abs(L[i * n + p] * L[j * n + p]); }
        worstChol = Math.max(worstChol, Math.abs(s - a[i * n + j]) / sa);
      }
      for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) {
        let s = 0, sa = 0;
        for (let p = 0; p < n; p++) { s += a[i * n + p] * x[p * 3 + c]; sa += Math.abs(a[i * n + p] * x[p * 3 + c]); }
        worstSolve = Math.max(worstSolve, Math.abs(s - b[i * 3 + c]) / (sa + Math.abs(b[i * 3 + c])));
      }
      assert.ok(worstChol <= 2 * n * u, `${dtype} cholesky: |L L^T - a| / |L| |L|^T = ${(worstChol / u).toFixed(1)} u`);
      assert.ok(worstSolve <= 2 * n * u, `${dtype} solve: |a x - b| / (|a| |x| + |b|) = ${(worstSolve / u).toFixed(1)} u`);
    }
  });
}

// The builds differ by the roundings of the products: about u * sqrt(k) relative, far inside
// 1e-5 for float32 (u = 6e-8) and 1e-12 for float64.
for (const [dtype, tol] of [['float32', 1e-5], ['float64', 1e-12]] as const) {
  test(`the ${dtype} gradient of an MLP loss (eager and jit) agrees between the builds to ${tol}, relative to each parameter's largest entry`, { timeout: LIMIT }, async () => {
    const [f, p] = [await fma(), await plain()];
    let differ = 0;
    for (const kind of [`mlpGrad_${dtype}`, `mlpGradJit_${dtype}`] as const) {
      for (const name of ['W1', 'b1', 'W2', 'b2']) {
        const a = f[kind][name], b = p[kind][name];
        assert.equal(a.length, b.length);
        const scale = Math.max(...b.map(Math.abs));
        assert.ok(scale > 1e-3, `${kind}.${name} is not all zeros`);
        const diff = Math.max(...a.map((v, i) => Math.abs(v - b[i])));
        assert.ok(diff <= tol * scale, `${kind}.${name}: max |fma - plain| = ${diff} for a largest entry ${scale}`);
        differ += a.filter((v, i) => v !== b[i]).length;
      }
    }
    assert.ok(differ > 0, 'the two builds gave identical bits: the comparison compared nothing');
    // Within one build jit replays eager's kernels: the same bits.
    for (const r of [f, p]) for (const name of ['W1', 'b1', 'W2', 'b2']) {
      assert.deepEqual(r[`mlpGradJit_${dtype}`][name], r[`mlpGrad_${dtype}`][name], `${r.build}: jit(grad) equals grad, ${name}`);
    }
  });
}
