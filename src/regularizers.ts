/**
 * Weight regularizers, mirroring TensorFlow.js's `tf.regularizers`: a penalty added to the loss,
 *   penalty(w) = l1 · Σ|w| + l2 · Σw²   (Keras semantics; no ½ on the l2 term).
 * All three factories make tfjs's one class, 'L1L2'.
 */
import { abs, add, mul, square } from './ops/arithmetic.js';
import { scalar } from './ops/creation.js';
import { sum } from './ops/reduction.js';
import {
  check,
  type ConfigDict,
  lookupKey,
  optionalNumber,
  readSerialized,
  type Serialized,
  type SerializedInput,
  unknownName,
} from './serialization.js';
import type { Tensor } from './tensor.js';

export type { ConfigDict, Serialized, SerializedInput } from './serialization.js';

export type L1L2Config = {
  readonly l1: number;
  readonly l2: number;
};

export interface Regularizer {
  /** The name tfjs serializes it under. */
  readonly className: 'L1L2';
  /** The penalty for `weights`: a scalar tensor, differentiable with respect to the weights. */
  penalty(weights: Tensor): Tensor;
  getConfig(): L1L2Config;
}

export interface L1L2Args {
  /** L1 factor; default 0.01. */
  readonly l1?: number;
  /** L2 factor; default 0.01. */
  readonly l2?: number;
}

function makeL1L2(where: string, l1: number, l2: number): Regularizer {
  check(where, 'l1', l1, l1 >= 0, 'a non-negative finite number');
  check(where, 'l2', l2, l2 >= 0, 'a non-negative finite number');
  const config: L1L2Config = { l1, l2 };
  return {
    className: 'L1L2',
    penalty: (weights) => {
      // Terms with a zero factor are left out, so l2 alone never differentiates |w| (kinked at 0).
      let total = scalar(0);
      if (l1 !== 0) total = add(total, mul(sum(abs(weights)), l1));
      if (l2 !== 0) total = add(total, mul(sum(square(weights)), l2));
      return total;
    },
    getConfig: () => config,
  };
}

/** l1 · Σ|w| + l2 · Σw². */
export function l1l2(args: L1L2Args = {}): Regularizer {
  return makeL1L2('regularizers.l1l2', args.l1 ?? 0.01, args.l2 ?? 0.01);
}

/** l1 · Σ|w|. */
export function l1(args: { readonly l1?: number } = {}): Regularizer {
  return makeL1L2('regularizers.l1', args.l1 ?? 0.01, 0);
}

/** l2 · Σw². */
export function l2(args: { readonly l2?: number } = {}): Regularizer {
  return makeL1L2('regularizers.l2', 0, args.l2 ?? 0.01);
}

type Builder = (config: ConfigDict, where: string) => Regularizer;

/** Identifiers (tfjs's 'l1l2'; Keras's 'l1', 'l2', 'l1_l2' and Keras 3's classes 'L1', 'L2') → builders. */
const BUILDERS: Readonly<Record<string, Builder>> = {
  l1l2: (config, where) => l1l2({ l1: optionalNumber(config, 'l1', where), l2: optionalNumber(config, 'l2', where) }),
  l1: (config, where) => l1({ l1: optionalNumber(config, 'l1', where) }),
  l2: (config, where) => l2({ l2: optionalNumber(config, 'l2', where) }),
};

const KNOWN = Object.keys(BUILDERS);
const BY_KEY = new Map(KNOWN.map((name) => [lookupKey(name), name]));

function build(name: string, config: ConfigDict, where: string): Regularizer {
  const known = BY_KEY.get(lookupKey(name));
  const builder = known === undefined ? undefined : BUILDERS[known];
  if (builder === undefined) throw unknownName(where, 'regularizer', name, KNOWN);
  return builder(config, `${where} '${name}'`);
}

export type RegularizerIdentifier = string | Regularizer | SerializedInput;

/** A regularizer from a name (`'l1l2'`, `'l2'`: default factors), a serialized object, or a regularizer (as is). */
export function getRegularizer(identifier: RegularizerIdentifier): Regularizer {
  if (typeof identifier === 'string') return build(identifier, {}, 'getRegularizer');
  if ('penalty' in identifier) return identifier;
  return deserializeRegularizer(identifier);
}

/** Rebuilds a regularizer from `{className: 'L1L2', config: {l1, l2}}` (or the Keras form). */
export function deserializeRegularizer(serialized: SerializedInput): Regularizer {
  const { className, config } = readSerialized(serialized, 'deserializeRegularizer');
  return build(className, config, 'deserializeRegularizer');
}

/** `{className: 'L1L2', config: {l1, l2}}`, as tfjs writes it. */
export function serializeRegularizer(regularizer: Regularizer): Serialized<'L1L2', L1L2Config> {
  return { className: regularizer.className, config: { ...regularizer.getConfig() } };
}
