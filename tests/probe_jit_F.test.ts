// jit's static-argument cache key (helper-F's probe): a static argument's contents the function
// can read must be part of the key, or two calls share a program that baked in the first call's
// values (a silent wrong number). Found: symbol-keyed and non-enumerable properties of a static
// plain object or list were left out of its key, and a Map, Set or Date was keyed by identity, so
// one changed in place between calls replayed the old program.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, jit, type Array as NDArray } from '../ts/index.ts';

const ones = () => np.ones([2]);
const values = (x: NDArray) => Array.from(x.dataSync() as Float32Array);

test('a static object: its symbol-keyed properties are part of the key', () => {
  const S = Symbol('scale');
  const f = jit((x: NDArray, c: Record<symbol, number>) => np.multiply(x, c[S]), { staticArgnums: 1 });
  assert.deepEqual(values(f(ones(), { [S]: 2 })), [2, 2]);
  assert.deepEqual(values(f(ones(), { [S]: 5 })), [5, 5], 'another symbol value: another program (was 2: the first one replayed)');
  assert.equal(f.traceCount, 2);
  assert.deepEqual(values(f(ones(), { [S]: 2 })), [2, 2]);
  assert.equal(f.traceCount, 2, 'equal contents: the cached program');
});

test('a static object: its non-enumerable properties are part of the key', () => {
  const mk = (v: number) => Object.defineProperty({ a: 1 }, 'hidden', { value: v, enumerable: false }) as { a: number; hidden: number };
  const f = jit((x: NDArray, c: { hidden: number }) => np.multiply(x, c.hidden), { staticArgnums: 1 });
  assert.deepEqual(values(f(ones(), mk(2))), [2, 2]);
  assert.deepEqual(values(f(ones(), mk(5))), [5, 5], 'was 2');
  // enumerability itself is readable (Object.keys): { a, hidden } and { a } + hidden differ
  const g = jit((x: NDArray, c: object) => np.multiply(x, Object.keys(c).length), { staticArgnums: 1 });
  assert.deepEqual(values(g(ones(), { a: 1, hidden: 2 })), [2, 2]);
  assert.deepEqual(values(g(ones(), mk(2))), [1, 1]);
});

test('a static list with a symbol-keyed property is keyed by identity (its contents key would miss it)', () => {
  const S = Symbol('s');
  const f = jit((x: NDArray, l: number[] & { [S]?: number }) => np.multiply(x, l[S] ?? 1), { staticArgnums: 1 });
  const a = Object.assign([1], { [S]: 4 }), b = Object.assign([1], { [S]: 9 });
  assert.deepEqual(values(f(ones(), a)), [4, 4]);
  assert.deepEqual(values(f(ones(), b)), [9, 9], 'was 4');
});

test('a static Map, Set or Date is keyed by its contents: one changed in place retraces', () => {
  const f = jit((x: NDArray, m: Map<string, number>) => np.multiply(x, m.get('s')!), { staticArgnums: 1 });
  const m = new Map([['s', 2]]);
  assert.deepEqual(values(f(ones(), m)), [2, 2]);
  m.set('s', 7);
  assert.deepEqual(values(f(ones(), m)), [7, 7], 'was 2: keyed by identity');
  assert.deepEqual(values(f(ones(), new Map([['s', 7]]))), [7, 7]);
  assert.equal(f.traceCount, 2, 'a fresh Map with the same entries: the cached program');

  const g = jit((x: NDArray, s: Set<number>) => np.multiply(x, s.has(3) ? 3 : 1), { staticArgnums: 1 });
  const s = new Set([1]);
  assert.deepEqual(values(g(ones(), s)), [1, 1]);
  s.add(3);
  assert.deepEqual(values(g(ones(), s)), [3, 3], 'was 1');

  const h = jit((x: NDArray, d: Date) => np.multiply(x, d.getTime() > 0 ? 3 : 1), { staticArgnums: 1 });
  const d = new Date(1000);
  assert.deepEqual(values(h(ones(), d)), [3, 3]);
  d.setTime(-1000);
  assert.deepEqual(values(h(ones(), d)), [1, 1], 'was 3');
});

test('class instances stay keyed by identity (documented), and a cycle through a Map still keys', () => {
  class Cfg { constructor(public s: number) {} }
  const f = jit((x: NDArray, c: Cfg) => np.multiply(x, c.s), { staticArgnums: 1 });
  const c = new Cfg(2);
  assert.deepEqual(values(f(ones(), c)), [2, 2]);
  assert.deepEqual(values(f(ones(), new Cfg(5))), [5, 5]);
  const m = new Map<string, unknown>([['s', 3]]);
  m.set('self', m);
  const g = jit((x: NDArray, mm: Map<string, unknown>) => np.multiply(x, mm.get('s') as number), { staticArgnums: 1 });
  assert.deepEqual(values(g(ones(), m)), [3, 3]);
  assert.deepEqual(values(g(ones(), m)), [3, 3]);
  assert.equal(g.traceCount, 1, 'a cyclic Map: by identity, cached');
});

test('an argument both static and donated through a negative argnum is refused at jit(), as a positive one is', () => {
  assert.throws(() => jit((x: any, y: any) => x, { staticArgnums: [1], donateArgnums: [-1] }),
    /jit: argnums \[1\] are in both staticArgnums \[1\] and donateArgnums \[-1\]/);
  assert.throws(() => jit((x: any, y: any) => x, { staticArgnums: -2, donateArgnums: 0 }), /are in both staticArgnums/);
  // with a rest parameter the call decides, as before
  jit((...xs: any[]) => xs[0], { staticArgnums: [1], donateArgnums: [-1] });
});
