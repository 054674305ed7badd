/**
 * The CLI given devices, FIFOs and oversized configs (issue 13): one line naming the file and a non-zero exit,
 * at once, instead of reading forever.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../../src/cli/models.js';
import { cli } from '../helpers/cli.js';
import { FormatError, layers, sequential } from '../../src/index.js';
import { saveModel } from '../../src/node/io/index.js';

let dir = '';
let runDir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cnnlab-cli-hostile-'));
  runDir = path.join(dir, 'run');
  await saveModel(
    sequential({
      layers: [layers.flatten({ inputShape: [2, 2, 1] }), layers.dense({ units: 2, activation: 'softmax' })],
    }),
    runDir,
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('CLI hostile inputs', () => {
  it('predict RUN /dev/zero fails with one line naming the file', async () => {
    const { code, err } = await cli('predict', runDir, '/dev/zero');
    expect(code).not.toBe(0);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain("image '/dev/zero' is not a regular file (it is a device or other special file)");
  });

  it('predict RUN FIFO fails at once, naming the FIFO', async () => {
    const fifo = path.join(dir, 'image.png');
    execFileSync('mkfifo', [fifo]);
    const { code, err } = await cli('predict', runDir, fifo);
    expect(code).not.toBe(0);
    expect(err).toContain(`image '${fifo}' is not a regular file (it is a FIFO)`);
  });

  it('predict --max-params refuses a model of more parameters, in one line', async () => {
    // Flatten 2×2×1 → Dense 2: 4·2 + 2 = 10 parameters.
    const { code, err } = await cli('predict', '--max-params', '9', runDir, '/dev/zero');
    expect(code).not.toBe(0);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain('the layer would bring the model to 10 parameters, more than the 9 accepted');
  });

  it('evaluate /dev/zero fails with one line naming it instead of reading the device', async () => {
    const { code, err } = await cli('evaluate', '/dev/zero');
    expect(code).not.toBe(0);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain('/dev/zero: model.json is not a regular file');
  });

  it('--model given a FIFO is refused, naming it', async () => {
    const fifo = path.join(dir, 'model-config.json');
    execFileSync('mkfifo', [fifo]);
    const error: unknown = await createModel(fifo, [2, 2, 1], 2, 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FormatError);
    expect(String(error)).toContain(`--model: file '${fifo}' is not a regular file (it is a FIFO)`);
  });
});
