import { describe, expect, it } from 'vitest';
import { Conv2DTranspose, initializers, tensor } from '../../src/index.js';
import { randomInput } from '../helpers/gradcheck.js';
import { checkLayer } from '../helpers/layer.js';
import { tf } from '../helpers/tfjs.js';
import { expectSameAsTfjs } from './tfjs-layer.js';

const bias = initializers.randomUniform({ seed: 2 });

describe('Conv2DTranspose', () => {
  it('3×3, strides 2, valid, 2 → 3 filters: [2, 3, 4, 2] → [2, 3·2 + 1, 4·2 + 1, 3] with 3·3·3·2 + 3 = 57 parameters', () => {
    checkLayer({
      layer: new Conv2DTranspose({ filters: 3, kernelSize: 3, strides: 2, activation: 'tanh', biasInitializer: bias }),
      inputShape: [2, 3, 4, 2],
      outputShape: [2, 7, 9, 3],
      params: 57,
    });
  });

  it('[2, 3] kernel, strides 2, same, no bias: [1, 3, 3, 1] → [1, 6, 6, 2] with 2·3·2·1 = 12 parameters', () => {
    checkLayer({
      layer: new Conv2DTranspose({ filters: 2, kernelSize: [2, 3], strides: 2, padding: 'same', useBias: false }),
      inputShape: [1, 3, 3, 1],
      outputShape: [1, 6, 6, 2],
      params: 12,
    });
  });

  it('outputPadding 1 with strides 2, 3×3 valid: [1, 3, 3, 2] → [1, (3 − 1)·2 + 3 + 1, …, 2] = [1, 8, 8, 2], 38 parameters', () => {
    checkLayer({
      layer: new Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2, outputPadding: 1, biasInitializer: bias }),
      inputShape: [1, 3, 3, 2],
      outputShape: [1, 8, 8, 2],
      params: 38,
    });
  });

  it('2×2 kernel with dilation 2 spans 3×3: [1, 3, 4, 1] → [1, 5, 6, 2] with 2·2·2·1 + 2 = 10 parameters', () => {
    checkLayer({
      layer: new Conv2DTranspose({ filters: 2, kernelSize: 2, dilationRate: 2, biasInitializer: bias }),
      inputShape: [1, 3, 4, 1],
      outputShape: [1, 5, 6, 2],
      params: 10,
    });
  });

  it('hand-computed: stride 2 spreads one pixel over a 2×2 ones kernel; the kernel is [kh, kw, filters, in]', () => {
    const layer = new Conv2DTranspose({
      filters: 1,
      kernelSize: 2,
      strides: 2,
      kernelInitializer: 'ones',
      biasInitializer: initializers.constant({ value: 0.5 }),
      name: 'up',
    });
    const y = layer.apply(tensor([3, 4], [1, 1, 1, 2]));
    expect(y.shape).toEqual([1, 2, 2, 1]);
    expect(Array.from(y.dataSync())).toEqual([7.5, 7.5, 7.5, 7.5]);
    expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([
      ['up/kernel', [2, 2, 1, 2]],
      ['up/bias', [1]],
    ]);
  });

  /** Options both libraries accept as they are (tfjs's layer has neither outputPadding nor dilation). */
  interface OracleArgs {
    filters: number;
    kernelSize: number | [number, number];
    strides?: number | [number, number];
    padding?: 'valid' | 'same';
    activation?: 'relu' | 'sigmoid';
    useBias?: boolean;
  }
  const cases: readonly (readonly [string, OracleArgs, readonly number[]])[] = [
    ['3×3 valid, strides 2, relu', { filters: 3, kernelSize: 3, strides: 2, activation: 'relu' }, [2, 3, 4, 2]],
    [
      '[3, 2] same, strides [2, 1], sigmoid',
      { filters: 2, kernelSize: [3, 2], strides: [2, 1], padding: 'same', activation: 'sigmoid' },
      [1, 4, 3, 3],
    ],
    ['2×2 valid, strides 1, no bias', { filters: 2, kernelSize: 2, useBias: false }, [2, 3, 3, 1]],
  ];
  for (const [label, args, shape] of cases) {
    it(`matches tf.layers.conv2dTranspose, forward and gradients: ${label}`, () => {
      const layer = new Conv2DTranspose({ ...args, biasInitializer: bias });
      expectSameAsTfjs(tf.layers.conv2dTranspose(args), layer, randomInput(shape, 9));
      const theirs = tf.layers.conv2dTranspose(args).getConfig();
      const ours = layer.getConfig();
      for (const key of [
        'filters',
        'kernelSize',
        'strides',
        'padding',
        'dataFormat',
        'useBias',
        'activation',
      ] as const) {
        expect(ours[key], key).toEqual(theirs[key]);
      }
    });
  }

  it('writes outputPadding as null or [h, w], and dilationRate as Keras does', () => {
    expect(new Conv2DTranspose({ filters: 1, kernelSize: 3 }).getConfig()).toMatchObject({
      outputPadding: null,
      dilationRate: [1, 1],
    });
    expect(
      new Conv2DTranspose({ filters: 1, kernelSize: 3, strides: [2, 3], outputPadding: [1, 2] }).getConfig(),
    ).toMatchObject({ outputPadding: [1, 2], strides: [2, 3] });
  });

  it('rejects bad options and inputs with the layer, argument, expectation and value in the message', () => {
    expect(() => new Conv2DTranspose({ filters: 1, kernelSize: 3, strides: 2, outputPadding: 2, name: 't0' })).toThrow(
      "Conv2DTranspose 't0': `outputPadding` must be null or non-negative integers less than the strides [2, 2], received 2",
    );
    expect(() => new Conv2DTranspose({ filters: 1, kernelSize: 3, outputPadding: [0, 1], name: 't1' })).toThrow(
      "Conv2DTranspose 't1': `outputPadding` must be null or non-negative integers less than the strides [1, 1], received [0,1]",
    );
    expect(() => new Conv2DTranspose({ filters: 1, kernelSize: 3, strides: 2, dilationRate: 2, name: 't2' })).toThrow(
      "Conv2DTranspose 't2': `dilationRate` must be 1 when strides > 1 (as in TensorFlow), received [2, 2] with strides [2, 2]",
    );
    expect(() => new Conv2DTranspose({ filters: 0, kernelSize: 3, name: 't3' })).toThrow(
      "Conv2DTranspose 't3': `filters` must be a positive integer, received 0",
    );
    expect(() => new Conv2DTranspose({ filters: 1, kernelSize: 2, name: 't4' }).build([null, 3, 3])).toThrow(
      "Conv2DTranspose 't4': `input shape` must be rank 4 [batch, height, width, channels] with known channels, received [null, 3, 3]",
    );
  });
});
