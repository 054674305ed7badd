/**
 * Exact resume for a functional model: a residual network (with a seeded Dropout and batch normalization) stopped
 * after epoch 1 and resumed from its training checkpoint gives the history and weights of the uninterrupted fit, bit
 * for bit.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { input, type LayersModel, layers, type Model, model, optimizers, Random } from '../../src/index.js';
import { loadTrainingCheckpoint, type readTrainingState, trainingCheckpoint } from '../../src/node/checkpoint.js';
import { firstDifference, weightValues } from '../io/models.js';
import { checkpointData, COMPILE, FIT } from './fixtures/model.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** x → h1 = relu(dense 8) → dropout → h2 = dense 8 → bn(h1 + h2) → softmax(dense 3), compiled with Adam. */
function residualModel(): Model {
  const init = (seed: number) => ({ className: 'GlorotUniform', config: { seed } });
  const x = input({ shape: [4], name: 'x' });
  const h1 = layers.dense({ units: 8, activation: 'relu', name: 'h1', kernelInitializer: init(1) }).apply(x);
  const dropped = layers.dropout({ rate: 0.3, seed: 5, name: 'drop' }).apply(h1);
  const h2 = layers.dense({ units: 8, name: 'h2', kernelInitializer: init(2) }).apply(dropped);
  const sum = layers.batchNormalization({ name: 'bn' }).apply(layers.add({ name: 'skip' }).apply([h1, h2]));
  const out = layers.dense({ units: 3, activation: 'softmax', name: 'out', kernelInitializer: init(3) }).apply(sum);
  const net = model({ inputs: x, outputs: out, name: 'residual' });
  net.compile({ optimizer: optimizers.adam({ learningRate: 0.02 }), ...COMPILE });
  return net;
}

const { x, y } = checkpointData();

async function fitWithCheckpoint(
  net: LayersModel,
  dir: string,
  random: Random,
  epochs: number,
  initialEpoch = 0,
  resumeFrom?: Awaited<ReturnType<typeof readTrainingState>>,
) {
  return net.fit(x, y, {
    ...FIT,
    epochs,
    initialEpoch,
    random,
    verbose: 0,
    callbacks: [trainingCheckpoint({ dir, random, compileArgs: COMPILE, ...(resumeFrom ? { resumeFrom } : {}) })],
  });
}

describe('training checkpoints of functional models', () => {
  it('a residual model stopped after epoch 1 and resumed equals the uninterrupted fit, bit for bit', async () => {
    const [dirA, dirB] = [
      await mkdtemp(path.join(tmpdir(), 'cnnlab-fckpt-')),
      await mkdtemp(path.join(tmpdir(), 'cnnlab-fckpt-')),
    ];
    dirs.push(dirA, dirB);
    const uninterrupted = residualModel();
    const historyA = await fitWithCheckpoint(uninterrupted, dirA, new Random(7), 3);

    await fitWithCheckpoint(residualModel(), dirB, new Random(7), 1);
    const { model: resumed, state, random } = await loadTrainingCheckpoint(dirB);
    expect(resumed.layers.map((l) => l.name)).toEqual(['x', 'h1', 'drop', 'h2', 'skip', 'bn', 'out']);
    expect(state.epochs).toBe(1);
    const historyB = await fitWithCheckpoint(resumed, dirB, random, 3, 1, state);

    expect(historyB.epoch).toEqual([1, 2]);
    expect(Object.keys(historyB.history)).toEqual(Object.keys(historyA.history));
    for (const [key, values] of Object.entries(historyA.history))
      expect(historyB.history[key], key).toEqual(values.slice(1));
    expect(firstDifference(weightValues(resumed), weightValues(uninterrupted))).toBe('none');
    // The control: without the checkpoint's generator the run differs, so the comparison above can fail.
    const fresh = await loadTrainingCheckpoint(dirA);
    const other = residualModel();
    await other.fit(x, y, { ...FIT, epochs: 1, random: new Random(8), verbose: 0 });
    expect(firstDifference(weightValues(other), weightValues(fresh.model))).not.toBe('none');
  });
});
