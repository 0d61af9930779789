// `npm run bench`: cotangent against @jax-js/jax and TensorFlow.js (wasm backend), side by side,
// in one process, then size and start-up in every runtime (bench/startup.ts). Options:
// --only <substrings of case ids, comma-separated, or `startup`, `prng`, `linalg`, `train`>, --budget <ms of timing per library and case>
// (default 600, spent in 3 interleaved rounds), --default-malloc (glibc's own thresholds; see below), --readme (write the
// workload tables, as printed, into README.md between its `bench:begin` and `bench:end` markers: the README's table is the
// bench's own output). The eager and jit tables also go to bench/results.json (every cell's median and minimum in ms, error,
// or why it is n/a).
//
// Each library's result is checked against a float64 reference (computed in plain JS) before it
// is timed. A timed call includes creating the library's arrays from JS typed arrays and
// reading the outputs back into typed arrays: what a user pays.
import os from 'node:os';
import { warmup, sample, summarize, errorMessage, type Adapter, type ExtraKind, type Runner } from './harness.js';
import { WORKLOADS, relError, type Workload, type Typed, type Inputs } from './workloads.js';
import { JACOBIAN_WORKLOADS } from './workloads_jacobians.js';
import { JIT_WORKLOADS } from './workloads_jit.js';
import { printTable, printNotes, printSummary, rate, type Cell, type Row } from './report.js';
import { cotangentAdapter } from './cotangent.js';
import { jaxjsAdapter } from './peers/jaxjs.js';
import { tfjsAdapter } from './peers/tfjs.js';
import { elementwiseThroughput } from './elementwise.js';
import { complexThroughput } from './complex.js';
import { startup } from './startup.js';
import { prng } from './prng.js';
import { linalgBench } from './linalg.js';
import { trainStep } from './train_step.js';
import { readFileSync, writeFileSync } from 'node:fs';

const args = process.argv.slice(2);

// glibc's allocator on this machine: an array of 128 KiB or more is mmapped fresh and unmapped
// when the GC frees it, and on a Firecracker VM (this machine, AWS Lambda) touching pages the
// guest gave back costs about 12 us a page, so copying 4 MiB into fresh JS memory took 2-12 ms
// instead of 0.2-0.4 ms, at random: medians of the multi-MB cases swung 5x between runs, for
// every library alike (tfjs's eager add 11.6 ms in one run, 0.95 ms in the next). So the bench
// runs itself again with glibc's thresholds fixed (arrays up to 32 MiB from the heap, 64 MiB of
// free heap kept), which every library in this process shares; --default-malloc keeps the
// machine's defaults. (Measured: a loop copying 4 MiB into a fresh buffer, 2.1-2.4 ms a copy
// with the defaults, 0.18 ms with these; eager add f32 1M inside tidy 7.1 ms mean -> 0.9 ms.)
const MALLOC_ENV = { MALLOC_MMAP_THRESHOLD_: String(32 * 2 ** 20), MALLOC_TRIM_THRESHOLD_: String(64 * 2 ** 20) };
const glibc = process.platform === 'linux' &&
  Boolean((process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header?.glibcVersionRuntime);
if (glibc && !args.includes('--default-malloc') && process.env.MALLOC_MMAP_THRESHOLD_ === undefined) {
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, ...MALLOC_ENV } });
  process.exit(r.status ?? 1);
}
const mallocNote = process.env.MALLOC_MMAP_THRESHOLD_ !== undefined
  ? `glibc malloc with MALLOC_MMAP_THRESHOLD_=${process.env.MALLOC_MMAP_THRESHOLD_} MALLOC_TRIM_THRESHOLD_=${process.env.MALLOC_TRIM_THRESHOLD_ ?? 'default'} (see bench/run.ts; --default-malloc for the defaults)`
  : 'the allocator\'s defaults';
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const only = opt('--only');
const budgetMs = Number(opt('--budget') ?? 600);
const ROUNDS = 3;

process.on('unhandledRejection', (e) => console.error(`(unhandled rejection ignored: ${errorMessage(e)})`));

const fmtNum = (x: number): string => (Number.isFinite(x) ? Number(x.toPrecision(6)).toString() : String(x));
const fmtVals = (a: ArrayLike<number>, n = 4): string =>
  `[${Array.from(a).slice(0, n).map(fmtNum).join(', ')}${a.length > n ? ', ...' : ''}]`;

function describeWrong(out: Typed[], ref: Float64Array[], err: number, tol: number): string {
  const head = `max|err|/max|ref| = ${err.toExponential(1)} (tolerance ${tol.toExponential(0)})`;
  if (out.length !== ref.length) return `${head}: ${out.length} outputs, expected ${ref.length}`;
  for (let k = 0; k < ref.length; k++) {
    if (!out[k] || out[k].length !== ref[k].length) return `${head}: output ${k} has ${out[k]?.length} values, expected ${ref[k].length}`;
  }
  // the output and index with the largest error
  let bk = 0, bi = 0, bd = -1;
  for (let k = 0; k < ref.length; k++) {
    let scale = 0;
    for (let i = 0; i < ref[k].length; i++) scale = Math.max(scale, Math.abs(ref[k][i]));
    for (let i = 0; i < ref[k].length; i++) {
      const d = Math.abs(out[k][i] - ref[k][i]) / (scale || 1);
      if (!(d <= bd)) { bd = Number.isNaN(d) ? Infinity : d; bk = k; bi = i; }
    }
  }
  const where = ref.length > 1 ? `output ${bk}` : 'output';
  if (ref[bk].length <= 4) return `${head}: ${where} got ${fmtVals(out[bk])}, float64 reference ${fmtVals(ref[bk])}`;
  return `${head}: ${where}[${bi}] got ${fmtNum(out[bk][bi])}, float64 reference ${fmtNum(ref[bk][bi])}`;
}

/** A library's runner for one workload, checked against the reference, waiting to be timed. */
interface Entry {
  cell: Cell; // 'na' when it cannot run; otherwise filled in after timing
  run?: Runner;
  batch?: number;
  per?: number[];
  err?: number;
  wrongDetail?: string;
}

/** Builds the runner and checks its first result against the reference. */
function check(w: Workload, prepare: () => ReturnType<Adapter['prepare']>, inp: Inputs, ref: Float64Array[]): Entry {
  let run: Runner;
  try {
    const p = prepare();
    if (typeof p !== 'function') return { cell: { kind: 'na', reason: p.na } };
    run = p;
  } catch (e) {
    return { cell: { kind: 'na', reason: `throws: ${errorMessage(e)}` } };
  }
  let out: Typed[];
  try {
    out = run();
  } catch (e) {
    return { cell: { kind: 'na', reason: `throws: ${errorMessage(e)}` } };
  }
  const err = relError(out, ref);
  const entry: Entry = { cell: { kind: 'na', reason: 'not timed' }, run, err, per: [] };
  if (!(err <= w.tol)) {
    const why = w.diagnose?.(out, inp, ref);
    entry.wrongDetail = describeWrong(out, ref, err, w.tol) + (why ? `; ${why}` : '');
    entry.cell = { kind: 'wrong', err, detail: entry.wrongDetail };
  }
  return entry;
}

/**
 * Times the entries of one workload in ROUNDS interleaved rounds (the order reversed every
 * other round), so a burst of load on this shared machine does not land on one library only.
 */
function time(entries: Entry[]): void {
  const live = entries.filter((e) => e.run);
  for (const e of live) {
    try {
      e.batch = warmup(e.run!, budgetMs * 0.2);
    } catch (x) {
      e.run = undefined;
      if (!e.wrongDetail) e.cell = { kind: 'na', reason: `throws while timed: ${errorMessage(x)}` };
    }
  }
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 ? [...live].reverse() : live;
    for (const e of order) {
      if (!e.run) continue;
      try {
        e.per!.push(...sample(e.run, e.batch!, budgetMs / ROUNDS, 2, 4000 / ROUNDS));
      } catch (x) {
        e.run = undefined;
        e.per = [];
        if (!e.wrongDetail) e.cell = { kind: 'na', reason: `throws while timed: ${errorMessage(x)}` };
      }
    }
  }
  for (const e of live) {
    if (!e.per?.length) continue;
    const t = summarize(e.per, e.batch!);
    e.cell = e.wrongDetail ? { kind: 'wrong', t, err: e.err!, detail: e.wrongDetail } : { kind: 'ok', t, err: e.err! };
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  if (only === 'prng') {
    await prng(budgetMs);
    console.log(`\nbench: ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return;
  }
  if (only === 'train') {
    await trainStep();
    console.log(`\nbench: ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return;
  }
  if (only === 'startup') {
    await startup();
    console.log(`\nbench: ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return;
  }
  const report = args.includes('--readme') ? captureLog() : null;
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`cotangent benchmarks: Node ${process.version}, ${cpu}, ${os.cpus().length} cores; ` +
    `median (min) per call over ~${budgetMs} ms of repeats (${ROUNDS} rounds interleaved with the peers) after warm-up.`);
  console.log('Every timed call includes building the arrays from JS typed arrays and reading the outputs back.');
  console.log('Each result is first checked against a float64 reference computed in plain JS.');
  console.log(`Memory: ${mallocNote}.\n`);

  const adapters: Adapter[] = [cotangentAdapter(), jaxjsAdapter(), tfjsAdapter()];
  const failed: Record<string, string> = {};
  for (const a of adapters) {
    try {
      console.log(`  ${a.name.padEnd(10)} ${await a.init()}`);
    } catch (e) {
      failed[a.name] = `failed to load: ${errorMessage(e)}`;
      console.log(`  ${a.name.padEnd(10)} ${failed[a.name]}`);
    }
  }
  const peerModules = async () => ({
    jax: failed['jax-js'] ? undefined : await import('@jax-js/jax'),
    tf: failed['tfjs-wasm'] ? undefined : await import('@tensorflow/tfjs'),
  });
  if (only === 'linalg') {
    await linalgBench(budgetMs, await peerModules());
    console.log(`\nbench: ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return;
  }
  const self = adapters[0].name;
  const peers = adapters.slice(1).map((a) => a.name);

  const rows: Row[] = [];
  const extraRows: Row[] = [];
  const tidyRows: Row[] = [];
  const jitTidyRows: Row[] = [];
  for (const w of [...WORKLOADS, ...JACOBIAN_WORKLOADS, ...JIT_WORKLOADS]) {
    if (only && !only.split(',').some((o) => w.id.includes(o))) continue;
    const inp = w.inputs();
    const ref = w.ref(inp);
    const entries: Record<string, Entry> = {};
    for (const a of adapters) {
      entries[a.name] = failed[a.name] ? { cell: { kind: 'na', reason: failed[a.name] } } : check(w, () => a.prepare(w.id, inp), inp, ref);
    }
    const extras: { name: string; kind: ExtraKind; entry: Entry }[] = [];
    for (const a of adapters) {
      for (const x of a.extras ?? []) {
        if (x.id === w.id && !failed[a.name]) extras.push({ name: `${a.name} (${x.kind})`, kind: x.kind, entry: check(w, () => x.prepare(inp), inp, ref) });
      }
    }
    time([...Object.values(entries), ...extras.map((x) => x.entry)]);
    const row: Row = { w, cells: Object.fromEntries(Object.entries(entries).map(([k, e]) => [k, e.cell])) };
    rows.push(row);
    const jits = extras.filter((x) => x.kind === 'jit'), tidied = extras.find((x) => x.name === `${self} (tidy)`);
    if (jits.length) extraRows.push({ w, cells: { [self]: row.cells[self], ...Object.fromEntries(jits.map((x) => [x.name, x.entry.cell])) } });
    if (tidied) tidyRows.push({ w, cells: { [tidied.name]: tidied.entry.cell, ...Object.fromEntries(peers.map((p) => [p, row.cells[p]])) } });
    const jitTidied = extras.find((x) => x.name === `${self} (jit-tidy)`);
    if (jitTidied) {
      jitTidyRows.push({ w, cells: { [jitTidied.name]: jitTidied.entry.cell, ...Object.fromEntries(jits.filter((x) => !x.name.startsWith(self)).map((x) => [x.name, x.entry.cell])) } });
    }
    const c = row.cells[self];
    const mine = extras.find((x) => x.name === `${self} (jit)`)?.entry.cell;
    const ms = (x: Cell) => (x.kind === 'na' ? x.reason : `${(x.t?.median ?? NaN).toFixed(3)} ms`);
    process.stderr.write(`  [${rows.length}] ${w.id}: ${ms(c)}${mine ? `; jit ${ms(mine)}` : ''}\n`);
  }
  writeResults(rows, extraRows, tidyRows, jitTidyRows);

  const main = printTable(rows, self, peers, 'Eager, one thread each (ratio = peer time / cotangent time; > 1: cotangent is faster)');
  console.log('\nwork: the FLOPs or the bytes the kernels read and write; rate: work / cotangent\'s median, ' +
    'end to end (so for the streaming cases the copies in and out dominate); ceilings: shared/TOOLCHAIN.md\'s, measured for plain ' +
    'SIMD (128-bit mul + add), so the FMA build passes the GFLOP/s ones; WRONG: the answer failed the float64 check (its time is ' +
    'shown, with no ratio).');
  printNotes(main.notes);
  printSummary(main.ratios, self, 'eager');
  if (extraRows.length) {
    const names = [...new Set(extraRows.flatMap((r) => Object.keys(r.cells).filter((k) => k !== self)))];
    const ex = printTable(extraRows, self, names, 'Under jit: jax-js\'s jit and cotangent\'s beside cotangent eager (ratio = jit time / cotangent eager time)');
    printNotes(ex.notes);
    printJitRates(extraRows, self);
    // jit against jit (issue 10's targets): cotangent's jit beside jax-js's, with its own mean
    const mineJit = `${self} (jit)`;
    const pairRows = extraRows.filter((r) => r.cells[mineJit] !== undefined)
      .map((r) => ({ w: r.w, cells: Object.fromEntries(Object.entries(r.cells).filter(([k]) => k !== self)) }));
    const peerJits = names.filter((n) => n !== mineJit);
    if (pairRows.length && peerJits.length) {
      const pj = printTable(pairRows, mineJit, peerJits, `Jit against jit: ${mineJit} beside the peers' jit (ratio = peer (jit) time / ${mineJit} time)`);
      printNotes(pj.notes);
      printSummary(pj.ratios, mineJit, 'jitted');
    }
  }
  if (tidyRows.length) {
    const t = printTable(tidyRows, `${self} (tidy)`, peers, `Eager with stated ownership: ${self} inside tidy() beside the peers ` +
      '(whose adapters free what each call makes: tfjs with tidy, jax-js by consuming operands) (ratio = peer time / cotangent (tidy) time)');
    printNotes(t.notes);
  }
  if (jitTidyRows.length) {
    const names = [...new Set(jitTidyRows.flatMap((r) => Object.keys(r.cells).filter((k) => k !== `${self} (jit-tidy)`)))];
    const t = printTable(jitTidyRows, `${self} (jit-tidy)`, names, `Jitted with stated ownership: ${self}'s jit inside tidy() beside ` +
      'jax-js\'s jit, whose calls consume their arguments (ratio = jax-js (jit) time / cotangent (jit-tidy) time)');
    printNotes(t.notes);
  }
  if (report !== null) writeReadme(report.stop(), started);
  if (!only || 'elementwise'.includes(only)) await elementwiseThroughput(Math.min(budgetMs, 300));
  if (!only) await linalgBench(budgetMs, await peerModules());
  if (!only || 'complex'.includes(only)) await complexThroughput(Math.min(budgetMs, 300));
  if (!only) await prng(budgetMs);
  if (!only) await startup();
  if (!only) await trainStep();
  console.log(`\nbench: ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

/** console.log's lines from now until stop() (still printed). */
function captureLog(): { stop: () => string[] } {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...xs: unknown[]) => { lines.push(xs.map(String).join(' ')); log(...xs); };
  return { stop: () => { console.log = log; return lines; } };
}

/**
 * The tables as printed, into README.md between `<!-- bench:begin -->` and `<!-- bench:end -->`,
 * with the command, date and load average (a run under load reads differently: see the README).
 */
function writeReadme(lines: string[], started: number): void {
  const path = new URL('../README.md', import.meta.url);
  const text = readFileSync(path, 'utf8');
  const begin = '<!-- bench:begin -->', end = '<!-- bench:end -->';
  const i = text.indexOf(begin), j = text.indexOf(end);
  if (i < 0 || j < i) { console.log(`\n(--readme: README.md has no ${begin} ... ${end} section; nothing written)`); return; }
  const cmd = `npm run bench -- ${args.filter((a) => a !== '--readme').join(' ')} --readme`.replace(/ +/g, ' ').replace(/-- --readme$/, '-- --readme');
  const load = os.loadavg().map((x) => x.toFixed(2)).join(', ');
  const body = [begin, '', `\`${cmd}\`, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, load average ${load} ` +
    `at the end, ${((performance.now() - started) / 1000).toFixed(0)} s:`, '', '```text', ...lines.map((l) => l.replace(/\s+$/, '')), '```', ''].join('\n');
  writeFileSync(path, text.slice(0, i) + body + text.slice(j));
  console.log('\n(the tables above written to README.md)');
}

/** The rate of cotangent's jitted cells (the jit table's rate column is eager's). */
function printJitRates(extraRows: Row[], self: string): void {
  const lines: string[] = [];
  for (const r of extraRows) {
    const c = r.cells[`${self} (jit)`];
    if (!r.w.cost || !c || c.kind !== 'ok') continue;
    const med = rate(r.w, c.t), min = rate(r.w, { ...c.t, median: c.t.min });
    const peer = Object.entries(r.cells).find(([k]) => !k.startsWith(self) && k.endsWith('(jit)'));
    const vs = peer && peer[1].kind === 'ok' ? `; ${peer[0]}/${self} (jit) ${(peer[1].t.median / c.t.median).toFixed(2)}x` : '';
    lines.push(`  ${r.w.label}: ${med.text} (${med.frac}) at the median, ${min.text} (${min.frac}) at the minimum${vs}`);
  }
  if (lines.length) console.log(`\n${self} under jit, rates:\n${lines.join('\n')}`);
}

/** bench/results.json: the eager, jit, tidy and jit-in-tidy tables as data. */
function writeResults(rows: Row[], extraRows: Row[], tidyRows: Row[], jitTidyRows: Row[]): void {
  const cell = (c: Cell) => (c.kind === 'na' ? { kind: c.kind, reason: c.reason }
    : { kind: c.kind, medianMs: c.t?.median, minMs: c.t?.min, calls: c.t?.calls, err: c.err, ...(c.kind === 'wrong' ? { detail: c.detail } : {}) });
  const table = (rs: Row[]) => rs.map((r) => ({
    id: r.w.id, label: r.w.label, group: r.w.group, cost: r.w.cost,
    cells: Object.fromEntries(Object.entries(r.cells).map(([k, c]) => [k, cell(c)])),
  }));
  const out = {
    date: new Date().toISOString(), node: process.version, cpu: os.cpus()[0]?.model, cores: os.cpus().length,
    loadavg: os.loadavg(), malloc: mallocNote, budgetMs, only: only ?? null, eager: table(rows), jit: table(extraRows), tidy: table(tidyRows), jitTidy: table(jitTidyRows),
  };
  const path = new URL('./results.json', import.meta.url);
  writeFileSync(path, JSON.stringify(out, null, 1) + '\n');
  console.log(`\n(results written to bench/results.json)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
