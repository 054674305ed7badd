/** Reference reductions over a set of axes. */
import { type Shape, sizeOf, stridesOf } from '../../shape.js';
import type { ReduceOp } from '../backend.js';

/** out[kept index] = op over the reduced axes of x; the result's shape is `shape` without `axes`. */
export function reduce(op: ReduceOp, x: Float32Array, shape: Shape, axes: readonly number[]): Float32Array {
  const reduced = new Set(axes);
  const outShape = shape.filter((_, axis) => !reduced.has(axis));
  const outStrides = stridesOf(outShape);
  // For each input axis, how far one step along it moves in the output (0 for reduced axes).
  const step: number[] = [];
  let k = 0;
  for (let axis = 0; axis < shape.length; axis++) step.push(reduced.has(axis) ? 0 : (outStrides[k++] ?? 0));

  const initial = op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity;
  const out = new Float32Array(sizeOf(outShape)).fill(initial);
  const index = new Array<number>(shape.length).fill(0);
  let target = 0;
  for (const value of x) {
    const current = out[target] ?? 0;
    // NaN propagates through max/min, as in TensorFlow.
    out[target] =
      op === 'sum'
        ? current + value
        : op === 'max'
          ? value > current || Number.isNaN(value)
            ? value
            : current
          : value < current || Number.isNaN(value)
            ? value
            : current;
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      index[axis] = (index[axis] ?? 0) + 1;
      target += step[axis] ?? 0;
      if ((index[axis] ?? 0) < (shape[axis] ?? 0)) break;
      target -= (step[axis] ?? 0) * (shape[axis] ?? 0);
      index[axis] = 0;
    }
  }
  return out;
}
