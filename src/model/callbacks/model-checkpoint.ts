/**
 * ModelCheckpoint (Keras semantics): saves the model at the end of every epoch (or every `saveFreq` batches), or only
 * when the monitored quantity improved (`saveBestOnly`). With `includeOptimizer` the optimizer's state is saved too
 * (tfjs's layout), so that `loadLayersModel` gives a compiled model that trains on where it stopped.
 */
import type { SaveHandler } from '../../io/handlers.js';
import { describe } from '../../io/json.js';
import type { TrainingConfigNames } from '../../io/optimizer-state.js';
import { saveModel } from '../saving.js';
import { LayersModel } from '../layers-model.js';
import type { Callback, Logs, TrainingControl, TrainingParams } from './callback.js';
import { checkMode, maximizes, missingMonitorWarning, type MonitorMode } from './early-stopping.js';

/** What was saved, for `onSave`. */
export interface CheckpointSave {
  /** The epoch (0-based) during or at whose end the model was saved. */
  readonly epoch: number;
  /** The epoch's logs (with saveFreq batches: the batch's logs). */
  readonly logs: Logs;
  /** Where: the filepath with its placeholders filled, or the handler. */
  readonly target: string | SaveHandler;
  /** What the save handler returned. */
  readonly result: unknown;
}

export interface ModelCheckpointArgs {
  /**
   * Where to save: a save handler, or a URL of a registered scheme (`'file://runs/ckpt'` once the Node entry is
   * imported), in which `{epoch}` (1-based, `{epoch:02d}` zero-padded) and `{<log key>}` (`{val_loss:.4f}`) are
   * filled in as Keras does.
   */
  readonly filepath: string | SaveHandler;
  /** Log key compared for `saveBestOnly`. Default 'val_loss'. */
  readonly monitor?: string;
  /** Save only when `monitor` improved on the best value so far. Default false. */
  readonly saveBestOnly?: boolean;
  /** 'min', 'max', or 'auto' (max for accuracy-like names, else min). Default 'auto'. */
  readonly mode?: MonitorMode;
  /** 'epoch' (at each epoch's end; the default), or a number n: after every n batches. */
  readonly saveFreq?: 'epoch' | number;
  /**
   * Save the optimizer's state too, with a trainingConfig naming this loss and these metrics (the model's compile
   * arguments; loading compiles the model with them). Without it only the model's weights and topology are saved.
   */
  readonly includeOptimizer?: TrainingConfigNames;
  /** 1: a line per save (and per skipped save with saveBestOnly). Default 0. */
  readonly verbose?: 0 | 1;
  /** Runs after each save (the Node training checkpoint commits its state here). fit awaits it. */
  readonly onSave?: (save: CheckpointSave) => void | Promise<void>;
}

/** `{epoch:02d}` → '03', `{val_loss:.4f}` → '0.1234', `{loss}` → the number as is; an unknown key is an error. */
function fillPlaceholders(pattern: string, epoch: number, logs: Logs): string {
  return pattern.replace(
    /\{(\w+)(?::(?:0(\d+)d|\.(\d+)f))?\}/g,
    (whole, key: string, pad?: string, digits?: string) => {
      const value = key === 'epoch' ? epoch + 1 : logs[key];
      if (value === undefined) {
        throw new Error(
          `modelCheckpoint: \`filepath\` placeholder ${whole} names no log key; available: epoch, ${Object.keys(logs).join(', ')}`,
        );
      }
      if (digits !== undefined) return value.toFixed(Number(digits));
      return pad === undefined ? String(value) : String(value).padStart(Number(pad), '0');
    },
  );
}

export class ModelCheckpoint implements Callback {
  readonly filepath: string | SaveHandler;
  readonly monitor: string;
  readonly saveBestOnly: boolean;
  readonly mode: MonitorMode;
  readonly saveFreq: 'epoch' | number;
  readonly includeOptimizer: TrainingConfigNames | undefined;
  readonly verbose: 0 | 1;
  /** The best monitored value saved so far (saveBestOnly), or null. */
  best: number | null = null;
  private readonly onSave: ModelCheckpointArgs['onSave'];
  private readonly maximize: boolean;
  private model: LayersModel | null = null;
  private epoch = 0;
  private batchesSinceSave = 0;
  private warned = false;

  constructor(args: ModelCheckpointArgs) {
    const where = 'modelCheckpoint';
    if (typeof args.filepath !== 'string' && typeof args.filepath?.save !== 'function') {
      throw new Error(
        `${where}: \`filepath\` must be a URL string or a save handler, received ${describe(args.filepath)}`,
      );
    }
    if (args.filepath === '') throw new Error(`${where}: \`filepath\` must not be empty`);
    this.filepath = args.filepath;
    this.monitor = args.monitor ?? 'val_loss';
    this.saveBestOnly = args.saveBestOnly ?? false;
    this.mode = checkMode(where, args.mode ?? 'auto');
    const saveFreq = args.saveFreq ?? 'epoch';
    if (saveFreq !== 'epoch' && !(Number.isInteger(saveFreq) && saveFreq > 0)) {
      throw new Error(`${where}: \`saveFreq\` must be 'epoch' or a positive integer, received ${String(saveFreq)}`);
    }
    this.saveFreq = saveFreq;
    this.includeOptimizer = args.includeOptimizer;
    this.verbose = args.verbose ?? 0;
    this.onSave = args.onSave;
    this.maximize = maximizes(this.monitor, this.mode);
  }

  setModel(model: TrainingControl): void {
    if (!(model instanceof LayersModel))
      throw new Error(
        'modelCheckpoint: the model must be a LayersModel (a Sequential or a functional Model; pass the callback to its fit)',
      );
    this.model = model;
  }

  setParams(_params: TrainingParams): void {
    this.batchesSinceSave = 0;
  }

  onTrainBegin(): void {
    // `best` is kept across fit calls, as Keras keeps it, so a second fit does not overwrite a better checkpoint.
    this.warned = false;
  }

  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  async onBatchEnd(_batch: number, logs: Logs): Promise<void> {
    if (this.saveFreq === 'epoch') return;
    this.batchesSinceSave++;
    if (this.batchesSinceSave < this.saveFreq) return;
    this.batchesSinceSave = 0;
    await this.maybeSave(this.epoch, logs);
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    if (this.saveFreq === 'epoch') await this.maybeSave(epoch, logs);
  }

  private async maybeSave(epoch: number, logs: Logs): Promise<void> {
    if (this.saveBestOnly) {
      const current = logs[this.monitor];
      if (current === undefined || Number.isNaN(current)) {
        if (!this.warned) console.warn(missingMonitorWarning('modelCheckpoint', this.monitor, logs));
        this.warned = true;
        return;
      }
      const improved = this.best === null || (this.maximize ? current > this.best : current < this.best);
      if (!improved) {
        if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: ${this.monitor} did not improve from ${this.best}`);
        return;
      }
      if (this.verbose > 0)
        console.log(
          `Epoch ${epoch + 1}: ${this.monitor} improved from ${this.best ?? 'nothing'} to ${current}, saving the model`,
        );
      this.best = current;
    }
    const target = typeof this.filepath === 'string' ? fillPlaceholders(this.filepath, epoch, logs) : this.filepath;
    const result = await saveModel(
      this.control(),
      target,
      this.includeOptimizer === undefined ? {} : { includeOptimizer: true, ...this.includeOptimizer },
    );
    if (this.verbose > 0 && !this.saveBestOnly)
      console.log(
        `Epoch ${epoch + 1}: saving the model to ${typeof target === 'string' ? target : 'the save handler'}`,
      );
    await this.onSave?.({ epoch, logs, target, result });
  }

  private control(): LayersModel {
    if (this.model === null) throw new Error('modelCheckpoint: no model; pass the callback to fit({ callbacks })');
    return this.model;
  }
}
