/**
 * Building one layer of a model file, the same way for Sequential and functional topologies: the entry checked
 * (`readLayerEntry`), Keras spellings mapped for the input's rank, the layer made by the registry, and its sizes
 * bounded before it allocates weights (each weight, and the model's parameters: param-budget.ts). Errors are
 * FormatErrors naming the source and the layer's JSON field.
 */
import { CnnlabError, errorMessage, FormatError, quote } from '../errors.js';
import { type LayerEntry, normalizeAxis, readLayerEntry } from '../io/layer-config.js';
import { MAX_WEIGHT_VALUES } from '../io/weights.js';
import type { Layer, SymbolicShape } from '../layers/layer.js';
import { deserializeLayer, type SerializedLayer } from '../layers/registry.js';
import type { ParamBudget } from './param-budget.js';

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
 * outputs per example, kernels sized by Keras's `units` / `filters` × input channels × `kernelSize`, and depthwise
 * kernels sized by `depthMultiplier` × input channels × `kernelSize` (with SeparableConv2D's pointwise kernel,
 * `filters` × input channels × `depthMultiplier`).
 */
function checkSizes(layer: Layer, entry: LayerEntry, inputs: readonly SymbolicShape[]): void {
  const output = layer.outputShapeFor(inputs);
  if (inputs.some((s) => exampleSize(s) > MAX_WEIGHT_VALUES) || exampleSize(output) > MAX_WEIGHT_VALUES) {
    throw new FormatError(
      undefined,
      `input or output shape holds more than ${MAX_WEIGHT_VALUES} values per example, refused`,
    );
  }
  const kernel = entry.config.kernelSize;
  const area = Array.isArray(kernel)
    ? kernel.reduce<number>((n, k) => n * (typeof k === 'number' ? k : 1), 1)
    : typeof kernel === 'number'
      ? kernel * kernel
      : 1;
  const input = inputs[0] ?? [];
  const channels = input[input.length - 1] ?? 1;
  const width = entry.config.units ?? entry.config.filters;
  const multiplier = entry.config.depthMultiplier;
  const sizes = [
    typeof width === 'number' ? width * channels * area : 0,
    typeof multiplier === 'number' ? multiplier * channels * area : 0,
    typeof multiplier === 'number' && typeof width === 'number' ? width * channels * multiplier : 0,
  ];
  if (sizes.some((size) => size > MAX_WEIGHT_VALUES)) {
    throw new FormatError(undefined, `the kernel would hold more than ${MAX_WEIGHT_VALUES} values, refused`);
  }
}

/** `error` as a FormatError about the source: a CnnlabError or a TypeError (a bug) as is, anything else reclassed. */
function asFormatError(error: unknown): unknown {
  if (error instanceof CnnlabError || error instanceof TypeError) return error;
  return new FormatError(undefined, errorMessage(error), { cause: error });
}

/** A layer entry read from a file: checked, with the label errors name it by (`layers[2]` (Dense 'd1')). */
export interface ReadLayer {
  readonly entry: LayerEntry;
  readonly label: string;
}

/**
 * Checks the entry at `field` and maps Keras spellings for inputs of rank `rank` (the declared input shape's rank
 * when undefined).
 */
export function readLayer(value: unknown, where: string, field: string, rank: number | undefined): ReadLayer {
  let entry: LayerEntry;
  try {
    entry = readLayerEntry(value, where, field);
  } catch (error) {
    throw asFormatError(error);
  }
  const declared = entry.config.batchInputShape;
  const inputRank = rank ?? (Array.isArray(declared) ? declared.length : undefined);
  if (inputRank !== undefined) entry = normalizeAxis(entry, inputRank);
  const name = entry.config.name;
  return { entry, label: `\`${field}\` (${entry.className}${typeof name === 'string' ? ` ${quote(name)}` : ''})` };
}

/** Runs `f`, restating what it throws under the source and the layer's label (a TypeError, a bug, stays one). */
export function asLayerError<T>(where: string, label: string, f: () => T): T {
  try {
    return f();
  } catch (error) {
    // The layer's own place (`Dense 'd1'`) is in the label already; a CnnlabError's detail is its message without it.
    const detail = error instanceof CnnlabError ? error.detail : errorMessage(error);
    throw error instanceof TypeError
      ? new TypeError(`${where}: ${label}: ${detail}`, { cause: error })
      : new FormatError(where, `${label}: ${detail}`, { cause: error });
  }
}

/**
 * Makes the layer for a read entry, taking inputs of these shapes (its declared input shape when undefined), and
 * hands it to `use` (adding it to a model, building it); sizes are checked first. Errors name the layer's field.
 */
export function createLayer(
  read: ReadLayer,
  where: string,
  inputs: readonly SymbolicShape[] | undefined,
  budget: ParamBudget,
  use: (layer: Layer) => void,
): Layer {
  const serialized = { className: read.entry.className, config: read.entry.config };
  if (!isSerializedLayer(serialized)) throw new FormatError(where, `${read.label}: not a layer`);
  return asLayerError(where, read.label, () => {
    const layer = deserializeLayer(serialized);
    const declared = layer.batchInputShape;
    const shapes = inputs ?? (declared === undefined ? undefined : [declared]);
    if (shapes === undefined) throw new FormatError(undefined, 'the first layer must declare `batch_input_shape`');
    checkSizes(layer, read.entry, shapes);
    budget.check(layer, shapes);
    use(layer);
    budget.add(layer);
    return layer;
  });
}
