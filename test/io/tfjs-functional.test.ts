/**
 * Functional models between TensorFlow.js 4.22 and cnnlab, both ways: tfjs builds ResNet- and MobileNetV2-style
 * graphs with `tf.input` / `tf.model` and saves them, cnnlab loads them and predicts what tfjs predicts; cnnlab
 * saves a residual graph and tfjs (`tf.loadLayersModel(tf.io.fromMemory(…))`) predicts what cnnlab predicts.
 * Expected values are tfjs's own predictions on the same inputs and weights.
 */
import { describe, expect, it } from 'vitest';
import { input, layers, Model, model, modelFromArtifacts, modelToArtifacts, Random } from '../../src/index.js';
import { joinWeightData } from '../../src/io/weights.js';
import { expectClose, tf } from '../helpers/tfjs.js';
import { input as randomInput, randomizeWeights } from './models.js';

/** The artifacts tfjs's own `model.save` produces. */
async function tfjsArtifacts(net: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await net.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (saved === null) throw new Error('tfjs saved nothing');
  return saved;
}

/** Seeded weights in [-0.3, 0.3) (moving variances in [0.5, 1.5)), so nothing equals its initializer. */
function randomizeTfjs(net: tf.LayersModel, seed: number): void {
  const random = new Random(seed);
  net.setWeights(
    net.weights.map((w) => {
      const [lo, hi] = w.name.includes('moving_variance') ? [0.5, 1.5] : [-0.3, 0.3];
      const size = w.shape.reduce<number>((n, d) => n * (d ?? 1), 1);
      return tf.tensor(
        Float32Array.from({ length: size }, () => random.uniform(lo, hi)),
        w.shape.map((d) => d ?? 1),
      );
    }),
  );
}

function tfjsPredict(net: tf.LayersModel, x: ReturnType<typeof randomInput>): Float32Array {
  const y = net.predict(tf.tensor(x.dataSync(), [...x.shape]));
  if (Array.isArray(y)) throw new Error('expected one output');
  return y.dataSync() as Float32Array;
}

/** conv → batch norm (→ relu): the unit ResNet repeats; `p` prefixes the layer names. */
function convBn(p: string, x: tf.SymbolicTensor, filters: number, kernelSize: number, strides = 1): tf.SymbolicTensor {
  const conv = tf.layers.conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false, name: `${p}_conv` });
  return tf.layers.batchNormalization({ name: `${p}_bn` }).apply(conv.apply(x)) as tf.SymbolicTensor;
}
const relu = (name: string, x: tf.SymbolicTensor): tf.SymbolicTensor =>
  tf.layers.activation({ activation: 'relu', name }).apply(x) as tf.SymbolicTensor;
const addOf = (name: string, xs: tf.SymbolicTensor[]): tf.SymbolicTensor =>
  tf.layers.add({ name }).apply(xs) as tf.SymbolicTensor;

/** A small ResNet: stem, an identity block, a block with a 1×1 stride-2 projection shortcut, pooling, softmax. */
function tfjsResNet(): tf.LayersModel {
  const x = tf.input({ shape: [8, 8, 3], name: 'res_in' });
  const stem = relu('stem_relu', convBn('stem', x, 8, 3));
  const a = convBn('b1b', relu('b1a_relu', convBn('b1a', stem, 8, 3)), 8, 3);
  const block1 = relu('b1_out', addOf('b1_add', [a, stem]));
  const b = convBn('b2b', relu('b2a_relu', convBn('b2a', block1, 16, 3, 2)), 16, 3);
  const shortcut = convBn('b2_proj', block1, 16, 1, 2);
  const block2 = relu('b2_out', addOf('b2_add', [b, shortcut]));
  const pooled = tf.layers.globalAveragePooling2d({ name: 'res_pool' }).apply(block2) as tf.SymbolicTensor;
  const y = tf.layers.dense({ units: 5, activation: 'softmax', name: 'res_head' }).apply(pooled) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: y, name: 'resnet_style' });
}

/**
 * A small MobileNetV2: inverted residual blocks (1×1 expand, 3×3 depthwise, 1×1 linear projection) with ReLU6 layers.
 */
function tfjsMobileNet(): tf.LayersModel {
  const relu6 = (name: string, x: tf.SymbolicTensor): tf.SymbolicTensor =>
    tf.layers.reLU({ maxValue: 6, name }).apply(x) as tf.SymbolicTensor;
  const depthwiseBn = (p: string, x: tf.SymbolicTensor, strides: number): tf.SymbolicTensor => {
    const depthwise = tf.layers.depthwiseConv2d({ kernelSize: 3, strides, padding: 'same', useBias: false, name: p });
    return tf.layers.batchNormalization({ name: `${p}_bn` }).apply(depthwise.apply(x)) as tf.SymbolicTensor;
  };
  const block = (p: string, x: tf.SymbolicTensor, out: number, strides: number): tf.SymbolicTensor => {
    const channels = x.shape[3] ?? 1;
    const expanded = relu6(`${p}_expand_relu`, convBn(`${p}_expand`, x, channels * 4, 1));
    const spatial = relu6(`${p}_dw_relu`, depthwiseBn(`${p}_dw`, expanded, strides));
    const projected = convBn(`${p}_project`, spatial, out, 1);
    return strides === 1 && out === channels ? addOf(`${p}_add`, [x, projected]) : projected;
  };
  const x = tf.input({ shape: [8, 8, 4], name: 'mb_in' });
  const h = block('mb2', block('mb1', x, 4, 1), 8, 2);
  const pooled = tf.layers.globalAveragePooling2d({ name: 'mb_pool' }).apply(h) as tf.SymbolicTensor;
  const y = tf.layers.dense({ units: 3, activation: 'softmax', name: 'mb_head' }).apply(pooled) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: y, name: 'mobilenet_v2_style' });
}

/** cnnlab's residual graph: conv stem, a block added to its input, a concatenated branch, pooling, softmax. */
function cnnlabResidual(): Model {
  const x = input({ shape: [6, 6, 2], name: 'in' });
  const stem = layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'stem' }).apply(x);
  const h = layers
    .batchNormalization({ name: 'bn' })
    .apply(layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'c1' }).apply(stem));
  const block = layers
    .activation({ activation: 'relu', name: 'out_relu' })
    .apply(layers.add({ name: 'add' }).apply([h, stem]));
  const branch = layers.conv2d({ filters: 2, kernelSize: 1, name: 'branch' }).apply(x);
  const joined = layers.concatenate({ name: 'cat' }).apply([block, branch]);
  const pooled = layers.globalAveragePooling2d({ name: 'pool' }).apply(joined);
  const y = layers.dense({ units: 3, activation: 'softmax', name: 'head' }).apply(pooled);
  const net = model({ inputs: x, outputs: y, name: 'cnnlab_residual' });
  randomizeWeights(net, 5);
  return net;
}

describe('functional models and TensorFlow.js', () => {
  for (const [name, build, shape] of [
    ['a ResNet-style network (identity and projection shortcuts)', tfjsResNet, [4, 8, 8, 3]],
    ['a MobileNetV2-style network (inverted residuals, ReLU6)', tfjsMobileNet, [4, 8, 8, 4]],
  ] as const) {
    it(`cnnlab loads ${name} saved by tfjs and predicts the same within 1e-5`, async () => {
      const theirs = build();
      randomizeTfjs(theirs, 11);
      const artifacts = await tfjsArtifacts(theirs);
      const ours = modelFromArtifacts(artifacts, 'tfjs.json');
      expect(ours).toBeInstanceOf(Model);
      expect(new Set(ours.layers.map((l) => l.name))).toEqual(new Set(theirs.layers.map((l) => l.name)));
      expect(ours.countParams()).toBe(theirs.countParams());
      const x = randomInput(shape, 12);
      expectClose(ours.predict(x).dataSync(), tfjsPredict(theirs, x), 0, 1e-5);
    });
  }

  it('tfjs loads a residual network saved by cnnlab and predicts the same within 1e-5', async () => {
    const ours = cnnlabResidual();
    const artifacts = modelToArtifacts(ours);
    const theirs = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: artifacts.modelTopology,
        weightSpecs: artifacts.weightSpecs,
        weightData: joinWeightData(artifacts.weightData, 'test'),
      }),
    );
    expect(theirs.layers.map((l) => l.name).sort()).toEqual(ours.layers.map((l) => l.name).sort());
    const x = randomInput([3, 6, 6, 2], 13);
    expectClose(tfjsPredict(theirs, x), ours.predict(x).dataSync(), 0, 1e-5);
  });
});
