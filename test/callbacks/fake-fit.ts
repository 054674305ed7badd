/**
 * A fake model and a scripted fit loop for callback tests: the loop mirrors src/model/fit.ts (stop checks after each
 * batch and each epoch) but takes its logs from the test, so expected behaviour can be derived by hand.
 */
import {
  CallbackList,
  type Callback,
  type Logs,
  type TrainingControl,
  type TrainingParams,
} from '../../src/model/callbacks/callback.js';
import { tensor } from '../../src/ops/creation.js';
import type { Tensor } from '../../src/tensor.js';

/** One scalar "weight" the loop sets to the epoch index at each epoch's start, so restored weights name their epoch. */
export class FakeModel implements TrainingControl {
  stopTraining = false;
  weight = -1;
  lr: number;
  readonly lrSets: number[] = [];
  /** Every copy handed out by getWeights, to check that callbacks dispose them. */
  readonly copies: Tensor[] = [];

  constructor(lr = 1) {
    this.lr = lr;
  }

  getWeights(): Tensor[] {
    const copy = tensor([this.weight], [1]);
    this.copies.push(copy);
    return [copy];
  }

  setWeights(values: readonly Tensor[]): void {
    this.weight = values[0]?.dataSync()[0] ?? Number.NaN;
  }

  getLearningRate(): number {
    return this.lr;
  }

  setLearningRate(value: number): void {
    this.lr = value;
    this.lrSets.push(value);
  }
}

export interface ScriptedFit {
  readonly callbacks: readonly Callback[];
  readonly model: FakeModel;
  /** Epoch logs, one per epoch (a copy is passed, so callbacks may add keys). */
  readonly epochLogs: readonly Logs[];
  /** Batch logs for (epoch, batch); default `{ batch, size: 1, loss: 1, batch_loss: 1 }`. */
  readonly batchLogs?: (epoch: number, batch: number) => Logs;
  readonly steps?: number;
  readonly initialEpoch?: number;
  readonly params?: Partial<TrainingParams>;
}

/** Runs the scripted loop; returns the epochs that ran and the logs each epoch's callbacks saw. */
export async function scriptedFit(run: ScriptedFit): Promise<{ epochs: number[]; logs: Logs[] }> {
  const steps = run.steps ?? 1;
  const epochs = run.epochLogs.length;
  const list = new CallbackList(run.callbacks);
  list.init(
    {
      epochs,
      initialEpoch: run.initialEpoch ?? 0,
      batchSize: 1,
      samples: steps,
      steps,
      verbose: 1,
      metrics: Object.keys(run.epochLogs[0] ?? {}),
      ...run.params,
    },
    run.model,
  );
  run.model.stopTraining = false;
  const ran: number[] = [];
  const seen: Logs[] = [];
  await list.trainBegin({});
  for (let epoch = run.initialEpoch ?? 0; epoch < epochs && !run.model.stopTraining; epoch++) {
    run.model.weight = epoch;
    await list.epochBegin(epoch, {});
    for (let batch = 0; batch < steps && !run.model.stopTraining; batch++) {
      await list.batchBegin(batch, { batch, size: 1 });
      await list.batchEnd(batch, run.batchLogs?.(epoch, batch) ?? { batch, size: 1, loss: 1, batch_loss: 1 });
    }
    const logs = { ...run.epochLogs[epoch] };
    await list.epochEnd(epoch, logs);
    ran.push(epoch);
    seen.push(logs);
  }
  await list.trainEnd({});
  return { epochs: ran, logs: seen };
}

/** Epoch logs with one key taking the given values. */
export const series = (key: string, values: readonly number[]): Logs[] => values.map((v) => ({ [key]: v }));
