// The examples tour runs to completion and every one of its checks passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

test('npm run tour: every check passes and the notebook numbers print', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'examples/tour.ts'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `tour failed:\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /all checks passed/);
  assert.doesNotMatch(r.stdout, /✗/);
  for (const line of ['grad(tanh)(2.0)', 'W_grad', 'b_grad', 'loss value', 'vjp through if/try']) {
    assert.ok(r.stdout.includes(line), `tour output lacks ${line}`);
  }
  assert.match(r.stdout, /\(Array\(3\.1415927, dtype=float32\),\)/);
  assert.ok(r.stdout.includes('## functorch: Jacobians, hessians, and more'), 'tour output lacks the functorch script');
  for (const line of ['vmap(vjp_fn)(unit_vectors) == jacobian by rows',
    'jacfwd == jacrev, 32 -> 2048', 'jacfwd == jacrev, 2048 -> 32', 'hessian == mixed central differences',
    'sum trick (batch axis moved first) == vmap(jacrev)', 'vmap(hessian) == closed form per example',
    "jacfwd(f)(W) (the notebook's numbers)", "hessian(f)(W) (the notebook's numbers)", 'reverse over forward == closed form',
    'full Hessian then tensordot == closed form', 'vmap_mjp == loop_mjp (128 covectors)', 'vmap_jmp == loop_jmp (128 vectors)']) {
    assert.ok(r.stdout.includes(`✓ ${line}`), `tour output lacks a passed check: ${line}`);
  }
  // the cookbook's complex section, as the notebook prints it
  for (const line of ['Array(6.-8.j, dtype=complex64)', 'Array(1.-0.j, dtype=complex64)', 'jvp check(2)', 'vjp check(2)', 'grad(f, holomorphic)(A)']) {
    assert.ok(r.stdout.includes(line), `tour output lacks ${line}`);
  }
  assert.match(r.stdout, /Array\(-27\.0349\d*-3\.85115\d*j, dtype=complex64\)/);
  // jaxopt's perturbed optimizers: the notebook's prints, and its checks against closed forms
  assert.ok(r.stdout.includes('## jaxopt: perturbed optimizers, argmax one-hot'), 'tour output lacks the perturbed optimizers notebook');
  for (const line of ['perturbed argmax = [0.0055  0.81842 0.01212 0.16157 0.00239]', 'ranks after GD = [0. 0. 0. 0. 1.]',
    'diff_ranks = [2.37 0.02 3.85 4.96 2.41 1.39]', 'ranks after GD = [0 1 2 3 4 5]']) {
    assert.ok(r.stdout.includes(line), `tour output lacks ${line}`);
  }
  for (const line of ["perturbed argmax (the notebook's numbers)", 'perturbed argmax == softmax(values/sigma), N = 1e5',
    'perturbed argmax == softmax(values/sigma), N = 1e6', "grad(loss_simplex) (the notebook's numbers)",
    'jit(grad(loss_simplex)) == grad(loss_simplex), same key', 'jacfwd(pert_one_hot) == jacrev(pert_one_hot)',
    'jacrev(pert_one_hot) == E[argmax one-hot (1 - e^-Z)ᵀ]/σ in float64 JS, same draws',
    'jacrev(pert_one_hot) == (diag(p) - p pᵀ)/σ, p = softmax(values/σ)', 'normal noise: perturbed argmax == quadrature of E one_hot',
    'normal noise: jacrev == central differences of the quadrature', 'gradient descent decreases the exact loss below 1e-4',
    "ranks after GD (the notebook's)", "diff_ranks (the notebook's numbers)", "grad(loss_example) (the notebook's numbers)",
    'jit(grad(loss_example)) == grad(loss_example), same key', 'perturbed ranks (1e5 samples) == Σ_j sigmoid((θ_i - θ_j)/σ)',
    'jacrev(pert_ranking) == closed-form Jacobian of Σ_j sigmoid', 'gradient descent decreases the exact ranking loss below 0.1']) {
    assert.ok(r.stdout.includes(`✓ ${line}`), `tour output lacks a passed check: ${line}`);
  }
  // OTT's Sinkhorn divergence Hessians: every check, and the notebook's timing lines
  assert.ok(r.stdout.includes('## OTT: Sinkhorn divergence Hessians'), 'tour output lacks the Sinkhorn section');
  for (const line of ['JS float64 reference == numpy Newton reference', 'divergence (float64, 300 iterations, unrolled) == reference',
    'divergence (float64, 300 iterations, implicit) == reference', 'divergence (float32, as the notebook) == reference', 'divergence >= 0',
    'divergence(a, x; a, x) -> 0 from below as Sinkhorn converges',
    'implicit Hessian w.r.t. a is symmetric', 'unrolled Hessian w.r.t. a is symmetric', 'jit(hessian) == hessian, w.r.t. a, implicit', 'jit(hessian) == hessian, w.r.t. a, unrolled',
    'implicit Hessian w.r.t. x is symmetric', 'unrolled Hessian w.r.t. x is symmetric', 'jit(hessian) == hessian, w.r.t. x, implicit', 'jit(hessian) == hessian, w.r.t. x, unrolled',
    'unrolled Hessian w.r.t. a == central differences of its gradient', 'unrolled Hessian w.r.t. x == central differences of its gradient',
    'implicit Hessian w.r.t. a, projected == reference second differences along e_i - 1/n', 'implicit Hessian w.r.t. x == reference second differences',
    'unrolled == implicit after 300 iterations, w.r.t. x', 'unrolled == implicit after 300 iterations, w.r.t. a on sum-zero directions (P H P)',
    'H 1 differs between implicit and unrolled (the direction the notebook removes)', "notebook's projection: H_imp - H_back is one row repeated"]) {
    assert.ok(r.stdout.includes(`✓ ${line}`), `tour output lacks a passed check: ${line}`);
  }
  for (const name of ['a', 'x']) {
    assert.match(r.stdout, new RegExp(`--- Time: Implicit Hessian w.r.t. ${name}: [\\d.]+ ms`));
    assert.match(r.stdout, new RegExp(`--- Time: Unrolled Hessian w.r.t. ${name}: [\\d.]+ ms`));
  }
  assert.match(r.stdout, /300 iterations: max \|unrolled - implicit\| = /);
  // jax#3022's divergence operator: exact, trace(jacfwd), Hutchinson and Hutch++, a CNF's gradient
  assert.ok(r.stdout.includes('div.shape = [50]'), 'tour output lacks the issue\'s div.shape');
  for (const line of ['vmap(divergence(f, argnums 1)) == tr(theta) = 10 per row', "the issue's vmap(trace(jacrev)) gives the same",
    'exact divergence == 6', 'rademacher estimate of a diagonal Jacobian is exact', 'divergence == closed form tr(W2 diag(1 - a^2) W1) (float64)',
    'divergence == trace(jacfwd(f))', 'hutchinson, 512 probes, within 4 sigma/sqrt(m)', 'hutch++ with 3n = 192 probes is exact (its sketch spans R^64)',
    'mean of 256 keys x 8 probes within 4 standard errors of tr J', 'jit(grad_W1(divergence)) == central differences of the closed form at 4 entries']) {
    assert.ok(r.stdout.includes(`✓ ${line}`), `tour output lacks a passed check: ${line}`);
  }
});
