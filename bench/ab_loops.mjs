// Jitted loops of two cotangent builds, A B A B ...: `node bench/ab_loops.mjs A.wasm B.wasm [rounds]`
// (build one with `npm run asbuild:release` on each tree and copy dist/cotangent.wasm aside). Each
// build runs in a child process of its own (one wasm instance per process), in turn; prints each
// case's median replay per build. The cases: 10,000 steps of a 1-element scan and while body (the
// per-step cost of running a body: the fixed plan, assembly/ad/rules/control.ts), jit(grad) of a
// 10,000-step scan of a 4-float tanh body (two fused rows a step), 1,000 steps of a 16x64x64
// product, and a 10,000-step foriLoop with static bounds (a scan row under jit).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

if (process.env.AB_LOOPS_CHILD) {
  const ct = await import(new URL('../dist/manual.js', import.meta.url).href);
  const { readFileSync } = await import('node:fs');
  ct.initSync(readFileSync(process.env.AB_LOOPS_CHILD));
  const { np, lax, jit, grad } = ct;
  const median = (f, reps = 15) => { f(); const ts = []; for (let i = 0; i < reps; i++) { const t = performance.now(); f(); ts.push(performance.now() - t); } ts.sort((a, b) => a - b); return ts[reps >> 1]; };
  const n = 10000, xs = np.linspace(0, 1, n);
  const scan = jit((c, xs) => lax.scan((c, x) => [np.add(np.multiply(c, 0.999), x), np.sin(c)], c, xs));
  const wl = jit((c) => lax.whileLoop(([i]) => np.less(i, n), ([i, c]) => [np.add(i, 1), np.cos(c)], [np.array(0, { dtype: 'int32' }), c]));
  const gs = jit(grad((c, xs) => np.sum(lax.scan((c, x) => { const h = np.tanh(np.add(np.multiply(c, 0.9), x)); return [h, h]; }, c, xs)[1])));
  const W = np.array(Array.from({ length: 64 * 64 }, (_, i) => Math.sin(i) * 0.1), { shape: [64, 64] });
  const mm = jit((h, xs) => lax.scan((h, x) => { const y = np.tanh(np.add(np.matmul(h, W), x)); return [y, np.sum(y)]; }, h, xs));
  const fori = jit((c) => lax.foriLoop(0, n, (i, c) => np.add(np.multiply(c, 0.999), np.sin(np.astype(i, 'float32'))), c));
  const out = {
    'scan 10k, 1-element body': median(() => scan(np.array(0.5), xs)[0].item()),
    'while 10k, 1-element body': median(() => wl(np.array(0.5))[1].item()),
    'jit(grad) scan 10k, [4] tanh body': median(() => gs(np.ones([4]), np.ones([n, 4])).dataSync()),
    'scan 1k, 16x64x64 product body': median(() => mm(np.ones([16, 64]), np.ones([1000, 16, 64]))[1].dataSync()),
    'foriLoop 10k static bounds': median(() => fori(np.array(0.5)).item()),
  };
  console.log(JSON.stringify(out));
} else {
  const [a, b, rounds = '3'] = process.argv.slice(2);
  if (!a || !b) throw new Error('usage: node bench/ab_loops.mjs A.wasm B.wasm [rounds]');
  const runs = { [a]: [], [b]: [] };
  for (let r = 0; r < Number(rounds); r++) {
    for (const w of [a, b]) {
      runs[w].push(JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url)], { env: { ...process.env, AB_LOOPS_CHILD: w }, encoding: 'utf8' })));
    }
  }
  for (const k of Object.keys(runs[a][0])) {
    const med = (w) => runs[w].map((o) => o[k]).sort((x, y) => x - y)[runs[w].length >> 1];
    console.log(`${k.padEnd(36)} ${med(a).toFixed(2).padStart(8)} ms   ${med(b).toFixed(2).padStart(8)} ms   (${(med(a) / med(b)).toFixed(2)}x)`);
  }
}
