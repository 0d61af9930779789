// item() is typed by dtype where the type system knows the dtype (np.array / zeros / ones / full
// / astype with a literal dtype); elsewhere it is the union. Each @ts-expect-error must fail.
import { np } from 'cotangent';

const b: boolean = np.array([true, false], { dtype: 'bool' }).item();
const f: number = np.zeros([], 'float64').item();
const i: number = np.astype(np.ones([1]), 'int32').item();
const z: { re: number; im: number } = np.array(new Float32Array([1, 2]), { dtype: 'complex64', shape: [] }).item();
const o: number = np.ones([]).item(); // float32 by default
// @ts-expect-error a bool array's item is a boolean, not a number
const bad1: number = np.full([], 1, { dtype: 'bool' }).item();
// @ts-expect-error a complex item is { re, im }
const bad2: number = np.zeros([], { dtype: 'complex128' }).item();
// @ts-expect-error the dtype of a computed Array is not known statically: the union
const bad3: number = np.add(np.ones([]), 1).item();
const u = np.add(np.ones([]), 1).item();
const ok: number = typeof u === 'number' ? u : Number.NaN;
export { b, f, i, z, o, bad1, bad2, bad3, ok };
