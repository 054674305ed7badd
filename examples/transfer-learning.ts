/**
 * Transfer learning, MNIST → Fashion-MNIST: a CNN trained on handwritten digits is reused for pictures of clothes.
 * Its convolutional layers are frozen (the stroke and edge detectors learned on digits stay as they are), the digit
 * classifier — the last Dense layer — is replaced by a new one for the 10 clothing classes, and the layers left
 * trainable (the hidden Dense layer and the new head) are fine-tuned on Fashion-MNIST.
 *
 * Run it (Node has no TypeScript runner here, so compile it first):
 *   npx tsc -p examples && node node_modules/.cache/cnnlab-examples/examples/transfer-learning.js [MNIST_RUN]
 * MNIST_RUN: a run folder of `npx cnnlab train --dataset mnist`; without it a base model is trained for one epoch.
 */
import { fileURLToPath } from 'node:url';
import {
  briefModel,
  ConfigError,
  data,
  Dense,
  type History,
  type LayersModel,
  optimizers,
  Sequential,
  sequential,
  tensor,
  type Callback,
} from '../src/index.js';
import { loadFashionMnist, loadLayersModel, loadMnist, progressBar, saveModel } from '../src/node/index.js';

/** The layer classes whose weights stay as the base model learned them. */
const FROZEN_CLASSES: readonly string[] = ['Conv2D'];

/**
 * A new model made of the base model's layers (the same layer objects: their weights are shared, not copied) with
 * the Conv2D layers frozen and the last layer replaced by a softmax Dense layer of `numClasses` units.
 */
export function replaceHead(base: LayersModel, numClasses: number): Sequential {
  // Cutting the last layer off is meaningful for a stack of layers only.
  if (!(base instanceof Sequential))
    throw new ConfigError('replaceHead', `the base model must be a Sequential, received ${base.name}`);
  const kept = base.layers.slice(0, -1);
  for (const layer of kept) if (FROZEN_CLASSES.includes(layer.className)) layer.trainable = false;
  const head = new Dense({ units: numClasses, activation: 'softmax', name: 'new_head' });
  return sequential({ name: `${base.name}_transfer`, layers: [...kept, head] });
}

export interface FineTuneOptions {
  /** Default 1. */
  readonly epochs?: number;
  /** Default 64. */
  readonly batchSize?: number;
  /** Adam's learning rate. Default 0.001. */
  readonly learningRate?: number;
  /** Seeds shuffling and dropout. Default 0. */
  readonly seed?: number;
  readonly callbacks?: readonly Callback[];
}

/** Compiles the model with Adam (only its trainable weights change) and fits it on a dataset. */
export async function fineTune(
  model: LayersModel,
  dataset: data.Dataset,
  options: FineTuneOptions = {},
): Promise<History> {
  model.compile({
    optimizer: optimizers.adam({ learningRate: options.learningRate ?? 1e-3 }),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  const x = tensor(dataset.x, dataset.xShape);
  const y = tensor(dataset.y, [dataset.y.length]);
  try {
    return await model.fit(x, y, {
      epochs: options.epochs ?? 1,
      batchSize: options.batchSize ?? 64,
      seed: options.seed ?? 0,
      callbacks: options.callbacks ?? [],
    });
  } finally {
    x.dispose();
    y.dispose();
  }
}

/** Test accuracy of a compiled model on a dataset. */
function accuracy(model: LayersModel, dataset: data.Dataset): number {
  const x = tensor(dataset.x, dataset.xShape);
  const y = tensor(dataset.y, [dataset.y.length]);
  const results = model.evaluate(x, y, { batchSize: 256 });
  x.dispose();
  y.dispose();
  return results.accuracy ?? Number.NaN;
}

/** The brief's CNN trained on 10,000 MNIST digits for one epoch, saved to runs/mnist-base. */
async function trainBase(): Promise<Sequential> {
  const model = briefModel({ seed: 0 });
  await fineTune(model, data.take(await loadMnist({ split: 'train' }), 10_000), { callbacks: [progressBar()] });
  await saveModel(model, 'runs/mnist-base');
  console.log('Base model trained on MNIST and saved to runs/mnist-base');
  return model;
}

async function main(): Promise<void> {
  const base = process.argv[2] === undefined ? await trainBase() : await loadLayersModel(process.argv[2]);
  const model = replaceHead(base, 10);
  model.summary();
  const train = data.take(await loadFashionMnist({ split: 'train' }), 10_000);
  const test = await loadFashionMnist({ split: 'test' });
  await fineTune(model, train, { epochs: 2, callbacks: [progressBar()] });
  console.log(`Fashion-MNIST test accuracy after fine-tuning: ${(accuracy(model, test) * 100).toFixed(2)}%`);
  await saveModel(model, 'runs/fashion-transfer');
  console.log('Saved to runs/fashion-transfer');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
