// The bool kernels' i8x16 / i32x4 bodies against their scalar definitions, element for element,
// for every length 0..70 (so each tail length runs), arbitrary bytes and int32 values included.
import { compare_bool } from '../assembly/kernels/integer';
import { convert_bool_i32, convert_i32_bool } from '../assembly/kernels/convert';

let state: u32 = 0x9e3779b9;
function rnd(): u32 { state ^= state << 13; state ^= state >> 17; state ^= state << 5; return state; }
const N = 70;
const a = heap.alloc(N * 4), b = heap.alloc(N * 4), out = heap.alloc(N * 4);
function fill(p: usize, bytes: i32, small: bool): void {
  for (let i = 0; i < bytes; i++) store<u8>(p + <usize>i, <u8>(small ? rnd() % 3 : rnd()));
}
function ref(op: i32, x: u8, y: u8): u8 {
  if (op == 0) return <u8>(x < y);
  if (op == 1) return <u8>(x <= y);
  if (op == 2) return <u8>(x > y);
  if (op == 3) return <u8>(x >= y);
  if (op == 4) return <u8>(x == y);
  return <u8>(x != y);
}

describe('bool kernels (SIMD bodies) equal their scalar definitions', () => {
  it('compare_bool, every op and length', () => {
    let bad = 0;
    for (let n = 0; n <= N; n++) for (let op = 0; op < 6; op++) {
      fill(a, n, true); fill(b, n, true);
      compare_bool(op, a, b, out, n);
      for (let i = 0; i < n; i++) if (load<u8>(out + <usize>i) != ref(op, load<u8>(a + <usize>i), load<u8>(b + <usize>i))) bad++;
    }
    expect(bad).toBe(0);
  });
  it('convert_bool_i32 and convert_i32_bool, every length', () => {
    let bad = 0;
    for (let n = 0; n <= N; n++) {
      fill(a, n, false);
      convert_bool_i32(a, out, n);
      for (let i = 0; i < n; i++) if (load<i32>(out + (<usize>i << 2)) != <i32>load<u8>(a + <usize>i)) bad++;
      fill(a, n * 4, false);
      for (let i = 0; i < n; i += 3) store<i32>(a + (<usize>i << 2), 0); // zeros among the values
      convert_i32_bool(a, out, n);
      for (let i = 0; i < n; i++) if (load<u8>(out + <usize>i) != <u8>(load<i32>(a + (<usize>i << 2)) != 0)) bad++;
    }
    expect(bad).toBe(0);
  });
});
