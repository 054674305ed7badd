/** `--dataset`: the built-in MNIST and Fashion-MNIST, or a folder of PNGs with one sub-folder per class. */
import { stat } from 'node:fs/promises';
import { ConfigError, data, loadFashionMnist, loadImageFolder, loadMnist } from '../node/index.js';

type Dataset = data.Dataset;

export interface DatasetChoice {
  readonly dataset: string;
  /** For folders: size images must have (or are resized to with `resize`). */
  readonly imageSize?: readonly [number, number];
  readonly channels?: 1 | 3;
  readonly resize?: boolean;
}

export interface LoadedData {
  readonly name: string;
  readonly train: Dataset;
  readonly test: Dataset;
}

/** A folder dataset has no test split: the last 20 % of each class (in file-name order) is held out. */
const FOLDER_TEST_FRACTION = 0.2;

export async function loadData(
  choice: DatasetChoice,
  limits: { train?: number; test?: number } = {},
): Promise<LoadedData> {
  const clip = (ds: Dataset, n: number | undefined): Dataset =>
    n === undefined ? ds : data.take(ds, Math.min(n, ds.xShape[0] ?? 0));
  if (choice.dataset === 'mnist') {
    const [train, test] = await Promise.all([loadMnist({ split: 'train' }), loadMnist({ split: 'test' })]);
    return { name: 'mnist', train: clip(train, limits.train), test: clip(test, limits.test) };
  }
  if (choice.dataset === 'fashion-mnist') {
    const train = await loadFashionMnist({ split: 'train' });
    const test = await loadFashionMnist({ split: 'test' });
    return { name: 'fashion-mnist', train: clip(train, limits.train), test: clip(test, limits.test) };
  }
  const info = await stat(choice.dataset).catch(() => null);
  if (!info?.isDirectory()) {
    throw new ConfigError(
      undefined,
      `--dataset must be mnist, fashion-mnist or a folder of class sub-folders, received '${choice.dataset}' (no such folder)`,
    );
  }
  const [height, width] = choice.imageSize ?? [28, 28];
  const all = await loadImageFolder(choice.dataset, {
    height,
    width,
    channels: choice.channels ?? 1,
    resize: choice.resize ?? false,
  });
  const { first: train, second: test } = data.stratifiedSplit(all, FOLDER_TEST_FRACTION);
  // Zero test examples would print an accuracy of 0% as if it were a result.
  if ((test.xShape[0] ?? 0) === 0)
    throw new ConfigError(
      undefined,
      `--dataset '${choice.dataset}': no test images: ${FOLDER_TEST_FRACTION * 100}% of each class is held out for testing, so give some class at least ${Math.ceil(0.5 / FOLDER_TEST_FRACTION)} images, received ${all.xShape[0] ?? 0} images in ${all.numClasses} classes`,
    );
  return { name: choice.dataset, train: clip(train, limits.train), test: clip(test, limits.test) };
}
