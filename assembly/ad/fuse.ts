// jit's fusion pass: an optimized frozen program with its chains of elementwise rows replaced by
// FUSED rows (rules/fused.ts), each one loop over L1-sized blocks with no intermediate buffers.
//
// Groups grow backward from a root, the latest row not yet taken: an operand joins when it is
// elementwise and fusible, has the root's shape, and every reader of its value is already in the
// group (so no one outside needs its buffer); an output of the program never joins. Candidates are
// taken latest first, so when one is considered all its readers have been decided. A FULL and a
// broadcast whose operand lands on consecutive axes (a scalar, a bias, a scale per row) join too.
// A root may also be a SUM (fusibleSum): the group is then its operand's chain, summed a block at a
// time (sum((x - y) ** 2) never writes x - y). A group of one row stays a row.
// The fused tape is what a top-level replay runs; transforms get the unfused program (a fused
// row would only be expanded back), which is why `jit` keeps both.
import {
  Tape, select, rowOp, rowDtype, rowNdim, rowDim, rowNops, rowOperand, rowNparams, rowParamsPtr, rowPtr,
  rowBytes, rowSize, isTuple, sameDims, setEager, arenaAlloc,
} from './tape';
import { emitN, operandScratch, setOperand, operandRoom } from './emit';
import { onScratchTape, freezeMapped } from './optimize';
import { fusible, fusibleDtype, fusibleSum, broadcastRun, MAX_INSTRUCTIONS } from './rules/fused';
import { MAX_LIST } from './limits';
import { CONST, PROJ, FUSED, FULL, BROADCAST_IN_DIM, CONVERT, SUM } from './ops';
import { E_OOM, setError } from '../errors';

const OUTPUT: i32 = 1 << 24; // added to an output's reader count: it never joins a group

/** The fused copy of optimized frozen tape `t`, or null with the error recorded. */
export function fuse(t: Tape): Tape | null { return onScratchTape(t, fuseInto); }

@inline function ld(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }
@inline function st(p: usize, i: i32, v: i32): void { store<i32>(p + (<usize>i << 2), v); }

/** Does some member of root r's group (members[used ..], nMem of them) read a row outside the group? */
function readsOutside(r: i32, used: i32, nMem: i32, members: usize, group: usize): bool {
  for (let k = 0; k < nMem; k++) {
    const m = ld(members, used + k);
    for (let i = 0; i < rowNops(m); i++) if (ld(group, rowOperand(m, i)) != r) return true;
  }
  return false;
}

/** May row r (of the tape selected) be computed inside a fused loop of r's shape? */
function elementwise(r: i32): bool {
  const op = rowOp(r);
  if (!fusible(op) || isTuple(r) || !fusibleDtype(rowDtype(r))) return false;
  for (let i = 0; i < rowNops(r); i++) if (!fusibleDtype(rowDtype(rowOperand(r, i)))) return false;
  if (op == CONVERT && rowDtype(rowOperand(r, 0)) == rowDtype(r)) return false;
  if (op == BROADCAST_IN_DIM) return broadcastRun(r) >= 0;
  return true;
}

function fuseInto(t: Tape, g: Tape): Tape | null {
  const len = t.len;
  const n4 = <usize>max(len, 1) << 2;
  const uses = arenaAlloc(n4), group = arenaAlloc(n4), inGroup = arenaAlloc(n4), map = arenaAlloc(n4);
  const slot = arenaAlloc(n4), cand = arenaAlloc(n4), touched = arenaAlloc(n4), members = arenaAlloc(n4);
  const gStart = arenaAlloc(n4), prm = arenaAlloc(<usize>MAX_LIST << 2), ext = arenaAlloc(<usize>MAX_LIST << 2);
  if (uses == 0 || group == 0 || inGroup == 0 || map == 0 || slot == 0 || cand == 0 || touched == 0 || members == 0 ||
    gStart == 0 || prm == 0 || ext == 0) { setError(E_OOM); return null; }
  memory.fill(uses, 0, n4); memory.fill(inGroup, 0, n4);
  memory.fill(group, 0xff, n4); memory.fill(slot, 0xff, n4);
  select(t);
  for (let r = 0; r < len; r++) for (let i = 0; i < rowNops(r); i++) { const o = rowOperand(r, i); st(uses, o, ld(uses, o) + 1); }
  for (let k = 0; k < t.nOut; k++) { const o = ld(t.outs, k); if (o >= 0) st(uses, o, ld(uses, o) + OUTPUT); }

  // Groups, latest root first; members[gStart[root] ..] in descending row order.
  let used = 0;
  for (let r = len - 1; r >= 0; r--) {
    const op = rowOp(r);
    if (ld(group, r) >= 0) continue;
    // c: the row whose shape the chain has (a SUM's operand, else the root itself)
    const c = op == SUM ? rowOperand(r, 0) : r;
    if (op == SUM ? !fusibleSum(r, true) : op == FULL || op == BROADCAST_IN_DIM || !elementwise(r)) continue;
    if (rowSize(c) == 0) continue;
    let nMem = 1, nCand = 0, nTouched = 0;
    let bytes = 3 + rowNdim(c) + 3 + rowNops(r) + rowNparams(r); // the program's params so far
    st(members, used, r);
    for (let m = r; m >= 0;) {
      for (let i = 0; i < rowNops(m); i++) {
        const o = rowOperand(m, i), c = ld(inGroup, o);
        st(inGroup, o, c + 1);
        if (c == 0) { st(cand, nCand++, o); st(touched, nTouched++, o); }
      }
      // The latest candidate: all its readers are decided by now.
      m = -1;
      while (nCand > 0 && m < 0) {
        let best = 0;
        for (let k = 1; k < nCand; k++) if (ld(cand, k) > ld(cand, best)) best = k;
        const q = ld(cand, best);
        st(cand, best, ld(cand, --nCand));
        const cost = 3 + rowNops(q) + rowNparams(q);
        if (ld(inGroup, q) == ld(uses, q) && nMem < MAX_INSTRUCTIONS && bytes + cost < MAX_LIST &&
          rowSize(q) == rowSize(c) && sameDims(q, c) && elementwise(q)) {
          st(members, used + nMem++, q);
          bytes += cost;
          m = q;
        }
      }
    }
    for (let k = 0; k < nTouched; k++) st(inGroup, ld(touched, k), 0);
    if (nMem < 2) continue;
    for (let k = 0; k < nMem; k++) st(group, ld(members, used + k), r);
    // A chain of fills alone reads nothing from outside (the optimizer folds only up to 65,536
    // elements): a FUSED row needs an operand, so such a chain stays rows.
    if (!readsOutside(r, used, nMem, members, group)) {
      for (let k = 0; k < nMem; k++) st(group, ld(members, used + k), -1);
      continue;
    }
    st(gStart, r, used);
    st(slot, r, nMem); // the root's slot holds the group's size until emission
    used += nMem;
  }

  // Emission: every row as it was, but a group's members are left out and its root is a FUSED row.
  select(g);
  setEager(false);
  for (let r = 0; r < len; r++) {
    select(t);
    const op = rowOp(r), gr = ld(group, r);
    if (op == PROJ) {
      const tr = rowOperand(r, 0);
      select(g);
      st(map, r, ld(map, tr) + 1 + (r - tr - 1));
      continue;
    }
    if (gr >= 0 && gr != r) continue; // computed inside its group's loop
    let x = 0;
    if (gr == r) {
      const nMem = ld(slot, r), nx = program(r, ld(gStart, r), nMem, members, slot, group, map, prm, ext);
      select(g);
      x = emitN(FUSED, ext, nx, ld(prm, MAX_LIST - 1), prm);
    } else {
      const n = rowNops(r), np = rowNparams(r), pp = rowParamsPtr(r);
      operandRoom(n);
      for (let i = 0; i < n; i++) setOperand(i, ld(map, rowOperand(r, i)));
      const value = op == CONST ? t.block + rowPtr(r) : 0, bytes = op == CONST ? rowBytes(r) : 0;
      select(g);
      x = emitN(op, operandScratch(), n, np, pp);
      if (x >= 0 && op == CONST) memory.copy(rowPtr(x), value, bytes);
    }
    if (x < 0) return null;
    st(map, r, x);
  }
  return freezeMapped(t, map);
}

/**
 * The FUSED params of root r's group (members at members[start ..], descending) into prm, its
 * length at prm[MAX_LIST - 1]; its external operands (rows of the new tape) into ext. Returns
 * their count. Reads tape t (selected); `slot` is reused as row -> instruction index.
 */
function program(r: i32, start: i32, nMem: i32, members: usize, slot: usize, group: usize, map: usize,
  prm: usize, ext: usize): i32 {
  const c = rowOp(r) == SUM ? rowOperand(r, 0) : r, nd = rowNdim(c); // the chain's shape
  let q = 0, nx = 0;
  st(prm, q++, rowDtype(r)); st(prm, q++, nd);
  for (let a = 0; a < nd; a++) st(prm, q++, rowDim(c, a));
  st(prm, q++, nMem);
  for (let k = 0; k < nMem; k++) {
    const m = ld(members, start + nMem - 1 - k), n = rowNops(m), np = rowNparams(m);
    st(slot, m, k);
    st(prm, q++, rowOp(m)); st(prm, q++, n);
    for (let i = 0; i < n; i++) {
      const o = rowOperand(m, i);
      if (ld(group, o) == r) { st(prm, q++, ld(slot, o)); continue; }
      const row = ld(map, o);
      let e = 0;
      while (e < nx && ld(ext, e) != row) e++;
      if (e == nx) st(ext, nx++, row);
      st(prm, q++, -e - 1);
    }
    st(prm, q++, np);
    memory.copy(prm + (<usize>q << 2), rowParamsPtr(m), <usize>np << 2);
    q += np;
  }
  st(prm, MAX_LIST - 1, q);
  return nx;
}
