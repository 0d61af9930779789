// The wasm module runs AssemblyScript's minimal runtime, which never collects: a managed object
// (`new StaticArray`, an array literal, a string built at run time) allocated after start-up is
// leaked on every call. So no function reachable after start-up may allocate one: this reads the
// debug build's text format and checks that every function that (transitively) calls the
// runtime's allocator is module start-up code, called only from start-up code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const wat = readFileSync(new URL('../dist/cotangent.debug.wat', import.meta.url), 'utf8');

/** Each function's name and the functions it calls directly. */
function callGraph(text: string): Map<string, Set<string>> {
  const calls = new Map<string, Set<string>>();
  let current: Set<string> | undefined;
  for (const line of text.split('\n')) {
    const fn = /^ \(func (\$\S+)/.exec(line);
    if (fn) { current = new Set(); calls.set(fn[1], current); continue; }
    if (!current) continue;
    for (const m of line.matchAll(/\(call (\$[^\s)]+)|^\s*call (\$\S+)/g)) current.add(m[1] ?? m[2]);
  }
  return calls;
}

const isAllocator = (name: string) => /^\$~lib\/rt\/[a-z]+\/__new$|^\$~lib\/rt\/__new(Buffer|Array)$/.test(name);
/** Module start-up proper (not the closures it defines, which run later: `~anonymous`). */
const isStartUp = (name: string) => name === '$~start' || (name.startsWith('$start:') && !name.includes('~anonymous'));

test('no managed allocation is reachable after module start-up (the minimal runtime leaks them)', () => {
  const calls = callGraph(wat);
  assert.ok(calls.size > 1000, `parsed ${calls.size} functions from the debug .wat`);
  const allocators = [...calls.keys()].filter(isAllocator);
  assert.ok(allocators.length > 0, 'found the runtime allocator');
  // Every function that reaches an allocator, found by walking callers back from it.
  const callers = new Map<string, string[]>();
  for (const [f, callees] of calls) for (const c of callees) (callers.get(c) ?? callers.set(c, []).get(c)!).push(f);
  const reaching = new Set<string>(allocators), queue = [...allocators];
  while (queue.length) for (const f of callers.get(queue.pop()!) ?? []) if (!reaching.has(f)) { reaching.add(f); queue.push(f); }
  // Every caller of one of them reaches too, so they are fine only if the chains of callers all
  // end in start-up: none is a root of its own, called through the table or exported.
  const tableOrExported = new Set<string>();
  for (const m of wat.matchAll(/^ \((elem|export) .*$/gm)) for (const n of m[0].matchAll(/\$[^\s)]+/g)) tableOrExported.add(n[0]);
  const offenders: string[] = [];
  for (const f of reaching) {
    if (isStartUp(f)) continue;
    if (tableOrExported.has(f)) offenders.push(`${f} (called through the table or exported)`);
    else if (!callers.has(f)) offenders.push(`${f} (called by nothing here: an entry point)`);
  }
  assert.deepEqual(offenders, [], 'functions that allocate managed objects after start-up');
});
