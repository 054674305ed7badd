/**
 * DepthwiseConv2D and SeparableConv2D (Keras' layers of the same names) over NHWC input:
 *   depthwise: y = activation(depthwiseConv2d(x, depthwise_kernel) + bias)
 *   separable: y = activation(conv2d(depthwiseConv2d(x, depthwise_kernel), pointwise_kernel) + bias)
 * x: [N, H, W, C], depthwise_kernel: [kh, kw, C, depthMultiplier],
 * pointwise_kernel: [1, 1, C·depthMultiplier, filters].
 */
import type { Conv2DOptions } from '../ops/conv.js';
import { depthwiseConv2d, depthwiseConv2dOutputShape, separableConv2d } from '../ops/depthwise.js';
import type { Tensor, Variable } from '../tensor.js';
import { BIAS_OPTIONS, BiasActivation, builtWeights } from './affine-weights.js';
import { type BaseLayerConfig, type CallContext, Layer, type LayerArgs, type SymbolicShape } from './layer.js';
import {
  channelsLast,
  checkStridedDilation,
  constraint,
  initializer,
  padding,
  positiveInteger,
  regularizer,
  sizePair,
} from './options.js';
import { knownProduct } from './shape.js';
import { type ArgsOf, optional, required, type SavedOptions } from './spec.js';

/** The window options both layers share, in Keras' order. */
const WINDOW_OPTIONS = {
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
  /** Filters per input channel; the depthwise step gives C·depthMultiplier channels. Default 1. */
  depthMultiplier: optional(1, positiveInteger),
};

const DEPTHWISE_OPTIONS = {
  ...WINDOW_OPTIONS,
  ...BIAS_OPTIONS,
  /** Default glorotUniform, as in Keras. */
  depthwiseInitializer: initializer('glorotUniform'),
  depthwiseRegularizer: regularizer,
  depthwiseConstraint: constraint,
};

const SEPARABLE_OPTIONS = {
  /** Output channels. */
  filters: required(positiveInteger),
  ...DEPTHWISE_OPTIONS,
  /** Default glorotUniform, as in Keras. */
  pointwiseInitializer: initializer('glorotUniform'),
  pointwiseRegularizer: regularizer,
  pointwiseConstraint: constraint,
};

export type DepthwiseConv2DArgs = LayerArgs & ArgsOf<typeof DEPTHWISE_OPTIONS>;
export type DepthwiseConv2DConfig = BaseLayerConfig & SavedOptions<typeof DEPTHWISE_OPTIONS>;
export type SeparableConv2DArgs = LayerArgs & ArgsOf<typeof SEPARABLE_OPTIONS>;
export type SeparableConv2DConfig = BaseLayerConfig & SavedOptions<typeof SEPARABLE_OPTIONS>;

type WindowSpec = typeof DEPTHWISE_OPTIONS | typeof SEPARABLE_OPTIONS;

/** What both layers share: the window geometry, the depthwise kernel, the bias and the activation. */
abstract class DepthwiseBase<S extends WindowSpec> extends Layer<S> {
  protected depthwiseKernel: Variable | null = null;
  protected output: BiasActivation | null = null;

  constructor(args: LayerArgs & ArgsOf<S>, spec: S) {
    super(args, spec);
    checkStridedDilation(this.options.strides, this.options.dilationRate, (...error) => this.fail(...error));
  }

  /** The depthwise kernel's shape for an input's channel count. */
  protected depthwiseShape(channels: number): number[] {
    return [...this.options.kernelSize, channels, this.options.depthMultiplier];
  }

  /** Channels of the layer's output for `channels` input channels. */
  protected abstract outChannels(channels: number): number;

  protected override buildWeights(inputShape: SymbolicShape): void {
    const o = this.options;
    const channels = inputShape[3] ?? 0; // known: computeOutputShape checked it
    this.depthwiseKernel = this.addWeight(
      'depthwise_kernel',
      this.depthwiseShape(channels),
      o.depthwiseInitializer,
      o.depthwiseRegularizer,
      o.depthwiseConstraint,
    );
    this.buildMoreWeights(channels);
    this.output = BiasActivation.build((...weight) => this.addWeight(...weight), o, this.outChannels(channels));
  }

  /** Weights created between the depthwise kernel and the bias (Keras' order). */
  protected buildMoreWeights(_channels: number): void {
    // DepthwiseConv2D has none.
  }

  /** Throws, naming the layer, for input not rank 4 with known channels, or smaller than the (dilated) kernel. */
  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const channels = inputShape[3];
    if (inputShape.length !== 4 || channels === null || channels === undefined) {
      this.rejectInput('rank 4 [batch, height, width, channels] with known channels', inputShape);
    }
    const [batch = null, height = null, width = null] = this.restate(() =>
      depthwiseConv2dOutputShape(inputShape, this.depthwiseShape(channels), this.convOptions),
    );
    return [batch, height, width, this.outChannels(channels)];
  }

  /** Depthwise: outH · outW · kh · kw · inC · depthMultiplier (SeparableConv2D adds its pointwise step). */
  override multiplyAdds([inputShape = []]: readonly SymbolicShape[], outputShape: SymbolicShape): number {
    const [, height, width] = outputShape;
    const { kernelSize, depthMultiplier } = this.options;
    const depthwise = knownProduct([height, width, ...kernelSize, inputShape[3], depthMultiplier]);
    return depthwise + this.pointwiseMultiplyAdds(knownProduct([height, width, inputShape[3]]));
  }

  /** The pointwise step's multiply-adds for `pixelChannels` = outH · outW · inC; DepthwiseConv2D has none. */
  protected pointwiseMultiplyAdds(_pixelChannels: number): number {
    return 0;
  }

  protected get convOptions(): Conv2DOptions {
    const { strides, padding: pad, dilationRate } = this.options;
    return { strides, padding: pad, dilationRate };
  }
}

/** Keras' DepthwiseConv2D: each input channel convolved with its own `depthMultiplier` filters. */
export class DepthwiseConv2D extends DepthwiseBase<typeof DEPTHWISE_OPTIONS> {
  static override readonly className = 'DepthwiseConv2D';

  constructor(args: DepthwiseConv2DArgs) {
    super(args, DEPTHWISE_OPTIONS);
  }

  protected outChannels(channels: number): number {
    return channels * this.options.depthMultiplier;
  }

  protected override call(x: Tensor, context: CallContext): Tensor {
    const kernel = builtWeights(this.depthwiseKernel, this.where);
    return builtWeights(this.output, this.where).finish(depthwiseConv2d(x, kernel, this.convOptions), context);
  }
}

/** Keras' SeparableConv2D: a depthwise convolution, then a 1×1 convolution to `filters` channels. */
export class SeparableConv2D extends DepthwiseBase<typeof SEPARABLE_OPTIONS> {
  static override readonly className = 'SeparableConv2D';
  private pointwiseKernel: Variable | null = null;

  constructor(args: SeparableConv2DArgs) {
    super(args, SEPARABLE_OPTIONS);
  }

  protected outChannels(_channels: number): number {
    return this.options.filters;
  }

  protected override buildMoreWeights(channels: number): void {
    const o = this.options;
    this.pointwiseKernel = this.addWeight(
      'pointwise_kernel',
      [1, 1, channels * o.depthMultiplier, o.filters],
      o.pointwiseInitializer,
      o.pointwiseRegularizer,
      o.pointwiseConstraint,
    );
  }

  /** outH · outW · (inC · depthMultiplier) · filters. */
  protected override pointwiseMultiplyAdds(pixelChannels: number): number {
    return pixelChannels * this.options.depthMultiplier * this.options.filters;
  }

  protected override call(x: Tensor, context: CallContext): Tensor {
    const depthwise = builtWeights(this.depthwiseKernel, this.where);
    const pointwise = builtWeights(this.pointwiseKernel, this.where);
    const y = separableConv2d(x, depthwise, pointwise, this.convOptions);
    return builtWeights(this.output, this.where).finish(y, context);
  }
}
