/**
 * Crash safety with real kills: a child process saving a model is killed (SIGKILL, so no cleanup code runs), and
 * the folder's model.json must then load as exactly one of the saved models, bit for bit — the previous one or the
 * new one, never a mix. The first test kills the save just before each of its file-system calls in turn, so it
 * does not depend on timing: the kills before model.json switches to the new model must leave the old one, those
 * after it the new one, which proves both outcomes on any machine. The second kills a saver looping over models at
 * random moments (also inside a call), and asserts only what holds whenever the kill lands. (crash-injection.test.ts
 * makes the file system fail at each step instead, in process.)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../src/index.js';
import { loadLayersModel, saveModel } from '../../src/node/io/index.js';
import { seededModel, seedOf } from './fixtures/seeded-model.js';
import { firstDifference, weightValues } from './models.js';

let work = '';
let bundle = '';

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'cnnlab-kill-'));
  bundle = path.join(work, 'bundle');
  // The children run plain Node, so the TypeScript fixtures are bundled first, without tree shaking: package.json's
  // `sideEffects: false` would otherwise drop the backend registration (src/backend/index.ts).
  await build({
    configFile: false,
    logLevel: 'silent',
    ssr: { noExternal: true },
    build: {
      ssr: true,
      outDir: bundle,
      minify: false,
      target: 'node20',
      rolldownOptions: {
        treeshake: false,
        input: {
          'save-loop': path.resolve('test/io/fixtures/save-loop.ts'),
          'save-killed': path.resolve('test/io/fixtures/save-killed.ts'),
        },
        output: { entryFileNames: '[name].mjs' },
      },
    },
  });
}, 60_000);

afterAll(async () => {
  if (work !== '') await rm(work, { recursive: true, force: true });
});

function start(fixture: string, args: readonly (string | number)[]): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [path.join(bundle, `${fixture}.mjs`), ...args.map(String)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return { child, output: () => output };
}

/** The child's exit code and signal (as `events.once`, which types them `any`). */
function exitOf(child: ChildProcess): Promise<[number | null, NodeJS.Signals | null]> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      resolve([code, signal]);
    });
  });
}

/** The folder's model: it must load, be one of `seeds`, and equal that seed's model bit for bit. Returns the seed. */
async function expectSavedModel(dir: string, seeds: readonly number[]): Promise<number> {
  const loaded = await loadLayersModel(`file://${dir}/model.json`);
  const seed = seedOf(loaded);
  expect(seeds).toContain(seed);
  const original = seededModel(seed);
  expect(loaded.getConfig()).toEqual(original.getConfig());
  expect(firstDifference(weightValues(loaded), weightValues(original))).toBe('none');
  return seed;
}

describe('crash-safe saving', () => {
  it('a save killed before each of its file-system calls leaves the previous model up to the switch, the new one after', async () => {
    const loaded: number[] = [];
    for (let killAt = 0; ; killAt++) {
      expect(killAt).toBeLessThan(40); // a save makes about 15 calls
      const dir = path.join(work, `kill-at-${killAt}`);
      await saveModel(seededModel(0), dir);
      const { child, output } = start('save-killed', [dir, 1, killAt]);
      const [code, signal] = await exitOf(child);
      if (signal === null) {
        expect({ code, output: output() }).toEqual<{ code: number; output: unknown }>({
          code: 0,
          output: expect.stringMatching(/^saved after \d+ calls\n$/),
        });
        expect(await expectSavedModel(dir, [1])).toBe(1);
        expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
        break;
      }
      expect(signal).toBe('SIGKILL');
      loaded.push(await expectSavedModel(dir, [0, 1]));
      // A clean save removes the temporary and staged files the killed save left behind.
      await saveModel(seededModel(2), dir);
      expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
    }
    // Seeds 0 and 1 differ in architecture, so a model.json paired with the other's weights would not have loaded.
    // The folder switches once, from the previous model to the new one, at a call in the middle of the save.
    const switchAt = loaded.indexOf(1);
    expect(switchAt).toBeGreaterThan(0);
    expect(loaded).toEqual(loaded.map((_, i) => (i < switchAt ? 0 : 1)));
  }, 120_000);

  it('a saver looping over models, killed at random moments, leaves the last finished model or the one after it', async () => {
    const dir = path.join(work, 'loop');
    await saveModel(seededModel(0), dir);
    const random = new Random(2024);
    let next = 1;
    for (let round = 0; round < 3; round++) {
      const { child, output } = start('save-loop', [dir, next]);
      const exited = exitOf(child);
      // Wait until one save has finished, then kill after a random delay.
      while (!output().includes('saved')) {
        if (child.exitCode !== null) throw new Error(`saver exited early (code ${child.exitCode}): ${output()}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await new Promise((resolve) => setTimeout(resolve, random.uniform(0, 20)));
      child.kill('SIGKILL');
      await exited;
      // Every reported save had finished, and at most one more (finished but not yet reported) can have replaced it.
      const finished = (output().match(/saved/g) ?? []).length;
      const lastReported = next + finished - 1;
      const seed = await expectSavedModel(dir, [lastReported, lastReported + 1]);
      next = seed + 1 + (round % 2); // vary which architecture the next saver starts with
    }
  }, 60_000);
});
