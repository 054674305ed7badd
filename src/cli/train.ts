/**
 * `cnnlab train`: fit a model on a dataset, evaluate it on the test split, and write a run folder. With
 * `--checkpoint` the whole training state is saved into `<run>/checkpoint/` after every epoch, and
 * `--resume <run>` continues such a run exactly as if it had never stopped.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  type Callback,
  callbacks,
  ConfigError,
  csvFileLogger,
  finiteWeights,
  makeFolder,
  type data,
  getBackend,
  loadTrainingCheckpoint,
  optimizers,
  progressBar,
  Random,
  readTrainingState,
  saveModel,
  type LayersModel,
  setBackend,
  STATE_JSON,
  trainingCheckpoint,
  type TrainingState,
  writeFileAtomic,
} from '../node/index.js';
import type { BriefFlags } from './brief-flags.js';
import { type DatasetChoice, loadData } from './datasets.js';
import { createModel } from './models.js';
import { notLearning } from './run-checks.js';
import { CHECKPOINT_DIR, newRunDir } from './run-folder.js';
import { savedTrainOptions, trainOptionsJson } from './saved-options.js';

export interface TrainOptions extends DatasetChoice {
  readonly model: string;
  /** The brief model's technique flags (`--activation`, `--batch-norm`, ...); only with `model: 'brief'`. */
  readonly modelOptions?: BriefFlags;
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: string;
  readonly learningRate?: number;
  readonly seed: number;
  readonly validationSplit: number;
  readonly out: string;
  readonly runName?: string;
  /** Replace the files of an existing run folder named by `runName` (refused without it). */
  readonly overwrite?: boolean;
  readonly limit?: number;
  readonly testLimit?: number;
  readonly backend?: string;
  readonly quiet: boolean;
  /** Augment the training images (`--augment`). */
  readonly augment?: data.AugmentOptions;
  /** Save the training state into `<run>/checkpoint/` after every epoch (always on when resuming). */
  readonly checkpoint?: boolean;
}

/** What the CLI compiles every model with. */
const COMPILE = { loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] } as const;

/** What `metrics.json` holds: the measured results of one run. */
export interface RunMetrics {
  readonly model: string;
  readonly modelOptions?: BriefFlags;
  readonly dataset: string;
  readonly backend: string;
  readonly params: number;
  readonly trainExamples: number;
  readonly testExamples: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: string;
  readonly seed: number;
  readonly augment?: data.AugmentOptions;
  readonly testAccuracy: number;
  readonly testLoss: number;
  /** Wall time of each epoch, validation included. */
  readonly epochSeconds: readonly number[];
  /** Training images per second over all epochs (validation excluded is not separable here: epoch time is used). */
  readonly imagesPerSecond: number;
  readonly history: Readonly<Record<string, readonly number[]>>;
}

/** Where training starts: a fresh model, or the last checkpoint of a run being resumed. */
interface Start {
  readonly model: LayersModel;
  readonly random: Random;
  readonly state: TrainingState | null;
  readonly runDir: string | null;
}

async function freshStart(options: TrainOptions, train: data.Dataset): Promise<Start> {
  const [, height = 0, width = 0, channels = 0] = train.xShape;
  const model = await createModel(
    options.model,
    [height, width, channels],
    train.numClasses,
    options.seed,
    options.modelOptions,
  );
  const optimizer = optimizers.getOptimizer(options.optimizer);
  if (options.learningRate !== undefined) optimizer.setLearningRate(options.learningRate);
  model.compile({ optimizer, ...COMPILE });
  return { model, random: new Random(options.seed), state: null, runDir: null };
}

/** history.csv as the CSV logger would have written it for these epochs (so a resumed run's file is the same). */
async function historyCsv(history: TrainingState['history'], epochs: number): Promise<string> {
  let text = '';
  const logger = new callbacks.CsvLogger({
    write: (line) => {
      text += line;
    },
  });
  for (let epoch = 0; epoch < epochs; epoch++) {
    await logger.onEpochEnd(
      epoch,
      Object.fromEntries(
        Object.entries(history).flatMap(([k, v]) => {
          const value = v[epoch];
          return value === undefined ? [] : [[k, value]];
        }),
      ),
    );
  }
  return text;
}

/** The checkpoint's history followed by this fit's. */
function joinHistories(
  before: TrainingState['history'],
  after: Readonly<Record<string, readonly number[]>>,
): Record<string, number[]> {
  const joined: Record<string, number[]> = {};
  for (const [k, v] of [...Object.entries(before), ...Object.entries(after)]) (joined[k] ??= []).push(...v);
  return joined;
}

/** Trains and writes `<out>/<run>/`: the model (model.json + weights.bin), history.csv and metrics.json. */
export async function train(
  options: TrainOptions,
  log: (line: string) => void,
  resume?: { runDir: string; state: TrainingState },
): Promise<{ runDir: string; metrics: RunMetrics }> {
  if (options.backend !== undefined) setBackend(options.backend);
  const loaded = await loadData(options, { train: options.limit, test: options.testLimit });
  const start: Start =
    resume === undefined
      ? await freshStart(options, loaded.train)
      : {
          ...(await loadTrainingCheckpoint(path.join(resume.runDir, CHECKPOINT_DIR), resume.state)),
          runDir: resume.runDir,
        };
  const { model, random, state } = start;
  if (!options.quiet) model.summary(log);
  if (loaded.train.numClasses < 2)
    log(
      `Warning: the dataset has ${loaded.train.numClasses} class; accuracy is 100% by construction and means nothing`,
    );

  const runDir =
    start.runDir ??
    (await newRunDir(
      options.out,
      options.runName,
      options.overwrite === true,
      `${model.name}-${loaded.name.replace(/[^\w-]+/g, '_')}`,
    ));
  await makeFolder('train', runDir);
  const historyPath = path.join(runDir, 'history.csv');
  // The CSV may hold rows of epochs after the checkpoint (a kill between the two writes): rewrite it from the
  // checkpoint.
  if (state !== null) await writeFileAtomic(historyPath, await historyCsv(state.history, state.epochs));
  const nan = callbacks.terminateOnNaN();
  // Weights can overflow to NaN while the (clipped) loss stays finite: stop there too, before anything saves them.
  let divergedAt: number | null = null;
  const weightWatch: Callback = {
    onEpochEnd: (epoch: number): void => {
      if (divergedAt !== null || finiteWeights(model)) return;
      divergedAt = epoch;
      model.stopTraining = true;
    },
  };
  const epochStarts: number[] = [];
  const epochSeconds: number[] = savedEpochSeconds(state);
  const timer = {
    onEpochBegin: (): void => {
      epochStarts.push(performance.now());
    },
    onEpochEnd: (): void => {
      epochSeconds.push((performance.now() - (epochStarts[epochStarts.length - 1] ?? 0)) / 1000);
    },
  };
  const fitCallbacks: Callback[] = [
    nan,
    weightWatch,
    timer,
    csvFileLogger({ path: historyPath, append: state !== null }),
    progressBar({ verbose: options.quiet ? 0 : 1 }),
  ];
  const checkpointing = options.checkpoint === true || state !== null;
  if (checkpointing) {
    const dir = path.join(runDir, CHECKPOINT_DIR);
    fitCallbacks.push(
      trainingCheckpoint({
        dir,
        random,
        compileArgs: COMPILE,
        ...(state === null ? {} : { resumeFrom: state }),
        // --overwrite is about starting the run, not part of it: a resume never replaces another run.
        data: () => ({
          options: trainOptionsJson({ ...options, checkpoint: true, overwrite: undefined }),
          epochSeconds,
        }),
      }),
    );
    if (!options.quiet)
      fitCallbacks.push({
        onEpochEnd: (epoch: number): void => {
          if (nan.terminated === null && divergedAt === null)
            log(`Checkpoint after epoch ${epoch + 1} saved to ${dir}`);
        },
      });
  }
  const initialEpoch = state?.epochs ?? 0;
  log(
    `Training on ${loaded.train.xShape[0]} ${loaded.name} images (${getBackend().name} backend, batch ${options.batchSize}, ${options.epochs} epochs${initialEpoch > 0 ? `, resuming after epoch ${initialEpoch}` : ''})`,
  );
  // The dataset form of fit: batches are gathered from the host arrays, so the set is never copied into the backend.
  const history = await model.fit(loaded.train, {
    epochs: options.epochs,
    batchSize: options.batchSize,
    validationSplit: options.validationSplit,
    random,
    initialEpoch,
    verbose: options.quiet ? 0 : 1,
    callbacks: fitCallbacks,
    augment: options.augment,
  });
  if (nan.terminated !== null || divergedAt !== null) {
    const checkpointDir = path.join(runDir, CHECKPOINT_DIR);
    const saved = checkpointing && (await stat(path.join(checkpointDir, STATE_JSON)).catch(() => null)) !== null;
    const kept = saved ? `; the last good checkpoint is kept in ${checkpointDir}` : '';
    const what =
      nan.terminated === null
        ? `the weights became NaN or infinite at epoch ${(divergedAt ?? 0) + 1}`
        : `the loss became ${nan.terminated.loss} at epoch ${nan.terminated.epoch + 1}, batch ${nan.terminated.batch + 1}`;
    throw new ConfigError('training stopped', `${what}; try a lower --learning-rate${kept}`);
  }

  // At the training batch size: the backend's memory has grown to fit those batches and never shrinks, so larger
  // evaluation batches would grow it again (by ~100 MB at 256 for the brief model on MNIST).
  const results = model.evaluate(loaded.test, { batchSize: options.batchSize });
  await saveModel(model, runDir);
  if (loaded.train.classNames !== undefined)
    await writeFileAtomic(path.join(runDir, 'classes.json'), `${JSON.stringify(loaded.train.classNames)}\n`);
  const trainCount =
    (loaded.train.xShape[0] ?? 0) - Math.floor((loaded.train.xShape[0] ?? 0) * options.validationSplit);
  const allHistory = joinHistories(state?.history ?? {}, history.history);
  const epochsRun = initialEpoch + history.epoch.length;
  const totalSeconds = epochSeconds.reduce((a, b) => a + b, 0);
  const metrics: RunMetrics = {
    model: options.model,
    modelOptions: options.modelOptions,
    dataset: loaded.name,
    backend: getBackend().name,
    params: model.countParams(),
    trainExamples: trainCount,
    testExamples: loaded.test.xShape[0] ?? 0,
    epochs: epochsRun,
    batchSize: options.batchSize,
    optimizer: options.optimizer,
    seed: options.seed,
    augment: options.augment,
    testAccuracy: results.accuracy ?? Number.NaN,
    testLoss: results.loss ?? Number.NaN,
    epochSeconds,
    imagesPerSecond: totalSeconds === 0 ? 0 : (trainCount * epochSeconds.length) / totalSeconds,
    history: allHistory,
  };
  await writeFileAtomic(path.join(runDir, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
  log(
    `Test accuracy ${(metrics.testAccuracy * 100).toFixed(2)}%  loss ${metrics.testLoss.toFixed(4)}  (${metrics.testExamples} test images)`,
  );
  const stuck = notLearning(allHistory, loaded.train.numClasses);
  if (stuck !== null) log(stuck);
  log(`Run saved to ${runDir}`);
  return { runDir, metrics };
}

/** The epoch times a checkpoint kept (in its `data`), so metrics.json covers the whole run. */
function savedEpochSeconds(state: TrainingState | null): number[] {
  const saved = state?.data.epochSeconds;
  return Array.isArray(saved) ? saved.filter((s): s is number => typeof s === 'number') : [];
}

/** What `--resume` may change; every other option comes from the checkpoint. */
export interface ResumeOverrides {
  readonly epochs?: number;
  readonly quiet?: boolean;
  readonly backend?: string;
}

/** `cnnlab train --resume <run>`: continues the run from its last checkpoint, with its saved options. */
export async function resumeTraining(
  runDir: string,
  overrides: ResumeOverrides,
  log: (line: string) => void,
): Promise<{ runDir: string; metrics: RunMetrics }> {
  const dir = path.resolve(runDir);
  const state = await readTrainingState(path.join(dir, CHECKPOINT_DIR));
  const saved = savedTrainOptions(state.data.options, path.join(dir, CHECKPOINT_DIR, STATE_JSON));
  const options: TrainOptions = {
    ...saved,
    checkpoint: true,
    epochs: overrides.epochs ?? saved.epochs,
    quiet: overrides.quiet ?? saved.quiet,
    backend: overrides.backend ?? saved.backend,
  };
  return train(options, log, { runDir: dir, state });
}
