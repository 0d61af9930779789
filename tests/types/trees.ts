// The tree types are exported, so a user's declarations can name what tree functions return
// (with declaration output, an unnamed type was TS2742: it could not be named without a
// reference into dist/types/api/tree.js).
import { np, tree, type PyTree, type Leaf, type TreeDef, type TreeLike } from 'cotangent';
export const params: PyTree = { W: np.ones([2, 2]), b: [np.zeros([2]), 1] };
export const flat: [Leaf[], TreeDef] = tree.flatten(params);
export const leavesOf = (t: TreeLike): Leaf[] => tree.leaves(t);
export const structureOf = (t: TreeLike): TreeDef => tree.structure(t);
