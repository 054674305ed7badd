import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, classCounts } from '../../src/data/dataset.js';
import { FASHION_MNIST_CLASS_NAMES, splitFashionMnist } from '../../src/data/fashion-mnist.js';
import { parseJsonByteRows } from '../../src/data/json-rows.js';
import { Random } from '../../src/random.js';
import { loadFashionMnist } from '../../src/node/data/fashion-mnist.js';
import { locatePackage } from '../../src/node/data/locate.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('parseJsonByteRows', () => {
  it('reads rows of bytes, empty rows and JSON whitespace included (hand-written input)', () => {
    const rows = parseJsonByteRows(utf8(' {\n "data" : [ [0, 7,255] ,[], [\t12]\r\n] } '), 'data', 'tiny.json');
    expect(Array.from(rows.values)).toEqual([0, 7, 255, 12]);
    expect(rows.rowLengths).toEqual([3, 0, 1]);
    expect(parseJsonByteRows(utf8('{"data":[]}'), 'data', 'empty.json').rowLengths).toEqual([]);
  });

  it('agrees with JSON.parse on random input', () => {
    const random = new Random(11);
    const data = Array.from({ length: 40 }, () => Array.from({ length: random.int(30) }, () => random.int(256)));
    const rows = parseJsonByteRows(utf8(JSON.stringify({ data })), 'data', 'random.json');
    expect(rows.rowLengths).toEqual(data.map((row) => row.length));
    expect(Array.from(rows.values)).toEqual(data.flat());
  });

  it('rejects anything but integers in [0, 255], naming the file and byte offset', () => {
    const bad =
      (text: string): (() => unknown) =>
      () =>
        parseJsonByteRows(utf8(text), 'data', 'bad.json');
    expect(bad('{"data":[[1,256]]}')).toThrow(/bad.json: expected an integer in \[0, 255\] at byte 12, found '2'/);
    expect(bad('{"data":[[1,-2]]}')).toThrow(/an integer in \[0, 255\] at byte 12, found '-'/);
    expect(bad('{"data":[[1.5]]}')).toThrow(/expected ',' or '\]' in row 0 at byte 11, found '.'/);
    expect(bad('{"data":[[01]]}')).toThrow(/an integer in \[0, 255\]/);
    expect(bad('{"data":[[1,]]}')).toThrow(/an integer in \[0, 255\] at byte 12, found '\]'/);
    expect(bad('{"pixels":[[1]]}')).toThrow(/expected '"data"' at byte 1/);
    expect(bad('{"data":[[1]]} x')).toThrow(/expected the end of the file at byte 15/);
    expect(bad('{"data":[[1]')).toThrow(/found the end of the file/);
  });
});

describe('splitFashionMnist (the split rule on a synthetic package)', () => {
  it('skips empty rows, puts the first 6,000 of each class in train and interleaves classes', () => {
    // Class c, image k (in file order, empty rows not counted) has every pixel = (k + c) mod 256.
    const classes = Array.from({ length: 10 }, (_, c) => {
      const lengths: number[] = [];
      const values = new Uint8Array(7000 * 784);
      for (let k = 0; k < 7000; k++) {
        if (c === 0 && k === 1000) lengths.push(0); // an empty row, as in the real file 0
        lengths.push(784);
        values.fill((k + c) % 256, k * 784, (k + 1) * 784);
      }
      return { values, rowLengths: lengths };
    });
    const { train, test } = splitFashionMnist(classes, (c) => `${c}.json`);
    expect(train.labels.length).toBe(60000);
    expect(test.labels.length).toBe(10000);
    // train sample 10·k + c = k-th image of class c; test sample 10·k + c = image 6000 + k of class c.
    for (const [k, c] of [
      [0, 0],
      [1000, 0],
      [1001, 0],
      [5999, 9],
      [17, 3],
    ] as const) {
      expect(train.labels[10 * k + c]).toBe(c);
      expect(train.pixels[(10 * k + c) * 784 + 400]).toBe((k + c) % 256);
    }
    for (const [k, c] of [
      [0, 0],
      [999, 7],
    ] as const) {
      expect(test.labels[10 * k + c]).toBe(c);
      expect(test.pixels[(10 * k + c) * 784]).toBe((6000 + k + c) % 256);
    }
  });

  it('rejects a class with the wrong number of images or a row of the wrong length', () => {
    const good = { values: new Uint8Array(7000 * 784), rowLengths: new Array<number>(7000).fill(784) };
    const classes = new Array<typeof good>(10).fill(good);
    const short = { values: new Uint8Array(784), rowLengths: [784] };
    expect(() => splitFashionMnist([...classes.slice(0, 9), short], (c) => `${c}.json`)).toThrow(
      /9.json holds 1 images, expected 7000/,
    );
    expect(() =>
      splitFashionMnist([{ values: new Uint8Array(3), rowLengths: [3] }, ...classes.slice(1)], (c) => `${c}.json`),
    ).toThrow(/0.json row 0 has 3 values, expected 784/);
  });
});

describe('loadFashionMnist (the fashion-mnist package)', () => {
  let train: Dataset;
  let test: Dataset;
  beforeAll(async () => {
    train = await loadFashionMnist({ split: 'train' });
    test = await loadFashionMnist({ split: 'test' });
  });

  it('60,000 / 10,000 images of [28, 28, 1], 6,000 / 1,000 per class, with the class names', () => {
    expect(train.xShape).toEqual([60000, 28, 28, 1]);
    expect(test.xShape).toEqual([10000, 28, 28, 1]);
    expect(classCounts(train)).toEqual(new Array<number>(10).fill(6000));
    expect(classCounts(test)).toEqual(new Array<number>(10).fill(1000));
    expect(train.classNames).toEqual(FASHION_MNIST_CLASS_NAMES);
    expect(FASHION_MNIST_CLASS_NAMES[9]).toBe('Ankle boot');
  });

  it('follows the documented rule, checked against JSON.parse of the package file', () => {
    const file = path.join(locatePackage('fashion-mnist', 'test'), 'src', 'clothes', '0.json');
    const rows = (JSON.parse(readFileSync(file, 'utf8')) as { data: number[][] }).data;
    const images = rows.filter((row) => row.length > 0);
    expect(rows.length - images.length).toBe(2); // the two empty rows the rule skips
    for (const k of [0, 999, 1000, 5999]) expectImage(train, 10 * k, images[k]);
    for (const k of [0, 999]) expectImage(test, 10 * k, images[6000 + k]);
  });

  it('is deterministic: a second load gives the same samples, as a fresh copy', async () => {
    const again = await loadFashionMnist({ split: 'test' });
    // (not `.not.toBe`: on distinct objects it runs a slow deep comparison to suggest toEqual)
    expect(again.x === test.x).toBe(false);
    // Compared by hand: deep equality on 7.8 million values is far too slow.
    expect(firstDifference(again.x, test.x)).toBe(-1);
    expect(firstDifference(again.y, test.y)).toBe(-1);
    await expect(loadFashionMnist({ split: 'validation' as 'test' })).rejects.toThrow(
      /`split` must be 'train' or 'test'/,
    );
  });
});

function expectImage(ds: Dataset, index: number, pixels: number[] | undefined): void {
  expect(pixels?.length).toBe(784);
  const got = Array.from(ds.x.subarray(index * 784, (index + 1) * 784));
  expect(got).toEqual((pixels ?? []).map((v) => Math.fround(v / 255)));
}

function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}
