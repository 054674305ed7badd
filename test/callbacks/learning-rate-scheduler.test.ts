import { describe, expect, it } from 'vitest';
import '../../src/backend/index.js';
import { learningRateScheduler } from '../../src/model/callbacks/index.js';
import { FakeModel, scriptedFit, series } from './fake-fit.js';

describe('learningRateScheduler', () => {
  it('sets schedule(epoch, lr) at each epoch start and logs the rate used as lr', async () => {
    // Keras's doc example: keep the rate for 2 epochs, then halve it each epoch: 0.8, 0.8, 0.4, 0.2 (hand-computed).
    const model = new FakeModel(0.8);
    const calls: [number, number][] = [];
    const scheduler = learningRateScheduler((epoch, lr) => {
      calls.push([epoch, lr]);
      return epoch < 2 ? lr : lr * 0.5;
    });
    const { logs } = await scriptedFit({ callbacks: [scheduler], model, epochLogs: series('loss', [1, 1, 1, 1]) });
    expect(calls).toEqual([
      [0, 0.8],
      [1, 0.8],
      [2, 0.8],
      [3, 0.4],
    ]);
    expect(logs.map((l) => l.lr)).toEqual([0.8, 0.8, 0.4, 0.2]);
    expect(model.lr).toBe(0.2);
  });

  it('receives absolute epoch numbers when resuming from initialEpoch', async () => {
    const model = new FakeModel(1);
    const { logs } = await scriptedFit({
      callbacks: [learningRateScheduler((epoch) => 1 / (epoch + 1))],
      model,
      initialEpoch: 2,
      epochLogs: series('loss', [1, 1, 1, 1]),
    });
    expect(logs.map((l) => l.lr)).toEqual([1 / 3, 1 / 4]);
  });

  it('rejects a schedule returning something other than a non-negative finite number', async () => {
    const scheduler = learningRateScheduler((epoch) => (epoch === 1 ? Number.NaN : 0.1));
    await expect(
      scriptedFit({ callbacks: [scheduler], model: new FakeModel(), epochLogs: series('loss', [1, 1]) }),
    ).rejects.toThrow(
      'learningRateScheduler: the schedule must return a non-negative finite number, received NaN at epoch 1',
    );
  });
});
