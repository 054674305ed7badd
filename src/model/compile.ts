/** What `compile` fixes for training: the optimizer, the loss and the metrics. */
import { ConfigError } from '../errors.js';
import { getLoss, type Loss } from '../losses.js';
import { getMetric, type Metric } from '../metrics.js';
import { getOptimizer, type Optimizer } from '../optimizers/index.js';

export interface CompileArgs {
  /** 'adam', 'sgd', … or an optimizer object (`optimizers.adam({ learningRate: 1e-3 })`). */
  readonly optimizer: string | Optimizer;
  /** 'sparseCategoricalCrossentropy', 'categoricalCrossentropy', 'mse', … or a loss object. */
  readonly loss: string | Loss;
  /**
   * 'accuracy' (resolved by the loss, as Keras does), 'precision', 'recall', 'topKCategoricalAccuracy', or metric
   * objects.
   */
  readonly metrics?: readonly (string | Metric)[];
}

export interface Compiled {
  readonly optimizer: Optimizer;
  readonly loss: Loss;
  readonly metrics: readonly Metric[];
  /**
   * A second instance of each metric named by a string, reset every batch so that fit can report the batch's own
   * value (`batch_accuracy`). Metric objects have none: they cannot be copied.
   */
  readonly batchMetrics: readonly Metric[];
}

export function resolveCompileArgs(args: CompileArgs): Compiled {
  const loss = getLoss(args.loss);
  const metrics = (args.metrics ?? []).map((m) => getMetric(m, loss));
  const names = metrics.map((m) => m.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) throw new ConfigError('compile', `metric '${duplicate}' is listed twice`);
  const batchMetrics = (args.metrics ?? []).flatMap((m) => (typeof m === 'string' ? [getMetric(m, loss)] : []));
  return { optimizer: getOptimizer(args.optimizer), loss, metrics, batchMetrics };
}
