/**
 * Where fit, evaluate and predict take their examples from: a tensor `[N, ...]`, or a host `Dataset` of typed arrays.
 * Both become `Examples`, so one loop serves both, and a host dataset never becomes a whole-set tensor: only the
 * batches gathered from it reach the backend.
 */
import { type Dataset, isDataset } from '../data/dataset.js';
import { ConfigError, ShapeError } from '../errors.js';
import { describe } from '../io/json.js';
import { zeros } from '../ops/creation.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';

/** Rows `[first, first + count)` of a row-major array `[rows, ...rowShape]`. */
export interface Examples {
  readonly count: number;
  /** The shape of one example: the data's shape without its first dimension. */
  readonly rowShape: readonly number[];
  /** Values per example (the product of `rowShape`). */
  readonly rowSize: number;
  /** Index of the first row within `values()`. */
  readonly first: number;
  /**
   * The whole array, asked for at each use: a backend's memory may move when it grows, taking a tensor's view
   * along.
   */
  readonly values: () => Float32Array;
  /** What errors call the data, e.g. 'x' or 'dataset.x'. */
  readonly name: string;
}

/** Inputs `x` and targets `y`, with the same number of examples. */
export interface ExamplePair {
  readonly x: Examples;
  readonly y: Examples;
}

function examples(name: string, shape: readonly number[], values: () => Float32Array): Examples {
  const rowShape = shape.slice(1);
  return { count: shape[0] ?? 0, rowShape, rowSize: rowShape.reduce((a, b) => a * b, 1), first: 0, values, name };
}

/** Rows `[start, end)` of `ex`, sharing its values (no copy). */
export function rowsOf(ex: Examples, start: number, end: number): Examples {
  return { ...ex, count: end - start, first: ex.first + start };
}

/**
 * Copies rows `indices[start..end)` of `ex` (consecutive rows when `indices` is null) into `out`. `out` must be valid
 * now (a backend view taken after the last allocation): `ex.values()` is asked for here, and nothing is allocated.
 */
function copyRows(
  ex: Examples,
  indices: ArrayLike<number> | null,
  start: number,
  end: number,
  out: Float32Array,
): void {
  const size = ex.rowSize;
  const source = ex.values();
  if (indices === null) {
    out.set(source.subarray((ex.first + start) * size, (ex.first + end) * size));
    return;
  }
  for (let i = start; i < end; i++) {
    const row = ex.first + (indices[i] ?? 0);
    out.set(source.subarray(row * size, (row + 1) * size), (i - start) * size);
  }
}

/** The values of rows `indices[start..end)` of `ex` (consecutive rows when `indices` is null), as a host copy. */
export function gatherValues(
  ex: Examples,
  indices: ArrayLike<number> | null,
  start: number,
  end: number,
): Float32Array {
  const out = new Float32Array((end - start) * ex.rowSize);
  copyRows(ex, indices, start, end, out);
  return out;
}

/**
 * Rows `indices[start..end)` of `ex` (consecutive rows when `indices` is null) as a new tensor
 * `[end − start, ...]`.
 */
export function gatherRows(ex: Examples, indices: ArrayLike<number> | null, start: number, end: number): Tensor {
  const out = zeros([end - start, ...ex.rowShape]);
  // Straight into the backend's memory: a host copy per batch would be garbage that V8 frees only lazily (its
  // backing store is outside the JS heap), and would raise the peak RSS by tens of MB over an epoch.
  copyRows(ex, indices, start, end, out.storage.view());
  return out;
}

/** Throws, naming the flat index (within `ex`), at the first value of `ex` that is not finite. */
function checkFinite(where: string, ex: Examples): void {
  const values = ex.values().subarray(ex.first * ex.rowSize, (ex.first + ex.count) * ex.rowSize);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i] ?? 0)) {
      throw new ConfigError(where, `${ex.name} must hold finite numbers, received ${values[i]} at flat index ${i}`);
    }
  }
}

/** The rows of a tensor `[N, ...]` as examples (unchecked: predict takes any values). */
export function fromTensor(name: string, t: Tensor): Examples {
  return examples(name, t.shape, () => t.storage.view());
}

/** x and y as examples, after checking that they hold the same number of examples and only finite values. */
export function tensorExamples(where: string, x: Tensor, y: Tensor): ExamplePair {
  if (x.rank === 0 || y.rank === 0 || x.shape[0] !== y.shape[0]) {
    throw new ShapeError(
      where,
      `x and y must have the same number of examples (first dimension), received ${formatShape(x.shape)} and ${formatShape(y.shape)}`,
    );
  }
  const pair = { x: fromTensor('x', x), y: fromTensor('y', y) };
  checkFinite(where, pair.x);
  checkFinite(where, pair.y);
  return pair;
}

/**
 * A dataset's samples and class ids (`y: [N]`, as sparse categorical losses take them) as examples, after checking
 * that its arrays fit its shape and hold only finite values.
 */
export function datasetExamples(where: string, ds: Dataset): ExamplePair {
  const pair = fromDataset(where, ds);
  checkFinite(where, pair.x);
  checkFinite(where, pair.y);
  return pair;
}

/** A dataset's samples and class ids as examples, after checking only that its arrays fit its shape. */
export function fromDataset(where: string, ds: Dataset): ExamplePair {
  const count = ds.xShape[0];
  if (count === undefined || ds.xShape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(
      where,
      `dataset.xShape must be [N, ...] of non-negative integers, received ${formatShape(ds.xShape)}`,
    );
  }
  const size = ds.xShape.reduce((a, b) => a * b, 1);
  if (ds.x.length !== size || ds.y.length !== count) {
    throw new ShapeError(
      where,
      `a dataset of shape ${formatShape(ds.xShape)} must hold ${size} values in x and ${count} labels in y, ` +
        `received ${ds.x.length} and ${ds.y.length}`,
    );
  }
  return { x: examples('dataset.x', ds.xShape, () => ds.x), y: examples('dataset.y', [count], () => ds.y) };
}

/** A training or evaluation pair given either as tensors or as a dataset (as `validationData` may be). */
export function examplePair(where: string, data: readonly [Tensor, Tensor] | Dataset): ExamplePair {
  if (isDataset(data)) return datasetExamples(where, data);
  if (!Array.isArray(data) || !(data[0] instanceof Tensor) || !(data[1] instanceof Tensor)) {
    throw new ConfigError(where, `expected [x, y] tensors or a Dataset, received ${String(data)}`);
  }
  return tensorExamples(where, data[0], data[1]);
}

/**
 * The examples of a call taking `(x, y, args)` or `(dataset, args)` — the two forms of fit and evaluate — and its
 * args, with an error that names the method when the arguments fit neither form.
 */
export function resolveCall<Args extends object>(
  where: string,
  first: Tensor | Dataset,
  second: Tensor | Args | undefined,
  third: Args | undefined,
): { data: ExamplePair; args: Args | undefined } {
  if (first instanceof Tensor) {
    if (!(second instanceof Tensor))
      throw new ConfigError(where, `expected (x, y, args) with tensors x and y, received y = ${describe(second)}`);
    return { data: tensorExamples(where, first, second), args: third };
  }
  if (!isDataset(first)) throw new ConfigError(where, `expected a Tensor or a Dataset, received ${describe(first)}`);
  if (second instanceof Tensor)
    throw new ConfigError(
      where,
      `a Dataset carries its labels: call ${where}(dataset, args), not ${where}(dataset, y)`,
    );
  if (third !== undefined) throw new ConfigError(where, `expected (dataset, args), received a third argument`);
  return { data: datasetExamples(where, first), args: second };
}

/** 0..n−1. */
export const range = (n: number): Uint32Array => Uint32Array.from({ length: n }, (_, i) => i);
