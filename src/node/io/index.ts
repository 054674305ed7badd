/**
 * Model files on disk (Node only): `saveModel(model, 'file://dir')` and `loadLayersModel('file://dir/model.json')`.
 * Importing this module also registers `file://` with the core's URL router, so the core's `saveModel` and
 * `loadLayersModel` (and a Sequential's `save`) accept file URLs.
 */
import { modelFromArtifacts, modelToArtifacts, type SaveOptions } from '../../io/artifacts.js';
import { type LoadHandler, registerScheme, type SaveHandler } from '../../io/handlers.js';
import type { Sequential } from '../../model/sequential.js';
import { modelJsonPathOf, readArtifacts } from './load.js';
import { saveArtifacts, type SaveInfo } from './save.js';

export { MAX_MODEL_JSON_BYTES, readArtifacts } from './load.js';
export { MODEL_JSON, saveArtifacts, type SaveInfo, WEIGHTS_BIN } from './save.js';
export { writeFileAtomic } from './atomic.js';

/** A handler saving to and loading from a folder (tfjs-node `tf.io.fileSystem`). */
export function fileSystem(urlOrPath: string): SaveHandler & LoadHandler {
  return { save: async (artifacts) => saveArtifacts(artifacts, urlOrPath), load: async () => readArtifacts(urlOrPath) };
}

registerScheme('file://', { save: fileSystem, load: fileSystem });

/**
 * Saves to a folder ('file://dir' or 'dir') as model.json + weights.bin, crash-safe (see save.ts); with
 * `{ includeOptimizer: true, loss, metrics }` the optimizer's state too.
 */
export async function saveModel(model: Sequential, urlOrPath: string, options: SaveOptions = {}): Promise<SaveInfo> {
  return saveArtifacts(modelToArtifacts(model, options), urlOrPath);
}

/** Loads 'file://dir/model.json' (or a plain path, or the folder) written by cnnlab, tfjs or the Keras converter. */
export async function loadLayersModel(urlOrPath: string): Promise<Sequential> {
  return modelFromArtifacts(await readArtifacts(urlOrPath), await modelJsonPathOf(urlOrPath));
}
