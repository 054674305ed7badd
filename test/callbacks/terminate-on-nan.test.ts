import { describe, expect, it } from 'vitest';
import '../../src/backend/index.js';
import { terminateOnNaN } from '../../src/model/callbacks/index.js';
import { FakeModel, scriptedFit, series } from './fake-fit.js';

describe('terminateOnNaN', () => {
  const losses = (bad: number) => (epoch: number, batch: number) => ({
    batch,
    size: 1,
    loss: epoch === 1 && batch === 1 ? bad : 0.5,
  });

  it('stops after the first batch with a NaN loss, prints one line and records where', async () => {
    const lines: string[] = [];
    const nan = terminateOnNaN({ print: (line) => lines.push(line) });
    const batches: string[] = [];
    const { epochs } = await scriptedFit({
      callbacks: [
        nan,
        {
          onBatchEnd: (b) => {
            batches.push(`${b}`);
          },
        },
      ],
      model: new FakeModel(),
      steps: 3,
      batchLogs: losses(Number.NaN),
      epochLogs: series('loss', [1, 1, 1]),
    });
    // Epoch 0 runs its 3 batches; epoch 1 stops after batch 1; epoch 2 never starts.
    expect(epochs).toEqual([0, 1]);
    expect(batches).toEqual(['0', '1', '2', '0', '1']);
    expect(nan.terminated).toEqual({ epoch: 1, batch: 1, loss: Number.NaN });
    expect(lines).toEqual(['Epoch 2/3, batch 2/3: invalid loss NaN, terminating training']);
  });

  it('treats an infinite loss the same way and leaves finite runs alone', async () => {
    const inf = terminateOnNaN({ print: () => undefined });
    await scriptedFit({
      callbacks: [inf],
      model: new FakeModel(),
      steps: 3,
      batchLogs: losses(Number.POSITIVE_INFINITY),
      epochLogs: series('loss', [1, 1, 1]),
    });
    expect(inf.terminated).toEqual({ epoch: 1, batch: 1, loss: Number.POSITIVE_INFINITY });
    // The same instance, reused on a finite run: terminated is cleared and all epochs run.
    const { epochs } = await scriptedFit({
      callbacks: [inf],
      model: new FakeModel(),
      steps: 3,
      batchLogs: losses(0.25),
      epochLogs: series('loss', [1, 1, 1]),
    });
    expect(epochs).toEqual([0, 1, 2]);
    expect(inf.terminated).toBeNull();
  });
});
