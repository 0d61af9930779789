// The table printer: one row per workload, cotangent's time, its rate and fraction of this
// machine's ceiling, then each peer's time and the ratio peer / cotangent (> 1: cotangent is
// faster). Cells that cannot be timed say why in a numbered note below the table.
import type { Timing } from './harness.js';
import type { Workload } from './workloads.js';

export type Cell =
  | { kind: 'ok'; t: Timing; err: number }
  | { kind: 'wrong'; t?: Timing; err: number; detail: string }
  | { kind: 'na'; reason: string };

export interface Row {
  w: Workload;
  label?: string; // overrides w.label (extras)
  cells: Record<string, Cell>; // by adapter name
}

const fmtTime = (ms: number, micro: boolean): string => {
  if (micro) {
    const us = ms * 1000;
    return us >= 100 ? `${us.toFixed(0)} us` : us >= 10 ? `${us.toFixed(1)} us` : `${us.toFixed(2)} us`;
  }
  return ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 10 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`;
};

const fmtCount = (n: number, unit: string): string => {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} G${unit}`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M${unit}`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} k${unit}`;
  return `${n} ${unit}`;
};

/** Work per second (GFLOP/s or GB/s) of a timing, or '' for overhead cases. */
export function rate(w: Workload, t: Timing): { text: string; frac: string } {
  if (!w.cost) return { text: '', frac: '' };
  const work = w.cost.flop ?? w.cost.bytes ?? 0;
  const perSec = work / (t.median / 1000) / 1e9;
  const unit = w.cost.flop !== undefined ? 'GFLOP/s' : 'GB/s';
  return { text: `${perSec.toFixed(perSec >= 10 ? 1 : 2)} ${unit}`, frac: `${((100 * perSec) / w.cost.ceiling).toFixed(0)}% of ${w.cost.ceilingLabel}` };
}

function pad(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r, i) => {
      const line = r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ');
      return i === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}` : line;
    })
    .join('\n');
}

export function printTable(rows: Row[], self: string, peers: string[], title: string): { notes: string[]; ratios: Record<string, number[]> } {
  const notes: string[] = [];
  const note = (s: string): string => {
    let i = notes.indexOf(s);
    if (i < 0) i = notes.push(s) - 1;
    return `[${i + 1}]`;
  };
  const ratios: Record<string, number[]> = Object.fromEntries(peers.map((p) => [p, []]));
  const header = ['workload', 'work', `${self} median (min)`, 'rate', 'of ceiling'];
  for (const p of peers) header.push(`${p} median (min)`, `${p}/${self}`);
  const table: string[][] = [header];
  for (const r of rows) {
    const micro = !!r.w.micro;
    const mine = r.cells[self];
    const line: string[] = [r.label ?? r.w.label];
    line.push(r.w.cost ? (r.w.cost.flop !== undefined ? fmtCount(r.w.cost.flop, 'FLOP') : fmtCount(r.w.cost.bytes!, 'B')) : '');
    const myT = mine && mine.kind !== 'na' ? mine.t : undefined;
    if (!mine) line.push('', '', '');
    else if (mine.kind === 'na') line.push(`n/a ${note(`${self}: ${mine.reason}`)}`, '', '');
    else {
      const tag = mine.kind === 'wrong' ? ` WRONG ${note(`${self}, ${r.w.label}: ${mine.detail}`)}` : '';
      line.push(myT ? `${fmtTime(myT.median, micro)} (${fmtTime(myT.min, micro)})${tag}` : `WRONG${tag}`);
      const rt = myT ? rate(r.w, myT) : { text: '', frac: '' };
      line.push(rt.text, rt.frac);
    }
    for (const p of peers) {
      const c = r.cells[p];
      if (!c) { line.push('', ''); continue; }
      if (c.kind === 'na') { line.push(`n/a ${note(`${p}: ${c.reason}`)}`, ''); continue; }
      const tag = c.kind === 'wrong' ? ` WRONG ${note(`${p}, ${r.label ?? r.w.label}: ${c.detail}`)}` : '';
      line.push(c.t ? `${fmtTime(c.t.median, micro)} (${fmtTime(c.t.min, micro)})${tag}` : `WRONG${tag}`);
      if (c.kind === 'ok' && myT && mine.kind === 'ok') {
        const ratio = c.t.median / myT.median;
        ratios[p].push(ratio);
        line.push(`${ratio.toFixed(ratio >= 10 ? 1 : 2)}x`);
      } else line.push('-');
    }
    table.push(line);
  }
  console.log(`\n${title}\n`);
  console.log(pad(table));
  return { notes, ratios };
}

export function printNotes(notes: string[]): void {
  if (notes.length === 0) return;
  console.log('');
  notes.forEach((n, i) => console.log(`[${i + 1}] ${n}`));
}

export function printSummary(ratios: Record<string, number[]>, self: string, what = ''): void {
  console.log('');
  for (const [p, rs] of Object.entries(ratios)) {
    if (rs.length === 0) { console.log(`${p}/${self}: no comparable workload`); continue; }
    // (what the mean is over: the eager table's mean is not the jitted comparison)
    const geo = Math.exp(rs.reduce((s, r) => s + Math.log(r), 0) / rs.length);
    const faster = rs.filter((r) => r > 1).length;
    console.log(`${p}/${self}${what ? ` (${what})` : ''}: geometric mean ${geo.toFixed(2)}x over ${rs.length} workloads ` +
      `(${self} faster on ${faster}, slower on ${rs.length - faster}; range ${Math.min(...rs).toFixed(2)}x..${Math.max(...rs).toFixed(2)}x)`);
  }
}
