import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import '../../src/backend/index.js';
import { csvLogger } from '../../src/model/callbacks/index.js';
import { csvFileLogger, splitCsvLine } from '../../src/node/csv-file-logger.js';
import { FakeModel, scriptedFit } from './fake-fit.js';

// Expected texts are written by hand: header 'epoch' then the log keys sorted alphabetically (Keras's sorted()),
// one row per epoch, numbers as JavaScript prints them, 'NA' for a missing key.
const twoEpochs = [
  { loss: 0.5, accuracy: 0.75, val_loss: 0.625, val_accuracy: 0.5 },
  { loss: 0.25, accuracy: 0.875, val_loss: 0.5, val_accuracy: 0.625 },
];

describe('csvLogger', () => {
  it('writes a sorted header at the first epoch, then one row per epoch', async () => {
    let text = '';
    await scriptedFit({
      callbacks: [
        csvLogger({
          write: (t) => {
            text += t;
          },
        }),
      ],
      model: new FakeModel(),
      epochLogs: twoEpochs,
    });
    expect(text).toBe('epoch,accuracy,loss,val_accuracy,val_loss\n0,0.75,0.5,0.5,0.625\n1,0.875,0.25,0.625,0.5\n');
  });

  it('uses the separator, writes no header when appending, and NA for missing keys', async () => {
    let text = '';
    await scriptedFit({
      callbacks: [
        csvLogger({
          write: (t) => {
            text += t;
          },
          separator: ';',
          append: true,
        }),
      ],
      model: new FakeModel(),
      epochLogs: [{ loss: 0.5, b: 2 }, { loss: 0.25 }],
    });
    expect(text).toBe('0;2;0.5\n1;NA;0.25\n');
  });

  it('quotes fields holding the separator or a quote', async () => {
    let text = '';
    await scriptedFit({
      callbacks: [
        csvLogger({
          write: (t) => {
            text += t;
          },
        }),
      ],
      model: new FakeModel(),
      epochLogs: [{ 'a,b': 1, 'say "x"': 2 }],
    });
    expect(text).toBe('epoch,"a,b","say ""x"""\n0,1,2\n');
    expect(splitCsvLine('epoch,"a,b","say ""x"""', ',')).toEqual(['epoch', 'a,b', 'say "x"']);
  });

  it('awaits an async sink in order', async () => {
    const lines: string[] = [];
    const write = async (t: string): Promise<void> => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      lines.push(t);
    };
    await scriptedFit({
      callbacks: [csvLogger({ write })],
      model: new FakeModel(),
      epochLogs: [{ loss: 1 }, { loss: 2 }],
    });
    expect(lines).toEqual(['epoch,loss\n', '0,1\n', '1,2\n']);
  });
});

describe('csvFileLogger', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('writes a fresh file, and on resume appends rows under the existing header', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cnnlab-csv-'));
    dirs.push(dir);
    const path = join(dir, 'logs', 'training.csv');
    await scriptedFit({ callbacks: [csvFileLogger({ path })], model: new FakeModel(), epochLogs: twoEpochs });
    expect(await readFile(path, 'utf8')).toBe(
      'epoch,accuracy,loss,val_accuracy,val_loss\n0,0.75,0.5,0.5,0.625\n1,0.875,0.25,0.625,0.5\n',
    );

    // Resume at epoch 2 with an extra key ('lr'), which the existing header has no column for.
    const resumed = [...twoEpochs, { val_loss: 0.375, loss: 0.125, lr: 0.1, accuracy: 1, val_accuracy: 0.75 }];
    await scriptedFit({
      callbacks: [csvFileLogger({ path, append: true })],
      model: new FakeModel(),
      epochLogs: resumed,
      initialEpoch: 2,
    });
    expect(await readFile(path, 'utf8')).toBe(
      'epoch,accuracy,loss,val_accuracy,val_loss\n0,0.75,0.5,0.5,0.625\n1,0.875,0.25,0.625,0.5\n2,1,0.125,0.75,0.375\n',
    );

    // Without append the file starts over.
    await scriptedFit({ callbacks: [csvFileLogger({ path })], model: new FakeModel(), epochLogs: [{ loss: 9 }] });
    expect(await readFile(path, 'utf8')).toBe('epoch,loss\n0,9\n');
  });

  it('writes the header when appending to an empty file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cnnlab-csv-'));
    dirs.push(dir);
    const path = join(dir, 'empty.csv');
    await writeFile(path, '');
    await scriptedFit({
      callbacks: [csvFileLogger({ path, append: true, separator: '\t' })],
      model: new FakeModel(),
      epochLogs: [{ loss: 1, acc: 0.5 }],
    });
    expect(await readFile(path, 'utf8')).toBe('epoch\tacc\tloss\n0\t0.5\t1\n');
  });
});
