/**
 * `--model`: a built-in architecture by name, or a file (a TensorFlow.js/Keras model.json, or a Sequential config
 * JSON).
 */
import {
  briefModel,
  type BuiltInModelName,
  builtInModels,
  ConfigError,
  errorMessage,
  FormatError,
  modelFromTopology,
  type LayersModel,
  type LoadLimits,
  ParamBudget,
  prefixed,
  deserializeLayer,
  quote,
  readRegularText,
  Sequential,
  type SequentialConfig,
} from '../node/index.js';

/** A `--model` file larger than this is refused before reading (as model.json's limit). */
const MAX_MODEL_FILE_BYTES = 64 * 1024 * 1024;
import { type BriefFlags, briefModelOptions } from './brief-flags.js';

export const BUILT_IN_MODEL_NAMES = Object.keys(builtInModels) as readonly BuiltInModelName[];

function isBuiltIn(name: string): name is BuiltInModelName {
  return Object.hasOwn(builtInModels, name);
}

/** Built-ins' common options: the data's input shape and class count, and the seed of the initial weights. */
interface BuiltInArgs {
  readonly inputShape?: readonly [number, number, number];
  readonly numClasses?: number;
  readonly seed?: number;
}

/** A run whose options give technique flags for another model (a state.json edited by hand). */
const onlyBrief = (model: string): ConfigError =>
  new ConfigError(
    undefined,
    `the technique flags (--activation, --batch-norm, ...) change only the brief model, received --model '${model}'`,
  );

/** A built-in model; `flags` (the brief model's technique flags) apply to `brief` only, and are refused for another. */
export function builtInModel(name: BuiltInModelName, args: BuiltInArgs, flags: BriefFlags | undefined): LayersModel {
  if (name === 'brief') return briefModel({ ...args, ...(flags === undefined ? {} : briefModelOptions(flags)) });
  if (flags !== undefined) throw onlyBrief(name);
  return builtInModels[name](args);
}

/**
 * A fresh (untrained) model whose initial weights follow from `seed`. Built-ins take the data's input shape and class
 * count, so `lenet5` trains on a folder of 32×32 RGB images as readily as on MNIST.
 */
export async function createModel(
  source: string,
  inputShape: readonly [number, number, number],
  numClasses: number,
  seed: number,
  flags?: BriefFlags,
  limits?: LoadLimits,
): Promise<LayersModel> {
  if (isBuiltIn(source)) return builtInModel(source, { inputShape, numClasses, seed }, flags);
  if (flags !== undefined) throw onlyBrief(source);
  const text = await readRegularText(source, MAX_MODEL_FILE_BYTES, '--model', `file ${quote(source)}`).catch(
    (error: unknown) => {
      if (error instanceof FormatError) throw error; // a FIFO, a device, a file too large
      // The open's own error (ENOENT: …).
      const reason = error instanceof Error && error.cause !== undefined ? error.cause : error;
      throw new ConfigError(
        undefined,
        `--model must be ${BUILT_IN_MODEL_NAMES.join(', ')} or a JSON file, received ${quote(source)} (${errorMessage(reason)})`,
        { cause: error },
      );
    },
  );
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw new FormatError(undefined, `--model file '${source}' is not valid JSON: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  // A TensorFlow.js / Keras model.json: its architecture, validated field by field (fresh weights).
  if (typeof config === 'object' && config !== null && 'modelTopology' in config)
    return modelFromTopology(config.modelTopology, source, seed, limits);
  if (typeof config !== 'object' || config === null || !('layers' in config) || !Array.isArray(config.layers)) {
    throw new FormatError(
      undefined,
      `--model file '${source}' must hold a model.json (with modelTopology) or a Sequential config: {"name": ..., "layers": [{"className": ..., "config": {...}}]}`,
    );
  }
  // The layer registry checks each class name and each layer checks its own options, naming the layer; the
  // parameter limit is checked before each layer is built (as Sequential.fromConfig builds, layer by layer).
  const { name, layers } = config as SequentialConfig;
  const model = new Sequential({ name, seed });
  const budget = new ParamBudget(limits);
  layers.forEach((entry, i) => {
    const layer = deserializeLayer(entry);
    const previous = model.layers.length === 0 ? layer.batchInputShape : model.outputShape;
    try {
      if (previous !== undefined) budget.check(layer, [previous]);
    } catch (error) {
      throw prefixed(
        `--model file ${quote(source)}: \`layers[${i}]\` (${layer.className} ${quote(layer.name)})`,
        error,
      );
    }
    model.add(layer);
    budget.add(layer);
  });
  return model;
}
