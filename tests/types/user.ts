// Type-checked by tests/types.test.ts as a user would: strict, nodenext, against dist/types.
import { np, grad, valueAndGrad, jvp, vjp, linearize, checkGrads, CotangentError, type DType, type NDArray } from 'cotangent';
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

// numpy breadth (np_more.ts, np_data_dependent.ts): unique is one Array, or a list with a return flag
const uq: NDArray = np.unique(np.array([3, 1, 3]));
const [uv, uc]: NDArray[] = np.unique(np.array([3, 1, 3]), { returnCounts: true, size: 3 });
const nz: NDArray[] = np.nonzero(np.array([[0, 1]]), { size: 2, fillValue: [0, -1] });
const [hc, he]: NDArray[] = np.histogram(np.array([1, 2, 3]), { bins: 2, range: [0, 3] });
const picks: NDArray = np.choose(np.array([0, 1], { dtype: 'int32' }), [np.zeros([2]), np.ones([2])], 'clip');
const r9: NDArray = np.rot90(np.eye(2), -1, { axes: [1, 0] });
console.log(uq, uv, uc, nz, hc, he, picks, r9, np.geomspace(1, 8, 4, { endpoint: false }), np.bincount(np.array([1], { dtype: 'int32' }), { length: 3 }));
