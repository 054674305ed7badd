/**
 * Depthwise convolution and its gradients on the wasm kernels (asm/depthwise.ts), as thread-pool jobs (asm/jobs.ts):
 *   y[n, oy, ox, c·M + m] = Σ_{ky, kx} x[n, iy, ix, c] · w[ky, kx, c, m]
 * The forward pass splits by output rows, the input gradient by input rows (a gather per input pixel), the filter
 * gradient by fixed blocks of output rows whose partial sums are added in block order; so every thread count gives
 * the same bits. With a channel multiplier M > 1 the input is first expanded to C·M channels (a job of its own).
 */
import type { DepthwiseConv2DInfo } from '../backend.js';
import type { Storage } from '../storage.js';
import { elementParts } from './elementwise.js';
import { lines, partsFor } from './linalg.js';
import type { WasmArena, WasmStorage } from './storage.js';

/**
 * Bytes of dy a block of the filter gradient covers (whole output rows, at least one): small enough to stay in cache
 * while each of the KH·KW taps walks it. Fixed, not per thread, so the filter gradient has the same bits on any
 * number of threads.
 */
const DW_BLOCK_BYTES = 64 * 1024;

interface Sizes {
  readonly input: number;
  readonly output: number;
  readonly filter: number;
  /** Multiply-adds of the op: each output value sums one product per tap. */
  readonly flops: number;
}

function sizesOf(info: DepthwiseConv2DInfo): Sizes {
  const output = info.batch * info.outHeight * info.outWidth * info.outChannels;
  return {
    input: info.batch * info.inHeight * info.inWidth * info.inChannels,
    output,
    filter: info.filterHeight * info.filterWidth * info.outChannels,
    flops: 2 * output * info.filterHeight * info.filterWidth,
  };
}

/** Runs fn with x itself (M = 1), or with x expanded to C·M channels in scratch (M > 1). */
function withExpanded<T>(arena: WasmArena, xAt: number, info: DepthwiseConv2DInfo, fn: (x: number) => T): T {
  const multiplier = info.channelMultiplier;
  if (multiplier === 1) return fn(xAt);
  const n = sizesOf(info).input;
  return arena.withScratch(n * multiplier * 4, (scratch) => {
    arena.pool.run(
      { kind: 'depthwiseExpand', x: xAt, out: scratch, n, multiplier },
      Math.min(n, elementParts(arena, n * multiplier)),
    );
    return fn(scratch);
  });
}

export function depthwiseConv2d(arena: WasmArena, x: Storage, filter: Storage, info: DepthwiseConv2DInfo): WasmStorage {
  const sizes = sizesOf(info);
  const xAt = arena.offsetOf(x, 'depthwiseConv2d: x', sizes.input);
  const wAt = arena.offsetOf(filter, 'depthwiseConv2d: filter', sizes.filter);
  const y = arena.allocRaw(sizes.output);
  if (sizes.output === 0) return y;
  const rows = info.batch * info.outHeight;
  withExpanded(arena, xAt, info, (source) =>
    arena.pool.run(
      { kind: 'depthwise', x: source, w: wAt, y: y.offset, geometry: info },
      partsFor(arena, sizes.flops, rows),
    ),
  );
  return y;
}

export function depthwiseConv2dBackpropInput(
  arena: WasmArena,
  dy: Storage,
  filter: Storage,
  info: DepthwiseConv2DInfo,
): WasmStorage {
  const sizes = sizesOf(info);
  const dyAt = arena.offsetOf(dy, 'depthwiseConv2dBackpropInput: dy', sizes.output);
  const wAt = arena.offsetOf(filter, 'depthwiseConv2dBackpropInput: filter', sizes.filter);
  const dx = arena.allocRaw(sizes.input);
  if (sizes.input === 0) return dx;
  const rows = info.batch * info.inHeight;
  const parts = partsFor(arena, sizes.flops, rows);
  const perPart = lines(
    arena.kernels.depthwiseDxScratchBytes(info.filterHeight, info.filterWidth, info.inWidth, info.outChannels),
  );
  arena.withScratch(perPart * parts, (scratch) =>
    arena.pool.run(
      { kind: 'depthwiseDx', dy: dyAt, w: wAt, dx: dx.offset, scratch, scratchPerPart: perPart, geometry: info },
      parts,
    ),
  );
  return dx;
}

export function depthwiseConv2dBackpropFilter(
  arena: WasmArena,
  x: Storage,
  dy: Storage,
  info: DepthwiseConv2DInfo,
): WasmStorage {
  const sizes = sizesOf(info);
  const xAt = arena.offsetOf(x, 'depthwiseConv2dBackpropFilter: x', sizes.input);
  const dyAt = arena.offsetOf(dy, 'depthwiseConv2dBackpropFilter: dy', sizes.output);
  const rows = info.batch * info.outHeight;
  if (rows === 0) return arena.allocZeroed(sizes.filter);
  const dw = arena.allocRaw(sizes.filter);
  if (sizes.filter === 0) return dw;
  const blockRows = Math.max(1, Math.floor(DW_BLOCK_BYTES / (info.outWidth * info.outChannels * 4)));
  const blocks = Math.ceil(rows / blockRows);
  const parts = partsFor(arena, sizes.flops, blocks);
  withExpanded(arena, xAt, info, (source) => {
    if (blocks === 1) {
      arena.pool.run({ kind: 'depthwiseDw', x: source, dy: dyAt, partials: dw.offset, blockRows, geometry: info }, 1);
      return;
    }
    arena.withScratch(blocks * sizes.filter * 4, (partials) => {
      arena.pool.run({ kind: 'depthwiseDw', x: source, dy: dyAt, partials, blockRows, geometry: info }, parts);
      arena.pool.run(
        { kind: 'sum', out: dw.offset, partials, count: blocks, n: sizes.filter },
        elementParts(arena, blocks * sizes.filter),
      );
    });
  });
  return dw;
}
