/**
 * The layer lifecycle (as in Keras): validate the config in the constructor, create weights lazily in
 * `build(inputShape)` on first use, compute in `call(x, context)`, report `computeOutputShape`, and round-trip
 * through `getConfig()` / `fromConfig()`. Layers compose ops; they never write backward code.
 */
import type { Constraint } from '../constraints.js';
import { engine, tidy } from '../engine.js';
import { CnnlabError, ConfigError, quote, ShapeError, StateError } from '../errors.js';
import type { Initializer } from '../initializers.js';
import { add } from '../ops/arithmetic.js';
import type { Random } from '../random.js';
import type { Regularizer } from '../regularizers.js';
import type { Shape } from '../shape.js';
import { Tensor, Variable } from '../tensor.js';
import { layerNames, snakeCase } from './names.js';
import { type ArgsOf, resolveOptions, type Resolved, type SavedOptions, saveOptions, type Spec } from './spec.js';

import { formatSymbolicShape, type SymbolicShape } from './shape.js';
import { isList, type LayerCall, SymbolicTensor } from './symbolic.js';

export { formatSymbolicShape, type SymbolicShape };

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
  /** The seeded generator for dropout masks, so a run repeats exactly (a training call of a dropout layer without
   * its own `seed` needs it). */
  readonly random?: Random;
  /** Activity-regularization penalties computed during the call are pushed here, to join the loss. */
  readonly losses?: Tensor[];
}

const show = (received: unknown): string => (typeof received === 'string' ? received : JSON.stringify(received));

/** A weight and what the base layer does with it: its penalty joins the loss, its constraint follows each step. */
interface Weight {
  readonly variable: Variable;
  readonly regularizer: Regularizer | null;
  readonly constraint: Constraint | null;
  readonly trainable: boolean;
}

/** A layer without options of its own. */
// eslint-disable-next-line @typescript-eslint/no-generated-empty-object-type -- intended: a spec without keys is `{}`
export type NoOptions = Record<never, never>;

/**
 * The base of every layer. `S` is the layer's option spec (see spec.ts): the constructor resolves and checks the
 * options into `options`, and `getConfig()` writes them. Subclasses declare `static readonly className`, which
 * the base reads (`new.target`) for configs, default names and messages.
 */
export abstract class Layer<S extends Spec = NoOptions> {
  /** The Keras/tfjs class name, used in configs and model files; each layer class declares its own. */
  static readonly className: string = 'Layer';
  /** The class's `className`. */
  readonly className: string;
  readonly name: string;
  readonly batchInputShape: SymbolicShape | undefined;
  /** The layer's own options, checked and with defaults resolved. */
  readonly options: Resolved<S>;
  private readonly spec: S;
  private trainableFlag: boolean;
  private readonly weightList: Weight[] = [];
  private builtInputShape: SymbolicShape | null = null;
  /** The generator `build` was given, for `addWeight`'s unseeded initializers while the weights are created. */
  private buildSeeds: Random | undefined = undefined;

  constructor(args: LayerArgs & ArgsOf<S>, spec: S) {
    this.className = new.target.className;
    this.name = args.name ?? layerNames.unique(snakeCase(this.className));
    this.trainableFlag = args.trainable ?? true;
    for (const [argument, shape] of [
      ['batchInputShape', args.batchInputShape],
      ['inputShape', args.inputShape],
    ] as const) {
      if (shape !== undefined && !Array.isArray(shape)) this.fail(argument, 'an array of dimensions', String(shape));
    }
    if (args.batchInputShape !== undefined) this.batchInputShape = [...args.batchInputShape];
    else if (args.inputShape !== undefined) this.batchInputShape = [null, ...args.inputShape];
    else this.batchInputShape = undefined;
    for (const dim of this.batchInputShape?.slice(1) ?? []) {
      if (dim === null || !Number.isInteger(dim) || dim <= 0) {
        this.fail(
          'inputShape',
          'positive integers',
          `[${args.inputShape?.join(', ') ?? args.batchInputShape?.join(', ')}]`,
        );
      }
    }
    this.spec = spec;
    this.options = resolveOptions(spec, args, this.where, (argument, expected, received) =>
      this.fail(argument, expected, received),
    );
  }

  /** The layer as messages name it: `Conv2D 'conv2d_1'`. */
  protected get where(): string {
    return `${this.className} ${quote(this.name)}`;
  }

  /** Throws ``Conv2D 'conv2d_1': `filters` must be a positive integer, received 0`` (a ConfigError). */
  protected fail(argument: string, expected: string, received: unknown): never {
    throw new ConfigError(this.where, `\`${argument}\` must be ${expected}, received ${show(received)}`);
  }

  /**
   * Runs an op's geometry function, restating its CnnlabError under the layer:
   * `conv2d: the filter…` → `Conv2D 'c': the filter…`.
   */
  protected restate<T>(compute: () => T): T {
    try {
      return compute();
    } catch (error) {
      throw error instanceof CnnlabError ? error.restated(this.where) : error;
    }
  }

  /** Throws ``Conv2D 'c': `input shape` must be rank 4 …, received [null, 3]`` (a ShapeError). */
  protected rejectInput(expected: string, received: SymbolicShape | string): never {
    const shown = typeof received === 'string' ? received : formatSymbolicShape(received);
    throw new ShapeError(this.where, `\`input shape\` must be ${expected}, received ${shown}`);
  }

  get built(): boolean {
    return this.builtInputShape !== null;
  }

  /** The input shape the layer was built for. */
  get inputShape(): SymbolicShape {
    if (this.builtInputShape === null) throw new StateError(this.where, 'has not been built yet');
    return this.builtInputShape;
  }

  get trainable(): boolean {
    return this.trainableFlag;
  }

  /** Freezing a layer freezes its trainable weights; non-trainable weights (moving statistics) stay so. */
  set trainable(value: boolean) {
    this.trainableFlag = value;
    for (const w of this.weightList) if (w.trainable) w.variable.trainable = value;
  }

  /** All weights, in creation order (the order of getWeights/setWeights and of model files). */
  get weights(): readonly Variable[] {
    return this.weightList.map((w) => w.variable);
  }

  get trainableWeights(): readonly Variable[] {
    return this.trainableFlag ? this.weightList.filter((w) => w.trainable).map((w) => w.variable) : [];
  }

  get nonTrainableWeights(): readonly Variable[] {
    return this.weightList.filter((w) => !this.trainableFlag || !w.trainable).map((w) => w.variable);
  }

  countParams(): number {
    return this.weightList.reduce((n, w) => n + w.variable.size, 0);
  }

  /**
   * Creates a weight from its initializer (Keras 3's `add_weight`); called from `buildWeights`. Its regularizer's
   * penalty joins `regularizationLoss()` and its constraint runs in `applyConstraints()`. Non-trainable weights
   * (moving statistics) never receive gradients.
   */
  protected addWeight(
    name: string,
    shape: Shape,
    initializer: Initializer,
    regularizer: Regularizer | null = null,
    constraint: Constraint | null = null,
    trainable = true,
  ): Variable {
    const initial = initializer.apply(shape, this.buildSeeds);
    const variable = new Variable(initial, `${this.name}/${name}`, trainable && this.trainableFlag);
    initial.dispose();
    this.weightList.push({ variable, regularizer, constraint, trainable });
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
    this.buildSeeds = seeds;
    try {
      engine.noGrad(() => this.buildWeights?.(inputShape));
    } finally {
      this.buildSeeds = undefined;
    }
    this.builtInputShape = [...inputShape];
  }

  /** Defined by layers that have weights, to create them (with `addWeight`). */
  protected buildWeights?(inputShape: SymbolicShape): void;

  /** Rank and size checks common to every layer: the declared input shape, then the shape built for. */
  private checkInputShape(inputShape: SymbolicShape): void {
    const expected = this.builtInputShape ?? this.batchInputShape;
    if (expected === undefined) return;
    const matches =
      expected.length === inputShape.length &&
      expected.every((dim, i) => i === 0 || dim === null || dim === inputShape[i]);
    if (!matches) {
      throw new ShapeError(
        this.where,
        `expected input shape ${formatSymbolicShape(expected)}, received ${formatSymbolicShape(inputShape)}`,
      );
    }
  }

  /**
   * Calls the layer. On tensors: builds on first use, checks the input shape, computes. On symbolic tensors (the
   * functional API): builds for their shapes and records the call, returning its symbolic output. Merge layers take
   * a list of two or more inputs; every other layer takes one.
   */
  apply(x: Tensor | readonly Tensor[], context?: CallContext): Tensor;
  apply(x: SymbolicTensor | readonly SymbolicTensor[]): SymbolicTensor;
  apply(
    x: Tensor | readonly Tensor[] | SymbolicTensor | readonly SymbolicTensor[],
    context: CallContext = { training: false },
  ): Tensor | SymbolicTensor {
    const inputs: readonly (Tensor | SymbolicTensor)[] = isList<Tensor | SymbolicTensor>(x) ? x : [x];
    const symbolic = inputs.filter((i) => i instanceof SymbolicTensor);
    if (symbolic.length === inputs.length && symbolic.length > 0) return this.applySymbolic(symbolic);
    const tensors = inputs.filter((i) => i instanceof Tensor);
    if (tensors.length === inputs.length) return this.callInputs(tensors, context);
    throw new ConfigError(
      this.where,
      'apply takes tensors, or symbolic tensors (from `input()` or another layer), not a mix of both or other values',
    );
  }

  /** The calls recorded by applying the layer to symbolic tensors, in order (Keras' inbound nodes). */
  get calls(): readonly LayerCall[] {
    return this.callList;
  }

  private readonly callList: LayerCall[] = [];

  private applySymbolic(inputs: readonly SymbolicTensor[]): SymbolicTensor {
    const shapes = inputs.map((i) => i.shape);
    this.buildFor(shapes);
    return this.recordCall(inputs, new SymbolicTensor(this.outputShapeFor(shapes)));
  }

  /** Records a call of the layer on symbolic `inputs` producing `output`; returns `output`. */
  protected recordCall(inputs: readonly SymbolicTensor[], output: SymbolicTensor): SymbolicTensor {
    this.callList.push(SymbolicTensor.produce(this, this.callList.length, inputs, output));
    return output;
  }

  /** The one input of a single-input layer; a list of another length is refused, naming the layer. */
  private single<T>(inputs: readonly T[]): T {
    const [only] = inputs;
    if (inputs.length !== 1 || only === undefined) {
      throw new ConfigError(this.where, `takes exactly one input, received ${inputs.length}`);
    }
    return only;
  }

  /**
   * The output shape for the inputs' shapes. Single-input layers take one (`computeOutputShape`); merge layers
   * override this for several.
   */
  outputShapeFor(inputShapes: readonly SymbolicShape[]): SymbolicShape {
    return this.computeOutputShape(this.single(inputShapes));
  }

  /** Builds for the inputs' shapes (see `outputShapeFor`); `seeds` as in `build`. */
  buildFor(inputShapes: readonly SymbolicShape[], seeds?: Random): void {
    this.build(this.single(inputShapes), seeds);
  }

  /** Computes on concrete inputs: builds on first use, checks shapes, calls. Merge layers override it. */
  protected callInputs(inputs: readonly Tensor[], context: CallContext): Tensor {
    const x = this.single(inputs);
    if (this.builtInputShape === null) this.build([null, ...x.shape.slice(1)]);
    else this.checkInputShape([null, ...x.shape.slice(1)]);
    return this.call(x, context);
  }

  /** The computation. Compose ops; gradients follow from them. */
  protected abstract call(x: Tensor, context: CallContext): Tensor;

  /** The output shape for an input shape, without computing anything. Throws for shapes the layer cannot take. */
  abstract computeOutputShape(inputShape: SymbolicShape): SymbolicShape;

  /**
   * Multiply-adds of one call per example (the batch excluded), for `summary()`. The convention is Keras-style MACs:
   * only the multiply-accumulates of convolutions and dense layers count (bias, activation, normalization, pooling
   * and merges count 0). NaN where a size it depends on is unknown.
   */
  multiplyAdds(_inputShapes: readonly SymbolicShape[], _outputShape: SymbolicShape): number {
    return 0;
  }

  /** The base fields and the layer's options as plain JSON; `new Class(getConfig())` rebuilds an equal layer. */
  getConfig(): BaseLayerConfig & SavedOptions<S> {
    const base: BaseLayerConfig =
      this.batchInputShape === undefined
        ? { name: this.name, trainable: this.trainableFlag }
        : { name: this.name, trainable: this.trainableFlag, batchInputShape: this.batchInputShape };
    return { ...base, ...saveOptions(this.spec, this.options) };
  }

  /** Rebuilds a layer from `getConfig()`'s output: `Dense.fromConfig(config)`. */
  static fromConfig<Args, L>(this: new (args: Args) => L, config: Args): L {
    return new this(config);
  }

  /**
   * A config as Keras writes it, for an input of rank `inputRank`, in the form the constructor takes (Keras'
   * spellings of this class's options that tfjs writes otherwise). The identity unless a class overrides it.
   */
  static fromKerasConfig<C extends Readonly<Record<string, unknown>>>(config: C, _inputRank: number): C {
    return config;
  }

  /** Copies of the weights' values, in `weights` order. */
  getWeights(): Tensor[] {
    return this.weightList.map((w) => w.variable.clone());
  }

  /** Overwrites the weights' values, in `weights` order; shapes must match. */
  setWeights(values: readonly Tensor[]): void {
    if (values.length !== this.weightList.length) {
      throw new ConfigError(
        this.where,
        `setWeights expected ${this.weightList.length} tensors, received ${values.length}`,
      );
    }
    this.weightList.forEach((w, i) => {
      const value = values[i];
      if (value !== undefined) w.variable.assign(value);
    });
  }

  /** Σ of the penalties of the weights created with a regularizer, or null when none was. */
  regularizationLoss(): Tensor | null {
    let total: Tensor | null = null;
    for (const { variable, regularizer } of this.weightList) {
      if (regularizer === null) continue;
      const penalty = regularizer.penalty(variable);
      total = total === null ? penalty : add(total, penalty);
    }
    return total;
  }

  /** Replaces each weight created with a constraint by its constrained value (run after an optimizer step). */
  applyConstraints(): void {
    for (const { variable, constraint } of this.weightList) {
      if (constraint !== null) tidy(() => variable.assign(constraint.apply(variable)));
    }
  }
}
