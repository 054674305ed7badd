/**
 * Merge layers (Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate): central-difference gradient
 * checks of every input, and TensorFlow.js 4.22 as the oracle for forward values and input gradients (its merge
 * layers applied to the same tensors, gradients by `tf.grads` with the same probe; tfjs has no Subtract layer, so
 * `tf.sub` stands in for it).
 */
import { describe, expect, it } from 'vitest';
import { grads, input, Random, type Tensor, tensor, tidy } from '../../src/index.js';
import {
  Add,
  Average,
  Concatenate,
  Maximum,
  type MergeLayer,
  Minimum,
  Multiply,
  Subtract,
} from '../../src/layers/merge.js';
import { deserializeLayer, serializeLayer } from '../../src/layers/registry.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { expectClose, tf } from '../helpers/tfjs.js';

/**
 * `count` inputs of `shape` that require gradients, at least 0.2 apart elementwise (each input sits on its own
 * level, in an order that changes per element), so max and min have no ties within the central-difference step.
 */
function inputs(count: number, shape: readonly number[], seed: number): Tensor[] {
  const random = new Random(seed);
  const size = shape.reduce((n, d) => n * d, 1);
  const base = Float32Array.from({ length: size }, () => random.uniform(-1, 1));
  return Array.from({ length: count }, (_, k) => {
    const t = tensor(
      base.map((b, i) => b + 0.3 * ((i + k) % count) + random.uniform(-0.05, 0.05)),
      shape,
    );
    t.requiresGrad = true;
    return t;
  });
}

type TfMerge = (xs: tf.Tensor[]) => tf.Tensor;
const tfLayer =
  (layer: { apply(xs: tf.Tensor[]): tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] }): TfMerge =>
  (xs) => {
    const y = layer.apply(xs);
    if (!(y instanceof tf.Tensor)) throw new Error('expected one tensor');
    return y;
  };

const CASES: readonly { name: string; make: () => MergeLayer; count: number; tfjs: () => TfMerge }[] = [
  { name: 'Add', make: () => new Add(), count: 3, tfjs: () => tfLayer(tf.layers.add({})) },
  {
    name: 'Subtract',
    make: () => new Subtract(),
    count: 2,
    tfjs:
      () =>
      ([a, b]) =>
        tf.sub(a ?? 0, b ?? 0),
  },
  { name: 'Multiply', make: () => new Multiply(), count: 3, tfjs: () => tfLayer(tf.layers.multiply({})) },
  { name: 'Average', make: () => new Average(), count: 3, tfjs: () => tfLayer(tf.layers.average({})) },
  { name: 'Maximum', make: () => new Maximum(), count: 3, tfjs: () => tfLayer(tf.layers.maximum({})) },
  { name: 'Minimum', make: () => new Minimum(), count: 3, tfjs: () => tfLayer(tf.layers.minimum({})) },
  {
    name: 'Concatenate (channels)',
    make: () => new Concatenate(),
    count: 3,
    tfjs: () => tfLayer(tf.layers.concatenate({})),
  },
  {
    name: 'Concatenate (axis 1)',
    make: () => new Concatenate({ axis: 1 }),
    count: 2,
    tfjs: () => tfLayer(tf.layers.concatenate({ axis: 1 })),
  },
];

const SHAPE = [2, 3, 2, 2];

describe('merge layers', () => {
  for (const { name, make, count, tfjs } of CASES) {
    it(`${name}: gradients of every input by central differences`, () => {
      const xs = inputs(count, SHAPE, 1);
      const layer = make();
      expect(gradcheck(() => layer.apply(xs), xs)).toBe(count * 24);
    });

    it(`${name}: forward values and input gradients match TensorFlow.js`, () => {
      const xs = inputs(count, SHAPE, 2);
      const layer = make();
      const random = new Random(3);
      const ours = tidy(() => {
        const y = layer.apply(xs);
        const probe = Float32Array.from({ length: y.size }, () => random.uniform(-1, 1));
        const g = grads(y, xs, tensor(probe, y.shape)).map((t) => t.dataSync());
        return { y: y.dataSync(), shape: y.shape, probe, g };
      });
      const merge = tfjs();
      const tfXs = xs.map((x) => tf.tensor(x.dataSync(), [...x.shape]));
      const tfY = merge(tfXs);
      expect(tfY.shape).toEqual(ours.shape);
      expectClose(ours.y, tfY.dataSync());
      const tfGrads = tf.grads((...args: tf.Tensor[]) => merge(args))(tfXs, tf.tensor(ours.probe, tfY.shape));
      expect(tfGrads).toHaveLength(count);
      tfGrads.forEach((g, k) => expectClose(ours.g[k] ?? [], g.dataSync()));
    });
  }

  it('Concatenate keeps its axis through the config round trip and in model files', () => {
    const layer = new Concatenate({ axis: 2, name: 'joined' });
    expect(layer.getConfig()).toMatchObject({ axis: 2, name: 'joined' });
    const back = deserializeLayer(serializeLayer(layer));
    expect(back).toBeInstanceOf(Concatenate);
    expect(back.getConfig()).toEqual(layer.getConfig());
    const [a, b] = [input({ shape: [2, 3] }), input({ shape: [2, 5] })];
    expect(back.apply([a, b]).shape).toEqual([null, 2, 8]);
    expect(new Concatenate().getConfig()).toMatchObject({ axis: -1 });
    expect(() => new Concatenate({ axis: 1.5 })).toThrow(/axis/);
  });

  it('Subtract takes exactly two inputs', () => {
    const xs = inputs(3, [1, 2], 4);
    expect(() => new Subtract({ name: 'sub' }).apply(xs)).toThrow(/Subtract 'sub': takes exactly 2 inputs, received 3/);
  });
});
