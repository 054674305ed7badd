/**
 * Trains one run of the lab and measures it: per-epoch losses and accuracies, epoch times, the test accuracy and
 * the training accuracy measured after training in inference mode (the running training accuracy of fit is taken
 * with dropout on and while the weights move, so it would understate the generalization gap).
 */
import { type Callback, callbacks, type data, getBackend } from '../index.js';
import { labModel } from './model.js';
import { buildOptimizer } from './plan.js';
import type { RunSpec } from './spec.js';
import { finiteOrNull } from './stats.js';

type Dataset = data.Dataset;

/** The images of one dataset a run uses; every run on that dataset sees the same ones. */
export interface RunData {
  readonly train: Dataset;
  readonly validation: Dataset;
  readonly test: Dataset;
}

export interface Measured {
  readonly loss: number | null;
  readonly accuracy: number | null;
}

/** What one finished run leaves on disk (`runs/<key>.json`). Non-finite numbers are stored as null. */
export interface RunRecord {
  readonly format: 'cnnlab-lab-run';
  readonly version: 1;
  readonly key: string;
  readonly spec: RunSpec;
  /** The backend's name, with its thread count where it ran on several. */
  readonly backend: string;
  readonly params: number;
  /** Per epoch: training loss and accuracy (running, as fit reports them), validation loss and accuracy. */
  readonly history: {
    readonly loss: readonly (number | null)[];
    readonly accuracy: readonly (number | null)[];
    readonly val_loss: readonly (number | null)[];
    readonly val_accuracy: readonly (number | null)[];
  };
  /** Wall time of each epoch, its validation pass included. */
  readonly epochSeconds: readonly number[];
  readonly test: Measured;
  /** The training images evaluated after training, in inference mode. */
  readonly train: Measured;
  /** True when the loss became NaN or infinite and training stopped early. */
  readonly diverged: boolean;
  readonly finishedAt: string;
}

export interface TrainRunOptions {
  /** Progress callbacks (the live view); they run after the lab's own. */
  readonly callbacks?: readonly Callback[];
  /** Milliseconds clock; default performance.now. */
  readonly now?: () => number;
}

/** 'wasm (4 threads)', or the backend's name where it runs on one thread. */
function backendName(): string {
  const backend = getBackend();
  const threads = 'threads' in backend && typeof backend.threads === 'number' ? backend.threads : 1;
  return threads > 1 ? `${backend.name} (${threads} threads)` : backend.name;
}

/** Trains `spec` on `data` and frees everything it allocated (model weights, optimizer state). */
export async function trainRun(
  key: string,
  spec: RunSpec,
  data: RunData,
  options: TrainRunOptions = {},
): Promise<RunRecord> {
  const now = options.now ?? (() => performance.now());
  const [, height = 28, width = 28, channels = 1] = data.train.xShape;
  const model = labModel(spec.model, spec.seed, {
    inputShape: [height, width, channels],
    numClasses: data.train.numClasses,
  });
  const optimizer = buildOptimizer(spec.optimizer, `run ${key}`);
  model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });

  const epochSeconds: number[] = [];
  let epochStart = 0;
  const timer: Callback = {
    onEpochBegin: () => {
      epochStart = now();
    },
    onEpochEnd: () => {
      epochSeconds.push((now() - epochStart) / 1000);
    },
  };
  const nan = callbacks.terminateOnNaN({ print: () => undefined });
  try {
    const history = await model.fit(data.train, {
      epochs: spec.epochs,
      batchSize: spec.batchSize,
      seed: spec.seed,
      validationData: data.validation,
      verbose: 0,
      callbacks: [nan, timer, ...(options.callbacks ?? [])],
    });
    const evaluate = (ds: Dataset): Measured => {
      // At the training batch size: the backend's memory keeps its high-water mark, so a larger batch would grow it.
      const result = model.evaluate(ds, { batchSize: spec.batchSize });
      return { loss: finiteOrNull(result.loss), accuracy: finiteOrNull(result.accuracy) };
    };
    const series = (name: string): (number | null)[] => (history.history[name] ?? []).map((v) => finiteOrNull(v));
    return {
      format: 'cnnlab-lab-run',
      version: 1,
      key,
      spec,
      backend: backendName(),
      params: model.countParams(),
      history: {
        loss: series('loss'),
        accuracy: series('accuracy'),
        val_loss: series('val_loss'),
        val_accuracy: series('val_accuracy'),
      },
      epochSeconds,
      test: evaluate(data.test),
      train: evaluate(data.train),
      diverged: nan.terminated !== null,
      finishedAt: new Date().toISOString(),
    };
  } finally {
    for (const t of model.weights) t.dispose();
    optimizer.dispose();
  }
}
