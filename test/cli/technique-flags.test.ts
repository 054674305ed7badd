/**
 * The brief model's technique flags and `--augment` on `cnnlab train` / `cnnlab summary`: each flag reaches the built
 * model (read back from the saved model.json, the TensorFlow.js format), is recorded in metrics.json, is refused for
 * another model, and a bad value is one line with exit status 2.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { augmentation } from '../../src/cli/options.js';
import { cli } from '../helpers/cli.js';
import { savedTrainOptions } from '../../src/cli/saved-options.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cnnlab-flags-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The smallest run that builds, trains and saves the model. */
const TINY = ['--limit', '16', '--test-limit', '8', '--batch-size', '8', '--epochs', '1', '--quiet'];

interface SavedLayer {
  readonly class_name: string;
  readonly config: Record<string, unknown>;
}

/** The layers of a run's model.json, in order. */
async function savedLayers(runDir: string): Promise<SavedLayer[]> {
  const json = JSON.parse(await readFile(path.join(runDir, 'model.json'), 'utf8')) as {
    modelTopology: { config: { layers: SavedLayer[] } };
  };
  return json.modelTopology.config.layers;
}

describe("the brief model's technique flags", () => {
  it('each flag changes the model it trains, and metrics.json records them', async () => {
    const run = await cli(
      'train',
      '--model',
      'brief',
      ...TINY,
      '--out',
      dir,
      '--run-name',
      'flags',
      '--activation',
      'leaky_relu',
      '--batch-norm',
      '--batch-norm-momentum',
      '0.9',
      '--dropout',
      '0.25',
      '--l2',
      '0.001',
      '--kernel-size',
      '5',
      '--padding',
      'same',
      '--pooling',
      'average',
      '--augment',
      'shift=1,flip',
    );
    expect(run).toMatchObject({ code: 0, err: '' });
    const layers = await savedLayers(path.join(dir, 'flags'));
    const of = (className: string): SavedLayer[] => layers.filter((l) => l.class_name === className);
    expect(of('Conv2D')).toHaveLength(3);
    for (const conv of of('Conv2D')) {
      expect(conv.config).toMatchObject({
        kernel_size: [5, 5],
        padding: 'same',
        activation: 'linear',
        use_bias: false,
        kernel_regularizer: { class_name: 'L1L2', config: { l1: 0, l2: 0.001 } },
      });
    }
    expect(of('Dense').map((d) => d.config.kernel_regularizer)).toEqual(
      [0, 1].map(() => ({ class_name: 'L1L2', config: { l1: 0, l2: 0.001 } })),
    );
    // Batch norm after the three convs and the hidden dense layer, each followed by the (Keras-spelled) activation.
    expect(of('BatchNormalization').map((b) => b.config.momentum)).toEqual([0.9, 0.9, 0.9, 0.9]);
    expect(of('Activation').map((a) => a.config.activation)).toEqual([
      'leaky_relu',
      'leaky_relu',
      'leaky_relu',
      'leaky_relu',
    ]);
    expect(of('AveragePooling2D')).toHaveLength(2);
    expect(of('MaxPooling2D')).toHaveLength(0);
    expect(of('Dropout').map((d) => d.config.rate)).toEqual([0.25]);

    const metrics = JSON.parse(await readFile(path.join(dir, 'flags', 'metrics.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(metrics.modelOptions).toEqual({
      activation: 'leakyRelu',
      batchNorm: true,
      batchNormMomentum: 0.9,
      dropout: 0.25,
      l2: 0.001,
      kernelSize: 5,
      padding: 'same',
      pooling: 'average',
    });
    expect(metrics.augment).toEqual({ shift: 1, horizontalFlip: true });
  }, 60_000);

  it("without flags the brief model is the brief's, and metrics.json has no modelOptions", async () => {
    expect(await cli('train', '--model', 'brief', ...TINY, '--out', dir, '--run-name', 'plain')).toMatchObject({
      code: 0,
      err: '',
    });
    const layers = await savedLayers(path.join(dir, 'plain'));
    expect(layers.map((l) => l.class_name)).toEqual([
      'Conv2D',
      'MaxPooling2D',
      'Conv2D',
      'MaxPooling2D',
      'Conv2D',
      'Flatten',
      'Dense',
      'Dropout',
      'Dense',
    ]);
    const metrics = JSON.parse(await readFile(path.join(dir, 'plain', 'metrics.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(metrics).not.toHaveProperty('modelOptions');
    expect(metrics).not.toHaveProperty('augment');

    // The same run with --augment trains on other images: its loss differs (training is deterministic, so an
    // ignored --augment would give the same loss to the last bit).
    expect(
      await cli('train', '--model', 'brief', ...TINY, '--out', dir, '--run-name', 'turned', '--augment', 'rotation=30'),
    ).toMatchObject({ code: 0, err: '' });
    const turned = JSON.parse(await readFile(path.join(dir, 'turned', 'metrics.json'), 'utf8')) as {
      history: { loss: number[] };
    };
    expect(turned.history.loss[0]).not.toBe((metrics as { history: { loss: number[] } }).history.loss[0]);
  }, 60_000);

  it('summary builds the brief model with the flags: --pooling strided has no pooling layers, its convs stride 2', async () => {
    const { code, out } = await cli('summary', 'brief', '--pooling', 'strided', '--dropout', '0');
    expect(code).toBe(0);
    expect(out).not.toMatch(/Pooling2D|Dropout/);
    // 28 → valid 3×3 conv at stride 2: floor((28 − 3) / 2) + 1 = 13, then floor((13 − 3) / 2) + 1 = 6, then 6 − 2 = 4.
    expect(out).toMatch(/\(Conv2D\)\s+\(None, 13, 13, 32\)/);
    expect(out).toMatch(/\(Conv2D\)\s+\(None, 6, 6, 64\)/);
    expect(out).toMatch(/\(Conv2D\)\s+\(None, 4, 4, 64\)/);
  });
});

describe('refused command lines', () => {
  it('a bad value is one line naming the flag, the expectation and the value, with exit status 2', async () => {
    const cases: readonly (readonly [string, string, string])[] = [
      [
        '--activation',
        'relux',
        "--activation must be one of linear, relu, relu6, leakyRelu, elu, selu, sigmoid, hardSigmoid, tanh, softplus, softsign, swish, gelu, softmax, received 'relux'",
      ],
      ['--batch-norm-momentum', '1', "--batch-norm-momentum must be a number in [0, 1), received '1'"],
      ['--dropout', '-0.1', "--dropout must be a number in [0, 1), received '-0.1'"],
      ['--l2', '0', "--l2 must be a number in (0, Infinity), received '0'"],
      ['--kernel-size', '2.5', "--kernel-size must be a positive integer, received '2.5'"],
      ['--padding', 'full', "--padding must be one of valid, same, received 'full'"],
      ['--pooling', 'min', "--pooling must be one of max, average, strided, received 'min'"],
      [
        '--augment',
        'shift=-1',
        "--augment must be comma-separated shift=<integer pixels>, rotation=<degrees in [0, 180]> and flip, like shift=2,rotation=10, received 'shift=-1'",
      ],
    ];
    for (const [flag, value, message] of cases) {
      const { code, err } = await cli('train', flag, value);
      expect(code, flag).toBe(2);
      expect(err, flag).toMatch(/^error: [^\n]*\n$/);
      expect(err, flag).toContain(message);
    }
  });

  it('brief-model flags are refused with another model, whether built in or a file', async () => {
    const lenet = await cli('train', '--model', 'lenet5', '--l2', '0.01', '--pooling', 'average');
    expect(lenet).toMatchObject({
      code: 2,
      err: "error: --l2, --pooling apply only to the brief model, received --model 'lenet5'\n",
    });
    const file = path.join(dir, 'model.json');
    await writeFile(file, '{}');
    expect(await cli('train', '--model', file, '--batch-norm')).toMatchObject({
      code: 2,
      err: `error: --batch-norm applies only to the brief model, received --model '${file}'\n`,
    });
    expect(await cli('summary', 'lenet5', '--activation', 'tanh')).toMatchObject({
      code: 2,
      err: "error: --activation applies only to the brief model, received model 'lenet5'\n",
    });
    // --augment changes the data, not the model: it is no brief-model flag (and parses here without a run).
    expect(augmentation('--augment')('rotation=5')).toEqual({ rotation: 5 });
  });

  it('--batch-norm-momentum without --batch-norm is refused', async () => {
    expect(await cli('train', '--batch-norm-momentum', '0.9')).toMatchObject({
      code: 2,
      err: "error: --batch-norm-momentum sets the momentum of --batch-norm's layers: give --batch-norm too, received --batch-norm-momentum 0.9 alone\n",
    });
  });
});

describe('--augment', () => {
  const parse = augmentation('--augment');

  it('reads shift, rotation and flip, comma-separated, in any order', () => {
    expect(parse('shift=2,rotation=10')).toEqual({ shift: 2, rotation: 10 });
    expect(parse('flip, rotation=7.5')).toEqual({ horizontalFlip: true, rotation: 7.5 });
    expect(parse('shift=0')).toEqual({ shift: 0 });
  });

  it('refuses unknown keys, repeats, missing or extra values and out-of-range numbers', () => {
    for (const value of [
      '',
      'zoom=2',
      'shift=1,shift=2',
      'shift',
      'flip=1',
      'shift=1.5',
      'rotation=181',
      'rotation=',
      'shift=1=2',
    ]) {
      expect(() => parse(value), value).toThrow(`received '${value}'`);
    }
  });

  it('alone stands for small shifts and turns, no flips (digits are not mirror-symmetric)', async () => {
    expect(
      await cli('train', '--model', 'lenet5', ...TINY, '--out', dir, '--run-name', 'augment', '--augment'),
    ).toMatchObject({ code: 0, err: '' });
    const metrics = JSON.parse(await readFile(path.join(dir, 'augment', 'metrics.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(metrics.augment).toEqual({ shift: 2, rotation: 10 });
  }, 60_000);
});

describe("a checkpoint's technique options", () => {
  const valid = {
    model: 'brief',
    dataset: 'mnist',
    epochs: 1,
    batchSize: 8,
    optimizer: 'adam',
    seed: 0,
    validationSplit: 0,
    out: 'runs',
    quiet: true,
  };

  it('are read back checked', () => {
    const options = savedTrainOptions(
      { ...valid, modelOptions: { pooling: 'strided', l2: 0.01 }, augment: { rotation: 3 } },
      'state.json',
    );
    expect(options.modelOptions).toMatchObject({ pooling: 'strided', l2: 0.01 });
    expect(options.augment).toMatchObject({ rotation: 3 });
  });

  it('a damaged one names the field', () => {
    expect(() => savedTrainOptions({ ...valid, modelOptions: { pooling: 'min' } }, 'state.json')).toThrow(
      "`data.options.modelOptions.pooling` must be one of max, average, strided, received 'min'",
    );
    expect(() => savedTrainOptions({ ...valid, augment: { shift: -1 } }, 'state.json')).toThrow(
      '`data.options.augment.shift` must be a non-negative integer, received -1',
    );
    expect(() => savedTrainOptions({ ...valid, modelOptions: 3 }, 'state.json')).toThrow(
      '`data.options.modelOptions` must be a JSON object, received 3',
    );
  });
});
