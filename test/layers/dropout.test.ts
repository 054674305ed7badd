import { describe, expect, it } from 'vitest';
import { ones, Random, StateError, type Tensor } from '../../src/index.js';
import { Dropout, SpatialDropout2D } from '../../src/layers/dropout.js';
import { randomInput } from '../helpers/gradcheck.js';
import { checkLayer } from '../helpers/layer.js';
import { tf, toTf } from '../helpers/tfjs.js';
import { asTensor } from './tfjs-layer.js';

const train = (seed: number): { training: true; random: Random } => ({ training: true, random: new Random(seed) });
const values = (t: Tensor): number[] => Array.from(t.dataSync());

describe('Dropout', () => {
  it('training on [4, 5] with a seeded context: no parameters; gradient = mask / (1 − rate)', () => {
    checkLayer({
      layer: new Dropout({ rate: 0.4 }),
      inputShape: [4, 5],
      outputShape: [4, 5],
      params: 0,
      training: true,
    });
  });

  it('inference on [2, 3, 3, 2]: the identity, gradient 1', () => {
    const layer = new Dropout({ rate: 0.5 });
    checkLayer({ layer, inputShape: [2, 3, 3, 2], outputShape: [2, 3, 3, 2], params: 0 });
    const x = randomInput([2, 3, 3, 2], 3);
    expect(values(layer.apply(x, { training: false, random: new Random(1) }))).toEqual(values(x));
  });

  it('keeps ≈ (1 − rate) of the values, scales them by 1/(1 − rate) and so preserves the mean (5σ binomial bound)', () => {
    const [n, rate] = [50_000, 0.3];
    const y = new Dropout({ rate }).apply(ones([100, n / 100]), train(2)).dataSync();
    // The kept count is Binomial(n, 0.7): σ of the kept fraction = √(0.7·0.3/n) ≈ 0.002.
    const sigma = Math.sqrt((rate * (1 - rate)) / n);
    const kept = y.filter((v) => v !== 0).length / n;
    expect(Math.abs(kept - (1 - rate))).toBeLessThan(5 * sigma);
    expect(Math.abs(y.reduce((s, v) => s + v, 0) / n - 1)).toBeLessThan((5 * sigma) / (1 - rate));
    expect(y.every((v) => v === 0 || Math.abs(v - 1 / (1 - rate)) < 1e-6)).toBe(true);
  });

  it('scales kept values as tf.layers.dropout does and, like it, is the identity at inference', () => {
    const x = randomInput([20, 30], 4, 0.5, 1);
    const ours = values(new Dropout({ rate: 0.25 }).apply(x, train(5)));
    const tfLayer = tf.layers.dropout({ rate: 0.25 });
    const theirs = Array.from(asTensor(tfLayer.apply(toTf(x), { training: true })).dataSync());
    const inputs = values(x);
    // The masks come from different generators; where both keep a value, it must be the same scaled value.
    const bothKept = inputs.map((_, i) => i).filter((i) => ours[i] !== 0 && theirs[i] !== 0);
    expect(bothKept.length).toBeGreaterThan(200);
    for (const i of bothKept) expect(ours[i]).toBeCloseTo(theirs[i] ?? Number.NaN, 5);
    expect(Array.from(asTensor(tfLayer.apply(toTf(x), { training: false })).dataSync())).toEqual(inputs);
  });

  it('the same context seed gives the same mask; another seed another mask', () => {
    const x = randomInput([10, 10], 6);
    const layer = new Dropout({ rate: 0.5 });
    expect(values(layer.apply(x, train(7)))).toEqual(values(layer.apply(x, train(7))));
    expect(values(layer.apply(x, train(7)))).not.toEqual(values(layer.apply(x, train(8))));
  });

  it("a layer's own seed wins over context.random and advances per call; a rebuilt layer replays the sequence", () => {
    const x = randomInput([10, 10], 9);
    const a = new Dropout({ rate: 0.5, seed: 3 });
    const b = Dropout.fromConfig(a.getConfig());
    const a1 = values(a.apply(x, train(1)));
    const a2 = values(a.apply(x, train(1)));
    expect(a2).not.toEqual(a1);
    expect(values(b.apply(x, train(99)))).toEqual(a1);
    expect(values(b.apply(x))).toEqual(values(x));
    expect(values(b.apply(x, { training: true }))).toEqual(a2);
    // The layer's masks are those of Random(3) (the mask rule: keep when the draw is ≥ rate).
    const draws = new Random(3);
    const inputs = values(x);
    expect(a1).toEqual(inputs.map((v) => v * (draws.next() >= 0.5 ? 2 : 0)));
  });

  it('without a seed or context.random a training call fails (no hidden generator); inference needs neither', () => {
    const layer = new Dropout({ rate: 0.5, name: 'unseeded' });
    expect(() => layer.apply(ones([4]), { training: true })).toThrow(StateError);
    expect(() => layer.apply(ones([4]), { training: true })).toThrow(
      /^Dropout 'unseeded': training needs a generator for the masks: give the layer a `seed`/,
    );
    expect(values(layer.apply(ones([4])))).toEqual([1, 1, 1, 1]);
  });

  it('noiseShape [null, 1] drops whole rows of [N, C]; rate 0 is the identity', () => {
    const y = new Dropout({ rate: 0.5, noiseShape: [null, 1] }).apply(ones([40, 6]), train(10)).dataSync();
    const rowSums = Array.from({ length: 40 }, (_, r) => y.subarray(r * 6, r * 6 + 6).reduce((s, v) => s + v, 0));
    expect(rowSums.every((s) => s === 0 || s === 12)).toBe(true);
    expect(rowSums.filter((s) => s === 0).length).toBeGreaterThan(5);
    const x = randomInput([3, 4], 11);
    expect(values(new Dropout({ rate: 0 }).apply(x, train(1)))).toEqual(values(x));
  });

  it('stores rate, noiseShape and seed in its config (null when absent)', () => {
    expect(new Dropout({ rate: 0.2 }).getConfig()).toMatchObject({ rate: 0.2, noiseShape: null, seed: null });
    expect(new Dropout({ rate: 0.2, noiseShape: [null, 1, 3], seed: 5 }).getConfig()).toMatchObject({
      noiseShape: [null, 1, 3],
      seed: 5,
    });
  });

  it('rejects rates outside [0, 1), bad noise shapes and seeds, naming the layer', () => {
    expect(() => new Dropout({ rate: 1, name: 'd1' })).toThrow(
      "Dropout 'd1': `rate` must be a number in [0, 1), received 1",
    );
    expect(() => new Dropout({ rate: -0.1, name: 'd2' })).toThrow(
      "Dropout 'd2': `rate` must be a number in [0, 1), received -0.1",
    );
    expect(() => new Dropout({ rate: 0.5, noiseShape: [0, 1], name: 'd3' })).toThrow(
      "Dropout 'd3': `noiseShape` must be an array of positive integers or nulls, received [0,1]",
    );
    expect(() =>
      new Dropout({ rate: 0.5, noiseShape: [null, 1], name: 'd4' }).apply(randomInput([2, 3, 4], 1)),
    ).toThrow("Dropout 'd4': `noiseShape` must be of the input's rank 3 (input [null, 3, 4]), received [null,1]");
    expect(() => new Dropout({ rate: 0.5, seed: Number.NaN, name: 'd5' })).toThrow(
      "Dropout 'd5': `seed` must be a finite number or null, received NaN",
    );
  });
});

describe('SpatialDropout2D', () => {
  it('training on [2, 3, 3, 4]: no parameters; gradient = per-channel mask / (1 − rate)', () => {
    checkLayer({
      layer: new SpatialDropout2D({ rate: 0.5 }),
      inputShape: [2, 3, 3, 4],
      outputShape: [2, 3, 3, 4],
      params: 0,
      training: true,
    });
  });

  it('zeros whole channels of each example: every (n, c) is all 0 or all 1/(1 − rate); ≈ half of them dropped', () => {
    const [n, h, w, c] = [8, 3, 4, 16];
    const y = new SpatialDropout2D({ rate: 0.5 }).apply(ones([n, h, w, c]), train(12)).dataSync();
    let dropped = 0;
    for (let b = 0; b < n; b++) {
      for (let ch = 0; ch < c; ch++) {
        const channel = Array.from({ length: h * w }, (_, p) => y[(b * h * w + p) * c + ch]);
        expect(channel.every((v) => v === 0) || channel.every((v) => v === 2)).toBe(true);
        if (channel[0] === 0) dropped++;
      }
    }
    // 128 channels, Binomial(128, 0.5): σ ≈ 5.7; allow 5σ.
    expect(Math.abs(dropped - 64)).toBeLessThan(5 * Math.sqrt(128 * 0.25));
  });

  it('is the identity at inference and stores rate, seed and dataFormat in its config', () => {
    const x = randomInput([1, 2, 2, 3], 13);
    const layer = new SpatialDropout2D({ rate: 0.3, seed: 4 });
    expect(values(layer.apply(x))).toEqual(values(x));
    expect(layer.getConfig()).toMatchObject({ rate: 0.3, seed: 4, dataFormat: 'channelsLast' });
  });

  it('rejects input that is not rank 4, rate 1 and channelsFirst, naming the layer', () => {
    expect(() => new SpatialDropout2D({ rate: 0.5, name: 's1' }).apply(randomInput([2, 3, 4], 1), train(1))).toThrow(
      "SpatialDropout2D 's1': `input shape` must be rank 4 [batch, height, width, channels], received [null, 3, 4]",
    );
    expect(() => new SpatialDropout2D({ rate: 1, name: 's2' })).toThrow(
      "SpatialDropout2D 's2': `rate` must be a number in [0, 1), received 1",
    );
    expect(() => new SpatialDropout2D({ rate: 0.5, dataFormat: 'channelsFirst', name: 's3' })).toThrow(
      `SpatialDropout2D 's3': \`dataFormat\` must be 'channelsLast'`,
    );
  });
});
