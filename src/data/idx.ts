/**
 * The IDX file format of MNIST (http://yann.lecun.com/exdb/mnist/): a big-endian header — two zero bytes, a type code
 * (0x08 = unsigned byte), the number of dimensions d — then d uint32 sizes, then the values in row-major order.
 * Labels are 0x00000801 (1-D `[N]`), images 0x00000803 (3-D `[N, rows, cols]`).
 */
import { type Dataset, createDataset } from './dataset.js';

export interface IdxArray {
  readonly shape: readonly number[];
  /** The values: a view into the input bytes (no copy). */
  readonly data: Uint8Array;
}

const UBYTE = 0x08;

/**
 * Parses an unsigned-byte IDX file. With `rank`, the magic number must be `0x0000080<rank>`. `what` names the file in
 * errors. The byte length must equal `4 + 4·d + product(shape)` exactly.
 */
export function parseIdx(bytes: Uint8Array, what: string, rank?: number): IdxArray {
  if (bytes.length < 4) throw new Error(`parseIdx: ${what} is too short for an IDX header: ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const hex = `0x${magic.toString(16).padStart(8, '0')}`;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    throw new Error(`parseIdx: ${what} is gzip-compressed (magic ${hex}); decompress it first`);
  }
  const dims = magic & 0xff;
  if (rank !== undefined && magic !== ((UBYTE << 8) | rank)) {
    const expected = `0x${((UBYTE << 8) | rank).toString(16).padStart(8, '0')}`;
    throw new Error(`parseIdx: ${what} has magic number ${hex}, expected ${expected} (unsigned bytes, ${rank}-D)`);
  }
  if (magic >>> 16 !== 0 || ((magic >>> 8) & 0xff) !== UBYTE || dims === 0) {
    throw new Error(
      `parseIdx: ${what} has magic number ${hex}, expected 0x000008dd (unsigned bytes, dd ≥ 1 dimensions)`,
    );
  }
  const headerBytes = 4 + 4 * dims;
  if (bytes.length < headerBytes) {
    throw new Error(
      `parseIdx: ${what} is truncated: its ${dims}-D header needs ${headerBytes} bytes, received ${bytes.length}`,
    );
  }
  const shape: number[] = [];
  for (let i = 0; i < dims; i++) shape.push(view.getUint32(4 + 4 * i));
  const expected = headerBytes + shape.reduce((a, b) => a * b, 1);
  if (bytes.length !== expected) {
    const problem = bytes.length < expected ? 'is truncated' : 'has trailing bytes';
    throw new Error(
      `parseIdx: ${what} ${problem}: expected ${expected} bytes (${headerBytes}-byte header + ` +
        `${shape.join(' × ')}), received ${bytes.length}`,
    );
  }
  return { shape, data: bytes.subarray(headerBytes) };
}

export interface MnistFromIdxOptions {
  /** Default 10 (digits). */
  readonly numClasses?: number;
  readonly classNames?: readonly string[];
  /** Names of the two files in errors (default: `<what> images`, `<what> labels`). */
  readonly imagesName?: string;
  readonly labelsName?: string;
}

/**
 * An MNIST-style dataset from IDX images `[N, rows, cols]` and labels `[N]`: pixels scaled to `[0, 1]` (÷ 255) as
 * `x: [N, rows, cols, 1]` (NHWC), labels as float32 class ids in `[0, numClasses)`.
 */
export function mnistFromIdx(
  imagesBytes: Uint8Array,
  labelsBytes: Uint8Array,
  what: string,
  options: MnistFromIdxOptions = {},
): Dataset {
  const images = parseIdx(imagesBytes, options.imagesName ?? `${what} images`, 3);
  const labels = parseIdx(labelsBytes, options.labelsName ?? `${what} labels`, 1);
  const [count = 0, rows = 0, cols = 0] = images.shape;
  if (labels.shape[0] !== count) {
    throw new Error(`mnistFromIdx: ${what} has ${count} images but ${labels.shape[0] ?? 0} labels`);
  }
  const x = new Float32Array(images.data.length);
  for (let i = 0; i < x.length; i++) x[i] = (images.data[i] ?? 0) / 255;
  const y = Float32Array.from(labels.data);
  const numClasses = options.numClasses ?? 10;
  const parts = { x, xShape: [count, rows, cols, 1], y, numClasses };
  return createDataset(
    options.classNames === undefined ? parts : { ...parts, classNames: options.classNames },
    `mnistFromIdx: ${what}`,
  );
}
