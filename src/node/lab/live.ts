/**
 * The lab's live terminal view (Node only). On a TTY one status line is redrawn in place:
 *
 *     [4/23] batchnorm › with batch norm · MNIST · seed 0 · epoch 2/5 [======>       ] · lab 17% · ETA 1:02
 *
 * and each finished run leaves one line (the only output on a stream that is not a TTY, such as a log file):
 *
 *     [4/23] batchnorm › with batch norm · MNIST · seed 0: test 97.12%, 1.92 s/epoch, 9.64 s · lab ETA 1:02
 *
 * The lab's ETA assumes the remaining runs take as long as this session's finished ones did, counting the
 * current run's progress (runs share one data size and epoch count, so they cost about the same).
 */
import { datasetTitle, formatCount, formatFixed2, formatPercent } from '../../lab/format.js';
import type { RunMetrics } from '../../lab/metrics.js';
import { type Callback, formatBar, formatClock, type ProgressStream, type TrainingParams } from '../index.js';

export interface LabViewArgs {
  /** Default process.stderr. */
  readonly stream?: ProgressStream;
  /** Milliseconds clock; default performance.now. */
  readonly now?: () => number;
  /** Minimum time between redraws on a TTY, in ms. Default 200. */
  readonly redrawMs?: number;
  /** Print nothing. */
  readonly quiet?: boolean;
}

export interface RunLabel {
  readonly title: string;
  readonly dataset: string;
  readonly seed: number;
}

export class LabView {
  private readonly stream: ProgressStream;
  private readonly now: () => number;
  private readonly redrawMs: number;
  private readonly quiet: boolean;
  private toTrain = 0;
  private finished = 0;
  private started = 0;
  private run: RunLabel | null = null;
  private params: TrainingParams | null = null;
  private epoch = 0;
  private step = 0;
  private lastDraw = Number.NEGATIVE_INFINITY;

  constructor(args: LabViewArgs = {}) {
    this.stream = args.stream ?? process.stderr;
    this.now = args.now ?? (() => performance.now());
    this.redrawMs = args.redrawMs ?? 200;
    this.quiet = args.quiet ?? false;
  }

  private write(text: string): void {
    if (!this.quiet) this.stream.write(text);
  }

  /** Announces the plan: `planned` unique runs, of which `done` are already on disk. */
  begin(planned: number, done: number, description: string): void {
    this.toTrain = planned - done;
    this.finished = 0;
    this.started = this.now();
    const resumed = done > 0 ? ` (${done} already finished, ${this.toTrain} to train)` : '';
    this.write(`Lab: ${formatCount(planned, 'run')}${resumed} · ${description}\n`);
  }

  startRun(label: RunLabel): void {
    this.run = label;
    this.epoch = 0;
    this.step = 0;
    this.params = null;
    this.lastDraw = Number.NEGATIVE_INFINITY;
    this.draw();
  }

  /** Fraction of this session's training done, counting the current run's progress. */
  get fraction(): number {
    if (this.toTrain === 0) return 1;
    const steps = this.params?.steps ?? 1;
    const epochs = this.params?.epochs ?? 1;
    const current = this.run === null ? 0 : (this.epoch + this.step / steps) / epochs;
    return Math.min(1, (this.finished + current) / this.toTrain);
  }

  /** Seconds left for the whole lab, or null before anything can be measured. */
  eta(): number | null {
    const fraction = this.fraction;
    if (fraction <= 0) return null;
    const elapsed = (this.now() - this.started) / 1000;
    return (elapsed / fraction) * (1 - fraction);
  }

  /** A fit callback that feeds the view the current run's progress. */
  callback(): Callback {
    return {
      setParams: (params) => {
        this.params = params;
      },
      onEpochBegin: (epoch) => {
        this.epoch = epoch;
        this.step = 0;
      },
      onBatchEnd: (batch) => {
        this.step = batch + 1;
        if (this.now() - this.lastDraw >= this.redrawMs) this.draw();
      },
    };
  }

  private prefix(label: RunLabel): string {
    return `[${this.finished + 1}/${this.toTrain}] ${label.title} · ${datasetTitle(label.dataset)} · seed ${label.seed}`;
  }

  private etaText(): string {
    const eta = this.eta();
    return eta === null ? 'ETA -:--' : `ETA ${formatClock(eta)}`;
  }

  /** The status line a TTY shows mid-run. */
  statusLine(): string {
    if (this.run === null) return '';
    if (this.params === null)
      return `${this.prefix(this.run)} · starting · lab ${Math.floor(this.fraction * 100)}% · ${this.etaText()}`;
    const epochs = this.params?.epochs ?? 0;
    const steps = this.params?.steps ?? 0;
    const bar = formatBar(this.epoch * steps + this.step, epochs * steps, 20);
    return (
      `${this.prefix(this.run)} · epoch ${Math.min(this.epoch + 1, Math.max(epochs, 1))}/${epochs} ${bar} · ` +
      `lab ${Math.floor(this.fraction * 100)}% · ${this.etaText()}`
    );
  }

  private draw(): void {
    if (this.stream.isTTY !== true || this.run === null) return;
    this.lastDraw = this.now();
    const columns = this.stream.columns;
    const line = this.statusLine();
    this.write(`\r${columns !== undefined && columns > 1 ? line.slice(0, columns - 1) : line}\x1b[K`);
  }

  endRun(metrics: RunMetrics, diverged: boolean): void {
    if (this.run === null) return;
    const label = this.run;
    const prefix = this.prefix(label);
    this.finished++;
    this.run = null;
    const test = metrics.testAccuracy === null ? 'test –' : `test ${formatPercent(metrics.testAccuracy)}`;
    const perEpoch = metrics.secondsPerEpoch === null ? '' : `, ${formatFixed2(metrics.secondsPerEpoch)} s/epoch`;
    const note = diverged ? ' (diverged: the loss became NaN)' : '';
    const eta = this.finished < this.toTrain ? ` · lab ${this.etaText()}` : '';
    this.write(
      `${this.stream.isTTY === true ? '\r\x1b[K' : ''}${prefix}: ${test}${perEpoch}, ${formatFixed2(metrics.totalSeconds)} s${note}${eta}\n`,
    );
  }

  end(line: string): void {
    this.write(`${line}\n`);
  }
}
