// Two builds of cotangent side by side in one process: `node --import tsx bench/ab.ts OLD NEW`
// (each a folder holding index.js and cotangent.wasm, e.g. a copy of an older dist/ and dist/).
// The eager workloads run interleaved, A B A B ..., and each build's fastest time per workload is
// kept, so a slow moment of a shared machine cannot favour either; the median of all calls is
// printed too (it carries the GC's share). Prints the ratios new / old.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

type Api = typeof import('cotangent');
type Case = { name: string; make: (api: Api) => () => unknown };

const rnd = (n: number, seed: number) => {
  let a = seed >>> 0;
  return Float32Array.from({ length: n }, () => { a = (a * 1664525 + 1013904223) >>> 0; return a / 2 ** 32 - 0.5; });
};

const CASES: Case[] = [
  { name: 'small op (add of two [3])', make: ({ np }) => { const a = np.array([1, 2, 3]); return () => np.add(a, a); } },
  { name: 'grad, logistic regression (cookbook)', make: ({ np, grad }) => {
    const X = np.array(rnd(12, 1), { shape: [4, 3] }), t = np.array([1, 1, 0, 1]);
    const loss = (W: any, b: any) => {
      const p = np.multiply(0.5, np.add(np.tanh(np.divide(np.add(np.dot(X, W), b), 2)), 1));
      return np.negative(np.sum(np.log(np.add(np.multiply(p, t), np.multiply(np.subtract(1, p), np.subtract(1, t))))));
    };
    const g = grad(loss, { argnums: [0, 1] });
    const W = np.array([0.1, -0.2, 0.3]), b = np.array(0.1);
    return () => g(W, b);
  } },
  { name: 'grad(grad(grad(tanh)))(2)', make: ({ np, grad }) => { const g = grad(grad(grad(np.tanh))); return () => g(2.0); } },
  { name: 'vjp + pullback, tanh(x W) [8,64]x[64,64]', make: ({ np, vjp }) => {
    const x = np.array(rnd(512, 2), { shape: [8, 64] }), W = np.array(rnd(4096, 3), { shape: [64, 64] });
    return () => { const [y, pull] = vjp((w: any) => np.tanh(np.matmul(x, w)), W); return pull(np.onesLike(y)); };
  } },
  { name: 'grad, MLP 784-256-10 batch 128', make: ({ np, grad }) => {
    const x = np.array(rnd(128 * 784, 4), { shape: [128, 784] }), y = np.array(rnd(1280, 5), { shape: [128, 10] });
    const p = { W1: np.array(rnd(784 * 256, 6), { shape: [784, 256] }), b1: np.zeros([256]),
      W2: np.array(rnd(2560, 7), { shape: [256, 10] }), b2: np.zeros([10]) };
    const loss = (q: any) => np.mean(np.square(np.subtract(np.add(np.matmul(np.tanh(np.add(np.matmul(x, q.W1), q.b1)), q.W2), q.b2), y)));
    const g = grad(loss);
    return () => g(p);
  } },
  { name: 'jvp, tanh(x W) [64,256]x[256,256]', make: ({ np, jvp }) => {
    const x = np.array(rnd(64 * 256, 8), { shape: [64, 256] }), W = np.array(rnd(65536, 9), { shape: [256, 256] });
    return () => jvp((a: any, w: any) => np.tanh(np.matmul(a, w)), [x, W], [x, W]);
  } },
  { name: 'add f32 1M', make: ({ np }) => { const a = np.array(rnd(1 << 20, 10)); return () => np.add(a, a); } },
  { name: 'add f32 1M, built from typed arrays and read back', make: ({ np }) => {
    const x = rnd(1 << 20, 13), y = rnd(1 << 20, 14);
    return () => np.add(np.array(x), np.array(y)).dataSync();
  } },
  { name: 'chain exp, mul, sum f32 1M', make: ({ np }) => { const a = np.array(rnd(1 << 20, 15)); return () => np.sum(np.multiply(np.exp(a), a)); } },
  { name: 'sum over axis 0, f32 1024x1024', make: ({ np }) => { const a = np.array(rnd(1 << 20, 11), { shape: [1024, 1024] }); return () => np.sum(a, { axis: 0 }); } },
  // jit (fusion: one loop over L1 blocks for the elementwise chain).
  { name: 'jit: tanh(2x + y) * exp(y), f32 1M', make: ({ np, jit }) => {
    const x = np.array(rnd(1 << 20, 16)), y = np.array(rnd(1 << 20, 17));
    const f = jit((a: any, b: any) => np.multiply(np.tanh(np.add(np.multiply(a, 2), b)), np.exp(b)));
    return () => f(x, y);
  } },
  { name: 'jit: sum(tanh(2x + y) * exp(y)), f32 1M', make: ({ np, jit }) => {
    const x = np.array(rnd(1 << 20, 16)), y = np.array(rnd(1 << 20, 17));
    const f = jit((a: any, b: any) => np.sum(np.multiply(np.tanh(np.add(np.multiply(a, 2), b)), np.exp(b))));
    return () => f(x, y);
  } },
  { name: 'jit: sum((x - y)^2), f32 1M', make: ({ np, jit }) => {
    const x = np.array(rnd(1 << 20, 18)), y = np.array(rnd(1 << 20, 19));
    const f = jit((a: any, b: any) => np.sum(np.square(np.subtract(a, b))));
    return () => f(x, y);
  } },
  { name: 'jit: sum over axis 0 of x * y, f32 1024x1024', make: ({ np, jit }) => {
    const x = np.array(rnd(1 << 20, 20), { shape: [1024, 1024] }), y = np.array(rnd(1 << 20, 21), { shape: [1024, 1024] });
    const f = jit((a: any, b: any) => np.sum(np.multiply(a, b), { axis: 0 }));
    return () => f(x, y);
  } },
  { name: 'jit: tanh(2x + y) * exp(y), f32 3000', make: ({ np, jit }) => {
    const x = np.array(rnd(3000, 16)), y = np.array(rnd(3000, 17));
    const f = jit((a: any, b: any) => np.multiply(np.tanh(np.add(np.multiply(a, 2), b)), np.exp(b)));
    return () => f(x, y);
  } },
  { name: 'jit: grad sum(tanh(X)^2), f64 30x40', make: ({ np, jit, grad }) => {
    const X = np.array(Float64Array.from(rnd(1200, 18)), { shape: [30, 40] });
    const g = jit(grad((x: any) => np.sum(np.square(np.tanh(x)))));
    return () => g(X);
  } },
  { name: 'jit: MLP grad 784-256-10 batch 128', make: ({ np, grad, jit }) => {
    const x = np.array(rnd(128 * 784, 4), { shape: [128, 784] }), y = np.array(rnd(1280, 5), { shape: [128, 10] });
    const p = { W1: np.array(rnd(784 * 256, 6), { shape: [784, 256] }), b1: np.zeros([256]),
      W2: np.array(rnd(2560, 7), { shape: [256, 10] }), b2: np.zeros([10]) };
    const loss = (q: any) => np.mean(np.square(np.subtract(np.add(np.matmul(np.tanh(np.add(np.matmul(x, q.W1), q.b1)), q.W2), q.b2), y)));
    const g = jit(grad(loss));
    return () => g(p);
  } },
  { name: 'matmul f32 256', make: ({ np }) => { const a = np.array(rnd(65536, 12), { shape: [256, 256] }); return () => np.matmul(a, a); } },
  ...(['jacrev', 'jacfwd'] as const).flatMap((kind) => [false, true].map((jitted): Case => {
    // issue 9's workload b as bench/cotangent.ts runs it: arrays from typed arrays, the Jacobian read back
    const [din, dout] = kind === 'jacrev' ? [2048, 32] : [32, 2048];
    return { name: `${kind} tanh(W x + b) ${din} -> ${dout}${jitted ? ', jit' : ''}`, make: ({ np, jit, jacrev, jacfwd }) => {
      const W = rnd(din * dout, 16).map((v) => v / Math.sqrt(din)), b = rnd(dout, 17), x = rnd(din, 18);
      const predict = (w: any, c: any, z: any) => np.tanh(np.add(np.matmul(z, np.transpose(w)), c));
      const jac = (kind === 'jacrev' ? jacrev : jacfwd)(predict, { argnums: 2 });
      const f = jitted ? jit(jac) : jac;
      return () => f(np.array(W, { shape: [dout, din] }), np.array(b), np.array(x)).dataSync();
    } };
  })),
];

async function load(dir: string): Promise<Api> {
  return import(pathToFileURL(resolve(dir, 'index.js')).href) as Promise<Api>;
}

/** Calls fn for `ms` (at least 3 times), pushing each call's time onto `times`. */
function timeCalls(fn: () => unknown, ms: number, times: number[]): void {
  const until = performance.now() + ms;
  let n = 0;
  while (performance.now() < until || n < 3) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
    n++;
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function main(): Promise<void> {
  const [oldDir, newDir] = process.argv.slice(2);
  if (!oldDir || !newDir) throw new Error('usage: node --import tsx bench/ab.ts OLD_DIST NEW_DIST');
  const [A, B] = [await load(oldDir), await load(newDir)];
  const rounds = Number(process.env.AB_ROUNDS ?? 7);
  console.log(`A = ${oldDir}, B = ${newDir}; ${rounds} interleaved rounds; fastest call (median call)`);
  console.log('| workload | A (old) | B (new) | B / A fastest | B / A median |\n|---|---|---|---|---|');
  const only = process.env.AB_ONLY; // a substring of the case names to run
  for (const c of CASES.filter((k) => !only || k.name.includes(only))) {
    const fa = c.make(A), fb = c.make(B);
    const ta: number[] = [], tb: number[] = [];
    for (let r = 0; r < rounds; r++) {
      timeCalls(fa, 150, ta);
      timeCalls(fb, 150, tb);
    }
    const fmt = (t: number) => (t < 1 ? `${(t * 1000).toFixed(1)} us` : `${t.toFixed(2)} ms`);
    const least = (xs: number[]) => xs.reduce((m, x) => Math.min(m, x), Infinity);
    const [a0, b0, am, bm] = [least(ta), least(tb), median(ta), median(tb)];
    console.log(`| ${c.name} | ${fmt(a0)} (${fmt(am)}) | ${fmt(b0)} (${fmt(bm)}) | ${(b0 / a0).toFixed(3)} | ${(bm / am).toFixed(3)} |`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
