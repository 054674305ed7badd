import { describe, expect, it } from 'vitest';
import { grads, matMul, sum, tensor } from '../../src/index.js';
import { expectClose, tf, toTf } from '../helpers/tfjs.js';
import { randomInput } from '../helpers/gradcheck.js';

describe('TensorFlow.js oracle', () => {
  it('matMul and its gradients match tfjs', () => {
    const a = randomInput([5, 7], 11);
    const b = randomInput([7, 3], 12);
    const y = matMul(a, b);
    const [da, db] = grads(sum(y), [a, b]);
    const expected = tf.matMul(toTf(a), toTf(b));
    const [ea, eb] = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.matMul(x, w)))([toTf(a), toTf(b)]);
    expectClose(y.dataSync(), expected.dataSync());
    expectClose(da?.dataSync() ?? [], ea?.dataSync() ?? []);
    expectClose(db?.dataSync() ?? [], eb?.dataSync() ?? []);
    expect(() => expectClose(tensor([1]).dataSync(), [1.1])).toThrow(/mismatch/);
  });
});
