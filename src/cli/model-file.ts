/** A cheap check that a path given as a model is one, before the loader parses it. */
import { open, stat } from 'node:fs/promises';
import { FormatError, quote } from '../node/index.js';
import { modelJsonPath } from './saved-model.js';

/** How many of a file's first bytes the "not a model" message quotes. */
const PREVIEW_BYTES = 80;

/**
 * Throws unless `location` (a run folder or a model.json) leads to a file that starts like a JSON object, quoting
 * the file's start with printable characters only: a PNG's bytes must not print over several lines.
 */
export async function expectModelFile(location: string): Promise<void> {
  const jsonPath = await modelJsonPath(location);
  // A missing or unreadable file, or one that is not a regular file (a device, a FIFO), is the loader's to report:
  // opening a FIFO here would block.
  const info = await stat(jsonPath).catch(() => null);
  if (!info?.isFile()) return;
  const handle = await open(jsonPath, 'r').catch(() => null);
  if (handle === null) return;
  let head: Uint8Array;
  try {
    const buffer = new Uint8Array(PREVIEW_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, PREVIEW_BYTES, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const text = String.fromCharCode(...head);
  if (text.trimStart().startsWith('{')) return;
  // Control bytes and non-ASCII shown as '.', as a hex dump does.
  const preview = text.replace(/[^\x20-\x7e]/g, '.');
  throw new FormatError(
    undefined,
    `${quote(location)} is not a model: expected a run folder or a model.json file, received a file starting with '${preview}'`,
  );
}
