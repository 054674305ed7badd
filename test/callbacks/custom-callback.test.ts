import { describe, expect, it } from 'vitest';
import '../../src/backend/index.js';
import { customCallback } from '../../src/model/callbacks/index.js';
import { FakeModel, scriptedFit, series } from './fake-fit.js';

describe('customCallback', () => {
  it('calls the given hooks in fit order, awaiting async ones', async () => {
    const events: string[] = [];
    const callback = customCallback({
      onTrainBegin: () => {
        events.push('train+');
      },
      onEpochBegin: async (epoch) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        events.push(`epoch+${epoch}`);
      },
      onBatchEnd: (batch, logs) => {
        events.push(`batch${batch}:${logs.loss}`);
      },
      onEpochEnd: (epoch, logs) => {
        events.push(`epoch-${epoch}:${logs.val_loss}`);
      },
      onTrainEnd: () => {
        events.push('train-');
      },
    });
    await scriptedFit({
      callbacks: [callback],
      model: new FakeModel(),
      steps: 2,
      epochLogs: series('val_loss', [0.5, 0.25]),
    });
    expect(events).toEqual([
      'train+',
      'epoch+0',
      'batch0:1',
      'batch1:1',
      'epoch-0:0.5',
      'epoch+1',
      'batch0:1',
      'batch1:1',
      'epoch-1:0.25',
      'train-',
    ]);
  });

  it('can stop training through the model it is given', async () => {
    const callback = customCallback({
      setModel: (model) => {
        callback.onEpochEnd = (epoch) => {
          if (epoch === 1) model.stopTraining = true;
        };
      },
    });
    const { epochs } = await scriptedFit({
      callbacks: [callback],
      model: new FakeModel(),
      epochLogs: series('loss', [1, 1, 1, 1]),
    });
    expect(epochs).toEqual([0, 1]);
  });

  it('rejects unknown hooks and non-functions', () => {
    // @ts-expect-error: a JavaScript caller may misspell a hook
    expect(() => customCallback({ onEpochEnds: () => undefined })).toThrow(
      "customCallback: unknown hook 'onEpochEnds'; known hooks: onTrainBegin,",
    );
    // @ts-expect-error: a JavaScript caller may pass a non-function
    expect(() => customCallback({ onEpochEnd: 3 })).toThrow(
      'customCallback: `onEpochEnd` must be a function, received number',
    );
  });
});
