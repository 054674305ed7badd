/**
 * One training session in the worker: builds the model from the page's settings (or takes a loaded one), trains it
 * with the library's `fit`, and reports progress and validation to the page. Pause and stop work through fit's
 * callbacks: `onBatchBegin` waits on a gate while paused, and `stopTraining` ends fit after the current batch.
 */
import {
  callbacks,
  errorMessage,
  fromMemory,
  io,
  loadLayersModel,
  type Logs,
  modelToArtifacts,
  Sequential,
  tensor,
  tidy,
} from '../../../src/index.js';
import type { FromWorker, PickedFile, TrainingState } from '../protocol.js';
import { buildModel, compileModel, type Settings, summaryOf } from '../settings.js';
import type { PlaygroundData } from './data.js';
import { validate } from './validate.js';

export type Post = (message: FromWorker, transfer?: Transferable[]) => void;

interface Gate {
  readonly promise: Promise<void>;
  readonly open: () => void;
}

function gate(): Gate {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** How often progress is reported to the page. */
const REPORT_MS = 250;
/** Validation costs at most about a quarter of the time: it runs after 3× its own duration of training, ≥ 1 s. */
const TRAIN_PER_VALIDATION = 3;
const MIN_TRAIN_BETWEEN_VALIDATIONS_MS = 1000;

/** Training numbers gathered between two progress reports. */
class Window {
  lossSum = 0;
  /** Examples classified correctly (Σ batch accuracy × batch size). */
  correct = 0;
  images = 0;
  trainMs = 0;
  lastReport = performance.now();
}

export class Trainer {
  private model: Sequential | null = null;
  private epochsDone = 0;
  private state: TrainingState = 'idle';
  private pauseGate: Gate | null = null;
  private stopRequested = false;
  /** Every action that touches the model runs after the previous one, so a reset waits for fit to return. */
  private queue: Promise<void> = Promise.resolve();
  private validationMs = 500;
  private trainedSinceValidationMs = 0;

  constructor(
    private readonly data: PlaygroundData,
    private readonly post: Post,
  ) {}

  private setState(state: TrainingState, message: string): void {
    this.state = state;
    this.post({ type: 'state', state, message, hasModel: this.model !== null });
  }

  private enqueue(action: () => Promise<void> | void): void {
    this.queue = this.queue.then(action).catch((error: unknown) => {
      this.post({ type: 'error', message: errorMessage(error) });
      this.setState('idle', 'Stopped by an error');
    });
  }

  start(settings: Settings): void {
    if (this.state === 'running' || this.state === 'paused') return;
    this.state = 'running';
    this.enqueue(() => this.train(settings));
  }

  pause(): void {
    if (this.state === 'running' && this.pauseGate === null) this.pauseGate = gate();
  }

  resume(): void {
    this.pauseGate?.open();
  }

  reset(): void {
    this.stop();
    this.enqueue(() => {
      this.discardModel();
      this.epochsDone = 0;
      this.setState('idle', 'Reset: Start builds a new model from the settings');
    });
  }

  /** Frees the model's weights and optimizer slots now rather than whenever the garbage collector runs. */
  private discardModel(): void {
    const model = this.model;
    this.model = null;
    if (model === null) return;
    model.optimizer.dispose();
    for (const weight of model.weights) weight.dispose();
  }

  private stop(): void {
    if (this.state !== 'running' && this.state !== 'paused') return;
    this.stopRequested = true;
    if (this.model !== null) this.model.stopTraining = true;
    this.pauseGate?.open();
  }

  private validateNow(x: number): void {
    if (this.model === null) return;
    const started = performance.now();
    const { xVal, yVal, valLabels, valPixels } = this.data;
    const message = validate(this.model, xVal, yVal, valLabels, valPixels, x);
    this.validationMs = performance.now() - started;
    this.trainedSinceValidationMs = 0;
    this.post(message, message.filters === null ? [] : [message.filters.values.buffer]);
  }

  private async train(settings: Settings): Promise<void> {
    let model = this.model;
    if (model === null) {
      model = buildModel(settings);
      compileModel(model, settings);
      this.model = model;
      this.post({ type: 'model', source: 'settings', summary: summaryOf(model) });
    }
    this.stopRequested = false;
    this.setState('running', 'Training');
    if (this.epochsDone === 0) this.validateNow(0);
    const epochs = this.epochsDone + settings.epochs;
    const samples = this.data.yTrain.shape[0] ?? 0;
    let epoch = this.epochsDone;
    let epochImages = 0;
    let batchStarted = 0;
    let window = new Window();
    const position = (): number => epoch + epochImages / Math.max(samples, 1);
    const report = (): void => {
      if (window.images === 0) return;
      this.post({
        type: 'progress',
        x: position(),
        epoch,
        epochs,
        loss: window.lossSum / window.images,
        accuracy: window.correct / window.images,
        imagesPerSecond: window.images / Math.max(window.trainMs / 1000, 1e-9),
        imagesSeen: epoch * samples + epochImages,
      });
      window = new Window();
    };
    const onBatchEnd = (_batch: number, logs: Logs): void => {
      const size = logs.size ?? 0;
      const elapsed = performance.now() - batchStarted;
      epochImages += size;
      // The batch's own figures (fit's `loss` and `accuracy` are the epoch's running means).
      window.correct += (logs.batch_accuracy ?? 0) * size;
      window.lossSum += (logs.batch_loss ?? 0) * size;
      window.images += size;
      window.trainMs += elapsed;
      this.trainedSinceValidationMs += elapsed;
      if (performance.now() - window.lastReport >= REPORT_MS) report();
      if (
        this.trainedSinceValidationMs >=
        Math.max(MIN_TRAIN_BETWEEN_VALIDATIONS_MS, TRAIN_PER_VALIDATION * this.validationMs)
      ) {
        report();
        this.validateNow(position());
      }
    };
    const onBatchBegin = async (): Promise<void> => {
      const paused = this.pauseGate;
      if (paused !== null && !this.stopRequested) {
        report();
        this.validateNow(position());
        this.setState('paused', 'Paused: the charts and the confusion matrix show the current weights');
        await paused.promise;
        if (!this.stopRequested) this.setState('running', 'Training');
      }
      this.pauseGate = null;
      batchStarted = performance.now();
    };
    await model.fit(this.data.xTrain, this.data.yTrain, {
      epochs,
      initialEpoch: this.epochsDone,
      batchSize: settings.batchSize,
      seed: settings.seed * 7919 + this.epochsDone,
      verbose: 0,
      callbacks: [
        callbacks.customCallback({
          onEpochBegin: (e) => {
            epoch = e;
            epochImages = 0;
          },
          onBatchBegin,
          onBatchEnd,
          onEpochEnd: (e) => {
            this.epochsDone = e + 1;
            report();
            if (!this.stopRequested) this.validateNow(position());
          },
        }),
      ],
    });
    this.pauseGate = null;
    if (!this.stopRequested)
      this.setState('done', `Trained ${this.epochsDone} epoch${this.epochsDone === 1 ? '' : 's'}; Start trains more`);
  }

  predict(id: number, pixels: Float32Array): void {
    const model = this.model;
    this.post({ type: 'prediction', id, probabilities: model === null ? [] : predictDigit(model, pixels) });
  }

  sample(): void {
    const { valLabels, valPixels } = this.data;
    const index = Math.floor(Math.random() * valLabels.length);
    const pixels = valPixels.slice(index * 784, (index + 1) * 784);
    this.post({ type: 'sample', pixels, label: valLabels[index] ?? 0 }, [pixels.buffer]);
  }

  save(): void {
    if (this.model === null) throw new Error('Download: there is no model yet; start training or load one first');
    const artifacts = modelToArtifacts(this.model);
    const modelJson = JSON.stringify(io.modelJson(artifacts, ['weights.bin']));
    this.post({ type: 'saved', modelJson, weights: artifacts.weightData }, [artifacts.weightData]);
  }

  /** Replaces the model with one from files (model.json and its weight files); it trains with the page's optimizer. */
  load(files: readonly PickedFile[], settings: Settings): void {
    this.stop();
    this.enqueue(async () => {
      const loaded = await loadLayersModel(fromMemory(artifactsFromFiles(files)));
      // The page's summary and filters read a stack of layers.
      if (!(loaded instanceof Sequential)) {
        loaded.dispose();
        throw new Error(`Load: the playground takes Sequential models; '${loaded.name}' is a functional model`);
      }
      const model = loaded;
      const input = model.inputShape.slice(1).join('×');
      const output = model.outputShape.slice(1).join('×');
      if (input !== '28×28×1' || output !== '10') {
        throw new Error(
          `Load: the model takes ${input} inputs and gives ${output} outputs; the playground needs 28×28×1 → 10 (MNIST)`,
        );
      }
      compileModel(model, settings);
      this.discardModel();
      this.model = model;
      this.epochsDone = 0;
      this.post({ type: 'model', source: 'file', summary: summaryOf(model) });
      this.validateNow(0);
      this.setState('idle', `Loaded '${model.name}': Start trains it further`);
    });
  }
}

function predictDigit(model: Sequential, pixels: Float32Array): number[] {
  if (pixels.length !== 784) throw new Error(`Predict: expected 784 pixels (28×28), received ${pixels.length}`);
  return [...tidy(() => model.predictOnBatch(tensor(pixels, [1, 28, 28, 1])).dataSync())];
}

/** tfjs-style artifacts from model.json and the weight files its manifest names (matched by file name). */
export function artifactsFromFiles(files: readonly PickedFile[]): Record<string, unknown> {
  const jsonFile = files.find((f) => f.name.toLowerCase().endsWith('.json'));
  if (jsonFile === undefined)
    throw new Error(
      `Load: pick model.json together with its weight files; received ${files.map((f) => f.name).join(', ') || 'no files'}`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(jsonFile.bytes));
  } catch (error) {
    throw new Error(`Load: ${jsonFile.name} is not JSON (${errorMessage(error)})`, { cause: error });
  }
  const { topology, manifest, info } = io.readModelJson(parsed, jsonFile.name);
  const weightData = manifest
    .flatMap((group) => group.paths)
    .map((path) => {
      const name = path.slice(path.lastIndexOf('/') + 1);
      const file = files.find((f) => f.name === name);
      if (file === undefined)
        throw new Error(
          `Load: ${jsonFile.name} names the weight file '${name}'; pick it together with ${jsonFile.name}`,
        );
      return file.bytes;
    });
  return { ...info, modelTopology: topology, weightSpecs: manifest.flatMap((group) => group.weights), weightData };
}
