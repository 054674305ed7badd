/**
 * The fused biasRelu op (what Conv2D and Dense run for activation 'relu'): the same values and gradients as
 * relu(biasAdd(x, bias)), checked against that composition, against central differences, and on both backends'
 * kernels (the wasm one against the js reference, including rows that cross its column-sum blocks).
 */
import { describe, expect, it } from 'vitest';
import {
  biasAdd,
  biasRelu,
  conv2d,
  Dense,
  grads,
  matMul,
  mul,
  relu,
  sum,
  type Tensor,
  tensor,
  tidy,
} from '../../src/index.js';
import { gradcheck, randomInput } from '../helpers/gradcheck.js';
import { expectExact, expectSumsClose, magnitude, onBoth, Random, randomValues } from '../backend/wasm-parity.js';

function trainable(t: Tensor): Tensor {
  t.requiresGrad = true;
  return t;
}

describe('biasRelu', () => {
  it('computes max(0, x + bias) per channel (hand-computed)', () => {
    const x = tensor([
      [1, -2, 0.5],
      [-1, 3, -0.5],
    ]);
    const bias = tensor([0.5, 1, -1]);
    expect(Array.from(biasRelu(x, bias).dataSync())).toEqual([1.5, 0, 0, 0, 4, 0]);
  });

  it('passes the gradient where the output is positive and sums it over rows for the bias (hand-computed)', () => {
    const x = trainable(
      tensor([
        [1, -2, 0.5],
        [-1, 3, -0.5],
      ]),
    );
    const bias = trainable(tensor([0.5, 1, -1]));
    const dy = tensor([
      [10, 20, 30],
      [40, 50, 60],
    ]);
    const [dx, dBias] = grads(sum(mul(biasRelu(x, bias), dy)), [x, bias]);
    expect(Array.from(dx?.dataSync() ?? [])).toEqual([10, 0, 0, 0, 50, 0]);
    expect(Array.from(dBias?.dataSync() ?? [])).toEqual([10, 50, 0]);
  });

  it('agrees with relu(biasAdd(x, bias)) in values and both gradients on a conv-shaped input', () => {
    const x = randomInput([2, 5, 5, 7], 3);
    const bias = randomInput([7], 4);
    const probe = randomInput([2, 5, 5, 7], 5);
    const fused = tidy(() => grads(sum(mul(biasRelu(x, bias), probe)), [x, bias]).map((g) => Array.from(g.dataSync())));
    const composed = tidy(() =>
      grads(sum(mul(relu(biasAdd(x, bias)), probe)), [x, bias]).map((g) => Array.from(g.dataSync())),
    );
    expect(Array.from(biasRelu(x, bias).dataSync())).toEqual(Array.from(relu(biasAdd(x, bias)).dataSync()));
    // The composition multiplies dy by a 0/1 mask and can give −0 where the fused kernel selects +0: equal as numbers.
    expect(fused[0]?.map((v) => v + 0)).toEqual(composed[0]?.map((v) => v + 0));
    for (const [i, value] of (composed[1] ?? []).entries()) expect(fused[1]?.[i]).toBeCloseTo(value, 5);
  });

  it('passes gradcheck on x and bias', () => {
    // Values in [0.2, 1] and biases of either sign keep x + bias away from relu's kink at 0 by at least 0.05.
    const x = trainable(
      tensor([
        [0.2, 0.9, -0.6],
        [0.7, -0.3, 0.4],
        [-0.8, 0.5, 0.3],
      ]),
    );
    const bias = trainable(tensor([0.15, -0.1, 0.2]));
    gradcheck(() => biasRelu(x, bias), [x, bias]);
    const conv = randomInput([1, 4, 4, 2], 6);
    const filter = randomInput([2, 2, 2, 3], 7);
    gradcheck(() => biasRelu(conv2d(conv, filter), tensor([0.31, -0.07, 0.12])), [conv, filter]);
  });

  it('names the op and the expected bias shape when the bias does not fit', () => {
    expect(() => biasRelu(tensor([[1, 2, 3]]), tensor([1, 2]))).toThrow(
      'biasRelu: bias must have shape [3] for input [1, 3], received [2]',
    );
  });

  it('is what a Dense layer with activation relu runs (its output equals the composition)', () => {
    const layer = new Dense({ units: 5, activation: 'relu', biasInitializer: 'randomNormal' });
    const x = randomInput([4, 3], 8);
    const y = layer.apply(x);
    const [kernel, bias] = layer.weights;
    if (kernel === undefined || bias === undefined) throw new Error('Dense built no kernel and bias');
    const expected = relu(biasAdd(matMul(x, kernel), bias));
    expect(Array.from(y.dataSync())).toEqual(Array.from(expected.dataSync()));
  });
});

describe('wasm biasRelu kernels match the js reference', () => {
  for (const [rows, channels] of [
    [1, 1],
    [3, 5],
    [300, 4],
    [257, 7],
    [1000, 32],
    [513, 3],
  ] as const) {
    it(`for ${rows} rows × ${channels} channels`, () => {
      const random = new Random(rows * 31 + channels);
      const x = randomValues(rows * channels, random);
      const bias = randomValues(channels, random);
      x[0] = Number.NaN; // relu sends NaN to 0 on both
      const forward = onBoth([x, bias], (b, [xs, bs]) => b.biasRelu(xs ?? b.alloc(0), bs ?? b.alloc(0), channels));
      expectExact(forward.wasm[0], forward.js[0]);
      const y = forward.js[0] ?? new Float32Array(0);
      const dy = randomValues(rows * channels, random);
      const kernel = (
        b: Parameters<Parameters<typeof onBoth>[1]>[0],
        [g, ys]: Parameters<Parameters<typeof onBoth>[1]>[1],
      ) => b.biasReluGrad(g ?? b.alloc(0), ys ?? b.alloc(0), channels);
      const backward = onBoth([dy, y], kernel);
      expectExact(backward.wasm[0], backward.js[0]);
      expectSumsClose(backward.wasm[1], backward.js[1], magnitude([dy, y], kernel)[1], rows);
    });
  }
});
