/**
 * Putting a model file's weights into a model's layers: each manifest entry is matched to a layer weight by its
 * scope and short name (or, for old Keras names, by order), and shapes must agree.
 */
import { tidy } from '../engine.js';
import { FormatError, quote } from '../errors.js';
import { decodeWeight, OPTIMIZER_GROUP, specOffsets, type WeightSpec } from '../io/weights.js';
import type { Layer } from '../layers/layer.js';
import { tensor } from '../ops/creation.js';
import type { Tensor } from '../tensor.js';

/** Owner (layer scope) and short name of a manifest weight: `seq/conv2d/kernel:0` → ['seq/conv2d', 'kernel']. */
function splitWeightName(name: string): { owner: string; suffix: string } {
  const plain = name.replace(/:\d+$/, '');
  const slash = plain.lastIndexOf('/');
  return { owner: plain.slice(0, Math.max(slash, 0)), suffix: plain.slice(slash + 1) };
}

interface Located {
  readonly spec: WeightSpec;
  readonly offset: number;
  readonly owner: string;
  readonly suffix: string;
}

/** The manifest entries by the layer they belong to, found without scanning them all for each layer. */
interface LocatedIndex {
  /** The entries whose scope is `name`, possibly nested (`sequential/dense` for 'dense'), in manifest order. */
  candidates(name: string): readonly Located[];
}

function indexLocated(located: readonly Located[]): LocatedIndex {
  const byLastScope = new Map<string, Located[]>();
  for (const l of located) {
    const key = l.owner.slice(l.owner.lastIndexOf('/') + 1);
    const list = byLastScope.get(key);
    if (list === undefined) byLastScope.set(key, [l]);
    else list.push(l);
  }
  return {
    candidates: (name) =>
      // A name with a slash spans several scopes; such names are rare enough to scan for.
      name.includes('/')
        ? located.filter((l) => l.owner === name || l.owner.endsWith(`/${name}`))
        : (byLastScope.get(name) ?? []),
  };
}

/**
 * Picks the manifest entry for each of a layer's weights: those whose scope is the layer's name (possibly
 * nested, `sequential/dense`), matched by short name (kernel, bias, gamma, beta, moving_mean, moving_variance);
 * when no short name matches but the counts agree (old Keras names such as W, b), by order.
 */
function entriesForLayer(layer: Layer, located: LocatedIndex, where: string): Located[] {
  const candidates = located.candidates(layer.name);
  const suffixes = layer.weights.map((v) => v.name.slice(layer.name.length + 1));
  const byOrder = candidates.length === suffixes.length && !candidates.some((c) => suffixes.includes(c.suffix));
  return suffixes.map((suffix, j) => {
    const matches = byOrder ? [candidates[j]] : candidates.filter((c) => c.suffix === suffix);
    const [match] = matches;
    if (matches.length > 1) {
      throw new FormatError(
        where,
        `weight '${layer.name}/${suffix}' matches several manifest entries: ${matches.map((m) => quote(m?.spec.name)).join(', ')}`,
      );
    }
    if (match === undefined) {
      const listed =
        candidates.length === 0 ? 'none for this layer' : candidates.map((c) => quote(c.spec.name)).join(', ');
      throw new FormatError(
        where,
        `the manifest has no weight '${layer.name}/${suffix}' for layer ${quote(layer.name)} (${layer.className}); listed: ${listed}`,
      );
    }
    return match;
  });
}

/** Sets every model weight from the specs and data; every spec (optimizer state aside) must find a weight. */
export function assignWeights(
  model: { readonly layers: readonly Layer[] },
  specs: readonly WeightSpec[],
  data: ArrayBuffer,
  where: string,
): void {
  const offsets = specOffsets(specs);
  const located: Located[] = specs.flatMap((spec, i) =>
    spec.group === OPTIMIZER_GROUP ? [] : [{ spec, offset: offsets[i] ?? 0, ...splitWeightName(spec.name) }],
  );
  const used = new Set<Located>();
  const index = indexLocated(located);
  const values = model.layers.map((layer) =>
    entriesForLayer(layer, index, where).map((entry, j) => {
      const variable = layer.weights[j];
      const expected = variable?.shape ?? [];
      if (used.has(entry))
        throw new FormatError(where, `manifest weight ${quote(entry.spec.name)} matches more than one layer weight`);
      used.add(entry);
      if (entry.spec.shape.length !== expected.length || entry.spec.shape.some((d, k) => d !== expected[k])) {
        throw new FormatError(
          where,
          `weight ${quote(entry.spec.name)} has shape [${entry.spec.shape.join(', ')}] in the manifest, but layer ${quote(layer.name)} (${layer.className}) needs [${expected.join(', ')}] for ${quote(variable?.name)}`,
        );
      }
      return { shape: expected, values: decodeWeight(entry.spec, data, entry.offset, where) };
    }),
  );
  const unused = located.filter((l) => !used.has(l));
  if (unused.length > 0) {
    throw new FormatError(
      where,
      `the manifest lists weights that match no layer of the model: ${unused
        .slice(0, 5)
        .map((l) => quote(l.spec.name))
        .join(', ')}${unused.length > 5 ? ', …' : ''}`,
    );
  }
  tidy(() => {
    model.layers.forEach((layer, i) => {
      const tensors: Tensor[] = (values[i] ?? []).map((w) => tensor(w.values, w.shape));
      if (tensors.length > 0) layer.setWeights(tensors);
    });
  });
}
