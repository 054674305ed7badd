/** `cnnlab summary`: the Keras-style table for a built-in model or a saved one. */
import { builtInModels } from '../index.js';
import { loadSavedModel } from './saved-model.js';

export async function summaryCommand(source: string, log: (line: string) => void): Promise<void> {
  const model = Object.hasOwn(builtInModels, source) && (source === 'brief' || source === 'lenet5')
    ? builtInModels[source]()
    : (await loadSavedModel(source)).model;
  model.summary(log);
}
