/**
 * Conv2D: y = activation(conv2d(x, kernel) + bias) over NHWC input (Keras `Conv2D`).
 * x: [N, H, W, C], kernel: [kh, kw, C, filters], bias: [filters] → y: [N, outH, outW, filters].
 */
import { type ActivationIdentifier, getActivation } from '../activations.js';
import type { ConstraintIdentifier } from '../constraints.js';
import { type InitializerIdentifier, serializeInitializer } from '../initializers.js';
import { conv2d, type Conv2DOptions, conv2dOutputShape, type Padding, type Size2D } from '../ops/conv.js';
import { biasAdd } from '../ops/linear.js';
import type { RegularizerIdentifier } from '../regularizers.js';
import type { Tensor, Variable } from '../tensor.js';
import { resolveActivation } from './activation.js';
import { type BaseLayerConfig, type CallContext, formatSymbolicShape, Layer, type LayerArgs,
  type SymbolicShape } from './layer.js';
import { constrainWeights, resolveConstraint, resolveInitializer, resolveRegularizer, type SerializedConstraint,
  type SerializedInitializer, type SerializedRegularizer, serializeOptionalConstraint,
  serializeOptionalRegularizer, weightPenalty } from './weight-options.js';

/** tfjs's image layouts. cnnlab keeps activations NHWC, so only 'channelsLast' is accepted. */
export type DataFormat = 'channelsLast' | 'channelsFirst';

/** What a layer's `dataFormat` option must be, for its error message. */
export const CHANNELS_LAST_ONLY = "'channelsLast' (cnnlab keeps activations NHWC)";

export const isChannelsLast = (format: DataFormat | undefined): boolean => (format ?? 'channelsLast') === 'channelsLast';

/** `n` → [n, n]; `[h, w]` → [h, w]; null unless both are positive integers (the caller reports it, naming its layer). */
export function sizePair(value: Size2D): [number, number] | null {
  const pair: readonly unknown[] = typeof value === 'number' ? [value, value] : Array.isArray(value) ? value : [];
  const [h, w] = pair;
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1;
  return pair.length === 2 && ok(h) && ok(w) ? [h, w] : null;
}

/** Runs a geometry function, restating its error under the layer's name: `conv2d: the filter…` → `Conv2D 'c': the filter…`. */
export function withLayerName<T>(where: string, opName: string, compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${where}: ${message.startsWith(`${opName}: `) ? message.slice(opName.length + 2) : message}`);
  }
}

export interface Conv2DArgs extends LayerArgs {
  /** Output channels. */
  readonly filters: number;
  /** Window [height, width] (one number for both). */
  readonly kernelSize: Size2D;
  /** Default 1. */
  readonly strides?: Size2D;
  /** Default 'valid'. */
  readonly padding?: Padding;
  /** Only 'channelsLast' (the default). */
  readonly dataFormat?: DataFormat;
  /** Spacing between filter taps; default 1. Cannot exceed 1 together with strides > 1 (as in TensorFlow). */
  readonly dilationRate?: Size2D;
  /** Default 'linear'. */
  readonly activation?: ActivationIdentifier | string;
  readonly useBias?: boolean;
  /** Default glorotUniform, as in Keras. */
  readonly kernelInitializer?: InitializerIdentifier;
  /** Default zeros. */
  readonly biasInitializer?: InitializerIdentifier;
  readonly kernelRegularizer?: RegularizerIdentifier | null;
  readonly biasRegularizer?: RegularizerIdentifier | null;
  /** Penalty on the layer's output, added to the loss. */
  readonly activityRegularizer?: RegularizerIdentifier | null;
  readonly kernelConstraint?: ConstraintIdentifier | null;
  readonly biasConstraint?: ConstraintIdentifier | null;
}

export interface Conv2DConfig extends BaseLayerConfig {
  readonly filters: number;
  readonly kernelSize: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly padding: Padding;
  readonly dataFormat: 'channelsLast';
  readonly dilationRate: readonly [number, number];
  readonly activation: ActivationIdentifier;
  readonly useBias: boolean;
  readonly kernelInitializer: SerializedInitializer;
  readonly biasInitializer: SerializedInitializer;
  readonly kernelRegularizer: SerializedRegularizer | null;
  readonly biasRegularizer: SerializedRegularizer | null;
  readonly activityRegularizer: SerializedRegularizer | null;
  readonly kernelConstraint: SerializedConstraint | null;
  readonly biasConstraint: SerializedConstraint | null;
}

export class Conv2D extends Layer<Conv2DConfig> {
  static readonly className = 'Conv2D';
  readonly className = Conv2D.className;
  readonly filters: number;
  readonly kernelSize: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly padding: Padding;
  readonly dilationRate: readonly [number, number];
  readonly activation: ActivationIdentifier;
  readonly useBias: boolean;
  private readonly kernelInitializer;
  private readonly biasInitializer;
  private readonly kernelRegularizer;
  private readonly biasRegularizer;
  private readonly activityRegularizer;
  private readonly kernelConstraint;
  private readonly biasConstraint;
  private kernel: Variable | null = null;
  private bias: Variable | null = null;

  constructor(args: Conv2DArgs) {
    super(args, 'Conv2D');
    const where = `Conv2D '${this.name}'`;
    const pairOrFail = (argument: string, value: Size2D): [number, number] =>
      sizePair(value) ?? this.fail(argument, 'a positive integer or [height, width] of positive integers', value);
    if (!Number.isInteger(args.filters) || args.filters <= 0) this.fail('filters', 'a positive integer', args.filters);
    this.filters = args.filters;
    this.kernelSize = pairOrFail('kernelSize', args.kernelSize);
    this.strides = pairOrFail('strides', args.strides ?? 1);
    this.dilationRate = pairOrFail('dilationRate', args.dilationRate ?? 1);
    if (this.strides.some((s) => s > 1) && this.dilationRate.some((d) => d > 1)) {
      this.fail('dilationRate', '1 when strides > 1 (as in TensorFlow)',
        `[${this.dilationRate.join(', ')}] with strides [${this.strides.join(', ')}]`);
    }
    const padding: unknown = args.padding ?? 'valid';
    if (padding !== 'valid' && padding !== 'same') this.fail('padding', "'valid' or 'same'", JSON.stringify(padding));
    this.padding = padding;
    if (!isChannelsLast(args.dataFormat)) this.fail('dataFormat', CHANNELS_LAST_ONLY, JSON.stringify(args.dataFormat));
    this.activation = resolveActivation(where, args.activation ?? 'linear');
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = resolveInitializer(where, 'kernelInitializer', args.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = resolveInitializer(where, 'biasInitializer', args.biasInitializer ?? 'zeros');
    this.kernelRegularizer = resolveRegularizer(where, 'kernelRegularizer', args.kernelRegularizer);
    this.biasRegularizer = resolveRegularizer(where, 'biasRegularizer', args.biasRegularizer);
    this.activityRegularizer = resolveRegularizer(where, 'activityRegularizer', args.activityRegularizer);
    this.kernelConstraint = resolveConstraint(where, 'kernelConstraint', args.kernelConstraint);
    this.biasConstraint = resolveConstraint(where, 'biasConstraint', args.biasConstraint);
  }

  static fromConfig(config: Conv2DConfig): Conv2D {
    return new Conv2D(config);
  }

  protected override buildWeights(inputShape: SymbolicShape): void {
    const channels = inputShape[3] ?? 0;
    this.kernel = this.addWeight('kernel', this.kernelInitializer.apply([...this.kernelSize, channels, this.filters]));
    if (this.useBias) this.bias = this.addWeight('bias', this.biasInitializer.apply([this.filters]));
  }

  protected override call(x: Tensor, context: CallContext): Tensor {
    const kernel = this.kernel;
    if (kernel === null) throw new Error(`Conv2D '${this.name}' was called before it was built`);
    let y = conv2d(x, kernel, this.convOptions);
    if (this.bias !== null) y = biasAdd(y, this.bias);
    const out = getActivation(this.activation)(y);
    if (this.activityRegularizer !== null) context.losses?.push(this.activityRegularizer.penalty(out));
    return out;
  }

  /** Throws, naming the layer, for input that is not rank 4 with known channels or smaller than the (dilated) kernel. */
  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const channels = inputShape[3];
    if (inputShape.length !== 4 || channels === null || channels === undefined) {
      this.fail('input shape', 'rank 4 [batch, height, width, channels] with known channels', formatSymbolicShape(inputShape));
    }
    const kernelShape = [...this.kernelSize, channels, this.filters];
    return withLayerName(`Conv2D '${this.name}'`, 'conv2d', () => conv2dOutputShape(inputShape, kernelShape, this.convOptions));
  }

  private get convOptions(): Conv2DOptions {
    return { strides: this.strides, padding: this.padding, dilationRate: this.dilationRate };
  }

  override regularizationLoss(): Tensor | null {
    return weightPenalty([[this.kernel, this.kernelRegularizer], [this.bias, this.biasRegularizer]]);
  }

  override applyConstraints(): void {
    constrainWeights([[this.kernel, this.kernelConstraint], [this.bias, this.biasConstraint]]);
  }

  getConfig(): Conv2DConfig {
    return {
      ...this.baseConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      dataFormat: 'channelsLast',
      dilationRate: this.dilationRate,
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      kernelRegularizer: serializeOptionalRegularizer(this.kernelRegularizer),
      biasRegularizer: serializeOptionalRegularizer(this.biasRegularizer),
      activityRegularizer: serializeOptionalRegularizer(this.activityRegularizer),
      kernelConstraint: serializeOptionalConstraint(this.kernelConstraint),
      biasConstraint: serializeOptionalConstraint(this.biasConstraint),
    };
  }
}
