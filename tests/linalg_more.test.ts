// linalg's numpy 2 / array API additions: matrixRank, multiDot, vectorNorm, matrixNorm,
// cross, outer, diagonal, trace, matmul, vecdot, matrixTranspose, tensordot, tensorsolve,
// tensorinv. Every expected value is numpy 2.4's (np.linalg.* run on the same inputs, pasted as
// literals below), except where jnp differs (said where it does); derivatives by checkGrads
// (order 2, float64 finite differences, and complex128 where the function takes complex).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, linalg, grad, jit, vmap, checkGrads, makeJaxpr, ValueError, ShapeError, AxisError, type Array as NDArray } from '../ts/index.ts';

const f64 = (x: any) => np.array(x, { dtype: 'float64' });
const c128 = (x: any) => np.array(x, { dtype: 'complex128' });
/** Flat numbers of a value: a complex entry as its re, im. */
const flat = (x: unknown): number[] => (Array.isArray(x) ? x.flatMap(flat) : typeof x === 'object' && x !== null ? [(x as any).re, (x as any).im] : [x as number]);
function close(got: NDArray, want: unknown, tol = 1e-12, what = '') {
  const g = flat(got.tolist()), w = flat(want);
  assert.equal(g.length, w.length, `${what}: length`);
  g.forEach((v, i) => assert.ok(Math.abs(v - w[i]) <= tol * Math.max(1, Math.abs(w[i])), `${what}[${i}]: ${v}, want ${w[i]}`));
}

// ---- numpy 2.4's inputs and results (np.random.default_rng(7), rounded inputs)
const MA = [[0.5, 1.59, 1.1, -1.1], [-0.8, 1.49, -1.98, 1.28], [1.19, -0.13, -0.79, -0.89]];
const MB = [[-0.98, -0.22], [0.02, 0.21], [1.98, 1.17], [0.49, 1.96]];
const MC = [[-1.14, -1.36, 0.45, -1.82, -1.86], [0.06, -0.14, 1.67, 0.52, 0.06]];
const MD = [[-0.01, -1.01, -1.95], [-1.23, 0.77, -1.2], [-0.52, -1.99, 1.32], [-1.38, -0.93, 1.52], [0.04, 1.39, 0.56]];
const MV1 = [0.97, -1.63, 0.16];
const MV2 = [0.03, 1.49, -0.55];
const MD_ABCD = [[5.501123120000002, 0.5220794099999995, -1.2296281400000002], [-10.60013276, 1.5247844499999985, 0.5080839400000019], [-8.143145740000001, 16.84854313, -11.139642419999998]];
const MD_vBCDv = 3.79914453281401;
const MD_vA = [1.9794, -0.9071999999999997, 4.167999999999999, -3.2957999999999994];
const MD_AtAv = [-2.3857750000000006, -2.6610750000000003, -2.900825, 3.7506250000000008];
const MZ1 = [[{ re: -1.4, im: 0.55 }, { re: 1.27, im: 0.71 }, { re: -0.48, im: -1.4 }], [{ re: 1.91, im: -0.24 }, { re: 0.36, im: -1.04 }, { re: 0.42, im: -0.39 }]];
const MZ2 = [[{ re: -1.61, im: 1.78 }, { re: 1.87, im: 1.62 }, { re: -1.14, im: 0.28 }], [{ re: 0.69, im: -1.42 }, { re: -0.8, im: -1.23 }, { re: 1.5, im: 1.71 }], [{ re: 0.65, im: 0.21 }, { re: -1.47, im: -1.28 }, { re: 1.38, im: 1.54 }]];
const MZ3 = [[{ re: 0.57, im: 1.5 }, { re: 0.28, im: -0.13 }], [{ re: -0.49, im: 0.19 }, { re: -0.36, im: -0.71 }], [{ re: -1.04, im: 1.01 }, { re: -1.85, im: -1.9 }]];
const MZ_prod = [[{ re: 9.483966999999998, im: 5.038017999999997 }, { re: -6.221584999999999, im: -4.441231 }], [{ re: -8.22055, im: -3.7496969999999994 }, { re: -1.575318000000001, im: -3.4714650000000007 }]];
const VX = [[[-0.51, -1.88, -1.51, 1.87], [0.63, -0.29, 0.09, 1.49], [-0.62, 0.36, 0.73, -0.58]], [[0.08, 1.06, 1.64, -1.4], [1.73, -1.98, 1.01, 1.24], [-1.45, -0.32, 1.26, -1.94]]];
const VN_all = 6.039097614710331;
const VN_12 = [3.6964848166873345, 4.775636083287754];
const VN_1_0_keep = [[[0.59, 2.94, 3.15, 3.27], [2.36, 2.27, 1.1, 2.73], [2.07, 0.6799999999999999, 1.99, 2.52]]];
const VN_inf_m1 = [[1.88, 1.49, 0.73], [1.64, 1.98, 1.94]];
const VN_ninf_1 = [[0.51, 0.29, 0.09, 0.58], [0.08, 0.32, 1.01, 1.24]];
const VN_0 = [2.0, 1.0];
const VN_3_02 = [2.928142540178243, 2.689771450480988, 2.366446632544533];
const VN_m1_2 = [[0.2710239937645824, 0.05946070508059936, 0.13360621158054864], [0.06771655295990028, 0.3472661357209431, 0.19516879616367036]];
const VN_keep_all = [1, 1, 1];
const VZ = [[{ re: 0.51, im: -0.55 }, { re: 1.17, im: -1.28 }, { re: 0.05, im: -0.62 }], [{ re: 0.9, im: 1.79 }, { re: -1.09, im: 0.29 }, { re: -1.21, im: -0.64 }]];
const VZ_n = [1.989170681465017, 2.6758176320519302];
const NX = [[[-0.91, 1.81, -0.22], [1.92, 0.06, 0.08], [1.59, 0.97, 0.32]], [[-0.29, 1.51, -0.35], [1.69, -1.73, -0.28], [0.08, 1.8, -1.0]]];
const NN_fro = [3.3794082322205465, 3.5581596366661232];
const NN_nuc = [4.950171655946319, 4.901940858973148];
const NN_1 = [4.42, 5.04];
const NN_m1 = [0.62, 1.63];
const NN_2 = [2.673765381511045, 3.1990674615836174];
const NN_m2 = [0.22158819039182878, 0.15265974126540707];
const NN_inf = [2.9400000000000004, 3.7];
const NN_minf = [2.06, 2.15];
const NN_rect = 3.941417416627627;
const NZ = [[{ re: -1.8, im: -1.55 }, { re: -1.15, im: 0.42 }], [{ re: 1.66, im: -0.08 }, { re: 1.36, im: 0.38 }]];
const NZ_fro = 3.449260790372337;
const NZ_nuc = 4.365761686455592;
const CX = [[0.64, -0.77, 1.85], [-0.14, 0.51, 0.54]];
const CY = [-1.26, -1.75, -0.35];
const CR = [[3.507, -2.107, -2.0902000000000003], [0.7665000000000001, -0.7294, 0.8876000000000001]];
const CA = [[1.06, 1.26], [0.92, -1.55], [1.65, 1.21]];
const CB = [[1.51, 0.09], [1.66, -1.81], [-1.88, -1.92]];
const CR0 = [[-4.4686, 5.1661], [4.484299999999999, 2.5281000000000002], [0.37040000000000006, -2.1411000000000002]];
const CZ1 = [{ re: -0.99, im: 0.27 }, { re: -1.01, im: -1.84 }, { re: -1.25, im: 0.36 }];
const CZ2 = [{ re: -1.34, im: -0.76 }, { re: 0.71, im: 1.75 }, { re: -1.92, im: 0.15 }];
const CRZ = [{ re: 3.7327, im: 5.3132 }, { re: 0.08830000000000027, im: 1.1345 }, { re: -1.1304, im: -4.774 }];
const OA = [1.25, 0.63, 0.44];
const OB = [-1.23, 0.3, -1.84, 1.21];
const OR = [[-1.5375, 0.375, -2.3000000000000003, 1.5125], [-0.7749, 0.189, -1.1592, 0.7623], [-0.5412, 0.132, -0.8096, 0.5324]];
const OZ1 = [{ re: 1.84, im: -1.8 }, { re: 1.42, im: -0.65 }];
const OZ2 = [{ re: -0.73, im: 1.19 }, { re: -1.55, im: -0.75 }, { re: 0.51, im: 1.45 }];
const ORZ = [[{ re: 0.7987999999999998, im: 3.5036 }, { re: -4.202, im: 1.41 }, { re: 3.5484, im: 1.75 }], [{ re: -0.26309999999999995, im: 2.1643 }, { re: -2.6885, im: -0.057499999999999885 }, { re: 1.6667, im: 1.7274999999999998 }]];
const TX = [[[1.19, -1.48, 1.07, 1.53], [-1.21, 0.29, 0.55, 0.44], [-1.62, 0.64, 0.53, 1.3]], [[1.21, -0.69, 0.89, 1.47], [1.57, -1.35, -1.89, 0.6], [-1.14, 0.25, 1.78, -0.48]]];
const DG_0 = [[1.19, 0.29, 0.53], [1.21, -1.35, 1.78]];
const TR_0 = [2.01, 1.64];
const DG_1 = [[-1.48, 0.55, 1.3], [-0.69, -1.89, -0.48]];
const TR_1 = [0.3700000000000001, -3.06];
const DG_m1 = [[-1.21, 0.64], [1.57, 0.25]];
const TR_m1 = [-0.57, 1.82];
const DG_3 = [[1.53], [1.47]];
const TR_3 = [1.53, 1.47];
const DG_m3 = [[], []];
const TR_m3 = [0.0, 0.0];
const TRI = [15, 51];
const TR32_64 = 0.7999999895691872;
const TR32 = 0.800000011920929;
const TZ = [[[{ re: -0.99, im: -0.49 }, { re: -0.17, im: -0.51 }], [{ re: 0.63, im: 0.16 }, { re: -1.6, im: -1.14 }]], [[{ re: -0.48, im: -1.01 }, { re: -1.47, im: -0.68 }], [{ re: 0.65, im: -0.17 }, { re: 1.32, im: -1.67 }]]];
const TRZ = [{ re: -2.59, im: -1.63 }, { re: 0.8400000000000001, im: -2.6799999999999997 }];
const PA = [[[[1.01, 0.32, -0.8, -1.69], [1.05, -1.48, -1.47, -1.48], [-1.67, 1.63, -0.92, -0.77]]], [[[1.33, 0.48, -1.25, -0.26], [1.54, -0.5, 0.84, -1.61], [0.91, 1.11, 1.3, 0.7]]]];
const PB = [[[-0.52, -1.74], [0.08, 1.03], [-1.24, -0.94], [0.14, 0.99]], [[1.59, -1.5], [-1.26, 1.2], [0.58, 0.88], [1.99, 1.76]], [[1.37, 1.11], [-0.42, 0.56], [-1.26, 1.04], [1.03, 0.89]], [[-0.22, -0.49], [-0.32, -1.87], [1.38, 0.17], [-0.45, 0.19]], [[0.89, -0.47], [1.32, 1.68], [-0.45, -1.45], [1.04, 1.97]]];
const PM = [[[[0.2558, -2.3489], [0.9511999999999998, -3.4348], [2.0318, 4.6872]], [[-2.6243999999999996, -4.8094], [-0.26349999999999973, -7.2494], [-6.775, 2.2961999999999994]], [[0.5166000000000003, -1.0357999999999998], [2.3879, -2.5093], [-2.6064000000000003, -2.583]], [[-0.6680999999999999, -1.5504000000000002], [-1.1199999999999999, 1.7220000000000002], [-1.0773, -2.5325]], [[-0.07629999999999977, -2.1064], [-1.8968, -3.764], [0.27849999999999986, 3.3403999999999994]]], [[[0.8603999999999998, -0.9022000000000001], [-2.1078, -5.5781], [-1.8983999999999999, -0.9691]], [[0.2675, -2.9766000000000004], [0.3619000000000001, -5.0044], [2.1953, 2.343]], [[2.9277000000000006, 0.21370000000000003], [-0.39689999999999986, 0.8701000000000003], [-0.13650000000000007, 3.6067000000000005]], [[-2.0542, -1.8112000000000001], [1.7048999999999999, 0.017299999999999965], [0.9236, -2.1676]], [[2.1094, 1.4815999999999998], [-1.3418, -5.9535], [2.4181, 0.9310999999999999]]]];
const PV = [-1.41, 0.85, 1.3, 1.68];
const PMv = [[[-5.0313, -7.1358999999999995, 1.2505999999999995]], [[-3.5291, -4.209199999999999, 2.5264]]];
const PvM = [[-0.5756000000000001, 3.7701000000000002], [0.7843, 7.235799999999999], [-2.1963, 1.7580999999999998], [1.0761999999999998, -0.35840000000000016], [1.0293, 3.5153]];
const DA = [[{ re: -1.51, im: -0.21 }, { re: -1.63, im: 1.0 }, { re: 1.95, im: -1.24 }], [{ re: -1.53, im: 1.66 }, { re: -1.29, im: -1.13 }, { re: 0.3, im: 1.08 }]];
const DB = [{ re: -1.73, im: -0.74 }, { re: -0.11, im: -0.75 }, { re: -1.87, im: 0.88 }];
const VD = [{ re: -2.5407, im: 1.4838000000000005 }, { re: 2.7973000000000003, im: 7.130800000000001 }];
const RA = [[-0.18, -1.77], [1.98, 1.55], [1.67, -1.01]];
const RB = [[-0.42], [-1.09], [-1.5]];
const VD0 = [-4.5876, 0.5688999999999999];
const MT = [[[1.19, -1.21, -1.62], [-1.48, 0.29, 0.64], [1.07, 0.55, 0.53], [1.53, 0.44, 1.3]], [[1.21, 1.57, -1.14], [-0.69, -1.35, 0.25], [0.89, -1.89, 1.78], [1.47, 0.6, -0.48]]];
const GA = [[[-1.87, 0.01, -1.51, -1.29], [1.44, -0.06, -1.27, 0.68], [-0.94, 0.11, -0.87, 0.06]], [[0.51, 0.14, -0.42, 1.16], [1.49, -1.28, -1.45, -1.55], [1.92, 1.77, -1.08, 1.88]]];
const GB = [[[-1.17, 0.03], [-0.01, 1.66], [-1.84, -0.74], [0.4, -1.73]], [[-1.05, -0.14], [1.52, 1.04], [1.32, 1.04], [0.83, 1.4]], [[0.73, 0.94], [-0.79, -1.33], [1.03, -1.34], [1.68, 0.39]]];
const GD2 = [[0.1665999999999995, 2.8361000000000005], [-4.022600000000001, -5.034999999999999]];
const GD1 = [[[[-0.010299999999999998, -1.1413], [2.9501, -0.35640000000000005], [4.3734, 4.141], [-1.1320000000000001, 4.8845]], [[0.1316, 0.11209999999999999], [-0.1782, -0.19210000000000002], [0.0157, -0.2172], [0.139, -0.05839999999999999]], [[2.4651, -0.6852999999999999], [-1.228, -2.6702999999999997], [0.20589999999999986, 0.9623999999999999], [-3.1197, 0.49499999999999994]], [[0.8390999999999997, -0.07750000000000003], [0.9991, -1.514], [3.333, 1.5814000000000001], [0.1492, 3.2071]]], [[[-0.7596, 1.6114999999999997], [0.7429, -0.15740000000000015], [3.006, -1.4005999999999998], [4.6663, 1.9525]], [[2.4723, 1.8472], [-3.3453, -3.4529], [-0.1241000000000002, -3.8066000000000004], [1.9672, -1.3438999999999997]], [[1.2255, -0.8248], [-1.3465999999999996, -0.7687999999999999], [-2.2536, 0.25000000000000017], [-3.1859, -1.7246]], [[1.6427000000000003, 2.0189999999999997], [-3.8528, -2.1868000000000003], [-2.2439999999999998, -4.9896], [2.3358999999999996, -3.443599999999999]]]];
const SA = [[[3.32, 1.75, -1.38, 0.06, -1.63, 1.86], [0.3, 5.21, -0.87, 1.21, 0.81, 0.57], [1.8, -0.27, 3.66, 0.77, 1.34, -0.66]], [[0.68, -1.16, 0.21, 5.08, -1.74, 0.91], [-1.94, 1.83, -0.13, -0.36, 4.88, 0.09], [0.92, -1.66, 0.25, 0.23, 1.73, 2.16]]];
const SB = [[-0.19, 0.52, 0.2], [-1.7, 0.37, -1.11]];
const SX = [0.09428919263817576, 0.18145700611191345, -0.02125750587451505, -0.21761178726200456, 0.03634791732445163, -0.4180760354230357];
const SA2 = [[[3.32, 0.3, 1.8], [0.68, -1.94, 0.92]], [[1.75, 5.21, -0.27], [-1.16, 1.83, -1.66]], [[-1.38, -0.87, 3.66], [0.21, -0.13, 0.25]], [[0.06, 1.21, 0.77], [5.08, -0.36, 0.23]], [[-1.63, 0.81, 1.34], [-1.74, 4.88, 1.73]], [[1.86, 0.57, -0.66], [0.91, 0.09, 2.16]]];
const SX2 = [0.09428919263817576, 0.18145700611191345, -0.02125750587451505, -0.21761178726200456, 0.03634791732445163, -0.4180760354230357];
const SA3 = [[[2.39, 0.76, -0.6], [-0.09, 0.5, 0.41]], [[0.11, 3.61, -0.07], [0.24, 0.64, 0.36]], [[0.28, -0.19, 3.12], [-0.21, 0.49, -0.24]], [[-0.07, 0.51, 0.01], [2.68, 0.65, -0.24]], [[0.69, 0.57, -0.11], [0.43, 2.07, -0.22]], [[0.72, 0.16, 0.12], [0.33, 0.36, 3.17]]];
const SB3 = [-0.32, -1.27, -0.83, -0.83, -0.28, 2.0];
const SX3 = [[-0.22492281694659533, -0.43696476223570385, -0.25730162816915525], [-0.20745806906757033, 0.16561314770556246, 0.7165853044662004]];
const SZA = [[{ re: 2.41, im: 1.79 }, { re: -0.21, im: 1.56 }], [{ re: -0.51, im: -0.49 }, { re: 3.33, im: -0.93 }]];
const SZB = [{ re: 1.54, im: 0.74 }, { re: -0.02, im: -1.71 }];
const SZX = [{ re: 0.31714902871516926, im: -0.07883350111631211 }, { re: 0.17432220184647745, im: -0.43023495909359216 }];
const IA = [[[5.47, -0.75, -0.02, -1.21, -0.32, 1.31], [1.31, 3.89, 1.07, -0.17, -0.51, 0.18], [-1.19, -0.73, 4.83, 1.08, -1.77, 0.93]], [[1.27, -0.22, -1.75, 4.73, -1.02, 0.57], [-0.49, 0.55, -0.97, -0.09, 4.1, 0.52], [-1.19, 1.85, -0.84, -0.78, -0.97, 2.27]]];
const IINV2 = [[[0.1382583976148007, 0.06493106722342086, -0.018634417216049796], [0.028084638781535776, -0.0020366364579674813, -0.08388778771454213]], [[-0.0570698050187432, 0.2244139634492546, -0.03988387191895793], [0.007198415890841014, 0.014279460853821296, 0.026401108077776295]], [[0.017748033077004555, 0.06666351309790601, 0.17132892023249724], [-0.04541252668941239, 0.05194607463695942, -0.0862167709704737]], [[-0.04441299246055066, 0.03260253682387774, 0.058628172329831946], [0.1791992915094918, 0.05654014272974312, -0.05892339522096788]], [[0.012724831005493974, 0.008036952672708694, 0.029847062643562246], [-0.01064405132339733, 0.2390293271076068, -0.0722916692504038]], [[0.11573389083130894, -0.10954832095500316, 0.11903441618493164], [0.049078346223160124, 0.12808540147756536, 0.2919939328702045]]];
const IA1 = [[[5.47, 1.31, -1.19], [1.27, -0.49, -1.19]], [[-0.75, 3.89, -0.73], [-0.22, 0.55, 1.85]], [[-0.02, 1.07, 4.83], [-1.75, -0.97, -0.84]], [[-1.21, -0.17, 1.08], [4.73, -0.09, -0.78]], [[-0.32, -0.51, -1.77], [-1.02, 4.1, -0.97]], [[1.31, 0.18, 0.93], [0.57, 0.52, 2.27]]];
const IINV1 = [[[0.1382583976148007, -0.05706980501874321, 0.017748033077004562, -0.04441299246055065, 0.012724831005493984, 0.11573389083130893], [0.06493106722342083, 0.2244139634492546, 0.06666351309790601, 0.03260253682387773, 0.00803695267270869, -0.10954832095500315], [-0.018634417216049803, -0.03988387191895793, 0.17132892023249724, 0.05862817232983193, 0.02984706264356224, 0.11903441618493166]], [[0.028084638781535772, 0.0071984158908410135, -0.0454125266894124, 0.1791992915094918, -0.01064405132339733, 0.049078346223160124], [-0.0020366364579674787, 0.014279460853821301, 0.0519460746369594, 0.056540142729743115, 0.23902932710760677, 0.1280854014775654], [-0.08388778771454213, 0.026401108077776295, -0.08621677097047371, -0.05892339522096787, -0.0722916692504038, 0.2919939328702045]]];

test('linalg.matrixRank: numpy\'s ranks, its default tolerance S.max max(m, n) eps, tol and rtol, hermitian, batched, jit and vmap', () => {
  const rank = (m: any, o?: any) => linalg.matrixRank(m, o).tolist();
  // exact cases (numpy: 1, 4, 0, 2)
  assert.equal(rank(f64([[1, 2], [2, 4]])), 1);
  assert.equal(rank(np.eye(4, { dtype: 'float64' })), 4);
  assert.equal(rank(np.zeros([3, 3], { dtype: 'float64' })), 0);
  const ir = linalg.matrixRank(np.array([[1, 2, 3, 4], [0, 1, 1, 2], [1, 3, 4, 6]], { dtype: 'int32' }));
  assert.equal(ir.dtype, 'int32'); assert.deepEqual(ir.shape, []); assert.equal(ir.item(), 2);
  // near rank deficiency, and the tolerance's max(m, n): 5e-16 is above 2 eps (a 2 x 2), not above 3 eps (a 3 x 2) (numpy: 2, 1, 1, 2)
  assert.equal(rank(f64([[1, 0], [0, 5e-16]])), 2);
  assert.equal(rank(f64([[1, 0], [0, 4e-16]])), 1);
  assert.equal(rank(f64([[1, 0], [0, 5e-16], [0, 0]])), 1);
  assert.equal(rank(f64([[1, 0], [0, 7e-16], [0, 0]])), 2);
  // float32: eps 2^-23 (numpy: 2, 1)
  assert.equal(rank(np.array([[1, 0], [0, 3e-7]], { dtype: 'float32' })), 2);
  assert.equal(rank(np.array([[1, 0], [0, 2e-7]], { dtype: 'float32' })), 1);
  // batched [2, 2, 3, 3]: identity, a rank-2 matrix, zeros, diag(2, 1e-20, 1) (numpy: [[3, 2], [0, 2]])
  const b = f64([[[[1, 0, 0], [0, 1, 0], [0, 0, 1]], [[1, 2, 3], [2, 4, 6], [1, 1, 1]]], [[[0, 0, 0], [0, 0, 0], [0, 0, 0]], [[2, 0, 0], [0, 1e-20, 0], [0, 0, 1]]]]);
  assert.deepEqual(rank(b), [[3, 2], [0, 2]]);
  // tol (absolute) and rtol (relative to S.max): one per matrix or one for all (numpy: [1, 2], [2, 2], [1, 2], [1, 1], [2, 2], [1, 1])
  const d = f64([[[1, 0], [0, 0.1]], [[1, 0], [0, 0.1]]]);
  assert.deepEqual(rank(d, { tol: [0.5, 1e-20] }), [1, 2]);
  assert.deepEqual(rank(d, { tol: 0.05 }), [2, 2]);
  assert.deepEqual(rank(d, { rtol: f64([0.5, 0.01]) }), [1, 2]);
  assert.deepEqual(rank(d, { rtol: 0.2 }), [1, 1]);
  assert.deepEqual(rank(np.multiply(d, 3), { tol: 0.2 }), [2, 2]);
  assert.deepEqual(rank(np.multiply(d, 3), { rtol: 0.2 }), [1, 1]);
  // hermitian: |eigenvalues| stand for the singular values (numpy: 2, 1, 1, 2; and 1 by the SVD)
  assert.equal(rank(f64([[1, 2], [2, 1]]), { hermitian: true }), 2);
  assert.equal(rank(f64([[1, 1], [1, 1]]), { hermitian: true }), 1);
  assert.equal(rank(f64([[2, 0], [0, -1e-3]]), { hermitian: true, tol: 1e-2 }), 1);
  assert.equal(rank(f64([[2, 0], [0, -1e-3]]), { hermitian: true, tol: 1e-4 }), 2);
  assert.equal(rank(f64([[2, 0], [0, -1e-3]]), { tol: 1e-2 }), 1);
  // 1-d and 0-d: 1 unless all zero (numpy: 0, 1, 0, 1)
  assert.equal(rank(f64([0, 0, 0])), 0); assert.equal(rank(f64([0, 1])), 1);
  assert.equal(rank(f64(0)), 0); assert.equal(rank(f64(2)), 1);
  // complex: [[1, i], [i, -1]] has row 2 = i row 1 (numpy: 1, 2)
  assert.equal(rank(c128([[1, { re: 0, im: 1 }], [{ re: 0, im: 1 }, -1]])), 1);
  assert.equal(rank(c128([[1, { re: 0, im: 1 }], [{ re: 0, im: 1 }, 1]])), 2);
  // empty matrices have rank 0 (numpy: 0, [0, 0])
  assert.equal(rank(np.zeros([0, 3], { dtype: 'float64' })), 0);
  assert.deepEqual(rank(np.zeros([2, 3, 0], { dtype: 'float64' })), [0, 0]);
  // jit and vmap give the eager ranks; under grad the rank is a constant (f = rank * sum(x): grad = rank)
  assert.deepEqual(jit((m: NDArray) => linalg.matrixRank(m))(b).tolist(), [[3, 2], [0, 2]]);
  assert.deepEqual(vmap((m: NDArray) => linalg.matrixRank(m))(np.reshape(b, [4, 3, 3])).tolist(), [3, 2, 0, 2]);
  assert.deepEqual(vmap((m: NDArray, t: NDArray) => linalg.matrixRank(m, { tol: t }))(d, f64([0.5, 1e-20])).tolist(), [1, 2]);
  const g = grad((x: NDArray) => np.multiply(np.sum(x), np.astype(linalg.matrixRank(x), 'float64')))(f64([[1, 2], [2, 4]]));
  assert.deepEqual(g.tolist(), [[1, 1], [1, 1]]);
  // errors
  assert.throws(() => linalg.matrixRank(d, { tol: 0.1, rtol: 0.1 }), (e: Error) => e instanceof ValueError && /linalg\.matrixRank: tol and rtol cannot both be given/.test(e.message));
  assert.throws(() => linalg.matrixRank(d, 0.1 as any), (e: Error) => e instanceof ValueError && /linalg\.matrixRank: options must be an object.*tol in numpy but rtol in jnp/.test(e.message));
  assert.throws(() => linalg.matrixRank(f64([[1, 2, 3], [4, 5, 6]]), { hermitian: true }), (e: Error) => e instanceof ShapeError && /linalg\.matrixRank: M must be square.*\[2,3\]/.test(e.message));
  assert.throws(() => linalg.matrixRank(d, { tol: [1, 2, 3] }), (e: Error) => e instanceof ShapeError && /linalg\.matrixRank/.test(e.message));
  assert.throws(() => linalg.matrixRank(d, { atol: 1 } as any), (e: Error) => e instanceof ValueError && /unknown option 'atol'/.test(e.message));
});

test('linalg.multiDot: numpy\'s products (1-d first and last, complex, an Array of matrices), the matrix-chain order, derivatives, jit and vmap', () => {
  const [A, B, C, D, v1, v2] = [MA, MB, MC, MD, MV1, MV2].map(f64);
  close(linalg.multiDot([A, B, C, D]), MD_ABCD, 1e-14, 'ABCD');
  const s = linalg.multiDot([v1, A, B, C, D, v2]);
  assert.deepEqual(s.shape, []); close(s, MD_vBCDv, 1e-14, 'vABCDv');
  close(linalg.multiDot([v1, A]), MD_vA, 1e-14, 'vA');
  const AtAv = linalg.multiDot([np.transpose(A), A, f64([1, -0.5, 0.25, 2])]);
  assert.deepEqual(AtAv.shape, [4]); close(AtAv, MD_AtAv, 1e-14, 'AtAv');
  close(linalg.multiDot([c128(MZ1), c128(MZ2), c128(MZ3)]), MZ_prod, 1e-14, 'complex');
  assert.deepEqual(linalg.multiDot(f64([[[1, 2], [3, 4]], [[0, 1], [1, 0]], [[2, 0], [0, 3]]])).tolist(), [[4, 3], [8, 9]]); // (numpy's, of the Array's slices)
  // the order: dimensions 10, 30, 5, 60, 10 are multiplied (AB)(CD) (numpy's split at 1); 50, 5, 100, 10 as A(BC)
  const ones = (r: number, c: number) => np.ones([r, c], { dtype: 'float64' });
  const j4 = String(makeJaxpr((a: NDArray, b: NDArray, c: NDArray, e: NDArray) => linalg.multiDot([a, b, c, e]))(ones(10, 30), ones(30, 5), ones(5, 60), ones(60, 10)));
  assert.ok(/f64\[10,5\]/.test(j4) && /f64\[5,10\]/.test(j4) && !/f64\[10,60\]/.test(j4) && !/f64\[30,60\]/.test(j4), j4);
  const j3 = String(makeJaxpr((a: NDArray, b: NDArray, c: NDArray) => linalg.multiDot([a, b, c]))(ones(50, 5), ones(5, 100), ones(100, 10)));
  assert.ok(/f64\[5,10\]/.test(j3) && !/f64\[50,100\]/.test(j3), j3);
  const j3b = String(makeJaxpr((a: NDArray, b: NDArray, c: NDArray) => linalg.multiDot([a, b, c]))(ones(10, 100), ones(100, 5), ones(5, 50)));
  assert.ok(/f64\[10,5\]/.test(j3b) && !/f64\[100,50\]/.test(j3b), j3b);
  // derivatives
  checkGrads((a: NDArray, b: NDArray, c: NDArray) => linalg.multiDot([a, b, c]), [A, B, C], { order: 2 });
  checkGrads((u: NDArray, a: NDArray, b: NDArray, w: NDArray) => linalg.multiDot([u, a, b, w]), [v1, A, B, f64([0.5, -1])], { order: 2 });
  checkGrads((a: NDArray, b: NDArray, c: NDArray) => linalg.multiDot([a, b, c]), [c128(MZ1), c128(MZ2), c128(MZ3)], { order: 2 });
  // jit and vmap equal eager
  close(jit((a: NDArray, b: NDArray, c: NDArray, e: NDArray) => linalg.multiDot([a, b, c, e]))(A, B, C, D), MD_ABCD, 1e-14, 'jit');
  const batched = vmap((a: NDArray) => linalg.multiDot([a, B, C, D]))(np.stack([A, np.multiply(A, 2)]));
  close(batched, [MD_ABCD, MD_ABCD.map((r) => r.map((x) => 2 * x))], 1e-14, 'vmap');
  // errors
  assert.throws(() => linalg.multiDot([A]), (e: Error) => e instanceof ValueError && /linalg\.multiDot: needs at least two arrays, got 1/.test(e.message));
  assert.throws(() => linalg.multiDot([A, np.ones([4, 2, 2]), C]), (e: Error) => e instanceof ShapeError && /array 1 must be 2-d, got .*\[4,2,2\]/.test(e.message));
  assert.throws(() => linalg.multiDot([np.ones([2, 3, 4]), B]), (e: Error) => e instanceof ShapeError && /array 0 must be 1-d or 2-d/.test(e.message));
  assert.throws(() => linalg.multiDot([A, C, D]), (e: Error) => e instanceof ShapeError && /arrays 0 .*\[3,4\].* and 1 .*\[2,5\].* do not chain \(4 != 2\)/.test(e.message));
  assert.throws(() => linalg.multiDot(A as any), (e: Error) => e instanceof ShapeError && /array 1 must be 2-d, got float64\[4\]/.test(e.message)); // (an Array is its rows: three vectors)
});

test('linalg.vectorNorm: numpy\'s vector_norm over any axes, every ord, keepdims, complex; derivatives', () => {
  const X = f64(VX);
  close(linalg.vectorNorm(X), VN_all, 1e-14, 'all');
  close(linalg.vectorNorm(X, { axis: [1, 2] }), VN_12, 1e-14, 'axes 1, 2');
  const k = linalg.vectorNorm(X, { ord: 1, axis: 0, keepdims: true });
  assert.deepEqual(k.shape, [1, 3, 4]); close(k, VN_1_0_keep, 1e-14, 'ord 1 keepdims');
  close(linalg.vectorNorm(X, { ord: Infinity, axis: -1 }), VN_inf_m1, 1e-15, 'inf');
  close(linalg.vectorNorm(X, { ord: -Infinity, axis: 1 }), VN_ninf_1, 1e-15, '-inf');
  close(linalg.vectorNorm(f64([[0, 1, 2], [0, 0, 3]]), { ord: 0, axis: 1 }), VN_0, 0, 'ord 0');
  close(linalg.vectorNorm(X, { ord: 3, axis: [0, 2] }), VN_3_02, 1e-14, 'ord 3');
  close(linalg.vectorNorm(X, { ord: -1, axis: 2 }), VN_m1_2, 1e-14, 'ord -1');
  assert.deepEqual(linalg.vectorNorm(X, { keepdims: true }).shape, VN_keep_all);
  const z = linalg.vectorNorm(c128(VZ), { axis: 1 });
  assert.equal(z.dtype, 'float64'); close(z, VZ_n, 1e-14, 'complex');
  assert.equal(linalg.vectorNorm(np.array([3, 4], { dtype: 'int32' })).dtype, 'float32'); // (jnp's: integers in float32)
  checkGrads((x: NDArray) => linalg.vectorNorm(x, { axis: [1, 2] }), [X], { order: 2 });
  checkGrads((x: NDArray) => linalg.vectorNorm(x, { ord: 3, axis: [0, 2] }), [X], { order: 2 });
  checkGrads((x: NDArray) => linalg.vectorNorm(x, { axis: 1 }), [c128(VZ)], { order: 2 });
  close(jit((x: NDArray) => linalg.vectorNorm(x, { axis: [1, 2] }))(X), VN_12, 1e-14, 'jit');
  close(vmap((x: NDArray) => linalg.vectorNorm(x))(X), VN_12, 1e-14, 'vmap');
  assert.throws(() => linalg.vectorNorm(X, { ord: 'fro' as any }), (e: Error) => e instanceof ValueError && /linalg\.vectorNorm: ord must be a number/.test(e.message));
  assert.throws(() => linalg.vectorNorm(X, { axis: 3 }), (e: Error) => e instanceof AxisError && /linalg\.vectorNorm/.test(e.message));
});

test('linalg.matrixNorm: numpy\'s matrix_norm for every ord (default fro), keepdims, batched, complex; derivatives', () => {
  const X = f64(NX);
  const want: [any, number[]][] = [['fro', NN_fro], ['nuc', NN_nuc], [1, NN_1], [-1, NN_m1], [2, NN_2], [-2, NN_m2], [Infinity, NN_inf], [-Infinity, NN_minf]];
  for (const [ord, w] of want) close(linalg.matrixNorm(X, { ord }), w, 1e-13, `ord ${ord}`);
  close(linalg.matrixNorm(X), NN_fro, 1e-14, 'default');
  const k = linalg.matrixNorm(X, { ord: 'nuc', keepdims: true });
  assert.deepEqual(k.shape, [2, 1, 1]); close(k, NN_nuc, 1e-13, 'keepdims');
  close(linalg.matrixNorm(f64([[1, 2, 0, -1], [0.5, -1, 3, 2]]), { ord: 2 }), NN_rect, 1e-13, 'rectangular');
  close(linalg.matrixNorm(c128(NZ)), NZ_fro, 1e-14, 'complex fro');
  close(linalg.matrixNorm(c128(NZ), { ord: 'nuc' }), NZ_nuc, 1e-13, 'complex nuc');
  for (const ord of ['fro', 'nuc', 2, 1, Infinity] as const) checkGrads((x: NDArray) => linalg.matrixNorm(x, { ord }), [X], { order: 2 });
  checkGrads((x: NDArray) => linalg.matrixNorm(x), [c128(NZ)], { order: 2 });
  checkGrads((x: NDArray) => linalg.matrixNorm(x, { ord: 'nuc' }), [c128(NZ)], { order: 2 });
  close(jit((x: NDArray) => linalg.matrixNorm(x, { ord: 2 }))(X), NN_2, 1e-13, 'jit');
  close(vmap((x: NDArray) => linalg.matrixNorm(x, { ord: 'nuc' }))(X), NN_nuc, 1e-13, 'vmap');
  assert.throws(() => linalg.matrixNorm(f64([1, 2])), (e: Error) => e instanceof ShapeError && /linalg\.matrixNorm: x must have at least 2 dimensions/.test(e.message));
  assert.throws(() => linalg.matrixNorm(X, { ord: 3 as any }), (e: Error) => e instanceof ValueError && /linalg\.matrixNorm: invalid matrix norm order 3/.test(e.message));
  assert.throws(() => linalg.matrixNorm(X, { axis: 0 } as any), (e: Error) => e instanceof ValueError && /unknown option 'axis'/.test(e.message));
});

test('linalg.cross: numpy\'s cross of 3-vectors along axis, broadcast, complex; 2-vectors refused; derivatives', () => {
  close(linalg.cross(f64(CX), f64(CY)), CR, 1e-14, 'broadcast');
  close(linalg.cross(f64(CA), f64(CB), { axis: 0 }), CR0, 1e-14, 'axis 0');
  close(linalg.cross(c128(CZ1), c128(CZ2)), CRZ, 1e-14, 'complex');
  checkGrads((a: NDArray, b: NDArray) => linalg.cross(a, b), [f64(CX), f64(CY)], { order: 2 });
  checkGrads((a: NDArray, b: NDArray) => linalg.cross(a, b, { axis: 0 }), [f64(CA), f64(CB)], { order: 2 });
  checkGrads((a: NDArray, b: NDArray) => linalg.cross(a, b), [c128(CZ1), c128(CZ2)], { order: 2 });
  close(jit((a: NDArray, b: NDArray) => linalg.cross(a, b))(f64(CX), f64(CY)), CR, 1e-14, 'jit');
  close(vmap((a: NDArray) => linalg.cross(a, f64(CY)))(f64(CX)), CR, 1e-14, 'vmap');
  assert.throws(() => linalg.cross(f64([1, 2]), f64([3, 4])), (e: Error) => e instanceof ShapeError && /linalg\.cross: x1 must have 3 components along axis -1, got .*\[2\]/.test(e.message));
  assert.throws(() => linalg.cross(f64(CA), f64(CB)), (e: Error) => e instanceof ShapeError && /x1 must have 3 components/.test(e.message));
  assert.throws(() => linalg.cross(f64(CY), f64(CY), { axis: 1 }), (e: Error) => e instanceof AxisError && /linalg\.cross: axis 1 is out of bounds for x1 of rank 1/.test(e.message));
});

test('linalg.outer: numpy\'s outer of 1-d arrays, complex; others refused; derivatives', () => {
  close(linalg.outer(f64(OA), f64(OB)), OR, 1e-15, 'real');
  close(linalg.outer(c128(OZ1), c128(OZ2)), ORZ, 1e-14, 'complex');
  checkGrads((a: NDArray, b: NDArray) => linalg.outer(a, b), [f64(OA), f64(OB)], { order: 2 });
  checkGrads((a: NDArray, b: NDArray) => linalg.outer(a, b), [c128(OZ1), c128(OZ2)], { order: 2 });
  close(vmap((b: NDArray) => linalg.outer(f64(OA), b))(f64([OB, OB])), [OR, OR], 1e-15, 'vmap');
  assert.throws(() => linalg.outer(f64([[1, 2]]), f64(OB)), (e: Error) => e instanceof ShapeError && /linalg\.outer: x1 and x2 must be 1-d, got .*\[1,2\]/.test(e.message));
});

test('linalg.diagonal and linalg.trace: numpy\'s over the last two axes at every offset; dtype; jnp\'s int32; derivatives', () => {
  const X = f64(TX);
  const cases: [number, unknown, number[]][] = [[0, DG_0, TR_0], [1, DG_1, TR_1], [-1, DG_m1, TR_m1], [3, DG_3, TR_3], [-3, DG_m3, TR_m3]];
  for (const [offset, dg, tr] of cases) {
    const g = linalg.diagonal(X, { offset });
    assert.deepEqual(g.tolist(), dg, `diagonal ${offset}`);
    close(linalg.trace(X, { offset }), tr, 1e-15, `trace ${offset}`);
  }
  assert.deepEqual(linalg.diagonal(X, { offset: -3 }).shape, [2, 0]);
  assert.deepEqual(linalg.diagonal(X).tolist(), DG_0);
  // int32 stays int32 (jnp's; numpy's is int64), bool counts in int32
  const ti = linalg.trace(np.reshape(np.arange(24, { dtype: 'int32' }), [2, 3, 4]));
  assert.equal(ti.dtype, 'int32'); assert.deepEqual(ti.tolist(), TRI);
  const tb = linalg.trace(np.array([[true, false], [true, true]]));
  assert.equal(tb.dtype, 'int32'); assert.equal(tb.item(), 2);
  // dtype: the diagonal cast first (numpy: 0.7999999895691872 from float32 0.1 + 0.7, 0.800000011920929 in float32)
  const t32 = np.array([[0.1, 0.2], [0.3, 0.7]], { dtype: 'float32' });
  const t64 = linalg.trace(t32, { dtype: 'float64' });
  assert.equal(t64.dtype, 'float64'); assert.equal(t64.item(), TR32_64);
  assert.equal(linalg.trace(t32).item(), TR32);
  close(linalg.trace(c128(TZ)), TRZ, 1e-15, 'complex');
  checkGrads((x: NDArray) => linalg.trace(x, { offset: 1 }), [X], { order: 2 });
  checkGrads((x: NDArray) => linalg.diagonal(x, { offset: -1 }), [X], { order: 2 });
  checkGrads((x: NDArray) => linalg.trace(x), [c128(TZ)], { order: 2 });
  checkGrads((x: NDArray) => linalg.diagonal(x), [c128(TZ)], { order: 2 });
  close(jit((x: NDArray) => linalg.trace(x, { offset: 1 }))(X), TR_1, 1e-15, 'jit');
  close(vmap((x: NDArray) => linalg.diagonal(x, { offset: 1 }))(X), DG_1, 0, 'vmap');
  assert.throws(() => linalg.trace(f64([1, 2])), (e: Error) => e instanceof ShapeError && /linalg\.trace: x must have at least 2 dimensions/.test(e.message));
  assert.throws(() => linalg.diagonal(f64([1, 2])), (e: Error) => e instanceof ShapeError && /linalg\.diagonal: x must have at least 2 dimensions/.test(e.message));
  assert.throws(() => linalg.diagonal(X, { offset: 0.5 }), (e: Error) => e instanceof ValueError && /linalg\.diagonal: offset must be an integer, got 0\.5/.test(e.message));
  assert.throws(() => linalg.trace(X, { axis1: 0 } as any), (e: Error) => e instanceof ValueError && /linalg\.trace: unknown option 'axis1'/.test(e.message));
});

test('linalg.matmul, linalg.matrixTranspose, linalg.tensordot: numpy\'s values, broadcasting, vectors; derivatives; errors', () => {
  const P = f64(PA), Q = f64(PB), v = f64(PV);
  const m = linalg.matmul(P, Q);
  assert.deepEqual(m.shape, [2, 5, 3, 2]); close(m, PM, 1e-14, 'broadcast');
  close(linalg.matmul(P, v), PMv, 1e-14, 'matrix vector');
  close(linalg.matmul(v, Q), PvM, 1e-14, 'vector matrix');
  checkGrads((a: NDArray, b: NDArray) => linalg.matmul(a, b), [P, Q], { order: 2 });
  checkGrads((a: NDArray, b: NDArray) => linalg.matmul(a, b), [c128(MZ1), c128(MZ2)], { order: 2 });
  close(jit((a: NDArray, b: NDArray) => linalg.matmul(a, b))(P, Q), PM, 1e-14, 'jit');
  assert.throws(() => linalg.matmul(P, 2), (e: Error) => e instanceof ShapeError && /linalg\.matmul: x1 and x2 must not be scalars/.test(e.message));
  assert.throws(() => linalg.matmul(P, np.ones([3, 2])), (e: Error) => e instanceof ShapeError && /linalg\.matmul: x1 .*\[2,1,3,4\].* and x2 .*\[3,2\].* do not contract \(4 != 3\)/.test(e.message));
  assert.throws(() => linalg.matmul(np.ones([2, 3, 4]), np.ones([3, 4, 2])), (e: Error) => e instanceof ShapeError && /linalg\.matmul/.test(e.message));
  const X = f64(TX);
  assert.deepEqual(linalg.matrixTranspose(X).tolist(), MT);
  checkGrads((x: NDArray) => linalg.matrixTranspose(x), [X], { order: 2 });
  assert.throws(() => linalg.matrixTranspose(f64([1, 2])), (e: Error) => e instanceof ShapeError && /linalg\.matrixTranspose: x must have at least 2 dimensions/.test(e.message));
  const a = f64(GA), b = f64(GB);
  close(linalg.tensordot(a, b), GD2, 1e-14, 'axes 2');
  close(linalg.tensordot(a, b, { axes: [[1], [0]] }), GD1, 1e-14, 'axes pair');
  checkGrads((x: NDArray, y: NDArray) => linalg.tensordot(x, y, { axes: [[1], [0]] }), [a, b], { order: 2 });
});

test('linalg.vecdot: numpy\'s vecdot (x1 conjugated) along axis, broadcast; derivatives; errors', () => {
  const z = linalg.vecdot(c128(DA), c128(DB));
  assert.deepEqual(z.shape, [2]); close(z, VD, 1e-14, 'complex');
  close(linalg.vecdot(f64(RA), f64(RB), { axis: 0 }), VD0, 1e-14, 'axis 0, broadcast');
  checkGrads((a: NDArray, b: NDArray) => linalg.vecdot(a, b, { axis: 0 }), [f64(RA), f64(RB)], { order: 2 });
  // (not holomorphic in x1: checked by the real-valued derivatives of its real and imaginary parts)
  checkGrads((a: NDArray, b: NDArray) => np.real(linalg.vecdot(a, b)), [c128(DA), c128(DB)], { order: 2 });
  checkGrads((a: NDArray, b: NDArray) => np.imag(linalg.vecdot(a, b)), [c128(DA), c128(DB)], { order: 2 });
  close(jit((a: NDArray, b: NDArray) => linalg.vecdot(a, b))(c128(DA), c128(DB)), VD, 1e-14, 'jit');
  close(vmap((a: NDArray) => linalg.vecdot(a, c128(DB)))(c128(DA)), VD, 1e-14, 'vmap');
  assert.throws(() => linalg.vecdot(f64(RA), f64(RB)), (e: Error) => e instanceof ShapeError && /linalg\.vecdot: x1 .*\[3,2\].* and x2 .*\[3,1\].* differ along axis -1 \(2 != 1\)/.test(e.message));
  assert.throws(() => linalg.vecdot(f64(RA), f64(RB), { axis: 2 }), (e: Error) => e instanceof AxisError && /linalg\.vecdot: axis 2 is out of bounds for x1 of rank 2/.test(e.message));
});

test('linalg.tensorsolve and linalg.tensorinv: numpy\'s solutions and inverses, axes and ind, complex; derivatives; errors', () => {
  const A = f64(SA), b = f64(SB);
  const x = linalg.tensorsolve(A, b);
  assert.deepEqual(x.shape, [6]); close(x, SX, 1e-13, 'tensorsolve');
  close(linalg.tensorsolve(f64(SA2), b, { axes: [0] }), SX2, 1e-13, 'axes');
  close(linalg.tensorsolve(f64(SA2), b, [0]), SX2, 1e-13, 'positional axes');
  const x3 = linalg.tensorsolve(f64(SA3), f64(SB3));
  assert.deepEqual(x3.shape, [2, 3]); close(x3, SX3, 1e-13, 'tensorsolve to [2, 3]');
  close(linalg.tensorsolve(c128(SZA), c128(SZB)), SZX, 1e-13, 'complex');
  checkGrads((a: NDArray, y: NDArray) => linalg.tensorsolve(a, y), [A, b], { order: 2 });
  checkGrads((a: NDArray, y: NDArray) => linalg.tensorsolve(a, y), [f64(SA3), f64(SB3)], { order: 2 });
  checkGrads((a: NDArray, y: NDArray) => linalg.tensorsolve(a, y), [c128(SZA), c128(SZB)], { order: 2 });
  close(jit((a: NDArray, y: NDArray) => linalg.tensorsolve(a, y))(A, b), SX, 1e-13, 'jit');
  close(vmap((y: NDArray) => linalg.tensorsolve(A, y))(np.stack([b, b])), [SX, SX], 1e-13, 'vmap');
  // jnp's rule: b's shape is a's leading axes (numpy accepts equal sizes: a [3, 2, 6] with b [2, 3])
  assert.throws(() => linalg.tensorsolve(np.reshape(A, [3, 2, 6]), b), (e: Error) => e instanceof ShapeError && /linalg\.tensorsolve: b's shape must match a's leading axes.*\[3,2,6\].*\[2,3\]/.test(e.message));
  assert.throws(() => linalg.tensorsolve(np.ones([2, 3, 4]), b), (e: Error) => e instanceof ShapeError && /a's trailing axes \[4\] must hold as many entries as b \(6\)/.test(e.message));
  assert.throws(() => linalg.tensorsolve(A, b, { axes: [3] }), (e: Error) => e instanceof AxisError && /linalg\.tensorsolve: axis 3 is out of bounds for a of rank 3/.test(e.message));
  const I = f64(IA);
  const i2 = linalg.tensorinv(I);
  assert.deepEqual(i2.shape, [6, 2, 3]); close(i2, IINV2, 1e-13, 'tensorinv ind 2');
  const i1 = linalg.tensorinv(f64(IA1), { ind: 1 });
  assert.deepEqual(i1.shape, [2, 3, 6]); close(i1, IINV1, 1e-13, 'tensorinv ind 1');
  close(linalg.tensorinv(f64(IA1), 1), IINV1, 1e-13, 'positional ind');
  checkGrads((a: NDArray) => linalg.tensorinv(a), [I], { order: 2 });
  checkGrads((a: NDArray) => linalg.tensorinv(a, 1), [c128(SZA)], { order: 2 });
  close(jit((a: NDArray) => linalg.tensorinv(a))(I), IINV2, 1e-13, 'jit');
  assert.throws(() => linalg.tensorinv(I, 0), (e: Error) => e instanceof ValueError && /linalg\.tensorinv: ind must be a positive integer, got 0/.test(e.message));
  assert.throws(() => linalg.tensorinv(I, 1), (e: Error) => e instanceof ShapeError && /product of a's first 1 axes \[2\] must equal that of the others \[3,6\]/.test(e.message));
});
