// jit on issue 10's MLP (784-256-10, tanh, softmax cross-entropy): the printed gradient program
// before and after optimization, and a jitted SGD training step run 10,000 times with flat wasm
// memory and JS heap and one trace. The step runs at batch 8 here (about 2 ms a step on the
// 2-core machine, so the file stays under ~30 s); `npm run bench -- --only mlp_xent` times the
// full batch of 128 (bench/cotangent.ts, `mlp_xent_grad` and `mlp_sgd_step`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { np, jit, grad, random, wasm, type Array as NDArray } from 'cotangent';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

type Params = { W1: NDArray; b1: NDArray; W2: NDArray; b2: NDArray };
const [DIN, DH, DOUT] = [784, 256, 10];

/** Mean softmax cross-entropy of a one-layer tanh MLP; y is one-hot. */
function mlpLoss(p: Params, x: NDArray, y: NDArray): NDArray {
  const h = np.tanh(np.add(np.matmul(x, p.W1), p.b1));
  const logits = np.add(np.matmul(h, p.W2), p.b2);
  return np.negative(np.mean(np.sum(np.multiply(y, np.logSoftmax(logits, { axis: 1 })), { axis: 1 })));
}

const LR = 0.1;
function sgdStep(p: Params, x: NDArray, y: NDArray): Params {
  const g = grad(mlpLoss)(p, x, y);
  return {
    W1: np.subtract(p.W1, np.multiply(LR, g.W1)), b1: np.subtract(p.b1, np.multiply(LR, g.b1)),
    W2: np.subtract(p.W2, np.multiply(LR, g.W2)), b2: np.subtract(p.b2, np.multiply(LR, g.b2)),
  };
}

function problem(batch: number, seed = 0): { p: Params; x: NDArray; y: NDArray } {
  const k = [...random.split(random.key(seed), 4)];
  return {
    p: {
      W1: np.multiply(random.normal(k[0], [DIN, DH]), 0.05), b1: np.zeros([DH]),
      W2: np.multiply(random.normal(k[1], [DH, DOUT]), 0.05), b2: np.zeros([DOUT]),
    },
    x: random.normal(k[2], [batch, DIN]),
    y: np.oneHot(random.randint(k[3], [batch], 0, DOUT), DOUT),
  };
}

const rowsOf = (text: string) => Number(/# [^\n:]+: (\d+) rows/.exec(text)![1]);
const peakOf = (text: string) => Number(/peak intermediate memory (\d+) bytes/.exec(text)![1]);

test('the printer on the MLP gradient (batch 128): the optimized program is shorter, with the stated peak memory', () => {
  const B = 128;
  const { p, x, y } = problem(B);
  const g = jit(grad(mlpLoss));
  const lowered = g.lower(p, x, y);
  const before = lowered.asText(), after = lowered.asText({ optimized: true });
  if (process.env.PRINT_MLP) console.log(`${before}\n${after}`);
  // before: the arguments' copies, the scalar seed's arithmetic, the -1/128 broadcasts
  assert.ok(rowsOf(after) < rowsOf(before), `not fewer rows: ${rowsOf(before)} -> ${rowsOf(after)}`);
  assert.ok(rowsOf(before) - rowsOf(after) >= 8, `${rowsOf(before)} -> ${rowsOf(after)}`);
  assert.match(before, /= copy /);
  assert.doesNotMatch(after, /= copy /, after);
  // Four matmuls forward and back (x W1, h W2, h^T dlogits, dlogits W2^T, x^T dz): five dot_generals, no more.
  assert.equal((after.match(/= dot_general/g) ?? []).length, 5, after);
  // The peak is at the last row, x^T dz: the four gradients (live to the end) and dz itself.
  const f32 = 4;
  const grads = (DIN * DH + DH + DH * DOUT + DOUT) * f32;
  const dz = B * DH * f32;
  assert.equal(peakOf(after), grads + dz, `peak ${peakOf(after)} bytes; stated ${grads + dz}:\n${after}`);
  assert.ok(peakOf(before) >= peakOf(after));
  // The printed program computes what eager does, bit for bit.
  const gj = g(p, x, y), ge = grad(mlpLoss)(p, x, y);
  for (const k of ['W1', 'b1', 'W2', 'b2'] as const) assert.deepEqual(gj[k].dataSync(), ge[k].dataSync(), k);
  assert.equal(g.traceCount, 1);
});

test('a jitted SGD step (MLP 784-256-10, batch 8) runs 10,000 times: one trace, flat wasm memory and JS heap', () => {
  const B = 8;
  const { p: p0, x, y } = problem(B, 1);
  const step = jit(sgdStep);
  // The first steps equal eager steps bit for bit.
  let pj = p0, pe = p0;
  for (let i = 0; i < 3; i++) { pj = step(pj, x, y); pe = sgdStep(pe, x, y); }
  for (const k of ['W1', 'b1', 'W2', 'b2'] as const) assert.deepEqual(pj[k].dataSync(), pe[k].dataSync(), `step 3: ${k}`);
  const loss0 = mlpLoss(p0, x, y).item();
  let p = pj;
  const at = (): { wasm: number; arena: number; heap: number } => {
    gc();
    return { wasm: wasm().memory.buffer.byteLength, arena: wasm().arena_capacity(), heap: process.memoryUsage().heapUsed };
  };
  let m1000 = at();
  const t0 = performance.now();
  let t1000 = t0;
  for (let i = 3; i < 10_000; i++) {
    p = step(p, x, y);
    if (i === 999) { m1000 = at(); t1000 = performance.now(); }
  }
  const ms = (performance.now() - t1000) / 9000;
  const m10000 = at();
  assert.equal(step.traceCount, 1, 'one trace for 10,000 calls');
  assert.equal(m10000.wasm, m1000.wasm, `wasm memory grew from step 1,000 to 10,000: ${m1000.wasm} -> ${m10000.wasm}`);
  assert.equal(m10000.arena, m1000.arena, `the arena grew: ${m1000.arena} -> ${m10000.arena}`);
  const heapGrowth = m10000.heap - m1000.heap;
  assert.ok(heapGrowth < 2 * 2 ** 20, `JS heap grew by ${(heapGrowth / 2 ** 20).toFixed(2)} MiB from step 1,000 to 10,000`);
  const loss = mlpLoss(p, x, y).item();
  assert.ok(Number.isFinite(loss) && loss < loss0 / 10, `the loss went ${loss0} -> ${loss}`);
  if (process.env.PRINT_MLP) console.log(`batch ${B}: ${ms.toFixed(3)} ms a step; heap growth ${heapGrowth} bytes; loss ${loss0} -> ${loss}`);
});
