import { describe, expect, it } from 'vitest';
import { constraints, Random, tensor, Variable } from '../src/index.js';
import { expectClose, tf, toTf } from './helpers/tfjs.js';

const values = (t: { dataSync(): Float32Array }): number[] => Array.from(t.dataSync());

describe('hand-computed results', () => {
  // Columns of w (axis 0): [3, 4] (norm 5), [0.6, 0.8] (norm 1), [0, −1] (norm 1).
  const w = tensor([
    [3, 0.6, 0],
    [4, 0.8, -1],
  ]);

  it('maxNorm rescales only the columns whose norm exceeds maxValue', () => {
    const out = constraints.maxNorm({ maxValue: 2 }).apply(w);
    // Column 0: [3, 4] · 2/5 = [1.2, 1.6]; the others keep their values (up to the factor 1/(1 + 1e-7)).
    expectClose(values(out), [1.2, 0.6, 0, 1.6, 0.8, -1], 1e-6, 1e-7);
  });

  it('maxNorm over axis 1 and over a list of axes', () => {
    // Rows (axis 1): [3, 0.6, 0] has norm sqrt(9.36) ≈ 3.0594 → scaled by 1/3.0594;
    // [4, 0.8, −1] norm sqrt(17.64) = 4.2.
    const rows = constraints.maxNorm({ maxValue: 1, axis: 1 }).apply(w);
    const n0 = Math.sqrt(9.36);
    expectClose(values(rows), [3 / n0, 0.6 / n0, 0, 4 / 4.2, 0.8 / 4.2, -1 / 4.2], 1e-6, 1e-7);
    // A conv-like [1, 2, 1, 2] kernel with axis [0, 1, 2]: filter 0 = [3, 4] (norm 5), filter 1 = [1, 0] (norm 1).
    const kernel = tensor([3, 1, 4, 0], [1, 2, 1, 2]);
    const filters = constraints.maxNorm({ maxValue: 2.5, axis: [0, 1, 2] }).apply(kernel);
    expectClose(values(filters), [1.5, 1, 2, 0], 1e-6, 1e-7);
  });

  it('nonNeg zeroes the negative weights only', () => {
    expect(values(constraints.nonNeg().apply(tensor([-1, 0, 2, -0.5, 3e-8])))).toEqual([0, 0, 2, 0, Math.fround(3e-8)]);
  });

  it('unitNorm gives every column norm 1 without changing its direction', () => {
    const out = constraints.unitNorm().apply(w);
    expectClose(values(out), [0.6, 0.6, 0, 0.8, 0.8, -1], 1e-6, 1e-7); // [3, 4]/5, [0.6, 0.8]/1, [0, −1]/1
  });

  it('minMaxNorm moves each norm rate of the way into [minValue, maxValue]', () => {
    // Column norms 0.5, 3, 1.5 with bounds [1, 2], rate 0.5: desired 0.5·1 + 0.5·0.5 = 0.75, 0.5·2 + 0.5·3 = 2.5, 1.5.
    const x = tensor([
      [0.3, 0, 1.5],
      [0.4, 3, 0],
    ]);
    const out = constraints.minMaxNorm({ minValue: 1, maxValue: 2, rate: 0.5 }).apply(x);
    expectClose(values(out), [0.3 * 1.5, 0, 1.5, 0.4 * 1.5, 2.5, 0], 1e-6, 1e-7);
    // rate 1 (default) enforces the bounds exactly: norms become 1, 2, 1.5.
    const strict = constraints.minMaxNorm({ minValue: 1, maxValue: 2 }).apply(x);
    expectClose(values(strict), [0.6, 0, 1.5, 0.8, 2, 0], 1e-6, 1e-7);
  });

  it('applied to a variable: a new tensor outside autograd, the variable unchanged', () => {
    const v = new Variable(tensor([[3], [4]]), 'kernel');
    const out = constraints.maxNorm({ maxValue: 1 }).apply(v);
    expect(out.requiresGrad).toBe(false);
    expect(out.gradNode).toBeNull();
    expect(values(v)).toEqual([3, 4]);
    expectClose(values(out), [0.6, 0.8], 1e-6, 1e-7);
  });
});

describe('tfjs 4.22 as oracle', () => {
  it('maxNorm, unitNorm, minMaxNorm and nonNeg match tfjs on random weights, axes 0 and 1', () => {
    const random = new Random(21);
    const w = tensor(
      Float32Array.from({ length: 20 }, () => random.uniform(-2, 2)),
      [4, 5],
    );
    for (const axis of [0, 1]) {
      const pairs = [
        [constraints.maxNorm({ maxValue: 1.5, axis }), tf.constraints.maxNorm({ maxValue: 1.5, axis })],
        [constraints.unitNorm({ axis }), tf.constraints.unitNorm({ axis })],
        [
          constraints.minMaxNorm({ minValue: 1, maxValue: 2.5, rate: 0.7, axis }),
          tf.constraints.minMaxNorm({ minValue: 1, maxValue: 2.5, rate: 0.7, axis }),
        ],
        [constraints.nonNeg(), tf.constraints.nonNeg()],
      ] as const;
      for (const [ours, theirs] of pairs) {
        expectClose(values(ours.apply(w)), theirs.apply(toTf(w)).dataSync(), 1e-5, 1e-6);
      }
    }
  });
});

describe('validation', () => {
  it('rejects bad options and axes, naming the constraint, the option and the value', () => {
    expect(() => constraints.maxNorm({ maxValue: -1 })).toThrow(
      /constraints.maxNorm: `maxValue` must be a non-negative finite number, received -1/,
    );
    expect(() => constraints.minMaxNorm({ minValue: 2, maxValue: 1 })).toThrow(
      /minMaxNorm: `maxValue` must be a finite number ≥ minValue \(2\), received 1/,
    );
    expect(() => constraints.minMaxNorm({ rate: 1.5 })).toThrow(
      /minMaxNorm: `rate` must be a number in \[0, 1\], received 1.5/,
    );
    expect(() => constraints.unitNorm({ axis: 0.5 })).toThrow(
      /unitNorm: `axis` must be an integer or a non-empty list of integers, received 0.5/,
    );
    expect(() => constraints.maxNorm({ axis: 2 }).apply(tensor([[1, 2]]))).toThrow(
      /constraints.maxNorm: axis must be an integer in \[-2, 1\], received 2/,
    );
  });
});

describe('registry and serialization', () => {
  it('finds constraints by tfjs, Keras and class names, with defaults', () => {
    for (const name of ['maxNorm', 'max_norm', 'MaxNorm']) {
      expect(constraints.getConstraint(name).getConfig()).toEqual({ maxValue: 2, axis: 0 });
    }
    expect(constraints.getConstraint('non_neg').className).toBe('NonNeg');
    expect(constraints.getConstraint('UnitNorm').getConfig()).toEqual({ axis: 0 });
    expect(constraints.getConstraint('min_max_norm').getConfig()).toEqual({
      minValue: 0,
      maxValue: 1,
      rate: 1,
      axis: 0,
    });
    const own = constraints.nonNeg();
    expect(constraints.getConstraint(own)).toBe(own);
  });

  it('an unknown name lists the known ones', () => {
    expect(() => constraints.getConstraint('radial')).toThrow(
      /unknown constraint 'radial'; known constraints: maxNorm, nonNeg, unitNorm, minMaxNorm/,
    );
  });

  it('serializes as tfjs does (compared with tfjs 4.22 getClassName/getConfig)', () => {
    const pairs = [
      [constraints.maxNorm({ maxValue: 3, axis: 1 }), tf.constraints.maxNorm({ maxValue: 3, axis: 1 })],
      [constraints.nonNeg(), tf.constraints.nonNeg()],
      [constraints.unitNorm({ axis: 1 }), tf.constraints.unitNorm({ axis: 1 })],
      [
        constraints.minMaxNorm({ minValue: 0.5, maxValue: 4, rate: 0.2, axis: 1 }),
        tf.constraints.minMaxNorm({ minValue: 0.5, maxValue: 4, rate: 0.2, axis: 1 }),
      ],
    ] as const;
    for (const [ours, theirs] of pairs) {
      expect(constraints.serializeConstraint(ours)).toEqual({
        className: theirs.getClassName(),
        config: theirs.getConfig(),
      });
    }
  });

  it('round-trips through serialize → JSON → deserialize, and reads the Keras form', () => {
    for (const c of [
      constraints.maxNorm({ axis: [0, 1, 2] }),
      constraints.nonNeg(),
      constraints.unitNorm({ axis: -1 }),
      constraints.minMaxNorm({ minValue: 0.1, maxValue: 0.9, rate: 0.3 }),
    ]) {
      const serialized = constraints.serializeConstraint(c);
      const json = JSON.parse(JSON.stringify(serialized)) as constraints.SerializedInput;
      expect(constraints.serializeConstraint(constraints.deserializeConstraint(json))).toEqual(serialized);
    }
    const keras = constraints.getConstraint({
      class_name: 'MinMaxNorm',
      config: { min_value: 0.5, max_value: 3, rate: 1, axis: [0, 1, 2] },
    });
    expect(keras.getConfig()).toEqual({ minValue: 0.5, maxValue: 3, rate: 1, axis: [0, 1, 2] });
    expect(() => constraints.getConstraint({ className: 'MaxNorm', config: { axis: 'rows' } })).toThrow(
      /deserializeConstraint 'MaxNorm': `axis` must be an integer or a list of integers, received "rows"/,
    );
  });
});
