/**
 * CSVLogger to a file (Node only; Keras `CSVLogger(filename, separator, append)`): the core CsvLogger's lines, the
 * whole file replaced atomically after each epoch (so a kill never leaves a torn row, and the previous file stays
 * until the first epoch of this fit has a row to show). Without `append` the file is started afresh at each fit; with
 * it, rows go after the existing ones (for resumed training), under the existing header's columns, and a header is
 * written only if the file is missing or empty.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError, StateError } from '../errors.js';
import { describe } from '../io/json.js';
import type { Callback, Logs } from '../model/callbacks/callback.js';
import { CsvLogger } from '../model/callbacks/csv-logger.js';
import { writeFileAtomic } from './io/atomic.js';

export interface CsvFileLoggerArgs {
  readonly path: string;
  /** Field separator. Default ','. */
  readonly separator?: string;
  /** Append to an existing file instead of overwriting it. Default false. */
  readonly append?: boolean;
}

/** Splits one CSV line into fields, undoing the quoting CsvLogger applies. */
export function splitCsvLine(line: string, separator: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? '';
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (line.startsWith(separator, i)) {
      fields.push(field);
      field = '';
      i += separator.length - 1;
    } else field += c;
  }
  fields.push(field);
  return fields;
}

async function readIfExists(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return '';
    throw error;
  }
}

export class CsvFileLogger implements Callback {
  readonly path: string;
  readonly separator: string;
  readonly append: boolean;
  private logger: CsvLogger | null = null;
  /** The file's whole text: what was kept of the old file and this fit's lines so far. */
  private text = '';

  constructor(args: CsvFileLoggerArgs) {
    if (typeof args.path !== 'string' || args.path.length === 0)
      throw new ConfigError('csvFileLogger', `\`path\` must be a non-empty string, received ${describe(args.path)}`);
    this.path = args.path;
    this.separator = args.separator ?? ',';
    this.append = args.append ?? false;
  }

  async onTrainBegin(): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const existing = this.append ? await readIfExists(this.path) : '';
    const header = existing.split(/\r?\n/, 1)[0] ?? '';
    this.text = existing !== '' && !existing.endsWith('\n') ? `${existing}\n` : existing;
    const write = (line: string): void => {
      this.text += line;
    };
    this.logger =
      header === ''
        ? new CsvLogger({ write, separator: this.separator })
        : new CsvLogger({
            write,
            separator: this.separator,
            append: true,
            columns: splitCsvLine(header, this.separator).slice(1),
          });
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    if (this.logger === null)
      throw new StateError('csvFileLogger', 'onEpochEnd before onTrainBegin; pass the callback to fit({ callbacks })');
    await this.logger.onEpochEnd(epoch, logs);
    await writeFileAtomic(this.path, this.text);
  }
}

export const csvFileLogger = (args: CsvFileLoggerArgs): CsvFileLogger => new CsvFileLogger(args);
