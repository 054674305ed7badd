/**
 * Reading a TensorFlow.js layers model from files: model.json and the weight files its manifest lists
 * (`weights.bin`, or tfjs's shards `group1-shard1ofN.bin`, …), concatenated group by group.
 *
 * Files are untrusted: sizes are checked before anything is read or allocated, weight paths must stay inside
 * the model's folder (also after following links), and every error names the file and the field.
 */
import { realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { errorMessage, FormatError, quote } from '../../errors.js';
import type { ArtifactsInput } from '../../io/artifacts.js';
import { readModelJson } from '../../io/artifacts.js';
import { checkDataSize, type WeightsGroup } from '../../io/weights.js';
import { openRegularFile, readInto, readRegularText, type RegularFile } from './regular-file.js';
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

/** One weight file, resolved inside the model's folder (also after following links), opened and sized. */
async function weightFile(
  folder: string,
  realFolder: string,
  path: string,
  where: string,
  field: string,
): Promise<RegularFile & { real: string }> {
  const full = resolve(folder, path);
  const what = `weight file ${quote(path)} (\`${field}\`)`;
  if (!inside(folder, full))
    throw new FormatError(where, `\`${field}\` ${quote(path)} resolves outside the model's folder`);
  let real: string;
  try {
    real = await realpath(full);
  } catch (error) {
    throw new MissingFileError(where, `${what} cannot be read: ${errorMessage(error)}`);
  }
  if (!inside(realFolder, real)) throw new FormatError(where, `${what} links outside the model's folder`);
  // A weight file is no larger than the most bytes a manifest may describe; the exact size is checked below.
  return { ...(await openRegularFile(real, Number.MAX_SAFE_INTEGER, where, what)), real };
}

/** Opens every weight file of the manifest, each real file once; closes them all if one fails. */
async function openWeightFiles(
  manifest: readonly WeightsGroup[],
  folder: string,
  where: string,
): Promise<(RegularFile & { real: string })[][]> {
  const realFolder = await realpath(folder);
  const opened: RegularFile[] = [];
  const firstField = new Map<string, string>();
  try {
    const groups = [];
    for (const [g, group] of manifest.entries()) {
      const files = [];
      for (const [i, path] of group.paths.entries()) {
        const field = `weightsManifest[${g}].paths[${i}]`;
        const file = await weightFile(folder, realFolder, path, where, field);
        opened.push(file);
        const earlier = firstField.get(file.real);
        // Listing one file many times would make its bytes count many times (a 373 KB file read as 3 GB).
        if (earlier !== undefined)
          throw new FormatError(
            where,
            `\`${field}\` ${quote(path)} is the same file as \`${earlier}\`; each weight file may be listed once`,
          );
        firstField.set(file.real, field);
        files.push(file);
      }
      const sizes = files.map((f, i) => `${quote(group.paths[i] ?? '')}: ${f.size} bytes`).join(', ');
      checkDataSize(
        group.weights,
        files.reduce((n, f) => n + f.size, 0),
        where,
        `\`weightsManifest[${g}].paths\` (${sizes})`,
      );
      groups.push(files);
    }
    return groups;
  } catch (error) {
    await Promise.all(opened.map((f) => f.handle.close()));
    throw error;
  }
}

async function readOnce(jsonPath: string): Promise<ArtifactsInput> {
  const where = jsonPath;
  let json: unknown;
  const text = await readRegularText(jsonPath, MAX_MODEL_JSON_BYTES, where, 'model.json');
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FormatError(where, `not valid JSON: ${errorMessage(error)}`);
  }
  const { topology, manifest, info: meta } = readModelJson(json, where);
  const groups = await openWeightFiles(manifest, dirname(jsonPath), where);
  const files = groups.flat();
  try {
    // Allocated only now, once every file's real size matched its group's specs.
    const data = new Uint8Array(files.reduce((n, f) => n + f.size, 0));
    let offset = 0;
    for (const file of files) {
      await readInto(file, data, offset, where, `weight file ${quote(file.real)}`);
      offset += file.size;
    }
    return {
      ...meta,
      modelTopology: topology,
      weightSpecs: manifest.flatMap((g) => g.weights),
      weightData: data.buffer,
    };
  } finally {
    await Promise.all(files.map((f) => f.handle.close()));
  }
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
