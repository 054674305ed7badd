/**
 * Image augmentation on batches of NHWC images (`[N, H, W, C]` float arrays): random horizontal flips, small
 * rotations (bilinear) and integer shifts, with zero fill. Pure functions: inputs are never modified (an `out`
 * array must not alias the input). Applied only in
 * training and only when asked; all randomness comes from the given `Random`, so a run repeats exactly.
 */
import type { Random } from '../random.js';
import type { Batch } from './dataset.js';

export interface AugmentOptions {
  /** Largest shift in pixels: each image moves by integers `dy, dx` drawn uniformly from `[-shift, shift]`. */
  readonly shift?: number;
  /** Largest rotation in degrees: each image turns by an angle drawn uniformly from `[-rotation, rotation)`. */
  readonly rotation?: number;
  /** Mirror each image left–right with probability ½. */
  readonly horizontalFlip?: boolean;
}

/**
 * Augments a batch of images `x: [N, H, W, C]`. Returns the batch itself, untouched and without drawing from
 * `random`, when `training` is false or no augmentation is asked for. Per image: flip, then rotate, then shift.
 */
export function augmentBatch(
  batch: Batch,
  options: AugmentOptions,
  context: { training: boolean; random: Random },
): Batch {
  const shift = options.shift ?? 0;
  const rotation = options.rotation ?? 0;
  const flip = options.horizontalFlip ?? false;
  if (!Number.isInteger(shift) || shift < 0) {
    throw new Error(`augmentBatch: \`shift\` must be a non-negative integer (pixels), received ${shift}`);
  }
  if (!(rotation >= 0 && rotation <= 180)) {
    throw new Error(`augmentBatch: \`rotation\` must be in [0, 180] degrees, received ${rotation}`);
  }
  if (!context.training || (shift === 0 && rotation === 0 && !flip)) return batch;
  const [n, height, width, channels] = imageDims(batch.xShape, batch.x.length, 'augmentBatch');
  const size = height * width * channels;
  const x = new Float32Array(batch.x.length);
  let image = new Float32Array(size);
  let scratch = new Float32Array(size);
  const { random } = context;
  for (let i = 0; i < n; i++) {
    image.set(batch.x.subarray(i * size, (i + 1) * size));
    if (flip && random.next() < 0.5) {
      flipHorizontal(image, [1, height, width, channels], scratch);
      [image, scratch] = [scratch, image];
    }
    if (rotation > 0) {
      rotate(image, [1, height, width, channels], random.uniform(-rotation, rotation), scratch);
      [image, scratch] = [scratch, image];
    }
    if (shift > 0) {
      const dy = random.int(2 * shift + 1) - shift;
      const dx = random.int(2 * shift + 1) - shift;
      translate(image, [1, height, width, channels], dy, dx, scratch);
      [image, scratch] = [scratch, image];
    }
    x.set(image, i * size);
  }
  return { x, xShape: batch.xShape, y: batch.y };
}

/** Mirrors every image left–right: `out[n, y, x, c] = in[n, y, W−1−x, c]`. */
export function flipHorizontal(
  x: Float32Array,
  shape: readonly number[],
  out = new Float32Array(x.length),
): Float32Array {
  const [n, height, width, channels] = imageDims(shape, x.length, 'flipHorizontal');
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < height; y++) {
      const row = (b * height + y) * width;
      for (let col = 0; col < width; col++) {
        const from = (row + width - 1 - col) * channels;
        out.set(x.subarray(from, from + channels), (row + col) * channels);
      }
    }
  }
  return out;
}

/**
 * Moves every image `dy` rows down and `dx` columns right (negative: up / left), filling with zeros:
 * `out[n, y, x, c] = in[n, y − dy, x − dx, c]`, or 0 where that lies outside.
 */
export function translate(
  x: Float32Array,
  shape: readonly number[],
  dy: number,
  dx: number,
  out = new Float32Array(x.length),
): Float32Array {
  const [n, height, width, channels] = imageDims(shape, x.length, 'translate');
  if (!Number.isInteger(dy) || !Number.isInteger(dx)) {
    throw new Error(`translate: shifts must be integers (pixels), received (${dy}, ${dx})`);
  }
  out.fill(0);
  for (let b = 0; b < n; b++) {
    for (let y = Math.max(0, dy); y < Math.min(height, height + dy); y++) {
      const x0 = Math.max(0, dx);
      const x1 = Math.min(width, width + dx);
      if (x1 <= x0) continue;
      const from = ((b * height + y - dy) * width + x0 - dx) * channels;
      out.set(x.subarray(from, from + (x1 - x0) * channels), ((b * height + y) * width + x0) * channels);
    }
  }
  return out;
}

/**
 * Rotates every image counter-clockwise (as displayed, rows running down) by `degrees` about its centre
 * `((H−1)/2, (W−1)/2)`, sampling bilinearly with zero fill. With `u = x − cx`, `v = cy − y` (v up), the output at
 * `(u, v)` is the input at `(u cos θ + v sin θ, −u sin θ + v cos θ)`.
 */
export function rotate(
  x: Float32Array,
  shape: readonly number[],
  degrees: number,
  out = new Float32Array(x.length),
): Float32Array {
  const [n, height, width, channels] = imageDims(shape, x.length, 'rotate');
  const theta = (degrees * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const cy = (height - 1) / 2;
  const cx = (width - 1) / 2;
  for (let b = 0; b < n; b++) {
    const base = b * height * width;
    for (let y = 0; y < height; y++) {
      for (let col = 0; col < width; col++) {
        const u = col - cx;
        const v = cy - y;
        const sx = cx + u * cos + v * sin;
        const sy = cy - (-u * sin + v * cos);
        const x0 = Math.floor(sx);
        const y0 = Math.floor(sy);
        const fx = sx - x0;
        const fy = sy - y0;
        const w00 = (1 - fy) * (1 - fx);
        const w01 = (1 - fy) * fx;
        const w10 = fy * (1 - fx);
        const w11 = fy * fx;
        const outAt = (base + y * width + col) * channels;
        // Neighbours outside the image count as 0 (zero fill).
        const inTop = y0 >= 0 && y0 < height;
        const inBottom = y0 + 1 >= 0 && y0 + 1 < height;
        const inLeft = x0 >= 0 && x0 < width;
        const inRight = x0 + 1 >= 0 && x0 + 1 < width;
        const i00 = (base + y0 * width + x0) * channels;
        const i10 = i00 + width * channels;
        for (let c = 0; c < channels; c++) {
          let value = 0;
          if (inTop && inLeft) value += w00 * (x[i00 + c] ?? 0);
          if (inTop && inRight) value += w01 * (x[i00 + channels + c] ?? 0);
          if (inBottom && inLeft) value += w10 * (x[i10 + c] ?? 0);
          if (inBottom && inRight) value += w11 * (x[i10 + channels + c] ?? 0);
          out[outAt + c] = value;
        }
      }
    }
  }
  return out;
}

function imageDims(shape: readonly number[], length: number, what: string): [number, number, number, number] {
  const [n, h, w, c] = shape;
  if (shape.length !== 4 || n === undefined || h === undefined || w === undefined || c === undefined) {
    throw new Error(`${what}: expected NHWC images [N, H, W, C], received shape [${shape.join(', ')}]`);
  }
  if (n * h * w * c !== length) {
    throw new Error(`${what}: shape [${shape.join(', ')}] needs ${n * h * w * c} values, received ${length}`);
  }
  return [n, h, w, c];
}
