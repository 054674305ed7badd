import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/index.js';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from '../../src/layers/global-pooling2d.js';
import { AveragePooling2D, MaxPooling2D } from '../../src/layers/pooling2d.js';
import { randomInput } from '../helpers/gradcheck.js';
import { checkLayer } from '../helpers/layer.js';
import { expectClose, tf } from '../helpers/tfjs.js';
import { runTfLayer } from './tfjs-layer.js';

describe('MaxPooling2D and AveragePooling2D', () => {
  it('default 2×2 max pool: [2, 4, 4, 3] → [2, 2, 2, 3], no parameters; gradient to each window max', () => {
    checkLayer({ layer: new MaxPooling2D(), inputShape: [2, 4, 4, 3], outputShape: [2, 2, 2, 3], params: 0 });
  });

  it('3×3 average pool, strides 2, same: [1, 5, 5, 2] → [1, ceil(5/2), ceil(5/2), 2]', () => {
    checkLayer({
      layer: new AveragePooling2D({ poolSize: 3, strides: 2, padding: 'same' }),
      inputShape: [1, 5, 5, 2],
      outputShape: [1, 3, 3, 2],
      params: 0,
    });
  });

  it('[2, 3] max pool, strides 1, valid: [1, 4, 5, 1] → [1, 4 − 2 + 1, 5 − 3 + 1, 1]', () => {
    checkLayer({
      layer: new MaxPooling2D({ poolSize: [2, 3], strides: 1 }),
      inputShape: [1, 4, 5, 1],
      outputShape: [1, 3, 3, 1],
      params: 0,
      seed: 3,
    });
  });

  it('hand-computed: 2×2 windows of [[1, 2], [3, 4]] → max 4, mean 2.5', () => {
    const x = tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    expect(Array.from(new MaxPooling2D().apply(x).dataSync())).toEqual([4]);
    expect(Array.from(new AveragePooling2D().apply(x).dataSync())).toEqual([2.5]);
  });

  it('strides default (and null, as tfjs allows) to the pool size; the config stores pairs', () => {
    expect(new MaxPooling2D({ poolSize: 3 }).getConfig()).toMatchObject({
      poolSize: [3, 3],
      strides: [3, 3],
      padding: 'valid',
    });
    expect(new AveragePooling2D({ poolSize: [2, 3], strides: null }).getConfig()).toMatchObject({
      poolSize: [2, 3],
      strides: [2, 3],
    });
    expect(new MaxPooling2D().getConfig()).toMatchObject({
      poolSize: [2, 2],
      strides: [2, 2],
      dataFormat: 'channelsLast',
    });
  });

  /** Options both libraries accept as they are. */
  interface OracleArgs {
    poolSize?: number | [number, number];
    strides?: number | [number, number];
    padding?: 'valid' | 'same';
  }
  const cases: readonly (readonly [OracleArgs, readonly number[]])[] = [
    [{}, [2, 4, 6, 3]],
    [{ poolSize: 3, strides: 2, padding: 'same' }, [1, 6, 7, 2]],
    [{ poolSize: [3, 2], strides: [1, 2], padding: 'valid' }, [2, 5, 5, 1]],
  ];
  for (const [args, shape] of cases) {
    it(`matches tf.layers.maxPooling2d and averagePooling2d: ${JSON.stringify(args)} on [${shape.join(', ')}]`, () => {
      const x = randomInput(shape, 11);
      const pairs = [
        [new MaxPooling2D(args), tf.layers.maxPooling2d(args)],
        [new AveragePooling2D(args), tf.layers.averagePooling2d(args)],
      ] as const;
      for (const [ours, theirs] of pairs) {
        const y = ours.apply(x);
        const expected = runTfLayer(theirs, ours, x);
        expect(y.shape).toEqual(expected.shape);
        expectClose(y.dataSync(), expected.dataSync());
        const tfConfig = theirs.getConfig();
        const config = ours.getConfig();
        for (const key of ['poolSize', 'strides', 'padding', 'dataFormat'] as const)
          expect(config[key], key).toEqual(tfConfig[key]);
      }
    });
  }

  it('rejects bad options with the layer, argument, expectation and value', () => {
    expect(() => new MaxPooling2D({ poolSize: 0, name: 'p0' })).toThrow(
      "MaxPooling2D 'p0': `poolSize` must be a positive integer or [height, width] of positive integers, received 0",
    );
    expect(() => new AveragePooling2D({ strides: [2, 0], name: 'p1' })).toThrow(
      "AveragePooling2D 'p1': `strides` must be a positive integer or [height, width] of positive integers, received [2,0]",
    );
    expect(() => new MaxPooling2D({ padding: 'full' as 'same', name: 'p2' })).toThrow(
      `MaxPooling2D 'p2': \`padding\` must be 'valid' or 'same', received "full"`,
    );
    expect(() => new MaxPooling2D({ dataFormat: 'channelsFirst', name: 'p3' })).toThrow(
      `MaxPooling2D 'p3': \`dataFormat\` must be 'channelsLast' (cnnlab keeps activations NHWC), received "channelsFirst"`,
    );
  });

  it('rejects, when built, a window larger than the input and input that is not rank 4', () => {
    expect(() => new MaxPooling2D({ poolSize: [2, 4], name: 'wide' }).build([null, 5, 3, 1])).toThrow(
      "MaxPooling2D 'wide': the pool window [2, 4] is larger than the input [5, 3] with padding 'valid' (output would be [2, 0])",
    );
    expect(() => new AveragePooling2D({ name: 'flat' }).apply(randomInput([2, 4, 4], 1))).toThrow(
      "AveragePooling2D 'flat': `input shape` must be rank 4 [batch, height, width, channels], received [null, 4, 4]",
    );
  });
});

describe('GlobalAveragePooling2D and GlobalMaxPooling2D', () => {
  it('[2, 3, 3, 4] → [2, 4] with no parameters; gradients (average: 1/9 each; max: to the maximum)', () => {
    checkLayer({ layer: new GlobalAveragePooling2D(), inputShape: [2, 3, 3, 4], outputShape: [2, 4], params: 0 });
    checkLayer({ layer: new GlobalMaxPooling2D(), inputShape: [2, 3, 3, 4], outputShape: [2, 4], params: 0 });
  });

  it('hand-computed: channel values 1..4 and 10..40 → means [2.5, 25], maxima [4, 40]', () => {
    const x = tensor([1, 10, 2, 20, 3, 30, 4, 40], [1, 2, 2, 2]);
    expect(Array.from(new GlobalAveragePooling2D().apply(x).dataSync())).toEqual([2.5, 25]);
    expect(Array.from(new GlobalMaxPooling2D().apply(x).dataSync())).toEqual([4, 40]);
  });

  it('match tf.layers.globalAveragePooling2d and globalMaxPooling2d', () => {
    const x = randomInput([3, 4, 5, 2], 12);
    const pairs = [
      [new GlobalAveragePooling2D(), tf.layers.globalAveragePooling2d({})],
      [new GlobalMaxPooling2D(), tf.layers.globalMaxPooling2d({})],
    ] as const;
    for (const [ours, theirs] of pairs) {
      const y = ours.apply(x);
      const expected = runTfLayer(theirs, ours, x);
      expect(y.shape).toEqual(expected.shape);
      expectClose(y.dataSync(), expected.dataSync());
      expect(ours.getConfig().dataFormat).toBe(theirs.getConfig().dataFormat);
    }
  });

  it('rejects input that is not rank 4 and channelsFirst, naming the layer', () => {
    expect(() => new GlobalMaxPooling2D({ name: 'g' }).apply(randomInput([2, 3], 1))).toThrow(
      "GlobalMaxPooling2D 'g': `input shape` must be rank 4 [batch, height, width, channels] with positive height and width, received [null, 3]",
    );
    expect(() => new GlobalAveragePooling2D({ dataFormat: 'channelsFirst', name: 'g2' })).toThrow(
      `GlobalAveragePooling2D 'g2': \`dataFormat\` must be 'channelsLast'`,
    );
  });
});
