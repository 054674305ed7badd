/**
 * MNIST's pre-processing, applied to a digit drawn on the page. LeCun et al.: the digits "were size normalized to fit
 * in a 20×20 pixel box while preserving their aspect ratio … [and] centered in a 28×28 image by computing the center
 * of mass of the pixels, and translating the image so as to position this point at the center of the 28×28 field"
 * (http://yann.lecun.com/exdb/mnist/). Images are ink values in [0, 1], row-major; no DOM here, so Node tests it.
 */

export const MNIST_SIZE = 28;
/** The box the digit is scaled to fit. */
export const DIGIT_BOX = 20;

export interface Box {
  readonly x0: number;
  readonly y0: number;
  /** Exclusive. */
  readonly x1: number;
  readonly y1: number;
}

/** The smallest box holding every pixel with ink above `threshold`, or null for a blank image. */
export function boundingBox(ink: ArrayLike<number>, width: number, height: number, threshold = 0.05): Box | null {
  let x0 = width;
  let y0 = height;
  let x1 = 0;
  let y1 = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((ink[y * width + x] ?? 0) <= threshold) continue;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x + 1);
      y1 = Math.max(y1, y + 1);
    }
  }
  return x1 === 0 ? null : { x0, y0, x1, y1 };
}

/** How much of the unit pixel [p, p + 1) lies in [a, b). */
function overlap(a: number, b: number, p: number): number {
  return Math.max(0, Math.min(b, p + 1) - Math.max(a, p));
}

/**
 * Resamples the region `box` of an image `width` pixels wide to `outWidth × outHeight` by area averaging: each output
 * pixel is the mean of the source area it covers, partly covered source pixels weighted by the part covered
 * (out[j, i] = Σ src[y, x]·overlapY·overlapX / (sx·sy), sx = boxWidth / outWidth). Unlike bilinear sampling it
 * loses no thin stroke when shrinking a large drawing.
 */
export function resizeArea(
  src: ArrayLike<number>,
  width: number,
  box: Box,
  outWidth: number,
  outHeight: number,
): Float32Array {
  const sx = (box.x1 - box.x0) / outWidth;
  const sy = (box.y1 - box.y0) / outHeight;
  const out = new Float32Array(outWidth * outHeight);
  for (let j = 0; j < outHeight; j++) {
    const ya = box.y0 + j * sy;
    const yb = ya + sy;
    for (let i = 0; i < outWidth; i++) {
      const xa = box.x0 + i * sx;
      const xb = xa + sx;
      let sum = 0;
      for (let y = Math.floor(ya); y < Math.ceil(yb); y++) {
        const wy = overlap(ya, yb, y);
        for (let x = Math.floor(xa); x < Math.ceil(xb); x++) sum += wy * overlap(xa, xb, x) * (src[y * width + x] ?? 0);
      }
      out[j * outWidth + i] = sum / (sx * sy);
    }
  }
  return out;
}

/** The ink-weighted mean position, in pixel units where pixel (x, y) covers [x, x + 1) × [y, y + 1). */
export function centerOfMass(image: ArrayLike<number>, width: number, height: number): { x: number; y: number } {
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = image[y * width + x] ?? 0;
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  return mass === 0 ? { x: width / 2, y: height / 2 } : { x: mx / mass, y: my / mass };
}

/**
 * A drawing (`width × height` ink values) as an MNIST image: cropped to the ink's bounding box, scaled to fit 20×20
 * with its aspect ratio kept, brightest ink scaled to 1, and placed in 28×28 with its center of mass at the center
 * (moved by whole pixels, as far as the digit stays inside). Null when nothing is drawn.
 */
export function toMnist(ink: ArrayLike<number>, width: number, height: number): Float32Array | null {
  const box = boundingBox(ink, width, height);
  if (box === null) return null;
  const boxWidth = box.x1 - box.x0;
  const boxHeight = box.y1 - box.y0;
  const scale = DIGIT_BOX / Math.max(boxWidth, boxHeight);
  const w = Math.min(DIGIT_BOX, Math.max(1, Math.round(boxWidth * scale)));
  const h = Math.min(DIGIT_BOX, Math.max(1, Math.round(boxHeight * scale)));
  const digit = resizeArea(ink, width, box, w, h);
  const peak = digit.reduce((m, v) => Math.max(m, v), 0);
  if (peak > 0) for (let i = 0; i < digit.length; i++) digit[i] = (digit[i] ?? 0) / peak;
  const center = centerOfMass(digit, w, h);
  const left = Math.min(MNIST_SIZE - w, Math.max(0, Math.round(MNIST_SIZE / 2 - center.x)));
  const top = Math.min(MNIST_SIZE - h, Math.max(0, Math.round(MNIST_SIZE / 2 - center.y)));
  const out = new Float32Array(MNIST_SIZE * MNIST_SIZE);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) out[(top + y) * MNIST_SIZE + left + x] = digit[y * w + x] ?? 0;
  }
  return out;
}
