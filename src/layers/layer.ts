/**
 * The layer lifecycle (as in Keras): validate the config in the constructor, create weights lazily in
 * `build(inputShape)` on first use, compute in `call(x, context)`, report `computeOutputShape`, and round-trip
 * through `getConfig()` / `fromConfig()`. Layers compose ops; they never write backward code.
 */
import { engine } from '../engine.js';
import type { Random } from '../random.js';
import { type Tensor, Variable } from '../tensor.js';

/** A shape whose batch dimension (first) may be unknown: `[null, 28, 28, 1]`. */
export type SymbolicShape = readonly (number | null)[];

/** Options every layer takes (tfjs `LayerArgs`). */
export interface LayerArgs {
  /** Unique within a model; generated from the class name when omitted (`conv2d_1`). */
  readonly name?: string;
  /** False freezes the layer: its weights get no gradients and no updates. */
  readonly trainable?: boolean;
  /** Input shape without the batch dimension; only the first layer of a model needs it. */
  readonly inputShape?: readonly number[];
  /** Input shape with the batch dimension (null for any batch size). */
  readonly batchInputShape?: SymbolicShape;
}

/** The fields every layer's config carries (what `getConfig()` returns besides its own options). */
export interface BaseLayerConfig {
  readonly name: string;
  readonly trainable: boolean;
  readonly batchInputShape?: SymbolicShape;
}

/** What a call needs besides its input. Passed explicitly: there is no global training flag. */
export interface CallContext {
  /** True while fitting: dropout drops, batch normalization uses and updates batch statistics. */
  readonly training: boolean;
  /** The seeded generator for dropout masks, so a run repeats exactly. */
  readonly random?: Random;
  /** Activity-regularization penalties computed during the call are pushed here, to join the loss. */
  readonly losses?: Tensor[];
}

export function formatSymbolicShape(shape: SymbolicShape): string {
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
}

const nameCounts = new Map<string, number>();

/** `conv2d`, `conv2d_1`, `conv2d_2`, … as Keras names layers. */
function uniqueName(prefix: string): string {
  const count = nameCounts.get(prefix) ?? 0;
  nameCounts.set(prefix, count + 1);
  return count === 0 ? prefix : `${prefix}_${count}`;
}

/** `MaxPooling2D` → `max_pooling2d`, `Conv2D` → `conv2d`: Keras' rule for default name prefixes. */
function snakeCase(className: string): string {
  return className.replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

export abstract class Layer<Config extends BaseLayerConfig = BaseLayerConfig> {
  /** The Keras/tfjs class name, used in configs and model files. */
  abstract readonly className: string;
  readonly name: string;
  readonly batchInputShape: SymbolicShape | undefined;
  private trainableFlag: boolean;
  private readonly variables: Variable[] = [];
  private builtInputShape: SymbolicShape | null = null;

  /** The class name for messages raised before subclass fields exist (during the base constructor). */
  private readonly classForErrors: string;

  constructor(args: LayerArgs, defaultPrefix: string) {
    this.classForErrors = defaultPrefix;
    this.name = args.name ?? uniqueName(snakeCase(defaultPrefix));
    this.trainableFlag = args.trainable ?? true;
    for (const [argument, shape] of [['batchInputShape', args.batchInputShape], ['inputShape', args.inputShape]] as const) {
      if (shape !== undefined && !Array.isArray(shape)) this.fail(argument, 'an array of dimensions', String(shape));
    }
    if (args.batchInputShape !== undefined) this.batchInputShape = [...args.batchInputShape];
    else if (args.inputShape !== undefined) this.batchInputShape = [null, ...args.inputShape];
    else this.batchInputShape = undefined;
    for (const dim of this.batchInputShape?.slice(1) ?? []) {
      if (dim === null || !Number.isInteger(dim) || dim <= 0) {
        this.fail('inputShape', 'positive integers', `[${args.inputShape?.join(', ') ?? args.batchInputShape?.join(', ')}]`);
      }
    }
  }

  /** Throws ``Conv2D 'conv2d_1': `filters` must be a positive integer, received 0``. */
  protected fail(argument: string, expected: string, received: unknown): never {
    const shown = typeof received === 'string' ? received : JSON.stringify(received);
    throw new Error(`${this.className ?? this.classForErrors} '${this.name}': \`${argument}\` must be ${expected}, received ${shown}`);
  }

  get built(): boolean {
    return this.builtInputShape !== null;
  }

  /** The input shape the layer was built for. */
  get inputShape(): SymbolicShape {
    if (this.builtInputShape === null) throw new Error(`${this.className} '${this.name}' has not been built yet`);
    return this.builtInputShape;
  }

  get trainable(): boolean {
    return this.trainableFlag;
  }

  /** Freezing a layer freezes its trainable weights; non-trainable weights (moving statistics) stay so. */
  set trainable(value: boolean) {
    this.trainableFlag = value;
    for (const v of this.variables) if (this.isTrainableWeight(v)) v.trainable = value;
  }

  private readonly nonTrainableSet = new Set<Variable>();

  private isTrainableWeight(v: Variable): boolean {
    return !this.nonTrainableSet.has(v);
  }

  /** All weights, in creation order (the order of getWeights/setWeights and of model files). */
  get weights(): readonly Variable[] {
    return this.variables;
  }

  get trainableWeights(): readonly Variable[] {
    return this.trainableFlag ? this.variables.filter((v) => this.isTrainableWeight(v)) : [];
  }

  get nonTrainableWeights(): readonly Variable[] {
    return this.trainableFlag ? this.variables.filter((v) => !this.isTrainableWeight(v)) : [...this.variables];
  }

  countParams(): number {
    return this.variables.reduce((n, v) => n + v.size, 0);
  }

  /** Creates a weight; called from `build`. Non-trainable weights (moving statistics) never receive gradients. */
  protected addWeight(name: string, initial: Tensor, trainable = true): Variable {
    const variable = new Variable(initial, `${this.name}/${name}`, trainable && this.trainableFlag);
    initial.dispose();
    if (!trainable) this.nonTrainableSet.add(variable);
    this.variables.push(variable);
    return variable;
  }

  /**
   * Creates the weights for an input shape. Called once, by `apply`, unless called by hand first (a Sequential does,
   * passing its generator as `seeds`: where unseeded initializers take their seeds, see `generatorFor`).
   */
  build(inputShape: SymbolicShape, seeds?: Random): void {
    if (this.builtInputShape !== null) return;
    this.checkInputShape(inputShape);
    this.computeOutputShape(inputShape); // rejects shapes the layer cannot take, before any weight exists
    engine.noGrad(() => this.buildWeights(inputShape, seeds));
    this.builtInputShape = [...inputShape];
  }

  /** Override to create weights; throw (via `fail`) on an input shape the layer cannot take. */
  protected buildWeights(_inputShape: SymbolicShape, _seeds: Random | undefined): void {}

  /** Rank and size checks common to every layer: the declared input shape, then the shape built for. */
  private checkInputShape(inputShape: SymbolicShape): void {
    const expected = this.builtInputShape ?? this.batchInputShape;
    if (expected === undefined) return;
    const matches = expected.length === inputShape.length
      && expected.every((dim, i) => i === 0 || dim === null || dim === inputShape[i]);
    if (!matches) {
      throw new Error(`${this.className} '${this.name}': expected input shape ${formatSymbolicShape(expected)}, received ${formatSymbolicShape(inputShape)}`);
    }
  }

  /** Builds on first use, checks the input shape, and calls the layer. */
  apply(x: Tensor, context: CallContext = { training: false }): Tensor {
    if (this.builtInputShape === null) this.build([null, ...x.shape.slice(1)]);
    else this.checkInputShape([null, ...x.shape.slice(1)]);
    return this.call(x, context);
  }

  /** The computation. Compose ops; gradients follow from them. */
  protected abstract call(x: Tensor, context: CallContext): Tensor;

  /** The output shape for an input shape, without computing anything. Throws for shapes the layer cannot take. */
  abstract computeOutputShape(inputShape: SymbolicShape): SymbolicShape;

  /** The layer's own options, with defaults resolved; `fromConfig(getConfig())` rebuilds an equal layer. */
  abstract getConfig(): Config;

  protected baseConfig(): BaseLayerConfig {
    return this.batchInputShape === undefined
      ? { name: this.name, trainable: this.trainableFlag }
      : { name: this.name, trainable: this.trainableFlag, batchInputShape: this.batchInputShape };
  }

  /** Copies of the weights' values, in `weights` order. */
  getWeights(): Tensor[] {
    return this.variables.map((v) => v.clone());
  }

  /** Overwrites the weights' values, in `weights` order; shapes must match. */
  setWeights(values: readonly Tensor[]): void {
    if (values.length !== this.variables.length) {
      throw new Error(`${this.className} '${this.name}': setWeights expected ${this.variables.length} tensors, received ${values.length}`);
    }
    this.variables.forEach((v, i) => {
      const value = values[i];
      if (value !== undefined) v.assign(value);
    });
  }

  /** The weight-regularization penalty (kernel and bias regularizers), or null if the layer has none. */
  regularizationLoss(): Tensor | null {
    return null;
  }

  /** Applies weight constraints after an optimizer step. */
  applyConstraints(): void {}
}
