/**
 * TerminateOnNaN (Keras semantics): stops training after the first batch whose loss is NaN or infinite, prints one
 * line, and records where it happened in `terminated` so a caller can turn it into an error.
 */
import type { Callback, Logs, TrainingControl, TrainingParams } from './callback.js';

/** Where training was stopped: 0-based epoch and batch indices (as the callback hooks receive them), and the loss. */
export interface Termination {
  readonly epoch: number;
  readonly batch: number;
  readonly loss: number;
}

export interface TerminateOnNaNArgs {
  /** Where the one line goes. Default console.log. */
  readonly print?: (line: string) => void;
}

export class TerminateOnNaN implements Callback {
  /** Set when training was stopped for a non-finite loss; null otherwise. */
  terminated: Termination | null = null;
  private model: TrainingControl | null = null;
  private params: TrainingParams | null = null;
  private epoch = 0;
  private readonly print: (line: string) => void;

  constructor(args: TerminateOnNaNArgs = {}) {
    this.print = args.print ?? ((line) => console.log(line));
  }

  setParams(params: TrainingParams): void {
    this.params = params;
  }

  setModel(model: TrainingControl): void {
    this.model = model;
  }

  onTrainBegin(): void {
    this.terminated = null;
  }

  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  onBatchEnd(batch: number, logs: Logs): void {
    const loss = logs.loss;
    if (loss === undefined || Number.isFinite(loss) || this.terminated !== null) return;
    this.terminated = { epoch: this.epoch, batch, loss };
    if (this.model === null) throw new Error('terminateOnNaN: no model; pass the callback to fit({ callbacks })');
    this.model.stopTraining = true;
    const epochs = this.params === null ? '' : `/${this.params.epochs}`;
    const steps = this.params === null ? '' : `/${this.params.steps}`;
    this.print(
      `Epoch ${this.epoch + 1}${epochs}, batch ${batch + 1}${steps}: invalid loss ${loss}, terminating training`,
    );
  }
}
