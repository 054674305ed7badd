/**
 * Conv2DTranspose (Keras' layer of the name, sometimes called deconvolution): y = activation(conv2dTranspose(x,
 * kernel) + bias) over NHWC input, upsampling by the strides. x: [N, H, W, C], kernel: [kh, kw, filters, C] (Keras'
 * layout: output channels before input channels), bias: [filters] → y: [N, outH, outW, filters].
 */
import type { Size2D } from '../ops/conv.js';
import { conv2dTranspose, type Conv2DTransposeOptions, conv2dTransposeOutputShape } from '../ops/conv-transpose.js';
import type { Tensor } from '../tensor.js';
import { AFFINE_OPTIONS, AffineWeights, builtWeights } from './affine-weights.js';
import { type BaseLayerConfig, type CallContext, Layer, type LayerArgs, type SymbolicShape } from './layer.js';
import { channelsLast, checkStridedDilation, padding, positiveInteger, sizePair } from './options.js';
import { knownProduct } from './shape.js';
import { type ArgsOf, type OptionContext, optional, required, type SavedOptions } from './spec.js';

/** `outputPadding`: null (none) or, for each axis, a non-negative integer less than that axis' stride. */
function outputPadding(value: Size2D | null, { fail, earlier }: OptionContext): readonly [number, number] | null {
  if (value === null) return null;
  // The resolved strides (an earlier option of the spec): a pair of positive integers.
  const strides: readonly unknown[] = Array.isArray(earlier.strides) ? earlier.strides : [];
  const [sh, sw] = strides.map((s) => (typeof s === 'number' ? s : 1));
  const pair: readonly unknown[] = typeof value === 'number' ? [value, value] : Array.isArray(value) ? value : [];
  const [h, w] = pair;
  const ok = (p: unknown, stride = 1): p is number =>
    typeof p === 'number' && Number.isInteger(p) && p >= 0 && p < stride;
  return pair.length === 2 && ok(h, sh) && ok(w, sw)
    ? [h, w]
    : fail(`null or non-negative integers less than the strides [${strides.join(', ')}]`, value);
}

const CONV2D_TRANSPOSE_OPTIONS = {
  /** Output channels. */
  filters: required(positiveInteger),
  /** Window [height, width] (one number for both). */
  kernelSize: required(sizePair),
  /** The upsampling factors; default 1. */
  strides: optional(1, sizePair),
  /** Default 'valid'. */
  padding: optional('valid', padding),
  /**
   * Extra rows and columns at the bottom and right of the output, each less than its stride; default null (Keras'
   * output length: valid → in·stride + max(kernel − stride, 0), same → in·stride).
   */
  outputPadding: optional<Size2D | null, readonly [number, number] | null>(null, outputPadding),
  /** Only 'channelsLast' (the default). */
  dataFormat: channelsLast,
  /** Spacing between filter taps; default 1. Cannot exceed 1 together with strides > 1 (as in TensorFlow). */
  dilationRate: optional(1, sizePair),
  ...AFFINE_OPTIONS,
};

export type Conv2DTransposeArgs = LayerArgs & ArgsOf<typeof CONV2D_TRANSPOSE_OPTIONS>;
export type Conv2DTransposeConfig = BaseLayerConfig & SavedOptions<typeof CONV2D_TRANSPOSE_OPTIONS>;

export class Conv2DTranspose extends Layer<typeof CONV2D_TRANSPOSE_OPTIONS> {
  static override readonly className = 'Conv2DTranspose';
  private affine: AffineWeights | null = null;

  constructor(args: Conv2DTransposeArgs) {
    super(args, CONV2D_TRANSPOSE_OPTIONS);
    checkStridedDilation(this.options.strides, this.options.dilationRate, (...error) => this.fail(...error));
  }

  private kernelShape(channels: number): number[] {
    return [...this.options.kernelSize, this.options.filters, channels];
  }

  protected override buildWeights(inputShape: SymbolicShape): void {
    this.affine = AffineWeights.build(
      (...weight) => this.addWeight(...weight),
      this.options,
      this.kernelShape(inputShape[3] ?? 0),
      this.options.filters,
    );
  }

  protected override call(x: Tensor, context: CallContext): Tensor {
    const affine = builtWeights(this.affine, this.where);
    return affine.finish(
      this.restate(() => conv2dTranspose(x, affine.kernel, this.convOptions)),
      context,
    );
  }

  /** inH · inW · kh · kw · inC · filters: each input pixel scatters a kernel-sized patch. */
  override multiplyAdds([inputShape = []]: readonly SymbolicShape[], _outputShape: SymbolicShape): number {
    return knownProduct([...inputShape.slice(1), ...this.options.kernelSize, this.options.filters]);
  }

  /** Throws, naming the layer, for input that is not rank 4 with known channels or would give an empty output. */
  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const channels = inputShape[3];
    if (inputShape.length !== 4 || channels === null || channels === undefined) {
      this.rejectInput('rank 4 [batch, height, width, channels] with known channels', inputShape);
    }
    const shape = this.restate(() =>
      conv2dTransposeOutputShape(inputShape, this.kernelShape(channels), this.convOptions),
    );
    if (shape.some((d) => d !== null && d < 1)) {
      this.rejectInput(`a size this kernel and padding map to a non-empty output`, inputShape);
    }
    return shape;
  }

  private get convOptions(): Conv2DTransposeOptions {
    const { strides, padding: pad, dilationRate, outputPadding: extra } = this.options;
    return { strides, padding: pad, dilationRate, outputPadding: extra };
  }
}
