/** `cnnlab train`: fit a model on a dataset, evaluate it on the test split, and write a run folder. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Dataset } from '../data/dataset.js';
import { setBackend, getBackend } from '../engine.js';
import * as initializers from '../initializers.js';
import { terminateOnNaN } from '../model/callbacks/index.js';
import type { Sequential } from '../model/sequential.js';
import { tensor } from '../ops/creation.js';
import { getOptimizer } from '../optimizers/index.js';
import { csvFileLogger } from '../node/csv-file-logger.js';
import { saveModel } from '../node/io/index.js';
import { progressBar } from '../node/progress.js';
import type { Tensor } from '../tensor.js';
import { type DatasetChoice, loadData } from './datasets.js';
import { createModel } from './models.js';

export interface TrainOptions extends DatasetChoice {
  readonly model: string;
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: string;
  readonly learningRate?: number;
  readonly seed: number;
  readonly validationSplit: number;
  readonly out: string;
  readonly runName?: string;
  readonly limit?: number;
  readonly testLimit?: number;
  readonly backend?: string;
  readonly quiet: boolean;
}

/** What `metrics.json` holds: the measured results of one run. */
export interface RunMetrics {
  readonly model: string;
  readonly dataset: string;
  readonly backend: string;
  readonly params: number;
  readonly trainExamples: number;
  readonly testExamples: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: string;
  readonly seed: number;
  readonly testAccuracy: number;
  readonly testLoss: number;
  /** Wall time of each epoch, validation included. */
  readonly epochSeconds: readonly number[];
  /** Training images per second over all epochs (validation excluded is not separable here: epoch time is used). */
  readonly imagesPerSecond: number;
  readonly history: Readonly<Record<string, readonly number[]>>;
}

const asTensors = (ds: Dataset): [Tensor, Tensor] => [tensor(ds.x, ds.xShape), tensor(ds.y, [ds.y.length])];

function timestamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-').replace('T', '_').slice(0, 19);
}

/** Trains and writes `<out>/<run>/`: the model (model.json + weights.bin), history.csv and metrics.json. */
export async function train(options: TrainOptions, log: (line: string) => void): Promise<{ runDir: string; metrics: RunMetrics }> {
  if (options.backend !== undefined) setBackend(options.backend);
  const data = await loadData(options, { train: options.limit, test: options.testLimit });
  const [, height = 0, width = 0, channels = 0] = data.train.xShape;
  // Unseeded initializers (in user model files) draw from this, so --seed repeats a whole run.
  initializers.setDefaultSeed(options.seed);
  const model: Sequential = await createModel(options.model, [height, width, channels], data.train.numClasses, options.seed);
  const optimizer = getOptimizer(options.optimizer);
  if (options.learningRate !== undefined) optimizer.setLearningRate(options.learningRate);
  model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  if (!options.quiet) model.summary(log);

  const runDir = path.resolve(options.out, options.runName ?? `${model.name}-${data.name.replace(/[^\w-]+/g, '_')}-${timestamp()}`);
  await mkdir(runDir, { recursive: true });
  const [x, y] = asTensors(data.train);
  const nan = terminateOnNaN();
  const epochStarts: number[] = [];
  const epochSeconds: number[] = [];
  const timer = {
    onEpochBegin: (): void => { epochStarts.push(performance.now()); },
    onEpochEnd: (): void => { epochSeconds.push((performance.now() - (epochStarts[epochStarts.length - 1] ?? 0)) / 1000); },
  };
  log(`Training on ${data.train.xShape[0]} ${data.name} images (${getBackend().name} backend, batch ${options.batchSize}, ${options.epochs} epochs)`);
  const history = await model.fit(x, y, {
    epochs: options.epochs, batchSize: options.batchSize, validationSplit: options.validationSplit, seed: options.seed,
    verbose: options.quiet ? 0 : 1,
    callbacks: [nan, timer, csvFileLogger({ path: path.join(runDir, 'history.csv') }), progressBar({ verbose: options.quiet ? 0 : 1 })],
  });
  x.dispose();
  y.dispose();
  if (nan.terminated !== null) {
    throw new Error(`training stopped: the loss became ${nan.terminated.loss} at epoch ${nan.terminated.epoch + 1}, batch ${nan.terminated.batch + 1}; try a lower --learning-rate`);
  }

  const [xTest, yTest] = asTensors(data.test);
  const results = model.evaluate(xTest, yTest, { batchSize: 256 });
  xTest.dispose();
  yTest.dispose();
  await saveModel(model, runDir);
  if (data.train.classNames !== undefined) await writeFile(path.join(runDir, 'classes.json'), `${JSON.stringify(data.train.classNames)}\n`);
  const trainCount = (data.train.xShape[0] ?? 0) - Math.floor((data.train.xShape[0] ?? 0) * options.validationSplit);
  const totalSeconds = epochSeconds.reduce((a, b) => a + b, 0);
  const metrics: RunMetrics = {
    model: options.model, dataset: data.name, backend: getBackend().name, params: model.countParams(),
    trainExamples: trainCount, testExamples: data.test.xShape[0] ?? 0, epochs: history.epoch.length,
    batchSize: options.batchSize, optimizer: options.optimizer, seed: options.seed,
    testAccuracy: results.accuracy ?? Number.NaN, testLoss: results.loss ?? Number.NaN, epochSeconds,
    imagesPerSecond: totalSeconds === 0 ? 0 : (trainCount * history.epoch.length) / totalSeconds,
    history: history.history,
  };
  await writeFile(path.join(runDir, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
  log(`Test accuracy ${(metrics.testAccuracy * 100).toFixed(2)}%  loss ${metrics.testLoss.toFixed(4)}  (${metrics.testExamples} test images)`);
  log(`Run saved to ${runDir}`);
  return { runDir, metrics };
}
