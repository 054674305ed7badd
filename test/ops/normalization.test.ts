import { describe, expect, it } from 'vitest';
import { add, batchNormInference, batchNormTraining, grads, moments, mul, tensor } from '../../src/index.js';
import { gradcheck, randomInput } from '../helpers/gradcheck.js';
import { expectClose, tf, toTf } from '../helpers/tfjs.js';

const EPSILON = 1e-3;

describe('moments', () => {
  it('mean and biased variance per channel match tf.moments', () => {
    const x = randomInput([4, 2, 2, 3], 1, -2, 3);
    const { mean, variance } = moments(x);
    const expected = tf.moments(toTf(x), [0, 1, 2]);
    expect(mean.shape).toEqual([3]);
    expectClose(mean.dataSync(), expected.mean.dataSync());
    expectClose(variance.dataSync(), expected.variance.dataSync());
  });

  it('hand-computed: x = [[1, 10], [3, 14]] → mean [2, 12], variance [1, 4]', () => {
    const { mean, variance } = moments(
      tensor([
        [1, 10],
        [3, 14],
      ]),
    );
    expect(Array.from(mean.dataSync())).toEqual([2, 12]);
    expect(Array.from(variance.dataSync())).toEqual([1, 4]);
  });

  it('gradients of mean, variance and both together (gradcheck)', () => {
    const x = randomInput([3, 2, 4], 2);
    gradcheck(() => moments(x).mean, [x]);
    gradcheck(() => moments(x).variance, [x]);
    gradcheck(() => {
      const m = moments(x);
      return add(mul(m.mean, 3), m.variance);
    }, [x]);
  });
});

describe('batchNormTraining', () => {
  it('values, batch statistics and gradients match tf.batchNorm over tf.moments', () => {
    const x = randomInput([4, 2, 2, 3], 3, -2, 3);
    const gamma = randomInput([3], 4, 0.5, 2);
    const beta = randomInput([3], 5);
    const { y, mean, variance } = batchNormTraining(x, gamma, beta, EPSILON);
    const dy = randomInput(y.shape, 6);
    const [dx, dGamma, dBeta] = grads(y, [x, gamma, beta], dy);

    const reference = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor => {
      const m = tf.moments(a, [0, 1, 2]);
      return tf.batchNorm(a, m.mean, m.variance, b, g, EPSILON);
    };
    const [ex, eg, eb] = tf.grads(reference)([toTf(x), toTf(gamma), toTf(beta)], toTf(dy));
    const expectedStats = tf.moments(toTf(x), [0, 1, 2]);
    expectClose(y.dataSync(), reference(toTf(x), toTf(gamma), toTf(beta)).dataSync());
    expectClose(mean.dataSync(), expectedStats.mean.dataSync());
    expectClose(variance.dataSync(), expectedStats.variance.dataSync());
    expectClose(dx?.dataSync() ?? [], ex?.dataSync() ?? [], 1e-3, 1e-4);
    expectClose(dGamma?.dataSync() ?? [], eg?.dataSync() ?? [], 1e-3, 1e-4);
    expectClose(dBeta?.dataSync() ?? [], eb?.dataSync() ?? [], 1e-3, 1e-4);
  });

  it('gradcheck on x, gamma and beta (batch 4, 2×2 spatial, 3 channels)', () => {
    const x = randomInput([4, 2, 2, 3], 7, -2, 2);
    const gamma = randomInput([3], 8, 0.5, 2);
    const beta = randomInput([3], 9);
    expect(gradcheck(() => batchNormTraining(x, gamma, beta, EPSILON).y, [x, gamma, beta], { maxSamples: 48 })).toBe(
      48 + 3 + 3,
    );
  });

  it('hand-computed: x = [[1], [3]], gamma 2, beta 1, ε 0 → y = [-1, 3]', () => {
    const { y } = batchNormTraining(tensor([[1], [3]]), tensor([2]), tensor([1]), 0);
    expect(Array.from(y.dataSync())).toEqual([-1, 3]);
  });

  it('the returned statistics take no gradient; the backward pass survives their disposal', () => {
    const x = randomInput([5, 2], 10);
    const { y, mean, variance } = batchNormTraining(x, tensor([1, 1]), tensor([0, 0]), EPSILON);
    expect(mean.requiresGrad || variance.requiresGrad).toBe(false);
    expect(y.requiresGrad).toBe(true);
    mean.dispose();
    variance.dispose();
    // Hand-computed: with dy = 1 over R rows, dβ = R and dγ = Σ x̂ = 0, so dx = γ/σ · (1 − R/R − x̂·0) = 0.
    const [dx] = grads(y, [x]);
    expectClose(dx?.dataSync() ?? [], new Array(10).fill(0), 0, 1e-5);
  });

  it('rejects per-channel parameters of the wrong shape, naming them', () => {
    const x = tensor(new Float32Array(12), [2, 2, 3]);
    expect(() => batchNormTraining(x, tensor([1, 1, 1, 1]), tensor([0, 0, 0]), EPSILON)).toThrow(
      'batchNormTraining: `gamma` must have shape [3] (the last axis of x [2, 2, 3]), received [4]',
    );
    expect(() => batchNormTraining(x, tensor([1, 1, 1]), tensor([0, 0, 0]), -1)).toThrow(
      'batchNormTraining: `epsilon` must be a non-negative finite number, received -1',
    );
  });
});

describe('batchNormInference', () => {
  it('values and gradients to all five inputs match tf.batchNorm', () => {
    const x = randomInput([2, 3, 2, 4], 11, -2, 3);
    const mean = randomInput([4], 12);
    const variance = randomInput([4], 13, 0.5, 2);
    const gamma = randomInput([4], 14, 0.5, 2);
    const beta = randomInput([4], 15);
    const inputs = [x, mean, variance, gamma, beta];
    const y = batchNormInference(x, mean, variance, gamma, beta, EPSILON);
    const dy = randomInput(y.shape, 16);
    const ours = grads(y, inputs, dy);
    const reference = (a: tf.Tensor, m: tf.Tensor, v: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor =>
      tf.batchNorm(a, m, v, b, g, EPSILON);
    const expected = tf.grads(reference)(inputs.map(toTf), toTf(dy));
    expectClose(y.dataSync(), reference(toTf(x), toTf(mean), toTf(variance), toTf(gamma), toTf(beta)).dataSync());
    ours.forEach((g, k) => expectClose(g.dataSync(), expected[k]?.dataSync() ?? [], 1e-3, 1e-4));
  });

  it('gradcheck on x, mean, variance, gamma and beta', () => {
    const x = randomInput([3, 2, 2], 17, -2, 2);
    const mean = randomInput([2], 18);
    const variance = randomInput([2], 19, 0.5, 2);
    const gamma = randomInput([2], 20, 0.5, 2);
    const beta = randomInput([2], 21);
    gradcheck(() => batchNormInference(x, mean, variance, gamma, beta, EPSILON), [x, mean, variance, gamma, beta]);
  });

  it('rejects statistics of the wrong shape', () => {
    const x = tensor(new Float32Array(6), [3, 2]);
    const c = tensor([1, 1]);
    expect(() => batchNormInference(x, tensor([0, 0, 0]), c, c, c, EPSILON)).toThrow(
      'batchNormInference: `mean` must have shape [2] (the last axis of x [3, 2]), received [3]',
    );
  });
});
