/**
 * The kernel, bias, activation and their options, shared by Dense and Conv2D: both compute
 * activation(op(x, kernel) + bias) and take the same Keras options for the two weights.
 */
import { type ActivationIdentifier, getActivation } from '../activations.js';
import type { ConstraintIdentifier } from '../constraints.js';
import { type InitializerIdentifier, serializeInitializer } from '../initializers.js';
import { biasAdd, biasRelu } from '../ops/linear.js';
import type { RegularizerIdentifier } from '../regularizers.js';
import type { Random } from '../random.js';
import type { Shape } from '../shape.js';
import type { Tensor, Variable } from '../tensor.js';
import { resolveActivation } from './activation.js';
import type { CallContext } from './layer.js';
import { constrainWeights, resolveConstraint, resolveInitializer, resolveRegularizer, type SerializedConstraint,
  type SerializedInitializer, type SerializedRegularizer, serializeOptionalConstraint, serializeOptionalRegularizer,
  weightPenalty } from './weight-options.js';

export interface AffineArgs {
  /** Default 'linear'. */
  readonly activation?: ActivationIdentifier | string;
  /** Default true. */
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

export interface AffineConfig {
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

type AddWeight = (name: string, initial: Tensor) => Variable;

export class AffineWeights {
  readonly activation: ActivationIdentifier;
  readonly useBias: boolean;
  private readonly kernelInitializer;
  private readonly biasInitializer;
  private readonly kernelRegularizer;
  private readonly biasRegularizer;
  private readonly activityRegularizer;
  private readonly kernelConstraint;
  private readonly biasConstraint;
  private kernelVariable: Variable | null = null;
  private biasVariable: Variable | null = null;

  /** Resolves every option; errors name `where` (the layer) and the argument. */
  constructor(private readonly where: string, args: AffineArgs) {
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

  /** Creates the kernel (and the bias of `units` values) through the layer's addWeight, in Keras' order. */
  build(addWeight: AddWeight, kernelShape: Shape, units: number, seeds: Random | undefined): void {
    this.kernelVariable = addWeight('kernel', this.kernelInitializer.apply(kernelShape, seeds));
    if (this.useBias) this.biasVariable = addWeight('bias', this.biasInitializer.apply([units], seeds));
  }

  get kernel(): Variable {
    if (this.kernelVariable === null) throw new Error(`${this.where} was called before it was built`);
    return this.kernelVariable;
  }

  /** activation(y + bias); records the activity penalty in the context. */
  finish(y: Tensor, context: CallContext): Tensor {
    const bias = this.biasVariable;
    let out: Tensor;
    if (bias === null) out = getActivation(this.activation)(y);
    else if (this.activation === 'relu') out = biasRelu(y, bias);
    else out = getActivation(this.activation)(biasAdd(y, bias));
    if (this.activityRegularizer !== null) context.losses?.push(this.activityRegularizer.penalty(out));
    return out;
  }

  penalty(): Tensor | null {
    return weightPenalty([[this.kernelVariable, this.kernelRegularizer], [this.biasVariable, this.biasRegularizer]]);
  }

  constrain(): void {
    constrainWeights([[this.kernelVariable, this.kernelConstraint], [this.biasVariable, this.biasConstraint]]);
  }

  getConfig(): AffineConfig {
    return {
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
