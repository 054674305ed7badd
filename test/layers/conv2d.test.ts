import { describe, expect, it } from 'vitest';
import { initializers, regularizers, tensor } from '../../src/index.js';
import { Conv2D } from '../../src/layers/conv2d.js';
import { randomInput } from '../helpers/gradcheck.js';
import { checkLayer } from '../helpers/layer.js';
import { expectClose, tf } from '../helpers/tfjs.js';
import { runTfLayer } from './tfjs-layer.js';

const seeded = (seed: number): ReturnType<typeof initializers.glorotUniform> => initializers.glorotUniform({ seed });

describe('Conv2D', () => {
  it('3×3, 1 → 4 filters, valid: [2, 5, 5, 1] → [2, 3, 3, 4] with 3·3·1·4 + 4 = 40 parameters', () => {
    checkLayer({
      layer: new Conv2D({
        filters: 4,
        kernelSize: 3,
        activation: 'tanh',
        kernelInitializer: seeded(1),
        biasInitializer: initializers.randomUniform({ seed: 2 }),
      }),
      inputShape: [2, 5, 5, 1],
      outputShape: [2, 3, 3, 4],
      params: 40,
    });
  });

  it('[2, 3] kernel, strides 2, same, 2 → 3 filters, no bias: [1, 5, 6, 2] → [1, ceil(5/2), ceil(6/2), 3], 2·3·2·3 = 36 parameters', () => {
    checkLayer({
      layer: new Conv2D({
        filters: 3,
        kernelSize: [2, 3],
        strides: 2,
        padding: 'same',
        useBias: false,
        kernelInitializer: seeded(3),
      }),
      inputShape: [1, 5, 6, 2],
      outputShape: [1, 3, 3, 3],
      params: 36,
    });
  });

  it('2×2 kernel with dilation 2 spans 3×3: [1, 5, 5, 1] → [1, 3, 3, 2] with 2·2·1·2 + 2 = 10 parameters', () => {
    checkLayer({
      layer: new Conv2D({
        filters: 2,
        kernelSize: 2,
        dilationRate: 2,
        kernelInitializer: seeded(4),
        biasInitializer: initializers.randomUniform({ seed: 5 }),
      }),
      inputShape: [1, 5, 5, 1],
      outputShape: [1, 3, 3, 2],
      params: 10,
    });
  });

  it('hand-computed: all-ones 2×2 image and kernel give 4·C + bias per filter', () => {
    const layer = new Conv2D({
      filters: 2,
      kernelSize: 2,
      kernelInitializer: 'ones',
      biasInitializer: initializers.constant({ value: 0.5 }),
    });
    const y = layer.apply(tensor(new Float32Array(2 * 2 * 3).fill(1), [1, 2, 2, 3]));
    expect(y.shape).toEqual([1, 1, 1, 2]);
    expect(Array.from(y.dataSync())).toEqual([12.5, 12.5]);
  });

  /** Options both libraries accept as they are. */
  interface OracleArgs {
    filters: number;
    kernelSize: number | [number, number];
    strides?: number | [number, number];
    padding?: 'valid' | 'same';
    dilationRate?: number | [number, number];
    activation?: 'relu' | 'sigmoid';
    useBias?: boolean;
  }
  const oracleCases: readonly (readonly [string, OracleArgs, readonly number[]])[] = [
    ['3×3 valid, relu', { filters: 4, kernelSize: 3, activation: 'relu' }, [2, 6, 5, 3]],
    [
      '[3, 2] same, strides [2, 1], sigmoid',
      { filters: 2, kernelSize: [3, 2], strides: [2, 1], padding: 'same', activation: 'sigmoid' },
      [1, 7, 6, 2],
    ],
    [
      '2×2 same, dilation [2, 3], no bias',
      { filters: 3, kernelSize: 2, dilationRate: [2, 3], padding: 'same', useBias: false },
      [2, 6, 7, 1],
    ],
  ];
  for (const [label, args, shape] of oracleCases) {
    it(`matches tf.layers.conv2d with the same weights: ${label}`, () => {
      const layer = new Conv2D({ ...args, biasInitializer: initializers.randomUniform({ seed: 6 }) });
      const x = randomInput(shape, 7);
      const y = layer.apply(x);
      const tfLayer = tf.layers.conv2d(args);
      const expected = runTfLayer(tfLayer, layer, x);
      expect(y.shape).toEqual(expected.shape);
      expectClose(y.dataSync(), expected.dataSync());
      // The geometry fields of the config are what tfjs's getConfig() returns.
      const tfConfig = tfLayer.getConfig();
      const ours = layer.getConfig();
      for (const key of [
        'filters',
        'kernelSize',
        'strides',
        'padding',
        'dataFormat',
        'dilationRate',
        'useBias',
        'activation',
      ] as const) {
        expect(ours[key], key).toEqual(tfConfig[key]);
      }
    });
  }

  it('stores kernelSize, strides and dilationRate as [h, w] pairs in its config', () => {
    const config = new Conv2D({ filters: 1, kernelSize: 3 }).getConfig();
    expect([config.kernelSize, config.strides, config.dilationRate]).toEqual([
      [3, 3],
      [1, 1],
      [1, 1],
    ]);
    expect(config.kernelInitializer).toEqual({
      className: 'VarianceScaling',
      config: { scale: 1, mode: 'fanAvg', distribution: 'uniform', seed: null },
    });
  });

  it('adds kernel and bias penalties to regularizationLoss (hand-computed)', () => {
    const layer = new Conv2D({
      filters: 2,
      kernelSize: 2,
      kernelInitializer: initializers.constant({ value: 0.5 }),
      biasInitializer: 'ones',
      kernelRegularizer: regularizers.l2({ l2: 0.1 }),
      biasRegularizer: regularizers.l1({ l1: 0.3 }),
    });
    layer.build([null, 3, 3, 1]);
    // kernel 2·2·1·2 = 8 values of 0.5: 0.1·8·0.25 = 0.2; bias 2 values of 1: 0.3·2 = 0.6.
    expect(layer.regularizationLoss()?.dataSync()[0]).toBeCloseTo(0.8, 6);
  });

  it('rejects bad options and inputs with the layer, argument, expectation and value in the message', () => {
    expect(() => new Conv2D({ filters: 0, kernelSize: 3, name: 'c0' })).toThrow(
      "Conv2D 'c0': `filters` must be a positive integer, received 0",
    );
    expect(() => new Conv2D({ filters: 2, kernelSize: [3, 0], name: 'c1' })).toThrow(
      "Conv2D 'c1': `kernelSize` must be a positive integer or [height, width] of positive integers, received [3,0]",
    );
    expect(() => new Conv2D({ filters: 2, kernelSize: 3, activation: 'relux', name: 'c2' })).toThrow(
      /^Conv2D 'c2': `activation` Unknown activation 'relux'; known activations: linear, relu/,
    );
    expect(() => new Conv2D({ filters: 2, kernelSize: 3, dataFormat: 'channelsFirst', name: 'c3' })).toThrow(
      `Conv2D 'c3': \`dataFormat\` must be 'channelsLast' (cnnlab keeps activations NHWC), received "channelsFirst"`,
    );
    expect(() => new Conv2D({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2, name: 'c4' })).toThrow(
      "Conv2D 'c4': `dilationRate` must be 1 when strides > 1 (as in TensorFlow), received [2, 2] with strides [2, 2]",
    );
    expect(() => new Conv2D({ filters: 2, kernelSize: 3, padding: 'causal' as 'same', name: 'c5' })).toThrow(
      `Conv2D 'c5': \`padding\` must be 'valid' or 'same', received "causal"`,
    );
  });

  it('rejects, when built, a kernel larger than the input and input that is not rank 4 with known channels', () => {
    expect(() => new Conv2D({ filters: 1, kernelSize: 5, name: 'big' }).build([null, 3, 4, 1])).toThrow(
      "Conv2D 'big': the filter [5, 5] is larger than the input [3, 4] with padding 'valid' (output would be [-1, 0])",
    );
    expect(() =>
      new Conv2D({ filters: 1, kernelSize: 2, dilationRate: 3, name: 'dil' }).build([null, 3, 3, 1]),
    ).toThrow(
      /^Conv2D 'dil': the dilated filter \[4, 4\] \(filter \[2, 2\], dilationRate \[3, 3\]\) is larger than the input \[3, 3\]/,
    );
    expect(() => new Conv2D({ filters: 1, kernelSize: 2, name: 'r3' }).apply(randomInput([2, 5, 5], 1))).toThrow(
      "Conv2D 'r3': `input shape` must be rank 4 [batch, height, width, channels] with known channels, received [null, 5, 5]",
    );
    expect(() => new Conv2D({ filters: 1, kernelSize: 2, name: 'nc' }).build([null, 5, 5, null])).toThrow(
      "Conv2D 'nc': `input shape` must be rank 4 [batch, height, width, channels] with known channels, received [null, 5, 5, null]",
    );
  });
});
