/**
 * Property-based fuzzing of the model loader (fast-check): 1,000 in-memory and 40 on-disk model files, each a valid
 * one (a small conv net with batch normalization, saved with its optimizer's state) changed by one to four random
 * mutations — fields deleted, replaced or retyped, shapes changed, huge numbers, paths with `..`, weight data cut,
 * extended or overwritten. Each must either load as a working model or throw a FormatError whose message starts with
 * the file (the checks name the field too) — never a TypeError, RangeError or untyped Error — and each must finish
 * quickly.
 *
 * The seed is fixed so the suite is repeatable; explore further with other seeds and more runs, e.g.
 * `FUZZ_SEED=7 FUZZ_RUNS=20000 npx vitest run --project js test/io/fuzz.test.ts`.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FormatError,
  layers,
  modelFromArtifacts,
  modelToArtifacts,
  optimizers,
  type LayersModel,
  type Sequential,
  sequential,
  tensor,
  zeros,
} from '../../src/index.js';
import { modelJson } from '../../src/io/index.js';
import { loadLayersModel } from '../../src/node/io/index.js';
import { input, randomizeWeights } from './models.js';

/** The valid file every case starts from: conv → batch norm → pool → dense, trained one step with Adam. */
function baseModel(): Sequential {
  const model = sequential({
    name: 'fuzzed',
    layers: [
      layers.conv2d({
        filters: 2,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        inputShape: [4, 4, 1],
        name: 'conv',
      }),
      layers.batchNormalization({ name: 'bn' }),
      layers.maxPooling2d({ poolSize: 2, name: 'pool' }),
      layers.dropout({ rate: 0.25, seed: 1, name: 'drop' }),
      layers.flatten({ name: 'flat' }),
      layers.dense({ units: 3, activation: 'softmax', name: 'dense' }),
    ],
  });
  randomizeWeights(model, 5);
  model.compile({ optimizer: optimizers.adam(), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  model.trainOnBatch(input([2, 4, 4, 1], 6), tensor([0, 2], [2]));
  return model;
}

const base = modelToArtifacts(baseModel(), {
  includeOptimizer: true,
  loss: 'sparseCategoricalCrossentropy',
  metrics: ['accuracy'],
});
/** The JSON part of the in-memory artifacts (weight data apart), and of the model.json on disk. */
const baseArtifactsJson: unknown = JSON.parse(
  JSON.stringify({
    format: base.format,
    generatedBy: base.generatedBy,
    convertedBy: base.convertedBy,
    modelTopology: base.modelTopology,
    weightSpecs: base.weightSpecs,
    trainingConfig: base.trainingConfig,
  }),
);
const baseModelJson: unknown = JSON.parse(JSON.stringify(modelJson(base)));
const baseBytes = new Uint8Array(base.weightData);

type Key = string | number;

/** Every path to a node of a JSON value (the root included). */
function paths(value: unknown, at: Key[] = []): Key[][] {
  if (typeof value !== 'object' || value === null) return [at];
  const entries: [Key, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return [at, ...entries.flatMap(([k, v]) => paths(v, [...at, k]))];
}

function get(value: unknown, at: readonly Key[]): unknown {
  let node = value;
  for (const key of at) node = typeof node === 'object' && node !== null ? Reflect.get(node, key) : undefined;
  return node;
}

/** `value` with the node at `at` replaced by `fn(node)`; `undefined` deletes it (from an object or an array). */
function update(value: unknown, at: readonly Key[], fn: (node: unknown) => unknown): unknown {
  const [head, ...rest] = at;
  if (head === undefined) return fn(value);
  if (Array.isArray(value)) {
    const items: unknown[] = value;
    return items.flatMap((v, i) => {
      if (i !== head) return [v];
      const next = update(v, rest, fn);
      return next === undefined ? [] : [next];
    });
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).flatMap(([k, v]) => {
        if (k !== head) return [[k, v]];
        const next = update(v, rest, fn);
        return next === undefined ? [] : [[k, next]];
      }),
    );
  }
  return value;
}

/** Values a hostile or broken file might hold. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    0,
    -1,
    0.5,
    1e308,
    -1e308,
    2 ** 31,
    2 ** 53,
    2 ** 60,
    5e-324,
    '',
    true,
    false,
    [],
    {},
    [null],
    '../weights.bin',
    '/etc/passwd',
    'a/../../b',
    'C:\\w.bin',
    'http://x/w.bin',
    '..',
    '\0',
    '__proto__',
    'constructor',
    'toString',
    'Dense',
    'Conv2D',
    'LSTM',
    'Sequential',
    'Functional',
    'graph-model',
    'float16',
    'int32',
    'optimizer',
    'iter',
    'same',
    'valid',
    'channels_first',
    'relu',
    'Adam',
    'SGD',
    'x'.repeat(10_000),
    { class_name: 'Dense', config: {} },
    [[[[1]]]],
  ),
  fc.integer({ min: -3, max: 70 }),
  fc.double(),
  fc.string({ maxLength: 12 }),
  fc.array(fc.integer({ min: -2, max: 40 }), { maxLength: 5 }),
  fc.jsonValue({ maxDepth: 2 }),
);

/** One edit of a JSON document, applied to the node at `target` (an index into the document's paths, modulo). */
const jsonMutation = fc.record({
  target: fc.nat(),
  op: fc.constantFrom('delete', 'replace', 'replace', 'retype', 'duplicate', 'swap', 'shape'),
  value: hostileValue,
  other: fc.nat(),
  dims: fc.array(fc.oneof(fc.integer({ min: 0, max: 9 }), fc.constantFrom(-1, 2 ** 20, 2 ** 40, 1.5, null)), {
    maxLength: 5,
  }),
});
type JsonMutation = typeof jsonMutation extends fc.Arbitrary<infer T> ? T : never;

/** A value of another JSON type, built from the old one. */
function retyped(node: unknown): unknown {
  if (typeof node === 'number') return String(node);
  if (typeof node === 'string') return node.length === 0 ? 0 : [node];
  if (Array.isArray(node)) return Object.fromEntries(node.entries());
  if (typeof node === 'object' && node !== null) return Object.values(node);
  return node === null ? {} : null;
}

function mutate(document: unknown, m: JsonMutation): unknown {
  const all = paths(document);
  const at = all[m.target % all.length] ?? [];
  switch (m.op) {
    case 'delete':
      return at.length === 0 ? m.value : update(document, at, () => undefined);
    case 'replace':
      return update(document, at, () => m.value);
    case 'retype':
      return update(document, at, retyped);
    case 'shape':
      return update(document, at, () => m.dims);
    case 'duplicate':
    case 'swap': {
      const node = get(document, at);
      if (!Array.isArray(node) || node.length === 0) return update(document, at, () => m.value);
      const items: unknown[] = node.slice();
      const i = m.other % items.length;
      if (m.op === 'duplicate') items.push(items[i]);
      else [items[0], items[i]] = [items[i], items[0]];
      return update(document, at, () => items);
    }
    default:
      return document;
  }
}

/** One edit of the weight bytes. */
const bytesMutation = fc.oneof(
  fc.record({ op: fc.constant('none' as const) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('extend' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({
    op: fc.constant('overwrite' as const),
    at: fc.nat(),
    bytes: fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 8 }),
      fc.constantFrom(
        new Uint8Array([0, 0, 0xc0, 0x7f]),
        new Uint8Array([0, 0, 0x80, 0x7f]),
        new Uint8Array([0xff, 0xff, 0x7f, 0x7f]),
      ),
    ),
  }),
);
type BytesMutation = typeof bytesMutation extends fc.Arbitrary<infer T> ? T : never;

function mutateBytes(bytes: Uint8Array, m: BytesMutation): Uint8Array {
  if (m.op === 'truncate') return bytes.slice(0, m.at % (bytes.length + 1));
  if (m.op === 'extend') return Uint8Array.from([...bytes, ...m.bytes]);
  if (m.op === 'overwrite') {
    const out = bytes.slice();
    const start = (m.at % Math.max(bytes.length, 1)) & ~3;
    out.set(m.bytes.subarray(0, Math.max(0, out.length - start)), start);
    return out;
  }
  return bytes;
}

const fileCase = fc.record({
  json: fc.array(jsonMutation, { minLength: 1, maxLength: 4 }),
  bytes: bytesMutation,
  dataAs: fc.constantFrom('buffer', 'buffer', 'buffer', 'list', 'other'),
});

/** A loaded model must work: predict on zeros of its input shape gives its output shape (when the input is small). */
function expectWorking(model: LayersModel): void {
  const shape = model.inputShape.map((d, i) => (i === 0 ? 2 : (d ?? 1)));
  if (shape.reduce((a, b) => a * b, 1) > 100_000) return;
  const y = model.predict(zeros(shape));
  expect(y.shape).toEqual(model.outputShape.map((d, i) => (i === 0 ? 2 : d)));
}

/** Fails unless `error` is a FormatError whose message starts with the file (`where`) and says what is wrong. */
function expectNamedError(error: unknown, where: string, what: string): void {
  if (!(error instanceof FormatError)) {
    throw new Error(
      `${what}: expected a FormatError, received ${error instanceof Error ? `${error.constructor.name}: ${error.message}\n${error.stack}` : String(error)}`,
    );
  }
  if (!error.message.startsWith(`${where}: `) || error.message.length < where.length + 12) {
    throw new Error(`${what}: the error does not name the file and the problem: ${error.message}`);
  }
}

/** Runs `load` and checks its outcome and duration. */
function checkOutcome(
  where: string,
  what: string,
  ms: number,
  outcome: { model: LayersModel } | { error: unknown },
): void {
  if (ms > 2000) throw new Error(`${what}: took ${ms.toFixed(0)} ms`);
  if ('model' in outcome) expectWorking(outcome.model);
  else expectNamedError(outcome.error, where, what);
}

describe('fuzzing the loader with mutated model files', () => {
  it('1,000 in-memory files: each loads a working model or throws an Error naming the file', () => {
    let loaded = 0;
    let refused = 0;
    fc.assert(
      fc.property(fileCase, (c) => {
        let document = baseArtifactsJson;
        for (const m of c.json) document = mutate(document, m);
        const bytes = mutateBytes(baseBytes, c.bytes);
        const data =
          c.dataAs === 'buffer'
            ? bytes.slice().buffer
            : c.dataAs === 'list'
              ? [bytes.slice(0, 8).buffer, bytes.slice(8).buffer]
              : Array.from(bytes.subarray(0, 4));
        const artifacts =
          typeof document === 'object' && document !== null ? { ...document, weightData: data } : document;
        const what = `case ${JSON.stringify(c).slice(0, 400)}`;
        const start = performance.now();
        let outcome: { model: LayersModel } | { error: unknown };
        try {
          outcome = {
            model: modelFromArtifacts(
              typeof artifacts === 'object' && artifacts !== null ? artifacts : {},
              'fuzz/model.json',
            ),
          };
          loaded++;
        } catch (error) {
          outcome = { error };
          refused++;
        }
        checkOutcome('fuzz/model.json', what, performance.now() - start, outcome);
      }),
      {
        numRuns: Number(process.env.FUZZ_RUNS ?? 1000),
        seed: Number(process.env.FUZZ_SEED ?? 20_251_129),
        endOnFailure: true,
      },
    );
    // Both outcomes occurred: the mutations neither always broke the file nor never did.
    expect(loaded).toBeGreaterThan(5);
    expect(refused).toBeGreaterThan(500);
  });

  describe('on disk', () => {
    let root = '';
    beforeAll(async () => {
      root = await mkdtemp(path.join(tmpdir(), 'cnnlab-fuzz-'));
    });
    afterAll(async () => {
      await rm(root, { recursive: true, force: true });
    });

    it('40 files in folders (paths with .., absolute, missing): each loads or throws naming model.json', async () => {
      let count = 0;
      await fc.assert(
        fc.asyncProperty(fileCase, async (c) => {
          const dir = path.join(root, `case${count++}`);
          await mkdir(dir, { recursive: true });
          let document = baseModelJson;
          for (const m of c.json) document = mutate(document, m);
          await writeFile(path.join(dir, 'model.json'), JSON.stringify(document) ?? 'undefined');
          await writeFile(path.join(dir, 'weights.bin'), mutateBytes(baseBytes, c.bytes));
          await writeFile(path.join(root, 'weights.bin'), baseBytes); // what a `..` path would reach
          const where = path.join(dir, 'model.json');
          const start = performance.now();
          const outcome = await loadLayersModel(where).then(
            (model) => ({ model }),
            (error: unknown) => ({ error }),
          );
          checkOutcome(where, `case ${JSON.stringify(c).slice(0, 400)}`, performance.now() - start, outcome);
        }),
        { numRuns: 40, seed: 1129, endOnFailure: true },
      );
      expect(count).toBe(40);
    });
  });
});
