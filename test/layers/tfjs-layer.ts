/** Runs a TensorFlow.js layer (the oracle) with a cnnlab layer's weights on the same input. */
import type { Layer, Tensor } from '../../src/index.js';
import { tf, toTf } from '../helpers/tfjs.js';

/** The part of a tfjs layer the oracle uses. */
export interface TfLayer {
  apply(x: tf.Tensor, kwargs?: { training?: boolean }): unknown;
  setWeights(weights: tf.Tensor[]): void;
  getWeights(): tf.Tensor[];
  getConfig(): object;
}

// `instanceof tf.Tensor` narrows to Tensor<any>; this guard narrows to a tensor of any rank.
function isTensor(value: unknown): value is tf.Tensor {
  return value instanceof tf.Tensor;
}

export function asTensor(value: unknown): tf.Tensor {
  if (!isTensor(value)) throw new Error('tfjs returned something other than one concrete tensor');
  return value;
}

/**
 * Builds `tfLayer` on x (an inference call), gives it `ours`'s weights (ours must be built), and returns its output
 * for x in the given mode.
 */
export function runTfLayer(tfLayer: TfLayer, ours: Layer, x: Tensor, training = false): tf.Tensor {
  const input = toTf(x);
  tfLayer.apply(input);
  tfLayer.setWeights(ours.getWeights().map(toTf));
  return asTensor(tfLayer.apply(input, { training }));
}
