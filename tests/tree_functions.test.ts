// JAX's tree functions beyond map/flatten (jax.tree.reduce, all, transpose, the *_with_path
// family, keystr) against results written out by hand from JAX's documented semantics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, tree, lax, CotangentError, NotImplementedError, ValueError } from '../ts/index.ts';

const f64 = (v: number[]) => np.array(v, { dtype: 'float64' });

test('tree.reduce folds the leaves in flatten order (object keys sorted), with or without an initializer', () => {
  assert.equal(tree.reduce((a: number, b: number) => a + b, [1, [2, 3], { y: 4, x: 5 }]), 15);
  // order: [1, 2, 3] then keys x, y sorted: 5 then 4
  assert.deepEqual(tree.reduce((a: number[], b: number) => [...a, b], [1, [2, 3], { y: 4, x: 5 }], [] as number[]), [1, 2, 3, 5, 4]);
  assert.equal(tree.reduce((a: number, b: number) => a * b, [], 7), 7);
  assert.throws(() => tree.reduce((a: number, b: number) => a + b, [[], null]), (e: unknown) => e instanceof ValueError && /no leaves and no initializer/.test((e as Error).message));
  // a sum of Arrays (the docs' total-parameter-count idiom: reduce over sizes)
  const params = { w: np.zeros([3, 4]), b: np.zeros([4]), layers: [np.zeros([2, 2])] };
  assert.equal(tree.reduce((n: number, x: any) => n + x.size, params, 0), 20);
  assert.throws(() => (tree.reduce as any)((a: number) => a, [1], 0, () => true), /is_leaf is not supported/);
});

test('tree.all / tree.any: Python truth of each leaf; a multi-element Array is a ValueError', () => {
  assert.equal(tree.all([true, [1, 2], { a: 3 }]), true);
  assert.equal(tree.all([true, [1, 0]]), false);
  assert.equal(tree.all([]), true);
  assert.equal(tree.any([]), false);
  assert.equal(tree.any([0, [false, null]]), false);
  assert.equal(tree.any([0, [np.array(2)]]), true);
  assert.equal(tree.all([np.array(true), np.array([1])]), true);
  assert.equal(tree.all([np.array(0.0)]), false);
  // the docs' idiom: all leaves close
  const a = { w: f64([1, 2]), b: f64([3]) }, b = { w: f64([1, 2 + 1e-12]), b: f64([3]) };
  assert.equal(tree.all(tree.map((x: any, y: any) => np.allclose(x, y), a, b)), true);
  assert.throws(() => tree.all([f64([1, 2])]), (e: unknown) => e instanceof ValueError && /shape \[2\] has no single truth value/.test((e as Error).message));
});

test('tree.transpose: a list of {w, b} becomes {w: list, b: list}, and back', () => {
  const xs = [{ w: 1, b: 2 }, { w: 3, b: 4 }, { w: 5, b: 6 }];
  const outer = tree.structure([0, 0, 0]), inner = tree.structure({ w: 0, b: 0 });
  assert.deepEqual(tree.transpose(outer, inner, xs), { b: [2, 4, 6], w: [1, 3, 5] });
  assert.deepEqual(tree.transpose(outer, null, xs), { b: [2, 4, 6], w: [1, 3, 5] });
  const back = tree.transpose(inner, outer, { w: [1, 3, 5], b: [2, 4, 6] });
  assert.deepEqual(back, xs);
  // nested inner structure, Arrays as leaves (kept as they are)
  const p = np.array(1);
  const t = tree.transpose(tree.structure([0, 0]), tree.structure([0, { c: 0 }]), [[p, { c: 2 }], [3, { c: 4 }]]) as any;
  assert.equal(t[0][0], p);
  assert.deepEqual([t[0][1], t[1].c], [3, [2, 4]]);
  assert.throws(() => tree.transpose(outer, inner, [{ w: 1, b: 2 }, { w: 3 }, { w: 5, b: 6 }]), (e: unknown) => e instanceof ValueError && /outer leaf 1 has structure \{w: \*\}/.test((e as Error).message));
  assert.throws(() => tree.transpose(outer, inner, [{ w: 1, b: 2 }]), (e: unknown) => e instanceof CotangentError && /tree.transpose/.test((e as Error).message));
});

test('flattenWithPath / leavesWithPath / mapWithPath / keystr: keys and indices down to each leaf', () => {
  const t = { layers: [{ w: 1, b: 2 }, { w: 3, b: 4 }], scale: 5, none: null };
  assert.deepEqual(tree.leavesWithPath(t), [
    [['layers', 0, 'b'], 2], [['layers', 0, 'w'], 1], [['layers', 1, 'b'], 4], [['layers', 1, 'w'], 3], [['scale'], 5]]);
  const [pairs, def] = tree.flattenWithPath(t);
  assert.equal(pairs.length, 5);
  assert.equal(String(def), '{layers: [{b: *, w: *}, {b: *, w: *}], none: null, scale: *}');
  assert.equal(tree.keystr(['layers', 0, 'w']), "['layers'][0]['w']");
  // weight decay on 'w' leaves only, the *_with_path idiom
  const decayed = tree.mapWithPath((path: (string | number)[], x: number, g: number) => (path[path.length - 1] === 'w' ? x - 0.5 * g : x), t, { layers: [{ w: 10, b: 10 }, { w: 20, b: 20 }], scale: 30, none: null });
  assert.deepEqual(decayed, { layers: [{ w: -4, b: 2 }, { w: -7, b: 4 }], scale: 5, none: null });
  assert.throws(() => tree.mapWithPath((p: any, x: any) => x, t, { layers: [] }), (e: unknown) => e instanceof ValueError && /tree.mapWithPath: tree 1/.test((e as Error).message));
});

test('registerPytreeNode is refused saying why; snake_case names point to camelCase', () => {
  assert.throws(() => tree.registerPytreeNode(class {}, () => [], () => ({})), (e: unknown) => e instanceof NotImplementedError && /plain objects are the nodes/.test((e as Error).message));
  assert.throws(() => (tree as any).leaves_with_path({ a: 1 }), /tree.leaves_with_path: names here are camelCase: this is tree.leavesWithPath/);
  assert.throws(() => (tree as any).map_with_path((p: any, x: any) => x, { a: 1 }), /tree.mapWithPath/);
});

test('lax.foriLoop takes JAX\'s unroll option (accepted, checked, ignored as scan\'s)', () => {
  const body = (i: any, c: any) => np.add(c, i);
  assert.equal(lax.foriLoop(0, 5, body, f64([0]).reshape([]), { unroll: 2 }).item(), 10);
  assert.equal(lax.foriLoop(0, 5, body, f64([0]).reshape([]), { unroll: true }).item(), 10);
  assert.throws(() => lax.foriLoop(0, 5, body, 0, { unroll: 0 }), (e: unknown) => e instanceof ValueError && /lax.foriLoop: unroll must be a positive integer/.test((e as Error).message));
  assert.throws(() => lax.foriLoop(0, 5, body, 0, { unrol: 2 } as any), (e: unknown) => e instanceof CotangentError && /lax.foriLoop/.test((e as Error).message) && /unrol/.test((e as Error).message));
});
