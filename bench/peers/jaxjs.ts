// @jax-js/jax's adapter, on its wasm backend. jax-js is lazy and reference counted: every use of
// an array but the last takes `.ref`, and `dataSync()` realizes and consumes. On Node 20 it
// needs init('wasm') (a bare init() crashes) and a Float16Array global for its float64 paths.
// It has no Worker global on Node, so it runs on one thread, as cotangent does.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Adapter, Prepared } from '../harness.js';
import type { CaseId, Inputs, Typed } from '../workloads.js';
import { RNN } from '../workloads_jit.js';

export function jaxjsAdapter(): Adapter {
  let jax: any;

  const build = (id: CaseId, inp: Inputs, jitted: boolean): Prepared => {
    const { numpy: np, nn, grad, jvp, jit } = jax;
    const jac = jacobianCase(jax, id, inp, jitted);
    if (jac) return jac;
    const arr = (name: string) => {
      const { data, shape } = inp[name];
      return np.array(data, { shape, dtype: data instanceof Float64Array ? np.float64 : np.float32 });
    };
    const out = (...xs: any[]): Typed[] => xs.map((x) => x.dataSync() as Typed);
    const wrap = <F>(f: F): F => (jitted ? jit(f) : f);
    switch (id) {
      case 'pullback_dot': case 'eager_dot_math': return { na: 'cotangent-only comparison (pullback vs eager)' };
      case 'matmul_f32_128': case 'matmul_f32_256': case 'matmul_f32_512': case 'matmul_f32_1024':
      case 'matmul_f64_256': case 'matmul_f64_512': {
        const f = wrap((a: any, b: any) => np.matmul(a, b));
        return () => out(f(arr('a'), arr('b')));
      }
      case 'exp_1m': {
        const f = wrap((x: any) => np.exp(x));
        return () => out(f(arr('x')));
      }
      case 'mlp_xent_grad': case 'mlp_sgd_step': {
        const loss = (p: any, x: any, y: any) => {
          const h = np.tanh(np.matmul(x, p.W1).add(p.b1));
          const logits = np.matmul(h, p.W2).add(p.b2);
          return np.negative(np.mean(np.sum(y.mul(nn.logSoftmax(logits, -1)), 1)));
        };
        const step = (p: any, x: any, y: any) => {
          const g = grad(loss)({ W1: p.W1.ref, b1: p.b1.ref, W2: p.W2.ref, b2: p.b2.ref }, x, y);
          const upd = (w: any, dw: any) => w.sub(dw.mul(0.1));
          return { W1: upd(p.W1, g.W1), b1: upd(p.b1, g.b1), W2: upd(p.W2, g.W2), b2: upd(p.b2, g.b2) };
        };
        const f = wrap(id === 'mlp_xent_grad' ? grad(loss) : step);
        return () => {
          const p = f({ W1: arr('W1'), b1: arr('b1'), W2: arr('W2'), b2: arr('b2') }, arr('x'), arr('y'));
          return out(p.W1, p.b1, p.W2, p.b2);
        };
      }
      case 'rnn_grad': {
        // no scan in jax-js: a JS loop (its jit unrolls it); every use of W, U, b but the last takes .ref
        const { steps: T, batch: B, dh: H } = RNN;
        const loss = (W: any, U: any, b: any, xs: any) => {
          let h = np.zeros([B, H]), total: any = null;
          np.unstack(xs).forEach((x: any, t: number) => {
            const last = t === T - 1, use = (v: any) => (last ? v : v.ref);
            h = np.tanh(np.matmul(h, use(W)).add(np.matmul(x, use(U))).add(use(b)));
            const s = np.sum(np.square(last ? h : h.ref));
            total = total === null ? s : total.add(s);
          });
          return total.div(T * B);
        };
        const g = wrap(grad(loss, { argnums: [0, 1, 2] }));
        return () => out(...g(arr('W'), arr('U'), arr('b'), arr('xs')));
      }
      case 'tanh_1m':
        return () => out(np.tanh(arr('x')));
      case 'add_1m':
        return () => out(np.add(arr('x'), arr('y')));
      case 'sum_axis0':
        return () => out(np.sum(arr('x'), 0));
      case 'sum_axis1':
        return () => out(np.sum(arr('x'), 1));
      case 'logreg_grad': {
        const loss = (W: any, b: any, inputs: any, targets: any) => {
          const preds = np.tanh(np.dot(inputs, W).add(b).div(2)).add(1).mul(0.5);
          const probs = preds.ref.mul(targets.ref).add(np.subtract(1, preds).mul(np.subtract(1, targets)));
          return np.negative(np.sum(np.log(probs)));
        };
        const g = wrap(grad(loss, { argnums: [0, 1] }));
        return () => {
          const [gW, gb] = g(arr('W'), arr('b'), arr('inputs'), arr('targets'));
          return out(gW, gb);
        };
      }
      case 'mlp_grad': {
        const loss = (p: any, x: any, y: any) => {
          const h = np.tanh(np.matmul(x, p.W1).add(p.b1));
          const o = np.matmul(h, p.W2).add(p.b2);
          return np.mean(np.square(o.sub(y)));
        };
        const g = wrap(grad(loss));
        return () => {
          const p = g({ W1: arr('W1'), b1: arr('b1'), W2: arr('W2'), b2: arr('b2') }, arr('x'), arr('y'));
          return out(p.W1, p.b1, p.W2, p.b2);
        };
      }
      case 'jvp_tanh_matmul': {
        const f = (x: any, W: any) => np.tanh(np.matmul(x, W));
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
        const g = grad(grad((x: any) => x.ref.mul(np.tanh(x))));
        return () => out(g(arr('x')));
      }
      case 'hvp_tanh': {
        const f = (x: any, A: any) => np.sum(np.tanh(np.matmul(A, x)));
        const gf = grad(f);
        return () => {
          const A = arr('A');
          const [g, hv] = jvp((x: any) => gf(x, A.ref), [arr('x')], [arr('v')]);
          g.dispose();
          A.dispose();
          return out(hv);
        };
      }
      default:
        return { na: `no ${id} on jax-js` };
    }
  };

  return {
    name: 'jax-js',
    async init() {
      // Node 20 has no Float16Array; jax-js's array constructor tests `instanceof Float16Array`.
      if (typeof (globalThis as any).Float16Array === 'undefined') {
        const { Float16Array } = await import('@petamoriken/float16');
        (globalThis as any).Float16Array = Float16Array;
      }
      jax = await import('@jax-js/jax');
      const devices: string[] = await jax.init('wasm');
      if (!devices.includes('wasm')) throw new Error(`init('wasm') gave devices [${devices}]`);
      jax.defaultDevice('wasm');
      const req = createRequire(import.meta.url);
      const main = req.resolve('@jax-js/jax');
      const version = JSON.parse(readFileSync(join(dirname(main), '..', 'package.json'), 'utf8')).version;
      const threads = typeof (globalThis as any).Worker === 'undefined' ? '1 thread (no Worker on Node)' : 'Web Workers';
      return `@jax-js/jax ${version} (device wasm, ${threads}, eager unless noted)`;
    },
    prepare: (id, inp) => build(id, inp, false),
    extras: [
      { id: 'logreg_grad', label: 'grad logistic regression, under jit', kind: 'jit', prepare: (inp) => build('logreg_grad', inp, true) },
      { id: 'mlp_grad', label: 'grad MLP, under jit', kind: 'jit', prepare: (inp) => build('mlp_grad', inp, true) },
      ...JITTED_CASES.map((id) => ({ id, label: `${id}, under jit`, kind: 'jit' as const, prepare: (inp: Inputs) => build(id, inp, true) })),
      ...JITTED_JACOBIAN_CASES.map((id) => ({ id, label: `${id}, under jit`, kind: 'jit' as const, prepare: (inp: Inputs) => build(id, inp, true) })),
    ],
  };
}

/** Issue 10's e and f under jax-js's jit (its a-d are the Jacobian cases below). */
const JITTED_CASES: CaseId[] = ['mlp_xent_grad', 'mlp_sgd_step', 'matmul_f32_512', 'matmul_f32_1024', 'exp_1m', 'rnn_grad'];

const JITTED_JACOBIAN_CASES: CaseId[] = [
  'hvp_tanh2_30x40', 'jacfwd_32_2048', 'jacrev_32_2048', 'jacfwd_2048_32', 'jacrev_2048_32', 'hessian_16', 'vmap_hessian_64',
];

/**
 * Issue 9's cases on jax-js. Its jacfwd, jacrev and hessian take a function of one Array (so W
 * and b are closed over, each use a `.ref`), and its hessian needs a scalar f: the Hessian of
 * the map is jacfwd(jacrev(f)), JAX's definition. Under jit, W and b are arguments of the jitted
 * function, so one compilation serves every call.
 */
function jacobianCase(jax: any, id: CaseId, inp: Inputs, jitted: boolean): Prepared | undefined {
  const { numpy: np, grad, jvp, vjp, vmap, jacfwd, jacrev, jit } = jax;
  const arr = (name: string) => np.array(inp[name].data, { shape: inp[name].shape, dtype: np.float32 });
  const out = (...xs: any[]): Typed[] => xs.map((x) => x.dataSync() as Typed);
  const predict = (W: any, b: any) => (x: any) => np.tanh(np.matmul(W.ref, x).add(b.ref));
  /** body(W, b, x) as called: jitted once, or eagerly with W and b freed after the call. */
  const withWb = (body: (W: any, b: any, x: any) => any) => {
    if (jitted) {
      const f = jit(body);
      return () => out(f(arr('W'), arr('b'), arr('x')));
    }
    return () => {
      const W = arr('W'), b = arr('b');
      const r = body(W, b, arr('x'));
      W.dispose(); b.dispose();
      return out(r);
    };
  };
  switch (id) {
    case 'hvp_tanh2_30x40': {
      const f = (x: any) => np.sum(np.square(np.tanh(x)));
      if (jitted) {
        const h = jit((x: any, v: any) => jvp(grad(f), [x], [v])[1]);
        return () => out(h(arr('X'), arr('V')));
      }
      return () => {
        const [g, hv] = jvp(grad(f), [arr('X')], [arr('V')]);
        g.dispose();
        return out(hv);
      };
    }
    case 'jacfwd_32_2048': case 'jacfwd_2048_32': case 'jacrev_32_2048': case 'jacrev_2048_32': {
      const jac = id.startsWith('jacfwd') ? jacfwd : jacrev;
      return withWb((W, b, x) => jac(predict(W, b))(x));
    }
    case 'hessian_16':
      return withWb((W, b, x) => jacfwd(jacrev(predict(W, b)))(x));
    case 'vmap_hessian_64':
      return withWb((W, b, x) => vmap(jacfwd(jacrev(predict(W, b))))(x));
    case 'vmap_pullback': {
      const W = arr('W'), b = arr('b');
      const [y, pullback] = vjp(predict(W, b), [arr('x')]);
      y.dispose();
      return () => out(vmap(pullback)(arr('U'))[0]);
    }
    case 'eager_pullback_math':
      return { na: 'cotangent-only comparison (vmapped pullback vs eager)' };
    case 'mjp_loop_128': case 'mjp_vmap_128': {
      const U = inp.U.data, K = inp.U.shape[0];
      return () => {
        const X = arr('inputs'), b = arr('b');
        const f = (W: any) => np.tanh(np.dot(X.ref, W).add(b.ref).div(2)).add(1).mul(0.5);
        const [y, vjpFun] = vjp(f, [arr('W')]);
        y.dispose();
        let r: any;
        if (id === 'mjp_vmap_128') r = vmap(vjpFun)(arr('U'))[0];
        else r = np.stack(Array.from({ length: K }, (_, i) => vjpFun(np.array(U.subarray(i * 4, i * 4 + 4), { dtype: np.float32 }))[0]));
        vjpFun.dispose();
        X.dispose(); b.dispose();
        return out(r);
      };
    }
    default:
      return undefined;
  }
}
