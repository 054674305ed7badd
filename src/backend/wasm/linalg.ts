/**
 * Matrix product and convolutions on the wasm GEMM (asm/gemm.ts). Convolutions are GEMMs over the im2col view of
 * their input, which the GEMM's packer reads straight from x (asm/im2col.ts), so no column matrix is stored:
 *   y[M, OC] = cols[M, K] · w[K, OC],  dw[K, OC] = colsᵀ · dy,  dx = col2im(dy · wᵀ)   (M = N·OH·OW, K = KH·KW·C).
 */
import type { Conv2DInfo, MatMulInfo } from '../backend.js';
import type { Storage } from '../storage.js';
import { A_IM2COL, A_IM2COL_T, A_STRIDED } from './instance.js';
import type { WasmArena, WasmStorage } from './storage.js';

/** Rows of the column-gradient block dx is rebuilt from at a time: its block stays in cache for col2im. */
const COL2IM_BLOCK_BYTES = 256 * 1024;

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
  const { kernels } = arena;
  arena.withScratch(kernels.gemmWorkspaceBytes(m, n, k), (work) =>
    kernels.gemm(m, n, k, A_STRIDED, aAt, transposeA ? 1 : k, transposeA ? m : 1, bAt, transposeB ? 1 : n, transposeB ? k : 1,
      out.offset, n, 0, work));
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

function convSizes(arena: WasmArena, info: Conv2DInfo): ConvSizes {
  arena.kernels.setConvGeometry(info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth,
    info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth,
    info.padTop, info.padLeft);
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
  const { rows, taps, inputLength, outputLength } = convSizes(arena, info);
  const xAt = arena.offsetOf(x, 'conv2d: x', inputLength);
  const wAt = arena.offsetOf(filter, 'conv2d: filter', taps * info.outChannels);
  if (taps === 0) return arena.allocZeroed(outputLength);
  const out = arena.allocRaw(outputLength);
  if (outputLength === 0) return out;
  const { kernels } = arena;
  const n = info.outChannels;
  arena.withScratch(kernels.gemmWorkspaceBytes(rows, n, taps), (work) =>
    kernels.gemm(rows, n, taps, A_IM2COL, xAt, 0, 0, wAt, n, 1, out.offset, n, 0, work));
  return out;
}

/** dw[K, OC] = cols(x)ᵀ · dy. */
export function conv2dBackpropFilter(arena: WasmArena, x: Storage, dy: Storage, info: Conv2DInfo): WasmStorage {
  const { rows, taps, inputLength, outputLength } = convSizes(arena, info);
  const xAt = arena.offsetOf(x, 'conv2dBackpropFilter: x', inputLength);
  const dyAt = arena.offsetOf(dy, 'conv2dBackpropFilter: dy', outputLength);
  const n = info.outChannels;
  if (rows === 0) return arena.allocZeroed(taps * n);
  const out = arena.allocRaw(taps * n);
  if (taps * n === 0) return out;
  const { kernels } = arena;
  arena.withScratch(kernels.gemmWorkspaceBytes(taps, n, rows), (work) =>
    kernels.gemm(taps, n, rows, A_IM2COL_T, xAt, 0, 0, dyAt, n, 1, out.offset, n, 0, work));
  return out;
}

/** dx = col2im(dy · wᵀ), a block of rows at a time. */
export function conv2dBackpropInput(arena: WasmArena, dy: Storage, filter: Storage, info: Conv2DInfo): WasmStorage {
  const { rows, taps, inputLength, outputLength } = convSizes(arena, info);
  const n = info.outChannels;
  const dyAt = arena.offsetOf(dy, 'conv2dBackpropInput: dy', outputLength);
  const wAt = arena.offsetOf(filter, 'conv2dBackpropInput: filter', taps * n);
  const dx = arena.allocZeroed(inputLength);
  if (rows === 0 || taps === 0 || n === 0) return dx;
  const { kernels } = arena;
  const block = Math.min(rows, Math.max(4, Math.floor(COL2IM_BLOCK_BYTES / (taps * 4))));
  arena.withScratch(block * taps * 4, (dcols) => arena.withScratch(kernels.gemmWorkspaceBytes(block, taps, n), (work) => {
    for (let start = 0; start < rows; start += block) {
      const count = Math.min(block, rows - start);
      // dcols[count, K] = dy[start.., OC] · wᵀ, where B(p = oc, j = tap) = w[tap·OC + oc].
      kernels.gemm(count, taps, n, A_STRIDED, dyAt + start * n * 4, n, 1, wAt, 1, n, dcols, taps, 0, work);
      kernels.col2im(dcols, start, count, dx.offset);
    }
  }));
  return dx;
}
