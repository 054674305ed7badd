/**
 * GlobalAveragePooling2D and GlobalMaxPooling2D (Keras): one value per channel, the mean or the max over height and
 * width. x: [N, H, W, C] → [N, C].
 */
import { globalAvgPool, globalMaxPool } from '../ops/pool.js';
import type { Tensor } from '../tensor.js';
import { type BaseLayerConfig, type CallContext, Layer, type LayerArgs, type SymbolicShape } from './layer.js';
import { channelsLast } from './options.js';
import { type ArgsOf, onlyDefault, type SavedOptions } from './spec.js';

const GLOBAL_POOLING2D_OPTIONS = {
  /** Only 'channelsLast' (the default). */
  dataFormat: channelsLast,
  /** Keras' option to keep the pooled axes as size 1; only false. */
  keepdims: onlyDefault(false, 'cnnlab drops the pooled axes'),
};

export type GlobalPooling2DArgs = LayerArgs & ArgsOf<typeof GLOBAL_POOLING2D_OPTIONS>;
export type GlobalPooling2DConfig = BaseLayerConfig & SavedOptions<typeof GLOBAL_POOLING2D_OPTIONS>;

/** What the two global pools share: options, validation, output shape and config; subclasses pick the op. */
export abstract class GlobalPooling2D extends Layer<typeof GLOBAL_POOLING2D_OPTIONS> {
  constructor(args: GlobalPooling2DArgs = {}) {
    super(args, GLOBAL_POOLING2D_OPTIONS);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const [batch, height, width, channels] = inputShape;
    if (inputShape.length !== 4 || height === 0 || width === 0) {
      this.rejectInput('rank 4 [batch, height, width, channels] with positive height and width', inputShape);
    }
    return [batch ?? null, channels ?? null];
  }
}

/** y[n, c] = mean over (h, w) of x[n, h, w, c]. */
export class GlobalAveragePooling2D extends GlobalPooling2D {
  static override readonly className = 'GlobalAveragePooling2D';

  protected override call(x: Tensor, _context: CallContext): Tensor {
    return globalAvgPool(x);
  }
}

/** y[n, c] = max over (h, w) of x[n, h, w, c]; tied maxima share the gradient. */
export class GlobalMaxPooling2D extends GlobalPooling2D {
  static override readonly className = 'GlobalMaxPooling2D';

  protected override call(x: Tensor, _context: CallContext): Tensor {
    return globalMaxPool(x);
  }
}
