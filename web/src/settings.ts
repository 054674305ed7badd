/**
 * The playground's settings: one per technique of the brief, their defaults (the brief's model, Keras' optimizer
 * defaults) and how they become a model and an optimizer. Shared by the page (summary) and the worker (training),
 * so both build exactly the same model.
 */
import { briefModel, optimizers, regularizers, type Optimizer, type Sequential } from '../../src/index.js';

export const ACTIVATIONS = ['relu', 'leakyRelu', 'elu', 'selu', 'gelu', 'swish', 'tanh', 'sigmoid'] as const;
export const POOLINGS = ['max', 'average', 'strided'] as const;
export const PADDINGS = ['valid', 'same'] as const;
export const KERNEL_SIZES = [3, 5, 7] as const;
export const BATCH_SIZES = [16, 32, 64, 128, 256] as const;

/** Optimizer names, each with the learning rate the page proposes when it is picked. */
export const OPTIMIZER_DEFAULTS = {
  adam: 0.001,
  sgd: 0.01,
  momentum: 0.01,
  rmsprop: 0.001,
  adamw: 0.001,
  nadam: 0.001,
  adamax: 0.002,
  adagrad: 0.01,
  adadelta: 1,
} as const;
export type OptimizerName = keyof typeof OPTIMIZER_DEFAULTS;
export const OPTIMIZER_NAMES = Object.keys(OPTIMIZER_DEFAULTS).filter(isOptimizerName);

export interface Settings {
  readonly activation: (typeof ACTIVATIONS)[number];
  readonly pooling: (typeof POOLINGS)[number];
  readonly kernelSize: number;
  readonly padding: (typeof PADDINGS)[number];
  readonly batchNorm: boolean;
  /** Dropout rate before the classifier, in [0, 1). */
  readonly dropout: number;
  /** L1 and L2 factors of the kernel regularizer (0 and 0: none). */
  readonly l1: number;
  readonly l2: number;
  readonly optimizer: OptimizerName;
  readonly learningRate: number;
  readonly batchSize: number;
  readonly epochs: number;
  readonly seed: number;
}

export const DEFAULT_SETTINGS: Settings = {
  activation: 'relu',
  pooling: 'max',
  kernelSize: 3,
  padding: 'valid',
  batchNorm: false,
  dropout: 0.5,
  l1: 0,
  l2: 0,
  optimizer: 'adam',
  learningRate: 0.001,
  batchSize: 64,
  epochs: 3,
  seed: 0,
};

export function isOptimizerName(name: string): name is OptimizerName {
  return Object.hasOwn(OPTIMIZER_DEFAULTS, name);
}

/** Checks the numeric settings; returns the first problem as a sentence, or null. */
export function settingsProblem(s: Settings): string | null {
  if (!(s.dropout >= 0 && s.dropout < 1)) return `Dropout rate must be in [0, 1), received ${s.dropout}`;
  if (!(s.l1 >= 0) || !(s.l2 >= 0)) return `L1 and L2 strengths must be ≥ 0, received ${s.l1} and ${s.l2}`;
  if (!(s.learningRate > 0)) return `Learning rate must be positive, received ${s.learningRate}`;
  if (!Number.isInteger(s.batchSize) || s.batchSize <= 0)
    return `Batch size must be a positive integer, received ${s.batchSize}`;
  if (!Number.isInteger(s.epochs) || s.epochs <= 0) return `Epochs must be a positive integer, received ${s.epochs}`;
  if (!Number.isInteger(s.seed) || s.seed < 0) return `Seed must be a non-negative integer, received ${s.seed}`;
  return null;
}

/** The brief's model with these settings; throws (naming the layer) when the shapes do not fit, e.g. 7×7 'valid'. */
export function buildModel(s: Settings): Sequential {
  const regularized = s.l1 > 0 || s.l2 > 0;
  return briefModel({
    activation: s.activation,
    pooling: s.pooling,
    kernelSize: s.kernelSize,
    padding: s.padding,
    batchNorm: s.batchNorm,
    dropout: s.dropout,
    kernelRegularizer: regularized ? regularizers.l1l2({ l1: s.l1, l2: s.l2 }) : null,
    seed: s.seed,
  });
}

export function buildOptimizer(s: Settings): Optimizer {
  const learningRate = s.learningRate;
  switch (s.optimizer) {
    case 'adam':
      return optimizers.adam({ learningRate });
    case 'sgd':
      return optimizers.sgd({ learningRate });
    case 'momentum':
      return optimizers.sgd({ learningRate, momentum: 0.9 });
    case 'rmsprop':
      return optimizers.rmsprop({ learningRate });
    case 'adamw':
      return optimizers.adamw({ learningRate });
    case 'nadam':
      return optimizers.nadam({ learningRate });
    case 'adamax':
      return optimizers.adamax({ learningRate });
    case 'adagrad':
      return optimizers.adagrad({ learningRate });
    case 'adadelta':
      return optimizers.adadelta({ learningRate });
  }
}

/** Compiles the model for the playground: sparse labels, softmax outputs, accuracy. */
export function compileModel(model: Sequential, s: Settings): void {
  model.compile({ optimizer: buildOptimizer(s), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
}

/** One row of the model summary (Keras' table): layer, class, output shape without the batch, parameters. */
export interface SummaryRow {
  readonly name: string;
  readonly type: string;
  readonly shape: string;
  readonly params: number;
}

export interface ModelSummary {
  readonly name: string;
  readonly rows: readonly SummaryRow[];
  readonly total: number;
  readonly trainable: number;
}

/** The model's summary as data, so the page can lay it out as a table that fits a narrow column. */
export function summaryOf(model: Sequential): ModelSummary {
  const rows = model.layers.map((layer, i) => ({
    name: layer.name,
    type: layer.className,
    shape: (model.layerOutputShapes[i] ?? []).slice(1).join('×'),
    params: layer.countParams(),
  }));
  return {
    name: model.name,
    rows,
    total: model.countParams(),
    trainable: model.trainableWeights.reduce((n, w) => n + w.size, 0),
  };
}
