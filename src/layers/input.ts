/**
 * InputLayer: declares the model's input shape and passes its input through (Keras `InputLayer`). Sequential
 * models may start with it or give `inputShape` to their first layer instead.
 */
import type { Tensor } from '../tensor.js';
import { type BaseLayerConfig, type CallContext, Layer, type LayerArgs, type SymbolicShape } from './layer.js';

export type InputLayerArgs = LayerArgs;
export type InputLayerConfig = BaseLayerConfig;

export class InputLayer extends Layer<InputLayerConfig> {
  static readonly className = 'InputLayer';
  readonly className = InputLayer.className;

  constructor(args: InputLayerArgs) {
    super(args, 'InputLayer');
    if (this.batchInputShape === undefined) this.fail('inputShape', 'given (the shape of one example)', 'undefined');
  }

  static fromConfig(config: InputLayerConfig): InputLayer {
    return new InputLayer(config);
  }

  protected override call(x: Tensor, _context: CallContext): Tensor {
    return x;
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  getConfig(): InputLayerConfig {
    return this.baseConfig();
  }
}
