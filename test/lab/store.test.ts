/** The lab folder on disk: what --resume trusts, what it ignores (and says so), and the leftovers it cleans up. */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planLab } from '../../src/lab/plan.js';
import { labSettings } from '../../src/lab/settings.js';
import type { RunRecord } from '../../src/lab/train-run.js';
import { labGroups, readRunRecords, runFile, writeRunRecord } from '../../src/node/lab/store.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cnnlab-lab-store-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const plan = planLab(
  [
    {
      name: 'g',
      title: 'g',
      question: '',
      focus: [],
      variants: [
        { name: 'a', label: 'a', model: {} },
        { name: 'b', label: 'b', model: { dropout: 0 } },
        { name: 'c', label: 'c', model: { dropout: 0.25 } },
      ],
    },
  ],
  labSettings(true),
);

function record(index: number): RunRecord {
  const run = plan.runs[index];
  if (run === undefined) throw new Error(`no run ${index}`);
  return {
    format: 'cnnlab-lab-run',
    version: 1,
    key: run.key,
    spec: run.spec,
    backend: 'js',
    params: 10,
    history: { loss: [1, 0.5], accuracy: [0.5, 0.6], val_loss: [1, 0.6], val_accuracy: [0.5, 0.65] },
    epochSeconds: [1, 1],
    test: { loss: 0.6, accuracy: 0.64 },
    train: { loss: 0.5, accuracy: 0.66 },
    diverged: false,
    finishedAt: '2025-01-01T00:00:00.000Z',
  };
}

describe('lab store', () => {
  it('reads back finished runs; ignores, with a warning, files that are broken or do not match their key', async () => {
    const [good, edited, truncated] = [record(0), record(1), record(2)];
    await writeRunRecord(dir, good);
    // A run file whose spec was changed by hand no longer hashes to its key: it must not be trusted.
    await writeRunRecord(dir, { ...edited, spec: { ...edited.spec, epochs: 3 } });
    await writeFile(runFile(dir, truncated.key), JSON.stringify(truncated).slice(0, 100));
    // Leftovers of writes killed half-way, in runs/ and in the lab folder.
    await writeFile(path.join(dir, 'runs', '.cnnlab-123-abc.tmp'), '{');
    await writeFile(path.join(dir, '.cnnlab-123-def.tmp'), '<!doc');
    const warnings: string[] = [];
    const records = await readRunRecords(dir, (line) => warnings.push(line));
    expect([...records.keys()]).toEqual([good.key]);
    expect(records.get(good.key)).toEqual(good);
    expect(warnings).toHaveLength(2);
    expect(warnings.find((w) => w.includes(edited.key))).toMatch(
      /^lab: ignoring .*\.json: not a run file of this lab version \(it will be run again\)$/,
    );
    expect(warnings.find((w) => w.includes(truncated.key))).toMatch(/^lab: ignoring .*\.json: .*JSON/);
    expect((await readdir(path.join(dir, 'runs'))).filter((n) => n.startsWith('.'))).toEqual([]);
    expect((await readdir(dir)).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(JSON.parse(await readFile(runFile(dir, good.key), 'utf8'))).toEqual(good);
  });

  it('a folder that does not exist holds no runs', async () => {
    const warnings: string[] = [];
    expect((await readRunRecords(path.join(dir, 'missing'), (l) => warnings.push(l))).size).toBe(0);
    expect(warnings).toEqual([]);
  });

  it("groups files: built-in groups first, then the file's; a missing file is named", async () => {
    const file = path.join(dir, 'groups.json');
    await mkdir(dir, { recursive: true });
    await writeFile(
      file,
      JSON.stringify({ groups: [{ name: 'mine', variants: [{ name: 'x', model: { dropout: 0.1 } }] }] }),
    );
    const groups = await labGroups(file);
    expect(groups.map((g) => g.name)).toEqual([
      'regularization',
      'activation',
      'pooling',
      'convolution',
      'batchnorm',
      'dropout',
      'optimizer',
      'skip',
      'separable',
      'mine',
    ]);
    await expect(labGroups(path.join(dir, 'nope.json'))).rejects.toThrow(
      `--groups-file: cannot read '${path.join(dir, 'nope.json')}' (ENOENT`,
    );
  });
});
