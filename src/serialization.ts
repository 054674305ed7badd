/**
 * Reading `{className, config}` objects as TensorFlow.js writes them (and as Keras writes them once tfjs's loader
 * has camel-cased the keys). Shared by the initializer, regularizer and constraint registries.
 */

/** A JSON value, as found in a model file. */
export type ConfigValue =
  number | string | boolean | null | readonly ConfigValue[] | { readonly [key: string]: ConfigValue };

/** A config as read from a file: any JSON object. */
export type ConfigDict = Readonly<Record<string, ConfigValue | undefined>>;

/** The serialized form of an initializer, regularizer or constraint: tfjs's `{className, config}`. */
export interface Serialized<Name extends string = string, Config = ConfigDict> {
  readonly className: Name;
  readonly config: Config;
}

/** What a registry accepts besides a name: the tfjs form, or the Keras form with `class_name` and snake_case keys. */
export interface SerializedInput {
  readonly className?: string;
  readonly class_name?: string;
  readonly config?: ConfigDict | null;
}

/** `max_value` → `maxValue`, `fan_avg` → `fanAvg` (tfjs's conversion of Keras names). */
export function camelCase(name: string): string {
  return name.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * The key a registry looks names up by: underscores dropped, lower case, so that `glorotUniform`,
 * `glorot_uniform` and `GlorotUniform` all find the same entry.
 */
export function lookupKey(name: string): string {
  return name.replace(/_/g, '').toLowerCase();
}

/** Splits a serialized object into its class name and its config with camelCase keys. */
export function readSerialized(input: SerializedInput, where: string): { className: string; config: ConfigDict } {
  const className = input.className ?? input.class_name;
  if (typeof className !== 'string') {
    throw new Error(
      `${where}: expected a name or an object with a string \`className\`, received ${JSON.stringify(input)}`,
    );
  }
  const config: Record<string, ConfigValue | undefined> = {};
  for (const [key, value] of Object.entries(input.config ?? {})) config[camelCase(key)] = value;
  return { className, config };
}

/** A number from a config, or undefined when absent or null (Keras writes `seed: null`). */
export function optionalNumber(config: ConfigDict, key: string, where: string): number | undefined {
  const value = config[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number')
    throw new Error(`${where}: \`${key}\` must be a number, received ${JSON.stringify(value)}`);
  return value;
}

/** A string from a config, camel-cased (`fan_in` → `fanIn`), or undefined when absent or null. */
export function optionalName(config: ConfigDict, key: string, where: string): string | undefined {
  const value = config[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new Error(`${where}: \`${key}\` must be a string, received ${JSON.stringify(value)}`);
  return camelCase(value);
}

/** An axis or a list of axes (Keras allows `axis: [0, 1, 2]` for conv kernels), or undefined when absent. */
export function optionalAxis(config: ConfigDict, key: string, where: string): number | readonly number[] | undefined {
  const value = config[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value;
  if (Array.isArray(value)) {
    const items: readonly unknown[] = value;
    if (items.every((v): v is number => typeof v === 'number')) return items;
  }
  throw new Error(`${where}: \`${key}\` must be an integer or a list of integers, received ${JSON.stringify(value)}`);
}

/** Throws unless `value` is a finite number satisfying `ok`; `expected` completes "must be …". */
export function check(where: string, name: string, value: number, ok: boolean, expected: string): void {
  if (!Number.isFinite(value) || !ok) throw new Error(`${where}: \`${name}\` must be ${expected}, received ${value}`);
}

/** The error for an unknown name, listing the known ones. */
export function unknownName(where: string, kind: string, name: string, known: readonly string[]): Error {
  return new Error(`${where}: unknown ${kind} '${name}'; known ${kind}s: ${known.join(', ')}`);
}
