/**
 * Parity of the wasm GEMM-based kernels (matmul, conv2d and both its gradients) with the js reference, on odd sizes
 * that leave 4×8 tiles ragged, every transpose combination, and sizes that cross the GEMM's cache blocks.
 * Tolerance: the float32 summation bound of wasm-parity.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Conv2DInfo } from '../../src/backend/backend.js';
import { type Conv2DOptions, conv2dInfo } from '../../src/ops/conv.js';
import { expectSumsClose, magnitude, onBoth, Random, randomValues, type Kernel } from './wasm-parity.js';

const SIZES = [1, 3, 5, 7, 17, 33, 65];

describe('wasm matmul matches the js reference', () => {
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      it(`for every m, n, k in {${SIZES.join(', ')}} with ${transposeA ? 'Aᵀ' : 'A'}·${transposeB ? 'Bᵀ' : 'B'}`, () => {
        const random = new Random(11 + Number(transposeA) * 2 + Number(transposeB));
        for (const m of SIZES)
          for (const n of SIZES)
            for (const k of SIZES) {
              const kernel: Kernel = (b, [x, y]) =>
                b.matmul(x ?? b.alloc(0), y ?? b.alloc(0), { m, k, n, transposeA, transposeB });
              const inputs = [randomValues(m * k, random), randomValues(k * n, random)];
              const { wasm, js } = onBoth(inputs, kernel);
              expectSumsClose(wasm[0], js[0], magnitude(inputs, kernel)[0], k);
            }
      });
    }
  }

  it('across cache blocks: rows past one 64-row block, k past one 256-deep slice, n past one 1024-wide block, long k', () => {
    const random = new Random(5);
    // The last two have a long k and a small C, which several threads split by k slice (threads.test.ts).
    for (const [m, n, k, transposeA, transposeB] of [
      [130, 20, 300, false, false],
      [5, 1030, 257, true, true],
      [67, 9, 513, true, false],
      [21, 30, 2600, false, false],
      [9, 7, 5000, true, true],
    ] as const) {
      const kernel: Kernel = (b, [x, y]) =>
        b.matmul(x ?? b.alloc(0), y ?? b.alloc(0), { m, k, n, transposeA, transposeB });
      const inputs = [randomValues(m * k, random), randomValues(k * n, random)];
      const { wasm, js } = onBoth(inputs, kernel);
      expectSumsClose(wasm[0], js[0], magnitude(inputs, kernel)[0], k);
    }
  });

  it('computes a hand-checked product and handles empty dimensions', () => {
    // [[1, 2], [3, 4]] · [[5, 6], [7, 8]] = [[19, 22], [43, 50]] (by hand).
    const { wasm } = onBoth(
      [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
      ],
      (b, [x, y]) =>
        b.matmul(x ?? b.alloc(0), y ?? b.alloc(0), { m: 2, k: 2, n: 2, transposeA: false, transposeB: false }),
    );
    expect(Array.from(wasm[0] ?? [])).toEqual([19, 22, 43, 50]);
    // k = 0: an empty sum is 0 everywhere.
    const empty = onBoth([[], []], (b, [x, y]) =>
      b.matmul(x ?? b.alloc(0), y ?? b.alloc(0), { m: 2, k: 0, n: 3, transposeA: false, transposeB: false }),
    );
    expect(Array.from(empty.wasm[0] ?? [])).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

interface ConvCase {
  readonly x: [number, number, number, number];
  readonly filter: [number, number, number, number];
  readonly options: Conv2DOptions;
}

const CONV_CASES: ConvCase[] = [
  { x: [2, 7, 6, 3], filter: [3, 3, 3, 5], options: {} },
  { x: [1, 9, 8, 4], filter: [3, 2, 4, 9], options: { strides: [2, 3], padding: 'same' } },
  { x: [2, 8, 8, 8], filter: [3, 3, 8, 17], options: { padding: 'same' } },
  { x: [1, 10, 9, 5], filter: [3, 3, 5, 7], options: { dilationRate: [2, 3], padding: 'same' } },
  { x: [3, 6, 6, 1], filter: [3, 3, 1, 8], options: { strides: 2 } },
  { x: [2, 5, 5, 12], filter: [1, 1, 12, 3], options: {} },
  { x: [1, 11, 7, 6], filter: [5, 4, 6, 33], options: { strides: [3, 2], padding: 'same' } },
  { x: [1, 4, 4, 2], filter: [4, 4, 2, 1], options: { dilationRate: 2, padding: 'same' } },
];

function describeCase({ x, filter, options }: ConvCase): string {
  return `x [${x.join(', ')}], filter [${filter.join(', ')}], ${JSON.stringify(options)}`;
}

/** Seeded random geometries: strides or dilation (TensorFlow allows not both), valid or same, sizes 1–9. */
function randomConvCases(count: number, random: Random): ConvCase[] {
  const cases: ConvCase[] = [];
  while (cases.length < count) {
    const pick = (lo: number, hi: number): number => lo + random.int(hi - lo + 1);
    const dilated = random.next() < 0.3;
    const options: Conv2DOptions = {
      strides: dilated ? 1 : [pick(1, 3), pick(1, 3)],
      dilationRate: dilated ? [pick(1, 2), pick(1, 3)] : 1,
      padding: random.next() < 0.5 ? 'same' : 'valid',
    };
    const x: ConvCase['x'] = [pick(1, 3), pick(1, 9), pick(1, 9), pick(1, 9)];
    const candidate: ConvCase = { x, filter: [pick(1, 4), pick(1, 4), x[3], pick(1, 9)], options };
    try {
      conv2dInfo(candidate.x, candidate.filter, options);
      cases.push(candidate);
    } catch {
      // The window does not fit this input: draw again.
    }
  }
  return cases;
}

describe('wasm conv2d kernels match the js reference', () => {
  [...CONV_CASES, ...randomConvCases(24, new Random(2024))].forEach((convCase, index) => {
    it(describeCase(convCase), () => {
      const info: Conv2DInfo = conv2dInfo(convCase.x, convCase.filter, convCase.options);
      const random = new Random(40 + index);
      const x = randomValues(info.batch * info.inHeight * info.inWidth * info.inChannels, random);
      const w = randomValues(info.filterHeight * info.filterWidth * info.inChannels * info.outChannels, random);
      const dy = randomValues(info.batch * info.outHeight * info.outWidth * info.outChannels, random);
      const taps = info.filterHeight * info.filterWidth * info.inChannels;

      const forward: Kernel = (b, [xs, ws]) => b.conv2d(xs ?? b.alloc(0), ws ?? b.alloc(0), info);
      const y = onBoth([x, w], forward);
      expectSumsClose(y.wasm[0], y.js[0], magnitude([x, w], forward)[0], taps);

      // Each dx element sums at most KH·KW·OC products.
      const backInput: Kernel = (b, [g, ws]) => b.conv2dBackpropInput(g ?? b.alloc(0), ws ?? b.alloc(0), info);
      const dx = onBoth([dy, w], backInput);
      expectSumsClose(
        dx.wasm[0],
        dx.js[0],
        magnitude([dy, w], backInput)[0],
        info.filterHeight * info.filterWidth * info.outChannels,
      );

      // Each dw element sums N·OH·OW products.
      const backFilter: Kernel = (b, [xs, g]) => b.conv2dBackpropFilter(xs ?? b.alloc(0), g ?? b.alloc(0), info);
      const dw = onBoth([x, dy], backFilter);
      expectSumsClose(
        dw.wasm[0],
        dw.js[0],
        magnitude([x, dy], backFilter)[0],
        info.batch * info.outHeight * info.outWidth,
      );
    });
  });

  it('conv2d with a hand-computed result (dilated filter, zero padding)', () => {
    // x = 1..9 as 3×3, filter [[1, 0], [0, 1]] dilated by 2, pads 1: y[oy, ox] = x[oy − 1, ox − 1] + x[oy + 1, ox + 1].
    const info = conv2dInfo([1, 3, 3, 1], [2, 2, 1, 1], { dilationRate: 2, padding: 'same' });
    expect([info.padTop, info.padLeft, info.outHeight]).toEqual([1, 1, 3]);
    const { wasm } = onBoth(
      [
        [1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 0, 0, 1],
      ],
      (b, [xs, ws]) => b.conv2d(xs ?? b.alloc(0), ws ?? b.alloc(0), info),
    );
    expect(Array.from(wasm[0] ?? [])).toEqual([5, 6, 0, 8, 10, 2, 0, 4, 5]);
  });

  it('the im2col geometry of a larger layer (batch 4, 13×13×32 → 64) crosses GEMM blocks in every direction', () => {
    const info = conv2dInfo([4, 13, 13, 32], [3, 3, 32, 64], {});
    const random = new Random(77);
    const x = randomValues(4 * 13 * 13 * 32, random);
    const w = randomValues(9 * 32 * 64, random);
    const dy = randomValues(4 * 11 * 11 * 64, random);
    const forward: Kernel = (b, [xs, ws]) => b.conv2d(xs ?? b.alloc(0), ws ?? b.alloc(0), info);
    const y = onBoth([x, w], forward);
    expectSumsClose(y.wasm[0], y.js[0], magnitude([x, w], forward)[0], 9 * 32);
    const backFilter: Kernel = (b, [xs, g]) => b.conv2dBackpropFilter(xs ?? b.alloc(0), g ?? b.alloc(0), info);
    const dw = onBoth([x, dy], backFilter);
    expectSumsClose(dw.wasm[0], dw.js[0], magnitude([x, dy], backFilter)[0], 4 * 11 * 11);
  });

  it('filter gradients summed over thousands of pixels (many slices of k) for 1 and 8 channels', () => {
    // Batch 5 at 28×28: 3380 output pixels, 14 slices of k.
    for (const channels of [1, 8]) {
      const info = conv2dInfo([5, 28, 28, channels], [3, 3, channels, 6], {});
      const random = new Random(78 + channels);
      const x = randomValues(5 * 28 * 28 * channels, random);
      const dy = randomValues(5 * 26 * 26 * 6, random);
      const backFilter: Kernel = (b, [xs, g]) => b.conv2dBackpropFilter(xs ?? b.alloc(0), g ?? b.alloc(0), info);
      const dw = onBoth([x, dy], backFilter);
      expectSumsClose(dw.wasm[0], dw.js[0], magnitude([x, dy], backFilter)[0], 5 * 26 * 26);
    }
  });
});
