// npm here can only fetch the linux-x64 builds of packages that ship per-platform binaries as
// optional dependencies (rollup, deno), so `npm install` leaves the other platforms out of
// package-lock.json, and `npm ci` then refuses the lock ("Missing: ... from lock file").
// This adds a stub entry (version, os, cpu, optional) for each missing platform package, which
// `npm ci` accepts and skips on this platform. Run after changing such a dependency:
//   node scripts/lock-platform-stubs.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const OS = ['win32', 'darwin', 'linux', 'freebsd', 'openbsd', 'android', 'sunos', 'aix', 'openharmony', 'netbsd'];
const CPU = ['x64', 'arm64', 'ia32', 'arm', 'riscv64', 'ppc64', 's390x', 'loong64', 'mips64el'];
let added = 0;
for (const [path, pkg] of Object.entries(lock.packages)) {
  for (const [name, range] of Object.entries(pkg.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (lock.packages[key]) continue;
    const parts = name.split('/').pop().split('-');
    const os = OS.find((o) => parts.includes(o) || (o === 'win32' && parts.includes('windows')));
    const cpu = CPU.find((c) => parts.includes(c));
    if (!os || !cpu) continue;
    const entry = { version: String(range).replace(/^[~^=]/, ''), cpu: [cpu], dev: pkg.dev || undefined, optional: true, os: [os] };
    if (parts.includes('musl')) entry.libc = ['musl'];
    if (parts.includes('gnu') || parts.includes('glibc')) entry.libc = ['glibc'];
    lock.packages[key] = entry;
    added++;
  }
}
writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n');
console.log(`lock-platform-stubs: ${added} entr${added === 1 ? 'y' : 'ies'} added`);
