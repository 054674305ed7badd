/**
 * Transfer learning as examples/transfer-learning.ts does it (the same functions), on small subsets: the brief model
 * trained on MNIST and saved, loaded back, its Conv2D layers frozen and its head replaced, fine-tuned on
 * Fashion-MNIST. The frozen weights do not change by a single bit; the new head and the unfrozen hidden layer do,
 * and the loss on the fine-tuning set falls.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fineTune, replaceHead } from '../../examples/transfer-learning.js';
import { briefModel, data, type LayersModel } from '../../src/index.js';
import { loadFashionMnist, loadLayersModel, loadMnist, saveModel } from '../../src/node/index.js';
import { firstDifference } from '../io/models.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cnnlab-transfer-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The js reference backend is much slower: it gets fewer images. */
const IMAGES = process.env.CNNLAB_BACKEND === 'js' ? 24 : 96;

/** Each layer's weight values, by layer name. */
function valuesByLayer(model: LayersModel): Map<string, Float32Array[]> {
  return new Map(model.layers.map((l) => [l.name, l.weights.map((w) => w.dataSync().slice())]));
}

describe('transfer learning MNIST → Fashion-MNIST', () => {
  it('freezes the conv layers bit for bit, trains the new head and the hidden layer', async () => {
    const base = briefModel({ seed: 1 });
    await fineTune(base, data.take(await loadMnist({ split: 'train' }), IMAGES), { batchSize: 16 });
    const saved = valuesByLayer(base);
    await saveModel(base, path.join(dir, 'base'));

    const model = replaceHead(await loadLayersModel(path.join(dir, 'base')), 10);
    const convNames = base.layers.filter((l) => l.className === 'Conv2D').map((l) => l.name);
    const [hidden, oldHead] = base.layers.filter((l) => l.className === 'Dense').map((l) => l.name);
    expect(convNames).toHaveLength(3);
    expect(model.layers.map((l) => l.name)).toEqual([...base.layers.slice(0, -1).map((l) => l.name), 'new_head']);
    expect(model.layers.some((l) => l.name === oldHead)).toBe(false);
    expect(model.trainableWeights.map((w) => w.name)).toEqual([
      `${hidden}/kernel`,
      `${hidden}/bias`,
      'new_head/kernel',
      'new_head/bias',
    ]);
    const before = valuesByLayer(model);
    for (const name of [...convNames, hidden ?? ''])
      expect(firstDifference(before.get(name) ?? [], saved.get(name) ?? []), name).toBe('none');

    const fashion = data.take(await loadFashionMnist({ split: 'train' }), IMAGES);
    const history = await fineTune(model, fashion, { epochs: 3, batchSize: 8, learningRate: 0.003, seed: 2 });
    const after = valuesByLayer(model);

    for (const name of convNames)
      expect(firstDifference(after.get(name) ?? [], saved.get(name) ?? []), name).toBe('none');
    expect(firstDifference(after.get(hidden ?? '') ?? [], saved.get(hidden ?? '') ?? [])).not.toBe('none');
    expect(firstDifference(after.get('new_head') ?? [], before.get('new_head') ?? [])).not.toBe('none');
    const loss = history.history.loss ?? [];
    expect(loss[2]).toBeLessThan(loss[0] ?? 0);
    // The optimizer keeps state only for what it trains.
    const state = model.optimizer.getWeights();
    state[0]?.tensor.dispose();
    expect(state.filter((w) => convNames.some((c) => w.name.startsWith(`${c}/`)))).toEqual([]);
    expect(state.length).toBe(1 + 2 * 4);

    // Saved and reloaded, the model keeps its frozen layers frozen and its fine-tuned weights.
    await saveModel(model, path.join(dir, 'transfer'));
    const reloaded = await loadLayersModel(path.join(dir, 'transfer'));
    expect(reloaded.layers.filter((l) => !l.trainable).map((l) => l.name)).toEqual(convNames);
    expect(
      firstDifference(
        reloaded.getWeights().map((w) => w.dataSync()),
        model.getWeights().map((w) => w.dataSync()),
      ),
    ).toBe('none');
  }, 120_000);
});
