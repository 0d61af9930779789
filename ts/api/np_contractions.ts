// einsum, tensordot and kron, lowered to dot_general rows. einsum: repeated labels in one
// operand take a diagonal (a product with an identity mask, summed), labels seen by one operand
// only and not in the output are summed first, then operands are contracted pairwise, the pair
// with the fewest multiply-adds first (greedy, as opt_einsum's 'greedy'), each pair one
// dot_general (shared labels still needed later are batch dims, the others contracting);
// a final transpose puts the labels in the output's order. Derivatives come from the primitives.
import { NDArray, ArrayInput } from './array.js';
import * as lax from './lax.js';
import {
  astype, multiply, sum, reshape, eye, where, commonDtype, dtypeForPromotion,
} from './numpy.js';

/** A bool operand: a bool Array or a JS boolean. */
// (a nested list of booleans only is bool too, as it promotes everywhere: einsum(boolx, [true, false]) was float32)
const isBool = (o: ArrayInput): boolean => typeof o === 'boolean' || (o instanceof NDArray && o.dtype === 'bool') ||
  (Array.isArray(o) && (o as unknown[]).flat(Infinity).length > 0 && (o as unknown[]).flat(Infinity).every((e) => typeof e === 'boolean'));
import { operand, requireComputable } from './np_shared.js';
import { promoteArith } from '../core/dtype.js';
import { AxisError, CotangentError, ShapeError, ValueError, describe } from '../core/errors.js';
import { isPlainObject, readOptionalPositions, readOptions, show } from './options.js';

interface Term { x: NDArray; labels: string[] }

/**
 * body() on bool operands counted as float32: its errors name them bool, as given (every float32
 * in such a message is one of them; einsum('ij,jk') of bool [2, 3] and [4, 4] said float32[2, 3]).
 */
function asBoolErrors<T>(body: () => T): T {
  try { return body(); } catch (e) {
    if (e instanceof CotangentError) e.message = e.message.replace(/\bfloat32\[/g, 'bool[');
    throw e;
  }
}

const isLabel = (c: string) => /^[a-zA-Z]$/.test(c);

/** Parse one operand's subscripts: letters and at most one '...'. */
function parseTerm(where: string, s: string, k: number): { labels: string[]; ellipsis: number } {
  const t = s.replace(/\s/g, '');
  const parts = t.split('...');
  // (k = -1 is the output: it was named 'operand -1')
  if (parts.length > 2) throw new ValueError(`${where}: ${k < 0 ? 'the output' : `operand ${k}`} ('${s}') has more than one ellipsis`);
  for (const c of parts.join('')) if (!isLabel(c)) throw new ValueError(`${where}: invalid subscript '${c}' in '${s}' (letters a-z, A-Z and '...' only)`);
  if (parts.length === 1) return { labels: [...t], ellipsis: -1 };
  return { labels: [...parts[0], ...parts[1]], ellipsis: parts[0].length };
}

/** Labels for the broadcast (ellipsis) dims: characters outside the letters, right-aligned. */
const ellLabel = (i: number, total: number) => String.fromCharCode(0x100 + total - i);

export interface EinsumOptions { optimize?: unknown; precision?: unknown }

/**
 * np.einsum(subscripts, ...operands, options?): implicit ('ij,jk') and explicit ('ij,jk->ik')
 * outputs, repeated labels (traces 'ii', diagonals 'ii->i'), '...' broadcasting. jnp's `optimize`
 * and `precision` are accepted in a trailing options object and change nothing (the contraction
 * order is chosen here; float32 products are always full precision on the CPU).
 */
export function einsum(subscripts: string, ...operands: (ArrayInput | EinsumOptions)[]): NDArray;
/** numpy's interleaved form: einsum(a, [0, 1], b, [1, 2], [0, 2]), axes as integers 0-51 (and '...'), the output list optional. */
export function einsum(operand0: ArrayInput, sublist0: (number | '...')[], ...rest: (ArrayInput | (number | '...')[] | EinsumOptions)[]): NDArray;
export function einsum(subscripts: string | ArrayInput, ...operands: unknown[]): NDArray {
  const where = 'np.einsum';
  let args = operands;
  if (args.length > 0 && isPlainObject(args[args.length - 1])) {
    readOptions<EinsumOptions>(where, args[args.length - 1], { optimize: 'any', precision: 'any' });
    args = args.slice(0, -1);
  }
  if (typeof subscripts === 'string') return einsumOf(subscripts, args as ArrayInput[]);
  // (numpy and jnp take operands interleaved with their axes' integer labels; it was 'subscripts must be a string')
  if (args.length === 0) throw new ValueError(`${where}: subscripts must be a string, or the operands interleaved with their axes' labels (einsum(a, [0, 1], b, [1, 2])), got ${show(subscripts)} alone`);
  const all = [subscripts, ...args];
  const pairs = Math.floor(all.length / 2);
  const letters = (list: unknown, what: string): string => {
    if (!Array.isArray(list)) throw new ValueError(`${where}: ${what} must be a list of axis labels (integers 0-51, or '...'), got ${show(list)}`);
    return list.map((v) => {
      if (v === '...') return '...';
      if (!Number.isInteger(v) || (v as number) < 0 || (v as number) >= 52) throw new ValueError(`${where}: ${what} holds ${show(v)}; axis labels are integers from 0 to 51 (or '...')`);
      const n = v as number;
      return String.fromCharCode(n < 26 ? 97 + n : 65 + n - 26); // (numpy's: 0-25 a-z, 26-51 A-Z)
    }).join('');
  };
  const specs = Array.from({ length: pairs }, (_, k) => letters(all[2 * k + 1], `the axes of operand ${k}`));
  const out = all.length % 2 === 1 ? `->${letters(all[all.length - 1], 'the output axes')}` : '';
  return einsumOf(specs.join(',') + out, Array.from({ length: pairs }, (_, k) => all[2 * k] as ArrayInput));
}

function einsumOf(subscripts: string, operands: ArrayInput[]): NDArray {
  const where = 'np.einsum';
  const [lhs, rhs, extra] = subscripts.split('->');
  if (extra !== undefined) throw new ValueError(`${where}: more than one '->' in '${subscripts}'`);
  const specs = lhs.split(',');
  if (specs.length !== operands.length) {
    throw new ValueError(`${where}: '${subscripts}' names ${specs.length} operand(s), got ${operands.length}`);
  }
  if (operands.length > 0 && operands.every(isBool)) {
    // all bool (JS booleans too): jnp's einsum is bool (or of ands), as dot and matmul of bools here; counted in float32
    const counts = asBoolErrors(() => einsum(subscripts, ...operands.map((o) => astype(o, 'float32'))));
    return lax.ne(counts, lax.full(counts.shape, 0, 'float32'));
  }
  // (JS numbers weak, as jnp.einsum's asarray keeps them: int32 x times 2 stays int32, was float32)
  const dtype = promoteArith(operands.map((o, k) => dtypeForPromotion(where, k, o)));
  const arrays = operands.map((o, k) => astype(operand(where, k, o, dtype), dtype));
  requireComputable(where, arrays);
  const parsed = specs.map((s, k) => parseTerm(where, s, k));
  // Ellipsis dims: as many as the largest operand needs, right-aligned.
  let nEll = 0;
  const terms: Term[] = parsed.map(({ labels, ellipsis }, k) => {
    const x = arrays[k];
    if (ellipsis < 0) {
      if (labels.length !== x.ndim) throw new ShapeError(`${where}: operand ${k} ('${specs[k]}') has ${labels.length} subscripts for ${describe(x.shape, x.dtype)}`);
      return { x, labels };
    }
    const e = x.ndim - labels.length;
    if (e < 0) throw new ShapeError(`${where}: operand ${k} ('${specs[k]}') has more subscripts than the ${x.ndim} dims of ${describe(x.shape, x.dtype)}`);
    nEll = Math.max(nEll, e);
    return { x, labels: [...labels.slice(0, ellipsis), ...Array.from({ length: e }, (_, i) => `…${e - i}`), ...labels.slice(ellipsis)] };
  });
  for (const t of terms) t.labels = t.labels.map((l) => (l.startsWith('…') ? ellLabel(nEll - Number(l.slice(1)), nEll) : l));
  const ellLabels = Array.from({ length: nEll }, (_, i) => ellLabel(i, nEll));

  // numpy's implicit output, from the subscripts alone (before any size-1 dim is dropped below:
  // counted after, 'i,i' of [1] and [3] kept i, as its label was left once): the ellipsis dims,
  // then the labels that appear exactly once, sorted.
  const count = new Map<string, number>();
  for (const t of terms) for (const l of t.labels) if (!ellLabels.includes(l)) count.set(l, (count.get(l) ?? 0) + 1);
  // A label repeated in one operand takes a diagonal: its dims must be equal, no size-1 broadcast
  // (numpy's 'dimensions in operand 0 for collapsing index'; einsum('ii->i') of a [1, 3] was the
  // first row, silently, after the size-1 dim was dropped below as a broadcast one).
  terms.forEach((t, k) => t.labels.forEach((l, i) => {
    const j = t.labels.indexOf(l);
    if (j < i && t.x.shape[j] !== t.x.shape[i]) {
      throw new ShapeError(`${where}: operand ${k} ('${specs[k]}') repeats label '${l}' over dims ${j} and ${i} of ${describe(t.x.shape, t.x.dtype)}, whose sizes differ (${t.x.shape[j]} != ${t.x.shape[i]}); a diagonal needs equal sizes`);
    }
  }));
  const implicitOut = [...ellLabels, ...[...count.keys()].filter((l) => count.get(l) === 1).sort()];

  // Sizes, with size-1 broadcasting (a size-1 dim under a label of another size, 0 included, is dropped).
  const size = new Map<string, number>();
  for (const t of terms) t.labels.forEach((l, i) => { const d = t.x.shape[i], cur = size.get(l); if (cur === undefined || cur === 1) size.set(l, d); });
  for (const t of terms) {
    t.labels.forEach((l, i) => {
      const d = t.x.shape[i], want = size.get(l)!;
      if (d !== want && d !== 1) throw new ShapeError(`${where}: label '${l.charCodeAt(0) >= 0x100 ? '...' : l}' has sizes ${d} and ${want} (operands ${operands.map((_, k) => describe(arrays[k].shape, arrays[k].dtype)).join(', ')})`);
    });
    const drop = t.labels.map((l, i) => t.x.shape[i] === 1 && size.get(l)! !== 1);
    if (drop.some(Boolean)) {
      t.x = reshape(t.x, t.x.shape.filter((_, i) => !drop[i]));
      t.labels = t.labels.filter((_, i) => !drop[i]);
    }
  }

  // The output labels.
  let out: string[];
  if (rhs === undefined) {
    out = implicitOut;
  } else {
    const p = parseTerm(where, rhs, -1);
    out = p.ellipsis < 0 ? p.labels : [...p.labels.slice(0, p.ellipsis), ...ellLabels, ...p.labels.slice(p.ellipsis)];
    if (new Set(out).size !== out.length) throw new ValueError(`${where}: output subscripts '${rhs}' repeat a label`);
    for (const l of out) if (!ellLabels.includes(l) && !size.has(l)) throw new ValueError(`${where}: output label '${l}' appears in no operand of '${subscripts}'`);
  }
  // Ellipsis labels every operand dropped (all size 1) stay in the output with size 1.
  for (const l of out) if (!size.has(l)) size.set(l, 1);

  let ts = terms.map((t) => diagonalize(t));
  ts = ts.map((t, k) => sumUnshared(t, ts, k, out));
  while (ts.length > 1) ts = contractCheapest(ts, out, size);
  let t = ts[0];
  t = sumUnshared(t, [t], 0, out);
  // Output labels no operand kept (broadcast size-1 ellipsis dims): add them as size 1.
  const missing = out.filter((l) => !t.labels.includes(l));
  if (missing.length > 0) { t = { x: reshape(t.x, [...t.x.shape, ...missing.map(() => 1)]), labels: [...t.labels, ...missing] }; }
  return lax.transpose(t.x, out.map((l) => t.labels.indexOf(l)));
}

/**
 * Repeated labels within one operand: the diagonal, selected by an identity mask (zeros elsewhere),
 * summed. (Selected, as JAX's lax.select, not multiplied: 0 * inf and 0 * NaN off the diagonal
 * made einsum('ii', [[1, inf], [NaN, 4]]) NaN instead of 5.)
 */
function diagonalize(t: Term): Term {
  let { x, labels } = t;
  for (;;) {
    const i = labels.findIndex((l, k) => labels.indexOf(l) !== k);
    if (i < 0) return { x, labels };
    const j = labels.indexOf(labels[i]);
    const n = x.shape[j];
    const mask = reshape(eye(n, { dtype: 'bool' }), x.shape.map((d, k) => (k === j || k === i ? d : 1)));
    x = sum(where(mask, x, 0), { axis: i });
    labels = labels.filter((_, k) => k !== i);
  }
}

/** Sum out labels of term k that no other term and not the output uses. */
function sumUnshared(t: Term, all: Term[], k: number, out: string[]): Term {
  return sumNotIn(t, all.filter((_, m) => m !== k), out);
}

/** Sum out the labels of t that neither `others` nor the output use. */
function sumNotIn(t: Term, others: Term[], out: string[]): Term {
  const used = (l: string) => out.includes(l) || others.some((o) => o.labels.includes(l));
  const axes = t.labels.map((l, i) => (used(l) ? -1 : i)).filter((i) => i >= 0);
  if (axes.length === 0) return t;
  return { x: lax.reduceSum(t.x, axes), labels: t.labels.filter((_, i) => !axes.includes(i)) };
}

/** Contract the pair with the fewest multiply-adds (ties: the first pair) into one dot_general. */
function contractCheapest(ts: Term[], out: string[], size: Map<string, number>): Term[] {
  let best: [number, number] = [0, 1], bestCost = Infinity;
  for (let i = 0; i < ts.length; i++) {
    for (let j = i + 1; j < ts.length; j++) {
      const labels = new Set([...ts[i].labels, ...ts[j].labels]);
      const cost = [...labels].reduce((n, l) => n * size.get(l)!, 1);
      if (cost < bestCost) { bestCost = cost; best = [i, j]; }
    }
  }
  const [i, j] = best;
  const a = ts[i], b = ts[j];
  const rest = ts.filter((_, k) => k !== i && k !== j);
  const later = (l: string) => out.includes(l) || rest.some((t) => t.labels.includes(l));
  const shared = a.labels.filter((l) => b.labels.includes(l));
  const batch = shared.filter(later), contract = shared.filter((l) => !later(l));
  // Labels of one operand only that nothing later needs are summed before the product.
  const pa = sumNotIn(a, [b, ...rest], out), pb = sumNotIn(b, [pa, ...rest], out);
  const x = lax.dotGeneral(pa.x, pb.x, [
    [contract.map((l) => pa.labels.indexOf(l)), contract.map((l) => pb.labels.indexOf(l))],
    [batch.map((l) => pa.labels.indexOf(l)), batch.map((l) => pb.labels.indexOf(l))],
  ]);
  const labels = [...batch, ...pa.labels.filter((l) => !shared.includes(l)), ...pb.labels.filter((l) => !shared.includes(l))];
  return [...rest, { x, labels }];
}

/** tensordot's axes: N, or a pair of axis lists (or of single axes). */
export type TensordotAxes = number | [number[] | number, number[] | number];

/**
 * np.tensordot: `axes` = N (the last N axes of a with the first N of b, default 2) or a pair of
 * axis lists, positionally or as JAX's keyword (np.tensordot(a, b, { axes: 1 })). One
 * dot_general; the result's axes are a's free axes, then b's. axes=None is no default: numpy and
 * jnp raise a TypeError for it, and so a null here is a ValueError (leave axes out for 2).
 */
export function tensordot(x: ArrayInput, y: ArrayInput, axes?: TensordotAxes): NDArray;
export function tensordot(x: ArrayInput, y: ArrayInput, opts: { axes?: TensordotAxes }): NDArray;
export function tensordot(x: ArrayInput, y: ArrayInput, axes?: TensordotAxes | { axes?: TensordotAxes }, options?: unknown): NDArray {
  // (null read as the default 2 where jnp.tensordot(a, b, axes=None) raises 'tensordot axes argument must be an int, ...')
  if (axes === null || (isPlainObject(axes) && (axes as { axes?: unknown }).axes === null)) {
    throw new ValueError('np.tensordot: axes must be an integer or a pair of axis lists, got null (numpy and jnp raise for axes=None; leave axes out for the default 2)');
  }
  // (a fourth argument is read only to be refused by name: tensordot(a, b, 1, { axes: 1 }) gives axes twice)
  const o = readOptionalPositions<{ axes?: TensordotAxes }>('np.tensordot', [axes, options], ['axes'], { axes: 'any' });
  return tensordotOf(x, y, o.axes ?? 2);
}

function tensordotOf(x: ArrayInput, y: ArrayInput, axes: TensordotAxes): NDArray {
  const where = 'np.tensordot';
  if (isBool(x) && isBool(y)) {
    // two bools: bool (an or of ands), as jnp.tensordot and this module's dot, matmul and einsum; counted in float32
    const counts = asBoolErrors(() => tensordotOf(astype(x, 'float32'), astype(y, 'float32'), axes));
    return lax.ne(counts, lax.full(counts.shape, 0, 'float32'));
  }
  const dtype = promoteArith([x, y].map((o, k) => dtypeForPromotion(where, k, o)));
  const a = astype(operand(where, 0, x, dtype), dtype), b = astype(operand(where, 1, y, dtype), dtype);
  requireComputable(where, [a, b]);
  let la: number[], lb: number[];
  if (typeof axes === 'number') {
    if (!Number.isInteger(axes) || axes < 0 || axes > a.ndim || axes > b.ndim) {
      throw new AxisError(`${where}: axes=${axes} does not fit ${describe(a.shape, a.dtype)} and ${describe(b.shape, b.dtype)}`);
    }
    la = Array.from({ length: axes }, (_, i) => a.ndim - axes + i);
    lb = Array.from({ length: axes }, (_, i) => i);
  } else if (Array.isArray(axes) && axes.length === 2) {
    la = typeof axes[0] === 'number' ? [axes[0]] : axes[0];
    lb = typeof axes[1] === 'number' ? [axes[1]] : axes[1];
    if (!Array.isArray(la) || !Array.isArray(lb) || la.length !== lb.length) throw new ValueError(`${where}: axes must be an integer or two lists of one length, got ${show(axes)}`);
  } else throw new ValueError(`${where}: axes must be an integer or a pair of axis lists, got ${show(axes)}`);
  const norm = (l: number[], nd: number, name: string) => l.map((v) => {
    if (!Number.isInteger(v) || v < -nd || v >= nd) throw new AxisError(`${where}: axis ${v} is out of bounds for ${name} of rank ${nd}`);
    return v < 0 ? v + nd : v;
  });
  const ca = norm(la, a.ndim, 'a'), cb = norm(lb, b.ndim, 'b');
  if (new Set(ca).size !== ca.length || new Set(cb).size !== cb.length) throw new AxisError(`${where}: duplicate axes are not allowed in tensordot (numpy's), got ${show(axes)}`);
  ca.forEach((d, i) => {
    if (a.shape[d] !== b.shape[cb[i]]) throw new ShapeError(`${where}: shape mismatch for sum: ${describe(a.shape, a.dtype)} axis ${d} vs ${describe(b.shape, b.dtype)} axis ${cb[i]}`);
  });
  return lax.dotGeneral(a, b, [[ca, cb], [[], []]]);
}

/** np.kron: the Kronecker product (ranks padded with leading 1s to the larger one). */
export function kron(x: ArrayInput, y: ArrayInput): NDArray {
  const dt = commonDtype('np.kron', [x, y]); // (JS lists in the common dtype)
  const a0 = operand('np.kron', 0, x, dt), b0 = operand('np.kron', 1, y, dt);
  const nd = Math.max(a0.ndim, b0.ndim);
  const pad = (s: number[]) => [...Array(nd - s.length).fill(1), ...s];
  const sa = pad(a0.shape), sb = pad(b0.shape);
  const a = reshape(a0, sa.flatMap((d) => [d, 1])), b = reshape(b0, sb.flatMap((d) => [1, d]));
  return reshape(multiply(a, b), sa.map((d, i) => d * sb[i]));
}
