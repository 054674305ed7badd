/**
 * Checking one layer's config from a model file before the layer is built: the fields every layer shares, the
 * spellings Keras uses where tfjs differs. Each layer's own options, including Keras options cnnlab cannot honour
 * (refused rather than ignored, so a file never loads into a model that computes something else), are checked
 * by the layer's constructor.
 */
import { errorMessage, FormatError } from '../errors.js';
import { checkLayerClassName, layerClass, type LayerClassName } from '../layers/registry.js';
import { describe, expectObject, expectString, fieldPath, type Json, type JsonObject } from './json.js';

/** A layer entry of a topology, camel-cased and checked: `{className, config}`. */
export interface LayerEntry {
  readonly className: LayerClassName;
  readonly config: JsonObject;
}

/** Config keys whose value is an initializer, regularizer or constraint: a name, null, or `{className, config}`. */
const SERIALIZED_OPTION = /(Initializer|Regularizer|Constraint)$/;

function checkBatchShape(value: Json | undefined, where: string, field: string): void {
  if (value === undefined || value === null) return;
  const ok =
    Array.isArray(value) &&
    value.length >= 1 &&
    value.every((d) => d === null || (typeof d === 'number' && Number.isSafeInteger(d) && d > 0));
  if (!ok)
    throw new Error(
      `${where}: \`${field}\` must be a list of positive integers or nulls, received ${JSON.stringify(value)}`,
    );
}

function checkSerializedOption(value: Json | undefined, where: string, field: string): void {
  if (value === undefined || value === null || typeof value === 'string') return;
  const object = expectObject(value, where, field);
  expectString(object.className, where, fieldPath(field, 'className'));
  const config = object.config;
  if (config !== undefined && config !== null) expectObject(config, where, fieldPath(field, 'config'));
}

/**
 * Reads `{className, config}` (already camel-cased), checking the shared fields and mapping Keras spellings:
 * Keras 3's `batchShape` becomes `batchInputShape`. Throws naming `field` for anything malformed or unsupported.
 */
export function readLayerEntry(value: unknown, where: string, field: string): LayerEntry {
  const entry = expectObject(value, where, field);
  const rawName = expectString(entry.className, where, fieldPath(field, 'className'));
  let className: LayerClassName;
  try {
    className = checkLayerClassName(rawName);
  } catch (error) {
    throw new FormatError(where, `\`${fieldPath(field, 'className')}\`: ${errorMessage(error)}`, { cause: error });
  }
  const configField = fieldPath(field, 'config');
  const config: Record<string, Json> = {
    ...(entry.config === undefined ? {} : expectObject(entry.config, where, configField)),
  };
  const at = (key: string): string => fieldPath(configField, key);

  if (config.name !== undefined && config.name !== null) expectString(config.name, where, at('name'));
  if (config.trainable !== undefined && config.trainable !== null && typeof config.trainable !== 'boolean') {
    throw new Error(`${where}: \`${at('trainable')}\` must be true or false, received ${describe(config.trainable)}`);
  }
  if (config.batchInputShape === undefined && config.batchShape !== undefined) {
    config.batchInputShape = config.batchShape;
  }
  delete config.batchShape;
  if (config.batchInputShape === null) delete config.batchInputShape;
  checkBatchShape(config.batchInputShape, where, at('batchInputShape'));

  const dataFormat = config.dataFormat;
  if (dataFormat !== undefined && dataFormat !== null && dataFormat !== 'channelsLast') {
    throw new Error(
      `${where}: \`${at('dataFormat')}\` must be 'channels_last' (cnnlab keeps activations NHWC), received ${describe(dataFormat)}`,
    );
  }
  for (const [key, option] of Object.entries(config)) {
    if (SERIALIZED_OPTION.test(key)) checkSerializedOption(option, where, at(key));
  }
  return { className, config };
}

/**
 * Applies the class's rules for configs as Keras writes them, for an input of rank `rank` (each class's
 * `fromKerasConfig`; BatchNormalization maps Keras 2's built `axis: [3]` to -1).
 */
export function normalizeAxis(entry: LayerEntry, rank: number): LayerEntry {
  return { className: entry.className, config: layerClass(entry.className).fromKerasConfig(entry.config, rank) };
}
