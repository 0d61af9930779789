// helper-256's probe of deep and mixed transform nesting (third and fourth order): no defect
// found; these pin the representative cases. References: mpmath 1.3 (mp.diff at 40 digits, on a
// Python replica of each function) or closed forms, as noted per test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, grad, jvp, vjp, linearize, jacfwd, jacrev, hessian, vmap, jit, customVjp, customJvp } from '../ts/index.ts';

const N = np as any, L = lax as any;
const f64 = (v: any) => np.array(v, { dtype: 'float64' });
const flat = (v: any): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);
function close(got: any, exp: any, tol: number, what: string) {
  const g = flat(typeof got === 'number' ? got : got.tolist()), e = flat(exp);
  assert.equal(g.length, e.length, what);
  g.forEach((v, i) => assert.ok(Math.abs(v - e[i]) <= tol * (1 + Math.abs(e[i])), `${what}[${i}]: ${v} vs ${e[i]}`));
}

test('perturbation confusion (Siskind-Pearlmutter) with grad, jvp, vjp, linearize, jit, vmap', () => {
  const x1 = f64(1), y3 = f64(3), one = f64(1);
  // d/dx [x * d/dy (x + y)] = 1
  close(grad((x: any) => np.multiply(x, grad((y: any) => np.add(x, y))(y3)))(x1), 1, 0, 'grad');
  close(jvp((x: any) => np.multiply(x, jvp((y: any) => np.add(x, y), [y3], [one])[1]), [x1], [one])[1], 1, 0, 'jvp');
  close(vjp((x: any) => np.multiply(x, vjp((y: any) => np.add(x, y), y3)[1](one)[0]), x1)[1](one)[0], 1, 0, 'vjp');
  close(linearize((x: any) => np.multiply(x, linearize((y: any) => np.add(x, y), y3)[1](one)), x1)[1](one), 1, 0, 'linearize');
  close(jit(grad((x: any) => np.multiply(x, jit(grad((y: any) => np.add(x, y)))(y3))))(x1), 1, 0, 'jit');
  close(vmap(grad((x: any) => np.multiply(x, grad((y: any) => np.add(x, y))(y3))))(f64([1, 2])), [1, 1], 0, 'vmap');
  // d/dx [x * d/dy (x y^2)] at y=3 = d/dx (6 x^2) = 12x = 18 at x = 1.5
  close(grad((x: any) => np.multiply(x, grad((y: any) => np.multiply(x, np.multiply(y, y)))(y3)))(f64(1.5)), 18, 1e-15, 'SP x y^2');
  // d/dw d^3/dx^3 sin(w x) = -3w^2 cos(wx) + w^3 x sin(wx), w=2, x=0.5 (closed form)
  const ref = -12 * Math.cos(1) + 4 * Math.sin(1);
  const inner = (w: any) => grad(grad(grad((x: any) => np.sin(np.multiply(w, x)))))(f64(0.5));
  close(grad(inner)(f64(2)), ref, 1e-12, 'grad_w ggg_x');
  close(jit(grad((w: any) => jit(grad(grad(grad((x: any) => np.sin(np.multiply(w, x))))))(f64(0.5))))(f64(2)), ref, 1e-12, 'jit');
  close(jvp(inner, [f64(2)], [one])[1], ref, 1e-12, 'jvp_w');
});

test('third-order tensor of softmax cross-entropy: all 8 jacfwd/jacrev orders, eager and jit, f64 and f32', () => {
  // mpmath mp.diff of logsumexp(x) - y.x at x = [0.3, -0.4, 0.9], y = [0.2, 0.5, 0.3]
  const T = [[[0.0836540730603648, -0.01791577597553207, -0.06573829708483274], [-0.01791577597553207, -0.03159445475034149, 0.04951023072587356], [-0.06573829708483274, 0.04951023072587356, 0.016228066358959178]], [[-0.01791577597553207, -0.03159445475034149, 0.04951023072587356], [-0.03159445475034149, 0.08916330473902595, -0.05756884998868446], [0.04951023072587356, -0.05756884998868446, 0.008058619262810896]], [[-0.06573829708483274, 0.04951023072587356, 0.016228066358959178], [0.04951023072587356, -0.05756884998868446, 0.008058619262810896], [0.016228066358959178, 0.008058619262810896, -0.024286685621770075]]];
  const J: any = { f: jacfwd, r: jacrev };
  for (const dtype of ['float64', 'float32'] as const) {
    const tol = dtype === 'float64' ? 1e-12 : 3e-6;
    const y = np.array([0.2, 0.5, 0.3], { dtype }), x0 = np.array([0.3, -0.4, 0.9], { dtype });
    const ce = (x: any) => np.negative(np.sum(np.multiply(y, N.logSoftmax(x))));
    for (const a of 'fr') for (const b of 'fr') for (const c of 'fr') {
      const t3 = J[a](J[b](J[c](ce)));
      for (const [tag, out] of [['', t3(x0)], [' jit', jit(t3)(x0)]] as const) {
        assert.equal(out.dtype, dtype); assert.deepEqual(out.shape, [3, 3, 3]);
        close(out, T, tol, `${dtype} ${a}${b}${c}${tag}`);
      }
    }
    close(hessian(grad(ce))(x0), T, tol, `${dtype} hessian(grad)`);
    close(vmap((v: any) => jvp(hessian(ce), [x0], [v])[1])(np.eye(3, { dtype } as any)), T, tol, `${dtype} vmap(jvp(hessian))`);
  }
});

test('control flow and custom rules inside third-order derivatives, eager and jit', () => {
  // mpmath mp.diff(f, 0.8, 3) of the Python replicas in the comments
  const aks = f64([0.3, -0.7, 1.1, 0.5]);
  const cases: [string, (x: any) => any, number, number][] = [
    // c = 1; for a in aks: c = c cos(a x) + sin(c) x
    ['scan', (x) => L.scan((c: any, a: any) => [np.add(np.multiply(c, np.cos(np.multiply(a, x))), np.multiply(np.sin(c), x)), null], np.onesLike(x), aks)[0], 0.8, 4.244350254653592],
    // x > 0.5 ? sin(x) x^2 : exp(x)
    ['cond', (x) => L.cond(np.greater(x, 0.5), (z: any) => np.multiply(np.sin(z), np.multiply(z, z)), np.exp, x), 0.8, 0.2910387257830974],
    // c = x; 3 times: c = tanh(c) x + c/2
    ['fori', (x) => L.foriLoop(0, 3, (_i: any, c: any) => np.add(np.multiply(np.tanh(c), x), np.multiply(c, 0.5)), x), 0.8, -8.989374706300254],
    // c = 1; 70 times: c = c x + 0.01 sin(c)  (a scan row under jit)
    ['fori70', (x) => L.foriLoop(0, 70, (_i: any, c: any) => np.add(np.multiply(c, x), np.multiply(np.sin(c), 0.01)), np.onesLike(x)), 1.01, 512449.0391380947],
    // c = 0.2; 70 times: c = c > 0 ? c x - 0.3 : sin(c) + x  (a cond in a scan row under jit)
    ['condloop', (x) => L.foriLoop(0, 70, (_i: any, c: any) => L.cond(np.greater(c, 0), (z: any) => np.subtract(np.multiply(z, x), 0.3), (z: any) => np.add(np.sin(z), x), c), np.multiply(np.onesLike(x), 0.2)), 0.6, 99.20774357521634],
    // softplus'''(x) = s(1-s)(1-2s), s = sigmoid(x): customVjp with a residual, and customJvp
    ['customVjp', customVjp((x: any) => N.logaddexp(0, x), (x: any) => [N.logaddexp(0, x), N.sigmoid(x)], (r: any, g: any) => [np.multiply(r, g)]), 0.8, -0.08127476720921596],
    ['customJvp', customJvp((x: any) => N.logaddexp(0, x), (p: any[], t: any[]) => [N.logaddexp(0, p[0]), np.multiply(N.sigmoid(p[0]), t[0])]), 0.8, -0.08127476720921596],
  ];
  for (const [name, f, x, ref] of cases) {
    const xs = f64(x);
    close(grad(grad(grad(f)))(xs), ref, 1e-9, `${name} ggg`);
    close(jit(grad(grad(grad(f))))(xs), ref, 1e-9, `${name} jit(ggg)`);
    close(grad(jit(grad(grad(f))))(xs), ref, 1e-9, `${name} grad(jit(gg))`);
    close(jit(vmap(grad(grad(grad(f)))))(np.stack([xs, xs])), [ref, ref], 1e-9, `${name} jit(vmap(ggg))`);
    close(jit(hessian(grad(f)))(xs), ref, 1e-9, `${name} jit(hessian(grad))`);
    close(vjp((y: any) => jvp(grad(f), [y], [f64(1)])[1], xs)[1](f64(1))[0], ref, 1e-9, `${name} vjp(jvp(grad))`);
    if (name !== 'customVjp') close(jit(jacfwd(jacfwd(jacfwd(f))))(xs), ref, 1e-9, `${name} jit(fff)`);
  }
});
