// The page for `cotangent/manual`: nothing loads at import; the page hands init() the URL where
// it serves the .wasm (here the package's own dist/cotangent.wasm).
import { runPage } from './run_page.js';
import { runConformance } from '../conformance.js';

runPage(async () => {
  const api = await import('/dist/manual.js');
  if (api.isLoaded()) throw new Error('cotangent/manual loaded the wasm by itself');
  await api.init(new URL('/dist/cotangent.wasm', location.href));
  return api;
}, runConformance);
