// threefry2x32 against the known-answer vectors of Random123 (Salmon et al.; the vectors JAX's
// own tests use), scalar and SIMD paths alike, and JAX's counter layout for odd lengths.
import '../assembly/index';
import { threefryBlock, threefry2x32 } from '../assembly/kernels/random';

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
