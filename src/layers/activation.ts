/** Activation: applies a named activation function (Keras `Activation`). */
import { type ActivationIdentifier, deserializeActivation, getActivation } from '../activations.js';
import type { Tensor } from '../tensor.js';
import { type BaseLayerConfig, type CallContext, Layer, type LayerArgs, type SymbolicShape } from './layer.js';

export interface ActivationArgs extends LayerArgs {
  /** A Keras/tfjs activation name: 'relu', 'sigmoid', 'tanh', 'gelu', … (snake_case spellings accepted). */
  readonly activation: ActivationIdentifier | string;
}

export interface ActivationConfig extends BaseLayerConfig {
  readonly activation: ActivationIdentifier;
}

/** Resolves an activation option, naming the layer in the error for an unknown name. */
export function resolveActivation(layer: string, name: string): ActivationIdentifier {
  try {
    return deserializeActivation(name);
  } catch (error) {
    throw new Error(`${layer}: \`activation\` ${error instanceof Error ? error.message : String(error)}`);
  }
}

export class Activation extends Layer<ActivationConfig> {
  static readonly className = 'Activation';
  readonly className = Activation.className;
  readonly activation: ActivationIdentifier;

  constructor(args: ActivationArgs) {
    super(args, 'Activation');
    this.activation = resolveActivation(`Activation '${this.name}'`, args.activation);
  }

  static fromConfig(config: ActivationConfig): Activation {
    return new Activation(config);
  }

  protected override call(x: Tensor, _context: CallContext): Tensor {
    return getActivation(this.activation)(x);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  getConfig(): ActivationConfig {
    return { ...this.baseConfig(), activation: this.activation };
  }
}
