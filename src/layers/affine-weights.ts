/**
 * The kernel, bias, activation and their options, shared by Dense and Conv2D: both compute
 * activation(op(x, kernel) + bias) and take the same Keras options for the two weights. Layers whose kernels
 * Keras names otherwise (DepthwiseConv2D, SeparableConv2D) share the bias and activation part, `BIAS_OPTIONS`
 * and `BiasActivation`.
 */
import { type ActivationIdentifier, getActivation } from '../activations.js';
import type { Constraint } from '../constraints.js';
import { StateError } from '../errors.js';
import type { Initializer } from '../initializers.js';
import { biasAdd, biasRelu } from '../ops/linear.js';
import type { Regularizer } from '../regularizers.js';
import type { Shape } from '../shape.js';
import type { Tensor, Variable } from '../tensor.js';
import type { CallContext } from './layer.js';
import { activation, boolean, constraint, initializer, regularizer } from './options.js';
import { type ArgsOf, optional, type Resolved, type SavedOptions } from './spec.js';

/** The options of the bias and the activation. */
export const BIAS_OPTIONS = {
  /** Default 'linear'. */
  activation: optional<string, ActivationIdentifier>('linear', activation),
  /** Default true. */
  useBias: optional(true, boolean),
  /** Default zeros. */
  biasInitializer: initializer('zeros'),
  biasRegularizer: regularizer,
  /** Penalty on the layer's output, added to the loss. */
  activityRegularizer: regularizer,
  biasConstraint: constraint,
};

/** The options of the kernel, the bias and the activation; spread into Dense's and Conv2D's specs. */
export const AFFINE_OPTIONS = {
  activation: BIAS_OPTIONS.activation,
  useBias: BIAS_OPTIONS.useBias,
  /** Default glorotUniform, as in Keras. */
  kernelInitializer: initializer('glorotUniform'),
  biasInitializer: BIAS_OPTIONS.biasInitializer,
  kernelRegularizer: regularizer,
  biasRegularizer: regularizer,
  activityRegularizer: BIAS_OPTIONS.activityRegularizer,
  kernelConstraint: constraint,
  biasConstraint: constraint,
};

export type AffineArgs = ArgsOf<typeof AFFINE_OPTIONS>;
export type AffineConfig = SavedOptions<typeof AFFINE_OPTIONS>;
type AffineOptions = Resolved<typeof AFFINE_OPTIONS>;
type BiasOptions = Resolved<typeof BIAS_OPTIONS>;

/** The layer's `addWeight`. */
export type AddWeight = (
  name: string,
  shape: Shape,
  initializer: Initializer,
  regularizer: Regularizer | null,
  constraint: Constraint | null,
) => Variable;

/** The bias of `units` values (with `useBias`) and the activation, applied to a layer's linear output. */
export class BiasActivation {
  private constructor(
    private readonly options: BiasOptions,
    private readonly bias: Variable | null,
  ) {}

  static build(addWeight: AddWeight, options: BiasOptions, units: number): BiasActivation {
    const bias = options.useBias
      ? addWeight('bias', [units], options.biasInitializer, options.biasRegularizer, options.biasConstraint)
      : null;
    return new BiasActivation(options, bias);
  }

  /** activation(y + bias); records the activity penalty in the context. */
  finish(y: Tensor, context: CallContext): Tensor {
    const { activation: fn, activityRegularizer } = this.options;
    let out: Tensor;
    if (this.bias === null) out = getActivation(fn)(y);
    else if (fn === 'relu') out = biasRelu(y, this.bias);
    else out = getActivation(fn)(biasAdd(y, this.bias));
    if (activityRegularizer !== null) context.losses?.push(activityRegularizer.penalty(out));
    return out;
  }
}

/** The kernel and (with `useBias`) the bias of `units` values, created in Keras' order. */
export class AffineWeights {
  private constructor(
    readonly kernel: Variable,
    private readonly output: BiasActivation,
  ) {}

  static build(addWeight: AddWeight, options: AffineOptions, kernelShape: Shape, units: number): AffineWeights {
    const kernel = addWeight(
      'kernel',
      kernelShape,
      options.kernelInitializer,
      options.kernelRegularizer,
      options.kernelConstraint,
    );
    return new AffineWeights(kernel, BiasActivation.build(addWeight, options, units));
  }

  /** activation(y + bias); records the activity penalty in the context. */
  finish(y: Tensor, context: CallContext): Tensor {
    return this.output.finish(y, context);
  }
}

/** The built weights, or a StateError naming the layer when it is called before it was built. */
export function builtWeights<W>(weights: W | null, where: string): W {
  if (weights === null) throw new StateError(where, 'was called before it was built');
  return weights;
}
