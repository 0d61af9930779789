// Data movement: broadcast_in_dim and transpose, dtype-agnostic by element width
// (b8 / b32 / b64 move u8 / u32 / u64 bit patterns).
//
// Both kernels describe the output as axes with an input stride each, then simplify:
// size-1 axes are dropped and neighbouring axes merge when the outer stride equals the
// inner stride times the inner size (contiguous runs and broadcast runs both merge).
// What remains is walked with an odometer over the outer axes and a fast inner step:
//   - broadcast: the innermost axis is either a splat (stride 0: vector stores of one
//     value) or a contiguous copy (memory.copy for long runs, a loop for short ones);
//     when the next axis is a broadcast too, the first run is repeated by copying
//     already-written output in doubling chunks, so tiny runs cost no per-run overhead;
//   - transpose: identity is one memory.copy; a perm that keeps the innermost input
//     axis innermost becomes run copies; otherwise the plane spanned by the input's
//     contiguous axis and the output's contiguous axis is transposed in staged tiles
//     (one cache line per source row, four per output row) made of 4x4 (32-bit) or 2x2
//     (64-bit) in-register SIMD transposes.

const MAXD = 64;
// Scratch for simplified shapes (sizes, input strides, output strides, odometer).
const DN = memory.data(MAXD * 4);
const DS = memory.data(MAXD * 4);
const DO = memory.data(MAXD * 4);
const IDX = memory.data(MAXD * 4);
const TBUF = memory.data(64 * 64, 16); // one staged transpose tile (up to 64 lines of 64 bytes)
const SHORT_RUN: usize = 64; // bytes; below this a plain loop beats memory.copy's call overhead
const REPEAT_CHUNK: usize = 16 << 10;

@inline function geti(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }
@inline function seti(p: usize, i: i32, v: i32): void { store<i32>(p + (<usize>i << 2), v); }

// Copies len elements; memory.copy for long runs.
@inline function copyRun<T>(dst: usize, src: usize, len: i32): void {
  const bytes = <usize>len * sizeof<T>();
  if (bytes >= SHORT_RUN) { memory.copy(dst, src, bytes); return; }
  for (let i: usize = 0; i < bytes; i += sizeof<T>()) store<T>(dst + i, load<T>(src + i));
}

// Writes len copies of the element at src.
@inline function splatRun<T>(dst: usize, src: usize, len: i32): void {
  const v = load<T>(src);
  const bytes = <usize>len * sizeof<T>();
  const body = bytes & ~15;
  const s = v128.splat<T>(v);
  let i: usize = 0;
  for (; i < body; i += 16) v128.store(dst + i, s);
  for (; i < bytes; i += sizeof<T>()) store<T>(dst + i, v);
}

// Drops size-1 axes of (DN, DS) and merges neighbours when DS[j] == DS[j+1] * DN[j+1],
// then recomputes DO as the dense strides of the (row-major) output; returns the count.
function simplify(g: i32): i32 {
  let k = 0;
  for (let j = 0; j < g; j++) {
    const n = geti(DN, j), s = geti(DS, j);
    if (n == 1) continue;
    if (k > 0) {
      const pn = geti(DN, k - 1);
      if (geti(DS, k - 1) == s * n) { // outer stride = inner stride x inner size
        seti(DN, k - 1, pn * n); seti(DS, k - 1, s);
        continue;
      }
    }
    seti(DN, k, n); seti(DS, k, s);
    k++;
  }
  let os = 1;
  for (let j = k - 1; j >= 0; j--) { seti(DO, j, os); os *= geti(DN, j); }
  return k;
}

// Odometer over the simplified axes [0, g), except skip0 / skip1 (the axes handled by the
// inner step). inOff / outOff are element offsets of the current position; step()
// advances to the next position and returns false after the last one.
let inOff = 0, outOff = 0;

function resetOdometer(g: i32): void {
  for (let k = 0; k < g; k++) seti(IDX, k, 0);
  inOff = 0; outOff = 0;
}

function step(g: i32, skip0: i32, skip1: i32): bool {
  for (let k = g - 1; k >= 0; k--) {
    if (k == skip0 || k == skip1) continue;
    const i = geti(IDX, k) + 1, n = geti(DN, k);
    if (i < n) {
      seti(IDX, k, i);
      inOff += geti(DS, k); outOff += geti(DO, k);
      return true;
    }
    seti(IDX, k, 0);
    inOff -= geti(DS, k) * (n - 1); outOff -= geti(DO, k) * (n - 1);
  }
  return false;
}

function broadcastInDim<T>(x: usize, out: usize, inShape: usize, inNdim: i32,
                           outShape: usize, outNdim: i32, dims: usize): void {
  const sz = <usize>sizeof<T>();
  let total = 1;
  for (let j = 0; j < outNdim; j++) {
    const n = geti(outShape, j);
    total *= n;
    seti(DN, j, n); seti(DS, j, 0);
  }
  if (total == 0) return;
  let st = 1;
  for (let i = inNdim - 1; i >= 0; i--) {
    const n = geti(inShape, i);
    if (n != 1) seti(DS, geti(dims, i), st);
    st *= n;
  }
  const g = simplify(outNdim);
  if (g == 0) { store<T>(out, load<T>(x)); return; }

  const n0 = geti(DN, g - 1), s0 = geti(DS, g - 1);
  if (g == 1) { runInto<T>(out, x, n0, s0); return; }
  // The odometer walks all but the last two axes; the last two are done inline so that
  // short innermost runs do not pay the odometer per run.
  const n1 = geti(DN, g - 2), s1 = geti(DS, g - 2);
  const runBytes = <usize>n0 * sz;
  resetOdometer(g);
  do {
    const src = x + <usize>inOff * sz, dst = out + <usize>outOff * sz;
    if (s1 == 0) {
      runInto<T>(dst, src, n0, s0);
      repeatBlock(dst, runBytes, n1);
    } else {
      for (let i = 0; i < n1; i++) runInto<T>(dst + <usize>i * runBytes, src + <usize>(i * s1) * sz, n0, s0);
    }
  } while (step(g, g - 2, g - 1));
}

// One innermost run of n elements with input stride s (elements): splat, copy or gather.
@inline function runInto<T>(dst: usize, src: usize, n: i32, s: i32): void {
  const sz = <usize>sizeof<T>();
  if (s == 0) splatRun<T>(dst, src, n);
  else if (s == 1) copyRun<T>(dst, src, n);
  else for (let i = 0; i < n; i++) store<T>(dst + <usize>i * sz, load<T>(src + <usize>(i * s) * sz));
}

// dst holds one block of `block` bytes; repeat it until there are `count` blocks, copying
// already-written blocks (doubling up to REPEAT_CHUNK bytes per copy, a cache-resident source).
function repeatBlock(dst: usize, block: usize, count: i32): void {
  const total = block * <usize>count;
  const cap = max(block, REPEAT_CHUNK / block * block);
  let filled = block;
  while (filled < total) {
    const c = min(min(filled, total - filled), cap);
    memory.copy(dst + filled, dst, c);
    filled += c;
  }
}

export function broadcast_in_dim_b8(x: usize, out: usize, inShape: usize, inNdim: i32,
                                    outShape: usize, outNdim: i32, dims: usize): void {
  broadcastInDim<u8>(x, out, inShape, inNdim, outShape, outNdim, dims);
}
export function broadcast_in_dim_b32(x: usize, out: usize, inShape: usize, inNdim: i32,
                                     outShape: usize, outNdim: i32, dims: usize): void {
  broadcastInDim<u32>(x, out, inShape, inNdim, outShape, outNdim, dims);
}
export function broadcast_in_dim_b64(x: usize, out: usize, inShape: usize, inNdim: i32,
                                     outShape: usize, outNdim: i32, dims: usize): void {
  broadcastInDim<u64>(x, out, inShape, inNdim, outShape, outNdim, dims);
}

// Transposes one BxB block (B = 4 for 32-bit, 2 for 64-bit, 1 for bytes):
// dst[a][b] = src[b][a], row strides in bytes.
@inline function blockT<T>(src: usize, srs: usize, dst: usize, drs: usize): void {
  if (sizeof<T>() == 4) {
    const r0 = v128.load(src), r1 = v128.load(src + srs);
    const r2 = v128.load(src + 2 * srs), r3 = v128.load(src + 3 * srs);
    const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5), t1 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
    const t2 = i32x4.shuffle(r2, r3, 0, 4, 1, 5), t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
    v128.store(dst, i64x2.shuffle(t0, t2, 0, 2));
    v128.store(dst + drs, i64x2.shuffle(t0, t2, 1, 3));
    v128.store(dst + 2 * drs, i64x2.shuffle(t1, t3, 0, 2));
    v128.store(dst + 3 * drs, i64x2.shuffle(t1, t3, 1, 3));
  } else if (sizeof<T>() == 8) {
    const r0 = v128.load(src), r1 = v128.load(src + srs);
    v128.store(dst, i64x2.shuffle(r0, r1, 0, 2));
    v128.store(dst + drs, i64x2.shuffle(r0, r1, 1, 3));
  } else {
    store<T>(dst, load<T>(src));
  }
}

// dst[a*dstRS + b] = src[b*srcRS + a] for a < A, b < B (strides in elements).
// Tiles span TA = 64 / sz elements along a (one cache line of each source row) and
// TB = min(64, 256 / sz) along b (four lines of each output row, 1 for bytes). A tile is
// first staged: its source lines are read whole into TBUF (with large power-of-two strides
// those lines would otherwise evict each other between uses), then written out with
// in-register block transposes, each output row's bytes finished by consecutive stores.
// Edge tiles (fewer than TA or TB elements) are staged the same way; only their last
// a % BS rows and b % BS columns go element by element, so a narrow side (a [2048, 32]
// matrix: every tile is 32 wide) still moves in blocks.
function transpose2d<T>(src: usize, srcRS: i32, dst: usize, dstRS: i32, A: i32, B: i32): void {
  const sz = <usize>sizeof<T>();
  const TA = 64 / <i32>sizeof<T>(), TB = sizeof<T>() == 1 ? 64 : 256 / <i32>sizeof<T>();
  const BS = sizeof<T>() == 4 ? 4 : sizeof<T>() == 8 ? 2 : 1;
  const srs = <usize>srcRS * sz, drs = <usize>dstRS * sz;
  for (let b0 = 0; b0 < B; b0 += TB) {
    const bn = min(TB, B - b0), bb = bn & ~(BS - 1);
    for (let a0 = 0; a0 < A; a0 += TA) {
      const an = min(TA, A - a0), ab = an & ~(BS - 1);
      const s0 = src + <usize>b0 * srs + <usize>a0 * sz, d0 = dst + <usize>a0 * drs + <usize>b0 * sz;
      if (an == TA) {
        for (let b = 0; b < bn; b++) {
          const p = s0 + <usize>b * srs, q = TBUF + (<usize>b << 6);
          v128.store(q, v128.load(p)); v128.store(q, v128.load(p, 16), 16);
          v128.store(q, v128.load(p, 32), 32); v128.store(q, v128.load(p, 48), 48);
        }
      } else {
        for (let b = 0; b < bn; b++) memory.copy(TBUF + (<usize>b << 6), s0 + <usize>b * srs, <usize>an * sz);
      }
      for (let a = 0; a < ab; a += BS) {
        const drow = d0 + <usize>a * drs, srow = TBUF + <usize>a * sz;
        for (let b = 0; b < bb; b += BS) blockT<T>(srow + (<usize>b << 6), 64, drow + <usize>b * sz, drs);
      }
      // The ragged edges: columns [bb, bn) of every row, then rows [ab, an).
      for (let a = 0; a < an; a++) {
        const drow = d0 + <usize>a * drs, srow = TBUF + <usize>a * sz;
        for (let b = a < ab ? bb : 0; b < bn; b++) store<T>(drow + <usize>b * sz, load<T>(srow + (<usize>b << 6)));
      }
    }
  }
}

function transposeImpl<T>(x: usize, out: usize, shape: usize, ndim: i32, perm: usize): void {
  const sz = <usize>sizeof<T>();
  // Input strides, then per output axis j: size DN, input stride DS, output stride DO.
  let total = 1;
  for (let i = ndim - 1; i >= 0; i--) { seti(IDX, i, total); total *= geti(shape, i); }
  if (total == 0) return;
  for (let j = 0; j < ndim; j++) {
    const p = geti(perm, j);
    seti(DN, j, geti(shape, p)); seti(DS, j, geti(IDX, p));
  }
  const g = simplify(ndim);
  if (g <= 1) { memory.copy(out, x, <usize>total * sz); return; }

  resetOdometer(g);
  const last = g - 1;
  if (geti(DS, last) == 1) {
    // Innermost output axis is contiguous in the input: copy runs, the runs along the
    // next axis in an inline loop so that short runs do not pay the odometer per run.
    const n = geti(DN, last), n1 = geti(DN, last - 1), s1 = <usize>geti(DS, last - 1) * sz;
    const runBytes = <usize>n * sz;
    do {
      const dst = out + <usize>outOff * sz, src = x + <usize>inOff * sz;
      for (let i = 0; i < n1; i++) copyRun<T>(dst + <usize>i * runBytes, src + <usize>i * s1, n);
    } while (step(g, last - 1, last));
    return;
  }
  // Axis q is the input's contiguous axis; transpose the (q, last) plane for every
  // combination of the remaining axes.
  let q = 0;
  while (geti(DS, q) != 1) q++;
  const A = geti(DN, q), B = geti(DN, last), srcRS = geti(DS, last), dstRS = geti(DO, q);
  do {
    transpose2d<T>(x + <usize>inOff * sz, srcRS,
                   out + <usize>outOff * sz, dstRS, A, B);
  } while (step(g, q, last));
}

export function transpose_b8(x: usize, out: usize, shape: usize, ndim: i32, perm: usize): void {
  transposeImpl<u8>(x, out, shape, ndim, perm);
}
export function transpose_b32(x: usize, out: usize, shape: usize, ndim: i32, perm: usize): void {
  transposeImpl<u32>(x, out, shape, ndim, perm);
}
export function transpose_b64(x: usize, out: usize, shape: usize, ndim: i32, perm: usize): void {
  transposeImpl<u64>(x, out, shape, ndim, perm);
}
