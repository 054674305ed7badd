/**
 * A labelled dataset from a folder of PNG files, one sub-folder per class (like Keras
 * image_dataset_from_directory).
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { type Dataset, createDataset } from '../../data/dataset.js';
import { resizeBilinear } from '../../data/image.js';
import { decodePng, MAX_PNG_FILE_BYTES, pngSize } from '../../data/png.js';
import { errorMessage } from '../../errors.js';
import { readRegularFile } from '../io/regular-file.js';

export interface ImageFolderOptions {
  /** Image height every sample must have (or is resized to). */
  readonly height: number;
  readonly width: number;
  /** 1: gray (RGB is converted by BT.601 luma); 3: RGB (gray is repeated). Alpha is always dropped. */
  readonly channels: 1 | 3;
  /** Resize images of another size (bilinear, half-pixel centres) instead of rejecting them. Default false. */
  readonly resize?: boolean;
}

/**
 * Loads `dir/<class>/<image>.png`. Class ids follow the sorted sub-folder names (which become `classNames`); samples
 * come class by class, files in sorted name order, so the result is the same on every machine — shuffle it before
 * splitting off validation data. Files and folders whose names start with '.' are skipped, and so are plain files at
 * the top level (a README); anything else inside a class folder must be a PNG. Errors name the offending path.
 * Result: `x: [N, height, width, channels]` in [0, 1].
 */
export async function loadImageFolder(dir: string, options: ImageFolderOptions): Promise<Dataset> {
  const { height, width, channels, resize = false } = options;
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1) {
    throw new Error(
      `loadImageFolder: \`height\` and \`width\` must be positive integers, received ${height} × ${width}`,
    );
  }
  if (channels !== 1 && channels !== 3) {
    throw new Error(`loadImageFolder: \`channels\` must be 1 or 3, received ${String(channels)}`);
  }
  const { classNames, files } = await listFiles(dir);
  const size = height * width * channels;
  const x = new Float32Array(files.length * size);
  const y = new Float32Array(files.length);
  for (const [i, { file, label }] of files.entries()) {
    // A link in a class folder may lead to /dev/zero or a FIFO: only regular files are read.
    const bytes = await readRegularFile(file, MAX_PNG_FILE_BYTES, 'loadImageFolder', file);
    // The size is known from the header, so a wrong-sized image is refused before its pixels are decoded.
    const header = pngSize(bytes);
    const wrongSize = (h: number, w: number): Error =>
      new Error(
        `loadImageFolder: ${file} is ${h} × ${w} pixels, expected ${height} × ${width} (pass resize: true to resize)`,
      );
    if (!resize && header !== undefined && (header.height !== height || header.width !== width))
      throw wrongSize(header.height, header.width);
    let image = decodePng(bytes, file, { channels });
    if (image.height !== height || image.width !== width) {
      if (!resize) throw wrongSize(image.height, image.width);
      image = resizeBilinear(image, height, width);
    }
    x.set(image.data, i * size);
    y[i] = label;
  }
  const xShape = [files.length, height, width, channels];
  return createDataset({ x, xShape, y, numClasses: classNames.length, classNames }, `loadImageFolder: ${dir}`);
}

interface ListedFile {
  readonly file: string;
  readonly label: number;
}

/** Every image file, class folder by class folder (both sorted); errors for an empty dataset or class. */
async function listFiles(dir: string): Promise<{ classNames: string[]; files: ListedFile[] }> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new Error(`loadImageFolder: cannot read folder ${dir}: ${errorMessage(error)}`, { cause: error });
  }
  const classes = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  if (classes.length === 0) {
    throw new Error(`loadImageFolder: ${dir} has no class sub-folders; expected ${dir}/<class name>/<image>.png`);
  }
  const files: ListedFile[] = [];
  for (const [label, className] of classes.entries()) {
    const classDir = path.join(dir, className);
    const inside = (await readdir(classDir, { withFileTypes: true })).filter((e) => !e.name.startsWith('.'));
    const names = inside.map((e) => e.name).sort();
    const nested = inside.find((e) => e.isDirectory());
    if (nested !== undefined) {
      throw new Error(
        `loadImageFolder: ${path.join(classDir, nested.name)} is a folder; class folders must hold only PNG files`,
      );
    }
    if (names.length === 0) throw new Error(`loadImageFolder: class folder ${classDir} holds no images`);
    for (const name of names) files.push({ file: path.join(classDir, name), label });
  }
  return { classNames: classes, files };
}
