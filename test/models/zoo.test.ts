import { describe, expect, it } from 'vitest';
import { briefModel, lenet5 } from '../../src/index.js';

describe('built-in models', () => {
  it('the brief model has the Keras program’s shapes and 93,322 parameters', () => {
    // Keras' summary of the brief's program: 320 + 18,496 + 36,928 + 36,928 + 650 = 93,322.
    const model = briefModel();
    expect(model.layerOutputShapes).toEqual([
      [null, 26, 26, 32],
      [null, 13, 13, 32],
      [null, 11, 11, 64],
      [null, 5, 5, 64],
      [null, 3, 3, 64],
      [null, 576],
      [null, 64],
      [null, 64],
      [null, 10],
    ]);
    expect(model.layers.map((l) => l.countParams())).toEqual([320, 0, 18496, 0, 36928, 0, 36928, 0, 650]);
    expect(model.countParams()).toBe(93322);
  });

  it('technique options change one thing each', () => {
    const bn = briefModel({ batchNorm: true });
    // Each BatchNormalization adds 4·C weights, half of them non-trainable; convs and the hidden dense lose their bias.
    const bnParams = bn.layers.filter((l) => l.className === 'BatchNormalization').map((l) => l.countParams());
    expect(bnParams).toEqual([128, 256, 256, 256]);
    expect(bn.nonTrainableWeights.reduce((n, w) => n + w.size, 0)).toBe((32 + 64 + 64 + 64) * 2);
    const momenta = (m: typeof bn): unknown[] =>
      m.layers
        .filter((l) => l.className === 'BatchNormalization')
        .map((l): unknown => Reflect.get(l.getConfig(), 'momentum'));
    expect(momenta(bn)).toEqual([0.99, 0.99, 0.99, 0.99]); // Keras' default
    expect(momenta(briefModel({ batchNorm: true, batchNormMomentum: 0.9 }))).toEqual([0.9, 0.9, 0.9, 0.9]);
    const strided = briefModel({ pooling: 'strided' });
    expect(strided.layers.some((l) => l.className === 'MaxPooling2D')).toBe(false);
    expect(strided.layerOutputShapes[0]).toEqual([null, 13, 13, 32]);
    const same = briefModel({ padding: 'same', kernelSize: 5, pooling: 'average' });
    expect(same.layerOutputShapes[4]).toEqual([null, 7, 7, 64]);
    expect(briefModel({ dropout: 0 }).layers.some((l) => l.className === 'Dropout')).toBe(false);
    expect(briefModel({ spatialDropout: 0.1 }).layers.filter((l) => l.className === 'SpatialDropout2D')).toHaveLength(
      2,
    );
  });

  it('separable: the second and third convolutions become depthwise then 1×1; the first stays full', () => {
    const model = briefModel({ separable: true });
    expect(model.layers.map((l) => l.className)).toEqual([
      'Conv2D',
      'MaxPooling2D',
      'SeparableConv2D',
      'MaxPooling2D',
      'SeparableConv2D',
      'Flatten',
      'Dense',
      'Dropout',
      'Dense',
    ]);
    // The shapes are the full model's.
    expect(model.layerOutputShapes).toEqual(briefModel().layerOutputShapes);
    // By hand: conv 3·3·1·32 + 32 = 320; separable 3·3·32 (depthwise) + 32·64 (pointwise) + 64 = 2,400 and
    // 3·3·64 + 64·64 + 64 = 4,736 (instead of 18,496 and 36,928); dense 576·64 + 64 = 36,928; 64·10 + 10 = 650.
    expect(model.layers.map((l) => l.countParams())).toEqual([320, 0, 2400, 0, 4736, 0, 36928, 0, 650]);
    expect(model.countParams()).toBe(320 + 2400 + 4736 + 36928 + 650);
    // With batch norm the separable convolutions lose their bias, as the full ones do.
    const bn = briefModel({ separable: true, batchNorm: true });
    expect(bn.layers.filter((l) => l.className === 'SeparableConv2D').map((l) => l.countParams())).toEqual([
      2400 - 64,
      4736 - 64,
    ]);
    // A kernel penalty reaches both of a separable layer's kernels.
    const config = briefModel({ separable: true, kernelRegularizer: 'l2' }).layers[2]?.getConfig();
    expect(Reflect.get(config ?? {}, 'depthwiseRegularizer')).not.toBeNull();
    expect(Reflect.get(config ?? {}, 'pointwiseRegularizer')).not.toBeNull();
  });

  it('the same seed gives the same initial weights; another seed does not', () => {
    const a = briefModel({ seed: 3 }).getWeights()[0]?.dataSync();
    const b = briefModel({ seed: 3 }).getWeights()[0]?.dataSync();
    const c = briefModel({ seed: 4 }).getWeights()[0]?.dataSync();
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('LeNet-5 has the classic parameter count for 28×28 input', () => {
    // 156 + 2,416 + (400·120 + 120) + (120·84 + 84) + (84·10 + 10) = 61,706.
    expect(lenet5().countParams()).toBe(61706);
  });
});
