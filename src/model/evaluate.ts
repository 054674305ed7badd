/** Inference over many examples in batches: predict, and evaluate (loss and metrics). */
import { tidy } from '../engine.js';
import { ConfigError } from '../errors.js';
import { tensor } from '../ops/creation.js';
import { mean } from '../ops/reduction.js';
import type { Tensor } from '../tensor.js';
import { type ExamplePair, type Examples, gatherRows } from './batch.js';
import type { Compiled } from './compile.js';
import type { LayersModel } from './layers-model.js';

function checkBatchSize(where: string, batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize <= 0)
    throw new ConfigError(where, `\`batchSize\` must be a positive integer, received ${batchSize}`);
}

/** Rows `[start, end)` of every input, as batch tensors. */
const batchOf = (xs: readonly Examples[], start: number, end: number): Tensor[] =>
  xs.map((x) => gatherRows(x, null, start, end));

/** One output per model output for every example of xs (one per input), computed batch by batch in inference mode. */
export function predictBatched(model: LayersModel, xs: readonly Examples[], batchSize: number): Tensor[] {
  checkBatchSize('predict', batchSize);
  const count = xs[0]?.count ?? 0;
  const outputs = model.outputNames.map(() => ({ chunks: [] as Float32Array[], rowShape: [] as readonly number[] }));
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(start + batchSize, count);
    tidy(() => {
      model.applyAll(batchOf(xs, start, end), { training: false }).forEach((y, i) => {
        const out = outputs[i];
        if (out === undefined) return;
        out.rowShape = y.shape.slice(1);
        out.chunks.push(y.dataSync());
      });
    });
  }
  return outputs.map((out, i) => {
    // With no examples, the declared shape (unknown dimensions as 0) stands in for the computed one.
    const rowShape = count > 0 ? out.rowShape : (model.outputShapes[i] ?? []).slice(1).map((d) => d ?? 0);
    const rowSize = rowShape.reduce((n, d) => n * d, 1);
    const all = new Float32Array(count * rowSize);
    let offset = 0;
    for (const chunk of out.chunks) {
      all.set(chunk, offset);
      offset += chunk.length;
    }
    return tensor(all, [count, ...rowShape]);
  });
}

/**
 * Mean loss (the weighted sum of the outputs' losses, with regularization, as Keras reports it), each output's own
 * loss when there are several (`<output>_loss`), and metrics over all examples of `data` (checked by whoever made
 * it: fit checks its validation data once, not at every epoch).
 */
export function evaluateCompiled(
  model: LayersModel,
  compiled: Compiled,
  data: ExamplePair,
  batchSize: number,
): Record<string, number> {
  checkBatchSize('evaluate', batchSize);
  const count = data.xs[0]?.count ?? 0;
  for (const out of compiled.outputs) for (const metric of out.metrics) metric.reset();
  const lossSums = compiled.outputs.map(() => 0);
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(start + batchSize, count);
    tidy(() => {
      const yPreds = model.applyAll(batchOf(data.xs, start, end), { training: false });
      compiled.outputs.forEach((out, i) => {
        const yPred = yPreds[i];
        const targets = data.ys[i];
        if (yPred === undefined || targets === undefined) return;
        const yb = gatherRows(targets, null, start, end);
        for (const metric of out.metrics) metric.update(yb, yPred);
        lossSums[i] =
          (lossSums[i] ?? 0) + (mean(out.loss.compute(yb, yPred)).dataSync()[0] ?? Number.NaN) * (end - start);
      });
    });
  }
  const penalty = tidy(() => model.regularizationLoss()?.dataSync()[0] ?? 0);
  const means = lossSums.map((sum) => sum / Math.max(count, 1));
  // A weight of 1 is skipped, not multiplied: one output's figure stays the plain mean.
  const weighted = compiled.outputs.reduce((total, out, i) => {
    const value = means[i] ?? Number.NaN;
    return total + (out.weight === 1 ? value : out.weight * value);
  }, 0);
  const results: Record<string, number> = { loss: weighted + penalty };
  if (compiled.outputs.length > 1) compiled.outputs.forEach((out, i) => (results[`${out.prefix}loss`] = means[i] ?? 0));
  for (const out of compiled.outputs)
    for (const metric of out.metrics) results[`${out.prefix}${metric.name}`] = metric.result();
  return results;
}
