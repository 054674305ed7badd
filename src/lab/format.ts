/**
 * How the lab writes numbers, in one place so the report, the verdicts and the terminal agree (and the tests can
 * recompute each printed number from results.json): accuracies as percentages with 2 decimals, accuracy differences
 * in percentage points with 2 decimals, seconds and epochs with 2 decimals, counts with thousands separators.
 */

/** 0.98123 → '98.12%'. */
export const formatPercent = (fraction: number): string => `${(fraction * 100).toFixed(2)}%`;

/** An accuracy difference in percentage points: 0.0031 → '0.31'. */
export const formatPoints = (fraction: number): string => (fraction * 100).toFixed(2);

/** 2.345 → '2.35'. */
export const formatFixed2 = (value: number): string => value.toFixed(2);

/** 93322 → '93,322'. */
export const formatThousands = (value: number): string =>
  String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Dataset ids as people write them. */
export function datasetTitle(dataset: string): string {
  return dataset === 'mnist' ? 'MNIST' : dataset === 'fashion-mnist' ? 'Fashion-MNIST' : dataset;
}

/** A count with its noun: (1, 'run') → '1 run', (3, 'run') → '3 runs'. */
export const formatCount = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
