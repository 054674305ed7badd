/** Summary statistics over a variant's seeds: mean and spread (sample standard deviation). */

export interface Stat {
  /** Number of values (missing ones are not counted). */
  readonly n: number;
  /** Arithmetic mean; null when n = 0. */
  readonly mean: number | null;
  /** Sample standard deviation √(Σ(x − mean)² / (n − 1)); null when n < 2 (one seed has no spread). */
  readonly std: number | null;
  readonly min: number | null;
  readonly max: number | null;
}

/** Mean, sample standard deviation, min and max of the values that are finite numbers (null and NaN are skipped). */
export function stat(values: readonly (number | null)[]): Stat {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return { n, mean: null, std: null, min: null, max: null };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const std = n < 2 ? null : Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  return { n, mean, std, min: Math.min(...xs), max: Math.max(...xs) };
}

/** The middle value of the finite ones (the mean of the two middle values for an even count); null when none. */
export function median(values: readonly (number | null)[]): number | null {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  const mid = Math.floor(xs.length / 2);
  if (xs.length === 0) return null;
  return xs.length % 2 === 1 ? (xs[mid] ?? null) : ((xs[mid - 1] ?? 0) + (xs[mid] ?? 0)) / 2;
}

/** Element-wise mean of equally indexed series (index i averages the i-th entries that exist and are finite). */
export function meanSeries(series: readonly (readonly (number | null)[])[]): (number | null)[] {
  const length = Math.max(0, ...series.map((s) => s.length));
  return Array.from({ length }, (_, i) => stat(series.map((s) => s[i] ?? null)).mean);
}

/** JSON cannot hold NaN or ±Infinity: those become null. */
export function finiteOrNull(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}
