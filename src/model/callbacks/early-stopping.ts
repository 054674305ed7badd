/**
 * EarlyStopping (Keras 3 semantics): stop training once a monitored quantity has stopped improving for `patience`
 * epochs, optionally restoring the weights of the best epoch when training ends.
 */
import { keep } from '../../engine.js';
import type { Tensor } from '../../tensor.js';
import type { Callback, Logs, TrainingControl } from './callback.js';

export type MonitorMode = 'auto' | 'min' | 'max';

export interface EarlyStoppingArgs {
  /** Log key to watch. Default 'val_loss'. */
  readonly monitor?: string;
  /** Smallest change that counts as an improvement (its sign is ignored). Default 0. */
  readonly minDelta?: number;
  /** Epochs without improvement after which training stops. Default 0. */
  readonly patience?: number;
  /** 'min', 'max', or 'auto' (max for accuracy/precision/recall/AUC-like names, else min). Default 'auto'. */
  readonly mode?: MonitorMode;
  /** Value the monitored quantity must beat; until it does, patience keeps running out. */
  readonly baseline?: number;
  /** Restore the best epoch's weights when training ends (also when it ran to the end). Default false. */
  readonly restoreBestWeights?: boolean;
  /** Epochs to wait before watching at all (warm-up). Default 0. */
  readonly startFromEpoch?: number;
  /** 1: print a line when stopping and when restoring. Default 0. */
  readonly verbose?: 0 | 1;
}

/** Whether larger values of a log key are better: 'auto' resolves by name ('val_accuracy' → max, 'val_loss' → min). */
export function maximizes(monitor: string, mode: MonitorMode): boolean {
  if (mode === 'min') return false;
  if (mode === 'max') return true;
  return /acc|precision|recall|auc/.test(monitor.toLowerCase());
}

export function checkMode(where: string, mode: string): MonitorMode {
  if (mode === 'auto' || mode === 'min' || mode === 'max') return mode;
  throw new Error(`${where}: \`mode\` must be 'auto', 'min' or 'max', received '${mode}'`);
}

export function checkNonNegativeInteger(where: string, name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${where}: \`${name}\` must be a non-negative integer, received ${value}`);
  return value;
}

/** One warning line when the monitored key is missing from the epoch logs. */
export function missingMonitorWarning(where: string, monitor: string, logs: Logs): string {
  const keys = Object.keys(logs);
  return `${where}: monitored metric '${monitor}' is not in the epoch logs; available: ${keys.length === 0 ? '(none)' : keys.join(', ')}`;
}

export class EarlyStopping implements Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly mode: MonitorMode;
  readonly baseline: number | undefined;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  readonly verbose: 0 | 1;
  /** The epoch (0-based) at which training was stopped; 0 when it was not stopped. */
  stoppedEpoch = 0;
  /** The best monitored value seen, and its epoch. */
  best: number | null = null;
  bestEpoch = 0;
  private wait = 0;
  private bestWeights: Tensor[] | null = null;
  private warned = false;
  private model: TrainingControl | null = null;
  private readonly better: (current: number, reference: number) => boolean;

  constructor(args: EarlyStoppingArgs = {}) {
    const where = 'earlyStopping';
    this.monitor = args.monitor ?? 'val_loss';
    this.minDelta = Math.abs(args.minDelta ?? 0);
    if (!Number.isFinite(this.minDelta))
      throw new Error(`${where}: \`minDelta\` must be a finite number, received ${args.minDelta}`);
    this.patience = checkNonNegativeInteger(where, 'patience', args.patience ?? 0);
    this.mode = checkMode(where, args.mode ?? 'auto');
    this.baseline = args.baseline;
    this.restoreBestWeights = args.restoreBestWeights ?? false;
    this.startFromEpoch = checkNonNegativeInteger(where, 'startFromEpoch', args.startFromEpoch ?? 0);
    this.verbose = args.verbose ?? 0;
    const delta = this.minDelta;
    // Keras: improvement = monitor_op(current - min_delta, reference), min_delta negated when minimizing.
    this.better = maximizes(this.monitor, this.mode) ? (c, r) => c - delta > r : (c, r) => c + delta < r;
  }

  setModel(model: TrainingControl): void {
    this.model = model;
  }

  onTrainBegin(): void {
    // Reset, so one instance can serve several fit calls.
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = null;
    this.bestEpoch = 0;
    this.warned = false;
    this.dropBestWeights();
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const current = logs[this.monitor];
    if (current === undefined) {
      if (!this.warned) console.warn(missingMonitorWarning('earlyStopping', this.monitor, logs));
      this.warned = true;
      return;
    }
    if (epoch < this.startFromEpoch) return;
    this.wait++;
    if (this.best === null || this.better(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) {
        this.dropBestWeights();
        this.bestWeights = this.control()
          .getWeights()
          .map((w) => keep(w));
      }
      // The wait restarts only when the value beats both the previous best and the baseline.
      if (this.baseline === undefined || this.better(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.control().stopTraining = true;
    }
  }

  onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) console.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.bestWeights !== null) {
      if (this.verbose > 0)
        console.log(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      this.control().setWeights(this.bestWeights);
      this.dropBestWeights();
    }
  }

  private control(): TrainingControl {
    if (this.model === null) throw new Error('earlyStopping: no model; pass the callback to fit({ callbacks })');
    return this.model;
  }

  private dropBestWeights(): void {
    for (const w of this.bestWeights ?? []) w.dispose();
    this.bestWeights = null;
  }
}
