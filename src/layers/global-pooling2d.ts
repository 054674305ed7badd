/**
 * GlobalAveragePooling2D and GlobalMaxPooling2D (Keras): one value per channel, the mean or the max over height and
 * width. x: [N, H, W, C] → [N, C].
 */
import { globalAvgPool, globalMaxPool } from '../ops/pool.js';
import type { Tensor } from '../tensor.js';
import { CHANNELS_LAST_ONLY, type DataFormat, isChannelsLast } from './conv2d.js';
import { type BaseLayerConfig, type CallContext, formatSymbolicShape, Layer, type LayerArgs,
  type SymbolicShape } from './layer.js';

export interface GlobalPooling2DArgs extends LayerArgs {
  /** Only 'channelsLast' (the default). */
  readonly dataFormat?: DataFormat;
}

export interface GlobalPooling2DConfig extends BaseLayerConfig {
  readonly dataFormat: 'channelsLast';
}

/** What the two global pools share: options, validation, output shape and config; subclasses pick the op. */
export abstract class GlobalPooling2D extends Layer<GlobalPooling2DConfig> {
  constructor(args: GlobalPooling2DArgs, prefix: string) {
    super(args, prefix);
    if (!isChannelsLast(args.dataFormat)) this.fail('dataFormat', CHANNELS_LAST_ONLY, JSON.stringify(args.dataFormat));
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const [batch, height, width, channels] = inputShape;
    if (inputShape.length !== 4 || height === 0 || width === 0) {
      this.fail('input shape', 'rank 4 [batch, height, width, channels] with positive height and width',
        formatSymbolicShape(inputShape));
    }
    return [batch ?? null, channels ?? null];
  }

  getConfig(): GlobalPooling2DConfig {
    return { ...this.baseConfig(), dataFormat: 'channelsLast' };
  }
}

// `className` is a getter, not a field, so that the base constructor's errors can name the class (fields are set
// only after it has run).

/** y[n, c] = mean over (h, w) of x[n, h, w, c]. */
export class GlobalAveragePooling2D extends GlobalPooling2D {
  static readonly className = 'GlobalAveragePooling2D';
  get className(): typeof GlobalAveragePooling2D.className {
    return GlobalAveragePooling2D.className;
  }

  constructor(args: GlobalPooling2DArgs = {}) {
    super(args, 'GlobalAveragePooling2D');
  }

  static fromConfig(config: GlobalPooling2DConfig): GlobalAveragePooling2D {
    return new GlobalAveragePooling2D(config);
  }

  protected override call(x: Tensor, _context: CallContext): Tensor {
    return globalAvgPool(x);
  }
}

/** y[n, c] = max over (h, w) of x[n, h, w, c]; tied maxima share the gradient. */
export class GlobalMaxPooling2D extends GlobalPooling2D {
  static readonly className = 'GlobalMaxPooling2D';
  get className(): typeof GlobalMaxPooling2D.className {
    return GlobalMaxPooling2D.className;
  }

  constructor(args: GlobalPooling2DArgs = {}) {
    super(args, 'GlobalMaxPooling2D');
  }

  static fromConfig(config: GlobalPooling2DConfig): GlobalMaxPooling2D {
    return new GlobalMaxPooling2D(config);
  }

  protected override call(x: Tensor, _context: CallContext): Tensor {
    return globalMaxPool(x);
  }
}
