// Composition: every ordered pair and triple of {grad, jvp, vjp, vmap, jacfwd, jacrev}, applied
// to float64 test functions with non-square and matrix-shaped inputs and outputs, agrees with the
// same composition built from references that use no transform at all: central finite
// differences for the derivative operators and a JS loop for vmap. Each operator maps a function
// of one Array to another function of one Array, so they nest in any order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, jvp, vjp, vmap, jacfwd, jacrev, NDArray } from '../ts/index.js';

type F = (x: NDArray) => NDArray;

/** Fixed weights shaped like `like` (contract an output to a scalar, or a tangent direction). */
function weights(like: NDArray, phase: number): NDArray {
  const n = like.size;
  const w = Float64Array.from({ length: n }, (_, i) => Math.cos(1.3 * i + phase));
  return np.array(w, { shape: like.shape });
}
const contract = (y: NDArray, w: NDArray) => np.sum(np.multiply(y, w));
const spread = (x: NDArray) => np.stack([x, np.add(np.multiply(x, 0.7), 0.05)]);

const LIB: Record<string, (f: F) => F> = {
  grad: (f) => (x) => grad((y: NDArray) => contract(f(y), weights(f(x), 0)))(x) as NDArray,
  jvp: (f) => (x) => jvp(f, [x], [weights(x, 1)])[1] as NDArray,
  vjp: (f) => (x) => { const [y, pb] = vjp(f, x); return pb(weights(y as NDArray, 2))[0] as NDArray; },
  vmap: (f) => (x) => vmap(f)(spread(x)) as NDArray,
  jacfwd: (f) => (x) => jacfwd(f)(x) as NDArray,
  jacrev: (f) => (x) => jacrev(f)(x) as NDArray,
};

// References: central differences with a step per nesting level, and a loop for vmap.
function fdJacobian(f: F, x: NDArray, h: number): NDArray {
  const base = Float64Array.from(x.dataSync() as Float64Array);
  const cols: NDArray[] = [];
  for (let i = 0; i < base.length; i++) {
    const p = base.slice(), m = base.slice();
    p[i] += h; m[i] -= h;
    const fp = f(np.array(p, { shape: x.shape })), fm = f(np.array(m, { shape: x.shape }));
    cols.push(np.divide(np.subtract(fp, fm), 2 * h));
  }
  const J = np.stack(cols, { axis: -1 }); // out ++ [n]
  return np.reshape(J, [...J.shape.slice(0, -1), ...x.shape]);
}
const REF: Record<string, (f: F, h: number) => F> = {
  grad: (f, h) => (x) => { const w = weights(f(x), 0); return fdJacobian((y) => contract(f(y), w), x, h); },
  jvp: (f, h) => (x) => {
    const v = weights(x, 1);
    return np.divide(np.subtract(f(np.add(x, np.multiply(v, h))), f(np.subtract(x, np.multiply(v, h)))), 2 * h);
  },
  vjp: (f, h) => (x) => { const w = weights(f(x), 2); return fdJacobian((y) => contract(f(y), w), x, h); },
  vmap: (f) => (x) => { const s = spread(x); return np.stack([f(s.get(0)), f(s.get(1))]); },
  jacfwd: (f, h) => (x) => fdJacobian(f, x, h),
  jacrev: (f, h) => (x) => fdJacobian(f, x, h),
};
// Steps for the innermost, middle and outermost derivative (an outer difference divides the
// inner one's error by its step, so steps grow outward).
const STEPS = [1e-5, 1e-3, 2e-2];

const FUNCTIONS: { name: string; f: F; x: () => NDArray }[] = [
  { // R^3 -> R^2, non-square
    name: 'R3->R2',
    f: (x) => np.stack([np.sum(np.multiply(np.sin(x), x)), np.add(np.tanh(np.multiply(x.get(0), x.get(1))), np.square(x.get(2)))]),
    x: () => np.array([0.3, -0.5, 0.8], { dtype: 'float64' }),
  },
  { // R^{2x2} -> R (matrix in, scalar out)
    name: 'R2x2->R',
    f: (x) => np.sum(np.exp(np.multiply(np.matmul(x, x), 0.3))),
    x: () => np.array([[0.2, -0.1], [0.4, 0.3]], { dtype: 'float64' }),
  },
];

function compose(table: Record<string, (f: F, h: number) => F>, names: string[], f: F): F {
  // names[0] is outermost; the innermost derivative gets the smallest step.
  let g = f, level = 0;
  for (let k = names.length - 1; k >= 0; k--) {
    g = table[names[k]](g, STEPS[level]);
    if (names[k] !== 'vmap') level++;
  }
  return g;
}

function check(names: string[], tol: number): void {
  for (const { name, f, x } of FUNCTIONS) {
    const got = compose(LIB as any, names, f)(x());
    const want = compose(REF, names, f)(x());
    assert.deepEqual(got.shape, want.shape, `${names.join('∘')} on ${name}: shape`);
    const g = got.dataSync(), w = want.dataSync();
    const scale = Math.max(1, ...Array.from(w, Math.abs));
    for (let i = 0; i < g.length; i++) {
      if (!(Math.abs(g[i] - w[i]) <= tol * scale)) {
        assert.fail(`${names.join('∘')} on ${name}: element ${i} is ${g[i]}, the reference ${w[i]} (shape [${got.shape}])`);
      }
    }
  }
}

const NAMES = Object.keys(LIB);
test('every ordered pair of {grad, jvp, vjp, vmap, jacfwd, jacrev} agrees with finite differences and loops', () => {
  for (const a of NAMES) for (const b of NAMES) check([a, b], 2e-5);
});
test('every ordered triple agrees with finite differences and loops', () => {
  for (const a of NAMES) for (const b of NAMES) for (const c of NAMES) check([a, b, c], 2e-3);
});
