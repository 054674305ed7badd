/** UpSampling2D: repeats (nearest) or interpolates (bilinear) rows and columns of NHWC images (Keras' layer). */
import { type Interpolation, upSampling2d, upSampling2dOutputShape } from '../ops/upsample.js';
import type { Tensor } from '../tensor.js';
import { type BaseLayerConfig, type CallContext, Layer, type LayerArgs, type SymbolicShape } from './layer.js';
import { channelsLast, sizePair } from './options.js';
import { type ArgsOf, type OptionContext, optional, type SavedOptions } from './spec.js';

function interpolation(value: Interpolation, { fail }: OptionContext): Interpolation {
  return value === 'nearest' || value === 'bilinear' ? value : fail("'nearest' or 'bilinear'", JSON.stringify(value));
}

const UPSAMPLING2D_OPTIONS = {
  /** Factors [height, width] (one number for both); default 2. */
  size: optional(2, sizePair),
  /** Only 'channelsLast' (the default). */
  dataFormat: channelsLast,
  /** 'nearest' (the default) or 'bilinear' (TensorFlow.js' resizeBilinear, without aligned corners). */
  interpolation: optional<Interpolation, Interpolation>('nearest', interpolation),
};

export type UpSampling2DArgs = LayerArgs & ArgsOf<typeof UPSAMPLING2D_OPTIONS>;
export type UpSampling2DConfig = BaseLayerConfig & SavedOptions<typeof UPSAMPLING2D_OPTIONS>;

export class UpSampling2D extends Layer<typeof UPSAMPLING2D_OPTIONS> {
  static override readonly className = 'UpSampling2D';

  constructor(args: UpSampling2DArgs = {}) {
    super(args, UPSAMPLING2D_OPTIONS);
  }

  protected override call(x: Tensor, _context: CallContext): Tensor {
    return upSampling2d(x, this.options.size, this.options.interpolation);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (inputShape.length !== 4) this.rejectInput('rank 4 [batch, height, width, channels]', inputShape);
    return upSampling2dOutputShape(inputShape, this.options.size);
  }
}
