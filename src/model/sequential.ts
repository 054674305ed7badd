/**
 * Sequential: a stack of layers, each feeding the next (Keras `Sequential`, tfjs `tf.sequential`).
 * This file holds the container — adding layers, checking that their shapes fit, the forward pass and the weights.
 * Training builds on it in compile.ts, fit.ts and evaluate.ts; saving and loading live in saving.ts and loading.ts.
 */
import { tidy } from '../engine.js';
import { add } from '../ops/arithmetic.js';
import { type CallContext, formatSymbolicShape, Layer, type SymbolicShape } from '../layers/layer.js';
import { formatShape } from '../shape.js';
import { Tensor, type Variable } from '../tensor.js';
import { Random } from '../random.js';
import type { SaveHandler } from '../io/handlers.js';
import { ConfigError, errorMessage, ShapeError, StateError } from '../errors.js';
import { deserializeLayer, type SerializedLayer, serializeLayer } from '../layers/registry.js';
import type { Optimizer } from '../optimizers/index.js';
import type { Loss } from '../losses.js';
import type { Metric } from '../metrics.js';
import type { Dataset } from '../data/dataset.js';
import { fromDataset, fromTensor, resolveCall, tensorExamples } from './batch.js';
import type { TrainingControl } from './callbacks/callback.js';
import { type CompileArgs, type Compiled, resolveCompileArgs } from './compile.js';
import { evaluateCompiled, predictBatched } from './evaluate.js';
import { type FitArgs, fitCompiled, type History, trainStep } from './fit.js';
import { saveModel } from './saving.js';
import { summaryLines } from './summary.js';

export interface SequentialArgs {
  readonly layers?: readonly Layer[];
  readonly name?: string;
  /**
   * Seeds the initial weights that have no seed of their own, drawn layer by layer as layers are added: the same
   * seed and layers give the same weights, whatever else the process built before. Without it, a random seed.
   */
  readonly seed?: number;
}

/** Options of evaluate and predict. */
export interface BatchArgs {
  /** Examples per batch. Default 32. */
  readonly batchSize?: number;
}

export interface SequentialConfig {
  readonly name: string;
  readonly layers: readonly SerializedLayer[];
}

/**
 * How many live (not disposed) models hold each layer: a layer shared by two models (transfer learning) keeps its
 * weights until the last of them is disposed.
 */
const holders = new WeakMap<Layer, number>();

export class Sequential implements TrainingControl {
  readonly name: string;
  /** Set by a callback (early stopping, NaN) to end fit after the current batch. */
  stopTraining = false;
  private compiled: Compiled | null = null;
  private readonly stack: Layer[] = [];
  private outputShapes: SymbolicShape[] = [];
  /** Where the unseeded initializers of added layers take their seeds; without `seed`, Math.random (`generatorFor`). */
  private readonly weightSeeds: Random | undefined;
  private disposed = false;

  constructor(args: SequentialArgs = {}) {
    this.name = args.name ?? 'sequential';
    if (args.seed !== undefined && !Number.isFinite(args.seed)) {
      throw new ConfigError(`Sequential '${this.name}'`, `\`seed\` must be a finite number, received ${args.seed}`);
    }
    this.weightSeeds = args.seed === undefined ? undefined : new Random(args.seed);
    for (const layer of args.layers ?? []) this.add(layer);
  }

  get layers(): readonly Layer[] {
    return this.stack;
  }

  /** Throws once the model is disposed: `what` (a method) cannot use it. */
  private checkAlive(what: string): void {
    if (this.disposed) throw new StateError(`Sequential '${this.name}'`, `${what}: the model was disposed`);
  }

  /**
   * Appends a layer. Once the model's input shape is known (the first layer declares it), each added layer is built
   * at once, so a layer that cannot take its predecessor's output fails here, naming both.
   */
  add(layer: Layer): void {
    this.checkAlive('add');
    if (!(layer instanceof Layer))
      throw new ConfigError(`Sequential '${this.name}'`, `add expected a Layer, received ${String(layer)}`);
    if (this.stack.some((l) => l.name === layer.name)) {
      throw new ConfigError(
        `Sequential '${this.name}'`,
        `a layer named '${layer.name}' is already in the model; layer names must be unique`,
      );
    }
    if (this.stack.length === 0 && layer.batchInputShape === undefined) {
      throw new ConfigError(
        `Sequential '${this.name}'`,
        `the first layer ('${layer.name}') must declare \`inputShape\``,
      );
    }
    const previous = this.stack.length === 0 ? layer.batchInputShape : this.outputShapes[this.outputShapes.length - 1];
    if (previous === undefined)
      throw new ShapeError(`Sequential '${this.name}'`, `no input shape for layer '${layer.name}'`);
    let output: SymbolicShape;
    try {
      layer.build(previous, this.weightSeeds);
      output = layer.computeOutputShape(previous);
    } catch (error) {
      const after =
        this.stack.length === 0
          ? 'as the first layer'
          : `after '${this.stack[this.stack.length - 1]?.name}' (output ${formatSymbolicShape(previous)})`;
      throw new ShapeError(
        `Sequential '${this.name}'`,
        `layer '${layer.name}' cannot be added ${after}: ${errorMessage(error)}`,
        { cause: error },
      );
    }
    this.stack.push(layer);
    holders.set(layer, (holders.get(layer) ?? 0) + 1);
    this.outputShapes.push(output);
  }

  /** Input shape with a null batch dimension. */
  get inputShape(): SymbolicShape {
    const first = this.stack[0]?.batchInputShape;
    if (first === undefined) throw new StateError(undefined, `Sequential '${this.name}' has no layers`);
    return first;
  }

  get outputShape(): SymbolicShape {
    const last = this.outputShapes[this.outputShapes.length - 1];
    if (last === undefined) throw new StateError(undefined, `Sequential '${this.name}' has no layers`);
    return last;
  }

  /** Output shape of each layer, in order. */
  get layerOutputShapes(): readonly SymbolicShape[] {
    return this.outputShapes;
  }

  /** The forward pass, recording gradients when they are recorded. Use `predict` for plain inference. */
  apply(x: Tensor, context: CallContext = { training: false }): Tensor {
    this.checkAlive('apply');
    this.checkInput(x);
    let y = x;
    for (const layer of this.stack) y = layer.apply(y, context);
    return y;
  }

  /** Inference on a batch (no dropout, moving statistics); intermediate tensors are freed. */
  predictOnBatch(x: Tensor): Tensor {
    return tidy(() => this.apply(x, { training: false }));
  }

  private checkInput(x: Tensor): void {
    const expected = this.inputShape;
    const ok = x.rank === expected.length && expected.every((d, i) => i === 0 || d === null || d === x.shape[i]);
    if (!ok) {
      throw new ShapeError(
        `Sequential '${this.name}'`,
        `expected input of shape ${formatSymbolicShape(expected)}, received ${formatShape(x.shape)}`,
      );
    }
  }

  get weights(): readonly Variable[] {
    this.checkAlive('weights');
    return this.stack.flatMap((l) => l.weights);
  }

  get trainableWeights(): readonly Variable[] {
    this.checkAlive('trainableWeights');
    return this.stack.flatMap((l) => l.trainableWeights);
  }

  get nonTrainableWeights(): readonly Variable[] {
    this.checkAlive('nonTrainableWeights');
    return this.stack.flatMap((l) => l.nonTrainableWeights);
  }

  /** The architecture as plain JSON: the model's name and each layer's `{className, config}`. */
  getConfig(): SequentialConfig {
    return { name: this.name, layers: this.stack.map(serializeLayer) };
  }

  /** Rebuilds a model (with fresh weights, seeded by `seed` as in SequentialArgs) from `getConfig()`. */
  static fromConfig(config: SequentialConfig, seed?: number): Sequential {
    return new Sequential({ name: config.name, layers: config.layers.map(deserializeLayer), seed });
  }

  // ---- training (compile, fit, evaluate, predict) ----

  /** Fixes the optimizer, loss and metrics for fit and evaluate. */
  compile(args: CompileArgs): void {
    this.checkAlive('compile');
    this.compiled = resolveCompileArgs(args);
  }

  private requireCompiled(what: string): Compiled {
    this.checkAlive(what);
    if (this.compiled === null) throw new StateError(`Sequential '${this.name}'`, `call compile() before ${what}()`);
    return this.compiled;
  }

  get optimizer(): Optimizer {
    return this.requireCompiled('optimizer').optimizer;
  }

  /** The loss `compile` fixed. */
  get loss(): Loss {
    return this.requireCompiled('loss').loss;
  }

  /** The metrics `compile` fixed. */
  get metrics(): readonly Metric[] {
    return this.requireCompiled('metrics').metrics;
  }

  /**
   * Trains for a number of epochs on tensors x, y, or on a host Dataset (its class ids are y, for a sparse categorical
   * loss); resolves to the per-epoch logs. A dataset's batches are gathered from its arrays one at a time, so a large
   * set never sits whole in backend memory; with the same seed both forms draw the same batches.
   */
  fit(x: Tensor, y: Tensor, args?: FitArgs): Promise<History>;
  fit(dataset: Dataset, args?: FitArgs): Promise<History>;
  async fit(x: Tensor | Dataset, yOrArgs?: Tensor | FitArgs, args?: FitArgs): Promise<History> {
    const compiled = this.requireCompiled('fit');
    const call = resolveCall('fit', x, yOrArgs, args);
    return fitCompiled(this, this, compiled, call.data, call.args ?? {});
  }

  /** One optimization step on one batch; returns its loss and metrics. */
  trainOnBatch(x: Tensor, y: Tensor, seed = 0): Record<string, number> {
    const compiled = this.requireCompiled('trainOnBatch');
    tensorExamples('trainOnBatch', x, y);
    for (const metric of compiled.metrics) metric.reset();
    const { loss } = trainStep(this, compiled, x, y, new Random(seed));
    const logs: Record<string, number> = { loss };
    for (const metric of compiled.metrics) logs[metric.name] = metric.result();
    return logs;
  }

  /** Mean loss and metrics in inference mode, over tensors x, y or a Dataset's samples: `{ loss, accuracy, … }`. */
  evaluate(x: Tensor, y: Tensor, args?: BatchArgs): Record<string, number>;
  evaluate(dataset: Dataset, args?: BatchArgs): Record<string, number>;
  evaluate(x: Tensor | Dataset, yOrArgs?: Tensor | BatchArgs, args?: BatchArgs): Record<string, number> {
    const compiled = this.requireCompiled('evaluate');
    const call = resolveCall('evaluate', x, yOrArgs, args);
    return evaluateCompiled(this, compiled, call.data, call.args?.batchSize ?? 32);
  }

  /** Outputs for every example of x (a tensor, or a Dataset's samples), batch by batch, in inference mode. */
  predict(x: Tensor | Dataset, args: BatchArgs = {}): Tensor {
    this.checkAlive('predict');
    if (x instanceof Tensor) {
      this.checkInput(x);
      return predictBatched(this, fromTensor('x', x), args.batchSize ?? 32);
    }
    return predictBatched(this, fromDataset('predict', x).x, args.batchSize ?? 32);
  }

  /**
   * Saves the architecture and weights in the TensorFlow.js layers-model format (tfjs `model.save`): to a save
   * handler, or a URL such as 'file://dir' or a plain path (registered by the Node entry, `cnnlab/node`).
   */
  async save(handlerOrUrl: SaveHandler | string): Promise<unknown> {
    this.checkAlive('save');
    return saveModel(this, handlerOrUrl);
  }

  getLearningRate(): number {
    return this.optimizer.currentLearningRate();
  }

  setLearningRate(value: number): void {
    this.optimizer.setLearningRate(value);
  }

  /** Prints the Keras-style summary table (to console.log unless another printer is given). */
  summary(print: (line: string) => void = console.log): void {
    for (const line of summaryLines(this)) print(line);
  }

  countParams(): number {
    return this.stack.reduce((n, l) => n + l.countParams(), 0);
  }

  getWeights(): Tensor[] {
    this.checkAlive('getWeights');
    return this.stack.flatMap((l) => l.getWeights());
  }

  /** Sets every layer's weights from a flat list in `weights` order. */
  setWeights(values: readonly Tensor[]): void {
    const expected = this.weights.length;
    if (values.length !== expected) {
      throw new ConfigError(
        `Sequential '${this.name}'`,
        `setWeights expected ${expected} tensors, received ${values.length}`,
      );
    }
    let offset = 0;
    for (const layer of this.stack) {
      layer.setWeights(values.slice(offset, offset + layer.weights.length));
      offset += layer.weights.length;
    }
  }

  /** Sum of the layers' weight-regularization penalties, or null when no layer has one. */
  regularizationLoss(): Tensor | null {
    let total: Tensor | null = null;
    for (const layer of this.stack) {
      const penalty = layer.regularizationLoss();
      if (penalty !== null) total = total === null ? penalty : add(total, penalty);
    }
    return total;
  }

  /** Applies each layer's weight constraints (after an optimizer step). */
  applyConstraints(): void {
    for (const layer of this.stack) layer.applyConstraints();
  }

  /**
   * Frees the model's weights (of the layers no other live model holds) and its optimizer's slots. Any later use of
   * the model throws a StateError naming it; disposing again does nothing.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.compiled?.optimizer.dispose();
    this.compiled = null;
    for (const layer of this.stack) {
      const count = (holders.get(layer) ?? 1) - 1;
      holders.set(layer, count);
      if (count === 0) for (const weight of layer.weights) weight.dispose();
    }
  }
}
