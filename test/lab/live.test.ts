import { describe, expect, it } from 'vitest';
import { runMetrics } from '../../src/lab/metrics.js';
import { planLab } from '../../src/lab/plan.js';
import { labSettings } from '../../src/lab/settings.js';
import { LabView } from '../../src/node/lab/live.js';

function fakeStream(isTTY: boolean): { write(text: string): void; isTTY: boolean; text: string } {
  return {
    isTTY,
    text: '',
    write(text: string) {
      this.text += text;
    },
  };
}

describe('lab live view', () => {
  it('reports each finished run and the ETA of the whole lab from the work done so far', async () => {
    const stream = fakeStream(false);
    let clock = 0;
    const view = new LabView({ stream, now: () => clock });
    view.begin(4, 1, '1 group');
    expect(stream.text).toBe('Lab: 4 runs (1 already finished, 3 to train) · 1 group\n');
    view.startRun({ title: 'g › a', dataset: 'mnist', seed: 0 });
    const callback = view.callback();
    callback.setParams?.({
      epochs: 2,
      initialEpoch: 0,
      batchSize: 10,
      samples: 100,
      steps: 10,
      verbose: 0,
      metrics: [],
    });
    await callback.onEpochBegin?.(0, {});
    clock = 10_000;
    for (let b = 0; b < 5; b++) await callback.onBatchEnd?.(b, {});
    // Half of epoch 1 of 2 of the first of 3 runs: 1/12 of the work in 10 s, so 110 s remain.
    expect(view.fraction).toBeCloseTo(1 / 12, 12);
    expect(view.eta()).toBeCloseTo(110, 9);
    expect(view.statusLine()).toBe(
      '[1/3] g › a · MNIST · seed 0 · epoch 1/2 [====>               ] · lab 8% · ETA 1:50',
    );
    clock = 40_000;
    const spec = planLab(
      [{ name: 'g', title: 'g', question: '', focus: [], variants: [{ name: 'a', label: 'a', model: {} }] }],
      labSettings(true),
    ).runs[0]?.spec;
    if (spec === undefined) throw new Error('no run planned');
    const metrics = runMetrics(
      {
        format: 'cnnlab-lab-run',
        version: 1,
        key: 'k',
        spec,
        backend: 'js',
        params: 1,
        history: { loss: [1, 1], accuracy: [0.5, 0.5], val_loss: [1, 1], val_accuracy: [0.5, 0.5] },
        epochSeconds: [15, 25],
        test: { loss: 1, accuracy: 0.9123 },
        train: { loss: 1, accuracy: 0.95 },
        diverged: false,
        finishedAt: '',
      },
      0.97,
    );
    view.endRun(metrics, false);
    // One of three runs in 40 s: 80 s remain. A non-TTY stream gets no status lines, only the finished run.
    expect(stream.text.split('\n')[1]).toBe(
      '[1/3] g › a · MNIST · seed 0: test 91.23%, 20.00 s/epoch, 40.00 s · lab ETA 1:20',
    );
  });

  it('redraws one status line in place on a TTY', () => {
    const stream = fakeStream(true);
    const view = new LabView({ stream, now: () => 0 });
    view.begin(1, 0, 'x');
    view.startRun({ title: 't', dataset: 'fashion-mnist', seed: 2 });
    expect(stream.text).toBe('Lab: 1 run · x\n\r[1/1] t · Fashion-MNIST · seed 2 · starting · lab 0% · ETA -:--\x1b[K');
    const quiet = fakeStream(true);
    new LabView({ stream: quiet, quiet: true }).begin(1, 0, 'x');
    expect(quiet.text).toBe('');
  });
});
