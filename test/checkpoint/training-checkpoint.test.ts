/**
 * Training checkpoints through the API: a fit stopped after epoch 2 and resumed from its checkpoint gives the same
 * history, weights and final checkpoint as an uninterrupted fit, bit for bit; what each part of the saved state
 * contributes is shown by leaving it out; state.json is checked like any untrusted file.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type LayersModel, Random } from '../../src/index.js';
import { loadTrainingCheckpoint, readTrainingState, trainingCheckpoint } from '../../src/node/checkpoint.js';
import { loadLayersModel } from '../../src/node/io/index.js';
import { firstDifference, weightValues } from '../io/models.js';
import { checkpointData, checkpointModel, COMPILE, FIT } from './fixtures/model.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cnnlab-ckpt-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const { x, y } = checkpointData();

/** Fits `model` from `initialEpoch` to `epochs` with a training checkpoint in `dir`; returns fit's history. */
async function fitWithCheckpoint(
  model: LayersModel,
  dir: string,
  random: Random,
  epochs: number,
  initialEpoch = 0,
  resumeFrom?: Awaited<ReturnType<typeof readTrainingState>>,
) {
  return model.fit(x, y, {
    ...FIT,
    epochs,
    initialEpoch,
    random,
    verbose: 0,
    callbacks: [
      trainingCheckpoint({
        dir,
        random,
        compileArgs: COMPILE,
        data: () => ({ note: 'kept' }),
        ...(resumeFrom ? { resumeFrom } : {}),
      }),
    ],
  });
}

describe('training checkpoints', () => {
  it('a fit stopped after epoch 2 and resumed equals the uninterrupted fit, bit for bit', async () => {
    const [dirA, dirB] = [await tempDir(), await tempDir()];
    const uninterrupted = checkpointModel();
    const historyA = await fitWithCheckpoint(uninterrupted, dirA, new Random(7), 3);

    await fitWithCheckpoint(checkpointModel(), dirB, new Random(7), 2);
    expect((await readdir(dirB)).sort()).toEqual(['epoch-2', 'state.json']);
    const { model, state, random } = await loadTrainingCheckpoint(dirB);
    expect(state.epochs).toBe(2);
    expect(state.data).toEqual({ note: 'kept' });
    const historyB = await fitWithCheckpoint(model, dirB, random, 3, 2, state);

    expect(historyB.epoch).toEqual([2]);
    for (const [key, values] of Object.entries(historyA.history))
      expect(historyB.history[key], key).toEqual(values.slice(2));
    expect(firstDifference(weightValues(model), weightValues(uninterrupted))).toBe('none');
    const [stateA, stateB] = [await readTrainingState(dirA), await readTrainingState(dirB)];
    expect(stateB).toEqual(stateA);
    // The Dropout's own generator (seed 5) drew one number per mask element: 3 epochs × 34 examples × 8 units.
    const drop = new Random(5);
    for (let i = 0; i < 3 * 34 * 8; i++) drop.next();
    expect(stateA.layerRandom).toEqual({ drop: drop.getState() });
    expect(stateA.history.loss).toEqual(historyA.history.loss);
    // The checkpoints hold the same bytes: weights, moving statistics and optimizer state.
    const bytes = async (dir: string) => readFile(path.join(dir, 'epoch-3', 'weights.bin'));
    expect(Buffer.compare(await bytes(dirA), await bytes(dirB))).toBe(0);
    expect((await readdir(dirB)).sort()).toEqual(['epoch-3', 'state.json']);
  });

  it("each part of the saved state matters: fit's generator, and the seeded dropout's own generator", async () => {
    const [dirA, dirB] = [await tempDir(), await tempDir()];
    const uninterrupted = checkpointModel();
    await fitWithCheckpoint(uninterrupted, dirA, new Random(7), 3);
    await fitWithCheckpoint(checkpointModel(), dirB, new Random(7), 2);
    const expected = weightValues(uninterrupted);

    // A fresh generator (shuffles and masks of epoch 1 again): a different result.
    const freshRandom = await loadTrainingCheckpoint(dirB);
    await freshRandom.model.fit(x, y, { ...FIT, epochs: 3, initialEpoch: 2, random: new Random(7), verbose: 0 });
    expect(firstDifference(weightValues(freshRandom.model), expected)).not.toBe('none');

    // The model and optimizer without the dropout's generator state (it starts over from its seed): a different result.
    const state = await readTrainingState(dirB);
    const plain = await loadLayersModel(path.join(dirB, state.model));
    const random = new Random(0);
    random.setState(state.random);
    await plain.fit(x, y, { ...FIT, epochs: 3, initialEpoch: 2, random, verbose: 0 });
    expect(firstDifference(weightValues(plain), expected)).not.toBe('none');

    // Everything restored: the same result (the control for the two above).
    const full = await loadTrainingCheckpoint(dirB);
    await full.model.fit(x, y, { ...FIT, epochs: 3, initialEpoch: 2, random: full.random, verbose: 0 });
    expect(firstDifference(weightValues(full.model), expected)).toBe('none');
  });

  it('refuses to resume from the wrong epoch', async () => {
    const dir = await tempDir();
    await fitWithCheckpoint(checkpointModel(), dir, new Random(1), 1);
    const { model, state, random } = await loadTrainingCheckpoint(dir);
    await expect(fitWithCheckpoint(model, dir, random, 3, 0, state)).rejects.toThrow(
      /trainingCheckpoint: epoch 0 follows 1 completed epochs/,
    );
  });
});

describe('state.json from before `layerRandom` (it had `batches` instead)', () => {
  /** A checkpoint after epoch 1 whose state.json is rewritten as the older cnnlab wrote it. */
  async function oldCheckpoint(dropoutSeed: number | null): Promise<string> {
    const dir = await tempDir();
    await fitWithCheckpoint(checkpointModel(dropoutSeed), dir, new Random(7), 1);
    const file = path.join(dir, 'state.json');
    const { layerRandom, ...json }: Record<string, unknown> = JSON.parse(await readFile(file, 'utf8'));
    expect(layerRandom).toEqual(dropoutSeed === null ? {} : { drop: expect.any(Array) });
    await writeFile(
      file,
      JSON.stringify({
        ...json,
        batches: [
          [8, 4],
          [2, 1],
        ],
      }),
    );
    return dir;
  }

  it('resumes a model without layers of their own generator, as before', async () => {
    const uninterrupted = checkpointModel(null);
    await fitWithCheckpoint(uninterrupted, await tempDir(), new Random(7), 2);
    const dir = await oldCheckpoint(null);
    const { model, state, random } = await loadTrainingCheckpoint(dir);
    await fitWithCheckpoint(model, dir, random, 2, 1, state);
    expect(firstDifference(weightValues(model), weightValues(uninterrupted))).toBe('none');
  });

  it('refuses, naming the layer, to resume a seeded dropout layer it holds no state for', async () => {
    const dir = await oldCheckpoint(5);
    await expect(loadTrainingCheckpoint(dir)).rejects.toThrow(
      `${path.join(dir, 'state.json')}: \`layerRandom\` holds no state for layer 'drop', whose masks come from its own seeded generator`,
    );
  });
});

describe('state.json is untrusted input', () => {
  async function stateError(edit: (json: Record<string, unknown>) => unknown): Promise<string> {
    const dir = await tempDir();
    await fitWithCheckpoint(checkpointModel(), dir, new Random(1), 1);
    const file = path.join(dir, 'state.json');
    const json: Record<string, unknown> = JSON.parse(await readFile(file, 'utf8'));
    const replaced = edit(json);
    await writeFile(file, typeof replaced === 'string' ? replaced : JSON.stringify(json));
    const error: unknown = await loadTrainingCheckpoint(dir).then(
      () => null,
      (e: unknown) => e,
    );
    if (!(error instanceof Error)) throw new Error('expected the load to fail');
    expect(error).not.toBeInstanceOf(TypeError);
    expect(error.message.startsWith(`${file}: `)).toBe(true);
    return error.message;
  }

  it('names the field that is wrong', async () => {
    expect(
      await stateError((j) => {
        j.model = '../../etc';
      }),
    ).toMatch(/`model` must name a folder like 'epoch-3', received '..\/..\/etc'/);
    expect(
      await stateError((j) => {
        j.version = 2;
      }),
    ).toMatch(/`version` must be 1 \(written by this cnnlab\), received 2/);
    expect(
      await stateError((j) => {
        j.epochs = -1;
      }),
    ).toMatch(/`epochs` must be an integer ≥ 0, received -1/);
    expect(
      await stateError((j) => {
        j.random = [1, 2, 3];
      }),
    ).toMatch(/`random` must hold 4 integers and a number or null/);
    expect(
      await stateError((j) => {
        j.history = { loss: [1, 'x'] };
      }),
    ).toMatch(/`history.loss\[1\]` must be a number or null, received 'x'/);
    expect(
      await stateError((j) => {
        j.layerRandom = { drop: [1, 2, 3] };
      }),
    ).toMatch(/`layerRandom.drop` must hold 4 integers and a number or null/);
    expect(
      await stateError((j) => {
        j.layerRandom = { drop: [1, 2, 3, 4.5, null] };
      }),
    ).toMatch(/`layerRandom.drop` must hold 4 integers/);
    expect(
      await stateError((j) => {
        j.layerRandom = 5;
      }),
    ).toMatch(/`layerRandom` must be a JSON object, received 5/);
    expect(
      await stateError((j) => {
        j.layerRandom = { drop: [1, 2, 3, 4, null], hidden: [1, 2, 3, 4, null] };
      }),
    ).toMatch(
      /`layerRandom.hidden` names no layer of model 'ckpt' with its own generator \(a dropout layer with a `seed`\)/,
    );
    expect(
      await stateError((j) => {
        j.layerRandom = { constructor: [1, 2, 3, 4, null] };
      }),
    ).toMatch(/`layerRandom.constructor` names no layer/);
    expect(await stateError(() => '{ "version": 1,')).toMatch(/not valid JSON/);
    expect(await stateError(() => '[]')).toMatch(/`state.json` must be a JSON object, received an array of 0/);
  });

  it('says when there is no checkpoint', async () => {
    const dir = await tempDir();
    await expect(loadTrainingCheckpoint(dir)).rejects.toThrow(
      `${path.join(dir, 'state.json')}: no checkpoint to resume from`,
    );
  });
});
