/**
 * Saving a model in the TensorFlow.js layers-model format: its topology, its weights and, on request, its
 * optimizer's state, handed to a save handler or a registered URL (io/handlers.ts).
 */
import { quote } from '../errors.js';
import { GENERATED_BY, type ModelArtifacts } from '../io/artifacts.js';
import { saveHandlerFor, type SaveHandler } from '../io/handlers.js';
import type { JsonObject } from '../io/json.js';
import { type ModelTopology, topologyJson } from '../io/model-json.js';
import type { TrainingConfigNames } from '../io/optimizer-state.js';
import { encodeWeights } from '../io/weights.js';
import type { Optimizer } from '../optimizers/index.js';
import type { Variable } from '../tensor.js';
import { encodeOptimizerWeights, trainingConfigOf } from './optimizer-saving.js';

/** What saving reads from a model (a Sequential or a functional Model). */
export interface SavableModel {
  readonly name: string;
  readonly trainableWeights: readonly Variable[];
  readonly nonTrainableWeights: readonly Variable[];
  /** The compiled optimizer; read only with `includeOptimizer`. */
  readonly optimizer: Optimizer;
  /** The architecture written into `modelTopology`. */
  topology(): ModelTopology;
}

/**
 * Options of `saveModel` / `modelToArtifacts`. `includeOptimizer` (tfjs's option) adds the optimizer's state and a
 * trainingConfig, so that loading gives a compiled model that trains on where it stopped; the trainingConfig needs
 * the loss and metrics by name (tfjs compiles the loaded model with them).
 */
export type SaveOptions =
  { readonly includeOptimizer?: false } | ({ readonly includeOptimizer: true } & TrainingConfigNames);

/** The model's architecture as tfjs writes it into model.json's `modelTopology`. */
export function modelToTopology(model: SavableModel): JsonObject {
  return topologyJson(model.topology(), `modelToTopology ${quote(model.name)}`);
}

/**
 * The model's topology and weights. Specs follow tfjs's order (trainable weights, then non-trainable ones);
 * names are the variables' `layer/weight` names (`conv2d_1/kernel`, `batch_normalization/moving_mean`).
 * With `includeOptimizer`, the optimizer's weights follow (group 'optimizer') and a trainingConfig is added.
 */
export function modelToArtifacts(model: SavableModel, options: SaveOptions = {}): ModelArtifacts {
  const where = `modelToArtifacts ${quote(model.name)}`;
  const variables = [...model.trainableWeights, ...model.nonTrainableWeights];
  const { specs, data } = encodeWeights(
    variables.map((v) => ({ name: v.name, shape: v.shape, values: v.dataSync() })),
    where,
  );
  const artifacts: ModelArtifacts = {
    modelTopology: modelToTopology(model),
    weightSpecs: specs,
    weightData: data,
    format: 'layers-model',
    generatedBy: GENERATED_BY,
    convertedBy: null,
  };
  if (options.includeOptimizer !== true) return artifacts;
  const optimizer = model.optimizer;
  const trainingConfig = trainingConfigOf(optimizer, options, where);
  const state = encodeOptimizerWeights(optimizer, where);
  const joined = new Uint8Array(data.byteLength + state.data.byteLength);
  joined.set(new Uint8Array(data), 0);
  joined.set(new Uint8Array(state.data), data.byteLength);
  return { ...artifacts, weightSpecs: [...specs, ...state.specs], weightData: joined.buffer, trainingConfig };
}

/**
 * Saves the model through a handler, or to a registered URL (the Node entry registers `file://` and plain paths);
 * resolves to the handler's result (for files: where they were written, `SaveInfo`). `options`:
 * `{ includeOptimizer: true, loss, metrics }` adds the optimizer's state (see SaveOptions).
 */
export async function saveModel<R>(model: SavableModel, handler: SaveHandler<R>, options?: SaveOptions): Promise<R>;
export async function saveModel(
  model: SavableModel,
  handlerOrUrl: SaveHandler | string,
  options?: SaveOptions,
): Promise<unknown>;
export async function saveModel(
  model: SavableModel,
  handlerOrUrl: SaveHandler | string,
  options: SaveOptions = {},
): Promise<unknown> {
  const handler = typeof handlerOrUrl === 'string' ? saveHandlerFor(handlerOrUrl) : handlerOrUrl;
  return handler.save(modelToArtifacts(model, options));
}
