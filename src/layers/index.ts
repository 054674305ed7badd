/**
 * Layer factories, named as in TensorFlow.js (`layers.conv2d({ filters: 32, kernelSize: 3 })`), so tfjs code ports
 * by changing the import. Each takes what its class's constructor takes.
 */
import { Activation } from './activation.js';
import { BatchNormalization } from './batch-normalization.js';
import { Conv2D } from './conv2d.js';
import { Dense } from './dense.js';
import { Dropout, SpatialDropout2D } from './dropout.js';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from './global-pooling2d.js';
import { AveragePooling2D, MaxPooling2D } from './pooling2d.js';
import { Flatten } from './flatten.js';
import { InputLayer } from './input.js';
import { Add, Average, Concatenate, Maximum, Minimum, Multiply, Subtract } from './merge.js';
import { Reshape } from './reshape.js';
import { ZeroPadding2D } from './zero-padding2d.js';
import { ELU, LeakyReLU, ReLU, Softmax } from './advanced-activations.js';
import { Conv2DTranspose } from './conv2d-transpose.js';
import { Cropping2D } from './cropping2d.js';
import { DepthwiseConv2D, SeparableConv2D } from './depthwise-conv2d.js';
import { LayerNormalization } from './layer-normalization.js';
import { PReLU } from './prelu.js';
import { Rescaling } from './rescaling.js';
import { UpSampling2D } from './upsampling2d.js';

/** `new cls(args)` as a function (optional arguments stay optional). */
const factory =
  <Args extends unknown[], L>(cls: new (...args: Args) => L) =>
  (...args: Args): L =>
    new cls(...args);

export const inputLayer = factory(InputLayer);
export const dense = factory(Dense);
export const activation = factory(Activation);
export const flatten = factory(Flatten);
export const reshape = factory(Reshape);
export const zeroPadding2d = factory(ZeroPadding2D);
export const conv2d = factory(Conv2D);
export const maxPooling2d = factory(MaxPooling2D);
export const averagePooling2d = factory(AveragePooling2D);
export const globalAveragePooling2d = factory(GlobalAveragePooling2D);
export const globalMaxPooling2d = factory(GlobalMaxPooling2D);
export const batchNormalization = factory(BatchNormalization);
export const dropout = factory(Dropout);
export const spatialDropout2d = factory(SpatialDropout2D);
export const depthwiseConv2d = factory(DepthwiseConv2D);
export const separableConv2d = factory(SeparableConv2D);
export const conv2dTranspose = factory(Conv2DTranspose);
export const upSampling2d = factory(UpSampling2D);
/** Spelled as in TensorFlow.js. */
export const cropping2D = factory(Cropping2D);
export const layerNormalization = factory(LayerNormalization);
export const reLU = factory(ReLU);
export const leakyReLU = factory(LeakyReLU);
export const elu = factory(ELU);
export const prelu = factory(PReLU);
export const softmax = factory(Softmax);
export const rescaling = factory(Rescaling);
export const add = factory(Add);
export const subtract = factory(Subtract);
export const multiply = factory(Multiply);
export const average = factory(Average);
export const maximum = factory(Maximum);
export const minimum = factory(Minimum);
export const concatenate = factory(Concatenate);
