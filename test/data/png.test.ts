import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encode } from 'fast-png';
import { afterAll, describe, expect, it } from 'vitest';
import { resizeBilinear, toChannels } from '../../src/data/image.js';
import { decodePng } from '../../src/data/png.js';
import { loadImageFolder } from '../../src/node/data/folder.js';
import { expectClose, tf } from '../helpers/tfjs.js';

const f = Math.fround;

/** Decoded values, with the expected ones rounded to float32 like the result. */
function decoded(bytes: Uint8Array, options: { channels?: 1 | 3 } = {}): { shape: number[]; data: number[] } {
  const image = decodePng(bytes, 'test.png', options);
  return { shape: [image.height, image.width, image.channels], data: Array.from(image.data) };
}

describe('decodePng: every colour type, values in [0, 1] (expected values hand-computed)', () => {
  it('gray 8-bit, 16-bit and packed 1- and 2-bit', () => {
    expect(
      decoded(encode({ width: 2, height: 2, channels: 1, depth: 8, data: Uint8Array.from([0, 51, 102, 255]) })),
    ).toEqual({ shape: [2, 2, 1], data: [0, 0.2, 0.4, 1].map(f) });
    // 13107 / 65535 = 0.2
    expect(
      decoded(encode({ width: 3, height: 1, channels: 1, depth: 16, data: Uint16Array.from([0, 13107, 65535]) })),
    ).toEqual({ shape: [1, 3, 1], data: [0, 0.2, 1].map(f) });
    // 1-bit rows [1 0 1] and [0 1 1]: each row packed MSB first into its own byte: 0b101_00000, 0b011_00000.
    expect(
      decoded(encode({ width: 3, height: 2, channels: 1, depth: 1, data: Uint8Array.from([0xa0, 0x60]) })),
    ).toEqual({ shape: [2, 3, 1], data: [1, 0, 1, 0, 1, 1] });
    // 2-bit row [3 1 2] = 0b11_01_10_00; values ÷ 3.
    expect(decoded(encode({ width: 3, height: 1, channels: 1, depth: 2, data: Uint8Array.from([0xd8]) }))).toEqual({
      shape: [1, 3, 1],
      data: [1, 1 / 3, 2 / 3].map(f),
    });
  });

  it('interlaced (Adam7) images decode to the same pixels', () => {
    const data = Uint8Array.from([0, 51, 102, 153, 204, 255]);
    expect(decoded(encode({ width: 3, height: 2, channels: 1, depth: 8, data }, { interlace: 'Adam7' }))).toEqual({
      shape: [2, 3, 1],
      data: [0, 0.2, 0.4, 0.6, 0.8, 1].map(f),
    });
  });

  it('RGB, and RGBA / gray + alpha with the alpha dropped (colours kept as stored)', () => {
    expect(
      decoded(encode({ width: 2, height: 1, channels: 3, depth: 8, data: Uint8Array.from([255, 0, 0, 0, 51, 255]) })),
    ).toEqual({ shape: [1, 2, 3], data: [1, 0, 0, 0, 0.2, 1].map(f) });
    expect(
      decoded(encode({ width: 1, height: 1, channels: 4, depth: 8, data: Uint8Array.from([255, 102, 0, 7]) })),
    ).toEqual({ shape: [1, 1, 3], data: [1, 0.4, 0].map(f) });
    expect(
      decoded(encode({ width: 2, height: 1, channels: 2, depth: 8, data: Uint8Array.from([51, 0, 255, 128]) })),
    ).toEqual({ shape: [1, 2, 1], data: [0.2, 1].map(f) });
    expect(
      decoded(encode({ width: 1, height: 1, channels: 4, depth: 16, data: Uint16Array.from([65535, 0, 13107, 9]) })),
    ).toEqual({ shape: [1, 1, 3], data: [1, 0, 0.2].map(f) });
  });

  it('palette images (8-bit and packed 4-bit, palette alpha dropped) become RGB', () => {
    const palette = [
      [255, 0, 0],
      [0, 0, 255],
      [0, 51, 0],
    ];
    expect(
      decoded(encode({ width: 3, height: 1, channels: 1, depth: 8, palette, data: Uint8Array.from([2, 0, 1]) })),
    ).toEqual({ shape: [1, 3, 3], data: [0, 0.2, 0, 1, 0, 0, 0, 0, 1].map(f) });
    // 4-bit indices [1 0 1] in a 2-byte row: 0x10, 0x10 (the last nibble is padding).
    const withAlpha = [
      [0, 51, 255, 0],
      [255, 255, 255, 128],
    ];
    const packed = Uint8Array.from([0x10, 0x10]);
    expect(decoded(encode({ width: 3, height: 1, channels: 1, depth: 4, palette: withAlpha, data: packed }))).toEqual({
      shape: [1, 3, 3],
      data: [1, 1, 1, 0, 0.2, 1, 1, 1, 1].map(f),
    });
  });

  it('converts channels on request: RGB → gray by BT.601 luma, gray → RGB by repetition', () => {
    const rgb = encode({ width: 2, height: 1, channels: 3, depth: 8, data: Uint8Array.from([255, 0, 0, 0, 0, 255]) });
    const gray = decodePng(rgb, 'rgb.png', { channels: 1 });
    expect(gray.channels).toBe(1);
    expect(gray.data[0]).toBeCloseTo(0.299, 6);
    expect(gray.data[1]).toBeCloseTo(0.114, 6);
    const g = encode({ width: 1, height: 1, channels: 1, depth: 8, data: Uint8Array.from([51]) });
    expect(decoded(g, { channels: 3 })).toEqual({ shape: [1, 1, 3], data: [0.2, 0.2, 0.2].map(f) });
  });

  it('rejects files that are not PNGs or are damaged, naming them', () => {
    expect(() => decodePng(new TextEncoder().encode('hello'), 'notes.txt')).toThrow(
      /decodePng: notes.txt is not a PNG file/,
    );
    const png = encode({ width: 8, height: 8, channels: 1, depth: 8, data: new Uint8Array(64).fill(9) });
    expect(() => decodePng(png.subarray(0, 40), 'cut.png')).toThrow(/decodePng: cut.png could not be decoded/);
  });
});

describe('resizeBilinear (half-pixel centres)', () => {
  it('upscales [0, 1] to [0, 0.25, 0.75, 1] (hand-computed: samples at x = −0.25→0, 0.25, 0.75, 1.25→1)', () => {
    const out = resizeBilinear({ height: 1, width: 2, channels: 1, data: Float32Array.from([0, 1]) }, 1, 4);
    expect(Array.from(out.data)).toEqual([0, 0.25, 0.75, 1]);
  });

  it('matches tfjs resizeBilinear(alignCorners = false, halfPixelCenters = true), up and down', () => {
    const data = Float32Array.from({ length: 5 * 7 * 2 }, (_, i) => Math.sin(i * 1.3) * 0.5 + 0.5);
    const image = { height: 5, width: 7, channels: 2, data };
    for (const [h, w] of [
      [9, 11],
      [3, 4],
      [5, 3],
    ] as const) {
      const ours = resizeBilinear(image, h, w);
      const theirs = tf.image.resizeBilinear(tf.tensor3d(data, [5, 7, 2]), [h, w], false, true);
      expect([ours.height, ours.width, ours.channels]).toEqual(theirs.shape);
      expectClose(ours.data, theirs.dataSync());
    }
  });

  it('toChannels rejects other conversions', () => {
    expect(() => toChannels({ height: 1, width: 1, channels: 2, data: new Float32Array(2) }, 3)).toThrow(
      /received 2 → 3/,
    );
  });
});

describe('loadImageFolder', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'cnnlab-folder-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** A folder tree: { 'class/file.png': bytes }. */
  function tree(name: string, files: Record<string, Uint8Array | string>): string {
    const dir = path.join(root, name);
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), content);
    }
    mkdirSync(dir, { recursive: true });
    return dir;
  }
  const gray = (values: number[]): Uint8Array =>
    encode({ width: 2, height: 2, channels: 1, depth: 8, data: Uint8Array.from(values) });
  /** A 2 × 2 RGB image of one colour. */
  const rgb = (colour: number[]): Uint8Array =>
    encode({
      width: 2,
      height: 2,
      channels: 3,
      depth: 8,
      data: Uint8Array.from([...colour, ...colour, ...colour, ...colour]),
    });

  it('loads 2 classes: sorted names are ids, files in name order, hidden and top-level files skipped', async () => {
    const dir = tree('ok', {
      'dog/x.png': rgb([0, 255, 0]),
      'cat/2.png': gray([255, 255, 255, 255]),
      'cat/1.png': gray([0, 51, 102, 255]),
      'cat/.DS_Store': 'not an image',
      'README.txt': 'top-level notes',
    });
    const ds = await loadImageFolder(dir, { height: 2, width: 2, channels: 1 });
    expect(ds.classNames).toEqual(['cat', 'dog']);
    expect(ds.xShape).toEqual([3, 2, 2, 1]);
    expect(Array.from(ds.y)).toEqual([0, 0, 1]);
    expect(Array.from(ds.x.subarray(0, 8))).toEqual([0, 0.2, 0.4, 1, 1, 1, 1, 1].map(f));
    ds.x.subarray(8).forEach((v) => expect(v).toBeCloseTo(0.587, 6)); // pure green → luma 0.587
    const colour = await loadImageFolder(dir, { height: 2, width: 2, channels: 3 });
    expect(Array.from(colour.x.subarray(0, 3))).toEqual([0, 0, 0]); // gray 0 repeated
    expect(Array.from(colour.x.subarray(24, 27))).toEqual([0, 1, 0]); // sample 2 starts at 2 · 12 values
  });

  it('rejects a wrong size unless asked to resize', async () => {
    const big = encode({ width: 4, height: 4, channels: 1, depth: 8, data: new Uint8Array(16).fill(51) });
    const dir = tree('sizes', { 'a/small.png': gray([0, 0, 255, 255]), 'b/big.png': big });
    await expect(loadImageFolder(dir, { height: 2, width: 2, channels: 1 })).rejects.toThrow(
      /big.png is 4 × 4 pixels, expected 2 × 2 \(pass resize: true to resize\)/,
    );
    const ds = await loadImageFolder(dir, { height: 2, width: 2, channels: 1, resize: true });
    expect(Array.from(ds.x.subarray(4))).toEqual([0.2, 0.2, 0.2, 0.2].map(f));
  });

  it('names the first bad file, and rejects empty datasets and empty classes', async () => {
    const bad = tree('bad', { 'a/1.png': gray([0, 0, 0, 0]), 'a/2.png': 'oops', 'a/3.png': 'oops too' });
    await expect(loadImageFolder(bad, { height: 2, width: 2, channels: 1 })).rejects.toThrow(
      /a[/\\]2\.png is not a PNG file/,
    );
    const options = { height: 2, width: 2, channels: 1 } as const;
    await expect(loadImageFolder(tree('empty', {}), options)).rejects.toThrow(/has no class sub-folders/);
    const emptyClass = tree('empty-class', { 'a/1.png': gray([0, 0, 0, 0]) });
    mkdirSync(path.join(emptyClass, 'b'));
    await expect(loadImageFolder(emptyClass, options)).rejects.toThrow(/class folder .*b holds no images/);
    await expect(loadImageFolder(path.join(root, 'missing'), options)).rejects.toThrow(/cannot read folder .*missing/);
    await expect(loadImageFolder(bad, { ...options, height: 0 })).rejects.toThrow(
      /`height` and `width` must be positive integers/,
    );
  });
});
