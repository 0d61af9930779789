// np.finfo / iinfo, resultType / promoteTypes (JAX's lattice), canCast, issubdtype and the
// abstract dtype names, iscomplexobj / isrealobj, empty / emptyLike, arrayEqual / arrayEquiv,
// broadcastArrays, fromfunction, indices, ix_. Expected values are numpy 2.4's (run on the same
// inputs), except promotion, whose pairs are JAX's documented table
// (https://docs.jax.dev/en/latest/type_promotion.html), canonicalized as this release's dtypes
// are (no 64-bit integers: JAX's int64 for int32 with uint32 is int32 here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  np, grad, jit, vmap, checkGrads, ValueError, DTypeError, ShapeError, TracerError, type Array as NDArray,
} from '../ts/index.ts';

const f64 = (x: any) => np.array(x, { dtype: 'float64' });
const L = (v: NDArray) => v.tolist();
const DTYPES = ['bool', 'int32', 'uint32', 'float32', 'float64', 'complex64', 'complex128'] as const;

test('np.finfo: numpy\'s fields for float32 and float64; complex gives its real part\'s; an Array reads as its dtype', () => {
  // numpy's np.finfo(d) (float() of each field, so the exact values of the dtype)
  const f32 = {
    bits: 32, eps: 1.1920928955078125e-07, epsneg: 5.960464477539063e-08, max: 3.4028234663852886e+38, min: -3.4028234663852886e+38,
    tiny: 1.1754943508222875e-38, smallestNormal: 1.1754943508222875e-38, smallestSubnormal: 1.401298464324817e-45,
    resolution: 9.999999974752427e-07, precision: 6, machep: -23, negep: -24, minexp: -126, maxexp: 128, nmant: 23, nexp: 8, iexp: 8, dtype: 'float32',
  };
  const f64i = {
    bits: 64, eps: 2.220446049250313e-16, epsneg: 1.1102230246251565e-16, max: 1.7976931348623157e+308, min: -1.7976931348623157e+308,
    tiny: 2.2250738585072014e-308, smallestNormal: 2.2250738585072014e-308, smallestSubnormal: 5e-324,
    resolution: 1e-15, precision: 15, machep: -52, negep: -53, minexp: -1022, maxexp: 1024, nmant: 52, nexp: 11, iexp: 11, dtype: 'float64',
  };
  assert.deepEqual({ ...np.finfo('float32') }, f32);
  assert.deepEqual({ ...np.finfo('float64') }, f64i);
  assert.deepEqual({ ...np.finfo('complex64') }, f32); // (numpy: finfo(complex64).dtype is float32)
  assert.deepEqual({ ...np.finfo(np.complex128) }, f64i);
  assert.deepEqual({ ...np.finfo(np.zeros([2], 'float64')) }, f64i);
  // the values are the dtype's: max is float32's largest, 1 + eps the next float32 after 1
  assert.equal(Math.fround(np.finfo('float32').max), np.finfo('float32').max);
  assert.equal(np.array(1 + np.finfo('float32').eps, 'float32').item(), 1.0000001192092896);
  // numpy raises ValueError "not inexact"; here a DTypeError naming the function and the dtype
  assert.throws(() => np.finfo('int32'), (e: Error) => e instanceof DTypeError && /np\.finfo: int32 is not a float or complex dtype/.test(e.message));
  assert.throws(() => np.finfo(np.zeros([1], 'bool')), (e: Error) => e instanceof DTypeError && /np\.finfo: bool is not/.test(e.message));
  assert.throws(() => np.finfo('float16' as any), (e: Error) => e instanceof DTypeError && /np\.finfo: dtype must be a dtype name.*'float16'/.test(e.message));
  assert.throws(() => np.finfo(1.5 as any), (e: Error) => e instanceof DTypeError && /np\.finfo: dtype .* got 1\.5/.test(e.message));
});

test('np.iinfo: numpy\'s bits, min, max, kind for int32 and uint32; bool and floats refused, as numpy', () => {
  // numpy's: iinfo(int32) 32 -2147483648 2147483647 i; iinfo(uint32) 32 0 4294967295 u
  assert.deepEqual({ ...np.iinfo('int32') }, { bits: 32, min: -2147483648, max: 2147483647, dtype: 'int32', kind: 'i' });
  assert.deepEqual({ ...np.iinfo(np.array([1], 'uint32')) }, { bits: 32, min: 0, max: 4294967295, dtype: 'uint32', kind: 'u' });
  // numpy: ValueError "Invalid integer data type 'b'." for bool, 'f' for float32
  assert.throws(() => np.iinfo('bool'), (e: Error) => e instanceof DTypeError && /np\.iinfo: bool is not an integer dtype/.test(e.message));
  assert.throws(() => np.iinfo('float32'), (e: Error) => e instanceof DTypeError && /np\.iinfo: float32 is not an integer dtype.*np\.finfo/.test(e.message));
  assert.throws(() => np.iinfo('int64' as any), (e: Error) => e instanceof DTypeError && /np\.iinfo: dtype must be a dtype name/.test(e.message));
});

test('np.promoteTypes: JAX\'s promotion table for every pair of dtypes, symmetric', () => {
  // JAX's documented table (rows/columns b1 i4 u4 f4 f8 c8 c16); its i8 for i4 with u4 is int32 here
  const want: Record<string, string[]> = {
    bool: ['bool', 'int32', 'uint32', 'float32', 'float64', 'complex64', 'complex128'],
    int32: ['int32', 'int32', 'int32', 'float32', 'float64', 'complex64', 'complex128'],
    uint32: ['uint32', 'int32', 'uint32', 'float32', 'float64', 'complex64', 'complex128'],
    float32: ['float32', 'float32', 'float32', 'float32', 'float64', 'complex64', 'complex128'],
    float64: ['float64', 'float64', 'float64', 'float64', 'float64', 'complex128', 'complex128'],
    complex64: ['complex64', 'complex64', 'complex64', 'complex64', 'complex128', 'complex64', 'complex128'],
    complex128: ['complex128', 'complex128', 'complex128', 'complex128', 'complex128', 'complex128', 'complex128'],
  };
  const order = ['bool', 'int32', 'uint32', 'float32', 'float64', 'complex64', 'complex128'] as const;
  for (const a of order) {
    order.forEach((b, k) => {
      assert.equal(np.promoteTypes(a, b), want[a][k], `promoteTypes(${a}, ${b})`);
      assert.equal(np.resultType(a, b), want[a][k], `resultType(${a}, ${b})`);
      assert.equal(np.resultType(np.zeros([1], a), np.zeros([2], b)), want[a][k], `resultType of Arrays ${a}, ${b}`);
    });
  }
  // only dtype names (jnp.promote_types reads dtypes, not arrays)
  assert.throws(() => np.promoteTypes(np.zeros([1]) as any, 'float32'), (e: Error) => e instanceof DTypeError && /np\.promoteTypes: a must be a dtype name, got an Array/.test(e.message));
  assert.throws(() => np.promoteTypes('float32', 'float' as any), (e: Error) => e instanceof DTypeError && /np\.promoteTypes: b .*'float'/.test(e.message));
});

test('np.resultType: JS numbers weakly typed (JAX\'s i*, f*, c* columns), booleans bool, lists as their numbers', () => {
  // JAX's table, weak columns (i*, f*, c*) of each row, f* and c* canonicalized to float32, complex64
  const weak: Record<string, [string, string, string]> = {
    bool: ['int32', 'float32', 'complex64'], int32: ['int32', 'float32', 'complex64'], uint32: ['uint32', 'float32', 'complex64'],
    float32: ['float32', 'float32', 'complex64'], float64: ['float64', 'float64', 'complex128'],
    complex64: ['complex64', 'complex64', 'complex64'], complex128: ['complex128', 'complex128', 'complex128'],
  };
  for (const d of DTYPES) {
    const x = np.zeros([2], d);
    assert.deepEqual([np.resultType(x, 3), np.resultType(x, 0.5), np.resultType(x, { re: 0, im: 1 })], weak[d], d);
    assert.deepEqual([np.resultType(d, [1, 2]), np.resultType(d, [1, 2.5])], weak[d].slice(0, 2), `${d} with lists`);
  }
  // weak with weak: JAX's i* with f* is f*, f* with c* is c*; JS numbers alone are float32 (as
  // np.asarray(2) here; JAX gives int32 for a Python int alone)
  assert.equal(np.resultType(1, 2.5), 'float32');
  assert.equal(np.resultType(1.5, { re: 0, im: 1 }), 'complex64');
  assert.equal(np.resultType(2), 'float32');
  assert.equal(np.resultType(true, false), 'bool');
  assert.equal(np.resultType(true, 1), 'int32');
  assert.equal(np.resultType(new Float64Array(2), 1), 'float64');
  assert.equal(np.resultType('float32', 'int32', 'complex64', 'float64'), 'complex128');
  // under jit the operand's dtype is known
  const seen: string[] = [];
  jit((x: NDArray) => { seen.push(np.resultType(x, 1.5)); return x; })(np.zeros([2], 'int32'));
  assert.deepEqual(seen, ['float32']);
  assert.throws(() => (np.resultType as any)(), (e: Error) => e instanceof ValueError && /np\.resultType: at least one Array or dtype/.test(e.message));
  assert.throws(() => np.resultType('int32', 'float16' as any), (e: Error) => e instanceof DTypeError && /np\.resultType: argument 1 must be a dtype name/.test(e.message));
  assert.throws(() => np.resultType(null as any), (e: Error) => e instanceof DTypeError && /np\.resultType: argument 0 is null/.test(e.message));
  assert.throws(() => np.resultType({ a: 1 } as any), (e: Error) => e instanceof DTypeError && /np\.resultType: argument 0/.test(e.message));
});

test('np.canCast: numpy\'s table for every pair and every casting kind', () => {
  // numpy 2.4's np.can_cast(a, b, casting), rows and columns in DTYPES order
  const want: Record<string, number[][]> = {
    no: [[1, 0, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0, 0], [0, 0, 1, 0, 0, 0, 0], [0, 0, 0, 1, 0, 0, 0], [0, 0, 0, 0, 1, 0, 0], [0, 0, 0, 0, 0, 1, 0], [0, 0, 0, 0, 0, 0, 1]],
    equiv: [[1, 0, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0, 0], [0, 0, 1, 0, 0, 0, 0], [0, 0, 0, 1, 0, 0, 0], [0, 0, 0, 0, 1, 0, 0], [0, 0, 0, 0, 0, 1, 0], [0, 0, 0, 0, 0, 0, 1]],
    safe: [[1, 1, 1, 1, 1, 1, 1], [0, 1, 0, 0, 1, 0, 1], [0, 0, 1, 0, 1, 0, 1], [0, 0, 0, 1, 1, 1, 1], [0, 0, 0, 0, 1, 0, 1], [0, 0, 0, 0, 0, 1, 1], [0, 0, 0, 0, 0, 0, 1]],
    same_kind: [[1, 1, 1, 1, 1, 1, 1], [0, 1, 0, 1, 1, 1, 1], [0, 1, 1, 1, 1, 1, 1], [0, 0, 0, 1, 1, 1, 1], [0, 0, 0, 1, 1, 1, 1], [0, 0, 0, 0, 0, 1, 1], [0, 0, 0, 0, 0, 1, 1]],
    unsafe: [[1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1]],
  };
  for (const [casting, rows] of Object.entries(want)) {
    const got = DTYPES.map((a) => DTYPES.map((b) => Number(np.canCast(a, b, casting as any))));
    assert.deepEqual(got, rows, casting);
  }
  // the default is 'safe'; { casting } reads the same; an Array reads as its dtype
  assert.equal(np.canCast('int32', 'float64'), true);
  assert.equal(np.canCast('int32', 'float32'), false);
  assert.equal(np.canCast(np.zeros([2], 'float64'), 'float32', { casting: 'same_kind' }), true);
  assert.throws(() => np.canCast('int32', 'float32', 'sometimes' as any), (e: Error) => e instanceof ValueError && /np\.canCast: casting must be one of 'no'.*'sometimes'/.test(e.message));
  assert.throws(() => np.canCast('int32', np.zeros([1]) as any), (e: Error) => e instanceof DTypeError && /np\.canCast: to must be a dtype name, got an Array/.test(e.message));
  assert.throws(() => np.canCast(3 as any, 'float32'), (e: Error) => e instanceof DTypeError && /np\.canCast: from must be a dtype name or an Array, got 3/.test(e.message));
});

test('np.issubdtype and the abstract names: numpy\'s hierarchy for every dtype and every abstract kind', () => {
  assert.deepEqual([np.number, np.inexact, np.floating, np.complexfloating, np.integer, np.signedinteger, np.unsignedinteger, np.generic],
    ['number', 'inexact', 'floating', 'complexfloating', 'integer', 'signedinteger', 'unsignedinteger', 'generic']);
  const kinds = [np.number, np.inexact, np.floating, np.complexfloating, np.integer, np.signedinteger, np.unsignedinteger, np.bool, np.generic] as const;
  // numpy's issubdtype(d, k) for k in number, inexact, floating, complexfloating, integer, signedinteger, unsignedinteger, bool_, generic
  const want: Record<string, number[]> = {
    bool: [0, 0, 0, 0, 0, 0, 0, 1, 1], int32: [1, 0, 0, 0, 1, 1, 0, 0, 1], uint32: [1, 0, 0, 0, 1, 0, 1, 0, 1],
    float32: [1, 1, 1, 0, 0, 0, 0, 0, 1], float64: [1, 1, 1, 0, 0, 0, 0, 0, 1],
    complex64: [1, 1, 0, 1, 0, 0, 0, 0, 1], complex128: [1, 1, 0, 1, 0, 0, 0, 0, 1],
    // the abstract names themselves (numpy's issubdtype(np.floating, np.inexact) ...)
    number: [1, 0, 0, 0, 0, 0, 0, 0, 1], inexact: [1, 1, 0, 0, 0, 0, 0, 0, 1], floating: [1, 1, 1, 0, 0, 0, 0, 0, 1],
    complexfloating: [1, 1, 0, 1, 0, 0, 0, 0, 1], integer: [1, 0, 0, 0, 1, 0, 0, 0, 1], signedinteger: [1, 0, 0, 0, 1, 1, 0, 0, 1],
    unsignedinteger: [1, 0, 0, 0, 1, 0, 1, 0, 1], generic: [0, 0, 0, 0, 0, 0, 0, 0, 1],
  };
  for (const [d, row] of Object.entries(want)) assert.deepEqual(kinds.map((k) => Number(np.issubdtype(d as any, k))), row, d);
  // dtype against dtype: only itself (numpy: issubdtype('float32', 'float64') is False)
  for (const a of DTYPES) assert.deepEqual(DTYPES.map((b) => np.issubdtype(a, b)), DTYPES.map((b) => b === a), a);
  assert.throws(() => np.issubdtype(np.zeros([2]) as any, np.floating), (e: Error) => e instanceof DTypeError && /np\.issubdtype: dtype .*pass its dtype, x\.dtype/.test(e.message));
  assert.throws(() => np.issubdtype('float32', 'float' as any), (e: Error) => e instanceof DTypeError && /np\.issubdtype: kind must be .*'float'/.test(e.message));
  assert.throws(() => np.issubdtype('constructor' as any, np.number), (e: Error) => e instanceof DTypeError && /np\.issubdtype: dtype must be/.test(e.message));
});

test('np.iscomplexobj and np.isrealobj: by dtype, for Arrays, JS values and lists, as numpy', () => {
  // numpy's: complex64 and complex128 are complex objects, every other dtype real
  for (const d of DTYPES) {
    const c = d === 'complex64' || d === 'complex128';
    assert.equal(np.iscomplexobj(np.zeros([2], d)), c, d);
    assert.equal(np.isrealobj(np.zeros([2], d)), !c, d);
  }
  // numpy's: iscomplexobj([1+0j]) True, ([1, 2]) False, (3) False; isrealobj(1j) False; None: False / True
  assert.equal(np.iscomplexobj([{ re: 1, im: 0 }]), true);
  assert.equal(np.iscomplexobj([1, 2]), false);
  assert.equal(np.iscomplexobj(3), false);
  assert.equal(np.isrealobj({ re: 0, im: 1 }), false);
  assert.equal(np.iscomplexobj(null), false);
  assert.equal(np.isrealobj(null), true);
  // the dtype decides, not the values (numpy: iscomplexobj(np.array([1+0j])) True)
  assert.equal(np.iscomplexobj(np.array([1, 2], 'complex64')), true);
  const seen: boolean[] = [];
  vmap((x: NDArray) => { seen.push(np.iscomplexobj(x)); return x; })(np.zeros([2, 2], 'complex128'));
  assert.deepEqual(seen, [true]);
  assert.throws(() => np.iscomplexobj('complex64' as any), (e: Error) => e instanceof DTypeError && /np\.iscomplexobj: argument 0/.test(e.message));
});

test('np.empty and np.emptyLike: zeros (as JAX), of the shape and dtype asked or the prototype\'s', () => {
  const e = np.empty([2, 3], 'int32');
  assert.equal(e.dtype, 'int32'); assert.deepEqual(L(e), [[0, 0, 0], [0, 0, 0]]);
  assert.equal(np.empty(2).dtype, 'float32');
  assert.deepEqual(L(np.empty(2, { dtype: 'complex64' })), [{ re: 0, im: 0 }, { re: 0, im: 0 }]);
  const p = np.ones([3], 'float64');
  const l = np.emptyLike(p);
  assert.equal(l.dtype, 'float64'); assert.deepEqual(L(l), [0, 0, 0]);
  // numpy's empty_like(ones(3), shape=(1, 2)).shape is (1, 2)
  assert.deepEqual(np.emptyLike(p, { shape: [1, 2] }).shape, [1, 2]);
  const b = np.emptyLike(p, 'bool', [2]);
  assert.equal(b.dtype, 'bool'); assert.deepEqual(L(b), [false, false]);
  assert.equal(np.emptyLike([1, 2], { dtype: 'uint32' }).dtype, 'uint32');
  // under jit and vmap (the prototype's per-example shape), and a zero gradient through it
  assert.deepEqual(L(jit((x: NDArray) => np.add(x, np.emptyLike(x)))(p)), [1, 1, 1]);
  assert.deepEqual(L(vmap((x: NDArray) => np.emptyLike(x, { shape: [2] }))(np.ones([3, 4]))), [[0, 0], [0, 0], [0, 0]]);
  assert.deepEqual(L(grad((x: NDArray) => np.sum(np.multiply(x, np.add(x, np.emptyLike(x)))))(f64([1, 2]))), [2, 4]);
  assert.throws(() => np.empty([2, -1]), (e: Error) => e instanceof ShapeError && /np\.empty: .*-1/.test(e.message));
  assert.throws(() => np.empty([2], 'float16' as any), (e: Error) => e instanceof DTypeError && /np\.empty: dtype must be a dtype name/.test(e.message));
  assert.throws(() => np.emptyLike(p, { shape: [2] }, [3] as any), (e: Error) => e instanceof ValueError && /np\.emptyLike: give dtype, shape in one options object/.test(e.message));
  assert.throws(() => np.emptyLike(p, { order: 'C' } as any), (e: Error) => e instanceof ValueError && /np\.emptyLike: unknown option 'order'/.test(e.message));
});

test('np.arrayEqual and np.arrayEquiv: numpy\'s answers as 0-d bool Arrays; shape mismatches are false; jit and vmap', () => {
  const b = (v: NDArray) => { assert.equal(v.dtype, 'bool'); assert.deepEqual(v.shape, []); return v.item(); };
  // numpy's: array_equal([1, nan], [1, nan]) False, with equal_nan True; [1, 2] vs [1, 2, 3] False; [[1, 2]] vs [1, 2] False
  assert.equal(b(np.arrayEqual([1, NaN], [1, NaN])), false);
  assert.equal(b(np.arrayEqual([1, NaN], [1, NaN], { equalNan: true })), true);
  assert.equal(b(np.arrayEqual([1, NaN], [1, NaN], true)), true);
  assert.equal(b(np.arrayEqual([1, 2], [1, 2, 3])), false);
  assert.equal(b(np.arrayEqual([[1, 2]], [1, 2])), false);
  // numpy's: complex NaNs in either part count as NaN (True); NaN against a number is not equal (False)
  const c1 = np.array([{ re: 1, im: 1 }, { re: NaN, im: 1 }]), c2 = np.array([{ re: 1, im: 1 }, { re: 1, im: NaN }]);
  assert.equal(b(np.arrayEqual(c1, c2, { equalNan: true })), true);
  assert.equal(b(np.arrayEqual(f64([NaN, 1]), f64([1, NaN]), { equalNan: true })), false);
  // numpy's: int32 [1, 2] equals float32 [1., 2.] (True); empty equals empty (True)
  assert.equal(b(np.arrayEqual(np.array([1, 2], 'int32'), np.array([1, 2], 'float32'))), true);
  assert.equal(b(np.arrayEqual([], [])), true);
  assert.equal(b(np.arrayEqual(f64([1, 2]), f64([1, 2.5]))), false);
  // numpy's: array_equiv([1, 2], [[1, 2], [1, 2]]) True, ([1, 2], [[1, 2], [1, 3]]) False, ([1, 2], [1, 2, 3]) False, (3, [[3, 3]]) True
  assert.equal(b(np.arrayEquiv([1, 2], [[1, 2], [1, 2]])), true);
  assert.equal(b(np.arrayEquiv([1, 2], [[1, 2], [1, 3]])), false);
  assert.equal(b(np.arrayEquiv([1, 2], [1, 2, 3])), false);
  assert.equal(b(np.arrayEquiv(3, [[3, 3]])), true);
  // jit and vmap equal eager (the shape check is static; the values are traced)
  const x = f64([1, 2, 3]), y = f64([1, 2, 4]);
  assert.equal(b(jit((u: NDArray, v: NDArray) => np.arrayEqual(u, v))(x, y)), false);
  assert.equal(b(jit((u: NDArray, v: NDArray) => np.arrayEqual(u, v))(x, x)), true);
  assert.equal(b(jit((u: NDArray, v: NDArray) => np.arrayEqual(u, v))(x, f64([1, 2]))), false);
  assert.equal(b(jit((u: NDArray, v: NDArray) => np.arrayEquiv(u, v))(x, f64([[1, 2, 3], [1, 2, 3]]))), true);
  assert.deepEqual(L(vmap((u: NDArray) => np.arrayEqual(u, x))(np.stack([x, y, x]))), [true, false, true]);
  assert.deepEqual(L(vmap((u: NDArray) => np.arrayEquiv(u, 2))(f64([[2, 2], [2, 1]]))), [true, false]);
  assert.throws(() => np.arrayEqual([1], [1], { equal_nan: true } as any), (e: Error) => e instanceof ValueError && /np\.arrayEqual: unknown option 'equal_nan'/.test(e.message));
  assert.throws(() => np.arrayEqual([1], 'a' as any), (e: Error) => e instanceof DTypeError && /np\.arrayEqual: argument 1/.test(e.message));
});

test('np.broadcastArrays: numpy\'s broadcast copies, dtypes kept, as a JS list; derivatives, jit, vmap', () => {
  // numpy's: broadcast_arrays([1, 2, 3], [[1], [2]])
  const [p, q] = np.broadcastArrays([1, 2, 3], [[1], [2]]);
  assert.deepEqual(L(p), [[1, 2, 3], [1, 2, 3]]);
  assert.deepEqual(L(q), [[1, 1, 1], [2, 2, 2]]);
  // numpy's: shapes (2, 1, 3), (4, 1), 5. all broadcast to (2, 4, 3)
  const out = np.broadcastArrays(np.zeros([2, 1, 3], 'int32'), np.zeros([4, 1], 'float64'), 5);
  assert.deepEqual(out.map((a) => a.shape), [[2, 4, 3], [2, 4, 3], [2, 4, 3]]);
  assert.deepEqual(out.map((a) => a.dtype), ['int32', 'float64', 'float32']);
  assert.deepEqual(np.broadcastArrays(), []);
  const a = f64([1, -2, 0.5]), c = f64([[3], [0.25]]);
  checkGrads((u: NDArray, v: NDArray) => { const [s, t] = np.broadcastArrays(u, v); return np.multiply(np.sin(s), t); }, [a, c], { order: 2 });
  const f = (u: NDArray, v: NDArray) => np.stack(np.broadcastArrays(u, v));
  assert.deepEqual(L(jit(f)(a, c)), L(f(a, c)));
  const row = [[1, -2, 0.5], [1, -2, 0.5]];
  assert.deepEqual(L(vmap((u: NDArray) => np.broadcastArrays(u, c)[0])(np.stack([a, a]))), [row, row]);
  assert.throws(() => np.broadcastArrays([1, 2], [1, 2, 3]), (e: Error) => e instanceof ShapeError && /np\.broadcastArrays: operands could not be broadcast together with shapes \[2\] \[3\]/.test(e.message));
});

test('np.indices: numpy\'s grids, dense and sparse, int32 by default (jnp\'s), any dtype', () => {
  // numpy's indices((2, 3)) and indices((2, 3), sparse=True)
  const g = np.indices([2, 3]);
  assert.equal(g.dtype, 'int32');
  assert.deepEqual(L(g), [[[0, 0, 0], [1, 1, 1]], [[0, 1, 2], [0, 1, 2]]]);
  const s = np.indices([2, 3], { sparse: true });
  assert.deepEqual(s.map(L), [[[0], [1]], [[0, 1, 2]]]);
  assert.deepEqual(np.indices([2, 3], null, true).map(L), [[[0], [1]], [[0, 1, 2]]]);
  // numpy's: indices(()).shape (0,), indices((2, 0)).shape (2, 2, 0), indices((3,), dtype=float) [[0., 1., 2.]]
  assert.deepEqual(np.indices([]).shape, [0]);
  assert.deepEqual(np.indices([2, 0]).shape, [2, 2, 0]);
  const fl = np.indices([3], 'float64');
  assert.equal(fl.dtype, 'float64'); assert.deepEqual(L(fl), [[0, 1, 2]]);
  assert.deepEqual(np.indices([], { sparse: true }), []);
  assert.deepEqual(L(jit(() => np.indices([2, 3]))()), L(g));
  assert.throws(() => np.indices(3 as any), (e: Error) => e instanceof ShapeError && /np\.indices: dimensions must be a list/.test(e.message));
  assert.throws(() => np.indices([2, -1]), (e: Error) => e instanceof ShapeError && /np\.indices: invalid dimensions/.test(e.message));
  assert.throws(() => np.indices([2], { sparse: 1 } as any), (e: Error) => e instanceof ValueError && /np\.indices: sparse must be true or false/.test(e.message));
});

test('np.fromfunction: fn of the index Arrays, numpy\'s values; a lower-rank result broadcast (jnp\'s); derivatives, jit', () => {
  // numpy's: fromfunction(lambda i, j: i + 10*j, (2, 3)) (float; float32 here, jnp's default)
  const r = np.fromfunction((i: NDArray, j: NDArray) => np.add(i, np.multiply(10, j)), [2, 3]);
  assert.equal(r.dtype, 'float32');
  assert.deepEqual(L(r), [[0, 10, 20], [1, 11, 21]]);
  // numpy's: fromfunction(lambda i, j, k: i*j - k, (2, 2, 2), dtype=int)
  const t = np.fromfunction((i: NDArray, j: NDArray, k: NDArray) => np.subtract(np.multiply(i, j), k), [2, 2, 2], { dtype: 'int32' });
  assert.equal(t.dtype, 'int32');
  assert.deepEqual(L(t), [[[0, -1], [0, -1]], [[0, -1], [1, 0]]]);
  // a constant, or a result using one index, has the full shape (jnp's vmap; numpy returns it as it is)
  assert.deepEqual(L(np.fromfunction(() => 7, [2, 2])), [[7, 7], [7, 7]]);
  assert.deepEqual(L(np.fromfunction((i: NDArray) => np.reshape(np.sum(i), []), [2, 2], 'float64')), [[2, 2], [2, 2]]);
  // a closure over a parameter differentiates, and jits
  const f = (w: NDArray) => np.fromfunction((i: NDArray, j: NDArray) => np.sin(np.multiply(w, np.add(i, np.multiply(2, j)))), [2, 3], 'float64');
  checkGrads(f, [f64(0.3)], { order: 2 });
  assert.deepEqual(L(jit(f)(f64(0.3))), L(f(f64(0.3))));
  assert.deepEqual(L(vmap(f)(f64([0.3, 0.7]))), [L(f(f64(0.3))), L(f(f64(0.7)))]);
  assert.throws(() => np.fromfunction(5 as any, [2]), (e: Error) => e instanceof ValueError && /np\.fromfunction: fn must be a function/.test(e.message));
  assert.throws(() => np.fromfunction(() => 1, 2 as any), (e: Error) => e instanceof ShapeError && /np\.fromfunction: dimensions must be a list/.test(e.message));
  assert.throws(() => np.fromfunction(() => np.zeros([3]), [2, 2]), (e: Error) => e instanceof ShapeError && /np\.fromfunction/.test(e.message));
});

test('np.ix_: numpy\'s open meshes, JS integer lists int32, bool masks as their nonzero positions; derivatives, jit', () => {
  // numpy's: ix_([0, 1], [2, 4, 5])
  const [a, b] = np.ix_([0, 1], [2, 4, 5]);
  assert.deepEqual([a.dtype, b.dtype], ['int32', 'int32']);
  assert.deepEqual([L(a), L(b)], [[[0], [1]], [[2, 4, 5]]]);
  // numpy's: ix_([True, False, True], [1]) -> [[0], [2]], [[1]]
  assert.deepEqual(np.ix_([true, false, true], [1]).map(L), [[[0], [2]], [[1]]]);
  // numpy's: ix_([], [1, 2]) shapes (0, 1), (1, 2); the empty one an integer index
  const e = np.ix_([], [1, 2]);
  assert.deepEqual(e.map((x) => x.shape), [[0, 1], [1, 2]]);
  assert.equal(e[0].dtype, 'int32');
  // used as an index (numpy's x[np.ix_(rows, cols)])
  const m = np.reshape(np.arange(12), [3, 4]);
  assert.deepEqual(L(m.get(...np.ix_([0, 2], [1, 3]))), [[1, 3], [9, 11]]);
  // float sequences pass through and differentiate; jit
  const x = f64([0.5, -1]), y = f64([2, 3, 4]);
  checkGrads((u: NDArray, v: NDArray) => { const [p, q] = np.ix_(u, v); return np.multiply(np.sin(p), q); }, [x, y], { order: 2 });
  assert.deepEqual(jit((i: NDArray) => np.ix_(i, i))(np.array([0, 1], 'int32')).map(L), [[[0], [1]], [[0, 1]]]);
  assert.throws(() => np.ix_([[0, 1]]), (e: Error) => e instanceof ValueError && /np\.ix_: argument 0 must be 1-d, got int32\[1,2\]/.test(e.message));
  assert.throws(() => np.ix_([0], 3), (e: Error) => e instanceof ValueError && /np\.ix_: argument 1 must be 1-d/.test(e.message));
  assert.throws(() => vmap((mk: NDArray) => np.ix_(mk))(np.array([[true, false]])),
    (e: Error) => e instanceof TracerError && /np\.ix_: argument 0 is a bool mask under jit or vmap.*np\.nonzero\(mask, \{ size \}\)/.test(e.message));
});
