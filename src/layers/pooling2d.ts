/**
 * MaxPooling2D and AveragePooling2D (Keras): a window slides over each channel of an NHWC batch and keeps the max or
 * the mean. x: [N, H, W, C] → [N, outH, outW, C], with out = ceil((in − pool + 1) / stride) ('valid') or
 * ceil(in / stride) ('same'; padded positions never win a max and are not counted in an average).
 */
import type { Size2D } from '../ops/conv.js';
import { avgPool, maxPool, type Pool2DOptions, pool2dOutputShape } from '../ops/pool.js';
import type { Tensor } from '../tensor.js';
import { type BaseLayerConfig, type CallContext, Layer, type LayerArgs, type SymbolicShape } from './layer.js';
import { channelsLast, padding, sizePair } from './options.js';
import { type ArgsOf, optional, type SavedOptions } from './spec.js';

const POOLING2D_OPTIONS = {
  /** Window [height, width] (one number for both); default [2, 2]. */
  poolSize: optional<Size2D, readonly [number, number]>([2, 2], sizePair),
  /** Step of the window; default (or null, as tfjs allows) the pool size, so windows do not overlap. */
  strides: optional<Size2D | null, readonly [number, number]>(null, (strides, context) =>
    sizePair(strides ?? poolSizeOf(context.earlier), context),
  ),
  /** Default 'valid'. */
  padding: optional('valid', padding),
  /** Only 'channelsLast' (the default). */
  dataFormat: channelsLast,
};

/** The resolved poolSize (resolved before strides, which defaults to it). */
function poolSizeOf(earlier: Readonly<Record<string, unknown>>): Size2D {
  const pair = earlier.poolSize;
  return Array.isArray(pair) && typeof pair[0] === 'number' && typeof pair[1] === 'number' ? [pair[0], pair[1]] : 1;
}

export type Pooling2DArgs = LayerArgs & ArgsOf<typeof POOLING2D_OPTIONS>;
export type Pooling2DConfig = BaseLayerConfig & SavedOptions<typeof POOLING2D_OPTIONS>;

/** What the two pooling layers share: options, validation, output shape and config; subclasses pick the op. */
export abstract class Pooling2D extends Layer<typeof POOLING2D_OPTIONS> {
  constructor(args: Pooling2DArgs = {}) {
    super(args, POOLING2D_OPTIONS);
  }

  protected get poolOptions(): Pool2DOptions {
    return this.options;
  }

  /** Throws, naming the layer, for input that is not rank 4 or smaller than the window. */
  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (inputShape.length !== 4) this.rejectInput('rank 4 [batch, height, width, channels]', inputShape);
    return this.restate(() => pool2dOutputShape(inputShape, this.poolOptions));
  }
}

/** y[n, oy, ox, c] = max of x over the window; the gradient goes to the (first) maximum. */
export class MaxPooling2D extends Pooling2D {
  static override readonly className = 'MaxPooling2D';

  protected override call(x: Tensor, _context: CallContext): Tensor {
    return maxPool(x, this.poolOptions);
  }
}

/** y[n, oy, ox, c] = mean of x over the window's positions inside the input. */
export class AveragePooling2D extends Pooling2D {
  static override readonly className = 'AveragePooling2D';

  protected override call(x: Tensor, _context: CallContext): Tensor {
    return avgPool(x, this.poolOptions);
  }
}
