/**
 * Crash safety: a child process saves models in a loop and is killed (SIGKILL) at random moments; after every
 * kill the folder's model.json must load, and be exactly one of the saved models (previous or new, never a mix).
 */
import { spawn } from 'node:child_process';
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
let script = '';

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'cnnlab-kill-'));
  const outDir = path.join(work, 'bundle');
  // The child runs plain Node, so the TypeScript fixture is bundled first, without tree shaking: package.json's
  // `sideEffects: false` would otherwise drop the backend registration (src/backend/index.ts).
  await build({ configFile: false, logLevel: 'silent', ssr: { noExternal: true }, build: { ssr: path.resolve('test/io/fixtures/save-loop.ts'), outDir,
    minify: false, target: 'node20', rolldownOptions: { treeshake: false, output: { entryFileNames: 'save-loop.mjs' } } } });
  script = path.join(outDir, 'save-loop.mjs');
}, 60_000);

afterAll(async () => {
  if (work !== '') await rm(work, { recursive: true, force: true });
});

/** Starts the saver, waits until it has saved `saves` models, then SIGKILLs it after a random delay. */
async function runAndKill(dir: string, firstSeed: number, saves: number, delayMs: number): Promise<number> {
  const child = spawn(process.execPath, [script, dir, String(firstSeed)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let count = 0;
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      count += (chunk.toString().match(/saved/g) ?? []).length;
      if (count >= saves) resolve();
    });
    child.on('exit', (code) => reject(new Error(`saver exited early (code ${code}): ${stderr}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  child.kill('SIGKILL');
  await exited;
  return count;
}

/** Checks that the folder's model is complete and is the model of a seed ≥ `atLeast`; returns that seed. */
async function expectCompleteModel(dir: string, atLeast: number): Promise<number> {
  const loaded = await loadLayersModel(`file://${dir}/model.json`);
  const seed = seedOf(loaded);
  expect(seed).toBeGreaterThanOrEqual(atLeast);
  const original = seededModel(seed);
  expect(loaded.getConfig()).toEqual(original.getConfig());
  expect(firstDifference(weightValues(loaded), weightValues(original))).toBe('none');
  return seed;
}

describe('crash-safe saving', () => {
  it('after each SIGKILL mid-save, the folder holds a complete model: previous or new, never broken', async () => {
    const dir = path.join(work, 'model');
    await saveModel(seededModel(0), dir);
    const random = new Random(2024);
    let next = 1;
    const parities = new Set<number>();
    for (let round = 0; round < 5; round++) {
      const saved = await runAndKill(dir, next, 1, random.uniform(0, 20));
      // At least `saved` saves finished, so the model is the last finished one or a later one.
      const seed = await expectCompleteModel(dir, next + saved - 1);
      parities.add(seed % 2);
      next = seed + 1 + (round % 2); // vary which architecture the next saver starts with
    }
    // Both architectures were loaded at some point, so a model.json paired with the other's weights would have failed.
    expect(parities).toEqual(new Set([0, 1]));
    // A clean save removes the temporary and staged files that the killed saves left behind.
    await saveModel(seededModel(1000), dir);
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
  }, 30_000);
});
