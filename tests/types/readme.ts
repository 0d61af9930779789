// The README's examples, type-checked strictly by tests/types.test.ts (declarations stand in
// for the data the README leaves out).
import { np, grad, vjp, type Array } from 'cotangent';

declare const X: Array, W: Array, b: Array, x: Array;

grad(grad(grad(np.tanh)))(2.0);            // 0.25265405 (float32, like JAX)
const loss = (W: Array, b: Array) => np.sum(np.tanh(np.add(np.dot(X, W), b)));
const [dW, db] = grad(loss, { argnums: [0, 1] })(W, b);   // typed [Array, Array]
const [y, pullback] = vjp(np.sin, x);      // pullback(ct) -> [ct_x], reusable

// "JS control flow vs JS arithmetic": the documented spellings compile.
const f = (v: Array) => (+v < 3 ? np.sin(v) : np.cos(v));
const g = (v: Array) => (Number(v) < 3 ? np.array(1) : np.sin(v));
export const used: Array[] = [dW, db, y, ...pullback(1), grad(f)(1), grad(g)(1)];
