/**
 * state.json of a training checkpoint (see checkpoint.ts): everything besides the model and its optimizer that an
 * exact resume needs. Read back as untrusted input: every field is checked, and errors name the file and the field.
 */
import { join } from 'node:path';
import { CnnlabError, errorMessage, FormatError } from '../errors.js';
import { describe, expectArray, expectObject, fieldPath, type JsonObject } from '../io/json.js';
import { writeFileAtomic } from './io/atomic.js';
import { readRegularText } from './io/regular-file.js';

export const STATE_JSON = 'state.json';
/** Bumped when the layout changes; older files are refused with a clear error. */
export const STATE_VERSION = 1;
/** The name of the model folder after `n` epochs; the only names state.json may point at. */
export const modelFolder = (epochs: number): string => `epoch-${epochs}`;
const MODEL_FOLDER = /^epoch-\d+$/;
/** state.json larger than this is refused before reading (a long run's history is a few hundred kilobytes). */
const MAX_STATE_BYTES = 64 * 1024 * 1024;

export interface TrainingState {
  /** Epochs completed: the `initialEpoch` of the fit that resumes. */
  readonly epochs: number;
  /** The folder, inside the checkpoint folder, holding the model and its optimizer after those epochs. */
  readonly model: string;
  /** Per-epoch logs so far, as `History.history`. */
  readonly history: Readonly<Record<string, readonly number[]>>;
  /** `Random.getState()` of fit's generator after the last epoch. */
  readonly random: readonly number[];
  /**
   * The state of each generator a layer keeps to itself (dropout layers with a `seed`), by layer name. Files from
   * before this field have none: they resume models without such layers only.
   */
  readonly layerRandom: Readonly<Record<string, readonly number[]>>;
  /** The caller's own JSON (the CLI keeps its options and epoch times here). */
  readonly data: JsonObject;
}

/** JSON has no NaN: NaN is written as null (Random's "no spare normal", a NaN loss) and read back as NaN. */
const toJsonNumbers = (values: readonly number[]): (number | null)[] => values.map((v) => (Number.isNaN(v) ? null : v));

/** Writes `<dir>/state.json` atomically (temp file, fsync, rename): it is the checkpoint's commit point. */
export async function writeTrainingState(dir: string, state: TrainingState): Promise<void> {
  const history = Object.fromEntries(Object.entries(state.history).map(([k, v]) => [k, toJsonNumbers(v)]));
  const layerRandom = Object.fromEntries(Object.entries(state.layerRandom).map(([k, v]) => [k, toJsonNumbers(v)]));
  const json = {
    version: STATE_VERSION,
    epochs: state.epochs,
    model: state.model,
    history,
    random: toJsonNumbers(state.random),
    layerRandom,
    data: state.data,
  };
  await writeFileAtomic(join(dir, STATE_JSON), `${JSON.stringify(json, null, 1)}\n`);
}

function integer(value: unknown, where: string, field: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new FormatError(where, `\`${field}\` must be an integer ≥ ${min}, received ${describe(value)}`);
  }
  return value;
}

/** Numbers, with null read as NaN. */
function numbers(value: unknown, where: string, field: string): number[] {
  return expectArray(value, where, field).map((v, i) => {
    if (v === null) return Number.NaN;
    if (typeof v !== 'number')
      throw new FormatError(where, `\`${fieldPath(field, i)}\` must be a number or null, received ${describe(v)}`);
    return v;
  });
}

/** A `Random.getState()` read back: 4 integers and a number (null: no spare normal). */
function randomState(value: unknown, where: string, field: string): number[] {
  const state = numbers(value, where, field);
  if (state.length !== 5 || state.slice(0, 4).some((v) => !Number.isInteger(v))) {
    throw new FormatError(
      where,
      `\`${field}\` must hold 4 integers and a number or null (Random.getState), received ${describe(value)}`,
    );
  }
  return state;
}

/** Checks a parsed state.json. */
export function parseTrainingState(value: unknown, where: string): TrainingState {
  const json = expectObject(value, where, 'state.json');
  if (json.version !== STATE_VERSION) {
    throw new FormatError(
      where,
      `\`version\` must be ${STATE_VERSION} (written by this cnnlab), received ${describe(json.version)}`,
    );
  }
  const epochs = integer(json.epochs, where, 'epochs', 0);
  const model = json.model;
  if (typeof model !== 'string' || !MODEL_FOLDER.test(model)) {
    throw new FormatError(where, `\`model\` must name a folder like 'epoch-3', received ${describe(model)}`);
  }
  const historyJson = expectObject(json.history, where, 'history');
  const history = Object.fromEntries(
    Object.entries(historyJson).map(([k, v]) => [k, numbers(v, where, fieldPath('history', k))]),
  );
  const random = randomState(json.random, where, 'random');
  const layerRandomJson = expectObject(json.layerRandom ?? {}, where, 'layerRandom');
  const layerRandom = Object.fromEntries(
    Object.entries(layerRandomJson).map(([k, v]) => [k, randomState(v, where, fieldPath('layerRandom', k))]),
  );
  return { epochs, model, history, random, layerRandom, data: expectObject(json.data ?? {}, where, 'data') };
}

/** Reads and checks `<dir>/state.json`. */
export async function readTrainingState(dir: string): Promise<TrainingState> {
  const path = join(dir, STATE_JSON);
  // Only a regular file is read (a FIFO or a device would be read forever), and only once its size is checked.
  const text = await readRegularText(path, MAX_STATE_BYTES, path, 'state.json').catch((error: unknown) => {
    if (error instanceof FormatError) throw error;
    // The open's own error (ENOENT: …), as before files were opened this way.
    const reason = error instanceof CnnlabError && error.cause !== undefined ? error.cause : error;
    throw new CnnlabError(path, `no checkpoint to resume from (${errorMessage(reason)})`, { cause: error });
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FormatError(path, `not valid JSON: ${errorMessage(error)}`);
  }
  return parseTrainingState(json, path);
}
