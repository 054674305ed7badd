/**
 * In-memory labelled datasets as plain typed arrays (not Tensors), so a large set does not sit in backend memory;
 * only the batches drawn from it become tensors.
 */
import type { Random } from '../random.js';

/** Samples `x: [N, ...sample]` (row-major) and their class ids `y: [N]`. */
export interface Dataset {
  readonly x: Float32Array;
  /** `[N, ...sample]`, e.g. `[N, 28, 28, 1]` for NHWC images. */
  readonly xShape: readonly number[];
  /** Class ids in `[0, numClasses)`, stored as float32 so a batch becomes a tensor without conversion. */
  readonly y: Float32Array;
  readonly numClasses: number;
  /** One name per class id, when known. */
  readonly classNames?: readonly string[];
}

/** One batch: `x: xShape` with `xShape[0]` samples, and their class ids `y`. */
export interface Batch {
  readonly x: Float32Array;
  readonly xShape: readonly number[];
  readonly y: Float32Array;
}

/** Builds a dataset after checking that sizes, labels and class names agree. */
export function createDataset(parts: Dataset, what = 'createDataset'): Dataset {
  const { x, xShape, y, numClasses, classNames } = parts;
  const count = xShape[0];
  if (count === undefined || xShape.some((dim) => !Number.isInteger(dim) || dim < 0)) {
    throw new Error(`${what}: \`xShape\` must be [N, ...] of non-negative integers, received [${xShape.join(', ')}]`);
  }
  const expected = xShape.reduce((a, b) => a * b, 1);
  if (x.length !== expected) {
    throw new Error(
      `${what}: \`x\` must hold ${expected} values for xShape [${xShape.join(', ')}], ` + `received ${x.length}`,
    );
  }
  if (y.length !== count) throw new Error(`${what}: \`y\` must hold ${count} labels, received ${y.length}`);
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new Error(`${what}: \`numClasses\` must be a positive integer, received ${numClasses}`);
  }
  for (let i = 0; i < y.length; i++) {
    const label = y[i] ?? Number.NaN;
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
      throw new Error(`${what}: label ${i} must be an integer in [0, ${numClasses - 1}], received ${label}`);
    }
  }
  if (classNames !== undefined && classNames.length !== numClasses) {
    throw new Error(`${what}: \`classNames\` must have ${numClasses} entries, received ${classNames.length}`);
  }
  return classNames === undefined ? { x, xShape, y, numClasses } : { x, xShape, y, numClasses, classNames };
}

/** Number of samples. */
export function datasetSize(ds: Dataset): number {
  return ds.xShape[0] ?? 0;
}

/** Values per sample (the product of `xShape[1:]`). */
export function sampleSize(ds: Dataset): number {
  return ds.xShape.slice(1).reduce((a, b) => a * b, 1);
}

/** Samples per class id: `counts[c]` = number of samples labelled `c`. */
export function classCounts(ds: Dataset): number[] {
  const counts = new Array<number>(ds.numClasses).fill(0);
  for (const label of ds.y) counts[label] = (counts[label] ?? 0) + 1;
  return counts;
}

/** The samples at `indices`, in that order (indices may repeat). */
export function subset(ds: Dataset, indices: ArrayLike<number>, what = 'subset'): Dataset {
  const n = datasetSize(ds);
  const size = sampleSize(ds);
  const x = new Float32Array(indices.length * size);
  const y = new Float32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i] ?? Number.NaN;
    if (!Number.isInteger(index) || index < 0 || index >= n) {
      throw new Error(`${what}: index ${i} must be an integer in [0, ${n - 1}], received ${index}`);
    }
    x.set(ds.x.subarray(index * size, (index + 1) * size), i * size);
    y[i] = ds.y[index] ?? 0;
  }
  return withSamples(ds, x, y, indices.length);
}

/** The first `min(n, N)` samples (like tf.data's `take`); a copy, so the source may be dropped. */
export function take(ds: Dataset, n: number): Dataset {
  if (!Number.isInteger(n) || n < 0) throw new Error(`take: \`n\` must be a non-negative integer, received ${n}`);
  const count = Math.min(n, datasetSize(ds));
  return range(ds, 0, count);
}

/** A uniformly random permutation of `[0, n)` by Fisher–Yates, driven by `random`. */
export function permutation(n: number, random: Random): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const tmp = order[i] ?? 0;
    order[i] = order[j] ?? 0;
    order[j] = tmp;
  }
  return order;
}

/** The samples in a random order drawn from `random` (seeded, so repeatable). */
export function shuffled(ds: Dataset, random: Random): Dataset {
  return subset(ds, permutation(datasetSize(ds), random), 'shuffled');
}

/**
 * Keras `validation_split`: the LAST `fraction` of the samples, in their current order (before any shuffling), is the
 * validation set: `splitAt = floor(N · (1 − fraction))`, train = `[0, splitAt)`, validation = `[splitAt, N)`.
 */
export function splitValidation(ds: Dataset, fraction: number): { train: Dataset; validation: Dataset } {
  if (!(fraction > 0 && fraction < 1)) {
    throw new Error(`splitValidation: \`fraction\` must be in (0, 1), received ${fraction}`);
  }
  const n = datasetSize(ds);
  const splitAt = Math.floor(n * (1 - fraction));
  if (splitAt === 0 || splitAt === n) {
    throw new Error(
      `splitValidation: ${n} samples are too few to split with fraction ${fraction} ` + '(one side would be empty)',
    );
  }
  return { train: range(ds, 0, splitAt), validation: range(ds, splitAt, n) };
}

/**
 * A deterministic stratified split: within each class, the last `round(count · fraction)` samples of that class (in
 * dataset order) go to `second`, the rest to `first`; both keep the dataset order. Class proportions are preserved.
 */
export function stratifiedSplit(ds: Dataset, fraction: number): { first: Dataset; second: Dataset } {
  if (!(fraction >= 0 && fraction <= 1)) {
    throw new Error(`stratifiedSplit: \`fraction\` must be in [0, 1], received ${fraction}`);
  }
  const counts = classCounts(ds);
  const firstPerClass = counts.map((count) => count - Math.round(count * fraction));
  const seen = new Array<number>(ds.numClasses).fill(0);
  const first: number[] = [];
  const second: number[] = [];
  ds.y.forEach((label, i) => {
    const k = seen[label] ?? 0;
    seen[label] = k + 1;
    (k < (firstPerClass[label] ?? 0) ? first : second).push(i);
  });
  return { first: subset(ds, first, 'stratifiedSplit'), second: subset(ds, second, 'stratifiedSplit') };
}

export interface BatchOptions {
  /** Visit the samples in a fresh random order (default false: dataset order). */
  readonly shuffle?: boolean;
  /** Required when `shuffle` is true. */
  readonly random?: Random;
}

/**
 * One epoch of batches: every sample exactly once, `batchSize` at a time; the last batch holds the remainder
 * (`N mod batchSize` samples) when that is not zero. With `shuffle`, the order is drawn from `random` by this call
 * (arguments are checked here too, not at the first `next()`); each batch is a fresh copy.
 */
export function batches(ds: Dataset, batchSize: number, options: BatchOptions = {}): Generator<Batch> {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`batches: \`batchSize\` must be a positive integer, received ${batchSize}`);
  }
  if (options.shuffle === true && options.random === undefined) {
    throw new Error('batches: `random` is required when `shuffle` is true');
  }
  const { shuffle = false, random } = options;
  const order = shuffle && random !== undefined ? permutation(datasetSize(ds), random) : null;
  return generateBatches(ds, batchSize, order);
}

function* generateBatches(ds: Dataset, batchSize: number, order: Uint32Array | null): Generator<Batch> {
  const n = datasetSize(ds);
  const size = sampleSize(ds);
  const sampleShape = ds.xShape.slice(1);
  for (let start = 0; start < n; start += batchSize) {
    const count = Math.min(batchSize, n - start);
    if (order === null) {
      // Contiguous: copy, so a consumer that mutates or transfers a batch cannot touch the dataset.
      const x = ds.x.slice(start * size, (start + count) * size);
      yield { x, xShape: [count, ...sampleShape], y: ds.y.slice(start, start + count) };
      continue;
    }
    const x = new Float32Array(count * size);
    const y = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      const index = order[start + i] ?? 0;
      x.set(ds.x.subarray(index * size, (index + 1) * size), i * size);
      y[i] = ds.y[index] ?? 0;
    }
    yield { x, xShape: [count, ...sampleShape], y };
  }
}

/** Samples `[start, end)` as a copy. */
function range(ds: Dataset, start: number, end: number): Dataset {
  const size = sampleSize(ds);
  return withSamples(ds, ds.x.slice(start * size, end * size), ds.y.slice(start, end), end - start);
}

/** The same kind of dataset (sample shape, classes) holding other samples. */
export function withSamples(ds: Dataset, x: Float32Array, y: Float32Array, count: number): Dataset {
  const xShape = [count, ...ds.xShape.slice(1)];
  const { numClasses, classNames } = ds;
  return classNames === undefined ? { x, xShape, y, numClasses } : { x, xShape, y, numClasses, classNames };
}

/** True for a value with a dataset's arrays (`x`, `y`: Float32Array) and `xShape`, e.g. to tell it from a tensor. */
export function isDataset(value: unknown): value is Dataset {
  return (
    typeof value === 'object' &&
    value !== null &&
    'x' in value &&
    value.x instanceof Float32Array &&
    'y' in value &&
    value.y instanceof Float32Array &&
    'xShape' in value &&
    Array.isArray(value.xShape)
  );
}
