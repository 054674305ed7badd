/**
 * Depthwise kernels in hostile model files: a `depth_multiplier` that would make a kernel of more than 2^28 values is
 * refused before the layer allocates anything, even where the layer's output stays small.
 */
import { describe, expect, it } from 'vitest';
import { FormatError, layers, memory, modelFromArtifacts, modelToArtifacts, sequential } from '../../src/index.js';
import { isJsonObject } from '../helpers/json.js';

/** A saved Sequential of one layer on `inputShape` whose config is edited by `edit` (snake_case, as written). */
function editedArtifacts(
  layer: ReturnType<typeof layers.depthwiseConv2d> | ReturnType<typeof layers.separableConv2d>,
  edit: (config: Record<string, unknown>) => void,
): Parameters<typeof modelFromArtifacts>[0] {
  const artifacts = modelToArtifacts(sequential({ name: 'dw', layers: [layer] }));
  const topology: unknown = JSON.parse(JSON.stringify(artifacts.modelTopology));
  const config = isJsonObject(topology) && isJsonObject(topology.config) ? topology.config : {};
  const entries = Array.isArray(config.layers) ? config.layers : [];
  const entry: unknown = entries.find((e) => isJsonObject(e) && e.class_name === layer.className);
  if (!isJsonObject(topology) || !isJsonObject(entry) || !isJsonObject(entry.config)) {
    throw new Error('no layer entry in the written topology');
  }
  edit(entry.config);
  return { ...artifacts, modelTopology: topology };
}

describe('hostile depthwise configs', () => {
  it('refuses a depth multiplier whose kernel would exceed 2^28 values, without allocating', () => {
    // DepthwiseConv2D on 1×1×1: the output holds 2^27 values (under the bound), the 3×3 kernel 9·2^27 (over it).
    const depthwise = editedArtifacts(
      layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', inputShape: [1, 1, 1] }),
      (c) => {
        c.depth_multiplier = 2 ** 27;
      },
    );
    // SeparableConv2D with 1 filter: the output is 4×4×1, the depthwise kernel 3·3·2·1e9 values.
    const separable = editedArtifacts(
      layers.separableConv2d({ filters: 1, kernelSize: 3, inputShape: [4, 4, 2] }),
      (c) => {
        c.depth_multiplier = 1e9;
      },
    );
    // Its pointwise kernel alone: a 1×1 window (depthwise 2·2^27 = 2^28, at the bound), 2 filters (2·2·2^27: over).
    const pointwise = editedArtifacts(
      layers.separableConv2d({ filters: 2, kernelSize: 1, inputShape: [4, 4, 2] }),
      (c) => {
        c.depth_multiplier = 2 ** 27;
      },
    );
    const before = memory().numTensors;
    for (const [artifacts, name] of [
      [depthwise, 'DepthwiseConv2D'],
      [separable, 'SeparableConv2D'],
      [pointwise, 'SeparableConv2D'],
    ] as const) {
      expect(() => modelFromArtifacts(artifacts, 'dw.json')).toThrow(FormatError);
      expect(() => modelFromArtifacts(artifacts, 'dw.json')).toThrow(
        new RegExp(`^dw\\.json: .*\\(${name} '.*'\\): the kernel would hold more than 268435456 values, refused$`),
      );
    }
    // The refused layers created no weight.
    expect(memory().numTensors).toBe(before);
  });
});
