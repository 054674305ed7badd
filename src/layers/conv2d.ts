/**
 * Conv2D: y = activation(conv2d(x, kernel) + bias) over NHWC input (Keras `Conv2D`).
 * x: [N, H, W, C], kernel: [kh, kw, C, filters], bias: [filters] → y: [N, outH, outW, filters].
 */
import { conv2d, type Conv2DOptions, conv2dOutputShape, type Padding, type Size2D } from '../ops/conv.js';
import type { Random } from '../random.js';
import type { Tensor } from '../tensor.js';
import { type AffineArgs, type AffineConfig, AffineWeights } from './affine-weights.js';
import { type BaseLayerConfig, type CallContext, formatSymbolicShape, Layer, type LayerArgs,
  type SymbolicShape } from './layer.js';

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

export interface Conv2DArgs extends LayerArgs, AffineArgs {
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
}

export interface Conv2DConfig extends BaseLayerConfig, AffineConfig {
  readonly filters: number;
  readonly kernelSize: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly padding: Padding;
  readonly dataFormat: 'channelsLast';
  readonly dilationRate: readonly [number, number];
}

export class Conv2D extends Layer<Conv2DConfig> {
  static readonly className = 'Conv2D';
  readonly className = Conv2D.className;
  readonly filters: number;
  readonly kernelSize: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly padding: Padding;
  readonly dilationRate: readonly [number, number];
  private readonly affine: AffineWeights;

  get activation(): AffineConfig['activation'] {
    return this.affine.activation;
  }

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
    this.affine = new AffineWeights(where, args);
  }

  static fromConfig(config: Conv2DConfig): Conv2D {
    return new Conv2D(config);
  }

  protected override buildWeights(inputShape: SymbolicShape, seeds: Random | undefined): void {
    const kernelShape = [...this.kernelSize, inputShape[3] ?? 0, this.filters];
    this.affine.build((name, initial) => this.addWeight(name, initial), kernelShape, this.filters, seeds);
  }

  protected override call(x: Tensor, context: CallContext): Tensor {
    return this.affine.finish(conv2d(x, this.affine.kernel, this.convOptions), context);
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
    return this.affine.penalty();
  }

  override applyConstraints(): void {
    this.affine.constrain();
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
      ...this.affine.getConfig(),
    };
  }
}
