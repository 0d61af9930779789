// A worker that imports plain `cotangent`, run by `workerd serve wrangler.json` (bundled with
// esbuild from the packed package in node_modules). The `workerd` export condition must send
// it to cotangent/workerd: the default entry would try to fetch its .wasm and fail.
import * as api from 'cotangent';
import { handle } from './workerd_handler.js';

export default {
  async fetch(request) {
    return handle(api, request);
  },
};
