/**
 * Functional model files: our save → load round trip (a shared layer, two inputs, two outputs), the Keras 2 and
 * Keras 3 spellings of the same graph, layers listed out of order, and hostile graphs — each refused with a
 * FormatError naming the file and the JSON field.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FormatError,
  input,
  layers,
  Model,
  model,
  modelFromArtifacts,
  modelFromTopology,
  modelToArtifacts,
  type Tensor,
  zeros,
} from '../../src/index.js';
import type { ModelArtifacts } from '../../src/io/index.js';
import { MAX_CALL_INPUTS, MAX_FUNCTIONAL_LAYERS, MAX_TOTAL_INBOUND } from '../../src/io/functional-json.js';
import { input as randomInput, randomizeWeights } from './models.js';

type Json = Record<string, unknown>;
type Ref = [string, number, number, Json?];
interface LayerJson {
  class_name: string;
  name: string;
  config: Json;
  inbound_nodes: unknown;
}
interface Topology {
  class_name: string;
  config: { name: string; layers: LayerJson[]; input_layers: unknown; output_layers: unknown };
}

/** Two inputs a, b [4]; a shared Dense on each; out1 = dense(add), out2 = dense(concatenate). */
function twoByTwo(): Model {
  const a = input({ shape: [4], name: 'a' });
  const b = input({ shape: [4], name: 'b' });
  const shared = layers.dense({ units: 3, activation: 'tanh', name: 'shared' });
  const [sa, sb] = [shared.apply(a), shared.apply(b)];
  const out1 = layers.dense({ units: 2, name: 'out1' }).apply(layers.add({ name: 'sum' }).apply([sa, sb]));
  const joined = layers.concatenate({ name: 'cat', axis: 1 }).apply([sa, sb]);
  const out2 = layers.dense({ units: 5, activation: 'softmax', name: 'out2' }).apply(joined);
  const net = model({ inputs: [a, b], outputs: [out1, out2], name: 'two_by_two' });
  randomizeWeights(net, 4);
  return net;
}

const inputs = (): Tensor[] => [randomInput([3, 4], 1), randomInput([3, 4], 2)];
const outputsOf = (net: Model): Float32Array[] => net.applyAll(inputs()).map((t) => t.dataSync());

/** The artifacts with their topology as plain, editable JSON. */
function artifactsOf(net: Model): { artifacts: ModelArtifacts; topology: Topology } {
  const artifacts = modelToArtifacts(net);
  return { artifacts, topology: JSON.parse(JSON.stringify(artifacts.modelTopology)) as Topology };
}

function loaded(artifacts: ModelArtifacts, topology: Topology): Model {
  const net = modelFromArtifacts({ ...artifacts, modelTopology: topology }, 'f.json');
  if (!(net instanceof Model)) throw new Error('expected a functional Model');
  return net;
}

/** tfjs's `[[name, node, tensor, {}], …]` nodes rewritten by `call` (Keras 2 and 3 spellings). */
function rewriteNodes(topology: Topology, call: (refs: Ref[]) => unknown): Topology {
  const copy = structuredClone(topology);
  for (const layer of copy.config.layers) layer.inbound_nodes = (layer.inbound_nodes as Ref[][]).map(call);
  return copy;
}

describe('functional model files', () => {
  it('round-trips a shared layer with two inputs and two outputs: equal config, bit-identical predictions', () => {
    const net = twoByTwo();
    const { artifacts, topology } = artifactsOf(net);
    // The shared layer's second call is node 1 of 'shared'; `out2` reads the concatenation of both calls.
    expect(topology.config.layers.find((l) => l.name === 'cat')?.inbound_nodes).toEqual([
      [
        ['shared', 0, 0, {}],
        ['shared', 1, 0, {}],
      ],
    ]);
    const back = loaded(artifacts, topology);
    expect(back.getConfig()).toEqual(net.getConfig());
    expect(back.countParams()).toBe(net.countParams());
    expect(outputsOf(back)).toEqual(outputsOf(net));
  });

  it('loads the Keras 2 (Functional, refs without kwargs) and Keras 3 (keras_history) spellings alike', () => {
    const net = twoByTwo();
    const { artifacts, topology } = artifactsOf(net);
    const keras2 = rewriteNodes(topology, (refs) => refs.map((r) => r.slice(0, 3)));
    keras2.class_name = 'Functional';
    const tensorOf = (r: Ref): Json => ({
      class_name: '__keras_tensor__',
      config: { shape: [null, 4], dtype: 'float32', keras_history: r.slice(0, 3) },
    });
    const keras3 = rewriteNodes(topology, (refs) => ({
      args: [refs.length === 1 && refs[0] !== undefined ? tensorOf(refs[0]) : refs.map(tensorOf)],
      kwargs: {},
    }));
    keras3.class_name = 'Functional';
    const expected = outputsOf(net);
    expect(outputsOf(loaded(artifacts, keras2))).toEqual(expected);
    expect(outputsOf(loaded(artifacts, keras3))).toEqual(expected);
  });

  it('loads layers listed in any order, and a deep chain without recursion', () => {
    const net = twoByTwo();
    const { artifacts, topology } = artifactsOf(net);
    const reversed = structuredClone(topology);
    reversed.config.layers.reverse();
    expect(outputsOf(loaded(artifacts, reversed))).toEqual(outputsOf(net));

    const x = input({ shape: [2], name: 'x' });
    let h = x;
    for (let i = 0; i < 3000; i++) h = layers.activation({ activation: 'relu', name: `r${i}` }).apply(h);
    const deep = artifactsOf(model({ inputs: x, outputs: h }));
    deep.topology.config.layers.reverse();
    expect(loaded(deep.artifacts, deep.topology).layers).toHaveLength(3001);
  });

  it('seeds the fresh weights of an architecture loaded with a seed, as for Sequential', () => {
    const { topology } = artifactsOf(twoByTwo());
    const weights = (seed: number): number[][] =>
      modelFromTopology(topology, 'f.json', seed).weights.map((w) => Array.from(w.dataSync()));
    expect(weights(5)).toEqual(weights(5));
    expect(weights(6)).not.toEqual(weights(5));
  });

  it('keeps a single-tensor Keras 3 `input_layers` / `output_layers` triple', () => {
    const x = input({ shape: [3], name: 'x' });
    const net = model({ inputs: x, outputs: layers.dense({ units: 2, name: 'd' }).apply(x) });
    const { artifacts, topology } = artifactsOf(net);
    topology.config.input_layers = ['x', 0, 0];
    topology.config.output_layers = ['d', 0, 0];
    expect(loaded(artifacts, topology).getConfig()).toEqual(net.getConfig());
  });
});

describe('hostile functional model files', () => {
  /** The twoByTwo topology after `edit`, loaded as 'f.json'; returns the FormatError it must throw. */
  function refusal(edit: (t: Topology, byName: (name: string) => LayerJson) => void): FormatError {
    const topology = structuredClone(artifactsOf(twoByTwo()).topology);
    const byName = (name: string): LayerJson => {
      const layer = topology.config.layers.find((l) => l.name === name);
      if (layer === undefined) throw new Error(`no layer ${name}`);
      return layer;
    };
    edit(topology, byName);
    let error: unknown = null;
    try {
      modelFromTopology(topology, 'f.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FormatError);
    if (!(error instanceof FormatError)) throw new Error('expected a FormatError');
    expect(error.message).toMatch(/^f\.json: /);
    return error;
  }
  const indexOf = (t: Topology, name: string): number => t.config.layers.findIndex((l) => l.name === name);

  it('refuses references to unknown layers and calls out of range, naming the field', () => {
    let at = 0;
    expect(
      refusal((t, layer) => {
        at = indexOf(t, 'out1');
        layer('out1').inbound_nodes = [[['nope', 0, 0, {}]]];
      }).message,
    ).toContain(`\`modelTopology.config.layers[${at}].inbound_nodes[0][0]\` refers to layer 'nope'`);
    expect(
      refusal((t, layer) => {
        at = indexOf(t, 'sum');
        layer('sum').inbound_nodes = [
          [
            ['shared', 0, 0, {}],
            ['shared', 2, 0, {}],
          ],
        ];
      }).message,
    ).toContain(`layers[${at}].inbound_nodes[0][1][1]\` refers to call 2 of layer 'shared', which has 2 calls`);
    expect(
      refusal((t) => {
        t.config.output_layers = [['ghost', 0, 0]];
      }).message,
    ).toContain("`modelTopology.config.output_layers[0]` refers to layer 'ghost'");
    expect(
      refusal((_, layer) => {
        layer('out1').inbound_nodes = [[['sum', 0, 1, {}]]];
      }).message,
    ).toMatch(/inbound_nodes\[0\]\[0\]\[2\]` must be 0 \(cnnlab layers have one output\), received 1/);
  });

  it('refuses cycles, naming the calls on the cycle', () => {
    const error = refusal((_, layer) => {
      // shared[0] ← sum ← shared[0]: a → b → a.
      layer('shared').inbound_nodes = [[['sum', 0, 0, {}]], [['b', 0, 0, {}]]];
    });
    expect(error.message).toMatch(/the layer calls form a cycle \(.*'shared'\[0\].*'sum'\[0\]/);
  });

  it('refuses an input connected to no output, duplicate names, and layers never called', () => {
    expect(
      refusal((t, layer) => {
        t.config.layers.push({ ...structuredClone(layer('a')), name: 'c' });
        const c = t.config.layers[t.config.layers.length - 1];
        if (c !== undefined) c.config.name = 'c';
        t.config.input_layers = [
          ['a', 0, 0],
          ['b', 0, 0],
          ['c', 0, 0],
        ];
      }).message,
    ).toMatch(/`modelTopology\.config`: input 'c' \(InputLayer\) is not connected to any output/);
    expect(
      refusal((t, layer) => {
        t.config.layers.push(structuredClone(layer('out1')));
      }).message,
    ).toMatch(/\.name`: two layers are named 'out1' \(also `modelTopology\.config\.layers\[\d+\]`\)/);
    expect(
      refusal((_, layer) => {
        layer('out2').inbound_nodes = [];
      }).message,
    ).toMatch(/inbound_nodes` is empty: layer 'out2' is never called/);
  });

  it('refuses malformed inbound_nodes and a Subtract of three inputs', () => {
    expect(
      refusal((_, layer) => {
        layer('out1').inbound_nodes = 'sum';
      }).message,
    ).toMatch(/inbound_nodes` must be an array, received 'sum'/);
    expect(
      refusal((_, layer) => {
        layer('out1').inbound_nodes = [[['sum', -1, 0, {}]]];
      }).message,
    ).toMatch(/inbound_nodes\[0\]\[0\]\[1\]` must be a node index \(an integer ≥ 0\), received -1/);
    expect(
      refusal((_, layer) => {
        layer('out1').inbound_nodes = [[['sum', 0, 0, { training: true }]]];
      }).message,
    ).toMatch(/inbound_nodes\[0\]\[0\]\[3\]` sets call arguments \(training\)/);
    expect(
      refusal((_, layer) => {
        const sum = layer('sum');
        sum.class_name = 'Subtract';
        sum.inbound_nodes = [
          [
            ['shared', 0, 0, {}],
            ['shared', 1, 0, {}],
            ['a', 0, 0, {}],
          ],
        ];
      }).message,
    ).toMatch(/\(Subtract 'sum'\): .*takes exactly 2 inputs, received 3/);
  });

  it(`bounds the fan-in (${MAX_CALL_INPUTS} per call, ${MAX_TOTAL_INBOUND} in all) and the layers (${MAX_FUNCTIONAL_LAYERS})`, () => {
    const refs = (n: number): Ref[] => Array.from({ length: n }, (): Ref => ['shared', 0, 0, {}]);
    expect(
      refusal((_, layer) => {
        layer('sum').inbound_nodes = [refs(MAX_CALL_INPUTS + 1)];
      }).message,
    ).toMatch(new RegExp(`must list between 1 and ${MAX_CALL_INPUTS} inputs, received ${MAX_CALL_INPUTS + 1}`));
    expect(
      refusal((_, layer) => {
        layer('sum').inbound_nodes = Array.from({ length: MAX_TOTAL_INBOUND / MAX_CALL_INPUTS + 1 }, () =>
          refs(MAX_CALL_INPUTS),
        );
      }).message,
    ).toMatch(new RegExp(`lists more than ${MAX_TOTAL_INBOUND} layer inputs in all`));
    expect(
      refusal((t, layer) => {
        const template = layer('out1');
        for (let i = 0; i <= MAX_FUNCTIONAL_LAYERS; i++) t.config.layers.push({ ...template, name: `x${i}` });
      }).message,
    ).toMatch(new RegExp(`holds \\d+ layers; at most ${MAX_FUNCTIONAL_LAYERS} are read`));
  });

  it('fuzz: 300 graphs with mutated references each load a working model or throw a FormatError naming the file', () => {
    const { artifacts, topology } = artifactsOf(twoByTwo());
    const hostile = fc.oneof(
      fc.constantFrom(
        'a',
        'b',
        'shared',
        'sum',
        'out2',
        'ghost',
        '__proto__',
        '',
        null,
        {},
        [],
        [[]],
        'x'.repeat(5000),
      ),
      fc.integer({ min: -2, max: 3 }),
      fc.constantFrom(1.5, 2 ** 40, Number.MAX_SAFE_INTEGER),
    );
    // An edit: a reference's element, a whole call, or two layers' calls swapped (possibly into a cycle).
    const edit = fc.record({
      layer: fc.nat(),
      node: fc.nat(),
      ref: fc.nat(),
      slot: fc.nat(3),
      value: hostile,
      kind: fc.nat(2),
    });
    let loadedCount = 0;
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        const t = structuredClone(topology);
        const list = t.config.layers;
        for (const e of edits) {
          const layer = list[e.layer % list.length];
          const nodes = layer?.inbound_nodes;
          if (layer === undefined || !Array.isArray(nodes) || nodes.length === 0) continue;
          const node: unknown = nodes[e.node % nodes.length];
          if (e.kind === 0 && Array.isArray(node) && node.length > 0) {
            const ref: unknown = node[e.ref % node.length];
            if (Array.isArray(ref)) ref[e.slot] = e.value;
          } else if (e.kind === 1) {
            nodes[e.node % nodes.length] = e.value;
          } else {
            const other = list[e.ref % list.length];
            if (other !== undefined)
              [layer.inbound_nodes, other.inbound_nodes] = [other.inbound_nodes, layer.inbound_nodes];
          }
        }
        let net: Model;
        try {
          net = loaded(artifacts, t);
        } catch (error) {
          if (!(error instanceof FormatError) || !error.message.startsWith('f.json: ')) throw error;
          return;
        }
        loadedCount++;
        const ys = net.applyAll(net.inputs.map((i) => zeros(i.shape.map((d) => d ?? 2))));
        expect(ys.map((y) => y.shape.slice(1))).toEqual(net.outputs.map((o) => o.shape.slice(1)));
      }),
      { numRuns: 300, seed: 12, endOnFailure: true },
    );
    expect(loadedCount).toBeGreaterThan(0);
  });
});
