import { describe, expect, it } from 'vitest';
import type { Conv2DInfo, Pool2DInfo } from '../../src/index.js';
import { Random } from '../../src/index.js';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from '../../src/backend/js/conv.js';
import { avgPool, avgPoolBackprop, maxPool, maxPoolBackprop } from '../../src/backend/js/pool.js';

function convInfo(overrides: Partial<Conv2DInfo>): Conv2DInfo {
  return {
    batch: 1,
    inHeight: 3,
    inWidth: 3,
    inChannels: 1,
    outHeight: 2,
    outWidth: 2,
    outChannels: 1,
    filterHeight: 2,
    filterWidth: 2,
    strideHeight: 1,
    strideWidth: 1,
    dilationHeight: 1,
    dilationWidth: 1,
    padTop: 0,
    padLeft: 0,
    ...overrides,
  };
}

function poolInfo(overrides: Partial<Pool2DInfo>): Pool2DInfo {
  return {
    batch: 1,
    inHeight: 3,
    inWidth: 3,
    channels: 1,
    outHeight: 2,
    outWidth: 2,
    poolHeight: 2,
    poolWidth: 2,
    strideHeight: 2,
    strideWidth: 2,
    padTop: 0,
    padLeft: 0,
    ...overrides,
  };
}

const range = (n: number, from = 1): Float32Array => Float32Array.from({ length: n }, (_, i) => i + from);

function randomArray(length: number, random: Random): Float32Array {
  return Float32Array.from({ length }, () => random.uniform(-1, 1));
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] ?? 0) * (b[i] ?? 0);
  return s;
}

describe('js conv2d kernels', () => {
  it('pads with zeros before and after, and dilates the filter (hand-computed)', () => {
    // x = 1..9 as 3×3, filter [[1, 0], [0, 1]] dilated by 2 (spans 3×3), padTop = padLeft = 1, output 3×3:
    // y[oy, ox] = x[oy − 1, ox − 1] + x[oy + 1, ox + 1], taps outside the input reading 0.
    const info = convInfo({ outHeight: 3, outWidth: 3, dilationHeight: 2, dilationWidth: 2, padTop: 1, padLeft: 1 });
    const y = conv2d(range(9), Float32Array.from([1, 0, 0, 1]), info);
    expect(Array.from(y)).toEqual([5, 6, 0, 8, 10, 2, 0, 4, 5]);
  });

  it('strides over the input and mixes channels (hand-computed)', () => {
    // 1×1 filter with inC = 2, outC = 2 is a per-pixel matrix product; stride 2 keeps pixels 0 and 2 of a 1×3 row.
    const info = convInfo({
      inHeight: 1,
      inWidth: 3,
      inChannels: 2,
      outHeight: 1,
      outWidth: 2,
      outChannels: 2,
      filterHeight: 1,
      filterWidth: 1,
      strideWidth: 2,
    });
    const x = Float32Array.from([1, 2, 100, 200, 3, 4]);
    const w = Float32Array.from([1, 2, 3, 4]); // w[ci, co]
    // pixel [1, 2] → [1·1 + 2·3, 1·2 + 2·4] = [7, 10]; pixel [3, 4] → [15, 22].
    expect(Array.from(conv2d(x, w, info))).toEqual([7, 10, 15, 22]);
  });

  // The gradients are adjoints of the forward map: <conv(x, w), dy> = <x, dX(dy, w)> = <w, dW(x, dy)>.
  const geometries: Conv2DInfo[] = [
    convInfo({ batch: 2, inHeight: 5, inWidth: 4, inChannels: 2, outChannels: 3, outHeight: 4, outWidth: 3 }),
    convInfo({
      inHeight: 7,
      inWidth: 6,
      inChannels: 3,
      outChannels: 2,
      filterHeight: 3,
      filterWidth: 2,
      strideHeight: 2,
      strideWidth: 3,
      outHeight: 4,
      outWidth: 2,
      padTop: 1,
      padLeft: 0,
    }),
    convInfo({
      batch: 2,
      inHeight: 6,
      inWidth: 6,
      inChannels: 2,
      outChannels: 2,
      filterHeight: 3,
      filterWidth: 3,
      dilationHeight: 2,
      dilationWidth: 3,
      outHeight: 6,
      outWidth: 6,
      padTop: 2,
      padLeft: 3,
    }),
  ];
  geometries.forEach((info, k) => {
    it(`backprop kernels are the adjoints of conv2d (geometry ${k})`, () => {
      const random = new Random(100 + k);
      const x = randomArray(info.batch * info.inHeight * info.inWidth * info.inChannels, random);
      const w = randomArray(info.filterHeight * info.filterWidth * info.inChannels * info.outChannels, random);
      const dy = randomArray(info.batch * info.outHeight * info.outWidth * info.outChannels, random);
      const forward = dot(conv2d(x, w, info), dy);
      expect(dot(x, conv2dBackpropInput(dy, w, info))).toBeCloseTo(forward, 4);
      expect(dot(w, conv2dBackpropFilter(x, dy, info))).toBeCloseTo(forward, 4);
    });
  });
});

describe('js pooling kernels', () => {
  // x = 1..9 as 3×3; pool 2, stride 2, padTop = padLeft = 0 with an implicit trailing pad of 1 (TF 'same').
  const same = poolInfo({});

  it('avgPool counts only valid positions (hand-computed)', () => {
    // Windows: {1,2,4,5} → 3, {3,6} → 4.5, {7,8} → 7.5, {9} → 9.
    expect(Array.from(avgPool(range(9), same))).toEqual([3, 4.5, 7.5, 9]);
  });

  it('maxPool never lets a padded position win (hand-computed)', () => {
    // All inputs negative: a zero pad winning would show up as 0.
    expect(Array.from(maxPool(range(9, -9), same))).toEqual([-5, -4, -2, -1]);
    expect(Array.from(maxPool(range(9, -9), poolInfo({ padTop: 1, padLeft: 1 })))).toEqual([-9, -7, -3, -1]);
  });

  it('avgPoolBackprop spreads dy evenly over the valid positions (hand-computed)', () => {
    const dx = avgPoolBackprop(Float32Array.from([4, 2, 6, 5]), same);
    expect(Array.from(dx)).toEqual([1, 1, 1, 1, 1, 1, 3, 3, 5]);
  });

  it('maxPoolBackprop routes dy to the first maximum in row-major order (hand-computed)', () => {
    // 2×4 input, pool 2 stride 2: window 0 = [[5, 5], [5, 1]] (tie), window 1 = [[0, 2], [7, 7]] (tie in row 1).
    const info = poolInfo({ inHeight: 2, inWidth: 4, outHeight: 1, outWidth: 2 });
    const x = Float32Array.from([5, 5, 0, 2, 5, 1, 7, 7]);
    expect(Array.from(maxPool(x, info))).toEqual([5, 7]);
    expect(Array.from(maxPoolBackprop(Float32Array.from([10, 20]), x, info))).toEqual([10, 0, 0, 0, 0, 0, 20, 0]);
  });

  it('overlapping windows accumulate their gradients, per channel (hand-computed)', () => {
    // 1×3 row with 2 channels, pool 1×2 stride 1: channel 0 = [1, 3, 2] (max 3 twice), channel 1 = [6, 5, 4].
    const info = poolInfo({
      inHeight: 1,
      inWidth: 3,
      channels: 2,
      outHeight: 1,
      outWidth: 2,
      poolHeight: 1,
      strideHeight: 1,
      strideWidth: 1,
    });
    const x = Float32Array.from([1, 6, 3, 5, 2, 4]);
    expect(Array.from(maxPool(x, info))).toEqual([3, 6, 3, 5]);
    expect(Array.from(maxPoolBackprop(Float32Array.from([1, 2, 3, 4]), x, info))).toEqual([0, 2, 4, 4, 0, 0]);
    expect(Array.from(avgPoolBackprop(Float32Array.from([1, 2, 3, 4]), info))).toEqual([0.5, 1, 2, 3, 1.5, 2]);
  });
});
