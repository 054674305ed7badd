/**
 * Crash-safe file writes. A file is replaced by writing a temporary file in the same folder, flushing it to
 * disk (fsync) and renaming it over the target: rename is atomic within a file system, so readers see the old
 * file or the new one, never a part. The folder is flushed too, so the rename itself survives a power cut.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, copyFile, link, mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CnnlabError } from '../../errors.js';

/** Every temporary or staged file cnnlab writes starts with this, so leftovers of a killed save can be found. */
export const TEMP_PREFIX = '.cnnlab-';

/** A fresh file name in `dir` (`.cnnlab-<pid>-<random><suffix>`). */
export function tempPath(dir: string, suffix = '.tmp'): string {
  return join(dir, `${TEMP_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}${suffix}`);
}

/** Creates `path` (which must not exist) with `data`, flushed to disk before it resolves. */
export async function writeDurable(path: string, data: Uint8Array | string): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a folder's entries (renames, creations); a no-op where folders cannot be opened (Windows). */
export async function syncFolder(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows and some network file systems cannot fsync a folder; the rename is still atomic there.
  } finally {
    await handle?.close();
  }
}

/** Deletes `path` if it is there, ignoring every failure (for cleanup after another error). */
export async function removeQuietly(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
}

/**
 * Replaces `path` atomically with `data`: temp file in the same folder, fsync, rename, fsync the folder. A failure
 * names `path` and the cause (`cannot write '…/metrics.json': no space left on the device (ENOSPC)`).
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const temp = tempPath(dirname(path));
  try {
    await writeDurable(temp, data);
    await rename(temp, path);
  } catch (error) {
    await removeQuietly(temp);
    throw fileError(undefined, 'write', path, error);
  }
  await syncFolder(dirname(path));
}

/**
 * Replaces `path` atomically with the contents of `source` (same folder): a hard link renamed into place, or,
 * where hard links are not supported, a flushed copy renamed into place.
 */
export async function replaceWithFile(source: string, path: string): Promise<void> {
  const temp = tempPath(dirname(path));
  try {
    try {
      await link(source, temp);
    } catch {
      await copyFile(source, temp);
      const handle = await open(temp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    await rename(temp, path);
  } catch (error) {
    await removeQuietly(temp);
    throw error;
  }
  await syncFolder(dirname(path));
}

/** Deletes the temporary and staged files (TEMP_PREFIX) that earlier, interrupted saves left in `dir`. */
export async function removeLeftovers(dir: string): Promise<void> {
  const names = await readdir(dir);
  await Promise.all(names.filter((n) => n.startsWith(TEMP_PREFIX)).map((n) => removeQuietly(join(dir, n))));
}

/** The `code` of a Node system error ('ENOSPC', 'EROFS', …), or undefined. */
function codeOf(error: unknown): string | undefined {
  const code: unknown = typeof error === 'object' && error !== null ? Reflect.get(error, 'code') : undefined;
  return typeof code === 'string' ? code : undefined;
}

const CAUSES: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is not a folder',
  EEXIST: 'a file is in the way',
};

/**
 * A file-system failure restated with the path it concerns and its cause in words: `cannot write 'p': … (ENOSPC)`.
 * A CnnlabError (already restated) only moves under `where`.
 */
export function fileError(where: string | undefined, action: string, path: string, error: unknown): CnnlabError {
  if (error instanceof CnnlabError) return where === undefined ? error : error.restated(where);
  const code = codeOf(error);
  const cause = code === undefined ? (error instanceof Error ? error.message : String(error)) : CAUSES[code];
  const detail = cause === undefined ? (error instanceof Error ? error.message : String(error)) : `${cause} (${code})`;
  return new CnnlabError(where, `cannot ${action} '${path}': ${detail}`, { cause: error });
}

/**
 * Why `dir` cannot be created, when recursive mkdir says only ENOENT (it does on a read-only file system): the
 * nearest existing ancestor, and whether it is a folder and writable.
 */
async function mkdirCause(dir: string): Promise<{ path: string; error: unknown } | null> {
  for (let at = dirname(dir), below = dir; at !== below; below = at, at = dirname(at)) {
    const info = await stat(at).catch(() => null);
    if (info === null) continue;
    if (!info.isDirectory()) return { path: at, error: Object.assign(new Error('not a folder'), { code: 'ENOTDIR' }) };
    const denied = await access(at, constants.W_OK).then(
      () => null,
      (error: unknown) => error,
    );
    return denied === null ? null : { path: at, error: denied };
  }
  return null;
}

/** Creates folder `dir` and its parents; a failure names the path at fault and the real cause. */
export async function makeFolder(where: string, dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    const found = codeOf(error) === 'ENOENT' ? await mkdirCause(dir) : null;
    if (found === null) throw fileError(where, 'create folder', dir, error);
    throw fileError(where, `create folder '${dir}' in`, found.path, found.error);
  }
}
