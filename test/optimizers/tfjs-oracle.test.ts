/**
 * Optimizer trajectories against TensorFlow.js 4.22 (the independent oracle): 12 steps of the same gradients on the
 * same variables ([2, 3], [4] and a scalar), variables compared after every step.
 */
import { describe, expect, it } from 'vitest';
import { adagrad, adam, adamax, type Optimizer, rmsprop, sgd } from '../../src/optimizers/index.js';
import { expectClose, tf } from '../helpers/tfjs.js';
import { compareTrajectories, disposeTrajectory } from './trajectory.js';

function check(ours: Optimizer, theirs: tf.Optimizer, seed = 1): void {
  disposeTrajectory(compareTrajectories(ours, theirs, seed));
}

describe('trajectories match tfjs', () => {
  it('sgd', () => check(sgd({ learningRate: 0.1 }), tf.train.sgd(0.1)));
  it('sgd with momentum', () => check(sgd({ learningRate: 0.05, momentum: 0.9 }), tf.train.momentum(0.05, 0.9), 2));
  it('sgd with Nesterov momentum', () =>
    check(sgd({ learningRate: 0.05, momentum: 0.8, nesterov: true }), tf.train.momentum(0.05, 0.8, true), 3));

  // Defaults on both sides (lr 0.001, β 0.9/0.999, ε 1e-7) check that our defaults are tfjs's.
  it('adam with default options', () => check(adam(), tf.train.adam(), 4));
  it('adam with other options', () =>
    check(
      adam({ learningRate: 0.05, beta1: 0.8, beta2: 0.99, epsilon: 1e-3 }),
      tf.train.adam(0.05, 0.8, 0.99, 1e-3),
      5,
    ));

  it('rmsprop', () => check(rmsprop({ learningRate: 0.01 }), tf.train.rmsprop(0.01), 6));
  it('rmsprop with momentum', () =>
    check(rmsprop({ learningRate: 0.01, rho: 0.8, momentum: 0.7 }), tf.train.rmsprop(0.01, 0.8, 0.7), 7));
  // tfjs takes √(s − ḡ² − ε) where we take √(s − ḡ² + ε); with gradients ≥ 0.5 in size the 2e-7 gap is far
  // below float32 resolution of s − ḡ² (≥ ρ(1−ρ)·0.25), so the trajectories still agree to ~1e-6.
  it('rmsprop centered, with momentum', () =>
    check(
      rmsprop({ learningRate: 0.01, momentum: 0.5, centered: true }),
      tf.train.rmsprop(0.01, 0.9, 0.5, undefined, true),
      8,
    ));

  it('adagrad', () => check(adagrad({ learningRate: 0.1 }), tf.train.adagrad(0.1), 9));
  it('adagrad with another initial accumulator', () =>
    check(adagrad({ learningRate: 0.1, initialAccumulatorValue: 0.5 }), tf.train.adagrad(0.1, 0.5), 10));

  it('adamax with default options', () => check(adamax(), tf.train.adamax(), 11));
  it('adamax with other options', () =>
    check(adamax({ learningRate: 0.05, beta1: 0.7, beta2: 0.9 }), tf.train.adamax(0.05, 0.7, 0.9), 12));
});

describe('getWeights matches tfjs in order, names and values', () => {
  const cases: [string, () => Optimizer, () => tf.Optimizer][] = [
    ['sgd with momentum', () => sgd({ learningRate: 0.05, momentum: 0.9 }), () => tf.train.momentum(0.05, 0.9)],
    ['adam', () => adam({ learningRate: 0.05 }), () => tf.train.adam(0.05)],
    [
      'rmsprop centered',
      () => rmsprop({ learningRate: 0.01, momentum: 0.5, centered: true }),
      () => tf.train.rmsprop(0.01, 0.9, 0.5, undefined, true),
    ],
    ['adagrad', () => adagrad({ learningRate: 0.1 }), () => tf.train.adagrad(0.1)],
  ];
  for (const [name, makeOurs, makeTheirs] of cases) {
    it(name, async () => {
      const result = compareTrajectories(makeOurs(), makeTheirs(), 13);
      const ours = result.ours.getWeights();
      const theirs = await result.theirs.getWeights();
      expect(ours.map((w) => w.name)).toEqual(theirs.map((w) => w.name));
      ours.forEach((w, i) => expectClose(w.tensor.dataSync(), theirs[i]?.tensor.dataSync() ?? [], 1e-5, 1e-6));
      ours[0]?.tensor.dispose();
      disposeTrajectory(result);
    });
  }
});
