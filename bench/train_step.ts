// The jitted training step, the section of `npm run bench` (alone: `npm run bench -- --only
// train`): issue 10's MLP (784-256-10, tanh, softmax cross-entropy, batch 128), one jitted
// function from the parameters to the parameters after an SGD step, called 10,000 times with
// its own outputs fed back (they stay resident in wasm memory). Reports the time per step, the
// wasm memory, the arena and the JS heap (after a GC) at steps 1,000 and 10,000, the evictions
// of resident results to JS memory and the number of traces, for the step as it is and with the
// parameters donated (`donateArgnums: 0`: W1's update is written over the old W1's block), each
// in a child process.
// tests/jit_mlp.test.ts and tests/donate.test.ts assert the same at batch 8.
import v8 from 'node:v8';
import vm from 'node:vm';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { XENT, MLP_TARGET_GFLOPS } from './workloads_jit.js';

const FLOP = 2 * 2 * XENT.batch * XENT.din * XENT.dh + 3 * 2 * XENT.batch * XENT.dh * XENT.dout;

interface Figures {
  per: number[]; copies: number; traces: number; loss0: number; loss: number; digest: string;
  at1000: { wasm: number; arena: number; heap: number }; at10000: { wasm: number; arena: number; heap: number };
}

/** One loop of `steps` steps in this process, donating the parameters or not. */
async function loop(steps: number, donate: boolean): Promise<Figures> {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const { np, jit, grad, random, wasm, residentStats } = await import('cotangent');
  type P = Record<'W1' | 'b1' | 'W2' | 'b2', any>;
  const { batch: B, din: D, dh: H, dout: O, lr } = XENT;
  const loss = (p: P, x: any, y: any) => {
    const h = np.tanh(np.add(np.matmul(x, p.W1), p.b1));
    const logits = np.add(np.matmul(h, p.W2), p.b2);
    return np.negative(np.mean(np.sum(np.multiply(y, np.logSoftmax(logits, { axis: 1 })), { axis: 1 })));
  };
  const step = jit((p: P, x: any, y: any): P => {
    const g = grad(loss)(p, x, y);
    const upd = (w: any, dw: any) => np.subtract(w, np.multiply(lr, dw));
    return { W1: upd(p.W1, g.W1), b1: upd(p.b1, g.b1), W2: upd(p.W2, g.W2), b2: upd(p.b2, g.b2) };
  }, donate ? { donateArgnums: 0 } : {});
  const k = [...random.split(random.key(0), 4)];
  let p: P = {
    W1: np.multiply(random.normal(k[0], [D, H]), 0.05), b1: np.zeros([H]),
    W2: np.multiply(random.normal(k[1], [H, O]), 0.05), b2: np.zeros([O]),
  };
  const x = random.normal(k[2], [B, D]);
  const y = np.oneHot(random.randint(k[3], [B], 0, O), O);
  const loss0 = loss(p, x, y).item();
  const mem = () => {
    gc();
    return { wasm: wasm().memory.buffer.byteLength, arena: wasm().arena_capacity(), heap: process.memoryUsage().heapUsed };
  };
  const chunk = 100;
  const per: number[] = [];
  let at1000 = mem();
  const copies0 = residentStats().evictionCopies;
  for (let i = 0; i < steps; i += chunk) {
    const s = performance.now();
    for (let j = 0; j < chunk; j++) p = step(p, x, y);
    per.push((performance.now() - s) / chunk);
    if (i + chunk === 1000) at1000 = mem();
    if ((i + chunk) % 2000 === 0) process.stderr.write(`  train step${donate ? ' (donated)' : ''} ${i + chunk}/${steps}: ${per[per.length - 1].toFixed(2)} ms a step\n`);
  }
  const copies = residentStats().evictionCopies - copies0;
  const at10000 = mem();
  let h = 0; // FNV-1a of the parameters' bits: the two loops must agree
  for (const n of ['W1', 'b1', 'W2', 'b2']) for (const b of new Uint8Array(p[n].dataSync().buffer)) h = Math.imul(h ^ b, 16777619) >>> 0;
  return { per, copies, traces: step.traceCount, loss0, loss: loss(p, x, y).item(), digest: h.toString(16), at1000, at10000 };
}

/**
 * The section: the loop without and with donation, each in a process of its own (one's resident
 * results would evict the other's parameters), one after the other.
 */
export async function trainStep(steps = 10_000): Promise<void> {
  const { XENT: X } = await import('./workloads_jit.js');
  console.log(`\nJitted training step: MLP ${X.din}-${X.dh}-${X.dout}, softmax cross-entropy, batch ${X.batch}, SGD lr ${X.lr}, ${steps} steps ` +
    '(outputs fed back), as it is and with the parameters donated (`jit(step, { donateArgnums: 0 })`), each in its own process');
  const run = (donate: boolean) => new Promise<Figures>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), donate ? 'donate' : 'plain', String(steps)],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`train step child exited with ${code}`))));
  });
  const t0 = performance.now();
  const cases = [{ name: 'plain', f: await run(false) }, { name: 'donateArgnums: 0', f: await run(true) }];
  const total = (performance.now() - t0) / 1000;
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(2)} MiB`;
  const stat = (f: Figures) => {
    const per = [...f.per].sort((a, b) => a - b), med = per[per.length >> 1];
    return { med, min: per[0], gflops: FLOP / (med / 1000) / 1e9 };
  };
  const row = (label: string, g: (f: Figures) => string) => console.log(`| ${label} | ${cases.map((c) => g(c.f)).join(' | ')} |`);
  console.log(`| figure | ${cases.map((c) => c.name).join(' | ')} |\n|---|---|---|`);
  row(`time a step, median (min) of ${cases[0].f.per.length} chunks of 100`, (f) => `${stat(f).med.toFixed(2)} ms (${stat(f).min.toFixed(2)} ms)`);
  row('gradient matmul rate at the median', (f) => `${stat(f).gflops.toFixed(1)} GFLOP/s (${((100 * stat(f).gflops) / MLP_TARGET_GFLOPS).toFixed(0)}% of the ${MLP_TARGET_GFLOPS} target)`);
  row('resident results evicted (copied to JS memory)', (f) => String(f.copies));
  row(`wasm memory at step 1,000 / ${steps}`, (f) => `${mib(f.at1000.wasm)} / ${mib(f.at10000.wasm)}`);
  row(`arena capacity at step 1,000 / ${steps}`, (f) => `${mib(f.at1000.arena)} / ${mib(f.at10000.arena)}`);
  row(`JS heap after GC at step 1,000 / ${steps}`, (f) => `${mib(f.at1000.heap)} / ${mib(f.at10000.heap)} (${((f.at10000.heap - f.at1000.heap) / 1024).toFixed(0)} KiB growth)`);
  row('traces', (f) => String(f.traces));
  row(`loss, step 0 / ${steps}`, (f) => `${f.loss0.toPrecision(4)} / ${f.loss.toPrecision(4)}`);
  const same = cases[0].f.digest === cases[1].f.digest;
  console.log(`wall time: ${total.toFixed(1)} s; the parameters after ${steps} steps are bit-identical: ${same ? 'yes' : `NO (${cases.map((c) => c.f.digest).join(' vs ')})`}`);
}

// A child process of trainStep: `node --import tsx bench/train_step.ts plain|donate <steps>`.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const f = await loop(Number(process.argv[3]), process.argv[2] === 'donate');
  console.log(JSON.stringify(f));
}
