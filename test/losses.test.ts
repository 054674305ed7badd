import { describe, expect, it } from 'vitest';
import { grads, losses, tensor, tidy } from '../src/index.js';
import { gradcheck, randomInput } from './helpers/gradcheck.js';
import { expectClose, tf, toTf } from './helpers/tfjs.js';

const probabilities = (rows: number, k: number, seed: number): ReturnType<typeof tensor> => {
  const raw = randomInput([rows, k], seed, 0.1, 1).dataSync();
  for (let r = 0; r < rows; r++) {
    let total = 0;
    for (let j = 0; j < k; j++) total += raw[r * k + j] ?? 0;
    for (let j = 0; j < k; j++) raw[r * k + j] = (raw[r * k + j] ?? 0) / total;
  }
  const t = tensor(raw, [rows, k]);
  t.requiresGrad = true;
  return t;
};

describe('losses against TensorFlow.js', () => {
  it('sparse categorical cross-entropy from probabilities and from logits', () => {
    const p = probabilities(6, 4, 1);
    const labels = tensor([0, 3, 1, 2, 3, 0]);
    const ours = losses.sparseCategoricalCrossentropy().compute(labels, p);
    const expected = tf.metrics.categoricalCrossentropy(
      tf.oneHot(tf.tensor1d([0, 3, 1, 2, 3, 0], 'int32'), 4),
      toTf(p),
    );
    expectClose(ours.dataSync(), expected.dataSync(), 1e-5, 1e-6);
    const logits = randomInput([6, 4], 2, -3, 3);
    const fromLogits = losses.sparseCategoricalCrossentropy({ fromLogits: true }).compute(labels, logits);
    const expectedLogits = tf.losses.softmaxCrossEntropy(
      tf.oneHot(tf.tensor1d([0, 3, 1, 2, 3, 0], 'int32'), 4),
      toTf(logits),
      undefined,
      0,
      tf.Reduction.NONE,
    );
    expectClose(fromLogits.dataSync(), expectedLogits.dataSync(), 1e-5, 1e-6);
  });

  it('categorical cross-entropy with label smoothing, from logits', () => {
    const logits = randomInput([5, 3], 3, -2, 2);
    const onehot = tensor([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
    ]);
    const ours = losses.categoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }).compute(onehot, logits);
    const expected = tf.losses.softmaxCrossEntropy(toTf(onehot), toTf(logits), undefined, 0.1, tf.Reduction.NONE);
    expectClose(ours.dataSync(), expected.dataSync(), 1e-5, 1e-6);
  });

  it('binary cross-entropy from probabilities and logits, MSE, MAE, Huber', () => {
    const logits = randomInput([4, 3], 4, -3, 3);
    const targets = tensor([
      [1, 0, 1],
      [0, 0, 1],
      [1, 1, 0],
      [0, 1, 0],
    ]);
    const fromLogits = losses.binaryCrossentropy({ fromLogits: true }).compute(targets, logits);
    const expectedLogits = tf.mean(
      tf.losses.sigmoidCrossEntropy(toTf(targets), toTf(logits), undefined, 0, tf.Reduction.NONE),
      -1,
    );
    expectClose(fromLogits.dataSync(), expectedLogits.dataSync(), 1e-5, 1e-6);
    const probs = tf.sigmoid(toTf(logits));
    const ours = losses.binaryCrossentropy().compute(targets, tensor(probs.dataSync() as Float32Array, [4, 3]));
    expectClose(ours.dataSync(), tf.metrics.binaryCrossentropy(toTf(targets), probs).dataSync(), 1e-4, 1e-5);
    const a = randomInput([4, 3], 5, -2, 2);
    const b = randomInput([4, 3], 6, -2, 2);
    expectClose(
      losses.meanSquaredError().compute(a, b).dataSync(),
      tf.metrics.meanSquaredError(toTf(a), toTf(b)).dataSync(),
    );
    expectClose(
      losses.meanAbsoluteError().compute(a, b).dataSync(),
      tf.metrics.meanAbsoluteError(toTf(a), toTf(b)).dataSync(),
    );
    const huber = tf.mean(tf.losses.huberLoss(toTf(a), toTf(b), undefined, 0.7, tf.Reduction.NONE), -1);
    expectClose(losses.huber({ delta: 0.7 }).compute(a, b).dataSync(), huber.dataSync(), 1e-5, 1e-6);
  });
});

describe('loss gradients', () => {
  it('gradcheck every loss with respect to its prediction', () => {
    const p = probabilities(4, 3, 7);
    const sparse = tensor([2, 0, 1, 1]);
    const onehot = tensor([
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
      [0, 1, 0],
    ]);
    const logits = randomInput([4, 3], 8, -2, 2);
    const real = randomInput([4, 3], 9, -2, 2);
    gradcheck(() => losses.sparseCategoricalCrossentropy().compute(sparse, p), [p]);
    gradcheck(() => losses.categoricalCrossentropy({ labelSmoothing: 0.2 }).compute(onehot, p), [p]);
    gradcheck(() => losses.binaryCrossentropy({ fromLogits: true }).compute(onehot, logits), [logits]);
    gradcheck(() => losses.meanSquaredError().compute(onehot, real), [real]);
    gradcheck(() => losses.huber({ delta: 0.5 }).compute(onehot, real), [real]);
  });

  it('from logits, the cross-entropy gradient is (softmax − onehot)/N under a mean (hand-derived)', () => {
    const logits = tensor([[0, 0]]);
    logits.requiresGrad = true;
    const dx = tidy(() =>
      grads(losses.sparseCategoricalCrossentropy({ fromLogits: true }).compute(tensor([1]), logits), [
        logits,
      ])[0]?.dataSync(),
    );
    expect(Array.from(dx ?? [])).toEqual([0.5, -0.5]);
  });
});

describe('loss names and errors', () => {
  it('resolves Keras and tfjs spellings and rejects unknown names listing the known', () => {
    expect(losses.getLoss('sparseCategoricalCrossentropy').name).toBe('sparse_categorical_crossentropy');
    expect(losses.getLoss('sparse_categorical_crossentropy').name).toBe('sparse_categorical_crossentropy');
    expect(losses.getLoss('mse').name).toBe('mean_squared_error');
    expect(() => losses.getLoss('hinge2')).toThrow(
      /Unknown loss 'hinge2'; known losses: sparseCategoricalCrossentropy/,
    );
  });

  it('names the shapes when yTrue and yPred disagree', () => {
    expect(() => losses.meanSquaredError().compute(tensor([[1, 2]]), tensor([[1, 2, 3]]))).toThrow(
      'mean_squared_error: yTrue and yPred must have the same shape, received [1, 2] and [1, 3]',
    );
    expect(() => losses.sparseCategoricalCrossentropy().compute(tensor([1, 2]), tensor([[0.5, 0.5]]))).toThrow(
      /expected yTrue \[N\] class ids and yPred \[N, K\], received \[2\] and \[1, 2\]/,
    );
  });
});
