// A corpus of bad inputs a new user's trial found accepted silently or failing as a JS TypeError:
// each is now a CotangentError naming the function (and the argument where there is one), and
// the next call works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, linalg, random, tree, stopGradient, makeJaxpr, grad, valueAndGrad, jacfwd, jacrev, hessian, hvp, jit, jvp, vjpWithAux, checkGrads, customJvp, GradientCheckError,
  CotangentError, ValueError, ShapeError, DTypeError, AxisError, OutOfMemoryError } from '../ts/index.ts';

const named = (f: () => unknown, kind: new (...a: any[]) => CotangentError, pattern: RegExp) =>
  assert.throws(f, (e: any) => e instanceof kind && pattern.test(e.message), String(pattern));

test('lax.full checks its shape, fill value and dtype (a shape of [2 ** 53] was a float32[0], undefined filled NaN)', () => {
  named(() => lax.full([2 ** 53], 1.5), ShapeError, /^lax\.full: shape \[9007199254740992\] has an axis/);
  named(() => lax.full([NaN], 1.5), ShapeError, /^lax\.full: invalid shape \[NaN\]/);
  named(() => lax.full([2.5], 1.5), ShapeError, /^lax\.full: invalid shape \[2\.5\]/);
  named(() => lax.full('abc' as any, 1.5), ShapeError, /^lax\.full: shape must be a list/);
  named(() => lax.full([2, 3], undefined as any), ValueError, /^lax\.full: the fill value must be a JS number or boolean, got undefined/);
  named(() => lax.full([2], 1.5, 'float16' as any), DTypeError, /^lax\.full: dtype must be one of/);
  named(() => lax.full([2], 1.5, { dtype: 'float64' } as any), DTypeError, /^lax\.full: dtype must be one of/);
  // JAX's default dtype: the fill's (float32 for a number, bool for a boolean)
  assert.equal(lax.full([2], 1).dtype, 'float32');
  assert.deepEqual(lax.full([2], true).tolist(), [true, true]);
  assert.deepEqual(lax.full([2], 2.5, 'float64').tolist(), [2.5, 2.5]);
});

test('lax.transpose takes a permutation, lax.reshape/broadcastInDim a shape, lax.concatenate Arrays (even one)', () => {
  const x = np.array([[1, 2, 3], [4, 5, 6]]);
  named(() => lax.transpose(x, []), ValueError, /^lax\.transpose: \[\] is not a permutation of the 2 axes of float32\[2,3\]/);
  named(() => lax.transpose(x, [0]), ValueError, /not a permutation/);
  named(() => lax.transpose(x, [0, 0]), ValueError, /not a permutation/);
  named(() => lax.transpose(x, [1, '0'] as any), ValueError, /^lax\.transpose: permutation must be a list of integers/);
  assert.deepEqual(lax.transpose(x, [1, 0]).shape, [3, 2]);
  named(() => lax.reshape(x, { length: 3, 0: 1, 1: 2, 2: 3 } as any), ShapeError, /^lax\.reshape: shape must be a list/);
  named(() => lax.broadcastInDim(np.array([1, 2]), [[1, 2], [3]] as any, [1]), ShapeError, /^lax\.broadcastInDim: invalid shape/);
  named(() => lax.concatenate(['a'] as any, 0), ValueError, /^lax\.concatenate: operand 0 is 'a' \(a string\), not an Array/);
  named(() => lax.concatenate([null] as any, 0), ValueError, /operand 0 is null, not an Array/);
  assert.equal(lax.concatenate([x], 0), x);
});

test('np.oneHot takes numbers: a string or null was class 0, a non-list a TypeError', () => {
  named(() => np.oneHot(['a'] as any, 4), DTypeError, /^np\.oneHot: unsupported element 'a'/);
  named(() => np.oneHot([null] as any, 4), DTypeError, /^np\.oneHot: unsupported element null/);
  named(() => np.oneHot('a' as any, 4), ValueError, /^np\.oneHot: x must be an Array, a JS number or a list of numbers/);
  named(() => np.oneHot(undefined as any, 4), ValueError, /^np\.oneHot: x must be/);
  named(() => np.oneHot([[1], [2, 3], []] as any, 4), ShapeError, /^np\.oneHot: ragged nested list/);
  named(() => np.oneHot([true] as any, 4), ValueError, /^np\.oneHot: x must hold numbers \(class indices\), got true/);
  // jax.nn.one_hot compares with arange: a non-integer is no class
  assert.deepEqual(np.oneHot([2.5, 1], 3).tolist(), [[0, 0, 0], [0, 1, 0]]);
  assert.deepEqual(np.oneHot([[0], [2]], 3).tolist(), [[[1, 0, 0]], [[0, 0, 1]]]);
});

test('arguments no check foresaw are ValueErrors naming the function and the arguments, not JS TypeErrors', () => {
  const v = np.array([1, 2, 3]), x = np.ones([3, 3]);
  named(() => np.integerPow(v, Symbol('n') as any), ValueError, /^np\.integerPow: cannot take the arguments \(an Array float32\[3\], Symbol\(n\) \(a symbol\)\)/);
  named(() => np.polygamma(Symbol() as any, v), DTypeError, /^np\.polygamma: argument 0 must be an Array, a number or nested lists, got Symbol\(\) \(a symbol\)/);
  named(() => tree.unflatten([Symbol()] as any, [1]), ValueError, /^tree\.unflatten: /);
  // (now foreseen: a list of numbers or int32 scalars, named as such)
  named(() => np.dynamicSlice(x, [[1, 2], [3]] as any, [1, 1]), ValueError, /^np\.dynamicSlice: lax\.dynamicSlice: starts must be a list of 2 JS integers or int32 scalars/);
  // (now foreseen: indices of another kind are named)
  named(() => np.take(v, null as any), DTypeError, /^np\.take: indices must be integers \(an int32 Array, a JS integer, a list or an integer typed array\), got null/);
  named(() => np.pad(v, null as any), ValueError, /^np\.pad: /);
  named(() => np.repeat(v, 'abc' as any), ValueError, /^np\.repeat: /);
  named(() => linalg.luSolve(undefined as any, v), ValueError, /^linalg\.luSolve: factors must be the pair \[lu, perm\] from linalg\.luFactor, got undefined/);
  named(() => tree.show({ kind: 'list' } as any), ValueError, /^tree\.show: /); // (a structure without its children)
  assert.deepEqual(np.add(np.arange(3), 1).tolist(), [1, 2, 3]); // and the library still works
});

test('a hasAux aux with a cycle comes back with its cycle (it overflowed the stack)', () => {
  const a: any[] = [1]; a.push(a);
  const [g, aux] = grad((w: any) => [np.sum(w), a], { hasAux: true })(np.ones([2]));
  assert.deepEqual(g.tolist(), [1, 1]);
  assert.equal(aux[0], 1);
  assert.equal(aux[1], aux);
  const [, , aux2] = vjpWithAux((w: any) => [np.sum(w), { a, self: null as unknown }], np.ones([2]));
  assert.equal(aux2.a[1], aux2.a);
});

test('random.permutation and random.choice of an integer check their axis (arange(x) has one)', () => {
  const k = random.key(0);
  named(() => random.permutation(k, 5, { axis: NaN }), AxisError, /^random\.permutation: axis NaN is out of bounds for an integer x/);
  named(() => random.permutation(k, 5, { axis: 99 }), AxisError, /axis 99/);
  named(() => random.choice(k, 5, [3], { axis: 2.5 }), AxisError, /^random\.choice: axis 2\.5/);
  assert.equal(random.permutation(k, 5, { axis: -1 }).shape[0], 5);
});

test('the transforms count their arguments; grad and the Jacobians take JAX\'s positional argnums', () => {
  named(() => hvp((w: any) => np.sum(w), { argnums: 1 } as any), ValueError, /^hvp: takes at most 1 argument \(f\), got 2/);
  // an options object then a positional argument (was 'takes at most 2 arguments (f, options)': JAX's positional has_aux is taken now)
  named(() => (grad as any)(np.sum, {}, 5), ValueError, /^grad: give argnums, hasAux, holomorphic in one options object or all positionally/);
  named(() => (jacrev as any)(np.sin, {}, 5), ValueError, /^jacrev: give argnums, hasAux, holomorphic in one options object/);
  named(() => (grad as any)(np.sum, 0, true, false, false), ValueError, /^grad: takes at most 4 arguments \(f, argnums, hasAux, holomorphic; JAX's allow_int has no counterpart/);
  named(() => (jit as any)(np.sin, {}, 5), ValueError, /^jit: takes \(f, /);
  const f = (a: any, b: any) => np.sum(np.multiply(np.sin(a), b));
  const a = np.array([1, 2], { dtype: 'float64' }), b = np.array([3, 4], { dtype: 'float64' });
  assert.deepEqual(grad(f, 1)(a, b).tolist(), [Math.sin(1), Math.sin(2)]);
  const [ga, gb] = grad(f, [0, 1])(a, b);
  assert.deepEqual(ga.tolist(), [3 * Math.cos(1), 4 * Math.cos(2)]);
  assert.deepEqual(gb.tolist(), [Math.sin(1), Math.sin(2)]);
  assert.deepEqual(valueAndGrad(f, 1)(a, b)[1].tolist(), [Math.sin(1), Math.sin(2)]);
  assert.deepEqual(jacfwd(f, 1)(a, b).tolist(), [Math.sin(1), Math.sin(2)]);
  assert.deepEqual(jacrev(f, [1])(a, b)[0].tolist(), [Math.sin(1), Math.sin(2)]);
  assert.deepEqual(hessian(f, 0)(a, b).tolist(), [[-3 * Math.sin(1), -0], [-0, -4 * Math.sin(2)]]);
});

test("grad, valueAndGrad, jacfwd, jacrev and hessian take JAX's positional (argnums, hasAux, holomorphic), jvp a positional hasAux, as the options objects (were 'takes at most 2 arguments (f, options)', jvp's 'options must be an object')", () => {
  // f(a, b) = sum(sin(a) b), aux cos(a): the derivatives written out in JS
  const f = (a: any, b: any) => [np.sum(np.multiply(np.sin(a), b)), np.cos(a)] as const;
  const A = [1, 2], B = [3, 4];
  const a = np.array(A, { dtype: 'float64' }), b = np.array(B, { dtype: 'float64' });
  const cosA = A.map(Math.cos), dA = A.map((x, i) => B[i] * Math.cos(x)), dB = A.map(Math.sin);
  const [g, aux] = grad(f, 1, true)(a, b);
  assert.deepEqual([g.tolist(), aux.tolist()], [dB, cosA]);
  const [[v, aux2], [ga, gb]] = valueAndGrad(f, [0, 1], true)(a, b);
  assert.equal(v.item(), B[0] * Math.sin(1) + B[1] * Math.sin(2));
  assert.deepEqual([ga.tolist(), gb.tolist(), aux2.tolist()], [dA, dB, cosA]);
  assert.deepEqual(grad(f, 1, true, false)(a, b)[0].tolist(), dB);
  assert.deepEqual(grad((x: any) => np.sum(np.sin(x)), null as any, false)(a).tolist(), cosA); // null: argnums' default, 0
  const [jf, auxF] = jacfwd(f, 0, true)(a, b);
  assert.deepEqual([jf.tolist(), auxF.tolist()], [dA, cosA]);
  assert.deepEqual(jacrev(f, 0, true)(a, b)[0].tolist(), dA);
  assert.deepEqual(hessian(f, 0, true)(a, b)[0].tolist(), [[-B[0] * Math.sin(1), -0], [-0, -B[1] * Math.sin(2)]]);
  // holomorphic positionally: d/dz z^2 = 2z at z = 1 + 2i
  const z = np.complex(np.array(1, { dtype: 'float64' }), np.array(2, { dtype: 'float64' }));
  assert.deepEqual(grad((w: any) => np.multiply(w, w), 0, false, true)(z).item(), { re: 2, im: 4 });
  const [y, t, jaux] = jvp((x: any) => [np.sin(x), np.cos(x)], [a], [b], true);
  assert.deepEqual([y.tolist(), t.tolist(), (jaux as any).tolist()], [dB, dA, cosA]);
  // a wrong type names the function and the argument
  named(() => grad(f, 'x' as any), ValueError, /^grad: argnums \(argument 2\) must be an integer, a list of integers or an options object/);
  named(() => jacfwd(f, 0, 1 as any), ValueError, /^jacfwd: hasAux must be true or false, got 1/);
  named(() => valueAndGrad(f, 0, false, 'yes' as any), ValueError, /^valueAndGrad: holomorphic must be true or false/);
  named(() => jvp(np.sin, [a], [b], 1 as any), ValueError, /^jvp: hasAux must be true or false, got 1/);
  named(() => grad(f, 0, false)(a, b), ShapeError, /^grad: the function must return a scalar/); // hasAux false really is false
});

test('checkGrads refuses a function returning nothing and an order past 6 (order 100 ran out of memory)', () => {
  const v = np.array([1, 2], { dtype: 'float64' });
  named(() => checkGrads((_x: any) => undefined as any, [v]), ValueError, /^checkGrads: f returned undefined/);
  named(() => checkGrads(np.sin, [v], { order: 100 }), ValueError, /^checkGrads: order must be an integer from 1 to 6, got 100/);
  named(() => (checkGrads as any)(np.sin, [v], {}, 1), ValueError, /^checkGrads: give order, modes, atol, rtol, eps in one options object or all positionally/);
  named(() => (checkGrads as any)(np.sin, [v], 1, ['rev'], 0, 0, 1e-3, 5), ValueError, /^checkGrads: takes at most 7 arguments \(f, args, order, modes, atol, rtol, eps\)/);
  checkGrads(np.sin, [v], { order: 2 });
});

test("checkGrads takes JAX's positional check_grads(f, args, order, modes, atol, rtol, eps) (was 'takes at most 3 arguments')", () => {
  const v = np.array([1, 2], { dtype: 'float64' });
  checkGrads(np.sin, [v], 2, ['fwd', 'rev'], 1e-6, 1e-6, 1e-5);
  checkGrads(np.sin, [v], 1, ['rev']);
  // a wrong derivative fails positionally as with the object (sin's rule replaced by cos's, the value kept)
  const wrong = customJvp((x: any) => np.sin(x), ([x]: any[], [t]: any[]) => [np.sin(x), np.multiply(np.negative(np.sin(x)), t)]);
  named(() => checkGrads(wrong, [v], 1, ['fwd']), GradientCheckError, /^checkGrads: JVP of f/);
  named(() => checkGrads(np.sin, [v], 1, 'rev' as any), ValueError, /^checkGrads: modes must be a non-empty list of 'fwd' and 'rev', got 'rev'/);
  named(() => checkGrads(np.sin, [v], 1, null, -1), ValueError, /^checkGrads: atol must be a finite number >= 0, got -1/);
  named(() => checkGrads(np.sin, [v], 9), ValueError, /^checkGrads: order must be an integer from 1 to 6, got 9/);
});

test('an error raised by another public function on the way names the one the user called first', () => {
  const k = random.key(0);
  named(() => random.randint(k, [], np.array([0, 5]), np.array([3, 9])), ShapeError, /^random\.randint: np\.broadcastTo: cannot broadcast \[2\] to \[\]/);
  // (these two now say what is wrong in their own terms: they named np.einsum's labels and np.argmax's empty sequence)
  named(() => random.multivariateNormal(k, np.zeros([3]), np.eye(2)), ShapeError, /^random\.multivariateNormal: cov must be \[\.\.\., n, n\] for n = 3, mean's last axis; got mean float32\[3\] and cov float32\[2,2\]/);
  named(() => random.categorical(k, np.zeros([0])), ValueError, /^random\.categorical: logits have no categories along axis -1/);
  named(() => np.mean(np.ones([2]), { axis: 3 }), AxisError, /^np\.mean: axis 3 is out of bounds/);
});

test('np.triuIndices/trilIndices count their positions first: n = 2 ** 31 looped for minutes or aborted the process out of JS heap', () => {
  named(() => np.trilIndices(2 ** 31), ValueError, /^np\.trilIndices: n = 2147483648, m = 2147483648, k = 0 select more than \d+ positions/);
  named(() => np.triuIndices(2 ** 53), ValueError, /^np\.triuIndices: n = 9007199254740992/);
  named(() => np.triuIndices(2 ** 31, -(2 ** 40), 5), ValueError, /^np\.triuIndices: /);
  // a huge n selecting nothing is empty at once (every (i, j) was visited)
  assert.deepEqual(np.trilIndices(2 ** 31, -(2 ** 40), 5)[0].shape, [0]);
  assert.deepEqual(np.triuIndices(2 ** 31, 0, 0)[1].shape, [0]);
  // and the values are numpy's
  assert.deepEqual(np.trilIndices(3, 0, 2).map((a) => a.tolist()), [[0, 1, 1, 2, 2], [0, 0, 1, 0, 1]]);
  assert.deepEqual(np.triuIndices(4, 1).map((a) => a.tolist()), [[0, 0, 0, 1, 1, 2], [1, 2, 3, 2, 3, 3]]);
  assert.deepEqual(np.trilIndices(4, -2, 3).map((a) => a.tolist()), [[2, 3, 3], [0, 0, 1]]);
});

test('np.fullLike reads its dtype as zerosLike does: a misspelled key, a Symbol, a function or a number was dropped (float32 silently)', () => {
  const x = np.array([1, 2]);
  named(() => np.fullLike(x, 1.5, { dtyp: 'float64' } as any), ValueError, /^np\.fullLike: unknown option 'dtyp'; valid options are 'dtype'/);
  named(() => np.fullLike(x, 1.5, Symbol('d') as any), DTypeError, /^np\.fullLike: dtype must be a dtype name/);
  named(() => np.fullLike(x, 1.5, (() => 1) as any), DTypeError, /^np\.fullLike: dtype must be a dtype name/);
  named(() => np.fullLike(x, 1.5, 5 as any), DTypeError, /^np\.fullLike: dtype must be a dtype name/);
  assert.equal(np.fullLike(x, 1.5, 'float64').dtype, 'float64');
  assert.deepEqual(np.fullLike(x, 1.5, { dtype: 'int32' }).tolist(), [1, 1]);
  assert.deepEqual(np.fullLike(x, 1.5, null as any).tolist(), [1.5, 1.5]);
  assert.deepEqual(np.fullLike(x, 1.5).tolist(), [1.5, 1.5]);
});

test('stopGradient refuses a second argument and a leaf that is no Array, number or boolean (a string, Symbol or Promise came back unchanged)', () => {
  const x = np.array([1, 2]);
  named(() => (stopGradient as any)(x, 5), ValueError, /^stopGradient: takes 1 argument/);
  named(() => stopGradient('abc' as any), ValueError, /^stopGradient: a leaf is 'abc' \(a string\)/);
  named(() => stopGradient(Symbol('s') as any), ValueError, /^stopGradient: a leaf is Symbol\(s\)/);
  named(() => stopGradient(Promise.resolve(x) as any), ValueError, /^stopGradient: a leaf is a Promise/);
  named(() => stopGradient({ w: x, act: 'relu' } as any), ValueError, /^stopGradient: a leaf is 'relu'/);
  // numbers, booleans, null and { re, im } pass as before, and gradients stop
  assert.deepEqual(stopGradient([1, true, null] as any), [1, true, null]);
  assert.deepEqual(stopGradient({ re: 1, im: 2 } as any), { re: 1, im: 2 });
  assert.deepEqual(grad((w: any) => np.sum(np.multiply(w, stopGradient(w))))(x).tolist(), [1, 2]);
});

test('np.clip({ min: {} }) is a DTypeError naming min (the bound was read as options again and nothing was clipped)', () => {
  const x = np.array([[1, 2, 3], [4, 5, 6]]);
  named(() => np.clip(x, { min: {} as any }), DTypeError, /^np\.clip: min must be an Array, a number or nested lists, got an object/);
  named(() => np.clip(x, { min: {} as any, max: 3 }), DTypeError, /^np\.clip: min must be/);
  named(() => np.clip(x, { max: { value: 3 } as any }), DTypeError, /^np\.clip: max must be/);
  assert.deepEqual(np.clip(x, { min: 2, max: 5 }).tolist(), [[2, 2, 3], [4, 5, 5]]);
  assert.deepEqual(np.clip(x, { min: [3, 1, 4] }).tolist(), [[3, 2, 4], [4, 5, 6]]);
  assert.deepEqual(np.clip(x, 2, 5).tolist(), [[2, 2, 3], [4, 5, 5]]);
});

test('lax.dotGeneral checks its dimension numbers: an Array there was iterated and the error named Array[Symbol.iterator]', () => {
  const x = np.array([[1, 2, 3], [4, 5, 6]]);
  named(() => lax.dotGeneral(x, x, np.array(0) as any), ValueError, /^lax\.dotGeneral: dimension numbers must be JS lists \[\[lhsContracting, rhsContracting\], \[lhsBatch, rhsBatch\]\] of axis numbers, got an Array float32\[\]/);
  named(() => lax.dotGeneral(x, x, [[[1], [1]]] as any), ValueError, /^lax\.dotGeneral: dimension numbers must be/);
  named(() => lax.dotGeneral(x, x, [[[1], ['1']], [[], []]] as any), ValueError, /^lax\.dotGeneral: dimension numbers must be/);
  assert.deepEqual(lax.dotGeneral(x, x, [[[1], [1]], [[], []]]).tolist(), [[14, 32], [32, 77]]);
});

test('np.vander checks its result size before building N columns one op each (N = 1e9 ran for hours)', () => {
  named(() => np.vander(np.ones([10]), 1e9), OutOfMemoryError, /^np\.vander: shape \[10,1000000000\] has 10000000000 elements/);
  named(() => np.vander(np.ones([2], { dtype: 'float64' }), 2 ** 27), OutOfMemoryError, /^np\.vander: float64\[2,134217728\] needs 2\.00 GiB/);
  assert.deepEqual(np.vander([1, 2, 3], 3).tolist(), [[1, 1, 1], [4, 2, 1], [9, 3, 1]]);
});

test('np.unravelIndex/ravelMultiIndex past int32 positions say so (the error named np.add and a JS number 1e18)', () => {
  const i = np.array([0], { dtype: 'int32' });
  named(() => np.unravelIndex(i, [1e6, 1e6, 1e6]), ValueError, /^np\.unravelIndex: shape \[1000000,1000000,1000000\] has 1000000000000000000 positions; flat indices here are int32/);
  named(() => np.ravelMultiIndex([i, i], [1e6, 1e6]), ValueError, /^np\.ravelMultiIndex: dims \[1000000,1000000\] have 1000000000000 positions/);
  assert.deepEqual(np.unravelIndex(np.array([5, 7], { dtype: 'int32' }), [3, 4]).map((a) => a.tolist()), [[1, 1], [1, 3]]);
  assert.deepEqual(np.ravelMultiIndex([np.array([1], { dtype: 'int32' }), np.array([2], { dtype: 'int32' })], [3, 4]).tolist(), [6]);
});

test('checkGrads refuses eps, atol and rtol that cannot check (eps Infinity compared with NaN differences, atol -1 failed a right derivative); makeJaxpr names its own options', () => {
  const v = np.array([1, 2], { dtype: 'float64' });
  named(() => checkGrads(np.sin, [v], { eps: Infinity }), ValueError, /^checkGrads: eps must be a positive finite number, got Infinity/);
  named(() => checkGrads(np.sin, [v], { eps: NaN }), ValueError, /^checkGrads: eps must be a positive finite number, got NaN/);
  named(() => checkGrads(np.sin, [v], { eps: -1e-3 }), ValueError, /^checkGrads: eps must be a positive finite number/);
  named(() => checkGrads(np.sin, [v], { atol: -1 }), ValueError, /^checkGrads: atol must be a finite number >= 0, got -1/);
  named(() => checkGrads(np.sin, [v], { rtol: NaN }), ValueError, /^checkGrads: rtol must be a finite number >= 0, got NaN/);
  checkGrads(np.sin, [v], { eps: 1e-5, atol: 1e-6, rtol: 0 });
  named(() => makeJaxpr(np.sin, { staticArgnum: [0] } as any), ValueError, /^makeJaxpr: unknown option 'staticArgnum'/);
  assert.match(makeJaxpr(np.sin)(v), /sin/);
});

test("dynamicSlice/dynamicUpdateSlice name a start that is no number or int32 scalar (a string, null or list reached a JS TypeError: \"reading 'join'\")", () => {
  const x = np.array([[1, 2, 3], [4, 5, 6]]);
  named(() => np.dynamicUpdateSlice(x, np.array([[9]]), ['1', '2'] as any), ValueError, /^np\.dynamicUpdateSlice: lax\.dynamicUpdateSlice: starts must be a list of 2 JS integers or int32 scalars \(one per axis\), got \['1', '2'\]/);
  named(() => np.dynamicUpdateSlice(x, np.array([[9]]), [null, 0] as any), ValueError, /starts must be a list of 2 JS integers or int32 scalars/);
  named(() => lax.dynamicSlice(x, [1, 'a'] as any, [1, 1]), ValueError, /^lax\.dynamicSlice: starts must be a list of 2 JS integers or int32 scalars/);
  assert.deepEqual(np.dynamicUpdateSlice(x, np.array([[9]]), [-1, 0]).tolist(), [[1, 2, 3], [9, 5, 6]]);
  assert.deepEqual(lax.dynamicSlice(x, [np.array(1, { dtype: 'int32' }), 5], [1, 1]).tolist(), [[6]]);
});

test('np.take/takeAlongAxis take integer typed arrays as indices (a JAX port\'s Int32Array was "x.flat is not a function"); float ones and objects are named', () => {
  const x = np.array([10, 20, 30]);
  assert.deepEqual(np.take(x, new Int32Array([0, 2]) as any).tolist(), [10, 30]);
  assert.deepEqual(np.take(x, new Uint8Array([2, 1]) as any).tolist(), [30, 20]);
  assert.deepEqual(np.takeAlongAxis(x, new Int32Array([2, 0]) as any, { axis: 0 }).tolist(), [30, 10]);
  assert.deepEqual(x.take(new Int32Array([1]) as any).tolist(), [20]);
  named(() => np.take(x, new Float32Array([0, 2]) as any), DTypeError, /^np\.take: indices must be integers, got a Float32Array of 2 values/);
  named(() => np.take(x, {} as any), DTypeError, /^np\.take: indices must be integers/);
  named(() => np.take(x, new Map() as any), DTypeError, /^np\.take: indices must be integers/);
});

test("lax's axis arguments: a string or fractional axis is named as such (lax.argmax(x, '0') said 'axis 0 is out of bounds for an array of dimension 2'); out of range is an AxisError", () => {
  const x = np.array([[1, 5, 3], [4, 2, 6]]);
  named(() => lax.argmax(x, '0' as any), AxisError, /^lax\.argmax: axis must be an integer, got '0' \(a string\)/);
  named(() => lax.argmin(x, 1.5), AxisError, /^lax\.argmin: axis must be an integer, got 1\.5/);
  named(() => lax.argmax(x, 2), AxisError, /^lax\.argmax: axis 2 is out of bounds for an array of dimension 2/);
  assert.deepEqual(lax.argmax(x, -1).tolist(), [1, 2]);
  assert.deepEqual(lax.argmin(x, 0).tolist(), [0, 1, 0]);
});

test('an options object followed by another argument: one message for the keyword form of the samplers and for the positional options reader (readTrailing)', () => {
  const k = random.key(11);
  const message = (fn: () => unknown): string => { try { fn(); } catch (e: any) { assert.ok(e instanceof ValueError, String(e)); return e.message; } assert.fail('no error'); };
  // the object in the shape's place (random's keyword form) and in the dtype's place (readTrailing): the same words, written out by hand
  assert.equal(message(() => (random.normal as any)(k, { shape: [2] }, 'float64')),
    "random.normal: give shape, dtype in one options object or all positionally, in that order, not an options object followed by 'float64' (a string)");
  assert.equal(message(() => (random.uniform as any)(k, [2], { dtype: 'float64' }, 3)),
    'random.uniform: give dtype, minval, maxval in one options object or all positionally, in that order, not an options object followed by 3');
  assert.equal(message(() => (random.choice as any)(k, 5, { shape: [2] }, false)),
    'random.choice: give shape, replace, p, axis in one options object or all positionally, in that order, not an options object followed by false');
  assert.equal(message(() => (grad as any)(np.sum, {}, 5)),
    'grad: give argnums, hasAux, holomorphic in one options object or all positionally, in that order, not an options object followed by 5');
});
