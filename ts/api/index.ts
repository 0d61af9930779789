// The public API (no top-level I/O: ts/index.ts loads the wasm).
import * as npModule from './numpy.js';
import { lax } from './lax_public.js';
import * as treeModule from './tree.js';
import * as randomBase from './random.js';
import * as randomMore from './random_more.js';
import * as linalgModule from './linalg.js';
import { cg, bicgstab, gmres } from './sparse_linalg.js';
import { atLeast, withArityChecks } from './arity.js';
import { withSpellingHints } from './spelling.js';
import { addNotBuilt } from './not_built.js';
import './array_methods.js'; // x.T, x.reshape(...), x.sum(...): installed on the Array prototype
// (each function refuses arguments past its parameters: numpy's positional options would be dropped)
/** np.broadcastShapes without the internal first-argument function name (np.broadcastShapes('a') was []). */
function broadcastShapes(...shapes: (readonly number[] | number)[]): number[] {
  return npModule.broadcastShapes('np.broadcastShapes', ...(shapes as (readonly number[])[]));
}
const npChecked = withArityChecks('np', { ...npModule, broadcastShapes }, ['ACCUMULATE_SPEC', 'MAX_AXES_RANK', 'AtIndex', 'asarrayHint', 'checkAxes', 'commonDtype',
  'complexNaN', 'dtypeForPromotion', 'floatDtype', 'indexFirst', 'lexicographic', 'operand', 'prepare', 'requireComputable', 'sigmoidNamed',
  'principal', 'takeMask', 'masked', 'maskOf', 'initialAs', 'dtypeOption'] as const, { asarray: 2 }); // (asarray's third parameter names the caller in errors: internal)
const randomModule = { ...randomBase, ...randomMore };
const random = withSpellingHints('random', withArityChecks('random', randomModule, ['checkKey', 'shapeArg', 'paramsFit', 'sampler', 'keywordsAsPositions', 'NOT_OFFERED'] as const));
for (const [name, f] of Object.entries(randomMore.NOT_OFFERED)) Object.defineProperty(random, name, { value: f, enumerable: false, configurable: true, writable: true });
const linalg = withSpellingHints('linalg', withArityChecks('linalg', linalgModule, ['matrixArg', 'squareArg', 'listHint', 'matrixHint', 'rowsBy', 'named', 'oneTriangleOnly'] as const));
const treeChecked = withArityChecks('tree', { ...treeModule, flatten: treeModule.flattenPrintable },
  ['flattenPrintable', 'leafPath', 'isDictNode', 'sameStructure', 'refuseHiddenProperties', 'setKey', 'MAX_TREE_DEPTH', 'named', 'namesOf'] as const,
  {}, false); // (no hole check: a hole in a tree is undefined, an empty subtree, at any depth, as every transform reads it;
// the check looked one level down only, so tree.leaves([a, , b]) and tree.map(f, { w: [a, , b] }) ('option w') were refused and [[a, , b]] was not)
// (a missing tree is an error, as in JAX; null or undefined given explicitly is the empty tree)
const tree = {
  ...treeChecked,
  map: atLeast('tree.map', treeChecked.map, 2, 'a function and a tree (tree.map(f, tree, ...rest))'),
  leaves: atLeast('tree.leaves', treeChecked.leaves, 1, 'a tree'),
  structure: atLeast('tree.structure', treeChecked.structure, 1, 'a tree'),
  flatten: atLeast('tree.flatten', treeChecked.flatten, 1, 'a tree'),
  show: atLeast('tree.show', treeChecked.show, 1, 'a structure or a tree'),
  reduce: atLeast('tree.reduce', treeChecked.reduce, 2, 'a function and a tree (tree.reduce(f, tree, initializer?))'),
  transpose: atLeast('tree.transpose', treeChecked.transpose, 3, 'the outer and inner structures and a tree (tree.transpose(outer, inner, tree); inner may be null)'),
  mapWithPath: atLeast('tree.mapWithPath', treeChecked.mapWithPath, 2, 'a function and a tree (tree.mapWithPath(f, tree, ...rest))'),
};
withSpellingHints('tree', tree); // (tree.leaves_with_path ported from JAX: says it is tree.leavesWithPath)
Object.defineProperty(tree, 'registerPytreeNode', { enumerable: false }); // (a refusal, not part of the API: as not_built.ts's)
// np.linalg is linalg (jnp.linalg.solve ports as np.linalg.solve)
const np = withSpellingHints('np', { ...npChecked, linalg });
withSpellingHints('lax', lax);
addNotBuilt(np, lax);
withSpellingHints('tree', tree);
// jax.scipy as a namespace: only sparse.linalg's iterative solvers so far (ts/api/sparse_linalg.ts)
const scipy = { sparse: { linalg: { cg, bicgstab, gmres } } };
export { np, lax, tree, random, linalg, scipy };
export type { IsolveOptions, GmresOptions } from './sparse_linalg.js';
export { NDArray, NDArray as Array } from './array.js';
export type { ArrayInput, NestedNumbers, Item } from './array.js';
// (the tree types, so a declaration file can name what tree.leaves or tree.flatten return: TS2742 otherwise)
export type { PyTree, Leaf, TreeDef, TreeLike, KeyPath } from './tree.js';
export { grad, valueAndGrad } from './transforms/grad.js';
export type { GradOptions } from './transforms/grad.js';
export { jvp } from './transforms/jvp.js';
export { vjp, vjpWithAux } from './transforms/vjp.js';
export { linearize, linearizeWithAux } from './transforms/linearize.js';
export { vmap } from './transforms/vmap.js';
export type { VmapOptions, AxisSpec } from './transforms/vmap.js';
export { jacfwd } from './transforms/jacfwd.js';
export type { JacOptions } from './transforms/jacfwd.js';
export { jacrev } from './transforms/jacrev.js';
export { hessian, hvp } from './transforms/hessian.js';
export { divergence, jacobianDiagonal, laplacian, hessianDiagonal, gnvp } from './transforms/operators.js';
export type { OperatorOptions } from './transforms/operators.js';
export { hutchinson } from './transforms/hutchinson.js';
export type { HutchinsonOptions } from './transforms/hutchinson.js';
export { jit, makeJaxpr } from './transforms/jit.js';
export type { JitOptions, Jitted } from './transforms/jit.js';
export { checkGrads, GradientCheckError } from './check_grads.js';
export {
  CotangentError, ShapeError, DTypeError, TracerError, NonHolomorphicError, ValueError, AxisError, IndexError, OutOfMemoryError,
  InternalError, NotImplementedError, DeletedArrayError,
} from '../core/errors.js';
export type { DType } from '../core/dtype.js';
export { devices, initGpu } from './devices.js';
export { keptTapeStats, setKeptTapeBudget } from '../core/kept_tapes.js';
export { residentStats } from '../core/resident.js';
export { stopGradient } from './stop_gradient.js';
export { customJvp, customVjp } from './custom.js';
export { checkpoint, checkpoint as remat } from './transforms/checkpoint.js';
export type { CheckpointOptions } from './transforms/checkpoint.js';
export type { JvpRule, VjpFwd, VjpBwd, CustomOptions, CustomJvpFunction, CustomVjpFunction } from './custom.js';
export { tidy } from './tidy.js';
export { evalShape, ShapeDtypeStruct } from './transforms/eval_shape.js';
export type { ShapesOf, SpecOr } from './transforms/eval_shape.js';
export { linearTranspose } from './transforms/linear_transpose.js';
export type { Transposed } from './transforms/linear_transpose.js';
