// The jitted training step, the section of `npm run bench` (alone: `npm run bench -- --only
// train`): issue 10's MLP (784-256-10, tanh, softmax cross-entropy, batch 128), one jitted
// function from the parameters to the parameters after an SGD step, called 10,000 times with
// its own outputs fed back (they stay resident in wasm memory). Reports the time per step, the
// wasm memory, the arena and the JS heap (after a GC) at steps 1,000 and 10,000, and the number
// of traces. tests/jit_mlp.test.ts asserts the same at batch 8.
import v8 from 'node:v8';
import vm from 'node:vm';
import { XENT, MLP_TARGET_GFLOPS } from './workloads_jit.js';

const FLOP = 2 * 2 * XENT.batch * XENT.din * XENT.dh + 3 * 2 * XENT.batch * XENT.dh * XENT.dout;

export async function trainStep(steps = 10_000): Promise<void> {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const { np, jit, grad, random, wasm } = await import('cotangent');
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
  });
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
  console.log(`\nJitted training step: MLP ${D}-${H}-${O}, softmax cross-entropy, batch ${B}, SGD lr ${lr}, ${steps} steps (outputs fed back)`);
  const chunk = 100;
  const per: number[] = [];
  let at1000 = mem();
  const t0 = performance.now();
  for (let i = 0; i < steps; i += chunk) {
    const s = performance.now();
    for (let j = 0; j < chunk; j++) p = step(p, x, y);
    per.push((performance.now() - s) / chunk);
    if (i + chunk === 1000) at1000 = mem();
    if ((i + chunk) % 2000 === 0) process.stderr.write(`  train step ${i + chunk}/${steps}: ${per[per.length - 1].toFixed(2)} ms a step\n`);
  }
  const total = (performance.now() - t0) / 1000;
  const at10000 = mem();
  const loss1 = loss(p, x, y).item();
  per.sort((a, b) => a - b);
  const med = per[per.length >> 1], min = per[0];
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(2)} MiB`;
  const gflops = FLOP / (med / 1000) / 1e9;
  console.log(`| figure | value |\n|---|---|`);
  console.log(`| time a step, median (min) of ${per.length} chunks of ${chunk} | ${med.toFixed(2)} ms (${min.toFixed(2)} ms) |`);
  console.log(`| gradient matmul rate at the median | ${gflops.toFixed(1)} GFLOP/s (${((100 * gflops) / MLP_TARGET_GFLOPS).toFixed(0)}% of the ${MLP_TARGET_GFLOPS} target) |`);
  console.log(`| wall time, ${steps} steps | ${total.toFixed(1)} s |`);
  console.log(`| wasm memory at step 1,000 / ${steps} | ${mib(at1000.wasm)} / ${mib(at10000.wasm)} |`);
  console.log(`| arena capacity at step 1,000 / ${steps} | ${mib(at1000.arena)} / ${mib(at10000.arena)} |`);
  console.log(`| JS heap after GC at step 1,000 / ${steps} | ${mib(at1000.heap)} / ${mib(at10000.heap)} (${((at10000.heap - at1000.heap) / 1024).toFixed(0)} KiB growth) |`);
  console.log(`| traces | ${step.traceCount} |`);
  console.log(`| loss, step 0 / ${steps} | ${loss0.toPrecision(4)} / ${loss1.toPrecision(4)} |`);
}
