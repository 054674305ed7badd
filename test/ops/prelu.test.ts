import { describe, expect, it } from 'vitest';
import { grads, prelu, ShapeError, tensor, zeros } from '../../src/index.js';
import { gradcheck, randomInput } from '../helpers/gradcheck.js';
import { expectClose, tf, toTf } from '../helpers/tfjs.js';

describe('prelu', () => {
  it('keeps positives and scales negatives by their alpha (hand-computed)', () => {
    const y = prelu(tensor([-2, 3, -4, 0], [2, 2]), tensor([0.5, 0.25], [2]));
    expect(Array.from(y.dataSync())).toEqual([-1, 3, -2, 0]);
  });

  it('passes the gradient checks with alpha per feature and shared over axes', () => {
    const x = randomInput([2, 3, 4, 2], 3);
    const alpha = randomInput([3, 4, 2], 4, 0, 0.5);
    gradcheck(() => prelu(x, alpha), [x, alpha]);
    const shared = randomInput([1, 1, 2], 5, 0, 0.5);
    gradcheck(() => prelu(x, shared), [x, shared]);
  });

  it('matches TensorFlow.js, values and gradients, zeros included', () => {
    const x = randomInput([3, 2, 2, 3], 7, -2, 2);
    x.storage.view().set([0, 0, 0], 0);
    const alpha = randomInput([1, 2, 3], 8, 0, 0.5);
    const y = prelu(x, alpha);
    expectClose(y.dataSync(), tf.prelu(toTf(x), toTf(alpha)).dataSync());
    const dy = randomInput(y.shape, 9);
    const [dx, dAlpha] = grads(y, [x, alpha], dy);
    const [ex, eAlpha] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.prelu(a, b), toTf(dy))))([
      toTf(x),
      toTf(alpha),
    ]);
    expectClose(dx?.dataSync() ?? [], ex?.dataSync() ?? []);
    expectClose(dAlpha?.dataSync() ?? [], eAlpha?.dataSync() ?? []);
  });

  it('rejects an alpha that does not fit x without its batch axis', () => {
    expect(() => prelu(zeros([2, 3, 4]), zeros([4]))).toThrow(ShapeError);
    expect(() => prelu(zeros([2, 3, 4]), zeros([4]))).toThrow(
      'prelu: `alpha` must have shape [3, 4] (x [2, 3, 4] without the batch axis), or 1 on shared axes, received [4]',
    );
  });
});
