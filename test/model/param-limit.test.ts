/**
 * The parameter limit (issue 13): a config with no weights may not make cnnlab allocate gigabytes. The count is
 * estimated from each layer's config before the layer is built, and the estimate must be the layer's real count.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../../src/cli/models.js';
import {
  estimateParams,
  FormatError,
  input,
  type Layer,
  layers,
  MAX_PARAMS,
  model,
  modelFromTopology,
  modelToArtifacts,
  sequential,
} from '../../src/index.js';
import { loadLayersModel, saveModel } from '../../src/node/io/index.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cnnlab-params-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A Sequential topology (tfjs JSON) of `units` Dense layers after a flat input of `inputs` values. */
function denseTopology(inputs: number, units: readonly number[]): unknown {
  return {
    class_name: 'Sequential',
    config: {
      name: 'wide',
      layers: units.map((u, i) => ({
        class_name: 'Dense',
        config: { units: u, name: `d${i}`, ...(i === 0 ? { batch_input_shape: [null, inputs] } : {}) },
      })),
    },
  };
}

describe('parameter limit', () => {
  it('refuses six Dense(16384) layers before the first one allocates its 2^28 weights', () => {
    const topology = denseTopology(16384, [16384, 16384, 16384, 16384, 16384, 16384]);
    expect(() => modelFromTopology(topology, 'wide.json')).toThrow(FormatError);
    expect(() => modelFromTopology(topology, 'wide.json')).toThrow(
      `wide.json: \`modelTopology.config.layers[0]\` (Dense 'd0'): the layer would bring the model to ${16384 * 16384 + 16384} parameters, more than the ${MAX_PARAMS} accepted`,
    );
  });

  it('counts across layers and takes `maxParams`', () => {
    // 10·20 + 20 = 220, then 20·5 + 5 = 105: 325 in all.
    const topology = denseTopology(10, [20, 5]);
    expect(modelFromTopology(topology, 'm', 0, { maxParams: 325 }).countParams()).toBe(325);
    expect(() => modelFromTopology(topology, 'm', 0, { maxParams: 324 })).toThrow(
      "m: `modelTopology.config.layers[1]` (Dense 'd1'): the layer would bring the model to 325 parameters, more than the 324 accepted",
    );
  });

  it('applies to functional model files loaded from disk', async () => {
    const x = input({ shape: [4] });
    const saved = path.join(dir, 'functional');
    await saveModel(model({ inputs: x, outputs: layers.dense({ units: 3, name: 'out' }).apply(x) }), saved);
    expect((await loadLayersModel(saved)).countParams()).toBe(15);
    await expect(loadLayersModel(saved, { maxParams: 14 })).rejects.toThrow(
      /`modelTopology\.config\.layers\[1\]` \(Dense 'out'\): the layer would bring the model to 15 parameters, more than the 14 accepted/,
    );
  });

  it('applies to --model files: a Sequential config with a Dense of 4,000,000 units is refused before building', async () => {
    const file = path.join(dir, 'huge.json');
    const config = {
      name: 'huge',
      layers: [
        { className: 'Flatten', config: { name: 'f', batchInputShape: [null, 28, 28, 1] } },
        { className: 'Dense', config: { name: 'd', units: 4_000_000 } },
      ],
    };
    await writeFile(file, JSON.stringify(config));
    const error: unknown = await createModel(file, [28, 28, 1], 10, 0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FormatError);
    expect(String(error)).toContain(
      `--model file '${file}': \`layers[1]\` (Dense 'd'): the layer would bring the model to ${784 * 4_000_000 + 4_000_000} parameters`,
    );
    // The same file's model.json form goes through the loader's check.
    const asModelJson = path.join(dir, 'huge-model.json');
    const small = sequential({ layers: [layers.flatten({ inputShape: [28, 28, 1] }), layers.dense({ units: 10 })] });
    await writeFile(asModelJson, JSON.stringify({ modelTopology: modelToArtifacts(small).modelTopology }));
    expect((await createModel(asModelJson, [28, 28, 1], 10, 0, undefined, { maxParams: 7850 })).countParams()).toBe(
      7850,
    );
    await expect(createModel(asModelJson, [28, 28, 1], 10, 0, undefined, { maxParams: 7849 })).rejects.toThrow(
      /more than the 7849 accepted/,
    );
  });

  it("estimates each weighted layer's parameters exactly, from its config, before it is built", () => {
    const cases: [Layer, number[]][] = [
      [layers.dense({ units: 5 }), [3]],
      [layers.dense({ units: 5, useBias: false }), [3]],
      [layers.conv2d({ filters: 4, kernelSize: [3, 2] }), [6, 6, 3]],
      [layers.conv2dTranspose({ filters: 4, kernelSize: 3 }), [6, 6, 3]],
      [layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2 }), [6, 6, 3]],
      [layers.separableConv2d({ filters: 5, kernelSize: 3, depthMultiplier: 2 }), [6, 6, 3]],
      [layers.batchNormalization({}), [6, 6, 3]],
      [layers.layerNormalization({}), [6, 6, 3]],
      [layers.prelu({}), [6, 6, 3]],
      [layers.flatten({}), [6, 6, 3]],
    ];
    for (const [layer, shape] of cases) {
      const inputShape = [null, ...shape];
      const estimate = estimateParams(layer, [inputShape]);
      layer.build(inputShape);
      expect(estimate, layer.className).toBe(layer.countParams());
    }
  });
});
