import { describe, expect, it } from 'vitest';
import { ConfigError, grads, layerNorm, Random, ShapeError, tensor, zeros } from '../../src/index.js';
import { gradcheck, randomInput } from '../helpers/gradcheck.js';
import { expectClose, tf, toTf } from '../helpers/tfjs.js';

describe('layerNorm values (hand-computed)', () => {
  it('normalizes each row by its own mean and biased variance', () => {
    // Row [1, 2, 3]: mean 2, variance 2/3; row [4, 4, 7]: mean 5, variance (1 + 1 + 4)/3 = 2.
    const x = tensor([1, 2, 3, 4, 4, 7], [2, 3]);
    const y = layerNorm(x, tensor([1, 1, 2], [3]), tensor([0, 0.5, 0], [3]), { epsilon: 0 });
    const [s, t] = [Math.sqrt(2 / 3), Math.sqrt(2)];
    expectClose(y.dataSync(), [-1 / s, 0.5, 2 / s, -1 / t, -1 / t + 0.5, 4 / t], 1e-6, 1e-6);
  });

  it('maps a constant row to beta (epsilon keeps the division finite)', () => {
    const y = layerNorm(tensor([10, 10, 10], [1, 3]), tensor([1, 2, 3], [3]), tensor([0.5, 0, -1], [3]));
    expect(Array.from(y.dataSync())).toEqual([0.5, 0, -1]);
  });
});

describe('layerNorm gradients (gradcheck on x, gamma and beta)', () => {
  const shapes: number[][] = [
    [4, 5],
    [2, 3, 3, 6],
    [3, 1],
    [2, 7],
  ];
  shapes.forEach((shape, k) => {
    it(`x [${shape.join(', ')}]`, () => {
      const cols = shape[shape.length - 1] ?? 0;
      const x = randomInput(shape, 40 + k, -2, 2);
      const gamma = randomInput([cols], 50 + k, 0.5, 1.5);
      const beta = randomInput([cols], 60 + k);
      gradcheck(() => layerNorm(x, gamma, beta), [x, gamma, beta]);
    });
  });
});

describe("layerNorm matches TensorFlow.js' LayerNormalization (moments + batchNorm over the last axis)", () => {
  const random = new Random(8);
  for (let k = 0; k < 8; k++) {
    const rank = 2 + random.int(3);
    const shape = Array.from({ length: rank }, () => 1 + random.int(5));
    const epsilon = [1e-3, 1e-5, 0.1][k % 3] ?? 1e-3;
    it(`x [${shape.join(', ')}], epsilon ${epsilon}`, () => {
      const cols = shape[rank - 1] ?? 0;
      const x = randomInput(shape, 100 + k, -3, 3);
      const gamma = randomInput([cols], 200 + k, 0.5, 1.5);
      const beta = randomInput([cols], 300 + k);
      const y = layerNorm(x, gamma, beta, { epsilon });
      // What tfjs-layers' LayerNormalization.call computes (moments over the axis, then batchNormalization), with
      // gamma and beta broadcast over the other axes.
      const reference = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor => {
        const { mean, variance } = tf.moments(a, rank - 1, true);
        return tf.add(tf.mul(tf.mul(tf.sub(a, mean), tf.rsqrt(tf.add(variance, epsilon))), g), b);
      };
      const layer = tf.layers.layerNormalization({ epsilon, inputShape: shape.slice(1) });
      layer.build(shape);
      layer.setWeights([toTf(gamma), toTf(beta)]);
      const fromLayer = layer.apply(toTf(x));
      if (!(fromLayer instanceof tf.Tensor)) throw new Error('expected one tensor from the tfjs layer');
      expectClose(y.dataSync(), fromLayer.dataSync(), 1e-4, 1e-4);
      expectClose(y.dataSync(), reference(toTf(x), toTf(gamma), toTf(beta)).dataSync(), 1e-4, 1e-4);
      const dy = randomInput(shape, 400 + k);
      const ours = grads(y, [x, gamma, beta], dy);
      const theirs = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(reference(a, g, b), toTf(dy))),
      )([toTf(x), toTf(gamma), toTf(beta)]);
      ours.forEach((g, i) => expectClose(g.dataSync(), theirs[i]?.dataSync() ?? [], 1e-3, 1e-4));
    });
  }
});

describe('layerNorm rejects bad arguments, naming them', () => {
  const x = zeros([2, 3]);
  it('parameters of the wrong shape, another axis, a bad epsilon', () => {
    expect(() => layerNorm(x, zeros([2]), zeros([3]))).toThrow(ShapeError);
    expect(() => layerNorm(x, zeros([2]), zeros([3]))).toThrow(
      'layerNorm: `gamma` must have shape [3] (the last axis of x [2, 3]), received [2]',
    );
    expect(() => layerNorm(x, zeros([3]), zeros([3]), { axis: 0 })).toThrow(ConfigError);
    expect(() => layerNorm(x, zeros([3]), zeros([3]), { axis: 0 })).toThrow(
      'layerNorm: only the last axis (-1 or 1) can be normalized over, received axis 0',
    );
    expect(() => layerNorm(x, zeros([3]), zeros([3]), { epsilon: -1 })).toThrow(
      /`epsilon` must be a non-negative finite number/,
    );
  });
});
