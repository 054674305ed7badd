/** Reshape: [N, …] → [N, …targetShape] (Keras `Reshape`; one target dimension may be -1). */
import { reshape } from '../ops/transform.js';
import type { Tensor } from '../tensor.js';
import { type BaseLayerConfig, type CallContext, Layer, type LayerArgs, type SymbolicShape } from './layer.js';

export interface ReshapeArgs extends LayerArgs {
  /** Target shape without the batch dimension. */
  readonly targetShape: readonly number[];
}

export interface ReshapeConfig extends BaseLayerConfig {
  readonly targetShape: readonly number[];
}

export class Reshape extends Layer<ReshapeConfig> {
  static readonly className = 'Reshape';
  readonly className = Reshape.className;
  readonly targetShape: readonly number[];

  constructor(args: ReshapeArgs) {
    super(args, 'Reshape');
    const target = args.targetShape;
    const valid = Array.isArray(target) && target.every((d) => Number.isInteger(d) && (d > 0 || d === -1))
      && target.filter((d) => d === -1).length <= 1;
    if (!valid) this.fail('targetShape', 'positive integers with at most one -1', target);
    this.targetShape = [...target];
  }

  static fromConfig(config: ReshapeConfig): Reshape {
    return new Reshape(config);
  }

  protected override call(x: Tensor, _context: CallContext): Tensor {
    const resolved = this.computeOutputShape([null, ...x.shape.slice(1)]).slice(1);
    return reshape(x, [x.shape[0] ?? 0, ...resolved.map((d) => d ?? 0)]);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const inputSize = inputShape.slice(1).reduce<number>((n, d) => n * (d ?? Number.NaN), 1);
    const known = this.targetShape.reduce((n, d) => (d === -1 ? n : n * d), 1);
    const resolved = this.targetShape.map((d) => (d === -1 ? inputSize / known : d));
    const size = resolved.reduce((n, d) => n * d, 1);
    if (!Number.isNaN(inputSize) && (size !== inputSize || resolved.some((d) => !Number.isInteger(d)))) {
      this.fail('targetShape', `a shape with ${inputSize} values (the input's ${JSON.stringify(inputShape.slice(1))})`, this.targetShape);
    }
    return [inputShape[0] ?? null, ...resolved];
  }

  getConfig(): ReshapeConfig {
    return { ...this.baseConfig(), targetShape: this.targetShape };
  }
}
