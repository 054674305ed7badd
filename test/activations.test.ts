import { describe, expect, it } from 'vitest';
import { activations, tensor } from '../src/index.js';
import { randomInput } from './helpers/gradcheck.js';
import { expectClose, tf, toTf } from './helpers/tfjs.js';

const { activationNames, deserializeActivation, getActivation, isActivationIdentifier, serializeActivation } =
  activations;

/** The activations TensorFlow.js also knows by name (it has no 'leakyRelu' activation string). */
const tfjsNames = activationNames.filter((name) => name !== 'leakyRelu');

describe('activation registry', () => {
  it('an unknown name throws, listing every known activation', () => {
    expect(() => getActivation('rellu')).toThrow(
      "Unknown activation 'rellu'; known activations: linear, relu, relu6, leakyRelu, elu, selu, sigmoid, hardSigmoid, " +
        'tanh, softplus, softsign, swish, gelu, softmax',
    );
    // Names inherited from Object.prototype are not activations.
    expect(() => getActivation('toString')).toThrow(/Unknown activation 'toString'/);
    expect(isActivationIdentifier('toString')).toBe(false);
  });

  it('identifiers are recognized; snake_case aliases resolve but are not identifiers', () => {
    expect(activationNames.every(isActivationIdentifier)).toBe(true);
    expect(isActivationIdentifier('hard_sigmoid')).toBe(false);
    expect(deserializeActivation('hard_sigmoid')).toBe('hardSigmoid');
    expect(deserializeActivation('leaky_relu')).toBe('leakyRelu');
    expect(deserializeActivation('silu')).toBe('swish');
    expect(deserializeActivation('relu6')).toBe('relu6');
  });

  it('aliases compute the same function (hand-computed)', () => {
    const x = tensor([-1, 0.5, 3]);
    // hard sigmoid = clip(0.2x + 0.5, 0, 1); Keras' leaky_relu activation has slope 0.2 (keras.io example: -1 → -0.2).
    expectClose(getActivation('hard_sigmoid')(x).dataSync(), [0.3, 0.6, 1]);
    expectClose(getActivation('hardSigmoid')(x).dataSync(), [0.3, 0.6, 1]);
    expectClose(getActivation('leaky_relu')(x).dataSync(), [-0.2, 0.5, 3]);
    expectClose(getActivation('leakyRelu')(x).dataSync(), [-0.2, 0.5, 3]);
    expectClose(getActivation('relu')(x).dataSync(), [0, 0.5, 3]);
  });

  it('every name tfjs knows computes what tf.layers.activation computes', () => {
    const x = randomInput([3, 5], 1, -4, 4);
    for (const name of tfjsNames) {
      const expected = tf.layers.activation({ activation: name }).apply(toTf(x));
      if (!(expected instanceof tf.Tensor)) throw new Error('expected a tensor from a tfjs layer');
      expectClose(getActivation(name)(x).dataSync(), expected.dataSync());
    }
  });

  it('serializes to the snake_case names tfjs writes into model JSON, and back', () => {
    for (const name of tfjsNames) {
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2], activation: name })] });
      const json = JSON.stringify(model.toJSON(null, false));
      const written = /"activation":"([^"]+)"/.exec(json)?.[1];
      expect(serializeActivation(name)).toBe(written);
    }
    expect(serializeActivation('leakyRelu')).toBe('leaky_relu');
    for (const name of activationNames) expect(deserializeActivation(serializeActivation(name))).toBe(name);
  });
});
