/** The options of `cnnlab train` as a checkpoint keeps them (state.json `data.options`), written and read back checked. */
import { type ConfigValue, FormatError } from '../index.js';
import type { TrainOptions } from './train.js';

type JsonObject = { readonly [key: string]: ConfigValue };

/** A received value as a message quotes it: short, and never more than 80 characters of a string. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  const text = typeof value === 'string' ? `'${value}'` : String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Parsed JSON that is an object (not an array, not null). */
function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function expectObject(value: unknown, where: string, field: string): JsonObject {
  if (!isJsonObject(value)) throw new FormatError(where, `\`${field}\` must be a JSON object, received ${describe(value)}`);
  return value;
}

/** The options as plain JSON (absent options are left out). */
export function trainOptionsJson(options: TrainOptions): JsonObject {
  const copy: unknown = JSON.parse(JSON.stringify(options));
  return expectObject(copy, 'trainOptionsJson', 'options');
}

/** Reads typed fields of one JSON object, each error naming the file and the field. */
class Fields {
  constructor(private readonly json: JsonObject, private readonly where: string) {}

  private fail(key: string, expected: string): never {
    throw new FormatError(this.where, `\`data.options.${key}\` must be ${expected}, received ${describe(this.json[key])}`);
  }

  string(key: string): string {
    const value = this.json[key];
    return typeof value === 'string' ? value : this.fail(key, 'a string');
  }

  optionalString(key: string): string | undefined {
    return this.json[key] === undefined ? undefined : this.string(key);
  }

  number(key: string, ok: (n: number) => boolean, expected: string): number {
    const value = this.json[key];
    return typeof value === 'number' && ok(value) ? value : this.fail(key, expected);
  }

  optionalNumber(key: string, ok: (n: number) => boolean, expected: string): number | undefined {
    return this.json[key] === undefined ? undefined : this.number(key, ok, expected);
  }

  boolean(key: string): boolean {
    const value = this.json[key] ?? false;
    return typeof value === 'boolean' ? value : this.fail(key, 'true or false');
  }

  size(key: string): [number, number] | undefined {
    const value = this.json[key];
    if (value === undefined) return undefined;
    const [h, w, ...rest] = Array.isArray(value) ? value : [];
    if (typeof h === 'number' && typeof w === 'number' && h > 0 && w > 0 && rest.length === 0) return [h, w];
    return this.fail(key, 'a [height, width] pair of positive numbers');
  }
}

const positiveInteger = (n: number): boolean => Number.isSafeInteger(n) && n > 0;

/** The options a checkpoint saved, checked: a state.json edited by hand or damaged fails here, naming the field. */
export function savedTrainOptions(value: unknown, where: string): TrainOptions {
  const f = new Fields(expectObject(value, where, 'data.options'), where);
  const channels = f.optionalNumber('channels', (n) => n === 1 || n === 3, '1 or 3');
  return {
    model: f.string('model'), dataset: f.string('dataset'),
    epochs: f.number('epochs', positiveInteger, 'a positive integer'),
    batchSize: f.number('batchSize', positiveInteger, 'a positive integer'),
    optimizer: f.string('optimizer'),
    learningRate: f.optionalNumber('learningRate', (n) => n > 0 && Number.isFinite(n), 'a positive number'),
    seed: f.number('seed', (n) => Number.isSafeInteger(n) && n >= 0, 'a non-negative integer'),
    validationSplit: f.number('validationSplit', (n) => n >= 0 && n < 1, 'a number in [0, 1)'),
    out: f.string('out'), runName: f.optionalString('runName'),
    limit: f.optionalNumber('limit', positiveInteger, 'a positive integer'),
    testLimit: f.optionalNumber('testLimit', positiveInteger, 'a positive integer'),
    backend: f.optionalString('backend'), quiet: f.boolean('quiet'),
    imageSize: f.size('imageSize'), channels: channels === undefined ? undefined : channels === 3 ? 3 : 1, resize: f.boolean('resize'),
    checkpoint: true,
  };
}
