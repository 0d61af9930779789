// A TypeScript user's loops reassign Arrays: an op's result, or a function's typed `Array`, goes
// back into a variable that a creator (or astype) first gave a precise dtype. Each must compile.
import { np, grad, tree, type Array } from 'cotangent';

let w = np.zeros([3]);
w = np.add(w, 1);
let x = np.array([1, 2], { dtype: 'float64' });
for (let i = 0; i < 3; i++) x = np.subtract(x, np.divide(np.subtract(np.square(x), 2), np.multiply(2, x))); // Newton
const step = (v: Array): Array => np.multiply(v, 2);
w = step(w);
x = step(x);
let y = x.astype('float32');
y = np.exp(y);
let p = { W: np.ones([2, 2]), b: np.zeros([2]) };
const loss = (q: { W: Array; b: Array }) => np.sum(np.tanh(np.add(q.W, q.b)));
for (let i = 0; i < 3; i++) {
  const g = grad(loss)(p);
  p = { W: np.subtract(p.W, np.multiply(0.1, g.W)), b: np.subtract(p.b, np.multiply(0.1, g.b)) };
  p = tree.map((a: Array, b: Array) => np.subtract(a, b), p, g);
}
// a literal dtype stays known where it was given
const d: 'float64' = np.zeros([1], { dtype: 'float64' }).dtype;
const e: 'float32' = np.ones([2]).dtype;
export { w, x, y, p, d, e };
