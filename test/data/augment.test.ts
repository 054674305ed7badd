import { describe, expect, it } from 'vitest';
import { Random } from '../../src/random.js';
import { augmentBatch, flipHorizontal, rotate, translate } from '../../src/data/augment.js';

/** A 1 × 3 × 3 × 1 image with a single 1 at (row, col). */
function dot(row: number, col: number): Float32Array {
  const x = new Float32Array(9);
  x[row * 3 + col] = 1;
  return x;
}

const SHAPE = [1, 3, 3, 1];

describe('translate', () => {
  it('a shift by (dy, dx) = (1, 0) moves pixel (0, 1) to (1, 1); zeros fill the vacated row', () => {
    expect(Array.from(translate(dot(0, 1), SHAPE, 1, 0))).toEqual(Array.from(dot(1, 1)));
    expect(Array.from(translate(dot(1, 1), SHAPE, 0, -1))).toEqual(Array.from(dot(1, 0)));
    expect(Array.from(translate(dot(2, 2), SHAPE, 1, 0))).toEqual(new Array<number>(9).fill(0)); // moved out
  });

  it('shifts every image and channel of a batch (hand-computed)', () => {
    // Two 2 × 2 images with 2 channels: values 1..16; shift right by one column.
    const x = Float32Array.from({ length: 16 }, (_, i) => i + 1);
    // out[y, 1, c] = in[y, 0, c]; column 0 becomes 0.
    expect(Array.from(translate(x, [2, 2, 2, 2], 0, 1))).toEqual([0, 0, 1, 2, 0, 0, 5, 6, 0, 0, 9, 10, 0, 0, 13, 14]);
  });
});

describe('flipHorizontal', () => {
  it('mirrors columns, keeps channel order, and twice is the identity', () => {
    const x = Float32Array.from({ length: 12 }, (_, i) => i); // [1, 2, 3, 2]
    const once = flipHorizontal(x, [1, 2, 3, 2]);
    expect(Array.from(once)).toEqual([4, 5, 2, 3, 0, 1, 10, 11, 8, 9, 6, 7]);
    expect(Array.from(flipHorizontal(once, [1, 2, 3, 2]))).toEqual(Array.from(x));
  });
});

describe('rotate', () => {
  it('by 0° is the identity', () => {
    const x = Float32Array.from({ length: 2 * 4 * 5 * 3 }, (_, i) => Math.sin(i));
    const out = rotate(x, [2, 4, 5, 3], 0);
    out.forEach((v, i) => expect(v).toBeCloseTo(x[i] ?? Number.NaN, 6));
  });

  it('by 90° counter-clockwise moves the top-middle pixel to the middle-left (hand-checked)', () => {
    const out = rotate(dot(0, 1), SHAPE, 90);
    const expected = dot(1, 0);
    out.forEach((v, i) => expect(v).toBeCloseTo(expected[i] ?? Number.NaN, 6));
    // and −90° (clockwise) moves it to the middle-right
    const back = rotate(dot(0, 1), SHAPE, -90);
    dot(1, 2).forEach((v, i) => expect(back[i]).toBeCloseTo(v, 6));
  });

  it('by 90° leaves a plus sign (symmetric under quarter turns) unchanged', () => {
    const plus = Float32Array.from([0, 1, 0, 1, 1, 1, 0, 1, 0]);
    rotate(plus, SHAPE, 90).forEach((v, i) => expect(v).toBeCloseTo(plus[i] ?? Number.NaN, 6));
  });

  it('by 45° samples bilinearly with zero fill (hand-computed corner)', () => {
    // A constant image of ones: output (0, 0) is at u = −1, v = 1 from the centre; rotating back by −45° lands at
    // u' = −1·cos45 + 1·sin45 = 0, v' = 1·sin45 + 1·cos45 = √2 ≈ 1.414, i.e. row 1 − 1.414 = −0.414: 41.4% of the
    // weight falls outside the image (zero fill), so the value is 1 − 0.414 = 0.586.
    const out = rotate(new Float32Array(9).fill(1), SHAPE, 45);
    expect(out[0]).toBeCloseTo(2 - Math.SQRT2, 6);
    expect(out[4]).toBeCloseTo(1, 6); // the centre stays
  });
});

describe('augmentBatch', () => {
  const x = Float32Array.from({ length: 4 * 5 * 5 }, (_, i) => (i * 7) % 11);
  const batch = { x, xShape: [4, 5, 5, 1], y: Float32Array.from([0, 1, 2, 3]) };

  it('is applied only when asked: not in inference, not without options (and draws nothing)', () => {
    const random = new Random(5);
    const before = random.getState();
    expect(augmentBatch(batch, { shift: 2, rotation: 10, horizontalFlip: true }, { training: false, random })).toBe(
      batch,
    );
    expect(augmentBatch(batch, {}, { training: true, random })).toBe(batch);
    expect(random.getState()).toEqual(before);
  });

  it('shift: every image is an integer translate of its input within the range, repeatable from the seed', () => {
    const out = augmentBatch(batch, { shift: 1 }, { training: true, random: new Random(9) });
    expect(out.y).toBe(batch.y);
    let moved = 0;
    for (let i = 0; i < 4; i++) {
      const input = batch.x.subarray(i * 25, (i + 1) * 25);
      const output = Array.from(out.x.subarray(i * 25, (i + 1) * 25));
      const matches = [];
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          if (Array.from(translate(input, [1, 5, 5, 1], dy, dx)).join() === output.join()) matches.push([dy, dx]);
        }
      }
      expect(matches.length).toBeGreaterThan(0);
      if (!matches.some(([dy, dx]) => dy === 0 && dx === 0)) moved++;
    }
    expect(moved).toBeGreaterThan(0);
    const again = augmentBatch(batch, { shift: 1 }, { training: true, random: new Random(9) });
    expect(Array.from(again.x)).toEqual(Array.from(out.x));
  });

  it('horizontalFlip: each image is flipped or not, about half of them', () => {
    const n = 400;
    const images = {
      x: Float32Array.from({ length: n * 2 }, (_, i) => i % 2),
      xShape: [n, 1, 2, 1],
      y: new Float32Array(n),
    };
    const out = augmentBatch(images, { horizontalFlip: true }, { training: true, random: new Random(2) });
    let flipped = 0;
    for (let i = 0; i < n; i++) {
      const pair = [out.x[2 * i], out.x[2 * i + 1]];
      expect([
        [0, 1],
        [1, 0],
      ]).toContainEqual(pair);
      if (pair[0] === 1) flipped++;
    }
    // Binomial(400, ½): mean 200, σ = 10; allow 5σ.
    expect(Math.abs(flipped - 200)).toBeLessThan(50);
  });

  it('rotation: every angle lies within ±10° (a corner of a constant image loses no more than at 10°)', () => {
    // A 3 × 3 image of ones: the centre stays 1 at any angle. The corner (0, 0) sits at radius √2, 135°; rotated back
    // by θ it samples 1 − (√2 cos(45° − |θ|) − 1) of the image (the rest is zero fill), decreasing in |θ| up to 45°:
    // at |θ| = 10° that is 2 − √2 cos 35° ≈ 0.842 (hand-computed), so every corner must keep at least that.
    const ones = { x: new Float32Array(50 * 9).fill(1), xShape: [50, 3, 3, 1], y: new Float32Array(50) };
    const out = augmentBatch(ones, { rotation: 10 }, { training: true, random: new Random(4) });
    const bound = 2 - Math.SQRT2 * Math.cos((35 * Math.PI) / 180);
    let turned = 0;
    for (let i = 0; i < 50; i++) {
      expect(out.x[i * 9 + 4]).toBeCloseTo(1, 6);
      const corner = out.x[i * 9] ?? 0;
      expect(corner).toBeGreaterThanOrEqual(bound - 1e-6);
      if (corner < 0.999) turned++;
    }
    expect(turned).toBeGreaterThan(40);
    // At exactly 10° the corner reaches the bound (checks the degree scale).
    expect(rotate(new Float32Array(9).fill(1), SHAPE, 10)[0]).toBeCloseTo(bound, 6);
  });

  it('rejects bad options', () => {
    const random = new Random(1);
    expect(() => augmentBatch(batch, { shift: 1.5 }, { training: true, random })).toThrow(
      /`shift` must be a non-negative integer/,
    );
    expect(() => augmentBatch(batch, { rotation: -3 }, { training: true, random })).toThrow(
      /`rotation` must be in \[0, 180\]/,
    );
    expect(() => translate(new Float32Array(8), [1, 3, 3, 1], 0, 0)).toThrow(/needs 9 values, received 8/);
  });
});
