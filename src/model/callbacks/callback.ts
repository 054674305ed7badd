/**
 * Training callbacks (Keras/tfjs): hooks the fit loop calls at the start and end of training, of each epoch and of
 * each batch. Hooks may be async; fit awaits them. `logs` maps names ('loss', 'accuracy', 'val_loss') to numbers.
 */
import type { Tensor } from '../../tensor.js';

/**
 * Names to numbers. What fit puts in them:
 *
 * - epoch logs (`onEpochEnd`): `loss` (regularization penalties included) and each metric over the epoch's training
 *   batches; `regularization_loss` when there is a penalty; `val_loss`, `val_<metric>` with validation data; and
 *   what callbacks add (`lr`).
 * - batch logs (`onBatchEnd`): `batch` (its index in the epoch) and `size` (its examples); `loss` and each metric
 *   as running means over the epoch so far, as Keras reports them (after the last batch they equal the epoch's);
 *   and the batch's own figures under a `batch_` prefix (as validation's are under `val_`): `batch_loss`, and
 *   `batch_<metric>` for each metric compile named by a string (`batch_accuracy`: the fraction of this batch's
 *   examples classified correctly, so `batch_accuracy · size` is its count of correct examples).
 */
export type Logs = Record<string, number>;

/** What fit tells callbacks before training starts. */
export interface TrainingParams {
  readonly epochs: number;
  readonly initialEpoch: number;
  readonly batchSize: number;
  /** Training examples per epoch (after any validation split). */
  readonly samples: number;
  /** Batches per epoch. */
  readonly steps: number;
  readonly verbose: 0 | 1;
  /** Names that will appear in the epoch logs, in order ('loss', 'accuracy', 'val_loss', …). */
  readonly metrics: readonly string[];
}

/** The slice of a model that callbacks may use: stop training, read and restore weights, change the learning rate. */
export interface TrainingControl {
  stopTraining: boolean;
  getWeights(): Tensor[];
  setWeights(values: readonly Tensor[]): void;
  /** The optimizer's current base learning rate (a number, or a schedule's value at the current step). */
  getLearningRate(): number;
  /** Replaces the learning rate with a constant. */
  setLearningRate(value: number): void;
}

export interface Callback {
  setParams?(params: TrainingParams): void;
  setModel?(model: TrainingControl): void;
  onTrainBegin?(logs: Logs): void | Promise<void>;
  onTrainEnd?(logs: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
}

/** Calls a hook on every callback in order, awaiting each. */
export class CallbackList {
  constructor(private readonly callbacks: readonly Callback[]) {}

  init(params: TrainingParams, model: TrainingControl): void {
    for (const c of this.callbacks) {
      c.setParams?.(params);
      c.setModel?.(model);
    }
  }

  async trainBegin(logs: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onTrainBegin?.(logs);
  }

  async trainEnd(logs: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onTrainEnd?.(logs);
  }

  async epochBegin(epoch: number, logs: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onEpochBegin?.(epoch, logs);
  }

  async epochEnd(epoch: number, logs: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onEpochEnd?.(epoch, logs);
  }

  async batchBegin(batch: number, logs: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onBatchBegin?.(batch, logs);
  }

  async batchEnd(batch: number, logs: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onBatchEnd?.(batch, logs);
  }
}
