/**
 * The images a lab trains on. Training and validation images are drawn at random from the dataset's training split
 * with a fixed data seed — the same for every run, so variants differ only in what they change and in their own
 * seed — and are disjoint; the test images are the first of the test split (all 10,000 by default).
 */
import type { LabDataset, LabSettings } from '../../lab/spec.js';
import type { RunData } from '../../lab/train-run.js';
import { ConfigError, data, loadFashionMnist, loadMnist, Random } from '../index.js';

/** Seeds the choice of training and validation images (not the runs). */
export const DATA_SEED = 20240611;

async function split(dataset: LabDataset, which: 'train' | 'test'): Promise<data.Dataset> {
  return dataset === 'mnist' ? loadMnist({ split: which }) : loadFashionMnist({ split: which });
}

export async function loadRunData(dataset: LabDataset, settings: LabSettings): Promise<RunData> {
  const full = await split(dataset, 'train');
  const wanted = settings.trainSize + settings.validationSize;
  if (wanted > data.datasetSize(full)) {
    throw new ConfigError(
      'lab',
      `--train-size ${settings.trainSize} plus --validation-size ${settings.validationSize} is more than ` +
        `the ${data.datasetSize(full)} training images of ${dataset}`,
    );
  }
  const order = data.permutation(data.datasetSize(full), new Random(DATA_SEED));
  const train = data.subset(full, order.subarray(0, settings.trainSize), 'lab');
  const validation = data.subset(full, order.subarray(settings.trainSize, wanted), 'lab');
  const testSplit = await split(dataset, 'test');
  if (settings.testSize > data.datasetSize(testSplit)) {
    throw new ConfigError(
      'lab',
      `--test-size ${settings.testSize} is more than the ${data.datasetSize(testSplit)} test images of ${dataset}`,
    );
  }
  return { train, validation, test: data.take(testSplit, settings.testSize) };
}
