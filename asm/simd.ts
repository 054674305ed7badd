// Small SIMD helpers shared by the kernels. Pointers are byte offsets into the imported memory.

/** Stores the 4×4 transpose of rows r0..r3 (4 floats each) as 4 consecutive vectors at dst (column j → dst + 16·j). */
@inline
export function storeTransposed4(dst: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  const lo01 = f32x4.shuffle(r0, r1, 0, 4, 1, 5); // r0[0] r1[0] r0[1] r1[1]
  const lo23 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const hi01 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const hi23 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, f32x4.shuffle(lo01, lo23, 0, 1, 4, 5));
  v128.store(dst, f32x4.shuffle(lo01, lo23, 2, 3, 6, 7), 16);
  v128.store(dst, f32x4.shuffle(hi01, hi23, 0, 1, 4, 5), 32);
  v128.store(dst, f32x4.shuffle(hi01, hi23, 2, 3, 6, 7), 48);
}

/**
 * c + a·b per lane. In the relaxed-SIMD build (`--enable relaxed-simd`) this is `f32x4.relaxed_madd`, which V8
 * compiles to one fused multiply-add where the CPU has FMA (the GEMM micro-kernel's throughput is bound by its
 * multiply and add instructions, so fusing them is worth about a third more); elsewhere a multiply then an add.
 * The constant is fixed at compile time, so each build holds one branch only.
 */
@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** Byte offset of element `index` of a float32 array. */
@inline
export function f32at(base: usize, index: i32): usize {
  return base + (<usize>index << 2);
}

@inline
export function imin(a: i32, b: i32): i32 {
  return a < b ? a : b;
}

@inline
export function imax(a: i32, b: i32): i32 {
  return a > b ? a : b;
}

/** Start of part p of `parts` over `total` items, a multiple of `align` (or total). */
@inline
export function bound(total: i32, parts: i32, p: i32, align: i32): i32 {
  const units = (<i64>total + align - 1) / align;
  return imin(<i32>(units * p / parts) * align, total);
}
