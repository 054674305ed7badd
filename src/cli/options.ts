/** Parsers for command-line values: each throws a one-line error naming the flag, the expectation and the value. */
import { InvalidArgumentError } from 'commander';
import { type data, quote } from '../index.js';

export function positiveInteger(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n <= 0) {
      throw new InvalidArgumentError(`${flag} must be a positive integer, received '${value}'`);
    }
    return n;
  };
}

export function nonNegativeInteger(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
      throw new InvalidArgumentError(`${flag} must be a non-negative integer, received '${value}'`);
    }
    return n;
  };
}

/** A finite number in [lo, hi) (or (0, hi) when lo is exclusive). */
export function numberIn(flag: string, lo: number, hi: number, loExclusive = false): (value: string) => number {
  return (value) => {
    const n = Number(value);
    const ok = value.trim() !== '' && Number.isFinite(n) && (loExclusive ? n > lo : n >= lo) && n < hi;
    if (!ok)
      throw new InvalidArgumentError(
        `${flag} must be a number in ${loExclusive ? '(' : '['}${lo}, ${hi}), received '${value}'`,
      );
    return n;
  };
}

/** The largest side `--image-size` takes: a 4096x4096 RGB batch of one already needs 200 MB of floats. */
export const MAX_IMAGE_SIDE = 4096;

/** `28x28` → [28, 28]; each side in [1, MAX_IMAGE_SIDE]. */
export function imageSize(flag: string): (value: string) => [number, number] {
  return (value) => {
    const match = /^(\d+)x(\d+)$/.exec(value.trim());
    const h = Number(match?.[1]);
    const w = Number(match?.[2]);
    if (match === null || h <= 0 || w <= 0 || h > MAX_IMAGE_SIDE || w > MAX_IMAGE_SIDE)
      throw new InvalidArgumentError(
        `${flag} must look like 28x28, each side at most ${MAX_IMAGE_SIDE}, received ${quote(value)}`,
      );
    return [h, w];
  };
}

/** A user value cut to a few hundred characters, for quoting in a message. */

export function oneOf<T extends string>(flag: string, choices: readonly T[]): (value: string) => T {
  return (value) => {
    const found = choices.find((c) => c === value);
    if (found === undefined)
      throw new InvalidArgumentError(`${flag} must be one of ${choices.join(', ')}, received '${value}'`);
    return found;
  };
}

/** What `--augment` alone stands for: small shifts and turns, and no flips (a mirrored digit is another symbol). */
export const DEFAULT_AUGMENT = 'shift=2,rotation=10';

/**
 * `shift=<pixels>`, `rotation=<degrees>` and `flip` (a left–right mirror half the time), comma-separated, each at most
 * once: `shift=2,rotation=10` → `{ shift: 2, rotation: 10 }`.
 */
export function augmentation(flag: string): (value: string) => data.AugmentOptions {
  return (value) => {
    const fail = (): never => {
      throw new InvalidArgumentError(
        `${flag} must be comma-separated shift=<integer pixels>, rotation=<degrees in [0, 180]> and flip, like ${DEFAULT_AUGMENT}, received '${value}'`,
      );
    };
    const parts = value.split(',').map((part) => part.trim().split('='));
    const keys = parts.map(([key]) => key);
    if (new Set(keys).size !== keys.length) fail();
    let options: data.AugmentOptions = {};
    for (const [key, text, ...rest] of parts) {
      const n = Number(text);
      if (rest.length > 0) fail();
      else if (key === 'flip' && text === undefined) options = { ...options, horizontalFlip: true };
      else if (key === 'shift' && text !== undefined && /^\d+$/.test(text) && Number.isSafeInteger(n))
        options = { ...options, shift: n };
      else if (key === 'rotation' && text !== undefined && text.trim() !== '' && n >= 0 && n <= 180)
        options = { ...options, rotation: n };
      else fail();
    }
    return options;
  };
}

/** The value `augmentation` parsed, read back from commander's untyped option values. */
export function augmentOption(value: unknown): data.AugmentOptions | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const shift: unknown = Reflect.get(value, 'shift');
  const rotation: unknown = Reflect.get(value, 'rotation');
  return {
    ...(typeof shift === 'number' ? { shift } : {}),
    ...(typeof rotation === 'number' ? { rotation } : {}),
    ...(Reflect.get(value, 'horizontalFlip') === true ? { horizontalFlip: true } : {}),
  };
}

/** A string-valued flag read back from commander's untyped option values: the string, or undefined when not given. */
export function stringOption(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
