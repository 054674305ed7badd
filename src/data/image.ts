/** Single images as float arrays `[H, W, C]` (row-major, channels last): channel conversion and bilinear resizing. */

export interface Image {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  /** `data[(y·W + x)·C + c]`. */
  readonly data: Float32Array;
}

/**
 * Converts between 1 (gray) and 3 (RGB) channels. Gray → RGB repeats the value; RGB → gray is the ITU-R BT.601 luma
 * `0.299 R + 0.587 G + 0.114 B` (as PIL's "L" mode and tf.image.rgb_to_grayscale).
 */
export function toChannels(image: Image, channels: 1 | 3): Image {
  if (image.channels === channels) return image;
  const { height, width } = image;
  const pixels = height * width;
  const data = new Float32Array(pixels * channels);
  if (image.channels === 1 && channels === 3) {
    for (let p = 0; p < pixels; p++) data.fill(image.data[p] ?? 0, 3 * p, 3 * p + 3);
  } else if (image.channels === 3 && channels === 1) {
    for (let p = 0; p < pixels; p++) {
      const r = image.data[3 * p] ?? 0;
      const g = image.data[3 * p + 1] ?? 0;
      const b = image.data[3 * p + 2] ?? 0;
      data[p] = 0.299 * r + 0.587 * g + 0.114 * b;
    }
  } else {
    throw new Error(`toChannels: can convert between 1 and 3 channels, received ${image.channels} → ${channels}`);
  }
  return { height, width, channels, data };
}

/**
 * Bilinear resize with half-pixel centres (tf.image.resize in TF 2; tfjs `resizeBilinear(x, size, false, true)`):
 * output pixel `(y, x)` samples the input at `((y + ½)·H/H' − ½, (x + ½)·W/W' − ½)`, clamped to the image.
 * No antialiasing, so strong downscaling skips pixels.
 */
export function resizeBilinear(image: Image, height: number, width: number): Image {
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1) {
    throw new Error(`resizeBilinear: size must be positive integers, received [${height}, ${width}]`);
  }
  const { channels } = image;
  if (image.height === height && image.width === width) return image;
  const data = new Float32Array(height * width * channels);
  const scaleY = image.height / height;
  const scaleX = image.width / width;
  for (let y = 0; y < height; y++) {
    const sy = Math.min(Math.max((y + 0.5) * scaleY - 0.5, 0), image.height - 1);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, image.height - 1);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = Math.min(Math.max((x + 0.5) * scaleX - 0.5, 0), image.width - 1);
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, image.width - 1);
      const fx = sx - x0;
      const i00 = (y0 * image.width + x0) * channels;
      const i01 = (y0 * image.width + x1) * channels;
      const i10 = (y1 * image.width + x0) * channels;
      const i11 = (y1 * image.width + x1) * channels;
      for (let c = 0; c < channels; c++) {
        const v00 = image.data[i00 + c] ?? 0;
        const v10 = image.data[i10 + c] ?? 0;
        const top = v00 + ((image.data[i01 + c] ?? 0) - v00) * fx;
        const bottom = v10 + ((image.data[i11 + c] ?? 0) - v10) * fx;
        data[(y * width + x) * channels + c] = top + (bottom - top) * fy;
      }
    }
  }
  return { height, width, channels, data };
}
