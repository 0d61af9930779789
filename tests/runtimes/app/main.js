// A minimal app as a user writes it: imports cotangent as a package (Vite resolves it in the
// app's node_modules, where the test put the packed tarball). Vite sees the loader's
// `new URL('./cotangent.wasm', import.meta.url)`, emits the .wasm as an asset and rewrites
// the URL. The dynamic import lets the page time import -> first result.
import { runPage } from './run_page.js';
import { runConformance } from './conformance.js';

runPage(() => import('cotangent'), runConformance);
