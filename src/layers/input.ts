/**
 * InputLayer: declares the model's input shape and passes its input through (Keras `InputLayer`). Sequential
 * models may start with it or give `inputShape` to their first layer instead; a functional model starts from
 * `input()`, which makes one and returns its symbolic output.
 */
import type { Tensor } from '../tensor.js';
import { type BaseLayerConfig, type CallContext, Layer, type LayerArgs, type SymbolicShape } from './layer.js';
import { SymbolicTensor } from './symbolic.js';

export type InputLayerArgs = LayerArgs;
export type InputLayerConfig = BaseLayerConfig;

export class InputLayer extends Layer {
  static override readonly className = 'InputLayer';
  private symbolic: SymbolicTensor | null = null;

  constructor(args: InputLayerArgs) {
    super(args, {});
    if (this.batchInputShape === undefined) this.fail('inputShape', 'given (the shape of one example)', 'undefined');
  }

  /** The symbolic tensor this layer feeds a functional model with (its one call, with no inputs). */
  get output(): SymbolicTensor {
    if (this.symbolic === null) {
      const shape = this.batchInputShape ?? [];
      this.build(shape);
      this.symbolic = this.recordCall([], new SymbolicTensor(shape));
    }
    return this.symbolic;
  }

  protected override call(x: Tensor, _context: CallContext): Tensor {
    return x;
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }
}
