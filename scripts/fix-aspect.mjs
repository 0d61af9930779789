// as-pect 8.1 hard-codes AssemblyScript 0.27's NodeKind numbers in its transform; 0.28 inserted
// TupleType = 3 and shifted the rest. Rewrite each `N /* NodeKind.X */` from the real enum.
// Idempotent: the comment names the member, so re-running finds the same numbers.
import { readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const dir = 'node_modules/@as-pect/transform/lib';
if (!existsSync(dir)) process.exit(0);
const { NodeKind } = await import('assemblyscript');
let changed = 0;
for (const f of readdirSync(dir).filter((n) => n.endsWith('.js'))) {
  const path = join(dir, f);
  const src = readFileSync(path, 'utf8');
  const out = src.replace(/\b\d+ \/\* NodeKind\.(\w+) \*\//g, (m, name) => {
    if (!(name in NodeKind)) throw new Error(`fix-aspect: NodeKind.${name} not in assemblyscript`);
    return `${NodeKind[name]} /* NodeKind.${name} */`;
  });
  if (out !== src) { writeFileSync(path, out); changed++; }
}
console.log(`fix-aspect: ${changed} file(s) updated`);
