/**
 * A model in memory in the TensorFlow.js layers-model format (tfjs `io.ModelArtifacts`): the topology JSON,
 * the weight specs and one buffer of weight values. Savers and loaders (files, browser storage, tfjs itself)
 * exchange this; `modelJson` gives the model.json document that points at the weight files.
 */
import { tidy } from '../engine.js';
import type { Layer } from '../layers/layer.js';
import type { Sequential } from '../model/sequential.js';
import { tensor } from '../ops/creation.js';
import type { Tensor } from '../tensor.js';
import { describe, expectObject, type JsonObject } from './json.js';
import { modelFromTopology, modelToTopology } from './model-json.js';
import { compileFromTrainingConfig, encodeOptimizerWeights, readTrainingConfig, restoreOptimizerWeights, trainingConfigOf,
  type TrainingConfigNames } from './optimizer-state.js';
import { decodeWeight, encodeWeights, OPTIMIZER_GROUP, readWeightData, readWeightSpecs, readWeightsManifest, specOffsets,
  type WeightSpec, type WeightsGroup } from './weights.js';

/** Written into `generatedBy` (kept in step with package.json by hand: the core cannot read it in a browser). */
export const GENERATED_BY = 'cnnlab 0.1.0';

export interface ModelArtifacts {
  readonly modelTopology: JsonObject;
  readonly weightSpecs: readonly WeightSpec[];
  /** Every weight's values, in `weightSpecs` order, little-endian (float32; tfjs's optimizer `iter` is int32). */
  readonly weightData: ArrayBuffer;
  readonly format: 'layers-model';
  readonly generatedBy: string;
  readonly convertedBy: string | null;
  /** With the optimizer state (see optimizer-state.ts): how to compile the model, as tfjs writes it. */
  readonly trainingConfig?: JsonObject;
}

/**
 * Options of `saveModel` / `modelToArtifacts`. `includeOptimizer` (tfjs's option) adds the optimizer's state and a
 * trainingConfig, so that loading gives a compiled model that trains on where it stopped; the trainingConfig needs
 * the loss and metrics by name (tfjs compiles the loaded model with them).
 */
export type SaveOptions = { readonly includeOptimizer?: false } | ({ readonly includeOptimizer: true } & TrainingConfigNames);

/** What `modelFromArtifacts` accepts: ours, or tfjs's (whose `weightData` may be a list of buffers); all checked. */
export type ArtifactsInput = { readonly [K in keyof ModelArtifacts]?: unknown };

/** model.json: the artifacts' metadata and topology, with the weights replaced by a manifest of files. */
export interface ModelJson {
  readonly format: 'layers-model';
  readonly generatedBy: string;
  readonly convertedBy: string | null;
  readonly modelTopology: JsonObject;
  readonly weightsManifest: readonly WeightsGroup[];
  readonly trainingConfig?: JsonObject;
}

/**
 * The model's topology and weights. Specs follow tfjs's order (trainable weights, then non-trainable ones);
 * names are the variables' `layer/weight` names (`conv2d_1/kernel`, `batch_normalization/moving_mean`).
 * With `includeOptimizer`, the optimizer's weights follow (group 'optimizer') and a trainingConfig is added.
 */
export function modelToArtifacts(model: Sequential, options: SaveOptions = {}): ModelArtifacts {
  const where = `modelToArtifacts '${model.name}'`;
  const variables = [...model.trainableWeights, ...model.nonTrainableWeights];
  const { specs, data } = encodeWeights(variables.map((v) => ({ name: v.name, shape: v.shape, values: v.dataSync() })), where);
  const artifacts: ModelArtifacts = { modelTopology: modelToTopology(model), weightSpecs: specs, weightData: data,
    format: 'layers-model', generatedBy: GENERATED_BY, convertedBy: null };
  if (options.includeOptimizer !== true) return artifacts;
  const optimizer = model.optimizer;
  const trainingConfig = trainingConfigOf(optimizer, options, where);
  const state = encodeOptimizerWeights(optimizer, where);
  const joined = new Uint8Array(data.byteLength + state.data.byteLength);
  joined.set(new Uint8Array(data), 0);
  joined.set(new Uint8Array(state.data), data.byteLength);
  return { ...artifacts, weightSpecs: [...specs, ...state.specs], weightData: joined.buffer, trainingConfig };
}

/** The model.json document for artifacts whose weight data is stored in the files `paths` (concatenated). */
export function modelJson(artifacts: ModelArtifacts, paths: readonly string[] = ['weights.bin']): ModelJson {
  const json: ModelJson = { format: artifacts.format, generatedBy: artifacts.generatedBy, convertedBy: artifacts.convertedBy,
    modelTopology: artifacts.modelTopology, weightsManifest: [{ paths: [...paths], weights: artifacts.weightSpecs }] };
  return artifacts.trainingConfig === undefined ? json : { ...json, trainingConfig: artifacts.trainingConfig };
}

/** Throws unless `format` is 'layers-model' (or absent, as in files from before tfjs 1.x). */
function checkFormat(format: unknown, where: string): void {
  if (format === undefined || format === null || format === 'layers-model') return;
  const hint = format === 'graph-model' ? ' (a graph model holds no layers; it cannot be loaded as a layers model)' : '';
  throw new Error(`${where}: \`format\` must be 'layers-model', received ${describe(format)}${hint}`);
}

/** Checks a parsed model.json: an object, a layers-model format, a topology and a valid weights manifest. */
export function readModelJson(value: unknown, where: string): { topology: JsonObject; manifest: WeightsGroup[]; info: ArtifactsInput } {
  const json = expectObject(value, where, 'model.json');
  checkFormat(json.format, where);
  const topology = expectObject(json.modelTopology, where, 'modelTopology');
  const manifest = json.weightsManifest === undefined ? [] : readWeightsManifest(json.weightsManifest, where);
  return { topology, manifest,
    info: { format: json.format, generatedBy: json.generatedBy, convertedBy: json.convertedBy, trainingConfig: json.trainingConfig } };
}

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

/**
 * Picks the manifest entry for each of a layer's weights: those whose scope is the layer's name (possibly
 * nested, `sequential/dense`), matched by short name (kernel, bias, gamma, beta, moving_mean, moving_variance);
 * when no short name matches but the counts agree (old Keras names such as W, b), by order.
 */
function entriesForLayer(layer: Layer, located: readonly Located[], where: string): Located[] {
  const candidates = located.filter((l) => l.owner === layer.name || l.owner.endsWith(`/${layer.name}`));
  const suffixes = layer.weights.map((v) => v.name.slice(layer.name.length + 1));
  const byOrder = candidates.length === suffixes.length && !candidates.some((c) => suffixes.includes(c.suffix));
  return suffixes.map((suffix, j) => {
    const matches = byOrder ? [candidates[j]] : candidates.filter((c) => c.suffix === suffix);
    const [match] = matches;
    if (matches.length > 1) {
      throw new Error(`${where}: weight '${layer.name}/${suffix}' matches several manifest entries: ${matches.map((m) => `'${m?.spec.name}'`).join(', ')}`);
    }
    if (match === undefined) {
      const listed = candidates.length === 0 ? 'none for this layer' : candidates.map((c) => `'${c.spec.name}'`).join(', ');
      throw new Error(`${where}: the manifest has no weight '${layer.name}/${suffix}' for layer '${layer.name}' (${layer.className}); listed: ${listed}`);
    }
    return match;
  });
}

/** Sets every model weight from the specs and data; every spec (optimizer state aside) must find a weight. */
function assignWeights(model: Sequential, specs: readonly WeightSpec[], data: ArrayBuffer, where: string): void {
  const offsets = specOffsets(specs);
  const located: Located[] = specs.flatMap((spec, i) => (spec.group === OPTIMIZER_GROUP ? []
    : [{ spec, offset: offsets[i] ?? 0, ...splitWeightName(spec.name) }]));
  const used = new Set<Located>();
  const values = model.layers.map((layer) => entriesForLayer(layer, located, where).map((entry, j) => {
    const variable = layer.weights[j];
    const expected = variable?.shape ?? [];
    if (used.has(entry)) throw new Error(`${where}: manifest weight '${entry.spec.name}' matches more than one layer weight`);
    used.add(entry);
    if (entry.spec.shape.length !== expected.length || entry.spec.shape.some((d, k) => d !== expected[k])) {
      throw new Error(`${where}: weight '${entry.spec.name}' has shape [${entry.spec.shape.join(', ')}] in the manifest, but layer '${layer.name}' (${layer.className}) needs [${expected.join(', ')}] for '${variable?.name}'`);
    }
    return { shape: expected, values: decodeWeight(entry.spec, data, entry.offset, where) };
  }));
  const unused = located.filter((l) => !used.has(l));
  if (unused.length > 0) {
    throw new Error(`${where}: the manifest lists weights that match no layer of the model: ${unused.slice(0, 5).map((l) => `'${l.spec.name}'`).join(', ')}${unused.length > 5 ? ', …' : ''}`);
  }
  tidy(() => {
    model.layers.forEach((layer, i) => {
      const tensors: Tensor[] = (values[i] ?? []).map((w) => tensor(w.values, w.shape));
      if (tensors.length > 0) layer.setWeights(tensors);
    });
  });
}

/**
 * Rebuilds a model from artifacts (ours or tfjs's), checking everything: the format, the topology, the specs
 * (before allocating), the data size against the specs, each weight's shape against its layer, finiteness.
 * With a trainingConfig the model comes back compiled, and optimizer weights (group 'optimizer') are restored
 * into its optimizer; without one they are ignored, as tfjs ignores them. `where` names the source in errors.
 */
export function modelFromArtifacts(artifacts: ArtifactsInput, where = 'modelFromArtifacts'): Sequential {
  if (typeof artifacts !== 'object' || artifacts === null) throw new Error(`${where}: artifacts must be an object, received ${describe(artifacts)}`);
  checkFormat(artifacts.format, where);
  const specs = artifacts.weightSpecs === undefined || artifacts.weightSpecs === null ? [] : readWeightSpecs(artifacts.weightSpecs, where);
  // Before anything is allocated: the data must hold exactly the bytes the specs describe.
  const data = readWeightData(artifacts.weightData, specs, where);
  const trainingConfig = artifacts.trainingConfig === undefined || artifacts.trainingConfig === null ? null
    : readTrainingConfig(artifacts.trainingConfig, where);
  const model = modelFromTopology(artifacts.modelTopology, where);
  assignWeights(model, specs, data, where);
  if (trainingConfig !== null) {
    compileFromTrainingConfig(model, trainingConfig, where);
    restoreOptimizerWeights(model, specs, specOffsets(specs), data, where);
  }
  return model;
}
