/** `--model`: a built-in architecture by name, or a file (a TensorFlow.js/Keras model.json, or a Sequential config JSON). */
import { readFile } from 'node:fs/promises';
import { type BuiltInModelName, builtInModels, ConfigError, errorMessage, FormatError, modelFromTopology, Sequential, type SequentialConfig } from '../index.js';

export const BUILT_IN_MODEL_NAMES = Object.keys(builtInModels) as readonly BuiltInModelName[];

function isBuiltIn(name: string): name is BuiltInModelName {
  return Object.hasOwn(builtInModels, name);
}

/**
 * A fresh (untrained) model whose initial weights follow from `seed`. Built-ins take the data's input shape and class
 * count, so `lenet5` trains on a folder of 32×32 RGB images as readily as on MNIST.
 */
export async function createModel(source: string, inputShape: readonly [number, number, number], numClasses: number,
  seed: number): Promise<Sequential> {
  if (isBuiltIn(source)) return builtInModels[source]({ inputShape, numClasses, seed });
  const text = await readFile(source, 'utf8').catch((error: unknown) => {
    throw new ConfigError(undefined, `--model must be ${BUILT_IN_MODEL_NAMES.join(', ')} or a JSON file, received '${source}' (${errorMessage(error)})`, { cause: error });
  });
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw new FormatError(undefined, `--model file '${source}' is not valid JSON: ${errorMessage(error)}`, { cause: error });
  }
  // A TensorFlow.js / Keras model.json: its architecture, validated field by field (fresh weights).
  if (typeof config === 'object' && config !== null && 'modelTopology' in config) return modelFromTopology(config.modelTopology, source, seed);
  if (typeof config !== 'object' || config === null || !('layers' in config) || !Array.isArray(config.layers)) {
    throw new FormatError(undefined, `--model file '${source}' must hold a model.json (with modelTopology) or a Sequential config: {"name": ..., "layers": [{"className": ..., "config": {...}}]}`);
  }
  // The layer registry checks each class name and each layer checks its own options, naming the layer.
  return Sequential.fromConfig(config as SequentialConfig, seed);
}
