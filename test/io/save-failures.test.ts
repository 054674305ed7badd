/**
 * Saves that fail the way disks fail (issue 13): a read-only file system, where Node's recursive mkdir reports only
 * ENOENT; a full disk, whose ENOSPC names no path; and the staged weights file a failed save must not leave behind.
 * The file system is simulated by wrapping node:fs/promises (no root or mounts needed).
 */
import type * as FsPromises from 'node:fs/promises';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { loadLayersModel, saveModel } from '../../src/node/io/index.js';
import { seededModel, seedOf } from './fixtures/seeded-model.js';

/** What the wrapped file system does: `readOnly` folders, and which call fails for lack of space. */
const sim = vi.hoisted(() => {
  const state: { readOnly: string; full: '' | 'write' | 'rename' } = { readOnly: '', full: '' };
  return state;
});

function systemError(code: string, syscall: string, file?: string): Error {
  // As Node's: a handle's write has no path; mkdir and access have one.
  const error = new Error(`${code}: simulated, ${syscall}${file === undefined ? '' : ` '${file}'`}`);
  return Object.assign(error, { code, syscall, ...(file === undefined ? {} : { path: file }) });
}

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof FsPromises>();
  const under = (p: unknown): boolean =>
    sim.readOnly !== '' && typeof p === 'string' && (p === sim.readOnly || p.startsWith(`${sim.readOnly}/`));
  return {
    ...fs,
    // A recursive mkdir in a read-only folder: Node reports ENOENT for the first missing part.
    mkdir: async (...args: Parameters<typeof fs.mkdir>) => {
      if (under(args[0])) throw systemError('ENOENT', 'mkdir', String(args[0]));
      return fs.mkdir(...args);
    },
    access: async (...args: Parameters<typeof fs.access>) => {
      if (under(args[0])) throw systemError('EROFS', 'access', String(args[0]));
      return fs.access(...args);
    },
    open: async (...args: Parameters<typeof fs.open>) => {
      const handle = await fs.open(...args);
      if (sim.full !== 'write' || !String(args[1]).includes('w')) return handle;
      // The file is created, but no byte fits.
      Reflect.set(handle, 'writeFile', () => Promise.reject(systemError('ENOSPC', 'write')));
      return handle;
    },
    rename: async (...args: Parameters<typeof fs.rename>) => {
      if (sim.full === 'rename') throw systemError('ENOSPC', 'rename', String(args[0]));
      return fs.rename(...args);
    },
  };
});

const dirs: string[] = [];
afterEach(() => {
  sim.readOnly = '';
  sim.full = '';
});
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cnnlab-save-fail-'));
  dirs.push(dir);
  return dir;
}

describe('saveModel on a failing file system', () => {
  it('names the read-only folder and EROFS, not ENOENT from mkdir', async () => {
    const root = await tempDir();
    sim.readOnly = root;
    const target = path.join(root, 'a', 'b');
    const error: unknown = await saveModel(seededModel(2, 8), target).catch((e: unknown) => e);
    expect(String(error)).toContain(`'${root}'`);
    expect(String(error)).toContain(target);
    expect(String(error)).toMatch(/read-only.*EROFS/);
    expect(String(error)).not.toContain('ENOENT');
  });

  it('names the file a full disk could not take, and leaves the previous model and no staged file', async () => {
    const dir = await tempDir();
    await saveModel(seededModel(2, 8), dir);
    sim.full = 'write';
    const error: unknown = await saveModel(seededModel(3, 8), dir).catch((e: unknown) => e);
    sim.full = '';
    expect(String(error)).toMatch(/no space left on the device \(ENOSPC\)/);
    expect(String(error)).toContain(`'${dir}${path.sep}.cnnlab-`);
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
    expect(seedOf(await loadLayersModel(dir))).toBe(2);
  });

  it('removes the staged weights when a later step fails', async () => {
    const dir = await tempDir();
    await saveModel(seededModel(2, 8), dir);
    sim.full = 'rename';
    const error: unknown = await saveModel(seededModel(3, 8), dir).catch((e: unknown) => e);
    sim.full = '';
    expect(String(error)).toMatch(/ENOSPC/);
    expect(String(error)).toContain(path.join(dir, 'model.json'));
    // The staged .cnnlab-*.weights.bin is gone at once, not at the next successful save.
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
    expect(seedOf(await loadLayersModel(dir))).toBe(2);
  });
});
