import { describe, expect, it } from 'vitest';
import { Dense, type Logs, optimizers, regularizers, Sequential, tensor } from '../../src/index.js';

// 7 examples of 2 features, 3 classes; batches of 3, 3 and 1 in order (no shuffling).
const X = [
  [0.5, -1],
  [1, 0.25],
  [-0.5, 0.75],
  [0.2, 0.9],
  [-1, -0.3],
  [0.8, -0.6],
  [0.1, 0.4],
];
const LABELS = [0, 1, 2, 1, 2, 0, 0];
const L2 = 0.01;

/** Loss (mean cross-entropy of the softmax, plus L2 · Σ kernel²) and correct count of one batch, in float64. */
function byHand(kernel: Float32Array, bias: Float32Array, rows: readonly number[]): { loss: number; correct: number } {
  let crossEntropy = 0;
  let correct = 0;
  for (const n of rows) {
    const x = X[n] ?? [];
    const logits = [0, 1, 2].map(
      (j) => (x[0] ?? 0) * (kernel[j] ?? 0) + (x[1] ?? 0) * (kernel[3 + j] ?? 0) + (bias[j] ?? 0),
    );
    const top = Math.max(...logits);
    const logSum = top + Math.log(logits.reduce((s, z) => s + Math.exp(z - top), 0));
    const label = LABELS[n] ?? 0;
    crossEntropy += logSum - (logits[label] ?? 0);
    if (logits.indexOf(top) === label) correct++;
  }
  const penalty = L2 * kernel.reduce((s, w) => s + w * w, 0);
  return { loss: crossEntropy / rows.length + penalty, correct };
}

describe('batch logs', () => {
  it("carry each batch's own loss and accuracy beside the epoch's running means", async () => {
    const net = new Sequential({
      layers: [
        new Dense({ units: 3, activation: 'softmax', inputShape: [2], kernelRegularizer: regularizers.l2({ l2: L2 }) }),
      ],
    });
    net.setWeights([tensor([1, -1, 0.5, 0.5, 1, -1], [2, 3]), tensor([0, 0.1, -0.1], [3])]);
    net.compile({
      optimizer: optimizers.sgd({ learningRate: 0.5 }),
      loss: 'sparseCategoricalCrossentropy',
      metrics: ['accuracy'],
    });

    // The expected figures come from the weights each step starts from, read before the step.
    const expected: { loss: number; correct: number; size: number }[] = [];
    const seen: Logs[] = [];
    const history = await net.fit(tensor(X.flat(), [7, 2]), tensor(LABELS, [7]), {
      epochs: 2,
      batchSize: 3,
      shuffle: false,
      callbacks: [
        {
          onBatchBegin: (batch) => {
            const [kernel, bias] = net.getWeights().map((w) => w.dataSync());
            const rows = [0, 1, 2].map((i) => batch * 3 + i).filter((n) => n < 7);
            expected.push({
              ...byHand(kernel ?? new Float32Array(), bias ?? new Float32Array(), rows),
              size: rows.length,
            });
          },
          onBatchEnd: (_batch, logs) => {
            seen.push({ ...logs });
          },
        },
      ],
    });

    expect(seen.map((logs) => [logs.batch, logs.size])).toEqual([
      [0, 3],
      [1, 3],
      [2, 1],
      [0, 3],
      [1, 3],
      [2, 1],
    ]);
    // The weights move between batches, so the batch figures differ from one another (and from a stale copy).
    expect(new Set(expected.map((e) => e.loss)).size).toBe(6);
    expect(expected.some((e) => e.correct !== e.size) && expected.some((e) => e.correct > 0)).toBe(true);
    let lossSum = 0;
    let correctSum = 0;
    let count = 0;
    seen.forEach((logs, i) => {
      const e = expected[i];
      if (e === undefined) throw new Error(`no expected figures for batch log ${i}`);
      if (logs.batch === 0) [lossSum, correctSum, count] = [0, 0, 0]; // running means restart each epoch
      lossSum += e.loss * e.size;
      correctSum += e.correct;
      count += e.size;
      expect(logs.batch_loss).toBeCloseTo(e.loss, 5);
      expect(logs.batch_accuracy).toBe(e.correct / e.size);
      expect(logs.loss).toBeCloseTo(lossSum / count, 5);
      expect(logs.accuracy).toBe(correctSum / count);
    });
    // After an epoch's last batch the running means are the epoch's logs.
    expect([seen[2]?.loss, seen[5]?.loss]).toEqual(history.history.loss);
    expect([seen[2]?.accuracy, seen[5]?.accuracy]).toEqual(history.history.accuracy);
  });

  it('give no batch value for a metric object (fit cannot copy it)', async () => {
    const net = new Sequential({ seed: 1, layers: [new Dense({ units: 1, activation: 'sigmoid', inputShape: [2] })] });
    const hits = { name: 'hits', reset: () => undefined, update: () => undefined, result: () => 7 };
    net.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: [hits] });
    const keys: string[] = [];
    await net.fit(tensor([0, 1, 1, 0], [2, 2]), tensor([0, 1], [2, 1]), {
      callbacks: [
        {
          onBatchEnd: (_batch, logs) => {
            keys.push(...Object.keys(logs));
          },
        },
      ],
    });
    expect(keys).toEqual(['batch', 'size', 'loss', 'hits', 'batch_loss']);
  });
});
