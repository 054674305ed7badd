/**
 * Rebuilding a functional Model from a read topology (io/functional-json.ts): each layer made from its config at its
 * first call (the input's rank settles Keras spellings), the calls replayed in an order where each call's inputs
 * exist, then the Model over the file's inputs and outputs. A file's layer order need not be topological, so the
 * calls are ordered by Kahn's algorithm over their references (linear in the number of calls and references); a
 * layer's calls stay in file order, so a shared layer's calls keep their node indices.
 */
import { CnnlabError, errorMessage, FormatError, quote } from '../errors.js';
import type { FunctionalLayers, ReadReference } from '../io/functional-json.js';
import { fieldPath } from '../io/json.js';
import { InputLayer } from '../layers/input.js';
import type { Layer } from '../layers/layer.js';
import type { SymbolicTensor } from '../layers/symbolic.js';
import { Random } from '../random.js';
import { Model } from './functional.js';
import { asLayerError, createLayer, readLayer } from './layer-loading.js';
import type { ParamBudget } from './param-budget.js';

interface Call {
  readonly layer: number;
  /** The call's node index in the file. */
  readonly node: number;
  readonly inputs: readonly ReadReference[];
  /** Where the call is written, for errors. */
  readonly field: string;
}

/** Every call of the file, and for each layer its calls' ids (an input layer has one call, with no inputs). */
function listCalls(read: FunctionalLayers): { calls: Call[]; ids: number[][]; byName: Map<string, number> } {
  const calls: Call[] = [];
  const byName = new Map<string, number>();
  const ids = read.layers.map((layer, i) => {
    byName.set(layer.name, i);
    const nodesField = fieldPath(layer.field, 'inbound_nodes');
    if (layer.isInput) return [calls.push({ layer: i, node: 0, inputs: [], field: layer.field }) - 1];
    return layer.calls.map(
      (inputs, node) => calls.push({ layer: i, node, inputs, field: fieldPath(nodesField, node) }) - 1,
    );
  });
  return { calls, ids, byName };
}

/** The id of the call a reference names (functional-json.ts checked that it exists). */
function callOf(ref: ReadReference, ids: readonly number[][], byName: ReadonlyMap<string, number>): number {
  const id = ids[byName.get(ref.layer) ?? -1]?.[ref.node];
  if (id === undefined) throw new FormatError(undefined, `\`${ref.field}\` names no call`);
  return id;
}

/**
 * The calls in an order where each comes after the calls feeding it and after the layer's earlier calls; a cycle is
 * a FormatError naming the calls on it.
 */
function orderCalls(
  calls: readonly Call[],
  feeding: readonly (readonly number[])[],
  where: string,
  names: (c: number) => string,
): number[] {
  const waiting = feeding.map((f) => f.length);
  const fed: number[][] = calls.map(() => []);
  feeding.forEach((f, c) => {
    for (const from of f) fed[from]?.push(c);
  });
  const order = calls.flatMap((_, c) => (waiting[c] === 0 ? [c] : []));
  // The loop also visits the calls it appends.
  for (const placed of order) {
    for (const c of fed[placed] ?? []) {
      const left = (waiting[c] ?? 0) - 1;
      waiting[c] = left;
      if (left === 0) order.push(c);
    }
  }
  if (order.length < calls.length) {
    // Follow unplaced inputs from an unplaced call until one repeats: that call lies on a cycle.
    const seen = new Map<number, number>();
    const path: number[] = [];
    let c = waiting.findIndex((w) => w > 0);
    while (!seen.has(c)) {
      seen.set(c, path.length);
      path.push(c);
      c = feeding[c]?.find((f) => (waiting[f] ?? 0) > 0) ?? c;
    }
    const cycle = path.slice(seen.get(c)).reverse();
    const shown = cycle.slice(0, 8).map(names).join(' → ');
    throw new FormatError(
      where,
      `\`${calls[c]?.field ?? 'inbound_nodes'}\`: the layer calls form a cycle (${shown}${cycle.length > 8 ? ' → …' : ''} → ${names(cycle[0] ?? c)})`,
    );
  }
  return order;
}

/** Builds the Model a functional topology describes (fresh weights; `seed` as in modelFromTopology). */
export function functionalFromTopology(
  read: FunctionalLayers,
  where: string,
  seed: number | undefined,
  budget: ParamBudget,
): Model {
  const seeds = seed === undefined ? undefined : new Random(seed);
  const { calls, ids, byName } = listCalls(read);
  const feeding = calls.map((call) => {
    const inputs = call.inputs.map((ref) => callOf(ref, ids, byName));
    const earlier = call.node > 0 ? ids[call.layer]?.[call.node - 1] : undefined;
    return earlier === undefined ? inputs : [...inputs, earlier];
  });
  const names = (c: number): string => {
    const call = calls[c];
    return `${quote(read.layers[call?.layer ?? -1]?.name ?? '?')}[${call?.node ?? 0}]`;
  };
  const outputs: (SymbolicTensor | undefined)[] = calls.map(() => undefined);
  const built: (Layer | undefined)[] = read.layers.map(() => undefined);
  for (const c of orderCalls(calls, feeding, where, names)) {
    const call = calls[c];
    const entry = call === undefined ? undefined : read.layers[call.layer];
    if (call === undefined || entry === undefined) continue;
    const inputs = call.inputs.map((ref) => outputs[callOf(ref, ids, byName)]).filter((t) => t !== undefined);
    const shapes = inputs.map((t) => t.shape);
    // A layer is made at its first call, when its input's rank is known; later calls share it.
    const first =
      built[call.layer] === undefined ? readLayer(entry.entry, where, entry.field, shapes[0]?.length) : null;
    const layer =
      built[call.layer] ??
      (first === null
        ? undefined
        : createLayer(first, where, entry.isInput ? undefined : shapes, budget, (l) => {
            if (!entry.isInput) l.buildFor(shapes, seeds);
          }));
    if (layer === undefined) continue;
    built[call.layer] = layer;
    const label = first?.label ?? `\`${call.field}\` (${quote(entry.name)})`;
    outputs[c] = asLayerError(where, label, () => (layer instanceof InputLayer ? layer.output : layer.apply(inputs)));
  }
  const ends = (refs: readonly ReadReference[]): SymbolicTensor[] =>
    refs.flatMap((ref) => outputs[callOf(ref, ids, byName)] ?? []);
  try {
    return new Model({ inputs: ends(read.inputs), outputs: ends(read.outputs), name: read.name });
  } catch (error) {
    const detail = error instanceof CnnlabError ? error.detail : errorMessage(error);
    throw new FormatError(where, `\`${read.field}\`: ${detail}`, { cause: error });
  }
}
