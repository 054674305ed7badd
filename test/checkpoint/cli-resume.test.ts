/**
 * `cnnlab train --checkpoint` and `--resume`, end to end on real MNIST with the brief model (whose Dropout has its
 * own seed): a run stopped after epoch 2 and resumed to epoch 3 writes the same history, metrics history, model and
 * checkpoint as a run that was never stopped, bit for bit.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { readTrainingState } from '../../src/node/checkpoint.js';
import { loadLayersModel } from '../../src/node/io/index.js';
import { firstDifference, weightValues } from '../io/models.js';
import { parseJsonObject } from '../helpers/json.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cnnlab-resume-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The js reference backend trains the brief model about 20× slower than wasm: it gets a smaller subset. */
const small = process.env.CNNLAB_BACKEND === 'js';
const RUN = [
  '--model',
  'brief',
  '--limit',
  small ? '12' : '160',
  '--test-limit',
  small ? '4' : '64',
  '--batch-size',
  small ? '6' : '32',
  '--validation-split',
  '0.25',
  '--seed',
  '4',
  '--out',
  '',
  '--quiet',
];
const run = (...extra: string[]): string[] => ['train', ...RUN.map((a) => (a === '' ? dir : a)), ...extra];

describe('cnnlab train --checkpoint / --resume', () => {
  it('a run stopped after epoch 2 and resumed to 3 equals the uninterrupted run, bit for bit', async () => {
    expect(await cli(...run('--epochs', '3', '--run-name', 'whole', '--checkpoint'))).toMatchObject({
      code: 0,
      err: '',
    });
    expect(await cli(...run('--epochs', '2', '--run-name', 'split', '--checkpoint'))).toMatchObject({
      code: 0,
      err: '',
    });
    const split = path.join(dir, 'split');
    const whole = path.join(dir, 'whole');
    expect((await readTrainingState(path.join(split, 'checkpoint'))).epochs).toBe(2);
    const resumed = await cli('train', '--resume', split, '--epochs', '3', '--quiet');
    expect(resumed).toMatchObject({ code: 0, err: '' });
    expect(resumed.out).toContain('resuming after epoch 2');

    const read = async (run: string, file: string) => readFile(path.join(run, file), 'utf8');
    const metrics = async (run: string) =>
      JSON.parse(await read(run, 'metrics.json')) as {
        history: Record<string, number[]>;
        epochs: number;
        testLoss: number;
      };
    const [a, b] = [await metrics(whole), await metrics(split)];
    expect(Object.keys(a.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    expect(b.history).toEqual(a.history);
    expect(b.epochs).toBe(3);
    expect(b.testLoss).toBe(a.testLoss);
    expect(await read(split, 'history.csv')).toBe(await read(whole, 'history.csv'));
    expect((await read(whole, 'history.csv')).trim().split('\n')).toHaveLength(4);
    const [modelA, modelB] = [await loadLayersModel(whole), await loadLayersModel(split)];
    expect(firstDifference(weightValues(modelB), weightValues(modelA))).toBe('none');
    const [stateA, stateB] = [
      await readTrainingState(path.join(whole, 'checkpoint')),
      await readTrainingState(path.join(split, 'checkpoint')),
    ];
    expect(stateB.random).toEqual(stateA.random);
    // The brief model's Dropout has its own seeded generator: its state is saved, and equal after the resume. (Keys
    // are layer names, which differ here: the two runs' models were built in one process, 'dropout' and 'dropout_1'.)
    expect(Object.keys(stateA.layerRandom)).toHaveLength(1);
    expect(Object.values(stateB.layerRandom)).toEqual(Object.values(stateA.layerRandom));
    const options = (state: typeof stateA): Record<string, unknown> =>
      parseJsonObject(JSON.stringify(state.data.options));
    expect(options(stateB)).toEqual({ ...options(stateA), runName: 'split' });
    expect((await readdir(path.join(split, 'checkpoint'))).sort()).toEqual(['epoch-3', 'state.json']);
  }, 120_000);

  it('the technique flags and --augment are restored: a resumed run equals the uninterrupted one', async () => {
    const flags = [
      '--model',
      'brief',
      '--limit',
      small ? '12' : '24',
      '--test-limit',
      small ? '4' : '8',
      '--batch-size',
      small ? '6' : '8',
      '--seed',
      '2',
      '--out',
      dir,
      '--quiet',
      '--checkpoint',
      '--batch-norm',
      '--batch-norm-momentum',
      '0.8',
      '--pooling',
      'average',
      '--padding',
      'same',
      '--l2',
      '0.001',
      '--activation',
      'elu',
      '--dropout',
      '0.3',
      '--kernel-size',
      '5',
      '--augment',
      'shift=2,rotation=15,flip',
    ];
    expect(await cli('train', ...flags, '--epochs', '2', '--run-name', 'flags-whole')).toMatchObject({
      code: 0,
      err: '',
    });
    expect(await cli('train', ...flags, '--epochs', '1', '--run-name', 'flags-split')).toMatchObject({
      code: 0,
      err: '',
    });
    const [whole, split] = [path.join(dir, 'flags-whole'), path.join(dir, 'flags-split')];
    expect(await cli('train', '--resume', split, '--epochs', '2', '--quiet')).toMatchObject({ code: 0, err: '' });
    const metrics = async (run: string) =>
      JSON.parse(await readFile(path.join(run, 'metrics.json'), 'utf8')) as Record<string, unknown>;
    const [a, b] = [await metrics(whole), await metrics(split)];
    // Augmentation draws from the run's generator: had the resumed epoch not augmented alike, its loss would differ.
    expect(b.history).toEqual(a.history);
    expect(b.modelOptions).toEqual({
      batchNorm: true,
      batchNormMomentum: 0.8,
      pooling: 'average',
      padding: 'same',
      l2: 0.001,
      activation: 'elu',
      dropout: 0.3,
      kernelSize: 5,
    });
    expect(b.augment).toEqual({ shift: 2, rotation: 15, horizontalFlip: true });
    const [modelA, modelB] = [await loadLayersModel(whole), await loadLayersModel(split)];
    expect(firstDifference(weightValues(modelB), weightValues(modelA))).toBe('none');
  }, 120_000);

  it('--resume takes the options from the checkpoint: others are refused', async () => {
    const refused = await cli('train', '--resume', path.join(dir, 'one'), '--batch-size', '16', '--limit', '10');
    expect(refused.code).toBe(2);
    expect(refused.err).toBe(
      "error: --resume takes the run's options from its checkpoint; only --epochs, --quiet, --backend and --threads may be given with it, received --batch-size, --limit\n",
    );
  });

  it('--resume of a run without a checkpoint names the missing state.json', async () => {
    const missing = await cli('train', '--resume', path.join(dir, 'nothing-here'));
    expect(missing.code).toBe(1);
    expect(missing.err).toBe(
      `cnnlab: ${path.join(dir, 'nothing-here', 'checkpoint', 'state.json')}: no checkpoint to resume from (ENOENT: no such file or directory, open '${path.join(dir, 'nothing-here', 'checkpoint', 'state.json')}')\n`,
    );
  });
});
