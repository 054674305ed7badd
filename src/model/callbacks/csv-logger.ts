/**
 * CSVLogger (Keras semantics) over a text sink, so it works wherever the text can go (a file in Node, a download or
 * a textarea in a browser): a header `epoch,<log keys sorted alphabetically>` at the first epoch's end, then one row
 * per epoch. A key missing from an epoch's logs is written as 'NA'. Lines end with '\n'.
 */
import type { Callback, Logs } from './callback.js';

export interface CsvLoggerArgs {
  /** Receives the text, a line at a time; may return a promise, which fit awaits. */
  readonly write: (text: string) => void | Promise<void>;
  /** Field separator. Default ','. */
  readonly separator?: string;
  /** Continue an existing log: write no header. Default false. */
  readonly append?: boolean;
  /**
   * Columns after 'epoch' (e.g. an existing log's header, when appending); default the first epoch's log keys,
   * sorted.
   */
  readonly columns?: readonly string[];
}

export class CsvLogger implements Callback {
  readonly separator: string;
  readonly append: boolean;
  private readonly write: (text: string) => void | Promise<void>;
  private readonly fixedColumns: readonly string[] | null;
  private columns: readonly string[] | null = null;

  constructor(args: CsvLoggerArgs) {
    if (typeof args.write !== 'function')
      throw new Error(`csvLogger: \`write\` must be a function (text) => void, received ${typeof args.write}`);
    this.write = args.write;
    this.separator = args.separator ?? ',';
    if (this.separator.length === 0 || /["\r\n]/.test(this.separator)) {
      throw new Error(
        `csvLogger: \`separator\` must be a non-empty string without quotes or line breaks, received ${JSON.stringify(this.separator)}`,
      );
    }
    this.append = args.append ?? false;
    this.fixedColumns = args.columns ?? null;
  }

  onTrainBegin(): void {
    this.columns = null;
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    if (this.columns === null) {
      this.columns = this.fixedColumns ?? Object.keys(logs).sort();
      if (!this.append) await this.write(this.line(['epoch', ...this.columns]));
    }
    await this.write(
      this.line([
        String(epoch),
        ...this.columns.map((key) => {
          const value = logs[key];
          return value === undefined ? 'NA' : String(value);
        }),
      ]),
    );
  }

  /** Joins fields, quoting those that hold the separator, a quote or a line break (doubling inner quotes). */
  private line(fields: readonly string[]): string {
    const quoted = fields.map((f) =>
      f.includes(this.separator) || /["\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f,
    );
    return `${quoted.join(this.separator)}\n`;
  }
}
