// Complex LU with partial pivoting (and the determinant from it) on batches of row-major
// matrices of interleaved (re, im) pairs, T = f32 (complex64) or f64 (complex128). The shape
// of the real kernel (kernels/linalg.ts): right-looking, a panel of NB columns factored with
// pivoting, then U12 = L11^-1 A12 and the trailing update A22 -= L21 U12 as SIMD row updates over
// column chunks that stay in cache. The pivot is the largest |re| + |im| of the column (LAPACK's
// izamax / cabs1, so the row choices are LAPACK's, hence JAX's on CPU); the first on ties.
// complex128 updates one value per f64x2; complex64 two per f32x4, in f32 as LAPACK's cgetrf.

import { scratch, SLOT_DOT } from './scratch';

const NB = 64;     // panel width
const CHUNK = 128; // complex columns of the trailing update kept in cache at once

@inline function re<T>(p: usize): f64 { return <f64>load<T>(p); }
@inline function im<T>(p: usize): f64 { return <f64>load<T>(p + sizeof<T>()); }
@inline function put<T>(p: usize, r: f64, i: f64): void { store<T>(p, <T>r); store<T>(p + sizeof<T>(), <T>i); }

/** y[0, len) -= l x[0, len) over complex rows: l x = lr [xr, xi] + li [-xi, xr]. */
@inline function caxpySub<T>(y: usize, x: usize, lr: f64, li: f64, len: i32): void {
  let j = 0;
  if (sizeof<T>() == 8) {
    const vr = f64x2.splat(lr), vi = f64x2(-li, li);
    for (; j < len; j++) {
      const o = <usize>j << 4, xv = v128.load(x + o);
      v128.store(y + o, f64x2.sub(v128.load(y + o), f64x2.add(f64x2.mul(vr, xv), f64x2.mul(vi, i64x2.shuffle(xv, xv, 1, 0)))));
    }
  } else {
    const vr = f32x4.splat(<f32>lr), vi = f32x4(<f32>-li, <f32>li, <f32>-li, <f32>li);
    for (; j + 2 <= len; j += 2) {
      const o = <usize>j << 3, xv = v128.load(x + o);
      v128.store(y + o, f32x4.sub(v128.load(y + o), f32x4.add(f32x4.mul(vr, xv), f32x4.mul(vi, i32x4.shuffle(xv, xv, 1, 0, 3, 2)))));
    }
    for (; j < len; j++) {
      const o = <usize>j << 3;
      const xr = <f32>re<f32>(x + o), xi = <f32>im<f32>(x + o), fr = <f32>lr, fi = <f32>li;
      store<f32>(y + o, load<f32>(y + o) - (fr * xr - fi * xi));
      store<f32>(y + o + 4, load<f32>(y + o + 4) - (fr * xi + fi * xr));
    }
  }
}

/**
 * LU factorization with partial pivoting of `batch` complex n x n matrices: P A = L U, with the
 * real kernel's outputs: L (unit) below the diagonal of `lu` and U on and above it, the int32
 * row permutation `perm`, P as a 0/1 complex matrix and the parity (+1 / -1, imaginary part 0).
 * A singular matrix leaves zeros on U's diagonal, never a trap.
 */
function luC<T>(a: usize, luOut: usize, perm: usize, pOut: usize, parity: usize, batch: i32, n: i32): void {
  const sz = <usize>sizeof<T>() * 2, mat = <usize>n * <usize>n * sz, row = <usize>n * sz;
  for (let t = 0; t < batch; t++) {
    const M = luOut + <usize>t * mat, pr = perm + <usize>(t * n) * 4;
    memory.copy(M, a + <usize>t * mat, mat);
    for (let i = 0; i < n; i++) store<i32>(pr + (<usize>i << 2), i);
    let sign: f64 = 1;
    for (let J0 = 0; J0 < n; J0 += NB) {
      const J1 = min(n, J0 + NB);
      for (let j = J0; j < J1; j++) {
        // (from the diagonal's |re| + |im|, as izamax: a NaN there stays the pivot; see linalg.ts's lu)
        const e0 = M + <usize>j * row + <usize>j * sz;
        let p = j, best: f64 = Math.abs(re<T>(e0)) + Math.abs(im<T>(e0));
        for (let i = j + 1; i < n; i++) {
          const e = M + <usize>i * row + <usize>j * sz;
          const v = Math.abs(re<T>(e)) + Math.abs(im<T>(e));
          if (v > best) { best = v; p = i; }
        }
        if (p != j) {
          const x = M + <usize>j * row, y = M + <usize>p * row;
          for (let c = 0; c < n; c++) {
            const o = <usize>c * sz;
            const tr = re<T>(x + o), ti = im<T>(x + o);
            put<T>(x + o, re<T>(y + o), im<T>(y + o)); put<T>(y + o, tr, ti);
          }
          const tmp = load<i32>(pr + (<usize>j << 2));
          store<i32>(pr + (<usize>j << 2), load<i32>(pr + (<usize>p << 2)));
          store<i32>(pr + (<usize>p << 2), tmp);
          sign = -sign;
        }
        const rj = M + <usize>j * row, dp = rj + <usize>j * sz;
        const dr = re<T>(dp), di = im<T>(dp);
        if (dr == 0 && di == 0) continue; // singular: U's diagonal holds the zero
        // 1 / d with d scaled by its largest part first (no overflow or underflow of |d|^2)
        const s = max(Math.abs(dr), Math.abs(di)), sr = dr / s, si = di / s, den = (sr * sr + si * si) * s;
        const ir = sr / den, ii = -si / den;
        for (let i = j + 1; i < n; i++) {
          const ri = M + <usize>i * row, e = ri + <usize>j * sz;
          const xr = re<T>(e), xi = im<T>(e);
          const lr = xr * ir - xi * ii, li = xr * ii + xi * ir;
          put<T>(e, lr, li);
          caxpySub<T>(ri + <usize>(j + 1) * sz, rj + <usize>(j + 1) * sz, re<T>(e), im<T>(e), J1 - j - 1);
        }
      }
      if (J1 == n) break;
      // U12 = L11^-1 A12 (unit lower), then A22 -= L21 U12, by column chunks kept in cache
      for (let c0 = J1; c0 < n; c0 += CHUNK) {
        const len = min(n, c0 + CHUNK) - c0, co = <usize>c0 * sz;
        for (let r = J0 + 1; r < J1; r++) {
          const rr = M + <usize>r * row;
          for (let k = J0; k < r; k++) {
            const e = rr + <usize>k * sz;
            caxpySub<T>(rr + co, M + <usize>k * row + co, re<T>(e), im<T>(e), len);
          }
        }
        for (let i = J1; i < n; i++) {
          const ri = M + <usize>i * row;
          for (let k = J0; k < J1; k++) {
            const e = ri + <usize>k * sz, lr = re<T>(e), li = im<T>(e);
            if (lr != 0 || li != 0) caxpySub<T>(ri + co, M + <usize>k * row + co, lr, li, len);
          }
        }
      }
    }
    const P = pOut + <usize>t * mat;
    memory.fill(P, 0, mat);
    for (let i = 0; i < n; i++) put<T>(P + <usize>(i * n + load<i32>(pr + (<usize>i << 2))) * sz, 1, 0);
    put<T>(parity + <usize>t * sz, sign, 0);
  }
}
export function lu_c64(a: usize, luOut: usize, perm: usize, pOut: usize, parity: usize, batch: i32, n: i32): void {
  luC<f32>(a, luOut, perm, pOut, parity, batch, n);
}
export function lu_c128(a: usize, luOut: usize, perm: usize, pOut: usize, parity: usize, batch: i32, n: i32): void {
  luC<f64>(a, luOut, perm, pOut, parity, batch, n);
}

/** Determinants of `batch` complex n x n matrices: parity times the product of U's diagonal (in f64). */
function detC<T>(a: usize, out: usize, batch: i32, n: i32): void {
  const sz = <usize>sizeof<T>() * 2, mat = <usize>n * <usize>n * sz;
  const packed = scratch(SLOT_DOT, 2 * mat + <usize>n * 4 + 32);
  const P = packed + mat, parity = P + mat, perm = parity + 16;
  for (let t = 0; t < batch; t++) {
    luC<T>(a + <usize>t * mat, packed, perm, P, parity, 1, n);
    let dr = re<T>(parity), di: f64 = 0;
    for (let i = 0; i < n; i++) {
      const e = packed + <usize>(i * n + i) * sz, ur = re<T>(e), ui = im<T>(e);
      const r = dr * ur - di * ui;
      di = dr * ui + di * ur;
      dr = r;
    }
    put<T>(out + <usize>t * sz, dr + 0, di + 0); // -0 (singular, odd parity) becomes +0
  }
}
export function det_c64(a: usize, out: usize, batch: i32, n: i32): void { detC<f32>(a, out, batch, n); }
export function det_c128(a: usize, out: usize, batch: i32, n: i32): void { detC<f64>(a, out, batch, n); }
