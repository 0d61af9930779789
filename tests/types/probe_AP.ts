// Type tests (helper-266): strict user snippets that run, checked by tests/probe_types_AP.test.ts
// against the sources (ts/index.ts mapped as 'cotangent'). An unused @ts-expect-error fails.
import { np, lax, random, customJvp, customVjp, checkGrads, hvp, jit, makeJaxpr, grad, type Array } from 'cotangent';

const x = np.array([1, 2, 3]);
const M = np.array([[2, 1], [1, 3]]);
const key = random.key(0);

// readonly lists are Array inputs and shapes (they run; they were type errors)
const ro = [1, 2, 3] as const, roList: readonly number[] = [1, 2, 3];
export const r1: Array = np.sin(ro), r2: Array = np.add(roList, 1), r3: Array = np.array([[1, 2], [3, 4]] as const);
export const r4: Array = random.normal(key, [3] as const), r5: Array = random.uniform(key, roList, { minval: 0 });
export const r6: Array = random.split(key, [2, 2] as const), r7: Array = random.bernoulli(key, 0.5, [3] as const);

// checkGrads: readonly modes run; a mode other than 'fwd'/'rev' throws, so it is a type error
const modes = ['fwd', 'rev'] as const;
checkGrads(np.sin, [x], { order: 1, modes });
checkGrads(np.sin, [x], 1, ['rev']);
// @ts-expect-error: 'reverse' is not a mode (checkGrads throws)
checkGrads(np.sin, [x], 1, ['reverse']);
// @ts-expect-error: not a mode in the options object either
checkGrads(np.sin, [x], { modes: ['forward'] });

// customJvp/customVjp functions take what f's transforms take (a JS list for an Array)
const cj = customJvp((a: Array) => np.sin(a), ([a], [t]) => [np.sin(a), np.multiply(np.cos(a), t)]);
export const cj1: Array = cj([1, 2]);
const cv = customVjp((a: Array) => np.sin(a), (a: Array) => [np.sin(a), a], (r: Array, g: Array) => [np.multiply(np.cos(r), g)]);
export const cv1: Array = cv([1, 2]);
// nondiffArgnums: the rule and bwd get the nondiff arguments first (they run; they were type errors)
const cn = customJvp((n: number, a: Array) => np.multiply(a, n), { nondiffArgnums: [0] });
cn.defjvp((n: number, [a]: Array[], [t]: Array[]) => [np.multiply(a, n), np.multiply(t, n)]);
const cvn = customVjp((n: number, a: Array) => np.multiply(a, n), { nondiffArgnums: 0 });
cvn.defvjp((n: number, a: Array) => [np.multiply(a, n), null], (n: number, _r: null, g: Array) => [np.multiply(g, n)]);
// @ts-expect-error: misspelled option
customJvp((a: Array) => a, { nondiff_argnums: [0] });

// lax.scan's ys and lax.map's results are stacked: a JS number y is an Array
const [carry, ys] = lax.scan((c: Array, xi: Array) => [np.add(c, xi), 1], np.zeros([]), x);
export const ysA: Array = ys, carryA: Array = carry;
const [, ysTree] = lax.scan((c: Array, xi: Array) => [c, { s: np.sin(xi), k: 2 }], np.zeros([]), x);
export const ysK: Array = ysTree.k;
// @ts-expect-error: ys of a number y is an Array, not a number
export const ysNum: number = lax.scan((c: Array, xi: Array) => [c, 1], np.zeros([]), x)[1];
const [, ysNull] = lax.scan((c: Array, _xi: Array) => [c, null], np.zeros([]), x);
export const ysN: null = ysNull;
export const mapped: Array = lax.map((r: Array) => 1, M);

// lax.cond and lax.switch are typed from their branches (they returned any)
export const cd: Array = lax.cond(true, (a: Array) => np.sin(a), (a: Array) => np.cos(a), x);
const cdTree = lax.cond(np.array(false), () => ({ s: x }), () => ({ s: np.cos(x) }));
export const cdS: Array = cdTree.s;
// @ts-expect-error: the branches give { s }: there is no t
cdTree.t;
export const sw: Array = lax.switch(1, [(a: Array) => np.sin(a), (a: Array) => np.cos(a)], x);
// a JS number branch value: as returned (concrete pred) or an Array (traced pred)
export const cdNum: number | Array = lax.cond(true, () => 1, () => 2);
// @ts-expect-error: under jit (a traced pred) it is an Array, so it is not typed number
export const cdNumOnly: number = lax.cond(true, () => 1, () => 2);

// hvp's result is shaped like x (it was any)
export const hv: Array = hvp((a: Array) => np.sum(np.sin(a)))(x, x);
export const hvTree: { w: Array } = hvp((p: { w: Array }) => np.sum(np.sin(p.w)))({ w: x }, { w: x });
// @ts-expect-error: the hvp of a { w } argument is { w }, not an Array
export const hvWrong: Array = hvp((p: { w: Array }) => np.sum(np.sin(p.w)))({ w: x }, { w: x });

// jit(f).lower(...) and makeJaxpr(f)(...) take JS lists where the jitted call does
export const lowered: string = jit((a: Array) => np.sin(a)).lower([1, 2, 3]).asText();
export const jaxpr: string = makeJaxpr((a: Array) => np.sin(a))([1, 2, 3]);
export const g: Array = grad((a: Array) => np.sum(np.sin(a)))(x);
