/**
 * Dense: y = activation(x · kernel + bias), kernel [in, out] (Keras `Dense`). Input of rank > 2 is multiplied
 * along its last axis, as in Keras.
 */
import { matMul } from '../ops/linear.js';
import { reshape } from '../ops/transform.js';
import type { Random } from '../random.js';
import type { Tensor } from '../tensor.js';
import { type AffineArgs, type AffineConfig, AffineWeights } from './affine-weights.js';
import { type BaseLayerConfig, type CallContext, Layer, type LayerArgs, type SymbolicShape } from './layer.js';

export interface DenseArgs extends LayerArgs, AffineArgs {
  /** Output size. */
  readonly units: number;
}

export interface DenseConfig extends BaseLayerConfig, AffineConfig {
  readonly units: number;
}

export class Dense extends Layer<DenseConfig> {
  static readonly className = 'Dense';
  readonly className = Dense.className;
  readonly units: number;
  private readonly affine: AffineWeights;

  constructor(args: DenseArgs) {
    super(args, 'Dense');
    if (!Number.isInteger(args.units) || args.units <= 0) this.fail('units', 'a positive integer', args.units);
    this.units = args.units;
    this.affine = new AffineWeights(`Dense '${this.name}'`, args);
  }

  static fromConfig(config: DenseConfig): Dense {
    return new Dense(config);
  }

  get activation(): AffineConfig['activation'] {
    return this.affine.activation;
  }

  protected override buildWeights(inputShape: SymbolicShape, seeds: Random | undefined): void {
    this.affine.build((name, initial) => this.addWeight(name, initial), [inputShape[inputShape.length - 1] ?? 0, this.units], this.units, seeds);
  }

  protected override call(x: Tensor, context: CallContext): Tensor {
    const kernel = this.affine.kernel;
    const flat = x.rank === 2 ? x : reshape(x, [-1, kernel.shape[0] ?? 0]);
    let y = this.affine.finish(matMul(flat, kernel), context);
    if (x.rank !== 2) y = reshape(y, [...x.shape.slice(0, -1), this.units]);
    return y;
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const last = inputShape[inputShape.length - 1];
    if (inputShape.length < 2 || last === null || last === undefined) {
      this.fail('input shape', 'rank ≥ 2 with a known last dimension', inputShape);
    }
    return [...inputShape.slice(0, -1), this.units];
  }

  override regularizationLoss(): Tensor | null {
    return this.affine.penalty();
  }

  override applyConstraints(): void {
    this.affine.constrain();
  }

  getConfig(): DenseConfig {
    return { ...this.baseConfig(), units: this.units, ...this.affine.getConfig() };
  }
}
