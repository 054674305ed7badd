/**
 * Interoperability with TensorFlow.js 4.22 (the independent oracle): the topology JSON we write equals tfjs's
 * for the same layers, tfjs loads and runs our files, and we load and run tfjs's (and the Keras converter's
 * variants of them) with the same predictions.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { layers, Random, sequential } from '../../src/index.js';
import { modelFromArtifacts, modelToArtifacts, modelToTopology } from '../../src/index.js';
import { joinWeightData } from '../../src/io/weights.js';
import { loadLayersModel, saveModel } from '../../src/node/io/index.js';
import { expectClose, tf } from '../helpers/tfjs.js';
import { everyLayerModel, input, randomizeWeights, singleInputLayersModel, weightValues } from './models.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cnnlab-tfjs-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** The artifacts tfjs's own `model.save` produces. */
async function tfjsArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (saved === null) throw new Error('tfjs saved nothing');
  return saved;
}

/** The tfjs twin of `everyLayerModel(name, true)`: same names and options (initializers spelled out). */
function tfjsTwin(name: string): tf.Sequential {
  return tf.sequential({
    name,
    layers: [
      tf.layers.inputLayer({ inputShape: [6, 6, 2], name: 'input' }),
      tf.layers.conv2d({
        filters: 3,
        kernelSize: 3,
        padding: 'same',
        activation: 'hardSigmoid',
        name: 'conv2d',
        kernelInitializer: tf.initializers.varianceScaling({
          mode: 'fanAvg',
          distribution: 'truncatedNormal',
          seed: 1,
        }),
        kernelRegularizer: tf.regularizers.l2({ l2: 0.01 }),
        kernelConstraint: tf.constraints.maxNorm({ maxValue: 2 }),
      }),
      tf.layers.batchNormalization({ momentum: 0.9, name: 'batch_normalization' }),
      tf.layers.zeroPadding2d({ padding: 1, name: 'zero_padding2d' }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'max_pooling2d' }),
      tf.layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same', name: 'average_pooling2d' }),
      tf.layers.dropout({ rate: 0.1, name: 'dropout' }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.reshape({ targetShape: [4, 4, 3], name: 'unflatten' }),
      tf.layers.globalAveragePooling2d({ name: 'global_average_pooling2d' }),
      tf.layers.reshape({ targetShape: [1, 1, 3], name: 'reshape' }),
      tf.layers.globalMaxPooling2d({ name: 'global_max_pooling2d' }),
      tf.layers.dense({ units: 4, activation: 'selu', name: 'dense', kernelInitializer: 'glorotUniform' }),
      tf.layers.activation({ activation: 'softmax', name: 'activation' }),
    ],
  });
}

/**
 * Fields where our layers' configs still differ from tfjs's (reported to the layers' owners): tfjs's InputLayer
 * writes `sparse` and no `trainable`; its ZeroPadding2D writes `data_format`. Removed from both sides.
 */
const KNOWN_DIFFERENCES: Readonly<Record<string, readonly string[]>> = {
  InputLayer: ['sparse', 'trainable'],
  ZeroPadding2D: ['data_format'],
};

function withoutKnownDifferences(topology: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(topology)) as {
    config: { layers: { class_name: string; config: Record<string, unknown> }[] };
  };
  for (const layer of copy.config.layers) {
    const differences = KNOWN_DIFFERENCES[layer.class_name] ?? [];
    layer.config = Object.fromEntries(Object.entries(layer.config).filter(([key]) => !differences.includes(key)));
  }
  return copy;
}

/** A small conv net with BatchNormalization, trained one step by tfjs so the moving statistics move. */
async function trainedTfjsConvNet(): Promise<tf.Sequential> {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [6, 6, 2],
        filters: 4,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
      }),
      tf.layers.batchNormalization({ momentum: 0.5 }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({
        units: 3,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }),
      }),
    ],
  });
  model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
  const x = tf.tensor(input([8, 6, 6, 2], 21).dataSync(), [8, 6, 6, 2]);
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3);
  await model.trainOnBatch(x, y);
  return model;
}

function tfjsPredict(model: tf.LayersModel, x: ReturnType<typeof input>): Float32Array {
  const y = model.predict(tf.tensor(x.dataSync(), [...x.shape]));
  if (Array.isArray(y)) throw new Error('expected one output');
  return y.dataSync() as Float32Array;
}

/** The tfjs twin of `singleInputLayersModel()`: the same layers and options, written by tfjs 4.22. */
function singleInputLayersTfjsTwin(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.inputLayer({ inputShape: [6, 6, 2] }),
      tf.layers.rescaling({ scale: 0.5, offset: 0.1 }),
      tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }),
      tf.layers.reLU({ maxValue: 6 }),
      tf.layers.separableConv2d({ filters: 3, kernelSize: 3 }),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2 }),
      tf.layers.cropping2D({
        cropping: [
          [1, 0],
          [0, 1],
        ],
      }),
      tf.layers.upSampling2d({ size: [1, 2], interpolation: 'bilinear' }),
      tf.layers.layerNormalization(),
      tf.layers.prelu({ sharedAxes: [1, 2] }),
      tf.layers.elu(),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: 3 }),
      tf.layers.softmax({ axis: -1 }),
    ],
  });
}

describe('TensorFlow.js interoperability', () => {
  it('writes the same modelTopology as tfjs for the same layers', async () => {
    const ours = modelToTopology(everyLayerModel('twin', true));
    const theirs = (await tfjsArtifacts(tfjsTwin('twin'))).modelTopology;
    expect(withoutKnownDifferences(ours)).toEqual(withoutKnownDifferences(theirs));
  });

  it('tfjs loads a model cnnlab saved to files and predicts the same within 1e-5', async () => {
    const model = everyLayerModel('to_tfjs', true);
    randomizeWeights(model, 7);
    const dir = await tempDir();
    await saveModel(model, `file://${dir}`);
    const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as {
      modelTopology: object;
      weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
    };
    const [group] = json.weightsManifest;
    const bytes = await readFile(path.join(dir, group?.paths[0] ?? ''));
    const loaded = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: group?.weights,
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      }),
    );
    expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    const x = input([4, 6, 6, 2], 8);
    expectClose(tfjsPredict(loaded, x), model.predict(x).dataSync(), 0, 1e-5);
  });

  it('cnnlab loads a trained tfjs conv net with BatchNormalization (memory, files, shards) and predicts the same within 1e-5', async () => {
    const model = await trainedTfjsConvNet();
    const movingMean = model.layers[1]?.getWeights()[2]?.dataSync() ?? [];
    expect(Array.from(movingMean).some((v) => Math.abs(v) > 1e-3)).toBe(true); // the training step moved it off zeros
    const artifacts = await tfjsArtifacts(model);
    const x = input([5, 6, 6, 2], 9);
    const expected = tfjsPredict(model, x);

    expectClose(modelFromArtifacts(artifacts).predict(x).dataSync(), expected, 0, 1e-5);

    // On disk as tfjs writes it, with the weights split over three shard files.
    const data = new Uint8Array(joinWeightData(artifacts.weightData, 'test'));
    const cut = [0, 100, 400, data.byteLength];
    const paths = [1, 2, 3].map((i) => `group1-shard${i}of3.bin`);
    const dir = await tempDir();
    await Promise.all(paths.map((p, i) => writeFile(path.join(dir, p), data.subarray(cut[i], cut[i + 1]))));
    await writeFile(
      path.join(dir, 'model.json'),
      JSON.stringify({
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths, weights: artifacts.weightSpecs }],
      }),
    );
    const loaded = await loadLayersModel(`file://${dir}/model.json`);
    expectClose(loaded.predict(x).dataSync(), expected, 0, 1e-5);
    expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
  });

  it('loads the Keras converter forms of the same model: model_config wrapper, InputLayer, axis [3], batch_shape, scoped names', async () => {
    const model = await trainedTfjsConvNet();
    const artifacts = await tfjsArtifacts(model);
    const x = input([3, 6, 6, 2], 10);
    const expected = tfjsPredict(model, x);
    const topology = JSON.parse(JSON.stringify(artifacts.modelTopology)) as {
      config: { name: string; layers: { class_name: string; config: Record<string, unknown> }[] };
    };
    const layers = topology.config.layers;
    const first = layers[0]?.config ?? {};
    const batchShape = first.batch_input_shape;
    delete first.batch_input_shape;
    const bn = layers.find((l) => l.class_name === 'BatchNormalization');
    if (bn !== undefined) bn.config.axis = [3]; // Keras 2 writes the built, positive axis list
    // What Keras 2's Sequential.get_config writes: an explicit InputLayer first; the converter wraps it in
    // model_config.
    const keras2 = [
      {
        class_name: 'InputLayer',
        config: { batch_input_shape: batchShape, dtype: 'float32', sparse: false, ragged: false, name: 'conv2d_input' },
      },
      ...layers,
    ];
    const specs = (artifacts.weightSpecs ?? []).map((s) => ({ ...s, name: `sequential/${s.name}:0` }));
    const forms = [
      {
        keras_version: '2.15.0',
        backend: 'tensorflow',
        model_config: { class_name: 'Sequential', config: { name: 'k', layers: keras2 } },
      },
      { class_name: 'Sequential', config: keras2, keras_version: '2.1.6', backend: 'tensorflow' }, // old Keras: config is the list
      {
        class_name: 'Sequential',
        config: {
          name: 'k3',
          layers: [
            { class_name: 'InputLayer', config: { batch_shape: batchShape, dtype: 'float32', name: 'in' } },
            ...layers,
          ],
        },
      },
    ];
    for (const modelTopology of forms) {
      const loaded = modelFromArtifacts({
        modelTopology,
        weightSpecs: specs,
        weightData: artifacts.weightData,
        format: 'layers-model',
      });
      expectClose(loaded.predict(x).dataSync(), expected, 0, 1e-5);
    }
  });

  it('cnnlab loads a tfjs model of the single-input layers (DepthwiseConv2D … Rescaling) and predicts the same within 1e-5', async () => {
    const twin = singleInputLayersTfjsTwin();
    const random = new Random(12);
    twin.setWeights(
      twin.getWeights().map((w) =>
        tf.tensor(
          Float32Array.from({ length: w.size }, () => random.uniform(-1, 1.5)),
          w.shape,
        ),
      ),
    );
    const artifacts = await tfjsArtifacts(twin);
    const loaded = modelFromArtifacts(artifacts);
    expect(loaded.layers.map((l) => l.className)).toEqual(singleInputLayersModel().layers.map((l) => l.className));
    const x = input([3, 6, 6, 2], 13);
    expectClose(loaded.predict(x).dataSync(), tfjsPredict(twin, x), 0, 1e-5);
  });

  it('tfjs loads the single-input layers model cnnlab writes and predicts the same within 1e-5', async () => {
    const model = singleInputLayersModel('to_tfjs_single');
    randomizeWeights(model, 14);
    const artifacts = modelToArtifacts(model);
    const loaded = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: artifacts.modelTopology,
        weightSpecs: artifacts.weightSpecs,
        weightData: joinWeightData(artifacts.weightData, 'test'),
      }),
    );
    expect(loaded.layers.map((l) => l.getClassName())).toEqual(model.layers.map((l) => l.className));
    const x = input([2, 6, 6, 2], 15);
    expectClose(tfjsPredict(loaded, x), model.predict(x).dataSync(), 0, 1e-5);
  });

  it('matches weights by order within a layer when the file uses other short names (Keras 1: W, b)', () => {
    const model = sequential({ layers: [layers.dense({ units: 2, inputShape: [3], name: 'dense' })] });
    randomizeWeights(model, 4);
    const artifacts = modelToArtifacts(model);
    const renamed = artifacts.weightSpecs.map((s, i) => ({ ...s, name: `dense/${i === 0 ? 'W' : 'b'}` }));
    const loaded = modelFromArtifacts({ ...artifacts, weightSpecs: renamed });
    expect(weightValues(loaded)).toEqual(weightValues(model));
  });
});
