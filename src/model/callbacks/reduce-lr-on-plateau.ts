/**
 * ReduceLROnPlateau (Keras semantics): multiply the learning rate by `factor` once the monitored quantity has not
 * improved for `patience` epochs, then wait `cooldown` epochs before counting again; never go below `minLr`.
 * Adds the learning rate used during the epoch to the epoch logs as 'lr'.
 */
import type { Callback, Logs, TrainingControl } from './callback.js';
import {
  checkMode,
  checkNonNegativeInteger,
  maximizes,
  missingMonitorWarning,
  type MonitorMode,
} from './early-stopping.js';

export interface ReduceLROnPlateauArgs {
  /** Log key to watch. Default 'val_loss'. */
  readonly monitor?: string;
  /** New rate = rate * factor; must be in [0, 1). Default 0.1. */
  readonly factor?: number;
  /** Epochs without improvement before reducing. Default 10. */
  readonly patience?: number;
  /** 'min', 'max', or 'auto' (max for accuracy-like names, else min). Default 'auto'. */
  readonly mode?: MonitorMode;
  /** Smallest change that counts as an improvement. Default 1e-4. */
  readonly minDelta?: number;
  /** Epochs after a reduction during which no waiting is counted. Default 0. */
  readonly cooldown?: number;
  /** Lower bound on the learning rate. Default 0. */
  readonly minLr?: number;
  /** 1: print a line at each reduction. Default 0. */
  readonly verbose?: 0 | 1;
}

export class ReduceLROnPlateau implements Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly mode: MonitorMode;
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  readonly verbose: 0 | 1;
  private best = Number.POSITIVE_INFINITY;
  private wait = 0;
  private cooldownCounter = 0;
  private warned = false;
  private model: TrainingControl | null = null;
  private readonly maximize: boolean;

  constructor(args: ReduceLROnPlateauArgs = {}) {
    const where = 'reduceLROnPlateau';
    this.monitor = args.monitor ?? 'val_loss';
    this.factor = args.factor ?? 0.1;
    if (!(this.factor >= 0 && this.factor < 1))
      throw new Error(`${where}: \`factor\` must be in [0, 1), received ${this.factor}`);
    this.patience = checkNonNegativeInteger(where, 'patience', args.patience ?? 10);
    this.mode = checkMode(where, args.mode ?? 'auto');
    this.minDelta = args.minDelta ?? 1e-4;
    if (!Number.isFinite(this.minDelta))
      throw new Error(`${where}: \`minDelta\` must be a finite number, received ${this.minDelta}`);
    this.cooldown = checkNonNegativeInteger(where, 'cooldown', args.cooldown ?? 0);
    this.minLr = args.minLr ?? 0;
    if (!(this.minLr >= 0))
      throw new Error(`${where}: \`minLr\` must be a non-negative number, received ${this.minLr}`);
    this.verbose = args.verbose ?? 0;
    this.maximize = maximizes(this.monitor, this.mode);
    this.reset();
  }

  setModel(model: TrainingControl): void {
    this.model = model;
  }

  onTrainBegin(): void {
    this.reset();
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const model = this.control();
    logs.lr = model.getLearningRate();
    const current = logs[this.monitor];
    if (current === undefined) {
      if (!this.warned) console.warn(missingMonitorWarning('reduceLROnPlateau', this.monitor, logs));
      this.warned = true;
      return;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.wait = 0;
    }
    if (this.improves(current)) {
      this.best = current;
      this.wait = 0;
      return;
    }
    if (this.cooldownCounter > 0) return;
    this.wait++;
    if (this.wait < this.patience) return;
    const oldLr = model.getLearningRate();
    // Compared with the float32 value of minLr, as Keras does, so a rate stored in float32 counts as at the floor.
    if (oldLr > Math.fround(this.minLr)) {
      const newLr = Math.max(oldLr * this.factor, this.minLr);
      model.setLearningRate(newLr);
      if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${newLr}.`);
      this.cooldownCounter = this.cooldown;
      this.wait = 0;
    }
  }

  /** Keras: less(current, best - minDelta) when minimizing, greater(current, best + minDelta) when maximizing. */
  private improves(current: number): boolean {
    return this.maximize ? current > this.best + this.minDelta : current < this.best - this.minDelta;
  }

  private reset(): void {
    this.best = this.maximize ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    this.wait = 0;
    this.cooldownCounter = 0;
    this.warned = false;
  }

  private control(): TrainingControl {
    if (this.model === null) throw new Error('reduceLROnPlateau: no model; pass the callback to fit({ callbacks })');
    return this.model;
  }
}
