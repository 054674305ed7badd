import { describe, expect, it } from 'vitest';
import { losses, metrics, tensor } from '../src/index.js';

describe('metrics (hand-computed)', () => {
  it('accuracy resolves by the loss and accumulates over batches', () => {
    const sparse = metrics.getMetric('accuracy', losses.sparseCategoricalCrossentropy());
    sparse.update(
      tensor([0, 1]),
      tensor([
        [0.9, 0.1],
        [0.8, 0.2],
      ]),
    ); // 1 of 2
    sparse.update(tensor([1]), tensor([[0.3, 0.7]])); // 1 of 1
    expect(sparse.result()).toBeCloseTo(2 / 3, 10);
    sparse.reset();
    expect(sparse.result()).toBe(0);
    const categorical = metrics.getMetric('acc', losses.categoricalCrossentropy());
    categorical.update(
      tensor([
        [0, 1],
        [1, 0],
      ]),
      tensor([
        [0.4, 0.6],
        [0.3, 0.7],
      ]),
    );
    expect(categorical.result()).toBe(0.5);
    const binary = metrics.getMetric('accuracy', losses.binaryCrossentropy());
    binary.update(tensor([[1], [0], [1], [0]]), tensor([[0.9], [0.6], [0.2], [0.1]]));
    expect(binary.result()).toBe(0.5);
  });

  it('top-k accuracy counts the target among the k highest scores', () => {
    const top2 = metrics.sparseTopKCategoricalAccuracy(2);
    top2.update(
      tensor([2, 0, 1]),
      tensor([
        [0.1, 0.5, 0.4],
        [0.2, 0.3, 0.5],
        [0.3, 0.6, 0.1],
      ]),
    );
    // row 0: target 2 (0.4) is 2nd → hit; row 1: target 0 (0.2) is 3rd → miss; row 2: target 1 is 1st → hit.
    expect(top2.result()).toBeCloseTo(2 / 3, 10);
  });

  it('precision and recall accumulate true/false positives over all elements', () => {
    const p = metrics.precision();
    const r = metrics.recall();
    const yTrue = tensor([[1], [1], [0], [0], [1]]);
    const yPred = tensor([[0.9], [0.2], [0.7], [0.1], [0.8]]);
    p.update(yTrue, yPred); // predicted positive: rows 0, 2, 4 → TP 2, FP 1
    r.update(yTrue, yPred); // actual positive: rows 0, 1, 4 → TP 2, FN 1
    expect(p.result()).toBeCloseTo(2 / 3, 10);
    expect(r.result()).toBeCloseTo(2 / 3, 10);
  });

  it('confusion matrix from class ids or from score rows', () => {
    expect(metrics.confusionMatrix([0, 1, 1, 2], [0, 2, 1, 2], 3)).toEqual([
      [1, 0, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    expect(metrics.confusionMatrix([1, 0], new Float32Array([0.2, 0.8, 0.4, 0.6]), 2, 2)).toEqual([
      [0, 1],
      [0, 1],
    ]);
    expect(() => metrics.confusionMatrix([3], [0], 3)).toThrow(/example 0 has label 3/);
  });

  it('rejects unknown metric names listing the known ones', () => {
    expect(() => metrics.getMetric('f1', losses.meanSquaredError())).toThrow(
      /Unknown metric 'f1'; known metrics: accuracy/,
    );
  });
});
