/**
 * Parity of the wasm kernels of the newer CNN blocks with the js reference, on seeded random geometries.
 * Depthwise convolution sums in float32 (fused multiply-adds in the relaxed build): within the summation bound of
 * wasm-parity.ts, on both builds. Layer norm and upsampling perform the reference's float64 operations in the same
 * order, and concat copies: identical, NaN, infinities and the sign of zero included.
 */
import { describe, it } from 'vitest';
import type { DepthwiseConv2DInfo, UpSample2DInfo } from '../../src/backend/backend.js';
import type { Shape } from '../../src/shape.js';
import { depthwiseConv2dInfo } from '../../src/ops/depthwise.js';
import {
  expectExact,
  expectSumsClose,
  type Kernel,
  magnitude,
  onBoth,
  plainWasmBackend,
  Random,
  randomValues,
  valuesWithSpecials,
  wasmBackend,
} from '../backend/wasm-parity.js';

/** Seeded depthwise geometries: kernels 1–4, strides 1–3 or dilations 1–3, valid or same, multipliers 1–5. */
function randomDepthwiseCases(count: number, random: Random): DepthwiseConv2DInfo[] {
  const cases: DepthwiseConv2DInfo[] = [];
  const pick = (lo: number, hi: number): number => lo + random.int(hi - lo + 1);
  while (cases.length < count) {
    const dilated = random.next() < 0.3;
    const channels = [1, 3, 4, 5, 8, 9][random.int(6)] ?? 1;
    const multiplier = [1, 1, 2, 3, 4, 5][random.int(6)] ?? 1;
    try {
      cases.push(
        depthwiseConv2dInfo(
          [pick(1, 3), pick(1, 9), pick(1, 9), channels],
          [pick(1, 4), pick(1, 4), channels, multiplier],
          {
            strides: dilated ? 1 : [pick(1, 3), pick(1, 3)],
            dilationRate: dilated ? [pick(1, 3), pick(1, 3)] : 1,
            padding: random.next() < 0.5 ? 'same' : 'valid',
          },
        ),
      );
    } catch {
      // The window does not fit this input: draw again.
    }
  }
  return cases;
}

/** Hand-picked geometries: stride 2 and same padding over odd sizes, dilation, multiplier 2, batches 1 and 5. */
const chosenDepthwiseCases: DepthwiseConv2DInfo[] = [
  depthwiseConv2dInfo([1, 9, 7, 5], [3, 3, 5, 1], { strides: 2, padding: 'same' }),
  depthwiseConv2dInfo([5, 11, 13, 37], [3, 3, 37, 1], { strides: 2, padding: 'same' }),
  depthwiseConv2dInfo([5, 7, 9, 6], [3, 3, 6, 2], { strides: [2, 1], padding: 'same' }),
  depthwiseConv2dInfo([1, 12, 11, 17], [3, 2, 17, 2], { dilationRate: [2, 3], padding: 'same' }),
  depthwiseConv2dInfo([5, 10, 10, 8], [3, 3, 8, 2], { dilationRate: 2, padding: 'valid' }),
  depthwiseConv2dInfo([1, 5, 5, 3], [5, 5, 3, 2], { strides: 3, padding: 'same' }),
];

const label = (i: DepthwiseConv2DInfo): string =>
  `x [${i.batch}, ${i.inHeight}, ${i.inWidth}, ${i.inChannels}], ` +
  `filter [${i.filterHeight}, ${i.filterWidth}, ${i.inChannels}, ${i.channelMultiplier}], strides [${i.strideHeight}, ` +
  `${i.strideWidth}], dilation [${i.dilationHeight}, ${i.dilationWidth}], pad [${i.padTop}, ${i.padLeft}]`;

describe('wasm depthwise convolution kernels match the js reference', () => {
  [...chosenDepthwiseCases, ...randomDepthwiseCases(24, new Random(4242))].forEach((info, index) => {
    it(label(info), () => {
      const random = new Random(index);
      const input = info.batch * info.inHeight * info.inWidth * info.inChannels;
      const output = info.batch * info.outHeight * info.outWidth * info.outChannels;
      const filter = info.filterHeight * info.filterWidth * info.outChannels;
      const x = randomValues(input, random);
      const w = randomValues(filter, random);
      const dy = randomValues(output, random);
      const kernels: [Kernel, Float32Array[], number][] = [
        [
          (b, [a, f]) => b.depthwiseConv2d(a ?? b.alloc(0), f ?? b.alloc(0), info),
          [x, w],
          info.filterHeight * info.filterWidth,
        ],
        [
          (b, [g, f]) => b.depthwiseConv2dBackpropInput(g ?? b.alloc(0), f ?? b.alloc(0), info),
          [dy, w],
          info.filterHeight * info.filterWidth * info.channelMultiplier,
        ],
        [
          (b, [a, g]) => b.depthwiseConv2dBackpropFilter(a ?? b.alloc(0), g ?? b.alloc(0), info),
          [x, dy],
          info.batch * info.outHeight * info.outWidth,
        ],
      ];
      for (const [kernel, inputs, terms] of kernels) {
        const bound = magnitude(inputs, kernel)[0];
        for (const backend of [wasmBackend, plainWasmBackend]) {
          const out = onBoth(inputs, kernel, backend);
          expectSumsClose(out.wasm[0], out.js[0], bound, terms);
        }
      }
    });
  });
});

describe('wasm layer norm kernels match the js reference exactly', () => {
  const random = new Random(17);
  [
    [1, 1],
    [3, 2],
    [4, 7],
    [5, 16],
    [2, 33],
    [1, 128],
  ].forEach(([rows = 1, cols = 1]) => {
    it(`[${rows}, ${cols}]`, () => {
      const x = randomValues(rows * cols, random, -3, 3);
      const gamma = randomValues(cols, random, 0.5, 1.5);
      const beta = randomValues(cols, random);
      const dy = randomValues(rows * cols, random);
      const y = onBoth([x, gamma, beta], (b, [a, g, c]) =>
        b.layerNorm(a ?? b.alloc(0), g ?? b.alloc(0), c ?? b.alloc(0), cols, 1e-3),
      );
      expectExact(y.wasm[0], y.js[0]);
      const grad = onBoth([dy, x, gamma], (b, [g, a, c]) => {
        const { dx, dGamma, dBeta } = b.layerNormGrad(g ?? b.alloc(0), a ?? b.alloc(0), c ?? b.alloc(0), cols, 1e-3);
        return [dx, dGamma, dBeta];
      });
      [0, 1, 2].forEach((k) => expectExact(grad.wasm[k], grad.js[k]));
    });
  });
});

describe('wasm upsampling and concat match the js reference exactly', () => {
  const random = new Random(23);
  for (let k = 0; k < 12; k++) {
    const info: UpSample2DInfo = {
      batch: 1 + random.int(3),
      inHeight: 1 + random.int(7),
      inWidth: 1 + random.int(7),
      channels: 1 + random.int(9),
      sizeHeight: 1 + random.int(3),
      sizeWidth: 1 + random.int(3),
      interpolation: k % 2 === 0 ? 'nearest' : 'bilinear',
    };
    it(`upsampling ${JSON.stringify(info)}`, () => {
      const x = valuesWithSpecials(info.batch * info.inHeight * info.inWidth * info.channels, random);
      const dy = randomValues(x.length * info.sizeHeight * info.sizeWidth, random);
      const up = onBoth([x], (b, [a]) => b.upSample2d(a ?? b.alloc(0), info));
      expectExact(up.wasm[0], up.js[0]);
      const back = onBoth([dy], (b, [g]) => b.upSample2dBackprop(g ?? b.alloc(0), info));
      expectExact(back.wasm[0], back.js[0]);
    });
  }
  it('concat along each axis of a rank-3 tensor', () => {
    for (const axis of [0, 1, 2]) {
      const shapes: Shape[] = [
        [2, 3, 4],
        [2, 3, 4],
        [2, 3, 4],
      ].map((s, i) => s.map((d, a) => (a === axis ? i + 1 : d)));
      const inputs = shapes.map((s) =>
        randomValues(
          s.reduce((n, d) => n * d, 1),
          random,
        ),
      );
      const out = onBoth(inputs, (b, xs) => b.concat(xs, shapes, axis));
      expectExact(out.wasm[0], out.js[0]);
    }
  });
  it('concat of odd lengths along each axis of a rank-4 tensor, an empty input included', () => {
    for (const axis of [0, 1, 2, 3]) {
      const shapes: Shape[] = [3, 0, 5, 1].map((d) => [2, 3, 5, 7].map((size, a) => (a === axis ? d : size)));
      const inputs = shapes.map((s) =>
        valuesWithSpecials(
          s.reduce((n, d) => n * d, 1),
          random,
        ),
      );
      const out = onBoth(inputs, (b, xs) => b.concat(xs, shapes, axis));
      expectExact(out.wasm[0], out.js[0]);
    }
  });
});
