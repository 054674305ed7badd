/** The numbers derived from one run's record: generalization gap, time to a target accuracy, seconds per epoch. */
import { median } from './stats.js';
import type { RunRecord } from './train-run.js';

export interface RunMetrics {
  readonly params: number;
  readonly testAccuracy: number | null;
  readonly testLoss: number | null;
  /** Accuracy on the training images after training, in inference mode. */
  readonly trainAccuracy: number | null;
  /** trainAccuracy − testAccuracy: how much better the model does on what it was trained on. */
  readonly generalizationGap: number | null;
  readonly finalLoss: number | null;
  readonly finalValLoss: number | null;
  readonly finalValAccuracy: number | null;
  /** First epoch (1-based) whose validation accuracy reached the target; null if none did. */
  readonly epochsToTarget: number | null;
  /** Wall time up to the end of that epoch; null if the target was not reached. */
  readonly secondsToTarget: number | null;
  /**
   * Median epoch wall time (validation included): unlike the mean, not pulled up by the first epoch's warm-up or by
   * an epoch that shared the machine with other work.
   */
  readonly secondsPerEpoch: number | null;
  readonly totalSeconds: number;
}

export function runMetrics(record: RunRecord, targetAccuracy: number): RunMetrics {
  const last = <T>(xs: readonly T[]): T | undefined => xs[xs.length - 1];
  const index = record.history.val_accuracy.findIndex((v) => v !== null && v >= targetAccuracy);
  const reached = index >= 0 && !record.diverged;
  const testAccuracy = record.test.accuracy;
  const trainAccuracy = record.train.accuracy;
  return {
    params: record.params,
    testAccuracy,
    testLoss: record.test.loss,
    trainAccuracy,
    generalizationGap: testAccuracy === null || trainAccuracy === null ? null : trainAccuracy - testAccuracy,
    finalLoss: last(record.history.loss) ?? null,
    finalValLoss: last(record.history.val_loss) ?? null,
    finalValAccuracy: last(record.history.val_accuracy) ?? null,
    epochsToTarget: reached ? index + 1 : null,
    secondsToTarget: reached ? record.epochSeconds.slice(0, index + 1).reduce((a, b) => a + b, 0) : null,
    secondsPerEpoch: median(record.epochSeconds),
    totalSeconds: record.epochSeconds.reduce((a, b) => a + b, 0),
  };
}
