/**
 * TensorFlow.js as an independent oracle: the same computation run by tfjs 4.22 (cpu backend) on the same inputs.
 * Tests compare cnnlab's forward values and gradients to it. Never imported by src/.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '../../src/index.js';

await tf.setBackend('cpu');

export { tf };

/** A tfjs tensor with a cnnlab tensor's values and shape. */
export function toTf(t: Tensor): tf.Tensor {
  return tf.tensor(t.dataSync(), [...t.shape]);
}

/** Asserts two flat arrays agree elementwise within atol + rtol·|expected|; reports the first mismatch. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-4, atol = 1e-5): void {
  if (actual.length !== expected.length) {
    throw new Error(`length mismatch: actual ${actual.length}, expected ${expected.length}`);
  }
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] ?? Number.NaN;
    const e = expected[i] ?? Number.NaN;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      throw new Error(`mismatch at flat index ${i}: actual ${a}, expected ${e} (rtol ${rtol}, atol ${atol})`);
    }
  }
}

/**
 * A filter with zeros inserted between its taps: convolving with it at dilation 1 equals convolving with the original
 * at dilation d. tfjs computes dilated forward passes but refuses their gradients; differentiating this instead gives
 * them.
 */
export function dilateFilter(w: tf.Tensor4D, dilation: readonly [number, number]): tf.Tensor4D {
  let out = w;
  for (const axis of [0, 1] as const) {
    const d = dilation[axis];
    const k = out.shape[axis];
    if (d === 1) continue;
    const stacked = tf.stack([out, ...Array.from({ length: d - 1 }, () => tf.zerosLike(out))], axis + 1);
    const merged: [number, number, number, number] = [...out.shape];
    merged[axis] = k * d;
    const size: [number, number, number, number] = [...merged];
    size[axis] = (k - 1) * d + 1;
    out = tf.slice(tf.reshape<tf.Rank.R4>(stacked, merged), [0, 0, 0, 0], size);
  }
  return out;
}
