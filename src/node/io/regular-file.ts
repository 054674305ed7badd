/**
 * Reading untrusted paths: only regular files, sized before anything is read or allocated, read in chunks.
 *
 * A path may lead (through links, which are followed: run folders are often reached through linked folders) to a
 * device (`/dev/zero` reports size 0 and never ends), a FIFO (opening one blocks until a writer appears) or a
 * folder. Each file is opened non-blocking, so a FIFO's open returns at once, and checked with `fstat` on the open
 * descriptor, so what is checked is what is read.
 */
import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { CnnlabError, errorMessage, FormatError } from '../../errors.js';

/** Bytes per `read` call: Node's `fs.read` takes an int32 length, so a 3 GiB file is read in parts. */
export const READ_CHUNK_BYTES = 1 << 30;

/** An open regular file and its size, checked against `maxBytes`. Close it with `handle.close()`. */
export interface RegularFile {
  readonly handle: FileHandle;
  readonly size: number;
}

/**
 * Opens `path` for reading if it is a regular file of at most `maxBytes` bytes; anything else (a device, a FIFO,
 * a folder, a larger file) is a FormatError under `where` naming `what` (e.g. `image 'a.png'`).
 */
export async function openRegularFile(
  path: string,
  maxBytes: number,
  where: string,
  what: string,
): Promise<RegularFile> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new CnnlabError(where, `cannot read ${what}: ${errorMessage(error)}`, { cause: error });
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      const kind = info.isDirectory() ? 'a folder' : info.isFIFO() ? 'a FIFO' : 'a device or other special file';
      throw new FormatError(where, `${what} is not a regular file (it is ${kind}), refused`);
    }
    if (info.size > maxBytes)
      throw new FormatError(where, `${what} holds ${info.size} bytes, more than the ${maxBytes} accepted`);
    return { handle, size: info.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * Reads exactly `file.size` bytes into `target` at `offset`, at most READ_CHUNK_BYTES per call; a file that ends
 * early (it shrank after being sized) is a FormatError.
 */
export async function readInto(
  file: RegularFile,
  target: Uint8Array,
  offset: number,
  where: string,
  what: string,
  chunkBytes = READ_CHUNK_BYTES,
): Promise<void> {
  for (let done = 0; done < file.size;) {
    const length = Math.min(chunkBytes, file.size - done);
    const { bytesRead } = await file.handle.read(target, offset + done, length, done);
    if (bytesRead === 0)
      throw new FormatError(where, `${what} ended after ${done} of ${file.size} bytes (it changed while being read)`);
    done += bytesRead;
  }
}

/** The bytes of a regular file of at most `maxBytes` bytes (see openRegularFile). */
export async function readRegularFile(
  path: string,
  maxBytes: number,
  where: string,
  what: string,
): Promise<Uint8Array> {
  const file = await openRegularFile(path, maxBytes, where, what);
  try {
    const bytes = new Uint8Array(file.size);
    await readInto(file, bytes, 0, where, what);
    return bytes;
  } finally {
    await file.handle.close();
  }
}

/** A regular file's text (UTF-8), at most `maxBytes` bytes. */
export async function readRegularText(path: string, maxBytes: number, where: string, what: string): Promise<string> {
  return new TextDecoder().decode(await readRegularFile(path, maxBytes, where, what));
}
