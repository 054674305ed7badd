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
