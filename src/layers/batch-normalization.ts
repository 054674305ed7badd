/**
 * BatchNormalization (https://arxiv.org/abs/1502.03167, Keras `BatchNormalization`) over the last (channel) axis:
 *   y = gamma · (x − mean) / √(variance + ε) + beta
 * with the batch's statistics while training and the moving statistics at inference. x: [N, C] or [N, H, W, C];
 * statistics are taken over every axis but the last.
 */
import { engine, tidy } from '../engine.js';
import { type InitializerIdentifier, serializeInitializer } from '../initializers.js';
import { add, mul } from '../ops/arithmetic.js';
import { ones, zeros } from '../ops/creation.js';
import { batchNormInference, batchNormTraining } from '../ops/normalization.js';
import type { ConstraintIdentifier } from '../constraints.js';
import type { RegularizerIdentifier } from '../regularizers.js';
import type { Random } from '../random.js';
import type { Tensor, Variable } from '../tensor.js';
import { type BaseLayerConfig, type CallContext, formatSymbolicShape, Layer, type LayerArgs,
  type SymbolicShape } from './layer.js';
import { constrainWeights, resolveConstraint, resolveInitializer, resolveRegularizer, type SerializedConstraint,
  type SerializedInitializer, type SerializedRegularizer, serializeOptionalConstraint,
  serializeOptionalRegularizer, weightPenalty } from './weight-options.js';

export interface BatchNormalizationArgs extends LayerArgs {
  /** The channel axis; only -1 (the last, as NHWC has it). */
  readonly axis?: number;
  /** Weight of the old value in each moving-statistics update; default 0.99. */
  readonly momentum?: number;
  /** Added to the variance before the square root; default 0.001. */
  readonly epsilon?: number;
  /** Learn an offset beta; default true. */
  readonly center?: boolean;
  /** Learn a scale gamma; default true. */
  readonly scale?: boolean;
  readonly betaInitializer?: InitializerIdentifier;
  readonly gammaInitializer?: InitializerIdentifier;
  readonly movingMeanInitializer?: InitializerIdentifier;
  readonly movingVarianceInitializer?: InitializerIdentifier;
  readonly betaRegularizer?: RegularizerIdentifier | null;
  readonly gammaRegularizer?: RegularizerIdentifier | null;
  readonly betaConstraint?: ConstraintIdentifier | null;
  readonly gammaConstraint?: ConstraintIdentifier | null;
}

export interface BatchNormalizationConfig extends BaseLayerConfig {
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: SerializedInitializer;
  readonly gammaInitializer: SerializedInitializer;
  readonly movingMeanInitializer: SerializedInitializer;
  readonly movingVarianceInitializer: SerializedInitializer;
  readonly betaRegularizer: SerializedRegularizer | null;
  readonly gammaRegularizer: SerializedRegularizer | null;
  readonly betaConstraint: SerializedConstraint | null;
  readonly gammaConstraint: SerializedConstraint | null;
}

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
export class BatchNormalization extends Layer<BatchNormalizationConfig> {
  static readonly className = 'BatchNormalization';
  readonly className = BatchNormalization.className;
  readonly axis = -1;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  private readonly betaInitializer;
  private readonly gammaInitializer;
  private readonly movingMeanInitializer;
  private readonly movingVarianceInitializer;
  private readonly betaRegularizer;
  private readonly gammaRegularizer;
  private readonly betaConstraint;
  private readonly gammaConstraint;
  private gamma: Variable | null = null;
  private beta: Variable | null = null;
  private movingMean: Variable | null = null;
  private movingVariance: Variable | null = null;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args, 'BatchNormalization');
    const where = `BatchNormalization '${this.name}'`;
    const axis = args.axis ?? -1;
    if (axis !== -1) this.fail('axis', '-1 (cnnlab normalizes over the last, channel, axis only)', axis);
    const momentum = args.momentum ?? 0.99;
    if (!(Number.isFinite(momentum) && momentum >= 0 && momentum <= 1)) this.fail('momentum', 'a number in [0, 1]', momentum);
    this.momentum = momentum;
    const epsilon = args.epsilon ?? 1e-3;
    if (!(Number.isFinite(epsilon) && epsilon >= 0)) this.fail('epsilon', 'a non-negative finite number', epsilon);
    this.epsilon = epsilon;
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = resolveInitializer(where, 'betaInitializer', args.betaInitializer ?? 'zeros');
    this.gammaInitializer = resolveInitializer(where, 'gammaInitializer', args.gammaInitializer ?? 'ones');
    this.movingMeanInitializer = resolveInitializer(where, 'movingMeanInitializer', args.movingMeanInitializer ?? 'zeros');
    this.movingVarianceInitializer = resolveInitializer(where, 'movingVarianceInitializer', args.movingVarianceInitializer ?? 'ones');
    this.betaRegularizer = resolveRegularizer(where, 'betaRegularizer', args.betaRegularizer);
    this.gammaRegularizer = resolveRegularizer(where, 'gammaRegularizer', args.gammaRegularizer);
    this.betaConstraint = resolveConstraint(where, 'betaConstraint', args.betaConstraint);
    this.gammaConstraint = resolveConstraint(where, 'gammaConstraint', args.gammaConstraint);
  }

  static fromConfig(config: BatchNormalizationConfig): BatchNormalization {
    return new BatchNormalization(config);
  }

  protected override buildWeights(inputShape: SymbolicShape, seeds: Random | undefined): void {
    const shape = [inputShape[inputShape.length - 1] ?? 0];
    if (this.scale) this.gamma = this.addWeight('gamma', this.gammaInitializer.apply(shape, seeds));
    if (this.center) this.beta = this.addWeight('beta', this.betaInitializer.apply(shape, seeds));
    this.movingMean = this.addWeight('moving_mean', this.movingMeanInitializer.apply(shape, seeds), false);
    this.movingVariance = this.addWeight('moving_variance', this.movingVarianceInitializer.apply(shape, seeds), false);
  }

  protected override call(x: Tensor, context: CallContext): Tensor {
    const { movingMean, movingVariance } = this;
    if (movingMean === null || movingVariance === null) {
      throw new Error(`BatchNormalization '${this.name}' was called before it was built`);
    }
    // Without scale or center, constants stand in for gamma = 1 and beta = 0 (they take no gradient).
    const channels = [movingMean.size];
    const gamma = this.gamma ?? ones(channels);
    const beta = this.beta ?? zeros(channels);
    if (!context.training) return batchNormInference(x, movingMean, movingVariance, gamma, beta, this.epsilon);
    const { y, mean, variance } = batchNormTraining(x, gamma, beta, this.epsilon);
    engine.noGrad(() => tidy(() => {
      movingMean.assign(add(mul(movingMean, this.momentum), mul(mean, 1 - this.momentum)));
      movingVariance.assign(add(mul(movingVariance, this.momentum), mul(variance, 1 - this.momentum)));
    }));
    mean.dispose();
    variance.dispose();
    return y;
  }

  /** Throws for input of rank < 2 or with an unknown channel count. */
  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const channels = inputShape[inputShape.length - 1];
    if (inputShape.length < 2 || channels === null || channels === undefined) {
      this.fail('input shape', 'rank ≥ 2 [batch, ..., channels] with known channels', formatSymbolicShape(inputShape));
    }
    return inputShape;
  }

  override regularizationLoss(): Tensor | null {
    return weightPenalty([[this.gamma, this.gammaRegularizer], [this.beta, this.betaRegularizer]]);
  }

  override applyConstraints(): void {
    constrainWeights([[this.gamma, this.gammaConstraint], [this.beta, this.betaConstraint]]);
  }

  getConfig(): BatchNormalizationConfig {
    return {
      ...this.baseConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: serializeInitializer(this.betaInitializer),
      gammaInitializer: serializeInitializer(this.gammaInitializer),
      movingMeanInitializer: serializeInitializer(this.movingMeanInitializer),
      movingVarianceInitializer: serializeInitializer(this.movingVarianceInitializer),
      betaRegularizer: serializeOptionalRegularizer(this.betaRegularizer),
      gammaRegularizer: serializeOptionalRegularizer(this.gammaRegularizer),
      betaConstraint: serializeOptionalConstraint(this.betaConstraint),
      gammaConstraint: serializeOptionalConstraint(this.gammaConstraint),
    };
  }
}
