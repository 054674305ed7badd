import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { layers, sequential, tensor } from '../../src/index.js';
import {
  fromMemory,
  loadLayersModel as loadFrom,
  modelFromArtifacts,
  modelToArtifacts,
  saveModel as saveTo,
  withSaveHandler,
  type ModelArtifacts,
} from '../../src/index.js';
import { fileSystem, loadLayersModel, saveModel } from '../../src/node/io/index.js';
import {
  everyLayerModel,
  expectEveryLayerClass,
  input,
  randomizeWeights,
  singleInputLayersModel,
  weightValues,
} from './models.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cnnlab-io-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Saves `model` (weights randomized) to files and to memory; both load with equal config, weights and predictions. */
async function expectRoundTrip(model: ReturnType<typeof everyLayerModel>): Promise<void> {
  randomizeWeights(model, 11);
  const x = input([3, 6, 6, 2], 5);
  const expected = Array.from(model.predict(x).dataSync());

  const dir = await tempDir();
  await saveModel(model, `file://${dir}`);
  expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
  const fromDisk = await loadLayersModel(`file://${path.join(dir, 'model.json')}`);
  const fromMemoryModel = modelFromArtifacts(modelToArtifacts(model));
  for (const loaded of [fromDisk, fromMemoryModel]) {
    expect(loaded.getConfig()).toEqual(model.getConfig());
    expect(weightValues(loaded)).toEqual(weightValues(model));
    expect(Array.from(loaded.predict(x).dataSync())).toEqual(expected);
  }
}

describe('save → load round trip', () => {
  it('a model using every registered layer loads with the same config, weights and predictions, bit for bit', async () => {
    const model = everyLayerModel();
    expectEveryLayerClass(model, singleInputLayersModel());
    await expectRoundTrip(model);
  });

  it('so does a model of the single-input layers (DepthwiseConv2D … Rescaling)', async () => {
    await expectRoundTrip(singleInputLayersModel());
  });

  it('writes tfjs model.json fields: snake_case keys and values, layers-model format, float32 specs', async () => {
    const model = everyLayerModel('spelled');
    const dir = await tempDir();
    await saveModel(model, dir);
    const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as Record<string, unknown>;
    // Expected spellings written by hand from tfjs-layers' convertTsToPythonic rules. (Vitest types its asymmetric
    // matchers `any`; each is held as `unknown`.)
    const conv2dConfig: unknown = expect.objectContaining({
      kernel_size: [3, 3],
      padding: 'same',
      data_format: 'channels_last',
      activation: 'hard_sigmoid',
      kernel_initializer: {
        class_name: 'VarianceScaling',
        config: { scale: 1, mode: 'fan_avg', distribution: 'truncated_normal', seed: 1 },
      },
      kernel_regularizer: { class_name: 'L1L2', config: { l1: 0, l2: 0.01 } },
      kernel_constraint: { class_name: 'MaxNorm', config: { max_value: 2, axis: 0 } },
    });
    const conv2d: unknown = expect.objectContaining({ class_name: 'Conv2D', config: conv2dConfig });
    const someLayers: unknown = expect.arrayContaining([
      {
        class_name: 'InputLayer',
        config: { name: 'input', trainable: true, batch_input_shape: [null, 6, 6, 2], dtype: 'float32' },
      },
      conv2d,
    ]);
    expect(json).toMatchObject({
      format: 'layers-model',
      convertedBy: null,
      modelTopology: {
        class_name: 'Sequential',
        keras_version: 'tfjs-layers 4.22.0',
        backend: 'tensor_flow.js',
        config: { name: 'spelled', layers: someLayers },
      },
    });
    // Conv kernel [3, 3, 2, 3] = 54 + bias 3 + gamma/beta 3 + 3 + dense 3·4 + 4 + moving stats 3 + 3 = 85 floats.
    expect(json.weightsManifest).toEqual([
      {
        paths: ['weights.bin'],
        weights: [
          { name: 'conv2d/kernel', shape: [3, 3, 2, 3], dtype: 'float32' },
          { name: 'conv2d/bias', shape: [3], dtype: 'float32' },
          { name: 'batch_normalization/gamma', shape: [3], dtype: 'float32' },
          { name: 'batch_normalization/beta', shape: [3], dtype: 'float32' },
          { name: 'dense/kernel', shape: [3, 4], dtype: 'float32' },
          { name: 'dense/bias', shape: [4], dtype: 'float32' },
          { name: 'batch_normalization/moving_mean', shape: [3], dtype: 'float32' },
          { name: 'batch_normalization/moving_variance', shape: [3], dtype: 'float32' },
        ],
      },
    ]);
    expect((await readFile(path.join(dir, 'weights.bin'))).byteLength).toBe(85 * 4);
  });

  it('stores weights as little-endian float32 in manifest order', () => {
    const model = sequential({ layers: [layers.dense({ units: 1, inputShape: [2], name: 'd' })] });
    model.setWeights([tensor([[1.5], [-2]]), tensor([0.25])]);
    const artifacts = modelToArtifacts(model);
    // By hand: 1.5 = 0x3FC00000, -2 = 0xC0000000, 0.25 = 0x3E800000; little-endian puts the low byte first.
    expect(Array.from(new Uint8Array(artifacts.weightData))).toEqual([
      0, 0, 0xc0, 0x3f, 0, 0, 0, 0xc0, 0, 0, 0x80, 0x3e,
    ]);
    expect(artifacts.weightSpecs).toEqual([
      { name: 'd/kernel', shape: [2, 1], dtype: 'float32' },
      { name: 'd/bias', shape: [1], dtype: 'float32' },
    ]);
  });

  it('core saveModel/loadLayersModel go through handlers and registered file:// URLs', async () => {
    const model = everyLayerModel('handlers');
    randomizeWeights(model, 2);
    let saved: ModelArtifacts | null = null;
    await saveTo(
      model,
      withSaveHandler((artifacts) => {
        saved = artifacts;
      }),
    );
    expect(saved).not.toBeNull();
    const loaded = await loadFrom(fromMemory(saved ?? {}));
    expect(weightValues(loaded)).toEqual(weightValues(model));

    const dir = await tempDir();
    await saveTo(model, `file://${dir}`);
    const viaUrl = await loadFrom(`file://${dir}/model.json`);
    expect(weightValues(viaUrl)).toEqual(weightValues(model));
    await expect(loadFrom('https://example.com/model.json')).rejects.toThrow(
      /no handler for 'https:\/\/example.com\/model.json'; registered schemes: file:\/\//,
    );
  });

  it('the Node entry has no saveModel or loadLayersModel of its own: it registers file:// URLs and plain paths', async () => {
    expect(saveModel).toBe(saveTo);
    expect(loadLayersModel).toBe(loadFrom);
    const model = everyLayerModel('plain');
    randomizeWeights(model, 4);
    const dir = await tempDir();
    await saveTo(model, path.join(dir, 'a'));
    await model.save(path.join(dir, 'b', 'model.json'));
    for (const where of [path.join(dir, 'a'), `file://${dir}/a/model.json`, path.join(dir, 'b', 'model.json')]) {
      expect(weightValues(await loadFrom(where))).toEqual(weightValues(model));
    }
    // Through the handler, saveModel resolves to what it wrote.
    const info = await saveTo(model, fileSystem(path.join(dir, 'c')));
    const bytes = (await readFile(path.join(dir, 'c', 'weights.bin'))).byteLength;
    expect(info).toEqual({
      modelJsonPath: path.join(dir, 'c', 'model.json'),
      weightsPath: path.join(dir, 'c', 'weights.bin'),
      weightBytes: bytes,
    });
    expect(bytes).toBe(4 * model.countParams());
  });
});
