/**
 * JSON helpers for model files: reading untrusted JSON without TypeErrors, and TensorFlow.js's key conversion
 * between its camelCase configs and the snake_case ("pythonic") JSON it writes.
 *
 * tfjs converts every key to snake_case and every string value too ('channelsLast' → 'channels_last',
 * 'fanAvg' → 'fan_avg'), except the values of `name` and `className` keys; loading reverses it. We follow the
 * same rules (tfjs-layers `convertTsToPythonic` / `convertPythonicToTs`) so files match tfjs's byte for byte in
 * structure.
 */
import { FormatError } from '../errors.js';
import type { ConfigValue } from '../serialization.js';

export type Json = ConfigValue;
export type JsonObject = Readonly<Record<string, Json>>;

/** Nesting deeper than this is refused, so hostile files cannot exhaust the stack. */
export const MAX_JSON_DEPTH = 64;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** tfjs's `toSnakeCase`: `kernelSize` → `kernel_size`, `MaxPooling2D` → `max_pooling2d`. */
export function toSnakeCase(name: string): string {
  const snake = name
    .replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
  return snake.startsWith('_') ? `private${snake}` : snake;
}

/** tfjs's `toCamelCase`: `kernel_size` → `kernelSize`; strings without an underscore are kept. */
export function toCamelCase(name: string): string {
  if (name.length <= 1 || !name.includes('_')) return name;
  return name.replace(/_+(\w|$)/g, (_, c: string) => c.toUpperCase());
}

/** A JSON field path for error messages: `modelTopology.config.layers[2]`. */
export function fieldPath(parent: string, key: string | number): string {
  return typeof key === 'number' ? `${parent}[${key}]` : parent === '' ? key : `${parent}.${key}`;
}

type Convert = (name: string) => string;

/** Both directions walk the same way; they differ in the case function and in which key keeps its string. */
interface Walk {
  readonly keyCase: Convert;
  readonly valueCase: Convert;
  /** Keys whose string values keep their spelling. */
  readonly keepKeys: readonly string[];
  /** The source, for error messages. */
  readonly where: string;
}

/**
 * Keys under which a list's first string is a layer name, kept as written (tfjs' `isArrayItemInputOrOutputName`):
 * `inbound_nodes: [[['conv2d_1', 0, 0, {}]]]`, `input_layers: [['input_1', 0, 0]]`.
 */
const NAME_LIST_KEYS = [
  'inboundNodes',
  'inputLayers',
  'outputLayers',
  'inbound_nodes',
  'input_layers',
  'output_layers',
  // Keras 3 writes a call's input as `{config: {keras_history: [name, node, tensor]}}`.
  'kerasHistory',
  'keras_history',
];

function convert(value: unknown, walk: Walk, path: string, depth: number, key = ''): Json {
  const fail = (why: string): never => {
    throw new FormatError(walk.where, `\`${path.length > 120 ? `${path.slice(0, 117)}...` : path}\` ${why}`);
  };
  if (depth > MAX_JSON_DEPTH) fail(`is nested deeper than ${MAX_JSON_DEPTH} levels`);
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return walk.valueCase(value);
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(`must be a finite number, received ${value}`);
    return value;
  }
  if (Array.isArray(value)) {
    const items: readonly unknown[] = value;
    const keepsName = NAME_LIST_KEYS.includes(key);
    return items.map((item, i) =>
      keepsName && i === 0 && typeof item === 'string' ? item : convert(item, walk, fieldPath(path, i), depth + 1, key),
    );
  }
  if (typeof value === 'object') {
    const entries: [string, unknown][] = Object.entries(value);
    // Object.fromEntries defines own properties, so a `__proto__` key stays a plain key.
    return Object.fromEntries(
      entries.map(([key, item]): [string, Json] => {
        if (walk.keepKeys.includes(key) && typeof item === 'string') return [walk.keyCase(key), item];
        return [walk.keyCase(key), convert(item, walk, fieldPath(path, key), depth + 1, key)];
      }),
    );
  }
  return fail(`must be a JSON value, received ${typeof value}`);
}

/** camelCase config → the snake_case JSON tfjs writes (undefined becomes null, as in tfjs). */
export function toPythonic(value: unknown, where: string, path = ''): Json {
  return convert(
    value,
    { keyCase: toSnakeCase, valueCase: toSnakeCase, keepKeys: ['name', 'className'], where },
    path,
    0,
  );
}

/** Snake_case JSON (tfjs or Keras) → camelCase config; also checks that it is plain, finite, bounded JSON. */
export function fromPythonic(value: unknown, where: string, path = ''): Json {
  return convert(value, { keyCase: toCamelCase, valueCase: toCamelCase, keepKeys: ['name'], where }, path, 0);
}

/** Throws `where: field must be …, received …` unless `value` is a JSON object. */
export function expectObject(value: unknown, where: string, field: string): JsonObject {
  if (!isJsonObject(value))
    throw new FormatError(where, `\`${field}\` must be a JSON object, received ${describe(value)}`);
  return value;
}

/** Throws unless `value` is an array. */
export function expectArray(value: unknown, where: string, field: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new FormatError(where, `\`${field}\` must be an array, received ${describe(value)}`);
  return value;
}

/** Throws unless `value` is a string. */
export function expectString(value: unknown, where: string, field: string): string {
  if (typeof value !== 'string')
    throw new FormatError(where, `\`${field}\` must be a string, received ${describe(value)}`);
  return value;
}

/** A short description of a received value for an error message (never the whole of a large object). */
export function describe(value: unknown): string {
  let text: string;
  switch (typeof value) {
    case 'undefined':
      return 'nothing';
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? `an array of ${value.length}` : 'an object';
    case 'string':
      text = `'${value}'`;
      break;
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'symbol':
    case 'function':
      text = String(value);
      break;
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
