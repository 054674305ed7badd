import { describe, expect, it } from 'vitest';
import {
  type Conv2DOptions,
  depthwiseConv2d,
  grads,
  Random,
  separableConv2d,
  ShapeError,
  type Tensor,
  tensor,
  zeros,
} from '../../src/index.js';
import { depthwiseConv2dOutputShape } from '../../src/ops/depthwise.js';
import { gradcheck, randomInput } from '../helpers/gradcheck.js';
import { dilateFilter, expectClose, tf } from '../helpers/tfjs.js';

const tf4 = (t: Tensor): tf.Tensor4D => {
  const [n = 0, h = 0, w = 0, c = 0] = t.shape;
  return tf.tensor4d(t.dataSync(), [n, h, w, c]);
};

describe('depthwiseConv2d values (hand-computed)', () => {
  it('each channel has its own filter, and multiplier m of channel c lands at output channel c·M + m', () => {
    // x: 2×2 image, channel 0 = [1, 2, 3, 4], channel 1 = [10, 20, 30, 40]; 2×2 filter, multiplier 2.
    // Channel 0's filters are all ones and all twos; channel 1's are [1, 0, 0, 0] (top-left) and [0, 0, 0, 1].
    const x = tensor([1, 10, 2, 20, 3, 30, 4, 40], [1, 2, 2, 2]);
    const w = tensor(
      [
        1,
        2,
        1,
        0, // ky 0, kx 0: [c0 m0, c0 m1, c1 m0, c1 m1]
        1,
        2,
        0,
        0, // ky 0, kx 1
        1,
        2,
        0,
        0, // ky 1, kx 0
        1,
        2,
        0,
        1, // ky 1, kx 1
      ],
      [2, 2, 2, 2],
    );
    const y = depthwiseConv2d(x, w);
    expect(y.shape).toEqual([1, 1, 1, 4]);
    // [Σ channel 0, 2·Σ channel 0, channel 1 top-left, channel 1 bottom-right].
    expect(Array.from(y.dataSync())).toEqual([10, 20, 10, 40]);
  });

  it('same padding with stride 2 splits the padding as TensorFlow (extra at the bottom and right)', () => {
    // 4×4 counting image, 2×2 ones filter, stride 2, same: out 2×2, total pad 0 → plain 2×2 block sums.
    const x = tensor(
      Float32Array.from({ length: 16 }, (_, i) => i + 1),
      [1, 4, 4, 1],
    );
    const y = depthwiseConv2d(x, tensor([1, 1, 1, 1], [2, 2, 1, 1]), { strides: 2, padding: 'same' });
    expect(Array.from(y.dataSync())).toEqual([1 + 2 + 5 + 6, 3 + 4 + 7 + 8, 9 + 10 + 13 + 14, 11 + 12 + 15 + 16]);
    // 3×3 image, 2×2 ones filter, stride 1, same: total pad 1 → 0 before, 1 after (the last row and column see one
    // tap less).
    const z = depthwiseConv2d(tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]), tensor([1, 1, 1, 1], [2, 2, 1, 1]), {
      padding: 'same',
    });
    expect(Array.from(z.dataSync())).toEqual([12, 16, 9, 24, 28, 15, 15, 17, 9]);
  });

  it('computes output shapes without running', () => {
    expect(depthwiseConv2dOutputShape([null, 7, 6, 3], [3, 3, 3, 2], { strides: 2, padding: 'same' })).toEqual([
      null,
      4,
      3,
      6,
    ]);
    expect(depthwiseConv2dOutputShape([2, 7, null, 3], [3, 3, 3, 1], { dilationRate: 2 })).toEqual([2, 3, null, 3]);
  });
});

describe('depthwiseConv2d gradients (gradcheck on input and filter)', () => {
  const cases: [string, Conv2DOptions, [number, number], number][] = [
    ['stride 1, valid, multiplier 1', {}, [3, 2], 1],
    ['stride 1, same, multiplier 2', { padding: 'same' }, [3, 3], 2],
    ['stride 2, same, odd sizes', { strides: 2, padding: 'same' }, [3, 2], 1],
    ['stride [2, 1], valid, multiplier 2', { strides: [2, 1] }, [2, 3], 2],
    ['dilation 2, same, multiplier 3', { dilationRate: 2, padding: 'same' }, [2, 3], 3],
    ['dilation [1, 2], valid, multiplier 4', { dilationRate: [1, 2] }, [2, 2], 4],
  ];
  cases.forEach(([name, options, [kh, kw], multiplier], k) => {
    it(name, () => {
      const x = randomInput([2, 7, 5, 3], 10 + k);
      const w = randomInput([kh, kw, 3, multiplier], 30 + k);
      gradcheck(() => depthwiseConv2d(x, w, options), [x, w]);
    });
  });
});

describe('depthwiseConv2d matches TensorFlow.js (randomized configurations)', () => {
  // tfjs computes dilated depthwise convolutions but refuses their gradients: for those the oracle differentiates
  // its depthwise convolution over an explicitly zero-inserted filter (the same function).
  const random = new Random(77);
  const pick = (lo: number, hi: number): number => lo + random.int(hi - lo + 1);
  for (let k = 0; k < 12; k++) {
    const dilated = k % 4 === 0;
    const strides: [number, number] = dilated ? [1, 1] : [pick(1, 3), pick(1, 3)];
    const dilation: [number, number] = dilated ? [pick(2, 3), pick(1, 3)] : [1, 1];
    const padding = random.int(2) === 0 ? 'valid' : 'same';
    const [kh, kw] = [pick(1, 3), pick(1, 3)];
    const [h, w] = [(kh - 1) * dilation[0] + pick(1, 5), (kw - 1) * dilation[1] + pick(1, 5)];
    const [n, c, m] = [pick(1, 2), pick(1, 6), pick(1, 3)];
    it(`x [${n}, ${h}, ${w}, ${c}], filter [${kh}, ${kw}, ${c}, ${m}], strides [${strides.join(', ')}], ${padding}, dilation [${dilation.join(', ')}]`, () => {
      const x = randomInput([n, h, w, c], 200 + k);
      const filter = randomInput([kh, kw, c, m], 300 + k);
      const y = depthwiseConv2d(x, filter, { strides, padding, dilationRate: dilation });
      const expected = tf.depthwiseConv2d(tf4(x), tf4(filter), strides, padding, 'NHWC', dilation);
      expect(y.shape).toEqual(expected.shape);
      expectClose(y.dataSync(), expected.dataSync());
      const dy = randomInput(y.shape, 400 + k);
      const [dx, dw] = grads(y, [x, filter], dy);
      const [ex, ew] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(
          tf.mul(
            tf.depthwiseConv2d(
              tf.reshape<tf.Rank.R4>(a, [n, h, w, c]),
              dilateFilter(tf.reshape<tf.Rank.R4>(b, [kh, kw, c, m]), dilation),
              strides,
              padding,
            ),
            tf4(dy),
          ),
        ),
      )([tf4(x), tf4(filter)]);
      expectClose(dx?.dataSync() ?? [], ex?.dataSync() ?? []);
      expectClose(dw?.dataSync() ?? [], ew?.dataSync() ?? []);
    });
  }
});

describe('depthwiseConv2d rejects bad arguments, naming them', () => {
  const x = zeros([1, 4, 4, 3]);
  it('a channel mismatch, a bad rank, an empty multiplier', () => {
    expect(() => depthwiseConv2d(x, zeros([3, 3, 2, 1]))).toThrow(ShapeError);
    expect(() => depthwiseConv2d(x, zeros([3, 3, 2, 1]))).toThrow(
      "depthwiseConv2d: the filter's channels (2, filter [3, 3, 2, 1]) must equal the input's channels (3, input [1, 4, 4, 3])",
    );
    expect(() => depthwiseConv2d(x, zeros([3, 3, 3]))).toThrow(
      /depthwiseConv2d: filter must be rank 4.*received \[3, 3, 3\]/,
    );
    expect(() => depthwiseConv2d(x, zeros([3, 3, 3, 0]))).toThrow(/channel multiplier must be positive/);
  });

  it('a window larger than the input, and strides with dilation', () => {
    expect(() => depthwiseConv2d(x, zeros([5, 1, 3, 1]))).toThrow(
      /^depthwiseConv2d: the filter \[5, 1\] is larger than the input/,
    );
    expect(() => depthwiseConv2d(x, zeros([2, 2, 3, 1]), { strides: 2, dilationRate: 2 })).toThrow(
      /depthwiseConv2d: strides > 1 cannot be combined with dilationRate > 1/,
    );
  });
});

describe('separableConv2d', () => {
  it('matches TensorFlow.js, values and gradients', () => {
    const x = randomInput([2, 6, 5, 3], 1);
    const depthwise = randomInput([3, 3, 3, 2], 2);
    const pointwise = randomInput([1, 1, 6, 4], 3);
    const y = separableConv2d(x, depthwise, pointwise, { strides: 2, padding: 'same' });
    const reference = (a: tf.Tensor, d: tf.Tensor, p: tf.Tensor): tf.Tensor4D =>
      tf.separableConv2d(
        tf.reshape<tf.Rank.R4>(a, [2, 6, 5, 3]),
        tf.reshape<tf.Rank.R4>(d, [3, 3, 3, 2]),
        tf.reshape<tf.Rank.R4>(p, [1, 1, 6, 4]),
        2,
        'same',
      );
    const expected = reference(tf4(x), tf4(depthwise), tf4(pointwise));
    expect(y.shape).toEqual(expected.shape);
    expectClose(y.dataSync(), expected.dataSync());
    const dy = randomInput(y.shape, 4);
    const ours = grads(y, [x, depthwise, pointwise], dy);
    const theirs = tf.grads((a: tf.Tensor, d: tf.Tensor, p: tf.Tensor) => tf.sum(tf.mul(reference(a, d, p), tf4(dy))))([
      tf4(x),
      tf4(depthwise),
      tf4(pointwise),
    ]);
    ours.forEach((g, i) => expectClose(g.dataSync(), theirs[i]?.dataSync() ?? []));
  });

  it('rejects a pointwise filter that does not take the depthwise output', () => {
    expect(() => separableConv2d(zeros([1, 4, 4, 3]), zeros([3, 3, 3, 2]), zeros([1, 1, 3, 4]))).toThrow(
      'separableConv2d: pointwiseFilter must be [1, 1, 6, outChannels] (the depthwise filter [3, 3, 3, 2] gives 6 channels), received [1, 1, 3, 4]',
    );
  });
});
