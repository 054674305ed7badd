/**
 * Optimizer state in model files, laid out as TensorFlow.js writes it for `model.save(url, {includeOptimizer: true})`:
 *   - the optimizer's weights (`Optimizer.getWeights`: `iter`, then its slots `<variable>/<slot>` grouped by slot
 *     kind, e.g. `iter, d1/kernel/m, d1/bias/m, d1/kernel/v, d1/bias/v`) follow the model's weight specs, each
 *     marked `group: 'optimizer'`, and their values follow the model's in the weight data;
 *   - `trainingConfig: {loss, metrics, optimizer_config: {class_name, config}}` says how to compile the model.
 * Loading compiles the model from trainingConfig and restores the optimizer's weights (model/optimizer-saving.ts), so
 * fit continues where it stopped. `iter` is written as float32 (tfjs reads either) and read as float32 or int32 (tfjs
 * writes int32), exact up to 2^24 steps. This file reads and describes the format; model/optimizer-saving.ts moves
 * the state between it and a compiled model.
 */
import { FormatError } from '../errors.js';
import { describe, expectArray, expectObject, expectString, fieldPath, type JsonObject } from './json.js';

export { OPTIMIZER_GROUP } from './weights.js';

/** The loss and metrics a model was compiled with, by name, as trainingConfig records them. */
export interface TrainingConfigNames {
  /** A loss name ('sparseCategoricalCrossentropy'); written in Keras's snake_case, as tfjs writes it. */
  readonly loss: string;
  /** Metric names as given to compile ('accuracy'). */
  readonly metrics?: readonly string[];
}

/** A checked trainingConfig: the loss and metric names and the serialized optimizer. */
export interface TrainingConfig {
  readonly loss: string;
  readonly metrics: readonly string[];
  readonly optimizer: { readonly className: string; readonly config: JsonObject };
}

/** Validates a trainingConfig read from a file (tfjs's form, or ours); each error names the field. */
export function readTrainingConfig(value: unknown, where: string): TrainingConfig {
  const config = expectObject(value, where, 'trainingConfig');
  const loss = expectString(config.loss, where, 'trainingConfig.loss');
  const metricsValue = config.metrics ?? [];
  const metrics = expectArray(metricsValue, where, 'trainingConfig.metrics').map((m, i) =>
    expectString(m, where, fieldPath('trainingConfig.metrics', i)),
  );
  for (const key of ['weighted_metrics', 'loss_weights', 'sample_weight_mode']) {
    const extra = config[key];
    if (extra !== undefined && extra !== null)
      throw new FormatError(where, `\`trainingConfig.${key}\` is not supported, received ${describe(extra)}`);
  }
  const optimizer = expectObject(
    config.optimizer_config ?? config.optimizerConfig,
    where,
    'trainingConfig.optimizer_config',
  );
  const className = expectString(
    optimizer.class_name ?? optimizer.className,
    where,
    'trainingConfig.optimizer_config.class_name',
  );
  const optimizerConfig =
    optimizer.config === undefined || optimizer.config === null
      ? {}
      : expectObject(optimizer.config, where, 'trainingConfig.optimizer_config.config');
  return { loss, metrics, optimizer: { className, config: optimizerConfig } };
}
