/** Models for the io tests: one using every registered layer class, with seeded non-trivial weights. */
import { expect } from 'vitest';
import {
  constraints,
  initializers,
  layerClassNames,
  layers,
  Random,
  regularizers,
  type LayersModel,
  type Sequential,
  sequential,
  type Tensor,
  tensor,
} from '../../src/index.js';

/**
 * Every registered layer class in one model: [N, 6, 6, 2] → [N, 4]. `tfjsOnly` leaves out the layers tfjs 4.22
 * lacks (SpatialDropout2D), for models tfjs must load.
 */
export function everyLayerModel(name = 'every_layer', tfjsOnly = false): Sequential {
  const model = sequential({
    name,
    layers: [
      layers.inputLayer({ inputShape: [6, 6, 2], name: 'input' }),
      layers.conv2d({
        filters: 3,
        kernelSize: 3,
        padding: 'same',
        activation: 'hardSigmoid',
        name: 'conv2d',
        kernelInitializer: initializers.varianceScaling({ mode: 'fanAvg', distribution: 'truncatedNormal', seed: 1 }),
        kernelRegularizer: regularizers.l2({ l2: 0.01 }),
        kernelConstraint: constraints.maxNorm({ maxValue: 2 }),
      }),
      layers.batchNormalization({ momentum: 0.9, name: 'batch_normalization' }),
      layers.zeroPadding2d({ padding: 1, name: 'zero_padding2d' }),
      layers.maxPooling2d({ poolSize: 2, name: 'max_pooling2d' }),
      layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same', name: 'average_pooling2d' }),
      layers.spatialDropout2d({ rate: 0.25, seed: 3, name: 'spatial_dropout2d' }),
      layers.dropout({ rate: 0.1, name: 'dropout' }),
      layers.flatten({ name: 'flatten' }),
      layers.reshape({ targetShape: [4, 4, 3], name: 'unflatten' }),
      layers.globalAveragePooling2d({ name: 'global_average_pooling2d' }),
      layers.reshape({ targetShape: [1, 1, 3], name: 'reshape' }),
      layers.globalMaxPooling2d({ name: 'global_max_pooling2d' }),
      layers.dense({ units: 4, activation: 'selu', name: 'dense' }),
      layers.activation({ activation: 'softmax', name: 'activation' }),
    ].filter((layer) => !(tfjsOnly && layer.className === 'SpatialDropout2D')),
  });
  return model;
}

/** Fails when a registered layer class is missing from the model, so new layers join the round-trip tests. */
/** The merge layers take several inputs, so no Sequential holds them; functional models cover them. */
export const MERGE_LAYER_CLASSES = ['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Concatenate'];

/** Every single-input layer class is in the model. */
export function expectEveryLayerClass(model: LayersModel): void {
  const singleInput = layerClassNames.filter((name) => !MERGE_LAYER_CLASSES.includes(name));
  expect(new Set(model.layers.map((l) => l.className))).toEqual(new Set(singleInput));
}

/** Overwrites every weight with seeded values (variances positive), so nothing equals its initializer. */
export function randomizeWeights(model: LayersModel, seed: number): void {
  const random = new Random(seed);
  model.setWeights(
    model.weights.map((v) => {
      const lo = v.name.endsWith('moving_variance') ? 0.5 : -1;
      return tensor(
        Float32Array.from({ length: v.size }, () => random.uniform(lo, 1.5)),
        v.shape,
      );
    }),
  );
}

/** Seeded input values in [-1, 1). */
export function input(shape: readonly number[], seed: number): Tensor {
  const random = new Random(seed);
  return tensor(
    Float32Array.from({ length: shape.reduce((n, d) => n * d, 1) }, () => random.uniform(-1, 1)),
    shape,
  );
}

/** Flat values of each weight. */
export function weightValues(model: LayersModel): Float32Array[] {
  return model.getWeights().map((w) => w.dataSync());
}

/** 'none', or where two lists of weights first differ (a plain toEqual on 60k-value arrays is slow). */
export function firstDifference(a: readonly Float32Array[], b: readonly Float32Array[]): string {
  if (a.length !== b.length) return `${a.length} weights vs ${b.length}`;
  for (const [k, x] of a.entries()) {
    const y = b[k] ?? new Float32Array(0);
    if (x.length !== y.length) return `weight ${k}: ${x.length} values vs ${y.length}`;
    const i = x.findIndex((v, j) => !Object.is(v, y[j]));
    if (i >= 0) return `weight ${k} at ${i}: ${x[i]} vs ${y[i]}`;
  }
  return 'none';
}
