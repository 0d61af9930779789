// The workers' request handler, given the cotangent API its worker imported.
// GET /grad?x=1,2: d/dx tanh at those points (float64), the first answer waited for on start.
// GET /: the conformance script's results.
import { runConformance } from './conformance.js';

export function handle(api, request) {
  const url = new URL(request.url);
  if (url.pathname === '/grad') {
    const x = (url.searchParams.get('x') ?? '0').split(',').map(Number);
    const g = api.grad((v) => api.np.sum(api.np.tanh(v)))(api.np.array(x, { dtype: 'float64' }));
    return Response.json({ x, grad: Array.from(g.dataSync()) });
  }
  return Response.json(runConformance(api));
}
