import { describe, expect, it } from 'vitest';
import {
  deserializeLayer,
  ELU,
  initializers,
  LeakyReLU,
  PReLU,
  ReLU,
  Rescaling,
  type SerializedLayer,
  Softmax,
  tensor,
} from '../../src/index.js';
import { randomInput } from '../helpers/gradcheck.js';
import { checkLayer } from '../helpers/layer.js';
import { tf } from '../helpers/tfjs.js';
import { expectSameAsTfjs } from './tfjs-layer.js';

const values = (layer: { apply(x: ReturnType<typeof tensor>): ReturnType<typeof tensor> }, x: number[]): number[] =>
  Array.from(layer.apply(tensor(x, [1, x.length])).dataSync());

describe('ReLU', () => {
  it('defaults (plain relu), ReLU6 and the general form keep the input shape and have no parameters', () => {
    checkLayer({ layer: new ReLU(), inputShape: [2, 3, 4], outputShape: [2, 3, 4], params: 0 });
    checkLayer({
      layer: new ReLU({ maxValue: 6 }),
      inputShape: [2, 5],
      outputShape: [2, 5],
      params: 0,
      inputRange: [-8, 8],
    });
    checkLayer({
      layer: new ReLU({ maxValue: 0.5, negativeSlope: 0.1, threshold: 0.2 }),
      inputShape: [2, 2, 3, 2],
      outputShape: [2, 2, 3, 2],
      params: 0,
    });
  });

  it("hand-computed, Keras' form: max above maxValue, x from the threshold, negativeSlope·(x − threshold) below", () => {
    const general = new ReLU({ maxValue: 0.5, negativeSlope: 0.1, threshold: 0.2 });
    const got = values(general, [-1, 0.1, 0.3, 0.9]);
    [-0.12, -0.01, 0.3, 0.5].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 6));
    expect(values(new ReLU({ negativeSlope: 0.2 }), [-2, 3])).toEqual([Math.fround(-0.4), 3]);
    expect(values(new ReLU({ maxValue: 6 }), [-1, 3, 7])).toEqual([0, 3, 6]);
    expect(values(new ReLU({ maxValue: 2 }), [-1, 1, 7])).toEqual([0, 1, 2]);
    expect(values(new ReLU({ threshold: 1 }), [0.5, 2])).toEqual([0, 2]);
  });

  for (const maxValue of [undefined, 6, 1.5]) {
    it(`matches tf.layers.reLU, forward and gradients: maxValue ${String(maxValue)}`, () => {
      const layer = new ReLU(maxValue === undefined ? {} : { maxValue });
      const tfLayer = tf.layers.reLU(maxValue === undefined ? {} : { maxValue });
      expectSameAsTfjs(tfLayer, layer, randomInput([2, 3, 4], 5, -8, 8));
      expect(layer.getConfig().maxValue ?? undefined).toEqual(tfLayer.getConfig().maxValue);
    });
  }

  it('writes every Keras option, and rejects bad ones with the standard message', () => {
    expect(new ReLU().getConfig()).toMatchObject({ maxValue: null, negativeSlope: 0, threshold: 0 });
    expect(() => new ReLU({ negativeSlope: -1, name: 'r0' })).toThrow(
      "ReLU 'r0': `negativeSlope` must be a non-negative finite number, received -1",
    );
    expect(() => new ReLU({ maxValue: -6, name: 'r1' })).toThrow(
      "ReLU 'r1': `maxValue` must be a non-negative finite number, received -6",
    );
    expect(() => new ReLU({ threshold: -0.5, name: 'r2' })).toThrow(
      "ReLU 'r2': `threshold` must be a non-negative finite number, received -0.5",
    );
  });
});

describe('LeakyReLU and ELU', () => {
  it('keep the input shape, have no parameters, and default alpha to 0.3 and 1 as tfjs and Keras 2', () => {
    checkLayer({ layer: new LeakyReLU(), inputShape: [2, 3, 4], outputShape: [2, 3, 4], params: 0 });
    checkLayer({ layer: new ELU({ alpha: 0.5 }), inputShape: [3, 5], outputShape: [3, 5], params: 0 });
    expect(new LeakyReLU().getConfig().alpha).toBe(0.3);
    expect(new ELU().getConfig().alpha).toBe(1);
  });

  it('hand-computed', () => {
    expect(values(new LeakyReLU(), [-1, 2])).toEqual([Math.fround(-0.3), 2]);
    const got = values(new ELU({ alpha: 0.5 }), [-1, 2]);
    expect(got[0]).toBeCloseTo(0.5 * (Math.exp(-1) - 1), 6);
    expect(got[1]).toBe(2);
  });

  it('match tf.layers.leakyReLU and tf.layers.elu, forward and gradients', () => {
    expectSameAsTfjs(tf.layers.leakyReLU({ alpha: 0.2 }), new LeakyReLU({ alpha: 0.2 }), randomInput([2, 3, 4], 6));
    expectSameAsTfjs(tf.layers.elu(), new ELU(), randomInput([2, 3, 4], 7));
  });

  it("reads Keras 3's LeakyReLU `negative_slope` as alpha", () => {
    expect(LeakyReLU.fromKerasConfig({ negativeSlope: 0.1 }, 2)).toMatchObject({ alpha: 0.1 });
    expect(LeakyReLU.fromKerasConfig({ alpha: 0.2 }, 2)).toEqual({ alpha: 0.2 });
  });

  it('reject a non-finite alpha with the standard message', () => {
    expect(() => new LeakyReLU({ alpha: Number.POSITIVE_INFINITY, name: 'l0' })).toThrow(
      "LeakyReLU 'l0': `alpha` must be a finite number, received null",
    );
  });
});

describe('PReLU', () => {
  const alpha = initializers.randomUniform({ minval: 0.1, maxval: 0.5, seed: 3 });

  it('one alpha per position: [2, 3, 4] → alpha [3, 4], 12 parameters', () => {
    checkLayer({
      layer: new PReLU({ alphaInitializer: alpha }),
      inputShape: [2, 3, 4],
      outputShape: [2, 3, 4],
      params: 12,
    });
  });

  it('shared over height and width: [2, 3, 4, 2] → alpha [1, 1, 2], 2 parameters, named as Keras', () => {
    const layer = new PReLU({ alphaInitializer: alpha, sharedAxes: [1, 2], name: 'pr' });
    checkLayer({ layer, inputShape: [2, 3, 4, 2], outputShape: [2, 3, 4, 2], params: 2 });
    expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([['pr/alpha', [1, 1, 2]]]);
  });

  it('hand-computed: x for x > 0, alpha·x otherwise; starts as a ReLU (alpha zeros)', () => {
    expect(values(new PReLU({ alphaInitializer: initializers.constant({ value: 0.25 }) }), [-4, 2])).toEqual([-1, 2]);
    expect(values(new PReLU(), [-4, 2])).toEqual([0, 2]);
  });

  for (const sharedAxes of [undefined, [1, 2]]) {
    it(`matches tf.layers.prelu, forward and gradients (input and alpha): sharedAxes ${JSON.stringify(sharedAxes)}`, () => {
      const args = sharedAxes === undefined ? {} : { sharedAxes };
      const layer = new PReLU({ ...args, alphaInitializer: alpha });
      const tfLayer = tf.layers.prelu(args);
      expectSameAsTfjs(tfLayer, layer, randomInput([2, 3, 4, 2], 8));
      expect(layer.getConfig().sharedAxes).toEqual(tfLayer.getConfig().sharedAxes);
    });
  }

  it('rejects bad shared axes with the standard message', () => {
    expect(() => new PReLU({ sharedAxes: 0, name: 'p0' })).toThrow(
      "PReLU 'p0': `sharedAxes` must be null, an axis ≥ 1 or a list of them, received 0",
    );
    expect(() => new PReLU({ sharedAxes: 3, name: 'p1' }).build([null, 3, 4])).toThrow(
      "PReLU 'p1': `sharedAxes` must be axes of the input (1 to 2), received [3]",
    );
    expect(new PReLU({ sharedAxes: 2 }).getConfig().sharedAxes).toEqual([2]);
  });
});

describe('Softmax', () => {
  it('keeps the input shape, no parameters; rows of the last axis sum to 1', () => {
    checkLayer({ layer: new Softmax(), inputShape: [2, 3, 5], outputShape: [2, 3, 5], params: 0 });
    const y = values(new Softmax(), [0, Math.log(3)]);
    expect(y[0]).toBeCloseTo(0.25, 6);
    expect(y[1]).toBeCloseTo(0.75, 6);
  });

  it('matches tf.layers.softmax, forward and gradients', () => {
    expectSameAsTfjs(tf.layers.softmax({ axis: -1 }), new Softmax(), randomInput([2, 3, 4], 9));
  });

  it("accepts tfjs's default axis 1 on rank-2 input (its last) and refuses any other axis when built", () => {
    expect(new Softmax({ axis: 1 }).computeOutputShape([null, 4])).toEqual([null, 4]);
    expect(() => new Softmax({ axis: 1, name: 's0' }).build([null, 3, 4])).toThrow(
      "Softmax 's0': `axis` must be -1 or 2 (the last axis of the input; cnnlab normalizes over it only), received 1",
    );
    expect(() => new Softmax({ axis: -2, name: 's1' })).toThrow(
      "Softmax 's1': `axis` must be -1 or the index of the last axis, received -2",
    );
  });
});

describe('Rescaling', () => {
  it('keeps the input shape, no parameters; y = x·scale + offset', () => {
    checkLayer({
      layer: new Rescaling({ scale: 2, offset: -1 }),
      inputShape: [2, 3, 2],
      outputShape: [2, 3, 2],
      params: 0,
    });
    expect(values(new Rescaling({ scale: 1 / 255 }), [0, 255])).toEqual([0, 1]);
    expect(values(new Rescaling({ scale: 2, offset: -1 }), [0, 1])).toEqual([-1, 1]);
  });

  it('matches tf.layers.rescaling, forward and gradients, and its config', () => {
    const layer = new Rescaling({ scale: 0.5, offset: 0.25 });
    const tfLayer = tf.layers.rescaling({ scale: 0.5, offset: 0.25 });
    expectSameAsTfjs(tfLayer, layer, randomInput([2, 3], 10));
    expect(layer.getConfig()).toMatchObject({ scale: 0.5, offset: 0.25 });
    expect(tfLayer.getConfig()).toMatchObject({ scale: 0.5, offset: 0.25 });
  });

  it('refuses a config without a scale with the standard message', () => {
    const config: unknown = JSON.parse('{"name": "q0"}');
    expect(() => deserializeLayer({ className: 'Rescaling', config } as SerializedLayer)).toThrow(
      "Rescaling 'q0': `scale` must be a finite number, received undefined",
    );
  });
});
