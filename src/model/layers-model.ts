/**
 * What every model shares (tfjs `LayersModel`, Keras `Model`): weights, compile, fit, evaluate, predict, save, summary
 * and dispose, over a forward pass its subclass defines — a stack of layers (`Sequential`) or a graph of layer calls
 * (`Model`, the functional API). One training loop (fit.ts) and one evaluation (evaluate.ts) serve both.
 */
import type { Dataset } from '../data/dataset.js';
import { tidy } from '../engine.js';
import { ConfigError, quote, ShapeError, StateError } from '../errors.js';
import type { SaveHandler } from '../io/handlers.js';
import type { ModelTopology } from '../io/model-json.js';
import { type CallContext, formatSymbolicShape, type Layer, type SymbolicShape } from '../layers/layer.js';
import type { Loss } from '../losses.js';
import type { Metric } from '../metrics.js';
import { add } from '../ops/arithmetic.js';
import type { Optimizer } from '../optimizers/index.js';
import { Random } from '../random.js';
import { formatShape } from '../shape.js';
import { Tensor, type Variable } from '../tensor.js';
import { fromDataset, fromTensor, resolveCall, tensorExamples } from './batch.js';
import type { TrainingControl } from './callbacks/callback.js';
import { type CompileArgs, type Compiled, resolveCompileArgs } from './compile.js';
import { evaluateCompiled, predictBatched } from './evaluate.js';
import { type FitArgs, fitCompiled, type History, trainStep } from './fit.js';
import { saveModel } from './saving.js';
import { type SummaryRow, summaryLines } from './summary.js';

/** Options of evaluate and predict. */
export interface BatchArgs {
  /** Examples per batch. Default 32. */
  readonly batchSize?: number;
}

/**
 * How many live (not disposed) models hold each layer: a layer shared by two models (transfer learning, a nested
 * model) keeps its weights until the last of them is disposed.
 */
const holders = new WeakMap<Layer, number>();

export abstract class LayersModel implements TrainingControl {
  /** Set by a callback (early stopping, NaN) to end fit after the current batch. */
  stopTraining = false;
  private compiled: Compiled | null = null;
  private disposed = false;

  constructor(readonly name: string) {}

  /** The layers, in the order of their weights in `weights` and model files. */
  abstract get layers(): readonly Layer[];

  /** Input shape with a null batch dimension. */
  abstract get inputShape(): SymbolicShape;

  /** Output shape with a null batch dimension. */
  abstract get outputShape(): SymbolicShape;

  /** The forward pass, recording gradients when they are recorded. Use `predict` for plain inference. */
  abstract apply(x: Tensor, context?: CallContext): Tensor;

  /** The architecture as plain JSON (what model files hold as `modelTopology.config`). */
  abstract getConfig(): object;

  /** The architecture with its kind, as saving writes it into `modelTopology`. */
  abstract topology(): ModelTopology;

  /** One row per layer call for `summary()`. */
  protected abstract summaryRows(): readonly SummaryRow[];

  /** The model as messages name it: `Sequential 'sequential'`, `Model 'resnet'`. */
  protected abstract get where(): string;

  /** Counts a layer as held by this model (see dispose); subclasses call it once per layer they take in. */
  protected hold(layer: Layer): void {
    holders.set(layer, (holders.get(layer) ?? 0) + 1);
  }

  /** Throws once the model is disposed: `what` (a method) cannot use it. */
  protected checkAlive(what: string): void {
    if (this.disposed) throw new StateError(this.where, `${what}: the model was disposed`);
  }

  /** Inference on a batch (no dropout, moving statistics); intermediate tensors are freed. */
  predictOnBatch(x: Tensor): Tensor {
    return tidy(() => this.apply(x, { training: false }));
  }

  /** Throws a ShapeError unless x fits the model's input shape (any batch size). */
  protected checkInput(x: Tensor): void {
    const expected = this.inputShape;
    const ok = x.rank === expected.length && expected.every((d, i) => i === 0 || d === null || d === x.shape[i]);
    if (!ok) {
      throw new ShapeError(
        this.where,
        `expected input of shape ${formatSymbolicShape(expected)}, received ${formatShape(x.shape)}`,
      );
    }
  }

  get weights(): readonly Variable[] {
    this.checkAlive('weights');
    return this.layers.flatMap((l) => l.weights);
  }

  get trainableWeights(): readonly Variable[] {
    this.checkAlive('trainableWeights');
    return this.layers.flatMap((l) => l.trainableWeights);
  }

  get nonTrainableWeights(): readonly Variable[] {
    this.checkAlive('nonTrainableWeights');
    return this.layers.flatMap((l) => l.nonTrainableWeights);
  }

  /** The layer named `name` (tfjs `getLayer`); an unknown name lists the model's layers. */
  getLayer(name: string): Layer {
    const layer = this.layers.find((l) => l.name === name);
    if (layer === undefined) {
      throw new ConfigError(
        this.where,
        `has no layer ${quote(name)}; its layers: ${this.layers.map((l) => quote(l.name)).join(', ')}`,
      );
    }
    return layer;
  }

  /** Freezing a model freezes every layer (`model.trainable = false` for a base in transfer learning). */
  get trainable(): boolean {
    return this.layers.some((l) => l.trainable);
  }

  set trainable(value: boolean) {
    for (const layer of this.layers) layer.trainable = value;
  }

  // ---- training (compile, fit, evaluate, predict) ----

  /** Fixes the optimizer, loss and metrics for fit and evaluate. */
  compile(args: CompileArgs): void {
    this.checkAlive('compile');
    this.compiled = resolveCompileArgs(args);
  }

  private requireCompiled(what: string): Compiled {
    this.checkAlive(what);
    if (this.compiled === null) throw new StateError(this.where, `call compile() before ${what}()`);
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
    for (const line of summaryLines(this, this.summaryRows())) print(line);
  }

  countParams(): number {
    return this.layers.reduce((n, l) => n + l.countParams(), 0);
  }

  getWeights(): Tensor[] {
    this.checkAlive('getWeights');
    return this.layers.flatMap((l) => l.getWeights());
  }

  /** Sets every layer's weights from a flat list in `weights` order. */
  setWeights(values: readonly Tensor[]): void {
    const expected = this.weights.length;
    if (values.length !== expected) {
      throw new ConfigError(this.where, `setWeights expected ${expected} tensors, received ${values.length}`);
    }
    let offset = 0;
    for (const layer of this.layers) {
      layer.setWeights(values.slice(offset, offset + layer.weights.length));
      offset += layer.weights.length;
    }
  }

  /** Sum of the layers' weight-regularization penalties, or null when no layer has one. */
  regularizationLoss(): Tensor | null {
    let total: Tensor | null = null;
    for (const layer of this.layers) {
      const penalty = layer.regularizationLoss();
      if (penalty !== null) total = total === null ? penalty : add(total, penalty);
    }
    return total;
  }

  /** Applies each layer's weight constraints (after an optimizer step). */
  applyConstraints(): void {
    for (const layer of this.layers) layer.applyConstraints();
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
    for (const layer of this.layers) {
      const count = (holders.get(layer) ?? 1) - 1;
      holders.set(layer, count);
      if (count === 0) for (const weight of layer.weights) weight.dispose();
    }
  }
}
