// cotangent's adapter: every case as a user writes it with the public API. Each call builds its
// Arrays from the typed arrays and reads its outputs back (dataSync), which the timings include;
// eager cases free nothing explicitly (no dispose exists), and the streaming ones are also timed
// inside tidy(), the ownership the peers' adapters state (tfjs's tidy, jax-js's consuming ops).
import { readFileSync } from 'node:fs';
import type { Adapter, Prepared } from './harness.js';
import type { CaseId, Inputs, Typed } from './workloads.js';
import { RNN } from './workloads_jit.js';

type NP = typeof import('cotangent')['np'];
type A = import('cotangent').NDArray | number;

export function cotangentAdapter(): Adapter {
  let api: typeof import('cotangent');

  const adapter: Adapter = {
    name: 'cotangent',
    async init() {
      api = await import('cotangent');
      const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
      // `npm run bench` runs Node with --experimental-wasm-relaxed-simd, so the FMA build is measured;
      // the peers share the process, so they run under the same flags.
      const build = api.wasmBuild() === 'relaxed-simd'
        ? 'dist/cotangent-fma.wasm, relaxed SIMD: fused multiply-add in the matrix products'
        : 'dist/cotangent.wasm, SIMD';
      const flags = process.execArgv.filter((f) => f.startsWith('--experimental-wasm') || f.startsWith('--no-experimental-wasm'));
      const peers = flags.length ? `; the peers run in this process under the same flags (${flags.join(' ')})` : '';
      return `cotangent ${pkg.version} (${build}, 1 thread, eager unless noted${peers})`;
    },
    prepare(id: CaseId, inp: Inputs): Prepared {
      const { np, grad, jvp, vjp, vmap, jacfwd, jacrev, hessian, hvp } = api;
      const arr = (name: string) => np.array(inp[name].data, { shape: inp[name].shape });
      const out = (...xs: any[]): Typed[] => xs.map((x) => x.dataSync() as Typed);
      switch (id) {
        case 'matmul_f32_128': case 'matmul_f32_256': case 'matmul_f32_512': case 'matmul_f32_1024':
        case 'matmul_f64_256': case 'matmul_f64_512':
          return () => out(np.matmul(arr('a'), arr('b')));
        case 'tanh_1m':
          return () => out(np.tanh(arr('x')));
        case 'add_1m':
          return () => out(np.add(arr('x'), arr('y')));
        case 'sum_axis0':
          return () => out(np.sum(arr('x'), { axis: 0 }));
        case 'sum_axis1':
          return () => out(np.sum(arr('x'), { axis: 1 }));
        case 'logreg_grad': {
          const g = grad(logregLoss(np), { argnums: [0, 1] });
          return () => {
            const [gW, gb] = g(arr('W'), arr('b'), arr('inputs'), arr('targets'));
            return out(gW, gb);
          };
        }
        case 'mlp_grad': {
          const g = grad(mlpLoss(np));
          return () => {
            const p = g({ W1: arr('W1'), b1: arr('b1'), W2: arr('W2'), b2: arr('b2') }, arr('x'), arr('y'));
            return out(p.W1, p.b1, p.W2, p.b2);
          };
        }
        case 'jvp_tanh_matmul': {
          const f = (x: A, W: A) => np.tanh(np.matmul(x, W));
          return () => {
            const [y, dy] = jvp(f, [arr('x'), arr('W')], [arr('dx'), arr('dW')]);
            return out(y, dy);
          };
        }
        case 'grad2_tanh': {
          const g = grad(grad(np.tanh));
          return () => out(g(arr('x')));
        }
        case 'grad3_tanh': {
          const g = grad(grad(grad(np.tanh)));
          return () => out(g(arr('x')));
        }
        case 'grad2_xtanh': {
          const g = grad(grad((x: A) => np.multiply(x, np.tanh(x))));
          return () => out(g(arr('x')));
        }
        case 'pullback_dot': {
          const [, pullback] = api.vjp((x: any, W: any) => np.matmul(x, W), arr('x'), arr('W'));
          return () => out(...pullback(arr('ct')));
        }
        case 'eager_dot_math': {
          // x and W made once, as the pullback holds them; the cotangent comes in per call.
          const { lax } = api;
          const x = arr('x'), W = arr('W');
          return () => {
            const ct = arr('ct');
            return out(lax.dotGeneral(ct, W, [[[1], [1]], [[], []]]), lax.dotGeneral(x, ct, [[[0], [0]], [[], []]]));
          };
        }
        case 'hvp_tanh': {
          const f = (x: A, A_: A) => np.sum(np.tanh(np.matmul(A_, x)));
          const gf = grad(f);
          return () => {
            const A_ = arr('A');
            const [, hv] = jvp((x: A) => gf(x, A_), [arr('x')], [arr('v')]);
            return out(hv);
          };
        }
        case 'hvp_tanh2_30x40': {
          const h = hvp((x: A) => np.sum(np.square(np.tanh(x))));
          return () => out(h(arr('X'), arr('V')));
        }
        case 'jacfwd_32_2048': case 'jacfwd_2048_32': case 'jacrev_32_2048': case 'jacrev_2048_32': {
          const jac = (id.startsWith('jacfwd') ? jacfwd : jacrev)(predict(np), { argnums: 2 });
          return () => out(jac(arr('W'), arr('b'), arr('x')));
        }
        case 'hessian_16': {
          const h = hessian(predict(np), { argnums: 2 });
          return () => out(h(arr('W'), arr('b'), arr('x')));
        }
        case 'vmap_hessian_64': {
          const h = vmap(hessian(predict(np), { argnums: 2 }), { inAxes: [null, null, 0] });
          return () => out(h(arr('W'), arr('b'), arr('x')));
        }
        case 'vmap_pullback': {
          const W = arr('W'), b = arr('b');
          const [, pullback] = vjp((x: A) => predict(np)(W, b, x), arr('x'));
          const batched = vmap(pullback);
          return () => out(batched(arr('U'))[0]);
        }
        case 'eager_pullback_math': {
          // what the pullback holds (W and 1 - y^2) made once; the covectors come in per call
          const W = arr('W'), y = predict(np)(W, arr('b'), arr('x')), s = np.subtract(1, np.square(y));
          return () => out(np.matmul(np.multiply(arr('U'), s), W));
        }
        case 'exp_1m':
          return () => out(np.exp(arr('x')));
        case 'mlp_xent_grad': {
          const g = grad(xentLoss(np));
          return () => {
            const p = g(xentParams(arr), arr('x'), arr('y'));
            return out(p.W1, p.b1, p.W2, p.b2);
          };
        }
        case 'rnn_grad': {
          const g = grad(rnnLoss(api), { argnums: [0, 1, 2] });
          return () => out(...g(arr('W'), arr('U'), arr('b'), arr('xs')));
        }
        case 'mlp_sgd_step': {
          const step = sgdStep(api);
          return () => {
            const p = step(xentParams(arr), arr('x'), arr('y'));
            return out(p.W1, p.b1, p.W2, p.b2);
          };
        }
        case 'mjp_loop_128': case 'mjp_vmap_128': {
          const loop = id === 'mjp_loop_128';
          return () => {
            const X = arr('inputs'), b = arr('b');
            const f = (W: A) => np.multiply(0.5, np.add(np.tanh(np.divide(np.add(np.dot(X, W), b), 2)), 1));
            const [, vjpFun] = vjp(f, arr('W'));
            const U = arr('U');
            return out(loop ? np.stack([...U].map((u) => vjpFun(u)[0])) : vmap(vjpFun)(U)[0]);
          };
        }
      }
    },
    extras: [
      ...JITTED_CASES.map((id) => ({ id, label: `${id}, under jit`, kind: 'jit' as const, prepare: (inp: Inputs) => jitted(api, id, inp) })),
      // The same with the ownership jax-js's jit has (its calls consume their arguments): what the
      // call makes and does not return is freed, so no result is copied out of wasm twice.
      ...JITTED_CASES.map((id) => ({ id, label: `${id}, under jit inside tidy`, kind: 'jit-tidy' as const, prepare: (inp: Inputs) => {
        const run = jitted(api, id, inp);
        return typeof run === 'function' ? () => api.tidy(run) : run;
      } })),
      // The streaming cases with the ownership the peers' adapters state (tidy: what is not returned is freed).
      ...TIDY_CASES.map((id) => ({ id, label: `${id}, inside tidy`, kind: 'tidy' as const, prepare: (inp: Inputs) => {
        const run = adapter.prepare(id, inp);
        return typeof run === 'function' ? () => api.tidy(run) : run;
      } })),
    ],
  };
  return adapter;
}

/** Eager cases whose time is mostly moving data in and out of wasm memory (issue 10's eager target). */
const TIDY_CASES: CaseId[] = ['tanh_1m', 'add_1m', 'sum_axis0', 'sum_axis1', 'exp_1m'];

/** Issue 10's workloads a-f that have a jitted form (a-d are issue 9's transforms). */
const JITTED_CASES: CaseId[] = [
  'hvp_tanh2_30x40', 'jacfwd_32_2048', 'jacrev_32_2048', 'jacfwd_2048_32', 'jacrev_2048_32', 'hessian_16', 'vmap_hessian_64',
  'mlp_xent_grad', 'mlp_sgd_step', 'matmul_f32_512', 'matmul_f32_1024', 'exp_1m', 'rnn_grad',
];

/** The cases under cotangent's jit: traced once per signature, replayed per call. */
function jitted(api: typeof import('cotangent'), id: CaseId, inp: Inputs): Prepared {
  const { np, jit, grad, jacfwd, jacrev, hessian, hvp, vmap } = api;
  const arr = (name: string) => np.array(inp[name].data, { shape: inp[name].shape });
  const out = (...xs: any[]): Typed[] => xs.map((x) => x.dataSync() as Typed);
  const wbx = (f: (W: A, b: A, x: A) => any) => {
    const g = jit(f);
    return () => out(g(arr('W'), arr('b'), arr('x')));
  };
  switch (id) {
    case 'hvp_tanh2_30x40': {
      const h = jit(hvp((x: A) => np.sum(np.square(np.tanh(x)))));
      return () => out(h(arr('X'), arr('V')));
    }
    case 'jacfwd_32_2048': case 'jacfwd_2048_32': case 'jacrev_32_2048': case 'jacrev_2048_32':
      return wbx((id.startsWith('jacfwd') ? jacfwd : jacrev)(predict(np), { argnums: 2 }));
    case 'hessian_16':
      return wbx(hessian(predict(np), { argnums: 2 }));
    case 'vmap_hessian_64':
      return wbx(vmap(hessian(predict(np), { argnums: 2 }), { inAxes: [null, null, 0] }));
    case 'mlp_xent_grad': case 'mlp_sgd_step': {
      const f = jit(id === 'mlp_xent_grad' ? grad(xentLoss(np)) : sgdStep(api));
      return () => {
        const p = f(xentParams(arr), arr('x'), arr('y'));
        return out(p.W1, p.b1, p.W2, p.b2);
      };
    }
    case 'rnn_grad': {
      const g = jit(grad(rnnLoss(api), { argnums: [0, 1, 2] }));
      return () => out(...g(arr('W'), arr('U'), arr('b'), arr('xs')));
    }
    case 'matmul_f32_512': case 'matmul_f32_1024': {
      const f = jit((a: A, b: A) => np.matmul(a, b));
      return () => out(f(arr('a'), arr('b')));
    }
    case 'exp_1m': {
      const f = jit((x: A) => np.exp(x));
      return () => out(f(arr('x')));
    }
    default:
      return { na: `no jitted ${id}` };
  }
}

/** functorch's predict: F.linear(x, weight, bias).tanh(). */
function predict(np: NP) {
  return (W: A, b: A, x: A) => np.tanh(np.add(np.matmul(x, np.transpose(W)), b));
}

/** The cookbook's loss, sigmoid as 0.5 (tanh(x/2) + 1) (the same ops in every library). */
function logregLoss(np: NP) {
  return (W: A, b: A, inputs: A, targets: A) => {
    const preds = np.multiply(0.5, np.add(np.tanh(np.divide(np.add(np.dot(inputs, W), b), 2)), 1));
    const probs = np.add(np.multiply(preds, targets), np.multiply(np.subtract(1, preds), np.subtract(1, targets)));
    return np.negative(np.sum(np.log(probs)));
  };
}

function mlpLoss(np: NP) {
  return (p: { W1: A; b1: A; W2: A; b2: A }, x: A, y: A) => {
    const h = np.tanh(np.add(np.matmul(x, p.W1), p.b1));
    const o = np.add(np.matmul(h, p.W2), p.b2);
    return np.mean(np.square(np.subtract(o, y)));
  };
}

/** The tanh RNN's loss over lax.scan (eagerly it runs step by step; under jit it is one scan row). */
function rnnLoss(api: typeof import('cotangent')) {
  const { np, lax } = api;
  const { steps: T, batch: B, dh: H } = RNN;
  return (W: A, U: A, b: A, xs: A) => {
    const [, ys] = lax.scan((h: A, x: A) => {
      const next = np.tanh(np.add(np.add(np.matmul(h, W), np.matmul(x, U)), b));
      return [next, np.sum(np.square(next))];
    }, np.zeros([B, H]), xs);
    return np.divide(np.sum(ys), T * B);
  };
}

type Xent = { W1: A; b1: A; W2: A; b2: A };
const xentParams = (arr: (name: string) => A): Xent => ({ W1: arr('W1'), b1: arr('b1'), W2: arr('W2'), b2: arr('b2') });

/** Issue 10's e: mean softmax cross-entropy of a tanh MLP, y one-hot. */
function xentLoss(np: NP) {
  return (p: Xent, x: A, y: A) => {
    const h = np.tanh(np.add(np.matmul(x, p.W1), p.b1));
    const logits = np.add(np.matmul(h, p.W2), p.b2);
    return np.negative(np.mean(np.sum(np.multiply(y, np.logSoftmax(logits, { axis: 1 })), { axis: 1 })));
  };
}

/** One SGD step on xentLoss, returning the new parameters (what a jitted training step is). */
function sgdStep(api: typeof import('cotangent')) {
  const { np, grad } = api;
  const g = grad(xentLoss(np));
  return (p: Xent, x: A, y: A): Xent => {
    const d = g(p, x, y);
    const upd = (w: A, dw: A) => np.subtract(w, np.multiply(0.1, dw));
    return { W1: upd(p.W1, d.W1), b1: upd(p.b1, d.b1), W2: upd(p.W2, d.W2), b2: upd(p.b2, d.b2) };
  };
}
