/** Cropping2D: drops rows and columns from the edges of each image of an NHWC batch (Keras `Cropping2D`). */
import { cropping2d, cropping2dOutputShape } from '../ops/crop.js';
import type { Tensor } from '../tensor.js';
import { type BaseLayerConfig, type CallContext, Layer, type LayerArgs, type SymbolicShape } from './layer.js';
import { channelsLast } from './options.js';
import { type ArgsOf, optional, type SavedOptions } from './spec.js';
import { sides } from './zero-padding2d.js';

const CROPPING2D_OPTIONS = {
  /**
   * n (every side), [rows, cols] (symmetric) or [[top, bottom], [left, right]]; default 0 (as Keras). The config
   * holds [[top, bottom], [left, right]].
   */
  cropping: optional(0, sides),
  /** Only 'channelsLast' (the default). */
  dataFormat: channelsLast,
};

export type Cropping2DArgs = LayerArgs & ArgsOf<typeof CROPPING2D_OPTIONS>;
export type Cropping2DConfig = BaseLayerConfig & SavedOptions<typeof CROPPING2D_OPTIONS>;

export class Cropping2D extends Layer<typeof CROPPING2D_OPTIONS> {
  static override readonly className = 'Cropping2D';

  constructor(args: Cropping2DArgs = {}) {
    super(args, CROPPING2D_OPTIONS);
  }

  protected override call(x: Tensor, _context: CallContext): Tensor {
    return cropping2d(x, this.options.cropping);
  }

  /** Throws, naming the layer, for input that is not rank 4 or that the cropping leaves empty. */
  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (inputShape.length !== 4) this.rejectInput('rank 4 [batch, height, width, channels]', inputShape);
    return this.restate(() => cropping2dOutputShape(inputShape, this.options.cropping));
  }
}
