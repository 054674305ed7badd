/**
 * Optimizer state in model files (tfjs's `includeOptimizer` layout): a saved and reloaded model trains on exactly as
 * the original does, for every optimizer; the layout matches what tfjs writes; tfjs loads our state and continues
 * the same (the independent oracle); broken state gets errors naming the field.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  layers,
  type ModelArtifacts,
  modelFromArtifacts,
  modelToArtifacts,
  optimizers,
  saveModel,
  type LayersModel,
  type Sequential,
  sequential,
  type Tensor,
  tensor,
  withSaveHandler,
} from '../../src/index.js';
import type { ArtifactsInput } from '../../src/io/index.js';
import { loadLayersModel, saveModel as saveModelToFolder } from '../../src/node/io/index.js';
import type { Optimizer } from '../../src/optimizers/index.js';
import { input, firstDifference, weightValues } from '../io/models.js';
import { expectClose, tf } from '../helpers/tfjs.js';
import { isJsonObject, jsonObjects, parseJsonObject } from '../helpers/json.js';

const COMPILE = { loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] } as const;

/** Dense 3 → 4 (tanh) → Dense 4 → 2 (softmax), seeded. */
function smallModel(optimizer: Optimizer): Sequential {
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
  model.compile({ optimizer, ...COMPILE });
  return model;
}

/** Fixed batches: x [6, 3] in [-1, 1), labels 0/1. */
const batches = [0, 1, 2, 3, 4].map((i) => ({ x: input([6, 3], 100 + i), y: tensor([0, 1, 1, 0, 1, i % 2], [6]) }));

function train(model: LayersModel, from: number, to: number): void {
  for (const { x, y } of batches.slice(from, to)) model.trainOnBatch(x, y);
}

async function saved(model: LayersModel): Promise<ModelArtifacts> {
  let artifacts: ModelArtifacts | null = null;
  await saveModel(
    model,
    withSaveHandler((a) => {
      artifacts = a;
    }),
    { includeOptimizer: true, ...COMPILE },
  );
  if (artifacts === null) throw new Error('nothing saved');
  return artifacts;
}

const OPTIMIZERS: readonly [string, () => Optimizer][] = [
  ['sgd with Nesterov momentum', () => optimizers.sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true })],
  ['adam (amsgrad)', () => optimizers.adam({ learningRate: 0.05, amsgrad: true })],
  [
    'adam with a schedule and clipNorm',
    () =>
      optimizers.adam({
        learningRate: optimizers.exponentialDecay({ initialLearningRate: 0.05, decaySteps: 2, decayRate: 0.5 }),
        clipNorm: 0.5,
      }),
  ],
  ['adamw', () => optimizers.adamw({ learningRate: 0.05, weightDecay: 0.1 })],
  ['rmsprop (centered, momentum)', () => optimizers.rmsprop({ learningRate: 0.05, centered: true, momentum: 0.5 })],
  ['adagrad', () => optimizers.adagrad({ learningRate: 0.1 })],
  ['adadelta', () => optimizers.adadelta({ learningRate: 1 })],
  ['adamax', () => optimizers.adamax({ learningRate: 0.05 })],
  ['nadam', () => optimizers.nadam({ learningRate: 0.05 })],
];

describe('optimizer state in model files', () => {
  it.each(OPTIMIZERS)('%s: a reloaded model trains on bit for bit as the original', async (_, make) => {
    const original = smallModel(make());
    train(original, 0, 3);
    const withoutState = modelToArtifacts(original);
    const loaded = modelFromArtifacts(await saved(original), 'memory');
    expect(loaded.optimizer.className).toBe(original.optimizer.className);
    expect(loaded.optimizer.getConfig()).toEqual(original.optimizer.getConfig());
    expect(loaded.optimizer.iterations).toBe(3);
    train(original, 3, 5);
    train(loaded, 3, 5);
    expect(firstDifference(weightValues(loaded), weightValues(original))).toBe('none');
    // The same weights with a fresh optimizer end elsewhere: the saved state mattered.
    const fresh = modelFromArtifacts(withoutState, 'memory');
    fresh.compile({ optimizer: make(), ...COMPILE });
    train(fresh, 3, 5);
    expect(firstDifference(weightValues(fresh), weightValues(original))).not.toBe('none');
  });

  it('on disk: model.json carries the trainingConfig and the Node loader restores the optimizer', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cnnlab-opt-'));
    try {
      const original = smallModel(optimizers.rmsprop({ learningRate: 0.05, momentum: 0.5 }));
      train(original, 0, 3);
      await saveModelToFolder(original, dir, { includeOptimizer: true, ...COMPILE });
      const json = parseJsonObject(await readFile(path.join(dir, 'model.json'), 'utf8'));
      expect(json.trainingConfig).toEqual({
        loss: 'sparse_categorical_crossentropy',
        metrics: ['accuracy'],
        optimizer_config: { class_name: 'RMSProp', config: original.optimizer.getConfig() },
      });
      const [group] = jsonObjects(json.weightsManifest, 'weightsManifest');
      const weights = jsonObjects(group?.weights, 'weightsManifest[0].weights');
      expect(weights.filter((w) => w.group === 'optimizer').map((w) => w.name)).toEqual([
        'iter',
        'd1/kernel/rms',
        'd1/bias/rms',
        'd2/kernel/rms',
        'd2/bias/rms',
        'd1/kernel/momentum',
        'd1/bias/momentum',
        'd2/kernel/momentum',
        'd2/bias/momentum',
      ]);
      const loaded = await loadLayersModel(`file://${dir}/model.json`);
      train(original, 3, 5);
      train(loaded, 3, 5);
      expect(firstDifference(weightValues(loaded), weightValues(original))).toBe('none');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('without includeOptimizer nothing of the optimizer is written, and the loaded model is not compiled', async () => {
    const model = smallModel(optimizers.adam());
    train(model, 0, 1);
    const artifacts = modelToArtifacts(model);
    expect(artifacts.trainingConfig).toBeUndefined();
    expect(artifacts.weightSpecs.map((s) => s.name)).toEqual(['d1/kernel', 'd1/bias', 'd2/kernel', 'd2/bias']);
    expect(() => modelFromArtifacts(artifacts).optimizer).toThrow(/call compile\(\) before optimizer\(\)/);
  });

  it('lays the state out as tfjs does: specs after the model\'s in group "optimizer", and a trainingConfig', async () => {
    const ours = smallModel(optimizers.adam({ learningRate: 0.01 }));
    train(ours, 0, 1);
    const theirs = tf.sequential({
      layers: [
        tf.layers.dense({ units: 4, inputShape: [3], activation: 'tanh', name: 'd1' }),
        tf.layers.dense({ units: 2, activation: 'softmax', name: 'd2' }),
      ],
    });
    theirs.compile({ optimizer: tf.train.adam(0.01), loss: COMPILE.loss, metrics: ['accuracy'] });
    await theirs.trainOnBatch(
      tf.tensor(batches[0]?.x.dataSync() ?? [], [6, 3]),
      tf.tensor(batches[0]?.y.dataSync() ?? [], [6]),
    );
    let tfjsSaved: tf.io.ModelArtifacts | null = null;
    await theirs.save(
      tf.io.withSaveHandler(async (a) => {
        tfjsSaved = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
      { includeOptimizer: true },
    );
    const expected: tf.io.ModelArtifacts = tfjsSaved ?? {};
    const artifacts = await saved(ours);
    // tfjs writes `iter` as int32; we write float32 (tfjs reads either). Everything else is the same.
    const layout = (specs: readonly { name: string; shape?: readonly number[]; group?: string }[] | undefined) =>
      (specs ?? []).map((s) => ({ name: s.name, shape: s.shape, group: s.group }));
    expect(layout(artifacts.weightSpecs)).toEqual(layout(expected.weightSpecs));
    expect(artifacts.weightSpecs.find((s) => s.name === 'iter')?.dtype).toBe('float32');
    const { optimizer_config: ourOptimizer, ...ourRest } = artifacts.trainingConfig ?? {};
    const { optimizer_config: theirOptimizer, ...theirRest } = (expected.trainingConfig ?? {}) as Record<
      string,
      unknown
    >;
    expect(ourRest).toEqual(theirRest);
    expect(ourOptimizer).toMatchObject(theirOptimizer ?? {}); // ours adds `amsgrad: false`
  });

  it('tfjs loads our optimizer state and its next step agrees with ours within 1e-5 (oracle)', async () => {
    const ours = smallModel(optimizers.adam({ learningRate: 0.05 }));
    train(ours, 0, 3);
    const artifacts = await saved(ours);
    const plain = modelToArtifacts(ours);
    const { trainingConfig } = artifacts;
    if (!isTfTrainingConfig(trainingConfig)) throw new Error('saved() wrote no trainingConfig with a loss');
    const theirs = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: artifacts.modelTopology,
        weightSpecs: [...artifacts.weightSpecs],
        weightData: artifacts.weightData,
        trainingConfig,
      }),
    );
    expect(theirs.optimizer.iterations).toBe(3);
    const next = batches[3];
    if (next === undefined) throw new Error('no batch');
    ours.trainOnBatch(next.x, next.y);
    await theirs.trainOnBatch(tf.tensor(next.x.dataSync(), [6, 3]), tf.tensor(next.y.dataSync(), [6]));
    const theirWeights = theirs.getWeights().map((w) => w.dataSync());
    weightValues(ours).forEach((w, i) => expectClose(w, theirWeights[i] ?? [], 1e-5, 1e-6));
    // tfjs starting from fresh moments would not agree: Adam's first step moves every weight by about lr.
    const restarted = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: plain.modelTopology,
        weightSpecs: [...plain.weightSpecs],
        weightData: plain.weightData,
      }),
    );
    restarted.compile({ optimizer: tf.train.adam(0.05), loss: 'sparseCategoricalCrossentropy' });
    await restarted.trainOnBatch(tf.tensor(next.x.dataSync(), [6, 3]), tf.tensor(next.y.dataSync(), [6]));
    expect(() =>
      expectClose(weightValues(ours)[0] ?? [], restarted.getWeights()[0]?.dataSync() ?? [], 1e-5, 1e-6),
    ).toThrow(/mismatch/);
  });
});

/** Whether `value` can pass as tfjs's TrainingConfig: an object with a string `loss` (tfjs checks the rest). */
function isTfTrainingConfig(value: unknown): value is tf.io.TrainingConfig {
  return isJsonObject(value) && typeof value.loss === 'string';
}

type EditableSpec = { name: string; shape: number[]; dtype: 'float32' | 'int32'; group?: string };

/** Our saved artifacts with edits applied to copies of the specs, the data and the trainingConfig. */
async function edited(
  edit: (specs: EditableSpec[], data: Float32Array, config: Record<string, unknown>) => void,
): Promise<ArtifactsInput> {
  const model = smallModel(optimizers.adam());
  train(model, 0, 2);
  const artifacts = await saved(model);
  const specs = artifacts.weightSpecs.map((s) => ({ ...s, shape: [...s.shape] }));
  const data = new Float32Array(artifacts.weightData.slice(0));
  const config = parseJsonObject(JSON.stringify(artifacts.trainingConfig));
  edit(specs, data, config);
  return { ...artifacts, weightSpecs: specs, weightData: data.buffer, trainingConfig: config };
}

/** The index of a weight's first value in the data (all float32). */
function offsetOf(name: string, specs: readonly EditableSpec[]): number {
  const index = specs.findIndex((s) => s.name === name);
  return specs.slice(0, index).reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
}

function loadError(artifacts: ArtifactsInput): Error {
  let caught: unknown = null;
  try {
    modelFromArtifacts(artifacts, 'ckpt/model.json');
  } catch (error) {
    caught = error;
  }
  if (!(caught instanceof Error)) throw new Error('expected the load to fail');
  expect(caught).not.toBeInstanceOf(TypeError);
  expect(caught.message.startsWith('ckpt/model.json: ')).toBe(true);
  return caught;
}

describe('broken optimizer state', () => {
  it('refuses includeOptimizer on a model that was never compiled', async () => {
    const model = sequential({ layers: [layers.dense({ units: 2, inputShape: [3] })] });
    await expect(
      saveModel(
        model,
        withSaveHandler(() => undefined),
        { includeOptimizer: true, loss: 'mse' },
      ),
    ).rejects.toThrow(/call compile\(\) before optimizer\(\)/);
  });

  it('names the trainingConfig field that is wrong', async () => {
    expect(
      loadError(
        await edited((_, __, c) => {
          c.loss = 'constructor';
        }),
      ).message,
    ).toMatch(/`trainingConfig.loss`: unknown loss 'constructor'/i);
    expect(
      loadError(
        await edited((_, __, c) => {
          c.loss = 3;
        }),
      ).message,
    ).toMatch(/`trainingConfig.loss` must be a string, received 3/);
    expect(
      loadError(
        await edited((_, __, c) => {
          c.metrics = ['accuracy', 7];
        }),
      ).message,
    ).toMatch(/`trainingConfig.metrics\[1\]` must be a string/);
    expect(
      loadError(
        await edited((_, __, c) => {
          c.optimizer_config = { class_name: 'Frobnicate', config: {} };
        }),
      ).message,
    ).toMatch(/`trainingConfig.optimizer_config`: .*unknown optimizer 'Frobnicate'; known optimizers: sgd, adam/);
    expect(
      loadError(
        await edited((_, __, c) => {
          c.optimizer_config = { class_name: 'Adam', config: { beta1: 'x' } };
        }),
      ).message,
    ).toMatch(/`trainingConfig.optimizer_config`: .*`beta1` must be a number, received "x"/);
    expect(
      loadError(
        await edited((_, __, c) => {
          c.loss_weights = [1];
        }),
      ).message,
    ).toMatch(/`trainingConfig.loss_weights` is not supported/);
  });

  it('names the optimizer weight that does not fit', async () => {
    const at = (name: string, specs: { name: string }[]): number => specs.findIndex((s) => s.name === name);
    expect(
      loadError(
        await edited((s) => {
          const i = at('d1/kernel/m', s);
          if (s[i]) s[i].shape = [4, 3];
        }),
      ).message,
    ).toMatch(/weight 'd1\/kernel\/m' has shape \[4, 3\], expected \[3, 4\] for slot 'd1\/kernel\/m'/);
    expect(
      loadError(
        await edited((s) => {
          const i = at('d2/bias/v', s);
          if (s[i]) s[i].name = 'd3/bias/v';
        }),
      ).message,
    ).toMatch(/optimizer weight 'd3\/bias\/v' belongs to 'd3\/bias', which is not a weight of model 'small'/);
    expect(
      loadError(
        await edited((s) => {
          const i = at('d1/bias/m', s);
          const j = at('d1/kernel/m', s);
          const [a, b] = [s[i], s[j]];
          if (a && b) [s[i], s[j]] = [b, a];
        }),
      ).message,
    ).toMatch(
      /optimizer weight 'd1\/kernel\/v' is out of order: position 5 of the optimizer group must belong to 'd1\/bias'/,
    );
    expect(
      loadError(
        await edited((s) => {
          const i = at('d1/kernel/m', s);
          const j = at('d1/kernel/v', s);
          const [a, b] = [s[i], s[j]];
          if (a && b) [s[i], s[j]] = [b, a];
        }),
      ).message,
    ).toMatch(
      /optimizer weight 'd1\/kernel\/v' is at position 2 of the optimizer group, where Adam keeps 'd1\/kernel\/m'/,
    );
    expect(
      loadError(
        await edited((s) => {
          const i = at('iter', s);
          if (s[i]) s[i].name = 'step';
        }),
      ).message,
    ).toMatch(/the optimizer group must start with 'iter', received 'step'/);
    expect(
      loadError(
        await edited((s, d) => {
          d[offsetOf('iter', s)] = 1.5;
        }),
      ).message,
    ).toMatch(/`optimizer weights`: adam.setWeights: `iter` must be a scalar non-negative integer, received 1.5/);
    expect(
      loadError(
        await edited((s, d) => {
          d[offsetOf('d1/kernel/m', s)] = Number.NaN;
        }),
      ).message,
    ).toMatch(/weight 'd1\/kernel\/m' holds a non-finite value \(NaN\) at flat index 0/);
  });

  it('ignores optimizer weights without a trainingConfig, as tfjs does', async () => {
    const artifacts = await edited(() => undefined);
    const loaded = modelFromArtifacts({ ...artifacts, trainingConfig: undefined });
    expect(() => loaded.optimizer).toThrow(/call compile\(\)/);
    const weights: Tensor[] = loaded.getWeights();
    expect(weights.length).toBe(4);
  });
});
