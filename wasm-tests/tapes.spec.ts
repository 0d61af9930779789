// Tapes as values: abstract emission of every primitive (shapes, dtypes and errors with no kernel
// run, then the executor's values equal eager ones), transforms that are reentrant (a rule that
// runs a nested transform through the ABI, scribbling on its scratch) and that unwind after a
// trap, dead rows left undifferentiated, frozen tapes that outlive and move away from the tape
// they came from, and while rows that carry their cond and body as frozen tapes.
import { jvp as abiJvp, scratch } from '../assembly/index';
import { NUM_OPS, PLACEHOLDER, PROJ, INPUT, SIN, NEG, MUL, COS, ADD, TANH, EXP, SUM, LT, WHILE } from '../assembly/ad/ops';
import { opInfo, opName, jvpRule, defJvp, HAS_SHAPE_RULE } from '../assembly/ad/registry';
import {
  Tape, select, current, tapeLen, tapeReset, setEager, rowDtype, rowNdim, rowDim, rowFlags, rowPtr, rowBytes, rowOp,
  rowA, rowSize, HAS_VALUE, rowOperand,
} from '../assembly/ad/tape';
import { kernelCount, runRange, bindLeaf } from '../assembly/ad/execute';
import { e1, e2, emitN, setOperand, operandScratch } from '../assembly/ad/emit';
import { tangentOf, depth, unwind } from '../assembly/ad/maps';
import { freeze, inline, loadFrozen } from '../assembly/ad/freeze';
import { transposeRange } from '../assembly/ad/transpose';
import { optimize } from '../assembly/ad/optimize';
import { F64, I32 } from '../assembly/dtype';
import { fail, E_PARAMS, E_DTYPE } from '../assembly/errors';
import { exampleFor, hostRuled } from './helpers/examples';
import { Case, tryBuild, constRows, argDtype, applyBoost } from './helpers/harness';
import { tryJvp, lastTrapCode, codeName } from './helpers/guard';
import { resetTape, constRow, copyOf, emitOp, readRow, placeholderRow, tryEmit, vecStr } from './helpers/rows';

function nm(op: i32): string { return opName(op); }

/** Deterministic input values for a case (no run needed). */
function values(c: Case): StaticArray<f64>[] {
  const xs = new Array<StaticArray<f64>>(c.args.length);
  for (let k = 0; k < c.args.length; k++) {
    let n = 1;
    for (let i = 0; i < c.args[k].shape.length; i++) n *= c.args[k].shape[i];
    if (argDtype(c.args[k]) == 5 || argDtype(c.args[k]) == 6) n *= 2; // complex: interleaved re, im
    const a = new StaticArray<f64>(n);
    for (let i = 0; i < n; i++) a[i] = 0.5 + 0.125 * <f64>((i * 7 + k) % 9);
    if (argDtype(c.args[k]) != F64 && c.args[k].kind == 2) for (let i = 0; i < n; i++) a[i] = <f64>(i & 1);
    applyBoost(c.args[k], a);
    if (c.args[k].kind == 3) for (let i = 0; i < n; i++) a[i] = <f64>((i * 7 + k) % 3); // INDEX
    xs[k] = a;
  }
  return xs;
}

function sameShapeAs(x: i32, tx: Tape, y: i32, ty: Tape): bool {
  select(tx);
  const d = rowDtype(x), nd = rowNdim(x);
  const dims = new StaticArray<i32>(nd);
  for (let i = 0; i < nd; i++) dims[i] = rowDim(x, i);
  select(ty);
  if (rowDtype(y) != d || rowNdim(y) != nd) return false;
  for (let i = 0; i < nd; i++) if (rowDim(y, i) != dims[i]) return false;
  return true;
}

describe('abstract tapes', () => {
  it('every primitive emits abstractly (no kernel runs) with the eager shape and dtype, then runs to the eager value', () => {
    const main = current();
    const abs = Tape.create();
    let e = '', n = 0;
    for (let op = 0; op < NUM_OPS; op++) {
      if ((opInfo(op) & HAS_SHAPE_RULE) == 0 || op == PLACEHOLDER || op == PROJ || op == INPUT || hostRuled(op)) continue;
      const c = exampleFor(op);
      const xs = values(c);
      // eager reference on the main tape
      select(main); resetTape();
      const ye = tryBuild(c, constRows(c, xs));
      if (ye < 0) { e += nm(op) + ': eager example fails; '; continue; }
      const want = readRow(ye);
      // abstract: INPUT leaves, no values
      select(abs); tapeReset(); setEager(false);
      const ins = new StaticArray<i32>(c.args.length);
      for (let k = 0; k < c.args.length; k++) {
        const p: StaticArray<i32> = new StaticArray<i32>(c.args[k].shape.length + 1);
        p[0] = argDtype(c.args[k]);
        for (let i = 0; i < c.args[k].shape.length; i++) p[i + 1] = c.args[k].shape[i];
        ins[k] = tryEmit(INPUT, -1, -1, -1, p);
      }
      const before = kernelCount();
      const ya = tryBuild(c, ins);
      if (ya < 0) { e += nm(op) + ': abstract emission failed (' + (-ya).toString() + '); '; continue; }
      const ran = kernelCount() - before;
      if (ran != 0 && op != 0 /* CONST is a value */) e += nm(op) + ': ' + ran.toString() + ' kernel(s) ran while tracing abstractly; ';
      if ((rowFlags(ya) & HAS_VALUE) != 0 && op != 0) e += nm(op) + ': an abstract row has a value; ';
      if (!sameShapeAs(ye, main, ya, abs)) e += nm(op) + ': abstract shape/dtype differs from eager; ';
      // bind the inputs and run the range
      if (op != 0) {
        const vs = constRowsOn(abs, c, xs, ins);
        if (vs.length > 0) e += vs;
        const code = runRange(0, tapeLen());
        if (code != 0) { e += nm(op) + ': run failed with ' + code.toString() + '; '; continue; }
        const got = readRow(ya);
        if (vecStr(got) != vecStr(want)) e += nm(op) + ': run gives ' + vecStr(got) + ', eager ' + vecStr(want) + '; ';
      }
      n++;
    }
    select(main); resetTape();
    abs.destroy();
    expect(n).toBeGreaterThan(25);
    expect(e).toBe('', e);
  });

  it('shape and dtype errors come from emission alone, with the eager codes', () => {
    const main = current();
    const abs = Tape.create();
    select(abs); setEager(false);
    const a = tryEmit(INPUT, -1, -1, -1, [F64, 2, 3]);
    const b = tryEmit(INPUT, -1, -1, -1, [F64, 3, 2]);
    const bad = tryEmit(ADD, a, b, -1, []);
    const before = kernelCount();
    const ok = tryEmit(TANH, a, -1, -1, []);
    select(main);
    abs.destroy();
    expect(bad).toBe(-1, 'E_SHAPE');
    expect(ok).toBeGreaterThan(0);
    expect(kernelCount()).toBe(before);
  });
});

/** Bind INPUT rows `ins` of tape t to values xs; '' or an error. */
function constRowsOn(t: Tape, c: Case, xs: StaticArray<f64>[], ins: StaticArray<i32>): string {
  select(t);
  for (let k = 0; k < ins.length; k++) {
    const p = bindLeaf(ins[k]);
    if (p == 0) return 'bind failed; ';
    const dt = rowDtype(ins[k]);
    for (let i = 0; i < xs[k].length; i++) {
      if (dt == F64 || dt == 6) store<f64>(p + (<usize>i << 3), xs[k][i]); // complex128: parts
      else if (dt == 0 || dt == 5) store<f32>(p + (<usize>i << 2), <f32>xs[k][i]);
      else if (dt == 3) store<i32>(p + (<usize>i << 2), <i32>Math.floor(xs[k][i])); // int32
      else if (dt == 4) store<u32>(p + (<usize>i << 2), <u32>xs[k][i]); // uint32
      else store<u8>(p + <usize>i, xs[k][i] != 0 ? 1 : 0);
    }
  }
  return '';
}

// ---------------------------------------------------------------- reentrancy and unwinding

let innerCalls = 0;
/** sin's JVP, but first a whole nested transform through the ABI (overwriting its scratch). */
function reentrantSinJvp(r: i32): i32 {
  const x = rowA(r);
  const start = tapeLen();
  const c = copyOf(x);
  const y = e1(NEG, c);
  const end = tapeLen();
  const s = scratch();
  store<i32>(s, c); store<i32>(s, x, 4); store<i32>(s, y, 8);
  abiJvp(start, end, 1, 1);
  innerCalls++;
  return e2(MUL, tangentOf(x), e1(COS, x));
}
function failingJvp(r: i32): i32 { fail(E_PARAMS); return -1; }

describe('reentrant transforms', () => {
  it('a rule that runs a nested transform through the ABI leaves the outer one intact', () => {
    const saved = jvpRule(SIN);
    defJvp(SIN, reentrantSinJvp);
    resetTape();
    const x = constRow(F64, [3], [0.1, 0.5, -1.2]);
    const v = constRow(F64, [3], [1, 2, 3]);
    const start = tapeLen();
    const cx = copyOf(x);
    const y = emitOp(EXP, emitOp(SIN, cx, -1, -1, []), -1, -1, []);
    const end = tapeLen();
    const s = scratch();
    store<i32>(s, cx); store<i32>(s, v, 4); store<i32>(s, y, 8);
    innerCalls = 0;
    abiJvp(start, end, 1, 1);
    const t = load<i32>(s, 8);
    defJvp(SIN, saved);
    const got = readRow(t);
    const xs: StaticArray<f64> = [0.1, 0.5, -1.2];
    let err = 0.0;
    for (let i = 0; i < 3; i++) err = max(err, Math.abs(got[i] - Math.exp(Math.sin(xs[i])) * Math.cos(xs[i]) * <f64>(i + 1)));
    resetTape();
    expect(innerCalls).toBe(1);
    expect(err).toBeLessThan(1e-14);
    expect(depth()).toBe(0);
  });

  it('a trap inside a rule leaves frames that unwind() pops; the next transform is right', () => {
    const saved = jvpRule(SIN);
    defJvp(SIN, failingJvp);
    resetTape();
    const x = constRow(F64, [2], [0.3, 0.9]);
    const start = tapeLen();
    const cx = copyOf(x);
    const y = emitOp(SIN, cx, -1, -1, []);
    const end = tapeLen();
    const ok = tryJvp(start, end, 1, [cx], [x], 1, [y], [-2]);
    const code = lastTrapCode();
    const left = depth();
    unwind(0);
    defJvp(SIN, saved);
    const res: StaticArray<i32> = [-2];
    const ok2 = tryJvp(start, end, 1, [cx], [x], 1, [y], res);
    const got = readRow(res[0]);
    resetTape();
    expect(ok).toBe(false);
    expect(codeName(code)).toBe('E_PARAMS');
    expect(left).toBe(1, 'the trapped jvp left its frame');
    expect(depth()).toBe(0);
    expect(ok2).toBe(true);
    expect(Math.abs(got[0] - 0.3 * Math.cos(0.3))).toBeLessThan(1e-15);
    expect(Math.abs(got[1] - 0.9 * Math.cos(0.9))).toBeLessThan(1e-15);
  });
});

describe('dead rows', () => {
  it('rows that reach no output get no tangent rows', () => {
    resetTape();
    const x = constRow(F64, [4], [1, 2, 3, 4]);
    const start = tapeLen();
    const cx = copyOf(x);
    emitOp(TANH, emitOp(SIN, cx, -1, -1, []), -1, -1, []); // dead
    emitOp(EXP, cx, -1, -1, []); // dead
    const y = emitOp(SUM, emitOp(MUL, cx, cx, -1, []), -1, -1, [0]);
    const end = tapeLen();
    const res: StaticArray<i32> = [-2];
    tryJvp(start, end, 1, [cx], [x], 1, [y], res);
    const added = tapeLen() - end;
    const got = readRow(res[0]);
    resetTape();
    // d sum(x*x) = mul, mul, add, sum: exactly four rows; the dead rows would add cos, mul, ...
    expect(added).toBe(4);
    expect(got[0]).toBe(2 * (1 + 4 + 9 + 16));
  });
});

// ---------------------------------------------------------------- frozen tapes

describe('frozen tapes', () => {
  it('a linear program outlives its tape, moves to another block, and transposes anywhere', () => {
    const main = current();
    const src = Tape.create();
    select(src);
    const x = constRow(F64, [3], [0.2, -0.4, 1.1]);
    const start = tapeLen();
    const cx = copyOf(x);
    const y = emitOp(MUL, emitOp(SIN, cx, -1, -1, []), cx, -1, []); // x sin x
    const end = tapeLen();
    const ph = placeholderRow(F64, [3]);
    const lin: StaticArray<i32> = [-2];
    tryJvp(start, end, 1, [cx], [ph], 1, [y], lin);
    const ins: StaticArray<i32> = [ph];
    const nres: StaticArray<i32> = [0];
    const f = freeze(1, changetype<usize>(ins), 1, changetype<usize>(lin), false, 0, 0, changetype<usize>(nres));
    select(main);
    src.destroy(); // the trace it came from is gone
    expect(f === null).toBe(false);
    // Move the block: copy it, free the original, load the copy.
    const bytes = f!.blockBytes;
    const p = heap.alloc(bytes);
    memory.copy(p, f!.block, bytes);
    f!.destroy();
    const g = loadFrozen(p);
    expect(g === null).toBe(false);
    // Inline into a fresh trace and transpose: d(x sin x) = sin x + x cos x.
    resetTape();
    const ph2 = placeholderRow(F64, [3]);
    const binds: StaticArray<i32> = [ph2];
    const outs: StaticArray<i32> = [-2];
    const code = inline(g!, changetype<usize>(binds), changetype<usize>(outs));
    const ct = constRow(F64, [3], [1, 1, 1]);
    const cts: StaticArray<i32> = [ct];
    const res: StaticArray<i32> = [-2];
    transposeRange(1, changetype<usize>(outs), changetype<usize>(cts), 1, changetype<usize>(binds), changetype<usize>(res));
    const got = readRow(res[0]);
    g!.destroy();
    resetTape();
    expect(code).toBe(0);
    const xs: StaticArray<f64> = [0.2, -0.4, 1.1];
    for (let i = 0; i < 3; i++) expect(Math.abs(got[i] - (Math.sin(xs[i]) + xs[i] * Math.cos(xs[i])))).toBeLessThan(1e-15);
  });
});

describe('the optimizer on linear programs', () => {
  it('keeps two seeds of one shape apart (CSE merged equal PLACEHOLDER rows: p - q became p - p)', () => {
    // a linear program whose seeds are left as PLACEHOLDER rows (not declared inputs, which freeze
    // turns into INPUT rows): two of one shape are two values
    const main = current();
    const src = Tape.create();
    select(src);
    const p = placeholderRow(F64, [3]), q = placeholderRow(F64, [3]);
    const y = emitOp(ADD, p, emitOp(NEG, q, -1, -1, []), -1, []); // p - q
    const ins: StaticArray<i32> = [], outs: StaticArray<i32> = [y];
    const nres: StaticArray<i32> = [0];
    const f = freeze(0, changetype<usize>(ins), 1, changetype<usize>(outs), false, 0, 0, changetype<usize>(nres));
    select(main);
    src.destroy();
    expect(f === null).toBe(false);
    const o = optimize(f!);
    f!.destroy();
    expect(o === null).toBe(false);
    select(o!);
    let seeds = 0, distinct = false;
    for (let r = 0; r < o!.len; r++) {
      if (rowOp(r) == PLACEHOLDER) seeds++;
      // the ADD reads one seed, and the NEG it reads reads another
      if (rowOp(r) == ADD) distinct = rowOperand(r, 0) != rowOperand(rowOperand(r, 1), 0);
    }
    select(main);
    o!.destroy();
    expect(seeds).toBe(2, 'both seeds kept');
    expect(distinct).toBe(true, 'p - q reads two seeds');
  });
});

// ---------------------------------------------------------------- control flow rows

/** A frozen program made on a scratch tape by `build(inputs) -> outputs`, with inputs of F64[] (and one I32[] last when `counter`). */
function frozenOf(nIn: i32, counter: bool, build: (ins: StaticArray<i32>) => StaticArray<i32>): Tape {
  const main = current();
  const t = Tape.create();
  select(t);
  setEager(false);
  const ins = new StaticArray<i32>(nIn);
  for (let k = 0; k < nIn; k++) ins[k] = tryEmit(INPUT, -1, -1, -1, [counter && k == nIn - 1 ? I32 : F64]);
  const outs = build(ins);
  const nres: StaticArray<i32> = [0];
  const f = freeze(nIn, changetype<usize>(ins), outs.length, changetype<usize>(outs), false, 0, 0, changetype<usize>(nres));
  select(main);
  t.destroy();
  return f!;
}

/** A while row's params: counts, then cond's and body's blocks word by word. */
function whileParams(n: i32, cond: Tape, body: Tape): StaticArray<i32> {
  const cw = <i32>(cond.blockBytes >> 2), bw = <i32>(body.blockBytes >> 2);
  const p = new StaticArray<i32>(5 + cw + bw);
  p[0] = n; p[1] = 0; p[2] = 0; p[3] = cw; p[4] = bw;
  for (let i = 0; i < cw; i++) p[5 + i] = load<i32>(cond.block + (<usize>i << 2));
  for (let i = 0; i < bw; i++) p[5 + cw + i] = load<i32>(body.block + (<usize>i << 2));
  return p;
}

describe('while rows', () => {
  it('run the body while the cond holds, carries swapped in place, with flat memory over 10^5 steps', () => {
    // cond: i < limit; body: (a, b, i) -> (b, a + b, i + 1): Fibonacci, whose carries read each other
    const cond = frozenOf(3, true, (ins) => { const lim = constRowI32(100000); return [emitOp(LT, ins[2], lim, -1, [])]; });
    const body = frozenOf(3, true, (ins) => [ins[1], emitOp(ADD, ins[0], ins[1], -1, []), emitOp(ADD, ins[2], constRowI32(1), -1, [])]);
    const p = whileParams(3, cond, body);
    resetTape();
    setOperandsOf([constRow(F64, [], [0]), constRow(F64, [], [1]), constRowI32(0)]);
    const used0 = heapUsed();
    const r = emitN(WHILE, operandScratch(), 3, p.length, changetype<usize>(p));
    expect(r).toBeGreaterThan(0, 'emitted');
    expect(readRow(r + 3)[0]).toBe(100000, 'steps');
    // F(100000) overflows to inf; the step count and F's recurrence are checked at 20 steps below
    expect(heapUsed() - used0).toBeLessThan(1 << 20, 'the scratch tape is reset every step');
    const cond20 = frozenOf(3, true, (ins) => [emitOp(LT, ins[2], constRowI32(20), -1, [])]);
    const p20 = whileParams(3, cond20, body);
    resetTape();
    setOperandsOf([constRow(F64, [], [0]), constRow(F64, [], [1]), constRowI32(0)]);
    const r20 = emitN(WHILE, operandScratch(), 3, p20.length, changetype<usize>(p20));
    expect(readRow(r20 + 1)[0]).toBe(6765, 'F(20)');
    expect(readRow(r20 + 2)[0]).toBe(10946, 'F(21)');
    resetTape();
    cond.destroy(); body.destroy(); cond20.destroy();
  });

  it('refuse a body whose carries change type, and a cond that is not a scalar bool', () => {
    const cond = frozenOf(2, true, (ins) => [emitOp(LT, ins[1], constRowI32(3), -1, [])]);
    const badBody = frozenOf(2, true, (ins) => [emitOp(ADD, ins[1], constRowI32(1), -1, []), ins[1]]); // (i32, i32) for (f64, i32)
    const badCond = frozenOf(2, true, (ins) => [ins[0]]); // f64
    const good = frozenOf(2, true, (ins) => [ins[0], emitOp(ADD, ins[1], constRowI32(1), -1, [])]);
    resetTape();
    setOperandsOf([constRow(F64, [], [1]), constRowI32(0)]);
    const p1 = whileParams(2, cond, badBody);
    expect(emitN(WHILE, operandScratch(), 2, p1.length, changetype<usize>(p1))).toBe(-E_DTYPE, 'body types');
    const p2 = whileParams(2, badCond, good);
    expect(emitN(WHILE, operandScratch(), 2, p2.length, changetype<usize>(p2))).toBe(-E_DTYPE, 'cond type');
    p2[3] = 3; // a block length that does not add up
    expect(emitN(WHILE, operandScratch(), 2, p2.length, changetype<usize>(p2))).toBe(-E_PARAMS, 'params');
    resetTape();
    cond.destroy(); badBody.destroy(); badCond.destroy(); good.destroy();
  });
});

function constRowI32(v: i32): i32 { return constRow(I32, [], [<f64>v]); }
function setOperandsOf(rows: StaticArray<i32>): void { for (let i = 0; i < rows.length; i++) setOperand(i, rows[i]); }
function heapUsed(): usize { return <usize>memory.size() << 16; }
