// Blocked SGEMM: C[m, n] (+)= A[m, k] · B[k, n] with f32x4 SIMD and float32 accumulation.
//
// GotoBLAS structure: for each NC-column block of B and KC-deep slice of k, B is packed into NR-wide panels
// (pb[panel][p][NR]); for each MC-row block of A, A is packed into MR-tall panels (pa[panel][p][MR]); a 4×8
// register tile (8 f32x4 accumulators) then runs over one A panel and one B panel. Packing makes the inner kernel
// one layout whatever the transposes, and zero-pads ragged edges so the kernel always computes a full tile.
//
// A is read through a mode: strided (A(i, p) = a[i·rsA + p·csA], covering both transposes), or the im2col view of a
// convolution input (see im2col.ts), so convolutions never materialize their column matrix. B is always strided.
// Threads: each thread runs this driver on its own rows (row0..row0+m) or columns of C with its own workspace; every
// C element sees the same packing and the same k slices whichever thread computes it, so results do not depend on
// the split. A product with a long k and a small C is split along k instead: one part per slice of k, each into its
// own partial C, summed afterwards in slice order (jobs.ts), which is exactly the sum this driver forms.
import { packIm2col, packIm2colT } from './im2col';
import { A_IM2COL, A_IM2COL_T, KC } from './protocol.generated';
import { f32at, imin, madd, storeTransposed4 } from './simd';

const MR: i32 = 4;
const NR: i32 = 8;
const MC: i32 = 64;
const NC: i32 = 1024;

@inline
function roundUp(x: i32, to: i32): i32 {
  return (x + to - 1) / to * to;
}

/**
 * Depth of gemm's slices of k: equal slices of at most KC, so no slice is a thin remainder that pays the C-tile
 * traffic for little work. C accumulates the slices in order: C = ((s₁ + s₂) + s₃) + …
 */
@inline
export function kSliceDepth(k: i32): i32 {
  const slices = (k + KC - 1) / KC;
  return (k + slices - 1) / slices;
}

/** Bytes of workspace gemm needs: packed A block, packed B block, one edge tile, one zero vector. */
export function gemmWorkspaceBytes(m: i32, n: i32, k: i32): usize {
  const kc = imin(KC, k);
  const mc = imin(MC, roundUp(m, MR));
  const nc = imin(NC, roundUp(n, NR));
  return <usize>(mc * kc + kc * nc + MR * NR + 4) << 2;
}

/**
 * The 4×8 micro-kernel: c[r, j] (+)= Σ_p pa[p·4 + r] · pb[p·8 + j] for r < 4, j < 8; `ldc` in bytes.
 * Per p: two B vectors, four broadcast A scalars, eight multiply-adds; 11 of the 16 vector registers. Unrolling p
 * measured slower under V8 (register pressure), so the loop stays rolled.
 */
function kernel4x8(kc: i32, pa: usize, pb: usize, c: usize, ldc: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0); let c01 = c00;
  let c10 = c00; let c11 = c00;
  let c20 = c00; let c21 = c00;
  let c30 = c00; let c31 = c00;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10);
    c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20);
    c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30);
    c31 = madd(a, b1, c31);
    pa += 16;
    pb += 32;
  }
  if (accumulate) {
    c00 = f32x4.add(c00, v128.load(c)); c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(c + ldc)); c11 = f32x4.add(c11, v128.load(c + ldc, 16));
    c20 = f32x4.add(c20, v128.load(c + 2 * ldc)); c21 = f32x4.add(c21, v128.load(c + 2 * ldc, 16));
    c30 = f32x4.add(c30, v128.load(c + 3 * ldc)); c31 = f32x4.add(c31, v128.load(c + 3 * ldc, 16));
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + ldc, c10); v128.store(c + ldc, c11, 16);
  v128.store(c + 2 * ldc, c20); v128.store(c + 2 * ldc, c21, 16);
  v128.store(c + 3 * ldc, c30); v128.store(c + 3 * ldc, c31, 16);
}

/** Packs B(pc..pc+kc, jc..jc+nc) into NR-wide panels, zero-padding columns past nc. B(p, j) = b[p·rsB + j·csB]. */
function packB(b: usize, rsB: i32, csB: i32, pc: i32, kc: i32, jc: i32, nc: i32, pb: usize): void {
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const nr = imin(NR, nc - j0);
    let dst = pb + (<usize>(j0 * kc) << 2);
    const col = jc + j0;
    if (csB == 1 && nr == NR) {
      // Row-major B: each panel row is 8 contiguous floats.
      let src = f32at(b, pc * rsB + col);
      const step = <usize>rsB << 2;
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        src += step;
        dst += 32;
      }
    } else if (rsB == 1 && nr == NR) {
      // Transposed B: each column is contiguous in p; two 4×4 transposes per 4 values of p.
      const s = <usize>csB << 2;
      const src = f32at(b, pc + col * csB);
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const q = src + (<usize>p << 2);
        // storeTransposed4 writes 4 vectors 16 bytes apart; panel rows are 32 bytes apart, so transpose into
        // the two halves separately through a shuffle of the outputs.
        const c0 = v128.load(q); const c1 = v128.load(q + s);
        const c2 = v128.load(q + 2 * s); const c3 = v128.load(q + 3 * s);
        const c4 = v128.load(q + 4 * s); const c5 = v128.load(q + 5 * s);
        const c6 = v128.load(q + 6 * s); const c7 = v128.load(q + 7 * s);
        storePanelRows(dst + (<usize>p << 5), c0, c1, c2, c3, c4, c5, c6, c7);
      }
      for (; p < kc; p++) {
        const q = src + (<usize>p << 2);
        const d = dst + (<usize>p << 5);
        for (let j = 0; j < NR; j++) store<f32>(d + (<usize>j << 2), load<f32>(q + <usize>j * s));
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let j = 0; j < NR; j++) {
          const value: f32 = j < nr ? load<f32>(f32at(b, (pc + p) * rsB + (col + j) * csB)) : 0;
          store<f32>(dst + (<usize>j << 2), value);
        }
        dst += 32;
      }
    }
  }
}

/** From 8 columns c0..c7 (4 consecutive p each), writes 4 panel rows of 8 floats (row p → dst + 32·p). */
@inline
function storePanelRows(dst: usize, c0: v128, c1: v128, c2: v128, c3: v128, c4: v128, c5: v128, c6: v128,
  c7: v128): void {
  const lo01 = f32x4.shuffle(c0, c1, 0, 4, 1, 5);
  const lo23 = f32x4.shuffle(c2, c3, 0, 4, 1, 5);
  const hi01 = f32x4.shuffle(c0, c1, 2, 6, 3, 7);
  const hi23 = f32x4.shuffle(c2, c3, 2, 6, 3, 7);
  const lo45 = f32x4.shuffle(c4, c5, 0, 4, 1, 5);
  const lo67 = f32x4.shuffle(c6, c7, 0, 4, 1, 5);
  const hi45 = f32x4.shuffle(c4, c5, 2, 6, 3, 7);
  const hi67 = f32x4.shuffle(c6, c7, 2, 6, 3, 7);
  v128.store(dst, f32x4.shuffle(lo01, lo23, 0, 1, 4, 5));
  v128.store(dst, f32x4.shuffle(lo45, lo67, 0, 1, 4, 5), 16);
  v128.store(dst, f32x4.shuffle(lo01, lo23, 2, 3, 6, 7), 32);
  v128.store(dst, f32x4.shuffle(lo45, lo67, 2, 3, 6, 7), 48);
  v128.store(dst, f32x4.shuffle(hi01, hi23, 0, 1, 4, 5), 64);
  v128.store(dst, f32x4.shuffle(hi45, hi67, 0, 1, 4, 5), 80);
  v128.store(dst, f32x4.shuffle(hi01, hi23, 2, 3, 6, 7), 96);
  v128.store(dst, f32x4.shuffle(hi45, hi67, 2, 3, 6, 7), 112);
}

/** Packs A(ic..ic+mc, pc..pc+kc) into MR-tall panels, zero-padding rows past mc. A(i, p) = a[i·rsA + p·csA]. */
function packAStrided(a: usize, rsA: i32, csA: i32, ic: i32, mc: i32, pc: i32, kc: i32, pa: usize): void {
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const mr = imin(MR, mc - i0);
    let dst = pa + (<usize>(i0 * kc) << 2);
    const row = ic + i0;
    if (rsA == 1 && mr == MR) {
      // Transposed A: the 4 rows at one p are contiguous.
      let src = f32at(a, row + pc * csA);
      const step = <usize>csA << 2;
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load(src));
        src += step;
        dst += 16;
      }
    } else if (csA == 1 && mr == MR) {
      // Row-major A: 4×4 transposes of 4 rows × 4 values of p.
      const s = <usize>rsA << 2;
      const r0 = f32at(a, row * rsA + pc);
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const q = r0 + (<usize>p << 2);
        storeTransposed4(dst + (<usize>p << 4), v128.load(q), v128.load(q + s), v128.load(q + 2 * s),
          v128.load(q + 3 * s));
      }
      for (; p < kc; p++) {
        const q = r0 + (<usize>p << 2);
        const d = dst + (<usize>p << 4);
        store<f32>(d, load<f32>(q));
        store<f32>(d, load<f32>(q + s), 4);
        store<f32>(d, load<f32>(q + 2 * s), 8);
        store<f32>(d, load<f32>(q + 3 * s), 12);
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < MR; r++) {
          const value: f32 = r < mr ? load<f32>(f32at(a, (row + r) * rsA + (pc + p) * csA)) : 0;
          store<f32>(dst + (<usize>r << 2), value);
        }
        dst += 16;
      }
    }
  }
}

/** Writes an edge tile (mr × nr of the 4×8 tile in `edge`) into C, adding to it when accumulating. */
function storeEdge(edge: usize, c: usize, ldc: i32, mr: i32, nr: i32, accumulate: bool): void {
  for (let r = 0; r < mr; r++) {
    const src = edge + (<usize>(r * NR) << 2);
    const dst = c + (<usize>(r * ldc) << 2);
    let j = 0;
    if (nr >= 4) {
      const value = v128.load(src);
      v128.store(dst, accumulate ? f32x4.add(v128.load(dst), value) : value);
      j = 4;
    }
    for (; j < nr; j++) {
      const at = dst + (<usize>j << 2);
      const value = load<f32>(src + (<usize>j << 2));
      store<f32>(at, accumulate ? load<f32>(at) + value : value);
    }
  }
}

/**
 * Rows row0..row0+m of C (+)= A(:, k0..k0+k) · B(k0..k0+k, :). C(i, j) = c[i·ldc + j]. `aMode` selects how A is
 * read (A_STRIDED uses a, rsA, csA; the im2col modes read the convolution input `a` with the geometry set by
 * setConvGeometry). `work` holds gemmWorkspaceBytes(m, n, k).
 */
export function gemm(m: i32, n: i32, k: i32, aMode: i32, a: usize, rsA: i32, csA: i32, b: usize, rsB: i32, csB: i32,
  c: usize, ldc: i32, accumulate: bool, work: usize, row0: i32, k0: i32): void {
  const kcMax = imin(KC, k);
  const pa = work;
  const pb = pa + (<usize>(imin(MC, roundUp(m, MR)) * kcMax) << 2);
  const edge = pb + (<usize>(kcMax * imin(NC, roundUp(n, NR))) << 2);
  const zero = edge + (<usize>(MR * NR) << 2);
  v128.store(zero, f32x4.splat(0));
  for (let jc = 0; jc < n; jc += NC) {
    const nc = imin(NC, n - jc);
    const kcStep = kSliceDepth(k);
    for (let pc = 0; pc < k; pc += kcStep) {
      const kc = imin(kcStep, k - pc);
      const acc = accumulate || pc > 0;
      packB(b, rsB, csB, k0 + pc, kc, jc, nc, pb);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = imin(MC, m - ic);
        if (aMode == A_IM2COL) packIm2col(a, row0 + ic, mc, k0 + pc, kc, pa, zero);
        else if (aMode == A_IM2COL_T) packIm2colT(a, row0 + ic, mc, k0 + pc, kc, pa);
        else packAStrided(a, rsA, csA, row0 + ic, mc, k0 + pc, kc, pa);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = imin(NR, nc - jr);
          const panelB = pb + (<usize>(jr * kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = imin(MR, mc - ir);
            const panelA = pa + (<usize>(ir * kc) << 2);
            const tile = f32at(c, (row0 + ic + ir) * ldc + jc + jr);
            if (mr == MR && nr == NR) {
              kernel4x8(kc, panelA, panelB, tile, <usize>ldc << 2, acc);
            } else {
              kernel4x8(kc, panelA, panelB, edge, <usize>NR << 2, false);
              storeEdge(edge, tile, ldc, mr, nr, acc);
            }
          }
        }
      }
    }
  }
}
