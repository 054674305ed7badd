/**
 * InputLayer: declares the model's input shape and passes its input through (Keras `InputLayer`). Sequential
 * models may start with it or give `inputShape` to their first layer instead.
 */
import type { Tensor } from '../tensor.js';
import { type BaseLayerConfig, type CallContext, Layer, type LayerArgs, type SymbolicShape } from './layer.js';

export type InputLayerArgs = LayerArgs;
export type InputLayerConfig = BaseLayerConfig;

export class InputLayer extends Layer {
  static override readonly className = 'InputLayer';

  constructor(args: InputLayerArgs) {
    super(args, {});
    if (this.batchInputShape === undefined) this.fail('inputShape', 'given (the shape of one example)', 'undefined');
  }

  protected override call(x: Tensor, _context: CallContext): Tensor {
    return x;
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }
}
