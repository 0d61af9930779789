// The plain page: the bundle as published (dist/index.js), which fetches dist/cotangent.wasm
// by its URL next to the bundle (new URL('./cotangent.wasm', import.meta.url)).
import { runPage } from './run_page.js';
import { runConformance } from '../conformance.js';

runPage(() => import('/dist/index.js'), runConformance);
