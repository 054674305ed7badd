/**
 * Resuming training from a model TensorFlow.js 4.22 saved with `includeOptimizer: true` (the independent oracle):
 * tfjs writes the optimizer's `iter` as int32. The file is written as tfjs's Node file handler writes it (model.json
 * + weight files; here split into two shards that cut `iter` in half), loaded by our Node loader, and checked
 * against tfjs: the restored step count and Adam slots equal tfjs's bit for bit, and two more Adam steps in both
 * libraries agree within float tolerance.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LayersModel, optimizers, tensor } from '../../src/index.js';
import { modelFromArtifacts } from '../../src/index.js';
import { loadLayersModel } from '../../src/node/io/index.js';
import { expectClose, tf } from '../helpers/tfjs.js';
import { input, weightValues } from './models.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cnnlab-tfjs-opt-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Fixed batches: x [6, 3] in [-1, 1), labels 0/1. Steps 0–2 happen in tfjs before saving, 3–4 after. */
const batches = [0, 1, 2, 3, 4].map((i) => ({ x: input([6, 3], 200 + i), y: [0, 1, 1, 0, 1, i % 2] }));

function tfjsModel(): tf.Sequential {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const model = tf.sequential({
    name: 'small',
    layers: [
      tf.layers.dense({ units: 4, inputShape: [3], activation: 'tanh', name: 'd1', kernelInitializer: init(1) }),
      tf.layers.dense({ units: 2, activation: 'softmax', name: 'd2', kernelInitializer: init(2) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.05), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

async function trainTfjs(model: tf.LayersModel, from: number, to: number): Promise<void> {
  for (const { x, y } of batches.slice(from, to))
    await model.trainOnBatch(tf.tensor(x.dataSync(), [6, 3]), tf.tensor(y, [6]));
}

function trainOurs(model: LayersModel, from: number, to: number): void {
  for (const { x, y } of batches.slice(from, to)) model.trainOnBatch(x, tensor(y, [6]));
}

/** What tfjs's `model.save(..., { includeOptimizer: true })` hands its save handler. */
async function tfjsSaved(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    { includeOptimizer: true },
  );
  if (saved === null) throw new Error('tfjs saved nothing');
  return saved;
}

/** The weight data as one buffer (tfjs may hand over a list of buffers). */
function oneBuffer(data: tf.io.WeightData | undefined): Uint8Array {
  return new Uint8Array(tf.io.CompositeArrayBuffer.join(data ?? new ArrayBuffer(0)));
}

/** model.json and two weight shards as tfjs's file handler lays them out; the cut falls at byte `cut`. */
async function writeTfjsFolder(artifacts: tf.io.ModelArtifacts, folder: string, cut: number): Promise<void> {
  const data = oneBuffer(artifacts.weightData);
  const paths = ['group1-shard1of2.bin', 'group1-shard2of2.bin'];
  await writeFile(
    path.join(folder, 'model.json'),
    JSON.stringify({
      modelTopology: artifacts.modelTopology,
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy ?? null,
      trainingConfig: artifacts.trainingConfig,
      weightsManifest: [{ paths, weights: artifacts.weightSpecs }],
    }),
  );
  await writeFile(path.join(folder, paths[0] ?? ''), data.subarray(0, cut));
  await writeFile(path.join(folder, paths[1] ?? ''), data.subarray(cut));
}

describe('optimizer state saved by TensorFlow.js (int32 iter)', () => {
  it('loads from files, restores iter and the Adam slots as tfjs holds them, and trains on as tfjs does', async () => {
    const theirs = tfjsModel();
    await trainTfjs(theirs, 0, 3);
    const artifacts = await tfjsSaved(theirs);
    const specs = artifacts.weightSpecs ?? [];
    // The premise: tfjs writes `iter` as int32 (the only non-float32 weight).
    expect(specs.filter((s) => s.dtype !== 'float32').map((s) => [s.name, s.dtype, s.group])).toEqual([
      ['iter', 'int32', 'optimizer'],
    ]);
    // Model weights: 3·4 + 4 + 4·2 + 2 = 26 float32 values; `iter` starts at byte 104. Cut inside it.
    expect(specs.findIndex((s) => s.name === 'iter')).toBe(4);
    await writeTfjsFolder(artifacts, dir, 104 + 2);

    const ours = await loadLayersModel(path.join(dir, 'model.json'));
    expect(ours.optimizer.className).toBe('Adam');
    expect(ours.optimizer.iterations).toBe(3);
    const ourState = ours.optimizer.getWeights();
    const theirState = await theirs.optimizer.getWeights();
    expect(ourState.map((w) => w.name)).toEqual(theirState.map((w) => w.name));
    ourState.forEach((w, i) =>
      expect(Array.from(w.tensor.dataSync()), w.name).toEqual(Array.from(theirState[i]?.tensor.dataSync() ?? [])),
    );
    ourState[0]?.tensor.dispose();
    weightValues(ours).forEach((w, i) =>
      expect(Array.from(w)).toEqual(Array.from(theirs.getWeights()[i]?.dataSync() ?? [])),
    );

    await trainTfjs(theirs, 3, 5);
    trainOurs(ours, 3, 5);
    expect(ours.optimizer.iterations).toBe(5);
    weightValues(ours).forEach((w, i) => expectClose(w, theirs.getWeights()[i]?.dataSync() ?? [], 1e-5, 1e-6));

    // The control: the same weights with a fresh Adam (iter 0, zero moments) end elsewhere, so the state mattered.
    const fresh = modelFromArtifacts({
      ...artifacts,
      weightData: oneBuffer(artifacts.weightData).buffer,
      trainingConfig: undefined,
    });
    fresh.compile({ optimizer: optimizers.adam({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy' });
    trainOurs(fresh, 3, 5);
    expect(() =>
      expectClose(weightValues(fresh)[0] ?? [], theirs.getWeights()[0]?.dataSync() ?? [], 1e-5, 1e-6),
    ).toThrow(/mismatch/);
  });

  it("loads tfjs's in-memory artifacts (weightData one buffer or a list) where tfjs renamed the slots 'd1/kernel_1/m'", async () => {
    // Variable names are unique in a tfjs process: a later model with the same layer names gets `d1/kernel_<n>` as
    // its variables' names, and its Adam slots are named after them, while its model weights keep `d1/kernel`.
    tfjsModel();
    const theirs = tfjsModel();
    await trainTfjs(theirs, 0, 2);
    const artifacts = await tfjsSaved(theirs);
    const names = (artifacts.weightSpecs ?? []).map((s) => s.name);
    expect(names.slice(0, 5)).toEqual(['d1/kernel', 'd1/bias', 'd2/kernel', 'd2/bias', 'iter']);
    expect(names[5]).toMatch(/^d1\/kernel_\d+\/m$/);
    await trainTfjs(theirs, 2, 3);
    const expected = theirs.getWeights().map((w) => w.dataSync());
    const data = oneBuffer(artifacts.weightData);
    for (const weightData of [data.slice().buffer, [data.slice(0, 105).buffer, data.slice(105).buffer]]) {
      const ours = modelFromArtifacts({ ...artifacts, weightData }, 'tfjs artifacts');
      expect(ours.optimizer.iterations).toBe(2);
      trainOurs(ours, 2, 3);
      weightValues(ours).forEach((w, i) => expectClose(w, expected[i] ?? [], 1e-5, 1e-6));
    }
  });
});
