import { describe, expect, it } from 'vitest';
import { conv2d, type Conv2DOptions, grads, Random, type Tensor, tensor, zeros } from '../../src/index.js';
// Shape helpers: internal to the ops, not part of the public API.
import { conv2dInfo, conv2dOutputShape } from '../../src/ops/conv.js';
import { gradcheck, randomInput } from '../helpers/gradcheck.js';
import { dilateFilter, expectClose, tf } from '../helpers/tfjs.js';

/** x = 1..h·w as a [1, h, w, 1] image. */
const counting = (h: number, w: number): Tensor =>
  tensor(
    Float32Array.from({ length: h * w }, (_, i) => i + 1),
    [1, h, w, 1],
  );

describe('conv2d values (hand-computed)', () => {
  it('3×3 input, 2×2 filter, stride 1, valid', () => {
    // y[i, j] = 1·x[i, j] + 2·x[i, j+1] + 3·x[i+1, j] + 4·x[i+1, j+1] over x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]].
    const y = conv2d(counting(3, 3), tensor([1, 2, 3, 4], [2, 2, 1, 1]));
    expect(y.shape).toEqual([1, 2, 2, 1]);
    expect(Array.from(y.dataSync())).toEqual([37, 47, 67, 77]);
  });

  it('3×3 input, 3×3 ones filter, same: sums of each clipped 3×3 neighbourhood', () => {
    const y = conv2d(counting(3, 3), tensor(new Float32Array(9).fill(1), [3, 3, 1, 1]), { padding: 'same' });
    expect(Array.from(y.dataSync())).toEqual([12, 21, 16, 27, 45, 33, 24, 39, 28]);
  });

  it('same with an even filter pads after, not before (TensorFlow split)', () => {
    // 3×3 input, 2×2 ones filter: total pad 1 → 0 before, 1 after; y[i, j] = Σ x[i..i+1, j..j+1] within the input.
    const y = conv2d(counting(3, 3), tensor([1, 1, 1, 1], [2, 2, 1, 1]), { padding: 'same' });
    expect(Array.from(y.dataSync())).toEqual([12, 16, 9, 24, 28, 15, 15, 17, 9]);
  });

  it('same accepts a filter larger than the input', () => {
    // 2×2 input, 3×3 ones filter, same: total pad 2 → 1 before; every window covers the whole input (1+2+3+4).
    const y = conv2d(counting(2, 2), tensor(new Float32Array(9).fill(1), [3, 3, 1, 1]), { padding: 'same' });
    expect(Array.from(y.dataSync())).toEqual([10, 10, 10, 10]);
  });

  it('dilation 2 spaces the taps: a diagonal 2×2 filter reads x[i, j] + x[i+2, j+2]', () => {
    // x[i, j] = 5i + j + 1 on 5×5, so y[i, j] = 10i + 2j + 14 over the 3×3 valid output.
    const y = conv2d(counting(5, 5), tensor([1, 0, 0, 1], [2, 2, 1, 1]), { dilationRate: 2 });
    expect(Array.from(y.dataSync())).toEqual([14, 16, 18, 24, 26, 28, 34, 36, 38]);
  });

  it('stride 2 with channels: a 1×1 filter is a per-pixel matrix product', () => {
    const x = tensor([1, 2, 100, 200, 3, 4, 300, 400], [1, 2, 2, 2]);
    const y = conv2d(x, tensor([1, 2, 3, 4], [1, 1, 2, 2]), { strides: 2 });
    // Only pixel (0, 0) = [1, 2] is visited: [1·1 + 2·3, 1·2 + 2·4].
    expect(y.shape).toEqual([1, 1, 1, 2]);
    expect(Array.from(y.dataSync())).toEqual([7, 10]);
  });
});

describe('conv2d geometry (TensorFlow valid/same rules, hand-computed)', () => {
  it('splits same padding floor(total / 2) before', () => {
    // in 5, k 3, stride 2: out 3, total (3−1)·2 + 3 − 5 = 2 → top 1. in 6: out 3, total 1 → top 0.
    const a = conv2dInfo([1, 5, 6, 1], [3, 3, 1, 1], { strides: 2, padding: 'same' });
    expect([a.outHeight, a.outWidth, a.padTop, a.padLeft]).toEqual([3, 3, 1, 0]);
    // Dilation 2 makes a 3-tap filter span 5: in 7, same, stride 1 → total 4 → top 2; valid → out 3.
    const b = conv2dInfo([1, 7, 7, 1], [3, 3, 1, 1], { dilationRate: 2, padding: 'same' });
    expect([b.outHeight, b.padTop]).toEqual([7, 2]);
    expect(conv2dInfo([1, 7, 7, 1], [3, 3, 1, 1], { dilationRate: 2 }).outHeight).toBe(3);
  });

  it('computes output shapes without running, keeping unknown sizes unknown', () => {
    expect(conv2dOutputShape([null, 28, 28, 1], [5, 5, 1, 8], {})).toEqual([null, 24, 24, 8]);
    expect(conv2dOutputShape([4, 7, 6, 3], [3, 2, 3, 5], { strides: [2, 3], padding: 'same' })).toEqual([4, 4, 2, 5]);
    expect(conv2dOutputShape([null, null, 9, 3], [3, 3, 3, 2], { strides: 2 })).toEqual([null, null, 4, 2]);
  });
});

describe('conv2d gradients (gradcheck on input and filter)', () => {
  const cases: [string, Conv2DOptions, [number, number]][] = [
    ['stride 1, valid', {}, [3, 2]],
    ['stride 1, same', { padding: 'same' }, [3, 2]],
    ['stride 2, valid', { strides: 2 }, [3, 3]],
    ['stride 2, same', { strides: 2, padding: 'same' }, [2, 3]],
    ['stride [2, 1], same', { strides: [2, 1], padding: 'same' }, [3, 2]],
    ['dilation 2, valid', { dilationRate: 2 }, [3, 2]],
    ['dilation 2, same', { dilationRate: 2, padding: 'same' }, [3, 3]],
    ['dilation [1, 2], same', { dilationRate: [1, 2], padding: 'same' }, [2, 3]],
  ];
  cases.forEach(([name, options, [kh, kw]], k) => {
    it(name, () => {
      const x = randomInput([2, 7, 6, 2], 10 + k);
      const w = randomInput([kh, kw, 2, 3], 30 + k);
      gradcheck(() => conv2d(x, w, options), [x, w]);
    });
  });
});

const tf4 = (t: Tensor): tf.Tensor4D => {
  const [n = 0, h = 0, w = 0, c = 0] = t.shape;
  return tf.tensor4d(t.dataSync(), [n, h, w, c]);
};

describe('conv2d matches TensorFlow.js (randomized configurations)', () => {
  // tfjs (cpu) computes dilated forward passes but refuses gradients with dilation > 1; for those the oracle
  // differentiates tfjs's conv over an explicitly zero-inserted filter instead (the same function).
  const random = new Random(2024);
  const pick = (lo: number, hi: number): number => lo + random.int(hi - lo + 1);
  for (let k = 0; k < 12; k++) {
    const dilated = k % 3 === 0;
    const strides: [number, number] = dilated ? [1, 1] : [pick(1, 3), pick(1, 3)];
    const dilation: [number, number] = dilated ? [pick(1, 3), pick(2, 3)] : [1, 1];
    const padding = random.int(2) === 0 ? 'valid' : 'same';
    const [kh, kw] = [pick(1, 3), pick(1, 3)];
    const [h, w] = [(kh - 1) * dilation[0] + pick(1, 5), (kw - 1) * dilation[1] + pick(1, 5)];
    const [n, c, oc] = [pick(1, 2), pick(1, 3), pick(1, 3)];
    const options: Conv2DOptions = { strides, padding, dilationRate: dilation };
    it(`x [${n}, ${h}, ${w}, ${c}], filter [${kh}, ${kw}, ${c}, ${oc}], strides [${strides.join(', ')}], ${padding}, dilation [${dilation.join(', ')}]`, () => {
      const x = randomInput([n, h, w, c], 200 + k);
      const filter = randomInput([kh, kw, c, oc], 300 + k);
      const y = conv2d(x, filter, options);
      const dy = randomInput(y.shape, 400 + k);
      const [dx, dw] = grads(y, [x, filter], dy);

      const expected = tf.conv2d(tf4(x), tf4(filter), strides, padding, 'NHWC', dilation);
      expect(y.shape).toEqual(expected.shape);
      expectClose(y.dataSync(), expected.dataSync());
      const [ex, ew] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(
          tf.mul(
            tf.conv2d(
              tf.reshape<tf.Rank.R4>(a, [n, h, w, c]),
              dilateFilter(tf.reshape<tf.Rank.R4>(b, [kh, kw, c, oc]), dilation),
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

describe('conv2d gradients flow only where needed', () => {
  it('returns zeros for the input when only the filter requires gradients, and the right filter gradient', () => {
    // Hand-computed: with x = 1..9 (3×3) and a 2×2 filter, dL/dw[ky, kx] for L = Σ y is Σ over the 2×2 valid
    // output of x[i + ky, j + kx]: [1+2+4+5, 2+3+5+6, 4+5+7+8, 5+6+8+9].
    const x = counting(3, 3);
    const w = randomInput([2, 2, 1, 1], 1);
    const [dx, dw] = grads(conv2d(x, w), [x, w]);
    expect(Array.from(dw?.dataSync() ?? [])).toEqual([12, 16, 24, 28]);
    expect(Array.from(dx?.dataSync() ?? [])).toEqual(new Array<number>(9).fill(0));
  });
});

describe('conv2d rejects bad arguments, naming them', () => {
  const x = zeros([1, 4, 4, 3]);
  it('a kernel larger than the input', () => {
    expect(() => conv2d(x, zeros([5, 3, 3, 2]))).toThrow(
      "conv2d: the filter [5, 3] is larger than the input [4, 4] with padding 'valid' (output would be [0, 2])",
    );
    expect(() => conv2d(x, zeros([2, 2, 3, 2]), { dilationRate: 4 })).toThrow(
      /the dilated filter \[5, 5\] \(filter \[2, 2\], dilationRate \[4, 4\]\) is larger than the input \[4, 4\]/,
    );
    expect(() => conv2dOutputShape([null, 2, 8, 3], [3, 3, 3, 1])).toThrow(/input \[2, 8\].*output would be \[0, 6\]/);
  });

  it('a channel mismatch', () => {
    expect(() => conv2d(x, zeros([3, 3, 2, 4]))).toThrow(
      "conv2d: the filter's input channels (2, filter [3, 3, 2, 4]) must equal the input's channels (3, input [1, 4, 4, 3])",
    );
  });

  it('bad strides and dilation rates', () => {
    const w = zeros([2, 2, 3, 1]);
    expect(() => conv2d(x, w, { strides: [0, 1] })).toThrow(
      'conv2d: `strides` must be positive integers, received [0, 1]',
    );
    expect(() => conv2d(x, w, { strides: 1.5 })).toThrow('conv2d: `strides` must be positive integers, received 1.5');
    expect(() => conv2d(x, w, { dilationRate: -1 })).toThrow(
      'conv2d: `dilationRate` must be positive integers, received -1',
    );
    expect(() => conv2d(x, w, { strides: 2, dilationRate: [1, 2] })).toThrow(
      /strides > 1 cannot be combined with dilationRate > 1.*received strides \[2, 2\] and dilationRate \[1, 2\]/,
    );
  });

  it('wrong ranks and padding names', () => {
    expect(() => conv2d(zeros([4, 4, 3]), zeros([2, 2, 3, 1]))).toThrow(
      /conv2d: input must be rank 4.*received \[4, 4, 3\]/,
    );
    expect(() => conv2d(x, zeros([2, 2, 3]))).toThrow(/conv2d: filter must be rank 4.*received \[2, 2, 3\]/);
    const options = JSON.parse('{"padding": "SAME"}') as Conv2DOptions;
    expect(() => conv2d(x, zeros([2, 2, 3, 1]), options)).toThrow(
      `conv2d: \`padding\` must be 'valid' or 'same', received "SAME"`,
    );
  });

  it('does not record gradients for plain inputs', () => {
    const y = conv2d(x, zeros([2, 2, 3, 1]));
    expect(y.gradNode).toBeNull();
  });
});
