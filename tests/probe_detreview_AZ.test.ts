// helper-276's review of det's derivatives from 4x4 on (ts/api/linalg.ts: detAnyRank, detBySvdFrame,
// balanced, rowScaledDet). References: exact rational arithmetic in Python (fractions.Fraction on the
// float64 values as given; a mixed derivative along rank-1 directions u v^T is an inclusion-exclusion
// of determinants, exact since det(A + sum t_i u_i v_i^T) is multilinear in t), pasted as literals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, linalg, grad, jit, jvp, type NDArray } from '../ts/index.ts';

const outer = (u: number[], v: number[], dtype: 'float32' | 'float64') => np.array(u.map(a => v.map(b => a * b)), { dtype });
const dir = (A: NDArray, dirs: number[][][], k: number, dtype: 'float32' | 'float64') => {
  let f = (a: NDArray) => linalg.det(a);
  for (let i = 0; i < k; i++) { const g = f, V = outer(dirs[i][0], dirs[i][1], dtype); f = (a: NDArray) => jvp(g, [a], [V])[1] as NDArray; }
  return f(A).item() as number;
};

test('noise singular values at an exactly singular matrix give no NaN (SVD frame, K^-1 overflow)', () => {
  // 6x6 of rank 1: the SVD returned s = (28.6, 6.7e-16, 3.0e-307, 1.2e-307, 0, 0); K^-1 ~ 3e306 met
  // det(K) ~ 6e-321: the second directional derivative (exactly 0 by fractions) was NaN
  const A61 = [[0, 0, -9, -3, 9, 3], [0, 0, 9, 3, -9, -3], [0, 0, 6, 2, -6, -2], [0, 0, 9, 3, -9, -3], [0, 0, 9, 3, -9, -3], [0, 0, -3, -1, 3, 1]];
  const d61 = [[[-1, 2, 0, 2, -2, 0], [-1, -2, -2, 2, 2, 0]], [[-2, -2, 0, 1, -2, 2], [1, 2, -2, 0, 1, 1]]];
  const v = dir(np.array(A61, { dtype: 'float64' }), d61, 2, 'float64');
  assert.ok(Math.abs(v) <= 1e-9, `D2 det at rank 1 (6x6): got ${v}, want 0`);
  const h = jit((a: NDArray) => grad((b: NDArray) => jvp(linalg.det, [b], [outer(d61[0][0], d61[0][1], 'float64')])[1])(a))(np.array(A61, { dtype: 'float64' }));
  assert.ok((h.tolist() as number[][]).flat().every(x => Math.abs(x) <= 1e-9), `jit grad D1 at rank 1: ${h.tolist()}`);
  // float32 6x6 of rank 2 (n - 4): the third derivative (exactly 0) was NaN
  const A62 = [[3, 6, -7, -6, 1, -3], [-6, -6, 4, 6, -4, 4], [0, 9, -15, -9, -3, -3], [-15, -9, 0, 9, -12, 8], [-12, -9, 3, 9, -9, 7], [15, 9, 0, -9, 12, -8]];
  const d62 = [[[1, 0, 0, 2, 2, 0], [0, -1, -1, 0, 1, -1]], [[0, -2, 0, -1, 0, 2], [0, 0, 2, 2, 1, 2]], [[-1, 2, 1, 2, 1, -1], [2, 2, 1, -1, -1, -2]]];
  const w = dir(np.array(A62, { dtype: 'float32' }), d62, 3, 'float32');
  assert.ok(Math.abs(w) <= 1e-2, `float32 D3 det at rank 2 (6x6): got ${w}, want 0`);
});

test('graded columns: det and its gradient (rows and columns both scaled)', () => {
  // columns of 1e-100..1e100 (rows 1e100 each): the SVD frame's row-scaled copy had det 1e-400 and
  // the gradient came out all NaN
  const G4 = [[5.813658833559869e-101, 5.335792917856774e-34, 3.9094760159877303e+33, -6.730034498287506e+99], [-6.865228560376983e-101, -8.35431025578629e-34, 1.8115157675999253e+32, -1.3319218917436766e+100], [1.585954352078654e-101, 1.9450269964849494e-34, -1.6361830695867852e+33, 8.316969729548385e+99], [-6.677344116235535e-101, 3.418407865466748e-34, 3.6724988475987474e+32, 8.918281145596082e+99]];
  const g4 = [[6.54206959471996e+99, -2.462832572827406e+33, 4.130255144627348e-34, 1.263751985390567e-100], [9.32720461532198e+99, -3.05391038420341e+33, 5.601291282520424e-34, 1.6382678396384387e-100], [1.728156300133876e+100, -6.33715955277282e+33, 1.1661586512561354e-33, 3.242752004289078e-100], [2.750440074717542e+99, -5.095920272246116e+32, 6.069019702839744e-35, 1.861213625270627e-101]];
  for (const [what, g] of [['grad', grad(linalg.det)(np.array(G4, { dtype: 'float64' }))], ['jit grad', jit(grad(linalg.det))(np.array(G4, { dtype: 'float64' }))]] as const) {
    const got = g.tolist() as number[][];
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) assert.ok(Math.abs(got[i][j] - g4[i][j]) <= 1e-12 * Math.abs(g4[i][j]), `${what}[${i}][${j}]: got ${got[i][j]}, want ${g4[i][j]}`);
  }
  // 6x6, columns of 1e-100..1e100: the LU kernel on the row-scaled matrix underflowed, det 0 (exact 0.4194910787588036)
  const G6 = [[4.5656320126295094e-101, 1.986411947585964e-60, -2.057241400438709e-21, -3.900269417455086e+19, -7.21724167614907e+59, 8.758253137649425e+98], [-8.518490378829106e-101, -1.997367088316568e-61, -1.1181728745328274e-20, -7.015084039356083e+19, -1.68262849724108e+60, 1.5546342259914198e+100], [6.411122265729694e-101, -5.536425961296273e-61, 5.9639781447529646e-21, -3.6800037759649124e+19, 7.828037518323368e+58, -2.6391319396280677e+99], [-1.0285786667586605e-101, -5.480351822216386e-61, -2.81569143515841e-21, -5.485388426671711e+19, -7.152520361367168e+59, 4.704460737369498e+99], [5.286286439996197e-101, 6.755495278336295e-61, -2.4892580654901267e-21, 9.298392404966117e+19, 2.9502752408135846e+60, 7.800527994492577e+98], [-4.808970629360639e-101, -4.78272360006722e-61, 5.98595559166511e-21, 4.036308438750711e+19, 2.8150068373315693e+59, 1.317156024206578e+100]];
  for (const [what, v] of [['det', linalg.det(np.array(G6, { dtype: 'float64' }))], ['jit det', jit(linalg.det)(np.array(G6, { dtype: 'float64' }))]] as const) {
    assert.ok(Math.abs(v.item() - 0.4194910787588036) <= 1e-12, `${what} G6: got ${v.item()}`);
  }
  assert.ok((grad(linalg.det)(np.array(G6, { dtype: 'float64' })).tolist() as number[][]).flat().every(Number.isFinite), 'grad det G6 finite');
});
