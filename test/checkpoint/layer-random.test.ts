/**
 * The state accessors of a dropout layer's own generator (what training checkpoints save): a layer restored to a
 * saved state draws the masks the original draws next; a layer without a `seed` has no generator of its own.
 */
import { describe, expect, it } from 'vitest';
import { layers, ones, Random } from '../../src/index.js';

describe('dropout getRandomState / setRandomState', () => {
  it("a layer set to another's state draws the same next mask; its state follows Random(seed) one draw per element", () => {
    const a = layers.dropout({ rate: 0.5, seed: 9 });
    const b = layers.dropout({ rate: 0.5, seed: 9 });
    const x = ones([4, 6]);
    a.apply(x, { training: true });
    // By hand: the mask of a [4, 6] input takes 24 draws from the layer's generator.
    const expected = new Random(9);
    for (let i = 0; i < 24; i++) expected.next();
    expect(a.getRandomState()).toEqual(expected.getState());

    const saved = a.getRandomState();
    if (saved === null) throw new Error('a seeded layer has a state');
    b.setRandomState(saved);
    const [maskA, maskB] = [a.apply(x, { training: true }).dataSync(), b.apply(x, { training: true }).dataSync()];
    expect(Array.from(maskB)).toEqual(Array.from(maskA));
    // The control: a fresh layer with the same seed draws the first mask again, which differs from the second.
    const fresh = layers.dropout({ rate: 0.5, seed: 9 }).apply(x, { training: true }).dataSync();
    expect(Array.from(fresh)).not.toEqual(Array.from(maskA));
  });

  it('a layer without a seed has no state to save, and refuses one', () => {
    const plain = layers.spatialDropout2d({ rate: 0.2, name: 'sd' });
    expect(plain.getRandomState()).toBeNull();
    expect(() => plain.setRandomState([1, 2, 3, 4, Number.NaN])).toThrow(
      "SpatialDropout2D 'sd': setRandomState needs the layer's own generator, but it has no `seed`",
    );
  });
});
