// A worker on `cotangent/workerd`, as a user writes it, for a plain capnp config (which names
// the package's modules so the import resolves; see tests/runtimes/hosts.ts).
import * as api from 'cotangent/workerd';
import { handle } from './workerd_handler.js';

export default {
  async fetch(request) {
    return handle(api, request);
  },
};
