/** The optimizer base: option checks, the registry, configs, saved state, input checks and memory. */
import { describe, expect, it } from 'vitest';
import { memory, Random, tensor, tidy, Variable } from '../../src/index.js';
import {
  Adam,
  adadelta,
  adagrad,
  adam,
  adamax,
  adamw,
  deserializeOptimizer,
  exponentialDecay,
  getOptimizer,
  nadam,
  type Optimizer,
  RMSProp,
  rmsprop,
  SGD,
  serializeOptimizer,
  sgd,
} from '../../src/optimizers/index.js';
import type { SerializedInput } from '../../src/serialization.js';
import { signedValues } from './trajectory.js';

describe('option checks', () => {
  const cases: [() => unknown, string][] = [
    [() => adam({ beta1: 1.5 }), 'adam: `beta1` must be in [0, 1), received 1.5'],
    [() => adam({ beta2: 1 }), 'adam: `beta2` must be in [0, 1), received 1'],
    [
      () => adam({ learningRate: -1 }),
      'adam: `learningRate` must be a non-negative number or a LearningRateSchedule, received -1',
    ],
    [() => adamw({ weightDecay: -0.1 }), 'adamw: `weightDecay` must be a non-negative number, received -0.1'],
    [() => sgd({ momentum: 1.2 }), 'sgd: `momentum` must be in [0, 1], received 1.2'],
    [() => rmsprop({ epsilon: 0 }), 'rmsprop: `epsilon` must be a positive number, received 0'],
    [() => rmsprop({ rho: Number.NaN }), 'rmsprop: `rho` must be in [0, 1], received NaN'],
    [
      () => adagrad({ initialAccumulatorValue: -1 }),
      'adagrad: `initialAccumulatorValue` must be a non-negative number, received -1',
    ],
    [() => adadelta({ rho: 2 }), 'adadelta: `rho` must be in [0, 1], received 2'],
    [() => adamax({ beta1: -0.1 }), 'adamax: `beta1` must be in [0, 1), received -0.1'],
    [() => nadam({ beta2: 1.1 }), 'nadam: `beta2` must be in [0, 1), received 1.1'],
  ];
  for (const [make, message] of cases) it(message, () => expect(make).toThrow(message));

  it('setLearningRate checks its value and replaces the rate', () => {
    const optimizer = sgd({ learningRate: 0.5 });
    expect(() => optimizer.setLearningRate(-2)).toThrow(
      'sgd.setLearningRate: `learningRate` must be a non-negative number or a LearningRateSchedule, received -2',
    );
    optimizer.setLearningRate(0.25);
    expect(optimizer.currentLearningRate()).toBe(0.25);
  });
});

describe('registry', () => {
  it('finds optimizers by name in any case, with their defaults', () => {
    const found = getOptimizer('Adam');
    expect(found).toBeInstanceOf(Adam);
    expect(found.getConfig()).toEqual({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false });
    expect(getOptimizer('RMSPROP')).toBeInstanceOf(RMSProp);
    for (const name of ['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad', 'adadelta', 'adamax', 'nadam']) {
      expect(getOptimizer(name).className.toLowerCase()).toBe(name);
    }
  });

  it('returns an optimizer as is, and lists the known names for an unknown one', () => {
    const optimizer = sgd();
    expect(getOptimizer(optimizer)).toBe(optimizer);
    expect(() => getOptimizer('adamm')).toThrow(
      "getOptimizer: unknown optimizer 'adamm'; known optimizers: sgd, adam, adamw, rmsprop, adagrad, adadelta, adamax, nadam",
    );
  });

  it('rebuilds an optimizer from its config, schedule included', () => {
    const original = adamw({
      learningRate: exponentialDecay({ initialLearningRate: 0.1, decaySteps: 5, decayRate: 0.5 }),
      beta1: 0.8,
      weightDecay: 0.01,
      amsgrad: true,
      globalClipNorm: 3,
    });
    const serialized = serializeOptimizer(original);
    const rebuilt = deserializeOptimizer(JSON.parse(JSON.stringify(serialized)) as SerializedInput);
    expect(rebuilt.className).toBe('AdamW');
    expect(rebuilt.getConfig()).toEqual(original.getConfig());
    expect(serialized.config.learningRate).toEqual({
      className: 'ExponentialDecay',
      config: { initialLearningRate: 0.1, decaySteps: 5, decayRate: 0.5, staircase: false },
    });
  });

  it('reads Keras configs (snake_case keys, clipnorm, extra keys ignored)', () => {
    const optimizer = getOptimizer({
      class_name: 'SGD',
      config: { name: 'SGD', learning_rate: 0.1, momentum: 0.9, nesterov: true, clipnorm: 1, use_ema: false },
    });
    expect(optimizer).toBeInstanceOf(SGD);
    expect(optimizer.getConfig()).toEqual({ learningRate: 0.1, momentum: 0.9, nesterov: true, clipNorm: 1 });
    expect(() => getOptimizer({ className: 'Adam', config: { beta_1: 'high' } })).toThrow(
      'deserializeOptimizer \'Adam\': `beta1` must be a number, received "high"',
    );
  });
});

describe('applyGradients input checks', () => {
  const w = tidy(() => new Variable(tensor([1, 2, 3]), 'w'));

  it('rejects a gradient of another shape, naming the variable', () => {
    expect(() => sgd().applyGradients([{ variable: w, gradient: tensor([[1, 2, 3]]) }])).toThrow(
      "sgd.applyGradients: the gradient for 'w' has shape [1, 3], expected [3]",
    );
  });

  it('rejects a variable listed twice, and a non-variable', () => {
    const g = tensor([1, 1, 1]);
    expect(() =>
      adam().applyGradients([
        { variable: w, gradient: g },
        { variable: w, gradient: g },
      ]),
    ).toThrow("adam.applyGradients: variable 'w' appears more than once");
    // A plain tensor posing as a Variable, as a JavaScript caller could pass one: the check under test.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- deliberate non-Variable input
    expect(() => adam().applyGradients([{ variable: g as Variable, gradient: g }])).toThrow(
      'adam.applyGradients: entry 0: `variable` must be a Variable, received Tensor([3])',
    );
  });
});

/** Every optimizer with options that exercise its branches. */
const ALL: [string, () => Optimizer][] = [
  ['sgd', () => sgd({ learningRate: 0.1, clipValue: 1 })],
  ['sgd nesterov', () => sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true, clipNorm: 1 })],
  ['adam amsgrad', () => adam({ learningRate: 0.01, amsgrad: true, globalClipNorm: 1 })],
  [
    'adamw',
    () => adamw({ learningRate: exponentialDecay({ initialLearningRate: 0.01, decaySteps: 10, decayRate: 0.9 }) }),
  ],
  ['rmsprop centered', () => rmsprop({ learningRate: 0.01, momentum: 0.9, centered: true })],
  ['adagrad', () => adagrad()],
  ['adadelta', () => adadelta({ learningRate: 1 })],
  ['adamax', () => adamax()],
  ['nadam', () => nadam({ clipNorm: 2 })],
];

function makeVariables(prefix: string): Variable[] {
  return tidy(() => [
    new Variable(
      tensor([
        [0.5, -1],
        [2, 0.25],
      ]),
      `${prefix}/kernel`,
    ),
    new Variable(tensor([0.1, -0.3]), `${prefix}/bias`),
  ]);
}

describe('memory', () => {
  for (const [name, make] of ALL) {
    it(`${name}: 100 steps leak no tensor`, () => {
      const optimizer = make();
      const variables = makeVariables(name);
      const gradients = [
        tensor([
          [0.3, -0.2],
          [0.1, 0.5],
        ]),
        tensor([-0.4, 0.2]),
      ];
      const pairs = variables.map((variable, i) => ({ variable, gradient: gradients[i] ?? tensor([]) }));
      optimizer.applyGradients(pairs); // creates the slots
      const before = memory();
      for (let i = 0; i < 100; i++) optimizer.applyGradients(pairs);
      expect(memory()).toEqual(before);
      expect(optimizer.iterations).toBe(101);
      optimizer.dispose();
      for (const t of [...variables, ...gradients]) t.dispose();
    });
  }
});

describe('getWeights / setWeights', () => {
  for (const [name, make] of ALL) {
    it(`${name}: a restored optimizer continues exactly as the original`, () => {
      const random = new Random(5);
      const steps = Array.from({ length: 10 }, () => [
        signedValues(4, random, 0.1, 1),
        signedValues(2, random, 0.1, 1),
      ]);
      const run = (optimizer: Optimizer, variables: Variable[], from: number, to: number): void => {
        for (let t = from; t < to; t++) {
          tidy(() =>
            optimizer.applyGradients(
              variables.map((variable, i) => ({ variable, gradient: tensor(steps[t]?.[i] ?? [], variable.shape) })),
            ),
          );
        }
      };
      const original = make();
      const variables = makeVariables('a');
      run(original, variables, 0, 5);
      // A fresh optimizer and fresh variables holding the same values, restored from the saved state.
      const restored = make();
      const copies = tidy(() => variables.map((v) => new Variable(v, `b${v.name.slice(1)}`)));
      const saved = original.getWeights();
      restored.setWeights(saved, copies);
      expect(restored.iterations).toBe(5);
      run(original, variables, 5, 10);
      run(restored, copies, 5, 10);
      variables.forEach((v, i) => expect(Array.from(copies[i]?.dataSync() ?? [])).toEqual(Array.from(v.dataSync())));
      saved[0]?.tensor.dispose();
      for (const o of [original, restored]) o.dispose();
      for (const v of [...variables, ...copies]) v.dispose();
    });
  }

  it('setWeights checks the count and the shapes', () => {
    const optimizer = adam();
    const variables = makeVariables('c');
    const iter = tensor([3], []);
    expect(() => optimizer.setWeights([{ name: 'iter', tensor: iter }], variables)).toThrow(
      'adam.setWeights: expected 5 weights (iter, then m, v for each of 2 variables), received 1',
    );
    const wrong = [iter, ...Array.from({ length: 4 }, () => tensor([1, 2]))].map((t, i) => ({
      name: `w${i}`,
      tensor: t,
    }));
    expect(() => optimizer.setWeights(wrong, variables)).toThrow(
      "adam.setWeights: weight 'w1' has shape [2], expected [2, 2] for slot 'c/kernel/m'",
    );
  });
});
