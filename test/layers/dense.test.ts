import { describe, expect, it } from 'vitest';
import { grads, initializers, layers, regularizers, constraints, sum, tensor, tidy } from '../../src/index.js';
import { checkLayer } from '../helpers/layer.js';
import { expectClose, tf, toTf } from '../helpers/tfjs.js';
import { randomInput } from '../helpers/gradcheck.js';

describe('Dense', () => {
  it('maps [3, 5] to [3, 4] with 5·4 + 4 parameters; gradients to input, kernel and bias', () => {
    checkLayer({
      layer: layers.dense({ units: 4, activation: 'tanh', kernelInitializer: initializers.glorotUniform({ seed: 1 }) }),
      inputShape: [3, 5],
      outputShape: [3, 4],
      params: 24,
    });
  });

  it('multiplies rank-3 input along its last axis, as Keras does', () => {
    checkLayer({
      layer: layers.dense({ units: 2, useBias: false }),
      inputShape: [2, 3, 4],
      outputShape: [2, 3, 2],
      params: 8,
    });
  });

  it('computes x·W + b then the activation, like tfjs with the same weights', () => {
    const layer = layers.dense({ units: 3, activation: 'sigmoid' });
    const x = randomInput([4, 6], 2);
    const y = layer.apply(x);
    const tfLayer = tf.layers.dense({ units: 3, activation: 'sigmoid', inputShape: [6] });
    const tfY = tfLayer.apply(toTf(x));
    tfLayer.setWeights(layer.getWeights().map(toTf));
    const expected = tfLayer.apply(toTf(x));
    if (!(expected instanceof tf.Tensor) || !(tfY instanceof tf.Tensor))
      throw new Error('tfjs returned a symbolic tensor');
    expectClose(y.dataSync(), expected.dataSync());
  });

  it('adds kernel and bias penalties to regularizationLoss (hand-computed) and activity penalties to the context', () => {
    const layer = layers.dense({
      units: 2,
      kernelInitializer: initializers.constant({ value: 0.5 }),
      biasInitializer: initializers.constant({ value: -1 }),
      kernelRegularizer: regularizers.l2({ l2: 0.1 }),
      biasRegularizer: regularizers.l1({ l1: 0.2 }),
      activityRegularizer: regularizers.l1({ l1: 1 }),
    });
    const losses: ReturnType<typeof tensor>[] = [];
    layer.apply(tensor([[1, 1, 1]]), { training: true, losses });
    // kernel 3×2 of 0.5: 0.1·6·0.25 = 0.15; bias 2 of -1: 0.2·2 = 0.4.
    expect(layer.regularizationLoss()?.dataSync()[0]).toBeCloseTo(0.55, 6);
    // output 1.5 − 1 = 0.5 per unit: l1 = 1.0.
    expect(losses.map((l) => l.dataSync()[0])).toEqual([1]);
  });

  it('applies constraints after an update (maxNorm rescales the kernel columns)', () => {
    const layer = layers.dense({
      units: 1,
      inputShape: [2],
      kernelInitializer: initializers.constant({ value: 3 }),
      kernelConstraint: constraints.maxNorm({ maxValue: 1 }),
    });
    layer.build([null, 2]);
    layer.applyConstraints();
    const w = layer.getWeights()[0]?.dataSync() ?? new Float32Array();
    expect(Math.hypot(w[0] ?? 0, w[1] ?? 0)).toBeCloseTo(1, 5);
  });

  it('freezing makes every weight non-trainable and stops its gradients', () => {
    const layer = layers.dense({ units: 2 });
    const x = tensor([[1, 2]]);
    layer.apply(x);
    layer.trainable = false;
    expect(layer.trainableWeights).toHaveLength(0);
    expect(layer.nonTrainableWeights).toHaveLength(2);
    const kernel = layer.weights[0];
    if (kernel === undefined) throw new Error('no kernel');
    expect(tidy(() => grads(sum(layer.apply(x)), [kernel])[0]?.dataSync())).toEqual(new Float32Array(4));
  });

  it('rejects bad options with the layer, argument and value in the message', () => {
    expect(() => layers.dense({ units: 0, name: 'd' })).toThrow(
      "Dense 'd': `units` must be a positive integer, received 0",
    );
    expect(() => layers.dense({ units: 2, activation: 'relux', name: 'd2' })).toThrow(
      /Dense 'd2': `activation` Unknown activation 'relux'; known activations: linear, relu/,
    );
    expect(() => layers.dense({ units: 2, kernelInitializer: 'nope', name: 'd3' })).toThrow(
      /Dense 'd3': `kernelInitializer`: .*nope/,
    );
  });
});
