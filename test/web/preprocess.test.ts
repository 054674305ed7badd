/** The playground's MNIST pre-processing (web/src/preprocess.ts); every expected value is worked out by hand. */
import { describe, expect, it } from 'vitest';
import { boundingBox, centerOfMass, resizeArea, toMnist } from '../../web/src/preprocess.js';

/** A width × height image with `value` on the rectangle [x0, x1) × [y0, y1) (added to what is there). */
function paint(
  image: Float32Array,
  width: number,
  rect: [number, number, number, number],
  value: number,
): Float32Array {
  const [x0, y0, x1, y1] = rect;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) image[y * width + x] = (image[y * width + x] ?? 0) + value;
  return image;
}

/** The bounding box [x0, y0, x1, y1] of the non-zero pixels of a 28×28 image. */
function inkBox(image: Float32Array): [number, number, number, number] | null {
  const box = boundingBox(image, 28, 28, 0);
  return box === null ? null : [box.x0, box.y0, box.x1, box.y1];
}

describe('boundingBox', () => {
  it('finds the pixels above the threshold, exclusive on the right and bottom', () => {
    const image = paint(new Float32Array(10 * 8), 10, [3, 2, 7, 5], 1);
    image[0] = 0.01; // below the default threshold 0.05
    expect(boundingBox(image, 10, 8)).toEqual({ x0: 3, y0: 2, x1: 7, y1: 5 });
    expect(boundingBox(new Float32Array(12), 4, 3)).toBeNull();
  });
});

describe('resizeArea', () => {
  it('averages whole 2×2 blocks when halving', () => {
    // 4×4 → 2×2: each output is the mean of one 2×2 block.
    const src = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
    const out = resizeArea(src, 4, { x0: 0, y0: 0, x1: 4, y1: 4 }, 2, 2);
    expect([...out]).toEqual([
      (1 + 2 + 5 + 6) / 4,
      (3 + 4 + 7 + 8) / 4,
      (9 + 10 + 13 + 14) / 4,
      (11 + 12 + 15 + 16) / 4,
    ]);
  });

  it('weights partly covered pixels by the part covered', () => {
    // 3 → 2 pixels: each output covers 1.5 source pixels, out0 = (a + b/2)/1.5, out1 = (b/2 + c)/1.5.
    const out = resizeArea([3, 6, 9], 3, { x0: 0, y0: 0, x1: 3, y1: 1 }, 2, 1);
    expect(out[0]).toBeCloseTo((3 + 3) / 1.5, 6);
    expect(out[1]).toBeCloseTo((3 + 9) / 1.5, 6);
  });

  it('reads only the box', () => {
    // The box [1, 3) × [1, 2) of a 4×2 image holds 20 and 30; halving its width averages them.
    const out = resizeArea([1, 2, 3, 4, 10, 20, 30, 40], 4, { x0: 1, y0: 1, x1: 3, y1: 2 }, 1, 1);
    expect([...out]).toEqual([25]);
  });
});

describe('centerOfMass', () => {
  it('is the ink-weighted mean of pixel centers', () => {
    // Ink 1 at (0, 0) and 3 at (2, 1) in a 3×2 image: x = (1·0.5 + 3·2.5)/4 = 2, y = (1·0.5 + 3·1.5)/4 = 1.25.
    const image = [1, 0, 0, 0, 0, 3];
    expect(centerOfMass(image, 3, 2)).toEqual({ x: 2, y: 1.25 });
  });
});

describe('toMnist', () => {
  it('returns null for a blank drawing', () => {
    expect(toMnist(new Float32Array(280 * 280), 280, 280)).toBeNull();
  });

  it('scales a tall stroke to 20 pixels high, keeps its aspect ratio and centers it', () => {
    // A 40 × 100 bar: scale 20/100 gives 8 × 20 of full ink; its center of mass (4, 10) goes to (14, 14), so the bar
    // covers x ∈ [10, 18), y ∈ [4, 24).
    const image = toMnist(paint(new Float32Array(280 * 280), 280, [150, 30, 190, 130], 1), 280, 280);
    expect(image).not.toBeNull();
    expect(inkBox(image ?? new Float32Array())).toEqual([10, 4, 18, 24]);
    expect(image?.reduce((a, b) => a + b, 0)).toBeCloseTo(8 * 20, 4);
  });

  it('centers by mass, not by box, and scales the brightest ink to 1', () => {
    // A 100×100 box with two 20×20 blocks of ink 0.8 (top left) and 0.4 (bottom right): scale 0.2 gives a 20×20
    // digit with 4×4 blocks at [0, 4) (value 1 after scaling the peak to 1) and [16, 20) (value 0.5). Center of mass
    // x = y = (16·2 + 8·18)/24 = 7.33, so the digit moves by round(14 − 7.33) = 7: blocks at [7, 11) and [23, 27).
    const drawing = new Float32Array(200 * 200);
    paint(drawing, 200, [50, 60, 70, 80], 0.8);
    paint(drawing, 200, [130, 140, 150, 160], 0.4);
    const image = toMnist(drawing, 200, 200) ?? new Float32Array();
    expect(image[7 * 28 + 7]).toBeCloseTo(1, 6);
    expect(image[10 * 28 + 10]).toBeCloseTo(1, 6);
    expect(image[23 * 28 + 23]).toBeCloseTo(0.5, 6);
    expect(image[26 * 28 + 26]).toBeCloseTo(0.5, 6);
    expect(image[6 * 28 + 6]).toBe(0);
    expect(image[11 * 28 + 11]).toBe(0);
    expect(image[27 * 28 + 27]).toBe(0);
  });

  it('moves the digit only as far as it stays inside the 28×28 field', () => {
    // Nearly all the mass in the top-left 4×4 block: centering it would move the 20-wide digit by 12, past the
    // largest shift that keeps it inside (28 − 20 = 8), so it moves by 8 and no ink is lost.
    const drawing = new Float32Array(100 * 100);
    paint(drawing, 100, [0, 0, 20, 20], 1);
    paint(drawing, 100, [80, 80, 100, 100], 0.06);
    const image = toMnist(drawing, 100, 100) ?? new Float32Array();
    expect(inkBox(image)).toEqual([8, 8, 28, 28]);
    // 16 pixels of 1 and 16 of 0.06.
    expect(image.reduce((a, b) => a + b, 0)).toBeCloseTo(16 + 16 * 0.06, 4);
  });
});
