/** Parsers for command-line values: each throws a one-line error naming the flag, the expectation and the value. */
import { InvalidArgumentError } from 'commander';

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
    if (!ok) throw new InvalidArgumentError(`${flag} must be a number in ${loExclusive ? '(' : '['}${lo}, ${hi}), received '${value}'`);
    return n;
  };
}

/** `28x28` → [28, 28]. */
export function imageSize(flag: string): (value: string) => [number, number] {
  return (value) => {
    const match = /^(\d+)x(\d+)$/.exec(value.trim());
    const h = Number(match?.[1]);
    const w = Number(match?.[2]);
    if (match === null || h <= 0 || w <= 0) throw new InvalidArgumentError(`${flag} must look like 28x28, received '${value}'`);
    return [h, w];
  };
}

export function oneOf<T extends string>(flag: string, choices: readonly T[]): (value: string) => T {
  return (value) => {
    const found = choices.find((c) => c === value);
    if (found === undefined) throw new InvalidArgumentError(`${flag} must be one of ${choices.join(', ')}, received '${value}'`);
    return found;
  };
}
