// Type tests of the transforms (tests/types.test.ts compiles this strictly against dist/types).
// Every `@ts-expect-error` line must fail to compile: an unused directive is itself an error,
// so a type hole that lets a wrong use through fails the test.
import { np, lax, grad, valueAndGrad, jvp, vjp, vjpWithAux, linearize, linearizeWithAux, vmap, jit, tree, stopGradient, type Array, type ArrayInput, type GradOptions } from 'cotangent';

const x = np.ones([3]);
const loss = (a: Array, b: Array): Array => np.sum(np.multiply(a, b));

// grad keeps the parameters (Arrays loosen to ArrayInput) and returns the argument's type.
const g1: (a: ArrayInput, b: ArrayInput) => Array = grad(loss);
const ga: Array = grad(loss)(x, [1, 2, 3]);
const [gA, gB]: [Array, Array] = grad(loss, { argnums: [0, 1] })(x, x);
const gb: Array = grad(loss, { argnums: 1 })(x, 2);
// @ts-expect-error: one argument short
grad(loss)(x);
// @ts-expect-error: a string is not an Array input
grad(loss)(x, 'abc');
// @ts-expect-error: argnums 2 does not exist for a function of two parameters
grad(loss, { argnums: 2 });
// @ts-expect-error: argnums [0, 1] gives a tuple, not an Array
const notArray: Array = grad(loss, { argnums: [0, 1] })(x, x);
// @ts-expect-error: misspelled option
grad(loss, { argnum: 0 });
// JAX's positional argnums
const gp1: Array = grad(loss, 1)(x, x);
const [gp0, gp1b]: [Array, Array] = grad(loss, [0, 1])(x, x);
const [vp, gvp]: [Array, Array] = valueAndGrad(loss, 1)(x, x);
// JAX's negative argnums count from the end: -1 is the last parameter (its type, here a pytree).
const neg = (a: Array, p: { W: Array }): Array => np.sum(np.multiply(a, p.W));
const gn: { W: Array } = grad(neg, { argnums: -1 })(x, { W: x });
const [gn0, gn1]: [Array, { W: Array }] = grad(neg, [-2, -1])(x, { W: x });
const [vn, gvn]: [Array, { W: Array }] = valueAndGrad(neg, -1)(x, { W: x });
// @ts-expect-error: argnums -1 is the pytree, not an Array
const negNotArray: Array = grad(neg, -1)(x, { W: x });
// @ts-expect-error: argnums -3 does not exist for a function of two parameters
grad(neg, { argnums: -3 });
// @ts-expect-error: positional argnums 2 does not exist either
grad(loss, 2);
// @ts-expect-error: positional argnums [0, 1] gives a tuple, not an Array
const notArray2: Array = grad(loss, [0, 1])(x, x);
// JAX's positional hasAux (and holomorphic): [grad, aux], [[value, aux], grad]
const withAuxP = (a: Array, b: Array): [Array, { n: Array }] => [np.sum(np.multiply(a, b)), { n: a }];
const [gAux, auxP]: [Array, { n: Array }] = grad(withAuxP, 1, true)(x, x);
const [[vAux, auxV], gAux2]: [[Array, { n: Array }], Array] = valueAndGrad(withAuxP, 0, true, false)(x, x);
const gNoAux: Array = grad(loss, 0, false)(x, x);
// @ts-expect-error: with hasAux the result is [grad, aux], not an Array
const auxNotArray: Array = grad(withAuxP, 1, true)(x, x);

// Pytree parameters: the gradient has the parameter's structure.
const mlp = (p: { W: Array; b: Array }, input: Array): Array => np.sum(np.add(np.dot(input, p.W), p.b));
const gp: { W: Array; b: Array } = grad(mlp)({ W: np.ones([3, 2]), b: np.zeros([2]) }, x);
// @ts-expect-error: the gradient has no field c
grad(mlp)({ W: x, b: x }, x).c;
// An interface (no index signature) is a tree too: its number field's gradient is an Array.
interface Scaled { W: Array; scale: number }
const gi = grad((p: Scaled): Array => np.sum(np.multiply(p.W, p.scale)))({ W: x, scale: 3 });
const giScale: Array = gi.scale;
const scaled: Scaled = { W: x, scale: 3 };
const scaledLeaves = tree.leaves(scaled); tree.map((a: Array) => a, scaled); stopGradient(scaled);
const readonlyList: readonly Array[] = [x, x]; tree.leaves(readonlyList);

// hasAux: [gradient, aux], with the aux's own type.
const withAux = (a: Array): [Array, { n: number }] => [np.sum(a), { n: 3 }];
const [gx, aux] = grad(withAux, { hasAux: true })(x);
const n: number = aux.n;
const gx2: Array = gx;
const [[value, aux2], gv] = valueAndGrad(withAux, { hasAux: true })(x);
const v2: Array = value; const n2: number = aux2.n; const gv2: Array = gv;
const [val, gval]: [Array, Array] = valueAndGrad(loss)(x, x);
// hasAux known only at run time: either shape (it was typed as the no-aux one)
declare const useAux: boolean;
const either = grad(withAux, { hasAux: useAux })(x);
// @ts-expect-error: may be [gradient, aux], not an Array
const notSure: Array = either;
const eitherOk: Array | [Array, { n: number }] = either;

// vmap: a JS number output comes back as an Array (broadcast over the batch), as JAX's
const vmapped: Array = vmap((_a: Array) => 3)(x);

// jvp, vjp, linearize
const [y, t]: [Array, Array] = jvp(np.sin, [x], [x]);
// @ts-expect-error: two primals for a one-argument function
jvp(np.sin, [x, x], [x, x]);
const [out, pullback] = vjp(loss, x, x);
const [ca, cb]: [Array, Array] = pullback(1);
// @ts-expect-error: the pullback gives one cotangent per primal (two), not three
const [c1, c2, c3]: [Array, Array, Array] = pullback(1);
const [yl, jf] = linearize(loss, x, x);
const tl: Array = jf(x, x);
// @ts-expect-error: linearize's jvpFn takes one tangent per primal
jf(x);
const [yo, pb, ax] = vjpWithAux(withAux, x);
const nn: number = ax.n;
const [yla, jfa, axl] = linearizeWithAux(withAux, x);
const tla: Array = jfa(x);
const nl: number = axl.n;
// @ts-expect-error: linearizeWithAux's jvpFn takes one tangent per primal
jfa(x, x);

// valueOf-based control flow compiles in its documented spellings.
const h = grad((a: Array) => (Number(a) < 3 ? np.sin(a) : np.cos(a)));
const h2 = grad((a: Array) => (+a < 3 ? np.sin(a) : np.cos(a)));

// jvp with { hasAux: true }: [output, tangent, aux], the aux typed as f returned it
const [ja, jt, jaux] = jvp((a: Array) => [np.sin(a), { c: np.cos(a), k: 3 }] as const, [x], [x], { hasAux: true });
const jac: Array = jaux.c, jak: number = jaux.k, jay: Array = ja, jat: Array = jt;
// @ts-expect-error: the aux has no key z
jaux.z;

// options held in a GradOptions variable, argnums a plain number: accepted (loosely typed)
const gopts: GradOptions = { hasAux: false };
const which: number = 0;
const gvo = grad((a: Array) => np.sum(a), gopts), gw = grad((a: Array, b: Array) => np.sum(np.multiply(a, b)), { argnums: which });

// dtype, size and shape are read-only (assigning them throws at run time too)
// @ts-expect-error: dtype is read-only
x.dtype = 'float64';
// @ts-expect-error: shape is read-only
x.shape = [1, 2];

// readonly shapes, axes and lists (as const, or a readonly parameter) are accepted
const shapeRO = [2, 3] as const, axesRO: readonly number[] = [1, 0];
const ro = np.transpose(np.reshape(np.zeros(shapeRO), shapeRO), axesRO);
const roSum = np.sum(ro, [0, 1] as const), roCat = np.concatenate([ro, ro] as const), roStack = np.stack([ro, ro] as readonly Array[]);
const roB = np.broadcastTo(np.ones([3]), [2, 3] as const), roFull = np.full(shapeRO, 1);

// jit and vmap take JS numbers and lists where the function takes Arrays, as grad does
const jl = jit((a: Array) => np.sum(a))([1, 2, 3]), js = jit((a: Array) => np.sin(a))(2.0);
const vs = vmap((a: Array, s: Array) => np.multiply(a, s), [0, null])(np.ones([4, 2]), 2.0);

export const used = [ro, roSum, roCat, roStack, roB, roFull, jl, js, vs, gvo, gw, g1, ga, gA, gB, gb, notArray, gp, n, gx2, v2, n2, gv2, val, gval, y, t, out, ca, cb, c1, c2, c3, yl, tl, yo, pb, nn, h, h2,
  jac, jak, jay, jat];

// The derivative operators: divergence and laplacian give an Array, the diagonals the argument's type.
import { divergence, jacobianDiagonal, laplacian, hessianDiagonal, gnvp, hutchinson, random } from 'cotangent';
const field = (a: Array): Array => np.sin(a);
const dv: Array = divergence(field)(x);
const jd: Array = jacobianDiagonal(field)(x);
const lp: Array = laplacian((a: Array) => np.sum(a))(x);
const hd: { W: Array } = hessianDiagonal(neg, { argnums: 1 })(x, { W: x });
const hd1: { W: Array } = hessianDiagonal(neg, 1)(x, { W: x });
const dv1: Array = divergence((t: Array, a: Array) => np.multiply(t, a), 1)(x, [1, 2, 3]);
// @ts-expect-error: argnums 2 does not exist for a function of two parameters
divergence(loss, { argnums: 2 });
// @ts-expect-error: the diagonal of argument 1 is { W }, not an Array
const hdWrong: Array = hessianDiagonal(neg, 1)(x, { W: x });
const hu: Array = hutchinson(field, { probes: 4, key: random.key(0), method: 'hutchpp', noise: 'gaussian' })(x);
// @ts-expect-error: a key is required
hutchinson(field, { probes: 4 });
// @ts-expect-error: no such method
hutchinson(field, { probes: 4, key: random.key(0), method: 'xtrace' });
const gnv: Array = gnvp(field, (z: Array) => np.sum(z))(x, x);
const gnTree: { W: Array } = gnvp((p: { W: Array }) => p.W, (z: Array) => np.sum(z))({ W: x }, { W: x });
// @ts-expect-error: gnvp's result is shaped like x ({ W }), not an Array
const gnWrong: Array = gnvp((p: { W: Array }) => p.W, (z: Array) => np.sum(z))({ W: x }, { W: x });

// jacfwd, jacrev and hessian: for f of one Array output, the blocks arranged as the differentiated
// arguments (grad's structure); a tree of outputs is typed loosely. (They returned any.)
import { jacfwd, jacrev, hessian } from 'cotangent';
const jf1: Array = jacfwd((a: Array) => np.sin(a))(x);
const jr2: [Array, Array] = jacrev((a: Array, b: Array) => np.multiply(a, b), { argnums: [0, 1] })(x, x);
const jfPos: Array = jacfwd((a: Array, b: Array) => np.multiply(a, b), 1)(x, [1, 2, 3]);
const jrTree: { W: Array } = jacrev((p: { W: Array }) => np.sin(p.W))({ W: x });
const [jaux1, jauxAux]: [Array, string] = jacfwd((a: Array): [Array, string] => [np.sin(a), 'note'], { hasAux: true })(x);
const [jaux2, jauxAux2]: [Array, number] = jacrev((a: Array): [Array, number] => [np.sin(a), 1], 0, true)(x);
const hs: Array = hessian((a: Array) => np.sum(np.sin(a)))(x);
const hsTree = hessian((p: { W: Array }) => np.sum(p.W))({ W: x }); // (nested trees: loose)
const jOutTree = jacfwd((a: Array) => ({ s: np.sin(a), c: np.cos(a) }))(x); // (a tree of outputs: loose)
// @ts-expect-error: the Jacobian of a tree argument { W } is { W }, not an Array
const jWrong: Array = jacrev((p: { W: Array }) => np.sin(p.W))({ W: x });
// @ts-expect-error: argnums [0, 1] gives a pair
const jWrong2: Array = jacfwd((a: Array, b: Array) => np.multiply(a, b), { argnums: [0, 1] })(x, x);
export const usedJac = [jf1, jr2, jfPos, jrTree, jaux1, jauxAux, jaux2, jauxAux2, hs, hsTree, jOutTree, jWrong, jWrong2];

// tree.map keeps the tree's structure, each leaf f's result (it returned any): an SGD update keeps the params' type
type Params = { W: Array; b: Array; layers: [Array, Array] };
const params: Params = { W: x, b: x, layers: [x, x] };
const grads: Params = params;
const stepped: Params = tree.map((p: Array, g: Array) => np.subtract(p, np.multiply(0.1, g)), params, grads);
const counts: { W: number; b: number; layers: [number, number] } = tree.map((p: Array) => p.size, params);
const withNull: { a: Array; skip: null } = tree.map((p: Array) => np.sin(p), { a: x, skip: null });
// @ts-expect-error: the leaves are numbers here, not Arrays
const countsWrong: Params = tree.map((p: Array) => p.size, params);
export const usedTree = [stepped, counts, withNull, countsWrong];

// Loop carries: a JS-number init is JAX's habit; the body gets and returns the number or an Array
// (it was a type error: C inferred as number met the body's Array). An Array init stays an Array.
const loopSum: number | Array = lax.foriLoop(0, 5, (i, acc) => np.add(acc, i), 0);
const loopCount = lax.whileLoop((c) => np.less(c, 10), (c) => np.add(c, 1), 0);
const [scanCarry] = lax.scan((carry, xi: Array) => [np.add(carry, xi), carry], 0, np.arange(3));
const loopArray: Array = lax.foriLoop(0, 5, (i, acc) => np.add(acc, i), np.zeros([3]));
const [pairS, pairT] = lax.foriLoop(0, 3, (i, [s, t]) => [np.add(s, i), np.multiply(t, 2)], [np.zeros([]), 1]);
const sArray: Array = pairS;
const loopObj = lax.foriLoop(0, 3, (i, o) => ({ w: np.add(o.w, 1), n: o.n }), { w: np.zeros([2]), n: 3 });
const wArray: Array = loopObj.w;
// @ts-expect-error: the body must return the carry's tree (a bare number for a pair)
lax.foriLoop(0, 3, (i, c) => 1, [np.zeros([]), 1]);
export { loopSum, loopCount, scanCarry, loopArray, pairT, sArray, wArray };
