/** Flatten: [N, d1, d2, …] → [N, d1·d2·…] (Keras `Flatten`; NHWC order, so weights match Keras/tfjs). */
import { flatten } from '../ops/transform.js';
import type { Tensor } from '../tensor.js';
import { type BaseLayerConfig, type CallContext, Layer, type LayerArgs, type SymbolicShape } from './layer.js';

export type FlattenArgs = LayerArgs;
export type FlattenConfig = BaseLayerConfig;

export class Flatten extends Layer {
  static override readonly className = 'Flatten';

  constructor(args: FlattenArgs = {}) {
    super(args, {});
  }

  protected override call(x: Tensor, _context: CallContext): Tensor {
    return flatten(x);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const rest = inputShape.slice(1);
    if (rest.some((d) => d === null))
      this.rejectInput('fully defined after the batch dimension', JSON.stringify(inputShape));
    return [inputShape[0] ?? null, rest.reduce<number>((n, d) => n * (d ?? 0), 1)];
  }
}
