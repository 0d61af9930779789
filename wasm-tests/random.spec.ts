// threefry2x32 against the known-answer vectors of Random123 (Salmon et al.; the vectors JAX's
// own tests use), scalar and SIMD paths alike, and JAX's counter layout for odd lengths.
import '../assembly/index';
import { threefryBlock, threefry2x32, normal_f64, erfinv64, erfinv64x2 } from '../assembly/kernels/random';

function hex(v: u32): string { return '0x' + v.toString(16); }

describe('threefry2x32', () => {
  it('matches the Random123 known answers (20 rounds)', () => {
    const kat: StaticArray<u32> = [
      // key0, key1, ctr0, ctr1, out0, out1
      0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x6b200159, 0x99ba4efe,
      0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x1cb996fc, 0xbb002be7,
      0x13198a2e, 0x03707344, 0x243f6a88, 0x85a308d3, 0xc4923a9c, 0x483df7a0,
    ];
    for (let i = 0; i < kat.length; i += 6) {
      const y = threefryBlock(kat[i], kat[i + 1], kat[i + 2], kat[i + 3]);
      expect(hex(<u32>(y >>> 32))).toBe(hex(kat[i + 4]), 'word 0 of vector ' + (i / 6).toString());
      expect(hex(<u32>y)).toBe(hex(kat[i + 5]), 'word 1 of vector ' + (i / 6).toString());
    }
  });

  it('the SIMD path equals the scalar one, for every length 1..21 (odd lengths padded as JAX)', () => {
    const n = 21;
    const c = heap.alloc(<usize>n * 4), o = heap.alloc(<usize>n * 4);
    for (let len = 1; len <= n; len++) {
      for (let i = 0; i < len; i++) store<u32>(c + (<usize>i << 2), <u32>(i * 2654435761));
      threefry2x32(0x12345678, 0x9abcdef0, c, o, len);
      const h = (len + 1) >> 1;
      for (let i = 0; i < h; i++) {
        const c1: u32 = h + i < len ? load<u32>(c + (<usize>(h + i) << 2)) : 0;
        const y = threefryBlock(0x12345678, 0x9abcdef0, load<u32>(c + (<usize>i << 2)), c1);
        expect(load<u32>(o + (<usize>i << 2))).toBe(<u32>(y >>> 32), 'len ' + len.toString() + ' word ' + i.toString());
        if (h + i < len) expect(load<u32>(o + (<usize>(h + i) << 2))).toBe(<u32>y, 'len ' + len.toString() + ' word ' + (h + i).toString());
      }
    }
    heap.free(c); heap.free(o);
  });
});

describe('float64 normal (XLA\'s ErfInv64)', () => {
  it('the two-lane erfinv gives the scalar routine\'s bits, tails and specials included', () => {
    let bad = 0, state: u32 = 0x9e3779b9;
    for (let i = 0; i < 40000; i++) {
      state ^= state << 13; state ^= state >> 17; state ^= state << 5;
      const r = <f64>state / 4294967296.0;
      // uniform on (-1, 1), then pushed into the tails (w >= 6.25 and >= 16) and to tiny values
      const a = i % 4 == 0 ? 2 * r - 1 : i % 4 == 1 ? 1 - Math.pow(10, -16 * r) : i % 4 == 2 ? -(1 - Math.pow(10, -8 * r)) : Math.pow(10, -300 * r);
      const b = i % 7 == 0 ? [0.0, -0.0, 1.0, -1.0, NaN, 1.5, 0.9980, -0.9999999999999999][i % 8] : -a * 0.5;
      const v = erfinv64x2(f64x2.replace_lane(f64x2.splat(a), 1, b));
      const ra = erfinv64(a), rb = erfinv64(b), va = f64x2.extract_lane(v, 0), vb = f64x2.extract_lane(v, 1);
      if (reinterpret<u64>(va) != reinterpret<u64>(ra) && !(isNaN(va) && isNaN(ra))) bad++;
      if (reinterpret<u64>(vb) != reinterpret<u64>(rb) && !(isNaN(vb) && isNaN(rb))) bad++;
    }
    expect(bad).toBe(0);
  });

  it('normal_f64 equals the scalar formula for every length 1..13', () => {
    const n = 13;
    const bits = heap.alloc(<usize>n * 8), o = heap.alloc(<usize>n * 8);
    for (let len = 1; len <= n; len++) {
      // high words near 0 and 2^32 reach both tails
      for (let i = 0; i < 2 * len; i++) store<u32>(bits + (<usize>i << 2), i % 3 == 0 ? <u32>(0xffffffff - i) : i % 3 == 1 ? <u32>i : <u32>(i * 2654435761));
      normal_f64(bits, o, len);
      for (let i = 0; i < len; i++) {
        const w = (<u64>load<u32>(bits + (<usize>i << 2)) << 32) | <u64>load<u32>(bits + (<usize>(len + i) << 2));
        let u = (reinterpret<f64>((w >>> 12) | 0x3ff0000000000000) - 1.0) * 2.0 - 0.9999999999999999;
        if (u < -0.9999999999999999) u = -0.9999999999999999;
        expect(reinterpret<u64>(load<f64>(o + (<usize>i << 3)))).toBe(reinterpret<u64>(Math.SQRT2 * erfinv64(u)), 'len ' + len.toString() + ' draw ' + i.toString());
      }
    }
    heap.free(bits); heap.free(o);
  });
});
