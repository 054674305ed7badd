/**
 * Crash-safe file writes. A file is replaced by writing a temporary file in the same folder, flushing it to
 * disk (fsync) and renaming it over the target: rename is atomic within a file system, so readers see the old
 * file or the new one, never a part. The folder is flushed too, so the rename itself survives a power cut.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, link, open, readdir, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';

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

async function removeQuietly(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
}

/** Replaces `path` atomically with `data`: temp file in the same folder, fsync, rename, fsync the folder. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const temp = tempPath(dirname(path));
  try {
    await writeDurable(temp, data);
    await rename(temp, path);
  } catch (error) {
    await removeQuietly(temp);
    throw error;
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
