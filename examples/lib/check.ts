// Each tour line prints what the notebook prints, then checks it against the notebook's value
// (or an independent reference: a closed form, float64 finite differences, a loop).
import { pathToFileURL } from 'node:url';
import { NDArray } from 'cotangent';

let failures = 0;

function values(x: unknown): ArrayLike<number> {
  if (x instanceof NDArray) return x.dataSync() as ArrayLike<number>;
  if (typeof x === 'number') return [x];
  if (ArrayBuffer.isView(x)) return x as unknown as ArrayLike<number>;
  if (Array.isArray(x)) return x.flatMap((v) => Array.from(values(v)));
  throw new Error(`check: cannot read ${String(x)}`);
}

/** The first few values, then how many there are (a Jacobian can hold millions). */
function show(a: ArrayLike<number>): string {
  const n = Math.min(a.length, 6);
  const head = Array.from({ length: n }, (_, i) => Number(a[i]));
  return `[${head.join(', ')}${a.length > n ? `, ... (${a.length} values)` : ''}]`;
}

/** Assert |got - want| <= tol elementwise; prints a ✓ line or a ✗ line with the difference. */
export function expectClose(label: string, got: unknown, want: unknown, tol: number): void {
  const g = values(got), w = values(want);
  let bad = g.length !== w.length ? Infinity : 0;
  for (let i = 0; i < g.length && bad < Infinity; i++) {
    const d = Math.abs(Number(g[i]) - Number(w[i]));
    if (!(d <= bad)) bad = Number.isNaN(d) ? Infinity : d;
  }
  if (bad <= tol) {
    console.log(`   ✓ ${label}: within ${tol} of ${show(w)}`);
  } else {
    failures++;
    console.log(`   ✗ ${label}: got ${show(g)}, want ${show(w)} (max |diff| ${bad} > ${tol})`);
  }
}

/** Assert a condition that is not a comparison of numbers (a shape, a dtype). */
export function expectTrue(label: string, ok: boolean, detail = ''): void {
  if (ok) console.log(`   ✓ ${label}`);
  else {
    failures++;
    console.log(`   ✗ ${label}${detail ? `: ${detail}` : ''}`);
  }
}

export function section(title: string): void { console.log(`\n## ${title}\n`); }

/** Milliseconds per call of `run` (median of `reps`); printed beside the notebooks' timings, never checked. */
export function timeIt(run: () => void, reps = 5): number {
  run();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const s = performance.now();
    run();
    t.push(performance.now() - s);
  }
  return t.sort((a, b) => a - b)[reps >> 1];
}

export function finish(): void {
  if (failures > 0) {
    console.log(`\n${failures} check(s) failed`);
    process.exit(1);
  }
  console.log('\nall checks passed');
}

/**
 * Run `section` and finish when its file is the one Node was asked to run
 * (`node --import tsx examples/cookbook_complex.ts`), not when the tour imports it.
 */
export function runIfMain(moduleUrl: string, section: () => void): void {
  const main = process.argv[1];
  if (main === undefined || pathToFileURL(main).href !== moduleUrl) return;
  section();
  finish();
}

