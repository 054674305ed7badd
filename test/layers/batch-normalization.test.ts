import { describe, expect, it } from 'vitest';
import { initializers, regularizers, tensor } from '../../src/index.js';
import { BatchNormalization, type BatchNormalizationArgs } from '../../src/layers/batch-normalization.js';
import { randomInput } from '../helpers/gradcheck.js';
import { checkLayer } from '../helpers/layer.js';
import { expectClose, tf, toTf } from '../helpers/tfjs.js';
import { asTensor, runTfLayer } from './tfjs-layer.js';

/** Non-trivial weights, so that a mix-up of gamma, beta, mean and variance shows in the output. */
const randomWeights = (seed: number): BatchNormalizationArgs => ({
  gammaInitializer: initializers.randomUniform({ minval: 0.5, maxval: 2, seed }),
  betaInitializer: initializers.randomUniform({ minval: -1, maxval: 1, seed: seed + 1 }),
  movingMeanInitializer: initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: seed + 2 }),
  movingVarianceInitializer: initializers.randomUniform({ minval: 0.5, maxval: 2, seed: seed + 3 }),
});

const values = (t: { dataSync(): Float32Array } | undefined): number[] => Array.from(t?.dataSync() ?? []);

describe('BatchNormalization', () => {
  it('training on [4, 3]: 4 weights of 3 = 12 parameters; gradients through the batch statistics', () => {
    checkLayer({
      layer: new BatchNormalization(randomWeights(1)),
      inputShape: [4, 3],
      outputShape: [4, 3],
      params: 12,
      training: true,
      inputRange: [-2, 3],
    });
  });

  it('training on NHWC [3, 2, 2, 2]: 4·2 = 8 parameters', () => {
    checkLayer({
      layer: new BatchNormalization(randomWeights(2)),
      inputShape: [3, 2, 2, 2],
      outputShape: [3, 2, 2, 2],
      params: 8,
      training: true,
    });
  });

  it('inference on NHWC [2, 3, 3, 2] with the moving statistics: 8 parameters; gradients to x, gamma and beta', () => {
    checkLayer({
      layer: new BatchNormalization({ ...randomWeights(3), epsilon: 0.01 }),
      inputShape: [2, 3, 3, 2],
      outputShape: [2, 3, 3, 2],
      params: 8,
    });
  });

  it('without center and scale keeps only the 2·C moving statistics (3·2 = 6 parameters), in training and inference', () => {
    for (const training of [true, false]) {
      const layer = new BatchNormalization({ ...randomWeights(4), center: false, scale: false });
      checkLayer({ layer, inputShape: [5, 3], outputShape: [5, 3], params: 6, training });
      expect(layer.trainableWeights).toHaveLength(0);
    }
  });

  it('keeps tfjs weight order and names: gamma, beta trainable; moving mean and variance not', () => {
    const layer = new BatchNormalization({ name: 'bn' });
    layer.build([null, 4, 4, 3]);
    expect(layer.weights.map((w) => w.name)).toEqual(['bn/gamma', 'bn/beta', 'bn/moving_mean', 'bn/moving_variance']);
    expect(layer.trainableWeights.map((w) => w.name)).toEqual(['bn/gamma', 'bn/beta']);
    expect(layer.nonTrainableWeights.map((w) => w.name)).toEqual(['bn/moving_mean', 'bn/moving_variance']);
    expect(layer.weights.map((w) => values(w))).toEqual([
      [1, 1, 1],
      [0, 0, 0],
      [0, 0, 0],
      [1, 1, 1],
    ]);
  });

  it('hand-computed training step: x = [[0], [4]] → y = ±2/√(4 + ε); moving stats use the biased variance', () => {
    const layer = new BatchNormalization({ momentum: 0.5 });
    const y = layer.apply(tensor([[0], [4]]), { training: true });
    // Batch mean 2, biased variance ((0 − 2)² + (4 − 2)²) / 2 = 4 (unbiased would be 8).
    expectClose(y.dataSync(), [-2 / Math.sqrt(4.001), 2 / Math.sqrt(4.001)]);
    const [, , movingMean, movingVariance] = layer.getWeights();
    expect(values(movingMean)).toEqual([0 * 0.5 + 2 * 0.5]);
    expect(values(movingVariance)).toEqual([1 * 0.5 + 4 * 0.5]);
    // Inference leaves the moving statistics alone.
    layer.apply(tensor([[10], [20]]));
    expect(values(layer.getWeights()[3])).toEqual([2.5]);
  });

  it('inference output matches tf.layers.batchNormalization with the same weights (rank 2 and rank 4)', () => {
    for (const [shape, seed] of [
      [[6, 3], 20],
      [[2, 3, 2, 4], 30],
    ] as const) {
      const layer = new BatchNormalization({ ...randomWeights(seed), epsilon: 0.01 });
      const x = randomInput(shape, seed);
      const y = layer.apply(x);
      const expected = runTfLayer(tf.layers.batchNormalization({ epsilon: 0.01 }), layer, x);
      expectClose(y.dataSync(), expected.dataSync());
    }
  });

  it('one training call matches tfjs: output and updated moving mean and variance', () => {
    for (const [shape, seed] of [
      [[5, 3], 40],
      [[3, 2, 2, 2], 50],
    ] as const) {
      const layer = new BatchNormalization({ ...randomWeights(seed), momentum: 0.8 });
      const x = randomInput(shape, seed, -2, 3);
      layer.build([null, ...shape.slice(1)]);
      const tfLayer = tf.layers.batchNormalization({ momentum: 0.8 });
      const expected = runTfLayer(tfLayer, layer, x, true);
      const y = layer.apply(x, { training: true });
      expectClose(y.dataSync(), expected.dataSync(), 1e-4, 1e-4);
      const ours = layer.getWeights();
      const theirs = tfLayer.getWeights();
      expect(theirs).toHaveLength(4);
      ours.forEach((w, i) => expectClose(w.dataSync(), theirs[i]?.dataSync() ?? []));
      // Inference after the update agrees too.
      expectClose(layer.apply(x).dataSync(), asTensor(tfLayer.apply(toTf(x))).dataSync(), 1e-4, 1e-4);
    }
  });

  it('gamma and beta penalties join regularizationLoss (hand-computed); the moving statistics have none', () => {
    const layer = new BatchNormalization({
      gammaRegularizer: regularizers.l2({ l2: 0.1 }),
      betaRegularizer: regularizers.l1({ l1: 0.5 }),
      betaInitializer: initializers.constant({ value: -2 }),
    });
    layer.build([null, 3]);
    // gamma 3 ones: 0.1·3 = 0.3; beta 3 values of −2: 0.5·6 = 3.
    expect(layer.regularizationLoss()?.dataSync()[0]).toBeCloseTo(3.3, 6);
  });

  it('rejects other axes, bad momentum and inputs without a channel axis, naming the layer', () => {
    expect(() => new BatchNormalization({ axis: 1, name: 'bn1' })).toThrow(
      "BatchNormalization 'bn1': `axis` must be -1 (cnnlab normalizes over the last, channel, axis only), received 1",
    );
    expect(() => new BatchNormalization({ momentum: 1.5, name: 'bn2' })).toThrow(
      "BatchNormalization 'bn2': `momentum` must be a number in [0, 1], received 1.5",
    );
    expect(() => new BatchNormalization({ name: 'bn3' }).build([null])).toThrow(
      "BatchNormalization 'bn3': `input shape` must be rank ≥ 2 [batch, ..., channels] with known channels, received [null]",
    );
    expect(() => new BatchNormalization({ gammaInitializer: 'nope', name: 'bn4' })).toThrow(
      /^BatchNormalization 'bn4': `gammaInitializer`: .*nope/,
    );
  });
});
