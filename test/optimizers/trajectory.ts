/**
 * Runs the same optimization in cnnlab and in TensorFlow.js: the same initial variables and the same fixed sequence
 * of gradients, step by step, comparing the variables after every step.
 */
import { errorMessage, Random, tensor, tidy, Variable } from '../../src/index.js';
import type { Optimizer } from '../../src/optimizers/index.js';
import { expectClose, tf } from '../helpers/tfjs.js';

export const SHAPES = [[2, 3], [4], []] as const;
export const STEPS = 12;

let uniqueId = 0;

/** Random values with |v| in [lo, hi] and a random sign (gradients away from 0, where ε placement would matter). */
export function signedValues(count: number, random: Random, lo: number, hi: number): number[] {
  return Array.from({ length: count }, () => (random.next() < 0.5 ? -1 : 1) * random.uniform(lo, hi));
}

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Initial values per variable, and per step per variable the gradient values. */
export function problem(seed: number): { initial: number[][]; gradients: number[][][] } {
  const random = new Random(seed);
  const initial = SHAPES.map((shape) => signedValues(sizeOf(shape), random, 0, 1));
  const gradients = Array.from({ length: STEPS }, () =>
    SHAPES.map((shape) => signedValues(sizeOf(shape), random, 0.5, 2)),
  );
  return { initial, gradients };
}

export interface TrajectoryResult {
  readonly ours: Optimizer;
  readonly theirs: tf.Optimizer;
  readonly oursVariables: Variable[];
  readonly theirVariables: tf.Variable[];
}

/**
 * Applies STEPS updates in both libraries and asserts the variables agree after each (|a − e| ≤ atol + rtol·|e|).
 * Variables are named `<prefix>_w<i>` in both, so slot names can be compared too. The caller disposes the result.
 */
export function compareTrajectories(
  ours: Optimizer,
  theirs: tf.Optimizer,
  seed = 1,
  rtol = 2e-6,
  atol = 2e-6,
): TrajectoryResult {
  const { initial, gradients } = problem(seed);
  const prefix = `${ours.className.toLowerCase()}${uniqueId++}`;
  const oursVariables = SHAPES.map((shape, i) =>
    tidy(() => new Variable(tensor(initial[i] ?? [], shape), `${prefix}_w${i}`)),
  );
  const theirVariables = SHAPES.map((shape, i) =>
    tf.variable(tf.tensor(initial[i] ?? [], [...shape]), true, `${prefix}_w${i}`),
  );
  gradients.forEach((stepGradients, step) => {
    tidy(() => {
      ours.applyGradients(
        oursVariables.map((variable, i) => ({ variable, gradient: tensor(stepGradients[i] ?? [], SHAPES[i]) })),
      );
    });
    tf.tidy(() => {
      theirs.applyGradients(
        Object.fromEntries(
          theirVariables.map((v, i) => [v.name, tf.tensor(stepGradients[i] ?? [], [...(SHAPES[i] ?? [])])]),
        ),
      );
    });
    oursVariables.forEach((variable, i) => {
      try {
        expectClose(variable.dataSync(), theirVariables[i]?.dataSync() ?? [], rtol, atol);
      } catch (error) {
        throw new Error(`step ${step + 1}, variable ${i}: ${errorMessage(error)}`, { cause: error });
      }
    });
  });
  return { ours, theirs, oursVariables, theirVariables };
}

export function disposeTrajectory(result: TrajectoryResult): void {
  result.ours.dispose();
  result.theirs.dispose();
  for (const v of result.oursVariables) v.dispose();
  for (const v of result.theirVariables) v.dispose();
}
