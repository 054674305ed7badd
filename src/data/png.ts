/**
 * PNG decoding (with fast-png, pure JavaScript) to float images `[H, W, C]` in [0, 1].
 *
 * Every PNG colour type is accepted: gray (1, 2, 4, 8, 16 bits), RGB (8, 16), palette (1, 2, 4, 8), gray + alpha and
 * RGBA. Alpha is dropped — the colour values are kept as stored, not composited on any background — and so is a
 * tRNS transparency entry. Gray and gray + alpha decode to 1 channel; RGB, RGBA and palette to 3.
 */
import { type DecodedPng, decode, hasPngSignature } from 'fast-png';
import { errorMessage, FormatError } from '../errors.js';
import { type Image, toChannels } from './image.js';

/** The most pixels (width × height) a PNG may have: 64 megapixels, 768 MiB as RGB float32; larger ones are refused. */
export const MAX_PNG_PIXELS = 64 * 1024 * 1024;

/** The most bytes a PNG file may hold to be read at all (a 64-megapixel PNG compresses far below this). */
export const MAX_PNG_FILE_BYTES = 512 * 1024 * 1024;

/**
 * Width and height from the IHDR chunk, which the PNG format puts first: read before decoding, so that a 390 KB
 * file claiming 20000 × 20000 pixels is refused before gigabytes are allocated for it.
 */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (bytes.length < 24 || !hasPngSignature(bytes) || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR')
    return undefined; // not a PNG, or a broken one: decoding says what is wrong
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Decodes a PNG; `what` (e.g. the file name) names it in errors. With `channels`, converts to gray (1) or RGB (3). */
export function decodePng(bytes: Uint8Array, what: string, options: { channels?: 1 | 3 } = {}): Image {
  if (!hasPngSignature(bytes)) throw new Error(`decodePng: ${what} is not a PNG file (no PNG signature)`);
  const size = pngSize(bytes);
  if (size !== undefined && size.width * size.height > MAX_PNG_PIXELS) {
    throw new FormatError(
      'decodePng',
      `${what} is ${size.width} × ${size.height} pixels, more than the ${MAX_PNG_PIXELS} (64 megapixels) accepted`,
    );
  }
  const png = decodeOrExplain(bytes, what);
  const { width, height, depth, channels, palette } = png;
  const image =
    palette !== undefined && channels === 1
      ? fromPalette(png.data, width, height, depth, palette, what)
      : fromSamples(png.data, width, height, depth, channels, what);
  return options.channels === undefined ? image : toChannels(image, options.channels);
}

function decodeOrExplain(bytes: Uint8Array, what: string): DecodedPng {
  try {
    return decode(bytes);
  } catch (error) {
    throw new Error(`decodePng: ${what} could not be decoded: ${errorMessage(error)}`, { cause: error });
  }
}

/** Gray / RGB samples, possibly with alpha; values are divided by `2^depth − 1`. */
function fromSamples(
  samples: ArrayLike<number>,
  width: number,
  height: number,
  depth: number,
  channels: number,
  what: string,
): Image {
  if (channels < 1 || channels > 4) throw new Error(`decodePng: ${what} has ${channels} channels, expected 1 to 4`);
  // Gray + alpha → gray, RGBA → RGB.
  const kept = channels === 2 || channels === 4 ? channels - 1 : channels;
  const scale = 1 / (2 ** depth - 1);
  const data = new Float32Array(height * width * kept);
  const read = sampleReader(samples, width, height, depth, channels, what);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < kept; c++) data[(y * width + x) * kept + c] = read(y, x * channels + c) * scale;
    }
  }
  return { height, width, channels: kept, data };
}

/** Palette indices → the palette's RGB colours (8 bits each); palette alpha is dropped. */
function fromPalette(
  samples: ArrayLike<number>,
  width: number,
  height: number,
  depth: number,
  palette: readonly (readonly number[])[],
  what: string,
): Image {
  const data = new Float32Array(height * width * 3);
  const read = sampleReader(samples, width, height, depth, 1, what);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const index = read(y, x);
      const colour = palette[index];
      if (colour === undefined) {
        throw new Error(
          `decodePng: ${what} uses palette index ${index}, but its palette has ${palette.length} colours`,
        );
      }
      for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = (colour[c] ?? 0) / 255;
    }
  }
  return { height, width, channels: 3, data };
}

/**
 * `read(y, i)` = the i-th sample of row y. At 8 and 16 bits samples are one array element each; below 8 bits fast-png
 * leaves them packed, most significant bits first, each row starting on a fresh byte (the PNG layout).
 */
function sampleReader(
  samples: ArrayLike<number>,
  width: number,
  height: number,
  depth: number,
  channels: number,
  what: string,
): (y: number, i: number) => number {
  const perRow = width * channels;
  const rowLength = depth < 8 ? Math.ceil((perRow * depth) / 8) : perRow;
  if (samples.length !== rowLength * height) {
    throw new Error(`decodePng: ${what} decoded to ${samples.length} samples, expected ${rowLength * height}`);
  }
  if (depth >= 8) return (y, i) => samples[y * rowLength + i] ?? 0;
  const mask = (1 << depth) - 1;
  return (y, i) => {
    const bit = i * depth;
    const byte = samples[y * rowLength + (bit >> 3)] ?? 0;
    return (byte >> (8 - depth - (bit & 7))) & mask;
  };
}
