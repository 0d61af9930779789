import { scratch as scratchOf, SLOT_DOT, SLOT_UPDATE_PACK } from './scratch';
import { madd, fmadd, micro6, packRows6, MR_FMA } from './dot_fma';
// Batched matrix product: out[b] = a[b] (m x k) @ b[b] (k x n), all dense row-major.
//
// Large products follow the classic packed-GEMM layout. For each block of KC rows of B,
// the block is packed into panels of NR = 2 vectors of columns (8 f32 / 4 f64), each a
// contiguous kc x NR strip, zero-padded on the right edge; blocks of MC rows of A are
// packed into groups of MR = 4 interleaved rows. The register-blocked micro-kernel then
// computes a 4 x NR tile of out in 8 vector accumulators: per step of k it loads one
// panel row (2 vectors), splats 4 consecutive A values and issues 8 multiply-adds. A panel
// (KC * NR elements = 8 KiB) stays in L1 while the kernel walks the packed A block, which stays
// in L2 while the kernel moves across panels. The first k block stores its tiles, later ones
// accumulate into out. (The FMA build fuses the multiply-adds and uses MR = 6: dot_fma.ts.)
//
// Small shapes skip packing (see gemmRows / gemmNarrow): m < 4 or tiny products build
// one row of out at a time, and n < NR uses dot products of A rows with columns of B.
// A mostly-zero A (see gemmSparse) builds each row of out from the rows of B its nonzeros pick.
// Every float multiply-accumulate is madd / fmadd (dot_fma.ts): fused in the FMA build.

const MR = ASC_FEATURE_RELAXED_SIMD ? MR_FMA : 4;
const KC = 256;
const MC = ASC_FEATURE_RELAXED_SIMD ? 132 : 128; // a multiple of MR
/** m below this: one row of out at a time (gemmRows), in both builds. */
const FEW_ROWS = 4;

// Edge tiles (fewer than MR rows or NR columns) are spilled here first: 4 rows x 2 vectors.
const EDGE = memory.data(4 * 32, 16);

// One MR x NR tile of out (row stride ldc bytes) from a packed A group ap (kc steps of MR
// interleaved elements) and a packed B panel bp (kc steps of NR elements). Only the first
// mr rows and nc columns are written; first == true stores, otherwise accumulates.
function micro<T>(ap: usize, bp: usize, kc: i32, c: usize, ldc: usize, mr: i32, nc: i32,
                  first: bool): void {
  const sz = <usize>sizeof<T>();
  let c00 = i32x4.splat(0), c01 = c00, c10 = c00, c11 = c00;
  let c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  const end = bp + (<usize>kc << 5);
  let a = ap;
  for (let p = bp; p < end; p += 32) {
    const b0 = v128.load(p), b1 = v128.load(p, 16);
    let s = v128.load_splat<T>(a);
    c00 = madd<T>(c00, s, b0); c01 = madd<T>(c01, s, b1);
    s = v128.load_splat<T>(a, sz);
    c10 = madd<T>(c10, s, b0); c11 = madd<T>(c11, s, b1);
    s = v128.load_splat<T>(a, 2 * sz);
    c20 = madd<T>(c20, s, b0); c21 = madd<T>(c21, s, b1);
    s = v128.load_splat<T>(a, 3 * sz);
    c30 = madd<T>(c30, s, b0); c31 = madd<T>(c31, s, b1);
    a += 4 * sz;
  }
  if (mr == 4 && nc == 32 / <i32>sizeof<T>()) {
    const d1 = c + ldc, d2 = d1 + ldc, d3 = d2 + ldc;
    if (!first) {
      c00 = v128.add<T>(c00, v128.load(c)); c01 = v128.add<T>(c01, v128.load(c, 16));
      c10 = v128.add<T>(c10, v128.load(d1)); c11 = v128.add<T>(c11, v128.load(d1, 16));
      c20 = v128.add<T>(c20, v128.load(d2)); c21 = v128.add<T>(c21, v128.load(d2, 16));
      c30 = v128.add<T>(c30, v128.load(d3)); c31 = v128.add<T>(c31, v128.load(d3, 16));
    }
    v128.store(c, c00); v128.store(c, c01, 16);
    v128.store(d1, c10); v128.store(d1, c11, 16);
    v128.store(d2, c20); v128.store(d2, c21, 16);
    v128.store(d3, c30); v128.store(d3, c31, 16);
    return;
  }
  // Edge tile: spill the accumulators and write the valid part element by element.
  v128.store(EDGE, c00); v128.store(EDGE, c01, 16);
  v128.store(EDGE, c10, 32); v128.store(EDGE, c11, 48);
  v128.store(EDGE, c20, 64); v128.store(EDGE, c21, 80);
  v128.store(EDGE, c30, 96); v128.store(EDGE, c31, 112);
  for (let r = 0; r < mr; r++) {
    const d = c + <usize>r * ldc, e = EDGE + (<usize>r << 5);
    for (let j = 0; j < nc; j++) {
      const o = <usize>j * sz;
      store<T>(d + o, first ? load<T>(e + o) : load<T>(d + o) + load<T>(e + o));
    }
  }
}

// Packs rows [0, kc) of B (row stride ldb bytes, n columns) into NR-wide panels:
// panel jp holds B[p][jp*NR + j] at bp + jp*kc*32 + p*32 + j*sz, zero beyond column n.
function packB<T>(b: usize, ldb: usize, kc: i32, n: i32, bp: usize): void {
  const sz = <usize>sizeof<T>(), nr = 32 / <i32>sizeof<T>();
  const full = n & ~(nr - 1);
  let dst = bp;
  for (let j = 0; j < full; j += nr) {
    let src = b + <usize>j * sz;
    for (let p = 0; p < kc; p++) {
      v128.store(dst, v128.load(src)); v128.store(dst, v128.load(src, 16), 16);
      src += ldb; dst += 32;
    }
  }
  if (full < n) {
    const rem = n - full;
    let src = b + <usize>full * sz;
    for (let p = 0; p < kc; p++) {
      v128.store(dst, i32x4.splat(0)); v128.store(dst, i32x4.splat(0), 16);
      for (let j = 0; j < rem; j++) store<T>(dst + <usize>j * sz, load<T>(src + <usize>j * sz));
      src += ldb; dst += 32;
    }
  }
}

// How a block of `rows` rows of A splits into groups: the first `tallGroups(rows)` groups are MR
// rows high, the rest 4. In the FMA build (MR = 6) a block whose height leaves 1 or 2 rows over
// ends in 4-row groups instead of a 6-row group mostly of zeros: 128 rows are 20 x 6 + 2 x 4,
// not 22 x 6 (4 of 132 rows computed for nothing: 5% of the MLP's 128 x 784 x 256 product).
// A 4 x NR tile has 8 accumulators, enough to hide the fused chains' latency, so it runs at about
// the tall tile's rate per multiply-add; each output element is still one chain of madds over k
// in order, so the bits do not depend on the split. The plain build's groups are all 4 high.
function tallGroups(rows: i32): i32 {
  if (!ASC_FEATURE_RELAXED_SIMD) return (rows + MR - 1) / MR;
  const over = rows % MR, whole = rows / MR;
  if (over == 0) return whole;
  if (over == 5) return whole + 1; // one padded row: cheaper than two 4-row groups
  if (over <= 2 && whole > 0) return whole - 1; // the last 6 + over rows as two 4-row groups
  return whole; // 3 or 4 rows over (or fewer than 6 in all): one 4-row group
}

// Packs rows [0, rows) x columns [0, kc) of A (row stride lda bytes) into groups (tallGroups):
// a group of h rows starting at row g0 holds A[g0 + r][p] at its start + p*h*sz + r*sz, zero
// past `rows`; the groups follow each other.
function packA<T>(a: usize, lda: usize, rows: i32, kc: i32, ap: usize): void {
  const sz = <usize>sizeof<T>(), tall = tallGroups(rows) * MR;
  let dst = ap;
  for (let g = 0; g < rows;) {
    const h = g < tall ? MR : 4, a0 = a + <usize>g * lda;
    if (ASC_FEATURE_RELAXED_SIMD && h == MR_FMA && g + h <= rows) {
      dst = packRows6<T>(a0, lda, kc, dst);
    } else if (h == 4 && g + 4 <= rows) {
      const a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
      for (let p = 0; p < kc; p++) {
        const o = <usize>p * sz;
        store<T>(dst, load<T>(a0 + o)); store<T>(dst, load<T>(a1 + o), sz);
        store<T>(dst, load<T>(a2 + o), 2 * sz); store<T>(dst, load<T>(a3 + o), 3 * sz);
        dst += 4 * sz;
      }
    } else {
      const valid = rows - g;
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < h; r++) {
          store<T>(dst + <usize>r * sz, r < valid ? load<T>(a0 + <usize>r * lda + <usize>p * sz) : <T>0);
        }
        dst += <usize>h * sz;
      }
    }
    g += h;
  }
}

// packA for an A stored transposed (k x m, row stride ldt bytes, from its element [0][0] of the
// block): a group's MR values at each step of k are contiguous there. The packed block is
// packA's, element for element, so the product's bits are the same as transposing A first.
function packAT<T>(a: usize, ldt: usize, rows: i32, kc: i32, ap: usize): void {
  const sz = <usize>sizeof<T>(), tall = tallGroups(rows) * MR;
  let dst = ap;
  for (let g = 0; g < rows;) {
    const h = g < tall ? MR : 4, w = <usize>h * sz;
    const valid = min(h, rows - g), bytes = <usize>valid * sz;
    let src = a + <usize>g * sz;
    g += h;
    if (bytes == w) { // a full group: w is 16, 24, 32 or 48 bytes, moved in v128 (and one u64)
      for (let p = 0; p < kc; p++) {
        let o: usize = 0;
        for (; o + 16 <= w; o += 16) v128.store(dst + o, v128.load(src + o));
        if (o < w) store<u64>(dst + o, load<u64>(src + o));
        src += ldt;
        dst += w;
      }
      continue;
    }
    for (let p = 0; p < kc; p++) {
      memory.copy(dst, src, bytes);
      memory.fill(dst + bytes, 0, w - bytes);
      src += ldt;
      dst += w;
    }
  }
}

// trans: A is stored k x m (the lhs of x^T y, a transpose rule's product), packed by packAT.
function gemmPacked<T>(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32,
                       bp: usize, ap: usize, trans: bool = false): void {
  const sz = <usize>sizeof<T>(), nr = 32 / <i32>sizeof<T>();
  const lda = <usize>k * sz, ldt = <usize>m * sz, ldb = <usize>n * sz, ldc = ldb;
  for (let pc = 0; pc < k; pc += KC) {
    const kc = min(KC, k - pc);
    packB<T>(b + <usize>pc * ldb, ldb, kc, n, bp);
    const first = pc == 0;
    const tallBytes = <usize>kc * MR * sz, shortBytes = <usize>kc * 4 * sz, panelBytes = <usize>kc << 5;
    for (let ic = 0; ic < m; ic += MC) {
      const mc = min(MC, m - ic), tall = tallGroups(mc) * MR;
      if (trans) packAT<T>(a + <usize>pc * ldt + <usize>ic * sz, ldt, mc, kc, ap);
      else packA<T>(a + <usize>ic * lda + <usize>pc * sz, lda, mc, kc, ap);
      for (let j = 0; j < n; j += nr) {
        const panel = bp + <usize>(j / nr) * panelBytes;
        const nc = min(nr, n - j);
        let cij = c + <usize>ic * ldc + <usize>j * sz;
        let ag = ap;
        for (let i = 0; i < mc;) {
          if (ASC_FEATURE_RELAXED_SIMD && i < tall) {
            micro6<T>(ag, panel, kc, cij, ldc, min(MR, mc - i), nc, first);
            ag += tallBytes; cij += <usize>MR * ldc; i += MR;
          } else {
            micro<T>(ag, panel, kc, cij, ldc, min(4, mc - i), nc, first);
            ag += shortBytes; cij += 4 * ldc; i += 4;
          }
        }
      }
    }
  }
}

// Sum of x[i] * y[i] for i < k. A long float sum goes in blocks of DOT_BLOCK terms, each block's
// sum added into a float64 total: eight float32 accumulators over 1e7 terms drifted 1% (numpy's
// BLAS 0.3%), blocks keep it near one block's rounding. Up to DOT_BLOCK terms: as before.
const DOT_BLOCK = 4096;
@inline function dotRow<T>(x: usize, y: usize, k: i32): T {
  if (isInteger<T>() || k <= DOT_BLOCK) return dotSpan<T>(x, y, k);
  const sz = <usize>sizeof<T>();
  let total: f64 = 0;
  for (let p = 0; p < k; p += DOT_BLOCK) total += <f64>dotSpan<T>(x + <usize>p * sz, y + <usize>p * sz, min(DOT_BLOCK, k - p));
  return <T>total;
}
@inline function dotSpan<T>(x: usize, y: usize, k: i32): T {
  const sz = <usize>sizeof<T>(), lanes = 16 / <i32>sizeof<T>();
  let s0 = i32x4.splat(0), s1 = s0;
  let p = 0;
  for (; p + 2 * lanes <= k; p += 2 * lanes) {
    const o = <usize>p * sz;
    s0 = madd<T>(s0, v128.load(x + o), v128.load(y + o));
    s1 = madd<T>(s1, v128.load(x + o, 16), v128.load(y + o, 16));
  }
  for (; p + lanes <= k; p += lanes) {
    const o = <usize>p * sz;
    s0 = madd<T>(s0, v128.load(x + o), v128.load(y + o));
  }
  const v = v128.add<T>(s0, s1);
  let s: T;
  if (isInteger<T>()) {
    const h = i32x4.add(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
    s = <T>(i32x4.extract_lane(h, 0) + i32x4.extract_lane(h, 1));
  } else if (sizeof<T>() == 4) {
    const h = f32x4.add(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
    s = <T>(f32x4.extract_lane(h, 0) + f32x4.extract_lane(h, 1));
  } else {
    s = <T>(f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1));
  }
  for (; p < k; p++) s = fmadd<T>(s, load<T>(x + <usize>p * sz), load<T>(y + <usize>p * sz));
  return s;
}

// n < NR: every out element is a dot product of an A row and a B column. The columns are
// gathered once into bt (n x k) so both operands are contiguous (n == 1 needs no copy).
function gemmNarrow<T>(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, bt: usize): void {
  const sz = <usize>sizeof<T>();
  let cols = b;
  if (n > 1) {
    cols = bt;
    for (let p = 0; p < k; p++) {
      for (let j = 0; j < n; j++) {
        store<T>(bt + (<usize>j * <usize>k + <usize>p) * sz, load<T>(b + (<usize>p * <usize>n + <usize>j) * sz));
      }
    }
  }
  const lda = <usize>k * sz;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      store<T>(c + (<usize>i * <usize>n + <usize>j) * sz, dotRow<T>(a + <usize>i * lda, cols + <usize>j * lda, k));
    }
  }
}

// Few rows (m < 4) or tiny products: one row of out at a time, no packing. While B is
// cache-sized, column strips of 4 vectors are accumulated in registers down the rows
// of B; for a large B the strided walk misses cache, so the row is instead built in
// place from 4 rows of B at a time (axpy form), reading B sequentially.
const AXPY_BYTES: usize = 512 << 10;

function gemmRows<T>(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, idx: usize): void {
  const sz = <usize>sizeof<T>(), lanes = 16 / <i32>sizeof<T>();
  const ldb = <usize>n * sz;
  if (<usize>k * ldb > AXPY_BYTES) {
    for (let p = 0; p < k; p++) store<i32>(idx + (<usize>p << 2), p);
    for (let i = 0; i < m; i++) axpyRows<T>(a + <usize>i * <usize>k * sz, idx, k, b, ldb, c + <usize>i * ldb);
    return;
  }
  for (let i = 0; i < m; i++) {
    const ar = a + <usize>i * <usize>k * sz, cr = c + <usize>i * ldb;
    let j = 0;
    for (; j + 4 * lanes <= n; j += 4 * lanes) {
      let s0 = i32x4.splat(0), s1 = s0, s2 = s0, s3 = s0;
      let bq = b + <usize>j * sz;
      for (let p = 0; p < k; p++) {
        const s = v128.load_splat<T>(ar + <usize>p * sz);
        s0 = madd<T>(s0, s, v128.load(bq));
        s1 = madd<T>(s1, s, v128.load(bq, 16));
        s2 = madd<T>(s2, s, v128.load(bq, 32));
        s3 = madd<T>(s3, s, v128.load(bq, 48));
        bq += ldb;
      }
      const o = cr + <usize>j * sz;
      v128.store(o, s0); v128.store(o, s1, 16); v128.store(o, s2, 32); v128.store(o, s3, 48);
    }
    for (; j + lanes <= n; j += lanes) {
      let s0 = i32x4.splat(0);
      let bq = b + <usize>j * sz;
      for (let p = 0; p < k; p++) {
        s0 = madd<T>(s0, v128.load_splat<T>(ar + <usize>p * sz), v128.load(bq));
        bq += ldb;
      }
      v128.store(cr + <usize>j * sz, s0);
    }
    for (; j < n; j++) {
      let s: T = 0;
      let bq = b + <usize>j * sz;
      for (let p = 0; p < k; p++) { s = fmadd<T>(s, load<T>(ar + <usize>p * sz), load<T>(bq)); bq += ldb; }
      store<T>(cr + <usize>j * sz, s);
    }
  }
}

// cr[:] = sum over q < cnt of ar[p] * B[p, :] with p = idx[q] (ascending), four rows of B per
// pass over cr (row bytes ldb). The first pass stores (cr need not be cleared) what it adds to
// +0, so that a sum of zeros is +0 as in the dense kernels.
function axpyRows<T>(ar: usize, idx: usize, cnt: i32, b: usize, ldb: usize, cr: usize): void {
  const sz = <usize>sizeof<T>(), vecBytes = ldb & ~15, zero = i32x4.splat(0);
  if (cnt == 0) { memory.fill(cr, 0, ldb); return; }
  let q = 0;
  for (; q + 4 <= cnt; q += 4) {
    const p0 = load<i32>(idx + (<usize>q << 2)), p1 = load<i32>(idx + (<usize>q << 2), 4);
    const p2 = load<i32>(idx + (<usize>q << 2), 8), p3 = load<i32>(idx + (<usize>q << 2), 12);
    const x0 = load<T>(ar + <usize>p0 * sz), x1 = load<T>(ar + <usize>p1 * sz);
    const x2 = load<T>(ar + <usize>p2 * sz), x3 = load<T>(ar + <usize>p3 * sz);
    const s0 = v128.splat<T>(x0), s1 = v128.splat<T>(x1), s2 = v128.splat<T>(x2), s3 = v128.splat<T>(x3);
    const b0 = b + <usize>p0 * ldb, b1 = b + <usize>p1 * ldb, b2 = b + <usize>p2 * ldb, b3 = b + <usize>p3 * ldb;
    let j: usize = 0;
    if (q == 0) {
      for (; j < vecBytes; j += 16) {
        const u = madd<T>(v128.mul<T>(s0, v128.load(b0 + j)), s1, v128.load(b1 + j));
        const w = madd<T>(v128.mul<T>(s2, v128.load(b2 + j)), s3, v128.load(b3 + j));
        v128.store(cr + j, v128.add<T>(zero, v128.add<T>(u, w)));
      }
      for (; j < ldb; j += sz) {
        store<T>(cr + j, <T>0 + (fmadd<T>(x0 * load<T>(b0 + j), x1, load<T>(b1 + j)) + fmadd<T>(x2 * load<T>(b2 + j), x3, load<T>(b3 + j))));
      }
      continue;
    }
    for (; j < vecBytes; j += 16) {
      const u = madd<T>(v128.mul<T>(s0, v128.load(b0 + j)), s1, v128.load(b1 + j));
      const w = madd<T>(v128.mul<T>(s2, v128.load(b2 + j)), s3, v128.load(b3 + j));
      v128.store(cr + j, v128.add<T>(v128.load(cr + j), v128.add<T>(u, w)));
    }
    for (; j < ldb; j += sz) {
      const u = fmadd<T>(x0 * load<T>(b0 + j), x1, load<T>(b1 + j));
      const w = fmadd<T>(x2 * load<T>(b2 + j), x3, load<T>(b3 + j));
      store<T>(cr + j, load<T>(cr + j) + (u + w));
    }
  }
  for (; q < cnt; q++) {
    const p = load<i32>(idx + (<usize>q << 2));
    const x = load<T>(ar + <usize>p * sz), s = v128.splat<T>(x), bq = b + <usize>p * ldb;
    let j: usize = 0;
    if (q == 0) {
      for (; j < vecBytes; j += 16) v128.store(cr + j, madd<T>(zero, s, v128.load(bq + j)));
      for (; j < ldb; j += sz) store<T>(cr + j, fmadd<T>(<T>0, x, load<T>(bq + j)));
      continue;
    }
    for (; j < vecBytes; j += 16) v128.store(cr + j, madd<T>(v128.load(cr + j), s, v128.load(bq + j)));
    for (; j < ldb; j += sz) store<T>(cr + j, fmadd<T>(load<T>(cr + j), x, load<T>(bq + j)));
  }
}

// A lhs with at most a quarter of its entries nonzero (a standard basis pushed through a
// vmapped jvp or pullback by jacfwd/jacrev/hessian, masks, selection and permutation matrices):
// each row of out is the axpy of the rows of B that its nonzeros pick, the zeros skipped. Exact
// (the dense sum is the same terms in the same order plus the skipped ones, each +-0, which leave
// a sum that starts at +0 unchanged) except where 0 * B[p, j] is NaN: a float row of B holding an
// inf or a NaN is never skipped, so such products still give NaN as the dense kernel does.
const SPARSE_MIN_N = 8;

/** Whether at most a quarter of the `len` elements at a are nonzero (stops counting past it). */
function mostlyZero<T>(a: usize, len: i32): bool {
  const sz = <usize>sizeof<T>(), lanes = 16 / <i32>sizeof<T>(), limit = len >> 2;
  const zero = i32x4.splat(0);
  let nnz = 0, p = 0;
  for (; p + 4 * lanes <= len; p += 4 * lanes) {
    const o = a + <usize>p * sz;
    const n0 = v128.ne<T>(v128.load(o), zero), n1 = v128.ne<T>(v128.load(o, 16), zero);
    const n2 = v128.ne<T>(v128.load(o, 32), zero), n3 = v128.ne<T>(v128.load(o, 48), zero);
    if (sizeof<T>() == 8) {
      nnz += popcnt(i64x2.bitmask(n0)) + popcnt(i64x2.bitmask(n1)) + popcnt(i64x2.bitmask(n2)) + popcnt(i64x2.bitmask(n3));
    } else {
      nnz += popcnt(i32x4.bitmask(n0)) + popcnt(i32x4.bitmask(n1)) + popcnt(i32x4.bitmask(n2)) + popcnt(i32x4.bitmask(n3));
    }
    if (nnz > limit) return false;
  }
  for (; p < len; p++) if (load<T>(a + <usize>p * sz) != 0) nnz++;
  return nnz <= limit;
}

/** Whether the n values at p are all finite (x - x is 0 for finite x, NaN for inf and NaN). */
function finiteRow<T>(p: usize, n: i32): bool {
  const sz = <usize>sizeof<T>(), lanes = 16 / <i32>sizeof<T>();
  let acc = i32x4.splat(0), s: T = 0;
  let j = 0;
  for (; j + lanes <= n; j += lanes) {
    const v = v128.load(p + <usize>j * sz);
    acc = v128.add<T>(acc, v128.sub<T>(v, v));
  }
  for (; j < n; j++) { const x = load<T>(p + <usize>j * sz); s += x - x; }
  const same = v128.eq<T>(acc, acc);
  return (sizeof<T>() == 8 ? i64x2.all_true(same) : i32x4.all_true(same)) && s == s;
}

// scratch: k bytes of skip flags, then k indices.
function gemmSparse<T>(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, scratch: usize): void {
  const sz = <usize>sizeof<T>(), ldb = <usize>n * sz;
  const skippable = scratch, idx = scratch + ((<usize>k + 15) & ~15);
  for (let p = 0; p < k; p++) store<u8>(skippable + <usize>p, isInteger<T>() || finiteRow<T>(b + <usize>p * ldb, n) ? 1 : 0);
  for (let i = 0; i < m; i++) {
    const ar = a + <usize>i * <usize>k * sz;
    let cnt = 0;
    for (let p = 0; p < k; p++) {
      if (load<T>(ar + <usize>p * sz) != 0 || load<u8>(skippable + <usize>p) == 0) store<i32>(idx + (<usize>(cnt++) << 2), p);
    }
    axpyRows<T>(ar, idx, cnt, b, ldb, c + <usize>i * ldb);
  }
}

const PATH_ROWS = 0, PATH_NARROW = 1, PATH_PACKED = 2;

/** The path dotImpl takes for an m x k by k x n product. */
function pathOf<T>(m: i32, k: i32, n: i32): i32 {
  const nr = 32 / <i32>sizeof<T>(), tiny = <i64>m * <i64>n * <i64>k <= 4096;
  return (m < FEW_ROWS && n >= nr) || (tiny && n >= 4) ? PATH_ROWS : n < nr ? PATH_NARROW : PATH_PACKED;
}

/**
 * Whether dot_tn applies: every product of the batch takes the packed path (none is mostly
 * zeros), which is the only one that reads A through packing. A's layout does not change the
 * count of its zeros, so the test is dotImpl's own.
 */
function tnApplies<T>(a: usize, batch: i32, m: i32, k: i32, n: i32): bool {
  if (batch <= 0 || m <= 0 || n <= 0 || k <= 0 || pathOf<T>(m, k, n) != PATH_PACKED) return false;
  if (n < SPARSE_MIN_N) return true;
  const sa = <usize>m * <usize>k * sizeof<T>();
  for (let t = 0; t < batch; t++) if (mostlyZero<T>(a + <usize>t * sa, m * k)) return false;
  return true;
}

/** The packed scratch: B's panels, then a packed block of A. */
function packedScratch<T>(m: i32, k: i32, n: i32, lists: usize): usize {
  const sz = <usize>sizeof<T>(), nr = 32 / <i32>sizeof<T>(), kc = <usize>min(KC, k);
  const bBytes = <usize>((n + nr - 1) / nr) * kc * 32;
  return scratchOf(SLOT_DOT, lists + bBytes + <usize>(ASC_FEATURE_RELAXED_SIMD ? (min(MC, m) + MR - 1) / MR * MR : (min(MC, m) + MR - 1) & ~(MR - 1)) * kc * sz);
}

/**
 * out[b] = a[b]^T @ b[b] with a[b] stored k x m (x^T y without the transpose: A is packed from
 * its columns), when tnApplies; returns false (nothing written) otherwise, and the caller
 * transposes A for dotImpl.
 */
function dotTnImpl<T>(a: usize, b: usize, out: usize, batch: i32, m: i32, k: i32, n: i32): bool {
  if (!tnApplies<T>(a, batch, m, k, n)) return false;
  const sz = <usize>sizeof<T>(), nr = 32 / <i32>sizeof<T>(), kc = <usize>min(KC, k);
  const sa = <usize>m * <usize>k * sz, sb = <usize>k * <usize>n * sz, sc = <usize>m * <usize>n * sz;
  const bBytes = <usize>((n + nr - 1) / nr) * kc * 32;
  const work = packedScratch<T>(m, k, n, 0);
  for (let t = 0; t < batch; t++) gemmPacked<T>(a + <usize>t * sa, b + <usize>t * sb, out + <usize>t * sc, m, k, n, work, work + bBytes, true);
  return true;
}

export function dot_tn_f32(a: usize, b: usize, out: usize, batch: i32, m: i32, k: i32, n: i32): bool {
  return dotTnImpl<f32>(a, b, out, batch, m, k, n);
}
export function dot_tn_i32(a: usize, b: usize, out: usize, batch: i32, m: i32, k: i32, n: i32): bool {
  return dotTnImpl<i32>(a, b, out, batch, m, k, n);
}
export function dot_tn_f64(a: usize, b: usize, out: usize, batch: i32, m: i32, k: i32, n: i32): bool {
  return dotTnImpl<f64>(a, b, out, batch, m, k, n);
}

function dotImpl<T>(a: usize, b: usize, out: usize, batch: i32, m: i32, k: i32, n: i32): void {
  if (batch <= 0 || m <= 0 || n <= 0) return;
  const sz = <usize>sizeof<T>(), nr = 32 / <i32>sizeof<T>();
  const sa = <usize>m * <usize>k * sz, sb = <usize>k * <usize>n * sz, sc = <usize>m * <usize>n * sz;
  if (k <= 0) { memory.fill(out, 0, sc * <usize>batch); return; }
  const tiny = <i64>m * <i64>n * <i64>k <= 4096;
  const path = pathOf<T>(m, k, n);
  // One scratch block: the sparse path's flags and indices (also gemmRows' index list), then
  // B's columns (narrow) or B's panels and the packed A block (packed).
  const lists = ((<usize>k + 15) & ~15) + (((<usize>k << 2) + 15) & ~15);
  const kc = <usize>min(KC, k);
  const bBytes = <usize>((n + nr - 1) / nr) * kc * 32;
  let more: usize = 0;
  if (path == PATH_NARROW && n > 1) more = <usize>n * <usize>k * sz;
  else if (path == PATH_PACKED) more = bBytes + <usize>(ASC_FEATURE_RELAXED_SIMD ? (min(MC, m) + MR - 1) / MR * MR : (min(MC, m) + MR - 1) & ~(MR - 1)) * kc * sz;
  const scratch = scratchOf(SLOT_DOT, lists + more), work = scratch + lists;
  const trySparse = n >= SPARSE_MIN_N && !tiny;
  for (let t = 0; t < batch; t++) {
    const at = a + <usize>t * sa, bt = b + <usize>t * sb, ct = out + <usize>t * sc;
    if (trySparse && mostlyZero<T>(at, m * k)) gemmSparse<T>(at, bt, ct, m, k, n, scratch);
    else if (path == PATH_ROWS) gemmRows<T>(at, bt, ct, m, k, n, scratch);
    else if (path == PATH_NARROW) gemmNarrow<T>(at, bt, ct, m, k, n, work);
    else gemmPacked<T>(at, bt, ct, m, k, n, work, work + bBytes);
  }
}

/**
 * c = a (m x k) @ b (k x n), contiguous row-major, through the packed micro-kernel, packing into
 * its own scratch slot: for the factorizations' trailing updates (kernels/linalg.ts), whose
 * callers may hold SLOT_DOT. Needs m >= 4 and n >= 32 / sizeof<T>() (the caller checks).
 */
export function gemmUpdate<T>(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32): void {
  const sz = <usize>sizeof<T>(), nr = 32 / <i32>sizeof<T>();
  const kc = <usize>min(KC, k);
  const bBytes = <usize>((n + nr - 1) / nr) * kc * 32;
  const buf = scratchOf(SLOT_UPDATE_PACK, bBytes + <usize>(ASC_FEATURE_RELAXED_SIMD ? (min(MC, m) + MR - 1) / MR * MR : (min(MC, m) + MR - 1) & ~(MR - 1)) * kc * sz);
  gemmPacked<T>(a, b, c, m, k, n, buf, buf + bBytes);
}

export function dot_f32(a: usize, b: usize, out: usize, batch: i32, m: i32, k: i32, n: i32): void {
  dotImpl<f32>(a, b, out, batch, m, k, n);
}

/** int32 and uint32: i32x4 mul/add wrap modulo 2^32, the same bits for both signs. */
export function dot_i32(a: usize, b: usize, out: usize, batch: i32, m: i32, k: i32, n: i32): void {
  dotImpl<i32>(a, b, out, batch, m, k, n);
}

export function dot_f64(a: usize, b: usize, out: usize, batch: i32, m: i32, k: i32, n: i32): void {
  dotImpl<f64>(a, b, out, batch, m, k, n);
}

// out[b] = a[b] (m x k) @ b[b]^T with b[b] stored n x k (the "NT" layout a transpose rule
// produces): every out element is a dot product of two contiguous rows, so no copy of B. Up to
// DOT_BLOCK terms the elements go in tiles of 2 rows of A by 4 rows of B (ntTile): 8
// accumulators hide the multiply-adds' latency, and each loaded vector feeds 2 or 4 of them,
// where one dot product at a time waited on its own chain (the RNN's dz W^T, 16 x 128 by
// 128 x 128, ran 4x slower than the packed kernel).
function dotNtImpl<T>(a: usize, b: usize, out: usize, batch: i32, m: i32, k: i32, n: i32): void {
  const sz = <usize>sizeof<T>(), lda = <usize>k * sz;
  const sa = <usize>m * <usize>k * sz, sb = <usize>n * <usize>k * sz, sc = <usize>m * <usize>n * sz;
  const tiled = isInteger<T>() || k <= DOT_BLOCK;
  for (let t = 0; t < batch; t++) {
    const at = a + <usize>t * sa, bt = b + <usize>t * sb, ct = out + <usize>t * sc;
    if (!tiled) {
      for (let i = 0; i < m; i++) {
        const ar = at + <usize>i * lda, cr = ct + <usize>i * <usize>n * sz;
        for (let j = 0; j < n; j++) store<T>(cr + <usize>j * sz, dotRow<T>(ar, bt + <usize>j * lda, k));
      }
      continue;
    }
    for (let i = 0; i < m; i += 2) {
      const rows = min(2, m - i);
      for (let j = 0; j < n; j += 4) ntTile<T>(at + <usize>i * lda, lda, rows, bt + <usize>j * lda, min(4, n - j), k,
        ct + (<usize>i * <usize>n + <usize>j) * sz, <usize>n * sz);
    }
  }
}

/** The sum of v's lanes: (v0 + v2) + (v1 + v3), or v0 + v1 for f64. */
@inline function lanesSum<T>(v: v128): T {
  if (sizeof<T>() == 8) return <T>(f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1));
  if (isInteger<T>()) {
    const h = i32x4.add(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
    return <T>(i32x4.extract_lane(h, 0) + i32x4.extract_lane(h, 1));
  }
  const h = f32x4.add(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
  return <T>(f32x4.extract_lane(h, 0) + f32x4.extract_lane(h, 1));
}

/**
 * out[r][c] = a_r . b_c for rows < 2 of A from a0 (stride lda) and c < cols of B from b0 (stride
 * lda): one accumulator per element over the whole vectors of k, its lanes summed, then the tail
 * in order. A missing row or column reads a present one and is not stored, so every element is
 * the same sequence of operations wherever it falls in a tile.
 */
function ntTile<T>(a0: usize, lda: usize, rows: i32, b0: usize, cols: i32, k: i32, c: usize, ldc: usize): void {
  const sz = <usize>sizeof<T>(), lanes = 16 / <i32>sizeof<T>();
  const a1 = rows > 1 ? a0 + lda : a0;
  const b1 = cols > 1 ? b0 + lda : b0, b2 = cols > 2 ? b1 + lda : b1, b3 = cols > 3 ? b2 + lda : b2;
  let c00 = i32x4.splat(0), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00;
  let p = 0;
  for (; p + lanes <= k; p += lanes) {
    const o = <usize>p * sz;
    const x0 = v128.load(a0 + o), x1 = v128.load(a1 + o);
    let y = v128.load(b0 + o);
    c00 = madd<T>(c00, x0, y); c10 = madd<T>(c10, x1, y);
    y = v128.load(b1 + o);
    c01 = madd<T>(c01, x0, y); c11 = madd<T>(c11, x1, y);
    y = v128.load(b2 + o);
    c02 = madd<T>(c02, x0, y); c12 = madd<T>(c12, x1, y);
    y = v128.load(b3 + o);
    c03 = madd<T>(c03, x0, y); c13 = madd<T>(c13, x1, y);
  }
  let s00 = lanesSum<T>(c00), s01 = lanesSum<T>(c01), s02 = lanesSum<T>(c02), s03 = lanesSum<T>(c03);
  let s10 = lanesSum<T>(c10), s11 = lanesSum<T>(c11), s12 = lanesSum<T>(c12), s13 = lanesSum<T>(c13);
  for (; p < k; p++) {
    const o = <usize>p * sz, x0 = load<T>(a0 + o), x1 = load<T>(a1 + o);
    const y0 = load<T>(b0 + o), y1 = load<T>(b1 + o), y2 = load<T>(b2 + o), y3 = load<T>(b3 + o);
    s00 = fmadd<T>(s00, x0, y0); s01 = fmadd<T>(s01, x0, y1); s02 = fmadd<T>(s02, x0, y2); s03 = fmadd<T>(s03, x0, y3);
    s10 = fmadd<T>(s10, x1, y0); s11 = fmadd<T>(s11, x1, y1); s12 = fmadd<T>(s12, x1, y2); s13 = fmadd<T>(s13, x1, y3);
  }
  store<T>(c, s00);
  if (cols > 1) store<T>(c, s01, sz);
  if (cols > 2) store<T>(c, s02, 2 * sz);
  if (cols > 3) store<T>(c, s03, 3 * sz);
  if (rows < 2) return;
  const d = c + ldc;
  store<T>(d, s10);
  if (cols > 1) store<T>(d, s11, sz);
  if (cols > 2) store<T>(d, s12, 2 * sz);
  if (cols > 3) store<T>(d, s13, 3 * sz);
}

export function dot_nt_f32(a: usize, b: usize, out: usize, batch: i32, m: i32, k: i32, n: i32): void {
  dotNtImpl<f32>(a, b, out, batch, m, k, n);
}

export function dot_nt_i32(a: usize, b: usize, out: usize, batch: i32, m: i32, k: i32, n: i32): void {
  dotNtImpl<i32>(a, b, out, batch, m, k, n);
}

export function dot_nt_f64(a: usize, b: usize, out: usize, batch: i32, m: i32, k: i32, n: i32): void {
  dotNtImpl<f64>(a, b, out, batch, m, k, n);
}
