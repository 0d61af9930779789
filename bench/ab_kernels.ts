// Kernel-only throughput of two builds of the elementwise kernels and argsort (bench/kernels_entry.ts compiled
// from each tree): `node --import tsx bench/ab_kernels.ts OLD.wasm NEW.wasm [name:dtype,...]`.
// Each kernel runs on 1M elements already in wasm memory (no copies in or out), A B A B ..., timed
// in this process's CPU time (process.cpuUsage), fastest of 15 per build. Prints elements/s.
import { readFileSync } from 'node:fs';

const N = 1 << 20;
const F: Record<string, number> = { log2: 3, cbrt: 5, arcsin: 7, arccos: 8, arctan: 9, cosh: 11, arcsinh: 12, arccosh: 13,
  arctanh: 14, erf: 15, erfc: 16, erfinv: 17, lgamma: 18, digamma: 19 };
const RANGE: Record<string, [number, number]> = { log2: [0.1, 4], arcsin: [-0.9, 0.9], arccos: [-0.9, 0.9], arctanh: [-0.9, 0.9],
  arccosh: [1.1, 4], erfinv: [-0.9, 0.9], lgamma: [0.1, 4], digamma: [0.1, 4], polygamma1: [0.1, 4], polygamma2: [0.1, 4], polygamma3: [0.1, 4], polygamma5: [0.1, 4],
  fmod: [-8, 8] };
const ALL = ['log2', 'cosh', 'arcsinh', 'arccosh', 'arctanh', 'arctan2', 'hypot'].map((n) => `${n}:f64`)
  .concat(['cbrt', 'arcsin', 'arccos', 'arctan', 'erf', 'erfc', 'arctan2', 'hypot'].map((n) => `${n}:f32`));

type K = { memory: WebAssembly.Memory; alloc(n: number): number; [k: string]: any };
const load = (p: string) => new WebAssembly.Instance(new WebAssembly.Module(readFileSync(p)), { env: { abort() { throw new Error('abort'); } } }).exports as unknown as K;

function make(k: K, spec: string): () => void {
  const [name, dt] = spec.split(':'), w = dt === 'f32' ? 4 : 8;
  const a = k.alloc(N * w), b = k.alloc(N * w), out = k.alloc(N * w);
  const A = dt === 'f32' ? new Float32Array(k.memory.buffer, a, N) : new Float64Array(k.memory.buffer, a, N);
  const B = dt === 'f32' ? new Float32Array(k.memory.buffer, b, N) : new Float64Array(k.memory.buffer, b, N);
  const [lo, hi] = RANGE[name] ?? [-2, 2];
  for (let i = 0; i < N; i++) { A[i] = lo + (hi - lo) * ((i * 2654435761) % 1000003) / 1000003; B[i] = 0.5 + 2 * ((i * 40503) % 65537) / 65537; }
  if (name === 'arctan2' || name === 'hypot' || name === 'fmod') {
    const f = k[`${name === 'arctan2' ? 'atan2' : name === 'fmod' ? 'rem' : 'hypot'}_${dt}`];
    return () => f(a, b, out, N);
  }
  if (name === 'argsort' || name === 'argsort_desc') { // random keys; the permutation is int32: out has room
    let s = 1;
    for (let i = 0; i < N; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; A[i] = (s / 2 ** 32 - 0.5) * 2000; }
    const f = k[`argsort_${dt}`], desc = name === 'argsort_desc';
    return () => f(a, out, 1, N, 1, desc);
  }
  const poly = /^polygamma(\d+)$/.exec(name);
  if (poly) { const f = k[`polygamma_${dt}`], order = Number(poly[1]); return () => f(order, a, out, N); }
  const f = dt === 'f32' ? k.map_f32 : k.map_f64;
  return () => f(F[name], a, out, N);
}

const [oldPath, newPath, only] = process.argv.slice(2);
if (!oldPath || !newPath) throw new Error('usage: node --import tsx bench/ab_kernels.ts OLD.wasm NEW.wasm [name:dtype,...]');
const [KA, KB] = [load(oldPath), load(newPath)];
const cpuMs = (f: () => void): number => { const c = process.cpuUsage(); f(); const d = process.cpuUsage(c); return (d.user + d.system) / 1000; };
const rate = (ms: number) => `${(N / (ms / 1000) / 1e6).toFixed(1).padStart(7)} M/s`;
console.log(`kernel only, ${N} elements, fastest of 15 interleaved runs (CPU time): old -> new (ratio)`);
for (const spec of only ? only.split(',') : ALL) {
  const fa = make(KA, spec), fb = make(KB, spec);
  let ta = Infinity, tb = Infinity;
  for (let r = 0; r < 15; r++) { ta = Math.min(ta, cpuMs(fa)); tb = Math.min(tb, cpuMs(fb)); }
  console.log(`${spec.padEnd(12)} ${rate(ta)} -> ${rate(tb)}  (${(ta / tb).toFixed(2)}x)`);
}
