/**
 * Merge layers (Keras `Add`, `Subtract`, `Multiply`, `Average`, `Maximum`, `Minimum`, `Concatenate`): they take a
 * list of two or more tensors — a residual connection is `add([x, shortcut])` — and have no weights.
 * Elementwise merges need equal shapes (an unknown batch dimension matches any); `Concatenate` joins along `axis`.
 */
import { ConfigError, ShapeError } from '../errors.js';
import { add, maximum, minimum, mul, sub } from '../ops/arithmetic.js';
import { concat } from '../ops/merge.js';
import type { Tensor } from '../tensor.js';
import { type BaseLayerConfig, type CallContext, Layer, type LayerArgs, type NoOptions } from './layer.js';
import { formatSymbolicShape, type SymbolicShape } from './shape.js';
import { type ArgsOf, type OptionContext, optional, type SavedOptions, type Spec } from './spec.js';

const listShapes = (shapes: readonly SymbolicShape[]): string => shapes.map(formatSymbolicShape).join(', ');

/** What every merge layer shares: a list of inputs, checked and built once for their shapes. */
export abstract class MergeLayer<S extends Spec = NoOptions> extends Layer<S> {
  private mergedShapes: readonly SymbolicShape[] | null = null;

  /** Merges need a list; a single tensor is refused (as Keras does). */
  protected override call(_x: Tensor, _context: CallContext): Tensor {
    throw new ConfigError(this.where, 'takes a list of at least 2 inputs, received 1 tensor');
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return this.outputShapeFor([inputShape]);
  }

  override outputShapeFor(inputShapes: readonly SymbolicShape[]): SymbolicShape {
    if (inputShapes.length < 2) {
      throw new ConfigError(this.where, `takes a list of at least 2 inputs, received ${inputShapes.length}`);
    }
    return this.mergedShape(inputShapes);
  }

  /** The output shape of inputs of these shapes (at least two); throws a ShapeError naming them when they differ. */
  protected abstract mergedShape(inputShapes: readonly SymbolicShape[]): SymbolicShape;

  /** The merge itself, on tensors whose shapes `mergedShape` accepted. */
  protected abstract merge(inputs: readonly Tensor[]): Tensor;

  override get built(): boolean {
    return this.mergedShapes !== null;
  }

  override buildFor(inputShapes: readonly SymbolicShape[]): void {
    this.outputShapeFor(inputShapes);
    this.mergedShapes ??= inputShapes.map((s) => [null, ...s.slice(1)]);
  }

  protected override callInputs(inputs: readonly Tensor[], _context: CallContext): Tensor {
    const shapes = inputs.map((t) => [null, ...t.shape.slice(1)]);
    this.buildFor(shapes);
    return this.merge(inputs);
  }

  /** Equal shapes (null matches anything), else a ShapeError listing them. */
  protected sameShape(inputShapes: readonly SymbolicShape[]): SymbolicShape {
    const [first, ...rest] = inputShapes;
    const fits = (a: number | null | undefined, b: number | null | undefined): boolean =>
      a === null || b === null || a === b;
    const ok =
      first !== undefined && rest.every((s) => s.length === first.length && s.every((d, i) => fits(d, first[i])));
    if (!ok || first === undefined) {
      throw new ShapeError(this.where, `inputs must have the same shape, received ${listShapes(inputShapes)}`);
    }
    return first.map((d, i) => d ?? rest.find((s) => s[i] !== null)?.[i] ?? null);
  }
}

export type MergeArgs = LayerArgs;
export type MergeConfig = BaseLayerConfig;

/** A merge applying a binary op left to right: ((x0 op x1) op x2) … */
abstract class ElementwiseMerge extends MergeLayer {
  protected abstract readonly op: (a: Tensor, b: Tensor) => Tensor;

  constructor(args: MergeArgs = {}) {
    super(args, {});
  }

  protected mergedShape(inputShapes: readonly SymbolicShape[]): SymbolicShape {
    return this.sameShape(inputShapes);
  }

  protected merge(inputs: readonly Tensor[]): Tensor {
    const [first, ...rest] = inputs;
    if (first === undefined) throw new ConfigError(this.where, 'takes a list of at least 2 inputs, received 0');
    return rest.reduce((sum, x) => this.op(sum, x), first);
  }
}

/** x0 + x1 + … */
export class Add extends ElementwiseMerge {
  static override readonly className = 'Add';
  protected readonly op = add;
}

/** x0 · x1 · … (elementwise) */
export class Multiply extends ElementwiseMerge {
  static override readonly className = 'Multiply';
  protected readonly op = mul;
}

/** max(x0, x1, …) elementwise */
export class Maximum extends ElementwiseMerge {
  static override readonly className = 'Maximum';
  protected readonly op = maximum;
}

/** min(x0, x1, …) elementwise */
export class Minimum extends ElementwiseMerge {
  static override readonly className = 'Minimum';
  protected readonly op = minimum;
}

/** (x0 + x1 + …) / n */
export class Average extends ElementwiseMerge {
  static override readonly className = 'Average';
  protected readonly op = add;
  protected override merge(inputs: readonly Tensor[]): Tensor {
    return mul(super.merge(inputs), 1 / inputs.length);
  }
}

/** x0 − x1: exactly two inputs (Keras `Subtract`). */
export class Subtract extends ElementwiseMerge {
  static override readonly className = 'Subtract';
  protected readonly op = sub;
  protected override mergedShape(inputShapes: readonly SymbolicShape[]): SymbolicShape {
    if (inputShapes.length !== 2) {
      throw new ConfigError(this.where, `takes exactly 2 inputs, received ${inputShapes.length}`);
    }
    return super.mergedShape(inputShapes);
  }
}

/** An axis option: an integer (negative counts from the end). */
function integerAxis(value: number, { fail }: OptionContext): number {
  return Number.isInteger(value) ? value : fail('an integer', value);
}

const CONCATENATE_OPTIONS = {
  /** The axis to join along; default -1 (channels, in NHWC). The batch axis (0) cannot be joined. */
  axis: optional(-1, integerAxis),
};

export type ConcatenateArgs = LayerArgs & ArgsOf<typeof CONCATENATE_OPTIONS>;
export type ConcatenateConfig = BaseLayerConfig & SavedOptions<typeof CONCATENATE_OPTIONS>;

/** Joins along `axis`; every other dimension must agree. */
export class Concatenate extends MergeLayer<typeof CONCATENATE_OPTIONS> {
  static override readonly className = 'Concatenate';
  constructor(args: ConcatenateArgs = {}) {
    super(args, CONCATENATE_OPTIONS);
  }

  /** The axis as an index of a rank-`rank` shape (0 excluded); a ShapeError when out of range. */
  private axisOf(rank: number): number {
    const { axis } = this.options;
    const at = axis < 0 ? axis + rank : axis;
    if (at < 1 || at >= rank) {
      throw new ShapeError(this.where, `\`axis\` ${axis} does not name a non-batch axis of rank-${rank} inputs`);
    }
    return at;
  }

  protected mergedShape(inputShapes: readonly SymbolicShape[]): SymbolicShape {
    const [first] = inputShapes;
    const rank = first?.length ?? 0;
    const at = this.axisOf(rank);
    const ok =
      first !== undefined &&
      inputShapes.every(
        (s) => s.length === rank && s.every((d, i) => i === at || d === null || first[i] === null || d === first[i]),
      );
    if (!ok || first === undefined) {
      throw new ShapeError(
        this.where,
        `inputs must match on every axis but ${at}, received ${listShapes(inputShapes)}`,
      );
    }
    const joined = inputShapes.reduce<number | null>(
      (n, s) => (n === null || s[at] === null ? null : n + (s[at] ?? 0)),
      0,
    );
    return first.map((d, i) => (i === at ? joined : d));
  }

  protected merge(inputs: readonly Tensor[]): Tensor {
    return concat(inputs, this.axisOf(inputs[0]?.rank ?? 0));
  }
}
