/** Learning-rate schedules (Keras 3 semantics), with hand-computed expected values. */
import { describe, expect, it } from 'vitest';
import { scalar, tidy, Variable } from '../../src/index.js';
import {
  cosineDecay,
  deserializeSchedule,
  exponentialDecay,
  type LearningRateSchedule,
  piecewiseConstantDecay,
  serializeSchedule,
  sgd,
} from '../../src/optimizers/index.js';
import { expectClose } from '../helpers/tfjs.js';

const at = (schedule: LearningRateSchedule, steps: readonly number[]): number[] => steps.map((s) => schedule(s));

describe('exponentialDecay', () => {
  it('decays continuously, or in stairs', () => {
    // 0.1 · 0.5^(step/10): step 5 → 0.1/√2, step 20 → 0.025; staircase floors the exponent.
    const smooth = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    expectClose(at(smooth, [0, 5, 20]), [0.1, 0.1 / Math.SQRT2, 0.025], 1e-12, 0);
    const stairs = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true });
    expectClose(at(stairs, [5, 9, 10, 19, 20]), [0.1, 0.1, 0.05, 0.05, 0.025], 1e-12, 0);
  });
});

describe('piecewiseConstantDecay', () => {
  it('switches value just after each boundary', () => {
    const schedule = piecewiseConstantDecay({ boundaries: [10, 20], values: [1, 0.5, 0.1] });
    expect(at(schedule, [0, 10, 11, 20, 21, 1000])).toEqual([1, 1, 0.5, 0.5, 0.1, 0.1]);
  });
});

describe('cosineDecay', () => {
  it('follows half a cosine to alpha·initial and stays there', () => {
    // ½(1 + cos(π·s/100)): s = 25 → 0.85355339, 50 → 0.5, 100 → 0, 150 → clamped to s = 100.
    expectClose(
      at(cosineDecay({ initialLearningRate: 1, decaySteps: 100 }), [0, 25, 50, 100, 150]),
      [1, 0.8535533906, 0.5, 0, 0],
      1e-9,
      1e-12,
    );
    // With alpha = 0.1: 0.9·½(1 + cos) + 0.1 → s = 50: 0.55, s = 100: 0.1.
    expectClose(
      at(cosineDecay({ initialLearningRate: 1, decaySteps: 100, alpha: 0.1 }), [50, 100]),
      [0.55, 0.1],
      1e-12,
      0,
    );
  });

  it('warms up linearly to warmupTarget, then decays from it', () => {
    // 0 → 2 over 10 steps (0.2 per step), then 2·½(1 + cos(π(step − 10)/100)).
    const schedule = cosineDecay({ initialLearningRate: 0, decaySteps: 100, warmupTarget: 2, warmupSteps: 10 });
    expectClose(at(schedule, [0, 5, 9, 10, 60, 110, 500]), [0, 1, 1.8, 2, 1, 0, 0], 1e-12, 1e-12);
  });
});

describe('schedules in an optimizer', () => {
  it('are evaluated at iterations before the update (0 for the first), as Keras does', () => {
    // lr 1 for steps 0 and 1 (≤ boundary 1), then 0.1. sgd from 0 with g = 1: −1, −2, −2.1.
    const optimizer = sgd({ learningRate: piecewiseConstantDecay({ boundaries: [1], values: [1, 0.1] }) });
    const w = tidy(() => new Variable(scalar(0), 'w'));
    const values: number[] = [];
    for (let i = 0; i < 3; i++) {
      expect(optimizer.currentLearningRate()).toBe(i < 2 ? 1 : 0.1);
      tidy(() => optimizer.applyGradients([{ variable: w, gradient: scalar(1) }]));
      values.push(w.dataSync()[0] ?? Number.NaN);
    }
    expectClose(values, [-1, -2, -2.1]);
    w.dispose();
  });

  it('a schedule that returns a bad rate fails the step, naming it', () => {
    const bad: LearningRateSchedule = Object.assign((step: number) => 0.1 - step, {
      className: 'Bad',
      getConfig: () => ({}),
    });
    const optimizer = sgd({ learningRate: bad });
    const w = tidy(() => new Variable(scalar(0), 'w'));
    tidy(() => optimizer.applyGradients([{ variable: w, gradient: scalar(1) }]));
    expect(() => optimizer.applyGradients([{ variable: w, gradient: scalar(1) }])).toThrow(
      "sgd: the learning-rate schedule 'Bad' returned -0.9 at step 1; expected a non-negative number",
    );
    w.dispose();
  });
});

describe('schedule configs', () => {
  it('round-trip through serialize / deserialize, also from Keras snake_case', () => {
    const schedule = cosineDecay({
      initialLearningRate: 0.5,
      decaySteps: 40,
      alpha: 0.2,
      warmupTarget: 1,
      warmupSteps: 4,
    });
    expect(schedule.getConfig()).toEqual({
      initialLearningRate: 0.5,
      decaySteps: 40,
      alpha: 0.2,
      warmupTarget: 1,
      warmupSteps: 4,
    });
    const rebuilt = deserializeSchedule(serializeSchedule(schedule));
    expect(at(rebuilt, [0, 2, 4, 30, 100])).toEqual(at(schedule, [0, 2, 4, 30, 100]));
    const keras = deserializeSchedule({
      class_name: 'ExponentialDecay',
      config: {
        initial_learning_rate: 0.1,
        decay_steps: 10,
        decay_rate: 0.5,
        staircase: true,
        name: 'ExponentialDecay',
      },
    });
    expect(at(keras, [9, 10])).toEqual([0.1, 0.05]);
    expect(() => deserializeSchedule({ className: 'Linear', config: {} })).toThrow(
      "deserializeSchedule: unknown schedule 'Linear'; known schedules: ExponentialDecay, PiecewiseConstantDecay, CosineDecay",
    );
  });

  it('reject bad options with clear messages', () => {
    expect(() => exponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.5 })).toThrow(
      'exponentialDecay: `decaySteps` must be a positive number, received 0',
    );
    expect(() => piecewiseConstantDecay({ boundaries: [10, 20], values: [1, 0.5] })).toThrow(
      'piecewiseConstantDecay: `values` must have one more entry than `boundaries`, received 2 values for 2 boundaries',
    );
    expect(() => piecewiseConstantDecay({ boundaries: [10, 10], values: [1, 0.5, 0.1] })).toThrow(
      'piecewiseConstantDecay: `boundaries[1]` must be a number greater than the previous boundary (10), received 10',
    );
    expect(() => cosineDecay({ initialLearningRate: 1, decaySteps: 10, alpha: 2 })).toThrow(
      'cosineDecay: `alpha` must be in [0, 1], received 2',
    );
    expect(() => cosineDecay({ initialLearningRate: 1, decaySteps: 10, warmupSteps: 5 })).toThrow(
      'cosineDecay: `warmupSteps` is 5 but no `warmupTarget` was given',
    );
    expect(() => exponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 })(-1)).toThrow(
      'exponentialDecay: `step` must be a non-negative number, received -1',
    );
  });
});
