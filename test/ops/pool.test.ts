import { describe, expect, it } from 'vitest';
import {
  avgPool,
  globalAvgPool,
  globalMaxPool,
  grads,
  maxPool,
  type Pool2DOptions,
  Random,
  type Tensor,
  tensor,
  zeros,
} from '../../src/index.js';
// Shape helpers: internal to the ops, not part of the public API.
import { pool2dInfo, pool2dOutputShape } from '../../src/ops/pool.js';
import { gradcheck, randomInput } from '../helpers/gradcheck.js';
import { expectClose, tf } from '../helpers/tfjs.js';

/** x = 1..h·w as a [1, h, w, 1] image. */
const counting = (h: number, w: number): Tensor =>
  tensor(
    Float32Array.from({ length: h * w }, (_, i) => i + 1),
    [1, h, w, 1],
  );

/**
 * A gradcheck input whose values are a shuffled grid 0.02 apart: no two are within the central-difference step of
 * each other, so no max changes hands when one is nudged (max pooling has a kink at ties).
 */
function distinctInput(shape: readonly number[], seed: number): Tensor {
  const random = new Random(seed);
  const size = shape.reduce((n, d) => n * d, 1);
  const values = Array.from({ length: size }, (_, i) => (i - size / 2) * 0.02);
  for (let i = size - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [values[i], values[j]] = [values[j] ?? 0, values[i] ?? 0];
  }
  const t = tensor(values, shape);
  t.requiresGrad = true;
  return t;
}

const tf4 = (t: Tensor): tf.Tensor4D => {
  const [n = 0, h = 0, w = 0, c = 0] = t.shape;
  return tf.tensor4d(t.dataSync(), [n, h, w, c]);
};

describe('pooling values (hand-computed)', () => {
  it('2×2 windows with the default stride (= pool size) on a 4×4 input', () => {
    expect(Array.from(maxPool(counting(4, 4), { poolSize: 2 }).dataSync())).toEqual([6, 8, 14, 16]);
    expect(Array.from(avgPool(counting(4, 4), { poolSize: 2 }).dataSync())).toEqual([3.5, 5.5, 11.5, 13.5]);
  });

  it('same padding: averages count only the valid positions of each window', () => {
    // 3×3 input, pool 3, stride 1: pad 1 all round; e.g. the corner averages {1, 2, 4, 5}, the centre all nine.
    const y = avgPool(counting(3, 3), { poolSize: 3, strides: 1, padding: 'same' });
    expect(Array.from(y.dataSync())).toEqual([3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7]);
    // pool 2, stride 2 on 3×3: the padding goes after, so windows are {1,2,4,5}, {3,6}, {7,8}, {9}.
    expect(Array.from(avgPool(counting(3, 3), { poolSize: 2, padding: 'same' }).dataSync())).toEqual([3, 4.5, 7.5, 9]);
  });

  it('same padding: a padded zero never wins a max over negative values', () => {
    const negative = tensor(
      Float32Array.from({ length: 9 }, (_, i) => i - 9),
      [1, 3, 3, 1],
    );
    expect(Array.from(maxPool(negative, { poolSize: 3, strides: 1, padding: 'same' }).dataSync())).toEqual([
      -5, -4, -4, -2, -1, -1, -2, -1, -1,
    ]);
  });

  it('global pools reduce height and width per channel', () => {
    const x = tensor([1, -1, 5, -2, 3, -7, 0, 4], [1, 2, 2, 2]); // channel 0: 1, 5, 3, 0; channel 1: -1, -2, -7, 4
    expect(globalAvgPool(x).shape).toEqual([1, 2]);
    expect(Array.from(globalAvgPool(x).dataSync())).toEqual([2.25, -1.5]);
    expect(Array.from(globalMaxPool(x).dataSync())).toEqual([5, 4]);
  });

  it('maxPool sends the gradient to the first maximum of a tied window', () => {
    const x = tensor([2, 9, 9, 1], [1, 2, 2, 1]);
    x.requiresGrad = true;
    const [dx] = grads(maxPool(x, { poolSize: 2 }), [x]);
    expect(Array.from(dx?.dataSync() ?? [])).toEqual([0, 1, 0, 0]);
  });
});

describe('pooling geometry', () => {
  it('computes output shapes without running, keeping unknown sizes unknown (hand-computed)', () => {
    expect(pool2dOutputShape([null, 28, 28, 8], { poolSize: 2 })).toEqual([null, 14, 14, 8]);
    expect(pool2dOutputShape([null, 7, 7, null], { poolSize: 2, padding: 'same' })).toEqual([null, 4, 4, null]);
    expect(pool2dOutputShape([3, 7, null, 2], { poolSize: [3, 2], strides: [2, 1] })).toEqual([3, 3, null, 2]);
    // 7 rows, pool 3, stride 2, same: out 4, total (4−1)·2 + 3 − 7 = 2 → top 1; 6 columns: out 3, total 1 → left 0.
    const info = pool2dInfo([1, 7, 6, 1], { poolSize: 3, strides: 2, padding: 'same' });
    expect([info.outHeight, info.outWidth, info.padTop, info.padLeft]).toEqual([4, 3, 1, 0]);
  });
});

describe('pooling gradients (gradcheck)', () => {
  for (const poolSize of [2, 3]) {
    for (const strides of [1, 2, 3]) {
      for (const padding of ['valid', 'same'] as const) {
        const options: Pool2DOptions = { poolSize, strides, padding };
        it(`pool ${poolSize}, stride ${strides}, ${padding}`, () => {
          const x = distinctInput([2, 7, 6, 2], poolSize * 10 + strides);
          gradcheck(() => maxPool(x, options), [x]);
          gradcheck(() => avgPool(x, options), [x]);
        });
      }
    }
  }

  it('non-square windows and strides', () => {
    const x = distinctInput([2, 7, 6, 3], 5);
    gradcheck(() => maxPool(x, { poolSize: [3, 2], strides: [2, 1], padding: 'same' }), [x]);
    gradcheck(() => avgPool(x, { poolSize: [2, 3], strides: [1, 2] }), [x]);
  });

  it('global pools', () => {
    const x = distinctInput([2, 3, 5, 3], 6);
    gradcheck(() => globalAvgPool(x), [x]);
    gradcheck(() => globalMaxPool(x), [x]);
  });
});

describe('pooling matches TensorFlow.js (randomized configurations)', () => {
  // tfjs (cpu) 4.22's avgPool gradient divides by the full window size even where the window overlaps padding,
  // contradicting its own forward pass (which averages the valid positions, as TensorFlow does). So the avgPool
  // gradient oracle is tfjs differentiating the same function written as a ones-filter depthwise sum over the
  // window divided by the count of valid positions; its forward is checked against tf.avgPool first.
  const random = new Random(77);
  const pick = (lo: number, hi: number): number => lo + random.int(hi - lo + 1);
  for (let k = 0; k < 10; k++) {
    const poolSize: [number, number] = [pick(1, 3), pick(1, 3)];
    const strides: [number, number] = [pick(1, 3), pick(1, 3)];
    const padding = random.int(2) === 0 ? 'valid' : 'same';
    const [n, h, w, c] = [pick(1, 2), poolSize[0] + pick(0, 5), poolSize[1] + pick(0, 5), pick(1, 3)];
    const options: Pool2DOptions = { poolSize, strides, padding };
    const windowSum = (a: tf.Tensor4D): tf.Tensor4D =>
      tf.depthwiseConv2d(a, tf.ones([...poolSize, c, 1]), strides, padding);
    const avgBySum = (a: tf.Tensor4D): tf.Tensor4D => tf.div(windowSum(a), windowSum(tf.onesLike(a)));
    const oracles = [
      [maxPool, (a: tf.Tensor4D) => tf.maxPool(a, poolSize, strides, padding), null],
      [avgPool, (a: tf.Tensor4D) => tf.avgPool(a, poolSize, strides, padding), avgBySum],
    ] as const;
    it(`x [${n}, ${h}, ${w}, ${c}], pool [${poolSize.join(', ')}], strides [${strides.join(', ')}], ${padding}`, () => {
      const x = distinctInput([n, h, w, c], 500 + k);
      for (const [ours, theirs, theirsForGrad] of oracles) {
        const y = ours(x, options);
        const dy = randomInput(y.shape, 600 + k);
        const [dx] = grads(y, [x], dy);
        const expected = theirs(tf4(x));
        expect(y.shape).toEqual(expected.shape);
        expectClose(y.dataSync(), expected.dataSync());
        const f = theirsForGrad ?? theirs;
        expectClose(f(tf4(x)).dataSync(), expected.dataSync());
        const [ex] = tf.grads((a: tf.Tensor) => tf.sum(tf.mul(f(tf.reshape<tf.Rank.R4>(a, [n, h, w, c])), tf4(dy))))([
          tf4(x),
        ]);
        expectClose(dx?.dataSync() ?? [], ex?.dataSync() ?? []);
      }
    });
  }

  it('global pools and their gradients', () => {
    const x = distinctInput([2, 4, 3, 3], 9);
    for (const [ours, theirs] of [
      [globalAvgPool, tf.mean],
      [globalMaxPool, tf.max],
    ] as const) {
      const y = ours(x);
      const dy = randomInput(y.shape, 10);
      const [dx] = grads(y, [x], dy);
      expectClose(y.dataSync(), theirs(tf4(x), [1, 2]).dataSync());
      const [ex] = tf.grads((a: tf.Tensor) => tf.sum(tf.mul(theirs(a, [1, 2]), tf.tensor(dy.dataSync(), [2, 3]))))([
        tf4(x),
      ]);
      expectClose(dx?.dataSync() ?? [], ex?.dataSync() ?? []);
    }
  });
});

describe('pooling rejects bad arguments, naming them', () => {
  const x = zeros([1, 4, 5, 2]);
  it('a window larger than the input', () => {
    expect(() => maxPool(x, { poolSize: [5, 2] })).toThrow(
      "maxPool: the pool window [5, 2] is larger than the input [4, 5] with padding 'valid' (output would be [0, 2])",
    );
    expect(() => avgPool(x, { poolSize: 6 })).toThrow(
      /avgPool: the pool window \[6, 6\] is larger than the input \[4, 5\]/,
    );
  });

  it('bad pool sizes, strides and padding', () => {
    expect(() => maxPool(x, { poolSize: 0 })).toThrow('maxPool: `poolSize` must be positive integers, received 0');
    expect(() => avgPool(x, { poolSize: 2, strides: [1, 0] })).toThrow(
      'avgPool: `strides` must be positive integers, received [1, 0]',
    );
    const options = JSON.parse('{"poolSize": 2, "padding": "full"}') as Pool2DOptions;
    expect(() => maxPool(x, options)).toThrow(`maxPool: \`padding\` must be 'valid' or 'same', received "full"`);
  });

  it('wrong ranks', () => {
    expect(() => maxPool(zeros([4, 5, 2]), { poolSize: 2 })).toThrow(
      /maxPool: input must be rank 4.*received \[4, 5, 2\]/,
    );
    expect(() => globalAvgPool(zeros([2, 3]))).toThrow(/globalAvgPool: input must be rank 4.*received \[2, 3\]/);
    expect(() => globalMaxPool(zeros([2, 0, 3, 1]))).toThrow(/globalMaxPool: input height and width must be positive/);
  });
});
