/**
 * Reading a functional model's topology (`class_name: 'Model'` from tfjs, 'Functional' or 'Model' from Keras):
 * each layer's entry with the calls feeding it (`inbound_nodes`), and the model's inputs and outputs. Three spellings
 * of a call are accepted, all camel-cased already by `fromPythonic`:
 *   tfjs and Keras 2: `[[name, node, tensor, kwargs], …]` (one list per call; old files omit kwargs);
 *   Keras 2 metadata: `[name, node, tensor, kwargs]` for a single-input call;
 *   Keras 3: `{ args: [tensor | [tensor, …]], kwargs }`, each tensor `{ config: { kerasHistory: [name, node, i] } }`.
 * References are checked here against the layers and their call counts (with maps, so reading is linear in the
 * file's size); model/functional-loading.ts orders the calls and builds the model.
 */
import { FormatError, quote } from '../errors.js';
import { describe, expectArray, expectObject, fieldPath, isJsonObject, type JsonObject } from './json.js';

/** Most layers a functional model file may hold (Keras's largest application models have under 1,000). */
export const MAX_FUNCTIONAL_LAYERS = 10_000;
/** Most inputs one layer call may take (a Concatenate of thousands of tensors is already implausible). */
export const MAX_CALL_INPUTS = 4096;
/** Most input references all calls of a file may hold together. */
export const MAX_TOTAL_INBOUND = 100_000;

/** A reference to a layer call's output, checked: the call exists in the file. */
export interface ReadReference {
  readonly layer: string;
  readonly node: number;
  /** Where the reference is written, for errors. */
  readonly field: string;
}

/** One layer of the file: its entry (class and config, still unchecked), name, and its calls' inputs. */
export interface FunctionalLayerEntry {
  readonly name: string;
  /** `{className, config}` for `readLayerEntry`. */
  readonly entry: JsonObject;
  readonly field: string;
  /** One list of input references per call (none for an input layer, whose one call has no inputs). */
  readonly calls: readonly (readonly ReadReference[])[];
  readonly isInput: boolean;
}

export interface FunctionalLayers {
  readonly name: string | undefined;
  readonly layers: readonly FunctionalLayerEntry[];
  readonly inputs: readonly ReadReference[];
  readonly outputs: readonly ReadReference[];
  /** The JSON path of the model's config, for errors (`modelTopology.config`). */
  readonly field: string;
}

/** Reads `[name, node, tensor, kwargs?]` at `field`; kwargs must be absent, empty, or all null (cnnlab takes none). */
function readTriple(value: unknown, where: string, field: string): { layer: string; node: number } {
  const list = expectArray(value, where, field);
  const [layer, node, tensor, kwargs] = list;
  if (list.length < 3 || list.length > 4 || typeof layer !== 'string') {
    throw new FormatError(
      where,
      `\`${field}\` must be [layer name, node index, tensor index] (with optional call arguments), received ${describe(value)}`,
    );
  }
  if (typeof node !== 'number' || !Number.isSafeInteger(node) || node < 0) {
    throw new FormatError(
      where,
      `\`${fieldPath(field, 1)}\` must be a node index (an integer ≥ 0), received ${describe(node)}`,
    );
  }
  if (tensor !== 0) {
    throw new FormatError(
      where,
      `\`${fieldPath(field, 2)}\` must be 0 (cnnlab layers have one output), received ${describe(tensor)}`,
    );
  }
  if (kwargs !== undefined) checkKwargs(kwargs, where, fieldPath(field, 3));
  return { layer, node };
}

/** A call's keyword arguments: cnnlab's layers take none, so any set one (`training: false`) is refused. */
function checkKwargs(value: unknown, where: string, field: string): void {
  if (value === null) return;
  const kwargs = expectObject(value, where, field);
  const set = Object.keys(kwargs).filter((k) => kwargs[k] !== null);
  if (set.length > 0) {
    throw new FormatError(
      where,
      `\`${field}\` sets call arguments (${set.slice(0, 5).join(', ')}); cnnlab's layers take none`,
    );
  }
}

/** A Keras 3 tensor (`{className: '__keras_tensor__', config: {kerasHistory}}`) or a list of them, flattened. */
function kerasTensors(value: unknown, where: string, field: string): { value: unknown; field: string }[] {
  if (Array.isArray(value)) {
    const items: readonly unknown[] = value;
    return items.map((item, i) => {
      const at = fieldPath(field, i);
      return { value: kerasHistory(item, where, at), field: fieldPath(fieldPath(at, 'config'), 'keras_history') };
    });
  }
  return [{ value: kerasHistory(value, where, field), field: fieldPath(fieldPath(field, 'config'), 'keras_history') }];
}

function kerasHistory(value: unknown, where: string, field: string): unknown {
  const config = isJsonObject(value) && isJsonObject(value.config) ? value.config : undefined;
  if (config?.kerasHistory === undefined) {
    throw new FormatError(
      where,
      `\`${field}\` must be a Keras tensor ({"class_name": "__keras_tensor__", "config": {"keras_history": [...]}}), received ${describe(value)}`,
    );
  }
  return config.kerasHistory;
}

/** The input references of one call, in any of the three spellings (see the file comment). */
function readCall(value: unknown, where: string, field: string): { value: unknown; field: string }[] {
  if (isJsonObject(value)) {
    const args = expectArray(value.args, where, fieldPath(field, 'args'));
    if (args.length !== 1) {
      throw new FormatError(
        where,
        `\`${fieldPath(field, 'args')}\` must hold one tensor or one list of tensors, received ${describe(args)}`,
      );
    }
    checkKwargs(value.kwargs, where, fieldPath(field, 'kwargs'));
    return kerasTensors(args[0], where, fieldPath(field, 'args[0]'));
  }
  const list = expectArray(value, where, field);
  if (typeof list[0] === 'string') return [{ value: list, field }];
  return list.map((item, i) => ({ value: item, field: fieldPath(field, i) }));
}

/** The model's inputs or outputs: a list of triples, or (Keras 3, one tensor) a single triple. */
function readEnds(value: unknown, where: string, field: string): { value: unknown; field: string }[] {
  const list = expectArray(value, where, field);
  if (typeof list[0] === 'string') return [{ value: list, field }];
  if (list.length === 0 || list.length > MAX_CALL_INPUTS) {
    throw new FormatError(
      where,
      `\`${field}\` must list between 1 and ${MAX_CALL_INPUTS} tensors, received ${list.length}`,
    );
  }
  return list.map((item, i) => ({ value: item, field: fieldPath(field, i) }));
}

/**
 * Reads a functional model's `config` (camel-cased) at `field`: the layers, each with its calls' input references,
 * and the model's inputs and outputs, checking names are unique and every reference names an existing call.
 */
export function readFunctionalConfig(config: JsonObject, where: string, field: string): FunctionalLayers {
  const layersField = fieldPath(field, 'layers');
  const list = expectArray(config.layers, where, layersField);
  if (list.length === 0) throw new FormatError(where, `\`${layersField}\` is empty; a model needs at least one layer`);
  if (list.length > MAX_FUNCTIONAL_LAYERS) {
    throw new FormatError(
      where,
      `\`${layersField}\` holds ${list.length} layers; at most ${MAX_FUNCTIONAL_LAYERS} are read`,
    );
  }
  const name = config.name;
  if (name !== undefined && name !== null && typeof name !== 'string') {
    throw new FormatError(where, `\`${fieldPath(field, 'name')}\` must be a string, received ${describe(name)}`);
  }
  let total = 0;
  const raw = list.map((value, i) => {
    const at = fieldPath(layersField, i);
    const entry = expectObject(value, where, at);
    const layerConfig = isJsonObject(entry.config) ? entry.config : undefined;
    const layerName = entry.name ?? layerConfig?.name;
    if (typeof layerName !== 'string' || layerName === '') {
      throw new FormatError(
        where,
        `\`${fieldPath(at, 'name')}\` must be a layer name, received ${describe(layerName)}`,
      );
    }
    if (layerConfig?.name !== undefined && layerConfig.name !== null && layerConfig.name !== layerName) {
      throw new FormatError(
        where,
        `\`${fieldPath(at, 'config.name')}\` is ${describe(layerConfig.name)} but the layer is named ${quote(layerName)}`,
      );
    }
    const nodesField = fieldPath(at, 'inbound_nodes');
    const nodes = entry.inboundNodes ?? [];
    const calls = expectArray(nodes, where, nodesField).map((node, n) => {
      const refs = readCall(node, where, fieldPath(nodesField, n));
      if (refs.length === 0 || refs.length > MAX_CALL_INPUTS) {
        throw new FormatError(
          where,
          `\`${fieldPath(nodesField, n)}\` must list between 1 and ${MAX_CALL_INPUTS} inputs, received ${refs.length}`,
        );
      }
      total += refs.length;
      if (total > MAX_TOTAL_INBOUND) {
        throw new FormatError(
          where,
          `\`${layersField}\` lists more than ${MAX_TOTAL_INBOUND} layer inputs in all (at \`${nodesField}\`), refused`,
        );
      }
      return refs;
    });
    return { name: layerName, entry, field: at, calls, isInput: entry.className === 'InputLayer' };
  });

  // Each layer by name, with how many calls a reference may pick from (an input layer has one, with no inputs).
  const byName = new Map<string, { readonly field: string; readonly count: number }>();
  for (const layer of raw) {
    const clash = byName.get(layer.name);
    if (clash !== undefined) {
      throw new FormatError(
        where,
        `\`${fieldPath(layer.field, 'name')}\`: two layers are named ${quote(layer.name)} (also \`${clash.field}\`); layer names must be unique`,
      );
    }
    if (layer.isInput && layer.calls.length > 0) {
      throw new FormatError(where, `\`${fieldPath(layer.field, 'inbound_nodes')}\`: an input layer takes no inputs`);
    }
    if (!layer.isInput && layer.calls.length === 0) {
      throw new FormatError(
        where,
        `\`${fieldPath(layer.field, 'inbound_nodes')}\` is empty: layer ${quote(layer.name)} is never called`,
      );
    }
    byName.set(layer.name, { field: layer.field, count: layer.isInput ? 1 : layer.calls.length });
  }
  const resolve = (ref: { value: unknown; field: string }): ReadReference => {
    const { layer, node } = readTriple(ref.value, where, ref.field);
    const target = byName.get(layer);
    if (target === undefined) {
      throw new FormatError(
        where,
        `\`${ref.field}\` refers to layer ${describe(layer)}, which is not among the model's layers`,
      );
    }
    if (node >= target.count) {
      throw new FormatError(
        where,
        `\`${fieldPath(ref.field, 1)}\` refers to call ${node} of layer ${quote(layer)}, which has ${target.count} call${target.count === 1 ? '' : 's'}`,
      );
    }
    return { layer, node, field: ref.field };
  };
  const ends = (key: 'inputLayers' | 'outputLayers', snake: string): ReadReference[] =>
    readEnds(config[key], where, fieldPath(field, snake)).map(resolve);
  return {
    name: typeof name === 'string' ? name : undefined,
    layers: raw.map((layer) => ({ ...layer, calls: layer.calls.map((refs) => refs.map(resolve)) })),
    inputs: ends('inputLayers', 'input_layers'),
    outputs: ends('outputLayers', 'output_layers'),
    field,
  };
}
