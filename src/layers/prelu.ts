/** PReLU: y = x for x > 0, alpha · x otherwise, with a learned alpha per position (Keras `PReLU`). */
import { StateError } from '../errors.js';
import { prelu } from '../ops/prelu.js';
import type { Tensor, Variable } from '../tensor.js';
import { type BaseLayerConfig, type CallContext, Layer, type LayerArgs, type SymbolicShape } from './layer.js';
import { constraint, initializer, regularizer } from './options.js';
import { type ArgsOf, type OptionContext, optional, type SavedOptions } from './spec.js';

/** `sharedAxes`: null, one axis or a list of axes (≥ 1: the batch axis is always shared). */
function sharedAxes(value: number | readonly number[] | null, { fail }: OptionContext): readonly number[] | null {
  if (value === null) return null;
  const axes: readonly unknown[] = typeof value === 'number' ? [value] : Array.isArray(value) ? value : [-1];
  return axes.every((a) => typeof a === 'number' && Number.isInteger(a) && a >= 1)
    ? axes.filter((a) => typeof a === 'number')
    : fail('null, an axis ≥ 1 or a list of them', value);
}

const PRELU_OPTIONS = {
  /** Default zeros (the layer starts as a ReLU). */
  alphaInitializer: initializer('zeros'),
  alphaRegularizer: regularizer,
  alphaConstraint: constraint,
  /** Axes along which one alpha is shared (e.g. [1, 2]: one per channel of NHWC images); default null. */
  sharedAxes: optional<number | readonly number[] | null, readonly number[] | null>(null, sharedAxes),
};

export type PReLUArgs = LayerArgs & ArgsOf<typeof PRELU_OPTIONS>;
export type PReLUConfig = BaseLayerConfig & SavedOptions<typeof PRELU_OPTIONS>;

/** The weight `alpha` has the input's shape without the batch axis, with 1 on the shared axes. */
export class PReLU extends Layer<typeof PRELU_OPTIONS> {
  static override readonly className = 'PReLU';
  private alpha: Variable | null = null;

  constructor(args: PReLUArgs = {}) {
    super(args, PRELU_OPTIONS);
  }

  /** alpha's shape for an input shape; throws for shared axes beyond the input's rank or unknown unshared sizes. */
  private alphaShape(inputShape: SymbolicShape): number[] {
    const shared = this.options.sharedAxes ?? [];
    const beyond = shared.find((a) => a >= inputShape.length);
    if (beyond !== undefined) {
      this.fail('sharedAxes', `axes of the input (1 to ${inputShape.length - 1})`, `[${shared.join(', ')}]`);
    }
    return inputShape.slice(1).map((d, i) => {
      if (shared.includes(i + 1)) return 1;
      if (d === null) this.rejectInput('known sizes on the axes alpha is not shared along', inputShape);
      return d;
    });
  }

  protected override buildWeights(inputShape: SymbolicShape): void {
    const o = this.options;
    this.alpha = this.addWeight(
      'alpha',
      this.alphaShape(inputShape),
      o.alphaInitializer,
      o.alphaRegularizer,
      o.alphaConstraint,
    );
  }

  protected override call(x: Tensor, _context: CallContext): Tensor {
    if (this.alpha === null) throw new StateError(this.where, 'was called before it was built');
    return prelu(x, this.alpha);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (inputShape.length < 2) this.rejectInput('rank ≥ 2 [batch, ...]', inputShape);
    this.alphaShape(inputShape);
    return inputShape;
  }
}
