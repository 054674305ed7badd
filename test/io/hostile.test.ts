/**
 * Hostile or broken model files: every check names the file and the field, nothing outside the model's folder
 * is read, oversized shapes are refused before allocating, and no input makes the loader throw a TypeError.
 */
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layers, sequential, tensor } from '../../src/index.js';
import { FormatError, modelFromArtifacts, modelToArtifacts } from '../../src/index.js';
import { loadLayersModel, saveModel } from '../../src/node/io/index.js';
import { randomizeWeights, weightValues } from './models.js';

let root = '';
let counter = 0;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'cnnlab-hostile-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A small valid model: Dense 3 → 4 (kernel [3, 4], bias [4]: 16 floats, 64 bytes) then Dense 4 → 2. */
function smallModel() {
  const model = sequential({
    name: 'small',
    layers: [layers.dense({ units: 4, inputShape: [3], name: 'd1' }), layers.dense({ units: 2, name: 'd2' })],
  });
  randomizeWeights(model, 1);
  return model;
}

interface ModelFile {
  format?: unknown;
  modelTopology: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } } & Record<
    string,
    unknown
  >;
  weightsManifest: { paths: unknown[]; weights: Record<string, unknown>[] }[];
}

/** Saves the small model into a fresh folder and lets the test edit model.json and weights.bin. */
async function folder(
  edit: (json: ModelFile, weights: Buffer) => Buffer | undefined = () => undefined,
): Promise<string> {
  const dir = path.join(root, `m${counter++}`);
  await saveModel(smallModel(), dir);
  const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as ModelFile;
  const weights = await readFile(path.join(dir, 'weights.bin'));
  const newWeights = edit(json, weights) ?? weights;
  await writeFile(path.join(dir, 'model.json'), JSON.stringify(json));
  await writeFile(path.join(dir, 'weights.bin'), newWeights);
  return dir;
}

async function loadError(dir: string): Promise<Error> {
  const error: unknown = await loadLayersModel(path.join(dir, 'model.json')).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error(`expected loading ${dir} to fail`);
  expect(error).not.toBeInstanceOf(TypeError);
  expect(error).not.toBeInstanceOf(RangeError);
  expect(error.message).toContain(path.join(dir, 'model.json')); // names the file
  return error;
}

describe('hostile model files', () => {
  it('refuses another format, non-object JSON and invalid JSON', async () => {
    expect(
      (
        await loadError(
          await folder((j) => {
            j.format = 'graph-model';
          }),
        )
      ).message,
    ).toMatch(/`format` must be 'layers-model', received 'graph-model'/);
    for (const text of ['[1, 2]', '"model"', 'null', '{"modelTopology": 5}', '{ not json']) {
      const dir = await folder();
      await writeFile(path.join(dir, 'model.json'), text);
      expect((await loadError(dir)).message).toMatch(
        /`model\.json` must be a JSON object|`modelTopology` must be a JSON object|not valid JSON/,
      );
    }
  });

  it('refuses unknown layer classes, listing the known ones, and unknown model classes', async () => {
    const unknown = await loadError(
      await folder((j) => {
        if (j.modelTopology.config.layers[1]) j.modelTopology.config.layers[1].class_name = 'LSTM';
      }),
    );
    expect(unknown.message).toMatch(
      /modelTopology\.config\.layers\[1\]\.className`: Unknown layer class 'LSTM'; known layers: .*Dense.*Conv2D/,
    );
    const functional = await loadError(
      await folder((j) => {
        j.modelTopology.class_name = 'Graph';
      }),
    );
    expect(functional.message).toMatch(
      /`modelTopology\.class_name` must be 'Sequential', 'Model' or 'Functional', received 'Graph'/,
    );
  });

  it('refuses manifest shapes that differ from the layer weights', async () => {
    const error = await loadError(
      await folder((j) => {
        if (j.weightsManifest[0]?.weights[0]) j.weightsManifest[0].weights[0].shape = [4, 3];
      }),
    );
    expect(error.message).toMatch(
      /weight 'd1\/kernel' has shape \[4, 3\] in the manifest, but layer 'd1' \(Dense\) needs \[3, 4\]/,
    );
  });

  it('refuses truncated and oversized weight files', async () => {
    expect((await loadError(await folder((_, w) => w.subarray(0, w.byteLength - 4)))).message).toContain(
      "`weightsManifest[0].paths` ('weights.bin': 100 bytes) is truncated: expected 104 bytes (the manifest's weights), received 100",
    );
    expect((await loadError(await folder((_, w) => Buffer.concat([w, Buffer.alloc(4)])))).message).toContain(
      "`weightsManifest[0].paths` ('weights.bin': 108 bytes) is oversized: expected 104 bytes (the manifest's weights), received 108",
    );
  });

  it('refuses non-finite weights, naming the weight', async () => {
    for (const [value, shown] of [
      [Number.NaN, 'NaN'],
      [Number.POSITIVE_INFINITY, 'Infinity'],
    ] as const) {
      // Byte 64 starts d1's bias (after the 12-float kernel): bias[0].
      const error = await loadError(
        await folder((_, w) => {
          w.writeFloatLE(value, 12 * 4);
        }),
      );
      expect(error.message).toContain(`weight 'd1/bias' holds a non-finite value (${shown}) at flat index 0`);
    }
  });

  it('refuses to save a model with non-finite weights, leaving the saved model in place', async () => {
    const dir = await folder();
    const model = smallModel();
    model.setWeights(
      model.getWeights().map((w, i) => (i === 1 ? tensor(new Float32Array(w.size).fill(Number.NaN), w.shape) : w)),
    );
    await expect(saveModel(model, dir)).rejects.toThrow(
      /modelToArtifacts 'small': weight 'd1\/bias' holds a non-finite value \(NaN\) at flat index 0/,
    );
    expect(weightValues(await loadLayersModel(dir))).toEqual(weightValues(smallModel()));
  });

  it('never reads outside the model folder: absolute paths, .., drive letters, URLs, links', async () => {
    const secret = path.join(root, 'secret.bin');
    await writeFile(secret, Buffer.alloc(104));
    const cases: [string, RegExp][] = [
      [secret, /is absolute/],
      ['../secret.bin', /contains a '\.\.' segment/],
      ['sub/../../secret.bin', /'\.\.' segment/],
      ['C:\\secret.bin', /is absolute/],
      ['file:///etc/passwd', /has a URL scheme/],
      ['', /is empty/],
    ];
    for (const [weightPath, why] of cases) {
      const error = await loadError(
        await folder((j) => {
          if (j.weightsManifest[0]) j.weightsManifest[0].paths = [weightPath];
        }),
      );
      expect(error.message).toMatch(
        /`weightsManifest\[0\]\.paths\[0\]` must be a relative path inside the model's folder/,
      );
      expect(error.message).toMatch(why);
    }
    const dir = await folder((j) => {
      if (j.weightsManifest[0]) j.weightsManifest[0].paths = ['link.bin'];
    });
    await symlink(secret, path.join(dir, 'link.bin'));
    expect((await loadError(dir)).message).toMatch(/weight file 'link.bin' .* links outside the model's folder/);
    const missing = await folder((j) => {
      if (j.weightsManifest[0]) j.weightsManifest[0].paths = ['sub/none.bin'];
    });
    await mkdir(path.join(missing, 'sub'));
    expect((await loadError(missing)).message).toMatch(/weight file 'sub\/none.bin' .* cannot be read/);
  });

  it('refuses shapes over 2^28 values before allocating, and malformed specs', async () => {
    const huge = await loadError(
      await folder((j) => {
        if (j.weightsManifest[0]?.weights[0]) j.weightsManifest[0].weights[0].shape = [65536, 65536, 65536];
      }),
    );
    expect(huge.message).toMatch(/weight 'd1\/kernel': shape \[65536, 65536, 65536\] holds more than 268435456 values/);
    const specCases: [unknown, string, RegExp][] = [
      [
        [-1, 4],
        'shape',
        /`weightsManifest\[0\]\.weights\[0\]\.shape\[0\]` of weight 'd1\/kernel' must be a non-negative integer, received -1/,
      ],
      [[1.5, 4], 'shape', /shape\[0\]` .* received 1.5/],
      ['3x4', 'shape', /`weightsManifest\[0\]\.weights\[0\]\.shape` must be an array/],
      [
        'int32',
        'dtype',
        /`weightsManifest\[0\]\.weights\[0\]\.dtype` of weight 'd1\/kernel' must be 'float32', received 'int32'/,
      ],
      [{ dtype: 'uint8', scale: 1, min: 0 }, 'quantization', /is quantized/],
      [7, 'name', /`weightsManifest\[0\]\.weights\[0\]\.name` must be a string, received 7/],
    ];
    for (const [value, key, message] of specCases) {
      const error = await loadError(
        await folder((j) => {
          if (j.weightsManifest[0]?.weights[0]) j.weightsManifest[0].weights[0][key] = value;
        }),
      );
      expect(error.message).toMatch(message);
    }
    const twice = await loadError(
      await folder((j) => {
        const w = j.weightsManifest[0]?.weights;
        if (w?.[1] && w[0]) w[1] = w[0];
      }),
    );
    expect(twice.message).toMatch(/weight 'd1\/kernel' is listed twice/);
    const extra = await loadError(
      await folder((j, w) => {
        j.weightsManifest[0]?.weights.push({ name: 'd9/kernel', shape: [1], dtype: 'float32' });
        return Buffer.concat([w, Buffer.alloc(4)]);
      }),
    );
    expect(extra.message).toMatch(/weights that match no layer of the model: 'd9\/kernel'/);
  });

  it('refuses layer configs that would allocate too much or that cnnlab cannot honour', async () => {
    const edits: [(c: Record<string, unknown>) => void, RegExp][] = [
      [
        (c) => {
          c.units = 2 ** 27;
        },
        /layers\[0\]` \(Dense 'd1'\): the kernel would hold more than 268435456 values/,
      ],
      [
        (c) => {
          c.batch_input_shape = [null, 2 ** 30];
        },
        /more than 268435456 values per example/,
      ],
      [
        (c) => {
          c.batch_input_shape = [null, -3];
        },
        /`modelTopology\.config\.layers\[0\]\.config\.batchInputShape` must be a list of positive integers/,
      ],
      [
        (c) => {
          c.name = 5;
        },
        /layers\[0\]\.config\.name` must be a string, received 5/,
      ],
      [
        (c) => {
          c.trainable = 'yes';
        },
        /trainable` must be true or false/,
      ],
      [
        (c) => {
          c.kernel_initializer = 5;
        },
        /kernelInitializer` must be a JSON object, received 5/,
      ],
      [
        (c) => {
          c.kernel_initializer = { class_name: 'Nope', config: {} };
        },
        /unknown initializer 'Nope'/,
      ],
      [
        (c) => {
          c.data_format = 'channels_first';
        },
        /must be 'channels_last'/,
      ],
      [
        (c) => {
          c.activation = 'swirl';
        },
        /Unknown activation 'swirl'/,
      ],
    ];
    for (const [edit, message] of edits) {
      const error = await loadError(
        await folder((j) => {
          const first = j.modelTopology.config.layers[0];
          if (first) edit(first.config);
        }),
      );
      expect(error.message).toMatch(message);
    }
  });

  it('survives every hostile value at every field of model.json without a TypeError', () => {
    const artifacts = modelToArtifacts(smallModel());
    const valid = JSON.parse(
      JSON.stringify({ modelTopology: artifacts.modelTopology, weightSpecs: artifacts.weightSpecs }),
    ) as unknown;
    const hostile: unknown[] = [null, 0, -1, 2 ** 40, 0.5, '', 'x', true, [], [null], {}, { class_name: 5 }, [[[[1]]]]];
    /** Every path to a node of a JSON value. */
    const paths = (value: unknown, at: (string | number)[] = []): (string | number)[][] => {
      if (typeof value !== 'object' || value === null) return [at];
      const entries: [string | number, unknown][] = Array.isArray(value)
        ? value.map((v, i) => [i, v])
        : Object.entries(value);
      return [at, ...entries.flatMap(([k, v]) => paths(v, [...at, k]))];
    };
    const replaced = (value: unknown, at: readonly (string | number)[], by: unknown): unknown => {
      const [head, ...rest] = at;
      if (head === undefined) return by;
      if (Array.isArray(value)) return value.map((v: unknown, i) => (i === head ? replaced(v, rest, by) : v));
      if (typeof value === 'object' && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === head ? replaced(v, rest, by) : v]));
      }
      return value;
    };
    let tried = 0;
    for (const at of paths(valid)) {
      for (const by of hostile) {
        const input = replaced(valid, at, by) as { modelTopology: unknown; weightSpecs: unknown };
        try {
          modelFromArtifacts({ ...input, weightData: artifacts.weightData }, 'fuzz');
        } catch (error) {
          if (!(error instanceof FormatError)) {
            throw new Error(`${String(error)} with ${JSON.stringify(by)} at ${at.join('.')}`, { cause: error });
          }
        }
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(1000);
  });

  it('refuses nesting deeper than 64 levels and keeps __proto__ keys inert', () => {
    const artifacts = modelToArtifacts(smallModel());
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const topology = { ...artifacts.modelTopology, extra: deep };
    expect(() => modelFromArtifacts({ ...artifacts, modelTopology: topology }, 'deep')).toThrow(
      /deep: `modelTopology\.extra\[0\]\[0\].*` is nested deeper than 64 levels/,
    );
    const polluted = JSON.parse(
      JSON.stringify(artifacts.modelTopology).replace(
        '"config":{"name":"small"',
        '"config":{"__proto__":{"polluted":1},"name":"small"',
      ),
    ) as object;
    const model = modelFromArtifacts({ ...artifacts, modelTopology: polluted });
    expect(model.name).toBe('small');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
