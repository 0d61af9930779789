// float64 elementwise throughput of two builds side by side: `node --import tsx
// bench/ab_elementwise.ts OLD_DIST NEW_DIST [names,...]`. Each function runs on 1M float64
// elements end to end through np (kernel + read back), A B A B ..., timed in this process's CPU
// time (process.cpuUsage: other processes on a loaded machine do not count), and each build keeps
// its fastest run, so a slow moment of the shared machine favours neither. Prints elements/s.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

type Api = typeof import('cotangent');
const N = 1 << 20;
const RANGES: Record<string, [number, number]> = {
  log: [0.1, 4], log1p: [-0.5, 4], log2: [0.1, 4], log10: [0.1, 4], arcsin: [-0.9, 0.9], arccos: [-0.9, 0.9],
  arctanh: [-0.9, 0.9], arccosh: [1.1, 4], erfinv: [-0.9, 0.9], lgamma: [0.1, 4], digamma: [0.1, 4],
};
const ALL = ['exp', 'log', 'tanh', 'sin', 'cos', 'log1p', 'expm1', 'sigmoid', 'erf', 'erfc', 'exp2', 'log2', 'log10', 'tan',
  'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'arcsinh', 'arccosh', 'arctanh', 'cbrt', 'softplus', 'power', 'arctan2'];

const load = (dir: string) => import(pathToFileURL(resolve(dir, 'index.js')).href) as Promise<Api>;

function make(api: Api, name: string): () => unknown {
  const { np } = api;
  const [lo, hi] = RANGES[name] ?? [-2, 2];
  const a = new Float64Array(N), b = new Float64Array(N);
  for (let i = 0; i < N; i++) { a[i] = lo + (hi - lo) * ((i * 2654435761) % 1000003) / 1000003; b[i] = 0.5 + 2 * ((i * 40503) % 65537) / 65537; }
  const x = np.array(a), y = np.array(b);
  if (name === 'power') return () => np.power(y, x).dataSync();
  if (name === 'arctan2') return () => np.arctan2(x, y).dataSync();
  return () => (np as any)[name](x).dataSync();
}

const [oldDir, newDir, only] = process.argv.slice(2);
if (!oldDir || !newDir) throw new Error('usage: node --import tsx bench/ab_elementwise.ts OLD_DIST NEW_DIST [names]');
const [A, B] = [await load(oldDir), await load(newDir)];
const cpuMs = (f: () => unknown): number => { const c = process.cpuUsage(); f(); const d = process.cpuUsage(c); return (d.user + d.system) / 1000; };
const rate = (ms: number) => `${(N / (ms / 1000) / 1e6).toFixed(1).padStart(7)} M/s`;
console.log(`float64, ${N} elements, fastest of interleaved runs: old -> new (ratio)`);
for (const name of only ? only.split(',') : ALL) {
  const fa = make(A, name), fb = make(B, name);
  let ta = Infinity, tb = Infinity;
  for (let k = 0; k < 25; k++) {
    ta = Math.min(ta, cpuMs(fa));
    tb = Math.min(tb, cpuMs(fb));
  }
  console.log(`${name.padEnd(10)} ${rate(ta)} -> ${rate(tb)}  (${(ta / tb).toFixed(2)}x)`);
}
