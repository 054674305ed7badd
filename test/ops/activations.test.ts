import { describe, expect, it } from 'vitest';
import {
  elu,
  gelu,
  grads,
  hardSigmoid,
  leakyRelu,
  linear,
  logSoftmax,
  Random,
  relu,
  relu6,
  selu,
  sigmoid,
  softmax,
  softplus,
  softsign,
  swish,
  tanh,
  type Tensor,
  tensor,
} from '../../src/index.js';
import { gradcheck, randomInput } from '../helpers/gradcheck.js';
import { expectClose, tf, toTf } from '../helpers/tfjs.js';

/** Uniform values in [-limit, limit) at least `margin` away from every kink, so derivatives are defined nearby. */
function kinkFreeInput(
  shape: readonly number[],
  seed: number,
  kinks: readonly number[],
  limit = 4,
  margin = 0.05,
): Tensor {
  const random = new Random(seed);
  const size = shape.reduce((n, d) => n * d, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    let v = random.uniform(-limit, limit);
    while (kinks.some((k) => Math.abs(v - k) < margin)) v = random.uniform(-limit, limit);
    values[i] = v;
  }
  const t = tensor(values, shape);
  t.requiresGrad = true;
  return t;
}

/** Compares values and input gradients (under a random upstream gradient) of our op with tfjs's. */
function expectMatchesTf(
  ours: (x: Tensor) => Tensor,
  theirs: (x: tf.Tensor) => tf.Tensor,
  x: Tensor,
  rtol = 1e-4,
  atol = 1e-5,
): void {
  const y = ours(x);
  const dy = randomInput(y.shape, 99);
  const [dx] = grads(y, [x], dy);
  const [expectedDx] = tf.grads((a: tf.Tensor) => theirs(a))([toTf(x)], toTf(dy));
  expectClose(y.dataSync(), theirs(toTf(x)).dataSync(), rtol, atol);
  expectClose(dx?.dataSync() ?? [], expectedDx?.dataSync() ?? [], rtol, atol);
}

const layerActivation =
  (name: 'hardSigmoid' | 'softsign' | 'swish' | 'gelu') =>
  (x: tf.Tensor): tf.Tensor => {
    const out = tf.layers.activation({ activation: name }).apply(x);
    if (!(out instanceof tf.Tensor)) throw new Error('expected a tensor from a tfjs layer');
    return out;
  };

// [name, our op, tfjs oracle, kinks to keep inputs away from]
const cases: readonly (readonly [string, (x: Tensor) => Tensor, (x: tf.Tensor) => tf.Tensor, readonly number[]])[] = [
  ['relu', relu, (x) => tf.relu(x), [0]],
  ['relu6', relu6, (x) => tf.relu6(x), [0, 6]],
  ['leakyRelu (alpha 0.3)', (x) => leakyRelu(x), (x) => tf.leakyRelu(x, 0.3), [0]],
  ['leakyRelu (alpha 0.1)', (x) => leakyRelu(x, 0.1), (x) => tf.leakyRelu(x, 0.1), [0]],
  ['elu', (x) => elu(x), (x) => tf.elu(x), [0]],
  ['selu', selu, (x) => tf.selu(x), [0]],
  ['sigmoid', sigmoid, (x) => tf.sigmoid(x), []],
  ['hardSigmoid', hardSigmoid, layerActivation('hardSigmoid'), [-2.5, 2.5]],
  ['tanh', tanh, (x) => tf.tanh(x), []],
  ['softplus', softplus, (x) => tf.softplus(x), []],
  ['softsign', softsign, layerActivation('softsign'), [0]],
  ['swish', swish, layerActivation('swish'), []],
  ['gelu', gelu, layerActivation('gelu'), []],
];

describe('elementwise activations', () => {
  cases.forEach(([name, ours, theirs, kinks], index) => {
    it(`${name}: values and gradients match tfjs; gradcheck passes`, () => {
      // relu6's inputs reach past 6 so its upper plateau is covered.
      const x = kinkFreeInput([3, 8], index, kinks, name === 'relu6' ? 8 : 4);
      expectMatchesTf(ours, theirs, x);
      expect(gradcheck(() => ours(x), [x])).toBe(24);
    });
  });

  it('defaults and special values (hand-computed)', () => {
    const x = tensor([-2, -0.5, 0.5, 7]);
    expectClose(leakyRelu(x).dataSync(), [-0.6, -0.15, 0.5, 7]);
    expectClose(elu(x, 0.5).dataSync(), [0.5 * Math.expm1(-2), 0.5 * Math.expm1(-0.5), 0.5, 7]);
    expectClose(relu6(x).dataSync(), [0, 0, 0.5, 6]);
    expectClose(hardSigmoid(x).dataSync(), [0.1, 0.4, 0.6, 1]);
    expectClose(softsign(x).dataSync(), [-2 / 3, -0.5 / 1.5, 0.5 / 1.5, 7 / 8]);
    expect(linear(x)).toBe(x);
  });

  it('elu with a custom alpha has gradient alpha·eˣ below zero (gradcheck)', () => {
    const x = kinkFreeInput([10], 3, [0]);
    gradcheck(() => elu(x, 0.5), [x]);
  });

  it('rejects a non-finite alpha, naming it', () => {
    expect(() => leakyRelu(tensor([1]), Number.NaN)).toThrow(
      /leakyRelu: `alpha` must be a finite number, received NaN/,
    );
  });
});

describe('softmax and logSoftmax', () => {
  it('hand-computed values, and stability for large logits', () => {
    // softmax([0, ln 3]) = [1/4, 3/4]; a shift by 1000 changes nothing and must not overflow.
    expectClose(softmax(tensor([0, Math.log(3)])).dataSync(), [0.25, 0.75]);
    expectClose(softmax(tensor([1000, 1000 + Math.log(3)])).dataSync(), [0.25, 0.75]);
    expectClose(logSoftmax(tensor([1000, 1000 + Math.log(3)])).dataSync(), [Math.log(0.25), Math.log(0.75)]);
  });

  for (const shape of [[5], [3, 4], [2, 3, 4]]) {
    it(`matches tfjs over the last axis of ${JSON.stringify(shape)}, values and gradients`, () => {
      const x = randomInput(shape, shape.length, -3, 3);
      expectMatchesTf(softmax, (a) => tf.softmax(a), x);
      expectMatchesTf(logSoftmax, (a) => tf.logSoftmax(a), x);
    });
  }

  it('gradcheck', () => {
    const x = randomInput([2, 3, 4], 21, -3, 3);
    gradcheck(() => softmax(x), [x]);
    gradcheck(() => logSoftmax(x), [x]);
  });

  it('rejects a scalar', () => {
    expect(() => softmax(tensor(1))).toThrow(/softmax: expected a tensor of rank ≥ 1, received shape \[\]/);
  });
});
