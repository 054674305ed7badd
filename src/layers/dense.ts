/**
 * Dense: y = activation(x · kernel + bias), kernel [in, out] (Keras `Dense`). Input of rank > 2 is multiplied
 * along its last axis, as in Keras.
 */
import { type ActivationIdentifier, getActivation } from '../activations.js';
import type { ConstraintIdentifier } from '../constraints.js';
import { type InitializerIdentifier, serializeInitializer } from '../initializers.js';
import { biasAdd, matMul } from '../ops/linear.js';
import { reshape } from '../ops/transform.js';
import type { RegularizerIdentifier } from '../regularizers.js';
import type { Tensor, Variable } from '../tensor.js';
import { resolveActivation } from './activation.js';
import { type BaseLayerConfig, type CallContext, Layer, type LayerArgs, type SymbolicShape } from './layer.js';
import { constrainWeights, resolveConstraint, resolveInitializer, resolveRegularizer, type SerializedConstraint,
  type SerializedInitializer, type SerializedRegularizer, serializeOptionalConstraint,
  serializeOptionalRegularizer, weightPenalty } from './weight-options.js';

export interface DenseArgs extends LayerArgs {
  /** Output size. */
  readonly units: number;
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

export interface DenseConfig extends BaseLayerConfig {
  readonly units: number;
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

export class Dense extends Layer<DenseConfig> {
  static readonly className = 'Dense';
  readonly className = Dense.className;
  readonly units: number;
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

  constructor(args: DenseArgs) {
    super(args, 'Dense');
    const where = `Dense '${this.name}'`;
    if (!Number.isInteger(args.units) || args.units <= 0) this.fail('units', 'a positive integer', args.units);
    this.units = args.units;
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

  static fromConfig(config: DenseConfig): Dense {
    return new Dense(config);
  }

  protected override buildWeights(inputShape: SymbolicShape): void {
    const inputDim = inputShape[inputShape.length - 1] ?? 0;
    this.kernel = this.addWeight('kernel', this.kernelInitializer.apply([inputDim, this.units]));
    if (this.useBias) this.bias = this.addWeight('bias', this.biasInitializer.apply([this.units]));
  }

  protected override call(x: Tensor, context: CallContext): Tensor {
    const kernel = this.kernel;
    if (kernel === null) throw new Error(`Dense '${this.name}' was called before it was built`);
    const inputDim = kernel.shape[0] ?? 0;
    const flat = x.rank === 2 ? x : reshape(x, [-1, inputDim]);
    let y = matMul(flat, kernel);
    if (this.bias !== null) y = biasAdd(y, this.bias);
    if (x.rank !== 2) y = reshape(y, [...x.shape.slice(0, -1), this.units]);
    const out = getActivation(this.activation)(y);
    if (this.activityRegularizer !== null) context.losses?.push(this.activityRegularizer.penalty(out));
    return out;
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const last = inputShape[inputShape.length - 1];
    if (inputShape.length < 2 || last === null || last === undefined) {
      this.fail('input shape', 'rank ≥ 2 with a known last dimension', inputShape);
    }
    return [...inputShape.slice(0, -1), this.units];
  }

  override regularizationLoss(): Tensor | null {
    return weightPenalty([[this.kernel, this.kernelRegularizer], [this.bias, this.biasRegularizer]]);
  }

  override applyConstraints(): void {
    constrainWeights([[this.kernel, this.kernelConstraint], [this.bias, this.biasConstraint]]);
  }

  getConfig(): DenseConfig {
    return {
      ...this.baseConfig(),
      units: this.units,
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
