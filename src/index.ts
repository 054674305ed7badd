/**
 * cnnlab: the browser-safe public entry. The playground imports only from here; the CLI and the technique lab only from
 * here and cnnlab/node (test/app-imports.test.ts).
 */
import './backend/index.js';

export type { Backend, Conv2DInfo, Pool2DInfo, UnaryOp, BinaryOp } from './backend/backend.js';
export type { Storage } from './backend/storage.js';
export { engine, tidy, keep, noGrad, setBackend, getBackend, memory } from './engine.js';
export { Tensor, Variable, type NestedArray } from './tensor.js';
export { type Shape, sizeOf } from './shape.js';
export { Random } from './random.js';
export type { ConfigDict, ConfigValue } from './serialization.js';
export {
  CnnlabError,
  ConfigError,
  ShapeError,
  FormatError,
  StateError,
  errorMessage,
  prefixed,
  quote,
} from './errors.js';
export { grads } from './autograd.js';
// The differentiable ops; their shape helpers (conv2dInfo, windowGeometry…) stay internal.
export { tensor, scalar, fill, zeros, ones, zerosLike, onesLike, type TensorLike } from './ops/creation.js';
export {
  add,
  sub,
  mul,
  div,
  maximum,
  minimum,
  equal,
  greater,
  unary,
  neg,
  abs,
  sign,
  square,
  sqrt,
  exp,
  log,
  reciprocal,
  clipByValue,
} from './ops/arithmetic.js';
export { sum, mean, max, min } from './ops/reduction.js';
export { reshape, flatten, transpose, pad, slice } from './ops/transform.js';
export { matMul, biasAdd, biasRelu } from './ops/linear.js';
export { conv2d, type Conv2DOptions, type Padding, type Size2D } from './ops/conv.js';
export { maxPool, avgPool, globalAvgPool, globalMaxPool, type Pool2DOptions } from './ops/pool.js';
export {
  relu,
  relu6,
  leakyRelu,
  elu,
  selu,
  sigmoid,
  hardSigmoid,
  tanh,
  softplus,
  softsign,
  swish,
  gelu,
  linear,
  softmax,
  logSoftmax,
} from './ops/activations.js';
export { moments, batchNormTraining, batchNormInference } from './ops/normalization.js';
export { dropout } from './ops/dropout.js';
export { depthwiseConv2d, separableConv2d } from './ops/depthwise.js';
export { conv2dTranspose, type Conv2DTransposeOptions } from './ops/conv-transpose.js';
export { upSampling2d, type Interpolation } from './ops/upsample.js';
export { concat } from './ops/merge.js';
// The op's sides type is public as Cropping2DSides: `Cropping2D` names the layer.
export { cropping2d, type Cropping2D as Cropping2DSides } from './ops/crop.js';
export { layerNorm, type LayerNormOptions } from './ops/layer-norm.js';
export { prelu } from './ops/prelu.js';
export {
  softmaxCrossEntropy,
  sparseSoftmaxCrossEntropy,
  oneHot,
  categoricalCrossentropy,
  binaryCrossentropy,
} from './ops/losses.js';
export * as initializers from './initializers.js';
export * as regularizers from './regularizers.js';
export * as constraints from './constraints.js';
export * as activations from './activations.js';
export * as layers from './layers/index.js';
export { LayerNames, layerNames } from './layers/names.js';
export { Layer, type LayerArgs, type BaseLayerConfig, type CallContext, type SymbolicShape } from './layers/layer.js';
export { Flatten, type FlattenArgs, type FlattenConfig } from './layers/flatten.js';
export { InputLayer, type InputLayerArgs, type InputLayerConfig } from './layers/input.js';
export { Reshape, type ReshapeArgs, type ReshapeConfig } from './layers/reshape.js';
export {
  ZeroPadding2D,
  type ZeroPadding2DArgs,
  type ZeroPadding2DConfig,
  type Padding2D,
} from './layers/zero-padding2d.js';
export { Dense, type DenseArgs, type DenseConfig } from './layers/dense.js';
export { Activation, type ActivationArgs, type ActivationConfig } from './layers/activation.js';
export { Conv2D, type Conv2DArgs, type Conv2DConfig, type DataFormat } from './layers/conv2d.js';
export {
  Pooling2D,
  MaxPooling2D,
  AveragePooling2D,
  type Pooling2DArgs,
  type Pooling2DConfig,
} from './layers/pooling2d.js';
export {
  GlobalPooling2D,
  GlobalAveragePooling2D,
  GlobalMaxPooling2D,
  type GlobalPooling2DArgs,
  type GlobalPooling2DConfig,
} from './layers/global-pooling2d.js';
export {
  BatchNormalization,
  type BatchNormalizationArgs,
  type BatchNormalizationConfig,
} from './layers/batch-normalization.js';
export {
  Dropout,
  SpatialDropout2D,
  type DropoutArgs,
  type DropoutConfig,
  type SpatialDropout2DArgs,
  type SpatialDropout2DConfig,
} from './layers/dropout.js';
export {
  DepthwiseConv2D,
  SeparableConv2D,
  type DepthwiseConv2DArgs,
  type DepthwiseConv2DConfig,
  type SeparableConv2DArgs,
  type SeparableConv2DConfig,
} from './layers/depthwise-conv2d.js';
export { Conv2DTranspose, type Conv2DTransposeArgs, type Conv2DTransposeConfig } from './layers/conv2d-transpose.js';
export { UpSampling2D, type UpSampling2DArgs, type UpSampling2DConfig } from './layers/upsampling2d.js';
export { Cropping2D, type Cropping2DArgs, type Cropping2DConfig } from './layers/cropping2d.js';
export {
  LayerNormalization,
  type LayerNormalizationArgs,
  type LayerNormalizationConfig,
} from './layers/layer-normalization.js';
export {
  ReLU,
  LeakyReLU,
  ELU,
  Softmax,
  type ReLUArgs,
  type ReLUConfig,
  type LeakyReLUArgs,
  type LeakyReLUConfig,
  type ELUArgs,
  type ELUConfig,
  type SoftmaxArgs,
  type SoftmaxConfig,
} from './layers/advanced-activations.js';
export { PReLU, type PReLUArgs, type PReLUConfig } from './layers/prelu.js';
export { Rescaling, type RescalingArgs, type RescalingConfig } from './layers/rescaling.js';
export {
  briefModel,
  lenet5,
  builtInModels,
  builtInModels as models,
  type BriefModelOptions,
  type BuiltInModelName,
} from './models/zoo.js';
export { resnet, type ResNetOptions } from './models/resnet.js';
export { mobilenet, type MobileNetOptions } from './models/mobilenet.js';
export * as data from './data/index.js';
export * as io from './io/index.js';
export { fromMemory, withSaveHandler, type LoadHandler, type ModelArtifacts, type SaveHandler } from './io/index.js';
export { loadLayersModel, modelFromArtifacts, modelFromTopology } from './model/loading.js';
export { estimateParams, type LoadLimits, MAX_PARAMS, ParamBudget } from './model/param-budget.js';
export { modelToArtifacts, modelToTopology, saveModel, type SavableModel, type SaveOptions } from './model/saving.js';
export * as losses from './losses.js';
export * as metrics from './metrics.js';
export { Sequential, type SequentialArgs, type SequentialConfig } from './model/sequential.js';
export { type BatchArgs, LayersModel } from './model/layers-model.js';
export { input, type InputArgs, Model, model, type ModelArgs } from './model/functional.js';
export { SymbolicTensor, type LayerCall } from './layers/symbolic.js';
export {
  MergeLayer,
  Add,
  Subtract,
  Multiply,
  Average,
  Maximum,
  Minimum,
  Concatenate,
  type MergeArgs,
  type MergeConfig,
  type ConcatenateArgs,
  type ConcatenateConfig,
} from './layers/merge.js';
export { type CompileArgs, type LossIdentifier, type MetricIdentifier, type PerOutput } from './model/compile.js';
export { type ModelData } from './model/model-data.js';
export { NestedModel, type NestableModel } from './model/nested.js';
export { type FitArgs, type History } from './model/fit.js';
export {
  type Callback,
  type Logs,
  type TrainingParams,
  type TrainingControl,
  CallbackList,
} from './model/callbacks/callback.js';
export {
  deserializeLayer,
  serializeLayer,
  layerClassNames,
  type LayerClassName,
  type SerializedLayer,
} from './layers/registry.js';
export * as callbacks from './model/callbacks/index.js';
export * as optimizers from './optimizers/index.js';
export type {
  Optimizer,
  GradientPair,
  NamedTensor,
  LearningRateSchedule,
  OptimizerIdentifier,
} from './optimizers/index.js';

import { Sequential, type SequentialArgs } from './model/sequential.js';
/** A Sequential model (tfjs `tf.sequential`). */
export const sequential = (args: SequentialArgs = {}): Sequential => new Sequential(args);
export { setThreads } from './backend/wasm/threads.js';
