/**
 * The wasm kernels of the newer CNN blocks: depthwise convolution (asm/depthwise.ts) and layer normalization
 * (asm/layer-norm.ts), run on the main thread, and the resampling and joining kernels, which run the js reference on
 * the storages' views (they only move values) and copy the result in.
 */
import type { Shape } from '../../shape.js';
import type { DepthwiseConv2DInfo, LayerNormGrads, UpSample2DInfo } from '../backend.js';
import * as resample from '../js/resample.js';
import type { Storage } from '../storage.js';
import type { WasmArena, WasmStorage } from './storage.js';

function depthwiseSizes(info: DepthwiseConv2DInfo): { input: number; output: number; filter: number } {
  return {
    input: info.batch * info.inHeight * info.inWidth * info.inChannels,
    output: info.batch * info.outHeight * info.outWidth * info.outChannels,
    filter: info.filterHeight * info.filterWidth * info.outChannels,
  };
}

/**
 * Sets the kernels' geometry and runs `kernel` with the scratch block they need: the input expanded to C·M channels
 * when the multiplier M is above 1 (none, offset 0, when M = 1).
 */
function runDepthwise(arena: WasmArena, info: DepthwiseConv2DInfo, kernel: (scratch: number) => void): void {
  arena.kernels.setDepthwiseGeometry(
    info.batch,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.channelMultiplier,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    info.padTop,
    info.padLeft,
  );
  if (info.channelMultiplier === 1) {
    kernel(0);
    return;
  }
  arena.withScratch(depthwiseSizes(info).input * info.channelMultiplier * 4, kernel);
}

export function depthwiseConv2d(arena: WasmArena, x: Storage, filter: Storage, info: DepthwiseConv2DInfo): WasmStorage {
  const sizes = depthwiseSizes(info);
  const xAt = arena.offsetOf(x, 'depthwiseConv2d: x', sizes.input);
  const wAt = arena.offsetOf(filter, 'depthwiseConv2d: filter', sizes.filter);
  const y = arena.allocRaw(sizes.output);
  runDepthwise(arena, info, (scratch) => arena.kernels.depthwiseConv2d(xAt, wAt, y.offset, scratch));
  return y;
}

export function depthwiseConv2dBackpropInput(
  arena: WasmArena,
  dy: Storage,
  filter: Storage,
  info: DepthwiseConv2DInfo,
): WasmStorage {
  const sizes = depthwiseSizes(info);
  const dyAt = arena.offsetOf(dy, 'depthwiseConv2dBackpropInput: dy', sizes.output);
  const wAt = arena.offsetOf(filter, 'depthwiseConv2dBackpropInput: filter', sizes.filter);
  const dx = arena.allocRaw(sizes.input);
  runDepthwise(arena, info, (scratch) => arena.kernels.depthwiseConv2dBackpropInput(dyAt, wAt, dx.offset, scratch));
  return dx;
}

export function depthwiseConv2dBackpropFilter(
  arena: WasmArena,
  x: Storage,
  dy: Storage,
  info: DepthwiseConv2DInfo,
): WasmStorage {
  const sizes = depthwiseSizes(info);
  const xAt = arena.offsetOf(x, 'depthwiseConv2dBackpropFilter: x', sizes.input);
  const dyAt = arena.offsetOf(dy, 'depthwiseConv2dBackpropFilter: dy', sizes.output);
  const dw = arena.allocRaw(sizes.filter);
  runDepthwise(arena, info, (scratch) => arena.kernels.depthwiseConv2dBackpropFilter(xAt, dyAt, dw.offset, scratch));
  return dw;
}

export function upSample2d(arena: WasmArena, x: Storage, info: UpSample2DInfo): WasmStorage {
  return arena.adopt(resample.upSample2d(x.view(), info));
}

export function upSample2dBackprop(arena: WasmArena, dy: Storage, info: UpSample2DInfo): WasmStorage {
  return arena.adopt(resample.upSample2dBackprop(dy.view(), info));
}

export function concat(arena: WasmArena, xs: readonly Storage[], shapes: readonly Shape[], axis: number): WasmStorage {
  return arena.adopt(
    resample.concat(
      xs.map((x) => x.view()),
      shapes,
      axis,
    ),
  );
}

/** Rows of x viewed as [rows, cols]. */
function rowsOf(x: Storage, cols: number, what: string): number {
  const rows = cols === 0 ? 0 : x.length / cols;
  if (!Number.isInteger(rows))
    throw new Error(`${what}: x holds ${x.length} values, not a multiple of ${cols} columns`);
  return rows;
}

export function layerNorm(
  arena: WasmArena,
  x: Storage,
  gamma: Storage,
  beta: Storage,
  cols: number,
  epsilon: number,
): WasmStorage {
  const rows = rowsOf(x, cols, 'layerNorm');
  const xAt = arena.offsetOf(x, 'layerNorm: x', x.length);
  const gammaAt = arena.offsetOf(gamma, 'layerNorm: gamma', cols);
  const betaAt = arena.offsetOf(beta, 'layerNorm: beta', cols);
  const y = arena.allocRaw(x.length);
  arena.kernels.layerNorm(xAt, rows, cols, gammaAt, betaAt, epsilon, y.offset);
  return y;
}

export function layerNormGrad(
  arena: WasmArena,
  dy: Storage,
  x: Storage,
  gamma: Storage,
  cols: number,
  epsilon: number,
): LayerNormGrads {
  const rows = rowsOf(x, cols, 'layerNormGrad');
  const args = [
    arena.offsetOf(dy, 'layerNormGrad: dy', x.length),
    arena.offsetOf(x, 'layerNormGrad: x', x.length),
    rows,
    cols,
    arena.offsetOf(gamma, 'layerNormGrad: gamma', cols),
  ] as const;
  const dx = arena.allocRaw(x.length);
  const dGamma = arena.allocRaw(cols);
  const dBeta = arena.allocRaw(cols);
  arena.withScratch(cols * 16, (scratch) =>
    arena.kernels.layerNormGrad(...args, epsilon, dx.offset, dGamma.offset, dBeta.offset, scratch),
  );
  return { dx, dGamma, dBeta };
}
