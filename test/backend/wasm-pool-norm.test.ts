/**
 * Parity of the wasm pooling, batch-norm and softmax kernels with the js reference.
 * Max pooling, moments and batch norm perform the reference's operations in the same order (float64 where it uses
 * float64), so they must be identical. Average pooling sums in float32: within the summation bound of
 * wasm-parity.ts. Overlapping max-pool gradients add in float32 too, so there dy holds small integers (exact sums).
 * Softmax uses the module's own exp and log (float64), within 2 ulps of Math.exp / Math.log after rounding.
 */
import { describe, expect, it } from 'vitest';
import type { Pool2DInfo } from '../../src/backend/backend.js';
import { pool2dInfo, type Pool2DOptions } from '../../src/ops/pool.js';
import {
  expectExact,
  expectSumsClose,
  expectUlpsClose,
  type Kernel,
  magnitude,
  onBoth,
  Random,
  randomValues,
  valuesWithSpecials,
} from './wasm-parity.js';

const POOL_CASES: [[number, number, number, number], Pool2DOptions][] = [
  [[2, 6, 6, 4], { poolSize: 2 }],
  [[1, 7, 5, 3], { poolSize: 2, padding: 'same' }],
  [[2, 9, 8, 5], { poolSize: 3, strides: 2, padding: 'same' }],
  [[1, 8, 7, 8], { poolSize: [3, 2], strides: 1 }],
  [[1, 5, 5, 1], { poolSize: 3, strides: 1, padding: 'same' }],
  [[3, 4, 6, 9], { poolSize: [1, 3], strides: [1, 2] }],
];

function label(shape: readonly number[], options: Pool2DOptions): string {
  return `x [${shape.join(', ')}], ${JSON.stringify(options)}`;
}

/** Seeded random pooling geometries: windows 1–4, strides 1–3, valid or same, sizes 1–9. */
function randomPoolCases(count: number, random: Random): [[number, number, number, number], Pool2DOptions][] {
  const cases: [[number, number, number, number], Pool2DOptions][] = [];
  const pick = (lo: number, hi: number): number => lo + random.int(hi - lo + 1);
  while (cases.length < count) {
    const shape: [number, number, number, number] = [pick(1, 3), pick(1, 9), pick(1, 9), pick(1, 9)];
    const options: Pool2DOptions = {
      poolSize: [pick(1, 4), pick(1, 4)],
      strides: [pick(1, 3), pick(1, 3)],
      padding: random.next() < 0.5 ? 'same' : 'valid',
    };
    try {
      pool2dInfo(shape, options);
      cases.push([shape, options]);
    } catch {
      // The window does not fit this input: draw again.
    }
  }
  return cases;
}

describe('wasm pooling kernels match the js reference', () => {
  [...POOL_CASES, ...randomPoolCases(20, new Random(99))].forEach(([shape, options], index) => {
    it(label(shape, options), () => {
      const info: Pool2DInfo = pool2dInfo(shape, options);
      const random = new Random(60 + index);
      const inputLength = shape.reduce((a, b) => a * b, 1);
      const outputLength = info.batch * info.outHeight * info.outWidth * info.channels;
      // Values on a coarse grid, so windows often hold ties: the first maximum must win on both backends.
      const x = valuesWithSpecials(inputLength, random).map((v) => Math.round(v * 2) / 2);
      const dy = Float32Array.from({ length: outputLength }, () => random.int(7) - 3);

      const max = onBoth([x], (b, [xs]) => b.maxPool(xs ?? b.alloc(0), info));
      expectExact(max.wasm[0], max.js[0]);
      const maxGrad = onBoth([dy, x], (b, [g, xs]) => b.maxPoolBackprop(g ?? b.alloc(0), xs ?? b.alloc(0), info));
      expectExact(maxGrad.wasm[0], maxGrad.js[0]);

      const finite = randomValues(inputLength, random);
      const window = info.poolHeight * info.poolWidth;
      const avgKernel: Kernel = (b, [xs]) => b.avgPool(xs ?? b.alloc(0), info);
      const avg = onBoth([finite], avgKernel);
      expectSumsClose(avg.wasm[0], avg.js[0], magnitude([finite], avgKernel)[0], window);
      const gradients = randomValues(outputLength, random);
      const avgGradKernel: Kernel = (b, [g]) => b.avgPoolBackprop(g ?? b.alloc(0), info);
      const avgGrad = onBoth([gradients], avgGradKernel);
      expectSumsClose(avgGrad.wasm[0], avgGrad.js[0], magnitude([gradients], avgGradKernel)[0], window);
    });
  });

  it('maxPool never lets padding win and routes the gradient to the first maximum (hand-computed)', () => {
    // 2×4 input, pool 2 stride 2: window 0 = [[5, 5], [5, 1]] (tie → first), window 1 = [[0, 2], [7, 7]].
    const info = pool2dInfo([1, 2, 4, 1], { poolSize: 2 });
    const x = [5, 5, 0, 2, 5, 1, 7, 7];
    expect(Array.from(onBoth([x], (b, [xs]) => b.maxPool(xs ?? b.alloc(0), info)).wasm[0] ?? [])).toEqual([5, 7]);
    const dx = onBoth([[10, 20], x], (b, [g, xs]) => b.maxPoolBackprop(g ?? b.alloc(0), xs ?? b.alloc(0), info));
    expect(Array.from(dx.wasm[0] ?? [])).toEqual([10, 0, 0, 0, 0, 0, 20, 0]);
    // 'same' on 3×3 of negatives: the implicit trailing pad must not contribute a 0.
    const same = pool2dInfo([1, 3, 3, 1], { poolSize: 2, padding: 'same' });
    const negatives = [-9, -8, -7, -6, -5, -4, -3, -2, -1];
    expect(Array.from(onBoth([negatives], (b, [xs]) => b.maxPool(xs ?? b.alloc(0), same)).wasm[0] ?? [])).toEqual([
      -5, -4, -2, -1,
    ]);
  });
});

describe('wasm normalization and softmax kernels match the js reference', () => {
  for (const channels of [1, 2, 3, 4, 7, 16]) {
    it(`moments, batchNorm and batchNormGrad with ${channels} channels`, () => {
      const random = new Random(channels);
      const rows = 23;
      const x = randomValues(rows * channels, random, -2, 3);
      const dy = randomValues(rows * channels, random);
      const gamma = randomValues(channels, random, 0.5, 1.5);
      const beta = randomValues(channels, random);
      const epsilon = 1e-3;
      const stats = onBoth([x], (b, [xs]) => {
        const m = b.moments(xs ?? b.alloc(0), channels);
        return [m.mean, m.variance];
      });
      expectExact(stats.wasm[0], stats.js[0]);
      expectExact(stats.wasm[1], stats.js[1]);
      const [mean = new Float32Array(0), variance = new Float32Array(0)] = stats.js;
      const y = onBoth([x, mean, variance, gamma, beta], (b, [xs, m, v, g, be]) =>
        b.batchNorm(
          xs ?? b.alloc(0),
          m ?? b.alloc(0),
          v ?? b.alloc(0),
          g ?? b.alloc(0),
          be ?? b.alloc(0),
          channels,
          epsilon,
        ),
      );
      expectExact(y.wasm[0], y.js[0]);
      const grads = onBoth([dy, x, mean, variance, gamma], (b, [g, xs, m, v, ga]) => {
        const r = b.batchNormGrad(
          g ?? b.alloc(0),
          xs ?? b.alloc(0),
          m ?? b.alloc(0),
          v ?? b.alloc(0),
          ga ?? b.alloc(0),
          channels,
          epsilon,
        );
        return [r.dx, r.dGamma, r.dBeta];
      });
      for (let i = 0; i < 3; i++) expectExact(grads.wasm[i], grads.js[i]);
    });
  }

  it('softmax and logSoftmax, rows of several widths, with large logits that would overflow exp unshifted', () => {
    const random = new Random(8);
    for (const cols of [1, 2, 5, 10, 33]) {
      const rows = 4;
      const logits = randomValues(rows * cols, random, -20, 20).map((v, i) => (i % 7 === 0 ? v + 500 : v));
      const soft = onBoth([logits], (b, [xs]) => b.softmax(xs ?? b.alloc(0), rows, cols));
      expectUlpsClose(soft.wasm[0], soft.js[0], 2);
      const logSoft = onBoth([logits], (b, [xs]) => b.logSoftmax(xs ?? b.alloc(0), rows, cols));
      expectUlpsClose(logSoft.wasm[0], logSoft.js[0], 2);
    }
    // Hand-computed: softmax([0, ln 3]) = [1/4, 3/4].
    const simple = onBoth([[0, Math.log(3)]], (b, [xs]) => b.softmax(xs ?? b.alloc(0), 1, 2));
    expectUlpsClose(simple.wasm[0], Float32Array.from([0.25, 0.75]), 2);
  });
});
