import { describe, expect, it } from 'vitest';
import { layers, tensor } from '../../src/index.js';
import { checkLayer } from '../helpers/layer.js';

describe('Flatten', () => {
  it('flattens [2, 3, 4, 5] to [2, 60] with no parameters', () => {
    checkLayer({ layer: layers.flatten(), inputShape: [2, 3, 4, 5], outputShape: [2, 60], params: 0 });
  });

  it('keeps NHWC order (hand-computed)', () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]);
    expect(Array.from(layers.flatten().apply(x).dataSync())).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

describe('Reshape', () => {
  it('reshapes [2, 12] to [2, 3, 2, 2] with an inferred dimension', () => {
    checkLayer({
      layer: layers.reshape({ targetShape: [3, -1, 2] }),
      inputShape: [2, 12],
      outputShape: [2, 3, 2, 2],
      params: 0,
    });
  });

  it('rejects a target shape whose size differs from the input, naming the layer', () => {
    const layer = layers.reshape({ targetShape: [5], name: 'bad_reshape' });
    expect(() => layer.build([null, 12])).toThrow(
      /Reshape 'bad_reshape': `targetShape` must be a shape with 12 values/,
    );
    expect(() => layers.reshape({ targetShape: [-1, -1] })).toThrow(/at most one -1/);
  });
});

describe('ZeroPadding2D', () => {
  it('pads [2, 3, 4, 2] by [[1, 2], [0, 3]] to [2, 6, 7, 2]', () => {
    checkLayer({
      layer: layers.zeroPadding2d({
        padding: [
          [1, 2],
          [0, 3],
        ],
      }),
      inputShape: [2, 3, 4, 2],
      outputShape: [2, 6, 7, 2],
      params: 0,
    });
  });

  it('places zeros around the image (hand-computed)', () => {
    const y = layers.zeroPadding2d({ padding: 1 }).apply(tensor([5], [1, 1, 1, 1]));
    expect(Array.from(y.dataSync())).toEqual([0, 0, 0, 0, 5, 0, 0, 0, 0]);
  });

  it('rejects negative padding', () => {
    expect(() => layers.zeroPadding2d({ padding: -1, name: 'zp' })).toThrow(/ZeroPadding2D 'zp': `padding` must be/);
  });
});

describe('InputLayer and input shape checks', () => {
  it('passes its input through and requires a shape', () => {
    checkLayer({
      layer: layers.inputLayer({ inputShape: [4, 4, 1] }),
      inputShape: [3, 4, 4, 1],
      outputShape: [3, 4, 4, 1],
      params: 0,
    });
    expect(() => layers.inputLayer({})).toThrow(/`inputShape` must be given/);
  });

  it('rejects an input that disagrees with the declared inputShape, naming both shapes', () => {
    const layer = layers.flatten({ inputShape: [28, 28, 1], name: 'flat' });
    expect(() => layer.apply(tensor(new Float32Array(2 * 27 * 28), [2, 27, 28, 1]))).toThrow(
      "Flatten 'flat': expected input shape [null, 28, 28, 1], received [null, 27, 28, 1]",
    );
  });

  it('generates Keras-style unique names', () => {
    const a = layers.flatten();
    const b = layers.flatten();
    expect(a.name).toMatch(/^flatten(_\d+)?$/);
    expect(b.name).not.toBe(a.name);
  });
});
