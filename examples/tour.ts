// The examples tour: `npm run tour`. Each section prints what its source notebook prints and
// checks its numbers; the process exits non-zero if any check fails.
import { cookbook } from './autodiff_cookbook.js';
import { functorchJacobians } from './functorch_jacobians.js';
import { cookbookComplex } from './cookbook_complex.js';
import { perturbedOptimizers } from './perturbed_optimizers.js';
import { sinkhornHessians } from './sinkhorn_hessians.js';
import { divergenceExample } from './divergence.js';
import { finish } from './lib/check.js';

console.log('cotangent examples tour');
cookbook();
functorchJacobians();
cookbookComplex();
perturbedOptimizers();
sinkhornHessians();
divergenceExample();
finish();
