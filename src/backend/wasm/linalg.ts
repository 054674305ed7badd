/**
 * Matrix product and convolutions on the wasm GEMM (asm/gemm.ts), run as jobs the thread pool splits (asm/jobs.ts).
 * Convolutions are GEMMs over the im2col view of their input, which the GEMM's packer reads straight from x
 * (asm/im2col.ts), so no column matrix is stored:
 *   y[M, OC] = cols[M, K] · w[K, OC],  dw[K, OC] = colsᵀ · dy,  dx = col2im(dy · wᵀ)   (M = N·OH·OW, K = KH·KW·C).
 * A GEMM splits into row or column blocks of C, or along k; the input gradient splits by image.
 */
import type { Conv2DInfo, MatMulInfo } from '../backend.js';
import type { Storage } from '../storage.js';
import { elementParts } from './elementwise.js';
import { A_MODES, type AMode, type ConvGeometry, KC, SPLITS } from './protocol.generated.js';
import type { WasmArena, WasmStorage } from './storage.js';
import { PARTS_PER_THREAD } from './threads.js';

/** Bytes of the column-gradient block dx is rebuilt from at a time: the block stays in cache for col2im. */
const COL2IM_BLOCK_BYTES = 256 * 1024;
/** Work below this many flops per part is not worth waking a thread for (a wake-up costs about 15 µs). */
const MIN_FLOPS_PER_PART = 2e6;
/** A product whose C has at most this many values and whose k spans two GEMM slices or more is split along k. */
const SMALL_OUTPUT = 1 << 16;

/** Parts for `flops` of work: a few per thread, fewer when parts would be too small, at most `limit`. */
export function partsFor(arena: WasmArena, flops: number, limit: number): number {
  const threads = arena.pool.threads;
  const most = threads === 1 ? 1 : threads * PARTS_PER_THREAD;
  return Math.max(1, Math.min(most, Math.floor(flops / MIN_FLOPS_PER_PART), limit));
}

/** Bytes rounded up to whole cache lines, so parts' scratch blocks are aligned and share no line. */
export const lines = (bytes: number): number => Math.ceil(bytes / 64) * 64;

interface GemmArgs {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly aMode: AMode;
  readonly a: number;
  readonly rsA: number;
  readonly csA: number;
  readonly b: number;
  readonly rsB: number;
  readonly csB: number;
  readonly c: number;
  readonly ldc: number;
  /** Convolution geometry for the im2col modes. */
  readonly conv?: ConvGeometry;
}

/**
 * C = A·B on the pool. A long k with a small C (a filter gradient: taps × channels, summed over every pixel of the
 * batch) splits along k: one part per slice the GEMM cuts k into, each into its own partial C, summed afterwards in
 * slice order, which is exactly how the unsplit GEMM accumulates. Otherwise C splits into row blocks when it is at
 * least as tall as wide, else into column blocks; each part packs the other operand whole, so the split goes along
 * the larger side. Either way every thread count gives the same bits.
 */
function gemm(arena: WasmArena, g: GemmArgs): void {
  const { kernels } = arena;
  const chunks = Math.ceil(g.k / KC);
  if (arena.pool.threads > 1 && chunks >= 2 && g.m * g.n <= SMALL_OUTPUT) {
    const perPart = lines(kernels.gemmWorkspaceBytes(g.m, g.n, Math.ceil(g.k / chunks)));
    const partialBytes = chunks * g.m * g.n * 4;
    arena.withScratch(lines(partialBytes) + perPart * chunks, (scratch) => {
      const partials = scratch;
      const work = scratch + lines(partialBytes);
      arena.pool.run(
        {
          kind: 'gemm',
          m: g.m,
          n: g.n,
          k: g.k,
          aMode: g.aMode,
          a: g.a,
          rsA: g.rsA,
          csA: g.csA,
          b: g.b,
          rsB: g.rsB,
          csB: g.csB,
          c: partials,
          ldc: g.n,
          accumulate: false,
          scratch: work,
          scratchPerPart: perPart,
          split: SPLITS.k,
          geometry: g.conv,
        },
        chunks,
      );
      arena.pool.run(
        { kind: 'sum', out: g.c, partials, count: chunks, n: g.m * g.n },
        elementParts(arena, g.m * g.n * chunks),
      );
    });
    return;
  }
  const byColumns = g.n > g.m;
  const parts = partsFor(arena, 2 * g.m * g.n * g.k, byColumns ? Math.ceil(g.n / 8) : Math.ceil(g.m / 4));
  const perPart = lines(kernels.gemmWorkspaceBytes(g.m, g.n, g.k));
  arena.withScratch(perPart * parts, (scratch) =>
    arena.pool.run(
      {
        kind: 'gemm',
        m: g.m,
        n: g.n,
        k: g.k,
        aMode: g.aMode,
        a: g.a,
        rsA: g.rsA,
        csA: g.csA,
        b: g.b,
        rsB: g.rsB,
        csB: g.csB,
        c: g.c,
        ldc: g.ldc,
        accumulate: false,
        scratch,
        scratchPerPart: perPart,
        split: byColumns ? SPLITS.columns : SPLITS.rows,
        geometry: g.conv,
      },
      parts,
    ),
  );
}

/** C = op(A)·op(B); transposes become strides, which the GEMM's packing absorbs. */
export function matmul(arena: WasmArena, a: Storage, b: Storage, info: MatMulInfo): WasmStorage {
  const { m, k, n, transposeA, transposeB } = info;
  const aAt = arena.offsetOf(a, 'matmul: a', m * k);
  const bAt = arena.offsetOf(b, 'matmul: b', k * n);
  const out = arena.allocRaw(m * n);
  if (m * n === 0) return out;
  if (k === 0) {
    out.view().fill(0);
    return out;
  }
  gemm(arena, {
    m,
    n,
    k,
    aMode: A_MODES.strided,
    a: aAt,
    rsA: transposeA ? 1 : k,
    csA: transposeA ? m : 1,
    b: bAt,
    rsB: transposeB ? 1 : n,
    csB: transposeB ? k : 1,
    c: out.offset,
    ldc: n,
  });
  return out;
}

interface ConvSizes {
  /** Output pixels N·OH·OW: rows of the column matrix. */
  readonly rows: number;
  /** Taps KH·KW·C: columns of the column matrix. */
  readonly taps: number;
  readonly inputLength: number;
  readonly outputLength: number;
}

function convSizes(info: Conv2DInfo): ConvSizes {
  const rows = info.batch * info.outHeight * info.outWidth;
  return {
    rows,
    taps: info.filterHeight * info.filterWidth * info.inChannels,
    inputLength: info.batch * info.inHeight * info.inWidth * info.inChannels,
    outputLength: rows * info.outChannels,
  };
}

/** y[M, OC] = cols(x) · w. */
export function conv2d(arena: WasmArena, x: Storage, filter: Storage, info: Conv2DInfo): WasmStorage {
  const { rows, taps, inputLength, outputLength } = convSizes(info);
  const xAt = arena.offsetOf(x, 'conv2d: x', inputLength);
  const wAt = arena.offsetOf(filter, 'conv2d: filter', taps * info.outChannels);
  if (taps === 0) return arena.allocZeroed(outputLength);
  const out = arena.allocRaw(outputLength);
  if (outputLength === 0) return out;
  const n = info.outChannels;
  gemm(arena, {
    m: rows,
    n,
    k: taps,
    aMode: A_MODES.im2col,
    a: xAt,
    rsA: 0,
    csA: 0,
    b: wAt,
    rsB: n,
    csB: 1,
    c: out.offset,
    ldc: n,
    conv: info,
  });
  return out;
}

/** dw[K, OC] = cols(x)ᵀ · dy. */
export function conv2dBackpropFilter(arena: WasmArena, x: Storage, dy: Storage, info: Conv2DInfo): WasmStorage {
  const { rows, taps, inputLength, outputLength } = convSizes(info);
  const xAt = arena.offsetOf(x, 'conv2dBackpropFilter: x', inputLength);
  const dyAt = arena.offsetOf(dy, 'conv2dBackpropFilter: dy', outputLength);
  const n = info.outChannels;
  if (rows === 0) return arena.allocZeroed(taps * n);
  const out = arena.allocRaw(taps * n);
  if (taps * n === 0) return out;
  gemm(arena, {
    m: taps,
    n,
    k: rows,
    aMode: A_MODES.im2colT,
    a: xAt,
    rsA: 0,
    csA: 0,
    b: dyAt,
    rsB: n,
    csB: 1,
    c: out.offset,
    ldc: n,
    conv: info,
  });
  return out;
}

/** dx = col2im(dy · wᵀ), a block of rows at a time, images split across threads. */
export function conv2dBackpropInput(arena: WasmArena, dy: Storage, filter: Storage, info: Conv2DInfo): WasmStorage {
  const { rows, taps, inputLength, outputLength } = convSizes(info);
  const n = info.outChannels;
  const dyAt = arena.offsetOf(dy, 'conv2dBackpropInput: dy', outputLength);
  const wAt = arena.offsetOf(filter, 'conv2dBackpropInput: filter', taps * n);
  if (rows === 0 || taps === 0 || n === 0) return arena.allocZeroed(inputLength);
  const dx = arena.allocRaw(inputLength);
  // Whole output rows per block: col2im's order of additions then never depends on where a block (or a part) starts.
  const block = Math.min(
    rows,
    info.outWidth * Math.max(1, Math.floor(COL2IM_BLOCK_BYTES / (taps * 4 * info.outWidth))),
  );
  const perPart = lines(lines(block * taps * 4) + arena.kernels.gemmWorkspaceBytes(block, taps, n));
  const parts = partsFor(arena, 2 * rows * taps * n, info.batch);
  const pixels = info.outHeight * info.outWidth;
  const image = info.inHeight * info.inWidth * info.inChannels;
  arena.withScratch(perPart * parts, (scratch) =>
    arena.pool.run(
      {
        kind: 'convDx',
        batch: info.batch,
        taps,
        outChannels: n,
        dy: dyAt,
        w: wAt,
        dx: dx.offset,
        blockRows: block,
        scratch,
        scratchPerPart: perPart,
        pixels,
        imageValues: image,
        geometry: info,
      },
      parts,
    ),
  );
  return dx;
}
