/**
 * Model files in the TensorFlow.js layers-model format (browser-safe; file access lives in node/io): the format
 * itself and the handler registry. Saving and loading models is model/saving.ts's and model/loading.ts's work.
 */
export {
  GENERATED_BY,
  modelJson,
  readModelJson,
  type ArtifactsInput,
  type ModelArtifacts,
  type ModelJson,
} from './artifacts.js';
export {
  fromMemory,
  PLAIN_PATHS,
  registerScheme,
  withSaveHandler,
  type LoadHandler,
  type SaveHandler,
} from './handlers.js';
export { BACKEND, KERAS_VERSION } from './model-json.js';
/** Checks for untrusted JSON, with messages that name the source and the field. */
export { describe, expectObject, isJsonObject, type JsonObject } from './json.js';
export { MAX_WEIGHT_VALUES, type WeightSpec, type WeightsGroup } from './weights.js';
