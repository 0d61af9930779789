// Kernel-only throughput of the matrix products of two builds (bench/dot_entry.ts compiled from
// each tree, or once plain and once with relaxed SIMD):
// `node --experimental-wasm-relaxed-simd --import tsx bench/ab_dot.ts A.wasm B.wasm [dtype:m:k:n,...]`.
// Operands already in wasm memory (no copies in or out), A B A B ..., timed in this process's
// CPU time (process.cpuUsage), fastest of `rounds` per build. Prints GFLOP/s.
import { readFileSync } from 'node:fs';

type K = { memory: WebAssembly.Memory; alloc(n: number): number; [k: string]: any };
const load = (p: string) => new WebAssembly.Instance(new WebAssembly.Module(readFileSync(p)), { env: { abort() { throw new Error('abort'); } } }).exports as unknown as K;

function make(k: K, spec: string): { run: () => void; flop: number } {
  // 'tnf32' times dot_tn_f32: A stored k x m (the lhs of x^T y, as a transpose rule's product);
  // 'ntf32' dot_nt_f32: B stored n x k (x W^T, the other product a transpose rule makes).
  const [kind, ...dims] = spec.split(':');
  const tn = kind.startsWith('tn'), nt = kind.startsWith('nt'), dt = tn || nt ? kind.slice(2) : kind;
  const [m, kk, n] = dims.map(Number), w = dt === 'f32' ? 4 : 8;
  const a = k.alloc(m * kk * w), b = k.alloc(kk * n * w), out = k.alloc(m * n * w);
  const view = (p: number, len: number) => (dt === 'f32' ? new Float32Array(k.memory.buffer, p, len) : new Float64Array(k.memory.buffer, p, len));
  view(a, m * kk).forEach((_, i, A) => (A[i] = ((i * 2654435761) % 1000003) / 1000003 - 0.5));
  view(b, kk * n).forEach((_, i, B) => (B[i] = ((i * 40503) % 65537) / 65537 - 0.5));
  const f = tn ? k.dot_tn_f32 : nt ? k.dot_nt_f32 : dt === 'f32' ? k.dot_f32 : k.dot_f64;
  return { run: () => f(a, b, out, 1, m, kk, n), flop: 2 * m * kk * n };
}

const [pathA, pathB, only, roundsArg] = process.argv.slice(2);
if (!pathA || !pathB) throw new Error('usage: node --experimental-wasm-relaxed-simd --import tsx bench/ab_dot.ts A.wasm B.wasm [dtype:m:k:n,...] [rounds]');
const [KA, KB] = [load(pathA), load(pathB)];
const rounds = Number(roundsArg ?? 15);
const cpuMs = (f: () => void): number => { const c = process.cpuUsage(); f(); const d = process.cpuUsage(c); return (d.user + d.system) / 1000; };
console.log(`kernel only, fastest of ${rounds} interleaved runs (CPU time): A -> B (ratio)`);
for (const spec of (only ?? 'f32:1024:1024:1024,f64:512:512:512,f32:128:784:256').split(',')) {
  const A = make(KA, spec), B = make(KB, spec);
  A.run(); B.run(); // warm-up: scratch allocation, tier-up
  let ta = Infinity, tb = Infinity;
  for (let r = 0; r < rounds; r++) { ta = Math.min(ta, cpuMs(A.run)); tb = Math.min(tb, cpuMs(B.run)); }
  const rate = (ms: number) => `${(A.flop / (ms / 1000) / 1e9).toFixed(1).padStart(6)} GFLOP/s`;
  console.log(`${spec.padEnd(20)} ${rate(ta)} -> ${rate(tb)}  (${(ta / tb).toFixed(2)}x)`);
}
