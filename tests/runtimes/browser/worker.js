// A module Web Worker: the default entry's top-level await and its fetch of the .wasm work in
// a worker too (no document; import.meta.url is the bundle's). Posts the results to the page.
import { runConformance } from '../conformance.js';

try {
  const t0 = performance.now();
  const api = await import('/dist/index.js');
  const { checks, firstResultAt, build } = runConformance(api);
  postMessage({ checks, startupMs: firstResultAt - t0, build });
} catch (err) {
  postMessage({ checks: [{ name: 'import cotangent in a worker', ok: false, detail: String((err && err.stack) || err) }], startupMs: NaN });
}
