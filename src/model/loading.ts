/**
 * Loading a model from the TensorFlow.js layers-model format: the layers built from the topology, the weights put in,
 * and, with a trainingConfig, the model compiled with its optimizer's state restored. Everything read is untrusted;
 * what is wrong with it is reported as a FormatError naming the source and the field.
 */
import { FormatError } from '../errors.js';
import { type ArtifactsInput, checkFormat } from '../io/artifacts.js';
import { loadHandlerFor, type LoadHandler } from '../io/handlers.js';
import { describe, fieldPath } from '../io/json.js';
import { readTopology } from '../io/model-json.js';
import { readTrainingConfig } from '../io/optimizer-state.js';
import { readWeightData, readWeightSpecs, specOffsets } from '../io/weights.js';
import { assignWeights } from './assign-weights.js';
import { functionalFromTopology } from './functional-loading.js';
import { createLayer, readLayer } from './layer-loading.js';
import { type LoadLimits, ParamBudget } from './param-budget.js';
import type { LayersModel } from './layers-model.js';
import { compileFromTrainingConfig, restoreOptimizerWeights } from './optimizer-saving.js';
import { Sequential } from './sequential.js';

/**
 * Builds a model (fresh weights) from a `modelTopology` in tfjs or Keras-converter form: a Sequential, or a functional
 * Model (`class_name: 'Model'` / 'Functional'). `where` names the source (a file path) in errors, which also name the
 * JSON field. `seed` seeds the weights whose initializers have none (SequentialArgs' `seed`). A model of more than
 * `limits.maxParams` parameters (MAX_PARAMS by default) is refused before the layer passing the limit is built.
 */
export function modelFromTopology(topology: unknown, where: string, seed?: number, limits?: LoadLimits): LayersModel {
  const read = readTopology(topology, where);
  const budget = new ParamBudget(limits);
  if (read.kind === 'Model') return functionalFromTopology(read, where, seed, budget);
  const model = new Sequential(read.name === undefined ? { seed } : { name: read.name, seed });
  read.layers.forEach((value, i) => {
    const previous = i === 0 ? undefined : model.outputShape;
    const layer = readLayer(value, where, fieldPath(read.field, i), previous?.length);
    createLayer(layer, where, previous === undefined ? undefined : [previous], budget, (l) => model.add(l));
  });
  return model;
}

/**
 * Rebuilds a model from artifacts (ours or tfjs's), checking everything: the format, the topology, the specs
 * (before allocating), the data size against the specs, each weight's shape against its layer, finiteness.
 * With a trainingConfig the model comes back compiled, and optimizer weights (group 'optimizer') are restored
 * into its optimizer; without one they are ignored, as tfjs ignores them. `where` names the source in errors.
 */
export function modelFromArtifacts(
  artifacts: ArtifactsInput,
  where = 'modelFromArtifacts',
  limits?: LoadLimits,
): LayersModel {
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
  const model = modelFromTopology(artifacts.modelTopology, where, undefined, limits);
  assignWeights(model, specs, data, where);
  if (trainingConfig !== null) {
    compileFromTrainingConfig(model, trainingConfig, where);
    restoreOptimizerWeights(model, specs, specOffsets(specs), data, where);
  }
  return model;
}

/**
 * Loads a model from a handler or a registered URL (tfjs `tf.loadLayersModel`); the Node entry registers
 * `file://` and plain paths ('runs/mnist/model.json', or the folder). `limits.maxParams` as in modelFromTopology.
 */
export async function loadLayersModel(handlerOrUrl: LoadHandler | string, limits?: LoadLimits): Promise<LayersModel> {
  const handler = typeof handlerOrUrl === 'string' ? loadHandlerFor(handlerOrUrl) : handlerOrUrl;
  const artifacts = await handler.load();
  return modelFromArtifacts(
    artifacts,
    handler.source ?? (typeof handlerOrUrl === 'string' ? handlerOrUrl : 'loadLayersModel'),
    limits,
  );
}
