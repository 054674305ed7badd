/**
 * Metrics, accumulated over an epoch as Keras does: each `update` adds a batch's counts, `result` reads the total.
 * They read predictions on the host (a batch of class scores is small), so every backend gets them for free.
 */
import type { Loss } from './losses.js';
import type { Tensor } from './tensor.js';

export interface Metric {
  /** The name in logs and history ('accuracy', 'precision', …). */
  readonly name: string;
  reset(): void;
  update(yTrue: Tensor, yPred: Tensor): void;
  result(): number;
}

/** Index of the largest of k values starting at `offset`. */
function argMax(values: Float32Array, offset: number, k: number): number {
  let best = 0;
  for (let j = 1; j < k; j++) if ((values[offset + j] ?? -Infinity) > (values[offset + best] ?? -Infinity)) best = j;
  return best;
}

/** The true class of row n: a class id (sparse labels) or the argmax of a one-hot row. */
function trueClass(labels: Float32Array, n: number, k: number, sparse: boolean): number {
  return sparse ? (labels[n] ?? -1) : argMax(labels, n * k, k);
}

/** A running mean of per-example hits. */
function meanMetric(
  name: string,
  hits: (yTrue: Float32Array, yPred: Float32Array, rows: number, k: number) => number,
): Metric {
  let correct = 0;
  let count = 0;
  return {
    name,
    reset: () => {
      correct = 0;
      count = 0;
    },
    update: (yTrue, yPred) => {
      const rows = yPred.shape[0] ?? 0;
      correct += hits(yTrue.dataSync(), yPred.dataSync(), rows, rows === 0 ? 0 : yPred.size / rows);
      count += rows;
    },
    result: () => (count === 0 ? 0 : correct / count),
  };
}

/** Fraction of rows whose true class is among the k highest scores. */
function topKHits(sparse: boolean, topK: number) {
  return (yTrue: Float32Array, yPred: Float32Array, rows: number, k: number): number => {
    let hits = 0;
    for (let n = 0; n < rows; n++) {
      const target = trueClass(yTrue, n, k, sparse);
      const score = yPred[n * k + target] ?? -Infinity;
      // Ranked above the target: strictly higher scores (ties count in the target's favour, as tf.nn.in_top_k).
      let above = 0;
      for (let j = 0; j < k; j++) if ((yPred[n * k + j] ?? -Infinity) > score) above++;
      if (above < topK) hits++;
    }
    return hits;
  };
}

export const sparseCategoricalAccuracy = (): Metric => meanMetric('accuracy', topKHits(true, 1));
export const categoricalAccuracy = (): Metric => meanMetric('accuracy', topKHits(false, 1));
export const topKCategoricalAccuracy = (k = 5): Metric => meanMetric(`top_${k}_accuracy`, topKHits(false, k));
export const sparseTopKCategoricalAccuracy = (k = 5): Metric => meanMetric(`top_${k}_accuracy`, topKHits(true, k));

/** Fraction of elements where (prediction > threshold) equals the target. */
export const binaryAccuracy = (threshold = 0.5): Metric =>
  meanMetric('accuracy', (yTrue, yPred, rows, k) => {
    let hits = 0;
    for (let i = 0; i < rows * k; i++) if (((yPred[i] ?? 0) > threshold ? 1 : 0) === Math.round(yTrue[i] ?? 0)) hits++;
    return hits / Math.max(k, 1);
  });

/** Precision or recall of binary decisions (prediction > threshold) over every element, accumulated as in Keras. */
function binaryRate(name: 'precision' | 'recall', threshold: number): Metric {
  let truePositives = 0;
  let falseOrMissed = 0;
  return {
    name,
    reset: () => {
      truePositives = 0;
      falseOrMissed = 0;
    },
    update: (yTrue, yPred) => {
      const t = yTrue.dataSync();
      const p = yPred.dataSync();
      for (let i = 0; i < p.length; i++) {
        const predicted = (p[i] ?? 0) > threshold;
        const actual = (t[i] ?? 0) >= 0.5;
        if (predicted && actual) truePositives++;
        else if (name === 'precision' ? predicted && !actual : !predicted && actual) falseOrMissed++;
      }
    },
    result: () => (truePositives + falseOrMissed === 0 ? 0 : truePositives / (truePositives + falseOrMissed)),
  };
}

export const precision = (threshold = 0.5): Metric => binaryRate('precision', threshold);
export const recall = (threshold = 0.5): Metric => binaryRate('recall', threshold);

/** A metric from a name, resolving 'accuracy' by the loss as Keras does. */
export function getMetric(identifier: string | Metric, loss: Loss): Metric {
  if (typeof identifier !== 'string') return identifier;
  const key = identifier.replace(/_/g, '').toLowerCase();
  if (key === 'accuracy' || key === 'acc') {
    if (loss.accuracyKind === 'sparse') return sparseCategoricalAccuracy();
    if (loss.accuracyKind === 'categorical') return categoricalAccuracy();
    return binaryAccuracy();
  }
  if (key === 'sparsecategoricalaccuracy') return sparseCategoricalAccuracy();
  if (key === 'categoricalaccuracy') return categoricalAccuracy();
  if (key === 'binaryaccuracy') return binaryAccuracy();
  if (key === 'topkcategoricalaccuracy')
    return loss.accuracyKind === 'sparse' ? sparseTopKCategoricalAccuracy() : topKCategoricalAccuracy();
  if (key === 'precision') return precision();
  if (key === 'recall') return recall();
  throw new Error(
    `Unknown metric '${identifier}'; known metrics: accuracy, sparseCategoricalAccuracy, categoricalAccuracy, binaryAccuracy, topKCategoricalAccuracy, precision, recall`,
  );
}

/**
 * counts[t][p] = how many examples of true class t were predicted as class p. labels: class ids; predictions:
 * class ids or rows of scores (argmax taken).
 */
export function confusionMatrix(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number> | Float32Array,
  numClasses: number,
  scoresPerRow = 1,
): number[][] {
  const counts = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  const scores = Float32Array.from(predictions);
  for (let n = 0; n < labels.length; n++) {
    const t = labels[n] ?? -1;
    const p = scoresPerRow === 1 ? (scores[n] ?? -1) : argMax(scores, n * scoresPerRow, scoresPerRow);
    const row = counts[t];
    if (row === undefined || p < 0 || p >= numClasses || !Number.isInteger(t) || !Number.isInteger(p)) {
      throw new Error(
        `confusionMatrix: example ${n} has label ${t} and prediction ${p}; both must be class ids in [0, ${numClasses})`,
      );
    }
    row[p] = (row[p] ?? 0) + 1;
  }
  return counts;
}
