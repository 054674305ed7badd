/**
 * Sequential: a stack of layers, each feeding the next (Keras `Sequential`, tfjs `tf.sequential`).
 * This file holds the container — adding layers, checking that their shapes fit, the forward pass and the weights.
 * Training builds on it in compile.ts, fit.ts and evaluate.ts; saving and loading live in saving.ts and loading.ts.
 */
import { ConfigError, errorMessage, quote, ShapeError, StateError } from '../errors.js';
import { type CallContext, formatSymbolicShape, Layer, type SymbolicShape } from '../layers/layer.js';
import type { ModelTopology } from '../io/model-json.js';
import { deserializeLayer, type SerializedLayer, serializeLayer } from '../layers/registry.js';
import { Random } from '../random.js';
import type { SymbolicTensor } from '../layers/symbolic.js';
import { Tensor } from '../tensor.js';
import { LayersModel } from './layers-model.js';
import { refuseNested } from './nested.js';
import type { SummaryRow } from './summary.js';

export interface SequentialArgs {
  readonly layers?: readonly Layer[];
  readonly name?: string;
  /**
   * Seeds the initial weights that have no seed of their own, drawn layer by layer as layers are added: the same
   * seed and layers give the same weights, whatever else the process built before. Without it, a random seed.
   */
  readonly seed?: number;
}

export interface SequentialConfig {
  readonly name: string;
  readonly layers: readonly SerializedLayer[];
}

export class Sequential extends LayersModel {
  private readonly stack: Layer[] = [];
  private shapes: SymbolicShape[] = [];
  /** Where the unseeded initializers of added layers take their seeds; without `seed`, Math.random (`generatorFor`). */
  private readonly weightSeeds: Random | undefined;
  constructor(args: SequentialArgs = {}) {
    super(args.name ?? 'sequential');
    if (args.seed !== undefined && !Number.isFinite(args.seed)) {
      throw new ConfigError(this.where, `\`seed\` must be a finite number, received ${args.seed}`);
    }
    this.weightSeeds = args.seed === undefined ? undefined : new Random(args.seed);
    for (const layer of args.layers ?? []) this.add(layer);
  }

  get layers(): readonly Layer[] {
    return this.stack;
  }

  protected get where(): string {
    return `Sequential ${quote(this.name)}`;
  }

  protected summaryRows(): readonly SummaryRow[] {
    return this.stack.map((layer, i) => ({
      layer,
      inputShapes: [(i === 0 ? layer.batchInputShape : this.shapes[i - 1]) ?? []],
      outputShape: this.shapes[i] ?? [],
    }));
  }

  /**
   * Appends a layer. Once the model's input shape is known (the first layer declares it), each added layer is built
   * at once, so a layer that cannot take its predecessor's output fails here, naming both.
   */
  add(layer: Layer): void {
    this.checkAlive('add');
    if (!(layer instanceof Layer)) throw new ConfigError(this.where, `add expected a Layer, received ${String(layer)}`);
    if (this.stack.some((l) => l.name === layer.name)) {
      throw new ConfigError(
        this.where,
        `a layer named ${quote(layer.name)} is already in the model; layer names must be unique`,
      );
    }
    if (this.stack.length === 0 && layer.batchInputShape === undefined) {
      throw new ConfigError(this.where, `the first layer (${quote(layer.name)}) must declare \`inputShape\``);
    }
    const previous = this.stack.length === 0 ? layer.batchInputShape : this.shapes[this.shapes.length - 1];
    if (previous === undefined) throw new ShapeError(this.where, `no input shape for layer ${quote(layer.name)}`);
    let output: SymbolicShape;
    try {
      layer.build(previous, this.weightSeeds);
      output = layer.computeOutputShape(previous);
    } catch (error) {
      const after =
        this.stack.length === 0
          ? 'as the first layer'
          : `after ${quote(this.stack[this.stack.length - 1]?.name)} (output ${formatSymbolicShape(previous)})`;
      throw new ShapeError(this.where, `layer ${quote(layer.name)} cannot be added ${after}: ${errorMessage(error)}`, {
        cause: error,
      });
    }
    this.stack.push(layer);
    this.hold(layer);
    this.shapes.push(output);
  }

  /** Input shape with a null batch dimension. */
  get inputShape(): SymbolicShape {
    const first = this.stack[0]?.batchInputShape;
    if (first === undefined) throw new StateError(undefined, `Sequential ${quote(this.name)} has no layers`);
    return first;
  }

  get outputShape(): SymbolicShape {
    const last = this.shapes[this.shapes.length - 1];
    if (last === undefined) throw new StateError(undefined, `Sequential ${quote(this.name)} has no layers`);
    return last;
  }

  /** One input, named after the first layer as Keras and tfjs name it (`dense_input`). */
  get inputNames(): readonly string[] {
    return [`${this.stack[0]?.name ?? this.name}_input`];
  }

  /** One output: the last layer's. */
  get outputNames(): readonly string[] {
    return [this.stack[this.stack.length - 1]?.name ?? this.name];
  }

  /** Output shape of each layer, in order. */
  get layerOutputShapes(): readonly SymbolicShape[] {
    return this.shapes;
  }

  /** The forward pass (see LayersModel.apply); on symbolic tensors, a call of this model as a layer. */
  apply(x: Tensor, context?: CallContext): Tensor;
  apply(x: SymbolicTensor | readonly SymbolicTensor[]): SymbolicTensor;
  apply(
    x: Tensor | SymbolicTensor | readonly SymbolicTensor[],
    context: CallContext = { training: false },
  ): Tensor | SymbolicTensor {
    if (!(x instanceof Tensor)) return this.asLayer().apply(x);
    this.checkAlive('apply');
    this.checkInput(x);
    let y = x;
    for (const layer of this.stack) y = layer.apply(y, context);
    return y;
  }

  /** The architecture as plain JSON: the model's name and each layer's `{className, config}`. */
  getConfig(): SequentialConfig {
    refuseNested(this.where, this.stack);
    return { name: this.name, layers: this.stack.map(serializeLayer) };
  }

  topology(): ModelTopology {
    return { className: 'Sequential', config: this.getConfig() };
  }

  /** Rebuilds a model (with fresh weights, seeded by `seed` as in SequentialArgs) from `getConfig()`. */
  static fromConfig(config: SequentialConfig, seed?: number): Sequential {
    return new Sequential({ name: config.name, layers: config.layers.map(deserializeLayer), seed });
  }
}
