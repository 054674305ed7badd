import { describe, expect, it } from 'vitest';
import { concat, grads, maximum, minimum, Random, ShapeError, type Tensor, tensor, zeros } from '../../src/index.js';
import { gradcheck, randomInput } from '../helpers/gradcheck.js';
import { expectClose, tf, toTf } from '../helpers/tfjs.js';

describe('concat values (hand-computed)', () => {
  it('joins along the last axis row by row, and along the first as blocks', () => {
    const a = tensor([1, 2, 3, 4], [2, 2]);
    const b = tensor([5, 6], [2, 1]);
    const y = concat([a, b]);
    expect(y.shape).toEqual([2, 3]);
    expect(Array.from(y.dataSync())).toEqual([1, 2, 5, 3, 4, 6]);
    const z = concat([a, tensor([7, 8], [1, 2])], 0);
    expect(z.shape).toEqual([3, 2]);
    expect(Array.from(z.dataSync())).toEqual([1, 2, 3, 4, 7, 8]);
  });

  it('gives each input its slice of dy', () => {
    const a = randomInput([2, 2], 1);
    const b = randomInput([2, 1], 2);
    const [da, db] = grads(concat([a, b], 1), [a, b], tensor([1, 2, 3, 4, 5, 6], [2, 3]));
    expect(Array.from(da?.dataSync() ?? [])).toEqual([1, 2, 4, 5]);
    expect(Array.from(db?.dataSync() ?? [])).toEqual([3, 6]);
  });
});

describe('concat gradients (gradcheck)', () => {
  [0, 1, 2, -1].forEach((axis, k) => {
    it(`NHWC tensors along axis ${axis}`, () => {
      const sizes = [2, 3, 4, 2];
      const shapeWith = (d: number): number[] => sizes.map((s, i) => (i === (axis + 4) % 4 ? d : s));
      const a = randomInput(shapeWith(1), 10 + k);
      const b = randomInput(shapeWith(3), 20 + k);
      const c = randomInput(shapeWith(2), 30 + k);
      gradcheck(() => concat([a, b, c], axis), [a, b, c]);
    });
  });
});

describe('concat matches TensorFlow.js (randomized shapes)', () => {
  const random = new Random(12);
  for (let k = 0; k < 8; k++) {
    const rank = 1 + random.int(4);
    const axis = random.int(rank);
    const base = Array.from({ length: rank }, () => 1 + random.int(4));
    const count = 1 + random.int(3);
    const shapes = Array.from({ length: count }, () => base.map((d, i) => (i === axis ? 1 + random.int(4) : d)));
    it(`${count} tensors of rank ${rank} along axis ${axis}`, () => {
      const xs = shapes.map((shape, i) => randomInput(shape, 100 * k + i));
      const y = concat(xs, axis);
      const expected = tf.concat(xs.map(toTf), axis);
      expect(y.shape).toEqual(expected.shape);
      expectClose(y.dataSync(), expected.dataSync());
      const dy = randomInput(y.shape, 999 + k);
      const ours = grads(y, xs, dy);
      const theirs = tf.grads((...ts: tf.Tensor[]) => tf.sum(tf.mul(tf.concat(ts, axis), toTf(dy))))(xs.map(toTf));
      ours.forEach((g, i) => expectClose(g.dataSync(), theirs[i]?.dataSync() ?? []));
    });
  }
});

describe('concat rejects bad arguments, naming them', () => {
  it('no tensors, mismatched shapes, a bad axis', () => {
    expect(() => concat([])).toThrow(ShapeError);
    expect(() => concat([])).toThrow('concat: expected at least one tensor, received none');
    expect(() => concat([zeros([2, 3]), zeros([3, 3])], 1)).toThrow(
      "concat: tensor 1 has shape [3, 3], which does not match tensor 0's [2, 3] on every axis but 1",
    );
    expect(() => concat([zeros([2, 3]), zeros([2, 3, 1])])).toThrow(/tensor 1 has shape \[2, 3, 1\]/);
    expect(() => concat([zeros([2, 3])], 2)).toThrow('concat: `axis` must be an integer in [-2, 2), received 2');
  });
});

describe('maximum and minimum gradients match TensorFlow.js, ties included', () => {
  // tfjs sends a tie's gradient to a (maximum: a ≥ b; minimum: a ≤ b), and none to b.
  const a = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
  const b = tensor([3, 2, 1, 4, 0, 7], [2, 3]);
  const cases: [string, (x: Tensor, y: Tensor) => Tensor, (x: tf.Tensor, y: tf.Tensor) => tf.Tensor][] = [
    ['maximum', maximum, tf.maximum],
    ['minimum', minimum, tf.minimum],
  ];
  cases.forEach(([name, ours, theirs]) => {
    it(name, () => {
      const [ta, tb] = [randomInput([2, 3], 1), randomInput([2, 3], 2)].map((t, i) => {
        t.storage.view().set((i === 0 ? a : b).dataSync());
        return t;
      });
      if (ta === undefined || tb === undefined) throw new Error('two inputs expected');
      const dy = tensor([1, 10, 100, 1000, 10000, 100000], [2, 3]);
      const [da, db] = grads(ours(ta, tb), [ta, tb], dy);
      const [ea, eb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(theirs(x, y), toTf(dy))))([
        toTf(a),
        toTf(b),
      ]);
      expect(Array.from(da?.dataSync() ?? [])).toEqual(Array.from(ea?.dataSync() ?? [1]));
      expect(Array.from(db?.dataSync() ?? [])).toEqual(Array.from(eb?.dataSync() ?? [1]));
      // The ties (positions 1 and 3) went to a.
      expect([da?.dataSync()[1], da?.dataSync()[3], db?.dataSync()[1], db?.dataSync()[3]]).toEqual([10, 1000, 0, 0]);
    });
  });

  it('broadcast operands sum their gradients (gradcheck)', () => {
    const x = randomInput([2, 3, 4], 5);
    const y = randomInput([4], 6);
    gradcheck(() => maximum(x, y), [x, y]);
    gradcheck(() => minimum(x, y), [x, y]);
  });
});
