// Pytree probe (helper-268): holes, vmap's axis-spec prefix trees, leaf paths in messages.
// Expected values are by hand (sums of small integers), not from the code under test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, tree, vmap, grad, customVjp, ValueError, ShapeError } from '../ts/index.ts';

const L = (a: unknown) => (a as { tolist(): unknown }).tolist();
const msg = (re: RegExp, E: Function = ValueError) => (e: unknown) => e instanceof E && re.test((e as Error).message);

test('tree.*: a hole is an empty subtree at any depth, as every transform reads it (was refused one level down only)', () => {
  // before: tree.leaves([1, , 3]) and tree.show({ a: [1, , 3] }) ('option a is a list with a hole') threw,
  // while tree.show([[1, , 3]]) and grad's argument [x, , x] read the hole as undefined
  assert.deepEqual(tree.leaves([1, , 3] as any), [1, 3]);
  assert.equal(tree.show({ a: [1, , 3] } as any), '{a: [*, undefined, *]}');
  assert.equal(tree.show([[1, , 3]] as any), '[[*, undefined, *]]');
  const x = np.array([1, 2, 3]);
  assert.equal(tree.show(grad((p: any) => np.sum(p.a[0]))({ a: [x, , x] } as any) as any), tree.show({ a: [1, , 3] } as any));
  // a hole in another tree of tree.map is that tree's empty subtree under the first's leaf (JAX's prefix rule)
  assert.deepEqual(tree.map((a: number, b: unknown) => [a, b ?? null], [1, 2, 3], [1, , 3] as any), [[1, 1], [2, null], [3, 3]]);
  // (extra arguments are still refused)
  assert.throws(() => (tree.leaves as any)([1], 2), msg(/tree\.leaves: takes at most 1 argument/));
});

test('vmap: a hole in an inAxes list is undefined (not mapped), as [0, undefined, 0]; forEach skipped it and misassigned axes', () => {
  const x = np.array([1, 2, 3], { dtype: 'float64' }), y = np.array(2, { dtype: 'float64' });
  const f = (p: any) => np.add(np.add(p[0], p[1]), p[2]);
  // x + 2 + x = [4, 6, 8], by hand; before: 'argument 0 is a JS list ... (scalars here ...)'
  assert.deepEqual(L(vmap(f, { inAxes: [[0, , 0]] } as any)([x, y, x])), [4, 6, 8]);
  assert.deepEqual(L(vmap(f, { inAxes: [[0, undefined, 0]] } as any)([x, y, x])), [4, 6, 8]);
  assert.deepEqual(L(vmap((p: any) => np.add(p[0], p[1]), { inAxes: [[, 0]] } as any)([y, x])), [3, 4, 5]);
});

test('vmap: axis-spec keys are compared one by one, and the spec is matched against nodes as flatten reads them', () => {
  const x = np.array([1, 2, 3], { dtype: 'float64' });
  // { 'a,b': 0 } is not { a, b } (joined with ',', the keys matched; the error then blamed .a's axis 'undefined')
  assert.throws(() => vmap((p: any, q: any) => np.add(np.add(p.a, p.b), q), { inAxes: [{ 'a,b': 0 }, 0] })({ a: x, b: x }, x),
    msg(/inAxes for argument 0: the axes at the top have keys \["a,b"\], the value has \[a,b\]/));
  assert.deepEqual(L(vmap((p: any, q: any) => np.add(np.add(p.a, p.b), q), { inAxes: [{ b: 0, a: 0 }, 0] })({ a: x, b: x }, x)), [3, 6, 9]);
  // a class instance or a complex literal is a leaf: an object of axes there is a mismatch (was 'got a P' / 'out of bounds')
  class P { w = x; }
  assert.throws(() => vmap((p: any) => p.w, { inAxes: [{ w: 0 }] })(new P()),
    msg(/the axes at the top are an object with keys \[w\], but the value there is a leaf \(a P\)/));
  assert.throws(() => vmap((p: any) => p, { inAxes: [{ re: 0, im: 0 }] })({ re: 1, im: 2 }),
    msg(/but the value there is a leaf \(a complex \{ re, im \}\)/));
  // an Array as an axis (was: an object with keys [_block,_cacheEpoch,...])
  assert.throws(() => vmap((p: any) => p, { inAxes: [np.array(0)] } as any)(x), msg(/an axis spec must be a number, null, or a list\/object of them, got an Array/));
});

test('vmap: outAxes errors name the output leaf by its path; a list mixing Arrays and a scalar is a tree, not np.array\'s habit', () => {
  const A = np.array([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' });
  assert.throws(() => vmap((a: any) => ({ u: a, v: [a, a] }), { outAxes: { u: 0, v: [1, null] } })(A),
    msg(/vmap: output \.v\[1\] \(float64\[3\] per example\) varies across the batch, but its outAxes is null/));
  assert.throws(() => vmap((a: any) => ({ u: a }), { outAxes: { u: 5 } })(A), msg(/vmap: outAxes of output \.u: axis 5 is out of bounds/));
  // (a list of JS numbers keeps its np.array hint)
  assert.throws(() => vmap((p: any) => p)([1, 2]), msg(/argument 0 is a JS list, which vmap reads as a tree/));
  assert.throws(() => vmap((p: any) => np.add(p[0], p[1]))([np.ones([3]), 5]), msg(/vmap: inAxes of argument 0\[1\]: axis 0 is out of bounds for a scalar/));
});

test('customVjp: a bwd cotangent of the wrong shape is named by its path in the argument (was "input leaf 1")', () => {
  const x = np.array([1, 2, 3], { dtype: 'float64' });
  const cf = customVjp((p: any) => np.multiply(p.a, p.b), (p: any) => [np.multiply(p.a, p.b), p], (r: any, g: any) => [{ a: g, b: np.sum(g) }]);
  assert.throws(() => grad((p: any) => np.sum(cf(p)))({ a: x, b: x }),
    msg(/customVjp\(fn\): bwd's cotangent 0\.b has shape float64\[\], the input is float64\[3\]/, ShapeError));
});

test('lax control flow reads a hole in a carry as an empty subtree at any depth, as tree.* and the transforms do (a top-level [a, , b] was refused, { c: [a, , b] } as "option c")', () => {
  const y = np.array([1, 2], { dtype: 'float32' });
  const [carry, ys] = lax.scan((c: any, x: any) => [c, x], [y, , y], np.arange(3));
  assert.deepEqual((carry as any[]).map((v) => (v === undefined ? v : v.tolist())), [[1, 2], undefined, [1, 2]]);
  assert.deepEqual((ys as any).tolist(), [0, 1, 2]);
  const o = lax.scan((c: any, x: any) => [c, x], { c: [y, , y] }, np.arange(2))[0] as any;
  assert.equal(o.c[1], undefined);
  const f = lax.foriLoop(0, 2, (i: any, c: any) => [np.add(c[0], 1), c[1], c[2]], [y, , y]) as any[];
  assert.deepEqual(f[0].tolist(), [3, 4]);
  assert.equal(f[1], undefined);
  assert.throws(() => (lax.foriLoop as any)(0, 2, (i: any, c: any) => c, y, 5), ValueError); // extra arguments still refused
});
