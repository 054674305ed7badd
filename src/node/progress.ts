/**
 * A terminal progress bar for fit (Node only):
 *
 *     Epoch 2/5 [=====>         ] 412/938 ETA 0:12 loss 0.1234 accuracy 0.9612 1,234 img/s
 *
 * redrawn in place on a TTY (at most every `redrawMs`), replaced at the epoch's end by a summary line with the epoch
 * time, the epoch logs (validation metrics included) and the training throughput:
 *
 *     Epoch 2/5 938/938 12.3s loss 0.1234 accuracy 0.9612 val_loss 0.2345 val_accuracy 0.9500 1,234 img/s
 *
 * On a stream that is not a TTY (a log file, CI) only the summary lines are written. Put it last in the callback
 * list so it sees keys other callbacks add to the logs ('lr').
 *
 * Written here rather than on `cli-progress`: that library redraws from its own timers, which keep the process alive
 * if fit throws mid-epoch, and it reads `Date.now()`, so its output cannot be tested exactly with a fake clock.
 */
import type { Callback, Logs, TrainingParams } from '../model/callbacks/callback.js';

/** Where the bar is drawn: process.stderr, or any object with `write` (tests pass a fake). */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  /** Terminal width; lines are cut to fit so they never wrap. */
  readonly columns?: number;
}

export interface ProgressBarArgs {
  /** Default process.stderr. */
  readonly stream?: ProgressStream;
  /** 0: print nothing. Default: fit's `verbose`. */
  readonly verbose?: 0 | 1;
  /** Milliseconds clock. Default performance.now. */
  readonly now?: () => number;
  /** Characters inside the brackets. Default 30. */
  readonly width?: number;
  /** Minimum time between redraws on a TTY, in ms. Default 100. */
  readonly redrawMs?: number;
}

/** Keras's number format: 4 decimals, or 4 significant digits in exponent form for tiny values. */
export function formatValue(value: number): string {
  return Math.abs(value) > 1e-3 || !Number.isFinite(value) ? value.toFixed(4) : value.toExponential(4);
}

/** Seconds as a clock: 0:07, 12:34, 1:02:03. */
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** An epoch's duration: 12.3s under a minute, else a clock. */
export function formatDuration(seconds: number): string {
  return seconds < 59.95 ? `${seconds.toFixed(1)}s` : formatClock(seconds);
}

/** An integer with thousands separators: 1,234,567. */
export function formatCount(value: number): string {
  return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `[====>     ]`: `done/total` of `width` cells, the last filled cell an arrow until the end. */
export function formatBar(done: number, total: number, width: number): string {
  const filled = total <= 0 ? width : Math.min(width, Math.floor((width * done) / total));
  const body = filled === 0 ? '' : done < total ? `${'='.repeat(filled - 1)}>` : '='.repeat(filled);
  return `[${body.padEnd(width)}]`;
}

/**
 * Batch-log keys the bar does not show: the batch's index and size, and its own figures (the bar shows running
 * means).
 */
const hidden = (key: string): boolean => key === 'batch' || key === 'size' || key.startsWith('batch_');

export class ProgressBar implements Callback {
  private readonly stream: ProgressStream;
  private readonly now: () => number;
  private readonly width: number;
  private readonly redrawMs: number;
  private readonly verboseOverride: 0 | 1 | undefined;
  private params: TrainingParams | null = null;
  // The current epoch.
  private epoch = 0;
  private started = 0;
  private trainedAt = 0;
  private done = 0;
  private seen = 0;
  private metrics: Logs = {};
  private lastDraw = Number.NEGATIVE_INFINITY;

  constructor(args: ProgressBarArgs = {}) {
    this.stream = args.stream ?? process.stderr;
    this.now = args.now ?? (() => performance.now());
    this.width = args.width ?? 30;
    if (!Number.isInteger(this.width) || this.width <= 0)
      throw new Error(`progressBar: \`width\` must be a positive integer, received ${this.width}`);
    this.redrawMs = args.redrawMs ?? 100;
    this.verboseOverride = args.verbose;
  }

  setParams(params: TrainingParams): void {
    this.params = params;
  }

  private get quiet(): boolean {
    return (this.verboseOverride ?? this.params?.verbose ?? 1) === 0;
  }

  private get tty(): boolean {
    return this.stream.isTTY === true;
  }

  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
    this.started = this.now();
    this.trainedAt = this.started;
    this.done = 0;
    this.seen = 0;
    this.metrics = {};
    this.lastDraw = Number.NEGATIVE_INFINITY;
    if (!this.quiet && this.tty) this.draw();
  }

  onBatchEnd(batch: number, logs: Logs): void {
    this.done = batch + 1;
    this.seen += logs.size ?? this.params?.batchSize ?? 0;
    // Batch logs carry the epoch's running means ('loss', 'accuracy'): the bar shows them as they are.
    this.metrics = Object.fromEntries(Object.entries(logs).filter(([key]) => !hidden(key)));
    this.trainedAt = this.now();
    if (this.quiet || !this.tty) return;
    if (this.trainedAt - this.lastDraw >= this.redrawMs || this.done === this.steps) this.draw();
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    if (this.quiet) return;
    const elapsed = (this.now() - this.started) / 1000;
    const parts = [this.epochLabel(), `${this.done}/${this.steps}`, formatDuration(elapsed)];
    for (const [key, value] of Object.entries(logs)) parts.push(`${key} ${formatValue(value)}`);
    const throughput = this.throughput();
    if (throughput !== null) parts.push(throughput);
    this.stream.write(`${this.tty ? '\r\x1b[K' : ''}${parts.join(' ')}\n`);
  }

  /** The bar line for the current state (what a TTY shows mid-epoch). */
  barLine(): string {
    const steps = this.steps;
    const elapsed = (this.trainedAt - this.started) / 1000;
    const eta = this.done === 0 ? '-:--' : formatClock((elapsed / this.done) * (steps - this.done));
    const parts = [
      this.epochLabel(),
      formatBar(this.done, steps, this.width),
      `${String(this.done).padStart(String(steps).length)}/${steps}`,
      `ETA ${eta}`,
    ];
    for (const [key, value] of Object.entries(this.metrics)) parts.push(`${key} ${formatValue(value)}`);
    const throughput = this.throughput();
    if (throughput !== null) parts.push(throughput);
    return parts.join(' ');
  }

  private draw(): void {
    this.lastDraw = this.now();
    const line = this.barLine();
    const columns = this.stream.columns;
    // One column short of the width: a line that fills the last column wraps on some terminals.
    const fitted = columns !== undefined && columns > 1 ? line.slice(0, columns - 1) : line;
    this.stream.write(`\r${fitted}\x1b[K`);
  }

  private get steps(): number {
    return this.params?.steps ?? this.done;
  }

  private epochLabel(): string {
    return `Epoch ${this.epoch + 1}/${this.params?.epochs ?? '?'}`;
  }

  /** Examples trained on this epoch per second of training (validation time excluded). */
  private throughput(): string | null {
    const seconds = (this.trainedAt - this.started) / 1000;
    return seconds > 0 && this.seen > 0 ? `${formatCount(this.seen / seconds)} img/s` : null;
  }
}

export const progressBar = (args: ProgressBarArgs = {}): ProgressBar => new ProgressBar(args);
