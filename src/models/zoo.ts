/**
 * Built-in architectures. `briefModel` is the reference workload of our brief (the Keras MNIST CNN), with one option
 * per technique the technique lab varies; its defaults are exactly the brief's model. `lenet5` is LeCun et al.'s
 * classic (1998), in its common modern form (ReLU, max pooling).
 */
import type { ActivationIdentifier } from '../activations.js';
import * as initializers from '../initializers.js';
import { BatchNormalization } from '../layers/batch-normalization.js';
import { Conv2D } from '../layers/conv2d.js';
import { Dense } from '../layers/dense.js';
import { SeparableConv2D } from '../layers/depthwise-conv2d.js';
import { Dropout, SpatialDropout2D } from '../layers/dropout.js';
import { Flatten } from '../layers/flatten.js';
import type { Layer } from '../layers/layer.js';
import { AveragePooling2D, MaxPooling2D } from '../layers/pooling2d.js';
import { Activation } from '../layers/activation.js';
import { Sequential } from '../model/sequential.js';
import type { RegularizerIdentifier } from '../regularizers.js';
import { mobilenet } from './mobilenet.js';
import { resnet } from './resnet.js';

export interface BriefModelOptions {
  /** Default [28, 28, 1] (MNIST). */
  readonly inputShape?: readonly [number, number, number];
  /** Default 10. */
  readonly numClasses?: number;
  /** Hidden activation; default 'relu'. */
  readonly activation?: ActivationIdentifier;
  /** Conv kernel size; default 3. */
  readonly kernelSize?: number;
  /** Conv padding; default 'valid'. */
  readonly padding?: 'valid' | 'same';
  /** 'max' (default), 'average', or 'strided' (no pooling layers: the first two convs use stride 2 instead). */
  readonly pooling?: 'max' | 'average' | 'strided';
  /** Pooling window and stride; default 2. */
  readonly poolSize?: number;
  /** Insert BatchNormalization after each conv and the hidden dense layer (before the activation). Default false. */
  readonly batchNorm?: boolean;
  /** Those layers' moving-statistics momentum; default 0.99, as in Keras. */
  readonly batchNormMomentum?: number;
  /** Dropout rate before the classifier; default 0.5. */
  readonly dropout?: number;
  /** SpatialDropout2D rate after each pooling stage; default 0 (none). */
  readonly spatialDropout?: number;
  /** Regularizer on every conv and dense kernel; default none. */
  readonly kernelRegularizer?: RegularizerIdentifier | null;
  /**
   * SeparableConv2D (depthwise, then 1×1) for the second and third convolutions; the first stays a full convolution,
   * as in MobileNet, since a depthwise step over one input channel saves nothing. Default false.
   */
  readonly separable?: boolean;
  /** Seeds the weight initializers (and dropout), so the same options give the same model. */
  readonly seed?: number;
}

/**
 * Conv2D(32, 3×3, relu) → MaxPool 2×2 → Conv2D(64, 3×3, relu) → MaxPool 2×2 → Conv2D(64, 3×3, relu) → Flatten →
 * Dense(64, relu) → Dropout(0.5) → Dense(10, softmax), with the options above changing one thing at a time.
 */
export function briefModel(options: BriefModelOptions = {}): Sequential {
  const activation = options.activation ?? 'relu';
  const kernelSize = options.kernelSize ?? 3;
  const padding = options.padding ?? 'valid';
  const pooling = options.pooling ?? 'max';
  const poolSize = options.poolSize ?? 2;
  const batchNorm = options.batchNorm ?? false;
  const momentum = options.batchNormMomentum ?? 0.99;
  const kernelRegularizer = options.kernelRegularizer ?? null;
  const seed = options.seed ?? 0;
  let seedOffset = 0;
  const init = (): ReturnType<typeof initializers.glorotUniform> =>
    initializers.glorotUniform({ seed: seed * 1000 + seedOffset++ });
  const stack: Layer[] = [];

  // With batch norm the layer before it is linear and the activation follows the normalization.
  const convBlock = (filters: number, strides: number, first: boolean): void => {
    const window = {
      filters,
      kernelSize,
      strides,
      padding,
      activation: batchNorm ? 'linear' : activation,
      useBias: !batchNorm,
    } as const;
    stack.push(
      options.separable === true && !first
        ? new SeparableConv2D({
            ...window,
            depthwiseInitializer: init(),
            // Seeded apart from the other layers' initializers, so the dense layers start as in the full model.
            pointwiseInitializer: initializers.glorotUniform({ seed: seed * 1000 + 500 + seedOffset }),
            depthwiseRegularizer: kernelRegularizer,
            pointwiseRegularizer: kernelRegularizer,
          })
        : new Conv2D({
            ...window,
            kernelInitializer: init(),
            kernelRegularizer,
            ...(first ? { inputShape: options.inputShape ?? [28, 28, 1] } : {}),
          }),
    );
    if (batchNorm) stack.push(new BatchNormalization({ momentum }), new Activation({ activation }));
  };
  const poolStage = (): void => {
    if (pooling === 'max') stack.push(new MaxPooling2D({ poolSize, strides: poolSize }));
    if (pooling === 'average') stack.push(new AveragePooling2D({ poolSize, strides: poolSize }));
    if ((options.spatialDropout ?? 0) > 0)
      stack.push(new SpatialDropout2D({ rate: options.spatialDropout ?? 0, seed: seed + stack.length }));
  };

  const downsample = pooling === 'strided' ? poolSize : 1;
  convBlock(32, downsample, true);
  poolStage();
  convBlock(64, downsample, false);
  poolStage();
  convBlock(64, 1, false);
  stack.push(new Flatten());
  stack.push(
    new Dense({
      units: 64,
      activation: batchNorm ? 'linear' : activation,
      useBias: !batchNorm,
      kernelInitializer: init(),
      kernelRegularizer,
    }),
  );
  if (batchNorm) stack.push(new BatchNormalization({ momentum }), new Activation({ activation }));
  const rate = options.dropout ?? 0.5;
  if (rate > 0) stack.push(new Dropout({ rate, seed: seed + 7919 }));
  stack.push(
    new Dense({ units: options.numClasses ?? 10, activation: 'softmax', kernelInitializer: init(), kernelRegularizer }),
  );
  return new Sequential({ name: 'brief', layers: stack });
}

/** LeNet-5 for 28×28 inputs: Conv(6, 5×5, same) → Pool → Conv(16, 5×5) → Pool → Dense 120 → Dense 84 → Dense 10. */
export function lenet5(
  options: {
    readonly inputShape?: readonly [number, number, number];
    readonly numClasses?: number;
    readonly seed?: number;
  } = {},
): Sequential {
  const seed = options.seed ?? 0;
  let seedOffset = 0;
  const init = (): ReturnType<typeof initializers.glorotUniform> =>
    initializers.glorotUniform({ seed: seed * 1000 + seedOffset++ });
  return new Sequential({
    name: 'lenet5',
    layers: [
      new Conv2D({
        filters: 6,
        kernelSize: 5,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(),
        inputShape: options.inputShape ?? [28, 28, 1],
      }),
      new MaxPooling2D({ poolSize: 2 }),
      new Conv2D({ filters: 16, kernelSize: 5, activation: 'relu', kernelInitializer: init() }),
      new MaxPooling2D({ poolSize: 2 }),
      new Flatten(),
      new Dense({ units: 120, activation: 'relu', kernelInitializer: init() }),
      new Dense({ units: 84, activation: 'relu', kernelInitializer: init() }),
      new Dense({ units: options.numClasses ?? 10, activation: 'softmax', kernelInitializer: init() }),
    ],
  });
}

export const builtInModels = { brief: briefModel, lenet5, resnet, mobilenet } as const;
export type BuiltInModelName = keyof typeof builtInModels;
