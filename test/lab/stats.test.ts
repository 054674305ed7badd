import { describe, expect, it } from 'vitest';
import { meanSeries, median, stat } from '../../src/lab/stats.js';

describe('lab statistics', () => {
  it('mean and sample standard deviation, by hand', () => {
    // mean(1, 2, 3, 4) = 2.5; Σ(x − 2.5)² = 2.25 + 0.25 + 0.25 + 2.25 = 5; std = √(5 / 3).
    const s = stat([1, 2, 3, 4]);
    expect(s.n).toBe(4);
    expect(s.mean).toBeCloseTo(2.5, 12);
    expect(s.std).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect([s.min, s.max]).toEqual([1, 4]);
  });

  it('skips missing and non-finite values; one value has no spread; none has no mean', () => {
    expect(stat([0.9, null, Number.NaN, 0.7])).toMatchObject({ n: 2, min: 0.7, max: 0.9 });
    expect(stat([0.9, null, 0.7]).mean).toBeCloseTo(0.8, 12);
    expect(stat([3])).toEqual({ n: 1, mean: 3, std: null, min: 3, max: 3 });
    expect(stat([null])).toEqual({ n: 0, mean: null, std: null, min: null, max: null });
  });

  it('median: the middle value, or the mean of the two middle ones; missing values skipped', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, null, 3, 100])).toBe(3.5); // 1, 3, 4, 100 → (3 + 4) / 2
    expect(median([null, Number.NaN])).toBeNull();
  });

  it('averages series index by index, over the series that have a value there', () => {
    expect(
      meanSeries([
        [1, 2],
        [3, null, 5],
      ]),
    ).toEqual([2, 2, 5]);
    expect(meanSeries([])).toEqual([]);
  });
});
