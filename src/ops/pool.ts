/** 2-D max and average pooling over NHWC input (TensorFlow semantics), and the global pools. */
import type { Pool2DInfo } from '../backend/backend.js';
import { engine } from '../engine.js';
import { ShapeError } from '../errors.js';
import { formatShape, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { type Padding, resolvePadding, resolveSize2D, type Size2D, windowGeometry } from './conv.js';
import { assertSameBackend, recordGradient, wrap } from './op.js';
import { max, mean } from './reduction.js';

export interface Pool2DOptions {
  /** Window [height, width]. */
  readonly poolSize: Size2D;
  /** Step of the window; default poolSize (non-overlapping windows, as in Keras). */
  readonly strides?: Size2D;
  /** Default 'valid'. In 'same' mode padded positions never win a max and are not counted in an average. */
  readonly padding?: Padding;
}

interface PoolGeometry {
  readonly pool: [number, number];
  readonly strides: [number, number];
  readonly out: [number | null, number | null];
  readonly pad: [number, number];
}

function poolGeometry(opName: string, xShape: readonly (number | null)[], options: Pool2DOptions): PoolGeometry {
  if (xShape.length !== 4) {
    throw new ShapeError(
      opName,
      `input must be rank 4 [batch, height, width, channels], received [${xShape.map((d) => d ?? '?').join(', ')}]`,
    );
  }
  const pool = resolveSize2D(opName, 'poolSize', options.poolSize, 1);
  const strides = resolveSize2D(opName, 'strides', options.strides ?? pool, 1);
  const padding = resolvePadding(opName, options.padding);
  const { out, pad } = windowGeometry(
    opName,
    [xShape[1] ?? null, xShape[2] ?? null],
    pool,
    strides,
    padding,
    `the pool window [${pool.join(', ')}]`,
  );
  return { pool, strides, out, pad };
}

/** The validated geometry of a pooling op over x: [N, H, W, C]. `opName` labels error messages. */
export function pool2dInfo(xShape: Shape, options: Pool2DOptions, opName = 'pool2d'): Pool2DInfo {
  const g = poolGeometry(opName, xShape, options);
  const [batch = 0, inHeight = 0, inWidth = 0, channels = 0] = xShape;
  return {
    batch,
    inHeight,
    inWidth,
    channels,
    outHeight: g.out[0] ?? 0,
    outWidth: g.out[1] ?? 0,
    poolHeight: g.pool[0],
    poolWidth: g.pool[1],
    strideHeight: g.strides[0],
    strideWidth: g.strides[1],
    padTop: g.pad[0],
    padLeft: g.pad[1],
  };
}

/** A pooling op's output shape [N, outH, outW, C] without running it; unknown (null) sizes stay null. */
export function pool2dOutputShape(
  xShape: readonly (number | null)[],
  options: Pool2DOptions,
  opName = 'pool2d',
): (number | null)[] {
  const g = poolGeometry(opName, xShape, options);
  return [xShape[0] ?? null, g.out[0], g.out[1], xShape[3] ?? null];
}

function outShape(info: Pool2DInfo): number[] {
  return [info.batch, info.outHeight, info.outWidth, info.channels];
}

/**
 * y[n, oy, ox, c] = max of x over the window rows oy·s + [0, poolH) − padTop (and likewise columns), valid positions
 * only. The gradient goes to the first position (row-major) holding each window's max. x: [N, H, W, C].
 */
export function maxPool(x: Tensor, options: Pool2DOptions): Tensor {
  assertSameBackend('maxPool', x);
  const info = pool2dInfo(x.shape, options, 'maxPool');
  const out = wrap(engine.backend.maxPool(x.storage, info), outShape(info));
  return recordGradient('maxPool', out, [x], (dy) => [
    wrap(engine.backend.maxPoolBackprop(dy.storage, x.storage, info), x.shape),
  ]);
}

/** y[n, oy, ox, c] = mean of x over the window's valid positions (padding is not counted). x: [N, H, W, C]. */
export function avgPool(x: Tensor, options: Pool2DOptions): Tensor {
  assertSameBackend('avgPool', x);
  const info = pool2dInfo(x.shape, options, 'avgPool');
  const out = wrap(engine.backend.avgPool(x.storage, info), outShape(info));
  return recordGradient('avgPool', out, [x], (dy) => [wrap(engine.backend.avgPoolBackprop(dy.storage, info), x.shape)]);
}

function assertImages(opName: string, x: Tensor): void {
  if (x.rank !== 4)
    throw new ShapeError(
      opName,
      `input must be rank 4 [batch, height, width, channels], received ${formatShape(x.shape)}`,
    );
  if ((x.shape[1] ?? 0) === 0 || (x.shape[2] ?? 0) === 0) {
    throw new ShapeError(opName, `input height and width must be positive, received ${formatShape(x.shape)}`);
  }
}

/** Mean over height and width: [N, H, W, C] → [N, C]. */
export function globalAvgPool(x: Tensor): Tensor {
  assertImages('globalAvgPool', x);
  return mean(x, [1, 2]);
}

/** Max over height and width: [N, H, W, C] → [N, C]; tied maxima share the gradient (as `max` does). */
export function globalMaxPool(x: Tensor): Tensor {
  assertImages('globalMaxPool', x);
  return max(x, [1, 2]);
}
