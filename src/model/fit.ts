/**
 * The training loop: epochs of shuffled mini-batches, each step inside a `tidy` (so memory stays flat without any
 * dispose by hand), validation at each epoch's end, and callbacks around it all.
 */
import { grads } from '../autograd.js';
import { type AugmentOptions, augmentBatch } from '../data/augment.js';
import type { Dataset } from '../data/dataset.js';
import { noGrad, tidy } from '../engine.js';
import { ConfigError } from '../errors.js';
import { add, mul } from '../ops/arithmetic.js';
import { tensor } from '../ops/creation.js';
import { mean } from '../ops/reduction.js';
import { Random } from '../random.js';
import type { Tensor } from '../tensor.js';
import { type ExamplePair, type Examples, gatherRows, gatherValues, range, rowsOf } from './batch.js';
import { type Callback, CallbackList, type Logs, type TrainingControl } from './callbacks/callback.js';
import { type Compiled, logNames } from './compile.js';
import { examplePair, type ModelData, type ModelSignature } from './model-data.js';
import { evaluateCompiled } from './evaluate.js';
import type { LayersModel } from './layers-model.js';

export interface FitArgs {
  /** Default 1. */
  readonly epochs?: number;
  /** Default 32. */
  readonly batchSize?: number;
  /** Fraction of the examples held out for validation: the last ones, before shuffling (as Keras). */
  readonly validationSplit?: number;
  /**
   * Validation examples given explicitly, as `[x, y]` (tensors, lists or objects of tensors, as fit's x and y) or a
   * Dataset; takes precedence over validationSplit.
   */
  readonly validationData?: readonly [ModelData, ModelData] | Dataset;
  /** Reshuffle the training examples each epoch. Default true. */
  readonly shuffle?: boolean;
  readonly callbacks?: readonly Callback[];
  /** 0: silent. 1: the caller's progress callback reports (fit itself prints nothing). Default 1. */
  readonly verbose?: 0 | 1;
  /** Epoch to start from (for resuming); epochs counts up to `epochs` in total. */
  readonly initialEpoch?: number;
  /** Weight of each class in the loss, by class id (sparse labels) or one-hot column; models with one output. */
  readonly classWeight?: Readonly<Record<number, number>>;
  /** Seeds shuffling, dropout and augmentation, so the same seed gives the same history. Default 0. */
  readonly seed?: number;
  /**
   * The generator for shuffling, dropout and augmentation, used instead of one seeded by `seed` (give one or the
   * other). fit advances it in place, so its state at an epoch's end (`getState`) resumes the run exactly.
   */
  readonly random?: Random;
  /**
   * Random shifts, rotations and flips of the training images (NHWC), applied to each batch; never to validation.
   * Models with one input.
   */
  readonly augment?: AugmentOptions;
}

/** Per-epoch logs, as tfjs's History: `history.loss[epoch]`, `history.val_accuracy[epoch]`. */
export interface History {
  readonly epoch: number[];
  readonly history: Record<string, number[]>;
}

function checkPositiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`fit: \`${name}\` must be a positive integer, received ${value}`);
  return value;
}

/** Per-example class weights for a batch of labels. */
function classWeights(y: Tensor, weights: Readonly<Record<number, number>>): Tensor {
  const labels = y.dataSync();
  const rows = y.shape[0] ?? 0;
  const k = rows === 0 ? 1 : labels.length / rows;
  const out = new Float32Array(rows);
  for (let n = 0; n < rows; n++) {
    let cls = labels[n * k] ?? 0;
    if (k > 1) for (let j = 1; j < k; j++) if ((labels[n * k + j] ?? 0) > (labels[n * k + cls] ?? 0)) cls = j;
    out[n] = weights[cls] ?? 1;
  }
  return tensor(out, [rows]);
}

/** What one optimization step reports. */
export interface StepResult {
  /** The total: Σ weight · output loss + regularization. */
  readonly loss: number;
  readonly regularization: number;
  /** Each output's own (unweighted) loss, in output order; empty for a model with one output. */
  readonly outputLosses: readonly number[];
}

/**
 * One optimization step on a batch (one tensor per input, one per output). The reported loss includes the
 * regularization penalties (as Keras reports it).
 */
export function trainStep(
  model: LayersModel,
  compiled: Compiled,
  xs: readonly Tensor[],
  ys: readonly Tensor[],
  random: Random,
  classWeight?: Readonly<Record<number, number>>,
): StepResult {
  return tidy(() => {
    const activityLosses: Tensor[] = [];
    const yPreds = model.applyAll(xs, { training: true, random, losses: activityLosses });
    const outputLosses: Tensor[] = [];
    let total: Tensor | null = null;
    compiled.outputs.forEach((out, i) => {
      const y = ys[i];
      const yPred = yPreds[i];
      if (y === undefined || yPred === undefined)
        throw new Error(`fit: no prediction or target for output '${out.name}'`);
      let perExample = out.loss.compute(y, yPred);
      if (classWeight !== undefined) perExample = mul(perExample, classWeights(y, classWeight));
      const outputLoss = mean(perExample);
      outputLosses.push(outputLoss);
      // A weight of 1 is skipped, not multiplied, so a one-output model computes exactly what it always did.
      const weighted = out.weight === 1 ? outputLoss : mul(outputLoss, out.weight);
      total = total === null ? weighted : add(total, weighted);
      for (const metric of out.metrics) metric.update(y, yPred);
      for (const metric of out.batchMetrics) {
        metric.reset();
        metric.update(y, yPred);
      }
    });
    if (total === null) throw new Error('fit: the model has no outputs');
    let penalty = model.regularizationLoss();
    for (const activity of activityLosses) penalty = penalty === null ? activity : add(penalty, activity);
    const loss: Tensor = penalty === null ? total : add(total, penalty);
    const trainable = model.trainableWeights;
    const gradients = grads(loss, trainable);
    noGrad(() => {
      compiled.optimizer.applyGradients(
        trainable.map((variable, i) => {
          const gradient = gradients[i];
          if (gradient === undefined) throw new Error(`fit: no gradient for '${variable.name}'`);
          return { variable, gradient };
        }),
      );
      model.applyConstraints();
    });
    return {
      loss: loss.dataSync()[0] ?? Number.NaN,
      regularization: penalty?.dataSync()[0] ?? 0,
      outputLosses: outputLosses.length > 1 ? outputLosses.map((l) => l.dataSync()[0] ?? Number.NaN) : [],
    };
  });
}

/** The running-mean logs of an epoch so far: loss, each output's loss (several outputs), metrics. */
function runningLogs(compiled: Compiled, lossSum: number, outputSums: readonly number[], seen: number): Logs {
  const logs: Logs = { loss: lossSum / Math.max(seen, 1) };
  compiled.outputs.forEach((out, i) => {
    if (compiled.outputs.length > 1) logs[`${out.prefix}loss`] = (outputSums[i] ?? 0) / Math.max(seen, 1);
  });
  for (const out of compiled.outputs)
    for (const metric of out.metrics) logs[`${out.prefix}${metric.name}`] = metric.result();
  return logs;
}

/** Rows `order[start..end)` of x as a batch tensor, augmented on the host first when `augment` is given. */
function inputBatch(
  x: Examples,
  order: Uint32Array,
  start: number,
  end: number,
  augment: AugmentOptions | undefined,
  random: Random,
): Tensor {
  if (augment === undefined) return gatherRows(x, order, start, end);
  const xShape = [end - start, ...x.rowShape];
  const out = augmentBatch({ x: gatherValues(x, order, start, end), xShape, y: new Float32Array(0) }, augment, {
    training: true,
    random,
  });
  return tensor(out.x, out.xShape);
}

/** Lets the host run (UI, progress output, signals) between batches without slowing a fast loop. */
async function breathe(state: { last: number }): Promise<void> {
  const now = performance.now();
  if (now - state.last < 50) return;
  state.last = now;
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
}

/**
 * Trains on `data` (checked by the caller: `tensorExamples` or `datasetExamples`); the tensor and the dataset forms of
 * fit run this same loop, so the same seed draws the same batches from either.
 */
export async function fitCompiled(
  model: LayersModel,
  signature: ModelSignature,
  control: TrainingControl,
  compiled: Compiled,
  data: ExamplePair,
  args: FitArgs,
): Promise<History> {
  const epochs = checkPositiveInteger('epochs', args.epochs ?? 1);
  const batchSize = checkPositiveInteger('batchSize', args.batchSize ?? 32);
  const initialEpoch = args.initialEpoch ?? 0;
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0)
    throw new Error(`fit: \`initialEpoch\` must be a non-negative integer, received ${initialEpoch}`);
  if (args.random !== undefined && args.seed !== undefined) throw new Error('fit: give `seed` or `random`, not both');
  const split = args.validationSplit ?? 0;
  if (!(split >= 0 && split < 1)) throw new Error(`fit: \`validationSplit\` must be in [0, 1), received ${split}`);

  // Keras holds out the last examples, before any shuffling; they are read in place, not copied.
  if (args.augment !== undefined && data.xs.length !== 1) {
    throw new ConfigError('fit', `\`augment\` needs a model with one input, received ${data.xs.length} inputs`);
  }
  if (args.classWeight !== undefined && compiled.outputs.length !== 1) {
    throw new ConfigError(
      'fit',
      `\`classWeight\` needs a model with one output, received ${compiled.outputs.length} outputs`,
    );
  }
  const total = data.xs[0]?.count ?? 0;
  const trainCount = args.validationData === undefined ? total - Math.floor(total * split) : total;
  if (trainCount === 0) throw new Error(`fit: no training examples left after validationSplit ${split} of ${total}`);
  let validation: ExamplePair | null = null;
  if (args.validationData !== undefined) {
    validation = examplePair('fit validationData', signature, args.validationData);
  } else if (trainCount < total) {
    const held = (ex: Examples): Examples => rowsOf(ex, trainCount, total);
    validation = { xs: data.xs.map(held), ys: data.ys.map(held) };
  }

  const random = args.random ?? new Random(args.seed ?? 0);
  const steps = Math.ceil(trainCount / batchSize);
  const metricNames = logNames(compiled);
  const callbacks = new CallbackList(args.callbacks ?? []);
  callbacks.init(
    {
      epochs,
      initialEpoch,
      batchSize,
      samples: trainCount,
      steps,
      verbose: args.verbose ?? 1,
      metrics: validation === null ? metricNames : [...metricNames, ...metricNames.map((n) => `val_${n}`)],
    },
    control,
  );

  const history: History = { epoch: [], history: {} };
  const clock = { last: performance.now() };
  control.stopTraining = false;
  await callbacks.trainBegin({});
  for (let epoch = initialEpoch; epoch < epochs && !control.stopTraining; epoch++) {
    await callbacks.epochBegin(epoch, {});
    const order = range(trainCount);
    if (args.shuffle ?? true) {
      for (let i = trainCount - 1; i > 0; i--) {
        const j = random.int(i + 1);
        const t = order[i] ?? 0;
        order[i] = order[j] ?? 0;
        order[j] = t;
      }
    }
    for (const out of compiled.outputs) for (const metric of out.metrics) metric.reset();
    const outputSums = compiled.outputs.map(() => 0);
    let lossSum = 0;
    let regularizationSum = 0;
    let seen = 0;
    for (let step = 0; step < steps && !control.stopTraining; step++) {
      const start = step * batchSize;
      const end = Math.min(start + batchSize, trainCount);
      await callbacks.batchBegin(step, { batch: step, size: end - start });
      const xb = data.xs.map((x) => inputBatch(x, order, start, end, args.augment, random));
      const yb = data.ys.map((y) => gatherRows(y, order, start, end));
      const { loss, regularization, outputLosses } = trainStep(model, compiled, xb, yb, random, args.classWeight);
      for (const t of [...xb, ...yb]) t.dispose();
      lossSum += loss * (end - start);
      outputLosses.forEach((l, i) => (outputSums[i] = (outputSums[i] ?? 0) + l * (end - start)));
      regularizationSum += regularization * (end - start);
      seen += end - start;
      // Running means first (as Keras), then the batch's own figures (see Logs).
      const batchLogs: Logs = { batch: step, size: end - start, ...runningLogs(compiled, lossSum, outputSums, seen) };
      batchLogs.batch_loss = loss;
      for (const out of compiled.outputs) {
        for (const metric of out.batchMetrics) batchLogs[`batch_${out.prefix}${metric.name}`] = metric.result();
      }
      await callbacks.batchEnd(step, batchLogs);
      await breathe(clock);
    }
    const logs: Logs = runningLogs(compiled, lossSum, outputSums, seen);
    if (regularizationSum !== 0) logs.regularization_loss = regularizationSum / Math.max(seen, 1);
    if (validation !== null) {
      const results = evaluateCompiled(model, compiled, validation, batchSize);
      for (const [name, value] of Object.entries(results)) logs[`val_${name}`] = value;
    }
    // Callbacks run first so what they add to the logs ('lr') reaches the history, as Keras' History runs last.
    await callbacks.epochEnd(epoch, logs);
    history.epoch.push(epoch);
    for (const [name, value] of Object.entries(logs)) (history.history[name] ??= []).push(value);
  }
  await callbacks.trainEnd({});
  return history;
}
