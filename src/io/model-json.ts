/**
 * The `modelTopology` JSON of a TensorFlow.js layers model, for a Sequential model:
 *   { class_name: 'Sequential', config: { name, layers: [{ class_name, config }, …] },
 *     keras_version: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js' }
 * Keys and string values are snake_case (see json.ts); the first layer carries `batch_input_shape` and
 * `dtype`, as tfjs writes it. This file writes and reads the JSON only; model/saving.ts and model/loading.ts
 * turn it into layers and back.
 *
 * Functional models (`class_name: 'Model'`) hold `inbound_nodes` per layer and `input_layers` / `output_layers`;
 * functional-json.ts reads them.
 *
 * Reading also accepts what the Keras converter writes: the topology wrapped as `{ model_config: {…} }`,
 * `config` given as the list of layers (old Keras), an explicit InputLayer first, Keras 3's `batch_shape`.
 */
import { FormatError } from '../errors.js';
import type { SerializedLayer } from '../layers/registry.js';
import { type FunctionalLayers, readFunctionalConfig } from './functional-json.js';
import {
  describe,
  expectArray,
  expectObject,
  fieldPath,
  fromPythonic,
  isJsonObject,
  type JsonObject,
  toPythonic,
} from './json.js';

/** What tfjs 4.22 writes; tfjs's loader does not check it, Keras tools show it. */
export const KERAS_VERSION = 'tfjs-layers 4.22.0';
export const BACKEND = 'tensor_flow.js';

/** A Sequential model's architecture: its name and each layer's `{className, config}`. */
export interface SequentialTopology {
  readonly name: string;
  readonly layers: readonly SerializedLayer[];
}

/** Where a layer call's input comes from, as model files write it: `[layer name, call index, tensor index]`. */
export type CallReference = readonly [string, number, number];

/** A functional model's architecture: layers with the calls feeding them, and the model's inputs and outputs. */
export interface FunctionalTopology {
  readonly name: string;
  readonly layers: readonly (SerializedLayer & {
    readonly name: string;
    /** One entry per call of the layer: its inputs' references, each with the call's keyword arguments (none). */
    readonly inboundNodes: readonly (readonly (readonly [...CallReference, Readonly<Record<string, never>>])[])[];
  })[];
  readonly inputLayers: readonly CallReference[];
  readonly outputLayers: readonly CallReference[];
}

/** A model's architecture by kind, as `modelTopology.class_name` names it. */
export type ModelTopology =
  | { readonly className: 'Sequential'; readonly config: SequentialTopology }
  | { readonly className: 'Model'; readonly config: FunctionalTopology };

/** tfjs gives a layer a dtype exactly when it was given an input shape. */
function withDtype<L extends SerializedLayer>(layer: L): L {
  return layer.config.batchInputShape === undefined
    ? layer
    : { ...layer, config: { ...layer.config, dtype: 'float32' } };
}

/** The `modelTopology` tfjs writes for a model of this architecture. `where` names the model in errors. */
export function topologyJson(model: ModelTopology, where: string): JsonObject {
  const config =
    model.className === 'Sequential'
      ? { name: model.config.name, layers: model.config.layers.map(withDtype) }
      : { ...model.config, layers: model.config.layers.map(withDtype) };
  const topology = toPythonic(
    { className: model.className, config, kerasVersion: KERAS_VERSION, backend: BACKEND },
    where,
  );
  if (!isJsonObject(topology)) throw new FormatError(where, 'the model did not serialize to a JSON object');
  return topology;
}

/** The model object inside a topology: tfjs's form, or the Keras converter's `{ modelConfig: {...} }`. */
function modelObject(topology: JsonObject, where: string): { model: JsonObject; field: string } {
  if (topology.modelConfig !== undefined) {
    return {
      model: expectObject(topology.modelConfig, where, 'modelTopology.model_config'),
      field: 'modelTopology.model_config',
    };
  }
  return { model: topology, field: 'modelTopology' };
}

/** A Sequential topology read back: the model's name (if given) and its layer entries, still unchecked, at `field`. */
export interface TopologyLayers {
  readonly kind: 'Sequential';
  readonly name: string | undefined;
  readonly layers: readonly unknown[];
  /** The JSON path of the layer list, for errors (`modelTopology.config.layers`). */
  readonly field: string;
}

/** A topology read back, by kind. */
export type ReadTopology = TopologyLayers | ({ readonly kind: 'Model' } & FunctionalLayers);

/** Class names of functional models: tfjs and Keras 2 write 'Model' (Keras 2.4+ 'Functional'). */
const FUNCTIONAL_CLASS_NAMES: readonly unknown[] = ['Model', 'Functional'];

/** The model's name and its layer entries, from `config: {name, layers}` or (old Keras) `config: [layers]`. */
function layerList(model: JsonObject, where: string, field: string): ReadTopology {
  const className = model.className;
  const configField = fieldPath(field, 'config');
  if (FUNCTIONAL_CLASS_NAMES.includes(className)) {
    return {
      kind: 'Model',
      ...readFunctionalConfig(expectObject(model.config, where, configField), where, configField),
    };
  }
  if (className !== 'Sequential') {
    throw new FormatError(
      where,
      `\`${fieldPath(field, 'class_name')}\` must be 'Sequential', 'Model' or 'Functional', received ${describe(className)}`,
    );
  }
  if (Array.isArray(model.config))
    return { kind: 'Sequential', name: undefined, layers: model.config, field: configField };
  const config = expectObject(model.config, where, configField);
  const name = config.name;
  if (name !== undefined && name !== null && typeof name !== 'string') {
    throw new FormatError(where, `\`${fieldPath(configField, 'name')}\` must be a string, received ${describe(name)}`);
  }
  const layersField = fieldPath(configField, 'layers');
  return {
    kind: 'Sequential',
    name: typeof name === 'string' ? name : undefined,
    layers: expectArray(config.layers, where, layersField),
    field: layersField,
  };
}

/**
 * Reads a `modelTopology` in tfjs or Keras-converter form, camel-cased: a Sequential model's name and its (non-empty,
 * still unchecked) layer list, or a functional model's layers and references (see functional-json.ts). Errors name
 * `where` and the JSON field.
 */
export function readTopology(topology: unknown, where: string): ReadTopology {
  const camel = expectObject(fromPythonic(topology, where, 'modelTopology'), where, 'modelTopology');
  const { model, field } = modelObject(camel, where);
  const list = layerList(model, where, field);
  if (list.kind === 'Sequential' && list.layers.length === 0)
    throw new FormatError(where, `\`${list.field}\` is empty; a model needs at least one layer`);
  return list;
}
