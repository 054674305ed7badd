import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { loadMnist } from '../../src/node/data/index.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cnnlab-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('cnnlab train / evaluate / predict', () => {
  it('trains, writes a complete run folder, and evaluate/predict read it back', async () => {
    const train = await cli(
      'train',
      '--model',
      'lenet5',
      '--limit',
      '256',
      '--test-limit',
      '200',
      '--epochs',
      '2',
      '--batch-size',
      '32',
      '--out',
      dir,
      '--run-name',
      'run1',
      '--quiet',
      '--seed',
      '3',
    );
    expect(train.err).toBe('');
    expect(train.code).toBe(0);
    const runDir = path.join(dir, 'run1');
    expect(train.out).toContain(`Run saved to ${runDir}`);
    const metrics = JSON.parse(await readFile(path.join(runDir, 'metrics.json'), 'utf8')) as Record<string, unknown>;
    expect(metrics).toMatchObject({
      model: 'lenet5',
      dataset: 'mnist',
      epochs: 2,
      batchSize: 32,
      trainExamples: 256,
      testExamples: 200,
    });
    expect(metrics.epochSeconds).toHaveLength(2);
    expect(metrics.imagesPerSecond).toBeGreaterThan(0);
    const history = (await readFile(path.join(runDir, 'history.csv'), 'utf8')).trim().split('\n');
    expect(history[0]).toBe('epoch,accuracy,loss');
    expect(history).toHaveLength(3);

    // evaluate loads the saved files from disk: it must reproduce the accuracy train measured in memory.
    const evaluated = await cli('evaluate', runDir, '--test-limit', '200');
    expect(evaluated.code).toBe(0);
    expect(evaluated.out).toContain(`accuracy ${((metrics.testAccuracy as number) * 100).toFixed(2)}%`);

    // predict on a real MNIST test digit written as a PNG: three classes, best first, probabilities in [0, 1].
    const test = await loadMnist({ split: 'test' });
    const pixels = Uint8Array.from(test.x.subarray(0, 784), (v) => Math.round(v * 255));
    const png = path.join(dir, 'digit.png');
    await writeFile(png, encode({ width: 28, height: 28, data: pixels, channels: 1, depth: 8 }));
    const predicted = await cli('predict', runDir, png);
    expect(predicted.code).toBe(0);
    const match = /digit\.png: (\d) ([\d.]+)%, (\d) ([\d.]+)%, (\d) ([\d.]+)%/.exec(predicted.out);
    expect(match).not.toBeNull();
    const probabilities = [match?.[2], match?.[4], match?.[6]].map(Number);
    expect(probabilities[0]).toBeGreaterThanOrEqual(probabilities[1] ?? 0);
    expect(probabilities[1]).toBeGreaterThanOrEqual(probabilities[2] ?? 0);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(100.05);
  }, 120_000);

  it('summary prints the brief model’s Keras table', async () => {
    const { code, out } = await cli('summary', 'brief');
    expect(code).toBe(0);
    expect(out).toContain('Total params: 93,322');
  });
});

describe('bad command lines', () => {
  it('a bad value or flag prints one line and exits 2', async () => {
    for (const argv of [
      ['train', '--epochs', '0'],
      ['train', '--bogus'],
      ['train', '--validation-split', '1'],
      ['train', '--backend', 'gpu'],
      ['frobnicate'],
    ]) {
      const { code, err } = await cli(...argv);
      expect(code, argv.join(' ')).toBe(2);
      expect(err.split('\n')[0], argv.join(' ')).toMatch(/^error: /);
      expect(err).not.toMatch(/\n\s+at /);
    }
    expect((await cli('train', '--epochs', '0')).err).toContain("--epochs must be a positive integer, received '0'");
  });

  it('a failure while running prints one line naming the problem and exits 1', async () => {
    const missing = await cli('train', '--dataset', path.join(dir, 'nope'), '--quiet');
    expect(missing.code).toBe(1);
    expect(missing.err).toBe(
      `cnnlab: --dataset must be mnist, fashion-mnist or a folder of class sub-folders, received '${path.join(dir, 'nope')}' (no such folder)\n`,
    );
    const badModel = path.join(dir, 'bad.json');
    await writeFile(badModel, JSON.stringify({ name: 'm', layers: [{ className: 'Conv3D', config: {} }] }));
    const unknown = await cli('train', '--model', badModel, '--limit', '64', '--quiet', '--out', dir);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/^cnnlab: Unknown layer class 'Conv3D'; known layers: Activation, Dense/);
  });

  it('--help describes every command', async () => {
    const { code, out } = await cli('--help');
    expect(code).toBe(0);
    for (const command of ['train', 'evaluate', 'predict', 'summary']) expect(out).toContain(command);
    const trainHelp = await cli('train', '--help');
    expect(trainHelp.out).toContain('--batch-size <n>');
  });
});

describe('--model from a file', () => {
  it('trains the architecture of a saved TensorFlow.js model.json', async () => {
    const { code, err } = await cli(
      'train',
      '--model',
      path.join(dir, 'run1', 'model.json'),
      '--limit',
      '64',
      '--test-limit',
      '32',
      '--epochs',
      '1',
      '--quiet',
      '--out',
      dir,
      '--run-name',
      'from-json',
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    const metrics = JSON.parse(await readFile(path.join(dir, 'from-json', 'metrics.json'), 'utf8')) as {
      params: number;
    };
    // The same LeNet-5 architecture as run1: 61,706 parameters.
    expect(metrics.params).toBe(61706);
  }, 60_000);
});
