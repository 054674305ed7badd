/** `cnnlab summary`: the Keras-style table for a built-in model (the brief model with its flags) or a saved one. */
import type { BriefFlags } from './brief-flags.js';
import { BUILT_IN_MODEL_NAMES, builtInModel } from './models.js';
import { loadSavedModel } from './saved-model.js';

export async function summaryCommand(
  source: string,
  flags: BriefFlags | undefined,
  log: (line: string) => void,
): Promise<void> {
  const name = BUILT_IN_MODEL_NAMES.find((n) => n === source);
  const model = name === undefined ? (await loadSavedModel(source)).model : builtInModel(name, {}, flags);
  model.summary(log);
}
