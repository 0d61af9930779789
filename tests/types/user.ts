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
// jax.Array's methods, typed: x.T, x.reshape(...), reductions with their options objects, astype's dtype
const m = np.array([[1, 2], [3, 4]]);
const mt: number[] = m.T.reshape(4).shape;
const red: number = m.sum({ axis: 0 }).max().item() as number;
const f64: 'float64' = m.astype('float64').dtype;
const nb: number = m.nbytes + m.itemsize;
console.log(mt, red, f64, nb, String(m.mT.flatten().cumsum()), String(m.real), String(m.transpose([1, 0]).dot(m)));
