/** Flatten: [N, d1, d2, …] → [N, d1·d2·…] (Keras `Flatten`; NHWC order, so weights match Keras/tfjs). */
import { flatten } from '../ops/transform.js';
import type { Tensor } from '../tensor.js';
import { type BaseLayerConfig, type CallContext, Layer, type LayerArgs, type SymbolicShape } from './layer.js';

export type FlattenArgs = LayerArgs;
export type FlattenConfig = BaseLayerConfig;

export class Flatten extends Layer<FlattenConfig> {
  static readonly className = 'Flatten';
  readonly className = Flatten.className;

  constructor(args: FlattenArgs = {}) {
    super(args, 'Flatten');
  }

  static fromConfig(config: FlattenConfig): Flatten {
    return new Flatten(config);
  }

  protected override call(x: Tensor, _context: CallContext): Tensor {
    return flatten(x);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const rest = inputShape.slice(1);
    if (rest.some((d) => d === null)) this.fail('input shape', 'fully defined after the batch dimension', inputShape);
    return [inputShape[0] ?? null, rest.reduce<number>((n, d) => n * (d ?? 0), 1)];
  }

  getConfig(): FlattenConfig {
    return this.baseConfig();
  }
}
