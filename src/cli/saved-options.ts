/**
 * The options of `cnnlab train` as a checkpoint keeps them (state.json `data.options`), written and read back
 * checked.
 */
import { activations, type data, FormatError, io } from '../index.js';
import { type BriefFlags, PADDINGS, POOLINGS } from './brief-flags.js';
import type { TrainOptions } from './train.js';

const { describe, expectObject } = io;
type JsonObject = io.JsonObject;

/** The options as plain JSON (absent options are left out). */
export function trainOptionsJson(options: TrainOptions): JsonObject {
  const copy: unknown = JSON.parse(JSON.stringify(options));
  return expectObject(copy, 'trainOptionsJson', 'options');
}

/** Reads typed fields of one JSON object, each error naming the file and the field. */
class Fields {
  /** `path`: the object's place in state.json, as messages name it. */
  constructor(
    private readonly json: JsonObject,
    private readonly where: string,
    private readonly path = 'data.options',
  ) {}

  private fail(key: string, expected: string): never {
    throw new FormatError(
      this.where,
      `\`${this.path}.${key}\` must be ${expected}, received ${describe(this.json[key])}`,
    );
  }

  /** The fields of an optional nested object. */
  optionalObject(key: string): Fields | undefined {
    const value = this.json[key];
    if (value === undefined) return undefined;
    return new Fields(expectObject(value, this.where, `${this.path}.${key}`), this.where, `${this.path}.${key}`);
  }

  optionalChoice<T extends string>(key: string, choices: readonly T[]): T | undefined {
    const value = this.json[key];
    if (value === undefined) return undefined;
    return choices.find((c) => c === value) ?? this.fail(key, `one of ${choices.join(', ')}`);
  }

  optionalBoolean(key: string): boolean | undefined {
    return this.json[key] === undefined ? undefined : this.boolean(key);
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
    const items: readonly unknown[] = Array.isArray(value) ? value : [];
    const [h, w, ...rest] = items;
    if (typeof h === 'number' && typeof w === 'number' && h > 0 && w > 0 && rest.length === 0) return [h, w];
    return this.fail(key, 'a [height, width] pair of positive numbers');
  }
}

const positiveInteger = (n: number): boolean => Number.isSafeInteger(n) && n > 0;
const nonNegativeInteger = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;
const positive = (n: number): boolean => n > 0 && Number.isFinite(n);

/** `--activation` and the other technique flags of the brief model, as the CLI's parsers accept them. */
function briefFlags(f: Fields): BriefFlags {
  return {
    activation: f.optionalChoice('activation', activations.activationNames),
    batchNorm: f.optionalBoolean('batchNorm'),
    batchNormMomentum: f.optionalNumber('batchNormMomentum', (n) => n >= 0 && n < 1, 'a number in [0, 1)'),
    dropout: f.optionalNumber('dropout', (n) => n >= 0 && n < 1, 'a number in [0, 1)'),
    l2: f.optionalNumber('l2', positive, 'a positive number'),
    kernelSize: f.optionalNumber('kernelSize', positiveInteger, 'a positive integer'),
    padding: f.optionalChoice('padding', PADDINGS),
    pooling: f.optionalChoice('pooling', POOLINGS),
  };
}

function augmentOptions(f: Fields): data.AugmentOptions {
  return {
    shift: f.optionalNumber('shift', nonNegativeInteger, 'a non-negative integer'),
    rotation: f.optionalNumber('rotation', (n) => n >= 0 && n <= 180, 'a number in [0, 180]'),
    horizontalFlip: f.optionalBoolean('horizontalFlip'),
  };
}

/** The options a checkpoint saved, checked: a state.json edited by hand or damaged fails here, naming the field. */
export function savedTrainOptions(value: unknown, where: string): TrainOptions {
  const f = new Fields(expectObject(value, where, 'data.options'), where);
  const channels = f.optionalNumber('channels', (n) => n === 1 || n === 3, '1 or 3');
  const modelOptions = f.optionalObject('modelOptions');
  const augment = f.optionalObject('augment');
  return {
    model: f.string('model'),
    dataset: f.string('dataset'),
    epochs: f.number('epochs', positiveInteger, 'a positive integer'),
    batchSize: f.number('batchSize', positiveInteger, 'a positive integer'),
    optimizer: f.string('optimizer'),
    modelOptions: modelOptions === undefined ? undefined : briefFlags(modelOptions),
    learningRate: f.optionalNumber('learningRate', positive, 'a positive number'),
    seed: f.number('seed', nonNegativeInteger, 'a non-negative integer'),
    validationSplit: f.number('validationSplit', (n) => n >= 0 && n < 1, 'a number in [0, 1)'),
    out: f.string('out'),
    runName: f.optionalString('runName'),
    limit: f.optionalNumber('limit', positiveInteger, 'a positive integer'),
    testLimit: f.optionalNumber('testLimit', positiveInteger, 'a positive integer'),
    backend: f.optionalString('backend'),
    quiet: f.boolean('quiet'),
    imageSize: f.size('imageSize'),
    channels: channels === undefined ? undefined : channels === 3 ? 3 : 1,
    resize: f.boolean('resize'),
    augment: augment === undefined ? undefined : augmentOptions(augment),
    checkpoint: true,
  };
}
