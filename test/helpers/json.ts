/**
 * JSON in tests: files the code wrote are parsed into `unknown` and narrowed here, so a file of the wrong shape
 * fails with a message instead of flowing on as `any`.
 */

export type JsonObject = Record<string, unknown>;

/** Whether `value` is a JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses `text`, which must hold a JSON object (a model.json, a state.json, …). */
export function parseJsonObject(text: string): JsonObject {
  const value: unknown = JSON.parse(text);
  if (!isJsonObject(value)) throw new Error(`expected a JSON object, received ${text.slice(0, 80)}`);
  return value;
}

/** The elements of `value`, which must be an array of JSON objects; `what` names it in the error. */
export function jsonObjects(value: unknown, what: string): JsonObject[] {
  if (!Array.isArray(value)) throw new Error(`${what}: expected an array, received ${JSON.stringify(value)}`);
  const items: readonly unknown[] = value;
  return items.map((item, i) => {
    if (!isJsonObject(item)) throw new Error(`${what}[${i}]: expected an object, received ${JSON.stringify(item)}`);
    return item;
  });
}

/**
 * `value` after `JSON.stringify` and `JSON.parse`, as a file carries it. Typed as the input, because what survives
 * that trip is what the calling test checks.
 */
export function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
