/** Inference over many examples in batches: predict, and evaluate (loss and metrics). */
import { tidy } from '../engine.js';
import { ConfigError } from '../errors.js';
import { mean } from '../ops/reduction.js';
import { tensor } from '../ops/creation.js';
import type { Tensor } from '../tensor.js';
import { type ExamplePair, type Examples, gatherRows } from './batch.js';
import type { Compiled } from './compile.js';
import type { LayersModel } from './layers-model.js';

function checkBatchSize(where: string, batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize <= 0)
    throw new ConfigError(where, `\`batchSize\` must be a positive integer, received ${batchSize}`);
}

/** Outputs for every example of x, computed batch by batch in inference mode. */
export function predictBatched(model: LayersModel, x: Examples, batchSize: number): Tensor {
  checkBatchSize('predict', batchSize);
  const outputs: Float32Array[] = [];
  let outShape: readonly number[] = [0, ...model.outputShape.slice(1).map((d) => d ?? 0)];
  for (let start = 0; start < x.count; start += batchSize) {
    const end = Math.min(start + batchSize, x.count);
    tidy(() => {
      const y = model.apply(gatherRows(x, null, start, end), { training: false });
      outShape = y.shape;
      outputs.push(y.dataSync());
    });
  }
  const rowSize = outShape.slice(1).reduce((n, d) => n * d, 1);
  const all = new Float32Array(x.count * rowSize);
  let offset = 0;
  for (const chunk of outputs) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  return tensor(all, [x.count, ...outShape.slice(1)]);
}

/**
 * Mean loss (with regularization, as Keras reports it) and metrics over all examples of `data` (checked by whoever
 * made it: fit checks its validation data once, not at every epoch).
 */
export function evaluateCompiled(
  model: LayersModel,
  compiled: Compiled,
  data: ExamplePair,
  batchSize: number,
): Record<string, number> {
  checkBatchSize('evaluate', batchSize);
  const count = data.x.count;
  for (const metric of compiled.metrics) metric.reset();
  let lossSum = 0;
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(start + batchSize, count);
    lossSum += tidy(() => {
      const yb = gatherRows(data.y, null, start, end);
      const yPred = model.apply(gatherRows(data.x, null, start, end), { training: false });
      for (const metric of compiled.metrics) metric.update(yb, yPred);
      return (mean(compiled.loss.compute(yb, yPred)).dataSync()[0] ?? Number.NaN) * (end - start);
    });
  }
  const penalty = tidy(() => model.regularizationLoss()?.dataSync()[0] ?? 0);
  const results: Record<string, number> = { loss: lossSum / Math.max(count, 1) + penalty };
  for (const metric of compiled.metrics) results[metric.name] = metric.result();
  return results;
}
