/**
 * The training loop: epochs of shuffled mini-batches, each step inside a `tidy` (so memory stays flat without any
 * dispose by hand), validation at each epoch's end, and callbacks around it all.
 */
import { grads } from '../autograd.js';
import { type AugmentOptions, augmentBatch } from '../data/augment.js';
import type { Dataset } from '../data/dataset.js';
import { noGrad, tidy } from '../engine.js';
import { add, mul } from '../ops/arithmetic.js';
import { tensor } from '../ops/creation.js';
import { mean } from '../ops/reduction.js';
import { Random } from '../random.js';
import type { Tensor } from '../tensor.js';
import { type ExamplePair, type Examples, examplePair, gatherRows, gatherValues, range, rowsOf } from './batch.js';
import { type Callback, CallbackList, type Logs, type TrainingControl } from './callbacks/callback.js';
import type { Compiled } from './compile.js';
import { evaluateCompiled } from './evaluate.js';
import type { LayersModel } from './layers-model.js';

export interface FitArgs {
  /** Default 1. */
  readonly epochs?: number;
  /** Default 32. */
  readonly batchSize?: number;
  /** Fraction of the examples held out for validation: the last ones, before shuffling (as Keras). */
  readonly validationSplit?: number;
  /** Validation examples given explicitly, as `[x, y]` tensors or a Dataset; takes precedence over validationSplit. */
  readonly validationData?: readonly [Tensor, Tensor] | Dataset;
  /** Reshuffle the training examples each epoch. Default true. */
  readonly shuffle?: boolean;
  readonly callbacks?: readonly Callback[];
  /** 0: silent. 1: the caller's progress callback reports (fit itself prints nothing). Default 1. */
  readonly verbose?: 0 | 1;
  /** Epoch to start from (for resuming); epochs counts up to `epochs` in total. */
  readonly initialEpoch?: number;
  /** Weight of each class in the loss, by class id (sparse labels) or one-hot column. */
  readonly classWeight?: Readonly<Record<number, number>>;
  /** Seeds shuffling, dropout and augmentation, so the same seed gives the same history. Default 0. */
  readonly seed?: number;
  /**
   * The generator for shuffling, dropout and augmentation, used instead of one seeded by `seed` (give one or the
   * other). fit advances it in place, so its state at an epoch's end (`getState`) resumes the run exactly.
   */
  readonly random?: Random;
  /** Random shifts, rotations and flips of the training images (NHWC), applied to each batch; never to validation. */
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

/**
 * One optimization step on a batch. The reported loss includes the regularization penalties (as Keras reports
 * it); returns the loss and the regularization part.
 */
export function trainStep(
  model: LayersModel,
  compiled: Compiled,
  x: Tensor,
  y: Tensor,
  random: Random,
  classWeight?: Readonly<Record<number, number>>,
): { loss: number; regularization: number } {
  return tidy(() => {
    const activityLosses: Tensor[] = [];
    const yPred = model.apply(x, { training: true, random, losses: activityLosses });
    let perExample = compiled.loss.compute(y, yPred);
    if (classWeight !== undefined) perExample = mul(perExample, classWeights(y, classWeight));
    let total = mean(perExample);
    let penalty = model.regularizationLoss();
    for (const activity of activityLosses) penalty = penalty === null ? activity : add(penalty, activity);
    if (penalty !== null) total = add(total, penalty);
    const trainable = model.trainableWeights;
    const gradients = grads(total, trainable);
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
    for (const metric of compiled.metrics) metric.update(y, yPred);
    for (const metric of compiled.batchMetrics) {
      metric.reset();
      metric.update(y, yPred);
    }
    return { loss: total.dataSync()[0] ?? Number.NaN, regularization: penalty?.dataSync()[0] ?? 0 };
  });
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
  const total = data.x.count;
  const trainCount = args.validationData === undefined ? total - Math.floor(total * split) : total;
  if (trainCount === 0) throw new Error(`fit: no training examples left after validationSplit ${split} of ${total}`);
  let validation: ExamplePair | null = null;
  if (args.validationData !== undefined) {
    validation = examplePair('fit validationData', args.validationData);
  } else if (trainCount < total) {
    validation = { x: rowsOf(data.x, trainCount, total), y: rowsOf(data.y, trainCount, total) };
  }
  const { x, y } = data;

  const random = args.random ?? new Random(args.seed ?? 0);
  const steps = Math.ceil(trainCount / batchSize);
  const metricNames = ['loss', ...compiled.metrics.map((m) => m.name)];
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
    for (const metric of compiled.metrics) metric.reset();
    let lossSum = 0;
    let regularizationSum = 0;
    let seen = 0;
    for (let step = 0; step < steps && !control.stopTraining; step++) {
      const start = step * batchSize;
      const end = Math.min(start + batchSize, trainCount);
      await callbacks.batchBegin(step, { batch: step, size: end - start });
      const xb = inputBatch(x, order, start, end, args.augment, random);
      const yb = gatherRows(y, order, start, end);
      const { loss, regularization } = trainStep(model, compiled, xb, yb, random, args.classWeight);
      xb.dispose();
      yb.dispose();
      lossSum += loss * (end - start);
      regularizationSum += regularization * (end - start);
      seen += end - start;
      // Running means first (as Keras), then the batch's own figures (see Logs).
      const batchLogs: Logs = { batch: step, size: end - start, loss: lossSum / seen };
      for (const metric of compiled.metrics) batchLogs[metric.name] = metric.result();
      batchLogs.batch_loss = loss;
      for (const metric of compiled.batchMetrics) batchLogs[`batch_${metric.name}`] = metric.result();
      await callbacks.batchEnd(step, batchLogs);
      await breathe(clock);
    }
    const logs: Logs = { loss: lossSum / Math.max(seen, 1) };
    for (const metric of compiled.metrics) logs[metric.name] = metric.result();
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
