import { describe, expect, it } from 'vitest';
import {
  conv2dTranspose,
  type Conv2DTransposeOptions,
  grads,
  Random,
  ShapeError,
  type Tensor,
  tensor,
  zeros,
} from '../../src/index.js';
import { conv2dTransposeOutputShape, deconvOutputLength } from '../../src/ops/conv-transpose.js';
import { gradcheck, randomInput } from '../helpers/gradcheck.js';
import { dilateFilter, expectClose, tf } from '../helpers/tfjs.js';

const tf4 = (t: Tensor): tf.Tensor4D => {
  const [n = 0, h = 0, w = 0, c = 0] = t.shape;
  return tf.tensor4d(t.dataSync(), [n, h, w, c]);
};

describe('conv2dTranspose values (hand-computed)', () => {
  it('stride 2 scatters each input pixel as a scaled copy of the kernel, overlaps adding', () => {
    // Along the width: inputs a = 1, b = 10, kernel [1, 2, 3], stride 2, valid: out length 2·2 + (3 − 2) = 5,
    // y = [1·a, 2·a, 3·a + 1·b, 2·b, 3·b]. (With stride 2 along the height too, the one row would become 2·1 + 0.)
    const y = conv2dTranspose(tensor([1, 10], [1, 1, 2, 1]), tensor([1, 2, 3], [1, 3, 1, 1]), { strides: [1, 2] });
    expect(y.shape).toEqual([1, 1, 5, 1]);
    expect(Array.from(y.dataSync())).toEqual([1, 2, 13, 20, 30]);
  });

  it('maps input channels to output channels through kernel[ky, kx, out, in]', () => {
    // One pixel with channels [1, 2]; 1×1 kernel with out × in = [[1, 10], [100, 1000]]: y = [1 + 20, 100 + 2000].
    const y = conv2dTranspose(tensor([1, 2], [1, 1, 1, 2]), tensor([1, 10, 100, 1000], [1, 1, 2, 2]));
    expect(Array.from(y.dataSync())).toEqual([21, 2100]);
  });

  it("output lengths follow Keras' deconv_output_length", () => {
    // Keras: valid → in·s + max(k − s, 0); same → in·s; with output padding p: (in − 1)·s + k − 2·pad + p.
    expect(deconvOutputLength(4, 3, 2, 'valid')).toBe(9);
    expect(deconvOutputLength(4, 1, 3, 'valid')).toBe(12);
    expect(deconvOutputLength(4, 3, 2, 'same')).toBe(8);
    expect(deconvOutputLength(4, 3, 2, 'same', 1)).toBe(8);
    expect(deconvOutputLength(4, 3, 2, 'valid', 1)).toBe(10);
    expect(deconvOutputLength(5, 3, 1, 'valid', null, 2)).toBe(9);
    expect(conv2dTransposeOutputShape([null, 4, 5, 3], [3, 3, 8, 3], { strides: 2, padding: 'same' })).toEqual([
      null,
      8,
      10,
      8,
    ]);
    expect(conv2dTransposeOutputShape([2, null, 5, 3], [3, 2, 8, 3], { strides: 2, outputPadding: [1, 0] })).toEqual([
      2,
      null,
      10,
      8,
    ]);
  });
});

describe('conv2dTranspose gradients (gradcheck on input and kernel)', () => {
  const cases: [string, Conv2DTransposeOptions, [number, number]][] = [
    ['stride 1, valid', {}, [3, 2]],
    ['stride 2, same, odd kernel', { strides: 2, padding: 'same' }, [3, 3]],
    ['stride 2, valid, kernel smaller than stride', { strides: [2, 3] }, [2, 2]],
    ['stride 2, same, output padding 1', { strides: 2, padding: 'same', outputPadding: 1 }, [3, 2]],
    ['dilation 2, same', { dilationRate: 2, padding: 'same' }, [3, 3]],
  ];
  cases.forEach(([name, options, [kh, kw]], k) => {
    it(name, () => {
      const x = randomInput([2, 3, 4, 2], 50 + k);
      const w = randomInput([kh, kw, 3, 2], 70 + k);
      gradcheck(() => conv2dTranspose(x, w, options), [x, w]);
    });
  });
});

describe('conv2dTranspose matches TensorFlow.js (randomized configurations)', () => {
  const random = new Random(31);
  const pick = (lo: number, hi: number): number => lo + random.int(hi - lo + 1);
  for (let k = 0; k < 12; k++) {
    // Dilated cases run tfjs over the zero-inserted kernel (tfjs' conv2dTranspose has no dilation): the same function.
    const dilated = k % 4 === 0;
    const strides: [number, number] = dilated ? [1, 1] : [pick(1, 3), pick(1, 3)];
    const dilation: [number, number] = dilated ? [pick(2, 3), pick(1, 3)] : [1, 1];
    const padding = random.int(2) === 0 ? 'valid' : 'same';
    // 'same' needs an odd dilated window to map back without output padding, as in Keras.
    const [kh, kw] = padding === 'same' ? [1 + 2 * random.int(2), 1 + 2 * random.int(2)] : [pick(1, 4), pick(1, 4)];
    const [n, h, w, c, oc] = [pick(1, 2), pick(1, 4), pick(1, 4), pick(1, 3), pick(1, 3)];
    it(`x [${n}, ${h}, ${w}, ${c}], kernel [${kh}, ${kw}, ${oc}, ${c}], strides [${strides.join(', ')}], ${padding}, dilation [${dilation.join(', ')}]`, () => {
      const x = randomInput([n, h, w, c], 500 + k);
      const kernel = randomInput([kh, kw, oc, c], 600 + k);
      const y = conv2dTranspose(x, kernel, { strides, padding, dilationRate: dilation });
      const [, oh = 0, ow = 0] = y.shape;
      const reference = (a: tf.Tensor, b: tf.Tensor): tf.Tensor4D =>
        tf.conv2dTranspose(
          tf.reshape<tf.Rank.R4>(a, [n, h, w, c]),
          dilateFilter(tf.reshape<tf.Rank.R4>(b, [kh, kw, oc, c]), dilation),
          [n, oh, ow, oc],
          strides,
          padding,
        );
      const expected = reference(tf4(x), tf4(kernel));
      expect(y.shape).toEqual(expected.shape);
      expectClose(y.dataSync(), expected.dataSync());
      const dy = randomInput(y.shape, 700 + k);
      const [dx, dw] = grads(y, [x, kernel], dy);
      const [ex, ew] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(reference(a, b), tf4(dy))))([
        tf4(x),
        tf4(kernel),
      ]);
      expectClose(dx?.dataSync() ?? [], ex?.dataSync() ?? []);
      expectClose(dw?.dataSync() ?? [], ew?.dataSync() ?? []);
    });
  }
});

describe('conv2dTranspose rejects bad arguments, naming them', () => {
  const x = zeros([1, 4, 4, 3]);
  it('a channel mismatch and bad output padding', () => {
    expect(() => conv2dTranspose(x, zeros([3, 3, 2, 2]))).toThrow(ShapeError);
    expect(() => conv2dTranspose(x, zeros([3, 3, 2, 2]))).toThrow(
      "conv2dTranspose: the kernel's input channels (2, its last axis, kernel [3, 3, 2, 2]) must equal the input's channels (3, input [1, 4, 4, 3])",
    );
    expect(() => conv2dTranspose(x, zeros([3, 3, 2, 3]), { strides: 2, outputPadding: 2 })).toThrow(
      'conv2dTranspose: `outputPadding` must be non-negative integers less than the strides [2, 2], received 2',
    );
  });

  it('an even kernel with same padding and output padding 0, which does not map back', () => {
    // Keras' length (4 − 1)·2 + 2 − 2·1 + 0 = 6, and conv2d with stride 2, same, maps 6 to 3, not 4.
    expect(() => conv2dTranspose(x, zeros([2, 2, 1, 3]), { strides: 2, padding: 'same', outputPadding: 0 })).toThrow(
      /conv2dTranspose: the output \[6, 6\] does not map back to the input's size \[4, 4\]/,
    );
  });
});
