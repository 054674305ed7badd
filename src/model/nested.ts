/**
 * A model used as a layer of another model (Keras: a Model is a Layer; here an adapter, so that LayersModel need
 * not be one): `inner.apply(symbolic)` in the functional API records a call of the inner model's `NestedModel`
 * layer. The adapter owns no weights: it lends the inner model's, so both models train the same variables, and the
 * outer model lists the inner one as one layer (one summary row, its weights once).
 */
import { ConfigError, ShapeError } from '../errors.js';
import type { ModelTopology } from '../io/model-json.js';
import { type CallContext, formatSymbolicShape, Layer, type SymbolicShape } from '../layers/layer.js';
import type { Tensor, Variable } from '../tensor.js';

/** What the adapter needs of a model (a LayersModel: Sequential or Model). */
export interface NestableModel {
  readonly name: string;
  readonly layers: readonly Layer[];
  readonly inputShapes: readonly SymbolicShape[];
  readonly outputShapes: readonly SymbolicShape[];
  trainable: boolean;
  readonly weights: readonly Variable[];
  readonly trainableWeights: readonly Variable[];
  readonly nonTrainableWeights: readonly Variable[];
  countParams(): number;
  getWeights(): Tensor[];
  setWeights(values: readonly Tensor[]): void;
  regularizationLoss(): Tensor | null;
  applyConstraints(): void;
  applyAll(xs: readonly Tensor[], context?: CallContext): Tensor[];
  topology(): ModelTopology;
}

export class NestedModel extends Layer {
  static override readonly className = 'NestedModel';
  /** The inner model's kind, as summaries and model files name it: 'Sequential' or 'Model'. */
  override readonly className: string;

  constructor(readonly model: NestableModel) {
    super({ name: model.name }, {});
    this.className = model.topology().className;
    if (model.outputShapes.length !== 1) {
      throw new ConfigError(
        this.where,
        `a nested model must have one output (a layer call gives one tensor), received ${model.outputShapes.length}`,
      );
    }
  }

  /** Throws a ShapeError unless the shapes fit the inner model's inputs, naming both. */
  private checkShapes(shapes: readonly SymbolicShape[]): void {
    const expected = this.model.inputShapes;
    const fits =
      shapes.length === expected.length &&
      expected.every((e, i) => {
        const s = shapes[i] ?? [];
        return s.length === e.length && e.every((d, j) => j === 0 || d === null || s[j] === null || d === s[j]);
      });
    if (!fits) {
      throw new ShapeError(
        this.where,
        `expected input shape(s) ${expected.map(formatSymbolicShape).join(', ')}, received ` +
          shapes.map(formatSymbolicShape).join(', '),
      );
    }
  }

  override outputShapeFor(inputShapes: readonly SymbolicShape[]): SymbolicShape {
    this.checkShapes(inputShapes);
    return this.model.outputShapes[0] ?? [];
  }

  /** The inner model is built already: only the shapes are checked. */
  override buildFor(inputShapes: readonly SymbolicShape[]): void {
    this.checkShapes(inputShapes);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return this.outputShapeFor([inputShape]);
  }

  protected override callInputs(inputs: readonly Tensor[], context: CallContext): Tensor {
    this.checkShapes(inputs.map((x) => [null, ...x.shape.slice(1)]));
    const [y] = this.model.applyAll(inputs, context);
    if (y === undefined) throw new ConfigError(this.where, 'the nested model computed no output');
    return y;
  }

  protected override call(x: Tensor, context: CallContext): Tensor {
    return this.callInputs([x], context);
  }

  override get trainable(): boolean {
    return this.model.trainable;
  }

  override set trainable(value: boolean) {
    this.model.trainable = value;
  }

  override get weights(): readonly Variable[] {
    return this.model.weights;
  }

  override get trainableWeights(): readonly Variable[] {
    return this.model.trainableWeights;
  }

  override get nonTrainableWeights(): readonly Variable[] {
    return this.model.nonTrainableWeights;
  }

  override countParams(): number {
    return this.model.countParams();
  }

  override getWeights(): Tensor[] {
    return this.model.getWeights();
  }

  override setWeights(values: readonly Tensor[]): void {
    this.model.setWeights(values);
  }

  override regularizationLoss(): Tensor | null {
    return this.model.regularizationLoss();
  }

  override applyConstraints(): void {
    this.model.applyConstraints();
  }

  /** Model files cannot hold nested models yet: saving refuses them, naming the nested model. */
  override getConfig(): never {
    refuseNested(this.where, [this]);
    throw new ConfigError(this.where, 'a nested model has no layer config');
  }
}

/** The layers as stored weights see them: a nested model's layers in place of the nested model. */
export function leafLayers(layers: readonly Layer[]): Layer[] {
  return layers.flatMap((l) => (l instanceof NestedModel ? leafLayers(l.model.layers) : [l]));
}

/**
 * Throws unless no layer is a nested model: model files cannot hold nested models yet (tfjs writes them as a layer
 * entry whose config is the nested topology; reading that back is not implemented).
 */
export function refuseNested(where: string, layers: readonly Layer[]): void {
  const nested = layers.find((l) => l instanceof NestedModel);
  if (nested === undefined) return;
  throw new ConfigError(
    where,
    `holds the nested ${nested.className} '${nested.name}'; saving nested models is not supported yet: save ` +
      `'${nested.name}' on its own, or build the outer model from its layers`,
  );
}
