// The tape optimizer (jit): a frozen program is re-emitted row by row into a scratch tape, and
// on the way
//   - constant folding: a row whose operands all have values runs at once (the scratch tape is
//     eager for rows up to FOLD_LIMIT elements, so a huge broadcast of a constant stays a row);
//     the freeze at the end bakes the folded values in as constants;
//   - algebraic simplification of what AD output is full of: x*1, x+0, x-(+0), neg(neg x), convert
//     to the same dtype, copy, reshape/transpose/broadcast that change nothing, chains of
//     reshapes and of transposes, and sum of a broadcast over 1 to 3 copies (a multiplication
//     by the count, exact only that far; over 0 copies the sum is +0, not y * 0);
//   - common-subexpression elimination: a row equal to an earlier one (op, operands, params; a
//     small constant's value) is that row;
//   - a loop whose forward-mode JVP repeats it (a twin, rules/control.ts) is read from the twin:
//     the twin and what it needs are emitted at the loop's place, so the loop runs once;
// and the freeze at the end drops every row the outputs do not depend on (dead code).
// x*0 is not simplified: it is NaN for x = inf or NaN.
import {
  Tape, current, select, rowOp, rowDtype, rowNdim, rowDim, rowNops, rowOperand, rowNparams, rowParam, rowParamsPtr,
  rowPtr, rowBytes, rowSize, rowFlags, rowNout, isTuple, sameDims, setEager, arenaAlloc, HAS_VALUE,
} from './tape';
import { twinOf, twinOutput, canonicalizeBlocks, dependedOperands } from './rules/control';
import { emitN, operandScratch, setOperand, setParam, paramScratch, emitP, operandRoom } from './emit';
import { freeze } from './freeze';
import {
  CONST, INPUT, PLACEHOLDER, PROJ, FULL, WHILE, SCAN, COND, CHECKPOINT, MUL, ADD, SUB, NEG, CONVERT, COPY, RESHAPE, TRANSPOSE, SUM, BROADCAST_IN_DIM,
} from './ops';
import { F32, F64, I32, U32, BOOL, C64, C128 } from '../dtype';
import { E_OK, E_OOM, setError } from '../errors';

const FOLD_LIMIT = 1 << 16;

/** The optimized copy of frozen tape `t`, or null with the error recorded. */
export function optimize(t: Tape): Tape | null { return onScratchTape(t, rewrite); }

/**
 * A pass over frozen tape `t` (the optimizer, fusion): `pass` re-emits it into a scratch tape,
 * selected and freed around it, and freezes the result (a new frozen tape, or null).
 */
export function onScratchTape(t: Tape, pass: (t: Tape, g: Tape) => Tape | null): Tape | null {
  const home = current();
  const g = Tape.create();
  select(g);
  const out = pass(t, g);
  select(home);
  g.destroy();
  return out;
}

function rewrite(t: Tape, g: Tape): Tape | null {
  const len = t.len;
  const map = arenaAlloc(<usize>max(len, 1) << 2);
  const cap = nextPow2(2 * len + 16);
  const table = arenaAlloc(<usize>cap << 2);
  const done = arenaAlloc(<usize>max(len, 1)), twins = arenaAlloc(<usize>max(len, 1) << 2);
  if (map == 0 || table == 0 || done == 0 || twins == 0) { setError(E_OOM); return null; }
  memory.fill(table, 0xff, <usize>cap << 2);
  memory.fill(done, 0, <usize>len);
  // twins[t] = the first row repeating loop row t's outputs beside its tangents (rules/control.ts)
  memory.fill(twins, 0xff, <usize>len << 2);
  select(t);
  for (let r = 0; r < len; r++) {
    const w = twinOf(r);
    if (w >= 0 && load<i32>(twins + (<usize>w << 2)) < 0) store<i32>(twins + (<usize>w << 2), r);
  }
  // another loop equal to a repeated one (jit(x => { const [p, t] = jvp(f, [x], [v]); return [f(x), p, t] }):
  // the outer f's loop and the JVP's primal are one loop, which CSE would only see after the
  // twin is resolved) is repeated by the same row
  for (let b = 0; b < len; b++) {
    const y = load<i32>(twins + (<usize>b << 2));
    if (y < 0) continue;
    for (let a = 0; a < len; a++) {
      if (a != b && a != y && load<i32>(twins + (<usize>a << 2)) < 0 && sameLoop(a, b)) store<i32>(twins + (<usize>a << 2), y);
    }
  }
  for (let r = 0; r < len; r++) {
    if (load<u8>(done + <usize>r) != 0) continue;
    select(t);
    if (load<i32>(twins + (<usize>r << 2)) >= 0 && readFromTwin(t, g, r, twins, map, table, cap, done)) continue;
    if (!rewriteRow(t, g, r, map, table, cap)) return null;
  }
  select(g);
  return freezeMapped(t, map);
}

/**
 * Whether loop rows a and b of the current tape compute the same values: one op, equal params
 * (their bodies compared word for word) and the same operands, or equal small constants.
 */
export function sameLoop(a: i32, b: i32): bool {
  const op = rowOp(a);
  if (op != rowOp(b) || (op != WHILE && op != SCAN)) return false;
  const n = dependedOperands(a), np = rowNparams(a);
  if (n != dependedOperands(b) || np != rowNparams(b) || rowNout(a) != rowNout(b)) return false;
  for (let i = 0; i < n; i++) {
    const x = uncopied(rowOperand(a, i)), z = uncopied(rowOperand(b, i));
    if (x != z && !sameSmallConst(x, z) && !sameFill(x, z)) return false;
  }
  canonicalizeBlocks(op, np, rowParamsPtr(a));
  canonicalizeBlocks(op, np, rowParamsPtr(b));
  return memory.compare(rowParamsPtr(a), rowParamsPtr(b), <usize>np << 2) == 0;
}
/** Row x, or the row it copies (a transform's inputs are copies of the rows it was called on). */
function uncopied(x: i32): i32 {
  while (rowOp(x) == COPY && rowNops(x) == 1) x = rowOperand(x, 0);
  return x;
}
/** Two fills (np.ones, np.zeros, np.full) of one value, dtype and shape. */
function sameFill(x: i32, z: i32): bool {
  if (rowOp(x) != FULL || rowOp(z) != FULL || rowNops(x) != 0 || rowNops(z) != 0) return false;
  const np = rowNparams(x);
  return np == rowNparams(z) && memory.compare(rowParamsPtr(x), rowParamsPtr(z), <usize>np << 2) == 0;
}
function sameSmallConst(x: i32, z: i32): bool {
  if (rowOp(x) != CONST || rowOp(z) != CONST || rowDtype(x) != rowDtype(z) || !sameDims(x, z)) return false;
  const bytes = rowBytes(x);
  // (a frozen tape's constants: their values at block offsets)
  return bytes <= <usize>SMALL_CONST && memory.compare(current().block + rowPtr(x), current().block + rowPtr(z), bytes) == 0;
}

/**
 * Loop row r of t read through its twin y, the last of r's chain of twins (a JVP of the primal
 * scan that stacks residuals repeats that scan, which repeats r): y and the rows it needs that
 * come after r are re-emitted now (in t's order, so each after its operands), and r's outputs
 * map to y's, so r becomes dead (and each row of the chain, when the walk reaches it). False
 * (nothing emitted) when y needs r's outputs itself, or an input row.
 */
function readFromTwin(t: Tape, g: Tape, r: i32, twins: usize, map: usize, table: usize, cap: i32, done: usize): bool {
  select(t);
  let y = load<i32>(twins + (<usize>r << 2));
  for (let next = load<i32>(twins + (<usize>y << 2)); next >= 0; next = load<i32>(twins + (<usize>y << 2))) y = next; // (a twin comes later than the row it names: the chain ends)
  if (load<u8>(done + <usize>y) != 0) { // (an equal loop's twin, re-emitted already)
    mapThroughTwins(t, r, y, twins, map, done);
    return true;
  }
  if (y < r) return false;
  // the rows in (r, y] that y depends on and are not re-emitted yet (want = 1), by a walk from y
  // (in the scratch tape's arena: a frozen tape has none)
  select(g);
  const span = y - r;
  const want = arenaAlloc(<usize>span), stack = arenaAlloc(<usize>span << 2);
  if (want == 0 || stack == 0) return false;
  select(t);
  const nout = rowNout(r);
  memory.fill(want, 0, <usize>span);
  let sp = 0;
  if (load<u8>(done + <usize>y) == 0) { store<u8>(want + <usize>(y - r - 1), 1); store<i32>(stack, y); sp = 1; }
  while (sp > 0) {
    const q = load<i32>(stack + (<usize>(--sp) << 2));
    if (rowOp(q) == INPUT || rowOp(q) == PLACEHOLDER) return false;
    const n = twinOf(q) >= 0 ? rowNops(q) - 1 : rowNops(q); // (a twin operand is dropped below)
    for (let i = 0; i < n; i++) {
      const o = rowOperand(q, i);
      if (o >= r && o <= r + nout) return false; // y reads r: it cannot replace it
      if (o < r || load<u8>(done + <usize>o) != 0 || load<u8>(want + <usize>(o - r - 1)) != 0) continue;
      store<u8>(want + <usize>(o - r - 1), 1);
      store<i32>(stack + (<usize>(sp++) << 2), o);
    }
  }
  for (let q = r + 1; q <= y; q++) {
    if (load<u8>(want + <usize>(q - r - 1)) == 0) continue;
    if (!rewriteRow(t, g, q, map, table, cap)) return false;
    store<u8>(done + <usize>q, 1);
  }
  mapThroughTwins(t, r, y, twins, map, done);
  return true;
}

/** Loop row r's outputs (and r) map to those of y, the last of its chain of twins, re-emitted already. */
function mapThroughTwins(t: Tape, r: i32, y: i32, twins: usize, map: usize, done: usize): void {
  select(t);
  const base = load<i32>(map + (<usize>y << 2)), nout = rowNout(r);
  for (let k = 0; k < nout; k++) {
    // (output k of r, through each twin of the chain in turn)
    let at = k;
    for (let p = r, q = load<i32>(twins + (<usize>r << 2)); p != y; p = q, q = load<i32>(twins + (<usize>q << 2))) at = twinOutput(q, p, at);
    store<i32>(map + (<usize>(r + 1 + k) << 2), base + 1 + at);
    store<u8>(done + <usize>(r + 1 + k), 1);
  }
  store<i32>(map + (<usize>r << 2), base);
  store<u8>(done + <usize>r, 1);
}

/** Re-emit row r of t into g (selected on return): folded, simplified, or merged with an equal row. */
function rewriteRow(t: Tape, g: Tape, r: i32, map: usize, table: usize, cap: i32): bool {
  select(t);
  const op = rowOp(r), np = rowNparams(r), pp = rowParamsPtr(r), size = rowSize(r);
  if (op == PROJ) {
    const tr = rowOperand(r, 0);
    select(g);
    store<i32>(map + (<usize>r << 2), load<i32>(map + (<usize>tr << 2)) + 1 + (r - tr - 1));
    return true;
  }
  // (a loop's twin operand only names the row it repeats: the optimized row has none)
  const n = (op == WHILE || op == SCAN) && twinOf(r) >= 0 ? rowNops(r) - 1 : rowNops(r);
  operandRoom(n);
  for (let i = 0; i < n; i++) setOperand(i, load<i32>(map + (<usize>rowOperand(r, i) << 2)));
  const value = op == CONST ? t.block + rowPtr(r) : 0, bytes = op == CONST ? rowBytes(r) : 0;
  select(g);
  // (a leaf stands for a value bound later, each its own: two inputs or linearization seeds of one
  // shape are never merged, folded or simplified)
  const leaf = op == INPUT || op == PLACEHOLDER;
  setEager(!leaf && op != WHILE && op != SCAN && size <= FOLD_LIMIT); // (a loop is not folded: it may run long)
  let x = leaf || op == CONST ? -1 : simplify(op, n, np, pp);
  let slot = -1;
  // (a small constant is merged with an equal one, bit for bit: the user's two np.array(0) make
  // one row, so rows reading them, loops included, can merge too)
  const small = op == CONST && bytes <= <usize>SMALL_CONST;
  if (x < 0 && !leaf && (op != CONST || small)) {
    slot = lookup(table, cap, op, n, np, pp, small ? value : 0, small ? <i32>bytes : 0);
    x = load<i32>(table + (<usize>slot << 2));
  }
  if (x < 0) {
    x = emitN(op, operandScratch(), n, np, pp);
    if (x < 0) return false;
    if (op == CONST) memory.copy(rowPtr(x), value, bytes);
    if (slot >= 0) store<i32>(table + (<usize>slot << 2), x);
  }
  store<i32>(map + (<usize>r << 2), x);
  return true;
}

/**
 * The end of a pass: frozen tape t's inputs and outputs, through `map` (t's row -> the scratch
 * tape's), frozen from the scratch tape (selected) into a new frozen tape, or null.
 */
export function freezeMapped(t: Tape, map: usize): Tape | null {
  const ins = arenaAlloc(<usize>max(t.nIn, 1) << 2), outs = arenaAlloc(<usize>max(t.nOut, 1) << 2), nRes = arenaAlloc(4);
  if (ins == 0 || outs == 0 || nRes == 0) { setError(E_OOM); return null; }
  for (let k = 0; k < t.nIn; k++) store<i32>(ins + (<usize>k << 2), load<i32>(map + (<usize>load<i32>(t.ins + (<usize>k << 2)) << 2)));
  for (let k = 0; k < t.nOut; k++) {
    const o = load<i32>(t.outs + (<usize>k << 2));
    store<i32>(outs + (<usize>k << 2), o < 0 ? -1 : load<i32>(map + (<usize>o << 2)));
  }
  return freeze(t.nIn, ins, t.nOut, outs, false, 0, 0, nRes);
}

// ---------------------------------------------------------------- CSE

function nextPow2(n: i32): i32 { let c = 16; while (c < n) c <<= 1; return c; }

/** Constants up to this many bytes are merged by value (common-subexpression elimination). */
const SMALL_CONST = 64;

/**
 * The slot holding the row equal to op(operands in the scratch; params at pp), or the empty slot
 * for it; a constant's `bytes` of value at `value` are compared too.
 */
function lookup(table: usize, cap: i32, op: i32, n: i32, np: i32, pp: usize, value: usize = 0, bytes: i32 = 0): i32 {
  // (a loop's or cond's params hold its bodies as frozen blocks, with a header each view rewrites:
  // compared without it, two equal loops are one)
  if (holdsBlocks(op)) canonicalizeBlocks(op, np, pp);
  let h: u32 = <u32>op * 0x9E3779B1;
  for (let i = 0; i < n; i++) h = (h ^ <u32>load<i32>(operandScratch() + (<usize>i << 2))) * 0x85EBCA6B;
  for (let i = 0; i < np; i++) h = (h ^ <u32>load<i32>(pp + (<usize>i << 2))) * 0xC2B2AE35;
  for (let i = 0; i < bytes; i++) h = (h ^ <u32>load<u8>(value + <usize>i)) * 0x27D4EB2F;
  let s = <i32>(h & <u32>(cap - 1));
  while (true) {
    const x = load<i32>(table + (<usize>s << 2));
    if (x < 0 || (same(x, op, n, np, pp) && (bytes == 0 || (<i32>rowBytes(x) == bytes && memory.compare(rowPtr(x), value, <usize>bytes) == 0)))) return s;
    s = (s + 1) & (cap - 1);
  }
  return -1;
}
@inline function holdsBlocks(op: i32): bool { return op == WHILE || op == SCAN || op == COND || op == CHECKPOINT; }
function same(x: i32, op: i32, n: i32, np: i32, pp: usize): bool {
  if (rowOp(x) != op || rowNops(x) != n || rowNparams(x) != np) return false;
  for (let i = 0; i < n; i++) if (rowOperand(x, i) != load<i32>(operandScratch() + (<usize>i << 2))) return false;
  if (holdsBlocks(op)) canonicalizeBlocks(op, np, rowParamsPtr(x)); // (viewed since it was emitted)
  return memory.compare(rowParamsPtr(x), pp, <usize>np << 2) == 0;
}

// ---------------------------------------------------------------- simplification

let constant: f64 = 0;
/** Is row x the same value everywhere (a FULL, a broadcast of one, a value with equal elements)? Sets `constant`. */
function isConstant(x: i32): bool {
  const op = rowOp(x);
  if (op == FULL) {
    // (a complex FULL is value + 0i: x * (1 + 0i) is not x in IEEE complex arithmetic, its
    // cross terms turn -0 into +0 and inf into NaN, so no identity holds for it)
    const d = rowDtype(x);
    if (d == C64 || d == C128) return false;
    constant = reinterpret<f64>((<u64>rowParam(x, 1) & 0xFFFFFFFF) | (<u64>rowParam(x, 2) << 32));
    return true;
  }
  if (op == BROADCAST_IN_DIM) return isConstant(rowOperand(x, 0));
  // a value with every element equal (a closed-over np.ones([n]) is one), up to FOLD_LIMIT elements
  const n = rowSize(x);
  if (n == 0 || n > FOLD_LIMIT || (rowFlags(x) & HAS_VALUE) == 0) return false;
  const d = rowDtype(x), p = rowPtr(x);
  if (d != F32 && d != F64 && d != I32 && d != U32) return false;
  constant = element(d, p, 0);
  // bit for bit: [0, -0] is not a constant (a FULL of it would lose a sign)
  for (let i = 1; i < n; i++) if (reinterpret<u64>(element(d, p, i)) != reinterpret<u64>(constant)) return false;
  return true;
}
@inline function element(d: i32, p: usize, i: i32): f64 {
  if (d == F32) return <f64>load<f32>(p + (<usize>i << 2));
  if (d == F64) return load<f64>(p + (<usize>i << 3));
  if (d == I32) return <f64>load<i32>(p + (<usize>i << 2));
  return <f64>load<u32>(p + (<usize>i << 2));
}
/** Whether adding `constant` (of dtype d) leaves every value as it is, bit for bit. */
function addsNothing(d: i32): bool {
  if (constant != 0.0) return false;
  return d == I32 || d == U32 || reinterpret<u64>(constant) == 0x8000000000000000;
}
@inline function operand(i: i32): i32 { return load<i32>(operandScratch() + (<usize>i << 2)); }
@inline function param(pp: usize, i: i32): i32 { return load<i32>(pp + (<usize>i << 2)); }

/** A row equal to op(operands; params) that already exists or is simpler; -1 when there is none. */
function simplify(op: i32, n: i32, np: i32, pp: usize): i32 {
  if (n == 0) return -1;
  const a = operand(0);
  switch (op) {
    case COPY: return a;
    case MUL: {
      const b = operand(1);
      if (isConstant(b) && constant == 1.0 && sameDims(a, b)) return a;
      if (isConstant(a) && constant == 1.0 && sameDims(a, b)) return b;
      return -1;
    }
    case ADD: {
      // x + (-0) is x for every x; x + (+0) is not where x = -0 (IEEE: +0), and 1/x, atan2,
      // copysign downstream turn that sign into -inf vs inf: folded only for ints, exact there
      const b = operand(1);
      if (isConstant(b) && addsNothing(rowDtype(b)) && sameDims(a, b)) return a;
      if (isConstant(a) && addsNothing(rowDtype(a)) && sameDims(a, b)) return b;
      return -1;
    }
    // x - (+0) is x for every x; x - (-0) is x + 0, which turns a -0 into +0: left alone
    case SUB: return isConstant(operand(1)) && reinterpret<u64>(constant) == 0 ? a : -1;
    case NEG: return rowOp(a) == NEG ? rowOperand(a, 0) : -1;
    case CONVERT: return param(pp, 0) == rowDtype(a) ? a : -1;
    case RESHAPE: {
      if (np == rowNdim(a) && dimsEqual(a, pp)) return a;
      if (rowOp(a) == RESHAPE) { // reshape of a reshape: one reshape of the source
        const src = rowOperand(a, 0);
        if (np == rowNdim(src) && dimsEqual(src, pp)) return src;
        for (let i = 0; i < np; i++) setParam(i, param(pp, i));
        return emitP(RESHAPE, src, -1, -1, np);
      }
      return -1;
    }
    case TRANSPOSE: {
      if (isIdentity(pp, np)) return a;
      if (rowOp(a) == TRANSPOSE) { // composed: out[i] = src axis p1[p2[i]]
        const src = rowOperand(a, 0);
        let id = true;
        for (let i = 0; i < np; i++) { const q = rowParam(a, param(pp, i)); setParam(i, q); if (q != i) id = false; }
        return id ? src : emitP(TRANSPOSE, src, -1, -1, np);
      }
      return -1;
    }
    case SUM: {
      if (np == 0) return a;
      return sumOfBroadcast(a, np, pp);
    }
    case BROADCAST_IN_DIM: {
      const nIn = rowNdim(a), nOut = np - nIn, d = rowDtype(a);
      // A broadcast constant is a FULL: a fill (a splat in a fused loop), never a baked array.
      if (isConstant(a) && (d == F32 || d == F64 || d == I32 || d == U32 || d == BOOL)) {
        const bits = reinterpret<i64>(constant);
        setParam(0, d); setParam(1, <i32>bits); setParam(2, <i32>(bits >>> 32));
        for (let i = 0; i < nOut; i++) setParam(3 + i, param(pp, i));
        return emitP(FULL, -1, -1, -1, 3 + nOut);
      }
      if (nOut != nIn) return -1;
      for (let i = 0; i < nIn; i++) if (param(pp, nOut + i) != i || param(pp, i) != rowDim(a, i)) return -1;
      return a;
    }
  }
  return -1;
}

function dimsEqual(x: i32, pp: usize): bool {
  for (let i = 0; i < rowNdim(x); i++) if (rowDim(x, i) != param(pp, i)) return false;
  return true;
}
function isIdentity(pp: usize, n: i32): bool {
  for (let i = 0; i < n; i++) if (param(pp, i) != i) return false;
  return true;
}

/** sum(broadcast_in_dim(y)) over exactly the added axes, none of y's expanded: y * count. */
function sumOfBroadcast(b: i32, np: i32, pp: usize): i32 {
  if (rowOp(b) != BROADCAST_IN_DIM) return -1;
  const y = rowOperand(b, 0), nIn = rowNdim(y), nOut = rowNdim(b);
  if (np != nOut - nIn) return -1;
  let count: f64 = 1;
  for (let i = 0, k = 0; i < nOut; i++) {
    let kept = false;
    for (let j = 0; j < nIn; j++) if (rowParam(b, nOut + j) == i) { kept = true; if (rowDim(y, j) != rowDim(b, i)) return -1; }
    if (kept) continue;
    if (k >= np || param(pp, k) != i) return -1;
    k++;
    count *= <f64>rowDim(b, i);
  }
  const d = rowDtype(y);
  if (d != F32 && d != F64) return -1;
  // over an empty axis the sum is +0 and y * 0 is not (NaN for inf and NaN, -0 for y < 0)
  if (count == 0.0) return -1;
  // n * y is the sum of n copies of y bit for bit only up to n = 3 (y + y = 2y exactly, so every
  // order of three terms rounds once, as 3 * y does); from n = 6 or 7 the sums eager runs differ
  // in the last bits (tests/jit_optimizer.test.ts), and jit must equal eager. A sum starts from +0
  // (a -0 y sums to +0: kernels/reduce.ts), so the product gets + 0 too; for n = 1 that add is
  // all the SUM row would do, so it stays.
  if (count == 1.0 || count > 3.0) return -1;
  const c = fullLike(d, count, y, nIn);
  return emitP(ADD, emitP(MUL, y, c, -1, 0), fullLike(d, 0, y, nIn), -1, 0);
}

/** A FULL of value v, dtype d, with y's shape (its first nIn dims). */
function fullLike(d: i32, v: f64, y: i32, nIn: i32): i32 {
  const bits = reinterpret<i64>(v);
  setParam(0, d); setParam(1, <i32>bits); setParam(2, <i32>(bits >>> 32));
  for (let i = 0; i < nIn; i++) setParam(3 + i, rowDim(y, i));
  return emitP(FULL, -1, -1, -1, 3 + nIn);
}

export { E_OK };
