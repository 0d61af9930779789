// A JS developer's ordinary habits with a numpy-style API, each of which used to give a silent
// wrong answer or a bare JS error (found by a new-user trial): assigning dtype, numpy's positional
// options and out=, JAX's positional out_axes, np.float64, order='F', cyclic or absurdly deep
// trees, and sizes past what wasm32 holds. Each is now either what numpy/JAX do or a
// CotangentError naming the function.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, linalg, random, vmap, tree, grad, jit, jvp, vjp, linearize, customVjp, checkGrads, makeJaxpr, setKeptTapeBudget, tidy, ValueError, AxisError, ShapeError, OutOfMemoryError, CotangentError, DTypeError, GradientCheckError, stopGradient, devices, type Array as NDArray } from '../ts/index.ts';

const named = (re: RegExp) => (e: unknown) => e instanceof CotangentError && re.test((e as Error).message);

test('dtype, size, shape and the other properties are read-only: assigning one is a ValueError, and the Array is unchanged', () => {
  const x = np.array([1, 2, 3]);
  assert.throws(() => { (x as any).dtype = 'float64'; }, named(/Array\.dtype is read-only.*astype/));
  assert.throws(() => { (x as any).size = 1; }, named(/Array\.size is read-only/));
  assert.throws(() => { (x as any).shape = [3, 1]; }, named(/Array\.shape is read-only/));
  assert.equal(x.dtype, 'float32');
  assert.deepEqual(np.add(x, 1).tolist(), [2, 3, 4]);
  // the other getters refused with JS's bare 'Cannot set property ... which has only a getter'; x.real = 0
  // is numpy's in-place write; x.at = v shadowed the updater (the next x.at(i) was 'not a function')
  for (const k of ['device', 'ndim', 'length', 'T', 'mT', 'real', 'imag', 'itemsize', 'nbytes', 'at']) {
    assert.throws(() => { (x as any)[k] = 1; }, named(new RegExp(`^Array\\.${k} is read-only`)), k);
  }
  // x.at[0] = v (Python's habit; JAX refuses it too) set a property on the method, silently
  assert.throws(() => { (x.at as any)[0] = 5; }, named(/^x\.at\[0\] = v: Arrays are immutable; x\.at\(0\)\.set\(v\)/));
  assert.deepEqual([x.at(0).set(9).tolist(), x.device, x.ndim, x.length, x.T.tolist()], [[9, 2, 3], 'cpu', 1, 3, [1, 2, 3]]);
});

test('x[i] is a ValueError pointing at x.get(i) and destructuring (it read undefined); x[i] = v says Arrays are immutable (it changed nothing)', () => {
  const x = np.array([[1, 2], [3, 4]]);
  assert.throws(() => (x as any)[0], named(/^Array\[0\]: an Array has no JS elements \(x\[0\] would be undefined\); use x\.get\(0\)/));
  assert.throws(() => (x as any)[1023], named(/^Array\[1023\]: /));
  assert.throws(() => { (x as any)[1] = np.array([5, 6]); }, named(/^Array\[1\] = \.\.\.: Arrays are immutable.*x\.at\(1\)\.set\(v\)/));
  assert.deepEqual(x.tolist(), [[1, 2], [3, 4]]);
  const [r0, r1] = x; // iteration along the first axis, as numpy's
  assert.deepEqual([r0.tolist(), r1.tolist(), x.get(1).tolist()], [[1, 2], [3, 4], [3, 4]]);
  assert.deepEqual(Array.from(x, (r) => r.tolist()), [[1, 2], [3, 4]]);
  assert.deepEqual(Object.keys(x).filter((k) => /^\d+$/.test(k)), []); // (the traps are on the prototype, not enumerable)
  assert.deepEqual(np.stack([...x]).tolist(), [[1, 2], [3, 4]]);
  // a 0-d Array has nothing to iterate: said with what was iterated and what to do (it said only "iteration over a 0-d array")
  assert.throws(() => [...np.array(1.5)], named(/^Array\[Symbol\.iterator\] \(for\.\.of, spread, destructuring\): iteration over a 0-d array float32\[\].*x\.item\(\)/));
  assert.deepEqual(grad((v: any) => { const [a, b] = v; return np.sum(np.multiply(a, b)); })(np.array([[1, 2], [3, 4]])).tolist(), [[3, 4], [1, 2]]);
});

test('extra positional arguments are refused by name (numpy\'s out= and positional options were dropped)', () => {
  const x = np.array([1, 2, 3]);
  const calls: [RegExp, () => unknown][] = [
    [/np\.exp: takes at most 1 argument \(x\), got 2/, () => (np.exp as any)(x, x)],
    [/np\.divide: takes at most 2 arguments/, () => (np.divide as any)(x, 3, { dtype: 'float64' })],
    [/np\.tile: takes at most 2 arguments/, () => (np.tile as any)(x, 2, 3)],
    [/linalg\.lu: takes at most 1 argument/, () => (linalg.lu as any)(np.eye(2), true)], // scipy's permute_l
    [/lax\.sin: takes at most 1 argument/, () => (lax.sin as any)(x, x)],
    [/random\.normal: takes at most 3 arguments/, () => (random.normal as any)(random.key(0), [2], 'float64', 'x')],
  ];
  for (const [re, f] of calls) assert.throws(f, named(re), String(re));
  // what takes more still does
  assert.equal(np.einsum('i,i->', x, x).item(), 14);
  assert.deepEqual(np.arange(0, 5, 2, 'int32').tolist(), [0, 2, 4]);
  assert.equal(np.sum(x, { axis: 0 }).item(), 6);
});

test('the internal helpers are not on the public namespaces', () => {
  for (const k of ['asarrayHint', 'operand', 'prepare', 'requireComputable', 'sigmoidNamed', 'AtIndex']) assert.equal((np as any)[k], undefined, k);
  assert.equal((linalg as any).matrixArg, undefined);
  // (linalg.matrixHint was public: it took anything and returned undefined)
  for (const k of ['matrixHint', 'listHint', 'squareArg', 'rowsBy']) assert.equal((linalg as any)[k], undefined, k);
  assert.equal((np.linalg as any).matrixHint, undefined);
  assert.equal((lax as any).normalizeAxes, undefined);
});

test('vmap(f, inAxes, outAxes) as JAX\'s positional out_axes; both ways at once is an error', () => {
  const X = np.array([[1, 2], [3, 4]]);
  const f = (x: any, y: any) => np.add(x, np.multiply(y, 10));
  assert.deepEqual(vmap(f, 0, 1)(X, X).tolist(), [[11, 33], [22, 44]]);
  assert.deepEqual(vmap(f, 0, 1)(X, X).tolist(), vmap(f, { inAxes: 0, outAxes: 1 })(X, X).tolist());
  assert.throws(() => vmap(f, { outAxes: 0 }, 1), named(/outAxes given twice/));
  assert.throws(() => (vmap as any)(f, 0, 1, 2), named(/vmap: takes/));
});

test('np.float64 and friends are the dtype names (they were undefined: float32 silently)', () => {
  assert.equal(np.array([1.1], np.float64).dtype, 'float64');
  assert.equal(np.array([1.1], np.float64).item(), 1.1);
  assert.equal(np.zeros([2], { dtype: np.int32 }).dtype, 'int32');
  assert.equal(np.full([2], 1, np.uint32).dtype, 'uint32');
  assert.equal(np.sum(np.ones(3), { dtype: np.float64 }).dtype, 'float64');
  assert.equal(np.astype(np.ones(2), np.complex128).dtype, 'complex128');
  assert.equal(np.bool_, 'bool');
});

test('ravel and flatten take numpy\'s order; atleast1d/2d/3d take several arrays', () => {
  const x = np.array([[3, 1, 2], [6, 5, 4]]);
  assert.deepEqual(x.flatten('F').tolist(), [3, 6, 1, 5, 2, 4]); // numpy: x.flatten('F')
  assert.deepEqual(np.ravel(x, { order: 'F' }).tolist(), [3, 6, 1, 5, 2, 4]);
  assert.deepEqual(x.ravel().tolist(), [3, 1, 2, 6, 5, 4]);
  assert.throws(() => x.flatten('X' as never), named(/order must be/));
  assert.throws(() => (x as any).copy('F'), named(/x\.copy: takes no arguments/));
  assert.deepEqual(np.atleast1d(1, 2).map((a) => a.shape), [[1], [1]]);
  assert.deepEqual(np.atleast3d([1], [2]).map((a) => a.shape), [[1, 1, 1], [1, 1, 1]]);
  assert.deepEqual(np.atleast2d(5).shape, [1, 1]);
  assert.deepEqual(np.hstack([np.array(1), np.array([2, 3])]).tolist(), [1, 2, 3]);
});

test('cyclic and absurdly deep trees and lists are ValueErrors, not stack overflows; shared subtrees are fine', () => {
  const o: any = { a: np.array(1) };
  o.self = o;
  assert.throws(() => tree.flatten(o), named(/contains itself/));
  assert.throws(() => grad((p: any) => np.sum(p.a))(o), named(/contains itself/));
  assert.throws(() => jit((p: any) => p.a)(o), named(/contains itself/));
  let deep: unknown = [1];
  for (let i = 0; i < 20000; i++) deep = [deep];
  assert.throws(() => tree.flatten(deep as never), named(/nested more than 1000/));
  assert.throws(() => np.array(deep as never), (e: unknown) => e instanceof ShapeError);
  const shared = np.array(2), l = [1, 2];
  assert.equal(tree.flatten({ x: shared, y: [shared] })[0].length, 2);
  assert.equal(tree.flatten([l, l])[0].length, 4);
});

test('sizes past wasm32 are errors before any work; oneHot of many classes compares instead of building an identity', () => {
  assert.throws(() => np.oneHot(np.array([1, 2, 3, 4], { dtype: 'int32' }), 1e9), (e: unknown) => e instanceof ShapeError);
  assert.throws(() => random.split(random.key(0), 2 ** 31), named(/random\.split/));
  assert.throws(() => random.permutation(random.key(0), 1e9), (e: unknown) => e instanceof OutOfMemoryError);
  const h = np.oneHot(np.array([1, 7, 100000, -3], { dtype: 'int32' }), 100000);
  assert.deepEqual(h.shape, [4, 100000]);
  assert.deepEqual(np.sum(h, { axis: 1 }).tolist(), [1, 1, 0, 0]);
  assert.equal(np.index(h, 1, 7).item(), 1);
  assert.deepEqual(np.oneHot(np.array([0, 2, -1], { dtype: 'int32' }), 3).tolist(), [[1, 0, 0], [0, 0, 1], [0, 0, 0]]);
});

test('argument mistakes name the function: roll\'s axis, randint\'s bounds, checkGrads\'s eps below the spacing of x', () => {
  assert.throws(() => np.roll(np.ones([2, 2]), 1, '0' as never), (e: unknown) => e instanceof AxisError && /np\.roll: axis/.test(String(e)));
  assert.throws(() => (random.randint as any)(random.key(0), [3], 10), named(/random\.randint: maxval is required/));
  // a step that does not move x would pass a wrong (zero) derivative
  assert.throws(() => checkGrads((x: any) => np.sin(np.multiply(x, 0)), [np.array(2, { dtype: 'float64' })], { eps: 1e-30 }),
    (e: unknown) => e instanceof ValueError && /eps 1e-30 is below the spacing/.test(String(e)));
});

test('dynamicSlice/dynamicUpdateSlice without their lists name themselves (a bare TypeError before)', () => {
  const x = np.ones([3]);
  assert.throws(() => (np as any).dynamicSlice(x), named(/lax\.dynamicSlice: starts and sizes must be lists/));
  assert.throws(() => (np as any).dynamicUpdateSlice(x, x), named(/lax\.dynamicUpdateSlice: takes \(x, update, starts\)/));
});

test('xs.map(np.exp) still works (map passes value, index, array); a function with more parameters is refused there', () => {
  const xs = [np.array([0]), np.array([1])];
  assert.deepEqual(xs.map(np.exp).map((a) => a.tolist()), [[1], [Math.fround(Math.E)]]);
  assert.deepEqual([4, 9].map(np.sqrt).map((a) => a.item()), [2, 3]);
  assert.throws(() => xs.map(np.sum as never), named(/np\.sum: takes at most 2 arguments/)); // the index would be an axis
});

test('arguments that were read past or dropped inside the count: linspace, diagonal/trace, lax.searchsorted/argsort, gather/scatter modes, tri', () => {
  assert.throws(() => (np.linspace as any)(0, 1, 'float64', { num: 3 }), named(/np\.linspace: options came third/));
  assert.throws(() => np.linspace(0, 1, 3, { num: 5 }), named(/num given twice/));
  assert.deepEqual(np.linspace(0, 1, { num: 3 }).tolist(), [0, 0.5, 1]);
  const x3 = np.reshape(np.arange(18), [2, 3, 3]);
  assert.throws(() => (np.diagonal as any)(x3, { offset: 0 }, 1, 2), named(/np\.diagonal: with an options object/));
  assert.throws(() => (np.trace as any)(x3, { offset: 0 }, 1, 2), named(/np\.trace: with an options object/));
  assert.deepEqual(np.diagonal(x3, { offset: 0, axis1: 1, axis2: 2 }).shape, [2, 3]); // numpy: diagonal(x, 0, 1, 2).shape = (2, 3)
  assert.throws(() => lax.searchsorted(np.array([1, 2, 3]), np.array([2]), { side: 'right' } as never), named(/side must be 'left' or 'right'/));
  assert.deepEqual(lax.searchsorted(np.array([1, 2, 3]), np.array([2]), 'right').tolist(), [2]);
  assert.throws(() => lax.argsort(np.array([[1, 2, 3]]), 1, { descending: false } as never), named(/descending must be true or false/));
  const sd = { updateWindowDims: [1], insertedWindowDims: [0], scatterDimsToOperandDims: [0] };
  const idx = np.array([[0], [5]], { dtype: 'int32' });
  // JAX's 'drop' is fill-or-drop: the out-of-range update is dropped (it was clipped onto the last row)
  assert.deepEqual(lax.scatterAdd(np.ones([2, 3]), idx, np.ones([2, 3]), sd, { mode: 'drop' } as never).tolist(), [[2, 2, 2], [1, 1, 1]]);
  assert.throws(() => lax.scatterAdd(np.ones([2, 3]), idx, np.ones([2, 3]), sd, { mode: 'bogus' } as never), named(/mode must be 'clip', 'fill' or 'drop'/));
  assert.throws(() => lax.gather(np.ones([2, 3]), idx, { offsetDims: [1], collapsedSliceDims: [0], startIndexMap: [0] }, [1, 3], { fill_value: 9 } as never), named(/unknown option 'fill_value'/));
  assert.deepEqual(np.broadcastShapes(2 as never, [3, 1]), [3, 2]); // numpy: broadcast_shapes(2, (3, 1)) = (3, 2)
  assert.throws(() => np.broadcastShapes(undefined as never), named(/a shape is a list of non-negative integers/));
  assert.throws(() => np.broadcastShapes('a' as never), named(/np\.broadcastShapes: a shape is a list.*'a'/)); // (read as the internal caller's name: [])
  assert.equal(np.tri(3, 3, 0, 'float64').dtype, 'float64');
  assert.throws(() => (np.tri as any)(3, 3, 0, 'float64', 1), named(/np\.tri: expected/));
  assert.deepEqual(np.tri(3, { k: 1 }).tolist(), [[1, 1, 0], [1, 1, 1], [1, 1, 1]]);
});

test('the arity check covers clip, asarray and lax.concatenate (whose last parameters are internal) and the Array methods', () => {
  const x = np.array([[1, 2], [3, 4]]);
  assert.throws(() => (np.clip as any)(x, 0, 1, { bogus: 1 }), named(/np\.clip: takes at most 3/));
  assert.throws(() => (np.asarray as any)([1.5], 'float64', 'int32'), named(/np\.asarray: takes at most 2/));
  assert.throws(() => (lax.concatenate as any)([x, x], 0, 'x'), named(/lax\.concatenate: takes at most 2/));
  assert.throws(() => (x as any).clip(0, 1, { b: 1 }), named(/x\.clip: takes at most 2 arguments \(lo, hi\)/));
  assert.throws(() => (x as any).dot(x, 1), named(/x\.dot: takes at most 1/));
  assert.deepEqual(x.clip(0, 2).tolist(), [[1, 2], [2, 2]]);
  assert.equal((np as any).principal, undefined);
});

test('JAX positional forms that are legitimate: random.uniform(key, shape, dtype), lax.split(x, sizes) along axis 0', () => {
  assert.equal(random.uniform(random.key(0), [2], 'float64').dtype, 'float64');
  assert.deepEqual(lax.split(np.arange(4, 'float32'), [1, 3]).map((a) => a.tolist()), [[0], [1, 2, 3]]);
});

test('numpy positional forms: linalg.norm(x, ord, axis, keepdims); a null dtype is the default (numpy\'s None); linspace\'s JS end beside a float64 start', () => {
  const A = np.array([[3, 4], [6, 8]]);
  assert.deepEqual(linalg.norm(A, 2, 1).tolist(), [5, 10]); // numpy: norm(A, 2, 1)
  assert.deepEqual(linalg.norm(A, null, 1).tolist(), [5, 10]);
  assert.deepEqual(linalg.norm(A, 2, 1, true).shape, [2, 1]);
  assert.throws(() => (linalg.norm as any)(A, { ord: 2 }, 1), named(/after an options object/));
  assert.equal(np.zeros([2], null as never).dtype, 'float32');
  assert.equal(np.sum(np.ones(2), { dtype: null as never }).dtype, 'float32');
  assert.equal(random.normal(random.key(0), [2], null as never).dtype, 'float32');
  assert.deepEqual(np.linspace(np.array(0, { dtype: 'float64' }), 1e8 + 0.3, 2).tolist(), [0, 1e8 + 0.3]);
});

test('a list with a hole ([a, , b]) is refused by name (list methods skip holes: a neighbour\'s row or 0 was read)', () => {
  const a = np.array([1, 2]), b = np.array([5, 6]);
  const hole = (f: () => unknown, name: string, where: string) =>
    assert.throws(f, (e: any) => e instanceof ValueError && e.message.startsWith(`${name}: ${where} is a list with a hole at index 1`));
  // eslint-disable-next-line no-sparse-arrays
  hole(() => np.stack([a, , b]), 'np.stack', 'argument 0');
  // eslint-disable-next-line no-sparse-arrays
  hole(() => np.concatenate([a, , b]), 'np.concatenate', 'argument 0');
  // eslint-disable-next-line no-sparse-arrays
  hole(() => np.quantile(np.array([0, 10]), [0.1, , 0.9]), 'np.quantile', 'argument 1');
  // eslint-disable-next-line no-sparse-arrays
  hole(() => np.repeat(np.array([7, 8, 9]), [1, , 2]), 'np.repeat', 'argument 1');
  // eslint-disable-next-line no-sparse-arrays
  hole(() => np.broadcastShapes([1, , 3], [3]), 'np.broadcastShapes', 'argument 0');
  // eslint-disable-next-line no-sparse-arrays
  hole(() => np.sum(np.ones([2, 2]), { axis: [0, , 1] }), 'np.sum', 'option axis');
  // eslint-disable-next-line no-sparse-arrays
  hole(() => lax.concatenate([a, , b], 0), 'lax.concatenate', 'argument 0');
  // the same lists written out are fine
  assert.deepEqual(np.stack([a, a, b]).tolist(), [[1, 2], [1, 2], [5, 6]]);
});

test('np.newaxis is null (numpy\'s None): x.get(\':\', np.newaxis) inserts an axis', () => {
  assert.equal(np.newaxis, null);
  assert.deepEqual(np.ones([2, 3]).get(':', np.newaxis).shape, [2, 1, 3]);
});

test("the user's own errors reach them unchanged: a callback's throw, a stack overflow wherever it runs out", () => {
  const mine = new TypeError('my callback broke');
  assert.throws(() => tree.map(() => { throw mine; }, [1, 2]), (e) => e === mine);
  assert.throws(() => tree.map((x: any) => x.foo.bar, [1, 2]), (e) => e instanceof TypeError && !(e instanceof CotangentError));
  // A stack overflow met inside np.add once became "np.add: cannot take the arguments (...):
  // Maximum call stack size exceeded", a ValueError blaming the arguments. Where a real overflow
  // lands depends on frame sizes (which tier runs each function), so first a stand-in thrown
  // from inside np.add's reading of its argument, then real recursions around the depth where
  // they first run out.
  const overflow = new RangeError('Maximum call stack size exceeded');
  const list = new Proxy([1, 2], { get: (t, k, r) => { if (k === '1') throw overflow; return Reflect.get(t, k, r); } });
  assert.throws(() => np.add(list, 1), (e) => e === overflow);
  const deep = (x: any, n: number): any => (n === 0 ? x : np.add(deep(x, n - 1), 0.001));
  const run = (n: number): unknown => { try { grad((x: any) => np.sum(deep(x, n)))(np.array([0.5])); return null; } catch (e) { return e; } };
  let lo = 100, hi = 100;
  while (run(hi) === null) { lo = hi; hi *= 2; }
  while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (run(mid) === null) lo = mid; else hi = mid; }
  let overflows = 0;
  for (let n = hi; n < hi + 10; n++) { // (frames shrink as functions tier up: a depth may fit on a later try)
    const e = run(n);
    if (e !== null) overflows++;
    assert.ok(e === null || (e instanceof RangeError && !(e instanceof CotangentError)), `depth ${n}: ${String(e)}`);
  }
  assert.ok(overflows > 0 || run(4 * hi) instanceof RangeError, 'the recursions ran out of stack');
  assert.ok(Math.abs(grad((x: any) => np.sum(deep(x, 50)))(np.array([0.5])).item() - 1) < 1e-6, 'the next call works');
});

test('an Array copied by structuredClone (or postMessage) is named as such, with what to send instead', () => {
  const c = structuredClone(np.array([1, 2, 3]));
  assert.throws(() => np.add(c as any, 1), (e) => e instanceof CotangentError && /structuredClone or postMessage/.test(e.message) && /float32\[3\]/.test(e.message) && /dataSync/.test(e.message));
  for (const t of [grad, jit, vmap] as any[]) assert.throws(() => t((x: any) => np.sum(x))(c), (e) => e instanceof CotangentError && /structuredClone/.test(e.message), t.name);
});

test("numpy's positional habits that mean something else here are read as numpy's or refused (from a trial porting JAX programs)", () => {
  // np.linspace's fourth positional parameter is endpoint (was read as a dtype: a DTypeError)
  assert.deepEqual((np.linspace as any)(0, 1, 4, false).tolist(), [0, 0.25, 0.5, 0.75]);
  assert.deepEqual((np.linspace as any)(0, 1, 3, true).tolist(), [0, 0.5, 1]);
  // jnp.einsum's optimize/precision in a trailing object (was counted as an operand); unknown keys refused
  const a = np.array([[1, 2], [3, 4]]), b = np.array([[5, 6], [7, 8]]);
  assert.deepEqual(np.einsum('ij,jk->ik', a, b, { optimize: 'greedy' }).tolist(), [[19, 22], [43, 50]]);
  assert.deepEqual(np.einsum('ij,jk->ik', a, b, { optimize: true, precision: 'highest' }).tolist(), [[19, 22], [43, 50]]);
  assert.throws(() => np.einsum('ij,jk->ik', a, b, { out: a } as any), named(/np\.einsum: unknown option 'out'/));
  // errors name what the user passed
  assert.throws(() => linalg.cond(np.zeros([0, 0])), named(/linalg\.cond: cond is not defined on an empty matrix, got x float32\[0,0\]/));
  assert.throws(() => linalg.triangularSolve(np.eye(3), np.ones([4])), named(/b float32\[4\] do not fit/));
});

test('huge counts are refused at once, never a process abort, a hang or gigabytes made before the first op (from the robustness fuzz)', () => {
  const t0 = Date.now();
  // np.arraySplit built a list of 2^31 cuts: V8's "invalid size" abort, which no catch sees
  for (const n of [2 ** 31, 2 ** 32, 2 ** 53, 1e7]) assert.throws(() => np.arraySplit(np.array([1, 2, 3]), n), named(/np\.arraySplit: \d+ sections are more than the 1048576 pieces it makes/));
  assert.equal(np.arraySplit(np.array([1, 2, 3]), 5).length, 5); // (more sections than entries: empty pieces, numpy's)
  // logspace and geomspace computed 2^31 entries one by one in JS (minutes); linspace was refused
  assert.throws(() => np.logspace(0, 1, 2 ** 31), named(/np\.logspace: .*axes are at most 2\^31 - 1 long/));
  assert.throws(() => np.geomspace(1, 2, 2 ** 31), named(/np\.geomspace: .*axes are at most 2\^31 - 1 long/));
  // one array holds at most 1 GiB - 16 bytes: refused at creation (np.ones([2^28]) made 3.4 GB of JS memory first)
  assert.throws(() => np.ones([2 ** 28]), (e: unknown) => e instanceof OutOfMemoryError && /np\.ones: float32\[268435456\] needs 1\.00 GiB; one array holds at most 1 GiB - 16 bytes/.test((e as Error).message));
  assert.throws(() => np.zeros([2 ** 27], 'float64'), OutOfMemoryError);
  // a 256 MiB bool array fits, its int32 count does not: the message said only 'wasm32 addresses at most 4 GiB' (helper-194)
  const bits = np.ones([2 ** 28], 'bool');
  assert.throws(() => np.sum(bits), (e: unknown) => e instanceof OutOfMemoryError && /np\.sum: .*bool to int32: out of memory .*one array at most 1 GiB/.test((e as Error).message));
  assert.equal(np.sum(np.ones([5], 'bool')).item(), 5);
  assert.throws(() => np.arange(2 ** 30), OutOfMemoryError);
  assert.throws(() => np.linspace(0, 1, 2 ** 30), OutOfMemoryError);
  assert.throws(() => np.logspace(0, 1, 2 ** 28), OutOfMemoryError);
  assert.throws(() => random.split(random.key(0), [1e9]), CotangentError); // (16 s, then out of wasm memory)
  assert.throws(() => np.pad(np.array([1, 2, 3]), [2e8]), OutOfMemoryError); // (each side fit; the join ran out of memory 2 s in)
  assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
  assert.equal(np.sum(np.arange(10)).item(), 45);
});

test("JS's Array habits on an Array: x.at(i) arithmetic, x[-1], x.length (each was a silent NaN, string, undefined or 0)", () => {
  const x = np.array([1, 2, 3]);
  // x.at is JAX's updater, not JS's Array.prototype.at: x.at(0) * 2 was NaN, x.at(-1) + 1 a string, x.at(0) > 0 false
  assert.throws(() => (x.at(0) as any) * 2, named(/x\.at\(0\) is JAX's x\.at\[\.\.\.\] updater, not a value.*x\.get\(0\)/));
  assert.throws(() => (x.at(-1) as any) + 1, named(/x\.at\(-1\) is JAX's/));
  assert.throws(() => (x.at(0) as any) > 0, named(/updater, not a value/));
  assert.match(`${x.at(1)}`, /^x\.at\(1\) \(an updater/);
  // numpy's x[-1]: trapped as x[0] is (was undefined)
  assert.throws(() => (x as any)[-1], named(/Array\[-1\]: an Array has no JS elements.*x\.get\(-1\)/));
  assert.throws(() => (x as any)[-1024], named(/x\.get\(-1024\)/));
  assert.equal(x.get(-1).item(), 3);
  // numpy's len(x): a loop to x.length runs and its x[i] says what to write (it ran no times); 0-d has none
  assert.equal(np.zeros([4, 2]).length, 4);
  assert.equal(np.array(3).length, undefined);
  assert.throws(() => { for (let i = 0; i < x.length!; i++) (x as any)[i]; }, named(/use x\.get\(0\)/));
  assert.throws(() => new Float32Array(3).set(x as any), named(/Array\[0\]/)); // (copied nothing)
});

test('arguments of kinds no function takes are named errors: functions, symbols, deep or cyclic lists, ragged index lists, Maps as indices (from the robustness fuzz)', () => {
  const fn = (a: unknown) => a, x = np.array([1, 2, 3]);
  // a function argument made lax's and np's JS TypeErrors pass through ("x._rowIn is not a function")
  assert.throws(() => (lax.abs as any)(fn), named(/lax\.abs: argument 0 is a function/));
  assert.throws(() => (lax.reduceSum as any)(x, fn), named(/lax\.reduceSum: argument 1 is a function/));
  // (an axis of another kind is now named by lax's own axis check)
  assert.throws(() => (lax.argmax as any)(x, Symbol('s')), named(/lax\.argmax: axis must be an integer, got Symbol\(s\) \(a symbol\)/));
  assert.throws(() => (np.repeat as any)(2, fn), named(/np\.repeat: cannot take the arguments \(2, a function\)/));
  // a callback's own error still reaches the caller as it is
  assert.throws(() => tree.map(() => { throw new TypeError('mine'); }, [1]), (e: unknown) => e instanceof TypeError && (e as Error).message === 'mine');
  // 5000 levels deep or cyclic: a stack overflow in some recursive step (its error message, even)
  let deep: unknown = 1; for (let i = 0; i < 5000; i++) deep = [deep];
  assert.throws(() => np.zeros(deep as any), named(/np\.zeros: (argument 0|shape) is a list nested more than 1000 levels deep/));
  assert.throws(() => (lax.reduceSum as any)(x, deep), named(/lax\.reduceSum: argument 1 is a list nested more than 1000 levels deep/));
  assert.throws(() => vmap((a: unknown) => a, deep as any), named(/vmap: inAxes is a list nested more than 1000 levels deep/));
  const cyclic: unknown[] = [1]; cyclic.push(cyclic);
  assert.throws(() => np.take(x, cyclic as any), named(/np\.take: argument 1 is a list that contains itself/));
  // the user's own runaway recursion is still a RangeError
  const r = (n: number): number => r(n + 1);
  assert.throws(() => tree.map((v: number) => r(v), [1]), RangeError);
  assert.throws(() => grad((a: any) => np.multiply(a, r(0)))(np.array(1)), RangeError);
  // ragged index lists were flattened ([1, [2]] took [2, 3]); a Map, Date or Promise read as ':'
  assert.throws(() => np.take(x, [1, [2]] as any), named(/np\.take: an index list must be rectangular/));
  assert.throws(() => x.get([[0, 1], [2]] as any), named(/x\.get: an index list must be rectangular/));
  for (const v of [new Map(), new Date(0), Promise.resolve(1)]) assert.throws(() => x.get(v as any), named(/x\.get: an index is a number, a slice/));
  assert.deepEqual(x.get({ start: 1 }).tolist(), [2, 3]);
  // lax.iota(2, 5) ignored the 5; luSolve of an Array named x[0]; makeJaxpr(f, x) read x's fields as options
  assert.throws(() => (lax.iota as any)(2, 5), named(/lax\.iota: takes lax\.iota\(dtype, size\) or lax\.iota\(size\)/));
  assert.throws(() => (linalg.luSolve as any)(np.eye(3), np.eye(3)), named(/linalg\.luSolve: factors must be the pair \[lu, perm\]/));
  assert.throws(() => (makeJaxpr as any)(fn, x), named(/makeJaxpr: takes \(f, options\?\)/));
  assert.throws(() => (makeJaxpr as any)(5), named(/^makeJaxpr: expected a function/)); // (named jit)
  assert.throws(() => checkGrads((a: any) => np.sin(a), [1, 2, 3]), named(/^checkGrads: the function takes 1 argument \(a\), got 3/)); // (named jvp)
  assert.throws(() => (setKeptTapeBudget as any)(2 ** 26, 'junk'), named(/setKeptTapeBudget: takes one argument/));
  // a rank-31 transpose said its (valid) permutation was not one
  assert.throws(() => lax.transpose(np.ones(Array(31).fill(1)), Array.from({ length: 31 }, (_, i) => 30 - i)), named(/lax\.transpose: transposes handle arrays of rank at most 30/));
  assert.equal(np.sum(np.arange(10)).item(), 45);
});

test('more pieces than one split row makes, or arrays than one concatenate row joins, take a tree of rows; a draw past its counters is refused at once', () => {
  // (past 4,095 they were refused: np.stack of 4,096 per-step losses, np.quantile of 16,000 q)
  const parts = lax.split(np.arange(10000), Array(10000).fill(1));
  assert.equal(parts.length, 10000);
  assert.deepEqual([parts[0].item(), parts[4095].item(), parts[4096].item(), parts[9999].item()], [0, 4095, 4096, 9999]);
  assert.deepEqual(lax.split(np.arange(9000), [...Array(4500).fill(1), 4500]).slice(-2).map((p) => p.shape), [[1], [4500]]);
  assert.deepEqual(np.split(np.arange(5000), 5000).map((p) => p.item()).slice(4094, 4098), [4094, 4095, 4096, 4097]);
  const joined = np.concatenate(Array.from({ length: 9000 }, (_, i) => np.full([2], i)));
  assert.deepEqual([joined.shape, joined.get(8191).item(), joined.get(17999).item()], [[18000], 4095, 8999]);
  assert.deepEqual(np.stack(Array.from({ length: 5000 }, (_, i) => np.array(i))).get('4094:4097').tolist(), [4094, 4095, 4096]);
  // and their derivatives: the transposes of the tree
  const g = grad((v: NDArray) => np.sum(np.multiply(np.concatenate(lax.split(v, Array(5000).fill(1))), np.arange(5000))))(np.ones([5000]));
  assert.deepEqual(g.get('4094:4097').tolist(), [4094, 4095, 4096]);
  const k = random.key(0);
  assert.throws(() => random.uniform(k, [2 ** 30]), (e: unknown) => e instanceof OutOfMemoryError && /random\.uniform: shape \[1073741824\] needs 8\.00 GiB of counters/.test((e as Error).message)); // (4 GB of JS counters first)
  assert.throws(() => random.normal(k, [2 ** 28]), OutOfMemoryError);
  assert.throws(() => (setKeptTapeBudget as any)(Symbol('s')), named(/setKeptTapeBudget: expected a byte count >= 0, got a symbol/));
});

test("a JAX port's habits: typed arrays as operands, np.linalg, numpy's random argument order, catching GradientCheckError", () => {
  // a typed array is numpy's ndarray here (np.array's reading: its own dtype); it was a DTypeError in np ops
  const s = np.add(new Float64Array([1, 2]) as any, np.array([0.5, 0.25]));
  assert.equal(s.dtype, 'float64');
  assert.deepEqual(s.tolist(), [1.5, 2.25]);
  assert.equal(np.sin(new Float32Array([0, 1]) as any).dtype, 'float32');
  assert.throws(() => np.sin(new Int8Array([1]) as any), (e: any) => e instanceof DTypeError && /np\.sin: argument 0: .*Int8Array/.test(e.message));
  // jnp.linalg.solve ports as np.linalg.solve (it was a TypeError reading undefined)
  assert.equal(np.linalg, linalg);
  assert.deepEqual(np.linalg.solve(np.array([[2, 0], [0, 4]]), np.array([2, 2])).tolist(), [1, 0.5]);
  // randint(key, 0, 10, [3]) in numpy's order read 0 as the shape: an empty draw, silently. JAX refuses a bare number.
  const key = random.PRNGKey(0);
  assert.throws(() => random.randint(key, 0 as any, 10, [3] as any), named(/^random\.randint: shape must be a list .*got the number 0.*not numpy's \(low, high, size\)/));
  assert.throws(() => random.normal(key, 3 as any), named(/^random\.normal: shape must be a list .*\[3\] for 3 draws/));
  assert.deepEqual(random.normal(key, [3]).shape, [3]);
  // checkGrads's failure can be caught by its class
  assert.throws(() => checkGrads((x: any) => stopGradient(np.sin(x)), [np.array([0.5], { dtype: 'float64' })], { order: 1 }), (e: any) => e instanceof GradientCheckError);
});

test("typed arrays reach every transform as numpy arrays reach JAX's: jit arguments, tangents, cotangents, scan's xs, loop carries, custom functions' arguments", () => {
  // jit refused a Float64Array ('not an Array or a number ... mark it static'), jvp/linearize/vjp
  // refused typed tangents and cotangents, scan refused typed xs, and a typed loop carry failed the
  // carry type check, while grad, vmap and np ops took the same typed arrays
  const v = new Float64Array([1, 2, 3]);
  const sq = (x: any) => np.multiply(x, x);
  const f = jit((x: any) => np.sum(sq(x)));
  const s = f(v as any);
  assert.equal(s.dtype, 'float64');
  assert.equal(s.item(), 14);
  assert.equal(f(np.array([1, 1, 1], { dtype: 'float64' })).item(), 3);
  assert.equal(f.traceCount, 1, 'a Float64Array has the signature of a float64 Array');
  assert.equal(jit((x: any) => np.sum(x))(new Int32Array([1, 2]) as any).dtype, 'int32');
  const [y, t] = jvp(sq, [v as any], [new Float64Array([1, 0, 2]) as any]);
  assert.deepEqual(y.tolist(), [1, 4, 9]);
  assert.deepEqual(t.tolist(), [2, 0, 12]); // 2 x t
  assert.throws(() => jvp(sq, [v as any], [new Float32Array([1, 0, 2]) as any]), (e: any) => e instanceof DTypeError && /jvp: tangent 0 has dtype float32 but its primal is float64/.test(e.message));
  const [, lin] = linearize(sq, np.array([1, 2, 3], { dtype: 'float64' }));
  assert.deepEqual(lin(new Float64Array([1, 1, 1]) as any).tolist(), [2, 4, 6]);
  const [, pull] = vjp(sq, np.array([1, 2, 3], { dtype: 'float64' }));
  assert.deepEqual(pull(new Float64Array([1, 0, 1]) as any)[0].tolist(), [2, 0, 6]);
  const [c, ys] = lax.scan((acc: any, x: any) => [np.add(acc, x), acc], np.array(0, { dtype: 'float64' }), v as any);
  assert.equal(c.item(), 6);
  assert.deepEqual(ys.tolist(), [0, 1, 3]);
  const out = lax.foriLoop(0, 2, (_i: any, x: any) => np.add(x, 1), new Float32Array([1, 2]) as any) as any;
  assert.equal(out.dtype, 'float32');
  assert.deepEqual(out.tolist(), [3, 4]);
  const w = lax.whileLoop((x: any) => np.less(np.sum(x), 10), (x: any) => np.multiply(x, 2), new Float64Array([1, 2]) as any) as any;
  assert.deepEqual(w.tolist(), [4, 8]);
  // cond and switch operands under jit (a ValueError 'operand[0] is a Float64Array ...' there; eagerly they ran)
  const co = jit((p: any) => lax.cond(p, (a: any) => np.add(a, 1), (a: any) => a, new Float64Array([1, 2]) as any))(np.array(true));
  assert.equal(co.dtype, 'float64');
  assert.deepEqual(co.tolist(), [2, 3]);
  const sw = jit((i: any) => lax.switch(i, [(a: any) => a, (a: any) => np.multiply(a, 3)], new Float32Array([1, 2]) as any))(np.array(1, { dtype: 'int32' }));
  assert.deepEqual(sw.tolist(), [3, 6]);
  const scale = customVjp((x: any, k: any) => np.multiply(x, k), (x: any, k: any) => [np.multiply(x, k), k], (k: any, g: any) => [np.multiply(g, k), np.zerosLike(k)]);
  assert.deepEqual(grad((x: any) => np.sum(scale(x, v)))(np.array([1, 1, 1], { dtype: 'float64' })).tolist(), [1, 2, 3]);
  // what np.array refuses is refused here too, by np.array's message
  assert.throws(() => jit((x: any) => x)(new DataView(new ArrayBuffer(8)) as any), (e: any) => e instanceof DTypeError && /DataView is not supported/.test(e.message));
});

test('x.at[0] (JAX\'s Python syntax) and an x.at(i) updater passed as a value say how to write it in JS', () => {
  const x = np.array([1, 2, 3]);
  assert.throws(() => (x as any).at[0].set(1), named(/x\.at\[0\] is JAX's Python syntax; in JS call it: x\.at\(0\)\.set\(v\)/));
  assert.throws(() => (x as any).at['1:3'], named(/x\.at\('1:3'\)\.set\(v\)/));
  // an index Array in brackets is stringified: the hint passes it as itself (it said x.at('[0 2]'), a
  // string index, and x.at('Traced<int32[]>') under vmap)
  const idx = np.array([0, 2], { dtype: 'int32' });
  assert.throws(() => (x as any).at[idx as any], named(/x\.at\(idx\)\.set\(v\).*index Array or list itself as idx/));
  assert.throws(() => vmap((i: any) => (x as any).at[i].add(1))(idx), named(/x\.at\(idx\)\.set\(v\)/));
  assert.throws(() => np.sum(x.at(-1) as any), named(/np\.sum: argument 0 is an x\.at\(\.\.\.\) updater.*read with x\.get/));
  assert.throws(() => np.stack([x.at(0) as any, x]), DTypeError);
  assert.deepEqual(x.at(0).set(9).tolist(), [9, 2, 3]); // (the method itself unchanged)
  assert.equal(typeof x.at.bind, 'function');
});

test('np.repeat with traced counts needs totalRepeatLength (a TracerError saying so), then matches jnp: extended by the last element, or cut', () => {
  const x = np.array([1, 2, 3]), r = np.array([1, 0, 2], { dtype: 'int32' });
  assert.throws(() => jit((c: any) => np.repeat(x, c))(r), (e: any) => e.name === 'TracerError' && /totalRepeatLength/.test(e.message));
  // numpy: repeat([1, 2, 3], [1, 0, 2]) = [1, 3, 3]; jnp pads with the last element, or cuts
  for (const [len, want] of [[3, [1, 3, 3]], [5, [1, 3, 3, 3, 3]], [2, [1, 3]], [0, []]] as const) {
    assert.deepEqual(jit((c: any) => np.repeat(x, c, { totalRepeatLength: len }))(r).tolist(), want, `length ${len}`);
    assert.deepEqual(np.repeat(x, [1, 0, 2], { totalRepeatLength: len }).tolist(), want, `concrete, length ${len}`);
  }
  const rows = np.array([[1, 0, 2], [0, 3, 0]], { dtype: 'int32' });
  assert.deepEqual(vmap((c: any) => np.repeat(x, c, { totalRepeatLength: 4 }))(rows).tolist(), [[1, 3, 3, 3], [2, 2, 2, 3]]);
  assert.deepEqual(np.repeat(np.array([[1, 2], [3, 4]]), [2, 1], { axis: 1, totalRepeatLength: 3 }).tolist(), [[1, 1, 2], [3, 3, 4]]);
  // each output reads one element: the gradient counts the weights landing on it
  const w = np.array([1, 10, 100, 1000]);
  assert.deepEqual(grad((v: any) => np.sum(np.multiply(np.repeat(v, r, { totalRepeatLength: 4 }), w)))(x).tolist(), [1, 0, 1110]);
  assert.throws(() => np.repeat(x, [1, -1, 2], { totalRepeatLength: 3 }), ValueError);
  assert.throws(() => np.repeat(x, 2, { totalRepeatLength: 1.5 }), ValueError);
  assert.throws(() => jit((a: any, c: any) => np.repeat(a, c, { totalRepeatLength: 3 }))(np.zeros([0]), np.zeros([0], 'int32')), (e: any) => e.name === 'IndexError');
  assert.deepEqual(np.repeat(np.zeros([0]), [], { totalRepeatLength: 0 }).shape, [0]);
});

test("JAX's x.at[i].subtract/divide/power exist (x.at(0).divide(2) was a JS TypeError, 'is not a function'), written as JAX writes them", () => {
  const x = np.array([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(x.at(0).subtract(1).tolist(), [[0, 1, 2], [4, 5, 6]]);
  assert.deepEqual(x.at(0, '1:').subtract(np.array([10, 20])).tolist(), [[1, -8, -17], [4, 5, 6]]);
  assert.deepEqual(np.array([1, 2, 3]).at([0, 0]).subtract(1).tolist(), [-1, 2, 3]); // repeated: both apply
  assert.deepEqual(x.at(0).divide(2).tolist(), [[0.5, 1, 1.5], [4, 5, 6]]);
  assert.deepEqual(np.array([8, 2, 3]).at([0, 0]).divide(2).tolist(), [2, 2, 3]);
  assert.deepEqual(x.at(1).power(2).tolist(), [[1, 2, 3], [16, 25, 36]]);
  // dtypes as jnp: an int32 divide is a true divide, uint32 wraps, int32 subtract stays exact
  assert.deepEqual(np.array([7, 2], { dtype: 'int32' }).at(0).divide(2).tolist(), [3.5, 2]);
  assert.deepEqual(np.array([5, 2], { dtype: 'uint32' }).at(0).subtract(6).tolist(), [4294967295, 2]);
  assert.deepEqual(np.array([16777217, 2], { dtype: 'int32' }).at(0).subtract(1).tolist(), [16777216, 2]);
  // derivatives and transforms go through
  assert.equal(grad((w: any) => np.sum(np.array([1, 2, 3]).at(1).divide(w)))(np.array(2)).item(), -0.5);
  assert.deepEqual(grad((w: any) => np.sum(w.at(1).power(3)))(np.array([1, 2, 3])).tolist(), [1, 12, 1]);
  assert.deepEqual(jit((w: any) => w.at(1).subtract(5))(np.array([1, 2, 3])).tolist(), [1, -3, 3]);
  // and their errors name them
  assert.throws(() => (x.at(0) as any).subtract(1, 2), named(/^x\.at\(\)\.subtract: takes one argument/));
  assert.throws(() => x.at(np.array([1.5])).divide(2), (e: any) => e instanceof DTypeError && /^x\.at\(\)\.divide: index arrays must be int32/.test(e.message));
});

test('a typed array whose buffer was transferred (postMessage, structuredClone) is named as such (a JS TypeError from a copy: "detached ArrayBuffer")', () => {
  const b = new ArrayBuffer(8), t = new Float32Array(b);
  structuredClone(b, { transfer: [b] });
  assert.throws(() => np.array(t), named(/^np\.array: a Float32Array whose ArrayBuffer was detached \(transferred with postMessage or structuredClone\)/));
  assert.throws(() => np.sin(t as any), named(/^np\.sin: argument 0: np\.array: a Float32Array whose ArrayBuffer was detached/));
  // an empty typed array, of either kind of buffer, is still an empty Array
  assert.deepEqual(np.array(new Float32Array(0)).shape, [0]);
  assert.deepEqual(np.array(new Float32Array(new SharedArrayBuffer(8))).tolist(), [0, 0]);
});

test("devices(backend) as jax.devices: one backend's devices, an unavailable one an error (devices('gpu') listed ['cpu'] without a word)", () => {
  assert.deepEqual(devices(), ['cpu']);
  assert.deepEqual(devices('cpu'), ['cpu']);
  assert.throws(() => devices('gpu'), named(/^devices: backend 'gpu' \(a string\) is not available; devices\(\) lists \["cpu"\]/));
  assert.throws(() => devices(5 as any), named(/^devices: backend must be a string/));
  assert.throws(() => (devices as any)('cpu', 1), named(/^devices: takes at most 1 argument/));
});

test("API.md's await initGpu() exists (importing it failed at load): it resolves to false, no GPU kernels in this build, and devices() stays ['cpu']", async () => {
  const api = await import('../ts/index.ts');
  assert.equal(typeof api.initGpu, 'function');
  assert.equal(await api.initGpu(), false);
  assert.deepEqual(devices(), ['cpu']);
  await assert.rejects(() => (api.initGpu as any)({ powerPreference: 'high-performance' }), named(/^initGpu: takes no arguments/));
  assert.deepEqual(jit((x: NDArray) => np.multiply(x, 2), { device: 'cpu' })(np.array([1, 2])).tolist(), [2, 4]);
});

test("JS's + and == on a many-element Array throw (x + 1 was the string 'Array([1, 2, 3], dtype=float32)1'); strings come from String(x) or a template", () => {
  const x = np.array([1, 2, 3]);
  assert.throws(() => (x as any) + 1, named(/JS's \+ or ==.*shape \[3\].*np\.add/));
  assert.throws(() => 1 + (x as any), named(/np\.add/));
  assert.throws(() => 'x = ' + (x as any), named(/template literal/)); // (JS cannot tell this from x + 1)
  assert.throws(() => (x as any) == 1, named(/np\.equal/));
  assert.throws(() => (np.zeros([0]) as any) + 1, named(/shape \[0\]/));
  // a one-element Array is a number to +, as JAX's float(x) is; the string forms still print
  assert.equal((np.array([2]) as any) + 1, 3);
  assert.equal((np.array(2) as any) + 1, 3);
  assert.equal(`x = ${x}`, 'x = [1. 2. 3.]');
  assert.equal(String(x), '[1. 2. 3.]');
  assert.equal(np.add(x, 1).tolist().join(), '2,3,4'); // and the next call works
});

test("JAX's keywords as an options object in an optional positional place: tensordot(a, b, { axes }), vander(x, { N, increasing }), trapezoid(y, { dx }) and trapezoid(y, x, { axis }) (were ValueErrors); a parameter given twice is a ValueError naming it", () => {
  const a = np.array([[0, 1, 2], [3, 4, 5]]), b = np.array([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]);
  // tensordot: axes = 1 is the matrix product (row 0: 0*0 + 1*4 + 2*8 = 20, ...); the default 2 the sum of products
  assert.deepEqual(np.tensordot(a, b, { axes: 1 }).tolist(), [[20, 23, 26, 29], [56, 68, 80, 92]]);
  assert.deepEqual(np.tensordot(a, b, 1).tolist(), [[20, 23, 26, 29], [56, 68, 80, 92]]);
  assert.deepEqual(np.tensordot(a, [1, 10], { axes: [[0], [0]] }).tolist(), [30, 41, 52]);
  assert.equal(np.tensordot(a, a, {}).item(), 0 + 1 + 4 + 9 + 16 + 25);
  // vander: N and increasing by key, after N positionally, or both positionally (numpy's order)
  assert.deepEqual(np.vander([1, 2, 3], { N: 3, increasing: true }).tolist(), [[1, 1, 1], [1, 2, 4], [1, 3, 9]]);
  assert.deepEqual(np.vander([1, 2, 3], { N: 2 }).tolist(), [[1, 1], [2, 1], [3, 1]]);
  assert.deepEqual(np.vander([2, 3], 3, { increasing: true }).tolist(), [[1, 2, 4], [1, 3, 9]]);
  assert.deepEqual(np.vander([2, 3], 3, true).tolist(), [[1, 2, 4], [1, 3, 9]]);
  assert.deepEqual(np.vander([2, 3], null, { increasing: false }).tolist(), [[2, 1], [3, 1]]);
  // trapezoid: 0.5 ((1 + 2) / 2 + (2 + 3) / 2 + (3 + 5) / 2) = 4; x = [0, 2] along axis 0: 2 (y0 + y1) / 2
  assert.equal(np.trapezoid([1, 2, 3, 5], { dx: 0.5 }).item(), 4);
  const y2 = [[1, 2, 3], [4, 5, 7]];
  assert.deepEqual(np.trapezoid(y2, [0, 2], { axis: 0 }).tolist(), [5, 7, 10]);
  assert.deepEqual(np.trapezoid(y2, { x: [0, 2], axis: 0 }).tolist(), [5, 7, 10]);
  assert.deepEqual(np.trapezoid(y2, null, 0.5, 0).tolist(), [1.25, 1.75, 2.5]);
  assert.deepEqual(np.trapezoid(y2, null, 0.5, { axis: 0 }).tolist(), [1.25, 1.75, 2.5]);
  assert.deepEqual(np.trapezoid(y2, null, { dx: 0.5, axis: 0 }).tolist(), [1.25, 1.75, 2.5]);
  assert.equal(np.trapezoid([1, 2, 3], { x: [0, 1, 3] }).item(), 1 * 1.5 + 2 * 2.5);
  // differentiable as before: the weights dx [1/2, 1, 1/2]
  assert.deepEqual(grad((y: NDArray) => np.trapezoid(y, { dx: 0.5 }))(np.array([1, 2, 3])).tolist(), [0.25, 0.5, 0.25]);
  assert.deepEqual(jit((y: NDArray, t: NDArray) => np.trapezoid(y, { x: t }))(np.array([1, 2, 3]), np.array([0, 1, 3])).item(), 6.5);
  // both ways for one parameter, an object followed by more, unknown keys: ValueErrors naming the function
  assert.throws(() => (np.tensordot as any)(a, b, 1, { axes: 1 }), named(/^np\.tensordot: axes given twice, positionally \(1\) and in the options object \(1\)/));
  assert.throws(() => (np.tensordot as any)(a, b, 1, 2), named(/^np\.tensordot: takes axes positionally, then an options object, got 2/));
  assert.throws(() => (np.tensordot as any)(a, b, { axis: 1 }), named(/^np\.tensordot: unknown option 'axis'; valid options are 'axes'/));
  assert.throws(() => (np.vander as any)([1, 2, 3], 3, { N: 4 }), named(/^np\.vander: N given twice, positionally \(3\) and in the options object \(4\)/));
  assert.throws(() => (np.vander as any)([1, 2, 3], 3, true, { increasing: false }), named(/^np\.vander: increasing given twice/));
  assert.throws(() => (np.vander as any)([1, 2, 3], { N: 3 }, true), named(/^np\.vander: give N, increasing in one options object or all positionally, in that order, not an options object followed by true/));
  assert.throws(() => (np.trapezoid as any)([1, 2, 3], [0, 1, 2], { x: [0, 1, 3] }), named(/^np\.trapezoid: x given twice, positionally \(\[0, 1, 2\]\) and in the options object \(\[0, 1, 3\]\)/));
  assert.throws(() => (np.trapezoid as any)([1, 2, 3], null, 0.5, { dx: 2 }), named(/^np\.trapezoid: dx given twice/));
  assert.throws(() => (np.trapezoid as any)([1, 2, 3], { dx: 2 }, 1), named(/^np\.trapezoid: give x, dx, axis in one options object or all positionally/));
  assert.throws(() => np.trapezoid([1, 2, 3], [0, 1, 2], { dx: 2 }), named(/^np\.trapezoid: give x or dx, not both/));
  assert.throws(() => (np.trapezoid as any)([1, 2, 3], { step: 2 }), named(/^np\.trapezoid: unknown option 'step'; valid options are 'x', 'dx', 'axis'/));
  assert.deepEqual(np.trapezoid([1, 2, 3]).item(), 4); // (the next call works)
});

test('a pytree object with a symbol-keyed or non-enumerable property is refused: the object a transform rebuilds lacked it, silently', () => {
  const K = Symbol('k');
  const withSymbol = { w: 2.0, [K]: 10 };
  // (the function read q[K] as undefined: 1 in place of 10, a silent wrong derivative)
  assert.throws(() => grad((q: any) => np.multiply(q.w, q[K] ?? 1))(withSymbol), named(/symbol-keyed property \(Symbol\(k\)\)/));
  const hidden: any = { w: 2.0 };
  Object.defineProperty(hidden, 'h', { value: 3, enumerable: false });
  assert.throws(() => jit((q: any) => np.multiply(q.w, q.h ?? 1))(hidden), named(/non-enumerable property 'h'/));
  assert.throws(() => vmap((q: any) => q.w)({ w: np.array([1, 2]), [K]: 1 }), named(/symbol-keyed/));
  assert.equal(grad((q: any) => np.multiply(q.w, q.v))({ w: 2.0, v: 3 }).w.item(), 3); // plain keys as before
});

test('a pytree list with a property beside its elements is refused, as such an object is: the list a transform rebuilds lacked it, silently', () => {
  const l: any = [np.array(1.0), np.array(2.0)]; l.scale = 10;
  const f = (l: any) => np.multiply(np.add(l[0], l[1]), l.scale ?? 1);
  assert.equal(f(l).item(), 30);
  // (jit(f)(l) was 3 and grad(f)(l) [1, 1], want [10, 10]: the function read l.scale as undefined)
  const besides = named(/a list in the tree has a property 'scale' besides its elements; a pytree's list is its elements \(JAX's list\)/);
  assert.throws(() => jit(f)(l), besides);
  assert.throws(() => grad(f)(l), besides);
  assert.throws(() => vmap(f)(Object.assign([np.array([1, 2]), np.array([3, 4])], { scale: 10 })), besides);
  assert.throws(() => grad((d: any) => f(d.l))({ l }), besides); // nested
  assert.throws(() => tree.map((v: any) => v, l), besides); // (tree.map's result lacked it)
  assert.throws(() => tree.map((a: any, b: any) => b, [1, 2], l), besides);
  assert.throws(() => tree.leaves(l), besides);
  const K = Symbol('k');
  assert.throws(() => grad((l: any) => np.multiply(l[0], l[K] ?? 1))(Object.assign([np.array(1.0)], { [K]: 10 })), named(/a list in the tree has a symbol-keyed property \(Symbol\(k\)\)/));
  const holey: any = [1, , 2]; holey.scale = 10; // (as many keys as elements: the extra one still found)
  assert.throws(() => tree.leaves([holey]), named(/property 'scale'/));
  // an aux is copied as the transforms rebuild a tree: the same rule
  assert.throws(() => grad((x: any) => [np.sum(x), Object.assign([x], { step: 3 })], { hasAux: true })(np.ones([2])), named(/^grad: a list in the tree has a property 'step'/));
  // plain lists as before
  assert.deepEqual(grad((l: any) => np.multiply(np.add(l[0], l[1]), 10))([np.array(1.0), np.array(2.0)]).map((g: NDArray) => g.item()), [10, 10]);
  assert.deepEqual(tree.leaves([[], [1, [2]]]), [1, 2]);
});

test("an own '__proto__' key (JSON.parse makes one) stays a key: rebuilt trees set the prototype with it instead", () => {
  const o = JSON.parse('{"__proto__": 1.5, "a": 2.5}');
  assert.deepEqual(tree.leaves(o), [1.5, 2.5]);
  const own = (x: object) => Object.getOwnPropertyDescriptor(x, '__proto__')?.value;
  // (tree.map's result had only the key a; grad's was an object whose prototype was the Array gradient)
  const m = tree.map((v: number) => v * 2, o);
  assert.deepEqual(Object.keys(m), ['__proto__', 'a']);
  assert.equal(Object.getPrototypeOf(m), Object.prototype);
  assert.deepEqual([own(m), m.a], [3, 5]);
  const g = grad((d: any) => np.multiply(d.a, 3))(o);
  assert.deepEqual(Object.keys(g), ['__proto__', 'a']);
  assert.equal(Object.getPrototypeOf(g), Object.prototype);
  assert.deepEqual([own(g).item(), g.a.item()], [0, 3]);
  const g2 = grad((d: any) => np.multiply(own(d), d.a))(o); // the function sees the key as its own
  assert.deepEqual([own(g2).item(), g2.a.item()], [2.5, 1.5]);
  assert.equal(jit((d: any) => np.add(own(d), d.a))(o).item(), 4);
  assert.deepEqual(Object.keys(jit((d: any) => d)(o)), ['__proto__', 'a']);
  const batch = JSON.parse('{"__proto__": 0, "a": 0}');
  Object.defineProperty(batch, '__proto__', { value: np.array([3, 4]) }); // (an own data property: its value only)
  batch.a = np.array([1, 2]);
  assert.deepEqual(vmap((d: any) => np.add(own(d), d.a))(batch).tolist(), [4, 6]);
  assert.deepEqual(own(vmap((d: any) => d)(batch)).tolist(), [3, 4]);
  const [, aux] = grad((x: any) => [np.sum(x), JSON.parse('{"__proto__": 7}')], { hasAux: true })(np.ones([2]));
  assert.deepEqual([Object.keys(aux), own(aux), Object.getPrototypeOf(aux)], [['__proto__'], 7, Object.prototype]);
});

test('an Object.create(null) object is a dict as a hasAux aux too (it was refused as a non-plain object)', () => {
  const f = (x: any) => { const a = Object.create(null); a.y = np.multiply(x, 2); return [np.sum(x), a]; };
  const [g, aux] = grad(f, { hasAux: true })(np.array([1, 2, 3]));
  assert.deepEqual(g.tolist(), [1, 1, 1]);
  assert.deepEqual(Object.keys(aux), ['y']);
  assert.deepEqual(aux.y.tolist(), [2, 4, 6]);
  const [, , aux2] = jvp(f, [np.array([1, 2])], [np.array([1, 1])], { hasAux: true });
  assert.deepEqual(aux2.y.tolist(), [2, 4]);
});

test('a frozen Array (Object.freeze, as Immer and Redux freeze state) works in every op and transform; each op threw a JS TypeError "Cannot assign to read only property \'_cacheRow\'"', () => {
  const a = Object.freeze(np.array([1, 2], { dtype: 'float64' }));
  assert.deepEqual(np.add(a, 1).tolist(), [2, 3]);
  assert.equal(a.get(1).item(), 2);
  assert.deepEqual(a.at(0).set(5).tolist(), [5, 2]);
  assert.deepEqual(jit((x: any) => np.multiply(x, 2))(a).tolist(), [2, 4]);
  assert.deepEqual(vmap((x: any) => np.multiply(x, 2))(a).tolist(), [2, 4]);
  assert.deepEqual(grad((x: any) => np.sum(np.square(x)))(a).tolist(), [2, 4]); // 2x
  assert.deepEqual(random.normal(Object.freeze(random.key(0)), [2]).tolist(), random.normal(random.key(0), [2]).tolist());
  // large ones (resident in wasm memory, evicted to JS memory under pressure) keep their values
  const big: any[] = [];
  for (let i = 0; i < 40; i++) { const b = Object.freeze(np.multiply(np.ones([200000], { dtype: 'float32' }), i)); assert.equal(np.sum(b).item(), 200000 * i); big.push(b); }
  big.forEach((b, i) => { assert.equal(b.dataSync()[7], i); assert.equal(np.sum(b).item(), 200000 * i); });
  // tidy leaves a frozen Array it made alive (it cannot be marked deleted), and the step loop of a frozen store works
  let k: any;
  assert.equal(tidy(() => { k = Object.freeze(np.ones([100000])); return np.sum(k); }).item(), 100000);
  assert.equal(np.sum(k).item(), 100000);
  let p = Object.freeze({ w: Object.freeze(np.array([1, 2], { dtype: 'float64' })) });
  for (let i = 0; i < 3; i++) p = Object.freeze({ w: Object.freeze(np.subtract(p.w, np.multiply(0.1, grad((w: any) => np.sum(np.square(w)))(p.w)))) });
  assert.deepEqual(p.w.tolist().map((v: number) => +v.toFixed(12)), [0.512, 1.024]); // w * 0.8^3
  // donating one is refused (a donated Array is deleted), and the next call works
  const f = jit((x: any) => np.add(x, 1), { donateArgnums: 0 });
  assert.throws(() => f(Object.freeze(np.ones([3]))), named(/jit\(.*\): argument 0 \(donateArgnums\) holds a frozen Array/));
  assert.deepEqual(f(np.ones([3])).tolist(), [2, 2, 2]);
});

test("JS list methods on an Array (x.map(f), x.forEach, x.filter, x.toFixed, ...) say what to write; each was JS's bare 'x.map is not a function'", () => {
  const x = np.array([3, 1, 2]);
  assert.throws(() => (x as any).map((v: any) => v), named(/^Array\.map: an Array float32\[3\] is not a JS list .*vmap\(f\)\(x\).*x\.tolist\(\)\.map\(f\)/));
  assert.throws(() => (x as any).forEach(() => 0), named(/for \(const row of x\)/));
  assert.throws(() => (x as any).filter(() => true), named(/np\.where/));
  assert.throws(() => (x as any).slice(1), named(/x\.get\('1:3'\)/));
  assert.throws(() => (np.array(2.5) as any).toFixed(1), named(/x\.item\(\)\.toFixed/));
  assert.equal(typeof (x as any).map, 'function'); // (a duck-typing probe stays quiet)
  assert.ok(!Object.keys(x).includes('map'));
  assert.deepEqual(x.sort().tolist(), [1, 2, 3]); // jax.Array's own sort is untouched
  assert.deepEqual(vmap((v: any) => np.multiply(v, 2))(x).tolist(), [6, 2, 4]);
});

test('a thenable returned to a transform ({ then() {} }, a plain object) is named as the Promise it is; it said the function returned a function', () => {
  assert.throws(() => grad((_x: any) => ({ then() {} }) as any)(1), named(/^grad: the function returned a Promise \(an async function\?\)/));
  assert.throws(() => jit((_x: any) => ({ then() { throw new Error('boom'); } }) as any)(np.array(1)), named(/^jit\(.*\): the function returned a Promise/));
  assert.equal(grad((x: any) => np.multiply(x, x))(3).item(), 6); // (the next call works)
});

test("JAX's snake_case names say the camelCase one (np.expand_dims was 'np.expand_dims is not a function'); the namespaces' keys and real names are unchanged", () => {
  const cases: [() => unknown, RegExp][] = [
    [() => (np as any).expand_dims(np.ones([2]), 0), /^np\.expand_dims: .*np\.expandDims$/],
    [() => (np as any).log_softmax(np.ones([2])), /np\.logSoftmax/],
    [() => (lax as any).fori_loop(0, 2, (i: unknown, c: unknown) => c, 0), /^lax\.fori_loop: .*lax\.foriLoop$/],
    [() => (lax as any).dot_general(np.ones([2]), np.ones([2]), [[[0], [0]], [[], []]]), /lax\.dotGeneral/],
    [() => (np.linalg as any).matrix_power(np.eye(2), 2), /linalg\.matrixPower/],
    [() => (random as any).fold_in(random.key(0), 1), /random\.foldIn/],
  ];
  for (const [f, re] of cases) assert.throws(f, (e: unknown) => e instanceof ValueError && re.test((e as Error).message), String(f));
  assert.ok(!Object.keys(np).includes('expand_dims') && Object.keys(np).includes('expandDims'));
  assert.deepEqual(np.expandDims(np.ones([2]), 0).shape, [1, 2]);
  assert.equal((np as any).not_a_name, undefined); // (only names that exist get a hint)
  for (const k of Object.keys(np)) assert.equal(Object.getOwnPropertyDescriptor(np, k)!.enumerable, true, k);
});

test('the exported Array class checks what ops trust: a dtype it does not know, data of another kind, a shape of non-integers (each read as other bits, or a bare JS TypeError, before)', async () => {
  const { Array: ArrayClass } = await import('../ts/index.ts');
  const A = ArrayClass as unknown as new (...a: unknown[]) => NDArray;
  // int32 from float bits: np.sum read 1.5's bits as 1069547520
  assert.throws(() => new A([2], 'int32', new Float32Array([1.5, 2])), (e: unknown) => e instanceof DTypeError && /int32 data must be an Int32Array, got Float32Array.*np\.array/.test((e as Error).message));
  assert.throws(() => new A([2], 'bogus', new Float32Array([1, 2])), (e: unknown) => e instanceof DTypeError && /unknown dtype 'bogus'/.test((e as Error).message));
  assert.throws(() => new A([2], 'constructor', new Float32Array([1, 2])), DTypeError);
  assert.throws(() => new A([1, 2, 3]), DTypeError); // (no dtype: was "Cannot read properties of undefined")
  assert.throws(() => new A([3], 'float32'), (e: unknown) => e instanceof DTypeError && /got undefined/.test((e as Error).message));
  assert.throws(() => new A([1.5], 'float32', new Float32Array(1)), ShapeError);
  assert.throws(() => new A([-1], 'float32', new Float32Array(0)), ShapeError);
  assert.throws(() => new A(3, 'float32', new Float32Array(3)), ShapeError);
  assert.throws(() => new A([2], 'float32', [1, 2]), DTypeError);
  // what the checks let through is an ordinary Array
  const ok = new A([2, 2], 'complex64', new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]));
  assert.deepEqual(np.sum(ok).item(), { re: 16, im: 20 });
  assert.equal(np.sum(new A([3], 'int32', new Int32Array([1, 2, 3]))).item(), 6);
});

test("numpy's in-place methods (put, itemset, resize, partition) and TypedArray's set name what returns the new Array", () => {
  // (each was JS's bare "x.put is not a function", a TypeError naming nothing)
  const x = np.array([3, 1, 2]) as unknown as Record<string, (...a: unknown[]) => unknown>;
  const hints: [string, RegExp][] = [['put', /np\.put\(x, ind, v\)/], ['itemset', /x\.at\(i\)\.set\(v\)/], ['resize', /np\.resize/],
    ['partition', /np\.partition\(x, kth\)/], ['set', /x\.at\(idx\)\.set\(v\)/]];
  for (const [m, hint] of hints) {
    assert.throws(() => x[m](0, 1), (e: unknown) => e instanceof ValueError && new RegExp(`Array\\.${m}: an Array float32\\[3\\]`).test((e as Error).message) && hint.test((e as Error).message), m);
  }
  assert.deepEqual(np.sort(x as unknown as NDArray).tolist(), [1, 2, 3]); // (and the Array still works)
});
