import { afterEach, describe, expect, it, vi } from 'vitest';
import '../../src/backend/index.js';
import { reduceLROnPlateau } from '../../src/model/callbacks/index.js';
import { FakeModel, scriptedFit, series } from './fake-fit.js';

// Expectations traced by hand through Keras's ReduceLROnPlateau.on_epoch_end: leave cooldown (counter -= 1, wait = 0);
// an improvement (current < best - minDelta) resets wait; otherwise, outside cooldown, wait += 1 and at
// wait >= patience the rate becomes max(lr * factor, minLr), cooldown starts and wait resets.
describe('reduceLROnPlateau', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('multiplies the rate by factor after `patience` epochs without improvement, and logs the rate used as lr', async () => {
    // e0 best; e1 wait 1; e2 wait 2 → 0.5; e3 wait 1; e4 wait 2 → 0.25; e5 wait 1.
    const model = new FakeModel(1);
    const { logs } = await scriptedFit({
      callbacks: [reduceLROnPlateau({ factor: 0.5, patience: 2 })],
      model,
      epochLogs: series('val_loss', [1, 1, 1, 1, 1, 1]),
    });
    expect(model.lrSets).toEqual([0.5, 0.25]);
    expect(logs.map((l) => l.lr)).toEqual([1, 1, 1, 0.5, 0.5, 0.25]);
  });

  it('restarts the count at each improvement', async () => {
    // best 1, 0.9; e2 wait 1; e3 0.85 best; e4 wait 1; e5 wait 2 → reduce at epoch 5 only.
    const model = new FakeModel(1);
    const { logs } = await scriptedFit({
      callbacks: [reduceLROnPlateau({ factor: 0.5, patience: 2 })],
      model,
      epochLogs: series('val_loss', [1, 0.9, 0.95, 0.85, 0.9, 0.95]),
    });
    expect(model.lrSets).toEqual([0.5]);
    expect(logs.map((l) => l.lr)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('never goes below minLr and stops reducing once there', async () => {
    // 1 → 0.1 (e1) → max(0.01, 0.05) = 0.05 (e2) → at the floor: no more calls.
    const model = new FakeModel(1);
    await scriptedFit({
      callbacks: [reduceLROnPlateau({ factor: 0.1, patience: 1, minLr: 0.05 })],
      model,
      epochLogs: series('val_loss', [1, 1, 1, 1, 1]),
    });
    expect(model.lrSets).toEqual([0.1, 0.05]);
    expect(model.lr).toBe(0.05);
  });

  it('waits `cooldown` epochs after a reduction before counting again', async () => {
    // patience 1, cooldown 2: reduce at e1; e2 in cooldown (counter 1); e3 counter 0, wait 1 → reduce;
    // e4 cooldown; e5 reduce; e6 cooldown.
    const cooled = new FakeModel(1);
    const { logs } = await scriptedFit({
      callbacks: [reduceLROnPlateau({ factor: 0.5, patience: 1, cooldown: 2 })],
      model: cooled,
      epochLogs: series('val_loss', [1, 1, 1, 1, 1, 1, 1]),
    });
    expect(cooled.lrSets).toEqual([0.5, 0.25, 0.125]);
    expect(logs.map((l) => l.lr)).toEqual([1, 1, 0.5, 0.5, 0.25, 0.25, 0.125]);
    // Without cooldown it reduces at every epoch from e1 on.
    const plain = new FakeModel(1);
    await scriptedFit({
      callbacks: [reduceLROnPlateau({ factor: 0.5, patience: 1 })],
      model: plain,
      epochLogs: series('val_loss', [1, 1, 1, 1, 1, 1, 1]),
    });
    expect(plain.lrSets).toEqual([0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625]);
  });

  it('needs an improvement larger than minDelta (default 1e-4)', async () => {
    // 0.99995 is not below 1 - 1e-4 → reduce at e1; with minDelta 0 it is an improvement.
    const strict = new FakeModel(1);
    await scriptedFit({
      callbacks: [reduceLROnPlateau({ factor: 0.5, patience: 1 })],
      model: strict,
      epochLogs: series('val_loss', [1, 0.99995]),
    });
    expect(strict.lrSets).toEqual([0.5]);
    const loose = new FakeModel(1);
    await scriptedFit({
      callbacks: [reduceLROnPlateau({ factor: 0.5, patience: 1, minDelta: 0 })],
      model: loose,
      epochLogs: series('val_loss', [1, 0.99995]),
    });
    expect(loose.lrSets).toEqual([]);
  });

  it("maximizes accuracy in 'auto' mode", async () => {
    // Rising accuracy is improvement: no reduction; falling at e2 → reduce (patience 1).
    const model = new FakeModel(1);
    await scriptedFit({
      callbacks: [reduceLROnPlateau({ monitor: 'val_accuracy', factor: 0.5, patience: 1 })],
      model,
      epochLogs: series('val_accuracy', [0.5, 0.6, 0.55]),
    });
    expect(model.lrSets).toEqual([0.5]);
  });

  it('warns once when the monitored key is missing, still logging lr', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const model = new FakeModel(0.25);
    const { logs } = await scriptedFit({
      callbacks: [reduceLROnPlateau({ patience: 0 })],
      model,
      epochLogs: series('loss', [1, 2]),
    });
    expect(model.lrSets).toEqual([]);
    expect(logs.map((l) => l.lr)).toEqual([0.25, 0.25]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toBe(
      "reduceLROnPlateau: monitored metric 'val_loss' is not in the epoch logs; available: loss, lr",
    );
  });

  it('rejects a factor of 1 or more', () => {
    expect(() => reduceLROnPlateau({ factor: 1 })).toThrow('reduceLROnPlateau: `factor` must be in [0, 1), received 1');
    expect(() => reduceLROnPlateau({ cooldown: 1.5 })).toThrow(
      'reduceLROnPlateau: `cooldown` must be a non-negative integer, received 1.5',
    );
  });
});
