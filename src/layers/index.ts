/**
 * Layer factories, named as in TensorFlow.js (`layers.conv2d({ filters: 32, kernelSize: 3 })`), so tfjs code ports
 * by changing the import.
 */
import { Activation, type ActivationArgs } from './activation.js';
import { BatchNormalization, type BatchNormalizationArgs } from './batch-normalization.js';
import { Conv2D, type Conv2DArgs } from './conv2d.js';
import { Dense, type DenseArgs } from './dense.js';
import { Dropout, type DropoutArgs, SpatialDropout2D, type SpatialDropout2DArgs } from './dropout.js';
import { GlobalAveragePooling2D, GlobalMaxPooling2D, type GlobalPooling2DArgs } from './global-pooling2d.js';
import { AveragePooling2D, MaxPooling2D, type Pooling2DArgs } from './pooling2d.js';
import { Flatten, type FlattenArgs } from './flatten.js';
import { InputLayer, type InputLayerArgs } from './input.js';
import { Reshape, type ReshapeArgs } from './reshape.js';
import { ZeroPadding2D, type ZeroPadding2DArgs } from './zero-padding2d.js';

export const inputLayer = (args: InputLayerArgs): InputLayer => new InputLayer(args);
export const dense = (args: DenseArgs): Dense => new Dense(args);
export const activation = (args: ActivationArgs): Activation => new Activation(args);
export const flatten = (args: FlattenArgs = {}): Flatten => new Flatten(args);
export const reshape = (args: ReshapeArgs): Reshape => new Reshape(args);
export const zeroPadding2d = (args: ZeroPadding2DArgs = {}): ZeroPadding2D => new ZeroPadding2D(args);
export const conv2d = (args: Conv2DArgs): Conv2D => new Conv2D(args);
export const maxPooling2d = (args: Pooling2DArgs = {}): MaxPooling2D => new MaxPooling2D(args);
export const averagePooling2d = (args: Pooling2DArgs = {}): AveragePooling2D => new AveragePooling2D(args);
export const globalAveragePooling2d = (args: GlobalPooling2DArgs = {}): GlobalAveragePooling2D => new GlobalAveragePooling2D(args);
export const globalMaxPooling2d = (args: GlobalPooling2DArgs = {}): GlobalMaxPooling2D => new GlobalMaxPooling2D(args);
export const batchNormalization = (args: BatchNormalizationArgs = {}): BatchNormalization => new BatchNormalization(args);
export const dropout = (args: DropoutArgs): Dropout => new Dropout(args);
export const spatialDropout2d = (args: SpatialDropout2DArgs): SpatialDropout2D => new SpatialDropout2D(args);
