/**
 * Reading a TensorFlow.js layers model from files: model.json and the weight files its manifest lists
 * (`weights.bin`, or tfjs's shards `group1-shard1ofN.bin`, …), concatenated group by group.
 *
 * Files are untrusted: sizes are checked before anything is read or allocated, weight paths must stay inside
 * the model's folder (also after following links), and every error names the file and the field.
 */
import { open, readFile, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CnnlabError, errorMessage, FormatError } from '../../errors.js';
import type { ArtifactsInput } from '../../io/artifacts.js';
import { readModelJson } from '../../io/artifacts.js';
import { checkDataSize } from '../../io/weights.js';
import { MODEL_JSON } from './save.js';

/** model.json larger than this is refused before reading (topologies are kilobytes). */
export const MAX_MODEL_JSON_BYTES = 64 * 1024 * 1024;

/** A weight file that model.json lists but that does not exist (possibly replaced by a save meanwhile). */
class MissingFileError extends FormatError {}

/** 'file://dir/model.json', 'dir/model.json' or a folder → the absolute path of model.json. */
export async function modelJsonPathOf(urlOrPath: string): Promise<string> {
  const path = resolve(urlOrPath.startsWith('file://') ? urlOrPath.slice('file://'.length) : urlOrPath);
  const info = await stat(path).catch(() => null);
  return info?.isDirectory() === true ? join(path, MODEL_JSON) : path;
}

function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/** The real path and size of one weight file, refusing anything outside the model's folder. */
async function weightFile(
  folder: string,
  realFolder: string,
  path: string,
  where: string,
  field: string,
): Promise<{ path: string; size: number }> {
  const full = resolve(folder, path);
  if (!inside(folder, full)) throw new FormatError(where, `\`${field}\` '${path}' resolves outside the model's folder`);
  let real: string;
  try {
    real = await realpath(full);
  } catch (error) {
    throw new MissingFileError(where, `weight file '${path}' (\`${field}\`) cannot be read: ${errorMessage(error)}`);
  }
  if (!inside(realFolder, real))
    throw new FormatError(where, `weight file '${path}' (\`${field}\`) links outside the model's folder`);
  const info = await stat(real);
  if (!info.isFile()) throw new FormatError(where, `weight file '${path}' (\`${field}\`) is not a file`);
  return { path: real, size: info.size };
}

async function readOnce(jsonPath: string): Promise<ArtifactsInput> {
  const where = jsonPath;
  const info = await stat(jsonPath).catch((error: unknown) => {
    throw new CnnlabError(where, `cannot read model.json: ${errorMessage(error)}`);
  });
  if (info.size > MAX_MODEL_JSON_BYTES)
    throw new FormatError(where, `model.json holds ${info.size} bytes, more than the ${MAX_MODEL_JSON_BYTES} accepted`);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(jsonPath, 'utf8'));
  } catch (error) {
    throw new FormatError(where, `not valid JSON: ${errorMessage(error)}`);
  }
  const { topology, manifest, info: meta } = readModelJson(json, where);
  const folder = dirname(jsonPath);
  const realFolder = await realpath(folder);
  const groups = [];
  for (const [g, group] of manifest.entries()) {
    const files = [];
    for (const [i, path] of group.paths.entries()) {
      files.push(await weightFile(folder, realFolder, path, where, `weightsManifest[${g}].paths[${i}]`));
    }
    const sizes = files.map((f, i) => `'${group.paths[i] ?? ''}': ${f.size} bytes`).join(', ');
    checkDataSize(
      group.weights,
      files.reduce((n, f) => n + f.size, 0),
      where,
      `\`weightsManifest[${g}].paths\` (${sizes})`,
    );
    groups.push(files);
  }
  const data = new Uint8Array(groups.flat().reduce((n, f) => n + f.size, 0));
  let offset = 0;
  for (const file of groups.flat()) {
    const handle = await open(file.path, 'r');
    try {
      const { bytesRead } = await handle.read(data, offset, file.size, 0);
      if (bytesRead !== file.size)
        throw new FormatError(where, `weight file '${file.path}' changed size while being read`);
    } finally {
      await handle.close();
    }
    offset += file.size;
  }
  return { ...meta, modelTopology: topology, weightSpecs: manifest.flatMap((g) => g.weights), weightData: data.buffer };
}

/**
 * Reads model.json and its weight files into artifacts. A weight file missing at the first try is retried
 * (a concurrent save may have replaced model.json and removed the file it pointed at).
 */
export async function readArtifacts(urlOrPath: string): Promise<ArtifactsInput> {
  const jsonPath = await modelJsonPathOf(urlOrPath);
  for (let attempt = 1; ; attempt++) {
    try {
      return await readOnce(jsonPath);
    } catch (error) {
      if (!(error instanceof MissingFileError) || attempt >= 3) throw error;
    }
  }
}
