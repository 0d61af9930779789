// What the transforms accept, as JAX: argnums naming an argument twice, hasAux functions that do
// not return [output, aux], and grad of an output wrapped in a list or object are refused with a
// ValueError or ShapeError naming the transform (each used to give a silent zero, a dropped
// element or a stripped wrapper).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, valueAndGrad, jacfwd, jacrev, hessian, hvp, vjp, jvp, vmap, jit, linearize, tree, ValueError, ShapeError } from '../ts/index.ts';

const f = (x: any, y: any) => np.multiply(np.multiply(x, x), y);

test('argnums naming one argument twice is refused (it gave all but one a zero derivative)', () => {
  for (const [t, name] of [[grad, 'grad'], [valueAndGrad, 'valueAndGrad'], [jacfwd, 'jacfwd'], [jacrev, 'jacrev']] as const) {
    assert.throws(() => (t as any)(f, { argnums: [0, 0] })(3, 2), (e: any) => e instanceof ValueError && e.message.includes(`${name}: argnums [0, 0] names argument 0 twice`), name);
    assert.throws(() => (t as any)(f, { argnums: [-1, 1] })(3, 2), /names argument 1 twice/, name);
  }
  assert.throws(() => hessian(f, { argnums: [0, 0] })(3, 2), /names argument 0 twice/);
  assert.throws(() => grad(f, { argnums: true as any })(3, 2), (e: any) => e instanceof ValueError && /grad: argnums must be an integer or a list of integers, got true/.test(e.message));
  assert.throws(() => grad(f, { argnums: NaN })(3, 2), /argnums must be integers, got NaN/);
  // distinct argnums still work: d/dx x^2 y = 2xy = 12, d/dy = x^2 = 9
  assert.deepEqual((grad(f, { argnums: [1, 0] })(3, 2) as any[]).map((g) => g.item()), [9, 12]);
});

test('jacfwd, jacrev and hessian with hasAux refuse a function that does not return [output, aux]', () => {
  const x = np.array([0.5, 1.5]);
  const bad: [string, (v: any) => any][] = [
    ['an Array float32[]', (v) => np.sum(v)],
    ['an object { a }', (v) => ({ a: np.sum(v) })],
    ['a list of 3', (v) => [np.sum(v), 1, 2]],
    ['a list of 1', (v) => [np.sum(v)]],
  ];
  for (const [got, g] of bad) {
    for (const [t, name] of [[jacfwd, 'jacfwd'], [jacrev, 'jacrev']] as const) {
      assert.throws(() => t(g, { hasAux: true })(x), (e: any) => e instanceof ValueError &&
        e.message.includes(`${name}: with hasAux the function must return [output, aux] (a list of two), got ${got}`), `${name} ${got}`);
    }
    assert.throws(() => hessian(g, { hasAux: true })(x), /with hasAux the function must return \[output, aux\]/, `hessian ${got}`);
  }
  // the right form: jacobian of v * 2 is 2 I, aux passed through
  const [J, aux] = jacrev((v: any) => [np.multiply(v, 2), 'tag'], { hasAux: true })(x);
  assert.deepEqual(J.tolist(), [[2, 0], [0, 2]]);
  assert.equal(aux, 'tag');
});

test('grad refuses an output wrapped in a list or an object (JAX: scalar-output functions only)', () => {
  assert.throws(() => grad((x: any) => ({ a: np.multiply(x, x) }))(2), (e: any) => e instanceof ShapeError &&
    /grad: the function must return a scalar \(shape \[\]\), got an object holding 1 \(float32\[\]\)/.test(e.message));
  assert.throws(() => grad((x: any) => [np.multiply(x, x)])(2), /got a list holding 1 \(float32\[\]\)/);
  assert.throws(() => valueAndGrad((x: any) => ({ a: np.multiply(x, x) }))(2), /valueAndGrad: the function must return a scalar/);
  assert.throws(() => grad((x: any) => [x, x])(2), /got a list holding 2 \(float32\[\], float32\[\]\); use vjp or jacrev for other outputs, or \{ hasAux: true \}/);
  assert.throws(() => grad((_x: any) => ({ then: 1 }))(2), /got an object holding 1/);
  assert.equal(grad((x: any) => np.multiply(x, x))(2).item(), 4);
});

// ---- error messages name what the user wrote (from a composition trial, 2026-12-02)

test('hessian and hvp errors name hessian and hvp, not the jacfwd, jacrev or jvp they are built from', () => {
  const x = np.array([1, 2]), y = np.array([3, 4]);
  assert.throws(() => hessian((a: any) => np.sum(a), { argnums: [0, 0] })(x, y), (e: any) => e.message.startsWith('hessian:'));
  assert.throws(() => hessian((a: any) => np.sum(a))(np.array([1, 2], { dtype: 'int32' })), (e: any) => e.message.startsWith('hessian: argument 0 has dtype int32'));
  assert.throws(() => hessian((a: any) => np.argmax(a))(x), (e: any) => e.message.startsWith('hessian: output 0 is int32'));
  assert.throws(() => hessian((a: any) => a, { argnum: 1 } as any), (e: any) => e.message.startsWith("hessian: unknown option 'argnum'"));
  assert.throws(() => hvp((a: any) => np.sum(np.sin(a)))(x, np.array([1, 2, 3])), (e: any) => e instanceof ShapeError && e.message.startsWith('hvp:'));
});

test('errors about one leaf of a pytree say where it sits (.v[0], .b), and a returned function is not printed as source', () => {
  const [, pb] = vjp((p: any) => ({ u: np.sin(p.a), v: [np.cos(p.a), np.sum(p.a)] }), { a: np.array([1, 2]) });
  assert.throws(() => pb({ u: np.array([1, 1]), v: [np.array([[1], [2]]), 1] } as any), /vjp: cotangent\.v\[0\] has shape float32\[2,1\], expected float32\[2\]/);
  assert.throws(() => grad((p: any) => np.sum(p.a))({ a: np.array([1]), b: np.array([1], { dtype: 'int32' }) }), /grad: argument 0\.b has dtype int32/);
  assert.throws(() => vmap((p: any) => p.a, { inAxes: [{ a: 0, b: 3 }] })({ a: np.array([1]), b: np.array([1]) }), /argument 0\.b/);
  assert.throws(() => jit((a: any) => [a, (t: any) => t])(np.array([1])), (e: any) => e instanceof ValueError && /returned a function,/.test(e.message) && !e.message.includes('=>'));
  assert.throws(() => vmap((a: any) => a, { inAxes: ['0' as any] })(np.array([1])), /got '0' \(a string\)/);
});

test('tree.structure and tree.flatten\'s structure print as tree.show does', () => {
  assert.equal(String(tree.structure({ a: 1, b: [2, null] })), '{a: *, b: [*, null]}');
  assert.equal(`${tree.structure([np.array(1), { x: 2 }])}`, '[*, {x: *}]');
  assert.equal(String(tree.flatten({ a: 1 })[1]), '{a: *}');
  // tree.show takes a tree too, showing its structure (it returned undefined without a word)
  assert.equal(tree.show({ a: [1, null] }), '{a: [*, null]}');
  assert.equal(tree.show(tree.structure({ a: [1, null] })), '{a: [*, null]}');
  assert.equal(tree.show([np.array([1, 2]), 3]), '[*, *]');
  assert.equal(tree.show(np.array(1)), '*');
  assert.equal(tree.show(null), 'null');
  assert.throws(() => (tree.show as any)(), /tree\.show: got 0 arguments, needs a structure or a tree/);
});

test('tree.map: the other trees may have the first as a prefix (JAX), whole subtrees go to f; extra arguments are refused', () => {
  const out = tree.map((x: any, y: any) => [x, y], { a: 1, b: [2, 3] }, { b: [{ q: 1 }, null], a: [1, 2] });
  assert.deepEqual(out, { a: [1, [1, 2]], b: [[2, { q: 1 }], [3, null]] });
  assert.deepEqual(tree.map((x: number, y: number, z: number) => x + y + z, [1, { k: 2 }], [10, { k: 20 }], [100, { k: 200 }]), [111, { k: 222 }]);
  assert.throws(() => tree.map((x: any) => x, { a: 1, b: [2, 3] }, { a: 1, b: [1] }), /tree.map: tree 1 .*prefix: at \.b, the first tree has a list of 2, this one a list of 1/);
  assert.throws(() => tree.map((x: any) => x, { a: 1, b: null }, { a: 1, b: 3 }), /at \.b, the first tree has null, this one a leaf/);
  assert.throws(() => tree.map((x: any) => x, { a: 1 }, { b: 1 }), /object with keys \[a\], this one an object with keys \[b\]/);
  // JAX's is_leaf has no counterpart: said so, not read as a third tree
  assert.throws(() => tree.map((x: any) => x, { a: [1, 2] }, { isLeaf: (x: unknown) => Array.isArray(x) }), /isLeaf .*not supported/);
  assert.throws(() => (tree.leaves as any)({ a: [1, 2] }, (x: unknown) => Array.isArray(x)), /tree.leaves: takes at most 1 argument/);
  assert.throws(() => (tree.flatten as any)([1], () => true), /tree.flatten: takes at most 1 argument/);
  assert.deepEqual(Object.keys(tree).sort(), ['all', 'any', 'flatten', 'flattenWithPath', 'keystr', 'leaves', 'leavesWithPath', 'map', 'mapWithPath', 'reduce', 'show', 'structure', 'transpose', 'unflatten']);
});

test('jvp compares the tangent tree to the primal node by node: null and undefined are both the empty tree, keys are keys', () => {
  const [y, t] = jvp((p: any) => np.sum(p[0]), [[np.array(1), null]], [[np.array(2), undefined]]);
  assert.equal(y.item(), 1); assert.equal(t.item(), 2);
  const f = (p: any) => np.add(p.a, p.b);
  assert.throws(() => jvp(f, [{ a: np.array(1), b: np.array(2) }], [{ 'a: *, b': np.array(1) }]),
    (e: Error) => e instanceof ValueError && /jvp: tangent 0 has structure/.test(e.message));
});

test('a vjp pullback takes one cotangent (JAX), and list.map(pullback) still works', () => {
  const [, pb] = vjp(np.sin, np.array([0, 1], { dtype: 'float64' }));
  assert.throws(() => (pb as any)(np.ones([2]), 'garbage', 42), /vjp: the pullback takes one cotangent.*got 3 arguments/);
  assert.throws(() => (pb as any)(), /got 0 arguments/);
  const cts = [np.ones([2], 'float64'), np.array([2, 3], { dtype: 'float64' })].map(pb);
  assert.deepEqual(cts.map(([c]) => c.tolist()), [[1, Math.cos(1)], [2, 3 * Math.cos(1)]]);
});

test('jvp(f, primals, tangents, { hasAux: true }) returns [output, tangent, aux], as JAX\'s has_aux (the option was ignored)', () => {
  const x = np.array([1, 2], { dtype: 'float64' });
  const [y, t, aux] = jvp((v: any) => [np.sin(v), { c: np.cos(v), n: 3 }], [x], [np.ones([2], 'float64')], { hasAux: true });
  assert.deepEqual(y.tolist(), [Math.sin(1), Math.sin(2)]);
  assert.deepEqual(t.tolist(), [Math.cos(1), Math.cos(2)]);
  assert.deepEqual([aux.c.tolist(), aux.n], [[Math.cos(1), Math.cos(2)], 3]);
  assert.throws(() => jvp((v: any) => np.sin(v), [x], [x], { hasAux: true }), /jvp: with hasAux the function must return \[output, aux\]/);
  assert.throws(() => (jvp as any)((v: any) => np.sin(v), [x], [x], { has_aux: true }), /unknown option 'has_aux'/);
  // under grad: the tangent differentiates, the aux is carried
  assert.deepEqual(grad((v: any) => jvp((u: any) => [np.sum(np.sin(u)), np.sum(u)], [v], [np.ones([2], 'float64')], { hasAux: true })[1])(x).tolist(),
    [-Math.sin(1), -Math.sin(2)]);
});

test('jacfwd, jacrev and hessian with nothing to differentiate (argnums [], an empty tree) agree: empty structures, not a vmap error', () => {
  const f = (a: any, b: any) => np.multiply(a, b);
  const a = np.ones([2]), b = np.ones([2]);
  for (const t of [jacfwd, jacrev, hessian]) {
    assert.deepEqual(t(f, { argnums: [] })(a, b), []);
    assert.deepEqual(t((x: any, y: any) => [np.sum(x), np.sum(y)], { argnums: [] })(a, b), [[], []]);
    assert.deepEqual(t((_p: any) => np.sum(np.ones([2])), 0)([]), []);
  }
});

test('a transformed function is named after its transform, so an enclosing jit\'s errors name the user\'s function', () => {
  assert.equal(grad(function loss(x: any) { return np.sum(x); }).name, 'grad(loss)');
  assert.equal(vmap(function f(x: any) { return x; }).name, 'vmap(f)');
  assert.equal(jacrev((x: any) => x).name, 'jacrev(fn)');
  assert.throws(() => jit(grad(function gg(a: any) { return Number(a) < 3 ? np.sin(a) : a; }))(np.array(1)), /under jit\(grad\(gg\)\)/);
});

test('jvp names the leaf of a pytree tangent whose shape or dtype is wrong (as vjp and linearize do)', () => {
  const ones = (n: number) => np.ones([n]);
  assert.throws(() => jvp((p: any) => np.sum(p.b), [{ a: ones(2), b: ones(3) }], [{ a: ones(2), b: ones(4) }]),
    (e: any) => e instanceof ShapeError && /^jvp: tangent 0\.b has shape float32\[4\] but its primal is float32\[3\]/.test(e.message));
  assert.throws(() => jvp((p: any) => p[1], [[ones(2), ones(2)]], [[ones(2), np.ones([2], 'float64')]]), /jvp: tangent 0\[1\] has dtype float64 but its primal is float32/);
});

test('a transformed function given more arguments than f declares is an error (JAX: TypeError), not options dropped', () => {
  const f = (w: any, b: any) => np.sum(np.add(np.multiply(w, 2), b));
  const w = np.ones([2]), b = np.ones([2]);
  // JS drops extra arguments: the options were ignored and w's gradient alone came back
  assert.throws(() => (valueAndGrad(f) as any)(w, b, { argnums: [0, 1] }),
    (e: any) => e instanceof ValueError && /^valueAndGrad: f\d* takes 2 arguments \(\w+, \w+\), got 3; .*valueAndGrad\(f, \{ argnums \}\)/.test(e.message));
  assert.throws(() => (jit(f) as any)(w, b, { staticArgnums: 1 }), (e: any) => e instanceof ValueError && /^jit\(f\d*\): f\d* takes 2 arguments/.test(e.message));
  const g = (x: any) => np.sum(np.sin(x));
  for (const [name, call] of [
    ['grad', () => (grad(g) as any)(w, { argnums: 0 })],
    ['vmap', () => (vmap(g) as any)(w, { inAxes: 0 })],
    ['jacfwd', () => (jacfwd(g) as any)(w, 1)],
    ['jacrev', () => (jacrev(g) as any)(w, 1)],
    ['hessian', () => (hessian(g) as any)(w, 1)],
    ['jvp', () => jvp(g, [w, w] as any, [w, w] as any)],
    ['vjp', () => (vjp as any)(g, w, { hasAux: true })],
    ['linearize', () => (linearize as any)(g, w, w)],
  ] as [string, () => unknown][]) {
    // (the names are f's as the runtime prints it: a bundler may rename them)
    assert.throws(call, (e: any) => e instanceof ValueError && new RegExp(`^${name}: g\\d* takes 1 argument \\(\\w+\\), got 2`).test(e.message), name);
  }
  assert.throws(() => (vjp as any)(g, w, { hasAux: true }), /vjpWithAux\(f, \.\.\.primals\)/);
  // unchecked where the count is unknown or unlimited, and defaults count as parameters
  assert.equal(grad(grad(g) as any)(np.array(0.5)).item(), grad(grad(np.sin as any))(np.array(0.5)).item());
  assert.equal((grad((x: any, k = 2) => np.multiply(x, k)) as any)(np.array(1), 3).item(), 3);
  assert.equal((grad(function (this: unknown, x: any) { return np.multiply(x, arguments.length); }) as any)(np.array(1), 5).item(), 2);
  assert.equal((grad((x: any, ...rest: any[]) => np.multiply(x, rest.length)) as any)(np.array(1), 5, 6).item(), 2);
});

test('an aux holding a traced Array inside a Map, Set or class instance is refused at the call, naming the transform and the place', () => {
  class Box { constructor(public v: unknown) {} }
  const x = np.array([1, 2]);
  const auxes: [string, (a: any) => unknown, RegExp][] = [
    ['Box', (a) => new Box(np.multiply(a, 2)), /inside a Box instance \(at \.v\)/],
    ['Map', (a) => new Map([['k', np.multiply(a, 2)]]), /inside a Map \(at \.get\("k"\)\)/],
    ['Set', (a) => ({ s: new Set([np.sin(a)]) }), /inside a Set \(at \.values\(\)\[0\]\)/],
  ];
  for (const [t, name] of [[grad, 'grad'], [valueAndGrad, 'valueAndGrad'], [jacfwd, 'jacfwd'], [jacrev, 'jacrev']] as const) {
    for (const [kind, aux, re] of auxes) {
      // (it used to return, and reading the aux threw "a traced value escaped ... return it from the function instead of storing it")
      assert.throws(() => (t as any)((a: any) => [np.sum(a), aux(a)], { hasAux: true })(x),
        (e: any) => e instanceof ValueError && e.message.startsWith(`${name}: the function returned`) && re.test(e.message), `${name} ${kind}`);
    }
  }
  // concrete Arrays inside them are kept as they are, and the next call works
  const c = np.ones([2]), m = new Map([['k', c]]);
  const [g, aux] = grad((a: any) => [np.sum(a), m], { hasAux: true })(x) as [any, Map<string, unknown>];
  assert.deepEqual(g.tolist(), [1, 1]);
  assert.equal(aux, m);
  assert.equal(aux.get('k'), c);
});
