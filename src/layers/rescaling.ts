/** Rescaling: y = x · scale + offset, e.g. pixels in [0, 255] to [0, 1] with scale 1/255 (Keras `Rescaling`). */
import { add, mul } from '../ops/arithmetic.js';
import type { Tensor } from '../tensor.js';
import { finiteNumber } from './options.js';
import { type BaseLayerConfig, type CallContext, Layer, type LayerArgs, type SymbolicShape } from './layer.js';
import { type ArgsOf, optional, required, type SavedOptions } from './spec.js';

const RESCALING_OPTIONS = {
  /** The factor. */
  scale: required(finiteNumber),
  /** Added after scaling; default 0. */
  offset: optional(0, finiteNumber),
};

export type RescalingArgs = LayerArgs & ArgsOf<typeof RESCALING_OPTIONS>;
export type RescalingConfig = BaseLayerConfig & SavedOptions<typeof RESCALING_OPTIONS>;

export class Rescaling extends Layer<typeof RESCALING_OPTIONS> {
  static override readonly className = 'Rescaling';

  constructor(args: RescalingArgs) {
    super(args, RESCALING_OPTIONS);
  }

  protected override call(x: Tensor, _context: CallContext): Tensor {
    const scaled = mul(x, this.options.scale);
    return this.options.offset === 0 ? scaled : add(scaled, this.options.offset);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }
}
