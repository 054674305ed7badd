import { describe, expect, it } from 'vitest';
import { initializers, layers, tensor, type Tensor } from '../../src/index.js';
import {
  customCallback,
  earlyStopping,
  csvLogger,
  learningRateScheduler,
  terminateOnNaN,
} from '../../src/model/callbacks/index.js';
import { Sequential } from '../../src/model/sequential.js';
import { adam, sgd } from '../../src/optimizers/index.js';
import { formatValue, progressBar } from '../../src/node/progress.js';
import { randomInput } from '../helpers/gradcheck.js';

/**
 * 64 points in [-1, 1]²; label 1 when x0 + 2·x1 > 0 (linearly separable). With `flipFrom`, labels from that index on
 * are flipped, so a validation split taken there gets worse as training improves (a stand-in for overfitting).
 */
function separable(flipFrom = 64): { x: Tensor; y: Tensor } {
  const x = randomInput([64, 2], 11);
  const v = x.dataSync();
  const labels = Array.from({ length: 64 }, (_, n) =>
    (v[2 * n] ?? 0) + 2 * (v[2 * n + 1] ?? 0) > 0 !== n >= flipFrom ? 1 : 0,
  );
  return { x, y: tensor(labels, [64, 1]) };
}

function model(activation: 'sigmoid' | 'linear'): Sequential {
  return new Sequential({
    layers: [
      layers.dense({
        units: 1,
        activation,
        inputShape: [2],
        kernelInitializer: initializers.glorotUniform({ seed: 3 }),
      }),
    ],
  });
}

describe('callbacks in a real fit', () => {
  it('schedule, early stopping with restored weights, CSV and progress agree with the history', async () => {
    // validationSplit 0.25 holds out the last 16 examples, whose labels are flipped.
    const { x, y } = separable(48);
    const net = model('sigmoid');
    net.compile({ optimizer: adam({ learningRate: 0.1 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const weightsAtEpochEnd: number[][] = [];
    let csv = '';
    const out = {
      text: '',
      isTTY: false,
      write(t: string) {
        this.text += t;
      },
    };
    const epochs = 12;
    const history = await net.fit(x, y, {
      epochs,
      batchSize: 32,
      validationSplit: 0.25,
      seed: 5,
      callbacks: [
        learningRateScheduler((epoch) => 0.1 * 0.5 ** epoch),
        customCallback({
          onEpochEnd: () => {
            weightsAtEpochEnd.push(net.getWeights().flatMap((w) => [...w.dataSync()]));
          },
        }),
        earlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true }),
        terminateOnNaN({ print: () => undefined }),
        csvLogger({
          write: (t) => {
            csv += t;
          },
        }),
        progressBar({ stream: out }),
      ],
    });
    const ran = history.epoch.length;
    const valLoss = history.history.val_loss ?? [];
    const loss = history.history.loss ?? [];
    expect(valLoss.length).toBe(ran);
    // Logistic regression learns the separable training part; training stops early as the flipped validation part
    // worsens.
    expect(Math.max(...(history.history.accuracy ?? []))).toBeGreaterThanOrEqual(0.9);
    expect(ran).toBeLessThan(epochs);

    // Restored weights are those recorded at the end of the epoch with the lowest val_loss (not the last epoch).
    const best = valLoss.indexOf(Math.min(...valLoss));
    expect(best).toBeLessThan(ran - 1);
    expect(net.getWeights().flatMap((w) => [...w.dataSync()])).toEqual(weightsAtEpochEnd[best]);

    // The schedule's last value is the optimizer's rate.
    expect(net.optimizer.currentLearningRate()).toBe(0.1 * 0.5 ** (ran - 1));

    // CSV: sorted header (lr added by the scheduler), one row per epoch matching the history.
    const rows = csv.trimEnd().split('\n');
    expect(rows[0]).toBe('epoch,accuracy,loss,lr,val_accuracy,val_loss');
    expect(rows.length).toBe(ran + 1);
    rows.slice(1).forEach((row, i) => {
      const [epoch, , rowLoss, lr, , rowValLoss] = row.split(',');
      expect(epoch).toBe(String(i));
      expect(Number(rowLoss)).toBe(loss[i]);
      expect(Number(lr)).toBe(0.1 * 0.5 ** i);
      expect(Number(rowValLoss)).toBe(valLoss[i]);
    });

    // Progress on a non-TTY stream: one line per epoch, 48 training examples in batches of 32 → 2 steps.
    const lines = out.text.trimEnd().split('\n');
    expect(lines.length).toBe(ran);
    lines.forEach((line, i) => {
      expect(line.startsWith(`Epoch ${i + 1}/${epochs} 2/2 `)).toBe(true);
      expect(line).toContain(`loss ${formatValue(loss[i] ?? Number.NaN)} accuracy `);
      expect(line).toContain(` val_loss ${formatValue(valLoss[i] ?? Number.NaN)} `);
      expect(line.endsWith(' img/s')).toBe(true);
    });
  });

  it('terminateOnNaN stops a diverging run in the middle of an epoch', async () => {
    // Linear regression with a huge step: |w| grows ~1e10× per step, so the float32 loss overflows within a few
    // batches.
    const { x, y } = separable();
    const net = model('linear');
    net.compile({ optimizer: sgd({ learningRate: 1e10 }), loss: 'mse' });
    const nan = terminateOnNaN({ print: () => undefined });
    let batches = 0;
    const history = await net.fit(x, y, {
      epochs: 50,
      batchSize: 8,
      callbacks: [
        nan,
        customCallback({
          onBatchEnd: () => {
            batches++;
          },
        }),
      ],
    });
    const where = nan.terminated;
    expect(where).not.toBeNull();
    expect(Number.isFinite(where?.loss)).toBe(false);
    // Training ended in the epoch where the loss went bad, right after that batch (8 batches per epoch).
    expect(history.epoch.length).toBe((where?.epoch ?? -1) + 1);
    expect(batches).toBe((where?.epoch ?? 0) * 8 + (where?.batch ?? 0) + 1);
  });
});
