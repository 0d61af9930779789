// Each tour line prints what the notebook prints, then checks it against the notebook's value.
import { NDArray } from 'cotangent';

let failures = 0;

function values(x: unknown): number[] {
  if (x instanceof NDArray) return Array.from(x.dataSync(), Number);
  if (typeof x === 'number') return [x];
  if (Array.isArray(x)) return x.flatMap(values);
  throw new Error(`check: cannot read ${String(x)}`);
}

/** Assert |got - want| <= tol elementwise; prints a ✓ line or a ✗ line with the difference. */
export function expectClose(label: string, got: unknown, want: number | number[], tol: number): void {
  const g = values(got), w = values(want);
  const bad = g.length !== w.length ? Infinity : Math.max(0, ...g.map((v, i) => Math.abs(v - w[i])));
  if (bad <= tol) {
    console.log(`   ✓ ${label}: within ${tol} of [${w.join(', ')}]`);
  } else {
    failures++;
    console.log(`   ✗ ${label}: got [${g.join(', ')}], want [${w.join(', ')}] (max |diff| ${bad} > ${tol})`);
  }
}

export function section(title: string): void { console.log(`\n## ${title}\n`); }

export function finish(): void {
  if (failures > 0) {
    console.log(`\n${failures} check(s) failed`);
    process.exit(1);
  }
  console.log('\nall checks passed');
}
