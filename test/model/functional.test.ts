import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  Dense,
  input,
  layers,
  Model,
  model,
  modelToArtifacts,
  Random,
  sequential,
  ShapeError,
  tensor,
  tidy,
  type Tensor,
} from '../../src/index.js';

const values = (t: Tensor): number[] => Array.from(t.dataSync());

describe('functional Model', () => {
  it('computes a residual block: y = dense2(relu(dense1(x))) + x, checked against the layers applied by hand', () => {
    const x = input({ shape: [4], name: 'x' });
    const d1 = layers.dense({
      units: 4,
      activation: 'relu',
      name: 'd1',
      kernelInitializer: { className: 'GlorotUniform', config: { seed: 1 } },
    });
    const d2 = layers.dense({
      units: 4,
      name: 'd2',
      kernelInitializer: { className: 'GlorotUniform', config: { seed: 2 } },
    });
    const y = layers.add({ name: 'sum' }).apply([d2.apply(d1.apply(x)), x]);
    const net = model({ inputs: x, outputs: y, name: 'res' });
    expect(net.layers.map((l) => l.name)).toEqual(['x', 'd1', 'd2', 'sum']);
    expect(net.outputShape).toEqual([null, 4]);
    const random = new Random(3);
    const data = tensor(
      Array.from({ length: 8 }, () => random.normal()),
      [2, 4],
    );
    const expected = tidy(() => {
      const h = d2.apply(d1.apply(data));
      return values(h).map((v, i) => v + (data.dataSync()[i] ?? 0));
    });
    const got = values(net.predict(data));
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i] ?? Number.NaN, 6));
  });

  it('shares the weights of a layer applied twice, and counts its parameters once', () => {
    const a = input({ shape: [3] });
    const b = input({ shape: [3] });
    const shared = new Dense({ units: 2, name: 'shared' });
    const out = layers.concatenate().apply([shared.apply(a), shared.apply(b)]);
    const net = new Model({ inputs: [a, b], outputs: out });
    expect(net.countParams()).toBe(3 * 2 + 2);
    expect(shared.calls.length).toBe(2);
    const [y] = net.applyAll([tensor([1, 2, 3], [1, 3]), tensor([1, 2, 3], [1, 3])]);
    const v = values(y ?? tensor([0], [1]));
    expect(v.slice(0, 2)).toEqual(v.slice(2, 4));
    const lines: string[] = [];
    net.summary((l) => lines.push(l));
    expect(lines.join('\n')).toMatch(/Connected to/);
    expect(lines.join('\n')).toMatch(/shared\[1\]/);
    expect(lines.join('\n')).toMatch(/Total params: 8/);
  });

  it('refuses a disconnected graph, an unconnected input and mismatched merge shapes, naming layers and shapes', () => {
    const a = input({ shape: [3], name: 'a' });
    const b = input({ shape: [3], name: 'b' });
    const y = layers.dense({ units: 2, name: 'da' }).apply(a);
    expect(() => model({ inputs: b, outputs: y })).toThrow(ConfigError);
    expect(() => model({ inputs: b, outputs: y })).toThrow(/graph disconnected: .*'da'.*input layer 'a'/);
    expect(() => model({ inputs: [a, b], outputs: y })).toThrow(
      /input 'b' \(InputLayer\) is not connected to any output/,
    );
    const c = input({ shape: [5], name: 'c' });
    expect(() => layers.add({ name: 'bad_add' }).apply([a, c])).toThrow(ShapeError);
    expect(() => layers.add({ name: 'bad_add2' }).apply([a, c])).toThrow(
      /Add 'bad_add2': inputs must have the same shape, received \[null, 3\], \[null, 5\]/,
    );
    expect(() => layers.add().apply([a])).toThrow(/at least 2 inputs/);
  });

  it('trains with fit like a Sequential of the same layers, to the same weights', async () => {
    const build = (functional: boolean) => {
      const init = (seed: number) => ({ className: 'GlorotUniform' as const, config: { seed } });
      const l1 = layers.dense({ units: 5, activation: 'relu', kernelInitializer: init(1), inputShape: [3] });
      const l2 = layers.dense({ units: 2, activation: 'softmax', kernelInitializer: init(2) });
      if (!functional) return sequential({ layers: [l1, l2] });
      const x = input({ shape: [3] });
      return model({ inputs: x, outputs: l2.apply(l1.apply(x)) });
    };
    const random = new Random(9);
    const x = tensor(
      Array.from({ length: 30 }, () => random.normal()),
      [10, 3],
    );
    const y = tensor([0, 1, 1, 0, 1, 0, 0, 1, 1, 0], [10]);
    const results: number[][] = [];
    for (const functional of [false, true]) {
      const net = build(functional);
      net.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      const history = await net.fit(x, y, { epochs: 3, batchSize: 4, verbose: 0 });
      results.push([...(history.history.loss ?? []), ...net.getWeights().flatMap(values)]);
    }
    expect(results[1]).toEqual(results[0]);
  });

  it('writes a tfjs functional topology: class_name Model, inbound_nodes with layer names kept', () => {
    const x = input({ shape: [2], name: 'inputA' });
    const y = layers.dense({ units: 1, name: 'denseB' }).apply(x);
    const artifacts = modelToArtifacts(model({ inputs: x, outputs: y, name: 'm' }));
    const topology = JSON.parse(JSON.stringify(artifacts.modelTopology)) as {
      class_name: string;
      config: { layers: { name: string; inbound_nodes: unknown }[]; input_layers: unknown; output_layers: unknown };
    };
    expect(topology.class_name).toBe('Model');
    expect(topology.config.layers.map((l) => l.name)).toEqual(['inputA', 'denseB']);
    expect(topology.config.layers[1]?.inbound_nodes).toEqual([[['inputA', 0, 0, {}]]]);
    expect(topology.config.input_layers).toEqual([['inputA', 0, 0]]);
    expect(topology.config.output_layers).toEqual([['denseB', 0, 0]]);
  });
});
