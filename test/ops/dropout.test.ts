import { describe, expect, it } from 'vitest';
import { dropout, grads, ones, Random, tensor } from '../../src/index.js';
import { gradcheck, randomInput } from '../helpers/gradcheck.js';

describe('dropout', () => {
  it('keeps ≈ (1 − rate) of a large tensor and preserves its mean (binomial bound)', () => {
    const n = 100_000;
    const rate = 0.3;
    const y = dropout(ones([n]), rate, new Random(1)).dataSync();
    const kept = y.filter((v) => v !== 0).length;
    // The kept count is Binomial(n, 0.7): σ of the kept fraction = √(0.7·0.3/n) ≈ 0.00145; allow 5σ.
    const sigma = Math.sqrt(((1 - rate) * rate) / n);
    expect(Math.abs(kept / n - (1 - rate))).toBeLessThan(5 * sigma);
    // Mean of y = kept fraction / (1 − rate), so its bound is the same 5σ scaled by 1/(1 − rate).
    const meanY = y.reduce((s, v) => s + v, 0) / n;
    expect(Math.abs(meanY - 1)).toBeLessThan((5 * sigma) / (1 - rate));
    // Every kept value is x / (1 − rate).
    expect(y.every((v) => v === 0 || Math.abs(v - 1 / (1 - rate)) < 1e-6)).toBe(true);
  });

  it('mask element i is kept when the i-th draw is ≥ rate (the documented rule, replayed from the seed)', () => {
    const rate = 0.5;
    const y = dropout(ones([64]), rate, new Random(9)).dataSync();
    const draws = new Random(9);
    const expected = Array.from({ length: 64 }, () => (draws.next() >= rate ? 2 : 0));
    expect(Array.from(y)).toEqual(expected);
  });

  it('the same seed gives the same mask; another seed a different one', () => {
    const x = randomInput([20, 10], 1);
    const a = dropout(x, 0.5, new Random(42)).dataSync();
    const b = dropout(x, 0.5, new Random(42)).dataSync();
    const c = dropout(x, 0.5, new Random(43)).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('noiseShape [N, 1, 1, C] drops whole channels (spatial dropout)', () => {
    const [n, h, w, c] = [4, 3, 3, 8];
    const y = dropout(ones([n, h, w, c]), 0.5, new Random(5), [n, 1, 1, c]).dataSync();
    let droppedChannels = 0;
    for (let b = 0; b < n; b++) {
      for (let ch = 0; ch < c; ch++) {
        const values = new Set<number>();
        for (let i = 0; i < h * w; i++) values.add(y[(b * h * w + i) * c + ch] ?? Number.NaN);
        expect(values.size).toBe(1);
        if (values.has(0)) droppedChannels++;
      }
    }
    // 32 channel draws at rate 0.5: both some dropped and some kept (each outcome alone has probability 2⁻³²).
    expect(droppedChannels).toBeGreaterThan(0);
    expect(droppedChannels).toBeLessThan(n * c);
  });

  it('gradient is dy · mask / (1 − rate) (gradcheck with a fixed seed, and on ones by hand)', () => {
    const x = randomInput([3, 4, 5], 2);
    gradcheck(() => dropout(x, 0.4, new Random(3)), [x]);
    const o = ones([50]);
    o.requiresGrad = true;
    const y = dropout(o, 0.4, new Random(4));
    const [dx] = grads(y, [o]);
    // For x = 1 and dy = 1, dx = mask / (1 − rate) = y.
    expect(Array.from(dx?.dataSync() ?? [])).toEqual(Array.from(y.dataSync()));
  });

  it('rate 0 returns x itself; invalid rates and noise shapes are rejected', () => {
    const x = tensor([1, 2, 3]);
    expect(dropout(x, 0, new Random(1))).toBe(x);
    expect(() => dropout(x, 1, new Random(1))).toThrow('dropout: `rate` must be a number in [0, 1), received 1');
    expect(() => dropout(x, -0.1, new Random(1))).toThrow(/received -0.1/);
    expect(() => dropout(tensor(new Float32Array(6), [2, 3]), 0.5, new Random(1), [2, 2])).toThrow(
      "dropout: `noiseShape` must have x's rank and each dimension equal to x's or 1, for x [2, 3], received [2, 2]",
    );
  });
});
