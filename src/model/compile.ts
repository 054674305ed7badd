/**
 * What `compile` fixes for training: the optimizer, and for each model output its loss, loss weight and metrics.
 * A model with several outputs takes them as Keras does: one value for all outputs, a list in output order, or an
 * object keyed by output name (the output layers' names).
 */
import { ConfigError } from '../errors.js';
import { getLoss, type Loss } from '../losses.js';
import { getMetric, type Metric } from '../metrics.js';
import { getOptimizer, type Optimizer } from '../optimizers/index.js';

/** A loss by name ('sparseCategoricalCrossentropy', 'mse', …) or a loss object. */
export type LossIdentifier = string | Loss;

/** 'accuracy' (resolved by the loss, as Keras does), 'precision', 'recall', … or a metric object. */
export type MetricIdentifier = string | Metric;

/** One value for every output, one per output in output order, or one per output name. */
export type PerOutput<T> = T | readonly T[] | Readonly<Record<string, T>>;

export interface CompileArgs {
  /** 'adam', 'sgd', … or an optimizer object (`optimizers.adam({ learningRate: 1e-3 })`). */
  readonly optimizer: string | Optimizer;
  /** The loss of each output: one for all, a list in output order, or `{ outputName: loss }`. */
  readonly loss: PerOutput<LossIdentifier>;
  /**
   * Metrics: a list for every output (metric objects only with one output: they hold state), a list of lists in
   * output order, or `{ outputName: [...] }`.
   */
  readonly metrics?:
    | readonly MetricIdentifier[]
    | readonly (readonly MetricIdentifier[])[]
    | Readonly<Record<string, readonly MetricIdentifier[]>>;
  /** Weight of each output's loss in the total (default 1 each): a list in output order or `{ outputName: w }`. */
  readonly lossWeights?: readonly number[] | Readonly<Record<string, number>>;
}

/** One output's part of training: the total loss is Σ weight · mean(loss) + regularization. */
export interface CompiledOutput {
  /** The output layer's name. */
  readonly name: string;
  readonly loss: Loss;
  readonly weight: number;
  readonly metrics: readonly Metric[];
  /**
   * A second instance of each metric named by a string, reset every batch so that fit can report the batch's own
   * value (`batch_accuracy`). Metric objects have none: they cannot be copied.
   */
  readonly batchMetrics: readonly Metric[];
  /** What log names start with: '' for a model with one output, `<name>_` otherwise (`out_loss`, `out_accuracy`). */
  readonly prefix: string;
}

export interface Compiled {
  readonly optimizer: Optimizer;
  /** One per model output, in output order. */
  readonly outputs: readonly CompiledOutput[];
}

function isRecord<T>(value: PerOutput<T> | undefined): value is Readonly<Record<string, T>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Output i's entry of a per-output value: `whole` says whether `value` is one value for all outputs. Lists must
 * have one entry per output; objects may only name outputs (a missing one gets `fallback`, or is an error without).
 */
function perOutput<T>(
  field: string,
  value: PerOutput<T>,
  names: readonly string[],
  whole: (v: PerOutput<T>) => v is T,
  fallback?: T,
): T[] {
  const known = names.map((n) => `'${n}'`).join(', ');
  if (whole(value)) return names.map(() => value);
  if (isRecord(value)) {
    const unknown = Object.keys(value).find((k) => !names.includes(k));
    if (unknown !== undefined) {
      throw new ConfigError(
        'compile',
        `\`${field}\` names output '${unknown}', which the model lacks; its outputs: ${known}`,
      );
    }
    return names.map((name) => {
      const entry = Object.hasOwn(value, name) ? value[name] : fallback;
      if (entry === undefined) {
        throw new ConfigError('compile', `\`${field}\` has no entry for output '${name}'; its outputs: ${known}`);
      }
      return entry;
    });
  }
  const list: readonly T[] = Array.isArray(value) ? value : [];
  if (list.length !== names.length) {
    throw new ConfigError(
      'compile',
      `\`${field}\` must hold one entry per output (${names.length}: ${known}), received ${list.length}`,
    );
  }
  return [...list];
}

/** A loss object has `compute`; an object of losses by output name has not. */
const isLoss = (v: PerOutput<LossIdentifier>): v is LossIdentifier =>
  typeof v === 'string' || ('compute' in v && typeof v.compute === 'function');

/** The metric lists of each output; a flat list applies to every output (as Keras 2 does). */
function metricLists(args: CompileArgs, names: readonly string[]): (readonly MetricIdentifier[])[] {
  const metrics = args.metrics ?? [];
  const flat = (v: PerOutput<readonly MetricIdentifier[]>): v is readonly MetricIdentifier[] =>
    Array.isArray(v) && v.every((m) => !Array.isArray(m));
  if (flat(metrics) && names.length > 1) {
    const object = metrics.find((m) => typeof m !== 'string');
    if (object !== undefined) {
      throw new ConfigError(
        'compile',
        `metric object '${object.name}' cannot serve ${names.length} outputs (it holds one output's state); ` +
          'give metrics per output: [[...], [...]] or { outputName: [...] }',
      );
    }
  }
  return perOutput<readonly MetricIdentifier[]>('metrics', metrics, names, flat, []);
}

/** Resolves the compile arguments for a model whose outputs are named `outputNames` (in output order). */
export function resolveCompileArgs(args: CompileArgs, outputNames: readonly string[]): Compiled {
  const losses = perOutput('loss', args.loss, outputNames, isLoss).map((l) => getLoss(l));
  const weights = perOutput<number>(
    'lossWeights',
    args.lossWeights ?? 1,
    outputNames,
    (v): v is number => typeof v === 'number',
    1,
  );
  weights.forEach((w, i) => {
    if (!Number.isFinite(w) || w < 0) {
      throw new ConfigError(
        'compile',
        `\`lossWeights\` of output '${outputNames[i]}' must be a finite non-negative number, received ${w}`,
      );
    }
  });
  const lists = metricLists(args, outputNames);
  const several = outputNames.length > 1;
  const outputs = losses.map((loss, i): CompiledOutput => {
    const name = outputNames[i] ?? '';
    const list = lists[i] ?? [];
    const metrics = list.map((m) => getMetric(m, loss));
    const metricNames = metrics.map((m) => m.name);
    const duplicate = metricNames.find((n, j) => metricNames.indexOf(n) !== j);
    if (duplicate !== undefined) {
      throw new ConfigError(
        'compile',
        `metric '${duplicate}' is listed twice${several ? ` for output '${name}'` : ''}`,
      );
    }
    const batchMetrics = list.flatMap((m) => (typeof m === 'string' ? [getMetric(m, loss)] : []));
    return { name, loss, weight: weights[i] ?? 1, metrics, batchMetrics, prefix: several ? `${name}_` : '' };
  });
  return { optimizer: getOptimizer(args.optimizer), outputs };
}

/** The log names of a compiled model, as Keras orders them: loss, each output's loss, then each output's metrics. */
export function logNames(compiled: Compiled): string[] {
  const names = ['loss'];
  if (compiled.outputs.length > 1) for (const out of compiled.outputs) names.push(`${out.prefix}loss`);
  for (const out of compiled.outputs) for (const metric of out.metrics) names.push(`${out.prefix}${metric.name}`);
  return names;
}
