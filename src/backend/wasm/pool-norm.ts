/**
 * Pooling (asm/pool.ts, split by image across threads), batch normalization and softmax (asm/norm.ts) on wasm
 * memory.
 */
import type { BatchNormGrads, Moments, Pool2DInfo } from '../backend.js';
import type { Storage } from '../storage.js';
import { elementParts } from './elementwise.js';
import type { AvgPoolGradJob, AvgPoolJob, MaxPoolGradJob, MaxPoolJob, PoolGeometry } from './protocol.generated.js';
import type { WasmArena, WasmStorage } from './storage.js';

function poolSizes(info: PoolGeometry): { input: number; output: number } {
  return {
    input: info.batch * info.inHeight * info.inWidth * info.channels,
    output: info.batch * info.outHeight * info.outWidth * info.channels,
  };
}

/** Runs a pooling job over all images, split by image. */
function runPool(arena: WasmArena, job: MaxPoolJob | MaxPoolGradJob | AvgPoolJob | AvgPoolGradJob): void {
  const { input } = poolSizes(job.geometry);
  arena.pool.run(job, Math.min(elementParts(arena, input), job.geometry.batch));
}

export function maxPool(arena: WasmArena, x: Storage, info: Pool2DInfo): WasmStorage {
  const { input, output } = poolSizes(info);
  const xAt = arena.offsetOf(x, 'maxPool: x', input);
  const y = arena.allocRaw(output);
  if (info.batch > 0) runPool(arena, { kind: 'maxPool', x: xAt, y: y.offset, geometry: info });
  return y;
}

export function maxPoolBackprop(arena: WasmArena, dy: Storage, x: Storage, info: Pool2DInfo): WasmStorage {
  const { input, output } = poolSizes(info);
  const dyAt = arena.offsetOf(dy, 'maxPoolBackprop: dy', output);
  const xAt = arena.offsetOf(x, 'maxPoolBackprop: x', input);
  const dx = arena.allocRaw(input);
  if (info.batch > 0) runPool(arena, { kind: 'maxPoolGrad', dy: dyAt, x: xAt, dx: dx.offset, geometry: info });
  return dx;
}

export function avgPool(arena: WasmArena, x: Storage, info: Pool2DInfo): WasmStorage {
  const { input, output } = poolSizes(info);
  const xAt = arena.offsetOf(x, 'avgPool: x', input);
  const y = arena.allocRaw(output);
  if (info.batch > 0) runPool(arena, { kind: 'avgPool', x: xAt, y: y.offset, geometry: info });
  return y;
}

export function avgPoolBackprop(arena: WasmArena, dy: Storage, info: Pool2DInfo): WasmStorage {
  const { input, output } = poolSizes(info);
  const dyAt = arena.offsetOf(dy, 'avgPoolBackprop: dy', output);
  const dx = arena.allocRaw(input);
  if (info.batch > 0) runPool(arena, { kind: 'avgPoolGrad', dy: dyAt, dx: dx.offset, geometry: info });
  return dx;
}

/** Rows of x viewed as [rows, channels]. */
function rowsOf(x: Storage, channels: number, what: string): number {
  const rows = channels === 0 ? 0 : x.length / channels;
  if (!Number.isInteger(rows))
    throw new Error(`${what}: x holds ${x.length} values, not a multiple of ${channels} channels`);
  return rows;
}

export function moments(arena: WasmArena, x: Storage, channels: number): Moments {
  const rows = rowsOf(x, channels, 'moments');
  const xAt = arena.offsetOf(x, 'moments: x', x.length);
  const mean = arena.allocRaw(channels);
  const variance = arena.allocRaw(channels);
  arena.withScratch(channels * 8, (scratch) =>
    arena.kernels.moments(xAt, rows, channels, mean.offset, variance.offset, scratch),
  );
  return { mean, variance };
}

export function batchNorm(
  arena: WasmArena,
  x: Storage,
  mean: Storage,
  variance: Storage,
  gamma: Storage,
  beta: Storage,
  channels: number,
  epsilon: number,
): WasmStorage {
  const rows = rowsOf(x, channels, 'batchNorm');
  const at = (s: Storage, what: string, length: number): number => arena.offsetOf(s, `batchNorm: ${what}`, length);
  const args = [
    at(x, 'x', x.length),
    rows,
    channels,
    at(mean, 'mean', channels),
    at(variance, 'variance', channels),
    at(gamma, 'gamma', channels),
    at(beta, 'beta', channels),
  ] as const;
  const y = arena.allocRaw(x.length);
  arena.withScratch(channels * 8, (scratch) => arena.kernels.batchNorm(...args, epsilon, y.offset, scratch));
  return y;
}

export function batchNormGrad(
  arena: WasmArena,
  dy: Storage,
  x: Storage,
  mean: Storage,
  variance: Storage,
  gamma: Storage,
  channels: number,
  epsilon: number,
): BatchNormGrads {
  const rows = rowsOf(x, channels, 'batchNormGrad');
  const at = (s: Storage, what: string, length: number): number => arena.offsetOf(s, `batchNormGrad: ${what}`, length);
  const args = [
    at(dy, 'dy', x.length),
    at(x, 'x', x.length),
    rows,
    channels,
    at(mean, 'mean', channels),
    at(variance, 'variance', channels),
    at(gamma, 'gamma', channels),
  ] as const;
  const dx = arena.allocRaw(x.length);
  const dGamma = arena.allocRaw(channels);
  const dBeta = arena.allocRaw(channels);
  arena.withScratch(channels * 24, (scratch) =>
    arena.kernels.batchNormGrad(...args, epsilon, dx.offset, dGamma.offset, dBeta.offset, scratch),
  );
  return { dx, dGamma, dBeta };
}

/** Row-wise softmax, or log-softmax when `log`. */
export function softmax(arena: WasmArena, logits: Storage, rows: number, cols: number, log: boolean): WasmStorage {
  const xAt = arena.offsetOf(logits, log ? 'logSoftmax: logits' : 'softmax: logits', rows * cols);
  const out = arena.allocRaw(rows * cols);
  arena.kernels.softmax(xAt, rows, cols, out.offset, log ? 1 : 0);
  return out;
}
