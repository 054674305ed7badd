/**
 * Re-running a run name on a full disk (issue 13): the new run fails with the path and the cause, and the previous
 * run's files (history.csv, metrics.json, the model) are all still there, unchanged. The full disk is simulated by
 * wrapping node:fs/promises: files can be created, but no byte can be written into them.
 */
import type * as FsPromises from 'node:fs/promises';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cli } from '../helpers/cli.js';

const disk = vi.hoisted(() => ({ full: false }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof FsPromises>();
  const noSpace = (): Error => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  return {
    ...fs,
    open: async (...args: Parameters<typeof fs.open>) => {
      const handle = await fs.open(...args);
      if (disk.full && /[wa]/.test(String(args[1]))) Reflect.set(handle, 'writeFile', () => Promise.reject(noSpace()));
      return handle;
    },
    writeFile: async (...args: Parameters<typeof fs.writeFile>) => {
      if (!disk.full) return fs.writeFile(...args);
      await fs.writeFile(args[0], ''); // opened for writing (truncated), then nothing fits
      throw noSpace();
    },
    appendFile: async (...args: Parameters<typeof fs.appendFile>) => {
      if (disk.full) throw noSpace();
      return fs.appendFile(...args);
    },
  };
});

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cnnlab-full-disk-'));
});
afterAll(async () => {
  disk.full = false;
  await rm(dir, { recursive: true, force: true });
});

const RUN = ['--model', 'brief', '--limit', '32', '--test-limit', '16', '--batch-size', '16', '--quiet'];
const FILES = ['history.csv', 'metrics.json', 'model.json', 'weights.bin'];

describe('a run replaced on a full disk', () => {
  it('fails naming the file and ENOSPC, and keeps every file of the previous run', async () => {
    expect((await cli('train', ...RUN, '--epochs', '1', '--out', dir, '--run-name', 'r')).code).toBe(0);
    const runDir = path.join(dir, 'r');
    const before = await Promise.all(FILES.map((f) => readFile(path.join(runDir, f))));
    disk.full = true;
    const again = await cli('train', ...RUN, '--epochs', '2', '--out', dir, '--run-name', 'r', '--overwrite');
    disk.full = false;
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/no space left on the device \(ENOSPC\)/);
    expect(again.err).toContain(runDir);
    const after = await Promise.all(FILES.map((f) => readFile(path.join(runDir, f))));
    expect(after).toEqual(before);
    expect((await readdir(runDir)).filter((n) => n.startsWith('.cnnlab-'))).toEqual([]);
  }, 60_000);
});
