/**
 * LayerNormalization (https://arxiv.org/abs/1607.06450, Keras `LayerNormalization`) over the last axis: each
 * sample's features are normalized by their own mean and (biased) variance, y = gamma · (x − μ) / √(σ² + ε) + beta,
 * the same while training and at inference.
 */
import { StateError } from '../errors.js';
import { ones, zeros } from '../ops/creation.js';
import { layerNorm } from '../ops/layer-norm.js';
import type { Tensor, Variable } from '../tensor.js';
import { type BaseLayerConfig, type CallContext, Layer, type LayerArgs, type SymbolicShape } from './layer.js';
import { boolean, constraint, initializer, regularizer } from './options.js';
import { type ArgsOf, onlyDefault, optional, type SavedOptions } from './spec.js';

const LAYER_NORMALIZATION_OPTIONS = {
  /** The axis normalized over; only -1 (the last). */
  axis: optional(-1, (axis: number, { fail }): number =>
    axis === -1 ? axis : fail('-1 (cnnlab normalizes over the last axis only)', axis),
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
  betaRegularizer: regularizer,
  gammaRegularizer: regularizer,
  betaConstraint: constraint,
  gammaConstraint: constraint,
  /** Keras 3's RMS normalization, accepted at its default only. */
  rmsScaling: onlyDefault(false, 'cnnlab does not implement RMS scaling'),
};

export type LayerNormalizationArgs = LayerArgs & ArgsOf<typeof LAYER_NORMALIZATION_OPTIONS>;
export type LayerNormalizationConfig = BaseLayerConfig & SavedOptions<typeof LAYER_NORMALIZATION_OPTIONS>;

/** Weights, in Keras' order: gamma (if scale), then beta (if center), each of the last axis' size. */
export class LayerNormalization extends Layer<typeof LAYER_NORMALIZATION_OPTIONS> {
  static override readonly className = 'LayerNormalization';
  private gamma: Variable | null = null;
  private beta: Variable | null = null;
  private features = 0;

  constructor(args: LayerNormalizationArgs = {}) {
    super(args, LAYER_NORMALIZATION_OPTIONS);
  }

  /**
   * Keras 2 writes the axis as a list of positive axes once built (`axis: [3]` for rank-4 input); tfjs writes -1.
   * The last axis in any of those forms becomes -1; anything else is left for the constructor to refuse.
   */
  static override fromKerasConfig<C extends Readonly<Record<string, unknown>>>(config: C, inputRank: number): C {
    const given: unknown = config.axis;
    const list: readonly unknown[] = Array.isArray(given) ? given : [];
    const axis = list.length === 1 ? list[0] : given;
    return axis === inputRank - 1 ? { ...config, axis: -1 } : config;
  }

  protected override buildWeights(inputShape: SymbolicShape): void {
    const shape = [inputShape[inputShape.length - 1] ?? 0];
    const o = this.options;
    this.features = shape[0] ?? 0;
    if (o.scale) this.gamma = this.addWeight('gamma', shape, o.gammaInitializer, o.gammaRegularizer, o.gammaConstraint);
    if (o.center) this.beta = this.addWeight('beta', shape, o.betaInitializer, o.betaRegularizer, o.betaConstraint);
  }

  protected override call(x: Tensor, _context: CallContext): Tensor {
    if (!this.built) throw new StateError(this.where, 'was called before it was built');
    // Without scale or center, constants stand in for gamma = 1 and beta = 0 (they take no gradient).
    const gamma = this.gamma ?? ones([this.features]);
    const beta = this.beta ?? zeros([this.features]);
    return layerNorm(x, gamma, beta, { epsilon: this.options.epsilon });
  }

  /** Throws for input of rank < 2 or with an unknown feature count. */
  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const features = inputShape[inputShape.length - 1];
    if (inputShape.length < 2 || features === null || features === undefined) {
      this.rejectInput('rank ≥ 2 [batch, ..., features] with known features', inputShape);
    }
    return inputShape;
  }
}
