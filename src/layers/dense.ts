/**
 * Dense: y = activation(x · kernel + bias), kernel [in, out] (Keras `Dense`). Input of rank > 2 is multiplied
 * along its last axis, as in Keras.
 */
import { matMul } from '../ops/linear.js';
import { reshape } from '../ops/transform.js';
import type { Tensor } from '../tensor.js';
import { AFFINE_OPTIONS, AffineWeights, builtWeights } from './affine-weights.js';
import { type BaseLayerConfig, type CallContext, Layer, type LayerArgs, type SymbolicShape } from './layer.js';
import { positiveInteger } from './options.js';
import { knownProduct } from './shape.js';
import { type ArgsOf, required, type SavedOptions } from './spec.js';

const DENSE_OPTIONS = {
  /** Output size. */
  units: required(positiveInteger),
  ...AFFINE_OPTIONS,
};

export type DenseArgs = LayerArgs & ArgsOf<typeof DENSE_OPTIONS>;
export type DenseConfig = BaseLayerConfig & SavedOptions<typeof DENSE_OPTIONS>;

export class Dense extends Layer<typeof DENSE_OPTIONS> {
  static override readonly className = 'Dense';
  private affine: AffineWeights | null = null;

  constructor(args: DenseArgs) {
    super(args, DENSE_OPTIONS);
  }

  protected override buildWeights(inputShape: SymbolicShape): void {
    const kernelShape = [inputShape[inputShape.length - 1] ?? 0, this.options.units];
    this.affine = AffineWeights.build(
      (...weight) => this.addWeight(...weight),
      this.options,
      kernelShape,
      this.options.units,
    );
  }

  protected override call(x: Tensor, context: CallContext): Tensor {
    const affine = builtWeights(this.affine, this.where);
    const flat = x.rank === 2 ? x : reshape(x, [-1, affine.kernel.shape[0] ?? 0]);
    let y = affine.finish(matMul(flat, affine.kernel), context);
    if (x.rank !== 2) y = reshape(y, [...x.shape.slice(0, -1), this.options.units]);
    return y;
  }

  /** in · units per position (every position along the axes before the last). */
  override multiplyAdds([inputShape = []]: readonly SymbolicShape[], _outputShape: SymbolicShape): number {
    return knownProduct(inputShape.slice(1)) * this.options.units;
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const last = inputShape[inputShape.length - 1];
    if (inputShape.length < 2 || last === null || last === undefined) {
      this.rejectInput('rank ≥ 2 with a known last dimension', JSON.stringify(inputShape));
    }
    return [...inputShape.slice(0, -1), this.options.units];
  }
}
