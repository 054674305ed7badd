/**
 * Unbounded reads (issue 13): devices, FIFOs and links to them given as model.json, weight files, images or class
 * folder entries are refused before reading; a manifest may not list one file twice; files are read in chunks.
 * Hostile inputs are made here: FIFOs with mkfifo, /dev/zero, sparse files with truncate (no disk used).
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, open, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError, layers, sequential } from '../../src/index.js';
import { loadImageFolder } from '../../src/node/data/index.js';
import { readTrainingState } from '../../src/node/index.js';
import { loadLayersModel, saveModel } from '../../src/node/io/index.js';
import { openRegularFile, readInto, readRegularFile } from '../../src/node/io/regular-file.js';

let root = '';
let counter = 0;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'cnnlab-reads-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const fresh = async (): Promise<string> => {
  const dir = path.join(root, `t${counter++}`);
  await mkdir(dir, { recursive: true });
  return dir;
};

/** A FIFO nobody writes to: opening it for reading the usual way blocks forever. */
function fifo(file: string): string {
  execFileSync('mkfifo', [file]);
  return file;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('expected a rejection');
  return error;
}

async function savedModel(): Promise<string> {
  const dir = await fresh();
  await saveModel(sequential({ layers: [layers.dense({ units: 2, inputShape: [3], name: 'd' })] }), dir);
  return dir;
}

describe('model files are read only from regular files', () => {
  it('refuses /dev/zero as model.json (a device reports size 0)', async () => {
    const error = await rejection(loadLayersModel('/dev/zero'));
    expect(error).toBeInstanceOf(FormatError);
    expect(error.message).toMatch(/^\/dev\/zero: model\.json is not a regular file \(it is a device/);
  });

  it('refuses a FIFO as model.json without waiting for a writer', async () => {
    const dir = await fresh();
    const file = fifo(path.join(dir, 'model.json'));
    const error = await rejection(loadLayersModel(file));
    expect(error).toBeInstanceOf(FormatError);
    expect(error.message).toBe(`${file}: model.json is not a regular file (it is a FIFO), refused`);
  });

  it('refuses a link to /dev/zero as model.json', async () => {
    const dir = await fresh();
    await symlink('/dev/zero', path.join(dir, 'model.json'));
    const error = await rejection(loadLayersModel(dir));
    expect(error.message).toMatch(/model\.json: model\.json is not a regular file \(it is a device/);
  });

  it('refuses a FIFO as a weight file, naming it', async () => {
    const dir = await savedModel();
    await rm(path.join(dir, 'weights.bin'));
    fifo(path.join(dir, 'weights.bin'));
    const error = await rejection(loadLayersModel(dir));
    expect(error).toBeInstanceOf(FormatError);
    expect(error.message).toContain("weight file 'weights.bin' (`weightsManifest[0].paths[0]`) is not a regular file");
  });

  it('refuses a manifest listing one file twice before reading or allocating', async () => {
    const dir = await savedModel();
    const jsonPath = path.join(dir, 'model.json');
    const json = JSON.parse(await readFile(jsonPath, 'utf8')) as { weightsManifest: { paths: string[] }[] };
    const group = json.weightsManifest[0];
    if (group === undefined) throw new Error('no manifest group');
    // As in the issue: one file listed over and over, so that its bytes would count thousands of times.
    group.paths = Array.from({ length: 8000 }, () => 'weights.bin');
    await writeFile(jsonPath, JSON.stringify(json));
    const error = await rejection(loadLayersModel(dir));
    expect(error).toBeInstanceOf(FormatError);
    expect(error.message).toBe(
      `${jsonPath}: \`weightsManifest[0].paths[1]\` 'weights.bin' is listed already as \`weightsManifest[0].paths[0]\`; each weight file may be listed once`,
    );
    // Spelled differently, the same file is found by its real path.
    group.paths = ['weights.bin', './weights.bin'];
    await writeFile(jsonPath, JSON.stringify(json));
    expect((await rejection(loadLayersModel(dir))).message).toContain(
      "`weightsManifest[0].paths[1]` './weights.bin' is the same file as `weightsManifest[0].paths[0]`; each weight file may be listed once",
    );
  });

  it('refuses a sparse 3 GiB weight file against a small manifest without reading it', async () => {
    const dir = await savedModel();
    const handle = await open(path.join(dir, 'weights.bin'), 'r+');
    await handle.truncate(3 * 2 ** 30); // sparse: no disk is used
    await handle.close();
    const error = await rejection(loadLayersModel(dir));
    expect(error.message).toContain(
      `is oversized: expected 32 bytes (the manifest's weights), received ${3 * 2 ** 30}`,
    );
  });
});

describe('checkpoints are read only from regular files', () => {
  it('refuses a FIFO as state.json at once', async () => {
    const dir = await fresh();
    const file = fifo(path.join(dir, 'state.json'));
    const error = await rejection(readTrainingState(dir));
    expect(error).toBeInstanceOf(FormatError);
    expect(error.message).toBe(`${file}: state.json is not a regular file (it is a FIFO), refused`);
  });

  it('still says there is no checkpoint when state.json is missing', async () => {
    const dir = await fresh();
    const error = await rejection(readTrainingState(dir));
    expect(error.message).toMatch(
      /state\.json: no checkpoint to resume from \(ENOENT: no such file or directory, open /,
    );
  });
});

describe('reading in chunks', () => {
  it('reads a file in parts no larger than the chunk size, every byte in place', async () => {
    const file = path.join(await fresh(), 'bytes');
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 251);
    await writeFile(file, bytes);
    const opened = await openRegularFile(file, 1000, 'test', 'bytes');
    const target = new Uint8Array(1003);
    try {
      await readInto(opened, target, 3, 'test', 'bytes', 64);
    } finally {
      await opened.handle.close();
    }
    expect(Array.from(target.subarray(3))).toEqual(Array.from(bytes));
  });

  it('refuses a file larger than the limit before reading', async () => {
    const file = path.join(await fresh(), 'big');
    await writeFile(file, new Uint8Array(11));
    const error = await rejection(readRegularFile(file, 10, 'test', 'file'));
    expect(error.message).toBe('test: file holds 11 bytes, more than the 10 accepted');
  });
});

describe('image folders read only regular files', () => {
  for (const [kind, make] of [
    ['a link to /dev/zero', (file: string) => symlink('/dev/zero', file)],
    ['a FIFO', async (file: string) => void fifo(file)],
  ] as const) {
    it(`refuses ${kind} in a class folder, naming it`, async () => {
      const dir = await fresh();
      await mkdir(path.join(dir, 'cat'));
      const file = path.join(dir, 'cat', 'x.png');
      await make(file);
      const error = await rejection(loadImageFolder(dir, { height: 2, width: 2, channels: 1 }));
      expect(error).toBeInstanceOf(FormatError);
      expect(error.message).toMatch(new RegExp(`^loadImageFolder: ${file} is not a regular file`));
    });
  }
});
