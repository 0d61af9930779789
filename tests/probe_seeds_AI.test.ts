// helper-259: independent ports of the users' seed programs (/work/shared/seeds), written from the
// seed text (not from examples/), checked against numpy float64 references pasted as literals.
// References: /tmp/helper-259/sk_ref.py (Sinkhorn divergence at the seed's sample(15, 17, 3) sizes,
// data from numpy default_rng(0); HVPs by Richardson-extrapolated central differences of the
// converged Danskin gradient, itself checked against central differences of forward values to 2e-11)
// and /tmp/helper-259/po_ref.py (jaxopt's perturbed argmax / ranking on a deterministic Kronecker-
// sequence Gumbel noise that both sides generate by the same formula: the estimator on the same draws).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, random, grad, jvp, vjp, jit, hessian, jacrev, jacfwd, customJvp, vmap, hutchinson, divergence, NDArray } from '../ts/index.ts';

type A = NDArray;
const maxDiff = (got: A | number, want: number[]) => {
  const g = typeof got === 'number' ? [got] : Array.from(got.dataSync() as ArrayLike<number>, Number);
  assert.equal(g.length, want.length);
  return Math.max(...want.map((w, i) => Math.abs(g[i] - w)));
};
const close = (label: string, got: A | number, want: number[], tol: number) => {
  const d = maxDiff(got, want);
  assert.ok(d <= tol, `${label}: max |diff| ${d} > ${tol}`);
};
const f64 = (v: number[], shape: number[]) => np.reshape(np.array(v, { dtype: 'float64' }), shape);

// ------------------------------------------------------------ OTT: Sinkhorn divergence Hessians
const SK = {
  x: [0.6369616873214543, 0.2697867137638703, 0.04097352393619469, 0.016527635528529094, 0.8132702392002724, 0.9127555772777217, 0.6066357757671799, 0.7294965609839984, 0.5436249914654229, 0.9350724237877682, 0.8158535541215322, 0.002738500170148095, 0.8574042765875693, 0.033585575305464355, 0.7296554464299441, 0.17565562060255901, 0.8631789223498866, 0.5414612202490917, 0.2997118905373848, 0.42268722119765845, 0.028319671145462966, 0.12428327649956394, 0.6706244146936303, 0.6471895115742501, 0.6153851114812539, 0.38367755426188344, 0.997209935789211, 0.9808353387762301, 0.6855419844806947, 0.6504592762678163, 0.6884467305709401, 0.3889214239791038, 0.13509650502241122, 0.7214883401940817, 0.5253543224757259, 0.31024187555895566, 0.4858353588317891, 0.8894878343490003, 0.9340435159562497, 0.35779519670907023, 0.5715298307297609, 0.32186939107594215, 0.5943000301996968, 0.33791122550713326, 0.39161900052816123],
  y: [0.8902743520047923, 0.22715759353337972, 0.6231871446860424, 0.08401534358238483, 0.8326441476533978, 0.7870983074886834, 0.23936944299295215, 0.8764842308107038, 0.05856803480519435, 0.3361170605456604, 0.15027946689483906, 0.450339366649287, 0.7963242702872942, 0.23064220899374743, 0.05202130106440961, 0.4045518398215282, 0.19851304450925533, 0.0907530456191219, 0.5803323859868507, 0.2986961328189226, 0.6719948779563594, 0.1995154439682133, 0.9421131105064978, 0.36511016824482856, 0.10549527957022953, 0.6291081515397092, 0.9271545530678674, 0.440377154715784, 0.9545904936907372, 0.499895813687647, 0.42522862484907553, 0.6202134520153778, 0.9950965052353241, 0.9489436749377653, 0.4600451393090961, 0.7577288453082914, 0.49742269548761897, 0.5293121601967704, 0.7857857007138075, 0.4146558493556708, 0.7344835717887294, 0.7111428779897498, 0.9320596866133782, 0.1149326332809052, 0.7290151170763094, 0.9274239286245599, 0.9679261899246464, 0.014706304965369288, 0.8636400902455758, 0.9811950400663443, 0.9572101796109636],
  a: [0.024064934589057105, 0.10376397297717813, 0.09576439205173778, 0.08922860516390435, 0.056106875442392304, 0.03215309360269625, 0.08724612912945182, 0.09901426707210266, 0.035418712597193966, 0.061809240766527586, 0.05250482660285498, 0.09973855963571897, 0.013592726067833691, 0.08048662061879115, 0.06910704368255927],
  b: [0.013434490517991778, 0.08573808254632503, 0.01213948785228638, 0.08979162405580145, 0.06413023676753463, 0.10770421510581145, 0.017381898345170996, 0.0985165901736085, 0.017445479473728452, 0.046500691148382116, 0.05550012092246064, 0.11157215891699747, 0.06930800529615223, 0.03755812925031785, 0.03575917177635204, 0.10341470378563535, 0.034104914065443734],
  eps: 0.02694883258258454,
  div: 0.08406223058388662,
  gradX: [0.0027083288710305214, 0.004909533416254363, 0.0002953902230590265, -0.027634502727777482, 0.009791622163974112, 0.012798718141586424, 0.02123242650540977, -0.005719231216634202, -0.026470770773111857, 0.0013544490523038633, -0.02715333035749004, -0.0021221873087058107, -0.0071302569788050385, -0.017591179258425002, 0.002117450057974382, -0.0032022673362928755, -0.007846841989034022, 0.012202603039206193, -0.01697142696045504, 0.03686054281118527, -0.011302442990648403, -0.03381343606430584, -0.017653222124544093, -0.002793190661357442, 0.010060866837865862, -0.013993758500065116, 0.005832048373442186, 0.006459566285928045, 0.011262719640674532, -0.019699587209580108, -0.004216478316151212, 0.017203642969475335, 0.009970747615054173, -0.027058555482257995, 0.0034788258438211705, -0.0492862097101192, -0.008198093501817789, -0.0007955202616734026, -0.0007806245108709919, 0.014274392976084703, -0.017686813781555705, -0.00877337275576217, 0.033357424756559666, 0.026671859115011586, -0.014452630338617711],
  V1: [-1.4227417685154136, 0.25845279091298756, -0.5685494541476426, -1.0298044380114637, -1.0430010800715654, 0.26841707970891465, 0.35867194917034445, 1.3224574697668332, -0.013914668524093734, 1.0418397592128221, 1.4022648267725224, 1.1501656361496921, -2.3653039062769743, 1.228683719203421, 0.33962000824864264, 0.42377135285334727, 0.37122741773625884, 0.3827571602707609, 0.3194142202523809, -0.35891330853862047, -1.9016352983759945, -0.10891472790742324, -0.8037318485206766, 1.0801634125378852, -0.2887665059953775, 0.08347535610700986, -0.8496059556101431, -0.5106224678981267, -0.011533061686586776, -1.4853751842635452, 0.3006851142946058, -0.10607225344775092, -1.1857198050052338, -2.3982328653977714, 0.513052133880305, -0.29758403894333035, -0.5300084132181584, -0.23615462985294203, 1.816475940881144, -0.049800969059643194, 0.08661926298854213, -1.487072869675398, 1.6473390663560998, 0.9174879834442943, 1.066934867005179],
  HV1: [0.06938457044926526, 0.022153415612360366, -0.0552444380568927, -0.16022754823783714, -0.2502224750610775, 0.07284053815508525, -0.18097464175940062, -0.2936897700564027, 0.03380015447691324, 0.18620762845140504, 0.25080593860059747, 0.2046188649109152, -0.2715760887634505, 0.12530221586143134, 0.030927731555635548, 0.05250024649313886, 0.06470682096173842, 0.015177533151314081, 0.04128554585384794, -0.016394302003337285, -0.32351301953761963, -0.35540129179426977, 0.2569398126948952, -0.3226971544950663, -0.09520938484668579, 0.04660291058229681, 0.023605303123864583, -0.13120771826605668, 0.38112882538484283, -0.03860235486090324, -0.20833936994294844, -0.026617084310752433, -0.13213108652328798, 0.17313514654379578, 0.09194216410666568, 0.1445212280765107, -0.013466347748607279, -0.004866030228409257, 0.04865555691717486, 0.2265075931619925, -0.29518233612263006, -3.246198420024197e-05, 0.11067521641227918, 0.11689246494399456, 0.0036012123997541013],
  U: [0.05285812113286707, -0.5011286296175356, -0.8075472835300791, 3.1261062198405205, -0.017275578932592454, -1.9565912094416216, -0.5885311271117111, 0.7381092079156206, -0.43993895239312464, 1.420515683276881, 1.0624677536355813, -0.09226915503261221, -0.4121464619844198, -0.9447315262360729, -0.6398970615217011],
  HaU: [1.5688793615266874, -3.041424688812416, -2.1119514156826105, 8.976118690769237, 2.1249558519635823, -4.241998829096154, 0.4266010276559958, -2.8692135606514944, -2.4131955725607797, 2.128233093742173, 2.201725547061355, 2.588080975770757, -0.5818654452514392, -2.967573680183948, -1.7873713562509466], // projected to sum zero
  gaU: -0.37319669501975844,
};

test('seed 000 (OTT): Sinkhorn divergence at sample(15, 17, 3), its gradient and Hessian-vector products match numpy', () => {
  const n = 15, m = 17, dim = 3, iters = 400, eps = SK.eps;
  const x = f64(SK.x, [n, dim]), y = f64(SK.y, [m, dim]), a = f64(SK.a, [n]), b = f64(SK.b, [m]);
  const cost = (u: A, v: A) => np.sum(np.square(np.subtract(np.expandDims(u, 1), np.expandDims(v, 0))), { axis: -1 });
  // h_j = -eps log sum_i w_i exp((p_i - C_ij) / eps)
  const softmin = (lw: A, p: A, C: A) => np.multiply(-eps, np.logsumexp(np.add(np.expandDims(lw, 1), np.divide(np.subtract(np.expandDims(p, 1), C), eps)), { axis: 0 }));
  const plan = (wa: A, wb: A, f: A, g: A, C: A) => np.multiply(np.outer(wa, wb), np.exp(np.divide(np.subtract(np.add(np.expandDims(f, 1), np.expandDims(g, 0)), C), eps)));
  const otXY = (a: A, x: A) => {
    const C = cost(x, y), la = np.log(a), lb = np.log(b), Ct = np.transpose(C);
    const f = lax.foriLoop(0, iters, (_i: number, f: A) => softmin(lb, softmin(la, f, C), Ct), np.zerosLike(a));
    const g = softmin(la, f, C);
    return np.subtract(np.add(np.vdot(a, f), np.vdot(b, g)), np.multiply(eps, np.subtract(np.sum(plan(a, b, f, g, C)), np.multiply(np.sum(a), np.sum(b)))));
  };
  const otSym = (a: A, x: A) => { // Feydy et al.'s averaged update, as OTT's symmetric_sinkhorn
    const C = cost(x, x), la = np.log(a);
    const f = lax.foriLoop(0, iters, (_i: number, f: A) => np.multiply(0.5, np.add(f, softmin(la, f, C))), np.zerosLike(a));
    return np.subtract(np.multiply(2, np.vdot(a, f)), np.multiply(eps, np.subtract(np.sum(plan(a, a, f, f, C)), np.square(np.sum(a)))));
  };
  const otBB = otSym(b, y);
  const div = (a: A, x: A) => np.subtract(otXY(a, x), np.multiply(0.5, np.add(otSym(a, x), otBB)));
  close('divergence', div(a, x), [SK.div], 1e-13);
  close('grad_x', grad(div, { argnums: 1 })(a, x), SK.gradX, 1e-12);
  const gx = (xx: A) => grad(div, { argnums: 1 })(a, xx);
  close('H_x V (jvp of grad)', jvp(gx, [x], [f64(SK.V1, [n, dim])])[1], SK.HV1, 1e-9);
  const Hx = jit(hessian(div, { argnums: 1 }))(a, x);
  close('jit(hessian_x) V', np.matmul(np.reshape(Hx, [n * dim, n * dim]), f64(SK.V1, [n * dim])), SK.HV1, 1e-9);
  const U = f64(SK.U, [n]), ga = (aa: A) => grad(div, { argnums: 0 })(aa, x);
  close('grad_a . U (sum U = 0)', np.vdot(ga(a), U), [SK.gaU], 1e-12);
  const hu = jvp(ga, [a], [U])[1];
  close('H_a U, projected', np.subtract(hu, np.mean(hu)), SK.HaU, 1e-8);
  const HaU = np.matmul(jit(hessian(div, { argnums: 0 }))(a, x), U);
  close('jit(hessian_a) U, projected', np.subtract(HaU, np.mean(HaU)), SK.HaU, 1e-8);
});

// ------------------------------------------------------------ jaxopt: perturbed optimizers
const PO = {
  yhat: [0.00545, 0.8156, 0.0123, 0.1642, 0.00245],
  J: [0.010836965501388298, -0.00983721232616704, -0.0013808639053018502, -0.0016573753547362508, -0.000477729862299217, -0.010502045491704281, 0.3011232515216461, -0.021932495089818253, -0.2671136150174614, -0.0014277618521555016, 0.002797677132482898, -0.020014694575653483, 0.024304080356486922, -0.003971666435708305, -0.001366609662242488, -0.0032337410010855956, -0.26812040125530495, -0.0007628305141177419, 0.27427545556625194, -0.0004147317116066231, 0.00010914770697989789, -0.002799077028778895, 0.00020434470822729755, -0.00044902066946405234, 0.004889770250436038],
  loss: 0.583091995,
  grad: [-0.016589884975040794, 0.4579041972154304, -0.03804987168454213, -0.4005757270264699, -0.004136006907745581],
  rhat: [2.33, 0.0045, 3.821, 4.942, 2.596, 1.3065],
  J2: [2.3443519900985788, 0.06680579734651679, -0.39587640884046266, -0.006535759190789619, -1.3960486910777692, -0.7935134355563735, -0.008816599667948332, 0.02244758488324147, -0.004209952377132547, 0.0051106737836942775, 0.0013795178081283089, -0.015660992614010508, -0.38269261000728805, 0.06815590202351374, 1.2438359530993024, -0.20289603383580862, -0.5507127014610802, -0.12175874786387673, -0.06113769954659554, 0.06550891370607076, -0.1966281583723582, 0.4090773652805564, 0.06422132029715932, 0.07387361949735055, -1.2160471665069492, 0.02886658871705267, -0.5679181860182834, 0.21358331459037494, 2.3990809401073685, -0.24413176029526165, -0.7590205737447293, 0.0034410130934233664, -0.008451845915433869, -0.023417802726861087, -0.3993661142446136, 1.3366796992314716],
  loss2: 29.120483500000002,
  grad2: [18.33255423491657, 0.6628061452976481, 3.587092776172385, 0.38252250356080125, -12.051095364962004, -13.011642750304523],
};

/** Gumbel noise [N, d] by inverse CDF of the Kronecker sequence frac((s + 1) sqrt(p_j)): po_ref.py's formula. */
function gumbelKron(N: number, d: number): A {
  const PR = [2, 3, 5, 7, 11, 13], z = new Float64Array(N * d);
  for (let s = 0; s < N; s++) for (let j = 0; j < d; j++) z[s * d + j] = -Math.log(-Math.log(((s + 1) * (Math.sqrt(PR[j]) % 1)) % 1));
  return np.reshape(np.array(z), [N, d]);
}
/** jaxopt make_perturbed_argmax with its noise fixed: mean of argmax_fun(θ + σZ); JVP E[y ∇ν(Z)ᵀ t]/σ, ∇ν(z) = 1 - e^-z. */
function perturbed(argmaxFun: (x: A) => A, Z: A, sigma: number) {
  const N = Z.shape[0], outs = (th: A) => vmap(argmaxFun)(np.add(th, np.multiply(sigma, Z)));
  const score = np.subtract(1, np.exp(np.negative(Z)));
  return customJvp((th: A) => np.mean(outs(th), { axis: 0 }), ([th]: A[], [t]: A[]) => {
    const Y = outs(th);
    return [np.mean(Y, { axis: 0 }), np.divide(np.matmul(np.transpose(Y), np.matmul(score, t)), N * sigma)];
  });
}

test('seed 001 (jaxopt): perturbed argmax and ranking, loss gradients == numpy estimator on the same draws', () => {
  const oneHot = (x: A) => np.oneHot(np.argmax(x), x.shape[0], { dtype: 'float64' });
  const ranking = (x: A) => np.astype(np.argsort(np.argsort(x)), 'float64');
  const th = np.array([-0.6, 1.9, -0.2, 1.1, -1.0], { dtype: 'float64' });
  const p1 = perturbed(oneHot, gumbelKron(20000, 5), 0.5);
  const yt = np.divide(np.add(np.arange(5, { dtype: 'float64' }), 2), 20);
  const loss = (v: A) => np.sum(np.square(np.subtract(yt, p1(v))));
  close('pert_one_hot', p1(th), PO.yhat, 1e-15);
  close('loss_simplex', loss(th), [PO.loss], 1e-14);
  close('grad(loss_simplex)', grad(loss)(th), PO.grad, 1e-13);
  close('jit(grad(loss_simplex))', jit(grad(loss))(th), PO.grad, 1e-13);
  close('jacrev(pert_one_hot)', jacrev(p1)(th), PO.J, 1e-14);
  close('jacfwd(pert_one_hot)', jacfwd(p1)(th), PO.J, 1e-14);
  const th2 = np.array([0.18784384, -1.2833426, 0.6494181, 1.2490593, 0.24447003, -0.11744965], { dtype: 'float64' });
  const p2 = perturbed(ranking, gumbelKron(2000, 6), 0.2);
  const loss2 = (v: A) => np.sum(np.square(np.subtract(np.arange(6, { dtype: 'float64' }), p2(v))));
  close('pert_ranking', p2(th2), PO.rhat, 1e-13);
  close('loss_example', loss2(th2), [PO.loss2], 1e-12);
  close('grad(loss_example)', grad(loss2)(th2), PO.grad2, 1e-12);
  close('jacrev(pert_ranking)', jacrev(p2)(th2), PO.J2, 1e-13);
});

// ------------------------------------------------------------ jax#3022 and the cookbook's jit(f_vjp)
test('seed 004 (jax#3022): divergence == closed-form trace; hutchinson == (1/m) Σ vᵀJv on its own probes', () => {
  const n = 6, Jd = Array.from({ length: n * n }, (_, i) => Math.sin(1.3 * i + 0.4) + (i % (n + 1) === 0 ? 0.5 : 0));
  const M = f64(Jd, [n, n]);
  const f = (x: A) => np.add(np.matmul(M, x), np.multiply(0.1, np.sin(x))); // J = M + 0.1 diag(cos x)
  const xs = [0.1, -0.4, 0.7, 1.2, -1.0, 0.3], x = f64(xs, [n]);
  const J = Jd.map((v, q) => v + (q % (n + 1) === 0 ? 0.1 * Math.cos(xs[q / (n + 1)]) : 0));
  let tr = 0;
  for (let i = 0; i < n; i++) tr += J[i * n + i];
  close('divergence', divergence(f)(x), [tr], 1e-14);
  for (const noise of ['rademacher', 'gaussian'] as const) {
    const key = random.key(5), m = 7;
    const V = Array.from((noise === 'gaussian' ? random.normal(key, [m, n], { dtype: 'float64' }) : random.rademacher(key, [m, n], { dtype: 'float64' })).dataSync() as Float64Array);
    let s = 0;
    for (let p = 0; p < m; p++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s += V[p * n + i] * J[i * n + j] * V[p * n + j];
    close(`hutchinson ${noise}`, hutchinson(f, { probes: m, key, noise })(x), [s / m], 1e-13);
  }
});

test('seed 003 (cookbook): jit(f_vjp)(1.) through if/try gives pi', () => {
  const f = (x: any) => { try { if (+x < 3) return np.multiply(2, np.power(x, 3)); throw new RangeError('x >= 3'); } catch { return np.multiply(np.pi, x); } };
  const [, fVjp] = vjp(f, 4.0);
  const [ct] = jit(fVjp)(1.0);
  close('jit(f_vjp)(1.)', ct, [Math.PI], 1e-6);
  close('again (cached)', jit(fVjp)(2.0)[0], [2 * Math.PI], 1e-6);
});
