/**
 * A model in memory in the TensorFlow.js layers-model format (tfjs `io.ModelArtifacts`): the topology JSON,
 * the weight specs and one buffer of weight values. Savers and loaders (files, browser storage, tfjs itself)
 * exchange this; `modelJson` gives the model.json document that points at the weight files. Building artifacts
 * from a model and a model from artifacts is model/saving.ts's and model/loading.ts's work.
 */
import { FormatError } from '../errors.js';
import { describe, expectObject, type JsonObject } from './json.js';
import { readWeightsManifest, type WeightSpec, type WeightsGroup } from './weights.js';

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

/** The model.json document for artifacts whose weight data is stored in the files `paths` (concatenated). */
export function modelJson(artifacts: ModelArtifacts, paths: readonly string[] = ['weights.bin']): ModelJson {
  const json: ModelJson = {
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [...paths], weights: artifacts.weightSpecs }],
  };
  return artifacts.trainingConfig === undefined ? json : { ...json, trainingConfig: artifacts.trainingConfig };
}

/** Throws unless `format` is 'layers-model' (or absent, as in files from before tfjs 1.x). */
export function checkFormat(format: unknown, where: string): void {
  if (format === undefined || format === null || format === 'layers-model') return;
  const hint =
    format === 'graph-model' ? ' (a graph model holds no layers; it cannot be loaded as a layers model)' : '';
  throw new FormatError(where, `\`format\` must be 'layers-model', received ${describe(format)}${hint}`);
}

/** Checks a parsed model.json: an object, a layers-model format, a topology and a valid weights manifest. */
export function readModelJson(
  value: unknown,
  where: string,
): { topology: JsonObject; manifest: WeightsGroup[]; info: ArtifactsInput } {
  const json = expectObject(value, where, 'model.json');
  checkFormat(json.format, where);
  const topology = expectObject(json.modelTopology, where, 'modelTopology');
  const manifest = json.weightsManifest === undefined ? [] : readWeightsManifest(json.weightsManifest, where);
  return {
    topology,
    manifest,
    info: {
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy,
      trainingConfig: json.trainingConfig,
    },
  };
}
