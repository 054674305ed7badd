import { describe, expect, it } from 'vitest';
import {
  binaryCrossentropy,
  categoricalCrossentropy,
  grads,
  mean,
  oneHot,
  softmax,
  softmaxCrossEntropy,
  sparseSoftmaxCrossEntropy,
  type Tensor,
  tensor,
} from '../../src/index.js';
import { gradcheck, randomInput } from '../helpers/gradcheck.js';
import { expectClose, tf, toTf } from '../helpers/tfjs.js';

/** Rows of probabilities summing to 1 (a softmax of random values), without gradient tracking. */
function probabilityRows(shape: readonly number[], seed: number): Tensor {
  const p = softmax(randomInput(shape, seed, -2, 2));
  return tensor(p.dataSync(), p.shape);
}

const NONE = tf.Reduction.NONE;

describe('softmaxCrossEntropy', () => {
  it('values and logit gradients match tf.losses.softmaxCrossEntropy (reduction NONE)', () => {
    const logits = randomInput([5, 4], 1, -3, 3);
    const labels = probabilityRows([5, 4], 2);
    const loss = softmaxCrossEntropy(logits, labels);
    const dy = randomInput([5], 3);
    const [dLogits] = grads(loss, [logits], dy);
    const reference = (z: tf.Tensor): tf.Tensor => tf.losses.softmaxCrossEntropy(toTf(labels), z, undefined, 0, NONE);
    const [expected] = tf.grads(reference)([toTf(logits)], toTf(dy));
    expect(loss.shape).toEqual([5]);
    expectClose(loss.dataSync(), reference(toTf(logits)).dataSync());
    expectClose(dLogits?.dataSync() ?? [], expected?.dataSync() ?? []);
  });

  it('gradcheck on logits and labels, including labels that do not sum to 1', () => {
    const logits = randomInput([3, 4], 4, -3, 3);
    const labels = randomInput([3, 4], 5, 0, 1);
    gradcheck(() => softmaxCrossEntropy(logits, labels), [logits, labels]);
  });

  it('hand-computed: uniform logits over K classes cost log K; stable for huge logits', () => {
    expectClose(softmaxCrossEntropy(tensor([[0, 0, 0, 0]]), tensor([[0, 1, 0, 0]])).dataSync(), [Math.log(4)]);
    // logits [1000, 0] with the label on class 1: loss = 1000 + log(1 + e⁻¹⁰⁰⁰) = 1000.
    expectClose(softmaxCrossEntropy(tensor([[1000, 0]]), tensor([[0, 1]])).dataSync(), [1000]);
  });

  it('rejects mismatched shapes', () => {
    expect(() => softmaxCrossEntropy(tensor([[1, 2]]), tensor([[1, 0, 0]]))).toThrow(
      'softmaxCrossEntropy: `logits` must be [N, K] and `labels` the same shape, received [1, 2] and [1, 3]',
    );
  });
});

describe('sparseSoftmaxCrossEntropy and oneHot', () => {
  it('oneHot matches tf.oneHot (and a hand-written encoding)', () => {
    const indices = tensor([
      [2, 0],
      [1, 3],
    ]);
    const encoded = oneHot(indices, 4);
    expect(encoded.shape).toEqual([2, 2, 4]);
    expect(Array.from(encoded.dataSync())).toEqual([0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
    expectClose(
      encoded.dataSync(),
      tf
        .oneHot(
          tf.tensor2d(
            [
              [2, 0],
              [1, 3],
            ],
            undefined,
            'int32',
          ),
          4,
        )
        .dataSync(),
    );
  });

  it('equals tfjs softmax cross-entropy on one-hot labels, values and logit gradients', () => {
    const logits = randomInput([4, 3], 6, -3, 3);
    const labels = tensor([2, 0, 1, 2]);
    const loss = sparseSoftmaxCrossEntropy(logits, labels);
    const dy = randomInput([4], 7);
    const [dLogits] = grads(loss, [logits], dy);
    const tfLabels = tf.oneHot(tf.tensor1d([2, 0, 1, 2], 'int32'), 3);
    const reference = (z: tf.Tensor): tf.Tensor => tf.losses.softmaxCrossEntropy(tfLabels, z, undefined, 0, NONE);
    const [expected] = tf.grads(reference)([toTf(logits)], toTf(dy));
    expectClose(loss.dataSync(), reference(toTf(logits)).dataSync());
    expectClose(dLogits?.dataSync() ?? [], expected?.dataSync() ?? []);
    gradcheck(() => sparseSoftmaxCrossEntropy(logits, labels), [logits]);
  });

  it('names the first label that is not an integer class id in [0, K)', () => {
    const logits = tensor(new Float32Array(9), [3, 3]);
    expect(() => sparseSoftmaxCrossEntropy(logits, tensor([0, 3, 5]))).toThrow(
      'sparseSoftmaxCrossEntropy: `labels` must hold integer class ids in [0, 3), received 3 at flat index 1',
    );
    expect(() => sparseSoftmaxCrossEntropy(logits, tensor([1.5, 0, 0]))).toThrow(/received 1.5 at flat index 0/);
    expect(() => sparseSoftmaxCrossEntropy(logits, tensor([0, 1]))).toThrow(
      /expected logits \[N, K\] and labels \[N\]/,
    );
    expect(() => oneHot(tensor([-1]), 2)).toThrow(
      'oneHot: `indices` must hold integer class ids in [0, 2), received -1 at flat index 0',
    );
  });
});

describe('cross-entropy from probabilities', () => {
  it('categoricalCrossentropy matches tf.metrics.categoricalCrossentropy, values and gradients', () => {
    // Unnormalized rows exercise Keras' rescaling; values stay away from the clip bounds.
    const probs = randomInput([4, 5], 8, 0.05, 1);
    const labels = probabilityRows([4, 5], 9);
    const loss = categoricalCrossentropy(probs, labels);
    const dy = randomInput([4], 10);
    const [dProbs] = grads(loss, [probs], dy);
    const reference = (p: tf.Tensor): tf.Tensor => tf.metrics.categoricalCrossentropy(toTf(labels), p);
    const [expected] = tf.grads(reference)([toTf(probs)], toTf(dy));
    expectClose(loss.dataSync(), reference(toTf(probs)).dataSync());
    expectClose(dProbs?.dataSync() ?? [], expected?.dataSync() ?? [], 1e-4, 1e-4);
    gradcheck(() => categoricalCrossentropy(probs, labels), [probs]);
  });

  it('categoricalCrossentropy clips a zero probability to 1e-7 (hand-computed: −log 1e-7)', () => {
    expectClose(categoricalCrossentropy(tensor([[0, 1]]), tensor([[1, 0]])).dataSync(), [-Math.log(1e-7)], 1e-4);
  });

  it('binaryCrossentropy averaged over the last axis matches tf.metrics.binaryCrossentropy; gradcheck', () => {
    const probs = randomInput([3, 4], 11, 0.05, 0.95);
    const labels = randomInput([3, 4], 12, 0, 1);
    expectClose(
      mean(binaryCrossentropy(probs, labels), -1).dataSync(),
      tf.metrics.binaryCrossentropy(toTf(labels), toTf(probs)).dataSync(),
    );
    gradcheck(() => binaryCrossentropy(probs, labels), [probs, labels]);
  });
});
