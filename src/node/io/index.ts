/**
 * Model files on disk (Node only). Importing this module registers `file://` URLs and plain paths with the core's
 * URL router, so the core's `saveModel` and `loadLayersModel` (and a Sequential's `save`) accept
 * 'file://dir', 'dir', 'file://dir/model.json' and 'dir/model.json'.
 */
import { type LoadHandler, PLAIN_PATHS, registerScheme, type SaveHandler } from '../../io/handlers.js';
import type { ArtifactsInput, ModelArtifacts } from '../../io/artifacts.js';
import { modelJsonPathOf, readArtifacts } from './load.js';
import { saveArtifacts, type SaveInfo } from './save.js';

export { MAX_MODEL_JSON_BYTES, readArtifacts } from './load.js';
export { MODEL_JSON, saveArtifacts, type SaveInfo, WEIGHTS_BIN } from './save.js';
export { writeFileAtomic } from './atomic.js';
export { loadLayersModel } from '../../model/loading.js';
export { saveModel } from '../../model/saving.js';

/**
 * A handler saving to and loading from a folder (tfjs-node `tf.io.fileSystem`): saving writes model.json +
 * weights.bin crash-safe (see save.ts) and resolves to `SaveInfo`; loading reads files written by cnnlab, tfjs or
 * the Keras converter.
 */
export class FileSystemHandler implements SaveHandler<SaveInfo>, LoadHandler {
  /** The model.json path, once `load` has found it (errors about the model name it). */
  source: string | undefined;
  private readonly urlOrPath: string;

  constructor(urlOrPath: string) {
    this.urlOrPath = urlOrPath;
  }

  async save(artifacts: ModelArtifacts): Promise<SaveInfo> {
    return saveArtifacts(artifacts, this.urlOrPath);
  }

  async load(): Promise<ArtifactsInput> {
    this.source = await modelJsonPathOf(this.urlOrPath);
    return readArtifacts(this.source);
  }
}

export const fileSystem = (urlOrPath: string): FileSystemHandler => new FileSystemHandler(urlOrPath);

registerScheme('file://', { save: fileSystem, load: fileSystem });
registerScheme(PLAIN_PATHS, { save: fileSystem, load: fileSystem });
