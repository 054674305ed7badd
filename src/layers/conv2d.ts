/**
 * Conv2D: y = activation(conv2d(x, kernel) + bias) over NHWC input (Keras `Conv2D`).
 * x: [N, H, W, C], kernel: [kh, kw, C, filters], bias: [filters] → y: [N, outH, outW, filters].
 */
import { conv2d, type Conv2DOptions, conv2dOutputShape } from '../ops/conv.js';
import type { Tensor } from '../tensor.js';
import { AFFINE_OPTIONS, AffineWeights, builtWeights } from './affine-weights.js';
import { type BaseLayerConfig, type CallContext, Layer, type LayerArgs, type SymbolicShape } from './layer.js';
import { channelsLast, checkStridedDilation, padding, positiveInteger, sizePair } from './options.js';
import { knownProduct } from './shape.js';
import { type ArgsOf, onlyDefault, optional, required, type SavedOptions } from './spec.js';

export type { DataFormat } from './options.js';

const CONV2D_OPTIONS = {
  /** Output channels. */
  filters: required(positiveInteger),
  /** Window [height, width] (one number for both). */
  kernelSize: required(sizePair),
  /** Default 1. */
  strides: optional(1, sizePair),
  /** Default 'valid'. */
  padding: optional('valid', padding),
  /** Only 'channelsLast' (the default). */
  dataFormat: channelsLast,
  /** Spacing between filter taps; default 1. Cannot exceed 1 together with strides > 1 (as in TensorFlow). */
  dilationRate: optional(1, sizePair),
  ...AFFINE_OPTIONS,
  /** Keras' grouped convolution; only 1. */
  groups: onlyDefault(1, 'cnnlab does not implement grouped convolution'),
};

export type Conv2DArgs = LayerArgs & ArgsOf<typeof CONV2D_OPTIONS>;
export type Conv2DConfig = BaseLayerConfig & SavedOptions<typeof CONV2D_OPTIONS>;

export class Conv2D extends Layer<typeof CONV2D_OPTIONS> {
  static override readonly className = 'Conv2D';
  private affine: AffineWeights | null = null;

  constructor(args: Conv2DArgs) {
    super(args, CONV2D_OPTIONS);
    checkStridedDilation(this.options.strides, this.options.dilationRate, (...error) => this.fail(...error));
  }

  protected override buildWeights(inputShape: SymbolicShape): void {
    const kernelShape = [...this.options.kernelSize, inputShape[3] ?? 0, this.options.filters];
    this.affine = AffineWeights.build(
      (...weight) => this.addWeight(...weight),
      this.options,
      kernelShape,
      this.options.filters,
    );
  }

  protected override call(x: Tensor, context: CallContext): Tensor {
    const affine = builtWeights(this.affine, this.where);
    return affine.finish(conv2d(x, affine.kernel, this.convOptions), context);
  }

  /** outH · outW · kh · kw · inC · filters. */
  override multiplyAdds([inputShape = []]: readonly SymbolicShape[], outputShape: SymbolicShape): number {
    return knownProduct([...outputShape.slice(1), ...this.options.kernelSize, inputShape[3]]);
  }

  /**
   * Throws, naming the layer, for input that is not rank 4 with known channels or smaller than the (dilated)
   * kernel.
   */
  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const channels = inputShape[3];
    if (inputShape.length !== 4 || channels === null || channels === undefined) {
      this.rejectInput('rank 4 [batch, height, width, channels] with known channels', inputShape);
    }
    const kernelShape = [...this.options.kernelSize, channels, this.options.filters];
    return this.restate(() => conv2dOutputShape(inputShape, kernelShape, this.convOptions));
  }

  private get convOptions(): Conv2DOptions {
    const { strides, padding: pad, dilationRate } = this.options;
    return { strides, padding: pad, dilationRate };
  }
}
