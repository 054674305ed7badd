/**
 * What every model shares (tfjs `LayersModel`, Keras `Model`): weights, compile, fit, evaluate, predict, save, summary
 * and dispose, over a forward pass its subclass defines — a stack of layers (`Sequential`) or a graph of layer calls
 * (`Model`, the functional API). One training loop (fit.ts) and one evaluation (evaluate.ts) serve both.
 */
import { type Dataset, isDataset } from '../data/dataset.js';
import { tidy } from '../engine.js';
import { ConfigError, quote, ShapeError, StateError } from '../errors.js';
import type { SaveHandler } from '../io/handlers.js';
import type { ModelTopology } from '../io/model-json.js';
import { type CallContext, formatSymbolicShape, type Layer, type SymbolicShape } from '../layers/layer.js';
import type { SymbolicTensor } from '../layers/symbolic.js';
import type { Loss } from '../losses.js';
import type { Metric } from '../metrics.js';
import { add } from '../ops/arithmetic.js';
import type { Optimizer } from '../optimizers/index.js';
import { Random } from '../random.js';
import { formatShape } from '../shape.js';
import type { Tensor, Variable } from '../tensor.js';
import type { ExamplePair } from './batch.js';
import type { TrainingControl } from './callbacks/callback.js';
import { type CompileArgs, type Compiled, resolveCompileArgs } from './compile.js';
import { evaluateCompiled, predictBatched } from './evaluate.js';
import {
  checkInputShapes,
  inputExamples,
  type ModelData,
  modelExamples,
  type ModelSignature,
  resolveCall,
  tensorList,
} from './model-data.js';
import { type FitArgs, fitCompiled, type History, trainStep } from './fit.js';
import { leafLayers, NestedModel } from './nested.js';
import { saveModel } from './saving.js';
import { type SummaryRow, summaryLines, totalMultiplyAdds } from './summary.js';

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

  /** The inputs' names, which key the object form of x (`fit({ image: x, meta: m }, …)`). */
  abstract get inputNames(): readonly string[];

  /** The outputs' names (their layers' names), which key y, per-output losses and metrics, and log names. */
  abstract get outputNames(): readonly string[];

  /** Every input's shape, in input order. */
  get inputShapes(): readonly SymbolicShape[] {
    return [this.inputShape];
  }

  /** Every output's shape, in output order. */
  get outputShapes(): readonly SymbolicShape[] {
    return [this.outputShape];
  }

  /**
   * The forward pass, recording gradients when they are recorded (use `predict` for plain inference). On symbolic
   * tensors (the functional API), records a call of this model as one layer of the model being built (`asLayer`).
   */
  abstract apply(x: Tensor, context?: CallContext): Tensor;
  abstract apply(x: SymbolicTensor | readonly SymbolicTensor[]): SymbolicTensor;

  private nested: NestedModel | null = null;

  /** This model as a layer of another model, sharing its weights (one adapter per model, made at first use). */
  asLayer(): NestedModel {
    this.checkAlive('asLayer');
    this.nested ??= new NestedModel(this);
    return this.nested;
  }

  /** The forward pass with one tensor per input (in input order); returns one per output (in output order). */
  applyAll(xs: readonly Tensor[], context: CallContext = { training: false }): Tensor[] {
    const [x] = xs;
    if (xs.length !== 1 || x === undefined) {
      throw new ConfigError(this.where, `expected 1 input tensor, received ${xs.length}`);
    }
    return [this.apply(x, context)];
  }

  /** What data must fit: the model's names and input shapes. */
  private signature(): ModelSignature {
    return {
      where: this.where,
      inputNames: this.inputNames,
      outputNames: this.outputNames,
      inputShapes: this.inputShapes,
    };
  }

  /** The examples of a call, with their example shapes checked against the inputs'. */
  private checked(where: string, data: ExamplePair, signature: ModelSignature): ExamplePair {
    checkInputShapes(
      signature,
      where,
      data.xs.map((x) => [x.count, ...x.rowShape]),
    );
    return data;
  }

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
    // A nested model's layers are held one by one, so that they outlive the outer model while the inner one lives.
    for (const leaf of leafLayers([layer])) holders.set(leaf, (holders.get(leaf) ?? 0) + 1);
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
    this.compiled = resolveCompileArgs(args, this.outputNames);
  }

  private requireCompiled(what: string): Compiled {
    this.checkAlive(what);
    if (this.compiled === null) throw new StateError(this.where, `call compile() before ${what}()`);
    return this.compiled;
  }

  get optimizer(): Optimizer {
    return this.requireCompiled('optimizer').optimizer;
  }

  /** The loss `compile` fixed (models with one output; see `losses`). */
  get loss(): Loss {
    const [first, ...others] = this.requireCompiled('loss').outputs.map((o) => o.loss);
    if (first === undefined || others.length > 0) {
      throw new ConfigError(
        this.where,
        `has ${this.outputNames.length} outputs; read \`losses\` for one loss per output`,
      );
    }
    return first;
  }

  /** The loss of each output, in output order. */
  get losses(): readonly Loss[] {
    return this.requireCompiled('losses').outputs.map((o) => o.loss);
  }

  /** The metrics `compile` fixed, of every output in output order. */
  get metrics(): readonly Metric[] {
    return this.requireCompiled('metrics').outputs.flatMap((o) => o.metrics);
  }

  /**
   * Trains for a number of epochs on x, y — a tensor each for a model with one input and one output; for several, a
   * list in input (output) order or an object keyed by input (output) name — or on a host Dataset (its class ids are
   * y, for a sparse categorical loss); resolves to the per-epoch logs. A dataset's batches are gathered from its
   * arrays one at a time, so a large set never sits whole in backend memory; with the same seed both forms draw the
   * same batches.
   */
  fit(x: ModelData, y: ModelData, args?: FitArgs): Promise<History>;
  fit(dataset: Dataset, args?: FitArgs): Promise<History>;
  async fit(x: ModelData | Dataset, yOrArgs?: ModelData | FitArgs, args?: FitArgs): Promise<History> {
    const compiled = this.requireCompiled('fit');
    const signature = this.signature();
    const call = resolveCall('fit', signature, x, yOrArgs, args);
    const data = this.checked('fit', call.data, signature);
    return fitCompiled(this, signature, this, compiled, data, call.args ?? {});
  }

  /** One optimization step on one batch (x, y as fit takes them); returns its loss and metrics. */
  trainOnBatch(x: ModelData, y: ModelData, seed = 0): Record<string, number> {
    const compiled = this.requireCompiled('trainOnBatch');
    const signature = this.signature();
    this.checked('trainOnBatch', modelExamples('trainOnBatch', signature, x, y), signature);
    const xs = tensorList('trainOnBatch', 'x', 'input', x, this.inputNames);
    const ys = tensorList('trainOnBatch', 'y', 'output', y, this.outputNames);
    for (const out of compiled.outputs) for (const metric of out.metrics) metric.reset();
    const { loss, outputLosses } = trainStep(this, compiled, xs, ys, new Random(seed));
    const logs: Record<string, number> = { loss };
    compiled.outputs.forEach((out, i) => {
      if (compiled.outputs.length > 1) logs[`${out.prefix}loss`] = outputLosses[i] ?? Number.NaN;
    });
    for (const out of compiled.outputs)
      for (const metric of out.metrics) logs[`${out.prefix}${metric.name}`] = metric.result();
    return logs;
  }

  /**
   * Mean loss and metrics in inference mode, over x, y (as fit takes them) or a Dataset's samples:
   * `{ loss, accuracy, … }`; with several outputs also `<output>_loss` and `<output>_<metric>`.
   */
  evaluate(x: ModelData, y: ModelData, args?: BatchArgs): Record<string, number>;
  evaluate(dataset: Dataset, args?: BatchArgs): Record<string, number>;
  evaluate(x: ModelData | Dataset, yOrArgs?: ModelData | BatchArgs, args?: BatchArgs): Record<string, number> {
    const compiled = this.requireCompiled('evaluate');
    const signature = this.signature();
    const call = resolveCall('evaluate', signature, x, yOrArgs, args);
    const data = this.checked('evaluate', call.data, signature);
    // A loss and accuracy of 0 over no examples would read as a result.
    if ((data.xs[0]?.count ?? 0) === 0)
      throw new ConfigError('evaluate', 'expected at least one example, received 0 (an empty tensor or dataset)');
    return evaluateCompiled(this, compiled, data, call.args?.batchSize ?? 32);
  }

  /**
   * The output for every example of x (a tensor, a list or object of tensors, or a Dataset's samples), batch by
   * batch, in inference mode. A model with several outputs gives one tensor per output: see `predictAll`. The result
   * is a new tensor the caller owns: call `dispose()` on it, or call predict inside `tidy`.
   */
  predict(x: ModelData | Dataset, args: BatchArgs = {}): Tensor {
    this.checkAlive('predict');
    const names = this.outputNames;
    if (names.length !== 1) {
      throw new ConfigError(
        this.where,
        `has ${names.length} outputs (${names.map((n) => `'${n}'`).join(', ')}); predict gives one tensor: call ` +
          'predictAll for one tensor per output',
      );
    }
    const [first] = this.predictAll(x, args);
    if (first === undefined) throw new StateError(this.where, 'predict computed no output');
    return first;
  }

  /** One tensor per output (in output order) for every example of x, as `predict` takes it. */
  predictAll(x: ModelData | Dataset, args: BatchArgs = {}): Tensor[] {
    this.checkAlive('predict');
    const signature = this.signature();
    const xs = inputExamples('predict', signature, x);
    if (!isDataset(x))
      checkInputShapes(
        signature,
        'predict',
        xs.map((e) => [e.count, ...e.rowShape]),
      );
    return predictBatched(this, xs, args.batchSize ?? 32);
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

  /**
   * Multiply-adds of one forward pass per example: the sum over layer calls of `Layer.multiplyAdds` (convolutions
   * and dense layers; see there). NaN where a size is unknown.
   */
  multiplyAdds(): number {
    return totalMultiplyAdds(this.summaryRows());
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
    for (const layer of leafLayers(this.layers)) {
      const count = (holders.get(layer) ?? 1) - 1;
      holders.set(layer, count);
      if (count === 0) for (const weight of layer.weights) weight.dispose();
    }
  }
}
