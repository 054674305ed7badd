/**
 * The wasm kernels of the newer CNN blocks besides depthwise convolution (depthwise.ts): layer normalization
 * (asm/layer-norm.ts), upsampling and concat (asm/resample.ts), as thread-pool jobs (asm/jobs.ts). Each equals the js
 * reference bit for bit (the same float64 operations in the same order, or copies) on any number of threads.
 */
import { type Shape, sizeOf } from '../../shape.js';
import { ShapeError } from '../../errors.js';
import type { LayerNormGrads, UpSample2DInfo } from '../backend.js';
import type { Storage } from '../storage.js';
import { elementParts } from './elementwise.js';
import type { WasmArena, WasmStorage } from './storage.js';

/** Parts for a pass over `elements` values made of `units` indivisible rows (or columns). */
const partsOver = (arena: WasmArena, elements: number, units: number): number =>
  Math.max(1, Math.min(units, elementParts(arena, elements)));

export function upSample2d(arena: WasmArena, x: Storage, info: UpSample2DInfo): WasmStorage {
  const input = info.batch * info.inHeight * info.inWidth * info.channels;
  const xAt = arena.offsetOf(x, 'upSample2d: x', input);
  const y = arena.allocRaw(input * info.sizeHeight * info.sizeWidth);
  if (y.length === 0) return y;
  const rows = info.batch * info.inHeight * info.sizeHeight;
  arena.pool.run(
    { kind: 'upSample', x: xAt, y: y.offset, bilinear: info.interpolation === 'bilinear', geometry: info },
    partsOver(arena, y.length, rows),
  );
  return y;
}

export function upSample2dBackprop(arena: WasmArena, dy: Storage, info: UpSample2DInfo): WasmStorage {
  const input = info.batch * info.inHeight * info.inWidth * info.channels;
  const output = input * info.sizeHeight * info.sizeWidth;
  const dyAt = arena.offsetOf(dy, 'upSample2dBackprop: dy', output);
  const dx = arena.allocRaw(input);
  if (input === 0) return dx;
  // Each part sums its rows of dx in float64, as the reference does, then rounds them into dx.
  arena.withScratch(input * 8, (acc) =>
    arena.pool.run(
      {
        kind: 'upSampleGrad',
        dy: dyAt,
        dx: dx.offset,
        acc,
        bilinear: info.interpolation === 'bilinear',
        geometry: info,
      },
      partsOver(arena, output, info.batch * info.inHeight),
    ),
  );
  return dx;
}

/**
 * Joins xs along `axis`: viewing each x_i as [outer, inner_i] (outer = Π shape[:axis], inner_i = Π shape_i[axis:]),
 * output row o is x_0[o, :], x_1[o, :], … side by side; each input is one strided row copy.
 */
export function concat(arena: WasmArena, xs: readonly Storage[], shapes: readonly Shape[], axis: number): WasmStorage {
  const outer = sizeOf((shapes[0] ?? []).slice(0, axis));
  const inners = shapes.map((shape) => sizeOf(shape.slice(axis)));
  const rowLength = inners.reduce((a, b) => a + b, 0);
  const at = xs.map((x, i) => arena.offsetOf(x, `concat: input ${i}`, outer * (inners[i] ?? 0)));
  const out = arena.allocRaw(outer * rowLength);
  let offset = 0;
  at.forEach((src, i) => {
    const length = inners[i] ?? 0;
    if (outer > 0 && length > 0) {
      arena.pool.run(
        { kind: 'copyRows', src, dst: out.offset + offset * 4, rows: outer, length, dstStride: rowLength },
        partsOver(arena, outer * length, outer),
      );
    }
    offset += length;
  });
  return out;
}

/** Rows of x viewed as [rows, cols]. */
function rowsOf(x: Storage, cols: number, what: string): number {
  const rows = cols === 0 ? 0 : x.length / cols;
  if (!Number.isInteger(rows))
    throw new ShapeError(what, `x holds ${x.length} values, not a multiple of ${cols} columns`);
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
  if (x.length === 0) return y;
  arena.pool.run(
    { kind: 'layerNorm', rows, epsilon, cols, x: xAt, gamma: gammaAt, beta: betaAt, y: y.offset },
    partsOver(arena, x.length, rows),
  );
  return y;
}

/**
 * The input gradient by rows, which also records each row's mean and 1/σ; then dGamma and dBeta by columns, each
 * column summed over the rows in row order (float64) as the reference does.
 */
export function layerNormGrad(
  arena: WasmArena,
  dy: Storage,
  x: Storage,
  gamma: Storage,
  cols: number,
  epsilon: number,
): LayerNormGrads {
  const rows = rowsOf(x, cols, 'layerNormGrad');
  const dyAt = arena.offsetOf(dy, 'layerNormGrad: dy', x.length);
  const xAt = arena.offsetOf(x, 'layerNormGrad: x', x.length);
  const gammaAt = arena.offsetOf(gamma, 'layerNormGrad: gamma', cols);
  const dx = arena.allocRaw(x.length);
  const dGamma = arena.allocRaw(cols);
  const dBeta = arena.allocRaw(cols);
  if (cols === 0) return { dx, dGamma, dBeta };
  arena.withScratch(rows * 16 + cols * 16, (stats) => {
    if (rows > 0) {
      arena.pool.run(
        { kind: 'layerNormGrad', rows, epsilon, cols, dy: dyAt, x: xAt, gamma: gammaAt, dx: dx.offset, stats },
        partsOver(arena, x.length, rows),
      );
    }
    arena.pool.run(
      {
        kind: 'layerNormParams',
        dy: dyAt,
        x: xAt,
        stats,
        dGamma: dGamma.offset,
        dBeta: dBeta.offset,
        sums: stats + rows * 16,
        rows,
        cols,
      },
      partsOver(arena, x.length, Math.ceil(cols / 2)),
    );
  });
  return { dx, dGamma, dBeta };
}
