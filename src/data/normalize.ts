/** Feature standardization of a dataset's samples: `x' = (x − mean) / std`, overall or per channel. */
import { type Dataset, withSamples } from './dataset.js';

/** One value for all features, or one per channel (the last axis of `xShape`). */
export interface MeanStd {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/**
 * Mean and population standard deviation (divide by the count) of every value of `x`, or of each channel (the last
 * axis) with `perChannel`. Sums run in float64, so large sets lose no precision.
 */
export function computeMeanStd(ds: Dataset, options: { perChannel?: boolean } = {}): MeanStd {
  const channels = options.perChannel === true ? (ds.xShape[ds.xShape.length - 1] ?? 1) : 1;
  const sum = new Float64Array(channels);
  const sumSq = new Float64Array(channels);
  for (let i = 0; i < ds.x.length; i++) {
    const v = ds.x[i] ?? 0;
    const c = i % channels;
    sum[c] = (sum[c] ?? 0) + v;
    sumSq[c] = (sumSq[c] ?? 0) + v * v;
  }
  const count = ds.x.length / channels;
  if (count === 0) throw new Error('computeMeanStd: the dataset is empty');
  const mean = Array.from(sum, (s) => s / count);
  // var = E[x²] − mean²; clamp the tiny negatives rounding can leave for constant data.
  const std = Array.from(sumSq, (s, c) => Math.sqrt(Math.max(0, s / count - (mean[c] ?? 0) ** 2)));
  return { mean, std };
}

/**
 * A copy of the dataset with `x' = (x − mean) / std`. `mean` and `std` are numbers, or arrays of length 1 or C (the
 * last axis of `xShape`, per channel). Every `std` must be positive.
 */
export function normalize(
  ds: Dataset,
  stats: { mean: number | readonly number[]; std: number | readonly number[] },
): Dataset {
  const channels = ds.xShape[ds.xShape.length - 1] ?? 1;
  const mean = perChannel(stats.mean, channels, 'mean');
  const std = perChannel(stats.std, channels, 'std');
  std.forEach((s) => {
    if (!(s > 0) || !Number.isFinite(s))
      throw new Error(`normalize: \`std\` must be positive and finite, received ${s}`);
  });
  const x = new Float32Array(ds.x.length);
  for (let i = 0; i < x.length; i++) {
    const c = i % channels;
    x[i] = ((ds.x[i] ?? 0) - (mean[c] ?? 0)) / (std[c] ?? 1);
  }
  return withSamples(ds, x, ds.y.slice(), ds.xShape[0] ?? 0);
}

function perChannel(value: number | readonly number[], channels: number, name: string): number[] {
  const list = typeof value === 'number' ? [value] : [...value];
  if (list.length === 1) return new Array<number>(channels).fill(list[0] ?? 0);
  if (list.length !== channels) {
    throw new Error(`normalize: \`${name}\` must have 1 or ${channels} (channel) entries, received ${list.length}`);
  }
  return list;
}
