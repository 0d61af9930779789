// Runs the conformance script under Node or Deno and prints one JSON line:
// { checks, startupMs, build } where startupMs is the time from the import of the entry to the first
// result. Usage: node tests/runtimes/host.mjs <specifier> [init]
//                deno run --allow-read tests/runtimes/host.mjs <specifier> [init]
// `init`: the entry loads nothing by itself (cotangent/manual); call init() after importing.
import { runConformance } from './conformance.js';

const args = globalThis.Deno ? globalThis.Deno.args : process.argv.slice(2);
const [specifier, mode] = args;
const t0 = performance.now();
const api = await import(specifier);
if (mode === 'init') {
  if (api.isLoaded()) throw new Error(`${specifier} loaded the wasm by itself`);
  await api.init();
}
const { checks, firstResultAt, build } = runConformance(api);
console.log(JSON.stringify({ checks, startupMs: firstResultAt - t0, build }));
