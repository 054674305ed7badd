/** Model files in the TensorFlow.js layers-model format (browser-safe; file access lives in node/io). */
export { GENERATED_BY, modelFromArtifacts, modelJson, modelToArtifacts, readModelJson, type ArtifactsInput,
  type ModelArtifacts, type ModelJson } from './artifacts.js';
export { fromMemory, loadLayersModel, registerScheme, saveModel, withSaveHandler, type LoadHandler,
  type SaveHandler } from './handlers.js';
export { BACKEND, KERAS_VERSION, modelFromTopology, modelToTopology } from './model-json.js';
export { MAX_WEIGHT_VALUES, type WeightSpec, type WeightsGroup } from './weights.js';
export type { SaveOptions } from './artifacts.js';
