/**
 * Crash safety, exhaustively: the file system stops working at each step of a save in turn (as if the process
 * died there), and after each the folder must load as the previous model or the new one. Complements the
 * SIGKILL test (atomic-save.test.ts), whose kills end the process for real, so no cleanup code runs.
 */
import type * as FsPromises from 'node:fs/promises';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadLayersModel, saveModel } from '../../src/node/io/index.js';
import { seededModel, seedOf } from './fixtures/seeded-model.js';
import { firstDifference, weightValues } from './models.js';

/** After `after` file-system calls, every further call fails, like a process that has died. */
const crash = vi.hoisted(() => ({ after: Number.POSITIVE_INFINITY, calls: 0 }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof FsPromises>();
  function step<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
    return async (...args) => {
      crash.calls++;
      if (crash.calls > crash.after) throw new Error('simulated crash');
      return fn(...args);
    };
  }
  return {
    ...fs,
    open: step(fs.open),
    rename: step(fs.rename),
    link: step(fs.link),
    copyFile: step(fs.copyFile),
    unlink: step(fs.unlink),
    writeFile: step(fs.writeFile),
    mkdir: step(fs.mkdir),
  };
});

const dirs: string[] = [];
afterAll(async () => {
  crash.after = Number.POSITIVE_INFINITY;
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('crash at every step of a save', () => {
  it('leaves the previous model or the new one, each complete; a later save cleans up', async () => {
    const loadedSeeds = new Set<number>();
    let steps = 0;
    for (; steps < 100; steps++) {
      crash.after = Number.POSITIVE_INFINITY;
      const dir = await mkdtemp(path.join(tmpdir(), 'cnnlab-crash-'));
      dirs.push(dir);
      await saveModel(seededModel(2, 8), dir); // the previous model (architecture A)
      crash.calls = 0;
      crash.after = steps;
      await saveModel(seededModel(3, 8), dir).catch((error: unknown) => {
        expect(String(error)).toMatch(/simulated crash/);
      });
      // Failures while removing leftovers are not reported by saveModel; count them as crashes too.
      const finished = crash.calls <= steps;
      crash.after = Number.POSITIVE_INFINITY;
      const loaded = await loadLayersModel(dir);
      const seed = seedOf(loaded);
      expect([2, 3]).toContain(seed);
      expect(firstDifference(weightValues(loaded), weightValues(seededModel(seed, 8)))).toBe('none');
      loadedSeeds.add(seed);
      if (finished) {
        expect(seed).toBe(3);
        expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
        break;
      }
      await saveModel(seededModel(4, 8), dir);
      expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
    }
    // A save takes several steps, and crashes both before and after model.json switched were simulated.
    expect(steps).toBeGreaterThan(5);
    expect(loadedSeeds).toEqual(new Set([2, 3]));
  });
});
