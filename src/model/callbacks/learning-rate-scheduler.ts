/**
 * LearningRateScheduler (Keras semantics): at the start of each epoch, sets the learning rate to
 * `schedule(epoch, currentLr)`; adds the rate used during the epoch to the epoch logs as 'lr'.
 */
import type { Callback, Logs, TrainingControl } from './callback.js';

/** epoch: 0-based; lr: the current learning rate. Returns the rate for this epoch. */
export type Schedule = (epoch: number, lr: number) => number;

export class LearningRateScheduler implements Callback {
  private model: TrainingControl | null = null;

  constructor(
    readonly schedule: Schedule,
    readonly verbose: 0 | 1 = 0,
  ) {
    if (typeof schedule !== 'function')
      throw new Error(
        `learningRateScheduler: \`schedule\` must be a function (epoch, lr) => lr, received ${typeof schedule}`,
      );
  }

  setModel(model: TrainingControl): void {
    this.model = model;
  }

  onEpochBegin(epoch: number): void {
    const model = this.control();
    const lr = this.schedule(epoch, model.getLearningRate());
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
      throw new Error(
        `learningRateScheduler: the schedule must return a non-negative finite number, received ${String(lr)} at epoch ${epoch}`,
      );
    }
    model.setLearningRate(lr);
    if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.`);
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    logs.lr = this.control().getLearningRate();
  }

  private control(): TrainingControl {
    if (this.model === null)
      throw new Error('learningRateScheduler: no model; pass the callback to fit({ callbacks })');
    return this.model;
  }
}
