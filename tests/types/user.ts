// Type-checked by tests/types.test.ts as a user would: strict, nodenext, against dist/types.
import { np, grad, valueAndGrad, jvp, vjp, linearize, checkGrads, CotangentError, type DType } from 'cotangent';
const x = np.array([1, 2, 3], { dtype: 'float64' as DType });
const g = grad((v: any) => np.sum(np.tanh(v)))(x);
const s: number[] = g.shape;
const [val, gr] = valueAndGrad((v: any) => np.sum(v))(x);
const [y, t] = jvp(np.sin, [x], [x]);
const [out, pb] = vjp(np.sin, x);
const cts = pb(out);
const [yl, jf] = linearize(np.exp, x);
checkGrads(np.sin, [x], { order: 2 });
try { np.add(x, np.ones([2])); } catch (e) { if (e instanceof CotangentError) console.log(e.message); }
console.log(s, String(val), String(gr), String(y), String(t), String(cts[0]), String(yl), String(jf(x)));
