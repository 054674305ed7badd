/**
 * BatchNormalization (https://arxiv.org/abs/1502.03167, Keras `BatchNormalization`) over the last (channel) axis:
 *   y = gamma · (x − mean) / √(variance + ε) + beta
 * with the batch's statistics while training and the moving statistics at inference. x: [N, C] or [N, H, W, C];
 * statistics are taken over every axis but the last.
 */
import { engine, tidy } from '../engine.js';
import { StateError } from '../errors.js';
import { add, mul } from '../ops/arithmetic.js';
import { ones, zeros } from '../ops/creation.js';
import { batchNormInference, batchNormTraining } from '../ops/normalization.js';
import type { Tensor, Variable } from '../tensor.js';
import { type BaseLayerConfig, type CallContext, Layer, type LayerArgs, type SymbolicShape } from './layer.js';
import { boolean, constraint, initializer, regularizer } from './options.js';
import { type ArgsOf, onlyDefault, optional, type SavedOptions } from './spec.js';

const BATCH_NORMALIZATION_OPTIONS = {
  /** The channel axis; only -1 (the last, as NHWC has it). */
  axis: optional(-1, (axis: number, { fail }): number =>
    axis === -1 ? axis : fail('-1 (cnnlab normalizes over the last, channel, axis only)', axis),
  ),
  /** Weight of the old value in each moving-statistics update; default 0.99. */
  momentum: optional(0.99, (momentum: number, { fail }): number =>
    Number.isFinite(momentum) && momentum >= 0 && momentum <= 1 ? momentum : fail('a number in [0, 1]', momentum),
  ),
  /** Added to the variance before the square root; default 0.001. */
  epsilon: optional(1e-3, (epsilon: number, { fail }): number =>
    Number.isFinite(epsilon) && epsilon >= 0 ? epsilon : fail('a non-negative finite number', epsilon),
  ),
  /** Learn an offset beta; default true. */
  center: optional(true, boolean),
  /** Learn a scale gamma; default true. */
  scale: optional(true, boolean),
  betaInitializer: initializer('zeros'),
  gammaInitializer: initializer('ones'),
  movingMeanInitializer: initializer('zeros'),
  movingVarianceInitializer: initializer('ones'),
  betaRegularizer: regularizer,
  gammaRegularizer: regularizer,
  betaConstraint: constraint,
  gammaConstraint: constraint,
  /** Keras options cnnlab does not implement, accepted at their defaults only. */
  renorm: onlyDefault(false, 'cnnlab does not implement batch renormalization'),
  virtualBatchSize: onlyDefault(null, 'cnnlab does not implement ghost batch normalization'),
  adjustment: onlyDefault(null, 'cnnlab does not implement batch renormalization'),
  synchronized: onlyDefault(false, 'cnnlab trains on one device'),
};

export type BatchNormalizationArgs = LayerArgs & ArgsOf<typeof BATCH_NORMALIZATION_OPTIONS>;
export type BatchNormalizationConfig = BaseLayerConfig & SavedOptions<typeof BATCH_NORMALIZATION_OPTIONS>;

/**
 * Weights, in tfjs order: gamma (if scale), beta (if center), then the non-trainable movingMean and movingVariance.
 *
 * Each training call updates the moving statistics in place:
 *   moving = moving · momentum + batch · (1 − momentum)
 * where the batch variance is the biased one (divided by the element count n, not n − 1). That follows
 * TensorFlow.js 4.22, whose BatchNormalization feeds `tf.moments`' variance straight into the moving average.
 * (tf.keras's fused kernel applies the n/(n − 1) correction instead, tensorflow/tensorflow#55545; with small
 * batches, moving variances then differ from tfjs's.)
 */
export class BatchNormalization extends Layer<typeof BATCH_NORMALIZATION_OPTIONS> {
  static override readonly className = 'BatchNormalization';
  private gamma: Variable | null = null;
  private beta: Variable | null = null;
  private movingMean: Variable | null = null;
  private movingVariance: Variable | null = null;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args, BATCH_NORMALIZATION_OPTIONS);
  }

  /**
   * Keras 2 writes the axis as a list of positive axes once built (`axis: [3]` for NHWC); tfjs writes -1. For a
   * layer whose input has rank `inputRank`, the last axis in any of those forms becomes -1; anything else is left
   * for the constructor to refuse.
   */
  static override fromKerasConfig<C extends Readonly<Record<string, unknown>>>(config: C, inputRank: number): C {
    const axis: unknown = Array.isArray(config.axis) && config.axis.length === 1 ? config.axis[0] : config.axis;
    return axis === inputRank - 1 ? { ...config, axis: -1 } : config;
  }

  protected override buildWeights(inputShape: SymbolicShape): void {
    const shape = [inputShape[inputShape.length - 1] ?? 0];
    const o = this.options;
    if (o.scale) this.gamma = this.addWeight('gamma', shape, o.gammaInitializer, o.gammaRegularizer, o.gammaConstraint);
    if (o.center) this.beta = this.addWeight('beta', shape, o.betaInitializer, o.betaRegularizer, o.betaConstraint);
    this.movingMean = this.addWeight('moving_mean', shape, o.movingMeanInitializer, null, null, false);
    this.movingVariance = this.addWeight('moving_variance', shape, o.movingVarianceInitializer, null, null, false);
  }

  protected override call(x: Tensor, context: CallContext): Tensor {
    const { movingMean, movingVariance } = this;
    if (movingMean === null || movingVariance === null) {
      throw new StateError(this.where, 'was called before it was built');
    }
    // Without scale or center, constants stand in for gamma = 1 and beta = 0 (they take no gradient).
    const channels = [movingMean.size];
    const gamma = this.gamma ?? ones(channels);
    const beta = this.beta ?? zeros(channels);
    if (!context.training) return batchNormInference(x, movingMean, movingVariance, gamma, beta, this.options.epsilon);
    const { y, mean, variance } = batchNormTraining(x, gamma, beta, this.options.epsilon);
    const { momentum } = this.options;
    engine.noGrad(() =>
      tidy(() => {
        movingMean.assign(add(mul(movingMean, momentum), mul(mean, 1 - momentum)));
        movingVariance.assign(add(mul(movingVariance, momentum), mul(variance, 1 - momentum)));
      }),
    );
    mean.dispose();
    variance.dispose();
    return y;
  }

  /** Throws for input of rank < 2 or with an unknown channel count. */
  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const channels = inputShape[inputShape.length - 1];
    if (inputShape.length < 2 || channels === null || channels === undefined) {
      this.rejectInput('rank ≥ 2 [batch, ..., channels] with known channels', inputShape);
    }
    return inputShape;
  }
}
