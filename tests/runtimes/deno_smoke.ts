// Run by tests/runtimes.test.ts under Deno: the bundle finds dist/cotangent.wasm by itself.
import { np, grad, vjp } from '../../dist/index.js';

const g3 = grad(grad(grad(np.tanh)))(np.array(2.0, { dtype: 'float64' }));
const [, pull] = vjp((x: any) => np.multiply(3, np.multiply(x, x)), np.ones([2, 2]));
console.log(JSON.stringify({ g3: g3.item(), vgrad: pull(np.ones([2, 2]))[0].tolist() }));
