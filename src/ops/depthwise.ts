/**
 * Depthwise 2-D convolution (each input channel convolved with its own filters, as in MobileNet,
 * https://arxiv.org/abs/1704.04861) over NHWC input with a [kh, kw, C, multiplier] filter: TensorFlow.js'
 * `tf.depthwiseConv2d`, with conv2d's window geometry (strides, 'valid' / 'same' padding, dilation).
 */
import type { DepthwiseConv2DInfo } from '../backend/backend.js';
import { engine } from '../engine.js';
import { ShapeError } from '../errors.js';
import { formatShape, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import {
  conv2d,
  type Conv2DOptions,
  conv2dInfo,
  conv2dOutputShape,
  formatMaybeShape,
  type MaybeShape,
} from './conv.js';
import { assertSameBackend, recordGradient, wrap } from './op.js';

const OP = 'depthwiseConv2d';

/** [C, multiplier] of a depthwise filter [kh, kw, C, multiplier], checked against the input's channels. */
function channelsOf(xShape: MaybeShape, filterShape: Shape): [number, number] {
  if (filterShape.length !== 4) {
    throw new ShapeError(
      OP,
      `filter must be rank 4 [height, width, channels, channelMultiplier], received ${formatShape(filterShape)}`,
    );
  }
  const [, , channels = 0, multiplier = 0] = filterShape;
  const inChannels = xShape[3] ?? null;
  if (xShape.length === 4 && inChannels !== null && inChannels !== channels) {
    throw new ShapeError(
      OP,
      `the filter's channels (${channels}, filter ${formatShape(filterShape)}) must equal the ` +
        `input's channels (${inChannels}, input ${formatMaybeShape(xShape)})`,
    );
  }
  if (multiplier < 1)
    throw new ShapeError(
      OP,
      `the filter's channel multiplier must be positive, received filter ${formatShape(filterShape)}`,
    );
  return [channels, multiplier];
}

/** The validated geometry of depthwiseConv2d(x, filter, options); x: [N, H, W, C], filter: [kh, kw, C, M]. */
export function depthwiseConv2dInfo(
  xShape: Shape,
  filterShape: Shape,
  options: Conv2DOptions = {},
): DepthwiseConv2DInfo {
  const [channels, multiplier] = channelsOf(xShape, filterShape);
  const info = conv2dInfo(xShape, filterShape, options, OP);
  return { ...info, outChannels: channels * multiplier, channelMultiplier: multiplier };
}

/** depthwiseConv2d's output shape [N, outH, outW, C·M] without running it; unknown (null) sizes stay null. */
export function depthwiseConv2dOutputShape(
  xShape: MaybeShape,
  filterShape: Shape,
  options: Conv2DOptions = {},
): (number | null)[] {
  const [channels, multiplier] = channelsOf(xShape, filterShape);
  const [batch = null, height = null, width = null] = conv2dOutputShape(xShape, filterShape, options, OP);
  return [batch, height, width, channels * multiplier];
}

/**
 * With iy = oy·s + ky·d − padTop (and likewise ix), output channel c·M + m reads input channel c only:
 *   y[n, oy, ox, c·M + m] = Σ_{ky, kx} x[n, iy, ix, c] · filter[ky, kx, c, m]
 * x: [N, H, W, C], filter: [kh, kw, C, M] → [N, outH, outW, C·M].
 */
export function depthwiseConv2d(x: Tensor, filter: Tensor, options: Conv2DOptions = {}): Tensor {
  assertSameBackend(OP, x, filter);
  const info = depthwiseConv2dInfo(x.shape, filter.shape, options);
  const storage = engine.backend.depthwiseConv2d(x.storage, filter.storage, info);
  const out = wrap(storage, [info.batch, info.outHeight, info.outWidth, info.outChannels]);
  return recordGradient(OP, out, [x, filter], (dy) => [
    x.requiresGrad
      ? wrap(engine.backend.depthwiseConv2dBackpropInput(dy.storage, filter.storage, info), x.shape)
      : null,
    filter.requiresGrad
      ? wrap(engine.backend.depthwiseConv2dBackpropFilter(x.storage, dy.storage, info), filter.shape)
      : null,
  ]);
}

/**
 * Depthwise-separable convolution (Xception, https://arxiv.org/abs/1610.02357; Keras' SeparableConv2D): a depthwise
 * convolution with the window options, then a 1×1 convolution mixing its C·M channels.
 * x: [N, H, W, C], depthwiseFilter: [kh, kw, C, M], pointwiseFilter: [1, 1, C·M, outC] → [N, outH, outW, outC].
 */
export function separableConv2d(
  x: Tensor,
  depthwiseFilter: Tensor,
  pointwiseFilter: Tensor,
  options: Conv2DOptions = {},
): Tensor {
  const [ph, pw, pointwiseIn = 0] = pointwiseFilter.shape;
  const [, , channels = 0, multiplier = 0] = depthwiseFilter.shape;
  if (pointwiseFilter.rank !== 4 || ph !== 1 || pw !== 1 || pointwiseIn !== channels * multiplier) {
    throw new ShapeError(
      'separableConv2d',
      `pointwiseFilter must be [1, 1, ${channels * multiplier}, outChannels] (the depthwise ` +
        `filter ${formatShape(depthwiseFilter.shape)} gives ${channels * multiplier} channels), received ${formatShape(pointwiseFilter.shape)}`,
    );
  }
  return conv2d(depthwiseConv2d(x, depthwiseFilter, options), pointwiseFilter);
}
