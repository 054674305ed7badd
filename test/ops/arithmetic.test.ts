import { describe, expect, it } from 'vitest';
import {
  abs,
  add,
  biasAdd,
  clipByValue,
  div,
  exp,
  grads,
  log,
  matMul,
  max,
  maximum,
  mean,
  minimum,
  mul,
  pad,
  reshape,
  slice,
  sqrt,
  square,
  sub,
  sum,
  tensor,
  transpose,
} from '../../src/index.js';
import { gradcheck, randomInput } from '../helpers/gradcheck.js';

describe('broadcast arithmetic', () => {
  it('computes values that follow NumPy broadcasting (hand-computed)', () => {
    const a = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = tensor([10, 20, 30]);
    expect(Array.from(add(a, b).dataSync())).toEqual([11, 22, 33, 14, 25, 36]);
    expect(Array.from(sub(a, tensor([[1], [2]])).dataSync())).toEqual([0, 1, 2, 2, 3, 4]);
    expect(Array.from(mul(a, 2).dataSync())).toEqual([2, 4, 6, 8, 10, 12]);
  });

  it('rejects shapes that cannot broadcast, naming both', () => {
    expect(() => add(tensor([1, 2, 3]), tensor([1, 2]))).toThrow(/add: shapes \[3\] and \[2\] cannot be broadcast/);
  });

  for (const [name, op] of [
    ['add', add],
    ['sub', sub],
    ['mul', mul],
    ['div', div],
    ['maximum', maximum],
    ['minimum', minimum],
  ] as const) {
    it(`${name}: gradients to both inputs under broadcasting`, () => {
      const a = randomInput([2, 3, 4], 1);
      const b = name === 'div' ? randomInput([3, 1], 2, 0.5, 2) : randomInput([3, 1], 2);
      expect(gradcheck(() => op(a, b), [a, b])).toBe(24 + 3);
    });
  }
});

describe('unary math', () => {
  it('gradients of square, exp, log, sqrt, abs, clipByValue', () => {
    const x = randomInput([3, 4], 3, 0.2, 2);
    const y = randomInput([3, 4], 4, -2, 2);
    gradcheck(() => square(x), [x]);
    gradcheck(() => exp(x), [x]);
    gradcheck(() => log(x), [x]);
    gradcheck(() => sqrt(x), [x]);
    gradcheck(() => abs(y), [y]);
    gradcheck(() => clipByValue(y, -0.5, 0.7), [y]);
  });
});

describe('reductions', () => {
  it('sum, mean and max over axes (hand-computed)', () => {
    const x = tensor([
      [1, 5, 3],
      [4, 2, 6],
    ]);
    expect(Array.from(sum(x, 0).dataSync())).toEqual([5, 7, 9]);
    expect(Array.from(mean(x, 1).dataSync())).toEqual([3, 4]);
    expect(Array.from(max(x, -1).dataSync())).toEqual([5, 6]);
    expect(sum(x, 1, true).shape).toEqual([2, 1]);
    expect(sum(x).dataSync()[0]).toBe(21);
  });

  it('gradients of sum, mean, max', () => {
    const x = randomInput([2, 3, 4], 5);
    gradcheck(() => sum(x, [0, 2]), [x]);
    gradcheck(() => mean(x, 1, true), [x]);
    gradcheck(() => max(x, [1, 2]), [x]);
  });

  it('max shares the gradient equally among tied maxima (as TensorFlow does)', () => {
    const x = tensor([2, 7, 7, 1]);
    x.requiresGrad = true;
    const [dx] = grads(max(x), [x]);
    expect(Array.from(dx?.dataSync() ?? [])).toEqual([0, 0.5, 0.5, 0]);
  });
});

describe('linear algebra and layout', () => {
  it('matMul matches a hand-computed product', () => {
    const a = tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const b = tensor([
      [1, 0, 2],
      [0, 1, 3],
    ]);
    expect(Array.from(matMul(a, b).dataSync())).toEqual([1, 2, 8, 3, 4, 18, 5, 6, 28]);
    expect(() => matMul(a, a)).toThrow(/inner dimensions differ/);
  });

  for (const [ta, tb] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    it(`matMul gradients (transposeA=${ta}, transposeB=${tb})`, () => {
      const a = randomInput(ta ? [4, 3] : [3, 4], 6);
      const b = randomInput(tb ? [5, 4] : [4, 5], 7);
      gradcheck(() => matMul(a, b, ta, tb), [a, b]);
    });
  }

  it('biasAdd, reshape, transpose, pad and slice gradients', () => {
    const x = randomInput([2, 3, 4], 8);
    const bias = randomInput([4], 9);
    gradcheck(() => biasAdd(x, bias), [x, bias]);
    gradcheck(() => reshape(mul(x, x), [6, -1]), [x]);
    gradcheck(() => transpose(x, [2, 0, 1]), [x]);
    gradcheck(
      () =>
        pad(x, [
          [0, 1],
          [2, 0],
          [1, 1],
        ]),
      [x],
    );
    gradcheck(() => slice(x, [1, 0, 1], [1, 2, 3]), [x]);
  });

  it('transpose, pad and slice move values as specified (hand-computed)', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(Array.from(transpose(x).dataSync())).toEqual([1, 4, 2, 5, 3, 6]);
    expect(Array.from(pad(tensor([1, 2]), [[1, 2]]).dataSync())).toEqual([0, 1, 2, 0, 0]);
    expect(Array.from(slice(x, [0, 1], [2, 2]).dataSync())).toEqual([2, 3, 5, 6]);
  });
});
