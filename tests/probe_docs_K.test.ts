// The documentation as a contract (helper-230): README's snippets and rules, docs/jit.md's
// printed programs and API.md's destructuring forms, run as a new user would write them.
// References: closed forms and numpy 2.4 (values pasted as literals, each commented).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  np, lax, linalg, random, grad, vjp, jit, makeJaxpr, CotangentError, DTypeError, ValueError,
  IndexError,
} from '../ts/index.ts';

test("README's opening snippet: grad(grad(grad(tanh)))(2.0) is float32 0.25265405", () => {
  // closed form: tanh''' = (1 - t^2)(6 t^2 - 2), t = tanh 2 -> 0.252654 (python3 math); float32
  const g = grad(grad(grad(np.tanh)))(2.0);
  assert.equal(g.dtype, 'float32');
  assert.equal(String(g), '0.25265405');
  const [y, pullback] = vjp(np.sin, np.array([1, 2]));
  const cts = pullback(np.ones([2]));
  assert.ok(Array.isArray(cts) && cts.length === 1, 'pullback(ct) -> [ct_x]');
  // cos(1), cos(2) in float32 (numpy: np.cos(np.float32([1, 2])))
  assert.deepEqual(cts[0].tolist(), [0.5403022766113281, -0.416146844625473]);
  assert.equal(y.shape.join(), '2');
});

test('docs/jit.md: the MLP gradient prints the programs the page shows (43 -> 34 -> 22 rows)', () => {
  const p = { W1: np.zeros([784, 256]), b1: np.zeros([256]), W2: np.zeros([256, 10]), b2: np.zeros([10]) };
  const x = np.zeros([128, 784]), y = np.zeros([128, 10]);
  const mlpLoss = (p: any, x: any, y: any) => {
    const h = np.tanh(np.add(np.matmul(x, p.W1), p.b1));
    const logits = np.add(np.matmul(h, p.W2), p.b2);
    return np.negative(np.mean(np.sum(np.multiply(y, np.logSoftmax(logits, { axis: 1 })), { axis: 1 })));
  };
  const g = jit(grad(mlpLoss));
  const blocks = readFileSync(new URL('../docs/jit.md', import.meta.url), 'utf8').split('```').filter((_, i) => i % 2 === 1);
  // the page's last line names the function `fn`; the printer names it after f ("grad(mlpLoss)")
  const body = (s: string) => s.trim().split('\n').map((l) => l.replace(/^# [^:]+:/, '# fn:')).join('\n');
  assert.equal(body(g.lower(p, x, y).asText({ optimized: true })), body(blocks[1]));
  assert.equal(body(g.lower(p, x, y).compile().asText()), body(blocks[2]));
  const raw = g.lower(p, x, y).asText();
  assert.match(raw, /: 43 rows, peak intermediate memory 945192 bytes/);
  assert.equal(makeJaxpr(grad(mlpLoss))(p, x, y), raw, 'makeJaxpr(f) is lower(...).asText()');
});

test("API.md's destructuring forms return JS arrays in JAX's order", () => {
  const A = np.array([[4, 2], [2, 3]], { dtype: 'float64' });
  const [sign, logabsdet] = linalg.slogdet(A);
  assert.deepEqual([sign.item(), logabsdet.item()], [1, Math.log(8)]); // det = 8
  const [w] = linalg.eigh(A);
  assert.ok((w.get(0).item() as number) < (w.get(1).item() as number), 'eigh: eigenvalues ascending');
  const [P, L, U] = linalg.lu(A);
  assert.deepEqual(np.matmul(P, np.matmul(L, U)).tolist(), [[4, 2], [2, 3]]);
  const [values, indices] = lax.topK(np.array([1, 3, 2]), 2);
  assert.deepEqual([values.tolist(), indices.tolist(), indices.dtype], [[3, 2], [1, 2], 'int32']);
  const [k1, k2] = random.split(random.key(0));
  // JAX (threefry_partitionable=False): random.split(PRNGKey(0)) = [[4146024105, 967050713], [2718843009, 1272950319]]
  assert.deepEqual([k1.tolist(), k2.tolist()], [[4146024105, 967050713], [2718843009, 1272950319]]);
});

test("README (rules, special values): logaddexp's derivative at two equal infinities", () => {
  // the README said 1 to each at (-inf, -inf) too; the code gives 1/2 (the limit along x = y,
  // weights summing to 1), which the README now says. jvp with tangents (1, 1) is their sum.
  for (const [v, w] of [[Infinity, 1], [-Infinity, 0.5]]) {
    const x = np.array(v, { dtype: 'float64' });
    const g = grad((a: any, b: any) => np.logaddexp(a, b), { argnums: [0, 1] })(x, x);
    assert.deepEqual(g.map((t) => t.item()), [w, w], `at (${v}, ${v})`);
  }
});

test("README (options): np.take(x, null) and a Symbol meet named checks, not a JS TypeError", () => {
  const x = np.ones([2]);
  for (const [f, cls] of [
    [() => np.take(x, null as any), DTypeError],
    [() => np.take(x, Symbol('s') as any), DTypeError],
    [() => np.split(x, Symbol('s') as any), ValueError],
    [() => x.get(Symbol('s') as any), IndexError],
  ] as [() => unknown, new (...a: any[]) => CotangentError][]) {
    assert.throws(f, (e: unknown) => e instanceof cls && /np\.take|np\.split|x\.get/.test((e as Error).message));
  }
  assert.deepEqual(np.add(x, 1).tolist(), [2, 2], 'the next call works');
});
