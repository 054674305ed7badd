/**
 * Per-example loss ops: cross-entropy from logits (fused with a stable log-softmax) and from probabilities (with
 * Keras' clipping), and oneHot for integer labels. Reductions over the batch belong to the losses module.
 */
import { engine } from '../engine.js';
import { ConfigError, ShapeError } from '../errors.js';
import { formatShape, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add, clipByValue, div, exp, log, mul, neg, sub } from './arithmetic.js';
import { tensor } from './creation.js';
import { assertSameBackend, recordGradient, wrap } from './op.js';
import { sum } from './reduction.js';
import { reshape } from './transform.js';

/** Keras' and TensorFlow.js' fuzz factor: probabilities are clipped to [ε, 1 − ε] before the log. */
const PROBABILITY_EPSILON = 1e-7;

function assertMatrixPair(opName: string, a: Tensor, aName: string, b: Tensor, bName: string): void {
  if (a.rank !== 2 || !shapesEqual(a.shape, b.shape)) {
    throw new ShapeError(
      opName,
      `\`${aName}\` must be [N, K] and \`${bName}\` the same shape, received ` +
        `${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
}

/** Throws unless every value is an integer class id in [0, depth), naming the first that is not. */
function assertClassIds(opName: string, what: string, values: Float32Array, depth: number): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? Number.NaN;
    if (!Number.isInteger(v) || v < 0 || v >= depth) {
      throw new ConfigError(
        opName,
        `\`${what}\` must hold integer class ids in [0, ${depth}), received ${v} at flat index ${i}`,
      );
    }
  }
}

/**
 * loss[n] = −Σₖ labels[n, k] · logSoftmax(logits)[n, k]; logits, labels: [N, K] → [N].
 * Gradients: dlogits = (softmax · Σₖ labels − labels) · dy (that is softmax − labels for labels summing to 1),
 * dlabels = −logSoftmax · dy.
 */
export function softmaxCrossEntropy(logits: Tensor, labels: Tensor): Tensor {
  const opName = 'softmaxCrossEntropy';
  assertSameBackend(opName, logits, labels);
  assertMatrixPair(opName, logits, 'logits', labels, 'labels');
  const [rows = 0, cols = 0] = logits.shape;
  const logProbs = wrap(engine.backend.logSoftmax(logits.storage, rows, cols), logits.shape);
  const loss = engine.noGrad(() => neg(sum(mul(labels, logProbs), 1)));
  return recordGradient(opName, loss, [logits, labels], (dy) => {
    const dyColumn = reshape(dy, [rows, 1]);
    const labelMass = sum(labels, 1, true);
    return [mul(sub(mul(exp(logProbs), labelMass), labels), dyColumn), neg(mul(logProbs, dyColumn))];
  });
}

/**
 * softmaxCrossEntropy with integer labels: logits: [N, K], labels: [N] class ids (stored as floats) → [N].
 * Labels take no gradient.
 */
export function sparseSoftmaxCrossEntropy(logits: Tensor, labels: Tensor): Tensor {
  const opName = 'sparseSoftmaxCrossEntropy';
  if (logits.rank !== 2 || labels.rank !== 1 || labels.shape[0] !== logits.shape[0]) {
    throw new ShapeError(
      opName,
      `expected logits [N, K] and labels [N], received ${formatShape(logits.shape)} and ` + formatShape(labels.shape),
    );
  }
  const depth = logits.shape[1] ?? 0;
  assertClassIds(opName, 'labels', labels.dataSync(), depth);
  return softmaxCrossEntropy(logits, oneHot(labels, depth));
}

/**
 * One-hot encoding: indices of any shape (integer values stored as floats) → [...indices.shape, depth], with 1 at
 * each index and 0 elsewhere. Not differentiable.
 */
export function oneHot(indices: Tensor, depth: number): Tensor {
  if (!Number.isInteger(depth) || depth < 1)
    throw new ConfigError('oneHot', `\`depth\` must be a positive integer, received ${depth}`);
  const values = indices.dataSync();
  assertClassIds('oneHot', 'indices', values, depth);
  const out = new Float32Array(values.length * depth);
  for (let i = 0; i < values.length; i++) out[i * depth + (values[i] ?? 0)] = 1;
  return tensor(out, [...indices.shape, depth]);
}

/**
 * Categorical cross-entropy from probabilities, as Keras computes it: each row is rescaled to sum to 1, clipped to
 * [ε, 1 − ε] with ε = 1e-7, then loss[n] = −Σₖ labels[n, k] · log p[n, k]. probs, labels: [N, K] → [N].
 */
export function categoricalCrossentropy(probs: Tensor, labels: Tensor): Tensor {
  assertMatrixPair('categoricalCrossentropy', probs, 'probs', labels, 'labels');
  const p = clipByValue(div(probs, sum(probs, 1, true)), PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON);
  return neg(sum(mul(labels, log(p)), 1));
}

/**
 * Elementwise binary cross-entropy from probabilities: p clipped to [ε, 1 − ε], then
 * −(labels · log p + (1 − labels) · log(1 − p)). probs, labels: same shape → same shape (no reduction).
 */
export function binaryCrossentropy(probs: Tensor, labels: Tensor): Tensor {
  if (!shapesEqual(probs.shape, labels.shape)) {
    throw new ShapeError(
      'binaryCrossentropy',
      `\`probs\` and \`labels\` must have the same shape, received ` +
        `${formatShape(probs.shape)} and ${formatShape(labels.shape)}`,
    );
  }
  const p = clipByValue(probs, PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON);
  return neg(add(mul(labels, log(p)), mul(sub(1, labels), log(sub(1, p)))));
}
