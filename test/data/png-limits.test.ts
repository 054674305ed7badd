/**
 * PNG bombs (issue 13): a small file whose header claims a huge image is refused from its IHDR header, before its
 * pixels are decoded; a class folder image of the wrong size is refused from its header too.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { data, FormatError } from '../../src/index.js';
import { loadImageFolder } from '../../src/node/data/index.js';

let root = '';
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'cnnlab-png-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function chunk(type: string, body: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([head, body, crc]);
}

/** A PNG of `width` × `height` 1-bit gray pixels; `idat` replaces the (all-black, deflated) pixel data. */
function png(width: number, height: number, idat?: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([1, 0, 0, 0, 0], 8); // depth 1, gray, deflate, no filter, no interlace
  // One filter byte per row, then the row's packed pixels: zeros compress about a thousandfold.
  const pixels = idat ?? deflateSync(new Uint8Array(height * (1 + Math.ceil(width / 8))), { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', pixels),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

describe('PNG pixel limit', () => {
  it('decodes a small well-formed PNG made by this helper (the helper is sound)', () => {
    const image = data.decodePng(png(3, 2), 'small.png');
    expect([image.height, image.width, image.channels]).toEqual([2, 3, 1]);
    expect(Array.from(image.data)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('refuses a 20000 × 20000 PNG from its header, before decoding it', () => {
    const bomb = png(20000, 20000);
    expect(bomb.length).toBeLessThan(2_000_000); // a small file…
    // …that decoded would take 400 million samples, then 1.6 GB as floats.
    expect(() => data.decodePng(bomb, 'bomb.png')).toThrow(FormatError);
    expect(() => data.decodePng(bomb, 'bomb.png')).toThrow(
      `decodePng: bomb.png is 20000 × 20000 pixels, more than the ${data.MAX_PNG_PIXELS} (64 megapixels) accepted`,
    );
  });

  it('refuses a wrong-sized folder image from its header (its pixel data is never decoded)', async () => {
    const dir = path.join(root, 'folder');
    await mkdir(path.join(dir, 'a'), { recursive: true });
    const file = path.join(dir, 'a', 'big.png');
    // Pixel data that cannot be inflated: decoding would fail, so the error below comes from the header alone.
    await writeFile(file, png(10000, 10000, new Uint8Array([1, 2, 3, 4])));
    await expect(loadImageFolder(dir, { height: 28, width: 28, channels: 1 })).rejects.toThrow(
      `loadImageFolder: ${file} is 10000 × 10000 pixels, expected 28 × 28 (pass resize: true to resize)`,
    );
  });
});
