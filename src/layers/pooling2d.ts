/**
 * MaxPooling2D and AveragePooling2D (Keras): a window slides over each channel of an NHWC batch and keeps the max or
 * the mean. x: [N, H, W, C] → [N, outH, outW, C], with out = ceil((in − pool + 1) / stride) ('valid') or
 * ceil(in / stride) ('same'; padded positions never win a max and are not counted in an average).
 */
import type { Padding, Size2D } from '../ops/conv.js';
import { avgPool, maxPool, type Pool2DOptions, pool2dOutputShape } from '../ops/pool.js';
import type { Tensor } from '../tensor.js';
import { CHANNELS_LAST_ONLY, type DataFormat, isChannelsLast, sizePair, withLayerName } from './conv2d.js';
import { type BaseLayerConfig, type CallContext, formatSymbolicShape, Layer, type LayerArgs,
  type SymbolicShape } from './layer.js';

export interface Pooling2DArgs extends LayerArgs {
  /** Window [height, width] (one number for both); default [2, 2]. */
  readonly poolSize?: Size2D;
  /** Step of the window; default (or null, as tfjs allows) the pool size, so windows do not overlap. */
  readonly strides?: Size2D | null;
  /** Default 'valid'. */
  readonly padding?: Padding;
  /** Only 'channelsLast' (the default). */
  readonly dataFormat?: DataFormat;
}

export interface Pooling2DConfig extends BaseLayerConfig {
  readonly poolSize: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly padding: Padding;
  readonly dataFormat: 'channelsLast';
}

/** What the two pooling layers share: options, validation, output shape and config; subclasses pick the op. */
export abstract class Pooling2D extends Layer<Pooling2DConfig> {
  readonly poolSize: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly padding: Padding;

  constructor(args: Pooling2DArgs, prefix: string) {
    super(args, prefix);
    const expected = 'a positive integer or [height, width] of positive integers';
    const poolSize = args.poolSize ?? [2, 2];
    this.poolSize = sizePair(poolSize) ?? this.fail('poolSize', expected, poolSize);
    const strides = args.strides ?? this.poolSize;
    this.strides = sizePair(strides) ?? this.fail('strides', expected, strides);
    const padding: unknown = args.padding ?? 'valid';
    if (padding !== 'valid' && padding !== 'same') this.fail('padding', "'valid' or 'same'", JSON.stringify(padding));
    this.padding = padding;
    if (!isChannelsLast(args.dataFormat)) this.fail('dataFormat', CHANNELS_LAST_ONLY, JSON.stringify(args.dataFormat));
  }

  protected get options(): Pool2DOptions {
    return { poolSize: this.poolSize, strides: this.strides, padding: this.padding };
  }

  /** Throws, naming the layer, for input that is not rank 4 or smaller than the window. */
  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (inputShape.length !== 4) this.fail('input shape', 'rank 4 [batch, height, width, channels]', formatSymbolicShape(inputShape));
    return withLayerName(`${this.className} '${this.name}'`, 'pool2d', () => pool2dOutputShape(inputShape, this.options));
  }

  getConfig(): Pooling2DConfig {
    return { ...this.baseConfig(), poolSize: this.poolSize, strides: this.strides, padding: this.padding, dataFormat: 'channelsLast' };
  }
}

// The subclasses define `className` as a getter, not a field: fields are set only after the base constructor has
// run, and the base constructor's errors need the class name.

/** y[n, oy, ox, c] = max of x over the window; the gradient goes to the (first) maximum. */
export class MaxPooling2D extends Pooling2D {
  static readonly className = 'MaxPooling2D';
  get className(): typeof MaxPooling2D.className {
    return MaxPooling2D.className;
  }

  constructor(args: Pooling2DArgs = {}) {
    super(args, 'MaxPooling2D');
  }

  static fromConfig(config: Pooling2DConfig): MaxPooling2D {
    return new MaxPooling2D(config);
  }

  protected override call(x: Tensor, _context: CallContext): Tensor {
    return maxPool(x, this.options);
  }
}

/** y[n, oy, ox, c] = mean of x over the window's positions inside the input. */
export class AveragePooling2D extends Pooling2D {
  static readonly className = 'AveragePooling2D';
  get className(): typeof AveragePooling2D.className {
    return AveragePooling2D.className;
  }

  constructor(args: Pooling2DArgs = {}) {
    super(args, 'AveragePooling2D');
  }

  static fromConfig(config: Pooling2DConfig): AveragePooling2D {
    return new AveragePooling2D(config);
  }

  protected override call(x: Tensor, _context: CallContext): Tensor {
    return avgPool(x, this.options);
  }
}
