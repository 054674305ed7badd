/** Gradient clipping, with hand-computed expected values. */
import { describe, expect, it } from 'vitest';
import { scalar, tensor, tidy, Variable } from '../../src/index.js';
import { clipByGlobalNorm, clipByNorm, globalNorm, sgd } from '../../src/optimizers/index.js';
import type { SGDArgs } from '../../src/optimizers/index.js';
import { expectClose } from '../helpers/tfjs.js';

describe('clip functions', () => {
  it('clipByNorm rescales to the norm only when it is exceeded', () => {
    // ‖[3, 4]‖ = 5 > 1 → [3, 4]·1/5; ‖[0.3, 0.4]‖ = 0.5 ≤ 1 → unchanged; a zero gradient stays zero (no 0/0).
    expectClose(clipByNorm(tensor([3, 4]), 1).dataSync(), [0.6, 0.8]);
    expectClose(clipByNorm(tensor([0.3, 0.4]), 1).dataSync(), [0.3, 0.4]);
    expectClose(clipByNorm(tensor([0, 0]), 1).dataSync(), [0, 0]);
    expectClose(clipByNorm(scalar(-3), 2).dataSync(), [-2]);
  });

  it('globalNorm and clipByGlobalNorm treat all gradients as one vector', () => {
    // √(3² + 4² + 12²) = 13; with c = 6.5 every gradient is halved; with c = 20 nothing changes.
    const gradients = [tensor([3, 4]), tensor([[12]])];
    expectClose(globalNorm(gradients).dataSync(), [13]);
    const halved = clipByGlobalNorm(gradients, 6.5);
    expectClose(halved[0]?.dataSync() ?? [], [1.5, 2]);
    expectClose(halved[1]?.dataSync() ?? [], [6]);
    expect(halved[1]?.shape).toEqual([1, 1]);
    expectClose(clipByGlobalNorm(gradients, 20)[1]?.dataSync() ?? [], [12]);
  });
});

/** One sgd step (lr 1) from zeros with the given gradients; returns the new variable values, i.e. −clipped g. */
function sgdStep(args: SGDArgs, gradients: readonly number[][]): number[][] {
  const optimizer = sgd({ learningRate: 1, ...args });
  const variables = gradients.map((g, i) => tidy(() => new Variable(tensor(g.map(() => 0)), `v${i}`)));
  tidy(() =>
    optimizer.applyGradients(variables.map((variable, i) => ({ variable, gradient: tensor(gradients[i] ?? []) }))),
  );
  const values = variables.map((v) => Array.from(v.dataSync()));
  for (const v of variables) v.dispose();
  return values;
}

describe('clip options of an optimizer', () => {
  const gradients = [[3, 4], [12]];

  it('clipNorm clips each gradient by its own norm', () => {
    // ‖[3, 4]‖ = 5 ≤ 5 unchanged; ‖[12]‖ = 12 → 5.
    const [a, b] = sgdStep({ clipNorm: 5 }, gradients);
    expectClose(a ?? [], [-3, -4]);
    expectClose(b ?? [], [-5]);
  });

  it('globalClipNorm clips all gradients by their joint norm', () => {
    // Joint norm 13 → scale 5/13.
    const [a, b] = sgdStep({ globalClipNorm: 5 }, gradients);
    expectClose(a ?? [], [-15 / 13, -20 / 13]);
    expectClose(b ?? [], [-60 / 13]);
  });

  it('clipValue clips elementwise', () => {
    const [a, b] = sgdStep({ clipValue: 3.5 }, gradients);
    expectClose(a ?? [], [-3, -3.5]);
    expectClose(b ?? [], [-3.5]);
  });

  it('appear in getConfig only when set', () => {
    expect(sgd({ clipNorm: 2 }).getConfig()).toEqual({ learningRate: 0.01, clipNorm: 2, momentum: 0, nesterov: false });
  });

  it('reject bad values and combinations', () => {
    expect(() => sgd({ clipNorm: 0 })).toThrow('sgd: `clipNorm` must be a positive number, received 0');
    expect(() => sgd({ clipValue: -1 })).toThrow('sgd: `clipValue` must be a positive number, received -1');
    expect(() => sgd({ clipNorm: 1, globalClipNorm: 2 })).toThrow(
      'sgd: only one of `clipNorm`, `clipValue` and `globalClipNorm` can be set, received clipNorm=1, globalClipNorm=2',
    );
  });
});
