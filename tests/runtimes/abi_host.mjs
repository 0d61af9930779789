// A host that uses no cotangent TypeScript: it instantiates cotangent.wasm with the two imports it
// needs (abort, and custom_rule, which only a host that emits custom rows is ever called through) and drives the documented ABI (docs/abi.md) directly. It builds f(x) = sum(sin(x) * x)
// on x = [0.5, -1, 2] (float64), takes its gradient (linearize with a placeholder, then
// transpose with a cotangent of 1), reads it back, and also keeps the linear program as a frozen
// tape, moves it out of wasm memory and back, and pulls back through it again.
// Usage: `node abi_host.mjs path/to/cotangent.wasm` or `deno run --allow-read abi_host.mjs ...`;
// prints one JSON line: { grad, again } (each sin(x) + x cos(x)).

export async function gradient(bytes) {
  let mem;
  const str = (p) => {
    if (!p) return null;
    const n = new Uint32Array(mem.buffer, p - 4, 1)[0];
    return String.fromCharCode(...new Uint16Array(mem.buffer, p, n >>> 1));
  };
  const { instance } = await WebAssembly.instantiate(bytes, {
    env: {
      abort: (m, f, l, c) => { throw new Error(`abort: ${str(m)} (${str(f)}:${l}:${c})`); },
      custom_rule: () => { throw new Error('custom_rule: this host emits no custom rows'); },
    },
  });
  const w = instance.exports;
  mem = w.memory;
  if (w.ABI_VERSION.value !== 5) throw new Error(`ABI version ${w.ABI_VERSION.value}, this host speaks 5`);
  const ops = new Map();
  for (let i = 0; i < w.op_count(); i++) ops.set(str(w.op_name(i) >>> 0), i);
  const F64 = 1;
  const sc = () => new Int32Array(mem.buffer, w.scratch() >>> 0, w.scratch_len());
  const emit = (name, operands, params = []) => {
    const s = sc();
    s.set(operands, 0); s.set(params, operands.length);
    const r = w.emit(ops.get(name), operands.length, params.length);
    if (r < 0) throw new Error(`emit ${name}: error ${-r}`);
    return r;
  };
  const read = (r) => Array.from(new Float64Array(mem.buffer, w.row_ptr(r) >>> 0, w.row_size(r)));

  w.reset();
  const start = w.tape_len();
  const x = emit('input', [], [F64, 3]);
  new Float64Array(mem.buffer, w.row_ptr(x) >>> 0, 3).set([0.5, -1, 2]);
  const y = emit('sum', [emit('mul', [emit('sin', [x]), x])], [0]);
  const end = w.tape_len();
  const ph = emit('placeholder', [], [F64, 3]);
  sc().set([x, ph, y], 0);
  w.jvp(start, end, 1, 1);
  const lin = sc()[2];
  const one = emit('full', [], [F64, 0, 1072693248]); // 1.0 as the two halves of an f64
  sc().set([lin, one, ph], 0);
  w.transpose(1, 1, 0);
  const g = sc()[2];
  const grad = read(g);

  // Keep the linear program: freeze it, move it out of wasm memory and back, use it on a new trace.
  sc().set([ph, lin], 0);
  let t = w.freeze_tape(1, 1, 0) >>> 0;
  if (t === 0) throw new Error(`freeze: error ${w.last_error()}`);
  const n = w.tape_bytes(t) >>> 0;
  const saved = new Uint8Array(mem.buffer, w.tape_block(t) >>> 0, n).slice();
  w.tape_free(t);
  w.reset();
  const p = w.alloc(n) >>> 0;
  new Uint8Array(mem.buffer, p, n).set(saved);
  t = w.tape_load(p) >>> 0;
  const ph2 = emit('placeholder', [], [F64, 3]);
  sc().set([ph2], 0);
  if (w.inline_tape(t, 1) !== 1) throw new Error(`inline: error ${w.last_error()}`);
  const lin2 = sc()[0];
  const one2 = emit('full', [], [F64, 0, 1072693248]);
  sc().set([lin2, one2, ph2], 0);
  w.transpose(1, 1, 0);
  const again = read(sc()[2]);
  w.tape_free(t);
  return { grad, again };
}

const arg = (globalThis.Deno?.args ?? globalThis.process?.argv.slice(2) ?? [])[0];
if (arg) {
  const bytes = globalThis.Deno ? await Deno.readFile(arg) : await (await import('node:fs/promises')).readFile(arg);
  console.log(JSON.stringify(await gradient(bytes)));
}
