/**
 * The modelCheckpoint callback (Keras semantics): when it saves (every epoch, only on improvement, every n batches),
 * where (placeholders filled as Keras fills them), and what (with the optimizer's state, a model that trains on).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { callbacks, type LayersModel, type ModelArtifacts, Random, withSaveHandler } from '../../src/index.js';
import { registerScheme } from '../../src/io/index.js';
import { loadLayersModel } from '../../src/node/io/index.js';
import { firstDifference, weightValues } from '../io/models.js';
import { checkpointData, checkpointModel, COMPILE, FIT } from './fixtures/model.js';

/** Records each save: the epoch, and the artifacts. */
function recorder() {
  const saves: { epoch: number; artifacts: ModelArtifacts }[] = [];
  let epoch = -1;
  const handler = withSaveHandler((artifacts) => {
    saves.push({ epoch, artifacts });
  });
  return {
    saves,
    handler,
    at: (e: number) => {
      epoch = e;
    },
  };
}

/** Feeds a checkpoint the epoch logs given, as fit would. */
async function feed(
  checkpoint: callbacks.ModelCheckpoint,
  logs: readonly Record<string, number>[],
  at: (e: number) => void,
): Promise<void> {
  checkpoint.setModel(checkpointModel());
  checkpoint.onTrainBegin();
  for (const [epoch, l] of logs.entries()) {
    at(epoch);
    checkpoint.onEpochBegin(epoch);
    await checkpoint.onEpochEnd(epoch, l);
  }
}

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('modelCheckpoint', () => {
  it("saves at every epoch's end by default", async () => {
    const { saves, handler, at } = recorder();
    await feed(
      callbacks.modelCheckpoint({ filepath: handler }),
      [{ val_loss: 3 }, { val_loss: 4 }, { val_loss: 1 }],
      at,
    );
    expect(saves.map((s) => s.epoch)).toEqual([0, 1, 2]);
  });

  it('saveBestOnly saves only improvements: min for losses, max for accuracies, as mode says', async () => {
    const losses = [
      { val_loss: 3, val_accuracy: 0.5 },
      { val_loss: 4, val_accuracy: 0.7 },
      { val_loss: 1, val_accuracy: 0.6 },
      { val_loss: 1, val_accuracy: 0.9 },
    ];
    const cases: [callbacks.ModelCheckpointArgs['monitor'], callbacks.ModelCheckpointArgs['mode'], number[]][] = [
      ['val_loss', 'auto', [0, 2]],
      ['val_accuracy', 'auto', [0, 1, 3]],
      ['val_loss', 'max', [0, 1]],
      ['val_accuracy', 'min', [0]],
    ];
    for (const [monitor, mode, expected] of cases) {
      const { saves, handler, at } = recorder();
      const checkpoint = callbacks.modelCheckpoint({ filepath: handler, saveBestOnly: true, monitor, mode });
      await feed(checkpoint, losses, at);
      expect(
        saves.map((s) => s.epoch),
        `${monitor} ${mode}`,
      ).toEqual(expected);
    }
  });

  it('saveBestOnly without the monitored key warns once and saves nothing', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { saves, handler, at } = recorder();
    await feed(callbacks.modelCheckpoint({ filepath: handler, saveBestOnly: true }), [{ loss: 1 }, { loss: 0.5 }], at);
    expect(saves).toEqual([]);
    expect(warn.mock.calls).toEqual([
      ["modelCheckpoint: monitored metric 'val_loss' is not in the epoch logs; available: loss"],
    ]);
    warn.mockRestore();
  });

  it('fills {epoch} and log keys in the filepath as Keras does', async () => {
    const urls: string[] = [];
    registerScheme('mem://', {
      save: (url) =>
        withSaveHandler(() => {
          urls.push(url);
        }),
    });
    const checkpoint = callbacks.modelCheckpoint({ filepath: 'mem://ckpt-{epoch:02d}-{val_loss:.3f}-{loss}' });
    await feed(
      checkpoint,
      [
        { loss: 0.5, val_loss: 1.23456 },
        { loss: 0.25, val_loss: 0.5 },
      ],
      () => undefined,
    );
    expect(urls).toEqual(['mem://ckpt-01-1.235-0.5', 'mem://ckpt-02-0.500-0.25']);
    await expect(
      feed(callbacks.modelCheckpoint({ filepath: 'mem://x-{val_acc}' }), [{ loss: 1 }], () => undefined),
    ).rejects.toThrow('modelCheckpoint: `filepath` placeholder {val_acc} names no log key; available: epoch, loss');
  });

  it('with saveFreq n, saves after every n batches, counting across epochs', async () => {
    const { saves, handler } = recorder();
    const { x, y } = checkpointData();
    // 34 training examples in batches of 8: 5 batches per epoch, 10 in two epochs → saves after batches 3, 6 and 9.
    const model = checkpointModel();
    await model.fit(x, y, {
      ...FIT,
      epochs: 2,
      verbose: 0,
      callbacks: [callbacks.modelCheckpoint({ filepath: handler, saveFreq: 3 })],
    });
    expect(saves).toHaveLength(3);
  });

  it("with includeOptimizer, the last save is the model compiled with its optimizer's state, bit for bit", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cnnlab-model-ckpt-'));
    dirs.push(dir);
    const { x, y } = checkpointData();
    const model = checkpointModel();
    await model.fit(x, y, {
      ...FIT,
      epochs: 2,
      random: new Random(4),
      verbose: 0,
      callbacks: [callbacks.modelCheckpoint({ filepath: `file://${dir}/epoch-{epoch}`, includeOptimizer: COMPILE })],
    });
    const loaded = await loadLayersModel(path.join(dir, 'epoch-2'));
    expect(firstDifference(weightValues(loaded), weightValues(model))).toBe('none');
    expect(loaded.optimizer.getConfig()).toEqual(model.optimizer.getConfig());
    const state = (m: LayersModel) => {
      const weights = m.optimizer.getWeights();
      const values = weights.map((w) => ({ name: w.name, values: Array.from(w.tensor.dataSync()) }));
      weights[0]?.tensor.dispose();
      return values;
    };
    expect(state(loaded)).toEqual(state(model));
    expect(state(model)[0]).toEqual({ name: 'iter', values: [10] }); // 2 epochs of 5 batches
    // Without includeOptimizer the same save holds the weights only.
    await model.save(`file://${dir}/plain`);
    await expect(loadLayersModel(path.join(dir, 'plain')).then((m) => m.optimizer)).rejects.toThrow(/call compile\(\)/);
  });

  it('checks its arguments', () => {
    expect(() => callbacks.modelCheckpoint({ filepath: '' })).toThrow('modelCheckpoint: `filepath` must not be empty');
    expect(() => callbacks.modelCheckpoint({ filepath: 'mem://x', saveFreq: 0 })).toThrow(
      "modelCheckpoint: `saveFreq` must be 'epoch' or a positive integer, received 0",
    );
    expect(() => callbacks.modelCheckpoint({ filepath: 'mem://x', mode: 'best' as 'min' })).toThrow(
      "modelCheckpoint: `mode` must be 'auto', 'min' or 'max', received 'best'",
    );
    const checkpoint = callbacks.modelCheckpoint({ filepath: 'mem://x' });
    expect(() =>
      checkpoint.setModel({
        stopTraining: false,
        getWeights: () => [],
        setWeights: () => undefined,
        getLearningRate: () => 0,
        setLearningRate: () => undefined,
      }),
    ).toThrow('modelCheckpoint: the model must be a LayersModel');
  });
});
