/** Reshape: [N, …] → [N, …targetShape] (Keras `Reshape`; one target dimension may be -1). */
import { reshape } from '../ops/transform.js';
import type { Tensor } from '../tensor.js';
import { type BaseLayerConfig, type CallContext, Layer, type LayerArgs, type SymbolicShape } from './layer.js';
import { isArray } from './options.js';
import { type ArgsOf, required, type SavedOptions } from './spec.js';

const RESHAPE_OPTIONS = {
  /** Target shape without the batch dimension. */
  targetShape: required((target: readonly number[], { fail }): readonly number[] => {
    const valid =
      isArray(target) &&
      target.every((d) => Number.isInteger(d) && (d > 0 || d === -1)) &&
      target.filter((d) => d === -1).length <= 1;
    return valid ? [...target] : fail('positive integers with at most one -1', target);
  }),
};

export type ReshapeArgs = LayerArgs & ArgsOf<typeof RESHAPE_OPTIONS>;
export type ReshapeConfig = BaseLayerConfig & SavedOptions<typeof RESHAPE_OPTIONS>;

export class Reshape extends Layer<typeof RESHAPE_OPTIONS> {
  static override readonly className = 'Reshape';

  constructor(args: ReshapeArgs) {
    super(args, RESHAPE_OPTIONS);
  }

  protected override call(x: Tensor, _context: CallContext): Tensor {
    const resolved = this.computeOutputShape([null, ...x.shape.slice(1)]).slice(1);
    return reshape(x, [x.shape[0] ?? 0, ...resolved.map((d) => d ?? 0)]);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const { targetShape } = this.options;
    const inputSize = inputShape.slice(1).reduce<number>((n, d) => n * (d ?? Number.NaN), 1);
    const known = targetShape.reduce((n, d) => (d === -1 ? n : n * d), 1);
    const resolved = targetShape.map((d) => (d === -1 ? inputSize / known : d));
    const size = resolved.reduce((n, d) => n * d, 1);
    if (!Number.isNaN(inputSize) && (size !== inputSize || resolved.some((d) => !Number.isInteger(d)))) {
      this.fail(
        'targetShape',
        `a shape with ${inputSize} values (the input's ${JSON.stringify(inputShape.slice(1))})`,
        targetShape,
      );
    }
    return [inputShape[0] ?? null, ...resolved];
  }
}
