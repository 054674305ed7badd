/** Activation: applies a named activation function (Keras `Activation`). */
import { type ActivationIdentifier, getActivation } from '../activations.js';
import type { Tensor } from '../tensor.js';
import { type BaseLayerConfig, type CallContext, Layer, type LayerArgs, type SymbolicShape } from './layer.js';
import { activation } from './options.js';
import { type ArgsOf, required, type SavedOptions } from './spec.js';

const ACTIVATION_OPTIONS = {
  /** A Keras/tfjs activation name: 'relu', 'sigmoid', 'tanh', 'gelu', … (snake_case spellings accepted). */
  activation: required<string, ActivationIdentifier>(activation),
};

export type ActivationArgs = LayerArgs & ArgsOf<typeof ACTIVATION_OPTIONS>;
export type ActivationConfig = BaseLayerConfig & SavedOptions<typeof ACTIVATION_OPTIONS>;

export class Activation extends Layer<typeof ACTIVATION_OPTIONS> {
  static override readonly className = 'Activation';

  constructor(args: ActivationArgs) {
    super(args, ACTIVATION_OPTIONS);
  }

  protected override call(x: Tensor, _context: CallContext): Tensor {
    return getActivation(this.options.activation)(x);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }
}
