/** Runs a TensorFlow.js layer (the oracle) with a cnnlab layer's weights on the same input. */
import { expect } from 'vitest';
import { grads, type Layer, type Tensor } from '../../src/index.js';
import { randomInput } from '../helpers/gradcheck.js';
import { expectClose, tf, toTf } from '../helpers/tfjs.js';

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

/** A tfjs layer whose trainable weights the gradient oracle differentiates. */
export interface TfTrainableLayer extends TfLayer {
  readonly trainableWeights: readonly { read(): tf.Tensor }[];
}

/**
 * The oracle for a layer: `tfLayer` given `ours`'s weights (ours must be built) computes the same output for x, and
 * the same gradients of Σ y·probe (a seeded random probe) with respect to x and to each trainable weight, in order.
 */
export function expectSameAsTfjs(
  tfLayer: TfTrainableLayer,
  ours: Layer,
  x: Tensor,
  tolerance: { rtol?: number; atol?: number } = {},
): void {
  const { rtol = 1e-4, atol = 1e-5 } = tolerance;
  const y = ours.apply(x);
  const expected = runTfLayer(tfLayer, ours, x);
  expect(y.shape).toEqual(expected.shape);
  expectClose(y.dataSync(), expected.dataSync(), rtol, atol);

  const probe = randomInput(y.shape, 99);
  const wrt = [x, ...ours.trainableWeights];
  const ourGrads = grads(y, wrt, probe).map((g) => g.dataSync());
  const p = toTf(probe);
  const loss = (input: tf.Tensor): tf.Scalar => tf.sum(tf.mul(asTensor(tfLayer.apply(input)), p));
  const input = toTf(x);
  const variables = tfLayer.trainableWeights.map((w) => {
    const v = w.read(); // a LayerVariable reads as its tf.Variable
    if (!(v instanceof tf.Variable)) throw new Error('tfjs weight is not a variable');
    return v;
  });
  const byName = variables.length === 0 ? {} : tf.variableGrads(() => loss(input), variables).grads;
  const theirs = [tf.grad(loss)(input), ...variables.map((v) => byName[v.name])];
  expect(theirs.length).toBe(wrt.length);
  theirs.forEach((g, i) => {
    if (g === undefined) throw new Error(`tfjs gave no gradient for weight ${i - 1}`);
    expectClose(ourGrads[i] ?? [], g.dataSync(), rtol, atol);
  });
}
