import { describe, expect, it } from 'vitest';
import { DepthwiseConv2D, initializers, regularizers, SeparableConv2D, tensor } from '../../src/index.js';
import { randomInput } from '../helpers/gradcheck.js';
import { checkLayer } from '../helpers/layer.js';
import { tf } from '../helpers/tfjs.js';
import { expectSameAsTfjs } from './tfjs-layer.js';

const bias = initializers.randomUniform({ seed: 2 });

/** Options both libraries accept as they are. */
interface OracleArgs {
  filters?: number;
  kernelSize: number | [number, number];
  strides?: number | [number, number];
  padding?: 'valid' | 'same';
  depthMultiplier?: number;
  activation?: 'relu' | 'sigmoid';
  useBias?: boolean;
}
type OracleCase = readonly [string, OracleArgs, readonly number[]];

describe('DepthwiseConv2D', () => {
  it('3×3, multiplier 2, valid: [2, 5, 6, 3] → [2, 3, 4, 6] with 3·3·3·2 + 6 = 60 parameters', () => {
    checkLayer({
      layer: new DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 2, activation: 'tanh', biasInitializer: bias }),
      inputShape: [2, 5, 6, 3],
      outputShape: [2, 3, 4, 6],
      params: 60,
    });
  });

  it('[2, 3] kernel, strides 2, same, no bias: [1, 5, 6, 2] → [1, ceil(5/2), ceil(6/2), 2], 2·3·2 = 12 parameters', () => {
    checkLayer({
      layer: new DepthwiseConv2D({ kernelSize: [2, 3], strides: 2, padding: 'same', useBias: false }),
      inputShape: [1, 5, 6, 2],
      outputShape: [1, 3, 3, 2],
      params: 12,
    });
  });

  it('2×2 kernel with dilation 2 spans 3×3: [1, 5, 5, 2] → [1, 3, 3, 2] with 2·2·2 + 2 = 10 parameters', () => {
    checkLayer({
      layer: new DepthwiseConv2D({ kernelSize: 2, dilationRate: 2, biasInitializer: bias }),
      inputShape: [1, 5, 5, 2],
      outputShape: [1, 3, 3, 2],
      params: 10,
    });
  });

  it('hand-computed: channel c of a 2×2 image times a ones kernel is 4·value(c) + bias; weights are named as Keras', () => {
    const layer = new DepthwiseConv2D({
      kernelSize: 2,
      depthwiseInitializer: 'ones',
      biasInitializer: initializers.constant({ value: 0.5 }),
      name: 'dw',
    });
    const y = layer.apply(tensor([1, 10, 1, 10, 1, 10, 1, 10], [1, 2, 2, 2]));
    expect(Array.from(y.dataSync())).toEqual([4.5, 40.5]);
    expect(layer.weights.map((w) => w.name)).toEqual(['dw/depthwise_kernel', 'dw/bias']);
    expect(layer.weights.map((w) => w.shape)).toEqual([[2, 2, 2, 1], [2]]);
  });

  for (const [label, args, shape] of [
    ['3×3 valid, multiplier 2, relu', { kernelSize: 3, depthMultiplier: 2, activation: 'relu' }, [2, 6, 5, 3]],
    [
      '[3, 2] same, strides [2, 1], sigmoid',
      { kernelSize: [3, 2], strides: [2, 1], padding: 'same', activation: 'sigmoid' },
      [1, 7, 6, 2],
    ],
    ['2×2 valid, no bias', { kernelSize: 2, useBias: false }, [2, 4, 4, 2]],
  ] satisfies OracleCase[]) {
    it(`matches tf.layers.depthwiseConv2d, forward and gradients: ${label}`, () => {
      const layer = new DepthwiseConv2D({ ...args, biasInitializer: bias });
      expectSameAsTfjs(tf.layers.depthwiseConv2d(args), layer, randomInput(shape, 7));
    });
  }

  it('writes the options tfjs writes, and the depthwise penalty joins regularizationLoss (hand-computed)', () => {
    const layer = new DepthwiseConv2D({
      kernelSize: 2,
      depthMultiplier: 3,
      depthwiseInitializer: initializers.constant({ value: 0.5 }),
      depthwiseRegularizer: regularizers.l2({ l2: 0.1 }),
    });
    const config = layer.getConfig();
    const theirs = tf.layers.depthwiseConv2d({ kernelSize: 2, depthMultiplier: 3 }).getConfig();
    for (const key of [
      'kernelSize',
      'strides',
      'padding',
      'dataFormat',
      'dilationRate',
      'depthMultiplier',
      'useBias',
    ] as const) {
      expect(config[key], key).toEqual(theirs[key]);
    }
    layer.build([null, 3, 3, 1]);
    // 2·2·1·3 = 12 values of 0.5: 0.1·12·0.25 = 0.3.
    expect(layer.regularizationLoss()?.dataSync()[0]).toBeCloseTo(0.3, 6);
  });

  it('rejects bad options and inputs with the layer, argument, expectation and value in the message', () => {
    expect(() => new DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 0, name: 'd0' })).toThrow(
      "DepthwiseConv2D 'd0': `depthMultiplier` must be a positive integer, received 0",
    );
    expect(() => new DepthwiseConv2D({ kernelSize: 3, strides: 2, dilationRate: 2, name: 'd1' })).toThrow(
      "DepthwiseConv2D 'd1': `dilationRate` must be 1 when strides > 1 (as in TensorFlow), received [2, 2] with strides [2, 2]",
    );
    expect(() => new DepthwiseConv2D({ kernelSize: 3, dataFormat: 'channelsFirst', name: 'd2' })).toThrow(
      `DepthwiseConv2D 'd2': \`dataFormat\` must be 'channelsLast' (cnnlab keeps activations NHWC), received "channelsFirst"`,
    );
    expect(() => new DepthwiseConv2D({ kernelSize: 5, name: 'd3' }).build([null, 3, 4, 1])).toThrow(
      "DepthwiseConv2D 'd3': the filter [5, 5] is larger than the input [3, 4] with padding 'valid' (output would be [-1, 0])",
    );
    expect(() => new DepthwiseConv2D({ kernelSize: 2, name: 'd4' }).build([null, 5, 5, null])).toThrow(
      "DepthwiseConv2D 'd4': `input shape` must be rank 4 [batch, height, width, channels] with known channels, received [null, 5, 5, null]",
    );
  });
});

describe('SeparableConv2D', () => {
  it('3×3, multiplier 2, 3 → 4 filters: [2, 5, 5, 3] → [2, 3, 3, 4] with 3·3·3·2 + 1·1·6·4 + 4 = 82 parameters', () => {
    checkLayer({
      layer: new SeparableConv2D({
        filters: 4,
        kernelSize: 3,
        depthMultiplier: 2,
        activation: 'tanh',
        biasInitializer: bias,
      }),
      inputShape: [2, 5, 5, 3],
      outputShape: [2, 3, 3, 4],
      params: 82,
    });
  });

  it('2×2, dilation 2, same, no bias: [1, 4, 5, 2] → [1, 4, 5, 3] with 2·2·2 + 2·3 = 14 parameters', () => {
    checkLayer({
      layer: new SeparableConv2D({ filters: 3, kernelSize: 2, dilationRate: 2, padding: 'same', useBias: false }),
      inputShape: [1, 4, 5, 2],
      outputShape: [1, 4, 5, 3],
      params: 14,
    });
  });

  it('names its weights as Keras, depthwise then pointwise then bias', () => {
    const layer = new SeparableConv2D({ filters: 5, kernelSize: 3, depthMultiplier: 2, name: 'sep' });
    layer.build([null, 6, 6, 3]);
    expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([
      ['sep/depthwise_kernel', [3, 3, 3, 2]],
      ['sep/pointwise_kernel', [1, 1, 6, 5]],
      ['sep/bias', [5]],
    ]);
  });

  for (const [label, args, shape] of [
    [
      '3×3 valid, multiplier 2, relu',
      { filters: 4, kernelSize: 3, depthMultiplier: 2, activation: 'relu' },
      [2, 6, 5, 3],
    ],
    [
      '[2, 3] same, strides 2, no bias',
      { filters: 2, kernelSize: [2, 3], strides: 2, padding: 'same', useBias: false },
      [1, 5, 7, 2],
    ],
  ] satisfies (OracleCase & { 1: { filters: number } })[]) {
    it(`matches tf.layers.separableConv2d, forward and gradients: ${label}`, () => {
      const layer = new SeparableConv2D({ ...args, biasInitializer: bias });
      expectSameAsTfjs(tf.layers.separableConv2d(args), layer, randomInput(shape, 8));
    });
  }

  it('rejects bad options with the standard message', () => {
    expect(() => new SeparableConv2D({ filters: 0, kernelSize: 3, name: 's0' })).toThrow(
      "SeparableConv2D 's0': `filters` must be a positive integer, received 0",
    );
    expect(() => new SeparableConv2D({ filters: 2, kernelSize: 3, pointwiseInitializer: 'nope', name: 's1' })).toThrow(
      /^SeparableConv2D 's1': `pointwiseInitializer`: /,
    );
  });
});
