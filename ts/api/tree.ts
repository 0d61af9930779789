// Pytrees: nested JS arrays and plain objects whose leaves are Arrays, numbers or booleans
// (null and undefined are empty subtrees, as None is in JAX).
import { NDArray, isClonedArray, isComplexLiteral } from './array.js';
import { NotImplementedError, ValueError } from '../core/errors.js';

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
  | { kind: 'list'; children: TreeDef[]; names?: readonly string[] }
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

/** Whether flatten reads x as an object node (JAX's dict): a plain object that is not a complex literal nor a cloned Array. */
export function isDictNode(x: unknown): x is Record<string, unknown> {
  return isPlainObject(x) && !isComplexScalar(x) && !isClonedArray(x);
}

/** Deeper trees are refused (a JS stack overflow would be the alternative; no real tree is this deep). */
export const MAX_TREE_DEPTH = 1000;

/**
 * A node is its elements: a list's indices (JAX's list), an object's enumerable string keys (JAX's
 * dict); a transform passes the function a node rebuilt from them. A property beside them (a
 * list's l.scale = 10, a symbol key, an object's non-enumerable key) would be missing there, so
 * the function computed something else than eagerly without a word: refused instead. `keys` are
 * an object's Object.keys, null for a list; `where` names the caller.
 */
export function refuseHiddenProperties(t: object, keys: readonly string[] | null, where = 'tree'): void {
  if (keys === null) return refuseListProperties(t as unknown[], where);
  const symbols = Object.getOwnPropertySymbols(t);
  const names = Object.getOwnPropertyNames(t);
  if (symbols.length === 0 && names.length === keys.length) return;
  const what = symbols.length > 0 ? `a symbol-keyed property (${String(symbols[0])})`
    : `a non-enumerable property '${names.find((k) => !Object.prototype.propertyIsEnumerable.call(t, k))}'`;
  throw new ValueError(`${where}: an object in the tree has ${what}; a pytree's object is its enumerable string keys (JAX's dict), ` +
    'and the object a transform rebuilds would not have it: use a string key, or close over the value');
}

function refuseListProperties(t: unknown[], where: string): void {
  // (a list's enumerable keys are its indices, ascending, then any other key in the order it was
  // set; a non-enumerable one is not looked for: Object.getOwnPropertyNames spells every index)
  const own = Object.keys(t), n = t.length;
  if ((own.length === 0 || own[own.length - 1] === String(n - 1)) && Object.getOwnPropertySymbols(t).length === 0) return;
  const symbol = Object.getOwnPropertySymbols(t)[0];
  const extra = own.find((k) => { const i = Number(k); return !(i >= 0 && i < n && String(i) === k); }); // (else: a hole at the end)
  if (symbol === undefined && extra === undefined) return;
  const what = symbol !== undefined ? `a symbol-keyed property (${String(symbol)})` : `a property '${extra}' besides its elements`;
  throw new ValueError(`${where}: a list in the tree has ${what}; a pytree's list is its elements (JAX's list), and the list a ` +
    'transform rebuilds would not have it: put the value in an object beside the list ({ items, scale }), or close over it');
}

/**
 * Set o[k] as an own property: an own '__proto__' key (JSON.parse makes one) would otherwise call
 * the prototype setter, and the rebuilt object would lack the key and have another prototype.
 */
export function setKey(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/** A list result with JAX's namedtuple field names (`Named<[NDArray, NDArray], 'sign' | 'logabsdet'>`: jnp's SlogdetResult). */
export type Named<T extends unknown[], K extends string> = T & { readonly [k in K]: T[number] };

/** The lists `named` made, with their field names: a pytree node that keeps them (JAX's namedtuple). */
const NAMES = new WeakMap<object, readonly string[]>();

/**
 * The list `xs` with field names as non-enumerable properties (JAX's namedtuples: `slogdet(a).logabsdet`,
 * `const { Q, R } = linalg.qr(a)`). A pytree sees the list's elements, and a transform rebuilds
 * the list with its names (`jit(linalg.slogdet)(a).logabsdet`, `tree.map`), as JAX's namedtuple
 * is a pytree node of its own type.
 */
export function named<T extends unknown[], const K extends string>(xs: T, names: readonly K[]): Named<T, K> {
  names.forEach((k, i) => Object.defineProperty(xs, k, { value: xs[i], enumerable: false }));
  NAMES.set(xs, names);
  return xs as Named<T, K>;
}

/** The field names `named` gave list xs, if any (a copy of it keeps them). */
export function namesOf(xs: object): readonly string[] | undefined { return NAMES.get(xs); }

/** `where` names the caller in errors ('grad: argument 0'; a transform's said only 'tree: ...'). */
export function flatten(tree: TreeLike, where = 'tree'): [Leaf[], TreeDef] {
  const leaves: Leaf[] = [];
  const path = new Set<object>(); // the containers being walked: one met again is a cycle
  const go = (t: PyTree, depth: number): TreeDef => {
    if (t === null || t === undefined) return { kind: 'none', value: t };
    // (a structuredClone'd Array is a leaf, so the transforms' leaf check names it as one)
    const list = Array.isArray(t), dict = !list && isPlainObject(t) && !isComplexScalar(t) && !isClonedArray(t);
    if (!list && !dict) { leaves.push(t as Leaf); return { kind: 'leaf' }; }
    if (path.has(t as object)) throw new ValueError(`${where}: the tree contains itself (a cycle); a pytree is a finite nesting of lists and objects`);
    if (depth >= MAX_TREE_DEPTH) throw new ValueError(`${where}: the tree is nested more than ${MAX_TREE_DEPTH} levels deep`);
    path.add(t as object);
    let def: TreeDef;
    if (list) {
      refuseHiddenProperties(t as object, null, where);
      // (Array.from, not map: map keeps a hole ([a, , c]) as a hole, which every/reduce/forEach then
      // skip, so [a, , c] compared equal to [*, *, *] and its leaves were read as [a, c, a]; a hole is undefined)
      def = { kind: 'list', children: Array.from(t as PyTree[], (c) => go(c, depth + 1)) };
      const names = NAMES.get(t as object);
      if (names !== undefined) def.names = names;
    } else {
      const keys = Object.keys(t as object);
      refuseHiddenProperties(t as object, keys, where);
      keys.sort(); // JAX sorts dict keys
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
      case 'list': { const xs = Array.from(d.children, go); return d.names === undefined ? xs : named(xs, d.names); }
      case 'dict': {
        const out: Record<string, unknown> = {};
        d.keys.forEach((k, j) => { setKey(out, k, go(d.children[j])); });
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
  return printable(flatten(tree)[1]);
}

/** The public tree.flatten: its structure prints as structure's does ("{a: *}", not [object Object]). */
export function flattenPrintable(tree: TreeLike): [Leaf[], TreeDef] {
  const [leaves, def] = flatten(tree);
  return [leaves, printable(def)];
}

function printable(def: TreeDef): TreeDef {
  return Object.defineProperty(def, 'toString', { value: () => show(def), enumerable: false });
}

/**
 * Where leaf `index` sits in a tree of structure `def`, as JS would reach it: `.v[0]`, `[1].b`
 * ('' for a tree that is one leaf), for messages about one leaf of a pytree argument. The paths
 * of a structure are listed once and kept with it: the transforms name each leaf of an argument
 * (a walk per leaf made grad of 16,000 leaves take 4 s).
 */
export function leafPath(def: TreeDef, index: number): string {
  let paths = PATHS.get(def);
  if (paths === undefined) { paths = allPaths(def); PATHS.set(def, paths); }
  return paths[index] ?? '';
}
const PATHS = new WeakMap<TreeDef, string[]>();

function allPaths(def: TreeDef): string[] {
  const out: string[] = [];
  const go = (d: TreeDef, path: string): void => {
    switch (d.kind) {
      case 'leaf': out.push(path); return;
      case 'none': return;
      case 'list': d.children.forEach((c, k) => go(c, `${path}[${k}]`)); return;
      case 'dict': d.keys.forEach((key, k) => go(d.children[k], path + (/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`)));
    }
  };
  go(def, '');
  return out;
}

/**
 * f applied leaf by leaf (JAX's tree.map): the other trees have the first one's structure, or
 * have it as a prefix: where the first tree has a leaf, f gets the other tree's whole subtree
 * there (jax.tree.map(f, {a: 1}, {a: [1, 2]}) calls f(1, [1, 2])).
 */
/**
 * tree.map's result type: T with every leaf replaced by f's result R (null and undefined stay, as
 * the empty trees they are). A class instance is a leaf at run time; the type maps its fields,
 * which these types cannot tell apart from a plain object's.
 */
export type MappedTree<T, R> =
  0 extends 1 & T ? any // (an any tree: any)
  : [PyTree] extends [T] ? any // (a tree typed only as a PyTree, or unknown: the recursive type has no end)
  : T extends null | undefined ? T
  : T extends NDArray | number | boolean | { re: number; im: number } | ArrayBufferView | ((...a: any[]) => any) ? R
  : T extends readonly unknown[] ? { -readonly [K in keyof T]: MappedTree<T[K], R> }
  : T extends Map<unknown, unknown> | Set<unknown> | Date | RegExp ? R
  : T extends object ? { [K in keyof T]: MappedTree<T[K], R> }
  : R;

export function map<T, R>(f: (...xs: any[]) => R, tree: T, ...rest: TreeLike[]): MappedTree<T, R> {
  if (typeof f !== 'function') throw new ValueError(`tree.map: the first argument must be a function, got ${f === null ? 'null' : typeof f}`);
  const [ls, def] = flatten(tree as TreeLike);
  const last = rest[rest.length - 1];
  if (last !== undefined && isPlainObject(last) && ('isLeaf' in last || 'is_leaf' in last) && !(def.kind === 'dict' && def.keys.some((k) => k === 'isLeaf' || k === 'is_leaf'))) {
    throw new ValueError('tree.map: isLeaf (JAX\'s is_leaf) is not supported; every Array, number and non-plain object is a leaf already, and lists and plain objects are nodes');
  }
  const others = rest.map((r, k) => subtreesAt(def, r, `tree.map: tree ${k + 1}`));
  return unflatten(def, ls.map((x, i) => f(x, ...others.map((o) => o[i]))));
}

/** The subtrees of `t` at the leaves of structure `def` (def a prefix of t's structure), in leaf order. */
function subtreesAt(def: TreeDef, t: unknown, where: string): unknown[] {
  const out: unknown[] = [];
  const fail = (path: string, what: string): never => {
    throw new ValueError(`${where} does not have the first tree's structure ${show(def)} as a prefix: at ${path || 'the top'}, ${what}`);
  };
  const go = (d: TreeDef, x: unknown, path: string): void => {
    switch (d.kind) {
      case 'leaf': out.push(x); return;
      case 'none': if (x !== null && x !== undefined) fail(path, `the first tree has ${String(d.value)}, this one ${describeNode(x)}`); return;
      case 'list':
        if (!Array.isArray(x) || x.length !== d.children.length) fail(path, `the first tree has a list of ${d.children.length}, this one ${describeNode(x)}`);
        refuseHiddenProperties(x as unknown[], null, where);
        d.children.forEach((c, i) => go(c, (x as unknown[])[i], `${path}[${i}]`));
        return;
      case 'dict': {
        const keys = isPlainObject(x) && !isComplexScalar(x) ? Object.keys(x as object) : null;
        if (keys !== null) { refuseHiddenProperties(x as object, keys, where); keys.sort(); }
        // (one by one: joined with a separator, a key holding it matched two keys)
        if (keys === null || keys.length !== d.keys.length || keys.some((k, i) => k !== d.keys[i])) fail(path, `the first tree has an object with keys [${d.keys}], this one ${describeNode(x)}`);
        d.keys.forEach((k, i) => go(d.children[i], (x as Record<string, unknown>)[k], `${path}.${k}`));
      }
    }
  };
  go(def, t, '');
  return out;
}

function describeNode(x: unknown): string {
  if (Array.isArray(x)) return `a list of ${x.length}`;
  if (isPlainObject(x) && !isComplexScalar(x)) return `an object with keys [${Object.keys(x as object).sort()}]`;
  return x === null || x === undefined ? String(x) : `a leaf (${typeof x === 'object' ? (x as object).constructor?.name ?? 'object' : typeof x})`;
}

function isTreeDef(d: unknown): d is TreeDef {
  return d !== null && typeof d === 'object' && ['leaf', 'none', 'list', 'dict'].includes((d as TreeDef).kind);
}

function countLeaves(d: TreeDef): number {
  if (d.kind === 'leaf') return 1;
  if (d.kind === 'none') return 0;
  return d.children.reduce((n, c) => n + countLeaves(c), 0);
}

/**
 * Whether two structures are the same, node by node: null and undefined are both the empty tree
 * (as tree.map takes them; JAX's None), and object keys are compared as keys (show's text is not
 * a key: { 'a: *, b': x } prints as { a: x, b: y } does).
 */
export function sameStructure(a: TreeDef, b: TreeDef): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'leaf': case 'none': return true;
    case 'list': {
      const bc = (b as typeof a).children;
      return a.children.length === bc.length && a.children.every((c, i) => sameStructure(c, bc[i]));
    }
    case 'dict': {
      const bd = b as typeof a;
      return a.keys.length === bd.keys.length && a.keys.every((k, i) => k === bd.keys[i]) && a.children.every((c, i) => sameStructure(c, bd.children[i]));
    }
  }
}

/**
 * A readable form of a structure, e.g. "{W: *, b: *}" or "[*, [*, *]]"; given a tree, that of its
 * structure (as JAX prints a treedef): tree.show({ a: [1, null] }) is "{a: [*, null]}". A value
 * shaped as a structure ({ kind: 'leaf' }) is taken as one, as tree.unflatten takes it.
 */
export function show(d: TreeDef | TreeLike): string {
  return showDef(isTreeDef(d) ? d : flatten(d)[1]);
}

function showDef(d: TreeDef): string {
  switch (d.kind) {
    case 'leaf': return '*';
    case 'none': return String(d.value);
    case 'list': return `[${d.children.map(showDef).join(', ')}]`;
    case 'dict': return `{${d.keys.map((k, i) => `${k}: ${showDef(d.children[i])}`).join(', ')}}`;
  }
}

// ---------------------------------------------------------------- JAX's other tree functions

/** jax.tree.reduce: f folded over the leaves in order (functools.reduce), from `initializer` when given. */
export function reduce<R>(f: (acc: R, leaf: any) => R, tree: TreeLike, ...initializer: [R?]): R {
  if (typeof f !== 'function') throw new ValueError(`tree.reduce: the first argument must be a function (acc, leaf) => acc, got ${f === null ? 'null' : typeof f}`);
  if (initializer.length > 1) throw new ValueError(`tree.reduce: takes (f, tree, initializer?), got ${2 + initializer.length} arguments (JAX's is_leaf is not supported: lists and plain objects are the nodes)`);
  const ls = flatten(tree, 'tree.reduce')[0] as unknown[];
  if (initializer.length === 0) {
    if (ls.length === 0) throw new ValueError('tree.reduce: the tree has no leaves and no initializer was given (functools.reduce\'s TypeError)');
    return ls.slice(1).reduce<R>((a, l) => f(a, l), ls[0] as R);
  }
  return ls.reduce<R>((a, l) => f(a, l), initializer[0] as R);
}

/** A leaf's truth, as Python's bool(): an Array only when it holds one element. */
function truth(where: string, l: unknown): boolean {
  if (l instanceof NDArray) {
    if (l.size !== 1) throw new ValueError(`${where}: an Array of shape [${l.shape.join(', ')}] has no single truth value (numpy's ValueError); reduce it first (np.all, np.any)`);
    l = l.item(); // (a complex Array's item is { re, im }: read below, as Python's bool(0j) is False)
  }
  if (isComplexLiteral(l)) return (l as { re: number; im: number }).re !== 0 || (l as { re: number; im: number }).im !== 0;
  // (Python's bool(nan) is True: JS's Boolean(NaN) is false)
  return typeof l === 'number' ? l !== 0 : Boolean(l);
}

/** jax.tree.all: whether every leaf is true (Python's all over the leaves; true for no leaves). */
export function all(tree: TreeLike): boolean {
  return flatten(tree, 'tree.all')[0].every((l) => truth('tree.all', l));
}

/** Whether any leaf is true (false for no leaves). */
export function any(tree: TreeLike): boolean {
  return flatten(tree, 'tree.any')[0].some((l) => truth('tree.any', l));
}

/**
 * jax.tree.transpose: a tree of structure `outer` whose every leaf position holds a subtree of
 * structure `inner`, turned into a tree of structure `inner` holding trees of structure `outer`
 * (a list of {w, b} to a {w: list, b: list}). `inner` null or undefined: the first subtree's structure.
 */
export function transpose(outer: TreeDef, inner: TreeDef | null | undefined, tree: TreeLike): PyTree {
  const where = 'tree.transpose';
  if (!isTreeDef(outer)) throw new ValueError(`${where}: the outer structure must come from tree.structure, got ${String(outer)}`);
  const nOuter = countLeaves(outer);
  const subtrees = subtreesAt(outer, tree, `${where}: the tree`);
  if (inner === null || inner === undefined) {
    if (nOuter === 0) throw new ValueError(`${where}: the outer structure ${show(outer)} has no leaves, so the inner one cannot be inferred; pass it`);
    inner = flatten(subtrees[0] as TreeLike, where)[1];
  } else if (!isTreeDef(inner)) throw new ValueError(`${where}: the inner structure must come from tree.structure, got ${String(inner)}`);
  const nInner = countLeaves(inner);
  const columns = subtrees.map((t, i) => {
    const [ls, d] = flatten(t as TreeLike, where);
    if (!sameStructure(d, inner!)) throw new ValueError(`${where}: the subtree at outer leaf ${i} has structure ${show(d)}, not the inner structure ${show(inner!)}`);
    return ls;
  });
  return unflatten(inner, Array.from({ length: nInner }, (_, j) => unflatten(outer, columns.map((c) => c[j]))));
}

/** A key path: the object keys and list indices from the root to a leaf. */
export type KeyPath = (string | number)[];

/** The path of each leaf, in leaf order. */
function paths(def: TreeDef): KeyPath[] {
  const out: KeyPath[] = [];
  const go = (d: TreeDef, p: KeyPath): void => {
    if (d.kind === 'leaf') out.push(p);
    else if (d.kind === 'list') d.children.forEach((c, i) => go(c, [...p, i]));
    else if (d.kind === 'dict') d.children.forEach((c, i) => go(c, [...p, d.keys[i]]));
  };
  go(def, []);
  return out;
}

/** jax.tree.flatten_with_path: [[path, leaf], ...] and the structure; a path is the keys and indices down to the leaf. */
export function flattenWithPath(tree: TreeLike): [[KeyPath, Leaf][], TreeDef] {
  const [ls, def] = flatten(tree, 'tree.flattenWithPath');
  const ps = paths(def);
  return [ls.map((l, i) => [ps[i], l]), printable(def)];
}

/** jax.tree.leaves_with_path: [[path, leaf], ...]. */
export function leavesWithPath(tree: TreeLike): [KeyPath, Leaf][] {
  return flattenWithPath(tree)[0];
}

/** jax.tree.map_with_path: tree.map whose f gets each leaf's path first. */
export function mapWithPath<R>(f: (path: KeyPath, ...xs: any[]) => R, tree: TreeLike, ...rest: TreeLike[]): PyTree {
  if (typeof f !== 'function') throw new ValueError(`tree.mapWithPath: the first argument must be a function, got ${f === null ? 'null' : typeof f}`);
  const [ls, def] = flatten(tree, 'tree.mapWithPath');
  const ps = paths(def);
  const others = rest.map((r, k) => subtreesAt(def, r, `tree.mapWithPath: tree ${k + 1}`));
  return unflatten(def, ls.map((x, i) => f(ps[i], x, ...others.map((o) => o[i]))));
}

/** jax.tree_util.keystr: a path as JAX prints it, ['a'][0]. */
export function keystr(path: KeyPath): string {
  if (!Array.isArray(path)) throw new ValueError(`tree.keystr: the path must be a list of keys and indices, got ${typeof path}`);
  return path.map((k) => (typeof k === 'number' ? `[${k}]` : `[${pyRepr(String(k))}]`)).join('');
}

/** A string as Python's repr prints it (JAX's DictKey prints [repr(key)]: ["it's"], ['a\\nb']). */
function pyRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === q || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || (c >= 0x7f && c < 0xa0)) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return q + out + q;
}

/**
 * jax.tree_util.register_pytree_node: not offered. Lists and plain objects are the nodes, and
 * anything else (a class instance included) is a leaf; give a class a toTree/fromTree pair of
 * your own and pass the plain form through the transforms.
 */
export function registerPytreeNode(..._args: unknown[]): never {
  throw new NotImplementedError('tree.registerPytreeNode: not offered: lists and plain objects are the nodes and every other value (a class instance too) ' +
    'is a leaf; convert a class to a plain object before a transform and back after it');
}
