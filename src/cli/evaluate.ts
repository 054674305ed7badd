/** `cnnlab evaluate`: a saved model's loss and accuracy on a dataset's test split. */
import { setBackend } from '../index.js';
import { type DatasetChoice, loadData } from './datasets.js';
import { expectModelFile } from './model-file.js';
import { loadSavedModel } from './saved-model.js';

export interface EvaluateOptions extends DatasetChoice {
  readonly batchSize: number;
  readonly testLimit?: number;
  readonly backend?: string;
}

export async function evaluateCommand(
  location: string,
  options: EvaluateOptions,
  log: (line: string) => void,
): Promise<Record<string, number>> {
  if (options.backend !== undefined) setBackend(options.backend);
  await expectModelFile(location);
  const { model } = await loadSavedModel(location);
  const { test, name } = await loadData(options, { train: 1, test: options.testLimit });
  model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const results = model.evaluate(test, { batchSize: options.batchSize });
  log(
    `${name} test (${test.xShape[0]} images): accuracy ${((results.accuracy ?? 0) * 100).toFixed(2)}%  loss ${(results.loss ?? 0).toFixed(4)}`,
  );
  return results;
}
