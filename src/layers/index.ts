/**
 * Layer factories, named as in TensorFlow.js (`layers.conv2d({ filters: 32, kernelSize: 3 })`), so tfjs code ports
 * by changing the import.
 */
import { Activation, type ActivationArgs } from './activation.js';
import { Dense, type DenseArgs } from './dense.js';
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
