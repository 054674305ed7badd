import { afterEach, describe, expect, it, vi } from 'vitest';
import '../../src/backend/index.js';
import { earlyStopping } from '../../src/model/callbacks/index.js';
import { FakeModel, scriptedFit, series } from './fake-fit.js';

// Every expectation below is traced by hand through Keras 3's EarlyStopping.on_epoch_end: wait += 1; an improvement
// (current - minDelta beats best) sets best and resets wait (if the baseline is beaten too); otherwise stop once
// wait >= patience and epoch > 0.
describe('earlyStopping', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('with patience 2 stops at the second epoch in a row without improvement', async () => {
    // best 1.0 (e0), 0.8 (e1); e2 0.9: wait 1; e3 0.85: wait 2 → stop at epoch 3.
    const stop = earlyStopping({ patience: 2 });
    const { epochs } = await scriptedFit({
      callbacks: [stop],
      model: new FakeModel(),
      epochLogs: series('val_loss', [1.0, 0.8, 0.9, 0.85, 0.7, 0.6]),
    });
    expect(epochs).toEqual([0, 1, 2, 3]);
    expect(stop.stoppedEpoch).toBe(3);
    expect(stop.best).toBe(0.8);
    expect(stop.bestEpoch).toBe(1);
  });

  it('with patience 0 stops at the first epoch without improvement', async () => {
    const stop = earlyStopping({ monitor: 'loss' });
    const { epochs } = await scriptedFit({
      callbacks: [stop],
      model: new FakeModel(),
      epochLogs: series('loss', [1.0, 0.9, 0.9, 0.5]),
    });
    // 0.9 is not below 0.9 → stop at epoch 2.
    expect(epochs).toEqual([0, 1, 2]);
    expect(stop.stoppedEpoch).toBe(2);
  });

  it('counts only changes larger than minDelta as improvements', async () => {
    // minDelta 0.1: 0.95 + 0.1 is not below 1.0 → stop at epoch 1 (without minDelta it would be an improvement).
    const withDelta = earlyStopping({ patience: 1, minDelta: 0.1 });
    const without = earlyStopping({ patience: 1, minDelta: 0 });
    const logs = series('val_loss', [1.0, 0.95, 0.9, 0.85]);
    expect((await scriptedFit({ callbacks: [withDelta], model: new FakeModel(), epochLogs: logs })).epochs).toEqual([
      0, 1,
    ]);
    expect((await scriptedFit({ callbacks: [without], model: new FakeModel(), epochLogs: logs })).epochs).toEqual([
      0, 1, 2, 3,
    ]);
  });

  it("maximizes accuracy-like names in 'auto' mode and obeys an explicit mode", async () => {
    // val_accuracy: best 0.5, 0.6; e2 0.55 is lower → stop with patience 1.
    const acc = earlyStopping({ monitor: 'val_accuracy', patience: 1 });
    expect(
      (
        await scriptedFit({
          callbacks: [acc],
          model: new FakeModel(),
          epochLogs: series('val_accuracy', [0.5, 0.6, 0.55, 0.7]),
        })
      ).epochs,
    ).toEqual([0, 1, 2]);
    // mode 'max' on a loss: the loss going down is no improvement → stop at epoch 1.
    const max = earlyStopping({ monitor: 'val_loss', mode: 'max', patience: 1 });
    expect(
      (await scriptedFit({ callbacks: [max], model: new FakeModel(), epochLogs: series('val_loss', [1.0, 0.9, 0.8]) }))
        .epochs,
    ).toEqual([0, 1]);
    expect(earlyStopping({ monitor: 'val_precision' }).mode).toBe('auto');
  });

  it('restoreBestWeights gives back the best epoch’s weights when it stops, and frees every copy', async () => {
    // best at epoch 1 (0.5); e2, e3 worse → stop at 3 with patience 2. The fake model's weight is the epoch index.
    const model = new FakeModel();
    const stop = earlyStopping({ patience: 2, restoreBestWeights: true });
    const { epochs } = await scriptedFit({
      callbacks: [stop],
      model,
      epochLogs: series('val_loss', [1.0, 0.5, 0.7, 0.8, 0.1]),
    });
    expect(epochs).toEqual([0, 1, 2, 3]);
    expect(model.weight).toBe(1);
    expect(model.copies.length).toBe(2); // copies at the two new bests (epochs 0 and 1)
    expect(model.copies.every((c) => c.isDisposed)).toBe(true);
  });

  it('restoreBestWeights also restores when training ran to the end (Keras 3)', async () => {
    const model = new FakeModel();
    const stop = earlyStopping({ patience: 5, restoreBestWeights: true });
    const { epochs } = await scriptedFit({ callbacks: [stop], model, epochLogs: series('val_loss', [1.0, 0.5, 0.7]) });
    expect(epochs).toEqual([0, 1, 2]);
    expect(stop.stoppedEpoch).toBe(0);
    expect(model.weight).toBe(1);
  });

  it('without restoreBestWeights leaves the last weights and takes no copies', async () => {
    const model = new FakeModel();
    await scriptedFit({
      callbacks: [earlyStopping({ patience: 1 })],
      model,
      epochLogs: series('val_loss', [1.0, 0.5, 0.7]),
    });
    expect(model.weight).toBe(2);
    expect(model.copies.length).toBe(0);
  });

  it('does not reset the wait for improvements that miss the baseline', async () => {
    // baseline 0.5, patience 2: e0 0.9 is the first best but misses the baseline, so wait stays 1;
    // e1 0.95: wait 2 → stop.
    const logs = series('val_loss', [0.9, 0.95, 0.99]);
    const withBaseline = earlyStopping({ patience: 2, baseline: 0.5 });
    expect((await scriptedFit({ callbacks: [withBaseline], model: new FakeModel(), epochLogs: logs })).epochs).toEqual([
      0, 1,
    ]);
    // Without the baseline e0 resets the wait: e1 wait 1, e2 wait 2 → stop at 2.
    const plain = earlyStopping({ patience: 2 });
    expect((await scriptedFit({ callbacks: [plain], model: new FakeModel(), epochLogs: logs })).epochs).toEqual([
      0, 1, 2,
    ]);
  });

  it('ignores epochs before startFromEpoch', async () => {
    // Epochs 0 and 1 are not watched; best 3 at e2; e3 4 is worse → stop at 3 (patience 0).
    // Unwatched it would stop at 1.
    const stop = earlyStopping({ monitor: 'loss', startFromEpoch: 2 });
    expect(
      (await scriptedFit({ callbacks: [stop], model: new FakeModel(), epochLogs: series('loss', [1, 2, 3, 4, 5]) }))
        .epochs,
    ).toEqual([0, 1, 2, 3]);
  });

  it('warns once, naming the available keys, when the monitored key is missing, and never stops', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const stop = earlyStopping({ monitor: 'val_loss' });
    const { epochs } = await scriptedFit({
      callbacks: [stop],
      model: new FakeModel(),
      epochLogs: [
        { loss: 1, accuracy: 0.5 },
        { loss: 2, accuracy: 0.4 },
        { loss: 3, accuracy: 0.3 },
      ],
    });
    expect(epochs).toEqual([0, 1, 2]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toBe(
      "earlyStopping: monitored metric 'val_loss' is not in the epoch logs; available: loss, accuracy",
    );
  });

  it('resets between fits', async () => {
    const stop = earlyStopping({ patience: 1 });
    const model = new FakeModel();
    expect(
      (await scriptedFit({ callbacks: [stop], model, epochLogs: series('val_loss', [0.1, 0.2, 0.3]) })).epochs,
    ).toEqual([0, 1]);
    // A fresh best of 0.5 on the second run (0.5 > 0.1 of the first run would otherwise stop it at once).
    expect(
      (await scriptedFit({ callbacks: [stop], model, epochLogs: series('val_loss', [0.5, 0.4, 0.3]) })).epochs,
    ).toEqual([0, 1, 2]);
    expect(stop.stoppedEpoch).toBe(0);
  });

  it('rejects bad arguments, naming them', () => {
    expect(() => earlyStopping({ patience: -1 })).toThrow(
      'earlyStopping: `patience` must be a non-negative integer, received -1',
    );
    // @ts-expect-error: a JavaScript caller may pass any string
    expect(() => earlyStopping({ mode: 'up' })).toThrow(
      "earlyStopping: `mode` must be 'auto', 'min' or 'max', received 'up'",
    );
  });
});
