import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  cropping2d,
  grads,
  type Interpolation,
  Random,
  ShapeError,
  type Tensor,
  tensor,
  upSampling2d,
  zeros,
} from '../../src/index.js';
import { cropping2dOutputShape } from '../../src/ops/crop.js';
import { upSampling2dOutputShape } from '../../src/ops/upsample.js';
import { gradcheck, randomInput } from '../helpers/gradcheck.js';
import { expectClose, tf } from '../helpers/tfjs.js';

const tf4 = (t: Tensor): tf.Tensor4D => {
  const [n = 0, h = 0, w = 0, c = 0] = t.shape;
  return tf.tensor4d(t.dataSync(), [n, h, w, c]);
};

describe('upSampling2d values (hand-computed)', () => {
  it('nearest repeats each pixel size[0] × size[1] times', () => {
    const y = upSampling2d(tensor([1, 2, 3, 4], [1, 2, 2, 1]), [2, 3]);
    expect(y.shape).toEqual([1, 4, 6, 1]);
    expect(Array.from(y.dataSync())).toEqual([1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4]);
  });

  it('bilinear samples at out / size, clamping at the far edge (no half-pixel shift)', () => {
    // One row [0, 4] upsampled ×2 along the width: sources 0, 0.5, 1, 1.5 → 0, 2, 4, 4 (1.5 reads columns 1 and 1).
    const y = upSampling2d(tensor([0, 4], [1, 1, 2, 1]), [1, 2], 'bilinear');
    expect(Array.from(y.dataSync())).toEqual([0, 2, 4, 4]);
  });

  it('the nearest gradient sums dy over each block', () => {
    const x = randomInput([1, 2, 2, 1], 1);
    const [dx] = grads(
      upSampling2d(x, 2),
      [x],
      tensor(
        Float32Array.from({ length: 16 }, (_, i) => i),
        [1, 4, 4, 1],
      ),
    );
    // Block of (0, 0): dy indices 0, 1, 4, 5 → 10; (0, 1): 2, 3, 6, 7 → 18; (1, 0): 8, 9, 12, 13 → 42; (1, 1): 50.
    expect(Array.from(dx?.dataSync() ?? [])).toEqual([10, 18, 42, 50]);
  });

  it('computes output shapes without running', () => {
    expect(upSampling2dOutputShape([null, 3, null, 5], [2, 3])).toEqual([null, 6, null, 5]);
    expect(upSampling2dOutputShape([4, 3, 2, 1])).toEqual([4, 6, 4, 1]);
  });
});

describe('upSampling2d gradients (gradcheck)', () => {
  const cases: [Interpolation, [number, number]][] = [
    ['nearest', [2, 2]],
    ['nearest', [3, 1]],
    ['bilinear', [2, 2]],
    ['bilinear', [3, 2]],
  ];
  cases.forEach(([interpolation, size], k) => {
    it(`${interpolation}, size [${size.join(', ')}]`, () => {
      const x = randomInput([2, 3, 4, 2], 20 + k);
      gradcheck(() => upSampling2d(x, size, interpolation), [x]);
    });
  });
});

describe("upSampling2d matches TensorFlow.js' UpSampling2D layer (randomized shapes)", () => {
  const random = new Random(5);
  const pick = (lo: number, hi: number): number => lo + random.int(hi - lo + 1);
  for (let k = 0; k < 10; k++) {
    const interpolation: Interpolation = k % 2 === 0 ? 'nearest' : 'bilinear';
    const size: [number, number] = [pick(1, 4), pick(1, 4)];
    const shape: [number, number, number, number] = [pick(1, 2), pick(1, 5), pick(1, 5), pick(1, 3)];
    it(`${interpolation}, x [${shape.join(', ')}], size [${size.join(', ')}]`, () => {
      const x = randomInput(shape, 100 + k);
      const y = upSampling2d(x, size, interpolation);
      const layer = tf.layers.upSampling2d({ size, interpolation });
      const expected = layer.apply(tf4(x));
      if (!(expected instanceof tf.Tensor)) throw new Error('expected one tensor from the tfjs layer');
      expect(y.shape).toEqual(expected.shape);
      expectClose(y.dataSync(), expected.dataSync());
      const dy = randomInput(y.shape, 200 + k);
      const [dx] = grads(y, [x], dy);
      // tfjs 4.22's cpu gradient kernels have two bugs: ResizeNearestNeighborGrad indexes dy with the input's batch
      // stride (wrong for batch > 1) and ResizeBilinearGrad labels its result [N, W, H, C] (its values are laid out
      // right). So the oracle runs each image on its own and reads the values only.
      const expectedDx = Array.from({ length: shape[0] }, (_, n) => {
        const image = tf.slice(tf4(x), [n, 0, 0, 0], [1, ...shape.slice(1)]);
        const dyImage = tf.slice(tf4(dy), [n, 0, 0, 0], [1, ...y.shape.slice(1)]);
        const kernel = interpolation === 'nearest' ? 'ResizeNearestNeighborGrad' : 'ResizeBilinearGrad';
        const g = tf
          .engine()
          .runKernel(kernel, { images: image, dy: dyImage }, { alignCorners: false, halfPixelCenters: false });
        if (!(g instanceof tf.Tensor)) throw new Error(`expected one tensor from ${kernel}`);
        return Array.from(g.dataSync());
      }).flat();
      expectClose(dx?.dataSync() ?? [], expectedDx);
    });
  }
});

describe('upSampling2d rejects bad arguments, naming them', () => {
  it('a bad rank, size or interpolation', () => {
    expect(() => upSampling2d(zeros([2, 3, 4]))).toThrow(ShapeError);
    expect(() => upSampling2d(zeros([1, 2, 2, 1]), [0, 2])).toThrow(
      'upSampling2d: `size` must be positive integers, received [0, 2]',
    );
    const bad = JSON.parse('"bicubic"') as Interpolation;
    expect(() => upSampling2d(zeros([1, 2, 2, 1]), 2, bad)).toThrow(ConfigError);
    expect(() => upSampling2d(zeros([1, 2, 2, 1]), 2, bad)).toThrow(
      `upSampling2d: \`interpolation\` must be 'nearest' or 'bilinear', received "bicubic"`,
    );
  });
});

describe('cropping2d', () => {
  it('drops rows and columns from the edges (hand-computed) and pads the gradient back', () => {
    const x = randomInput([1, 3, 4, 1], 3);
    x.storage.view().set(Float32Array.from({ length: 12 }, (_, i) => i));
    const y = cropping2d(x, [
      [1, 0],
      [1, 2],
    ]);
    // Rows 1..2, column 1 of the 3×4 grid 0..11: [5, 9].
    expect(y.shape).toEqual([1, 2, 1, 1]);
    expect(Array.from(y.dataSync())).toEqual([5, 9]);
    const [dx] = grads(y, [x], tensor([1, 2], [1, 2, 1, 1]));
    expect(Array.from(dx?.dataSync() ?? [])).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0]);
    expect(
      cropping2dOutputShape(
        [null, 5, null, 3],
        [
          [1, 2],
          [0, 1],
        ],
      ),
    ).toEqual([null, 2, null, 3]);
  });

  it("matches TensorFlow.js' Cropping2D layer", () => {
    const x = randomInput([2, 5, 6, 3], 4);
    const y = cropping2d(x, [
      [2, 1],
      [0, 3],
    ]);
    const expected = tf.layers
      .cropping2D({
        cropping: [
          [2, 1],
          [0, 3],
        ],
      })
      .apply(tf4(x));
    if (!(expected instanceof tf.Tensor)) throw new Error('expected one tensor from the tfjs layer');
    expect(y.shape).toEqual(expected.shape);
    expectClose(y.dataSync(), expected.dataSync());
  });

  it('rejects croppings that are malformed or leave nothing', () => {
    expect(() =>
      cropping2d(zeros([1, 3, 3, 1]), [
        [2, 1],
        [0, 0],
      ]),
    ).toThrow('cropping2d: cropping [[2,1],[0,0]] leaves nothing of the input [1, 3, 3, 1]');
    expect(() =>
      cropping2d(zeros([1, 3, 3, 1]), [
        [-1, 0],
        [0, 0],
      ]),
    ).toThrow(ConfigError);
  });
});
