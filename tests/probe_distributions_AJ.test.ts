// Statistical correctness of random's samplers at hard parameter regimes (helper-260's probe):
// each draw binned by the distribution's 5% quantiles (19 edges, so 20 equally likely bins) and
// tested by chi-square (19 df; the bound 60 is p ~ 3e-6: a right sampler passes at these fixed
// keys, a wrong one fails by far). The quantiles are scipy 1.17's ppf, spot-checked against mpmath
// (the inverse Gaussian's closed-form CDF, betainc, gammainc) to 1e-16. Plus exact discrete
// facts (randint's uniformity on wide spans, zero-probability categories never drawn).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { np, random, vmap } from '../ts/index.ts';

type A = ReturnType<typeof np.array>;
const vals = (x: A) => Array.from(x.dataSync() as ArrayLike<number>, Number);
const key = random.key(42);
const N = 100_000;

/** Chi-square of xs against 20 equally likely bins cut at the 19 quantile edges; asserts it below 60. */
function quantileChi2(name: string, xs: number[], edges: number[]): void {
  const counts = new Array(edges.length + 1).fill(0);
  for (const x of xs) {
    assert.ok(!Number.isNaN(x), `${name}: a NaN draw`);
    let i = 0;
    while (i < edges.length && x > edges[i]) i++;
    counts[i]++;
  }
  const e = xs.length / counts.length;
  const chi2 = counts.reduce((s, c) => s + (c - e) ** 2 / e, 0);
  assert.ok(chi2 < 60, `${name}: chi-square ${chi2.toFixed(1)} on 19 df (bin counts ${counts.join(' ')}, each expected ${e})`);
}

// scipy.stats.<dist>.ppf(np.arange(1, 20) / 20)
const Q = {
  wald1000: [0.26020420289365476, 0.3693937793977017, 0.48221212863063956, 0.6083336559492266, 0.754887556037722, 0.9297762461769481, 1.1432151775097354, 1.4093863534060973, 1.7489085083391218, 2.192994056324512, 2.7909386514729975, 3.6244913147836146, 4.83747075308519, 6.702408965205306, 9.788437608825113, 15.453681019724208, 27.642475250216478, 62.20134798997886, 244.96677788331098],
  wald1e8: [0.2603177704907453, 0.36961150728943454, 0.4825670549630932, 0.6088745549633645, 0.7556844220730028, 0.9309303799211465, 1.1448758459398447, 1.4117786984516965, 1.7523818752524678, 2.198109287040798, 2.7986339901352264, 3.6364177624210092, 4.856723419150774, 6.735282622653222, 9.849203710460074, 15.58002244379819, 27.95968405852321, 63.32810621776768, 254.31434778433757],
  wald10: [0.2494991317927969, 0.349187554336222, 0.4497445833469489, 0.5595710130149875, 0.6841483041745187, 0.8290196937869039, 1.0008909916030873, 1.2085663107528823, 1.4641677650861722, 1.7850101185320675, 2.1967119130854424, 2.7386603227214406, 3.4741854544628197, 4.510843151177593, 6.044463323653579, 8.46621042608172, 12.667153192004449, 21.142088547794195, 44.2680151709861],
  tn5inf: [5.0098806585902596, 5.020276020964654, 5.031243925217002, 5.0428526150056605, 5.055183405359138, 5.068334263013016, 5.082424706326861, 5.097602656201613, 5.114054253175056, 5.132018332044298, 5.151808491498421, 5.173848117734605, 5.198728735206354, 5.227313280914729, 5.260933604821161, 5.301809225115088, 5.354074404338568, 5.426934003050024, 5.549400050627532],
  tnm8: [-8.36096063034769, -8.2788033416912, -8.230374644787238, -8.195845193058593, -8.168964358662926, -8.14693712318205, -8.128268101289564, -8.112062511772313, -8.097742012550967, -8.084911007391545, -8.073286885087631, -8.062660677918654, -8.052873487562497, -8.043801652928057, -8.03534703595483, -8.02743044171883, -8.019987032162136, -8.012963049607274, -8.006313425196629],
  tn65: [6.507712028282541, 6.5158316582333295, 6.524404989697009, 6.533486450956401, 6.543140939036766, 6.553446696099394, 6.564499248629602, 6.576416919049353, 6.589348729700211, 6.603486066310333, 6.619080477241228, 6.63647194752431, 6.6561360546730155, 6.678767528029382, 6.7054402605992385, 6.737947103965318, 6.779634826199399, 6.83797570910746, 6.936617212579251],
  loggamma1e3: [-2996.308667152274, -2303.161486592329, -1897.6963784841644, -1610.0143060323835, -1386.8707547181737, -1204.5491979242192, -1050.398518096961, -916.8671254724383, -799.0840898160549, -693.7235741582292, -598.4133943539038, -511.4020173642747, -431.35930969073735, -357.2513375370161, -288.2584660500642, -223.7199449124937, -163.09532309605856, -105.93690925610944, -51.86968798583395],
  gamma01: [5.930711291414248e-14, 6.073048362743206e-11, 3.502025721616284e-09, 6.218801874682892e-08, 5.791713294969618e-07, 3.5860860184109674e-06, 1.6753046634635024e-05, 6.368421442011671e-05, 0.0002068300004617904, 0.0005933911044602284, 0.0015404287423370659, 0.0036844507336622257, 0.008237334917900371, 0.017427776389282005, 0.0353063580735584, 0.06938988323997317, 0.13466330148129788, 0.266154553738837, 0.5804351053231342],
  gamma1e4: [9836.085110855192, 9872.060875049736, 9896.383099093095, 9915.742124149649, 9932.370564904188, 9947.319262019584, 9961.184845832116, 9974.353841294824, 9987.106041325867, 9999.666668642047, 10012.237823113477, 10025.022285711722, 10038.24747242024, 10052.197405331652, 10067.266062388988, 10084.063429072321, 10103.666364926748, 10128.367373674177, 10165.051911966126],
  beta55: [0.0061558297024311365, 0.024471741852423214, 0.05449673790581606, 0.09549150281252627, 0.14644660940672624, 0.2061073738537634, 0.2730047501302265, 0.3454915028125263, 0.4217827674798846, 0.4999999999999999, 0.5782172325201156, 0.6545084971874737, 0.7269952498697734, 0.7938926261462365, 0.8535533905932737, 0.9045084971874736, 0.9455032620941839, 0.9755282581475768, 0.9938441702975689],
  t05: [-41.13600009287826, -10.270324410234506, -4.538226180921562, -2.5127179536659185, -1.5537739740300383, -1.0095258786071655, -0.6558672224499491, -0.3979754267847907, -0.18864420884630667, 0.0, 0.18864420884630692, 0.3979754267847907, 0.6558672224499491, 1.0095258786071653, 1.5537739740300383, 2.5127179536659203, 4.5382261809215585, 10.27032441023451, 41.13600009287819],
  f05_3: [2.1883528421822775e-05, 0.00035016327476185575, 0.001773290202046851, 0.005609487982962415, 0.013720934589848717, 0.028549938143909877, 0.053194882318158936, 0.09155248694875494, 0.14856781873794217, 0.23066126571683243, 0.3464567108214969, 0.5080501492230183, 0.7333142764543905, 1.050354504695286, 1.506900135210614, 2.1925861007784895, 3.30160401352655, 5.362714542047159, 10.647176021339504],
  // dirichlet([0.1, 1, 5])'s first marginal: beta(0.1, 6)
  dir0: [1.0671744978153764e-14, 1.0927866858171741e-11, 6.301558710199528e-10, 1.1190136231389944e-08, 1.0421630892062104e-07, 6.452815027460674e-07, 3.0145451263209926e-06, 1.1459295785403394e-05, 3.721636891532667e-05, 0.00010676924936741882, 0.00027714641862809094, 0.0006627588218633765, 0.0014811165420024817, 0.0031309829652500097, 0.006332632298347218, 0.012407380401815432, 0.023936292640729932, 0.04674853740950144, 0.09910856084450652],
};

describe('wald (inverse Gaussian, scale 1) at large means', () => {
  // JAX's x = mu + mu^2 y / 2 - mu / 2 sqrt(4 mu y + mu^2 y^2) cancels for w = mu y >> 1: float32
  // wald(key(42), 1000, [2e5]) drew values down to -1 (1e5: -8192), KS D = 0.031 (p = 1e-168);
  // float64 likewise past mean ~1e7. The equal x = mu / (1 + w / 2 + sqrt(w + w^2 / 4)) does not.
  test('float32 mean 1000: positive, inverse Gaussian quantiles', () => {
    const xs = vals(random.wald(key, 1000, [N]));
    assert.ok(xs.every((x) => x > 0), `min draw ${Math.min(...xs)} (wald is positive)`);
    quantileChi2('wald(1000) float32', xs, Q.wald1000);
  });
  test('float64 mean 1e8: positive, inverse Gaussian quantiles', () => {
    const xs = vals(random.wald(key, 1e8, [N], 'float64'));
    assert.ok(xs.every((x) => x > 0), `min draw ${Math.min(...xs)} (wald is positive)`);
    quantileChi2('wald(1e8) float64', xs, Q.wald1e8);
  });
  test('float32 mean 10 (where JAX\'s formula was fine), mean 1e30 finite, means 0 and inf NaN (as JAX)', () => {
    quantileChi2('wald(10) float32', vals(random.wald(random.key(1), 10, [N])), Q.wald10);
    const big = vals(random.wald(key, 1e30, [1000]));
    assert.ok(big.every((x) => x > 0 && Number.isFinite(x)), 'wald(1e30) float32 draws positive and finite');
    const bad = random.wald(key, [0, Infinity, NaN, -1], [4]);
    assert.equal(bad.dtype, 'float32');
    assert.ok(vals(bad).every(Number.isNaN), `wald at means 0, inf, NaN, -1: ${vals(bad)}`);
  });
});

describe('randint on spans past 2^16 is uniform', () => {
  // JAX's (hi mod span) (2^32 mod span) + lo mod span takes 2^32 mod span as (2^16 mod span)^2, which
  // wraps to 0 in uint32 past span 2^16: the draw was lo mod span, one 32-bit word, and randint(0, 1e9)
  // drew [0, 294967296) 25% more often than the rest, randint(-2^31, 2^30) its lowest third half the
  // time. Exact fractions, 6 standard errors.
  const frac = (xs: number[], below: number) => xs.filter((x) => x < below).length / xs.length;
  const near = (name: string, got: number, want: number, n: number) =>
    assert.ok(Math.abs(got - want) < 6 * Math.sqrt(want * (1 - want) / n), `${name}: fraction ${got}, want ${want}`);
  test('[0, 1e9), [0, 1.2e9), [-2^31, 2^30), uint32 [0, 3e9)', () => {
    const n = 200_000;
    near('randint(0, 1e9) below 294967296', frac(vals(random.randint(key, [n], 0, 1e9)), 294967296), 0.294967296, n);
    near('randint(0, 1.2e9) below 6e8', frac(vals(random.randint(key, [n], 0, 1.2e9)), 6e8), 0.5, n);
    near('randint(-2^31, 2^30) below -2^30', frac(vals(random.randint(key, [n], -(2 ** 31), 2 ** 30)), -(2 ** 30)), 1 / 3, n);
    near('randint uint32 [0, 3e9) below 1.5e9', frac(vals(random.randint(key, [n], 0, np.array(3e9, { dtype: 'uint32' }), 'uint32')), 1.5e9), 0.5, n);
    const full = vals(random.randint(key, [n], -(2 ** 31), 2 ** 31 - 1));
    near('randint full int32 range below 0', frac(full, 0), 0.5, n);
    assert.ok(full.every((x) => x >= -(2 ** 31) && x < 2 ** 31 - 1));
  });
  test('small spans keep JAX\'s draws (no uint32 wrap there): span 10 and 2^16 equal the uint32 formula', () => {
    const [k1, k2] = random.split(random.key(9));
    const hi = vals(random.bits(k1, [50])), lo = vals(random.bits(k2, [50]));
    const m10 = 6; // 2^32 mod 10
    assert.deepEqual(vals(random.randint(random.key(9), [50], -3, 7)), hi.map((h, i) => -3 + ((h % 10) * m10 + (lo[i] % 10)) % 10));
    const s = 65535, m = Number((2n ** 32n) % 65535n);
    assert.deepEqual(vals(random.randint(random.key(9), [50], 0, s)), hi.map((h, i) => ((h % s) * m + (lo[i] % s)) % s));
  });
  test('wide spans draw (hi 2^32 + lo) mod span exactly (BigInt), int32 and uint32, under vmap too', () => {
    const [k1, k2] = random.split(random.key(9));
    const hi = vals(random.bits(k1, [50])), lo = vals(random.bits(k2, [50]));
    const exact = (lo0: number, span: number) => hi.map((h, i) => lo0 + Number(((BigInt(h) << 32n) + BigInt(lo[i])) % BigInt(span)));
    assert.deepEqual(vals(random.randint(random.key(9), [50], 0, 1e9)), exact(0, 1e9));
    assert.deepEqual(vals(random.randint(random.key(9), [50], -(2 ** 31), 2 ** 31 - 1)), exact(-(2 ** 31), 2 ** 32 - 1));
    assert.deepEqual(vals(random.randint(random.key(9), [50], 7, np.array(4e9, { dtype: 'uint32' }), 'uint32')), exact(7, 4e9 - 7));
    const vm = vmap((k: A) => random.randint(k, [50], 0, 1e9))(np.stack([random.key(9), random.key(9)]));
    assert.deepEqual(vals(vm).slice(50), exact(0, 1e9));
  });
});

describe('continuous samplers at hard regimes (guards: these passed KS at 2e5 draws in the probe)', () => {
  test('truncatedNormal: [5, inf) and (-inf, -8] in float32, (6.5, inf) in float64', () => {
    quantileChi2('truncatedNormal(5, inf)', vals(random.truncatedNormal(key, 5, Infinity, [N])), Q.tn5inf);
    quantileChi2('truncatedNormal(-inf, -8)', vals(random.truncatedNormal(key, -Infinity, -8, [N])), Q.tnm8);
    quantileChi2('truncatedNormal(6.5, inf) float64', vals(random.truncatedNormal(key, 6.5, Infinity, [N], 'float64')), Q.tn65);
  });
  test('gamma family: loggamma(1e-3), gamma(0.1) float64, gamma(1e4), beta(0.5, 0.5), t(0.5), f(0.5, 3), dirichlet marginal', () => {
    const n = 40_000;
    quantileChi2('loggamma(1e-3)', vals(random.loggamma(key, 1e-3, [n])), Q.loggamma1e3);
    quantileChi2('gamma(0.1) float64', vals(random.gamma(key, 0.1, [n], 'float64')), Q.gamma01);
    quantileChi2('gamma(1e4)', vals(random.gamma(key, 1e4, [n])), Q.gamma1e4);
    quantileChi2('beta(0.5, 0.5) float64', vals(random.beta(key, 0.5, 0.5, [n], 'float64')), Q.beta55);
    quantileChi2('t(0.5)', vals(random.t(key, 0.5, [n])), Q.t05);
    quantileChi2('f(0.5, 3)', vals(random.f(key, 0.5, 3, [n])), Q.f05_3);
    const d = random.dirichlet(key, [0.1, 1, 5], [n / 2], 'float64');
    quantileChi2('dirichlet([0.1, 1, 5])[..., 0]', vals(np.index(d, '...', 0)), Q.dir0);
  });
  test('columns of broadcast parameters are each their own distribution: gamma([0.1, 1e4]) of shape [n, 2]', () => {
    const g = random.gamma(key, np.array([0.1, 1e4], { dtype: 'float64' }), [20_000, 2]);
    quantileChi2('gamma column 0', vals(np.index(g, '...', 0)), Q.gamma01);
    quantileChi2('gamma column 1', vals(np.index(g, '...', 1)), Q.gamma1e4);
  });
});

describe('discrete samplers: zero-probability outcomes never drawn, no duplicates without replacement', () => {
  test('categorical with -inf logits, choice with zero p, choice and categorical without replacement', () => {
    const c = vals(random.categorical(key, [-Infinity, 0, -Infinity, 1, -Infinity], -1, [N]));
    assert.ok(c.every((i) => i === 1 || i === 3));
    const p1 = c.filter((i) => i === 1).length / N, want = 1 / (1 + Math.E);
    assert.ok(Math.abs(p1 - want) < 6 * Math.sqrt(want * (1 - want) / N), `categorical P(1) ${p1}, want ${want}`);
    const ch = vals(random.choice(key, 6, [N], true, [0.2, 0, 0.3, 0, 0.5, 0]));
    assert.ok(ch.every((i) => i === 0 || i === 2 || i === 4));
    const ks = random.split(key, 4000);
    const nr = vmap((k: A) => random.choice(k, 5, [2], false, [0.1, 0.2, 0.3, 0.4, 0]))(ks).tolist() as number[][];
    assert.ok(nr.every(([a, b]) => a !== b && a !== 4 && b !== 4), 'choice without replacement: distinct, never the p = 0 entry');
    // P(0 in the pair) for sequential draws without replacement: sum over j of p0 pj / (1 - p0) + pj p0 / (1 - pj)
    const p = [0.1, 0.2, 0.3, 0.4];
    const inc0 = p.slice(1).reduce((s, pj) => s + 0.1 * pj / 0.9 + pj * 0.1 / (1 - pj), 0);
    const got0 = nr.filter(([a, b]) => a === 0 || b === 0).length / nr.length;
    assert.ok(Math.abs(got0 - inc0) < 6 * Math.sqrt(inc0 * (1 - inc0) / nr.length), `inclusion of 0: ${got0}, want ${inc0}`);
  });
});
