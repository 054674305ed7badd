/**
 * Activation layers with options (Keras' ReLU, LeakyReLU, ELU and Softmax), composed from the differentiable ops.
 * PReLU, which has a weight, is in prelu.ts.
 */
import { elu, leakyRelu, relu, relu6, softmax } from '../ops/activations.js';
import { clipByValue, greater, mul, sub } from '../ops/arithmetic.js';
import type { Tensor } from '../tensor.js';
import { type BaseLayerConfig, type CallContext, Layer, type LayerArgs, type SymbolicShape } from './layer.js';
import { finiteNumber } from './options.js';
import { type ArgsOf, type OptionContext, optional, type SavedOptions } from './spec.js';

function nonNegative(value: number, { fail }: OptionContext): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
    ? value
    : fail('a non-negative finite number', value);
}

const RELU_OPTIONS = {
  /** The largest output (6 gives ReLU6); default null, no limit. */
  maxValue: optional<number | null, number | null>(null, (value, context) =>
    value === null ? null : nonNegative(value, context),
  ),
  /** Slope below the threshold; default 0. */
  negativeSlope: optional(0, nonNegative),
  /** Inputs above it pass; default 0. */
  threshold: optional(0, nonNegative),
};

export type ReLUArgs = LayerArgs & ArgsOf<typeof RELU_OPTIONS>;
export type ReLUConfig = BaseLayerConfig & SavedOptions<typeof RELU_OPTIONS>;

/**
 * Keras' ReLU, computed as Keras computes it (which its docs' piecewise form describes up to the point x = threshold):
 *   y = min(x · [x > threshold], maxValue) − negativeSlope · max(threshold − x, 0)
 * with the plain relu, relu6 or leakyRelu kernel where the options reduce to one.
 */
export class ReLU extends Layer<typeof RELU_OPTIONS> {
  static override readonly className = 'ReLU';

  constructor(args: ReLUArgs = {}) {
    super(args, RELU_OPTIONS);
  }

  protected override call(x: Tensor, _context: CallContext): Tensor {
    const { maxValue, negativeSlope, threshold } = this.options;
    if (negativeSlope !== 0 && maxValue === null && threshold === 0) return leakyRelu(x, negativeSlope);
    const relu6Fits = maxValue === 6 && threshold === 0;
    // The mask [x > threshold] is a constant for the gradient, which is 1 above the threshold.
    let y = threshold !== 0 ? mul(x, greater(x, threshold)) : relu6Fits ? relu6(x) : relu(x);
    if (maxValue !== null && !relu6Fits) y = clipByValue(y, 0, maxValue);
    return negativeSlope === 0 ? y : sub(y, mul(negativeSlope, relu(sub(threshold, x))));
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }
}

const LEAKY_RELU_OPTIONS = {
  /** Slope for x < 0; default 0.3 (tfjs, Keras 2). */
  alpha: optional(0.3, finiteNumber),
};

export type LeakyReLUArgs = LayerArgs & ArgsOf<typeof LEAKY_RELU_OPTIONS>;
export type LeakyReLUConfig = BaseLayerConfig & SavedOptions<typeof LEAKY_RELU_OPTIONS>;

/** y = x for x > 0, alpha · x otherwise. */
export class LeakyReLU extends Layer<typeof LEAKY_RELU_OPTIONS> {
  static override readonly className = 'LeakyReLU';

  constructor(args: LeakyReLUArgs = {}) {
    super(args, LEAKY_RELU_OPTIONS);
  }

  /** Keras 3 names the slope `negative_slope` (same default); it becomes `alpha` (the constructor reads only that). */
  static override fromKerasConfig<C extends Readonly<Record<string, unknown>>>(config: C, _inputRank: number): C {
    return config.negativeSlope === undefined || config.alpha !== undefined
      ? config
      : { ...config, alpha: config.negativeSlope };
  }

  protected override call(x: Tensor, _context: CallContext): Tensor {
    return leakyRelu(x, this.options.alpha);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }
}

const ELU_OPTIONS = {
  /** Scale of the negative part; default 1. */
  alpha: optional(1, finiteNumber),
};

export type ELUArgs = LayerArgs & ArgsOf<typeof ELU_OPTIONS>;
export type ELUConfig = BaseLayerConfig & SavedOptions<typeof ELU_OPTIONS>;

/** y = x for x > 0, alpha · (eˣ − 1) otherwise. */
export class ELU extends Layer<typeof ELU_OPTIONS> {
  static override readonly className = 'ELU';

  constructor(args: ELUArgs = {}) {
    super(args, ELU_OPTIONS);
  }

  protected override call(x: Tensor, _context: CallContext): Tensor {
    return elu(x, this.options.alpha);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }
}

const SOFTMAX_OPTIONS = {
  /**
   * The axis normalized over; default -1. Only the last axis is supported: -1, or its index (tfjs writes 1 by
   * default, the last axis of rank-2 input), checked when the layer is built.
   */
  axis: optional(-1, (axis: number, { fail }): number =>
    Number.isInteger(axis) && axis >= -1 ? axis : fail('-1 or the index of the last axis', axis),
  ),
};

export type SoftmaxArgs = LayerArgs & ArgsOf<typeof SOFTMAX_OPTIONS>;
export type SoftmaxConfig = BaseLayerConfig & SavedOptions<typeof SOFTMAX_OPTIONS>;

/** softmax over the last axis. */
export class Softmax extends Layer<typeof SOFTMAX_OPTIONS> {
  static override readonly className = 'Softmax';

  constructor(args: SoftmaxArgs = {}) {
    super(args, SOFTMAX_OPTIONS);
  }

  protected override call(x: Tensor, _context: CallContext): Tensor {
    return softmax(x);
  }

  /** Throws, naming the layer, unless `axis` is the input's last. */
  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const { axis } = this.options;
    if (axis !== -1 && axis !== inputShape.length - 1) {
      this.fail(
        'axis',
        `-1 or ${inputShape.length - 1} (the last axis of the input; cnnlab normalizes over it only)`,
        axis,
      );
    }
    return inputShape;
  }
}
