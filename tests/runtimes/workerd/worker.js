// The worker that tests/runtimes.test.ts runs in workerd: built on `cotangent/workerd` exactly
// as a user writes it (the capnp config names the package's modules so the import resolves).
// GET / answers with the conformance results and the gradient of the README's example.
import * as api from 'cotangent/workerd';
import { runConformance } from './conformance.js';

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === '/grad') {
      // d/dx tanh at the points in ?x=1,2,3 (float64), for a quick look by hand.
      const x = (url.searchParams.get('x') ?? '0').split(',').map(Number);
      const g = api.grad((v) => api.np.sum(api.np.tanh(v)))(api.np.array(x, { dtype: 'float64' }));
      return Response.json({ x, grad: Array.from(g.dataSync()) });
    }
    return Response.json(runConformance(api));
  },
};
