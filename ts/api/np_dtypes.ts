// The dtype names as np constants (jnp.float32, jnp.int32, ...): `np.zeros([2], np.float64)` and
// `{ dtype: np.int32 }` read as in JAX. Without them `np.float64` was undefined, and an undefined
// dtype silently meant the default (float32).
export const float32 = 'float32' as const;
export const float64 = 'float64' as const;
export const int32 = 'int32' as const;
export const uint32 = 'uint32' as const;
export const bool = 'bool' as const;
/** numpy's name for bool (`np.bool_`). */
export const bool_ = 'bool' as const;
export const complex64 = 'complex64' as const;
export const complex128 = 'complex128' as const;

/** numpy's np.newaxis (None): `x.get(':', np.newaxis)` inserts an axis, as `null` does (it was undefined: "unsupported index"). */
export const newaxis = null;
