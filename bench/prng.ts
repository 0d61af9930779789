// PRNG throughput, the section of `npm run bench` (alone: `npm run bench -- --only prng`):
// samples per second of random.uniform, random.normal (float32) and random.bits on 2^20 samples,
// end to end (the key in, the samples read back). The numbers are first checked against JAX's
// printed ones, so a fast wrong generator cannot be timed.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { ROOT } from '../tests/runtimes/hosts.js';

const N = 1 << 20;

export async function prng(budgetMs = 600): Promise<void> {
  const { random } = await import(pathToFileURL(join(ROOT, 'dist', 'index.js')).href);
  const got = Array.from(random.normal(random.PRNGKey(0), [6]).dataSync() as Float32Array);
  const want = [0.18784384, -1.2833426, 0.6494181, 1.2490593, 0.24447003, -0.11744965].map(Math.fround);
  if (got.some((x, i) => x !== want[i])) throw new Error(`prng bench: normal(PRNGKey(0), 6) is ${got}, JAX's is ${want}`);
  const key = random.key(1);
  const cases: [string, () => unknown][] = [
    ['random.bits, uint32', () => random.bits(key, [N]).dataSync()],
    ['random.uniform, float32', () => random.uniform(key, [N]).dataSync()],
    ['random.normal, float32', () => random.normal(key, [N]).dataSync()],
    ['random.uniform, float64', () => random.uniform(key, [N], { dtype: 'float64' }).dataSync()],
  ];
  console.log(`\nPRNG (threefry2x32, JAX's bits and samples; 2^20 samples a call, median of ~${budgetMs} ms)`);
  console.log('| draw | per call | samples/s |\n|---|---|---|');
  for (const [name, f] of cases) {
    f();
    const times: number[] = [];
    const until = performance.now() + budgetMs;
    while (performance.now() < until || times.length < 3) {
      const t = performance.now();
      f();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const med = times[times.length >> 1];
    console.log(`| ${name} | ${med.toFixed(2)} ms | ${(N / med / 1e3).toFixed(0)} M |`);
  }
}
