// jax.nn's activations beyond relu/softplus/sigmoid, composed from np functions so they
// differentiate, batch and trace as those do; formulas and derivative conventions are jax.nn's
// (jax/_src/nn/functions.py). Real floats only (ints and bools compute in float32).
import { NDArray, ArrayInput } from './array.js';
import * as lax from './lax.js';
import { prepare, floatDtype, where, add, multiply, divide, maximum, minimum, greater, greaterEqual, less, sigmoid } from './numpy.js';
import { expm1, erfc, clip } from './np_elementwise.js';
import { intAxis, readOptions } from './options.js';
import { composite, heavyComposite } from './np_shared.js';
import { DTypeError, ValueError } from '../core/errors.js';
import { isComplex } from '../core/dtype.js';

function realFloat(where: string, x: ArrayInput): NDArray {
  const dt = floatDtype(where, [x]);
  if (isComplex(dt)) throw new DTypeError(`${where}: defined for real inputs (as jax.nn), got ${dt}`);
  return prepare(where, [x], dt)[0];
}

/**
 * jax.nn.gelu: x Phi(x). approximate (the default, as JAX): 0.5 x (1 + tanh(sqrt(2/pi)(x + 0.044715 x^3)));
 * approximate false: 0.5 x erfc(-x / sqrt 2).
 */
export function gelu(x: ArrayInput, options?: { approximate?: boolean } | boolean): NDArray {
  const o = readOptions<{ approximate?: boolean }>('np.gelu', options, { approximate: 'boolean' }, 'approximate');
  const a = realFloat('np.gelu', x);
  if (o.approximate ?? true) {
    // x sigmoid(2u), u = sqrt(2/pi)(x + 0.044715 x^3): the same function ((1 + tanh u) / 2 is
    // sigmoid(2u)), but JAX's 1 + tanh(u) cancels in the left tail and 1 - tanh^2 (tanh's
    // derivative) in both: float32 gelu(-5) was -2.98e-7 for -2.29e-7 and gelu'(-5) 30% off,
    // gelu'(+-10) 0 for 2.8e-36; float64 gelu''(5) 4e5 ulp off (helper-273, against mpmath).
    // The cubic reads x clipped to [-1e3, 1e3], where sigmoid(2u) is already exactly 0 or 1: x^3
    // overflowed past 1e13 (float32) and grad was 0 * inf = NaN where it is 1 (x = 1e20).
    return heavyComposite([a], () => {
      const c = clip(a, -1e3, 1e3);
      const inner = multiply(Math.sqrt(8 / Math.PI), add(c, multiply(0.044715, multiply(c, multiply(c, c)))));
      return multiply(a, sigmoid(inner));
    });
  }
  // 0.5 x erfc(-x / sqrt 2), as JAX: 1 + erf(x / sqrt 2) cancelled in the left tail (-0 at -6 in
  // float32 for -5.9e-9; the gradient 1-3% off) and x (1 + erf) overflowed at 1.8e308
  return heavyComposite([a], () => multiply(multiply(a, 0.5), erfc(multiply(a, -Math.SQRT1_2))));
}

/** jax.nn.silu (swish): x sigmoid(x). */
export function silu(x: ArrayInput): NDArray {
  const a = realFloat('np.silu', x);
  return heavyComposite([a], () => multiply(a, sigmoid(a)));
}
export { silu as swish };

/**
 * jax.nn.relu6: min(max(x, 0), 6) with JAX's custom rule: derivative 1 strictly inside (0, 6),
 * 0 at and beyond the kinks; NaN stays NaN.
 */
export function relu6(x: ArrayInput): NDArray {
  const a = realFloat('np.relu6', x);
  return composite(() => where(lax.bitwiseAnd(greater(a, 0), less(a, 6)), a, lax.stopGradient(minimum(maximum(a, 0), 6))), a);
}

/** jax.nn.elu: x for x > 0, alpha (e^x - 1) otherwise (the expm1 branch sees only x <= 0). */
export function elu(x: ArrayInput, options?: { alpha?: number } | number): NDArray {
  const o = readOptions<{ alpha?: number }>('np.elu', options, { alpha: 'number' }, 'alpha');
  const a = realFloat('np.elu', x);
  return heavyComposite([a], () => { const pos = greater(a, 0); return where(pos, a, multiply(o.alpha ?? 1, expm1(where(pos, 0, a)))); });
}

/** jax.nn.leaky_relu: x for x >= 0, negativeSlope x otherwise (default 0.01). */
export function leakyRelu(x: ArrayInput, options?: { negativeSlope?: number } | number): NDArray {
  const o = readOptions<{ negativeSlope?: number }>('np.leakyRelu', options, { negativeSlope: 'number' }, 'negativeSlope');
  const a = realFloat('np.leakyRelu', x);
  return composite(() => where(greaterEqual(a, 0), a, multiply(a, o.negativeSlope ?? 0.01)), a);
}

// jax.nn.selu's constants (Klambauer et al. 2017)
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;
/** jax.nn.selu: scale * elu(x, alpha) with the self-normalizing constants. */
export function selu(x: ArrayInput): NDArray {
  const a = realFloat('np.selu', x);
  return heavyComposite([a], () => multiply(elu(a, SELU_ALPHA), SELU_SCALE));
}

/** jax.nn.celu: max(x, 0) + alpha expm1(min(x, 0) / alpha) (default alpha 1). */
export function celu(x: ArrayInput, options?: { alpha?: number } | number): NDArray {
  const o = readOptions<{ alpha?: number }>('np.celu', options, { alpha: 'number' }, 'alpha');
  const a = realFloat('np.celu', x), alpha = o.alpha ?? 1;
  return heavyComposite([a], () => add(maximum(a, 0), multiply(alpha, expm1(divide(minimum(a, 0), alpha)))));
}

/** jax.nn.glu: the first half of `axis` (default -1) gated by the sigmoid of the second. */
export function glu(x: ArrayInput, options?: { axis?: number } | number): NDArray {
  const o = readOptions<{ axis?: number }>('np.glu', options, { axis: 'axis' }, 'axis');
  const a = realFloat('np.glu', x);
  // one integer (jax.nn.glu's int: null was reported as 'axis -1', a list [0] read as 0)
  const ax = intAxis('np.glu', o.axis, -1), d = ax < 0 ? ax + a.ndim : ax, n = a.shape[d];
  if (a.ndim === 0 || d < 0 || d >= a.ndim || n % 2 !== 0) {
    throw new ValueError(`np.glu: axis ${ax} of the input, shape [${a.shape}], must exist and have an even size`);
  }
  return composite(() => { const [p, q] = lax.split(a, [n / 2, n / 2], d); return multiply(p, sigmoid(q)); });
}
