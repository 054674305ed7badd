import { describe, expect, it } from 'vitest';
import { Cropping2D, tensor, UpSampling2D } from '../../src/index.js';
import { randomInput } from '../helpers/gradcheck.js';
import { checkLayer } from '../helpers/layer.js';
import { tf } from '../helpers/tfjs.js';
import { expectSameAsTfjs } from './tfjs-layer.js';

describe('UpSampling2D', () => {
  it('size 2 (default), nearest: [2, 3, 4, 2] → [2, 6, 8, 2], no parameters', () => {
    checkLayer({ layer: new UpSampling2D(), inputShape: [2, 3, 4, 2], outputShape: [2, 6, 8, 2], params: 0 });
  });

  it('size [2, 3], bilinear: [1, 3, 2, 1] → [1, 6, 6, 1]', () => {
    checkLayer({
      layer: new UpSampling2D({ size: [2, 3], interpolation: 'bilinear' }),
      inputShape: [1, 3, 2, 1],
      outputShape: [1, 6, 6, 1],
      params: 0,
    });
  });

  it('hand-computed: nearest repeats each pixel size times along each axis', () => {
    const y = new UpSampling2D({ size: [1, 2] }).apply(tensor([1, 2, 3, 4], [1, 2, 2, 1]));
    expect(y.shape).toEqual([1, 2, 4, 1]);
    expect(Array.from(y.dataSync())).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
  });

  for (const [label, args] of [
    ['size 2, nearest', { size: [2, 2] }],
    ['size [3, 2], bilinear', { size: [3, 2], interpolation: 'bilinear' }],
  ] satisfies [string, { size: [number, number]; interpolation?: 'nearest' | 'bilinear' }][]) {
    it(`matches tf.layers.upSampling2d, forward and gradients, and its config: ${label}`, () => {
      const layer = new UpSampling2D(args);
      const tfLayer = tf.layers.upSampling2d(args);
      // One square image: tfjs 4.22's resize gradient kernels are wrong for batch > 1 (nearest) and label their result
      // [N, W, H, C] (bilinear); test/ops/upsample.test.ts checks the op on other shapes against them image by image.
      expectSameAsTfjs(tfLayer, layer, randomInput([1, 3, 3, 2], 3));
      const theirs = tfLayer.getConfig();
      const ours = layer.getConfig();
      for (const key of ['size', 'dataFormat', 'interpolation'] as const) expect(ours[key], key).toEqual(theirs[key]);
    });
  }

  it('rejects bad options and inputs with the standard message', () => {
    expect(() => new UpSampling2D({ interpolation: 'bicubic' as 'bilinear', name: 'u0' })).toThrow(
      `UpSampling2D 'u0': \`interpolation\` must be 'nearest' or 'bilinear', received "bicubic"`,
    );
    expect(() => new UpSampling2D({ size: 0, name: 'u1' })).toThrow(
      "UpSampling2D 'u1': `size` must be a positive integer or [height, width] of positive integers, received 0",
    );
    expect(() => new UpSampling2D({ name: 'u2' }).build([null, 3, 3])).toThrow(
      "UpSampling2D 'u2': `input shape` must be rank 4 [batch, height, width, channels], received [null, 3, 3]",
    );
  });
});

describe('Cropping2D', () => {
  it('cropping 1: [2, 5, 6, 3] → [2, 5 − 2, 6 − 2, 3], no parameters', () => {
    checkLayer({
      layer: new Cropping2D({ cropping: 1 }),
      inputShape: [2, 5, 6, 3],
      outputShape: [2, 3, 4, 3],
      params: 0,
    });
  });

  it('[[1, 0], [2, 1]]: [1, 4, 5, 1] → [1, 3, 2, 1]; symmetric [1, 2]: [1, 4, 6, 2] → [1, 2, 2, 2]', () => {
    checkLayer({
      layer: new Cropping2D({
        cropping: [
          [1, 0],
          [2, 1],
        ],
      }),
      inputShape: [1, 4, 5, 1],
      outputShape: [1, 3, 2, 1],
      params: 0,
    });
    checkLayer({
      layer: new Cropping2D({ cropping: [1, 2] }),
      inputShape: [1, 4, 6, 2],
      outputShape: [1, 2, 2, 2],
      params: 0,
    });
  });

  it('hand-computed: keeps rows top..H − bottom and columns left..W − right; defaults to no cropping as Keras', () => {
    const x = tensor(
      Array.from({ length: 12 }, (_, i) => i),
      [1, 3, 4, 1],
    );
    const y = new Cropping2D({
      cropping: [
        [1, 1],
        [1, 0],
      ],
    }).apply(x);
    expect(y.shape).toEqual([1, 1, 3, 1]);
    expect(Array.from(y.dataSync())).toEqual([5, 6, 7]);
    expect(new Cropping2D().getConfig().cropping).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it('matches tf.layers.cropping2D, forward and gradients, and its config', () => {
    const args = {
      cropping: [
        [1, 0],
        [0, 2],
      ] as [[number, number], [number, number]],
    };
    const layer = new Cropping2D(args);
    const tfLayer = tf.layers.cropping2D(args);
    expectSameAsTfjs(tfLayer, layer, randomInput([2, 4, 5, 3], 4));
    const theirs = tfLayer.getConfig();
    const ours = layer.getConfig();
    for (const key of ['cropping', 'dataFormat'] as const) expect(ours[key], key).toEqual(theirs[key]);
  });

  it('rejects bad options and inputs it would leave empty with the standard message', () => {
    expect(() => new Cropping2D({ cropping: -1, name: 'c0' })).toThrow(
      "Cropping2D 'c0': `cropping` must be a non-negative integer, [rows, cols] or [[top, bottom], [left, right]], received -1",
    );
    expect(() =>
      new Cropping2D({
        cropping: [
          [2, 2],
          [0, 0],
        ],
        name: 'c1',
      }).build([null, 4, 5, 1]),
    ).toThrow("Cropping2D 'c1': cropping [[2,2],[0,0]] leaves nothing of the input [?, 4, 5, 1]");
    expect(() => new Cropping2D({ name: 'c2' }).build([null, 4, 5])).toThrow(
      "Cropping2D 'c2': `input shape` must be rank 4 [batch, height, width, channels], received [null, 4, 5]",
    );
  });
});
