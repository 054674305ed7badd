import { describe, expect, it } from 'vitest';
import { initializers, LayerNormalization, regularizers, tensor } from '../../src/index.js';
import { randomInput } from '../helpers/gradcheck.js';
import { checkLayer } from '../helpers/layer.js';
import { expectClose, tf } from '../helpers/tfjs.js';
import { expectSameAsTfjs, runTfLayer } from './tfjs-layer.js';

const seeded = (seed: number): ReturnType<typeof initializers.randomUniform> =>
  initializers.randomUniform({ minval: 0.5, maxval: 1.5, seed });

describe('LayerNormalization', () => {
  it('[2, 3, 4] → [2, 3, 4] with gamma and beta of 4: 8 parameters', () => {
    checkLayer({
      layer: new LayerNormalization({ gammaInitializer: seeded(1), betaInitializer: seeded(2) }),
      inputShape: [2, 3, 4],
      outputShape: [2, 3, 4],
      params: 8,
    });
  });

  it('rank 4, no center: [2, 2, 3, 5] with gamma only, 5 parameters; neither: no parameters', () => {
    checkLayer({
      layer: new LayerNormalization({ center: false, gammaInitializer: seeded(3) }),
      inputShape: [2, 2, 3, 5],
      outputShape: [2, 2, 3, 5],
      params: 5,
    });
    checkLayer({
      layer: new LayerNormalization({ center: false, scale: false }),
      inputShape: [3, 6],
      outputShape: [3, 6],
      params: 0,
    });
  });

  it('hand-computed: each row normalized by its own mean and biased variance, weights named as Keras', () => {
    // Rows [1, 3] (mean 2, variance 1) and [10, 14] (mean 12, variance 4) are normalized separately: [−1, 1] each.
    const layer = new LayerNormalization({ epsilon: 0, name: 'ln' });
    const y = layer.apply(tensor([1, 3, 10, 14], [2, 2]));
    Array.from(y.dataSync()).forEach((v, i) => expect(v).toBeCloseTo([-1, 1, -1, 1][i] ?? 0, 6));
    expect(layer.weights.map((w) => w.name)).toEqual(['ln/gamma', 'ln/beta']);
  });

  for (const [label, args, shape] of [
    ['rank 2, defaults', {}, [3, 5]],
    ['rank 4, epsilon 0.01', { epsilon: 0.01 }, [2, 3, 2, 4]],
  ] satisfies [string, { epsilon?: number; center?: boolean }, number[]][]) {
    it(`matches tf.layers.layerNormalization, forward and gradients: ${label}`, () => {
      const layer = new LayerNormalization({ ...args, gammaInitializer: seeded(4), betaInitializer: seeded(5) });
      const tfLayer = tf.layers.layerNormalization(args);
      expectSameAsTfjs(tfLayer, layer, randomInput(shape, 6));
      const theirs = tfLayer.getConfig();
      const ours = layer.getConfig();
      for (const key of ['epsilon', 'center', 'scale'] as const) expect(ours[key], key).toEqual(theirs[key]);
      // tfjs writes the built axis as Keras 2 does, [rank − 1], which reads back as -1.
      expect(theirs).toMatchObject({ axis: [shape.length - 1] });
      expect(LayerNormalization.fromKerasConfig({ axis: [shape.length - 1] }, shape.length).axis).toBe(ours.axis);
    });
  }

  it('matches tf.layers.layerNormalization without center (forward; tfjs cannot differentiate it without beta)', () => {
    const layer = new LayerNormalization({ center: false, gammaInitializer: seeded(7) });
    const x = randomInput([2, 3, 4], 8);
    const y = layer.apply(x);
    expectClose(y.dataSync(), runTfLayer(tf.layers.layerNormalization({ center: false }), layer, x).dataSync());
  });

  it('adds the gamma and beta penalties to regularizationLoss (hand-computed)', () => {
    const layer = new LayerNormalization({
      gammaRegularizer: regularizers.l2({ l2: 0.1 }),
      betaRegularizer: regularizers.l1({ l1: 0.5 }),
      betaInitializer: 'ones',
    });
    layer.build([null, 4]);
    // gamma: 4 ones → 0.1·4 = 0.4; beta: 4 ones → 0.5·4 = 2.
    expect(layer.regularizationLoss()?.dataSync()[0]).toBeCloseTo(2.4, 6);
  });

  it("reads Keras 2's built axis [rank − 1] as -1 and refuses any other axis", () => {
    expect(LayerNormalization.fromKerasConfig({ axis: [2] }, 3)).toEqual({ axis: -1 });
    expect(LayerNormalization.fromKerasConfig({ axis: 2 }, 3)).toEqual({ axis: -1 });
    expect(LayerNormalization.fromKerasConfig({ axis: [1] }, 3)).toEqual({ axis: [1] });
    expect(() => new LayerNormalization({ axis: 1, name: 'l0' })).toThrow(
      "LayerNormalization 'l0': `axis` must be -1 (cnnlab normalizes over the last axis only), received 1",
    );
  });

  it('rejects bad options and inputs with the standard message', () => {
    expect(() => new LayerNormalization({ epsilon: -1, name: 'l1' })).toThrow(
      "LayerNormalization 'l1': `epsilon` must be a non-negative finite number, received -1",
    );
    expect(() => new LayerNormalization({ name: 'l2' }).build([null, 3, null])).toThrow(
      "LayerNormalization 'l2': `input shape` must be rank ≥ 2 [batch, ..., features] with known features, received [null, 3, null]",
    );
  });
});
