/**
 * Option parsers that several layers share (Keras' `standardize_*` helpers): sizes, strides, padding, the data
 * format, activations, and the weight options (initializers, regularizers, constraints). Each checks a value that
 * may come from plain JavaScript or a model file, and fails with the standard message naming layer and option.
 */
import { type ActivationIdentifier, deserializeActivation } from '../activations.js';
import { type Constraint, type ConstraintIdentifier, getConstraint, serializeConstraint } from '../constraints.js';
import { ConfigError, errorMessage } from '../errors.js';
import { getInitializer, type Initializer, type InitializerIdentifier, serializeInitializer } from '../initializers.js';
import type { Padding, Size2D } from '../ops/conv.js';
import { getRegularizer, type Regularizer, type RegularizerIdentifier, serializeRegularizer } from '../regularizers.js';
import type { Serialized } from '../serialization.js';
import { type Option, type OptionContext, optional } from './spec.js';

export type SerializedInitializer = ReturnType<typeof serializeInitializer>;
export type SerializedRegularizer = ReturnType<typeof serializeRegularizer>;
export type SerializedConstraint = Serialized<Constraint['className'], ReturnType<Constraint['getConfig']>>;

/** tfjs's image layouts. cnnlab keeps activations NHWC, so only 'channelsLast' is accepted. */
export type DataFormat = 'channelsLast' | 'channelsFirst';

/**
 * `Array.isArray` for a value typed as an array that plain JavaScript or a model file may still get wrong; unlike
 * the built-in, it keeps the element type instead of narrowing to `any[]`.
 */
export function isArray<T>(value: readonly T[]): value is readonly T[] {
  return Array.isArray(value);
}

export function positiveInteger(value: number, { fail }: OptionContext): number {
  return Number.isInteger(value) && value > 0 ? value : fail('a positive integer', value);
}

export function finiteNumber(value: number, { fail }: OptionContext): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fail('a finite number', value);
}

export function boolean(value: boolean, { fail }: OptionContext): boolean {
  return typeof value === 'boolean' ? value : fail('true or false', value);
}

/** `n` → [n, n]; `[h, w]` → [h, w]; both positive integers. */
export function sizePair(value: Size2D, { fail }: OptionContext): readonly [number, number] {
  const pair: readonly unknown[] = typeof value === 'number' ? [value, value] : Array.isArray(value) ? value : [];
  const [h, w] = pair;
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1;
  return pair.length === 2 && ok(h) && ok(w)
    ? [h, w]
    : fail('a positive integer or [height, width] of positive integers', value);
}

export function padding(value: Padding, { fail }: OptionContext): Padding {
  return value === 'valid' || value === 'same' ? value : fail("'valid' or 'same'", JSON.stringify(value));
}

/**
 * TensorFlow's rule for convolution layers: a dilation above 1 only with strides of 1. `fail` is the layer's
 * standard error (``Conv2D 'c': `dilationRate` must be 1 when strides > 1 …``).
 */
export function checkStridedDilation(
  strides: readonly number[],
  dilationRate: readonly number[],
  fail: (argument: string, expected: string, received: unknown) => never,
): void {
  if (strides.some((s) => s > 1) && dilationRate.some((d) => d > 1)) {
    fail(
      'dilationRate',
      '1 when strides > 1 (as in TensorFlow)',
      `[${dilationRate.join(', ')}] with strides [${strides.join(', ')}]`,
    );
  }
}

/** `dataFormat`: only 'channelsLast' (the default), which the config always writes. */
export const channelsLast: Option<DataFormat, 'channelsLast', 'channelsLast', true> = optional<
  DataFormat,
  'channelsLast'
>('channelsLast', (value, { fail }) =>
  value === 'channelsLast' ? value : fail("'channelsLast' (cnnlab keeps activations NHWC)", JSON.stringify(value)),
);

/** An activation name ('relu', 'gelu', snake_case spellings too), resolved to cnnlab's identifier. */
export function activation(value: string, { where, argument }: OptionContext): ActivationIdentifier {
  try {
    return deserializeActivation(value);
  } catch (error) {
    throw new ConfigError(where, `\`${argument}\` ${errorMessage(error)}`, { cause: error });
  }
}

/** Runs a registry look-up, restating its error under the layer and option: ``Dense 'd': `kernelInitializer`: …``. */
function lookUp<T>({ where, argument }: OptionContext, make: () => T): T {
  try {
    return make();
  } catch (error) {
    throw new ConfigError(where, `\`${argument}\`: ${errorMessage(error)}`, { cause: error });
  }
}

/** An initializer option; the config holds its serialized form. */
export const initializer = (
  fallback: InitializerIdentifier,
): Option<InitializerIdentifier, Initializer, SerializedInitializer, true> =>
  optional(
    fallback,
    (id: InitializerIdentifier, context) => lookUp(context, () => getInitializer(id)),
    serializeInitializer,
  );

/** A regularizer option (default none); the config holds its serialized form or null. */
export const regularizer: Option<RegularizerIdentifier | null, Regularizer | null, SerializedRegularizer | null, true> =
  optional(
    null,
    (id: RegularizerIdentifier | null, context) => (id === null ? null : lookUp(context, () => getRegularizer(id))),
    (r) => (r === null ? null : serializeRegularizer(r)),
  );

/** A constraint option (default none); the config holds its serialized form or null. */
export const constraint: Option<ConstraintIdentifier | null, Constraint | null, SerializedConstraint | null, true> =
  optional(
    null,
    (id: ConstraintIdentifier | null, context) => (id === null ? null : lookUp(context, () => getConstraint(id))),
    (c) => (c === null ? null : serializeConstraint(c)),
  );
