/**
 * The activation registry: the string names layers accept (`activation: 'relu'`), as in Keras and TensorFlow.js.
 *
 * Names are camelCase in code, as in TensorFlow.js ('hardSigmoid'); model JSON stores them in snake_case
 * ('hard_sigmoid'), because TensorFlow.js converts every config string to snake_case when it saves a model and
 * back to camelCase when it loads one. Both spellings are accepted everywhere.
 */
import * as ops from './ops/activations.js';
import type { Tensor } from './tensor.js';

export type ActivationIdentifier =
  | 'linear'
  | 'relu'
  | 'relu6'
  | 'leakyRelu'
  | 'elu'
  | 'selu'
  | 'sigmoid'
  | 'hardSigmoid'
  | 'tanh'
  | 'softplus'
  | 'softsign'
  | 'swish'
  | 'gelu'
  | 'softmax';

export type ActivationFn = (x: Tensor) => Tensor;

/** Keras' `activation='leaky_relu'` uses slope 0.2 (its LeakyReLU layer, like ops.leakyRelu, defaults to 0.3). */
const KERAS_LEAKY_RELU_SLOPE = 0.2;

const registry: Readonly<Record<ActivationIdentifier, ActivationFn>> = {
  linear: ops.linear,
  relu: ops.relu,
  relu6: ops.relu6,
  leakyRelu: (x) => ops.leakyRelu(x, KERAS_LEAKY_RELU_SLOPE),
  elu: (x) => ops.elu(x),
  selu: ops.selu,
  sigmoid: ops.sigmoid,
  hardSigmoid: ops.hardSigmoid,
  tanh: ops.tanh,
  softplus: ops.softplus,
  softsign: ops.softsign,
  swish: ops.swish,
  gelu: ops.gelu,
  softmax: ops.softmax,
};

/** Every identifier, in a stable order (the order error messages list them in). */
export const activationNames: readonly ActivationIdentifier[] = Object.freeze([
  'linear',
  'relu',
  'relu6',
  'leakyRelu',
  'elu',
  'selu',
  'sigmoid',
  'hardSigmoid',
  'tanh',
  'softplus',
  'softsign',
  'swish',
  'gelu',
  'softmax',
]);

/** Spellings other than the identifier itself: Keras' snake_case names, and Keras 3's 'silu' for swish. */
const aliases: ReadonlyMap<string, ActivationIdentifier> = new Map([
  ['leaky_relu', 'leakyRelu'],
  ['hard_sigmoid', 'hardSigmoid'],
  ['silu', 'swish'],
]);

/** True for a camelCase identifier (aliases excluded; see `deserializeActivation` for those). */
export function isActivationIdentifier(name: string): name is ActivationIdentifier {
  return Object.hasOwn(registry, name);
}

function resolve(name: string): ActivationIdentifier | undefined {
  return isActivationIdentifier(name) ? name : aliases.get(name);
}

function unknown(name: string): Error {
  return new Error(`Unknown activation '${name}'; known activations: ${activationNames.join(', ')}`);
}

/** The identifier a name (camelCase or snake_case) stands for; throws for an unknown name, listing the known ones. */
export function deserializeActivation(name: string): ActivationIdentifier {
  const id = resolve(name);
  if (id === undefined) throw unknown(name);
  return id;
}

/** The function an activation name (camelCase or snake_case) stands for. */
export function getActivation(name: string): ActivationFn {
  return registry[deserializeActivation(name)];
}

/** The snake_case name model JSON stores ('hardSigmoid' → 'hard_sigmoid', 'relu6' → 'relu6'). */
export function serializeActivation(id: ActivationIdentifier): string {
  return id.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}
