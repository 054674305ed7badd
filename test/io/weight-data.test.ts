/**
 * The weight data against the manifest: a size mismatch names `weightData` (or the weight files) with the expected
 * and received byte counts and is found before any tensor is allocated; int32 weights are read where tfjs writes
 * them (the optimizer's `iter`) and refused elsewhere, each error naming the file and the field.
 * Byte counts are by hand: Dense 3 → 4 and Dense 4 → 2 hold 12 + 4 + 8 + 2 = 26 float32 values, 104 bytes.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FormatError,
  layers,
  memory,
  modelFromArtifacts,
  modelToArtifacts,
  optimizers,
  type Sequential,
  sequential,
  tensor,
} from '../../src/index.js';
import type { ArtifactsInput, ModelArtifacts } from '../../src/io/index.js';
import { loadLayersModel, saveModel } from '../../src/node/io/index.js';
import { input } from './models.js';
import { jsonObjects, parseJsonObject } from '../helpers/json.js';

let root = '';
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'cnnlab-weight-data-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const COMPILE = { loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] } as const;

/** Dense 3 → 4 → 2 with Adam, trained `steps` steps on fixed data. */
function trained(steps: number): Sequential {
  const model = sequential({
    name: 'small',
    layers: [
      layers.dense({
        units: 4,
        inputShape: [3],
        activation: 'tanh',
        name: 'd1',
        kernelInitializer: { className: 'GlorotUniform', config: { seed: 1 } },
      }),
      layers.dense({
        units: 2,
        activation: 'softmax',
        name: 'd2',
        kernelInitializer: { className: 'GlorotUniform', config: { seed: 2 } },
      }),
    ],
  });
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.05 }), ...COMPILE });
  for (let i = 0; i < steps; i++) model.trainOnBatch(input([6, 3], 300 + i), tensor([0, 1, 1, 0, 1, i % 2], [6]));
  return model;
}

/** The model's artifacts with the optimizer state: specs 0–3 the model's (104 bytes), 4 `iter`, 5–12 the slots. */
function withOptimizer(model: Sequential): ModelArtifacts {
  return modelToArtifacts(model, { includeOptimizer: true, ...COMPILE });
}

/** The artifacts with `iter` rewritten as tfjs writes it: dtype int32, the value as a little-endian int32. */
function int32Iter(artifacts: ModelArtifacts, value: number): ArtifactsInput {
  const data = artifacts.weightData.slice(0);
  new DataView(data).setInt32(104, value, true);
  return {
    ...artifacts,
    weightData: data,
    weightSpecs: artifacts.weightSpecs.map((s) => (s.name === 'iter' ? { ...s, dtype: 'int32' } : s)),
  };
}

function loadError(artifacts: ArtifactsInput): string {
  try {
    modelFromArtifacts(artifacts, 'mem/model.json');
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    expect(error.message.startsWith('mem/model.json: ')).toBe(true);
    return error.message;
  }
  throw new Error('expected the load to fail');
}

describe('weight data size', () => {
  it('names `weightData` with expected and received bytes, for one buffer, a list of buffers, or none', () => {
    const artifacts = modelToArtifacts(trained(0));
    const data = artifacts.weightData;
    expect(loadError({ ...artifacts, weightData: data.slice(0, 100) })).toBe(
      "mem/model.json: `weightData` is truncated: expected 104 bytes (the manifest's weights), received 100",
    );
    expect(loadError({ ...artifacts, weightData: [data.slice(0, 60), data, data.slice(0, 8)] })).toMatch(
      /`weightData` is oversized: expected 104 bytes \(the manifest's weights\), received 172$/,
    );
    expect(loadError({ ...artifacts, weightData: undefined })).toMatch(
      /`weightData` is truncated: expected 104 bytes .*, received 0$/,
    );
    // Split anywhere, the right total loads.
    expect(
      modelFromArtifacts({
        ...artifacts,
        weightData: [data.slice(0, 1), data.slice(1, 103), data.slice(103)],
      }).countParams(),
    ).toBe(26);
  });

  it('compares the total of every spec with the data before allocating any tensor', () => {
    const artifacts = modelToArtifacts(trained(0));
    // The kernel's manifest shape claims 2^28 values (1 GiB): refused by the size check, before the topology is built.
    const huge = artifacts.weightSpecs.map((s, i) => (i === 0 ? { ...s, shape: [16384, 16384] } : s));
    const before = memory();
    expect(loadError({ ...artifacts, weightSpecs: huge })).toMatch(
      /`weightData` is truncated: expected 1073741880 bytes .*, received 104$/,
    );
    expect(memory()).toEqual(before);
  });

  it('names the weight files, each with its size, and the manifest field, for sharded files', async () => {
    const dir = path.join(root, 'shards');
    await saveModel(trained(0), dir);
    const json = parseJsonObject(await readFile(path.join(dir, 'model.json'), 'utf8'));
    const weights = await readFile(path.join(dir, 'weights.bin'));
    json.weightsManifest = jsonObjects(json.weightsManifest, 'weightsManifest').map((group, i) =>
      i === 0 ? { ...group, paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'] } : group,
    );
    await writeFile(path.join(dir, 'model.json'), JSON.stringify(json));
    await writeFile(path.join(dir, 'group1-shard1of2.bin'), weights.subarray(0, 64));
    await writeFile(path.join(dir, 'group1-shard2of2.bin'), weights.subarray(64, 103));
    await expect(loadLayersModel(dir)).rejects.toThrow(
      `${path.join(dir, 'model.json')}: \`weightsManifest[0].paths\` ('group1-shard1of2.bin': 64 bytes, 'group1-shard2of2.bin': 39 bytes) is truncated: expected 104 bytes (the manifest's weights), received 103`,
    );
    await writeFile(path.join(dir, 'group1-shard2of2.bin'), weights.subarray(64));
    expect((await loadLayersModel(dir)).countParams()).toBe(26);
  });
});

describe('int32 weights', () => {
  it("reads tfjs's int32 `iter` exactly and the float32 slots after it at the right offsets", () => {
    const model = trained(3);
    const loaded = modelFromArtifacts(int32Iter(withOptimizer(model), 3));
    expect(loaded.optimizer.iterations).toBe(3);
    const [ours, theirs] = [loaded.optimizer.getWeights(), model.optimizer.getWeights()];
    expect(ours.map((w) => [w.name, Array.from(w.tensor.dataSync())])).toEqual(
      theirs.map((w) => [w.name, Array.from(w.tensor.dataSync())]),
    );
    ours[0]?.tensor.dispose();
    theirs[0]?.tensor.dispose();
    // The largest step count float32 holds exactly, 2^24, is accepted.
    expect(modelFromArtifacts(int32Iter(withOptimizer(trained(1)), 2 ** 24)).optimizer.iterations).toBe(2 ** 24);
  });

  it('refuses int32 values float32 would round, and negative step counts', () => {
    expect(loadError(int32Iter(withOptimizer(trained(1)), 2 ** 24 + 1))).toMatch(
      /int32 weight 'iter' holds 16777217 at flat index 0, beyond ±2\^24 where float32 .* would round it/,
    );
    expect(loadError(int32Iter(withOptimizer(trained(1)), -1))).toMatch(
      /`iter` must be a scalar non-negative integer, received -1/,
    );
  });

  it('refuses int32 model weights and other dtypes, naming the field', () => {
    const artifacts = withOptimizer(trained(1));
    const dtype = (index: number, value: string) => ({
      ...artifacts,
      weightSpecs: artifacts.weightSpecs.map((s, i) => (i === index ? { ...s, dtype: value } : s)),
    });
    expect(loadError(dtype(0, 'int32'))).toBe(
      "mem/model.json: `weightSpecs[0].dtype` of weight 'd1/kernel' must be 'float32', received 'int32' " +
        "(int32 is accepted only in the 'optimizer' group, where tfjs writes the optimizer's `iter`)",
    );
    expect(loadError(dtype(4, 'float16'))).toBe(
      "mem/model.json: `weightSpecs[4].dtype` of weight 'iter' must be 'float32', received 'float16'",
    );
    expect(loadError(dtype(5, 'bool'))).toMatch(
      /`weightSpecs\[5\]\.dtype` of weight 'd1\/kernel\/m' must be 'float32', received 'bool'$/,
    );
  });
});
