// Pytrees: nested JS arrays and plain objects whose leaves are Arrays, numbers or booleans
// (null and undefined are empty subtrees, as None is in JAX).
import { NDArray, isComplexLiteral } from './array.js';
import { ValueError } from '../core/errors.js';

export type Leaf = NDArray | number | boolean | { re: number; im: number };
export type PyTree = Leaf | null | undefined | PyTree[] | { [k: string]: PyTree };
/**
 * What the tree functions accept: a PyTree, or any object (an `interface` has no index signature,
 * so TS would not take it as a PyTree; readonly lists too). Plain objects and lists are nodes at
 * run time, anything else a leaf.
 */
export type TreeLike = PyTree | object;

/** The shape of a tree without its leaves. */
export type TreeDef =
  | { kind: 'leaf' }
  | { kind: 'none'; value: null | undefined }
  | { kind: 'list'; children: TreeDef[] }
  | { kind: 'dict'; keys: string[]; children: TreeDef[] };

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object') return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** A JS complex number { re, im } (two number keys, nothing else) is a leaf, as a Python complex is in JAX. */
function isComplexScalar(x: object): boolean {
  return isComplexLiteral(x) && Object.keys(x).length === 2;
}

/** Deeper trees are refused (a JS stack overflow would be the alternative; no real tree is this deep). */
export const MAX_TREE_DEPTH = 1000;

export function flatten(tree: TreeLike): [Leaf[], TreeDef] {
  const leaves: Leaf[] = [];
  const path = new Set<object>(); // the containers being walked: one met again is a cycle
  const go = (t: PyTree, depth: number): TreeDef => {
    if (t === null || t === undefined) return { kind: 'none', value: t };
    const list = Array.isArray(t), dict = !list && isPlainObject(t) && !isComplexScalar(t);
    if (!list && !dict) { leaves.push(t as Leaf); return { kind: 'leaf' }; }
    if (path.has(t as object)) throw new ValueError('tree: the tree contains itself (a cycle); a pytree is a finite nesting of lists and objects');
    if (depth >= MAX_TREE_DEPTH) throw new ValueError(`tree: the tree is nested more than ${MAX_TREE_DEPTH} levels deep`);
    path.add(t as object);
    let def: TreeDef;
    if (list) def = { kind: 'list', children: (t as PyTree[]).map((c) => go(c, depth + 1)) };
    else {
      const keys = Object.keys(t as object).sort(); // JAX sorts dict keys
      def = { kind: 'dict', keys, children: keys.map((k) => go((t as Record<string, PyTree>)[k], depth + 1)) };
    }
    path.delete(t as object);
    return def;
  };
  const def = go(tree as PyTree, 0);
  return [leaves, def];
}

export function unflatten<T = PyTree>(def: TreeDef, leaves: readonly unknown[]): T {
  if (!isTreeDef(def)) throw new ValueError(`tree.unflatten: the first argument must be a structure from tree.flatten or tree.structure, got ${String(def)}`);
  if (!Array.isArray(leaves)) throw new ValueError(`tree.unflatten: leaves must be a JS array, got ${typeof leaves}`);
  const need = countLeaves(def);
  if (need !== leaves.length) throw new ValueError(`tree.unflatten: ${leaves.length} leaves for a structure of ${need} (${show(def)})`);
  let i = 0;
  const go = (d: TreeDef): unknown => {
    switch (d.kind) {
      case 'leaf': return leaves[i++];
      case 'none': return d.value;
      case 'list': return d.children.map(go);
      case 'dict': {
        const out: Record<string, unknown> = {};
        d.keys.forEach((k, j) => { out[k] = go(d.children[j]); });
        return out;
      }
    }
  };
  const out = go(def);
  if (i !== leaves.length) throw new ValueError(`tree.unflatten: ${leaves.length} leaves for a structure of ${i} (${show(def)})`);
  return out as T;
}

export function leaves(tree: TreeLike): Leaf[] { return flatten(tree)[0]; }
/** The tree's structure; it prints as tree.show does (`String(tree.structure(t))` is `{a: *, b: [*]}`). */
export function structure(tree: TreeLike): TreeDef {
  const def = flatten(tree)[1];
  return Object.defineProperty(def, 'toString', { value: () => show(def), enumerable: false });
}

/**
 * Where leaf `index` sits in a tree of structure `def`, as JS would reach it: `.v[0]`, `[1].b`
 * ('' for a tree that is one leaf), for messages about one leaf of a pytree argument.
 */
export function leafPath(def: TreeDef, index: number): string {
  let i = 0;
  const go = (d: TreeDef, path: string): string | null => {
    switch (d.kind) {
      case 'leaf': return i++ === index ? path : null;
      case 'none': return null;
      case 'list': for (let k = 0; k < d.children.length; k++) { const r = go(d.children[k], `${path}[${k}]`); if (r !== null) return r; } return null;
      case 'dict': for (let k = 0; k < d.keys.length; k++) {
        const key = d.keys[k], seg = /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
        const r = go(d.children[k], path + seg);
        if (r !== null) return r;
      }
      return null;
    }
  };
  return go(def, '') ?? '';
}

export function map(f: (...xs: any[]) => unknown, tree: TreeLike, ...rest: TreeLike[]): any {
  if (typeof f !== 'function') throw new ValueError(`tree.map: the first argument must be a function, got ${f === null ? 'null' : typeof f}`);
  const [ls, def] = flatten(tree);
  const others = rest.map((r, k) => {
    const [l, d] = flatten(r);
    if (!sameStructure(def, d)) throw new ValueError(`tree.map: tree ${k + 1} has structure ${show(d)}, but the first tree has ${show(def)}`);
    return l;
  });
  return unflatten(def, ls.map((x, i) => f(x, ...others.map((o) => o[i]))));
}

function isTreeDef(d: unknown): d is TreeDef {
  return d !== null && typeof d === 'object' && ['leaf', 'none', 'list', 'dict'].includes((d as TreeDef).kind);
}

function countLeaves(d: TreeDef): number {
  if (d.kind === 'leaf') return 1;
  if (d.kind === 'none') return 0;
  return d.children.reduce((n, c) => n + countLeaves(c), 0);
}

export function sameStructure(a: TreeDef, b: TreeDef): boolean { return show(a) === show(b); }

/** A readable form of a structure, e.g. "{W: *, b: *}" or "[*, [*, *]]". */
export function show(d: TreeDef): string {
  switch (d.kind) {
    case 'leaf': return '*';
    case 'none': return String(d.value);
    case 'list': return `[${d.children.map(show).join(', ')}]`;
    case 'dict': return `{${d.keys.map((k, i) => `${k}: ${show(d.children[i])}`).join(', ')}}`;
  }
}
