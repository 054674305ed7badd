/**
 * Saving a model to a folder as TensorFlow.js does (model.json + weights.bin), crash-safe: a kill or power cut
 * at any moment leaves a folder whose model.json loads — the previous model or the new one, never a mix.
 *
 * model.json must never point at weights that are missing, partial or another model's. So the steps are:
 *   1. write the new weights to a staged file (unique name), fsync;
 *   2. atomically replace model.json with the new topology pointing at the staged file;
 *   3. atomically replace weights.bin with the staged file's contents (nothing points at weights.bin now);
 *   4. atomically replace model.json with the same content pointing at weights.bin;
 *   5. delete the staged file (and leftovers of earlier interrupted saves).
 * Between any two steps model.json is either the old model with its own weights or the new one with its own.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ConfigError, quote } from '../../errors.js';
import { type ModelArtifacts, modelJson } from '../../io/artifacts.js';
import {
  fileError,
  makeFolder,
  removeLeftovers,
  removeQuietly,
  replaceWithFile,
  tempPath,
  writeDurable,
  writeFileAtomic,
} from './atomic.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/** What a save wrote. */
export interface SaveInfo {
  readonly modelJsonPath: string;
  readonly weightsPath: string;
  readonly weightBytes: number;
}

/** 'file://dir', 'dir', 'file://dir/model.json' or 'dir/model.json' → the absolute folder. */
export function folderOf(urlOrPath: string): string {
  const path = urlOrPath.startsWith('file://') ? urlOrPath.slice('file://'.length) : urlOrPath;
  if (path === '')
    throw new ConfigError('saveModel', `expected a folder path or 'file://folder', received ${quote(urlOrPath)}`);
  return resolve(basename(path) === MODEL_JSON ? dirname(path) : path);
}

/** Writes artifacts into `urlOrPath`'s folder (created if missing) as model.json + weights.bin, crash-safe. */
export async function saveArtifacts(artifacts: ModelArtifacts, urlOrPath: string): Promise<SaveInfo> {
  const dir = folderOf(urlOrPath);
  await makeFolder('saveModel', dir);
  const info = await stat(dir);
  if (!info.isDirectory()) throw new ConfigError('saveModel', `${quote(dir)} is not a folder`);
  const modelJsonPath = join(dir, MODEL_JSON);
  const weightsPath = join(dir, WEIGHTS_BIN);
  const staged = tempPath(dir, '.weights.bin');
  let writing = staged;
  try {
    await writeDurable(staged, new Uint8Array(artifacts.weightData));
    writing = modelJsonPath;
    await writeFileAtomic(modelJsonPath, JSON.stringify(modelJson(artifacts, [basename(staged)])));
    writing = weightsPath;
    await replaceWithFile(staged, weightsPath);
    writing = modelJsonPath;
    await writeFileAtomic(modelJsonPath, JSON.stringify(modelJson(artifacts, [WEIGHTS_BIN])));
  } catch (error) {
    // model.json may point at the staged file (step 2 done, step 4 not): then it is the new model's weights and
    // must stay; otherwise nothing needs it.
    const pointsAtStaged = await readFile(modelJsonPath, 'utf8').then(
      (text) => text.includes(basename(staged)),
      () => false,
    );
    if (!pointsAtStaged) await removeQuietly(staged);
    throw fileError('saveModel', 'write', writing, error);
  }
  await removeLeftovers(dir);
  return { modelJsonPath, weightsPath, weightBytes: artifacts.weightData.byteLength };
}
