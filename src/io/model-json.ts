/**
 * Sequential ⇄ the `modelTopology` JSON of a TensorFlow.js layers model:
 *   { class_name: 'Sequential', config: { name, layers: [{ class_name, config }, …] },
 *     keras_version: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js' }
 * Keys and string values are snake_case (see json.ts); the first layer carries `batch_input_shape` and
 * `dtype`, as tfjs writes it.
 *
 * Reading also accepts what the Keras converter writes: the topology wrapped as `{ model_config: {…} }`,
 * `config` given as the list of layers (old Keras), an explicit InputLayer first, Keras 3's `batch_shape`.
 */
import { deserializeLayer, type SerializedLayer } from '../layers/registry.js';
import type { Layer, SymbolicShape } from '../layers/layer.js';
import { Sequential } from '../model/sequential.js';
import { describe, expectArray, expectObject, fieldPath, fromPythonic, isJsonObject, type JsonObject,
  toPythonic } from './json.js';
import { type LayerEntry, normalizeAxis, readLayerEntry } from './layer-config.js';
import { MAX_WEIGHT_VALUES } from './weights.js';

/** What tfjs 4.22 writes; tfjs's loader does not check it, Keras tools show it. */
export const KERAS_VERSION = 'tfjs-layers 4.22.0';
export const BACKEND = 'tensor_flow.js';

/** The model's architecture as tfjs writes it into model.json's `modelTopology`. */
export function modelToTopology(model: Sequential): JsonObject {
  const { name, layers } = model.getConfig();
  // tfjs gives a layer a dtype exactly when it was given an input shape.
  const withDtype = layers.map((layer) => (layer.config.batchInputShape === undefined ? layer
    : { className: layer.className, config: { ...layer.config, dtype: 'float32' } }));
  const topology = toPythonic({ className: 'Sequential', config: { name, layers: withDtype }, kerasVersion: KERAS_VERSION, backend: BACKEND },
    `modelToTopology '${model.name}'`);
  if (!isJsonObject(topology)) throw new Error(`modelToTopology: model '${model.name}' did not serialize to a JSON object`);
  return topology;
}

/** Narrows a checked entry to the registry's type; each layer's constructor validates its own options. */
function isSerializedLayer(entry: { readonly className: string; readonly config: object }): entry is SerializedLayer {
  return typeof entry.className === 'string';
}

/** The model object inside a topology: tfjs's form, or the Keras converter's `{ modelConfig: {...} }`. */
function modelObject(topology: JsonObject, where: string): { model: JsonObject; field: string } {
  if (topology.modelConfig !== undefined) {
    return { model: expectObject(topology.modelConfig, where, 'modelTopology.model_config'), field: 'modelTopology.model_config' };
  }
  return { model: topology, field: 'modelTopology' };
}

/** The model's name and its layer entries, from `config: {name, layers}` or (old Keras) `config: [layers]`. */
function layerList(model: JsonObject, where: string, field: string): { name: string | undefined; layers: readonly unknown[]; field: string } {
  const className = model.className;
  if (className !== 'Sequential') {
    throw new Error(`${where}: \`${fieldPath(field, 'class_name')}\` must be 'Sequential' (cnnlab loads Sequential models only), received ${describe(className)}`);
  }
  const configField = fieldPath(field, 'config');
  if (Array.isArray(model.config)) return { name: undefined, layers: model.config, field: configField };
  const config = expectObject(model.config, where, configField);
  const name = config.name;
  if (name !== undefined && name !== null && typeof name !== 'string') {
    throw new Error(`${where}: \`${fieldPath(configField, 'name')}\` must be a string, received ${describe(name)}`);
  }
  const layersField = fieldPath(configField, 'layers');
  return { name: typeof name === 'string' ? name : undefined, layers: expectArray(config.layers, where, layersField), field: layersField };
}

/** Values per example of a shape (batch dimension excluded; unknown dimensions count as 1). */
function exampleSize(shape: SymbolicShape): number {
  return shape.slice(1).reduce<number>((n, d) => n * (d ?? 1), 1);
}

/**
 * Refuses, before the layer allocates its weights, configs that would allocate more than MAX_WEIGHT_VALUES:
 * outputs per example, and kernels sized by Keras's `units` / `filters` × input channels × `kernelSize`.
 */
function checkSizes(layer: Layer, entry: LayerEntry, input: SymbolicShape, where: string): void {
  const output = layer.computeOutputShape(input);
  if (exampleSize(input) > MAX_WEIGHT_VALUES || exampleSize(output) > MAX_WEIGHT_VALUES) {
    throw new Error(`${where}: input or output shape holds more than ${MAX_WEIGHT_VALUES} values per example, refused`);
  }
  const width = entry.config.units ?? entry.config.filters;
  if (typeof width !== 'number') return;
  const kernel = entry.config.kernelSize;
  const area = Array.isArray(kernel) ? kernel.reduce<number>((n, k) => n * (typeof k === 'number' ? k : 1), 1)
    : typeof kernel === 'number' ? kernel * kernel : 1;
  if (width * (input[input.length - 1] ?? 1) * area > MAX_WEIGHT_VALUES) {
    throw new Error(`${where}: the kernel would hold more than ${MAX_WEIGHT_VALUES} values, refused`);
  }
}

/**
 * Builds a Sequential model (fresh weights) from a `modelTopology` in tfjs or Keras-converter form.
 * `where` names the source (a file path) in errors, which also name the JSON field. `seed` seeds the weights whose
 * initializers have none (SequentialArgs' `seed`).
 */
export function modelFromTopology(topology: unknown, where: string, seed?: number): Sequential {
  const camel = expectObject(fromPythonic(topology, where, 'modelTopology'), where, 'modelTopology');
  const { model: modelJson, field } = modelObject(camel, where);
  const { name, layers, field: layersField } = layerList(modelJson, where, field);
  if (layers.length === 0) throw new Error(`${where}: \`${layersField}\` is empty; a model needs at least one layer`);
  const model = new Sequential(name === undefined ? { seed } : { name, seed });
  layers.forEach((value, i) => {
    const layerField = fieldPath(layersField, i);
    const previous = i === 0 ? undefined : model.outputShape;
    let entry = readLayerEntry(value, where, layerField);
    const declared = entry.config.batchInputShape;
    const rank = previous?.length ?? (Array.isArray(declared) ? declared.length : undefined);
    if (rank !== undefined) entry = normalizeAxis(entry, rank);
    const label = `${where}: \`${layerField}\` (${entry.className}${typeof entry.config.name === 'string' ? ` '${entry.config.name}'` : ''})`;
    const serialized = { className: entry.className, config: entry.config };
    if (!isSerializedLayer(serialized)) throw new Error(`${label}: not a layer`);
    try {
      const layer = deserializeLayer(serialized);
      const input = previous ?? layer.batchInputShape;
      if (input === undefined) throw new Error('the first layer must declare `batch_input_shape`');
      checkSizes(layer, entry, input, label);
      model.add(layer);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const wrapped = message.startsWith(label) ? message : `${label}: ${message}`;
      throw error instanceof TypeError ? new TypeError(wrapped, { cause: error }) : new Error(wrapped, { cause: error });
    }
  });
  return model;
}
