// TensorFlow.js's adapter, on @tensorflow/tfjs-backend-wasm (XNNPACK kernels). Each call runs in
// tf.tidy so every intermediate tensor is freed. On Node the backend disables threads, so it runs
// on one thread, as cotangent does. tfjs has reverse mode only (no jvp), float32 only.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Adapter, Prepared } from '../harness.js';
import type { CaseId, Inputs, Typed } from '../workloads.js';
import { RNN } from '../workloads_jit.js';

export function tfjsAdapter(): Adapter {
  let tf: any;

  return {
    name: 'tfjs-wasm',
    async init() {
      tf = await import('@tensorflow/tfjs');
      const wasmBackend: any = await import('@tensorflow/tfjs-backend-wasm');
      const req = createRequire(import.meta.url);
      const pkgDir = dirname(req.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
      wasmBackend.setWasmPaths(join(pkgDir, 'dist') + '/');
      // the Emscripten module installs process handlers that rethrow; keep ours as they were
      const before = { ue: process.listeners('uncaughtException'), ur: process.listeners('unhandledRejection') };
      const ok = await tf.setBackend('wasm');
      for (const l of process.listeners('uncaughtException')) if (!before.ue.includes(l)) process.removeListener('uncaughtException', l);
      for (const l of process.listeners('unhandledRejection')) if (!before.ur.includes(l)) process.removeListener('unhandledRejection', l);
      if (!ok || tf.getBackend() !== 'wasm') throw new Error(`setBackend('wasm') failed (backend ${tf.getBackend()})`);
      await tf.ready();
      const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
      const threads = wasmBackend.getThreadsCount();
      return `@tensorflow/tfjs ${tf.version.tfjs} + tfjs-backend-wasm ${wasmBackend.version_wasm} (${simd ? 'SIMD' : 'no SIMD'}, ${threads} thread${threads === 1 ? '' : 's'})`;
    },
    prepare(id: CaseId, inp: Inputs): Prepared {
      const t = (name: string) => tf.tensor(inp[name].data, inp[name].shape, 'float32');
      // tidy keeps the returned tensors (and only them); they are read, then disposed. (Returning
      // the typed arrays from tidy instead would make tidy walk every element: ~200 ms per 1M.)
      const run = (f: () => any[]): (() => Typed[]) => () => {
        const outs: any[] = tf.tidy(f);
        try {
          return outs.map((x) => x.dataSync() as Typed);
        } finally {
          tf.dispose(outs);
        }
      };
      switch (id) {
        case 'pullback_dot': case 'eager_dot_math': return { na: 'cotangent-only comparison (pullback vs eager)' };
        case 'matmul_f32_128': case 'matmul_f32_256': case 'matmul_f32_512': case 'matmul_f32_1024':
          return run(() => [tf.matMul(t('a'), t('b'))]);
        case 'matmul_f64_256': case 'matmul_f64_512':
          return { na: 'tfjs has no float64' };
        case 'tanh_1m':
          return run(() => [tf.tanh(t('x'))]);
        case 'exp_1m':
          return run(() => [tf.exp(t('x'))]);
        case 'mlp_xent_grad': case 'mlp_sgd_step':
          return run(() => {
            const x = t('x'), y = t('y');
            const params = [t('W1'), t('b1'), t('W2'), t('b2')];
            const g = tf.grads((W1: any, b1: any, W2: any, b2: any) => {
              const h = tf.tanh(tf.add(tf.matMul(x, W1), b1));
              const logits = tf.add(tf.matMul(h, W2), b2);
              return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(logits, 1)), 1)));
            })(params);
            return id === 'mlp_xent_grad' ? g : params.map((p: any, k: number) => tf.sub(p, tf.mul(0.1, g[k])));
          });
        case 'rnn_grad': {
          const { steps: T, batch: B, dh: H } = RNN;
          return run(() => {
            const xs = tf.unstack(t('xs'));
            return tf.grads((W: any, U: any, b: any) => {
              let h = tf.zeros([B, H]), total = tf.scalar(0);
              for (const x of xs) {
                h = tf.tanh(tf.add(tf.add(tf.matMul(h, W), tf.matMul(x, U)), b));
                total = tf.add(total, tf.sum(tf.square(h)));
              }
              return tf.div(total, T * B);
            })([t('W'), t('U'), t('b')]);
          });
        }
        case 'add_1m':
          return run(() => [tf.add(t('x'), t('y'))]);
        case 'sum_axis0':
          return run(() => [tf.sum(t('x'), 0)]);
        case 'sum_axis1':
          return run(() => [tf.sum(t('x'), 1)]);
        case 'logreg_grad':
          // inputs and targets closed over, as in mlp_grad: tf.grads differentiates every
          // argument, so passing them made tfjs compute (and drop) two gradients nobody asked for
          return run(() => {
            const inputs = t('inputs'), targets = t('targets');
            return tf.grads((W: any, b: any) => {
              const preds = tf.mul(0.5, tf.add(tf.tanh(tf.div(tf.add(tf.dot(inputs, W), b), 2)), 1));
              const probs = tf.add(tf.mul(preds, targets), tf.mul(tf.sub(1, preds), tf.sub(1, targets)));
              return tf.neg(tf.sum(tf.log(probs)));
            })([t('W'), t('b')]);
          });
        case 'mlp_grad':
          return run(() => {
            const x = t('x'), y = t('y');
            const g = tf.grads((W1: any, b1: any, W2: any, b2: any) => {
              const h = tf.tanh(tf.add(tf.matMul(x, W1), b1));
              const o = tf.add(tf.matMul(h, W2), b2);
              return tf.mean(tf.square(tf.sub(o, y)));
            });
            return g([t('W1'), t('b1'), t('W2'), t('b2')]);
          });
        case 'jvp_tanh_matmul':
          return { na: 'tfjs has no forward mode (jvp)' };
        // Second order is reverse-over-reverse (tf.grad of tf.grad, as tfjs documents). tanh's
        // gradient reads its saved output, which tfjs keeps off the tape: expect a throw.
        case 'grad2_tanh':
          return secondOrder(run(() => [tf.grad((x: any) => tf.grad((y: any) => tf.tanh(y))(x))(t('x'))]));
        case 'grad3_tanh':
          return secondOrder(run(() => [tf.grad((x: any) => tf.grad((y: any) => tf.grad((z: any) => tf.tanh(z))(y))(x))(t('x'))]));
        case 'grad2_xtanh':
          // here x also reaches the output around tanh, so nothing throws
          return run(() => [tf.grad((x: any) => tf.grad((y: any) => tf.mul(y, tf.tanh(y)))(x))(t('x'))]);
        case 'hvp_tanh2_30x40':
          return secondOrder(run(() => {
            const v = t('V');
            const gf = tf.grad((x: any) => tf.sum(tf.square(tf.tanh(x))));
            return [tf.grad((x: any) => tf.sum(tf.mul(gf(x), v)))(t('X'))];
          }));
        case 'jacfwd_32_2048': case 'jacfwd_2048_32': case 'jacrev_32_2048': case 'jacrev_2048_32':
        case 'hessian_16': case 'vmap_hessian_64': case 'vmap_pullback': case 'mjp_vmap_128':
          return { na: 'tfjs has no jacfwd/jacrev/hessian/vmap' };
        case 'eager_pullback_math':
          return { na: 'cotangent-only comparison (vmapped pullback vs eager)' };
        case 'mjp_loop_128': {
          // a loop of tf.grad pullbacks: one reverse pass per covector (tfjs has no reusable vjp)
          const U = inp.U.data, K = inp.U.shape[0];
          return run(() => {
            const X = t('inputs'), b = t('b'), W = t('W');
            const f = (w: any) => tf.mul(0.5, tf.add(tf.tanh(tf.div(tf.add(tf.dot(X, w), b), 2)), 1));
            return [tf.stack(Array.from({ length: K }, (_, i) => {
              const u = tf.tensor(U.subarray(i * 4, i * 4 + 4), [4], 'float32');
              return tf.grad((w: any) => tf.sum(tf.mul(f(w), u)))(W);
            }))];
          });
        }
        case 'hvp_tanh':
          // no jvp: H v = grad(x -> <grad f(x), v>)
          return secondOrder(run(() => {
            const A = t('A'), v = t('v');
            const gf = tf.grad((x: any) => tf.sum(tf.tanh(tf.matMul(A, tf.reshape(x, [-1, 1])))));
            return [tf.grad((x: any) => tf.sum(tf.mul(gf(x), v)))(t('x'))];
          }));
      }
    },
  };
}

/** Labels a throw from a second-order tfjs gradient with its cause. */
function secondOrder(run: () => Typed[]): () => Typed[] {
  return () => {
    try {
      return run();
    } catch (e) {
      const msg = e instanceof Error ? e.message.split('.')[0] : String(e);
      throw new Error(`tf.grad of tf.grad through tanh (its saved output is off the tape) throws "${msg}"`);
    }
  };
}
