import { describe, expect, it } from 'vitest';
import { grads, Random, regularizers, type Tensor, tensor } from '../src/index.js';
import { gradcheck } from './helpers/gradcheck.js';
import { expectClose, tf, toTf } from './helpers/tfjs.js';

/** Weights that require gradients, with |w| in [0.2, 1] so |w| is differentiable well beyond ε. */
function weightsAwayFromZero(shape: readonly number[], seed: number): Tensor {
  const random = new Random(seed);
  const size = shape.reduce((n, d) => n * d, 1);
  const w = tensor(
    Float32Array.from({ length: size }, () => (random.next() < 0.5 ? -1 : 1) * random.uniform(0.2, 1)),
    shape,
  );
  w.requiresGrad = true;
  return w;
}

describe('penalty values', () => {
  // w = [[1, −2], [3, −0.5]]: Σ|w| = 6.5, Σw² = 1 + 4 + 9 + 0.25 = 14.25 (hand-computed).
  const w = tensor([
    [1, -2],
    [3, -0.5],
  ]);

  it('l1l2, l1 and l2 give l1·Σ|w| + l2·Σw² (hand-computed), as a scalar', () => {
    const both = regularizers.l1l2({ l1: 0.1, l2: 0.01 }).penalty(w);
    expect(both.shape).toEqual([]);
    expect(both.dataSync()[0]).toBeCloseTo(0.1 * 6.5 + 0.01 * 14.25, 6);
    expect(regularizers.l1().penalty(w).dataSync()[0]).toBeCloseTo(0.01 * 6.5, 7); // default l1 0.01
    expect(regularizers.l2({ l2: 0.5 }).penalty(w).dataSync()[0]).toBeCloseTo(0.5 * 14.25, 5);
    expect(regularizers.l1l2().penalty(w).dataSync()[0]).toBeCloseTo(0.01 * (6.5 + 14.25), 6); // defaults 0.01, 0.01
    expect(regularizers.l1l2({ l1: 0, l2: 0 }).penalty(w).dataSync()[0]).toBe(0);
  });

  it('matches tfjs 4.22 penalties on random weights', () => {
    const weights = weightsAwayFromZero([6, 7], 3);
    for (const [ours, theirs] of [
      [regularizers.l1l2({ l1: 0.03, l2: 0.02 }), tf.regularizers.l1l2({ l1: 0.03, l2: 0.02 })],
      [regularizers.l1({ l1: 0.2 }), tf.regularizers.l1({ l1: 0.2 })],
      [regularizers.l2({ l2: 0.07 }), tf.regularizers.l2({ l2: 0.07 })],
    ] as const) {
      expectClose(ours.penalty(weights).dataSync(), theirs.apply(toTf(weights)).dataSync(), 1e-5, 1e-7);
    }
  });
});

describe('penalty gradients', () => {
  it('gradcheck of l1, l2 and l1l2 with respect to the weights', () => {
    const w = weightsAwayFromZero([3, 4], 5);
    gradcheck(() => regularizers.l1l2({ l1: 0.3, l2: 0.2 }).penalty(w), [w]);
    gradcheck(() => regularizers.l1({ l1: 0.5 }).penalty(w), [w]);
    gradcheck(() => regularizers.l2({ l2: 0.5 }).penalty(w), [w]);
  });

  it('equals l1·sign(w) + 2·l2·w (hand-derived) and tfjs gradient', () => {
    const w = weightsAwayFromZero([2, 5], 8);
    const [dw] = grads(regularizers.l1l2({ l1: 0.1, l2: 0.3 }).penalty(w), [w]);
    const values = w.dataSync();
    const expected = Array.from(values, (v) => 0.1 * Math.sign(v) + 2 * 0.3 * v);
    expectClose(dw?.dataSync() ?? [], expected, 1e-5, 1e-7);
    const reg = tf.regularizers.l1l2({ l1: 0.1, l2: 0.3 });
    expectClose(
      dw?.dataSync() ?? [],
      tf
        .grad((x: tf.Tensor) => reg.apply(x))(toTf(w))
        .dataSync(),
      1e-5,
      1e-7,
    );
  });
});

describe('validation', () => {
  it('rejects negative or non-finite factors, naming the factory and the factor', () => {
    expect(() => regularizers.l1({ l1: -0.1 })).toThrow(
      /regularizers.l1: `l1` must be a non-negative finite number, received -0.1/,
    );
    expect(() => regularizers.l2({ l2: Number.NaN })).toThrow(
      /regularizers.l2: `l2` must be a non-negative finite number, received NaN/,
    );
    expect(() => regularizers.l1l2({ l2: Number.POSITIVE_INFINITY })).toThrow(
      /regularizers.l1l2: `l2`.*received Infinity/,
    );
  });
});

describe('registry and serialization', () => {
  it('finds regularizers by tfjs, Keras and class names, with default factors', () => {
    for (const name of ['l1l2', 'L1L2', 'l1_l2']) {
      expect(regularizers.getRegularizer(name).getConfig()).toEqual({ l1: 0.01, l2: 0.01 });
    }
    expect(regularizers.getRegularizer('l1').getConfig()).toEqual({ l1: 0.01, l2: 0 });
    expect(regularizers.getRegularizer('L2').getConfig()).toEqual({ l1: 0, l2: 0.01 });
    const own = regularizers.l2();
    expect(regularizers.getRegularizer(own)).toBe(own);
  });

  it('an unknown name lists the known ones', () => {
    expect(() => regularizers.getRegularizer('weightDecay')).toThrow(
      /unknown regularizer 'weightDecay'; known regularizers: l1l2, l1, l2/,
    );
  });

  it("serializes as tfjs does ('L1L2' for all three; compared with tfjs 4.22)", () => {
    for (const [ours, theirs] of [
      [regularizers.l1l2({ l1: 0.3, l2: 0.4 }), tf.regularizers.l1l2({ l1: 0.3, l2: 0.4 })],
      [regularizers.l1({ l1: 0.2 }), tf.regularizers.l1({ l1: 0.2 })],
      [regularizers.l2({ l2: 0.1 }), tf.regularizers.l2({ l2: 0.1 })],
    ] as const) {
      expect(regularizers.serializeRegularizer(ours)).toEqual({
        className: theirs.getClassName(),
        config: theirs.getConfig(),
      });
    }
  });

  it('round-trips through serialize → JSON → deserialize, and reads the Keras forms', () => {
    const serialized = regularizers.serializeRegularizer(regularizers.l1l2({ l1: 0.05, l2: 0 }));
    const json = JSON.parse(JSON.stringify(serialized)) as regularizers.SerializedInput;
    expect(regularizers.serializeRegularizer(regularizers.deserializeRegularizer(json))).toEqual(serialized);
    expect(regularizers.getRegularizer({ class_name: 'L2', config: { l2: 0.003 } }).getConfig()).toEqual({
      l1: 0,
      l2: 0.003,
    });
    expect(() => regularizers.getRegularizer({ className: 'L1L2', config: { l1: -1 } })).toThrow(
      /`l1` must be a non-negative/,
    );
  });
});
