/** Keras' UpSampling2D as an op: repeat (nearest) or interpolate (bilinear) NHWC images by integer factors. */
import type { UpSample2DInfo } from '../backend/backend.js';
import { engine } from '../engine.js';
import { ConfigError, ShapeError } from '../errors.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { formatMaybeShape, type MaybeShape, resolveSize2D, type Size2D } from './conv.js';
import { assertSameBackend, recordGradient, wrap } from './op.js';

const OP = 'upSampling2d';

export type Interpolation = UpSample2DInfo['interpolation'];

function resolveInterpolation(value: Interpolation | undefined): Interpolation {
  const interpolation: unknown = value ?? 'nearest';
  if (interpolation !== 'nearest' && interpolation !== 'bilinear') {
    throw new ConfigError(
      OP,
      `\`interpolation\` must be 'nearest' or 'bilinear', received ${JSON.stringify(interpolation)}`,
    );
  }
  return interpolation;
}

/** upSampling2d's output shape [N, H·sh, W·sw, C]; unknown (null) sizes stay null. */
export function upSampling2dOutputShape(xShape: MaybeShape, size: Size2D = 2): (number | null)[] {
  if (xShape.length !== 4) {
    throw new ShapeError(
      OP,
      `input must be rank 4 [batch, height, width, channels], received ${formatMaybeShape(xShape)}`,
    );
  }
  const [sh, sw] = resolveSize2D(OP, 'size', size, 2);
  const scale = (d: number | null, factor: number): number | null => (d === null ? null : d * factor);
  return [xShape[0] ?? null, scale(xShape[1] ?? null, sh), scale(xShape[2] ?? null, sw), xShape[3] ?? null];
}

/**
 * Upsamples x: [N, H, W, C] to [N, H·sh, W·sw, C].
 *   nearest:  y[n, oy, ox, c] = x[n, ⌊oy / sh⌋, ⌊ox / sw⌋, c]
 *   bilinear: TensorFlow.js' UpSampling2D, i.e. resizeBilinear without alignCorners or halfPixelCenters: output row
 *             oy samples source row oy / sh between its neighbours (the last rows clamp to the edge).
 * The gradient sends each dy back to its source positions with the same weights.
 */
export function upSampling2d(x: Tensor, size: Size2D = 2, interpolation?: Interpolation): Tensor {
  assertSameBackend(OP, x);
  if (x.rank !== 4)
    throw new ShapeError(OP, `input must be rank 4 [batch, height, width, channels], received ${formatShape(x.shape)}`);
  const [sizeHeight, sizeWidth] = resolveSize2D(OP, 'size', size, 2);
  const [batch = 0, inHeight = 0, inWidth = 0, channels = 0] = x.shape;
  const info: UpSample2DInfo = {
    batch,
    inHeight,
    inWidth,
    channels,
    sizeHeight,
    sizeWidth,
    interpolation: resolveInterpolation(interpolation),
  };
  const out = wrap(engine.backend.upSample2d(x.storage, info), [
    batch,
    inHeight * sizeHeight,
    inWidth * sizeWidth,
    channels,
  ]);
  return recordGradient(OP, out, [x], (dy) => [wrap(engine.backend.upSample2dBackprop(dy.storage, info), x.shape)]);
}
