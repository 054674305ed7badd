/** Keras' Cropping2D as an op: drop rows and columns from the edges of NHWC images (a slice, so its gradient pads). */
import { ConfigError, ShapeError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { formatMaybeShape, type MaybeShape } from './conv.js';
import { slice } from './transform.js';

/** Rows [top, bottom] and columns [left, right] to drop. */
export type Cropping2D = readonly [readonly [number, number], readonly [number, number]];

function checkCropping(cropping: Cropping2D): void {
  const flat = cropping.flat();
  if (cropping.length !== 2 || flat.length !== 4 || flat.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ConfigError(
      'cropping2d',
      `\`cropping\` must be [[top, bottom], [left, right]] of non-negative integers, ` +
        `received ${JSON.stringify(cropping)}`,
    );
  }
}

/** cropping2d's output shape [N, H − top − bottom, W − left − right, C]; unknown (null) sizes stay null. */
export function cropping2dOutputShape(xShape: MaybeShape, cropping: Cropping2D): (number | null)[] {
  checkCropping(cropping);
  if (xShape.length !== 4) {
    throw new ShapeError(
      'cropping2d',
      `input must be rank 4 [batch, height, width, channels], received ${formatMaybeShape(xShape)}`,
    );
  }
  const [[top, bottom], [left, right]] = cropping;
  const keep = (d: number | null, before: number, after: number): number | null =>
    d === null ? null : d - before - after;
  const out = [
    xShape[0] ?? null,
    keep(xShape[1] ?? null, top, bottom),
    keep(xShape[2] ?? null, left, right),
    xShape[3] ?? null,
  ];
  if (out.some((d) => d !== null && d <= 0)) {
    throw new ShapeError(
      'cropping2d',
      `cropping ${JSON.stringify(cropping)} leaves nothing of the input ${formatMaybeShape(xShape)}`,
    );
  }
  return out;
}

/** y = x[:, top : H − bottom, left : W − right, :]. x: [N, H, W, C]. */
export function cropping2d(x: Tensor, cropping: Cropping2D): Tensor {
  const [batch = 0, height = 0, width = 0, channels = 0] = cropping2dOutputShape(x.shape, cropping).map((d) => d ?? 0);
  const [[top], [left]] = cropping;
  return slice(x, [0, top, left, 0], [batch, height, width, channels]);
}
