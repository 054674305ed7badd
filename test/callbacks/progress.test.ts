import { describe, expect, it } from 'vitest';
import { CallbackList, type Logs, type TrainingParams } from '../../src/model/callbacks/callback.js';
import {
  formatBar,
  formatClock,
  formatCount,
  formatDuration,
  formatValue,
  progressBar,
  type ProgressBarArgs,
} from '../../src/node/progress.js';
import { FakeModel } from './fake-fit.js';

class FakeStream {
  text = '';
  writes: string[] = [];
  constructor(
    readonly isTTY: boolean,
    readonly columns?: number,
  ) {}
  write(chunk: string): boolean {
    this.text += chunk;
    this.writes.push(chunk);
    return true;
  }
}

const params: TrainingParams = {
  epochs: 2,
  initialEpoch: 0,
  batchSize: 4,
  samples: 10,
  steps: 3,
  verbose: 1,
  metrics: ['loss', 'accuracy', 'val_loss', 'val_accuracy'],
};

/**
 * One scripted epoch of 10 examples in batches of 4, 4, 2, on a clock the test moves: begins at 0 ms, batches end at
 * 1000, 1050 and 2500 ms, validation ends at 3000 ms. Batch losses 1, 0.5, 0.25, so the running means fit logs
 * beside them are 1, (4·1 + 4·0.5) / 8 = 0.75 and (4·1 + 4·0.5 + 2·0.25) / 10 = 0.65 (the bar shows these, never the
 * `batch_` figures); throughput 10 examples / 2.5 s = 4 img/s (validation time excluded).
 */
async function runEpoch(args: ProgressBarArgs, stream: FakeStream, verbose: 0 | 1 = 1): Promise<void> {
  let t = 0;
  const list = new CallbackList([progressBar({ ...args, stream, now: () => t })]);
  list.init({ ...params, verbose }, new FakeModel());
  await list.trainBegin({});
  await list.epochBegin(0, {});
  const batches: [number, Logs][] = [
    [1000, { batch: 0, size: 4, loss: 1, accuracy: 0.25, batch_loss: 1, batch_accuracy: 0.25 }],
    [1050, { batch: 1, size: 4, loss: 0.75, accuracy: 0.5, batch_loss: 0.5, batch_accuracy: 0.75 }],
    [2500, { batch: 2, size: 2, loss: 0.65, accuracy: 0.5, batch_loss: 0.25, batch_accuracy: 0.5 }],
  ];
  for (const [time, logs] of batches) {
    t = time;
    await list.batchEnd(logs.batch ?? 0, logs);
  }
  t = 3000;
  await list.epochEnd(0, { loss: 0.65, accuracy: 0.5, val_loss: 0.7, val_accuracy: 0.25 });
  await list.trainEnd({});
}

describe('progressBar', () => {
  it('writes only one summary line per epoch to a stream that is not a TTY', async () => {
    const stream = new FakeStream(false);
    await runEpoch({}, stream);
    expect(stream.text).toBe(
      'Epoch 1/2 3/3 3.0s loss 0.6500 accuracy 0.5000 val_loss 0.7000 val_accuracy 0.2500 4 img/s\n',
    );
  });

  it('redraws the bar in place on a TTY, at most every redrawMs, then replaces it with the summary', async () => {
    const stream = new FakeStream(true, 200);
    await runEpoch({ width: 10 }, stream);
    expect(stream.writes).toEqual([
      '\rEpoch 1/2 [          ] 0/3 ETA -:--\x1b[K',
      // 1 of 3 batches after 1 s: ETA 2 s; 4 examples / 1 s.
      '\rEpoch 1/2 [==>       ] 1/3 ETA 0:02 loss 1.0000 accuracy 0.2500 4 img/s\x1b[K',
      // (the batch at 1050 ms comes 50 ms after the last draw: skipped)
      '\rEpoch 1/2 [==========] 3/3 ETA 0:00 loss 0.6500 accuracy 0.5000 4 img/s\x1b[K',
      '\r\x1b[KEpoch 1/2 3/3 3.0s loss 0.6500 accuracy 0.5000 val_loss 0.7000 val_accuracy 0.2500 4 img/s\n',
    ]);
  });

  it('cuts bar lines to the terminal width', async () => {
    const stream = new FakeStream(true, 21);
    await runEpoch({ width: 10 }, stream);
    expect(stream.writes[1]).toBe('\rEpoch 1/2 [==>      \x1b[K');
  });

  it('prints nothing with verbose 0, from fit or from its own argument', async () => {
    const quietFit = new FakeStream(true);
    await runEpoch({}, quietFit, 0);
    expect(quietFit.text).toBe('');
    const quietBar = new FakeStream(false);
    await runEpoch({ verbose: 0 }, quietBar, 1);
    expect(quietBar.text).toBe('');
  });
});

describe('progress formatting (hand-checked values)', () => {
  it('formats numbers, times and bars', () => {
    expect(formatValue(0.123456)).toBe('0.1235');
    expect(formatValue(0.0001234)).toBe('1.2340e-4');
    expect(formatValue(Number.NaN)).toBe('NaN');
    expect(formatClock(12)).toBe('0:12');
    expect(formatClock(3725)).toBe('1:02:05');
    expect(formatDuration(12.34)).toBe('12.3s');
    expect(formatDuration(75)).toBe('1:15');
    expect(formatCount(1234.4)).toBe('1,234');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(999)).toBe('999');
    expect(formatBar(5, 10, 10)).toBe('[====>     ]');
    expect(formatBar(0, 10, 4)).toBe('[    ]');
    expect(formatBar(10, 10, 4)).toBe('[====]');
    // floor(20 · 412 / 938) = 8 cells: 7 '=' and the arrow.
    expect(formatBar(412, 938, 20)).toBe('[=======>            ]');
  });
});
