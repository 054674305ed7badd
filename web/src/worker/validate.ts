/**
 * What the page shows after each validation pass: loss and accuracy on the validation images (computed with the
 * library's loss and metric), the confusion matrix, the most confident mistakes and the first layer's filters.
 */
import { Conv2D, losses, mean, metrics, tidy, type Sequential, type Tensor } from '../../../src/index.js';
import type { Filters, FromWorker, Mistake } from '../protocol.js';

const CLASSES = 10;
const MAX_MISTAKES = 24;
const IMAGE_SIZE = 28 * 28;

export type ValidationMessage = Extract<FromWorker, { type: 'validation' }>;

/** The most confident wrong answers: what the model is surest of and still gets wrong is the most instructive. */
function worstMistakes(probabilities: Float32Array, labels: Float32Array, pixels: Float32Array): Mistake[] {
  const wrong: { index: number; predicted: number; confidence: number }[] = [];
  for (let n = 0; n < labels.length; n++) {
    let best = 0;
    for (let k = 1; k < CLASSES; k++)
      if ((probabilities[n * CLASSES + k] ?? 0) > (probabilities[n * CLASSES + best] ?? 0)) best = k;
    if (best !== labels[n])
      wrong.push({ index: n, predicted: best, confidence: probabilities[n * CLASSES + best] ?? 0 });
  }
  wrong.sort((a, b) => b.confidence - a.confidence);
  return wrong.slice(0, MAX_MISTAKES).map(({ index, predicted, confidence }) => {
    const image = new Uint8Array(IMAGE_SIZE);
    for (let i = 0; i < IMAGE_SIZE; i++) image[i] = Math.round((pixels[index * IMAGE_SIZE + i] ?? 0) * 255);
    return { pixels: image, label: labels[index] ?? 0, predicted, confidence };
  });
}

/** The first layer's kernels when it is a conv layer on one channel (the brief's model, and any loaded MNIST CNN). */
export function firstLayerFilters(model: Sequential): Filters | null {
  const layer = model.layers[0];
  const kernel = layer instanceof Conv2D ? layer.weights[0] : undefined;
  if (kernel?.rank !== 4 || kernel.shape[2] !== 1) return null;
  const [kh = 0, kw = 0, , count = 0] = kernel.shape;
  return { kh, kw, count, values: kernel.dataSync() };
}

/** One pass over the validation images in inference mode; `x` is the point on the charts' axis (epochs). */
export function validate(
  model: Sequential,
  xVal: Tensor,
  yVal: Tensor,
  labels: Float32Array,
  pixels: Float32Array,
  x: number,
): ValidationMessage {
  const probabilities = model.predict(xVal, { batchSize: 250 });
  try {
    // As Keras reports val_loss: the mean cross-entropy plus the weight penalties.
    const loss = tidy(
      () =>
        (mean(losses.sparseCategoricalCrossentropy().compute(yVal, probabilities)).dataSync()[0] ?? Number.NaN) +
        (model.regularizationLoss()?.dataSync()[0] ?? 0),
    );
    const accuracy = metrics.sparseCategoricalAccuracy();
    accuracy.update(yVal, probabilities);
    const scores = probabilities.dataSync();
    return {
      type: 'validation',
      x,
      loss,
      accuracy: accuracy.result(),
      confusion: metrics.confusionMatrix(labels, scores, CLASSES, CLASSES),
      mistakes: worstMistakes(scores, labels, pixels),
      filters: firstLayerFilters(model),
    };
  } finally {
    probabilities.dispose();
  }
}
