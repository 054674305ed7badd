/**
 * Models used as layers of other models (`inner.apply(symbolicTensor)`): shared weights, one layer entry, one
 * summary row, training through them, and a clear refusal when saving. Expected values come from the same layers
 * built without nesting, or applied by hand.
 */
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  input,
  layers,
  model,
  modelToArtifacts,
  Random,
  sequential,
  ShapeError,
  type Tensor,
  tensor,
  tidy,
} from '../../src/index.js';

const values = (t: Tensor): number[] => Array.from(t.dataSync());
const init = (seed: number) => ({ className: 'GlorotUniform' as const, config: { seed } });

function inner() {
  return sequential({
    name: 'inner',
    layers: [
      layers.dense({ units: 3, activation: 'relu', inputShape: [4], name: 'd1', kernelInitializer: init(1) }),
      layers.dense({ units: 2, name: 'd2', kernelInitializer: init(2) }),
    ],
  });
}

function data(n: number, seed: number): Tensor {
  const random = new Random(seed);
  return tensor(
    Array.from({ length: n * 4 }, () => random.normal()),
    [n, 4],
  );
}

describe('nested models', () => {
  it('lists the inner model as one layer that lends its weights, and computes head(inner(x))', () => {
    const net = inner();
    const x = input({ shape: [4], name: 'x' });
    const head = layers.dense({ units: 1, name: 'head', kernelInitializer: init(3) });
    const outer = model({ inputs: x, outputs: head.apply(net.apply(x)), name: 'outer' });
    expect(outer.layers.map((l) => `${l.name} (${l.className})`)).toEqual([
      'x (InputLayer)',
      'inner (Sequential)',
      'head (Dense)',
    ]);
    expect(outer.weights).toEqual([...net.weights, ...head.weights]);
    expect(outer.weights[0]).toBe(net.weights[0]);
    expect(outer.countParams()).toBe(4 * 3 + 3 + 3 * 2 + 2 + 2 + 1);
    const xs = data(5, 1);
    const expected = tidy(() => values(head.apply(net.predict(xs))));
    expect(values(outer.predict(xs))).toEqual(expected);
    const lines: string[] = [];
    outer.summary((l) => lines.push(l));
    expect(lines.filter((l) => l.includes('inner (Sequential)'))).toHaveLength(1);
    expect(lines.join('\n')).toMatch(/Total params: 26/);
  });

  it('trains the shared weights as the same layers without nesting do, and freezes with the inner model', async () => {
    const x = data(12, 2);
    const y = tensor(
      Array.from({ length: 12 }, (_, i) => i % 2),
      [12],
    );
    const results: number[][] = [];
    for (const nested of [true, false]) {
      const a = input({ shape: [4], name: 'a' });
      const head = layers.dense({ units: 2, activation: 'softmax', name: 'head', kernelInitializer: init(3) });
      let hidden;
      if (nested) {
        hidden = inner().apply(a);
      } else {
        const d1 = layers.dense({ units: 3, activation: 'relu', name: 'd1', kernelInitializer: init(1) });
        hidden = layers.dense({ units: 2, name: 'd2', kernelInitializer: init(2) }).apply(d1.apply(a));
      }
      const outer = model({ inputs: a, outputs: head.apply(hidden) });
      outer.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
      const history = await outer.fit(x, y, { epochs: 2, batchSize: 5, seed: 3, verbose: 0 });
      results.push([...(history.history.loss ?? []), ...outer.getWeights().flatMap(values)]);
    }
    expect(results[0]).toEqual(results[1]);

    const net = inner();
    const a = input({ shape: [4] });
    const outer = model({ inputs: a, outputs: layers.dense({ units: 1, name: 'h' }).apply(net.apply(a)) });
    net.trainable = false;
    expect(outer.trainableWeights.map((w) => w.name)).toEqual(['h/kernel', 'h/bias']);
    expect(outer.nonTrainableWeights).toHaveLength(4);
  });

  it('applies one inner model to two inputs with one set of weights (a siamese pair)', () => {
    const x1 = input({ shape: [4] });
    const x2 = input({ shape: [4] });
    const net = inner();
    const pair = layers.concatenate({ name: 'pair' }).apply([net.apply(x1), net.apply(x2)]);
    const outer = model({ inputs: [x1, x2], outputs: pair });
    expect(outer.layers.filter((l) => l.name === 'inner')).toHaveLength(1);
    expect(outer.countParams()).toBe(net.countParams());
    const xs = data(3, 4);
    const [y] = outer.applyAll([xs, xs]);
    const v = values(y ?? xs);
    for (let n = 0; n < 3; n++) expect(v.slice(n * 4, n * 4 + 2)).toEqual(v.slice(n * 4 + 2, n * 4 + 4));
  });

  it('refuses a wrong input shape and saving, naming the nested model; disposing the outer keeps the inner', () => {
    const net = inner();
    expect(() => net.apply(input({ shape: [5] }))).toThrow(ShapeError);
    expect(() => net.apply(input({ shape: [5] }))).toThrow(
      "Sequential 'inner': expected input shape(s) [null, 4], received [null, 5]",
    );
    const x = input({ shape: [4] });
    const outer = model({ inputs: x, outputs: net.apply(x), name: 'outer' });
    expect(() => modelToArtifacts(outer)).toThrow(ConfigError);
    expect(() => modelToArtifacts(outer)).toThrow(
      "Model 'outer': holds the nested Sequential 'inner'; saving nested models is not supported yet",
    );
    const xs = data(2, 5);
    const before = values(net.predict(xs));
    outer.dispose();
    expect(values(net.predict(xs))).toEqual(before);
  });
});
