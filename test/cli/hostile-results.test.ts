/**
 * Results the CLI must not report as if they were fine, run files it must not lose, and inputs it must refuse in one
 * line (issue 13): datasets too small or with one class, runs that diverge or do not learn, run names that leave
 * --out or reuse a run, oversized --image-size, and a PNG given where a model belongs. Inputs are generated here.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { Random } from '../../src/index.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cnnlab-hostile-results-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A folder dataset: `perClass[c]` random 8×8 grey PNGs in sub-folder `class<c>`. */
async function pngFolder(name: string, perClass: readonly number[]): Promise<string> {
  const root = path.join(dir, name);
  const random = new Random(7);
  for (const [c, count] of perClass.entries()) {
    await mkdir(path.join(root, `class${c}`), { recursive: true });
    for (let i = 0; i < count; i++) {
      const data = Uint8Array.from({ length: 64 }, () => random.int(256));
      await writeFile(path.join(root, `class${c}`, `${i}.png`), encode({ width: 8, height: 8, data, channels: 1 }));
    }
  }
  return root;
}

const FOLDER = ['--model', 'lenet5', '--image-size', '28x28', '--resize', '--epochs', '1', '--quiet'];
/** MNIST, small and fast; the brief model. */
const MNIST = ['--model', 'brief', '--limit', '64', '--test-limit', '32', '--batch-size', '16', '--quiet'];

describe('honest results', () => {
  it('refuses a folder with too few images per class to test on', async () => {
    const data = await pngFolder('one-each', [1, 1, 1]);
    const run = await cli('train', '--dataset', data, ...FOLDER, '--out', dir, '--run-name', 'one-each');
    expect(run.code).toBe(1);
    expect(run.out).not.toContain('Test accuracy');
    expect(run.err).toMatch(/no test images/);
    expect(run.err).toContain(data);
  });

  it('warns that a one-class dataset makes accuracy meaningless', async () => {
    const data = await pngFolder('one-class', [6]);
    const run = await cli('train', '--dataset', data, ...FOLDER, '--out', dir, '--run-name', 'one-class');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/Warning: the dataset has 1 class/);
  }, 60_000);

  it('says so when a run is not learning (too high a learning rate, no NaN)', async () => {
    const run = await cli(
      'train',
      ...MNIST,
      '--epochs',
      '3',
      '--learning-rate',
      '100000',
      '--out',
      dir,
      '--run-name',
      'stuck',
    );
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/Warning: the model is not learning: .*try a lower --learning-rate/);
    // A run that learns gets no such warning.
    const good = await cli('train', ...MNIST, '--epochs', '3', '--out', dir, '--run-name', 'learns');
    expect(good.code).toBe(0);
    expect(good.out).not.toMatch(/not learning/);
  }, 120_000);

  // One batch per epoch, so the first epoch's loss is measured before any update and is finite; the huge rates make
  // the NaN loss (SGD) or NaN weights under a finite loss (Adam) come later.
  it.each([
    ['sgd', '1e10', /the loss became NaN at epoch \d+, batch 1/],
    ['adam', '1e16', /the (loss|weights) became NaN/],
  ])(
    'ends a diverging %s run with --checkpoint on the learning-rate hint, keeping the last good checkpoint',
    async (optimizer, rate, what) => {
      const name = `nan-${optimizer}`;
      const run = await cli(
        'train',
        ...[
          '--model',
          'brief',
          '--limit',
          '32',
          '--test-limit',
          '16',
          '--batch-size',
          '32',
          '--epochs',
          '4',
          '--quiet',
        ],
        ...['--optimizer', optimizer, '--learning-rate', rate, '--checkpoint', '--out', dir, '--run-name', name],
      );
      expect(run.code).toBe(1);
      expect(run.err).toMatch(what);
      expect(run.err).toMatch(
        /^cnnlab: training stopped: .*try a lower --learning-rate; the last good checkpoint is kept/,
      );
      expect(run.err).not.toMatch(/non-finite/);
      const checkpoint = path.join(dir, name, 'checkpoint');
      const state = JSON.parse(await readFile(path.join(checkpoint, 'state.json'), 'utf8')) as { epochs: number };
      expect(state.epochs).toBeGreaterThanOrEqual(1);
      expect(await readdir(checkpoint)).toContain(`epoch-${state.epochs}`);
    },
    120_000,
  );
});

describe('run folders', () => {
  it('refuses a --run-name that leaves --out', async () => {
    const out = path.join(dir, 'contained', 'out');
    for (const name of ['../../escaped', '..', '.', 'a/b', `${path.sep}abs`]) {
      const run = await cli('train', ...MNIST, '--epochs', '1', '--out', out, '--run-name', name);
      expect(run.code).toBe(1);
      expect(run.err).toMatch(/--run-name must be one folder name inside --out/);
    }
    expect(await readdir(dir)).not.toContain('escaped');
    expect(await readdir(path.join(dir, 'contained')).catch(() => [])).toEqual([]);
  });

  it('refuses to replace an existing run without --overwrite, and keeps its files', async () => {
    const first = await cli('train', ...MNIST, '--epochs', '1', '--out', dir, '--run-name', 'kept');
    expect(first.code).toBe(0);
    const runDir = path.join(dir, 'kept');
    const before = await Promise.all(['history.csv', 'metrics.json'].map((f) => readFile(path.join(runDir, f))));
    const again = await cli('train', ...MNIST, '--epochs', '2', '--out', dir, '--run-name', 'kept');
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already holds a run; .*--overwrite/);
    const after = await Promise.all(['history.csv', 'metrics.json'].map((f) => readFile(path.join(runDir, f))));
    expect(after).toEqual(before);
    const replaced = await cli('train', ...MNIST, '--epochs', '2', '--out', dir, '--run-name', 'kept', '--overwrite');
    expect(replaced.code).toBe(0);
    expect((await readFile(path.join(runDir, 'history.csv'), 'utf8')).trim().split('\n')).toHaveLength(3);
  }, 120_000);
});

describe('clear errors', () => {
  it('bounds --image-size and names the flag', async () => {
    const data = await pngFolder('big', [3, 3]);
    const run = await cli('train', '--dataset', data, '--image-size', '100000x100000', '--out', dir);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/--image-size must look like 28x28, each side at most 4096, received '100000x100000'/);
  });

  it('says in one short line that a PNG is not a model', async () => {
    const png = path.join(dir, 'digit.png');
    const pixels = Uint8Array.from({ length: 28 * 28 }, (_, i) => (i * 7) % 256);
    await writeFile(png, encode({ width: 28, height: 28, data: pixels, channels: 1 }));
    const run = await cli('evaluate', png, '--test-limit', '8');
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/is not a model: expected a run folder or a model\.json file/);
    expect(run.err.trimEnd().split('\n')).toHaveLength(1);
    expect(run.err.length).toBeLessThan(400);
    expect(run.err).toMatch(/^[\x20-\x7e]*\n$/);
  });
});
