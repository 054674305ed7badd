/**
 * Parity of the wasm elementwise, reduction and layout kernels with the js reference. The ops here perform the
 * reference's float32 operations in the same order (or run the reference itself), so results must be identical —
 * NaN, ±Infinity and the sign of zero included — except leakyRelu, whose alpha is rounded to float32 first (within
 * 1 ulp). The transcendental ops (exp, log, elu, selu, sigmoid, tanh, softplus, swish, gelu) approximate in float32
 * and are checked within stated ulps in wasm-transcendental.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { BinaryOp, ReduceOp, UnaryOp } from '../../src/backend/backend.js';
import { broadcastShapes, type Shape, sizeOf } from '../../src/shape.js';
import { planBroadcast, planReduce } from '../../src/backend/wasm/elementwise.js';
import { expectExact, expectUlpsClose, onBoth, Random, valuesWithSpecials } from './wasm-parity.js';

const UNARY_OPS: UnaryOp[] = [
  'neg',
  'abs',
  'sign',
  'square',
  'sqrt',
  'reciprocal',
  'relu',
  'relu6',
  'leakyRelu',
  'hardSigmoid',
  'softsign',
];
/** Lengths around the 4-lane vectors: empty, shorter than one, ragged tails. */
const LENGTHS = [0, 1, 3, 4, 5, 8, 37];

describe('wasm unary kernels', () => {
  for (const op of UNARY_OPS) {
    it(`${op} and its gradient match the reference`, () => {
      const random = new Random(op.length * 31 + (op.charCodeAt(0) ?? 0));
      for (const length of LENGTHS) {
        const x = valuesWithSpecials(length, random, -8, 8);
        const dy = valuesWithSpecials(length, random);
        const param = op === 'leakyRelu' ? 0.3 : 1;
        const y = onBoth([x], (b, [xs]) => b.unary(op, xs ?? b.alloc(0), param));
        const grad = onBoth([x, y.js[0] ?? [], dy], (b, [xs, ys, g]) =>
          b.unaryGrad(op, xs ?? b.alloc(0), ys ?? b.alloc(0), g ?? b.alloc(0), param),
        );
        if (op === 'leakyRelu') {
          expectUlpsClose(y.wasm[0], y.js[0], 1);
          expectUlpsClose(grad.wasm[0], grad.js[0], 1);
        } else {
          expectExact(y.wasm[0], y.js[0]);
          expectExact(grad.wasm[0], grad.js[0]);
        }
      }
    });
  }

  it('relu sends NaN and −0 to +0 and its gradient multiplies by 0 or 1 (hand-computed)', () => {
    const { wasm } = onBoth([[Number.NaN, -0, -2, 3]], (b, [xs]) => b.unary('relu', xs ?? b.alloc(0), 0));
    expect(Array.from(wasm[0] ?? [])).toEqual([0, 0, 0, 3]);
    const grad = onBoth(
      [
        [-1, 2, -3, 4, 5],
        [0, 0, 0, 0, 0],
        [10, 20, -30, 40, Infinity],
      ],
      (b, [xs, ys, g]) => b.unaryGrad('relu', xs ?? b.alloc(0), ys ?? b.alloc(0), g ?? b.alloc(0), 0),
    );
    // dy · 0 keeps the sign of dy (−30 · 0 = −0), as a product does.
    expect(Array.from(grad.wasm[0] ?? [])).toEqual([0, 20, -0, 40, Infinity]);
  });
});

const BINARY_OPS: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'pow', 'equal', 'greater'];

/** Shape pairs: same shape, scalars, last-axis rows, keepDims columns, size-1 axes, and a general broadcast. */
const BROADCASTS: [Shape, Shape][] = [
  [
    [5, 7],
    [5, 7],
  ],
  [[37], [37]],
  [[3, 4, 5], []],
  [[], [6, 2]],
  [[1], [9]],
  [[4, 9], [9]],
  [
    [2, 3, 6],
    [1, 6],
  ],
  [[6], [4, 6]],
  [
    [7, 5],
    [7, 1],
  ],
  [
    [3, 1],
    [3, 10],
  ],
  [
    [2, 1, 4],
    [3, 1],
  ],
  [
    [1, 3, 1],
    [2, 1, 5],
  ],
  [[0, 3], [3]],
];

describe('wasm binary kernels', () => {
  for (const op of BINARY_OPS) {
    it(`${op} matches the reference under every broadcast`, () => {
      const random = new Random(op.length * 17 + (op.charCodeAt(1) ?? 0));
      for (const [aShape, bShape] of BROADCASTS) {
        const outShape = broadcastShapes(aShape, bShape, op);
        // Small integers make equal/greater ties and exact pow results likely.
        const a = valuesWithSpecials(sizeOf(aShape), random).map((v) => (op === 'equal' ? Math.round(v) : v));
        const b = valuesWithSpecials(sizeOf(bShape), random).map((v) => (op === 'equal' ? Math.round(v) : v));
        const { wasm, js } = onBoth([a, b], (be, [as, bs]) =>
          be.binary(op, as ?? be.alloc(0), aShape, bs ?? be.alloc(0), bShape, outShape),
        );
        expectExact(wasm[0], js[0]);
      }
    });
  }

  it('plans SIMD broadcasts as [outer, inner] splits with one mode per operand (hand-derived)', () => {
    // Modes: 0 own element, 1 element j (row), 2 element i (column), 3 element 0 (scalar).
    expect(planBroadcast([4, 9], [9], [4, 9])).toEqual({ outer: 4, inner: 9, aMode: 0, bMode: 1 });
    expect(planBroadcast([7, 5], [7, 1], [7, 5])).toEqual({ outer: 7, inner: 5, aMode: 0, bMode: 2 });
    expect(planBroadcast([3, 4, 5], [], [3, 4, 5])).toEqual({ outer: 1, inner: 60, aMode: 0, bMode: 3 });
    expect(planBroadcast([2, 1, 4], [3, 1], [2, 3, 4])).toBeNull();
  });

  it('clip matches the reference, NaN staying NaN', () => {
    const random = new Random(3);
    for (const length of LENGTHS) {
      const x = valuesWithSpecials(length, random);
      for (const [lo, hi] of [
        [-1, 1],
        [0.1, 0.7],
        [-Infinity, 0],
        [2, 2],
      ] as const) {
        const { wasm, js } = onBoth([x], (b, [xs]) => b.clip(xs ?? b.alloc(0), lo, hi));
        expectExact(wasm[0], js[0]);
      }
    }
  });

  it('biasAdd matches the reference for channel counts around the vector width', () => {
    const random = new Random(4);
    for (const channels of [1, 3, 4, 5, 8, 13]) {
      const x = valuesWithSpecials(6 * channels, random);
      const bias = valuesWithSpecials(channels, random);
      const { wasm, js } = onBoth([x, bias], (b, [xs, bs]) => b.biasAdd(xs ?? b.alloc(0), bs ?? b.alloc(0), channels));
      expectExact(wasm[0], js[0]);
    }
  });
});

describe('wasm reductions and layout', () => {
  const shapes: [Shape, number[][]][] = [
    [
      [4, 5, 6],
      [[], [0], [1], [2], [0, 1], [1, 2], [0, 2], [0, 1, 2]],
    ],
    [
      [3, 1, 2, 9],
      [[0], [0, 1], [1, 2], [0, 3], [3], [0, 1, 2]],
    ],
    [
      [2, 0, 3],
      [[1], [0, 2]],
    ],
    [[37], [[0]]],
  ];
  for (const op of ['sum', 'max', 'min'] as ReduceOp[]) {
    it(`reduce '${op}' matches the reference over contiguous and scattered axes`, () => {
      const random = new Random(op.length);
      for (const [shape, axesList] of shapes) {
        const x = valuesWithSpecials(sizeOf(shape), random);
        for (const axes of axesList) {
          const { wasm, js } = onBoth([x], (b, [xs]) => b.reduce(op, xs ?? b.alloc(0), shape, axes));
          expectExact(wasm[0], js[0]);
        }
      }
    });
  }

  it('plans reductions as [outer, mid, inner] blocks, ignoring size-1 axes (hand-derived)', () => {
    expect(planReduce([4, 5, 6], [1])).toEqual({ outer: 4, mid: 5, inner: 6 });
    expect(planReduce([3, 1, 2, 9], [0, 1, 2])).toEqual({ outer: 1, mid: 6, inner: 9 });
    expect(planReduce([3, 1, 2, 9], [0, 3])).toBeNull();
  });

  it('transpose, pad and slice match the reference on random shapes', () => {
    const random = new Random(9);
    for (let trial = 0; trial < 12; trial++) {
      const rank = 1 + random.int(4);
      const shape = Array.from({ length: rank }, () => 1 + random.int(5));
      const x = valuesWithSpecials(sizeOf(shape), random);
      // A random permutation (Fisher–Yates), random paddings, a random block.
      const perm = shape.map((_, i) => i);
      for (let i = rank - 1; i > 0; i--) {
        const j = random.int(i + 1);
        [perm[i], perm[j]] = [perm[j] ?? 0, perm[i] ?? 0];
      }
      const paddings = shape.map(() => [random.int(3), random.int(3)] as const);
      const begin = shape.map((d) => random.int(d));
      const size = shape.map((d, i) => 1 + random.int(d - (begin[i] ?? 0)));
      const t = onBoth([x], (b, [xs]) => b.transpose(xs ?? b.alloc(0), shape, perm));
      expectExact(t.wasm[0], t.js[0]);
      const p = onBoth([x], (b, [xs]) => b.pad(xs ?? b.alloc(0), shape, paddings));
      expectExact(p.wasm[0], p.js[0]);
      const s = onBoth([x], (b, [xs]) => b.slice(xs ?? b.alloc(0), shape, begin, size));
      expectExact(s.wasm[0], s.js[0]);
    }
  });
});
