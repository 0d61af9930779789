// A frozen program as text, in the spirit of jax.make_jaxpr: inputs, one line per row, outputs,
// and the peak memory of its intermediate buffers (each freed after its last use).
import { abi, memI32, opName, memoryBuffer } from '../../core/abi.js';
import { DTYPE_OF_CODE, viewTyped } from '../../core/dtype.js';

/** A loop row's twin operand past its counted ones (its JVP repeating the loop that outputs it; rules/control.ts), as a param. */
const twinOf = (args: string[], counted: number) => (args.length > counted ? ` repeats=${args[counted]}` : '');

/** The ops whose row shares its operand's buffer (their defineOp's alias flag in assembly/ad/rules). */
const ALIASING = new Set(['reshape', 'copy', 'stop_gradient']);

const SHORT: Record<string, string> = {
  float32: 'f32', float64: 'f64', int32: 'i32', uint32: 'u32', bool: 'bool', complex64: 'c64', complex128: 'c128',
};
const ITEM: Record<string, number> = { float32: 4, float64: 8, int32: 4, uint32: 4, bool: 1, complex64: 8, complex128: 16 };

function varName(i: number): string {
  let s = '';
  do { s = String.fromCharCode(97 + (i % 26)) + s; i = Math.floor(i / 26) - 1; } while (i >= 0);
  return s;
}

/**
 * The program `handle` as a jaxpr. Its inputs past the first `nArgs` (the Arrays a jitted function
 * closes over, bound after its arguments) print before the ';', as JAX's constvars.
 */
export function printTape(handle: number, name: string, nArgs = Infinity): string {
  const e = abi();
  const home = e.tape_current();
  e.tape_select(handle);
  try {
    const len = e.tape_len();
    const nIn = e.tape_inputs(handle), nOut = e.tape_outputs(handle);
    const names = new Map<number, string>();
    let next = 0;
    const nm = (r: number) => { let s = names.get(r); if (s === undefined) { s = varName(next++); names.set(r, s); } return s; };
    const ty = (r: number) => {
      const nd = e.row_ndim(r), base = e.row_shape(r) >>> 2, m = memI32();
      const dims: number[] = [];
      for (let i = 0; i < nd; i++) dims.push(m[base + i]);
      return `${SHORT[DTYPE_OF_CODE[e.row_dtype(r)]]}[${dims.join(',')}]`;
    };
    const bytes = (r: number) => e.row_size(r) * ITEM[DTYPE_OF_CODE[e.row_dtype(r)]];
    const ins: string[] = [], constvars: string[] = [];
    const named = (k: number) => { const r = e.tape_input(handle, k); return `${nm(r)}:${ty(r)}`; };
    for (let k = Math.min(nArgs, nIn); k < nIn; k++) constvars.push(named(k)); // (named first, as JAX's)
    for (let k = 0; k < Math.min(nArgs, nIn); k++) ins.push(named(k));
    // Last use of every row, for the peak-memory estimate.
    const last = new Int32Array(len).fill(-1);
    for (let r = 0; r < len; r++) for (let i = 0; i < e.row_nops(r); i++) last[e.row_operand(r, i)] = r;
    const outs: number[] = [];
    for (let k = 0; k < nOut; k++) outs.push(e.tape_output(handle, k));
    for (const o of outs) if (o >= 0) last[o] = len;
    // A row that shares its operand's buffer (defineOp's alias flag: reshape, copy, stop_gradient)
    // keeps that buffer alive as long as it is read (freeze.ts's lastUses; the estimate freed it at
    // the reshape and stated a peak below what the program holds)
    for (let r = len - 1; r >= 0; r--) {
      if (!ALIASING.has(opName(e.row_op(r))) || e.row_nops(r) === 0) continue;
      const src = e.row_operand(r, 0);
      if (last[r] > last[src]) last[src] = last[r];
    }
    const lines: string[] = [];
    let live = 0, peak = 0, consts = 0;
    const dying: number[][] = Array.from({ length: len + 1 }, () => []);
    for (let r = 0; r < len; r++) {
      const op = opName(e.row_op(r));
      if (op === 'input') continue;
      if (op === 'proj') continue; // printed with its tuple row
      const nops = e.row_nops(r), np = e.row_nparams(r);
      const args: string[] = [];
      for (let i = 0; i < nops; i++) args.push(nm(e.row_operand(r, i)));
      const pm = memI32(), pb = e.row_params(r) >>> 2;
      const params: number[] = [];
      for (let i = 0; i < np; i++) params.push(pm[pb + i]);
      const tuple = r + 1 < len && opName(e.row_op(r + 1)) === 'proj' && e.row_operand(r + 1, 0) === r;
      const k = tuple ? e.row_nout(r) : 1;
      const lhs = tuple
        ? Array.from({ length: k }, (_, i) => `${nm(r + 1 + i)}:${ty(r + 1 + i)}`).join(' ')
        : `${nm(r)}:${ty(r)}`;
      let rhs: string;
      if (op === 'const') {
        consts += bytes(r);
        const v = e.row_size(r) <= 4 ? ` ${Array.from(viewTyped(DTYPE_OF_CODE[e.row_dtype(r)], memoryBuffer(), e.row_ptr(r) + e.tape_block(handle), e.row_size(r))).map((x) => (Object.is(x, -0) ? '-0' : String(x))).join(' ')}` : '';
        rhs = `const${v}`;
      } else if (op === 'full') {
        const v = new Float64Array(new Int32Array([params[1], params[2]]).buffer)[0];
        rhs = `full ${Object.is(v, -0) ? '-0' : v}`; // (String(-0) is '0': a -0 fill read as +0)
      } else if (op === 'fused') {
        rhs = `fused { ${fusedProgram(params, args)} }`;
      } else if (op === 'while') { // params: n, cc, bc, cw, bw, then cond's and body's frozen blocks (rules/control.ts)
        const [n, cc, bc, cw, bw] = params;
        const sub = (from: number, words: number) => indent(printWords(Int32Array.from(params.slice(from, from + words)), `${name}'s while ${from === 5 ? 'cond' : 'body'}`));
        rhs = `while[cond_nconsts=${cc} body_nconsts=${bc}${twinOf(args, n + cc + bc)}] ${args.slice(0, n + cc + bc).join(' ')}\n` +
          `      cond = ${sub(5, cw)}\n      body = ${sub(5 + cw, bw)}`;
      } else if (op === 'scan') { // params: nc, nx, bc, length, reverse, bw, then body's frozen block (rules/control.ts)
        const [nc, nx, bc, length, reverse, bw] = params;
        rhs = `scan[length=${length} reverse=${reverse !== 0} num_carry=${nc} num_xs=${nx} num_consts=${bc}${twinOf(args, nc + nx + bc)}] ${args.slice(0, nc + nx + bc).join(' ')}\n` +
          `      body = ${indent(printWords(Int32Array.from(params.slice(6, 6 + bw)), `${name}'s scan body`))}`;
      } else if (op === 'cond' || op === 'checkpoint') { // params: nb, na, per branch its consts' count, per branch its words, then the blocks
        const [nb, na] = params;
        let w = 2 + 2 * nb;
        const bs = Array.from({ length: nb }, (_, b) => {
          const words = params[2 + nb + b], text = indent(printWords(Int32Array.from(params.slice(w, w + words)), `${name}'s cond branch ${b}`));
          w += words;
          return `      branch ${b} = ${text}`;
        });
        rhs = op === 'cond' ? `cond[branches=${nb} num_operands=${na}] ${args.join(' ')}\n${bs.join('\n')}`
          : `checkpoint[num_operands=${na}] ${args.slice(1).join(' ')}\n${bs[0].replace('branch 0', 'f')}`;
      } else if (op === 'convert') { // its one param is a dtype code: printed as the dtype (convert[f64])
        rhs = `convert[${SHORT[DTYPE_OF_CODE[params[0]]] ?? params[0]}] ${args.join(' ')}`;
      } else {
        rhs = `${op}${params.length ? `[${params.join(',')}]` : ''} ${args.join(' ')}`;
      }
      lines.push(`    ${lhs} = ${rhs}`);
      if (op !== 'const' && !ALIASING.has(op)) {
        const outsOf = tuple ? Array.from({ length: k }, (_, i) => r + 1 + i) : [r];
        for (const o of outsOf) { live += bytes(o); dying[Math.max(last[o], r)].push(o); }
      }
      peak = Math.max(peak, live);
      for (const d of dying[r]) live -= bytes(d);
    }
    const res = outs.map((o) => (o >= 0 ? nm(o) : '0')).join(' ');
    return `{ lambda ${constvars.join(', ')}${constvars.length ? ' ' : ''}; ${ins.join(', ')}. let\n${lines.join('\n')}\n  in (${res}) }\n` +
      `# ${name}: ${lines.length} rows, peak intermediate memory ${peak} bytes, constants ${consts} bytes`;
  } finally {
    e.tape_select(home);
  }
}

/** A frozen program given as its block's words (a while row's cond or body), printed. */
function printWords(words: Int32Array, name: string): string {
  const e = abi(), p = e.alloc(words.byteLength);
  if (p === 0) { e.clear_error(); return '(out of memory)'; }
  new Int32Array(memoryBuffer(), p, words.length).set(words);
  const h = e.tape_load(p);
  if (h === 0) { e.free(p); e.clear_error(); return '(invalid)'; }
  try { return printTape(h, name); } finally { e.tape_free(h); }
}
const indent = (text: string) => text.split('\n').join('\n      ');

/**
 * A fused row's program (assembly/ad/rules/fused.ts: dtype, ndim, shape..., count, then per
 * instruction op, nops, refs..., nparams, params...) as `%0 = tanh a; %1 = mul %0 b; ...`.
 */
function fusedProgram(p: number[], args: string[]): string {
  let q = 2 + p[1];
  const count = p[q++], out: string[] = [];
  for (let i = 0; i < count; i++) {
    const op = opName(p[q++]), n = p[q++];
    const refs = p.slice(q, q + n).map((r) => (r >= 0 ? `%${r}` : args[-r - 1]));
    q += n;
    const m = p[q++], params = p.slice(q, q + m);
    q += m;
    const shown = op === 'full' ? ` ${new Float64Array(new Int32Array([params[1], params[2]]).buffer)[0]}`
      : m === 0 ? '' : `[${params.join(',')}]`;
    out.push(`%${i} = ${op}${shown}${refs.length ? ' ' : ''}${refs.join(' ')}`);
  }
  return out.join('; ');
}
