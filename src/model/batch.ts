/** Cutting examples out of a [N, ...] tensor on the host: batches, shuffled batches, and splits. */
import { tensor } from '../ops/creation.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';

/** The rows `indices[start..end)` of x, copied into a new tensor [end − start, ...]. */
export function gatherRows(x: Tensor, indices: ArrayLike<number>, start: number, end: number): Tensor {
  const rowSize = x.shape[0] === 0 ? 0 : x.size / (x.shape[0] ?? 1);
  const out = new Float32Array((end - start) * rowSize);
  const source = x.storage.view();
  for (let i = start; i < end; i++) {
    const row = indices[i] ?? 0;
    out.set(source.subarray(row * rowSize, (row + 1) * rowSize), (i - start) * rowSize);
  }
  return tensor(out, [end - start, ...x.shape.slice(1)]);
}

/** Rows [start, end) of x. */
export function sliceRows(x: Tensor, start: number, end: number): Tensor {
  const rowSize = x.shape[0] === 0 ? 0 : x.size / (x.shape[0] ?? 1);
  return tensor(x.storage.view().slice(start * rowSize, end * rowSize), [end - start, ...x.shape.slice(1)]);
}

/** Checks that x and y hold the same number of examples and finite values, naming the first bad value. */
export function checkExamples(where: string, x: Tensor, y: Tensor): void {
  if (x.rank === 0 || y.rank === 0 || x.shape[0] !== y.shape[0]) {
    throw new Error(`${where}: x and y must have the same number of examples (first dimension), received ${formatShape(x.shape)} and ${formatShape(y.shape)}`);
  }
  for (const [name, t] of [['x', x], ['y', y]] as const) {
    const values = t.storage.view();
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i] ?? 0)) {
        throw new Error(`${where}: ${name} must hold finite numbers, received ${values[i]} at flat index ${i}`);
      }
    }
  }
}

/** 0..n−1. */
export const range = (n: number): Uint32Array => Uint32Array.from({ length: n }, (_, i) => i);
