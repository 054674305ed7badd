/**
 * Crash safety of training checkpoints, exhaustively: the file system stops working at each step of the epoch-2
 * checkpoint in turn (as if the process died there). After each, the checkpoint folder must load as the epoch-1 or
 * the epoch-2 checkpoint — model, optimizer and state agreeing — and resuming from it must end exactly where an
 * uninterrupted run ends. Complements the SIGKILL test of the CLI (kill.test.ts), whose kills land at random moments.
 */
import type * as FsPromises from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Random } from '../../src/index.js';
import { loadTrainingCheckpoint, readTrainingState, trainingCheckpoint } from '../../src/node/checkpoint.js';
import { firstDifference, weightValues } from '../io/models.js';
import { checkpointData, checkpointModel, COMPILE, FIT } from './fixtures/model.js';

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
    rm: step(fs.rm),
    readdir: step(fs.readdir),
    stat: step(fs.stat),
  };
});

const dirs: string[] = [];
afterAll(async () => {
  crash.after = Number.POSITIVE_INFINITY;
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const { x, y } = checkpointData();

describe('a crash at every step of a checkpoint', () => {
  it('leaves the previous checkpoint or the new one, and resuming from either ends where the uninterrupted run ends', async () => {
    // The uninterrupted run, with the weights after each epoch.
    const reference = checkpointModel();
    const weightsAfter: Float32Array[][] = [];
    await reference.fit(x, y, {
      ...FIT,
      epochs: 3,
      random: new Random(7),
      verbose: 0,
      callbacks: [
        {
          onEpochEnd: () => {
            weightsAfter.push(weightValues(reference));
          },
        },
      ],
    });

    const loadedEpochs = new Set<number>();
    let steps = 0;
    for (; steps < 200; steps++) {
      crash.after = Number.POSITIVE_INFINITY;
      const dir = await mkdtemp(path.join(tmpdir(), 'cnnlab-ckpt-crash-'));
      dirs.push(dir);
      const model = checkpointModel();
      const random = new Random(7);
      await model.fit(x, y, {
        ...FIT,
        epochs: 1,
        random,
        verbose: 0,
        callbacks: [trainingCheckpoint({ dir, random, compileArgs: COMPILE })],
      });
      const afterOne = await readTrainingState(dir);

      crash.calls = 0;
      crash.after = steps;
      const failed = await model
        .fit(x, y, {
          ...FIT,
          epochs: 2,
          initialEpoch: 1,
          random,
          verbose: 0,
          callbacks: [trainingCheckpoint({ dir, random, compileArgs: COMPILE, resumeFrom: afterOne })],
        })
        .then(
          () => false,
          (error: unknown) => {
            expect(String(error)).toMatch(/simulated crash/);
            return true;
          },
        );
      const finished = crash.calls <= steps;
      crash.after = Number.POSITIVE_INFINITY;

      const loaded = await loadTrainingCheckpoint(dir);
      const epochs = loaded.state.epochs;
      expect([1, 2]).toContain(epochs);
      loadedEpochs.add(epochs);
      expect(firstDifference(weightValues(loaded.model), weightsAfter[epochs - 1] ?? [])).toBe('none');
      await loaded.model.fit(x, y, {
        ...FIT,
        epochs: 3,
        initialEpoch: epochs,
        random: loaded.random,
        verbose: 0,
        callbacks: [trainingCheckpoint({ dir, random: loaded.random, compileArgs: COMPILE, resumeFrom: loaded.state })],
      });
      expect(firstDifference(weightValues(loaded.model), weightsAfter[2] ?? [])).toBe('none');
      if (finished) {
        expect(failed).toBe(false);
        expect(epochs).toBe(2);
        break;
      }
    }
    // A checkpoint takes many steps, and crashes both before and after state.json switched were simulated.
    expect(steps).toBeGreaterThan(10);
    expect(loadedEpochs).toEqual(new Set([1, 2]));
  });
});
