import { describe, expect, it } from 'vitest';
import { Random } from '../../src/random.js';
import {
  type Dataset,
  batches,
  classCounts,
  createDataset,
  permutation,
  shuffled,
  splitValidation,
  stratifiedSplit,
  subset,
  take,
} from '../../src/data/dataset.js';
import { computeMeanStd, normalize } from '../../src/data/normalize.js';

/** N samples of shape [2]; sample i holds (i, 100 + i) and label i mod numClasses, so every value names its sample. */
function indexed(n: number, numClasses = 3): Dataset {
  const x = new Float32Array(2 * n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = i;
    x[2 * i + 1] = 100 + i;
    y[i] = i % numClasses;
  }
  return createDataset({ x, xShape: [n, 2], y, numClasses });
}

/** The sample ids held by a dataset built with `indexed`, checking that x and y still travel together. */
function ids(ds: { x: Float32Array; y: Float32Array }, numClasses = 3): number[] {
  return Array.from(ds.y, (label, i) => {
    const id = ds.x[2 * i] ?? -1;
    expect(ds.x[2 * i + 1]).toBe(100 + id);
    expect(label).toBe(id % numClasses);
    return id;
  });
}

describe('createDataset', () => {
  it('rejects sizes, labels and class names that disagree, naming the problem', () => {
    const x = new Float32Array(4);
    expect(() => createDataset({ x, xShape: [2, 3], y: new Float32Array(2), numClasses: 2 })).toThrow(
      /`x` must hold 6 values for xShape \[2, 3\], received 4/,
    );
    expect(() => createDataset({ x, xShape: [2, 2], y: new Float32Array(3), numClasses: 2 })).toThrow(
      /`y` must hold 2 labels/,
    );
    expect(() => createDataset({ x, xShape: [2, 2], y: Float32Array.from([0, 2]), numClasses: 2 })).toThrow(
      /label 1 must be an integer in \[0, 1\], received 2/,
    );
    expect(() => createDataset({ x, xShape: [2, 2], y: Float32Array.from([0, 0.5]), numClasses: 2 })).toThrow(
      /label 1 must be an integer/,
    );
    expect(() =>
      createDataset({ x, xShape: [2, 2], y: new Float32Array(2), numClasses: 2, classNames: ['a'] }),
    ).toThrow(/`classNames` must have 2 entries, received 1/);
  });
});

describe('take and subset', () => {
  it('take keeps the first n samples (all of them when n exceeds N)', () => {
    expect(ids(take(indexed(5), 3))).toEqual([0, 1, 2]);
    expect(ids(take(indexed(5), 9))).toEqual([0, 1, 2, 3, 4]);
    expect(() => take(indexed(5), -1)).toThrow(/take: `n` must be a non-negative integer, received -1/);
  });

  it('subset gathers the given indices in order, copying (the source is untouched)', () => {
    const ds = indexed(6);
    const picked = subset(ds, [4, 1, 1]);
    expect(ids(picked)).toEqual([4, 1, 1]);
    expect(picked.xShape).toEqual([3, 2]);
    picked.x[0] = -7;
    expect(ds.x[8]).toBe(4);
    expect(() => subset(ds, [0, 6])).toThrow(/subset: index 1 must be an integer in \[0, 5\], received 6/);
  });

  it('classCounts counts labels per class', () => {
    expect(classCounts(indexed(7))).toEqual([3, 2, 2]); // labels 0 1 2 0 1 2 0
  });
});

describe('shuffling', () => {
  it('shuffled is a permutation that keeps each x with its y, and repeats exactly for a seed', () => {
    const ds = indexed(50);
    const a = ids(shuffled(ds, new Random(7)));
    expect([...a].sort((p, q) => p - q)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(a).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(ids(shuffled(ds, new Random(7)))).toEqual(a);
    expect(ids(shuffled(ds, new Random(8)))).not.toEqual(a);
  });

  it('permutation draws all 3! orders of 3 items about equally often (unbiased Fisher–Yates)', () => {
    const random = new Random(1);
    const counts = new Map<string, number>();
    const draws = 6000;
    for (let i = 0; i < draws; i++) {
      const key = Array.from(permutation(3, random)).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(['012', '021', '102', '120', '201', '210']);
    // Each count is Binomial(6000, 1/6): mean 1000, σ ≈ 28.9; allow 5σ.
    for (const count of counts.values()) expect(Math.abs(count - 1000)).toBeLessThan(5 * 28.9);
  });
});

describe('splitValidation (Keras validation_split)', () => {
  it('takes the LAST fraction, in dataset order: splitAt = floor(N · (1 − fraction))', () => {
    const { train, validation } = splitValidation(indexed(10), 0.2);
    expect(ids(train)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(ids(validation)).toEqual([8, 9]);
    // floor(10 · 0.75) = 7 → 3 validation samples (hand-computed).
    expect(ids(splitValidation(indexed(10), 0.25).validation)).toEqual([7, 8, 9]);
  });

  it('rejects fractions outside (0, 1) and splits that leave a side empty', () => {
    expect(() => splitValidation(indexed(10), 0)).toThrow(/`fraction` must be in \(0, 1\), received 0/);
    expect(() => splitValidation(indexed(10), 1)).toThrow(/received 1/);
    // floor(1 · 0.5) = 0 leaves no training sample.
    expect(() => splitValidation(indexed(1), 0.5)).toThrow(/1 samples are too few to split with fraction 0.5/);
  });
});

describe('stratifiedSplit', () => {
  it('sends the last round(count · fraction) samples of each class to `second`, keeping order', () => {
    const y = Float32Array.from([0, 1, 0, 1, 1, 0, 1, 0, 1, 1]);
    const x = Float32Array.from(y, (_, i) => i);
    const ds = createDataset({ x, xShape: [10, 1], y, numClasses: 2 });
    const { first, second } = stratifiedSplit(ds, 0.5);
    // class 0 at 0, 2, 5, 7 → last 2: 5, 7; class 1 at 1, 3, 4, 6, 8, 9 → last 3: 6, 8, 9 (hand-computed).
    expect(Array.from(second.x)).toEqual([5, 6, 7, 8, 9]);
    expect(Array.from(first.x)).toEqual([0, 1, 2, 3, 4]);
    expect(classCounts(second)).toEqual([2, 3]);
  });
});

describe('batches', () => {
  it('covers every sample exactly once per epoch, in order, the last batch smaller', () => {
    const list = [...batches(indexed(10), 4)];
    expect(list.map((b) => b.xShape)).toEqual([
      [4, 2],
      [4, 2],
      [2, 2],
    ]);
    expect(list.flatMap((b) => ids(b))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('with shuffle: each epoch is a fresh permutation of all samples, repeatable from the seed', () => {
    const ds = indexed(23);
    const random = new Random(3);
    const epoch1 = [...batches(ds, 5, { shuffle: true, random })].flatMap((b) => ids(b));
    const epoch2 = [...batches(ds, 5, { shuffle: true, random })].flatMap((b) => ids(b));
    const all = Array.from({ length: 23 }, (_, i) => i);
    expect([...epoch1].sort((p, q) => p - q)).toEqual(all);
    expect([...epoch2].sort((p, q) => p - q)).toEqual(all);
    expect(epoch1).not.toEqual(epoch2);
    expect([...batches(ds, 5, { shuffle: true, random: new Random(3) })].flatMap((b) => ids(b))).toEqual(epoch1);
  });

  it('rejects a bad batch size and shuffle without a generator', () => {
    expect(() => batches(indexed(3), 0)).toThrow(/`batchSize` must be a positive integer, received 0/);
    expect(() => batches(indexed(3), 2, { shuffle: true })).toThrow(/`random` is required/);
  });
});

describe('normalize and computeMeanStd', () => {
  it('computes the mean and population std overall and per channel (hand-computed)', () => {
    const x = Float32Array.from([1, 10, 3, 30]);
    const ds = createDataset({ x, xShape: [2, 1, 1, 2], y: new Float32Array(2), numClasses: 1 });
    // overall: mean 11, var = (100 + 1 + 64 + 361) / 4 = 131.5
    const overall = computeMeanStd(ds);
    expect(overall.mean[0]).toBeCloseTo(11, 10);
    expect(overall.std[0]).toBeCloseTo(Math.sqrt(131.5), 10);
    // per channel: [1, 3] → mean 2, std 1; [10, 30] → mean 20, std 10
    expect(computeMeanStd(ds, { perChannel: true })).toEqual({ mean: [2, 20], std: [1, 10] });
    expect(Array.from(normalize(ds, computeMeanStd(ds, { perChannel: true })).x)).toEqual([-1, -1, 1, 1]);
    expect(Array.from(normalize(ds, { mean: 1, std: 2 }).x)).toEqual([0, 4.5, 1, 14.5]);
  });

  it('rejects a zero std and a channel count mismatch', () => {
    const ds = indexed(2);
    expect(() => normalize(ds, { mean: 0, std: 0 })).toThrow(/`std` must be positive and finite, received 0/);
    expect(() => normalize(ds, { mean: [0, 0, 0], std: 1 })).toThrow(
      /`mean` must have 1 or 2 \(channel\) entries, received 3/,
    );
  });
});
