/**
 * Loading a model from the TensorFlow.js layers-model format: the layers built from the topology, the weights put in,
 * and, with a trainingConfig, the model compiled with its optimizer's state restored. Everything read is untrusted;
 * what is wrong with it is reported as a FormatError naming the source and the field.
 */
import { CnnlabError, errorMessage, FormatError } from '../errors.js';
import { type ArtifactsInput, checkFormat } from '../io/artifacts.js';
import { loadHandlerFor, type LoadHandler } from '../io/handlers.js';
import { describe, fieldPath } from '../io/json.js';
import { type LayerEntry, normalizeAxis, readLayerEntry } from '../io/layer-config.js';
import { readTopology } from '../io/model-json.js';
import { readTrainingConfig } from '../io/optimizer-state.js';
import { MAX_WEIGHT_VALUES, readWeightData, readWeightSpecs, specOffsets } from '../io/weights.js';
import type { Layer, SymbolicShape } from '../layers/layer.js';
import { deserializeLayer, type SerializedLayer } from '../layers/registry.js';
import { assignWeights } from './assign-weights.js';
import { compileFromTrainingConfig, restoreOptimizerWeights } from './optimizer-saving.js';
import { Sequential } from './sequential.js';

/** Narrows a checked entry to the registry's type; each layer's constructor validates its own options. */
function isSerializedLayer(entry: { readonly className: string; readonly config: object }): entry is SerializedLayer {
  return typeof entry.className === 'string';
}

/** Values per example of a shape (batch dimension excluded; unknown dimensions count as 1). */
function exampleSize(shape: SymbolicShape): number {
  return shape.slice(1).reduce<number>((n, d) => n * (d ?? 1), 1);
}

/**
 * Refuses, before the layer allocates its weights, configs that would allocate more than MAX_WEIGHT_VALUES:
 * outputs per example, and kernels sized by Keras's `units` / `filters` × input channels × `kernelSize`.
 */
function checkSizes(layer: Layer, entry: LayerEntry, input: SymbolicShape): void {
  const output = layer.computeOutputShape(input);
  if (exampleSize(input) > MAX_WEIGHT_VALUES || exampleSize(output) > MAX_WEIGHT_VALUES) {
    throw new FormatError(
      undefined,
      `input or output shape holds more than ${MAX_WEIGHT_VALUES} values per example, refused`,
    );
  }
  const width = entry.config.units ?? entry.config.filters;
  if (typeof width !== 'number') return;
  const kernel = entry.config.kernelSize;
  const area = Array.isArray(kernel)
    ? kernel.reduce<number>((n, k) => n * (typeof k === 'number' ? k : 1), 1)
    : typeof kernel === 'number'
      ? kernel * kernel
      : 1;
  if (width * (input[input.length - 1] ?? 1) * area > MAX_WEIGHT_VALUES) {
    throw new FormatError(undefined, `the kernel would hold more than ${MAX_WEIGHT_VALUES} values, refused`);
  }
}

/**
 * `error` as a FormatError about the source: a CnnlabError or a TypeError (a bug) as it is, anything else
 * reclassed.
 */
function asFormatError(error: unknown): unknown {
  if (error instanceof CnnlabError || error instanceof TypeError) return error;
  return new FormatError(undefined, errorMessage(error), { cause: error });
}

/**
 * Builds a Sequential model (fresh weights) from a `modelTopology` in tfjs or Keras-converter form.
 * `where` names the source (a file path) in errors, which also name the JSON field. `seed` seeds the weights whose
 * initializers have none (SequentialArgs' `seed`).
 */
export function modelFromTopology(topology: unknown, where: string, seed?: number): Sequential {
  const { name, layers, field: layersField } = readTopology(topology, where);
  const model = new Sequential(name === undefined ? { seed } : { name, seed });
  layers.forEach((value, i) => {
    const layerField = fieldPath(layersField, i);
    const previous = i === 0 ? undefined : model.outputShape;
    let entry: LayerEntry;
    try {
      entry = readLayerEntry(value, where, layerField);
    } catch (error) {
      throw asFormatError(error);
    }
    const declared = entry.config.batchInputShape;
    const rank = previous?.length ?? (Array.isArray(declared) ? declared.length : undefined);
    if (rank !== undefined) entry = normalizeAxis(entry, rank);
    const layerName = `\`${layerField}\` (${entry.className}${typeof entry.config.name === 'string' ? ` '${entry.config.name}'` : ''})`;
    const serialized = { className: entry.className, config: entry.config };
    if (!isSerializedLayer(serialized)) throw new FormatError(where, `${layerName}: not a layer`);
    try {
      const layer = deserializeLayer(serialized);
      const input = previous ?? layer.batchInputShape;
      if (input === undefined) throw new FormatError(undefined, 'the first layer must declare `batch_input_shape`');
      checkSizes(layer, entry, input);
      model.add(layer);
    } catch (error) {
      // The layer's own place (`Dense 'd1'`) is in layerName already; a CnnlabError's detail is its message without it.
      const detail = error instanceof CnnlabError ? error.detail : errorMessage(error);
      throw error instanceof TypeError
        ? new TypeError(`${where}: ${layerName}: ${detail}`, { cause: error })
        : new FormatError(where, `${layerName}: ${detail}`, { cause: error });
    }
  });
  return model;
}

/**
 * Rebuilds a model from artifacts (ours or tfjs's), checking everything: the format, the topology, the specs
 * (before allocating), the data size against the specs, each weight's shape against its layer, finiteness.
 * With a trainingConfig the model comes back compiled, and optimizer weights (group 'optimizer') are restored
 * into its optimizer; without one they are ignored, as tfjs ignores them. `where` names the source in errors.
 */
export function modelFromArtifacts(artifacts: ArtifactsInput, where = 'modelFromArtifacts'): Sequential {
  if (typeof artifacts !== 'object' || artifacts === null)
    throw new FormatError(where, `artifacts must be an object, received ${describe(artifacts)}`);
  checkFormat(artifacts.format, where);
  const specs =
    artifacts.weightSpecs === undefined || artifacts.weightSpecs === null
      ? []
      : readWeightSpecs(artifacts.weightSpecs, where);
  // Before anything is allocated: the data must hold exactly the bytes the specs describe.
  const data = readWeightData(artifacts.weightData, specs, where);
  const trainingConfig =
    artifacts.trainingConfig === undefined || artifacts.trainingConfig === null
      ? null
      : readTrainingConfig(artifacts.trainingConfig, where);
  const model = modelFromTopology(artifacts.modelTopology, where);
  assignWeights(model, specs, data, where);
  if (trainingConfig !== null) {
    compileFromTrainingConfig(model, trainingConfig, where);
    restoreOptimizerWeights(model, specs, specOffsets(specs), data, where);
  }
  return model;
}

/**
 * Loads a model from a handler or a registered URL (tfjs `tf.loadLayersModel`); the Node entry registers
 * `file://` and plain paths ('runs/mnist/model.json', or the folder).
 */
export async function loadLayersModel(handlerOrUrl: LoadHandler | string): Promise<Sequential> {
  const handler = typeof handlerOrUrl === 'string' ? loadHandlerFor(handlerOrUrl) : handlerOrUrl;
  const artifacts = await handler.load();
  return modelFromArtifacts(
    artifacts,
    handler.source ?? (typeof handlerOrUrl === 'string' ? handlerOrUrl : 'loadLayersModel'),
  );
}
